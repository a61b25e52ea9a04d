"""MONEY, DATE and DURATION mentions from the rule files rules/{money,dates,durations}.yaml.

Works on the raw text with regex scans (no tokenizer). Every rule's regex runs
over the text with a time limit; overlapping candidates are settled by
priority, then length; values are computed by the normalizer the rule names
(`pipeline.money`, `pipeline.dates`, `pipeline.durations`). The examples of the
rule files are checked by running this same `find` over them.

Rule file format (see the comment at the top of each file):

    reference_date: 2024-12-31      # for the examples
    macros: {name: regex}           # used in patterns as {name}
    <tables>                        # currencies, relative_years, …: word → value
    rules:
      - id: money.amount
        pattern: '{pre}{amount}{post}'
        value: money                # or {normalizer: date_backref, unit: day}
        priority: 0                 # higher wins an overlap, then the longer match
        examples:
          - value: {amount: 2400000000000, currency: KRW}
            texts: ["KT는 [2조4000억원]을 투자한다"]
        negatives: ["1000여명의 인재", "월 [2억3000만개]"]

A rule whose `value` is `ignore` takes part in the overlap contest but makes
no mention: it keeps text (`2000만주`, `매월 1일`) away from the other rules,
of any of the three files. A group named `span` in a pattern, when present,
is the mention; otherwise the whole match is (edge spaces trimmed).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from pipeline.date_context import (
    REPORTED,
    EarlierDate,
    continues_story,
    is_bare,
    is_time_adverbial,
    opens_sentence,
    story_value,
)
from pipeline.dates import (
    DEFAULT_WORDS,
    DateReader,
    DateWords,
    previous_business_day,
    resolve_backref,
)
from pipeline.durations import parse_duration
from pipeline.money import DEFAULT_CURRENCIES, DEFAULT_SYMBOLS, parse_money
from pipeline.numerals import NormalizeError
from pipeline.problems import RuleProblem
from pipeline.regex_guard import guarded
from pipeline.rulefiles import (
    DEFAULT_TIMEOUT,
    LineDict,
    LineList,
    RegexTimeout,
    Rule,
    RuleLayers,
    check_keys,
    check_type,
    compile_regex,
    expand_macros,
    finditer_with_timeout,
    line_of,
    load_rule_layers,
    resolve_macros,
    table_alternation,
)

__all__ = ["FILES", "CompiledRule", "RuleExample", "ValueMatch", "ValueRules", "load_value_rules",
           "parse_marked"]

FILES = {"money.yaml": "MONEY", "dates.yaml": "DATE", "durations.yaml": "DURATION"}

# Tables each file may have, and the macro generated from each (its words, longest first).
TABLES: dict[str, dict[str, str]] = {
    "MONEY": {"currencies": "currency", "currency_symbols": "currency_symbol"},
    "DATE": {"relative_years": "relative_year", "relative_months": "relative_month",
             "relative_days": "relative_day", "relative_weeks": "relative_week",
             "mods": "mod", "year_mods": "year_mod"},
    "DURATION": {},
}
TOP_KEYS = ("description", "reference_date", "macros", "rules")
RULE_KEYS = ("id", "pattern", "value")
RULE_OPTIONAL = ("priority", "description", "examples", "negatives", "disabled")
NORMALIZERS: dict[str, dict[str, tuple[type, ...]]] = {
    # normalizer name → allowed parameters and their types, per label
    "money": {"default_currency": (str,)},
    "date": {},
    "date_backref": {"unit": (str,), "shift": (int,), "fallback": (bool,),
                     "news_day": (bool,), "rest": (str,), "business": (bool,),
                     "story_day": (bool,), "from_story_day": (bool,)},
    "duration": {},
    "ignore": {},
}
LABEL_NORMALIZERS = {"MONEY": ("money", "ignore"),
                     "DATE": ("date", "date_backref", "ignore"),
                     "DURATION": ("duration", "ignore")}


# How far back and ahead a date looks for its sentence, paragraph and clause.
_CONTEXT_CHARS = 1500


_RECENT_PAST = regex.compile(r"지난\s*(?:\d|달)")


def _announces_an_earlier_day(text: str, end: int, value: object,
                              same_sentence: Sequence[str | None]) -> bool:
    """`HMM은 14일 … 계약을 맺었다고 15일 밝혔다`: the day a deal told on an earlier day of
    the same sentence was announced; `같은 날`, `이날` after it mean the deal's day, so it is
    no referent of theirs."""
    if not isinstance(value, str) or len(value) != 10 or not REPORTED.match(text, end):
        return False
    return any(earlier and len(earlier) == 10 and earlier < value for earlier in same_sentence)


TOLD_PAST, COUNTED_BACK, MEASURED_ON = 1, 2, 3
# a day a price or a count is taken on (`9월 27일 종가와 비교하면`, `6월 30일 기준`): a
# yardstick, not the day the story reports
_MEASURED_ON = regex.compile(r"\s*(?:종가|기준|시가|장중|현재)")


def _background_kind(span: str, rule: CompiledRule, after: str = "") -> int:
    """Why `이날` does not point to a date (0: it may): told as recently past (`지난 12일`,
    `지난달 29일`, not `지난해 11월 2일`, a past story with its own day), counted back from
    another (`전날`, `전 거래일`) or a day something is measured on (`9월 27일 종가`)."""
    if _RECENT_PAST.match(span):
        return TOLD_PAST
    if _MEASURED_ON.match(after):
        return MEASURED_ON
    return COUNTED_BACK if rule.normalizer == "date_backref" and bool(
        rule.params.get("shift") or rule.params.get("business")) else 0


@dataclass(frozen=True)
class ValueMatch:
    """One MONEY/DATE/DURATION mention found in a text."""

    label: str  # "MONEY" | "DATE" | "DURATION"
    start: int  # offsets into the text, end exclusive
    end: int
    rule: str  # id of the rule that produced it
    value: object  # JSON-ready: dict for MONEY, str | None for DATE/DURATION
    mod: str | None = None  # DATE only: "START" | "MID" | "END"


@dataclass(frozen=True)
class RuleExample:
    """One example text of a rule, with the marked span and the value it must give."""

    text: str  # without the [ ] marks
    start: int | None  # the marked span, None for an unmarked negative
    end: int | None
    expected: Any  # normalized expected value (positive examples only)
    positive: bool
    line: int | None


@dataclass
class CompiledRule:
    """A rule ready to run: its compiled regex, normalizer and examples."""

    id: str
    label: str
    file: Path
    line: int | None
    pattern: regex.Pattern[str]
    normalizer: str
    params: dict[str, Any]
    priority: int
    order: int
    examples: list[RuleExample] = field(default_factory=list)
    # `pattern` with a first-character guard (`pipeline.regex_guard`): the same matches,
    # found faster; what the scan of a text runs
    scan: regex.Pattern[str] | None = field(default=None, repr=False)


class ValueRules:
    """The compiled MONEY/DATE/DURATION rules of a run; `find` is all the pipeline needs."""

    def __init__(self, rules: list[CompiledRule], currencies: Mapping[str, str],
                 symbols: Mapping[str, str], date_words: DateWords,
                 references: Mapping[Path, dt.date | None],
                 default_reference: Mapping[str, dt.date | None],
                 timeout: float = DEFAULT_TIMEOUT):
        self.rules = rules
        self.currencies = dict(currencies)
        self.symbols = dict(symbols)
        self.date_reader = DateReader(date_words)
        self.references = dict(references)
        self.default_reference = dict(default_reference)
        self.timeout = timeout
        self._values: dict[tuple, tuple[tuple[object, str | None] | None,
                                        NormalizeError | None]] = {}

    # --- finding ---------------------------------------------------------------------

    def find(self, text: str, reference: dt.date | None,
             warnings: list[str] | None = None) -> list[ValueMatch]:
        """All MONEY/DATE/DURATION mentions, non-overlapping, sorted by start.

        A rule whose regex times out on this text is skipped and a message is
        appended to `warnings`; so is a value that cannot be computed (the
        mention is kept with a `None` value).
        """
        warnings = warnings if warnings is not None else []
        candidates: list[tuple[int, int, int, int, int, CompiledRule]] = []
        for rule in self.rules:
            try:
                matches = finditer_with_timeout(rule.scan or rule.pattern, text,
                                                self.timeout)
            except RegexTimeout as error:
                warnings.append(f"{rule.file} [{rule.id}]: rule skipped on this text: {error}")
                continue
            for match in matches:
                start, end = _trimmed_span(text, match)
                if end > start:
                    candidates.append((-rule.priority, -(end - start), start, rule.order,
                                       end, rule))
        candidates.sort(key=lambda c: c[:4])
        starts: list[int] = []
        chosen: list[tuple[int, int, CompiledRule]] = []
        for _, _, start, _, end, rule in candidates:
            index = bisect.bisect_right(starts, start)
            if index > 0 and chosen[index - 1][1] > start:
                continue
            if index < len(chosen) and chosen[index][0] < end:
                continue
            starts.insert(index, start)
            chosen.insert(index, (start, end, rule))
        return self._with_values(text, chosen, reference, warnings)

    def _with_values(self, text: str, chosen: list[tuple[int, int, CompiledRule]],
                     reference: dt.date | None, warnings: list[str]) -> list[ValueMatch]:
        found: list[ValueMatch] = []
        previous_dates: list[str | None] = []
        background: list[int] = []  # told as past or counted back: not the story's day
        date_starts: list[int] = []
        # (start, value, bare, told from today: `지난달 26일`, the clause's time: `2015년에는`)
        paragraph_dates: list[tuple[int, str | None, bool, bool, bool]] = []
        for start, end, rule in chosen:
            if rule.normalizer == "ignore":
                continue
            span = text[start:end]
            mod: str | None = None
            # how many of the earlier dates stand in this sentence (`4월 … 이날`)
            window = max(0, start - _CONTEXT_CHARS)  # bounded: a 1 MB line stays linear
            opening = max(text.rfind("\n", window, start), text.rfind(". ", window, start),
                          window - 1)
            in_sentence = len(date_starts) - bisect.bisect_right(date_starts, opening)
            try:
                value, mod = self._value(rule, span, reference, previous_dates, in_sentence,
                                         background)
            except NormalizeError as error:
                warnings.append(f"{rule.file} [{rule.id}]: no value for {span!r}: {error}")
                value = None
            if rule.label == "DATE" and rule.normalizer == "date" and isinstance(value, str):
                line_start = max(text.rfind("\n", window, start) + 1, window)
                since = opening
                if opening >= line_start and continues_story(text, opening, start):
                    # (`이어 5월 26일에는`: the sentence before is part of its sentence)
                    since = max(text.rfind(". ", line_start, opening), line_start - 1)
                elif opening >= line_start and opens_sentence(text, opening, start):
                    since = self._year_opener_before(text, line_start, opening,
                                                     paragraph_dates, since)
                earlier = [EarlierDate(v, bare, s > since, told, adverbial)
                           for s, v, bare, told, adverbial in paragraph_dates[-20:]
                           if s >= line_start and v]
                value = story_value(span, value, earlier, text, end, reference)
            if rule.label == "DATE":
                previous_dates.append(None if _announces_an_earlier_day(
                    text, end, value, previous_dates[len(previous_dates) - in_sentence:])
                    else value if isinstance(value, str) else None)
                background.append(_background_kind(span, rule, text[end:end + 8]))
                date_starts.append(start)
                paragraph_dates.append((start, value if isinstance(value, str) else None,
                                        is_bare(span), span.startswith("지난"),
                                        is_time_adverbial(text, end)))
            found.append(ValueMatch(rule.label, start, end, rule.id, value, mod))
        return found

    @staticmethod
    def _year_opener_before(text: str, line_start: int, opening: int,
                            paragraph_dates: list[tuple[int, str | None, bool, bool, bool]],
                            since: int) -> int:
        """`지난해에만 세 곳을 품었다. 4월 A를 사들였고`: a sentence that opens with a bare
        date, after one that opens (past its topic, if any) with a year as the time of all
        it tells, goes on in that year: the sentence before counts as part of its sentence."""
        before = max(text.rfind(". ", line_start, opening), line_start - 1)
        opener = next((d for d in paragraph_dates[-20:] if before < d[0] < opening), None)
        if opener is None:
            return since
        start, value, _bare, _told, adverbial = opener
        if not adverbial or not value or len(value) != 4:
            return since
        lead = text[before + 1:start].split()
        # (the sentence may name its topic first: `A는 지난해에만 …`)
        if lead and (len(lead) > 1 or not lead[0].endswith(("은", "는"))):
            return since
        return before

    def _value(self, rule: CompiledRule, span: str, reference: dt.date | None,
               previous_dates: list[str | None], in_sentence: int = 0,
               background: Sequence[int] = ()) -> tuple[object, str | None]:
        if rule.normalizer == "date_backref":  # depends on the dates before it: not kept
            return self._compute(rule, span, reference, previous_dates, in_sentence,
                                 background)
        # the other normalizers are functions of the span (and the reference date): the
        # same amounts and dates recur within and across articles, so results are kept
        key = (rule.normalizer, rule.params.get("default_currency"), span,
               reference if rule.normalizer == "date" else None)
        known = self._values.get(key)
        if known is None:
            try:
                known = (self._compute(rule, span, reference, previous_dates), None)
            except NormalizeError as error:
                known = (None, error)
            if len(self._values) >= _VALUE_CACHE_SIZE:
                self._values.clear()
            self._values[key] = known
        result, error = known
        if error is not None:
            raise error
        value, mod = result  # type: ignore[misc]
        return _json_copy(value), mod

    def _compute(self, rule: CompiledRule, span: str, reference: dt.date | None,
                 previous_dates: list[str | None], in_sentence: int = 0,
                 background: Sequence[int] = ()) -> tuple[object, str | None]:
        if rule.normalizer == "money":
            money = parse_money(span, self.currencies, self.symbols,
                                rule.params.get("default_currency"))
            return money.to_json(), None
        if rule.normalizer == "duration":
            return parse_duration(span), None
        if rule.normalizer == "date_backref":
            from_story = rule.params.get("from_story_day", False)
            # `전날` (`from_story_day`): the day before the story's day, not before a day itself
            # counted back (`전 거래일보다 … 올랐다. … 전날 저녁 나온 공시`)
            flags = [kind == COUNTED_BACK for kind in background] if from_story else background
            value = resolve_backref(previous_dates, rule.params["unit"],
                                    rule.params.get("shift", 0), reference,
                                    rule.params.get("fallback", False),
                                    rule.params.get("news_day", False), in_sentence,
                                    flags, rule.params.get("story_day", False) or from_story)
            if value and rule.params.get("business"):
                # `전 거래일`: the trading day before the day the story reports
                value = previous_business_day(value)
            rest = rule.params.get("rest")
            if rest and value:
                # `이듬해 3월`, `같은 달 20일`: the rest of the span, read in that year/month
                tail = regex.sub(rest, "", span, count=1).strip()
                anchor = dt.date(int(value[:4]), int(value[5:7]) if len(value) >= 7 else 1, 1)
                date = self.date_reader.resolve(tail, anchor)
                return date.value, date.mod
            return value, None
        date = self.date_reader.resolve(span, reference)
        return date.value, date.mod

    # --- examples ----------------------------------------------------------------------

    def examples(self) -> Iterator[tuple[CompiledRule, RuleExample]]:
        """Every (rule, example) pair, in file order (one test case each)."""
        for rule in self.rules:
            for example in rule.examples:
                yield rule, example

    def check_example(self, rule: CompiledRule, example: RuleExample) -> RuleProblem | None:
        """Run one example through `find` with its file's reference date."""
        reference = self.references.get(rule.file) or self.default_reference.get(rule.label)
        message = self._check_example(rule, example, reference)
        if message is None:
            return None
        return RuleProblem(str(rule.file), rule.id, message, example.line)

    def check_examples(self) -> tuple[int, list[RuleProblem]]:
        """Run every example through `find`; returns how many ran and the failures."""
        count = 0
        failures: list[RuleProblem] = []
        for rule, example in self.examples():
            count += 1
            problem = self.check_example(rule, example)
            if problem is not None:
                failures.append(problem)
        return count, failures

    def _check_example(self, rule: CompiledRule, example: RuleExample,
                       reference: dt.date | None) -> str | None:
        warnings: list[str] = []
        found = [m for m in self.find(example.text, reference, warnings)
                 if m.label == rule.label]
        shown = _show(example)
        if not example.positive:
            if example.start is None:
                bad = found
            else:
                bad = [m for m in found if m.start < example.end and example.start < m.end]
            if bad:
                hits = ", ".join(f"'{example.text[m.start:m.end]}' ({m.rule})" for m in bad)
                return f"negative example {shown} found {rule.label} {hits}"
            return None
        exact = [m for m in found if (m.start, m.end) == (example.start, example.end)]
        if not exact:
            overlapping = [m for m in found
                           if m.start < (example.end or 0) and (example.start or 0) < m.end]
            got = ", ".join(f"'{example.text[m.start:m.end]}' ({m.rule})" for m in overlapping)
            why = f"found {got} instead" if got else "nothing found there"
            why += self._own_match(rule, example)
            return f"example {shown}: {why}" + (f" ({'; '.join(warnings)})" if warnings else "")
        match = exact[0]
        actual = (match.value, match.mod) if rule.label == "DATE" else match.value
        if actual != example.expected:
            return (f"example {shown}: value {_show_value(actual)} from {match.rule}, "
                    f"expected {_show_value(example.expected)}")
        return None


    def _own_match(self, rule: CompiledRule, example: RuleExample) -> str:
        """What the example's own rule matches at the marked position, for the message."""
        try:
            own = rule.pattern.match(example.text, example.start or 0, timeout=self.timeout)
        except TimeoutError:
            return f"; the pattern of {rule.id} timed out"
        if own is None:
            return f"; the pattern of {rule.id} does not match at that position"
        if own.span() != (example.start, example.end):
            return f"; the pattern of {rule.id} matches '{own.group()}' there"
        return ""


_VALUE_CACHE_SIZE = 4096


def _json_copy(value: object) -> object:
    """A fresh copy of a JSON-like value, so no two mentions share one mutable value."""
    if isinstance(value, dict):
        return {k: _json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_copy(v) for v in value]
    return value


def _show(example: RuleExample) -> str:
    if example.start is None:
        return repr(example.text)
    marked = (example.text[: example.start] + "[" + example.text[example.start: example.end]
              + "]" + example.text[example.end:])
    return repr(marked)


def _show_value(value: Any) -> str:
    if isinstance(value, tuple):
        return f"{value[0]!r}" + (f" mod {value[1]}" if value[1] else "")
    return repr(value)


def _trimmed_span(text: str, match: regex.Match[str]) -> tuple[int, int]:
    """The span of the `span` group when the pattern has one, without edge spaces."""
    start, end = match.span()
    if "span" in match.re.groupindex and match.start("span") >= 0:
        start, end = match.span("span")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- loading ---------------------------------------------------------------------------------

def parse_marked(text: str) -> tuple[str, int, int] | None:
    """`"KT는 [2조원]을"` → (`"KT는 2조원을"`, 4, 7); None unless exactly one `[...]`."""
    if text.count("[") != 1 or text.count("]") != 1:
        return None
    start = text.index("[")
    end = text.index("]") - 1
    if end <= start:
        return None
    return text.replace("[", "", 1).replace("]", "", 1), start, end


def _parse_reference(value: Any, file: str, line: int | None,
                     problems: list[RuleProblem]) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(RuleProblem(file, None, f"reference_date {value!r} is not YYYY-MM-DD",
                                    line))
        return None


def _expected_money(value: Any, file: str, rule: str, line: int | None,
                    problems: list[RuleProblem], nested: bool = False) -> dict[str, Any] | None:
    keys = ("amount", "currency", "approx", "bound", "amount_max") + (() if nested
                                                                       else ("equivalent",))
    if not isinstance(value, Mapping):
        problems.append(RuleProblem(file, rule, f"a MONEY example value must be a mapping "
                                                f"with {', '.join(keys)}", line))
        return None
    if not check_keys(value, required=("amount", "currency"), optional=keys[2:], file=file,
                      rule=rule, what="MONEY example value", problems=problems):
        return None
    out: dict[str, Any] = {"amount": value["amount"], "currency": value["currency"],
                           "approx": value.get("approx", False), "bound": value.get("bound")}
    if not nested:
        equivalent = value.get("equivalent")
        out["equivalent"] = None if equivalent is None else _expected_money(
            equivalent, file, rule, line, problems, nested=True)
    if "amount_max" in value:
        out["amount_max"] = value["amount_max"]
    return out


def _expected_value(label: str, value: Any, file: str, rule: str, line: int | None,
                    problems: list[RuleProblem]) -> tuple[bool, Any]:
    """The expected value in the form `find` produces; (False, None) when malformed."""
    if label == "MONEY":
        money = _expected_money(value, file, rule, line, problems)
        return money is not None, money
    if label == "DATE":
        mod = None
        if isinstance(value, Mapping):
            if not check_keys(value, required=("value",), optional=("mod",), file=file,
                              rule=rule, what="DATE example value", problems=problems):
                return False, None
            mod = value.get("mod")
            value = value["value"]
            if mod not in (None, "START", "MID", "END"):
                problems.append(RuleProblem(file, rule, f"mod must be START, MID or END, "
                                                        f"not {mod!r}", line))
                return False, None
        if value is not None and not isinstance(value, str | int):
            problems.append(RuleProblem(file, rule, f"a DATE example value must be text or "
                                                    f"null, not {value!r}", line))
            return False, None
        return True, (None if value is None else str(value), mod)
    if value is not None and not isinstance(value, str):
        problems.append(RuleProblem(file, rule, f"a DURATION example value must be text or "
                                                f"null, not {value!r}", line))
        return False, None
    return True, value


def _load_examples(label: str, rule: Rule, file: str,
                   problems: list[RuleProblem]) -> list[RuleExample]:
    examples: list[RuleExample] = []
    data = rule.data
    groups = data.get("examples", []) or []
    if not isinstance(groups, list):
        problems.append(RuleProblem(file, rule.id, "'examples' must be a list of "
                                                   "{value: …, texts: […]}",
                                    line_of(data, "examples")))
        groups = []
    for group in groups:
        if not isinstance(group, Mapping):
            problems.append(RuleProblem(file, rule.id, "each entry of 'examples' must be a "
                                                       "mapping with 'value' and 'texts'",
                                        line_of(groups)))
            continue
        line = line_of(group)
        if not check_keys(group, required=("value", "texts"), optional=("note",), file=file,
                          rule=rule.id, what="example group", problems=problems):
            continue
        ok, expected = _expected_value(label, group["value"], file, rule.id, line, problems)
        texts = group["texts"]
        if not check_type(texts, list, "'texts'", file=file, rule=rule.id, line=line,
                          problems=problems) or not ok:
            continue
        for index, text in enumerate(texts):
            text_line = texts.item_lines[index] if isinstance(texts, LineList) else line
            marked = parse_marked(text) if isinstance(text, str) else None
            if marked is None:
                problems.append(RuleProblem(file, rule.id, f"example text {text!r} must mark "
                                                           f"the expected span with one [ ]",
                                            text_line))
                continue
            plain, start, end = marked
            examples.append(RuleExample(plain, start, end, expected, True, text_line))
    negatives = data.get("negatives", []) or []
    if not check_type(negatives, list, "'negatives'", file=file, rule=rule.id,
                      line=line_of(data, "negatives"), problems=problems):
        negatives = []
    for index, text in enumerate(negatives):
        text_line = negatives.item_lines[index] if isinstance(negatives, LineList) else None
        if not isinstance(text, str):
            problems.append(RuleProblem(file, rule.id, f"negative example {text!r} must be "
                                                       f"text", text_line))
            continue
        if "[" in text or "]" in text:
            marked = parse_marked(text)
            if marked is None:
                problems.append(RuleProblem(file, rule.id, f"negative example {text!r} may "
                                                           f"mark one span with [ ]",
                                            text_line))
                continue
            plain, start, end = marked
            examples.append(RuleExample(plain, start, end, None, False, text_line))
        else:
            examples.append(RuleExample(text, None, None, None, False, text_line))
    return examples


def _parse_value_spec(label: str, value: Any, file: str, rule: str, line: int | None,
                      problems: list[RuleProblem]) -> tuple[str, dict[str, Any]] | None:
    if isinstance(value, str):
        name, params = value, {}
    elif isinstance(value, Mapping) and isinstance(value.get("normalizer"), str):
        name = value["normalizer"]
        params = {k: v for k, v in value.items() if k != "normalizer"}
    else:
        problems.append(RuleProblem(file, rule, "value must be a normalizer name or a mapping "
                                                "{normalizer: name, …parameters}", line))
        return None
    allowed = LABEL_NORMALIZERS[label]
    if name not in allowed:
        problems.append(RuleProblem(file, rule, f"unknown normalizer '{name}' for {label}; "
                                                f"use one of {', '.join(allowed)}", line))
        return None
    ok = True
    for key, param in params.items():
        if key not in NORMALIZERS[name]:
            problems.append(RuleProblem(file, rule, f"normalizer '{name}' has no parameter "
                                                    f"'{key}'", line))
            ok = False
        else:
            ok = check_type(param, NORMALIZERS[name][key], f"parameter '{key}'", file=file,
                            rule=rule, line=line, problems=problems) and ok
    if name == "date_backref" and params.get("unit") not in ("year", "month", "day", "period"):
        problems.append(RuleProblem(file, rule,
                                    "date_backref needs unit: year, month, day or period", line))
        ok = False
    return (name, params) if ok else None


def _table(layers: RuleLayers, key: str,
           problems: list[RuleProblem]) -> tuple[dict[str, Any], dict[str, str]]:
    """A merged word table: word → value, and word → hand-written pattern."""
    values: dict[str, Any] = {}
    patterns: dict[str, str] = {}
    for loaded in layers.files:
        section = loaded.top.get(key)
        if section is None:
            continue
        file = str(loaded.path)
        if not isinstance(section, Mapping):
            problems.append(RuleProblem(file, None, f"'{key}' must be a mapping word → value",
                                        line_of(loaded.top, key)))
            continue
        for word, entry in section.items():
            line = line_of(section, word)
            if isinstance(entry, Mapping):
                if not check_keys(entry, required=("value",), optional=("pattern",),
                                  file=file, rule=f"{key}: {word}", what="table entry",
                                  problems=problems):
                    continue
                if "pattern" in entry:
                    patterns[str(word)] = str(entry["pattern"])
                entry = entry["value"]
            if not _table_value_ok(key, entry):
                problems.append(RuleProblem(file, f"{key}: {word}",
                                            f"bad value {entry!r} for '{word}'", line))
                continue
            values[str(word)] = entry
    return values, patterns


def _table_value_ok(key: str, value: Any) -> bool:
    if key in ("currencies", "currency_symbols"):
        # an ISO code, or a hundredth of one (`펜스: GBP/100`)
        code, _, per = value.partition("/") if isinstance(value, str) else ("", "", "")
        return code.isalpha() and code.isupper() and per in ("", "100")
    if key == "mods":
        return value in ("START", "MID", "END")
    if key == "year_mods":
        return value in ("START", "MID", "END", None)
    return isinstance(value, int) and not isinstance(value, bool)


def load_value_rules(dirs: list[Path],
                     timeout: float = DEFAULT_TIMEOUT) -> tuple[ValueRules, list[RuleProblem]]:
    """Load money/dates/durations rule files from each folder in order (later overrides).

    Returns the usable rules and every problem found; rules with problems are left out.
    """
    problems: list[RuleProblem] = []
    compiled: list[CompiledRule] = []
    tables: dict[str, dict[str, Any]] = {}
    references: dict[Path, dt.date | None] = {}
    default_reference: dict[str, dt.date | None] = {}
    for filename, label in FILES.items():
        layers = load_rule_layers(dirs, filename)
        problems.extend(layers.problems)
        allowed_top = TOP_KEYS + tuple(TABLES[label])
        for loaded in layers.files:
            file = str(loaded.path)
            check_keys(loaded.top, required=(), optional=allowed_top, file=file, rule=None,
                       what=f"{filename}", problems=problems)
            references[loaded.path] = _parse_reference(
                loaded.top.get("reference_date"), file, line_of(loaded.top, "reference_date"),
                problems)
            if references[loaded.path] is not None and label not in default_reference:
                default_reference[label] = references[loaded.path]  # the built-in file's
        macros: dict[str, str] = {}
        for key, macro_name in TABLES[label].items():
            words, patterns = _table(layers, key, problems)
            tables[key] = words
            macros[macro_name] = table_alternation(words, patterns)
        resolved = _macros(layers, macros, problems)
        for rule in layers:
            made = _compile_rule(rule, label, resolved, len(compiled), problems)
            if made is not None:
                compiled.append(made)
    currencies = {**DEFAULT_CURRENCIES, **tables.get("currencies", {})}
    symbols = {**DEFAULT_SYMBOLS, **tables.get("currency_symbols", {})}
    words = DateWords(**{key: {**getattr(DEFAULT_WORDS, key), **tables.get(key, {})}
                         for key in TABLES["DATE"]})
    rules = ValueRules(compiled, currencies, symbols, words, references, default_reference,
                       timeout)
    return rules, problems


def _macros(layers: RuleLayers, generated: dict[str, str],
            problems: list[RuleProblem]) -> dict[str, str]:
    """The file's `macros:` over all layers plus the table macros, fully expanded."""
    macros = dict(generated)
    where: dict[str, tuple[str, int | None]] = {}
    for loaded in layers.files:
        section = loaded.top.get("macros")
        if section is None:
            continue
        file = str(loaded.path)
        if not isinstance(section, Mapping):
            problems.append(RuleProblem(file, None, "'macros' must be a mapping name → regex",
                                        line_of(loaded.top, "macros")))
            continue
        for name, pattern in section.items():
            line = line_of(section, name)
            if name in generated:
                problems.append(RuleProblem(file, f"macro {name}", f"'{name}' is made from a "
                                            "table and cannot be redefined", line))
            elif not isinstance(pattern, str):
                problems.append(RuleProblem(file, f"macro {name}", "a macro must be a regex "
                                            "text", line))
            else:
                macros[str(name)] = pattern
                where[str(name)] = (file, line)
    found: list[RuleProblem] = []
    resolved = resolve_macros(macros, file=layers.filename, problems=found)
    for problem in found:  # name the file that defined the broken macro
        name = (problem.rule or "").removeprefix("macro ")
        file, line = where.get(name, (problem.file, problem.line))
        problems.append(RuleProblem(file, problem.rule, problem.message, line))
    return resolved


def _compile_rule(rule: Rule, label: str, macros: Mapping[str, str], order: int,
                  problems: list[RuleProblem]) -> CompiledRule | None:
    file = str(rule.file)
    data: LineDict = rule.data
    before = len(problems)
    disabled = data.get("disabled") is True  # switching a rule off needs only its id
    check_keys(data, required=("id",) if disabled else RULE_KEYS, optional=RULE_OPTIONAL
               + (() if not disabled else tuple(k for k in RULE_KEYS if k != "id")),
               file=file, rule=rule.id, what="rule", problems=problems)
    if disabled:
        return None
    pattern_text = data.get("pattern")
    priority = data.get("priority", 0)
    check_type(priority, int, "priority", file=file, rule=rule.id,
               line=line_of(data, "priority"), problems=problems)
    if "disabled" in data:
        check_type(data["disabled"], bool, "disabled", file=file, rule=rule.id,
                   line=line_of(data, "disabled"), problems=problems)
    spec = _parse_value_spec(label, data.get("value"), file, rule.id, line_of(data, "value"),
                             problems) if "value" in data else None
    pattern = None
    if check_type(pattern_text, str, "pattern", file=file, rule=rule.id,
                  line=line_of(data, "pattern"), problems=problems):
        try:
            expanded = expand_macros(pattern_text, macros)
        except ValueError as error:
            problems.append(RuleProblem(file, rule.id, str(error), line_of(data, "pattern")))
        else:
            pattern = compile_regex(expanded, file=file, rule=rule.id,
                                    line=line_of(data, "pattern"), problems=problems)
            if pattern is not None and pattern.search("", timeout=DEFAULT_TIMEOUT):
                problems.append(RuleProblem(file, rule.id, "pattern matches the empty text",
                                            line_of(data, "pattern")))
    examples = _load_examples(label, rule, file, problems)
    if len(problems) > before or pattern is None or spec is None:
        return None
    return CompiledRule(rule.id, label, rule.file, rule.line, pattern, spec[0], spec[1],
                         priority, order, examples, scan=guarded(pattern))


def normalizer_names() -> dict[str, tuple[str, ...]]:
    """Which normalizers each label's rules may name (for documentation and the CLI)."""
    return dict(LABEL_NORMALIZERS)

