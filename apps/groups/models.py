"""A group's filing policy: which of its subsidiaries file their own plans and summaries to
the group headquarters first (DHIS2-style: each level accepts what the level below filed,
then files upward), and whether the commission may read what they filed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupFilingPolicy(models.Model):
    group = models.OneToOneField(
        "enterprises.Enterprise",
        verbose_name=_("group headquarters"),
        on_delete=models.CASCADE,
        related_name="filing_policy",
    )
    # Subsidiaries down to this tier (1 = the group's direct subsidiaries) file to the group.
    max_tier = models.PositiveSmallIntegerField(
        _("subsidiaries file down to tier"),
        null=True,
        blank=True,
        help_text=_("1: the direct subsidiaries; 2: and theirs. Blank: only those listed."),
    )
    listed = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("subsidiaries that file, whatever their tier"),
        blank=True,
        related_name="+",
    )
    commission_sees_subsidiaries = models.BooleanField(
        _("the commission may read what the subsidiaries filed"),
        default=True,
        help_text=_("Read only, once the group has accepted it; the commission's policy."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("group filing policy")
        verbose_name_plural = _("group filing policies")

    def __str__(self) -> str:
        return str(self.group)
