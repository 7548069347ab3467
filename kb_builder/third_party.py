"""No request to any other host: resources a page, mkdocs.yml or the theme would load from one.

The README promises that visitors' browsers never contact another host (privacy, locked-down
offices, offline copies). A script, stylesheet, frame, image or media file from another host
breaks that promise the moment a page opens, so each is an error at its ``path:line``, in
strict and non-strict builds alike. Links (``<a href>``) are navigations the visitor chooses,
not requests, and stay allowed; so does a video provider, which loads only on click.

Only code is exempt: fenced code blocks (```` ``` ```` or ``~~~``) and inline code spans, where
a writer shows an embed snippet as text. Indented text is scanned, because an admonition's body
is indented and is rendered, not shown as code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kb_builder.errors import ContentError

# Attributes that make the browser fetch a URL as soon as the element is on the page.
_FETCHING: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "source": ("src", "srcset"),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "body": ("background",),
}
# <link rel=...> kinds that fetch their href (canonical, alternate... are only metadata).
_FETCHING_LINKS = {
    "stylesheet",
    "preload",
    "prefetch",
    "modulepreload",
    "icon",
    "apple-touch-icon",
    "manifest",
    "preconnect",
    "dns-prefetch",
}
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?((?:https?:)?//[^)\s>]+)")
_TAG_START = re.compile(r"<[A-Za-z!?/]")


def is_other_host(url: str) -> bool:
    """True for a URL naming a host: ``https://cdn...``, ``http://...``, ``//cdn...``."""
    url = url.strip().lower()
    return url.startswith(("http://", "https://", "//"))


class _Collector(HTMLParser):
    """Every URL an HTML fragment makes the browser fetch, with its line in the fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []  # (line, what, url)
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name.lower(): value or "" for name, value in attrs}
        names = _FETCHING.get(tag, ())
        if tag == "link":
            rel = set(values.get("rel", "").lower().split())
            names = ("href",) if rel & _FETCHING_LINKS else ()
        for name in names:
            for url in _urls(values.get(name, ""), srcset=name == "srcset"):
                if is_other_host(url):
                    self.found.append((line, f"<{tag} {name}>", url))
        for match in _CSS_URL.finditer(values.get("style", "")):
            self.found.append((line, "a style", match.group(1)))
        self._style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            line = self.getpos()[0]
            for match in _CSS_URL.finditer(data):
                self.found.append(
                    (line + data.count("\n", 0, match.start()), "CSS", match.group(1))
                )


def _urls(value: str, *, srcset: bool) -> list[str]:
    if not srcset:
        return [value]
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def html_requests(html: str) -> list[tuple[int, str, str]]:
    """``(line, what, url)`` for each resource from another host that `html` would load."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.found


def _prose_lines(markdown: str) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of every line outside fenced code, inline code blanked."""
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), 1):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        yield number, _CODE_SPAN.sub(lambda m: " " * len(m.group()), line)


def _message(what: str, url: str) -> str:
    return (
        f"{what} loads {url} from another host, and the help centre makes no request to any "
        "other host (privacy, offline copies); copy the file into the site and use its path, "
        "or link to it with <a href> instead"
    )


def page_errors(body: str, source: str, line_offset: int = 0) -> list[ContentError]:
    """Resources from other hosts in a page's Markdown (raw HTML and images), at their lines.

    Args:
        body: the page's Markdown after its front matter.
        source: the page's file, for messages.
        line_offset: lines before `body` in the file.
    """
    lines = list(_prose_lines(body))
    errors: list[ContentError] = []
    for number, text in lines:
        for match in _MARKDOWN_IMAGE.finditer(text):
            errors.append(
                ContentError(source, number + line_offset, _message("the image", match.group(1)))
            )
    # Raw HTML can span lines: parse the prose as one fragment, keeping line numbers by
    # blanking (not dropping) code lines.
    by_number = dict(lines)
    total = body.count("\n") + 1
    prose = "\n".join(by_number.get(n, "") for n in range(1, total + 1))
    if _TAG_START.search(prose):
        for number, what, url in html_requests(prose):
            errors.append(ContentError(source, number + line_offset, _message(what, url)))
    return sorted(errors, key=lambda e: e.line)


def config_errors(settings: Any) -> list[ContentError]:
    """Scripts, stylesheets, fonts and analytics from other hosts named in mkdocs.yml.

    Args:
        settings: `kb_builder.project.ProjectSettings` (its data and lines).
    """
    source = str(settings.config_file)
    data = settings.data
    errors: list[ContentError] = []
    for key in ("extra_javascript", "extra_css"):
        for i, entry in enumerate(data.get(key) or []):
            url = entry.get("path", "") if isinstance(entry, dict) else str(entry or "")
            if is_other_host(url):
                errors.append(
                    ContentError(
                        source, settings.line_of(key, i), _message(f"'{key}' item {i + 1}", url)
                    )
                )
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    if theme.get("name") == "material" and theme.get("font", True) is not False:
        errors.append(
            ContentError(
                source,
                settings.line_of("theme", "font") if "font" in theme else settings.line_of("theme"),
                "Material loads its fonts from Google Fonts unless 'font: false' is set under "
                "'theme:', and the help centre makes no request to any other host; set "
                "'font: false' (system fonts)",
            )
        )
    for key in ("logo", "favicon"):
        url = theme.get(key)
        if isinstance(url, str) and is_other_host(url):
            errors.append(
                ContentError(
                    source, settings.line_of("theme", key), _message(f"'theme.{key}'", url)
                )
            )
    extra = data.get("extra") if isinstance(data.get("extra"), dict) else {}
    if extra.get("analytics"):
        errors.append(
            ContentError(
                source,
                settings.line_of("extra", "analytics"),
                "'extra.analytics' makes every visitor's browser contact an analytics host, and "
                "the help centre makes no request to any other host; remove it",
            )
        )
    return errors


THEME_SUFFIXES = (".html", ".css", ".js", ".svg")


def theme_errors(custom_dir: str | Path | None) -> list[ContentError]:
    """Resources from other hosts in the theme's overrides (templates, CSS, SVG)."""
    if not custom_dir or not Path(custom_dir).is_dir():
        return []
    errors: list[ContentError] = []
    for path in sorted(Path(custom_dir).rglob("*")):
        if path.suffix not in THEME_SUFFIXES or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # not ours to judge: MkDocs reports unreadable theme files itself
        found: Iterable[tuple[int, str, str]]
        if path.suffix in (".html", ".svg"):
            found = html_requests(_JINJA_COMMENT.sub(_blank, text))
        elif path.suffix == ".css":
            found = [
                (text.count("\n", 0, m.start()) + 1, "CSS", m.group(1))
                for m in _CSS_URL.finditer(text)
            ]
        else:
            found = []
        for line, what, url in found:
            errors.append(ContentError(str(path), line, _message(what, url)))
    return errors


_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)


def _blank(match: re.Match[str]) -> str:
    """A comment's text replaced by its newlines alone, so line numbers stay right."""
    return "\n" * match.group().count("\n")


def generated_page_errors(html: str, data_dir: str | Path) -> list[ContentError]:
    """Resources from other hosts in a page generated from data, at the data file's line.

    The writer never sees the generated Markdown, so each URL is looked up in the YAML files
    under `data_dir` (where a change body or a lesson's text put it) and reported there.

    Args:
        html: the generated page, rendered.
        data_dir: the content folder's ``_data/``.
    """
    found = html_requests(html)
    if not found:
        return []
    files = sorted(p for p in Path(data_dir).rglob("*") if p.suffix in (".yml", ".yaml"))
    texts: dict[Path, str] = {}
    for path in files:
        try:
            texts[path] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    errors: list[ContentError] = []
    for _, what, url in found:
        where = next(((p, t.index(url)) for p, t in texts.items() if url in t), None)
        if where is None:
            errors.append(ContentError(str(data_dir), 0, _message(what, url)))
        else:
            path, position = where
            line = texts[path].count("\n", 0, position) + 1
            errors.append(ContentError(str(path), line, _message(what, url)))
    return errors
