"""Discovery cues and exclusions for company names (`rules/company_cues.yaml`).

A cue finds a name unit (pipeline/company_units.py) that context marks as a
company: a descriptor before it, a deal frame after it, a company suffix, a
parenthesized foreign spelling. An exclusion vetoes a name that is an
association, a place, a person, an event or a product. Each rule's words live in
the YAML file; the code here only knows how each *kind* of rule looks at text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pipeline.company_text import (
    CLOSE_QUOTES,
    OPEN_QUOTES,
    hangul_syllables,
    has_hangul,
    has_latin,
    looks_transliterated,
)
from pipeline.company_units import Span, Unit, UnitReader
from pipeline.company_words import Piece, Words
from pipeline.company_yaml import load_layers
from pipeline.linking import LINK_KINDS
from pipeline.problems import RuleProblem

FILENAME = "company_cues.yaml"
CUE_KINDS = ("descriptor_before", "descriptor_after", "paren_foreign", "company_suffix",
             "latin_company_word", "legal_form", "deal_frame", "deal_subject", "context_after",
             "news_source", "list_spread", "dateline", "place_before", "paren_short",
             "bullet_label")
EXCLUSION_KINDS = ("exclude_suffix", "exclude_place", "exclude_person", "exclude_event",
                   "exclude_product")
LIST_NAMES = ("generic", "places", "surnames", "person_titles", "event_heads", "product_heads",
              "generic_endings", "list_words")
_RULE_KEYS = {"id", "kind", "description", "examples", "negatives", "drop", "_file", "_line"}
_TOPIC = ("은", "는", "이", "가")
_PARTY_PARTICLES = ("와", "과", "와의", "과의", "에", "에서", "로부터", "으로부터", "은", "는",
                    "이", "가", "를", "을", "의")
_STAKE_WORDS = ("지분", "주식", "경영권")
_LOCATIVE = ("에", "에서", "에는", "에서는", "로", "으로", "에서도", "에도")
_JOINED = ("이", "가", "은", "는", "의", "를", "을", "도", "와", "과")
_YEAR_RE = re.compile(r"(?:19|20)\d\d\b|'\d\d\b")
_MODEL_RE = re.compile(r"^[A-Za-z][A-Za-z]*[- ]?\d")
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&+]{1,5}$")
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z0-9&.\- ]+")   # a bracketed foreign spelling


# tags that never start or build a common noun inside one written word: a name Kiwi cut
# (`-화`, `-형` and `의` do build common words: `유동화증권`, `주문형반도체`, `인체의약품`)
WORD_CUT_TAGS = frozenset({"MM", "MAG", "MAJ", "IC", "XSA", "EC", "ETM", "ETN", "EP", "JKS",
                           "JKO", "JKB", "JX", "VV", "VA", "VCP"})


@dataclass
class CueRule:
    """One rule of `company_cues.yaml`: a cue or an exclusion with its parameters."""

    id: str
    kind: str
    description: str
    params: dict[str, Any]
    examples: list[dict] = field(default_factory=list)
    negatives: list[dict] = field(default_factory=list)
    file: str = FILENAME
    line: int | None = None
    _word_sets: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _word_tuples: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def words(self, key: str) -> set[str]:
        """The word list `key` of this rule, as a set (computed once)."""
        if key not in self._word_sets:
            self._word_sets[key] = {str(w) for w in self.params.get(key) or []}
        return self._word_sets[key]

    def word_tuple(self, key: str) -> tuple[str, ...]:
        """The word list `key` as a tuple, for `str.endswith`/`startswith` (computed once)."""
        found = self._word_tuples.get(key)
        if found is None:
            found = self._word_tuples[key] = tuple(sorted(self.words(key)))
        return found


@dataclass(frozen=True)
class Candidate:
    """A span a cue marks as a company; spans of one unit share `group`."""

    start: int
    end: int
    rule: str
    group: int


@dataclass
class Found:
    """What one pass of the cues produced."""

    candidates: list[Candidate] = field(default_factory=list)
    vetoes: list[tuple[Span, str]] = field(default_factory=list)
    next_group: int = 0

    def add_unit(self, unit: Unit, rule: str) -> None:
        group = self.next_group
        self.next_group += 1
        for start, end in unit.spans:
            if end > start:
                self.candidates.append(Candidate(start, end, rule, group))


class CueSet:
    """All cue and exclusion rules, with the shared word lists."""

    def __init__(self, rules: list[CueRule], lists: dict[str, set[str]]):
        self.rules = rules
        self.lists = lists
        self.cues = [r for r in rules if r.kind in CUE_KINDS]
        self.exclusions = [r for r in rules if r.kind in EXCLUSION_KINDS]
        self.links: dict[str, CueRule] = {r.kind: r for r in rules if r.kind in LINK_KINDS}
        self.by_kind: dict[str, CueRule] = {r.kind: r for r in rules}
        suffix_rule = self.by_kind.get("company_suffix")
        latin_rule = self.by_kind.get("latin_company_word")
        self.suffixes = sorted(suffix_rule.words("suffixes") if suffix_rule else set(),
                               key=len, reverse=True)
        self.separate = suffix_rule.words("separate") if suffix_rule else set()
        self.corporate_forms = suffix_rule.words("corporate_forms") if suffix_rule else set()
        self.glued_forms = suffix_rule.words("glued_forms") if suffix_rule else set()
        self.suffix_tuple = tuple(self.suffixes)
        self.suffix_set = frozenset(self.suffixes)
        self.generic_endings = tuple(self.lists["generic_endings"])
        self.continuation = set(self.separate) | (
            {w.rstrip(".") for w in latin_rule.words("words")} if latin_rule else set())
        descriptor_heads: set[str] = set()
        for kind in ("descriptor_before", "descriptor_after"):
            if kind in self.by_kind:
                descriptor_heads |= self.by_kind[kind].words("heads")
        self.stop = (lists["generic"] | lists["person_titles"]
                     | lists["event_heads"] | lists["product_heads"] | descriptor_heads)

    # ------------------------------------------------------------------ helpers
    def reader(self, words: Words) -> UnitReader:
        return UnitReader(words, self.continuation, self.stop, self.person_shaped,
                          self.lists["places"], self.generic_endings)

    def person_shaped(self, piece: Piece | None, loose: bool = False) -> bool:
        """A Korean personal name: surname + one or two syllables (`김영섭`, `남궁민수`).

        Kiwi must read it as a proper noun unless `loose` (the caller has other evidence,
        such as a title after it).
        """
        if piece is None or not piece.is_word:
            return False
        stem = piece.stem
        if not stem or not all("가" <= c <= "힣" for c in stem):
            return False
        surnames = self.lists["surnames"]
        shaped = ((len(stem) == 3 and stem[0] in surnames)
                  or (len(stem) == 2 and stem[0] in surnames and "NNP" in piece.tags)
                  or (len(stem) == 4 and stem[:2] in surnames))
        return shaped and (loose or "NNP" in piece.tags or piece.oov)

    def _text(self, words: Words, span: Span) -> str:
        return words.text[span[0]:span[1]]

    # ------------------------------------------------------------------ cues
    def find(self, words: Words, accepted: list[Span] | None = None) -> Found:
        """Run the first-pass cues (those that need no other companies)."""
        found = Found()
        reader = self.reader(words)
        for rule in self.cues:
            method = getattr(self, f"_cue_{rule.kind}", None)
            if method is not None and rule.kind not in ("deal_subject", "list_spread",
                                                         "paren_short"):
                method(rule, words, reader, found)
        return found

    def find_second(self, words: Words, accepted: list[Span], found: Found) -> None:
        """Cues that build on companies already accepted (deal subjects, lists)."""
        reader = self.reader(words)
        for rule in self.cues:
            if rule.kind == "deal_subject":
                self._cue_deal_subject(rule, words, reader, found, accepted)
            elif rule.kind == "list_spread":
                self._cue_list_spread(rule, words, reader, found, accepted)
            elif rule.kind == "paren_short":
                self._cue_paren_short(rule, words, found, accepted)

    @staticmethod
    def _cue_paren_short(rule: CueRule, words: Words, found: Found,
                         accepted: list[Span]) -> None:
        """`오아시스마켓(오아시스)`: a Hangul word in the brackets right after a company that
        begins its name (or that it begins), or that abbreviates it (`현대모비스(현모)`),
        is the same company's other name; not a word that only ends it (`롯데정밀화학(화학)`
        names the business)."""
        text = words.text
        longest = int(rule.params.get("max_length", 20))
        for start, end in accepted:
            if not text.startswith("(", end):
                continue
            close = text.find(")", end + 1, end + 2 + longest)
            inner = text[end + 1:close] if close > 0 else ""
            name = text[start:end]
            if len(inner) < 2 or inner == name or not all("가" <= c <= "힣" for c in inner):
                continue
            if name.startswith(inner) or inner.startswith(name) or _abbreviates(inner, name):
                found.candidates.append(Candidate(end + 1, close, rule.id, found.next_group))
                found.next_group += 1

    def _cue_descriptor_before(self, rule: CueRule, words: Words, reader: UnitReader,
                               found: Found) -> None:
        heads_tuple = rule.word_tuple("heads")
        exact = rule.words("heads_exact")
        framed_heads = rule.words("framed_heads")
        pieces = words.pieces
        for i, p in enumerate(pieces[:-1]):
            if not p.is_word:
                continue
            # `운영사 X`, `기업인 X`; a head written as a whole word (`운영하는 X`) counts too
            framed_only = False
            if not (p.particle in ("", "인", "이자")
                    and (p.stem in exact or p.stem.endswith(heads_tuple))) \
                    and not p.text.endswith(heads_tuple):
                # a product word or a maker's clause counts only before a deal told of the
                # name (`웹소설 플랫폼 왓패드를 … 사들이기로`, `앱을 만드는 트립잇을 … 사들였다`)
                framed_only = (p.particle == "" and p.stem in framed_heads) \
                    or p.text in framed_heads
                if not framed_only:
                    continue
            k = i + 1
            if pieces[k].text == "(" and not pieces[k].space_before:
                # the descriptor's own bracket (`사모펀드(PEF) 액티스`) stands between
                close = next((m for m in range(k + 1, min(k + 8, len(pieces)))
                              if pieces[m].text == ")"), None)
                if close is None or close + 1 >= len(pieces):
                    continue
                k = close + 1
            nxt = pieces[k]
            if not nxt.space_before or nxt.sent != p.sent:
                continue
            unit = reader.forward(k, lenient=True)
            if unit is None:
                unit = self._framed_known_word(rule, words, reader, i, k)
            if unit is None or not self._usable(words, unit):
                continue
            if nxt.is_word and not reader.namey(nxt) and not nxt.fragmented:
                # a compound of known nouns (`블랙앵커`) counts only after a specific
                # descriptor (`개발사`, not bare `기업`: `기업 가치평가`) and before a particle
                # that makes it a party (`블랙앵커 스튜디오와`)
                if nxt.stem.startswith(self.deal_words()) \
                        or nxt.stem.endswith(heads_tuple):   # another descriptor (`기술기업`)
                    continue
                at = words.index_at(unit.main[1] - 1)
                last = words.pieces[at or k]
                # (the particle may follow a foreign name in brackets: `석유프로젝트공사(SCOP)가`)
                particle = last.particle or unit.particle
                # (or before its stake: `여행사 온라인투어 지분 20%를`)
                after = pieces[at + 1] if at is not None and at + 1 < len(pieces) else None
                stake = not particle and after is not None and after.sent == p.sent \
                    and after.stem in _STAKE_WORDS
                # a Latin spelling in brackets makes the words a name after any descriptor
                # (`업체 서너(Cerner)`, `운송업체 다슬(DARCL)의`, which Kiwi reads as adverbs)
                spelled = reader.spelled_after(k) or self._latin_alias(words, unit)
                # a deal told of the words makes them a name after any descriptor (`결제대행
                # 업체 사이버소스를 약 20억달러에 사들여`)
                framed = self._framed(words, unit.last, particle)
                if not spelled and not framed and (
                        p.stem in ("기업", "회사", "업체") or framed_only
                        or (particle not in _PARTY_PARTICLES and not stake)):
                    continue
            elif framed_only and not self._framed(words, unit.last, unit.particle):
                continue
            found.add_unit(unit, rule.id)

    def _framed_known_word(self, rule: CueRule, words: Words, reader: UnitReader, i: int,
                           k: int) -> Unit | None:
        """`소프트웨어 업체 웨이브를 4억달러에 사들였다`: one known noun after a descriptor
        that a word before qualifies is a name when a deal is told of it right after it (a
        bare `회사 자금을 투자` has no such word, and stays a noun)."""
        pieces = words.pieces
        nxt, head = pieces[k], pieces[i]
        if not (nxt.is_word and nxt.common and nxt.particle and len(nxt.stem) >= 2
                and len(nxt.tags) == 1 and nxt.stem not in reader.stop
                and nxt.stem not in rule.words("framed_not_names")
                and not nxt.stem.startswith(self.deal_words())):
            return None
        before = pieces[i - 1] if i > 0 else None
        if head.particle or before is None or not before.is_word or before.particle \
                or before.sent != head.sent or not before.tags \
                or not before.tags[-1].startswith(("NN", "SL", "XSN")):
            return None
        # the price or the sum follows the name at once (`X를 4억달러에`, `X에 100억원을`),
        # not a valuation (`기업 가치를 1조원으로`)
        price_after, price_frames = self._price_frame
        price = price_after.match(words.text, nxt.end)
        if price is None or f"{nxt.particle} {price.group(1)}" not in price_frames:
            return None
        if not self._framed(words, k, nxt.particle):
            return None
        return reader.single(k)

    @cached_property
    def _price_frame(self) -> tuple[re.Pattern[str], frozenset[str]]:
        """A price or a sum right after a name's particle, in the currency units of
        `cue.descriptor_before` (`를 4억500만달러에`), and the particle pairs that make it
        one (`price_particles`: bought for, invested in), compiled once."""
        rule = self.by_kind.get("descriptor_before")
        units = rule.word_tuple("price_units") if rule is not None else ()
        pairs = frozenset(rule.word_tuple("price_particles")) if rule is not None else frozenset()
        unit = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True)) or "(?!)"
        pattern = re.compile(r"\s*(?:약\s*)?\d[\d,.]*\s*(?:[조억만천]\s*[\d,.]*\s*)*"
                             rf"(?:{unit})(?:\([^)]{{1,30}}\))?(에|을|를)")
        return pattern, pairs

    def deal_told_of(self, words: Words, last: int) -> bool:
        """A deal is told of the name ending at piece `last` (`X를 N억달러에 인수`), past a
        glued `(…)` or quote."""
        particle, tail = self._unit_tail(words, last)
        return self._framed(words, tail, particle)

    def _framed(self, words: Words, k: int, particle: str) -> bool:
        """Piece `k` carries a particle that a deal word close after it completes (`X를
        26억달러에 인수`, `X에 100억원을 투자`, `X와 업무협약`): the frames of `cue.deal_frame`,
        narrowed to the `framed_words` of `cue.descriptor_before` (buying, selling, investing,
        agreeing; not supplying)."""
        if not particle or k >= len(words.pieces):
            return False
        pieces = words.pieces
        p = pieces[k]
        for particles, vocab, window in self._owning_frames:
            if particle not in particles:
                continue
            ahead = [q for q in pieces[k + 1:k + 1 + window * 2]
                     if q.is_word and q.sent == p.sent][:window]
            if any(q.text.startswith(vocab) for q in ahead):
                return True
        return False

    @cached_property
    def _owning_frames(self) -> list[tuple[frozenset[str], tuple[str, ...], int]]:
        """The frames `_framed` tries (particles, deal words, window), built once."""
        frame_rule = self.by_kind.get("deal_frame")
        head_rule = self.by_kind.get("descriptor_before")
        if frame_rule is None or head_rule is None:
            return []
        owning = head_rule.word_tuple("framed_words")
        default_window = int(frame_rule.params.get("window", 6))
        frames = []
        for frame in frame_rule.params.get("frames") or []:
            vocab = tuple(w for w in frame.get("words") or [] if w.startswith(owning))
            if vocab and not frame.get("sentence_words"):
                frames.append((frozenset(frame.get("particles") or []), vocab,
                               int(frame.get("window", default_window))))
        return frames

    def framed_heads(self) -> tuple[str, ...]:
        """Product words (and `계열`, a maker's clause) after which a name is a company only
        when a deal is told of it."""
        rule = self.by_kind.get("descriptor_before")
        return rule.word_tuple("framed_heads") if rule is not None else ()

    def _latin_alias(self, words: Words, unit: Unit) -> bool:
        """The unit's bracketed spelling is a Latin name, not a generic abbreviation (`ATM`)."""
        return any(_LATIN_NAME.fullmatch(text) and text not in self.stop
                   for text in (self._text(words, a).strip() for a in unit.aliases))

    def _usable(self, words: Words, unit: Unit) -> bool:
        main = self._text(words, unit.main).strip()
        if not main or main[0].isdigit() or "%" in main:
            return False
        if _QUANTITY_END.search(main) or ":" in main:
            return False  # `리튬정광 20만t`: a quantity of goods; `브레이커스: 언락 더 월드`
        # a generic abbreviation with a common noun written onto it (`PC방`, `TV광고`) names
        # a kind of place or thing; with a company word it is a name (`TV조선`, `IT조선`)
        glued = _GENERIC_GLUED.match(main)
        if glued and glued.group(1) in self.lists["generic"] \
                and not glued.group(2).endswith(self.suffix_tuple):
            return False
        return main not in self.stop and len(main) < 40 and not self._ends_generic(main)

    def _ends_generic(self, text: str) -> bool:
        """Ends in a generic word (`업체`, `회사`) that is not the end of a longer company
        suffix (`주식회사`, `유한회사` are legal forms)."""
        if not text.endswith(self.generic_endings):
            return False
        endings = [len(g) for g in self.generic_endings if text.endswith(g)]
        return bool(endings) and not any(len(s) > max(endings) and text.endswith(s)
                                         for s in self.suffixes)

    def _cue_descriptor_after(self, rule: CueRule, words: Words, reader: UnitReader,
                              found: Found) -> None:
        heads = rule.words("heads")
        pieces = words.pieces
        for k, p in enumerate(pieces):
            if not p.is_word:
                continue
            if p.particle in ("라는", "이라는", "란", "이란") and p.stem:
                nxt = pieces[k + 1] if k + 1 < len(pieces) else None
                if nxt is not None and nxt.is_word and nxt.stem in heads:
                    unit = reader.backward(k)
                    if unit is not None and self._usable(words, unit):
                        found.add_unit(unit, rule.id)
            elif p.stem == "등" and p.space_before and k > 0:
                ahead = [q for q in pieces[k + 1:k + 4] if q.is_word and q.sent == p.sent]
                if not any(q.stem in heads or q.text in heads for q in ahead):
                    continue
                for unit in self.list_units_before(words, reader, k - 1):
                    if self._usable(words, unit):
                        found.add_unit(unit, rule.id)

    def list_units_before(self, words: Words, reader: UnitReader, j: int) -> list[Unit]:
        """Units of a `A·B, C` list whose last item ends at piece `j`."""
        units: list[Unit] = []
        pieces = words.pieces
        while j >= 0:
            p = pieces[j]
            if not p.is_word or p.particle not in ("", "와", "과"):
                break
            unit = reader._backward_words(j, j, p.particle)
            if unit is None:
                break
            units.append(unit)
            if p.particle:  # `A와 B, C 등`: the item before 와/과 starts the list
                break
            if unit.first >= 1 and pieces[unit.first - 1].particle in ("와", "과") and \
                    pieces[unit.first].space_before:
                j = unit.first - 1
                continue
            sep = unit.first - 1
            if sep < 1 or pieces[sep].text not in "·,、" or pieces[sep].sent != p.sent:
                break
            j = sep - 1
        return units

    def _cue_paren_foreign(self, rule: CueRule, words: Words, reader: UnitReader,
                           found: Found) -> None:
        business = rule.words("business_words")
        stake_words = rule.word_tuple("stake_words")
        pieces = words.pieces
        for o, p in enumerate(pieces):
            if p.text != "(" or p.space_before or o == 0:
                continue
            close = reader._close_paren(o)
            if close is None:
                continue
            after = close + 1
            if after < len(pieces) and pieces[after].text in CLOSE_QUOTES:
                after += 1
            if after >= len(pieces) or pieces[after].space_before:
                # `지오 플랫폼스(Jio Platforms) 지분`: no particle after the brackets, a
                # word of shares or control next
                before = pieces[o - 1]
                if not before.is_word or before.particle or after - 1 != close \
                        or after >= len(pieces) \
                        or not pieces[after].text.startswith(stake_words):
                    continue
                unit = reader._backward_words(o - 1, o - 1, "", lenient=True)
                if unit is None:
                    continue
                unit.aliases, unit.last = reader.paren_aliases(o, close), close
                if not unit.aliases:
                    continue
            else:
                unit = reader.backward(after, lenient=True)
                if unit is None or not unit.aliases or unit.last != after:
                    continue
            if not unit.quoted:
                alias_words = max(len(self._text(words, a).split()) for a in unit.aliases)
                main_words = len(self._text(words, unit.main).split())
                if alias_words > main_words:
                    strict_first, strict_main = unit.first, unit.main
                    unit = reader.extend_left(unit, alias_words - main_words, any_noun=True)
                    if not any(looks_transliterated(self._text(words, unit.main),
                                                    self._text(words, a)) for a in unit.aliases):
                        unit.first, unit.main = strict_first, strict_main
                        unit = reader.extend_left(unit, alias_words - main_words)
            proper = unit.quoted or reader.namey(pieces[unit.first])
            in_business = self._sentence_has(words, p.sent, business)
            main = self._text(words, unit.main)
            ok = False
            for alias in unit.aliases:
                alias_text = self._text(words, alias)
                if has_hangul(main) and has_latin(alias_text) and not has_hangul(alias_text):
                    if looks_transliterated(main, alias_text):
                        # a common-noun reading (`슈퍼뱅크`) needs a business sentence
                        ok = ok or proper or in_business
                    elif _ACRONYM_RE.match(alias_text) and in_business and \
                            alias_text.rstrip("0123456789") not in self.lists["generic"]:
                        ok = ok or proper
                elif has_latin(main) and not has_hangul(main) and has_hangul(alias_text):
                    ok = ok or looks_transliterated(alias_text, main)
            if ok and self._usable(words, unit):
                found.add_unit(unit, rule.id)

    def _sentence_has(self, words: Words, sent: int, vocab: set[str]) -> bool:
        starts = tuple(vocab)
        return any(q.is_word and q.text.startswith(starts) for q in words.sentence(sent))

    def _cue_company_suffix(self, rule: CueRule, words: Words, reader: UnitReader,
                            found: Found) -> None:
        pieces = words.pieces
        for k, p in enumerate(pieces):
            if not p.is_word or not p.stem:
                continue
            stem = p.stem
            if stem in self.separate:
                unit = self._separate_suffix_unit(words, reader, k)
                if unit is None:
                    continue
            else:
                suffix = self._suffix_of(stem)
                if suffix is None or self._ends_generic(stem) or stem in self.suffix_set:
                    continue  # (a suffix alone, `프라이빗에쿼티`, names no one)
                if self._hyphen_pair(rule, words, k, found):
                    continue  # `누리텔레콤-가온자산신탁 컨소시엄`: two names, not one
                unit = self._quoted_unit_around(words, reader, k) or Unit(
                    (p.start, p.stem_end), first=k, last=k, particle=p.particle)
                if not p.particle:
                    reader._attach_paren(unit, k)
                if not self._proper_prefix(p, len(stem) - len(suffix)) \
                        and not (suffix in self.glued_forms
                                 and self._noun_prefix(p, len(stem) - len(suffix))):
                    continue
            if unit is not None and self._usable(words, unit):
                found.add_unit(unit, rule.id)

    def _suffix_of(self, text: str) -> str | None:
        """The longest company suffix `text` ends in with a name before it, or None."""
        if not text.endswith(self.suffix_tuple):
            return None
        return next((s for s in self.suffixes if text.endswith(s) and len(text) > len(s)), None)

    def _hyphen_pair(self, rule: CueRule, words: Words, k: int, found: Found) -> bool:
        """`A전자-B자산신탁`: when two or more of the hyphen-joined parts end in a company
        suffix after a name (not a generic word), each such part is a company of its own
        (`세피안-세남노이전력회사`, one suffix, stays one name)."""
        p = words.pieces[k]
        parts, at = [], p.start
        for part in p.stem.split("-"):
            parts.append((at, at + len(part)))
            at += len(part) + 1
        named = []
        for start, end in parts:
            side = words.text[start:end]
            suffix = self._suffix_of(side)
            prefix = side[:-len(suffix)] if suffix else ""
            if suffix and not self._ends_generic(side) and len(prefix) >= 2 \
                    and prefix not in self.lists["generic"] and not prefix[0].isdigit():
                named.append((start, end))
        if len(parts) < 2 or len(named) < 2:
            return False
        for start, end in named:
            unit = Unit((start, end), first=k, last=k,
                        particle=p.particle if end == p.stem_end else "")
            if self._usable(words, unit):
                found.add_unit(unit, rule.id)
        return True

    def _noun_prefix(self, p: Piece, prefix_len: int) -> bool:
        """`대신자산운용`, `대신저축은행`: one known noun of two syllables or more glued to a
        form that only firms take is a name (a generic word is not: `해외자산운용`)."""
        prefix = p.stem[:prefix_len]
        if prefix in self.lists["generic"] or len(prefix) < 2:
            return False
        cut = p.start + prefix_len
        morphs = [m for m in p.morphs if m[0] < cut]
        return len(morphs) == 1 and morphs[0][1] == cut and morphs[0][2] in ("NNG", "NNP")

    def _proper_prefix(self, p: Piece, prefix_len: int) -> bool:
        """The part before a suffix is a name: proper, unknown, foreign or cut by Kiwi."""
        prefix = p.stem[:prefix_len]
        if prefix in self.lists["generic"] or len(prefix) < 2:
            return False
        if has_latin(prefix) or "(" in prefix:
            return True
        cut = p.start + prefix_len
        morphs = [m for m in p.morphs if m[0] < cut]
        if len(p.morphs) == 1 and p.morphs[0][2] == "NNP":
            return True
        if any(m[0] < cut < m[1] and not m[3] and m[2] != "NNP" for m in p.morphs):
            return False  # the "suffix" is inside a known word (`바이오의약품`)
        if any(m[3] or m[2] in ("NNP", "SL", "SH") for m in morphs):
            return True
        if len(morphs) >= 2 and morphs[-1][1] <= cut \
                and any(m[2] in WORD_CUT_TAGS for m in morphs):
            # Kiwi read a name glued to the suffix as a determiner or an ending and its
            # host (`이화자산운용`: 이/MM 화/XSN): no common word is built that way
            return True
        # Kiwi cut an unknown word into short nouns, a prefix among them (`비거마린그룹`:
        # 비/XPN 거/NNB 마/NNG 린/NNG)
        nouns = [m for m in morphs if m[2].startswith("N")]
        prefixes = [m for m in morphs if m[2] == "XPN"]
        return (len(prefix) >= 3 and len(nouns) >= 2 and len(nouns) + len(prefixes) == len(morphs)
                and any(min(m[1], cut) - m[0] == 1 for m in nouns))

    def _quoted_unit_around(self, words: Words, reader: UnitReader, k: int) -> Unit | None:
        """The quoted unit whose last word is piece `k` (`‘스마트 글로벌 홀딩스'`)."""
        pieces = words.pieces
        if k + 1 >= len(pieces) or pieces[k + 1].text not in CLOSE_QUOTES or pieces[k].particle:
            return None
        start_q = reader._open_quote(k + 1)
        if start_q is None:
            return None
        return reader.forward(start_q)

    def _separate_suffix_unit(self, words: Words, reader: UnitReader, k: int) -> Unit | None:
        quoted = self._quoted_unit_around(words, reader, k)
        if quoted is not None:
            inner = [q for q in words.pieces[quoted.first:k] if q.is_word]
            if inner and not any(q.latin and q.stem in self.lists["generic"] for q in inner):
                return quoted
            return None
        p = words.pieces[k]
        i = k
        while i - 1 >= 0 and k - i < 3:
            prev = words.pieces[i - 1]
            if (not prev.is_word or prev.particle or not words.pieces[i].space_before
                    or not reader.namey(prev) or prev.sent != p.sent
                    or prev.stem in self.lists["places"]):
                break
            i -= 1
        if i == k and p.stem in self.corporate_forms and self._plain_noun_before(words, k):
            i = k - 1   # `장터 코퍼레이션`: a legal-form word makes even a known noun a name
        elif i == k or not any(words.pieces[j].oov or words.pieces[j].latin
                               or "NNP" in words.pieces[j].tags for j in range(i, k)):
            return None
        unit = Unit((words.pieces[i].start, p.stem_end), first=i, last=k, particle=p.particle)
        if not p.particle:
            reader._attach_paren(unit, k)
        return unit

    def _plain_noun_before(self, words: Words, k: int) -> bool:
        """A Hangul word of two or more syllables, spaced, right before piece `k`, that is no
        generic word, place, stop word or verb."""
        if k == 0:
            return False
        prev, p = words.pieces[k - 1], words.pieces[k]
        return (prev.is_word and not prev.particle and not prev.latin and p.space_before
                and prev.sent == p.sent and prev.stem not in self.lists["generic"]
                and prev.stem not in self.lists["places"] and prev.stem not in self.stop
                and not prev.verbal and len(prev.stem) >= 2)

    def _cue_latin_company_word(self, rule: CueRule, words: Words, reader: UnitReader,
                                found: Found) -> None:
        company_words = {w.rstrip(".") for w in rule.words("words")}
        weak_words = set(rule.words("weak_words"))
        prefixes = {w.rstrip(".") for w in rule.words("prefixes")}
        pieces = words.pieces
        k = 0
        while k < len(pieces):
            if not (pieces[k].is_word and _capitalized(pieces[k].stem)):
                k += 1
                continue
            j = k
            while (j + 1 < len(pieces) and pieces[j + 1].space_before and pieces[j + 1].is_word
                   and not pieces[j].particle and _capitalized(pieces[j + 1].stem)):
                j += 1
            last = pieces[j]
            first_word = pieces[k].stem.rstrip(".")
            weak = j == k + 1 and last.stem in weak_words and not first_word.isupper() \
                and not (k and pieces[k - 1].text in OPEN_QUOTES and not pieces[k].space_before)
            if j > k and (last.stem.rstrip(".") in company_words or first_word in prefixes
                          or weak):
                end = last.stem_end
                if words.text[end:end + 1] == "." and last.stem in ("Inc", "Corp", "Co", "Ltd"):
                    end += 1
                found.add_unit(Unit((pieces[k].start, end), first=k, last=j,
                                    particle=last.particle), rule.id)
            k = j + 1

    def _cue_legal_form(self, rule: CueRule, words: Words, reader: UnitReader,
                        found: Found) -> None:
        text = words.text
        for m in re.finditer(r"(\(주\)|㈜)\s?(?=[0-9A-Za-z가-힣])", text):
            if m.start() and re.match(r"[0-9A-Za-z가-힣]", text[m.start() - 1]):
                continue  # `SK㈜로부터`: the marker ends the name before it
            k = words.index_at(m.end())
            if k is None:
                continue
            p = words.pieces[k]
            if not p.stem or p.stem in self.lists["generic"] \
                    or p.stem in self.lists["person_titles"]:
                continue  # `㈜ 관계자`
            found.add_unit(Unit((m.start(), p.stem_end), first=k, last=k), rule.id)
        for m in re.finditer(r"(?<=[0-9A-Za-z가-힣])(\(주\)|㈜)", text):
            k = words.index_at(m.start() - 1)
            if k is None:
                continue
            p = words.pieces[k]
            if p.particle or text[p.start:m.start()].startswith(("(", "㈜")):
                continue
            found.add_unit(Unit((p.start, m.end()), first=k, last=k), rule.id)

    def _cue_deal_frame(self, rule: CueRule, words: Words, reader: UnitReader,
                        found: Found) -> None:
        default_window = int(rule.params.get("window", 6))
        # a frame may set its own window; `particles: [""]` is a bare name right before the
        # deal word (`스플렁크 인수`, `슈퍼뱅크 지분`)
        # `sentence_words`: the frame counts only in a sentence holding one of them
        # (`X가 주도하고` names an investor only in a sentence about a funding round)
        frames = [(set(f.get("particles") or []), tuple(f.get("words") or []),
                   int(f.get("window", default_window)), set(f.get("sentence_words") or []))
                  for f in rule.params.get("frames") or []]
        pieces = words.pieces
        for k, p in enumerate(pieces):
            if not p.is_word or not (p.stem or p.particle):
                continue
            for _parts, vocab, window, needed in frames:
                if p.particle not in _parts:
                    continue
                ahead = [q for q in pieces[k + 1:k + 1 + window * 2]
                         if q.is_word and q.sent == p.sent]
                if not p.particle and (not ahead or ahead[0].index != k + 1
                                       or not ahead[0].space_before):
                    continue
                if not any(q.text.startswith(vocab) for q in ahead[:window]):
                    continue
                if needed and not self._sentence_has(words, p.sent, needed):
                    continue
                break
            else:
                continue
            name_end = k
            if p.stem == "등" and p.particle and k > 0 and pieces[k - 1].is_word \
                    and not pieces[k - 1].particle:
                name_end = k - 1  # `피델리티 등이 참여한`, `A 등과 협약`: the name before 등
            unit = reader.backward(name_end)
            if unit is None:
                continue
            unit = self._whole_of_company_word(words, reader, unit)
            if not self._usable(words, unit):
                continue
            # a bare name is one proper word (`스플렁크 인수`): not a run of names
            # (`대명소노 티웨이 인수`) nor a word Kiwi left a particle on (`웨이브의 지분`)
            if not p.particle and (unit.first != k or not reader.namey(p)
                                   or p.text.endswith(("의", "와", "과", "은", "는"))):
                continue
            found.add_unit(unit, rule.id)

    def _whole_of_company_word(self, words: Words, reader: UnitReader, unit: Unit) -> Unit:
        """`피라미드 바이오사이언스에 … 넘겼다`: a company word written apart (`separate`) is
        never a name alone; the bare word before it, whatever Kiwi made of it, begins it."""
        if unit.first < 1 or self._text(words, unit.main).strip() not in self.separate:
            return unit
        prev = words.pieces[unit.first - 1]
        if prev.particle or not prev.is_word or prev.stem in reader.places \
                or prev.stem.endswith(self.generic_endings):
            return unit
        return reader.extend_left(unit, 1, any_noun=True)

    def deal_words(self) -> tuple[str, ...]:
        return self._deal_words

    @cached_property
    def _deal_words(self) -> tuple[str, ...]:
        """Every deal word of `cue.deal_frame`, built once."""
        rule = self.by_kind.get("deal_frame")
        vocab: list[str] = []
        if rule is not None:
            for frame in rule.params.get("frames") or []:
                vocab += frame.get("words") or []
        return tuple(dict.fromkeys(vocab))

    def _cue_deal_subject(self, rule: CueRule, words: Words, reader: UnitReader, found: Found,
                          accepted: list[Span]) -> None:
        max_words = int(rule.params.get("max_words", 5))
        vocab = self.deal_words() + rule.word_tuple("deal_words")
        round_words = rule.word_tuple("round_words")
        pieces = words.pieces
        starts = sorted(s[0] for s in accepted)
        ordered = sorted(accepted)
        for sent, (first_i, last_i) in words.sentences.items():
            idx = range(first_i, last_i + 1)
            sent_pieces = words.sentence(sent)
            # a sentence about a funding round needs no partner: who raises it is a company
            own_round = bool(round_words) and any(
                q.is_word and q.text.startswith(round_words) for q in sent_pieces)
            if not own_round and not any(q.is_word and q.text.startswith(vocab)
                                         for q in sent_pieces):
                continue
            start, end = sent_pieces[0].start, sent_pieces[-1].end
            partners = ordered[bisect_left(starts, start):bisect_left(starts, end)]
            if not partners and not own_round:
                continue
            count = 0
            for i in idx:
                p = pieces[i]
                if not p.is_word:
                    continue
                count += 1
                if count > max_words:
                    break
                if p.particle not in _TOPIC:
                    continue
                unit = reader.backward(i)
                if unit is None or not self._usable(words, unit):
                    break
                at = bisect_left(starts, unit.main[0])  # an accepted name inside the unit
                if at < len(starts) and starts[at] < unit.main[1]:
                    break
                if own_round or any(s[0] > unit.main[1] for s in partners):
                    found.add_unit(unit, rule.id)
                break

    def _cue_context_after(self, rule: CueRule, words: Words, reader: UnitReader,
                           found: Found) -> None:
        context = rule.words("words")
        after_of = rule.words("after_of")
        place_words = rule.words("place_words")
        titles = rule.words("titles")
        pieces = words.pieces
        for i, p in enumerate(pieces[:-1]):
            if not p.is_word or p.particle not in ("", "의") or not reader.namey(p):
                continue
            unit = Unit((p.start, p.stem_end), first=i, last=i, particle=p.particle)
            if not p.particle:
                reader._attach_paren(unit, i)
            n_i = unit.last + 1
            n = pieces[n_i] if n_i < len(pieces) else None
            if n is None or not n.is_word or not n.space_before or n.sent != p.sent:
                continue
            hit = False
            if p.particle == "의":
                hit = n.stem in after_of
            elif n.stem in context or n.text in context:
                prev = pieces[i - 1] if i > 0 else None
                # `WZM 포즈난 공장`: the word right before a site word after a name is a place
                hit = not (n.stem in place_words and prev is not None and p.space_before
                           and prev.is_word and not prev.particle and reader.namey(prev)
                           and prev.stem not in self.lists["places"])
                # before a site word alone, a known proper noun may be a city (`테일러 공장`)
                if n.stem in place_words and not (p.oov or p.latin):
                    hit = False
            elif n.stem in titles and not unit.aliases:
                hit = self._person_before(words, i) and not self.person_shaped(p)
                # `짐 켈러 최고경영자`: after a foreign given name, an unknown Hangul word is
                # the surname, not the company
                before = pieces[i - 1] if i > 0 else None
                if hit and before is not None and not p.latin \
                        and not self.person_shaped(before, loose=True):
                    hit = False
            elif (n_i + 1 < len(pieces) and not n.particle and not unit.aliases
                  and pieces[n_i + 1].is_word and pieces[n_i + 1].space_before
                  and pieces[n_i + 1].stem in place_words and n.proper and not n.latin):
                hit = True
            if hit and self._usable(words, unit):
                if n.stem not in titles and not unit.aliases:
                    wider = reader._backward_words(i, i, p.particle)
                    unit = wider if wider is not None else unit
                found.add_unit(unit, rule.id)

    def _person_before(self, words: Words, i: int) -> bool:
        """`유영상 SK텔레콤 대표`: a person's name right before the organisation at `i`."""
        pieces = words.pieces
        if i == 0 or not pieces[i].space_before:
            return False
        before = pieces[i - 1]
        if not before.is_word or before.particle or before.latin:
            return False
        if not (self.person_shaped(before, loose=True) or before.proper):
            return False
        # (`필리프 크라코프스키 IPG CEO`: Hangul words before a Latin name are a person's)
        if pieces[i].latin and not has_hangul(pieces[i].stem) and not before.latin:
            return before.proper and (i < 2 or pieces[i - 2].particle != "의")
        # `IBC의 토토 누그로호 CEO`: after `X의` the two words are one foreign name
        return not (i >= 2 and (pieces[i - 2].particle == "의" or pieces[i - 2].proper
                                and not self.person_shaped(before)))

    def _cue_news_source(self, rule: CueRule, words: Words, reader: UnitReader,
                         found: Found) -> None:
        pieces = words.pieces
        for k, p in enumerate(pieces[:-1]):
            if not p.is_word or not p.particle:
                continue
            ahead = [q for q in pieces[k + 1:k + 8] if q.is_word and q.sent == p.sent]
            according = p.particle == "에" and ahead and ahead[0].text.startswith("따르면")
            reported = p.particle in _TOPIC and any(q.text.startswith("보도했") for q in ahead[:5])
            if according or reported:
                unit = reader.backward(k)
                if unit is not None and self._usable(words, unit):
                    found.add_unit(unit, rule.id)

    def _past_descriptor(self, words: Words, reader: UnitReader, unit: Unit) -> Unit:
        """`뉴스코프와 프랑스 미디어 그룹 비방디도`: the list item is the name after the
        word that says what kind of company it is, not the description before it."""
        rule = self.by_kind.get("descriptor_before")
        if rule is None:
            return unit
        heads, exact = rule.word_tuple("heads"), rule.words("heads_exact")
        pieces = words.pieces
        end = unit.main[1]
        for k in range(unit.last, unit.first - 1, -1):
            p = pieces[k]
            if p.end >= end or not p.is_word or p.particle or not p.common \
                    or reader.namey(p):
                continue
            if p.stem in exact or p.stem.endswith(heads):
                nxt = k + 1
                if nxt < len(pieces) and pieces[nxt].start < end:
                    return Unit((pieces[nxt].start, end), list(unit.aliases), nxt, unit.last,
                                unit.particle, unit.quoted)
                break
        return unit

    def _cue_list_spread(self, rule: CueRule, words: Words, reader: UnitReader, found: Found,
                         accepted: list[Span]) -> None:
        pieces = words.pieces
        for start, end in accepted:
            first, last = words.index_at(start), words.index_at(max(start, end - 1))
            if first is None or last is None:
                continue
            while last + 1 < len(pieces) and pieces[last + 1].end <= end:
                last += 1
            last = self._skip_paren(words, last)
            j = last + 1
            part = pieces[last].particle if pieces[last].stem_end == end else ""
            # to the right: `A·B`, `A, B` (B closes with a particle, a separator or `등`)
            if not part and j + 1 < len(pieces) and pieces[j].text in "·,、":
                # (lenient: an unknown name Kiwi cut into pieces, `신/XPN 일/NR 가스`)
                unit = reader.forward(j + 1, lenient=True)
                if unit is not None and unit.quoted and not self._short_quote(words, unit):
                    unit = None
                if (unit is not None and unit.particle in _LOCATIVE
                        and pieces[j + 1].stem in reader.places):
                    unit = None  # `한화에어로, 호주 질롱에 공장`: a place, not a list item
                if unit is not None and (pieces[j].text == "·" or (
                        (unit.first == unit.last or unit.quoted) and self._list_item_end(
                            words, unit))) and self._usable(words, unit) \
                        and (unit.quoted or self._namey_unit(reader, unit)):
                    found.add_unit(unit, rule.id)
            # `A와 B가 합병`: two companies joined by 와/과
            if part in ("와", "과") and j < len(pieces) and pieces[j].space_before:
                unit = reader.forward(j)
                if unit is not None and not unit.quoted:
                    unit = self._past_descriptor(words, reader, unit)
                if unit is not None and unit.particle in _LOCATIVE \
                        and pieces[j].stem in reader.places:
                    unit = None  # `포드와 캐나다 퀘벡주 베캉쿠르에 공장`: where, not who
                if unit is not None and unit.quoted and not self._short_quote(words, unit):
                    unit = None  # `아람코와 ‘… 타당성 조사 및 장기 공급’에 관한`: a title
                if (unit is not None and (unit.particle in _JOINED or self._list_item_end(
                        words, unit)) and self._usable(words, unit)):
                    found.add_unit(unit, rule.id)
            # `B와 A가`: the name joined by 와/과 before a company
            if first >= 1 and pieces[first].space_before:
                prev = pieces[first - 1]
                if prev.is_word and prev.particle in ("와", "과") and prev.stem:
                    unit = reader._backward_words(first - 1, first - 1, prev.particle)
                    if unit is not None and self._usable(words, unit) and (
                            part in _JOINED or self._list_item_end(words, Unit(
                                (start, end), first=first, last=last, particle=part))
                            or self._owned_after(rule, words, last, part)
                            and self._namey_unit(reader, unit)):
                        found.add_unit(unit, rule.id)
            # to the left: `A·B`, or `A, B` when B is itself followed by more of the list,
            # or when both items follow a place (`중국 GEM, 인도네시아 IMIP와`)
            k = first - 1
            placed = k >= 1 and self._bare_place(reader, pieces[k])
            if placed:
                k -= 1
            if k >= 1 and pieces[k].text in "·,、" and pieces[k - 1].is_word:
                prev = pieces[k - 1]
                mid_list = not part and j < len(pieces) and (
                    pieces[j].text in "·,、" or pieces[j].stem == "등")
                parallel = placed and k >= 2 and self._bare_place(reader, pieces[k - 2])
                if not prev.particle and (pieces[k].text == "·" or mid_list or parallel):
                    unit = reader._backward_words(k - 1, k - 1, "")
                    if unit is not None and self._usable(words, unit) \
                            and (unit.quoted or self._namey_unit(reader, unit)):
                        found.add_unit(unit, rule.id)
            if part in ("와", "과") and not placed:
                # `A, B, C와 컨소시엄을 꾸려`: a list of three or more closed by the company
                # (two items could be a headline's subject and its partner)
                chain = self._items_before(words, reader, first)
                if len(chain) >= 2:
                    for unit in chain:
                        found.add_unit(unit, rule.id)

    def _items_before(self, words: Words, reader: UnitReader, first: int) -> list[Unit]:
        """The namey list items joined by `,` before piece `first`, nearest first; stops at
        the first item that is no name."""
        pieces, units = words.pieces, []
        k = first - 1
        while k >= 1 and pieces[k].text in ",、" and pieces[k - 1].is_word \
                and not pieces[k - 1].particle:
            unit = reader._backward_words(k - 1, k - 1, "")
            if unit is None or not self._usable(words, unit) \
                    or not (unit.quoted or self._namey_unit(reader, unit)):
                break
            units.append(unit)
            k = unit.first - 1
        return units

    @staticmethod
    def _owned_after(rule: CueRule, words: Words, last: int, particle: str) -> bool:
        """`B와 A 지분을`: what both companies own follows the second with no particle."""
        return not particle and last + 1 < len(words.pieces) \
            and words.pieces[last + 1].stem in rule.words("owned_words")

    @staticmethod
    def _bare_place(reader: UnitReader, piece: Piece) -> bool:
        """A place word with no particle, as before a company (`중국 GEM`)."""
        return piece.is_word and not piece.particle and piece.stem in reader.places

    @staticmethod
    def _namey_unit(reader: UnitReader, unit: Unit) -> bool:
        """A list item that can be a name: its first word is proper, unknown or foreign, or
        Kiwi splits it into pieces (`의결권 자문사` is a phrase of known nouns)."""
        head = reader.pieces[unit.first]
        return reader.namey(head) or head.fragmented

    def _short_quote(self, words: Words, unit: Unit) -> bool:
        """A quoted list item that can be a name: three words at most, no product word."""
        inner = [q for q in words.pieces[unit.first:unit.last + 1] if q.is_word and q.stem]
        inner = [q for q in inner if unit.main[0] <= q.start < unit.main[1]]
        return 0 < len(inner) <= 3 and inner[-1].stem not in self.lists["product_heads"]

    def _skip_paren(self, words: Words, last: int) -> int:
        pieces = words.pieces
        if last + 1 < len(pieces) and pieces[last + 1].text == "(" and not pieces[
                last + 1].space_before:
            k = last + 1
            while k < len(pieces) and pieces[k].text != ")":
                k += 1
            return min(k, len(pieces) - 1)
        return last

    def _list_item_end(self, words: Words, unit: Unit) -> bool:
        """A list item ends with a particle, a separator, `등` or a count (`세 곳의`,
        `3개사와`)."""
        if unit.particle:
            return True
        nxt = words.pieces[unit.last + 1] if unit.last + 1 < len(words.pieces) else None
        if nxt is None:
            return False
        if nxt.text in "·,、" or nxt.stem == "등":
            return True
        after = words.text[nxt.start:nxt.start + 8]
        return bool(_COUNT_AFTER.match(after))

    def _cue_dateline(self, rule: CueRule, words: Words, reader: UnitReader,
                      found: Found) -> None:
        text = words.text
        spans: list[tuple[int, str]] = []
        titles = tuple(rule.params.get("byline_titles") or ("기자",))
        for m in _DATELINE.finditer(text):
            name = m.group(2).strip()
            if name.endswith(titles) and len(name.split()) >= 3:
                # `[질롱(호주)=디펜스투데이 이도윤 기자]`: place, then outlet and journalist
                spans.append((m.start(2) + (len(m.group(2)) - len(m.group(2).lstrip())),
                              name.split()[0]))
                continue
            if name.endswith(titles):
                # `[배터리경제=오태민 기자]`: the outlet comes first, the journalist after
                outlet = m.group(1).strip()
                spans.append((m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip())),
                              outlet))
                continue
            spans.append((m.start(2) + (len(m.group(2)) - len(m.group(2).lstrip())), name))
        # `[머니투데이 정현수 기자]`: the outlet of a byline
        not_outlets = set(rule.params.get("byline_stop") or ())
        for m in _BYLINE.finditer(text):
            if m.group(3) in titles and m.group(1) not in not_outlets:
                spans.append((m.start(1), m.group(1)))
        # `[마켓데일리 증권부]`: the outlet of a desk's byline
        for m in _DESK_BYLINE.finditer(text):
            if m.group(1) not in not_outlets:
                spans.append((m.start(1), m.group(1)))
        for start, name in spans:
            # `뉴스1` is an outlet, `2024년` is not
            if not re.fullmatch(r"[0-9A-Za-z가-힣&.· ]+", name) or _DATE_WORD.search(name) \
                    or not re.search(r"[A-Za-z가-힣]", name):
                continue
            k = words.index_at(start)
            if k is None:
                continue
            found.add_unit(Unit((start, start + len(name)), first=k, last=k), rule.id)

    def _cue_bullet_label(self, rule: CueRule, words: Words, reader: UnitReader,
                          found: Found) -> None:
        """`▲하츠=현대건설과 … 공급계약.`: the name that labels a digest item before `=`
        is the company the item is about."""
        bullets = "".join(rule.words("bullets"))
        if not bullets:
            return
        pattern = re.compile(rf"(?m)^[{re.escape(bullets)}]\s*([^\s=\[\](){{}}]{{2,20}}"
                             rf"(?: [^\s=\[\](){{}}]{{1,15}})?)\s*=")
        for m in pattern.finditer(words.text):
            name = m.group(1)
            if not re.search(r"[A-Za-z가-힣]", name) or name in self.stop:
                continue
            k = words.index_at(m.start(1))
            if k is None:
                continue
            first = words.pieces[k]
            # not `▲계약 기간=2년`; a label may end in a word names also end in (`▲유진기업=`)
            labelled = first.proper and not first.verbal and first.stem not in self.stop
            if reader.namey(first) or first.fragmented or labelled:
                found.add_unit(Unit((m.start(1), m.end(1)), first=k, last=k), rule.id)

    def _cue_place_before(self, rule: CueRule, words: Words, reader: UnitReader,
                          found: Found) -> None:
        places = self.lists["places"]
        pieces = words.pieces
        for i, p in enumerate(pieces[:-1]):
            if not p.is_word or p.stem not in places or p.particle not in ("", "의"):
                continue
            nxt = pieces[i + 1]
            if not nxt.space_before or nxt.sent != p.sent or nxt.stem in places:
                continue
            unit = reader.forward(i + 1)
            if unit is None or unit.quoted:
                continue
            if not (unit.aliases or unit.particle) and self._listed_unknown(words, unit):
                # `중국 팍스오션, 미국 비거마린과`: an unknown word after a place opens a list
                found.add_unit(unit, rule.id)
                continue
            if not (unit.aliases or unit.particle) or unit.particle in _LOCATIVE:
                continue
            if unit.first != unit.last and not unit.aliases:
                continue
            if unit.particle and not unit.aliases and not reader.namey(pieces[unit.first]):
                continue
            head = pieces[unit.first]
            if unit.particle == "의" and not (head.oov or head.latin):
                continue
            if self._usable(words, unit):
                found.add_unit(unit, rule.id)

    def _listed_unknown(self, words: Words, unit: Unit) -> bool:
        """A single word Kiwi does not know, with a comma right after it."""
        pieces = words.pieces
        head = pieces[unit.first]
        after = pieces[unit.last + 1] if unit.last + 1 < len(pieces) else None
        return unit.first == unit.last and head.oov and not head.latin \
            and after is not None and after.text == "," and not after.space_before \
            and self._usable(words, unit)

    def veto(self, words: Words, span: Span, source: str) -> str | None:
        """The id of the first exclusion that rejects `span` (source `cue` or `dict`)."""
        for rule in self.exclusions:
            method = getattr(self, f"_excl_{rule.kind}")
            if method(rule, words, span, source):
                return rule.id
        return None

    def _excl_exclude_suffix(self, rule: CueRule, words: Words, span: Span, source: str) -> bool:
        if source == "dict":
            return False
        text = self._text(words, span).strip("'’‘\"“” ")
        if text in rule.words("names"):
            return True
        if text in rule.words("keep"):
            return False
        # `K-푸드`, `K-스튜디오`: a national label, not a company
        if text.startswith(rule.word_tuple("prefixes")):
            return True
        label = rule.params.get("label_pattern")
        if label and re.match(str(label), text):   # `K뷰티`, `K방산`
            return True
        # `사우디 국부펀드 퍼블릭인베스트먼트펀드(PIF)`: a name right after a word that says
        # what kind of body it is
        first = words.index_at(span[0])
        if first is not None and first > 0 and rule.words("descriptors"):
            before = words.pieces[first - 1]
            if before.is_word and (before.stem or before.text) in rule.words("descriptors"):
                return True
        # `보안업체 레코디드퓨처`, `IoT 업체 탱그램디자인연구소`: right after a word for a kind
        # of company, a name with one of these endings is that company
        if first is not None and first > 0 \
                and text.endswith(rule.word_tuple("company_kept_suffixes")):
            before = words.pieces[first - 1]
            if before.is_word and before.particle in ("", "인") \
                    and before.stem.endswith(rule.word_tuple("company_descriptors")):
                return False
        # `한국과학기술지주`: a company ending that itself ends in a body's suffix (주)
        if text.endswith(rule.word_tuple("keep_endings")) \
                and text[:-1] not in self.lists["places"]:   # `뉴저지주` is a state
            return False
        # `한국야구위원회(KBO) 승인 … KBO 이사회`: the body's alias, wherever it appears
        if text in self._body_aliases(rule, words):
            return True
        if text.endswith(rule.word_tuple("admin_suffixes")) and self._unknown_word(words, span):
            return False   # `플레시`: a word Kiwi knows nothing of is no city (`창원시` it knows)
        return self._body_name(rule, text)

    @staticmethod
    def _unknown_word(words: Words, span: Span) -> bool:
        """The span is one word that Kiwi reads as a single unknown morpheme."""
        first = words.index_at(span[0])
        if first is None or words.index_at(span[1] - 1) != first:
            return False
        piece = words.pieces[first]
        return len(piece.morphs) == 1 and piece.oov and piece.morphs[0][1] >= piece.stem_end

    def _body_name(self, rule: CueRule, text: str, min_suffix: int = 1) -> bool:
        """A name that ends in a body's suffix (`한국야구위원회`, `스탠퍼드대`) of at least
        `min_suffix` letters."""
        if not text.endswith(rule.word_tuple("suffixes")):
            return False
        min_syl = int(rule.params.get("min_syllables", 3))
        # `수원시`, `강남구`: a place-name suffix only after a short name (`필리핀펩시` is no city)
        admin = rule.words("admin_suffixes")
        max_admin = int(rule.params.get("max_admin_syllables", 4))
        for suffix in rule.words("suffixes"):
            if len(suffix) >= min_suffix and text.endswith(suffix) and len(text) > len(suffix):
                if len(suffix) == 1 and hangul_syllables(text) < min_syl:
                    continue
                if suffix in admin and hangul_syllables(text) > max_admin:
                    continue
                return True
        return False

    def _body_aliases(self, rule: CueRule, words: Words) -> frozenset[str]:
        """Latin abbreviations written in brackets right after a body's name
        (`한국야구위원회(KBO)`), found once per text."""
        cache = words.__dict__.setdefault("_body_aliases", {})
        found = cache.get(rule.id)
        if found is None:
            names = set()
            pieces = words.pieces
            for i in range(1, len(pieces) - 2):
                before, alias, close = pieces[i - 1], pieces[i + 1], pieces[i + 2]
                if pieces[i].text == "(" and before.is_word and not before.particle \
                        and alias.latin and close.text == ")" \
                        and self._body_name(rule, before.stem or before.text, 2):
                    # (a one-letter suffix is too weak a sign: `디지털어드벤처(DA)` ends in `처`)
                    names.add(alias.text)
            found = cache[rule.id] = frozenset(names)
        return found

    def _excl_exclude_place(self, rule: CueRule, words: Words, span: Span, source: str) -> bool:
        """A place, or a word of origin made from one (`미국산`, `중동산 에너지`, `일본제`)."""
        if source == "dict":
            return False
        text = self._text(words, span).strip()
        if text in self.lists["places"]:
            return True
        # `퀘벡주 베캉쿠르에`, `광둥성 선전`: a name right after a state or province is a city
        k = words.index_at(span[0])
        region_endings = tuple(rule.params.get("region_endings") or ())
        if k is not None and k > 0 and region_endings and words.pieces[k].space_before:
            prev = words.pieces[k - 1]
            if prev.is_word and not prev.particle and prev.stem.endswith(region_endings) \
                    and hangul_syllables(prev.stem) >= 3 and not self.person_shaped(prev):
                return True
        first = text.split()[0]
        origin = tuple(rule.params.get("origin_endings") or ())
        return bool(origin) and first.endswith(origin) \
            and first[:-1] in self.lists["places"]

    def _excl_exclude_person(self, rule: CueRule, words: Words, span: Span, source: str) -> bool:
        if source == "alias":
            return False
        pieces = words.pieces
        first, last = words.index_at(span[0]), words.index_at(span[1] - 1)
        if first is None or last is None:
            return False
        titles = self.lists["person_titles"]
        head = pieces[first]
        nxt = self._after_unit(words, last)
        # (not `이지웰의 창업자`: the title of someone of the name's company)
        if source != "dict" and first == last and self.person_shaped(head) \
                and head.particle != "의" and (
                nxt is not None and (nxt.stem in titles or head.particle == "" and nxt.text
                                     == "씨")) and not self._named_before(words, first):
            return True
        if source == "dict":
            return False
        # a name right after a title: `CEO 샘 올트먼`, `최고경영자(CEO) 샘 올트먼`
        prev = pieces[first - 1] if first > 0 else None
        if (prev is not None and prev.is_word and not prev.particle and prev.proper
                and prev.stem not in titles and first > 1):
            prev = pieces[first - 2]
        if prev is not None and prev.text == ")":
            k = first - 2
            while k > 0 and pieces[k].text != "(":
                k -= 1
            prev = pieces[k - 1] if k > 0 else None
        if prev is not None and prev.is_word and not prev.particle and prev.stem in titles:
            return True
        # a name, then an organisation word, then a title: `앤드류 응(Andrew Ng) 스탠퍼드대 교수`
        if nxt is not None and nxt.is_word and not nxt.particle:
            k = nxt.index
            after = pieces[k + 1] if k + 1 < len(pieces) else None
            if after is not None and after.is_word and after.stem in titles and (
                    nxt.proper or nxt.latin) and self._paren_follows(words, last):
                return True
        return False

    def _named_before(self, words: Words, first: int) -> bool:
        """A person's full name right before the word (`김동환 백패커 대표`): the word
        between the name and the title is the company, however it is shaped."""
        prev = words.pieces[first - 1] if first > 0 else None
        return prev is not None and not prev.particle and words.pieces[first].space_before \
            and self.person_shaped(prev) and len(prev.stem) >= 3

    def _unit_tail(self, words: Words, last: int) -> tuple[str, int]:
        """The particle after a name ending at piece `last` (past a glued `(…)` and quotes)."""
        pieces = words.pieces
        if pieces[last].particle:
            return pieces[last].particle, last
        k = last + 1
        if k < len(pieces) and pieces[k].text == "(" and not pieces[k].space_before:
            while k < len(pieces) and pieces[k].text != ")":
                k += 1
            k += 1
        while k < len(pieces) and pieces[k].text in CLOSE_QUOTES and not pieces[k].space_before:
            k += 1
        if k < len(pieces) and pieces[k].is_word and not pieces[k].space_before and not \
                pieces[k].stem:
            return pieces[k].text, k
        return "", k - 1  # (`‘뤼튼’ 운영사`: what follows comes after the closing quote)

    def _paren_follows(self, words: Words, last: int) -> bool:
        pieces = words.pieces
        return last + 1 < len(pieces) and pieces[last + 1].text == "("

    def _after_unit(self, words: Words, last: int) -> Piece | None:
        """The next word after piece `last`, skipping a glued parenthesis."""
        pieces = words.pieces
        k = last + 1
        if k < len(pieces) and pieces[k].text == "(" and not pieces[k].space_before:
            while k < len(pieces) and pieces[k].text != ")":
                k += 1
            k += 1
        while k < len(pieces) and pieces[k].text in CLOSE_QUOTES:
            k += 1
        if k < len(pieces) and pieces[k].is_word and pieces[k].space_before:
            return pieces[k]
        return None

    def _excl_exclude_event(self, rule: CueRule, words: Words, span: Span, source: str) -> bool:
        if source == "alias":
            return False
        heads = self.lists["event_heads"]
        text = words.text
        pieces = words.pieces
        name = self._text(words, span)
        endings = rule.word_tuple("name_endings")
        if source != "dict" and endings and name.endswith(endings):
            return True
        last = words.index_at(span[1] - 1)
        if last is None or pieces[last].particle:
            return False
        k = last + 1
        if k < len(pieces) and pieces[k].text == "(" and not pieces[k].space_before:
            while k < len(pieces) and pieces[k].text != ")":
                k += 1
            k += 1
        if k < len(pieces) and pieces[k].space_before and _YEAR_RE.match(text, pieces[k].start):
            return True
        if self._in_event_quote(words, first_index=words.index_at(span[0]), last=last):
            return True
        if span[1] != pieces[last].end:
            return False
        # `SK AI 서밋`: name words (no particle) up to an event word
        reader = self.reader(words)
        for q in pieces[k:k + 4]:
            if not q.is_word or not q.space_before or q.sent != pieces[last].sent:
                break
            if q.stem in heads:
                return True
            if q.particle or not (reader.namey(q) or q.latin):
                break
        return False

    def _in_event_quote(self, words: Words, first_index: int | None, last: int) -> bool:
        """Inside a short quoted title that ends with an event word (`‘2025 JP모건 … 콘퍼런스’`)."""
        if first_index is None:
            return False
        pieces = words.pieces
        heads = self.lists["event_heads"]
        reader = self.reader(words)
        k = first_index - 1
        while k >= 0 and first_index - k < 6 and pieces[k].text not in OPEN_QUOTES:
            if pieces[k].sent != pieces[last].sent or pieces[k].particle:
                return False
            k -= 1
        if k < 0 or pieces[k].text not in OPEN_QUOTES:
            return False
        close = reader._close_quote(k)
        if close is None or close <= last:
            return False
        inner = [q for q in pieces[k + 1:close] if q.is_word]
        return bool(inner) and len(inner) <= 8 and any(
            inner[-1].stem.endswith(h) for h in heads)

    def _excl_exclude_product(self, rule: CueRule, words: Words, span: Span, source: str) -> bool:
        heads = self.lists["product_heads"]
        facilities = rule.words("facility_words")
        pieces = words.pieces
        first, last = words.index_at(span[0]), words.index_at(span[1] - 1)
        if first is None or last is None:
            return False
        name = self._text(words, span)
        if _MODEL_RE.match(name) and not name.endswith(self.suffix_tuple) and source != "dict":
            # `GPT-4o`, `Phi 3.5`; not `H2에너지`, which ends like a company, nor a company
            # the dictionary lists by such a name (`L3해리스`, `G42`)
            return True
        if _AGENCY_AFTER.match(words.text, span[1]):
            return True  # `방탄소년단(BTS)의 소속사`: a band, the artist of an agency
        if source == "alias":
            return False
        # a name of several words whose last word is a product word is the product itself
        # (`‘AI 데이터센터 통합 솔루션’`, `‘공동 투자 프로그램’`)
        if source != "dict" and len(name.split()) > 1 and name.split()[-1].strip("'’”\"") in heads:
            return True
        if self._in_product_list(rule, words, last) or self._names_a_product(rule, words, last):
            return True
        # a product or facility word right before the name (or before its opening quote)
        k = first - 1
        while k >= 0 and pieces[k].text in OPEN_QUOTES:
            k -= 1
        before = pieces[k] if k >= 0 else None
        # (not a name that ends like a company: `웹소설 플랫폼 래디쉬미디어(Radish Media)`)
        if (before is not None and before.is_word and before.particle in ("", "인")
                and (before.stem in facilities or source != "dict" and before.stem in heads)
                and (source == "cue" or self._more_name_words(words, last))
                and not (before.stem in heads and name.endswith(self.suffix_tuple))
                and not self._stake_follows(rule, words, span[1])
                and not (before.stem in self.framed_heads()
                         and self.deal_told_of(words, last))
                and not (before.stem in facilities and self._partner_told(words, last))):
            # (a deal told of it, `웹소설 플랫폼 왓패드를 6억달러에 사들이기로`, makes the name
            # the company that runs the product)
            return True
        if source in ("dict", "repeat"):
            return self._inside_longer_name(rule, words, span, first, last)
        # a product word or a version number right after it
        nxt = self._after_unit(words, last)
        if (nxt is not None and not pieces[last].particle and nxt.sent == pieces[last].sent
                and (nxt.stem in heads or re.match(r"\d+(\.\d+)?$", nxt.stem))):
            return True
        # used as a tool: `X를 활용`
        part, tail = self._unit_tail(words, last)
        if part in ("을", "를"):
            verbs = rule.word_tuple("before_verbs")
            ahead = [q for q in pieces[tail + 1:tail + 4] if q.is_word]
            # (`X를 매물로 내놓을`: put up for sale, not launched)
            if any(q.text.startswith(verbs) for q in ahead[:2]) \
                    and not ahead[0].text.startswith(rule.word_tuple("sale_words")):
                return True
        return self._inside_longer_name(rule, words, span, first, last)

    def _partner_told(self, words: Words, last: int) -> bool:
        """`국영 조선소 시마(SIMA)와 … MOU를 맺었다`: a facility is no party, so a name after
        a facility word that a deal joins with `와/과` is the company that runs it."""
        particle, tail = self._unit_tail(words, last)
        return particle in ("와", "과") and self._framed(words, tail, particle)

    @staticmethod
    def _stake_follows(rule: CueRule, words: Words, end: int) -> bool:
        """`웹소설 플랫폼 왓패드(Wattpad) 지분 100%`: shares of it are bought, so the name
        after a product word is the company that runs the product."""
        rest = words.text[end:end + 60]
        if rest.startswith("("):
            close = rest.find(")")
            rest = rest[close + 1:] if close > 0 else rest
        return rest.lstrip().startswith(rule.word_tuple("stake_words"))

    def _names_a_product(self, rule: CueRule, words: Words, last: int) -> bool:
        """`업비트 운영사 두나무`, `요기요를 운영하는`, `롯데 브랜드`: the name of a product."""
        part, tail = self._unit_tail(words, last)
        nxt = words.pieces[tail + 1] if tail + 1 < len(words.pieces) else None
        if nxt is None or not nxt.is_word or not nxt.space_before:
            return False
        if not part and nxt.stem in rule.words("owner_words"):
            return True
        return part in ("을", "를") and nxt.text.startswith(rule.word_tuple("operate_verbs"))

    def _more_name_words(self, words: Words, last: int) -> bool:
        """The name goes on with another proper word (`현대차그룹 메타플랜트 아메리카`)."""
        pieces = words.pieces
        nxt = pieces[last + 1] if last + 1 < len(pieces) else None
        return (nxt is not None and nxt.is_word and nxt.space_before and not pieces[last].particle
                and (nxt.proper or nxt.latin) and not self.person_shaped(nxt))

    def _in_product_list(self, rule: CueRule, words: Words, last: int) -> bool:
        """`G마켓과 옥션, G9 등 오픈마켓`: a list closed by `등` and a product word."""
        pieces = words.pieces
        list_heads = rule.words("list_heads")
        if pieces[last].particle not in ("", "와", "과"):
            return False
        k = last
        for _ in range(12):
            k += 1
            if k >= len(pieces) or pieces[k].sent != pieces[last].sent:
                return False
            q = pieces[k]
            if q.is_word and q.stem == "등":
                # (`등 오픈마켓`, not `CATL 등에 제품을 대고`: there the list is who buys)
                nxt = pieces[k + 1] if k + 1 < len(pieces) else None
                return not q.particle and nxt is not None and nxt.is_word \
                    and nxt.stem in list_heads
            if q.is_word and q.particle not in ("", "와", "과") and q.stem:
                return False
            if q.is_word and not q.stem and q.text not in ("와", "과"):
                return False
        return False

    def _inside_longer_name(self, rule: CueRule, words: Words, span: Span, first: int,
                            last: int) -> bool:
        """A company name that only starts a longer quoted or Latin name (`아마존 베드록`)."""
        pieces = words.pieces
        head = pieces[last]
        if head.particle or span[1] != head.end:
            return False
        # `‘아마존 베드록(Amazon Bedrock)’`: inside short quotes that hold more words
        k = first - 1
        if k >= 0 and pieces[k].text in OPEN_QUOTES and not pieces[first].space_before:
            nxt = pieces[last + 1] if last + 1 < len(pieces) else None
            if nxt is not None and nxt.is_word and nxt.space_before:
                close = self.reader(words)._close_quote(k)
                inner = [q for q in pieces[first:close or first] if q.is_word]
                # (not a name before common words only: `‘엔비디아 세금’`, `‘애플 의존도’`,
                # `‘테슬라 10만대’`; a bracketed gloss still makes it a product)
                tail = pieces[last + 1:close] if close is not None else []
                rest = [q for q in tail if q.is_word]
                plain = bool(rest) and not any(q.text == "(" for q in tail) and (
                    len(rest) <= 3 and rest[-1].stem in rule.words("quote_news_words")
                    # (`‘닛산 의존 80%’`, `‘BBQ 2대 주주’`: a quantity; `‘휴젤 인수 검토 안
                    # 해’`: a verb; a headline's words, no name)
                    or any(q.text in ("%", "％") for q in tail)
                    or any(_QUANTITY_WORD.match(q.text) or any(
                        t.startswith(("VV", "VA", "VX")) for t in q.tags) for q in rest))
                if close is not None and len(inner) <= 6 and not plain and not any(
                        q.particle for q in inner if not q.latin):
                    return True
        # `Amazon Bedrock`: a Latin name followed by another capitalized word
        nxt = pieces[last + 1] if last + 1 < len(pieces) else None
        # (not a title: `샘 올트먼 OpenAI CEO`)
        return (nxt is not None and nxt.is_word and nxt.space_before and has_latin(head.stem)
                and not has_hangul(head.stem) and _capitalized(nxt.stem)
                and nxt.stem.rstrip(".") not in self.continuation
                and nxt.stem not in self.lists["person_titles"])


# `[서울=한빛경제]`, `(서울=누리1)`, `[질롱(호주)=디펜스투데이 이도윤 기자]`
_DATELINE = re.compile(r"(?:^|\n)\s*[\[(]([가-힣]{1,6})(?:\([가-힣]{1,6}\))?\s*=\s*"
                       r"([^\]\)\n=]{2,30})[\])]")
_BYLINE = re.compile(r"(?:^|\n)\s*[\[(]\s*([0-9A-Za-z가-힣&]{2,12})\s+([가-힣]{2,4})\s+"
                     r"([가-힣]{2,5})\s*[\])]")
_DESK_BYLINE = re.compile(r"(?:^|\n)\s*[\[(]\s*([0-9A-Za-z가-힣&]{2,12})\s+"
                          r"(?:[가-힣A-Z]{1,4}(?:부|팀)|[가-힣]{2,4} 기자단)\s*[\])]")
_DATE_WORD = re.compile(r"\d\s*(?:년|월|일|시)")
# a band named before its agency (`그룹 방탄소년단(BTS)의 소속사`)
_AGENCY_AFTER = re.compile(r"(?:\([^)]{1,20}\))?\)?(?:의|이|가)?\s*(?:소속사|멤버|팬덤)")
# a Latin abbreviation with Hangul written onto it (`PC방`, `TV조선`)
_GENERIC_GLUED = re.compile(r"([A-Za-z0-9]+)([가-힣]+)$")
# a name that ends in a quantity (`리튬정광 20만t`, `VLCC 2척`)
_QUANTITY_END = re.compile(r"\s\d[\d,.]*\s*[만억천]?\s*(?:t|톤|kg|g|GWh|MWh|GW|MW|kW|척|대|기|"
                           r"개|명|건|배럴|ℓ|리터|㎡|평)$")
# a number with a Hangul unit (`2대`, `1조원대`), not a model (`S24`)
_QUANTITY_WORD = re.compile(r"\d[\d,.]*[가-힣]")
# a count that closes a list of companies: `세 곳의`, `3개사와`, `네 곳이`
_COUNT_AFTER = re.compile(r"(?:[한두세네다섯여일곱덟아홉열]|\d+)\s*(?:곳|개사|개 회사|개 기업)")


def _abbreviates(short: str, name: str) -> bool:
    """`알리뮤직` for `알리바바 뮤직그룹`, `삼바` for `삼성바이오로직스`: the short name's
    syllables in order within the name, the first one the name's first."""
    hangul = [c for c in name if "가" <= c <= "힣"]
    if not hangul or short[0] != hangul[0]:
        return False
    rest = iter(hangul[1:])
    return all(c in rest for c in short[1:])


def _capitalized(word: str) -> bool:
    return bool(word) and word[0].isascii() and word[0].isupper()


# ---------------------------------------------------------------------- loading
def parse_rules(items: list[dict], settings: dict[str, Any]) -> tuple[CueSet, list[RuleProblem]]:
    """Check and convert the raw rule entries; collects every problem."""
    problems: list[RuleProblem] = []
    raw_lists = settings.get("lists") or {}
    lists: dict[str, set[str]] = {}
    for name in LIST_NAMES:
        values = raw_lists.get(name) if isinstance(raw_lists, dict) else None
        if not isinstance(values, list):
            problems.append(RuleProblem(FILENAME, None, f"lists.{name} missing or not a list"))
            values = []
        lists[name] = {str(v) for v in values}
    rules: list[CueRule] = []
    for item in items:
        rid, kind = item["id"], item.get("kind")
        file, line = item.get("_file", FILENAME), item.get("_line")
        if kind not in CUE_KINDS and kind not in EXCLUSION_KINDS and kind not in LINK_KINDS:
            problems.append(RuleProblem(file, rid, f"unknown kind {kind!r}", line))
            continue
        if not item.get("description"):
            problems.append(RuleProblem(file, rid, "rule needs a description", line))
        examples = item.get("examples") or []
        negatives = item.get("negatives") or []
        if not examples or not negatives:
            problems.append(RuleProblem(file, rid, "rule needs examples and negatives", line))
        for ex in [*examples, *negatives]:
            if not isinstance(ex, dict) or not isinstance(ex.get("text"), str) or not isinstance(
                    ex.get("expect"), list):
                problems.append(RuleProblem(file, rid, "example needs `text` and `expect`", line))
            elif kind in LINK_KINDS and not all(isinstance(g, list) for g in ex["expect"]):
                problems.append(RuleProblem(
                    file, rid, "a linking example's `expect` lists entities, each a list of "
                    "surfaces: [[마이크로소프트, MS], [KT]]", line))
        params = {k: v for k, v in item.items() if k not in _RULE_KEYS}
        rules.append(CueRule(rid, kind, item.get("description", ""), params,
                             [e for e in examples if isinstance(e, dict)],
                             [e for e in negatives if isinstance(e, dict)], file, line))
    return CueSet(rules, lists), problems


def load_cues(dirs: list[Path]) -> tuple[CueSet, list[RuleProblem]]:
    items, settings, problems = load_layers(dirs, FILENAME, "rules", "id")
    cues, found = parse_rules(items, settings)
    return cues, problems + found
