"""User-facing errors: each names the file (and line, where known) and says how to fix it."""

from __future__ import annotations

from pathlib import Path


class BriefsError(Exception):
    """A mistake in the user's input; the CLI prints it as one line and exits 1."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


class ConfigError(BriefsError):
    """Bad `[tool.briefs]` settings or command-line options."""


class SeedError(BriefsError):
    """A seed that cannot be read as text."""


class ContentError(BriefsError):
    """A content page whose front matter is missing, malformed or invalid."""


class TemplateError(BriefsError):
    """A layout that does not compile or references an unknown variable."""


class OutputCollision(BriefsError):
    """Two outputs claim the same path, or a path would escape the output folder."""


class CheckError(BriefsError):
    """The built site failed `check` (broken links, invalid HTML, foreign or unsafe resources)."""

    def __init__(self, message: str, problems: tuple[str, ...] = (), path: str | Path | None = None) -> None:
        super().__init__(message, path)
        self.problems = problems
