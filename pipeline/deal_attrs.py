"""A deal's date, amount and duration from the mentions around its trigger.

* Date: the nearest DATE before the trigger in its sentence; else one after it
  that dates an announcement (`date_after` rules: `… 8일 밝혔다`); else the last
  DATE of a preceding sentence the statement continues (same paragraph, or a
  dropped subject, or `또`/`같은 달` …), never across a headline and never a
  report date (`date_skip` rules: `8일 업계에 따르면`).
* Amount / duration: the MONEY / DURATION nearest before the trigger, after the
  previous trigger of the sentence; never one that `amount_skip` rules rule out
  (per-share prices, valuations, revenue).
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.deal_rules import MarkerRule
from pipeline.deal_sentences import Mention, Sentence

LOOKBACK = 4  # sentences a dropped-subject statement may look back for its date
DATE_VALUE = re.compile(r"(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|Q([1-4])|H([12])))?")


def period_start(value: str) -> dt.date | None:
    """The first day of a DATE value (`2024`, `2024-06`, `2024-06-03`, `2025-Q1`, `2025-H2`)."""
    m = DATE_VALUE.fullmatch(value)
    if m is None:
        return None
    year, month, day, quarter, half = m.groups()
    if quarter:
        month = str(3 * int(quarter) - 2)
    elif half:
        month = "1" if half == "1" else "7"
    try:
        return dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def after_reference(value: str, reference: dt.date | None) -> bool:
    """A date that begins after the article's reference date: the deal cannot have been
    signed or announced then, so it is a target (`2026년 말 흡수합병될 예정`)."""
    start = period_start(value)
    return reference is not None and start is not None and start > reference


def _matches_after(sent: Sentence, at: int, rules: list[MarkerRule]) -> bool:
    if at >= len(sent.units):
        return False
    return any(r.pattern.compiled.match(sent.code, sent.offsets[at]) for r in rules)


def _matches_before(sent: Sentence, at: int, rules: list[MarkerRule]) -> bool:
    """A rule whose pattern ends exactly where unit `at` begins."""
    end = sent.offsets[at]
    for rule in rules:
        for start in range(max(0, at - 4), at):
            match = rule.pattern.compiled.match(sent.code, sent.offsets[start], end)
            if match is not None and match.end() == end:
                return True
    return False


def usable_dates(sent: Sentence, skips: list[MarkerRule],
                 reference: dt.date | None = None) -> list[Mention]:
    """DATE mentions with a value that are neither report dates, period bounds nor targets
    after the article's reference date."""
    return [d for d in sent.dates
            if isinstance(d.value, str) and d.value and not _matches_after(sent, d.stop, skips)
            and not after_reference(d.value, reference)]


def date_in_sentence(sent: Sentence, head: int, skips: list[MarkerRule],
                     afters: list[MarkerRule], reference: dt.date | None = None,
                     lo: int = 0, before_only: bool = False) -> str | None:
    """The deal's DATE in its sentence: the nearest before the trigger (from unit `lo` on),
    else (unless `before_only`) a date in its own clause or an announcement date after it."""
    return sentence_date(sent, head, skips, afters, reference, lo, before_only)[0]


def sentence_date(sent: Sentence, head: int, skips: list[MarkerRule],
                  afters: list[MarkerRule], reference: dt.date | None = None,
                  lo: int = 0, before_only: bool = False) -> tuple[str | None, bool]:
    """`date_in_sentence`, and whether the date is only the announcement's (`… 맺었다고 5일
    밝혔다`), which another sentence's own date of the deal outranks."""
    dates = [d for d in usable_dates(sent, skips, reference) if d.first >= lo]
    before = [d for d in dates if d.first < head]
    if before:
        return before[-1].value, False
    if before_only:
        return None, False
    # `투자 유치를 지난달 마쳤다고 1일 밝혔다`: a date inside the trigger's own clause (no
    # ending between them) dates the deal before any announcement date
    for d in dates:
        if d.first >= head:
            endings = [i for i in range(head, d.first) if sent.tag(i) in ("EF", "EC", "SF")]
            if not endings or _date_of_chain_end(sent, endings, d):
                return d.value, False
            break
    for d in dates:
        if d.first >= head and _matches_after(sent, d.stop, afters):
            # `합병하기로 하고 14일 이사회에서 의결했다고 15일 밝혔다`: a day of the same month
            # between the trigger and the announcement is the deal's own
            own = [e for e in dates if head <= e.first < d.first and len(e.value) == 10
                   and e.value[:7] == d.value[:7] and e.value <= d.value]
            return (own[-1].value, False) if own else (d.value, True)
    return None, False


def _date_of_chain_end(sent: Sentence, endings: list[int], date: Mention) -> bool:
    """`B와 출자해 2020년 세운 합작법인`, `B와 손잡고 2020년 만든 회사`: one linking ending
    (`endings`: those between the trigger and the date), then the date of the verb that
    ends the chain in a noun it describes: one event, told in two verbs."""
    after = date.stop
    return len(endings) == 1 and sent.form(endings[0]) in ("어", "아", "고") \
        and after + 1 < len(sent.units) and sent.tag(after).startswith("VV") \
        and sent.tag(after + 1) == "ETM"


def inherited_date(sentences: list[Sentence], k: int, continues: bool,
                   skips: list[MarkerRule], reference: dt.date | None = None,
                   afters: list[MarkerRule] | None = None) -> str | None:
    """The last date of the sentences before `k` that this statement continues; an
    announcement date (`… 마쳤다고 1일 밝혔다`) only when that sentence has no other."""
    here = sentences[k]
    for j in range(k - 1, max(-1, k - 1 - LOOKBACK), -1):
        prev = sentences[j]
        if prev.headline:
            return None
        if prev.line != here.line and not continues:
            return None
        dates = usable_dates(prev, skips, reference)
        if dates:
            own = [d for d in dates if not (afters and _matches_after(prev, d.stop, afters))]
            value = (own or dates)[-1].value
            # a bare year (`올해 … 최대어로 꼽혔다`) frames the story, it does not date a deal
            return value if continues or len(value) > 4 else None
    return None


def _value_in_window(mentions: list[Mention], sent: Sentence, lo: int, hi: int,
                     skips: list[MarkerRule] | None = None) -> object | None:
    chosen = None
    for m in mentions:
        if m.first < lo or m.first >= hi or m.value is None:
            continue
        if skips and (_matches_before(sent, m.first, [r for r in skips if r.value == "before"])
                      or _matches_after(sent, m.stop,
                                        [r for r in skips if r.value == "after"])):
            continue
        chosen = m.value
    return chosen


_COORDINATING = frozenset({"고", "며", "으며", "지만", "는데", "은데", "으나", "나"})


def clause_start(sent: Sentence, lo: int, hi: int) -> int:
    """The first unit after the last coordinated clause that ends before `hi` (`…을 증설했고,
    같은 해 4월 B에 지분을 투자해`): money of the earlier clause is that clause's, not the
    deal's. A means clause (`2000억원을 들여 B를 인수했다`) runs on and is kept."""
    start = lo
    for i in range(lo, min(hi, len(sent.units)) - 1):
        if sent.tag(i) == "EC" and sent.form(i) in _COORDINATING and sent.form(i + 1) == ",":
            start = i + 2
    return start


def amount_in_window(sent: Sentence, lo: int, hi: int, skips: list[MarkerRule]) -> dict | None:
    value = _value_in_window(sent.moneys, sent, clause_start(sent, lo, hi), hi, skips)
    return value if isinstance(value, dict) else None


def duration_in_window(sent: Sentence, lo: int, hi: int) -> str | None:
    value = _value_in_window(sent.durations, sent, lo, hi)
    return value if isinstance(value, str) else None


def followup_values(sent: Sentence, rules: list[MarkerRule], total_words: frozenset[str],
                    start: int = 0, total_verbs: frozenset[str] = frozenset(),
                    skips: list[MarkerRule] | None = None,
                    ) -> tuple[dict | None, str | None, str | None, int]:
    """(amount, duration, rule id, unit where the rule matched) from a sentence such as
    `계약 규모는 총 8억7000만달러다`, looking from unit `start` on.

    Of several amounts the one marked as the total (`모두 5000억원`, `… 합친 4억달러`) wins,
    else the first; money that `skips` rule out (`주당 11만원`) is never taken.
    """
    befores = [r for r in skips or [] if r.value == "before"]
    afters = [r for r in skips or [] if r.value == "after"]
    if start >= len(sent.units):
        return None, None, None, start
    for rule in rules:
        match = rule.pattern.compiled.search(sent.code, sent.offsets[start])
        if match is None:
            continue
        at = sent.unit_of_offset(match.start())
        if _matches_before(sent, at, befores):
            continue  # `주당 양수 가격은 2만3518원`: the price of one share
        # a rule may start inside the amount (`1조원을 들여`): take the money it starts in too
        moneys = [m for m in sent.moneys if m.stop > at and isinstance(m.value, dict)
                  and not _matches_before(sent, m.first, befores)
                  and not _matches_after(sent, m.stop, afters)]
        totals = [m for m in moneys
                  if sent.text_between(m.start, m.end).startswith(tuple(total_words))
                  or sent.form(m.first - 1) in total_words
                  or (sent.tag(m.first - 1) == "ETM" and sent.form(m.first - 2) in total_verbs)]
        chosen = (totals or moneys or [None])[0]
        durations = [m.value for m in sent.durations if isinstance(m.value, str)]
        if chosen is None and not durations:
            continue
        return (chosen.value if chosen else None), (durations[0] if durations else None), \
            rule.id, at
    return None, None, None, start
