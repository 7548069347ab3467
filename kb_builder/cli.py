"""The `kb` command: build, serve and check a knowledge base.

Every failure a writer can cause ends with a readable message and a non-zero exit, never a
traceback. Engine work is delegated to `kb_builder.plugins.engine`.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import sys
from datetime import date
from pathlib import Path

import click

from kb_builder import freshness, loader
from kb_builder.cli_options import CONFIG_OPTION, edition_option
from kb_builder.errors import ContentError, display_path
from kb_builder.project import read_settings, resolve_edition

EDITION_OPTION = edition_option(
    "public: for clients. internal: for support agents, with internal pages and passages."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kb-builder")
def main() -> None:
    """Build, preview and check a knowledge base (FAQ, wiki, training, release notes)."""


@main.command()
@CONFIG_OPTION
@EDITION_OPTION
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site [default: site/, or site-internal/ for --edition internal].",
)
@click.option(
    "--strict/--no-strict",
    default=True,
    show_default=True,
    help="Fail on any warning (broken link, missing anchor, ...).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="A copy that works from disk or a zip, with no network [default: site-offline/].",
)
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Debug output from the engine.")
def build(
    config_file: Path,
    edition: str,
    site_dir: Path | None,
    strict: bool,
    offline: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build one edition of the site (atomically: a failed build leaves the previous one)."""
    from kb_builder.plugins import engine

    engine.configure_logging(verbose=verbose, quiet=quiet)
    try:
        built = engine.build_edition(
            config_file, site_dir, strict=strict, edition=_flag(edition, "edition"), offline=offline
        )
    except engine.BuildFailed as e:
        message = str(e).rstrip()
        ending = "" if message.endswith((".", ":")) else "."
        click.echo(
            f"Build failed: {message}{ending} The previous site, if any, is unchanged.", err=True
        )
        sys.exit(1)
    # Named after what was built, never after the flag's default.
    copy = " offline copy" if built.offline else ""
    click.echo(
        f"{built.edition.capitalize()} edition{copy} written to {display_path(built.site_dir)}/",
        err=quiet,
    )


def _flag(value, name: str):
    """`value` if the option was given on the command line, else None (its default is not a
    choice: the environment and mkdocs.yml come before it)."""
    source = click.get_current_context().get_parameter_source(name)
    return value if source == click.core.ParameterSource.COMMANDLINE else None


def _address(ctx, param, value: str) -> tuple[str, int]:
    """``IP:PORT`` -> (host, port); a clear usage error for anything else, never a traceback.

    The one parser of every ``-a`` address (preview and API server alike). The host must be an
    IP address (IPv6 in brackets) or a host name that resolves, with exactly one port: the
    servers resolve it again when they bind, where a bad host would end in a traceback
    (``127.0.0.999`` is a name to the resolver, and waitress raises a bare ValueError). A port
    out of range is refused rather than replaced: the server must listen where told.
    """
    text = value.strip()
    example = "e.g. 127.0.0.1:8000"
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = "", text
    bracketed = host.startswith("[") and host.endswith("]")
    if bracketed:
        host = host[1:-1]  # [::1]:8000
    if not port.isdigit() or not port.isascii():
        raise click.BadParameter(
            f"'{value}' has no port number after the last ':'; write IP:PORT, {example}"
        )
    number = int(port)
    if not 1 <= number <= 65535:
        raise click.BadParameter(
            f"port {number} is out of range; use a port from 1 to 65535, {example}"
        )
    if any(c.isspace() for c in host) or "/" in host:
        raise click.BadParameter(f"'{host}' is not an IP address or host name; {example}")
    if not host:
        return "127.0.0.1", number
    try:
        ipaddress.ip_address(host)
        return host, number
    except ValueError:
        pass
    if ":" in host:
        raise click.BadParameter(
            f"'{value}' has more than one port, or an IPv6 address without brackets; write "
            f"one IP:PORT, {example} (IPv6: [::1]:8000)"
        )
    if bracketed or _DOTTED.fullmatch(host):
        raise click.BadParameter(
            f"'{host}' is not a valid IP address (each of its four numbers is 0-255); {example}"
        )
    try:
        socket.getaddrinfo(host, number, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        reason = getattr(e, "strerror", None) or e
        raise click.BadParameter(
            f"'{host}' is not an IP address or a host name this machine knows ({reason}); {example}"
        ) from None
    return host, number


# Looks like an IPv4 address (digits and dots only): never looked up as a host name.
_DOTTED = re.compile(r"[0-9.]+")


@main.command()
@CONFIG_OPTION
@EDITION_OPTION
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="IP:PORT",
    callback=_address,
    help="Where to listen (keep 127.0.0.1 unless you mean to share it).",
)
@click.option("--no-livereload", is_flag=True, help="Do not reload pages when sources change.")
@click.option(
    "--api",
    is_flag=True,
    help="Serve the last build and the JSON search API (/api/search) together, with waitress.",
)
def serve(
    config_file: Path, edition: str, dev_addr: tuple[str, int], no_livereload: bool, api: bool
) -> None:
    """Preview one edition of the site, rebuilding when content changes.

    With --api, serve the last build of the edition instead, with its search API, as a
    production-grade server would (no rebuilding).
    """
    host, port = dev_addr
    if api:
        _serve_api(config_file, _flag(edition, "edition"), host, port)
        return
    from kb_builder.plugins import engine

    engine.configure_logging()
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        engine.serve(
            config_file, address, livereload=not no_livereload, edition=_flag(edition, "edition")
        )
    except engine.BuildFailed as e:
        click.echo(f"Serve failed: {e}", err=True)
        sys.exit(1)


def _in_date_range(value):
    """``--as-of`` within the dates content may use (model.FIRST_DATE..LAST_DATE), as a usage
    error: year 1 passes every review date by, and the feed's arithmetic fails at the edges."""
    from kb_builder.model import FIRST_DATE, LAST_DATE

    if value is not None and not FIRST_DATE <= value.date() <= LAST_DATE:
        raise click.BadParameter(
            f"{value.date()} is outside the dates a help centre can use; use a date from "
            f"{FIRST_DATE} to {LAST_DATE}"
        )
    return value


@main.command()
@CONFIG_OPTION
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    callback=lambda ctx, param, value: _in_date_range(value),
    help="The date reviews are due against [default: today]; look ahead with a later date.",
)
@click.option("--fail-on-overdue", is_flag=True, help="Exit 1 when a page's review is due.")
def check(config_file: Path, as_of, fail_on_overdue: bool) -> None:
    """Validate all content and list every problem as path:line: message.

    Pages whose 'review_by' date has passed are listed too, as reviews due (they fail the check
    only with --fail-on-overdue: a date passing should not break an unrelated build).
    """
    try:
        settings = read_settings(config_file)
    except ContentError as e:
        click.echo(str(e), err=True)
        sys.exit(2)
    errors = _content_errors(settings)
    errors += _search_check_errors(settings)
    for error in errors:
        click.echo(str(error))
    today = as_of.date() if as_of else date.today()
    due = (
        freshness.overdue(loader.load_pages(settings.docs_dir, "internal"), today)
        if settings.docs_dir.is_dir()
        else []
    )
    for item in due:
        click.echo(f"{item} [review due]")
    pages = (
        sum(1 for _ in loader.iter_markdown(settings.docs_dir)) if settings.docs_dir.is_dir() else 0
    )
    if due:
        noun = "review is" if len(due) == 1 else "reviews are"
        click.echo(f"{len(due)} page {noun} due.", err=True)
    if errors:
        noun = "problem" if len(errors) == 1 else "problems"
        click.echo(f"{len(errors)} {noun} found in {display_path(settings.docs_dir)}/.", err=True)
        sys.exit(1)
    if due and fail_on_overdue:
        sys.exit(1)
    click.echo(
        f"No problems found in {pages} pages of {display_path(settings.docs_dir)}/.", err=True
    )


def _content_errors(settings) -> list[ContentError]:
    """What the core finds, and what a strict build of either edition would refuse.

    The engine's own checks (links, anchors, nav) are run by building, so `kb check` fails
    whenever `kb build` would (see kb_builder.plugins.checker); each problem is listed once.
    """
    from kb_builder.plugins import checker

    errors = loader.check(settings.docs_dir)
    if settings.docs_dir.is_dir():
        seen = {str(e) for e in errors}
        for problem in checker.build_problems(settings.config_file):
            if str(problem) not in seen:
                seen.add(str(problem))
                errors.append(problem)
    return sorted(errors, key=lambda e: (display_path(e.path), e.line, e.message))


def _search_check_errors(settings) -> list[ContentError]:
    """Questions clients ask whose answer is not in the top 3 of the last build's index."""
    from kb_builder import search_checks, synonyms
    from kb_builder.search_cli import index_dir_for
    from search.index import IndexMissing

    data_dir = settings.docs_dir / loader.DATA_DIR
    checks, errors = search_checks.read_checks(data_dir)
    if errors or not checks:
        return []  # reported with the other data errors
    found: list[ContentError] = []
    # A check without an edition runs against the public one (what clients search).
    editions = ["public"] + sorted({c.edition for c in checks if c.edition} - {"public"})
    for edition in editions:
        try:
            found += search_checks.run_search_checks(
                index_dir_for(settings.config_file, edition),
                checks,
                synonyms.load_synonyms(data_dir),
                edition=edition,
            )
        except IndexMissing:
            click.echo(
                f"Search checks not run for the {edition} edition: no index yet (run kb build"
                + ("" if edition == "public" else f" --edition {edition}")
                + ").",
                err=True,
            )
        except ContentError as e:
            found.append(e)
    return found


def _serve_api(config_file: Path, edition: str | None, host: str, port: int) -> None:
    from kb_builder import search_cli
    from kb_builder.generators import EDITIONS

    try:
        settings = read_settings(config_file)
        edition = resolve_edition(edition, settings, EDITIONS)
    except ContentError as e:
        click.echo(str(e), err=True)
        sys.exit(2)
    site_dir = (
        settings.site_dir
        if edition == "public"
        else settings.site_dir.with_name(f"{settings.site_dir.name}-{edition}")
    )
    if not (site_dir / "index.html").is_file():
        click.echo(f"No built site in {display_path(site_dir)}/; run kb build first.", err=True)
        sys.exit(1)
    try:
        search_cli.serve(
            site_dir,
            search_cli.index_dir_for(settings.config_file, edition),
            search_cli.synonyms_provider(settings.docs_dir),
            host=host,
            port=port,
        )
    except (OSError, ValueError) as e:
        # Port taken, host not on this machine, port below 1024 without the right, an address
        # waitress cannot bind (it raises a bare ValueError): said so.
        reason = getattr(e, "strerror", None) or e
        click.echo(f"Cannot listen on {host}:{port}: {reason}", err=True)
        sys.exit(1)


def _register_writer_commands() -> None:
    """Commands of the data families and of search: `kb new change`, `kb release cut`, ..."""
    from kb_builder.releases.cli import import_, new, release
    from kb_builder.search_cli import search_command

    main.add_command(new)
    main.add_command(release)
    main.add_command(import_)
    main.add_command(search_command)
    from kb_builder.insights.cli import report_command  # kb report (issue 12)

    main.add_command(report_command)


_register_writer_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
