"""Running Withhold in production: health and readiness, backups and restore, the access review."""
