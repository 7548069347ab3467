"""Related pages computed at build time (search.related)."""

from __future__ import annotations

import json

from search.documents import Document
from search.related import related_pages
from tests.site.test_search_documents import site_documents


def page(url: str, title: str, body: str, audience: str = "public") -> Document:
    return Document(id=url, url=url, title=title, body=body, audience=audience)


def test_demo_pages_get_up_to_five_related_pages_never_themselves(demo_site):
    docs = site_documents(demo_site)
    related = related_pages(docs, edition="public")
    page_urls = {d.page_url for d in docs}
    assert set(related) == page_urls
    for url, items in related.items():
        assert len(items) <= 5
        assert url not in [u for u, _ in items]
        assert all(u in page_urls and title for u, title in items)
        assert "" not in [u for u, _ in items]  # the home page answers nothing
    assert "releases/" in [u for u, _ in related["releases/upcoming/"]]
    assert "support/launch-a-ticket/" in [u for u, _ in related["support/critical-tickets/"]]


def test_sections_count_towards_their_page():
    docs = [
        page("a/", "Permits", "Issuing permits."),
        Document(id="a/#w", url="a/#w", title="Waitlists", body="waitlist applicants offer"),
        page("b/", "Waitlist rules", "How waitlist applicants get an offer."),
        page("c/", "Citations", "Appeals of citations."),
        page("d/", "Appeals", "Citations appeals decided by clerks."),
    ]
    related = related_pages(docs)
    assert related["b/"][0] == ("a/", "Permits")
    assert [u for u, _ in related["c/"]] == ["d/"]


def test_internal_pages_are_never_related_in_the_public_edition():
    docs = [
        page("a/", "Sentry and JIRA", "link sentry issues through jira tickets"),
        page("b/", "Agent notes", "sentry jira linking rules", audience="internal"),
        page("c/", "JIRA tickets", "jira tickets for sentry bugs"),
    ]
    public = related_pages(docs, edition="public")
    assert "b/" not in public
    assert all(u != "b/" for items in public.values() for u, _ in items)
    internal = related_pages(docs, edition="internal")
    assert "b/" in [u for u, _ in internal["a/"]]


def _cached_pages(cache) -> int:
    header, *pages = cache.read_text().splitlines()
    assert json.loads(header) == {"version": 2}
    return len(pages)


def test_term_counts_are_cached_by_content_hash(tmp_path, monkeypatch):
    cache = tmp_path / "related-terms.json"
    docs = [
        page(f"p{i}/", f"Topic {i % 3}", f"shared words topic{i % 3} extra{i}") for i in range(9)
    ]
    first = related_pages(docs, cache_path=cache)
    assert _cached_pages(cache) == 9

    analysed: list[str] = []
    from search import related as module

    original = module._Page.term_counts

    def counting(self):
        analysed.append(self.url)
        return original(self)

    monkeypatch.setattr(module._Page, "term_counts", counting)
    docs[4] = page("p4/", "Topic 1", "shared words topic1 extra4 changed")
    second = related_pages(docs, cache_path=cache)
    assert analysed == ["p4/"]  # only the changed page was analysed again
    assert second["p0/"] == first["p0/"]
    # The cache keeps only the pages of this build.
    assert _cached_pages(cache) == 9
