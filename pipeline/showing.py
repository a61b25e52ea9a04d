"""`kdeal show` in the terminal: the article with highlighted mentions, then tables."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

TYPE_STYLES = {"COMPANY": "bold cyan", "DATE": "bold green", "DURATION": "bold yellow",
               "MONEY": "bold magenta"}


def _value(mention: dict) -> str:
    if mention["type"] == "COMPANY":
        return mention.get("entity") or ""
    value = mention.get("value")
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"{text} {mention['mod']}" if mention.get("mod") else str(text)


def print_record(record: dict, console: Console) -> None:
    text = record.get("_text")
    if text is not None:
        rich_text = Text(text)
        for m in record["mentions"]:
            rich_text.stylize(TYPE_STYLES.get(m["type"], "bold"), m["start"], m["end"])
        console.print(rich_text)
    console.print(f"reference date {record.get('reference_date')}"
                  f"{' (inferred)' if record.get('published_inferred') else ''}", highlight=False)
    names = {e["id"]: e["name"] for e in record.get("entities", [])}
    table = Table(title=f"{len(record['mentions'])} mentions", title_justify="left")
    for column in ("type", "text", "offsets", "value / entity", "rule"):
        table.add_column(column)
    for m in record["mentions"]:
        value = _value(m)
        if m["type"] == "COMPANY":
            value = f"{value} {names.get(value, '')}"
        table.add_row(Text(m["type"], style=TYPE_STYLES.get(m["type"], "")), m["text"],
                      f"{m['start']}-{m['end']}", value, m.get("rule") or "")
    console.print(table)
    deals = Table(title=f"{len(record['deals'])} deals", title_justify="left")
    for column in ("type", "status", "company", "partners", "date", "amount", "rule"):
        deals.add_column(column)
    for d in record["deals"]:
        amount = d.get("amount") or {}
        deals.add_row(d.get("type", ""), d.get("status", ""), names.get(d.get("company"), ""),
                      ", ".join(names.get(p, p) for p in d.get("partners", [])),
                      str(d.get("date") or ""),
                      f"{amount.get('amount')} {amount.get('currency')}" if amount else "",
                      d.get("rule") or "")
    console.print(deals)
