"""Offline entry of the plan's tables: the Excel template of the open draft, and its upload.

Only the enterprise's editors and leads, while the filing has an open draft, see either:
anyone else gets the 404 of a filing that is not theirs to edit."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.exports import XLSX_TYPE
from apps.core.http import client_ip
from apps.filings.models import Filing
from apps.filings.selectors import get_filing_for_user
from apps.filings.services import EditConflict, FilingError, open_draft
from apps.plans.constants import INDICATORS, MAX_ROWS
from apps.plans.kind import PLAN
from apps.plans.offline import (
    MAX_UPLOAD_BYTES,
    SHEET_INDICATORS,
    SHEET_TASKS,
    CellError,
    plan_tables_save,
    read_upload,
    stale_message,
    template_bytes,
    template_filename,
)


def _plan_for_editor(request: HttpRequest, pk: int) -> Filing:
    filing = get_filing_for_user(request.user, pk, perm="filings.edit_draft")
    if filing.kind != PLAN:
        raise Http404
    return filing


@login_required
@never_cache
@require_GET
def offline_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft's two tables as an XLSX template, filled with what the draft holds now."""
    filing = _plan_for_editor(request, pk)
    draft = open_draft(filing)
    response = HttpResponse(template_bytes(filing=filing, draft=draft), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{template_filename(filing, draft)}"'
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def offline_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a filled-in template; on refusal, the list of cells to correct (nothing saved);
    on success both tables are saved and the editor shows them."""
    filing = _plan_for_editor(request, pk)
    draft = open_draft(filing)
    errors: list[CellError] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [CellError("", "", _("Choose the Excel file to upload."))]
        else:
            reading = read_upload(upload, size=upload.size, filing=filing, draft=draft)
            errors = reading.errors
            if reading.ok:
                try:
                    plan_tables_save(
                        filing=filing, sections=reading.sections,
                        base_revisions=reading.base_revisions, actor=request.user,
                        ip_address=client_ip(request),
                    )  # fmt: skip
                except EditConflict as exc:
                    # Someone saved between the reading and the save.
                    message = stale_message(exc.section, who=exc.changed_by, when=exc.changed_at)
                    errors = [CellError("", "", message)]
                except FilingError as exc:
                    messages.error(request, exc.message)
                    return redirect(filing)
                else:
                    messages.success(
                        request,
                        _("The core indicators and key tasks were read from the file and saved."),
                    )
                    return redirect("filings:section_edit", pk=filing.pk, section=INDICATORS)
    context: dict[str, Any] = {
        "filing": filing,
        "draft": draft,
        "errors": errors,
        "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
        "max_rows": MAX_ROWS,
        "sheet_indicators": SHEET_INDICATORS,
        "sheet_tasks": SHEET_TASKS,
    }
    return render(request, "plans/offline/upload.html", context)
