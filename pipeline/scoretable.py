"""The evaluation figures as readable terminal tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pipeline.evaluation import MENTION_TYPES, VALUE_TYPES


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render_report(report: dict, console: Console) -> None:
    docs = report["documents"]
    console.print(f"{docs['gold']} gold documents, {docs['predicted']} predicted, "
                  f"{docs['missing_predictions']} without prediction", highlight=False)
    table = Table(title="Mentions", title_justify="left")
    for column in ("type", "strict P", "strict R", "strict F1", "partial F1", "gold", "pred",
                   "value acc"):
        table.add_column(column, justify="right" if column != "type" else "left")
    strict, partial, values = (report["mentions"]["strict"], report["mentions"]["partial"],
                               report["values"])
    for kind in (*MENTION_TYPES, "all"):
        s = strict if kind == "all" else strict[kind]
        p = partial if kind == "all" else partial[kind]
        v = values if kind == "all" else values.get(kind)
        table.add_row(kind, _pct(s["precision"]), _pct(s["recall"]), _pct(s["f1"]),
                      _pct(p["f1"]), str(s["gold"]), str(s["pred"]),
                      _pct(v["accuracy"]) if kind == "all" or kind in VALUE_TYPES else "")
    console.print(table)
    ent, deals = report["entities"], report["deals"]
    summary = Table(title="Entities and deals", title_justify="left")
    for column in ("figure", "P", "R", "F1", "gold", "pred"):
        summary.add_column(column, justify="right" if column != "figure" else "left")
    summary.add_row("entities", _pct(ent["precision"]), _pct(ent["recall"]), _pct(ent["f1"]),
                    str(ent["gold"]), str(ent["pred"]))
    summary.add_row("deals (participants)", _pct(deals["precision"]), _pct(deals["recall"]),
                    _pct(deals["f1"]), str(deals["gold"]), str(deals["pred"]))
    st = deals["strict"]
    summary.add_row("deals (strict)", _pct(st["precision"]), _pct(st["recall"]), _pct(st["f1"]),
                    str(st["gold"]), str(st["pred"]))
    console.print(summary)
    fields = ", ".join(f"{name} {_pct(v['accuracy'])}" for name, v in deals["fields"].items())
    console.print(f"Matched-deal field accuracy: {fields}", highlight=False)
