"""Where each page is published, and sources that would be published at the same place.

MkDocs silently skips files whose names start with a dot (``..md``, a real tldr page) and lets
``a.md`` and ``a/index.md`` (or ``index.md`` and ``README.md``) overwrite each other. Both lose
a page without a word; here both are errors that name the files. So are two paths that differ
only in case or in Unicode normalisation (``Billing.md``/``billing.md``, ``café`` written as
one code point or two): distinct on Linux, one file on macOS, Windows or once the offline zip
is unpacked there. A source that is a symlink to a file outside the project is refused, so
that nothing from elsewhere on the machine (``/etc/passwd``) is ever published.
"""

from __future__ import annotations

import os
import posixpath
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from kb_builder.core.errors import ContentError, display_path
from kb_builder.core.yamlio import CONTROL_CHARACTER, shown

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
    folded: dict[str, str] = {}
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
        elif fold(dest) in folded:
            other = folded[fold(dest)]
            other_dest = published_path(other, use_directory_urls)
            errors.append(
                ContentError(
                    source_of(uri),
                    0,
                    f"would be published at {dest}, and "
                    f"{display_path(source_of(other))} at {other_dest}: "
                    f"{_how_they_differ(uri, other)}, so on macOS, on Windows and in an "
                    "unpacked zip one would overwrite the other; rename or move one of them",
                )
            )
        else:
            owners[dest] = uri
            folded[fold(dest)] = uri
    return errors


def _how_they_differ(one: str, other: str) -> str:
    if unicodedata.normalize("NFC", one) == unicodedata.normalize("NFC", other):
        return (
            "their names look the same but their accents are encoded differently (a composed "
            "letter in one, a letter and a combining accent in the other)"
        )
    return "they differ only in upper/lower case"


def fold(path: str) -> str:
    """`path` as a case-insensitive, normalising file system sees it (macOS, Windows)."""
    return unicodedata.normalize("NFC", path).casefold()


def spelling_collisions(
    src_uris: Iterable[str], source_of: Callable[[str], str]
) -> list[ContentError]:
    """Errors for files or folders whose paths differ only in case or Unicode normalisation,
    and for paths with control characters in their names.

    Args:
        src_uris: every file of the content folder (pages, images, data), as POSIX paths.
        source_of: maps a path to the file name used in messages.
    """
    errors: list[ContentError] = []
    seen: dict[str, str] = {}
    reported: set[str] = set()
    for uri in sorted(src_uris):
        control = CONTROL_CHARACTER.search(uri)
        if control:
            # The name reaches URLs, HTML, the sitemap and terminals: refused like in text.
            errors.append(
                ContentError(
                    source_of(shown(uri)),
                    0,
                    f"the path contains the control character U+{ord(control.group()):04X}; "
                    "rename the file or folder",
                )
            )
            continue
        parts = uri.split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            key = fold(prefix)
            first = seen.setdefault(key, prefix)
            if first == prefix or key in reported:
                continue
            reported.add(key)
            kind = "folder" if depth < len(parts) else "file"
            errors.append(
                ContentError(
                    source_of(uri),
                    0,
                    f"the {kind} '{prefix}' differs from '{first}' only in upper/lower case or "
                    "in how its accents are encoded; on macOS, on Windows and in an unpacked "
                    "zip they are one and the same, so one would overwrite the other. Rename "
                    "one of them",
                )
            )
            break
    return errors


def outside_project(
    src_uris: Iterable[str], docs_dir: str | os.PathLike[str], root: str | os.PathLike[str]
) -> list[ContentError]:
    """Errors for sources that are, or lie in a folder that is, a symlink out of the project.

    Args:
        src_uris: files of the content folder, as POSIX paths from `docs_dir`.
        docs_dir: the content folder.
        root: the project folder (the one holding mkdocs.yml); links inside it are fine.
    """
    docs = Path(docs_dir)
    # The content folder itself may lie elsewhere (``docs_dir: ../docs``): the writer chose
    # it. What is refused is a link inside it that leads out of both.
    homes = {Path(root).resolve(), docs.resolve()}
    project = Path(root).resolve()
    errors: list[ContentError] = []
    for uri in sorted(src_uris):
        path = docs / uri
        real = path.resolve()
        if any(real == home or home in real.parents for home in homes):
            continue
        # Name the link itself: the file, or the first folder on its way that is a link.
        link = next(
            (
                docs / "/".join(uri.split("/")[:i])
                for i in range(1, uri.count("/") + 2)
                if (docs / "/".join(uri.split("/")[:i])).is_symlink()
            ),
            path,
        )
        how = (
            f"is a symlink to {real}"
            if link == path
            else f"lies in {link}, a symlink to {os.path.realpath(link)}"
        )
        errors.append(
            ContentError(
                str(path),
                0,
                f"{how}, outside the project ({project}); nothing from outside the project is "
                "published: copy the file into the content folder instead",
            )
        )
    return errors


def generated_collision(
    src_uris: Iterable[str], generated_uri: str, use_directory_urls: bool = True
) -> str | None:
    """The source published where a generated page is, by case or Unicode normalisation.

    ``Search.md`` beside the generated ``search/`` page is two folders on Linux and one on
    macOS, Windows or in an unpacked zip: one page would overwrite the other, as between two
    sources (`collisions`). The same path exactly is reported by the caller, with its own
    message (the data generates this page).

    Returns:
        the colliding source, or None.
    """
    dest = fold(published_path(generated_uri, use_directory_urls))
    for uri in sorted(src_uris):
        if uri != generated_uri and fold(published_path(uri, use_directory_urls)) == dest:
            return uri
    return None


def generated_collision_error(
    docs_dir: str | os.PathLike[str], source: str, generated_uri: str, made_from: str
) -> ContentError:
    """The error for `source` colliding with the page generated at `generated_uri`."""
    return ContentError(
        str(Path(docs_dir) / source),
        1,
        f"would be published where kb generates the {made_from} "
        f"({published_path(generated_uri)}), "
        "differing only in upper/lower case or in how accents are encoded; on macOS, on "
        "Windows and in an unpacked zip one would overwrite the other. Rename or move this file",
    )


def missing_local_files(
    settings, docs_dir: str | os.PathLike[str], theme_dirs: Iterable[str | os.PathLike[str]]
) -> list[ContentError]:
    """Errors for files mkdocs.yml puts on every page that exist nowhere in the site.

    ``extra_css``, ``extra_javascript`` and ``theme.favicon``/``theme.logo`` name files of the
    content folder or of the theme (its custom_dir, Material's own files); MkDocs links them
    from every page whether they exist or not, so one typo is a failed request per page view.
    Addresses on other hosts are third_party.py's to refuse, and are skipped here.

    Args:
        settings: mkdocs.yml as `kb_builder.core.project.read_settings` reads it.
        docs_dir: the content folder.
        theme_dirs: the theme's folders, first match wins (MkDocs' `theme.dirs`).
    """
    folders = [Path(docs_dir), *(Path(d) for d in theme_dirs)]
    named: list[tuple[tuple, str]] = []
    for key in ("extra_css", "extra_javascript"):
        entries = settings.data.get(key)
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            value = entry.get("path") if isinstance(entry, dict) else entry
            if isinstance(value, str):
                named.append(((key, i) if not isinstance(entry, dict) else (key, i, "path"), value))
    theme = settings.data.get("theme")
    for key in ("favicon", "logo"):
        value = theme.get(key) if isinstance(theme, dict) else None
        if isinstance(value, str):
            named.append((("theme", key), value))
    errors: list[ContentError] = []
    for where, value in named:
        if not value.strip() or ":" in value.split("/", 1)[0] or value.startswith("//"):
            continue  # an address with a scheme or of another host
        path = value.split("?", 1)[0].split("#", 1)[0].lstrip("/")
        if any((folder / path).is_file() for folder in folders):
            continue
        setting = ".".join(str(p) for p in where if isinstance(p, str))
        errors.append(
            ContentError(
                str(settings.config_file),
                settings.line_of(*where),
                f"'{setting}' names '{value}', which is neither in the content folder "
                f"({display_path(docs_dir)}/) nor in the theme; every page would request a "
                "missing file. Correct the path (it is relative to the content folder) or "
                "remove the entry",
            )
        )
    return errors
