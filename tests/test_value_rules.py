"""Every example of rules/money.yaml, dates.yaml and durations.yaml is one test case.

Adding an example to a rule file adds a test here. Each runs the full
recognizer (`ValueRules.find`) over the example text, so rules are tested
together, as they run on articles.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.valuerules import FILES, load_value_rules

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
RULES, PROBLEMS = load_value_rules([RULES_DIR])
EXAMPLES = list(RULES.examples())


def _case_id(rule, example) -> str:  # noqa: ANN001 - pytest id helper
    kind = "pos" if example.positive else "neg"
    return f"{rule.id}:{example.line}:{kind}:{example.text[:24]}"


def test_value_rule_files_have_no_problems() -> None:
    assert PROBLEMS == [], "\n".join(str(p) for p in PROBLEMS)


def test_every_value_rule_file_is_loaded_with_rules() -> None:
    labels = {rule.label for rule in RULES.rules}
    assert labels == set(FILES.values())


def test_at_least_200_examples() -> None:
    assert len(EXAMPLES) >= 200
    assert sum(1 for _, e in EXAMPLES if not e.positive) >= 40


def test_every_rule_has_examples() -> None:
    bare = [rule.id for rule in RULES.rules if not rule.examples]
    assert bare == []


@pytest.mark.parametrize(("rule", "example"), EXAMPLES,
                         ids=[_case_id(r, e) for r, e in EXAMPLES])
def test_example(rule, example) -> None:  # noqa: ANN001 - parametrized
    problem = RULES.check_example(rule, example)
    assert problem is None, str(problem)
