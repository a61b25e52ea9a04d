"""Morpheme patterns for deal rules: a small language over Kiwi morphemes, compiled to regex.

A sentence is encoded as one string with a unit per morpheme, ``form␞TAG␟``, so
a rule such as ``투자/NNG 하/XSV`` matches every conjugation (투자했다, 투자한,
투자해, 투자하며 …) without listing surfaces. Pattern elements, separated by spaces:

* ``FORMS/TAGS`` — one morpheme. FORMS is ``a|b|@set`` (literal forms, ``@name`` a
  word set from the file's ``words:`` section; empty = any form); TAGS is a regex
  over Kiwi tags (``NNG``, ``NN.``, ``J.*``; omitted = any tag). Latin forms match
  without regard to case.
* a trailing ``?`` makes an element optional; a leading ``!`` makes it a check
  that the next morpheme is *not* this one (it consumes nothing).
* ``~N`` — up to N arbitrary morphemes (the fewest that let the rest match); a
  bracketed or quoted aside of up to 12 morphemes counts as one, and so does a run of
  list items with their separators (`SK네트웍스, KT, `, `A와 B를 비롯해 `), and a written
  number with its unit (`123억4500만원`).
* ``%N`` — up to N morphemes inside one clause: none of them ends a sentence, a
  clause or a quotation (`EF`, `EC`, `SF`, the quoting `고`/`라고` `JKQ`), so a noun
  and a verb of different clauses never pair up (`예비입찰에는 A, B, C가 참여했다`
  matches `입찰/NNG %20 참여/NNG`).
* ``^`` / ``$`` — start / end of the text (``$`` lets trailing punctuation pass).

A pattern always starts at a morpheme boundary (`투자` never matches inside `재투자`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

from pipeline.rulefiles import compile_cached

FIELD = "\x1e"  # between form and tag
UNIT = "\x1f"   # after each morpheme
_SINGLE_UNIT = f"[^{UNIT}]*{UNIT}"
_SINGLE_IN_CLAUSE = f"[^{UNIT}{FIELD}]*{FIELD}(?!(?:EF|EC|SF|JKQ){UNIT})[^{UNIT}]*{UNIT}"
# A bracketed or quoted aside (`(ICONIQ)`, `(약 18조원)`, `‘어쌔신 크리드’`) counts as one
# unit of a gap: it adds nothing to the sentence's structure, so a window is not used up
# by an English name or a converted amount.
MAX_ASIDE = 12
_ASIDE = (f"[^{UNIT}]*{FIELD}SSO{UNIT}(?:[^{UNIT}]*{FIELD}(?!SSO{UNIT}|SSC{UNIT})[^{UNIT}]*{UNIT})"
          f"{{0,{MAX_ASIDE}}}[^{UNIT}]*{FIELD}SSC{UNIT}")
# So does a run of list items with their separators (`SK네트웍스, KT, `, `농협은행과 NH투자증권을
# 비롯해 `): a list of partners or investors is as long as the news makes it. The run is
# atomic (taken whole), so a long list costs no backtracking.
_NOMINAL = f"[^{UNIT}{FIELD}]*{FIELD}(?:NNP|NNG|SL|SH|SN|XSN){UNIT}"
_LIST_SEPARATOR = (f"(?:[,·/]{FIELD}SP{UNIT}|(?:와|과){FIELD}JC{UNIT}|및{FIELD}MAG{UNIT}"
                   f"|(?:을|를){FIELD}JKO{UNIT}(?:비롯하{FIELD}VV{UNIT}|비롯{FIELD}XR{UNIT}"
                   f"하{FIELD}XSV{UNIT}|포함{FIELD}NNG{UNIT}하{FIELD}XSV{UNIT})"
                   f"[^{UNIT}{FIELD}]*{FIELD}(?:EC|ETM){UNIT})")
_LIST_RUN = f"(?>(?:(?:{_NOMINAL}|{_ASIDE}){{1,5}}{_LIST_SEPARATOR})+)"
# And so does a written number with its unit (`123억4500만원`, `51%`, `2조원`).
_NUMBER_RUN = (f"(?>(?:[^{UNIT}{FIELD}]*{FIELD}(?:SN|NR){UNIT})+"
               f"(?:[^{UNIT}{FIELD}]*{FIELD}(?:NNB|SW|NNG){UNIT})?)")
# And a verb used as an adverb of sequence (`잇달아`, `잇따라`, `연달아`, `앞다퉈`) ends no
# clause: `지분을 잇달아 확보했다` is one clause.
_ADVERB_VERB = (f"(?:잇달|잇따르|연달|다투){FIELD}VV{UNIT}"
                f"(?:어|아|라){FIELD}EC{UNIT}")
ANY_UNIT = f"(?:{_ASIDE}|{_LIST_RUN}|{_NUMBER_RUN}|{_SINGLE_UNIT})"
IN_CLAUSE_UNIT = f"(?:{_ASIDE}|{_LIST_RUN}|{_NUMBER_RUN}|{_ADVERB_VERB}|{_SINGLE_IN_CLAUSE})"
TRAILING_PUNCT = f"(?:[^{UNIT}]*{FIELD}(?:SF|SE|SSC|SSO|SP|SW|SO){UNIT})*"


class PatternError(ValueError):
    """A pattern that cannot be compiled, with the reason."""


def normalize_tag(tag: str) -> str:
    """Kiwi marks irregular verbs `VV-R`/`VV-I`; rules see plain `VV`."""
    return tag.split("-", 1)[0] if tag[:1] == "V" else tag


@lru_cache(maxsize=65536)
def _piece(form: str, tag: str) -> str:
    return f"{form.replace(FIELD, '').replace(UNIT, '')}{FIELD}{normalize_tag(tag)}{UNIT}"


def encode_units(units: Sequence[tuple[str, str]]) -> tuple[str, list[int]]:
    """Encode morphemes; returns the string and the offset where each unit starts (+ end)."""
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for form, tag in units:
        piece = _piece(form, tag)
        starts.append(pos)
        parts.append(piece)
        pos += len(piece)
    starts.append(pos)
    return "".join(parts), starts


def _forms_regex(text: str, words: Mapping[str, Sequence[str]]) -> str:
    if not text:
        return f"[^{FIELD}{UNIT}]*"
    alternatives: list[str] = []
    for item in text.split("|"):
        if not item:
            raise PatternError("empty alternative in forms")
        if item.startswith("@"):
            name = item[1:]
            if name not in words:
                raise PatternError(f"unknown word set '@{name}'")
            alternatives.extend(str(w) for w in words[name])
        else:
            alternatives.append(item)
    ordered = sorted(set(alternatives), key=lambda w: (-len(w), w))
    body = "|".join(regex.escape(w) for w in ordered)
    return f"(?i:{body})" if any(c.isascii() and c.isalpha() for c in body) else f"(?:{body})"


def _element_regex(element: str, words: Mapping[str, Sequence[str]]) -> str:
    if element == "^":
        return r"\A"
    if element == "$":
        return TRAILING_PUNCT + r"\Z"
    if element.startswith("~"):
        count = element[1:]
        if not count.isdigit():
            raise PatternError(f"gap '{element}' must be ~N with a number")
        return f"(?:{ANY_UNIT}){{0,{int(count)}}}?"
    if element.startswith("%"):
        count = element[1:]
        if not count.isdigit():
            raise PatternError(f"gap '{element}' must be %N with a number")
        return f"(?:{IN_CLAUSE_UNIT}){{0,{int(count)}}}?"
    negative = element.startswith("!")
    optional = element.endswith("?") and len(element) > 1
    core = element[1 if negative else 0: -1 if optional else None]
    if "/" in core:
        forms, tags = core.rsplit("/", 1)
    else:
        forms, tags = core, ""
    if negative and optional:
        raise PatternError(f"'{element}': an element cannot be both ! and ?")
    tag_regex = f"(?:{tags})" if tags else f"[^{UNIT}]*"
    try:
        regex.compile(tag_regex)
    except regex.error as error:
        raise PatternError(f"bad tag regex in '{element}': {error}") from None
    unit = f"{_forms_regex(forms, words)}{FIELD}{tag_regex}{UNIT}"
    if negative:
        return f"(?!{unit})"
    return f"(?:{unit})?" if optional else f"(?:{unit})"


def _element_forms(element: str, words: Mapping[str, Sequence[str]]) -> frozenset[str] | None:
    """The forms one element must have (case-folded), or None when it can be anything or absent."""
    if element in ("^", "$") or element[:1] in ("~", "%", "!") or element.endswith("?"):
        return None
    forms = element.rsplit("/", 1)[0] if "/" in element else element
    if not forms:
        return None
    return frozenset(form.casefold() for form in _form_items(forms, words))


def _form_items(forms: str, words: Mapping[str, Sequence[str]]) -> list[str]:
    """The forms of `a|b|@set` with word sets expanded (unknown sets and empty alternatives,
    which `pattern_regex` rejects, give nothing)."""
    out: list[str] = []
    for item in forms.split("|"):
        if item.startswith("@"):
            out.extend(str(w) for w in words.get(item[1:], ()))
        elif item:
            out.append(item)
    return out


# Forms found in nearly every sentence (particles, endings, light verbs): a pattern is
# indexed by a required element without them when it has one (`투자/NNG 하/XSV` by 투자),
# so that a sentence tries few patterns. Only speed depends on this list.
_COMMON_FORMS = frozenset([
    "하", "되", "있", "받", "이", "가", "을", "를", "은", "는", "의", "에", "에서", "로", "으로",
    "와", "과", "도", "만", "고", "다", "었", "았", "어", "아", "게", "지", "기", "ᆫ", "ᆯ", "겠",
    ".", ","])


def _index_set(sets: Sequence[frozenset[str]]) -> frozenset[str] | None:
    """The required set a pattern is indexed by: the smallest without a common form, else
    the smallest."""
    return min(sets, key=lambda forms: (not forms.isdisjoint(_COMMON_FORMS), len(forms))) \
        if sets else None


def required_forms(pattern: str, words: Mapping[str, Sequence[str]] | None = None,
                   ) -> frozenset[str] | None:
    """Forms of which a sentence must hold at least one for the pattern to match.

    The smallest literal set among the pattern's required elements, preferring one with
    no common form; None when no element names its forms. A cheap test that skips most
    patterns on most sentences.
    """
    return _index_set(required_sets(pattern, words))


def required_sets(pattern: str, words: Mapping[str, Sequence[str]] | None = None,
                  ) -> tuple[frozenset[str], ...]:
    """For every element that names its forms, the forms one of which a match needs."""
    return tuple(f for f in (_element_forms(e, words or {}) for e in pattern.split()) if f)


def first_forms(pattern: str, words: Mapping[str, Sequence[str]] | None = None,
                ) -> frozenset[str] | None:
    """The forms the unit where a match starts must have (case-folded), or None when the
    pattern's first element can be anything or absent (a gap, `!`, `?`, `^`)."""
    elements = pattern.split()
    return _element_forms(elements[0], words or {}) if elements else None


def noun_forms(pattern: str, words: Mapping[str, Sequence[str]] | None = None) -> set[str]:
    """The literal forms the pattern's common-noun elements name (`인수전` of `인수전/NNG`)."""
    out: set[str] = set()
    for element in pattern.split():
        core = element.lstrip("!").rstrip("?")
        if "/" not in core or element[:1] in ("~", "%"):
            continue
        forms, tags = core.rsplit("/", 1)
        try:
            if not regex.fullmatch(f"(?:{tags})", "NNG"):
                continue
        except regex.error:
            continue
        out.update(_form_items(forms, words or {}))
    return out


@lru_cache(maxsize=65536)
def unit_form(form: str) -> str:
    """A morpheme's form as the prefilter compares it (as encoded, case-folded)."""
    return form.replace(FIELD, "").replace(UNIT, "").casefold()


def pattern_regex(pattern: str, words: Mapping[str, Sequence[str]] | None = None) -> str:
    """The regex source of one pattern (raises `PatternError`)."""
    elements = pattern.split()
    if not elements:
        raise PatternError("empty pattern")
    body = "".join(_element_regex(e, words or {}) for e in elements)
    return body if elements[0] == "^" else f"(?:(?<={UNIT})|\\A){body}"


@dataclass(frozen=True)
class MorphPattern:
    """A compiled pattern; `source` is what the rule file says."""

    source: str
    compiled: regex.Pattern[str]
    required: frozenset[str] | None = None
    required_all: tuple[frozenset[str], ...] = ()

    @classmethod
    def compile(cls, source: str, words: Mapping[str, Sequence[str]] | None = None,
                ) -> MorphPattern:
        try:
            compiled = compile_cached(pattern_regex(source, words))
        except regex.error as error:
            raise PatternError(str(error)) from None
        sets = required_sets(source, words)
        return cls(source, compiled, _index_set(sets), sets)

    def may_match(self, forms: frozenset[str] | set[str]) -> bool:
        """False when the sentence (its `unit_form`s) cannot hold a match."""
        return self.required is None or not self.required.isdisjoint(forms)

    def may_match_all(self, forms: frozenset[str] | set[str]) -> bool:
        """False when the sentence lacks the forms of any one required element (a stricter,
        still cheap test than `may_match`: most candidates fail it without a regex run)."""
        return all(not needed.isdisjoint(forms) for needed in self.required_all)
