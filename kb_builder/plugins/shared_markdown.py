"""One Python-Markdown instance for all of a build's pages, instead of a new one per page.

MkDocs (and ProperDocs, its fork) builds a new ``markdown.Markdown`` for every page it renders:
every extension is imported, configured and registered again (16 of them on the demo site)
each time. That costs 0.34 ms a page, about 3% of a cold build, and buys nothing: Python-Markdown
is made to convert many documents with one instance, calling `Markdown.reset` between them,
which resets every extension that keeps state across a document (footnotes, abbreviations, the
table of contents, tab-set numbers, stashed HTML).

While a build runs, `install` puts `SharedMarkdown` in place of the ``markdown`` module that
the engine's pages module reads, so the engine's own ``Page.render`` runs unchanged, with its
own per-page processors (which replace the previous page's, by name), and only its
``markdown.Markdown(...)`` call is answered by the shared, reset instance. `uninstall` puts the
module back.

An instance is shared only when every extension is one whose `reset` is known to clear what a
page leaves behind (`RESET_SAFE`); with any other extension (a writer's own, a plugin's), each
page gets a new instance, as MkDocs does. tests/site/test_shared_markdown.py builds the demo
both ways and compares every file.
"""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence

import markdown as python_markdown
from markdown.extensions import Extension

#: Extensions whose state across documents `Markdown.reset` clears (each was read for what it
#: keeps between pages): Python-Markdown's own, the pymdownx ones the demo site and the
#: benchmarks use, and kb's glossary tooltips. Named as mkdocs.yml may name them; an extension
#: given as an object is looked up by its module.
RESET_SAFE: frozenset[str] = frozenset(
    {
        *(
            f"{prefix}{name}"
            for prefix in ("", "markdown.extensions.")
            for name in (
                "abbr",
                "admonition",
                "attr_list",
                "def_list",
                "fenced_code",
                "footnotes",
                "md_in_html",
                "sane_lists",
                "tables",
                "toc",
            )
        ),
        "pymdownx.details",
        "pymdownx.emoji",
        "pymdownx.highlight",
        "pymdownx.inlinehilite",
        "pymdownx.superfences",
        "pymdownx.tabbed",
        "pymdownx.tasklist",
        "kb_builder.families.glossary.tooltips",
    }
)


def _name(extension: str | Extension) -> str:
    return extension if isinstance(extension, str) else type(extension).__module__


class SharedMarkdown(types.ModuleType):
    """The ``markdown`` module, except that `Markdown` hands out one reset instance.

    Every other name is the real module's.
    """

    def __init__(self) -> None:
        super().__init__(python_markdown.__name__, python_markdown.__doc__)
        self._extensions: tuple[str | Extension, ...] | None = None
        self._configs: Mapping | None = None
        self._instance: python_markdown.Markdown | None = None

    def __getattr__(self, name: str):
        return getattr(python_markdown, name)

    def Markdown(  # noqa: N802 - the name the engine calls
        self,
        *,
        extensions: Sequence[str | Extension] = (),
        extension_configs: Mapping | None = None,
        **options,
    ) -> python_markdown.Markdown:
        """The shared instance, reset, when the same reset-safe extensions are asked for."""
        wanted = tuple(extensions)
        if options or not all(_name(e) in RESET_SAFE for e in wanted):
            return python_markdown.Markdown(
                extensions=wanted, extension_configs=extension_configs or {}, **options
            )
        same = (
            self._instance is not None
            and self._configs is extension_configs
            and self._extensions == wanted
        )
        if same:
            assert self._instance is not None
            return self._instance.reset()
        self._instance = python_markdown.Markdown(
            extensions=wanted, extension_configs=extension_configs or {}
        )
        # Kept, so that the identity compared above cannot be a new mapping's.
        self._extensions, self._configs = wanted, extension_configs
        return self._instance


def _pages_module() -> types.ModuleType | None:
    """The engine's pages module when it renders with ``markdown.Markdown`` (else None)."""
    from mkdocs.structure import pages  # under ProperDocs, its own module (the same code)

    module = getattr(pages, "markdown", None)
    if module is python_markdown or isinstance(module, SharedMarkdown):
        return pages
    return None


def install() -> None:
    """Share one Markdown instance among the pages of the build about to run."""
    pages = _pages_module()
    if pages is not None and not isinstance(pages.markdown, SharedMarkdown):
        pages.markdown = SharedMarkdown()


def uninstall() -> None:
    """Put the engine's own ``markdown`` module back (the build is over or failed)."""
    pages = _pages_module()
    if pages is not None:
        pages.markdown = python_markdown
