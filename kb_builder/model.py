"""Validated content types.

Each model says what a writer may put in a file and is the single definition from which
validation messages (and, later, JSON Schemas for editors) are derived.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from kb_builder.validation import describe_pattern

PageType = Literal["article", "faq", "video"]
Audience = Literal["public", "internal"]
HideOption = Literal["navigation", "toc", "footer", "path", "tags", "feedback"]


class StrictModel(BaseModel):
    """Base of every model a writer fills in: unknown keys are errors, values are frozen."""

    # Unknown keys are errors with a did-you-mean: a misspelt 'audiense: internal' must never
    # silently publish an internal page.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Hero(StrictModel):
    """The search-first banner of a landing page (rendered by theme/home.html)."""

    title: str
    subtitle: str = ""
    placeholder: str = "Search the help centre: try “phone hours” or “sandbox”"


class Video(StrictModel):
    """The recording of a ``type: video`` page (see kb_builder.video)."""

    src: str = Field(description="A YouTube or Vimeo URL, or a video file of the site")
    duration: str = Field(
        pattern=describe_pattern(
            r"^(?:\d+|(?:\d+:)?[0-5]?\d:[0-5]\d)$",
            "minutes ('24') or minutes and seconds ('24:10', '1:02:30')",
        )
    )
    captions: str | None = Field(default=None, description="A WebVTT file (for a video file)")
    poster: str | None = Field(default=None, description="An image shown before play")


class PageMeta(StrictModel):
    """The front matter a page may carry.

    Our own keys (`type`, `audience`, `hero`) sit beside the keys MkDocs and Material read
    (`title`, `description`, `template`, `hide`, `icon`, `status`, `tags`, `search`).
    """

    title: str | None = None
    description: str | None = None
    type: PageType = "article"
    audience: Audience = "public"
    tags: list[str] = Field(default_factory=list)
    hide: list[HideOption] = Field(default_factory=list)
    template: str | None = None
    icon: str | None = None
    status: str | None = None
    search: dict[str, bool] | None = None
    hero: Hero | None = None
    video: Video | None = None
    owner: str | None = Field(default=None, description="Who keeps this page current")
    reviewed: date | None = Field(default=None, description="When it was last reviewed")
    review_by: date | None = Field(default=None, description="When it must be reviewed again")

    @field_validator("review_by")
    @classmethod
    def _review_after_reviewed(cls, value: date | None, info: ValidationInfo) -> date | None:
        reviewed = info.data.get("reviewed")
        if value and reviewed and value < reviewed:
            raise ValueError(
                f"{value} is before 'reviewed' ({reviewed}); the next review comes after the last"
            )
        return value
