"""Kiwi → spaCy tokenization: a `Doc` whose text is exactly the input.

Kiwi morphemes are not always substrings of the text (했 = 하+었), so spaCy
words are the slices of the text that Kiwi's `start`/`len` cover; morphemes
sharing a surface become one token, and the morphemes themselves are kept on
the token (`token._.morphs`). The tokenizer is registered in spaCy's registry
as ``kdeal.KiwiTokenizer.v1`` so ``spacy.blank("ko", config=...)`` builds it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import lru_cache

import spacy
from kiwipiepy import Kiwi
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

TOKENIZER_NAME = "kdeal.KiwiTokenizer.v1"
Morph = tuple[str, str]

_kiwi_lock = threading.Lock()


@lru_cache(maxsize=1)
def get_kiwi() -> Kiwi:
    """The one Kiwi instance of this process (loading costs about a second)."""
    with _kiwi_lock:
        return Kiwi()


def _morphs_getter(token: Token) -> list[Morph]:
    return token.doc.user_data.get("kdeal_morphs", [])[token.i] if token.doc.user_data.get(
        "kdeal_morphs") else []


def _register_extensions() -> None:
    if not Token.has_extension("morphs"):
        Token.set_extension("morphs", getter=_morphs_getter)
    if not Token.has_extension("tags"):
        Token.set_extension("tags", getter=lambda token: token.tag_)


_register_extensions()


class _Builder:
    """Accumulates words, spaces, tags and morphemes for one Doc."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.spaces: list[bool] = []
        self.tags: list[str] = []
        self.morphs: list[list[Morph]] = []
        self.sent_starts: list[bool] = []

    def add(self, word: str, morphs: list[Morph], sent_start: bool) -> None:
        self.words.append(word)
        self.spaces.append(False)
        self.tags.append("+".join(tag for _, tag in morphs) if morphs else "_SP")
        self.morphs.append(morphs)
        self.sent_starts.append(sent_start)

    def add_gap(self, gap: str, sent_start: bool) -> None:
        """Text Kiwi did not cover: one space after a word, or tokens of its own."""
        if not gap:
            return
        if gap[0] == " " and self.words and not self.spaces[-1] and not self.words[-1].isspace():
            self.spaces[-1] = True
            gap = gap[1:]
        start = 0
        for i in range(1, len(gap) + 1):
            if i == len(gap) or gap[i].isspace() != gap[start].isspace():
                piece = gap[start:i]
                tag = "_SP" if piece.isspace() else "SW"
                self.add(piece, [(piece, tag)] if tag == "SW" else [], sent_start)
                sent_start = False
                start = i


def _line_spans(text: str) -> Iterable[tuple[int, int]]:
    """Non-blank lines of the text; a line break always ends a sentence."""
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            yield pos, end
        pos = end + 1


def tokenize_to_builder(text: str, kiwi: Kiwi | None = None) -> _Builder:
    """Run Kiwi line by line and turn its morphemes into spaCy word data."""
    kiwi = kiwi or get_kiwi()
    builder = _Builder()
    cursor = 0
    for line_start, line_end in _line_spans(text):
        line = text[line_start:line_end]
        sentences = kiwi.tokenize(line, split_sents=True)
        for sentence in sentences:
            first = True
            group: list = []
            group_start = group_end = 0
            for tok in sentence:
                start = line_start + tok.start
                end = start + tok.len
                if group and (start < group_end or start == end):
                    group.append(tok)
                    group_end = max(group_end, end)
                    continue
                if group:
                    builder.add_gap(text[cursor:group_start], False)
                    builder.add(text[group_start:group_end], [(t.form, t.tag) for t in group],
                                first)
                    first = False
                    cursor = group_end
                if start == end:  # a zero-width morpheme (의지다 = 의지+이+다) with no group yet
                    continue
                group, group_start, group_end = [tok], start, end
            if group:
                builder.add_gap(text[cursor:group_start], False)
                builder.add(text[group_start:group_end], [(t.form, t.tag) for t in group],
                            first)
                cursor = group_end
    builder.add_gap(text[cursor:], False)
    return builder


class KiwiTokenizer:
    """spaCy tokenizer backed by Kiwi; `doc.text` always equals the input."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        builder = tokenize_to_builder(text)
        if not builder.words:
            return Doc(self.vocab, words=[], spaces=[])
        sent_starts = list(builder.sent_starts)
        sent_starts[0] = True
        doc = Doc(self.vocab, words=builder.words, spaces=builder.spaces, tags=builder.tags,
                  sent_starts=sent_starts)
        doc.user_data["kdeal_morphs"] = builder.morphs
        return doc

    def to_bytes(self, **_: object) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_: object) -> KiwiTokenizer:
        return self

    def to_disk(self, _path: object, **_: object) -> None:
        return None

    def from_disk(self, _path: object, **_: object) -> KiwiTokenizer:
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_kiwi_tokenizer() -> Callable[[Language], KiwiTokenizer]:
    """Factory registered under ``kdeal.KiwiTokenizer.v1``."""

    def make(nlp: Language) -> KiwiTokenizer:
        return KiwiTokenizer(nlp.vocab)

    return make


@lru_cache(maxsize=1)
def blank_korean() -> Language:
    """A blank Korean spaCy pipeline using the Kiwi tokenizer (no model download)."""
    return spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})


def make_doc(text: str) -> Doc:
    """Tokenize text into a Doc with Kiwi tags (`token.tag_`) and morphemes (`token._.morphs`)."""
    return blank_korean().make_doc(text)
