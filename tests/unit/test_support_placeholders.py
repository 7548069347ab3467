"""Placeholders: support facts quoted in prose, never in code, always shown literally."""

from __future__ import annotations

import html as html_lib
import re
import textwrap
from pathlib import Path

import markdown
import pytest
import yaml
from markdown_it import MarkdownIt

from kb_builder.core.errors import ContentError
from kb_builder.families.support import load
from kb_builder.families.support.facts import Facts
from kb_builder.families.support.placeholders import find_errors, find_placeholders, resolve
from tests.conftest import ROOT, SHARED

TLDR = SHARED / "corpora" / "tldr-common" / "pages"


@pytest.fixture(scope="module")
def facts() -> Facts:
    return load(ROOT / "content" / "_data").facts


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_prose_is_resolved(facts):
    text = md(
        """
        # Hours of {{ support.vendor }}

        Phone: {{support.plans.premium.phone.hours}}.

        - critical triage within {{ support.tickets.critical.triage }}
        > status within {{ support.tickets.critical.status_update }}

        | Plan | Hours |
        | --- | --- |
        | {{ support.plans.premium.name }} | {{ support.plans.premium.phone.time }} |

        [Call {{ support.plans.premium.name }}](plans-and-hours.md)
        """
    )
    assert resolve(text, "p.md", 0, facts, "public") == md(
        """
        # Hours of OPS-COM

        Phone: Monday to Friday, 9 a.m. to 5 p.m. Eastern time.

        - critical triage within 15 minutes
        > status within 1 hour

        | Plan | Hours |
        | --- | --- |
        | Premium | 9 a.m. to 5 p.m. Eastern time |

        [Call Premium](plans-and-hours.md)
        """
    )


def test_code_raw_html_and_escapes_are_left_alone(facts):
    text = md(
        """
        Inline `{{ support.vendor }}` and ``a `{{ support.vendor }}` b``.

        ```yaml
        vendor: {{ support.vendor }}
        ```

            indented code {{ support.vendor }}

        <div data-x="{{ support.vendor }}">
        {{ support.vendor }}
        </div>

        A literal \\{{ support.vendor }} and another plugin's {{ config.site_name }}.
        """
    )
    assert find_placeholders(text) == []
    assert resolve(text, "p.md", 0, facts, "public") == text


def test_admonition_and_tab_bodies_are_prose_but_their_code_is_not(facts):
    text = md(
        """
        !!! note "Hours"
            First paragraph: {{ support.vendor }}.

            Second paragraph: {{ support.tickets.critical.triage }}.

                code in the note {{ support.vendor }}

        === "Premium"

            {{ support.plans.premium.phone.hours }}

        1. A step

            ??? tip "More"

                In a list: {{ support.timezone }}
        """
    )
    out = resolve(text, "p.md", 0, facts, "public")
    assert "First paragraph: OPS-COM." in out
    assert "Second paragraph: 15 minutes." in out
    assert "code in the note {{ support.vendor }}" in out
    assert "    Monday to Friday, 9 a.m. to 5 p.m. Eastern time\n" in out
    assert "In a list: Eastern time" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Call {{ support.plans.premium.phone.hour }}.",
            "p.md:6: unknown support fact '{{ support.plans.premium.phone.hour }}' (did you "
            "mean 'support.plans.premium.phone.hours'?); after 'support.plans.premium.phone.' "
            "use 'days', 'hours', 'name', 'phone' or 'time'",
        ),
        (
            "Call {{ support.plans.gold.phone.hours }}.",
            "p.md:6: unknown support fact '{{ support.plans.gold.phone.hours }}' (did you mean "
            "'support.plans.premium.phone.hours'?); after 'support.plans.' use 'premium' or "
            "'standard-plus'",
        ),
        (
            "{{ support.tickets.critical }}",
            "p.md:6: '{{ support.tickets.critical }}' names a group of support facts, not one "
            "fact; add one of 'definition', 'name', 'question', 'status_update', 'triage' or "
            "'urgencies', e.g. '{{ support.tickets.critical.definition }}'",
        ),
        (
            "{{ Support.vendor }}",
            "p.md:6: unknown placeholder '{{ Support.vendor }}' (did you mean "
            "'support.vendor'?); support facts start with 'support.'",
        ),
    ],
)
def test_unknown_names(facts, text, message):
    with pytest.raises(ContentError) as e:
        resolve(text, "p.md", 5, facts, "public")
    assert str(e.value) == message


def test_find_errors_lists_every_problem_at_its_line(facts):
    text = "{{ support.x }}\n\n`{{ support.y }}`\n\nok {{ support.vendor }} {{ support.z }}\n"
    assert [
        (e.line, e.message.split("'")[1]) for e in find_errors(text, "p.md", 3, facts, "public")
    ] == [(4, "{{ support.x }}"), (8, "{{ support.z }}")]


def test_internal_facts_only_in_the_internal_edition():
    facts = Facts()
    facts.add("team.rota.name", "the on-call rota", type("Item", (), {"audience": "internal"}))
    text = "Ask {{ support.team.rota.name }}.\n"
    assert resolve(text, "p.md", 0, facts, "internal") == "Ask the on-call rota.\n"
    with pytest.raises(ContentError) as e:
        resolve(text, "p.md", 0, facts, "public")
    assert str(e.value) == (
        "p.md:1: '{{ support.team.rota.name }}' is an internal support fact (audience: internal "
        "in support.yml) and cannot appear in the public edition; remove it, or mark the page "
        "'audience: internal'"
    )


def _site_markdown() -> markdown.Markdown:
    """Python-Markdown with the demo site's extensions (mkdocs.yml, loaded as MkDocs does)."""
    config = yaml.unsafe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        name, opts = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        options[name] = opts or {}
    return markdown.Markdown(extensions=names, extension_configs=options)


HOSTILE = "<b>Gold</b> *plus* _x_ [y](z) `c` | :smile: {#id} AT&T &amp; \\ ~s~"


@pytest.mark.parametrize("where", ["paragraph", "list", "table", "heading", "line start"])
def test_facts_appear_literally_after_rendering(where):
    facts = Facts()
    facts.add("plans.gold.name", HOSTILE)
    text = {
        "paragraph": "Plan: {{ support.plans.gold.name }}.\n",
        "list": "- {{ support.plans.gold.name }}\n",
        "table": "| a | b |\n| --- | --- |\n| {{ support.plans.gold.name }} | x |\n",
        "heading": "## {{ support.plans.gold.name }}\n",
        "line start": "{{ support.plans.gold.name }}\n",
    }[where]
    resolved = resolve(text, "p.md", 0, facts, "public")
    for html in (_site_markdown().convert(resolved), MarkdownIt("commonmark").render(resolved)):
        assert HOSTILE in html_lib.unescape(re.sub(r"<[^>]+>", "", html)), html
        assert "<b>" not in html and "<em>" not in html and "<code>" not in html
    # The line start variant must not become a list, heading or other block.
    assert resolve("{{ support.x.y }}\n", "p.md", 0, _one("x.y", "1. not a list"), "public") == (
        "1&#46; not a list\n"
    )


def _one(name: str, value: str) -> Facts:
    facts = Facts()
    facts.add(name, value)
    return facts


@pytest.mark.skipif(not TLDR.is_dir(), reason="the tldr corpus is not on this machine")
def test_tldr_pages_come_through_byte_for_byte(facts):
    """4,613 command pages whose code is full of ``{{path/to/file}}``: nothing may change.

    A second pass turns every ``{{...}}`` into a support placeholder: all are inside code, so
    none may be reported or replaced either.
    """
    paths = sorted(TLDR.glob("*.md"))
    assert len(paths) == 4613
    occurrences = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert resolve(text, str(path), 0, facts, "public") == text, path
        as_support, count = re.subn(r"\{\{.*?\}\}", "{{ support.not.a.fact }}", text)
        occurrences += count
        assert find_errors(as_support, str(path), 0, facts, "public") == [], path
        assert resolve(as_support, str(path), 0, facts, "public") == as_support, path
    assert occurrences == 31945


def test_byte_for_byte_without_placeholders(facts):
    text = "Windows line ends\r\nand a {{placeholder}} `{{ other }}`\r\n\ttab\n"
    assert resolve(text, "p.md", 0, facts, "public") == text
    assert resolve(Path.__doc__ or "", "p.md", 0, facts, "public") == (Path.__doc__ or "")
