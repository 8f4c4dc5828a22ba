import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefs.content import dump_page, is_unedited, load_page, write_seed_pages
from briefs.errors import ContentError
from briefs.model import Brief, Contributor, Photo

UTC = dt.timezone.utc
SAMPLE = Brief(
    title="Kremlin warns US", date=dt.date(2022, 9, 28), body="First paragraph.\n\n## Subhead\n\nMore.",
    slug="kremlin-warns-us", summary="Lead sentence.", tags=("Kremlin", "Ukraine"),
    photo=Photo("A caption.", "Saul Loeb/Reuters"), contributors=(Contributor("Olga Voitovych", "Kyiv"),),
    outlet="CNN", seed="000_x.txt", section=1, source_lines=(19, 33), title_generated=False, date_inferred=True,
    unplaced=("Advertisement",),
)


def test_dump_then_load_round_trips_every_field() -> None:
    text = dump_page(SAMPLE)
    loaded = load_page(text, "content/x/02-kremlin.md", UTC)
    assert loaded.title == SAMPLE.title
    assert loaded.date == dt.datetime(2022, 9, 28, tzinfo=UTC)
    for name in ("body", "slug", "summary", "tags", "photo", "contributors", "outlet", "seed", "section",
                 "source_lines", "date_inferred", "unplaced"):
        expected = getattr(SAMPLE, name)
        actual = getattr(loaded, name)
        assert (actual.strip() if isinstance(actual, str) else actual) == expected, name
    assert loaded.ingest_hash and loaded.extra == {}


def test_dump_is_deterministic_and_hash_detects_edits() -> None:
    text = dump_page(SAMPLE)
    assert text == dump_page(SAMPLE)
    assert is_unedited(text)
    assert not is_unedited(text.replace("More.", "More, edited."))
    assert not is_unedited(text.replace("title: Kremlin", "title: The Kremlin"))


def test_date_without_offset_is_read_in_site_timezone() -> None:
    tz = ZoneInfo("America/New_York")
    loaded = load_page("---\ntitle: T\ndate: 2023-11-06 21:22:00\n---\nx", "p.md", tz)
    assert loaded.date.utcoffset() == dt.timedelta(hours=-5)
    aware = load_page("---\ntitle: T\ndate: 2023-11-06T21:22:00+01:00\n---\nx", "p.md", tz)
    assert aware.date.utcoffset() == dt.timedelta(hours=1)


def test_unknown_fields_are_kept() -> None:
    loaded = load_page("---\ntitle: T\ndate: 2024-01-01\nlayout_hint: wide\n---\nx", "p.md", UTC)
    assert loaded.extra == {"layout_hint": "wide"}


@pytest.mark.parametrize("front, line, fragment", [
    ("date: 2024-01-01", 1, "missing required field 'title'"),
    ("title: T", 1, "missing required field 'date'"),
    ("title: T\ndate: yesterday", 3, "not an ISO date"),
    ("title: T\ndate: 99999999-01-01", 3, "not an ISO date"),
    ("title: T\ndate: 2024-01-01\ntags: Kremlin", 4, "list of strings"),
    ("title: T\ndate: 2024-01-01\ntags: [1, 2]", 4, "list of strings"),
    ("title: T\ndate: 2024-01-01\ndraft: maybe", 4, "true or false"),
    ("title: [unclosed\ndate: 2024-01-01", 3, "malformed YAML"),  # where YAML noticed
    ("- just\n- a list", 2, "mapping"),
])
def test_invalid_front_matter_names_file_and_line(front: str, line: int, fragment: str) -> None:
    with pytest.raises(ContentError) as err:
        load_page(f"---\n{front}\n---\nbody", "content/s/01-x.md", UTC)
    assert fragment in str(err.value)
    assert err.value.path == "content/s/01-x.md"
    assert err.value.line == line


def test_page_without_front_matter_is_an_error() -> None:
    with pytest.raises(ContentError, match="no front matter"):
        load_page("just text", "p.md", UTC)


def test_reingest_never_overwrites_an_edited_page(tmp_path: Path) -> None:
    folder = tmp_path / "000_x"
    first = write_seed_pages(folder, [SAMPLE])
    page = folder / "02-kremlin-warns-us.md"
    assert first.written == [str(page)]
    mtime = page.stat().st_mtime_ns
    again = write_seed_pages(folder, [SAMPLE])
    assert again.written == [] and again.unchanged == [str(page)]
    assert page.stat().st_mtime_ns == mtime

    edited = page.read_text(encoding="utf-8").replace("More.", "More, by an editor.")
    page.write_text(edited, encoding="utf-8")
    changed = dataclasses.replace(SAMPLE, summary="New lead.")
    report = write_seed_pages(folder, [changed])
    assert report.kept_edited == [str(page)]
    assert page.read_text(encoding="utf-8") == edited
    forced = write_seed_pages(folder, [changed], force=True)
    assert forced.written == [str(page)]
    assert "New lead." in page.read_text(encoding="utf-8")


def test_stale_unedited_page_is_removed_but_edited_one_kept(tmp_path: Path) -> None:
    folder = tmp_path / "seed"
    write_seed_pages(folder, [SAMPLE])
    renamed = dataclasses.replace(SAMPLE, slug="new-slug")
    report = write_seed_pages(folder, [renamed])
    assert [Path(p).name for p in report.removed] == ["02-kremlin-warns-us.md"]
    assert sorted(p.name for p in folder.iterdir()) == ["02-new-slug.md"]
