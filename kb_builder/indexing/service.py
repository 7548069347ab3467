"""The index of the last build, in use: where it is, its synonyms, the server of ``kb serve --api``.

Both read the index that the last ``kb build`` of an edition left in ``.kb/index/<edition>/``
beside ``mkdocs.yml`` (wherever the site itself was written), and the synonyms from
``content/_data/synonyms.yml`` as they are now: synonyms apply at query time.

The server is waitress (a production-grade, pure-Python WSGI server) running the search API
(`search.api`) with WhiteNoise serving the built site for every other path. They live here,
not in `search/`, because `search/` depends on Whoosh and the standard library only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import click

from kb_builder.core.errors import display_path
from kb_builder.core.project import DATA_DIR
from kb_builder.indexing.synonyms import site_synonyms
from search.index import current_generation

INDEX_HOME = Path(".kb") / "index"
# How `kb serve --api` tells the site's search script where its API is (kb-search-ui.js).
API_HEADER = "X-KB-Search-API"
API_PATH = "/api/search"
NO_INDEX = "no search index yet; run kb build first"


def index_dir_for(config_file: str | Path, edition: str) -> Path:
    """The index of `edition` for the project of `config_file`: ``.kb/index/<edition>/``."""
    return Path(config_file).parent / INDEX_HOME / edition


def load_query_synonyms(docs_dir: Path, edition: str) -> dict[str, tuple[str, ...]]:
    """The synonyms an edition's search applies (synonyms.yml and the families'), or raise."""
    synonyms, errors = site_synonyms(docs_dir / DATA_DIR, edition)
    if errors:
        raise sorted(errors)[0]
    return synonyms


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


def synonyms_provider(
    docs_dir: str | Path, edition: str = "public"
) -> Callable[[], dict[str, tuple[str, ...]]]:
    """An edition's synonyms, re-read when a data file changes, so writers see edits of
    synonyms.yml (or of a family's client words) without a restart."""
    data_dir = Path(docs_dir) / DATA_DIR
    state: dict[str, object] = {"stamp": None, "value": {}}

    def data_stamp() -> object:
        # Sizes and times of the files beside synonyms.yml (a glossary's client words too),
        # not of _data's subfolders (hundreds of change files): cheap on every query.
        try:
            files = sorted(p for p in data_dir.glob("*.yml") if p.is_file())
            return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        except OSError:
            return None

    def provider() -> dict[str, tuple[str, ...]]:
        stamp = data_stamp()
        if stamp != state["stamp"]:
            synonyms, errors = site_synonyms(data_dir, edition)
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
