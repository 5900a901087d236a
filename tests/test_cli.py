"""The command line: options, presets, one-line refusals, files replaced whole or not at all."""

import errno
import importlib.metadata
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import IN_CI, xlsx_file

from sheetgen.cli import main
from sheetgen.engines.reading import read_training_sheet
from sheetgen.maths.neuron import Parameters


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "sheetgen", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_no_arguments_writes_the_default_workbook(tmp_path):
    finished = run(cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr
    written = tmp_path / "output" / "single_neuron_training.xlsx"
    sheet = read_training_sheet(written)
    assert sheet.parameters().learning_rate == 0.1
    assert sheet.attempts == 1000
    assert "wrote output/single_neuron_training.xlsx: 1,000 attempts" in finished.stdout
    assert "the last outputs 0.10000000000000005 for target 0.1 (converged)" in finished.stdout
    assert finished.stderr == ""


def test_options_reach_the_sheet(tmp_path):
    target = tmp_path / "custom.xlsx"
    assert main(["--learning-rate", "0.5", "--attempts", "40", "--input", "0.02",
                 "--weight", "-1e-1", "--bias", "0.25", "-o", str(target), "--quiet"]) == 0
    sheet = read_training_sheet(target)
    assert sheet.parameters().learning_rate == 0.5
    assert sheet.attempts == 40
    assert sheet.parameters() == Parameters(learning_rate=0.5, attempts=40, input=0.02,
                                            weight=-0.1, bias=0.25)
    assert sheet.values.rows[0]["C"] == 0.02 and sheet.values.rows[0]["G"] == -0.1


def test_rust_preset(tmp_path, capsys):
    target = tmp_path / "rust.xlsx"
    assert main(["--preset", "rust", "-o", str(target)]) == 0
    assert "100,001 attempts (rows 3 to 100,003) at learning rate 0.01" in capsys.readouterr().out


def test_explicit_options_override_the_preset(tmp_path):
    target = tmp_path / "r.xlsx"
    assert main(["--preset", "rust", "--attempts", "10", "-o", str(target), "-q"]) == 0
    sheet = read_training_sheet(target)
    assert (sheet.attempts, sheet.parameters().learning_rate) == (10, 0.01)


def test_help_explains_every_option():
    finished = run("--help")
    assert finished.returncode == 0
    for option in ("--learning-rate", "--attempts", "--input", "--target-factor", "--weight",
                   "--bias", "--loss-threshold", "--output", "--preset", "--quiet",
                   "--allow-large"):
        assert option in finished.stdout


SOFTMAX = ("--activation", "tanh,softmax", "--loss", "cross-entropy")

BAD_INPUT = [
    (["--learning-rate", "abc"], "argument --learning-rate: must be a number, not 'abc'"),
    (["--learning-rate", ""], "argument --learning-rate: must be a number, not ''"),
    (["--learning-rate", "nan"], "argument --learning-rate: must be a finite number, not 'nan'"),
    (["--input", "inf"], "argument --input: must be a finite number, not 'inf'"),
    (["--weight", "-infinity"], "argument --weight: must be a finite number, not '-infinity'"),
    (["--bias", "-1e300"],
     "argument --bias: must lie between -1,000,000 and 1,000,000, not -1e300"),
    (["--bias", "1e300"],
     "argument --bias: must lie between -1,000,000 and 1,000,000, not 1e300"),
    (["--loss-threshold", "-1"], "argument --loss-threshold: must lie between 0 and 1, not -1"),
    (["--target-factor", "x10"], "argument --target-factor: must be a number, not 'x10'"),
    (["--attempts", "0"], "argument --attempts: must be between 1 and 1,048,574 (rows 3 to "
                          "1,048,576, the last row an .xlsx sheet has), not 0"),
    (["--attempts", "-5"], "argument --attempts: must be between 1 and 1,048,574 (rows 3 to "
                           "1,048,576, the last row an .xlsx sheet has), not -5"),
    (["--attempts", "1048575"], "argument --attempts: must be between 1 and 1,048,574 (rows 3 "
                                "to 1,048,576, the last row an .xlsx sheet has), not 1,048,575"),
    (["--attempts", "2.5"], "argument --attempts: must be a whole number, not '2.5'"),
    (["--attempts", "ten"], "argument --attempts: must be a whole number, not 'ten'"),
    (["--preset", "python"],
     "argument --preset: invalid choice: 'python' (choose from 'article', 'rust')"),
    (["-o", "out.xls"], "argument -o/--output: must name a .xlsx file, not 'out.xls'"),
    (["--frobnicate"], "unrecognized arguments: --frobnicate"),
    # Data files, written into the directory the command runs in (DATA_FILES).
    (["network", "--data", "tie.csv"], "tie.csv: the separator cannot be found: the header "
                                       "line holds as many commas and semicolons (1 each); "
                                       "separate its cells with one of them only"),
    (["network", "--data", "quoted.csv"],
     'quoted.csv, line 2, column 1 ("x"): "0,5" has a decimal comma; comma-separated files '
     "use a decimal point (0.5), or separate the cells with semicolons"),
    (["network", "--data", "split.csv"],
     'split.csv, line 2 has 3 cells; the header (line 1) has 2; is 0,5 in column 1 ("x") one '
     "number with a decimal comma? comma-separated files use a decimal point (0.5)"),
    (["network", "--data", "semi.csv"], "semi.csv, line 3 has 3 cells; the header (line 1) "
                                        "has 2"),
    (["network", "--data", "nan.csv"], 'nan.csv, line 2, column 2 ("t"): "NaN" is not a '
                                       "finite number (NaN and infinity are not allowed)"),
    (["network", "--data", "one_class.csv"], 'one_class.csv: column 3 ("species") holds '
                                             'class labels of one class only, "setosa"; a '
                                             "classifier needs at least 2"),
    (["network", "--data", "three.csv", "--layers", "2,2"],
     'three.csv: column 3 ("species") holds 3 classes ("setosa", "versicolor", "virginica"); '
     "--layers 2,…,2 has 2 outputs, and they need 3 (one per class)"),
    (["network", "--data", "three.csv", "--layers", "2,4"],
     'three.csv: column 3 ("species") holds 3 classes ("setosa", "versicolor", "virginica"); '
     "--layers 2,…,4 has 4 outputs, and they need 3 (one per class)"),
    (["network", "--data", "two.csv", "--layers", "2,3"],
     'two.csv: column 3 ("species") holds 2 classes ("a", "b"); --layers 2,…,3 has 3 '
     "outputs, and they need 2 (one per class), or 1 for two classes"),
    (["network", "--data", "three.csv", "--layers", "1,2"],
     'three.csv reads as 2 inputs then class labels in column 3 ("species"); --layers 1,…,2 '
     "does not fit it: it takes 1 input and 2 outputs"),
    (["network", "--data", "onehot.csv", "--layers", "5,5,3", *SOFTMAX],
     'onehot.csv reads as 6 inputs then class labels in column 7 ("virginica") or as 4 '
     "inputs then 3 one-hot targets (column 5 to column 7); --layers 5,…,3 fits neither: it "
     "takes 5 inputs and 3 outputs"),
    (["network", "--data", "badhot.csv", "--layers", "2,3", *SOFTMAX],
     "badhot.csv, line 3: the one-hot targets (column 3 to column 5) sum to 2; each row's "
     "must sum to 1, a 1 in its class's column and 0 in the others"),
    (["network", "--data", "eitherhot.csv", *SOFTMAX],
     "eitherhot.csv: the last 3 or the last 4 columns could each be the one-hot targets; "
     "say which with --layers 2,…,3 or --layers 1,…,4"),
    (["network", "--data", "digits", "--image", "5x7", "--activation", "softmax", "--loss",
      "cross-entropy"],
     "argument --image: 5×7 is 35 pixels, and the data's samples have 64 inputs"),
    (["network", "--data", "circle", "--features", "x1,x2", "--image", "2x1"],
     "argument --image: not allowed with argument --features, whose inputs are features of a "
     "point of the plane, not pixels"),
    (["network", "--data", "twice.csv"],
     'twice.csv, line 1: column 1 and column 2 are both named "x"; give every column a name '
     "of its own"),
    (["network", "--data", "unnamed.xlsx"],
     "unnamed.xlsx, sheet Flowers, row 1: column B has no name; name every column in the "
     "header"),
    (["network", "--data", "mixed.csv"], 'mixed.csv, line 4, column 2 ("kind"): "7" is a '
                                         "number, and the column's other class labels are "
                                         "text; write every label as text, or every one as a "
                                         "whole number"),
    (["network", "--data", "formula.xlsx"],
     "formula.xlsx, sheet Flowers, cell B3: the cell has a formula but no stored result; open "
     "the file in a spreadsheet program and save it, then try again"),
    (["network", "--data", "gap.xlsx"], "gap.xlsx, sheet Flowers, cell A3: the cell is empty"),
    (["network", "--data", "narrow.xlsx"], "narrow.xlsx, sheet Flowers, row 3 has 2 cells; "
                                           "the header (row 1) has 3"),
    (["network", "--data", "text.xlsx"], 'text.xlsx, sheet Flowers, cell B2: "abc" is not a '
                                         "number"),
    (["network", "--data", "large.xlsx"], 'large.xlsx, sheet Flowers, cell A2: "2000000" is '
                                          "outside ±1,000,000"),
    (["network", "--data", "error.xlsx"], "error.xlsx, sheet Flowers, cell B2: the cell holds "
                                          "the error #DIV/0!, not a value"),
    (["network", "--data", "junk.xlsx"], "junk.xlsx is not a readable .xlsx workbook"),
    (["network", "--data", "flowers.xlsx", "--data-sheet", "Iris"],
     'flowers.xlsx has no sheet "Iris"; its sheets are "Flowers", "Notes"'),
    (["network", "--data-sheet", "Flowers"], "argument --data-sheet: names a sheet of --data "
                                             "FILE.xlsx, and the data is xor"),
    (["network", "--data", "semi.csv", "--data-sheet", "Flowers"],
     "argument --data-sheet: names a sheet of --data FILE.xlsx, and the data is semi.csv"),
    (["handout", "network", "--data", "gap.xlsx"],
     "gap.xlsx, sheet Flowers, cell A3: the cell is empty"),
]

FLOWERS = [["x1", "x2", "species"], [1, 2, "setosa"], [3, 4, "virginica"]]
ONE_HOT = ("sepal length,sepal width,petal length,petal width,setosa,versicolor,virginica\n"
           "5.1,3.5,1.4,0.2,1,0,0\n7,3.2,4.7,1.4,0,1,0\n6.3,3.3,6,2.5,0,0,1\n")
DATA_FILES = {
    "tie.csv": "x,y;t\n1,2;3\n",
    "quoted.csv": 'x,t\n"0,5",1\n',
    "split.csv": "x,t\n0,5,1\n",
    "semi.csv": "x;t\n0,5;1\n1;2;3\n",
    "nan.csv": "x\tt\n1,5\tNaN\n",
    "one_class.csv": "x1,x2,species\n1,2,setosa\n3,4,setosa\n",
    "three.csv": "x1,x2,species\n1,2,setosa\n3,4,virginica\n5,6,versicolor\n",
    "two.csv": "x1,x2,species\n1,2,a\n3,4,b\n",
    "mixed.csv": "x,kind\n1,a\n2,b\n3,7\n",
    "junk.xlsx": "not a zip file\n",
    "formula.xlsx": {"Flowers": [*FLOWERS[:2], [3, "=A3+1", "virginica"]]},
    "gap.xlsx": {"Flowers": [*FLOWERS[:2], [None, 4, "virginica"]]},
    "narrow.xlsx": {"Flowers": [*FLOWERS[:2], [3, 4]]},
    "text.xlsx": {"Flowers": [FLOWERS[0], [1, "abc", "setosa"], FLOWERS[2]]},
    "large.xlsx": {"Flowers": [FLOWERS[0], [2_000_000, 2, "setosa"], FLOWERS[2]]},
    "error.xlsx": {"Flowers": [["x", "t"], [1, "#DIV/0!"], [2, 3]]},
    "flowers.xlsx": {"Flowers": FLOWERS, "Notes": [["a note"]]},
    "onehot.csv": ONE_HOT,
    "badhot.csv": "x1,x2,a,b,c\n1,2,1,0,0\n3,4,1,1,0\n",
    "eitherhot.csv": "x1,x2,a,b,c\n1,0,1,0,0\n2,0,0,1,0\n3,0,0,0,1\n",
    "twice.csv": "x,x,t\n1,2,3\n",
    "unnamed.xlsx": {"Flowers": [["x1", None, "t"], [1, 2, 3]]},
}
"""The data files the refusals above read: a CSV file's text, or an .xlsx file's sheets."""


def write_data_files(directory: Path) -> None:
    for name, content in DATA_FILES.items():
        if isinstance(content, str):
            (directory / name).write_text(content)
        else:
            xlsx_file(directory / name, content)


@pytest.mark.parametrize("args, message", BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, args, message):
    """In this process, where each case takes a millisecond rather than a Python's start;
    the next test runs the first case as a command of its own."""
    write_data_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(list(args)))
    assert exit_info.value.code == 2
    assert capsys.readouterr() == ("", f"sheetgen: error: {message}\n")
    assert not (tmp_path / "output").exists() or not any((tmp_path / "output").iterdir())


def test_bad_input_is_one_line_and_exit_2_from_the_command(tmp_path):
    (args, message), = BAD_INPUT[:1]
    finished = run(*args, cwd=tmp_path)
    assert (finished.returncode, finished.stdout, finished.stderr) == (
        2, "", f"sheetgen: error: {message}\n")
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("where, message", [
    ("missing/deeper/w.xlsx", "directory {tmp}/missing/deeper does not exist"),
    ("adir.xlsx", "it is a directory"),
])
def test_unwritable_output_is_one_line_and_exit_2(tmp_path, where, message):
    (tmp_path / "adir.xlsx").mkdir()
    target = tmp_path / where
    finished = run("-o", str(target))
    assert finished.returncode == 2
    assert finished.stderr == (f"sheetgen: error: cannot write {target}: "
                               f"{message.format(tmp=tmp_path)}\n")


def test_read_only_directory_is_refused(tmp_path, monkeypatch, capsys):
    # Root writes anywhere, so the refusal that an ordinary user meets is simulated.
    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    assert main(["-o", str(locked / "w.xlsx")]) == 2
    assert capsys.readouterr().err == (
        f"sheetgen: error: cannot write {locked / 'w.xlsx'}: directory {locked} is not writable\n")


def test_a_refused_temporary_file_is_one_line(tmp_path, monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    assert main(["-o", str(tmp_path / "w.xlsx")]) == 2
    assert capsys.readouterr().err == (
        f"sheetgen: error: cannot write {tmp_path / 'w.xlsx'}: Permission denied\n")


class FillsUp:
    """A file that takes `room` bytes and then fails as a full disk does."""

    def __init__(self, file, room):
        self.file, self.room = file, room

    def write(self, data):
        self.room -= len(data)
        if self.room < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self.file.write(data)

    def __getattr__(self, name):
        return getattr(self.file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.file.close()


@pytest.fixture
def tiny_filesystem(tmp_path):
    """(directory, is it a full-size-limited tmpfs): a 300 KB tmpfs in CI, which runs as
    root; elsewhere, or where mounting fails, a plain directory."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = IN_CI and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs",
                                        str(mount_point)], capture_output=True).returncode == 0
    yield mount_point, mounted
    if mounted:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_keeps_the_previous_workbook(tmp_path, tiny_filesystem, monkeypatch,
                                                 capsys):
    where, mounted = tiny_filesystem
    target = where / "w.xlsx"
    assert main(["-o", str(target), "-q", "--attempts", "5"]) == 0
    before = target.read_bytes()
    if not mounted:   # no tmpfs to fill: the same failure, simulated at the write
        real_fdopen = os.fdopen
        monkeypatch.setattr("sheetgen.writing.atomic.os.fdopen",
                            lambda *a, **k: FillsUp(real_fdopen(*a, **k), 200_000))
    assert main(["-o", str(target), "-q", "--attempts", "20000"]) == 2
    assert capsys.readouterr().err == (
        f"sheetgen: error: cannot write {target}: No space left on device\n")
    assert target.read_bytes() == before
    assert sorted(p.name for p in where.iterdir()) == ["w.xlsx"]


def test_a_failed_write_keeps_the_previous_workbook(tmp_path, monkeypatch, capsys):
    target = tmp_path / "w.xlsx"
    assert main(["-o", str(target), "-q", "--attempts", "5"]) == 0
    before = target.read_bytes()
    real_fdopen = os.fdopen
    monkeypatch.setattr("sheetgen.writing.atomic.os.fdopen",
                        lambda *a, **k: FillsUp(real_fdopen(*a, **k), 50_000))
    assert main(["-o", str(target), "-q"]) == 2
    assert capsys.readouterr().err == (
        f"sheetgen: error: cannot write {target}: No space left on device\n")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.xlsx"]


def test_an_unexpected_failure_still_removes_the_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "w.xlsx"

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("sheetgen.api.write_workbook", fail)
    with pytest.raises(RuntimeError):
        main(["-o", str(target), "-q"])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_killed_mid_write_leaves_the_previous_workbook_and_no_temporary(tmp_path,
                                                                          signal_number):
    target = tmp_path / "w.xlsx"
    assert main(["-o", str(target), "-q", "--attempts", "5"]) == 0
    before = target.read_bytes()
    process = subprocess.Popen([sys.executable, "-m", "sheetgen", "--attempts", "1048574",
                                "-o", str(target)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".partial") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.02)
    time.sleep(0.3)
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    # The first line says what the write was to be (it takes longer than 10 s).
    assert stderr.startswith("writing about 14 million cells (about 120 MB), expected to take")
    assert stderr.endswith("\nsheetgen: interrupted; nothing was written\n")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.xlsx"]


def test_a_crashed_row_formatter_is_one_line_and_no_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sheetgen.writing.parallel._compute_rows",
                        lambda *arguments: os._exit(3))
    target = tmp_path / "w.xlsx"
    assert main(["-o", str(target), "--attempts", "50000"]) == 1
    assert capsys.readouterr().err == (
        "sheetgen: error: the process computing rows stopped unexpectedly (exit status 3)\n")
    assert list(tmp_path.iterdir()) == []


NUMBER_OPTIONS = {"--learning-rate": ("-1,000,000", "1,000,000"),
                  "--input": ("-1,000,000", "1,000,000"),
                  "--target-factor": ("-1,000,000", "1,000,000"),
                  "--weight": ("-1,000,000", "1,000,000"),
                  "--bias": ("-1,000,000", "1,000,000"),
                  "--loss-threshold": ("0", "1")}
BAD_NUMBERS = {"abc": "must be a number, not 'abc'", "": "must be a number, not ''",
               "nan": "must be a finite number, not 'nan'",
               "inf": "must be a finite number, not 'inf'",
               "-inf": "must be a finite number, not '-inf'",
               "1e300": "must lie between {low} and {high}, not 1e300",
               "-1e300": "must lie between {low} and {high}, not -1e300"}


@pytest.mark.parametrize("option", NUMBER_OPTIONS)
@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_every_number_option_refuses_every_kind_of_bad_value(option, value, capsys):
    with pytest.raises(SystemExit) as exit:
        main([f"{option}={value}", "-o", "never-written.xlsx"])
    assert exit.value.code == 2
    low, high = NUMBER_OPTIONS[option]
    assert capsys.readouterr().err == (
        f"sheetgen: error: argument {option}: {BAD_NUMBERS[value].format(low=low, high=high)}\n")
    assert not Path("never-written.xlsx").exists()


@pytest.mark.parametrize("option, value", [("--learning-rate", "0"), ("--learning-rate", "-2"),
                                           ("--input", "0"), ("--target-factor", "-1e6"),
                                           ("--loss-threshold", "0"), ("--attempts", "1")])
def test_edge_values_are_allowed(tmp_path, option, value):
    short = [] if option == "--attempts" else ["--attempts", "3"]
    assert main([option, value, *short, "-o", str(tmp_path / "w.xlsx"), "-q"]) == 0


@pytest.mark.parametrize("argv, message", [
    (["netwrok", "--preset", "xor"], "unknown command 'netwrok'; did you mean 'network'?"),
    (["grad", "class/"], "unknown command 'grad'; did you mean 'grade'?"),
    (["train"], "unknown command 'train'; the commands are check, exercise, grade, handout, "
                "network"),
])
def test_a_misspelt_command_names_the_closest_ones(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert capsys.readouterr().err == f"sheetgen: error: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"sheetgen {importlib.metadata.version('sheetgen')}\n"
