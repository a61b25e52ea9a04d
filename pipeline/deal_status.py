"""A deal's status from the endings after its trigger's predicate (`status` rules).

The first `status` rule whose pattern matches right after the predicate decides:
DONE / PLANNED / EXPLORED, NEGATED (the statement is dropped), FOLLOW (a
connective such as `-해`: the next predicate's ending decides — `협력해 … 검증했다`
is DONE) or FINAL (a coordinating `-고`/`-며`: the tense of the clause's final
predicate decides — `파트너십을 체결하고 … 투자하기로 했다` is DONE for the
partnership; a rule's `final` gives the status a final predicate's ending
means there: `MOU를 체결하고 … 나선다` is DONE, though `나선다` alone is PLANNED) or MAIN
(the final predicate's own status: `인수하는 방식이며, … 투자한다` is PLANNED).
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.deal_rules import MarkerRule
from pipeline.deal_sentences import PREDICATE_TAGS, Sentence

MAX_DEPTH = 4


def _decide(sent: Sentence, at: int, rules: list[MarkerRule], depth: int,
            final: bool = False) -> tuple[str | None, str | None]:
    if at >= len(sent.units) or depth > MAX_DEPTH:
        return None, None
    for rule in rules:
        match = rule.pattern.compiled.match(sent.code, sent.offsets[at])
        if match is None:
            continue
        stop = sent.unit_of_offset(match.end()) if match.end() < len(sent.code) \
            else len(sent.units)
        if rule.value == "FOLLOW":
            return _follow(sent, max(stop, at + 1), rules, depth + 1)
        if rule.value in ("FINAL", "MAIN"):
            return _final(sent, max(stop, at + 1), rules, depth + 1, rule.value == "FINAL")
        return (rule.final or rule.value) if final else rule.value, rule.id
    return None, None


def _follow(sent: Sentence, start: int, rules: list[MarkerRule],
            depth: int) -> tuple[str | None, str | None]:
    """The status given by the next predicate that ends its clause. A relative clause
    decides only with a plan (`-ㄹ 계획이다`), a past (`사들여 이름을 바꾼 회사`,
    `협력해 개발한 칩`) or an option (`컨소시엄을 꾸려 도전하는 방안을 타진했다`); a present one
    (`-는`) is skipped for the predicate after it."""
    for j in range(start, len(sent.units) - 1):
        if sent.tag(j) not in PREDICATE_TAGS or sent.tag(j + 1)[:1] != "E":
            continue
        if sent.tag(j + 1) == "ETM":
            decided = _decide(sent, j + 1, rules, depth)
            # (an option is told with `-는`/`-ㄴ`: `도전하는 방안을 타진했다`; not a possibility
            # with `-ㄹ`: `절감할 수 있는 기술을 검증했다`)
            option = decided[0] == "EXPLORED" and sent.form(j + 1) in ("는", "ᆫ", "은")
            if decided[0] in ("PLANNED", "DONE") or option:
                return decided
            continue
        return _decide(sent, j + 1, rules, depth)
    return None, None


def _final(sent: Sentence, start: int, rules: list[MarkerRule],
           depth: int, coordinated: bool = True) -> tuple[str | None, str | None]:
    """The status given by the endings of the first sentence-final predicate after `start`
    (`coordinated`: as the end of a coordinated clause, a rule's `final`; else its own)."""
    for j in range(start, len(sent.units)):
        # (as the clause's own status, a reported clause ends it: `만든다고 … 밝혔다`)
        if sent.tag(j) != "EF" and (coordinated or sent.tag(j) != "EC"
                                    or not sent.form(j).endswith("다고")):
            continue
        k = j
        while k - 1 >= start and sent.tag(k - 1) in ("EP", "EF"):
            k -= 1
        if not coordinated and k - 3 >= start and sent.form(k - 1) == "하" \
                and sent.form(k - 2) == "로" and sent.tag(k - 3) == "ETN":
            k -= 3  # `만들기로 했다`: the plan, not the past tense of `하다`
        elif k - 2 >= start and sent.form(k - 1) == "있" and sent.tag(k - 1) == "VX" \
                and sent.form(k - 2) == "고" and sent.tag(k - 2) == "EC":
            k -= 2  # `사업을 벌이고 있다`: going on, from the `-고 있다` of the predicate
        plain = [r for r in rules if r.value not in ("FOLLOW", "FINAL", "MAIN")]
        return _decide(sent, k, plain, depth, final=coordinated)
    return None, None


def tense_status(sent: Sentence, after_head: int, rules: list[MarkerRule],
                 manner: bool = False) -> tuple[str | None, str | None]:
    """(status or NEGATED or None, id of the deciding rule) for a predicate ending at a unit;
    with `manner` (`손잡고 … 만들기로 했다`) a coordinated clause takes the final predicate's own
    status (MAIN), as the verb only says how the final one is done."""
    if manner:
        rules = [r if r.value != "FINAL" else replace(r, value="MAIN") for r in rules]
    return _decide(sent, after_head, rules, 0)
