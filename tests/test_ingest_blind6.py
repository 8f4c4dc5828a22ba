"""Blind round 6: twelve more full-page scrapes (USA Today, Fox News, the Daily Mail, ESPN, the
Straits Times, Semafor, CBC, RNZ, Africanews, an Anadolu/Xinhua wire paste, a Times of Israel live
blog, a Politico Playbook), written by helpers who had not read the ingest code.

Before this round's fixes 5 of the 12 opened with the page's headline; after, 10. The fixes:
- the line under a signed article's headline is its standfirst, not the first post's title (that
  promotion is for pages of posts: a live page's title, an unsigned page, or a timestamp between
  the two lines), and neither is a name or the outlet's masthead;
- a headline may hold a question ("Rail strike averted? Amtrak, unions reach tentative deal");
- a one-word menu item may end in a full stop ("U.S.");
- "Share via email", "Show Captions", "Autoplay", "Last SlideNext Slide" are furniture.
Still wrong, left for a later round: the Straits Times (its standfirst is taken for the title),
the Times of Israel (a "Join our Community" promo opens the live blog), numeric dates
("05/08/2025", "20.06.2025"), and bylines written "Name · Outlet · Posted: …".
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefs.ingest import account_for_lines

from conftest import ingest_seed

SEEDS = Path(__file__).parent / "fixtures" / "seeds" / "blind6"


def briefs_of(name: str):
    return ingest_seed(SEEDS / name, fallback_date=dt.date(2025, 3, 20))[1].briefs


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_nothing_lost(path: Path) -> None:
    text, result = ingest_seed(path, fallback_date=dt.date(2025, 3, 20))
    assert result.briefs and account_for_lines(text, result.briefs) == []


@pytest.mark.parametrize("name, title", [
    ("foxnews_video.txt", "Bipartisan senators unveil bill to crack down on 'ghost' drone flights over military bases"),
    ("usatoday_article.txt", "Rail strike averted? Amtrak, unions reach tentative deal hours before deadline"),
    ("rnz_article.txt", "Tairāwhiti farmers count cost as cyclone-damaged roads stay closed a year on"),
    ("africanews_article.txt", "Senegal's fishers protest as foreign trawler licences renewed"),
    ("cbc_article.txt", "Winnipeg water main breaks hit record as cold snap grinds on, city says"),
    ("anadolu_wire.txt", "Hungary, Slovakia reject EU plan to phase out Russian gas by 2027"),
])
def test_the_page_opens_with_its_headline(name: str, title: str) -> None:
    first = briefs_of(name)[0]
    assert first.title == title and not first.title_generated
