"""Search glue: records from rendered pages, synonyms, search checks, the browser index, the API."""
