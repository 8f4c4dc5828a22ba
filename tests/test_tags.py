"""Tags: entity mentions, the alias taxonomy, and scoring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefs.errors import ConfigError
from briefs.tags import DEFAULT_TAXONOMY, MAX_TAGS, Mention, choose_tags, find_mentions, load_taxonomy, topic_keys
from briefs.text import normalise


def names(text: str, taxonomy=DEFAULT_TAXONOMY) -> list[str]:
    return [m.name for m in find_mentions(text, taxonomy)]


def test_aliases_and_demonyms_map_to_one_tag():
    assert names("The U.S. and American officials met Russians and Finnish guards in the US.") == [
        "United States", "United States", "Russia", "Finland", "United States"]


def test_job_titles_are_cut_out_of_names():
    assert names("He met US Secretary of State Antony Blinken and President Vladimir Putin.") == [
        "United States", "Antony Blinken", "Vladimir Putin"]
    assert names("It was Prime Minister Keir Starmer who spoke.") == ["Keir Starmer"]
    # the roles local and sports reporting put before a name
    assert names("Snow will ease, said Meteorologist Caleb Grunzke, and Councilmember Denise Hollis agreed.")[-2:] == [
        "Caleb Grunzke", "Denise Hollis"]
    assert names("Owner Sal Benedetti closed the diner.") == ["Sal Benedetti"]
    assert names("The case was brought by US Attorney Damian Williams.")[-1] == "Damian Williams"


def test_possessives_hyphens_and_all_caps():
    assert names("Blinken’s comments angered pro-Kremlin and Russian-backed groups.") == [
        "Antony Blinken", "Kremlin", "Russia"]
    assert names("KYIV, Ukraine — officials in KYIV said.")[:2] == ["Kyiv", "Ukraine"]


def test_sentence_initial_words_are_flagged_and_common_words_dropped():
    mentions = find_mentions("The border was closed. Officials said Helsinki agreed. “We will see,” he said.")
    assert [(m.name, m.initial) for m in mentions] == [("Officials", True), ("Helsinki", False)]


def test_weekdays_months_and_outlets_are_never_tags():
    mentions = find_mentions("Finland said on Wednesday in September that CNN and Reuters were told. Finland agreed.")
    assert choose_tags([mentions]) == ("Finland",)


def test_unknown_names_need_two_mentions_or_a_full_name():
    paras = [find_mentions("Officials met Maria Lopez in Quito."), find_mentions("Lopez said Quito was calm.")]
    tags = choose_tags(paras)
    assert tags[0] == "Maria Lopez" and "Quito" in tags and "Lopez" not in tags
    assert choose_tags([find_mentions("Officials met in Quito.")]) == ()


def test_tags_are_capped_ranked_and_deterministic():
    text = ("France, Germany, Italy, Spain, Poland, Sweden, Norway and Denmark met. "
            "Germany and France agreed. Germany spoke.")
    paras = [find_mentions(text)]
    tags = choose_tags(paras)
    assert len(tags) == MAX_TAGS and tags[:2] == ("Germany", "France")
    assert choose_tags(paras) == tags


def test_headline_weight_ranks_its_entities_first():
    paras = [find_mentions("Chile votes on new constitution"), find_mentions("Peru and Peru and Peru watched Chile.")]
    assert choose_tags(paras, weights=[3.0, 1.0])[0] == "Chile"


def test_outlet_name_is_not_a_tag():
    paras = [find_mentions("Officials told Gulf Times about Doha. Gulf Times reported from Doha.")]
    assert "Gulf Times" in choose_tags(paras)
    assert "Gulf Times" not in choose_tags(paras, outlet="Gulf Times")
    # outlets in the taxonomy's ignore list are never tags, whoever publishes the story
    assert "Al Jazeera" not in choose_tags([find_mentions("Officials told Al Jazeera about Doha. Al Jazeera said.")])


def test_topic_keys_meet_surnames():
    keys = topic_keys(find_mentions("Officials met Matti Pitkaniitty on Monday."))
    assert {"Matti Pitkaniitty", "Pitkaniitty"} <= keys


def test_user_taxonomy_extends_defaults():
    tax = load_taxonomy("tags:\n  Kharkiv: [Kharkov]\nignore: [Officials]\n", base=DEFAULT_TAXONOMY)
    assert names("Officials in Kharkov and Russians.", tax) == ["Kharkiv", "Russia"]
    assert names("Officials in Kharkov.", DEFAULT_TAXONOMY) == ["Officials", "Kharkov"]


def test_shipped_root_taxonomy_parses_and_defaults_are_packaged():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "taxonomy.yml"
    tax = load_taxonomy(root.read_text(encoding="utf-8"), base=DEFAULT_TAXONOMY)
    assert tax.canonical("Odessa") == "Odesa" and tax.canonical("U.S.") == "United States"
    assert DEFAULT_TAXONOMY.canonical("Russian") == "Russia" and DEFAULT_TAXONOMY.canonical("Finnish") == "Finland"


@pytest.mark.parametrize("text", ["tags: [", "- just a list", "tags: {A: 3}"])
def test_bad_taxonomy_is_a_config_error(text):
    with pytest.raises(ConfigError):
        load_taxonomy(text, path="taxonomy.yml")


def test_demonym_opening_a_name_is_part_of_it():
    # "Energy" is the minister's portfolio, part of the job title, not a name
    assert names("Energy Minister German Galushchenko spoke.") == ["German Galushchenko"]
    assert "United Kingdom" not in names("The British Retail Consortium said so.")
    assert names("German officials and Russian President Vladimir Putin met.") == ["Germany", "Russia", "Vladimir Putin"]
    assert names("Russian LNG imports fell.") == ["Russia"]  # an acronym after it is a thing, not a name


def test_sentence_initial_and_headline_case_words_are_not_evidence():
    assert "Oil" not in choose_tags([find_mentions("Oil prices climb as Middle East tensions offset demand worries"),
                                     find_mentions("LONDON (Reuters) - Oil prices rose on Thursday in China.")])
    headline = find_mentions("Oil Prices Climb As Traders Weigh Demand")
    assert headline and all(m.initial for m in headline if not m.known)
    assert [(m.name, m.initial) for m in find_mentions("Great Western Railway has cancelled trains.")] == [
        ("Great Western Railway", False)]


def test_abbreviated_titles_and_organisations_of_places():
    assert names("Two people were hurt, regional Gov. Oleh Kiper said.") == ["Oleh Kiper"]
    assert names("The Bank of Japan held rates, said the Office for National Statistics.") == [
        "Bank of Japan", "Office for National Statistics"]
    assert names("Gov. J.B. Pritzker signed it.") == ["J.B. Pritzker"]


def test_names_found_by_their_form_at_a_sentence_start():
    """Corporate designators and inner capitals mark a name wherever it stands; the designator
    is not part of the tag."""
    assert choose_tags([find_mentions("Nvidia Corp. said sales rose. Meta Platforms Inc. agreed. Nvidia fell.")]) == (
        "Nvidia", "Meta Platforms")  # a one-word name still needs two mentions
    assert "ScotRail" in choose_tags([find_mentions("ScotRail says services are suspended. ScotRail apologised.")])


def test_a_place_inside_a_longer_name_is_not_the_place():
    assert names("U.S. West Texas Intermediate crude rose.") == ["United States", "West Texas Intermediate"]
    assert names("Police Scotland urged people to stay home.") == ["Police Scotland"]
    assert names("The Maryland Office of the Public Defender objected.")[0] == "Maryland"
    assert "Jensen Huang" in names("Chief Executive Officer Jensen Huang spoke.")


def tags_of(*paragraphs: str, **kw) -> tuple[str, ...]:
    return choose_tags([find_mentions(p) for p in paragraphs], **kw)


def test_time_zones_sports_shorthand_and_outlets_are_never_tags():
    assert tags_of("Markets in Tokyo opened at 09:00 GMT, 10:00 BST and 05:00 EST on the news from Tokyo.") == ("Tokyo",)
    assert tags_of("The Mets placed RHP Kodai Senga on the injured list; the RHP will miss a month, the Mets said.") \
        == ("Mets", "Kodai Senga")
    assert tags_of("Speaking to Sky News and Al Jazeera, Pakistan said Pakistan would act, PTI reported.") == ("Pakistan",)


def test_labels_are_not_names():
    # "Senate Bill 4", "Series B", "$40 Million": a document's or a round's label, not a subject
    assert tags_of("Texas lawmakers passed Senate Bill 4 on Tuesday; Senate Bill 4 lets Texas police arrest migrants.") \
        == ("Texas",)
    assert tags_of("Acme Robotics Raises $40 Million Series B", "Acme Robotics said the Series B round closed.") \
        == ("Acme Robotics",)


def test_honorifics_and_portfolios_belong_to_the_title():
    assert names("Labour leader Sir Keir Starmer met Economy Minister Robert Habeck and Cr Jon Raven.") == [
        "Labour", "Keir Starmer", "Robert Habeck", "Jon Raven"]


def test_names_with_two_particles_and_surname_aliases_of_another_person():
    assert names("European Commission President Ursula von der Leyen spoke.") == ["European Commission",
                                                                                 "Ursula von der Leyen"]
    assert names("Hunter Biden was convicted; President Biden said he accepted it.") == ["Hunter Biden", "Joe Biden"]


def test_an_acronym_the_story_spells_out_is_its_full_name():
    from briefs.tags import defined_acronyms
    assert defined_acronyms("Marine Le Pen’s National Rally (RN) won, and the Bureau of Meteorology (BOM) said.") \
        == {"RN": "National Rally", "BOM": "Bureau of Meteorology"}
    paras = ["Marine Le Pen’s National Rally (RN) won the vote in France.", "The RN list was led by Jordan Bardella, "
             "who said the RN was ready."]
    tags = tags_of(*paras, acronyms=defined_acronyms(paras[0]))
    assert "National Rally" in tags and "RN" not in tags


def _runs(text: str) -> Iterator[tuple[tuple[str, ...], int]]:
    """Runs of capitalised tokens separated by single spaces (connectors allowed inside): the
    loop find_mentions inlines, kept here as its reference.

    A regex finds the capitalised stretches first, so the lower-case bulk of a paragraph is
    skipped at C speed; only those stretches are tokenised.
    """
    from briefs.tags import _FIDDLY, _SPAN, CALENDAR, _span_runs
    for span in _SPAN.finditer(text):
        word = span.group()
        if " " not in word:  # one word: the commonest case, decided without another regex
            if not ("-" in word or "'" in word or "’" in word or "." in word):
                if word.casefold() not in CALENDAR:
                    yield (word,), span.start()
                continue
        elif not _FIDDLY.search(word):  # plain capitalised words only
            yield tuple(word.split(" ")), span.start()
            continue
        yield from _span_runs(text, span.start(), span.end())


def _reference_mentions(text: str) -> tuple:
    """find_mentions as it was before its loop was inlined: `_runs`, then `_resolve` per run."""
    from briefs.tags import _LABEL_WORDS, _resolve, _sentence_initial, is_title_case
    title_case = is_title_case(text)
    found = []
    for run, start in _runs(text):
        if len(run) == 1 and run[0] in _LABEL_WORDS and text[start + len(run[0]) + 1:start + len(run[0]) + 2].isdigit():
            continue
        initial = title_case or _sentence_initial(text, start)
        found.extend(Mention(n, start, f, k) for n, f, k in _resolve(list(run), initial, title_case, DEFAULT_TAXONOMY))
    return tuple(found)


def test_inlined_find_mentions_matches_the_reference_on_every_fixture_paragraph():
    root = Path(__file__).parent.parent
    seeds = sorted((root / "tests" / "fixtures" / "seeds").rglob("*.txt")) + sorted((root / "seeds").glob("*.txt"))
    paragraphs = {p for s in seeds for p in normalise(s.read_text(encoding="utf-8")).split("\n") if p}
    paragraphs |= {"O'Brien met Jean-Luc Picard in St. John's.", "JOE BIDEN and the U.S. Senate", "A Category 3 storm",
                   "Ursula von der Leyen, Bank of Japan", "Monday: Kremlin says"}
    for p in sorted(paragraphs):
        assert find_mentions(p) == _reference_mentions(p), p


def test_folding_a_surname_into_a_name_that_was_folded_itself_does_not_crash():
    """"Okafor" → "Okafor for National Statistics", which is the tail of "Pavel Okafor for
    National Statistics" and is folded into it first (found by the 10 MB ingest benchmark)."""
    ms = [Mention("Okafor for National Statistics", 0, False, False),
          Mention("Pavel Okafor for National Statistics", 10, False, False),
          Mention("Okafor", 40, False, False), Mention("Statistics", 50, False, False)]
    assert choose_tags([ms]) == ("Pavel Okafor for National Statistics",)


def test_a_long_user_spelling_is_found_after_the_defaults_were_used():
    """`_resolve` tries spans only as long as the longest spelling a word starts; a user's
    taxonomy has its own spellings (and its own reach), even after the defaults were used."""
    assert "ORNC" not in names("Talks at the Old Royal Naval College Greenwich Campus ended.")
    tax = load_taxonomy("tags:\n  ORNC: [Old Royal Naval College Greenwich Campus]\n", base=DEFAULT_TAXONOMY)
    assert names("Talks at the Old Royal Naval College Greenwich Campus ended.", tax) == ["Talks", "ORNC"]
    assert names("Talks in KYIV ended.", tax) == ["Talks", "Kyiv"]  # all-caps spellings reach too


@pytest.mark.parametrize("text, name", [
    ("Taiwan’s President Tsai Ing-wen said on Wednesday that rescuers had reached the area.", "Tsai Ing-wen"),
    ("North Korean leader Kim Jong-un oversaw the launch, state media said.", "Kim Jong-un"),
    ("South Korean President Yoon Suk-yeol met the delegation in Seoul.", "Yoon Suk-yeol"),
])
def test_a_hyphenated_given_name_stays_whole(text: str, name: str) -> None:
    assert name in [m.name for m in find_mentions(text)]


@pytest.mark.parametrize("text, kept, gone", [
    ("Officials said Kremlin-backed forces had advanced overnight.", "Kremlin", "Kremlin-backed"),
    ("The Russian Kremlin-run channel aired the speech.", "Kremlin", "Kremlin-run"),
    ("Shares of CrowdStrike fell 11% in early trading.", "CrowdStrike", "Shares of CrowdStrike"),
])
def test_suffixes_and_sentence_opening_nouns_are_not_part_of_a_name(text: str, kept: str, gone: str) -> None:
    names = [m.name for m in find_mentions(text)]
    assert kept in names and gone not in names


# ---------------------------------------------------------------- speed-ups keep behaviour

def test_a_hyphenated_span_is_read_in_its_own_context_every_time():
    """Runs of a span are memoised by its text, except a span with a hyphen: whether "Ing-wen"
    is a given name depends on the word before it, which may lie outside the span."""
    texts = ["He met “Tsai Ing-wen” today.", "He met Tsai Ing-wen today.", "He met “Tsai Ing-wen” today.",
             "\u10a0bc Ing-wen met them.", "They met the Ing-wen group.", "O'Brien met St. John's Jean-Luc Picard."]
    for text in texts + texts[::-1]:
        assert find_mentions(text) == _reference_mentions(text), text
    assert names(texts[0]) == ["Tsai Ing"] and names(texts[1]) == ["Tsai Ing-wen"]


def _reference_is_title_case(text: str) -> bool:
    import re

    from briefs.tags import _UPPER
    if len(text) > 160:
        return False
    words = text.count(" ") + 1
    if words < 4:  # a short line in capitals reads as title case too
        return words > 1 and text.isupper()
    return len(re.findall(r"(?:^| )[^A-Z" + _UPPER[26:] + r"]", text)) * 4 <= words


@pytest.mark.parametrize("text", ["", " ", "  a", " A B C D", "a B C D", "A B C D", "A  b C D E", "The Big Red Dog",
                                  "the big red dog", "A B C d e", " a B C D E F", "Élan Vital Über Alles", "A B  C D"])
def test_title_case_counts_as_its_plain_reference(text):
    from briefs.tags import is_title_case
    assert is_title_case(text) == _reference_is_title_case(text)


def test_title_case_matches_its_plain_reference_on_every_fixture_paragraph():
    from briefs.tags import is_title_case
    root = Path(__file__).parent.parent
    seeds = sorted((root / "tests" / "fixtures" / "seeds").rglob("*.txt")) + sorted((root / "seeds").glob("*.txt"))
    for p in {p for s in seeds for p in normalise(s.read_text(encoding="utf-8")).split("\n") if p}:
        assert is_title_case(p) == _reference_is_title_case(p), p


def test_capitalised_words_are_found_as_by_their_plain_pattern():
    """`_CAP` puts the capital before the look back (a faster search): the same words, spans and tokens."""
    import random
    import re

    from briefs.tags import _CONNECTOR, _SPAN, _TOKEN, _UPPER
    cap = r"(?<![\w'’])(?:(?:[A-Z]\.){2,}|[" + _UPPER + r"][\w'’\-.]*\w|[" + _UPPER + r"])"  # the plain pattern
    span = re.compile(cap + r"(?: (?:" + _CONNECTOR + r" ){0,2}" + cap + r")*")
    token = re.compile(cap + r"|(?<=\w )" + _CONNECTOR + r"(?= (?:" + _CONNECTOR + r" )?[" + _UPPER + r"])")
    root = Path(__file__).parent.parent
    seeds = sorted((root / "tests" / "fixtures" / "seeds").rglob("*.txt")) + sorted((root / "seeds").glob("*.txt"))
    texts = [normalise(s.read_text(encoding="utf-8")) for s in seeds] + ["xAnna Bell", "’Anna", "A.B.C. Dee", "Ω Σ"]
    rnd = random.Random(7)
    pieces = list("AaZzÉéΣσЖ .'’-_1x\n") + ["U.S.", "A.B", "of ", "de ", "’s", "O'", "X."]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14))) for _ in range(20_000)]
    for text in texts:
        assert [m.span() for m in _SPAN.finditer(text)] == [m.span() for m in span.finditer(text)], text
        assert [m.span() for m in _TOKEN.finditer(text)] == [m.span() for m in token.finditer(text)], text


def test_find_mentions_told_the_title_case_finds_the_same():
    """Ingest works out `is_title_case` once and passes it on: the same mentions as when asked."""
    from briefs.tags import is_title_case
    root = Path(__file__).parent.parent
    seeds = sorted((root / "tests" / "fixtures" / "seeds").rglob("*.txt")) + sorted((root / "seeds").glob("*.txt"))
    paragraphs = {p for s in seeds for p in normalise(s.read_text(encoding="utf-8")).split("\n") if p}
    for p in sorted(paragraphs):
        assert find_mentions(p, DEFAULT_TAXONOMY, is_title_case(p)) == find_mentions(p), p


def test_a_headline_in_capitals_gives_no_name_of_its_own() -> None:
    """"FLOODS HIT LEEDS": no word's capital marks a name, so Leeds (named mid-sentence below) is
    the tag, not "Floods HIT Leeds"; and a surname folds only into a run shaped like a name."""
    tags = choose_tags([find_mentions("FLOODS HIT LEEDS"), find_mentions("Homes across Leeds flooded, and in Leeds the rain went on.")])
    assert tags == ("Leeds",)
    headline_run = [Mention("Hunter Biden Leaves Court In Wilmington", 0, True, False)]
    assert choose_tags([headline_run, [Mention("Wilmington", 30, False, False)] * 2]) == ("Wilmington",)
    tags = choose_tags([find_mentions("Matti Pitkaniitty, the mayor, said the town would rebuild."),
                        find_mentions("The town council backed Pitkaniitty on Monday.")])
    assert tags == ("Matti Pitkaniitty",)
