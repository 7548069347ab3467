"""What a writer may put in a change file and in a release file.

These pydantic models are the single definition of both files: the loader validates with them,
and `families.schemas` turns them into the JSON Schemas that writers' editors use. Messages
for custom checks are worded for `kb_builder.core.validation` ("'field' is ..., which ...").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from kb_builder.core.editions import Audience
from kb_builder.core.markdown import DataMarkdown
from kb_builder.core.model import Date, StrictModel

# The error type `kb_builder.core.validation` words as "'<field>' <message>".
INVALID = "kb_invalid"


@dataclass(frozen=True)
class KindSpec:
    """One kind of change and the heading its changes are grouped under.

    Attributes:
        name: what a writer puts in ``kind:``.
        heading: the section heading on release pages ("Features").
    """

    name: str
    heading: str


# The order of this tuple is the order of the sections on every release page.
DEFAULT_KINDS: tuple[KindSpec, ...] = (
    KindSpec("feature", "Features"),
    KindSpec("improvement", "Improvements"),
    KindSpec("fix", "Fixes"),
    KindSpec("security", "Security"),
    KindSpec("deprecation", "Deprecations"),
    KindSpec("known-issue", "Known issues"),
)

# A version names a page (releases/<version>.md) and a file: letters, digits and . - _ only,
# starting and ending with a letter or digit, so '../x', 'a/b', ' ' or '' never reach a path.
_VERSION = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?")
_TRACKER_KEY = re.compile(r"[A-Z][A-Z0-9_]*-[1-9][0-9]*")


def _check_version(value: str) -> str:
    if not _VERSION.fullmatch(value) or ".." in value:
        raise PydanticCustomError(
            INVALID,
            "is '{value}', which cannot be a version: use letters, digits, '.', '-' and '_' "
            "only (at most 40), starting and ending with a letter or digit, e.g. '2026.12', "
            "'2026.12.1' or '7.0-rc1'",
            {"value": value},
        )
    return value


def _check_tracker_key(value: str) -> str:
    if not _TRACKER_KEY.fullmatch(value):
        raise PydanticCustomError(
            INVALID,
            "is '{value}', which is not a tracker key; write it like 'OPS-1234' "
            "(project key in capitals, a hyphen, the issue number)",
            {"value": value},
        )
    return value


Version = Annotated[
    str,
    AfterValidator(_check_version),
    # Unquoted, YAML reads `version: 2026.10` as a number; the loader takes the text as written,
    # so editors must accept a number here too rather than flag a file that is fine.
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[A-Za-z0-9]([A-Za-z0-9._-]{0,38}[A-Za-z0-9])?$"},
                {"type": "number"},
            ],
            "examples": ["2026.12", "2026.12.1", "7.0-rc1"],
        }
    ),
]
# Surrounding spaces are stripped first (StrictModel), so "  " is empty too.
Text = Annotated[str, Field(min_length=1)]
TrackerKey = Annotated[
    str,
    AfterValidator(_check_tracker_key),
    # The pattern is for editors only: here the check above words the message.
    WithJsonSchema(
        {"type": "string", "pattern": r"^[A-Z][A-Z0-9_]*-[1-9][0-9]*$", "examples": ["OPS-1234"]}
    ),
]
KindName = Literal["feature", "improvement", "fix", "security", "deprecation", "known-issue"]
Status = Literal["planned", "released"]


class Change(StrictModel):
    """One change for the release notes, in its own file in content/_data/changes/.

    Leave out 'release' while the change is upcoming: it is listed on the Upcoming Release
    page until 'kb release cut' assigns it to a release.
    """

    title: Text = Field(description="What changed, in one line of plain text (no Markdown).")
    kind: KindName = Field(description="The section of the release notes it is listed in.")
    body: DataMarkdown = Field("", description="Details in Markdown (raw HTML is shown as text).")
    tracker: list[TrackerKey] = Field(
        default_factory=list, description="Tracker keys, e.g. OPS-1234 (JIRA)."
    )
    modules: list[Text] = Field(
        default_factory=list, description="Modules or areas affected, e.g. Permits."
    )
    audience: Audience = Field(
        "public", description="'internal' keeps the change out of the public edition."
    )
    release: Version | None = Field(
        None, description="The version it belongs to; leave it out while it is upcoming."
    )


@functools.cache
def change_model(kinds: tuple[str, ...]) -> type[Change]:
    """The `Change` model accepting exactly `kinds` (for projects that configure their own)."""
    if kinds == KindName.__args__:
        return Change
    kind_type: Any = Literal.__getitem__(kinds)

    # Redefining the field in a subclass keeps its place among the fields (and in messages).
    class ConfiguredChange(Change):
        kind: kind_type = Field(description="The section of the release notes it is listed in.")

    ConfiguredChange.__name__ = ConfiguredChange.__qualname__ = "Change"
    return ConfiguredChange


class Wave(StrictModel):
    """One wave of a staged release: its name, its date and the clients it reaches."""

    name: Text = Field(description="e.g. 'Wave 1'.")
    date: Date = Field(description="The rollout date of this wave, YYYY-MM-DD.")
    who: Text = Field(description="Who gets the release in this wave, e.g. 'Pilot clients'.")

    @model_validator(mode="before")
    @classmethod
    def _has_a_date(cls, data: Any) -> Any:
        # Said in the writer's terms: a wave without its date is the likely mistake in a plan.
        if isinstance(data, dict) and data.get("date") is None:
            raise PydanticCustomError(
                INVALID,
                "has no date; give every wave of a staged release the day it rolls out, "
                "e.g. 'date: 2027-01-19'",
                {},
            )
        return data


class Release(StrictModel):
    """One release, in its own file in content/_data/releases/ (named after its version)."""

    version: Version = Field(description="e.g. '2026.12'; also the name of its page.")
    title: Text | None = Field(None, description="An optional name, e.g. 'The new permit portal'.")
    status: Status = Field(description="'planned' until it has been rolled out, then 'released'.")
    date: Date | None = Field(
        None,
        description="The release date, YYYY-MM-DD (the planned date while planned).",
        validate_default=True,
    )
    rollout: list[Date] = Field(
        default_factory=list,
        description="The days it is rolled out on, if not only its release date.",
    )
    waves: list[Wave] = Field(
        default_factory=list, description="For a staged release: its waves, in order."
    )
    summary: DataMarkdown = Field("", description="A short prelude in Markdown.")

    @field_validator("date")
    @classmethod
    def _released_has_a_date(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        # Fields are validated in order, so `status` (declared before) is known here when valid.
        if value is None and info.data.get("status") == "released":
            raise PydanticCustomError(
                INVALID,
                "is missing; a released version needs its release date, e.g. 'date: 2026-11-17'",
                {},
            )
        return value

    @field_validator("waves")
    @classmethod
    def _waves_or_rollout(cls, value: list[Wave], info: ValidationInfo) -> list[Wave]:
        if value and info.data.get("rollout"):
            raise PydanticCustomError(
                INVALID,
                "is given together with 'rollout'; list either the rollout days or, for a "
                "staged release, its waves (each with its own date), not both",
                {},
            )
        return value

    def rollout_days(self) -> list[dt.date]:
        """The days it reaches clients: its rollout days, its waves' dates, or its date."""
        if self.waves:
            return [w.date for w in self.waves]
        if self.rollout:
            return sorted(self.rollout)
        return [self.date] if self.date else []
