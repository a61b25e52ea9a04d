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

This is the only Kiwi pass of an article: the Doc also keeps Kiwi's raw
morphemes with their `oov` flag (`doc_morphemes`, `token._.oov`), which the
company cues read instead of analysing the text again.
"""

from __future__ import annotations

import copyreg
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import numpy
import spacy
from kiwipiepy import Kiwi
from spacy.attrs import SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens.doc import pickle_doc
from spacy.vocab import Vocab

TOKENIZER_NAME = "kdeal.KiwiTokenizer.v1"
Morph = tuple[str, str]
KiwiMorph = tuple[int, int, str, bool, str]  # start, end, tag, oov, form (document offsets)
MAX_CHUNK = 5000
MAX_TEXT_LENGTH = 2**31 - 1  # spaCy's own default (1,000,000) protects models we do not use
SENTENCE_CUT = re.compile(r"[.!?。！？…][\"'”’)\]」』]*\s")
WHITESPACE = re.compile(r"\s")
_JOINERS = {"\u200c", "\u200d"}

_kiwi_lock = threading.Lock()
WARM_UP_TEXT = "워밍업 문장이다."


@lru_cache(maxsize=1)
def get_kiwi() -> Kiwi:
    """The one Kiwi instance of this process, loaded and warmed up (about two seconds).

    One worker thread: texts go to Kiwi one at a time (a pool would sit idle), and a
    process forked after loading inherits no thread pool it cannot use. Kiwi builds
    its analyser on the first call, so that call is made here, once. The typo
    dictionary (web-chat misspellings) is not loaded: edited news has none, it changes
    no token of the corpus, and skipping it saves about 0.2 s of every start-up. Nor is
    the multi-word dictionary (WikiData names such as `퍼스트 리퍼블릭 은행` as one
    token): loading it takes about 1.5 s of every start-up and 8 % of tokenizing time,
    while company names come from `rules/companies.yaml` and the cue rules anyway
    (COMPANY figures and discovery recall on the corpus are the same without it).
    """
    with _kiwi_lock:
        kiwi = Kiwi(num_workers=1, load_typo_dict=False, load_multi_dict=False)
        kiwi.tokenize(WARM_UP_TEXT)
        return kiwi


def _morphs_getter(token: Token) -> list[Morph]:
    morphs = token.doc.user_data.get("kdeal_morphs")
    return morphs[token.i] if morphs else []


def _oov_getter(token: Token) -> bool:
    flags = token.doc.user_data.get("kdeal_oov")
    return bool(flags[token.i]) if flags else False


def _register_extensions() -> None:
    if not Token.has_extension("morphs"):
        Token.set_extension("morphs", getter=_morphs_getter)
    if not Token.has_extension("tags"):
        Token.set_extension("tags", getter=lambda token: token.tag_)
    if not Token.has_extension("oov"):
        Token.set_extension("oov", getter=_oov_getter)


_register_extensions()


class _Builder:
    """Accumulates words, spaces, tags, morphemes and Kiwi's raw analysis for one Doc.

    `kiwi` keeps every Kiwi morpheme as (start, end, tag, oov, form) with document
    offsets, so later stages (the company cues need Kiwi's `oov` flag) read this one
    analysis instead of running Kiwi again; `oov` marks the words holding an
    unknown-word morpheme (`token._.oov`).
    """

    def __init__(self) -> None:
        self.words: list[str] = []
        self.spaces: list[bool] = []
        self.tags: list[str] = []
        self.morphs: list[list[Morph]] = []
        self.sent_starts: list[bool] = []
        self.oov: list[bool] = []
        self.kiwi: list[KiwiMorph] = []

    def add(self, word: str, morphs: list[Morph], sent_start: bool, oov: bool = False) -> None:
        self.words.append(word)
        self.spaces.append(False)
        self.tags.append("+".join([tag for _, tag in morphs]) if morphs else "_SP")
        self.morphs.append(morphs)
        self.sent_starts.append(sent_start)
        self.oov.append(oov)

    def add_gap(self, gap: str, sent_start: bool, line_start: bool = False) -> None:
        """Text Kiwi did not cover: one space after a word, or tokens of its own.

        Symbols Kiwi skipped that open a sentence (`sent_start`) or a line (the gap
        begins at a line start or holds a line break) start a sentence themselves,
        so every line still starts a sentence.
        """
        if not gap:
            return
        if gap[0] == " " and self.words and not self.spaces[-1] and not self.words[-1].isspace():
            self.spaces[-1] = True
            gap = gap[1:]
            line_start = False
            if not gap:
                return
        if gap.isspace():
            self.add(gap, [], False)
            return
        starts = sent_start or line_start
        start = 0
        for i in range(1, len(gap) + 1):
            if i == len(gap) or gap[i].isspace() != gap[start].isspace():
                piece = gap[start:i]
                if piece.isspace():
                    self.add(piece, [], False)
                    starts = starts or "\n" in piece
                else:
                    self.add(piece, [(piece, "SW")], starts)
                    starts = False
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
            sentences = _mend_quote_splits(kiwi.tokenize(text[start:end], split_sents=True))
            if not sentences:  # nothing Kiwi reads (`\u2028`): the piece still starts a sentence
                yield start, starts_sentence, []
            for n, sentence in enumerate(sentences):
                yield start, starts_sentence or n > 0, sentence


def _mend_quote_splits(sentences: list) -> list:
    """Kiwi sometimes ends a sentence after a quoted title that opens the next one
    (`이례적이다. ‘길드워2’` + `는 북미에서 …`). No sentence opens with a particle, an
    ending or a suffix glued to the word before, so the title, from its opening quote
    after the last sentence end, moves to the sentence it belongs to (else they join)."""
    out: list = []
    for sentence in sentences:
        if out and sentence and sentence[0].tag[0] in "JEX" and sentence[0].tag != "XR" \
                and sentence[0].start == out[-1][-1].start + out[-1][-1].len:
            before = out[-1]
            cut = next((i for i in range(len(before) - 1, 0, -1)
                        if before[i].tag == "SSO" and before[i - 1].tag == "SF"), None)
            if cut is None:
                out[-1] = [*before, *sentence]
            else:
                out[-1] = before[:cut]
                out.append([*before[cut:], *sentence])
            continue
        out.append(sentence)
    return out


def tokenize_to_builder(text: str, kiwi: Kiwi | None = None) -> _Builder:
    """Run Kiwi line by line and turn its morphemes into spaCy word data.

    Morphemes are grouped into words: a morpheme that overlaps the word being built
    (or has no width) joins it. The loop below is the hot path of tokenization, so
    `_Builder.add` and the usual one-space gap between words are written out inline;
    `add_gap` handles every other gap.
    """
    kiwi = kiwi or get_kiwi()
    builder = _Builder()
    raw_append = builder.kiwi.append
    words, spaces, tags = builder.words, builder.spaces, builder.tags
    morphs, sent_starts, oovs = builder.morphs, builder.sent_starts, builder.oov
    add_gap = builder.add_gap
    cursor = 0
    carried = False  # a sentence start of a piece or sentence that made no word
    for offset, starts_sentence, sentence in _kiwi_sentences(text, kiwi):
        first = starts_sentence or carried
        carried = first
        group: list[KiwiMorph] = []
        group_start = group_end = cursor
        for tok in sentence:
            tok_start = offset + tok.start
            tok_end = tok_start + tok.len
            morph = (tok_start, tok_end, tok.tag, tok.oov, tok.form)
            raw_append(morph)
            start = tok_start if tok_start > cursor else cursor  # never re-emit covered text
            end = tok_end if tok_end > start else start
            if group and (start < group_end or start == end):
                group.append(morph)
                if end > group_end:
                    group_end = end
                continue
            if start == end:  # a zero-width morpheme with no word yet: keep it for the next
                group.append(morph)
                continue
            if group and group_end > group_start:
                if cursor < group_start:
                    if (group_start - cursor == 1 and text[cursor] == " " and words
                            and not spaces[-1] and not words[-1].isspace()):
                        spaces[-1] = True
                    else:
                        add_gap(text[cursor:group_start], first, _line_start(text, cursor))
                words.append(text[group_start:group_end])
                spaces.append(False)
                if len(group) == 1:
                    only = group[0]
                    tags.append(only[2])
                    morphs.append([(only[4], only[2])])
                    oovs.append(bool(only[3]))
                else:
                    tags.append("+".join([m[2] for m in group]))
                    morphs.append([(m[4], m[2]) for m in group])
                    oovs.append(any([m[3] for m in group]))
                sent_starts.append(first)
                first = carried = False
                cursor = group_start = group_end
                group = [morph]
            else:
                group.append(morph)
            group_start, group_end = start, end
        if group and group_end > group_start:
            if cursor < group_start:
                add_gap(text[cursor:group_start], first, _line_start(text, cursor))
            builder.add(text[group_start:group_end], [(m[4], m[2]) for m in group], first,
                        any([m[3] for m in group]))
            cursor = group_end
            carried = False
    add_gap(text[cursor:], carried, _line_start(text, cursor))
    return builder


def _line_start(text: str, pos: int) -> bool:
    return pos == 0 or text[pos - 1] == "\n"


def kiwi_morphemes(text: str, kiwi: Kiwi | None = None) -> tuple[KiwiMorph, ...]:
    """Kiwi's morphemes of `text` exactly as `make_doc` analyses it (same lines, same pieces):
    (start, end, tag, oov, form) with offsets into `text`."""
    kiwi = kiwi or get_kiwi()
    out: list[KiwiMorph] = []
    for offset, _starts, sentence in _kiwi_sentences(text, kiwi):
        for tok in sentence:
            start = offset + tok.start
            out.append((start, start + tok.len, tok.tag, tok.oov, tok.form))
    return tuple(out)


def doc_morphemes(doc: Doc) -> tuple[KiwiMorph, ...] | None:
    """The Kiwi morphemes `make_doc` stored on the doc, or None for another Doc."""
    return doc.user_data.get("kdeal_kiwi")


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
            doc = KiwiDoc(self.vocab, words=[], spaces=[])
            doc.user_data["kdeal_kiwi"] = ()
            return doc
        doc = KiwiDoc(self.vocab, words=builder.words, spaces=builder.spaces)
        # tags and sentence starts set in one array: what `Doc(…, tags=, sent_starts=)`
        # does, without its per-token Python loops (half a millisecond an article)
        add = self.vocab.strings.add
        values = numpy.empty((len(builder.words), 2), dtype=numpy.uint64)
        values[:, 0] = [add(tag) for tag in builder.tags]
        starts = numpy.where(builder.sent_starts, 1, -1).astype(numpy.int32)
        starts[0] = 1
        values[:, 1] = starts.astype(numpy.uint64)
        doc.from_array([TAG, SENT_START], values)
        doc.__dict__["kdeal_text"] = text  # the tokens tile the text exactly (no rebuild)
        doc.user_data["kdeal_morphs"] = builder.morphs
        doc.user_data["kdeal_oov"] = builder.oov
        doc.user_data["kdeal_kiwi"] = tuple(builder.kiwi)
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
