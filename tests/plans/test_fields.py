import pytest
from django import forms
from django.utils import translation

from apps.plans.fields import FigureField, PlainTextField


class TextForm(forms.Form):
    text = PlainTextField()


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "正文<b>加粗</b>",
        "</p>",
        "< img src=x onerror=alert(1)>",
        "<!-- comment -->",
        "<A HREF='x'>",
    ],
)
def test_html_tags_are_refused(text: str) -> None:
    with translation.override("en"):
        form = TextForm({"text": text})
        assert not form.is_valid()
        assert "Write plain text; HTML tags such as" in form.errors["text"][0]


@pytest.mark.parametrize(
    "text", ["资产负债率<65%", "a < b", "x<1 且 y>2", "1 <= 2", "<<价值创造>>", "成本 <5% 以内"]
)
def test_text_with_angle_brackets_is_fine(text: str) -> None:
    form = TextForm({"text": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == text


def test_trailing_whitespace_is_stripped_and_indentation_kept() -> None:
    form = TextForm({"text": "\r\n　　第一段。  \r\n\r\n第二段。\t\r\n\r\n"})
    assert form.is_valid()
    assert form.cleaned_data["text"] == "　　第一段。\n\n第二段。"


def test_blank_text_is_empty_and_optional() -> None:
    form = TextForm({"text": "  \n \n"})
    assert form.is_valid()
    assert form.cleaned_data["text"] == ""


def test_long_text_limit() -> None:
    assert TextForm({"text": "字" * 20_000}).is_valid()
    assert not TextForm({"text": "字" * 20_001}).is_valid()


class NumberForm(forms.Form):
    number = FigureField()


# What is typed and the string stored: the digits typed, separators out. The full set of
# accepted and refused forms is in tests/plans/test_numbers.py.
@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1,234.50", "1234.50"), ("-3", "-3"), ("１２３", "123"), ("", "")],
)
def test_figure_field_stores_the_digits_typed(typed: str, stored: str) -> None:
    form = NumberForm({"number": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["number"] == stored


# "1e3" was once read as 1000: an exponent is not how a figure is filed, and it is refused.
@pytest.mark.parametrize("typed", ["abc", "NaN", "Infinity", "1.1234567", "1e3", "12,5"])
def test_figure_field_refuses(typed: str) -> None:
    assert not NumberForm({"number": typed}).is_valid()


def test_figure_field_is_a_text_box() -> None:
    html = str(NumberForm()["number"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html
