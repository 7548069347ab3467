"""The front matter a page may carry: `PageMeta`, its `Hero` and `Video`."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from kb_builder.core.editions import Audience
from kb_builder.core.model import Date, OptionalShownText, ShownText, StrictModel
from kb_builder.core.validation import describe_pattern

PageType = Literal["article", "faq", "video"]
HideOption = Literal["navigation", "toc", "footer", "path", "tags", "feedback"]


class Hero(StrictModel):
    """The search-first banner of a landing page (rendered by theme/home.html)."""

    title: ShownText
    subtitle: str = ""
    placeholder: str = "Search the help centre: try “phone hours” or “sandbox”"


class Video(StrictModel):
    """The recording of a ``type: video`` page (see kb_builder.pages.video)."""

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

    title: ShownText | None = None
    description: OptionalShownText = None
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
    reviewed: Date | None = Field(default=None, description="When it was last reviewed")
    review_by: Date | None = Field(default=None, description="When it must be reviewed again")

    @field_validator("review_by")
    @classmethod
    def _review_after_reviewed(cls, value: date | None, info: ValidationInfo) -> date | None:
        reviewed = info.data.get("reviewed")
        if value and reviewed and value < reviewed:
            raise ValueError(
                f"{value} is before 'reviewed' ({reviewed}); the next review comes after the last"
            )
        return value
