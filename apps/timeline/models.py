import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.i18n import in_language
from apps.enterprises.models import Authority, BilingualNameMixin, Enterprise
from apps.timeline.periods import Period, period_of

# Deadlines are days in China: a filing is on time until the end of its due date in Beijing
# time, whatever zone the server runs in.
DEADLINE_ZONE = ZoneInfo("Asia/Shanghai")
# "A deliverable falls in or right after its stage": a summary of the last half-year of a
# stage is due in the month after the stage ends.
GRACE_AFTER_STAGE = dt.timedelta(days=31)


def deadline_for(due_on: dt.date) -> dt.datetime:
    """The instant a due date ends: midnight at the start of the next day, Asia/Shanghai."""
    return dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time(0), tzinfo=DEADLINE_ZONE)


def local_today(now: dt.datetime | None = None) -> dt.date:
    from django.utils import timezone

    return (now or timezone.now()).astimezone(DEADLINE_ZONE).date()


# VC2023-SASAC-0007: the campaign, the authority's register, the number in it.
DEFAULT_FILING_NUMBER_PATTERN = "{campaign}-{authority}-{seq:04d}"


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def active(self) -> "CampaignQuerySet":
        return self.filter(is_active=True)


class Campaign(BilingualNameMixin, models.Model):
    """One run of the value-creation action: three stages and their deliverables."""

    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        help_text=_("Short code used in filing numbers, e.g. VC2023."),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300)
    # The notice the campaign implements is data: footers, packets and documents quote it
    # from here, so a next campaign (or a local commission's own) names its own document.
    notice = models.CharField(
        _("notice number"),
        max_length=200,
        default="国资发改革〔2022〕79号",
        help_text=_(
            "The number of the document this campaign implements, e.g. 国资发改革〔2022〕79号."
        ),
    )
    notice_title = models.CharField(
        _("notice title"),
        max_length=200,
        default="关于开展对标世界一流企业价值创造行动的通知",
        help_text=_("The title of the notice, without the book-title marks《》."),
    )
    notice_issuer = models.CharField(_("notice issued by"), max_length=100, default="国务院国资委")
    # How filing numbers read, as data: a commission may keep its own register's format.
    filing_number_pattern = models.CharField(
        _("filing number pattern"),
        max_length=100,
        default=DEFAULT_FILING_NUMBER_PATTERN,
        help_text=_(
            "{campaign} is the campaign's code, {authority} the authority's code, {seq} the "
            "number in the authority's register, e.g. {seq:04d} for 0007."
        ),
    )
    filing_number_patterns = models.JSONField(
        _("filing number pattern per authority"),
        default=dict,
        blank=True,
        help_text=_("Authority code → pattern, for authorities that number their own way."),
    )
    numbers_receipts = models.BooleanField(
        _("number stage summaries"),
        default=False,
        help_text=_(
            "Stage summaries are received (已接收) without a filing number unless this is set."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-is_active", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("timeline:campaign_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        patterns = [self.filing_number_pattern, *(self.filing_number_patterns or {}).values()]
        for pattern in patterns:
            if not isinstance(pattern, str) or "{seq" not in pattern:
                raise ValidationError(
                    {"filing_number_pattern": _("A filing number pattern must hold {seq}.")}
                )
            try:
                pattern.format(campaign="VC2023", authority="SASAC", seq=7)
            except (KeyError, IndexError, ValueError):
                raise ValidationError(
                    {
                        "filing_number_pattern": _("“%(pattern)s” is not a valid pattern.")
                        % {"pattern": pattern}
                    }
                ) from None

    def filing_number_pattern_for(self, authority_code: str) -> str:
        return (self.filing_number_patterns or {}).get(authority_code) or (
            self.filing_number_pattern
        )

    @property
    def notice_citation(self) -> str:
        """The notice as Chinese documents cite it: issuer, 《title》, （number）."""
        return f"{self.notice_issuer}《{self.notice_title}》（{self.notice}）"


class StageKind(models.TextChoices):
    DEPLOYMENT = "deployment", _("Research and deployment")
    IMPLEMENTATION = "implementation", _("Organisation and implementation")
    ASSESSMENT = "assessment", _("In-depth assessment")


STAGE_ORDER = [StageKind.DEPLOYMENT, StageKind.IMPLEMENTATION, StageKind.ASSESSMENT]


class Stage(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="stages"
    )
    kind = models.CharField(_("stage"), max_length=16, choices=StageKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["campaign_id", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="stage_one_per_kind"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="stage_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def number(self) -> int:
        return STAGE_ORDER.index(StageKind(self.kind)) + 1

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def validate_stages(stages: list[Stage]) -> None:
    """Stages in order deployment → implementation → assessment, each ending before the
    next begins."""
    by_kind = {StageKind(s.kind): s for s in stages}
    ordered = [by_kind[k] for k in STAGE_ORDER if k in by_kind]
    errors: list[ValidationError] = []
    for stage in ordered:
        if stage.ends_on < stage.starts_on:
            errors.append(
                ValidationError(
                    _("%(stage)s ends before it starts.") % {"stage": stage.get_kind_display()}
                )
            )
    for earlier, later in itertools.pairwise(ordered):
        if later.starts_on <= earlier.ends_on:
            errors.append(
                ValidationError(
                    _("%(later)s must start after %(earlier)s ends (%(date)s).")
                    % {
                        "later": later.get_kind_display(),
                        "earlier": earlier.get_kind_display(),
                        "date": earlier.ends_on.isoformat(),
                    }
                )
            )
    if errors:
        raise ValidationError(errors)


class DeliverableKind(models.TextChoices):
    PLAN = "plan", _("Implementation plan")
    STAGE_SUMMARY = "stage_summary", _("Stage summary")
    ASSESSMENT_REPORT = "assessment_report", _("Assessment report")


class DeliverableQuerySet(models.QuerySet["Deliverable"]):
    def active(self) -> "DeliverableQuerySet":
        return self.filter(campaign__is_active=True)

    def for_authority(self, authority_id: int | None) -> "DeliverableQuerySet":
        """What the enterprises of an authority owe: the campaign's deliverables and the
        authority's own (``Deliverable.applies_to`` is the same rule in Python)."""
        return self.filter(Q(authority__isnull=True) | Q(authority_id=authority_id))


class Deliverable(models.Model):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="deliverables"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DeliverableKind.choices)
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300)
    due_on = models.DateField(_("due date"))
    # A stage summary reports on a named period (2023 H1, the year 2023): its actuals are
    # judged at the period's end, never at the due date.
    period_starts_on = models.DateField(
        _("period starts on"),
        null=True,
        blank=True,
        help_text=_("For a stage summary: the first day of the period it reports on."),
    )
    period_ends_on = models.DateField(
        _("period ends on"),
        null=True,
        blank=True,
        help_text=_("For a stage summary: the last day of the period it reports on."),
    )
    # Annual summaries are the campaign's; a commission that wants half-yearly ones adds
    # its own, for its enterprises only.
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("only for authority"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_deliverables",
        help_text=_("Blank: every enterprise of the campaign files it."),
    )
    # A seasonal profile: the share of a year's amounts (profit) expected by the period's
    # end. Blank: amounts are judged on the full year only, never pro rata.
    expected_share = models.DecimalField(
        _("share of the year expected by the period's end"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Set only where the authority has a seasonal profile, e.g. 0.45 when 45 per cent "
            "of the year's profit is expected by the end of June."
        ),
    )

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["campaign_id", "due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)

    @property
    def period(self) -> Period | None:
        """The period a stage summary reports on (apps.timeline.periods names it)."""
        return period_of(self)

    def applies_to(self, authority_id: int | None) -> bool:
        """Whether the enterprises of this authority owe it: a campaign's deliverable is
        everyone's, an authority's own is its enterprises' alone. The same rule as
        ``DeliverableQuerySet.for_authority``."""
        return self.authority_id is None or self.authority_id == authority_id

    def clean(self) -> None:
        self.validate_dates(require_period=True)

    def validate_dates(self, *, require_period: bool = True) -> None:
        """The due date within (or just after) its stage; the period a stage summary reports
        on (required unless ``require_period`` is False: a campaign whose stages move checks
        its summaries set up before periods existed without demanding one)."""
        errors: dict[str, list[ValidationError]] = {}

        def refuse(field: str, message: Any) -> None:
            errors.setdefault(field, []).append(ValidationError(message))

        stage: Any = getattr(self, "stage", None) if self.stage_id else None
        if stage is not None and self.due_on is not None:
            if self.campaign_id and stage.campaign_id != self.campaign_id:
                raise ValidationError({"stage": _("The stage belongs to another campaign.")})
            if not (stage.starts_on <= self.due_on <= stage.ends_on + GRACE_AFTER_STAGE):
                refuse(
                    "due_on",
                    _(
                        "The due date must fall within its stage (%(start)s to %(end)s) or "
                        "within a month after it."
                    )
                    % {"start": stage.starts_on.isoformat(), "end": stage.ends_on.isoformat()},
                )
        self._clean_period(refuse, require=require_period)
        if errors:
            raise ValidationError(errors)

    def _clean_period(self, refuse: Any, *, require: bool) -> None:
        """A stage summary reports on a period: both its days, the period over by the due
        date and within the campaign's years. A plan or an assessment report has none."""
        start, end = self.period_starts_on, self.period_ends_on
        if self.kind != DeliverableKind.STAGE_SUMMARY:
            if start is not None or end is not None:
                field = "period_starts_on" if start is not None else "period_ends_on"
                refuse(field, _("Only a stage summary reports on a period: leave it empty."))
            if self.expected_share is not None:
                refuse("expected_share", _("Only a stage summary has an expected share."))
            return
        if start is None and require:
            refuse(
                "period_starts_on", _("Give the first day of the period the summary reports on.")
            )
        if end is None and require:
            refuse("period_ends_on", _("Give the last day of the period the summary reports on."))
        if self.expected_share is not None and not (0 < self.expected_share <= 1):
            refuse("expected_share", _("The expected share lies between 0 and 1, e.g. 0.45."))
        if start is None or end is None:
            return
        if start >= end:
            refuse("period_ends_on", _("The period must end after it starts."))
        if self.due_on is not None and end > self.due_on:
            refuse(
                "period_ends_on",
                _("The period must be over by the due date (%(date)s).")
                % {"date": self.due_on.isoformat()},
            )
        years = self._campaign_years()
        if years is not None and not (
            dt.date(years[0], 1, 1) <= start and end <= dt.date(years[1], 12, 31)
        ):
            refuse(
                "period_starts_on" if start.year < years[0] else "period_ends_on",
                _("The period must lie within the campaign's years (%(first)d to %(last)d).")
                % {"first": years[0], "last": years[1]},
            )

    def _campaign_years(self) -> tuple[int, int] | None:
        """The first stage's start year and the last stage's end year (None before the
        campaign has stages)."""
        if not self.campaign_id:
            return None
        bounds = Stage.objects.filter(campaign_id=self.campaign_id).aggregate(
            first=models.Min("starts_on"), last=models.Max("ends_on")
        )
        if bounds["first"] is None:
            return None
        return bounds["first"].year, bounds["last"].year


class AuthorityDeadline(models.Model):
    """A commission's own deadline for a deliverable, for all the enterprises it supervises."""

    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("deliverable"),
        on_delete=models.CASCADE,
        related_name="authority_deadlines",
    )
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("authority"),
        on_delete=models.CASCADE,
        related_name="deadlines",
    )
    due_on = models.DateField(_("local due date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("authority deadline")
        verbose_name_plural = _("authority deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "authority"], name="authority_deadline_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} · {self.deliverable} · {self.due_on}"


class Extension(models.Model):
    """One enterprise's extension of one deliverable, granted with a reason."""

    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("deliverable"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    due_on = models.DateField(_("extended due date"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "enterprise"], name="extension_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.deliverable} · {self.due_on}"
