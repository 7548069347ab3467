"""The `kb` command: build, serve and check a knowledge base.

Every failure a writer can cause ends with a readable message and a non-zero exit, never a
traceback. Engine work is delegated to `kb_builder.plugins.engine`.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from kb_builder import freshness, loader
from kb_builder.errors import ContentError, display_path
from kb_builder.project import read_settings

EDITION_OPTION = click.option(
    "--edition",
    type=click.Choice(["public", "internal"]),
    default="public",
    show_default=True,
    help="public: for clients. internal: for support agents, with internal pages and passages.",
)
CONFIG_OPTION = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The project's mkdocs.yml.",
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
    help="A copy that works from disk or a zip, with no network [default: site-offline/]."
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
        target = engine.build(
            config_file, site_dir, strict=strict, edition=edition, offline=offline
        )
    except engine.BuildFailed as e:
        click.echo(f"Build failed: {e} The previous site, if any, is unchanged.", err=True)
        sys.exit(1)
    click.echo(f"{edition.capitalize()} edition written to {display_path(target)}/", err=quiet)


@main.command()
@CONFIG_OPTION
@EDITION_OPTION
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="IP:PORT",
    help="Where to listen (keep 127.0.0.1 unless you mean to share it).",
)
@click.option("--no-livereload", is_flag=True, help="Do not reload pages when sources change.")
def serve(config_file: Path, edition: str, dev_addr: str, no_livereload: bool) -> None:
    """Preview one edition of the site, rebuilding when content changes."""
    from kb_builder.plugins import engine

    engine.configure_logging()
    try:
        engine.serve(config_file, dev_addr, livereload=not no_livereload, edition=edition)
    except engine.BuildFailed as e:
        click.echo(f"Serve failed: {e}", err=True)
        sys.exit(1)


@main.command()
@CONFIG_OPTION
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
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
    errors = loader.check(settings.docs_dir)
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


def _register_writer_commands() -> None:
    """Commands of the data families: `kb new change`, `kb release cut`."""
    from kb_builder.releases.cli import new, release

    main.add_command(new)
    main.add_command(release)


_register_writer_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
