"""A version downloaded as a Word document (see ``apps.filings.docx_export``)."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from apps.filings.docx_export import DOCX_CONTENT_TYPE, docx_filename, version_docx
from apps.filings.selectors import get_filing_for_user, get_version_for_user


def content_disposition(filename: str, fallback: str) -> str:
    """An attachment header every browser reads: an ASCII ``filename`` for old clients and
    the real (Chinese) name as RFC 5987 ``filename*``, percent-encoded UTF-8, so that no
    quote, semicolon or line break in a name can break out of the header."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@login_required
def version_docx_download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Anyone who may see the version; outsiders, and reviewers asking for a draft, get 404."""
    filing = get_filing_for_user(request.user, pk)
    version = get_version_for_user(request.user, filing, number)
    response = HttpResponse(version_docx(version), content_type=DOCX_CONTENT_TYPE)
    fallback = f"{filing.enterprise.credit_code}_v{version.number}.docx"
    response["Content-Disposition"] = content_disposition(docx_filename(version), fallback)
    response["X-Content-Type-Options"] = "nosniff"
    # A draft changes with every save, and any version is the reader's own business.
    response["Cache-Control"] = "private, no-store"
    return response
