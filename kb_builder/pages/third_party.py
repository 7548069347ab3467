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
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kb_builder.core import markdown as page_markdown
from kb_builder.core.errors import ContentError
from kb_builder.core.text import browser_url, url_scheme

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
    # <image> is <img> to an HTML parser, and an SVG image (href) inside <svg>.
    "image": ("src", "srcset", "href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    # A link's ping is a request the browser sends in the background when it is followed.
    "a": ("ping",),
    "area": ("ping",),
}
# Attributes that fetch on any element: legacy backgrounds (body, table, td...), and the
# image attributes a browser reads wherever an attribute list puts them.
_FETCHING_ANYWHERE = ("background", "lowsrc", "dynsrc")
# What an attribute list may set on the image or link it follows: the image's own addresses.
_ATTR_LIST_FETCHING = ("src", "srcset", "poster", "data", "background")
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
# Schemes whose addresses name a host (the WHATWG "special" schemes other than file:).
_HOST_SCHEMES = ("http:", "https:", "ws:", "wss:", "ftp:")


def is_other_host(url: str) -> bool:
    """True for a URL naming a host: ``https://cdn...``, ``http://...``, ``//cdn...``.

    The URL is read as a browser reads it (`kb_builder.core.text.browser_url`), so that
    ``\\\\cdn.example/x``, ``https:/\\cdn.example/x``, ``ht<TAB>tps://``, a leading control
    character or ``HtTpS:`` are hosts too. ``https:x`` without slashes counts as well: on a page
    of the other scheme it names the host ``x``.
    """
    url = browser_url(url).lower()
    return url.startswith("//") or url.startswith(_HOST_SCHEMES)


def _css_requests(css: str) -> list[str]:
    """The addresses on other hosts that a piece of CSS loads (url(), @import, image-set())."""
    return [url for url in page_markdown.css_urls(css) if is_other_host(url)]


class _Collector(HTMLParser):
    """Every URL an HTML fragment makes the browser fetch, with its line in the fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []  # (line, what, url)
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name.lower(): value or "" for name, value in attrs}
        self.found += [(line, what, url) for what, url in _tag_requests(tag, values)]
        self._style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            line = self.getpos()[0]
            self.found += [(line + _line_in(data, url), "CSS", url) for url in _css_requests(data)]


def _line_in(text: str, url: str) -> int:
    """Lines before `url` in `text` (0 if it is only there escaped)."""
    return text.count("\n", 0, max(text.find(url), 0))


def _tag_requests(tag: str, values: dict[str, str]) -> list[tuple[str, str]]:
    """``(what, url)`` for each address on another host that one start tag loads."""
    names = _FETCHING.get(tag, ()) + _FETCHING_ANYWHERE
    if tag == "link":
        rel = set(values.get("rel", "").lower().split())
        names += ("href", "imagesrcset") if rel & _FETCHING_LINKS else ()
    found = []
    for name in names:
        for url in _urls(values.get(name, ""), srcset=name.endswith("srcset")):
            if is_other_host(url):
                found.append((f"<{tag} {name}>", url))
    found += [("a style", url) for url in _css_requests(values.get("style", ""))]
    return found


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


def _message(what: str, url: str) -> str:
    # The address as the browser reads it: '\\\\cdn/x' is shown as the '//cdn/x' it means.
    return (
        f"{what} loads {browser_url(url)} from another host, and the help centre makes no "
        "request to any other host (privacy, offline copies); copy the file into the site and "
        "use its path, or link to it with <a href> instead"
    )


def page_errors(body: str, source: str, line_offset: int = 0) -> list[ContentError]:
    """Resources from other hosts in a page's Markdown, at their lines.

    Markdown images (inline and by reference), what an attribute list sets (an image's
    ``src``, a ``style`` with ``url()``), and raw HTML as `kb_builder.core.markdown` reads it
    for the page rules (the same tags, the same attribute values), ``<style>`` elements
    included. Code is exempt.

    Args:
        body: the page's Markdown after its front matter.
        source: the page's file, for messages.
        line_offset: lines before `body` in the file.
    """
    text = page_markdown.prose(body)
    found: list[tuple[int, str, str]] = []
    found += [
        (line, "the image", url)
        for line, url in page_markdown.image_candidates(text)
        if is_other_host(url)
    ]
    for line, name, value in page_markdown.attr_list_attributes(text):
        if name == "style":
            found += [(line, "the attribute list's style", url) for url in _css_requests(value)]
        elif name in _ATTR_LIST_FETCHING:
            for url in _urls(value, srcset=name == "srcset"):
                if is_other_host(url):
                    found.append((line, f"the attribute list's '{name}'", url))
    for tag in page_markdown.raw_html_tags(text):
        found += [(tag.line, what, url) for what, url in _tag_requests(tag.name, tag.attributes)]
    for line, css in page_markdown.style_elements(text):
        found += [(line + _line_in(css, url), "CSS", url) for url in _css_requests(css)]
    unique = dict.fromkeys((line, url, what) for line, what, url in found)
    seen: set[tuple[int, str]] = set()
    errors = []
    for line, url, what in unique:
        # The readings overlap (markdown-it and the patterns): one error per address and line.
        if (line, url) not in seen:
            seen.add((line, url))
            errors.append(ContentError(source, line + 1 + line_offset, _message(what, url)))
    return sorted(errors, key=lambda e: e.line)


def config_errors(settings: Any) -> list[ContentError]:
    """Scripts, stylesheets, fonts and analytics from other hosts named in mkdocs.yml.

    And the search API's address and timeout (`search_api_errors`): the one request to
    another host a site may make, when its owner configures it.

    Args:
        settings: `kb_builder.core.project.ProjectSettings` (its data and lines).
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
    errors += search_api_errors(settings)
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


# The search box's timeout for the API (ms): long enough for a nearby server, short enough
# that the static index answers a key press without a visible wait (the page waits 4 times).
SEARCH_API_TIMEOUT_MS = (10, 10_000)


def search_api_errors(settings: Any) -> list[ContentError]:
    """`extra.kb_search_api` and `extra.kb_search_api_timeout_ms`, checked at their lines.

    The address the browser search asks first (printed into every page's ``data-kb-api``)
    must be http:, https: or a path on the site: anything else (``javascript:``, ``data:``)
    would be fetched or followed by visitors' browsers. It may be on another host: that is a
    deliberate choice of the site's owner, who runs the API (README, "no request to any other
    host"). The timeout is a whole number of milliseconds in `SEARCH_API_TIMEOUT_MS`.
    """
    source = str(settings.config_file)
    extra = settings.data.get("extra")
    if not isinstance(extra, dict):
        return []
    errors: list[ContentError] = []
    if "kb_search_api" in extra:
        api = extra["kb_search_api"]
        scheme = url_scheme(api) if isinstance(api, str) and api.strip() else "?"
        if scheme not in (None, "http", "https"):
            shown = " ".join(str(api).split())[:60]
            errors.append(
                ContentError(
                    source,
                    settings.line_of("extra", "kb_search_api"),
                    f"'extra.kb_search_api' is '{shown}', but the search API must be an "
                    "http: or https: address (https://help.example.com/api/search) or a path "
                    "on the site (/api/search)",
                )
            )
    if "kb_search_api_timeout_ms" in extra:
        timeout = extra["kb_search_api_timeout_ms"]
        low, high = SEARCH_API_TIMEOUT_MS
        # bool is an int in Python: 'yes' is not a number of milliseconds.
        if isinstance(timeout, bool) or not isinstance(timeout, int) or not low <= timeout <= high:
            errors.append(
                ContentError(
                    source,
                    settings.line_of("extra", "kb_search_api_timeout_ms"),
                    f"'extra.kb_search_api_timeout_ms' is {timeout!r}, but it must be a whole "
                    f"number of milliseconds from {low} to {high:,} (250 unless set)",
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
            found = [(1 + _line_in(text, url), "CSS", url) for url in _css_requests(text)]
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
