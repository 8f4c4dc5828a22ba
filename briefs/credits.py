"""Credits: who made the story and the photo.

Photo credits peeled off captions (`(AP Photo/Efrem Lukatsky)`, `Photograph: X/PA`), bylines
(`By Jane Doe and John Roe, CNN`), contributor lines (`CNN's A in Kyiv contributed reporting.`,
`Reporting by X; Editing by Y`) and datelines (`KYIV, Ukraine (AP) —`). Pure functions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from briefs.dates import MONTH_NAME
from briefs.model import Contributor
from briefs.tags import DEFAULT_TAXONOMY


# ---------------------------------------------------------------------------------------------
# Photo credits

_AGENCY_NAMES = ("AP", "AFP", "Reuters", "Getty Images", "Getty", "EPA-EFE", "EPA", "Shutterstock", "Bloomberg", "Xinhua",
                 "Anadolu", "Sipa", "Alamy", "PA", "PA Images", "PA Wire", "NurPhoto", "SOPA Images", "LightRocket",
                 "Pool", "Handout", "TASS", "Sputnik", "Kremlin", "AP Photo", "The Associated Press", "Associated Press",
                 "REUTERS", "Kyodo", "KYODO", "Jiji", "Yonhap", "ANI", "PTI", "The Canadian Press", "Canadian Press", "Flash90")
_AGENCIES = "|".join(_AGENCY_NAMES)  # (plain words: no name needs escaping)
_CREDIT_PAREN = re.compile(
    r"\s*\(((?:AP Photo|Photo(?:graph)?(?: by)?|Image|Credit|Courtesy(?: of)?|Pictured|Picture)\b[^()]{0,100}"
    r"|[^()]{0,80}/\s?[^()]{1,60}|(?:" + _AGENCIES + r")(?: via Getty Images)?"
    r"|[A-Z][\w&'’.]*(?: [A-Z][\w&'’.]*){0,3}: [A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3}"  # (ABC News: Jane Roe)
    r"|(?:Representative|Illustrative|File|Archive|Stock) (?:image|photo|picture))\)\s*$")
# After a finished sentence, a parenthesised name of two to five words, or one that says where the
# picture came from: "(Maxar Technologies)", "(Planet Labs PBC)", "(From Telegram)".
_CREDIT_NAME_PAREN = re.compile(
    r"(?<=[.!?\"”’])\s+\(((?:From|Obtained by|Courtesy) [\w&'’.\- ]{2,40}"
    r"|[A-Z][\w&'’.\-]*(?: (?:[A-Z][\w&'’.\-]*|of|for|and)){1,4})\)\s*$")
_CREDIT_PIPE = re.compile(  # Politico: "Caption. | Name/AFP via Getty Images"
    r"\s+\|\s+((?:Photo(?:graph)? by |Image: )?[A-Z][^|]{0,60}(?:/\s?[^|]{1,60}|\b(?:" + _AGENCIES + r"))"
    r"|(?<=[.!?\"”’)] \| )[A-Z][A-Z&.\-]+(?: [A-Z][A-Z&.\-]+){0,3}|(?i:" + _AGENCIES + r"))$")  # (the Japan Times: "… on Wednesday. | KYODO")
_CREDIT_LABEL = re.compile(  # "…on Monday. Photograph: Jane Roe/PA", The Hindu's "… on Monday. | Photo Credit: B. Jothi"
    r"(?:^(?:[A-Z]{2,5} )?|(?<=[.!?\"”’)])\s+|\s+[|•]\s+|(?-i:(?<=[a-z.!?\"”’)])(?=(?:Photograph|Photo|Picture|Image|Credit):)))"
    r"(?:Photograph(?:er)?|Photo(?: credit)?|Photos|Picture|Image|Credit|Illustration)s?\s*"
    r"(?::|\.\.\.|…)\s*([^:]{2,120})$", re.IGNORECASE)
# After a caption's text, never opening a line (a footer's "Copyright The Financial Times Limited"):
# "… market © Bloomberg", "… 2024. - Copyright AP Photo/Manu Fernandez", "… April 10. Photo by Megan Ruiz for The Ledger."
_CREDIT_MARKED = re.compile(r"(?:\s+©\s*|(?:(?<=[.!?\"”’)])\s+|\s+[-–—|•]\s+)Copyright\s+)([^©:]{2,80}?)\.?$"
                            r"|(?<=[.!?\"”’)])\s+((?:Photo(?:graph)? by|Photo courtesy(?: of)?) [A-Z][^.:]{2,80})\.?$")
_CREDIT_LINE = re.compile(r"^((?:Photo(?:graph)?|(?:Photo )?[Ii]llustration|Graphic|Artwork) by [A-Z].{2,150})$")  # a credit's own line
_CREDIT_BRACKET = re.compile(r"\s*\[((?:File(?: photo)?:\s*)?[^\[\]]{0,80}/\s?[^\[\]]{1,60}|(?:File:\s*)?(?:" + _AGENCIES + r"))\]\s*$"
                             r"|(?<=[.!?\"”’)]) \[ ([A-Z][^\[\] ]*(?: [^\[\] ]+)+) \]$")  # ("… in 1987. [ Times (1987) ]"; not "[ Applause ]")
_CREDIT_TAIL = re.compile(
    r"(?:^|(?<=[.!?\"”’)])\s+(?:[—–]\s+)?|(?<=[a-z]\.)(?=[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3}\s?/))"  # ("Thursday.Jane Roe/The Canadian Press")
    r"((?:[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3}\s?/\s?)*"
    r"(?:" + _AGENCIES + r")(?:\s?/\s?[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3})*(?: via Getty Images)?)$")
# Led by the agencies' initials: a lookahead on one letter fails fast where a name cannot start.
AGENCY = re.compile(r"(?=[" + "".join(sorted({a[0] for a in _AGENCY_NAMES})) + r"])\b(?:" + _AGENCIES + r")\b")


def split_credit(text: str) -> tuple[str, list[str]]:
    """Peel photo credits off the end of a line: caption text, then credits (last first)."""
    credits: list[str] = []
    while True:  # each pattern is tried only where a cheap test says it could match
        m = (_CREDIT_PAREN.search(text) or _CREDIT_NAME_PAREN.search(text)) if text.endswith(")") else (
            _CREDIT_BRACKET.search(text) if text.endswith("]") else None)
        if m is None and " | " in text:
            m = _CREDIT_PIPE.search(text)
        if m is None and (":" in text or "..." in text or "…" in text):
            m = _CREDIT_LABEL.search(text)
            if m and m.start() > 0 and not text[m.start()].isspace() and not m.group(1)[:1].isupper():
                m = None  # (a credit glued to its caption names someone: "…month.Credit: Jane Roe", not "…alsCredit: o announced")
            elif m and "hotographer" in m.group() and not _credit_words(m.group(1)):
                m = None  # (an interview's "Photographer: I just kept shooting")
        if m is None and ("©" in text or "Copyright" in text or "Photo" in text):
            m = _CREDIT_MARKED.search(text)
            if m and not _credit_words(m.group(1) or m.group(2)):
                m = None
        if m is None and not credits and " by " in text[:24]:
            m = _CREDIT_LINE.match(text)
            name = re.split(r"\.\s", m.group(1).split(" by ", 1)[1])[0] if m else ""
            if m and ("," in name or not _credit_words(name)):
                m = None  # (a headline: "Artwork by Banksy appears on wall of London court")
        if m is None and (credits or len(text) < 160) and AGENCY.search(text, max(0, len(text) - 120)):
            m = _CREDIT_TAIL.search(text)
            if m and m.start() == 0 and not credits and text != m.group(1):
                m = None
        if m is None or not any(c.isalnum() for c in (m.group(1) or m.group(2))):
            break  # (a "credit" of punctuation alone is none)
        credits.append((m.group(1) or m.group(2)).strip())
        text = text[:m.start()].rstrip()
        if not text:
            break
    return text, credits


def _credit_words(credit: str) -> bool:
    """A credit is names, not a clause: "AP Photo/Manu Fernandez", "Megan Ruiz for The Ledger", not
    "Disney 1928, entered the public domain" or "Office records show the work was registered"."""
    words = credit.split()
    return len(words) <= 9 and all(
        w[:1].isupper() or w in ("via", "for", "and", "of", "or", "by", "courtesy", "/") or w[:1] in "/(" for w in words)


def may_have_credit(text: str) -> bool:
    """False when `split_credit` is sure to find no credit: a cheap screen for the many
    paragraphs that are plainly text. Each pattern's cheap test is the one `split_credit` makes;
    a credit that ends the line (`_CREDIT_TAIL`) without a slash in it ends in an agency's name
    (or that and a final newline, where `$` also matches)."""
    if text.endswith((")", "]")) or " | " in text or ":" in text or "..." in text or "…" in text or "©" in text:
        return True
    if ("Copyright" in text or "Photo" in text) and _CREDIT_MARKED.search(text) or " by " in text[:24] and _CREDIT_LINE.match(text):
        return True
    return len(text) < 160 and ("/" in text or text.endswith(_AGENCY_NAMES) or text.endswith("\n")) \
        and AGENCY.search(text, max(0, len(text) - 120)) is not None


_CREDIT_LABEL_WORD = re.compile(r"^(?:Photograph|Photo|Image|Picture)(?:\s+by\b|\b)\s*:?\s*", re.IGNORECASE)  # (not "Photos from …")
_CREDIT_PREFIX = re.compile(r"^(?:Credit|File(?: photo)?)\s*(?::|\.\.\.|…)?\s*", re.IGNORECASE)
_SLASH = re.compile(r"\s*/\s*")
_SHOUT = re.compile(r"\b[A-Z]{4,}\b")
_NON_WORDS = re.compile(r"\W+")


def fold_key(text: str) -> str:
    """Word characters only, casefolded: two printings of one caption or credit meet."""
    return _NON_WORDS.sub("", text.casefold())  # (casefold first: "İ" folds to "i" and a combining dot)


def clean_credit(credits: Sequence[str]) -> str:
    """Fold repeated credits into one: the fullest form, with spaced slashes and SHOUTING fixed."""
    cleaned = []
    for c in credits:
        c = _CREDIT_LABEL_WORD.sub("", c)
        c = _CREDIT_PREFIX.sub("", c)
        c = _SLASH.sub("/", c).strip(" .")
        if c.isupper() and " " in c and "/" not in c:
            c = name_case(c)  # a name alone, shouted: "GAVIN FOO"
        c = _SHOUT.sub(lambda m: m.group().capitalize(), c)  # NATALIA KOLESNIKOVA
        if c:
            cleaned.append(c)
    if len(cleaned) < 2:  # (the common case: one credit, nothing to fold)
        return cleaned[0] if cleaned else ""
    keys = [fold_key(c) for c in cleaned]
    best = max(range(len(cleaned)), key=lambda i: (len(keys[i]), -i))
    rest = [c for i, c in enumerate(cleaned) if i != best and keys[i] not in keys[best]]
    return "; ".join([cleaned[best], *rest])


COMMISSIONED = re.compile(r"^[A-Z][\w.'’\- ]{1,40}? for ((?:The )?[A-Z][\w&'’.\- ]{1,40})$")


# ---------------------------------------------------------------------------------------------
# Bylines and contributors

_BY_PREFIX = r"(?:(?:Story|Written|Words) [Bb]y:?|By|BY|by(?= [A-Z]))\s+"  # "By Jane Doe", "BY JANE DOE", "Story by: Jane Doe"
_BYLINE = re.compile(  # "By J. David Goodman", "BY BETH HARRIS", "Edited by Jo Roe", "From CNN's Jo Roe"
    r"^(?:" + _BY_PREFIX + r"|Edited by:?\s+|From\s+[A-Z][\w .&]{0,30}['’]s\s+)([A-Z](?:[^.!?]|(?<=\b[A-Z])\.){1,150})$")
REPORTING_FROM = re.compile(r"^Reporting from ([A-Z][\w.'’\-]*(?:,? [A-Z][\w.'’\-]*){0,4})$")  # NYT: the dateline
CONTRIBUTED = re.compile(  # (past the start, a match begins at "contributed" or "; ": elsewhere it fails fast)
    r"(?=[c;]|^)(contributed (?:reporting|to (?:this|the) (?:report|story|article))|contributed\.?$|"
    r"(?:^|; ?)(?:additional |further )?(?:reporting|writing|editing|compiled|research|production) by |"
    r"^(?:additional )?(?:reporting|research) (?:was|were) contributed by |^[—–-]* ?with assistance from )",
    re.IGNORECASE)


def has_contribution(text: str) -> bool:
    """Does `CONTRIBUTED` match anywhere? (Asked of most paragraphs: "by " is common.) Past the
    line's start a match begins at "; " or at "contributed", whose "contr" has no case variants
    beyond ASCII (unlike its "i"): a line with neither can match only at its start."""
    if ";" not in text and "contr" not in text.lower():
        return CONTRIBUTED.match(text) is not None
    return CONTRIBUTED.search(text) is not None


# parse_contributors' patterns, compiled once (it runs on every byline and credit line)
_FROM_OUTLET = re.compile(r"^From\s+(?:the\s+)?([A-Z][\w .&]{0,30}?)['’]s\s+(.+)$")
_OUTLET_SIGN_OFF = re.compile(r"^[-—–]\s*([A-Z][\w.&]*(?: [A-Z][\w.&]*){0,3})['’]s?\s+([A-Z][^.!?]{2,120})$")
_EDITED_BY = re.compile(r"^Edited by:?\s+(.+)$")
_CONTRIBUTED_BY = re.compile(r"^(?:Additional )?(?:reporting|research) (?:was|were) contributed by\s+(.+)$", re.IGNORECASE)
_ASSISTANCE = re.compile(r"^[—–-]* ?With assistance from\s+(.+)$", re.IGNORECASE)
_BY = re.compile(r"^" + _BY_PREFIX + r"(.+)$")
_WITH_OUTLET = re.compile(r"\s+with\s+(AP|AFP|Reuters|dpa|EFE|ANSA|Kyodo|Yonhap|PTI|agencies|wires)$")
_CONTACT_PART = re.compile(r"@|\d{3}[-. ]\d{3,4}")
_FOR_OUTLET = re.compile(r"\s+(?:for|For|FOR)\s+((?:The |THE )?[A-Z][\w&.'’\-]*(?: [A-Z][\w&.'’\-]*){0,3})$")
def _outlet_after_for(names: str) -> re.Match[str] | None:
    """"… for MailOnline", "… for The Guardian": an outlet's name (not "Correspondent for Europe")."""
    m = _FOR_OUTLET.search(names)
    return m if m and _outlet_named(m.group(1)) else None


def _outlet_named(text: str) -> bool:
    """Surely an outlet's name: "The Tennessean", "ProPublica", "MAILONLINE", "Reuters", "Daily News"."""
    return bool(OUTLET_WORD.search(text) or AGENCY.fullmatch(text) or text.isupper() or text.startswith("The ")
                or re.search(r"[a-z][A-Z]", text))


_ASIDE = re.compile(r"\s*\(([^(),]{2,40})(?:,[^()]*)?\)")
# A live post's sign-off: "— Tim Harlow" under its text
_SIGNED = re.compile(r"^[—–]\s*([A-Z][\w'’\-]+(?: [A-Z][\w'’\-.]*){1,3})$")
_AND = re.compile(r"\band\b")
_CONTRIBUTED_TAIL = re.compile(r"^(.*?)\s+contributed(?: reporting| to (?:this|the) (?:report|story|article)|$)", re.IGNORECASE)
_OUTLET_HEAD = re.compile(r"^(?:The\s+)?([A-Z][\w&.\- ]{0,40}?)(?:['’]s?\s+|\s+(?:writers?|reporters?|correspondents?)\s+)")


@functools.lru_cache(maxsize=1024)  # each line is parsed by classify, _brief and the nothing-lost check
def parse_contributors(text: str) -> tuple[tuple[Contributor, ...], str]:
    """Contributors and outlet from a credit line (`CNN's A in Kyiv and B in London contributed
    reporting.`, `Reporting by X; Editing by Y`, `By Jane Doe and John Roe, CNN`). Cached: the
    result is immutable (a tuple of frozen Contributors and a str)."""
    text = text.strip().rstrip(".")
    outlet = ""
    people: list[Contributor] = []
    m = _OUTLET_SIGN_OFF.match(text) if text[:1] in "-—–" else None
    m = m if m and looks_like_outlet(m.group(1)) else None  # ("—CNN's Jane Doe", not "— Maria's neighbour Jo Roe")
    if m is None and (signed := _SIGNED.match(text)):
        return ((), "") if looks_like_outlet(signed.group(1)) else ((Contributor(signed.group(1)),), "")
    m = m or _FROM_OUTLET.match(text)
    if m:  # CNN live pages: "From CNN's Tim Lister and Katharina Krebs"; ABC's "-ABC News' Jason Volack and Emily Shapiro"
        return tuple(Contributor(n, p) for n, p in _name_list(m.group(2))), m.group(1)
    m = _DESK.match(text)
    if m:  # "By Al Jazeera Staff", "by The Kyiv Independent news desk": the outlet, no person
        return (), m.group(1).strip()
    m = _EDITED_BY.match(text)
    if m:  # a live page's editor
        return tuple(Contributor(n, p, "editing") for n, p in _name_list(m.group(1))), ""
    m = _CONTRIBUTED_BY.match(text)
    if m:  # NYT: "Reporting was contributed by A in X and B in Y."
        return tuple(Contributor(n, p) for n, p in _name_list(m.group(1))), ""
    m = _ASSISTANCE.match(text)
    if m:  # Bloomberg's closing line
        return tuple(Contributor(n, p) for n, p in _name_list(m.group(1))), ""
    m = _BY.match(text)
    if m:  # "By A and B, CNN", "By A, B and C", "By A, Deputy economics editor, BBC News"
        names = m.group(1)
        if AGENCY.fullmatch(names) or names.startswith("The ") and OUTLET_WORD.search(names) and len(names.split()) <= 5 \
                and not any(c in names for c in ",'’") and " and " not in names:
            return (), names  # "By Reuters", "By The Associated Press": the outlet, no person
        if names.isupper():
            names = names.replace(" AND ", " and ")  # "BY TAKASHI NAKAMURA AND YUKI ARIMA"
        tail = _WITH_OUTLET.search(names) or _outlet_after_for(names)  # "By Jaime Velázquez with AP", "… for MailOnline"
        if tail:
            outlet, names = tail.group(1), names[:tail.start()]

        def aside(found: re.Match[str]) -> str:  # "Virginie Malingre (Brussels, Europe correspondent)", "Jane Doe (Reuters)"
            nonlocal outlet
            inside = found.group(1)
            if _outlet_named(inside):
                outlet = outlet or inside
                return ""
            return " in " + inside

        parts = _ASIDE.sub(aside, names).split(", ")
        parts = [p for p in parts if not JOB_TITLE.search(p) and not _CONTACT_PART.search(p)]  # a job title or a phone
        # number or email is neither a name nor an outlet ("Story By: Sean Whitfield, 541-737-0000, sean@…")
        if len(parts) >= 4 and len(parts) % 2 == 0 and all(_outlet_named(p.strip()) for p in parts[1::2]):
            outlet, parts = parts[1].strip(), parts[0::2]  # "A, ProPublica, and B, The Tennessean": each with their outlet
        if len(parts) > 1 and not _AND.search(parts[-1]) and len(parts[-1].split()) <= 4 \
                and (len(parts) == 2 or _AND.search(parts[-2]) is None or parts[-1].strip().isupper()
                     or AGENCY.fullmatch(parts[-1].strip())) and looks_like_outlet(parts[-1]):  # "By A, B and C, CNN"
            outlet = parts.pop().strip()
        return tuple(Contributor(n, p) for n, p in _name_list(", ".join(parts))), outlet
    text = text.lstrip("—–- ")  # "— The Associated Press contributed to this report."
    m = _CONTRIBUTED_TAIL.match(text)
    if m:
        names = m.group(1)
        om = _OUTLET_HEAD.match(names)
        if om:
            outlet, names = om.group(1).strip(), names[om.end():]
            names = re.sub(r"^(?:writers?|reporters?|correspondents?)\s+", "", names)
        return tuple(Contributor(n, p) for n, p in _name_list(names)), outlet
    for clause in re.split(r";\s*", text):
        cm = re.match(r"^(?:(additional|further)\s+)?(reporting|writing|editing|compiled|research|production)\s+by\s+(.+)$",
                      clause.strip(), re.IGNORECASE)
        if not cm:
            continue
        role = cm.group(2).lower()
        role = "" if role == "reporting" else role
        people.extend(Contributor(n, p, role) for n, p in _name_list(cm.group(3)))
    return tuple(people), outlet


_DESK = re.compile(r"^(?:By|BY|by)\s+(?:the\s+|The\s+)?([A-Z][\w&.'’\- ]{1,40}?)\s+"
                   r"(?:staff(?: writers?)?|news ?desk|newsroom|desk|web desk|digital desk)$", re.IGNORECASE)
OUTLET_WORD = re.compile(r"\b(?:News|Times|Post|Press|Journal|Herald|Tribune|Telegraph|Guardian|Independent|"
                          r"Agency|Radio|TV|Television|Media|Network|Wire|Daily|Weekly|Gazette|Observer|Mail|"
                          r"Express|Standard|Chronicle|Magazine|Review|Reuters|Bloomberg|Politico|Axios)\b")


def looks_like_outlet(text: str) -> bool:
    """"CNN", "BBC News", "The Washington Post", "Reuters" — not a person's name ("Melissa Quinn")."""
    text = text.strip()
    if not text:
        return False
    if text.isupper() or text.startswith("The ") or AGENCY.fullmatch(text):
        return True
    return bool(OUTLET_WORD.search(text)) or (len(text.split()) == 1)


# A journalist's job title ("Deputy political editor"): not a name in a byline; ingest spots bylines by it.
JOB_TITLE = re.compile(r"\b(?:editor|correspondent|reporter|writer|producer|analyst|columnist|journalist|"
                       r"staff|contributor|anchor|presenter|team)s?\b", re.IGNORECASE)


def _name_list(text: str) -> list[tuple[str, str]]:
    """`A in Kyiv, B and C in London` → [(A, Kyiv), (B, ""), (C, London)];
    `A, B and C in London` → all three in London; `A in Kyiv, Ukraine` → [(A, "Kyiv, Ukraine")]."""
    out: list[tuple[str, str]] = []
    for part in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text):
        part = part.strip()
        if out and out[-1][1] and " " not in part and _proper(part, 1):  # "A in Kyiv, Ukraine": the place goes on
            out[-1] = (out[-1][0], f"{out[-1][1]}, {part if part.count('.') > 1 else part.rstrip('.')}")
            continue
        part = part.strip(" .")
        if not part:
            continue
        name, _, place = part.partition(" in ")
        name, place = name_case(name.strip()), place.strip()
        if not (_proper(name, 5) and (not place or _proper(place, 6))):
            return []  # "Shares fall in …" is no one, and a list with a clause in it is no list of names
        out.append((name, place))
    if len(out) > 1 and out[-1][1] and not any(p for _, p in out[:-1]):
        # "A, B and C in London": the one place closes the whole list, so it is everyone's
        out = [(n, out[-1][1]) for n, _ in out]
    return out


def _proper(words: str, most: int) -> bool:
    """A name or a place: at most `most` words, capitalised but for particles ("Juan de la Cruz",
    "the West Bank"), not a clause run into a credit line ("Shares fall in late trading")."""
    split = words.split()
    return 0 < len(split) <= most and (words[0].isupper() or split[0] == "the") and all(
        not w.islower() or w in _PARTICLES or w in ("the", "of") for w in split)


_PARTICLES = {"de", "da", "das", "del", "della", "di", "do", "dos", "du", "la", "le", "van", "von", "der", "den",
              "ter", "ten", "zu", "y", "e", "bin", "bint", "ibn", "al", "el"}


def name_case(name: str) -> str:
    """`HANNA ARHIROVA` → `Hanna Arhirova` (AP bylines shout); `MCDONALD` → `McDonald`,
    `O'BRIEN` → `O'Brien`, `JUAN DE LA CRUZ` → `Juan de la Cruz`. Mixed-case names are kept."""
    if not name.isupper() or sum(c.isalpha() for c in name) < 3:
        return name
    out = []
    for n, word in enumerate(name.split()):
        low = word.lower()
        if n and low in _PARTICLES:
            out.append(low)
            continue
        word = "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))
        word = re.sub(r"^(O['’]|Mc)(\w)", lambda m: m.group(1) + m.group(2).upper(), word)
        out.append(word)
    return " ".join(out)


def is_contributor_line(text: str) -> bool:
    if len(text) <= 40 and _SIGNED.match(text) or text[:1] in "-—–" and len(text) <= 160 and _OUTLET_SIGN_OFF.match(text):
        return bool(parse_contributors(text)[0])
    if len(text) > 400 or not ("contributed" in text or "by " in text or "assistance" in text) \
            or not has_contribution(text):
        return False
    return bool(parse_contributors(text)[0])


def is_byline(text: str) -> bool:
    if len(text) <= 80 and _DESK.match(text):
        return True
    m = _BYLINE.match(text)
    return bool(m) and len(text.split()) <= 16 and any(parse_contributors(text))  # (people, or the outlet alone: "By Reuters")


def merge_people(people: Sequence[Contributor]) -> list[Contributor]:
    """One entry per person and role: a byline and a "Reporting by" line often name the same
    reporters; the entry that knows the place wins."""
    out: list[Contributor] = []
    seen: dict[tuple[str, str], list[int]] = {}  # (name, role) → positions in `out`
    for p in people:
        same = seen.setdefault((p.name, p.role), [])
        i = next((i for i in same if same_person(out[i], p) or same_person(p, out[i])), None)
        if i is None:
            same.append(len(out))
            out.append(p)
        elif p.place and not out[i].place:
            out[i] = p
    return out


def same_person(held: Contributor, named: Contributor) -> bool:
    """Does `held` stand for `named` (same name and role; the place, if `named` gives one)?"""
    return held.name == named.name and held.role == named.role and (not named.place or held.place == named.place)


# ---------------------------------------------------------------------------------------------
# Datelines

_WIRES = r"AP|Reuters|AFP|CNN|Bloomberg|UPI|dpa|Xinhua|TASS|Kyodo|Yonhap|EFE|ANSA|PRNewswire|Business Wire|GLOBE NEWSWIRE|ANI|PTI|IANS"
_DATELINE = re.compile(
    r"^((?:[A-Z][A-Z.'’\-]+)(?: [A-Z][A-Z.'’\-]+)*(?:,(?: [A-Z][\w.'’\-]*){1,3})?"
    r"(?:,? (?:" + MONTH_NAME + r") \d{1,2}(?:, \d{4})?)?)\.?\s*(?:\((" + _WIRES + r")\)|/(" + _WIRES + r")/)?\s*"
    r"(?:[—–-]{1,2}\s+|:\s+(?=[A-Z])|(?<=/)\.\s+)")  # "MUMBAI: Heavy rain…" (Indian papers); "MOSCOW, March 5. /TASS/."
_CNN_DATELINE = re.compile(r"^([A-Z][\w.'’\-]+(?:,? [A-Z][\w.'’\-]+){0,3}) ?(?:\(?(CNN)\)?|\((" + _WIRES + r")\)) ?[—–-]{1,2}\s+")
# "Wilmington, Delaware — A jury…": a mixed-case place is a dateline only as "City, <known state or country>"
_PLACE_DATELINE = re.compile(r"^([A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2}, ([A-Z][a-z]+(?: [A-Z][a-z]+)?|[A-Z][a-z]{1,4}\.)) [—–]\s+")


def parse_dateline(text: str) -> tuple[str, str, str]:
    """`KYIV, Ukraine (AP) — Russian…` → ("KYIV, Ukraine", "AP", "Russian…")."""
    if not text[:1].isupper():
        return "", "", text
    m = _DATELINE.match(text)
    if m and m.group(0).rstrip().endswith(":") and m.group(1).casefold() in _LABELS:
        m = None  # "BREAKING: …", "UPDATE: …" are labels, not places
    if m and m.group(1).split(",")[0].casefold() in _LABELS:
        m = None  # "UPDATE, March 6 —", "BREAKING NEWS, Washington –": labels, not places
    if m and (m.group(3) or m.group(4) or m.group(1).split(",")[0].isupper() and len(m.group(1)) > 2):  # ("CORVALLIS, Ore. –")
        return m.group(1).strip(", "), m.group(3) or m.group(4) or "", text[m.end():]
    m = _CNN_DATELINE.match(text)
    if m:
        return m.group(1).strip(", "), m.group(2) or m.group(3), text[m.end():]
    m = _PLACE_DATELINE.match(text)
    if m and (m.group(2).endswith(".") or _known_place(m.group(2))):
        return m.group(1), "", text[m.end():]
    return "", "", text


_LABELS = {"note", "update", "updated", "breaking", "breaking news", "watch", "listen", "read", "correction", "exclusive",
           "analysis", "opinion", "video", "photos", "live", "warning", "fact check", "editor's note", "editor’s note",
           "clarification", "key points", "summary", "also read", "related", "source", "sources", "contact",
           "media contact", "faq", "q", "a", "pic", "picture", "image", "photo", "credit", "ends"}


def _known_place(name: str) -> bool:
    return DEFAULT_TAXONOMY.canonical(name) is not None
