"""Video pages: what a writer may give, the player HTML, and the errors at their lines."""

import pytest

from kb_builder.pages.page import analyse
from kb_builder.pages.video import embed_for, is_file, player_html
from tests.helpers.sitecheck import parse

TRANSCRIPT = "# Webinar\n\nAbout it.\n\n## Transcript\n\nHello.\n"


@pytest.mark.parametrize(
    ("src", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1"),
        ("https://example.com/video.mp4", None),
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", None),  # never plain http
    ],
)
def test_providers(src, embed):
    found = embed_for(src)
    assert (found.embed_url if found else None) == embed


def test_files():
    assert is_file("media/a.webm") and is_file("a.MP4") and not is_file("https://x/a.mp4")


def test_player_html_escapes_and_loads_nothing():
    html = player_html('A "quoted" <title>', "24", embed=embed_for("https://vimeo.com/1"))
    assert "<title>" not in html and "&lt;title&gt;" in html
    assert "<iframe" not in html and "src=" not in html  # nothing to fetch before the click
    assert "Duration 24 min" in html


def errors(front: str, body: str = TRANSCRIPT) -> list[str]:
    return [str(e) for e in analyse(f"---\n{front}---\n{body}", "content/v.md").errors]


@pytest.mark.parametrize(
    ("front", "body", "expected"),
    [
        (
            "type: video\n",
            TRANSCRIPT,
            "content/v.md:2: a video page needs a 'video' mapping with 'src' (a YouTube or Vimeo "
            "URL, or a video file such as media/intro.webm) and 'duration'",
        ),
        (
            "type: video\nvideo:\n  src: https://example.com/v\n  duration: '3:10'\n",
            TRANSCRIPT,
            "content/v.md:4: 'video.src' is 'https://example.com/v', which this site cannot play "
            "without a third-party script; use a https://www.youtube.com/watch?v=... or "
            "https://vimeo.com/... URL, or a .mp4/.webm/.ogv file of the site",
        ),
        (
            "type: video\nvideo:\n  src: a.webm\n  duration: '3:10'\n",
            "# W\n\nNo transcript.\n",
            "content/v.md:3: a video page needs a '## Transcript' section: for people who cannot "
            "play or hear the video, and for search",
        ),
        (
            "type: video\nvideo:\n  src: a.webm\n  duration: 3 minutes\n",
            TRANSCRIPT,
            "content/v.md:5: 'video.duration' is '3 minutes', which is not valid; use minutes "
            "('24') or minutes and seconds ('24:10', '1:02:30')",
        ),
        (
            "video:\n  src: a.webm\n  duration: '3'\n",
            TRANSCRIPT,
            "content/v.md:2: 'video' is only for pages with 'type: video'",
        ),
    ],
)
def test_video_page_errors(front, body, expected):
    assert errors(front, body) == [expected]


def test_valid_video_page():
    assert (
        errors("type: video\nvideo:\n  src: https://youtu.be/dQw4w9WgXcQ\n  duration: '12:30'\n")
        == []
    )


def test_missing_video_file_is_an_error_at_its_line(build_site):
    page = (
        "---\ntype: video\nvideo:\n  src: media/missing.webm\n  duration: '3'\n---\n" + TRANSCRIPT
    )
    result, _ = build_site({"index.md": "# Home\n", "w.md": page})
    assert result.exit_code == 1
    assert (
        "content/w.md:4: 'video.src' is 'media/missing.webm', but there is no such file next to "
        "the page (looked for media/missing.webm); paths are relative to the page"
    ) in result.output


def test_demo_webinars_play_from_the_site_with_captions(demo_site):
    page = parse(demo_site / "wiki" / "videos" / "getting-started-webinar" / "index.html")
    video = page.css_first("figure.kb-video video")
    assert video.attributes["preload"] == "none"
    source = video.css_first("source").attributes["src"]
    track = video.css_first("track[kind=captions]").attributes["src"]
    base = demo_site / "wiki" / "videos" / "getting-started-webinar"
    assert (base / source).resolve().stat().st_size > 100_000
    assert (base / track).resolve().read_text().startswith("WEBVTT")
    assert page.css_first("h2#transcript") is not None
