from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "apps.home"
    verbose_name = _("Home")

    def ready(self) -> None:
        from apps.home import panels  # noqa: F401  (registers the enterprise page's panel)
