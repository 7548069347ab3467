"""What a content family generates: pages and files that writers never hand-edit.

Each data family (releases, support facts, training, ...) provides a module with the same
shape, so the engine adapter can treat them alike:

- ``check(data_dir) -> list[ContentError]``: every problem in the family's files.
- ``load(data_dir) -> Model``: the validated model; raises the first `ContentError`.
- ``pages(model, edition) -> list[GeneratedPage]``: Markdown pages (virtual; never written into
  content/).
- ``assets(model, edition, site_url) -> list[GeneratedAsset]``: other published files (feeds,
  calendars).

`edition` is ``"public"`` or ``"internal"``: a generator leaves out of the public edition every
item whose audience is internal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GeneratedPage:
    """A Markdown page made from data.

    Attributes:
        src_uri: where it pretends to live in the content directory, e.g. ``releases/upcoming.md``.
        markdown: the whole page, front matter included.
        edit_source: the data file (relative to the content directory) a writer edits to change
            it; the page's edit link points there.
    """

    src_uri: str
    markdown: str
    edit_source: str


@dataclass(frozen=True)
class GeneratedAsset:
    """A non-Markdown file published with the site (Atom feed, iCalendar file, JSON data)."""

    dest_uri: str
    content: bytes
