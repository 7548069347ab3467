"""Build and serve through MkDocs, for the `kb` command.

The command line (`kb_builder.cli.main`) calls these functions and never imports MkDocs itself, so
that replacing the engine changes only this package.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Material prints a multi-line end-of-life banner on every run; the README covers the plan.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs import exceptions as mkdocs_exceptions  # noqa: E402
from mkdocs.commands import build as mkdocs_build  # noqa: E402

from kb_builder.core.editions import EDITIONS  # noqa: E402
from kb_builder.core.errors import ContentError  # noqa: E402
from kb_builder.core.project import read_settings, resolve_edition  # noqa: E402


class BuildFailed(Exception):
    """A build did not complete; the message says why (already without traceback)."""


class _PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            return f"{record.levelname}: {message}"
        return message


def configure_logging(verbose: bool = False, quiet: bool = False) -> None:
    """Send MkDocs' log to stderr as plain ``LEVEL: message`` lines."""
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):
        if getattr(handler, "_kb", False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._kb = True  # type: ignore[attr-defined]
    handler.setFormatter(_PlainFormatter())
    logger.addHandler(handler)
    logger.propagate = False
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logger.setLevel(level)


def default_site_dir(configured: str | Path, edition: str, offline: bool = False) -> Path:
    """Where an edition goes unless told: ``site/``, ``site-internal/``, ``site-offline/``..."""
    path = Path(configured)
    name = (
        path.name + ("" if edition == "public" else f"-{edition}") + ("-offline" if offline else "")
    )
    return path.with_name(name)


def _enable_offline(config) -> None:
    """Material's offline plugin (search index inlined, no directory URLs), added if missing."""
    if any(name.endswith("offline") for name in config.plugins):
        config.plugins[next(n for n in config.plugins if n.endswith("offline"))].config[
            "enabled"
        ] = True
        return
    from material.plugins.offline.plugin import OfflinePlugin

    plugin = OfflinePlugin()
    errors, _ = plugin.load_config({"enabled": True})
    if errors:
        raise BuildFailed(f"Material's offline plugin: {errors}")
    config.plugins["material/offline"] = plugin


# Written into every site kb builds: a folder holding it may be replaced by the next build.
# The marker travels with the folder (a record in .kb/ would not survive `-d` elsewhere, a
# cleared .kb/ or a second checkout), so a folder kb did not make is never deleted.
BUILD_MARKER = ".kb-build"
_STAGING, _OLD = "building", "old"


@dataclass(frozen=True)
class Built:
    """What a build wrote.

    Attributes:
        site_dir: the folder the site is now in.
        edition: the edition actually built (flag, else KB_EDITION, else mkdocs.yml).
        offline: whether it is the offline copy.
    """

    site_dir: Path
    edition: str
    offline: bool


def build(
    config_file: str | Path,
    site_dir: str | Path | None = None,
    *,
    strict: bool = True,
    edition: str | None = None,
    offline: bool = False,
) -> Path:
    """Build one edition of the site atomically and return where it was written.

    See `build_edition`, which also says which edition was built.
    """
    return build_edition(
        config_file, site_dir, strict=strict, edition=edition, offline=offline
    ).site_dir


def build_edition(
    config_file: str | Path,
    site_dir: str | Path | None = None,
    *,
    strict: bool = True,
    edition: str | None = None,
    offline: bool = False,
    export=None,
) -> Built:
    """Build one edition of the site atomically, with its search index.

    `export` (kb_builder.engines.zensical): another engine renders the site. Its ``attach``
    is handed the loaded config before the build, its ``render`` the finished staging folder,
    whose contents it replaces; the index and the swap then go on as for MkDocs' own output.

    With `offline`, the copy works when opened from disk or unpacked from a zip, with no
    request to any other host. `edition` None means: ``KB_EDITION``, else mkdocs.yml.

    The site is built into a fresh folder beside the target. Then the new search index is
    written, then the site swapped in; if either fails, both are left as they were (the index
    pointer is put back when the swap fails). The target must be a previous build's output
    (it holds `BUILD_MARKER`), an empty folder or missing: nothing else is ever deleted.

    Raises:
        BuildFailed: with a message for the writer.
    """
    try:
        settings = read_settings(config_file)
        edition = resolve_edition(edition, settings, EDITIONS)
    except ContentError as e:
        raise BuildFailed(str(e)) from None
    from kb_builder.plugins import checker

    try:
        config = checker.load_located(config_file, strict=strict)
    except checker.ConfigRefused as e:
        if not e.strict_only:
            # Each invalid setting is already on the console at its line (ERROR: mkdocs.yml:9:
            # ...), as a content error is: the failure points there, as it does for those.
            raise BuildFailed("stopped at the error above.") from None
        listed = "".join(f"\n  {p}" for p in e.problems)
        raise BuildFailed(
            f"strict mode refuses these settings:{listed}\nCorrect them in the file named"
        ) from None
    except mkdocs_exceptions.ConfigurationError as e:
        raise BuildFailed(f"{config_file}: {e}") from None
    except mkdocs_exceptions.MkDocsException as e:
        # MkDocs logs each bad setting above, then aborts with a generic line.
        raise BuildFailed(
            f"{config_file} has the error shown above ({e.format_message().strip()})"
        ) from None
    except FileNotFoundError as e:
        raise BuildFailed(f"{config_file}: {e.strerror}") from None
    plugin = config.plugins.get("kb")
    if plugin is None:
        raise BuildFailed(f"{config_file}: the kb plugin is not enabled; add '- kb' under plugins:")
    plugin.config["edition"] = edition
    plugin.edition_override = edition
    plugin.config["offline"] = offline
    plugin.defer_index = True
    # An offline copy is finished by Material's offline plugin, another engine's export by
    # its render: both read the browser index, so only a plain build writes it after MkDocs.
    plugin.defer_browser_index = not offline and export is None
    if offline:
        _enable_offline(config)
    if export is not None:
        export.attach(config)
    target = Path(site_dir or default_site_dir(config.site_dir, edition, offline)).resolve()
    _check_target(target, settings, config)
    _remove_leftovers(target)
    staging = _make_staging(target)
    config.site_dir = str(staging)
    try:
        try:
            mkdocs_build.build(config)
            if export is not None:
                export.render(staging)
        except mkdocs_exceptions.MkDocsException as e:
            message = e.format_message()
            if message == "Aborted with a BuildError!":
                message = "stopped at the error above."
            elif message.startswith("Aborted with") and plugin.warnings:
                # MkDocs only counts the warnings; the writer needs each at its path:line.
                count = len(plugin.warnings)
                listed = "".join(f"\n  {w}" for w in plugin.warnings)
                noun = "warning" if count == 1 else "warnings"
                message = (
                    f"strict mode refuses {count} {noun}:{listed}\n"
                    "Fix each at its line (kb check lists them all)"
                )
            raise BuildFailed(message) from None
        except ContentError as e:
            raise BuildFailed(str(e)) from None
        except OSError as e:
            raise BuildFailed(_os_message(e, "the build could not write")) from None
        try:
            (staging / BUILD_MARKER).write_text(
                json.dumps({"generator": "kb-builder", "edition": edition, "offline": offline})
                + "\n",
                encoding="utf-8",
            )
        except OSError as e:
            raise BuildFailed(_os_message(e, "the build could not write")) from None
        index_dir = plugin.index_dir if plugin.config["enabled"] else None
        pointer = _read_pointer(index_dir)
        plugin.release_rendering()
        try:
            if plugin.defer_browser_index:
                # In the memory the rendered pages held (see KnowledgeBasePlugin).
                plugin.write_browser_index(config.site_dir)
        except ContentError as e:
            # Reported as MkDocs reports an event's error (a data file read late, such as
            # synonyms.yml): logged at its line, kept for kb check, and the build stops.
            logging.getLogger("mkdocs.commands.build").error(str(e))
            plugin.failure = e
            raise BuildFailed("stopped at the error above.") from None
        except OSError as e:
            raise BuildFailed(_os_message(e, "the build could not write")) from None
        try:
            plugin.write_search_index()
        except (OSError, ValueError) as e:
            raise BuildFailed(
                _os_message(e, "the search index could not be written")
                + "; neither the site nor its index was replaced."
            ) from None
        try:
            _swap_in(staging, target)
        except OSError as e:
            _restore_pointer(index_dir, pointer)
            raise BuildFailed(
                _os_message(e, f"the new site could not replace {target}")
                + "; the search index was put back too."
            ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        plugin.commit_related(keep=False)
        raise
    # The related-pages cache follows the site and the index, never a failed build.
    with contextlib.suppress(OSError):
        plugin.commit_related(keep=True)
    return Built(target, edition, offline)


def _os_message(error: OSError | ValueError, what: str) -> str:
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return f"{what}{where}: {error.strerror or error}"
    return f"{what}: {error}"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_target(target: Path, settings, config) -> None:
    """Refuse an output folder whose replacement would delete what the build did not make."""
    root = settings.root.resolve()
    protected = {
        "the content folder": Path(config.docs_dir).resolve(),
        "the project's .kb/ folder (search index)": (root / ".kb").resolve(),
    }
    custom_dir = config.theme.custom_dir
    if custom_dir:
        protected["the theme folder"] = Path(custom_dir).resolve()
    where = f"the output folder {target}"
    if _inside(root, target):
        raise BuildFailed(
            f"{where} is or contains the project folder {root}; replacing it would delete the "
            "project. Choose a folder of its own, e.g. -d site"
        )
    for name, folder in protected.items():
        if _inside(target, folder) or _inside(folder, target):
            raise BuildFailed(
                f"{where} is, contains or lies inside {name} ({folder}); replacing it would "
                "delete sources. Choose a folder of its own, e.g. -d site"
            )
    for parent in [target, *target.parents]:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                what = "is a file" if parent == target else f"lies under the file {parent}"
                raise BuildFailed(
                    f"{where} {what}, so no site can be written there; choose another folder"
                )
            break
    if target.is_dir() and not _looks_built(target):
        raise BuildFailed(
            f"{where} already holds files that no kb build wrote (it has no {BUILD_MARKER} "
            "marker), and a build replaces its output folder as a whole; empty or remove it "
            "yourself, or choose another folder"
        )


def _looks_built(folder: Path) -> bool:
    """Whether `folder` may be replaced: empty, made by kb, or an MkDocs build of before.

    MkDocs always writes ``sitemap.xml.gz`` and ``404.html``: a folder with both is generated
    output of an older kb (before the marker existed), so upgrading needs no manual step.
    """
    try:
        names = {p.name for p in folder.iterdir()}
    except OSError as e:
        raise BuildFailed(_os_message(e, f"the output folder {folder} cannot be read")) from None
    return not names or BUILD_MARKER in names or {"sitemap.xml.gz", "404.html"} <= names


def _leftover_pid(name: str, target: Path) -> int | None:
    """The process that made a staging or old-site folder (None if the name has no PID)."""
    for kind in (_STAGING, _OLD):
        prefix = f".{target.name}.{kind}-"
        if name.startswith(prefix):
            head = name[len(prefix) :].split("-", 1)[0]
            return int(head) if head.isdigit() else None
    return None


def _is_leftover(name: str, target: Path) -> bool:
    return any(name.startswith(f".{target.name}.{kind}-") for kind in (_STAGING, _OLD))


def _remove_leftovers(target: Path) -> None:
    """Remove staging and old-site folders a killed or failed build left beside `target`.

    A folder whose process is still running belongs to a build in progress and is kept.
    """
    parent = target.parent
    if not parent.is_dir():
        return
    for path in parent.iterdir():
        if not _is_leftover(path.name, target) or not path.is_dir() or path.is_symlink():
            continue
        pid = _leftover_pid(path.name, target)
        if pid is not None and pid != os.getpid() and _alive(pid):
            continue
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _make_staging(target: Path) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(
            tempfile.mkdtemp(prefix=f".{target.name}.{_STAGING}-{os.getpid()}-", dir=target.parent)
        )
    except OSError as e:
        raise BuildFailed(_os_message(e, f"cannot write beside {target}")) from None


def _read_pointer(index_dir: Path | None) -> str | None:
    """The live generation's name of an index (None: no index yet)."""
    if index_dir is None:
        return None
    try:
        return (index_dir / "CURRENT").read_text(encoding="utf-8")
    except OSError:
        return None


def _restore_pointer(index_dir: Path | None, pointer: str | None) -> None:
    """Make the index live before this build live again (its generation is kept)."""
    if index_dir is None:
        return
    current = index_dir / "CURRENT"
    with contextlib.suppress(OSError):
        if pointer is None:
            current.unlink(missing_ok=True)
            return
        temporary = index_dir / f"CURRENT.{os.getpid()}.tmp"
        temporary.write_text(pointer, encoding="utf-8")
        os.replace(temporary, current)


def _swap_in(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` with two renames (each atomic on one filesystem)."""
    staging.chmod(0o755)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.{_OLD}-{os.getpid()}-{secrets.token_hex(3)}")
        target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def serve(
    config_file: str | Path,
    dev_addr: str,
    *,
    livereload: bool = True,
    strict: bool = False,
    edition: str | None = None,
) -> None:
    """Live preview of one edition on `dev_addr` (127.0.0.1 by default) until interrupted.

    `edition` None means: ``KB_EDITION``, else mkdocs.yml (the same precedence as `build`).
    """
    from mkdocs.commands import serve as mkdocs_serve

    try:
        resolve_edition(edition, read_settings(config_file), EDITIONS)
    except ContentError as e:
        raise BuildFailed(str(e)) from None
    # MkDocs loads the configuration itself here: the plugin reads the edition from the
    # environment instead (see KnowledgeBaseConfig.edition), where the flag goes first.
    if edition:
        os.environ["KB_EDITION"] = edition
    try:
        mkdocs_serve.serve(
            config_file=str(config_file), livereload=livereload, dev_addr=dev_addr, strict=strict
        )
    except mkdocs_exceptions.MkDocsException as e:
        raise BuildFailed(e.format_message()) from None
    except (OSError, ValueError) as e:
        # Binding failed (port taken, address not of this machine): a message, no traceback.
        reason = getattr(e, "strerror", None) or e
        raise BuildFailed(f"cannot listen on {dev_addr}: {reason}") from None
