"""Load and cross-check content/_data/training.yml.

pydantic checks each value; this module checks what spans the file: unique ids, lessons that
link to pages that exist, prerequisites that exist and form no cycle.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from kb_builder.core.errors import ContentError, did_you_mean
from kb_builder.core.validation import read_data_file
from kb_builder.core.yamlio import LineMap
from kb_builder.families.training.model import Lesson, Module, TrainingFile

FILE_NAME = "training.yml"


@dataclass(frozen=True)
class Training:
    """The validated agenda, with where each lesson is written (for later errors)."""

    file: TrainingFile
    source: str
    lines: LineMap

    def lessons(self) -> list[tuple[Module, Lesson]]:
        """Every lesson in agenda order, with its module."""
        return [(m, lesson) for m in self.file.modules for lesson in m.lessons]

    def line_of(self, lesson_id: str, key: str | None = None) -> int:
        """The line of a lesson (or of one of its keys)."""
        for i, module in enumerate(self.file.modules):
            for j, lesson in enumerate(module.lessons):
                if lesson.id == lesson_id:
                    path = ("modules", i, "lessons", j) + ((key,) if key else ())
                    return self.lines.line_of(path)
        return 0


def _page_path(ref: str) -> str:
    return ref.split("#", 1)[0]


def _cross_check(training: Training, known_pages: Collection[str]) -> list[ContentError]:
    errors: list[ContentError] = []
    source, lines = training.source, training.lines
    seen_modules: dict[str, int] = {}
    seen_lessons: dict[str, int] = {}
    for i, module in enumerate(training.file.modules):
        line = lines.line_of(("modules", i, "id"))
        if module.id in seen_modules:
            errors.append(
                ContentError(
                    source,
                    line,
                    f"module id '{module.id}' is already used on line {seen_modules[module.id]}; "
                    "module ids must be unique",
                )
            )
        seen_modules.setdefault(module.id, line)
        for j, lesson in enumerate(module.lessons):
            at = ("modules", i, "lessons", j)
            line = lines.line_of((*at, "id"))
            if lesson.id in seen_lessons:
                errors.append(
                    ContentError(
                        source,
                        line,
                        f"lesson id '{lesson.id}' is already used on line "
                        f"{seen_lessons[lesson.id]}; lesson ids must be unique (they key each "
                        "visitor's saved progress)",
                    )
                )
            seen_lessons.setdefault(lesson.id, line)
            refs = [((*at, "page"), lesson.page)] + [
                ((*at, "also", k, "page"), extra.page) for k, extra in enumerate(lesson.also)
            ]
            for path, ref in refs:
                if _page_path(ref) not in known_pages:
                    errors.append(
                        ContentError(
                            source,
                            lines.line_of(path),
                            f"lesson '{lesson.id}' links to '{_page_path(ref)}', which is not a "
                            f"page of the site{did_you_mean(_page_path(ref), known_pages)}; give "
                            "a path from the content folder, e.g. 'wiki/permits.md'",
                        )
                    )
    for module_index, module in enumerate(training.file.modules):
        for j, lesson in enumerate(module.lessons):
            pre = lesson.prerequisite
            if pre is None:
                continue
            line = lines.line_of(("modules", module_index, "lessons", j, "prerequisite"))
            if pre == lesson.id:
                errors.append(
                    ContentError(source, line, f"lesson '{lesson.id}' is its own prerequisite")
                )
            elif pre not in seen_lessons:
                errors.append(
                    ContentError(
                        source,
                        line,
                        f"lesson '{lesson.id}' requires '{pre}', which is not a lesson id"
                        f"{did_you_mean(pre, seen_lessons)}",
                    )
                )
    errors.extend(_cycles(training, set(seen_lessons)))
    return errors


def _cycles(training: Training, ids: set[str]) -> list[ContentError]:
    """A prerequisite chain that comes back to where it started, reported once per cycle."""
    requires = {
        lesson.id: lesson.prerequisite
        for _, lesson in training.lessons()
        if lesson.prerequisite in ids and lesson.prerequisite != lesson.id
    }
    errors, reported = [], set()
    for start in requires:
        chain, current = [start], requires.get(start)
        while current is not None and current not in chain:
            chain.append(current)
            current = requires.get(current)
        if current is None or current in reported:
            continue
        cycle = chain[chain.index(current) :]
        reported.update(cycle)
        first = min(cycle, key=lambda lesson_id: training.line_of(lesson_id))
        ring = cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first]
        errors.append(
            ContentError(
                training.source,
                training.line_of(first, "prerequisite"),
                "prerequisites form a cycle (" + " -> ".join(ring) + "); remove one of them",
            )
        )
    return errors


def _read(data_dir: Path) -> tuple[Training | None, list[ContentError]]:
    path = data_dir / FILE_NAME
    model, lines, errors = read_data_file(
        path, TrainingFile, what="training", when_empty="list the agenda's modules"
    )
    if model is None:
        return None, errors
    return Training(model, str(path), lines), []


def check(data_dir: Path, known_pages: Collection[str]) -> list[ContentError]:
    """Every problem in training.yml (none when the site has no training agenda)."""
    training, errors = _read(data_dir)
    if training is None:
        return errors
    return _cross_check(training, known_pages)


def read(
    data_dir: Path, known_pages: Collection[str]
) -> tuple[Training | None, list[ContentError]]:
    """The agenda (None when the site has none or it has problems) and its problems."""
    training, errors = _read(data_dir)
    if training is not None:
        errors = _cross_check(training, known_pages)
    return (None if errors else training), errors


def load(data_dir: Path, known_pages: Collection[str]) -> Training | None:
    """The agenda, or None when the site has none; raises the first `ContentError`."""
    training, errors = _read(data_dir)
    if training is not None:
        errors = _cross_check(training, known_pages)
    if errors:
        raise errors[0]
    return training
