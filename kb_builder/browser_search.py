"""Material's in-browser search, taught the clients' words and the FAQ's weight.

Material's search box runs lunr over `search/search_index.json` in the visitor's browser, with
no server: it cannot expand a query with synonyms the way `kb search` does. So the expansion is
done the other way round, at build time: every record whose text contains a help-centre phrase
gets the clients' phrases for it in a `keywords` field, which Material's worker indexes (it
indexes every field the index's config lists) but never displays. FAQ answers get a boost, as
they do in the Whoosh index, so that a question asked in the search box lands on its answer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

KEYWORDS_FIELD = "keywords"
# Between Material's text (1) and title (1,000): a client's word counts like a word of the
# title, no more.
KEYWORDS_BOOST = 300.0
FAQ_BOOST = 3.0
# A client phrase is repeated as often as its help-centre phrase occurs (more in the title), so
# that lunr's term frequency favours the page about the thing over a page that mentions it.
MAX_REPEAT = 6
TITLE_WEIGHT = 3

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")


def _words(text: str) -> str:
    """Lower-case words joined by single spaces, for phrase matching on word boundaries."""
    return " ".join(_WORD.findall(html.unescape(_TAG.sub(" ", text)).lower()))


def enrich(
    index: dict,
    synonyms: Mapping[str, Iterable[str]],
    faq_locations: Iterable[str] = (),
) -> dict:
    """Add the clients' phrases and FAQ boosts to a Material search index (in place).

    Args:
        index: the parsed ``search_index.json`` (``{"config": ..., "docs": [...]}``).
        synonyms: client phrase -> the help-centre phrases it means.
        faq_locations: the locations of FAQ answers (``faq/#question-anchor``).

    Returns:
        `index`, enriched.
    """
    canonical = {
        client: [f" {_words(p)} " for p in phrases] for client, phrases in synonyms.items()
    }
    faq = set(faq_locations)
    fields = index.setdefault("config", {}).setdefault("fields", {})
    fields[KEYWORDS_FIELD] = {"boost": KEYWORDS_BOOST}
    for doc in index.get("docs", []):
        title = f" {_words(doc.get('title', ''))} "
        text = f" {_words(doc.get('text', ''))} "
        keywords = []
        for client, phrases in canonical.items():
            weight = sum(text.count(p) + TITLE_WEIGHT * title.count(p) for p in phrases)
            keywords += [client] * min(weight, MAX_REPEAT)
        doc[KEYWORDS_FIELD] = " ".join(keywords)
        if doc.get("location") in faq:
            doc["boost"] = max(float(doc.get("boost", 1.0)), FAQ_BOOST)
    return index
