"""Third blind test of ingest: eight CNN-style live pages (the shipped seed's kind) on other news days.

Seeds in fixtures/seeds/blind3 and the expectations below were written before reading the code:
stories and their blank-line-separated block ranges (from 0, as issue 3 counts them), titles or
`title_generated`, photo caption and credit, subheads kept in the body, contributors and outlet,
the page date, tags (must have / must not have) and nothing lost. One check per (seed, aspect).
Unmet expectations are strict xfails (see XFAIL at the bottom).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefs.ingest import IngestResult, account_for_lines
from briefs.model import Brief

from conftest import block_lines, day, flat, ingest_seed

SEEDS = Path(__file__).parent / "fixtures" / "seeds" / "blind3"
ALWAYS_JUNK = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "CNN",
               "Getty Images", "AFP", "AP", "Reuters", "Photo"}

GEN = None
EXPECT = {
    "mideast_live": {"date": "2023-10-11", "stories": [
        dict(blocks=(0, 5), title="Israel says it struck Hamas command centers in Gaza overnight",
             caption="Smoke rises over Gaza City after an Israeli airstrike on October 10, 2023.",
             credit="Mahmud Hams/AFP via Getty Images", must=["Israel", "Gaza", "Hamas"],
             must_not=["Wednesday", "Saturday", "CNN", "IDF spokesperson"]),
        dict(blocks=(6, 9), title=GEN,
             caption="Palestinians inspect the rubble of a destroyed building in Khan Younis, southern Gaza, on Wednesday.",
             credit="Reuters", must=["Egypt", "Gaza"], must_not=["CNN", "Wednesday"]),
        dict(blocks=(10, 12), title=GEN, caption=None, credit=None, must=["Goldman Sachs"],
             must_not=["Israel", "Wednesday", "Analysts"]),
        dict(blocks=(13, 19), title="Biden to travel to Israel on Thursday, White House says",
             caption=None, credit=None, subheads=["What we know about the trip"],
             contributors=[("Jeremy Diamond", "Tel Aviv"), ("MJ Lee", "Washington")], outlet="CNN",
             must=["Joe Biden", "Israel"], must_not=["Thursday", "Friday", "CNN", "What"]),
    ]},
    "us_election": {"date": "2024-11-06", "stories": [
        dict(blocks=(0, 4), title="Trump wins Pennsylvania, putting him on the brink of the presidency",
             caption="Supporters of Republican presidential nominee Donald Trump react at an election night watch party in West Palm Beach, Florida, on November 5, 2024.",
             credit="AP Photo/Evan Vucci", must=["Donald Trump", "Pennsylvania"], must_not=["CNN", "Former President"]),
        dict(blocks=(5, 9), title="Harris will not speak tonight, campaign co-chair tells supporters",
             caption=None, credit=None, body_has=["Richmond told the crowd:", "“We still have votes to count.”"],
             must=["Cedric Richmond", "Howard University"], must_not=["Wednesday", "Many"]),
        dict(blocks=(10, 12), title=GEN,
             caption="Election workers process ballots at the Maricopa County Tabulation and Election Center in Phoenix, Arizona, on Wednesday.",
             credit="Brandon Bell/Getty Images", must=["Arizona", "Maricopa County"], must_not=["Wednesday", "Getty Images"]),
        dict(blocks=(13, 16), title=GEN, caption=None, credit=None,
             contributors=[("Arit John", "Washington"), ("Eva McKend", "Atlanta")], outlet="CNN",
             must=["Ohio", "West Virginia"], must_not=["CNN", "January", "GOP will"]),
    ]},
    "earthquake": {"date": "2023-02-07", "stories": [
        dict(blocks=(0, 6), title="Death toll from Turkey and Syria earthquakes passes 5,000",
             caption="A woman reacts as rescuers search for survivors in the rubble of a collapsed building in Kahramanmaras, Turkey, on February 7, 2023.",
             credit="Adem Altan/AFP via Getty Images", subheads=["Rescuers race against freezing temperatures"],
             must=["Turkey", "Syria", "Fuat Oktay"], must_not=["Monday", "Tuesday", "Rescuers", "Temperatures"]),
        dict(blocks=(7, 9), title=GEN,
             caption="Civil defense workers and residents search through the rubble of a collapsed building in Jinderis, Syria, on Tuesday.",
             credit="AP Photo/Ghaith Alsayed", must=["Syria", "White Helmets", "United Nations"], must_not=["Tuesday"]),
        dict(blocks=(10, 13), title="US sends rescue teams as offers of help pour in", caption=None, credit=None,
             contributors=[("Gul Tuysuz", "Istanbul"), ("Eyad Kourdi", "Gaziantep"), ("Jomana Karadsheh", "London")],
             outlet="CNN", must=["United States", "Turkey"], must_not=["CNN", "Tuesday", "More"]),
    ]},
    "hurricane": {"date": "2023-08-30", "stories": [
        dict(blocks=(0, 5), title="Idalia makes landfall in Florida’s Big Bend as a Category 3 hurricane",
             caption="Waves crash over a seawall in Cedar Key, Florida, on August 30, 2023.",
             credit="Joe Raedle/Getty Images", must=["Florida", "National Hurricane Center", "Ron DeSantis"],
             must_not=["Wednesday", "ET", "Do"]),
        dict(blocks=(6, 8), title="What is storm surge and why is it so dangerous?", caption=None, credit=None,
             must=[], must_not=["Storm", "Forecasters"]),
        dict(blocks=(9, 11), title=GEN,
             caption="A man walks through a flooded street in Tarpon Springs, Florida, on Wednesday.",
             credit="Reuters", must=["Florida", "Duke Energy"], must_not=["Wednesday", "More"]),
        dict(blocks=(12, 14), title=GEN, caption=None, credit=None,
             contributors=[("Mary Gilbert", None), ("Robert Shackelford", None)], outlet="CNN",
             must=["Bermuda"], must_not=["Florida", "Wednesday", "CNN"]),
    ]},
    "markets": {"date": "2024-08-05", "stories": [
        dict(blocks=(0, 3), title="Dow tumbles 1,000 points as recession fears grip Wall Street", caption=None, credit=None,
             must=["Wall Street"], must_not=["Monday", "Friday", "July", "September", "Markets"]),
        dict(blocks=(4, 6), title=GEN,
             caption="A trader works on the floor of the New York Stock Exchange on Monday.",
             credit="Michael M. Santiago/Getty Images", must=["Federal Reserve", "Austan Goolsbee"],
             must_not=["Monday", "Getty Images"]),
        dict(blocks=(7, 8), title=GEN, caption=None, credit=None, must=["Japan", "Bank of Japan"],
             must_not=["Monday", "Federal Reserve"]),
        dict(blocks=(9, 14), title="Bitcoin slides below $50,000", caption=None, credit=None,
             subheads=["Why crypto is falling"],
             contributors=[("Matt Egan", "New York"), ("Hanna Ziady", "London")], outlet="CNN",
             must=[], must_not=["Monday", "February", "CNN", "Analysts", "Ether"]),
    ]},
    "uk_politics": {"date": "2024-07-05", "stories": [
        dict(blocks=(0, 4), title="Keir Starmer becomes UK prime minister after Labour landslide",
             caption="Britain’s new Prime Minister Keir Starmer addresses the nation outside 10 Downing Street in London on Friday.",
             credit="Henry Nicholls/AFP via Getty Images", must=["Keir Starmer"],
             must_not=["Friday", "July", "Our"]),
        dict(blocks=(5, 8), title="Sunak apologises and says he will step down as Conservative leader",
             caption=None, credit=None, must=["Rishi Sunak"], must_not=["Friday", "The Conservatives"]),
        dict(blocks=(9, 11), title=GEN,
             caption="Reform UK leader Nigel Farage celebrates after winning the Clacton seat on Friday.",
             credit="AP Photo/Kin Cheung", must=["Nigel Farage", "Reform UK"], must_not=["Friday", "Under"]),
        dict(blocks=(12, 14), title=GEN, caption=None, credit=None,
             contributors=[("Luke McGee", "London"), ("Sugam Pokharel", "London"), ("Christian Edwards", "London")],
             outlet="CNN", must=[], must_not=["CNN", "Nigel Farage"]),
    ]},
    "world_cup": {"date": "2022-12-19", "stories": [
        dict(blocks=(0, 4), title="Argentina beat France on penalties to win the World Cup",
             caption="Lionel Messi lifts the World Cup trophy at Lusail Stadium in Lusail, Qatar, on December 18, 2022.",
             credit="Franck Fife/AFP via Getty Images", must=["Argentina", "France", "Lionel Messi"],
             must_not=["Sunday", "December"]),
        dict(blocks=(5, 7), title=GEN, caption="Fans celebrate on the Obelisk in Buenos Aires on Sunday.",
             credit="AP Photo/Rodrigo Abd", must=["Buenos Aires"], must_not=["Sunday", "Monday", "Tuesday", "Hundreds"]),
        dict(blocks=(8, 12), title="Macron consoles Mbappé on the pitch", caption=None, credit=None,
             body_has=["“We will come back.”"], must=["Emmanuel Macron", "Kylian Mbappé"],
             must_not=["Monday", "Instagram on Monday"]),
        dict(blocks=(13, 15), title=GEN, caption=None, credit=None,
             contributors=[("Ben Church", "Doha"), ("Stefano Pozzebon", "Buenos Aires")], outlet="CNN",
             must=["FIFA", "Gianni Infantino"], must_not=["Monday", "CNN"]),
    ]},
    "sbf_trial": {"date": "2023-11-02", "stories": [
        dict(blocks=(0, 7), title="Sam Bankman-Fried found guilty of fraud and conspiracy",
             caption="Sam Bankman-Fried arrives at federal court in New York on November 2, 2023.",
             credit="Michael M. Santiago/Getty Images", subheads=["Inside the courtroom"],
             must=["Sam Bankman-Fried", "FTX"], must_not=["Thursday", "The", "U.S. Attorney"]),
        dict(blocks=(8, 10), title=GEN,
             caption="Caroline Ellison, former CEO of Alameda Research, leaves federal court in New York on October 10, 2023.",
             credit="AP Photo/Seth Wenig", must=["Caroline Ellison", "Alameda Research"], must_not=["CEO"]),
        dict(blocks=(11, 15), title="Bankman-Fried faces decades in prison when he is sentenced in March",
             caption=None, credit=None, contributors=[("Kara Scannell", None), ("Lauren del Valle", None)],
             outlet="CNN", must=[], must_not=["March", "CNN", "His"]),
    ]},
}


def run(name: str) -> tuple[str, IngestResult]:
    return ingest_seed(SEEDS / f"{name}.txt", dt.date(2030, 1, 1))


def briefs(name: str) -> tuple[Brief, ...]:
    return run(name)[1].briefs


def stories(seed: str) -> list[dict[str, Any]]:
    return EXPECT[seed]["stories"]


CHECKS: dict[tuple[str, str], Callable[[], None]] = {}


def _stories(seed: str) -> None:
    text, result = run(seed)
    blocks = block_lines(text)
    want = [(blocks[s["blocks"][0]][0], blocks[s["blocks"][1]][1]) for s in stories(seed)]
    assert [b.source_lines for b in result.briefs] == want


def _titles(seed: str) -> None:
    got = briefs(seed)
    assert len(got) == len(stories(seed))
    for b, s in zip(got, stories(seed)):
        if s["title"] is None:
            assert b.title_generated, b.title
            assert 2 <= len(b.title.split()) <= 12, b.title
            assert flat(b.title).rstrip(".") != flat(b.summary).rstrip("."), "title must be cut from the lead"
        else:
            assert (flat(b.title), b.title_generated) == (s["title"], False)


def _photo(seed: str) -> None:
    got = briefs(seed)
    assert len(got) == len(stories(seed))
    for b, s in zip(got, stories(seed)):
        if s["caption"] is None:
            assert b.photo is None, b.photo
        else:
            assert b.photo is not None
            assert (flat(b.photo.caption), flat(b.photo.credit)) == (s["caption"], s["credit"])
            assert s["caption"] not in flat(b.body)


def _body(seed: str) -> None:
    """Subheads stay in their story as `##` headings; quoted and colon lines stay body text."""
    got = briefs(seed)
    assert len(got) == len(stories(seed))
    for b, s in zip(got, stories(seed)):
        for sub in s.get("subheads", []):
            assert f"## {sub}" in [flat(line) for line in b.body.split("\n")], b.body
        for line in s.get("body_has", []):
            assert line in [flat(p) for p in b.body.split("\n\n")], b.body


def _people(seed: str) -> None:
    got = briefs(seed)
    assert len(got) == len(stories(seed))
    for b, s in zip(got, stories(seed)):
        want = s.get("contributors", [])
        assert [(flat(c.name), flat(c.place) or None) for c in b.contributors] == want
        if want:
            assert b.outlet == s["outlet"]
            assert "contributed reporting" not in b.body


def _date(seed: str) -> None:
    for b in briefs(seed):
        assert day(b).isoformat() == EXPECT[seed]["date"]
        assert b.date_inferred


def _tags(seed: str) -> None:
    got = briefs(seed)
    assert len(got) == len(stories(seed))
    for b, s in zip(got, stories(seed)):
        assert set(s["must"]) <= set(b.tags), (s["must"], b.tags)


def _junk(seed: str) -> None:
    for b, s in zip(briefs(seed), stories(seed)):
        bad = {t.casefold() for t in [*s["must_not"], *ALWAYS_JUNK]}
        assert not [t for t in b.tags if t.casefold() in bad], b.tags
        assert len(b.tags) <= 6


def _lost(seed: str) -> None:
    text, result = run(seed)
    assert account_for_lines(text, result.briefs) == []


ASPECTS = {"stories": _stories, "titles": _titles, "photo": _photo, "body": _body, "people": _people,
           "date": _date, "tags": _tags, "junk": _junk, "nothing_lost": _lost}
for _seed in EXPECT:
    for _aspect, _fn in ASPECTS.items():
        CHECKS[(_seed, _aspect)] = functools.partial(_fn, _seed)

# Unmet expectations (seed, aspect), strict: each must fail until the code meets it.
# Before any fix 23 of 72 checks passed, after the fixes 64 (per seed, before → after: earthquake
# 2 → 9, hurricane 3 → 9, markets 5 → 3, mideast_live 2 → 9, sbf_trial 2 → 9, uk_politics 3 → 7,
# us_election 3 → 9, world_cup 3 → 9; markets' photo and people checks fail only because its story
# count is one too many). See the commit messages for the rules added.
XFAIL: set[tuple[str, str]] = {
    ("markets", "tags"),
    # "Bitcoin slides below $50,000" over "Bitcoin fell…": restated by a word the tagger does not
    # take for a name; "Why crypto is falling" then reads as a new post, not a subhead.
    ("markets", "stories"), ("markets", "titles"), ("markets", "photo"), ("markets", "body"), ("markets", "people"),
    # "The pound rose against the dollar…" names nobody, so it does not open like a new lead.
    ("uk_politics", "stories"), ("uk_politics", "titles"),
}


@pytest.mark.parametrize("key", [pytest.param(k, id=f"{k[0]}-{k[1]}",
                                              marks=[pytest.mark.xfail(strict=True)] if k in XFAIL else [])
                                 for k in sorted(CHECKS)])
def test_blind3(key: tuple[str, str]) -> None:
    CHECKS[key]()
