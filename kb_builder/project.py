"""Where a project keeps its content, read from mkdocs.yml without importing MkDocs.

`kb check` needs only the content directory; reading the YAML here keeps the check usable
under any engine that reads the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from kb_builder.errors import ContentError


class _PermissiveLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring the tags only MkDocs understands (!ENV, !!python/name:...)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node):
    return None


_PermissiveLoader.add_multi_constructor("!", _ignore_tag)
_PermissiveLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


@dataclass(frozen=True)
class ProjectSettings:
    """The parts of mkdocs.yml the core needs.

    Attributes:
        config_file: the mkdocs.yml.
        docs_dir: the content directory (MkDocs' docs_dir).
        site_dir: where the public edition is written.
    """

    config_file: Path
    docs_dir: Path
    site_dir: Path


def read_settings(config_file: str | Path = "mkdocs.yml") -> ProjectSettings:
    """Read `config_file`; raise `ContentError` if it is missing or malformed."""
    path = Path(config_file)
    if not path.is_file():
        raise ContentError(
            str(path), 0, "no such file; run kb in the project folder or pass -f path/to/mkdocs.yml"
        )
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_PermissiveLoader) or {}
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else 1
        raise ContentError(str(path), line, f"YAML syntax error: {e.problem}") from None
    if not isinstance(data, dict):
        raise ContentError(str(path), 1, "mkdocs.yml must be a mapping of settings")
    base = path.parent
    return ProjectSettings(
        config_file=path,
        docs_dir=base / str(data.get("docs_dir") or "docs"),
        site_dir=base / str(data.get("site_dir") or "site"),
    )
