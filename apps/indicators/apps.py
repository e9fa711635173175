from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "apps.indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # The catalogue's cache is dropped on every change of its rows (signals in the
        # module); a new campaign starts with the default indicator set.
        from apps.indicators import catalogue
        from apps.timeline.models import Campaign

        def campaign_created(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
            if created and not kwargs.get("raw"):
                catalogue.catalogue_ensure(instance)

        # weak=False: the receiver is a closure that would otherwise be collected.
        post_save.connect(
            campaign_created,
            sender=Campaign,
            weak=False,
            dispatch_uid="indicators-campaign-created",
        )
