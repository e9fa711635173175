"""Reading and checking an authority file: city commissions under their provinces.

The 38 authorities of notice No. 79 come with the system (apps.enterprises.authorities);
below the provinces sit the prefecture-level city commissions (GB/T 2260 six-digit codes,
440100 广州市国资委 under 44), which an administrator adds one by one on the admin page or
many at once from a file, read like the enterprise file (CSV or XLSX, same limits) and written
by ``apps.registry.services.authorities_import``.

The checks here are ``Authority.clean``'s, applied to the file as a whole (a province and its
cities may come in the same file, on any line): a city commission has a six-digit code
within its province and a provincial parent, nothing else has a parent, the parents form no
cycle. The write runs ``full_clean()`` on each row as well: an authority file is a few
hundred rows at most.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.enterprises.models import PREFECTURE_CODE_REGEX, Authority, AuthorityKind
from apps.registry.importing import Column, FieldChange, Issue, ParsedFile, _code

AUTHORITY_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "机构代码",
        True,
        gettext_lazy(
            "Authority code. A city commission: its city's six-digit GB/T 2260 code (440100 "
            "Guangzhou). Identifies the authority."
        ),
    ),
    Column("name_zh", "机构名称", True, gettext_lazy("Chinese name, e.g. 广州市国资委.")),
    Column(
        "name_en",
        "英文名称",
        False,
        gettext_lazy("English name, e.g. Guangzhou SASAC; required for a new authority."),
    ),
    Column(
        "parent_code",
        "上级机构代码",
        False,
        gettext_lazy(
            "A city commission: the two-digit code of its provincial commission (44 "
            "Guangdong), registered or in the same file. Empty for any other authority."
        ),
    ),
    Column(
        "kind",
        "机构类别",
        False,
        gettext_lazy(
            "prefecture (地市级国资委) for a city commission, or central, provincial, city, "
            "corps. Empty: prefecture when a parent is given, else the registered kind."
        ),
    ),
)
KIND_ALIASES: dict[str, str] = {
    **{value: value for value in AuthorityKind.values},
    "地市级国资委": AuthorityKind.PREFECTURE,
    "地市级": AuthorityKind.PREFECTURE,
    "省级国资委": AuthorityKind.PROVINCIAL,
    "省级": AuthorityKind.PROVINCIAL,
    "计划单列市": AuthorityKind.CITY,
    "兵团": AuthorityKind.CORPS,
}
CODE_MAX = Authority._meta.get_field("code").max_length or 8
NAME_ZH_MAX = Authority._meta.get_field("name_zh").max_length or 100
NAME_EN_MAX = Authority._meta.get_field("name_en").max_length or 150
CODE_ALPHABET = re.compile(r"^[0-9A-Z]+$")


@dataclass(frozen=True)
class AuthorityValues:
    """An authority as it will be after the import."""

    code: str
    name_zh: str
    name_en: str
    kind: str
    parent_code: str  # "" for none


@dataclass(frozen=True)
class PlannedAuthority:
    line: int
    values: AuthorityValues
    pk: int | None  # None: to create
    changes: tuple[FieldChange, ...]


@dataclass
class AuthorityCheck:
    file_name: str
    sha256: str
    planned: list[PlannedAuthority] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def creates(self) -> list[PlannedAuthority]:
        return [p for p in self.planned if p.pk is None]

    @property
    def updates(self) -> list[PlannedAuthority]:
        return [p for p in self.planned if p.pk is not None and p.changes]

    @property
    def unchanged(self) -> list[PlannedAuthority]:
        return [p for p in self.planned if p.pk is not None and not p.changes]


@dataclass(frozen=True)
class _Registered:
    pk: int
    code: str
    name_zh: str
    name_en: str
    kind: str
    parent_code: str


def validate_authorities(parsed: ParsedFile, *, lock: bool = False) -> AuthorityCheck:
    """Check every row against the registered authorities and each other; plan the writes.
    Two queries (the authorities, whole: a small table), none per row."""
    check = AuthorityCheck(parsed.name, parsed.sha256, warnings=list(parsed.warnings))
    if not parsed.readable:
        check.errors = list(parsed.errors)
        return check
    queryset = Authority.objects.order_by()
    if lock:
        # The authorities alone (their parent is read through an outer join, which cannot
        # be locked).
        queryset = queryset.select_for_update(of=("self",))
    registered = {
        row[1]: _Registered(*row[:5], parent_code=row[5] or "")
        for row in queryset.values_list("pk", "code", "name_zh", "name_en", "kind", "parent__code")
    }

    def fail(line: int, key: str | None, message: str) -> None:
        check.errors.append(Issue(line, parsed.label(key) if key else None, message))

    rows: dict[str, tuple[int, AuthorityValues]] = {}
    for source in parsed.rows:
        cells = source.cells
        line = source.line
        errors_before = len(check.errors)
        code = _code(cells.get("code", ""))
        if not code:
            fail(line, "code", _("The value is missing; this column is required."))
        elif len(code) > CODE_MAX or not CODE_ALPHABET.match(code):
            fail(
                line,
                "code",
                _("“%(value)s” is not an authority code: at most %(max)d letters and digits.")
                % {"value": cells.get("code", ""), "max": CODE_MAX},
            )
        elif code in rows:
            fail(
                line,
                "code",
                _("The authority %(code)s is already on line %(line)d.")
                % {"code": code, "line": rows[code][0]},
            )
        existing = registered.get(code)
        name_zh = cells.get("name_zh", "")
        if not name_zh:
            fail(line, "name_zh", _("The value is missing; this column is required."))
        elif len(name_zh) > NAME_ZH_MAX:
            fail(
                line,
                "name_zh",
                _("The name has %(n)d characters; at most %(max)d are allowed.")
                % {"n": len(name_zh), "max": NAME_ZH_MAX},
            )
        name_en = cells.get("name_en", "")
        if not name_en and existing is not None:
            name_en = existing.name_en  # an empty cell keeps the registered name
        if not name_en:
            fail(line, "name_en", _("A new authority needs its English name."))
        elif len(name_en) > NAME_EN_MAX:
            fail(
                line,
                "name_en",
                _("The name has %(n)d characters; at most %(max)d are allowed.")
                % {"n": len(name_en), "max": NAME_EN_MAX},
            )
        parent_code = _code(cells.get("parent_code", ""))
        raw_kind = cells.get("kind", "")
        kind = KIND_ALIASES.get(raw_kind) or KIND_ALIASES.get(raw_kind.lower(), "")
        if raw_kind and not kind:
            fail(
                line,
                "kind",
                _(
                    "Unknown kind “%(value)s”. Use prefecture (地市级国资委), provincial, "
                    "central, city or corps."
                )
                % {"value": raw_kind},
            )
        elif not raw_kind:
            if parent_code:
                kind = AuthorityKind.PREFECTURE
            elif existing is not None:
                kind = existing.kind
            else:
                fail(
                    line,
                    "kind",
                    _(
                        "Give the kind of a new authority, or the code of its province for a "
                        "city commission."
                    ),
                )
        if len(check.errors) == errors_before:
            rows[code] = (line, AuthorityValues(code, name_zh, name_en, kind, parent_code))

    # The tree as it will be: the registered authorities with the file's rows over them.
    final: dict[str, tuple[str, str]] = {
        code: (r.kind, r.parent_code) for code, r in registered.items()
    }
    final.update({code: (v.kind, v.parent_code) for code, (_line, v) in rows.items()})
    children: dict[str, list[str]] = {}
    for code, (_kind, parent) in final.items():
        if parent:
            children.setdefault(parent, []).append(code)

    for code, (line, values) in rows.items():
        errors_before = len(check.errors)
        _check_tree(values, final, children, partial(fail, line))
        if len(check.errors) > errors_before:
            continue
        existing = registered.get(code)
        changes: tuple[FieldChange, ...] = ()
        if existing is not None:
            changes = tuple(
                FieldChange(name, before, after)
                for name, before, after in (
                    ("name_zh", existing.name_zh, values.name_zh),
                    ("name_en", existing.name_en, values.name_en),
                    ("kind", existing.kind, values.kind),
                    ("parent_code", existing.parent_code, values.parent_code),
                )
                if before != after
            )
        check.planned.append(
            PlannedAuthority(line, values, existing.pk if existing else None, changes)
        )
    return check


def _check_tree(
    values: AuthorityValues,
    final: dict[str, tuple[str, str]],
    children: dict[str, list[str]],
    fail: Callable[[str, str], None],
) -> None:
    """``Authority.clean``'s rules, against the tree as the import leaves it."""
    code, kind, parent = values.code, values.kind, values.parent_code
    # A cycle first: it would make every other message about these rows confusing.
    chain = [code]
    node = parent
    while node:
        if node in chain:
            fail(
                "parent_code",
                _("The parents form a cycle: %(chain)s.") % {"chain": " → ".join([*chain, node])},
            )
            return
        chain.append(node)
        node = final.get(node, ("", ""))[1]
    if kind != AuthorityKind.PREFECTURE:
        if parent:
            fail(
                "parent_code",
                _(
                    "Only a prefecture-level city commission sits under another commission; "
                    "leave the parent empty for this kind, or make it prefecture."
                ),
            )
        elif kind != AuthorityKind.PROVINCIAL and children.get(code):
            fail(
                "kind",
                _(
                    "City commissions sit under %(code)s (%(cities)s): it stays a "
                    "provincial-level commission while they do."
                )
                % {"code": code, "cities": ", ".join(sorted(children[code]))},
            )
        return
    if not re.fullmatch(PREFECTURE_CODE_REGEX, code):
        fail(
            "code",
            _(
                "A prefecture-level city commission has its city's six-digit GB/T 2260 code, "
                "ending in 00 (for example 440100 for Guangzhou)."
            ),
        )
        return
    if not parent:
        fail("parent_code", _("Give the code of the provincial commission this city is under."))
        return
    if parent not in final:
        fail(
            "parent_code",
            _("Unknown parent authority “%(code)s”: it is neither registered nor in this file.")
            % {"code": parent},
        )
        return
    parent_kind, grandparent = final[parent]
    if parent_kind != AuthorityKind.PROVINCIAL or grandparent:
        fail(
            "parent_code",
            _("%(code)s is not a provincial-level commission: a city commission is under one.")
            % {"code": parent},
        )
        return
    if not code.startswith(parent):
        fail(
            "code",
            _(
                "The code %(code)s is not in province %(parent)s: a city's code begins with "
                "its province's."
            )
            % {"code": code, "parent": parent},
        )
        return
    if final.get(code[:4], ("", ""))[0] == AuthorityKind.CITY:
        fail(
            "code",
            _(
                "This city has independent planning status: its commission, %(commission)s, "
                "answers to no province."
            )
            % {"commission": code[:4]},
        )


def authority_values_from(check: AuthorityCheck) -> list[AuthorityValues]:
    """The file's authorities in an order that can be written: parents before cities."""
    ordered = sorted(
        check.planned, key=lambda p: (p.values.kind == AuthorityKind.PREFECTURE, p.line)
    )
    return [p.values for p in ordered]
