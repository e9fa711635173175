"""Sections other apps add to the filing page (review, packets), registered in their
AppConfig.ready(), so that this app never imports them."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from apps.enterprises.panels import Panel

FilingPanelFunc = Callable[[HttpRequest, Any], Panel | None]
_filing_panels: list[FilingPanelFunc] = []


def register_filing_panel(func: FilingPanelFunc) -> FilingPanelFunc:
    if func not in _filing_panels:
        _filing_panels.append(func)
    return func


def filing_panels(request: HttpRequest, filing: Any) -> list[Panel]:
    panels = [p for p in (f(request, filing) for f in _filing_panels) if p is not None]
    return sorted(panels, key=lambda p: p.order)


# Notes shown beside a comparison of two versions (e.g. the reviewers' comments on the older
# one): (request, filing, left version, right version) -> [(section, field, text, meta)].
DiffNotesFunc = Callable[[HttpRequest, Any, Any, Any], list[tuple[str, str, str, str]]]
_diff_notes: list[DiffNotesFunc] = []


def register_diff_notes(func: DiffNotesFunc) -> DiffNotesFunc:
    if func not in _diff_notes:
        _diff_notes.append(func)
    return func


def diff_notes(
    request: HttpRequest, filing: Any, left: Any, right: Any
) -> list[tuple[str, str, str, str]]:
    return [note for func in _diff_notes for note in func(request, filing, left, right)]
