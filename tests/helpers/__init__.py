"""Helpers the tests share: Chromium, a static server, located errors, site checks."""
