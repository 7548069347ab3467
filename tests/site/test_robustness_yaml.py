"""Every YAML a careless or hostile writer can type, in every file kb reads, is `path:line`.

The same mistakes are thrown at every reader of YAML: each data file's loader, front matter
and mkdocs.yml, then through real builds. None may crash, none may pass in silence, and each
message names the writer's own file at the line of the mistake.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from kb_builder.core.errors import ContentError
from kb_builder.core.project import read_settings
from kb_builder.core.yamlio import load_yaml
from kb_builder.families.releases import loader as releases_loader
from kb_builder.families.support.loader import check_text as support_check
from kb_builder.families.training import loader as training_loader
from kb_builder.indexing import search_checks, synonyms
from kb_builder.pages.page import analyse
from tests.conftest import MINIMAL_CONFIG, ROOT, run_kb, write_project

# (what, YAML appended to a valid file, the line it is on, a fragment of the message).
# Each is appended as a new top-level key or value so that it is the only mistake.
MISTAKES = [
    ("impossible date as key", "2026-02-30: x\n", "is not a valid date"),
    ("bool tag as key", "? !!bool maybe\n: x\n", "cannot be read as bool"),
    ("timestamp tag", "extra_key: !!timestamp x\n", "which is not a date"),
    ("binary tag", "extra_key: !!binary aGVsbG8=\n", "'!!binary'"),
    ("python tag", "extra_key: !!python/object/apply:os.system ['true']\n", "run Python code"),
    ("set tag", "extra_key: !!set {a, b}\n", "'!!set'"),
    ("local tag", "extra_key: !secret x\n", "'!secret'"),
    ("escape control", 'extra_key: "a\\eb"\n', "control character U+001B"),
    ("NUL escape", 'extra_key: "a\\0b"\n', "control character U+0000"),
    ("C1 escape", 'extra_key: "a\\x9bb"\n', "control character U+009B"),
    ("deep nesting", "extra_key: " + "[" * 60 + "]" * 60 + "\n", "nested more than"),
    ("alias loop", "extra_key: &a [*a]\n", "nested more than"),
    ("tab indent", "extra_key:\n\tx: 1\n", "never tabs"),
    ("duplicate key", "dup: 1\ndup: 2\n", "duplicate key 'dup'"),
]

TRAINING = """\
modules:
  - id: basics
    title: Basics
    lessons:
      - id: first
        title: First
        minutes: 5
        objective: Know the basics
        page: index.md
"""
CHANGE = "title: Faster reports\nkind: improvement\n"
RELEASE = "version: '2026.12'\nstatus: planned\ndate: 2026-12-08\n"
SYNONYMS = "synonyms:\n  sandbox: preview environment\n"
CHECKS = "checks:\n  - query: phone hours\n    expect: index.md\n"
SUPPORT = (ROOT / "content" / "_data" / "support.yml").read_text(encoding="utf-8")


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def reader_errors(kind: str, folder: Path, text: str | bytes) -> tuple[list[ContentError], str]:
    """Run the loader of `kind` over `text`; return its errors and the file name it names."""
    data = folder / "_data"
    if kind == "training":
        path = write(data, "training.yml", text)
        return training_loader.check(data, {"index.md"}), str(path)
    if kind == "synonyms":
        path = write(data, "synonyms.yml", text)
        return synonyms.check(data), str(path)
    if kind == "search-checks":
        path = write(data, "search-checks.yml", text)
        return search_checks.check(data), str(path)
    if kind == "change":
        path = write(data, "changes/a.yml", text)
        return releases_loader.check(data), str(path)
    if kind == "release":
        path = write(data, "releases/2026.12.yml", text)
        return releases_loader.check(data), str(path)
    if kind == "support":
        raw = text if isinstance(text, str) else text.decode("utf-8", errors="strict")
        return support_check(raw, "support.yml")[1], "support.yml"
    if kind == "front matter":
        raw = text if isinstance(text, str) else text.decode("utf-8", errors="strict")
        return analyse(f"---\n{raw}---\n# Page\n", "page.md").errors, "page.md"
    if kind == "mkdocs.yml":
        path = write(folder, "mkdocs.yml", text)
        try:
            read_settings(path)
        except ContentError as e:
            return [e], str(path)
        return [], str(path)
    raise AssertionError(kind)


VALID = {
    "training": TRAINING,
    "synonyms": SYNONYMS,
    "search-checks": CHECKS,
    "change": CHANGE,
    "release": RELEASE,
    "support": SUPPORT,
    "front matter": "title: A page\n",
    "mkdocs.yml": MINIMAL_CONFIG.format(theme=ROOT / "theme"),
}


@pytest.mark.parametrize("kind", sorted(VALID))
def test_the_valid_files_are_valid(tmp_path, kind):
    errors, _ = reader_errors(kind, tmp_path, VALID[kind])
    assert errors == []


@pytest.mark.parametrize("kind", sorted(VALID))
@pytest.mark.parametrize("what, snippet, fragment", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_every_reader_locates_every_mistake(tmp_path, kind, what, snippet, fragment):
    if kind == "mkdocs.yml" and what == "local tag":
        pytest.skip("local tags (!ENV, !relative) in mkdocs.yml are MkDocs' own")
    valid = VALID[kind]
    text = valid + snippet
    errors, source = reader_errors(kind, tmp_path, text)
    assert errors, f"{what} in {kind} passed in silence"
    first = min(errors, key=lambda e: e.line)
    # The mistake starts on the first line after the valid part (front matter: after '---').
    expected = valid.count("\n") + 1 + (1 if kind == "front matter" else 0)
    # The tab and the second 'dup' stand on the snippet's second line.
    expected += 1 if what in ("tab indent", "duplicate key") else 0
    assert first.line == expected, first
    assert fragment in first.message, first
    assert Path(first.path).name == Path(source).name


@pytest.mark.parametrize("kind", sorted(VALID))
@pytest.mark.parametrize(
    "what, mutate",
    [
        ("BOM", lambda t: "\ufeff" + t),
        ("CRLF", lambda t: t.replace("\n", "\r\n")),
    ],
)
def test_bom_and_crlf_are_fine(tmp_path, kind, what, mutate):
    errors, _ = reader_errors(kind, tmp_path, mutate(VALID[kind]))
    assert errors == [], errors


@pytest.mark.parametrize("kind", sorted(set(VALID) - {"support", "front matter"}))
def test_non_utf8_and_raw_nul_are_located(tmp_path, kind):
    lines = VALID[kind].count("\n")
    errors, _ = reader_errors(kind, tmp_path, VALID[kind].encode() + b"extra_key: caf\xe9\n")
    assert [(e.line, "not valid UTF-8" in e.message) for e in errors[:1]] == [(lines + 1, True)]
    errors, _ = reader_errors(kind, tmp_path, VALID[kind] + "extra_key: a\x00b\n")
    assert errors[0].line == lines + 1 and "U+0000" in errors[0].message, errors


def test_merge_keys_with_overrides_are_valid_yaml():
    text = textwrap.dedent(
        """\
        base: &base
          minutes: 5
          objective: Know it
        first:
          <<: *base
          minutes: 7
        second:
          <<: [*base, {level: advanced}]
        """
    )
    data, lines = load_yaml(text, "f.yml")
    assert data["first"] == {"minutes": 7, "objective": "Know it"}
    assert data["second"] == {"minutes": 5, "objective": "Know it", "level": "advanced"}
    assert lines.line_of(("first", "minutes")) == 6


def test_a_merge_key_still_refuses_a_written_duplicate():
    with pytest.raises(ContentError) as e:
        load_yaml("b: &b {x: 1}\no:\n  <<: *b\n  y: 1\n  y: 2\n", "f.yml")
    assert str(e.value) == "f.yml:5: duplicate key 'y' (first given on line 4); keep one of them"


def test_training_with_merge_keys_builds_and_applies_the_override(tmp_path):
    training = textwrap.dedent(
        """\
        modules:
          - id: basics
            title: Basics
            lessons:
              - &lesson
                id: first
                title: First
                minutes: 5
                objective: Know the basics
                page: index.md
              - <<: *lesson
                id: second
                title: Second
                minutes: 12
        """
    )
    cfg = write_project(tmp_path, {"index.md": "# Home\n", "_data/training.yml": training})
    result = run_kb("build", "-f", str(cfg), cwd=tmp_path)
    assert result.exit_code == 0, result
    agenda = (tmp_path / "site" / "training" / "agenda" / "index.html").read_text()
    assert "Second" in agenda and "12 min" in agenda


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("minutes-bool", TRAINING.replace("minutes: 5", "minutes: yes"), "must be a whole number"),
        ("minutes-float", TRAINING.replace("minutes: 5", "minutes: 5.5"), "must be a whole number"),
        ("minutes-huge", TRAINING.replace("minutes: 5", "minutes: 10" + "0" * 30), "at most 600"),
        ("minutes-negative", TRAINING.replace("minutes: 5", "minutes: -5"), "greater than 0"),
        ("minutes-inf", TRAINING.replace("minutes: 5", "minutes: .inf"), "whole number"),
        ("title-number", TRAINING.replace("title: First", "title: 1"), "must be text"),
    ],
)
def test_numbers_are_never_coerced(tmp_path, name, text, message):
    errors, _ = reader_errors("training", tmp_path, text)
    assert len(errors) == 1 and errors[0].line == 7 + (name == "title-number") * -1, errors
    assert message in errors[0].message


@pytest.mark.parametrize(
    "date, fragment",
    [
        ("9999-12-31", "from 1970-01-01 to 2199-12-31"),
        ("0001-01-01", "from 1970-01-01 to 2199-12-31"),
        ("2026-12-08 10:00:00", "a date with a time"),
        ("20261208", "which is not a date"),
        ("'2026-02-30'", "not a valid date"),
    ],
)
def test_release_dates_have_a_range(tmp_path, date, fragment):
    errors, _ = reader_errors("release", tmp_path, RELEASE.replace("2026-12-08", date))
    assert [e.line for e in errors] == [3], errors
    assert fragment in errors[0].message


def test_a_quoted_date_is_the_date_it_spells(tmp_path):
    errors, _ = reader_errors("release", tmp_path, RELEASE.replace("2026-12-08", "'2026-12-08'"))
    assert errors == []


# Through real builds: what kb build and kb check print, for the examples of the issue.
BUILDS = {
    "synonyms.yml not UTF-8": (
        {"_data/synonyms.yml": b"synonyms:\n  sandbox: pr\xe9view environment\n"},
        "content/_data/synonyms.yml:2: not valid UTF-8",
    ),
    "date key in training.yml": (
        {"_data/training.yml": TRAINING + "2026-02-30: x\n"},
        "content/_data/training.yml:10: the key '2026-02-30' is not a valid date",
    ),
    "ESC in a change title": (
        {"_data/changes/a.yml": 'title: "Faster \\e[31m reports"\nkind: fix\n'},
        "content/_data/changes/a.yml:1: 'title' contains the control character U+001B",
    ),
    "release in year 9999": (
        {
            "_data/releases/1.0.yml": "version: '1.0'\nstatus: released\ndate: 9999-12-31\n",
            "_data/changes/a.yml": CHANGE + "release: '1.0'\n",
        },
        "content/_data/releases/1.0.yml:3: 'date' is 9999-12-31",
    ),
    "NUL in a title": (
        {"page.md": '---\ntitle: "Bad\\0title"\n---\n# Page\n'},
        "content/page.md:2: 'title' contains the control character U+0000",
    ),
    "ESC in a heading": (
        {"page.md": "# Bad \x1b[31m heading\n"},
        "content/page.md:1: contains the control character U+001B",
    ),
}


@pytest.mark.parametrize("case", sorted(BUILDS))
def test_build_and_check_report_the_same_line_without_a_traceback(tmp_path, case):
    files, message = BUILDS[case]
    cfg = write_project(tmp_path, {"index.md": "# Home\n", **files})
    for command in ("build", "check"):
        result = run_kb(command, "-f", str(cfg), cwd=tmp_path)
        assert result.exit_code == 1, (command, result)
        assert result.exception is None, (command, result)
        assert message in result.output, (command, result)
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "what, addition, fragment",
    [
        ("not UTF-8", b"extra:\n  x: caf\xe9\n", "not valid UTF-8"),
        ("impossible date", b"extra:\n  launched: 2026-02-30\n", "not a valid date"),
        ("date key", b"extra:\n  2026-02-30: x\n", "the key '2026-02-30'"),
        ("duplicate", b"site_name: Again\n", "duplicate key 'site_name'"),
        ("python object", b"extra:\n  x: !!python/object/apply:os.system ['true']\n", "Python"),
        ("tab", b"extra:\n\tx: 1\n", "never tabs"),
    ],
)
def test_mkdocs_yml_mistakes_are_located_before_mkdocs_reads_it(tmp_path, what, addition, fragment):
    cfg = write_project(tmp_path, {"index.md": "# Home\n"})
    lines = cfg.read_text().count("\n")
    cfg.write_bytes(cfg.read_bytes() + addition)
    marker = tmp_path / "ran"
    if what == "python object":  # it must never run: MkDocs' own loader would run it
        cfg.write_bytes(cfg.read_bytes().replace(b"['true']", f"['touch {marker}']".encode()))
    for command in ("build", "check"):
        result = run_kb(command, "-f", str(cfg), cwd=tmp_path)
        assert result.exit_code in (1, 2), (command, result)
        assert result.exception is None, (command, result)
        assert f"mkdocs.yml:{lines + 1}" in result.output or f"mkdocs.yml:{lines + 2}" in (
            result.output
        ), (command, result)
        assert fragment in result.output
    assert not marker.exists()


def test_mkdocs_yml_python_names_stay_allowed(tmp_path):
    """Material's emoji index is named with !!python/name: that is configuration, not code run."""
    config = MINIMAL_CONFIG.format(theme=ROOT / "theme").replace(
        "markdown_extensions:\n",
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n",
    )
    cfg = write_project(tmp_path, {"index.md": "# Home :smile:\n"}, config)
    settings = read_settings(cfg)
    assert settings.docs_dir == cfg.parent / "content"
    assert os.fspath(settings.config_file) == os.fspath(cfg)


def test_a_content_error_survives_a_with_block():
    """Python sets __traceback__ on an exception leaving a @contextmanager's block: a frozen
    ContentError must allow it, or the writer gets FrozenInstanceError's traceback instead."""
    import contextlib

    @contextlib.contextmanager
    def block():
        yield

    with pytest.raises(ContentError) as caught, block():
        raise ContentError("content/a.md", 3, "a mistake")
    assert str(caught.value) == "content/a.md:3: a mistake"
    with pytest.raises(AttributeError):
        caught.value.line = 4  # the located fields themselves stay frozen


@pytest.mark.parametrize("value", ["true", "0", "-3", '"40"', "4.5"])
def test_the_plugins_own_numbers_are_never_coerced(tmp_path, value):
    config = MINIMAL_CONFIG.format(theme=ROOT / "theme").replace(
        "  - kb\n", f"  - kb:\n      nav_section_limit: {value}\n"
    )
    cfg = write_project(tmp_path, {"index.md": "# Home\n"}, config)
    located = "mkdocs.yml:9: the kb plugin's 'nav_section_limit' must be a whole number of pages"
    result = run_kb("build", "-f", str(cfg), cwd=tmp_path)
    assert result.exit_code == 1 and result.exception is None, result
    assert located in result.output
    assert "Build failed: " in result.output
    # kb check gives the same reason at the option's line, not "Aborted with ... error!".
    result = run_kb("check", "-f", str(cfg), cwd=tmp_path)
    assert result.exit_code == 1 and result.exception is None, result
    assert located in result.output and "Aborted" not in result.output


@pytest.mark.parametrize(
    "character",
    [
        "\u202a",
        "\u202e",
        "\u2066",
        "\u2069",
        "\u200b",
        "\u200e",
        "\u200f",
        "\ufeff",
        "\u2060",
        "\u00ad",
    ],
)
def test_invisible_format_characters_are_refused_in_any_yaml_text(character):
    from kb_builder.core.yamlio import load_yaml

    text = f"modules:\n  - title: ok\n  - title: Running {character}reports\n"
    with pytest.raises(ContentError) as caught:
        load_yaml(text, "content/_data/training.yml")
    assert caught.value.line == 3
    assert f"contains the invisible character U+{ord(character):04X}" in caught.value.message
    # Escaped in YAML (the form that survives copy and paste) it is the same character.
    with pytest.raises(ContentError):
        load_yaml(f'title: "a\\u{ord(character):04x}b"\n', "x.yml")


@pytest.mark.parametrize(
    "text",
    [
        "می\u200cخواهم",
        "क्\u200dष",
        "👩\u200d💻 developers",
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    ],
    ids=["persian-zwnj", "devanagari-zwj", "emoji-zwj", "subdivision-flag"],
)
def test_joiners_that_a_script_or_an_emoji_needs_are_text(text):
    from kb_builder.core.yamlio import load_yaml

    assert load_yaml(f'title: "{text}"\n', "x.yml")[0] == {"title": text}


@pytest.mark.parametrize(
    "key, message",
    [
        ("? !!null\n  : y", "this key is empty (null)"),
        ("~: y", "the key '~' is read as empty (null)"),
        ("yes: y", "the key 'yes' is read as true/false, not text"),
        ("2026-01-02: y", "the key '2026-01-02' is read as a date, not text"),
        ("5: y", "the key '5' is read as a number, not text"),
        ('"  ": y', "the key is blank"),
    ],
)
def test_a_key_that_is_not_text_is_refused_at_its_own_line(key, message):
    from kb_builder.core.yamlio import load_yaml

    with pytest.raises(ContentError) as caught:
        load_yaml(f"synonyms:\n  sandbox: preview environment\n  {key}\n", "synonyms.yml")
    assert caught.value.line == 3 and message in caught.value.message


def test_mkdocs_yml_may_keep_a_number_as_a_nav_title(tmp_path):
    from kb_builder.core.project import read_settings

    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text("site_name: x\nnav:\n  - 2026.11: releases/2026.11.md\n  - ~: a.md\n")
    with pytest.raises(ContentError) as caught:
        read_settings(cfg)
    assert caught.value.line == 4 and "is read as empty (null)" in caught.value.message
    cfg.write_text("site_name: x\nnav:\n  - 2026.11: releases/2026.11.md\n")
    assert read_settings(cfg).data["nav"] == [{2026.11: "releases/2026.11.md"}]


@pytest.mark.parametrize(
    "setting, option",
    [
        ("  - kb:\n      edition: Internal\n", "'edition' is 'Internal', which is not an edition"),
        ("  - kb:\n      nav_section_limit: -1\n", "'nav_section_limit' must be a whole number"),
        ("  - kb\nuse_directory_urls: maybe\n", "'use_directory_urls': Expected type"),
    ],
)
def test_an_invalid_setting_is_reported_at_its_line_by_check_and_build(tmp_path, setting, option):
    """MkDocs logs why a setting is invalid and raises only "Aborted with a configuration
    error!": kb check and kb build both give the reason, at the setting's own line."""
    config = MINIMAL_CONFIG.format(theme=ROOT / "theme").replace("  - kb\n", setting)
    cfg = write_project(tmp_path, {"index.md": "# Home\n"}, config)
    line = next(n for n, text in enumerate(config.splitlines(), 1) if option.split("'")[1] in text)
    for command in ("check", "build"):
        result = run_kb(command, "-f", str(cfg), cwd=tmp_path)
        assert result.exit_code == 1 and result.exception is None, (command, result)
        assert f"mkdocs.yml:{line}: " in result.output and option in result.output, result
        assert "Aborted with" not in result.output
