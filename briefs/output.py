"""Write Outputs into a fresh folder beside site/, then swap it in: a failed or killed build
never leaves a half-built or mixed site."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import logging
import multiprocessing
import os
import posixpath
import shutil
import tempfile
import time
from pathlib import Path
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Collection, Iterable, Iterator, Mapping, Sequence, TypeVar

from .errors import BriefsError, OutputCollision
from .model import Output
from .render import Job, Renderer, Unchanged

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2
T = TypeVar("T")
R = TypeVar("R")


def usable_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Consecutive slices of `size` items: the units of work a pool's workers take."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def can_fork(workers: int, items: int, minimum: int) -> bool:
    """Whether `items` are worth a pool of forked workers (starting one costs more than a few items)."""
    return workers > 1 and items >= minimum and "fork" in multiprocessing.get_all_start_methods()


_FORKED: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # what forked workers are to run (see _handed_down)


def _run_forked(index: int) -> Any:
    """In a worker: the chunk `index` of the work it inherited."""
    assert _FORKED is not None
    func, chunks = _FORKED
    return func(chunks[index])


@contextlib.contextmanager
def _handed_down(func: Callable[[Any], Any], chunks: Sequence[Any]) -> Iterator[None]:
    """Workers forked meanwhile inherit func and chunks with the rest of this process's memory:
    nothing is pickled but chunk numbers and results, and func may be any closure."""
    global _FORKED
    _FORKED = (func, chunks)
    try:
        yield
    finally:
        _FORKED = None


def fork_map(func: Callable[[T], R], chunks: Sequence[T], workers: int) -> Iterator[R]:
    """func over chunks in forked workers, results in order, each let go of once read. A worker's
    error (a BriefsError keeps its path and line through pickling) is raised here."""
    # Objects made so far are left out of the workers' garbage collections: a collection writes to
    # every object it scans, which would make each forked worker copy the parent's heap page by page.
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            with _handed_down(func, chunks):
                results = pool.map(_run_forked, range(len(chunks)))  # submits every chunk: the workers fork here
            yield from results
    finally:
        gc.unfreeze()


class WorkAhead:
    """func over chunks in one forked worker while this process goes on with serial work, which would
    leave a core idle (a cold build's catalog and plan); `take` stops it and returns the results of
    the chunks done by then, in order. A chunk that failed is left out: the work is only ahead of
    its time, whoever needs it later does it again (and reports its error)."""

    def __init__(self, func: Callable[[Any], Any], chunks: Sequence[Any]) -> None:
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        with _handed_down(func, chunks):
            self.futures = [self.pool.submit(_run_forked, n) for n in range(len(chunks))]  # the first forks the worker

    def take(self) -> list[Any]:
        for future in self.futures:
            future.cancel()  # those the worker has not started
        done = []
        for future in self.futures:
            if not future.cancelled():
                try:
                    done.append(future.result())
                except Exception:  # noqa: BLE001 (see the class docstring)
                    log.debug("work done ahead failed", exc_info=True)
        self.pool.shutdown()
        return done

    def __enter__(self) -> WorkAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(cancel_futures=True)


def safe_relative(path: str) -> str:
    """Refuse output paths that are absolute or climb out of the output folder."""
    norm = posixpath.normpath(path)
    if path.startswith("/") or norm.startswith("..") or "\\" in path or "\x00" in path or norm in ("", "."):
        raise OutputCollision(f"output path {path!r} would be written outside the site folder")
    return norm


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def recover(target: Path) -> None:
    """Finish a swap a killed build left half done: put the previous site back if site/ is missing."""
    previous = target.with_name(f".{target.name}.previous")
    if not target.exists() and previous.is_dir():
        os.replace(previous, target)
        log.warning("restored %s from an interrupted build", target)
    elif previous.exists():
        shutil.rmtree(previous, ignore_errors=True)
    for stale in target.parent.glob(f".{target.name}.build-*"):
        shutil.rmtree(stale, ignore_errors=True)


def swap_in(staging: Path, target: Path, keep: Path | None = None) -> bool:
    """Make `staging` the new `target`; the old target is moved to `keep` (True) or removed."""
    if target.exists():
        if _exchange(staging, target):
            return _keep_or_remove(staging, keep)  # staging now holds the old site
        previous = target.with_name(f".{target.name}.previous")
        shutil.rmtree(previous, ignore_errors=True)
        os.replace(target, previous)
        os.replace(staging, target)
        return _keep_or_remove(previous, keep)
    os.replace(staging, target)
    return False


def _keep_or_remove(old: Path, keep: Path | None) -> bool:
    if keep is not None:
        try:
            os.rename(old, keep)
            return True
        except OSError:  # another file system, or something in the way
            pass
    shutil.rmtree(old, ignore_errors=True)
    return False


@dataclass(frozen=True)
class Shadow:
    """An earlier site's tree (what each of its files' fingerprint is) that a build may turn into the
    new site by changing only what differs, instead of hard-linking every file into a fresh tree."""

    folder: Path
    holds: Mapping[str, bytes]  # path → fingerprint of the file the shadow has there
    wanted: Mapping[str, bytes]  # path → fingerprint of the file the new site needs


def _take_shadow(shadow: Shadow | None, target: Path) -> Path | None:
    """Move the shadow to a staging name (a killed build's staging folder is removed by recover)."""
    if shadow is None or not shadow.folder.is_dir():
        return None
    staging = target.with_name(f".{target.name}.build-{os.getpid()}-shadow")
    try:
        os.rename(shadow.folder, staging)
    except OSError:
        return None
    return staging


def _update_shadow(items: list[Output | Job | Unchanged], written: Written, shadow: Shadow, staging: Path, target: Path,
                   reuse: Collection[str]) -> list[Job]:
    """Turn the shadow (now in `staging`) into the new tree; return the Jobs left to render.

    A file the shadow already holds with the wanted fingerprint stays as it is (when site/ has the
    same, it is the very same inode: both were linked from one file); one site/ has is linked from
    there; anything else is written afresh. A file is never written in place: it may share its inode
    with site/.
    """
    holds, wanted = shadow.holds, shadow.wanted
    shutil.rmtree(staging / "pagefind", ignore_errors=True)  # the search index is rebuilt over the whole site
    new_paths = set(written.paths)
    for rel in sorted(set(holds) - new_paths, reverse=True):
        _remove(staging, rel)
    made: set[str] = set()
    jobs: list[Job] = []
    staged, live = os.fspath(staging), os.fspath(target)  # (strings: see _place)
    for item, rel in zip(items, written.paths):
        had = holds.get(rel)
        if had is not None and had == wanted.get(rel):
            (written.reused if rel in reuse else written.rendered).append(rel)
            continue
        if had is not None:
            os.unlink(os.path.join(staged, rel))
        else:
            folder = posixpath.dirname(rel)
            if folder and folder not in made:
                os.makedirs(os.path.join(staged, folder), exist_ok=True)
                made.add(folder)
        _place(item, rel, staged, live, reuse, written, jobs)
    return jobs


def _place(item: Output | Job | Unchanged, rel: str, staging: str, target: str, reuse: Collection[str], written: Written,
           jobs: list[Job]) -> None:
    """Link an unchanged file from site/, write a ready Output, or queue a Job for the renderers.
    (The folders are strings: a Path per file cost more than the link itself.)"""
    if rel in reuse and _link(os.path.join(target, rel), os.path.join(staging, rel)):
        written.reused.append(rel)
    elif isinstance(item, (Job, Unchanged)):
        jobs.append(replace(item.make() if isinstance(item, Unchanged) else item, path=rel))
    else:
        with open(os.path.join(staging, rel), "wb") as handle:
            handle.write(item.body)
        written.rendered.append(rel)


def _remove(staging: Path, rel: str) -> None:
    """Remove a file the new site does not have, and the folders it leaves empty."""
    try:
        os.unlink(staging / rel)
    except FileNotFoundError:
        pass
    folder = posixpath.dirname(rel)
    while folder:
        try:
            os.rmdir(staging / folder)
        except OSError:  # not empty (or gone)
            break
        folder = posixpath.dirname(folder)


def staging_dir(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))


@dataclass
class Written:
    """What write_site put in the new site: every path, which were rendered afresh and which reused."""

    paths: list[str] = field(default_factory=list)  # in plan order
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)  # hard links to the previous site's files: same bytes, inode, mtime
    kept_old: bool = False  # the previous site was moved to write_site's `keep_old` (not removed)


def write_site(outputs: Iterable[Output | Job | Unchanged], target: Path, verify: Callable[[Path], None] | None = None,
               finish: Callable[[Path], None] | None = None, *, renderer: Renderer | None = None,
               reuse: Collection[str] = (), workers: int = 1,
               progress: Callable[[int, int], None] | None = None,
               shadow: Shadow | None = None, keep_old: Path | None = None) -> Written:
    """Build the whole site in a staging folder, then swap it in; on any error the old site stays.

    `outputs` are ready-made files or Jobs that `renderer` renders (in `workers` processes when
    there are many). Paths in `reuse` are hard-linked from the current site instead: their bytes,
    inode and mtime do not change, so deploy tools see nothing new.

    `finish` (the search index) adds files to the complete staging folder before `verify` runs.

    `verify` (the site check) sees the complete staging folder before the swap: if it raises,
    nobody ever sees the new site.

    With a `shadow` (an earlier site, see Shadow) the new tree is made from it by changing only what
    differs; after the swap the old site is moved to `keep_old` (the next build's shadow) rather
    than removed. Either way saves a syscall or two per file of the site.
    """
    try:
        recover(target)
    except OSError as exc:
        raise _write_error(exc, target) from None
    items = list(outputs)
    written = Written(paths=[safe_relative(item.path) for item in items])
    if len(set(written.paths)) != len(written.paths):
        seen: set[str] = set()
        clash = next(p for p in written.paths if p in seen or seen.add(p))  # type: ignore[func-returns-value]
        raise OutputCollision(f"two pages would both be written to {clash}; give one of them another slug")
    base = _take_shadow(shadow, target)
    try:
        staging = base or staging_dir(target)
    except OSError as exc:  # a read-only or full disk: nothing was touched
        raise _write_error(exc, target) from None
    try:
        jobs: list[Job] = []
        if base is not None and shadow is not None:
            jobs = _update_shadow(items, written, shadow, staging, target, reuse)
        else:
            # folders of pages to render are made by whoever renders them (on every core)
            files = [rel for item, rel in zip(items, written.paths) if isinstance(item, Output) or rel in reuse]
            into, source = os.fspath(staging), os.fspath(target)
            for folder in sorted({posixpath.dirname(p) for p in files} - {""}):  # (a parent sorts before its children)
                try:
                    os.mkdir(os.path.join(into, folder))
                except FileExistsError:
                    pass
                except FileNotFoundError:  # its parent holds no file of its own
                    os.makedirs(os.path.join(into, folder), exist_ok=True)
            for item, rel in zip(items, written.paths):
                _place(item, rel, into, source, reuse, written, jobs)
        if jobs:
            if renderer is None:
                raise TypeError("write_site got Jobs but no renderer")
            render_jobs(renderer, jobs, staging, workers, progress)
            written.rendered += [job.path for job in jobs]
        if finish is not None:
            finish(staging)
        if verify is not None:
            verify(staging)
        os.chmod(staging, 0o755)
        written.kept_old = swap_in(staging, target, keep_old)
        return written
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _write_error(exc, target) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_error(exc: OSError, target: Path) -> BriefsError:
    return BriefsError(f"cannot write the site: {exc.strerror or exc}; the previous site was left as it was",
                       exc.filename or target)


def _link(source: str, dest: str) -> bool:
    """Put the previous site's file into the new tree without copying; False if it is gone."""
    try:
        os.link(source, dest, follow_symlinks=False)
    except FileNotFoundError:
        return False
    except OSError:  # a file system without hard links: a copy keeps bytes and mtime
        try:
            shutil.copy2(source, dest)
        except FileNotFoundError:
            return False
    return True


# ---------------------------------------------------------------- rendering on every core

POOL_MIN = 300  # pages to render: below this, starting worker processes costs more than it saves


def _write_new(folder: Path, output: Output) -> None:
    """Write a rendered page, making its folder if it is not there yet."""
    path = os.path.join(folder, output.path)
    try:
        handle = open(path, "wb")
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle = open(path, "wb")
    with handle:
        handle.write(output.body)


def _render_chunk(renderer: Renderer, folder: Path, jobs: list[Job]) -> dict[bytes, str]:
    """In a worker: render and write some jobs; return the Markdown it converted."""
    renderer.keep_bodies = False  # each page converts its own body; the parent keeps them (memory at 100,000 briefs)
    for job in jobs:
        _write_new(folder, renderer.render(job))
    return renderer.take_new_bodies()


def render_jobs(renderer: Renderer, jobs: list[Job], folder: Path, workers: int = 1,
                progress: Callable[[int, int], None] | None = None) -> None:
    """Render jobs into folder: pages first, then files made from them (feeds reuse the pages' Markdown).

    Many jobs go to a pool of forked workers, each with its own Markdown converter and compiled
    templates; every file's bytes are the same whichever process renders it.
    """
    late = set(renderer.producers)
    phases = [[j for j in jobs if j.kind not in late], [j for j in jobs if j.kind in late]]
    use_pool = can_fork(workers, len(jobs), POOL_MIN)
    done = 0
    for phase in phases:
        if not phase:
            continue
        started = time.perf_counter()
        if use_pool:
            done = _render_in_pool(renderer, phase, folder, workers, progress, done, len(jobs))
        else:
            for job in phase:
                _write_new(folder, renderer.render(job))
                done += 1
                if progress and done % 100 == 0:
                    progress(done, len(jobs))
        log.debug("rendered %d %s in %.2f s", len(phase), "files made from pages" if phase[0].kind in late else "pages",
                  time.perf_counter() - started)


def _render_in_pool(renderer: Renderer, phase: list[Job], folder: Path, workers: int,
                    progress: Callable[[int, int], None] | None, done: int, total: int) -> int:
    renderer.warm()  # compile every template once, before the fork
    size = max(8, min(200, len(phase) // (workers * 8) or 1))
    chunks = chunked(phase, size)
    for chunk, new in zip(chunks, fork_map(functools.partial(_render_chunk, renderer, folder), chunks, workers)):
        renderer.add_bodies(new)  # the build cache keeps them (not this function: memory)
        done += len(chunk)
        if progress:
            progress(done, total)
    return done
