"""The filings tests' simple kind and filing, plus helpers for more filings and versions."""

from typing import Any

from django.utils import timezone

from apps.accounts.models import User
from apps.enterprises.models import Enterprise
from apps.filings.models import Filing, FilingVersion, canonical_json, sha256_hex
from apps.filings.services import filing_save_section, filing_start, filing_transition
from apps.timeline.models import Deliverable
from tests.filings.conftest import a_submission, filing, simple_kind  # noqa: F401

# How to bring a fresh filing into each state (as in tests/filings/test_workflow.py).
PATHS: dict[str, tuple[str, ...]] = {
    "draft": (),
    "submitted": ("submit",),
    "under_review": ("submit", "start_review"),
    "returned": ("submit", "start_review", "return"),
    "approved": ("submit", "start_review", "approve"),
}


def submitted_filing(
    enterprise: Enterprise,
    deliverable: Deliverable,
    lead: User,
    *,
    reviewer: User | None = None,
) -> Filing:
    """Another enterprise's filing, started, filled and submitted by its lead (and put under
    review by ``reviewer`` if given). Needs the ``simple_kind`` fixture."""
    started = filing_start(enterprise=enterprise, deliverable=deliverable, actor=lead)
    filing_save_section(
        filing=started, section="note", data={"text": "已填写"}, base_revision=0, actor=lead
    )
    started = filing_transition(
        filing=started, action="submit", submission=a_submission(), actor=lead
    )
    if reviewer is not None:
        started = filing_transition(filing=started, action="start_review", actor=reviewer)
    return started


def frozen_version(of: Filing, content: dict[str, Any], by: User) -> FilingVersion:
    """A submitted version with this content, made directly: frozen versions are written
    once, so they are born with their fingerprint."""
    snapshot = canonical_json({"content": content})
    return FilingVersion.objects.create(
        filing=of,
        number=of.versions.count() + 1,
        content=content,
        snapshot=snapshot,
        sha256=sha256_hex(snapshot),
        created_by=by,
        submitted_by=by,
        submitted_at=timezone.now(),
    )
