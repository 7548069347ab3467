"""YAML scalars that need a second look in release and change files.

Two things `kb_builder.core.yamlio` does not do for these files: an unquoted ``2026.10`` is read by
YAML as the number 2026.1 (a version must keep the text as written), and a value such as
``2026-13-01`` looks like a date to YAML, whose constructor then fails with a plain
``ValueError`` instead of a YAML error. Both are solved on YAML's node tree, which keeps the
text and position of every scalar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from kb_builder.core.errors import ContentError
from kb_builder.core.yamlio import MarkLines

_NUMBER_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}
# The same bound as yamlio's alias-bomb guard: the node tree is walked once, aliases included.
_MAX_NODES = 200_000


def versions_as_written(text: str, data: dict[str, Any], keys: tuple[str, ...]) -> None:
    """Replace top-level numbers or dates under `keys` by the text the writer typed.

    Args:
        text: the YAML text `data` was loaded from (without error).
        data: the loaded top-level mapping, changed in place.
        keys: the keys whose value is a version, e.g. ``("version",)``.
    """
    if not any(isinstance(data.get(k), int | float | dt.date) for k in keys):
        return
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return
    for key_node, value_node in root.value:
        if (
            isinstance(key_node, yaml.ScalarNode)
            and key_node.value in keys
            and isinstance(value_node, yaml.ScalarNode)
            and value_node.style is None  # plain, unquoted: quoted text is already a string
            and value_node.tag in _NUMBER_TAGS
            and not isinstance(data[key_node.value], bool)
        ):
            data[key_node.value] = value_node.value


def _name(path: tuple[str | int, ...]) -> str:
    name = ""
    for part in path:
        name += f" item {part + 1}" if isinstance(part, int) else (f".{part}" if name else part)
    return name or "(document)"


def unreadable_scalar(text: str, source: str, error: Exception) -> ContentError:
    """The `ContentError` for a scalar PyYAML recognised but could not construct.

    Args:
        text: the YAML text whose loading raised `error`.
        source: the file, for the message.
        error: what the constructor raised (``ValueError`` for ``2026-13-01``, ...).
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # pragma: no cover - the text parsed before the constructor failed
        root = None
    constructor = yaml.SafeLoader("")
    line_of = MarkLines(text)
    stack: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(root, ())] if root else []
    seen: set[int] = set()
    while stack and len(seen) < _MAX_NODES:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                label = key.value if isinstance(key, yaml.ScalarNode) else "?"
                stack.append((value, (*path, str(label))))
                stack.append((key, path))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in reversed(list(enumerate(node.value))))
        elif isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node, deep=True)
            except Exception:  # noqa: BLE001 - whatever the constructor raises is the finding
                line = line_of(node.start_mark)
                if node.tag == "tag:yaml.org,2002:timestamp":
                    return ContentError(
                        source,
                        line,
                        f"'{_name(path)}' is '{node.value}', which is not a date; "
                        "write it as YYYY-MM-DD",
                    )
                kind = node.tag.rsplit(":", 1)[-1]
                return ContentError(
                    source,
                    line,
                    f"'{_name(path)}' is '{node.value}', which cannot be read as {kind}; "
                    f"remove the '!!{kind}' tag or correct the value",
                )
    return ContentError(source, 1, f"a value cannot be read ({error}); check the values' format")
