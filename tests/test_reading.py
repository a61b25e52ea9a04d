"""Reading articles from real bytes: encodings, line ends, NFC, doc ids, sidecars, `.jsonl`.

Every case writes the bytes a user's file would hold and checks the text and
metadata `read_inputs` produces (ANNOTATION.md §1).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.reading import (
    Article,
    DecodeError,
    ReadProblem,
    decode_bytes,
    looks_like_html,
    parse_published,
    prepare_text,
    read_inputs,
    strip_html,
)
from pipeline.textnorm import normalize_text
from pipeline.tokenizer import make_doc

KOREAN = "SK텔레콤은 올해 1월 미국 람다에 2000만달러(약 290억원)를 투자했다.\n둘째 문단이다."


def read_all(*inputs: Path) -> tuple[dict[str, Article], list[ReadProblem]]:
    articles: dict[str, Article] = {}
    problems: list[ReadProblem] = []
    for item in read_inputs(list(inputs)):
        if isinstance(item, Article):
            articles[item.doc_id] = item
        else:
            problems.append(item)
    return articles, problems


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding, data, warned", [
    ("utf-8", KOREAN.encode("utf-8"), False),
    ("utf-8 BOM", codecs.BOM_UTF8 + KOREAN.encode("utf-8"), False),
    ("cp949", KOREAN.encode("cp949"), True),
    ("euc-kr", KOREAN.encode("euc-kr"), True),
    ("utf-16 LE BOM", KOREAN.encode("utf-16"), False),
    ("utf-16 BE BOM", codecs.BOM_UTF16_BE + KOREAN.encode("utf-16-be"), False),
])
def test_encodings_decode_to_the_same_text(tmp_path: Path, encoding: str, data: bytes,
                                           warned: bool) -> None:
    write(tmp_path / "a.txt", data)
    articles, problems = read_all(tmp_path)
    assert problems == []
    article = articles["a"]
    assert article.text == KOREAN
    assert ("decoded as CP949/EUC-KR" in article.warnings) is warned


def test_cp949_only_hangul_not_in_euc_kr(tmp_path: Path) -> None:
    # 똠 and 햏 are in CP949's extension, not among EUC-KR's 2,350 syllables.
    text = "똠양꿍 햏사 기업이 투자를 받았다."
    assert len(text.encode("cp949")) < len(text.encode("euc-kr"))  # EUC-KR needs make-up codes
    write(tmp_path / "x.txt", text.encode("cp949"))
    articles, _ = read_all(tmp_path)
    assert articles["x"].text == text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_become_lf(tmp_path: Path, newline: str) -> None:
    write(tmp_path / "a.txt", KOREAN.replace("\n", newline).encode("utf-8"))
    articles, _ = read_all(tmp_path)
    assert articles["a"].text == KOREAN
    assert "\r" not in articles["a"].text


def test_nfd_hangul_becomes_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", KOREAN)
    assert nfd != KOREAN and len(nfd) > len(KOREAN)
    write(tmp_path / "a.txt", nfd.encode("utf-8"))
    articles, _ = read_all(tmp_path)
    assert articles["a"].text == KOREAN


def test_invalid_utf8_in_the_middle_is_replaced_not_misread(tmp_path: Path) -> None:
    data = KOREAN.encode("utf-8")
    cut = len("SK텔레콤은 ".encode())
    write(tmp_path / "a.txt", data[:cut] + b"\xff\xfe" + data[cut:])
    articles, problems = read_all(tmp_path)
    assert problems == []
    text = articles["a"].text
    assert text.replace("\ufffd", "") == KOREAN
    assert any("replaced with U+FFFD" in w for w in articles["a"].warnings)


def test_cp949_with_a_broken_byte_is_still_cp949() -> None:
    body = ("삼성전자는 반도체 기업에 투자했다고 밝혔다. " * 10).encode("cp949")
    text, warnings = decode_bytes(body[:40] + b"\xff" + body[40:])
    assert "삼성전자는" in text and "밝혔다" in text
    assert any("CP949" in w for w in warnings)


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    b"%PDF-1.7\n" + bytes(range(256)),
    b"plain start\x00\x00\x00 then NUL bytes",
    bytes(range(128, 256)) * 20,   # neither UTF-8 nor CP949
])
def test_binary_and_undecodable_bytes_raise_decode_error(data: bytes) -> None:
    with pytest.raises(DecodeError):
        decode_bytes(data)


def test_doc_id_is_relative_path_without_extension(tmp_path: Path) -> None:
    write(tmp_path / "2024" / "03" / "kt-ms.txt", KOREAN.encode())
    write(tmp_path / "top.txt", KOREAN.encode())
    write(tmp_path / "dotted.name.v2.txt", KOREAN.encode())
    write(tmp_path / "ignored.md", KOREAN.encode())
    articles, problems = read_all(tmp_path)
    assert problems == []
    assert sorted(articles) == ["2024/03/kt-ms", "dotted.name.v2", "top"]
    assert articles["2024/03/kt-ms"].origin == str(tmp_path / "2024" / "03" / "kt-ms.txt")


def test_a_single_file_input_uses_its_name(tmp_path: Path) -> None:
    path = write(tmp_path / "deep" / "one.txt", KOREAN.encode())
    articles, _ = read_all(path)
    assert list(articles) == ["one"]


def test_meta_sidecar_gives_metadata(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", KOREAN.encode())
    meta = {"published": "2024-03-05", "title": "제목", "source": "연합뉴스",
            "url": "https://example.com/a", "unknown": 1}
    write(tmp_path / "a.meta.json", codecs.BOM_UTF8 + json.dumps(meta, ensure_ascii=False)
          .encode())
    articles, problems = read_all(tmp_path)
    assert problems == []  # the sidecar is not an article of its own
    article = articles["a"]
    assert (article.published, article.title, article.source, article.url) == (
        dt.date(2024, 3, 5), "제목", "연합뉴스", "https://example.com/a")
    assert article.warnings == []


@pytest.mark.parametrize("sidecar, warning", [
    (b'{"published": "2024-02-30"}', "not a YYYY-MM-DD date"),
    (b'{"published": 20240305}', "must be a YYYY-MM-DD string"),
    (b'{"published": ', "a.meta.json ignored"),
    (b'["2024-03-05"]', "a.meta.json ignored: not a JSON object"),
])
def test_bad_sidecar_is_a_warning_and_date_stays_unknown(tmp_path: Path, sidecar: bytes,
                                                         warning: str) -> None:
    write(tmp_path / "a.txt", KOREAN.encode())
    write(tmp_path / "a.meta.json", sidecar)
    articles, problems = read_all(tmp_path)
    assert problems == []
    assert articles["a"].published is None
    assert any(warning in w for w in articles["a"].warnings), articles["a"].warnings


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05", dt.date(2024, 3, 5)),
    ("2024-03-05T09:30:00+09:00", dt.date(2024, 3, 5)),
    ("2024.3.5", dt.date(2024, 3, 5)),
    ("2024/03/05 10:00", dt.date(2024, 3, 5)),
    ("2024년 3월 5일", dt.date(2024, 3, 5)),
    (dt.datetime(2024, 3, 5, 23, 0), dt.date(2024, 3, 5)),
])
def test_published_formats(value: object, expected: dt.date) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30", "March 5", "20240305x", 2024,
                                   "2024-03-051"])
def test_published_rejects_non_dates(value: object) -> None:
    with pytest.raises(ValueError):
        parse_published(value)


def test_blank_published_counts_as_missing(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", KOREAN.encode())
    write(tmp_path / "a.meta.json", b'{"published": "  ", "title": null}')
    articles, _ = read_all(tmp_path)
    assert articles["a"].published is None and articles["a"].warnings == []


def test_jsonl_articles(tmp_path: Path) -> None:
    lines = [
        {"id": "n/1", "text": "KT는 MS와 협력한다.\r\n둘째 줄", "published": "2024-09-30",
         "title": "t", "source": "s", "url": "u"},
        {"id": 7, "text": unicodedata.normalize("NFD", "네이버가 투자했다.")},
    ]
    body = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n"
    write(tmp_path / "batch.jsonl", codecs.BOM_UTF8 + body.replace("\n", "\r\n").encode())
    articles, problems = read_all(tmp_path)
    assert problems == []
    first = articles["n/1"]
    assert first.text == "KT는 MS와 협력한다.\n둘째 줄"
    assert (first.published, first.title, first.source, first.url) == (
        dt.date(2024, 9, 30), "t", "s", "u")
    assert first.origin == f"{tmp_path / 'batch.jsonl'}:1"
    assert articles["7"].text == "네이버가 투자했다."
    assert articles["7"].origin.endswith(":2")


def test_jsonl_in_utf16_and_with_cr_line_ends(tmp_path: Path) -> None:
    def rows(prefix: str) -> list[str]:
        return [json.dumps({"id": f"{prefix}{i}", "text": f"문장 {i}."}, ensure_ascii=False)
                for i in range(3)]

    write(tmp_path / "u16.jsonl", "\n".join(rows("d")).encode("utf-16"))
    write(tmp_path / "cr.jsonl", "\r".join(rows("c")).encode())
    articles, problems = read_all(tmp_path)
    assert problems == []
    assert sorted(articles) == ["c0", "c1", "c2", "d0", "d1", "d2"]
    assert articles["c2"].origin.endswith("cr.jsonl:3")


def test_jsonl_bad_lines_are_problems_with_line_numbers(tmp_path: Path) -> None:
    lines = [b'{"id": "ok1", "text": "\xec\xa2\x8b\xec\x9d\x80 \xea\xb8\xb0\xec\x82\xac."}',
             b'{"id": "broken", "text": ',
             b'["not", "an", "object"]',
             b'{"text": "no id"}',
             b'{"id": "noText"}',
             b'{"id": "ok2", "text": "\xeb\x91\x98\xec\xa7\xb8."}']
    write(tmp_path / "b.jsonl", b"\n".join(lines))
    articles, problems = read_all(tmp_path)
    assert sorted(articles) == ["ok1", "ok2"]
    reasons = {p.origin.rsplit(":", 1)[1]: p.reason for p in problems}
    assert reasons["2"].startswith("line 2 is not valid JSON")
    assert reasons["3"] == "line 3 is not a JSON object"
    assert reasons["4"].startswith('line 4 has no "id"')
    assert reasons["5"] == 'line 5 has no string "text"'
    assert [p.doc_id for p in problems if p.origin.endswith(":5")] == ["noText"]
    assert all(p.level == "error" for p in problems)


def test_empty_and_whitespace_articles_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "blank.txt", " \r\n\t\n\u3000\u200b\ufeff".encode())
    write(tmp_path / "good.txt", KOREAN.encode())
    articles, problems = read_all(tmp_path)
    assert list(articles) == ["good"]
    assert sorted((p.doc_id, p.level, p.reason) for p in problems) == [
        ("blank", "skipped", "empty article (no text)"),
        ("empty", "skipped", "empty article (no text)")]


def test_html_page_is_reduced_to_visible_text() -> None:
    page = ("<!DOCTYPE html><html><head><title>제목</title><style>p {}</style></head>"
            "<body><h1>KT, MS와 협력</h1><p>KT는&nbsp;MS와 <b>5년간</b> 협력한다.</p>"
            "<script>var x = '<p>숨김</p>';</script><p>A&amp;lt;B &amp; C</p></body></html>")
    warnings: list[str] = []
    text = prepare_text(page, warnings)
    assert text == "KT, MS와 협력\nKT는 MS와 5년간 협력한다.\nA&lt;B & C"
    assert warnings == ["HTML markup stripped; offsets refer to the visible text"]


@pytest.mark.parametrize("text, is_html", [
    ("<p>KT는 협력한다.</p><p>둘째.</p>", True),
    ("  <div class='a'>본문</div>", True),
    ("<html><body>x</body></html>", True),
    ("<사진> KT 본사 전경.\n<앵커> KT가 MS와 협력합니다.", False),
    ("<p> 로 시작하지만 닫는 태그가 없는 기사", False),
    ("본문 중간의 <p>태그</p>는 기사 첫머리가 아니다.", False),
])
def test_html_detection(text: str, is_html: bool) -> None:
    assert looks_like_html(text) is is_html


def test_strip_html_keeps_paragraphs_apart() -> None:
    assert strip_html("<div>가<br>나</div><li>다</li>") == "가\n나\n다"


def test_normalize_is_idempotent_on_read_text(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", unicodedata.normalize("NFD", KOREAN).replace("\n", "\r\n")
          .encode("utf-16"))
    articles, _ = read_all(tmp_path)
    assert normalize_text(articles["a"].text) == articles["a"].text


def test_euc_kr_composed_syllables_are_syllables_again() -> None:
    # EUC-KR writes `힚` (not among its 2,350 syllables) as a filler and three jamo
    data = "힚과 똠방각하, 삼성".encode("euc-kr")
    assert "\u3164".encode("euc-kr") in data
    text, warnings = decode_bytes(data)
    assert text == "힚과 똠방각하, 삼성"
    assert warnings == ["decoded as CP949/EUC-KR"]


# ------------------------------------------------------------------ fuzzing

NEWS_ALPHABET = st.one_of(
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),      # Hangul syllables
    st.characters(min_codepoint=0x1100, max_codepoint=0x11FF),      # conjoining jamo (NFD)
    st.characters(min_codepoint=0x3131, max_codepoint=0x318E),      # compatibility jamo
    st.sampled_from(list("0123456789.,%~-+ \t\n\r\u3000\u00a0\ufeff\u200b()[]{}<>「」『』“”‘’"
                         "·…$₩€¥£원달러엔위안유로억만천조년월일개월간약여대이상미만")),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)
FUZZ = settings(derandomize=True, deadline=None, database=None, max_examples=600,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(NEWS_ALPHABET, max_size=60),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp949", "euc-kr"]),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_fuzz_decode_prepare_tokenize(text: str, encoding: str, newline: str) -> None:
    try:
        data = text.replace("\n", newline).encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    try:
        raw, warnings = decode_bytes(data)
    except DecodeError:
        # only text that carries NUL bytes in its first 4 KB may be refused
        assert "\x00" in text or data.startswith((b"\x89PNG", b"GIF8", b"%PDF", b"PK\x03\x04",
                                                  b"\x7fELF", b"\xff\xd8\xff"))
        return
    prepared = prepare_text(raw, warnings)
    assert "\r" not in prepared and not prepared.startswith("\ufeff")
    assert unicodedata.is_normalized("NFC", prepared)
    legacy = data != text.replace("\n", newline).encode("utf-8")
    # legacy bytes that happen to be valid UTF-8 (short Hanja runs) cannot be told apart
    ambiguous = legacy and encoding in ("cp949", "euc-kr") and not warnings
    if not looks_like_html(normalize_text(raw)) and not ambiguous:
        assert prepared == normalize_text(text.replace("\r", "\n"))
    doc = make_doc(prepared)
    assert doc.text == prepared
    for token in doc:
        assert 0 <= token.idx < token.idx + len(token.text) <= len(prepared)
        assert prepared[token.idx:token.idx + len(token.text)] == token.text


@FUZZ
@given(st.binary(max_size=200))
def test_fuzz_random_bytes_decode_or_decode_error(data: bytes) -> None:
    try:
        text, warnings = decode_bytes(data)
    except DecodeError:
        return
    assert isinstance(text, str) and all(isinstance(w, str) for w in warnings)
    assert isinstance(prepare_text(text, []), str)
