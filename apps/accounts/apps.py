from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from apps.accounts.mfa import note_device_at_login
        from apps.accounts.middleware import touch_session_at_login

        user_logged_in.connect(note_device_at_login, dispatch_uid="accounts.mfa.note_device")
        user_logged_in.connect(touch_session_at_login, dispatch_uid="accounts.session_touch")
