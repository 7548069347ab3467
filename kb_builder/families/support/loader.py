"""Load and check content/_data/support.yml.

`check()` lists every problem (for `kb check`); `load()` raises the first (for the build).
Problems come in layers, and a layer runs only when the one before passed: the file's bytes
and YAML, then each value (pydantic), then what spans the file (references, audiences) and the
placeholders written in its Markdown fields.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kb_builder.core.errors import ContentError
from kb_builder.core.validation import validate
from kb_builder.core.yamlio import LineMap, decode_utf8, load_yaml
from kb_builder.families.support import placeholders
from kb_builder.families.support.facts import Facts, build_facts
from kb_builder.families.support.model import MARKDOWN_FIELD, SupportFile
from kb_builder.families.support.references import check_references, where
from kb_builder.families.support.routes import check_contact
from kb_builder.families.support.wording import join

FILE_NAME = "support.yml"


@dataclass(frozen=True)
class SupportData:
    """The validated support facts, ready for generators and placeholders.

    Attributes:
        file: the validated content of support.yml (both editions' items).
        source: the file's path, for messages.
        edit_source: the file relative to the content directory (``_data/support.yml``), where
            the edit link of every generated page points.
        facts: every quotable fact, for `kb_builder.families.support.placeholders`.
    """

    file: SupportFile
    source: str
    edit_source: str
    facts: Facts


def data_file(data_dir: Path) -> Path:
    """Where the support facts of a site live: ``<data_dir>/support.yml``."""
    return Path(data_dir) / FILE_NAME


def check_text(text: str, source: str) -> tuple[SupportFile | None, list[ContentError]]:
    """Validate the text of a support file; return the model (if valid) and every problem."""
    try:
        data, lines = load_yaml(text, source)
    except ContentError as e:
        return None, [e]
    if data is None:
        required = [
            f.alias or name for name, f in SupportFile.model_fields.items() if f.is_required()
        ]
        return None, [
            ContentError(
                source,
                1,
                "the file is empty; describe the support facts here, starting with "
                + join(f"'{key}:'" for key in required),
            )
        ]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"the single value '{data}'"
        return None, [
            ContentError(
                source,
                lines.line_of(()),
                f"the file holds {kind}; it must be a mapping of 'key: value' lines, starting "
                "with 'vendor: <your company>'",
            )
        ]
    model, errors = validate(SupportFile, data, source, lines, what="support")
    if model is None:
        return None, errors
    errors = check_references(model, source, lines)
    if not errors:
        # Routes can only be followed once every reference resolves.
        errors = check_contact(model, source, lines)
    if not errors:
        # Placeholders can only be checked once every reference resolves to a fact.
        errors = _placeholder_errors(model, source, lines, build_facts(model))
    return (model if not errors else None), errors


def _read(path: Path) -> tuple[SupportFile | None, list[ContentError]]:
    source = str(path)
    if not path.is_file():
        return None, [
            ContentError(
                source,
                0,
                "does not exist; the support pages are generated from it (see "
                "kb_builder/families/support/model.py for what it holds)",
            )
        ]
    try:
        text = decode_utf8(path.read_bytes(), source)
    except ContentError as e:
        return None, [e]
    except OSError as e:
        return None, [ContentError(source, 0, f"cannot be read: {e.strerror}")]
    return check_text(text, source)


def check(data_dir: Path) -> list[ContentError]:
    """Every problem in the support facts of `data_dir`, sorted by line."""
    return sorted(set(_read(data_file(data_dir))[1]))


def read(data_dir: Path) -> tuple[SupportData | None, list[ContentError]]:
    """The support facts of `data_dir` and every problem in them, from one reading.

    The facts are None when there is any problem (`check` lists the same problems).
    """
    path = data_file(data_dir)
    model, errors = _read(path)
    if errors or model is None:
        return None, sorted(set(errors))
    edit_source = f"{Path(data_dir).name}/{FILE_NAME}"
    return SupportData(model, str(path), edit_source, build_facts(model)), []


def load(data_dir: Path) -> SupportData:
    """The validated support facts of `data_dir`.

    Raises:
        ContentError: the first problem `check` would list.
    """
    path = data_file(data_dir)
    model, errors = _read(path)
    if errors or model is None:
        raise sorted(errors)[0]
    edit_source = f"{Path(data_dir).name}/{FILE_NAME}"
    return SupportData(model, str(path), edit_source, build_facts(model))


# --- placeholders written in the data file itself ---------------------------------------------


def _is_markdown(annotation: Any) -> bool:
    """True if `annotation` (or a type inside it) is the `Markdown` type."""
    if annotation is MARKDOWN_FIELD:
        return True
    return any(_is_markdown(arg) for arg in typing.get_args(annotation))


def _strings(
    value: Any, loc: tuple[str | int, ...], markdown: bool, audience: str
) -> Iterator[tuple[tuple[str | int, ...], str, bool, str]]:
    """Every text value under `value`: ``(loc, text, is_markdown, audience)``."""
    if isinstance(value, BaseModel):
        if getattr(value, "audience", "public") == "internal":
            audience = "internal"
        for name, info in type(value).model_fields.items():
            is_md = _is_markdown(info.annotation) or MARKDOWN_FIELD in info.metadata
            yield from _strings(getattr(value, name), (*loc, info.alias or name), is_md, audience)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*loc, i), markdown, audience)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key), markdown, audience)
    elif isinstance(value, str):
        yield loc, value, markdown, audience


def _placeholder_errors(
    model: SupportFile, source: str, lines: LineMap, facts: Facts
) -> list[ContentError]:
    """Unknown or internal placeholders in Markdown fields, and placeholders in plain text.

    Errors point at the field's line: a folded YAML block does not keep the text's own lines.
    """
    errors: list[ContentError] = []
    for loc, text, is_markdown, audience in _strings(model, (), False, "public"):
        if "{{" not in text:
            continue
        line = lines.line_of(loc)
        if is_markdown:
            edition = "internal" if audience == "internal" else "public"
            for e in placeholders.find_errors(text, source, 0, facts, edition):
                errors.append(ContentError(source, line, e.message))
            continue
        for match in placeholders.PLACEHOLDER.finditer(text):
            if placeholders.is_candidate(match.group(1)):
                errors.append(
                    ContentError(
                        source,
                        line,
                        f"'{where(loc)}' is plain text, shown as written, so "
                        f"'{match.group(0)}' would not be replaced; write the value itself "
                        "(placeholders work in Markdown fields: summaries, descriptions, "
                        "steps, notes)",
                    )
                )
    return errors
