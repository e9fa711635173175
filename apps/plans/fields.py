"""Form fields for plan content: plain text only, exact decimals as strings."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.numbers import (
    MAX_PLACES,
    MAX_WHOLE_DIGITS,
    Bounds,
    FigureError,
    format_figure,
    read_figure,
)

LONG_TEXT_MAX = 20_000
# A tag opens with "<" and a letter (or "!" for comments and doctypes) and closes with ">".
# "资产负债率<65%" and "a < b" are text, not tags.
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")


def reject_html(value: str) -> None:
    """Content is plain text: rendered escaped everywhere, so markup would only show up as
    noise in the packet. Refuse it where it is typed, with the tag that was found."""
    match = HTML_TAG.search(value or "")
    if match:
        tag = match.group(0)
        if len(tag) > 40:
            tag = tag[:39] + "…"
        raise ValidationError(
            _("Write plain text; HTML tags such as %(tag)s are not allowed."),
            code="html",
            params={"tag": tag},
        )


def clean_text(value: str) -> str:
    """One spelling of a text: Unix newlines, no trailing spaces on any line, no blank lines
    at either end. Leading spaces of the first line stay (Chinese paragraphs are indented)."""
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


class PlainTextField(forms.CharField):
    """A long text in paragraphs (blank lines between them), shown with ``linebreaks``."""

    def __init__(self, *, rows: int = 6, max_length: int = LONG_TEXT_MAX, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, strip=False, **kwargs)
        self.validators.append(reject_html)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return clean_text(text) if text else ""


class LineField(forms.CharField):
    """A short single-line text (a name, a source): plain text as well."""

    def __init__(self, *, max_length: int = 300, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)
        self.validators.append(reject_html)


# Why typed text is not a figure, quoting it ("“12,5” is not a number: …").
FIGURE_MESSAGES = {
    "decimal_comma": _(
        "“%(typed)s” is not a number: a comma can only separate thousands (1,175,000); "
        "write decimals with a point (12.5)."
    ),
    "invalid": _(
        "“%(typed)s” is not a number: type digits, with a point for decimals and, if you "
        "like, commas or spaces between thousands (1,175,000.5)."
    ),
    "whole_digits": _(
        "“%(typed)s” is too large: at most %(digits)d digits before the decimal point."
    ),
    "places": _("“%(typed)s” has too many decimal places: at most %(places)d."),
}


def quoted(typed: str, limit: int = 40) -> str:
    """What was typed, short enough to quote in a message."""
    return typed if len(typed) <= limit else typed[: limit - 1] + "…"


def range_text(bounds: Bounds, unit: str) -> str:
    """A plausible range in words: "−100% to 100%", "at least 0 10k CNY/person"."""
    low = format_figure(bounds.minimum, unit) if bounds.minimum is not None else ""
    high = format_figure(bounds.maximum, unit) if bounds.maximum is not None else ""
    if low and high:
        return str(_("from %(minimum)s to %(maximum)s") % {"minimum": low, "maximum": high})
    if low:
        return str(_("at least %(minimum)s") % {"minimum": low})
    return str(_("at most %(maximum)s") % {"maximum": high})


def out_of_range_message(typed: str, indicator: str, bounds: Bounds, unit: str) -> str:
    return str(
        _("“%(typed)s” is outside the range of %(indicator)s: %(range)s.")
        % {"typed": quoted(typed), "indicator": indicator, "range": range_text(bounds, unit)}
    )


class FigureField(forms.CharField):
    """Every figure of a filing (baselines, targets, benchmarks, actuals) is typed here.

    Cleaned to the string that is stored: exactly the digits typed, separators taken out
    ("1,175,000" → "1175000"); JSON numbers would lose exactness, strings keep every digit.
    Reads what ``apps.core.numbers.read_figure`` reads and refuses the rest with a message
    that quotes it. ``bounds`` (set per row: it depends on the indicator) refuses a figure
    outside the indicator's plausible range, naming the indicator and the range."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(strip=True, **kwargs)
        self.bounds = Bounds()
        self.indicator = ""
        self.unit = ""

    def set_bounds(self, bounds: Bounds, *, indicator: str, unit: str) -> None:
        self.bounds, self.indicator, self.unit = bounds, indicator, unit

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # A text box, not type=number: browsers would round or reject what was typed.
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})
        return attrs

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        try:
            return read_figure(text)
        except FigureError as exc:
            raise ValidationError(
                FIGURE_MESSAGES[exc.code],
                code=exc.code,
                params={
                    "typed": quoted(exc.typed),
                    "digits": MAX_WHOLE_DIGITS,
                    "places": MAX_PLACES,
                },
            ) from None

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        if text and not self.bounds.contains(Decimal(text)):
            # The message quotes what was typed, not its stored spelling.
            raise ValidationError(
                out_of_range_message(
                    str(value).strip(), self.indicator or str(self.label or ""), self.bounds,
                    self.unit,
                ),
                code="range",
            )  # fmt: skip
        return text

    def prepare_value(self, value: Any) -> Any:
        """A stored figure is shown grouped as filed ("1175000.5" → "1,175,000.5"), so that
        saving again stores the same string; text that is not a figure (what was just
        typed and refused) is shown as it is."""
        if isinstance(value, str):
            try:
                text = read_figure(value, limits=False)
            except FigureError:
                return value
            return group_stored(text)
        return value


def group_stored(text: str) -> str:
    """A stored figure with its thousands grouped and every character kept ("1175000.50" →
    "1,175,000.50"; "-0" stays "-0"; "007" stays "007": grouped, it would not read back)."""
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = body.partition(".")
    if len(whole) > 1 and whole.startswith("0"):
        return text
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + ",".join([whole, *groups]) + dot + fraction


class ISODateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
