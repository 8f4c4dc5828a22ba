"""Content pages: the only place that reads and writes `content/`, and the editor-safe write rule.

A page is YAML front matter then a Markdown body. Ingest records a hash of what it wrote
(`ingest_hash`); a page whose text no longer matches its hash was edited by hand and is
never overwritten by re-ingest (unless forced).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import frontmatter
import yaml

from .errors import ContentError
from .model import Brief, Contributor, Photo

log = logging.getLogger(__name__)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_HANDLER = frontmatter.YAMLHandler()
_HASH_LINE = re.compile(r"^ingest_hash:.*\n?", re.MULTILINE)

KNOWN_FIELDS = (
    "title", "date", "updated", "slug", "summary", "tags", "photo", "contributors", "outlet",
    "dateline", "byline", "seed", "section", "source_lines", "title_generated", "date_inferred",
    "draft", "unplaced", "ingest_hash",
)


# ---------------------------------------------------------------- writing


def _front_matter(brief: Brief) -> dict[str, Any]:
    data: dict[str, Any] = {"title": brief.title, "date": brief.date}
    if brief.updated:
        data["updated"] = brief.updated
    if brief.slug:
        data["slug"] = brief.slug
    if brief.summary:
        data["summary"] = brief.summary
    data["tags"] = list(brief.tags)
    if brief.photo:
        data["photo"] = {"caption": brief.photo.caption, "credit": brief.photo.credit}
    if brief.contributors:
        data["contributors"] = [
            {"name": c.name, "place": c.place, **({"role": c.role} if c.role else {})} for c in brief.contributors
        ]
    for key in ("outlet", "dateline", "byline", "seed"):
        if getattr(brief, key):
            data[key] = getattr(brief, key)
    if brief.section is not None:
        data["section"] = brief.section
    if brief.source_lines:
        data["source_lines"] = list(brief.source_lines)
    data["title_generated"] = brief.title_generated
    data["date_inferred"] = brief.date_inferred
    if brief.draft:
        data["draft"] = True
    if brief.unplaced:
        data["unplaced"] = list(brief.unplaced)
    data.update(brief.extra)
    return data


def text_hash(page_text: str) -> str:
    """Hash of a page without its own ingest_hash line: tells an edited page from an untouched one."""
    return hashlib.sha256(_HASH_LINE.sub("", page_text).encode("utf-8")).hexdigest()[:16]


def dump_page(brief: Brief) -> str:
    """The page ingest writes for a brief, ending in an `ingest_hash` of everything else."""
    # invisible characters (controls, lone surrogates) are never written: load_page would drop them anyway
    meta = yaml.dump(_clean(_front_matter(brief), brief.source), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=1 << 20)
    body = INVISIBLE.sub("", brief.body).strip("\n")
    text = f"---\n{meta}---\n\n{body}\n" if body else f"---\n{meta}---\n"
    digest = text_hash(text)
    return text.replace("\n---\n", f"\ningest_hash: {digest}\n---\n", 1)


def is_unedited(page_text: str) -> bool:
    """True when the page is exactly what ingest wrote (its recorded hash still matches)."""
    found = re.search(r"^ingest_hash:\s*([0-9a-f]+)\s*$", page_text, re.MULTILINE)
    return bool(found) and found.group(1) == text_hash(page_text)


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a killed process never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)


def page_name(brief: Brief) -> str:
    return f"{(brief.section or 0) + 1:02d}-{brief.slug or 'untitled'}.md"


def seed_pages(briefs: Iterable[Brief]) -> dict[str, str]:
    """One seed's pages, by file name: what `write_pages` writes."""
    return {page_name(b): dump_page(b) for b in briefs}


def write_seed_pages(
    folder: Path, briefs: Iterable[Brief], *, force: bool = False, report: WriteReport | None = None
) -> WriteReport:
    """`write_pages` of the briefs' pages."""
    return write_pages(folder, seed_pages(briefs), force=force, report=report)


def write_pages(
    folder: Path, wanted: Mapping[str, str], *, force: bool = False, report: WriteReport | None = None
) -> WriteReport:
    """Write one seed's pages (`seed_pages`) into `folder`, never touching a hand-edited page unless forced.

    Pages ingest wrote earlier for this seed that it no longer produces are removed when
    unedited and kept (and reported) when edited. Identical pages are not rewritten.
    """
    report = report or WriteReport()
    existing = sorted(p for p in folder.glob("*.md")) if folder.is_dir() else []
    for path in existing:
        if path.name in wanted:
            continue
        if is_unedited(path.read_text(encoding="utf-8", errors="replace")) or force:
            path.unlink()
            report.removed.append(str(path))
        else:
            report.kept_edited.append(str(path))
    for name, text in sorted(wanted.items()):
        path = folder / name
        if path.exists():
            old = path.read_text(encoding="utf-8", errors="replace")
            if old == text:
                report.unchanged.append(str(path))
                continue
            if not force and not is_unedited(old):
                report.kept_edited.append(str(path))
                continue
        write_atomic(path, text.encode("utf-8"))
        report.written.append(str(path))
    return report


# ---------------------------------------------------------------- reading

# Characters no page should carry: C0/C1 controls except tab, LF and CR; lone surrogates; Unicode
# noncharacters. Browsers drop or mangle them and HTML5 calls them parse errors; they are never news.
INVISIBLE = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\ufdd0-\\ufdef"
                       + "".join(f"\\U{p:04x}fffe\\U{p:04x}ffff" for p in range(17)) + "]")
# Its complement: a search for it is ~10x faster than a substitution, and most pages need none.
_ANY_INVISIBLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd"
                            + "".join(f"\\U{p:04x}0000-\\U{p:04x}fffd" for p in range(1, 17)) + "]")


def strip_invisible(text: str) -> str:
    return INVISIBLE.sub("", text) if _ANY_INVISIBLE.search(text) else text


_BRACKETS = re.compile(r"[\[\]]")
# Bounds that keep Markdown conversion (quadratic in places) and YAML loading fast on any input.
MAX_BODY_CHARS = 100_000
MAX_BODY_LINES = 5_000
MAX_BLOCK_CHARS = 20_000  # one paragraph: text between blank lines
MAX_NESTING = 16  # quote levels (>) and list levels; also '[' left open or nested in one paragraph
MAX_INDENT = 4 * MAX_NESTING
MAX_META_DEPTH = 32


def _clean(value: Any, path: str, depth: int = 0) -> Any:
    """Strip invisible characters from every string of the front matter; refuse absurd nesting."""
    if depth > MAX_META_DEPTH:
        raise ContentError(f"front matter nests lists or mappings more than {MAX_META_DEPTH} deep", path, 1)
    if isinstance(value, str):
        return strip_invisible(value)
    if isinstance(value, list):
        return [_clean(v, path, depth + 1) for v in value]
    if isinstance(value, dict):
        return {_clean(k, path, depth + 1): _clean(v, path, depth + 1) for k, v in value.items()}
    return value


# Where a YAML node (so an alias) may start: a line's start, or after ':', '-', '?', '[', '{' or ','.
# A '*' elsewhere (inside plain or quoted text, such as Markdown *emphasis*) cannot be an alias.
_ALIAS_AT = re.compile(r"(?:^|[:\-?\[{,])[ \t]*\*", re.MULTILINE)


def _reject_aliases(front: str, path: str) -> None:
    """YAML aliases let a few lines expand to gigabytes ("billion laughs"); pages never need them."""
    if not _ALIAS_AT.search(front):  # quick: an alias can only start where a YAML node starts
        return
    for event in yaml.parse(front, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 2 if event.start_mark is not None else 1
            raise ContentError("YAML aliases (*name) are not allowed in front matter; write the value out in full", path, line)


def body_problem(body: str) -> tuple[int, str] | None:
    """Where (0-based body line) and why Python-Markdown could take unbounded time on a body.

    Such a body is not refused: it is published as plain text (see render.plain_text_html),
    so one odd page never blocks a newsroom's whole site, and nothing of it is lost.
    """
    if len(body) > MAX_BODY_CHARS:
        return 0, f"the body is {len(body):,} characters, more than {MAX_BODY_CHARS:,}"
    lines = body.removesuffix("\n").split("\n")
    if len(lines) > MAX_BODY_LINES:
        return 0, f"the body has {len(lines):,} lines, more than {MAX_BODY_LINES:,}"
    block_start, block_chars, open_brackets, deepest = 0, 0, 0, 0
    for number, line in enumerate(lines):
        stripped = line.lstrip(" \t>")
        if not stripped.strip():
            block_start, block_chars, open_brackets, deepest = number + 1, 0, 0, 0
            continue
        prefix = line[: len(line) - len(stripped)]
        if prefix.count(">") > MAX_NESTING or len(prefix.expandtabs(4)) > MAX_INDENT + MAX_NESTING:
            return number, f"quotes or lists nested more than {MAX_NESTING} levels deep"
        block_chars += len(line) + 1
        if block_chars > MAX_BLOCK_CHARS:
            return block_start, f"a paragraph longer than {MAX_BLOCK_CHARS:,} characters"
        if "[" in stripped or (open_brackets and "]" in stripped):
            for found in _BRACKETS.finditer(stripped):
                if found.group() == "[":
                    open_brackets += 1
                    deepest = max(deepest, open_brackets)
                elif open_brackets:
                    open_brackets -= 1
        if deepest > MAX_NESTING:
            return number, f"more than {MAX_NESTING} '[' open at once in one paragraph"
    return None


def _line_of(front: str, key: str) -> int:
    """1-based line in the page file of a front-matter key (the opening `---` is line 1)."""
    found = re.search(rf"^{re.escape(key)}\s*:", front, re.MULTILINE)
    return front.count("\n", 0, found.start()) + 2 if found else 1


def _to_datetime(value: Any, tz: dt.tzinfo, key: str, front: str, path: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ContentError(
                f"'{key}' is not an ISO date or datetime: {value[:60]!r} (write e.g. 2024-06-06 or 2024-06-06T09:30:00+01:00)",
                path, _line_of(front, key)) from None
    if isinstance(value, dt.date):
        if not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        value = value if value.tzinfo else value.replace(tzinfo=tz)
        try:
            value.astimezone(dt.timezone.utc)  # sorting and feeds need the UTC instant
        except (OverflowError, ValueError):
            raise ContentError(f"'{key}' is out of range: {value.isoformat()} has no UTC equivalent",
                               path, _line_of(front, key)) from None
        return value
    raise ContentError(f"'{key}' must be a date such as 2024-06-06, not {type(value).__name__}", path, _line_of(front, key))


def _text(meta: dict[str, Any], key: str, front: str, path: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ContentError(f"'{key}' must be text, not {type(value).__name__}", path, _line_of(front, key))
    return str(value)


def _flag(meta: dict[str, Any], key: str, front: str, path: str) -> bool:
    value = meta.get(key, False)
    if not isinstance(value, bool):
        raise ContentError(f"'{key}' must be true or false, not {value!r}", path, _line_of(front, key))
    return value


def _photo(meta: dict[str, Any], front: str, path: str) -> Photo | None:
    value = meta.get("photo")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ContentError("'photo' must be a mapping with 'caption' and 'credit'", path, _line_of(front, "photo"))
    return Photo(caption=_text(value, "caption", front, path), credit=_text(value, "credit", front, path))


def _contributors(meta: dict[str, Any], front: str, path: str) -> tuple[Contributor, ...]:
    value = meta.get("contributors") or []
    result = []
    if not isinstance(value, list):
        value = [value]
    for item in value:
        if isinstance(item, str):
            result.append(Contributor(name=item))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            result.append(Contributor(item["name"], _text(item, "place", front, path), _text(item, "role", front, path)))
        else:
            raise ContentError("each contributor needs a 'name' (and optionally 'place')", path, _line_of(front, "contributors"))
    return tuple(result)


def _string_list(meta: dict[str, Any], key: str, front: str, path: str) -> tuple[str, ...]:
    value = meta.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ContentError(f"'{key}' must be a list of strings, e.g. [Kremlin, Ukraine]", path, _line_of(front, key))
    return tuple(value)


def load_page(text: str, path: str, tz: dt.tzinfo) -> Brief:
    """Parse and validate one page; every problem is a ContentError naming file and line."""
    text = strip_invisible(text.lstrip("\ufeff"))
    if not _HANDLER.detect(text):
        raise ContentError("no front matter: a page starts with '---', then 'title:' and 'date:', then '---'", path, 1)
    try:
        front, body = _HANDLER.split(text)
        front = front.removeprefix("\n")  # so line numbers count from the opening '---'
        _reject_aliases(front, path)
        meta = _clean(yaml.load(front, Loader=_Loader), path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(f"malformed YAML front matter: {problem}", path, line) from None
    except (ValueError, OverflowError) as exc:
        raise ContentError(f"malformed front matter: {exc}", path, 1) from None
    except RecursionError:
        raise ContentError("front matter nested too deeply", path, 1) from None
    problem = body_problem(body)
    if problem:
        line = text[: len(text) - len(body)].count("\n") + 1 + problem[0]
        log.warning("%s:%d: %s; the body is published as plain text, without Markdown "
                    "(add blank lines or flatten it to get Markdown back)", path, line, problem[1])
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError("front matter must be a mapping of 'key: value' lines", path, 2)
    meta = {str(k): v for k, v in meta.items()}
    for required in ("title", "date"):
        if meta.get(required) in (None, ""):
            raise ContentError(f"missing required field '{required}'", path, 1)
    tz_date = _to_datetime(meta["date"], tz, "date", front, path)
    updated = _to_datetime(meta["updated"], tz, "updated", front, path) if meta.get("updated") else None
    lines = meta.get("source_lines")
    section = meta.get("section")
    return Brief(
        title=_text(meta, "title", front, path).strip(),
        date=tz_date,
        updated=updated,
        body=body,
        slug=_text(meta, "slug", front, path).strip(),
        summary=_text(meta, "summary", front, path).strip(),
        tags=_string_list(meta, "tags", front, path),
        photo=_photo(meta, front, path),
        contributors=_contributors(meta, front, path),
        outlet=_text(meta, "outlet", front, path),
        dateline=_text(meta, "dateline", front, path),
        byline=_text(meta, "byline", front, path),
        seed=_text(meta, "seed", front, path),
        section=section if isinstance(section, int) and not isinstance(section, bool) else None,
        source_lines=tuple(lines) if isinstance(lines, list) and len(lines) == 2 and all(isinstance(n, int) for n in lines) else None,  # type: ignore[arg-type]
        title_generated=_flag(meta, "title_generated", front, path),
        date_inferred=_flag(meta, "date_inferred", front, path),
        draft=_flag(meta, "draft", front, path),
        unplaced=_string_list(meta, "unplaced", front, path),
        ingest_hash=_text(meta, "ingest_hash", front, path),
        extra={k: v for k, v in meta.items() if k not in KNOWN_FIELDS},
        source=path,
    )


def scan_content(content_dir: Path) -> dict[str, tuple[int, int]]:
    """Every page under content/ (sorted by path parts) with its size and mtime_ns, in one walk:
    hidden files and folders are skipped; only symlinks are resolved, and refused if they leave the folder."""
    if not content_dir.is_dir():
        return {}
    root = content_dir.resolve()
    found: list[tuple[tuple[str, ...], str, tuple[int, int]]] = []
    seen_dirs = {root}

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_symlink():
                    real = Path(entry.path).resolve()
                    if not real.is_relative_to(root):
                        raise ContentError("links to a file outside the content folder; copy the file in instead", entry.path)
                    if entry.is_dir():
                        if real not in seen_dirs:  # a link to a folder already walked would list its pages twice
                            seen_dirs.add(real)
                            walk(entry.path, parts + (entry.name,))
                        continue
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, parts + (entry.name,))
                elif entry.name.endswith(".md") and entry.is_file():
                    st = entry.stat()
                    found.append((parts + (entry.name,), entry.path, (st.st_size, st.st_mtime_ns)))

    walk(str(content_dir), ())
    found.sort(key=lambda item: item[0])
    return {path: stat for _, path, stat in found}
