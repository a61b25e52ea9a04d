"""Writing results: atomic files, doc ids as paths, and the CSV/Parquet tables."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from pipeline import writing
from pipeline.writing import (
    DEAL_COLUMNS,
    ENTITY_COLUMNS,
    MENTION_COLUMNS,
    UnsafeDocId,
    atomic_write_text,
    doc_path,
    read_document,
    write_document,
    write_tables,
)

TEXT = "KT는 마이크로소프트(MS)와 5년간 2조4000억원 규모의 파트너십을 체결했다고 9월 30일 밝혔다."


def record(doc_id: str) -> dict:
    """A small kdeal.doc/1 record built from offsets in TEXT (not from pipeline output)."""
    def span(surface: str, start_at: int = 0) -> tuple[int, int]:
        start = TEXT.index(surface, start_at)
        return start, start + len(surface)

    money = {"amount": 2_400_000_000_000, "currency": "KRW", "approx": False, "bound": None,
             "equivalent": None}
    mentions = []
    for kind, surface, extra in [
        ("COMPANY", "KT", {"entity": "E1"}), ("COMPANY", "마이크로소프트", {"entity": "E2"}),
        ("COMPANY", "MS", {"entity": "E2"}), ("DURATION", "5년간", {"value": "P5Y"}),
        ("MONEY", "2조4000억원", {"value": money}),
        ("DATE", "9월 30일", {"value": "2024-09-30"}),
    ]:
        start, end = span(surface)
        mentions.append({"type": kind, "start": start, "end": end, "text": surface,
                         "rule": f"test.{kind.lower()}", **extra})
    start, end = 0, len(TEXT)
    return {
        "schema": "kdeal.doc/1", "doc_id": doc_id, "published": None,
        "published_inferred": True, "reference_date": "2024-12-31", "text_sha256": "x",
        "entities": [{"id": "E1", "name": "KT", "aliases": ["KT"]},
                     {"id": "E2", "name": "마이크로소프트", "aliases": ["마이크로소프트", "MS"]}],
        "mentions": mentions,
        "deals": [{"type": "PARTNERSHIP", "status": "DONE", "company": "E1", "partners": ["E2"],
                   "date": "2024-09-30", "amount": money, "duration": "P5Y",
                   "evidence": {"start": start, "end": end}, "rule": "test.deal"}],
        "_text": TEXT,
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.json"
    atomic_write_text(target, "첫 내용\n")
    atomic_write_text(target, "둘째 내용\n")
    assert target.read_text(encoding="utf-8") == "둘째 내용\n"
    assert leftovers(tmp_path) == []
    assert target.stat().st_mode & 0o777 == writing.FILE_MODE  # not mkstemp's 0600


class Interrupted(Exception):
    pass


def test_interrupted_write_keeps_old_file_and_leaves_no_temp(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    target = tmp_path / "a.json"
    atomic_write_text(target, "old complete content\n")
    real_fdopen = os.fdopen

    class HalfWriter:
        """A file handle that writes half of the text, then the process 'dies'."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            self.handle = real_fdopen(*args, **kwargs)

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, text: str) -> None:
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise Interrupted

    monkeypatch.setattr(writing.os, "fdopen", HalfWriter)
    with pytest.raises(Interrupted):
        atomic_write_text(target, "new content that never lands in full\n" * 100)
    assert target.read_text(encoding="utf-8") == "old complete content\n"
    assert leftovers(tmp_path) == []


def test_interrupted_rename_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    def fail(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(writing.os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(tmp_path / "b.json", "text")
    assert list(tmp_path.iterdir()) == []


def test_doc_ids_with_slashes_mirror_folders(tmp_path: Path) -> None:
    path = write_document(tmp_path, record("2024/09/kt-ms"))
    assert path == tmp_path / "docs" / "2024" / "09" / "kt-ms.json"
    assert read_document(tmp_path, "2024/09/kt-ms")["doc_id"] == "2024/09/kt-ms"
    write_document(tmp_path, record("2024"))  # a file beside a folder of the same stem
    assert (tmp_path / "docs" / "2024.json").is_file()
    assert json.loads(path.read_text(encoding="utf-8"))["mentions"][0]["text"] == "KT"


@pytest.mark.parametrize("doc_id", ["../x", "a/../../x", "/etc/passwd", "a//b", "a/", ".",
                                    "a/./b", "..", "", "a\\..\\x", "nul\x00byte", "x" * 300,
                                    "ok/" + "가" * 70])
def test_unsafe_doc_ids_are_refused(tmp_path: Path, doc_id: str) -> None:
    with pytest.raises(UnsafeDocId):
        doc_path(tmp_path, doc_id)
    assert read_document(tmp_path, doc_id) is None


@pytest.mark.parametrize("doc_id", ["a", "a/b", "..a", "a..b/c", "기사/삼성전자 투자", "x" * 200,
                                    "n 1"])
def test_safe_doc_ids_stay_inside(tmp_path: Path, doc_id: str) -> None:
    path = doc_path(tmp_path, doc_id)
    assert path.resolve().is_relative_to((tmp_path / "docs").resolve())
    write_document(tmp_path, record(doc_id))
    assert read_document(tmp_path, doc_id)["doc_id"] == doc_id


def test_a_symlinked_docs_subfolder_cannot_lead_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "out" / "docs").mkdir(parents=True)
    (tmp_path / "out" / "docs" / "link").symlink_to(outside)
    with pytest.raises(UnsafeDocId):
        doc_path(tmp_path / "out", "link/x")


def test_tables_have_one_row_per_mention_entity_and_deal(tmp_path: Path) -> None:
    records = [record("a"), record("b/c"), {**record("empty"), "mentions": [], "entities": [],
                                             "deals": []}]
    counts = write_tables(tmp_path, records)
    assert counts == {"mentions": 12, "entities": 4, "deals": 2}
    for name, columns in [("mentions", MENTION_COLUMNS), ("entities", ENTITY_COLUMNS),
                          ("deals", DEAL_COLUMNS)]:
        csv_table = pd.read_csv(tmp_path / f"{name}.csv", keep_default_na=False)
        parquet = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert list(csv_table.columns) == columns
        assert list(parquet.columns) == columns
        assert len(csv_table) == len(parquet) == counts[name]
    mentions = pd.read_parquet(tmp_path / "mentions.parquet")
    money = mentions[mentions["type"] == "MONEY"].iloc[0]
    assert (money["amount"], money["currency"], money["text"]) == (2.4e12, "KRW", "2조4000억원")
    assert json.loads(money["value"])["amount"] == 2_400_000_000_000
    company = mentions[mentions["text"] == "MS"].iloc[0]
    assert (company["entity"], company["entity_name"]) == ("E2", "마이크로소프트")
    assert TEXT[company["start"]:company["end"]] == "MS"
    assert set(mentions["doc_id"]) == {"a", "b/c"}
    assert mentions["rule"].notna().all()
    entities = pd.read_csv(tmp_path / "entities.csv")
    assert entities[entities["name"] == "마이크로소프트"]["aliases"].tolist() == [
        "마이크로소프트 | MS"] * 2
    assert entities["mentions"].tolist() == [1, 2, 1, 2]
    deals = pd.read_parquet(tmp_path / "deals.parquet")
    deal = deals.iloc[0]
    assert (deal["company"], deal["partners"], deal["type"], deal["duration"]) == (
        "KT", "마이크로소프트", "PARTNERSHIP", "P5Y")
    assert deal["evidence"] == TEXT and deal["rule"] == "test.deal"
    assert leftovers(tmp_path) == [] and not list(tmp_path.glob(".*"))


def test_empty_tables_still_have_headers(tmp_path: Path) -> None:
    assert write_tables(tmp_path, []) == {"mentions": 0, "entities": 0, "deals": 0}
    assert list(pd.read_csv(tmp_path / "deals.csv").columns) == DEAL_COLUMNS
    assert list(pd.read_parquet(tmp_path / "mentions.parquet").columns) == MENTION_COLUMNS


def test_tables_stream_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writing, "BATCH_ROWS", 5)
    counts = write_tables(tmp_path, (record(f"d{i}") for i in range(7)))
    assert counts["mentions"] == 42
    assert pd.read_parquet(tmp_path / "mentions.parquet")["doc_id"].tolist() == [
        f"d{i}" for i in range(7) for _ in range(6)]


def test_failed_table_rebuild_keeps_old_tables_and_no_temp(tmp_path: Path) -> None:
    write_tables(tmp_path, [record("a")])
    before = (tmp_path / "mentions.csv").read_bytes()

    def records() -> object:
        yield record("b")
        raise Interrupted

    with pytest.raises(Interrupted):
        write_tables(tmp_path, records())
    assert (tmp_path / "mentions.csv").read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))
