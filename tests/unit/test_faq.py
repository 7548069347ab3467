"""FAQ structure: questions, anchors, the rendered Markdown and the JSON-LD (pure functions)."""

import json

import pytest

from kb_builder.core.slugs import slugify, split_heading_attrs
from kb_builder.pages.faq import faq_jsonld, parse_questions, render_faq_markdown


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("How do I launch a support ticket?", "how-do-i-launch-a-support-ticket"),
        (
            "Do you have online resources, self-help tools?",
            "do-you-have-online-resources-self-help-tools",
        ),
        ("What's `kb check` for?", "whats-kb-check-for"),
        ("Où payer mon permis ?", "où-payer-mon-permis"),
        ("Read [the guide](x.md) first", "read-the-guide-first"),
        ("???", ""),
    ],
)
def test_slugify(heading, anchor):
    assert slugify(heading) == anchor


def test_explicit_anchor():
    assert split_heading_attrs("Renamed question? {#old-anchor}") == (
        "Renamed question?",
        "old-anchor",
    )
    assert split_heading_attrs("Q? { #a .cls }") == ("Q?", "a")
    assert split_heading_attrs("Q?") == ("Q?", None)


BODY = """\
# Questions

Intro.

## How do I launch a ticket?

Use the help desk.

```text
## Not a question: inside a code block
```

## Is phone support available? {#phone}

Premium only.
"""


def test_questions_and_their_lines():
    questions, errors = parse_questions(BODY, "faq.md", body_offset=4)
    assert errors == []
    assert [(q.text, q.anchor, q.line) for q in questions] == [
        ("How do I launch a ticket?", "how-do-i-launch-a-ticket", 9),
        ("Is phone support available?", "phone", 17),
    ]


def test_anchor_survives_reordering():
    a, _ = parse_questions(BODY, "faq.md", 0)
    swapped = (
        "# Q\n\n## Is phone support available? {#phone}\n\nP.\n\n"
        "## How do I launch a ticket?\n\nH.\n"
    )
    b, _ = parse_questions(swapped, "faq.md", 0)
    assert {q.text: q.anchor for q in a} == {q.text: q.anchor for q in b}


def test_rendered_markdown():
    questions, _ = parse_questions(BODY, "faq.md", 0)
    out = render_faq_markdown(BODY, questions)
    assert out.index("Intro.") < out.index('id="questions"') < out.index("## How do I launch")
    assert "- [How do I launch a ticket?](#how-do-i-launch-a-ticket)" in out
    assert "- [Is phone support available?](#phone)" in out
    assert "## Is phone support available? { #phone .kb-faq-question }" in out
    assert out.count('<a href="#questions">Back to the questions</a>') == 2
    assert "## Not a question: inside a code block" in out  # code left untouched


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "# T\n\nNo questions here.\n",
            [
                "faq.md:2: this FAQ page has no questions; write each question as a '## Question?' "
                "heading with its answer below it"
            ],
        ),
        (
            "# T\n\n## Why?\n\n## How?\n\nBecause.\n",
            ["faq.md:3: the question 'Why?' has no answer; write the answer below its heading"],
        ),
        (
            "# T\n\n## Why?\n\n<!-- to do -->\n\n## How?\n\nBecause.\n",
            ["faq.md:3: the question 'Why?' has no answer; write the answer below its heading"],
        ),
        (
            "# T\n\n## Why?\n\nA.\n\n## why\n\nB.\n",
            [
                "faq.md:7: duplicate question 'why' (already asked on line 3); merge the two "
                "answers or reword one question"
            ],
        ),
        (
            "# T\n\n## C++?\n\nA.\n\n## C?\n\nB.\n",
            [
                "faq.md:7: the question 'C?' would get the anchor '#c', already used by the "
                "question on line 3; give it its own, e.g. '## C? {#c-2}'"
            ],
        ),
        (
            "# T\n\n## Questions\n\nA.\n",
            [
                "faq.md:3: the question 'Questions' would get the anchor '#questions', "
                "already used by the list of questions; give it its own, "
                "e.g. '## Questions {#questions-2}'"
            ],
        ),
        (
            "# T\n\n## ,,, {#commas}\n\nA.\n",
            [
                "faq.md:3: the question ',,,' has no words; write it as a question, e.g. "
                "'## How do I reset my password?'"
            ],
        ),
        (
            "# T\n\n## ?!?\n\nA.\n",
            [
                "faq.md:3: the question '?!?' has no words; write it as a question, e.g. "
                "'## How do I reset my password?'"
            ],
        ),
    ],
)
def test_faq_errors(body, expected):
    _, errors = parse_questions(body, "faq.md", body_offset=0, type_line=2)
    assert [str(e) for e in errors] == expected


def test_jsonld_is_parseable_and_safe_in_a_script_tag():
    questions, _ = parse_questions("# T\n\n## Why?\n\nA.\n", "faq.md", 0)
    html = (
        '<h1>T</h1><h2 id="why">Why?<a class="headerlink" href="#why">¶</a></h2>'
        "<p>Because <em>of</em> </script><!-- & --></p><ul><li>one</li></ul>"
        '<p class="kb-faq-back"><a href="#questions">Back</a></p>'
    )
    text = faq_jsonld(html, questions)
    assert "<" not in text and ">" not in text
    data = json.loads(text)
    assert data["@type"] == "FAQPage"
    assert data["mainEntity"] == [
        {
            "@type": "Question",
            "name": "Why?",
            "acceptedAnswer": {"@type": "Answer", "text": "Because of one"},
        }
    ]
