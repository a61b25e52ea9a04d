"""Batch runs: resume after a killed run, up-to-date skipping, parallel and Dask engines."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.ruleset import rule_dirs
from pipeline.runner import RunOptions, run_extract

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "corpus" / "articles" / "dev").glob("*.txt"))[:6]
TABLES = ("mentions.csv", "entities.csv", "deals.csv")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for path in ARTICLES:
        shutil.copy(path, folder / path.name)
        meta = path.with_suffix(".meta.json")
        if meta.exists():
            shutil.copy(meta, folder / meta.name)
    return folder


@pytest.fixture(scope="module")
def reference_run(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    summary = run_extract(RunOptions(inputs=[small_corpus], out=out, rule_dirs=rule_dirs(),
                                     jobs=1))
    assert summary.processed == len(ARTICLES) and summary.failed == 0
    return out


def _docs(out: Path) -> dict[str, dict]:
    docs = {}
    for path in sorted((out / "docs").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        docs[data["doc_id"]] = data
    return docs


def assert_same_output(a: Path, b: Path) -> None:
    assert _docs(a) == _docs(b)
    for name in TABLES:
        assert filecmp.cmp(a / name, b / name, shallow=False), name


def test_one_job_loads_the_rules_once(small_corpus: Path, reference_run: Path,
                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With `--jobs 1` the main process is the worker: loading the rules twice cost 1.4 s."""
    import pipeline.runner as runner

    calls: list[object] = []
    real = runner.load_ruleset

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "load_ruleset", counting)
    out = tmp_path / "out"
    run_extract(RunOptions(inputs=[small_corpus], out=out, rule_dirs=rule_dirs(), jobs=1))
    assert len(calls) == 1
    assert_same_output(reference_run, out)


def test_second_run_skips_up_to_date_articles(small_corpus: Path, reference_run: Path,
                                              tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(reference_run, out)
    summary = run_extract(RunOptions(inputs=[small_corpus], out=out, rule_dirs=rule_dirs()))
    assert summary.up_to_date == len(ARTICLES)
    assert summary.processed == 0
    assert_same_output(reference_run, out)


def test_changed_text_or_force_redoes_articles(small_corpus: Path, reference_run: Path,
                                               tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    shutil.copytree(small_corpus, corpus)
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n추가 문장이다.", encoding="utf-8")
    out = tmp_path / "out"
    shutil.copytree(reference_run, out)
    summary = run_extract(RunOptions(inputs=[corpus], out=out, rule_dirs=rule_dirs()))
    assert (summary.processed, summary.up_to_date) == (1, len(ARTICLES) - 1)
    forced = run_extract(RunOptions(inputs=[corpus], out=out, rule_dirs=rule_dirs(),
                                    force=True))
    assert forced.processed == len(ARTICLES)


def test_killed_run_resumes_to_identical_output(small_corpus: Path, reference_run: Path,
                                                tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-c", "from pipeline.cli import main; main()", "extract",
               str(small_corpus), "-o", str(out), "--jobs", "1", "--quiet"]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if len(list((out / "docs").glob("*.json"))) >= 2:
            break
        time.sleep(0.05)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    written = len(list((out / "docs").glob("*.json")))
    assert 0 < written < len(ARTICLES), "the run should have been killed part-way"
    assert not (out / "mentions.csv").exists()
    resumed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["up_to_date"] >= written
    assert run["counts"]["processed"] == len(ARTICLES) - run["counts"]["up_to_date"]
    assert_same_output(reference_run, out)


def test_two_jobs_give_the_same_output(small_corpus: Path, reference_run: Path,
                                       tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run_extract(RunOptions(inputs=[small_corpus], out=out, rule_dirs=rule_dirs(),
                                     jobs=2))
    assert summary.processed == len(ARTICLES)
    assert_same_output(reference_run, out)


def test_dask_engine_on_a_local_cluster_gives_the_same_output(
        small_corpus: Path, reference_run: Path, tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    out = tmp_path / "out"
    summary = run_extract(RunOptions(inputs=[small_corpus], out=out, rule_dirs=rule_dirs(),
                                     jobs=2, engine="dask"))
    assert summary.processed == len(ARTICLES) and summary.failed == 0
    assert_same_output(reference_run, out)
