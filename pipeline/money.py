"""MONEY values: `최대 약 3조원`, `100억~200억원`, `2000만달러(약 290억원)` → `Money`.

The recognizer (rules/money.yaml) decides the span; `parse_money` reads the
whole span text and gives the value in the format of ANNOTATION.md §3 MONEY.
The currency table is a parameter so that a currency a user adds in the rule
file is understood here too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pipeline.numerals import (
    BIG_UNITS,
    NormalizeError,
    has_big_unit,
    is_vague_number,
    parse_korean_number_decimal,
    to_plain_number,
)

__all__ = [
    "DEFAULT_CURRENCIES",
    "DEFAULT_SYMBOLS",
    "Money",
    "NormalizeError",
    "parse_money",
]

# Currency words after a number (spaces removed) → ISO 4217. rules/money.yaml
# extends this table; these defaults let the function be used on its own.
DEFAULT_CURRENCIES: dict[str, str] = {
    "원": "KRW", "원화": "KRW", "달러": "USD", "달러화": "USD", "미국달러": "USD",
    "미달러": "USD", "불": "USD", "홍콩달러": "HKD", "싱가포르달러": "SGD",
    "싱가폴달러": "SGD", "호주달러": "AUD", "캐나다달러": "CAD", "대만달러": "TWD",
    "뉴질랜드달러": "NZD", "유로": "EUR", "유로화": "EUR", "엔": "JPY", "엔화": "JPY",
    "위안": "CNY", "위안화": "CNY", "파운드": "GBP", "파운드화": "GBP", "루피": "INR",
    "루피아": "IDR", "동": "VND", "바트": "THB", "링깃": "MYR", "헤알": "BRL",
    "루블": "RUB", "스위스프랑": "CHF", "프랑": "CHF",
    "KRW": "KRW", "USD": "USD", "EUR": "EUR", "JPY": "JPY", "CNY": "CNY", "GBP": "GBP",
}
# Currency signs before a number.
DEFAULT_SYMBOLS: dict[str, str] = {
    "US$": "USD", "HK$": "HKD", "S$": "SGD", "A$": "AUD", "C$": "CAD", "NT$": "TWD",
    "$": "USD", "₩": "KRW", "￦": "KRW", "€": "EUR", "¥": "JPY", "￥": "JPY", "£": "GBP",
}

# Qualifiers inside the span (ANNOTATION.md §3): (approx, bound).
PREFIXES: dict[str, tuple[bool, str | None]] = {
    "약": (True, None), "대략": (True, None), "최대": (False, "MAX"),
    "최소": (False, "MIN"), "총": (False, None),
}
SUFFIXES: dict[str, tuple[bool, str | None]] = {
    "가량": (True, None), "안팎": (True, None), "내외": (True, None), "대": (True, None),
    "여": (True, None), "이상": (False, "MIN"), "초과": (False, "MIN"),
    "이하": (False, "MAX"), "미만": (False, "MAX"),
}
# Words that may open a parenthesized conversion: `(한화 약 290억원)`.
CONVERSION_LEADS = ("우리돈으로", "우리돈", "한화로", "한화", "원화로", "원화", "환산", "기준")
CONVERSION_TAILS = ("상당", "규모", "수준")

_RANGE_SPLIT = re.compile(r"[~∼〜～–-]|에서")
# `40억달러(약 4조7000억원) 안팎`: a qualifier word after the conversion belongs to the main
# amount (the one-letter `대`, `여` only glue to a number)
_QUALIFIER_WORDS = "|".join(word for word in SUFFIXES if len(word) > 1)
_PAREN = re.compile(r"^(?P<main>.*?)\s*[(（](?P<inner>[^()（）]*)[)）]"
                    rf"(?P<tail>\s*(?:{_QUALIFIER_WORDS}))?\s*$", re.S)


@dataclass(frozen=True)
class Money:
    """An amount of currency as ANNOTATION.md §3 defines it."""

    amount: int | float | None
    currency: str
    approx: bool = False
    bound: str | None = None
    equivalent: Money | None = None
    amount_max: int | float | None = None

    def to_json(self, nested: bool = False) -> dict[str, Any]:
        """The spec's dict; a conversion inside `equivalent` has no `equivalent` key."""
        out: dict[str, Any] = {"amount": self.amount, "currency": self.currency,
                               "approx": self.approx, "bound": self.bound}
        if not nested:
            out["equivalent"] = self.equivalent.to_json(nested=True) if self.equivalent else None
        if self.amount_max is not None:
            out["amount_max"] = self.amount_max
        return out


def _longest_first(table: Mapping[str, str]) -> list[str]:
    return sorted(table, key=len, reverse=True)


def _compact(word: str) -> str:
    return re.sub(r"\s", "", word)


class _Reader:
    """Reads one amount (no parentheses) with given currency tables."""

    def __init__(self, currencies: Mapping[str, str], symbols: Mapping[str, str],
                 default_currency: str | None):
        self.currencies = {_compact(k): v for k, v in currencies.items()}
        self.symbols = {_compact(k): v for k, v in symbols.items()}
        self.words = _longest_first(self.currencies)
        self.signs = _longest_first(self.symbols)
        self.default_currency = default_currency

    def strip_currency(self, text: str) -> tuple[str, str | None]:
        """Remove a currency sign at the start or a currency word at the end."""
        for sign in self.signs:
            if text.startswith(sign):
                return text[len(sign):], self.symbols[sign]
        for word in self.words:
            if text.endswith(word) and len(text) > len(word):
                return text[: -len(word)], self.currencies[word]
        return text, None

    def read(self, text: str) -> Money:
        s = _compact(text)
        approx, bound = False, None
        changed = True
        while changed:
            changed = False
            for word, (is_approx, word_bound) in PREFIXES.items():
                if s.startswith(word) and len(s) > len(word):
                    s = s[len(word):]
                    approx = approx or is_approx
                    bound = word_bound or bound
                    changed = True
        changed = True
        currency: str | None = None
        while changed:
            changed = False
            for word, (is_approx, word_bound) in SUFFIXES.items():
                if s.endswith(word) and len(s) > len(word):
                    rest = s[: -len(word)]
                    # `대` and `여` are qualifiers only after a currency or a unit
                    if word in ("대", "여") and self.strip_currency(rest)[1] is None \
                            and not rest.endswith(tuple(BIG_UNITS)):
                        continue
                    s = rest
                    approx = approx or is_approx
                    bound = word_bound or bound
                    changed = True
            if currency is None:
                s, currency = self.strip_currency(s)
                changed = changed or currency is not None
        if currency is None:
            currency = self.default_currency
        if currency is None:
            raise NormalizeError(f"no currency in {text!r}")
        # a hundredth of a currency (`846펜스`: 8.46 GBP)
        currency, _, per = currency.partition("/")
        divisor = Decimal(per) if per else Decimal(1)

        parts = _RANGE_SPLIT.split(s, maxsplit=1)
        numbers: list[str] = []
        for part in parts:
            part, _ = self.strip_currency(part)
            if "여" in part:
                approx = True
                part = part.replace("여", "")
            if not part:
                raise NormalizeError(f"no amount in {text!r}")
            numbers.append(part)
        if any(is_vague_number(n) for n in numbers):
            return Money(None, currency, True, bound)
        values = [parse_korean_number_decimal(n) / divisor for n in numbers]
        if len(values) == 2:
            low, high = values
            if not has_big_unit(numbers[0]) and has_big_unit(numbers[1]):
                low *= _leading_unit(numbers[1])  # `2~3조원`: the 2 is 2조
            return Money(to_plain_number(low), currency, approx, bound,
                         amount_max=to_plain_number(high))
        return Money(to_plain_number(values[0]), currency, approx, bound)


def _leading_unit(numeral: str) -> int:
    """The largest big unit written in a numeral (`3조5000억` → 10**12)."""
    return max(value for unit, value in BIG_UNITS.items() if unit in numeral)


def _strip_conversion_lead(inner: str) -> str:
    """`한화 약 290억원 상당` → `약 290억원`: the words around a conversion."""
    s = _compact(inner)
    for tail in CONVERSION_TAILS:
        if s.endswith(tail) and len(s) > len(tail):
            s = s[: -len(tail)]
    changed = True
    while changed:
        changed = False
        for lead in CONVERSION_LEADS:
            if s.startswith(lead) and len(s) > len(lead):
                s = s[len(lead):]
                changed = True
    return s


def parse_money(text: str, currencies: Mapping[str, str] | None = None,
                symbols: Mapping[str, str] | None = None,
                default_currency: str | None = None) -> Money:
    """The value of a MONEY span such as `최대 약 3조원` or `2000만달러(약 290억원)`.

    `currencies` maps currency words (spaces ignored) to ISO codes and `symbols`
    maps signs such as `US$`; both default to the built-in tables.
    `default_currency` is used when the span names none (`2.4조 투자`).
    Raises `NormalizeError` when the text is not an amount of money.
    """
    if not isinstance(text, str):
        raise NormalizeError(f"not a string: {text!r}")
    reader = _Reader(DEFAULT_CURRENCIES if currencies is None else currencies,
                     DEFAULT_SYMBOLS if symbols is None else symbols, default_currency)
    paren = _PAREN.match(text.strip())
    if paren and paren.group("main").strip():
        main = reader.read(paren.group("main") + (paren.group("tail") or ""))
        inner_reader = _Reader(reader.currencies, reader.symbols, None)
        equivalent = inner_reader.read(_strip_conversion_lead(paren.group("inner")))
        return Money(main.amount, main.currency, main.approx, main.bound, equivalent,
                     main.amount_max)
    return reader.read(text)


def render_amount(amount: int | Decimal) -> str:
    """`2400000000000` → `2조4000억` (used by tests and messages)."""
    value = int(amount)
    if value == 0:
        return "0"
    parts = []
    for unit, size in sorted(BIG_UNITS.items(), key=lambda item: -item[1]):
        count, value = divmod(value, size)
        if count:
            parts.append(f"{count}{unit}")
    if value:
        parts.append(str(value))
    return "".join(parts)
