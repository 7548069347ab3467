"""Video pages in a real Chromium: no request to another host until the visitor clicks play."""

from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT
from tests.helpers.browser import serve_directory

pytestmark = pytest.mark.browser

YOUTUBE_PAGE = """\
---
type: video
video:
  src: https://www.youtube.com/watch?v=dQw4w9WgXcQ
  duration: "12:30"
---
# Webinar

About the webinar.

## Transcript

Hello and welcome.
"""


def test_embedded_player_waits_for_the_click(build_site, page):
    result, site = build_site({"index.md": "# Home\n", "webinar.md": YOUTUBE_PAGE}, None)
    assert result.exit_code == 0, result
    # The minimal test config has no extra_javascript: load the theme's script explicitly.
    (site / "video.js").write_text((ROOT / "theme/assets/javascripts/video.js").read_text())
    html = site / "webinar" / "index.html"
    html.write_text(
        html.read_text().replace("</body>", '<script src="../video.js"></script></body>')
    )

    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>player</p>"),
    )
    with serve_directory(site) as url:
        page.goto(url + "webinar/")
        page.wait_for_load_state("networkidle")
        assert set(hosts) == {"127.0.0.1"}, hosts
        button = page.locator(".kb-video__play")
        assert button.is_visible()
        assert "Playing loads YouTube's player from www.youtube-nocookie.com" in button.inner_text()
        button.click()
        frame = page.locator("iframe.kb-video__frame")
        frame.wait_for()
        assert frame.get_attribute("src").startswith(
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        )
        page.wait_for_load_state("networkidle")
        assert "www.youtube-nocookie.com" in hosts


def test_demo_webinar_plays_from_the_site(page, demo_url):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_url + "wiki/videos/release-preview-webinar/")
    page.wait_for_load_state("networkidle")
    assert not any(u.endswith(".webm") for u in requested)  # preload="none": nothing before play
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in requested)
    played = page.evaluate(
        """async () => {
            const v = document.querySelector('figure.kb-video video');
            v.muted = true;
            await v.play();
            await new Promise(r => setTimeout(r, 1200));
            return {time: v.currentTime, duration: v.duration, tracks: v.textTracks.length};
        }"""
    )
    assert played["time"] > 0.3 and 140 < played["duration"] < 150
    assert played["tracks"] == 1
    assert any(u.endswith(".webm") for u in requested)


def test_without_scripts_the_watch_link_remains(chromium, build_site):
    result, site = build_site({"index.md": "# Home\n", "webinar.md": YOUTUBE_PAGE}, None)
    assert result.exit_code == 0, result
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    with serve_directory(site) as url:
        page.goto(url + "webinar/")
        assert not page.locator(".kb-video__play").is_visible()
        link = page.locator("figure.kb-video figcaption a", has_text="Watch on YouTube")
        assert link.get_attribute("href") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    context.close()
