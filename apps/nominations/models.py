"""Nominations, the reviewers' scores, public notices (公示) and objections to them.

Rows change only through apps.nominations.services, which check the workflow
(apps.nominations.workflow) and write the audit row in the same transaction.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.enterprises.models import Industry
from apps.enterprises.scopes import scope_for
from apps.nominations.workflow import (
    NOTICED_STATUSES,
    OPEN_STATUSES,
    SCORE_MAX,
    Resolution,
    Source,
    Status,
)
from apps.plans.constants import ActionArea
from apps.stages.constants import DesignationKind
from apps.timeline.models import local_today


class PublicNoticeQuerySet(models.QuerySet["PublicNotice"]):
    def started(self, today: dt.date | None = None) -> "PublicNoticeQuerySet":
        """Notices the public may read: from their first day on."""
        return self.filter(starts_on__lte=today or local_today())

    def visible_to(self, user: Any) -> "PublicNoticeQuerySet":
        """Started notices, and every notice of an authority the user reviews for (they
        see one before its first day)."""
        authorities = list(scope_for(user).authority_roles)
        return self.filter(Q(starts_on__lte=local_today()) | Q(authority_id__in=authorities))


class PublicNotice(models.Model):
    """A public notice (公示) of the lead reviewer's proposals, with its first and last day
    (Beijing dates). Once it has ended, a proposal without an open or upheld objection is
    designated."""

    authority = models.ForeignKey(
        "enterprises.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="public_notices",
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    objects = PublicNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="notice_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["authority", "-starts_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("nominations:notice_detail", kwargs={"pk": self.pk})

    def has_started(self, today: dt.date | None = None) -> bool:
        return (today or local_today()) >= self.starts_on

    def has_ended(self, today: dt.date | None = None) -> bool:
        """Over: the last day has passed, in Beijing."""
        return (today or local_today()) > self.ends_on


class NominationQuerySet(models.QuerySet["Nomination"]):
    def visible_to(self, user: Any) -> "NominationQuerySet":
        """Nominations of the authorities the user reviews for, and their own enterprise's
        applications. (Views check the ``nominations.view`` rule on top: a reviewer never
        judges their own enterprise.)"""
        scope = scope_for(user)
        return self.filter(
            Q(authority_id__in=list(scope.authority_roles))
            | Q(source=Source.APPLICATION, enterprise_id__in=list(scope.enterprise_roles))
        )

    def open(self) -> "NominationQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class Nomination(models.Model):
    """A nomination of an enterprise as a value-creation model enterprise, or of one typical
    case of its filed assessment report as a benchmarking project."""

    kind = models.CharField(_("kind"), max_length=20, choices=DesignationKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    # The enterprise's authority when it was nominated: who scores, proposes and designates.
    authority = models.ForeignKey(
        "enterprises.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    filing = models.ForeignKey(
        "filings.Filing",
        verbose_name=_("assessment report"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    # The typical case's row id in the filed report, for a benchmarking project.
    case_id = models.CharField(_("case"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)
    industry = models.CharField(_("industry section"), max_length=1, choices=Industry.choices)
    field = models.CharField(_("action area"), max_length=32, choices=ActionArea.choices)
    case_summary = models.TextField(_("case summary"), blank=True)
    # Set by the lead reviewer when proposing: the summary may appear on the notice and list.
    publish_summary = models.BooleanField(_("summary approved for publication"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOMINATED
    )
    notice = models.ForeignKey(
        PublicNotice,
        verbose_name=_("public notice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    designation = models.OneToOneField(
        "stages.Designation",
        verbose_name=_("designation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nomination",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("nominated"), auto_now_add=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declined by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rejected_at = models.DateTimeField(_("declined"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for not proposing"), blank=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "kind", "case_id"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="nomination_open_once",
            ),
            models.CheckConstraint(
                condition=Q(kind="model_enterprise", case_id="")
                | (Q(kind="benchmark_project") & ~Q(case_id="")),
                name="nomination_case_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(source="application", case_summary=""),
                name="nomination_application_has_summary",
            ),
            models.CheckConstraint(
                condition=Q(status="designated", designation__isnull=False)
                | (~Q(status="designated") & Q(designation__isnull=True)),
                name="nomination_designated_has_designation",
            ),
            models.CheckConstraint(
                condition=Q(status__in=sorted(NOTICED_STATUSES), notice__isnull=False)
                | (~Q(status__in=sorted(NOTICED_STATUSES)) & Q(notice__isnull=True)),
                name="nomination_noticed_has_notice",
            ),
        ]
        indexes = [models.Index(fields=["authority", "status", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("nominations:detail", kwargs={"pk": self.pk})

    @property
    def published_summary(self) -> str:
        """The case summary, if the lead reviewer approved it for publication."""
        return self.case_summary if self.publish_summary else ""


class NominationScore(models.Model):
    """One reviewer's score of a nomination, 0–100; they may change it until the nomination
    is proposed."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="scores"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(SCORE_MAX)])
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("nomination score")
        verbose_name_plural = _("nomination scores")
        ordering = ["nomination_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "reviewer"], name="nomination_score_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=SCORE_MAX), name="nomination_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.score}"


class Objection(models.Model):
    """An objection received during a public notice, recorded by a reviewer; the lead
    reviewer upholds it (the nomination is withdrawn) or dismisses it, saying why."""

    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    text = models.TextField(_("objection"))
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    resolution = models.CharField(
        _("resolution"), max_length=16, choices=Resolution.choices, blank=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["nomination_id", "received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution="", resolved_at__isnull=True)
                | (~Q(resolution="") & Q(resolved_at__isnull=False)),
                name="objection_resolution_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.received_on}"

    @property
    def is_open(self) -> bool:
        return not self.resolution
