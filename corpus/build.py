"""Build articles and gold files from the hand-written markup in corpus/markup/.

The markup is what annotators edit: the article text with mentions wrapped as
``⟦surface|LABEL⟧`` plus entities and deals in YAML (see corpus/GUIDELINES.md).
This script strips the markup, computes offsets, and writes
``corpus/articles/<split>/<id>.txt`` (+ ``.meta.json``) and
``corpus/gold/<split>/<id>.json`` in the ``kdeal.doc/1`` format.

Run: ``python corpus/build.py [FILE ...]`` (add ``--check`` to validate without writing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.textnorm import normalize_text, text_sha256  # noqa: E402

CORPUS = Path(__file__).resolve().parent
MARK = re.compile(r"⟦([^⟦⟧|]+)\|([^⟦⟧|]*)⟧")
MONEY_SIDE = re.compile(
    r"^(?P<amount>null|\d+(?:\.\d+)?(?:\.\.\d+(?:\.\d+)?)?)\s+(?P<cur>[A-Z]{3})"
    r"(?P<approx>\s+~)?(?:\s+(?P<bound>MAX|MIN))?$"
)
DATE_VALUE = re.compile(r"^(\d{4}(-(\d{2}|H[12]|Q[1-4])(-\d{2})?)?|null)$")
DURATION_VALUE = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")
DEAL_TYPES = {"INVESTMENT", "ACQUISITION", "MERGER", "JOINT_VENTURE", "MOU", "PARTNERSHIP",
              "CONTRACT", "COOPERATION"}
DEAL_STATUSES = {"DONE", "PLANNED", "EXPLORED"}


class MarkupError(ValueError):
    """A problem in one markup file."""


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def parse_money_side(text: str) -> dict:
    """``20000000 USD ~ MAX`` → the spec's money dict (without equivalent)."""
    m = MONEY_SIDE.match(text.strip())
    if not m:
        raise MarkupError(f"bad money notation {text!r}")
    amount_text = m["amount"]
    value: dict = {"amount": None, "currency": m["cur"], "approx": bool(m["approx"]),
                   "bound": m["bound"]}
    if amount_text != "null":
        low, _, high = amount_text.partition("..")
        value["amount"] = _number(low)
        if high:
            value["amount_max"] = _number(high)
    return value


def parse_money(text: str) -> dict:
    main, _, equivalent = text.partition("=")
    value = parse_money_side(main)
    value["equivalent"] = parse_money_side(equivalent) if equivalent.strip() else None
    return value


def parse_label(label: str, entities: dict) -> dict:
    """Turn a markup label into the typed part of a mention."""
    label = label.strip()
    if label in entities:
        return {"type": "COMPANY", "entity": label}
    kind, _, rest = label.partition(" ")
    rest = rest.strip()
    if kind == "D":
        parts = rest.split()
        if not parts or not DATE_VALUE.match(parts[0]) or len(parts) > 2:
            raise MarkupError(f"bad DATE label {label!r}")
        out: dict = {"type": "DATE", "value": None if parts[0] == "null" else parts[0]}
        if len(parts) == 2:
            if parts[1] not in {"START", "MID", "END"}:
                raise MarkupError(f"bad DATE mod in {label!r}")
            out["mod"] = parts[1]
        return out
    if kind == "T":
        if rest != "null" and not DURATION_VALUE.match(rest):
            raise MarkupError(f"bad DURATION label {label!r}")
        return {"type": "DURATION", "value": None if rest == "null" else rest}
    if kind == "M":
        return {"type": "MONEY", "value": parse_money(rest)}
    raise MarkupError(f"unknown label {label!r} (not an entity id, D, T or M)")


def strip_markup(markup: str, entities: dict) -> tuple[str, list[dict]]:
    """Return the plain text and its mentions with offsets."""
    out: list[str] = []
    mentions: list[dict] = []
    pos = 0
    length = 0
    for m in MARK.finditer(markup):
        before = markup[pos:m.start()]
        out.append(before)
        length += len(before)
        surface = m[1]
        mention = {"start": length, "end": length + len(surface), "text": surface}
        mention.update(parse_label(m[2], entities))
        mentions.append(mention)
        out.append(surface)
        length += len(surface)
        pos = m.end()
    out.append(markup[pos:])
    text = "".join(out)
    for ch in "⟦⟧":
        if ch in text:
            raise MarkupError(f"unbalanced markup: stray {ch} at {text.index(ch)}")
    ordered = []
    for mention in mentions:
        typed = {"type": mention.pop("type"), **mention}
        ordered.append(typed)
    return text, ordered


def _date_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def build_one(path: Path, split: str) -> tuple[str, dict, dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise MarkupError("not a mapping")
    unknown = set(data) - {"id", "published", "reference_date", "title", "source", "url",
                           "entities", "text", "deals"}
    if unknown:
        raise MarkupError(f"unknown keys {sorted(unknown)}")
    doc_name = data.get("id") or path.stem
    if doc_name != path.stem:
        raise MarkupError(f"id {doc_name!r} differs from the file name {path.stem!r}")
    entities_in = data.get("entities") or {}
    entities = []
    for eid, names in entities_in.items():
        if not re.fullmatch(r"E\d+", str(eid)) or not isinstance(names, list) or not names:
            raise MarkupError(f"bad entity {eid!r}: want E<n>: [name, alias, ...]")
        aliases = list(dict.fromkeys(str(n) for n in names))
        entities.append({"id": str(eid), "name": str(names[0]), "aliases": aliases})
    text, mentions = strip_markup(data["text"], entities_in)
    text = normalize_text(text)
    used = {m["entity"] for m in mentions if m["type"] == "COMPANY"}
    for entity in entities:
        if entity["id"] not in used:
            raise MarkupError(f"entity {entity['id']} has no mention")
        for m in mentions:
            if m.get("entity") == entity["id"] and m["text"] not in entity["aliases"]:
                entity["aliases"].append(m["text"])
    published = _date_text(data.get("published"))
    reference = _date_text(data.get("reference_date")) or published
    if reference is None:
        raise MarkupError("give published or reference_date")
    deals = []
    for i, deal in enumerate(data.get("deals") or [], 1):
        deals.append(build_deal(deal, i, text, entities_in))
    doc_id = f"{split}/{doc_name}"
    gold = {
        "schema": "kdeal.doc/1",
        "doc_id": doc_id,
        "published": published,
        "published_inferred": published is None,
        "reference_date": reference,
        "text_sha256": text_sha256(text),
        "entities": entities,
        "mentions": mentions,
        "deals": deals,
    }
    meta = {k: _date_text(data.get(k)) for k in ("published", "title", "source", "url")
            if data.get(k) is not None}
    for key, value in meta.items():
        if value is not None and ("⟦" in value or "⟧" in value):
            raise MarkupError(f"{key}: markup (⟦…⟧) belongs in the text, not in the metadata")
    return text, meta, gold


def build_deal(deal: dict, index: int, text: str, entities: dict) -> dict:
    where = f"deal {index}"
    unknown = set(deal) - {"type", "status", "company", "partners", "date", "amount",
                           "duration", "evidence"}
    if unknown:
        raise MarkupError(f"{where}: unknown keys {sorted(unknown)}")
    if deal.get("type") not in DEAL_TYPES:
        raise MarkupError(f"{where}: bad type {deal.get('type')!r}")
    if deal.get("status") not in DEAL_STATUSES:
        raise MarkupError(f"{where}: bad status {deal.get('status')!r}")
    participants = [deal.get("company"), *(deal.get("partners") or [])]
    for eid in participants:
        if eid not in entities:
            raise MarkupError(f"{where}: unknown entity {eid!r}")
    if not deal.get("partners"):
        raise MarkupError(f"{where}: no partners")
    date = _date_text(deal.get("date"))
    if date is not None and not DATE_VALUE.match(date):
        raise MarkupError(f"{where}: bad date {date!r}")
    amount = deal.get("amount")
    duration = deal.get("duration")
    if duration is not None and not DURATION_VALUE.match(str(duration)):
        raise MarkupError(f"{where}: bad duration {duration!r}")
    evidence = normalize_text(str(deal.get("evidence") or ""))
    if not evidence or text.count(evidence) != 1:
        raise MarkupError(f"{where}: evidence must occur exactly once in the text "
                          f"(found {text.count(evidence) if evidence else 0}): {evidence[:40]!r}")
    start = text.index(evidence)
    return {
        "type": deal["type"],
        "status": deal["status"],
        "company": deal["company"],
        "partners": list(deal["partners"]),
        "date": date,
        "amount": parse_money(str(amount)) if amount is not None else None,
        "duration": duration,
        "evidence": {"start": start, "end": start + len(evidence)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate only, write nothing")
    parser.add_argument("files", nargs="*", type=Path,
                        help="markup files to build (default: all under corpus/markup)")
    args = parser.parse_args(argv)
    failures = 0
    count = 0
    paths = [p.resolve() for p in args.files] or sorted((CORPUS / "markup").glob("*/*.yaml"))
    for path in paths:
        split = path.parent.name
        try:
            text, meta, gold = build_one(path, split)
        except (MarkupError, KeyError, OSError, yaml.YAMLError) as exc:
            failures += 1
            print(f"{path.relative_to(CORPUS)}: {exc}", file=sys.stderr)
            continue
        count += 1
        if args.check:
            continue
        article = CORPUS / "articles" / split / f"{path.stem}.txt"
        article.parent.mkdir(parents=True, exist_ok=True)
        article.write_text(text, encoding="utf-8")
        meta_path = article.with_suffix(".meta.json")
        if meta:
            meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                 encoding="utf-8")
        elif meta_path.exists():
            meta_path.unlink()
        gold_path = CORPUS / "gold" / split / f"{path.stem}.json"
        gold_path.parent.mkdir(parents=True, exist_ok=True)
        gold_path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    print(f"{count} markup files built, {failures} with problems")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
