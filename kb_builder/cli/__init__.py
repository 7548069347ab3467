"""The `kb` command line: one module per verb, `main` joins them."""
