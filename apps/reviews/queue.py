"""The review queue: an authority's filings as its reviewers work through them.

A filing enters the queue at its first submission and never leaves it (a filing still in its
first draft is the enterprise's alone). Each row carries its effective due date, computed in
the database so that the queue can filter ("overdue") and sort by it, and page by keyset at
any number of filings.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.enterprises.models import Authority, FunctionalCategory, Industry
from apps.filings.models import Filing
from apps.filings.workflow import State
from apps.reviews.bodies import ReviewingBody
from apps.reviews.models import Assignment, Decision, Outcome
from apps.timeline.models import Campaign, Deliverable, local_today
from apps.timeline.obligations import DueSource, effective_due_on

PAGE_SIZE = 50

OPEN = "open"
ALL = "all"
# The states a reviewer still has work in: the enterprise's answer to a return is awaited
# here too, so that nothing falls out of sight.
OPEN_STATES = (State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED)
STATE_CHOICES = [
    (OPEN, _("Open (submitted, under review, returned)")),
    (ALL, _("All")),
    *State.choices,
]

# Keyset orderings: each ends in the primary key, so that no two rows share a key.
ORDERINGS: dict[str, list[str]] = {
    "submitted": ["submitted_at", "id"],
    "-submitted": ["-submitted_at", "-id"],
    "due": ["due_on", "submitted_at", "id"],
}
SORT_CHOICES = [
    ("submitted", _("Submitted, oldest first")),
    ("-submitted", _("Submitted, newest first")),
    ("due", _("Due date, soonest first")),
]
DEFAULTS = {"state": OPEN, "sort": "submitted"}


# --- Selectors -----------------------------------------------------------------------------


def submitted_filings(body: ReviewingBody | Authority) -> QuerySet[Filing]:
    """The reviewing body's filings submitted at least once (an authority's, or what a
    group's subsidiaries file to it): what the queue lists, and the only filings its
    actions accept. (``submitted_at`` is set together with ``first_submitted_at`` and never
    cleared, so the keyset orderings never meet a NULL.)"""
    body = as_body(body)
    return Filing.objects.filter(body.filings_filter(), first_submitted_at__isnull=False)


def as_body(body: ReviewingBody | Authority) -> ReviewingBody:
    return body if isinstance(body, ReviewingBody) else ReviewingBody(authority=body)


def queue_filings(body: ReviewingBody | Authority) -> QuerySet[Filing]:
    """``submitted_filings`` with each row's effective due date, ``due_on``, in the
    precedence of ``apps.timeline.obligations.effective_due_on`` (the enterprise's
    extension, else the authority's deadline, else the campaign's date), and its parts
    ``extension_due_on`` and ``local_due_on``. Both come from left joins on unique keys, so
    rows never multiply, and the whole date is computed in the one query of the page."""
    body = as_body(body)
    authority = body.authority  # a group's subsidiaries keep their authority's deadlines
    return (
        submitted_filings(body)
        .alias(
            extension=FilteredRelation(
                "enterprise__extensions",
                condition=Q(enterprise__extensions__deliverable=F("deliverable")),
            ),
            local_deadline=FilteredRelation(
                "deliverable__authority_deadlines",
                condition=Q(deliverable__authority_deadlines__authority=authority),
            ),
        )
        .annotate(
            extension_due_on=F("extension__due_on"),
            local_due_on=F("local_deadline__due_on"),
            due_on=Coalesce(
                "extension__due_on",
                "local_deadline__due_on",
                "deliverable__due_on",
                output_field=DateField(),
            ),
        )
    )


# The open states first; a draft here is a withdrawn submission or an amendment.
COUNTED_STATES = (*OPEN_STATES, State.APPROVED, State.DRAFT)


def queue_state_counts(body: ReviewingBody | Authority) -> list[tuple[str, str, int]]:
    """(state, label, count) for every state, over the whole queue: one aggregate query."""
    counts = submitted_filings(body).aggregate(
        **{state.value: Count("pk", filter=Q(state=state)) for state in COUNTED_STATES}
    )
    return [(s.value, str(s.label), counts[s.value] or 0) for s in COUNTED_STATES]


def queue_reviewers(body: ReviewingBody | Authority) -> QuerySet[User]:
    """Who may be assigned to the body's filings: its active reviewers."""
    lookups = {f"memberships__{k}": v for k, v in as_body(body).membership_filter().items()}
    return (
        User.objects.filter(is_active=True, memberships__is_active=True, **lookups)
        .distinct()
        .order_by("full_name", "pk")
    )


def active_assignments() -> Prefetch[Any]:
    """Prefetch each filing's current reviewers as ``current_assignments`` (one query)."""
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.active().select_related("reviewer").order_by("created_at"),
        to_attr="current_assignments",
    )


@dataclass(frozen=True)
class QueueRow:
    """A filing as the queue shows it."""

    filing: Filing
    due_on: dt.date
    due_source: str
    reviewers: list[Any]
    filing_number: str | None
    overdue: bool

    def get_due_source_display(self) -> str:
        return str(DueSource(self.due_source).label)


def queue_rows(filings: list[Filing], *, now: dt.datetime | None = None) -> list[QueueRow]:
    """Rows of filings from ``queue_filings`` (with ``active_assignments`` prefetched), with
    the filing number of each version in force: one query for the page's rows (as a
    column of the queue's query it would be looked up for every row before sorting)."""
    today = local_today(now or timezone.now())
    numbers = dict(
        Decision.objects.filter(
            outcome=Outcome.APPROVE,
            version_id__in=[f.approved_version_id for f in filings if f.approved_version_id],
        ).values_list("version_id", "filing_number")
    )
    rows = []
    for filing in filings:
        row: Any = filing  # the annotations of queue_filings
        due_on, source = effective_due_on(
            filing.deliverable.due_on, row.local_due_on, row.extension_due_on
        )
        rows.append(
            QueueRow(
                filing=filing,
                due_on=due_on,
                due_source=source,
                reviewers=[a.reviewer for a in row.current_assignments],
                filing_number=numbers.get(filing.approved_version_id or 0),
                overdue=due_on < today and filing.approved_version_id is None,
            )
        )
    return rows


# --- Filters -------------------------------------------------------------------------------


class DeliverableChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # The same deliverable recurs in every campaign: name the campaign too.
        return f"{obj.title} · {obj.campaign.code}"


class DeliverableFilter(django_filters.ModelChoiceFilter):
    field_class = DeliverableChoiceField


class QueueFilter(django_filters.FilterSet):
    """The queue's filters and sort order, over ``queue_filings``. Always bound: a missing
    state or sort takes its default ("open", oldest submission first). ``user`` is the
    reader ("assigned to me")."""

    q = django_filters.CharFilter(method="search", label=_("Enterprise or credit code"))
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", label=_("State"), empty_label=None
    )
    campaign = django_filters.ModelChoiceFilter(
        field_name="deliverable__campaign",
        queryset=Campaign.objects.all(),
        label=_("Campaign"),
        empty_label=_("All campaigns"),
    )
    deliverable = DeliverableFilter(
        queryset=Deliverable.objects.select_related("campaign"),
        label=_("Deliverable"),
        empty_label=_("All deliverables"),
    )
    category = django_filters.ChoiceFilter(
        field_name="enterprise__category",
        choices=FunctionalCategory.choices,
        label=_("Functional category"),
        empty_label=_("All"),
    )
    industry = django_filters.ChoiceFilter(
        field_name="enterprise__industry",
        choices=Industry.choices,
        label=_("Industry section"),
        empty_label=_("All"),
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine", widget=forms.CheckboxInput, label=_("Assigned to me")
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", widget=forms.CheckboxInput, label=_("Overdue")
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="keep", label=_("Sort by"), empty_label=None
    )

    class Meta:
        model = Filing
        fields = ["q", "state", "campaign", "deliverable", "category", "industry", "mine",
                  "overdue", "sort"]  # fmt: skip

    def __init__(
        self,
        data: "QueryDict | None" = None,
        *args: Any,
        user: Any = None,
        now: dt.datetime | None = None,
        authority: Authority | None = None,
        **kwargs: Any,
    ) -> None:
        data = data.copy() if data is not None else QueryDict(mutable=True)
        for name, default in DEFAULTS.items():
            if not data.get(name):
                data[name] = default
        super().__init__(data, *args, **kwargs)
        if authority is not None:
            # The deliverables its enterprises owe: not another authority's own. (Set before
            # the form is built from the filters, below.)
            deliverables: Any = self.filters["deliverable"]
            deliverables.queryset = Deliverable.objects.select_related("campaign").for_authority(
                authority.pk
            )
        self.user = user
        self.now = now
        for field in self.form.fields.values():
            input_type = getattr(field.widget, "input_type", "")
            css = {
                "text": "form-control form-control-sm",
                "checkbox": "form-check-input",
            }.get(input_type, "form-select form-select-sm")
            field.widget.attrs.setdefault("class", css)

    def _valid_data(self) -> dict[str, Any]:
        """The values that passed validation: an invalid filter is left out (and its error
        shown), the others still apply, as in ``qs``."""
        self.is_valid()
        return self.form.cleaned_data

    def _narrowing(self) -> dict[str, Any]:
        """The filters in use other than the state and the sort."""
        return {
            name: value
            for name, value in self._valid_data().items()
            if name not in ("state", "sort") and value
        }

    @property
    def ordering(self) -> list[str]:
        return ORDERINGS[self._valid_data().get("sort") or DEFAULTS["sort"]]

    @property
    def states(self) -> list[str] | None:
        """The states the list holds when nothing but the state narrows it (its length is
        then a sum of ``queue_state_counts``, with no count of its own); else None."""
        if self._narrowing():
            return None
        state = self._valid_data().get("state") or ALL
        if state == ALL:
            return list(State.values)
        return [s.value for s in OPEN_STATES] if state == OPEN else [state]

    @property
    def narrowed(self) -> bool:
        """Whether anything beyond the default "open" narrows the list (for the empty state)."""
        return self._valid_data().get("state") not in (OPEN, ALL) or bool(self._narrowing())

    def search(self, queryset: QuerySet[Filing], name: str, value: str) -> QuerySet[Filing]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__credit_code__istartswith=value)
            | Q(enterprise__name_zh__icontains=value)
            | Q(enterprise__name_en__icontains=value)
        )

    def filter_state(self, queryset: QuerySet[Filing], name: str, value: str) -> QuerySet[Filing]:
        if value == ALL:
            return queryset
        if value == OPEN:
            return queryset.filter(state__in=OPEN_STATES)
        return queryset.filter(state=value)

    def filter_mine(self, queryset: QuerySet[Filing], name: str, value: bool) -> QuerySet[Filing]:
        if not value:
            return queryset
        if self.user is None or not self.user.is_authenticated:
            return queryset.none()
        return queryset.filter(
            Exists(Assignment.objects.active().filter(filing=OuterRef("pk"), reviewer=self.user))
        )

    def filter_overdue(
        self, queryset: QuerySet[Filing], name: str, value: bool
    ) -> QuerySet[Filing]:
        """Due date passed (its whole day, Beijing time) and not approved. An amendment
        under way is not overdue: the approved version stays in force meanwhile."""
        if not value:
            return queryset
        today = local_today(self.now or timezone.now())
        # ``due_on`` is the annotation of ``queue_filings``.
        return queryset.filter(Q(due_on__lt=today), approved_version__isnull=True)

    def keep(self, queryset: QuerySet[Filing], name: str, value: str) -> QuerySet[Filing]:
        """The sort order is read by the view (``ordering``), not filtered on."""
        return queryset
