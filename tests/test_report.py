"""The HTML report: structure from the HTML itself, then the page as headless Chromium runs it.

Chromium is driven over the DevTools protocol on `--remote-debugging-pipe` with the
standard library only (NUL-terminated JSON on file descriptors 3 and 4).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluation import evaluate
from pipeline.report import Mark, highlight, write_html_document, write_html_report
from pipeline.textnorm import text_sha256

TEXT_A = ("SK텔레콤은 2024년 2월 람다에 2000만달러(약 290억원)를 투자했다.\n"
          "양사는 5년간 협력한다. <b>&amp;</b> KT도 참여했다. 카카오는 빠졌다.")
TEXT_B = "LG유플러스는 올해 6월 구글과 손잡았다."
TEXT_C = "네이버가 1조원을 투자했다."
TEXT_D = "현대차는 웨이모와 협력한다."


def span(text: str, surface: str, kind: str, value: object = None, nth: int = 0,
         **extra: object) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    record = {"type": kind, "start": start, "end": start + len(surface), "text": surface}
    if kind != "COMPANY":
        record["value"] = value
    record.update(extra)
    return record


def money(amount: float | None, currency: str = "KRW", approx: bool = False,
          equivalent: dict | None = None) -> dict:
    return {"amount": amount, "currency": currency, "approx": approx, "bound": None,
            "equivalent": equivalent}


def document(doc_id: str, text: str, mentions: list, entities: list | None = None,
             deals: list | None = None) -> dict:
    return {"schema": "kdeal.doc/1", "doc_id": doc_id, "published": None,
            "published_inferred": True, "reference_date": "2024-12-31",
            "text_sha256": text_sha256(text), "entities": entities or [],
            "mentions": mentions, "deals": deals or []}


def deal(kind: str, company: str, partners: list[str], date: str | None = None,
         amount: dict | None = None) -> dict:
    return {"type": kind, "status": "DONE", "company": company, "partners": partners,
            "date": date, "amount": amount, "duration": None, "evidence": None}


DEAL_AMOUNT = money(20_000_000, "USD", equivalent=money(29_000_000_000, approx=True))


def gold_and_pred() -> tuple[dict[str, dict], dict[str, dict]]:
    """Four articles: mixed verdicts, no prediction, text only in `_text`, no text at all."""
    a_entities = [{"id": "E1", "name": "SK텔레콤", "aliases": ["SK텔레콤", "SKT"]},
                  {"id": "E2", "name": "람다", "aliases": ["람다", "Lambda"]},
                  {"id": "E3", "name": "KT", "aliases": ["KT"]},
                  {"id": "E4", "name": "카카오", "aliases": ["카카오"]}]
    gold_a = document("dev/a", TEXT_A, [
        span(TEXT_A, "SK텔레콤", "COMPANY", entity="E1"),
        span(TEXT_A, "2024년 2월", "DATE", "2024-02"),
        span(TEXT_A, "람다", "COMPANY", entity="E2"),
        span(TEXT_A, "2000만달러(약 290억원)", "MONEY", DEAL_AMOUNT),
        span(TEXT_A, "5년간", "DURATION", "P5Y"),
        span(TEXT_A, "KT", "COMPANY", entity="E3"),
    ], a_entities, [deal("INVESTMENT", "E1", ["E2"], "2024-02", DEAL_AMOUNT),
                    deal("MOU", "E1", ["E3"])])
    wrong_amount = money(20_000_000, "USD", approx=True,
                         equivalent=money(29_000_000_000, approx=True))
    pred_a = document("dev/a", TEXT_A, [
        span(TEXT_A, "SK텔레콤", "COMPANY", entity="P1", rule="company.dict"),       # ok
        span(TEXT_A, "2024년", "DATE", "2024", rule="date.year"),                    # partial
        span(TEXT_A, "람다", "COMPANY", entity="P2", rule="company.dict"),           # ok
        span(TEXT_A, "2000만달러(약 290억원)", "MONEY", wrong_amount, rule="money"),  # wrong value
        span(TEXT_A, "KT", "COMPANY", entity="P3", rule="company.dict"),             # ok
        span(TEXT_A, "카카오", "COMPANY", entity="P4", rule="company.dict"),         # spurious
    ], [{"id": "P1", "name": "SKT", "aliases": ["SKT"]},
        {"id": "P2", "name": "Lambda", "aliases": ["Lambda"]},
        {"id": "P3", "name": "KT", "aliases": ["KT"]},
        {"id": "P4", "name": "카카오", "aliases": ["카카오"]}],
        [deal("INVESTMENT", "P1", ["P2"], "2024-03", DEAL_AMOUNT),   # date differs
         deal("COOPERATION", "P1", ["P4"])])                        # spurious
    gold_b = document("dev/b", TEXT_B, [span(TEXT_B, "LG유플러스", "COMPANY", entity="E1"),
                                        span(TEXT_B, "올해 6월", "DATE", "2024-06"),
                                        span(TEXT_B, "구글", "COMPANY", entity="E2")])
    gold_c = document("dev/c", TEXT_C, [span(TEXT_C, "네이버", "COMPANY", entity="E1"),
                                        span(TEXT_C, "1조원", "MONEY", money(10**12))])
    pred_c = dict(gold_c, _text=TEXT_C)
    gold_d = document("dev/d", TEXT_D, [span(TEXT_D, "현대차", "COMPANY", entity="E1")])
    pred_d = document("dev/d", TEXT_D, [span(TEXT_D, "웨이모", "COMPANY", entity="P1")])
    gold = {d["doc_id"]: d for d in (gold_a, gold_b, gold_c, gold_d)}
    pred = {d["doc_id"]: d for d in (pred_a, pred_c, pred_d)}
    return gold, pred


# Every verdict the report must show, by hand from the documents above.
EXPECTED_STATUS = Counter({"ok": 3 * 2 + 2 * 2, "partial": 2, "wrongvalue": 2,
                           "missed": 1 + 3 + 1, "spurious": 1 + 1})
EXPECTED_TYPES = Counter({"COMPANY": 3 + 4 + 2 + 2 + 2, "DATE": 2 + 1, "MONEY": 2 + 2,
                          "DURATION": 1})
EXPECTED_IN_TEXT = sum(EXPECTED_STATUS.values()) - 2  # dev/d has no text: a plain list
TEXTS = {"dev/a": TEXT_A, "dev/b": TEXT_B}


class MarkCounter(HTMLParser):
    """Counts report marks (those with offsets) by type and verdict, and what sits inside."""

    def __init__(self) -> None:
        super().__init__()
        self.status: Counter = Counter()
        self.types: Counter = Counter()
        self.tags: Counter = Counter()
        self.in_text = 0
        self.text_depth = 0
        self.diff_cells = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        self.tags[tag] += 1
        if tag == "div" and "text" in classes:
            self.text_depth = 1
        elif tag == "div" and self.text_depth:
            self.text_depth += 1
        if tag == "td" and "diff" in classes:
            self.diff_cells += 1
        if tag == "mark" and "data-start" in attributes:
            kinds = [c[4:] for c in classes if c.startswith("ent-")]
            self.types[kinds[0]] += 1
            self.status[classes[-1]] += 1
            self.in_text += bool(self.text_depth)

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.text_depth:
            self.text_depth -= 1


def render(tmp_path: Path) -> Path:
    gold, pred = gold_and_pred()
    report, comparisons, warnings = evaluate(gold, pred)
    assert warnings == []
    path = tmp_path / "out" / "report.html"
    write_html_report(path, report, comparisons, TEXTS)
    return path


def count_marks(html_text: str) -> MarkCounter:
    counter = MarkCounter()
    counter.feed(html_text)
    return counter


# --- the HTML itself ------------------------------------------------------------------

def test_report_marks_every_mention_with_its_verdict(tmp_path: Path):
    counter = count_marks(render(tmp_path).read_text(encoding="utf-8"))
    assert counter.status == EXPECTED_STATUS
    assert counter.types == EXPECTED_TYPES
    assert counter.in_text == EXPECTED_IN_TEXT
    assert counter.diff_cells == 1            # the predicted investment's date


def test_report_escapes_text_and_is_self_contained(tmp_path: Path):
    page = render(tmp_path).read_text(encoding="utf-8")
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in page       # article text shown literally
    assert count_marks(page).tags["b"] == 0
    assert page.count("<script") == 1                  # only the page's own inline script
    for external in ("src=", "http://", "https://", "@import", "url("):
        assert external not in page


def test_report_says_why_text_is_missing(tmp_path: Path):
    page = render(tmp_path).read_text(encoding="utf-8")
    assert "no article text was found" in page            # dev/d
    assert "No prediction for this article" in page       # dev/b
    gold, pred = gold_and_pred()
    report, comparisons, _ = evaluate(gold, pred)
    wrong = tmp_path / "wrong.html"
    write_html_report(wrong, report, comparisons, {"dev/a": TEXT_A + " 추가", "dev/b": TEXT_B})
    page = wrong.read_text(encoding="utf-8")
    assert "the article file does not match the gold&#x27;s text_sha256" in page
    assert count_marks(page).in_text == EXPECTED_IN_TEXT - 12


def test_highlight_nests_overlaps_and_skips_bad_offsets():
    text = "ABCDEFGHIJ"
    marks = [Mark(0, 6, "COMPANY", "ok", "a"), Mark(2, 4, "DATE", "ok", "b"),
             Mark(5, 8, "MONEY", "spurious", "c"), Mark(9, 12, "DATE", "missed", "d"),
             Mark(3, 3, "DATE", "missed", "e")]
    shown, unplaced = highlight(text, marks)
    assert [m.title for m in unplaced] == ["d", "e"]
    counter = count_marks(shown)
    assert sum(counter.status.values()) == 3
    plain = shown
    while "<" in plain:
        head, _, rest = plain.partition("<")
        plain = head + rest.partition(">")[2]
    assert plain.replace("COMPANY", "").replace("DATE", "").replace("MONEY", "") == text


def test_show_document_page(tmp_path: Path):
    gold, pred = gold_and_pred()
    record = dict(pred["dev/a"], _text=TEXT_A)
    path = tmp_path / "show.html"
    write_html_document(path, record)
    counter = count_marks(path.read_text(encoding="utf-8"))
    assert counter.status == Counter({"pred": 6})
    assert counter.in_text == 6


# --- kdeal eval --html: finding the articles ------------------------------------------

def corpus_layout(tmp_path: Path) -> tuple[Path, Path]:
    gold, pred = gold_and_pred()
    gold_dir, pred_dir = tmp_path / "corpus" / "gold", tmp_path / "pred"
    for doc_id, doc in gold.items():
        path = gold_dir / f"{doc_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for doc_id, doc in pred.items():
        path = pred_dir / "docs" / f"{doc_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    articles = tmp_path / "corpus" / "articles" / "dev"
    articles.mkdir(parents=True)
    # BOM and CRLF: read_inputs normalizes them, so text_sha256 still matches
    (articles / "a.txt").write_bytes(b"\xef\xbb\xbf" + TEXT_A.replace("\n", "\r\n").encode())
    (articles / "b.txt").write_text(TEXT_B + " 다른 글", encoding="utf-8")  # wrong text
    return gold_dir, pred_dir


@pytest.mark.parametrize("gold_sub", ["", "dev"])
def test_eval_html_finds_articles_beside_gold(tmp_path: Path, gold_sub: str):
    gold_dir, pred_dir = corpus_layout(tmp_path)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["eval", "--gold", str(gold_dir / gold_sub),
                                      "--pred", str(pred_dir), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert "dev/b" in result.output and "text_sha256" in result.output   # b.txt differs
    counter = count_marks(out.read_text(encoding="utf-8"))
    assert counter.status == EXPECTED_STATUS
    assert counter.in_text == 12 + 4    # dev/a from its file, dev/c from `_text`


def test_eval_html_articles_option_reads_jsonl(tmp_path: Path):
    gold_dir, pred_dir = corpus_layout(tmp_path)
    jsonl = tmp_path / "elsewhere" / "batch.jsonl"
    jsonl.parent.mkdir()
    lines = [{"id": "dev/b", "text": TEXT_B}, {"id": "dev/d", "text": TEXT_D}]
    jsonl.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines),
                     encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["eval", "--gold", str(gold_dir), "--pred", str(pred_dir),
                                      "--html", str(out), "--articles", str(jsonl.parent)])
    assert result.exit_code == 0, result.output
    assert count_marks(out.read_text(encoding="utf-8")).in_text == 3 + 2 + 4  # b, d; c: _text
    missing = CliRunner().invoke(app, ["eval", "--gold", str(gold_dir), "--pred", str(pred_dir),
                                       "--html", str(out), "--articles", str(tmp_path / "no")])
    assert missing.exit_code == 2


# --- the page in headless Chromium ----------------------------------------------------

def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


# Puts the two pipe ends on fds 3 and 4, where --remote-debugging-pipe expects them, then
# execs Chromium (moved above 10 first so that neither dup2 overwrites the other end).
FD_TRAMPOLINE = """
import fcntl, os, sys
ends = [fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3]]
os.dup2(ends[0], 3)
os.dup2(ends[1], 4)
os.execv(sys.argv[3], sys.argv[3:])
"""


class DevTools:
    """A minimal DevTools-protocol client over `--remote-debugging-pipe` (fds 3 and 4)."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-extensions",
                 f"--user-data-dir={profile}", "--remote-debugging-pipe",
                 "--window-size=1400,2000", "about:blank"]
        self.log = open(profile.parent / "chromium.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-c", FD_TRAMPOLINE, str(to_child_r), str(from_child_w),
             binary, *flags],
            pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
            stdout=self.log, stderr=self.log)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self.from_child], [], [], remaining)
            if ready:
                chunk = os.read(self.from_child, 1 << 16)
                if not chunk:
                    raise ConnectionError("Chromium closed the DevTools pipe")
                self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(message)

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict:
        self.next_id += 1
        message: dict = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError, ConnectionError):
            self.call("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.to_child)
        os.close(self.from_child)
        self.log.close()


def load_in_chromium(path: Path, tmp_path: Path, script: str = "") -> tuple[dict, list, list]:
    """Open a page, run `script` (an expression returning JSON-able data) and report
    its value, the page's errors and every URL it requested."""
    binary = chromium_binary()
    if binary is None:
        pytest.skip("no chromium binary on PATH (apt-get install chromium)")
    browser = DevTools(binary, tmp_path / "profile")
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget",
                               {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            browser.call(f"{domain}.enable", session=session)
        browser.events.clear()
        browser.call("Page.navigate", {"url": path.resolve().as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired")
        value = browser.call("Runtime.evaluate", {"expression": script, "returnByValue": True,
                                                  "awaitPromise": True}, session=session)
        if "exceptionDetails" in value:
            raise AssertionError(f"test script failed: {value['exceptionDetails']}")
        shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)
        (tmp_path / "page.png").write_bytes(base64.b64decode(shot["data"]))
        browser.call("Runtime.evaluate", {"expression": "1"}, session=session)  # flush events
    finally:
        browser.close()
    errors = []
    for event in browser.events:
        params = event.get("params", {})
        if event.get("method") == "Runtime.exceptionThrown":
            errors.append(params.get("exceptionDetails"))
        elif (event.get("method") == "Runtime.consoleAPICalled"
              and params.get("type") in ("error", "assert", "warning")):
            errors.append(params.get("args"))
        elif event.get("method") == "Log.entryAdded" and \
                params.get("entry", {}).get("level") in ("error", "warning"):
            errors.append(params["entry"])
    requests = [event["params"]["request"]["url"] for event in browser.events
                if event.get("method") == "Network.requestWillBeSent"]
    return value["result"].get("value"), errors, requests


COUNT_SCRIPT = """(() => {
  const marks = document.querySelectorAll('section.doc mark.ent');
  const textWidth = document.querySelector('.text').getBoundingClientRect().width;
  const byStatus = {};
  marks.forEach(m => { const s = m.classList[m.classList.length - 1];
                       byStatus[s] = (byStatus[s] || 0) + 1; });
  const missedMark = document.querySelector('section.doc mark.missed');
  const missedBefore = getComputedStyle(missedMark).borderTopStyle;
  document.querySelector('.legend input[data-status="missed"]').click();
  const hidden = document.body.classList.contains('hide-missed');
  const missedAfter = getComputedStyle(missedMark).borderTopColor;
  const filter = document.getElementById('doc-filter');
  filter.value = 'dev/c';
  filter.dispatchEvent(new Event('input'));
  const shown = [...document.querySelectorAll('section.doc')]
    .filter(s => s.style.display !== 'none').map(s => s.dataset.doc);
  return {total: marks.length, byStatus, hidden,
          missedBefore, missedAfter, shown,
          inText: document.querySelectorAll('.text mark.ent').length,
          deals: document.querySelectorAll('tr.deal').length, textWidth};
})()"""


def test_report_in_headless_chromium(tmp_path: Path):
    page = render(tmp_path)
    value, errors, requests = load_in_chromium(page, tmp_path, COUNT_SCRIPT)
    assert errors == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests
    assert value["total"] == sum(EXPECTED_STATUS.values())
    assert Counter(value["byStatus"]) == EXPECTED_STATUS
    assert value["inText"] == EXPECTED_IN_TEXT
    assert value["deals"] == 4
    assert value["missedBefore"] == "dashed"
    assert value["hidden"] is True and value["missedAfter"] == "rgba(0, 0, 0, 0)"
    assert value["shown"] == ["dev/c"]
    assert 300 < value["textWidth"] < 1000     # two columns side by side
    assert (tmp_path / "page.png").read_bytes().startswith(b"\x89PNG")


def test_show_document_in_headless_chromium(tmp_path: Path):
    _, pred = gold_and_pred()
    path = tmp_path / "show.html"
    write_html_document(path, dict(pred["dev/a"], _text=TEXT_A))
    value, errors, _ = load_in_chromium(
        path, tmp_path, "document.querySelectorAll('.text mark.ent.pred').length")
    assert errors == []
    assert value == 6
