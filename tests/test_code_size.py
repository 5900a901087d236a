"""The code holds itself to a size a reader can take in: no function of the package over 60
lines, no module over 450 (the argparse declarations included), no line of it or of its tests
over 100 characters."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
MODULES = sorted((ROOT / "sheetgen").rglob("*.py"))
MOST_FUNCTION_LINES, MOST_MODULE_LINES, MOST_LINE_CHARACTERS = 60, 450, 100


def test_there_are_modules_to_measure():
    assert len(MODULES) > 50


@pytest.mark.parametrize("module", MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_module_and_its_functions_are_short(module):
    text = module.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MOST_MODULE_LINES
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > MOST_FUNCTION_LINES]
    assert long == []


def test_no_line_is_over_100_characters():
    files = [*MODULES, *sorted((ROOT / "tests").glob("*.py")),
             *sorted((ROOT / "benchmarks").glob("*.py"))]
    long = [f"{path.relative_to(ROOT)}:{number}" for path in files
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if len(line) > MOST_LINE_CHARACTERS]
    assert long == []
