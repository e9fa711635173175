"""Filing pages, the same for every kind: overview, section editor, check your answers,
actions, versions and their comparison, history, attachments."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.core.http import client_ip
from apps.enterprises.selectors import get_enterprise_for_user
from apps.filings import services
from apps.filings.attachments import ACCEPT, FORMATS_LABEL, AttachmentRejected, stored_path
from apps.filings.describe import describe
from apps.filings.diff import content_diff, from_summary
from apps.filings.error_summary import error_summary
from apps.filings.kinds import ATTACHMENTS_KEY, ROLLUP_KEY, FilingKind, Section, get_kind
from apps.filings.models import AttachmentType, Filing, FilingVersion
from apps.filings.panels import anchor_notes, anchor_notes_key, diff_notes, filing_panels
from apps.filings.progress import section_tasks
from apps.filings.selectors import (
    get_attachment_for_user,
    get_filing_for_user,
    get_version_for_user,
    version_in_question,
    version_standing,
    visible_versions,
)
from apps.filings.services import open_draft
from apps.filings.submission_form import (
    SubmissionForm,
    submission_error_links,
    submission_form_errors,
)
from apps.filings.workflow import TRANSITIONS, Action, State, actions_from
from apps.timeline.selectors import get_deliverable_for_enterprise

VIA_REVIEW = {t.action for t in TRANSITIONS if t.via_review}

# Actions whose button asks for a reason (kept in the history and shown to the enterprise).
REASON_REQUIRED = {Action.RETURN}


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _is_member(request: HttpRequest, filing: Filing) -> bool:
    return bool(request.user.has_perm("filings.view_drafts", filing))


def _available_actions(request: HttpRequest, filing: Filing) -> list[Any]:
    """The buttons of the filing page; decisions are made in the review panel."""
    roles = services.filing_roles(request.user, filing)
    return [t for t in actions_from(filing.state) if roles & set(t.roles) and not t.via_review]


def _sections_with_data(
    kind: FilingKind, content: dict[str, Any], filing: Filing
) -> list[tuple[Section, dict[str, Any]]]:
    return [(s, content.get(s.key) or {}) for s in kind.sections]


@login_required
@require_POST
def filing_start(request: HttpRequest, credit_code: str, deliverable_pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, credit_code)
    # Another authority's own deliverable is not this enterprise's: a 404, like a stranger's.
    deliverable = get_deliverable_for_enterprise(enterprise, deliverable_pk)
    try:
        filing = services.filing_start(
            enterprise=enterprise, deliverable=deliverable, actor=request.user,
            ip_address=client_ip(request),
        )  # fmt: skip
    except services.FilingError as exc:
        messages.error(request, exc.message)
        return redirect(enterprise)
    except LookupError:
        messages.error(request, _("This kind of filing cannot be written online yet."))
        return redirect(enterprise)
    return redirect(filing)


@login_required
# The task list follows each save: a page restored from the browser's back-forward cache
# would show the statuses from before the last save.
@never_cache
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk)
    kind = get_kind(filing.kind)
    member = _is_member(request, filing)
    draft = filing.draft if member and filing.draft_id else None
    # One version is the page's subject: its heading, its content, the comments beside it
    # and the review panel all name the same one (see the selector's rule).
    shown = version_in_question(request.user, filing)
    in_force = filing.approved_version
    missing = kind.completeness(draft.content, filing) if draft else []
    notes = anchor_notes(request, filing, shown)
    return render(
        request,
        "filings/detail.html",
        {
            "filing": filing,
            "kind": kind,
            "member": member,
            "draft": draft,
            "shown": shown,
            "standing": version_standing(filing, shown) if shown else "",
            # The version in force, where it is another one than the version shown.
            "other_in_force": in_force if shown and in_force and in_force.pk != shown.pk else None,
            "notes_by_anchor": notes,
            "notes_key": anchor_notes_key(notes),
            "missing": missing,
            "missing_sections": {m.section for m in missing},
            "tasks": section_tasks(kind, draft.content, filing, missing) if draft else None,
            "actions": _available_actions(request, filing),
            "can_edit": request.user.has_perm("filings.edit_draft", filing),
            "sections": _sections_with_data(kind, shown.content, filing) if shown else [],
            "attachments": _typed(filing, shown.content.get(ATTACHMENTS_KEY, []) if shown else []),
            # A group's plan: the roll-up annex frozen with it (apps.groups.rollup).
            "rollup": shown.content.get(ROLLUP_KEY) if shown else None,
            "panels": filing_panels(request, filing),
            "timeline": filing.events.exclude(to_state="")
            .filter(internal=False)
            .select_related("actor", "version")
            .order_by("created_at", "id"),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk, perm="filings.edit_draft")
    kind = get_kind(filing.kind)
    spec = kind.section(section)
    if spec is None:
        raise Http404
    draft = open_draft(filing)
    revision = int(draft.revisions.get(section, 0))
    content = draft.content.get(section) or {}
    conflict = None
    saved = False
    refused = False
    if request.method == "POST":
        form = spec.form_class(request.POST, content=content, filing=filing)
        wants_more_rows = getattr(form, "wants_more_rows", False)
        valid = form.is_valid()
        refused = not valid and not wants_more_rows
        if valid and not wants_more_rows:
            try:
                base = int(request.POST.get("base_revision", "-1"))
            except ValueError:
                base = -1
            try:
                draft = services.filing_save_section(
                    filing=filing, section=section, data=form.to_content(), base_revision=base,
                    actor=request.user, ip_address=client_ip(request),
                )  # fmt: skip
            except services.EditConflict as exc:
                conflict = exc
            except services.FilingError as exc:
                messages.error(request, exc.message)
                return redirect(filing)
            else:
                saved = True
                revision = int(draft.revisions.get(section, 0))
                if "save_next" in request.POST:
                    keys = [s.key for s in kind.sections]
                    following = keys[keys.index(section) + 1 :]
                    target = (
                        reverse("filings:section_edit", args=[filing.pk, following[0]])
                        if following
                        else reverse("filings:check", args=[filing.pk])
                    )
                    if _is_htmx(request):
                        return HttpResponseClientRedirect(target)
                    return redirect(target)
                form = spec.form_class(content=draft.content.get(section) or {}, filing=filing)
    else:
        form = spec.form_class(content=content, filing=filing)
    missing = kind.completeness(draft.content, filing)
    context = {
        "filing": filing,
        "kind": kind,
        "section": spec,
        "form": form,
        "revision": revision,
        "conflict": conflict,
        "saved": saved,
        "missing": missing,
        "missing_sections": {m.section for m in missing},
        "tasks": section_tasks(kind, draft.content, filing, missing),
        # A refused save: the summary above the form links to each field in error.
        "errors": error_summary(form, spec) if refused else [],
        # An htmx answer also refreshes the section list and the status region beside it.
        "partial": _is_htmx(request),
        **kind.editor_context(section, filing),
    }
    template = "filings/_editor_form.html" if _is_htmx(request) else "filings/edit.html"
    return render(request, template, context)


@login_required
def check_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the draft says, what is still missing, and the submit form."""
    filing = get_filing_for_user(request.user, pk, perm="filings.edit_draft")
    return _render_check(request, filing, SubmissionForm(), {})


def _attachment_types(filing: Filing, listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The deliverable's attachment types with the draft's files of each."""
    return [
        {"type": t, "files": [a for a in listed if a.get("attachment_type") == t.code]}
        for t in AttachmentType.objects.filter(deliverable_id=filing.deliverable_id)
    ]


def _typed(filing: Filing, listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The listed attachments, each with the name of its type (in the reader's language)."""
    names = {
        t.code: t.name for t in AttachmentType.objects.filter(deliverable_id=filing.deliverable_id)
    }
    return [{**a, "type_name": names.get(a.get("attachment_type", ""), "")} for a in listed]


def _render_check(
    request: HttpRequest, filing: Filing, form: SubmissionForm, errors: dict[str, str]
) -> HttpResponse:
    kind = get_kind(filing.kind)
    draft = open_draft(filing)
    missing = kind.completeness(draft.content, filing)
    listed = draft.content.get(ATTACHMENTS_KEY, [])
    return render(
        request,
        "filings/check.html",
        {
            "filing": filing,
            "kind": kind,
            "draft": draft,
            "missing": missing,
            "warnings": kind.warnings(draft.content, filing) if not missing else [],
            "sections": _sections_with_data(kind, draft.content, filing),
            "attachments": listed,
            "attachment_types": _attachment_types(filing, listed),
            "missing_types": services.missing_attachment_types(filing, draft.content),
            "can_submit": any(
                t.action == Action.SUBMIT for t in _available_actions(request, filing)
            ),
            "submission_form": form,
            "errors": submission_error_links(form, errors, "attachment-type"),
        },
    )


@login_required
@require_POST
def filing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk)
    if action not in Action.values or action in VIA_REVIEW:
        raise Http404  # decisions are recorded through the review (reviews:decide)
    reason = request.POST.get("reason", "").strip()
    if action in REASON_REQUIRED and not reason:
        messages.error(request, _("Give the reasons: the enterprise needs to know what to change."))
        return redirect(filing)
    if action == Action.SUBMIT and request.POST.get("confirm") != "yes":
        # The page again with what was typed, the missing tick named and linked.
        error = {"confirm": _("Tick the confirmation before submitting.")}
        return _render_check(request, filing, SubmissionForm(request.POST), error)
    details = None
    if action == Action.SUBMIT and filing.draft_id:
        flagged = get_kind(filing.kind).warnings(open_draft(filing).content, filing)
        if flagged and request.POST.get("acknowledge") != "yes":
            messages.error(
                request, _("Some figures are flagged: check them, then tick that you have.")
            )
            return redirect("filings:check", pk=filing.pk)
        # The history keeps what the lead confirmed having checked.
        details = {"acknowledged": [str(w.message) for w in flagged]} if flagged else None
    form = SubmissionForm(request.POST) if action == Action.SUBMIT else None
    try:
        services.filing_transition(
            filing=filing, action=action, actor=request.user, ip_address=client_ip(request),
            reason=reason, details=details,
            submission=form.submission() if form is not None else None,
        )  # fmt: skip
    except services.SubmissionRefused as exc:
        # The page again, with what was typed and each gap named and linked.
        assert form is not None
        submission_form_errors(form, exc.errors)
        return _render_check(request, filing, form, exc.errors)
    except services.Incomplete as exc:
        messages.error(request, exc.message)
        return redirect("filings:check", pk=filing.pk)
    except services.FilingError as exc:
        messages.error(request, exc.message)
        return redirect(filing)
    messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect(filing)


@login_required
def version_list(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk)
    versions = list(visible_versions(request.user, filing))
    return render(request, "filings/versions.html", {"filing": filing, "versions": versions})


@login_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk)
    version = get_version_for_user(request.user, filing, number)
    kind = get_kind(filing.kind)
    return render(
        request,
        "filings/version.html",
        {
            "filing": filing,
            "kind": kind,
            "version": version,
            "sections": _sections_with_data(kind, version.content, filing),
            "attachments": _typed(filing, version.content.get(ATTACHMENTS_KEY, [])),
            "rollup": version.content.get(ROLLUP_KEY),
        },
    )


@login_required
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk)
    versions = list(visible_versions(request.user, filing))
    by_number = {v.number: v for v in versions}
    for name in ("a", "b"):
        raw = request.GET.get(name, "")
        if raw and (not raw.isdigit() or int(raw) not in by_number):
            raise Http404  # a version that is not theirs to see
    if len(versions) < 2:
        return render(request, "filings/diff.html", {"filing": filing, "versions": versions})

    def pick(name: str, default: FilingVersion) -> FilingVersion:
        raw = request.GET.get(name, "")
        return by_number[int(raw)] if raw else default

    left = pick("a", versions[-2])
    right = pick("b", versions[-1])
    kind = get_kind(filing.kind)

    def compare() -> dict[str, Any]:
        sections = describe(kind, content_diff(left.content, right.content, kind))
        return {"sections": sections, "count": sum(s.count for s in sections)}

    return render(
        request,
        "filings/diff.html",
        {
            "filing": filing,
            "versions": versions,
            "left": left,
            "right": right,
            # Lazy: two frozen versions never change, and their rendered comparison is
            # cached; the diff is only computed when the cache misses.
            "comparison": SimpleLazyObject(compare),
            "cacheable": left.is_frozen and right.is_frozen,
            "notes": diff_notes(request, filing, left, right),
        },
    )


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk)
    events = filing.events.select_related("actor", "version").order_by("-created_at", "-id")
    member = _is_member(request, filing)
    if member:
        events = events.filter(internal=False)
    else:
        # Reviewers read submitted versions, never drafts, so not the draft edits either.
        events = events.exclude(action__in=["edit", "attachments"])
    kind = get_kind(filing.kind)
    entries = []
    for event in events[:500]:
        # Draft edits recorded what changed; described now, in the reader's language.
        changes = event.data.get("changes") if isinstance(event.data, dict) else None
        on = event.version.content if event.version else None
        entries.append((event, describe(kind, from_summary(changes, on)) if changes else []))
    return render(
        request,
        "filings/history.html",
        {"filing": filing, "entries": entries, "member": member, "State": State},
    )


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk, perm="filings.edit_draft")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            services.attachment_add(
                filing=filing, upload=upload, actor=request.user, ip_address=client_ip(request),
                attachment_type=request.POST.get("attachment_type", ""),
            )  # fmt: skip
        except AttachmentRejected as exc:
            messages.error(request, exc.message)
        except services.FilingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Attached: %(name)s") % {"name": upload.name})
    return redirect("filings:attachments", pk=filing.pk)


@login_required
def attachments(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk, perm="filings.edit_draft")
    draft = open_draft(filing)
    return render(
        request,
        "filings/attachments.html",
        {
            "filing": filing,
            "listed": draft.content.get(ATTACHMENTS_KEY, []),
            "types": list(AttachmentType.objects.filter(deliverable_id=filing.deliverable_id)),
            "formats_label": FORMATS_LABEL,
            "accept": ACCEPT,
        },
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    filing = get_filing_for_user(request.user, pk, perm="filings.edit_draft")
    get_attachment_for_user(request.user, filing, attachment_pk)
    services.attachment_remove(
        filing=filing, attachment_id=attachment_pk, actor=request.user,
        ip_address=client_ip(request),
    )  # fmt: skip
    messages.success(request, _("The attachment was taken off the draft."))
    return redirect("filings:attachments", pk=filing.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    filing = get_filing_for_user(request.user, pk)
    attachment = get_attachment_for_user(request.user, filing, attachment_pk)
    path = stored_path(attachment.stored_name)
    if not path.exists():
        raise Http404
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response
