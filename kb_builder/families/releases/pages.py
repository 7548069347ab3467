"""Release notes: the index, the Upcoming Release page, one page per release, feed, calendar.

Made from ``_data/releases/*.yml`` and ``_data/changes/*.yml`` (see `kb_builder.families.releases`).
Pages are Markdown rendered from Jinja2 templates in which every ``{{ value }}`` is escaped as
plain text unless a filter made it Markdown on purpose (`markdown`, `block`): a writer's title
can never turn into markup, whichever template prints it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from kb_builder.core.editions import Edition
from kb_builder.core.generated import GeneratedAsset, GeneratedPage
from kb_builder.core.project import DATA_DIR
from kb_builder.core.templates import environment
from kb_builder.core.text import MarkdownText, markdown_literal
from kb_builder.families.releases import feed, ical
from kb_builder.families.releases.areas import FOLDER as AREAS_FOLDER
from kb_builder.families.releases.areas import Area, area_view, areas
from kb_builder.families.releases.data import ReleaseData
from kb_builder.families.releases.dates import day_list, long_date
from kb_builder.families.releases.model import Change
from kb_builder.families.releases.view import EditionView, ReleaseView, Section, edition_view

FOLDER = "releases"
INDEX = f"{FOLDER}/index.md"
UPCOMING = f"{FOLDER}/upcoming.md"
FEED = f"{FOLDER}/feed.xml"
CALENDAR = f"{FOLDER}/rollouts.ics"
AREAS = f"{AREAS_FOLDER}/areas.md"
# Shown beside internal changes in the internal edition (the theme styles .kb-badge).
INTERNAL_MARK = MarkdownText(' <span class="kb-badge">Internal</span>')


def _details(change: Change) -> MarkdownText:
    """The modules and tracker keys of a change, as one line of Markdown."""
    parts = []
    if change.modules:
        label = "Module" if len(change.modules) == 1 else "Modules"
        parts.append(f"*{label}:* " + ", ".join(markdown_literal(m) for m in change.modules))
    if change.tracker:
        parts.append("*Tracker:* " + ", ".join(markdown_literal(k) for k in change.tracker))
    return MarkdownText(" · ".join(parts))


def _counts(sections: list[Section]) -> MarkdownText:
    """How many changes of each kind: "Features: 2, Fixes: 1"."""
    if not sections:
        return MarkdownText("No changes listed")
    return MarkdownText(
        ", ".join(f"{markdown_literal(s.kind.heading)}: {len(s.changes)}" for s in sections)
    )


# Every {{ value }} is escaped as Markdown text unless a filter made it Markdown on purpose
# (`markdown`, `block`): a writer's title can never turn into markup, whichever template
# prints it (kb_builder.core.templates).
_env = environment(
    __package__,
    filters={"long_date": long_date, "day_list": day_list, "details": _details, "counts": _counts},
)


def _front_matter(title: str, description: str) -> MarkdownText:
    data = {"title": title, "description": description}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    return MarkdownText(f"---\n{text}---\n")


def _render(template: str, front: MarkdownText, **context: Any) -> str:
    text = _env.get_template(template).render(
        front_matter=front, internal_mark=INTERNAL_MARK, **context
    )
    # Templates may leave runs of blank lines around optional parts; one is enough.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


def _release_page(view: ReleaseView) -> GeneratedPage:
    release = view.release
    when = f", released on {long_date(release.date)}" if release.date else ""
    front = _front_matter(
        f"Release {release.version}",
        f"What changed in release {release.version}{when}.",
    )
    return GeneratedPage(
        f"{FOLDER}/{release.version}.md",
        _render("release.md.j2", front, view=view),
        f"{DATA_DIR}/{view.path}",
    )


def _upcoming_page(view: EditionView, found: list[Area]) -> GeneratedPage:
    front = _front_matter(
        "Upcoming Release",
        "What is planned for the next releases: features, improvements, fixes, rollout dates "
        "and staged waves.",
    )
    source = f"{DATA_DIR}/{view.planned[0].path}" if view.planned else f"{DATA_DIR}/changes"
    return GeneratedPage(UPCOMING, _render("upcoming.md.j2", front, view=view, areas=found), source)


def _index_page(view: EditionView) -> GeneratedPage:
    front = _front_matter(
        "Release notes",
        "How upgrades are delivered, what is coming next, and the notes of every release, "
        "newest first.",
    )
    return GeneratedPage(INDEX, _render("index.md.j2", front, view=view), f"{DATA_DIR}/releases")


def _areas_page(found: list[Area]) -> GeneratedPage:
    front = _front_matter(
        "Release notes by area",
        "Follow the release notes, a feed and a rollout calendar of the areas you use.",
    )
    return GeneratedPage(AREAS, _render("areas.md.j2", front, areas=found), f"{DATA_DIR}/changes")


def _area_page(data: ReleaseData, area: Area, edition: Edition) -> GeneratedPage:
    # Front matter reaches <title> and the navigation: only the slug (a safe alphabet) goes
    # there, as only versions do on release pages; the name as written is in the body.
    front = _front_matter(
        f"Release notes by area: {area.slug}",
        f"What is coming and what has been released for the area {area.slug}.",
    )
    view = area_view(data, area, edition)
    return GeneratedPage(
        area.page,
        _render("area.md.j2", front, area=area, view=view),
        f"{DATA_DIR}/changes",
    )


def repeats_others(src_uri: str) -> bool:
    """True for the pages by area, whose every word is also on a release or Upcoming page."""
    return src_uri == AREAS or (
        src_uri.startswith(f"{AREAS_FOLDER}/area-") and src_uri.count("/") == 1
    )


def pages(data: ReleaseData, edition: Edition) -> list[GeneratedPage]:
    """The release-notes pages of `edition`: index, Upcoming Release, one per released version.

    Args:
        data: what `kb_builder.families.releases.load` returned.
        edition: "public" leaves every internal change out; "internal" marks them.

    Returns:
        Virtual pages under ``releases/``; each page's `edit_source` is the data file (or, for
        pages made from many files, the folder) a writer edits to change it.
    """
    view = edition_view(data, edition)
    found = areas(data, edition)
    return [
        _index_page(view),
        _upcoming_page(view, found),
        *(_release_page(r) for r in view.released),
        _areas_page(found),
        *(_area_page(data, area, edition) for area in found),
    ]


def assets(
    data: ReleaseData,
    edition: Edition,
    site_url: str | None,
    *,
    now: dt.datetime | None = None,
) -> list[GeneratedAsset]:
    """The Atom feed of released versions and the iCalendar file of rollouts, for `edition`.

    Args:
        data: what `kb_builder.families.releases.load` returned.
        edition: "public" leaves every internal change out; "internal" marks them.
        site_url: the site's address (mkdocs.yml ``site_url``), for absolute links and ids;
            None gives relative links and ``tag:`` ids.
        now: the calendar's DTSTAMP (default: the current time).
    """
    view = edition_view(data, edition)
    return [
        GeneratedAsset(FEED, feed.atom_feed(view, site_url)),
        GeneratedAsset(CALENDAR, ical.rollout_calendar(view, site_url, now=now)),
    ]


def area_assets(
    data: ReleaseData,
    edition: Edition,
    site_url: str | None,
    *,
    now: dt.datetime | None = None,
) -> list[GeneratedAsset]:
    """A feed and a calendar for each area `edition` shows (arguments as for `assets`).

    Published at ``releases/area-<slug>/feed.xml`` and ``.../rollouts.ics``.
    """
    made: list[GeneratedAsset] = []
    # One feed and one calendar per area the edition shows: URLs from the area's slug only,
    # so a subscription keeps working whatever else changes.
    for area in areas(data, edition):
        scoped = area_view(data, area, edition)
        scope = f"area-{area.slug}"
        made.append(
            GeneratedAsset(
                f"{area.folder}/feed.xml",
                feed.atom_feed(
                    scoped,
                    site_url,
                    folder=area.folder,
                    title=f"Release notes: {area.name}",
                    scope=scope,
                ),
            )
        )
        made.append(
            GeneratedAsset(
                f"{area.folder}/rollouts.ics",
                ical.rollout_calendar(
                    scoped,
                    site_url,
                    now=now,
                    name=f"Release rollouts: {area.name}",
                    scope=scope,
                ),
            )
        )
    return made
