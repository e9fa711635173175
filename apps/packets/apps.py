from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacketsConfig(AppConfig):
    name = "apps.packets"
    verbose_name = _("Packets")

    def ready(self) -> None:
        from apps.packets import hooks, panels  # noqa: F401  (renders packets on submit and approve)
