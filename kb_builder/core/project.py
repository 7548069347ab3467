"""Where a project keeps its content, read from mkdocs.yml without importing MkDocs.

`kb check` needs only the content directory; reading the YAML here keeps the check usable
under any engine that reads the same file. `kb build` reads it here first too, so that a
mistake in mkdocs.yml (bad bytes, an impossible date, a duplicate key) is a ``path:line``
message rather than a traceback from the engine's own YAML loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb_builder.core.errors import ContentError
from kb_builder.core.yamlio import LineMap, decode_utf8, load_yaml

# Tags only MkDocs understands (!ENV, !relative, !!python/name:... for Material's emoji):
# read as None here, left for MkDocs to resolve. Other !!python/ tags (object/apply, module,
# new) are refused here, before MkDocs' own loader, which would run them as code.
MKDOCS_TAGS = ("!", "tag:yaml.org,2002:python/name:")


class _PermissiveLoader(yaml.SafeLoader):
    """A plain PyYAML loader ignoring MkDocs' tags, for tools and tests that rewrite mkdocs.yml.

    Not used to read settings (see `read_settings`): it has no lines and no checks.
    """


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_PermissiveLoader.add_multi_constructor("!", _ignore_tag)
_PermissiveLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)

#: The folder of the content directory that holds structured data (never published as files).
DATA_DIR = "_data"


def is_data_path(src_uri: str) -> bool:
    """True for files under ``_data/`` (paths from the content directory)."""
    return src_uri == DATA_DIR or src_uri.startswith(DATA_DIR + "/")


@dataclass(frozen=True)
class ProjectSettings:
    """The parts of mkdocs.yml the core needs.

    Attributes:
        config_file: the mkdocs.yml.
        docs_dir: the content directory (MkDocs' docs_dir).
        site_dir: where the public edition is written.
        data: the whole file as loaded (MkDocs-only tags read as None).
        lines: where each setting stands in the file.
    """

    config_file: Path
    docs_dir: Path
    site_dir: Path
    data: dict[str, Any] = field(default_factory=dict, compare=False)
    lines: LineMap = field(default_factory=LineMap, compare=False)

    @property
    def root(self) -> Path:
        """The project folder: the one holding mkdocs.yml."""
        return self.config_file.parent

    def line_of(self, *path: str | int) -> int:
        """The line of a setting, e.g. ``line_of("extra_javascript", 0)``."""
        return self.lines.line_of(tuple(path))


def read_settings(config_file: str | Path = "mkdocs.yml") -> ProjectSettings:
    """Read `config_file`; raise `ContentError` if it is missing or malformed."""
    path = Path(config_file)
    if not path.is_file():
        raise ContentError(
            str(path), 0, "no such file; run kb in the project folder or pass -f path/to/mkdocs.yml"
        )
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ContentError(str(path), 0, f"cannot be read: {e.strerror}") from None
    # Nav titles may be numbers or dates ('- 2026.11: releases/2026.11.md').
    data, lines = load_yaml(
        decode_utf8(raw, str(path)), str(path), foreign_tags=MKDOCS_TAGS, text_keys=False
    )
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise ContentError(str(path), 1, "mkdocs.yml must be a mapping of settings")
    for key in ("docs_dir", "site_dir"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise ContentError(
                str(path), lines.line_of((key,)), f"'{key}' must be a folder name, e.g. 'site'"
            )
    base = path.parent
    return ProjectSettings(
        config_file=path,
        docs_dir=base / (data.get("docs_dir") or "docs"),
        site_dir=base / (data.get("site_dir") or "site"),
        data=data,
        lines=lines,
    )


EDITION_VARIABLE = "KB_EDITION"


def _configured_edition(settings: ProjectSettings) -> tuple[str | None, int]:
    """The edition mkdocs.yml sets for the kb plugin (``plugins: - kb: {edition: ...}``)."""
    for i, entry in enumerate(settings.data.get("plugins") or []):
        if isinstance(entry, dict) and isinstance(entry.get("kb"), dict):
            value = entry["kb"].get("edition")
            return (str(value) if value is not None else None), settings.line_of(
                "plugins", i, "kb", "edition"
            )
    return None, 0


def resolve_edition(
    flag: str | None, settings: ProjectSettings, editions: tuple[str, ...] | list[str]
) -> str:
    """The edition to build or read: the flag, else ``KB_EDITION``, else mkdocs.yml, else public.

    One precedence for every command, so that the edition named in a message and the folder
    written always agree with what was built.

    Raises:
        ContentError: when ``KB_EDITION`` or mkdocs.yml names an edition that does not exist.
    """
    import os

    choices = " or ".join(f"'{e}'" for e in editions)
    if flag:
        return flag
    from_env = os.environ.get(EDITION_VARIABLE, "").strip()
    if from_env:
        if from_env not in editions:
            raise ContentError(
                f"the environment variable {EDITION_VARIABLE}",
                0,
                f"is '{from_env}', which is not an edition; use {choices} (or unset it)",
            )
        return from_env
    configured, line = _configured_edition(settings)
    if configured:
        if configured not in editions:
            raise ContentError(
                str(settings.config_file),
                line,
                f"the kb plugin's 'edition' is '{configured}', which is not an edition; "
                f"use {choices}",
            )
        return configured
    return "public"
