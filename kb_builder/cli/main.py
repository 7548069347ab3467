"""The `kb` command: build, serve and check a knowledge base.

Every failure a writer can cause ends with a readable message and a non-zero exit, never a
traceback. Engine work is delegated to `kb_builder.plugins.engine`.
"""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kb-builder")
def main() -> None:
    """Build, preview and check a knowledge base (FAQ, wiki, training, release notes)."""


def _register_commands() -> None:
    """One module per verb (kb_builder/cli/<verb>.py); the group only lists them."""
    from kb_builder.cli.build import build
    from kb_builder.cli.check import check
    from kb_builder.cli.release import import_, new, release
    from kb_builder.cli.report import report_command
    from kb_builder.cli.search import search_command
    from kb_builder.cli.serve import serve

    for command in (build, serve, check, new, release, import_, search_command, report_command):
        main.add_command(command)


_register_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
