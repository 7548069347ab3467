"""The `kb` MkDocs plugin: MkDocs' events, each handing its work to the engine-neutral build.

Every decision is in `kb_builder.build` (the stages, over an `EditionBuild` state and a
`SiteFiles` view of MkDocs' files, `site_files.MkDocsSiteFiles`); this module only turns
MkDocs' events into stage calls, and a `ContentError` into MkDocs' `PluginError`, so the writer
sees ``path:line: message`` and no traceback. The order of the build is in
docs/architecture.md.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

from kb_builder.build import editions, generated, indexes, listings, rendering, sources
from kb_builder.build.context import page_context
from kb_builder.build.project import project_errors
from kb_builder.build.state import EditionBuild, return_freed_memory
from kb_builder.checking import warnings as link_check
from kb_builder.core import project, text
from kb_builder.core.editions import EDITIONS
from kb_builder.core.errors import ContentError, one_of
from kb_builder.core.project import is_data_path
from kb_builder.families.registry import FAMILIES
from kb_builder.indexing.service import index_dir_for
from kb_builder.pages import markup_fixes, navigation
from kb_builder.plugins import locating, shared_markdown
from kb_builder.plugins import nav as nav_tools
from kb_builder.plugins.config import KnowledgeBaseConfig
from kb_builder.plugins.site_files import MkDocsSiteFiles

# Published in offline builds instead of the CDN copy Material's offline plugin would load.
IFRAME_WORKER_SHIM = "assets/javascripts/vendor/iframe-worker-shim.js"
_PACKAGE_ASSETS = Path(__file__).resolve().parent.parent / "assets"

# Extensions the generated Markdown relies on (anchors via attr_list, the question list via
# md_in_html), with those the registered families ask for. Added when mkdocs.yml lacks them.
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "toc", "admonition", "pymdownx.details")


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    """MkDocs adapter for the knowledge-base core."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.state = EditionBuild("public", Path("."))
        self.site: MkDocsSiteFiles | None = None
        self.related = indexes.RelatedStage()
        self.index_dir: Path | None = None
        # Set by kb check (plugins/checker.py): build only to find problems, write no index.
        self.dry_run = False
        self.locator: link_check.Locator | None = None
        self.warnings: list[ContentError] = []
        self.failure: ContentError | None = None
        # Set by kb build (plugins/engine.py): the index is written only once the new site is
        # in place, so that a failed build leaves the previous site and index together.
        self.defer_index = False
        # Set by kb build when nothing after MkDocs' build reads the site (no offline copy, no
        # other engine): the browser index is then written once the rendered pages are
        # released, in the memory they held, instead of on top of them.
        self.defer_browser_index = False
        # Set by kb build to the edition it resolved (flag, then KB_EDITION, then mkdocs.yml):
        # it wins over the environment, which is how `kb serve` and `mkdocs build` choose.
        self.edition_override: str | None = None

    @property
    def refused(self) -> list[ContentError]:
        """kb check's problems so far (every stage ran on every page)."""
        return self.state.refused

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """A new build's state (`mkdocs serve` keeps this object alive); the edition; checks
        of mkdocs.yml and the theme; what the theme reads from config.extra."""
        edition = self.edition_override or os.environ.get("KB_EDITION") or self.config.edition
        if edition not in EDITIONS:
            raise PluginError(f"KB_EDITION is '{edition}'; use {one_of(EDITIONS)}")
        # Material prints site_name unescaped: templates get it as HTML text (below), and the
        # core keeps the name as written (the training progress key, OpenSearch).
        self.state = EditionBuild(
            edition,
            Path(config.docs_dir),
            site_name=str(config.site_name),
            site_url=config.site_url,
            dry_run=self.dry_run,
        )
        self.warnings, self.failure = [], None
        self.locator = link_check.Locator(
            Path(config.docs_dir),
            Path(config.config_file_path or "mkdocs.yml"),
            self.state.generated_markdown,
        )
        locating.install(self)
        # An offline copy's links end in .html and it has no server: its build leaves the
        # index of the served site alone.
        offline = self.config.offline
        self.index_dir = (
            None if offline or self.dry_run else index_dir_for(config.config_file_path, edition)
        )
        # Templates that no page renders (404.html) read the edition from config.extra.
        config.extra["kb_edition"] = edition
        if offline:
            # Material's offline plugin adds its CDN shim only when no polyfill is an
            # iframe-worker already: this local copy takes its place.
            polyfills = config.extra.get("polyfills") or []
            config.extra["polyfills"] = [IFRAME_WORKER_SHIM] + [
                url for url in polyfills if "iframe-worker" not in url
            ]
        wanted = REQUIRED_EXTENSIONS + tuple(e for f in FAMILIES for e in f.markdown_extensions())
        for name in wanted:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        settings = project.read_settings(config.config_file_path)
        for errors in project_errors(
            settings, config.theme.custom_dir, config.docs_dir, config.theme.dirs
        ):
            self.state.refuse(errors)
        text.as_theme_text(config, text.THEME_CONFIG_TEXT)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Render every page with one Python-Markdown instance (`shared_markdown`)."""
        shared_markdown.install()

    def on_build_error(self, error: Exception) -> None:
        """Keep the located error a build stopped at (MkDocs replaces it by "Aborted ...")."""
        shared_markdown.uninstall()
        self.failure = getattr(error, "content_error", None)

    @event_priority(50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Drop data files, validate every page, add the families' pages, apply the edition,
        add the search page and the listings of crowded folders.

        Runs early (priority 50) so that other plugins never see `_data/`, nor internal pages in
        the public edition.
        """
        state, site = self.state, MkDocsSiteFiles(files, config)
        self.site = site
        # Data files are read, and they share the folder's file system: checked first.
        sources.check_places(state, site, Path(config.config_file_path).parent)
        for file in [f for f in files if is_data_path(f.src_uri)]:
            files.remove(file)
        sources.analyse_sources(
            state,
            site,
            tuple(config.markdown_extensions),
            dict(config.mdx_configs),
            config.theme.get_env().list_templates(),
        )
        sources.check_video_files(state, site)
        generated.add_family_pages(state, site)
        config.extra.update(state.theme_settings)
        if state.edition == "public":
            editions.leave_out_internal(state, site)
        config.extra["kb_search_page"], opensearch = listings.add_search_page(state, site)
        site.add_file(opensearch.dest_uri, opensearch.content)
        listings.add_section_listings(state, site, self.config.nav_section_limit)
        if self.config.offline:
            shim = (_PACKAGE_ASSETS / "vendor" / "iframe-worker" / "shim.js").read_bytes()
            site.add_file(IFRAME_WORKER_SHIM, shim)
        state.release_link_readings()
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Place generated pages the nav does not name; show crowded folders by their index."""
        nav_tools.arrange(self.state, nav, config, files)
        return nav

    def on_page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files):
        """The page's Markdown as the build renders it (`build.rendering.page_markdown`)."""
        # Before any plugin reads them (Material's search): front-matter text as HTML text.
        text.as_theme_text(page.meta, text.THEME_META_TEXT)
        return rendering.page_markdown(self.state, self.site, page.file.src_uri, page.url, markdown)

    def on_page_content(self, html: str, page: MkDocsPage, config: MkDocsConfig, files: Files):
        """The rendered page: the fail-closed guard, FAQ JSON-LD, search records."""
        rendering.page_content(
            self.state,
            page.file.src_uri,
            page.url,
            html,
            is_homepage=page.is_homepage,
            fallback_title=page.title or page.file.name,
        )
        return html

    def on_env(self, env, config: MkDocsConfig, files: Files):
        """Every page is rendered to HTML by now: related articles for each, before templates.

        Every page's title also becomes HTML text here, once its source is known (navigation,
        front matter, first heading or file name), for the templates that print it unescaped.
        """
        for file in files.documentation_pages():
            if file.page is not None:
                file.page.title = navigation.theme_title(file.page)
        self.related.compute(self.state, self.index_dir, deferred=self.defer_index)
        return env

    def commit_related(self, keep: bool) -> None:
        """Move the staged related-pages cache into .kb/ (`keep`), or drop it (a failed build)."""
        self.related.commit(keep)

    def on_page_context(self, context, page: MkDocsPage, config: MkDocsConfig, nav: Navigation):
        """Hand the theme what it shows beyond the page body."""
        context.update(page_context(self.state, self.site, page.file.src_uri, page.url))
        return context

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        """Fix what Material's partials get wrong (see kb_builder.pages.markup_fixes)."""
        return markup_fixes.fix(output)

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig):
        """The same fixes for pages rendered from templates alone (404.html)."""
        return markup_fixes.fix(output_content) if template_name.endswith(".html") else None

    @event_priority(-50)
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Write the browser index, and the Whoosh index unless kb build writes it later.

        kb build writes the Whoosh index once the new site is in place (see plugins/engine.py),
        and the browser index after the rendered pages are released (`defer_browser_index`).

        Priority -50: before Material's offline plugin (-100).
        """
        shared_markdown.uninstall()  # every page is rendered
        if self.defer_browser_index:
            return
        # The pages' HTML was freed as each was written: give it back before the index.
        return_freed_memory()
        self.write_browser_index(config.site_dir)
        if not self.defer_index:
            self.write_search_index()

    def write_browser_index(self, site_dir: str) -> None:
        """The static index the browser's search box reads (site/assets/kb-search/)."""
        if self.config.enabled:
            indexes.write_browser_index(self.state, site_dir)

    def release_rendering(self) -> None:
        """Let go of the rendered site before kb build writes the Whoosh index (which reads
        the search records alone): see `EditionBuild.release_pages`."""
        self.site = None
        self.state.release_pages()

    def write_search_index(self) -> None:
        """Bring the edition's Whoosh index up to date (atomically, only changed documents)."""
        if self.config.enabled and self.index_dir is not None:
            indexes.write_search_index(self.state, self.index_dir)


def _guarded(event):
    """One rule for every event: honour ``enabled: false``, and no traceback for a ContentError.

    Disabled, an event does nothing and returns None (MkDocs keeps its input unchanged), so no
    page, index or search field is added. Enabled, a `ContentError` raised anywhere below an
    event (a data file read late, such as synonyms.yml) reaches MkDocs as a `PluginError`:
    ``path:line: message``, never a traceback.
    """

    @functools.wraps(event)  # keeps mkdocs_priority (event_priority) too
    def guarded(self, *args, **kwargs):
        if not self.config.enabled:
            return None
        try:
            return event(self, *args, **kwargs)
        except ContentError as e:
            raise locating.fail(e) from None

    return guarded


for _name in [n for n in vars(KnowledgeBasePlugin) if n.startswith("on_")]:
    setattr(KnowledgeBasePlugin, _name, _guarded(getattr(KnowledgeBasePlugin, _name)))
