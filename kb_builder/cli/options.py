"""Options every `kb` command that reads a project shares (one definition, one help text)."""

from __future__ import annotations

from pathlib import Path

import click

from kb_builder.core.editions import EDITIONS

CONFIG_OPTION = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The project's mkdocs.yml.",
)


def edition_option(help_text: str):
    """``--edition public|internal`` (default public), with a help text for the command."""
    return click.option(
        "--edition",
        type=click.Choice(list(EDITIONS)),
        default="public",
        show_default=True,
        help=help_text,
    )


EDITION_OPTION = edition_option(
    "public: for clients. internal: for support agents, with internal pages and passages."
)


def given(value, name: str):
    """`value` if the option was given on the command line, else None (its default is not a
    choice: the environment and mkdocs.yml come before it)."""
    source = click.get_current_context().get_parameter_source(name)
    return value if source == click.core.ParameterSource.COMMANDLINE else None


def engine_option(help_text: str):
    """``--engine mkdocs|properdocs|zensical`` (default MkDocs), as ``engine_name``."""
    from kb_builder.engines import DEFAULT, ENGINES

    return click.option(
        "--engine",
        "engine_name",
        type=click.Choice(ENGINES),
        default=DEFAULT,
        show_default=True,
        help=help_text,
    )
