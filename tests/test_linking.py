"""Entity linking: mentions of one company in an article share one entity."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.companies import CompanyFinder, CompanyMatch, load_company_rules
from pipeline.linking import link_entities

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture(scope="module")
def finder() -> CompanyFinder:
    found, problems = load_company_rules([RULES])
    assert problems == []
    return found


def link(finder: CompanyFinder, text: str):
    matches = finder.find(text)
    entities, ids = link_entities(text, matches, finder)
    surfaces = [text[m.start:m.end] for m in matches]
    return entities, dict(zip(surfaces, ids, strict=True)), ids


def test_name_and_parenthesized_abbreviation(finder: CompanyFinder) -> None:
    entities, by_surface, _ = link(finder, "KT는 마이크로소프트(MS)와 손잡았다. MS는 투자한다.")
    assert by_surface["마이크로소프트"] == by_surface["MS"] != by_surface["KT"]
    ms = next(e for e in entities if e.id == by_surface["MS"])
    assert ms.name == "마이크로소프트"
    assert {"마이크로소프트", "MS", "Microsoft"} <= set(ms.aliases)


def test_quoted_name_with_two_aliases_in_parentheses(finder: CompanyFinder) -> None:
    text = ("SK텔레콤은 ‘누리 글로벌 홀딩스'(Nuri Global Holdings·NGH)에 투자했다. "
            "NGH는 서버 전문 기업이다.")
    entities, _by_surface, ids = link(finder.without_dictionary(), text)
    nuri = [e for e in entities if "NGH" in e.aliases]
    assert len(nuri) == 1
    assert nuri[0].aliases[:3] == ["누리 글로벌 홀딩스", "Nuri Global Holdings", "NGH"]
    assert ids.count(nuri[0].id) == 4


def test_dictionary_joins_different_forms(finder: CompanyFinder) -> None:
    entities, by_surface, _ = link(finder, "SK텔레콤은 올해 성장했다. SKT의 매출도 늘었다.")
    assert by_surface["SK텔레콤"] == by_surface["SKT"]
    assert entities[0].name == "SK텔레콤" and "SK Telecom" in entities[0].aliases


def test_different_companies_stay_apart(finder: CompanyFinder) -> None:
    entities, by_surface, _ = link(finder, "삼성전자(삼성SDI 포함)와 LG전자가 협력했다.")
    assert len({by_surface["삼성전자"], by_surface["삼성SDI"], by_surface["LG전자"]}) == 3
    assert len(entities) == 3


def test_short_first_word_and_group_suffix(finder: CompanyFinder) -> None:
    text = "E스포츠 기업 누리온 이스포츠와 손잡았다. 누리온은 팀을 늘렸다. 한빛그룹과 한빛은 같다."
    entities, by_surface, _ = link(finder.without_dictionary(), text)
    assert by_surface["누리온 이스포츠"] == by_surface["누리온"]
    assert by_surface["한빛그룹"] == by_surface["한빛"]
    assert len(entities) == 2


def test_ids_follow_first_mention_and_input_order(finder: CompanyFinder) -> None:
    text = "KT와 LG유플러스, 그리고 다시 KT."
    matches = finder.find(text)
    shuffled = list(reversed(matches))
    entities, ids = link_entities(text, shuffled, finder)
    assert [e.id for e in entities] == ["E1", "E2"]
    assert entities[0].name == "KT"
    assert ids == ["E1", "E2", "E1"]


def test_alias_comparison_ignores_space_case_and_legal_form(finder: CompanyFinder) -> None:
    text = "누리온테크놀로지스㈜와 누리온 테크놀로지스가 같다."
    matches = [CompanyMatch(0, 10, "test", None), CompanyMatch(12, 22, "test", None)]
    entities, ids = link_entities(text, matches, finder)
    assert ids == ["E1", "E1"] and len(entities) == 1


def test_rename_links_two_dictionary_companies_and_can_be_dropped(tmp_path) -> None:
    from pipeline.ruleset import load_ruleset, rule_dirs

    text = "롯데그룹은 2015년 KT렌탈을 인수한 뒤 사명을 롯데렌탈로 바꿨다. 롯데렌탈은 성장했다."
    finder = load_ruleset(rule_dirs()).companies
    entities, _by_surface, _ = link(finder, text)
    renamed = [e for e in entities if "롯데렌탈" in e.aliases]
    assert len(renamed) == 1 and "KT렌탈" in renamed[0].aliases
    assert renamed[0].name == "롯데렌탈"
    (tmp_path / "company_cues.yaml").write_text(
        "rules:\n  - id: link.rename\n    drop: true\n", encoding="utf-8")
    finder = load_ruleset(rule_dirs([tmp_path])).companies
    entities, _by_surface, _ = link(finder, text)
    assert not any({"KT렌탈", "롯데렌탈"} <= set(e.aliases) for e in entities)
