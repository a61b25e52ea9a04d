"""corpus/build.py turns markup into article, meta and gold; metadata must stay plain text."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _build_module():
    spec = importlib.util.spec_from_file_location("corpus_build", ROOT / "corpus" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MARKUP = """id: {name}
published: 2024-03-06
title: "{title}"
entities:
  E1: [한빛전자]
text: |-
  ⟦한빛전자|E1⟧는 ⟦5일|D 2024-03-05⟧ 신제품을 내놓았다.
"""


def test_markup_in_a_title_is_refused(tmp_path: Path) -> None:
    build = _build_module()
    path = tmp_path / "a-doc.yaml"
    path.write_text(MARKUP.format(name="a-doc", title="한빛전자 ⟦5일|D 2024-03-05⟧ 출시"),
                    encoding="utf-8")
    with pytest.raises(build.MarkupError, match="metadata"):
        build.build_one(path, "dev")


def test_plain_title_builds(tmp_path: Path) -> None:
    build = _build_module()
    path = tmp_path / "a-doc.yaml"
    path.write_text(MARKUP.format(name="a-doc", title="한빛전자 5일 출시"), encoding="utf-8")
    text, meta, gold = build.build_one(path, "dev")
    assert meta["title"] == "한빛전자 5일 출시"
    assert text.startswith("한빛전자는") and gold["mentions"][0]["text"] == "한빛전자"


def test_corpus_metadata_holds_no_markup() -> None:
    bad = [p.name for p in sorted((ROOT / "corpus" / "articles").glob("*/*.meta.json"))
           if any("⟦" in str(v) or "⟧" in str(v)
                  for v in json.loads(p.read_text(encoding="utf-8")).values())]
    assert bad == []
