"""The only code that imports MkDocs: thin adapters from MkDocs events to the core."""
