"""The package's folders are its layers, and a lower layer never imports a higher one: the
maths knows nothing of files or sheets, the sheets' descriptions nothing of how they are
written, and only the command line knows the command line."""

import ast
from pathlib import Path

import sheetgen

LAYERS = ("errors", "maths", "inputs", "sheets", "writing", "engines",
          "options", "summaries", "api", "cli")
"""From the bottom up; `options`, `summaries` and `api` are the Python API's layer."""
API = ("options", "summaries", "api")
PACKAGE = Path(sheetgen.__file__).parent


def layer(module: str) -> int:
    """The layer of a module of the package, by its first name after `sheetgen.`."""
    name = module.split(".")[1]
    return LAYERS.index("api" if name in API else name)


def modules() -> dict[str, Path]:
    """Every module of the package but its entry points, by its dotted name."""
    found = {".".join(("sheetgen", *path.relative_to(PACKAGE).with_suffix("").parts)): path
             for path in PACKAGE.rglob("*.py")}
    return {name: path for name, path in found.items()
            if name not in ("sheetgen.__init__", "sheetgen.__main__")}


def imported(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return {module for module in modules if module.startswith("sheetgen.")}


def test_every_module_is_in_a_layer():
    assert [module for module in modules() if module.split(".")[1] not in LAYERS] == []


def test_no_layer_imports_a_higher_one():
    upward = [f"{module} imports {other}" for module, path in modules().items()
              for other in imported(path) if layer(other) > layer(module)]
    assert upward == []


def test_the_maths_reads_and_writes_nothing():
    for path in (PACKAGE / "maths").glob("*.py"):
        names = {alias.name.split(".")[0] for node in ast.walk(ast.parse(path.read_text()))
                 if isinstance(node, ast.Import | ast.ImportFrom)
                 for alias in (node.names if isinstance(node, ast.Import)
                               else [ast.alias(node.module or "")])}
        assert not names & {"io", "os", "pathlib", "csv", "json", "zipfile", "openpyxl",
                            "subprocess"}, path.name
