"""``kb report``: what clients answered and searched, from ``.kb/insights/<edition>.sqlite3``."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date, datetime, timedelta

import click

from kb_builder.cli.options import CONFIG_OPTION, edition_option
from kb_builder.core.editions import EDITIONS
from kb_builder.core.errors import ContentError, display_path
from kb_builder.core.project import read_settings, resolve_edition
from kb_builder.insights import insights_path
from kb_builder.insights.report import build_report, format_report, index_titles
from kb_builder.insights.store import Store, WrongEdition

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@click.command("report")
@CONFIG_OPTION
@edition_option("Which edition's records to read (each edition keeps its own).")
@click.option("--since", type=_DATE, help="From this day (YYYY-MM-DD, UTC), inclusive.")
@click.option("--until", type=_DATE, help="To this day (YYYY-MM-DD, UTC), inclusive.")
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="How many entries in each list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON, for scripts.")
def report_command(config_file, edition: str, since, until, limit: int, as_json: bool) -> None:
    """Content gaps: least helpful pages and their comments, searches that found nothing,
    searches whose results nobody opened, searches only the ticket guides answered.

    Answers and searches are recorded by `kb serve --api` (the "Was this helpful?" buttons and
    the search box); nothing about the visitors themselves is kept.
    """
    try:
        settings = read_settings(config_file)
        given = click.get_current_context().get_parameter_source("edition")
        flag = edition if given == click.core.ParameterSource.COMMANDLINE else None
        edition = resolve_edition(flag, settings, EDITIONS)
    except ContentError as e:
        click.echo(str(e), err=True)
        sys.exit(2)
    first, last = _day(since), _day(until)
    if first and last and first > last:
        click.echo(f"--since {first} is after --until {last}", err=True)
        sys.exit(2)
    since_at = f"{first.isoformat()}T00:00:00Z" if first else None
    # --until is a whole day: everything before the next midnight.
    until_at = f"{(last + timedelta(days=1)).isoformat()}T00:00:00Z" if last else None
    path = insights_path(settings.config_file, edition)
    feedback, searches = [], []
    try:
        store = Store(path, edition, create=False)
    except FileNotFoundError:
        click.echo(
            f"Nothing recorded yet for the {edition} edition ({display_path(path)} does not "
            "exist): kb serve --api records answers and searches.",
            err=True,
        )
    except (WrongEdition, sqlite3.DatabaseError) as e:
        click.echo(f"{display_path(path)}: {e}", err=True)
        sys.exit(2)
    else:
        try:
            feedback = store.feedback(since_at, until_at)
            searches = store.searches(since_at, until_at)
        finally:
            store.close()
    from kb_builder.indexing.service import index_dir_for

    report = build_report(
        feedback,
        searches,
        edition=edition,
        since=first.isoformat() if first else None,
        until=last.isoformat() if last else None,
        limit=limit,
        titles=index_titles(index_dir_for(settings.config_file, edition)),
    )
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))
