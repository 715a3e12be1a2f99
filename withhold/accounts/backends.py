"""Each user's permission set and role names, kept in the shared cache between requests.

Django's ``ModelBackend`` reads a user's permissions (two queries, and a set of a hundred-odd
names built from the rows) once per request, and the navigation reads their roles (one more).
``CachedPermissionBackend`` keeps the set under the ``PERMISSIONS`` stamp
(``withhold.core.stamps``), with the user and their superuser flag in the key.

Any change that can alter someone's permissions raises the stamp: a user's groups or direct
permissions, a group's permissions, any save or delete of a user, a group or a permission. The
next request of every user then reads them from the database again, so a role taken away is
gone from the next page. ``is_active`` is read from the user row of each request and never kept.
"""

from django.contrib.auth.backends import ModelBackend

from withhold.core.stamps import Stamp

PERMISSIONS = Stamp("accounts:permissions")


class CachedPermissionBackend(ModelBackend):
    """``ModelBackend`` whose ``get_all_permissions`` is kept under the ``PERMISSIONS`` stamp."""

    def get_all_permissions(self, user_obj, obj=None):
        if (
            obj is not None
            or not user_obj.is_active
            or user_obj.is_anonymous
            or hasattr(user_obj, "_perm_cache")
        ):
            return super().get_all_permissions(user_obj, obj)
        user_obj._perm_cache = PERMISSIONS.remember(
            f"{user_obj.pk}:{int(user_obj.is_superuser)}",
            lambda: super(CachedPermissionBackend, self).get_all_permissions(user_obj),
        )
        return user_obj._perm_cache
