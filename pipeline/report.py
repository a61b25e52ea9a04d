"""The evaluation report (`kdeal eval --html`) and `kdeal show --html` as one HTML page each.

Each page is self-contained (inline CSS and JS, no external resources) so it can
be mailed or archived as one file. Every highlighted mention is one
`<mark class="ent ent-TYPE STATUS">` element whose `title` says its value, rule
and verdict, so a reader (or a test) can count and inspect them.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.evaluation import (
    DEAL_FIELDS,
    MENTION_TYPES,
    VALUE_TYPES,
    DocComparison,
    deal_field_equal,
)
from pipeline.reading import Article, read_inputs
from pipeline.textnorm import text_sha256

TYPE_COLOURS = {"COMPANY": "#7aecec", "DATE": "#b5e48c", "DURATION": "#feca74",
                "MONEY": "#c9b6ff"}
STATUS_TEXT = {
    "ok": "matched, value right",
    "wrongvalue": "same span, wrong value",
    "partial": "overlaps only (partial match)",
    "missed": "gold mention not predicted",
    "spurious": "predicted, not in gold",
    "pred": "predicted",
}


def esc(value: object) -> str:
    """Text or attribute value, HTML-escaped (quotes too)."""
    return html.escape("" if value is None else str(value), quote=True)


# --- values as readable text ----------------------------------------------------------

def format_money(value: Any) -> str:
    """`20,000,000 USD ~ (≈ 29,000,000,000 KRW ~)`: amount, range, currency, approx, bound."""
    if not isinstance(value, dict):
        return "null" if value is None else json.dumps(value, ensure_ascii=False)

    def number(x: Any) -> str:
        return f"{x:,}" if isinstance(x, int | float) and not isinstance(x, bool) else str(x)

    amount = "?" if value.get("amount") is None else number(value["amount"])
    if value.get("amount_max") is not None:
        amount += f"–{number(value['amount_max'])}"
    text = f"{amount} {value.get('currency') or '?'}"
    if value.get("approx"):
        text += " ~"
    if value.get("bound"):
        text += f" {value['bound']}"
    if value.get("equivalent"):
        text += f" (≈ {format_money(value['equivalent'])})"
    return text


def format_value(mention: dict) -> str:
    if mention.get("type") == "MONEY":
        return format_money(mention.get("value"))
    if mention.get("type") == "COMPANY":
        return str(mention.get("entity") or "no entity")
    value = mention.get("value")
    text = "null" if value is None else str(value)
    return f"{text} {mention['mod']}" if mention.get("mod") else text


# --- highlighting ---------------------------------------------------------------------

@dataclass
class Mark:
    """One highlighted span: offsets, type, verdict and hover text."""

    start: int
    end: int
    kind: str
    status: str
    title: str


def _open_tag(mark: Mark) -> str:
    kind = mark.kind if mark.kind in TYPE_COLOURS else "OTHER"
    return (f'<mark class="ent ent-{esc(kind)} {esc(mark.status)}" '
            f'data-start="{mark.start}" data-end="{mark.end}" title="{esc(mark.title)}">')


def _close_tag(mark: Mark) -> str:
    return f'<span class="lbl">{esc(mark.kind)}</span></mark>'


def highlight(text: str, marks: Iterable[Mark]) -> tuple[str, list[Mark]]:
    """The text as HTML with one `<mark>` per span, and the spans that could not be placed.

    Overlapping spans nest; a span that crosses the end of an open one is cut at
    that end (its title keeps the real offsets), so every span stays one element.
    """
    valid = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)),
                   key=lambda m: (m.start, -m.end))
    unplaced = [m for m in marks if not 0 <= m.start < m.end <= len(text)]
    out: list[str] = []
    pos = 0
    stack: list[tuple[int, Mark]] = []  # (end as rendered, mark)

    def close_until(limit: int | None) -> None:
        nonlocal pos
        while stack and (limit is None or stack[-1][0] <= limit):
            end, mark = stack.pop()
            out.append(esc(text[pos:end]))
            pos = end
            out.append(_close_tag(mark))

    for mark in valid:
        close_until(mark.start)
        end = min(mark.end, stack[-1][0]) if stack else mark.end
        out.append(esc(text[pos:mark.start]))
        pos = mark.start
        out.append(_open_tag(mark))
        stack.append((end, mark))
    close_until(None)
    out.append(esc(text[pos:]))
    return "".join(out), unplaced


def mark_list(marks: list[Mark]) -> str:
    """Marks shown as a list, for an article whose text is not available."""
    items = "".join(f"<li>{_open_tag(m)}{esc(m.title)}{_close_tag(m)}</li>" for m in marks)
    return f'<ul class="marklist">{items}</ul>'


def _mention_title(m: dict, status: str, other: dict | None = None,
                   side: str = "gold") -> str:
    parts = [f"{m.get('type')} {m.get('start')}–{m.get('end')} «{m.get('text', '')}»",
             f"value {format_value(m)}"]
    if m.get("rule"):
        parts.append(f"rule {m['rule']}")
    parts.append(STATUS_TEXT.get(status, status))
    if other is not None and status in ("wrongvalue", "partial"):
        label = "predicted" if side == "gold" else "gold"
        parts.append(f"{label}: {other.get('start')}–{other.get('end')} "
                     f"value {format_value(other)}")
    return " · ".join(parts)


def comparison_marks(comp: DocComparison) -> tuple[list[Mark], list[Mark]]:
    """Gold and predicted marks with their verdicts (ok, wrongvalue, partial, missed, spurious)."""
    gold_mentions = comp.gold.get("mentions", [])
    pred_mentions = (comp.pred or {}).get("mentions", [])
    strict = dict(comp.mentions.strict_pairs)
    partial = dict(comp.mentions.partial_pairs)
    pred_strict = {p: g for g, p in comp.mentions.strict_pairs}
    pred_partial = {p: g for g, p in comp.mentions.partial_pairs}

    def verdict(match: int | None, strict_match: int | None, wrong: bool, none: str) -> str:
        if strict_match is not None:
            return "wrongvalue" if wrong else "ok"
        return "partial" if match is not None else none

    gold_marks = []
    for g, m in enumerate(gold_mentions):
        p = strict.get(g, partial.get(g))
        status = verdict(partial.get(g), strict.get(g), strict.get(g) in comp.mentions.wrong_value,
                         "missed")
        other = pred_mentions[p] if p is not None else None
        gold_marks.append(Mark(m.get("start", -1), m.get("end", -1), str(m.get("type")), status,
                               _mention_title(m, status, other, "gold")))
    pred_marks = []
    for p, m in enumerate(pred_mentions):
        g = pred_strict.get(p, pred_partial.get(p))
        status = verdict(pred_partial.get(p), pred_strict.get(p), p in comp.mentions.wrong_value,
                         "spurious")
        other = gold_mentions[g] if g is not None else None
        pred_marks.append(Mark(m.get("start", -1), m.get("end", -1), str(m.get("type")), status,
                               _mention_title(m, status, other, "pred")))
    return gold_marks, pred_marks


def record_marks(record: dict) -> list[Mark]:
    return [Mark(m.get("start", -1), m.get("end", -1), str(m.get("type")), "pred",
                 _mention_title(m, "pred")) for m in record.get("mentions", [])]


# --- deals ----------------------------------------------------------------------------

DEAL_COLUMNS = ("type", "status", "company", "partners", "date", "amount", "duration", "rule")


def _names(doc: dict | None) -> dict[str, str]:
    return {e.get("id"): e.get("name") or e.get("id") for e in (doc or {}).get("entities", [])}


def _deal_cells(deal: dict, names: dict[str, str]) -> dict[str, str]:
    def name(eid: Any) -> str:
        return names.get(eid, str(eid)) if eid else ""

    return {
        "type": str(deal.get("type") or ""),
        "status": str(deal.get("status") or ""),
        "company": name(deal.get("company")),
        "partners": ", ".join(name(p) for p in deal.get("partners") or []),
        "date": str(deal.get("date") or ""),
        "amount": format_money(deal["amount"]) if deal.get("amount") else "",
        "duration": str(deal.get("duration") or ""),
        "rule": str(deal.get("rule") or ""),
    }


def _deal_row(side: str, status: str, cells: dict[str, str], diff: Iterable[str] = (),
              note: str = "") -> str:
    diff = set(diff)
    tds = "".join(f'<td class="{"diff" if c in diff else ""}">{esc(cells.get(c, ""))}</td>'
                  for c in DEAL_COLUMNS)
    return (f'<tr class="deal {side} {status}"><th>{esc(side)}</th>{tds}'
            f"<td>{esc(note)}</td></tr>")


def _deal_head() -> str:
    cols = "".join(f"<th>{c}</th>" for c in DEAL_COLUMNS)
    return f"<thead><tr><th></th>{cols}<th>verdict</th></tr></thead>"


def comparison_deals(comp: DocComparison) -> str:
    """Gold and predicted deals as row pairs; mismatched fields of matched pairs are marked."""
    gold_deals = comp.gold.get("deals", [])
    pred_deals = (comp.pred or {}).get("deals", [])
    if not gold_deals and not pred_deals:
        return '<p class="none">No deals in gold or prediction.</p>'
    gold_names, pred_names = _names(comp.gold), _names(comp.pred)
    pairs = dict(comp.deal_pairs)
    rows = []
    for g, deal in enumerate(gold_deals):
        if g not in pairs:
            rows.append(_deal_row("gold", "missed", _deal_cells(deal, gold_names),
                                  note="no predicted deal with these participants"))
            continue
        pred = pred_deals[pairs[g]]
        diff = {f for f in DEAL_FIELDS if not deal_field_equal(f, deal, pred)}
        if deal.get("duration") != pred.get("duration"):
            diff.add("duration")
        note = "all scored fields right" if not diff & set(DEAL_FIELDS) else \
            "wrong " + ", ".join(f for f in DEAL_FIELDS if f in diff)
        rows.append(_deal_row("gold", "ok", _deal_cells(deal, gold_names), note=""))
        rows.append(_deal_row("pred", "ok" if not diff & set(DEAL_FIELDS) else "wrongvalue",
                              _deal_cells(pred, pred_names), diff, note))
    matched = set(pairs.values())
    for p, deal in enumerate(pred_deals):
        if p not in matched:
            rows.append(_deal_row("pred", "spurious", _deal_cells(deal, pred_names),
                                  note="no gold deal with these participants"))
    return f'<table class="deals">{_deal_head()}<tbody>{"".join(rows)}</tbody></table>'


def record_deals(record: dict) -> str:
    deals = record.get("deals", [])
    if not deals:
        return '<p class="none">No deals found.</p>'
    names = _names(record)
    rows = "".join(_deal_row("pred", "pred", _deal_cells(d, names)) for d in deals)
    return f'<table class="deals">{_deal_head()}<tbody>{rows}</tbody></table>'


# --- figures --------------------------------------------------------------------------

def _num(value: Any) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _bar(label: str, value: float | None, detail: str) -> str:
    width = 0.0 if value is None else max(0.0, min(1.0, value)) * 100
    return (f'<div class="bar"><span class="bar-label">{esc(label)}</span>'
            f'<span class="bar-track"><span class="bar-fill" style="width:{width:.1f}%">'
            f'</span></span><span class="bar-value">{esc(_num(value))}</span>'
            f'<span class="bar-detail">{esc(detail)}</span></div>')


def figures_table(report: dict) -> str:
    """Every headline figure in one table: mentions per type, values, entities, deals."""
    strict, partial, values = (report["mentions"]["strict"], report["mentions"]["partial"],
                               report["values"])
    head = ("<tr><th>figure</th><th>P</th><th>R</th><th>F1</th><th>partial F1</th>"
            "<th>gold</th><th>pred</th><th>value acc.</th></tr>")
    rows = []
    for kind in (*MENTION_TYPES, "all"):
        s = strict if kind == "all" else strict[kind]
        p = partial if kind == "all" else partial[kind]
        v = values if kind == "all" else values.get(kind, {})
        value = (f"{_num(v.get('accuracy'))} ({v.get('correct')}/{v.get('total')})"
                 if kind == "all" or kind in VALUE_TYPES else "")
        rows.append(f"<tr><td>mentions {esc(kind)}</td><td>{_num(s['precision'])}</td>"
                    f"<td>{_num(s['recall'])}</td><td>{_num(s['f1'])}</td>"
                    f"<td>{_num(p['f1'])}</td><td>{s['gold']}</td><td>{s['pred']}</td>"
                    f"<td>{esc(value)}</td></tr>")
    deals = report["deals"]
    for label, block in (("entities", report["entities"]), ("deals (participants)", deals),
                         ("deals (strict: type, date, amount)", deals["strict"])):
        rows.append(f"<tr><td>{esc(label)}</td><td>{_num(block['precision'])}</td>"
                    f"<td>{_num(block['recall'])}</td><td>{_num(block['f1'])}</td><td></td>"
                    f"<td>{block['gold']}</td><td>{block['pred']}</td><td></td></tr>")
    return f'<table class="figures"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def figure_bars(report: dict) -> str:
    strict, partial = report["mentions"]["strict"], report["mentions"]["partial"]
    mention_bars = "".join(
        _bar(f"{kind} strict", strict[kind]["f1"],
             f"tp {strict[kind]['tp']} · gold {strict[kind]['gold']} · pred {strict[kind]['pred']}")
        + _bar(f"{kind} partial", partial[kind]["f1"], f"tp {partial[kind]['tp']}")
        for kind in MENTION_TYPES)
    value_bars = "".join(
        _bar(kind, report["values"][kind]["accuracy"],
             f"{report['values'][kind]['correct']}/{report['values'][kind]['total']}")
        for kind in VALUE_TYPES)
    fields = report["deals"]["fields"]
    field_bars = "".join(_bar(name, v["accuracy"], f"{v['correct']}/{v['total']}")
                         for name, v in fields.items())
    return (f'<div class="bars"><section><h3>Mention F1 per type</h3>{mention_bars}</section>'
            f'<section><h3>Value accuracy</h3>{value_bars}</section>'
            f'<section><h3>Matched-deal field accuracy</h3>{field_bars}</section></div>')


LEGEND = (
    '<div class="legend">'
    + "".join(f'<mark class="ent ent-{k} ok">{k}<span class="lbl">{k}</span></mark> '
              for k in MENTION_TYPES)
    + '<span class="sep"></span>'
    + "".join(f'<label><input type="checkbox" data-status="{s}" checked> '
              f'<mark class="ent ent-DATE {s}">{s}</mark> {esc(STATUS_TEXT[s])}</label> '
              for s in ("ok", "wrongvalue", "partial", "missed", "spurious"))
    + "</div>"
)


# --- pages ----------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,"Noto Sans KR","Malgun Gothic",sans-serif;margin:1.5em;
 color:#222;background:#fafafa}
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:2em;border-bottom:2px solid #ddd}
h3{font-size:1em;margin:.6em 0}
table{border-collapse:collapse;margin:.5em 0;background:#fff}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top;font-size:.9em}
table.figures td:not(:first-child){text-align:right;font-variant-numeric:tabular-nums}
.bars{display:flex;flex-wrap:wrap;gap:2em}.bars section{min-width:340px}
.bar{display:flex;align-items:center;gap:.5em;font-size:.85em;margin:2px 0}
.bar-label{width:9em}.bar-track{width:160px;height:12px;background:#e6e6e6;border-radius:3px}
.bar-fill{display:block;height:100%;background:#4a7bd0;border-radius:3px}
.bar-value{width:3.5em;text-align:right;font-variant-numeric:tabular-nums}.bar-detail{color:#777}
.legend{position:sticky;top:0;background:#fafafa;padding:.4em 0;z-index:2;
 border-bottom:1px solid #ddd;line-height:2.2}
.legend label{margin-right:.6em;white-space:nowrap}.sep{display:inline-block;width:1.5em}
.columns{display:grid;grid-template-columns:1fr 1fr;gap:1.2em}
.columns h3{margin:.3em 0}
.text{white-space:pre-wrap;word-break:keep-all;overflow-wrap:anywhere;line-height:2.1;
 background:#fff;border:1px solid #ddd;padding:.8em;font-size:.95em}
mark.ent{padding:.1em .3em;border-radius:.35em;border:2px solid transparent;color:#111;
 -webkit-box-decoration-break:clone;box-decoration-break:clone}
mark.ent .lbl{font-size:.6em;font-weight:bold;margin-left:.35em;vertical-align:middle;opacity:.7;
 text-transform:uppercase}
mark.ent mark.ent{padding:0 .15em}
.ent-COMPANY{background:#7aecec}.ent-DATE{background:#b5e48c}.ent-DURATION{background:#feca74}
.ent-MONEY{background:#c9b6ff}.ent-OTHER{background:#ddd}
mark.missed{border:2px dashed #d00;background-image:repeating-linear-gradient(45deg,
 rgba(255,255,255,.55) 0 4px,transparent 4px 8px)}
mark.spurious{border:2px dotted #e07000;text-decoration:line-through;
 text-decoration-color:#c00}
mark.wrongvalue{border:2px solid #d00;box-shadow:0 0 0 1px #fff inset}
mark.partial{border-bottom:3px double #b07000}
body.hide-ok mark.ok,body.hide-wrongvalue mark.wrongvalue,body.hide-partial mark.partial,
body.hide-missed mark.missed,body.hide-spurious mark.spurious{background:none;
 border-color:transparent;text-decoration:none;background-image:none}
body.hide-ok mark.ok .lbl,body.hide-wrongvalue mark.wrongvalue .lbl,
body.hide-partial mark.partial .lbl,body.hide-missed mark.missed .lbl,
body.hide-spurious mark.spurious .lbl{display:none}
tr.missed th{color:#d00}tr.spurious th{color:#e07000}tr.missed td{border-style:dashed}
tr.spurious td{text-decoration:line-through;text-decoration-color:#c00}
td.diff{background:#ffd7d7;font-weight:bold}
tr.gold th{background:#eef5ff}tr.pred th{background:#fff5e6}
.note{color:#a00}.none{color:#777}.warn{background:#fff3cd;border:1px solid #e0c060;padding:.5em}
ul.marklist{line-height:2.2}.doc-summary td{font-variant-numeric:tabular-nums}
.bad{color:#c00;font-weight:bold}
"""

SCRIPT = """
(function () {
  var boxes = document.querySelectorAll('.legend input[data-status]');
  Array.prototype.forEach.call(boxes, function (box) {
    box.addEventListener('change', function () {
      document.body.classList.toggle('hide-' + box.getAttribute('data-status'), !box.checked);
    });
  });
  var filter = document.getElementById('doc-filter');
  if (filter) {
    filter.addEventListener('input', function () {
      var needle = filter.value.toLowerCase();
      Array.prototype.forEach.call(document.querySelectorAll('section.doc'), function (s) {
        var hit = s.getAttribute('data-doc').toLowerCase().indexOf(needle) >= 0;
        s.style.display = hit ? '' : 'none';
      });
    });
  }
})();
"""


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head>"
            f"<body>{body}<script>{SCRIPT}</script></body></html>\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _doc_text(comp: DocComparison, texts: dict[str, str]) -> tuple[str | None, str]:
    """The article text for a comparison and, when there is none usable, why."""
    gold_sha = comp.gold.get("text_sha256")
    candidates = [("the prediction's _text", (comp.pred or {}).get("_text")),
                  ("the article file", texts.get(comp.doc_id))]
    reasons = []
    for origin, text in candidates:
        if not isinstance(text, str):
            continue
        if gold_sha and text_sha256(text) != gold_sha:
            reasons.append(f"{origin} does not match the gold's text_sha256")
            continue
        return text, ""
    reasons = reasons or ["no article text was found (give kdeal eval --articles DIR)"]
    return None, "; ".join(reasons)


def _columns(text: str | None, left: tuple[str, list[Mark]], right: tuple[str, list[Mark]],
             reason: str) -> str:
    notes = f'<p class="warn">{esc(reason)}; mentions are listed without the text.</p>' \
        if text is None else ""
    cells = []
    for heading, marks in (left, right):
        if text is None:
            inner = mark_list(marks)
        else:
            inner, unplaced = highlight(text, marks)
            inner = f'<div class="text">{inner}</div>'
            if unplaced:
                inner += (f'<p class="note">{len(unplaced)} mention(s) with offsets outside '
                          f"the text:</p>{mark_list(unplaced)}")
        cells.append(f"<div><h3>{esc(heading)} ({len(marks)})</h3>{inner}</div>")
    return f'{notes}<div class="columns">{"".join(cells)}</div>'


def _doc_counts(gold_marks: list[Mark], pred_marks: list[Mark]) -> dict[str, int]:
    return {status: sum(1 for m in [*gold_marks, *pred_marks] if m.status == status)
            for status in ("missed", "spurious", "wrongvalue", "partial")}


def write_html_report(path: Path, report: dict, comparisons: list[DocComparison],
                      texts: dict[str, str] | None = None) -> None:
    """The whole evaluation as one page: figures, bars, then every article side by side."""
    texts = texts or {}
    summary_rows, sections = [], []
    for number, comp in enumerate(comparisons):
        anchor = f"doc-{number}"
        gold_marks, pred_marks = comparison_marks(comp)
        counts = _doc_counts(gold_marks, pred_marks)
        gold_deals, pred_deals = comp.gold.get("deals", []), (comp.pred or {}).get("deals", [])
        cells = "".join(f'<td class="{"bad" if counts[s] else ""}">{counts[s]}</td>'
                        for s in ("missed", "spurious", "wrongvalue", "partial"))
        summary_rows.append(
            f'<tr><td><a href="#{anchor}">{esc(comp.doc_id)}</a>'
            f'{" <span class=bad>(no prediction)</span>" if comp.pred is None else ""}</td>'
            f"<td>{len(gold_marks)}</td><td>{len(pred_marks)}</td>"
            f"<td>{len(comp.mentions.strict_pairs)}</td>{cells}"
            f"<td>{len(gold_deals)}/{len(pred_deals)}/{len(comp.deal_pairs)}</td></tr>")
        text, reason = _doc_text(comp, texts)
        missing = '<p class="warn">No prediction for this article: every gold mention ' \
            "and deal counts as missed.</p>" if comp.pred is None else ""
        sections.append(
            f'<section class="doc" id="{anchor}" data-doc="{esc(comp.doc_id)}">'
            f"<h2>{esc(comp.doc_id)}</h2>{missing}"
            + _columns(text, ("gold", gold_marks), ("predicted", pred_marks), reason)
            + f"<h3>Deals</h3>{comparison_deals(comp)}</section>")
    docs = report.get("documents", {})
    summary = (
        '<table class="doc-summary"><thead><tr><th>article</th><th>gold mentions</th>'
        "<th>predicted</th><th>strict matches</th><th>missed</th><th>spurious</th>"
        "<th>wrong value</th><th>partial</th><th>deals gold/pred/matched</th></tr></thead>"
        f'<tbody>{"".join(summary_rows)}</tbody></table>')
    body = (
        "<h1>kdeal evaluation</h1>"
        f"<p>{docs.get('gold', len(comparisons))} gold documents, "
        f"{docs.get('predicted', '?')} predicted, "
        f"{docs.get('missing_predictions', '?')} without prediction.</p>"
        f"<h2>Figures</h2>{figures_table(report)}{figure_bars(report)}"
        f"<h2>Articles</h2>{summary}"
        '<p><label>Filter articles: <input id="doc-filter" type="search" '
        'placeholder="doc_id"></label></p>'
        f"{LEGEND}{''.join(sections)}")
    _write(path, page("kdeal evaluation", body))


def write_html_document(path: Path, record: dict) -> None:
    """One processed article (`kdeal show --html`): highlighted text, entities and deals."""
    marks = record_marks(record)
    text = record.get("_text")
    if isinstance(text, str):
        inner, unplaced = highlight(text, marks)
        shown = f'<div class="text">{inner}</div>'
        if unplaced:
            shown += f'<p class="note">{len(unplaced)} mention(s) outside the text:</p>'
            shown += mark_list(unplaced)
    else:
        shown = '<p class="warn">The record has no text; mentions are listed.</p>' + \
            mark_list(marks)
    entities = "".join(
        f"<tr><td>{esc(e.get('id'))}</td><td>{esc(e.get('name'))}</td>"
        f"<td>{esc(', '.join(e.get('aliases') or []))}</td></tr>"
        for e in record.get("entities", []))
    legend = ('<div class="legend">' + "".join(
        f'<mark class="ent ent-{k} pred">{k}<span class="lbl">{k}</span></mark> '
        for k in MENTION_TYPES) + "</div>")
    reference = esc(record.get("reference_date"))
    inferred = " (inferred)" if record.get("published_inferred") else ""
    body = (
        f"<h1>{esc(record.get('doc_id'))}</h1>"
        f"<p>reference date {reference}{inferred} · {len(marks)} mentions · "
        f"{len(record.get('entities', []))} entities · {len(record.get('deals', []))} deals</p>"
        f"{legend}{shown}<h2>Entities</h2>"
        "<table><thead><tr><th>id</th><th>name</th><th>aliases</th></tr></thead>"
        f"<tbody>{entities}</tbody></table><h2>Deals</h2>{record_deals(record)}")
    _write(path, page(f"kdeal · {record.get('doc_id')}", body))


# --- finding the article texts for the report -----------------------------------------

def article_roots(gold_dir: Path, articles: Path | None = None) -> list[Path]:
    """Where to look for the articles of a gold folder: `--articles`, else `articles/` beside it.

    `corpus/gold` → `corpus/articles`; `corpus/gold/dev` → `corpus/articles` (doc_ids keep
    their `dev/` prefix) and the mirrored `corpus/articles/dev`.
    """
    if articles is not None:
        return [articles]
    gold_dir = gold_dir.resolve()
    candidates = [a.parent / "articles" for a in [gold_dir, *gold_dir.parents][:3]]
    for ancestor in [gold_dir, *gold_dir.parents]:
        if ancestor.name == "gold":
            candidates.append(ancestor.parent / "articles" / gold_dir.relative_to(ancestor))
            break
    roots: list[Path] = []
    for candidate in candidates:
        if candidate.exists() and candidate not in roots:
            roots.append(candidate)
    return roots


def find_article_texts(gold_docs: dict[str, dict],
                       roots: list[Path]) -> tuple[dict[str, str], list[str]]:
    """The normalized text of each gold document's article, checked against `text_sha256`.

    `ROOT/<doc_id>.txt` is tried first, then `.jsonl` files under ROOT; texts are read
    with `read_inputs`, so they are normalized exactly as the pipeline normalizes them.
    """
    texts: dict[str, str] = {}
    warnings: list[str] = []

    def accept(doc_id: str, article: Article) -> None:
        sha = gold_docs[doc_id].get("text_sha256")
        if sha and text_sha256(article.text) != sha:
            warnings.append(f"{doc_id}: {article.origin} does not match the gold's "
                            "text_sha256; its text is not shown in the report")
            return
        texts[doc_id] = article.text

    for root in roots:
        if root.is_file():
            articles = (a for a in read_inputs([root]) if isinstance(a, Article))
            for article in articles:
                if article.doc_id in gold_docs and article.doc_id not in texts:
                    accept(article.doc_id, article)
            continue
        base = root.resolve()
        for doc_id in gold_docs:
            candidate = (root / f"{doc_id}.txt").resolve()
            if doc_id in texts or not candidate.is_relative_to(base) or not candidate.is_file():
                continue
            for article in read_inputs([candidate]):
                if isinstance(article, Article):
                    accept(doc_id, article)
        if all(d in texts for d in gold_docs):
            break
        for jsonl in sorted(root.rglob("*.jsonl")):
            for article in read_inputs([jsonl]):
                if (isinstance(article, Article) and article.doc_id in gold_docs
                        and article.doc_id not in texts):
                    accept(article.doc_id, article)
    return texts, warnings
