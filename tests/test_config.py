from pathlib import Path

import pytest

from briefs.config import Config, load_config, validate
from briefs.errors import ConfigError


def write_pyproject(root: Path, body: str) -> None:
    (root / "pyproject.toml").write_text("[tool.briefs]\n" + body, encoding="utf-8")


def test_defaults_without_pyproject(tmp_path: Path) -> None:
    cfg = load_config(tmp_path)
    assert cfg.title == "Briefs" and cfg.page_size == 10 and cfg.timezone == "UTC"
    assert cfg.path("output_dir") == (tmp_path / "site").resolve()


def test_pyproject_settings_are_read_and_cli_wins(tmp_path: Path) -> None:
    write_pyproject(tmp_path, 'title = "Daily"\npage_size = 3\nbase_url = "https://a.org/"\n')
    cfg = load_config(tmp_path, {"base_url": "https://b.org/news/", "page_size": None})
    assert cfg.title == "Daily" and cfg.page_size == 3
    assert cfg.base_url == "https://b.org/news/"


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    write_pyproject(tmp_path, 'page_sise = 3\npage_size = "ten"\ntimezone = "Mars/Base"\n')
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    message = str(err.value)
    assert "page_sise" in message and "did you mean 'page_size'" in message
    assert "'page_size' must be an integer" in message
    assert "Mars/Base" in message
    assert "pyproject.toml" in message


def test_bool_is_not_accepted_as_integer() -> None:
    with pytest.raises(ConfigError, match="page_size"):
        validate({"page_size": True}, "x")


@pytest.mark.parametrize("base_url, base_path, absolute", [
    ("", "/", ""),
    ("https://example.org", "/", "https://example.org/"),
    ("https://example.org/news", "/news/", "https://example.org/news/"),
    ("https://example.org/a/b/", "/a/b/", "https://example.org/a/b/"),
    ("/news/", "/news/", ""),
])
def test_base_path(base_url: str, base_path: str, absolute: str) -> None:
    cfg = Config(base_url=base_url)
    assert cfg.base_path == base_path
    assert cfg.absolute_base == absolute


def test_bad_base_url_rejected() -> None:
    with pytest.raises(ConfigError, match="base_url"):
        validate({"base_url": "javascript:alert(1)"}, "x")
