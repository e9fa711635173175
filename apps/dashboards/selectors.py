"""What the dashboards count, each table a fixed handful of aggregate queries.

Nothing here walks enterprises or filings in Python: states, deadlines and indicator results
are counted by PostgreSQL (COUNT ... GROUP BY), so a page costs the same number of queries
for ten enterprises or ten thousand.

The progress table follows the timeline's obligation rules (apps.timeline.obligations): a
filing with a version in force is "approved"; "not started" and "draft" become "overdue"
once the effective due date (extension, else authority deadline, else campaign date) has
passed in Beijing time. The tests hold the two to the same figures.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from apps.core.i18n import in_language
from apps.core.numbers import parse_decimal
from apps.enterprises.models import Authority, Enterprise, FunctionalCategory, Industry
from apps.filings.models import Filing
from apps.indicators.models import Kind
from apps.plans.constants import CORE_BY_CODE, CORE_INDICATORS, INDICATORS
from apps.stages.models import IndicatorResult
from apps.timeline.models import (
    AuthorityDeadline,
    Deliverable,
    DeliverableKind,
    Extension,
    local_today,
)
from apps.timeline.obligations import ObligationStatus, filing_enterprises

# Deliverables whose submitted versions report indicator results.
REPORTING_KINDS = (DeliverableKind.STAGE_SUMMARY, DeliverableKind.ASSESSMENT_REPORT)
# Custom indicators differ per enterprise: counted together under one key.
CUSTOM = "custom"
ALL_STATUSES = [s.value for s in ObligationStatus]


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def active_deliverables(authority: Authority | None = None) -> list[Deliverable]:
    """The active campaigns' deliverables, in due order (one query). For an authority: those
    its enterprises owe (the campaign's and its own, not another authority's own)."""
    queryset = Deliverable.objects.active()
    if authority is not None:
        queryset = queryset.for_authority(authority.pk)
    return list(queryset.select_related("campaign").order_by("campaign__code", "due_on", "id"))


def scoped_enterprises(
    authority: Authority | None = None, *, category: str = "", industry: str = ""
) -> "QuerySet[Enterprise]":
    """The enterprises that owe deliverables (active group headquarters), narrowed."""
    queryset = filing_enterprises(Enterprise.objects.all())
    if authority is not None:
        queryset = queryset.filter(authority=authority)
    if category:
        queryset = queryset.filter(category=category)
    if industry:
        queryset = queryset.filter(industry=industry)
    return queryset


# --- Progress per deliverable -------------------------------------------------------------


@dataclass
class ProgressRow:
    deliverable: Deliverable
    due_on: dt.date  # the authority's own deadline when it set one
    counts: dict[str, int]  # ObligationStatus value -> enterprises
    total: int

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(s, self.counts[s]) for s in ALL_STATUSES]

    @property
    def handed_in(self) -> int:
        return sum(
            self.counts[s]
            for s in (
                ObligationStatus.SUBMITTED,
                ObligationStatus.UNDER_REVIEW,
                ObligationStatus.APPROVED,
            )
        )


def progress_rows(
    authority: Authority,
    deliverables: Sequence[Deliverable],
    enterprises: "QuerySet[Enterprise]",
    *,
    today: dt.date | None = None,
) -> list[ProgressRow]:
    """Enterprises per obligation status for each deliverable: four queries. Another
    authority's own deliverable is nobody's here: it gets no row."""
    deliverables = [d for d in deliverables if d.applies_to(authority.pk)]
    if not deliverables:
        return []
    today = today or local_today()
    ids = [d.pk for d in deliverables]
    total = enterprises.count()
    local = dict(
        AuthorityDeadline.objects.filter(authority=authority, deliverable_id__in=ids).values_list(
            "deliverable_id", "due_on"
        )
    )
    base_due = {d.pk: local.get(d.pk, d.due_on) for d in deliverables}

    # Filings: their status, and whether an unsubmitted one is late (its extension, else the
    # deliverable's date for this authority).
    extension_due = Extension.objects.filter(
        enterprise_id=OuterRef("enterprise_id"), deliverable_id=OuterRef("deliverable_id")
    ).values("due_on")[:1]
    due = Coalesce(
        Subquery(extension_due, output_field=DateField()),
        Case(
            *[When(deliverable_id=pk, then=Value(day)) for pk, day in base_due.items()],
            output_field=DateField(),
        ),
    )
    filing_groups = (
        Filing.objects.filter(enterprise__in=enterprises, deliverable_id__in=ids)
        .alias(due=due)
        .annotate(
            status=Case(
                When(approved_version__isnull=False, then=Value(ObligationStatus.APPROVED.value)),
                default=F("state"),
                output_field=CharField(),
            ),
            late=Case(
                When(Q(due__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .values_list("deliverable_id", "status", "late")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {d.pk: dict.fromkeys(ALL_STATUSES, 0) for d in deliverables}
    filed = dict.fromkeys(ids, 0)
    for deliverable_id, status, late, n in filing_groups:
        filed[deliverable_id] += n
        if status == ObligationStatus.DRAFT and late:
            status = ObligationStatus.OVERDUE
        counts[deliverable_id][status] += n

    # Not started: no filing at all. Late unless an extension says otherwise.
    extensions = (
        Extension.objects.filter(deliverable_id__in=ids, enterprise__in=enterprises)
        .filter(
            ~Exists(
                Filing.objects.filter(
                    enterprise_id=OuterRef("enterprise_id"),
                    deliverable_id=OuterRef("deliverable_id"),
                )
            )
        )
        .values_list("deliverable_id")
        .annotate(
            late=Count("pk", filter=Q(due_on__lt=today)),
            not_late=Count("pk", filter=Q(due_on__gte=today)),
        )
        .order_by()
    )
    extended = {d: (late, not_late) for d, late, not_late in extensions}
    rows = []
    for deliverable in deliverables:
        pk = deliverable.pk
        not_started = total - filed[pk]
        late_extended, not_late_extended = extended.get(pk, (0, 0))
        # Past the authority's date, every one is late but those with a later extension;
        # before it, only those whose extension (an earlier date) has passed.
        overdue = not_started - not_late_extended if base_due[pk] < today else late_extended
        counts[pk][ObligationStatus.NOT_STARTED] += not_started - overdue
        counts[pk][ObligationStatus.OVERDUE] += overdue
        rows.append(ProgressRow(deliverable, base_due[pk], counts[pk], total))
    return rows


# --- Indicator results --------------------------------------------------------------------


@dataclass
class Tally:
    reported: int = 0
    on_track: int = 0

    @property
    def rate(self) -> float | None:
        return rate(self.on_track, self.reported)

    def add(self, reported: int, on_track: int) -> None:
        self.reported += reported
        self.on_track += on_track


@dataclass
class IndicatorRow:
    code: str  # a core code, or CUSTOM
    label: str
    cells: list[Tally]  # one per reporting deliverable, in column order
    indicators: int = 0  # for CUSTOM: how many distinct custom indicators were reported

    @property
    def total(self) -> Tally:
        total = Tally()
        for cell in self.cells:
            total.add(cell.reported, cell.on_track)
        return total


def indicator_label(code: str, name_zh: str = "", name_en: str = "") -> str:
    core = CORE_BY_CODE.get(code)
    if core is not None:
        name_zh, name_en = core.name_zh, core.name_en
    return in_language(name_zh, name_en) or code


def current_results(
    *,
    deliverables: Sequence[Deliverable],
    authority: Authority | None = None,
    category: str = "",
    industry: str = "",
) -> "QuerySet[IndicatorResult]":
    """The results of each filing's latest submitted version for these deliverables, of the
    enterprises in scope (the same active groups as the progress table)."""
    queryset = IndicatorResult.objects.current().filter(
        deliverable_id__in=[d.pk for d in deliverables],
        enterprise__is_active=True,
        enterprise__parent__isnull=True,
    )
    if authority is not None:
        queryset = queryset.filter(authority=authority)
    if category:
        queryset = queryset.filter(enterprise__category=category)
    if industry:
        queryset = queryset.filter(enterprise__industry=industry)
    return queryset


TALLY = {
    "reported": Count("pk", filter=Q(on_track__isnull=False)),
    "on_track_n": Count("pk", filter=Q(on_track=True)),
}


def indicator_rows(
    results: "QuerySet[IndicatorResult]", deliverables: Sequence[Deliverable]
) -> list[IndicatorRow]:
    """On track / reported per core indicator and for the custom ones together, for each
    reporting deliverable: one query."""
    columns = {d.pk: i for i, d in enumerate(deliverables)}
    key = Case(When(core=True, then=F("code")), default=Value(CUSTOM), output_field=CharField())
    groups = (
        results.annotate(key=key)
        .values_list("deliverable_id", "key")
        .annotate(**TALLY, codes=Count("code", distinct=True))
        .order_by()
    )
    rows = {
        c.code: IndicatorRow(c.code, indicator_label(c.code), [Tally() for _ in deliverables])
        for c in CORE_INDICATORS
    }
    rows[CUSTOM] = IndicatorRow(CUSTOM, _("Custom indicators"), [Tally() for _ in deliverables])
    for deliverable_id, code, reported, on_track, codes in groups:
        row = rows.get(code)
        if row is None or deliverable_id not in columns:
            continue
        row.cells[columns[deliverable_id]].add(reported, on_track)
        if code == CUSTOM:
            row.indicators += codes
    return list(rows.values())


# --- Distribution by functional category and industry --------------------------------------


@dataclass
class GroupRow:
    value: str
    label: str
    enterprises: int = 0
    results: Tally = field(default_factory=Tally)


@dataclass
class Distribution:
    categories: list[GroupRow]
    industries: list[GroupRow]


def distribution(
    enterprises: "QuerySet[Enterprise]", results: "QuerySet[IndicatorResult]"
) -> Distribution:
    """Enterprises and the on-track rate per functional category and per industry section:
    two queries (each grouped by both, folded here)."""
    categories = {v: GroupRow(v, str(label)) for v, label in FunctionalCategory.choices}
    industries = {v: GroupRow(v, str(label)) for v, label in Industry.choices}
    for category, industry, n in (
        enterprises.values_list("category", "industry").annotate(n=Count("pk")).order_by()
    ):
        if category in categories:
            categories[category].enterprises += n
        if industry in industries:
            industries[industry].enterprises += n
    for category, industry, reported, on_track in (
        results.values_list("enterprise__category", "enterprise__industry")
        .annotate(**TALLY)
        .order_by()
    ):
        if category in categories:
            categories[category].results.add(reported, on_track)
        if industry in industries:
            industries[industry].results.add(reported, on_track)
    return Distribution(
        categories=list(categories.values()),
        # Sections without enterprises would only pad the chart: shown when they have some.
        industries=[row for row in industries.values() if row.enterprises or row.results.reported],
    )


# --- One enterprise's trajectory ------------------------------------------------------------


def to_number(value: Any) -> float | None:
    """A plan's numbers are decimal strings, read as everywhere (apps.core.numbers); anything
    else (blank, typo, an ambiguous "12,5") is no value."""
    number = parse_decimal(value)
    return None if number is None else float(number)


@dataclass
class TrajectoryPoint:
    year: int
    baseline: float | None
    target: float | None
    actual: float | None
    benchmark: float | None


@dataclass
class Trajectory:
    indicators: list[tuple[str, str]]  # (code, label) the enterprise has
    code: str
    label: str
    unit: str
    points: list[TrajectoryPoint]
    plan: Filing | None


def trajectory(
    enterprise: Enterprise,
    deliverables: Sequence[Deliverable],
    code: str = "",
) -> Trajectory:
    """Baseline, targets and benchmark from the enterprise's approved plan (its version in
    force), actuals from its current indicator results: two queries."""
    plan_ids = [d.pk for d in deliverables if d.kind == DeliverableKind.PLAN]
    plan = (
        Filing.objects.filter(
            enterprise=enterprise, deliverable_id__in=plan_ids, approved_version__isnull=False
        )
        .select_related("approved_version", "deliverable")
        .order_by("-deliverable__due_on", "-pk")
        .first()
    )
    plan_rows: list[dict[str, Any]] = []
    if plan is not None and plan.approved_version is not None:
        plan_rows = list(
            ((plan.approved_version.content or {}).get(INDICATORS) or {}).get("rows") or []
        )
    report_ids = [d.pk for d in deliverables if d.kind in REPORTING_KINDS]
    # The latest report of a year holds its figure (a second-half summary supersedes the
    # first half's): later due dates come last and overwrite.
    # A year's point is a whole year's figure; a shorter period's counts only for a ratio of
    # the period (half a year's profit is not the year's): the rule of apps.indicators.judging.
    results = list(
        IndicatorResult.objects.current()
        .filter(enterprise=enterprise, deliverable_id__in=report_ids)
        .filter(Q(full_year=True) | Q(kind=Kind.RATIO))
        .order_by("deliverable__due_on", "deliverable_id")
        .values_list("code", "name_zh", "name_en", "unit", "year", "actual", "baseline",
                     "target", "benchmark")
    )  # fmt: skip

    indicators: dict[str, tuple[str, str]] = {}
    for row in plan_rows:
        if row.get("code"):
            indicators[row["code"]] = (
                indicator_label(row["code"], row.get("name_zh") or "", row.get("name_en") or ""),
                str(row.get("unit") or ""),
            )
    for r_code, name_zh, name_en, unit, *_rest in results:
        indicators.setdefault(r_code, (indicator_label(r_code, name_zh, name_en), unit))
    if code not in indicators:
        code = next(iter(indicators), CORE_INDICATORS[0].code)
    label, unit = indicators.get(
        code, (indicator_label(code), CORE_BY_CODE[code].unit if code in CORE_BY_CODE else "")
    )

    baseline_year: int | None = None
    baseline: float | None = None
    benchmark: float | None = None
    targets: dict[int, float | None] = {}
    plan_row = next((r for r in plan_rows if r.get("code") == code), None)
    if plan_row is not None:
        raw_year = str(plan_row.get("baseline_year") or "")
        baseline_year = int(raw_year) if raw_year.isdigit() else None
        baseline = to_number(plan_row.get("baseline"))
        benchmark = to_number(plan_row.get("benchmark"))
        targets = {
            int(y): to_number(v)
            for y, v in (plan_row.get("targets") or {}).items()
            if str(y).isdigit()
        }
    actuals: dict[int, float | None] = {}
    for r_code, _zh, _en, _unit, year, actual, r_baseline, r_target, r_benchmark in results:
        if r_code != code:
            continue
        actuals[year] = float(actual) if actual is not None else None
        # Without an approved plan the reports still carry what they were measured against.
        if plan_row is None:
            targets.setdefault(year, float(r_target) if r_target is not None else None)
            if benchmark is None and r_benchmark is not None:
                benchmark = float(r_benchmark)
            if baseline is None and r_baseline is not None:
                baseline = float(r_baseline)
    years = sorted({*targets, *actuals, *([baseline_year] if baseline_year else [])})
    points = [
        TrajectoryPoint(
            year=year,
            baseline=baseline if year == baseline_year else None,
            target=targets.get(year),
            actual=actuals.get(year),
            benchmark=benchmark,
        )
        for year in years
    ]
    return Trajectory(
        indicators=[(c, name) for c, (name, _u) in indicators.items()],
        code=code,
        label=label,
        unit=unit,
        points=points,
        plan=plan,
    )


# --- National overview ----------------------------------------------------------------------


@dataclass
class NationalRow:
    authority: Authority
    enterprises: int = 0
    submitted: int = 0
    approved: int = 0
    overdue: int = 0
    results: Tally = field(default_factory=Tally)

    @property
    def not_submitted(self) -> int:
        return self.enterprises - self.submitted

    @property
    def pending(self) -> int:
        """Submitted and not (yet) approved: with the reviewers, or returned."""
        return self.submitted - self.approved


def headline_deliverable(
    deliverables: Sequence[Deliverable], chosen: Deliverable | None
) -> Deliverable | None:
    """The deliverable a per-authority table counts: the chosen one, else the first
    implementation plan of the active campaigns (else their first deliverable)."""
    if chosen is not None:
        return chosen
    return next(
        (d for d in deliverables if d.kind == DeliverableKind.PLAN),
        deliverables[0] if deliverables else None,
    )


def rate_deliverables(
    deliverables: Sequence[Deliverable], deliverable: Deliverable | None
) -> list[Deliverable]:
    """Whose indicator results give a per-authority table its on-track rate: the chosen
    report's, or (a plan has no results) every report's of the active campaigns."""
    if deliverable is not None and deliverable.kind in REPORTING_KINDS:
        return [deliverable]
    return [d for d in deliverables if d.kind in REPORTING_KINDS]


def national_rows(
    deliverable: Deliverable | None,
    report_deliverables: Sequence[Deliverable],
    *,
    authorities: Sequence[Authority] | None = None,
    category: str = "",
    industry: str = "",
    today: dt.date | None = None,
) -> list[NationalRow]:
    """Counts and rates per authority, never a name or a draft: a filing counts once it has
    been submitted (first_submitted_at); the rest are "not yet submitted", and overdue when
    their effective due date has passed. Five queries, and one for the authorities unless
    given (a province's roll-up passes itself and its cities); joins and small tables only:
    a correlated subquery per enterprise cost ten times as much on 5,000 enterprises."""
    today = today or local_today()
    if authorities is None:
        authorities = list(Authority.objects.order_by("sort_order", "code"))
        only: list[int] | None = None  # every authority: no need to narrow
    else:
        only = [a.pk for a in authorities]
    rows = {a.pk: NationalRow(a) for a in authorities}
    enterprises = scoped_enterprises(category=category, industry=industry)
    if only is not None:
        enterprises = enterprises.filter(authority_id__in=only)
    for authority_id, n in (
        enterprises.values_list("authority_id").annotate(n=Count("pk")).order_by()
    ):
        # An authority's own deliverable is expected of its enterprises alone.
        if deliverable is None or deliverable.applies_to(authority_id):
            rows[authority_id].enterprises = n
    if deliverable is not None:
        for authority_id, submitted, approved in (
            Filing.objects.filter(
                deliverable_id=deliverable.pk,
                enterprise__in=enterprises,
                first_submitted_at__isnull=False,
            )
            .values_list("enterprise__authority_id")
            .annotate(n=Count("pk"), approved=Count("pk", filter=Q(approved_version__isnull=False)))
            .order_by()
        ):
            rows[authority_id].submitted = submitted
            rows[authority_id].approved = approved
        # Not yet submitted and late: past the authority's date (its own, else the
        # campaign's) unless extended beyond today; before it, only if an extension ran out.
        deadlines = AuthorityDeadline.objects.filter(deliverable_id=deliverable.pk)
        if only is not None:
            deadlines = deadlines.filter(authority_id__in=only)
        local = dict(deadlines.values_list("authority_id", "due_on"))
        extended = {
            authority_id: (late, not_late)
            for authority_id, late, not_late in Extension.objects.filter(
                deliverable_id=deliverable.pk, enterprise__in=enterprises
            )
            .exclude(
                Exists(
                    Filing.objects.filter(
                        enterprise_id=OuterRef("enterprise_id"),
                        deliverable_id=deliverable.pk,
                        first_submitted_at__isnull=False,
                    )
                )
            )
            .values_list("enterprise__authority_id")
            .annotate(
                late=Count("pk", filter=Q(due_on__lt=today)),
                not_late=Count("pk", filter=Q(due_on__gte=today)),
            )
            .order_by()
        }
        for authority_id, row in rows.items():
            late, not_late = extended.get(authority_id, (0, 0))
            past_due = local.get(authority_id, deliverable.due_on) < today
            row.overdue = row.not_submitted - not_late if past_due else late
    results = current_results(
        deliverables=report_deliverables, category=category, industry=industry
    )
    if only is not None:
        results = results.filter(authority_id__in=only)
    for authority_id, reported, on_track in (
        results.values_list("authority_id").annotate(**TALLY).order_by()
    ):
        # A result keeps the authority it was filed to; an enterprise moved since may have
        # left it outside these rows.
        if authority_id in rows:
            rows[authority_id].results.add(reported, on_track)
    return list(rows.values())


def rows_sum(authority: Authority, rows: Iterable[NationalRow]) -> NationalRow:
    """One row adding up others (a province with its cities), under ``authority``."""
    total = NationalRow(authority)
    for row in rows:
        total.enterprises += row.enterprises
        total.submitted += row.submitted
        total.approved += row.approved
        total.overdue += row.overdue
        total.results.add(row.results.reported, row.results.on_track)
    return total


@dataclass
class AuthorityGroup:
    """A top-level authority's own row, its city commissions' rows, and (when it has any) a
    total of the province with its cities."""

    row: NationalRow
    cities: list[NationalRow]
    total: NationalRow | None

    @property
    def overall(self) -> NationalRow:
        """The province with its cities: what a national chart shows per authority."""
        return self.total or self.row

    @property
    def rows(self) -> list[NationalRow]:
        return [self.row, *self.cities]


def authority_groups(rows: Sequence[NationalRow]) -> list[AuthorityGroup]:
    """The rows arranged as the authorities are: each city commission under its province,
    in the rows' order. No query: the rows carry their authorities."""
    cities: dict[int, list[NationalRow]] = {}
    for row in rows:
        if row.authority.parent_id is not None:
            cities.setdefault(row.authority.parent_id, []).append(row)
    groups = []
    for row in rows:
        if row.authority.parent_id is not None:
            continue
        under = cities.pop(row.authority.pk, [])
        total = rows_sum(row.authority, [row, *under]) if under else None
        groups.append(AuthorityGroup(row, under, total))
    # A city whose province is not among the rows still shows, on its own.
    groups += [AuthorityGroup(r, [], None) for orphans in cities.values() for r in orphans]
    return groups


def province_rollup(
    province: Authority,
    deliverable: Deliverable | None,
    report_deliverables: Sequence[Deliverable],
    *,
    category: str = "",
    industry: str = "",
    today: dt.date | None = None,
) -> AuthorityGroup | None:
    """The province's own enterprises and each of its city commissions, counts only, or None
    when no city commission is under it: one query, six with cities."""
    authorities = list(
        Authority.objects.filter(Q(pk=province.pk) | Q(parent_id=province.pk)).order_by(
            "sort_order", "code"
        )
    )
    if len(authorities) < 2:
        return None
    # The province first, then its cities in their order.
    authorities.sort(key=lambda a: a.pk != province.pk)
    rows = national_rows(
        deliverable,
        report_deliverables,
        authorities=authorities,
        category=category,
        industry=industry,
        today=today,
    )
    return authority_groups(rows)[0]


def national_total(rows: Iterable[NationalRow]) -> dict[str, Any]:
    total: dict[str, Any] = {
        "enterprises": 0, "submitted": 0, "approved": 0, "overdue": 0, "results": Tally()
    }  # fmt: skip
    for row in rows:
        total["enterprises"] += row.enterprises
        total["submitted"] += row.submitted
        total["approved"] += row.approved
        total["overdue"] += row.overdue
        total["results"].add(row.results.reported, row.results.on_track)
    total["not_submitted"] = total["enterprises"] - total["submitted"]
    return total
