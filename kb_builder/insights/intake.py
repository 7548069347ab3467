"""Reading what a visitor's browser sends: bounded bodies, JSON or form fields, checked text.

Everything here refuses rather than repairs (`Refused`, answered as a 400 with its message),
except line endings (``\\r\\n`` -> ``\\n``) and the white space around a value. Messages say
what would be valid and never repeat what was sent.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

# A comment of 500 characters, each sent as a 12-byte form escape (%F0%9F%98%80), fits.
MAX_BODY_BYTES = 8 * 1024
MAX_COMMENT_CHARS = 500
MAX_PAGE_CHARS = 1024
MAX_QUERY_CHARS = 200
MAX_TOKEN_CHARS = 64
_MAX_FIELDS = 8

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"

# Control characters other than tab and newline, and the invisible direction overrides and
# isolates (text that reads differently from what it is, in a terminal or a page).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_YES = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


class Refused(ValueError):
    """A request refused with a 400 and this message."""


def read_body(environ: Mapping[str, Any]) -> bytes:
    """The request body, at most `MAX_BODY_BYTES` (a longer one is refused, not cut)."""
    length_text = (environ.get("CONTENT_LENGTH") or "").strip()
    if length_text:
        if not length_text.isdigit():
            raise Refused("Content-Length must be a number of bytes")
        if int(length_text) > MAX_BODY_BYTES:
            raise Refused(f"the body is too large (at most {MAX_BODY_BYTES} bytes)")
    stream = environ.get("wsgi.input")
    body = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
    if len(body) > MAX_BODY_BYTES:
        raise Refused(f"the body is too large (at most {MAX_BODY_BYTES} bytes)")
    if not body:
        raise Refused("the body is empty; send the fields as JSON or as a form")
    return body


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise Refused("give each field once")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise Refused("the JSON holds a value that is not a number (NaN or Infinity)")


def parse_fields(environ: Mapping[str, Any], allowed: set[str]) -> dict[str, Any]:
    """The fields of a POST body, JSON (an object) or form-encoded, all of them `allowed`.

    JSON values keep their types (a bool stays a bool); form values are strings.
    """
    kind, _, params = (environ.get("CONTENT_TYPE") or "").partition(";")
    kind = kind.strip().lower()
    charset = ""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if charset not in ("", "utf-8", "utf8"):
        raise Refused("the body must be UTF-8")
    if kind not in (JSON_TYPE, FORM_TYPE):
        raise Refused(f"send the fields as {JSON_TYPE} or {FORM_TYPE}")
    body = read_body(environ)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("the body is not valid UTF-8") from None
    if kind == JSON_TYPE:
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
        except RecursionError:
            raise Refused("the JSON is nested too deeply") from None
        except ValueError as e:
            if isinstance(e, Refused):
                raise
            raise Refused("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise Refused("the JSON must be an object of fields")
    else:
        try:
            pairs = parse_qsl(
                text,
                keep_blank_values=True,
                strict_parsing=True,
                encoding="utf-8",
                errors="strict",
                max_num_fields=_MAX_FIELDS,
            )
        except UnicodeError:
            raise Refused("the form is not valid UTF-8") from None
        except ValueError:
            raise Refused("the form is malformed") from None
        data = _no_duplicates(pairs)
    unknown = sorted(set(data) - allowed)
    if unknown:
        # Field names are the sender's words: counted, not repeated.
        raise Refused(
            f"{len(unknown)} unknown field{'s' if len(unknown) > 1 else ''}; "
            f"valid fields are {', '.join(sorted(allowed))}"
        )
    return data


def text_field(
    data: Mapping[str, Any],
    name: str,
    *,
    limit: int,
    required: bool,
    multiline: bool = False,
) -> str:
    """A text field, trimmed, checked for control characters and bounded to `limit`
    characters ('' when absent and not required)."""
    value = data.get(name)
    if value is None:
        if required:
            raise Refused(f"the {name} field is required")
        return ""
    if not isinstance(value, str):
        raise Refused(f"{name} must be text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which JSON's \\ud800 escapes can carry
        raise Refused(f"{name} holds characters that are not text") from None
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline and ("\n" in value or "\t" in value):
        raise Refused(f"{name} must be one line")
    if _CONTROL.search(value):
        raise Refused(f"{name} holds control characters")
    value = unicodedata.normalize("NFC", value.strip())
    if len(value) > limit:
        raise Refused(f"{name} is too long (at most {limit} characters)")
    if required and not value:
        raise Refused(f"the {name} field is required")
    return value


def yes_no(data: Mapping[str, Any], name: str) -> bool:
    """A required yes/no field: JSON true/false, or yes, no, true, false, 1, 0."""
    value = data.get(name)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _YES:
        return _YES[value.strip().lower()]
    if value is None:
        raise Refused(f"the {name} field is required (yes or no)")
    raise Refused(f"{name} must be yes or no (or JSON true or false)")


def search_token(data: Mapping[str, Any], name: str) -> str:
    """The token of a recorded search (`Store.add_search`), or '' when absent."""
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str) or not _TOKEN.fullmatch(value):
        raise Refused(f"{name} must be the token the search was recorded with")
    return value


def one_line(text: str) -> str:
    """Collapsed white space (queries are grouped by what was asked, not how it was spaced)."""
    return " ".join(text.split())
