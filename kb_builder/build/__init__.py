"""One edition's build, whichever engine runs it: its state and the stages that fill it.

The engine adapter (``kb_builder/plugins/``, MkDocs' events) owns the engine's objects and
hands the stages a `site.SiteFiles` view of them; the stages decide everything else. Order:

1. `sources.check_sources`: every written page analysed, validated, placed (on_files).
2. `generated.add_family_pages`: each registered family's pages and files.
3. `editions.leave_out_internal`: the public edition drops internal pages and attachments.
4. `listings.add_search_page`, `listings.add_section_listings`.
5. `rendering.page_markdown`, `rendering.page_content` per page (placeholders, players,
   the fail-closed guard, FAQ JSON-LD, search records).
6. `context.page_context` per page; `indexes` after the last page.
"""
