"""Search synonyms in the clients' words: ``content/_data/synonyms.yml``.

Clients do not use the vendor's words. Writers list what clients type and the words the help
centre uses for it::

    synonyms:
      sandbox: preview environment
      system is down: critical outage
      phone: telephone
      test site: [preview environment, training]

Synonyms are applied when a query runs (`search.query`), so editing this file changes search
results at once, without rebuilding the index.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from kb_builder.core.editions import Edition
from kb_builder.core.errors import ContentError
from kb_builder.core.model import StrictModel
from kb_builder.core.validation import validate
from kb_builder.core.yamlio import read_yaml_file
from kb_builder.families.support.editions import for_edition
from search.synonyms import Synonyms

SYNONYMS_FILE = "synonyms.yml"

Phrase = Annotated[str, Field(min_length=1, max_length=200)]


def _one_or_many(value: object) -> object:
    """A single phrase is a list of one; anything else but a list is refused in plain words."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return value
    shown = "an empty value" if value is None else f"'{value}'"
    raise ValueError(f"give a phrase or a list of phrases, not {shown}")


Phrases = Annotated[list[Phrase], BeforeValidator(_one_or_many)]


class SynonymsFile(StrictModel):
    """The synonyms file: client phrase -> the help centre's phrase (or a list of them)."""

    synonyms: dict[Phrase, Phrases] = Field(default_factory=dict)


def synonyms_path(data_dir: str | Path) -> Path:
    """Where the synonyms of a content directory's ``_data/`` live."""
    return Path(data_dir) / SYNONYMS_FILE


def read_synonyms(data_dir: str | Path) -> tuple[dict[str, tuple[str, ...]], list[ContentError]]:
    """Load the synonyms of `data_dir` (``content/_data``) with every problem found.

    A missing file is no problem: there are simply no synonyms.

    Returns:
        ``(synonyms, errors)``: client phrase -> canonical phrases; usable only without errors.
    """
    path = synonyms_path(data_dir)
    if not path.is_file():
        return {}, []
    source = str(path)
    try:
        data, lines = read_yaml_file(path)
    except ContentError as e:
        return {}, [e]
    if data is None:
        data = {}
    model, errors = validate(SynonymsFile, data, source, lines, what="synonyms")
    if model is None:
        return {}, errors
    result: dict[str, tuple[str, ...]] = {}
    first_line: dict[tuple[str, ...], tuple[str, int]] = {}
    for client, canonical in model.synonyms.items():
        line = lines.line_of(("synonyms", client))
        phrases = tuple(canonical)
        if not phrases:
            errors.append(
                ContentError(
                    source,
                    line,
                    f"'{client}' maps to an empty list; give at least one phrase of the help "
                    "centre, e.g. 'preview environment'",
                )
            )
            continue
        words = tuple(Synonyms.searchable_words(client))
        if not words:
            errors.append(
                ContentError(
                    source,
                    line,
                    f"'{client}' has no word that search can match (short and common words "
                    "such as 'how', 'do', 'is' are skipped); write the words clients type, "
                    "e.g. 'sandbox'",
                )
            )
            continue
        if words in first_line:
            other, other_line = first_line[words]
            errors.append(
                ContentError(
                    source,
                    line,
                    f"'{client}' matches the same words as '{other}' (line {other_line}); "
                    "merge the two entries",
                )
            )
            continue
        first_line[words] = (client, line)
        same = [p for p in phrases if p.casefold() == client.casefold()]
        if same:
            errors.append(
                ContentError(
                    source,
                    line,
                    f"'{client}' maps to itself; map it to the words the help centre uses",
                )
            )
            continue
        result[client] = phrases
    return result, errors


def site_synonyms(
    data_dir: str | Path, edition: str, models: Mapping[str, Any] | None = None
) -> tuple[dict[str, tuple[str, ...]], list[ContentError]]:
    """``synonyms.yml`` with the synonyms the registered families give `edition` (a glossary's
    client words), and the problems of ``synonyms.yml``.

    The writer's file wins: a family's phrase whose searchable words an earlier entry already
    has is left out. A family whose data is broken adds nothing (`kb check` says why).

    Args:
        models: the families' models when the caller has them (a build read them already);
            each family's file is read here otherwise.
    """
    from kb_builder.families.registry import FAMILIES  # families import the core, not this

    synonyms, errors = read_synonyms(data_dir)
    if errors:
        return {}, errors
    taken = {tuple(Synonyms.searchable_words(client)) for client in synonyms}

    def add(given: Mapping[str, tuple[str, ...]]) -> None:
        for client, canonical in given.items():
            words = tuple(Synonyms.searchable_words(client))
            phrases = tuple(p for p in canonical if p.casefold() != client.casefold())
            if words and phrases and words not in taken:
                taken.add(words)
                synonyms[client] = phrases

    read: dict[str, Any] = {}
    for family in FAMILIES:
        if models is not None:
            model = models.get(family.name)
        elif family.present(Path(data_dir)):
            model, problems = family.read(Path(data_dir), ())
            model = None if problems else model
        else:
            model = None
        if model is None:
            continue
        read[family.name] = model
        add(family.synonyms(model, edition))
    # Last: what the data implies is the weakest claim, after the writer's and the families'.
    add(derived_synonyms(read, edition))
    return synonyms, []


# Synonyms derived from the data ------------------------------------------------------------
#
# Clients ask about time in their own terms ("are you open on saturdays", "can I phone at
# 6pm", "what changed in october") and about their plan in the vendor's names ("upgrade to
# premium"). The help centre answers with its schedules ("business hours: Monday to Friday")
# and release versions ("Release 2026.10"), which share no word with the question. The data
# says which days and hours a schedule covers, which plans exist and when each release came
# out, so the link is derived from it instead of being listed by hand (and stays right when
# the hours or the releases change).

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
#: Times of day and days off that lie outside any business schedule: a question about them is
#: answered by the schedule (when we are open) and by what happens after hours.
_OFF_HOURS = (
    "weekend", "weekends", "holiday", "holidays", "public holiday", "bank holiday",
    "stat holiday", "statutory holiday", "christmas", "new year", "easter", "thanksgiving",
    "night", "at night", "midnight", "overnight", "evening", "late at night", "early morning",
    "out of hours", "after work",
)  # fmt: skip
#: How clients say they change plan, before the plan's name ("upgrade to premium").
_PLAN_MOVES = ("upgrade to", "switch to", "move to", "change to", "downgrade to", "go to")
#: How clients ask what a plan includes ("premium benefits", "included in premium"). Not
#: "premium clients": the pages say it themselves ("Standard Plus clients have email support
#: only"), and the phrase would pull every such question to the comparison table.
_PLAN_HOLDINGS = (
    "{plan} benefits", "{plan} features", "{plan} includes", "included in {plan}",
    "{plan} extras",
)  # fmt: skip
_COMPARE_PLANS = "compare the plans"
_AFTER_HOURS = "after hours"
_CHANGING_PLAN = "changing your plan"


def _clock_words(minutes: int) -> list[str]:
    """How a client writes the hour `minutes` after midnight falls in: "6pm", "6 pm" is two
    words and "6" alone is no time, so only the joined forms."""
    hour = minutes // 60
    shown = hour % 12 or 12
    return [f"{shown}{'am' if hour < 12 else 'pm'}"]


def support_synonyms(support: Any, edition: Edition = "public") -> dict[str, tuple[str, ...]]:
    """Days, hours and plan changes -> the support pages' words, from the support facts.

    A day no schedule covers ("saturday"), a day off or a time of night leads to the schedules
    ("business hours") and to the after-hours route; an hour outside a schedule ("6pm") too,
    an hour inside one to the schedule alone. "upgrade to <plan>" leads to the plan change
    section rather than to software upgrades.

    Only what `edition` shows: an internal schedule or plan (an agents' rota, a pilot plan)
    never names a synonym of the public edition, whose synonyms are published in its static
    search index.
    """
    facts = getattr(support, "file", support)
    if isinstance(facts, BaseModel):
        facts = for_edition(facts, edition)
    schedules = list(getattr(facts, "schedules", ()) or ())
    if not schedules:
        return {}
    names = tuple(dict.fromkeys(s.name for s in schedules))
    off = (*names, _AFTER_HOURS)
    out: dict[str, tuple[str, ...]] = {}
    covered_days = {day for s in schedules for day in s.weekdays}
    for number, day in enumerate(_DAYS, 1):
        if number not in covered_days:
            out[day] = off
            out[f"{day}s"] = off
    for phrase in _OFF_HOURS:
        out[phrase] = off
    # "Open" next to a day off is about the hours, not about opening a record ("are we open
    # on sundays"): the pair is one phrase, so "open" alone keeps its meaning.
    for phrase in [p for p in out if p in _OFF_HOURS or p.rstrip("s") in _DAYS]:
        for state in ("open", "closed"):
            out.setdefault(f"{state} on {phrase}", off)
    for hour in range(24):
        inside = [s.name for s in schedules if s.minutes[0] <= hour * 60 < s.minutes[1]]
        for word in _clock_words(hour * 60):
            out[word] = tuple(dict.fromkeys(inside)) if inside else off
    for plan in getattr(facts, "plans", ()) or ():
        for move in _PLAN_MOVES:
            out[f"{move} {plan.name}"] = (_CHANGING_PLAN,)
        # "premium benefits", "included in premium": what a plan includes is answered by
        # the comparison of the plans.
        for form in _PLAN_HOLDINGS:
            out[form.format(plan=plan.name)] = (_COMPARE_PLANS,)
    return out


def release_synonyms(releases: Any, edition: Edition = "public") -> dict[str, tuple[str, ...]]:
    """A month -> the release of that month ("october" -> "release 2026.10"), from the release
    dates: clients name a release by when it came, the help centre by its version.

    Versions and dates are public in every edition (only changes can be internal), so
    `edition` changes nothing here; it is taken for the same signature as the others.
    """
    by_month: dict[str, list[str]] = {}
    for item in getattr(releases, "releases", ()) or ():
        release = getattr(item, "release", item)  # the data keeps each release with its file
        for day in [release.date] if release.date else []:
            by_month.setdefault(_MONTHS[day.month - 1], []).append(f"release {release.version}")
    out: dict[str, tuple[str, ...]] = {}
    for month, versions in by_month.items():
        # Newest first: the month of this year before the same month a year ago.
        phrases = tuple(dict.fromkeys(reversed(sorted(versions))))
        for client in (month, f"{month} release", f"{month} update"):
            out[client] = phrases
    return out


#: Family name -> what its data implies about clients' words.
DERIVED = {"support": support_synonyms, "releases": release_synonyms}


def derived_synonyms(
    models: Mapping[str, Any], edition: Edition = "public"
) -> dict[str, tuple[str, ...]]:
    """The synonyms the families' data implies (see `DERIVED`), for the families read, as
    `edition` may see them."""
    out: dict[str, tuple[str, ...]] = {}
    for name, derive in DERIVED.items():
        model = models.get(name)
        if model is not None:
            for client, phrases in derive(model, edition).items():
                out.setdefault(client, phrases)
    return out


def load_site_synonyms(
    data_dir: str | Path, edition: str, models: Mapping[str, Any] | None = None
) -> dict[str, tuple[str, ...]]:
    """`site_synonyms`, or raise the first problem of ``synonyms.yml`` as a `ContentError`."""
    synonyms, errors = site_synonyms(data_dir, edition, models)
    if errors:
        raise sorted(errors)[0]
    return synonyms


def load_synonyms(data_dir: str | Path) -> dict[str, tuple[str, ...]]:
    """The synonyms of `data_dir`, or raise the first problem as a `ContentError`."""
    synonyms, errors = read_synonyms(data_dir)
    if errors:
        raise sorted(errors)[0]
    return synonyms


def check(data_dir: str | Path) -> list[ContentError]:
    """Every problem in the synonyms file of `data_dir` (an empty list when it is fine)."""
    return read_synonyms(data_dir)[1]
