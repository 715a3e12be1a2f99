"""Key performance indicators with baselines and targets, and the outreach and engagement log."""
