"""What a writer puts in content/_data/training.yml."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from kb_builder.core.editions import Audience
from kb_builder.core.markdown import DataMarkdown, checked_data_markdown
from kb_builder.core.model import StrictModel
from kb_builder.core.validation import describe_pattern

# Lesson ids key the visitor's saved progress: renaming a lesson's title keeps its id, and so
# keeps every visitor's tick. They are lower-case words joined by hyphens.
Identifier = Annotated[
    str,
    StringConstraints(
        pattern=describe_pattern(
            r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
            "lower-case words joined by hyphens, e.g. 'issuing-permits'",
        ),
        max_length=80,
    ),
]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
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
Level = Literal["beginner", "intermediate", "advanced"]


class KnowledgeCheck(StrictModel):
    """A question learners answer for themselves, with the answer behind a click."""

    question: Text
    answer: Annotated[Text, AfterValidator(checked_data_markdown)]


class Reading(StrictModel):
    """An extra page to read or watch for a lesson."""

    page: PageRef
    text: Text | None = None


class Lesson(StrictModel):
    """One lesson: something to read or watch, an objective and, often, practice."""

    id: Identifier
    title: Text
    minutes: Annotated[int, Field(gt=0, le=600)]
    objective: Text
    page: PageRef
    text: Text | None = Field(default=None, description="Link text (default: the page's title)")
    also: list[Reading] = Field(default_factory=list)
    level: Level | None = None
    roles: list[Text] = Field(default_factory=list, description="Who it is for")
    audience: Audience = "public"
    prerequisite: Identifier | None = None
    exercise: Annotated[Text, AfterValidator(checked_data_markdown)] | None = Field(
        default=None, description="Practice in the preview environment"
    )
    check: KnowledgeCheck | None = None


class Module(StrictModel):
    """A group of lessons learned together."""

    id: Identifier
    title: Text
    description: DataMarkdown = ""
    lessons: Annotated[list[Lesson], Field(min_length=1)]


class TrainingFile(StrictModel):
    """content/_data/training.yml."""

    title: Text = "Self-guided training agenda"
    description: str = ""
    intro: DataMarkdown = ""
    after: DataMarkdown = ""
    modules: Annotated[list[Module], Field(min_length=1)]


SCHEMA_MODELS = {"training": TrainingFile}
