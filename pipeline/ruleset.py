"""All rule files of a run, loaded and compiled once per process.

The built-in `rules/` folder comes first; each `--rules DIR` is layered on top
(a rule with the same id overrides, new ids are added).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.problems import RuleError, RuleProblem


def default_rules_dir() -> Path:
    """The repository's `rules/` folder, or the copy installed with the package."""
    repo_rules = Path(__file__).resolve().parent.parent / "rules"
    if repo_rules.is_dir():
        return repo_rules
    return Path(str(resources.files("pipeline") / "builtin_rules"))


def rule_dirs(extra: list[Path] | None = None, include_default: bool = True) -> list[Path]:
    dirs = [default_rules_dir()] if include_default else []
    return dirs + [Path(d) for d in extra or []]


def rules_hash(dirs: list[Path]) -> str:
    """A hash of every rule file's name and bytes: output made with other rules is redone."""
    digest = hashlib.sha256()
    for folder in dirs:
        for path in sorted(Path(folder).glob("*.yaml")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Ruleset:
    """The compiled matchers of one run."""

    dirs: list[Path]
    values: Any
    companies: Any
    deals: Any
    problems: list[RuleProblem] = field(default_factory=list)

    @property
    def hash(self) -> str:
        return rules_hash(self.dirs)

    def check_examples(self) -> tuple[int, list[RuleProblem]]:
        """Run every example of every rule file; returns the count and the failures."""
        total, failures = 0, []
        for part in (self.values, self.companies, self.deals):
            if part is None:
                continue
            count, problems = part.check_examples()
            total += count
            failures.extend(problems)
        return total, failures


_LOADED: dict[tuple[tuple[str, ...], bool, str], Ruleset] = {}


def load_ruleset(dirs: list[Path], strict: bool = True) -> Ruleset:
    """Load every rule file; with `strict`, raise `RuleError` listing all problems.

    Loaded once per process for the same folders and file contents: the runner asks
    in the main process and again in each worker (with `--jobs 1` the same process),
    and workers forked from the main process inherit what it loaded.
    """
    key = (tuple(str(Path(d)) for d in dirs), strict, rules_hash(dirs))
    cached = _LOADED.get(key)
    if cached is not None:
        return cached
    ruleset = _load(dirs, strict)
    if len(_LOADED) >= 4:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[key] = ruleset
    return ruleset


def _load(dirs: list[Path], strict: bool) -> Ruleset:
    from pipeline.companies import load_company_rules
    from pipeline.deals import load_deal_rules
    from pipeline.valuerules import load_value_rules

    problems: list[RuleProblem] = []
    for folder in dirs:
        if not Path(folder).is_dir():
            problems.append(RuleProblem(str(folder), None, "rules folder does not exist"))
    values, found = load_value_rules(dirs)
    problems += found
    companies, found = load_company_rules(dirs)
    problems += found
    deals, found = load_deal_rules(dirs)
    problems += found
    if strict and problems:
        raise RuleError(problems)
    return Ruleset(dirs=dirs, values=values, companies=companies, deals=deals, problems=problems)
