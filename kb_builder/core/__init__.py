"""The core every other part of kb-builder builds on, with no knowledge of any engine.

- `text`: the one place that decides how a string becomes HTML or Markdown text, and which link
  addresses a page may carry.
- `markdown`: writers' Markdown from data files made safe to render (raw HTML shown as text,
  attribute lists neutralised), and the link and attribute rules every page obeys.
- `templates`: the one Jinja2 factory every generator uses (autoescape, StrictUndefined).
"""
