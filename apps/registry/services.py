"""Registry writes: the enterprise import, and the authority import (city commissions)."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from apps.audit.services import audit_log
from apps.enterprises.models import Authority, AuthorityKind, Enterprise
from apps.registry.authorities import AuthorityCheck, authority_values_from, validate_authorities
from apps.registry.importing import (
    LOOKUP_CHUNK,
    EnterpriseValues,
    ImportResult,
    Issue,
    ParsedFile,
    validate_import,
)

BATCH_SIZE = 500
# Import column → model field, for the columns an update may change (the group is set in a
# pass of its own).
COLUMN_FIELDS = {
    "name_zh": "name_zh",
    "name_en": "name_en",
    "authority_code": "authority_id",
    "category": "category",
    "industry": "industry",
    "listed": "listed",
}


def _field_value(values: EnterpriseValues, column: str, authority_ids: dict[str, int]) -> Any:
    if column == "authority_code":
        return authority_ids[values.authority_code]
    return getattr(values, column)


def refusal_message(errors: int) -> str:
    return ngettext(
        "The file has %(n)d error; nothing was imported.",
        "The file has %(n)d errors; nothing was imported.",
        errors,
    ) % {"n": errors}


class ImportRejected(Exception):
    """The file has errors; nothing was written. ``result`` lists them."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        super().__init__(refusal_message(len(result.errors)))


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    updated: int
    unchanged: int
    audit_event_id: int
    result: ImportResult


@transaction.atomic
def enterprises_import(
    *, parsed: ParsedFile, actor: Any | None, ip_address: str | None
) -> ImportOutcome:
    """Create and update the file's enterprises, all or nothing, with one audit event.

    The file is checked again here, inside the transaction and with the registered rows it
    reads locked, whatever a preview said earlier: the registry may have changed since.
    Writes are batched: per BATCH_SIZE rows, one insert, one update per changed column and
    one for the groups, so the query count grows per batch, never per row. There is no
    ``full_clean()`` per row (too slow for 20,000): ``validate_import`` applies the same rules
    as the field validators and ``Enterprise.clean`` to every row at once.
    """
    result = validate_import(parsed, lock=True)
    if not result.ok:
        raise ImportRejected(result)

    authority_ids = result.authority_ids
    pks = dict(result.existing_pks)

    # First pass: the enterprises without their groups, since a group may be created by a
    # later line of the same file.
    new = [
        Enterprise(
            credit_code=plan.values.credit_code,
            name_zh=plan.values.name_zh,
            name_en=plan.values.name_en,
            authority_id=authority_ids[plan.values.authority_code],
            category=plan.values.category,
            industry=plan.values.industry,
            listed=plan.values.listed,
        )
        for plan in result.creates
    ]
    Enterprise.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if any(e.pk is None for e in new):
        # Backends that cannot return ids from a bulk insert: look them up, in chunks.
        codes = [e.credit_code for e in new]
        for start in range(0, len(codes), LOOKUP_CHUNK):
            chunk = codes[start : start + LOOKUP_CHUNK]
            pks.update(
                Enterprise.objects.filter(credit_code__in=chunk).values_list("credit_code", "pk")
            )
    else:
        pks.update({e.credit_code: e.pk for e in new})

    # Updates, one column at a time and only the rows whose value in that column changes:
    # bulk_update's cost (a CASE branch per row and column, built in Python) then follows
    # what the file changes, not rows x columns. Still at most one query per column per
    # BATCH_SIZE rows.
    for column, field_name in COLUMN_FIELDS.items():
        changed = [
            Enterprise(pk=plan.pk, **{field_name: _field_value(plan.values, column, authority_ids)})
            for plan in result.updates
            if any(change.field == column for change in plan.changes)
        ]
        Enterprise.objects.bulk_update(changed, [field_name], batch_size=BATCH_SIZE)

    # Second pass: groups, now that every enterprise of the file has an id.
    regrouped = [
        *(plan.values for plan in result.creates if plan.values.parent_credit_code),
        *(plan.values for plan in result.updates if plan.parent_changed),
    ]
    parents = [
        Enterprise(
            pk=pks[values.credit_code],
            parent_id=pks[values.parent_credit_code] if values.parent_credit_code else None,
        )
        for values in regrouped
    ]
    Enterprise.objects.bulk_update(parents, ["parent"], batch_size=BATCH_SIZE)

    # bulk_update does not run auto_now; one value for all, so a plain UPDATE per chunk.
    updated_pks = [plan.pk for plan in result.updates]
    now = timezone.now()
    for start in range(0, len(updated_pks), LOOKUP_CHUNK):
        Enterprise.objects.filter(pk__in=updated_pks[start : start + LOOKUP_CHUNK]).update(
            updated_at=now
        )

    # One event for the whole import, on its first enterprise (an event needs a target). It
    # records what changed, before and after, since the file itself is not kept.
    planned: list[tuple[int, EnterpriseValues]] = [
        *((plan.line, plan.values) for plan in result.creates),
        *((plan.line, plan.values) for plan in [*result.updates, *result.unchanged]),
    ]
    first = min(planned, key=lambda item: item[0])[1]
    # Built, not fetched: audit_log needs only its pk and its name (the legal, Chinese one).
    target = Enterprise(pk=pks[first.credit_code], name_zh=first.name_zh)
    event = audit_log(
        actor=actor,
        action="enterprise.import",
        target=target,
        data={
            "file": parsed.name,
            "sha256": parsed.sha256,
            "created": len(result.creates),
            "updated": len(result.updates),
            "unchanged": len(result.unchanged),
            "created_codes": [plan.values.credit_code for plan in result.creates],
            "changes": {
                plan.values.credit_code: {c.field: [c.before, c.after] for c in plan.changes}
                for plan in result.updates
            },
        },
        ip_address=ip_address,
    )
    return ImportOutcome(
        created=len(result.creates),
        updated=len(result.updates),
        unchanged=len(result.unchanged),
        audit_event_id=event.pk,
        result=result,
    )


class AuthorityImportRejected(Exception):
    """The authority file has errors; nothing was written. ``check`` lists them."""

    def __init__(self, check: AuthorityCheck) -> None:
        self.check = check
        super().__init__(refusal_message(len(check.errors)))


@transaction.atomic
def authorities_import(
    *, parsed: ParsedFile, actor: Any | None, ip_address: str | None
) -> AuthorityCheck:
    """Create and update the file's authorities (city commissions under their provinces),
    all or nothing, each with its audit event. Checked again here with the authorities
    locked; each row is then written through ``full_clean()`` (a few hundred rows at most),
    parents first, so the model's own rules hold whatever the check missed."""
    check = validate_authorities(parsed, lock=True)
    if not check.ok:
        raise AuthorityImportRejected(check)
    by_code = {a.code: a for a in Authority.objects.all()}
    next_order = max((a.sort_order for a in by_code.values()), default=0) + 1
    changes = {p.values.code: p.changes for p in check.planned}
    for values in authority_values_from(check):
        authority = by_code.get(values.code)
        created = authority is None
        if authority is None:
            authority = Authority(code=values.code)
        elif not changes[values.code]:
            continue
        parent = by_code[values.parent_code] if values.parent_code else None
        authority.name_zh = values.name_zh
        authority.name_en = values.name_en
        authority.kind = values.kind
        authority.parent = parent
        if created:
            # A city sorts with its province (the codes then order it after it).
            if parent is not None and values.kind == AuthorityKind.PREFECTURE:
                authority.sort_order = parent.sort_order
            else:
                authority.sort_order, next_order = next_order, next_order + 1
        try:
            authority.full_clean()
        except ValidationError as exc:
            # The file's order met a rule the whole-file check could not see (the tree is
            # right at the end, not on the way there): refused like any other error.
            line = next(p.line for p in check.planned if p.values.code == values.code)
            check.errors = [Issue(line, None, message) for message in exc.messages]
            raise AuthorityImportRejected(check) from exc
        authority.save()
        by_code[values.code] = authority
        audit_log(
            actor=actor,
            action="authority.create" if created else "authority.update",
            target=authority,
            data={
                "file": parsed.name,
                "sha256": parsed.sha256,
                "code": values.code,
                "parent": values.parent_code,
                "kind": values.kind,
                "changes": {c.field: [c.before, c.after] for c in changes[values.code]},
            },
            ip_address=ip_address,
        )
    return check
