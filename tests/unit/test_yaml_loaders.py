"""`load_yaml` reads with libyaml only what libyaml reads as PyYAML's Python loader does.

The Python loader is the definition (MkDocs reads front matter with it); libyaml is a faster
path for the texts the gate lets through. Differential fuzzing: real data files and front
matter, mutated with YAML's own punctuation, must load to the same values, lines and errors
through both paths.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from kb_builder.core import yamlio
from kb_builder.core.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]
# Insertions that make YAML mean something else: indentation, indicators, quotes, comments.
# Some the gate sends to the Python loader (tab, '?', '!', '['): a gate that let them through
# would fail this test.
_PIECES = [*" \n:-'\"#,.\\abc01é\t?![{", "  ", "- ", ": ", "\n  ", "\n- ", "---", "..."]
_PIECES += ["<<: ", "~"]


def _seeds() -> list[str]:
    texts = []
    for path in sorted((ROOT / "content").rglob("*.yml")) + sorted(
        (ROOT / "tests" / "bad_inputs").rglob("*.yml")
    ):
        texts.append(path.read_text(encoding="utf-8", errors="replace"))
    for path in sorted((ROOT / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        end = text.find("\n---", 3)
        if text.startswith("---\n") and end > 0:
            texts.append(text[4 : end + 1])
    return texts


def _mutations(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seeds = _seeds()
    texts = []
    while len(texts) < count:
        text = rng.choice(seeds)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            roll = rng.random()
            if roll < 0.4:
                text = text[:at] + rng.choice(_PIECES) + text[at:]
            elif roll < 0.7:
                text = text[:at] + text[at + rng.randint(1, 3) :]
            else:
                start = rng.randrange(len(text) + 1)
                text = text[:at] + text[start : start + rng.randint(1, 20)] + text[at:]
        if yamlio._libyaml_agrees(text):
            texts.append(text)
    return texts


def _outcome(text: str) -> tuple:
    try:
        data, lines = yamlio.load_yaml(text, "f.yml", line_offset=1)
    except ContentError as e:
        return ("error", e.line, e.message)
    return ("data", repr(data), sorted(lines.lines.items(), key=repr), lines.offset)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
def test_libyaml_and_python_read_every_gated_text_alike(monkeypatch) -> None:
    texts = _mutations(1500, seed=7)
    fast = [_outcome(text) for text in texts]
    monkeypatch.setattr(yamlio, "_HAS_LIBYAML", False)
    python = [_outcome(text) for text in texts]
    differ = [text for text, a, b in zip(texts, fast, python, strict=True) if a != b]
    assert differ == []
    assert any(a[0] == "error" for a in python) and any(a[0] == "data" for a in python)


@pytest.mark.parametrize(
    "text",
    [
        "title: a\ttab\n",  # libyaml takes a tab inside a plain value; PyYAML refuses it
        "tags: [a, ?b]\n",
        "? !!bool maybe\n: x\n",
        "a: !x y\n",
        "a: |\n  text\n",
    ],
)
def test_what_libyaml_may_read_otherwise_goes_to_the_python_loader(text: str) -> None:
    assert not yamlio._libyaml_agrees(text)


def test_the_gate_lets_ordinary_front_matter_through() -> None:
    text = "title: Reset a password\ndescription: 'How to: reset it.'\ntags:\n  - account\n"
    assert yamlio._libyaml_agrees(text)
    data, lines = yamlio.load_yaml(text, "page.md", line_offset=1)
    assert data == {
        "title": "Reset a password",
        "description": "How to: reset it.",
        "tags": ["account"],
    }
    assert lines.line_of(("tags", 0)) == 5
