from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    name = "apps.timeline"
    verbose_name = _("Campaigns and deadlines")

    def ready(self) -> None:
        from apps.timeline import panels  # noqa: F401  (registers the page panels)
