"""Blind round 8: twelve more pages (Xinhua, TASS, the Sydney Morning Herald, the Tampa Bay Times, a
Google News list, an AP-style wire feed, Mint, Haaretz, a DW live ticker, The New Yorker, a
university's news releases, a police force's news page), written by helpers who had not read the
ingest code.

Before this round's fixes 7 of the 12 opened with the page's headline; after, all 12. The rules: a
byline of names over the timestamp past a standfirst, with "Follow" buttons between them; a time
before a day-first date ("10:47 07/03/2025"); a stamp that leaves out its year ("Published Mar. 3":
the nearest such day to the seed's date); credits glued to their caption ("…month.Credit: …",
"…eveningImage: …"), "Photo by A, Org." and "Photo courtesy of …", "[ Times (1987) ]"; datelines
"CORVALLIS, Ore. –" and "MOSCOW, March 5. /TASS/."; an agency's name atop its page; a story's end
mark ("Enditem", "-30-", "<", a last paragraph's "♦"); relative times, sign-in prompts, "Also Read |
…", "Times staff", press-office contact lines, copyright lines, DW's "ab, rm/sms (dpa, Reuters,
AFP)"; a second article's standfirst over its byline; a link list stops at a headline with its stamp
and text under it; an AP-style wire feed's headers, slugs and notes, and its transmission stamps,
which end and date each story. A review of these rules found 12 misfires; each is a test at the
bottom. Still wrong, left for a later round: the wire feed's "Markets at a glance" cut at its third
line, the Google News list's items, DW's "Skip next section" posts, the police page's update lines,
TASS's "Read also" link inside a story, Haaretz's IST (Israel, not India: the outlet should decide).
"""
from __future__ import annotations

import datetime as dt
import functools

import pytest

from briefs.credits import parse_dateline, split_credit
from briefs.dates import parse_timestamp
from briefs.ingest import is_furniture

from conftest import blind_briefs, ingest_checked, ingest_paragraphs as lines

briefs_of = functools.partial(blind_briefs, "blind8")


@pytest.mark.parametrize("name, title", [
    ("haaretz_article.txt", "Israel Police Probe Finds Officers Ignored Warnings Before Deadly Negev Shooting"),
    ("mint_markets.txt", "Sensex, Nifty 50 snap four-day losing streak as IT stocks rally; ₹3.2 lakh crore added"),
    ("smh_article.txt", "Rozelle interchange fix to cost another $210 million, leaked report shows"),
    ("tampabay_brief.txt", "Pinellas deputies arrest driver in fatal Seminole hit-and-run"),
    ("tass_english.txt", "Lavrov, Fidan to discuss Black Sea navigation in Antalya next week - Foreign Ministry"),
    ("xinhua_english.txt", "China's Yangtze River Delta launches cross-border data flow pilot zone"),
    ("university_news.txt", "Oregon State researchers find wildfire smoke cuts wine grape yields by up to 18%"),
    ("newyorker_longread.txt", "The Last Salt Keepers of the Camargue"),
    ("police_news.txt", "Man jailed for 14 months after attacking bus driver in Worcester"),
    ("dw_live.txt", "German election: Merz's CDU/CSU wins, AfD in second place — live"),
    ("googlenews_list.txt", "Senate passes stopgap funding bill, averting shutdown hours before deadline"),
    ("wire_feed.txt", "Blizzard warning issued for Denver, eastern Colorado plains"),
])
def test_the_page_opens_with_its_headline(name: str, title: str) -> None:
    first = briefs_of(name)[0]
    assert first.title.startswith(title[:60]) and not first.title_generated


def test_names_over_the_stamp_past_the_standfirst_are_the_byline() -> None:
    (haaretz,) = briefs_of("haaretz_article.txt")
    assert [c.name for c in haaretz.contributors] == ["Bar Peleg", "Josh Breiner", "Jack Khoury"]
    mint = briefs_of("mint_markets.txt")[0]
    assert [c.name for c in mint.contributors] == ["Ankit Gohel"]
    assert mint.date == dt.datetime(2025, 3, 12, 16, 2, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))


def test_a_police_pages_items_each_with_its_stamp() -> None:
    items = briefs_of("police_news.txt")
    assert items[0].date == dt.datetime(2025, 3, 7, 10, 47)
    assert parse_timestamp("10:47 07/03/2025") == ("published", dt.datetime(2025, 3, 7, 10, 47))


def test_a_stamp_without_its_year_takes_the_seeds() -> None:
    assert parse_timestamp("Published Mar. 3|Updated Mar. 5", 2025) == ("published", dt.datetime(2025, 3, 3))
    assert parse_timestamp("Published Mar. 3") is None and parse_timestamp("Mar. 3", 2025) is None  # (a label says so)
    first, obituary = briefs_of("tampabay_brief.txt")
    assert first.date.month == 3 and first.date.day == 3 and first.dateline == "SEMINOLE"
    assert obituary.title.startswith("Betty Lou Marchetti, who ran a Ybor City bakery") and [c.name for c in obituary.contributors] == ["Paul Guzzo"]
    assert first.photo.credit == "Pinellas County Sheriff's Office" and "Times staff" in first.unplaced


@pytest.mark.parametrize("line, caption, credit", [
    ("Police at the scene near Rahat, earlier this month.Credit: Eliyahu Hershkovitz",
     "Police at the scene near Rahat, earlier this month.", "Eliyahu Hershkovitz"),
    ("AfD supporters cheered in Berlin on Sunday eveningImage: Michael Kappeler/dpa/picture alliance",
     "AfD supporters cheered in Berlin on Sunday evening", "Michael Kappeler/dpa/picture alliance"),
    ("Vines near Dundee, Oregon. Photo by Karl Maasdam, Oregon State University.", "Vines near Dundee, Oregon.",
     "Photo by Karl Maasdam, Oregon State University"),
    ("Students at the lab. Photo courtesy of Jane Roe.", "Students at the lab.", "Photo courtesy of Jane Roe"),
    ("The bakery's storefront in 1987. [ Times (1987) ]", "The bakery's storefront in 1987.", "Times (1987)"),
])
def test_credits_glued_to_their_caption_and_other_forms(line: str, caption: str, credit: str) -> None:
    assert split_credit(line) == (caption, [credit])


@pytest.mark.parametrize("line", ["Nvidia alsCredit: o announced a buyback.", "The logo, marked © Disney 1928, entered the public domain."])
def test_text_that_only_looks_like_a_glued_credit(line: str) -> None:
    assert split_credit(line)[1] == []


def test_datelines_with_an_en_dash_or_an_agency_between_slashes() -> None:
    assert parse_dateline("CORVALLIS, Ore. – Researchers found that smoke cuts yields.")[:2] == ("CORVALLIS, Ore.", "")
    assert parse_dateline("MOSCOW, March 5. /TASS/. Lavrov said talks would resume.")[:2] == ("MOSCOW, March 5", "TASS")
    tass = briefs_of("tass_english.txt")[0]
    assert tass.outlet == "TASS" and "TASS" not in tass.tags


def test_an_end_mark_closes_the_story() -> None:
    xinhua = briefs_of("xinhua_english.txt")
    assert [b.title for b in xinhua][1] == "China's Chang'e-7 lunar probe completes key thermal vacuum test"
    assert xinhua[0].outlet == "Xinhua" and not xinhua[0].contributors  # ("Source: Xinhua" in the stamp line)
    (brief,) = ingest_checked("Rail deal agreed\n\nThe rail unions agreed a deal on Tuesday after talks, officials said.\n\n"
                              "-30-\n\nPort strike ends\n\nDock workers returned to work on Wednesday, the union said.\n",
                              "x.txt", fallback_date=dt.date(2025, 1, 1)).briefs[:1]
    assert brief.title == "Rail deal agreed" and "-30-" in brief.unplaced
    (yorker, *_) = briefs_of("newyorker_longread.txt")
    assert yorker.body.endswith("Camille laughed and did not contradict him. ♦")


@pytest.mark.parametrize("line", ["1 hour ago", "This was published 4 hours ago", "Log in, register or subscribe to save articles for later.",
                                  "Also Read | Sensex falls 500 points as banks drag", "Times staff", "ab, rm/sms (dpa, Reuters, AFP)",
                                  "Source: Elena Marquez, elena.marquez@oregonstate.edu", "Enditem", "###"])
def test_more_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", ["Register to vote by March 3, officials urged residents.", "More: the mayor said", "The End",
                                  "Hospital staff said the ward was full."])
def test_text_like_that_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_a_link_list_stops_at_a_headline_with_its_stamp_and_text() -> None:
    university = briefs_of("university_news.txt")
    assert len(university) == 4 and university[0].date == dt.datetime(2025, 3, 4)
    assert university[0].photo.credit == "Karl Maasdam, Oregon State University"


def test_a_stamp_that_is_no_date_is_kept_and_a_yearless_one_finds_its_year() -> None:
    """Found by mutating the seeds: "February 29, 2099" is no date (kept in `unplaced`); "Published Feb. 29"
    over a 2025 seed is the nearest 29 February there was."""
    assert parse_timestamp("February 29, 2099", 2000) is None
    for stamp, day in (("February 29, 2099", dt.date(2025, 1, 1)), ("Published Feb. 29", dt.datetime(2024, 2, 29))):
        (brief,) = ingest_checked(f"Floods hit Leeds\n\n{stamp}\n\nThe River Aire burst its banks on Tuesday, flooding "
                                  "hundreds of homes across the city, officials said.\n", "x.txt",
                                  fallback_date=dt.date(2025, 1, 1)).briefs  # (checks nothing is lost)
        assert brief.date == day


# ---------------------------------------------------------------- misfires a review of these rules found

def test_a_label_and_a_date_opening_a_sentence_or_a_note_are_text() -> None:
    (brief,) = lines("Video of bear in school hallway goes viral", "By Jane Roe", "March 5, 2025",
                     "Posted March 3 on the district's Facebook page, the video has been viewed more than 2 million times.",
                     "Updated: March 6 — This story has been updated to include a statement from the mayor's office.")
    assert "Posted March 3 on the district's Facebook page" in brief.body and "This story has been updated" in brief.body


def test_a_stamp_without_its_year_is_the_nearest_such_day() -> None:
    (brief,) = lines("Retail sales jump in holiday quarter", "By Jane Roe", "Published Jan. 6",
                     "Retailers reported their strongest holiday sales in years for the quarter ended Dec. 31, 2025, "
                     "the trade group said on Monday.")
    assert brief.date == dt.datetime(2026, 1, 6) and not brief.date_inferred


def test_sentences_and_list_items_like_furniture_are_text() -> None:
    (brief,) = lines("Celtics rally past Knicks to force Game 7", "By Sam Hill", "May 15, 2025",
                     "48 hours ago, they were a team in crisis.", "Register online by June 6 to comment at the hearing.",
                     "Who goes first:", "Hospital staff", "Care home residents")
    assert {"48 hours ago, they were a team in crisis.", "Register online by June 6 to comment at the hearing."} <= set(
        brief.body.split("\n\n")) and "Hospital staff" in brief.body


def test_minute_markers_after_the_text_begins_are_kept() -> None:
    posts = lines("Arsenal v Chelsea: Premier League – live", "Key events", "Kick-off",
                  "Arsenal get us under way at the Emirates, attacking the Clock End in the first half.", "Share",
                  "6 min", "Saka skips past Cucurella on the right and whips in a cross, but Sanchez punches clear.",
                  "Share", "9 min", "GOAL! Arsenal 1-0 Chelsea (Odegaard 9) A lovely move ends with a curled shot.")
    assert not {"6 min", "9 min"} & {u for b in posts for u in b.unplaced}


def test_a_transcripts_applause_a_title_case_headline_and_an_update_label() -> None:
    assert split_credit("It is an honour to stand before you. [ Applause ]")[1] == []
    (brief,) = lines("Artwork by Banksy Defaced, Removed Hours After Unveiling", "By Jane Roe", "March 5, 2025",
                     "A new mural by the artist Banksy was defaced and removed within hours of appearing in London, police said.")
    assert brief.title == "Artwork by Banksy Defaced, Removed Hours After Unveiling"
    assert parse_dateline("UPDATE, March 6 — Police on Thursday named the driver.")[0] == ""


def test_a_section_break_of_hashes_keeps_one_article() -> None:
    briefs = lines("The quiet revolution in rural broadband", "By Jane Doe", "March 3, 2025",
                   "Across the county, farmers who once waited years for a connection are now streaming video, officials said.",
                   "###", "The county's fibre project began in 2021 with a federal grant, and it now reaches 9,000 homes, the county said.")
    assert len(briefs) == 1 and "###" in briefs[0].unplaced


def test_a_wire_feeds_slugs_notes_and_transmission_stamps() -> None:
    """An AP-style feed: each story's header, slug and priority are furniture, and the transmission stamp
    under it ("AP-WF-03-04-25 1422GMT") ends the story and dates it (not the election date in the text)."""
    wire = briefs_of("wire_feed.txt")
    assert wire[0].title == "Blizzard warning issued for Denver, eastern Colorado plains"
    assert wire[0].date == dt.datetime(2025, 3, 4, 14, 22, tzinfo=dt.timezone.utc)
    assert {"a0418 4 n AM-WX--Winter Storm 03-04 0211", "BC-US--Winter Storm/", "URGENT"} <= set(wire[0].unplaced)
    assert wire[1].title.startswith("Lucia Rivera") and wire[1].date.minute == 31
    election = next(b for b in wire if b.title.startswith("Hungary's president"))
    assert election.date == dt.datetime(2025, 3, 4, 14, 48, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("line, footer", [("(Copyright 2025 The Associated Press. All Rights Reserved.)", True),
                                          ("© 2025 The Irish Times DAC", True), ("Copyright © 2025, Radio New Zealand", True),
                                          ("© Alexander Shcherbak/TASS", False),  # (a photo's credit)
                                          ("Copyright law is changing fast, lawyers say.", False)])
def test_copyright_lines_are_furniture(line: str, footer: bool) -> None:
    assert is_furniture(line) == footer


@pytest.mark.parametrize("line", ["More.", "Urgent.", "Flash", "More:", "Copyright 2024 in review: the year AI met the courts",
                                  "Copyright 2025 filings rose by a third, the office said.", "nj-transit.com/",
                                  'The footer read simply: "All rights reserved."', "Eds: the stadium vote is on Tuesday."])
def test_words_a_wire_or_a_footer_uses_are_text_elsewhere(line: str) -> None:
    """A review of the wire and copyright rules: only a wire's own forms ("MORE", "URGENT", "Eds: APNewsNow.")
    and a footer's are furniture."""
    assert not is_furniture(line)


def test_a_lone_less_than_sign_is_a_wire_takes_end_only_under_its_stamp() -> None:
    (brief,) = lines("Student proves bound on prime gaps", "By Jane Roe", "March 5, 2025",
                     "A graduate student has proved that the gap between primes satisfies the bound", "g(n)", "<", "n^0.52",
                     "Professor Alan Wu, her adviser, said the result was the best in decades, the university said.")
    assert "&lt;" in brief.body.split("\n\n")  # (escaped: seed text is never markup)
    wire = briefs_of("wire_feed.txt")
    assert "<" in wire[0].unplaced
