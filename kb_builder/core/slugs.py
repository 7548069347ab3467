"""Anchors for headings: stable, readable, Unicode-aware."""

from __future__ import annotations

import re
import unicodedata

_ATTR_LIST = re.compile(r"\s*\{:?\s*([^}]*)\}\s*$")
_ID_IN_ATTRS = re.compile(r"(?:^|\s)#([A-Za-z][\w.:-]*)")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[`*_~]|<[^>]+>")


def split_heading_attrs(heading: str) -> tuple[str, str | None]:
    """Split ``'Question? {#my-id}'`` into ``('Question?', 'my-id')`` (attr_list syntax)."""
    match = _ATTR_LIST.search(heading)
    if not match:
        return heading.strip(), None
    explicit = _ID_IN_ATTRS.search(match.group(1))
    return heading[: match.start()].strip(), explicit.group(1) if explicit else None


def plain_text(markdown_inline: str) -> str:
    """Inline Markdown reduced to its words: links keep their text, markup characters go."""
    text = _INLINE_LINK.sub(r"\1", markdown_inline)
    return " ".join(_MARKUP.sub("", text).split())


def slugify(text: str) -> str:
    """A heading's anchor: lower case, words joined by hyphens, punctuation dropped.

    Letters of every script are kept ("Où payer ?" -> "où-payer"), unlike MkDocs' default,
    which drops non-ASCII letters and so turns whole non-English headings into empty anchors.
    """
    text = unicodedata.normalize("NFKC", plain_text(text)).lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s_-]+", "-", text).strip("-")
