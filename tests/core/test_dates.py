"""One date format per language (config/formats), times in Asia/Shanghai, ISO for machines."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

# 06:05 UTC is 14:05 in Beijing; 20:30 UTC on 1 Dec is already 2 Dec there.
AFTERNOON = dt.datetime(2026, 12, 2, 6, 5, tzinfo=dt.UTC)
LATE_EVENING_UTC = dt.datetime(2026, 12, 1, 20, 30, tzinfo=dt.UTC)
DAY = dt.date(2026, 12, 2)


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load dates %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "date", "datetime"),
    [
        ("zh-hans", "2026年12月2日", "2026年12月2日 14:05"),
        ("en", "2 Dec 2026", "2 Dec 2026, 14:05"),
    ],
)
def test_named_formats_follow_the_language(language: str, date: str, datetime: str) -> None:
    assert render("{{ d|date }}", language, d=DAY) == date
    assert render('{{ d|date:"DATE_FORMAT" }}', language, d=DAY) == date
    assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', language, d=DAY) == date
    assert render('{{ t|date:"DATETIME_FORMAT" }}', language, t=AFTERNOON) == datetime
    assert render('{{ t|date:"SHORT_DATETIME_FORMAT" }}', language, t=AFTERNOON) == datetime
    assert render("{{ t }}", language, t=AFTERNOON) == datetime  # a bare datetime too


def test_day_and_moment_print_a_time_element_with_the_iso_form() -> None:
    assert render("{{ d|day }}", "zh-hans", d=DAY) == (
        '<time datetime="2026-12-02">2026年12月2日</time>'
    )
    assert render("{{ d|day }}", "en", d=DAY) == '<time datetime="2026-12-02">2 Dec 2026</time>'
    assert render("{{ t|moment }}", "zh-hans", t=AFTERNOON) == (
        '<time datetime="2026-12-02T14:05:00+08:00">2026年12月2日 14:05</time>'
    )
    assert render("{{ t|moment }}", "en", t=AFTERNOON) == (
        '<time datetime="2026-12-02T14:05:00+08:00">2 Dec 2026, 14:05</time>'
    )


def test_a_moment_is_dated_in_beijing_not_utc() -> None:
    assert render("{{ t|day }}", "en", t=LATE_EVENING_UTC) == (
        '<time datetime="2026-12-02">2 Dec 2026</time>'
    )
    assert render("{{ t|moment }}", "zh-hans", t=LATE_EVENING_UTC) == (
        '<time datetime="2026-12-02T04:30:00+08:00">2026年12月2日 04:30</time>'
    )


def test_nothing_prints_the_fallback() -> None:
    assert render("{{ t|moment }}", "en", t=None) == ""
    assert render('{{ t|moment:"—" }}', "en", t=None) == "—"
    assert render('{{ d|day:"—" }}', "zh-hans", d=None) == "—"
