"""The project's settings and theme, checked before any page is read."""

from __future__ import annotations

from kb_builder.core.errors import ContentError
from kb_builder.core.project import ProjectSettings
from kb_builder.pages import navigation, third_party, urls


def project_errors(
    settings: ProjectSettings, theme_custom_dir: str | None, docs_dir: str, theme_dirs: list[str]
) -> list[list[ContentError]]:
    """mkdocs.yml's and the theme's problems, one list per check (a build stops at the first).

    No request to any other host (mkdocs.yml, the theme's overrides), navigation links with a
    refused scheme, local files mkdocs.yml names that do not exist.
    """
    requests = third_party.config_errors(settings) + third_party.theme_errors(theme_custom_dir)
    return [
        requests,
        navigation.config_link_errors(settings),
        urls.missing_local_files(settings, docs_dir, theme_dirs),
    ]
