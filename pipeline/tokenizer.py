"""Kiwi → spaCy tokenization: a `Doc` whose text is exactly the input.

Kiwi morphemes are not always substrings of the text (했 = 하+었), so spaCy
words are the slices of the text that Kiwi's `start`/`len` cover; morphemes
sharing a surface become one token, and the morphemes themselves are kept on
the token (`token._.morphs`). The tokenizer is registered in spaCy's registry
as ``kdeal.KiwiTokenizer.v1`` so ``spacy.blank("ko", config=...)`` builds it.

Kiwi runs line by line (a line break always ends a sentence). A very long line
is cut into pieces of at most `MAX_CHUNK` characters at whitespace, after a
sentence end where there is one, so time and memory stay proportional to the
text; offsets stay exact because every piece is placed at its own start.
"""

from __future__ import annotations

import copyreg
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import spacy
from kiwipiepy import Kiwi
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens.doc import pickle_doc
from spacy.vocab import Vocab

TOKENIZER_NAME = "kdeal.KiwiTokenizer.v1"
Morph = tuple[str, str]
MAX_CHUNK = 5000
MAX_TEXT_LENGTH = 2**31 - 1  # spaCy's own default (1,000,000) protects models we do not use
SENTENCE_CUT = re.compile(r"[.!?。！？…][\"'”’)\]」』]*\s")
WHITESPACE = re.compile(r"\s")
_JOINERS = {"\u200c", "\u200d"}

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


def _safe_cut(text: str, cut: int, low: int) -> int:
    """Move a hard cut left so it does not split a mark or joiner from its base."""
    while cut > low and (unicodedata.category(text[cut])[0] == "M"
                         or unicodedata.category(text[cut]) == "Sk"
                         or "\ufe00" <= text[cut] <= "\ufe0f"
                         or "\U0001f3fb" <= text[cut] <= "\U0001f3ff"
                         or text[cut] in _JOINERS or text[cut - 1] in _JOINERS):
        cut -= 1
    return cut


def _chunk_spans(text: str, start: int, end: int, limit: int | None = None
                 ) -> Iterator[tuple[int, int, bool]]:
    """Pieces of text[start:end] of at most `limit` chars: (start, end, starts a sentence).

    A piece ends after the last sentence end followed by whitespace in the
    second half of its window, else at the last whitespace there (the
    whitespace stays between pieces), else at a hard cut; only a piece that
    follows a sentence end starts a sentence.
    """
    limit = max(2, limit or MAX_CHUNK)
    pos, sentence_start = start, True
    while end - pos > limit:
        low, high = pos + limit // 2, pos + limit
        window = text[low:high]
        cuts = [m.end() - 1 for m in SENTENCE_CUT.finditer(window)]
        if cuts:
            cut, next_start = low + cuts[-1], True
        else:
            spaces = [m.start() for m in WHITESPACE.finditer(window)]
            if spaces:
                cut, next_start = low + spaces[-1], False
            else:
                cut, next_start = _safe_cut(text, high, low), False
        if cut <= pos:
            cut = high
        yield pos, cut, sentence_start
        pos, sentence_start = cut, next_start
    if end > pos:
        yield pos, end, sentence_start


def _kiwi_sentences(text: str, kiwi: Kiwi) -> Iterator[tuple[int, bool, list]]:
    """Kiwi sentences of every line: (offset of the piece, starts a sentence, tokens)."""
    for line_start, line_end in _line_spans(text):
        for start, end, starts_sentence in _chunk_spans(text, line_start, line_end):
            for n, sentence in enumerate(kiwi.tokenize(text[start:end], split_sents=True)):
                yield start, starts_sentence or n > 0, sentence


def tokenize_to_builder(text: str, kiwi: Kiwi | None = None) -> _Builder:
    """Run Kiwi line by line and turn its morphemes into spaCy word data."""
    kiwi = kiwi or get_kiwi()
    builder = _Builder()
    cursor = 0
    for offset, starts_sentence, sentence in _kiwi_sentences(text, kiwi):
        first = starts_sentence
        group: list = []
        group_start = group_end = cursor
        for tok in sentence:
            start = max(offset + tok.start, cursor)  # never re-emit text already covered
            end = max(offset + tok.start + tok.len, start)
            if group and (start < group_end or start == end):
                group.append(tok)
                group_end = max(group_end, end)
                continue
            if start == end:  # a zero-width morpheme with no word yet: keep it for the next
                group.append(tok)
                continue
            if group and group_end > group_start:
                builder.add_gap(text[cursor:group_start], False)
                builder.add(text[group_start:group_end], [(t.form, t.tag) for t in group],
                            first)
                first = False
                cursor = group_start = group_end
                group = []
            group.append(tok)
            group_start, group_end = start, end
        if group and group_end > group_start:
            builder.add_gap(text[cursor:group_start], False)
            builder.add(text[group_start:group_end], [(t.form, t.tag) for t in group], first)
            cursor = group_end
    builder.add_gap(text[cursor:], False)
    return builder


class KiwiDoc(Doc):
    """A `Doc` that keeps its text instead of rebuilding it on every `doc.text`.

    spaCy joins all tokens each time `Doc.text` is read, so code that reads
    `span.doc.text` once per mention or sentence became quadratic in the
    article's length (minutes for a 500 KB article). A Doc's text never changes
    (retokenizing keeps it), so the text given to the tokenizer is kept.
    """

    @property
    def text(self) -> str:
        kept = self.__dict__.get("kdeal_text")
        if kept is None:
            kept = self.__dict__["kdeal_text"] = Doc.text.__get__(self)
        return kept

    @property
    def text_with_ws(self) -> str:
        return self.text


copyreg.pickle(KiwiDoc, pickle_doc)  # pickles as a plain Doc, like spaCy's own


class KiwiTokenizer:
    """spaCy tokenizer backed by Kiwi; `doc.text` always equals the input."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        builder = tokenize_to_builder(text)
        if not builder.words:
            return KiwiDoc(self.vocab, words=[], spaces=[])
        sent_starts = list(builder.sent_starts)
        sent_starts[0] = True
        doc = KiwiDoc(self.vocab, words=builder.words, spaces=builder.spaces,
                      tags=builder.tags, sent_starts=sent_starts)
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
    """A blank Korean spaCy pipeline using the Kiwi tokenizer (no model download).

    spaCy refuses texts over `max_length` (1,000,000 chars) because its parser
    and NER need memory per character; this pipeline has neither, so the limit
    is lifted and a long article is processed instead of failing.
    """
    nlp = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    nlp.max_length = MAX_TEXT_LENGTH
    return nlp


def make_doc(text: str) -> Doc:
    """Tokenize text into a Doc with Kiwi tags (`token.tag_`) and morphemes (`token._.morphs`)."""
    return blank_korean().make_doc(text)
