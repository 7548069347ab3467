"""The `kb` command: exit codes and messages, never a traceback."""

from tests.conftest import ROOT, copy_demo, run_kb, write_project


def test_check_passes_on_the_demo_content():
    result = run_kb("check", cwd=ROOT)
    assert result.exit_code == 0, result
    # Without a previous build, a notice says the search checks could not run.
    assert result.output.splitlines()[-1].startswith("No problems found in ")


def test_check_without_config_says_what_to_do(tmp_path):
    result = run_kb("check", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.output == (
        "mkdocs.yml: no such file; run kb in the project folder or pass -f path/to/mkdocs.yml\n"
    )


def test_check_with_missing_content_dir(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: nowhere\n")
    result = run_kb("check", cwd=tmp_path)
    assert result.exit_code == 1
    assert "nowhere: the content directory does not exist" in result.output


def test_build_with_missing_config(tmp_path):
    result = run_kb("build", "-f", "missing.yml", cwd=tmp_path)
    assert result.exit_code == 1
    assert "Build failed: missing.yml:" in result.output
    assert "Traceback" not in result.output


def test_build_is_strict_by_default(tmp_path):
    cfg = write_project(tmp_path, {"index.md": "# Home\n\n[dead](nowhere.md)\n"})
    strict = run_kb("build", "-f", str(cfg), "-d", str(tmp_path / "site"), cwd=tmp_path)
    assert strict.exit_code == 1
    # The engine's warning, located at the writer's line, refused in strict mode.
    assert "content/index.md:3: links to 'nowhere.md'" in strict.output
    assert "strict mode refuses 1 warning" in strict.output
    lenient = run_kb(
        "build", "--no-strict", "-f", str(cfg), "-d", str(tmp_path / "site"), cwd=tmp_path
    )
    assert lenient.exit_code == 0, lenient
    assert (tmp_path / "site" / "index.html").is_file()


def test_build_accepts_site_dir_and_config_file(tmp_path):
    project = tmp_path / "p"
    copy_demo(project, config="custom.yml")
    result = run_kb("build", "-q", "--config-file", "custom.yml", "--site-dir", "out", cwd=project)
    assert result.exit_code == 0, result
    assert (project / "out" / "faq" / "index.html").is_file()


def test_version():
    result = run_kb("--version")
    assert result.exit_code == 0 and result.output.endswith(", version 0.1.0\n")


def test_serve_api_needs_a_built_site(tmp_path):
    write_project(tmp_path, {"index.md": "# Home\n"})
    result = run_kb("serve", "--api", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.output == "No built site in site/; run kb build first.\n"


def test_search_needs_an_index(tmp_path):
    write_project(tmp_path, {"index.md": "# Home\n"})
    result = run_kb("search", "phone", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith("no search index yet; run kb build first")


def test_search_after_build(tmp_path):
    # Not on the home page: it is a way to answers, kept out of the index.
    pages = {"index.md": "# Home\n", "contact.md": "# Contact\n\nCall us by telephone.\n"}
    cfg = write_project(tmp_path, pages)
    assert run_kb("build", "-f", str(cfg), cwd=tmp_path).exit_code == 0
    result = run_kb("search", "telephone", cwd=tmp_path)
    assert result.exit_code == 0, result
    assert "Contact" in result.output and "/contact/" in result.output
