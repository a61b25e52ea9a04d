"""Per-article extraction: one `Doc` flows through every stage, then becomes a record.

Stages, in order: tokenize (Kiwi → Doc), value mentions (money, dates,
durations), company mentions, entity linking, deal assembly. Each stage reads
the Doc and adds to it; `doc_to_record` turns the finished Doc into the
`kdeal.doc/1` document.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from spacy.tokens import Doc

from pipeline import mentions as mention_store
from pipeline.reading import Article
from pipeline.ruleset import Ruleset
from pipeline.textnorm import text_sha256
from pipeline.tokenizer import make_doc

SCHEMA = "kdeal.doc/1"


def reference_for(article: Article, default: dt.date | None) -> tuple[dt.date | None, bool]:
    """The reference date of an article and whether it was inferred from the text."""
    from pipeline.dates import infer_reference_date

    if article.published is not None:
        return article.published, False
    if default is not None:
        return default, False
    return infer_reference_date(article.text), True


def add_value_mentions(doc: Doc, ruleset: Ruleset, reference: dt.date | None,
                       warnings: list[str]) -> None:
    for match in ruleset.values.find(doc.text, reference, warnings):
        mention_store.add_mention(doc, match.label, match.start, match.end, match.rule,
                                  value=match.value, mod=match.mod)


def add_company_mentions(doc: Doc, ruleset: Ruleset) -> None:
    from pipeline.linking import link_entities

    matches = ruleset.companies.find(doc)
    entities, entity_ids = link_entities(doc.text, matches, ruleset.companies)
    for match, entity_id in zip(matches, entity_ids, strict=True):
        mention_store.add_mention(doc, "COMPANY", match.start, match.end, match.rule,
                                  entity=entity_id)
    doc.user_data["kdeal_entities"] = entities


def process_article(article: Article, ruleset: Ruleset,
                    default_published: dt.date | None = None) -> dict[str, Any]:
    """Run every stage on one article and return its `kdeal.doc/1` record."""
    reference, inferred = reference_for(article, default_published)
    warnings = list(article.warnings)
    doc = make_doc(article.text)
    doc.user_data["kdeal_reference"] = reference
    add_value_mentions(doc, ruleset, reference, warnings)
    add_company_mentions(doc, ruleset)
    doc.user_data["kdeal_deals"] = ruleset.deals.assemble(doc)
    return doc_to_record(doc, article, reference, inferred, warnings)


def _mention_record(span: Any) -> dict[str, Any]:
    start, end = mention_store.offsets(span)
    record: dict[str, Any] = {"type": span.label_, "start": start, "end": end,
                              "text": span.doc.text[start:end]}
    if span.label_ == "COMPANY":
        record["entity"] = span.kb_id_ or None
    else:
        record["value"] = span._.value
        if span._.mod:
            record["mod"] = span._.mod
    record["rule"] = span.id_
    return record


def doc_to_record(doc: Doc, article: Article, reference: dt.date | None, inferred: bool,
                  warnings: list[str]) -> dict[str, Any]:
    """The finished Doc as a `kdeal.doc/1` document (ANNOTATION.md §2)."""
    entities = doc.user_data.get("kdeal_entities", [])
    record: dict[str, Any] = {
        "schema": SCHEMA,
        "doc_id": article.doc_id,
        "published": article.published.isoformat() if article.published else None,
        "published_inferred": inferred,
        "reference_date": reference.isoformat() if reference else None,
        "text_sha256": text_sha256(doc.text),
    }
    for key in ("title", "source", "url"):
        if getattr(article, key):
            record[key] = getattr(article, key)
    record["entities"] = [
        {"id": e.id, "name": e.name, "aliases": list(e.aliases)} for e in entities
    ]
    record["mentions"] = [_mention_record(span) for span in mention_store.mention_spans(doc)]
    record["deals"] = [deal.to_json() if hasattr(deal, "to_json") else deal
                       for deal in doc.user_data.get("kdeal_deals", [])]
    if warnings:
        record["warnings"] = warnings
    return record
