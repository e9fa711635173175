"""Kinds of filing register their content here; the workflow knows nothing of what a plan,
a stage summary or an assessment report contains.

A kind declares its sections (each with a form, an editor template and a display template),
its initial content, and its completeness check. Content is a JSON object keyed by section;
rows inside a section's tables carry a stable "id" so that versions can be compared row by
row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

ATTACHMENTS_KEY = "_attachments"


@dataclass(frozen=True)
class Missing:
    """Something the completeness check wants before submission."""

    section: str
    field: str
    message: str

    @property
    def anchor(self) -> str:
        return f"field-{self.section}-{self.field}"


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

    @classmethod
    def in_templates(
        cls, folder: str, key: str, title: Promise | str, form_class: Any, help_text: Promise | str
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
        )


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

    # Why a filing of this kind cannot be started yet for (enterprise, deliverable), as a
    # message for the user, or None when it can (e.g. a stage summary needs an approved plan).
    can_start: Callable[[Any, Any], str | None] | None = None

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
