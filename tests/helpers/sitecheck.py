"""Reading a built site back: pages, ids, links. Used by the tests (not by the build)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser


def parse(path: Path) -> LexborHTMLParser:
    return LexborHTMLParser(path.read_text(encoding="utf-8"))


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not p.name.startswith("."))


def jsonld(path: Path) -> list[dict]:
    """Every JSON-LD block of a page, parsed."""
    return [json.loads(s.text()) for s in parse(path).css('script[type="application/ld+json"]')]


@dataclass(frozen=True)
class BrokenLink:
    page: str
    href: str
    reason: str


def _resolve(site: Path, page: Path, path: str) -> Path | None:
    """The file a link's path points at (a folder means its index.html), or None."""
    base = site if path.startswith("/") else page.parent
    target = (base / unquote(path).lstrip("/")).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def broken_links(site: Path) -> list[BrokenLink]:
    """Every internal link whose page or anchor does not exist in `site`."""
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            tree = parse(path)
            ids[path] = {n.attributes["id"] for n in tree.css("[id]")} | {
                n.attributes["name"] for n in tree.css("a[name]")
            }
        return ids[path]

    broken: list[BrokenLink] = []
    for page in html_files(site):
        rel = page.relative_to(site).as_posix()
        for a in parse(page).css("a[href]"):
            href = a.attributes["href"] or ""
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("mailto:"):
                continue
            target = page if not parts.path else _resolve(site, page, parts.path)
            if target is None:
                broken.append(BrokenLink(rel, href, "no such page"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in ids_of(target):
                broken.append(BrokenLink(rel, href, "no such anchor"))
    return broken
