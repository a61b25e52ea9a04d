"""Throughput benchmark: kdeal against Kiwi tokenizing the same texts, in one run.

Builds a deterministic corpus of articles by recombining the sentences of
`corpus/articles` (seeded), then measures side by side: Kiwi tokenize alone
(one process), `kdeal extract --jobs 1`, `--jobs 2`, and the Dask engine with
2 workers; reports articles per second, CPU time, ratios to Kiwi alone, peak
memory per process, start-up time (best and median of several runs) and the CPU
time of each pipeline stage, and writes them to `bench/RESULTS.md`. Other work on
the machine slows every row, so the load average is recorded with the results.

Run: ``python bench/run_bench.py [--articles 2000] [--seed 7]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCE_END = re.compile(r"(?<=[.!?다])\s+")


def build_corpus(target: Path, articles: int, seed: int) -> int:
    """Write `articles` synthetic articles; returns the total number of characters."""
    paragraphs: list[str] = []
    for path in sorted((ROOT / "corpus" / "articles").rglob("*.txt")):
        paragraphs += [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    sentences = [s for p in paragraphs for s in SENTENCE_END.split(p) if len(s) > 15]
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    chars = 0
    for i in range(articles):
        lines = []
        for _ in range(rng.randint(6, 14)):
            lines.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4))))
        text = "\n".join(lines)
        chars += len(text)
        (target / f"a{i:05d}.txt").write_text(text, encoding="utf-8")
        (target / f"a{i:05d}.meta.json").write_text('{"published": "2024-12-31"}',
                                                     encoding="utf-8")
    return chars


KIWI_ALONE = """
import sys, time, pathlib
from kiwipiepy import Kiwi
kiwi = Kiwi()
kiwi.tokenize("워밍업 문장이다.")  # Kiwi builds its analyser on first use: start-up, not timed
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
start = time.perf_counter()
for text in texts:
    for line in text.split("\\n"):
        if line.strip():
            kiwi.tokenize(line, split_sents=True)
pathlib.Path(sys.argv[2]).write_text(str(time.perf_counter() - start))
"""

STARTUP = """
import time
start = time.perf_counter()
from pipeline.ruleset import load_ruleset, rule_dirs
from pipeline.tokenizer import make_doc
load_ruleset(rule_dirs())
make_doc("워밍업 문장이다.")
print(time.perf_counter() - start)
"""
STARTUP_RUNS = 5

STARTUP_COLD_RUNS = 2  # without the compiled-rules cache (KDEAL_CACHE_DIR=off)

STAGES = """
import sys, time, pathlib
from pipeline import extract
from pipeline.reading import Article, read_inputs
from pipeline.ruleset import load_ruleset, rule_dirs
from pipeline.runner import tune_gc
from pipeline.tokenizer import make_doc
ruleset = load_ruleset(rule_dirs())
make_doc("워밍업 문장이다.")  # Kiwi loads on first use: not part of any article
tune_gc()  # the garbage-collector settings of a kdeal worker
items = [a for a in read_inputs([pathlib.Path(sys.argv[1])]) if isinstance(a, Article)]
items = items[:int(sys.argv[2])]
spent = dict.fromkeys(["tokenize (Kiwi + Doc)", "values", "companies + linking", "deals",
                       "record"], 0.0)
for article in items:
    clock = time.process_time()
    reference, inferred = extract.reference_for(article, None)
    warnings = list(article.warnings)
    doc = make_doc(article.text)
    doc.user_data["kdeal_reference"] = reference
    marks = [time.process_time()]
    extract.add_value_mentions(doc, ruleset, reference, warnings)
    marks.append(time.process_time())
    extract.add_company_mentions(doc, ruleset)
    marks.append(time.process_time())
    doc.user_data["kdeal_deals"] = ruleset.deals.assemble(doc)
    marks.append(time.process_time())
    extract.doc_to_record(doc, article, reference, inferred, warnings)
    marks.append(time.process_time())
    for name, (a, b) in zip(spent, zip([clock, *marks], marks)):
        spent[name] += b - a
for name, seconds in spent.items():
    print(f"{name}\t{seconds / len(items) * 1000:.2f}")
"""
STAGE_ARTICLES = 300

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"""


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) of the largest process and CPU seconds of a command tree.

    The command's own output is discarded, so only the measurement line is read; it
    runs in the repository, so `pipeline` is this checkout's.
    """
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout.split()
    if out[0] != "0":
        raise SystemExit(f"{' '.join(command)} exited with {out[0]}")
    return float(out[1]), float(out[2]) / 1024, float(out[3])


def startup_seconds(env: dict[str, str] | None = None) -> float:
    """Seconds from a new process to rules and Kiwi loaded (see `STARTUP`)."""
    done = subprocess.run([sys.executable, "-c", STARTUP], check=True, capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **(env or {})})
    return float(done.stdout.strip())


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def kiwi_alone(corpus: Path, work: Path, rows: list[tuple[str, float, float, float]],
               name: str) -> float:
    """Time Kiwi tokenizing the corpus alone in its own process; add the row, return seconds."""
    timing = work / "kiwi-seconds"
    _, peak, cpu = measure([sys.executable, "-c", KIWI_ALONE, str(corpus), str(timing)])
    seconds = float(timing.read_text())
    rows.append((name, seconds, peak, cpu))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kdeal-bench-"))
    load_before = load_average()
    try:
        corpus = work / "articles"
        chars = build_corpus(corpus, args.articles, args.seed)
        kdeal = [sys.executable, "-c", "from pipeline.cli import main; main()"]
        rows: list[tuple[str, float, float, float]] = []
        kiwi_seconds = kiwi_alone(corpus, work, rows, "Kiwi tokenize alone (1 process, no "
                                  "start-up)")
        configs = [("kdeal extract --jobs 1", ["--jobs", "1"]),
                   ("kdeal extract --jobs 2", ["--jobs", "2"]),
                   ("kdeal extract --engine dask (2 workers)", ["--engine", "dask", "--jobs", "2"])]
        for name, extra in configs:
            out = work / f"out-{len(rows)}"
            seconds, peak, cpu = measure([*kdeal, "extract", str(corpus), "-o", str(out),
                                          "--quiet", *extra])
            counts = json.loads((out / "run.json").read_text(encoding="utf-8"))["counts"]
            if counts["processed"] != args.articles:
                raise SystemExit(f"{name}: {counts['processed']} of {args.articles} articles "
                                 f"processed ({counts})")
            rows.append((name, seconds, peak, cpu))
            if extra == ["--jobs", "1"]:
                # the machine's speed drifts over minutes (shared hosts): Kiwi alone is timed
                # again right after `--jobs 1`, and the ratio is to the mean of both timings
                kiwi_seconds = (kiwi_seconds + kiwi_alone(
                    corpus, work, rows, "Kiwi tokenize alone, again after `--jobs 1`")) / 2
        stage_lines = subprocess.run([sys.executable, "-c", STAGES, str(corpus),
                                      str(STAGE_ARTICLES)], check=True, capture_output=True,
                                     text=True, cwd=ROOT).stdout.strip().splitlines()
        stages = [line.split("\t") for line in stage_lines]
        # the kdeal runs above left the compiled rules in the cache, as any earlier run does
        startups = sorted(startup_seconds() for _ in range(STARTUP_RUNS))
        cold = sorted(startup_seconds({"KDEAL_CACHE_DIR": "off"})
                      for _ in range(STARTUP_COLD_RUNS))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    kiwi_rate = args.articles / kiwi_seconds
    jobs1 = args.articles / next(row[1] for row in rows if row[0].endswith("--jobs 1"))
    jobs2 = args.articles / next(row[1] for row in rows if row[0].endswith("--jobs 2"))
    lines = [
        "# Benchmark results",
        "",
        f"Command: `python bench/run_bench.py --articles {args.articles} --seed {args.seed}`  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}  ",
        f"Corpus: {args.articles} articles, {chars:,} characters, recombined from "
        "`corpus/articles` sentences.  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average before "
        f"{load_before}, after {load_average()} (other work on the machine slows every row)",
        "",
        "| run | seconds | articles/s | ms per article | CPU ms per article | "
        "ratio to Kiwi alone | peak RSS per process (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, seconds, peak, cpu in rows:
        rate = args.articles / seconds
        lines.append(f"| {name} | {seconds:.1f} | {rate:.1f} | "
                     f"{seconds / args.articles * 1000:.1f} | {cpu / args.articles * 1000:.1f} | "
                     f"{rate / kiwi_rate:.2f}× | {peak:.0f} |")
    lines += [
        "",
        f"- `--jobs 2` / `--jobs 1`: {jobs2 / jobs1:.2f}× (target ≥ 1.8×)",
        f"- `--jobs 1` / Kiwi alone: {jobs1 / kiwi_rate:.2f}× (target ≥ 1.0×; Kiwi alone as the "
        f"mean of its two timings, {kiwi_seconds:.1f} s)",
        f"- start-up (import, Kiwi load, rule compile): median "
        f"{startups[len(startups) // 2]:.2f} s, best {startups[0]:.2f} s of {STARTUP_RUNS} runs "
        f"(target ≤ 3 s); without the compiled-rules cache (first run after a change of the "
        f"rules or the code) best {cold[0]:.2f} s of {STARTUP_COLD_RUNS}",
        "",
        f"CPU time per article by stage (first {STAGE_ARTICLES} articles, one process, "
        "after start-up, with a kdeal worker's garbage-collector settings):",
        "",
        "| stage | CPU ms per article |",
        "|---|---:|",
        *[f"| {name} | {ms} |" for name, ms in stages],
        f"| Kiwi tokenize alone, for comparison | {kiwi_seconds / args.articles * 1000:.2f} |",
        "",
        "- kdeal times include process start-up, reading, writing every output file and "
        "rebuilding the tables; Kiwi alone is timed around tokenization only (its CPU column "
        "includes loading Kiwi).",
    ]
    args.results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
