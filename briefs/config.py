"""Settings: `[tool.briefs]` in pyproject.toml, overridden by command-line flags."""

from __future__ import annotations

import dataclasses
import difflib
import logging
import tomllib
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Config:
    root: Path = Path(".")
    title: str = "Briefs"
    description: str = "News briefs"
    base_url: str = ""  # e.g. "https://example.org/news/"; "" means relative URLs only
    language: str = "en"
    timezone: str = "UTC"
    page_size: int = 10
    feed_size: int = 50
    related_count: int = 5
    content_dir: str = "content"
    seeds_dir: str = "seeds"
    layouts_dir: str = "layouts"
    output_dir: str = "site"
    cache_dir: str = ".briefs-cache"
    taxonomy_file: str = "taxonomy.yml"
    drafts: bool = False
    future: bool = False
    search: bool = True
    check: bool = True
    cache: bool = True
    now: str = ""  # ISO datetime; "" means the current time

    def path(self, name: str) -> Path:
        """An absolute folder from a setting that may be relative to the project root."""
        return (self.root / getattr(self, name)).resolve()

    @property
    def base_path(self) -> str:
        """The URL path every internal link starts with: "/" or "/news/"."""
        path = urlsplit(self.base_url).path if self.base_url else "/"
        return "/" + path.strip("/") + "/" if path.strip("/") else "/"

    @property
    def absolute_base(self) -> str:
        """scheme://host/path/ when base_url names a host, else ""."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}{self.base_path}" if parts.scheme and parts.netloc else ""

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


# Keys users may set in [tool.briefs]; root, drafts/future and now are command-line only.
_SETTABLE = {f.name: f for f in dataclasses.fields(Config) if f.name not in {"root", "now"}}


def _type_name(kind: type) -> str:
    return {str: "a string", int: "an integer", bool: "true or false"}[kind]


def validate(settings: dict[str, Any], source: str) -> dict[str, Any]:
    """Check every key and type at once, so a user fixes all mistakes in one go."""
    problems: list[str] = []
    clean: dict[str, Any] = {}
    for key, value in settings.items():
        field = _SETTABLE.get(key)
        if field is None:
            near = difflib.get_close_matches(key, _SETTABLE, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else f" (known keys: {', '.join(sorted(_SETTABLE))})"
            problems.append(f"unknown key '{key}'{hint}")
            continue
        kind = type(field.default)
        if type(value) is not kind:  # bool is an int subclass: compare exactly
            problems.append(f"'{key}' must be {_type_name(kind)}, not {type(value).__name__} {value!r}")
            continue
        clean[key] = value
    for key in ("page_size", "feed_size"):
        if key in clean and clean[key] < 1:
            problems.append(f"'{key}' must be at least 1, not {clean[key]}")
    if "timezone" in clean:
        try:
            zoneinfo.ZoneInfo(clean["timezone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            problems.append(f"'timezone' must be an IANA name such as 'Europe/London', not {clean['timezone']!r}")
    if clean.get("base_url"):
        parts = urlsplit(clean["base_url"])
        if parts.scheme not in ("http", "https", "") or (parts.scheme and not parts.netloc):
            problems.append(f"'base_url' must look like 'https://example.org/news/', not {clean['base_url']!r}")
    if problems:
        raise ConfigError("; ".join(problems), source)
    return clean


def load_config(root: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Read [tool.briefs] from root/pyproject.toml (if any), then apply command-line overrides."""
    root = root.resolve()
    settings: dict[str, Any] = {}
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot parse TOML: {exc}", pyproject) from None
        section = data.get("tool", {}).get("briefs", {})
        if not isinstance(section, dict):
            raise ConfigError("[tool.briefs] must be a table", pyproject)
        settings = validate(section, f"{pyproject} [tool.briefs]")
    cli = {k: v for k, v in (overrides or {}).items() if v is not None}
    settings.update(validate({k: v for k, v in cli.items() if k != "now"}, "command line"))
    if "now" in cli:
        settings["now"] = cli["now"]
    cfg = Config(root=root, **settings)
    _check_output_folder(cfg)
    return cfg


def _check_output_folder(cfg: Config) -> None:
    """The site folder is replaced wholesale on every build: it must never be, or hold, the project's sources."""
    output = cfg.path("output_dir")
    sources = [cfg.root] + [cfg.path(name) for name in ("content_dir", "seeds_dir", "layouts_dir", "cache_dir")]
    for folder in sources:
        if folder == output or folder.is_relative_to(output):
            raise ConfigError(f"'output_dir' {cfg.output_dir!r} would replace {folder} on every build; "
                              "choose a folder of its own, such as 'site'", "output_dir")
