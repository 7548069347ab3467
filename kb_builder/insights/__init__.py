"""What clients tell the help centre: "Was this helpful?" answers and the searches they made.

Recorded by ``kb serve --api`` (`kb_builder.insights.api`, routes ``/api/feedback`` and
``/api/search-event``) into SQLite beside the search index (``.kb/insights/<edition>.sqlite3``,
never inside a published site), and read back by ``kb report`` (`kb_builder.insights.report`).

One database per edition: a public server never opens, writes or reads the internal one, so
nothing about internal pages can pass through it. Nothing personal is stored: no address, no
browser, no cookie; a visitor's comment is kept as typed (bounded and checked).
"""

from __future__ import annotations

from pathlib import Path

INSIGHTS_HOME = Path(".kb") / "insights"


def insights_path(config_file: str | Path, edition: str) -> Path:
    """The database of `edition` for the project of `config_file`:
    ``.kb/insights/<edition>.sqlite3``, beside ``.kb/index/``."""
    return Path(config_file).parent / INSIGHTS_HOME / f"{edition}.sqlite3"


def insights_path_for_index(index_dir: str | Path) -> Path:
    """The database that belongs with an edition's index directory (``.kb/index/<edition>/``
    -> ``.kb/insights/<edition>.sqlite3``): what ``kb serve --api`` records into."""
    index_dir = Path(index_dir)
    return index_dir.parent.parent / "insights" / f"{index_dir.name}.sqlite3"
