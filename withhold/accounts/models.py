from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import Role


class User(AbstractUser):
    """A person who signs in. Roles are groups (see ``roles.py``); a user may hold several."""

    job_title = models.CharField(max_length=120, blank=True)
    is_demo = models.BooleanField(
        default=False, help_text="Made-up account created by the demo data set."
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def role_labels(self) -> list[str]:
        """The names of this user's roles, as the navigation shows them (kept in the shared
        cache until a change to users or roles: ``backends.PERMISSIONS``)."""
        from .backends import PERMISSIONS

        def read() -> list[str]:
            labels = {r.label for r in Role}
            return sorted(g.name for g in self.groups.all() if g.name in labels)

        return read() if self.pk is None else PERMISSIONS.remember(f"roles:{self.pk}", read)

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=Role(role).label).exists()


class ApiToken(models.Model):
    """A key for the API (``Authorization: Token <key>``). Only the key's SHA-256 is stored: the
    key is shown once, when it is issued (``withhold token-issue``), and cannot be read back.
    A token expires (``WITHHOLD_API_TOKEN_DAYS`` after issue by default), can be revoked, and
    carries a scope: a read-only token is refused on every request that is not GET, HEAD or
    OPTIONS. Issued and revoked through ``withhold.operations.tokens`` (audited)."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    key_prefix = models.CharField(
        max_length=8, help_text="The key's first characters, to tell tokens apart in lists."
    )
    key_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 of the key, in hex."
    )
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(help_text="When the token was issued.")
    expires_at = models.DateTimeField(help_text="After this instant the token is refused.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["read", "write"]), name="apitoken_scope_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user}, {self.get_scope_display().lower()})"
