from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "apps.plans"
    verbose_name = _("Implementation plans")

    def ready(self) -> None:
        # Registering the kind is what makes "plan" filings editable and checkable.
        from apps.plans import kind  # noqa: F401
