"""What every validated content model shares: strict models, dates, shown text.

Each model (pages/meta.py, the families' model.py files) says what a writer may put in a file
and is the single definition from which validation messages and JSON Schemas are derived.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from kb_builder.core.editions import Audience  # noqa: F401  (the models' audience field)


class StrictModel(BaseModel):
    """Base of every model a writer fills in: unknown keys are errors, values are frozen.

    Validation is strict: no value is coerced into another type. In pydantic's default (lax)
    mode ``minutes: yes`` is the number 1, ``'5'`` is 5, ``!!binary`` bytes are text and
    ``enabled: "no"`` is false: each a writer's mistake that would pass in silence.
    """

    # Unknown keys are errors with a did-you-mean: a misspelt 'audiense: internal' must never
    # silently publish an internal page.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, strict=True, defer_build=True
    )


# The kb_builder.core.validation error type whose message is worded "'<field>' <message>".
INVALID = "kb_invalid"
# Dates a help centre can mean. Outside them a date is a typo (2206 for 2026), and at the
# edges of the calendar (year 1, year 9999) the feed and calendar cannot add or subtract a day.
FIRST_DATE = date(1970, 1, 1)
LAST_DATE = date(2199, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_from_text(value: Any) -> Any:
    """A quoted ``'2026-11-02'`` is the date it spells; a date with a time is refused."""
    if isinstance(value, datetime):
        raise PydanticCustomError(
            INVALID,
            "is '{value}', a date with a time; write the day alone as YYYY-MM-DD",
            {"value": str(value)},
        )
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as e:
            raise PydanticCustomError(
                INVALID,
                "is '{value}', which is not a valid date ({reason}); write it as YYYY-MM-DD",
                {"value": value, "reason": str(e)},
            ) from None
    return value


def _date_in_range(value: date) -> date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise PydanticCustomError(
            INVALID,
            "is {value}, which is outside the dates a help centre can use; use a date from "
            "{first} to {last}",
            {"value": str(value), "first": str(FIRST_DATE), "last": str(LAST_DATE)},
        )
    return value


Date = Annotated[
    date,
    BeforeValidator(_date_from_text),
    AfterValidator(_date_in_range),
    WithJsonSchema({"format": "date", "type": "string"}),
]
"""A calendar day (YYYY-MM-DD) from 1970 to 2199, never a date with a time."""


def _not_blank(value: Any) -> Any:
    # Checked before StrictModel trims whitespace: "   " would be a blank <title>, nav entry
    # and search result, which no reader can click or recognise.
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError(
            INVALID, "is empty; write the words a reader sees, e.g. 'Running reports'", {}
        )
    return value


def _blank_is_none(value: Any) -> Any:
    # '' is "no description" (generated pages write one when the data has none); only text of
    # spaces alone is a mistake.
    return None if value == "" else _not_blank(value)


_SCHEMA = WithJsonSchema({"type": "string", "minLength": 1, "pattern": r"\S"})
ShownText = Annotated[str, BeforeValidator(_not_blank), _SCHEMA]
"""Text a reader sees as a name (a title): never blank, also not once trimmed."""
OptionalShownText = Annotated[str | None, BeforeValidator(_blank_is_none), _SCHEMA]
"""Text a reader may be shown (a description): empty is none, spaces alone are refused."""
