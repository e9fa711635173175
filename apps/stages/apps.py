from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagesConfig(AppConfig):
    name = "apps.stages"
    verbose_name = _("Stage summaries and assessments")
