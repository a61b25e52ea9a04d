"""Korean numerals: `2조4000억`, `3억5천만`, `1.5억`, `삼천오백`, `4,000` → numbers.

Pure functions shared by the money and duration normalizers. Arithmetic is done
with `Decimal` so `2.4조` is exactly 2400000000000, never 2399999999999.9998.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "BIG_UNITS",
    "NATIVE_COUNTS",
    "NormalizeError",
    "has_big_unit",
    "is_vague_number",
    "parse_korean_number",
    "parse_native_count",
    "to_plain_number",
]


class NormalizeError(ValueError):
    """The only error a normalizer raises: the text is not the kind of value it reads."""


HANGUL_DIGITS = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5,
                 "육": 6, "륙": 6, "칠": 7, "팔": 8, "구": 9}
SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
BIG_UNITS = {"만": 10**4, "억": 10**8, "조": 10**12, "경": 10**16}

# Native Korean counting words as used before 달/해 (`두 달`, `석 달`).
NATIVE_COUNTS = {
    "한": 1, "두": 2, "세": 3, "석": 3, "네": 4, "넉": 4, "다섯": 5, "여섯": 6,
    "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "열한": 11, "열두": 12,
}

# Markers of a vague amount: `수천억`, `몇십만`, `십수억`.
_VAGUE = re.compile(r"수|몇|십수")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[영공일이삼사오육륙칠팔구]|[십백천]|[만억조경]")


def to_plain_number(value: Decimal) -> int | float:
    """An int when the value is whole (the usual case), else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def is_vague_number(text: str) -> bool:
    """True for `수천억`, `몇백만`, `십수억`: a magnitude with no exact amount."""
    return bool(_VAGUE.search(text))


def has_big_unit(text: str) -> bool:
    """True when the numeral contains 만, 억, 조 or 경."""
    return any(unit in text for unit in BIG_UNITS)


def parse_korean_number_decimal(text: str) -> Decimal:
    """Like `parse_korean_number` but returns the exact `Decimal`."""
    if not isinstance(text, str):
        raise NormalizeError(f"not a string: {text!r}")
    compact = re.sub(r"[\s,]", "", text)
    if not compact:
        raise NormalizeError("empty numeral")
    tokens: list[str] = []
    position = 0
    for match in _TOKEN.finditer(compact):
        if match.start() != position:
            raise NormalizeError(f"not a Korean numeral: {text!r}")
        tokens.append(match.group())
        position = match.end()
    if position != len(compact):
        raise NormalizeError(f"not a Korean numeral: {text!r}")

    total = Decimal(0)
    section = Decimal(0)  # the part below the current big unit, e.g. 4000 in 2조4000억
    pending: Decimal | None = None  # a digit waiting for its unit
    last_big: int | None = None
    for token in tokens:
        if token[0].isdigit():
            if pending is not None:
                raise NormalizeError(f"two numbers in a row in {text!r}")
            try:
                pending = Decimal(token)
            except InvalidOperation as error:  # pragma: no cover - regex guarantees digits
                raise NormalizeError(f"bad digits in {text!r}") from error
        elif token in HANGUL_DIGITS:
            if pending is not None:
                raise NormalizeError(f"two numbers in a row in {text!r}")
            pending = Decimal(HANGUL_DIGITS[token])
        elif token in SMALL_UNITS:
            section += (pending if pending is not None else Decimal(1)) * SMALL_UNITS[token]
            pending = None
        else:
            unit = BIG_UNITS[token]
            if last_big is not None and unit >= last_big:
                raise NormalizeError(f"units out of order in {text!r}")
            last_big = unit
            if pending is not None:
                section += pending
            if section == 0:
                section = Decimal(1)  # a bare `만` is ten thousand
            total += section * unit
            section = Decimal(0)
            pending = None
    if pending is not None:
        section += pending
    return total + section


def parse_korean_number(text: str) -> int | float:
    """`2조4000억` → 2400000000000, `3억5천만` → 350000000, `1.5억` → 150000000.

    Accepts digits with thousands commas and decimal points, Hangul digits
    (일…구), 십/백/천 and the big units 만/억/조/경, in any mixture, with spaces.
    Raises `NormalizeError` for anything else, including vague `수천억`.
    """
    if isinstance(text, str) and is_vague_number(text):
        raise NormalizeError(f"vague numeral has no exact value: {text!r}")
    return to_plain_number(parse_korean_number_decimal(text))


def parse_native_count(text: str) -> int:
    """`두` → 2, `석` → 3, `열두` → 12 (native counting words before 달/해)."""
    compact = re.sub(r"\s", "", text) if isinstance(text, str) else text
    if compact not in NATIVE_COUNTS:
        raise NormalizeError(f"not a native Korean count: {text!r}")
    return NATIVE_COUNTS[compact]
