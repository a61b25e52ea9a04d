"""Start-up and per-article speed-ups give exactly what the plain code gives.

* The compiled ruleset read back from the disk cache processes articles exactly as
  a freshly compiled one; the cache is keyed by the rules, the folders and the code,
  and a cache file that is broken, stale or writable by others is ignored.
* The tokenizer's inlined word building, and its Doc with tags and sentence starts
  set as one array, equal the straightforward code they replaced (kept here as the
  reference).
* The article JSON writer gives exactly `json.dumps(record, ensure_ascii=False,
  indent=1)`.
* The worker's garbage-collector settings (fewer passes, start-up objects frozen).
"""

from __future__ import annotations

import gc
import json
import math
import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from pipeline import ruleset as ruleset_module
from pipeline import runner
from pipeline import tokenizer as tokenizer_module
from pipeline.extract import process_article
from pipeline.problems import RuleError
from pipeline.reading import Article, read_inputs
from pipeline.ruleset import load_ruleset, rule_dirs, rules_hash
from pipeline.tokenizer import (
    KiwiDoc,
    KiwiMorph,
    _Builder,
    _kiwi_sentences,
    _line_start,
    blank_korean,
    get_kiwi,
    make_doc,
    tokenize_to_builder,
)
from pipeline.writing import dumps_document

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ["dev/telco-ai-partnerships-2024", "dev/hybe-kakao-sm-entertainment-2023",
            "dev/game-industry-mega-deals-2025", "test/kurly-series-f-2021",
            "dev/shipbuilders-weekly-orders-2025-03"]
FIXED = settings(derandomize=True, deadline=None, database=None)


def corpus_articles() -> list[Article]:
    items = []
    for name in ARTICLES:
        path = ROOT / "corpus" / "articles" / f"{name}.txt"
        items += [a for a in read_inputs([path]) if isinstance(a, Article)]
    assert len(items) == len(ARTICLES)
    return items


@pytest.fixture()
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(ruleset_module.CACHE_ENV, str(folder))
    monkeypatch.setattr(ruleset_module, "_LOADED", {})  # as in a new process
    # the source counts as unchanged while a test runs, even in a tree being edited
    monkeypatch.setattr(ruleset_module, "_source_hash", lambda: ruleset_module._code_fingerprint)
    return folder


@pytest.fixture()
def rules(tmp_path: Path) -> list[Path]:
    """A private copy of the built-in rules, so edits in the work tree do not race a test."""
    folder = tmp_path / "builtin"
    folder.mkdir()
    for path in rule_dirs()[0].glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    return [folder]


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("ruleset-*.pickle"))


# --- the compiled-ruleset cache ------------------------------------------------------

def test_a_cached_ruleset_processes_articles_exactly_as_a_fresh_one(cache_folder: Path) -> None:
    dirs = rule_dirs()
    fresh = ruleset_module._load(dirs, strict=False)
    path = ruleset_module._cache_file(dirs, rules_hash(dirs))
    assert path is not None and path.parent == cache_folder
    ruleset_module._write_cache(path, fresh)
    cached = ruleset_module._read_cache(path)
    assert cached is not None and cached is not fresh
    for article in corpus_articles():
        assert process_article(article, cached) == process_article(article, fresh)
    assert cached.check_examples()[0] == fresh.check_examples()[0]


def test_load_ruleset_reads_the_cache_in_a_new_process(cache_folder: Path, rules: list[Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_ruleset(rules)
    assert len(cache_files(cache_folder)) == 1
    monkeypatch.setattr(ruleset_module, "_LOADED", {})

    def no_compiling(*_: object, **__: object) -> None:
        raise AssertionError("compiled instead of read from the cache")

    monkeypatch.setattr(ruleset_module, "_load", no_compiling)
    second = load_ruleset(rules)
    assert second is not first and second.dirs == first.dirs
    text = "KT는 2024년 3월 마이크로소프트와 5년간 2조4000억원을 투자한다."
    assert second.values.find(text, None) == first.values.find(text, None)
    assert load_ruleset(rules) is second  # and then kept in the process


def test_changed_rules_folders_or_code_get_their_own_cache_file(
        cache_folder: Path, rules: list[Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "user_rules"
    user.mkdir()
    (user / "money.yaml").write_text("currencies:\n  세디: GHS\n", encoding="utf-8")
    dirs = [*rules, user]
    names = {ruleset_module._cache_file(rules, rules_hash(rules)),
             ruleset_module._cache_file(dirs, rules_hash(dirs))}
    load_ruleset(dirs)
    (user / "money.yaml").write_text("currencies:\n  세디: GHC\n", encoding="utf-8")
    names.add(ruleset_module._cache_file(dirs, rules_hash(dirs)))
    changed = load_ruleset(dirs)
    assert changed.values.currencies["세디"] == "GHC"
    monkeypatch.setattr(ruleset_module, "_code_fingerprint", "other code")
    names.add(ruleset_module._cache_file(dirs, rules_hash(dirs)))
    assert len(names) == 4
    assert len(cache_files(cache_folder)) == 2


def test_nothing_is_cached_when_rules_or_code_change_while_compiling(
        cache_folder: Path, rules: list[Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ruleset_module, "_source_hash", lambda: "edited meanwhile")
    load_ruleset(rules)
    assert not cache_files(cache_folder)
    monkeypatch.setattr(ruleset_module, "_source_hash", lambda: ruleset_module._code_fingerprint)
    user = tmp_path / "user_rules"
    user.mkdir()
    (user / "money.yaml").write_text("currencies:\n  세디: GHS\n", encoding="utf-8")
    compile_rules = ruleset_module._load

    def edit_while_compiling(*args: object, **kwargs: object) -> object:
        loaded = compile_rules(*args, **kwargs)
        (user / "money.yaml").write_text("currencies:\n  세디: GHC\n", encoding="utf-8")
        return loaded

    monkeypatch.setattr(ruleset_module, "_load", edit_while_compiling)
    load_ruleset([*rules, user])
    assert not cache_files(cache_folder)


def test_broken_or_foreign_cache_files_are_ignored(cache_folder: Path, rules: list[Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    dirs = rules
    load_ruleset(dirs)
    (path,) = cache_files(cache_folder)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # a truncated file
    monkeypatch.setattr(ruleset_module, "_LOADED", {})
    assert ruleset_module._read_cache(path) is None
    load_ruleset(dirs)  # compiles again and rewrites the file
    assert ruleset_module._read_cache(path) is not None
    good = path.read_bytes()
    os.chmod(path, 0o666)  # writable by others: not trusted
    assert ruleset_module._read_cache(path) is None
    os.chmod(path, 0o600)
    with open(path, "rb") as handle:
        header = pickle.load(handle)
        body = good[handle.tell():]
    assert "regex._regex" in {name for name, *_ in header}
    path.write_bytes(pickle.dumps(header) + body)
    assert ruleset_module._read_cache(path) is not None
    stale = [(name, file, mtime + (name == "regex._regex"), size)
             for name, file, mtime, size in header]
    path.write_bytes(pickle.dumps(stale) + body)
    assert ruleset_module._read_cache(path) is None  # another build of a library
    path.write_bytes(good)
    assert ruleset_module._read_cache(path) is not None


def test_the_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ruleset_module, "_LOADED", {})
    monkeypatch.setenv(ruleset_module.CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert ruleset_module.cache_dir() is None
    load_ruleset(rule_dirs())
    assert not list(tmp_path.rglob("*.pickle"))
    monkeypatch.delenv(ruleset_module.CACHE_ENV)
    assert ruleset_module.cache_dir() == tmp_path / "kdeal"


def test_rule_problems_are_raised_from_a_cached_ruleset_too(
        cache_folder: Path, rules: list[Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "bad_rules"
    user.mkdir()
    (user / "money.yaml").write_text("rules:\n  - id: money.bad\n    pattern: '('\n"
                                     "    value: money\n", encoding="utf-8")
    dirs = [*rules, user]
    with pytest.raises(RuleError) as first:
        load_ruleset(dirs)
    monkeypatch.setattr(ruleset_module, "_LOADED", {})
    with pytest.raises(RuleError) as second:
        load_ruleset(dirs)
    assert [str(p) for p in first.value.problems] == [str(p) for p in second.value.problems]
    assert load_ruleset(dirs, strict=False).problems


def test_old_cache_files_are_pruned(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ruleset_module, "CACHE_KEEP", 2)
    dirs = rule_dirs()
    fresh = ruleset_module._load(dirs, strict=False)
    for n in range(4):
        ruleset_module._write_cache(cache_folder / f"ruleset-{n}.pickle", fresh)
        os.utime(cache_folder / f"ruleset-{n}.pickle", (n, n))
    assert [p.name for p in cache_files(cache_folder)] == ["ruleset-2.pickle",
                                                          "ruleset-3.pickle"]


# --- the tokenizer's word building ---------------------------------------------------------

def plain_builder(text: str) -> _Builder:
    """The word-building loop before it was inlined, kept as the reference."""
    kiwi = tokenizer_module.get_kiwi()
    builder = _Builder()
    raw = builder.kiwi
    cursor = 0
    carried = False
    for offset, starts_sentence, sentence in _kiwi_sentences(text, kiwi):
        first = starts_sentence or carried
        carried = first
        group: list[KiwiMorph] = []
        group_start = group_end = cursor
        for tok in sentence:
            tok_start = offset + tok.start
            tok_end = tok_start + tok.len
            morph = (tok_start, tok_end, tok.tag, tok.oov, tok.form)
            raw.append(morph)
            start = tok_start if tok_start > cursor else cursor
            end = tok_end if tok_end > start else start
            if group and (start < group_end or start == end):
                group.append(morph)
                if end > group_end:
                    group_end = end
                continue
            if start == end:
                group.append(morph)
                continue
            if group and group_end > group_start:
                if cursor < group_start:
                    builder.add_gap(text[cursor:group_start], first, _line_start(text, cursor))
                builder.add(text[group_start:group_end], [(m[4], m[2]) for m in group], first,
                            any([m[3] for m in group]))
                first = carried = False
                cursor = group_start = group_end
                group = []
            group.append(morph)
            group_start, group_end = start, end
        if group and group_end > group_start:
            if cursor < group_start:
                builder.add_gap(text[cursor:group_start], first, _line_start(text, cursor))
            builder.add(text[group_start:group_end], [(m[4], m[2]) for m in group], first,
                        any([m[3] for m in group]))
            cursor = group_end
            carried = False
    builder.add_gap(text[cursor:], carried, _line_start(text, cursor))
    return builder


def plain_doc(text: str) -> Doc:
    """The Doc as it was made before: tags and sentence starts given to `Doc()`."""
    builder = plain_builder(text)
    vocab = blank_korean().vocab
    if not builder.words:
        doc = KiwiDoc(vocab, words=[], spaces=[])
        doc.user_data["kdeal_kiwi"] = ()
        return doc
    sent_starts = list(builder.sent_starts)
    sent_starts[0] = True
    doc = KiwiDoc(vocab, words=builder.words, spaces=builder.spaces, tags=builder.tags,
                  sent_starts=sent_starts)
    doc.user_data["kdeal_morphs"] = builder.morphs
    doc.user_data["kdeal_oov"] = builder.oov
    doc.user_data["kdeal_kiwi"] = tuple(builder.kiwi)
    return doc


def same_docs(text: str) -> None:
    fast, plain = make_doc(text), plain_doc(text)
    assert fast.to_bytes() == plain.to_bytes()
    assert [(t.text, t.whitespace_, t.tag_, t.is_sent_start) for t in fast] == \
        [(t.text, t.whitespace_, t.tag_, t.is_sent_start) for t in plain]
    assert fast.user_data == plain.user_data and fast.text == plain.text == text


def built(builder: _Builder) -> tuple:
    return (builder.words, builder.spaces, builder.tags, builder.morphs, builder.sent_starts,
            builder.oov, builder.kiwi)


class RecordedKiwi:
    """Kiwi that keeps its analyses by text: the two loops and the two Docs compared
    below read one analysis of each piece, so an article costs one Kiwi run, not four."""

    def __init__(self) -> None:
        self.kiwi = get_kiwi()
        self.seen: dict[tuple[str, bool], Any] = {}

    def tokenize(self, text: str, split_sents: bool = False) -> Any:
        key = (text, split_sents)
        if key not in self.seen:
            self.seen[key] = self.kiwi.tokenize(text, split_sents=split_sents)
        return self.seen[key]


@pytest.mark.long
def test_word_building_equals_the_plain_loop_on_the_corpus(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # every third article (in reading order), or a wider step past 600 articles: a fixed
    # sample of both splits (about 150) that keeps the test's time flat as the corpus grows;
    # the hypothesis test below covers odd text
    texts = [a.text for a in read_inputs([ROOT / "corpus" / "articles"])
             if isinstance(a, Article)]
    texts = texts[::max(3, len(texts) // 150)]
    assert len(texts) > 40
    for text in texts:
        recorded = RecordedKiwi()
        monkeypatch.setattr(tokenizer_module, "get_kiwi", lambda kiwi=recorded: kiwi)
        assert built(tokenize_to_builder(text)) == built(plain_builder(text))
        same_docs(text)
        assert recorded.seen  # every analysis came through the recording


PIECES = ["했다", "됐다", "인", "ㄱ", "ㅎㅎ", "SK텔레콤", "2000만달러", "(약 290억원)", "漢字",
          "😀", "👍🏽", "👨‍👩‍👧", "e&", "A.I.", "₩1,000", "“", "”", "…", "·", "~", ".", "!", " ",
          "  ", "\t", "\n", "\n\n", "\u3000", "\u00a0", "\u200b", "e\u0301", "\u11a8", "\u2028"]


@FIXED
@given(st.lists(st.one_of(
    st.sampled_from(PIECES),
    st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=6),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=3),
), max_size=30).map("".join))
def test_word_building_equals_the_plain_loop_on_any_text(text: str) -> None:
    assert built(tokenize_to_builder(text)) == built(plain_builder(text))
    same_docs(text)


# --- the article JSON writer -----------------------------------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                    st.text(max_size=12), st.sampled_from(["\u2028", "\ud800", "\"\\\n", "é"]))
KEYS = st.one_of(st.text(max_size=6), st.integers(), st.floats(), st.booleans(), st.none())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(KEYS, inner, max_size=4)), max_leaves=30)


@settings(FIXED, max_examples=600)
@given(VALUES)
def test_json_writer_equals_json_dumps(value: object) -> None:
    assert dumps_document(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_json_writer_equals_json_dumps_on_records_and_odd_values(cache_folder: Path) -> None:
    ruleset = load_ruleset(rule_dirs())
    for article in corpus_articles():
        record = process_article(article, ruleset)
        assert dumps_document(record) == json.dumps(record, ensure_ascii=False, indent=1)
    for odd in ([math.nan, math.inf, -math.inf, -0.0, 1e300], {1: {2.5: {True: {None: []}}}},
                {"a": {}, "b": [], "c": ()}, [[[[]]]]):
        assert dumps_document(odd) == json.dumps(odd, ensure_ascii=False, indent=1)
    circular: list = []
    circular.append(circular)
    with pytest.raises(ValueError):
        dumps_document(circular)
    with pytest.raises(TypeError):
        dumps_document({"when": object()})
    with pytest.raises(TypeError):
        dumps_document({(1, 2): "tuple key"})


# --- the worker's garbage collector -----------------------------------------------------

def test_worker_collects_rarely_and_not_over_start_up_objects() -> None:
    before = gc.get_threshold()
    try:
        runner.tune_gc()
        assert gc.get_threshold() == runner.GC_THRESHOLDS
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
