"""The first-character guard of the value rules finds exactly what the plain pattern finds."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.regex_guard import first_char_class, guarded
from pipeline.ruleset import Ruleset, load_ruleset, rule_dirs

ROOT = Path(__file__).resolve().parent.parent
FIXED = settings(derandomize=True, deadline=None, database=None, max_examples=300)


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return load_ruleset(rule_dirs())


def spans(pattern: regex.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_first_characters_of_common_shapes() -> None:
    assert first_char_class(r"(?<![가-힣])(?:오는|지난)?\s?(?:19|20)\d{2}년") == r"[12\s오지]"
    assert first_char_class(r"(?:\d+|[일이삼])억") == r"[\d삼이일]"
    assert first_char_class(r"(?i:usd)\s?\d") == "[Uu]"
    assert first_char_class(r"(?i:k)") == "[Kk\u212a]"
    assert first_char_class(r"[가-힣]+년") == "[가-힣]"


@pytest.mark.parametrize("pattern", [
    r"a?",            # may match the empty string: no character starts every match
    r"(?<=x)",        # zero width only
    r"[^a]b",         # a negated class
    r".년",           # any character
    r"(?i:é)",        # case-insensitive letters beyond ASCII
    r"(?i)abc",       # global flags stay in front of the pattern
    r"(?:abc){e<=1}",  # fuzzy matching of the `regex` module: any character may start it
    r"[[:alpha:]]+년",  # a POSIX class, which Python's parser reads as single characters
])
def test_no_guard_where_the_start_is_not_worked_out(pattern: str) -> None:
    assert first_char_class(pattern) is None
    compiled = regex.compile(pattern)
    assert guarded(compiled) is compiled


def test_every_value_rule_finds_the_same_matches_guarded(ruleset: Ruleset) -> None:
    paths = sorted((ROOT / "corpus" / "articles").rglob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths[::max(1, len(paths) // 60)]]
    guarded_rules = 0
    for rule in ruleset.values.rules:
        scan = rule.scan or rule.pattern
        guarded_rules += scan is not rule.pattern
        for text in texts:
            assert spans(scan, text) == spans(rule.pattern, text), (rule.id, text[:60])
    assert guarded_rules >= 10  # most date and duration rules run guarded


PIECES = st.sampled_from(["오는", "지난", "올해", "내년", "2024", "2025년", "3월", "12월", "1일",
                          "상반기", "3분기", "약", "10억원", "1000만달러", "~", " ", "가", "년",
                          "월", "이", "사", "일", "-", ".", "(", ")", "USD", "usd", "ſ", "K"])


@FIXED
@given(st.lists(PIECES, max_size=14).map("".join))
def test_guarded_value_rules_agree_on_generated_text(text: str) -> None:
    for rule in _rules().values.rules:
        if rule.scan is not None and rule.scan is not rule.pattern:
            assert spans(rule.scan, text) == spans(rule.pattern, text), (rule.id, text)


BLOCKS = st.sampled_from(["a", "b", "가", "1", r"\d", "[a-c]", "[가나]", "(?:a|bc)", "(?:x|)",
                          "(?<!a)", "(?=b)", r"\s", "(?i:a)", "K"])
QUANTIFIERS = st.sampled_from(["", "?", "*", "+", "{0,2}", "{2}"])


@FIXED
@given(st.lists(st.tuples(BLOCKS, QUANTIFIERS), min_size=1, max_size=5),
       st.text(alphabet="abcx가나1 KkſA\u212a", max_size=30))
def test_guard_keeps_the_matches_of_generated_patterns(parts: list[tuple[str, str]],
                                                       text: str) -> None:
    source = "".join(block + (q if not block.startswith("(?<") and not block.startswith("(?=")
                              else "") for block, q in parts)
    try:
        compiled = regex.compile(source)
    except regex.error:
        return
    assert spans(guarded(compiled), text) == spans(compiled, text), source


_LOADED: list[Ruleset] = []


def _rules() -> Ruleset:
    if not _LOADED:
        _LOADED.append(load_ruleset(rule_dirs()))
    return _LOADED[0]
