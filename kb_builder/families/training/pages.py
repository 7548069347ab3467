"""The training agenda page and the lesson navigation shown on the pages lessons link to."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache

import jinja2

from kb_builder.core.editions import Edition
from kb_builder.core.errors import ContentError
from kb_builder.core.generated import GeneratedPage
from kb_builder.core.project import DATA_DIR
from kb_builder.core.templates import environment
from kb_builder.families.training.loader import FILE_NAME, Training
from kb_builder.families.training.model import Lesson, Module


def minutes(total: int) -> str:
    """A duration for people: ``45 min``, ``1 h``, ``6 h 10 min``."""
    hours, rest = divmod(int(total), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@cache
def _environment() -> jinja2.Environment:
    # Every value is escaped as Markdown text unless a filter made it Markdown.
    return environment(__package__, filters={"minutes": minutes})


AGENDA_URI = "training/agenda.md"


@dataclass(frozen=True)
class LessonRef:
    """A lesson as other pages refer to it."""

    id: str
    number: str
    title: str
    page: str
    anchor: str
    module_number: int
    module_title: str
    module_size: int
    position: int

    @property
    def agenda_anchor(self) -> str:
        return f"lesson-{self.id}"


@dataclass(frozen=True)
class LessonPlace:
    """Where a page stands in the agenda: the lessons that send learners to it."""

    lessons: tuple[LessonRef, ...]
    previous: LessonRef | None
    next: LessonRef | None

    @property
    def heading(self) -> str:
        """``Lesson 3 of 5 in Module 2: Users and roles`` (or ``Lessons 1-5 of 5 ...``)."""
        first, last = self.lessons[0], self.lessons[-1]
        which = (
            f"Lesson {first.position}"
            if first is last
            else f"Lessons {first.position}–{last.position}"
        )
        return (
            f"{which} of {first.module_size} in Module {first.module_number}: {first.module_title}"
        )


def visible_modules(training: Training, edition: Edition) -> list[Module]:
    """The modules and lessons this edition shows (internal lessons only in the internal one)."""
    modules = []
    for module in training.file.modules:
        lessons = [
            lesson
            for lesson in module.lessons
            if edition == "internal" or lesson.audience == "public"
        ]
        if lessons:
            modules.append(module.model_copy(update={"lessons": lessons}))
    return modules


def edition_errors(
    training: Training, edition: Edition, internal_pages: Collection[str]
) -> list[ContentError]:
    """Public lessons that would send clients to internal pages or internal lessons."""
    if edition != "public":
        return []
    errors = []
    internal_lessons = {
        lesson.id for _, lesson in training.lessons() if lesson.audience == "internal"
    }
    for _, lesson in training.lessons():
        if lesson.audience == "internal":
            continue
        for key, ref in [("page", lesson.page)] + [("also", r.page) for r in lesson.also]:
            if ref.split("#", 1)[0] in internal_pages:
                errors.append(
                    ContentError(
                        training.source,
                        training.line_of(lesson.id, key),
                        f"public lesson '{lesson.id}' links to '{ref}', an internal page; "
                        "mark the lesson 'audience: internal' or link a public page",
                    )
                )
        if lesson.prerequisite in internal_lessons:
            errors.append(
                ContentError(
                    training.source,
                    training.line_of(lesson.id, "prerequisite"),
                    f"public lesson '{lesson.id}' requires '{lesson.prerequisite}', an internal "
                    "lesson clients cannot see; choose a public prerequisite",
                )
            )
    return errors


def _refs(modules: list[Module]) -> list[LessonRef]:
    refs = []
    for m, module in enumerate(modules, start=1):
        for n, lesson in enumerate(module.lessons, start=1):
            page, _, anchor = lesson.page.partition("#")
            refs.append(
                LessonRef(
                    lesson.id,
                    f"{m}.{n}",
                    lesson.title,
                    page,
                    anchor,
                    m,
                    module.title,
                    len(module.lessons),
                    n,
                )
            )
    return refs


def lesson_places(training: Training, edition: Edition) -> dict[str, LessonPlace]:
    """For every page a lesson links to: its lessons and the lessons before and after them.

    When several lessons send learners to one page (sections of one article), the page shows
    them together; previous and next step outside that run of lessons.
    """
    refs = _refs(visible_modules(training, edition))
    places: dict[str, LessonPlace] = {}
    for i, ref in enumerate(refs):
        if ref.page in places:
            continue
        run = [ref]
        j = i + 1
        while (
            j < len(refs)
            and refs[j].page == ref.page
            and refs[j].module_number == ref.module_number
        ):
            run.append(refs[j])
            j += 1
        places[ref.page] = LessonPlace(
            tuple(run), refs[i - 1] if i else None, refs[j] if j < len(refs) else None
        )
    return places


def _link(target: str, from_uri: str = AGENDA_URI) -> str:
    page, _, anchor = target.partition("#")
    rel = posixpath.relpath(page, posixpath.dirname(from_uri))
    return f"{rel}#{anchor}" if anchor else rel


def _progress_key(site_name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-") or "site"


def pages(
    training: Training, edition: Edition, page_titles: Mapping[str, str], site_name: str
) -> list[GeneratedPage]:
    """The agenda page, `training/agenda.md`."""
    modules = visible_modules(training, edition)
    numbers = {ref.id: ref for ref in _refs(modules)}

    def reading(lesson: Lesson) -> list[tuple[str, str]]:
        links = [
            (lesson.text or page_titles.get(lesson.page.split("#")[0], lesson.page), lesson.page)
        ]
        links += [
            (r.text or page_titles.get(r.page.split("#")[0], r.page), r.page) for r in lesson.also
        ]
        return [(text, _link(target)) for text, target in links]

    markdown = (
        _environment()
        .get_template("agenda.md.j2")
        .render(
            agenda=training.file,
            modules=modules,
            numbers=numbers,
            reading=reading,
            lesson_count=sum(len(m.lessons) for m in modules),
            total_minutes=sum(lesson.minutes for m in modules for lesson in m.lessons),
            progress_key=_progress_key(site_name),
            edition=edition,
        )
    )
    return [GeneratedPage(AGENDA_URI, markdown, f"{DATA_DIR}/{FILE_NAME}")]


def progress_key(site_name: str) -> str:
    """The key under which a browser keeps this site's training progress."""
    return _progress_key(site_name)
