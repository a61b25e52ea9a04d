"""Kiwi → spaCy tokenizer: the Doc's text is the input, tokens are slices, lines start sentences.

Property tests use Hypothesis with a fixed seed; Kiwi is loaded once per
session (`get_kiwi` is cached), so a few thousand examples stay fast.
"""

from __future__ import annotations

import pickle
import time
from unittest import mock

import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from pipeline import tokenizer
from pipeline.tokenizer import (
    TOKENIZER_NAME,
    KiwiTokenizer,
    _chunk_spans,
    get_kiwi,
    make_doc,
    tokenize_to_builder,
)

FIXED = settings(derandomize=True, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow])

PIECES = ["했다", "됐다", "인", "의지다", "갔었다", "해요", "됩니다", "ㄱ", "ㅏ", "ㅎㅎ", "ㆍ",
          "SK텔레콤", "LG유플러스", "KT", "2000만달러", "(약 290억원)", "5년간", "2024년",
          "漢字", "中国", "株式会社", "😀", "👍🏽", "👨‍👩‍👧", "🇰🇷", "e&", "A.I.", "3.5%", "₩1,000",
          "$20", "€5", "¥", "£", "“", "”", "‘", "’", "「", "」", "…", "·", "~", "〜", "–", "—",
          ".", "!", "?", "。", " ", "  ", "\t", "\n", "\n\n", "\u3000", "\u00a0", "\u200b",
          "\ufeff", "e\u0301", "\u1100\u1161", "\u11a8", "\x1f", "\u2028", "\x0c"]

# Hangul, Latin, CJK, digits, emoji, whitespace, fused morphemes, lone jamo, plus any
# surrogate-free code point.
UNICODE_TEXT = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1,
                max_size=6),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
                max_size=3),
    ),
    max_size=30,
).map("".join)


def line_first_tokens(doc: Doc) -> list[int]:
    """Index of the first non-whitespace token of every non-blank line."""
    text, firsts = doc.text, []
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    tokens = [t for t in doc if t.tag_ != "_SP"]
    k = 0
    for start in line_starts:
        while k < len(tokens) and tokens[k].idx < start:
            k += 1
        if k < len(tokens) and "\n" not in text[start:tokens[k].idx]:
            firsts.append(tokens[k].i)
    return firsts


def check_doc(text: str, doc: Doc) -> None:
    assert doc.text == text
    covered = 0
    for token in doc:
        assert token.text, "empty token"
        assert token.idx == covered, "tokens must tile the text in order"
        assert text[token.idx:token.idx + len(token.text)] == token.text
        covered = token.idx + len(token.text_with_ws)
        assert token.tag_
        if token.tag_ == "_SP":
            assert token.text.isspace()
        else:
            assert token._.morphs, f"no morphemes on {token.text!r}"
            assert all(form and tag for form, tag in token._.morphs)
            assert "\n" not in token.text, "a word never crosses a line break"
    assert covered == len(text)
    for i in line_first_tokens(doc):
        assert doc[i].is_sent_start, f"line start {doc[i].text!r} is not a sentence start"


@settings(FIXED, max_examples=1200)
@given(UNICODE_TEXT)
def test_any_text_round_trips(text: str) -> None:
    check_doc(text, make_doc(text))


@settings(FIXED, max_examples=400)
@given(UNICODE_TEXT, st.integers(min_value=2, max_value=25))
def test_chunked_lines_round_trip(text: str, limit: int) -> None:
    spans = list(_chunk_spans(text, 0, len(text), limit))
    position = 0
    for start, end, _ in spans:
        assert start < end and end - start <= limit
        assert text[position:start] == "" or text[position:start].isspace()
        position = end
    assert position == len(text) or (not text)
    with mock.patch.object(tokenizer, "MAX_CHUNK", limit):
        check_doc(text, make_doc(text))


def test_fused_morphemes_keep_their_analysis() -> None:
    doc = make_doc("투자했다. 됐다. 그것이 의지다.")
    check_doc(doc.text, doc)
    by_text = {t.text: t for t in doc}
    assert ("었", "EP") in by_text["했"]._.morphs
    assert by_text["했"]._.morphs[0][0] == "하"  # not a substring of the text
    assert ("되", "VV") in by_text["됐"]._.morphs
    assert [m for t in doc for m in t._.morphs if m[1] == "VCP"]  # 의지다 = 의지 + 이 + 다
    assert "+" in by_text["했"].tag_


def test_lone_jamo_and_symbols_are_tokens() -> None:
    doc = make_doc("ㄱ ㅏ ㅎㅎ 😀 👍🏽 e&")
    check_doc(doc.text, doc)
    assert [t.text for t in doc if t.tag_ != "_SP"] == ["ㄱ", "ㅏ", "ㅎㅎ", "😀", "👍🏽", "e", "&"]


def test_sentences_follow_kiwi_and_line_breaks() -> None:
    text = "KT는 MS와 협력한다. 5년간 2조4000억원을 투자한다\n둘째 줄 제목\n\n  셋째 줄이다."
    doc = make_doc(text)
    check_doc(text, doc)
    sentences = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sentences == ["KT는 MS와 협력한다.", "5년간 2조4000억원을 투자한다", "둘째 줄 제목",
                         "셋째 줄이다."]


def test_a_quoted_title_opening_a_sentence_stays_with_it() -> None:
    # Kiwi ends the first sentence after `‘길드워2’` and opens the next with `는`
    text = "유통을 맡기는 건 이례적이다. ‘길드워2’는 북미에서 팔았다. “A사”가 샀다고 했다."
    doc = make_doc(text)
    check_doc(text, doc)
    assert [s.text.strip() for s in doc.sents] == [
        "유통을 맡기는 건 이례적이다.", "‘길드워2’는 북미에서 팔았다.", "“A사”가 샀다고 했다."]


def test_whitespace_and_empty_texts() -> None:
    for text in ["", " ", "\n", "\t \n \n", "\u3000"]:
        doc = make_doc(text)
        assert doc.text == text
        assert all(t.tag_ == "_SP" for t in doc)


def test_chunks_cut_after_sentence_ends_then_at_spaces() -> None:
    text = "가나다라. 마바사 아자차 카타"
    # pieces start at the whitespace that ends the previous one; the second half of each
    # window is searched for a sentence end, then for the last space
    assert list(_chunk_spans(text, 0, len(text), 8)) == [(0, 5, True), (5, 9, True),
                                                         (9, 16, False)]
    unspaced = "가" * 25
    assert list(_chunk_spans(unspaced, 0, 25, 10)) == [(0, 10, True), (10, 20, False),
                                                       (20, 25, False)]
    assert list(_chunk_spans(text, 0, len(text), 5000)) == [(0, len(text), True)]


def test_hard_cut_does_not_split_an_emoji_sequence() -> None:
    text = "가" * 9 + "👍🏽" + "가" * 9
    spans = list(_chunk_spans(text, 0, len(text), 10))
    assert all(text[start:end] for start, end, _ in spans)
    assert not any(text[end:end + 1] == "🏽" for _, end, _ in spans)


def test_chunking_after_sentence_ends_keeps_the_analysis() -> None:
    text = " ".join(f"{n}번째 회사가 {n}억원을 투자했다." for n in range(1, 40))
    whole = [(t.text, t.tag_, t.is_sent_start) for t in make_doc(text)]
    with mock.patch.object(tokenizer, "MAX_CHUNK", 60):
        chunked = [(t.text, t.tag_, t.is_sent_start) for t in make_doc(text)]
    assert chunked == whole


class SpyKiwi:
    """Records the longest text handed to Kiwi."""

    def __init__(self) -> None:
        self.longest = 0

    def tokenize(self, text: str, **kwargs: object) -> list:
        self.longest = max(self.longest, len(text))
        return get_kiwi().tokenize(text, **kwargs)


def test_a_long_line_without_sentence_end_is_cut_into_bounded_chunks() -> None:
    # 200 KB: forty times MAX_CHUNK; the whole 1 MB line goes through `kdeal extract`
    # in tests/test_bad_input.py
    unit = "삼성전자는 미국 반도체 기업에 2000만달러를 투자하고 "
    line = (unit * (200_000 // len(unit) + 1))[:200_000]
    spy = SpyKiwi()
    started = time.perf_counter()
    builder = tokenize_to_builder(line, kiwi=spy)
    elapsed = time.perf_counter() - started
    assert spy.longest <= tokenizer.MAX_CHUNK
    assert "".join(w + (" " if s else "") for w, s in zip(builder.words, builder.spaces,
                                                         strict=True)) == line
    assert max(len(w) for w in builder.words) < 50
    assert elapsed < 20, f"200 KB line took {elapsed:.0f} s"


def test_doc_text_is_kept_not_rebuilt() -> None:
    # spaCy rebuilds Doc.text from all tokens on every access; per-mention reads of
    # `span.doc.text` made extraction quadratic, so the tokenizer's Doc keeps its text
    text = "KT는 MS와 협력한다.\n" * 200
    doc = make_doc(text)
    assert doc.text is doc.text and doc[5:9].doc.text is doc.text
    assert doc.text == text and doc.text_with_ws == text
    copy = pickle.loads(pickle.dumps(doc))
    assert copy.text == text and copy[1]._.morphs == doc[1]._.morphs


def test_texts_over_spacys_default_length_limit_are_tokenized() -> None:
    # spaCy refuses texts over 1,000,000 chars by default; a long article must not fail
    text = "Telecommunications partnership " * 33_000  # long Latin words keep this fast
    assert len(text) > 1_000_000
    doc = make_doc(text)
    assert doc.text == text and doc[-1].text == "partnership"


def test_spacy_blank_builds_the_registered_tokenizer() -> None:
    nlp = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    assert isinstance(nlp.tokenizer, KiwiTokenizer)
    doc = nlp("LG유플러스가 투자했다.")
    assert doc.text == "LG유플러스가 투자했다."
    assert all(t.tag_ for t in doc)
    restored = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    restored.from_bytes(nlp.to_bytes())
    assert restored("했다").text == "했다"
