from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "apps.nominations"
    verbose_name = _("Model enterprise nominations")

    def ready(self) -> None:
        # The rules register the permissions; the panels add the nominations to the
        # assessment report's page and to the authority's page.
        from apps.nominations import panels, rules  # noqa: F401
