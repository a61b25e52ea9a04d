"""Entity linking: the COMPANY mentions of one article grouped into companies.

Mentions join one entity when
* the dictionary maps them to the same company (`SK텔레콤`, `SKT`);
* their alias keys are equal (ANNOTATION §5: no spaces, legal forms or case);
* one stands in parentheses right after the other, or beside it inside those
  parentheses (`마이크로소프트(MS)`, `스마트 글로벌 홀딩스'(Smart Global Holdings·SGH)`);
* a later all-capital abbreviation spells the initials of an earlier name
  (`SGH` … `Smart Global Holdings`);
* a one-word mention is the first word of an earlier multi-word name
  (`젠지` … `젠지 이스포츠`), or the name without `그룹` (`싱텔` … `싱텔그룹`).
Two mentions the dictionary knows as different companies are never joined.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Protocol

from pipeline.company_text import CLOSE_QUOTES, norm_alias


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

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        ka, kb = self.key[ra], self.key[rb]
        if ka and kb and ka != kb:
            return
        first, second = min(ra, rb), max(ra, rb)
        self.parent[second] = first
        self.key[first] = ka or kb


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


def link_entities(text: str, matches: list[_Match],
                  finder: _Finder) -> tuple[list[Entity], list[str]]:
    """Entities (ids E1, E2, … in order of first mention) and, for each match, its entity id."""
    order = sorted(range(len(matches)), key=lambda i: (matches[i].start, matches[i].end))
    ordered = [matches[i] for i in order]
    surfaces = [text[m.start:m.end] for m in ordered]
    keys = [m.key for m in ordered]
    groups = _Groups(keys)
    by_key: dict[str, int] = {}
    by_alias: dict[str, int] = {}
    for i, (surface, key) in enumerate(zip(surfaces, keys, strict=True)):
        if key is not None:
            if key in by_key:
                groups.union(by_key[key], i)
            by_key.setdefault(key, i)
        alias = norm_alias(surface)
        if alias in by_alias:
            groups.union(by_alias[alias], i)
        by_alias.setdefault(alias, i)
    for a, b in _paren_links(text, ordered):
        groups.union(a, b)
    by_initials: dict[str, int] = {}
    by_first_word: dict[str, int] = {}
    by_surface: dict[str, int] = {}
    for i, surface in enumerate(surfaces):
        related: list[int | None] = []
        if surface.isupper() and 2 <= len(surface) <= 6:
            related.append(by_initials.get(surface))
        if " " not in surface:
            related.append(by_first_word.get(surface))
        # `싱텔그룹` … `싱텔`; a known company and its group stay apart (the dictionary
        # lists groups on their own: `셀트리온`, `셀트리온그룹`)
        for suffix in _GROUP_SUFFIXES:
            partners = [by_surface.get(surface + suffix)]
            if surface.endswith(suffix):
                partners.append(by_surface.get(surface[:-len(suffix)]))
            related += [j for j in partners
                        if j is not None and keys[i] is None and keys[j] is None]
        for j in related:
            if j is not None:
                groups.union(j, i)
        if _initials(surface):
            by_initials.setdefault(_initials(surface), i)
        if " " in surface:
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
