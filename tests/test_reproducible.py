"""The same options give the same bytes whether or not lxml is installed.

openpyxl writes its XML with lxml when it can, and the bytes differ; sheetgen makes it write
with the standard library always. Each workbook is generated twice, in fresh processes: once
where lxml can be imported, once with it hidden.
"""

import os
import subprocess
import sys

import pytest
from helpers import require_module

COMMANDS = {
    "article": [],
    "rust-preset": ["--preset", "rust", "--attempts", "3000"],
    "xor": ["network", "--preset", "xor", "--attempts", "200"],
    "xor-adam": ["network", "--preset", "xor", "--optimizer", "adam", "--attempts", "200"],
    "article-rmsprop": ["--optimizer", "rmsprop", "--attempts", "100"],
    "iris-one-sample": ["network", "--preset", "iris", "--batch", "1", "--attempts", "10"],
    "xor-cross-entropy-one-sample": ["network", "--activation", "tanh,sigmoid", "--loss",
                                     "cross-entropy", "--batch", "1", "--attempts", "100"],
    "iris-in-sevens-with-adam": ["network", "--preset", "iris", "--activation", "tanh,softmax",
                                 "--loss", "cross-entropy", "--batch", "7", "--optimizer",
                                 "adam", "--shuffle", "--attempts", "30"],
    "xor-l2-l1-decaying": ["network", "--preset", "xor", "--l2", "0.01", "--l1", "0.001",
                           "--lr-decay", "0.5", "--lr-decay-every", "20", "--attempts", "100"],
    "overfit-with-l2-in-fives": ["network", "--preset", "overfit", "--l2", "0.02", "--batch",
                                 "5", "--shuffle", "--attempts", "8"],
    "spiral-features-softmax-boundary": ["network", "--data", "spiral", "--samples", "20",
                                         "--features", "x1,x2,sin(x1),x1*x2", "--layers",
                                         "4,3,2", "--activation", "tanh,softmax", "--loss",
                                         "cross-entropy", "--test-fraction", "0.25", "--grid",
                                         "6", "--show-attempt", "3", "--attempts", "5"],
    "article-exercise-self-checked": ["exercise", "--blank", "backward,update", "--self-check",
                                      "--attempts", "40"],
    "xor-exercise": ["exercise", "network", "--preset", "xor", "--blank", "forward,δ h1",
                     "--rows", "2", "--attempts", "40"],
}

HIDE_LXML = "import sys; sys.modules['lxml'] = None; "


@pytest.fixture(scope="module")
def lxml_installed():
    return require_module("lxml", "lxml")


def fresh_python(code: str) -> subprocess.CompletedProcess:
    """Python in a process whose environment does not choose for openpyxl (this one's does:
    it imported sheetgen)."""
    environment = {name: value for name, value in os.environ.items()
                   if name != "OPENPYXL_LXML"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, env=environment)


def sheetgen(arguments: list[str], prelude: str = "") -> subprocess.CompletedProcess:
    return fresh_python(f"{prelude}import sys; from sheetgen.cli import main; "
                        f"sys.exit(main({arguments!r}))")


@pytest.mark.parametrize("name", COMMANDS)
def test_the_same_bytes_with_and_without_lxml(lxml_installed, tmp_path, name):
    with_lxml, without = tmp_path / "with-lxml.xlsx", tmp_path / "without-lxml.xlsx"
    for path, prelude in ((with_lxml, ""), (without, HIDE_LXML)):
        finished = sheetgen([*COMMANDS[name], "-o", str(path), "-q"], prelude)
        assert finished.returncode == 0, finished.stderr
    assert with_lxml.read_bytes() == without.read_bytes()


def test_openpyxl_would_write_with_lxml_but_for_sheetgen(lxml_installed):
    """The proof that the test above tests something: imported first, openpyxl takes lxml."""
    assert fresh_python("import openpyxl; print(openpyxl.LXML)").stdout == "True\n"


def test_writing_is_refused_when_openpyxl_came_first_with_lxml(lxml_installed, tmp_path):
    target = tmp_path / "never.xlsx"
    finished = sheetgen(["-o", str(target)], prelude="import openpyxl; ")
    assert finished.returncode == 1
    assert finished.stderr == ("sheetgen: error: openpyxl was imported before sheetgen and "
                               "writes with lxml, which changes the workbook's bytes: import "
                               "sheetgen first, or set OPENPYXL_LXML=False\n")
    assert not target.exists()


def test_the_command_leaves_numpy_out_and_importable():
    """numpy, installed here for the tests, would only make openpyxl accept numpy's numbers,
    at 14 MB of memory in each of the command's two processes (see sheetgen/cli/imports.py)."""
    require_module("numpy", "numpy")
    finished = fresh_python("import sys; import sheetgen.cli; import openpyxl.compat.numbers as n; "
                            "print('numpy' in sys.modules, n.NUMPY); import numpy; print('ok')")
    assert finished.stdout == "False False\nok\n", finished.stderr


def test_the_api_leaves_openpyxl_as_it_finds_it():
    """A notebook's openpyxl keeps numpy's numbers: only the command's own process hides it."""
    require_module("numpy", "numpy")
    finished = fresh_python("import sheetgen; sheetgen.network; "
                            "import openpyxl.compat.numbers as n; print(n.NUMPY)")
    assert finished.stdout == "True\n", finished.stderr
