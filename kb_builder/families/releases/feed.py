"""The Atom feed of released versions (``releases/feed.xml``), made with feedgen.

Entry ids never change once published: a release's page URL under ``site_url``, or without
one a ``tag:`` URI (RFC 4151) built from the version alone. Dates come from the data, never
from the clock, so that an unchanged release history gives the same feed byte for byte.
"""

from __future__ import annotations

import datetime as dt
import functools

from markupsafe import Markup

from kb_builder.core.markdown import markdown_html
from kb_builder.core.templates import environment
from kb_builder.families.releases.dates import long_date
from kb_builder.families.releases.urls import absolute, page_path, published_link, relative
from kb_builder.families.releases.view import EditionView, ReleaseView

FOLDER = "releases"
# RFC 4151 tag authority when the site has no address yet: '.invalid' can never be anyone's
# domain, so these ids cannot collide with a real site's.
TAG_PREFIX = "tag:kb-builder.invalid,2026:"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

_env = environment(__package__)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _link(path: str, site_url: str | None, folder: str = FOLDER) -> str:
    return absolute(site_url, path) if site_url else relative(path, folder)


def _entry_html(view: ReleaseView, site_url: str | None, folder: str = FOLDER) -> str:
    page_src = f"{FOLDER}/{view.release.version}.md"
    rewrite = functools.partial(published_link, page_src=page_src, site_url=site_url, folder=folder)
    return _env.get_template("feed_entry.html.j2").render(
        view=view,
        released=long_date(view.release.date) if view.release.date else "",
        html=lambda text: Markup(markdown_html(text, rewrite)),
    )


def atom_feed(
    view: EditionView,
    site_url: str | None,
    *,
    folder: str = FOLDER,
    title: str = "Release notes",
    scope: str = "",
) -> bytes:
    """The Atom feed of the released versions `view` shows, newest first.

    Args:
        view: one edition's view (internal changes already left out of the public one).
        site_url: the site's address, or None for relative links and ``tag:`` ids.
        folder: where the feed is published (its page is the folder's index): ``releases``, or
            ``releases/areas/<slug>`` for one area's feed.
        title: the feed's title.
        scope: for a feed of part of the notes (an area), a suffix of every entry id, so that
            an entry of the area feed is never taken for the full release's entry.
    """
    # feedgen (and lxml under it, about 9 MB) is loaded by the builds that write a feed.
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    edition = " (internal edition)" if view.edition == "internal" else ""
    fg.title(f"{title}{edition}")
    fg.subtitle("Every release, newest first.")
    fg.id(absolute(site_url, f"{folder}/") if site_url else f"{TAG_PREFIX}{folder}")
    fg.author({"name": "Release notes"})
    fg.link(href=_link(f"{folder}/", site_url, folder), rel="alternate", type="text/html")
    fg.link(
        href=_link(f"{folder}/feed.xml", site_url, folder),
        rel="self",
        type="application/atom+xml",
    )
    fg.language("en")
    fg.generator("kb-builder")
    dates = [r.release.date for r in view.released if r.release.date]
    fg.updated(_midnight(max(dates)) if dates else _EPOCH)
    for release_view in view.released:
        release = release_view.release
        path = page_path(f"{FOLDER}/{release.version}.md")
        when = _midnight(release.date) if release.date else _EPOCH
        entry = fg.add_entry(order="append")
        entry_id = (
            absolute(site_url, path) if site_url else f"{TAG_PREFIX}{FOLDER}/{release.version}"
        )
        entry.id(entry_id + (f"#{scope}" if scope else ""))
        entry.title(f"Release {release.version}" + (f": {release.title}" if release.title else ""))
        entry.link(href=_link(path, site_url, folder), rel="alternate", type="text/html")
        entry.published(when)
        entry.updated(when)
        entry.content(_entry_html(release_view, site_url, folder), type="html")
    return fg.atom_str(pretty=True)
