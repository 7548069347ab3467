"""Where each page is published, and sources that would be published at the same place.

MkDocs silently skips files whose names start with a dot (``..md``, a real tldr page) and lets
``a.md`` and ``a/index.md`` (or ``index.md`` and ``README.md``) overwrite each other. Both lose
a page without a word; here both are errors that name the files.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from kb_builder.errors import ContentError, display_path

INDEX_STEMS = ("index", "README")


def published_path(src_uri: str, use_directory_urls: bool = True) -> str:
    """The HTML file a Markdown source becomes (MkDocs' rule): ``a/b.md`` -> ``a/b/index.html``."""
    folder, name = posixpath.split(src_uri)
    stem = posixpath.splitext(name)[0]
    if stem in INDEX_STEMS:
        return posixpath.join(folder, "index.html")
    if use_directory_urls:
        return posixpath.normpath(posixpath.join(folder, stem, "index.html"))
    return posixpath.join(folder, f"{stem}.html")


def is_hidden(src_uri: str) -> bool:
    """True for paths MkDocs never publishes: any part starting with a dot."""
    return any(part.startswith(".") for part in src_uri.split("/"))


def collisions(
    src_uris: Iterable[str], source_of, use_directory_urls: bool = True
) -> list[ContentError]:
    """Errors for sources MkDocs would skip or publish over one another.

    Args:
        src_uris: Markdown paths from the content folder (hidden ones included).
        source_of: maps a path to the file name used in messages.
    """
    errors = []
    owners: dict[str, str] = {}
    for uri in sorted(src_uris):
        if is_hidden(uri):
            errors.append(
                ContentError(
                    source_of(uri),
                    0,
                    "names starting with '.' are never published, so this page would be lost; "
                    "rename it (e.g. 'dot-dot.md' for the '..' command)",
                )
            )
            continue
        dest = published_path(uri, use_directory_urls)
        if dest in owners:
            errors.append(
                ContentError(
                    source_of(uri),
                    0,
                    f"would be published at {dest}, like "
                    f"{display_path(source_of(owners[dest]))}, and one would overwrite the other; "
                    "rename or move one of them",
                )
            )
        else:
            owners[dest] = uri
    return errors
