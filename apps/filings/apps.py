from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "apps.filings"
    verbose_name = _("Filings")

    def ready(self) -> None:
        from apps.filings import status  # noqa: F401  (tells the timeline what exists)
