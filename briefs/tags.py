"""Tags: find people, places and organisations in text, map them through an alias taxonomy, score them.

Pure functions. Entities are runs of capitalised words ("Dmitry Peskov", "State Department"),
split at job titles ("US Secretary of State Antony Blinken" → "US", "Antony Blinken") and mapped
through the taxonomy ("Russians" → "Russia"). Ingest also uses the mentions to detect topic changes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Iterable, Mapping, MutableMapping, NamedTuple, Sequence

import yaml

from briefs.dates import MONTHS, WEEKDAYS
from briefs.errors import ConfigError

log = logging.getLogger(__name__)

MAX_TAGS = 6


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Alias → canonical tag, plus names that are never tags. Build with `load_taxonomy`."""

    aliases: Mapping[str, str] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()  # casefolded
    folded: Mapping[str, str] = field(default_factory=dict, compare=False)  # for ALL-CAPS text
    # What each run of capitalised words resolves to: the same names recur all through a seed.
    memo: dict[tuple[object, bool, bool], tuple[tuple[str, bool, bool], ...]] = field(
        default_factory=dict, compare=False, repr=False)
    # How many words the longest spelling starting with a word has (casefolded): `_resolve` tries
    # no longer spans, and none for a word that starts no spelling. Filled on first use.
    reach: dict[str, int] = field(default_factory=dict, init=False, compare=False, repr=False)

    def reach_of(self) -> dict[str, int]:
        if not self.reach:
            for spelling in [*self.aliases, *self.folded]:
                first = spelling.split(" ", 1)[0].casefold()
                self.reach[first] = max(self.reach.get(first, 0), spelling.count(" ") + 1)
            self.reach["\0"] = 0  # filled, even for an empty taxonomy
        return self.reach

    def canonical(self, name: str) -> str | None:
        """The canonical tag for a spelling, or None when the taxonomy does not know it."""
        hit = self.aliases.get(name)
        if hit is None and len(name) >= 4 and name.upper() == name:  # "KYIV" in a dateline
            hit = self.folded.get(name.casefold())
        return hit

    def ignored(self, name: str) -> bool:
        return name.casefold() in self.ignore


def load_taxonomy(text: str, base: Taxonomy | None = None, path: str = "taxonomy.yml") -> Taxonomy:
    """Parse a taxonomy YAML document and merge it on top of `base` (later entries win)."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise ConfigError(f"not valid YAML ({exc.__class__.__name__}); fix the syntax", path,
                          line + 1 if line is not None else None) from None
    except (RecursionError, ValueError, OverflowError):
        raise ConfigError("YAML nested too deeply or a value out of range; write plain lists of names", path) from None
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping with `tags:` and `ignore:` keys", path)
    tags = data.get("tags") or {}
    ignore = data.get("ignore") or []
    if not isinstance(tags, dict) or not isinstance(ignore, list):
        raise ConfigError("`tags` must map a tag to a list of aliases; `ignore` must be a list", path)
    aliases: dict[str, str] = dict(base.aliases) if base else {}
    for tag, spellings in tags.items():
        if not isinstance(spellings, list | type(None)) or not all(isinstance(s, str | int | float) for s in spellings or []):
            raise ConfigError(f"aliases of {str(tag)[:60]!r} must be a list of strings", path)
        tag = str(tag).strip()
        for spelling in [tag, *(spellings or [])]:
            aliases[str(spelling).strip()] = tag
    if not all(isinstance(word, str | int | float) for word in ignore):
        raise ConfigError("`ignore` must be a list of strings", path)
    ignored = set(base.ignore) if base else set()
    ignored.update(str(word).casefold() for word in ignore)
    folded = {k.casefold(): v for k, v in aliases.items()}
    return Taxonomy(aliases=aliases, ignore=frozenset(ignored), folded=folded)


def _load_default() -> Taxonomy:
    text = resources.files("briefs").joinpath("taxonomy.yml").read_text(encoding="utf-8")
    return load_taxonomy(text, path="briefs/taxonomy.yml")


DEFAULT_TAXONOMY = _load_default()


# ---------------------------------------------------------------------------------------------
# Mentions

class Mention(NamedTuple):
    """One entity occurrence: canonical name, offset, whether a sentence began with it, known.
    (A named tuple: a seed has hundreds of thousands of them, and tuples are cheap to make.)"""

    name: str
    start: int
    initial: bool
    known: bool


# Words that are capitalised only because a sentence starts with them.
COMMON = set("""the a an this that these those it its he she they we i you his her their our my
your and but or so yet if as at in on of for to by from with after before since while when where
what who why how which there here then now also still however meanwhile more most many some
several all any each both no not last next earlier later first second third one two three four
five six seven eight nine ten according asked pressed despite during until unlike like among
under over about against through into just only even such other another new some much few
yesterday today tomorrow tonight mr mrs ms dr read watch see please share click sign subscribe
follow""".split())
CALENDAR = {*WEEKDAYS, *MONTHS}  # "monday", "january", "jan", "sept", …: never names
CONNECTORS = {"of", "for", "de", "del", "da", "dos", "du", "van", "von", "der", "den", "bin", "al", "la", "le"}
TITLES = set("""president vice deputy prime minister secretary chancellor premier spokesperson
spokesman spokeswoman ambassador senator sen. rep. gov. governor mayor general gen. pope king
queen prince princess mr mr. mrs mrs. ms ms. dr dr. judge justice commissioner director chairman
chairwoman chair leader envoy commander colonel col. lieutenant lt. sgt. sergeant captain capt.
admiral adm. professor prof. foreign defense defence interior finance health chief acting former
head lawmaker executive officer financial operating superintendent inspector detective
constable sheriff sir dame lord baroness cr cr. cllr councillor alderman councilmember councilwoman
councilman assemblyman assemblywoman assemblymember congressman congresswoman chairperson
ceo cfo coo cto""".split())  # (an officer's initials are never part of a name: "Acme CEO Dana Whitcomb")
# Roles that are also ordinary words or names ("Economist Intelligence Unit", "Greg Pitcher", "Coach
# Carter"): a title only when they open the run (after a jurisdiction at most) before a full name.
LEADING_TITLES = set("""delegate meteorologist forecaster owner founder co-founder manager coach
striker midfielder defender goalkeeper quarterback pitcher analyst economist attorney prosecutor researcher
scientist""".split())
_JURISDICTIONS = {"us", "u.s.", "uk", "city", "county", "state", "federal", "district"}
_BODY_NOUNS = {"Unit", "Party", "Union", "Council", "Group", "Company", "Corporation", "Association", "Federation",
               "Foundation", "Institute", "Agency", "Ministry", "Department", "Movement", "Magazine", "Magazin", "Center",
               "Centre", "Bank", "Fund", "Office", "Board", "Committee", "Commission", "Service", "University", "College",
               "School", "Club", "League", "Times", "News", "Post", "Review", "Index", "Report"}
# A portfolio before a job title is part of the title: "Economy Minister Robert Habeck".
PORTFOLIO = set("""economy economic energy trade transport education environment agriculture justice
labour labor culture communications housing immigration treasury industry climate digital
development infrastructure science sports tourism home""".split())
# Unknown names that are labels, not subjects: "Senate Bill" (4), "Series B", "Section 230".
_DOC_NOUNS = {"Bill", "Bills", "Amendment", "Section", "Article", "Clause", "Chapter", "Resolution",
              "Proposition", "Measure", "Exhibit"}
_AMOUNTS = {"Million", "Billion", "Trillion", "Thousand", "Hundred"}  # "$40 Million Series B" in a Title Case headline
_ORG_NOUNS = (" Party", " Union", " Council", " Group", " Company", " Corporation", " Association",
              " Federation", " Foundation", " Institute", " Agency", " Ministry", " Department", " Movement")
_REGION_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                 "northeast", "northwest", "southeast", "southwest", "greater", "upper", "lower", "mainland",
                 "occupied", "rural", "coastal", "inner", "outer", "metropolitan", "downtown"}
_LABEL_WORDS = {"Series", "Round", "Phase", "Stage", "Level", "Category", "Grade", "Class", "Type", "Tier",
                "Version", "Chapter", "Section", "Article", "Item", "Exhibit", "Figure", "Table", "Page"}
_LABEL_NAME = re.compile(r"^(?:" + "|".join(sorted(_LABEL_WORDS)) + r")\s+[A-Z0-9]{1,3}$")
_LABEL_STARTS = tuple(_LABEL_WORDS)  # (what a `_LABEL_NAME` starts with, for a cheap test first)
# "Nvidia Corp.", "Meta Platforms Inc.": the designator is not part of the tag, and marks a name
CORPORATE = {"Corp", "Inc", "Co", "Ltd", "Plc", "PLC", "LLC", "Llc", "AG", "SA", "NV", "SE"}
_CAMEL = re.compile(r"[a-z][A-Z]")  # "ScotRail", "YouTube": a name wherever it stands

_UPPER = "".join(chr(c) for c in range(0x250) if chr(c).isupper()) + "\u0386-\u03ab\u0400-\u042f"
# A capitalised word ("U.S.", "Kyiv", "A") not inside another word. The capital comes first and the
# look back after it, so that the regex engine skips from capital to capital: its fastest search.
_CAP = r"[" + _UPPER + r"](?<![\w'’].)(?:(?<=[A-Z])\.(?:[A-Z]\.)+|[\w'’\-.]*\w|)"
_CONNECTOR = "(?:" + "|".join(sorted(CONNECTORS)) + ")"
_TOKEN = re.compile(  # capitalised words and the connectors that may sit inside a name
    _CAP + r"|(?<=\w )" + _CONNECTOR + r"(?= (?:" + _CONNECTOR + r" )?[" + _UPPER + r"])")
_SPAN = re.compile(  # a stretch of capitalised words: the only text worth tokenising
    _CAP + r"(?: (?:" + _CONNECTOR + r" ){0,2}" + _CAP + r")*")  # "Ursula von der Leyen"
_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}")
_NOT_CAPITAL = r"[^A-Z" + _UPPER[26:] + r"]"
_LOWER_FIRST = re.compile(_NOT_CAPITAL)  # a first word not capitalised,
_LOWER_START = re.compile(" " + _NOT_CAPITAL)  # and a later one (led by its space: the search skips to spaces)
_FIDDLY = re.compile(  # hyphens, possessives, dots, connectors and dates need the careful tokeniser
    r"[-'’.]| [a-z]|\b(?i:" + "|".join(sorted(CALENDAR)) + r")\b")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def _sentence_initial(text: str, start: int) -> bool:
    """Does a sentence (or a quotation) begin at `start`?"""
    if start >= 2 and text[start - 1] == " " and text[start - 2].isalnum():
        return False  # right after a word: the common case
    i = start - 1
    while i >= 0 and text[i] in " \"“‘'([":
        if text[i] != " " and (i == 0 or text[i - 1] == " "):
            return True  # an opening quote or bracket
        i -= 1
    if i < 0:
        return True
    if text[i] in "—–-•·▪●*" and (i == 0 or text[i - 1] == " "):  # a bullet, or after a dash
        return True  # after a dash: "LONDON (Reuters) - Oil prices rose"
    while i >= 0 and text[i] in "\"”’')]":
        i -= 1
    return i >= 0 and text[i] in ".!?:;"


def _tokens(text: str, pos: int = 0, endpos: int | None = None) -> Iterable[tuple[str, int, int]]:
    """Capitalised tokens (and inner connectors) with spans; hyphenated words keep only their
    capitalised parts ("Russian-backed" → "Russian")."""
    for m in _TOKEN.finditer(text, pos, len(text) if endpos is None else endpos):
        word, start = m.group(), m.start()
        if "." in word and not _ACRONYM.fullmatch(word):
            word = word.rstrip(".")
        if "'" in word or "’" in word:
            word = _POSSESSIVE.sub("", word)
        if "-" in word and not all(p[:1].isupper() for p in word.split("-") if p) \
                and not _given_name(text, word, start):
            offset = 0
            for part in word.split("-"):
                if part[:1].isupper():
                    yield part, start + offset, start + offset + len(part)
                offset += len(part) + 1
            continue
        if word:
            yield word, start, start + len(word)


_WORD_SUFFIX = re.compile(r"(?:ed|ing|run|era|born|made|style|wide|only|type|like|bound|free|based|held|"
                          r"owned|speaking|friendly|up|out|in-chief|elect)$")


def _given_name(text: str, word: str, start: int) -> bool:
    """A romanised given name after a family name ("Tsai Ing-wen", "Kim Jong-un", "Yoon
    Suk-yeol"), not a capitalised word with an English suffix ("Kremlin-backed", "Soviet-era")."""
    head, _, tail = word.partition("-")
    if not (head[1:].islower() and tail.isalpha() and tail.islower()) or "-" in tail or _WORD_SUFFIX.search(tail):
        return False
    before = text[max(0, start - 30):start]
    if not before.endswith(" "):
        return False
    prev = before.rstrip().rsplit(" ", 1)[-1]
    return prev[:1].isupper() and prev[1:].isalpha() and prev[1:].islower() and len(prev) <= 6


def _span_runs(text: str, pos: int, endpos: int) -> Iterable[tuple[tuple[str, ...], int]]:
    run: list[str] = []
    run_start = last_end = 0
    pending: list[str] = []
    for word, start, end in _tokens(text, pos, endpos):
        adjacent = bool(run) and start == last_end + 1 and text[last_end] == " "
        if word[0].isupper():
            if word.casefold() in CALENDAR:
                if run:
                    yield tuple(run), run_start
                run, pending = [], []
            elif run and adjacent:
                run.extend(pending)
                run.append(word)
            else:
                if run:
                    yield tuple(run), run_start
                run, run_start = [word], start
            pending = []
        elif run and adjacent and len(pending) < 2:
            pending.append(word)
        else:
            if run:
                yield tuple(run), run_start
            run, pending = [], []
        last_end = end
    if run:
        yield tuple(run), run_start


_RUNS: dict[str, tuple[tuple[tuple[str, ...], int], ...]] = {}  # a span's runs, at offsets into it


def _runs_of(text: str, span: str, start: int, end: int) -> tuple[tuple[tuple[str, ...], int], ...]:
    """`_span_runs` of the span text[start:end] (== `span`), at offsets into it; memoised by the
    span, as names recur. A span with a hyphen is worked out afresh each time: whether "Ing-wen"
    is a given name depends on the word before it, which may lie outside the span."""
    runs = _RUNS.get(span)
    if runs is None:
        runs = tuple((run, at - start) for run, at in _span_runs(text, start, end))
        if "-" not in span and len(_RUNS) < 100_000:
            _RUNS[span] = runs
    return runs


def _split_titles(tokens: list[str]) -> list[list[str]]:
    """Cut job titles out of a run: "Secretary of State Antony Blinken" → [["Antony", "Blinken"]]."""
    parts: list[list[str]] = [[]]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.casefold() in PORTFOLIO and i + 1 < len(tokens) and tokens[i + 1].casefold() in TITLES:
            parts.append([])
        elif tok.casefold() in LEADING_TITLES and len(tokens) - i >= 3 and all(
                t.casefold() in _JURISDICTIONS for t in tokens[:i]) and tokens[-1] not in _BODY_NOUNS:
            # "Meteorologist Caleb Grunzke", "US Attorney Damian Williams"; not "Economist Intelligence Unit"
            parts.append([])
        elif tok.casefold() in TITLES or tok.casefold() + "." in TITLES:  # "Gov." loses its dot
            parts.append([])
            if i + 2 < len(tokens) and tokens[i + 1] in ("of", "for"):  # Secretary of State, Minister for X
                i += 2
        elif tok in CONNECTORS and (not parts[-1] or i + 1 >= len(tokens)):
            pass
        else:
            parts[-1].append(tok)
        i += 1
    return [p for p in parts if p]


def find_mentions(text: str, taxonomy: Taxonomy = DEFAULT_TAXONOMY, title_case: bool | None = None) -> tuple[Mention, ...]:
    """Every entity mention in a paragraph, in order, mapped to canonical names where known.
    (`title_case` is `is_title_case(text)`, passed by a caller that needed it too.)

    An unknown name counts as evidence (`initial=False`) when it sits mid-sentence or has two
    or more words; a lone capitalised word opening a sentence, or any word of a Title Case
    Headline, does not (it is capitalised for another reason).

    This is the hottest loop of ingest: the runs of capitalised words are found inline for
    their two common cases (one plain word, several plain words), other spans' runs are memoised
    (`_runs_of`), and mentions are made as plain tuples of the Mention type. (tests/test_tags.py keeps the plain loop, `_runs`, as the
    reference: the same runs, in the same order.)
    """
    found: list[Mention] = []
    append = found.append
    if title_case is None:
        title_case = is_title_case(text)
    memo = taxonomy.memo
    if len(memo) > 200_000:
        memo.clear()
    get = memo.get
    for span in _SPAN.finditer(text):
        word = span.group()
        start = span.start()
        if " " not in word and word in _LABEL_WORDS and text[start + len(word) + 1:start + len(word) + 2].isdigit():
            continue  # "a Category 3 hurricane": a label and its number, not a name
        if title_case:
            initial = True
        elif start >= 2 and text[start - 1] == " " and text[start - 2].isalnum():
            initial = False  # right after a word: the common case of `_sentence_initial`
        else:
            initial = _sentence_initial(text, start)
        # Plain capitalised words are memoised under the text itself (a string keeps its hash; a
        # tuple does not), so a name seen before costs one look-up: only plain words are stored so.
        key: tuple[object, bool, bool] = (word, initial, title_case)
        names = get(key)
        if names is None and (" " in word and not _FIDDLY.search(word) or " " not in word and not (
                "-" in word or "'" in word or "’" in word or "." in word)):
            if " " not in word and word.casefold() in CALENDAR:
                continue
            names = memo[key] = _resolve(word.split(" "), initial, title_case, taxonomy)
        if names is not None:
            for name, first, known in names:
                append(_new_tuple(Mention, (name, start, first, known)))
            continue
        for run, offset in _runs_of(text, word, start, span.end()):
            at = start + offset
            if len(run) == 1 and run[0] in _LABEL_WORDS and text[at + len(run[0]) + 1:at + len(run[0]) + 2].isdigit():
                continue
            if title_case:
                initial = True
            elif at >= 2 and text[at - 1] == " " and text[at - 2].isalnum():
                initial = False
            else:
                initial = _sentence_initial(text, at)
            key = (run, initial, title_case)
            names = get(key)
            if names is None:
                names = memo[key] = _resolve(list(run), initial, title_case, taxonomy)
            for name, first, known in names:
                append(_new_tuple(Mention, (name, at, first, known)))
    return tuple(found)


_new_tuple = tuple.__new__  # a Mention without the Python-level __new__ of a named tuple


def _resolve(run: list[str], initial: bool, title_case: bool,
             taxonomy: Taxonomy) -> tuple[tuple[str, bool, bool], ...]:
    """(name, initial, known) for each entity in one run of capitalised words."""
    if initial and run[0].casefold() in COMMON or _quantity_of(run, initial, title_case):
        # "The …", and "Shares of CrowdStrike", "Residents of Paradise": a plural noun capitalised
        # only because it opens the sentence, then "of" and the name it is about
        run, initial = run[1:], title_case
        while run and run[0] in CONNECTORS:
            run = run[1:]
    chunks: list[tuple[list[str], str | None]] = [([], None)]
    reach = taxonomy.reach_of()
    i = 0
    while i < len(run):
        for size in range(min(len(run) - i, 6, reach.get(run[i].casefold(), 0)), 0, -1):
            name = taxonomy.canonical(" ".join(run[i:i + size]))
            if name is not None and size == 1 and _other_bearer(run, i, name, taxonomy):
                name = None  # "Hunter Biden" is not Joe Biden, though "Biden" alone would be
            if name is not None and not (size == 1 and _demonym_in_name(run, i, name, taxonomy)):
                chunks += [(run[i:i + size], name), ([], None)]
                i += size
                break
        else:
            chunks[-1][0].append(run[i])
            i += 1
    for n in range(len(chunks) - 1):  # "Bank of" + "Japan" is one name, the Bank of Japan
        tokens, name = chunks[n]
        nxt_tokens, nxt_name = chunks[n + 1]
        if name is None and len(tokens) > 1 and tokens[-1] in CONNECTORS and nxt_name is not None \
                and not any(t.casefold() in TITLES for t in tokens):
            chunks[n], chunks[n + 1] = (tokens + nxt_tokens, None), ([], None)
        elif name is None and len(tokens) == 1 and len(nxt_tokens) == 1 and nxt_name is not None \
                and tokens[0].casefold() not in TITLES and tokens[0].casefold() not in COMMON \
                and (taxonomy.ignored(tokens[0]) or n + 2 == len(chunks) - 1 and not chunks[-1][0]
                     and tokens[0][1:].islower() and tokens[0].casefold() not in _REGION_WORDS
                     and not tokens[0].endswith(_DEMONYM_ENDINGS)):
            # "Police Scotland", "Reform UK": an institution named after its place (a run ending in it)
            chunks[n], chunks[n + 1] = (tokens + nxt_tokens, None), ([], None)
        elif name is None and tokens and nxt_name is not None and len(nxt_tokens) == 1 and not title_case \
                and n + 2 < len(chunks) and _plain(tokens) and _plain(chunks[n + 2][0]) \
                and chunks[n + 2][1] is None:  # "West Texas Intermediate": a place inside a longer name
            chunks[n], chunks[n + 1], chunks[n + 2] = (tokens + nxt_tokens + chunks[n + 2][0], None), ([], None), ([], None)
    has_known = any(name for _, name in chunks)
    found: list[tuple[str, bool, bool]] = []
    for n, (tokens, name) in enumerate(chunks):  # in a Title Case Headline every word is capitalised anyway
        first = title_case or initial and n == 0 or (initial and n == 1 and not chunks[0][0])
        if name is not None:
            found.append((name, first, True))
        elif tokens and (not has_known or len(tokens) > 1):  # "US Embassy": drop "Embassy"
            found.extend((m.name, m.initial, False) for m in _unknown(tokens, 0, first, taxonomy, title_case))
    return tuple(f for f in found if not taxonomy.ignored(f[0]))


def _quantity_of(run: Sequence[str], initial: bool, title_case: bool) -> bool:
    """A sentence-opening plural common noun before "of" and a name ("Shares of X", "Thousands
    of Y"), not a name built on "of" ("Bank of England" is singular)."""
    if not initial or title_case or len(run) < 3 or run[1] != "of":
        return False
    word = run[0]
    return word[1:].islower() and word.endswith("s") and not word.endswith(("ss", "us", "is", "ws"))


def _other_bearer(run: Sequence[str], i: int, name: str, taxonomy: Taxonomy) -> bool:
    """Is run[i] a surname alias ("Biden" → "Joe Biden") that here follows another given name?"""
    if i == 0 or " " not in name or not name.endswith(" " + run[i]):
        return False
    prev = run[i - 1]
    return (prev[:1].isupper() and prev.casefold() not in TITLES and prev not in CONNECTORS
            and prev.casefold() not in COMMON and taxonomy.canonical(prev) is None)


def _plain(tokens: Sequence[str]) -> bool:
    """Capitalised words with no job title or connector: can flank a place inside one name."""
    return bool(tokens) and all(t[:1].isupper() and t.casefold() not in TITLES for t in tokens)


_DEMONYM_ENDINGS = ("an", "ish", "ese", "i", "ch", "ic", "ss", "ek")


def _demonym_in_name(run: Sequence[str], i: int, name: str, taxonomy: Taxonomy) -> bool:
    """Is run[i] a demonym that begins a longer name ("German Galushchenko", "British Retail
    Consortium", "American Airlines") rather than a place ("German officials")?"""
    word = run[i]
    if word == name or not word[1:].islower() or not word.endswith(_DEMONYM_ENDINGS) or i + 1 >= len(run):
        return False
    nxt = run[i + 1]
    return (nxt[:1].isupper() and not nxt.isupper() and nxt.casefold() not in TITLES and nxt not in CONNECTORS
            and nxt.casefold() not in CALENDAR and not taxonomy.ignored(nxt) and taxonomy.canonical(nxt) is None)


def is_title_case(text: str) -> bool:
    """A Title Case Headline: most of its words (four or more) are capitalised; or a line in capitals
    ("FLOODS HIT LEEDS"), where no word's capital marks a name either."""
    if len(text) > 160:
        return False
    words = text.count(" ") + 1
    if words < 4:
        return words > 1 and text.isupper()
    # words not capitalised: the first, then those after a space from 1 on (a leading space is the first's)
    lower = (_LOWER_FIRST.match(text) is not None) + len(_LOWER_START.findall(text, 1))
    return lower * 4 <= words


def _unknown(tokens: list[str], start: int, initial: bool, taxonomy: Taxonomy,
             title_case: bool = False) -> list[Mention]:
    out = []
    for part in _split_titles(tokens):
        while part and part[0].isupper() and taxonomy.ignored(part[0]):  # "RHP Kodai Senga": a label, not the name
            part = part[1:]
        while part and part[-1].isupper() and taxonomy.ignored(part[-1]):  # "Tokyo GMT"
            part = part[:-1]
        if not part:
            continue
        if sum(w.isupper() for w in part) >= 2:  # "BETH HARRIS": a shouted name; "FIFA" alone is an acronym
            part = [w.capitalize() if len(w) >= 4 and w.isupper() and w.isalpha() else w for w in part]
        words = part
        named = len(words) > 1 and words[-1] in CORPORATE
        if named:
            words = words[:-1]
        name = " ".join(words)
        if len(name) > 1 and not taxonomy.ignored(name):
            # A sentence may open with a capitalised word; a run of two rarely opens by chance.
            first = initial and (title_case or len(words) == 1) and not named and not _CAMEL.search(name) \
                and not (len(name) > 1 and name.isupper() and name.isalpha())  # an acronym is a name anywhere
            out.append(Mention(name, start, first, False))
    return out


_ACRONYM_DEF = re.compile(r"\(([A-Z][A-Za-z]{1,6})\)")
_NAME_WORD = re.compile(r"[A-Z][\w'’\-]*|of|for|and|the|de|du|des|la|le")


def defined_acronyms(text: str) -> dict[str, str]:
    """Short forms a text spells out: "India Meteorological Department (IMD)" → {"IMD": …},
    "Bureau of Meteorology (BOM)", "National Rally (RN)" (a translated name keeps its letters)."""
    found: dict[str, str] = {}
    if "(" not in text:
        return found
    for m in _ACRONYM_DEF.finditer(text):
        short = m.group(1)
        if not short.isupper() or short in found:
            continue
        before = text[max(0, m.start() - 120):m.start()].rstrip().split(" ")
        name: list[str] = []
        for word in reversed(before):
            word = _POSSESSIVE.sub("", word)
            if not _NAME_WORD.fullmatch(word):
                break
            name.insert(0, word)
        while name and not name[0][:1].isupper():
            name.pop(0)
        caps = [w for w in name if w[:1].isupper()]
        letters = {c for c in short}
        for k in range(len(caps), 1, -1):  # the shortest tail of capitalised words that spells it
            tail = caps[-k:]
            if len(tail) == len(short) and {w[0] for w in tail} == letters:
                start = len(name) - name[::-1].index(tail[0]) - 1
                found[short] = " ".join(name[start:])
                break
        else:
            initials = "".join(w[0].upper() for w in name)
            if initials.endswith(short):
                found[short] = " ".join(name[len(name) - len(short):])
    return found


def topic_keys(mentions: Iterable[Mention]) -> frozenset[str]:
    """Keys for topic comparison: names plus surnames, so "Peskov" meets "Dmitry Peskov"."""
    keys: set[str] = set()
    for name, _, initial, known in mentions:
        if known:
            keys.add(name)
        elif " " in name:
            keys.add(name)
            keys.add(name.rsplit(" ", 1)[1])
        elif not initial:
            keys.add(name)
            if name.endswith("s") and not name.endswith("ss"):
                keys.add(name[:-1])  # "the Conservatives" meets "Conservative leader"
    return frozenset(keys)


# ---------------------------------------------------------------------------------------------
# Scoring

def choose_tags(
    paragraphs: Sequence[Sequence[Mention]],
    weights: Sequence[float] | None = None,
    outlet: str = "",
    limit: int = MAX_TAGS,
    acronyms: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """Pick up to `limit` tags for one story, best first; deterministic.

    `weights` ranks positions (a headline counts more than the tenth paragraph). Unknown names
    need two mentions or a multi-word form; words seen only at sentence starts are dropped.
    `acronyms` maps a short form the story spelled out ("National Rally (RN)") to its full name.
    """
    weights = weights or [1.0] * len(paragraphs)
    score: dict[str, float] = {}  # plain dicts: a Counter costs a Python call per new name
    spread: dict[str, int] = {}  # paragraphs naming it: breaks ties between equal scores
    known: set[str] = set()
    mid_sentence: set[str] = set()
    get, spread_of = score.get, spread.get
    for mentions, weight in zip(paragraphs, weights):
        here: set[str] = set()
        for name, _, initial, is_known in mentions:
            if acronyms and not is_known and name in acronyms:
                name, initial = acronyms[name], False
            score[name] = get(name, 0) + weight
            here.add(name)
            if is_known:
                known.add(name)
            if not initial:
                mid_sentence.add(name)
        for name in here:
            spread[name] = spread_of(name, 0) + 1
    first = {name: n for n, name in enumerate(score)}  # order of first mention (a dict keeps it): the next tie-break
    _merge_surnames(score, first, known, mid_sentence, spread)
    junk = {outlet.casefold(), outlet.casefold().removeprefix("the ")} if outlet else ()
    ranked = []
    for name, value in score.items():
        if name not in known:  # the cheap tests first; any one drops the name
            if name not in mid_sentence or value < 2 and " " not in name:
                continue
            if name.startswith(_LABEL_STARTS) and _LABEL_NAME.match(name) or " " in name and (
                    name.rsplit(" ", 1)[-1] in _DOC_NOUNS or name.split(" ", 1)[0] in _AMOUNTS):
                continue
        folded = name.casefold()
        if folded in junk or folded in CALENDAR:
            continue
        ranked.append((-value, -spread[name], first[name], name))
    ranked.sort()
    return tuple(r[-1] for r in ranked[:limit])


def _name_shaped(name: str) -> bool:
    """Could these capitalised words be a name, not a headline's run ("Floods HIT Leeds", "View From
    Nairobi")? A name seen only where every word is capitalised gets a surname only if so."""
    return not any(len(w) > 1 and w.isupper() or w not in CONNECTORS and w.casefold() in COMMON for w in name.split())


def _merge_surnames(score: MutableMapping[str, float], first: dict[str, int], known: set[str],
                    mid: set[str], spread: MutableMapping[str, int]) -> None:
    """Fold a bare surname into the story's full name ("Pitkaniitty" into "Matti Pitkaniitty"),
    and a bare first word into the one organisation it opens ("Bank" into "Bank of England",
    "Labour" into "Labour Party"): into a name seen mid-sentence, or one shaped like a name."""
    longer = sorted([name for name in score if " " in name])  # (a one-word name has nothing to fold into it)
    if not longer:
        return
    by_last: dict[str, str] = {}
    by_head: dict[str, list[str]] = {}
    for name in longer:
        if name not in known:
            by_last.setdefault(name.rsplit(" ", 1)[1], name)
            if name.count(" ") >= 2:  # "Le Pen" in "Marine Le Pen"
                by_last.setdefault(name.split(" ", 1)[1], name)
        if " of " in name or " for " in name or name.count(" ") == 1 and name.endswith(_ORG_NOUNS):
            by_head.setdefault(name.split(" ", 1)[0], []).append(name)  # "Labour" into "Labour Party"
    for head, names in by_head.items():
        if len(names) == 1 and head not in by_last:
            by_last[head] = names[0]
    for short, full in by_last.items():
        # `full` may itself have been folded away already ("Okafor for National Statistics" is the
        # tail of "Pavel Okafor for National Statistics"): then `short` stays as it is
        if short in score and short not in known and full in score and (full in mid or full in known or _name_shaped(full)):
            score[full] += score.pop(short)
            spread[full] += spread.pop(short, 0)
            first[full] = min(first[full], first.pop(short))
            if short in mid:
                mid.add(full)
