"""Video and webinar pages: a player that makes no request to another host until play.

A page with ``type: video`` names its recording in front matter::

    video:
      src: https://www.youtube.com/watch?v=XXXXXXXXXXX   # or vimeo.com/ID, or media/file.webm
      duration: "24:10"
      captions: media/file.vtt          # optional, for files

Embedded players (YouTube, Vimeo) are a button until the visitor clicks it: only then does the
script load the provider's iframe (YouTube through its no-cookie domain, Vimeo with dnt=1). A
file of the site plays in a native ``<video preload="none">``. Every video page carries a
``## Transcript`` section: for people who cannot play or hear the video, and for search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from kb_builder.core.text import html as html_text

VIDEO_FILE_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg"}
_YOUTUBE = re.compile(
    r"^https://(?:www\.|m\.)?(?:youtube\.com/watch\?(?:.*&)?v=|youtu\.be/|youtube\.com/embed/)"
    r"(?P<id>[\w-]{11})"
)
_VIMEO = re.compile(r"^https://(?:www\.|player\.)?vimeo\.com/(?:video/)?(?P<id>\d+)")
_md = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Embed:
    """A provider's player, loaded only on click."""

    provider: str
    host: str
    embed_url: str
    watch_url: str


def embed_for(src: str) -> Embed | None:
    """The embedded player for a provider URL, or None when `src` is not one we know."""
    if match := _YOUTUBE.match(src):
        vid = match["id"]
        return Embed(
            "YouTube",
            "www.youtube-nocookie.com",
            f"https://www.youtube-nocookie.com/embed/{vid}?autoplay=1&rel=0",
            f"https://www.youtube.com/watch?v={vid}",
        )
    if match := _VIMEO.match(src):
        vid = match["id"]
        return Embed(
            "Vimeo",
            "player.vimeo.com",
            f"https://player.vimeo.com/video/{vid}?autoplay=1&dnt=1",
            f"https://vimeo.com/{vid}",
        )
    return None


def is_file(src: str) -> bool:
    """True when `src` names a video file of the site (a path, not a URL)."""
    return "://" not in src and any(src.lower().endswith(ext) for ext in VIDEO_FILE_TYPES)


def has_transcript(body: str) -> bool:
    """True when the page has a ``## Transcript`` heading (any level 2-3, case-insensitive)."""
    tokens = _md.parse(body)
    for i, token in enumerate(tokens):
        heading = token.type == "heading_open" and token.tag in {"h2", "h3"}
        if heading and tokens[i + 1].content.strip().lower().startswith("transcript"):
            return True
    return False


def _e(text: str) -> str:
    return str(html_text(text))


def player_html(
    title: str,
    duration: str,
    *,
    embed: Embed | None = None,
    file_url: str | None = None,
    captions_url: str | None = None,
    poster_url: str | None = None,
) -> str:
    """The player block inserted under the page title (HTML; every value escaped)."""
    label = f"{duration} min" if duration.isdigit() else duration
    if embed is not None:
        return (
            f'<figure class="kb-video kb-video--embed" data-kb-embed="{_e(embed.embed_url)}" '
            f'data-kb-title="{_e(title)}">\n'
            f'<button type="button" class="kb-video__play" hidden>'
            f'<span class="kb-video__play-label">Play the video ({_e(label)})</span>'
            f'<span class="kb-video__notice">Playing loads {_e(embed.provider)}\'s player from '
            f"{_e(embed.host)}</span></button>\n"
            f'<figcaption>Duration {_e(label)} · <a href="{_e(embed.watch_url)}">Watch on '
            f'{_e(embed.provider)}</a> · <a href="#transcript">Read the transcript</a>'
            "</figcaption>\n</figure>\n"
        )
    mime = VIDEO_FILE_TYPES[next(e for e in VIDEO_FILE_TYPES if str(file_url).lower().endswith(e))]
    poster = f' poster="{_e(poster_url)}"' if poster_url else ""
    track = (
        f'<track kind="captions" src="{_e(captions_url)}" srclang="en" label="English" default>'
        if captions_url
        else ""
    )
    return (
        f'<figure class="kb-video kb-video--file">\n'
        f'<video controls preload="none" playsinline{poster} aria-label="{_e(title)}">'
        f'<source src="{_e(str(file_url))}" type="{mime}">{track}'
        f'<a href="{_e(str(file_url))}">Download the video</a></video>\n'
        f'<figcaption>Duration {_e(label)} · <a href="{_e(str(file_url))}" download>Download</a>'
        f' · <a href="#transcript">Read the transcript</a></figcaption>\n</figure>\n'
    )


def insert_after_title(body: str, block: str) -> str:
    """Put `block` right after the page's ``#`` title (or first, when there is none)."""
    lines = body.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "".join(lines[: i + 1]) + "\n" + block + "\n" + "".join(lines[i + 1 :])
    return block + "\n" + body
