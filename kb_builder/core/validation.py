"""Turn pydantic validation errors into writer-facing `ContentError`s at the right line.

pydantic reports every problem at once with a location such as ``("lessons", 2, "minutes")``;
the `LineMap` recorded while loading the YAML turns that location into a line number, and the
message says what would be valid instead of pydantic's generic wording.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import pydantic

from kb_builder.core.errors import ContentError, did_you_mean, one_of
from kb_builder.core.yamlio import LineMap, read_yaml_file

Model = TypeVar("Model", bound=pydantic.BaseModel)

# What a regular expression in a model means, in words a writer understands.
PATTERN_HINTS: dict[str, str] = {}


def describe_pattern(pattern: str, hint: str) -> str:
    """Register `hint` (e.g. "lower-case words joined by hyphens") for messages about `pattern`."""
    PATTERN_HINTS[pattern] = hint
    return pattern


def _name(loc: tuple[Any, ...]) -> str:
    """``("hide", 0)`` -> ``"hide item 1"``: positions counted as a writer counts them."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f" item {part + 1}"
        else:
            name += f".{part}" if name else str(part)
    return name or "(document)"


def _message(error: dict[str, Any], model: type[pydantic.BaseModel], what: str) -> str:
    loc = tuple(error["loc"])
    name = _name(loc)
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "invalid_key" or (loc and loc[-1] == "[key]"):
        key = "an empty key" if value is None else f"the key '{_plain(value)}'"
        return (
            f"{key} is not text; write keys as words (YAML reads an empty key, yes/no, "
            "true/false, numbers and dates as values of their own: quote the key to make it text)"
        )
    if not loc and kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"the file must be a mapping of 'key: value' lines, not {_describe(value)}"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(model, loc[:-1])
        hint = did_you_mean(key, allowed)
        return f"unknown {what}key '{key}'{hint}; valid keys are {one_of(sorted(allowed))}"
    if kind == "missing":
        return f"'{name}' is missing; it is required"
    if kind == "literal_error":
        expected = [e.strip().strip("'") for e in str(ctx.get("expected", "")).split(" or ")]
        expected = [x for part in expected for x in part.split(", ")]
        expected = [x.strip().strip("'") for x in expected]
        return (
            f"'{name}' is '{value}', which is not valid; use {one_of(expected)}"
            f"{did_you_mean(str(value), expected)}"
        )
    if kind in {
        "date_from_datetime_parsing",
        "date_parsing",
        "date_type",
        "date_from_datetime_inexact",
    }:
        return f"'{name}' is '{value}', which is not a date; write it as YYYY-MM-DD"
    if kind in {"string_type"}:
        return f"'{name}' must be text, not {_describe(value)}"
    if kind in {"list_type"}:
        return f"'{name}' must be a list (one '- item' per line), not {_describe(value)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"'{name}' must be a mapping of 'key: value' lines, not {_describe(value)}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"'{name}' must be a whole number, not {_describe(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"'{name}' must be true or false, not {_describe(value)}"
    if kind == "kb_invalid":
        # Custom checks (the releases model) word the rest themselves: "is 'x', which ...".
        return f"'{name}' {error['msg']}"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return f"'{name}' is empty; write some text"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        words = {
            "greater_than": ("greater than", "gt"),
            "greater_than_equal": ("at least", "ge"),
            "less_than": ("less than", "lt"),
            "less_than_equal": ("at most", "le"),
        }[kind]
        return f"'{name}' must be {words[0]} {ctx.get(words[1])}, not {_describe(value)}"
    if kind == "string_pattern_mismatch":
        hint = PATTERN_HINTS.get(str(ctx.get("pattern")), f"text matching {ctx.get('pattern')}")
        return f"'{name}' is {_describe(value)}, which is not valid; use {hint}"
    if kind == "too_short":
        wanted, actual = ctx.get("min_length"), ctx.get("actual_length", 0)
        needs = "at least one item" if wanted == 1 else f"at least {wanted} items"
        return f"'{name}' needs {needs}; it has {actual or 'none'}"
    if kind == "value_error":
        return f"'{name}': {ctx.get('error', error['msg'])}"
    return f"'{name}': {error['msg'][:1].lower()}{error['msg'][1:]}"


def _plain(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _describe(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"


def _allowed_keys(model: type[pydantic.BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names (by alias) of the model found at `loc` inside `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    fields = getattr(current, "model_fields", {})
    return [f.alias or n for n, f in fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _in_data(loc: tuple[Any, ...], data: Any, model: type[pydantic.BaseModel]) -> tuple[Any, ...]:
    """`loc` without the parts pydantic adds that are neither in the file nor fields.

    A union reports one error per member, located under the member's name ("bool",
    "function-after[...]"): a writer never wrote those, and messages must not name them. A
    field of the model that the file leaves out (a missing key) stays.
    """
    kept: list[Any] = []
    current = data
    for part in loc:
        in_mapping = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_mapping or in_list:
            current = current[part]
        elif part in _allowed_keys(model, tuple(kept)):
            current = None
        else:
            continue
        kept.append(part)
    return tuple(kept)


def validate(
    model: type[Model], data: Any, source: str, lines: LineMap, *, what: str = ""
) -> tuple[Model | None, list[ContentError]]:
    """Validate `data` against `model`; return the model or every error at its line.

    Args:
        model: the pydantic model class.
        data: what the YAML loader produced.
        source: the file, for messages.
        lines: positions recorded by `yamlio.load_yaml`.
        what: a word for messages about unknown keys ("front-matter", "release", ...).
    """
    try:
        return model.model_validate(data), []
    except pydantic.ValidationError as exc:
        errors = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            # A key that is not text: pydantic's location names it as text, or adds "[key]";
            # the line map knows the key as YAML read it.
            if error["type"] == "invalid_key":
                loc = (*loc[:-1], error.get("input"))
            elif loc and loc[-1] == "[key]":
                loc = loc[:-1]
            loc = _in_data(loc, data, model)
            line = lines.line_of(loc)
            error = {**error, "loc": loc}
            message = _message(error, model, f"{what} " if what else "")
            if all(message != e.message or line != e.line for e in errors):
                errors.append(ContentError(source, line, message))
        return None, errors


def template_error(
    template: str | None, available: Iterable[str], source: str, lines: LineMap
) -> ContentError | None:
    """The error for a front-matter ``template:`` the theme does not have (None if it has it).

    MkDocs finds out only when it renders the page, with a TemplateNotFound that names no
    line; a path out of the theme (``../../../etc/passwd``) is refused by Jinja2's loader in
    the same way, so it is never read.

    Args:
        template: the page's ``template:`` value.
        available: every template the theme's environment can load (theme and custom_dir).
        source: the page file, for the message.
        lines: its front matter's lines.
    """
    if template is None:  # most pages: do not even list the theme's templates
        return None
    names = set(available)
    if template in names and template.endswith(".html"):
        return None
    # Page templates are the theme's top-level HTML files; partials and 404.html are not.
    pages = sorted(n for n in names if n.endswith(".html") and "/" not in n and n != "404.html")
    return ContentError(
        source,
        lines.line_of(("template",)),
        f"'template' is '{template}', which the theme does not have{did_you_mean(template, pages)};"
        f" use one of {one_of(pages)} (templates of theme/ count too), or remove the key",
    )


def read_data_file(
    path: Path, model: type[Model], *, what: str, when_empty: str
) -> tuple[Model | None, LineMap, list[ContentError]]:
    """A family's one YAML file, read with its lines and validated against `model`.

    Args:
        path: the file (absent: no model and no problem; the site has none).
        what: the family's name in messages ("training", "glossary").
        when_empty: what an empty file should hold, for its message ("list the agenda's
            modules").

    Returns:
        ``(model or None, lines, problems)``.
    """
    source = str(path)
    if not path.is_file():
        return None, LineMap(), []
    try:
        data, lines = read_yaml_file(path)
    except ContentError as e:
        return None, LineMap(), [e]
    if data is None:
        return None, lines, [ContentError(source, 1, f"the file is empty; {when_empty}")]
    found, errors = validate(model, data, source, lines, what=what)
    return found, lines, errors
