"""The plan's consistency rules (``apps.plans.constants.CONSISTENCY_RULES``) applied to an
indicator table.

The rules are data; this module only knows how each kind of rule reads a table. It is used
by the editor (on save: errors stop the save, warnings are shown after it) and by the
completeness check and ``apps.plans.content.warnings`` (on submit). It reads rows in their
normal form (``apps.plans.content.indicator_rows``) and imports nothing above constants.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from apps.core.i18n import in_language
from apps.core.numbers import format_cell, parse_decimal
from apps.indicators.judging import band_text
from apps.plans.constants import (
    CONSISTENCY_RULES,
    ConsistencyRule,
    Direction,
    NoSuddenJump,
    NotMoreThan,
    PlausibleFigures,
    Severity,
    TargetsFollowDirection,
    TargetYearsInOrder,
    core_of,
    figure_bounds,
    figure_places,
)
from apps.plans.fields import quoted, range_text


@dataclass(frozen=True)
class Issue:
    """One finding about one cell of the indicator table."""

    severity: Severity
    row: int  # the row's place in the normal form: the editor's row index
    row_id: str
    field: str  # the cell's field: "baseline", "target_2024", "baseline_year", "benchmark"
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass(frozen=True)
class Figure:
    field: str
    what: str  # "the baseline value", "the target for 2024"
    text: str  # as stored
    value: Decimal | None


def indicator_name(row: dict[str, Any], index: int) -> str:
    name = in_language(str(row.get("name_zh") or ""), str(row.get("name_en") or ""))
    return name or _("Indicator %(number)d") % {"number": index + 1}


def _shown(row: dict[str, Any], value: Decimal | str) -> str:
    return format_cell(value, str(row.get("unit") or ""), figure_places(row))


def _figure(field: str, what: str, text: Any) -> Figure:
    text = "" if text is None else str(text)
    return Figure(field, what, text, parse_decimal(text))


def baseline_and_targets(row: dict[str, Any]) -> list[Figure]:
    """The row's figures in time order: the baseline, then each year's target."""
    figures = [_figure("baseline", _("the baseline value"), row.get("baseline"))]
    for year, text in (row.get("targets") or {}).items():
        figures.append(
            _figure(f"target_{year}", _("the target for %(year)s") % {"year": year}, text)
        )
    return figures


def all_figures(row: dict[str, Any]) -> list[Figure]:
    return [
        *baseline_and_targets(row),
        _figure("benchmark", _("the benchmark value"), row.get("benchmark")),
    ]


def _filled(figures: Iterable[Figure]) -> list[Figure]:
    return [f for f in figures if f.value is not None]


# --- One function per kind of rule ----------------------------------------------------------


def _plausible(rule: PlausibleFigures, rows: list[dict[str, Any]]) -> Iterator[Issue]:
    for i, row in enumerate(rows):
        bounds = figure_bounds(row)
        name = indicator_name(row, i)
        for figure in all_figures(row):
            if not figure.text.strip():
                continue
            if figure.value is None:
                message = _("%(indicator)s, %(what)s: “%(value)s” is not a number.") % {
                    "indicator": name,
                    "what": figure.what,
                    "value": quoted(figure.text.strip()),
                }
            elif not bounds.contains(figure.value):
                message = _(
                    "%(indicator)s, %(what)s: %(value)s is outside the plausible range, %(range)s."
                ) % {
                    "indicator": name,
                    "what": figure.what,
                    "value": _shown(row, figure.value),
                    "range": range_text(bounds, str(row.get("unit") or "")),
                }
            else:
                continue
            yield Issue(rule.severity, i, str(row.get("id")), figure.field, message)


def _not_more_than(rule: NotMoreThan, rows: list[dict[str, Any]]) -> Iterator[Issue]:
    found = {
        core.code: (i, row) for i, row in enumerate(rows) if (core := core_of(row)) is not None
    }
    if rule.left not in found or rule.right not in found:
        return
    i, left = found[rule.left]
    j, right = found[rule.right]
    right_figures = {f.field: f for f in baseline_and_targets(right)}
    for figure in _filled(baseline_and_targets(left)):
        other = right_figures.get(figure.field)
        if other is None or other.value is None or figure.value is None:
            continue
        if figure.value > other.value:
            yield Issue(
                rule.severity,
                i,
                str(left.get("id")),
                figure.field,
                _(
                    "%(left)s cannot be more than %(right)s: for %(what)s, %(left_value)s "
                    "against %(right_value)s."
                )
                % {
                    "left": indicator_name(left, i),
                    "right": indicator_name(right, j),
                    "what": figure.what,
                    "left_value": _shown(left, figure.value),
                    "right_value": _shown(right, other.value),
                },
            )


def _years_in_order(
    rule: TargetYearsInOrder,
    rows: list[dict[str, Any]],
    stored_years: dict[str, list[str]],
) -> Iterator[Issue]:
    for i, row in enumerate(rows):
        row_id = str(row.get("id"))
        name = indicator_name(row, i)
        years = [y.strip() for y in stored_years.get(row_id, list(row.get("targets") or {}))]
        seen: set[str] = set()
        for year in years:
            if year in seen:
                yield Issue(
                    rule.severity, i, row_id, f"target_{year}",
                    _("%(indicator)s: the target for %(year)s is given more than once.")
                    % {"indicator": name, "year": year},
                )  # fmt: skip
            seen.add(year)
        numbers = [int(y) for y in years if y.isdigit()]
        # Distinct but out of order (a repeated year is reported above).
        if len(set(numbers)) == len(numbers) and numbers != sorted(numbers):
            yield Issue(
                rule.severity, i, row_id, f"target_{years[0]}",
                _("%(indicator)s: the targets are not in year order (%(years)s).")
                % {"indicator": name, "years": ", ".join(years)},
            )  # fmt: skip
        baseline_year = str(row.get("baseline_year") or "").strip()
        if numbers and baseline_year.isdigit() and int(baseline_year) >= min(numbers):
            yield Issue(
                rule.severity, i, row_id, "baseline_year",
                _(
                    "%(indicator)s: the baseline year %(baseline_year)s must come before the "
                    "first target year, %(year)s."
                ) % {"indicator": name, "baseline_year": baseline_year, "year": min(numbers)},
            )  # fmt: skip


def _worse(direction: str, value: Decimal, than: Decimal) -> bool:
    return value > than if direction == Direction.LOWER else value < than


def _outside_band(row: dict[str, Any], i: int, rule: TargetsFollowDirection) -> Iterator[Issue]:
    """A band indicator (the debt-to-asset ratio) has no better side: a target must stay
    within its band, under the industry's warning line."""
    lower, upper = parse_decimal(row.get("band_lower")), parse_decimal(row.get("band_upper"))
    for figure in _filled(baseline_and_targets(row)[1:]):
        assert figure.value is not None
        if (lower is not None and figure.value < lower) or (
            upper is not None and figure.value > upper
        ):
            yield Issue(
                rule.severity, i, str(row.get("id")), figure.field,
                _("%(indicator)s: %(what)s (%(value)s) is outside its band, %(band)s.") % {
                    "indicator": indicator_name(row, i), "what": figure.what,
                    "value": _shown(row, figure.value), "band": band_text(row),
                },
            )  # fmt: skip


def _follow_direction(rule: TargetsFollowDirection, rows: list[dict[str, Any]]) -> Iterator[Issue]:
    for i, row in enumerate(rows):
        direction = str(row.get("direction") or Direction.HIGHER)
        if direction == Direction.BAND:
            yield from _outside_band(row, i, rule)
            continue
        template = (
            _(
                "%(indicator)s: %(what)s (%(value)s) is above %(other)s (%(other_value)s), "
                "though lower is better."
            )
            if direction == Direction.LOWER
            else _(
                "%(indicator)s: %(what)s (%(value)s) is below %(other)s (%(other_value)s), "
                "though higher is better."
            )
        )
        first, *rest = baseline_and_targets(row)
        baseline = first if first.value is not None else None
        targets = _filled(rest)
        previous: Figure | None = None
        for figure in targets:
            assert figure.value is not None
            # The previous year's target first: it is the nearer step.
            for other in (previous, baseline):
                if (
                    other is not None
                    and other.value is not None
                    and _worse(direction, figure.value, other.value)
                ):
                    yield Issue(
                        rule.severity, i, str(row.get("id")), figure.field,
                        template % {
                            "indicator": indicator_name(row, i), "what": figure.what,
                            "value": _shown(row, figure.value), "other": other.what,
                            "other_value": _shown(row, other.value),
                        },
                    )  # fmt: skip
                    break
            previous = figure


def _no_sudden_jump(rule: NoSuddenJump, rows: list[dict[str, Any]]) -> Iterator[Issue]:
    for i, row in enumerate(rows):
        figures = _filled(baseline_and_targets(row))
        for before, after in pairwise(figures):
            assert before.value is not None and after.value is not None
            small, large = sorted((abs(before.value), abs(after.value)))
            # A zero has no ratio; a change of sign is judged by size alone.
            if small == 0 or large <= small * rule.factor:
                continue
            yield Issue(
                rule.severity, i, str(row.get("id")), after.field,
                _(
                    "%(indicator)s: %(what)s (%(value)s) differs from %(other)s "
                    "(%(other_value)s) by a factor of more than %(factor)s; check the unit "
                    "and the decimal point."
                ) % {
                    "indicator": indicator_name(row, i), "what": after.what,
                    "value": _shown(row, after.value), "other": before.what,
                    "other_value": _shown(row, before.value), "factor": rule.factor,
                },
            )  # fmt: skip


def _field_order(issue: Issue) -> tuple[int, int, str]:
    if issue.field == "baseline_year":
        return (issue.row, 0, "")
    if issue.field == "baseline":
        return (issue.row, 1, "")
    if issue.field.startswith("target_"):
        return (issue.row, 2, issue.field)
    return (issue.row, 3, issue.field)


def check_indicators(
    rows: list[dict[str, Any]],
    *,
    stored_years: dict[str, list[str]] | None = None,
    rules: Iterable[ConsistencyRule] = CONSISTENCY_RULES,
) -> list[Issue]:
    """Every finding of ``rules`` about the indicator ``rows`` (in their normal form), in
    the table's order. ``stored_years`` gives, per row id, the target years as they were
    stored (the normal form has put them in order already)."""
    issues: list[Issue] = []
    for rule in rules:
        if isinstance(rule, PlausibleFigures):
            issues.extend(_plausible(rule, rows))
        elif isinstance(rule, NotMoreThan):
            issues.extend(_not_more_than(rule, rows))
        elif isinstance(rule, TargetYearsInOrder):
            issues.extend(_years_in_order(rule, rows, stored_years or {}))
        elif isinstance(rule, TargetsFollowDirection):
            issues.extend(_follow_direction(rule, rows))
        elif isinstance(rule, NoSuddenJump):
            issues.extend(_no_sudden_jump(rule, rows))
    return sorted(issues, key=_field_order)
