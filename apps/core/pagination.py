"""Keyset pagination: pages cost the same at row 10 and at row 100,000.

The cursor holds the sort-key values of the last (or first) row shown; the next page is the
rows strictly after it in the sort order. The sort order must end in a unique column so that
no two rows share a key.
"""

import base64
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

M = TypeVar("M", bound=models.Model)


@dataclass
class KeysetPage(Generic[M]):
    object_list: list[M]
    next_cursor: str | None
    previous_cursor: str | None
    page_size: int

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    def __iter__(self) -> Iterator[M]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _exact(value: Any) -> Any:
    # DjangoJSONEncoder keeps only milliseconds of a datetime; a cursor needs the exact value
    # or rows within the same millisecond would be skipped.
    return value.isoformat() if isinstance(value, dt.datetime) else value


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(
        [_exact(v) for v in values], cls=DjangoJSONEncoder, ensure_ascii=False
    ).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        return None  # a mangled cursor is the first page, not an error page
    return values if isinstance(values, list) else None


def _after(fields: list[str], values: list[Any], *, reverse: bool) -> Q:
    """Rows strictly after ``values`` in the order of ``fields`` ("-f" is descending):
    (a > x) OR (a = x AND b > y) OR ..."""
    condition = Q()
    for i, field in enumerate(fields):
        name = field.lstrip("-")
        descending = field.startswith("-") != reverse
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
        for prev_field, prev_value in zip(fields[:i], values[:i], strict=True):
            step &= Q(**{prev_field.lstrip("-"): prev_value})
        condition |= step
    return condition


def keyset_paginate(
    queryset: "models.QuerySet[M]",
    *,
    ordering: list[str],
    after: str | None = None,
    before: str | None = None,
    page_size: int = 50,
) -> KeysetPage[M]:
    """One page of ``queryset`` in ``ordering``, after or before a cursor. One query."""
    names = [f.lstrip("-") for f in ordering]
    after_values = decode_cursor(after)
    before_values = decode_cursor(before)
    if before_values is not None and len(before_values) == len(ordering):
        reversed_ordering = [f[1:] if f.startswith("-") else f"-{f}" for f in ordering]
        qs = queryset.filter(_after(ordering, before_values, reverse=True)).order_by(
            *reversed_ordering
        )
        rows = list(qs[: page_size + 1])
        has_more_before = len(rows) > page_size
        rows = list(reversed(rows[:page_size]))
        return KeysetPage(
            object_list=rows,
            next_cursor=encode_cursor(_key(rows[-1], names)) if rows else None,
            previous_cursor=encode_cursor(_key(rows[0], names))
            if rows and has_more_before
            else None,
            page_size=page_size,
        )
    qs = queryset.order_by(*ordering)
    if after_values is not None and len(after_values) == len(ordering):
        qs = qs.filter(_after(ordering, after_values, reverse=False))
    rows = list(qs[: page_size + 1])
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    return KeysetPage(
        object_list=rows,
        next_cursor=encode_cursor(_key(rows[-1], names)) if rows and has_more else None,
        previous_cursor=encode_cursor(_key(rows[0], names))
        if rows and after_values is not None
        else None,
        page_size=page_size,
    )


def _key(obj: models.Model, names: list[str]) -> list[Any]:
    values = []
    for name in names:
        value: Any = obj
        for part in name.split("__"):
            value = getattr(value, part)
        values.append(value.pk if isinstance(value, models.Model) else value)
    return values
