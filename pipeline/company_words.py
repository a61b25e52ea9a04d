"""Words of an article for the company cues: offsets, stem/particle split and Kiwi facts.

A *piece* is a run of word characters (Hangul, Latin, digits, `&`, `+`, inner `-`
and `.`) or one punctuation character. For a word piece we keep where its stem
ends and its particles begin (`퍼플렉시티에` → `퍼플렉시티` + `에`) and what Kiwi
says of the stem: proper noun, unknown word (OOV), foreign letters, common noun.
The Kiwi facts come from the article's one Kiwi pass (`pipeline.tokenizer` keeps the
raw morphemes, `oov` flag included, on the Doc); for a bare string the same
analysis is made here (`kiwi_morphemes`), so a Doc and its text give the same words.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.company_text import (
    has_hangul,
    has_latin,
    is_hangul,
    is_latin,
    is_particles,
)

_WORD_RE = re.compile(
    r"[0-9A-Za-z\u00c0-\u024f가-힣\u1100-\u11ff\u3130-\u318f]+"
    r"(?:[&+.\-][0-9A-Za-z\u00c0-\u024f가-힣]+|(?<=[A-Za-z])'[A-Za-z]+|[+&])*"
)
_SENT_END_RE = re.compile(r"(?<=[.!?…])\s+|\n+")
_STOP_TAGS = ("J", "E", "VCP")
_COPULA_TAIL = re.compile(r"(?:이|였|이었)?(?:다|고|며|지만|던|으며|었다|라며|라고)")
_VERBAL_TAGS = ("VV", "VA", "VX", "XSV", "XSA", "MAG", "MAJ", "IC")


@dataclass(eq=False)
class Piece:
    """A word or a punctuation mark of the text."""

    start: int
    end: int
    text: str
    is_word: bool
    space_before: bool
    sent: int = 0
    index: int = 0
    stem_end: int = 0
    tags: tuple[str, ...] = ()
    oov: bool = False
    known_forms: tuple[str, ...] = ()
    morphs: tuple[tuple[int, int, str, bool, str], ...] = ()

    # Facts of the stem, fixed once the words are built (`settle`); read very often, so
    # they are plain attributes rather than properties computed on every read.
    stem: str = ""
    particle: str = ""
    latin: bool = False       # the stem has Latin letters
    proper: bool = False      # Kiwi reads the stem as a proper noun, an unknown word or foreign
    verbal: bool = False      # a verb, adjective or adverb is in the stem
    common: bool = False      # known common nouns only (`기업`, `대항마`, `역량`)
    fragmented: bool = False  # Kiwi cut an unknown Hangul word into pieces (`전기아이피`)
    compound: bool = False    # a word of several nouns Kiwi knows only apart (`블랙앵커`)

    def settle(self) -> None:
        """Compute the stem facts from `stem_end`, `tags`, `oov` and `morphs`."""
        cut = self.stem_end - self.start
        self.stem = stem = self.text[:cut]
        self.particle = self.text[cut:]
        self.latin = has_latin(stem)
        tags = self.tags
        self.proper = self.oov or "NNP" in tags or "SL" in tags or "SH" in tags \
            or _NOUN_DIGITS.fullmatch(stem) is not None and tags[-1:] == ("SN",)
        self.verbal = any(t.startswith(_VERBAL_TAGS) for t in tags)
        self.common = bool(tags) and not self.proper and not self.verbal
        nouns = [m for m in self.morphs if m[2].startswith("N")]
        # (a prefix Kiwi splits off counts with the pieces: `소노웨이브` is 소/XPN 노 웨이브;
        # `재출범`, a prefix and a known noun, is no fragment)
        pieces = [m for m in self.morphs if m[2].startswith("N") or m[2] == "XPN"]
        self.fragmented = (len(stem) >= 3 and len(nouns) >= 2 and len(pieces) == len(self.morphs)
                           and any(m[1] - m[0] == 1 for m in nouns))
        self.compound = (len(stem) >= 3 and len(nouns) >= 2 and len(nouns) == len(self.morphs)
                         and is_hangul(stem[0]))


@dataclass
class Words:
    """The pieces of one text and a per-character index into them."""

    text: str
    pieces: list[Piece] = field(default_factory=list)
    sentences: dict[int, tuple[int, int]] = field(default_factory=dict)

    def sentence(self, sent: int) -> list[Piece]:
        """The pieces of sentence number `sent`."""
        first, last = self.sentences.get(sent, (0, -1))
        return self.pieces[first:last + 1]

    def index_at(self, offset: int) -> int | None:
        """Index of the piece that contains `offset`, or None (space)."""
        at = self.__dict__.get("_at")
        if at is None:  # per-character piece index, built on first use
            at = [-1] * len(self.text)
            for i, piece in enumerate(self.pieces):
                at[piece.start:piece.end] = [i] * (piece.end - piece.start)
            self.__dict__["_at"] = at
        if 0 <= offset < len(at):
            found = at[offset]
            return found if found >= 0 else None
        return None



Morpheme = tuple[int, int, str, bool, str]  # start, end, tag, oov, form


def _morphemes(text: str) -> tuple[Morpheme, ...]:
    """Kiwi morphemes of the text as (start, end, tag, oov, form), as `make_doc` reads it."""
    from pipeline.tokenizer import kiwi_morphemes

    return kiwi_morphemes(text)


_PIECE_RE = re.compile(r"(\s+)|(" + _WORD_RE.pattern + r")|.", re.DOTALL)


def _split_pieces(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    space = True
    for match in _PIECE_RE.finditer(text):
        if match.start(1) >= 0:  # whitespace
            space = True
            continue
        start, end = match.span()
        pieces.append(Piece(start, end, match.group(), match.start(2) >= 0, space))
        space = False
    return pieces


def _merge_inner_parens(text: str, pieces: list[Piece]) -> list[Piece]:
    """`이앤(e&)그룹`: a parenthesis glued inside one word keeps the word whole."""
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        if (p.is_word and i + 4 < len(pieces) and pieces[i + 1].text == "("
                and not pieces[i + 1].space_before and pieces[i + 2].is_word
                and pieces[i + 3].text == ")" and not pieces[i + 3].space_before
                and pieces[i + 4].is_word and not pieces[i + 4].space_before
                and not is_particles(pieces[i + 4].text)
                and not pieces[i + 2].space_before
                and has_hangul(pieces[i + 4].text[:1])):
            last = pieces[i + 4]
            out.append(Piece(p.start, last.end, text[p.start:last.end], True, p.space_before))
            i += 5
            continue
        out.append(p)
        i += 1
    return out


def _sentence_ids(text: str, pieces: list[Piece]) -> None:
    bounds = [m.start() for m in _SENT_END_RE.finditer(text)]
    sent, b = 0, 0
    for piece in pieces:
        while b < len(bounds) and bounds[b] < piece.start:
            sent += 1
            b += 1
        piece.sent = sent


@lru_cache(maxsize=4096)
def _whole_elsewhere(text: str, word: str, glued: str) -> bool:
    """`가도카와` written elsewhere as `가도카와가`/`가도카와와`: what follows there cannot
    follow the particle `와`, so `와` belongs to the name."""
    if glued not in ("와", "과"):
        return False
    for match in re.finditer(re.escape(word) + r"([가-힣]{1,3})", text):
        after = match.group(1)
        # `와` may be followed by `의`, `는`, `도`, `만`, never by a case particle
        if is_particles(after) and after[0] in "와과가이를을에로으":
            return True
    return False


def _analyse(piece: Piece, inside: list[tuple[int, int, str, bool, str]],
             before_paren: bool = False, text: str = "") -> None:
    """Find the stem/particle split of a word piece and the Kiwi facts of its stem.

    `inside` are the morphemes that start inside the piece. A word glued to an opening
    parenthesis (`글락소스미스클라인(GSK)`) has no particle: the parenthesis holds its alias,
    and the particle comes after it, so Kiwi's `인` copula there is part of the name.
    """
    stem_end = piece.end
    for k in range(len(inside) - 1, -1, -1):
        m = inside[k]
        if before_paren:
            break
        if k and m[2].startswith("J") and inside[k - 1][0] < m[0] < inside[k - 1][1]:
            # a particle Kiwi found inside the name's last syllable (`이노빈을` = 이노비/NNP +
            # ᆫ/JX + 을/JKO): the name ends with that syllable (not `파워텔를` = 파워텔 +
            # 르/NNG + ᆯ/JKO, a syllable of its own read as a particle)
            stem_end = min(stem_end, inside[k - 1][1])
            break
        if m[2].startswith(_STOP_TAGS) and m[0] > piece.start:
            stem_end = min(stem_end, m[0])
        else:
            break
    # Kiwi sometimes glues a particle onto an unknown name (`엔비디아와`/NNP, `엔비디아가`).
    if stem_end == piece.end and is_hangul(piece.text[-1]) and not before_paren:
        for k in (3, 2, 1):
            tail = piece.text[-k:]
            if len(piece.text) - k >= 2 and (tail in _GLUED or _glued_by_sound(
                    piece.text[-k - 1], tail)) and all(
                    m[3] or m[2] in ("SL", "SN", "SH")   # `TSK코퍼레이션과`
                    # (or the particle read as a noun of its own: `비저블SCM과` = … SCM/SL
                    # 과/NNG)
                    or (m[0] == piece.end - k and m[4] == tail and m[2] != "NNP")
                    for m in inside if m[0] < piece.end - k + 1) \
                    and not _whole_elsewhere(text, piece.text, tail):
                stem_end = piece.end - k
                break
    # `코닝과는`/NNP+JX: an unknown name that swallowed the first of two particles
    if stem_end < piece.end and all(m[3] for m in inside if m[0] < stem_end):
        stem = piece.text[:stem_end - piece.start]
        for k in (2, 1):
            if len(stem) - k >= 2 and stem[-k:] in _GLUED and is_particles(
                    piece.text[stem_end - piece.start - k:]) \
                    and not _whole_elsewhere(text, stem, stem[-k:]):
                stem_end -= k
                break
    # `크로아티아의`/NNP: Kiwi reads a place and its genitive as one proper noun
    if stem_end == piece.end and not before_paren and len(piece.text) >= 3 \
            and piece.text.endswith("의") and len(inside) == 1 and inside[0][2] == "NNP" \
            and inside[0][0] == piece.start and is_hangul(piece.text[-2]):
        stem_end = piece.end - 1
    # `리치몬트로`/NNG + `부터`/JX: the particle `로부터` split inside the name
    if stem_end < piece.end:
        stem = piece.text[:stem_end - piece.start]
        tail = piece.text[stem_end - piece.start:]
        for k in (2, 1):
            if len(stem) - k >= 2 and stem[-k:] + tail in _SPLIT_PARTICLES:
                stem_end -= k
                break
    # A particle must be a real particle string; otherwise keep the whole word.
    if stem_end < piece.end and not is_particles(piece.text[stem_end - piece.start:]):
        tail = piece.text[stem_end - piece.start:]
        if not _COPULA_TAIL.fullmatch(tail):
            stem_end = piece.end
    piece.stem_end = stem_end
    stem = piece.text[:stem_end - piece.start]
    stem_morphs = [m for m in inside if m[0] < stem_end]
    piece.tags = tuple([m[2] for m in stem_morphs])
    piece.oov = any([m[3] for m in stem_morphs])
    piece.known_forms = tuple([m[4] for m in stem_morphs])
    piece.morphs = tuple(stem_morphs)
    if not stem_morphs and has_latin(stem):
        piece.tags = ("SL",)
    if stem and all(is_latin(c) or c.isdigit() or c in "&+.-'" for c in stem):
        piece.tags = tuple(t for t in piece.tags if t in ("SL", "SN", "SW", "SH")) or ("SL",)


def _glued_by_sound(last: str, tail: str) -> bool:
    """`엔비디아가`, `스피어다`, `대명정밀로`, `셀트리온이`: a subject, copula or `로` particle that
    fits the sound of the syllable before it (가/다/로 after a vowel, 이 after a consonant)."""
    if not is_hangul(last) or tail not in ("가", "이", "다", "로", "도"):
        return False
    final = (ord(last) - 0xAC00) % 28
    if tail == "이":
        return final != 0
    if tail == "로":
        return final in (0, 8)  # a vowel or ㄹ
    return final == 0 if tail in ("가", "다") else True


_PARTICLE_HOSTS = set(")]") | set("’”'\"」』》〉")
# `코드42`: a Hangul word with digits glued on reads as a name, not a noun and a count
_NOUN_DIGITS = re.compile(r"[가-힣]{2,}\d{1,4}")
# particles Kiwi may cut in two after an unknown name (`로`+`부터`)
_SPLIT_PARTICLES = {"로부터", "으로부터", "에서부터", "로부터는", "으로부터는", "로부터도"}
_GLUED = {"와", "과", "는", "를", "을", "에서", "에게", "으로", "와의", "과의", "에는", "에도",
          "은", "이라는", "라는"}


# What `_analyse` and `Piece.settle` made of a word, by the word, its Kiwi morphemes
# (offsets from the word's start) and whether a parenthesis follows: the same word read
# the same way recurs across articles (two in three words of the corpus), and both steps
# depend on nothing else, except the `와`/`과` check that reads the rest of the text.
_Analysis = tuple[int, tuple[str, ...], bool, tuple[str, ...], str, str, bool, bool, bool,
                  bool, bool, bool]
_ANALYSIS_CACHE: dict[tuple[object, ...], _Analysis] = {}
_ANALYSIS_CACHE_SIZE = 50_000


def _reusable(word: str) -> bool:
    """Whether the analysis of `word` depends on the word alone (see `_whole_elsewhere`)."""
    return "와" not in word and "과" not in word


def _build_words(text: str, morphs: Sequence[Morpheme]) -> Words:
    pieces = _merge_inner_parens(text, _split_pieces(text))
    _sentence_ids(text, pieces)
    j = 0
    n_morphs = len(morphs)
    cache = _ANALYSIS_CACHE
    keys: list[tuple[object, ...] | None] = [None] * len(pieces)
    settled = [False] * len(pieces)
    for i, piece in enumerate(pieces):
        if not piece.is_word:
            piece.stem_end = piece.end
            continue
        p_start, p_end = piece.start, piece.end
        while j < n_morphs and morphs[j][1] <= p_start:
            j += 1
        k = j
        while k < n_morphs and morphs[k][0] < p_end:
            k += 1
        # a morpheme that spans a space (`샘 올트먼`/NNP) counts for every piece it covers
        inside = [(m[0] if m[0] > p_start else p_start, m[1], m[2], m[3], m[4])
                  for m in morphs[j:k] if m[1] > p_start or m[0] == m[1] == p_start]
        before_paren = text[p_end:p_end + 1] in ("(", "（")
        if _reusable(piece.text):
            key = (piece.text, before_paren,
                   *[(m[0] - p_start, m[1] - p_start, m[2], m[3], m[4]) for m in inside])
            keys[i] = key
            known = cache.get(key)
            if known is not None:
                _reuse(piece, inside, known)
                settled[i] = True
                continue
        _analyse(piece, inside, before_paren, text)
    for i, piece in enumerate(pieces):
        # a bare particle after `)` or a closing quote: `(MS)와`, `‘아이소톱’과`
        if (piece.is_word and i > 0 and not piece.space_before
                and pieces[i - 1].text in _PARTICLE_HOSTS and is_particles(piece.text)):
            piece.stem_end = piece.start
            piece.tags, piece.morphs, piece.oov = (), (), False
            keys[i], settled[i] = None, False
    sentences: dict[int, tuple[int, int]] = {}
    for i, piece in enumerate(pieces):
        if not settled[i]:
            piece.settle()
            key = keys[i]
            if key is not None:
                if len(cache) >= _ANALYSIS_CACHE_SIZE:
                    cache.clear()
                cache[key] = _analysis_of(piece)
        if piece.is_word and not piece.proper and _hanja_reading(text, piece):
            piece.proper, piece.common = True, False
        piece.index = i
        first, _last = sentences.get(piece.sent, (i, i))
        sentences[piece.sent] = (first, i)
    return Words(text, pieces, sentences)


def _analysis_of(piece: Piece) -> _Analysis:
    return (piece.stem_end - piece.start, piece.tags, piece.oov, piece.known_forms,
            piece.stem, piece.particle, piece.latin, piece.proper, piece.verbal,
            piece.common, piece.fragmented, piece.compound)


def _reuse(piece: Piece, inside: list[Morpheme], known: _Analysis) -> None:
    """Give `piece` the analysis a word read the same way had (see `_ANALYSIS_CACHE`)."""
    (cut, piece.tags, piece.oov, piece.known_forms, piece.stem, piece.particle,
     piece.latin, piece.proper, piece.verbal, piece.common, piece.fragmented,
     piece.compound) = known
    piece.stem_end = stem_end = piece.start + cut
    piece.morphs = tuple([m for m in inside if m[0] < stem_end])


_HANJA_ALIAS = re.compile(r"\(([\u4e00-\u9fff]{2,6})\)")


def _hanja_reading(text: str, piece: Piece) -> bool:
    """`산산(杉杉)`, `비야디(比亞迪)`: a Hangul word glued to a bracket of as many Chinese
    characters as it has syllables is the reading of a name, whatever Kiwi made of it."""
    if piece.stem_end != piece.end or not piece.stem or not all(is_hangul(c) for c in piece.stem):
        return False
    match = _HANJA_ALIAS.match(text, piece.end)
    return match is not None and len(match.group(1)) == len(piece.stem)


_WORDS_CACHE: OrderedDict[str, Words] = OrderedDict()
_WORDS_CACHE_SIZE = 16            # texts; a long article's words take megabytes, so the
_WORDS_CACHE_CHARS = 1_000_000    # cache also stops at this many characters in all


def words_of(text: str, morphs: Sequence[Morpheme] | None = None) -> Words:
    """The analysed pieces of `text` (cached per text).

    `morphs` are the text's Kiwi morphemes when the caller has them (a Doc made by
    `make_doc` carries them); otherwise Kiwi analyses the text the same way here.
    """
    cached = _WORDS_CACHE.get(text)
    if cached is not None:
        _WORDS_CACHE.move_to_end(text)
        return cached
    words = _build_words(text, morphs if morphs is not None else _morphemes(text))
    _WORDS_CACHE[text] = words
    total = sum(len(t) for t in _WORDS_CACHE)
    while len(_WORDS_CACHE) > 1 and (len(_WORDS_CACHE) > _WORDS_CACHE_SIZE
                                     or total > _WORDS_CACHE_CHARS):
        total -= len(_WORDS_CACHE.popitem(last=False)[0])
    return words
