"""Numbers in, numbers out: what the one figure field accepts and stores, what it refuses
and how it says so, how a figure is shown, and that a figure is never stored differently
from what the person confirmed."""

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.utils import translation

from apps.core.exports import Sheet, csv_lines, xlsx_bytes, xlsx_response
from apps.core.numbers import format_cell, format_figure, parse_decimal, read_figure
from apps.filings.models import Filing
from apps.plans.constants import CORE_INDICATORS
from apps.plans.fields import FigureField
from apps.plans.forms import IndicatorsForm
from apps.plans.templatetags.plan_tags import figure
from tests.conftest import zh
from tests.plans.conftest import filled_content, post_data

CORE_CODES = [c.code for c in CORE_INDICATORS]


class NumberForm(forms.Form):
    number = FigureField()


def clean(typed: str) -> tuple[bool, Any]:
    form = NumberForm({"number": typed})
    if form.is_valid():
        return True, form.cleaned_data["number"]
    return False, form.errors["number"]


# --- Accepted: typed → stored ---------------------------------------------------------------

ACCEPTED = [
    ("1175000", "1175000"),
    ("1,175,000", "1175000"),
    ("1 175 000", "1175000"),
    ("1\u2009175\u2009000", "1175000"),  # thin space
    ("1\u202f175\u202f000", "1175000"),  # narrow no-break space
    ("1\u00a0175\u00a0000", "1175000"),  # no-break space
    ("1\u3000175\u3000000", "1175000"),  # ideographic (full-width) space
    ("１１７５０００", "1175000"),  # full-width digits
    ("１２３", "123"),
    ("１２３，４５６．７", "123456.7"),  # full-width comma and point
    ("1,175,000.50", "1175000.50"),  # trailing zero kept: the digits confirmed
    ("12.5", "12.5"),
    ("62.50", "62.50"),
    ("-3", "-3"),
    ("−12.5", "-12.5"),  # U+2212 minus sign
    ("－５", "-5"),  # full-width minus
    ("-1,234", "-1234"),
    ("0", "0"),
    ("0.125", "0.125"),
    ("12,500", "12500"),  # a comma before exactly three digits groups thousands
    ("  42  ", "42"),
    ("", ""),
    ("   ", ""),
]


@pytest.mark.parametrize(("typed", "stored"), ACCEPTED)
def test_accepted_forms_are_stored_as_their_digits(typed: str, stored: str) -> None:
    assert clean(typed) == (True, stored)


# --- Refused, with a message that quotes what was typed ---------------------------------------

REFUSED_DECIMAL_COMMA = ["12,5", "1,2345", "0,500", "1,234,5", "１２，５"]
REFUSED_OTHER = [
    "abc",
    "12.5%",
    "1e3",
    "NaN",
    "Infinity",
    "+5",
    "12.",
    ".5",
    "1,175 000",  # two kinds of separator
    "12 5",  # a space that groups no thousands
    "1.234.567",
    "12。5",  # the ideographic full stop is not a decimal point
    "１２、５",
    "--5",
    "5-",
    "约100",
    "100万",
]


@pytest.mark.parametrize("typed", REFUSED_DECIMAL_COMMA)
def test_an_ambiguous_decimal_comma_is_refused_by_name(typed: str) -> None:
    ok, errors = clean(typed)
    assert not ok
    with translation.override("en"):
        assert errors[0] == (
            f"“{typed}” is not a number: a comma can only separate thousands (1,175,000); "
            "write decimals with a point (12.5)."
        )


@pytest.mark.parametrize("typed", REFUSED_OTHER)
def test_other_text_is_refused_quoting_it(typed: str) -> None:
    ok, errors = clean(typed)
    assert not ok
    with translation.override("en"):
        assert errors[0].startswith(f"“{typed}” is not a number: ")


def test_the_message_is_localised() -> None:
    form = NumberForm({"number": "12,5"})
    with translation.override("zh-hans"):
        assert not form.is_valid()
        message = form.errors["number"][0]
    expected = zh(
        "“%(typed)s” is not a number: a comma can only separate thousands (1,175,000); "
        "write decimals with a point (12.5).",
        typed="12,5",
    )
    assert message == expected.replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert "“12,5”" in message


def test_too_many_digits_and_places_are_refused() -> None:
    with translation.override("en"):
        ok, errors = clean("12345678901234567")  # 17 digits before the point
        assert not ok and errors[0] == (
            "“12345678901234567” is too large: at most 16 digits before the decimal point."
        )
        ok, errors = clean("1.1234567")
        assert not ok and errors[0] == "“1.1234567” has too many decimal places: at most 6."
    assert clean("1234567890123456.123456") == (True, "1234567890123456.123456")


def test_a_long_typed_text_is_cut_in_the_message() -> None:
    ok, errors = clean("x" * 100)
    assert not ok
    assert "“" + "x" * 39 + "…”" in errors[0]


# --- Plausible ranges: refused in the indicator table, naming the indicator and the range -------


def indicators_form(filing: Filing, **overrides: str) -> IndicatorsForm:
    content = filled_content(filing)["indicators"]
    data = post_data(IndicatorsForm(None, content=content, filing=filing), **overrides)
    return IndicatorsForm(data, content=content, filing=filing)


@pytest.mark.parametrize(
    ("code", "field", "typed", "message"),
    [
        ("debt_to_asset", "baseline", "125",
         "“125” is outside the range of Debt-to-asset ratio: from 0% to 100%."),
        ("debt_to_asset", "target_2024", "-1",
         "“-1” is outside the range of Debt-to-asset ratio: from 0% to 100%."),
        ("roe", "benchmark", "150.5",
         "“150.5” is outside the range of Return on net assets: from -100% to 100%."),
        ("rd_intensity", "target_2025", "１０１",
         "“１０１” is outside the range of R&D investment intensity: from 0% to 100%."),
        ("eva_ratio", "baseline", "-100.01",
         "“-100.01” is outside the range of Economic value added ratio: from -100% to 100%."),
        ("operating_cash_ratio", "baseline", "1,250",
         "“1,250” is outside the range of Operating cash flow ratio: from -100% to 100%."),
        ("labour_productivity", "baseline", "-0.5",
         "“-0.5” is outside the range of Overall labour productivity: at least 0 10k CNY/person."),
        ("total_profit", "baseline", "10,000,000,001",
         "“10,000,000,001” is outside the range of Total profit: "
         "from -10,000,000,000 10k CNY to 10,000,000,000 10k CNY."),
    ],
)  # fmt: skip
def test_out_of_range_figures_are_refused(
    filing: Filing, code: str, field: str, typed: str, message: str
) -> None:
    i = CORE_CODES.index(code)
    with translation.override("en"):
        form = indicators_form(filing, **{f"indicators-{i}-{field}": typed})
        assert not form.is_valid()
        assert form.formset.forms[i].errors[field] == [message]


@pytest.mark.parametrize(
    "overrides",
    [
        {"indicators-2-baseline": "0"},  # debt-to-asset ratio
        {"indicators-2-baseline": "100"},
        {"indicators-3-baseline": "-100"},  # return on net assets
        {"indicators-3-baseline": "-12.5"},
        {"indicators-4-baseline": "0"},  # labour productivity
        {"indicators-1-baseline": "-4,000"},  # a net loss
        {"indicators-0-baseline": "-3,500", "indicators-1-baseline": "-4000"},  # losses
    ],
)
def test_figures_at_the_edge_of_the_range_or_negative_profits_are_fine(
    filing: Filing, overrides: dict[str, str]
) -> None:
    form = indicators_form(filing, **overrides)
    assert form.is_valid(), form.formset.errors


def test_custom_indicators_have_no_range(filing: Filing) -> None:
    form = indicators_form(
        filing,
        **{"indicators-TOTAL_FORMS": "9", "indicators-8-name_zh": "专利授权数",
           "indicators-8-unit": "项", "indicators-8-direction": "higher",
           "indicators-8-baseline": "12,000", "indicators-8-benchmark": "-5"},
    )  # fmt: skip
    assert form.is_valid(), form.formset.errors
    custom = form.to_content()["rows"][8]
    assert (custom["unit"], custom["baseline"], custom["benchmark"]) == ("项", "12000", "-5")


# --- Display ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "row", "shown"),
    [
        ("1175000", {"code": "total_profit", "core": True, "unit": "万元"}, "1,175,000.00"),
        ("1175000.5", {"code": "total_profit", "core": True, "unit": "万元"}, "1,175,000.50"),
        ("-3500", {"code": "net_profit", "core": True, "unit": "万元"}, "-3,500.00"),
        ("62.5", {"code": "debt_to_asset", "core": True, "unit": "%"}, "62.50%"),
        ("12.345", {"code": "roe", "core": True, "unit": "%"}, "12.345%"),  # never rounded
        ("68", {"code": "labour_productivity", "core": True, "unit": "万元/人"}, "68.00"),
        ("12000", {"code": "custom_1", "core": False, "unit": "项"}, "12,000"),
        ("7.5", {"code": "custom_2", "core": False, "unit": "%"}, "7.50%"),
        ("-0", {"code": "roe", "core": True, "unit": "%"}, "0.00%"),
        ("", {"code": "roe", "core": True, "unit": "%"}, ""),
        ("约100", {"code": "roe", "core": True, "unit": "%"}, "约100"),  # shown as stored
    ],
)
def test_the_display_filter(stored: str, row: dict[str, Any], shown: str) -> None:
    assert figure(stored, row) == shown


def test_format_figure_keeps_its_behaviour_for_the_comparison() -> None:
    with translation.override("en"):
        assert format_figure("1175000.00", "万元") == "1,175,000.00 10k CNY"
        assert format_figure("1180000", "万元") == "1,180,000 10k CNY"
        assert format_figure("58", "%") == "58%"
        assert format_figure("58", "%", places=2) == "58.00%"


# --- Never stored differently from what was confirmed -----------------------------------------

# Each number with every way of typing it that the field accepts.
NUMBERS = ["0", "7", "12.5", "62.50", "999", "1000", "12500", "1175000", "1175000.5",
           "-3", "-1234.56", "98765432.1", "1234567890123456"]  # fmt: skip
WIDE = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


def spellings(plain: str) -> list[str]:
    """Ways of typing ``plain``: as it is, grouped with each separator, full-width, with
    the minus sign."""
    number = Decimal(plain)
    sign = "-" if plain.startswith("-") else ""
    whole, dot, fraction = plain.lstrip("-").partition(".")
    grouped = f"{int(whole):,}"
    ways = {plain}
    for sep in (",", " ", "\u2009", "\u00a0", "\u202f", "\u3000"):
        ways.add(f"{sign}{grouped.replace(',', sep)}{dot}{fraction}")
    ways.add(plain.translate(WIDE))
    ways.add(f"{sign}{grouped}{dot}{fraction}".translate(WIDE))
    if number < 0:
        ways.add("−" + plain[1:])
    return sorted(ways)


@pytest.mark.parametrize("plain", NUMBERS)
def test_typed_stored_displayed_and_read_again_is_the_same_figure(plain: str) -> None:
    for typed in spellings(plain):
        # Typed → stored: exactly the digits confirmed.
        ok, stored = clean(typed)
        assert ok, typed
        assert stored == plain, typed
        for row in ({"code": "total_profit", "core": True, "unit": "万元"},
                    {"code": "roe", "core": True, "unit": "%"},
                    {"code": "custom", "core": False, "unit": "项"}):  # fmt: skip
            # Stored → displayed → read again: the same number.
            shown = figure(stored, row).removesuffix("%")
            assert Decimal(read_figure(shown)) == Decimal(plain), (typed, shown)
        # Stored → shown in the editor → saved again: the same string, not just the number.
        editor_text = NumberForm(initial={"number": stored})["number"].value()
        assert clean(editor_text) == (True, plain), editor_text


def test_saving_an_unchanged_table_changes_no_stored_string(filing: Filing) -> None:
    content = filled_content(filing)["indicators"]
    rows = content["rows"]
    rows[0].update(baseline="1175000.50", benchmark="2350000", targets={
        "2023": "1200000", "2024": "1250000.00", "2025": "1300000.125"})  # fmt: skip
    rows[1].update(baseline="-0", benchmark="007")
    form = IndicatorsForm(None, content=content, filing=filing)
    data = post_data(form)
    assert data["indicators-0-baseline"] == "1,175,000.50"  # what the editor shows
    bound = IndicatorsForm(data, content=content, filing=filing)
    assert bound.is_valid(), bound.formset.errors
    saved = bound.to_content()["rows"]
    assert (saved[0]["baseline"], saved[0]["benchmark"]) == ("1175000.50", "2350000")
    assert saved[0]["targets"] == {"2023": "1200000", "2024": "1250000.00",
                                   "2025": "1300000.125"}  # fmt: skip
    assert (saved[1]["baseline"], saved[1]["benchmark"]) == ("-0", "007")


def test_parse_decimal_reads_what_the_field_stores() -> None:
    assert parse_decimal("1175000") == Decimal("1175000")
    assert parse_decimal("1,175,000.00") == Decimal("1175000")
    assert parse_decimal("12,5") is None
    # Stored figures are read whole, whatever their length.
    assert parse_decimal("1.0000001") == Decimal("1.0000001")


# --- Exports: numbers with a number format, never text ------------------------------------------


def test_xlsx_figures_are_numbers_with_a_number_format() -> None:
    from openpyxl import load_workbook

    content = xlsx_bytes(
        [Sheet("figures", ["indicator", "baseline", "rate", "count"], [
            ["total_profit", Decimal("1175000.00"), 33.3, 7],
            ["net_profit", Decimal("-3500"), 50.0, 2],
            ["roe", Decimal("12.345"), None, 0],
        ], number_formats={2: "0.0"})]
    )  # fmt: skip
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = list(sheet.iter_rows(min_row=2))
    assert [c[1].value for c in cells] == [1175000, -3500, 12.345]
    assert [c[1].data_type for c in cells] == ["n", "n", "n"]
    assert [c[1].number_format for c in cells] == ["#,##0.00", "#,##0", "#,##0.000"]
    assert (cells[0][2].value, cells[0][2].number_format) == (33.3, "0.0")
    assert (cells[0][3].value, cells[0][3].data_type) == (7, "n")


def test_csv_figures_are_plain_digits_and_negative_ones_stay_numbers() -> None:
    text = "".join(
        csv_lines(["baseline", "note"], [[Decimal("1175000.00"), "-x"], [Decimal("-3500"), "y"]])
    )
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    # A negative figure is a number, not a formula: no apostrophe. Text still gets one.
    assert rows[1:] == [["1175000.00", "'-x"], ["-3500", "y"]]


def test_xlsx_response_takes_number_formats() -> None:
    from openpyxl import load_workbook

    response = xlsx_response(
        "x.xlsx", ["code", "on_track_rate_percent"], [["a", 66.7]], number_formats={1: "0.0"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cell = sheet["B2"]
    assert (cell.value, cell.data_type, cell.number_format) == (66.7, "n", "0.0")


def test_format_cell() -> None:
    assert format_cell("1175000", "万元", 2) == "1,175,000.00"
    assert format_cell("62.5", "%", 2) == "62.50%"
    assert format_cell("12000", "项", None) == "12,000"
