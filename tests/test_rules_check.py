"""`kdeal rules check` on a user folder: every mistake reported at once, precisely;
a user folder layered over the built-in rules; a catastrophic user regex."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.reading import Article
from pipeline.ruleset import load_ruleset, rule_dirs
from pipeline.runner import RunOptions, run_extract

BAD_FILES = {
    "money.yaml": """\
rules:
  - id: money.user_one
    pattern: '\\d+링깃'
    value: money
    colour: red
  - id: money.user_two
    pattern: '(\\d+링깃'
    value: money
  - id: money.user_one
    pattern: '\\d+바트'
    value: money
  - id: money.user_three
    pattern: '\\d+페소'
    value: money
    examples:
      - value: {amount: 5, currency: PHP}
        texts: ["[5페소]를 냈다", "[7페소]를 냈다"]
""",
    "dates.yaml": """\
rules:
  - id: date.user_macro
    pattern: '{no_such_macro}일'
    value: date
""",
    "companies.yaml": """\
companies:
  - {name: "", en: Nameless}
  - {name: 가나다전자, website: x}
""",
    "deals.yaml": """\
rules:
  - id: trigger.user_bad
    kind: trigger
    type: FRIENDSHIP
    pattern: "동맹/NNG 맺/VV"
  - id: trigger.user_nomatch
    kind: trigger
    type: COOPERATION
    pattern: "의기투합/NNG 하/XSV"
    company: [SUBJECT]
    partners: [WITH]
    examples:
      - text: "⟦가나전자|E1⟧는 ⟦다라소프트|E2⟧와 손을 잡았다."
        deals:
          - {type: COOPERATION, status: DONE, company: E1, partners: [E2]}
      - text: "⟦가나전자|E1⟧ 직원들이 모였다."
        deals: []
""",
}

USER_TRIGGER = """\
rules:
  - id: trigger.user_teamup
    kind: trigger
    type: COOPERATION
    pattern: "뭉치/VV"
    company: [SUBJECT]
    partners: [WITH]
    examples:
      - text: "⟦가나전자|E1⟧는 ⟦다라소프트|E2⟧와 뭉쳤다."
        deals:
          - {type: COOPERATION, status: DONE, company: E1, partners: [E2]}
      - text: "⟦가나전자|E1⟧ 직원들이 뭉쳤다."
        deals: []
"""

# (file, line, rule id or None, words the message must contain)
EXPECTED = [
    ("money.yaml", 9, "money.user_one", "duplicate id"),
    ("money.yaml", 5, "money.user_one", "unknown key 'colour'"),
    ("money.yaml", 7, "money.user_two", "bad regex"),
    ("money.yaml", 17, "money.user_three", "[5페소]"),
    ("money.yaml", 17, "money.user_three", "[7페소]"),
    ("dates.yaml", 3, "date.user_macro", "unknown macro '{no_such_macro}'"),
    ("companies.yaml", 2, None, "no 'name'"),
    ("companies.yaml", 3, "가나다전자", "unknown keys: ['website']"),
    ("deals.yaml", 4, "trigger.user_bad", "'FRIENDSHIP'"),
    ("deals.yaml", 13, "trigger.user_nomatch", "not through this rule"),
]


def test_ten_mistakes_give_ten_precise_messages_in_one_run(tmp_path: Path) -> None:
    folder = tmp_path / "my_rules"
    folder.mkdir()
    for name, text in BAD_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["rules", "check", str(folder)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(folder))]
    for file, line, rule, words in EXPECTED:
        prefix = f"{folder / file}:{line}" + (f" [{rule}]" if rule else "")
        assert any(x.startswith(prefix) and words in x for x in lines), (prefix, words, lines)
    assert re.search(r"examples checked in .*: (\d+) problem", result.output)
    built_in = [x for x in result.output.splitlines() if x.startswith(str(rule_dirs()[0]))]
    assert built_in == [], "the built-in rules themselves must have no problems"


def test_a_user_folder_adds_a_company_a_currency_and_a_deal_trigger(tmp_path: Path) -> None:
    folder = tmp_path / "my_rules"
    folder.mkdir()
    (folder / "companies.yaml").write_text(
        "companies:\n  - {name: 다온로보틱스, en: Daon Robotics}\n", encoding="utf-8")
    (folder / "money.yaml").write_text("currencies:\n  세디: GHS\n", encoding="utf-8")
    (folder / "deals.yaml").write_text(USER_TRIGGER, encoding="utf-8")
    ruleset = load_ruleset(rule_dirs([folder]))
    count, failures = ruleset.check_examples()
    assert failures == [] and count > 0
    from pipeline.extract import process_article

    text = ("다온로보틱스는 삼성전자와 로봇 개발을 위해 뭉쳤다. "
            "다온로보틱스는 5000만세디를 받았다.")
    record = process_article(Article("x", text), ruleset, None)
    companies = {m["text"] for m in record["mentions"] if m["type"] == "COMPANY"}
    assert "다온로보틱스" in companies
    money = [m for m in record["mentions"] if m["type"] == "MONEY"]
    assert [m["value"]["currency"] for m in money] == ["GHS"]
    assert [d["rule"] for d in record["deals"]] == ["trigger.user_teamup"]
    plain = load_ruleset(rule_dirs())
    record = process_article(Article("x", text), plain, None)
    assert not [m for m in record["mentions"] if m["type"] == "MONEY"]


@pytest.mark.long
def test_a_catastrophic_user_regex_fails_only_that_rule_on_that_article(tmp_path: Path) -> None:
    folder = tmp_path / "my_rules"
    folder.mkdir()
    (folder / "money.yaml").write_text(
        "rules:\n  - id: money.user_catastrophic\n    pattern: '(a+)+$'\n    value: money\n",
        encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "long.txt").write_text("a" * 30000 + "b\n삼성전자는 2조원을 투자했다.",
                                       encoding="utf-8")
    (articles / "good.txt").write_text("LG전자는 3월 5000억원을 투자했다.", encoding="utf-8")
    start = time.monotonic()
    summary = run_extract(RunOptions(inputs=[articles], out=tmp_path / "out",
                                     rule_dirs=rule_dirs([folder]), jobs=1))
    assert time.monotonic() - start < 60
    assert summary.processed == 2 and summary.failed == 0
    warnings = [p for p in summary.problems if p["level"] == "warning"]
    assert any("money.user_catastrophic" in p["reason"] and p["doc_id"] == "long"
               for p in warnings), warnings


def test_a_built_in_rule_is_switched_off_by_its_id_alone(tmp_path: Path) -> None:
    folder = tmp_path / "my_rules"
    folder.mkdir()
    (folder / "money.yaml").write_text(
        "rules:\n  - id: money.amount\n    disabled: true\n", encoding="utf-8")
    ruleset = load_ruleset(rule_dirs([folder]))
    assert ruleset.problems == []
    found = ruleset.values.find("삼성전자는 5000억원을 투자했다.", None)
    assert [m for m in found if m.label == "MONEY"] == []
    assert [m.label for m in load_ruleset(rule_dirs()).values.find(
        "삼성전자는 5000억원을 투자했다.", None)] == ["MONEY"]
