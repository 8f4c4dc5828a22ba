"""Blind round 7: twelve more full-page scrapes (The Atlantic, ProPublica, a Yahoo syndicated AP
story, WRAL, the Irish Times, the Japan Times, a Reuters live page, a BBC Sport live page, Dawn, the
Korea Herald, the Globe and Mail, a Morning Brew newsletter), written by helpers who had not read
the ingest code, and the page-top rules they and round 6 left wrong.

Before this round's fixes 4 of the 12 opened with the page's headline; after, 10. Still wrong, left
for a later round: WRAL's four-word menu item "5 On Your Side" stops the menu search (a four-word
label would cost short headlines under a menu their title); the Reuters live page's "Summary" bullets
become subheads; the Morning
Brew email opens with its masthead, not its subject line; The Atlantic's "II. Who Owns the Problem" section heads stay text.
Two reviews of this round's rules found 20 misfires on plausible text; each is a test at the bottom.

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

from briefs.credits import fold_key, parse_contributors, split_credit
from briefs.dates import parse_clock, parse_timestamp
from briefs.ingest import is_furniture

from conftest import blind_briefs, ingest_checked, ingest_paragraphs as lines

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


# ---------------------------------------------------------------- the round's seeds, as an editor reads them

@pytest.mark.parametrize("name, title", [
    ("atlantic_feature.txt", "The Town That Waited for Water"),
    ("dawn_petrol_price.txt", "Govt raises petrol price by Rs4.50 per litre, keeps diesel unchanged"),
    ("globe_and_mail_dairy_tariffs.txt", "Ottawa offers dairy farmers $1.2-billion aid package as U.S. tariffs bite"),
    ("yahoo_ap_syndicated.txt", "Wildfire near Boulder forces evacuation of 9,000 as winds top 80 mph"),
    ("irishtimes_article.txt", "Dublin City Council to buy 400 vacant homes under new compulsory purchase scheme"),
    ("japantimes_article.txt", "Ruling coalition and opposition reach deal on high school tuition waiver"),
    ("korea_herald_special_counsel.txt", "Opposition pushes special counsel probe into ex-defense chief's deleted phone records"),
    ("propublica_investigation.txt", "Tennessee Hospital Chain Sued Thousands of Patients While Sitting on $300 Million in Reserves"),
    ("bbc_sport_live_brentford_everton.txt", "Brentford v Everton - Premier League"),
    ("reuters_live_brazil_pensions.txt", "Live: Brazil's Senate votes on pension overhaul as protesters fill Brasilia"),
])
def test_the_page_opens_with_its_headline(name: str, title: str) -> None:
    first = briefs_of(name)[0]
    assert first.title == title and not first.title_generated


@pytest.mark.parametrize("name", ["atlantic_feature.txt", "dawn_petrol_price.txt", "globe_and_mail_dairy_tariffs.txt",
                                  "yahoo_ap_syndicated.txt", "irishtimes_article.txt", "propublica_investigation.txt"])
def test_a_single_article_is_one_brief_whose_summary_is_its_lead(name: str) -> None:
    (brief,) = briefs_of(name)
    assert brief.body.startswith(brief.summary.rstrip("…")[:60]) or brief.summary[:40] in brief.body


def test_dawn_stamp_byline_outlet_caption_and_readers_comments() -> None:
    (brief,) = briefs_of("dawn_petrol_price.txt")
    assert brief.date == dt.datetime(2025, 3, 1) and brief.outlet == "Dawn.com"
    assert [c.name for c in brief.contributors] == ["Kashif Hussain"]
    assert brief.photo.credit == "Reuters/File" and brief.photo.caption.endswith("in Islamabad.")
    assert "Relief never comes for the common man. Only burden." in brief.unplaced  # a reader's comment
    assert "Relief never comes" not in brief.body


def test_globe_and_mail_stacked_byline_and_glued_credit() -> None:
    (brief,) = briefs_of("globe_and_mail_dairy_tariffs.txt")
    assert [(c.name, c.place) for c in brief.contributors] == [("Marie Lachance", "Ottawa"), ("Nathan VanderKlippe", "Washington")]
    assert brief.updated == dt.datetime(2025, 3, 6, 21, 42, tzinfo=EST)
    assert brief.photo.credit == "Graham Hughes/The Canadian Press"
    assert "The Globe and Mail" in brief.unplaced and "Estimated 6 minutes" in brief.unplaced


def test_yahoo_syndicated_story_drops_its_menu_counts_and_entity_box() -> None:
    (brief,) = briefs_of("yahoo_ap_syndicated.txt")
    assert brief.date == dt.datetime(2025, 3, 6, 16, 32, tzinfo=dt.timezone.utc)
    assert [c.name for c in brief.contributors] == ["Colleen Slevin", "Jesse Bedayn"]
    assert {"Mail", "142", "In this article:", "Politician"} <= set(brief.unplaced)
    assert brief.photo.credit == "AP Photo/David Zalubowski"


def test_live_pages_keep_each_posts_time_and_zone() -> None:
    reuters = briefs_of("reuters_live_brazil_pensions.txt")
    post = next(b for b in reuters if b.title == "Real firms as investors bet on fiscal relief")
    assert post.date == dt.datetime(2025, 3, 19, 19, 41, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    bbc = briefs_of("bbc_sport_live_brentford_everton.txt")
    assert [b.title for b in bbc][2:4] == ["Thanks for joining us", "'We showed character' - Frank"]
    assert bbc[2].date == dt.datetime(2025, 3, 15, 17, 4) and "Post" in bbc[2].unplaced
    assert not bbc[0].contributors  # ("Premier League · Sat 15 Mar 2025 · Gtech Community Stadium": no people)


def test_irish_times_byline_with_its_job_and_footer_promos() -> None:
    (brief,) = briefs_of("irishtimes_article.txt")
    assert [c.name for c in brief.contributors] == ["Olivia Kearney"]
    assert brief.date == dt.datetime(2025, 3, 6, 5, 0)
    assert {"Listen | 5:12", "Find The Irish Times on WhatsApp and stay up to date",
            "Our In the News podcast is now published daily – Find the latest episode here"} <= set(brief.unplaced)


def test_a_last_story_without_text_is_the_footer_of_the_one_above() -> None:
    *_, last = round6("rnz_article.txt")
    assert "Kiwifruit growers brace for smaller crop after hail" in last.unplaced and "11 Oct 2024" in last.unplaced
    assert last.date != dt.datetime(2024, 10, 11)  # (a related link's date dates nothing)


def test_a_byline_for_an_outlet() -> None:
    assert parse_contributors("By HARRIET COLDWELL FOR MAILONLINE")[1] == "MAILONLINE"
    people, outlet = parse_contributors("By Jane Doe and John Roe for The Guardian")
    assert [p.name for p in people] == ["Jane Doe", "John Roe"] and outlet == "The Guardian"


# ---------------------------------------------------------------- misfires a review of these rules found

def test_an_event_time_in_the_text_is_no_stamp() -> None:
    (brief,) = lines("Memorial planned for Potomac crash victims", "By Jane Doe", "Published March 3, 2025",
                     "A public memorial service for the 67 victims will be held at the Kennedy Center, officials said on Monday.",
                     "The service will be held on:", "Saturday, March 8, 2025, 11 a.m.",
                     "Tickets are free but must be reserved online, the Kennedy Center said.")
    assert "Saturday, March 8, 2025, 11 a.m." in brief.body and brief.date == dt.datetime(2025, 3, 3)


@pytest.mark.parametrize("above, headline", [("Skip to main content", "The Good News About Inflation"),
                                             ("Menu", "TRUMP SUES NEW YORK TIMES")])
def test_a_headline_naming_an_outlet_is_no_masthead(above: str, headline: str) -> None:
    brief = lines(above, headline, "By Jane Doe", "March 6, 2025",
                  "Consumer prices fell in March for the first time in five years, the Labor Department said on Thursday.",
                  "Economists had expected a small rise.")[0]
    assert brief.title == headline


def test_a_live_posts_time_after_a_video_link_is_kept() -> None:
    posts = lines("Ukraine war: Zelensky in London for talks", "10:42", "Zelensky arrives at Downing Street",
                  "Ukrainian President Volodymyr Zelensky has arrived in Downing Street for talks with Keir Starmer.",
                  "Play video", "10:30", "Russia launches overnight drone attack on Kyiv",
                  "Russia launched 120 drones at Ukraine overnight, the Ukrainian air force said.")
    assert posts[-1].title == "Russia launches overnight drone attack on Kyiv" and posts[-1].date.minute == 30


def test_a_headline_opening_like_a_credit_stays_the_headline() -> None:
    brief = lines("Artwork by Banksy appears on wall of London court",
                  "A new artwork by Banksy appeared on the wall of the Royal Courts of Justice in London on Monday.")[0]
    assert brief.title == "Artwork by Banksy appears on wall of London court"


def test_a_live_pages_first_post_keeps_its_headline_over_its_stamp() -> None:
    posts = lines("Israel-Gaza war: ceasefire talks resume in Cairo", "Hamas delegation arrives in Egypt",
                  "March 6, 2025, 9:15 a.m. EST",
                  "A Hamas delegation arrived in Cairo on Thursday for talks on the ceasefire, Egyptian officials said.",
                  "Israel halts aid into Gaza", "March 6, 2025, 8:40 a.m. EST",
                  "Israel has stopped all aid deliveries into the Gaza Strip, Benjamin Netanyahu's office said.")
    assert posts[0].title == "Hamas delegation arrives in Egypt"


def test_a_numeric_date_nothing_orders_is_no_stamp() -> None:
    assert parse_timestamp("Published 03/06/2025") is None  # (3 June or March 6: inferred from the text instead)


def test_a_label_in_capitals_after_a_pipe_is_no_credit() -> None:
    assert split_credit("WATCH: Residents flee as flames reach Pacific Palisades | VIDEO")[1] == []
    assert parse_contributors("By The Post's count, dozens were hurt") == ((), "")


# ---------------------------------------------------------------- newsletters and page ends

@pytest.mark.parametrize("line", ["View Online | Sign Up | Shop", "To: you@example.com", "Morning Brew <crew@morningbrew.com>",
                                  "Presented By Northwind Bank", "TOGETHER WITH NORTHWIND BANK", "SUBSCRIBE NOW",
                                  "By subscribing, you can help us get the story right.",
                                  "In a time of both misinformation and too much information, quality journalism is more crucial than ever."])
def test_a_newsletters_chrome_and_appeals_are_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", ["Tariffs | Trade | What it means for farmers and why prices are rising",
                                  "By subscribing to the service, households saved an average of $40 a month, the study found.",
                                  "Together with her brother, she ran the farm for 40 years.",
                                  "To learn more, residents can visit the city's website, the mayor said."])
def test_text_that_looks_like_that_chrome_is_not(line: str) -> None:
    assert not is_furniture(line)


def test_an_officers_initials_split_a_run_of_names() -> None:
    brief = one("Detroit gets a reprieve\n\nCarmakers cheered, and Lakeshore Components CEO Dana Whitcomb said Lakeshore "
                "Components would rehire 200 workers. Dana Whitcomb added that Lakeshore Components had been lucky.\n")[0]
    assert "Dana Whitcomb" in brief.tags and "Lakeshore Components" in brief.tags


def test_most_popular_links_under_a_story_are_furniture() -> None:
    korea = briefs_of("korea_herald_special_counsel.txt")
    assert len(korea) == 1 and "Korea's exports rise 3.4% in February on chip demand" in korea[0].unplaced


# ---------------------------------------------------------------- misfires a second review found

def test_a_comments_count_ends_at_the_next_headline_or_post_time() -> None:
    briefs = lines("Council approves new budget after long debate", "By Jane Smith",
                   "The city council approved a $4.2 million budget on Monday night after a six-hour debate.",
                   "Councillors voted 7-2 in favour of the plan, which includes new funding for parks.",
                   '"This is a good day for the city," said Mayor Tom Harris.', "Comments (12)",
                   "School board names new superintendent", "By Mark Lee",
                   "The Riverside school board on Tuesday named Angela Ruiz as its new superintendent.")
    assert [b.title for b in briefs][-1] == "School board names new superintendent"
    posts = lines("Ukraine war live: latest updates", "14:05", "Kyiv hit by overnight drone attack",
                  "Russia launched more than 100 drones at Kyiv overnight, officials said.",
                  "Air defences shot down most of them, the air force said.", "Two people were injured in the east.",
                  "Comments (231)", "13:40", "Zelensky to meet European leaders",
                  "Ukrainian President Volodymyr Zelensky will travel to Brussels on Thursday.")
    assert posts[-1].title == "Zelensky to meet European leaders"


def test_sentences_about_narration_and_podcasts_are_text() -> None:
    (brief,) = lines("Spotify to pay podcasters more", "By Laura Kim",
                     "Critics praised Sir David Attenborough's narration, and many said they would listen to it again.",
                     "The Joe Rogan Experience, the most popular podcast on the platform, will be available to download from today.")
    assert "Attenborough's narration" in brief.body and "available to download from today." in brief.body


def test_a_terse_last_post_or_digest_item_is_its_own_story() -> None:
    posts = lines("US election live: polls close across the East Coast", "20:05 ET", "Polls close in Virginia and Georgia",
                  "Voting has ended in Virginia and Georgia, two closely watched states.",
                  "Officials said turnout was high across both states.", "20:31 ET", "Trump wins Kentucky, AP projects",
                  "Donald Trump has won Kentucky and its eight electoral votes, the Associated Press projects")
    assert posts[-1].title == "Trump wins Kentucky, AP projects"
    items = lines("Markets rally as inflation cools", "By Sarah Chen",
                  "Stocks rose sharply on Wednesday after new figures showed inflation slowing to 2.4%.",
                  "The S&P 500 gained 1.6%, its best day in three months.", "Oil prices slip on demand worries",
                  "March 5, 2025", "Brent crude fell 2% to $71 a barrel", "WATCH: Key numbers from the inflation report")
    assert items[-1].title == "Oil prices slip on demand worries"


def test_numbers_in_a_table_and_minute_markers_are_text() -> None:
    (brief,) = one("Sunday's Premier League results\n\nArsenal\n3\nChelsea\n1\n\nLiverpool\n2\nEverton\n2\n\n"
                   "Arsenal moved top of the table with a comfortable win over Chelsea at the Emirates.\n")
    assert brief.unplaced == ()
    (brief,) = lines("Arsenal 2-1 Chelsea: as it happened", "By Tom Reid", "90 mins",
                     "Four minutes of added time are announced. Chelsea are pushing forward.", "88 mins",
                     "Saka is replaced by Nwaneri to a standing ovation from the home crowd.")
    assert "90 mins" in brief.body and "88 mins" in brief.body


@pytest.mark.parametrize("byline, names", [("Ju-min Park\nin Seoul", ["Ju-min Park"]),
                                           ("Jessica Hall\nBusiness Reporter", ["Jessica Hall"]),
                                           ("Manchester City\nEtihad Stadium", [])])
def test_surnames_that_are_also_nouns_and_a_club_over_its_ground(byline: str, names: list[str]) -> None:
    brief = lines("Bank of England holds rates at 4.5%", byline, "Published 20 March 2025",
                  "The Bank of England has held interest rates at 4.5%, citing global uncertainty.",
                  "Eight of the nine members of the Monetary Policy Committee voted to hold.")[0]
    assert [c.name for c in brief.contributors] == names


def test_for_a_place_or_a_beat_is_no_outlet() -> None:
    assert parse_contributors("By Jane Doe, Correspondent for Europe")[1] == ""
    assert parse_contributors("By Jane Doe for ProPublica")[1] == "ProPublica"


def test_a_co_published_byline_and_the_outlets_appeal() -> None:
    (brief,) = briefs_of("propublica_investigation.txt")
    assert [c.name for c in brief.contributors] == ["Dana Whitfield", "Marcus Oyelaran"] and brief.outlet == "ProPublica"
    assert brief.summary.startswith("Ruth Gannaway learned she was being sued")
    assert is_furniture("Sign up for Dispatches to get stories like this one as soon as they are published.")
    assert not is_furniture("Residents can sign up for updates at city hall, the mayor said.")
    assert parse_contributors("by the end of the year") == ((), "")


# ---------------------------------------------------------------- found by mutating the seeds

def test_a_caption_broken_inside_its_credit_is_held_and_punctuation_is_no_credit() -> None:
    text = ("EU leaders fail to agree on top jobs\n\nItalian Prime Minister Giorgia Meloni arrives in Brussels. | Ni\n"
            "colas Tucat/AFP via Getty Images\n\n" + LEAD)
    (brief,) = ingest_checked(text, "x.txt", fallback_date=dt.date(2025, 1, 1)).briefs  # (checks nothing is lost)
    assert brief.photo.caption == "Italian Prime Minister Giorgia Meloni arrives in Brussels."
    assert split_credit("Credit: “") == ("Credit: “", [])
    assert fold_key("IMAGE SOURCE, GİETTY IMAGES") == fold_key("Image source, Gi̇etty Images")  # ("İ" casefolds to two characters)
