"""`kb search`: the last build's index searched as clients would, from a terminal."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import click

from kb_builder.cli.options import CONFIG_OPTION, edition_option
from kb_builder.core.editions import EDITIONS
from kb_builder.core.errors import ContentError, display_path
from kb_builder.core.project import read_settings, resolve_edition
from kb_builder.indexing.service import NO_INDEX, index_dir_for, load_query_synonyms
from search.documents import KINDS
from search.index import IndexMissing
from search.query import MAX_LIMIT, Results, search

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
_TAG = re.compile(r"<[^>]+>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _plain(fragment: str) -> str:
    # Text from pages is printed to a terminal: control characters (an ESC starting a
    # terminal sequence) are dropped.
    return _CONTROL.sub("", html.unescape(_TAG.sub("", fragment)))


def snippet_text(snippet_html: str, *, bold: bool) -> str:
    """A snippet for a terminal: marked words in ANSI bold (or plain), entities decoded."""
    parts: list[str] = []
    pos = 0
    for match in _MARK.finditer(snippet_html):
        parts.append(_plain(snippet_html[pos : match.start()]))
        word = _plain(match.group(1))
        parts.append(click.style(word, bold=True) if bold else word)
        pos = match.end()
    parts.append(_plain(snippet_html[pos:]))
    return "".join(parts)


def format_results(results: Results, *, color: bool) -> str:
    """Results as readable terminal text: rank, title, URL and snippet."""
    lines: list[str] = []
    if results.corrected_query:
        lines.append(f'Showing results for "{results.corrected_query}".')
    elif results.did_you_mean:
        lines.append(f'Did you mean "{results.did_you_mean}"?')
    if not results.hits:
        lines.append(f'No results for "{results.query}".')
        return "\n".join(lines)
    shown = len(results.hits)
    noun = "result" if results.total == 1 else "results"
    lines.append(f"{results.total} {noun}, showing {shown}:")
    for hit in results.hits:
        title = click.style(hit.title, bold=True) if color else hit.title
        where = f" ({hit.page_title})" if hit.page_title and hit.page_title != hit.title else ""
        lines.append("")
        lines.append(f"{hit.rank:>2}. {title}{where}  [{hit.kind}]")
        lines.append(f"    /{hit.url}")
        lines.append(f"    {snippet_text(hit.snippet_html, bold=color)}")
    return "\n".join(lines)


@click.command("search")
@click.argument("query")
@CONFIG_OPTION
@edition_option("Which edition's index to search (the one its last build left).")
@click.option("--kind", type=click.Choice(KINDS), help="Only results of this kind.")
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(1, MAX_LIMIT),
    default=10,
    show_default=True,
    help="How many results.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON, for scripts.")
def search_command(
    query: str, config_file: Path, edition: str, kind: str | None, limit: int, as_json: bool
) -> None:
    """Search the last build's index as clients would, with synonyms and typo correction."""
    try:
        settings = read_settings(config_file)
        # One precedence for every command: the flag, then KB_EDITION, then mkdocs.yml.
        given = click.get_current_context().get_parameter_source("edition")
        flag = edition if given == click.core.ParameterSource.COMMANDLINE else None
        edition = resolve_edition(flag, settings, EDITIONS)
        synonyms = load_query_synonyms(settings.docs_dir, edition)
    except ContentError as e:
        click.echo(str(e), err=True)
        sys.exit(2)
    index_dir = index_dir_for(settings.config_file, edition)
    try:
        results = search(index_dir, query, kind=kind, limit=limit, synonyms=synonyms)
    except IndexMissing:
        click.echo(f"{NO_INDEX} (looked in {display_path(index_dir)}/)", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(results.to_dict(), ensure_ascii=False, indent=2))
        return
    color = sys.stdout.isatty()
    click.echo(format_results(results, color=color), color=color)
