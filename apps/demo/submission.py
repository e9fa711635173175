"""What a demo enterprise states when it submits: a document number, a signatory and the
decision on the filing, with the decision record attached as a small generated PDF."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.filings.attachment_types import DECISION_RECORD
from apps.filings.models import AttachmentType, Filing
from apps.filings.services import Submission, attachment_add


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with one line of (ASCII) text and a correct cross-reference table."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_submission(filing: Filing) -> Submission:
    """A submission whose document number is unique for the enterprise (the filing and its
    number of versions keep it so)."""
    short = filing.enterprise.name_zh[:4] or "企业"
    number = f"{short}〔2023〕{filing.pk}-{filing.versions.count()}号"
    return Submission(
        document_number=number,
        signatory_name="王建国",
        signatory_title="董事长",
        decision_body="party_committee",
        decision_on=dt.date(2023, 3, 20),
    )


def attach_decision_record(filing: Filing, actor: Any) -> None:
    """Attach the decision record when the deliverable requires one and the draft has none."""
    code = DECISION_RECORD[0]
    if not AttachmentType.objects.filter(
        deliverable_id=filing.deliverable_id, code=code, required=True
    ).exists():
        return
    filing.refresh_from_db()
    draft = filing.draft
    listed = draft.content.get("_attachments", []) if draft else []
    if any(a.get("attachment_type") == code for a in listed):
        return
    upload = SimpleUploadedFile(
        "党委会议纪要.pdf", minimal_pdf("Minutes of the Party committee meeting (demo)")
    )
    attachment_add(filing=filing, upload=upload, actor=actor, attachment_type=code)
