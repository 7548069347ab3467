"""The two editions of a site, defined once.

The public edition is what clients see; the internal edition adds what only support agents
may read. An item's audience names the edition it belongs to, so `Audience` and `Edition` are
the same two words. (`search/` keeps its own copy, ``search.documents.AUDIENCES``, because it
imports nothing of kb_builder; tests/unit/test_layering.py checks that the two agree.)
"""

from __future__ import annotations

from typing import Literal

Edition = Literal["public", "internal"]
EDITIONS: tuple[Edition, ...] = ("public", "internal")

#: Who may see an item (a page, a change, a fact): the edition it belongs to.
Audience = Edition
