"""DURATION values: `5년간` → `P5Y`, `1년 반` → `P1Y6M`, `18개월` → `P18M`, `24시간` → `PT24H`.

Values are ISO 8601 durations in whole units, largest first (ANNOTATION.md §3).
A vague length (`수년간`, `몇 달`) or a range (`3~5년`) has no single value: `None`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pipeline.numerals import (
    NATIVE_COUNTS,
    NormalizeError,
    parse_korean_number_decimal,
)

__all__ = ["NormalizeError", "format_duration", "parse_duration"]

# Native words that are a whole length by themselves.
NATIVE_LENGTHS: dict[str, tuple[int, str]] = {
    "하루": (1, "D"), "이틀": (2, "D"), "사흘": (3, "D"), "나흘": (4, "D"),
    "닷새": (5, "D"), "엿새": (6, "D"), "이레": (7, "D"), "여드레": (8, "D"),
    "아흐레": (9, "D"), "열흘": (10, "D"), "열하루": (11, "D"), "열이틀": (12, "D"),
    "열사흘": (13, "D"), "보름": (15, "D"), "일주일": (1, "W"),
    "반년": (6, "M"), "반나절": (6, "H"),
}
UNITS = {"개년": "Y", "년": "Y", "해": "Y", "개월": "M", "달": "M", "주일": "W", "주": "W",
         "일": "D", "시간": "H", "분": "MIN", "초": "S"}
ORDER = ("Y", "M", "W", "D", "H", "MIN", "S")
# How many of the next smaller unit one unit holds (for `1.5년`, `1년 반`).
SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24),
           "H": ("MIN", 60), "MIN": ("S", 60)}

_VAGUE = re.compile(r"수|몇|며칠|여러|한두|두세|서너|두어")
_RANGE = re.compile(r"[~∼〜～–-]")
_TAIL = re.compile(r"(?:(?<!시)간|동안)$")
_native = "|".join(sorted(NATIVE_LENGTHS, key=len, reverse=True))
_counts = "|".join(sorted(NATIVE_COUNTS, key=len, reverse=True))
_units = "|".join(sorted(UNITS, key=len, reverse=True))
_TOKEN = re.compile(
    rf"(?P<native>{_native})"
    rf"|(?P<num>\d+(?:\.\d+)?|[일이삼사오육칠팔구십백]+|{_counts})(?P<unit>{_units})"
    r"|(?P<half>반)"
)


def format_duration(amounts: dict[str, Decimal]) -> str:
    """ISO 8601 from unit amounts; fractions move to the next smaller unit."""
    values = {unit: Decimal(0) for unit in ORDER}
    for unit, amount in amounts.items():
        values[unit] += amount
    for unit in ORDER[:-1]:
        whole = values[unit].to_integral_value(rounding="ROUND_FLOOR")
        fraction = values[unit] - whole
        if fraction:
            smaller, factor = SMALLER[unit]
            values[smaller] += fraction * factor
            values[unit] = whole
    if values["W"] and any(values[u] for u in ORDER if u != "W"):
        values["D"] += values["W"] * 7  # ISO 8601 does not mix weeks with other units
        values["W"] = Decimal(0)

    def show(amount: Decimal) -> str:
        return str(int(amount)) if amount == amount.to_integral_value() else \
            format(amount.normalize(), "f")

    date_part = "".join(f"{show(values[u])}{u}" for u in ("Y", "M", "W", "D") if values[u])
    time_part = "".join(f"{show(values[u])}{u[0]}" for u in ("H", "MIN", "S") if values[u])
    if not date_part and not time_part:
        return "P0D"
    return "P" + date_part + (f"T{time_part}" if time_part else "")


def parse_duration(text: str) -> str | None:
    """The ISO 8601 value of a DURATION span such as `5년 간`, `1년 6개월`, `두 달`.

    Returns `None` for vague lengths and ranges; raises `NormalizeError` when
    the text is not a length of time.
    """
    if not isinstance(text, str):
        raise NormalizeError(f"not a string: {text!r}")
    compact = re.sub(r"\s", "", text)
    compact = _TAIL.sub("", compact)
    if not compact:
        raise NormalizeError("empty duration")
    if _VAGUE.search(compact) or _RANGE.search(compact):
        if not re.search(_units + "|" + _native, compact):
            raise NormalizeError(f"not a duration: {text!r}")
        return None
    compact = re.sub(r"(?<=[\d년월주일간분초달])여", "", compact)  # `5년여`, `두 달여`: about
    amounts: dict[str, Decimal] = {}
    last_unit: str | None = None
    position = 0
    while position < len(compact):
        match = _TOKEN.match(compact, position)
        if match is None:
            raise NormalizeError(f"not a duration: {text!r} (at {compact[position:]!r})")
        position = match.end()
        if match.group("native"):
            count, unit = NATIVE_LENGTHS[match.group("native")]
            amount = Decimal(count)
        elif match.group("half"):
            if last_unit is None:
                raise NormalizeError(f"`반` without a unit in {text!r}")
            unit, amount = last_unit, Decimal("0.5")
        else:
            number = match.group("num")
            unit = UNITS[match.group("unit")]
            if number in NATIVE_COUNTS:
                amount = Decimal(NATIVE_COUNTS[number])
            else:
                amount = parse_korean_number_decimal(number)
        amounts[unit] = amounts.get(unit, Decimal(0)) + amount
        last_unit = unit
    if not amounts:
        raise NormalizeError(f"not a duration: {text!r}")
    return format_duration(amounts)
