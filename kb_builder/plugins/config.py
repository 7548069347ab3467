"""Settings of the `kb` MkDocs plugin (``plugins: - kb:`` in mkdocs.yml)."""

from mkdocs.config import base
from mkdocs.config import config_options as c


class _Limit(c.BaseConfigOption[int]):
    """A whole number of pages from 1 up: `true` is not 1 and 0 would crowd every folder."""

    def __init__(self, default: int) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100_000:
            raise c.ValidationError(
                f"must be a whole number of pages from 1 to 100000, not {value!r}"
            )
        return value


class KnowledgeBaseConfig(base.Config):
    """Options of the kb plugin.

    Attributes:
        enabled: turn the whole plugin off: every event then returns at once (no page made
            from data, no search index, no check), and the site builds as plain Material.
        edition: ``public`` (clients) or ``internal`` (agents: everything, internal badged).
            One precedence everywhere: the ``--edition`` flag, then the ``KB_EDITION``
            environment variable, then this setting, then public (that is how
            `kb serve --edition internal` reaches a server MkDocs configures).
        offline: build a copy that works from disk (`file://`) with no network: Material's
            offline plugin, plus a vendored worker shim instead of its CDN copy.
        nav_section_limit: a folder with more pages than this is shown in the sidebar by its
            index page alone, which lists them all (keeps every page's navigation bounded).
    """

    enabled = c.Type(bool, default=True)
    edition = c.Choice(("public", "internal"), default="public")
    offline = c.Type(bool, default=False)
    nav_section_limit = _Limit(default=40)
