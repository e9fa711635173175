import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.audit.services import audit_log
from apps.enterprises.models import Authority, Enterprise
from apps.timeline.models import (
    STAGE_ORDER,
    AuthorityDeadline,
    Campaign,
    Deliverable,
    Extension,
    Stage,
    validate_stages,
)
from apps.timeline.selectors import forget_active_deliverables
from apps.timeline.workdays import due_date_warning


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def campaign_save(
    *,
    campaign: Campaign | None,
    fields: dict[str, Any],
    stage_dates: dict[str, tuple[dt.date, dt.date]],
    actor: Any,
    ip_address: str | None = None,
) -> Campaign:
    """Create or change a campaign and its three stages, validated together."""
    creating = campaign is None
    campaign = campaign or Campaign()
    before = {k: getattr(campaign, k) for k in fields} if not creating else None
    for key, value in fields.items():
        setattr(campaign, key, value)
    campaign.full_clean()
    existing = {s.kind: s for s in campaign.stages.all()} if campaign.pk else {}
    stages = []
    for kind in STAGE_ORDER:
        starts_on, ends_on = stage_dates[kind]
        stage = existing.get(kind) or Stage(kind=kind)
        stage.starts_on, stage.ends_on = starts_on, ends_on
        stages.append(stage)
    validate_stages(stages)
    campaign.save()
    for stage in stages:
        stage.campaign = campaign
        stage.save()
    # Existing deliverables must still fit their (possibly moved) stages and years; each
    # message names its deliverable, since the campaign's form has no field for it. A
    # summary set up before periods existed is not asked for one here (its own form asks).
    problems: list[ValidationError] = []
    for deliverable in campaign.deliverables.select_related("stage"):
        try:
            deliverable.validate_dates(require_period=False)
        except ValidationError as exc:
            problems += [
                ValidationError(
                    _("%(deliverable)s: %(message)s")
                    % {"deliverable": deliverable.title, "message": message}
                )
                for message in exc.messages
            ]
    if problems:
        raise ValidationError(problems)
    transaction.on_commit(forget_active_deliverables)
    audit_log(
        actor=actor,
        action="campaign.create" if creating else "campaign.update",
        target=campaign,
        data={
            "before": {k: str(v) for k, v in (before or {}).items()},
            "fields": {k: str(v) for k, v in fields.items()},
            "stages": {k: [_iso(a), _iso(b)] for k, (a, b) in stage_dates.items()},
        },
        ip_address=ip_address,
    )
    return campaign


@transaction.atomic
def deliverable_save(
    *,
    deliverable: Deliverable | None,
    campaign: Campaign,
    fields: dict[str, Any],
    actor: Any,
    ip_address: str | None = None,
) -> tuple[Deliverable, str | None]:
    creating = deliverable is None
    deliverable = deliverable or Deliverable(campaign=campaign)
    before = None if creating else {k: str(getattr(deliverable, k)) for k in fields}
    for key, value in fields.items():
        setattr(deliverable, key, value)
    deliverable.full_clean()
    deliverable.save()
    transaction.on_commit(forget_active_deliverables)
    audit_log(
        actor=actor,
        action="deliverable.create" if creating else "deliverable.update",
        target=deliverable,
        data={"before": before, "after": {k: str(v) for k, v in fields.items()}},
        ip_address=ip_address,
    )
    return deliverable, due_date_warning(deliverable.due_on)


@transaction.atomic
def deliverable_delete(
    *, deliverable: Deliverable, actor: Any, ip_address: str | None = None
) -> None:
    """Delete a deliverable nothing has been filed for. One with filings stays (the filings
    protect it in the database too): nothing filed is ever lost."""
    if deliverable.filings.exists():
        raise ValidationError(
            _(
                "“%(title)s” has filings: it cannot be deleted. Change its dates instead, or "
                "switch the campaign off."
            )
            % {"title": deliverable.title}
        )
    audit_log(
        actor=actor,
        action="deliverable.delete",
        target=deliverable,
        data={"title": deliverable.title_zh, "due_on": _iso(deliverable.due_on)},
        ip_address=ip_address,
    )
    deliverable.delete()
    transaction.on_commit(forget_active_deliverables)


def check_deadline_within_province(
    *, deliverable: Deliverable, authority: Authority, due_on: dt.date
) -> None:
    """A city commission's own deadline may not be later than its province's own deadline
    for the same deliverable; so a province may not set a date earlier than one its cities
    already set. Only commissions' own dates are compared: a city without one follows the
    campaign's date, as every commission does (the province's date is not inherited)."""
    if authority.parent_id is not None:
        province = (
            AuthorityDeadline.objects.filter(
                deliverable=deliverable, authority_id=authority.parent_id
            )
            .select_related("authority")
            .first()
        )
        if province is not None and due_on > province.due_on:
            raise ValidationError(
                {
                    "due_on": _(
                        "A city commission's deadline may not be later than its province's: "
                        "%(province)s has set %(date)s."
                    )
                    % {"province": province.authority.name, "date": province.due_on.isoformat()}
                }
            )
    later = list(
        AuthorityDeadline.objects.filter(
            deliverable=deliverable, authority__parent=authority, due_on__gt=due_on
        )
        .select_related("authority")
        .order_by("authority__sort_order", "authority__code")
    )
    if later:
        cities = ", ".join(f"{d.authority.name} ({d.due_on.isoformat()})" for d in later)
        raise ValidationError(
            {
                "due_on": ngettext(
                    "A city commission under this one has a later deadline: %(cities)s. "
                    "A city's deadline may not be later than its province's: choose "
                    "%(latest)s or later, or ask the city to move its date first.",
                    "City commissions under this one have later deadlines: %(cities)s. "
                    "A city's deadline may not be later than its province's: choose "
                    "%(latest)s or later, or ask the cities to move their dates first.",
                    len(later),
                )
                % {"cities": cities, "latest": max(d.due_on for d in later).isoformat()}
            }
        )


@transaction.atomic
def authority_deadline_set(
    *,
    deliverable: Deliverable,
    authority: Authority,
    due_on: dt.date | None,
    note: str = "",
    actor: Any,
    ip_address: str | None = None,
) -> tuple[AuthorityDeadline | None, str | None]:
    """Set (or, with due_on=None, clear) an authority's own deadline for a deliverable.
    Returns the deadline and a working-day warning, if any."""
    if not deliverable.applies_to(authority.pk):
        raise ValidationError(_("This deliverable is another authority's own."))
    # A province and its cities set their dates one at a time: the province's row is the
    # lock both take, so that neither checks the other's date while it is being changed.
    Authority.objects.select_for_update().filter(pk=authority.parent_id or authority.pk).first()
    existing = (
        AuthorityDeadline.objects.select_for_update()
        .filter(deliverable=deliverable, authority=authority)
        .first()
    )
    before = _iso(existing.due_on) if existing else None
    if due_on is not None:
        check_deadline_within_province(deliverable=deliverable, authority=authority, due_on=due_on)
    if due_on is None:
        if existing is not None:
            audit_log(
                actor=actor,
                action="deadline.clear",
                target=existing,
                data={"before": before, "authority": authority.code},
                ip_address=ip_address,
            )
            existing.delete()
        return None, None
    deadline = existing or AuthorityDeadline(deliverable=deliverable, authority=authority)
    deadline.due_on = due_on
    deadline.note = note
    deadline.set_by = actor
    deadline.full_clean()
    deadline.save()
    audit_log(
        actor=actor,
        action="deadline.set",
        target=deadline,
        data={"before": before, "after": _iso(due_on), "authority": authority.code, "note": note},
        ip_address=ip_address,
    )
    return deadline, due_date_warning(due_on)


@transaction.atomic
def extension_grant(
    *,
    deliverable: Deliverable,
    enterprise: Enterprise,
    due_on: dt.date,
    reason: str,
    actor: Any,
    ip_address: str | None = None,
) -> tuple[Extension, str | None]:
    """Grant (or change) one enterprise's extension. The reason is required, and the new date
    must be later than the date that would otherwise apply."""
    if not deliverable.applies_to(enterprise.authority_id):
        raise ValidationError(_("This enterprise does not file this deliverable."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    authority_deadline = AuthorityDeadline.objects.filter(
        deliverable=deliverable, authority_id=enterprise.authority_id
    ).first()
    otherwise = authority_deadline.due_on if authority_deadline else deliverable.due_on
    if due_on <= otherwise:
        raise ValidationError(
            {
                "due_on": _(
                    "An extension must be later than the date that applies without it (%(date)s)."
                )
                % {"date": otherwise.isoformat()}
            }
        )
    existing = (
        Extension.objects.select_for_update()
        .filter(deliverable=deliverable, enterprise=enterprise)
        .first()
    )
    before = {"due_on": _iso(existing.due_on), "reason": existing.reason} if existing else None
    extension = existing or Extension(deliverable=deliverable, enterprise=enterprise)
    extension.due_on = due_on
    extension.reason = reason
    extension.granted_by = actor
    extension.full_clean()
    extension.save()
    audit_log(
        actor=actor,
        action="extension.grant",
        target=extension,
        data={"before": before, "after": {"due_on": _iso(due_on), "reason": reason}},
        ip_address=ip_address,
    )
    return extension, due_date_warning(due_on)


@transaction.atomic
def extension_revoke(*, extension: Extension, actor: Any, ip_address: str | None = None) -> None:
    audit_log(
        actor=actor,
        action="extension.revoke",
        target=extension,
        data={"due_on": _iso(extension.due_on), "reason": extension.reason},
        ip_address=ip_address,
    )
    extension.delete()
