"""The roll-up annex a group's plan carries to its commission: each subsidiary that files to
the group, the state of its plan, its indicators' baselines and targets, and group totals
where they add up. Generated when the group's version is frozen and kept in it (content
``_rollup``), so the annex is part of what the commission files and of its fingerprint.

How totals are made (never an average of ratios):
- an amount (profit) is summed, for a figure every subsidiary gave;
- a ratio is recomputed from its components (numerator and denominator, e.g. liabilities
  and assets) where every subsidiary gave them: Σ numerator / Σ denominator (× 100 for a
  percentage);
- otherwise there is no total: each unit's figure is shown.
"""

from decimal import Decimal
from typing import Any

from apps.core.numbers import parse_decimal
from apps.enterprises.models import Enterprise
from apps.filings.kinds import ROLLUP_KEY as ROLLUP_KEY
from apps.groups.selectors import subsidiaries_by_tier

PLACES = Decimal("0.0001")
AMOUNT_KINDS = ("amount",)


def _text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.quantize(PLACES).normalize(), "f")


def _cells(row: dict[str, Any], years: list[str]) -> dict[str, Any]:
    targets = row.get("targets") or {}
    return {"baseline": row.get("baseline") or "", **{y: targets.get(y, "") for y in years}}


def _component(row: dict[str, Any], part: str, cell: str) -> Decimal | None:
    figures = ((row.get("components") or {}).get(part)) or {}
    value = (
        figures.get("baseline") if cell == "baseline" else (figures.get("targets") or {}).get(cell)
    )
    return parse_decimal(value)


def _all(values: list[Decimal | None]) -> list[Decimal] | None:
    """The figures, when every one was given; else None."""
    given = [v for v in values if v is not None]
    return given if len(given) == len(values) else None


def indicator_totals(
    rows: list[dict[str, Any]], years: list[str], *, kind: str, unit: str
) -> tuple[str, dict[str, str]]:
    """(how, {cell: total}) over the subsidiaries' rows of one indicator: "sum",
    "components" or "per_unit" (no total)."""
    cells = ["baseline", *years]
    if not rows:
        return "per_unit", {}
    totals: dict[str, str] = {}
    if kind in AMOUNT_KINDS:
        for cell in cells:
            values = _all([parse_decimal(_cells(r, years)[cell]) for r in rows])
            if values is not None:
                totals[cell] = _text(sum(values, Decimal(0)))
        return ("sum", totals) if totals else ("per_unit", {})
    scale = Decimal(100) if unit == "%" else Decimal(1)
    for cell in cells:
        numerators = _all([_component(r, "numerator", cell) for r in rows])
        denominators = _all([_component(r, "denominator", cell) for r in rows])
        if numerators is None or denominators is None or sum(denominators) == 0:
            continue
        totals[cell] = _text(sum(numerators, Decimal(0)) / sum(denominators, Decimal(0)) * scale)
    return ("components", totals) if totals else ("per_unit", {})


def rollup_annex(filing: Any, version: Any) -> dict[str, Any] | None:
    """The annex for a group headquarters' plan, or None (a subsidiary's plan, another kind,
    a group none of whose subsidiaries file to it)."""
    from apps.filings.models import Filing  # filings calls this while freezing

    group = filing.enterprise
    if filing.kind != "plan" or group.parent_id is not None:
        return None
    units: list[Enterprise] = [
        e for level in subsidiaries_by_tier(group).values() for e in level if e.files_to_group
    ]
    if not units:
        return None
    theirs = {
        f.enterprise_id: f
        for f in Filing.objects.filter(
            enterprise__in=units, deliverable_id=filing.deliverable_id, reviewing_group=group
        ).select_related("approved_version")
    }
    years = sorted(
        {
            str(y)
            for row in (version.content.get("indicators") or {}).get("rows") or []
            for y in (row.get("targets") or {})
        }
    )
    unit_entries = []
    by_code: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    accepted_rows: dict[str, list[dict[str, Any]]] = {}
    for unit in units:
        found = theirs.get(unit.pk)
        accepted = found.approved_version if found is not None else None
        unit_entries.append(
            {
                "enterprise_id": unit.pk,
                "name_zh": unit.name_zh,
                "name_en": unit.name_en,
                "credit_code": unit.credit_code,
                "state": found.state if found is not None else "not_started",
                "version": accepted.number if accepted is not None else None,
                "sha256": accepted.sha256 if accepted is not None else "",
            }
        )
        if accepted is None:
            continue
        for row in (accepted.content.get("indicators") or {}).get("rows") or []:
            if not row.get("core") or row.get("applicable") is False:
                continue
            code = str(row.get("code"))
            if code not in by_code:
                order.append(code)
                by_code[code] = {
                    "code": code,
                    "name_zh": row.get("name_zh") or "",
                    "name_en": row.get("name_en") or "",
                    "unit": row.get("unit") or "",
                    "kind": row.get("kind") or "amount",
                    "precision": row.get("precision"),
                    "per_unit": [],
                }
            by_code[code]["per_unit"].append({"enterprise_id": unit.pk, **_cells(row, years)})
            accepted_rows.setdefault(code, []).append(row)
    indicators = []
    for code in order:
        entry = by_code[code]
        # A total only over every accepted subsidiary: one missing makes it a partial sum.
        rows = accepted_rows[code]
        complete = len(rows) == sum(1 for u in unit_entries if u["version"] is not None)
        how, totals = indicator_totals(rows, years, kind=entry["kind"], unit=entry["unit"])
        entry.update({"how": how if complete else "per_unit", "total": totals if complete else {}})
        indicators.append(entry)
    return {"years": years, "units": unit_entries, "indicators": indicators}
