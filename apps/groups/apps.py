from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "apps.groups"
    verbose_name = _("Groups filing inside themselves")

    def ready(self) -> None:
        # The group's section of its headquarters' page; the roll-up annex a group's plan
        # carries, generated as its version is frozen.
        from apps.filings.services import register_freeze_extra
        from apps.groups import panels  # noqa: F401
        from apps.groups.rollup import ROLLUP_KEY, rollup_annex

        register_freeze_extra(ROLLUP_KEY, rollup_annex)
