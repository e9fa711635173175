from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagesConfig(AppConfig):
    name = "apps.stages"
    verbose_name = _("Stage summaries and assessments")

    def ready(self) -> None:
        # Registering the kinds is what makes stage summaries and assessment reports
        # editable and checkable; the hook derives IndicatorResult rows on submission; the
        # panels add scoring, designations and plan amendments to the filing and authority
        # pages.
        from apps.stages import hooks, kind, panels  # noqa: F401
