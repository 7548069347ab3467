"""The Whoosh schema of the help-centre index, declared in one place.

Ranking follows how clients read a result list: a match in a title (a page title, a section
heading or an FAQ question) says more than a match in the page's sub-headings, which says more
than a match somewhere in the body. The boosts are set on the fields, so they are baked into
the index and every query gets them without repeating them.
"""

from __future__ import annotations

from whoosh import analysis, fields

#: Bump when the fields or analyzers change: an index built with another version is rebuilt
#: from scratch instead of updated.
SCHEMA_VERSION = "kb-search-1"

TITLE_BOOST = 3.0
HEADINGS_BOOST = 1.5  # the page's sub-headings, a section's page title, and the tags
BODY_BOOST = 1.0

#: Whole-record boosts by kind: an FAQ answer is written to answer one question in a few
#: lines, so it outranks a long page that mentions the same words.
KIND_BOOST = {"faq": 1.5}

#: Fields searched by ordinary words, with their boosts (used by the query builder too).
TEXT_FIELDS = ("title", "headings", "body")

#: English stemming ("tickets", "ticketing" -> "ticket"), lower case, common words dropped.
STEMMER = analysis.StemmingAnalyzer(minsize=2)

#: The same words unstemmed: the vocabulary that spelling suggestions are drawn from, so a
#: suggestion is a real word ("telephone"), never a stem ("telephon").
WORDS = analysis.RegexTokenizer() | analysis.LowercaseFilter() | analysis.StopFilter(minsize=2)


def build_schema() -> fields.Schema:
    """Return a new instance of the index schema."""
    return fields.Schema(
        # Identity and display.
        id=fields.ID(stored=True, unique=True),
        url=fields.ID(stored=True),
        page=fields.ID(stored=True, sortable=True),
        page_title=fields.STORED(),
        content_hash=fields.STORED(),
        # Filters.
        kind=fields.ID(stored=True),
        section=fields.ID(stored=True),
        audience=fields.ID(stored=True),
        # Ranked text.
        title=fields.TEXT(analyzer=STEMMER, stored=True, field_boost=TITLE_BOOST),
        headings=fields.TEXT(analyzer=STEMMER, field_boost=HEADINGS_BOOST),
        tags=fields.KEYWORD(lowercase=True, commas=True, stored=True),
        # Stored for highlighting: snippets are cut from the stored body.
        body=fields.TEXT(analyzer=STEMMER, stored=True, field_boost=BODY_BOOST),
        # Spelling vocabulary: title, headings and body, unstemmed, without positions.
        words=fields.TEXT(analyzer=WORDS, phrase=False),
        # As-you-type title suggestions: the start of every title word ("tele" -> "telephone").
        suggest=fields.NGRAMWORDS(minsize=1, maxsize=15, at="start"),
    )
