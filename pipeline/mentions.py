"""Mentions as spaCy spans in `doc.spans["kdeal"]`, each carrying its rule id and value.

A span's label is the mention type, `span.id_` the rule that produced it and
`span.kb_id_` the entity it links to (COMPANY). Values live in the span
extensions `value` and `mod`. When a mention's edges fall inside a token the
span is expanded to whole tokens and the exact offsets are kept in `chars`.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

SPAN_KEY = "kdeal"
TYPES = ("COMPANY", "DATE", "DURATION", "MONEY")

for _name in ("value", "mod", "chars"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


def add_mention(doc: Doc, label: str, start: int, end: int, rule: str,
                value: object = None, mod: str | None = None, entity: str = "") -> Span | None:
    """Add one candidate mention by character offsets; returns None for an empty span."""
    if not 0 <= start < end <= len(doc.text):
        return None
    span = doc.char_span(start, end, label=label, kb_id=entity, span_id=rule,
                         alignment_mode="expand")
    if span is None:
        return None
    if (span.start_char, span.end_char) != (start, end):
        span._.chars = (start, end)
    span._.value = value
    span._.mod = mod
    if SPAN_KEY not in doc.spans:
        doc.spans[SPAN_KEY] = []
    doc.spans[SPAN_KEY].append(span)
    return span


def offsets(span: Span) -> tuple[int, int]:
    """Exact character offsets of a mention span."""
    return span._.chars or (span.start_char, span.end_char)


def mention_spans(doc: Doc, label: str | None = None) -> list[Span]:
    """Mention spans of the doc (optionally one type), in text order."""
    if SPAN_KEY not in doc.spans:
        return []
    spans = [s for s in doc.spans[SPAN_KEY] if label is None or s.label_ == label]
    return sorted(spans, key=offsets)
