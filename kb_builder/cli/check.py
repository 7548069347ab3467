"""`kb check`: every problem `kb build` would refuse, as ``path:line: message``, and reviews due."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from kb_builder.checking import content as loader
from kb_builder.cli.options import CONFIG_OPTION
from kb_builder.core.errors import ContentError, display_path
from kb_builder.core.project import read_settings
from kb_builder.families import data as site_data
from kb_builder.pages import freshness


def _in_date_range(value):
    """``--as-of`` within the dates content may use (model.FIRST_DATE..LAST_DATE), as a usage
    error: year 1 passes every review date by, and the feed's arithmetic fails at the edges."""
    from kb_builder.core.model import FIRST_DATE, LAST_DATE

    if value is not None and not FIRST_DATE <= value.date() <= LAST_DATE:
        raise click.BadParameter(
            f"{value.date()} is outside the dates a help centre can use; use a date from "
            f"{FIRST_DATE} to {LAST_DATE}"
        )
    return value


@click.command()
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
    for notice in site_data.feeds_without_address(settings):
        click.echo(f"{notice} [site_url]")
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
    from kb_builder.indexing import search_checks, synonyms
    from kb_builder.indexing.service import index_dir_for
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
                synonyms.load_site_synonyms(data_dir, edition),
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
