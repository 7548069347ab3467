"""The glossary family: ``content/_data/glossary.yml`` -> a glossary page, abbreviation
tooltips where a term appears in a page's prose, and the clients' words as search synonyms."""
