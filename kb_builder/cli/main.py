"""The `kb` command: build, serve and check a knowledge base.

Every failure a writer can cause ends with a readable message and a non-zero exit, never a
traceback. Engine work is delegated to `kb_builder.plugins.engine`.
"""

from __future__ import annotations

import difflib
import importlib

import click

# One module per verb (kb_builder/cli/<verb>.py); the group only names them. Each is imported
# when its verb runs (click's lazy subcommands): `kb build` need not load the search engine's
# query modules (`kb search`) nor SQLite (`kb report`), a few MB of every build's memory.
COMMANDS = {
    "build": "kb_builder.cli.build:build",
    "check": "kb_builder.cli.check:check",
    "import": "kb_builder.cli.release:import_",
    "new": "kb_builder.cli.release:new",
    "release": "kb_builder.cli.release:release",
    "report": "kb_builder.cli.report:report_command",
    "search": "kb_builder.cli.search:search_command",
    "serve": "kb_builder.cli.serve:serve",
}


class LazyGroup(click.Group):
    """A group whose commands are imported from `COMMANDS` when they are asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module, _, name = spec.partition(":")
        return getattr(importlib.import_module(module), name)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        # click proposes a close verb from the commands it holds, and this group holds none
        # until they are asked for: 'kb bulid' must still say "Did you mean 'build'?".
        name = args[0] if args else ""
        if name and name not in COMMANDS and not name.startswith("-") and not ctx.resilient_parsing:
            close = difflib.get_close_matches(name, COMMANDS)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise click.UsageError(f"No such command {name!r}.{hint}", ctx)
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kb-builder")
def main() -> None:
    """Build, preview and check a knowledge base (FAQ, wiki, training, release notes)."""


if __name__ == "__main__":  # pragma: no cover
    main()
