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

from pipeline.deal_rules import MarkerRule
from pipeline.deal_sentences import Mention, Sentence

LOOKBACK = 4  # sentences a dropped-subject statement may look back for its date


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


def usable_dates(sent: Sentence, skips: list[MarkerRule]) -> list[Mention]:
    """DATE mentions with a value that are not report dates."""
    return [d for d in sent.dates
            if isinstance(d.value, str) and d.value and not _matches_after(sent, d.stop, skips)]


def date_in_sentence(sent: Sentence, head: int, skips: list[MarkerRule],
                     afters: list[MarkerRule]) -> str | None:
    dates = usable_dates(sent, skips)
    before = [d for d in dates if d.first < head]
    if before:
        return before[-1].value
    for d in dates:
        if d.first >= head and _matches_after(sent, d.stop, afters):
            return d.value
    return None


def inherited_date(sentences: list[Sentence], k: int, continues: bool,
                   skips: list[MarkerRule]) -> str | None:
    """The last date of the sentences before `k` that this statement continues."""
    here = sentences[k]
    for j in range(k - 1, max(-1, k - 1 - LOOKBACK), -1):
        prev = sentences[j]
        if prev.headline:
            return None
        if prev.line != here.line and not continues:
            return None
        dates = usable_dates(prev, skips)
        if dates:
            return dates[-1].value
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


def amount_in_window(sent: Sentence, lo: int, hi: int, skips: list[MarkerRule]) -> dict | None:
    value = _value_in_window(sent.moneys, sent, lo, hi, skips)
    return value if isinstance(value, dict) else None


def duration_in_window(sent: Sentence, lo: int, hi: int) -> str | None:
    value = _value_in_window(sent.durations, sent, lo, hi)
    return value if isinstance(value, str) else None


def followup_values(sent: Sentence, rules: list[MarkerRule], total_words: frozenset[str],
                    ) -> tuple[dict | None, str | None, str | None]:
    """(amount, duration, rule id) from a sentence such as `계약 규모는 총 8억7000만달러다`.

    Of several amounts the one marked as the total (`모두 5000억원`) wins, else the first.
    """
    for rule in rules:
        match = rule.pattern.compiled.search(sent.code)
        if match is None:
            continue
        at = sent.unit_of_offset(match.start())
        moneys = [m for m in sent.moneys if m.first >= at and isinstance(m.value, dict)]
        totals = [m for m in moneys
                  if sent.text_between(m.start, m.end).startswith(tuple(total_words))
                  or sent.form(m.first - 1) in total_words]
        chosen = (totals or moneys or [None])[0]
        durations = [m.value for m in sent.durations if isinstance(m.value, str)]
        if chosen is None and not durations:
            continue
        return (chosen.value if chosen else None), (durations[0] if durations else None), \
            rule.id
    return None, None, None
