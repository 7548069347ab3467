"""Less noise for clients (issue 12), in a real Chromium: what a client sees on a phone (375 px)
and a desktop (1280 px) before and after they act.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Pages that lessons of the demo's agenda link to, which most visitors open for themselves.
LESSON_PAGES = ["faq/", "wiki/signing-in/", "support/launch-a-ticket/", "releases/"]


def _visitor(chromium, viewport=DESKTOP, **options):
    context = chromium.new_context(viewport=viewport, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors  # type: ignore[attr-defined]
    return context, page


def _title_is_first(page) -> bool:
    """The page's title is the first thing shown in the article."""
    return page.evaluate(
        """() => {
          const shown = [...document.querySelector("article").children]
            .filter(e => e.offsetParent !== null);
          return shown.length > 0 && shown[0].tagName === "H1";
        }"""
    )


def test_a_new_visitor_sees_no_lesson_box(chromium, demo_url):
    context, page = _visitor(chromium)
    for path in LESSON_PAGES:
        page.goto(demo_url + path)
        assert page.locator("nav.kb-lesson-nav").count() == 2, path  # there, for those who train
        assert not page.locator("nav.kb-lesson-nav").first.is_visible(), path
        assert not page.locator("nav.kb-lesson-nav--end").is_visible(), path
        assert _title_is_first(page), path
    assert page.js_errors == []
    context.close()


def test_the_lesson_box_is_for_a_visitor_who_started_the_agenda(chromium, demo_url):
    context, page = _visitor(chromium)
    # Arriving from the agenda shows it, and it stays on the other lesson pages.
    page.goto(demo_url + "training/agenda/")
    page.click('article a[href="../../wiki/signing-in/"]')
    page.wait_for_url("**/wiki/signing-in/")
    assert page.locator("nav.kb-lesson-nav").first.is_visible()
    page.goto(demo_url + "faq/")
    assert page.locator("nav.kb-lesson-nav").first.is_visible()
    # Reset on the agenda: not started any more, so the box goes again.
    page.goto(demo_url + "training/agenda/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-kb-reset]")
    page.goto(demo_url + "faq/")
    assert not page.locator("nav.kb-lesson-nav").first.is_visible()
    # Ticking a lesson starts the agenda too.
    page.goto(demo_url + "training/agenda/")
    page.check('input[data-kb-lesson="signing-in"]')
    page.goto(demo_url + "wiki/signing-in/")
    assert page.locator("nav.kb-lesson-nav").first.is_visible()
    assert page.js_errors == []
    context.close()


def test_a_lesson_opened_in_a_new_tab_from_the_agenda_shows_the_box(chromium, demo_url):
    """The referrer counts: a visitor who opened the lesson in a new tab came from the agenda."""
    context, page = _visitor(chromium)
    page.goto(demo_url + "faq/", referer=demo_url + "training/agenda/")
    assert page.locator("nav.kb-lesson-nav").first.is_visible()
    other, stranger = _visitor(chromium)
    stranger.goto(demo_url + "faq/", referer=demo_url + "support/")
    assert not stranger.locator("nav.kb-lesson-nav").first.is_visible()
    other.close()
    context.close()


def test_without_scripts_no_lesson_box_and_the_agenda_lists_the_lessons(chromium, demo_url):
    context, page = _visitor(chromium, java_script_enabled=False)
    page.goto(demo_url + "faq/")
    assert not page.locator("nav.kb-lesson-nav").first.is_visible()
    page.goto(demo_url + "training/agenda/")
    assert page.locator("h3.kb-lesson").count() == 22
    assert page.locator('article a[href="../../wiki/signing-in/"]').first.is_visible()
    context.close()


# ---- Video players: the placeholder is the player's final size ----------------------------------

_BOXES = """(selectors) => selectors.map(s => {
  const e = document.querySelector(s);
  if (!e) return null;
  const r = e.getBoundingClientRect();
  return [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)];
})"""


def _content_width(page) -> int:
    width = page.evaluate("document.querySelector('article h1').getBoundingClientRect().width")
    return round(width)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_a_video_file_waits_at_its_final_size(chromium, demo_url, viewport):
    context, page = _visitor(chromium, viewport)
    page.goto(demo_url + "wiki/videos/release-preview-webinar/")
    page.wait_for_load_state("networkidle")
    width = _content_width(page)
    cover, video = page.evaluate(_BOXES, [".kb-video__play", "figure.kb-video video"])
    assert cover == video  # the play face lies exactly over the player: no spinner shows
    assert abs(video[2] - width) <= 1 and abs(video[3] - video[2] * 9 / 16) <= 1
    page.evaluate("document.querySelector('figure.kb-video video').muted = true")
    page.click(".kb-video__play")
    assert page.locator(".kb-video__play").count() == 0
    page.wait_for_function("document.querySelector('figure.kb-video video').currentTime > 0.2")
    assert page.evaluate(_BOXES, ["figure.kb-video video"]) == [video]  # nothing jumped
    assert page.js_errors == []
    context.close()


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


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_an_embedded_player_waits_at_its_final_size(chromium, build_site, viewport):
    from tests.conftest import MINIMAL_CONFIG, ROOT
    from tests.helpers.browser import serve_directory

    config = MINIMAL_CONFIG.format(theme=ROOT / "theme") + (
        "extra_css: [assets/stylesheets/kb.css]\nextra_javascript: [assets/javascripts/video.js]\n"
    )
    result, site = build_site({"index.md": "# Home\n", "webinar.md": YOUTUBE_PAGE}, config)
    assert result.exit_code == 0, result
    context, page = _visitor(chromium, viewport)
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>player</p>"),
    )
    with serve_directory(site) as url:
        page.goto(url + "webinar/")
        width = _content_width(page)
        (button,) = page.evaluate(_BOXES, [".kb-video__play"])
        assert abs(button[2] - width) <= 1 and abs(button[3] - button[2] * 9 / 16) <= 1
        page.click(".kb-video__play")
        page.locator("iframe.kb-video__frame").wait_for()
        assert page.evaluate(_BOXES, ["iframe.kb-video__frame"]) == [button]
    context.close()


# ---- The critical path ------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_critical_path_stands_out_and_comes_first(chromium, demo_url, viewport):
    context, page = _visitor(chromium, viewport)
    page.goto(demo_url)
    facts = page.evaluate(
        """() => {
          const critical = document.querySelector(".kb-critical");
          const cards = [...document.querySelectorAll(".grid.cards > ul > li")];
          const style = e => getComputedStyle(e);
          const box = e => e.getBoundingClientRect();
          const first = [...document.querySelector("article").children]
            .find(e => e.offsetParent !== null);
          return {
            first: first === critical,
            links: [...document.querySelectorAll("article a[href]:not(.headerlink)")]
              .map(a => a.getAttribute("href")),
            inGrid: cards.some(li => li.querySelector('a[href$="critical-tickets/"]')),
            above: cards.every(li => box(critical).bottom <= box(li).top),
            wide: Math.round(box(critical).width) >= Math.round(
              box(document.querySelector(".grid.cards")).width),
            border: style(critical).borderLeftColor,
            cardBorder: style(cards[0]).borderLeftColor,
            background: style(critical).backgroundColor,
            cardBackground: style(cards[0]).backgroundColor,
            top: box(critical).top + scrollY,
          };
        }"""
    )
    assert facts["first"] and not facts["inGrid"] and facts["above"] and facts["wide"]
    assert facts["links"][0] == "support/critical-tickets/"  # first link a screen reader meets
    assert facts["border"] != facts["cardBorder"] and facts["background"] != facts["cardBackground"]
    assert facts["top"] < viewport["height"]  # seen without scrolling, on a phone too
    context.close()


def test_on_a_phone_the_after_hours_email_follows_the_hours_box(chromium, demo_url):
    """A client with a critical issue reads the hours box, then how to send the email: within
    one phone screen of it, not below the lists of what counts as critical."""
    context, page = _visitor(chromium, PHONE)
    page.goto(demo_url + "support/critical-tickets/")
    gap = page.evaluate(
        """() => {
          const box = document.querySelector(".kb-support-hours").getBoundingClientRect();
          const step = [...document.querySelectorAll("article li")]
            .find(e => /^Send an email/.test(e.textContent.trim()));
          return step.getBoundingClientRect().top - box.bottom;
        }"""
    )
    assert 0 < gap < PHONE["height"]
    context.close()


# ---- The home page's search box -----------------------------------------------------------------

_HERO = """() => {
  const input = document.querySelector(".kb-hero__input");
  const css = getComputedStyle(input);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${css.fontWeight} ${css.fontSize} ${css.fontFamily}`;
  const hint = document.querySelector(".kb-hero__hint");
  return {
    placeholder: context.measureText(input.placeholder).width,
    room: input.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight),
    shown: getComputedStyle(input, "::placeholder").color !== "rgba(0, 0, 0, 0)",
    hint: hint.offsetParent !== null,
    hintCut: hint.scrollWidth > hint.clientWidth,
    pageCut: document.documentElement.scrollWidth > innerWidth,
  };
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_search_hint_is_never_cut_off(chromium, demo_url, viewport):
    context, page = _visitor(chromium, viewport)
    page.goto(demo_url)
    hero = page.evaluate(_HERO)
    # Either the placeholder fits in the box, or the box shows none and the hint line is whole.
    if hero["shown"]:
        assert hero["placeholder"] <= hero["room"] and not hero["hint"]
    else:
        assert hero["hint"] and not hero["hintCut"]
    assert not hero["pageCut"]
    assert hero["shown"] == (viewport is DESKTOP)  # the demo's hint fits on a desktop only
    context.close()
