"""The fast path gives exactly what a straightforward pipeline gives.

Speed-ups that must not change any output: the company cues read Kiwi's analysis
from the Doc (one Kiwi pass per article) instead of running Kiwi again, values
are remembered per span, a cached ruleset, per-character indexes and bisection
instead of scans. Each is checked here against a plain implementation on real
corpus articles and on generated inputs.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import company_words
from pipeline.company_dict import _lower_same_length
from pipeline.company_text import has_hangul, has_latin, is_hangul, is_latin
from pipeline.extract import process_article
from pipeline.linking import _paren_links, link_entities
from pipeline.reading import Article, read_inputs
from pipeline.ruleset import Ruleset, load_ruleset, rule_dirs
from pipeline.tokenizer import doc_morphemes, get_kiwi, make_doc
from pipeline.valuerules import ValueRules

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ["dev/telco-ai-partnerships-2024", "dev/hybe-kakao-sm-entertainment-2023",
            "dev/game-industry-mega-deals-2025", "dev/samsung-tesla-apple-foundry-2025",
            "dev/orion-legochem-amorepacific-cosrx-2024", "test/skt-ai-investments-2023",
            "test/kurly-series-f-2021"]
FIXED = settings(derandomize=True, deadline=None, database=None, max_examples=300)


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return load_ruleset(rule_dirs())


def corpus_article(name: str) -> Article:
    path = ROOT / "corpus" / "articles" / f"{name}.txt"
    items = [a for a in read_inputs([path]) if isinstance(a, Article)]
    assert len(items) == 1, name
    return items[0]


def plain_morphemes(text: str) -> tuple[tuple[int, int, str, bool, str], ...]:
    """Kiwi run again on every line, the way the company cues did before sharing the Doc's."""
    out = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            for tok in get_kiwi().tokenize(line):
                start = offset + tok.start
                out.append((start, start + tok.len, tok.tag, bool(tok.oov), tok.form))
        offset += len(line) + 1
    return tuple(out)


def straightforward(article: Article, ruleset: Ruleset) -> dict:
    """The record made with a second Kiwi pass for the cues and no value memory."""
    finder = ruleset.companies

    def find_with_own_kiwi(doc: object) -> list:
        text = doc.text  # type: ignore[attr-defined]
        company_words._WORDS_CACHE.clear()
        return list(finder._analyse(text, plain_morphemes(text)).matches)

    with mock.patch.object(finder, "find", find_with_own_kiwi), \
            mock.patch.object(ValueRules, "_value", ValueRules._compute):
        return process_article(article, ruleset)


@pytest.mark.parametrize("name", ARTICLES)
def test_fast_path_matches_a_full_second_kiwi_pass(name: str, ruleset: Ruleset) -> None:
    article = corpus_article(name)
    fast = process_article(article, ruleset)
    slow = straightforward(article, ruleset)
    assert fast["mentions"] == slow["mentions"]
    assert fast["entities"] == slow["entities"]
    assert fast["deals"] == slow["deals"]
    assert fast == slow


def test_doc_carries_kiwis_analysis_and_oov_flags() -> None:
    text = "삼성전자는 퓨리오사AI와 협력한다.\n\n리벨리온은 2000억원을 유치했다."
    doc = make_doc(text)
    assert doc_morphemes(doc) == plain_morphemes(text)
    unknown = {m[0] for m in plain_morphemes(text) if m[3]}
    for token in doc:
        covered = any(token.idx <= start < token.idx + len(token) for start in unknown)
        assert token._.oov == covered, token.text


def test_values_are_fresh_objects_per_mention(ruleset: Ruleset) -> None:
    text = "A사는 1조원을, B사는 1조원을 투자했다."
    found = [m for m in ruleset.values.find(text, None) if m.label == "MONEY"]
    assert len(found) == 2 and found[0].value == found[1].value
    assert found[0].value is not found[1].value


def test_ruleset_is_loaded_once_per_process(tmp_path: Path) -> None:
    first = load_ruleset(rule_dirs())
    assert load_ruleset(rule_dirs()) is first
    (tmp_path / "money.yaml").write_text("currencies:\n  세디: GHS\n", encoding="utf-8")
    layered = load_ruleset(rule_dirs([tmp_path]))
    assert layered is not first
    (tmp_path / "money.yaml").write_text("currencies:\n  세디: GHC\n", encoding="utf-8")
    assert load_ruleset(rule_dirs([tmp_path])) is not layered  # changed files are reloaded


def test_words_cache_is_bounded() -> None:
    company_words._WORDS_CACHE.clear()
    for n in range(40):
        company_words.words_of(f"회사{n}는 투자했다.", ())
    assert len(company_words._WORDS_CACHE) <= company_words._WORDS_CACHE_SIZE
    company_words.words_of("가" * 600_000, ())
    company_words.words_of("나" * 600_000, ())
    assert sum(len(t) for t in company_words._WORDS_CACHE) <= 1_200_000


@FIXED
@given(st.text(min_size=0, max_size=40))
def test_lowering_keeps_every_offset(text: str) -> None:
    plain = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    assert _lower_same_length(text) == plain


def test_letter_scans_agree_with_the_character_tests() -> None:
    for code in range(0x3400):
        ch = chr(code)
        assert has_latin(ch) == is_latin(ch) and has_hangul(ch) == is_hangul(ch), hex(code)


class _M:
    def __init__(self, start: int, end: int, key: str | None = None) -> None:
        self.start, self.end, self.key = start, end, key


def _paren_links_plain(text: str, matches: list) -> list[tuple[int, int]]:
    links = []
    for i, m in enumerate(matches):
        pos = m.end
        while pos < len(text) and text[pos] in "’”'\"」』》〉>":
            pos += 1
        if pos >= len(text) or text[pos] != "(":
            continue
        close = text.find(")", pos)
        if close < 0 or close - pos > 80:
            continue
        links += [(i, j) for j, o in enumerate(matches)
                  if j != i and pos < o.start and o.end <= close]
    return links


def test_parenthesis_links_by_bisection_equal_the_pairwise_scan() -> None:
    rng = random.Random(5)
    for _ in range(300):
        text = "".join(rng.choice("가나 A()’·,") for _ in range(rng.randint(0, 60)))
        words = [m.span() for m in re.finditer(r"[가나A]+", text)]
        matches = [_M(s, e) for s, e in words if rng.random() < 0.7]
        assert _paren_links(text, matches) == _paren_links_plain(text, matches)


class _NoForms:
    def forms_of(self, key: str) -> tuple[str, ...]:
        return ()


def test_many_names_in_parentheses_link_in_bounded_time() -> None:
    text = " ".join(f"회사{n}(C{n})" for n in range(20_000))
    matches = [_M(m.start(), m.end()) for m in re.finditer(r"회사\d+|C\d+", text)]
    entities, ids = link_entities(text, matches, _NoForms())
    assert len(entities) == 20_000 and ids[0] == ids[1] != ids[2]


def _word_facts(words: company_words.Words) -> list[dict]:
    return [dict(vars(piece)) for piece in words.pieces]


def test_reused_word_analyses_equal_fresh_ones() -> None:
    texts = [corpus_article(name).text for name in ARTICLES]
    texts += ["가도카와와 소니가 손잡았다. 가도카와가 밝혔다.", "가도카와와 소니가 손잡았다."]
    morphs = [doc_morphemes(make_doc(text)) for text in texts]
    with mock.patch.object(company_words, "_reusable", lambda word: False):
        fresh = [_word_facts(company_words._build_words(text, morph))
                 for text, morph in zip(texts, morphs, strict=True)]
    company_words._ANALYSIS_CACHE.clear()
    for _ in range(2):  # the second round reads every reusable word from the cache
        for text, morph, expected in zip(texts, morphs, fresh, strict=True):
            assert _word_facts(company_words._build_words(text, morph)) == expected
    assert len(company_words._ANALYSIS_CACHE) > 500


def test_word_analysis_cache_is_bounded() -> None:
    with mock.patch.object(company_words, "_ANALYSIS_CACHE_SIZE", 50):
        company_words._ANALYSIS_CACHE.clear()
        company_words._build_words(" ".join(f"회사{n}는" for n in range(200)), ())
        assert 0 < len(company_words._ANALYSIS_CACHE) <= 50


def _split_plain(text: str) -> list[tuple[int, int, str, bool, bool]]:
    """Pieces by stepping through the text one character or word at a time, as the split
    did before it became one scan (a word giving back a trailing `.`, `-` or `'`)."""
    out, pos, space = [], 0, True
    while pos < len(text):
        if text[pos].isspace():
            space, pos = True, pos + 1
            continue
        match = company_words._WORD_RE.match(text, pos)
        end = match.end() if match else pos + 1
        while match and end > pos + 1 and text[end - 1] in ".-'":
            end -= 1
        out.append((pos, end, text[pos:end], match is not None, space))
        pos, space = end, False
    return out


@FIXED
@given(st.text(alphabet="가나 AB.c-'&+\u00a0\u3000\n\t(e)1ñ", max_size=40))
def test_pieces_in_one_scan_equal_the_stepwise_split(text: str) -> None:
    pieces = company_words._split_pieces(text)
    assert [(p.start, p.end, p.text, p.is_word, p.space_before) for p in pieces] \
        == _split_plain(text)
