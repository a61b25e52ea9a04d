"""The YAML rule-file loader: schema problems, layering by id, regex time limits."""

from __future__ import annotations

import time
from pathlib import Path

from pipeline.rulefiles import load_rule_layers, load_yaml
from pipeline.valuerules import load_value_rules

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """\
reference_date: 2024-12-31
macros:
  sp: '[ ]?'
rules:
  - id: money.won
    pattern: '\\d+{sp}원'
    value: money
    examples:
      - value: {amount: 5, currency: KRW}
        texts: ["가격은 [5원]이다"]
"""


def test_minimal_file_loads_and_finds(tmp_path: Path) -> None:
    write(tmp_path, "money.yaml", MINIMAL)
    rules, problems = load_value_rules([tmp_path])
    assert problems == []
    found = rules.find("커피는 300원, 빵은 5원", None)
    assert [(m.start, m.end, m.rule) for m in found] == [(4, 8, "money.won"), (13, 15, "money.won")]
    assert found[0].value["amount"] == 300
    assert rules.check_examples() == (1, [])


def test_unknown_key_is_reported_with_a_hint_and_line(tmp_path: Path) -> None:
    write(tmp_path, "money.yaml", MINIMAL.replace("    value: money", "    value: money\n"
                                                  "    priorty: 3"))
    _, problems = load_value_rules([tmp_path])
    assert len(problems) == 1
    problem = problems[0]
    assert problem.rule == "money.won"
    assert "unknown key 'priorty'" in problem.message
    assert "did you mean 'priority'" in problem.message
    assert problem.line == 8
    assert problem.file.endswith("money.yaml")


def test_unknown_top_level_key_and_missing_required_key(tmp_path: Path) -> None:
    text = MINIMAL.replace("macros:", "macro:\n  x: y\nmacros:").replace(
        "    value: money\n", "")
    write(tmp_path, "money.yaml", text)
    _, problems = load_value_rules([tmp_path])
    messages = " | ".join(p.message for p in problems)
    assert "unknown key 'macro'" in messages
    assert "missing required key 'value'" in messages


def test_bad_regex_is_reported_with_the_regex_error(tmp_path: Path) -> None:
    write(tmp_path, "money.yaml", MINIMAL.replace("'\\d+{sp}원'", "'([0-9]+{sp}원'"))
    rules, problems = load_value_rules([tmp_path])
    assert len(problems) == 1
    assert problems[0].rule == "money.won"
    assert "bad regex" in problems[0].message
    assert "missing )" in problems[0].message
    assert rules.rules == []  # a broken rule is left out, the rest still loads


def test_unknown_macro_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "money.yaml", MINIMAL.replace("{sp}원", "{spc}원"))
    _, problems = load_value_rules([tmp_path])
    assert any("unknown macro '{spc}'" in p.message and "did you mean '{sp}'" in p.message
               for p in problems)


def test_macro_cycle_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "money.yaml", MINIMAL.replace("  sp: '[ ]?'", "  sp: '{a}'\n  a: '{sp}'"))
    _, problems = load_value_rules([tmp_path])
    cycle = [p for p in problems if "macro cycle" in p.message]
    assert cycle and cycle[0].file.endswith("money.yaml") and cycle[0].line in (3, 4)


def test_duplicate_id_inside_one_file(tmp_path: Path) -> None:
    second = MINIMAL.split("rules:\n")[1]
    write(tmp_path, "money.yaml", MINIMAL + second)
    _, problems = load_value_rules([tmp_path])
    assert any("duplicate id 'money.won' (first at line 5)" in p.message and p.line == 11
               for p in problems)


def test_duplicate_yaml_key_and_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "rules: []\nrules: []\n")
    _, problems = load_yaml(path)
    assert problems and "duplicate key 'rules'" in problems[0].message
    path = write(tmp_path, "b.yaml", "rules:\n  - id: x\n   pattern: [\n")
    data, problems = load_yaml(path)
    assert data is None and problems[0].line is not None
    assert "YAML syntax error" in problems[0].message


def test_dates_stay_text_in_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", "value: 2024-11-04\nother: 2024-06\n")
    data, _ = load_yaml(path)
    assert data == {"value": "2024-11-04", "other": "2024-06"}


def test_example_its_pattern_cannot_match_fails_naming_the_rule(tmp_path: Path) -> None:
    write(tmp_path, "money.yaml", MINIMAL.replace('"가격은 [5원]이다"', '"가격은 [5달러]이다"'))
    rules, problems = load_value_rules([tmp_path])
    assert problems == []
    count, failures = rules.check_examples()
    assert count == 1 and len(failures) == 1
    failure = failures[0]
    assert failure.rule == "money.won"
    assert "가격은 [5달러]이다" in failure.message
    assert "nothing found" in failure.message
    assert failure.line == 10  # the line of the example text


def test_wrong_value_and_negative_examples_fail(tmp_path: Path) -> None:
    text = MINIMAL.replace("amount: 5,", "amount: 6,") + '    negatives: ["[300원]짜리"]\n'
    write(tmp_path, "money.yaml", text)
    rules, _ = load_value_rules([tmp_path])
    count, failures = rules.check_examples()
    assert count == 2
    messages = [f.message for f in failures]
    assert any("expected" in m and "'amount': 6" in m for m in messages)
    assert any("negative example" in m and "300원" in m for m in messages)


def test_marked_example_without_brackets_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "money.yaml", MINIMAL.replace('"가격은 [5원]이다"', '"가격은 5원이다"'))
    _, problems = load_value_rules([tmp_path])
    assert any("must mark the expected span" in p.message for p in problems)


def test_layering_overrides_by_id_and_adds_new_ids(tmp_path: Path) -> None:
    base, user = tmp_path / "base", tmp_path / "user"
    write(base, "money.yaml", MINIMAL + """\
  - id: money.dollar
    pattern: '\\d+달러'
    value: money
""")
    write(user, "money.yaml", """\
rules:
  - id: money.won
    pattern: '\\d+원(?!짜리)'
    value: money
  - id: money.euro
    pattern: '\\d+유로'
    value: money
""")
    layers = load_rule_layers([base, user], "money.yaml")
    assert list(layers.rules) == ["money.won", "money.dollar", "money.euro"]
    assert layers.rules["money.won"].file == user / "money.yaml"
    rules, problems = load_value_rules([base, user])
    assert problems == []
    found = rules.find("300원짜리, 5원, 7달러, 9유로", None)
    assert [m.rule for m in found] == ["money.won", "money.dollar", "money.euro"]
    assert found[0].start == 8  # the overriding pattern no longer matches `300원짜리`


def test_disabled_rule_in_a_later_folder_switches_a_rule_off(tmp_path: Path) -> None:
    base, user = tmp_path / "base", tmp_path / "user"
    write(base, "money.yaml", MINIMAL)
    write(user, "money.yaml", "rules:\n  - id: money.won\n    pattern: 'x'\n"
                              "    value: money\n    disabled: true\n")
    rules, problems = load_value_rules([base, user])
    assert problems == [] and rules.rules == []


def test_user_folder_adds_a_currency_in_one_place(tmp_path: Path) -> None:
    write(tmp_path, "money.yaml", "currencies:\n  바트: THB\n")
    rules, problems = load_value_rules([RULES_DIR, tmp_path])
    assert problems == []
    found = rules.find("태국 법인에 5억 바트를 투자했다", None)
    assert [(m.value["amount"], m.value["currency"]) for m in found] == [(500000000, "THB")]


def test_regex_timeout_skips_the_rule_with_a_message(tmp_path: Path) -> None:
    write(tmp_path, "money.yaml", """\
rules:
  - id: money.catastrophic
    pattern: '(a+)+$'
    value: money
  - id: money.won
    pattern: '\\d+원'
    value: money
""")
    rules, problems = load_value_rules([tmp_path], timeout=0.2)
    assert problems == []
    text = "a" * 50_000 + "! 값은 5원"
    warnings: list[str] = []
    started = time.monotonic()
    found = rules.find(text, None, warnings)
    assert time.monotonic() - started < 5
    assert [m.rule for m in found] == ["money.won"]
    assert len(warnings) == 1
    assert "money.catastrophic" in warnings[0] and "timed out" in warnings[0]


def test_built_in_value_rules_load_cleanly() -> None:
    rules, problems = load_value_rules([RULES_DIR])
    assert problems == []
    assert len(rules.rules) >= 20


def test_span_group_and_ignore_rules(tmp_path: Path) -> None:
    write(tmp_path, "money.yaml", """\
rules:
  - id: money.per_share
    pattern: '주당 (?P<span>\\d+원)'
    value: money
  - id: money.won
    pattern: '\\d+원'
    value: money
  - id: money.not_fee
    pattern: '\\d+원권'
    value: ignore
""")
    rules, problems = load_value_rules([tmp_path])
    assert problems == []
    found = rules.find("주당 500원, 5000원권, 7원", None)
    assert [(m.rule, m.start, m.end) for m in found] == [("money.per_share", 3, 7),
                                                         ("money.won", 17, 19)]


def test_priority_beats_length(tmp_path: Path) -> None:
    write(tmp_path, "money.yaml", """\
rules:
  - id: money.long
    pattern: '\\d+원 이상'
    value: money
  - id: money.short
    pattern: '\\d+원'
    value: money
    priority: 5
""")
    rules, _ = load_value_rules([tmp_path])
    assert [m.rule for m in rules.find("5원 이상", None)] == ["money.short"]
