"""Writing data files for writers' commands: new change files, new release files, and the
``release:`` line of a change.

A change file belongs to its writer: comments, key order and wrapping must survive a
``release cut``. So a change is never re-dumped: the one line is inserted or replaced in the
text, and the result is read back to prove that nothing else changed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from kb_builder.core.slugs import slugify
from kb_builder.families.releases.stubs import CHANGE_BODY, RELEASE_SUMMARY, RELEASE_TITLE

_NULL_RELEASE = re.compile(r"release[ \t]*:[ \t]*(?:~|null|Null|NULL)?[ \t]*(?P<comment>#.*)?\Z")
_MAX_SLUG = 60


class CannotEdit(Exception):
    """A change file is shaped so that its ``release:`` line cannot be set safely."""


def file_slug(title: str) -> str:
    """A file-name slug of `title`: ASCII, lower case, hyphens, at most 60 characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = slugify(ascii_title)[:_MAX_SLUG].rstrip("-")
    return slug or "change"


def new_suffix() -> str:
    """8 random hex digits: two writers' files never get the same name (as in reno)."""
    return secrets.token_hex(4)


def schema_ref(folder: Path, schemas_dir: Path, name: str) -> str:
    """The schema file `name` as a path relative to `folder`, for a modeline."""
    return Path(os.path.relpath(schemas_dir / f"{name}.schema.json", folder)).as_posix()


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as a literal block (``|``), as a writer would."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Short lists of names read best on one line: 'modules: [Permits, Reports]'.
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def _dump(fields: dict[str, Any]) -> str:
    return yaml.dump(
        fields,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def change_text(fields: dict[str, Any], schema: str) -> str:
    """The text of a new change file: modeline, then `fields` (empty ones left out).

    Args:
        fields: title, kind, and any of audience, release, modules, tracker, body.
        schema: the modeline's path to ``change.schema.json``.
    """
    order = ("title", "kind", "audience", "release", "modules", "tracker", "body")
    kept = {k: fields[k] for k in order if fields.get(k) not in (None, "", [], ())}
    if kept.get("audience") == "public":
        del kept["audience"]  # the default: the file stays short
    for key in ("modules", "tracker"):
        if key in kept:
            kept[key] = list(kept[key])
    if "body" in kept:
        kept["body"] = kept["body"].strip() + "\n"
    text = f"# yaml-language-server: $schema={schema}\n" + _dump(kept)
    if "body" not in kept:
        # A hint, as a comment: never published, and refused if uncommented unchanged.
        text += f"# body: |\n#   {CHANGE_BODY.text}\n"
    return text


def release_text(version: str, status: str, date: dt.date, schema: str) -> str:
    """The text of a new release file, with the optional keys shown as comments.

    The prompts are comments (from `stubs`): a release planned today builds
    today, and a prompt uncommented but not rewritten is refused by the check.
    """
    head = _dump({"version": version, "status": status, "date": date})
    return (
        f"# yaml-language-server: $schema={schema}\n" + head + f"# title: {RELEASE_TITLE.text}\n"
        "# Optional: the days it is rolled out on, if not only its date (or, for a staged\n"
        "# release, 'waves:' with a name, a date and who gets it for each wave).\n"
        "# rollout:\n"
        f"#   - {date.isoformat()}\n"
        "# summary: |\n"
        f"#   {RELEASE_SUMMARY.text}\n"
    )


def set_released(text: str, date: dt.date) -> str:
    """`text` of a planned release file marked released on `date`, everything else unchanged.

    The ``status:`` value is replaced in place; the ``date:`` value too, or a ``date:`` line is
    added after ``status:``. Comments, order and wrapping stay the writer's.

    Raises:
        CannotEdit: the file is not a plain block mapping, a value spans several lines, or the
            edit would change anything else (checked by reading the result back).
    """
    root = _root(text)
    keys = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    if "status" not in keys:
        raise CannotEdit("it has no 'status:' line")
    newline = "\r\n" if "\r\n" in text else "\n"
    spans = [(keys["status"][1], "released")]
    if "date" in keys:
        spans.append((keys["date"][1], date.isoformat()))
    edited = text
    for node, value in sorted(spans, key=lambda s: s[0].start_mark.index, reverse=True):
        if not isinstance(node, yaml.ScalarNode) or node.style not in (None, "'", '"'):
            raise CannotEdit("its 'status:' or 'date:' value is not a plain one-line value")
        if node.start_mark.line != node.end_mark.line:
            raise CannotEdit("its 'status:' or 'date:' value spans several lines")
        edited = edited[: node.start_mark.index] + value + edited[node.end_mark.index :]
    if "date" not in keys:
        status_key = {k.value: k for k, _ in _root(edited).value if isinstance(k, yaml.ScalarNode)}[
            "status"
        ]
        end = _line_end(edited, status_key.start_mark.index)
        at = min(end + 1, len(edited))
        before = edited[:at] if at > end else edited[:at] + newline
        edited = before + f"date: {date.isoformat()}" + newline + edited[at:]
    try:
        old, new = yaml.safe_load(text) or {}, yaml.safe_load(edited) or {}
    except yaml.YAMLError as e:
        raise CannotEdit(f"the edited file would not be valid YAML ({e})") from None
    if new.get("status") != "released" or new.get("date") != date:
        raise CannotEdit("the edited file would not read as released on that date")
    for key in ("status", "date"):
        old.pop(key, None)
        new.pop(key, None)
    if old != new:
        raise CannotEdit("the edit would change other values")
    return edited


def _root(text: str) -> yaml.MappingNode:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode) or root.flow_style or root.start_mark.column:
        raise CannotEdit("the file is not a list of 'key: value' lines starting at the margin")
    return root


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; raise FileExistsError rather than overwrite anything."""
    with path.open("x", encoding="utf-8", newline="") as f:
        f.write(text)


def replace_text(path: Path, text: str) -> None:
    """Replace the content of `path` atomically (a crash leaves the old or the new file)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end == -1 else end


def set_release(text: str, version: str) -> str:
    """`text` of a change file with ``release: "<version>"`` set, everything else unchanged.

    An empty ``release:`` line is filled in; otherwise the line goes after ``kind:``, or at
    the end of the file.

    Raises:
        CannotEdit: the file is not a plain block mapping, or the edit would change anything
            but the release (checked by reading the result back).
    """
    root = _root(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    line = f'release: "{version}"'
    edited = None
    keys = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    if "release" in keys:
        key, _ = keys["release"]
        end = _line_end(text, key.start_mark.index)
        current = text[key.start_mark.index : end].rstrip("\r")
        match = _NULL_RELEASE.fullmatch(current)
        if match is None:
            raise CannotEdit("its 'release:' line already names a release")
        comment = f"  {match.group('comment')}" if match.group("comment") else ""
        edited = (
            text[: key.start_mark.index]
            + line
            + comment
            + text[key.start_mark.index + len(current) :]
        )
    elif "kind" in keys and keys["kind"][1].end_mark.line == keys["kind"][0].start_mark.line:
        end = _line_end(text, keys["kind"][0].start_mark.index)
        at = min(end + 1, len(text))
        before = text[:at] if at > end else text[:at] + newline
        edited = before + line + newline + text[at:]
    else:
        body = text if not text or text.endswith("\n") else text + newline
        edited = body + line + newline
    _same_but_release(text, edited, version)
    return edited


def _same_but_release(old: str, new: str, version: str) -> None:
    try:
        before = yaml.safe_load(old) or {}
        after = yaml.safe_load(new) or {}
    except yaml.YAMLError as e:
        raise CannotEdit(f"the edited file would not be valid YAML ({e})") from None
    before.pop("release", None)
    if after.pop("release", None) != version or before != after:
        raise CannotEdit("adding the line would change other values")
