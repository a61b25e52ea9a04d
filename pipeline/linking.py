"""Entity linking: the COMPANY mentions of one article grouped into companies.

Mentions join one entity when
* the dictionary maps them to the same company (`SK텔레콤`, `SKT`);
* their alias keys are equal (ANNOTATION §5: no spaces, legal forms or case);
* one stands in parentheses right after the other, or beside it inside those
  parentheses (`마이크로소프트(MS)`, `스마트 글로벌 홀딩스'(Smart Global Holdings·SGH)`);
* a later all-capital abbreviation spells the initials of an earlier name
  (`SGH` … `Smart Global Holdings`);
* a one-word mention is the first word of an earlier multi-word name
  (`젠지` … `젠지 이스포츠`), or the name without `그룹` (`싱텔` … `싱텔그룹`);
* the text says one is the other's new or former name (`KT렌탈을 인수한 뒤 사명을
  롯데렌탈로 바꿨다`, `셩취게임즈(옛 샨다게임즈)`, `B의 전신인 A`).
Two mentions the dictionary knows as different companies are never joined, except
by a rename, which the text states outright. Each way of joining is a `link_*` rule
of `rules/company_cues.yaml` with its examples; a rule switched off there is skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Protocol

import regex

from pipeline.company_text import CLOSE_QUOTES, norm_alias

LINK_KINDS = ("link_dictionary", "link_alias", "link_paren", "link_initials",
              "link_first_word", "link_group", "link_rename", "link_spelled", "link_variant",
              "link_prefix", "link_last_word")
# How Korean writes the Latin letters (`ABL바이오` = `에이비엘바이오`, `KT&G` = `케이티앤지`).
LETTER_NAMES: dict[str, tuple[str, ...]] = {
    "A": ("에이",), "B": ("비",), "C": ("씨", "시"), "D": ("디",), "E": ("이",), "F": ("에프",),
    "G": ("지", "쥐"), "H": ("에이치", "에치"), "I": ("아이",), "J": ("제이",), "K": ("케이",),
    "L": ("엘",), "M": ("엠",), "N": ("엔",), "O": ("오",), "P": ("피",), "Q": ("큐",),
    "R": ("알", "아르"), "S": ("에스",), "T": ("티",), "U": ("유",), "V": ("브이", "비"),
    "W": ("더블유",), "X": ("엑스",), "Y": ("와이",), "Z": ("지", "제트", "젯"), "&": ("앤",)}


@dataclass
class Entity:
    """One company of an article: canonical name and every alias."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)


class _Match(Protocol):
    start: int
    end: int
    key: str | None


class _Finder(Protocol):
    def forms_of(self, key: str) -> tuple[str, ...]: ...


_GROUP_SUFFIXES = ("그룹", " 그룹", "Group", " Group")


class _Groups:
    """Union–find over mention indices that refuses to join two different dictionary keys."""

    def __init__(self, keys: list[str | None]):
        self.parent = list(range(len(keys)))
        self.key = list(keys)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, rename: bool = False) -> None:
        """Join a and b; `rename` (b is a's new name) joins even two dictionary keys."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        ka, kb = self.key[ra], self.key[rb]
        if ka and kb and ka != kb and not rename:
            return
        first, second = min(ra, rb), max(ra, rb)
        self.parent[second] = first
        self.key[first] = (kb or ka) if rename else (ka or kb)


@dataclass(frozen=True)
class LinkRules:
    """Which `link_*` rules are on, and the words of the rename rule."""

    enabled: frozenset[str] = frozenset(LINK_KINDS)
    rename_nouns: tuple[str, ...] = ("사명", "이름", "상호", "회사명", "법인명", "간판")
    rename_verbs: tuple[str, ...] = ("바꾸", "바꿨", "바꿔", "바꾼", "변경", "교체")
    former_markers: tuple[str, ...] = ("옛", "구", "舊", "前", "현", "現", "당시")
    lineage_words: tuple[str, ...] = ("전신", "후신")
    start_verbs: tuple[str, ...] = ("출발", "설립", "세워", "시작", "출범", "창업")
    letters: tuple[tuple[str, tuple[str, ...]], ...] = tuple(LETTER_NAMES.items())
    variant_suffixes: tuple[str, ...] = ("보험", "해상보험", "주식회사", "코퍼레이션", "컴퍼니")
    prefix_rests: tuple[str, ...] = ()
    last_word_stop: tuple[str, ...] = ()
    country_prefixes: tuple[str, ...] = ()
    group_heads: tuple[str, ...] = ()
    local_units: tuple[str, ...] = ()   # `에이본 재팬`: a name's local unit, not the name

    @classmethod
    def from_rules(cls, rules: dict[str, Any]) -> LinkRules:
        """From the `link_*` rules of the cue file (`{kind: CueRule}`)."""
        default = cls()
        rename = rules.get("link_rename")

        def words(key: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
            found = rename.params.get(key) if rename is not None else None
            return tuple(str(w) for w in found) if found else fallback

        spelled = rules.get("link_spelled")
        table = spelled.params.get("letters") if spelled is not None else None
        letters = tuple((str(k), tuple(str(n) for n in (v if isinstance(v, list) else [v])))
                        for k, v in table.items()) if isinstance(table, dict) else default.letters
        variant = rules.get("link_variant")
        suffixes = variant.params.get("suffixes") if variant is not None else None
        countries = variant.params.get("country_prefixes") if variant is not None else None
        prefix = rules.get("link_prefix")
        rests = prefix.params.get("rests") if prefix is not None else None
        heads = prefix.params.get("group_heads") if prefix is not None else None
        last = rules.get("link_last_word")
        stop = last.params.get("stop_words") if last is not None else None
        first = rules.get("link_first_word")
        local = first.params.get("local_units") if first is not None else None
        return cls(frozenset(rules), words("nouns", default.rename_nouns),
                   words("verbs", default.rename_verbs),
                   words("former_markers", default.former_markers),
                   words("lineage", default.lineage_words),
                   words("started", default.start_verbs), letters,
                   tuple(str(x) for x in suffixes) if suffixes else default.variant_suffixes,
                   tuple(str(x) for x in rests or ()),
                   tuple(str(x) for x in stop or ()),
                   tuple(str(x) for x in countries or ()),
                   tuple(str(x) for x in heads or ()),
                   tuple(str(x) for x in local or ()))

    def spelled_pattern(self, surface: str) -> regex.Pattern[str] | None:
        """`ABL바이오` → a regex for its Hangul spellings (`에이비엘바이오`); None when the
        name has no capital letters to spell (lower-case Latin is a word, not letters)."""
        return _spelled_pattern(surface, self.letters)

    @cached_property
    def patterns(self) -> dict[str, regex.Pattern[str]]:
        """The rename rule's regexes, built once."""
        def alt(words: tuple[str, ...]) -> str:
            return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))

        nouns, verbs = alt(self.rename_nouns), alt(self.rename_verbs)
        close, open_ = "['’\"”]?", "['‘\"“]?"
        return {
            # after the new name: `B로 사명을 바꿨다`, `B로 이름 변경`
            "after_noun": regex.compile(
                rf"\A\s*{close}\s*(?:으로|로)\s*(?:{nouns})\s*[을를은도]?\s*(?:새로\s*)?(?:{verbs})"),
            # `사명을 B로 바꿨다`: the noun before, the verb after (not a store's sign: `편의점
            # 3곳의 간판을 CU로 바꿔 달고` names the brand, not the company)
            "before": regex.compile(rf"(?<!의\s*)(?:{nouns})\s*[을를]\s*(?:새로\s*)?{open_}\s*\Z"),
            "after": regex.compile(rf"\A\s*{close}\s*(?:으로|로)\s*(?:{verbs})"),
            # after the old name, in a sentence about the new one: `A는 … B가 이름을 바꾼
            # 회사다`
            "old_named": regex.compile(
                rf"\A\s*{close}\s*(?:이|가)\s*(?:{nouns})\s*[을를]\s*(?:{verbs})"),
            # after the old name, in a sentence about the new one: `A는 2005년 B라는 이름으로
            # 출발했다`
            "started_as": regex.compile(
                rf"\A\s*{close}\s*(?:이라는|라는|란|이란)\s*(?:{nouns})\s*(?:으로|로)\s*"
                rf"(?:{alt(self.start_verbs)})"),
            # `A(옛 B)`, `A(현 B)`
            "former": regex.compile(rf"\A\(\s*(?:{alt(self.former_markers)})\s"),
            # `B의 전신인 A`, `A의 후신 B`
            "lineage": regex.compile(
                rf"\A\s*{close}\s*의\s*(?:{alt(self.lineage_words)})(?:인|이자|으로)?\s*{open_}\s*\Z"),
        }


_SENTENCE_BREAK = regex.compile(r"[.!?]\s|\n")
_PARTY_PARTICLE_START = frozenset("은는이가을를의와과에도")
_CAPITAL = regex.compile(r"[A-Z]")
_SMALL = regex.compile(r"[a-z]")
_LATIN = regex.compile(r"[A-Za-z]")


@lru_cache(maxsize=4096)
def _spelled_pattern(surface: str, letters: tuple[tuple[str, tuple[str, ...]], ...],
                     ) -> regex.Pattern[str] | None:
    if not _CAPITAL.search(surface) or _SMALL.search(surface) or not norm_alias(surface):
        return None
    table = dict(letters)
    parts = []
    for ch in surface.replace(" ", ""):
        names = table.get(ch.upper()) if ch.isascii() and not ch.isdigit() else None
        if names:
            parts.append("(?:" + "|".join(regex.escape(n) for n in names) + ")")
        elif ch.isascii() and ch.isalpha():
            return None
        else:
            parts.append(regex.escape(ch.lower()))
    return regex.compile("".join(parts))


def _rename_links(text: str, matches: list[_Match], surfaces: list[str],
                  rules: LinkRules) -> list[tuple[int, int]]:
    """(old name, new name) pairs the text states: renames, former names, lineage."""
    found = rules.patterns
    links: list[tuple[int, int]] = []
    for j, new in enumerate(matches):
        after = text[new.end:new.end + 40]
        before = text[max(0, new.start - 40):new.start]
        renamed = bool(found["after_noun"].match(after)) or (
            bool(found["before"].search(before)) and bool(found["after"].match(after)))
        if renamed:
            for i in range(j - 1, -1, -1):
                between = text[matches[i].end:new.start]
                if _SENTENCE_BREAK.search(between):
                    break
                if norm_alias(surfaces[i]) != norm_alias(surfaces[j]):
                    links.append((i, j))
                    break
        if found["old_named"].match(after) or found["started_as"].match(after):
            first = None
            for i in range(j - 1, -1, -1):
                if _SENTENCE_BREAK.search(text[matches[i].end:matches[i + 1].start]):
                    break
                first = i
            if first is not None and norm_alias(surfaces[first]) != norm_alias(surfaces[j]):
                links.append((j, first))
        if j + 1 < len(matches):
            nxt = matches[j + 1]
            between = text[new.end:nxt.start]
            if found["former"].match(between.lstrip("".join(CLOSE_QUOTES))) and ")" not in between:
                links.append((j + 1, j))   # `A(옛 B)`: B is the former name
            elif found["lineage"].match(between):
                word = between.strip()
                links.append((j, j + 1) if "전신" in word else (j + 1, j))
    return links


def _initials(name: str) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z0-9&'.-]*", name)
    return "".join(w[0] for w in words).upper() if len(words) >= 2 else ""


def _paren_links(text: str, matches: list[_Match]) -> list[tuple[int, int]]:
    """Pairs (name, alias) for `A(B)`, `‘A’(B·C)` and names side by side in one parenthesis.

    `matches` are in text order, so the names inside a parenthesis are found by
    bisection (an article with many names stays linear).
    """
    links: list[tuple[int, int]] = []
    starts = [m.start for m in matches]
    for i, m in enumerate(matches):
        pos = m.end
        while pos < len(text) and text[pos] in CLOSE_QUOTES:
            pos += 1
        if pos >= len(text) or text[pos] != "(":
            continue
        close = text.find(")", pos)
        if close < 0 or close - pos > 80:
            continue
        for j in range(bisect_right(starts, pos), bisect_right(starts, close)):
            if j != i and matches[j].end <= close:
                links.append((i, j))
    return links


_DEFAULT_RULES = LinkRules()


def _spelled_links(surfaces: list[str], groups: _Groups, rules: LinkRules) -> None:
    """`ABL바이오` … `에이비엘바이오`. Only the Hangul names that begin as the spelled name can
    begin (`A` → `에`) are tried, so a long list of names stays linear."""
    hangul: dict[str, int] = {}
    by_first: dict[str, list[str]] = {}
    for i, surface in enumerate(surfaces):
        if not _LATIN.search(surface):
            key = norm_alias(surface)
            if key and key not in hangul:
                hangul[key] = i
                by_first.setdefault(key[0], []).append(key)
    if not hangul:
        return
    table = dict(rules.letters)
    for i, surface in enumerate(surfaces):
        first = surface.replace(" ", "")[:1]
        if not first or not _CAPITAL.search(surface):
            continue
        names = table.get(first.upper()) if first.isascii() and first.isalpha() else None
        starts = {name[:1] for name in names} if names else {first.lower()}
        candidates = [key for start in starts for key in by_first.get(start, ())]
        if not candidates:
            continue
        pattern = rules.spelled_pattern(surface)
        if pattern is None:
            continue
        for key in candidates:
            if pattern.fullmatch(key):
                groups.union(hangul[key], i)


def _hangul_count(text: str) -> int:
    return sum(1 for c in text if "가" <= c <= "힣")


def _named_together(text: str, ordered: list[_Match], surfaces: list[str],
                    bracketed: set[int]) -> set[tuple[str, str]]:
    """Pairs (short, other) of surfaces named in one sentence, the short one as a party
    of its own (a particle right after it): a writer does not give one company two names
    in a sentence (`드림텍은 … 드림텍오토모티브 지분을 … 넘기기로`), though a business may be
    named after its owner (`스무디킹코리아로부터 … 스무디킹 사업을`) and a short name may stand
    in brackets after the long one."""
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text)]
    names: dict[int, set[str]] = {}
    parties: dict[int, set[str]] = {}
    for i, (match, surface) in enumerate(zip(ordered, surfaces, strict=True)):
        if i in bracketed:
            continue
        sentence = bisect_left(breaks, match.end)
        names.setdefault(sentence, set()).add(surface)
        if text[match.end:match.end + 1] in _PARTY_PARTICLE_START:
            parties.setdefault(sentence, set()).add(surface)
    return {(a, b) for sentence, shorts in parties.items() for a in shorts
            for b in names[sentence] if a != b}


def _prefix_links(surfaces: list[str], keys: list[str | None], groups: _Groups,
                  rules: LinkRules, bracketed: set[int] | frozenset[int] = frozenset(),
                  together: set[tuple[str, str]] | frozenset = frozenset()) -> None:
    """`캐피털원` … `캐피털원파이낸셜`, `대우조선` … `대우조선해양`: a one-word Hangul name that
    begins a longer name of the article, the rest being a company word (`rests`); a parent
    and its local unit (`프루덴셜` … `프루덴셜베트남파이낸스컴퍼니`) stay apart, and so do
    two names one sentence gives (`together`). A short name that begins two different
    companies' names is left alone."""
    # distinct surfaces in sorted order: the names that begin with a short name are one
    # contiguous run, found by bisection (a long list of names stays n log n)
    first_of: dict[str, list[int]] = {}
    for j, surface in enumerate(surfaces):
        first_of.setdefault(surface, []).append(j)
    ordered = sorted(first_of)
    done: dict[str, int | None] = {}
    for i, short in enumerate(surfaces):
        # a known company's name with a company word after it is another company
        # (`셀트리온` … `셀트리온홀딩스`)
        # (a capitalised Latin short form too: `AFW` … `AFW파트너스`)
        latin_short = short.isascii() and short.isupper() and len(short) >= 3
        # (a name in brackets after another one is that one's short name: `사우디국립은행(SNB)`
        # … `SNB캐피탈`, its investment arm)
        # (a Latin name with a clipped Hangul word: `NHN엔터` … `NHN엔터테인먼트`)
        mixed = bool(_LATIN.search(short)) and _hangul_count(short) >= 2 and not latin_short
        if keys[i] is not None or " " in short or i in bracketed or (
                (_LATIN.search(short) or _hangul_count(short) < 2) and not latin_short
                and not mixed):
            continue
        if short not in done:
            roots = set()
            at = bisect_left(ordered, short)
            while at < len(ordered) and ordered[at].startswith(short):
                full = ordered[at]
                at += 1
                if (short, full) in together:
                    continue
                rest = full[len(short):].strip()
                # legal forms, `그룹` and insurance words are the alias, group and variant
                # rules'
                if not rest or not _hangul_count(rest) or rest in _GROUP_SUFFIXES \
                        or rest in rules.variant_suffixes or rest.startswith(("(", "㈜")) \
                        or not (not mixed and rest.startswith(rules.prefix_rests)
                                or _clipped_rest(short, rest, rules.prefix_rests)):
                    continue
                roots.update(groups.find(j) for j in first_of[full])
                if len(roots) > 1:
                    break
            done[short] = roots.pop() if len(roots) == 1 else None
        root = done[short]
        if root is not None:
            groups.union(root, i)


def _clipped_rest(short: str, rest: str, rests: tuple[str, ...]) -> bool:
    """`NHN엔터` … `NHN엔터테인먼트`: the short name ends with the first two syllables or more
    of a company word the long name ends with."""
    return any(len(word) - len(rest) >= 2 and word.endswith(rest)
               and short.endswith(word[:len(word) - len(rest)]) for word in rests)


def _group_head_links(surfaces: list[str], keys: list[str | None], groups: _Groups,
                      rules: LinkRules) -> None:
    """`로보틱스` … `두산로보틱스`, `글로비스` … `현대글로비스`: a name no dictionary lists that
    is a listed affiliate's name without its group's name in front (`group_heads`); an
    unlisted joint name keeps its parts apart (`농심켈로그` … `켈로그`)."""
    if not rules.group_heads:
        return
    by_tail: dict[str, set[int]] = {}
    for j, full in enumerate(surfaces):
        for head in rules.group_heads if keys[j] is not None else ():
            if full.startswith(head) and _hangul_count(full[len(head):]) >= 3:
                by_tail.setdefault(full[len(head):].strip(), set()).add(groups.find(j))
    for i, short in enumerate(surfaces):
        if keys[i] is None and " " not in short:
            roots = by_tail.get(short, set())
            if len(roots) == 1:
                groups.union(next(iter(roots)), i)


def _last_word_links(surfaces: list[str], keys: list[str | None], groups: _Groups,
                     rules: LinkRules) -> None:
    """`알리멘타시옹 쿠시타르` … `쿠시타르`: a one-word mention that is the last word of a
    longer name no dictionary lists (not a company word such as `홀딩스`)."""
    last: dict[str, set[int]] = {}
    for j, full in enumerate(surfaces):
        words = full.split()
        if len(words) > 1 and keys[j] is None and words[-1] not in rules.last_word_stop \
                and _hangul_count(words[-1]) >= 2:
            last.setdefault(words[-1], set()).add(j)
    for i, short in enumerate(surfaces):
        found = last.get(short)
        if found and " " not in short:
            roots = {groups.find(j) for j in found}
            if len(roots) == 1:
                groups.union(roots.pop(), i)


def link_rules_of(finder: object) -> LinkRules:
    """The linking rules of a company finder (its cue file's `link_*` rules), or defaults.

    Built once per cue set and kept on it, so the rename patterns are not compiled again
    for every article."""
    cues = getattr(finder, "cues", None)
    links = getattr(cues, "links", None)
    if not isinstance(links, dict):
        return _DEFAULT_RULES
    built = getattr(cues, "_link_rules", None)
    if built is None:
        built = LinkRules.from_rules(links)
        cues._link_rules = built  # type: ignore[union-attr]
    return built


def _shared_form_keys(surfaces: list[str], keys: list[str | None], finder: _Finder) -> None:
    """A form two entries share (`SK`: the group's short name and the holding company's
    name) means the entry that declares it shared when the article names that entry in
    another form (`SK㈜` … `SK는`), else the entry that owns it (`SK그룹` … `SK는`)."""
    sharers_of = getattr(finder, "sharers_of", None)
    if sharers_of is None:
        return
    named = {key for key, surface in zip(keys, surfaces, strict=True)
             if key is not None and not sharers_of(surface)}
    for i, surface in enumerate(surfaces):
        if keys[i] is None:
            continue
        # a holding company whose legal name is the form (`SK㈜` for `SK`) wins even when
        # the group is named too; another sharer (`삼성전자` for `삼성`) only when it is not
        owner_named = keys[i] in named
        chosen = [name for name in sharers_of(surface) if name in named and name != keys[i]
                  and (not owner_named or norm_alias(name) == norm_alias(surface))]
        if chosen:
            keys[i] = chosen[0]


def link_entities(text: str, matches: list[_Match], finder: _Finder,
                  rules: LinkRules | None = None) -> tuple[list[Entity], list[str]]:
    """Entities (ids E1, E2, … in order of first mention) and, for each match, its entity id."""
    rules = rules if rules is not None else link_rules_of(finder)
    on = rules.enabled
    order = sorted(range(len(matches)), key=lambda i: (matches[i].start, matches[i].end))
    ordered = [matches[i] for i in order]
    surfaces = [text[m.start:m.end] for m in ordered]
    keys = [m.key for m in ordered]
    if "link_dictionary" in on:
        _shared_form_keys(surfaces, keys, finder)
    groups = _Groups(keys)
    by_key: dict[str, int] = {}
    by_alias: dict[str, int] = {}
    for i, (surface, key) in enumerate(zip(surfaces, keys, strict=True)):
        if key is not None and "link_dictionary" in on:
            if key in by_key:
                groups.union(by_key[key], i)
            by_key.setdefault(key, i)
        alias = norm_alias(surface)
        if alias in by_alias and "link_alias" in on:
            groups.union(by_alias[alias], i)
        by_alias.setdefault(alias, i)
    bracketed: set[int] = set()   # names that stand in brackets after another name
    if "link_paren" in on:
        for a, b in _paren_links(text, ordered):
            groups.union(a, b)
            bracketed.add(b)
    if "link_rename" in on:
        for old, new in _rename_links(text, ordered, surfaces, rules):
            groups.union(old, new, rename=True)
    if "link_spelled" in on:
        _spelled_links(surfaces, groups, rules)
    if "link_variant" in on:
        # `푸르덴셜생명` … `푸르덴셜생명보험`: the full form with a generic company word
        first_of: dict[str, int] = {}
        for i, surface in enumerate(surfaces):
            first_of.setdefault(norm_alias(surface), i)
        for i, surface in enumerate(surfaces):
            for suffix in rules.variant_suffixes:
                short = surface[:-len(suffix)].rstrip() if surface.endswith(suffix) else ""
                if len(short) >= 2 and norm_alias(short) in first_of:
                    groups.union(first_of[norm_alias(short)], i)
            for country in rules.country_prefixes:
                short = surface[len(country):].strip() if surface.startswith(country) else ""
                j = first_of.get(norm_alias(short)) if _hangul_count(short) >= 3 else None
                if j is not None and keys[j] is None:
                    groups.union(j, i)
    if "link_prefix" in on:
        _prefix_links(surfaces, keys, groups, rules, bracketed,
                      _named_together(text, ordered, surfaces, bracketed))
        _group_head_links(surfaces, keys, groups, rules)
    if "link_last_word" in on:
        _last_word_links(surfaces, keys, groups, rules)
    by_initials: dict[str, int] = {}
    by_first_word: dict[str, int] = {}
    by_surface: dict[str, int] = {}
    for i, surface in enumerate(surfaces):
        related: list[int | None] = []
        if surface.isupper() and 2 <= len(surface) <= 6 and "link_initials" in on:
            related.append(by_initials.get(surface))
        # (not a name in brackets after another one: `스탠다드차타드(SC)` is the bank, whatever
        # `SC PE` came before it)
        if " " not in surface and "link_first_word" in on and i not in bracketed:
            related.append(by_first_word.get(surface))
        # `싱텔그룹` … `싱텔`, `로레알그룹` … `로레알`: a group form no dictionary lists is
        # its company's other name; a group the dictionary lists on its own stays apart
        # (`셀트리온`, `셀트리온그룹`)
        for suffix in _GROUP_SUFFIXES if "link_group" in on else ():
            longer = by_surface.get(surface + suffix)
            if longer is not None and keys[longer] is None:
                related.append(longer)
            if surface.endswith(suffix) and keys[i] is None:
                related.append(by_surface.get(surface[:-len(suffix)]))
        for j in related:
            if j is not None:
                groups.union(j, i)
        if _initials(surface):
            by_initials.setdefault(_initials(surface), i)
        if " " in surface and surface.split()[-1] not in rules.local_units:
            by_first_word.setdefault(surface.split()[0], i)
        by_surface.setdefault(surface, i)
    # Entities in order of first mention.
    root_to_entity: dict[int, Entity] = {}
    entity_ids: list[str] = [""] * len(ordered)
    for i, surface in enumerate(surfaces):
        root = groups.find(i)
        entity = root_to_entity.get(root)
        if entity is None:
            key = groups.key[root]
            entity = Entity(f"E{len(root_to_entity) + 1}", key or surface, [])
            root_to_entity[root] = entity
        if surface not in entity.aliases:
            entity.aliases.append(surface)
        entity_ids[i] = entity.id
    for root, entity in root_to_entity.items():
        key = groups.key[root]
        if key:
            for form in (key, *finder.forms_of(key)):
                if form not in entity.aliases:
                    entity.aliases.append(form)
    result_ids = [""] * len(matches)
    for position, original in enumerate(order):
        result_ids[original] = entity_ids[position]
    return list(root_to_entity.values()), result_ids
