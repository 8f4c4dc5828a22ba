"""Write Outputs into a fresh folder beside site/, then swap it in: a failed or killed build
never leaves a half-built or mixed site."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import posixpath
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from .errors import BriefsError, OutputCollision
from .model import Output

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2


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


def swap_in(staging: Path, target: Path) -> None:
    """Make `staging` the new `target`; the old target is removed afterwards."""
    if target.exists():
        if _exchange(staging, target):
            shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old site
            return
        previous = target.with_name(f".{target.name}.previous")
        shutil.rmtree(previous, ignore_errors=True)
        os.replace(target, previous)
        os.replace(staging, target)
        shutil.rmtree(previous, ignore_errors=True)
    else:
        os.replace(staging, target)


def staging_dir(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))


def write_tree(outputs: Iterable[Output], folder: Path) -> int:
    """Write every output under folder, refusing two outputs that claim one path."""
    seen: set[str] = set()
    made: set[Path] = set()
    for output in outputs:
        rel = safe_relative(output.path)
        if rel in seen:
            raise OutputCollision(f"two pages would both be written to {rel}; give one of them another slug")
        seen.add(rel)
        path = folder / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(output.body)
    return len(seen)


def write_site(outputs: Iterable[Output], target: Path, verify: Callable[[Path], None] | None = None) -> int:
    """Build the whole site in a staging folder, then swap it in; on any error the old site stays.

    `verify` (the site check) sees the complete staging folder before the swap: if it raises,
    nobody ever sees the new site.
    """
    recover(target)
    staging = staging_dir(target)
    try:
        count = write_tree(outputs, staging)
        if verify is not None:
            verify(staging)
        os.chmod(staging, 0o755)
        swap_in(staging, target)
        return count
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BriefsError(f"cannot write the site: {exc.strerror or exc}; the previous site was left as it was",
                          exc.filename or target) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
