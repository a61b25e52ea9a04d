"""Running extraction over many articles: workers, resume, progress and the run summary.

Articles are streamed from the input and handed to worker processes, at most
a bounded number in flight, so memory stays flat however large the input.
An article whose output file already exists with the same text hash and run
key (rules hash, version, default reference date) is not redone unless forced.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import platform
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.reading import Article, ReadProblem, read_inputs
from pipeline.ruleset import Ruleset, load_ruleset, rules_hash
from pipeline.textnorm import text_sha256
from pipeline.writing import (
    UnsafeDocId,
    doc_path,
    read_document,
    write_document,
    write_json,
    write_jsonl,
    write_tables,
)

DEFAULT_MAX_CHARS = 2_000_000  # ~400 long news articles; larger inputs are crawl accidents
# Python's cycle collector ran about every 700 net allocations, ~3 times per article,
# each pass scanning the young objects of the article being built: about 2 ms of
# every article. Articles free their objects by reference counting, so rarer passes
# keep memory flat; everything loaded at start-up (rules, Kiwi, spaCy) is frozen out
# of the scans. Collecting never changes what is extracted.
GC_THRESHOLDS = (20_000, 10, 10)
_WORKER_RULESET: Ruleset | None = None
_WORKER_OPTIONS: dict[str, Any] = {}


@dataclass
class RunOptions:
    inputs: list[Path]
    out: Path
    rule_dirs: list[Path]
    published: dt.date | None = None
    jobs: int = 1
    force: bool = False
    engine: str = "local"
    scheduler: str | None = None
    max_chars: int = DEFAULT_MAX_CHARS


@dataclass
class RunSummary:
    read: int = 0
    processed: int = 0
    up_to_date: int = 0
    skipped: int = 0
    failed: int = 0
    warnings: int = 0
    mentions: int = 0
    deals: int = 0
    seconds: float = 0.0
    problems: list[dict] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.read} articles read, {self.processed} processed, "
                f"{self.up_to_date} up to date, {self.skipped} skipped, {self.failed} failed; "
                f"{self.mentions} mentions, {self.deals} deals in {self.seconds:.1f} s")


def run_key(options: RunOptions) -> str:
    """What besides the text decides an article's output; a change means redo."""
    published = options.published.isoformat() if options.published else "-"
    return f"{__version__}:{rules_hash(options.rule_dirs)}:{published}"


def init_worker(rule_dirs: list[Path], published: dt.date | None,
                ruleset: Ruleset | None = None) -> None:
    """Load rules and Kiwi once per worker process (`ruleset`: rules already loaded here)."""
    global _WORKER_RULESET
    from pipeline.tokenizer import make_doc

    _WORKER_RULESET = ruleset if ruleset is not None else load_ruleset(rule_dirs)
    _WORKER_OPTIONS["published"] = published
    make_doc("워밍업 문장이다.")
    tune_gc()


def tune_gc() -> None:
    """Fewer cycle collections in a worker, none of them over what start-up loaded."""
    gc.freeze()  # (no collection first: it would cost 60 ms to free a few kilobytes)
    gc.set_threshold(*GC_THRESHOLDS)


def process_one(article: Article) -> tuple[str, Any]:
    """Process an article in a worker: ("ok", record) or ("error", reason)."""
    from pipeline.extract import process_article

    assert _WORKER_RULESET is not None, "init_worker was not called"
    try:
        return "ok", process_article(article, _WORKER_RULESET, _WORKER_OPTIONS.get("published"))
    except Exception as exc:  # one bad article must not stop the batch
        where = traceback.extract_tb(exc.__traceback__)[-1]
        place = f"{Path(where.filename).name}:{where.lineno}"
        return "error", f"{type(exc).__name__}: {exc} (at {place})"


def count_inputs(inputs: list[Path]) -> int:
    """A quick estimate of the number of articles, for the progress bar."""
    total = 0
    for item in inputs:
        paths: Iterable[Path] = [item] if item.is_file() else (
            item.rglob("*") if item.is_dir() else [])
        for path in paths:
            try:
                if path.name.endswith(".txt") and path.is_file():
                    total += 1
                elif path.name.endswith(".jsonl") and path.is_file():
                    with open(path, "rb") as handle:
                        total += sum(chunk.count(b"\n") for chunk in iter(
                            lambda h=handle: h.read(1 << 20), b""))
            except OSError:
                continue
    return total


def _local_results(articles: Iterator[Article], options: RunOptions, ruleset: Ruleset
                   ) -> Iterator[tuple[Article, tuple[str, Any]]]:
    if options.jobs <= 1:  # this process is the worker: the rules it loaded serve (1.4 s)
        init_worker(options.rule_dirs, options.published, ruleset)
        for article in articles:
            yield article, process_one(article)
        return
    in_flight: dict[Future, Article] = {}
    limit = options.jobs * 4
    with ProcessPoolExecutor(max_workers=options.jobs, initializer=init_worker,
                             initargs=(options.rule_dirs, options.published)) as pool:
        for article in articles:
            in_flight[pool.submit(process_one, article)] = article
            if len(in_flight) >= limit:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    yield in_flight.pop(future), future.result()
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                yield in_flight.pop(future), future.result()


def run_extract(options: RunOptions,
                progress: Callable[[int], None] | None = None) -> RunSummary:
    """Extract every article of the inputs into `options.out`; never stops on a bad article."""
    started = time.perf_counter()
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    ruleset = load_ruleset(options.rule_dirs)  # fail early, in the main process, on bad rules
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    key = run_key(options)
    summary = RunSummary()
    done_ids: list[str] = []
    input_order: dict[str, int] = {}

    def report(item: ReadProblem | Article, reason: str, level: str) -> None:
        origin = item.origin
        summary.problems.append({"origin": origin, "doc_id": item.doc_id, "level": level,
                                 "reason": reason})

    def pending() -> Iterator[Article]:
        for item in read_inputs(options.inputs):
            if isinstance(item, ReadProblem):
                if item.level == "skipped":
                    summary.skipped += 1
                else:
                    summary.read += 1
                    summary.failed += 1
                report(item, item.reason, item.level)
                if progress:
                    progress(1)
                continue
            summary.read += 1
            input_order[item.doc_id] = len(input_order)
            if len(item.text) > options.max_chars:
                summary.failed += 1
                report(item, f"article too large: {len(item.text):,} characters (limit "
                       f"{options.max_chars:,}); split it or raise --max-chars", "error")
                if progress:
                    progress(1)
                continue
            try:
                doc_path(out, item.doc_id)
            except UnsafeDocId as exc:
                summary.failed += 1
                report(item, str(exc), "error")
                continue
            if not options.force:
                existing = read_document(out, item.doc_id)
                if (existing and existing.get("text_sha256") == text_sha256(item.text)
                        and existing.get("kdeal_run_key") == key):
                    summary.up_to_date += 1
                    done_ids.append(item.doc_id)
                    if progress:
                        progress(1)
                    continue
            yield item

    results = _dask_results(pending(), options) if options.engine == "dask" else _local_results(
        pending(), options, ruleset)
    for article, (status, payload) in results:
        if status == "ok":
            payload["kdeal_run_key"] = key
            try:
                write_document(out, payload)
            except OSError as exc:  # a full disk or a bad path fails this article only
                summary.failed += 1
                report(article, f"cannot write output: {exc}", "error")
                if progress:
                    progress(1)
                continue
            summary.processed += 1
            done_ids.append(article.doc_id)
            for warning in payload.get("warnings", []):
                summary.warnings += 1
                report(article, warning, "warning")
        else:
            summary.failed += 1
            report(article, payload, "error")
        if progress:
            progress(1)

    def records() -> Iterator[dict]:
        # tables follow the input order, whatever order the workers finished in
        for doc_id in sorted(done_ids, key=input_order.__getitem__):
            record = read_document(out, doc_id)
            if record is not None:
                yield record

    counts = write_tables(out, records())
    summary.mentions, summary.deals = counts["mentions"], counts["deals"]
    write_jsonl(out / "errors.jsonl", summary.problems)
    summary.seconds = time.perf_counter() - started
    write_json(out / "run.json", run_info(options, summary, started_at, counts))
    return summary


def _dask_results(articles: Iterator[Article], options: RunOptions
                  ) -> Iterator[tuple[Article, tuple[str, Any]]]:
    from pipeline.distributed import dask_results

    yield from dask_results(articles, options)


def run_info(options: RunOptions, summary: RunSummary, started_at: str,
             counts: dict[str, int]) -> dict:
    import kiwipiepy
    import spacy

    return {
        "kdeal": __version__,
        "kiwipiepy": kiwipiepy.__version__,
        "spacy": spacy.__version__,
        "python": platform.python_version(),
        "rules_hash": rules_hash(options.rule_dirs),
        "rule_dirs": [str(d) for d in options.rule_dirs],
        "inputs": [str(p) for p in options.inputs],
        "published_default": options.published.isoformat() if options.published else None,
        "engine": options.engine,
        "jobs": options.jobs,
        "started": started_at,
        "seconds": round(summary.seconds, 3),
        "articles_per_second": round(summary.processed / summary.seconds, 2)
        if summary.seconds else None,
        "counts": {"read": summary.read, "processed": summary.processed,
                   "up_to_date": summary.up_to_date, "skipped": summary.skipped,
                   "failed": summary.failed, "warnings": summary.warnings, **counts},
        "cpu_count": os.cpu_count(),
    }
