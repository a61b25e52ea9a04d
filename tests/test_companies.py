"""COMPANY mentions: dictionary matching at Korean word edges, confirmation, discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.companies import CompanyFinder, CompanyMatch, load_company_rules
from pipeline.company_dict import load_dictionary
from pipeline.company_text import norm_alias, particle_tail_end, right_edge_ok

RULES = Path(__file__).resolve().parent.parent / "rules"
PARTICLES = ["은", "는", "이", "가", "을", "를", "의", "와", "과", "에", "에서", "로", "으로", "도",
             "만", "까지", "에게", "와의", "에서는", "처럼", "보다", "이다", "측"]


@pytest.fixture(scope="module")
def finder() -> CompanyFinder:
    found, problems = load_company_rules([RULES])
    assert problems == []
    return found


@pytest.fixture(scope="module")
def discovery(finder: CompanyFinder) -> CompanyFinder:
    return finder.without_dictionary()


def spans(finder: CompanyFinder, text: str) -> list[str]:
    return [text[m.start:m.end] for m in finder.find(text)]


# ---------------------------------------------------------------- rule files
def test_every_rule_example_passes(finder: CompanyFinder) -> None:
    count, problems = finder.check_examples()
    assert count >= 40
    assert [str(p) for p in problems] == []


def test_dictionary_is_large_and_clean() -> None:
    dictionary, problems = load_dictionary([RULES])
    assert problems == []
    assert len(dictionary.entries) >= 400
    assert dictionary.key_of("SKT") == "SK텔레콤"
    assert dictionary.key_of("lg u+") == "LG유플러스"
    assert dictionary.key_of("Microsoft") == "마이크로소프트"
    assert dictionary.key_of("현대차") == "현대자동차"


def test_later_rules_folder_overrides(tmp_path: Path) -> None:
    (tmp_path / "companies.yaml").write_text(
        "companies:\n  - {name: 누리온테크, en: Nurion Tech}\n  - {name: 메타, drop: true}\n",
        encoding="utf-8")
    (tmp_path / "company_cues.yaml").write_text(
        "rules:\n  - {id: cue.deal_frame, drop: true}\n", encoding="utf-8")
    layered, problems = load_company_rules([RULES, tmp_path])
    assert problems == []
    assert layered.dictionary.key_of("Nurion Tech") == "누리온테크"
    assert layered.dictionary.key_of("메타") is None
    assert all(r.id != "cue.deal_frame" for r in layered.cues.rules)


def test_problems_are_reported_with_lines(tmp_path: Path) -> None:
    (tmp_path / "companies.yaml").write_text(
        "companies:\n  - {name: 누리온, confirm: [없는이름]}\n  - {name: 누리온2, aka: [KT]}\n",
        encoding="utf-8")
    _finder, problems = load_company_rules([RULES, tmp_path])
    messages = [str(p) for p in problems]
    assert any("confirm names not in the entry" in m and ":2" in m for m in messages)
    assert any("also belongs to 'KT'" in m for m in messages)


def test_group_and_holding_company_are_apart() -> None:
    dictionary, _problems = load_dictionary([RULES])
    # the guide keeps a group and its holding company apart; the legal form decides
    assert dictionary.key_of("SK그룹") == "SK그룹"
    assert dictionary.key_of("SK㈜") == "SK㈜"
    assert dictionary.key_of("(주)두산") == "㈜두산"
    assert dictionary.key_of("SK") == "SK그룹"
    assert dictionary.sharers_of("SK") == ("SK㈜",)
    assert dictionary.sharers_of("SK㈜") == ()
    text = "SK㈜와 SK그룹, 두산㈜"
    hits = {(text[h.start:h.end], h.key) for h in dictionary.scan(text)}
    assert hits == {("SK㈜", "SK㈜"), ("SK그룹", "SK그룹"), ("두산㈜", "㈜두산")}


def test_shared_form_must_belong_to_another_entry(tmp_path: Path) -> None:
    (tmp_path / "companies.yaml").write_text(
        "companies:\n  - {name: 누리온, aka: [누리온㈜], shares: [누리]}\n", encoding="utf-8")
    _finder, problems = load_company_rules([RULES, tmp_path])
    assert any("shared form '누리' is no form of another entry" in str(p) for p in problems)


def test_hanja_short_forms_are_derived_only_when_unambiguous(tmp_path: Path) -> None:
    (tmp_path / "companies.yaml").write_text(
        "hanja_short: {중공업: 重, 증권: 證, 투자증권: 證}\n"
        "companies:\n"
        "  - {name: 누리중공업}\n"
        "  - {name: 가온증권}\n"
        "  - {name: 가온투자증권}\n"
        "  - {name: 다온증권, aka: [다온證]}\n", encoding="utf-8")
    dictionary, problems = load_dictionary([tmp_path])
    assert not problems
    assert dictionary.key_of("누리重") == "누리중공업"
    assert dictionary.key_of("가온證") is None          # two entries would derive it
    assert dictionary.key_of("다온證") == "다온증권"     # written out, not derived


# ---------------------------------------------------------------- word edges
def test_particle_tail() -> None:
    text = "삼성전자는 메타버스"
    assert particle_tail_end(text, 4) == 5
    assert particle_tail_end(text, 8) is None
    assert right_edge_ok("KT와의 협력", 2)
    assert not right_edge_ok("KTX", 2)


@pytest.mark.parametrize("particle", PARTICLES)
def test_name_before_every_particle(finder: CompanyFinder, particle: str) -> None:
    text = f"올해 SK텔레콤{particle} 좋았다."
    assert spans(finder, text) == ["SK텔레콤"]


@pytest.mark.parametrize("text", [
    "SK텔레콤은 투자했다.",
    "‘SK텔레콤’이 투자했다.",
    "“SK텔레콤”이 투자했다.",
    "'SK텔레콤'이 투자했다.",
    "\"SK텔레콤\"이 투자했다.",
    "(SK텔레콤) 투자",
])
def test_name_at_start_and_in_quotes(finder: CompanyFinder, text: str) -> None:
    assert spans(finder, text) == ["SK텔레콤"]


def test_names_in_lists(finder: CompanyFinder) -> None:
    assert spans(finder, "삼성전자·SK하이닉스·LG전자가 참여했다.") == ["삼성전자", "SK하이닉스",
                                                                 "LG전자"]
    assert spans(finder, "삼성전자, SK하이닉스 등과 협력했다.") == ["삼성전자", "SK하이닉스"]


def test_strict_names_need_another_form_of_the_company(finder: CompanyFinder) -> None:
    # `대상` is also the word "target": a particle does not confirm it, `대상㈜` does
    assert spans(finder, "매각 대상은 에코비트 지분이다.") == []
    # the subject of a headline, before its comma, is the company
    assert spans(finder, "대상, 아미노 인수\n대상은 지분 100%를 산다.") == [
        "대상", "아미노", "대상"]
    assert spans(finder, "대상㈜는 아미노를 인수한다. 대상은 지분 100%를 산다.") == [
        "대상㈜", "아미노", "대상"]


def test_a_one_word_name_written_as_two_words(finder: CompanyFinder) -> None:
    # the dictionary writes 일라이릴리 and 노보노디스크 as one word; papers often split them
    assert spans(finder, "미국 일라이 릴리와 덴마크 노보 노디스크가 경쟁한다.") == [
        "일라이 릴리", "노보 노디스크"]
    matches = finder.find("일라이 릴리가 투자했다.")
    assert [m.key for m in matches] == ["일라이릴리"]
    # two ordinary words that happen to join into no dictionary name stay unmatched
    assert spans(finder, "노보 시장은 커졌다.") == []


@pytest.mark.parametrize("text", ["KTX를 탔다.", "BSK가 왔다.", "SKT", "메타버스 시장",
                                  "카카오톡 채널", "애플리케이션을 깔았다."])
def test_no_match_inside_longer_words(finder: CompanyFinder, text: str) -> None:
    found = spans(finder, text)
    assert "KT" not in found and "SK" not in found and "메타" not in found
    assert "카카오" not in found and "애플" not in found


def test_abbreviation_inside_longer_abbreviation_is_the_other_company(finder: CompanyFinder):
    matches = finder.find("SKT는 투자했다.")
    assert [(m.key, m.rule) for m in matches] == [("SK텔레콤", "dict:SK텔레콤")]


def test_legal_form_markers_are_inside_the_span(finder: CompanyFinder) -> None:
    assert spans(finder, "(주)카카오는 삼성전자㈜와 협약했다.") == ["(주)카카오", "삼성전자㈜"]
    assert norm_alias("(주)카카오") == norm_alias("카카오") == "카카오"


def test_name_and_parenthesized_alias_are_two_mentions(finder: CompanyFinder) -> None:
    assert spans(finder, "KT는 마이크로소프트(MS)와 손잡았다.") == ["KT", "마이크로소프트", "MS"]
    assert spans(finder, "이앤(e&)그룹도 참여했다.") == ["이앤(e&)그룹"]


# ---------------------------------------------------------------- ambiguous names
@pytest.mark.parametrize("text, expected", [
    ("메타는 새 모델을 공개했다.", ["메타"]),
    ("메타 데이터를 정리했다.", []),
    ("애플 주스를 마셨다.", []),
    ("애플은 아이폰을 팔았다.", ["애플"]),
    ("네이버 최고기술책임자(CTO) 출신이 세웠다.", ["네이버"]),
    ("주요 주주는 네이버(18.48%)다.", ["네이버"]),
    ("애플 대표적인 제품이다.", []),
    ("크래프톤의 기술력을 알리는 효과가 크다.", ["크래프톤"]),
    ("김영섭 KT 대표는 말했다.", ["KT"]),
    ("KT 대표 선임 절차", []),
    ("LG유플러스, 메타·구글 협업 가능성", ["LG유플러스", "메타", "구글"]),
    ("이번 라운드에는 네이버, 한빛인베스트먼트도 참여했다.", ["네이버", "한빛인베스트먼트"]),
    ("이 가게는 애플, 바나나를 판다.", []),
    ("초기부터 함께한 네이버 등 기존 주주들과 상의했다.", ["네이버"]),
    ("평가액이 가장 큰 애플 역시 비중을 늘렸다.", ["애플"]),
    ("애플 등급 분류표를 만들었다.", []),
])
def test_confirm_names_need_context(finder: CompanyFinder, text: str, expected: list[str]):
    assert spans(finder, text) == expected


def test_short_form_confirmed_by_long_form_in_article(finder: CompanyFinder) -> None:
    text = "최태원 SK그룹 회장은 “SK 역량을 모으겠다”고 말했다."
    assert spans(finder, text) == ["SK그룹", "SK"]
    assert spans(finder, "“SK 역량을 모으겠다”고 말했다.") == []


def test_company_name_inside_event_or_product_name(finder: CompanyFinder) -> None:
    text = "SK그룹은 ‘SK AI 서밋 2024’를 열었고 ‘아마존 베드록(Amazon Bedrock)’을 썼다."
    assert spans(finder, text) == ["SK그룹"]
    assert spans(finder, "SK서린사옥에서 열렸다.") == []


# ---------------------------------------------------------------- discovery
@pytest.mark.parametrize("text, expected", [
    ("미국 AI 스타트업 누리온랩스(Nurion Labs)와 업무협약을 체결했다.",
     ["누리온랩스", "Nurion Labs"]),
    ("로이터통신은 이날 보도했다.", ["로이터통신"]),
    ("[서울=한빛경제] 셀트리온이 합병을 마쳤다.", ["한빛경제"]),
    ("김철수 대표와 스탠퍼드대, 과학기술정보통신부가 모였다.", []),
    ("그는 CES와 MWC 2024에서 에이닷 서비스를 소개했다.", []),
    ("독일 보쉬와 손잡고 미국에 투자했다.", ["보쉬"]),
])
def test_discovery_without_dictionary(discovery: CompanyFinder, text: str,
                                      expected: list[str]) -> None:
    assert spans(discovery, text) == expected


def test_discovered_name_repeats_through_the_article(discovery: CompanyFinder) -> None:
    text = "글로벌 클라우드 회사인 누리온에 투자했다. 누리온은 빠르게 컸다. 누리온의 기술이다."
    found = discovery.find(text)
    assert [text[m.start:m.end] for m in found] == ["누리온"] * 3
    assert found[0].rule == "cue.descriptor_before"
    assert found[1].rule == "repeat:cue.descriptor_before"
    assert all(m.key is None for m in found)


def test_matches_are_sorted_and_disjoint(finder: CompanyFinder) -> None:
    text = (Path(__file__).resolve().parent.parent / "rules" / "company_cues.yaml").read_text(
        encoding="utf-8")[:3000]
    matches = finder.find(text)
    assert matches == sorted(matches, key=lambda m: m.start)
    assert all(a.end <= b.start for a, b in zip(matches, matches[1:], strict=False))
    assert all(isinstance(m, CompanyMatch) and m.rule for m in matches)


def test_find_accepts_a_doc(finder: CompanyFinder) -> None:
    from pipeline.tokenizer import make_doc

    doc = make_doc("KT는 마이크로소프트와 손잡았다.")
    assert [doc.text[m.start:m.end] for m in finder.find(doc)] == ["KT", "마이크로소프트"]
