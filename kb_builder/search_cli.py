"""``kb search`` and the server behind ``kb serve --api``: the index of the last build, in use.

Both read the index that the last ``kb build`` of an edition left in ``.kb/index/<edition>/``
beside ``mkdocs.yml`` (wherever the site itself was written), and the synonyms from
``content/_data/synonyms.yml`` as they are now: synonyms apply at query time.

The server is waitress (a production-grade, pure-Python WSGI server) running the search API
(`search.api`) with WhiteNoise serving the built site for every other path. They live here,
not in `search/`, because `search/` depends on Whoosh and the standard library only.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import click

from kb_builder.cli_options import CONFIG_OPTION, edition_option
from kb_builder.errors import ContentError, display_path
from kb_builder.generators import EDITIONS
from kb_builder.project import read_settings, resolve_edition
from kb_builder.synonyms import read_synonyms, synonyms_path
from search.documents import KINDS
from search.index import IndexMissing, current_generation
from search.query import MAX_LIMIT, Results, search

INDEX_HOME = Path(".kb") / "index"
# How `kb serve --api` tells the site's search script where its API is (kb-search-ui.js).
API_HEADER = "X-KB-Search-API"
API_PATH = "/api/search"
NO_INDEX = "no search index yet; run kb build first"
_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
_TAG = re.compile(r"<[^>]+>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def index_dir_for(config_file: str | Path, edition: str) -> Path:
    """The index of `edition` for the project of `config_file`: ``.kb/index/<edition>/``."""
    return Path(config_file).parent / INDEX_HOME / edition


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


def load_query_synonyms(docs_dir: Path) -> dict[str, tuple[str, ...]]:
    """The synonyms of a content directory, or raise its first problem."""
    synonyms, errors = read_synonyms(docs_dir / "_data")
    if errors:
        raise sorted(errors)[0]
    return synonyms


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
        synonyms = load_query_synonyms(settings.docs_dir)
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


def make_site_app(
    site_dir: str | Path,
    index_dir: str | Path,
    synonyms_provider: Callable[[], Mapping | None],
):
    """The built site (WhiteNoise) with the search API under ``/api/``, as one WSGI app."""
    from whitenoise import WhiteNoise

    from search.api import make_app

    site = Path(site_dir)

    def announce_api(headers, path: str, url: str) -> None:
        # The site's search script learns from this header (with a HEAD request for the page
        # it is on) that this server answers /api/search; a static host never sends it.
        headers[API_HEADER] = API_PATH

    # autorefresh: every build replaces the site folder, so files are looked up per request
    # rather than listed once at start-up. index_file: "/faq/" serves faq/index.html.
    static = WhiteNoise(
        _not_found(site),
        root=str(site),
        autorefresh=True,
        index_file=True,
        add_headers_function=announce_api,
    )
    search_app = make_app(lambda: index_dir, synonyms_provider, static_app=static)
    # /api/feedback and /api/search-event (kb_builder.insights), recorded in .kb/insights/.
    from kb_builder.insights.api import with_insights

    return with_insights(search_app, site, index_dir, synonyms_provider)


def _not_found(site: Path):
    """A WSGI app answering 404 with the site's own 404 page when it has one."""

    def app(environ, start_response):
        try:
            body = (site / "404.html").read_bytes()
            kind = "text/html; charset=utf-8"
        except OSError:
            body, kind = b"Not found\n", "text/plain; charset=utf-8"
        start_response(
            "404 Not Found", [("Content-Type", kind), ("Content-Length", str(len(body)))]
        )
        return [body]

    return app


def synonyms_provider(docs_dir: str | Path) -> Callable[[], dict[str, tuple[str, ...]]]:
    """Synonyms re-read when their file changes, so writers see edits without a restart."""
    docs_dir = Path(docs_dir)
    path = synonyms_path(docs_dir / "_data")
    state: dict[str, object] = {"stamp": None, "value": {}}

    def provider() -> dict[str, tuple[str, ...]]:
        try:
            stat = path.stat()
            stamp: object = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = None
        if stamp != state["stamp"]:
            synonyms, errors = read_synonyms(docs_dir / "_data")
            for error in errors:
                click.echo(f"synonyms ignored: {error}", err=True)
            state["stamp"], state["value"] = stamp, ({} if errors else synonyms)
        return state["value"]  # type: ignore[return-value]

    return provider


def create_server(app, *, host: str = "127.0.0.1", port: int = 8000, threads: int = 4):
    """A waitress server for `app`, bound but not yet running (``.run()``; ``.close()``).

    Port 0 picks a free port (``server.effective_port``), which is what tests use.
    """
    import waitress.server

    return waitress.server.create_server(app, host=host, port=port, threads=threads, ident="kb")


def serve(
    site_dir: str | Path,
    index_dir: str | Path,
    synonyms: Mapping[str, Sequence[str] | str] | Callable[[], Mapping] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    threads: int = 4,
) -> None:
    """Serve the built site and the search API together until interrupted (``kb serve --api``).

    Args:
        site_dir: the built site (``site/`` or ``site-internal/``).
        index_dir: that edition's index (``.kb/index/<edition>/``).
        synonyms: the synonyms, or a function returning them; pass
            ``synonyms_provider(docs_dir)`` to pick up edits of ``synonyms.yml`` live.
        host: where to listen; keep 127.0.0.1 unless you mean to share it.
        port: the port (0 picks a free one).
        threads: worker threads answering requests.
    """
    if current_generation(index_dir) is None:
        click.echo(f"{NO_INDEX}; the API answers 503 until then", err=True)
    provider = synonyms if callable(synonyms) else (lambda: synonyms)
    server = create_server(
        make_site_app(site_dir, index_dir, provider), host=host, port=port, threads=threads
    )
    # The first line of output names the address (tests and scripts read the port from it).
    click.echo(
        f"Serving {display_path(site_dir)}/ and its search API on "
        f"http://{host}:{server.effective_port}/ (Ctrl+C to stop)"
    )
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
