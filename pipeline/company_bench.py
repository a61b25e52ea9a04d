"""Measure COMPANY mentions and entities against gold files, with or without the dictionary.

`python -m pipeline.company_bench corpus/articles/dev corpus/gold/dev` prints strict
P/R/F1 for COMPANY mentions and entity F1 in three settings: the full dictionary,
the dictionary without the companies of each gold article (does discovery really
work?), and discovery alone. `--show` lists the misses and false hits per article.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.companies import CompanyFinder, load_company_rules
from pipeline.company_dict import CompanyDictionary, DictEntry
from pipeline.evaluation import alias_key, load_documents, match_entities, prf
from pipeline.linking import link_entities
from pipeline.reading import read_txt
from pipeline.ruleset import rule_dirs


def _entry_keys(finder: CompanyFinder) -> list[tuple[DictEntry, frozenset[str]]]:
    """Each dictionary entry with the alias keys of its names (computed once per run)."""
    return [(e, frozenset(alias_key(n) for n in e.names))
            for e in finder.dictionary.entries.values()]


def _without(finder: CompanyFinder, entry_keys: list[tuple[DictEntry, frozenset[str]]],
             gold: dict) -> CompanyFinder:
    """The finder whose dictionary lacks every company of this gold article."""
    gold_keys = {alias_key(a) for e in gold.get("entities", [])
                 for a in [e.get("name", ""), *e.get("aliases", [])]}
    entries = [e for e, keys in entry_keys if keys.isdisjoint(gold_keys)]
    return CompanyFinder(CompanyDictionary(entries), finder.cues)


def run(articles: Path, gold_dir: Path, mode: str, show: bool,
        every: int = 1) -> dict[str, dict]:
    """Figures over the gold articles; `every` > 1 takes every n-th article in id order (a
    fixed sample, for a test that must stay quick as the corpus grows)."""
    finder, problems = load_company_rules(rule_dirs())
    for problem in problems:
        print("rule problem:", problem)
    golds, _warnings = load_documents(gold_dir)
    entry_keys = _entry_keys(finder) if mode == "no-gold-dict" else []
    tp = n_gold = n_pred = 0
    e_tp = e_gold = e_pred = 0
    for doc_id, gold in sorted(golds.items())[::max(1, every)]:
        path = articles / f"{doc_id}.txt"
        if not path.exists():
            path = articles / f"{Path(doc_id).name}.txt"
        if not path.exists():
            continue
        text = read_txt(path, path.parent).text
        if mode == "full":
            use = finder
        elif mode == "no-gold-dict":
            use = _without(finder, entry_keys, gold)
        else:
            use = finder.without_dictionary()
        matches = use.find(text)
        entities, _ids = link_entities(text, matches, use)
        gold_spans = {(m["start"], m["end"]) for m in gold["mentions"] if m["type"] == "COMPANY"}
        pred_spans = {(m.start, m.end) for m in matches}
        tp += len(gold_spans & pred_spans)
        n_gold += len(gold_spans)
        n_pred += len(pred_spans)
        pred_entities = [{"id": e.id, "name": e.name, "aliases": e.aliases} for e in entities]
        pairs = match_entities(gold.get("entities", []), pred_entities)
        e_tp += len(pairs)
        e_gold += len(gold.get("entities", []))
        e_pred += len(pred_entities)
        if show:
            matched_gold = set(pairs.values())
            for g in gold.get("entities", []):
                if g["id"] not in matched_gold:
                    print(f"  {doc_id} ENTITY MISS {g['name']} {g.get('aliases')}")
            for p in pred_entities:
                if p["id"] not in pairs:
                    print(f"  {doc_id} ENTITY FALSE {p['name']} {p['aliases']}")
            missed = sorted(gold_spans - pred_spans)
            extra = sorted(pred_spans - gold_spans)
            if missed or extra:
                print(f"--- {doc_id}")
                for s, e in missed:
                    print(f"  MISS {text[s:e]!r} …{text[max(0, s - 15):e + 15]!r}")
                for s, e in extra:
                    rule = next(m.rule for m in matches if (m.start, m.end) == (s, e))
                    print(f"  FALSE {text[s:e]!r} <{rule}> …{text[max(0, s - 15):e + 15]!r}")
    return {"mentions": prf(tp, n_gold, n_pred), "entities": prf(e_tp, e_gold, e_pred)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("articles", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--mode", choices=["full", "no-gold-dict", "discovery", "all"],
                        default="all")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--every", type=int, default=1,
                        help="take every n-th article (a fixed sample)")
    args = parser.parse_args()
    modes = ["full", "no-gold-dict", "discovery"] if args.mode == "all" else [args.mode]
    for mode in modes:
        report = run(args.articles, args.gold, mode, args.show, args.every)
        m, e = report["mentions"], report["entities"]
        print(f"{mode:13} COMPANY P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}"
              f" (gold {m['gold']}, pred {m['pred']}) | entities P {e['precision']:.3f}"
              f" R {e['recall']:.3f} F1 {e['f1']:.3f}")


if __name__ == "__main__":
    main()
