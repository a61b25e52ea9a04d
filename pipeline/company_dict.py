"""The company dictionary (`rules/companies.yaml`) and its matcher over raw text.

One Aho–Corasick automaton holds every surface form; a hit counts only at Korean
word edges (particles may follow, a longer word may not) and the longest hit wins.
Whether a hit of an ambiguous form (`confirm:`) is a company is decided later with
its context (pipeline/companies.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from pipeline.company_text import (
    extend_legal_form,
    has_hangul,
    left_edge_ok,
    norm_alias,
    right_edge_ok,
)
from pipeline.company_yaml import load_layers
from pipeline.problems import RuleProblem

FILENAME = "companies.yaml"
_KNOWN_KEYS = {"name", "en", "aka", "confirm", "strict", "shares", "drop", "_file", "_line"}


@dataclass(frozen=True)
class DictEntry:
    """One company: its canonical name and every form it is written in."""

    name: str
    names: tuple[str, ...]
    confirm: frozenset[str]
    file: str = ""
    line: int | None = None
    strict: frozenset[str] = frozenset()   # confirmed only by another form of the entry
    # forms another entry owns that mean this company when the article names it
    # (`SK` is `SK그룹`'s, and means `SK㈜` in an article that writes `SK㈜`)
    shares: tuple[str, ...] = ()


@dataclass(frozen=True)
class DictHit:
    """A dictionary form found at word edges; `start`/`end` include attached legal forms."""

    start: int
    end: int
    key: str
    form: str
    weak: bool
    strict: bool = False


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ValueError("expected a string or a list of strings")


class _SameLengthLower(dict):
    """`str.translate` table: each character's lower case when that is one character."""

    def __missing__(self, code: int) -> int:
        lower = chr(code).lower()
        self[code] = value = ord(lower) if len(lower) == 1 else code
        return value


_LOWER = _SameLengthLower()


def _lower_same_length(text: str) -> str:
    """Lower case character by character, keeping every offset (`İ` stays one character)."""
    return text.translate(_LOWER)


# two Hangul words side by side, each of two syllables or more (overlapping pairs)
_TWO_WORDS = re.compile(r"(?<![가-힣])([가-힣]{2,}) (?=([가-힣]{2,}))")


class CompanyDictionary:
    """Known companies, looked up by surface form or by alias key."""

    def __init__(self, entries: list[DictEntry]):
        self.entries = {e.name: e for e in entries}
        self._by_alias: dict[str, str] = {}
        self._automaton = ahocorasick.Automaton()
        self._forms: dict[str, list[tuple[str, str]]] = {}
        self._sharers: dict[str, tuple[str, ...]] = {}
        for entry in entries:
            for form in entry.shares:
                key = form.lower()
                self._sharers[key] = (*self._sharers.get(key, ()), entry.name)
            for form in entry.names:
                self._by_alias.setdefault(norm_alias(form), entry.name)
                variants = {form, form.replace(" ", "")}
                for variant in variants:
                    if not variant:
                        continue
                    self._forms.setdefault(variant.lower(), []).append((variant, entry.name))
        for lowered, pairs in self._forms.items():
            self._automaton.add_word(lowered, (lowered, pairs))
        if self._forms:
            self._automaton.make_automaton()

    def key_of(self, name: str) -> str | None:
        """Canonical name of the company `name` refers to: the entry that writes it so,
        else by alias comparison (`SK㈜` is SK㈜'s, though its alias key is `SK`'s)."""
        lowered = name.lower()
        for written in (lowered, lowered.replace("(주)", "㈜"), lowered.replace("㈜", "(주)")):
            pairs = self._forms.get(written)
            if pairs:
                return pairs[0][1]
        return self._by_alias.get(norm_alias(name))

    def sharers_of(self, name: str) -> tuple[str, ...]:
        """Entries that may also be meant by `name`, a form another entry owns (`shares`)."""
        return self._sharers.get(name.lower(), ())

    def forms(self, key: str) -> tuple[str, ...]:
        entry = self.entries.get(key)
        return entry.names if entry else ()

    def is_weak(self, key: str, form: str) -> bool:
        entry = self.entries.get(key)
        return bool(entry) and form in entry.confirm

    def is_strict(self, key: str, form: str) -> bool:
        entry = self.entries.get(key)
        return bool(entry) and form in entry.strict

    def _accept_case(self, original: str, variant: str) -> bool:
        # Short Latin forms (KT, MS, SK) match only as written; longer ones ignore case.
        if original == variant:
            return True
        letters = [c for c in variant if c.isascii() and c.isalpha()]
        return len(letters) >= 4 and not has_hangul(variant)

    def _spaced_hits(self, text: str) -> list[DictHit]:
        """`일라이 릴리`, `노보 노디스크`, `사우디 아람코`: a Hangul name the dictionary writes as
        one word, written as two (each word two syllables or more)."""
        hits: list[DictHit] = []
        for m in _TWO_WORDS.finditer(text):
            first, second = m.group(1), m.group(2)
            if not left_edge_ok(text, m.start()):
                continue
            for cut in range(len(second), 1, -1):
                joined = first + second[:cut]
                pairs = self._forms.get(joined.lower())
                end = m.start(2) + cut
                if not pairs or not right_edge_ok(text, end):
                    continue
                variant, name = pairs[0]
                if not self.is_weak(name, variant):
                    hits.append(DictHit(m.start(), end, name, text[m.start():end], False))
                break
        return hits

    def scan(self, text: str) -> list[DictHit]:
        """All dictionary hits at word edges, non-overlapping, longest first."""
        if not self._forms:
            return []
        lowered = _lower_same_length(text)
        raw: list[DictHit] = []
        for end_index, (key_lower, pairs) in self._automaton.iter(lowered):
            end = end_index + 1
            start = end - len(key_lower)
            original = text[start:end]
            if not left_edge_ok(text, start) or not right_edge_ok(text, end):
                continue
            for variant, name in pairs:
                if self._accept_case(original, variant):
                    s, e = extend_legal_form(text, start, end)
                    # (`대상㈜`: a legal-form marker makes even a common word a company)
                    bare = (s, e) == (start, end)
                    if not bare:
                        # `SK㈜`: the entry that writes the name with its marker, if any
                        name = self.key_of(text[s:e]) or name
                    raw.append(DictHit(s, e, name, original,
                                       self.is_weak(name, variant) and bare,
                                       self.is_strict(name, variant) and bare))
                    break
        raw.extend(self._spaced_hits(text))
        raw.sort(key=lambda h: (-(h.end - h.start), h.start))
        chosen: list[DictHit] = []
        taken = bytearray(len(text))
        for hit in raw:
            if any(taken[hit.start:hit.end]):
                continue
            chosen.append(hit)
            taken[hit.start:hit.end] = b"\x01" * (hit.end - hit.start)
        return sorted(chosen, key=lambda h: h.start)


def _hanja_forms(names: tuple[str, ...], hanja_short: dict[str, str]) -> list[str]:
    """`삼성重` for `삼성중공업`, `LG電` for `LG전자`: headline short forms that write the
    company word as one Chinese character after the group's name (at least two letters)."""
    forms = []
    for form in names:
        for word, char in hanja_short.items():
            if form.endswith(word) and len(form) - len(word) >= 2:
                forms.append(form[:-len(word)] + char)
    return forms


def parse_entries(items: list[dict], hanja_short: dict[str, str] | None = None,
                  ) -> tuple[list[DictEntry], list[RuleProblem]]:
    """Check and convert raw YAML entries; every problem is reported, none stops the rest.

    Headline short forms (`hanja_short`) are added to an entry's names unless another
    entry already owns them."""
    entries: list[DictEntry] = []
    problems: list[RuleProblem] = []
    owner: dict[str, str] = {}
    written = [(item["name"], *_safe_list(item.get("en")), *_safe_list(item.get("aka")))
               for item in items]
    # every form any entry writes out, so that a derived short form never takes one
    all_keys = {norm_alias(f) for forms in written for f in forms}
    # a short form two entries would derive (`KB證`: KB증권, KB투자증권) is nobody's
    derived_by = Counter(norm_alias(f) for forms in written
                         for f in set(_hanja_forms(forms, hanja_short or {})))
    all_keys |= {key for key, count in derived_by.items() if count > 1}
    for item in items:
        file, line, name = item.get("_file", FILENAME), item.get("_line"), item["name"]
        unknown = set(item) - _KNOWN_KEYS
        if unknown:
            problems.append(RuleProblem(file, name, f"unknown keys: {sorted(unknown)}", line))
        try:
            en = _as_list(item.get("en"))
            aka = _as_list(item.get("aka"))
            confirm = _as_list(item.get("confirm"))
            strict = _as_list(item.get("strict"))
            shares = _as_list(item.get("shares"))
        except ValueError as err:
            problems.append(RuleProblem(file, name, str(err), line))
            continue
        names = tuple(dict.fromkeys([name, *en, *aka]))
        bad = [c for c in [*confirm, *strict] if c not in names]
        derived = [f for f in _hanja_forms(names, hanja_short or {})
                   if f not in names and norm_alias(f) not in all_keys]
        names = (*names, *derived)
        if bad:
            problems.append(RuleProblem(file, name, f"confirm names not in the entry: {bad}",
                                        line))
        shared_keys = {norm_alias(form) for form in shares}
        for form in names:
            key = norm_alias(form)
            if not key:
                problems.append(RuleProblem(file, name, f"empty form {form!r}", line))
            elif key in shared_keys:
                continue  # `SK㈜` beside the shared `SK`: the same name with a legal form
            elif key in owner and owner[key] != name:
                problems.append(RuleProblem(
                    file, name, f"form {form!r} also belongs to {owner[key]!r}", line))
            else:
                owner[key] = name
        entries.append(DictEntry(name, names, frozenset([*confirm, *strict]), file, line,
                                 frozenset(strict), tuple(shares)))
    for entry in entries:
        for form in entry.shares:
            if owner.get(norm_alias(form), entry.name) == entry.name:
                problems.append(RuleProblem(
                    entry.file, entry.name,
                    f"shared form {form!r} is no form of another entry", entry.line))
    return entries, problems


def _safe_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def load_dictionary(dirs: list[Path]) -> tuple[CompanyDictionary, list[RuleProblem]]:
    items, settings, problems = load_layers(dirs, FILENAME, "companies", "name")
    hanja = settings.get("hanja_short") or {}
    if not isinstance(hanja, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in hanja.items()):
        problems.append(RuleProblem(FILENAME, "hanja_short",
                                    "hanja_short maps a company word to one character", None))
        hanja = {}
    entries, found = parse_entries(items, dict(hanja))
    return CompanyDictionary(entries), problems + found
