"""The deal stage's shortcuts find exactly what running every pattern would find.

`find_triggers` only tries the patterns whose required forms the sentence holds (one
form of every element that names its forms), `role_of` only the role rules whose first
element the unit can be, and sentences read morphemes from per-Doc arrays; each is
checked against the plain way on sentences of the corpus and on generated morpheme
strings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.deal_pattern import (
    MorphPattern,
    encode_units,
    first_forms,
    required_forms,
    unit_form,
)
from pipeline.deal_sentences import Sentence, Unit, split_sentences
from pipeline.deals import DealRules, TriggerMatch
from pipeline.ruleset import Ruleset, load_ruleset, rule_dirs
from pipeline.tokenizer import make_doc

ROOT = Path(__file__).resolve().parent.parent
FIXED = settings(derandomize=True, deadline=None, database=None, max_examples=300)


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return load_ruleset(rule_dirs())


def every_pattern(deals: DealRules, sent: Sentence) -> list[tuple]:
    """Trigger matches found by running every pattern of every rule (no prefilter)."""
    found: list[TriggerMatch] = []
    for rule in deals.rules.triggers:
        if not deals.reads_here(rule, sent) or rule.bracket_holders:
            continue   # (shareholder lists are read beside the triggers)
        for pattern in rule.patterns:
            for match in pattern.compiled.finditer(sent.code):
                if match.end() == match.start():
                    continue
                first = sent.unit_of_offset(match.start())
                stop = sent.unit_of_offset(match.end() - 1) + 1
                if deals.keeps(sent, rule, first, stop):
                    found.append(TriggerMatch(rule, first, stop))
    return summary(deals.resolve_overlaps(sent, found))


def summary(matches: list[TriggerMatch]) -> list[tuple]:
    """Each kept match with the stand-ins it displaced."""
    return [(m.rule.id, m.first, m.stop, summary(m.displaced)) for m in matches]


def corpus_texts() -> list[str]:
    """Every third article in path order, or a wider step once the corpus passes 360
    articles: a fixed sample of both splits (about 120 articles, thousands of sentences)
    that keeps the test's time flat as the corpus grows."""
    paths = sorted((ROOT / "corpus" / "articles").rglob("*.txt"))
    paths = paths[::max(3, len(paths) // 120)]
    return [p.read_text(encoding="utf-8") for p in paths]


@pytest.mark.long
def test_prefiltered_triggers_equal_every_pattern_on_the_corpus(ruleset: Ruleset) -> None:
    deals = ruleset.deals
    sentences = 0
    with_trigger = 0
    for text in corpus_texts():
        for sent in split_sentences(make_doc(text)):
            fast = summary(deals.find_triggers(sent))
            assert fast == every_pattern(deals, sent), sent.text
            sentences += 1
            with_trigger += bool(fast)
    assert sentences > 1000 and with_trigger > 200


def every_role(deals: DealRules, sent: Sentence, at: int, first: int) -> tuple:
    """`role_of` trying every role rule in file order."""
    if at < len(sent.units):
        for rule in deals.rules.roles:
            if rule.after and (first == 0 or sent.form(first - 1) not in rule.after):
                continue
            if rule.pattern.compiled.match(sent.code, sent.offsets[at]):
                return rule.value, rule.id
    return "NONE", None


def test_indexed_roles_equal_every_role_rule_on_the_corpus(ruleset: Ruleset) -> None:
    deals = ruleset.deals
    paths = sorted((ROOT / "corpus" / "articles").rglob("*.txt"))
    roles = set()
    for path in paths[::max(1, len(paths) // 6)]:
        for sent in split_sentences(make_doc(path.read_text(encoding="utf-8"))):
            for at in range(1, len(sent.units) + 1):
                for first in (0, at - 1):
                    fast = deals.role_of(sent, at, first)
                    assert fast == every_role(deals, sent, at, first), (sent.text, at)
                    roles.add(fast[1])
    assert len(roles) > 20  # many different role rules were reached


def test_sentence_units_equal_token_morphemes() -> None:
    text = "삼성전자가  SK와 계약했다.\n\n둘째 줄은 ‘퓨리오사AI’와 협력한다고 밝혔다."
    doc = make_doc(text)
    units = [u for sent in split_sentences(doc) for u in sent.units]
    plain = [Unit(form, tag, t.idx, t.idx + len(t)) for t in doc if not t.is_space
             for form, tag in t._.morphs]
    assert units == plain


def test_required_forms() -> None:
    words = {"sign": ["체결", "맺"]}
    assert required_forms("투자/NNG 하/XSV", words) == frozenset({"투자"})
    assert required_forms("@sign/VV|NNG ~3 MOU/SL", words) == frozenset({"mou"})
    assert required_forms("/NNG ~2 하/XSV?", words) is None
    assert required_forms("!투자/NNG 인수|매입/NNG", words) == frozenset({"인수", "매입"})
    # a set with a form found in most sentences is the last choice, however small
    assert required_forms("하/XSV ~2 투자|출자/NNG", words) == frozenset({"투자", "출자"})
    assert required_forms("을|를/JKO 하/VV", words) == frozenset({"하"})  # all common: smallest


def test_first_forms() -> None:
    words = {"sign": ["체결", "맺"]}
    assert first_forms("이|가/JKS %5 @sign/VV", words) == frozenset({"이", "가"})
    assert first_forms("@sign/VV ~2 MOU/SL", words) == frozenset({"체결", "맺"})
    for source in ("~2 이/JKS", "%3 이/JKS", "이/JKS? 투자/NNG", "!이/JKS 투자/NNG",
                   "^ 투자/NNG", "/JKS 투자/NNG"):
        assert first_forms(source, words) is None, source


FORMS = st.sampled_from(["투자", "하", "MOU", "mou", "인수", "와", "체결", "었", "다", "."])
TAGS = st.sampled_from(["NNG", "XSV", "SL", "JKB", "VV", "EP", "EF", "SF"])
PATTERNS = st.sampled_from(["투자/NNG 하/XSV", "MOU/SL ~2 체결/NNG", "인수/NNG %3 하/XSV",
                            "와/JKB ~1 체결/NNG|VV", "!투자/NNG 하/XSV", "/NNG 하/XSV? 었/EP",
                            "^ 인수/NNG", "다/EF $"])


@FIXED
@given(st.lists(st.tuples(FORMS, TAGS), max_size=12), PATTERNS)
def test_prefilter_never_skips_a_match(units: list[tuple[str, str]], source: str) -> None:
    pattern = MorphPattern.compile(source)
    code, _ = encode_units(units)
    matched = any(m.end() > m.start() for m in pattern.compiled.finditer(code))
    if matched:
        forms = {unit_form(form) for form, _ in units}
        assert pattern.may_match(forms)
        assert pattern.may_match_all(forms)


@FIXED
@given(st.lists(st.tuples(FORMS, TAGS), min_size=1, max_size=12), PATTERNS)
def test_first_forms_never_skip_a_match(units: list[tuple[str, str]], source: str) -> None:
    pattern = MorphPattern.compile(source)
    code, offsets = encode_units(units)
    needed = first_forms(source)
    for at, (form, _tag) in enumerate(units):
        if pattern.compiled.match(code, offsets[at]) and needed is not None:
            assert unit_form(form) in needed
