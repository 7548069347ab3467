"""What each edition may see: the public edition drops every item marked internal."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from kb_builder.core.editions import Edition

Model = TypeVar("Model", bound=BaseModel)


def for_edition(data: Model, edition: Edition) -> Model:
    """`data` as `edition` shows it: unchanged for "internal"; without internal items for "public".

    Validation (`references`) guarantees that no public item refers to an
    internal one, so what remains is consistent.
    """
    if edition == "internal":
        return data
    return _without_internal(data)


def _is_internal(value: Any) -> bool:
    return getattr(value, "audience", "public") == "internal"


def _without_internal(value: Any) -> Any:
    if isinstance(value, BaseModel):
        changed = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _without_internal(old)
            if new is not old:
                changed[name] = new
        return value.model_copy(update=changed) if changed else value
    if isinstance(value, list):
        kept = [_without_internal(item) for item in value if not _is_internal(item)]
        same = len(kept) == len(value) and all(a is b for a, b in zip(kept, value, strict=True))
        return value if same else kept
    return value
