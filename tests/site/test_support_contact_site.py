"""Contact routes in the built demo: the header action on every page, addresses as links."""

from __future__ import annotations

from tests.helpers.sitecheck import html_files, parse


def test_every_page_has_a_contact_support_action_to_the_box(demo_site):
    pages = [p for p in html_files(demo_site) if p.name != "404.html"]
    assert len(pages) >= 20
    for path in pages:
        tree = parse(path)
        (action,) = tree.css("[data-kb-contact-action]")
        assert action.attributes["aria-label"] == "Contact support"
        target = (path.parent / action.attributes["href"].split("#")[0]).resolve()
        assert target == (demo_site / "support" / "launch-a-ticket").resolve(), path
        assert action.attributes["href"].endswith("#contact-support")
    guide = parse(demo_site / "support" / "launch-a-ticket" / "index.html")
    assert guide.css_first("#contact-support[data-kb-support-hours]") is not None


def test_faq_answers_link_the_addresses(demo_site):
    faq = parse(demo_site / "faq" / "index.html")
    hrefs = [a.attributes.get("href") for a in faq.css("article a")]
    assert "mailto:critical@example.com" in hrefs
    assert "tel:+14165550142" in hrefs
    assert "https://help.example.com/" in hrefs
    # The telephone answer gives the number that Premium clients call.
    (answer,) = [
        p
        for p in faq.css("article p")
        if "Telephone support is available to our Premium" in p.text()
    ]
    assert answer.css_first('a[href="tel:+14165550142"]').text() == "(416) 555-0142"


def test_no_page_offers_standard_plus_a_telephone_number(demo_site):
    """Wherever a page names the plan's routes, Standard Plus has no tel: link."""
    guide = parse(demo_site / "support" / "launch-a-ticket" / "index.html")
    heading = guide.css_first("#contact-routes-by-plan")
    listing = heading.next
    while listing is not None and listing.tag != "ul":
        listing = listing.next
    texts = {li.css_first("strong").text(): li for li in listing.iter() if li.tag == "li"}
    assert set(texts) == {"Premium", "Standard Plus"}
    assert texts["Premium"].css('a[href^="tel:"]')
    assert texts["Standard Plus"].css('a[href^="tel:"]') == []
