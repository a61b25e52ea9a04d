"""The Doc as deal assembly sees it: sentences of Kiwi morphemes with their mentions.

Each `Sentence` carries its morphemes (`Unit`s, with the character span of the
token they came from), the encoded string that morpheme patterns run on, and
its mentions. Company mentions are gathered into `Group`s — one participant
slot, which may list several companies (`도이치텔레콤, 이앤(e&)그룹 … 등과`) or
one company written twice (`마이크로소프트(MS)`) — and each group gets the role
its particle gives it (see `role` rules in `rules/deals.yaml`).

A headline line (a line without a sentence-final ending) is one sentence even
when Kiwi splits it at `…`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.tokens import Doc

from pipeline import mentions as mention_store
from pipeline.deal_pattern import encode_units, normalize_tag, unit_form
from pipeline.tokenizer import get_kiwi

PREDICATE_TAGS = frozenset({"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA"})
NOUN_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "SL", "SH", "SN", "XSN", "XPN", "MM"})
LIST_SEPARATORS = frozenset({",", "·", "/", "、", "&", "및", "와", "과", "하고", "랑", "이랑"})
MAX_DESCRIPTOR_NOUNS = 6
# A deal is stated within a clause or two; a longer run of morphemes with no sentence end
# (a 1 MB line of names) is cut into pieces so that per-trigger work stays bounded.
MAX_SENTENCE_UNITS = 300
CLAUSE_CUT_TAGS = frozenset({"SP", "EC", "SF", "SE"})
# `마이크로소프트(MS)`, `우리파이낸셜(현 KB캐피탈)`: a name and its alias or other name
ALIAS_GAP = re.compile(r"\s*['’\"”]?\s*\(\s*(?:(?:옛|구|舊|현|現|당시|前|전)\s+)?['‘\"“]?\s*")


@dataclass(frozen=True)
class Unit:
    """One Kiwi morpheme; `start`/`end` are the character span of its token."""

    form: str
    tag: str
    start: int
    end: int


@dataclass
class Mention:
    """A mention inside a sentence, with the units it covers (`first` … `stop`-1)."""

    label: str
    start: int
    end: int
    first: int
    stop: int
    entity: str = ""
    value: Any = None


@dataclass
class Group:
    """One participant slot: companies joined by list separators or aliases, and its role."""

    mentions: list[Mention]
    first: int
    stop: int          # first unit after the group and what is skipped after it
    role: str = "NONE"
    role_rule: str | None = None

    @property
    def entities(self) -> list[str]:
        return list(dict.fromkeys(m.entity for m in self.mentions if m.entity))


@dataclass
class Sentence:
    """A sentence (or a whole headline line) ready for pattern matching."""

    index: int
    start: int
    end: int
    line: int
    headline: bool
    units: list[Unit]
    text: str = ""
    code: str = ""
    offsets: list[int] = field(default_factory=list)
    companies: list[Mention] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)
    moneys: list[Mention] = field(default_factory=list)
    durations: list[Mention] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    forms: frozenset[str] = frozenset()
    lead: bool = False   # the text's first body sentence (the news lead)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Encode the units again (after `repair_particles` changed them)."""
        self.code, self.offsets = encode_units([(u.form, u.tag) for u in self.units])
        self.forms = frozenset(unit_form(u.form) for u in self.units)
        self._starts = [u.start for u in self.units]
        self._ends = [u.end for u in self.units]
        self._tags = [normalize_tag(u.tag) for u in self.units]

    def unit_of_offset(self, code_pos: int) -> int:
        """The unit index at an offset of the encoded string."""
        return bisect.bisect_right(self.offsets, code_pos) - 1

    def first_unit_at_or_after(self, char: int) -> int:
        return bisect.bisect_left(self._starts, char)

    def first_unit_ending_after(self, char: int) -> int:
        return bisect.bisect_right(self._ends, char)

    def text_between(self, start: int, end: int) -> str:
        """Text between two document offsets inside this sentence."""
        return self.text[max(start, self.start) - self.start:max(end, self.start) - self.start]

    def tag(self, i: int) -> str:
        return self._tags[i] if 0 <= i < len(self._tags) else ""

    def date_units(self) -> frozenset[int]:
        """The units inside the sentence's DATE mentions (`지난 6월`)."""
        return frozenset(i for d in self.dates for i in range(d.first, d.stop))

    def form(self, i: int) -> str:
        return self.units[i].form if 0 <= i < len(self.units) else ""


def _line_starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]


def _token_table(doc: Doc) -> tuple[list[int], list[int], list[int], list[Any]]:
    """Offsets, lengths, space flags and morphemes of every token, read once per Doc."""
    table = doc.to_array([IDX, LENGTH, IS_SPACE]).tolist() if len(doc) else []
    morphs = doc.user_data.get("kdeal_morphs")
    if morphs is None or len(morphs) != len(doc):
        morphs = [token._.morphs for token in doc]
    return [r[0] for r in table], [r[1] for r in table], [r[2] for r in table], morphs


def _units_of(first: int, stop: int,
              table: tuple[list[int], list[int], list[int], list[Any]]) -> list[Unit]:
    starts, lengths, spaces, morphs = table
    units: list[Unit] = []
    for i in range(first, stop):
        if spaces[i]:
            continue
        start = starts[i]
        end = start + lengths[i]
        for form, tag in morphs[i]:
            if tag == "MM" and units and units[-1].tag == "MM" and units[-1].form == form \
                    and units[-1].end == start and len(form) == 1:
                # `각각` read as two determiners (각/MM 각/MM) is the adverb `각각`
                units[-1] = Unit(form * 2, "MAG", units[-1].start, end)
                continue
            if form == "ᆯ" and tag == "JKO" and units and units[-1].form == "르" \
                    and units[-1].tag == "NNG" and units[-1].start == start:
                # `49%를` read as a noun and a particle (르/NNG ᆯ/JKO) is the particle `를`
                units[-1] = Unit("를", "JKO", start, end)
                continue
            units.append(Unit(form, tag, start, end))
    return units


def _raw_sentences(doc: Doc) -> list[tuple[int, int, list[Unit]]]:
    """(start, end, units) per Kiwi sentence, with surrounding whitespace trimmed."""
    out = []
    table = _token_table(doc)
    for sent in doc.sents:
        units = _units_of(sent.start, sent.end, table)
        if not units:
            continue
        text = sent.text
        start = sent.start_char + (len(text) - len(text.lstrip()))
        end = sent.start_char + len(text.rstrip())
        out.append((start, end, units))
    return out


def _glue_split_words(text: str, raws: list[tuple[int, int, list[Unit]]],
                      ) -> list[tuple[int, int, list[Unit]]]:
    """Join Kiwi sentences split inside a word (`…시여|광네트워크와 …`)."""
    out: list[tuple[int, int, list[Unit]]] = []
    for raw in raws:
        if out and raw[0] == out[-1][1] and text[raw[0] - 1].isalnum() \
                and text[raw[0]].isalnum():
            start, _, units = out[-1]
            out[-1] = (start, raw[1], units + raw[2])
        else:
            out.append(raw)
    return out


def join_compounds(units: list[Unit], compounds: frozenset[str]) -> list[Unit]:
    """`인수`+`전` → `인수전`: a noun Kiwi knows whole, cut in two inside one word
    (`당시 인수전에는`), is one unit again, so a rule naming it matches however Kiwi read it;
    so is a noun whose first syllable Kiwi read as a determiner (`본`+`계약` → `본계약`).
    Only nouns of `compounds` are joined, and only pieces written with no space between."""
    if not compounds or len(units) < 2:
        return units
    out: list[Unit] = []
    i = 0
    n = len(units)
    while i < n:
        unit = units[i]
        if unit.tag not in ("NNG", "MM") or i + 1 >= n or units[i + 1].tag != "NNG" \
                or unit.end != units[i + 1].start:
            out.append(unit)   # (most units: no noun pair starts here)
            i += 1
            continue
        joined = None
        for size in (3, 2):
            run = units[i:i + size]
            if len(run) == size and all(u.tag == "NNG" for u in run[1:]) \
                    and (run[0].tag == "NNG" or size == 2) \
                    and all(run[k].end == run[k + 1].start for k in range(size - 1)):
                form = "".join(u.form for u in run)
                if form in compounds:
                    joined = Unit(form, "NNG", run[0].start, run[-1].end), size
                    break
        if joined is None:
            out.append(units[i])
            i += 1
        else:
            out.append(joined[0])
            i += joined[1]
    return out


def split_sentences(doc: Doc, compounds: frozenset[str] = frozenset()) -> list[Sentence]:
    """Sentences of the doc in order; a headline line becomes one sentence. Nouns of
    `compounds` that Kiwi cut in two are joined (`join_compounds`)."""
    line_starts = _line_starts(doc.text)
    by_line: dict[int, list[tuple[int, int, list[Unit]]]] = {}
    for raw in _raw_sentences(doc):
        if compounds:
            raw = (raw[0], raw[1], join_compounds(raw[2], compounds))
        line = bisect.bisect_right(line_starts, raw[0]) - 1
        by_line.setdefault(line, []).append(raw)
    sentences: list[Sentence] = []
    for order, line in enumerate(sorted(by_line)):
        raws = _glue_split_words(doc.text, by_line[line])
        cut = _bullet_title_end(doc.text, raws[0][0])
        if cut is not None:
            # `▲레고켐바이오, 얀센에 기술이전=레고켐바이오사이언스는 …`: the bullet's title is
            # a headline of its own, the text after `=` a sentence
            head_units = [u for _, _, us in raws for u in us if u.end <= cut]
            rest = [(max(st, kept[0].start), en, kept) for st, en, us in raws
                    if (kept := [u for u in us if u.start > cut])]
            if head_units and rest:
                sentences.append(Sentence(len(sentences), raws[0][0], cut, line, True,
                                          head_units, doc.text[raws[0][0]:cut]))
                raws = rest
        line_text = doc.text[raws[0][0]:raws[-1][1]].rstrip()
        # a title is a headline even when it ends like a sentence (`한화오션, 필리조선소
        # 품었다`): the first line, short and with no full stop
        title = (order == 0 and len(sorted(by_line)) > 1 and len(line_text) <= 80
                 and not line_text.endswith((".", "!", "?", "。")))
        # a line with no final ending is a headline, unless it ends with a full stop as the
        # noun-ending sentences of digests and briefs do (`▲A = B와 공급계약. 계약 기간 2년.`)
        headline = title or (not any(normalize_tag(u.tag) == "EF"
                                     for _, _, units in raws for u in units)
                             and not line_text.endswith("."))
        if headline:
            units = [u for _, _, us in raws for u in us]
            raws = [(raws[0][0], raws[-1][1], units)]
        for start, end, units in raws:
            for first, last in _pieces(units):
                piece_start = start if first == 0 else units[first].start
                piece_end = end if last == len(units) else units[last - 1].end
                sentences.append(Sentence(len(sentences), piece_start, piece_end, line,
                                          headline, units[first:last],
                                          doc.text[piece_start:piece_end]))
    lead = next((sent for sent in sentences if not sent.headline), None)
    if lead is not None:
        lead.lead = True
    return sentences


BULLETS = ("▲", "■", "◆", "●", "□", "◇")


def _bullet_title_end(text: str, start: int, limit: int = 80) -> int | None:
    """Where the title of a bulleted item ends (`▲카카오, SM 지분 확보=카카오는 …`): the `=`
    within `limit` characters of a line that starts with a bullet, after a title of several
    words."""
    if not text.startswith(BULLETS, start):
        return None
    eq = text.find("=", start, start + limit)
    newline = text.find("\n", start, start + limit)
    if eq <= start + 1 or (0 <= newline < eq):
        return None
    # a bare label (`▲1월=`, `▲반도체=`) opens the paragraph it names: no title of its own
    return eq if " " in text[start:eq].strip() else None


def _pieces(units: list[Unit], limit: int = MAX_SENTENCE_UNITS) -> list[tuple[int, int]]:
    """(first, stop) unit ranges of at most `limit` units, cut between tokens.

    A cut goes after the last comma or connective ending in the second half of
    the range when there is one, so clauses stay whole.
    """
    out: list[tuple[int, int]] = []
    first, n = 0, len(units)
    while n - first > limit:
        boundaries = [i for i in range(first + limit // 2, first + limit)
                      if units[i].end <= units[i + 1].start]
        if not boundaries:  # one token longer than half the limit: cut after it
            i = first + limit
            while i < n - 1 and units[i].end > units[i + 1].start:
                i += 1
            boundaries = [i]
        clause_ends = [i for i in boundaries if normalize_tag(units[i].tag) in CLAUSE_CUT_TAGS]
        cut = (clause_ends or boundaries)[-1] + 1
        out.append((first, cut))
        first = cut
    out.append((first, n))
    return out


TAIL = re.compile(r"[가-힣]{1,8}")


@lru_cache(maxsize=4096)
def _tail_reading(tail: str) -> tuple[tuple[str, str], ...]:
    """Kiwi's reading of the particles glued to a name, analysed after a plain noun.

    The noun ends in a consonant or a vowel as the particle wants (`기업은`, `회사는`).
    Cached: the same few particles follow most names.
    """
    host = "기업" if tail[0] in "은이을과으" else "회사"
    return tuple((t.form, t.tag) for t in get_kiwi().tokenize(host + tail)
                 if t.start >= len(host))


def _tail_units(start: int, tail: str) -> list[Unit]:
    end = start + len(tail)
    return [Unit(form, tag, start, end) for form, tag in _tail_reading(tail)]


def repair_particles(sent: Sentence, spans: list[tuple[int, int]]) -> None:
    """Re-read the particles after company names.

    Kiwi often misreads a particle glued to a name it does not know
    (`엔비디아와` as one noun, `CJ대한통운과` as 오/VV+어/EC, `SK㈜는` as 늘/VV+ᆫ/ETM);
    the particle decides the company's role, so it is analysed again after a
    plain noun (`회사와`). One pass over the units for all names, so a long
    sentence with many names costs time in proportion to its length.
    """
    regions: list[tuple[int, int, str]] = []   # (name end, tail end, tail)
    for _start, end in sorted(set(spans)):
        tail_match = TAIL.match(sent.text, end - sent.start)
        if tail_match is None or (regions and end < regions[-1][1]):
            continue
        regions.append((end, end + len(tail_match.group()), tail_match.group()))
    if not regions:
        return
    tail_ends = [r[1] for r in regions]
    units: list[Unit] = []
    current = -1          # the region whose name/tail units are being replaced
    names: set[tuple[int, str]] = set()
    for unit in sent.units:
        k = bisect.bisect_right(tail_ends, unit.start)
        inside = k < len(regions) and unit.end > regions[k][0]
        if current >= 0 and (not inside or k != current):
            units.extend(_tail_units(regions[current][0], regions[current][2]))
            current = -1
        if not inside:
            units.append(unit)
            continue
        if current != k:
            current, names = k, set()
        end = regions[k][0]
        if unit.start < end:  # a token running from the name into its particle
            form = sent.text[unit.start - sent.start:end - sent.start]
            if (unit.start, form) not in names:
                names.add((unit.start, form))
                units.append(Unit(form, "NNP", unit.start, end))
    if current >= 0:
        units.extend(_tail_units(regions[current][0], regions[current][2]))
    sent.units = units
    sent.reindex()


def attach_mentions(doc: Doc, sentences: list[Sentence]) -> None:
    """Put every mention of the doc into the sentence that holds its start."""
    starts = [s.start for s in sentences]
    found: dict[int, list[tuple[str, int, int, str, Any]]] = {}
    for span in mention_store.mention_spans(doc):
        start, end = mention_store.offsets(span)
        k = bisect.bisect_right(starts, start) - 1
        if k < 0 or start >= sentences[k].end:
            continue
        found.setdefault(k, []).append((span.label_, start, end, span.kb_id_ or "",
                                        span._.value))
    for k, items in found.items():
        sent = sentences[k]
        repair_particles(sent, [(s, e) for label, s, e, _, _ in items if label == "COMPANY"])
        for label, start, end, entity, value in items:
            first = sent.first_unit_ending_after(start)
            stop = max(sent.first_unit_at_or_after(end), first + 1)
            mention = Mention(label, start, end, first, stop, entity, value)
            target = {"COMPANY": sent.companies, "DATE": sent.dates, "MONEY": sent.moneys,
                      "DURATION": sent.durations}.get(label)
            if target is not None:
                target.append(mention)


@dataclass(frozen=True)
class GroupWords:
    """Word lists (deals.yaml `words`) that decide how company mentions join into groups."""

    titles: frozenset[str] = frozenset()        # `삼성전자 회장, …`: a title inside a list
    affiliates: frozenset[str] = frozenset()    # `KKR과 자회사 B`: the topic's affiliate
    contracts: frozenset[str] = frozenset()     # contract nouns (a counterparty signs them)
    stakes: frozenset[str] = frozenset()        # stake nouns (`B 지분`)
    kind_endings: tuple[str, ...] = ()          # `글로벌 바이아웃 펀드와`: a kind of company
    relation_nouns: tuple[str, ...] = ()        # `자회사 B`: a relation, not a kind
    list_kinds: frozenset[str] = frozenset()    # `A, B 등 PEF들이`: short kinds after `등`
    unit_nouns: frozenset[str] = frozenset()    # `삼성전자 파운드리사업부, …`: a company's unit
    joint_ventures: tuple[str, ...] = ()        # `B와 합작사 C를`: what B sets up, no list item


ETC = frozenset({"등", "등등"})   # `A, B 등`: the word that closes a list


# the particles of a party that acts (gives, signs, joins), after a company's unit
_UNIT_AGENT_PARTICLES = frozenset({"로부터", "으로부터", "에서", "와", "과", "이", "가", "은", "는",
                                   "도"})
_UNIT_KINDS = ("사업부", "부문", "본부")


def _unit_after_name(sent: Sentence, i: int, words: GroupWords) -> int | None:
    """`B 커머스부문으로부터`, `B 반도체사업부와`: up to two nouns right after a name, the last
    a unit of a company (`unit_noun` ending in 사업부, 부문 or 본부), then the particle of
    a party that acts: where that particle is; else None. (`B 사업부를 인수` is the unit
    bought, and stays as it is.)"""
    if not words.unit_nouns:
        return None
    for k in range(i, min(i + 2, len(sent.units))):
        if normalize_tag(sent.tag(k)) not in NOUN_TAGS or sent.tag(k) == "NNP":
            return None
        form = sent.form(k)
        if form.endswith(_UNIT_KINDS) and any(form.endswith(u) for u in words.unit_nouns):
            nxt = k + 1
            if nxt < len(sent.units) and sent.form(nxt) == "(":   # `부문(CJ온스타일)으로부터`
                nxt = next((j + 1 for j in range(nxt + 1, min(nxt + 12, len(sent.units)))
                            if sent.form(j) == ")"), len(sent.units))
            if nxt < len(sent.units) and sent.tag(nxt).startswith("J") \
                    and sent.form(nxt) in _UNIT_AGENT_PARTICLES:
                return nxt
            return None
    return None


def _skip_after(sent: Sentence, i: int, words: GroupWords) -> int:
    """Skip closing quotes, a parenthesis right after a name, and `등` or `를 비롯한` with
    the kind of company that follows them, before the particle."""
    n = len(sent.units)
    while i < n:
        tag, form = sent.tag(i), sent.form(i)
        if tag == "SSC" or (tag in ("SW", "SO") and form in "'\"’”"):
            i += 1
        elif tag == "SSO" and form == "(":
            depth, j = 0, i
            while j < n and j - i < 20:
                if sent.tag(j) == "SSO" and sent.form(j) == "(":
                    depth += 1
                elif sent.tag(j) == "SSC" and sent.form(j) == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j >= n or depth:
                return i
            i = j + 1
        elif tag == "JKO" and (including := _including_length(sent.units[i:i + 4])):
            # `A를 비롯한 공급사들과`: the kind the named one leads, before its particle
            kind = _kind_after_list(sent, i + including, words)
            return kind if kind is not None else i
        elif tag in ("JKB", "JKS") and form in ("로", "으로", "이", "가") \
                and (formed := _consortium_made_of(sent, i + 1)) is not None:
            # `A와 B로 꾸려진 컨소시엄은`, `A와 B가 꾸린 컨소시엄은`: the consortium they form
            # is them, in the role its own particle gives
            return formed
        elif (unit_end := _unit_after_name(sent, i, words)) is not None:
            # `CJ ENM 커머스부문으로부터 투자받았다`: a company's unit acts for the company
            i = unit_end
        elif form in ETC and tag == "NNB":
            i += 1
            # `A, B 등 PEF들이`, `A 등 국내 운용사가`: the kind the items share, before the particle
            kind = _kind_after_list(sent, i, words)
            if kind is not None:
                return kind
        else:
            return i
    return i


# what a group of companies forms (`A와 B로 꾸려진 컨소시엄`, `이 컨소시엄은`), and the verbs
# that form it
CONSORTIUM_NOUNS = frozenset({"컨소시엄", "컨소시움", "연합", "연합체"})
FORMING_VERBS = frozenset({"꾸리", "구성", "이루", "이뤄지", "결성", "만들"})


def _consortium_made_of(sent: Sentence, i: int) -> int | None:
    """Index of the particle after `꾸려진 컨소시엄` when the units from `i` read so."""
    n = len(sent.units)
    if i >= n or sent.form(i) not in FORMING_VERBS:
        return None
    for k in range(i + 1, min(i + 5, n - 1)):
        tag = sent.tag(k)
        if tag == "ETM":
            return k + 2 if sent.form(k + 1) in CONSORTIUM_NOUNS \
                and k + 2 < n and sent.tag(k + 2).startswith("J") else None
        if tag not in ("EC", "VX", "XSV", "EP"):
            return None
    return None


def _kind_after_list(sent: Sentence, i: int, words: GroupWords) -> int | None:
    """Index of the particle after a short kind of company (`PEF들`, `국내 운용사`) at `i`,
    or after a kind the list's items are counted as (`등 미국 3대 카드 네트워크와`)."""
    last = ""
    counted = False
    for k in range(i, min(i + 6, len(sent.units))):
        tag = normalize_tag(sent.tag(k))
        if sent.tag(k).startswith("J"):
            # (a counted kind only before `와/과`: partners so counted, not `3개 노선에서`)
            return k if last and (last.endswith(words.kind_endings)
                                  or last in words.list_kinds
                                  or (counted and sent.form(k) in ("와", "과"))) \
                else None
        if tag not in NOUN_TAGS and tag not in ("XSN", "SN"):
            return None
        if tag == "SN" and k + 2 < len(sent.units) and sent.tag(k + 1) == "NNB" \
                and normalize_tag(sent.tag(k + 2)) in NOUN_TAGS:
            counted = True   # (`3대 카드사`, `2개 은행`: a count that a kind follows)
        if tag != "SN" and not (tag == "XSN" and sent.form(k) == "들"):
            last = sent.form(k)   # (a count is no kind: `등 5곳을`)
    return None


INCLUDING = frozenset({"비롯", "비롯하", "포함"})


def _including_length(gap: list[Unit]) -> int:
    """Units of `을 비롯해`/`를 포함한` at the start of a gap (they join two lists), else 0."""
    if len(gap) < 3 or gap[0].tag != "JKO" or gap[1].form not in INCLUDING:
        return 0
    k = 2
    if gap[k].form == "하" and k + 1 < len(gap):
        k += 1
    return k + 1 if normalize_tag(gap[k].tag) in ("EC", "ETM") else 0




def _list_gap(sent: Sentence, left: Mention, right: Mention, words: GroupWords) -> bool:
    """Units between two companies that make them items of one list.

    Allowed: separators (`,` `·` `및` `와/과`, `을 비롯해`), quotes, brackets, a title
    before the separator (`이재용 삼성전자 회장, 손정의 소프트뱅크그룹 회장과`),
    a few descriptor nouns after it (`, 탱크터미널 운영사 SK엔텀과`) and a short
    relative clause among them (`, 조지 소로스가 세운 소로스캐피털매니지먼트 등도`).
    """
    gap = sent.units[left.stop:right.first]
    if not gap:
        return False
    # `2014년 A, 2015년 B를 차례로`: a date before an item does not end the list
    dated = {i - left.stop for d in sent.dates for i in range(d.first, d.stop)
             if left.stop <= d.first and d.stop <= right.first}
    seen_separator = False
    nouns_after = 0
    max_nouns = MAX_DESCRIPTOR_NOUNS
    relative = ""   # "" none, "open" after `이/가`, "closed" after the clause's `-ㄴ`
    including = _including_length(gap)  # `A와 B를 비롯해 C, D가`: one list
    copula_end = -1
    depth = 0   # `안드레센호로위츠(a16z)와 B`: what the brackets hold is the name's aside
    # `구글과 자산운용사 피델리티`, `A와 미국 반도체업체 B로부터`: the second item's kind (not
    # a relation to the subject: `운용사 KKR과 환경 자회사 리뉴원의 지분`)
    kind_named = gap[-1].form.endswith(words.kind_endings) \
        and not gap[-1].form.endswith(words.relation_nouns) \
        and normalize_tag(gap[-1].tag) in NOUN_TAGS
    # `블랭크마스크 업체 A와 테스트 장비 업체 B의`: both items carry a descriptor of their kind
    before_left = sent.units[left.first - 1] if left.first > 0 else None
    parallel = kind_named and before_left is not None \
        and normalize_tag(before_left.tag) in NOUN_TAGS \
        and before_left.form.endswith(words.kind_endings)
    for k, unit in enumerate(gap):
        tag = normalize_tag(unit.tag)
        if tag == "SSO" and unit.form == "(":
            depth += 1
            continue
        if depth:
            depth -= tag == "SSC" and unit.form == ")"
            continue
        if k < including:
            seen_separator = True
            continue
        if k in dated and seen_separator:
            continue
        if seen_separator and max_nouns > 1 and relative != "closed" and (
                (tag == "JKS" and not relative)
                or (relative == "open" and (tag in PREDICATE_TAGS or tag == "EP"))):
            relative = "open"
            continue
        if relative == "open" and tag == "ETM":
            relative = "closed"
            continue
        if relative == "open":
            return False
        if unit.form in LIST_SEPARATORS and (tag in ("SP", "SW", "SO", "JC", "MAG")
                                             or (tag == "JKB" and unit.form in
                                                 ("와", "과", "하고", "랑", "이랑"))):
            if tag == "JKB" and k + 1 < len(gap) and gap[k + 1].tag.startswith("J"):
                return False
            seen_separator = True
            nouns_after = 0
            relative = ""
            # after `와/과` only one descriptor (`A와 미국 B`); `A와 합작법인 B` is no list
            # (not past a date: `A와 2020년 8월 공연 회사 B를 세웠다` names what they set up)
            max_nouns = 1 if unit.form in ("와", "과", "하고", "랑", "이랑") \
                and not (parallel or (kind_named and not dated)) else MAX_DESCRIPTOR_NOUNS
        elif tag == "NNB" and unit.form in ETC:
            # `A, B 등과 C에`: `등` closes a list; but `A, B 등 글로벌 펀드와 C, D가`: the
            # kind the items share, then more items of the same list
            rest = gap[k + 1:]
            return len(rest) >= 2 and rest[-1].form in ("와", "과") \
                and all(normalize_tag(u.tag) in NOUN_TAGS for u in rest[:-1]) \
                and rest[-2].form.endswith(words.kind_endings)
        elif tag in ("SSO", "SSC") or (tag in ("SW", "SO") and unit.form in "'\"‘’“”") \
                or (not seen_separator and unit.form in words.titles):
            continue
        elif not seen_separator and tag in NOUN_TAGS and k + 1 < len(gap) and any(
                gap[m].form in words.unit_nouns for m in range(k, min(k + 2, len(gap)))):
            continue  # `삼성전자 파운드리사업부, 디자인하우스 가온칩스와`: a company's unit
        elif tag in NOUN_TAGS and seen_separator:
            nouns_after += 1
            if nouns_after > max_nouns:
                return False
        elif tag == "JKG" and seen_separator and nouns_after and k > 0 \
                and normalize_tag(gap[k - 1].tag) == "NNP":
            continue  # `A, 일본의 B·C와`: a place that describes the next item
        elif seen_separator and nouns_after and tag == "VCP" and k + 1 < len(gap) \
                and normalize_tag(gap[k + 1].tag) == "ETM":
            copula_end = k + 1  # `A, 그 자회사인 B와`: the copula of the descriptor
            continue
        elif k == copula_end:
            continue
        else:
            return False
    return seen_separator and relative != "open"


def _outside_brackets(units: list[Unit]) -> list[Unit]:
    """The units not inside round brackets."""
    kept: list[Unit] = []
    depth = 0
    for unit in units:
        if unit.tag == "SSO" and unit.form == "(":
            depth += 1
        elif depth and unit.tag == "SSC" and unit.form == ")":
            depth -= 1
        elif not depth:
            kept.append(unit)
    return kept


def _parent_descriptor(sent: Sentence, left: Mention, right: Mention,
                       affiliates: frozenset[str], titles: frozenset[str] = frozenset()) -> bool:
    """`겐팅그룹의 투자 계열사 겐팅벤처스`: the left company only describes the right one.

    The gap is `의`, a few nouns ending in an affiliate word, and perhaps the copula
    (`의 자회사인`); a person's title may come before `의` (`아마존 창업자의 투자회사 B`:
    the founder's vehicle). An affiliate word may also follow the parent directly, with a
    few nouns after it (`KKR 산하 소각업체 B`)."""
    gap = sent.units[left.stop:right.first]
    if gap and gap[0].tag == "SSC":  # `마이크로소프트(MS)의`: the alias's bracket closes first
        gap = gap[1:]
    if len(gap) > 2 and gap[0].form in titles and gap[1].tag == "JKG":
        gap = gap[1:]
    if gap and gap[0].form in affiliates and gap[0].tag == "NNG":
        # `A와 KKR 산하 소각업체 B가`, `A와 C그룹 계열 B`: the affiliate word itself follows
        # the parent, with no `의`
        rest = _outside_brackets(gap)
        return 0 < len(rest) <= 6 and all(normalize_tag(u.tag) in NOUN_TAGS for u in rest)
    if len(gap) < 2 or gap[0].tag != "JKG":
        return False
    rest = _outside_brackets(gap[1:])  # `기업형 벤처캐피털(CVC)인`: the bracket is an aside
    copula = len(rest) >= 2 and normalize_tag(rest[-1].tag) == "ETM" and rest[-2].tag == "VCP"
    if copula:
        rest = rest[:-2]
    # (`A와 B의 합작법인 C`: the owners of a joint venture are its parties, no descriptors)
    # (`기업형 벤처캐피털`: a suffix `형` and a compound Kiwi cuts in two are still nouns)
    last = rest[-1].form if rest else ""
    compound = rest[-2].form + last if len(rest) >= 2 else last
    # (with the copula any short noun phrase describes: `MS의 애저 분야 1위 MSP인 클루커스`;
    # not a holder or a customer, which is a deal of its own: `KAI의 최대주주인 수출입은행`)
    return 0 < len(rest) <= (8 if copula else 4) \
        and (copula or last in affiliates or compound in affiliates) \
        and all(normalize_tag(u.tag) in NOUN_TAGS or u.tag in ("XSN", "SSO", "SSC", "SP")
                for u in rest) \
        and not any(u.form.startswith("합작") for u in rest) \
        and not (copula and any("주주" in u.form or u.form in ("고객", "고객사", "투자자")
                                for u in rest))


def build_groups(sent: Sentence,
                 role_of: Callable[[Sentence, int, int], tuple[str, str | None]],
                 words: GroupWords = GroupWords()) -> None:
    """Gather company mentions into groups and give each group its role.

    A parent named only to describe the next company (`A와 B그룹의 계열사 C는`) leaves
    its group and C takes its place."""
    groups: list[Group] = []
    for mention in sent.companies:
        current = groups[-1] if groups else None
        if current is not None and words.affiliates and _parent_descriptor(
                sent, current.mentions[-1], mention, words.affiliates, words.titles):
            parent = current.mentions.pop()  # its list slot goes to the company it describes
            # with the parent's other name (`마이크로소프트(MS)의`), not the parent named as an
            # item of its own before (`PGZ, PGZ 산하 정비업체 WZM과`: PGZ stays in the list)
            while current.mentions and current.mentions[-1].entity == parent.entity \
                    and not _list_gap(sent, current.mentions[-1], parent, words):
                parent = current.mentions.pop()
            if current.mentions:
                current.mentions.append(mention)
            else:
                groups[-1] = Group([mention], mention.first, mention.stop)
            continue
        if current is not None:
            last = current.mentions[-1]
            gap_text = sent.text_between(last.end, mention.start)
            headline_subject = (sent.headline and len(groups) == 1 and len(current.mentions) == 1
                                and current.first == 0 and sent.form(last.stop) == ",")
            joined = not headline_subject and not _consortium_name(sent, last, mention) and (
                ALIAS_GAP.fullmatch(gap_text) is not None
                or _inside_parenthesis(sent, last, mention)
                or _list_gap(sent, last, mention, words))
            if joined:
                current.mentions.append(mention)
                continue
        groups.append(Group([mention], mention.first, mention.stop))
    for group in groups:
        after = _skip_after(sent, group.mentions[-1].stop, words)
        if not sent.headline:
            after = _past_other_items(sent, after, words)
        group.stop = after
        if sent.headline and group is groups[0] and group.first == 0 \
                and sent.form(after) == "," and len(groups) > 1:
            group.role, group.role_rule = "TOPIC", "headline.subject"
            continue
        group.role, group.role_rule = role_of(sent, after, group.first)
    groups = [part for group in groups for part in _split_compound_item(sent, group, role_of)]
    groups = _join_consortium_lead(sent, groups)
    sent.groups = _split_counterparty(sent, groups, words) \
        if words.affiliates or words.contracts else groups


def _split_compound_item(sent: Sentence, group: Group,
                         role_of: Callable[[Sentence, int, int], tuple[str, str | None]]
                         ) -> list[Group]:
    """`A와 B·C 통합을 위한 MOU를 맺었다`: a list that found no role because its last item
    begins a compound noun (`B·C 통합`) ends at the `와/과` before that item — A is the
    counterparty, B only names what the agreement is about."""
    if group.role != "NONE" or len(group.mentions) < 2:
        return [group]
    last, before = group.mentions[-1], group.mentions[-2]
    joint = sent.units[before.stop:last.first]
    if len(joint) != 1 or joint[0].form not in ("와", "과") or joint[0].tag not in ("JC", "JKB") \
            or last.stop + 1 >= len(sent.units) or sent.form(last.stop) != "·" \
            or normalize_tag(sent.tag(last.stop + 1)) not in NOUN_TAGS:
        return [group]
    head = Group(group.mentions[:-1], group.first, before.stop)
    head.role, head.role_rule = role_of(sent, before.stop, head.first)
    if head.role == "NONE":
        return [group]
    rest = Group([last], last.first, group.stop, group.role, group.role_rule)
    return [head, rest]


def _consortium_name(sent: Sentence, left: Mention, right: Mention) -> bool:
    """`B과 ‘팀 코리아’ 컨소시엄을 구성해`: a quoted name after `와/과` that a consortium noun
    follows is the name of what the list forms, no item of the list."""
    gap = sent.units[left.stop:right.first]
    after = right.stop + 1 if right.stop < len(sent.units) and sent.tag(right.stop) == "SSC" \
        else right.stop
    return (len(gap) == 2 and gap[0].form in ("와", "과") and gap[1].tag == "SSO"
            and after < len(sent.units) and sent.form(after) in CONSORTIUM_NOUNS)


def formed_consortium(sent: Sentence, group: Group) -> bool:
    """`A와 B로 꾸려진 컨소시엄은`: the group's particle closes a consortium its members
    form (`_consortium_made_of` made the group reach past the consortium noun)."""
    return group.stop > group.mentions[-1].stop + 1 \
        and sent.form(group.stop - 1) in CONSORTIUM_NOUNS


def _join_consortium_lead(sent: Sentence, groups: list[Group]) -> list[Group]:
    """`A를 중심으로 B, C가 꾸린 컨소시엄으로부터`: the lead named before the members is one
    of the consortium too, and takes the consortium's role with them."""
    out: list[Group] = []
    for group in groups:
        lead = out[-1] if out else None
        formed = formed_consortium(sent, group)
        # (between the lead's `중심으로` and the members, only their descriptors)
        core_end = next((i for i in range(lead.stop, group.first) if sent.tag(i) == "JKB"),
                        None) if lead is not None and lead.role == "CORE" else None
        if formed and core_end is not None and all(
                normalize_tag(sent.tag(i)) in NOUN_TAGS or sent.tag(i) in ("SSO", "SSC")
                for i in range(core_end + 1, group.first)):
            out[-1] = Group(lead.mentions + group.mentions, lead.first, group.stop,
                            group.role, group.role_rule)
            continue
        out.append(group)
    return out


SOURCE_VERBS = frozenset({"따르", "의하"})


def mark_reporter(sent: Sentence, report_nouns: frozenset[str]) -> None:
    """`로이터통신은 텐센트가 … 밝혔다고 보도했다`: the outlet that reports, the sentence's
    first topic, is no party to what it reports (role REPORTER); nor is a source
    (`블룸버그에 따르면`, `A와 B에 따르면 C는 …`)."""
    for group in sent.groups:
        if sent.form(group.stop) == "에" and group.stop + 1 < len(sent.units) \
                and sent.form(group.stop + 1) in SOURCE_VERBS:
            group.role, group.role_rule = "REPORTER", "role.source"
    if not any(u.form in report_nouns for u in sent.units):
        return
    topics = [g for g in sent.groups if g.role == "TOPIC"]
    # (what it reports has a subject of its own: `A가`, or `A도`, `A는` after the outlet)
    if topics and any(g.role in ("SUBJ", "TOPIC") and g.first > topics[0].first
                      for g in sent.groups):
        topics[0].role, topics[0].role_rule = "REPORTER", "role.reporter"


OWNED_ROLES = frozenset({"OF", "GEN", "OBJ"})


DESCRIPTOR_TAGS = frozenset({"NNG", "NNP", "SL", "SSO", "SSC", "SW"})


def _bare_descriptor(units: list) -> bool:
    """Nothing, or a few nouns describing the next name (`‘파이브가이즈’ 국내 운영사`) and no
    particle: what stands between `와/과` and the last item of a list leaves it one list."""
    return len(units) <= 6 and all(u.tag in DESCRIPTOR_TAGS for u in units)


def _split_counterparty(sent: Sentence, groups: list[Group], words: GroupWords) -> list[Group]:
    """The counterparty at the head of a list whose stake changes hands.

    `A는 KKR과 자회사 B, C의 지분을 넘기는`: `와/과` followed by an affiliate word (the
    subsidiaries are the topic's, not KKR's list-mates); `A는 B, C와 D 지분 100%를 사들이는
    계약을 체결했다`: the last item right before the stake, after `와/과`, in a sentence that
    signs a contract (a contract is made with someone: B and C are the sellers), also when
    nouns describe D (`B와 ‘파이브가이즈’ 국내 운영사 D 지분`)."""
    out: list[Group] = []
    for group in groups:
        cut = 0
        if group.role in OWNED_ROLES:
            for k in range(1, len(group.mentions)):
                gap = sent.units[group.mentions[k - 1].stop:group.mentions[k].first]
                # (`한앤컴퍼니(한앤코)와 SK스페셜티 지분`: the alias's bracket closes first)
                gap = gap[1:] if gap and gap[0].tag == "SSC" else gap
                if not gap or gap[0].form not in ("와", "과") or gap[0].tag not in ("JKB", "JC"):
                    continue
                if len(gap) >= 2 and (gap[1].form in words.affiliates
                                      or gap[1].form.startswith(words.joint_ventures)):
                    # (`A는 B와 합작사 C를 출범시켰다`: C is what A and B set up, B a party)
                    cut = k
                    break
                # (the last item may carry its other name: `하이투자증권(현 iM증권) 지분`)
                last_item = all(ALIAS_GAP.fullmatch(sent.text_between(
                    group.mentions[m - 1].end, group.mentions[m].start)) is not None
                    for m in range(k + 1, len(group.mentions)))
                if last_item and _bare_descriptor(gap[1:]) and group.role == "OF" \
                        and sent.form(_skip_after(sent, group.mentions[-1].stop, words)) \
                        in words.stakes \
                        and any(u.form in words.contracts for u in sent.units[group.stop:]):
                    cut = k
                    break
        if not cut:
            out.append(group)
            continue
        left = Group(group.mentions[:cut], group.first, group.mentions[cut - 1].stop + 1,
                     "WITH", "role.with.counterparty")
        right = Group(group.mentions[cut:], group.mentions[cut].first, group.stop,
                      group.role, group.role_rule)
        out.extend([left, right])
    return out


MAX_OTHER_ITEMS = 3
MAX_ITEM_UNITS = 8
_FROM_PARTICLES = frozenset({"로부터", "으로부터", "에게서", "한테서"})


def _past_other_items(sent: Sentence, at: int, words: GroupWords) -> int:
    """`A가 울산시, B, C, 버스조합과 협약을 맺었다`, `A, B, 카이스트(KAIST), 한양대 등과`:
    list items that are no companies after the group's last company, up to the `와/과` (or
    the `에게서`/`로부터` of investors) that closes the list (the group's role is that
    particle's, or the particle after the `등` that closes it); `at` itself when the list
    does not end so."""
    companies = {i for m in sent.companies for i in range(m.first, m.stop)}
    i, items = at, 0
    # (the `와` after the last company may be read as the particle when glued to a Latin
    # name: `Microsoft, Nvidia와 리드 호프먼 등에게서`)
    while i < len(sent.units) and items < MAX_OTHER_ITEMS and (
            sent.form(i) in (",", "·")
            or (sent.form(i) in ("와", "과") and sent.tag(i) in ("JC", "JKB") and i == at)):
        j = i + 1
        while j < len(sent.units) and j - i <= MAX_ITEM_UNITS and j not in companies:
            if sent.form(j) == "(" and j > i + 1:
                # `카이스트(KAIST)`: an item's bracketed other name
                close = next((c for c in range(j + 1, min(j + 6, len(sent.units)))
                              if sent.form(c) == ")"), None)
                if close is None:
                    break
                j = close + 1
                continue
            if normalize_tag(sent.tag(j)) not in NOUN_TAGS or sent.form(j) in ETC:
                break   # (`등` closes the list: `카이스트 등에게서`, `카타르투자청 등이`)
            j += 1
        if j == i + 1 or j in companies or j - i > MAX_ITEM_UNITS:
            return at
        items += 1
        if sent.form(j) in ETC and _closes_list(sent, j + 1, at):
            j += 1   # (`등과`, `등에게서`: the particle after `등`)
        if _closes_list(sent, j, at):
            return j   # `A, B와 C(a person), D 등에게서 13억달러를 유치했다`: all investors
        if sent.form(j) in ETC:
            # `A, B, 카타르투자청(QIA) 등이 꾸린 컨소시엄으로부터`: what follows `등` is read as
            # after any list (`A, B 등 PEF들이`)
            return at if sent.form(at) in ("와", "과") else _skip_after(sent, j, words)
        i = j
    return at


def _closes_list(sent: Sentence, j: int, at: int) -> bool:
    """The particle at `j` closes a list begun at `at`: `와/과` (unless the list began with
    one), or the `에게서`/`로부터` of investors."""
    return (sent.form(j) in ("와", "과") and sent.tag(j) in ("JKB", "JC")
            and sent.form(at) not in ("와", "과")) or sent.form(j) in _FROM_PARTICLES


def _inside_parenthesis(sent: Sentence, left: Mention, right: Mention) -> bool:
    """`(Smart Global Holdings·SGH)`: names inside the alias parenthesis of one company."""
    gap = sent.text_between(left.end, right.start)
    return gap.strip() in ("·", ",", "/") and sent.text_between(
        left.start - 2, left.start).rstrip().endswith("(")
