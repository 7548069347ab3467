"""Release and change files: every mistake is `path:line: what is wrong, what would be valid`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kb_builder.core.errors import ContentError
from kb_builder.families.releases import DEFAULT_KINDS, KindSpec, check, load
from kb_builder.families.releases.loader import parse_change, parse_release
from kb_builder.families.releases.model import KindName


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (paths relative to the data dir) and return the data dir."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    # Messages show paths relative to the working directory, as a writer running kb sees them.
    monkeypatch.chdir(tmp_path)
    return tmp_path


RELEASE_OK = 'version: "2026.11"\nstatus: released\ndate: 2026-11-17\n'


def change_errors(text: str | bytes) -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    return [str(e) for e in parse_change(raw, "changes/c.yml")[1]]


def release_errors(text: str | bytes) -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    return [str(e) for e in parse_release(raw, "releases/r.yml")[1]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: [x\n",
            [
                "changes/c.yml:1: YAML syntax error: expected ',' or ']', but got '<stream end>' "
                "(parsing a flow sequence on this line)"
            ],
        ),
        (
            "# modeline\nkind: fix\n",
            ["changes/c.yml:2: 'title' is missing; it is required"],
        ),
        (
            "title: '  '\nkind: fix\n",
            ["changes/c.yml:1: 'title' is empty; write some text"],
        ),
        (
            "title: T\nkind: feture\n",
            [
                "changes/c.yml:2: 'kind' is 'feture', which is not valid; use 'feature', "
                "'improvement', 'fix', 'security', 'deprecation' or 'known-issue' "
                "(did you mean 'feature'?)"
            ],
        ),
        (
            "title: T\nkind: Fix\n",
            [
                "changes/c.yml:2: 'kind' is 'Fix', which is not valid; use 'feature', "
                "'improvement', 'fix', 'security', 'deprecation' or 'known-issue' "
                "(did you mean 'fix'?)"
            ],
        ),
        (
            "title: T\nkind: fix\ntracker: [OPS-12, ops 13]\n",
            [
                "changes/c.yml:3: 'tracker item 2' is 'ops 13', which is not a tracker key; "
                "write it like 'OPS-1234' (project key in capitals, a hyphen, the issue number)"
            ],
        ),
        (
            "title: T\nkind: fix\naudience: staff\n",
            [
                "changes/c.yml:3: 'audience' is 'staff', which is not valid; use 'public' or "
                "'internal'"
            ],
        ),
        (
            "title: T\nkind: fix\nrelease: a/b\n",
            [
                "changes/c.yml:3: 'release' is 'a/b', which cannot be a version: use letters, "
                "digits, '.', '-' and '_' only (at most 40), starting and ending with a letter "
                "or digit, e.g. '2026.12', '2026.12.1' or '7.0-rc1'"
            ],
        ),
        (
            "title: T\nkind: fix\nmodule: [Permits]\n",
            [
                "changes/c.yml:3: unknown change key 'module' (did you mean 'modules'?); valid "
                "keys are 'audience', 'body', 'kind', 'modules', 'release', 'title' or 'tracker'"
            ],
        ),
        (
            "",
            [
                "changes/c.yml:1: the file is empty; a change needs at least 'title' and "
                "'kind', e.g. 'title: Faster reports' and 'kind: improvement'"
            ],
        ),
        (
            "# yaml-language-server: $schema=../../../schemas/change.schema.json\n",
            [
                "changes/c.yml:1: the file is empty; a change needs at least 'title' and "
                "'kind', e.g. 'title: Faster reports' and 'kind: improvement'"
            ],
        ),
        (
            b"title: caf\xe9\nkind: fix\n",
            ["changes/c.yml:1: not valid UTF-8 (byte 0xe9 at offset 10); save the file as UTF-8"],
        ),
        (
            "- title: T\n  kind: fix\n",
            [
                "changes/c.yml:1: a change file must be 'key: value' lines (a mapping), not a "
                "list; a change needs at least 'title' and 'kind', e.g. 'title: Faster reports' "
                "and 'kind: improvement'"
            ],
        ),
        (
            "just a sentence\n",
            [
                "changes/c.yml:1: a change file must be 'key: value' lines (a mapping), not a "
                "single value ('just a sentence'); a change needs at least 'title' and 'kind', "
                "e.g. 'title: Faster reports' and 'kind: improvement'"
            ],
        ),
        (
            "title: T\nkind: fix\nbody: a\x00b\n",
            [
                "changes/c.yml:3: contains the control character U+0000, which YAML does not "
                "allow; delete it (it is often pasted in by accident)"
            ],
        ),
        (
            "title: !!bool maybe\nkind: fix\n",
            [
                "changes/c.yml:1: 'title' is 'maybe', which cannot be read as bool; remove the "
                "'!!bool' tag or correct the value"
            ],
        ),
        (
            "title: T\nkind: fix\ntitle: U\n",
            ["changes/c.yml:3: duplicate key 'title' (first given on line 1); keep one of them"],
        ),
    ],
)
def test_change_file_mistakes(text, expected):
    assert change_errors(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "version: '2026.12'\nstatus: planned\ndate: 2026-12-32\n",
            # Looks like a date to YAML, which fails to build it (kb_builder.core.yamlio words it).
            [
                "releases/r.yml:3: '2026-12-32' is not a valid date (day is out of range for "
                "month); write dates as YYYY-MM-DD"
            ],
        ),
        (
            "version: '2026.12'\nstatus: planned\ndate: 2026-13-01\n",
            [
                "releases/r.yml:3: '2026-13-01' is not a valid date (month must be in 1..12); "
                "write dates as YYYY-MM-DD"
            ],
        ),
        (
            "version: '2026.12'\nstatus: planned\ndate: 8 December 2026\n",
            [
                "releases/r.yml:3: 'date' is '8 December 2026', which is not a date; write it "
                "as YYYY-MM-DD"
            ],
        ),
        (
            "version: '2026.12'\nstatus: planned\ndate: '2026-12-08T10:00'\n",
            [
                "releases/r.yml:3: 'date' is '2026-12-08T10:00', which is not a date; write it "
                "as YYYY-MM-DD"
            ],
        ),
        (
            "version: '2026.12'\nstatus: planned\nwaves:\n  - {name: W, date: !!timestamp x, "
            "who: All}\n",
            [
                "releases/r.yml:4: 'waves item 1.date' is 'x', which is not a date; write it as "
                "YYYY-MM-DD"
            ],
        ),
        (
            "version: '2026.12'\nstatus: shipped\n",
            [
                "releases/r.yml:2: 'status' is 'shipped', which is not valid; use 'planned' or "
                "'released'"
            ],
        ),
        (
            "version: '2026.12'\nstatus: released\n",
            [
                "releases/r.yml:1: 'date' is missing; a released version needs its release "
                "date, e.g. 'date: 2026-11-17'"
            ],
        ),
        (
            "version: '2027.01'\nstatus: planned\nwaves:\n  - name: Wave 1\n    who: Pilots\n"
            "  - name: Wave 2\n    who: Everyone\n",
            [
                "releases/r.yml:4: 'waves item 1' has no date; give every wave of a staged "
                "release the day it rolls out, e.g. 'date: 2027-01-19'",
                "releases/r.yml:6: 'waves item 2' has no date; give every wave of a staged "
                "release the day it rolls out, e.g. 'date: 2027-01-19'",
            ],
        ),
        (
            "version: '2027.01'\nstatus: planned\nwaves:\n"
            "  - {name: Wave 1, date: 2027-02-16, who: Pilots}\n"
            "  - {name: Wave 2, date: 2027-01-19, who: All}\n",
            [
                "releases/r.yml:5: 'waves item 2.date' is 2027-01-19, before the date of the "
                "wave above it (2027-02-16); list the waves in the order they roll out"
            ],
        ),
        (
            "version: '2027.01'\nstatus: planned\nrollout: [2027-01-19]\n"
            "waves:\n  - {name: Wave 1, date: 2027-01-19, who: Pilots}\n",
            [
                "releases/r.yml:4: 'waves' is given together with 'rollout'; list either the "
                "rollout days or, for a staged release, its waves (each with its own date), "
                "not both"
            ],
        ),
        (
            "version: '2026.12'\nstatus: planned\nsumary: x\n",
            [
                "releases/r.yml:3: unknown release key 'sumary' (did you mean 'summary'?); valid "
                "keys are 'date', 'rollout', 'status', 'summary', 'title', 'version' or 'waves'"
            ],
        ),
        (
            "[2026.12, planned]\n",
            [
                "releases/r.yml:1: a release file must be 'key: value' lines (a mapping), not a "
                "list; a release needs at least 'version' and 'status', e.g. "
                "'version: \"2026.12\"' and 'status: planned'"
            ],
        ),
    ],
)
def test_release_file_mistakes(text, expected):
    assert release_errors(text) == expected


UNSAFE = (
    "releases/r.yml:1: 'version' is '{v}', which cannot be a version: use letters, digits, "
    "'.', '-' and '_' only (at most 40), starting and ending with a letter or digit, e.g. "
    "'2026.12', '2026.12.1' or '7.0-rc1'"
)


@pytest.mark.parametrize(
    "version", ["../x", "a/b", "a b", "..", ".hidden", "x.", "2026..12", "a\\b", "x" * 41]
)
def test_versions_that_would_make_unsafe_paths(version):
    text = f"version: '{version}'\nstatus: planned\n"
    assert release_errors(text) == [UNSAFE.format(v=version)]


def test_empty_version():
    assert release_errors("version: ''\nstatus: planned\n") == [UNSAFE.format(v="")]


@pytest.mark.parametrize("version", ["2026.12", "2026.12.1", "7.0-rc1", "v2", "2026_12"])
def test_valid_versions(version):
    release, errors = parse_release(f"version: '{version}'\nstatus: planned\n".encode(), "r.yml")
    assert errors == []
    assert release.version == version


@pytest.mark.parametrize(
    ("written", "version"),
    [("2026.10", "2026.10"), ("2026.1", "2026.1"), ("7", "7"), ("2026.12", "2026.12")],
)
def test_unquoted_versions_are_read_as_written(written, version):
    # YAML alone would read 2026.10 as the number 2026.1.
    release, errors = parse_release(f"version: {written}\nstatus: planned\n".encode(), "r.yml")
    assert errors == []
    assert release.version == version
    change, errors = parse_change(f"title: T\nkind: fix\nrelease: {written}\n".encode(), "c.yml")
    assert errors == []
    assert change.release == version


def test_check_lists_every_problem_at_once(data_dir):
    write(
        data_dir,
        {
            "releases/2026.11.yml": RELEASE_OK,
            "releases/again.yml": "# same version\nversion: 2026.11\nstatus: planned\n",
            "releases/bad.yml": "version: ../x\nstatus: planned\n",
            "changes/a.yml": "title: A\nkind: fix\nrelease: '2026.1'\n",
            "changes/b.yml": "title: B\nkind: feture\n",
            "changes/c.yml": "kind: fix\n",
            "changes/d.yml": "",
            "changes/e.yml": b"title: \xff\n",
            "changes/f.yml": "- a\n",
            "changes/g.yml": "title: [x\n",
            "changes/ok.yml": "title: OK\nkind: fix\nrelease: '2026.11'\n",
            "changes/notes.txt": "not a data file",
        },
    )
    found = [str(e) for e in check(data_dir)]
    assert [e.split(": ")[0] for e in found] == [
        "changes/a.yml:3",
        "changes/b.yml:2",
        "changes/c.yml:1",
        "changes/d.yml:1",
        "changes/e.yml:1",
        "changes/f.yml:1",
        "changes/g.yml:1",
        "releases/again.yml:2",
        "releases/bad.yml:1",
    ]
    assert found[0] == (
        "changes/a.yml:3: 'release' is '2026.1', which is not a release (did you mean "
        "'2026.11'?); use the version of a release in releases/, or leave 'release' out while "
        "the change is upcoming"
    )
    # Both files and lines are named.
    assert found[7] == (
        "releases/again.yml:2: 'version' is '2026.11', which releases/2026.11.yml:1 already "
        "has; give each release its own version"
    )


def test_load_raises_the_first_problem(data_dir):
    write(data_dir, {"changes/b.yml": "title: B\nkind: feture\n", "changes/c.yml": "kind: fix\n"})
    with pytest.raises(ContentError) as e:
        load(data_dir)
    assert str(e.value).startswith("changes/b.yml:2: 'kind' is 'feture'")


def test_missing_folders_mean_no_release_notes(data_dir):
    assert check(data_dir / "nowhere") == []
    data = load(data_dir / "nowhere")
    assert data.releases == () and data.changes == ()


def test_load_keeps_files_relative_to_the_data_dir(data_dir):
    write(
        data_dir,
        {
            "releases/2026.11.yml": RELEASE_OK,
            "changes/a.yml": "title: A\nkind: fix\nrelease: '2026.11'\n",
            "changes/b.yml": "title: B\nkind: feature\n",
        },
    )
    data = load(data_dir)
    assert [r.path for r in data.releases] == ["releases/2026.11.yml"]
    assert [c.path for c in data.upcoming()] == ["changes/b.yml"]
    assert [c.path for c in data.changes_of("2026.11")] == ["changes/a.yml"]


def test_kinds_are_configurable(data_dir):
    write(data_dir, {"changes/a.yml": "title: A\nkind: chore\n"})
    kinds = (KindSpec("feature", "New"), KindSpec("chore", "Housekeeping"))
    assert check(data_dir, kinds) == []
    assert str(check(data_dir)[0]).startswith("changes/a.yml:2: 'kind' is 'chore', which is not")
    write(data_dir, {"changes/a.yml": "title: A\nkind: fix\n"})
    assert [str(e) for e in check(data_dir, kinds)] == [
        "changes/a.yml:2: 'kind' is 'fix', which is not valid; use 'feature' or 'chore'"
    ]


def test_default_kinds_match_the_model():
    assert tuple(k.name for k in DEFAULT_KINDS) == KindName.__args__


def test_the_demo_data_is_valid():
    from tests.conftest import ROOT

    data_dir = ROOT / "content" / "_data"
    assert check(data_dir) == []
    data = load(data_dir)
    assert [r.release.version for r in data.released()] == ["2026.11", "2026.10", "2026.09"]
    assert [r.release.version for r in data.planned()] == ["2026.12", "2027.01"]
    assert {c.change.kind for c in data.upcoming()} >= {"feature", "improvement", "fix"}
    assert any(c.change.audience == "internal" for c in data.changes)
    waves = data.planned()[1].release.waves
    assert [str(w.date) for w in waves] == ["2027-01-19", "2027-02-16", "2027-03-16"]


def test_every_demo_file_names_its_schema():
    from tests.conftest import ROOT

    for folder, name in (("releases", "release"), ("changes", "change")):
        for path in (ROOT / "content" / "_data" / folder).glob("*.yml"):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../../../schemas/{name}.schema.json"
