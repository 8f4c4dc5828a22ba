"""The package reads top to bottom: a module imports only modules listed above it."""

import ast
from pathlib import Path

ORDER = ["errors", "config", "model", "text", "dates", "tags", "credits", "ingest", "content", "catalog", "render",
         "publish", "cache", "output", "check", "pipeline", "serve", "cli"]
PACKAGE = Path(__file__).resolve().parent.parent / "briefs"


def imported_siblings(path: Path) -> set[str]:
    """Siblings named by relative (`from .tags import`) and absolute (`from briefs.tags import`) imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 1:
            module = node.module or ""
        elif node.level == 0 and (node.module == "briefs" or (node.module or "").startswith("briefs.")):
            module = (node.module or "").removeprefix("briefs").lstrip(".")
        else:
            continue
        found.add(module.split(".")[0])
        if not module:
            found.update(alias.name for alias in node.names)
    return found - {"", "__version__"}


def test_modules_import_only_earlier_stages() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    unknown = modules - set(ORDER)
    assert not unknown, f"add {unknown} to ORDER in pipeline order"
    for name in modules:
        later = {m for m in imported_siblings(PACKAGE / f"{name}.py") if m in ORDER and ORDER.index(m) >= ORDER.index(name)}
        assert not later, f"{name}.py imports {later}, which come after it"
