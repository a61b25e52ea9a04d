"""Scoring predicted documents against gold, exactly as ANNOTATION.md §5 says.

`evaluate(gold_docs, pred_docs)` returns every figure as a nested dict (the
shape of `kdeal eval --json`); `DocComparison` keeps the per-mention and
per-deal verdicts that the HTML report shows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.assignment import max_weight_assignment

SCHEMA = "kdeal.doc/1"
MENTION_TYPES = ("COMPANY", "DATE", "DURATION", "MONEY")
VALUE_TYPES = ("DATE", "DURATION", "MONEY")
ASYMMETRIC_DEALS = {"INVESTMENT", "ACQUISITION"}
DEAL_FIELDS = ("type", "status", "date", "amount")
MONEY_TOLERANCE = 0.005

LEGAL_FORMS = re.compile(r"\(주\)|㈜|주식회사|\(유\)|유한회사|\(株\)")
LEGAL_SUFFIX = re.compile(
    r"(?:[\s,]+(?:inc|corp|corporation|co|ltd|llc|plc|limited|gmbh|ag|sa|nv|holdings? co)\.?)+$"
)


def alias_key(name: str) -> str:
    """An alias as the scorer compares it: no legal-form markers, no spaces, no case."""
    lowered = LEGAL_FORMS.sub("", name.lower()).strip()
    lowered = LEGAL_SUFFIX.sub("", lowered)
    return re.sub(r"\s+", "", lowered)


def load_documents(folder: Path) -> tuple[dict[str, dict], list[str]]:
    """All `kdeal.doc/1` JSON files below a folder by doc_id, and warnings."""
    docs: dict[str, dict] = {}
    warnings: list[str] = []
    for path in sorted(Path(folder).rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            warnings.append(f"{path}: not read ({exc})")
            continue
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            continue
        doc_id = data.get("doc_id")
        if not isinstance(doc_id, str):
            warnings.append(f"{path}: no doc_id")
            continue
        if doc_id in docs:
            warnings.append(f"{path}: duplicate doc_id {doc_id!r}, ignored")
            continue
        docs[doc_id] = data
    return docs, warnings


def prf(tp: int, gold: int, pred: int) -> dict[str, float | int]:
    """Precision, recall and F1; an empty gold and empty prediction score 1.0."""
    precision = tp / pred if pred else (1.0 if gold == 0 else 0.0)
    recall = tp / gold if gold else (1.0 if pred == 0 else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "gold": gold,
            "pred": pred}


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if a == b:
        return True
    return abs(a - b) <= MONEY_TOLERANCE * max(abs(a), abs(b))


def money_equal(gold: dict | None, pred: dict | None) -> bool:
    """Same currency, amount within 0.5 %, same approx, bound and equivalent."""
    if gold is None or pred is None:
        return gold is None and pred is None
    if not isinstance(gold, dict) or not isinstance(pred, dict):
        return False
    return (
        gold.get("currency") == pred.get("currency")
        and _close(gold.get("amount"), pred.get("amount"))
        and _close(gold.get("amount_max"), pred.get("amount_max"))
        and bool(gold.get("approx")) == bool(pred.get("approx"))
        and gold.get("bound") == pred.get("bound")
        and money_equal(gold.get("equivalent"), pred.get("equivalent"))
    )


def value_equal(kind: str, gold: dict, pred: dict) -> bool:
    if kind == "MONEY":
        return money_equal(gold.get("value"), pred.get("value"))
    if kind == "DATE":
        return gold.get("value") == pred.get("value") and gold.get("mod") == pred.get("mod")
    return gold.get("value") == pred.get("value")


@dataclass
class MentionVerdicts:
    """For one document: which gold/pred mentions matched (strict), and how."""

    strict_pairs: list[tuple[int, int]] = field(default_factory=list)
    partial_pairs: list[tuple[int, int]] = field(default_factory=list)
    wrong_value: set[int] = field(default_factory=set)  # pred indices with a wrong value


def _match_strict(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    by_key: dict[tuple, list[int]] = {}
    for i, m in enumerate(gold):
        by_key.setdefault((m.get("type"), m.get("start"), m.get("end")), []).append(i)
    pairs = []
    for j, m in enumerate(pred):
        bucket = by_key.get((m.get("type"), m.get("start"), m.get("end")))
        if bucket:
            pairs.append((bucket.pop(0), j))
    return pairs


def _match_partial(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one overlap matching of the same type: exact pairs first, then largest overlap."""
    pairs = _match_strict(gold, pred)
    used_g = {g for g, _ in pairs}
    used_p = {p for _, p in pairs}
    candidates = []
    for i, g in enumerate(gold):
        if i in used_g:
            continue
        for j, p in enumerate(pred):
            if j in used_p or p.get("type") != g.get("type"):
                continue
            overlap = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if overlap > 0:
                candidates.append((-overlap, i, j))
    for _, i, j in sorted(candidates):
        if i not in used_g and j not in used_p:
            pairs.append((i, j))
            used_g.add(i)
            used_p.add(j)
    return pairs


def compare_mentions(gold: list[dict], pred: list[dict]) -> MentionVerdicts:
    verdicts = MentionVerdicts()
    verdicts.strict_pairs = _match_strict(gold, pred)
    verdicts.partial_pairs = _match_partial(gold, pred)
    for g, p in verdicts.strict_pairs:
        kind = gold[g].get("type")
        if kind in VALUE_TYPES and not value_equal(kind, gold[g], pred[p]):
            verdicts.wrong_value.add(p)
    return verdicts


def _names(entity: dict) -> set[str]:
    names = [entity.get("name") or "", *(entity.get("aliases") or [])]
    return {alias_key(a) for a in names if isinstance(a, str)} - {""}


def match_entities(gold: list[dict], pred: list[dict]) -> dict[str, str]:
    """Predicted entity id → gold entity id, one-to-one, as many pairs as possible.

    A pair needs a shared alias (section 5 of the guide). Among the largest
    pairings, the one whose pairs agree most is taken: the same canonical name
    first, then the most shared aliases. So `메리츠종금증권` pairs with the gold
    `메리츠종금증권`, not with the gold `메리츠종합금융` whose alias `메리츠종금` it
    also carries, and a predicted entity whose aliases fit two gold entities never
    blocks another predicted entity that fits only one of them.
    """
    gold_keys = [_names(g) for g in gold]
    gold_names = [alias_key(g.get("name") or "") for g in gold]
    # one more pair outweighs any better fit of all the others: size first, fit second
    most_fit = 10 + max((len(k) for k in gold_keys), default=0)
    base = 1 + most_fit * (min(len(gold), len(pred)) + 1)
    weights: list[list[float]] = []
    for p in pred:
        keys = _names(p) if p.get("id") else set()
        name = alias_key(p.get("name") or "")
        row: list[float] = []
        for g_keys, g_name in zip(gold_keys, gold_names, strict=True):
            shared = len(keys & g_keys)
            fit = 10 * (bool(name) and name == g_name) + shared
            row.append(base + fit if shared else 0)
        weights.append(row)
    pairs = max_weight_assignment(weights)
    return {pred[j]["id"]: gold[i]["id"] for j, i in sorted(pairs.items())}


def _participants(deal: dict, mapping: dict[str, str] | None) -> tuple[str, frozenset[str]]:
    def name(eid: str) -> str:
        if mapping is None:
            return eid
        return mapping.get(eid, f"unmatched:{eid}")

    company = name(deal.get("company") or "")
    partners = frozenset(name(p) for p in deal.get("partners") or [])
    return company, partners


def _same_participants(gold: dict, pred: dict, mapping: dict[str, str]) -> bool:
    """Directed check when both deals are INVESTMENT/ACQUISITION, else the participant set.

    A symmetric deal's `company` is only the sentence's subject, so direction is
    compared only when both sides have one.
    """
    g_company, g_partners = _participants(gold, None)
    p_company, p_partners = _participants(pred, mapping)
    if gold.get("type") in ASYMMETRIC_DEALS and pred.get("type") in ASYMMETRIC_DEALS:
        return g_company == p_company and g_partners == p_partners
    return g_partners | {g_company} == p_partners | {p_company}


def match_deals(gold: list[dict], pred: list[dict],
                mapping: dict[str, str]) -> list[tuple[int, int]]:
    """Greedy one-to-one deal pairs: same type first, then on participants alone."""
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    matched_gold: set[int] = set()
    for same_type in (True, False):
        for i, g in enumerate(gold):
            if i in matched_gold:
                continue
            for j, p in enumerate(pred):
                if j in used or (same_type and p.get("type") != g.get("type")):
                    continue
                if _same_participants(g, p, mapping):
                    pairs.append((i, j))
                    used.add(j)
                    matched_gold.add(i)
                    break
    return sorted(pairs)


def deal_field_equal(name: str, gold: dict, pred: dict) -> bool:
    if name == "amount":
        return money_equal(gold.get("amount"), pred.get("amount"))
    return gold.get(name) == pred.get(name)


@dataclass
class DocComparison:
    """Everything the report needs about one gold/pred pair."""

    doc_id: str
    gold: dict
    pred: dict | None
    mentions: MentionVerdicts
    entity_map: dict[str, str]
    deal_pairs: list[tuple[int, int]]


def compare_document(gold: dict, pred: dict | None) -> DocComparison:
    pred_doc = pred or {}
    gm, pm = gold.get("mentions", []), pred_doc.get("mentions", [])
    mapping = match_entities(gold.get("entities", []), pred_doc.get("entities", []))
    pairs = match_deals(gold.get("deals", []), pred_doc.get("deals", []), mapping)
    return DocComparison(gold.get("doc_id", ""), gold, pred, compare_mentions(gm, pm),
                         mapping, pairs)


def _accuracy(correct: int, total: int) -> dict[str, Any]:
    return {"accuracy": correct / total if total else None, "correct": correct, "total": total}


def evaluate(gold_docs: dict[str, dict],
             pred_docs: dict[str, dict]) -> tuple[dict, list[DocComparison], list[str]]:
    """All figures of §5 over the gold documents; predictions without gold are ignored."""
    warnings: list[str] = []
    comparisons: list[DocComparison] = []
    counts = {kind: {m: [0, 0, 0] for m in ("strict", "partial")} for kind in MENTION_TYPES}
    values = {kind: [0, 0] for kind in VALUE_TYPES}
    ent = [0, 0, 0]
    deal_counts = [0, 0, 0]
    strict_tp = 0
    fields = {name: [0, 0] for name in DEAL_FIELDS}
    missing = 0
    for doc_id in sorted(gold_docs):
        gold = gold_docs[doc_id]
        pred = pred_docs.get(doc_id)
        if pred is None:
            missing += 1
        elif (pred.get("text_sha256") and gold.get("text_sha256")
              and pred["text_sha256"] != gold["text_sha256"]):
            warnings.append(f"{doc_id}: predicted text_sha256 differs from gold's "
                            "(the two files describe different text)")
        comp = compare_document(gold, pred)
        comparisons.append(comp)
        gm = gold.get("mentions", [])
        pm = (pred or {}).get("mentions", [])
        for kind in MENTION_TYPES:
            g_n = sum(1 for m in gm if m.get("type") == kind)
            p_n = sum(1 for m in pm if m.get("type") == kind)
            for mode, pairs in (("strict", comp.mentions.strict_pairs),
                                ("partial", comp.mentions.partial_pairs)):
                tp = sum(1 for g, _ in pairs if gm[g].get("type") == kind)
                c = counts[kind][mode]
                c[0] += tp
                c[1] += g_n
                c[2] += p_n
        for g, p in comp.mentions.strict_pairs:
            kind = gm[g].get("type")
            if kind in VALUE_TYPES:
                values[kind][1] += 1
                if p not in comp.mentions.wrong_value:
                    values[kind][0] += 1
        ge, pe = gold.get("entities", []), (pred or {}).get("entities", [])
        ent[0] += len(comp.entity_map)
        ent[1] += len(ge)
        ent[2] += len(pe)
        gd, pd = gold.get("deals", []), (pred or {}).get("deals", [])
        deal_counts[0] += len(comp.deal_pairs)
        deal_counts[1] += len(gd)
        deal_counts[2] += len(pd)
        for g, p in comp.deal_pairs:
            for name in DEAL_FIELDS:
                fields[name][1] += 1
                if deal_field_equal(name, gd[g], pd[p]):
                    fields[name][0] += 1
            if all(deal_field_equal(n, gd[g], pd[p]) for n in ("type", "date", "amount")):
                strict_tp += 1
    report: dict[str, Any] = {
        "documents": {"gold": len(gold_docs), "predicted": len(pred_docs),
                      "missing_predictions": missing},
        "mentions": {},
        "values": {},
    }
    for mode in ("strict", "partial"):
        totals = [sum(counts[k][mode][i] for k in MENTION_TYPES) for i in range(3)]
        block: dict[str, Any] = prf(*totals)
        for kind in MENTION_TYPES:
            block[kind] = prf(*counts[kind][mode])
        report["mentions"][mode] = block
    report["values"] = _accuracy(sum(v[0] for v in values.values()),
                                 sum(v[1] for v in values.values()))
    for kind in VALUE_TYPES:
        report["values"][kind] = _accuracy(*values[kind])
    report["entities"] = prf(*ent)
    deals: dict[str, Any] = prf(*deal_counts)
    deals["fields"] = {name: _accuracy(*fields[name]) for name in DEAL_FIELDS}
    deals["strict"] = prf(strict_tp, deal_counts[1], deal_counts[2])
    report["deals"] = deals
    return report, comparisons, warnings


def lookup(report: dict, key: str) -> Any:
    """A figure by dotted key (`mentions.strict.f1`, `deals.fields.date.accuracy`)."""
    node: Any = report
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(key)
        node = node[part]
    if isinstance(node, dict):
        for leaf in ("f1", "accuracy"):
            if leaf in node:
                return node[leaf]
        raise KeyError(key)
    return node


def check_thresholds(report: dict, thresholds: Iterable[tuple[str, float]]) -> list[str]:
    """Messages for every figure below its threshold (an unknown key is a failure too)."""
    failures = []
    for key, minimum in thresholds:
        try:
            value = lookup(report, key)
        except KeyError:
            failures.append(f"{key}: no such figure")
            continue
        if value is None or value < minimum:
            failures.append(f"{key} = {value if value is None else round(value, 4)} < {minimum}")
    return failures
