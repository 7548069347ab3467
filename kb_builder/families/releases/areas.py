"""Release notes by area: what a client who uses only some modules follows.

An area is a name a change lists under ``modules:`` (Permits, Mobile app, ...). Each area has
a page, an Atom feed and a rollout calendar at stable URLs from its name's slug
(``releases/area-<slug>/``, ``.../feed.xml``, ``.../rollouts.ics``): static files, so the
filter works without scripts and in feed readers and calendar apps. The pages stand in
``releases/`` beside the release pages, so the relative links writers put in change bodies
(``../wiki/x.md``) mean the same on every page that shows the change.

Areas are found in the edition's view of the changes, never in the data directly: in the public
edition an area named only by internal changes does not exist, so neither its name nor its URL
can reveal them.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass

from kb_builder.core.editions import Edition
from kb_builder.core.slugs import slugify
from kb_builder.families.releases.data import ReleaseData
from kb_builder.families.releases.edit import file_slug
from kb_builder.families.releases.view import EditionView, edition_view, shown

FOLDER = "releases"


@dataclass(frozen=True)
class Area:
    """One area as published: its name as written and the slug of its URLs.

    Attributes:
        name: the first spelling (in name order) of the names that share the slug.
        slug: ASCII, lower case, hyphens: the page ``releases/area-<slug>.md``.
    """

    name: str
    slug: str

    @property
    def page(self) -> str:
        """Its page's source path: ``releases/area-<slug>.md``."""
        return f"{FOLDER}/area-{self.slug}.md"

    @property
    def folder(self) -> str:
        """Where its feed and calendar are published: the folder of its page's URL."""
        return f"{FOLDER}/area-{self.slug}"


def slug(name: str) -> str:
    """The URL slug of an area name (the rule of change file names), "area" if it has none."""
    return file_slug(name) if slugify(name) else "area"


def areas(data: ReleaseData, edition: Edition) -> list[Area]:
    """The areas the changes `edition` shows name, sorted by name.

    Names that differ only in case or punctuation ("Mobile app", "Mobile App") share a slug
    and are one area: a client follows one URL for it.
    """
    counts = Counter(m for c in data.changes if shown(c.change, edition) for m in c.change.modules)
    # The spelling most changes use names the area (ties: alphabetical), so one odd spelling
    # does not rename a page clients know.
    names = sorted(counts, key=lambda n: (-counts[n], n.casefold(), n))
    found: dict[str, Area] = {}
    for name in names:
        found.setdefault(slug(name), Area(name, slug(name)))
    return sorted(found.values(), key=lambda a: (a.name.casefold(), a.name))


def area_view(data: ReleaseData, area: Area, edition: Edition) -> EditionView:
    """What `edition` shows of the release notes for `area` alone.

    The changes of other areas are left out before grouping; releases with nothing for the
    area are left out, so the page, feed and calendar speak only of the area's releases.
    Waiting changes stay with the soonest planned release, as on the Upcoming Release page.
    """
    changes = tuple(c for c in data.changes if any(slug(m) == area.slug for m in c.change.modules))
    view = edition_view(dataclasses.replace(data, changes=changes), edition)
    return dataclasses.replace(
        view,
        released=[r for r in view.released if r.sections],
        planned=[r for r in view.planned if r.sections],
    )
