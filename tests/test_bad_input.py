"""The bad-article matrix: every kind of broken input has one exact, documented outcome.

Each case is either processed (perhaps with a warning) or reported in
`errors.jsonl` with a clear reason, and a good article in the same batch is
always processed. Reading-level checks run through `read_inputs`; the
end-to-end batch runs the real `kdeal extract` (CLI via `CliRunner`) and checks
the exit code, the summary counts, `errors.jsonl`, `run.json` and the documents.

Decision on HTML saved as `.txt`: markup is stripped, the article is processed,
offsets index the visible text, and a warning says so.

Size: a 50 MB article is read (decode + normalize) and then reported as too large;
the full pipeline runs on a 500 KB article and a 1 MB line with no sentence
end, because tokenizing 50 MB with Kiwi alone takes minutes.
"""

from __future__ import annotations

import codecs
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.reading import Article, ReadProblem, read_inputs

ARTICLE = ("네이버는 2024년 3월 5일 미국 인공지능 기업 앤트로픽에 2000만달러(약 290억원)를 "
           "투자했다고 밝혔다. 두 회사는 5년간 공동 개발에 나서기로 했다.\n"
           "카카오도 같은 날 국내 스타트업과 업무협약(MOU)을 체결했다.\n")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256)) * 8
HTML = ("<!DOCTYPE html>\n<html><head><title>기사</title><script>var a = 1;</script></head>"
        "<body><p>네이버는 앤트로픽에 <b>2000만달러</b>를 투자했다.</p>"
        "<p>카카오&amp;다음은 협력한다.</p></body></html>")
PAGE_TEXT = "네이버는 앤트로픽에 2000만달러를 투자했다.\n카카오&다음은 협력한다."
LONG_LINE_UNIT = "삼성전자는 미국 반도체 기업에 2000만달러를 투자하고 "
LARGE_LIMIT = 180  # seconds for the large-input run (40–85 s on 2 cores, every stage linear;
#                   a quadratic stage would take hours, so the margin only absorbs a slow machine)
PIPELINE_MODULES = ("pipeline.valuerules", "pipeline.companies", "pipeline.linking",
                    "pipeline.deals", "pipeline.dates")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def put(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def broken_utf8() -> bytes:
    data = ARTICLE.encode("utf-8")
    middle = len(data) // 2
    while data[middle] & 0xC0 == 0x80:  # cut on a character boundary
        middle += 1
    return data[:middle] + b"\xff\xfe" + data[middle:]


def jsonl_batch() -> bytes:
    lines = [
        json.dumps({"id": "j1", "text": ARTICLE, "published": "2024-03-06"}, ensure_ascii=False),
        '{"id": "j-broken", "text": "닫히지 않은 줄',
        json.dumps({"id": "j-notext", "title": "본문 없음"}, ensure_ascii=False),
        json.dumps({"id": "dup", "text": "카카오가 투자했다.\n"}, ensure_ascii=False),
        json.dumps({"id": "../escape", "text": ARTICLE}, ensure_ascii=False),
        json.dumps({"id": "j2", "text": ARTICLE}, ensure_ascii=False),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def make_batch(root: Path) -> None:
    """One input folder holding every bad case next to good articles (see `EXPECTED`)."""
    put(root / "a-good.txt", ARTICLE)
    put(root / "a-good.meta.json", '{"published": "2024-03-06", "title": "좋은 기사"}')
    put(root / "bad-date.txt", ARTICLE)
    put(root / "bad-date.meta.json", '{"published": "2024-13-45"}')
    put(root / "batch.jsonl", jsonl_batch())
    put(root / "blank.txt", " \n\t\r\n\u3000\n")
    put(root / "broken-utf8.txt", broken_utf8())
    put(root / "cp949.txt", ARTICLE.encode("cp949"))
    put(root / "dup.txt", "다른 본문이다.\n")
    put(root / "empty.txt", b"")
    put(root / "euckr.txt", ARTICLE.encode("euc-kr"))
    put(root / "image.txt", PNG)
    put(root / "locked.txt", ARTICLE)
    put(root / "nfd.txt", unicodedata.normalize("NFD", ARTICLE))
    put(root / "page.txt", HTML)
    put(root / "utf16.txt", codecs.BOM_UTF16_LE + ARTICLE.replace("\n", "\r\n")
        .encode("utf-16-le"))
    put(root / "z-deleted.txt", ARTICLE)
    put(root / "sub" / "nested.txt", ARTICLE)
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)


# doc id (or origin suffix) -> (outcome, what the reason/warning says)
EXPECTED: dict[str, tuple[str, str | None]] = {
    "a-good": ("processed", None),
    "bad-date": ("processed", "published '2024-13-45' is not a YYYY-MM-DD date; "
                 "the reference date is inferred instead"),
    "j1": ("processed", None),
    "batch.jsonl:2": ("error", "line 2 is not valid JSON"),
    "batch.jsonl:3": ("error", 'line 3 has no string "text"'),
    "dup": ("processed", None),  # the first reader of the id (batch.jsonl:4) wins
    "batch.jsonl:5": ("error", "doc_id '../escape' cannot be used as a path"),
    "j2": ("processed", None),
    "blank.txt": ("skipped", "empty article (no text)"),
    "broken-utf8": ("processed", "invalid UTF-8 byte sequence(s) replaced with U+FFFD"),
    "cp949": ("processed", "decoded as CP949/EUC-KR"),
    "dup.txt": ("error", "duplicate doc_id 'dup' (first read from "),
    "empty.txt": ("skipped", "empty article (no text)"),
    "euckr": ("processed", "decoded as CP949/EUC-KR"),
    "image.txt": ("error", "binary data, not text"),
    "locked.txt": ("error", "permission denied"),
    "nfd": ("processed", None),
    "page": ("processed", "HTML markup stripped; offsets refer to the visible text"),
    "utf16": ("processed", None),
    "z-deleted.txt": ("error", "file disappeared before it could be read"),
    "sub/back": ("skipped", "symbolic link loop"),
    "sub/nested": ("processed", None),
}


def lock(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make one file unreadable: tests run as root, where chmod 000 does not stop reading."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == name:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def outcome_key(item: Article | ReadProblem, root: Path) -> str:
    """The EXPECTED key of a read result: doc id for articles, origin for problems."""
    if isinstance(item, Article):
        return item.doc_id
    origin = item.origin
    if origin.startswith(str(root)):
        origin = origin[len(str(root)) + 1:]
    return origin


def read_with_deletion(root: Path, trigger: str, victim: Path) -> Iterator[Article | ReadProblem]:
    """read_inputs, deleting `victim` right after `trigger` was read (a file deleted mid-run)."""
    for item in read_inputs([root]):
        yield item
        if isinstance(item, Article) and item.doc_id == trigger:
            victim.unlink()


# ---------------------------------------------------------------- reading level


@pytest.fixture()
def batch(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    make_batch(root)
    return root


def test_reading_level_outcomes(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lock(monkeypatch, "locked.txt")
    results = {outcome_key(i, batch): i for i in read_with_deletion(
        batch, "a-good", batch / "z-deleted.txt")}
    for key, (outcome, reason) in EXPECTED.items():
        if key == "batch.jsonl:5":  # an unsafe id is refused when writing, not when reading
            assert results["../escape"].text == ARTICLE
            continue
        assert key in results, f"{key}: no outcome at all"
        item = results[key]
        if outcome == "processed":
            assert isinstance(item, Article), f"{key}: {item}"
            if reason:
                assert any(reason in w for w in item.warnings), (key, item.warnings)
        else:
            assert isinstance(item, ReadProblem), f"{key}: read as an article"
            assert item.level == outcome, (key, item)
            if reason:
                assert reason in item.reason, (key, item.reason)
    assert results["a-good"].published.isoformat() == "2024-03-06"
    for key in ("cp949", "euckr", "utf16", "nfd", "sub/nested", "a-good", "j1", "j2"):
        assert results[key].text == ARTICLE, key
    assert results["broken-utf8"].text.replace("\ufffd", "") == ARTICLE
    assert results["page"].text == PAGE_TEXT
    assert results["bad-date"].published is None
    assert results["bad-date"].warnings == [EXPECTED["bad-date"][1]]
    assert results["dup"].origin.endswith("batch.jsonl:4")
    assert sum(isinstance(i, Article) for i in results.values()) == 13  # 12 + the unsafe id


def test_unreadable_file_with_real_permissions(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode; the monkeypatched test covers it")
    put(tmp_path / "good.txt", ARTICLE)
    locked = put(tmp_path / "locked.txt", ARTICLE)
    locked.chmod(0)
    try:
        results = {outcome_key(i, tmp_path): i for i in read_inputs([tmp_path])}
    finally:
        locked.chmod(0o644)
    assert isinstance(results["good"], Article)
    assert results["locked.txt"].reason == "permission denied"


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put(tmp_path / "good.txt", ARTICLE)
    put(tmp_path / "closed" / "x.txt", ARTICLE)
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if str(path).endswith("closed"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    results = list(read_inputs([tmp_path]))
    assert [i.doc_id for i in results if isinstance(i, Article)] == ["good"]
    problems = [i for i in results if isinstance(i, ReadProblem)]
    assert [(p.origin, p.reason, p.level) for p in problems] == [
        (str(tmp_path / "closed"), "folder not read: Permission denied", "error")]


def test_self_linked_file_and_broken_link(tmp_path: Path) -> None:
    put(tmp_path / "good.txt", ARTICLE)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    results = {outcome_key(i, tmp_path): i for i in read_inputs([tmp_path])}
    assert isinstance(results["good"], Article)
    assert results["gone.txt"].reason == "broken symbolic link"
    assert results["self.txt"].reason.startswith("cannot read: Too many levels of symbolic")


def test_fifty_megabyte_article_is_read(tmp_path: Path) -> None:
    body = (ARTICLE * (50_000_000 // len(ARTICLE.encode()) + 1)).encode()[:50_000_000]
    body = body[:body.rfind(b"\n") + 1]
    put(tmp_path / "huge.txt", body)
    put(tmp_path / "small.txt", ARTICLE)
    started = time.perf_counter()
    results = {i.doc_id: i for i in read_inputs([tmp_path])}
    elapsed = time.perf_counter() - started
    assert len(results["huge"].text.encode()) == len(body) > 49_000_000
    assert results["small"].text == ARTICLE
    assert elapsed < 30, f"reading 50 MB took {elapsed:.0f} s"


# ------------------------------------------------------------------ end to end


def pipeline_ready() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in PIPELINE_MODULES)


needs_pipeline = pytest.mark.skipif(not pipeline_ready(),
                                    reason="extraction modules not present yet")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run `kdeal extract` once on the whole bad batch."""
    from typer.testing import CliRunner

    from pipeline import runner
    from pipeline.cli import app

    root = tmp_path_factory.mktemp("bad") / "in"
    out = root.parent / "out"
    make_batch(root)
    real_process_one = runner.process_one

    def process_one(article: Article) -> tuple:
        result = real_process_one(article)
        if article.doc_id == "a-good":  # the next files are already listed, not yet read
            (root / "z-deleted.txt").unlink()
        return result

    with pytest.MonkeyPatch.context() as patch:
        lock(patch, "locked.txt")
        patch.setattr(runner, "process_one", process_one)
        started = time.perf_counter()
        result = CliRunner().invoke(app, ["extract", str(root), "-o", str(out), "--jobs", "1",
                                          "--quiet"])
        seconds = time.perf_counter() - started
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    return {"root": root, "out": out, "result": result, "errors": errors, "seconds": seconds,
            "run": json.loads((out / "run.json").read_text())}


def doc(out: Path, doc_id: str) -> dict:
    return json.loads((out / "docs" / f"{doc_id}.json").read_text(encoding="utf-8"))


@needs_pipeline
def test_exit_code_and_summary_counts(extracted: dict) -> None:
    result = extracted["result"]
    assert result.exit_code == 1, result.output
    counts = extracted["run"]["counts"]
    assert (counts["read"], counts["processed"], counts["skipped"], counts["failed"]) == (
        19, 12, 3, 7)
    assert extracted["seconds"] < 60


@needs_pipeline
def test_every_case_has_its_outcome(extracted: dict) -> None:
    root, out, errors = extracted["root"], extracted["out"], extracted["errors"]

    def relative(origin: str) -> str:
        return origin[len(str(root)) + 1:] if origin.startswith(str(root)) else origin

    problems = {(relative(e["origin"]), e["level"]): e["reason"] for e in errors
                if e["level"] != "warning"}
    expected_problems = {(key, outcome): reason for key, (outcome, reason) in EXPECTED.items()
                         if outcome != "processed"}
    assert set(problems) == set(expected_problems)
    for key, reason in expected_problems.items():
        assert reason is None or reason in problems[key], (key, problems[key])
    for key, (outcome, reason) in EXPECTED.items():
        if outcome != "processed":
            continue
        record = doc(out, key)
        assert record["schema"] == "kdeal.doc/1"
        warnings = [e["reason"] for e in errors if e["level"] == "warning" and e["doc_id"] == key]
        assert warnings == record.get("warnings", []), key
        if reason:
            assert any(reason in w for w in warnings), (key, warnings)
        else:
            assert warnings == [], (key, warnings)


@needs_pipeline
def test_good_articles_are_unaffected(extracted: dict) -> None:
    out = extracted["out"]
    good = doc(out, "a-good")
    assert good["text_sha256"] == sha(ARTICLE)
    assert good["published"] == "2024-03-06" and good["published_inferred"] is False
    assert any(m["type"] == "MONEY" for m in good["mentions"])
    for doc_id in ("cp949", "euckr", "utf16", "nfd", "sub/nested", "j1", "j2"):
        record = doc(out, doc_id)
        assert record["text_sha256"] == sha(ARTICLE), doc_id
        assert [(m["type"], m["start"], m["text"]) for m in record["mentions"]] == [
            (m["type"], m["start"], m["text"]) for m in good["mentions"]], doc_id


@needs_pipeline
def test_offsets_point_into_the_read_text(extracted: dict) -> None:
    out = extracted["out"]
    texts = {"page": PAGE_TEXT, "a-good": ARTICLE}
    for doc_id, text in texts.items():
        record = doc(out, doc_id)
        assert record["text_sha256"] == sha(text)
        for mention in record["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]


@needs_pipeline
def test_invalid_date_is_inferred(extracted: dict) -> None:
    record = doc(extracted["out"], "bad-date")
    assert record["published"] is None and record["published_inferred"] is True
    assert record["reference_date"] is not None and record["reference_date"].startswith("2024")


@needs_pipeline
def test_duplicate_and_escaping_ids_overwrite_nothing(extracted: dict) -> None:
    out, root = extracted["out"], extracted["root"]
    assert doc(out, "dup")["text_sha256"] == sha("카카오가 투자했다.\n")  # the first, kept
    assert not (out / "escape.json").exists() and not (out.parent / "escape.json").exists()
    assert not list(out.parent.rglob("escape*"))
    written = sorted(p.relative_to(out / "docs").as_posix() for p in (out / "docs").rglob("*.json"))
    assert len(written) == 12 and "sub/nested.json" in written
    assert not (root / "z-deleted.txt").exists()


@needs_pipeline
def test_clean_batch_with_skips_and_warnings_exits_zero(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    put(tmp_path / "in" / "good.txt", ARTICLE)
    put(tmp_path / "in" / "empty.txt", b"")
    put(tmp_path / "in" / "page.txt", HTML)
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "in"), "-o",
                                      str(tmp_path / "out"), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    counts = json.loads((tmp_path / "out" / "run.json").read_text())["counts"]
    assert (counts["read"], counts["processed"], counts["skipped"], counts["failed"],
            counts["warnings"]) == (2, 2, 1, 0, 1)


def long_line() -> str:
    return (LONG_LINE_UNIT * (1_000_000 // len(LONG_LINE_UNIT) + 1))[:1_000_000]


@pytest.mark.long
@needs_pipeline
def test_large_article_and_megabyte_line_finish_in_bounded_time(tmp_path: Path) -> None:
    """A 100 KB article and a 1 MB line with no sentence end, in a real `kdeal extract`.

    Run in a subprocess with a time limit, so that a stage that is quadratic in
    the article's length fails this test instead of hanging the suite.
    """
    large = ARTICLE * (100_000 // len(ARTICLE))
    put(tmp_path / "in" / "good.txt", ARTICLE)
    put(tmp_path / "in" / "large.txt", large)
    put(tmp_path / "in" / "long-line.txt", long_line())
    out = tmp_path / "out"
    command = [sys.executable, "-c", "from pipeline.cli import main; main()", "extract",
               str(tmp_path / "in"), "-o", str(out), "--jobs", "1", "--quiet"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=LARGE_LIMIT,
                              cwd=Path(__file__).resolve().parent.parent)
    except subprocess.TimeoutExpired:
        pytest.fail(f"100 KB article + 1 MB line not extracted within {LARGE_LIMIT} s")
    assert done.returncode == 0, done.stderr
    assert doc(out, "good")["text_sha256"] == sha(ARTICLE)
    record = doc(out, "large")
    assert record["text_sha256"] == sha(large)
    repeats = len(large) // len(ARTICLE)
    money = [m for m in record["mentions"] if m["type"] == "MONEY"]
    assert len(money) == repeats * len([m for m in doc(out, "good")["mentions"]
                                        if m["type"] == "MONEY"])
    for mention in record["mentions"][-20:]:
        assert large[mention["start"]:mention["end"]] == mention["text"]
    assert doc(out, "long-line")["text_sha256"] == sha(long_line())


def test_fifty_megabyte_article_is_reported_as_too_large_and_the_batch_goes_on(
        tmp_path: Path) -> None:
    """Decision: articles over --max-chars (default 2,000,000) are reported, not processed:
    tokenizing 50 MB would take minutes and gigabytes in one worker."""
    from pipeline.ruleset import rule_dirs
    from pipeline.runner import RunOptions, run_extract

    body = (ARTICLE * (50_000_000 // len(ARTICLE.encode()) + 1)).encode()[:50_000_000]
    put(tmp_path / "in" / "huge.txt", body[:body.rfind(b"\n") + 1])
    put(tmp_path / "in" / "small.txt", ARTICLE)
    summary = run_extract(RunOptions(inputs=[tmp_path / "in"], out=tmp_path / "out",
                                     rule_dirs=rule_dirs(), jobs=1))
    assert (summary.read, summary.processed, summary.failed) == (2, 1, 1)
    (problem,) = [p for p in summary.problems if p["level"] == "error"]
    assert problem["doc_id"] == "huge"
    assert problem["reason"].startswith("article too large: ")
    assert "--max-chars" in problem["reason"]
    assert (tmp_path / "out" / "docs" / "small.json").exists()
    assert not (tmp_path / "out" / "docs" / "huge.json").exists()
