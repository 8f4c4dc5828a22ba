"""Nothing is read from or written outside the project's folders, whatever the input says."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import parse_html, tree



@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder beside the project holding a secret that must never reach the site."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.md").write_text("---\ntitle: SECRET\ndate: 2024-01-01\n---\n\nSECRET BODY\n", encoding="utf-8")
    (folder / "secret.html").write_text("SECRET LAYOUT {{ config.title }}", encoding="utf-8")
    (folder / "secret.txt").write_text("SECRET SEED\n\nMOSCOW — SECRET TEXT.\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("slug", ["../../../x", "/etc/passwd", "..", ".", "a/../../b", "C:\\\\Windows", "~/x", "%2e%2e/x"])
def test_slugs_that_look_like_paths_stay_inside_the_site(project: Path, write_page, run_cli, slug: str) -> None:
    write_page("a.md", "A brief", "2024-03-01", slug=repr(slug), tags="['../../t', '/abs']")
    before = sorted(p for p in project.parent.iterdir())
    assert run_cli("render") == 0
    assert sorted(p for p in project.parent.iterdir()) == before  # nothing appeared beside the project
    written = [p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*")]
    assert all(".." not in name.split("/") for name in written)
    assert sum(1 for name in written if name.endswith("/index.html") and name.count("/") == 1
               and name.split("/")[0] not in ("tags", "search", "page")) == 1


def test_symlinked_layout_pointing_outside_is_refused(project: Path, write_page, run_cli, outside: Path, capsys) -> None:
    write_page("a.md", "A brief", "2024-03-01")
    (project / "layouts").mkdir()
    (project / "layouts" / "index.html").symlink_to(outside / "secret.html")
    assert run_cli("render") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "outside the layouts folder" in err[0] and "index.html" in err[0]
    assert not (project / "site").exists()


def test_symlinked_layout_inside_the_folder_is_fine(project: Path, write_page, run_cli) -> None:
    write_page("a.md", "A brief", "2024-03-01")
    layouts = project / "layouts"
    layouts.mkdir()
    (layouts / "real.html").write_text('{% extends "base.html" %}{% block content %}<h1>Mine</h1>{% endblock %}')
    (layouts / "index.html").symlink_to(layouts / "real.html")
    assert run_cli("render") == 0
    assert parse_html(project / "site" / "index.html").find(".//h1").text == "Mine"


def test_symlinked_static_file_pointing_outside_is_not_copied(project: Path, write_page, run_cli, outside: Path,
                                                               capsys) -> None:
    write_page("a.md", "A brief", "2024-03-01")
    (project / "layouts" / "static").mkdir(parents=True)
    (project / "layouts" / "static" / "leak.txt").symlink_to(outside / "secret.txt")
    code = run_cli("render")
    if code == 1:  # refused outright, like a symlinked layout
        assert "outside the layouts folder" in capsys.readouterr().err
        assert not (project / "site").exists()
    else:
        assert not (project / "site" / "leak.txt").exists()
        assert all(b"SECRET" not in body for body in tree(project / "site").values())


def test_symlinked_content_pointing_outside_is_refused(project: Path, write_page, run_cli, outside: Path, capsys) -> None:
    write_page("a.md", "A brief", "2024-03-01")
    (project / "content" / "leak.md").symlink_to(outside / "secret.md")
    assert run_cli("render") == 1
    assert "outside the content folder" in capsys.readouterr().err
    (project / "content" / "leak.md").unlink()
    (project / "content" / "dir").symlink_to(outside, target_is_directory=True)
    assert run_cli("render") in (0, 1)  # rglob does not follow directory links; either way no secret is published
    assert not (project / "site").exists() or all(b"SECRET" not in body for body in tree(project / "site").values())


def test_symlinked_seed_pointing_outside_is_refused(project: Path, run_cli, outside: Path, capsys) -> None:
    (project / "seeds" / "leak.txt").symlink_to(outside / "secret.txt")
    assert run_cli("ingest") == 1
    assert "outside the seeds folder" in capsys.readouterr().err
    assert list((project / "content").rglob("*")) == []


@pytest.mark.parametrize("output", [".", "..", "content", "seeds/..", "../" + "x/.."])
def test_an_output_folder_that_would_replace_the_project_is_refused(project: Path, write_page, run_cli, output: str,
                                                                     capsys) -> None:
    write_page("a.md", "A brief", "2024-03-01")
    before = tree(project)
    for command in ("render", "clean"):
        assert run_cli(command, "--output", output) == 1
        assert "would replace" in capsys.readouterr().err
    assert tree(project) == before
