"""Normalizers (numerals, money, dates, durations) and properties of the recognizer."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.dates import (
    DateValue,
    infer_reference_date,
    resolve_backref,
    resolve_date,
)
from pipeline.durations import parse_duration
from pipeline.money import Money, parse_money, render_amount
from pipeline.numerals import NormalizeError, parse_korean_number
from pipeline.valuerules import load_value_rules

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
RULES, _ = load_value_rules([RULES_DIR])
REF = dt.date(2024, 12, 31)
FAST = settings(derandomize=True, max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


# --- numerals ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("2조4000억", 2_400_000_000_000), ("2조 4,000억", 2_400_000_000_000),
    ("24000억", 2_400_000_000_000), ("2.4조", 2_400_000_000_000),
    ("3억5천만", 350_000_000), ("1.5억", 150_000_000), ("1천500", 1500),
    ("삼천오백만", 35_000_000), ("천", 1000), ("만", 10_000), ("1만5000", 15_000),
    ("4,000", 4000), ("0.5", 0.5), ("2조6천370억9천740만", 2_637_097_400_000),
])
def test_parse_korean_number(text: str, value: int | float) -> None:
    assert parse_korean_number(text) == value
    assert type(parse_korean_number(text)) is type(value)


@pytest.mark.parametrize("text", ["", "억조", "수천억", "2억3억", "12a", "1..2", "만억"])
def test_parse_korean_number_rejects(text: str) -> None:
    with pytest.raises(NormalizeError):
        parse_korean_number(text)


def test_normalize_error_is_a_value_error() -> None:
    assert issubclass(NormalizeError, ValueError)


# --- money ----------------------------------------------------------------------------

def money(amount, currency="KRW", approx=False, bound=None, equivalent=None, amount_max=None):  # noqa: ANN001, ANN201, E501
    return Money(amount, currency, approx, bound, equivalent, amount_max)


@pytest.mark.parametrize(("text", "expected"), [
    ("2조4000억원", money(2_400_000_000_000)),
    ("최대 약 3조원", money(3_000_000_000_000, approx=True, bound="MAX")),
    ("1000억원대", money(100_000_000_000, approx=True)),
    ("1000여억원", money(100_000_000_000, approx=True)),
    ("10억여 달러", money(1_000_000_000, "USD", approx=True)),
    ("5억 달러 미만", money(500_000_000, "USD", bound="MAX")),
    ("총 1조원 이상", money(1_000_000_000_000, bound="MIN")),
    ("수천억원", money(None, approx=True)),
    ("100억~200억원", money(10_000_000_000, amount_max=20_000_000_000)),
    ("100억원∼200억원", money(10_000_000_000, amount_max=20_000_000_000)),
    ("100억에서 200억원", money(10_000_000_000, amount_max=20_000_000_000)),
    ("2~3조원", money(2_000_000_000_000, amount_max=3_000_000_000_000)),
    ("US$ 2억", money(200_000_000, "USD")),
    ("€50", money(50, "EUR")),
    ("8억 홍콩달러", money(800_000_000, "HKD")),
    ("3억엔", money(300_000_000, "JPY")),
    ("2000만달러(약 290억원)",
     money(20_000_000, "USD", equivalent=money(29_000_000_000, approx=True))),
    ("1억2000만달러(한화 약 1600억원 상당)",
     money(120_000_000, "USD", equivalent=money(160_000_000_000, approx=True))),
    # a qualifier after the conversion is the main amount's
    ("40억달러(약 4조7000억원) 안팎",
     money(4_000_000_000, "USD", approx=True,
           equivalent=money(4_700_000_000_000, approx=True))),
    ("1조원(약 7억달러) 이상",
     money(1_000_000_000_000, bound="MIN", equivalent=money(700_000_000, "USD", approx=True))),
])
def test_parse_money(text: str, expected: Money) -> None:
    assert parse_money(text) == expected


def test_money_json_matches_the_spec() -> None:
    value = parse_money("2000만달러(약 290억원)").to_json()
    assert value == {"amount": 20000000, "currency": "USD", "approx": False, "bound": None,
                     "equivalent": {"amount": 29000000000, "currency": "KRW", "approx": True,
                                    "bound": None}}
    assert "amount_max" not in parse_money("5억원").to_json()
    assert parse_money("1~2억원").to_json()["amount_max"] == 200_000_000


def test_default_currency_only_when_none_is_written() -> None:
    assert parse_money("2.4조", default_currency="KRW") == money(2_400_000_000_000)
    with pytest.raises(NormalizeError):
        parse_money("2.4조")


@pytest.mark.parametrize("text", ["", "원", "달러", "abc", "약", "(약 290억원)", "3조개"])
def test_parse_money_rejects(text: str) -> None:
    with pytest.raises(NormalizeError):
        parse_money(text)


def _spaced(amount: int) -> str:
    """`2조 4,000억 원`: groups separated by spaces, thousands commas, space before 원."""
    parts = []
    for unit, size in (("조", 10**12), ("억", 10**8), ("만", 10**4)):
        count, amount = divmod(amount, size)
        if count:
            parts.append(f"{count:,}{unit}")
    if amount:
        parts.append(f"{amount:,}")
    return " ".join(parts) + " 원"


def _styles(amount: int) -> list[str]:
    styles = [render_amount(amount) + "원", _spaced(amount)]
    if amount % 10**8 == 0:
        styles.append(f"{amount // 10**8}억원")
    if amount % 10**8 == 0 and amount >= 10**12:
        jo = (Decimal(amount) / 10**12).normalize()
        styles.append(f"{jo:f}조원")
    return styles


amounts = st.one_of(
    st.integers(1, 99_999).map(lambda n: n * 10**8),  # 억 multiples up to 9999조
    st.integers(1, 10**12).map(lambda n: n * 10**4),  # 만 multiples
    st.integers(1, 9_999),
)


@FAST
@given(amounts)
def test_rendered_amounts_parse_back(amount: int) -> None:
    for text in _styles(amount):
        assert parse_money(text).amount == amount, text
        assert parse_korean_number(text[:-1].replace(" ", "")) == amount, text


@settings(derandomize=True, max_examples=60, deadline=None)
@given(amounts)
def test_rendered_amounts_are_found_in_a_sentence(amount: int) -> None:
    for text in _styles(amount):
        sentence = f"회사는 {text}을 투자했다"
        found = [m for m in RULES.find(sentence, REF) if m.label == "MONEY"]
        assert [(m.start, m.end) for m in found] == [(4, 4 + len(text))], text
        assert found[0].value["amount"] == amount


# --- dates -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "mod"), [
    ("2024년", "2024", None), ("올해 6월", "2024-06", None), ("내년 상반기", "2025-H1", None),
    ("내년 1분기", "2025-Q1", None), ("지난해 3분기", "2023-Q3", None),
    ("11월 4일", "2024-11-04", None), ("2024.3.5", "2024-03-05", None),
    ("2024-03-05", "2024-03-05", None), ("3월 초", "2024-03", "START"),
    ("이달 말", "2024-12", "END"), ("연말", "2024", "END"), ("내년 초", "2025", "START"),
    ("지난달 28일", "2024-11-28", None), ("지난 4일", "2024-12-04", None),
    ("오는 6월", "2025-06", None), ("2016년 봄", "2016", None), ("어제", "2024-12-30", None),
    ("1·4분기", "2024-Q1", None), ("지난 2분기", "2024-Q2", None),
])
def test_resolve_date(text: str, value: str, mod: str | None) -> None:
    assert resolve_date(text, REF) == DateValue(value, mod)


def test_relative_dates_without_reference_are_null() -> None:
    assert resolve_date("내년 상반기", None) == DateValue(None)
    assert resolve_date("3월 말", None) == DateValue(None, "END")
    assert resolve_date("2024년 3월 5일", None) == DateValue("2024-03-05")


def test_month_and_day_directions_follow_the_reference() -> None:
    mid = dt.date(2024, 7, 15)
    assert resolve_date("지난 3월", mid).value == "2024-03"
    assert resolve_date("지난 9월", mid).value == "2023-09"
    assert resolve_date("오는 3월", mid).value == "2025-03"
    assert resolve_date("지난 20일", mid).value == "2024-06-20"
    assert resolve_date("오는 2일", mid).value == "2024-08-02"


@pytest.mark.parametrize("text", ["2월 30일", "13월", "abc", "", "2024년 2025년"])
def test_resolve_date_rejects(text: str) -> None:
    with pytest.raises(NormalizeError):
        resolve_date(text, REF)


def test_back_references() -> None:
    assert resolve_backref(["2024-02"], "month") == "2024-02"
    assert resolve_backref(["2024-11-04", "2024-04"], "day") is None  # 4월 … 이날
    assert resolve_backref(["2024-07-05", "2024"], "day", -1) == "2024-07-04"
    assert resolve_backref(["2020-03-01"], "year", 1) == "2021"
    assert resolve_backref([], "year", -1, REF, fallback=True) == "2023"
    assert resolve_backref([], "day") is None


def test_story_day_passes_over_background_days() -> None:
    """`이날` skips a day told as past and the days before it, but `같은 날` does not."""
    previous = ["2024-12-14", "2024-12-12"]  # `14일 밝혔다 …`, `지난 12일 …`
    flags = [False, True]
    assert resolve_backref(previous, "day", 0, REF, fallback=True,
                           background=flags, story_day=True) == "2024-12-14"
    assert resolve_backref(previous, "day", 0, REF, fallback=True,
                           background=flags) == "2024-12-12"
    earlier = ["2024-01-28", "2024-03-11"]  # `1월 28일 …`, `지난 11일 …`: none is the day
    assert resolve_backref(earlier, "day", 0, REF, fallback=True, background=[False, True],
                           story_day=True) == REF.isoformat()


def test_infer_reference_date() -> None:
    assert infer_reference_date("2월 MWC 2024에서 만났다. 2023년 매출은…") == dt.date(2024, 12, 31)
    assert infer_reference_date("2022년 2022년 2030년까지") == dt.date(2022, 12, 31)
    assert infer_reference_date("(CES) 2025에서 공개했다") == dt.date(2025, 12, 31)
    assert infer_reference_date("매출 2024억원, 3.5% 증가") is None
    assert infer_reference_date("올해 매출이 늘었다") is None
    # a name longer than the 41 characters the pattern reads still marks an event year
    assert infer_reference_date("A" * 60 + " 2024에서 공개") == dt.date(2024, 12, 31)


def test_infer_reference_date_is_linear_on_a_long_latin_run() -> None:
    # a URL or an encoded blob pasted into an article: 100,000 letters took minutes while
    # the event-year pattern retried an unbounded name at every letter
    started = time.perf_counter()
    assert infer_reference_date("a" * 100_000 + " 2024년") == dt.date(2024, 12, 31)
    assert time.perf_counter() - started < 10


# --- durations ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("5년간", "P5Y"), ("5년 간", "P5Y"), ("3년 동안", "P3Y"), ("6개월", "P6M"),
    ("18개월", "P18M"), ("2주", "P2W"), ("30일간", "P30D"), ("1년 반", "P1Y6M"),
    ("1년 6개월", "P1Y6M"), ("1.5년", "P1Y6M"), ("두 달", "P2M"), ("하루", "P1D"),
    ("24시간", "PT24H"), ("1시간 30분", "PT1H30M"), ("5년여간", "P5Y"), ("3개년", "P3Y"),
    ("수년간", None), ("3~5년", None),
])
def test_parse_duration(text: str, value: str | None) -> None:
    assert parse_duration(text) == value


@pytest.mark.parametrize("text", ["", "년", "abc", "반", "5억원"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(NormalizeError):
        parse_duration(text)


# --- properties over arbitrary text ------------------------------------------------------------

ALPHABET = ("0123456789,.~∼-()（）$₩€¥£ \n"
            "조억만원천백십일이삼사오육칠팔구수몇약최대소총여가량상하미초과안팎내외"
            "년월간동안개주반분기올해지난달같은날전후달러엔유로위안동")
texts = st.text(alphabet=ALPHABET, max_size=60)


@FAST
@given(texts)
def test_normalizers_raise_only_normalize_error(text: str) -> None:
    for call in (parse_korean_number, parse_money, parse_duration,
                 lambda t: resolve_date(t, REF), lambda t: resolve_date(t, None)):
        with contextlib.suppress(NormalizeError):
            call(text)
    infer_reference_date(text)  # never raises


@FAST
@given(texts)
def test_find_returns_sorted_non_overlapping_spans_inside_the_text(text: str) -> None:
    warnings: list[str] = []
    found = RULES.find(text, REF, warnings)
    previous_end = 0
    for match in found:
        assert 0 <= previous_end <= match.start < match.end <= len(text)
        assert match.label in ("MONEY", "DATE", "DURATION")
        assert not text[match.start].isspace() and not text[match.end - 1].isspace()
        if match.label == "MONEY" and match.value is not None:
            assert set(match.value) >= {"amount", "currency", "approx", "bound", "equivalent"}
        previous_end = match.end
    assert not any("timed out" in w for w in warnings)


def test_previous_trading_day_of_a_month_is_a_documented_error() -> None:
    from pipeline.dates import previous_business_day

    assert previous_business_day("2024-07-15") == "2024-07-12"  # Monday → Friday
    with pytest.raises(NormalizeError):
        previous_business_day("2023-02")


def test_previous_trading_day_after_a_month_in_the_same_sentence_gives_no_value() -> None:
    from pipeline.ruleset import load_ruleset, rule_dirs

    found = load_ruleset(rule_dirs()).values.find(
        "회사는 4월 상장했고 주가는 전 거래일보다 3% 올랐다.", dt.date(2024, 7, 15), [])
    trading = [m for m in found if m.rule == "date.previous_trading_day"]
    assert len(trading) == 1 and trading[0].value is None
