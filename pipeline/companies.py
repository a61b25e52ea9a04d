"""COMPANY mentions: dictionary matches plus discovery of companies no dictionary lists.

The finder combines three sources and one rule of thumb:
* the dictionary (`rules/companies.yaml`): every known form at word edges; forms
  marked `confirm` count only with supporting context;
* the cues (`rules/company_cues.yaml`): descriptors, deal frames, suffixes,
  parenthesized foreign names, … — each vetoed by exclusions (associations,
  places, persons, events, products);
* repetition: a name a cue accepted once is a company wherever else the article
  writes it (`퍼플렉시티` after `스타트업인 ‘퍼플렉시티’`), unless an exclusion
  applies at that spot; names in a list with a company are companies.
Every match records the rule that produced it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.company_cues import Candidate, CueRule, CueSet, Found, load_cues
from pipeline.company_dict import CompanyDictionary, DictHit, load_dictionary
from pipeline.company_text import (
    hangul_syllables,
    is_particles,
    left_edge_ok,
    norm_alias,
    particle_tail_end,
    right_edge_ok,
)
from pipeline.company_units import Span
from pipeline.company_words import Morpheme, Words, words_of
from pipeline.linking import LINK_KINDS, LinkRules, link_entities, link_rules_of
from pipeline.problems import RuleProblem

_MAX_ROUNDS = 6
# a short form in capitals (`DSC` of `DSC로지스틱스`)
_LATIN_BASE = re.compile(r"[A-Z][A-Z0-9&]{2,}")
_PLAIN_WORD_TITLES = frozenset({"대표", "대표이사", "이사", "의장", "총괄", "고문", "측"})
# `(18.48%)`, `(지분 25%)`: a shareholding in brackets right after a name
_SHARE_AFTER = re.compile(r"\((?:지분\s*)?\d+(?:\.\d+)?%\)")
_CONTEXT_EXCLUSIONS = ("exclude_person", "exclude_event", "exclude_product")


@dataclass(frozen=True)
class CompanyMatch:
    """One COMPANY mention: exact offsets, the rule that found it, its dictionary key."""

    start: int
    end: int
    rule: str
    key: str | None


@dataclass
class Analysis:
    """Everything the finder decided about one text (kept for linking and for tests)."""

    matches: list[CompanyMatch]
    groups: list[set[Span]] = field(default_factory=list)
    vetoes: list[tuple[Span, str]] = field(default_factory=list)


class CompanyFinder:
    """Finds COMPANY mentions in a Doc (or a plain string)."""

    def __init__(self, dictionary: CompanyDictionary, cues: CueSet,
                 use_dictionary: bool = True, use_discovery: bool = True):
        self.dictionary = dictionary
        self.cues = cues
        self.use_dictionary = use_dictionary
        self.use_discovery = use_discovery
        self._cache: OrderedDict[str, Analysis] = OrderedDict()

    # ------------------------------------------------------------------ public
    def find(self, doc: object) -> list[CompanyMatch]:
        """All COMPANY mentions, non-overlapping, sorted by offset.

        A Doc from `make_doc` lends its Kiwi analysis (no second Kiwi pass); a string
        is analysed here the same way.
        """
        if isinstance(doc, str):
            return list(self.analyse(doc).matches)
        morphs = doc.user_data.get("kdeal_kiwi")  # type: ignore[attr-defined]
        return list(self.analyse(doc.text, morphs).matches)  # type: ignore[attr-defined]

    def key_of(self, name: str) -> str | None:
        return self.dictionary.key_of(name) if self.use_dictionary else None

    def forms_of(self, key: str) -> tuple[str, ...]:
        return self.dictionary.forms(key)

    def sharers_of(self, name: str) -> tuple[str, ...]:
        return self.dictionary.sharers_of(name) if self.use_dictionary else ()

    def without_dictionary(self) -> CompanyFinder:
        """The same finder with the dictionary switched off (discovery only)."""
        return CompanyFinder(self.dictionary, self.cues, use_dictionary=False)

    def analyse(self, text: str, morphs: Sequence[Morpheme] | None = None) -> Analysis:
        """What the finder decides about `text`; `morphs` are its Kiwi morphemes if known."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        analysis = self._analyse(text, morphs)
        self._cache[text] = analysis
        while len(self._cache) > 32:
            self._cache.popitem(last=False)
        return analysis

    # ------------------------------------------------------------------ core
    def _analyse(self, text: str, morphs: Sequence[Morpheme] | None = None) -> Analysis:
        words = words_of(text, morphs)
        state = _State(words)
        hits = [h for h in (self.dictionary.scan(text) if self.use_dictionary else [])]
        state.raw_hits = hits
        for hit in hits:
            veto = self.cues.veto(words, (hit.start, hit.end), "dict")
            if veto:
                state.vetoes.append(((hit.start, hit.end), veto))
            else:
                state.dict_hits.append(hit)
        if self.use_discovery:
            found = self.cues.find(words)
            self._take(state, found.candidates)
            state.found = found
        self._confirm_dictionary(state)
        if self.use_discovery:
            for _ in range(_MAX_ROUNDS):
                before = len(state.accepted)
                self._repeat(state)
                extra = Found(next_group=state.found.next_group)
                self.cues.find_second(words, state.accepted_spans(), extra)
                state.found.next_group = extra.next_group
                self._take(state, extra.candidates)
                self._confirm_dictionary(state)
                if len(state.accepted) == before:
                    break
            self._product_names(state)
            self._person_names(state)
        return Analysis(self._resolve(state), state.group_sets(), state.vetoes)

    def _product_names(self, state: _State) -> None:
        """`신약 ‘케이캡’`: a found name that the article once calls a product (right after
        one of the product rule's `article_heads`) is a product everywhere in it, also
        where a list or a repeat made it look like a company (`케이캡·카나브 서로 판다`);
        a name whose shares the article names (`어뮤즈 지분`) is a company, right after the
        product word only where its shares follow it (`브랜드 스위스퍼펙션 지분 100%`)."""
        rule = self.cues.by_kind.get("exclude_product")
        heads = tuple(rule.params.get("article_heads") or ()) if rule is not None else ()
        if not heads:
            return
        companies = tuple(rule.params.get("company_evidence") or ())
        text = state.words.text

        def after(pos: int, words: tuple[str, ...]) -> bool:
            before = text[max(0, pos - 12):pos].rstrip("‘“'\" ")
            return bool(words) and before.endswith(words) and (
                len(before) == len(before.rstrip()) and text[pos - 1:pos] in " ‘“'\"")

        stakes = tuple(rule.params.get("stake_words") or ())
        surfaces = {text[a:b] for a, b in state.accepted}
        products, operated, held = set(), set(), set()
        dealt: set[int] = set()   # where a deal is told of the name: a company even there
        framed_heads = tuple(h for h in self.cues.framed_heads() if h in heads)
        for surface in surfaces:
            pos = text.find(surface)
            while pos >= 0:
                if after(pos, heads):
                    products.add(surface)
                elif after(pos, companies):
                    operated.add(surface)
                end = pos + len(surface)
                if stakes and text.startswith(" ", end) and text.startswith(stakes, end + 1):
                    held.add(surface)   # `어뮤즈 지분 100%`: shares are a company's,
                    dealt.add(pos)      # even right after a product word (`브랜드 X 지분`)
                elif after(pos, framed_heads) and self._dealt_with(state, end):
                    held.add(surface)   # `브랜드 투페이스드를 14억5000만달러에 사들였다`
                    dealt.add(pos)
                pos = text.find(surface, pos + 1)
        operated |= held
        # (`앱 ‘호갱노노’` … `앱을 운영하는 호갱노노`: the company that runs the app shares its
        # name; only where the product word stands before it is the name the app's)
        for span in [sp for sp in state.accepted if text[sp[0]:sp[1]] in products
                     and (text[sp[0]:sp[1]] not in operated
                          or (after(sp[0], heads) and sp[0] not in dealt))]:
            del state.accepted[span]
            state.vetoes.append((span, rule.id))

    def _dealt_with(self, state: _State, end: int) -> bool:
        """A deal is told of the name ending at `end` (`X를 N억달러에 인수`)."""
        k = state.words.index_at(end - 1)
        return k is not None and self.cues.deal_told_of(state.words, k)

    def _person_names(self, state: _State) -> None:
        """`워런 버핏 버크셔해서웨이 회장`, `CSO인 배용준이`: a name a cue found that the
        article once writes before a company and a person's title, or right after a title
        with `인`, is a person everywhere in it (`버핏은 … 밝혔다`)."""
        titles = tuple(self.cues.lists.get("person_titles", ()))
        rule = self.cues.by_kind.get("exclude_person")
        if not titles or rule is None:
            return
        after_title = tuple(t + "인 " for t in titles)   # `창업자인 게이츠가`
        surnames = self.cues.lists.get("surnames", set())
        text = state.words.text
        spans = set(state.accepted) | set(state.dict_accepted)
        starts = dict(sorted(spans))
        ends = {b for _, b in spans}
        persons = set()
        for a, b in state.accepted:
            company_end = starts.get(b + 1) if text[b:b + 1] == " " else None
            after = text[company_end:company_end + 8].lstrip() if company_end else ""
            before = text[max(0, a - 12):a]
            # the given name before it (`워런 버핏`); not a person's full name, which makes
            # the name after it a company (`박정서 포도트리 다음웹툰컴퍼니 대표`)
            given = before.rstrip().split()[-1] if before.endswith(" ") and before.strip() \
                else ""
            full_name = len(given) == 3 and given[0] in surnames
            # (a Latin acronym is no one's name: `블레이크 라슨 ATK 항공우주그룹 사장`)
            if (after.startswith(titles) and not after.startswith(("이사회", "의장단"))
                    and given and all("가" <= c <= "힣" for c in given + text[a:b])
                    and not full_name and a - 1 not in ends) \
                    or before.endswith(after_title):
                persons.add(text[a:b])
        for span in [sp for sp in state.accepted if text[sp[0]:sp[1]] in persons]:
            del state.accepted[span]
            state.vetoes.append((span, rule.id))

    def _take(self, state: _State, candidates: list[Candidate]) -> None:
        """Accept cue candidates that no exclusion vetoes (a vetoed name vetoes its group)."""
        by_group: dict[int, list[Candidate]] = {}
        places = self.cues.lists.get("places", set())
        text = state.words.text
        for cand in candidates:
            # `일본 스미토모화학그룹(…)`: a country or city before the name is not part of it
            head, sep, rest = text[cand.start:cand.end].partition(" ")
            if sep and rest and head in places and rest.split(" ")[0] not in self.cues.separate:
                cand = replace(cand, start=cand.start + len(head) + 1)
            by_group.setdefault(cand.group, []).append(cand)
        for group, members in by_group.items():
            main = members[0]
            veto = self.cues.veto(state.words, (main.start, main.end), "cue")
            if not veto and self._starts_with_known_company(state, main):
                veto = "excl.product"
            if veto:
                state.vetoes.extend(((c.start, c.end), veto) for c in members)
                continue
            for i, cand in enumerate(members):
                span = (cand.start, cand.end)
                if i > 0:
                    alias_veto = self.cues.veto(state.words, span, "alias")
                    if alias_veto:
                        state.vetoes.append((span, alias_veto))
                        continue
                state.groups.setdefault(group, set()).add(span)
                if span not in state.accepted:
                    state.accepted[span] = cand.rule

    def _starts_with_known_company(self, state: _State, cand: Candidate) -> bool:
        """`아마존 베드록`, `웨이모 드라이버`: a known company's name, then a non-company word."""
        text = state.words.text
        surface = text[cand.start:cand.end]
        if " " not in surface:
            return False
        hit = state.hit_at(cand.start)  # dictionary hits never overlap: one per start
        if hit is not None and hit.end < cand.end and text[hit.end] == " ":
            rest = surface[hit.end - cand.start:].split()
            return not any(word in self.cues.continuation for word in rest)
        return False

    def _confirm_dictionary(self, state: _State) -> None:
        """Accept dictionary hits: strong forms always, `confirm` forms with context."""
        strong_keys = {h.key for h in state.dict_hits if not h.weak}
        cue_spans = set(state.accepted)
        confirmed = set(strong_keys)
        company_starts = {start for start, _ in cue_spans} | {
            h.start for h in state.dict_hits if not h.weak}
        for hit in state.dict_hits:
            if hit.weak and not hit.strict and (
                    (hit.start, hit.end) in cue_spans
                    or self._noun_with_particle(state.words, hit)
                    or self._before_title_or_share(state.words, hit)
                    or self._before_list_word(state.words, hit)
                    or self._listed_before_company(state.words, hit, company_starts)):
                confirmed.add(hit.key)
            elif hit.weak and hit.start == 0 and state.words.text.startswith(",", hit.end):
                confirmed.add(hit.key)   # `대상, 獨 아미노 인수`: the headline's subject
        for hit in state.dict_hits:
            if hit.key in confirmed:
                state.dict_accepted[(hit.start, hit.end)] = hit

    @staticmethod
    def _listed_before_company(words: Words, hit: DictHit, company_starts: set[int]) -> bool:
        """`네이버, 코오롱인베스트먼트도`: a list item right before a company is one too."""
        k = words.index_at(hit.end)
        pieces = words.pieces
        return k is not None and pieces[k].text in (",", "·") and k + 1 < len(pieces) \
            and pieces[k + 1].is_word and pieces[k + 1].start in company_starts

    def _before_list_word(self, words: Words, hit: DictHit) -> bool:
        """`네이버 등 기존 주주들과`, `애플 역시`: a name named as one of several (`list_words`)."""
        text = words.text
        if not text.startswith(" ", hit.end):
            return False
        for word in self.cues.lists.get("list_words", ()):
            end = hit.end + 1 + len(word)
            if text.startswith(word, hit.end + 1) and (
                    end == len(text) or not text[end].isalnum()
                    or particle_tail_end(text, end) not in (None, end)):
                return True
        return False

    def _before_title_or_share(self, words: Words, hit: DictHit) -> bool:
        """`네이버 최고기술책임자(CTO) 출신`, `주요 주주는 네이버(18.48%)`: a name before a
        person's title, or before its share in brackets, is the company."""
        after = words.text[hit.end:hit.end + 20]
        if _SHARE_AFTER.match(after):
            return True
        if not after.startswith(" "):
            return False
        start = hit.end + 1
        text = words.text
        for title in self.cues.lists["person_titles"]:
            # (`대표`, `이사` are also ordinary words: `KT 대표 선임 절차` stays unconfirmed)
            if title not in _PLAIN_WORD_TITLES and text.startswith(title, start):
                end = start + len(title)
                # the title closes its word (`CEO는`, `대표(CTO)`), not `대표적인`
                if particle_tail_end(text, end) is not None:
                    return True
        return False

    @staticmethod
    def _noun_with_particle(words: Words, hit: DictHit) -> bool:
        """`애플은`, `KT와`: the name is a noun with a particle (`알리는` is a verb)."""
        end = particle_tail_end(words.text, hit.end)
        if end is None or end == hit.end:
            return False
        k = words.index_at(hit.start)
        if k is None:
            return True
        piece = words.pieces[k]
        return piece.stem_end == hit.end and not piece.verbal

    def _repeat(self, state: _State) -> None:
        """Every other occurrence of a name a cue accepted, unless excluded there."""
        text = state.words.text
        names: dict[str, str] = {}
        rests = self._prefix_rests()
        for (start, end), rule in list(state.accepted.items()):
            surface = text[start:end]
            if len(surface) >= 2 or surface.isupper():
                names.setdefault(surface, rule.split(":")[-1])
            # `플랙트그룹` … `플랙트`: the group's name without `그룹` is the same company;
            # `젠지 이스포츠` … `젠지`: so is the first word before company words
            base = surface[:-2] if surface.endswith("그룹") else ""
            parts = surface.split(" ")
            if len(parts) > 1 and all(p in self.cues.separate for p in parts[1:]):
                base = parts[0]
            # `캐피털원파이낸셜` … `캐피털원`: the name without a company word of link.prefix
            if not base and " " not in surface and surface.endswith(rests):
                for rest in rests:
                    if surface.endswith(rest) and (
                            hangul_syllables(surface[:-len(rest)]) >= 3
                            or _LATIN_BASE.fullmatch(surface[:-len(rest)])):
                        base = surface[:-len(rest)]  # (`DSC로지스틱스` … `DSC의`)
                        break
            if len(base) >= 2 and not base.endswith((" ", ")")):
                names.setdefault(base, rule.split(":")[-1])
        taken = bytearray(len(text))
        ends_at: dict[int, list[Span]] = {}  # accepted cue spans by start, for replacement
        for start, end in state.accepted:
            taken[start:end] = b"\x01" * (end - start)
            ends_at.setdefault(start, []).append((start, end))
        for surface, rule in names.items():
            pos = text.find(surface)
            while pos >= 0:
                span = (pos, pos + len(surface))
                if any(taken[pos:span[1]]) and left_edge_ok(text, pos) \
                        and right_edge_ok(text, span[1]):
                    # `페르미 아메리카와도` after `페르미 아메리카(Fermi America)`: a name found
                    # before replaces a shorter cue span inside it (`아메리카`)
                    inner = [a for i in range(pos, span[1]) for a in ends_at.get(i, ())
                             if a[1] <= span[1] and a != span and a in state.accepted
                             and not state.accepted[a].startswith("repeat:")]
                    if inner and sum(a[1] - a[0] for a in inner) == sum(taken[pos:span[1]]):
                        for a in inner:
                            del state.accepted[a]
                        taken[pos:span[1]] = b"\x00" * (span[1] - pos)
                if (span not in state.accepted and left_edge_ok(text, pos)
                        and right_edge_ok(text, span[1]) and not any(taken[pos:span[1]])):
                    veto = self._context_veto(state.words, span)
                    if veto:
                        state.vetoes.append((span, veto))
                    else:
                        state.accepted[span] = f"repeat:{rule}"
                        taken[span[0]:span[1]] = b"\x01" * (span[1] - span[0])
                pos = text.find(surface, pos + 1)

    def _prefix_rests(self) -> tuple[str, ...]:
        links = getattr(self.cues, "links", None) or {}
        rule = links.get("link_prefix")
        return tuple(str(r) for r in rule.params.get("rests") or ()) if rule is not None else ()

    def _context_veto(self, words: Words, span: Span) -> str | None:
        for rule in self.cues.exclusions:
            if rule.kind in _CONTEXT_EXCLUSIONS:
                method = getattr(self.cues, f"_excl_{rule.kind}")
                if method(rule, words, span, "repeat"):
                    return rule.id
        return None

    def _resolve(self, state: _State) -> list[CompanyMatch]:
        """Longest spans first; on equal length the dictionary wins."""
        text = state.words.text
        options: list[tuple[int, int, int, CompanyMatch]] = []
        for (start, end), hit in state.dict_accepted.items():
            options.append((end - start, 1, start, CompanyMatch(start, end, f"dict:{hit.key}",
                                                                hit.key)))
        dict_ends = {start: end for start, end in state.dict_accepted}
        dict_starts = sorted(dict_ends)
        for (start, end), rule in state.accepted.items():
            # `네이버파이낸셜이`, `엔비디아가 앤트로픽`: a cue span holding a dictionary name
            # followed by a particle (at its end, or before a space inside it), or opening
            # with one joined to another name by a hyphen, is not one name
            if self._splits_at_known_name(text, start, end, dict_starts, dict_ends):
                continue
            key = self.key_of(text[start:end])
            options.append((end - start, 0, start, CompanyMatch(start, end, rule, key)))
        options.sort(key=lambda o: (-o[0], -o[1], o[2]))
        chosen: list[CompanyMatch] = []
        taken = bytearray(len(text))
        for _length, _prio, _start, match in options:
            if any(taken[match.start:match.end]):
                continue
            chosen.append(match)
            taken[match.start:match.end] = b"\x01" * (match.end - match.start)
        return sorted(chosen, key=lambda m: m.start)

    def _splits_at_known_name(self, text: str, start: int, end: int, dict_starts: list[int],
                              dict_ends: dict[int, int]) -> bool:
        suffixes = self.cues.suffix_tuple
        for known_start in dict_starts[bisect_left(dict_starts, start):]:
            if known_start >= end:
                break
            known_end = dict_ends[known_start]
            if known_end >= end and known_start == start:
                continue
            if known_start == start and text.startswith("-", known_end) \
                    and end - known_end > 2 and (known_end + 1 in dict_ends
                                                 or text[known_end + 1:end].endswith(suffixes)):
                # `SK텔레콤-코람코자산신탁을`: a known name, a hyphen, another company's name
                # (not `롯데-MGS베버리지`, a joint venture's own name)
                return True
            space = text.find(" ", known_end, end)
            tail = text[known_end:space if space >= 0 else end]
            if known_end < end and is_particles(tail) and (known_start == start or space >= 0):
                return True
        return False

    # ------------------------------------------------------------------ examples
    def check_examples(self) -> tuple[int, list[RuleProblem]]:
        """Run every example of `company_cues.yaml`; returns the count and the failures."""
        count = 0
        problems: list[RuleProblem] = []
        discovery_only = self.without_dictionary()
        for rule in self.cues.rules:
            for positive, examples in ((True, rule.examples), (False, rule.negatives)):
                for example in examples:
                    count += 1
                    if rule.kind in LINK_KINDS:
                        problems.extend(self._check_link_example(rule, example, positive))
                        continue
                    finder = self if example.get("dictionary") else discovery_only
                    text = example["text"]
                    analysis = finder.analyse(text)
                    got = Counter(text[m.start:m.end] for m in analysis.matches)
                    want = Counter(str(s) for s in example["expect"])
                    label = "example" if positive else "negative"
                    if got != want:
                        problems.append(RuleProblem(
                            rule.file, rule.id,
                            f"{label} {text!r}: expected {sorted(want.elements())}, "
                            f"got {sorted(got.elements())}", rule.line))
                        continue
                    if positive and not _rule_fired(rule.id, analysis):
                        problems.append(RuleProblem(
                            rule.file, rule.id, f"example {text!r} does not use this rule",
                            rule.line))
        return count, problems


    def _check_link_example(self, rule: CueRule, example: dict,
                            positive: bool) -> list[RuleProblem]:
        """A linking example: the entities (as sets of surfaces) must be exactly `expect`;
        a positive example must also come out differently with the rule switched off."""
        text = example["text"]
        label = "example" if positive else "negative"
        want = sorted(sorted(str(s) for s in group) for group in example["expect"])
        rules = link_rules_of(self)
        got = _entity_surfaces(self, text, rules)
        if got != want:
            return [RuleProblem(rule.file, rule.id,
                                f"{label} {text!r}: expected entities {want}, got {got}",
                                rule.line)]
        without = replace(rules, enabled=rules.enabled - {rule.kind})
        if positive and _entity_surfaces(self, text, without) == want:
            return [RuleProblem(rule.file, rule.id,
                                f"example {text!r} links the same without this rule", rule.line)]
        return []


def _entity_surfaces(finder: CompanyFinder, text: str, rules: LinkRules) -> list[list[str]]:
    matches = finder.analyse(text).matches
    _entities, ids = link_entities(text, matches, finder, rules)
    groups: dict[str, list[str]] = {}
    for match, entity_id in zip(matches, ids, strict=True):
        groups.setdefault(entity_id, []).append(text[match.start:match.end])
    return sorted(sorted(g) for g in groups.values())


def _rule_fired(rule_id: str, analysis: Analysis) -> bool:
    if any(m.rule == rule_id or m.rule.endswith(":" + rule_id) for m in analysis.matches):
        return True
    return any(veto == rule_id for _span, veto in analysis.vetoes)


@dataclass
class _State:
    words: Words
    raw_hits: list[DictHit] = field(default_factory=list)
    dict_hits: list[DictHit] = field(default_factory=list)
    dict_accepted: dict[Span, DictHit] = field(default_factory=dict)
    accepted: dict[Span, str] = field(default_factory=dict)
    groups: dict[int, set[Span]] = field(default_factory=dict)
    vetoes: list[tuple[Span, str]] = field(default_factory=list)
    found: Found = field(default_factory=Found)
    _hits_by_start: dict[int, DictHit] | None = None

    def hit_at(self, start: int) -> DictHit | None:
        """The dictionary hit that starts at `start`, if any."""
        if self._hits_by_start is None:
            self._hits_by_start = {}
            for hit in self.raw_hits:
                self._hits_by_start.setdefault(hit.start, hit)
        return self._hits_by_start.get(start)

    def accepted_spans(self) -> list[Span]:
        return sorted(set(self.accepted) | set(self.dict_accepted))

    def group_sets(self) -> list[set[Span]]:
        return [spans for spans in self.groups.values() if len(spans) > 1]


def load_company_rules(dirs: list[Path]) -> tuple[CompanyFinder, list[RuleProblem]]:
    """The dictionary and the cues from every rules folder (later folders override)."""
    dictionary, problems = load_dictionary(dirs)
    cues, found = load_cues(dirs)
    return CompanyFinder(dictionary, cues), problems + found


def alias_key(name: str) -> str:
    """Alias comparison key (ANNOTATION §5); re-exported for the linker and tests."""
    return norm_alias(name)
