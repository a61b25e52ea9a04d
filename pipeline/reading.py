"""Reading articles from folders: `*.txt` (+ `.meta.json` sidecars) and `*.jsonl`.

Every file is decoded and normalized the way ANNOTATION.md §1 says, so that all
offsets index the same text. A file that cannot be read becomes a `ReadProblem`
that names the file and the reason, and the batch goes on.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from pipeline.textnorm import normalize_text

META_KEYS = ("published", "title", "source", "url")
BINARY_SIGNATURES = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x7fELF")
HTML_START = re.compile(r"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)
HTML_FRAGMENT_START = re.compile(
    r"^\s*<(p|div|article|section|span|h[1-6]|table|ul|ol|meta|title|header|main)[\s>/]",
    re.IGNORECASE)
HTML_CLOSING = re.compile(r"</(p|div|article|section|span|h[1-6]|table|ul|ol|title|header|main)>",
                          re.IGNORECASE)
DATE_PATTERN = re.compile(r"(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})(?!\d)")


@dataclass
class Article:
    """One article as the pipeline sees it: normalized text plus metadata."""

    doc_id: str
    text: str
    published: dt.date | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    origin: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class ReadProblem:
    """An input that was not turned into an article, and why."""

    origin: str
    reason: str
    doc_id: str | None = None
    level: str = "error"  # "error" (failed) or "skipped" (nothing to process)


class DecodeError(ValueError):
    """Bytes that are not text in any encoding kdeal accepts."""


_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = "\u3164ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_KSX1001_COMPOSED = re.compile(f"\u3164([{_INITIALS}])([{_MEDIALS}])([{_FINALS}])")


def _compose_legacy_syllables(text: str) -> str:
    """EUC-KR writes a syllable outside its 2,350 (`힚`) as a filler and three jamo
    (`ㅤㅎㅣㅄ`, KS X 1001's 8-byte composition); decoded, they are the syllable again."""
    def syllable(m: re.Match[str]) -> str:
        final = _FINALS.index(m.group(3))
        return chr(0xAC00 + (_INITIALS.index(m.group(1)) * 21
                             + _MEDIALS.index(m.group(2))) * 28 + final)
    return _KSX1001_COMPOSED.sub(syllable, text) if "\u3164" in text else text


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode article bytes: BOMs, UTF-8, then CP949/EUC-KR; returns text and warnings.

    UTF-8 with a few broken bytes keeps its valid characters (the broken ones
    become U+FFFD, with a warning); bytes that are mostly not UTF-8 are tried as
    CP949 (a superset of EUC-KR); anything else raises `DecodeError`.
    """
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError as exc:
            raise DecodeError(f"invalid UTF-16 after a byte-order mark: {exc.reason}") from exc
    if data.startswith(BINARY_SIGNATURES) or b"\x00" in data[:4096]:
        raise DecodeError("binary data, not text (file signature or NUL bytes)")
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError as utf8_error:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        valid_non_ascii = sum(1 for ch in text if ord(ch) > 127) - text.count("\ufffd")
        limit = max(8, len(text) // 100)
        if valid_non_ascii <= bad:  # mostly not UTF-8: a legacy Korean encoding?
            try:
                return _compose_legacy_syllables(data.decode("cp949")), \
                    ["decoded as CP949/EUC-KR"]
            except UnicodeDecodeError:
                legacy = _compose_legacy_syllables(data.decode("cp949", errors="replace"))
                legacy_bad = legacy.count("\ufffd")
                if legacy_bad < bad and legacy_bad <= limit:
                    return legacy, [f"decoded as CP949/EUC-KR; {legacy_bad} invalid byte "
                                    f"sequence(s) replaced with U+FFFD"]
        if bad > limit:
            raise DecodeError(
                f"not UTF-8 or CP949/EUC-KR text ({utf8_error.reason} at byte {utf8_error.start})"
            ) from utf8_error
        warnings.append(f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD "
                        f"(first at byte {utf8_error.start})")
        return text, warnings


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML page, one block per line."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "article", "section", "title"}
    HIDDEN = {"script", "style", "noscript", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Visible text of an HTML document saved as `.txt`, paragraphs on their own lines."""
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip()
             for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def looks_like_html(text: str) -> bool:
    """An HTML page or fragment saved as text (not `<사진>`-style labels in an article)."""
    return bool(HTML_START.match(text)
                or (HTML_FRAGMENT_START.match(text) and HTML_CLOSING.search(text)))


def prepare_text(raw: str, warnings: list[str]) -> str:
    """Normalize decoded text; HTML pages are reduced to their visible text.

    Decision: HTML is stripped rather than refused, so a page saved as `.txt`
    is still processed; offsets then index the visible text, and a warning says so.
    """
    text = normalize_text(raw)
    if looks_like_html(text):
        text = normalize_text(strip_html(text))
        warnings.append("HTML markup stripped; offsets refer to the visible text")
    return text


def parse_published(value: object) -> dt.date:
    """A `published` value as a date: `YYYY-MM-DD`, ISO date-times, `YYYY.MM.DD`, `YYYY/MM/DD`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"published must be a YYYY-MM-DD string, not {type(value).__name__}")
    match = DATE_PATTERN.match(value.strip())
    try:
        if match is None:
            raise ValueError("no date")
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise ValueError(f"published {value!r} is not a YYYY-MM-DD date") from exc


def _apply_meta(article: Article, meta: dict) -> None:
    for key in META_KEYS:
        value = meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key == "published":
            try:
                article.published = parse_published(value)
            except ValueError as exc:
                article.warnings.append(f"{exc}; the reference date is inferred instead")
        else:
            setattr(article, key, str(value))


def _discover(root: Path) -> Iterator[Path | ReadProblem]:
    """Files under root (recursive, sorted), following links but never in a loop.

    A folder reached again through a link (a loop or an alias) is skipped; a
    folder that cannot be listed is an error, since its articles are missed.
    """
    seen: set[str] = set()
    errors: list[OSError] = []

    def unreadable() -> Iterator[ReadProblem]:
        while errors:
            error = errors.pop(0)
            yield ReadProblem(str(error.filename or root),
                              f"folder not read: {error.strerror or error}")

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=errors.append):
        yield from unreadable()
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            yield ReadProblem(dirpath, "folder already read through another path (symbolic "
                              "link loop or alias); not read again", level="skipped")
            continue
        seen.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath) / name
    yield from unreadable()


def read_txt(path: Path, root: Path) -> Article:
    """One `.txt` article and its optional `.meta.json` sidecar."""
    raw, warnings = decode_bytes(path.read_bytes())
    text = prepare_text(raw, warnings)
    doc_id = path.relative_to(root).with_suffix("").as_posix()
    article = Article(doc_id=doc_id, text=text, origin=str(path), warnings=warnings)
    meta_path = path.with_name(path.stem + ".meta.json")
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8-sig"))
            if not isinstance(meta, dict):
                raise ValueError("not a JSON object")
            _apply_meta(article, meta)
        except (ValueError, OSError) as exc:
            article.warnings.append(f"{meta_path.name} ignored: {exc}")
    return article


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str | DecodeError, list[str]]]:
    """Numbered, decoded lines of a `.jsonl` file, streamed so a large file costs little memory.

    Each line comes with its decoding warnings, or as its `DecodeError` when it
    cannot be decoded; a binary file or one in UTF-16 is handled as a whole.
    """
    with path.open("rb") as handle:
        head = handle.read(65536)
        if head.startswith(BINARY_SIGNATURES) or head.startswith(
                (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
                b"\r" in head and b"\n" not in head):
            raw, warnings = decode_bytes(head + handle.read())  # binary raises
            for number, line in enumerate(normalize_text(raw).split("\n"), 1):
                yield number, line, list(warnings)
            return
        handle.seek(0)
        for number, data in enumerate(handle, 1):
            if number == 1 and data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8):]
            try:
                text, warnings = decode_bytes(data)
            except DecodeError as exc:
                yield number, exc, []
                continue
            yield number, text, warnings


def _record_id(record: dict) -> str | None:
    """The article id of a `.jsonl` record: a non-blank string, or an integer as text."""
    value = record.get("id")
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def read_jsonl(path: Path) -> Iterator[Article | ReadProblem]:
    """Articles of a `.jsonl` file, one per line; bad lines become problems with line numbers."""
    for number, line, warnings in _jsonl_lines(path):
        origin = f"{path}:{number}"
        if isinstance(line, DecodeError):
            yield ReadProblem(origin, f"line {number} cannot be decoded: {line}")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadProblem(origin, f"line {number} is not valid JSON: {exc.msg} "
                              f"(column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield ReadProblem(origin, f"line {number} is not a JSON object")
            continue
        doc_id = _record_id(record)
        if doc_id is None:
            yield ReadProblem(origin, f"line {number} has no \"id\" (a non-empty string)")
            continue
        if not isinstance(record.get("text"), str):
            yield ReadProblem(origin, f"line {number} has no string \"text\"", doc_id)
            continue
        text = prepare_text(record["text"], warnings)
        article = Article(doc_id=doc_id, text=text, origin=origin, warnings=warnings)
        _apply_meta(article, record)
        yield article


def is_blank(text: str) -> bool:
    """Nothing to read: only whitespace and invisible format characters (ZWSP, BOM)."""
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in text)


def read_inputs(inputs: list[Path]) -> Iterator[Article | ReadProblem]:
    """Stream articles from files and folders; never raises for a bad input."""
    seen_ids: dict[str, str] = {}
    for item in inputs:
        if item.is_file():
            candidates: Iterator[Path | ReadProblem] = iter([item])
            root = item.parent
        elif item.is_dir():
            candidates = _discover(item)
            root = item
        else:
            yield ReadProblem(str(item), "no such file or folder")
            continue
        for path in candidates:
            if isinstance(path, ReadProblem):
                yield path
                continue
            for result in _read_path(path, root):
                if isinstance(result, Article):
                    if is_blank(result.text):
                        yield ReadProblem(result.origin, "empty article (no text)", result.doc_id,
                                          level="skipped")
                        continue
                    first = seen_ids.get(result.doc_id)
                    if first is not None:
                        yield ReadProblem(result.origin, f"duplicate doc_id {result.doc_id!r} "
                                          f"(first read from {first}); not processed",
                                          result.doc_id)
                        continue
                    seen_ids[result.doc_id] = result.origin
                yield result


def _read_path(path: Path, root: Path) -> Iterator[Article | ReadProblem]:
    name = path.name
    if not (name.endswith(".txt") or name.endswith(".jsonl")):
        return
    try:
        if name.endswith(".jsonl"):
            yield from read_jsonl(path)
        else:
            yield read_txt(path, root)
    except FileNotFoundError:
        reason = ("broken symbolic link" if path.is_symlink()
                  else "file disappeared before it could be read")
        yield ReadProblem(str(path), reason)
    except PermissionError:
        yield ReadProblem(str(path), "permission denied")
    except IsADirectoryError:
        yield ReadProblem(str(path), "is a folder, not a file")
    except DecodeError as exc:
        yield ReadProblem(str(path), str(exc))
    except OSError as exc:
        yield ReadProblem(str(path), f"cannot read: {exc.strerror or exc}")
