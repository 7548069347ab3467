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

from pydantic import BeforeValidator, Field

from kb_builder.core.errors import ContentError
from kb_builder.core.model import StrictModel
from kb_builder.core.validation import validate
from kb_builder.core.yamlio import read_yaml_file
from search.query import Synonyms

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
        for client, canonical in family.synonyms(model, edition).items():
            words = tuple(Synonyms.searchable_words(client))
            phrases = tuple(p for p in canonical if p.casefold() != client.casefold())
            if words and phrases and words not in taken:
                taken.add(words)
                synonyms[client] = phrases
    return synonyms, []


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
