"""`kb build`: one edition (or an offline copy) into its site folder, atomically."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from kb_builder.cli.options import CONFIG_OPTION, EDITION_OPTION, engine_option, given
from kb_builder.core.errors import display_path


@click.command()
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
@engine_option("What renders the site (docs/engines.md: what each one shows).")
def build(
    config_file: Path,
    edition: str,
    site_dir: Path | None,
    strict: bool,
    offline: bool,
    quiet: bool,
    verbose: bool,
    engine_name: str,
) -> None:
    """Build one edition of the site (atomically: a failed build leaves the previous one)."""
    from kb_builder import engines
    from kb_builder.plugins import engine

    engine.configure_logging(verbose=verbose, quiet=quiet)
    try:
        with fewer_collections():  # this process builds one site, then ends
            built = engines.build(
                engine_name,
                config_file,
                site_dir,
                strict=strict,
                edition=given(edition, "edition"),
                offline=offline,
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


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run a build with the cyclic garbage collector called about ten times less often.

    A build allocates millions of objects that live to its end (pages, records, postings);
    with the default thresholds CPython traverses them over and over (about 1,000 collections,
    5% of a 1,000-page build's CPU time, measured with ``gc.callbacks``). The objects of the
    imports are frozen out of every collection; the young generation is collected after 10,000
    allocations instead of 700. The thresholds are restored afterwards.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
