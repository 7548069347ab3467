"""The search definition: every ranking rule's constant, in one place, with its reason.

Two executors answer the same questions: Whoosh (``kb search`` and the JSON API, in
`search.query`) and the browser's static index, which imports this module at build time and
exports `as_dict()` as JSON for its JavaScript engine. So that both rank alike:

- every value here is plain data (numbers, strings, lists of strings, dicts of those), never
  a Whoosh object or a compiled pattern;
- the names are stable: an executor may rely on them; add names rather than rename them;
- each constant says *why* it has its value, so a change can be argued with.

Nothing here imports Whoosh, MkDocs or the builder. `search.schema` and `search.query` read
these values; changing a field boost or the index stop words changes the index, so
`index_fingerprint()` covers those values and is part of `search.schema.SCHEMA_VERSION`, so an
index built with other values is rebuilt in full.
"""

from __future__ import annotations

import copy
import hashlib
import json

# Analysis (the same for the index and for queries) ----------------------------------------

#: The tokenizer's pattern (Whoosh's default): letters and digits, with inner dots kept, so
#: "v2.3" and "example.com" stay one word. A JavaScript engine uses it with the "u" flag.
WORD_PATTERN = r"\w+(?:\.?\w+)*"

#: The stemmer applied to every indexed and queried word: Porter's English stemmer, so that
#: "tickets", "ticketing" and "ticket" are one term and a plural finds the singular.
STEMMER = "porter"

#: Words shorter than this are not indexed (single letters carry no meaning and, as a prefix,
#: would match everything).
MIN_WORD_LENGTH = 2

#: Words the index itself drops (Whoosh's English stop list): they are in nearly every record,
#: so they would only add noise to scores. Changing this list changes the index.
# fmt: off
INDEX_STOP_WORDS = [
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if", "in",
    "is", "it", "may", "not", "of", "on", "or", "tbd", "that", "the", "this", "to", "us", "we",
    "when", "will", "with", "yet", "you", "your",
]
# fmt: on

#: Words that carry no meaning in a client's *question* ("how do I ...", "is there a way to
#: ...", "can you please ..."): the index keeps them (an exact quoted phrase may use them), but
#: queries and synonym phrases skip them, so "how do i open a ticket" ranks on "open" and
#: "ticket" alone and filler never decides which record comes first.
#: Pronouns are filler too, whoever they stand for: "can they see my screen", "will they
#: call us" ask about screen sharing and a call. Left as words, "they" or "their" match
#: whichever record happens to use them most, not the one that answers. So are the pieces a
#: typed contraction leaves ("we're" -> "we", "re"; "don't" -> "don": the negation is no more
#: a content word than "not", an index stop word). "everyone"
#: and "everybody" are not: they say how far a problem reaches ("everyone gets an error"),
#: as the critical-ticket page does ("blank for everyone"); skipped, such questions lost
#: their answer on the development sets.
# fmt: off
QUESTION_WORDS = [
    "i", "me", "my", "mine", "our", "ours", "we", "you", "your", "us", "myself", "im", "ive",
    "yours", "yourself", "ourselves", "they", "them", "their", "theirs", "themselves",
    "he", "him", "his", "she", "her", "hers", "theyre", "youre",
    "re", "ve", "ll", "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "hasn", "haven",
    "couldn", "wouldn", "shouldn",
    "cant", "wont", "won", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent",
    "hasnt", "havent", "couldnt", "wouldnt", "shouldnt", "aint",
    "keeps", "anymore", "thing", "things", "stuff", "something", "anything",
    "how", "what", "when", "where", "who", "whom", "why", "which", "whats", "hows",
    "do", "does", "did", "doing", "done", "is", "are", "was", "were", "am", "be", "been", "being",
    "can", "could", "should", "would", "shall", "might", "must", "there", "here", "please",
    "get", "got", "any", "some", "anyone", "someone", "anybody", "somebody",
    "way", "possible", "able", "need", "want", "wanted", "trying", "try", "tell", "know",
    "gets", "happen", "happens", "happened",
    "hi", "hello", "thanks", "thank", "just", "also", "really", "actually",
    "it", "its", "this", "that", "these", "those", "a", "an", "the", "to", "of", "for",
]
# fmt: on

#: Query words also match the other spellings of the same word (query side only: the index
#: keeps the words as written). Each rule is ``[pattern, replacement]`` on the lower-case word
#: (Python ``re`` syntax, ``\\1`` groups; the browser engine converts them), applied to words of
#: at least ``min_length`` letters; every rule that matches gives one more spelling, whose term
#: is looked up beside the word's own (a spelling the index lacks costs one empty lookup).
#: British and American spellings: the demo writes "organization" and "help centre", clients
#: type "organisation" and "help center"; Porter does not join them ("organis" / "organ",
#: "centr" / "center"), and the general word list holds both, so the spelling step rightly
#: leaves them alone. Only suffix rules, so a rule cannot reach into the stem of an unrelated
#: word.
# fmt: off
SPELLING_VARIANTS = {
    "min_length": 5,
    "rules": [
        [r"is(e|es|ed|ing|ation|ations|er|ers)$", r"iz\1"],
        [r"iz(e|es|ed|ing|ation|ations|er|ers)$", r"is\1"],
        [r"ys(e|es|ed|ing)$", r"yz\1"],
        [r"yz(e|es|ed|ing)$", r"ys\1"],
        [r"our(s|ed|ing|ite|ites|able)?$", r"or\1"],
        [r"([^aeiou])or(s|ed|ing|ite|ites|able)?$", r"\1our\2"],
        [r"([bt])re(s|d)?$", r"\1er\2"],
        [r"([bt])er(s|ed)?$", r"\1re\2"],
        [r"(lic|def|off)ence(s)?$", r"\1ense\2"],
        [r"(lic|def|off)ense(s)?$", r"\1ence\2"],
        [r"ogue(s)?$", r"og\1"],
        [r"og(s)?$", r"ogue\1"],
        [r"amme(s)?$", r"am\1"],
        [r"([^l])l(ment|ments)$", r"\1ll\2"],
        [r"ll(ment|ments)$", r"l\1"],
    ],
}
# fmt: on

#: Whoosh's Porter stemmer leaves the doubled consonant that "-ed" and "-ing" expose
#: ("logged" -> "logg", "stopped" -> "stopp", "planned" -> "plann"), where Porter's own
#: algorithm undoubles it (except l, s, z): "logged in" then matched neither "log in" nor the
#: synonym for it. A query word with one of ``suffixes`` whose term ends in a doubled letter
#: of ``letters`` also matches the term undoubled, and synonym phrases are matched on terms
#: undoubled the same way (both sides), so "logged in" is "log in".
UNDOUBLE = {"suffixes": ["ed", "ing", "ings"], "letters": "bcdfghjkmnpqrtvwx"}

# Ranking ----------------------------------------------------------------------------------

#: Field boosts, baked into the index: a match in a record's title (the page title, a section
#: heading or an FAQ question) says most about what the record answers; its context headings
#: (a page's sub-headings, a section's page title) and the tags say less; a word somewhere in
#: the body least. Changing them changes the index (bump the schema version).
FIELD_BOOSTS = {"title": 3.0, "headings": 1.5, "body": 1.0}

#: The fields an ordinary query word is looked up in (tags are indexed with the headings).
TEXT_FIELDS = ["title", "headings", "body"]

#: Whole-record boosts by kind: an FAQ answer is written to answer one question in a few lines,
#: so it outranks a long page that merely mentions the same words.
#: A training lesson is a few lines ABOUT an article (its objective, its exercise, a link to
#: read): short and dense with the article's words, it outranked the article itself (the
#: agenda was the wrong first page 21 times on the development sets for 19 right ones);
#: questions about lessons still find them, through the words only lessons use (minutes,
#: lesson, module, exercise). 0.3: each step down to it gained on all three sets. 0.1 (the
#: evening of 2026-12-02): 0.3 -> 0.2 -> 0.1 each gained again on the five sets (the agenda's
#: lessons were still first for "email me the report every monday", "permissions"), with
#: no question about lessons lost; 0.05 gained one dev question more, not taken (a lesson
#: must still come up when nothing else answers).
#: A listing (the glossary, A-Z listings) sums up other pages and, in the glossary, repeats
#: the clients' own words ("Also called: parking decal"), which makes its short records
#: outscore the article a synonym leads to; 0.15 keeps "sandbox" on the preview article
#: while "glossary", "jargon" or "what is a hotfix" find it (see benchmarks/README.md).
KIND_BOOSTS = {"faq": 1.5, "lesson": 0.1, "listing": 0.15}

#: Whole-record boost of the home page's records (the page at the site root, URL ""): the home
#: page is a map of the help centre, repeating a line about every page it links to ("System
#: down? Critical tickets are triaged ... day or night"), so it matches many questions and
#: answers none of them: the page it links to should come first.
HOME_PAGE_BOOST = 0.3

#: Extra weight for the query's words found next to each other (a phrase match) on top of
#: finding them all: "support ticket" side by side means more than both words apart.
ADJACENT_BOOST = 2.0

#: Records shown per page at most (the page's best record: its link lands on that section).
#: Clients read the first three results; a second record of a page already shown pushes
#: another page, perhaps the one that answers, out of them, so one long page cannot fill the
#: first results.
PER_PAGE = 1

#: A query with fewer results than this "finds little": it gets the typo fallback (fuzzy
#: terms) and a did-you-mean from rarer respellings.
FEW_RESULTS = 3

#: In an index of at least COMMON_MIN_RECORDS records, a word found in more than COMMON_SHARE
#: of them ("more", "information" on every tldr page) only re-ranks what the other words find,
#: so a query does not have to score the whole index.
COMMON_SHARE = 0.2
COMMON_MIN_RECORDS = 1000

# Synonyms ---------------------------------------------------------------------------------

#: A synonym WIDENS a query, it never outweighs the client's own words. Weights multiply the
#: score of what a synonym's canonical phrase matches; the client's own words weigh
#: "original". A canonical phrase of several words ("critical ticket") is specific, so it
#: weighs more than a single canonical word ("critical"), which matches far more records for
#: far more reasons. Both stay below 1, so a record found only through the synonym of one
#: word, and by none of the other words, ranks below records matching more of the client's
#: own words.
#: A record that matches several of the options (the client's words and a canonical phrase,
#: or two canonical phrases) scores the best one plus ``tiebreak`` times the others: matching
#: both is a little better, never the sum (a synonym listing three phrases would otherwise
#: count three times).
SYNONYM_WEIGHTS = {"original": 1.0, "phrase": 0.6, "word": 0.35, "tiebreak": 0.0}

#: How much of the question a record answers comes first. Each word of the question (a
#: quoted phrase, a synonym span: a group of words) counts for its number of words; a record
#: covers a group fully with the client's own words, ``synonym_coverage`` of it through a
#: synonym's canonical phrase only, ``fuzzy_coverage`` through a near spelling only. Its score
#: is multiplied by (covered words / words of the question) ** ``exponent``, so a record
#: with more of the client's own words ranks above one matching fewer of them, however often
#: or prominently (the classic coordination factor; search engines made for sites, such as
#: Algolia, rank on the number of query words matched first).
COORDINATION = {"exponent": 1.0, "synonym_coverage": 0.5, "fuzzy_coverage": 0.5}

# Spelling ---------------------------------------------------------------------------------

#: When a word is respelt. A word is corrected only if it is found nowhere in the index, is
#: not general English (the word list of `GENERAL_WORDS`), is not a synonym's client word or
#: a product term, and is long enough to be a typo rather than an abbreviation:
#:
#: - ``min_length``: words shorter than this are left alone ("sso", "mfa" are acronyms, and
#:   a three-letter word has dozens of one-edit neighbours);
#: - ``max_edits``: the largest edit distance (with transpositions) by word length, as
#:   ``[[min_length, edits], ...]``: short words have many neighbours, so one edit only;
#: - ``prefix``: letters the correction must share with the word, by length (typos rarely
#:   touch the first letter, and the prefix makes the vocabulary walk fast);
#: - ``keyboard_cost``: the cost of substituting a neighbouring key (a slip of the finger is a
#:   likelier typo than any other letter, which costs 1);
#: - ``transposition_cost``: swapped neighbours ("teh") are one slip, not two edits;
#: - ``min_doc_frequency``: a correction must be found in at least this many records (a word
#:   seen once is as likely a typo in the help centre as the answer);
#: - ``rare_ratio``: with few results, a word found in at most one record is respelt to a
#:   neighbour found in this many times more records (a did-you-mean only).
CORRECTION = {
    "min_length": 4,
    "max_edits": [[4, 1], [7, 2]],
    "prefix": [[0, 1], [5, 2]],
    "keyboard_cost": 0.5,
    "transposition_cost": 0.5,
    "min_doc_frequency": 1,
    "rare_ratio": 3,
}

#: The general English word list that tells a correct word from a typo: a word in it (or whose
#: base form is in it: "printers", "logged") is never "corrected" into another word of the help
#: centre just because the help centre lacks it ("wont" is not "want", "cheque" is not
#: "check"). ``package`` ships ``file`` (symspellpy: 82,765 words, Google Books n-grams
#: intersected with SCOWL, British spellings included, MIT licence, no required dependencies);
#: each line is "word count". Chosen over wordfreq (58 MB with five dependencies, 0.3 s to
#: load, and its web-derived list holds common typos such as "teh" and "recieve") and
#: pyspellchecker (US spellings only: no "colour", "organisation").
GENERAL_WORDS = {"package": "symspellpy", "file": "frequency_dictionary_en_82_765.txt"}

#: Rows of a QWERTY keyboard, for `CORRECTION["keyboard_cost"]`: neighbours are the keys left
#: and right in a row and the keys above and below.
KEYBOARD_ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"]

#: The typo fallback (with few results): every word is also matched by its near spellings,
#: weighted ``boost`` (below the words as typed), for words of at least ``min_length``, with
#: ``max_edits`` by length as in `CORRECTION`.
FUZZY = {"boost": 0.5, "min_length": 4, "max_edits": [[4, 1], [6, 2]]}

# Limits and snippets ----------------------------------------------------------------------

#: Only the first characters and words of a query are read (a 10,000-character paste is not a
#: question and must not cost 10,000 characters of work).
MAX_QUERY_CHARS = 500
MAX_WORDS = 32
MAX_LIMIT = 50

#: Length of a result's snippet, in characters.
SNIPPET_CHARS = 220


def by_length(table: list[list[int]], length: int) -> int:
    """The value of a ``[[min_length, value], ...]`` table for a word of `length` letters.

    Returns 0 when `length` is below every row.
    """
    value = 0
    for minimum, row_value in table:
        if length >= minimum:
            value = row_value
    return value


#: The names whose values are baked into the index (a change rebuilds it).
INDEX_SETTINGS = [
    "WORD_PATTERN",
    "STEMMER",
    "MIN_WORD_LENGTH",
    "INDEX_STOP_WORDS",
    "FIELD_BOOSTS",
    "KIND_BOOSTS",
    "HOME_PAGE_BOOST",
]


def index_fingerprint() -> str:
    """A short fingerprint of the `INDEX_SETTINGS` values (part of the schema version)."""
    values = {name: globals()[name] for name in INDEX_SETTINGS}
    raw = json.dumps(values, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=4).hexdigest()


def as_dict() -> dict[str, object]:
    """Every constant of the definition, by name, as JSON-ready data (a deep copy)."""
    return {
        name: copy.deepcopy(value)
        for name, value in globals().items()
        if name.isupper() and not name.startswith("_")
    }
