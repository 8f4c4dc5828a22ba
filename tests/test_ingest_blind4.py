"""Blind round 4: six CNN-style live pages written before reading the ingest code.

Each seed is checked aspect by aspect (story boundaries, titles, photos, contributors, date,
tags, subheads, nothing lost) so a regression or a fix shows up as one named check.
Expected failures are strict xfails: a fix that makes one pass turns the suite red until the
mark is removed, so the recorded pass rate stays honest.

Before fixes: 18/48 checks (date and nothing-lost everywhere; protest 7/8, nato 3/8, the others
2/8). Most failures came from one cause: a headline after a post's "... contributed reporting."
sign-off was read as a subhead of the story above, merging the posts (and their photos, tags and
contributors) into one.

After fixes: 40/48 (outage, nato, protest 8/8; central_bank, wildfire 7/8; plane_crash 2/8).
Before → after per aspect: boundaries 0→5/6, titles 2→5, photos 1→5, contributors 1→5, date 6→6,
tags 1→3, subheads 1→5, nothing lost 6→6.
Still failing, left on purpose:
- plane_crash: "Black boxes recovered from crash site" under a complete post (no sign-off, no
  photo) reads as a subhead: by form it is the same as the wildfire's real subhead "Power cut to
  tens of thousands", so either rule would trade one fixture for the other. Its five other
  failures follow from that one merge.
- wildfire/central_bank tags: "Oakland" and "Barclays" are named once, as one word, and the tag
  rule asks two mentions of an unknown one-word name (relaxing it breaks test_tags's rules).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefs.ingest import account_for_lines, ingest_text

from conftest import block_lines, day, ingest_seed

SEEDS = Path(__file__).parent / "fixtures" / "seeds" / "blind4"
JUNK = {"CNN", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "May", "July", "August", "The", "A", "In"}


@dataclass(frozen=True)
class Want:
    """What an editor expects of one story."""

    blocks: tuple[int, int]
    title: str | None  # None: generated from the lead
    photo: tuple[str, str] | None = None  # caption, credit
    contributors: tuple[tuple[str, str | None], ...] = ()  # name, place (None: any)
    tags: tuple[str, ...] = ()
    not_tags: tuple[str, ...] = ()
    subheads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Seed:
    date: dt.date
    stories: tuple[Want, ...] = field(default_factory=tuple)


EXPECT: dict[str, Seed] = {
    "wildfire.txt": Seed(dt.date(2024, 8, 17), (
        Want((0, 7), "Wildfire forces thousands to flee homes in northern California",
             ("Flames from the Ridge Fire approach homes near Paradise, California, on August 15, 2024.",
              "Josh Edelson/AFP via Getty Images"),
             (("Cheri Mossburg", "Los Angeles"),), ("California", "Jon Heggie"), ("Gavin Newsom",),
             ("Power cut to tens of thousands",)),
        Want((8, 11), "Governor declares state of emergency as winds pick up", None, (),
             ("Gavin Newsom",), ("Oakland",)),
        Want((12, 13), None, None, (), ("Oakland",), ("Gavin Newsom",)),
        Want((14, 17), None, ("Firefighters battle the Ridge Fire near Paradise, California, on Friday.",
                              "Noah Berger/AP"),
             (("Cheri Mossburg", None), ("Sarah Moon", None)), ("Jon Heggie",), ("Oakland",)),
    )),
    "nato.txt": Seed(dt.date(2023, 7, 11), (
        Want((0, 5), "NATO leaders gather in Vilnius as Ukraine presses for membership",
             ("Lithuanian President Gitanas Nausėda greets NATO Secretary General Jens Stoltenberg in "
              "Vilnius, Lithuania, on July 11, 2023.", "Paul Ellis/AFP via Getty Images"),
             (), ("NATO", "Jens Stoltenberg", "Volodymyr Zelensky"), ("Sweden",)),
        Want((6, 9), "Turkey drops objection to Sweden’s bid", None,
             (("Niamh Kennedy", "Vilnius"), ("Isil Sariyuce", "Istanbul")), ("Sweden", "Turkey")),
        Want((10, 14), None, ("US President Joe Biden arrives at Vilnius International Airport on Tuesday.",
                              "Susan Walsh/AP"),
             (), ("Joe Biden", "Jake Sullivan"), ("Sweden",), ("What comes next for Ukraine",)),
        Want((15, 17), None, None, (("Kevin Liptak", None),), (), ("Joe Biden", "Jake Sullivan")),
    )),
    "outage.txt": Seed(dt.date(2024, 7, 19), (
        Want((0, 7), "Global outage knocks out cloud services for millions",
             ("A departure board shows flight cancellations at Hartsfield-Jackson Atlanta International "
              "Airport on July 19, 2024.", "Mike Stewart/AP"),
             (("Clare Duffy", None), ("Sean Lyngaas", None)), ("CrowdStrike", "George Kurtz"), (),
             ("Airlines hit hardest",)),
        Want((8, 10), "Markets tumble at the open", None, (), ("CrowdStrike", "Microsoft"), ("George Kurtz",)),
        Want((11, 14), None, ("Travelers wait in line at the check-in counters at Los Angeles International "
                              "Airport on Friday.", "Mario Tama/Getty Images"),
             (("Anna Cooban", "London"),), (), ("George Kurtz",)),
    )),
    "plane_crash.txt": Seed(dt.date(2023, 1, 16), (
        Want((0, 5), "Passenger jet crashes on landing in Nepal, killing dozens",
             ("Rescue workers search the wreckage of a passenger plane in Pokhara, Nepal, on January 15, 2023.",
              "Yunish Gurung/AP"), (), ("Nepal", "Pokhara"), ("Anup Joshi",)),
        Want((6, 11), "Black boxes recovered from crash site", None, (("Sugam Pokharel", "Kathmandu"),),
             ("Anup Joshi",), (), ("Families wait for news",)),
        Want((12, 16), "Who was on board?", None, (("Rhea Mogul", None), ("Manveena Suri", None)),
             ("Sudarshan Bartaula",), ("Anup Joshi",)),
    )),
    "central_bank.txt": Seed(dt.date(2023, 8, 4), (
        Want((0, 4), "Bank of England raises interest rates to 5.25%",
             ("Bank of England Governor Andrew Bailey speaks at a press conference in London, on August 3, 2023.",
              "Jonathan Brady/POOL/AFP via Getty Images"), (), ("Bank of England", "Andrew Bailey")),
        Want((5, 6), None, None, (), (), ("Andrew Bailey", "Moneyfacts")),
        Want((7, 10), "Markets tumble at the open", None, (("Anna Cooban", None), ("Hanna Ziady", "London")),
             ("Barclays",), ("Andrew Bailey",)),
        Want((11, 16), None, ("A for-sale sign outside a house in London, on July 20, 2023.", "Dan Kitwood/Getty Images"),
             (), ("Moneyfacts",), ("Barclays",), ("What it means for borrowers",)),
    )),
    "protest.txt": Seed(dt.date(2024, 5, 12), (
        Want((0, 5), "Thousands march in Tbilisi against ‘foreign agents’ bill",
             ("Protesters wave Georgian and EU flags outside the parliament building in Tbilisi, Georgia, "
              "on May 11, 2024.", "Irakli Gedenidze/Reuters"), (), ("Tbilisi",), ("Armenia",)),
        Want((6, 9), "EU warns bill could derail Georgia’s membership hopes", None, (("Anna Chernova", None),),
             ("Josep Borrell",), ("Armenia",)),
        Want((10, 11), None, None, (), ("Armenia", "Nikol Pashinyan"), ("Josep Borrell",)),
        Want((12, 15), None, ("Riot police detain a protester in Tbilisi, Georgia, on May 12, 2024.",
                              "Giorgi Arjevanidze/AFP via Getty Images"),
             (("Anna Chernova", None), ("Niamh Kennedy", None)), ("Levan Khabeishvili",), ("Nikol Pashinyan",)),
    )),
}

ASPECTS = ("boundaries", "titles", "photos", "contributors", "date", "tags", "subheads", "nothing_lost")

# (seed, aspect) pairs that failed before the fixes of this round; strict so a fix must unmark them.
XFAIL: set[tuple[str, str]] = {
    ('plane_crash.txt', 'boundaries'),
    ('plane_crash.txt', 'contributors'),
    ('plane_crash.txt', 'photos'),
    ('plane_crash.txt', 'subheads'),
    ('central_bank.txt', 'tags'),
    ('plane_crash.txt', 'tags'),
    ('wildfire.txt', 'tags'),
    ('plane_crash.txt', 'titles'),
}


def _blocks(text: str) -> list[int]:
    """First line (1-based) of each blank-line-separated block of the seed."""
    return [first for first, _ in block_lines(text)]


def _block_range(starts: list[int], lines: tuple[int, int] | None) -> tuple[int, int]:
    assert lines is not None
    inside = [i for i, s in enumerate(starts) if lines[0] <= s <= lines[1]]
    return (inside[0], inside[-1]) if inside else (-1, -1)


def _check(name: str, aspect: str) -> None:
    text, result = ingest_seed(SEEDS / name)
    briefs = result.briefs
    want = EXPECT[name]
    if aspect == "nothing_lost":
        assert account_for_lines(text, briefs) == []
        return
    if aspect == "boundaries":
        starts = _blocks(text)
        got = [_block_range(starts, b.source_lines) for b in briefs]
        assert got == [w.blocks for w in want.stories]
        return
    if aspect == "date":
        assert {day(b) for b in briefs} == {want.date}
        assert all(b.date_inferred for b in briefs)
        return
    starts = _blocks(text)
    for w in want.stories:
        # the brief holding the story's first block: per-story aspects are judged apart from boundaries
        line = starts[w.blocks[0]]
        b = next(b for b in briefs if b.source_lines and b.source_lines[0] <= line <= b.source_lines[1])
        if aspect == "titles":
            if w.title is None:
                assert b.title_generated and b.title, b.title
                assert len(b.title.split()) <= 12
                lead = b.body.replace("\u00a0", " ")
                first = b.title.rstrip(".…").split()[:3]
                assert " ".join(first).casefold() in lead.casefold(), (b.title, lead[:80])  # "The pound" → "Pound"
            else:
                assert (b.title, b.title_generated) == (w.title, False)
        elif aspect == "photos":
            if w.photo is None:
                assert b.photo is None or not (b.photo.caption or b.photo.credit), b.photo
            else:
                assert b.photo is not None
                assert b.photo.caption.replace("\u00a0", " ") == w.photo[0]
                assert b.photo.credit.lower() == w.photo[1].lower()
        elif aspect == "contributors":
            got = [(c.name, c.place) for c in b.contributors if not c.role]
            assert [n for n, _ in got] == [n for n, _ in w.contributors], got
            for (n, p), (_, wp) in zip(got, w.contributors):
                assert wp is None or p == wp, (n, p, wp)
            if w.contributors:
                assert b.outlet == "CNN"
        elif aspect == "tags":
            tags = set(b.tags)
            assert set(w.tags) <= tags, (b.title, b.tags)
            assert not (set(w.not_tags) | JUNK) & tags, (b.title, b.tags)
            assert len(b.tags) <= 6
        elif aspect == "subheads":
            heads = [line[3:].strip() for line in b.body.split("\n") if line.startswith("## ")]
            assert heads == list(w.subheads), (b.title, heads)


@pytest.mark.parametrize("name", sorted(EXPECT))
@pytest.mark.parametrize("aspect", ASPECTS)
def test_blind4(name: str, aspect: str, request: pytest.FixtureRequest) -> None:
    if (name, aspect) in XFAIL:
        request.applymarker(pytest.mark.xfail(strict=True, reason="blind round 4: failed before fixes"))
    _check(name, aspect)


def test_a_sign_off_ends_a_post_but_a_note_on_the_story_stays_with_it() -> None:
    """The rules this round added, on a seed small enough to read at a glance."""
    text = (
        "Storm batters coast as thousands lose power\n\n"
        "Heavy rain and strong winds battered the coast of Cornwall on Sunday, leaving 20,000 homes "
        "without power, Western Power said.\n\n"
        "Repairs under way\n\n"
        "Western Power engineers were working through the night in Cornwall to restore supplies, it said.\n\n"
        "CNN’s Jo Shelley contributed reporting.\n\n"
        "This story has been updated with additional developments.\n\n"
        "Ferries cancelled\n\n"
        "All ferry crossings to the Isles of Scilly were cancelled on Monday, operator Steamship Company said.\n\n"
        "Passengers were offered refunds or places on later sailings, the Steamship Company added."
    )
    briefs = ingest_text(text, "storm.txt").briefs
    assert [b.title for b in briefs] == ["Storm batters coast as thousands lose power", "Ferries cancelled"]
    assert "## Repairs under way" in briefs[0].body
    assert briefs[0].body.endswith("This story has been updated with additional developments.")
    assert [c.name for c in briefs[0].contributors] == ["Jo Shelley"]
    assert account_for_lines(text, briefs) == []


def test_two_nameless_unrelated_paragraphs_open_a_new_post_but_a_lone_one_does_not() -> None:
    lead = ("Bank of England raises interest rates to 5.25%\n\n"
            "The Bank of England raised its benchmark interest rate to 5.25% on Thursday, "
            "Governor Andrew Bailey said in London.\n\n"
            "Six of the nine members of the Monetary Policy Committee voted for the increase, the bank said.\n\n"
            "Bailey said inflation in the United Kingdom was still far too high for comfort.\n\n")
    pound = ("The pound rose to a two-week high against the euro on Friday as traders bet on stronger "
             "growth figures next week.\n\n")
    more = "Sterling has gained more than 4% against the dollar this year, making it one of the best performers.\n\n"
    head = ("Markets tumble at the open\n\n"
            "Traders work on the floor of the London Stock Exchange on Friday.\n"
            "Traders work on the floor of the London Stock Exchange on Friday. (Jane Doe/Reuters)\n\n"
            "London’s FTSE 100 fell 1.2% in early trading on Friday, with housebuilders among the biggest losers.")
    assert len(ingest_text(lead + pound + more + head, "a.txt").briefs) == 3
    assert len(ingest_text(lead + pound + head, "b.txt").briefs) == 2  # one paragraph: the tail of the story


def test_a_later_post_tags_a_surname_with_the_full_name_the_page_used() -> None:
    text = (
        "NATO chief urges allies to send more air defenses\n\n"
        "NATO Secretary General Jens Stoltenberg urged allies on Tuesday in Brussels to send more air defense "
        "systems to Ukraine.\n\n"
        "Stoltenberg said several allies had already pledged new systems, without naming them.\n\n"
        "Sweden joins the alliance\n\n"
        "Ulf Kristersson arrives at the State Department in Washington on Thursday.\n"
        "Ulf Kristersson arrives at the State Department in Washington on Thursday. (Jane Doe/AP)\n\n"
        "Swedish Prime Minister Ulf Kristersson handed over the accession papers in Washington on Thursday, "
        "and Stoltenberg welcomed Sweden as the alliance’s 32nd member.\n\n"
        "Kristersson called it “a historic day” for Sweden, and Stoltenberg thanked him in Washington."
    )
    briefs = ingest_text(text, "nato.txt").briefs
    assert len(briefs) == 2
    assert "Jens Stoltenberg" in briefs[1].tags and "Stoltenberg" not in briefs[1].tags
    assert "Jordan" in ingest_text("Jordan closes border\n\nJordan closed its border with Syria on Monday, "
                                   "the interior ministry in Amman said, citing security.", "j.txt").briefs[0].tags
