"""Help-centre search on Whoosh: it knows nothing of MkDocs or of how pages were built.

Only `search.documents.Document` goes in and `search.documents.Hit` comes out. The modules:

- `search.schema`: the Whoosh schema (fields and boosts), declared once;
- `search.index`: the index directory: atomic, incremental `rebuild`, `LiveIndex` for servers;
- `search.query`: `search` and `suggest` in clients' words (synonyms, stemming, typos, snippets);
- `search.related`: `related_pages` for every page, without a query per page;
- `search.api`: `make_app`, the JSON search API as a WSGI application.
"""
