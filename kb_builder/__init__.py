"""kb_builder: turns Markdown FAQs, wiki articles and small YAML data files into a help centre.

The core (errors, yamlio, model, loader, faq, generators) is plain Python; only
`kb_builder.plugins` imports MkDocs, so the engine can be replaced without touching the rest.
"""

__version__ = "0.1.0"
