"""The `kb` MkDocs plugin: the knowledge base's content model inside an MkDocs build.

It validates every page and data file, applies the edition (public or internal), adds the pages
generated from data (support guides, release notes, training agenda), FAQ structure, video
players and placeholders, bounds the navigation, adds the search page and its OpenSearch
description, and collects search records and related articles. Event methods hand the work to
the core (`kb_builder.*`, `search.*`) and turn a `ContentError` into MkDocs' `PluginError`, so
the writer sees ``path:line: message`` and no traceback. The order of the build is in
docs/architecture.md.
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
import shutil
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils import get_relative_url

from kb_builder import (
    audience,
    browser_index,
    faq,
    freshness,
    link_check,
    loader,
    markup_fixes,
    navigation,
    project,
    releases,
    site_data,
    source_lines,
    support,
    third_party,
    urls,
    video,
)
from kb_builder.core import markdown as page_markdown
from kb_builder.core import text
from kb_builder.errors import ContentError, one_of
from kb_builder.generators import EDITIONS, Edition, GeneratedPage, search_page
from kb_builder.generators import releases as release_pages
from kb_builder.generators import support as support_pages
from kb_builder.generators import training as training_pages
from kb_builder.pages import Page, analyse, analyse_file
from kb_builder.plugins.config import KnowledgeBaseConfig
from kb_builder.releases.view import marker_errors as release_marker_errors
from kb_builder.search_cli import index_dir_for
from kb_builder.search_documents import documents_from_page
from kb_builder.support import placeholders
from kb_builder.training import loader as training_loader
from kb_builder.validation import template_error
from search.documents import Document
from search.index import rebuild as rebuild_search_index
from search.related import related_pages

# Published in offline builds instead of the CDN copy Material's offline plugin would load.
IFRAME_WORKER_SHIM = "assets/javascripts/vendor/iframe-worker-shim.js"
_PACKAGE_ASSETS = Path(__file__).resolve().parent.parent / "assets"

# Extensions the generated Markdown relies on (anchors via attr_list, the question list via
# md_in_html). Added when a site's mkdocs.yml does not list them.
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "toc", "admonition", "pymdownx.details")


def _fail(error: ContentError) -> PluginError:
    failure = PluginError(str(error))
    # kb check (plugins/checker.py) reads the located error back instead of parsing the text.
    failure.content_error = error  # type: ignore[attr-defined]
    return failure


class _LocatingHandler(logging.Handler):
    """Rewrites MkDocs' warnings as ``path:line: message`` of the writer's file, and keeps them.

    Installed first among the ``mkdocs`` logger's handlers, so that the console handler and
    strict mode's warning counter, which come after it, see the located message.
    """

    def __init__(self, plugin: KnowledgeBasePlugin) -> None:
        super().__init__(logging.WARNING)
        self.plugin = plugin

    def emit(self, record: logging.LogRecord) -> None:
        # Settings are validated before this plugin's build starts (mkdocs.config): a handler
        # left by an earlier build in the same process must not claim them.
        if (
            record.levelno != logging.WARNING
            or self.plugin.locator is None
            or record.name.startswith("mkdocs.config")
            # The preview server's own request log ("GET /api/search 404") is about a
            # visitor's request, not about the writer's sources.
            or record.name.startswith(("mkdocs.livereload", "mkdocs.commands.serve"))
        ):
            return
        located = self.plugin.locator.locate(record.getMessage())
        self.plugin.warnings += located
        record.msg, record.args = "\n".join(str(e) for e in located), ()


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    """MkDocs adapter for the knowledge-base core."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.jsonld: dict[str, str] = {}
        self.crowded: dict[str, str] = {}
        # A crowded docs root: its pages, and the page that lists them (on_nav shows that one).
        self.root_crowd: set[str] = set()
        self.root_listing: str | None = None
        self.edition: Edition = "public"
        self.lesson_places: dict[str, training_pages.LessonPlace] = {}
        self.files: Files | None = None
        self.generated_from: dict[str, str] = {}
        self.data_changed: dict[str, object] = {}
        self.support: support.SupportData | None = None
        self.search_documents: list[Document] = []
        self.related: dict[str, list[tuple[str, str]]] = {}
        self.index_dir: Path | None = None
        # Set by kb check (plugins/checker.py): build only to find problems, write no index.
        self.dry_run = False
        self.locator: link_check.Locator | None = None
        self.warnings: list[ContentError] = []
        self.generated_markdown: dict[str, link_check.GeneratedSource] = {}
        self.failure: ContentError | None = None
        # Set by kb build (plugins/engine.py): the index is written only once the new site is
        # in place, so that a failed build leaves the previous site and index together.
        self.defer_index = False
        # mkdocs.yml's site_name as written (templates get it as HTML text).
        self.site_name = ""
        # Set by kb build to the edition it resolved (flag, then KB_EDITION, then mkdocs.yml):
        # it wins over the environment, which is how `kb serve` and `mkdocs build` choose.
        self.edition_override: str | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Reset per-build state (`mkdocs serve` keeps this object alive), pick the edition."""
        self.pages, self.jsonld, self.crowded, self.lesson_places = {}, {}, {}, {}
        self.root_crowd, self.root_listing = set(), None
        self.generated_from, self.data_changed, self.support = {}, {}, None
        self.search_documents, self.related = [], {}
        # Files that only the internal edition's generated pages refer to (public edition).
        self.internal_data_refs: set[str] = set()
        self.warnings, self.generated_markdown, self.failure = [], {}, None
        self.refused: list[ContentError] = []  # kb check's errors so far (see _refuse)
        self.locator = link_check.Locator(
            Path(config.docs_dir),
            Path(config.config_file_path or "mkdocs.yml"),
            self.generated_markdown,
        )
        self._install_locating_handler()
        # Pages that are never search results: the search page, the home page.
        self.unsearchable: set[str] = set()
        edition = self.edition_override or os.environ.get("KB_EDITION") or self.config.edition
        if edition not in EDITIONS:
            raise PluginError(f"KB_EDITION is '{edition}'; use {one_of(EDITIONS)}")
        self.edition = edition
        # An offline copy's links end in .html and it has no server: its build leaves the
        # index of the served site alone.
        self.index_dir = (
            None
            if self.config.offline or self.dry_run
            else index_dir_for(config.config_file_path, edition)
        )
        # Templates that no page renders (404.html) read the edition from config.extra.
        config.extra["kb_edition"] = edition
        if self.config.offline:
            # Material's offline plugin adds its CDN shim only when no polyfill is an
            # iframe-worker already: this local copy takes its place.
            polyfills = config.extra.get("polyfills") or []
            config.extra["polyfills"] = [IFRAME_WORKER_SHIM] + [
                url for url in polyfills if "iframe-worker" not in url
            ]
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # No request to any other host: mkdocs.yml and the theme's overrides first.
        settings = project.read_settings(config.config_file_path)
        requests = third_party.config_errors(settings) + third_party.theme_errors(
            config.theme.custom_dir
        )
        if requests:
            self._refuse(requests)
        refused = navigation.config_link_errors(settings)
        if refused:
            self._refuse(refused)
        self._refuse(urls.missing_local_files(settings, config.docs_dir, config.theme.dirs))
        # Material prints these settings unescaped: templates get them as HTML text, and the
        # core keeps the name as written (the training progress key, OpenSearch).
        self.site_name = str(config.site_name)
        text.as_theme_text(config, text.THEME_CONFIG_TEXT)
        return config

    def _refuse(self, errors: list[ContentError]) -> None:
        """Stop at the first of `errors` (kb build); kb check keeps them all and goes on.

        In kb check's build (`dry_run`) every stage runs on every page, so one run lists all
        that a build would refuse rather than one stage's first error per run; the output is
        thrown away, so what is built from a refused page does not matter.
        """
        if not errors:
            return
        if not self.dry_run:
            raise _fail(errors[0])
        self.refused += errors

    def on_build_error(self, error: Exception) -> None:
        """Keep the located error a build stopped at (MkDocs replaces it by "Aborted ...")."""
        self.failure = getattr(error, "content_error", None)

    def _install_locating_handler(self) -> None:
        logger = logging.getLogger("mkdocs")
        for handler in list(logger.handlers):
            if isinstance(handler, _LocatingHandler):
                logger.removeHandler(handler)
        logger.handlers.insert(0, _LocatingHandler(self))

    @event_priority(50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Drop data files, validate every page, apply the edition, list crowded folders.

        Runs early (priority 50) so that other plugins never see `_data/`, nor internal pages in
        the public edition.
        """
        if not self.config.enabled:
            return files
        # Data files too: they are read, and they share the folder's file system.
        sources = [f.src_uri for f in files if f.abs_src_path]
        for file in list(files):
            if loader.is_data_path(file.src_uri):
                files.remove(file)
        docs_dir = Path(config.docs_dir)
        markdown = [f.src_uri for f in files if f.src_uri.endswith(".md") and f.abs_src_path]
        collisions = urls.collisions(
            markdown, lambda uri: str(docs_dir / uri), config.use_directory_urls
        )
        if collisions:
            self._refuse(collisions)
        refused = urls.outside_project(
            sources, docs_dir, Path(config.config_file_path).parent
        ) + urls.spelling_collisions(sources, lambda uri: str(docs_dir / uri))
        # kb check goes on after the collisions: a page already named there is not named twice.
        named = {e.path for e in collisions}
        refused = [e for e in refused if e.path not in named]
        if refused:
            self._refuse(refused)
        # Internal passages are checked against the site's own Markdown rendering.
        self.rendering = audience.Rendering(
            tuple(config.markdown_extensions), dict(config.mdx_configs)
        )
        templates = config.theme.get_env().list_templates()
        for file in files.documentation_pages():
            source = str(docs_dir / file.src_uri) if file.abs_src_path else file.src_uri
            page = analyse_file(file.content_bytes, source, self.edition, self.rendering)
            if page.errors:
                self._refuse(page.errors)
            wrong_template = template_error(page.meta.template, templates, source, page.front.lines)
            if wrong_template:
                self._refuse([wrong_template])
            # As written: a request inside an internal passage is one in the internal edition.
            requests = third_party.page_errors(page.full_body, source, page.front.body_offset)
            if requests:
                self._refuse(requests)
            self.pages[file.src_uri] = page
        self._check_video_files(files)
        self._add_support(files, config)
        self._check_placeholders()
        self._add_releases(files, config)
        self._add_training(files, config)
        if self.edition == "public":
            self._leave_out_internal_pages(files, config)
        self._add_search_page(files, config)
        self._add_section_listings(files, config)
        if self.config.offline:
            shim = (_PACKAGE_ASSETS / "vendor" / "iframe-worker" / "shim.js").read_bytes()
            files.append(File.generated(config, IFRAME_WORKER_SHIM, content=shim))
        self.files = files
        return files

    def _check_video_files(self, files: Files) -> None:
        """Video pages that play a file of the site must name one that exists."""
        for uri, page in self.pages.items():
            meta = page.meta
            if meta.type != "video" or meta.video is None:
                continue
            for key in ("src", "captions", "poster"):
                ref = getattr(meta.video, key)
                if not ref or "://" in ref:
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(uri), ref))
                if files.get_file_from_path(target) is None:
                    raise _fail(
                        ContentError(
                            page.source,
                            page.front.lines.line_of(("video", key)),
                            f"'video.{key}' is '{ref}', but there is no such file next to the "
                            f"page (looked for {target}); paths are relative to the page",
                        )
                    )

    def _refuse_spelling_twin(
        self, files: Files, config: MkDocsConfig, uri: str, made_from: str
    ) -> None:
        """A source published where a generated page is, but for case or accents (urls.py)."""
        sources = [f.src_uri for f in files.documentation_pages() if f.abs_src_path]
        twin = urls.generated_collision(sources, uri, config.use_directory_urls)
        if twin is not None:
            raise _fail(urls.generated_collision_error(config.docs_dir, twin, uri, made_from))

    def _add_generated(self, files: Files, config: MkDocsConfig, generated: GeneratedPage) -> None:
        """Add a page made from data as a virtual file (never written into the content folder)."""
        if files.get_file_from_path(generated.src_uri) is not None:
            raise _fail(
                ContentError(
                    str(Path(config.docs_dir) / generated.src_uri),
                    1,
                    f"{generated.edit_source} generates this page; delete this file (its page "
                    "now comes from data) or move it",
                )
            )
        self._refuse_spelling_twin(
            files, config, generated.src_uri, f"page of {generated.edit_source}"
        )
        # A page the explicit nav does not name (a release cut yesterday) is placed in its
        # folder's section by on_nav, not reported as left out of the navigation.
        inclusion = (
            InclusionLevel.NOT_IN_NAV
            if config.nav and generated.src_uri not in _nav_uris(config.nav)
            else InclusionLevel.UNDEFINED
        )
        file = File.generated(
            config, generated.src_uri, content=generated.markdown, inclusion=inclusion
        )
        file.edit_uri = generated.edit_source
        files.append(file)
        self.generated_from[generated.src_uri] = generated.edit_source
        self.generated_markdown[generated.src_uri] = link_check.GeneratedSource(
            generated.markdown, generated.edit_source
        )
        if generated.edit_source not in self.data_changed:
            self.data_changed[generated.edit_source] = freshness.last_changed(
                Path(config.docs_dir) / generated.edit_source
            )
        # The templates' own HTML (a form, checkboxes, an SVG) is the theme's code, not a
        # writer's: only links and handlers are checked in it (core.markdown.theme_markup).
        with page_markdown.theme_markup():
            page = analyse(
                generated.markdown,
                f"{generated.src_uri} (from {generated.edit_source})",
                self.edition,
                self.rendering,
            )
        if page.errors:
            # The writer cannot open a generated page: report the data line that produced it.
            error = page.errors[0]
            where = source_lines.locate(
                Path(config.docs_dir), generated.edit_source, generated.markdown, error.line
            )
            raise _fail(
                ContentError(
                    where.path,
                    where.line,
                    f"{error.message} (in the generated {generated.src_uri})",
                )
            )
        self.pages[generated.src_uri] = page

    def _add_support(self, files: Files, config: MkDocsConfig) -> None:
        """The ticket guides from _data/support.yml, whose facts pages may also quote."""
        data_dir = Path(config.docs_dir) / loader.DATA_DIR
        if not site_data.has_support(data_dir):
            return
        try:
            self.support = support.load(data_dir)
        except ContentError as e:
            raise _fail(e) from None
        made = support_pages.pages(self.support, self.edition)
        for generated in made:
            self._add_generated(files, config, generated)
        self._note_internal_refs(made, lambda: support_pages.pages(self.support, "internal"))

    def _check_placeholders(self) -> None:
        """Every {{ support.... }} in every page names a fact this edition may show."""
        for uri, page in self.pages.items():
            if uri in self.generated_from:
                continue
            errors = site_data.placeholder_errors(page, self.support, self.edition)
            if errors:
                self._refuse(errors)

    def _add_releases(self, files: Files, config: MkDocsConfig) -> None:
        """Release notes from _data/releases and _data/changes: pages, Atom feed, calendar."""
        data_dir = Path(config.docs_dir) / loader.DATA_DIR
        if not site_data.has_releases(data_dir):
            return
        try:
            data = releases.load(data_dir)
        except ContentError as e:
            raise _fail(e) from None
        # Near misses of '!!! internal' in bodies and summaries, at the writer's YAML line
        # (the generated pages would otherwise report them at a line nobody can edit).
        marker_problems = release_marker_errors(data, data_dir)
        if marker_problems:
            raise _fail(marker_problems[0])
        made = release_pages.pages(data, self.edition)
        for generated in made:
            self._add_generated(files, config, generated)
            # Area pages repeat the release pages' words: as results they would crowd out
            # the release pages they copy.
            if release_pages.repeats_others(generated.src_uri):
                self.unsearchable.add(generated.src_uri)
        self._note_internal_refs(made, lambda: release_pages.pages(data, "internal"))
        published = release_pages.assets(data, self.edition, config.site_url)
        published += release_pages.area_assets(data, self.edition, config.site_url)
        for asset in published:
            files.append(File.generated(config, asset.dest_uri, content=asset.content))

    def _note_internal_refs(self, made: list[GeneratedPage], internal) -> None:
        """In the public edition, remember the files only the internal edition's version of
        these generated pages refers to (an internal change's screenshot, say)."""
        if self.edition != "public":
            return
        self.internal_data_refs |= audience.internal_only_references(
            [(p.src_uri, p.markdown) for p in internal()], [(p.src_uri, p.markdown) for p in made]
        )

    def _titles(self) -> dict[str, str]:
        return {
            uri: navigation.page_title(page.meta.title, page.front.body, uri)
            for uri, page in self.pages.items()
        }

    def _add_training(self, files: Files, config: MkDocsConfig) -> None:
        """The agenda page from _data/training.yml, and where each lesson's page stands in it."""
        data_dir = Path(config.docs_dir) / loader.DATA_DIR
        try:
            training = training_loader.load(data_dir, known_pages=set(self.pages))
        except ContentError as e:
            raise _fail(e) from None
        if training is None:
            return
        errors = training_pages.edition_errors(
            training, self.edition, loader.internal_uris(self.pages)
        )
        if errors:
            raise _fail(errors[0])
        titles = self._titles()
        made = training_pages.pages(training, self.edition, titles, self.site_name)
        for generated in made:
            self._add_generated(files, config, generated)
        self._note_internal_refs(
            made, lambda: training_pages.pages(training, "internal", titles, self.site_name)
        )
        self.lesson_places = training_pages.lesson_places(training, self.edition)
        self.progress_key = training_pages.progress_key(self.site_name)

    def _leave_out_internal_pages(self, files: Files, config: MkDocsConfig) -> None:
        """Remove internal pages from the public edition, and the nav entries for them.

        A public page that links to one is an error at the link's line, not a dead link.
        """
        errors = loader.public_link_errors(self.pages)
        if errors:
            raise _fail(errors[0])
        internal = loader.internal_uris(self.pages)
        dropped = self._leave_out_internal_files(files, config)
        self._refuse_snippets(config, internal, dropped)
        for uri in internal:
            files.remove(files.get_file_from_path(uri))
            del self.pages[uri]
        if config.nav:
            config.nav = _without(config.nav, internal)

    def _leave_out_internal_files(self, files: Files, config: MkDocsConfig) -> set[str]:
        """Remove the files beside internal pages (`audience.internal_attachments`); return them.

        A public page that links to one of them (Markdown or raw HTML) is an error at the line.
        """
        docs_dir = Path(config.docs_dir).resolve()
        attachments = {
            f.src_uri: f
            for f in files
            if not f.is_documentation_page()
            and f.abs_src_path
            and f.src_dir
            and Path(f.src_dir).resolve() == docs_dir
        }
        if not attachments:
            return set()
        names = {posixpath.basename(uri) for uri in attachments}
        audiences = {uri: page.meta.audience for uri, page in self.pages.items()}
        public_refs: dict[str, set[str]] = {}
        internal_refs: dict[str, set[str]] = {}
        for uri, page in self.pages.items():
            public, internal = page.references(uri, names)
            if page.meta.audience == "internal":
                internal_refs[uri] = public | internal
            else:
                public_refs[uri], internal_refs[uri] = public, internal
        internal_refs[" generated from data"] = self.internal_data_refs
        dropped = audience.internal_attachments(attachments, audiences, public_refs, internal_refs)
        for uri, page in self.pages.items():
            if page.meta.audience == "internal":
                continue
            errors = audience.links_into(
                page.front.body, uri, page.source, page.front.body_offset, set(), dropped
            )
            if errors:
                raise _fail(errors[0])
        for uri in dropped:
            files.remove(attachments[uri])
        return dropped

    def _refuse_snippets(self, config: MkDocsConfig, internal: set[str], dropped: set[str]):
        """pymdownx.snippets inlines files after internal passages are removed: in the public
        edition an include of anything left out, or of internal text, is an error at its line
        (`audience.snippet_errors`), in written pages and pages made from data alike."""
        if "pymdownx.snippets" not in self.rendering.extensions:
            return
        left = {audience.file_key(u): "an internal page" for u in internal} | {
            audience.file_key(u): "a file only the internal edition publishes" for u in dropped
        }

        def left_out(rel: str) -> str | None:
            if loader.is_data_path(rel):
                return "a data file, which is never published (it holds internal items)"
            return left.get(audience.file_key(rel))

        for uri, page in self.pages.items():
            if uri in internal:
                continue
            errors = audience.snippet_errors(
                page.front.body,
                page.source,
                page.front.body_offset,
                self.rendering,
                config.docs_dir,
                left_out,
            )
            if errors and uri in self.generated_from:
                error = errors[0]
                where = source_lines.locate(
                    Path(config.docs_dir),
                    self.generated_from[uri],
                    self.generated_markdown[uri].markdown,
                    error.line,
                )
                errors = [ContentError(where.path, where.line, f"{error.message} (in {uri})")]
            # Marked refused, so the rendered guard does not report the same page again.
            page.errors.extend(errors)
            self._refuse(errors)

    def _add_search_page(self, files: Files, config: MkDocsConfig) -> None:
        """The search page (search/?q=), and the OpenSearch description pointing at it.

        Its help links are the edition's FAQ pages and ticket guides that exist in this site.
        The theme finds the page through ``config.extra.kb_search_page`` (the header box, the
        home page's form, templates no page renders such as 404.html).
        """
        uri = search_page.SEARCH_PAGE_URI
        if files.get_file_from_path(uri) is not None:
            raise _fail(
                ContentError(
                    str(Path(config.docs_dir) / uri),
                    1,
                    f"the search page is generated at {uri}; rename this file",
                )
            )
        self._refuse_spelling_twin(files, config, uri, "search page")
        titles = self._titles()
        faq_pages = [
            search_page.HelpLink(titles[u], u)
            for u, page in sorted(self.pages.items())
            if page.is_faq and files.get_file_from_path(u) is not None
        ]
        contact = [
            search_page.HelpLink(titles[u], u)
            for u in search_page.CONTACT_PAGES
            if u in self.pages and files.get_file_from_path(u) is not None
        ]
        markdown = search_page.page_markdown(faq_pages, contact)
        # Not named by the nav and not placed in a section: reached from the search forms.
        file = File.generated(config, uri, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(file)
        self.unsearchable.add(uri)
        config.extra["kb_search_page"] = file.url
        asset = search_page.opensearch(self.site_name, config.site_url, file.url)
        files.append(File.generated(config, asset.dest_uri, content=asset.content))

    def _add_section_listings(self, files: Files, config: MkDocsConfig) -> None:
        """An A-Z listing for each crowded folder, the docs root included (`navigation`)."""
        limit = self.config.nav_section_limit
        uris = {f.src_uri for f in files.documentation_pages()}
        # Only pages the navigation would show can crowd it: the search page and a writer's
        # not_in_nav pages are reached otherwise; generated pages await placement (on_nav).
        shown = {
            f.src_uri
            for f in files.documentation_pages()
            if f.inclusion.is_in_nav() or f.src_uri in self.generated_from
        }
        named = _nav_uris(config.nav) if config.nav else None
        for folder, members in navigation.crowded_sections(shown, limit).items():
            for uri in members if named is not None else ():
                if uri not in named:
                    # Its listing shows it: an explicit nav need not name it to have it hidden.
                    files.get_file_from_path(uri).inclusion = InclusionLevel.NOT_IN_NAV
            index, exists = navigation.index_uri(folder, uris)
            title = None
            if not folder:
                if exists:
                    # The home page stays a landing page; the crowd gets a page of its own.
                    index, exists = _root_listing_uri(files, config), False
                    title = navigation.ROOT_LISTING_TITLE
                self.root_crowd, self.root_listing = set(members), index
            else:
                self.crowded[folder] = index
            listed = [
                navigation.ListedPage(
                    navigation.page_title(
                        self.pages[u].meta.title if u in self.pages else None,
                        self.pages[u].front.body if u in self.pages else "",
                        u,
                    ),
                    u,
                )
                for u in members
            ]
            listing = navigation.listing_markdown(
                folder, listed, with_title=not exists, title=title
            )
            if exists:
                self.pages[index].front.body += "\n\n" + listing.replace("\n## ", "\n### ")
            else:
                # The root's listing is named by no nav: on_nav puts it after the home page.
                inclusion = InclusionLevel.NOT_IN_NAV if not folder else InclusionLevel.INCLUDED
                files.append(File.generated(config, index, content=listing, inclusion=inclusion))

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Place generated pages the nav does not name; show crowded folders by their index."""
        navigation.escape_nav_titles(nav.items)
        self._place_generated_pages(nav, config, files)
        if self.root_listing is not None:
            listing = files.get_file_from_path(self.root_listing)
            page = listing.page or MkDocsPage(None, listing, config)
            nav.items = navigation.collapse_root(nav.items, self.root_crowd, page)
            listing.inclusion = InclusionLevel.INCLUDED
        if not self.crowded:
            _relink(nav)
            return nav
        index_pages = set(self.crowded.values())

        def trim(items: list) -> None:
            for item in items:
                if isinstance(item, Section):
                    index = next(
                        (
                            child
                            for child in item.children
                            if isinstance(child, MkDocsPage) and child.file.src_uri in index_pages
                        ),
                        None,
                    )
                    if index is not None:
                        item.children = [index]
                    else:
                        trim(item.children)

        trim(nav.items)
        _relink(nav)
        return nav

    def _place_generated_pages(self, nav: Navigation, config: MkDocsConfig, files: Files) -> None:
        """Put each generated page missing from the nav into its folder's section, in order."""
        sections: dict[str, Section] = {}
        for section in _walk_sections(nav.items):
            for child in section.children:
                if isinstance(child, MkDocsPage):
                    folder, name = posixpath.split(child.file.src_uri)
                    if name in navigation.INDEX_NAMES:
                        sections.setdefault(folder, section)
        for uri in self.generated_from:
            file = files.get_file_from_path(uri)
            if file is None or file.inclusion != InclusionLevel.NOT_IN_NAV:
                continue
            section = sections.get(posixpath.dirname(uri))
            if section is None:
                continue
            page = MkDocsPage(None, file, config)
            page.parent = section
            section.children.append(page)
            file.inclusion = InclusionLevel.INCLUDED

    def on_page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files):
        """Render from our own split of the source (MkDocs hides malformed front matter)."""
        # Before any plugin reads them (Material's search): front-matter text as HTML text.
        text.as_theme_text(page.meta, text.THEME_META_TEXT)
        analysed = self.pages.get(page.file.src_uri)
        if analysed is None:
            return markdown
        body = analysed.markdown()
        if self.support is not None and page.file.src_uri not in self.generated_from:
            # Checked in on_files; internal passages are already gone in the public edition.
            body = placeholders.resolve(body, analysed.source, 0, self.support.facts, self.edition)
        if analysed.meta.type == "video" and analysed.meta.video is not None:
            body = video.insert_after_title(body, self._player(analysed, page))
        return body

    def _player(self, analysed: Page, page: MkDocsPage) -> str:
        meta = analysed.meta
        title = navigation.page_title(meta.title, analysed.front.body, page.file.src_uri)

        def local(ref: str | None) -> str | None:
            if not ref:
                return None
            if "://" in ref:
                return ref
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), ref))
            return get_relative_url(self.files.get_file_from_path(target).url, page.url)

        return video.player_html(
            title,
            meta.video.duration,
            embed=video.embed_for(meta.video.src),
            file_url=local(meta.video.src) if video.is_file(meta.video.src) else None,
            captions_url=local(meta.video.captions),
            poster_url=local(meta.video.poster),
        )

    def on_page_content(self, html: str, page: MkDocsPage, config: MkDocsConfig, files: Files):
        """Collect what the page head needs from the rendered HTML (FAQ JSON-LD)."""
        analysed = self.pages.get(page.file.src_uri)
        if self.edition == "public":
            self._refuse_internal_looking(html, page, analysed, config)
        if page.file.src_uri in self.generated_from:
            # Written pages are checked at their lines in on_files; these come from data.
            requests = third_party.generated_page_errors(
                html, Path(config.docs_dir) / loader.DATA_DIR
            )
            if requests:
                self._refuse(requests)
        if analysed is not None and analysed.is_faq:
            self.jsonld[page.file.src_uri] = faq.faq_jsonld(html, analysed.questions)
        # The search page and the home page (a hero and cards pointing elsewhere) are ways to
        # an answer, never the answer: a result leading to them is a wasted place in the top 3.
        if page.is_homepage or page.file.src_uri in self.unsearchable:
            return html
        self.search_documents += documents_from_page(
            html,
            url=page.url,
            page_title=(
                navigation.page_title(analysed.meta.title, analysed.front.body, page.file.src_uri)
                if analysed
                else page.title or page.file.name
            ),
            kind=self._kind(page.file.src_uri, analysed),
            audience=analysed.meta.audience if analysed else "public",
            section=page.url.split("/", 1)[0],
            tags=analysed.meta.tags if analysed else [],
        )
        return html

    def _refuse_internal_looking(
        self, html: str, page: MkDocsPage, analysed: Page | None, config: MkDocsConfig
    ) -> None:
        """Fail closed: public HTML, as rendered with the site's extensions, with anything that
        looks internal (`audience.published_internal`) stops the build."""
        if analysed is not None and analysed.errors:
            return  # already refused (kb check goes on): its source-level problems say why
        found = audience.published_internal(html)
        if found is None:
            return
        uri = page.file.src_uri
        if uri in self.generated_from:
            source, line = str(Path(config.docs_dir) / self.generated_from[uri]), 1
        else:
            source = analysed.source if analysed else uri
            body = analysed.full_body if analysed else ""
            offset = analysed.front.body_offset if analysed else 0
            lines = body.splitlines()
            hits = [n for n, text in enumerate(lines) if audience.mentions_internal(text)]
            hits = hits or [n for n, text in enumerate(lines) if not text.isascii()]
            line = offset + (hits[0] if hits else 0) + 1
        raise _fail(
            ContentError(
                source,
                line,
                f"the public page renders '{found}', which looks internal but is not an internal "
                "passage, so it would be published; write the passage as an '!!! internal' "
                "admonition (see the README, 'Two editions')",
            )
        )

    def _kind(self, src_uri: str, analysed: Page | None) -> str:
        """What a page is, for search filters: faq, article, guide, release, video, listing."""
        source = self.generated_from.get(src_uri, "")
        if source.startswith(("_data/releases", "_data/changes")):
            return "release"
        if source:
            return "guide"
        if analysed is None:
            return "listing"
        return {"faq": "faq", "video": "video"}.get(analysed.meta.type, "article")

    def on_env(self, env, config: MkDocsConfig, files: Files):
        """Every page is rendered to HTML by now: related articles for each, before templates.

        Every page's title also becomes HTML text here, once its source is known (navigation,
        front matter, first heading or file name), for the templates that print it unescaped.
        """
        for file in files.documentation_pages():
            if file.page is not None:
                file.page.title = navigation.theme_title(file.page)
        cache = self.index_dir.parent / f"{self.edition}-related.json" if self.index_dir else None
        if cache is not None and self.defer_index:
            # kb build: nothing in .kb/ changes unless the build succeeds, so the cache is
            # updated in a copy that engine.py moves in with the new site (commit_related).
            staged = Path(tempfile.mkdtemp(prefix="kb-related-")) / cache.name
            if cache.is_file():
                shutil.copyfile(cache, staged)
            self.related_staged = (staged, cache)
            cache = staged
        self.related = related_pages(self.search_documents, edition=self.edition, cache_path=cache)
        return env

    def commit_related(self, keep: bool) -> None:
        """Move the staged related-pages cache into .kb/ (`keep`), or drop it (a failed build)."""
        staged = getattr(self, "related_staged", None)
        self.related_staged = None
        if staged is None:
            return
        copy, cache = staged
        try:
            if keep and copy.is_file():
                temporary = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
                shutil.copyfile(copy, temporary)
                os.replace(temporary, cache)
        finally:
            shutil.rmtree(copy.parent, ignore_errors=True)

    @event_priority(-50)
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Write the browser index, and the Whoosh index unless kb build writes it later.

        kb build writes the Whoosh index once the new site is in place (see plugins/engine.py).

        Priority -50: before Material's offline plugin (-100).
        """
        browser_index.write_for_site(
            config.site_dir,
            self.search_documents,
            edition=self.edition,
            data_dir=Path(config.docs_dir) / loader.DATA_DIR,
        )
        if not self.defer_index:
            self.write_search_index()

    def write_search_index(self) -> None:
        """Bring the edition's Whoosh index up to date (atomically, only changed documents)."""
        if self.config.enabled and self.index_dir is not None:
            rebuild_search_index(self.index_dir, self.search_documents, edition=self.edition)

    def on_page_context(self, context, page: MkDocsPage, config: MkDocsConfig, nav: Navigation):
        """Hand the theme what it shows beyond the page body."""
        analysed = self.pages.get(page.file.src_uri)
        context["kb_edition"] = self.edition
        context["kb_audience"] = analysed.meta.audience if analysed else "public"
        context["kb_jsonld"] = self.jsonld.get(page.file.src_uri)
        context["kb_page_type"] = analysed.meta.type if analysed else "listing"
        context["kb_hero"] = analysed.meta.hero if analysed else None
        context["kb_lessons"] = self._lesson_context(page.file.src_uri)
        context["kb_freshness"] = self._freshness_context(page.file.src_uri, analysed)
        context["kb_related"] = self.related.get(page.url, [])
        # issue 12: the header's "Contact support" action, on sites with support.yml.
        contact = support_pages.contact_link(config.use_directory_urls)
        context["kb_contact"] = contact if self.support is not None else None
        return context

    def _freshness_context(self, src_uri: str, analysed: Page | None) -> dict | None:
        """'Last reviewed ...' for written pages; 'generated from ...' for pages made from data."""
        if src_uri in self.generated_from:
            source = self.generated_from[src_uri]
            changed = self.data_changed.get(source)
            return {"source": source, "changed": _human_date(changed) if changed else None}
        if analysed is None:
            return None
        meta = analysed.meta
        if not (meta.reviewed or meta.owner):
            return None
        return {
            "reviewed": _human_date(meta.reviewed) if meta.reviewed else None,
            "owner": meta.owner,
            "review_by": _human_date(meta.review_by) if meta.review_by else None,
        }

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        """Fix what Material's partials get wrong (see kb_builder.markup_fixes)."""
        return markup_fixes.fix(output)

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig):
        """The same fixes for pages rendered from templates alone (404.html)."""
        return markup_fixes.fix(output_content) if template_name.endswith(".html") else None

    def _url(self, src_uri: str, anchor: str = "") -> str | None:
        file = self.files.get_file_from_path(src_uri) if self.files else None
        if file is None:
            return None
        return file.url + (f"#{anchor}" if anchor else "")

    def _lesson_context(self, src_uri: str) -> dict | None:
        """What the theme's lesson box needs on a page that lessons of the agenda link to."""
        place = self.lesson_places.get(src_uri)
        agenda = self._url(training_pages.AGENDA_URI)
        if place is None or agenda is None:
            return None

        def step(ref: training_pages.LessonRef | None) -> dict | None:
            if ref is None:
                return None
            return {"label": f"{ref.number} {ref.title}", "url": self._url(ref.page, ref.anchor)}

        return {
            "heading": place.heading,
            "agenda_url": agenda,
            "progress_key": self.progress_key,
            "lessons": [
                {
                    "id": ref.id,
                    "label": f"{ref.number} {ref.title}",
                    # The lesson's own section of this page, else its entry in the agenda.
                    "url": self._url(ref.page, ref.anchor)
                    if ref.anchor
                    else f"{agenda}#{ref.agenda_anchor}",
                }
                for ref in place.lessons
            ],
            "previous": step(place.previous),
            "next": step(place.next),
        }


def _human_date(value) -> str:
    """``2026-11-29`` -> ``29 November 2026`` (unambiguous in every English locale)."""
    return f"{value.day} {value:%B %Y}"


def _without(nav: list, uris: set[str]) -> list:
    """A copy of an mkdocs.yml `nav` without the entries for `uris` (and emptied sections)."""
    kept = []
    for item in nav:
        if isinstance(item, str):
            if item not in uris:
                kept.append(item)
        elif isinstance(item, dict):
            entry = {}
            for title, value in item.items():
                if isinstance(value, list):
                    value = _without(value, uris)
                    if value:
                        entry[title] = value
                elif value not in uris:
                    entry[title] = value
            if entry:
                kept.append(entry)
        else:
            kept.append(item)
    return kept


def _root_listing_uri(files: Files, config: MkDocsConfig) -> str:
    """A source path for the root's listing that publishes where no file does, nor under it
    (``a-z/`` must not become the index of a writer's ``a-z`` folder)."""
    dests = [f.dest_uri.casefold() for f in files]

    def is_free(uri: str) -> bool:
        dest = File.generated(config, uri, content="").dest_uri.casefold()
        folder = posixpath.dirname(dest)
        return not any(d == dest or (folder and d.startswith(folder + "/")) for d in dests)

    return navigation.root_listing_uri(is_free)


def _nav_uris(nav: list) -> set[str]:
    """Every page path an mkdocs.yml `nav` names."""
    uris: set[str] = set()
    for item in nav:
        if isinstance(item, str):
            uris.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                uris |= _nav_uris(value) if isinstance(value, list) else {value}
    return uris


def _walk_sections(items: list):
    for item in items:
        if isinstance(item, Section):
            yield item
            yield from _walk_sections(item.children)


def _relink(nav: Navigation) -> None:
    """Previous/next links follow the navigation as it now stands."""
    nav.pages = [p for p in _walk_pages(nav.items)]
    for i, page in enumerate(nav.pages):
        page.previous_page = nav.pages[i - 1] if i else None
        page.next_page = nav.pages[i + 1] if i + 1 < len(nav.pages) else None


def _walk_pages(items: list):
    for item in items:
        if isinstance(item, MkDocsPage):
            yield item
        elif isinstance(item, Section):
            yield from _walk_pages(item.children)


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
            raise _fail(e) from None

    return guarded


for _name in [n for n in vars(KnowledgeBasePlugin) if n.startswith("on_")]:
    setattr(KnowledgeBasePlugin, _name, _guarded(getattr(KnowledgeBasePlugin, _name)))
