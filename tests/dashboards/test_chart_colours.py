"""Charts name the status each series counts, so static/js/dashboards.js paints it in that
status's badge colours (one palette, in static/css/app.css)."""

from apps.dashboards.charts import national_chart, progress_chart
from apps.dashboards.selectors import NationalRow
from apps.enterprises.models import Authority


def test_progress_series_are_the_obligation_statuses_in_order() -> None:
    chart = progress_chart([])
    assert [d["status"] for d in chart["datasets"]] == [
        "not_started",
        "draft",
        "submitted",
        "under_review",
        "returned",
        "approved",
        "overdue",
    ]


def test_national_parts_wear_the_colours_of_their_status() -> None:
    row = NationalRow(authority=Authority(code="11", name_zh="北京市国资委"), enterprises=5)
    row.submitted, row.approved = 3, 1
    chart = national_chart([row])
    assert [(d["status"], d["data"]) for d in chart["datasets"]] == [
        ("approved", [1]),
        ("submitted", [2]),
        ("not_started", [2]),
    ]
