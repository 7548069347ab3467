"""Fixes to Material's own markup that block overrides cannot reach.

Material renders the search dialog in a partial (partials/search.html) that no template block
exposes; copying the partial would freeze it at one Material version. Each fix here is a small,
exact edit of the finished HTML, named after the defect it cures, and a test (axe-core in real
Chromium, the Nu HTML checker) fails if Material changes and a fix stops applying.
"""

from __future__ import annotations

import re

# axe-core "aria-dialog-name" (serious): the search dialog has role="dialog" and no name.
_SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")(>)')


def name_search_dialog(html: str) -> str:
    """Give Material's search dialog an accessible name."""
    return _SEARCH_DIALOG.sub(r'\1 aria-label="Search this help centre"\2', html, count=1)


# Nu HTML checker: Material writes tabindex="" on navigation labels; an empty tabindex is not an
# integer (invalid HTML) and browsers ignore it, so removing it changes nothing else.
_EMPTY_TABINDEX = re.compile(r'(<label\b[^>]*?) tabindex=""')


def drop_empty_tabindex(html: str) -> str:
    """Remove the invalid, ignored ``tabindex=""`` from Material's navigation labels."""
    return _EMPTY_TABINDEX.sub(r"\1", html)


# Nu HTML checker: on a section's index page (navigation.indexes) Material's sidebar renders no
# __toc toggle, yet the table of contents' title is still <label for="__toc">, naming no control.
# The label toggles nothing there on any screen, so without `for` it is the plain title it looks.
_ORPHAN_TOC_LABEL = re.compile(r'(<label class="md-nav__title") for="__toc"(>)')


def drop_orphan_toc_label(html: str) -> str:
    """Unlink the table of contents' title from a __toc toggle the page does not have."""
    if 'id="__toc"' in html:
        return html
    return _ORPHAN_TOC_LABEL.sub(r"\1\2", html)


FIXES = (name_search_dialog, drop_empty_tabindex, drop_orphan_toc_label)


def fix(html: str) -> str:
    """Apply every fix to a rendered page."""
    for apply in FIXES:
        html = apply(html)
    return html
