"""The build cache in `.briefs-cache/`: what the last build read and wrote, so the next one does less.

Three pickles, each stamped with `code_version()` (the package's own source, Python and library
versions), so a cache from any other version is ignored rather than trusted:

- `pages.pickle`: per content file its size, mtime_ns, content hash and parsed `Brief`;
  an unchanged file is not re-parsed.
- `bodies.pickle`: Markdown → HTML by hash of the Markdown, so feeds and re-rendered pages
  do not convert an unchanged body again.
- `site.pickle`: per output path a fingerprint of everything its bytes depend on, the identity
  of the `site/` folder those outputs were written to, and a quick key (file stats of content and
  layouts, settings, code) that lets a no-op rebuild stop before parsing anything.

Any doubt (unreadable, other version, `site/` replaced or removed since) means an empty cache,
so the worst case is a full build, never a stale page.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import os
import pickle
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import jinja2
import jinja2.meta
import markdown
import yaml

from . import __version__
from .config import Config
from .content import write_atomic
from .model import Brief, Contributor, Output, Photo, Site
from .render import PACKAGE_LAYOUTS, Job, Renderer, Unchanged, text_key

log = logging.getLogger(__name__)

FORMAT = 1
CHECK_MEMO = "check.sqlite"  # the site check's memory of the last checked tree (see check.CheckMemo)
# Settings that change no byte of the output (they only decide what runs or where the cache is).
_NEUTRAL_SETTINGS = {"now", "check", "cache", "cache_dir", "seeds_dir", "taxonomy_file"}


def _hash(*parts: bytes) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part)
    return digest.digest()


def file_digest(data: bytes) -> bytes:
    """The hash that tells whether a file's bytes changed."""
    return _hash(data)


def brief_key(pages_key: bytes, digest: bytes, brief: Brief) -> bytes:
    """A loaded brief's fingerprint: its page's bytes, where they were read, and what the catalog set
    (slug, tags); cheaper than hashing the brief's whole content again."""
    return _hash(b"Brief", pages_key, digest, brief.source.encode("utf-8", "surrogatepass"), b"\0",
                 repr((brief.slug, brief.tags)).encode("utf-8", "surrogatepass"))


@functools.cache
def code_version() -> str:
    """Changes with the package source, Python and the libraries that shape the output."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{FORMAT}|{__version__}|{sys.version}|{platform.machine()}|{markdown.__version__}|"
                  f"{jinja2.__version__}|{yaml.__version__}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def stat_key(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def folder_identity(path: Path) -> tuple[int, int, int] | None:
    """Which folder `site/` is: a swap or a `clean` gives another inode or ctime."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_ctime_ns


def settings_key(cfg: Config) -> bytes:
    values = {f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg) if f.name not in _NEUTRAL_SETTINGS}
    return repr(sorted(values.items(), key=lambda kv: kv[0])).encode()


def layout_files(cfg: Config) -> list[Path]:
    """Every file under the package's and the project's layouts (static files included)."""
    files = []
    for folder in (PACKAGE_LAYOUTS, cfg.path("layouts_dir")):
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if p.is_file())
    return files


# ---------------------------------------------------------------- the cache folder


@dataclass
class Page:
    size: int
    mtime_ns: int
    digest: bytes
    brief: Brief
    saved_ns: int = 0  # when the shard holding it was written (not stored)


SHARDS = 16  # parsed pages are kept in this many files: an edit rewrites one, not all
_FIELDS = tuple(f.name for f in dataclasses.fields(Brief))
_PHOTO, _CONTRIBUTORS, _EXTRA = _FIELDS.index("photo"), _FIELDS.index("contributors"), _FIELDS.index("extra")


def _shard(source: str) -> int:
    return zlib.crc32(source.encode("utf-8", "surrogatepass")) % SHARDS


def flat_brief(brief: Brief) -> tuple:
    """A Brief as plain tuples: unpickling them is C work, unpickling slotted dataclasses is not."""
    values = [getattr(brief, name) for name in _FIELDS]
    values[_PHOTO] = (brief.photo.caption, brief.photo.credit) if brief.photo else None
    values[_CONTRIBUTORS] = tuple((c.name, c.place, c.role) for c in brief.contributors)
    values[_EXTRA] = dict(brief.extra)
    return tuple(values)


def unflat_brief(values: tuple) -> Brief:
    values = list(values)
    values[_PHOTO] = Photo(*values[_PHOTO]) if values[_PHOTO] is not None else None
    values[_CONTRIBUTORS] = tuple(Contributor(*c) for c in values[_CONTRIBUTORS])
    return Brief(*values)


@dataclass
class Previous:
    """What the last build left: per output path its fingerprint, and how to recognise a no-op."""

    site: tuple[int, int, int] | None = None
    fingerprints: dict[str, bytes] = field(default_factory=dict)
    quick: bytes = b""
    release_at: float = float("inf")  # the earliest held-back (future) brief: a build after it is no no-op
    briefs: int = 0
    tags: int = 0
    warnings: list[str] = field(default_factory=list)
    saved_ns: int = 0  # when this was written: files changed just before may share an mtime with their old version
    # The site before the last one, kept beside site/ to be updated into the next build's tree
    # (see output.write_site): its folder identity and per path the fingerprint of the file it holds.
    shadow: tuple[int, int, int] | None = None
    shadow_fingerprints: dict[str, bytes] = field(default_factory=dict)
    search: Any = None  # what the site's search bundle was made from (a pipeline.SearchState)
    # What the outputs were fingerprinted against: the catalog's key, the layouts/settings/code part of
    # every fingerprint, and each brief's key by source (see pipeline._render).
    catalog: bytes = b""
    base: bytes = b""
    brief_keys: dict[str, bytes] = field(default_factory=dict)


class BuildCache:
    """Read once at the start of a build, written once at the end; disabled, it reads and keeps nothing."""

    def __init__(self, cfg: Config) -> None:
        self.folder = cfg.path("cache_dir")
        self.enabled = cfg.cache
        if not self.enabled:
            self.clear()

    def _load(self, name: str) -> Any:
        if not self.enabled:
            return None
        try:
            with open(self.folder / name, "rb") as handle:
                version, data = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as exc:  # truncated or foreign pickle: start afresh
            log.warning("ignoring the build cache %s (%s): building everything", self.folder / name, exc.__class__.__name__)
            return None
        return data if version == code_version() else None

    def _save(self, name: str, data: Any) -> None:
        if self.enabled:
            write_atomic(self.folder / name, pickle.dumps((code_version(), data), protocol=pickle.HIGHEST_PROTOCOL))

    def clear(self) -> None:
        """Forget the outputs and parsed pages (the site is about to be rewritten without us)."""
        for name in ("pages.pickle", "bodies.pickle", "site.pickle", "catalog.pickle", "bodies.sqlite",
                     CHECK_MEMO, CHECK_MEMO + "-wal", CHECK_MEMO + "-shm", *(f"pages-{n:02d}.pickle" for n in range(SHARDS))):
            (self.folder / name).unlink(missing_ok=True)
        self.discard(self.folder / "previous-site")
        shutil.rmtree(self.folder / "layouts", ignore_errors=True)  # see compiled_layouts

    def discard(self, folder: Path) -> None:
        """Remove a folder of no further use (a stale previous site: thousands of files) without
        making the build wait: it is renamed into the cache's trash, emptied by `empty_trash` once
        the new site is in place (or by the next build, if this one is killed first)."""
        if not folder.exists():
            return
        trash = self.folder / "trash"
        try:
            trash.mkdir(parents=True, exist_ok=True)
            os.rename(folder, Path(tempfile.mkdtemp(prefix="old-", dir=trash)) / "tree")
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)

    def empty_trash(self) -> None:
        """Delete what `discard` set aside, in this process: no remover outlives the build."""
        trash = self.folder / "trash"
        if trash.is_dir():
            shutil.rmtree(trash, ignore_errors=True)

    def pages(self, key: bytes) -> dict[str, Page]:
        """Parsed pages by source path (each with when its shard was saved); a bad shard is just empty."""
        pages: dict[str, Page] = {}
        for n in range(SHARDS):
            data = self._load(f"pages-{n:02d}.pickle")
            if isinstance(data, tuple) and len(data) == 3 and data[0] == key:
                saved_ns = data[1]
                for source, (size, mtime_ns, digest, values) in data[2].items():
                    pages[source] = Page(size, mtime_ns, digest, unflat_brief(values), saved_ns)
        return pages

    def save_pages(self, key: bytes, pages: dict[str, Page], changed: Iterable[str]) -> None:
        """Rewrite the shards holding `changed` sources (new, edited or removed ones)."""
        dirty = {_shard(source) for source in changed}
        if not dirty:
            return
        shards: dict[int, dict[str, tuple]] = {n: {} for n in dirty}
        for source, page in pages.items():
            shard = shards.get(_shard(source))
            if shard is not None:
                shard[source] = (page.size, page.mtime_ns, page.digest, flat_brief(page.brief))
        now = time.time_ns()
        for n, shard in sorted(shards.items()):
            self._save(f"pages-{n:02d}.pickle", (key, now, shard))

    def compiled_layouts(self) -> Path | None:
        """Where this code version's compiled layouts are kept (a new Briefs or Jinja2 compiles them
        anew; other versions' are removed); None without a cache, or where the folder cannot be made."""
        if not self.enabled:
            return None
        folder = self.folder / "layouts" / code_version()[:16]
        try:
            if not folder.is_dir():
                shutil.rmtree(folder.parent, ignore_errors=True)
                folder.mkdir(parents=True)
        except OSError:
            return None
        return folder

    def bodies(self) -> BodyStore:
        return BodyStore(self.folder / "bodies.sqlite" if self.enabled else None)

    def catalog(self, key: bytes) -> Any:
        data = self._load("catalog.pickle")
        return data[1] if isinstance(data, tuple) and len(data) == 2 and data[0] == key else None

    def save_catalog(self, key: bytes, value: Any) -> None:
        self._save("catalog.pickle", (key, value))

    def previous(self, target: Path) -> Previous:
        """The last build's outputs, only if site/ is still the very folder that build swapped in."""
        data = self._load("site.pickle")
        if not isinstance(data, Previous):
            return Previous()
        if data.site is None or data.site != folder_identity(target):  # the shadow may still be of use
            return Previous(shadow=data.shadow, shadow_fingerprints=data.shadow_fingerprints)
        return data

    def save_previous(self, previous: Previous) -> None:
        self._save("site.pickle", previous)


SPILL = 2000  # conversions held in memory before they are written to the body cache


class BodyStore:
    """Markdown → HTML by hash of the Markdown, in SQLite: a build looks up only the few bodies it
    renders instead of loading all of them. Safe across fork: each process opens its own connection."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.readable = path is not None and path.exists()  # none yet (a cold build): no lookups, no race to create it
        self.new: dict[bytes, str] = {}
        self.stored: set[bytes] | None = None  # every key in the database, when known (see `refresh`): no lookup that misses
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._db is None or self._pid != os.getpid():
            self._pid = os.getpid()
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, isolation_level=None)
                self._db.execute("CREATE TABLE IF NOT EXISTS bodies (key BLOB PRIMARY KEY, version TEXT, html TEXT)")
            except sqlite3.Error as exc:
                log.warning("ignoring the body cache %s (%s)", self.path, exc)
                self.path = None
                return None
        return self._db

    def get(self, key: bytes, default: str | None = None) -> str | None:
        found = self.new.get(key)
        if found is not None:
            return found
        db = self._connect() if self.readable and (self.stored is None or key in self.stored) else None
        if db is None:
            return default
        try:
            row = db.execute("SELECT html FROM bodies WHERE key = ? AND version = ?", (key, code_version())).fetchone()
        except sqlite3.Error:
            return default
        return row[0] if row else default

    def __setitem__(self, key: bytes, html: str) -> None:
        self.new[key] = html

    def update(self, bodies: Mapping[bytes, str]) -> None:
        """Add conversions; many of them (a cold build of a large site) go to the database as they
        come, so the build never holds every page's HTML at once (100,000 briefs: ~300 MB)."""
        self.new.update(bodies)
        if len(self.new) >= SPILL and self._insert(list(self.new.items())):
            self.new.clear()
            self.readable = True

    def store_now(self, bodies: Mapping[bytes, str]) -> int:
        """Write conversions to the database at once (from another process: see `refresh`); how many."""
        return len(bodies) if self._insert(list(bodies.items())) else 0

    def refresh(self) -> None:
        """After another process wrote the database from nothing (a cold build's conversions done
        ahead): read which keys it holds, so a page whose body is not there does not ask."""
        db = self._connect() if self.path is not None and self.path.exists() else None
        try:
            self.stored = {key for (key,) in db.execute("SELECT key FROM bodies")} if db is not None else None
        except sqlite3.Error:
            self.stored = None
        self.readable = self.stored is not None

    def _insert(self, rows: list[tuple[bytes, str]]) -> bool:
        db = self._connect()
        if db is None:
            return False
        try:
            with db:
                db.execute("BEGIN")
                db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?)", [(k, code_version(), v) for k, v in rows])
        except sqlite3.Error as exc:
            log.warning("could not update the body cache %s (%s)", self.path, exc)
            return False
        if self.stored is not None:
            self.stored.update(k for k, _ in rows)
        return True

    def save(self, wanted: int, keep: Callable[[], Iterable[bytes]]) -> None:
        """Store the new conversions (all of this build's Markdown); when the table holds many more than
        the `wanted` bodies, drop those of Markdown no brief (`keep()`) has any more."""
        if not self.new or not self._insert(list(self.new.items())):
            return
        db = self._connect()
        try:
            if db is not None and db.execute("SELECT count(*) FROM bodies").fetchone()[0] > 2 * wanted + 100:
                kept = set(keep())
                with db:
                    db.execute("BEGIN")
                    db.executemany("DELETE FROM bodies WHERE key = ?", [(k,) for (k,) in db.execute("SELECT key FROM bodies") if k not in kept])
        except sqlite3.Error as exc:
            log.warning("could not update the body cache %s (%s)", self.path, exc)
        self.new.clear()


def quick_key(cfg: Config, pages: Mapping[str, tuple[int, int]], layouts: Iterable[Path]) -> bytes:
    """Everything a build reads, by file stats: equal keys (and an intact site/) mean nothing to do."""
    stats = [(str(p), stat_key(p)) for p in layouts]
    return _hash(code_version().encode(), settings_key(cfg), repr(sorted(pages.items())).encode(), repr(stats).encode(),
                 os.environ.get("SOURCE_DATE_EPOCH", "").encode())


# ---------------------------------------------------------------- fingerprints


_PLAIN = frozenset({str, int, float, bool})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


class Fingerprints:
    """A 16-byte digest of every input of each page: the template variables (briefs by content), the
    layouts, the settings and the code. Equal fingerprints mean equal bytes, so the page is reused."""

    def __init__(self, cfg: Config, renderer: Renderer, known: Mapping[int, tuple[Any, bytes]], layouts: list[Path]) -> None:
        # `known`: id → (object, digest) worked out already, e.g. each brief from its file's hash
        self.memo: dict[int, bytes] = {key: digest for key, (_, digest) in known.items()}
        self.keep: list[Any] = [value for value, _ in known.values()]  # so no id() is reused meanwhile
        uses_site = self._templates_use_site(renderer.env)
        globals_ = [(k, v) for k, v in sorted(renderer.env.globals.items())
                    if not callable(v) and (uses_site or not isinstance(v, Site))]
        # static files are Outputs with their own fingerprint; every other layout file may be a template
        templates = [str(p).encode() + b"\0" + p.read_bytes() for p in layouts if p.parent.name != "static"]
        self.base = _hash(code_version().encode(), settings_key(cfg), *templates,
                          *(k.encode() + self.value(v) for k, v in globals_))

    @staticmethod
    def _templates_use_site(env: jinja2.Environment) -> bool:
        """A layout that reads the `site` global depends on every brief: then every page does."""
        for name in env.list_templates():
            try:
                source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
                if not any(kind == "name" and value == "site" for _, kind, value in env.lex(source)):
                    continue  # no such name at all (lexing is 5 times quicker than parsing)
                if "site" in jinja2.meta.find_undeclared_variables(env.parse(source)):
                    return True
            except jinja2.TemplateError:
                return True  # it will fail to render anyway; be conservative
        return False

    def value(self, value: Any) -> bytes:
        kind = type(value)
        if value is None or kind in _PLAIN:
            return _hash(kind.__name__.encode(), repr(value).encode("utf-8", "surrogatepass"))
        key = id(value)
        known = self.memo.get(key)
        if known is not None:
            return known
        if isinstance(value, Brief):
            digest = _hash(b"Brief", repr(value).encode("utf-8", "surrogatepass"))
        elif isinstance(value, (list, tuple, range)):
            if all(type(v) in _PLAIN for v in value):  # e.g. a tag's brief numbers: one hash, not one per item
                digest = _hash(b"[=", repr(list(value)).encode("utf-8", "surrogatepass"))
            else:  # most items (briefs) are known already: look them up without a call
                memo = self.memo
                digest = _hash(b"[", *[memo.get(id(v)) or self.value(v) for v in value])
        elif isinstance(value, Mapping):
            digest = _hash(b"{", *(self.value(k) + self.value(v) for k, v in value.items()))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = _FIELD_NAMES.get(kind)
            if names is None:
                names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
            digest = _hash(kind.__name__.encode(), *(self.value(getattr(value, name)) for name in names))
        else:
            digest = _hash(kind.__name__.encode(), repr(value).encode())
        self.memo[key] = digest
        self.keep.append(value)
        return digest

    def of_plan(self, plan: Iterable[Job | Unchanged | Output], earlier: Mapping[str, bytes]) -> dict[str, bytes]:
        """Every output's fingerprint, by path; an Unchanged page keeps its `earlier` one."""
        prints = {}
        for item in plan:
            if type(item) is Unchanged:
                old = earlier.get(item.path)
                prints[item.path] = old if old is not None else self.of(item.make())
            else:
                prints[item.path] = self.of(item)
        return prints

    def of(self, item: Job | Output) -> bytes:
        if isinstance(item, Output):
            return _hash(b"file", item.body)
        brief = item.context.get("brief")
        if item.markdown is None:
            markdown_key = b"-"
        elif isinstance(brief, Brief) and item.markdown is brief.body:
            markdown_key = b"=brief"  # the brief's own fingerprint covers its body
        else:
            markdown_key = text_key(item.markdown)
        return _hash(self.base, item.kind.encode(), item.path.encode(), markdown_key,
                     *(k.encode() + self.value(v) for k, v in item.context.items()))
