"""What property tests assert of every error: it is a ContentError at a line that holds it.

"Located" means more than a line number >= 0: the line exists in the file that was checked,
it is not blank (unless the YAML parser reports where the text ended), and when the message
names a key ("'minutes' must be ...", "unknown key 'x'") that key is written on that line. And
when an independent reading says the input is invalid, there must be at least one error: a
check() that returned nothing fails.
"""

from __future__ import annotations

import re
from typing import Any

import pydantic
import yaml

from kb_builder.core.errors import ContentError

_NAMED = re.compile(r"^(?:unknown [\w -]*key )?'([^']+)'")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
_QUOTED = re.compile(r"'([^'\s]+)'")


def invalid_for(text: str, model: type[pydantic.BaseModel], *, empty_is_valid: bool) -> bool:
    """Whether PyYAML's own safe loader and the model, on their own, refuse `text`.

    Our loader is stricter (duplicate keys, control characters from escapes, unknown tags):
    this is only the lower bound of what check() must report.
    """
    try:
        data: Any = yaml.safe_load(text)
    except Exception:  # noqa: BLE001 - anything PyYAML refuses is invalid
        return True
    if data is None:
        return not empty_is_valid
    try:
        model.model_validate(data)
    except pydantic.ValidationError:
        return True
    except Exception:  # noqa: BLE001 - a model that cannot even read it: invalid too
        return True
    return False


def assert_located(
    errors: list[ContentError], text: str, *, line_offset: int = 0, invalid: bool = False
) -> None:
    """Every error is located on a line of `text` (shifted by `line_offset`) that holds it.

    Args:
        errors: what check() returned.
        text: the whole file as written (what the line numbers count in).
        line_offset: lines of the file before `text` (front matter starts after ``---``).
        invalid: the input is known to be invalid: at least one error is required.
    """
    if invalid:
        assert errors, f"check() reported nothing for invalid input {text!r}"
    # Files count lines by "\n" alone (str.splitlines also splits at \v, \f, \x85, ...).
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for error in errors:
        assert isinstance(error, ContentError), error
        assert error.message, error
        line = error.line - line_offset
        syntax = "YAML" in error.message or "UTF-8" in error.message
        last = len(lines) + (1 if syntax else 0)
        assert 1 <= line <= max(last, 1), f"{error} is not on a line of {text!r}"
        held = lines[line - 1] if line <= len(lines) else ""
        if not held.strip():
            assert syntax or not text.strip() or "empty" in error.message, (
                f"{error} points at a blank line of {text!r}"
            )
            continue
        named = _NAMED.match(error.message)
        if named and "is missing" not in error.message:
            key = named.group(1).rsplit(".", 1)[-1]
            if _PLAIN_KEY.fullmatch(key) and " item " not in key:
                # Or the line of the value the message names, inside that key ("'x.plans'
                # names 'premium'" may point at the entry "premium: ..." itself).
                named_values = _QUOTED.findall(error.message[named.end() :])
                assert key in held or any(v in held for v in named_values), (
                    f"{error}: line {error.line} ({held!r}) does not hold '{key}'"
                )
