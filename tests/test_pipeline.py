"""The whole pipeline on real seeds: build from seeds/, re-ingest rules, bad seeds, exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefs.cli import main

from conftest import REPO, parse_html, text_of, tree

SHIPPED = REPO / "seeds" / "000_a46a5c61fee82934.txt"


@pytest.fixture
def seeded(project: Path) -> Path:
    shutil.copy(SHIPPED, project / "seeds" / SHIPPED.name)
    return project


def pages_of(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted((project / "content").rglob("*.md"))}


def test_shipped_seed_builds_a_browsable_site(seeded: Path, run_cli) -> None:
    assert run_cli() == 0
    pages = pages_of(seeded)
    assert len(pages) == 4 and all(name.startswith("content/000_a46a5c61fee82934/0") for name in pages)
    site = seeded / "site"
    index = parse_html(site / "index.html")
    links = [h.find("a").get("href") for h in index.iter("h2") if h.find("a") is not None]
    assert len(links) == 4
    for href in links:
        page = parse_html(site / href / "index.html")
        assert len(list(page.iter("h1"))) == 1
        assert page.find(".//time").get("datetime").startswith("2022-09-28")
        assert text_of(page.find(".//p[@class='dek']"))


def test_reingest_of_unchanged_seed_writes_nothing(seeded: Path, run_cli) -> None:
    assert run_cli("ingest") == 0
    before = {p: p.stat().st_mtime_ns for p in (seeded / "content").rglob("*.md")}
    assert run_cli("ingest") == 0
    assert run_cli("ingest", "--force") == 0  # forced, but identical pages are still not rewritten
    assert {p: p.stat().st_mtime_ns for p in (seeded / "content").rglob("*.md")} == before


def test_edited_page_survives_reingest_and_force_overwrites(seeded: Path, run_cli, capsys) -> None:
    assert run_cli("ingest") == 0
    page = sorted((seeded / "content").rglob("*.md"))[0]
    edited = page.read_text(encoding="utf-8").replace("title:", "title: EDITED", 1)
    page.write_text(edited, encoding="utf-8")
    (seeded / "seeds" / SHIPPED.name).write_bytes(SHIPPED.read_bytes() + b"\n\nA new closing paragraph about Moscow.\n")
    assert run_cli("ingest") == 0
    assert page.read_text(encoding="utf-8") == edited
    assert "edited by hand" in capsys.readouterr().err
    assert run_cli("ingest", "--force") == 0
    assert "EDITED" not in page.read_text(encoding="utf-8")


def test_removed_seed_pages_are_reported_and_pruned_only_on_request(seeded: Path, run_cli, capsys) -> None:
    assert run_cli("ingest") == 0
    (seeded / "seeds" / SHIPPED.name).unlink()
    assert run_cli("ingest") == 0
    assert len(pages_of(seeded)) == 4
    assert "no longer exist" in capsys.readouterr().err
    assert run_cli("ingest", "--prune") == 0
    assert pages_of(seeded) == {}


def test_binary_seed_is_reported_others_still_ingested(seeded: Path, run_cli, capsys) -> None:
    (seeded / "seeds" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert run_cli() == 1
    err = capsys.readouterr().err
    assert "photo.txt" in err and "Traceback" not in err
    assert len(err.strip().splitlines()[-1]) < 400
    assert len(pages_of(seeded)) == 4
    assert (seeded / "site" / "index.html").is_file()


def test_bad_front_matter_fails_with_one_line_and_keeps_old_site(seeded: Path, run_cli, capsys) -> None:
    assert run_cli() == 0
    site_before = tree(seeded / "site")
    page = sorted((seeded / "content").rglob("*.md"))[1]
    page.write_text("---\ntitle: [broken\ndate: 2022-09-28\n---\nbody\n", encoding="utf-8")
    assert run_cli("render") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: ") and page.name in err[-1] and ":3:" in err[-1]
    assert tree(seeded / "site") == site_before


def test_usage_error_exits_2_and_clean_removes_site(seeded: Path, run_cli) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["no-such-command"])
    assert usage.value.code == 2
    assert run_cli("render") == 0 and (seeded / "site").is_dir()
    assert run_cli("clean") == 0 and not (seeded / "site").exists()


def test_build_py_entry_point_runs_as_a_script(seeded: Path) -> None:
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(seeded), "--quiet"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert (seeded / "site" / "index.html").is_file()


def test_placeholder_base_url_is_flagged_until_replaced(seeded: Path, run_cli, capsys) -> None:
    assert run_cli("--base-url", "https://example.org/") == 0
    assert "placeholder https://example.org/" in capsys.readouterr().err
    assert (seeded / "site" / "sitemap.xml").is_file()
    assert run_cli("--base-url", "https://news.example-daily.com/") == 0
    assert "placeholder" not in capsys.readouterr().err


def test_a_bug_in_ingest_names_the_seed_and_spares_the_others(seeded: Path, run_cli, capsys, monkeypatch) -> None:
    from briefs import ingest

    real = ingest.ingest_text

    def flaky(text: str, name: str, *args, **kwargs):
        if name == "broken.txt":
            raise KeyError("boom")
        return real(text, name, *args, **kwargs)

    monkeypatch.setattr(ingest, "ingest_text", flaky)
    (seeded / "seeds" / "broken.txt").write_text("Some headline here\n\nSome text about Moscow.\n", encoding="utf-8")
    assert run_cli() == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert "broken.txt: ingest failed (KeyError" in err[-1] and "Traceback" not in "\n".join(err)
    assert err[-1].endswith("(the site was built from the other 1 seed(s))")
    assert len(pages_of(seeded)) == 4 and (seeded / "site" / "index.html").is_file()
    assert run_cli() == 1  # again: the good seed, unchanged, is skipped, and still counted
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith("(the site was built from the other 1 seed(s))")
    for n in range(7):
        (seeded / "seeds" / f"broken{n}.txt").write_text("Some headline here\n\nSome text.\n", encoding="utf-8")
    monkeypatch.setattr(ingest, "ingest_text", lambda *a, **k: 1 / 0)
    assert run_cli() == 1  # a folder of failures: five named, the rest counted, on one line
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.count("ingest failed") == 5 and "; and 3 more seed(s) failed (" in last


def test_an_internal_error_is_one_line_with_the_traceback_on_request(seeded: Path, run_cli, capsys, monkeypatch) -> None:
    monkeypatch.setattr("briefs.pipeline.build_site", lambda *a, **k: 1 / 0)
    assert run_cli("render") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [err[0]] and err[0].startswith("internal error: ZeroDivisionError")
    assert run_cli("render", "--verbose") == 1
    assert "Traceback" in capsys.readouterr().err


def test_each_ingest_warning_is_printed_once(project: Path, run_cli, capsys) -> None:
    (project / "seeds" / "ads.txt").write_text(
        "Floods hit Leeds as the River Aire bursts its banks\n\nAdvertisement\n\nPublished 12 March 2025\n\n"
        "The River Aire burst its banks early on Tuesday, flooding hundreds of homes, officials said.\n", encoding="utf-8")
    assert run_cli("ingest") == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "furniture" in line]
    assert len(lines) == 1 and lines[0].startswith(f"warning: {project / 'seeds' / 'ads.txt'}: 1 line(s)")


def test_many_seeds_are_read_on_every_core_to_the_same_pages(project: Path, run_cli, capsys, monkeypatch) -> None:
    """The worker pool changes nothing but the speed: same pages, same warnings, a bad seed and a bug in
    ingest still spare the others."""
    import briefs.ingest
    from briefs import pipeline
    from briefs.output import fork_map

    fixtures = sorted((REPO / "tests" / "fixtures" / "seeds").glob("*.txt"))[:10]
    for path in fixtures:
        shutil.copy(path, project / "seeds" / path.name)
    (project / "seeds" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00" + bytes(range(256)))
    real = briefs.ingest.ingest_text

    def buggy(text: str, name: str, *args, **kwargs):
        if name == fixtures[3].name:
            raise ValueError("a bug")
        return real(text, name, *args, **kwargs)

    monkeypatch.setattr(briefs.ingest, "ingest_text", buggy)
    pools: list[int] = []

    def spy(func, chunks, workers):  # (counts the pool's chunks, then runs it)
        pools.append(len(chunks))
        return fork_map(func, chunks, workers)

    monkeypatch.setattr(pipeline, "fork_map", spy)
    outcomes = {}
    for seeds, size in (("pool", 0), ("serial", 10**9)):
        monkeypatch.setattr(pipeline, "INGEST_POOL_SEEDS", 2)
        monkeypatch.setattr(pipeline, "INGEST_POOL_BYTES", size)
        shutil.rmtree(project / "content")
        (project / "content").mkdir()
        assert run_cli("ingest", "--force") == 1
        err = capsys.readouterr().err
        outcomes[seeds] = (pages_of(project), sorted(line for line in err.splitlines() if "warning" in line or "error" in line))
    if pipeline.usable_cores() > 1:
        assert len(pools) == 1 and pools[0] > 1  # (the first run took a pool of several chunks, the second none)
    pages, messages = outcomes["pool"]
    assert outcomes["serial"] == outcomes["pool"] and len(pages) > 10
    assert any("photo.txt" in m for m in messages) and any(f"{fixtures[3].name}: ingest failed (ValueError" in m for m in messages)
