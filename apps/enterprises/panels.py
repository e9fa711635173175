"""Panels other apps add to the enterprise and authority pages.

The enterprise and authority pages live here, low in the import order; the apps above
(timeline, filings, ...) add their sections by registering a panel in their AppConfig.ready(),
so this app never imports them. Each panel is a function (request, obj) -> Panel | None and
must run a bounded number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelFunc = Callable[[HttpRequest, Any], Panel | None]
_enterprise_panels: list[PanelFunc] = []
_authority_panels: list[PanelFunc] = []


def register_enterprise_panel(func: PanelFunc) -> PanelFunc:
    if func not in _enterprise_panels:
        _enterprise_panels.append(func)
    return func


def register_authority_panel(func: PanelFunc) -> PanelFunc:
    if func not in _authority_panels:
        _authority_panels.append(func)
    return func


def _collect(funcs: list[PanelFunc], request: HttpRequest, obj: Any) -> list[Panel]:
    panels = [p for p in (f(request, obj) for f in funcs) if p is not None]
    return sorted(panels, key=lambda p: p.order)


def enterprise_panels(request: HttpRequest, enterprise: Any) -> list[Panel]:
    return _collect(_enterprise_panels, request, enterprise)


def authority_panels(request: HttpRequest, authority: Any) -> list[Panel]:
    return _collect(_authority_panels, request, authority)
