"""Enterprise import (upload → preview → confirm), its templates, and the export.

Import is for administrators only; anyone else gets a 404, as for anything outside their
scope. The export serves whatever the user may see.
"""

import contextlib
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import User
from apps.core.http import client_ip
from apps.enterprises.models import Enterprise, FunctionalCategory
from apps.enterprises.rules import is_admin
from apps.registry.exporting import (
    csv_stream,
    export_rows,
    template_csv,
    template_xlsx,
    xlsx_bytes,
)
from apps.registry.forms import ImportUploadForm
from apps.registry.importing import (
    COLUMNS,
    MAX_ROWS,
    ImportResult,
    ParsedFile,
    read_import_file,
    validate_import,
)
from apps.registry.services import ImportRejected, enterprises_import

SESSION_KEY = "registry_import"
PREVIEW_CAP = 200
# An upload left without a confirmation is removed the next time anyone uploads.
STALE_AFTER_SECONDS = 24 * 60 * 60
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def _require_admin(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise Http404


def _imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _stored_path(file_id: str) -> Path:
    # The id comes from our own session, but a path is built from it: accept a UUID only.
    return _imports_dir() / f"{uuid.UUID(file_id)}.bin"


def _store(data: bytes) -> str:
    directory = _imports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - STALE_AFTER_SECONDS
    for old in directory.glob("*.bin"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    file_id = str(uuid.uuid4())
    _stored_path(file_id).write_bytes(data)
    return file_id


def _discard(request: HttpRequest) -> None:
    stored = request.session.pop(SESSION_KEY, None)
    if stored:
        with contextlib.suppress(KeyError, ValueError):
            _stored_path(stored["id"]).unlink(missing_ok=True)


def _load(request: HttpRequest) -> ParsedFile | str:
    """The file uploaded in this session, read again, or why it cannot be used."""
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return _("There is no uploaded file to import; upload it again.")
    try:
        data = _stored_path(stored["id"]).read_bytes()
    except (KeyError, ValueError, OSError):
        request.session.pop(SESSION_KEY, None)
        return _("The uploaded file is no longer available; upload it again.")
    parsed = read_import_file(data, name=stored.get("name", ""))
    if parsed.sha256 != stored.get("sha256"):
        _discard(request)
        return _("The uploaded file has changed since it was checked; upload it again.")
    return parsed


@dataclass(frozen=True)
class ColumnHelp:
    key: str
    label_zh: str
    required: bool
    description: str


def _columns() -> list[ColumnHelp]:
    return [ColumnHelp(c.key, c.label_zh, c.required, str(c.description)) for c in COLUMNS]


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        parsed = read_import_file(data, name=upload.name or "", size=upload.size)
        if parsed.errors:
            # Nothing to preview: an unreadable file, or one without the right header.
            for issue in parsed.errors:
                form.add_error("file", str(issue))
        else:
            _discard(request)
            request.session[SESSION_KEY] = {
                "id": _store(data),
                "sha256": parsed.sha256,
                "name": parsed.name,
            }
            return redirect("registry:import_preview")
    return render(
        request,
        "registry/import_upload.html",
        {"form": form, "columns": _columns(), "max_rows": MAX_ROWS},
    )


def _preview_context(parsed: ParsedFile, result: ImportResult) -> dict[str, Any]:
    categories = dict(FunctionalCategory.choices)

    def create_row(plan: Any) -> dict[str, Any]:
        v = plan.values
        return {
            "line": plan.line,
            "credit_code": v.credit_code,
            "name_zh": v.name_zh,
            "name_en": v.name_en,
            "authority_code": v.authority_code,
            "category": categories.get(v.category, v.category),
            "industry": v.industry,
            "parent_credit_code": v.parent_credit_code,
            "listed": v.listed,
        }

    def update_row(plan: Any) -> dict[str, Any]:
        return {
            "line": plan.line,
            "credit_code": plan.values.credit_code,
            "name_zh": plan.values.name_zh,
            "changes": [
                {"column": parsed.label(c.field), "before": c.before, "after": c.after}
                for c in plan.changes
            ],
        }

    return {
        "file_name": parsed.name,
        "counts": result.counts,
        "creates": [create_row(p) for p in result.creates[:PREVIEW_CAP]],
        "creates_more": max(0, len(result.creates) - PREVIEW_CAP),
        "updates": [update_row(p) for p in result.updates[:PREVIEW_CAP]],
        "updates_more": max(0, len(result.updates) - PREVIEW_CAP),
        # Every error, never capped: fixing them is the point of the page.
        "errors": result.errors,
        "warnings": result.warnings,
        "can_import": result.ok and (result.creates or result.updates),
    }


@login_required
@require_GET
def import_preview(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    parsed = _load(request)
    if isinstance(parsed, str):
        messages.error(request, parsed)
        return redirect("registry:import_upload")
    result = validate_import(parsed)
    return render(request, "registry/import_preview.html", _preview_context(parsed, result))


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    parsed = _load(request)
    if isinstance(parsed, str):
        messages.error(request, parsed)
        return redirect("registry:import_upload")
    try:
        outcome = enterprises_import(
            parsed=parsed, actor=request.user, ip_address=client_ip(request)
        )
    except ImportRejected as rejected:
        # The registry changed since the preview; the preview now shows why.
        messages.error(request, str(rejected))
        return redirect("registry:import_preview")
    _discard(request)
    messages.success(
        request,
        _("Imported: %(created)d created, %(updated)d updated.")
        % {"created": outcome.created, "updated": outcome.updated},
    )
    return redirect("registry:enterprise_list")


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    fmt = request.GET.get("format", "xlsx")
    lang = request.GET.get("lang", "zh")
    if fmt not in ("csv", "xlsx") or lang not in ("zh", "en"):
        raise Http404
    filename = f"enterprise-import-template-{lang}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(template_csv(lang), content_type=CSV_TYPE)
    else:
        response = HttpResponse(template_xlsx(lang), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filtered(
    request: HttpRequest, user: User, queryset: "QuerySet[Enterprise]"
) -> "QuerySet[Enterprise]":
    """The registry list's filters, applied as the list applies them (apps/registry/views.py):
    the list's "export" link passes its query string, so the file holds what the list shows."""
    try:
        from apps.registry.filters import EnterpriseFilter
    except ModuleNotFoundError as exc:
        if exc.name != "apps.registry.filters":
            raise
        return queryset
    filterset = EnterpriseFilter(request.GET or None, queryset=queryset, user=user)
    return filterset.qs if filterset.is_bound and filterset.is_valid() else queryset


@login_required
@require_GET
def export_enterprises(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    user = cast("User", request.user)  # login_required: never anonymous here
    queryset = _filtered(request, user, Enterprise.objects.for_user(user))
    lang = "en" if (get_language() or "").startswith("en") else "zh"
    rows = export_rows(queryset, lang)
    stamp: date = timezone.localdate()
    filename = f"enterprises-{stamp:%Y%m%d}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(rows, lang), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, lang), content_type=XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
