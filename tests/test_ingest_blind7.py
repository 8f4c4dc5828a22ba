"""Blind round 7: twelve more full-page scrapes, and the page-top rules they and round 6 left wrong.

Round 6 left the Times of Israel live blog opening with "Join our Community": the outlet's name
atop the page ("THE TIMES OF ISRAEL") stopped the search for the menu under it. The name is now a
label like the menu items, and so is a menu item with an ampersand ("Israel & the Region"). Furniture
*under* a short headline (its share bar) no longer makes the headline a menu label: only furniture
above or among the labels does, or a topic's follow button over the real headline ("Electric
vehicles" / "Add to myFT").
"""
from __future__ import annotations

import datetime as dt
import functools

import pytest

from briefs.credits import parse_contributors, split_credit
from briefs.dates import parse_clock, parse_timestamp

from conftest import blind_briefs, ingest_checked

briefs_of = functools.partial(blind_briefs, "blind7")
round6 = functools.partial(blind_briefs, "blind6")

LEAD = ("The River Aire burst its banks early on Tuesday, flooding hundreds of homes across the city and forcing "
        "the closure of the main railway station, officials said.\n\nEmergency services rescued dozens of residents "
        "as water levels rose more than two metres overnight, according to the fire service.\n")


def one(text: str):
    return ingest_checked(text, "x.txt", fallback_date=dt.date(2025, 1, 1)).briefs


@pytest.mark.parametrize("headline", ["Floods hit Leeds", "FLOODS HIT LEEDS", "Leeds floods"])
def test_a_short_headline_over_its_share_bar_stays_the_title(headline: str) -> None:
    (brief,) = one(f"{headline}\n\nShare\n\n" + LEAD)
    assert brief.title == headline and brief.unplaced == ("Share",)


def test_a_topic_with_its_follow_button_over_the_headline_is_furniture() -> None:
    (brief,) = one("Electric vehicles\n\nAdd to myFT\n\nBrussels to impose tariffs on Chinese electric buses\n\n" + LEAD)
    assert brief.title == "Brussels to impose tariffs on Chinese electric buses"
    assert brief.unplaced == ("Electric vehicles", "Add to myFT")


def test_the_outlets_name_and_its_menu_atop_the_page_are_furniture() -> None:
    menu = ["THE LEEDS COURIER", "Log in", "Join our Community", "News & Politics", "Sport", "Opinion & Blogs"]
    (brief,) = one("\n".join(menu) + "\n\nHundreds of homes flooded as River Aire bursts its banks\n\n" + LEAD)
    assert brief.title == "Hundreds of homes flooded as River Aire bursts its banks"
    assert brief.unplaced == tuple(menu)


def test_the_times_of_israel_live_blog_opens_with_its_title() -> None:
    first, post = round6("toi_liveblog.txt")[:2]
    assert first.title == "Israel at war: Day 512"
    assert "Join our Community" in first.unplaced and "Israel & the Region" in first.unplaced
    assert post.title == "Knesset passes state budget in first reading after all-night session"


# ---------------------------------------------------------------- stamps in every outlet's form

EST, JST = dt.timezone(dt.timedelta(hours=-5)), dt.timezone(dt.timedelta(hours=9))


@pytest.mark.parametrize("line, kind, when", [
    ("Feb. 27, 2025, 5 a.m. EST", "published", dt.datetime(2025, 2, 27, 5, 0, tzinfo=EST)),  # an hour alone
    ("Posted 03/06/2025 6:42 p.m. EST", "published", dt.datetime(2025, 3, 6, 18, 42, tzinfo=EST)),  # US: month first
    ("Updated 03/07/2025 9:10 a.m. EST", "updated", dt.datetime(2025, 3, 7, 9, 10, tzinfo=EST)),
    ("Thu Mar 06 2025 - 05:00", "published", dt.datetime(2025, 3, 6, 5, 0)),
    ("Updated: 2025/03/06 (15:20 JST)", "updated", dt.datetime(2025, 3, 6, 15, 20, tzinfo=JST)),
    ("Published : 2025-03-06 14:32:10", "published", dt.datetime(2025, 3, 6, 14, 32)),
    ("2025-03-06T09:15:00Z", "published", dt.datetime(2025, 3, 6, 9, 15, tzinfo=dt.timezone.utc)),
    ("2025-03-06T09:15:00+01:00", "published", dt.datetime(2025, 3, 6, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))),
    ("06.03.2025, 09:15", "published", dt.datetime(2025, 3, 6, 9, 15)),  # dots: day first
    ("13/06/2025 10:00", "published", dt.datetime(2025, 6, 13, 10, 0)),  # no 13th month
    ("Fri 3/7/2025 6:02 AM", "published", dt.datetime(2025, 3, 7, 6, 2)),  # 7 March 2025 was a Friday
    ("Jane Doe  |20.06.2025 - Update : 20.06.2025", "published", dt.datetime(2025, 6, 20)),
    ("March 19, 2025 8:12 PM GMT-3Updated 2 hours ago", "published",
     dt.datetime(2025, 3, 19, 20, 12, tzinfo=dt.timezone(dt.timedelta(hours=-3)))),
])
def test_a_stamp_in_any_common_form(line: str, kind: str, when: dt.datetime) -> None:
    assert parse_timestamp(line) == (kind, when)


@pytest.mark.parametrize("line", ["March 6, 2025 was a cold day", "12/25 people", "3 dead as floods hit Leeds",
                                  "2025 was a year of floods", "31/02/2025", "10/11/2025 marks the anniversary"])
def test_a_line_that_opens_with_a_date_is_no_stamp(line: str) -> None:
    assert parse_timestamp(line) is None


def test_a_post_time_with_an_offset_zone() -> None:
    assert parse_clock("7:41 PM GMT-3") == ("posted", dt.time(19, 41), dt.timezone(dt.timedelta(hours=-3)))


# ---------------------------------------------------------------- credits and bylines

@pytest.mark.parametrize("line, caption, credit", [
    ("Lawmakers at the Diet in Tokyo on Wednesday. | KYODO", "Lawmakers at the Diet in Tokyo on Wednesday.", "KYODO"),
    ("Farmers in Ottawa on Thursday.Graham Hughes/The Canadian Press", "Farmers in Ottawa on Thursday.",
     "Graham Hughes/The Canadian Press"),
    ("Police at the scene in Seoul. (Yonhap)", "Police at the scene in Seoul.", "Yonhap"),
    ("Protesters in Brasilia. REUTERS/Adriano Leite", "Protesters in Brasilia.", "REUTERS/Adriano Leite"),
    ("Illustration by Paul Spella / The Atlantic", "", "Illustration by Paul Spella / The Atlantic"),
])
def test_more_credit_formats(line: str, caption: str, credit: str) -> None:
    assert split_credit(line) == (caption, [credit])


def test_photo_by_in_a_sentence_is_no_credit() -> None:
    assert split_credit("Photo by photo, the archive grew.") == ("Photo by photo, the archive grew.", [])


def test_a_byline_naming_only_the_outlet_or_shouted() -> None:
    assert parse_contributors("By Reuters") == ((), "Reuters")
    assert parse_contributors("By The Associated Press") == ((), "The Associated Press")
    people, _ = parse_contributors("BY TAKASHI NAKAMURA AND YUKI ARIMA")
    assert [p.name for p in people] == ["Takashi Nakamura", "Yuki Arima"]


# ---------------------------------------------------------------- players and page chrome

def test_a_players_clock_is_furniture_but_a_posts_time_is_not() -> None:
    (brief,) = one("Floods hit Leeds\n\nListen to this article\n\n00:00\n\n23:41\n\n" + LEAD)
    assert brief.unplaced == ("Listen to this article", "00:00", "23:41")
    (brief,) = one("Floods hit Leeds\n\nPlay Video\n\nRescuers wade through Leeds streets\n\n02:14\n\n"
                   "Closed Captions\n\n" + LEAD)
    assert brief.title == "Floods hit Leeds" and "Rescuers wade through Leeds streets" in brief.unplaced
    posts = one("Leeds floods: live\n\n17:04\n\nPost\n\nRiver peaks\n\n" + LEAD + "\n16:58\n\nPost\n\n"
                "Station shut\n\nThe railway station closed at noon, a spokesperson for the operator said on Tuesday.\n")
    assert [b.title for b in posts][-2:] == ["River peaks", "Station shut"] and posts[-1].date.minute == 58


def test_a_stamp_under_the_standfirst_keeps_the_headline_on_a_page_of_two_articles() -> None:
    briefs = round6("anadolu_wire.txt")
    assert briefs[0].title == "Hungary, Slovakia reject EU plan to phase out Russian gas by 2027"
    assert briefs[0].date == dt.datetime(2025, 6, 20) and [c.name for c in briefs[0].contributors] == ["Gökhan Ergöçün-Yılmaz"]
    assert briefs[1].date == dt.datetime(2025, 4, 8, 21, 14)  # (the Xinhua article pasted under it: its own stamp)
