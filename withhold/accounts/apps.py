from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    from .roles import sync_role_groups

    sync_role_groups()


def _permissions_changed(sender, update_fields=None, **kwargs):
    """A user, group or permission saved or deleted; a sign-in (which saves only the user's
    ``last_login``) changes nobody's permissions and leaves the kept sets alone."""
    from .backends import PERMISSIONS

    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    PERMISSIONS.bump()


class AccountsConfig(AppConfig):
    name = "withhold.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import session_mark_signed_in

        user_logged_in.connect(session_mark_signed_in, dispatch_uid="withhold_session_clocks")
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="withhold_sync_roles")
        # Permission sets and role names kept in the cache (backends): any change that can alter
        # someone's permissions raises the stamp.
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .backends import PERMISSIONS
        from .models import User

        for model in (User, Group, Permission):
            for signal in (post_save, post_delete):
                signal.connect(
                    _permissions_changed,
                    sender=model,
                    dispatch_uid=f"accounts-permissions-{model._meta.label_lower}-{signal}",
                )
        for through in (
            User.groups.through,
            User.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(
                PERMISSIONS.bump,
                sender=through,
                dispatch_uid=f"accounts-permissions-{through._meta.label_lower}",
            )
