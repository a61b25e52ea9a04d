"""`rules/deals.yaml`: reading and checking the deal rules (one list, rules told apart by kind).

Kinds:
* ``trigger`` — one way news states a deal (`투자/NNG 하/XSV`): its type, how its
  status is found, which particle roles give the company and the partners.
* ``role`` — a particle after a company and the role it gives (`와/JKB` → WITH).
* ``status`` — an ending after a trigger's predicate and the status it gives
  (`기/ETN 로/JKB` → PLANNED), or where to look next (FOLLOW, FINAL).
* ``date_skip`` — context after a DATE that makes it not the deal's date
  (`8일 업계에 따르면`); ``date_after`` — context that lets a DATE after the
  trigger date the deal (`… 체결했다고 8일 밝혔다`).
* ``amount_skip`` — context before/after a MONEY that makes it not a deal amount
  (`주당`, `기업가치`, `… 매출`).
* ``veto`` — context before a talks trigger that makes it a meeting, not a deal
  (`총회에 참석해 … 협력 방향을 논의했다`): EXPLORED statements are dropped.
* ``amount_followup`` — a sentence that gives the amount of the deal just stated
  (`인수 금액은 15억유로다`, `계약 규모는 총 8억7000만달러다`).
* ``date_followup`` — a sentence that gives the signing day of the deal just stated,
  which replaces the announcement date (`계약서에 서명한 날은 지난 15일이다`).

Top-level sections: ``words`` (named word sets, `@name` in patterns) and
``type_precedence`` (which type a merged record keeps). Rules are layered by id
over rule folders (`pipeline.rulefiles`), so a user folder can replace one rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.deal_pattern import MorphPattern, PatternError
from pipeline.problems import RuleProblem
from pipeline.rulefiles import Rule, check_keys, check_type, line_of, load_rule_layers

FILENAME = "deals.yaml"
DEAL_TYPES = ("INVESTMENT", "ACQUISITION", "MERGER", "JOINT_VENTURE", "MOU", "PARTNERSHIP",
              "CONTRACT", "COOPERATION")
ASYMMETRIC = frozenset({"INVESTMENT", "ACQUISITION"})
STATUSES = ("DONE", "PLANNED", "EXPLORED")
STATUS_ACTIONS = (*STATUSES, "NEGATED", "FOLLOW", "FINAL", "MAIN")
# ALONG: `A와 함께` — a co-investor or co-buyer of an asymmetric deal, a partner of the
# others; CORE: `A를 중심으로` — the company the others are merged into; HELD: `A 지분
# 100%를 가진 지주회사 B` — the operating company a holding company is bought for
ROLES = ("TOPIC", "SUBJ", "WITH", "ALONG", "TO", "OBJ", "GEN", "OF", "FROM", "AS", "CORE",
         "HELD", "PRED", "NONE")
# SUBJECT: the clause's subject, else the company the text is about;
# MAIN: the company whose funding round the article reports (`리벨리온은 … 시리즈C 투자
# 유치를 진행`), for investors that name no investee;
# TARGET: the company last named as changing hands (`이베이코리아 인수`), for bids;
# STAKE_TARGET: the same, when the clause's object is a stake no company is named for
# (`이 회장 지분을 인수해`);
# REST_TARGET: the company whose stake a statement of the last few sentences bought, when
# the clause's object is the rest of a stake (`이어 나머지 지분을 사들였다`);
# CONTEXT: the company the text is about, when it is not the clause's subject
# (`지난해 11월에는 다이이찌산쿄가 손을 잡았다`: 다이이찌산쿄 joined the article's company);
# HEAD: the company a relative clause describes (`소프트뱅크에 인수된 ARM`);
# DESCRIBED: the topic a relative clause with a copula head describes (`밥캣은 A가 사들인
# 회사다`)
SIDE_ROLES = (*ROLES, "SUBJECT", "MAIN", "TARGET", "STAKE_TARGET", "REST_TARGET", "CONTEXT",
              "HEAD", "DESCRIBED")
WHERE = ("body", "headline", "any", "lead")

COMMON_KEYS = ("id", "kind", "note", "examples")
KIND_KEYS = {
    "trigger": (("type", "pattern"),
                ("status", "default_status", "status_map", "company", "partners", "priority",
                 "where", "minority", "majority", "completes", "subject_pair",
                 "sells_topic_shares", "manner", "standing", "each_partner", "adds_up",
                 "plain_talks", "bracket_holders", "target_side", "one_holder")),
    "role": (("pattern", "role"), ("after",)),
    "status": (("pattern", "status"), ("final",)),
    "date_skip": (("pattern",), ()),
    "date_after": (("pattern",), ()),
    "amount_skip": (("pattern", "side"), ("except_types",)),
    "amount_followup": (("pattern",), ("reach", "types")),
    "date_followup": (("pattern",), ()),
    "veto": (("pattern",), ()),
}


@dataclass
class Example:
    """A marked-up text and the deals expected from it (an empty list: no deal)."""

    text: str
    deals: list[dict[str, Any]]
    rule: str
    file: str
    line: int | None
    published: dt.date | None = None


@dataclass
class TriggerRule:
    id: str
    type: str
    patterns: list[MorphPattern]
    status: str                 # "tense" or a fixed status
    default_status: str
    company: list[str]
    partners: list[str]
    priority: int
    where: str
    file: str
    line: int | None
    status_map: dict[str, str] = field(default_factory=dict)
    minority: str | None = None     # the type when the stake in the clause is below 50 %
    majority: str | None = None     # the type when it is 50 % or more
    completes: bool = False         # ends a deal stated before (its completion or withdrawal)
    subject_pair: bool = False      # `A와 B는 … 결의했다` with no partner: A and B are the sides
    sells_topic_shares: bool = False  # `A는 B가 보유한 주식을 C에 넘기는 …`: A's shares are sold
    manner: bool = False            # `A와 손잡고 … 만들기로 했다`: the final predicate's own status
    standing: bool = False          # a standing fact (`B의 최대주주다`), not an event of a day
    each_partner: bool = False      # `공급업체로 A, B를 선정했다`: one deal with each partner
    adds_up: bool = False           # the verb also adds amounts up (`…까지 합쳐 2553억원`)
    plain_talks: bool = False       # talks that stand only when no sale is named beside them
    bracket_holders: bool = False   # `최대주주 A(31.26%)와 2대 주주 B(19.11%)`: each holds one
    target_side: bool = False       # the subject may be the company being sold: then it is
    #                                 the partner (`극동건설은 B와 인수합병 투자계약을 맺었다`)
    one_holder: bool = False        # a rank one company holds (`A, B가 최대주주인 C, D`): the
    #                                 subject's last company, and the head's first

    @property
    def asymmetric(self) -> bool:
        return self.type in ASYMMETRIC


@dataclass
class MarkerRule:
    """A `role`, `status`, `date_skip`, `date_after` or `amount_skip` rule."""

    id: str
    kind: str
    pattern: MorphPattern
    value: str                  # the role, the status action, or the side
    file: str
    line: int | None
    final: str | None = None    # status rules: the status when it ends a coordinated clause
    after: tuple[str, ...] = ()  # role rules: the group must follow one of these words
    reach: int = 0              # amount_followup rules: sentences past the next one it may be
    # amount_skip rules: deal types whose amount the marked money still is (`자본금` of a JV)
    except_types: tuple[str, ...] = ()
    # amount_followup rules: the deal types whose amount it gives (empty: every type)
    types: tuple[str, ...] = ()


@dataclass
class DealRuleSet:
    """Every deal rule, compiled, in file order per kind."""

    triggers: list[TriggerRule] = field(default_factory=list)
    roles: list[MarkerRule] = field(default_factory=list)
    statuses: list[MarkerRule] = field(default_factory=list)
    date_skips: list[MarkerRule] = field(default_factory=list)
    date_afters: list[MarkerRule] = field(default_factory=list)
    amount_skips: list[MarkerRule] = field(default_factory=list)
    amount_followups: list[MarkerRule] = field(default_factory=list)
    date_followups: list[MarkerRule] = field(default_factory=list)
    vetoes: list[MarkerRule] = field(default_factory=list)
    words: dict[str, list[str]] = field(default_factory=dict)
    type_precedence: list[str] = field(default_factory=lambda: list(DEAL_TYPES))
    examples: list[Example] = field(default_factory=list)


def _words(layers: Any, problems: list[RuleProblem]) -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    lines = layers.section_lines("words")
    for name, items in layers.merged_section("words").items():
        where = str(layers.files[-1].path) if layers.files else FILENAME
        if not isinstance(items, list) or not all(isinstance(w, str | int) for w in items):
            problems.append(RuleProblem(where, f"words.{name}", "a word set must be a list of "
                                        "words", lines.get(name)))
            continue
        words[str(name)] = [str(w) for w in items]
    return words


def _patterns(rule: Rule, words: dict[str, list[str]],
              problems: list[RuleProblem]) -> list[MorphPattern]:
    raw = rule.data.get("pattern")
    sources = raw if isinstance(raw, list) else [raw]
    out = []
    for source in sources:
        if not check_type(source, str, "pattern", file=str(rule.file), rule=rule.id,
                          line=line_of(rule.data, "pattern"), problems=problems):
            continue
        try:
            out.append(MorphPattern.compile(source, words))
        except PatternError as error:
            problems.append(RuleProblem(str(rule.file), rule.id, f"bad pattern {source!r}: "
                                        f"{error}", line_of(rule.data, "pattern")))
    return out


def _choice(rule: Rule, key: str, allowed: tuple[str, ...], default: Any,
            problems: list[RuleProblem]) -> Any:
    value = rule.data.get(key, default)
    if value not in allowed:
        problems.append(RuleProblem(str(rule.file), rule.id, f"{key} must be one of "
                                    f"{', '.join(allowed)}, not {value!r}",
                                    line_of(rule.data, key)))
        return default
    return value


def _side(rule: Rule, key: str, default: list[str], problems: list[RuleProblem]) -> list[str]:
    value = rule.data.get(key, default)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or any(v not in SIDE_ROLES for v in value):
        problems.append(RuleProblem(str(rule.file), rule.id, f"{key} must be a list of roles "
                                    f"from {', '.join(SIDE_ROLES)}", line_of(rule.data, key)))
        return default
    return [str(v) for v in value]


def _trigger(rule: Rule, words: dict[str, list[str]],
             problems: list[RuleProblem]) -> TriggerRule | None:
    file = str(rule.file)
    patterns = _patterns(rule, words, problems)
    deal_type = _choice(rule, "type", DEAL_TYPES, None, problems)
    status = _choice(rule, "status", ("tense", *STATUSES), "tense", problems)
    default_status = _choice(rule, "default_status", STATUSES, "DONE", problems)
    company = _side(rule, "company", ["SUBJECT"], problems)
    partners = _side(rule, "partners", ["WITH"], problems)
    priority = rule.data.get("priority", 0)
    check_type(priority, int, "priority", file=file, rule=rule.id,
               line=line_of(rule.data, "priority"), problems=problems)
    where = _choice(rule, "where", WHERE, "body", problems)
    minority = _choice(rule, "minority", (*DEAL_TYPES, None), None, problems)
    majority = _choice(rule, "majority", (*DEAL_TYPES, None), None, problems)
    status_map = rule.data.get("status_map") or {}
    if not isinstance(status_map, dict) or any(
            k not in STATUSES or v not in STATUSES for k, v in status_map.items()):
        problems.append(RuleProblem(file, rule.id, "status_map maps a status to a status "
                                    "(`{DONE: EXPLORED}`)", line_of(rule.data, "status_map")))
        status_map = {}
    flags = {}
    for key in ("completes", "subject_pair", "sells_topic_shares", "manner", "standing",
                "each_partner", "adds_up", "plain_talks", "bracket_holders", "target_side",
                "one_holder"):
        flags[key] = rule.data.get(key, False)
        check_type(flags[key], bool, key, file=file, rule=rule.id,
                   line=line_of(rule.data, key), problems=problems)
    if not patterns or deal_type is None:
        return None
    return TriggerRule(rule.id, deal_type, patterns, status, default_status, company, partners,
                       priority if isinstance(priority, int) else 0, where, file, rule.line,
                       dict(status_map), minority, majority, flags["completes"] is True,
                       flags["subject_pair"] is True, flags["sells_topic_shares"] is True,
                       flags["manner"] is True, flags["standing"] is True,
                       flags["each_partner"] is True, flags["adds_up"] is True,
                       flags["plain_talks"] is True, flags["bracket_holders"] is True,
                       flags["target_side"] is True, flags["one_holder"] is True)


def _marker(rule: Rule, kind: str, words: dict[str, list[str]],
            problems: list[RuleProblem]) -> MarkerRule | None:
    patterns = _patterns(rule, words, problems)
    if kind == "role":
        value = _choice(rule, "role", ROLES, None, problems)
    elif kind == "status":
        value = _choice(rule, "status", STATUS_ACTIONS, None, problems)
    elif kind == "amount_skip":
        value = _choice(rule, "side", ("before", "after"), None, problems)
    else:
        value = kind
    if len(patterns) != 1 or value is None:
        if len(patterns) > 1:
            problems.append(RuleProblem(str(rule.file), rule.id, "a marker has one pattern",
                                        line_of(rule.data, "pattern")))
        return None
    final = _choice(rule, "final", (*STATUSES, None), None, problems) if kind == "status" \
        else None
    after = tuple(str(w) for w in rule.data.get("after") or ()) if kind == "role" else ()
    reach = rule.data.get("reach", 0) if kind == "amount_followup" else 0
    if not isinstance(reach, int) or isinstance(reach, bool) or reach < 0:
        problems.append(RuleProblem(str(rule.file), rule.id, "reach must be a whole number ≥ 0",
                                    line_of(rule.data, "reach")))
        reach = 0
    except_types = _deal_types(rule, "except_types", problems) if kind == "amount_skip" else ()
    types = _deal_types(rule, "types", problems) if kind == "amount_followup" else ()
    return MarkerRule(rule.id, kind, patterns[0], value, str(rule.file), rule.line, final, after,
                      reach, except_types, types)


def _deal_types(rule: Rule, key: str, problems: list[RuleProblem]) -> tuple[str, ...]:
    types = tuple(str(t) for t in rule.data.get(key) or ())
    bad = [t for t in types if t not in DEAL_TYPES]
    if bad:
        problems.append(RuleProblem(str(rule.file), rule.id, f"unknown deal types {bad}",
                                    line_of(rule.data, key)))
    return types


def _examples(rule: Rule, problems: list[RuleProblem]) -> list[Example]:
    file = str(rule.file)
    raw = rule.data.get("examples", [])
    if not isinstance(raw, list):
        problems.append(RuleProblem(file, rule.id, "examples must be a list",
                                    line_of(rule.data, "examples")))
        return []
    out = []
    for item in raw:
        line = line_of(item) or rule.line
        if not isinstance(item, dict) or not check_keys(
                item, required=("text", "deals"), optional=("note", "published"), file=file,
                rule=rule.id,
                what="an example", problems=problems):
            if not isinstance(item, dict):
                problems.append(RuleProblem(file, rule.id, "an example must be a mapping "
                                            "with text and deals", line))
            continue
        if not isinstance(item["text"], str) or not isinstance(item["deals"], list):
            problems.append(RuleProblem(file, rule.id, "example text must be text and deals "
                                        "a list", line))
            continue
        published = item.get("published")
        if published is not None and not isinstance(published, dt.date):
            try:
                published = dt.date.fromisoformat(str(published))
            except ValueError:
                problems.append(RuleProblem(file, rule.id, "example published must be a date "
                                            "(YYYY-MM-DD)", line))
                continue
        out.append(Example(item["text"], list(item["deals"]), rule.id, file, line, published))
    return out


def load_rule_set(dirs: list[Path]) -> tuple[DealRuleSet, list[RuleProblem]]:
    """Load and compile `deals.yaml` from every folder (later folders override by id)."""
    layers = load_rule_layers(dirs, FILENAME)
    problems = list(layers.problems)
    rules = DealRuleSet()
    rules.words = _words(layers, problems)
    precedence = layers.top_value("type_precedence")
    if precedence is not None:
        if isinstance(precedence, list) and sorted(precedence) == sorted(DEAL_TYPES):
            rules.type_precedence = [str(t) for t in precedence]
        else:
            problems.append(RuleProblem(FILENAME, "type_precedence", "type_precedence must "
                                        "list every deal type once"))
    targets = {"role": rules.roles, "status": rules.statuses, "date_skip": rules.date_skips,
               "date_after": rules.date_afters, "amount_skip": rules.amount_skips,
               "amount_followup": rules.amount_followups,
               "date_followup": rules.date_followups, "veto": rules.vetoes}
    for rule in layers:
        kind = rule.data.get("kind")
        if kind not in KIND_KEYS:
            problems.append(RuleProblem(str(rule.file), rule.id, f"kind must be one of "
                                        f"{', '.join(KIND_KEYS)}, not {kind!r}",
                                        line_of(rule.data, "kind")))
            continue
        required, optional = KIND_KEYS[kind]
        check_keys(rule.data, required=(*COMMON_KEYS[:2], *required),
                   optional=(*COMMON_KEYS[2:], *optional), file=str(rule.file), rule=rule.id,
                   what=f"a {kind} rule", problems=problems)
        examples = _examples(rule, problems)
        if kind == "trigger":
            trigger = _trigger(rule, rules.words, problems)
            if trigger is not None:
                rules.triggers.append(trigger)
            positives = [e for e in examples if e.deals]
            if not positives or len(positives) == len(examples):
                problems.append(RuleProblem(str(rule.file), rule.id, "a trigger needs at least "
                                            "one example with a deal and one without",
                                            rule.line))
        else:
            marker = _marker(rule, kind, rules.words, problems)
            if marker is not None:
                targets[kind].append(marker)
            if not examples:
                problems.append(RuleProblem(str(rule.file), rule.id, "a rule needs at least one "
                                            "example", rule.line))
        rules.examples.extend(examples)
    return rules, problems
