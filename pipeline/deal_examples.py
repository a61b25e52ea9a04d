"""Rule examples as tests: marked-up text in, the expected deal records out.

Examples use the corpus markup (corpus/GUIDELINES.md): ``⟦SK텔레콤|E1⟧`` a company
of entity E1, ``⟦2월|D 2024-02⟧`` a DATE, ``⟦5년간|T P5Y⟧`` a DURATION,
``⟦2000만달러(약 290억원)|M 20000000 USD = 29000000000 KRW ~⟧`` a MONEY
(``~`` approximate, ``MAX``/``MIN`` a bound). The Doc is built from these gold
mentions, so an example tests deal logic alone, not the mention matchers.
Expected deals give ``type``, ``status``, ``company``, ``partners`` and
optionally ``date``, ``amount`` (the same money notation) and ``duration``;
an omitted one must be null. An example may give ``published`` (YYYY-MM-DD), the
reference date the article would have.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc

from pipeline.evaluation import money_equal
from pipeline.mentions import add_mention
from pipeline.problems import RuleProblem
from pipeline.tokenizer import make_doc

if TYPE_CHECKING:
    from pipeline.deal_rules import Example
    from pipeline.deals import DealRules

MARK = re.compile(r"⟦([^⟦⟧|]+)\|([^⟦⟧|]*)⟧")
MONEY_SIDE = re.compile(
    r"^(?P<amount>null|\d+(?:\.\d+)?(?:\.\.\d+(?:\.\d+)?)?)\s+(?P<cur>[A-Z]{3})"
    r"(?P<approx>\s+~)?(?:\s+(?P<bound>MAX|MIN))?$")


class MarkupError(ValueError):
    """An example whose markup cannot be read."""


@dataclass(frozen=True)
class Entity:
    """The entity shape the pipeline keeps in `doc.user_data["kdeal_entities"]`."""

    id: str
    name: str
    aliases: tuple[str, ...]


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _money_side(text: str) -> dict[str, Any]:
    m = MONEY_SIDE.match(text.strip())
    if not m:
        raise MarkupError(f"bad money notation {text!r}")
    low, _, high = m["amount"].partition("..")
    value: dict[str, Any] = {"amount": None if low == "null" else _number(low),
                             "currency": m["cur"], "approx": bool(m["approx"]),
                             "bound": m["bound"]}
    if high:
        value["amount_max"] = _number(high)
    return value


def parse_money(text: str) -> dict[str, Any]:
    """``20000000 USD = 29000000000 KRW ~`` → the spec's money dict."""
    main, _, equivalent = str(text).partition("=")
    value = _money_side(main)
    value["equivalent"] = _money_side(equivalent) if equivalent.strip() else None
    return value


def _label(label: str) -> tuple[str, Any, str | None, str]:
    """(type, value, mod, entity) of one markup label."""
    label = label.strip()
    if re.fullmatch(r"E\d+", label):
        return "COMPANY", None, None, label
    kind, _, rest = label.partition(" ")
    rest = rest.strip()
    if kind == "D":
        parts = rest.split()
        if not parts or len(parts) > 2:
            raise MarkupError(f"bad DATE label {label!r}")
        value = None if parts[0] == "null" else parts[0]
        return "DATE", value, parts[1] if len(parts) == 2 else None, ""
    if kind == "T":
        return "DURATION", None if rest == "null" else rest, None, ""
    if kind == "M":
        return "MONEY", parse_money(rest), None, ""
    raise MarkupError(f"unknown label {label!r} (want E<n>, D, T or M)")


def doc_from_markup(markup: str, published: dt.date | None = None) -> Doc:
    """A Doc with the marked mentions added, as the earlier pipeline stages would
    (`published`: the article's reference date, as `kdeal extract` sets it)."""
    pieces: list[str] = []
    marks: list[tuple[int, int, str]] = []
    pos = length = 0
    for m in MARK.finditer(markup):
        before = markup[pos:m.start()]
        pieces.append(before)
        length += len(before)
        marks.append((length, length + len(m[1]), m[2]))
        pieces.append(m[1])
        length += len(m[1])
        pos = m.end()
    pieces.append(markup[pos:])
    text = "".join(pieces)
    if "⟦" in text or "⟧" in text:
        raise MarkupError("unbalanced ⟦ ⟧ markup")
    doc = make_doc(text)
    names: dict[str, list[str]] = {}
    for start, end, label in marks:
        kind, value, mod, entity = _label(label)
        add_mention(doc, kind, start, end, "example", value=value, mod=mod, entity=entity)
        if entity:
            names.setdefault(entity, []).append(text[start:end])
    doc.user_data["kdeal_entities"] = [
        Entity(eid, surfaces[0], tuple(dict.fromkeys(surfaces))) for eid, surfaces in
        sorted(names.items(), key=lambda kv: int(kv[0][1:]))]
    doc.user_data["kdeal_reference"] = published
    return doc


def _expected_matches(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    if got["type"] != expected.get("type") or got["status"] != expected.get("status"):
        return False
    if got["company"] != expected.get("company"):
        return False
    if sorted(got["partners"]) != sorted(str(p) for p in expected.get("partners") or []):
        return False
    date = expected.get("date")
    if got["date"] != (None if date is None else str(date)):
        return False
    amount = expected.get("amount")
    if not money_equal(None if amount is None else parse_money(amount), got["amount"]):
        return False
    return got["duration"] == expected.get("duration")


def _describe(record: dict[str, Any]) -> str:
    amount = record.get("amount")
    money = f"{amount.get('amount')} {amount.get('currency')}" if isinstance(amount, dict) \
        else amount
    return (f"{record.get('type')}/{record.get('status')} {record.get('company')}→"
            f"{record.get('partners')} date={record.get('date')} amount={money} "
            f"duration={record.get('duration')}")


def check_example(rules: DealRules, example: Example) -> list[RuleProblem]:
    """Problems with one example (none when its deals come out exactly as written)."""
    def problem(message: str) -> RuleProblem:
        return RuleProblem(example.file, example.rule, message, example.line)

    try:
        doc = doc_from_markup(example.text, example.published)
    except (MarkupError, ValueError) as error:
        return [problem(f"example markup: {error}")]
    got = [d.to_json() for d in rules.assemble(doc)]
    unmatched = list(got)
    missing = []
    for expected in example.deals:
        if not isinstance(expected, dict):
            return [problem("each expected deal must be a mapping")]
        try:
            hit = next((g for g in unmatched if _expected_matches(expected, g)), None)
        except MarkupError as error:
            return [problem(f"expected deal: {error}")]
        if hit is None:
            missing.append(expected)
        else:
            unmatched.remove(hit)
    out = []
    short = example.text if len(example.text) <= 60 else example.text[:57] + "…"
    for expected in missing:
        out.append(problem(f"{short!r}: expected {_describe(expected)}; got "
                           f"{[_describe(g) for g in got] or 'no deal'}"))
    for extra in unmatched:
        out.append(problem(f"{short!r}: unexpected {_describe(extra)} (rule {extra['rule']})"))
    is_trigger = any(t.id == example.rule for t in rules.rules.triggers)
    if is_trigger and example.deals and not out and not any(
            example.rule in g["rule"].split("+") for g in got):
        out.append(problem(f"{short!r}: the deals came out, but not through this rule"))
    return out
