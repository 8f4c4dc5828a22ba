"""Text: bytes → normalised text, sentences, generated titles, and Markdown escaping.

Pure functions over strings, used by ingest (and `unescape_markdown` by its nothing-lost check).
"""

from __future__ import annotations

import re
import unicodedata

from briefs.errors import SeedError

TITLE_WORDS = 12


# ---------------------------------------------------------------------------------------------
# Bytes → normalised text

_CONTROL = bytes([*range(9), *range(14, 32)])  # control bytes no text has (9–13 are tabs and line breaks)


def decode_seed(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode a seed file: UTF-8, else cp1252 with a warning; binary files are a SeedError."""
    sample = data[:65536]
    if b"\x00" in sample or (sample and len(sample) - len(sample.translate(None, _CONTROL)) > len(sample) // 100 + 1):
        raise SeedError("binary file, not a text seed; remove it from the seeds folder", name)
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        return text, [f"{name}: not valid UTF-8, read as cp1252; re-save it as UTF-8"]


_SPACE_CHARS = r"\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE_CHARS = r"\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u200b-\u200d\u2060\ufeff\ufffe"
_LINE_BREAK_CHARS = r"\u000b\u000c\u0085\u2028\u2029"  # (and \r, which `normalise` replaces first)
_SPACES = re.compile(f"[{_SPACE_CHARS}]")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_LINE_BREAKS = re.compile(f"[{_LINE_BREAK_CHARS}]")
_ODD = re.compile(f"[{_SPACE_CHARS}{_INVISIBLE_CHARS}{_LINE_BREAK_CHARS}]")  # any of the three


def normalise(text: str) -> str:
    """NFC; one kind of newline; NBSP and other odd spaces → a space; single spaces; no BOM."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # Plain replaces where they suffice (many times faster than a regex over a whole seed):
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ")  # the commonest odd space
    if _ODD.search(text):  # one scan says whether any other odd character is there at all
        text = _LINE_BREAKS.sub("\n", text)  # (each maps single characters no other touches: the
        text = _INVISIBLE.sub("", text)  # order is free)
        text = _SPACES.sub(" ", text)
    while "  " in text:  # a space is the only blank left within a line
        text = text.replace("  ", " ")
    text = text.replace(" \n", "\n").replace("\n ", "\n")  # no space is doubled: this clears line edges
    return text.strip(" ")


# ---------------------------------------------------------------------------------------------
# Sentences and generated titles

_ABBREV = set("""mr mrs ms dr st jr sr gen sen rep gov lt col sgt capt prof no nos inc corp ltd
co vs etc jan feb mar apr jun jul aug sep sept oct nov dec mt ft fig approx dept univ est
adm cmdr rev hon pres hwy ave blvd rd fwy pkwy""".split())
_BOUNDARY = re.compile(  # (a first mark spelled out: the regex engine then skips from mark to mark)
    r"([.!?…][.!?…]*)([\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; survives `U.S.`, `Dr.`, `1,340-km`, `3.5` and quotations."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start:m.start()].split()
        last = before[-1] if before else ""
        if m.group(1) == "." and not m.group(2):
            word = last.rstrip(".").lstrip("(\"“‘'").rsplit("-", 1)[-1].casefold()  # ("Minneapolis-St.")
            if word in _ABBREV or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", last.lstrip("(\"“‘'")):
                continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def cut_words(text: str, limit: int) -> str:
    """At most `limit` words, with an ellipsis when cut."""
    parts = text.split()
    if len(parts) <= limit:
        return text
    return " ".join(parts[:limit]).rstrip(",;:—–-") + "…"


_PREPOSITIONS = set("""in on at for to with from by after during over into via within under
across against amid about as since before until through toward towards near following ahead
according despite while who which that where when because although if than""".split())
_AUX = set("""will would is are was were has have had can could may might should must did does
do says said""".split())
_DANGLING = _PREPOSITIONS | set("""the a an and or but of its their his her this that these those
to be not very""".split())


def generate_title(lead: str) -> str:
    """A headline from a lead sentence: its main clause, ≤ 12 words, ending on a whole phrase."""
    text = re.split(r",\s+(?:according to|following|as|after|which|who|while|amid|citing)\b|\s[—–]\s|;\s|:\s",
                    lead, maxsplit=1)[0]
    text = text.strip().rstrip(".!,")
    tokens = text.split()
    if len(tokens) > TITLE_WORDS:  # drop a prepositional phrase between subject and verb
        aux = next((i for i, t in enumerate(tokens[:10]) if t in _AUX), None)
        prep = next((i for i, t in enumerate(tokens[:aux or 0]) if t in _PREPOSITIONS and i >= 2), None)
        if aux is not None and prep is not None:
            tokens = tokens[:prep] + tokens[aux:]
    if len(tokens) > TITLE_WORDS and tokens[0] in {"The", "A", "An"}:
        tokens = tokens[1:]
        tokens[0] = tokens[0][:1].upper() + tokens[0][1:]
    if len(tokens) > TITLE_WORDS:
        cut = 0
        for i in range(1, TITLE_WORDS + 1):
            nxt = tokens[i] if i < len(tokens) else ""
            if (nxt.casefold() in _PREPOSITIONS or nxt == "of" or nxt.endswith(",") is False and tokens[i - 1].endswith(",")) \
                    and tokens[i - 1].casefold().strip(",") not in _DANGLING:
                cut = i
        tokens = tokens[:cut or TITLE_WORDS]
        while len(tokens) > 1 and (tokens[-1].casefold().strip(",") in _DANGLING
                                   or tokens[-1].endswith(("'s", "’s"))):  # "the government's"
            tokens.pop()
    title = " ".join(tokens).rstrip(",;:")
    if title.count("“") > title.count("”"):
        title += "”"
    return title.strip("\"") or lead[:80]


# ---------------------------------------------------------------------------------------------
# Markdown escaping: seed text is data, never markup

_MD_ALWAYS = re.compile(r"([\\`*_\[\]{}])")
_MD_ANY = re.compile(r"[\\`*_\[\]{}<>&|!()~#]")
_MD_LEADING = re.compile(r"^(\s*)([#>+\-]|\d+(?=[.)])|~)")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_NUMBERED = re.compile(r"^\s*\d+[.)]")
_MD_NUMBER_END = re.compile(r"(?<=\d)([.)])(?=\s|$)")
_MD_IMAGE = re.compile(r"!(?=\\\[)")


def escape_markdown(text: str) -> str:
    """Make one line of seed text render as itself through Python-Markdown (with or without
    `extra`): backslash the specials, entity-encode `<`, entity-like `&`, and `|`."""
    text = text.strip()  # leading spaces would make a code block, trailing ones a line break
    if not _MD_ANY.search(text) and not _MD_LEADING.match(text):
        return text  # nothing Markdown would read as markup
    # (each step only where its character occurs: most lines hold a bracket or two, nothing more)
    if "&" in text:
        text = _MD_ENTITY.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace("|", "&#124;")
    text = _MD_ALWAYS.sub(r"\\\1", text)
    text = _MD_NUMBER_END.sub(r"\\\1", text) if _MD_NUMBERED.match(text) else text
    if "!" in text:
        text = _MD_IMAGE.sub(r"\\!", text)
    text = text.replace(")", "\\)") if "](" in text else text
    return _escape_line_start(text)


def _escape_line_start(text: str) -> str:
    """A line start Markdown would read as a heading, quote, list or strike-through, made plain."""
    m = _MD_LEADING.match(text)
    if m:
        lead = m.group(2)
        if lead == "~":
            text = m.group(1) + "&#126;" + text[m.end():]
        elif not lead.isdigit():
            text = m.group(1) + "\\" + text[m.start(2):]
    return text


def unescape_markdown(text: str) -> str:
    """The inverse of `escape_markdown` (used to account for lines)."""
    return re.sub(r"\\(.)|&lt;|&amp;|&#124;|&#126;",
                  lambda m: m.group(1) or {"&lt;": "<", "&amp;": "&", "&#124;": "|", "&#126;": "~"}[m.group()],
                  text)
