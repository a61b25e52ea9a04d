"""DATE values: `내년 상반기` → `2025-H1`, `지난 4일` → `2024-12-04`, `3월 초` → `2024-03`+START.

Values follow ANNOTATION.md §3 (ISO 8601 / TimeML): `2024`, `2024-06`,
`2024-11-04`, `2025-H1`, `2025-Q1`, `2024-W52`. Relative expressions are
resolved against a reference date; without one they are `None`, never a guess
from the clock. The word tables are parameters so that words a user adds in
rules/dates.yaml are understood here too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.numerals import NormalizeError

__all__ = [
    "DEFAULT_WORDS",
    "DateReader",
    "DateValue",
    "DateWords",
    "NormalizeError",
    "granularity",
    "infer_reference_date",
    "previous_business_day",
    "resolve_backref",
    "resolve_date",
]

MODS = ("START", "MID", "END")


@dataclass(frozen=True)
class DateValue:
    """A resolved DATE: the ISO/TimeML value (or None) and an optional START/MID/END."""

    value: str | None
    mod: str | None = None


@dataclass(frozen=True)
class DateWords:
    """Word tables (spaces ignored): offsets from the reference, and period modifiers."""

    relative_years: Mapping[str, int] = field(default_factory=dict)
    relative_months: Mapping[str, int] = field(default_factory=dict)
    relative_days: Mapping[str, int] = field(default_factory=dict)
    relative_weeks: Mapping[str, int] = field(default_factory=dict)
    mods: Mapping[str, str] = field(default_factory=dict)
    year_mods: Mapping[str, str | None] = field(default_factory=dict)


DEFAULT_WORDS = DateWords(
    relative_years={"올해": 0, "올": 0, "금년": 0, "내년": 1, "명년": 1, "내후년": 2,
                    "작년": -1, "지난해": -1, "재작년": -2},
    relative_months={"이달": 0, "이번달": 0, "지난달": -1, "전달": -1, "다음달": 1,
                     "내달": 1},
    relative_days={"오늘": 0, "금일": 0, "어제": -1, "그제": -2, "그저께": -2,
                   "내일": 1, "모레": 2},
    relative_weeks={"이번주": 0, "금주": 0, "지난주": -1, "다음주": 1, "차주": 1},
    mods={"초순": "START", "초반": "START", "초": "START", "중순": "MID", "중반": "MID",
          "하순": "END", "후반": "END", "말": "END"},
    year_mods={"연초": "START", "연말": "END", "연내": None},
)

_DIRECTIONS = ("다가오는", "오는", "지난", "이번", "다음")
_SEASONS = ("봄", "여름", "가을", "겨울")


def _alternation(words: Sequence[str]) -> str:
    ordered = sorted({re.sub(r"\s", "", w) for w in words}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered) or "(?!)"


class DateReader:
    """Resolves the text of a DATE span with one set of word tables."""

    def __init__(self, words: DateWords = DEFAULT_WORDS):
        self.words = DateWords(*({re.sub(r"\s", "", k): v for k, v in table.items()}
                                 for table in (words.relative_years, words.relative_months,
                                               words.relative_days, words.relative_weeks,
                                               words.mods, words.year_mods)))
        w = self.words
        self._token = re.compile(
            r"(?P<ymd>(?P<ny>\d{4})[.\-/](?P<nm>\d{1,2})[.\-/](?P<nd>\d{1,2})\.?)"
            r"|(?P<ym>(?P<my>\d{4})\.(?P<mm>\d{1,2}))(?![\d.])"
            r"|(?P<year>\d{4})년"
            rf"|(?P<relmonth>{_alternation(list(w.relative_months))})"
            rf"|(?P<relweek>{_alternation(list(w.relative_weeks))})"
            rf"|(?P<relday>{_alternation(list(w.relative_days))})"
            rf"|(?P<yearmod>{_alternation(list(w.year_mods))})"
            rf"|(?P<relyear>{_alternation(list(w.relative_years))})"
            rf"|(?P<direction>{_alternation(_DIRECTIONS)})"
            r"|(?P<month>\d{1,2})월"
            r"|(?P<day>\d{1,2})일"
            r"|(?P<half>[상하])반기"
            r"|(?P<quarter>[1-4])(?:[·/]4)?분기"
            rf"|(?P<season>{_alternation(_SEASONS)})"
            rf"|(?P<mod>{_alternation(list(w.mods))})"
        )

    def _tokens(self, text: str) -> list[re.Match[str]]:
        compact = re.sub(r"\s", "", text)
        tokens, position = [], 0
        while position < len(compact):
            match = self._token.match(compact, position)
            if match is None or match.end() == position:
                raise NormalizeError(f"not a date expression: {text!r} (at {compact[position:]!r})")
            tokens.append(match)
            position = match.end()
        if not tokens:
            raise NormalizeError("empty date expression")
        return tokens

    def resolve(self, text: str, reference: dt.date | None) -> DateValue:
        """The value of a DATE span; `NormalizeError` when it is not a date expression."""
        if not isinstance(text, str):
            raise NormalizeError(f"not a string: {text!r}")
        parts = _Parts()
        direction: str | None = None
        for token in self._tokens(text):
            kind = token.lastgroup or ""
            word = token.group(kind)
            if kind == "direction":
                direction = word
            elif kind == "ymd":
                parts.set("year", int(token.group("ny")), text)
                parts.set("month", int(token.group("nm")), text)
                parts.set("day", int(token.group("nd")), text)
            elif kind == "ym":  # `▲2022.5`: a year and month, in a timeline
                parts.set("year", int(token.group("my")), text)
                parts.set("month", int(token.group("mm")), text)
            elif kind == "year":
                parts.set("year", int(word), text)
                direction = None  # `오는 2026년`: the year is explicit
            elif kind == "month":
                parts.set("month", int(word), text)
                parts.month_direction, direction = direction, None
            elif kind == "day":
                parts.set("day", int(word), text)
                parts.day_direction, direction = direction, None
            elif kind == "relyear":
                parts.set("year_offset", self.words.relative_years[word], text)
            elif kind == "relmonth":
                parts.set("month_offset", self.words.relative_months[word], text)
            elif kind == "relday":
                parts.set("day_offset", self.words.relative_days[word], text)
            elif kind == "relweek":
                parts.set("week_offset", self.words.relative_weeks[word], text)
            elif kind == "yearmod":  # `연말`: the reference year unless one is given
                parts.mod = self.words.year_mods[word] or parts.mod
            elif kind == "mod":
                parts.mod = self.words.mods[word]
            elif kind == "half":
                parts.set("half", 1 if word.startswith("상") else 2, text)
                parts.period_direction, direction = direction, None
            elif kind == "quarter":
                parts.set("quarter", int(word), text)
                parts.period_direction, direction = direction, None
            # a season (`2016년 봄`) resolves to its year: nothing to add
        return parts.compose(reference, text)


@dataclass
class _Parts:
    """What a date expression said, before resolution against the reference."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_offset: int | None = None
    month_offset: int | None = None
    day_offset: int | None = None
    week_offset: int | None = None
    half: int | None = None
    quarter: int | None = None
    month_direction: str | None = None
    day_direction: str | None = None
    period_direction: str | None = None
    mod: str | None = None

    def set(self, name: str, value: int, text: str) -> None:
        if getattr(self, name) is not None:
            raise NormalizeError(f"{name} given twice in {text!r}")
        setattr(self, name, value)

    def compose(self, ref: dt.date | None, text: str) -> DateValue:
        mod = self.mod
        explicit = self.year is not None and (self.day is None or self.month is not None)
        if not explicit and ref is None:
            return DateValue(None, mod)
        try:
            if ref is not None and self.day_offset is not None:
                when = ref + dt.timedelta(days=self.day_offset)
                return DateValue(when.isoformat(), mod)
            if ref is not None and self.week_offset is not None:
                iso = (ref + dt.timedelta(weeks=self.week_offset)).isocalendar()
                return DateValue(f"{iso.year:04d}-W{iso.week:02d}", mod)
        except OverflowError as error:
            raise NormalizeError(f"date out of range in {text!r}") from error
        year, month, day = self.year, self.month, self.day
        if ref is not None:
            if self.month_offset is not None:
                year, month = _shift_month(ref.year, ref.month, self.month_offset)
            if year is None and self.year_offset is not None:
                year = ref.year + self.year_offset
            if month is not None and year is None:
                year = _year_of_month(month, ref, self.month_direction)
            if year is None and self.quarter is not None:
                year = _year_of_period(self.quarter, (ref.month + 2) // 3, ref,
                                       self.period_direction)
            if year is None and self.half is not None:
                year = _year_of_period(self.half, (ref.month + 5) // 6, ref,
                                       self.period_direction)
            if day is not None and month is None:
                year, month = _month_of_day(day, ref, self.day_direction)
            if year is None:
                year = ref.year
        if year is None or not 1 <= year <= 9999:
            raise NormalizeError(f"year out of range in {text!r}")
        if month is not None:
            if not 1 <= month <= 12:
                raise NormalizeError(f"no month {month} in {text!r}")
            if day is not None:
                if not 1 <= day <= calendar.monthrange(year, month)[1]:
                    raise NormalizeError(f"no day {day} in {year}-{month:02d} ({text!r})")
                return DateValue(f"{year:04d}-{month:02d}-{day:02d}", mod)
            return DateValue(f"{year:04d}-{month:02d}", mod)
        if self.quarter is not None:
            return DateValue(f"{year:04d}-Q{self.quarter}", mod)
        if self.half is not None:
            return DateValue(f"{year:04d}-H{self.half}", mod)
        return DateValue(f"{year:04d}", mod)


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _year_of_month(month: int, ref: dt.date, direction: str | None) -> int:
    """The year of `6월`, `지난 3월`, `오는 6월` seen from the reference date."""
    if direction == "지난":
        return ref.year if month < ref.month else ref.year - 1
    if direction in ("오는", "다가오는", "다음"):
        return ref.year if month >= ref.month else ref.year + 1
    return ref.year


def _year_of_period(period: int, current: int, ref: dt.date, direction: str | None) -> int:
    """The year of `지난 2분기`, `오는 3분기`, `하반기` seen from the reference date."""
    if direction == "지난":
        return ref.year if period < current else ref.year - 1
    if direction in ("오는", "다가오는", "다음"):
        return ref.year if period >= current else ref.year + 1
    return ref.year


def _month_of_day(day: int, ref: dt.date, direction: str | None) -> tuple[int, int]:
    """The month of `5일`, `지난 4일`, `오는 20일` seen from the reference date."""
    if direction == "지난" and day >= ref.day:
        return _shift_month(ref.year, ref.month, -1)
    if direction in ("오는", "다가오는", "다음") and day < ref.day:
        return _shift_month(ref.year, ref.month, 1)
    return ref.year, ref.month


_default_reader: DateReader | None = None


def resolve_date(text: str, reference: dt.date | None,
                 words: DateWords | None = None) -> DateValue:
    """Resolve a DATE span (`올해 6월`, `3월 초`, `2024.3.5`) against `reference`.

    Raises `NormalizeError` when the text is not a date expression.
    """
    global _default_reader
    if words is not None:
        return DateReader(words).resolve(text, reference)
    if _default_reader is None:
        _default_reader = DateReader()
    return _default_reader.resolve(text, reference)


# --- back-references ---------------------------------------------------------------

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEARISH = re.compile(r"^(\d{4})(?:$|-[QHW])")


def granularity(value: str) -> str:
    """`day`, `month`, `quarter`, `half`, `week` or `year` of an ISO/TimeML value."""
    if _DAY.match(value):
        return "day"
    if _MONTH.match(value):
        return "month"
    if re.match(r"^\d{4}-Q\d$", value):
        return "quarter"
    if re.match(r"^\d{4}-H\d$", value):
        return "half"
    if re.match(r"^\d{4}-W\d{2}$", value):
        return "week"
    if re.match(r"^\d{4}$", value):
        return "year"
    raise NormalizeError(f"not a date value: {value!r}")


def _shift(value: str, unit: str, shift: int) -> str:
    if unit == "year":
        return f"{int(value[:4]) + shift:04d}"
    if unit == "month":
        year, month = _shift_month(int(value[:4]), int(value[5:7]), shift)
        return f"{year:04d}-{month:02d}"
    try:
        return (dt.date.fromisoformat(value) + dt.timedelta(days=shift)).isoformat()
    except (OverflowError, ValueError) as error:
        raise NormalizeError(f"cannot shift {value!r} by {shift} days") from error


def resolve_backref(previous: Sequence[str | None], unit: str, shift: int = 0,
                    reference: dt.date | None = None, fallback: bool = False,
                    news_day: bool = False, in_sentence: int = 0,
                    background: Sequence[int] = (), story_day: bool = False) -> str | None:
    """The value of `같은 달`, `이날`, `전날`, `이듬해`, `전년` from the dates before it.

    `previous` holds the values of the earlier DATE mentions in text order.
    For a day or month, dates coarser than a month (years, quarters, halves,
    weeks) are passed over, and the nearest month-or-day date decides: `이날`
    after `4월` points into April but not to a known day, so it is `None`.
    For a year, the nearest date with a year decides. For a day, dates after the
    reference date are passed over (`12월 1일 출범한다 … 이날` is not the day reported).
    With `fallback`, a text without such a date resolves against the reference date
    instead (`전년`; `이날` in a story with no earlier day is the publication day).
    With `news_day` (`이날`, `전날`), a month is passed over unless it stands in the same
    sentence (one of the last `in_sentence` dates): background months (`2022년 1월 …`)
    do not hide the day the story reports (`7일 밝혔다 … 이날`).
    With `story_day` (`이날`, `당일`: the day the story reports), days flagged in
    `background` (aligned with `previous`) are passed over too: a day told as past
    (`지난 12일`, `지난달 29일`) or one counted back from another (`전날`, `전 거래일`),
    and so are days before those (`1월 28일 … 지난 11일 … 이날`).
    """
    if unit not in ("year", "month", "day", "period"):
        raise NormalizeError(f"unknown back-reference unit {unit!r}")
    if unit == "period":
        return _period_backref(previous, shift)
    target: str | None = None
    found = False
    flags = background if story_day else ()
    floor = ""  # the story's day is not before a day passed over as background
    for position, value in enumerate(reversed(previous)):
        if not value:
            continue
        grain = granularity(value)
        index = len(previous) - 1 - position
        if grain == "day" and index < len(flags) and flags[index]:
            floor = max(floor, value)
            continue
        if floor and grain == "day" and value < floor:
            continue
        if news_day and unit == "day" and grain == "month":
            if position >= in_sentence:
                continue
            if not shift:  # `4월 … 이날`: the day is that month (GUIDELINES)
                target, found = value[:7], True
                break
        if unit == "day" and reference is not None and value[:10] > reference.isoformat():
            continue  # a later date is a plan or deadline, not the day being reported
        if unit == "year":
            target, found = value[:4], True
            break
        if grain in ("day", "month"):
            found = True
            if unit == "month":
                target = value[:7]
            elif grain == "day":
                target = value
            break
    if not found and fallback and reference is not None:
        target = {"year": f"{reference.year:04d}",
                  "month": f"{reference.year:04d}-{reference.month:02d}",
                  "day": reference.isoformat()}[unit]
    if target is None:
        return None
    return _shift(target, unit, shift) if shift else target


def _period_backref(previous: Sequence[str | None], years: int) -> str | None:
    """`지난해 같은 기간`, `전년 동기`, `같은 분기`: the nearest earlier quarter, half or month,
    moved by `years` (the comparison period of an earnings story)."""
    for value in reversed(previous):
        if value and granularity(value) in ("quarter", "half", "month"):
            return f"{int(value[:4]) + years:04d}{value[4:]}"
    return None


def previous_business_day(value: str) -> str:
    """The weekday before a day (`전 거래일` after a Monday is the Friday before).

    Raises `NormalizeError` for a value that is not a day (`4월 … 전 거래일`)."""
    if not _DAY.match(value):
        raise NormalizeError(f"no trading day before {value!r}: not a day")
    try:
        day = dt.date.fromisoformat(value) - dt.timedelta(days=1)
    except (OverflowError, ValueError) as error:
        raise NormalizeError(f"no trading day before {value!r}") from error
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day.isoformat()


# --- reference inference -------------------------------------------------------------------

_YEAR_WORD = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s?년(?!대)")
_YEAR_NUMERIC = re.compile(r"(?<![\d.])((?:19|20)\d{2})[.\-/]\d{1,2}[.\-/]\d{1,2}(?![\d])")
# A year right after a Latin name or a closing parenthesis: `MWC 2024`, `(CES) 2024`,
# `SK AI 서밋 2024`; not an amount (`2024억`) nor a decimal. The name's length is bounded:
# an unbounded `[A-Za-z][…]*` retried at every letter of a long Latin run (a URL, a blob)
# cost time in the square of the run; a longer name still matches by its last 41 characters.
_EVENT_YEAR = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9&+\-]{0,40}|\)|서밋|엑스포|박람회|포럼|콘퍼런스|컨퍼런스|어워드|올림픽)"
    r"\s?((?:19|20)\d{2})"
    r"(?=[^\d.,%가-힣]|$|(?:에서|에|의|은|는|이|가|을|를|도|과|와)(?:[^가-힣]|$))")


def infer_reference_date(text: str) -> dt.date | None:
    """A reference date guessed from the text: the last day of its most cited year.

    Years come from `2024년`, `2024.3.5` and event names (`MWC 2024`); the most
    frequent wins, the latest on a tie. The last day of that year is returned so
    that `내년` means the following year. `None` when the text names no year.
    """
    if not isinstance(text, str):
        return None
    counts: Counter[int] = Counter()
    for pattern in (_YEAR_WORD, _YEAR_NUMERIC, _EVENT_YEAR):
        for match in pattern.finditer(text):
            year = int(match.group(1))
            if 1900 <= year <= 2100:
                counts[year] += 1
    if not counts:
        return None
    year = max(counts, key=lambda y: (counts[y], y))
    return dt.date(year, 12, 31)
