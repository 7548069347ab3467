"""What a writer puts in content/_data/glossary.yml."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from kb_builder.core.editions import Audience
from kb_builder.core.markdown import DataMarkdown
from kb_builder.core.model import StrictModel
from kb_builder.core.validation import describe_pattern

Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
# A term is a heading and an abbreviation key: one line, and short.
TermText = Annotated[str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True)]
Definition = Annotated[DataMarkdown, StringConstraints(min_length=1, strip_whitespace=True)]
# A content page, as a path from the content folder, optionally with an anchor.
PageRef = Annotated[
    str,
    StringConstraints(
        pattern=describe_pattern(
            r"^[^#\s]+\.md(?:#[\w.:-]+)?$",
            "a page's path from the content folder, e.g. 'wiki/permits.md' or "
            "'wiki/permits.md#waitlists'",
        )
    ),
]
GlossaryPage = Annotated[
    str,
    StringConstraints(
        pattern=describe_pattern(
            r"^(?:[a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_-]*\.md$",
            "a page path from the content folder in lower case, e.g. 'glossary.md' or "
            "'wiki/glossary.md'",
        )
    ),
]


class Term(StrictModel):
    """One term of the help centre's vocabulary."""

    term: TermText = Field(description="The help centre's word, as pages write it")
    definition: Definition = Field(description="A short definition (Markdown)")
    client_words: list[TermText] = Field(
        default_factory=list,
        description="What clients call it (each becomes a search synonym of the term)",
    )
    audience: Audience = "public"
    see: PageRef | None = Field(default=None, description="The page that explains it")


class GlossaryFile(StrictModel):
    """content/_data/glossary.yml."""

    title: Text = "Glossary"
    description: str = "The words of this help centre, and the words clients use for them."
    intro: DataMarkdown = ""
    page: GlossaryPage = Field(default="glossary.md", description="Where the glossary is published")
    terms: Annotated[list[Term], Field(min_length=1)]
