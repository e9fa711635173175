from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def give_new_campaign_default_rules(sender: Any, instance: Any, created: bool, **kw: Any) -> None:
    """A new campaign gets the default reminder rules when it is saved, so that the rules page
    and everyone's preferences (which kinds are mandatory) are right before the first sweep.
    A signal, because the timeline app sits below this one and must not import it."""
    if not created or kw.get("raw"):
        return
    from apps.reminders.services import rules_install_defaults

    transaction.on_commit(lambda: rules_install_defaults(campaign=instance))


class RemindersConfig(AppConfig):
    name = "apps.reminders"
    verbose_name = _("Deadline reminders")

    def ready(self) -> None:
        from apps.timeline.models import Campaign

        post_save.connect(
            give_new_campaign_default_rules,
            sender=Campaign,
            dispatch_uid="reminders.campaign_defaults",
        )
