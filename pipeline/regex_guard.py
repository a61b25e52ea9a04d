"""A first-character guard for the value rules' regexes: same matches, fewer tries.

The value patterns open with optional words, lookbehinds and long alternations
(`(?<![가-힣])(?:오는|지난)?…(?:19|20)\\d{2}년…`), so the `regex` engine walks that tree
at every character of an article although almost no character can start a match.
Prefixing the pattern with a lookahead for the characters a match can start with
(`(?=[오지다이…\\d])`) lets the engine reject the other positions at once: the matches
do not change (a match must start with one of those characters), only the time does.

The set is read off Python's own regex parser (`re._parser`), which accepts the
patterns the rule files use; where a pattern holds something the reading below does
not follow (a negated class, a backreference, case-insensitive letters beyond ASCII),
or could match the empty string, no guard is made and the pattern runs as written.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import regex

try:  # Python 3.11+: the parser's modules are private but stable within a version
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older layouts
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT)}
_CATEGORIES = {sre_constants.CATEGORY_DIGIT: r"\d", sre_constants.CATEGORY_SPACE: r"\s",
               sre_constants.CATEGORY_WORD: r"\w"}
# characters the `regex` module folds together with an ASCII letter besides its two cases
_EXTRA_FOLDS = {"k": "\u212a", "s": "\u017f"}
_GLOBAL_FLAGS = re.compile(r"\(\?[a-zA-Z]+\)")
# syntax of the `regex` module that Python's parser reads as something else: fuzzy
# matching (`(?:abc){e<=1}` may start with any character) and POSIX classes (`[[:alpha:]]`)
_OTHER_SYNTAX = re.compile(r"\{[^}]*[a-z][^}]*\}|\[:")


class _Unguardable(Exception):
    """The pattern holds a construct whose first characters are not worked out here."""


def _literal(code: int, icase: bool) -> set[str]:
    char = chr(code)
    if not icase or char.lower() == char.upper():
        return {regex.escape(char)}
    if not char.isascii():
        raise _Unguardable
    lower = char.lower()
    return {regex.escape(c) for c in (lower, char.upper(), _EXTRA_FOLDS.get(lower, ""))
            if c}


def _class_items(items: list[tuple[Any, Any]], icase: bool) -> set[str]:
    out: set[str] = set()
    for op, arg in items:
        if op is sre_constants.LITERAL:
            out |= _literal(arg, icase)
        elif op is sre_constants.RANGE:
            low, high = arg
            if icase and any(chr(c).lower() != chr(c).upper() for c in range(low, high + 1)):
                raise _Unguardable
            out.add(f"{regex.escape(chr(low))}-{regex.escape(chr(high))}")
        elif op is sre_constants.CATEGORY and arg in _CATEGORIES:
            out.add(_CATEGORIES[arg])
        else:  # NEGATE, negated categories, anything else
            raise _Unguardable
    return out


def _first(items: Any, icase: bool) -> tuple[set[str], bool]:
    """The character-class parts a match of the sequence can start with, and whether the
    sequence can match the empty string."""
    found: set[str] = set()
    for op, arg in items:
        part, nullable = _first_of(op, arg, icase)
        found |= part
        if not nullable:
            return found, False
    return found, True


def _first_of(op: Any, arg: Any, icase: bool) -> tuple[set[str], bool]:
    if op is sre_constants.LITERAL:
        return _literal(arg, icase), False
    if op is sre_constants.IN:
        return _class_items(arg, icase), False
    if op in _ZERO_WIDTH:
        return set(), True
    if op is sre_constants.BRANCH:
        found: set[str] = set()
        nullable = False
        for branch in arg[1]:
            part, empty = _first(branch, icase)
            found |= part
            nullable = nullable or empty
        return found, nullable
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, del_flags, sub = arg
        inner = (icase or bool(add_flags & sre_constants.SRE_FLAG_IGNORECASE)) \
            and not del_flags & sre_constants.SRE_FLAG_IGNORECASE
        return _first(sub, inner)
    if op is getattr(sre_constants, "ATOMIC_GROUP", None):
        return _first(arg, icase)
    if op in _REPEATS:
        low, _high, sub = arg
        part, nullable = _first(sub, icase)
        return part, nullable or low == 0
    raise _Unguardable  # ANY, NOT_LITERAL, back references, conditionals


def first_char_class(pattern: str, flags: int = 0) -> str | None:
    """A character class (`[…]`) holding every character a match of `pattern` can start
    with, or None when that cannot be worked out or a match may be empty."""
    if _GLOBAL_FLAGS.match(pattern) or _OTHER_SYNTAX.search(pattern):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = sre_parse.parse(pattern, flags & (regex.IGNORECASE | regex.VERBOSE))
        parts, nullable = _first(parsed, bool(flags & regex.IGNORECASE))
    except (_Unguardable, re.error, RecursionError, OverflowError):
        return None
    if nullable or not parts:
        return None
    return "[" + "".join(sorted(parts)) + "]"


# Longer patterns are left as they are: compiling the guarded copy costs as much as the
# pattern itself (a third of a second for the money patterns, which open with a number and
# gain almost nothing), paid on every start without the compiled-rules cache.
GUARD_MAX_PATTERN = 4000


def guarded(compiled: regex.Pattern[str]) -> regex.Pattern[str]:
    """`compiled` with its first-character lookahead in front (itself when none is made)."""
    if len(compiled.pattern) > GUARD_MAX_PATTERN:
        return compiled
    char_class = first_char_class(compiled.pattern, compiled.flags)
    if char_class is None:
        return compiled
    try:
        return regex.compile(f"(?={char_class})" + compiled.pattern, compiled.flags)
    except regex.error:
        return compiled
