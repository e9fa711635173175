"""Chart descriptions for static/js/dashboards.js, written into the page with json_script.

A description is plain data (labels, datasets, a few switches); the script turns it into a
Chart.js configuration. Every chart also has a table with the same numbers beside it.

Colours are not chosen here: a dataset that counts one status names it (``status``), and the
script paints it with that status's colours from static/css/app.css (``--vc-status-*``), the
ones its badges wear; other datasets take the theme's series colours in order.
"""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from apps.dashboards.selectors import (
    GroupRow,
    IndicatorRow,
    NationalRow,
    ProgressRow,
    Trajectory,
)
from apps.timeline.models import Deliverable
from apps.timeline.obligations import ObligationStatus


def _dataset(label: Any, data: list[Any], **extra: Any) -> dict[str, Any]:
    return {"label": str(label), "data": data, **extra}


def progress_chart(rows: Sequence[ProgressRow]) -> dict[str, Any]:
    return {
        "type": "bar",
        "horizontal": True,
        "stacked": True,
        "integer": True,
        "labels": [f"{r.deliverable.title} · {r.deliverable.campaign.code}" for r in rows],
        "datasets": [
            _dataset(status.label, [r.counts[status.value] for r in rows], status=status.value)
            for status in ObligationStatus
        ],
    }


def indicator_chart(rows: Sequence[IndicatorRow], columns: Sequence[Deliverable]) -> dict[str, Any]:
    return {
        "type": "bar",
        "percent": True,
        "labels": [r.label for r in rows],
        "datasets": [
            _dataset(f"{d.title} · {d.campaign.code}", [r.cells[i].rate for r in rows])
            for i, d in enumerate(columns)
        ],
    }


def group_chart(rows: Sequence[GroupRow]) -> dict[str, Any]:
    """Enterprises as bars on the left axis, the on-track rate as a line on the right."""
    return {
        "type": "bar",
        "labels": [r.label for r in rows],
        "datasets": [
            _dataset(_("Enterprises"), [r.enterprises for r in rows], yAxisID="y"),
            _dataset(
                _("On-track rate (%)"),
                [r.results.rate for r in rows],
                type="line",
                yAxisID="percent",
            ),
        ],
        "secondPercentAxis": True,
        "integer": True,
    }


def trajectory_chart(data: Trajectory) -> dict[str, Any]:
    points = data.points
    return {
        "type": "line",
        "labels": [str(p.year) for p in points],
        "datasets": [
            _dataset(_("Baseline"), [p.baseline for p in points], showLine=False, pointRadius=6),
            _dataset(_("Target"), [p.target for p in points], borderDash=[6, 4]),
            _dataset(_("Actual"), [p.actual for p in points]),
            _dataset(_("Benchmark"), [p.benchmark for p in points], pointRadius=0),
        ],
    }


def national_chart(rows: Sequence[NationalRow]) -> dict[str, Any]:
    """Each authority's enterprises split three ways (the parts add up to the whole)."""
    # (attribute, label, the status whose colours the part wears)
    series = (
        ("approved", _("Filed"), ObligationStatus.APPROVED),
        ("pending", _("Submitted, not yet filed"), ObligationStatus.SUBMITTED),
        ("not_submitted", _("Not yet submitted"), ObligationStatus.NOT_STARTED),
    )
    return {
        "type": "bar",
        "stacked": True,
        "integer": True,
        "labels": [r.authority.name for r in rows],
        "datasets": [
            _dataset(label, [getattr(r, attr) for r in rows], status=status.value)
            for attr, label, status in series
        ],
    }
