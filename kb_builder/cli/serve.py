"""`kb serve`: the live preview, or the built site with its search API (``--api``)."""

from __future__ import annotations

import ipaddress
import re
import socket
import sys
from pathlib import Path

import click

from kb_builder.cli.options import CONFIG_OPTION, EDITION_OPTION, engine_option, given
from kb_builder.core.errors import ContentError, display_path
from kb_builder.core.project import read_settings, resolve_edition


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


@click.command()
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
@engine_option("What renders the preview (docs/engines.md).")
def serve(
    config_file: Path,
    edition: str,
    dev_addr: tuple[str, int],
    no_livereload: bool,
    api: bool,
    engine_name: str,
) -> None:
    """Preview one edition of the site, rebuilding when content changes.

    With --api, serve the last build of the edition instead, with its search API, as a
    production-grade server would (no rebuilding).
    """
    host, port = dev_addr
    if api:
        _serve_api(config_file, given(edition, "edition"), host, port)
        return
    from kb_builder import engines
    from kb_builder.plugins import engine

    engine.configure_logging()
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        engines.serve(
            engine_name,
            config_file,
            address,
            livereload=not no_livereload,
            edition=given(edition, "edition"),
        )
    except engine.BuildFailed as e:
        click.echo(f"Serve failed: {e}", err=True)
        sys.exit(1)


def _serve_api(config_file: Path, edition: str | None, host: str, port: int) -> None:
    from kb_builder.core.editions import EDITIONS
    from kb_builder.indexing import service as search_cli

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
            search_cli.synonyms_provider(settings.docs_dir, edition),
            host=host,
            port=port,
        )
    except (OSError, ValueError) as e:
        # Port taken, host not on this machine, port below 1024 without the right, an address
        # waitress cannot bind (it raises a bare ValueError): said so.
        reason = getattr(e, "strerror", None) or e
        click.echo(f"Cannot listen on {host}:{port}: {reason}", err=True)
        sys.exit(1)
