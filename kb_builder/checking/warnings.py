"""MkDocs' own validation (links, anchors, nav), located in the files writers edit.

MkDocs checks links, anchors and the nav while it builds, and reports what it finds as log
warnings that name a page but no line (strict mode then refuses the build). `kb check` and
`kb build` both run those checks through the engine and pass every warning to `Locator`, which
turns it into a `ContentError` at the writer's own file and line: the line of the link in a
Markdown page, the line of the value in the data file that a generated page came from, or
the line of the entry in mkdocs.yml. A warning of a kind this module does not know is kept
too, whole, at the file it names (else mkdocs.yml), so nothing the build refuses is lost.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from kb_builder.checking import source_lines
from kb_builder.core.errors import ContentError
from kb_builder.core.yamlio import split_front_matter
from kb_builder.pages import audience

_DOC_LINK = re.compile(
    r"^Doc file '(?P<page>.+?)' contains (?:a|an (?P<kind>absolute|unrecognized relative)) "
    r"link '(?P<href>.*?)', (?P<rest>(?:but|it was left as is).*)$",
    re.S,
)
_MISSING_TARGET = re.compile(r"^but the target(?: '(?P<target>.*?)')? is not found")
_MISSING_ANCHOR = re.compile(
    r"^but the doc '(?P<doc>.*?)' does not contain an anchor '#(?P<a>.*)'\."
)
_SAME_PAGE_ANCHOR = re.compile(r"^but there is no such anchor on this page\.")
_SUGGESTION = re.compile(r"Did you mean '(?P<url>.*?)'\?")
_NAV_ENTRY = re.compile(
    r"^(?:A reference to|An absolute path to) '(?P<entry>.*?)' is included in the 'nav' "
    r"configuration"
)
_NOT_IN_NAV = re.compile(r"^The following pages exist in the docs directory, but are not included")
_CONFLICT = re.compile(
    r"^Excluding '(?P<left>.+?)' from the site because it conflicts with '(?P<kept>.+?)'\.$"
)
_NAMED_FILE = re.compile(r"'(?P<uri>[^'\s]+\.md)'")


@dataclass(frozen=True)
class GeneratedSource:
    """A page made from data: its Markdown and the data file (or folder) it comes from."""

    markdown: str
    edit_source: str


@dataclass
class Locator:
    """Turns MkDocs' warnings into `ContentError`s at the writer's file and line.

    Attributes:
        content_dir: the content folder (MkDocs' docs_dir).
        config_file: the project's mkdocs.yml.
        generated: the pages made from data, by their path in the content folder.
    """

    content_dir: Path
    config_file: Path
    generated: Mapping[str, GeneratedSource] = field(default_factory=dict)
    # MkDocs reports every occurrence of a broken link: the nth warning is the nth link.
    _seen: Counter = field(default_factory=Counter)

    def locate(self, message: str) -> list[ContentError]:
        """The problems one MkDocs warning reports, each at its source line."""
        match = _DOC_LINK.match(message)
        if match:
            return [self._link(match)]
        if _NAV_ENTRY.match(message):
            entry = _NAV_ENTRY.match(message).group("entry")  # type: ignore[union-attr]
            return [
                ContentError(
                    str(self.config_file),
                    self._config_line(entry),
                    f"the nav names '{entry}', but the content folder has no such page; "
                    "correct the path (relative to the content folder) or remove the entry",
                )
            ]
        if _NOT_IN_NAV.match(message):
            uris = [line.strip()[2:] for line in message.splitlines()[1:] if line.strip()]
            return [self._not_in_nav(uri) for uri in uris]
        if conflict := _CONFLICT.match(message):
            return [
                ContentError(
                    str(self.content_dir / conflict["left"]),
                    1,
                    f"is left out of the site: it would be published at the same address as "
                    f"{conflict['kept']}; keep one of them",
                )
            ]
        named = _NAMED_FILE.search(message)
        if named and (self.content_dir / named.group("uri")).is_file():
            return [ContentError(str(self.content_dir / named.group("uri")), 1, message)]
        if named and named.group("uri") in self.generated:
            source = self.generated[named.group("uri")]
            where = source_lines.locate(self.content_dir, source.edit_source, source.markdown, 1)
            return [ContentError(where.path, where.line, message)]
        return [ContentError(str(self.config_file), 1, message)]

    def _not_in_nav(self, uri: str) -> ContentError:
        message = (
            f"the page is not in the nav of {self.config_file.name}; add '{uri}' under nav: so "
            "readers can reach it"
        )
        if uri in self.generated:  # a page made from data: the writer edits the data file
            source = self.generated[uri]
            where = source_lines.locate(self.content_dir, source.edit_source, source.markdown, 1)
            return ContentError(where.path, where.line, f"{message} (generated {uri})")
        return ContentError(str(self.content_dir / uri), 1, message)

    def _link(self, match: re.Match[str]) -> ContentError:
        page, href, kind, rest = match["page"], match["href"], match["kind"], match["rest"]
        suggestion = _SUGGESTION.search(rest)
        hint = f"; did you mean '{suggestion['url']}'?" if suggestion else ""
        if kind == "absolute":
            message = (
                f"links to '{href}', an absolute path, which breaks wherever the site is not at "
                f"the root of its host; write the path relative to this page{hint or ''}"
            )
        elif kind:
            message = (
                f"links to '{href}', which names no page (a folder, or a path without '.md'); "
                f"link to the page's .md file{hint}"
            )
        elif anchor := _MISSING_ANCHOR.match(rest):
            message = (
                f"links to '{href}', but {anchor['doc']} has no anchor '#{anchor['a']}'; link to "
                "a heading's anchor there, or to the page alone"
            )
        elif _SAME_PAGE_ANCHOR.match(rest):
            message = (
                f"links to '{href}', but this page has no anchor "
                f"'#{href.partition('#')[2]}'; link to one of its headings' anchors"
            )
        elif target := _MISSING_TARGET.match(rest):
            missing = target["target"] or href.partition("#")[0]
            what = "page" if missing.endswith(".md") else "file"
            message = (
                f"links to '{href}', but there is no {what} {missing} in the content folder; "
                f"link to an existing {what} (paths are relative to this page){hint}"
            )
        else:
            message = f"links to '{href}': {rest}"
        return self._at_link(page, href, message)

    def _at_link(self, page: str, href: str, message: str) -> ContentError:
        """`message` at the link's line: in the page, or in the data a generated page came from."""
        key = (page, href)
        occurrence = self._seen[key]
        self._seen[key] += 1
        if page in self.generated:
            source = self.generated[page]
            line = _link_line(source.markdown, href, occurrence)
            where = source_lines.locate(
                self.content_dir,
                source.edit_source,
                source.markdown,
                line,
                source_lines.link_needles(page, href),
            )
            if where.matched and where.matched != href and not where.matched.startswith("#"):
                # Say it as the writer wrote it: data paths are from the content folder.
                message = message.replace(f"'{href}'", f"'{where.matched}'", 1)
            return ContentError(where.path, where.line, f"{message} (in the generated {page})")
        path = self.content_dir / page
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ContentError(str(path), 1, message)
        return ContentError(str(path), _link_line(text, href, occurrence), message)

    def _config_line(self, text: str) -> int:
        try:
            lines = self.config_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return 1
        return next((n for n, line in enumerate(lines, start=1) if text in line), 1)


def _link_line(text: str, href: str, occurrence: int = 0) -> int:
    """The 1-based line of the `occurrence`-th link to `href` in a Markdown file."""
    try:
        front = split_front_matter(text, "")
        body, offset = front.body, front.body_offset
    except ContentError:
        body, offset = text, 0
    wanted = unquote(href)
    found = [
        offset + link.line + 1 for link in audience.links(body) if unquote(link.href) == wanted
    ]
    if found:
        return found[min(occurrence, len(found) - 1)]
    # Links markdown-it does not see as links (inside raw HTML with markdown="1"): the text.
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if href in line]
    return lines[min(occurrence, len(lines) - 1)] if lines else 1


_CONFIG_VALUE = re.compile(r"^Config value '(?P<key>[^']+)': (?P<problem>.*)$", re.S)


def config_warning(message: str, config_file: Path) -> ContentError:
    """A warning MkDocs gives about mkdocs.yml (an unknown setting), at the setting's line."""
    match = _CONFIG_VALUE.match(message)
    if not match:
        return ContentError(str(config_file), 1, message)
    key = match["key"].split(".")[-1]
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    setting = re.compile(rf"^\s*(?:-\s+)?{re.escape(key)}\s*:")
    line = next((n for n, text in enumerate(lines, start=1) if setting.match(text)), 1)
    return ContentError(
        str(config_file),
        line,
        f"'{match['key']}': {match['problem']} (strict mode refuses it; correct or remove it)",
    )
