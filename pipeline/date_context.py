"""Dates that take their year or month from the story rather than from the article date.

A bare `10월` or `13일` is resolved against the reference date by the normalizer. News
writes them inside narratives, though: `2008년 … 10월 9일 … 13일` keeps 2008 and October,
and `지난해 8월 … 10월에는` keeps last year. And a bare date that would lie after the
article date in a sentence told in the past tense (`31일 … 밝혔다` on 1 August) is the
last such day or month. These functions make that adjustment; they are pure, and the
value stage calls them with the text around each bare date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.dates import granularity

BARE_MONTH = re.compile(r"^\d{1,2}월(?:\s*\d{1,2}일)?(?:\s*(?:초|초순|중순|하순|말|께|경|중))?$")
BARE_DAY = re.compile(r"^\d{1,2}일$")
# a half or quarter with no year (`하반기`, `3분기 말`)
BARE_PERIOD = re.compile(r"^(?:[상하]반기|[1-4]분기)(?:\s*(?:초|중|말))?$")
# a clause told in the past: a syllable ending in ㅆ (했, 됐, 빠졌 …) before an ending
_PAST_ENDING = re.compile(r"([가-힣])(?:다|고|으며|지만|는데|던|을|으나|어|다가)")
_FUTURE = re.compile(r"예정|계획|전망|방침|목표|할\s*것|ㄹ\s*것|앞두고|"
                     r"까지|부터|오는|내달|다음\s*달")
# a clause that tells what is to come: `상장될 예정이다`, `마치는 일정이다`, `분수령이 될 것`
_TO_COME = re.compile(r"([가-힣])\s*(?:(예정|계획|일정|방침|전망)|것”?)"
                      r"(?:이다|이며|이고|이라|이어서|입니다|으로)")
_CLOSE_PLAN = 16  # characters between a date and a plan that is surely the date's own
_SENTENCE_END = re.compile(r"[.!?]\s|\n")
_TELLING = r"밝혔|공시했|발표했|전했|알렸|공개했|보도했"
# a day the news was told on: `13일 밝혔다`, `23일 공시했다`, `2일(현지시간) 발표했다`
REPORTED = re.compile(rf"\s*(?:\(현지\s*시간\)\s*)?(?:{_TELLING})")
# a plan told by someone: `… 인수할 계획이라고 밝혔다`, `… 말했다`
_TOLD = re.compile(rf"{_TELLING}|말했")


# a sentence opening with `이어`, `이후`, `그 뒤`: it goes on with the time of the one before
_SEQUEL = re.compile(r"\s*(?:이어|이어서|뒤이어|이후|그\s*뒤|그\s*후)\s+$")


def continues_story(text: str, opening: int, start: int) -> bool:
    """`… 2016년 4월 29일에는 … 쥐었다. 이어 5월 26일에는`: nothing but a word of sequence
    stands between the sentence's opening and the date, so the date's year is that of the
    sentence before."""
    return _SEQUEL.fullmatch(text, opening + 1, start) is not None


@dataclass(frozen=True)
class EarlierDate:
    """A DATE mention before the one being resolved, in the same paragraph."""

    value: str
    bare: bool
    same_sentence: bool = False
    told_past: bool = False   # `지난달 26일`, `지난해 11월 8일`: told from the article's today
    adverbial: bool = False   # `2015년에는`: the time of the clause that follows


def _past_tense(clause: str) -> bool:
    """`했다`, `빠졌고`, `밝혔으며`: a syllable with the final consonant ㅆ before an ending
    (`있다`, `없고` are no past: `마무리될 수 있다고 본다`)."""
    return any((ord(m.group(1)) - 0xAC00) % 28 == 20 and m.group(1) not in "있없"
               for m in _PAST_ENDING.finditer(clause))


def _to_come(clause: str) -> bool:
    """`7월 16일 상장될 예정이다`, `4월 1일까지 마무리할 계획이다`: the date is ahead (a
    future modifier, a syllable ending in ㄹ, or `는` before `예정`-like nouns, with no
    past tense before it). A plan told by someone (`… 인수할 계획이라고 밝혔다`) may date
    the telling instead, unless the plan follows the date closely."""
    for match in _TO_COME.finditer(clause):
        syllable = match.group(1)
        final_l = (ord(syllable) - 0xAC00) % 28 == 8
        if final_l or syllable == "을" or (syllable == "는" and match.group(2)):
            if _TOLD.search(clause, match.end()) and match.start() > _CLOSE_PLAN:
                return False
            return not _past_tense(clause[:match.start()])
    return False


def is_bare(span: str) -> bool:
    """`10월`, `10월 9일`, `3월 초`, `13일`: no year and no relative word."""
    return bool(BARE_MONTH.match(span.strip()) or BARE_DAY.match(span.strip()))


_ADVERBIAL = re.compile(r"(?:에는|에도|에만|에|엔|,)(?=[\s,])")


def opens_sentence(text: str, opening: int, start: int) -> bool:
    """Nothing but spaces stands between the sentence's opening and the date."""
    return not text[opening + 1:start].strip()


def is_time_adverbial(text: str, end: int) -> bool:
    """`2015년에는 …`, `2015년, …`: the date sets the time of what the sentence tells next
    (unlike `2015년 설립된`, which dates a modifier only)."""
    return _ADVERBIAL.match(text, end) is not None


def _clause_after(text: str, end: int, limit: int = 300) -> str:
    """The rest of the sentence after a date (at most `limit` characters)."""
    stop = min(len(text), end + limit)
    match = _SENTENCE_END.search(text, end, stop)
    return text[end:match.start() if match else stop]


def story_value(span: str, value: str, earlier: list[EarlierDate], text: str, end: int,
                reference: dt.date | None) -> str:
    """The value of a bare date given the paragraph's earlier dates (nearest last)."""
    if reference is None:
        return value
    if BARE_PERIOD.match(span.strip()):
        return _period_of_story(value, earlier)
    if not is_bare(span):
        return value
    try:
        grain = granularity(value)
    except ValueError:
        return value
    past = [d for d in earlier if d.value[:10] <= reference.isoformat()[:len(d.value[:10])]]
    if BARE_DAY.match(span.strip()) and grain == "day":
        # `10월 9일 … 13일`: the month of the nearest earlier day in the paragraph
        for date in reversed(past):
            if granularity(date.value) == "day":
                if date.told_past and REPORTED.match(text, end):
                    # `지난달 26일 마무리했다고 13일 밝혔다`: the report's day is today's month
                    return _past(value, "day", text, end, reference)
                candidate = f"{date.value[:7]}-{value[8:10]}"
                return candidate if _valid(candidate) else value
        return _past(value, "day", text, end, reference)
    if grain in ("day", "month"):
        # `지난해 8월 … 10월 값을 올려`: the year of a month or day stated earlier in the
        # same sentence, or of the year the sentence opens with (`2015년에는 … 6월 통보했다`)
        for date in reversed(earlier):   # (`내년 1월 5일 … 2월 1일`: a later one too)
            if date.same_sentence and not date.bare \
                    and (granularity(date.value) in ("day", "month")
                         or (date.adverbial and granularity(date.value) == "year")):
                candidate = date.value[:4] + value[4:]
                if granularity(date.value) in ("day", "month") and value[5:7] < date.value[5:7]:
                    # `지난해 11월 조사에 들어갔고, 6월에는`: the year turned between them
                    turned = f"{int(candidate[:4]) + 1:04d}{candidate[4:]}"
                    if _valid(turned) and turned[:7] <= reference.isoformat()[:7]:
                        candidate = turned
                return candidate if _valid(candidate) else value
        return _past(value, "year", text, end, reference)
    return value


def _period_of_story(value: str, earlier: list[EarlierDate]) -> str:
    """`지난해 상반기 … 하반기부터`: a half or quarter later in the year than one stated
    before it in the same sentence is in that one's year (`지난해 4분기 … 1분기에는` is not:
    the year turned)."""
    for date in reversed(earlier):
        if not date.same_sentence or date.bare or date.value[4:6] not in ("-H", "-Q"):
            continue
        if date.value[4:6] == value[4:6] and date.value[6:] < value[6:]:
            return date.value[:4] + value[4:]
        return value
    return value


def _past(value: str, unit: str, text: str, end: int, reference: dt.date) -> str:
    """A bare date after the article date, in a clause told in the past: the last one; a
    bare month before it, in a clause that tells what is to come (`7월 16일 상장될
    예정이다` in November): the next year's."""
    clause = _clause_after(text, end)
    if value[:10] <= reference.isoformat()[:len(value[:10])]:
        if unit != "year" or value[:10] == reference.isoformat()[:len(value[:10])] \
                or not _to_come(clause):
            return value
        return _shifted(value, unit, 1)
    if not _past_tense(clause) or _FUTURE.search(clause) or _to_come(clause):
        return value
    return _shifted(value, unit, -1)


def _shifted(value: str, unit: str, step: int) -> str:
    """`value` a year (unit `year`) or a month (unit `day`) earlier or later."""
    if unit == "year":
        candidate = f"{int(value[:4]) + step:04d}{value[4:]}"
    else:
        months = int(value[:4]) * 12 + int(value[5:7]) - 1 + step
        candidate = f"{months // 12:04d}-{months % 12 + 1:02d}{value[7:]}"
    return candidate if _valid(candidate) else value


def _valid(value: str) -> bool:
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        granularity(value)
    except ValueError:
        return False
    return True
