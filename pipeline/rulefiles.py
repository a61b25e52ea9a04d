"""Loading user-editable YAML rule files: line numbers, schema checks, macros, layers.

Shared by every rule file (values, companies, deals). Nothing here stops at the
first problem: each helper appends `RuleProblem`s to a list and carries on, so
a user sees everything wrong with a file at once, with file, line and rule id.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
import yaml

from pipeline.problems import RuleProblem

__all__ = [
    "DEFAULT_TIMEOUT",
    "LineDict",
    "LineList",
    "LoadedFile",
    "Rule",
    "RuleLayers",
    "check_keys",
    "check_type",
    "compile_cached",
    "compile_regex",
    "expand_macros",
    "finditer_with_timeout",
    "line_of",
    "load_rule_layers",
    "load_yaml",
    "resolve_macros",
    "search_with_timeout",
    "table_alternation",
]

DEFAULT_TIMEOUT = 1.0  # seconds one rule may spend on one text


class LineDict(dict):
    """A YAML mapping that remembers its line and the line of each key (1-based)."""

    line: int | None = None
    key_lines: dict[Any, int]


class LineList(list):
    """A YAML sequence that remembers its line and the line of each item (1-based)."""

    line: int | None = None
    item_lines: list[int]


# libyaml's parser when PyYAML has it: ten times faster than the pure-Python one, which
# took about half a second of every start-up; the constructors below are the same.
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps line numbers, reports duplicate keys and keeps dates as text."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self.duplicate_keys: list[tuple[Any, int]] = []


# `2024-11-04` must stay the string a user wrote, not become a datetime.date.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = str(key)
        line = key_node.start_mark.line + 1
        if key in mapping:
            loader.duplicate_keys.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    return items


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def line_of(obj: Any, key: Any = None) -> int | None:
    """The line of a loaded mapping/sequence, or of one of its keys."""
    if key is not None and isinstance(obj, LineDict):
        return obj.key_lines.get(key, obj.line)
    return getattr(obj, "line", None)


def load_yaml(path: Path) -> tuple[Any, list[RuleProblem]]:
    """Parse one YAML file with line numbers; (None, problems) when it cannot be read."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [RuleProblem(name, None, f"cannot read file: {error}")]
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return None, [RuleProblem(name, None, f"YAML syntax error: {error}", line)]
    finally:
        loader.dispose()
    problems = [RuleProblem(name, None, f"duplicate key {key!r}", line)
                for key, line in loader.duplicate_keys]
    return data, problems


# --- schema helpers -----------------------------------------------------------------

_TYPE_NAMES = {str: "text", int: "integer", float: "number", bool: "true/false",
               dict: "mapping", list: "list", type(None): "null"}


def _type_name(types: tuple[type, ...]) -> str:
    return " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)


def check_type(value: Any, types: type | tuple[type, ...], what: str, *, file: str,
               rule: str | None, line: int | None, problems: list[RuleProblem]) -> bool:
    """Append a problem unless `value` has one of `types` (bool is not an int here)."""
    wanted = types if isinstance(types, tuple) else (types,)
    ok = isinstance(value, wanted) and not (isinstance(value, bool) and bool not in wanted)
    if not ok:
        problems.append(RuleProblem(
            file, rule, f"{what} must be {_type_name(wanted)}, not {type(value).__name__}"
            f" ({value!r})", line))
    return ok


def check_keys(mapping: Mapping[str, Any], *, required: Iterable[str], optional: Iterable[str],
               file: str, rule: str | None, what: str,
               problems: list[RuleProblem]) -> bool:
    """Report missing required keys and unknown keys (with a "did you mean" hint)."""
    required = list(required)
    known = required + list(optional)
    ok = True
    for key in required:
        if key not in mapping:
            problems.append(RuleProblem(file, rule, f"{what} is missing required key '{key}'",
                                        line_of(mapping)))
            ok = False
    for key in mapping:
        if key in known:
            continue
        hint = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else \
            f"; known keys: {', '.join(known)}"
        problems.append(RuleProblem(file, rule, f"unknown key '{key}' in {what}{suggestion}",
                                    line_of(mapping, key)))
        ok = False
    return ok


@functools.lru_cache(maxsize=4096)
def compile_cached(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """`regex.compile`, kept for the process: rules compiled again (a user folder on top
    of the built-in rules, a test, a cache rebuild) reuse the patterns already built, which
    `regex`'s own cache of 500 cannot hold (the deal rules alone make about 600)."""
    return regex.compile(pattern, flags)


def compile_regex(pattern: str, *, file: str, rule: str | None, line: int | None,
                  problems: list[RuleProblem], flags: int = 0) -> regex.Pattern[str] | None:
    """Compile with the `regex` module; a bad pattern becomes a problem naming the error."""
    try:
        return compile_cached(pattern, flags)
    except (regex.error, TypeError, ValueError, OverflowError) as error:
        problems.append(RuleProblem(file, rule, f"bad regex: {error} in pattern {pattern!r}",
                                    line))
        return None


# --- macros ---------------------------------------------------------------------------

_MACRO_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class MacroError(ValueError):
    """A `{name}` reference that cannot be expanded (unknown name or a cycle)."""


def expand_macros(pattern: str, macros: Mapping[str, str]) -> str:
    """Replace each `{name}` by `(?:macro)`; quantifiers such as `{2,3}` are left alone.

    `macros` must already be resolved (see `resolve_macros`).
    """
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            hint = difflib.get_close_matches(name, list(macros), n=1)
            more = f"; did you mean '{{{hint[0]}}}'?" if hint else ""
            raise MacroError(f"unknown macro '{{{name}}}'{more}")
        return f"(?:{macros[name]})"

    return _MACRO_REF.sub(replace, pattern)


def resolve_macros(macros: Mapping[str, str], *, file: str,
                   lines: Mapping[str, int | None] | None = None,
                   problems: list[RuleProblem]) -> dict[str, str]:
    """Expand macros that use other macros; report unknown names and cycles."""
    resolved: dict[str, str] = {}
    lines = lines or {}

    def resolve(name: str, stack: tuple[str, ...]) -> str:
        if name in resolved:
            return resolved[name]
        if name in stack:
            raise MacroError("macro cycle: " + " → ".join((*stack, name)))

        def replace(match: re.Match[str]) -> str:
            inner = match.group(1)
            if inner not in macros:
                hint = difflib.get_close_matches(inner, list(macros), n=1)
                more = f"; did you mean '{{{hint[0]}}}'?" if hint else ""
                raise MacroError(f"unknown macro '{{{inner}}}'{more}")
            return f"(?:{resolve(inner, (*stack, name))})"

        resolved[name] = _MACRO_REF.sub(replace, str(macros[name]))
        return resolved[name]

    for name in macros:
        try:
            resolve(name, ())
        except MacroError as error:
            problems.append(RuleProblem(file, f"macro {name}", str(error), lines.get(name)))
            resolved[name] = "(?!)"  # never matches, so later errors stay readable
    return resolved


def table_alternation(words: Iterable[str], patterns: Mapping[str, str] | None = None) -> str:
    """A regex alternation of table words, longest first; a space in a word is optional.

    `patterns` gives a hand-written regex for words that need context (`올` only
    before a period word, `동` only after 만/억/조).
    """
    patterns = patterns or {}
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        if word in patterns:
            parts.append(f"(?:{patterns[word]})")
        else:
            parts.append(r"[ \t\u00a0]?".join(regex.escape(piece) for piece in word.split()))
    return "|".join(parts) if parts else "(?!)"


# --- layers ----------------------------------------------------------------------------

@dataclass
class Rule:
    """One rule as written, with where it came from."""

    id: str
    data: LineDict
    file: Path
    line: int | None


@dataclass
class LoadedFile:
    """One rule file of one layer: its top-level mapping (rules list excluded)."""

    path: Path
    top: LineDict


@dataclass
class RuleLayers:
    """Rule files of the same name from several folders, merged by rule id."""

    filename: str
    files: list[LoadedFile] = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)
    problems: list[RuleProblem] = field(default_factory=list)

    def merged_section(self, key: str) -> dict[Any, Any]:
        """A top-level mapping section merged over layers (later keys override)."""
        merged: dict[Any, Any] = {}
        for loaded in self.files:
            section = loaded.top.get(key)
            if isinstance(section, Mapping):
                merged.update(section)
        return merged

    def section_lines(self, key: str) -> dict[Any, int | None]:
        lines: dict[Any, int | None] = {}
        for loaded in self.files:
            section = loaded.top.get(key)
            if isinstance(section, LineDict):
                lines.update(section.key_lines)
        return lines

    def top_value(self, key: str) -> Any:
        """The value of a top-level scalar in the last layer that sets it."""
        value = None
        for loaded in self.files:
            if key in loaded.top:
                value = loaded.top[key]
        return value

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())


def load_rule_layers(dirs: list[Path], filename: str, *, rules_key: str = "rules",
                     id_key: str = "id") -> RuleLayers:
    """Load `filename` from each folder in order; later rules override earlier ones by id.

    The built-in folder comes first, then user folders (`--rules DIR`). A folder
    without the file is skipped. Duplicate ids inside one file, rules without an
    id and non-mapping entries are reported; everything else is checked by the
    caller, which knows the schema.
    """
    layers = RuleLayers(filename)
    for folder in dirs:
        path = Path(folder) / filename
        if not path.is_file():
            continue
        name = str(path)
        data, problems = load_yaml(path)
        layers.problems.extend(problems)
        if data is None:
            if not problems:  # an empty file is allowed
                layers.files.append(LoadedFile(path, _empty_top()))
            continue
        if not isinstance(data, LineDict):
            layers.problems.append(RuleProblem(
                name, None, f"the file must be a mapping with a '{rules_key}:' list", 1))
            continue
        top = LineDict({k: v for k, v in data.items() if k != rules_key})
        top.line, top.key_lines = data.line, dict(data.key_lines)
        layers.files.append(LoadedFile(path, top))
        rules = data.get(rules_key, [])
        if rules is None:
            continue
        if not isinstance(rules, list):
            layers.problems.append(RuleProblem(name, None, f"'{rules_key}' must be a list",
                                               line_of(data, rules_key)))
            continue
        seen: dict[str, int | None] = {}
        for index, item in enumerate(rules):
            item_line = rules.item_lines[index] if isinstance(rules, LineList) else None
            if not isinstance(item, LineDict):
                layers.problems.append(RuleProblem(
                    name, None, f"rule #{index + 1} must be a mapping", item_line))
                continue
            rule_id = item.get(id_key)
            if not isinstance(rule_id, str) or not rule_id.strip():
                layers.problems.append(RuleProblem(
                    name, None, f"rule #{index + 1} has no '{id_key}' (a non-empty text)",
                    item.line))
                continue
            if rule_id in seen:
                layers.problems.append(RuleProblem(
                    name, rule_id, f"duplicate id '{rule_id}' (first at line {seen[rule_id]})",
                    item.line))
                continue
            seen[rule_id] = item.line
            # same id in a later folder: replace in place, keeping the original order
            layers.rules[rule_id] = Rule(rule_id, item, path, item.line)
    return layers


def _empty_top() -> LineDict:
    top = LineDict()
    top.line, top.key_lines = 1, {}
    return top


# --- matching with a time limit ---------------------------------------------------------

class RegexTimeout(TimeoutError):
    """A rule's regex took longer than its time limit on one text."""


def finditer_with_timeout(pattern: regex.Pattern[str], text: str,
                          timeout: float = DEFAULT_TIMEOUT) -> list[regex.Match[str]]:
    """All matches, or `RegexTimeout` when the whole scan exceeds `timeout` seconds."""
    try:
        return list(pattern.finditer(text, timeout=timeout))
    except TimeoutError as error:
        raise RegexTimeout(f"regex timed out after {timeout:g} s") from error


def search_with_timeout(pattern: regex.Pattern[str], text: str,
                        timeout: float = DEFAULT_TIMEOUT) -> regex.Match[str] | None:
    """The first match, or `RegexTimeout` after `timeout` seconds."""
    try:
        return pattern.search(text, timeout=timeout)
    except TimeoutError as error:
        raise RegexTimeout(f"regex timed out after {timeout:g} s") from error
