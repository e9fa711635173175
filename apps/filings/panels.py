"""Sections other apps add to the filing page (review, packets), registered in their
AppConfig.ready(), so that this app never imports them."""

import hashlib
import json
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
# one): (request, filing, left version, right version) -> [(what it is about, in words, text,
# who and when)].
DiffNotesFunc = Callable[[HttpRequest, Any, Any, Any], list[tuple[str, str, str]]]
_diff_notes: list[DiffNotesFunc] = []


def register_diff_notes(func: DiffNotesFunc) -> DiffNotesFunc:
    if func not in _diff_notes:
        _diff_notes.append(func)
    return func


def diff_notes(
    request: HttpRequest, filing: Any, left: Any, right: Any
) -> list[tuple[str, str, str]]:
    return [note for func in _diff_notes for note in func(request, filing, left, right)]


# Notes shown beside the content of the version on the filing page (e.g. the reviewers'
# comments on it or on an earlier version), keyed by where they go: (section, row id) beside
# that row of the section's table, (section, "") at the head of the section, ("", "") above
# all sections. (request, filing, version) -> {(section, row_id): [note]}; a note is a dict
# with at least "id" and "body" (see templates/filings/_anchor_notes.html for what is shown).
# Each function must run a bounded number of queries, however many rows and notes.
AnchorNotes = dict[tuple[str, str], list[dict[str, Any]]]
AnchorNotesFunc = Callable[[HttpRequest, Any, Any], AnchorNotes]
_anchor_notes: list[AnchorNotesFunc] = []


def register_anchor_notes(func: AnchorNotesFunc) -> AnchorNotesFunc:
    if func not in _anchor_notes:
        _anchor_notes.append(func)
    return func


def anchor_notes(request: HttpRequest, filing: Any, version: Any) -> AnchorNotes:
    notes: AnchorNotes = {}
    if version is None:
        return notes
    for func in _anchor_notes:
        for key, found in func(request, filing, version).items():
            notes.setdefault(key, []).extend(found)
    return notes


def anchor_notes_key(notes: AnchorNotes) -> str:
    """A fingerprint of the notes, for the key of a cached rendering of the sections they
    are shown in: another note, or another reader's set of notes, renders anew."""
    listed = sorted([section, row, found] for (section, row), found in notes.items())
    text = json.dumps(listed, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
