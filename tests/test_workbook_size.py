"""Workbooks are sized before they are written: the estimate against real files, the refusal
past 1 GB from the command line and the API (at once, and with nothing written), the option
that writes one anyway, and the first line of a long write."""

import subprocess
import sys
import time

import pytest

from sheetgen import api
from sheetgen.cli import main
from sheetgen.errors import InputError
from sheetgen.maths.neuron import Parameters
from sheetgen.sheets.columns import MAX_ATTEMPTS
from sheetgen.writing import progress, size

IRIS_100000 = ("network", "--preset", "iris", "--attempts", "100000")
XOR_1000 = ("network", "--preset", "xor", "--attempts", "1000")
REFUSAL = ("the workbook would be about 8.8 GB (100,000 attempts × 5,323 cells on the Training "
           "sheet), and spreadsheet programs open up to about 1 GB: use at most 11,000 "
           "attempts, or write it anyway with --allow-large")
WITHIN = 0.15
"""How far the estimate may be from a real file of a few MB, whose other sheets (up to a few
hundred kB) it does not count one by one."""


def estimated(options: dict) -> size.Estimate:
    if "preset" in options and options["preset"] in ("article", "rust"):
        return size.estimate(Parameters(attempts=options.get("attempts", 1000)))
    return size.estimate(api.network_run(**options))


@pytest.mark.parametrize("options", [
    {"preset": "article", "attempts": 20_000},
    {"preset": "xor"},
    {"preset": "xor", "optimizer": "adam", "attempts": 1000},
    {"preset": "iris", "batch": 10, "shuffle": True, "attempts": 300},
], ids=lambda options: " ".join(f"{key} {value}" for key, value in options.items()))
def test_the_estimate_is_close_to_the_file_written(tmp_path, options):
    target = tmp_path / "w.xlsx"
    if options["preset"] == "article":
        api.neuron(target, **options)
    else:
        api.network(target, **options)
    written = target.stat().st_size
    assert abs(estimated(options).size() / written - 1) < WITHIN, (estimated(options).size(),
                                                                    written)


@pytest.mark.parametrize("options, megabytes", [
    ({"preset": "article", "attempts": MAX_ATTEMPTS}, 117.1),
    ({"preset": "xor", "attempts": 100_000}, 109.5),
    ({"preset": "iris", "attempts": 10_000}, 857.4),
    ({"preset": "iris", "attempts": 10_000, "batch": 10, "shuffle": True}, 73.4),
])
def test_the_estimate_is_close_to_the_benchmarks_files(options, megabytes):
    """The files the benchmark wrote (docs/speed.md), too large to write here:
    the largest article sheet and iris at 10,000 attempts, both allowed."""
    estimate = size.allowed(estimated(options))
    assert abs(estimate.size() / (megabytes * 1e6) - 1) < 0.1


def test_the_limit_is_1_gb_and_the_largest_fitting_attempts_are_right():
    assert size.LARGEST == 1_000_000_000
    estimate = estimated({"preset": "iris", "attempts": 100_000})
    most = estimate.most_attempts()
    assert estimate.size(most) <= size.LARGEST < estimate.size(most + 1)


def test_the_command_line_refuses_in_one_line_at_once_and_writes_nothing(tmp_path, capsys):
    target = tmp_path / "kept.xlsx"
    target.write_bytes(b"the previous workbook")
    started = time.perf_counter()
    assert main([*IRIS_100000, "-o", str(target)]) == 2
    assert time.perf_counter() - started < 1
    assert capsys.readouterr() == ("", f"sheetgen: error: {REFUSAL}\n")
    assert target.read_bytes() == b"the previous workbook"
    assert [path.name for path in tmp_path.iterdir()] == ["kept.xlsx"]


def test_the_command_refuses_without_a_traceback(tmp_path):
    finished = subprocess.run([sys.executable, "-m", "sheetgen", *IRIS_100000],
                              capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert (finished.returncode, finished.stdout, finished.stderr) == (
        2, "", f"sheetgen: error: {REFUSAL}\n")
    assert list(tmp_path.iterdir()) == []   # not even output/


def test_the_api_raises_the_same_line_at_once_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    with pytest.raises(InputError) as refused:
        api.network(preset="iris", attempts=100_000)
    assert time.perf_counter() - started < 1
    assert str(refused.value) == REFUSAL
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [
    ["exercise", *IRIS_100000, "--blank", "Loss"],
    ["handout", *IRIS_100000],
    ["handout", "exercise", *IRIS_100000, "--blank", "Loss"],
], ids=lambda command: " ".join(command[:2]))
def test_every_command_that_writes_a_workbook_refuses_it(tmp_path, monkeypatch, capsys,
                                                         command):
    """The handouts write the whole workbook before LibreOffice prints it."""
    monkeypatch.chdir(tmp_path)
    assert main(command) == 2
    assert capsys.readouterr() == ("", f"sheetgen: error: {REFUSAL}\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command, name", [
    (["network", "--preset", "xor", "--attempts", "1000"], "xor.xlsx"),
    (["--attempts", "20000"], "neuron.xlsx"),
    (["exercise", "--attempts", "20000", "--blank", "Output"], "exercise.xlsx"),
])
def test_allow_large_writes_one_past_the_limit(tmp_path, monkeypatch, capsys, command, name):
    """Past a limit lowered to 1 MB (a real 1 GB would take minutes to write): each of these
    is about 1.3 MB."""
    monkeypatch.setattr(size, "LARGEST", 1_000_000)
    target = tmp_path / name
    assert main([*command, "-o", str(target)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("sheetgen: error: the workbook would be about ")
    assert "spreadsheet programs open up to about 1 MB: use at most " in error
    assert error.endswith(" attempts, or write it anyway with --allow-large\n")
    assert error.count("\n") == 1
    assert not target.exists()
    assert main([*command, "-o", str(target), "--allow-large", "-q"]) == 0
    assert target.exists()


def test_allow_large_in_python(tmp_path, monkeypatch):
    monkeypatch.setattr(size, "LARGEST", 1_000_000)
    with pytest.raises(InputError, match="write it anyway with --allow-large"):
        api.network(tmp_path / "xor.xlsx", preset="xor", attempts=1000)
    api.network(tmp_path / "xor.xlsx", preset="xor", attempts=1000, allow_large=True)
    assert (tmp_path / "xor.xlsx").exists()
    with pytest.raises(InputError, match="argument --allow-large: must be True or False"):
        api.network(tmp_path / "xor.xlsx", preset="xor", allow_large="yes")


def test_a_long_write_says_so_first():
    assert estimated({"preset": "iris", "attempts": 10_000}).announcement() == (
        "writing about 53 million cells (about 880 MB), expected to take about 2 minutes")
    assert estimated({"preset": "article", "attempts": MAX_ATTEMPTS}).announcement() == (
        "writing about 14 million cells (about 120 MB), expected to take about 34 seconds")
    assert estimated({"preset": "xor", "attempts": 100_000, "gradient_check": True}
                     ).announcement().endswith("expected to take about 78 seconds")
    for short in ({"preset": "xor"}, {"preset": "iris"}, {"preset": "article"}):
        assert estimated(short).announcement() is None


def test_the_command_line_prints_that_line_first_unless_quiet(tmp_path, monkeypatch, capsys):
    """At a rate slowed to 1,000 cells a second, the xor preset's 72,000 cells in 1,000
    attempts take 72 s."""
    monkeypatch.setattr(size, "CELLS_PER_SECOND", 1_000)
    target = tmp_path / "xor.xlsx"
    assert main([*XOR_1000, "-o", str(target)]) == 0
    printed = capsys.readouterr()
    assert printed.err == ("writing about 72,000 cells (about 1.3 MB), expected to take "
                           "about 72 seconds\n")
    assert printed.out.startswith(f"wrote {target}: ")
    assert main([*XOR_1000, "-o", str(target), "-q"]) == 0
    assert capsys.readouterr() == ("", "")


def test_the_command_line_prints_plain_progress_where_stderr_is_not_a_terminal(
        tmp_path, monkeypatch, capsys):
    """With the 10 seconds between two lines brought down to none: a line a chunk of rows."""
    monkeypatch.setattr(progress, "PLAIN_INTERVAL", 0)
    target = tmp_path / "xor.xlsx"
    assert main([*XOR_1000, "-o", str(target)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) > 1
    assert all(line.startswith("written ") and line.endswith("%)") for line in lines)
    assert lines[-1] == "written 1,000 of 1,000 attempts (100%)"
    assert main([*XOR_1000, "-o", str(target), "-q"]) == 0
    assert capsys.readouterr().err == ""
