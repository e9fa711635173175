"""Kinds of filing register their content here; the workflow knows nothing of what a plan,
a stage summary or an assessment report contains.

A kind declares its sections (each with a form, an editor template and a display template),
its initial content, and its completeness check. Content is a JSON object keyed by section;
rows inside a section's tables carry a stable "id" so that versions can be compared row by
row.

A section also declares what its stored keys *mean* (``fields`` and ``table``): a label for
every key, what type of value it holds (a number compares by value, a choice shows its
label) and how a table row is named (an indicator by its name, a task by its title). The
comparison, the history and the comment targets read these, so that no page ever shows a
storage key to a person.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise

ATTACHMENTS_KEY = "_attachments"
# A group's roll-up annex, generated as the version is frozen (apps.groups.rollup).
ROLLUP_KEY = "_rollup"


@dataclass(frozen=True)
class Missing:
    """Something the completeness check wants before submission."""

    section: str
    field: str
    message: str

    @property
    def anchor(self) -> str:
        return f"field-{self.section}-{self.field}"


class ValueType(StrEnum):
    """How a stored value is compared and shown."""

    TEXT = "text"  # a short text: shown whole
    LONG_TEXT = "long_text"  # prose: compared word by word
    NUMBER = "number"  # a decimal string: compared by value ("1175000.00" == "1175000")
    CHOICE = "choice"  # a stored code shown by its label
    DATE = "date"
    YEAR = "year"
    FLAG = "flag"  # True / False / None (not given)
    BY_YEAR = "by_year"  # {"2023": number, ...}: one number per year
    LINK = "link"  # a reference set by the system (e.g. the amendment opened from here)


@dataclass(frozen=True)
class FieldSpec:
    """One stored key of a section or of a table row, as people name it."""

    key: str
    label: Promise | str
    type: ValueType = ValueType.TEXT
    # CHOICE: stored code -> label.
    choices: Mapping[str, Promise | str] | None = None
    # NUMBER, BY_YEAR: the row key that holds the unit (e.g. "unit"), or a fixed unit.
    unit_key: str = ""
    unit: str = ""
    # BY_YEAR: the label of one year's entry, with %(year)s.
    item_label: Promise | str = ""
    # NUMBER, BY_YEAR: the decimal places a row's figures are shown with (None: as filed).
    places: Callable[[dict[str, Any]], int | None] | None = None
    # Bookkeeping the enterprise never typed (a row's code, the "core" flag): compared like
    # the rest, never offered as a comment target.
    internal: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A table of rows under ``content[section][key]``, each row with a stable "id"."""

    label: Promise | str  # what one row is: "Indicator", "Key task"
    fields: tuple[FieldSpec, ...]
    # The row's name in the active language, from the row's own values (never a storage key).
    row_label: Callable[[dict[str, Any]], str]
    # The keys row_label reads: the history keeps them, so that it can still name a row
    # that a later version removed.
    identity: tuple[str, ...]
    key: str = "rows"
    # Whether the order of rows means something (tasks are listed in the enterprise's order);
    # a reordering is then shown as moves.
    ordered: bool = True

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise | str
    # form_class(data=None, *, content=<section dict>, filing=..., version=...) with a
    # .to_content() -> dict after validation.
    form_class: Any
    editor_template: str
    display_template: str
    help_text: Promise | str = ""
    # What the section's stored keys mean (see the module's docstring).
    fields: tuple[FieldSpec, ...] = ()
    table: TableSpec | None = None

    @classmethod
    def in_templates(
        cls,
        folder: str,
        key: str,
        title: Promise | str,
        form_class: Any,
        help_text: Promise | str,
        *,
        fields: tuple[FieldSpec, ...] = (),
        table: TableSpec | None = None,
    ) -> "Section":
        """A section whose templates follow the convention ``<folder>/editor/<key>.html``
        and ``<folder>/display/<key>.html``."""
        return cls(
            key=key,
            title=title,
            form_class=form_class,
            editor_template=f"{folder}/editor/{key}.html",
            display_template=f"{folder}/display/{key}.html",
            help_text=help_text,
            fields=fields,
            table=table,
        )

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)


@dataclass
class FilingKind:
    key: str
    label: Promise | str
    sections: list[Section]
    initial_content: Callable[[Any], dict[str, Any]]
    completeness: Callable[[dict[str, Any], Any], list[Missing]]
    # Extra context for display templates (e.g. computed gaps), given the content.
    display_context: Callable[[dict[str, Any], Any], dict[str, Any]] = field(
        default=lambda content, filing: {}
    )

    # Extra context for a section's editor template (e.g. the URL of a live computation).
    editor_context: Callable[[str, Any], dict[str, Any]] = field(default=lambda section, filing: {})

    # What the lead must acknowledge before submitting (figures that look wrong but may be
    # right): objects with ``section``, ``field``, ``message`` and ``anchor`` (the editor
    # input's id), in the kind's order. Errors belong in ``completeness``.
    warnings: Callable[[dict[str, Any], Any], list[Any]] = field(default=lambda content, f: [])

    # Why a filing of this kind cannot be started yet for (enterprise, deliverable), as a
    # message for the user, or None when it can (e.g. a stage summary needs an approved plan).
    can_start: Callable[[Any, Any], str | None] | None = None

    # Filed for the record (备案): its approval takes a filing number. A kind that is only
    # received (a stage summary, 已接收) gets none, unless its campaign numbers receipts too.
    on_record: bool = True

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


_KINDS: dict[str, FilingKind] = {}


def register_kind(kind: FilingKind) -> FilingKind:
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> FilingKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"No filing kind {key!r} is registered") from None


def registered_kinds() -> dict[str, FilingKind]:
    return dict(_KINDS)
