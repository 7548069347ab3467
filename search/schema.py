"""The Whoosh schema of the help-centre index, declared in one place.

Ranking follows how clients read a result list: a match in a title (a page title, a section
heading or an FAQ question) says more than a match in the page's sub-headings, which says more
than a match somewhere in the body. The boosts are set on the fields, so they are baked into
the index and every query gets them without repeating them.
"""

from __future__ import annotations

from whoosh import fields

from search import analysis, definition
from search.analysis import StemmedText

#: Bump when the fields or analyzers change: an index built with another version is rebuilt
#: from scratch instead of updated. The values of the definition that are baked into the
#: index (boosts, stop words) are part of it, so changing one of them rebuilds the index too
#: (an incremental rebuild would otherwise keep old boosts on every unchanged record).
SCHEMA_VERSION = f"kb-search-5-{definition.index_fingerprint()}"

TITLE_BOOST = float(definition.FIELD_BOOSTS["title"])
#: The page's sub-headings, a section's page title, and the tags.
HEADINGS_BOOST = float(definition.FIELD_BOOSTS["headings"])
BODY_BOOST = float(definition.FIELD_BOOSTS["body"])

#: Whole-record boosts by kind (see `search.definition.KIND_BOOSTS`).
KIND_BOOST: dict[str, float] = {k: float(v) for k, v in definition.KIND_BOOSTS.items()}

#: Fields searched by ordinary words, with their boosts (used by the query builder too).
TEXT_FIELDS = tuple(definition.TEXT_FIELDS)

# The analyzers are defined with their fast form (search.analysis); named here too, where the
# fields that use them are.
STEMMER = analysis.STEMMER
WORDS = analysis.WORDS


def record_boost(kind: str, page_url: str) -> float:
    """The whole-record boost of a record of `kind` on the page at `page_url`."""
    boost = KIND_BOOST.get(kind, 1.0)
    if page_url == "":
        boost *= float(definition.HOME_PAGE_BOOST)
    return boost


class StoredColumn(fields.ID):
    """A value stored with the record and kept in a column (for grouping), never searched.

    No terms are written for it: a URL-like value is a term of its own in every record, and
    terms are what a commit writes one by one (a third of the index's terms were such values).
    """

    indexed = False


def build_schema() -> fields.Schema:
    """Return a new instance of the index schema."""
    # The ranked text fields index through search.analysis (Whoosh's postings, one loop).
    return fields.Schema(
        # Identity and display: the id is searched (an update deletes by it), the rest shown.
        id=fields.ID(stored=True, unique=True),
        url=fields.STORED(),
        # Results are collapsed per page (a column), never searched by page.
        page=StoredColumn(stored=True, sortable=True),
        page_title=fields.STORED(),
        content_hash=fields.STORED(),
        # A filter (?kind=faq), then what a result shows.
        kind=fields.ID(stored=True),
        section=fields.STORED(),
        audience=fields.STORED(),
        # Ranked text.
        title=StemmedText(analyzer=STEMMER, stored=True, field_boost=TITLE_BOOST),
        # Stored so that a re-index can take a changed record's old words off the vocabulary.
        headings=StemmedText(analyzer=STEMMER, field_boost=HEADINGS_BOOST, stored=True),
        tags=fields.KEYWORD(lowercase=True, commas=True, stored=True),
        # Stored for highlighting: snippets are cut from the stored body.
        body=StemmedText(analyzer=STEMMER, stored=True, field_boost=BODY_BOOST),
        # The spelling vocabulary is not a field: see search.vocabulary.
        # As-you-type title suggestions: the start of every title word ("tele" -> "telephone").
        suggest=fields.NGRAMWORDS(minsize=1, maxsize=15, at="start"),
    )
