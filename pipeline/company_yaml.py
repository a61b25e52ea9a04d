"""Layered loading of the company rule files (`companies.yaml`, `company_cues.yaml`).

A thin adapter over the shared loader `pipeline.rulefiles.load_rule_layers`:
entries are keyed (by `name` or `id`), a later rules folder replaces an entry
with the same key, and `drop: true` there removes it. Every entry keeps its file
and line (`_file`, `_line`) so problems point at the right place.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.problems import RuleProblem
from pipeline.rulefiles import load_rule_layers


def load_layers(dirs: list[Path], filename: str, list_key: str,
                id_key: str) -> tuple[list[dict], dict[str, Any], list[RuleProblem]]:
    """Entries of `filename` from every folder, later folders overriding by `id_key`.

    Returns the entries in first-seen order, the merged top-level settings (every key
    but `list_key`; mappings merged key by key, later folders winning) and the problems.
    """
    layers = load_rule_layers(dirs, filename, rules_key=list_key, id_key=id_key)
    items: list[dict] = []
    for rule in layers:
        if rule.data.get("drop") is True:
            continue
        items.append({**dict(rule.data), "_file": str(rule.file), "_line": rule.line})
    settings: dict[str, Any] = {}
    for loaded in layers.files:
        for key, value in loaded.top.items():
            if isinstance(value, Mapping):
                settings[key] = layers.merged_section(key)
            else:
                settings[key] = value
    return items, settings, list(layers.problems)
