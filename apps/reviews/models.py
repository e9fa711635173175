"""The authority's side of a filing: who reviews it, what they say about which version, what
they recommend, and the lead reviewer's decision with its filing number.

Recommendations and decisions are records: once written they never change (the database
refuses, see migration 0002)."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.enterprises.models import Authority
from apps.filings.describe import anchor_label
from apps.filings.kinds import registered_kinds
from apps.filings.models import Filing, FilingVersion
from apps.timeline.models import Campaign

COMMENT_MAX_LENGTH = 5000


class Outcome(models.TextChoices):
    """What a recommendation proposes and a decision does: the two ways a review ends.
    The values are the workflow actions they fire."""

    APPROVE = "approve", pgettext_lazy("decision", "File")
    RETURN = "return", _("Return for revision")


class AuthorityReviewSettings(models.Model):
    """How one authority organises its reviews. Created on demand: an authority without a
    row uses the defaults."""

    authority = models.OneToOneField(
        Authority,
        verbose_name=_("authority"),
        on_delete=models.CASCADE,
        related_name="review_settings",
    )
    reviewers_may_self_assign = models.BooleanField(
        _("reviewers may assign themselves"),
        default=False,
        help_text=_("Reviewers may take an unassigned filing without the lead reviewer."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("authority review settings")
        verbose_name_plural = _("authority review settings")
        ordering = ["authority__sort_order", "authority__code"]

    def __str__(self) -> str:
        return str(self.authority)


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def active(self) -> "AssignmentQuerySet":
        return self.filter(is_active=True)


class Assignment(models.Model):
    """A reviewer put on a filing. Removing one keeps the row (inactive) as history."""

    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    is_active = models.BooleanField(_("active"), default=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["filing_id", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "reviewer"],
                condition=Q(is_active=True),
                name="review_assignment_one_active",
                violation_error_message=_("This reviewer is already assigned to this filing."),
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "is_active"])]

    def __str__(self) -> str:
        return f"{self.filing} · {self.reviewer}"


class Comment(models.Model):
    """A reviewer's remark on one frozen version, on the whole of it or anchored to a
    section, a field, or a table row (``version.content[section]["rows"]`` item ``row_id``).
    Internal comments are for the authority's reviewers only."""

    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), on_delete=models.CASCADE, related_name="comments"
    )
    version = models.ForeignKey(
        FilingVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # TextField does not enforce max_length itself: the validator and the check do.
    body = models.TextField(_("comment"), validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])
    section = models.CharField(_("section"), max_length=64, blank=True)
    field = models.CharField(_("field"), max_length=64, blank=True)
    row_id = models.CharField(_("row"), max_length=64, blank=True)
    internal = models.BooleanField(
        _("internal"), default=True, help_text=_("Only the authority's reviewers see it.")
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="review_comment_has_body"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), COMMENT_MAX_LENGTH),
                name="review_comment_body_length",
            ),
            # A field or a row lies inside a section.
            models.CheckConstraint(
                condition=~Q(section="") | (Q(field="") & Q(row_id="")),
                name="review_comment_anchor_has_section",
            ),
        ]
        indexes = [models.Index(fields=["filing", "version", "internal"])]

    def __str__(self) -> str:
        # Not ``about``: a record's name (the audit trail keeps it) must not depend on the
        # language of the moment it was written.
        return f"{self.filing} · v{self.version.number} · #{self.pk}"

    @property
    def about(self) -> str:
        """What the comment is about, in words, named from its own version's content
        ("核心指标 · 资产负债率"); "" for the filing as a whole. What the audit trail and
        the history show, where ``anchor`` is the stored path."""
        if not self.section:
            return ""
        return anchor_label(
            registered_kinds().get(self.filing.kind),
            self.version.content,
            section=self.section,
            field=self.field,
            row_id=self.row_id,
        )

    @property
    def anchor(self) -> str:
        """The anchor as one path, e.g. ``indicators/rows/r3/baseline``."""
        parts = [self.section]
        if self.row_id:
            parts += ["rows", self.row_id]
        parts.append(self.field)
        return "/".join(p for p in parts if p)


class Recommendation(models.Model):
    """A reviewer's proposal to the lead reviewer on the version under review. Never changed:
    a reviewer who thinks again writes a new one."""

    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="recommendations"
    )
    version = models.ForeignKey(
        FilingVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("recommendation"), max_length=8, choices=Outcome.choices)
    reasoning = models.TextField(_("reasoning"))
    created_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reasoning=""), name="review_recommendation_has_reasoning"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filing} · v{self.version.number} · {self.get_outcome_display()}"


class Decision(models.Model):
    """The lead reviewer's decision on one version: filed (予以备案, with its 备案编号), received
    (已接收, a filing not on record: no number) or returned for revision. Never changed nor
    deleted (the database refuses)."""

    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="decisions"
    )
    version = models.ForeignKey(
        FilingVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("decision"), max_length=8, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    # NULL, not "", is "no number" (a return): the unique constraint below skips NULLs.
    filing_number = models.CharField(  # noqa: DJ001
        _("filing number"), max_length=40, null=True, blank=True
    )
    created_at = models.DateTimeField(_("decided"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing_number"],
                condition=Q(filing_number__isnull=False),
                name="review_decision_filing_number_unique",
            ),
            # A return has reasons and no number; an approval has a number, except the
            # receipt of a filing that is not on record (a stage summary).
            models.CheckConstraint(
                condition=(Q(outcome=Outcome.APPROVE) & ~Q(filing_number=""))
                | (Q(outcome=Outcome.RETURN, filing_number__isnull=True) & ~Q(reasons="")),
                name="review_decision_outcome_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filing} · v{self.version.number} · {self.get_outcome_display()}"

    @property
    def outcome_label(self) -> str:
        """予以备案 / 退回修改, or 已接收 for an approval that took no number (a receipt)."""
        if self.outcome == Outcome.APPROVE and not self.filing_number:
            return str(_("Received"))
        return str(self.get_outcome_display())


class FilingNumberSequence(models.Model):
    """The last filing number given for one campaign and authority. Numbers are taken under
    a row lock in the approving transaction, so they are unique and have no gaps."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="+"
    )
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("filing number sequence")
        verbose_name_plural = _("filing number sequences")
        ordering = ["campaign_id", "authority_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "authority"], name="review_filing_number_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.code} · {self.authority.code} · {self.last_number}"
