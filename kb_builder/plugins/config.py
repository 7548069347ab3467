"""Settings of the `kb` MkDocs plugin (``plugins: - kb:`` in mkdocs.yml)."""

from mkdocs.config import base
from mkdocs.config import config_options as c


class KnowledgeBaseConfig(base.Config):
    """Options of the kb plugin.

    Attributes:
        enabled: turn the whole plugin off (the site then builds as plain Material).
        nav_section_limit: a folder with more pages than this is shown in the sidebar by its
            index page alone, which lists them all (keeps every page's navigation bounded).
    """

    enabled = c.Type(bool, default=True)
    nav_section_limit = c.Type(int, default=40)
