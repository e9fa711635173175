from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.enterprises.scopes import scope_for
from apps.filings.models import Attachment, Filing, FilingVersion


def get_filing_for_user(user: Any, pk: int, *, perm: str | None = None) -> Filing:
    """The filing, or 404 for anyone outside its enterprise or supervising authority (and
    for reviewers while it has never been submitted), and, with ``perm``, for anyone who
    may see it but not do that to it: a refusal reveals no more than a missing filing."""
    filing = get_object_or_404(
        Filing.objects.for_user(user).select_related(
            "enterprise__authority", "deliverable__campaign", "deliverable__stage"
        ),
        pk=pk,
    )
    if perm is not None and not user.has_perm(perm, filing):
        raise Http404
    return filing


def visible_versions(user: Any, filing: Filing) -> "Any":
    """Enterprise members see every version, the open draft included; reviewers only the
    frozen (submitted) ones."""
    versions = filing.versions.select_related("created_by", "submitted_by").order_by("number")
    if scope_for(user).enterprise_role(filing.enterprise_id) is None:
        versions = versions.frozen()
    return versions


def get_version_for_user(user: Any, filing: Filing, number: int) -> FilingVersion:
    return get_object_or_404(visible_versions(user, filing), number=number)


def get_attachment_for_user(user: Any, filing: Filing, pk: int) -> Attachment:
    """An attachment of a filing the user may see; a reviewer only one listed in a submitted
    version."""
    attachment = get_object_or_404(Attachment, filing=filing, pk=pk)
    if scope_for(user).enterprise_role(filing.enterprise_id) is not None:
        return attachment
    for content in visible_versions(user, filing).values_list("content", flat=True):
        if any(a.get("id") == attachment.pk for a in content.get("_attachments", [])):
            return attachment
    raise Http404
