"""The attachment types each kind of deliverable asks for by default. A deliverable's own
types are rows (AttachmentType), made from these when it is created and editable after."""

from typing import Any

# (code, Chinese name, English name, required). The decision record is what the commission
# needs to accept a filing as the enterprise's own: its Party committee's or board's decision.
DECISION_RECORD = ("decision_record", "党委（党组）会议纪要或董事会决议",
                   "Minutes of the Party committee (leading Party members group) meeting or "
                   "board resolution", True)  # fmt: skip
BENCHMARK_REPORT = ("benchmark_report", "对标分析报告", "Benchmarking analysis report", False)
COVER_LETTER = ("cover_letter", "报送函", "Signed cover letter", False)
COVER_LETTER_CODE = COVER_LETTER[0]

DEFAULT_TYPES: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "plan": (DECISION_RECORD, BENCHMARK_REPORT, COVER_LETTER),
    "stage_summary": (DECISION_RECORD, COVER_LETTER),
    "assessment_report": (DECISION_RECORD, COVER_LETTER),
}


def attachment_types_ensure(deliverable: Any, *, model: Any = None) -> None:
    """Give a deliverable the default types of its kind if it declares none yet. ``model``
    is the AttachmentType class (a migration passes its historical one)."""
    if model is None:
        from apps.filings.models import AttachmentType

        model = AttachmentType
    if model.objects.filter(deliverable_id=deliverable.pk).exists():
        return
    model.objects.bulk_create(
        model(
            deliverable_id=deliverable.pk,
            code=code,
            name_zh=zh,
            name_en=en,
            required=required,
            order=order,
        )
        for order, (code, zh, en, required) in enumerate(DEFAULT_TYPES.get(deliverable.kind, ()))
    )
