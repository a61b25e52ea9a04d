"""Throughput benchmark: kdeal against Kiwi tokenizing the same texts, in one run.

Builds a deterministic corpus of articles by recombining the sentences of
`corpus/articles` (seeded), then measures side by side: Kiwi tokenize alone
(one process), `kdeal extract --jobs 1`, `--jobs 2`, and the Dask engine with
2 workers; reports articles per second, ratios to Kiwi alone, peak memory per
process and start-up time, and writes them to `bench/RESULTS.md`.

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
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
start = time.perf_counter()
for text in texts:
    for line in text.split("\\n"):
        if line.strip():
            kiwi.tokenize(line, split_sents=True)
print(time.perf_counter() - start)
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

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(code, seconds, peak)
"""


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the largest process of a command tree.

    The command's own output is discarded, so only the measurement line is read.
    """
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout.split()
    if out[0] not in ("0", "1"):
        raise SystemExit(f"{' '.join(command)} exited with {out[0]}")
    return float(out[1]), float(out[2]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kdeal-bench-"))
    try:
        corpus = work / "articles"
        chars = build_corpus(corpus, args.articles, args.seed)
        kdeal = [sys.executable, "-c", "from pipeline.cli import main; main()"]
        rows = []
        kiwi_seconds = float(subprocess.run([sys.executable, "-c", KIWI_ALONE, str(corpus)],
                                            check=True, capture_output=True,
                                            text=True).stdout.strip())
        _, kiwi_peak = measure([sys.executable, "-c", KIWI_ALONE, str(corpus)])
        rows.append(("Kiwi tokenize alone (1 process, no start-up)", kiwi_seconds, kiwi_peak))
        configs = [("kdeal extract --jobs 1", ["--jobs", "1"]),
                   ("kdeal extract --jobs 2", ["--jobs", "2"]),
                   ("kdeal extract --engine dask (2 workers)", ["--engine", "dask", "--jobs", "2"])]
        for name, extra in configs:
            out = work / f"out-{len(rows)}"
            seconds, peak = measure([*kdeal, "extract", str(corpus), "-o", str(out), "--quiet",
                                     *extra])
            run = json.loads((out / "run.json").read_text(encoding="utf-8"))
            rows.append((name, seconds, peak, run["counts"]))
        startup = float(subprocess.run([sys.executable, "-c", STARTUP], check=True,
                                       capture_output=True, text=True,
                                       cwd=ROOT).stdout.strip())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    kiwi_rate = args.articles / kiwi_seconds
    jobs1 = args.articles / rows[1][1]
    lines = [
        "# Benchmark results",
        "",
        f"Command: `python bench/run_bench.py --articles {args.articles} --seed {args.seed}`  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}  ",
        f"Corpus: {args.articles} articles, {chars:,} characters, recombined from "
        "`corpus/articles` sentences.  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "| run | seconds | articles/s | ratio to Kiwi alone | peak RSS per process (MiB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        rate = args.articles / row[1]
        lines.append(f"| {row[0]} | {row[1]:.1f} | {rate:.1f} | {rate / kiwi_rate:.2f}× | "
                     f"{row[2]:.0f} |")
    lines += [
        "",
        f"- `--jobs 2` / `--jobs 1`: {args.articles / rows[2][1] / jobs1:.2f}× (target ≥ 1.8×)",
        f"- `--jobs 1` / Kiwi alone: {jobs1 / kiwi_rate:.2f}× (target ≥ 1.0×)",
        f"- start-up (import, Kiwi load, rule compile): {startup:.2f} s (target ≤ 3 s)",
        "- kdeal times include process start-up, reading, writing every output file and "
        "rebuilding the tables; Kiwi alone is timed around tokenization only.",
    ]
    args.results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
