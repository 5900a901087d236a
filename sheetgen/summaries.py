"""What the Python API returns: how a run ended, a handout's pages, a check's report."""

from dataclasses import dataclass, fields
from pathlib import Path

from sheetgen.engines.check import EngineResult


@dataclass(frozen=True)
class RunSummary:
    """How the run of a written workbook ended, as its summary cells say."""

    path: Path
    first_below_threshold: int | None
    """The first attempt whose loss is below the threshold, or None if none is."""
    final_loss: float
    status: str
    """"converged", "diverging" (the loss ended above where it started) or "not converged"."""
    trained: str
    """What was trained, in the words of the command line's line."""
    final_output: float | None = None
    """The article's own sheet: the neuron's last output, and its `target`."""
    target: float | None = None
    largest_difference: float | None = None
    """With a gradient check: the largest relative difference between a gradient and its
    estimate where the loss is at or above the threshold."""
    lowest_test_loss: float | None = None
    lowest_test_at: int | None = None
    """With held-out test samples: the lowest test loss, and the first attempt with it."""

    def __repr__(self) -> str:
        """Only the fields this run has, the path as it is written: for a notebook."""
        shown = (f"{f.name}={str(value)!r}" if isinstance(value, Path) else f"{f.name}={value!r}"
                 for f in fields(self) if (value := getattr(self, f.name)) is not None
                 or f.name == "first_below_threshold")
        return f"RunSummary({', '.join(shown)})"


@dataclass(frozen=True)
class ExerciseSummary:
    """An exercise written: where, how many cells it leaves to fill, of which columns (by
    header), in which rows, and whether it marks them itself."""

    path: Path
    blanks: int
    headers: tuple[str, ...]
    first_row: int
    last_row: int
    self_check: bool


@dataclass(frozen=True)
class Handout:
    path: Path
    pages: int
    trained: str


@dataclass(frozen=True)
class CheckResult:
    """What `sheetgen check` found: whether every cell agrees; for each engine the rows
    compared, the largest difference in each column (`EngineResult.training.largest`, by
    column letter) and the first cell that differs, if one does; and the report as the
    command prints it, line by line."""

    path: Path
    passed: bool
    engines: tuple[EngineResult, ...]
    formula_mismatch: object | None
    """The first formula that is not as sheetgen writes it, or None."""
    chaotic_from: int | None
    """The attempt from which the run is too sensitive to compare values, or None."""
    report: tuple[str, ...]

    @property
    def mismatches(self) -> tuple[str, ...]:
        """The report's lines that say what differs."""
        return tuple(line for line in self.report
                     if "MISMATCH" in line and line != "result: MISMATCH")

    def __str__(self) -> str:
        return "\n".join(self.report)


class Lines:
    """A text stream that keeps the lines written to it, and echoes them to `out`, if any."""

    def __init__(self, out=None):
        self.out = out
        self.lines: list[str] = []
        self._partial = ""

    def write(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text)
            self.out.flush()
        *complete, self._partial = (self._partial + text).split("\n")
        self.lines.extend(complete)
