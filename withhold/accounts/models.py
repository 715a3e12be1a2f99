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
