"""Scoring (ANNOTATION.md §5) on small hand-built gold/pred pairs with exact expected figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluation import (
    alias_key,
    check_thresholds,
    compare_document,
    evaluate,
    load_documents,
    lookup,
    money_equal,
)

SHA = "0" * 64


def mention(kind: str, start: int, end: int, value: object = None, **extra: object) -> dict:
    record: dict = {"type": kind, "start": start, "end": end, "text": "x" * (end - start)}
    if kind != "COMPANY":
        record["value"] = value
    record.update(extra)
    return record


def money(amount: float | None, currency: str = "KRW", approx: bool = False,
          bound: str | None = None, equivalent: dict | None = None, **extra: object) -> dict:
    return {"amount": amount, "currency": currency, "approx": approx, "bound": bound,
            "equivalent": equivalent, **extra}


def entity(eid: str, name: str, *aliases: str) -> dict:
    return {"id": eid, "name": name, "aliases": [name, *aliases]}


def deal(kind: str, company: str, partners: list[str], status: str = "DONE",
         date: str | None = None, amount: dict | None = None) -> dict:
    return {"type": kind, "status": status, "company": company, "partners": partners,
            "date": date, "amount": amount, "duration": None, "evidence": None}


def doc(doc_id: str = "d1", mentions: list | None = None, entities: list | None = None,
        deals: list | None = None, sha: str | None = SHA) -> dict:
    return {"schema": "kdeal.doc/1", "doc_id": doc_id, "published": None,
            "published_inferred": True, "reference_date": "2024-12-31", "text_sha256": sha,
            "entities": entities or [], "mentions": mentions or [], "deals": deals or []}


def score(gold: list[dict], pred: list[dict]) -> tuple[dict, list[str]]:
    report, _, warnings = evaluate({d["doc_id"]: d for d in gold},
                                   {d["doc_id"]: d for d in pred})
    return report, warnings


def figures(block: dict) -> tuple:
    return (pytest.approx(block["precision"]), pytest.approx(block["recall"]),
            pytest.approx(block["f1"]), block["tp"], block["gold"], block["pred"])


# --- mentions -------------------------------------------------------------------------

def test_strict_and_partial_mentions_per_type_and_micro():
    gold = doc(mentions=[mention("COMPANY", 0, 5), mention("DATE", 10, 14, "2024"),
                         mention("MONEY", 20, 30, money(1000))])
    pred = doc(mentions=[mention("COMPANY", 0, 5),            # exact
                         mention("DATE", 10, 13, "2024"),     # overlaps only
                         mention("MONEY", 31, 35, money(1000)),  # no overlap
                         mention("DURATION", 40, 43, "P5Y")])  # nothing in gold
    report, _ = score([gold], [pred])
    strict, partial = report["mentions"]["strict"], report["mentions"]["partial"]
    assert figures(strict) == (0.25, 1 / 3, 2 / 7, 1, 3, 4)
    assert figures(partial) == (0.5, 2 / 3, 4 / 7, 2, 3, 4)
    assert figures(strict["COMPANY"]) == (1.0, 1.0, 1.0, 1, 1, 1)
    assert figures(strict["DATE"]) == (0.0, 0.0, 0.0, 0, 1, 1)
    assert figures(partial["DATE"]) == (1.0, 1.0, 1.0, 1, 1, 1)
    assert figures(partial["MONEY"]) == (0.0, 0.0, 0.0, 0, 1, 1)
    assert figures(strict["DURATION"]) == (0.0, 0.0, 0.0, 0, 0, 1)


def test_partial_match_needs_same_type():
    report, _ = score([doc(mentions=[mention("DATE", 0, 5, "2024")])],
                      [doc(mentions=[mention("DURATION", 0, 5, "P1Y")])])
    assert report["mentions"]["partial"]["tp"] == 0
    assert report["mentions"]["strict"]["tp"] == 0


def test_partial_uses_each_mention_once():
    # one long prediction over two gold mentions counts once
    report, _ = score([doc(mentions=[mention("DATE", 0, 4, "2024"), mention("DATE", 5, 10, None)])],
                      [doc(mentions=[mention("DATE", 0, 10, "2024")])])
    assert figures(report["mentions"]["partial"]) == (1.0, 0.5, 2 / 3, 1, 2, 1)
    # two predictions inside one gold mention count once
    report, _ = score([doc(mentions=[mention("DATE", 0, 10, "2024")])],
                      [doc(mentions=[mention("DATE", 0, 4, "2024"), mention("DATE", 5, 10, None)])])
    assert figures(report["mentions"]["partial"]) == (0.5, 1.0, 2 / 3, 1, 1, 2)


def test_partial_prefers_larger_overlap_so_both_gold_mentions_match():
    gold = doc(mentions=[mention("MONEY", 0, 10, money(1)), mention("MONEY", 12, 20, money(2))])
    pred = doc(mentions=[mention("MONEY", 8, 20, money(2)),   # overlaps gold 0 by 2, gold 1 by 8
                         mention("MONEY", 2, 9, money(1))])   # overlaps gold 0 by 7
    comparison = compare_document(gold, pred)
    assert sorted(comparison.mentions.partial_pairs) == [(0, 1), (1, 0)]
    assert comparison.mentions.strict_pairs == []


def test_strict_duplicate_prediction_counts_once():
    report, _ = score([doc(mentions=[mention("COMPANY", 0, 3)])],
                      [doc(mentions=[mention("COMPANY", 0, 3), mention("COMPANY", 0, 3)])])
    assert figures(report["mentions"]["strict"]) == (0.5, 1.0, 2 / 3, 1, 1, 2)


def test_micro_average_pools_documents_and_types():
    gold = [doc("a", [mention("COMPANY", 0, 2), mention("DATE", 3, 5, "2024")]),
            doc("b", [mention("MONEY", 0, 4, money(5))])]
    pred = [doc("a", [mention("COMPANY", 0, 2)]),
            doc("b", [mention("MONEY", 0, 4, money(5)), mention("COMPANY", 6, 8),
                      mention("DATE", 9, 12, "2023")])]
    report, _ = score(gold, pred)
    assert figures(report["mentions"]["strict"]) == (0.5, 2 / 3, 4 / 7, 2, 3, 4)
    assert figures(report["mentions"]["strict"]["COMPANY"]) == (0.5, 1.0, 2 / 3, 1, 1, 2)


# --- values ---------------------------------------------------------------------------

@pytest.mark.parametrize("pred_value, equal", [
    (money(29_100_000_000), True),            # 0.34 % off
    (money(28_900_000_000), True),
    (money(29_200_000_000), False),           # 0.69 % off
    (money(29_000_000_000, "USD"), False),
    (money(29_000_000_000, approx=True), False),
    (money(29_000_000_000, bound="MAX"), False),
    (money(29_000_000_000, equivalent=money(20_000_000, "USD")), False),
    (money(None), False),
    (None, False),
])
def test_money_equal(pred_value, equal):
    assert money_equal(money(29_000_000_000), pred_value) is equal


def test_money_equal_equivalent_amount_max_and_vague_amounts():
    gold = money(20_000_000, "USD", equivalent=money(29_000_000_000, approx=True))
    assert money_equal(gold, money(20_000_000, "USD",
                                   equivalent=money(29_100_000_000, approx=True)))
    assert not money_equal(gold, money(20_000_000, "USD",
                                       equivalent=money(29_000_000_000, approx=False)))
    assert not money_equal(gold, money(20_000_000, "USD",
                                       equivalent=money(29_000_000_000, "JPY", approx=True)))
    ranged = money(10_000_000_000, amount_max=20_000_000_000)
    assert money_equal(ranged, money(10_000_000_000, amount_max=20_050_000_000))
    assert not money_equal(ranged, money(10_000_000_000))
    assert money_equal(money(None, approx=True), money(None, approx=True))
    assert money_equal(None, None)


def test_value_accuracy_only_over_strict_matches():
    gold = doc(mentions=[
        mention("MONEY", 0, 5, money(1000)),
        mention("MONEY", 10, 15, money(1000)),
        mention("MONEY", 20, 25, money(1000)),          # only partly matched
        mention("DATE", 30, 33, "2024-03", mod="START"),
        mention("DATE", 40, 43, "2024-03", mod="END"),
        mention("DATE", 50, 52, "2024-11-04"),
        mention("DURATION", 60, 63, "P5Y"),
        mention("COMPANY", 70, 73),
    ])
    pred = doc(mentions=[
        mention("MONEY", 0, 5, money(1004)),            # within 0.5 %
        mention("MONEY", 10, 15, money(1000, "USD")),   # wrong currency
        mention("MONEY", 20, 24, money(1)),             # partial: not in the value figure
        mention("DATE", 30, 33, "2024-03", mod="START"),
        mention("DATE", 40, 43, "2024-03"),             # mod missing
        mention("DATE", 50, 52, "2024-11-04", mod=None),
        mention("DURATION", 60, 63, "P5M"),
        mention("COMPANY", 70, 73),
    ])
    report, _ = score([gold], [pred])
    values = report["values"]
    assert (values["MONEY"]["correct"], values["MONEY"]["total"]) == (1, 2)
    assert (values["DATE"]["correct"], values["DATE"]["total"]) == (2, 3)
    assert (values["DURATION"]["correct"], values["DURATION"]["total"]) == (0, 1)
    assert values["accuracy"] == pytest.approx(3 / 6)
    assert compare_document(gold, pred).mentions.wrong_value == {1, 4, 6}


def test_value_accuracy_is_none_without_matches():
    report, _ = score([doc(mentions=[mention("COMPANY", 0, 2)])],
                      [doc(mentions=[mention("COMPANY", 0, 2)])])
    assert report["values"]["accuracy"] is None
    assert report["values"]["DATE"] == {"accuracy": None, "correct": 0, "total": 0}


# --- entities -------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("(주)카카오", "카카오"), ("삼성전자㈜", "삼성전자"), ("주식회사 카카오", "카카오"),
    ("SK Telecom", "skTELECOM"), ("Humane Inc.", "humane"), ("Humane, Inc", "HUMANE"),
    ("Samsung Electronics Co., Ltd.", "samsungelectronics"), ("e& 그룹", "E&그룹"),
])
def test_alias_key_equal(a, b):
    assert alias_key(a) == alias_key(b)


@pytest.mark.parametrize("a, b", [
    ("LG", "LG유플러스"), ("SK", "SK텔레콤"), ("Aginc", "Ag"), ("Lambda Labs", "Lambda"),
    ("Corp Bank", "Bank"), ("마이크로소프트", "MS"),
])
def test_alias_key_different(a, b):
    assert alias_key(a) != alias_key(b)


def test_entity_matching_uses_aliases_and_is_one_to_one():
    gold = doc(entities=[entity("E1", "SK텔레콤", "SKT", "SK Telecom"),
                         entity("E2", "카카오", "(주)카카오")])
    pred = doc(entities=[entity("P1", "sk telecom"), entity("P2", "㈜카카오"),
                         entity("P3", "네이버"), entity("P4", "SKT")])
    report, _ = score([gold], [pred])
    assert figures(report["entities"]) == (0.5, 1.0, 2 / 3, 2, 2, 4)
    assert compare_document(gold, pred).entity_map == {"P1": "E1", "P2": "E2"}


def test_entity_matching_finds_the_most_pairs():
    # P1 fits both gold entities, P2 only the first: both must still be matched
    gold = doc(entities=[entity("E1", "SK텔레콤", "SK"), entity("E2", "SK그룹", "SK")])
    pred = doc(entities=[entity("P1", "SK"), entity("P2", "SK텔레콤")])
    assert compare_document(gold, pred).entity_map == {"P1": "E2", "P2": "E1"}


def test_entity_matching_prefers_the_same_name_among_equally_large_pairings():
    # P1 shares an alias with E1 and E2, P2 with E1 and E3: pairing P1-E2 and P2-E1 is as
    # large as P1-E1 and P2-E3, but P1 *is* E1 by name and P2 *is* E3
    gold = doc(entities=[entity("E1", "메리츠종금증권", "메리츠증권"),
                         entity("E2", "메리츠종합금융", "메리츠종금"),
                         entity("E3", "메리츠금융그룹", "메리츠")])
    pred = doc(entities=[entity("P1", "메리츠종금증권", "메리츠종금"),
                         entity("P2", "메리츠증권", "메리츠")])
    assert compare_document(gold, pred).entity_map == {"P1": "E1", "P2": "E3"}


def test_entity_matching_prefers_more_shared_aliases():
    gold = doc(entities=[entity("E1", "Alpha", "A1", "A2"), entity("E2", "Beta", "A1")])
    pred = doc(entities=[entity("P1", "Gamma", "A1", "A2"), entity("P2", "Delta", "A1")])
    assert compare_document(gold, pred).entity_map == {"P1": "E1", "P2": "E2"}


# --- deals ----------------------------------------------------------------------------

GOLD_ENTITIES = [entity("E1", "SK텔레콤"), entity("E2", "람다"), entity("E3", "KT")]
PRED_ENTITIES = [entity("P1", "SK텔레콤"), entity("P2", "Lambda", "람다"), entity("P3", "KT"),
                 entity("P9", "네이버")]


def deal_report(gold_deals: list, pred_deals: list) -> dict:
    report, _ = score([doc(entities=GOLD_ENTITIES, deals=gold_deals)],
                      [doc(entities=PRED_ENTITIES, deals=pred_deals)])
    return report["deals"]


def test_investment_needs_same_company_and_partner_set():
    gold = [deal("INVESTMENT", "E1", ["E2"])]
    assert deal_report(gold, [deal("INVESTMENT", "P1", ["P2"])])["tp"] == 1
    assert deal_report(gold, [deal("INVESTMENT", "P2", ["P1"])])["tp"] == 0   # reversed
    assert deal_report(gold, [deal("ACQUISITION", "P2", ["P1"])])["tp"] == 0  # reversed
    assert deal_report(gold, [deal("INVESTMENT", "P1", ["P2", "P3"])])["tp"] == 0
    assert deal_report(gold, [deal("INVESTMENT", "P1", ["P9"])])["tp"] == 0   # unmatched entity


def test_symmetric_deals_compare_the_participant_set():
    gold = [deal("MOU", "E1", ["E2", "E3"])]
    assert deal_report(gold, [deal("MOU", "P3", ["P2", "P1"])])["tp"] == 1
    assert deal_report(gold, [deal("MOU", "P3", ["P2"])])["tp"] == 0
    # a symmetric prediction for an asymmetric gold deal pairs on participants alone
    gold = [deal("INVESTMENT", "E1", ["E2"])]
    result = deal_report(gold, [deal("COOPERATION", "P2", ["P1"])])
    assert result["tp"] == 1
    assert result["fields"]["type"]["accuracy"] == 0.0


def test_same_type_pairs_are_made_before_participant_pairs():
    gold = [deal("MOU", "E1", ["E2"]), deal("PARTNERSHIP", "E1", ["E2"])]
    pred = [deal("PARTNERSHIP", "P2", ["P1"]), deal("MOU", "P1", ["P2"])]
    result = deal_report(gold, pred)
    assert result["tp"] == 2
    assert result["fields"]["type"] == {"accuracy": 1.0, "correct": 2, "total": 2}
    comparison = compare_document(doc(entities=GOLD_ENTITIES, deals=gold),
                                  doc(entities=PRED_ENTITIES, deals=pred))
    assert comparison.deal_pairs == [(0, 1), (1, 0)]


def test_deal_field_accuracy_and_strict_f1():
    amount = money(20_000_000, "USD")
    gold = [deal("INVESTMENT", "E1", ["E2"], "DONE", "2024-02", amount),
            deal("MOU", "E1", ["E3"], "PLANNED", "2024-06", None)]
    pred = [deal("INVESTMENT", "P1", ["P2"], "DONE", "2024-02", money(20_050_000, "USD")),
            deal("PARTNERSHIP", "P3", ["P1"], "DONE", "2024-07", None),
            deal("CONTRACT", "P1", ["P9"])]
    result = deal_report(gold, pred)
    assert figures(result) == (2 / 3, 1.0, 0.8, 2, 2, 3)
    accuracies = {name: v["accuracy"] for name, v in result["fields"].items()}
    assert accuracies == {"type": 0.5, "status": 0.5, "date": 0.5, "amount": 1.0}
    assert figures(result["strict"]) == (1 / 3, 0.5, 0.4, 1, 2, 3)


def test_strict_deal_needs_type_date_and_amount_but_not_status():
    gold = [deal("INVESTMENT", "E1", ["E2"], "DONE", "2024-02", money(100, "USD"))]
    ok = deal("INVESTMENT", "P1", ["P2"], "PLANNED", "2024-02", money(100, "USD"))
    assert deal_report(gold, [ok])["strict"]["tp"] == 1
    for wrong in (dict(ok, date="2024-03"), dict(ok, amount=money(100, "KRW")),
                  dict(ok, amount=None), dict(ok, type="ACQUISITION")):
        result = deal_report(gold, [wrong])
        assert (result["tp"], result["strict"]["tp"]) == (1, 0)


# --- documents ------------------------------------------------------------------------

def rich_gold(doc_id: str = "g") -> dict:
    return doc(doc_id, entities=GOLD_ENTITIES, mentions=[
        mention("COMPANY", 0, 6, entity="E1"), mention("COMPANY", 8, 10, entity="E2"),
        mention("DATE", 12, 14, "2024-02", mod="START"), mention("DURATION", 15, 18, "P5Y"),
        mention("MONEY", 20, 36, money(20_000_000, "USD",
                                       equivalent=money(29_000_000_000, approx=True))),
    ], deals=[deal("INVESTMENT", "E1", ["E2"], "DONE", "2024-02", money(20_000_000, "USD")),
              deal("MOU", "E1", ["E2", "E3"], "PLANNED", None, None)])


def all_scores(node: object, path: str = "") -> dict[str, object]:
    found: dict[str, object] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("precision", "recall", "f1", "accuracy"):
                found[f"{path}.{key}"] = value
            else:
                found.update(all_scores(value, f"{path}.{key}"))
    return found


def test_gold_against_itself_is_perfect():
    gold = rich_gold()
    report, warnings = score([gold], [json.loads(json.dumps(gold))])
    scores = all_scores(report)
    assert len(scores) > 40
    assert {key: value for key, value in scores.items() if value != 1.0} == {}
    assert warnings == []


def test_gold_without_prediction_counts_as_all_missed():
    report, _ = score([rich_gold("a"), rich_gold("b")], [rich_gold("a")])
    assert report["documents"]["missing_predictions"] == 1
    assert figures(report["mentions"]["strict"]) == (1.0, 0.5, 2 / 3, 5, 10, 5)
    assert figures(report["entities"]) == (1.0, 0.5, 2 / 3, 3, 6, 3)
    assert figures(report["deals"]) == (1.0, 0.5, 2 / 3, 2, 4, 2)
    only_missing, _ = score([rich_gold("b")], [])
    assert figures(only_missing["mentions"]["strict"]) == (0.0, 0.0, 0.0, 0, 5, 0)


def test_prediction_without_gold_is_ignored():
    base, _ = score([rich_gold("a")], [rich_gold("a")])
    stray = doc("stray", mentions=[mention("DATE", 0, 3, "2020")],
                entities=[entity("X1", "네이버")], deals=[deal("MOU", "X1", ["X1"])])
    with_stray, _ = score([rich_gold("a")], [rich_gold("a"), stray])
    assert with_stray["documents"]["predicted"] == 2
    for key in ("mentions", "values", "entities", "deals"):
        assert with_stray[key] == base[key]


def test_text_sha256_mismatch_warns():
    pred = rich_gold("a")
    pred["text_sha256"] = "f" * 64
    _, warnings = score([rich_gold("a")], [pred])
    assert len(warnings) == 1 and "text_sha256" in warnings[0] and warnings[0].startswith("a:")
    _, warnings = score([rich_gold("a")], [rich_gold("a")])
    assert warnings == []


def test_load_documents_reads_subfolders_and_reports_bad_files(tmp_path: Path):
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / "x.json").write_text(json.dumps(doc("dev/x")), encoding="utf-8")
    (tmp_path / "y.json").write_text(json.dumps(doc("dev/x")), encoding="utf-8")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "other.json").write_text(json.dumps({"schema": "something/2"}), encoding="utf-8")
    docs, warnings = load_documents(tmp_path)
    assert list(docs) == ["dev/x"]
    assert len(warnings) == 2
    assert any("bad.json" in w for w in warnings)
    assert any("duplicate doc_id" in w for w in warnings)


# --- thresholds and the CLI -----------------------------------------------------------

def test_lookup_and_thresholds():
    report, _ = score([rich_gold()], [doc("g", mentions=rich_gold()["mentions"][:2])])
    assert lookup(report, "mentions.strict") == lookup(report, "mentions.strict.f1")
    assert lookup(report, "mentions.strict.COMPANY.f1") == 1.0
    assert lookup(report, "documents.gold") == 1
    with pytest.raises(KeyError):
        lookup(report, "mentions.bogus")
    assert check_thresholds(report, [("mentions.strict.COMPANY.f1", 1.0)]) == []
    failures = check_thresholds(report, [("mentions.strict.f1", 0.9), ("nope.f1", 0.1),
                                         ("values.accuracy", 0.5)])
    assert len(failures) == 3
    assert failures[1] == "nope.f1: no such figure"
    assert "values.accuracy = None" in failures[2]


@pytest.fixture
def eval_dirs(tmp_path: Path) -> tuple[Path, Path]:
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    (gold_dir / "dev").mkdir(parents=True)
    (pred_dir / "docs" / "dev").mkdir(parents=True)
    gold = rich_gold("dev/a")
    pred = doc("dev/a", entities=GOLD_ENTITIES, mentions=gold["mentions"][:2])  # strict F1 4/7
    (gold_dir / "dev" / "a.json").write_text(json.dumps(gold), encoding="utf-8")
    (pred_dir / "docs" / "dev" / "a.json").write_text(json.dumps(pred), encoding="utf-8")
    return gold_dir, pred_dir


def run_eval(gold_dir: Path, pred_dir: Path, *extra: str):
    return CliRunner().invoke(app, ["eval", "--gold", str(gold_dir), "--pred", str(pred_dir),
                                    *extra])


def test_cli_eval_writes_json(eval_dirs, tmp_path: Path):
    out = tmp_path / "out" / "scores.json"
    result = run_eval(*eval_dirs, "--json", str(out))
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["mentions"]["strict"]["f1"] == pytest.approx(4 / 7)
    assert written["deals"]["recall"] == 0.0


@pytest.mark.parametrize("gate, code", [
    ("mentions.strict.f1=0.5", 0),
    ("mentions.strict.f1=0.6", 1),
    ("mentions.strict.COMPANY.f1=1", 0),
    ("entities.f1=1.0", 0),
    ("deals.f1=0.1", 1),
    ("values.accuracy=0.5", 1),       # no value was matched: n/a fails a gate
    ("mentions.strict.bogus=0.1", 2),  # unknown key: a configuration error
    ("mentions.strict.f1", 2),         # not KEY=NUMBER
    ("mentions.strict.f1=high", 2),
])
def test_cli_fail_under_exit_codes(eval_dirs, gate: str, code: int):
    result = run_eval(*eval_dirs, "--fail-under", gate)
    assert result.exit_code == code, result.output


def test_cli_fail_under_several_gates_and_messages(eval_dirs):
    result = run_eval(*eval_dirs, "--fail-under", "mentions.strict.f1=0.5",
                      "--fail-under", "deals.f1=0.5")
    assert result.exit_code == 1
    assert "deals.f1 = 0.0 < 0.5" in result.output
    assert "mentions.strict.f1 =" not in result.output
    result = run_eval(*eval_dirs, "--fail-under", "mentions.strict.bogus=0.1")
    assert "mentions.strict.bogus" in result.output and "no such figure" in result.output


def test_cli_eval_refuses_missing_folders(eval_dirs, tmp_path: Path):
    gold_dir, _ = eval_dirs
    assert run_eval(gold_dir, tmp_path / "nowhere").exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_eval(empty, gold_dir).exit_code == 2
