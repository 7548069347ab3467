"""FAQ pages built by MkDocs in tmp_path: the HTML, the JSON-LD and the errors writers see."""

import pytest

from tests.helpers.sitecheck import broken_links, jsonld, parse

FAQ = """\
---
title: Billing FAQ
type: faq
---
# Billing FAQ

Answers about invoices.

## How do I pay an invoice?

By card or bank transfer. See `## not a heading` in code.

```text
## Not a question either
```

## Can I get a refund? {#refunds}

Yes, within 30 days. A tricky answer: `</script><!--` & "quotes".
"""


def test_faq_page_structure(build_site):
    result, site = build_site({"index.md": "# Home\n\n[FAQ](faq.md)\n", "faq.md": FAQ})
    assert result.exit_code == 0, result
    page = site / "faq" / "index.html"
    tree = parse(page)

    links = [(a.text(strip=True), a.attributes["href"]) for a in tree.css("nav#questions a")]
    assert links == [
        ("How do I pay an invoice?", "#how-do-i-pay-an-invoice"),
        ("Can I get a refund?", "#refunds"),
    ]
    assert tree.css_first("nav#questions").attributes["aria-label"] == "Questions on this page"
    questions = [h.attributes["id"] for h in tree.css("h2.kb-faq-question")]
    assert questions == ["how-do-i-pay-an-invoice", "refunds"]
    backs = tree.css("p.kb-faq-back a")
    assert [b.attributes["href"] for b in backs] == ["#questions", "#questions"]
    assert "## Not a question either" in tree.css_first("pre").text()
    assert broken_links(site) == []


def test_faq_jsonld_parses(build_site):
    _, site = build_site({"index.md": "# Home\n", "faq.md": FAQ})
    (data,) = jsonld(site / "faq" / "index.html")
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "FAQPage"
    names = [q["name"] for q in data["mainEntity"]]
    assert names == ["How do I pay an invoice?", "Can I get a refund?"]
    refund = data["mainEntity"][1]["acceptedAnswer"]
    assert refund["@type"] == "Answer"
    assert refund["text"] == 'Yes, within 30 days. A tricky answer: </script><!-- & "quotes".'
    raw = (site / "faq" / "index.html").read_text()
    assert raw.count("</script>") == raw.count("<script")  # the answer did not end the block


def test_articles_have_no_faq_chrome(build_site):
    _, site = build_site({"index.md": "# Home\n\n## Section\n\nText.\n"})
    tree = parse(site / "index.html")
    assert tree.css("nav#questions") == [] and jsonld(site / "index.html") == []


BROKEN = {
    "no-questions.md": (
        "---\ntitle: Empty\ntype: faq\n---\n# Empty\n\nNothing yet.\n",
        "content/no-questions.md:3: this FAQ page has no questions; write each question as a "
        "'## Question?' heading with its answer below it",
    ),
    "empty-answer.md": (
        "---\ntype: faq\n---\n# F\n\n## Why?\n\n## How?\n\nLike this.\n",
        "content/empty-answer.md:6: the question 'Why?' has no answer; write the answer below "
        "its heading",
    ),
    "duplicate.md": (
        "---\ntype: faq\n---\n# F\n\n## Why?\n\nA.\n\n## Why ?\n\nB.\n",
        "content/duplicate.md:10: duplicate question 'Why ?' (already asked on line 6); merge "
        "the two answers or reword one question",
    ),
    "bad-type.md": (
        "---\ntitle: X\ntype: FAQ\n---\n# X\n",
        "content/bad-type.md:3: 'type' is 'FAQ', which is not valid; use 'article', 'faq' or "
        "'video' (did you mean 'faq'?)",
    ),
    "bad-yaml.md": (
        '---\ntitle: "unclosed\n---\n# X\n',
        "content/bad-yaml.md:2: YAML syntax error: found unexpected end of stream "
        "(scanning a quoted scalar on this line)",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_build_stops_with_path_line_error(build_site, name):
    text, message = BROKEN[name]
    result, site = build_site({"index.md": "# Home\n", name: text})
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and result.exception is None
    assert not site.exists()


def test_check_lists_every_problem(tmp_path):
    from tests.conftest import run_kb, write_project

    pages = {"index.md": "# Home\n"} | {name: text for name, (text, _) in BROKEN.items()}
    cfg = write_project(tmp_path, pages)
    result = run_kb("check", "-f", str(cfg), cwd=tmp_path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert sorted(msg for _, msg in BROKEN.values()) == sorted(lines[:-1])
    assert lines[-1] == "5 problems found in content/."
