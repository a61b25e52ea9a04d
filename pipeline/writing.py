"""Writing results: one JSON per article, tables (CSV + Parquet), errors and run info.

Every file is written atomically (temporary file + rename), so an interrupted
run never leaves a truncated file behind. The tables are rebuilt from the
per-article files, so a resumed run ends with the same tables as an
uninterrupted one.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pyarrow takes ~0.15 s to import: only when a table is written
    import pyarrow as pa
    import pyarrow.parquet as pq

DOCS_DIR = "docs"
BATCH_ROWS = 20_000
MAX_NAME_BYTES = 200  # a file name is at most 255 bytes; room for ".json" and temp affixes


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_current_umask()  # what `open()` would give; mkstemp gives 0600

MENTION_COLUMNS = ["doc_id", "type", "start", "end", "text", "entity", "entity_name", "value",
                   "mod", "amount", "amount_max", "currency", "approx", "bound",
                   "equivalent_amount", "equivalent_currency", "rule"]
ENTITY_COLUMNS = ["doc_id", "entity", "name", "aliases", "mentions"]
DEAL_COLUMNS = ["doc_id", "deal", "type", "status", "company", "partners", "company_id",
                "partner_ids", "date", "amount", "amount_max", "currency", "approx", "bound",
                "equivalent_amount", "equivalent_currency", "duration", "evidence", "rule"]


class UnsafeDocId(ValueError):
    """A doc_id that would write outside the output folder."""


def atomic_write_text(path: Path, text: str) -> None:
    """Write a file so that readers see either the old or the whole new content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def doc_path(out: Path, doc_id: str) -> Path:
    """Where an article's JSON goes; ids with `/` become folders, escapes are refused."""
    parts = doc_id.split("/")
    if (not doc_id or doc_id.startswith("/") or "\\" in doc_id or "\x00" in doc_id
            or any(p in ("", ".", "..") for p in parts)):
        raise UnsafeDocId(f"doc_id {doc_id!r} cannot be used as a path inside the output folder")
    if any(len(p.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for p in parts):
        raise UnsafeDocId(f"doc_id {doc_id[:40]!r}… has a path part longer than "
                          f"{MAX_NAME_BYTES} bytes, too long for a file name")
    path = (out / DOCS_DIR).joinpath(*parts[:-1]) / f"{parts[-1]}.json"
    root = (out / DOCS_DIR).resolve()
    if not path.resolve().is_relative_to(root):
        raise UnsafeDocId(f"doc_id {doc_id!r} would write outside {root}")
    return path


def write_document(out: Path, record: dict) -> Path:
    path = doc_path(out, record["doc_id"])
    atomic_write_text(path, dumps_document(record) + "\n")
    return path


# --- article JSON: exactly `json.dumps(record, ensure_ascii=False, indent=1)`, faster ---
# With `indent`, the json module encodes in pure Python through nested generators
# (0.4 ms for a typical article); this writer makes the same text with plain
# recursion, checking types in the json module's order. Anything it does not
# handle (another type, a circular or very deep structure) goes to `json.dumps`,
# which then gives its usual result or error.

class _Unusual(Exception):
    """A value left to `json.dumps`."""


_INFINITY = float("inf")


def _float_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        return '"' + _float_text(key) + '"'
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return '"' + int.__repr__(key) + '"'
    raise _Unusual


def _encode(value: Any, level: int, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float_text(value))
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = "\n" + " " * (level + 1)
        out.append("[" + inner)
        for i, item in enumerate(value):
            if i:
                out.append("," + inner)
            _encode(item, level + 1, out)
        out.append("\n" + " " * level + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + " " * (level + 1)
        out.append("{" + inner)
        for i, (key, item) in enumerate(value.items()):
            out.append(("," + inner if i else "") + _key_text(key) + ": ")
            _encode(item, level + 1, out)
        out.append("\n" + " " * level + "}")
    else:
        raise _Unusual


def dumps_document(record: Any) -> str:
    """`json.dumps(record, ensure_ascii=False, indent=1)`, made faster."""
    out: list[str] = []
    try:
        _encode(record, 0, out)
    except (_Unusual, RecursionError):
        return json.dumps(record, ensure_ascii=False, indent=1)
    return "".join(out)


def read_document(out: Path, doc_id: str) -> dict | None:
    try:
        return json.loads(doc_path(out, doc_id).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnsafeDocId):
        return None


def _money_columns(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        return {}
    equivalent = value.get("equivalent") or {}
    return {"amount": value.get("amount"), "amount_max": value.get("amount_max"),
            "currency": value.get("currency"), "approx": value.get("approx"),
            "bound": value.get("bound"), "equivalent_amount": equivalent.get("amount"),
            "equivalent_currency": equivalent.get("currency")}


def mention_rows(record: dict) -> Iterator[dict]:
    names = {e["id"]: e["name"] for e in record.get("entities", [])}
    for m in record.get("mentions", []):
        row = {"doc_id": record["doc_id"], "type": m["type"], "start": m["start"],
               "end": m["end"], "text": m["text"], "entity": m.get("entity"),
               "entity_name": names.get(m.get("entity") or ""), "mod": m.get("mod"),
               "rule": m.get("rule")}
        value = m.get("value")
        if m["type"] == "MONEY":
            row.update(_money_columns(value))
            row["value"] = json.dumps(value, ensure_ascii=False) if value is not None else None
        elif m["type"] != "COMPANY":
            row["value"] = (json.dumps(value, ensure_ascii=False)
                            if isinstance(value, dict | list) else value)
        yield row


def entity_rows(record: dict) -> Iterator[dict]:
    counts: dict[str, int] = {}
    for m in record.get("mentions", []):
        if m.get("entity"):
            counts[m["entity"]] = counts.get(m["entity"], 0) + 1
    for e in record.get("entities", []):
        yield {"doc_id": record["doc_id"], "entity": e["id"], "name": e["name"],
               "aliases": " | ".join(e.get("aliases", [])), "mentions": counts.get(e["id"], 0)}


def deal_rows(record: dict) -> Iterator[dict]:
    names = {e["id"]: e["name"] for e in record.get("entities", [])}
    text = record.get("_text")
    for i, d in enumerate(record.get("deals", []), 1):
        evidence = d.get("evidence") or {}
        sentence = d.get("evidence_text")
        if sentence is None and text is not None and evidence:
            sentence = text[evidence["start"]:evidence["end"]]
        row = {"doc_id": record["doc_id"], "deal": i, "type": d.get("type"),
               "status": d.get("status"), "company": names.get(d.get("company"), d.get("company")),
               "partners": "; ".join(names.get(p, p) for p in d.get("partners", [])),
               "company_id": d.get("company"), "partner_ids": ";".join(d.get("partners", [])),
               "date": d.get("date"), "duration": d.get("duration"), "evidence": sentence,
               "rule": d.get("rule")}
        row.update(_money_columns(d.get("amount")))
        yield row


class TableSink:
    """Streams rows into `NAME.csv` and `NAME.parquet` without holding them all."""

    def __init__(self, out: Path, name: str, columns: list[str]) -> None:
        import pyarrow as pa

        self.columns = columns
        self.csv_path = out / f"{name}.csv"
        self.parquet_path = out / f"{name}.parquet"
        self.tmp_csv = out / f".{name}.csv.tmp"
        self.tmp_parquet = out / f".{name}.parquet.tmp"
        self.csv_handle = open(self.tmp_csv, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.writer = csv.DictWriter(self.csv_handle, fieldnames=columns, extrasaction="ignore")
        self.writer.writeheader()
        self.buffer: list[dict] = []
        self.parquet: pq.ParquetWriter | None = None
        self.schema = pa.schema([(c, self._type(c)) for c in columns])

    @staticmethod
    def _type(column: str) -> pa.DataType:
        import pyarrow as pa

        if column in ("start", "end", "deal", "mentions"):
            return pa.int64()
        if column in ("amount", "amount_max", "equivalent_amount"):
            return pa.float64()
        if column == "approx":
            return pa.bool_()
        return pa.string()

    def add(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self.writer.writerow(row)
            self.buffer.append(row)
        if len(self.buffer) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.parquet is None:
            self.parquet = pq.ParquetWriter(self.tmp_parquet, self.schema)
        columns = {c: [row.get(c) for row in self.buffer] for c in self.columns}
        for c in self.columns:
            kind = self.schema.field(c).type
            if kind == pa.float64():
                columns[c] = [float(v) if v is not None else None for v in columns[c]]
            elif kind == pa.string():
                columns[c] = [None if v is None else str(v) for v in columns[c]]
        self.parquet.write_table(pa.table(columns, schema=self.schema))
        self.buffer = []

    def discard(self) -> None:
        """Drop the temporary files of an unfinished table (the old table stays)."""
        self.csv_handle.close()
        if self.parquet is not None:
            self.parquet.close()
        self.tmp_csv.unlink(missing_ok=True)
        self.tmp_parquet.unlink(missing_ok=True)

    def close(self) -> None:
        if self.buffer or self.parquet is None:
            self._flush()
        assert self.parquet is not None
        self.parquet.close()
        self.csv_handle.close()
        os.replace(self.tmp_csv, self.csv_path)
        os.replace(self.tmp_parquet, self.parquet_path)


def write_tables(out: Path, records: Iterable[dict]) -> dict[str, int]:
    """Rebuild mentions/entities/deals tables from article records; returns row counts."""
    sinks = {
        "mentions": (TableSink(out, "mentions", MENTION_COLUMNS), mention_rows),
        "entities": (TableSink(out, "entities", ENTITY_COLUMNS), entity_rows),
        "deals": (TableSink(out, "deals", DEAL_COLUMNS), deal_rows),
    }
    counts = dict.fromkeys(sinks, 0)
    try:
        for record in records:
            for name, (sink, rows_of) in sinks.items():
                rows = list(rows_of(record))
                counts[name] += len(rows)
                sink.add(rows)
    except BaseException:
        for sink, _ in sinks.values():
            sink.discard()
        raise
    for sink, _ in sinks.values():
        sink.close()
    return counts


def write_jsonl(path: Path, items: Iterable[dict]) -> None:
    atomic_write_text(path, "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))


def write_json(path: Path, data: dict) -> None:
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
