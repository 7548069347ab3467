"""Where generated pages end up, and links rewritten for files read outside the site (feeds).

Pages are published with directory URLs (MkDocs' default, ``use_directory_urls: true``):
``releases/2026.11.md`` is served at ``releases/2026.11/``.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from kb_builder.pages.audience import link_target


def page_path(src_uri: str) -> str:
    """The URL path of a page: ``releases/2026.11.md`` -> ``releases/2026.11/``."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return stem + "/"


def absolute(site_url: str, path: str) -> str:
    """`path` (from the site's root) under `site_url`."""
    return site_url.rstrip("/") + "/" + path


def relative(path: str, folder: str) -> str:
    """`path` (from the site's root) as a link from a file in `folder`."""
    rel = posixpath.relpath(path or ".", folder)
    return rel.rstrip("/") + "/" if path.endswith("/") or not path else rel


def published_link(href: str, page_src: str, site_url: str | None, folder: str) -> str:
    """A link written in `page_src` (``../wiki/permits.md#x``) as a feed in `folder` needs it.

    Links to other pages become their published URLs: absolute under `site_url`, else relative
    to `folder`. External links, anchors alone and links out of the site are kept as written.
    """
    parts = urlsplit(href)
    target = link_target(page_src, href)
    if target is None or target.startswith("../") or not parts.path:
        return href
    path = page_path(target) if target.endswith(".md") else target
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return (absolute(site_url, path) if site_url else relative(path, folder)) + fragment
