"""The search page (``search/?q=words``) and the OpenSearch description that points at it.

The page is a form and an empty results region: the results themselves are filled in by
``theme/assets/javascripts/kb-search-ui.js`` in the visitor's browser (from the search API when
there is one, else from the static index). What the page says without scripts, and the routes to
support it offers when a search finds little, are written here at build time, so that their links
are checked and rewritten by MkDocs like any other link (``.html`` links in the offline copy).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from kb_builder.core.generated import GeneratedAsset
from kb_builder.core.templates import environment
from kb_builder.families.support.pages import TICKET_GUIDES

# Where the page pretends to live in the content directory: published at search/ (search.html
# in the offline copy).
SEARCH_PAGE_URI = "search.md"
OPENSEARCH_URI = "opensearch.xml"
# The ways to contact support, offered when a search finds little: the generated ticket guides
# (how to launch a ticket; what to do when the system is down), where a site has them.
CONTACT_PAGES = TICKET_GUIDES
# OpenSearch 1.1 limits: ShortName at most 16 characters, LongName at most 48.
_SHORT_NAME = 16
_LONG_NAME = 48


@dataclass(frozen=True)
class HelpLink:
    """A page the search page sends a visitor to when search cannot answer.

    Attributes:
        title: the link text, as plain text.
        src_uri: the page's source path in the content directory (``faq/index.md``).
    """

    title: str
    src_uri: str


def page_markdown(faq: Sequence[HelpLink], contact: Sequence[HelpLink]) -> str:
    """The search page's Markdown (front matter included).

    Args:
        faq: FAQ pages, offered when scripts are off and when a search finds little.
        contact: the ways to contact support (the ticket guides), offered likewise.
    """

    def link(item: HelpLink) -> dict[str, str]:
        # Links are relative to the page's own source (search.md, at the top of the content).
        return {"title": item.title, "href": posixpath.relpath(item.src_uri, ".")}

    # Every value is escaped as Markdown text (kb_builder.core.templates).
    return (
        environment(__package__)
        .get_template("search-page.md.j2")
        .render(
            faq=[link(i) for i in faq],
            contact=[link(i) for i in contact],
        )
    )


def _shorten(name: str, limit: int) -> str:
    """`name` cut at a word boundary to at most `limit` characters (OpenSearch's limits)."""
    if len(name) <= limit:
        return name
    cut = name[: limit + 1].rsplit(" ", 1)[0].rstrip(" -·,")
    return cut if cut and len(cut) <= limit else name[:limit]


def opensearch(site_name: str, site_url: str | None, search_url: str) -> GeneratedAsset:
    """The OpenSearch description that lets browsers add the site as a search engine.

    Args:
        site_name: the site's name (mkdocs.yml ``site_name``).
        site_url: the site's public address, when configured. Browsers want an absolute
            template; without ``site_url`` the template is relative to the description's own
            location (the site root), which is where the search page is too.
        search_url: the search page's URL relative to the site root (``search/``).
    """
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    template = f"{base}{search_url}?q={{searchTerms}}"
    # Escaped by the templates' autoescape, the one escaper of what the build generates.
    text = (
        environment(__package__)
        .get_template("opensearch.xml.j2")
        .render(
            short_name=_shorten(site_name, _SHORT_NAME),
            long_name=_shorten(site_name, _LONG_NAME),
            site_name=site_name,
            template=template,
        )
    )
    return GeneratedAsset(OPENSEARCH_URI, text.encode("utf-8"))
