"""The Python API, for notebooks and scripts: write the article's neuron's workbook or a
network's, print either as a handout, and check a workbook in real engines.

    import sheetgen
    summary = sheetgen.network(preset="xor")      # writes output/xor_training.xlsx
    summary.first_below_threshold                 # 1802
    sheetgen.check(summary.path).passed           # True

The keyword arguments are the command line's options with dashes as underscores, parsed by
the same parsers (`sheetgen.options`), so that bad input raises an `InputError` whose text is
the command line's message after `error: `, and leaves no file behind; so does a run that
overflows a double. A workbook estimated past 1 GB (`writing.size`) is refused the same way
before anything is written, unless `allow_large=True`. The command line (`sheetgen.cli`) is a
thin layer over these functions.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from sheetgen import options as known
from sheetgen.engines.check import run_check
from sheetgen.engines.grading import (
    CLASS_COLUMNS,
    DEFAULT_DIGITS,
    Graded,
    Ungraded,
    class_rows,
    exercise_files,
    grade_file,
    grade_files,
)
from sheetgen.engines.handout import write_handout
from sheetgen.engines.programs import ENGINES
from sheetgen.errors import InputError
from sheetgen.inputs import presets
from sheetgen.inputs import runs
from sheetgen.maths.network import Run
from sheetgen.maths.training import Overflow
from sheetgen.maths.neuron import Parameters
from sheetgen.maths.optimizers import GRADIENT_DESCENT
from sheetgen.sheets.boundary import DEFAULT_GRID, Picture, has_boundary
from sheetgen.sheets.classified import has_pictures
from sheetgen.sheets.columns import COLUMNS, FIRST_ROW, last_row
from sheetgen.sheets.blanks import exercise_of
from sheetgen.sheets.exercise import DEFAULT_ROWS, Exercise
from sheetgen.sheets.fit import fitting_row, fitting_sheet
from sheetgen.sheets.network_sheet import NetworkSheet, run_line
from sheetgen.summaries import CheckResult, ExerciseSummary, Handout, Lines, RunSummary
from sheetgen.writing import atomic
from sheetgen.writing.class_table import check_table_path, write_class_table
from sheetgen.writing.layout import parameters_line
from sheetgen.writing.network_workbook import write_network_workbook
from sheetgen.writing.size import Estimate, allowed, estimate
from sheetgen.writing.workbook import write_workbook

OUTPUT_DIRECTORY = Path("output")
EXERCISE_SUFFIX, ANSWERS_SUFFIX = "_exercise", "_answers"

Progress = Callable[[int, int], None]
"""Called with (attempts written, attempts in all) as the rows are written. One that has an
`expect` method, as the command line's `ProgressBar` has, is first given the workbook's
`Estimate`, before anything is written."""


@dataclass(frozen=True)
class _Plan:
    """What the options ask to be written: the article's own sheet (`parameters`) or a
    network's (`run`), the name its file gets in output/, and how large it will be."""

    name: str
    estimate: Estimate
    parameters: Parameters | None = None
    run: Run | None = None
    compared: dict[tuple[str, str], float] | None = None
    picture: Picture = Picture()
    sheet: NetworkSheet | None = None
    """The run's description, where there is a run, once `fitting_sheet` has found that it
    fits: described once, for the check, the exercise and the writer (a wide network's takes
    seconds)."""


def neuron(path: str | Path | None = None, *, progress: Progress | None = None,
           **options) -> RunSummary:
    """Write the article's neuron's workbook to `path` (default: where `sheetgen` writes it,
    in output/); return how its run ended. `options` are `sheetgen`'s: preset, learning_rate,
    attempts, input, target_factor, weight, bias, loss_threshold, optimizer, momentum,
    rms_decay, beta1, beta2, epsilon, gradient_check (True, or H), allow_large (write a
    workbook estimated past 1 GB)."""
    plan = _neuron_plan(options)
    return _write_neuron(plan, _output(path, plan.name, ".xlsx"), progress)


def _write_neuron(plan: _Plan, output: Path, progress: Progress | None,
                  exercise: Exercise | None = None) -> RunSummary:
    if plan.run is not None:
        return _write_network(plan, output, progress, exercise)
    parameters = plan.parameters
    summary = _written(plan, output, progress,
                       lambda file: write_workbook(parameters, file, progress, exercise))
    return RunSummary(output, summary.first_below, summary.final_loss, summary.status,
                      f"{parameters.attempts:,} attempts (rows 3 to "
                      f"{last_row(parameters.attempts):,}) at learning rate "
                      f"{parameters.learning_rate:g}",
                      final_output=summary.final_output, target=parameters.target)


def network(path: str | Path | None = None, *, progress: Progress | None = None,
            **options) -> RunSummary:
    """Write a network's workbook to `path` (default: where `sheetgen network` writes it, in
    output/); return how its run ended. `options` are `sheetgen network`'s: preset, layers
    ((2, 2, 1) or "2,2,1"), activation ("tanh" or one per layer), data (a built-in set's name,
    a .csv or .xlsx file, or a list of (inputs, targets) pairs), data_sheet (the sheet of an
    .xlsx file to read, by name), batch ("full" or a number of samples), shuffle,
    test_fraction (the share of the samples held out for testing) or test (a test set in the
    forms of data) and test_sheet, learning_rate, attempts, seed or init (a .json file
    or the same structure as a dict), loss_threshold, loss ("mse" or "cross-entropy"), l2 and
    l1 (λ of each penalty on the weights), lr_decay and lr_decay_every (γ and N: the rate is
    multiplied by γ every N attempts), optimizer and its hyperparameters, gradient_check
    (True, or H), allow_large."""
    plan = _network_plan(options)
    return _write_network(plan, _output(path, plan.name, ".xlsx"), progress)


def exercise(path: str | Path | None = None, *, progress: Progress | None = None,
             **options) -> ExerciseSummary:
    """Write the article's neuron's workbook as an exercise to `path` (default: in output/,
    the workbook's name with _exercise); `options` are `neuron`'s, and blank (column headers
    or stages, as a list or separated by commas), rows (how many attempts' rows, default 3)
    and self_check."""
    return _write_exercise(_neuron_plan, _write_neuron, path, progress, options)


def network_exercise(path: str | Path | None = None, *, progress: Progress | None = None,
                     **options) -> ExerciseSummary:
    """Write a network's workbook as an exercise: `options` are `network`'s, and `exercise`'s
    blank, rows and self_check."""
    return _write_exercise(_network_plan, _write_network, path, progress, options)


def _write_exercise(planned, write, path, progress: Progress | None,
                    options: dict) -> ExerciseSummary:
    """Write with `write` the exercise the options ask for."""
    plan, chosen = _exercise_plan(planned, options)
    output = _output(path, f"{plan.name}{EXERCISE_SUFFIX}", ".xlsx")
    write(plan, output, progress, chosen)
    return ExerciseSummary(output, len(chosen.cells()),
                           tuple(dict.fromkeys(col.header for col in chosen.columns)),
                           FIRST_ROW, chosen.last_row, chosen.self_check)


def _exercise_plan(planned, options: dict, answers: bool = False) -> tuple[_Plan, Exercise]:
    """The plan of the workbook (by `planned`, from the options of its own) and the exercise
    (from `EXERCISE_OPTIONS`), refused before any file is touched."""
    wanted = _given({name: options.pop(name) for name in known.EXERCISE_OPTIONS
                     if name in options}, known.EXERCISE_OPTIONS)
    plan = planned(options, exercise=True)
    columns, attempts = (COLUMNS, plan.parameters.attempts) if plan.run is None else \
        (plan.sheet.columns, plan.run.attempts)
    if answers and wanted.get("self_check"):
        raise InputError("argument --answers: not allowed with argument --self-check (the "
                         "key has no marks)")
    chosen = exercise_of(columns, wanted.get("blank", ()), wanted.get("rows", DEFAULT_ROWS),
                         attempts, wanted.get("self_check", False),
                         plan.run is not None and plan.run.gradient_step is not None)
    return plan, replace(chosen, answers=answers)


def neuron_handout(path: str | Path | None = None, **options) -> Handout:
    """Print the article's neuron's workbook as a PDF handout (through LibreOffice)."""
    plan = _neuron_plan(options)
    return _print(plan, _output(path, plan.name, ".pdf"))


def network_handout(path: str | Path | None = None, **options) -> Handout:
    """Print a network's workbook as a PDF handout (through LibreOffice)."""
    plan = _network_plan(options)
    return _print(plan, _output(path, plan.name, ".pdf"))


def exercise_handout(path: str | Path | None = None, *, answers: bool = False,
                     **options) -> Handout:
    """Print the exercise that `exercise(**options)` writes, its blanks as empty boxes for
    pencil work; with `answers`, its key, the boxes filled in."""
    return _print_exercise(_neuron_plan, path, options, answers)


def network_exercise_handout(path: str | Path | None = None, *, answers: bool = False,
                             **options) -> Handout:
    """Print the exercise that `network_exercise(**options)` writes, or its key."""
    return _print_exercise(_network_plan, path, options, answers)


def _print_exercise(planned, path, options: dict, answers: bool) -> Handout:
    answers = known.Option("--answers", known.yes_or_no)(answers)
    plan, chosen = _exercise_plan(planned, options, answers)
    name = f"{plan.name}{EXERCISE_SUFFIX}{ANSWERS_SUFFIX if answers else ''}"
    return _print(plan, _output(path, name, ".pdf"), chosen)


def network_run(**options) -> Run:
    """The reference run that `network(**options)` would write, without writing it (and so
    whatever the size of its workbook)."""
    return _network_plan({**options, "allow_large": True}).run


def check(path: str | Path, engine: str = "all", *, out=None) -> CheckResult:
    """Recalculate the workbook at `path` in real engines (LibreOffice, Gnumeric, or "all"
    installed) and compare it with the reference, as `sheetgen check` does; `out`, a text
    stream, gets the report line by line as the engines finish. Raises
    `engines.check.CannotCheck` when the file cannot be checked (no such file, no engine,
    an unreadable workbook)."""
    engine = known.Option("--engine", known.choice((*ENGINES, "all")))(engine)
    lines = Lines(out)
    outcome = run_check(Path(path), engine, lines)
    return CheckResult(Path(path), outcome.passed, outcome.engines, outcome.formula_mismatch,
                       outcome.chaotic_from, tuple(lines.lines))


def grade(path: str | Path, *, digits: int = DEFAULT_DIGITS) -> Graded:
    """Grade a filled-in exercise, as `sheetgen grade` does: each blank right (to `digits`
    significant figures for a typed number, or following the student's own cells), wrong
    or still empty. Raises `engines.grading.CannotGrade` for a file that is not a sheetgen
    exercise, whose layout was changed, or that no engine can open."""
    return grade_file(Path(path), known.parsed({"digits": digits}, known.GRADE_OPTIONS)["digits"])


def grade_class(paths: str | Path | Iterable[str | Path], *, digits: int = DEFAULT_DIGITS,
                table: str | Path | None = None) -> list[Graded | Ungraded]:
    """Grade many exercises, or a folder's, in one LibreOffice: each file Graded, or
    Ungraded with the reason (which never stops the others); with `table` (.csv or .xlsx),
    the class's table written there too. Raises `CannotGrade` where LibreOffice is missing
    or a folder holds no workbook."""
    digits = known.parsed({"digits": digits}, known.GRADE_OPTIONS)["digits"]
    if table is not None:
        check_table_path(Path(table))
    given = [paths] if isinstance(paths, str | Path) else list(paths)
    results = grade_files(exercise_files([Path(path) for path in given]), digits)
    if table is not None:
        write_class_table(Path(table), CLASS_COLUMNS, class_rows(results))
    return results


def _given(options: dict, table: dict[str, known.Option]) -> dict[str, object]:
    """The options given (None is as good as not given), each parsed."""
    return known.parsed({name: value for name, value in options.items() if value is not None},
                        table)


def _sized(source: Parameters | Run, given: dict, exercise: bool) -> Estimate:
    """The estimate of the workbook (or the exercise) of `source`, refused past
    `size.LARGEST` unless --allow-large was given: before the run is described, at once
    however many attempts were asked for."""
    return allowed(estimate(source, exercise), given.get("allow_large", False))


def _neuron_plan(options: dict, exercise: bool = False) -> _Plan:
    """The article's sheet or, with another optimizer or the gradient check, its run as a
    1-1 network's; written as an exercise where `exercise`."""
    given = _given(options, known.NEURON_OPTIONS)
    preset = given.get("preset", presets.NEURON_PRESET)
    parameters = presets.neuron_parameters(preset, given)
    optimizer = given.get("optimizer", GRADIENT_DESCENT.name)
    step = given.get("gradient_check")
    hyperparameters = known.settings_given(given)
    name = presets.with_choices(presets.NEURON_PRESETS[preset][1], optimizer, step)
    if optimizer == GRADIENT_DESCENT.name and step is None:
        runs.optimizer_settings(optimizer, hyperparameters)   # refuses a hyperparameter given
        return _Plan(name, _sized(parameters, given, exercise), parameters=parameters)
    run = runs.article_run(parameters, optimizer, hyperparameters, step)
    return _Plan(name, _sized(run, given, exercise), run=run, sheet=fitting_sheet(run))


def _network_plan(options: dict, exercise: bool = False) -> _Plan:
    """The run the options describe, refused before any file is touched if its workbook
    would be too large (see `_sized`) or would not fit (which the writer refuses too, for
    callers that reach it directly); written as an exercise where `exercise`."""
    given = _given(options, known.NETWORK_OPTIONS)
    if "seed" in given and "init" in given:
        raise InputError("argument --init: not allowed with argument --seed")
    preset = given.get("preset")
    optimizer = given.get("optimizer", GRADIENT_DESCENT.name)
    step = given.get("gradient_check")
    values = presets.network_values(preset, optimizer, given)
    run = runs.network_run(values, optimizer, known.settings_given(given), step)
    fitting_row(run)
    picture = _picture(values, run)
    estimated = _sized(run, given, exercise)
    sheet = fitting_sheet(run)
    usual_loss = presets.network_values(preset, optimizer, {})["loss"]
    name = presets.with_choices(presets.network_name(preset), optimizer, step,
                                run.loss if run.loss != usual_loss else None,
                                tuple(name for name in ("l2", "l1", "lr_decay")
                                      if name in given)
                                + (("shuffled",) if given.get("shuffle") else ())
                                + (("tested",) if {"test", "test_fraction"} & set(given)
                                   else ()))
    return _Plan(name, estimated, run=run, compared=presets.compared_rates(preset, given),
                 picture=picture, sheet=sheet)


def _picture(values: dict, run: Run) -> Picture:
    """What the Boundary sheet or the Pictures sheet draws; refuses --grid for a run without
    a Boundary sheet, --show-attempt for one with neither, and an attempt past the run's."""
    picture = Picture(values.get("grid", DEFAULT_GRID), values.get("show_attempt"))
    if not has_boundary(run):
        drawn = ("grid", "--grid"), *(() if has_pictures(run) else
                                       (("show_attempt", "--show-attempt"),))
        for name, flag in drawn:
            if name in values:
                net = run.network
                has = (f"{net.typed_inputs} input(s)" if net.typed_inputs != 2 else
                       f"{net.sizes[-1]} targets that are numbers, not classes")
                raise InputError(f"argument {flag}: is for the Boundary sheet, which draws "
                                 "samples that are points of the plane (two inputs, and "
                                 f"classes or one target), and the data's samples have {has}")
    if picture.shown is not None and picture.shown > run.attempts:
        raise InputError(f"argument --show-attempt: {picture.shown:,} is past the run's "
                         f"{run.attempts:,} attempts")
    return picture


def _write_network(plan: _Plan, output: Path, progress: Progress | None,
                   exercise: Exercise | None = None) -> RunSummary:
    summary = _written(plan, output, progress, lambda file: write_network_workbook(
        plan.run, file, progress, plan.compared, plan.picture, exercise, plan.sheet))
    return RunSummary(output, summary.first_below, summary.final_loss, summary.status,
                      run_line(plan.run), largest_difference=summary.largest_difference,
                      lowest_test_loss=summary.lowest_test_loss,
                      lowest_test_at=summary.lowest_test_at)


def _print(plan: _Plan, output: Path, exercise: Exercise | None = None) -> Handout:
    """Print the plan's workbook (or its exercise) through LibreOffice."""
    if plan.run is None:
        trained = parameters_line(plan.parameters)

        def write(file):
            return write_workbook(plan.parameters, file, None, exercise)
    else:
        trained = run_line(plan.run)

        def write(file):
            return write_network_workbook(plan.run, file, None, plan.compared, plan.picture,
                                          exercise, plan.sheet)
    return Handout(output, _converted(lambda: write_handout(write, output)), trained)


def _output(path: str | Path | None, name: str, suffix: str) -> Path:
    """`path`, checked like -o, or the file `name` in output/, which is made if need be."""
    if path is not None:
        return known.Option(known.OUTPUT_FLAG, known.path_ending(suffix))(path)
    try:
        OUTPUT_DIRECTORY.mkdir(exist_ok=True)
    except OSError as error:
        raise atomic.OutputError(f"cannot make {OUTPUT_DIRECTORY}/: {error.strerror}") from None
    return OUTPUT_DIRECTORY / f"{name}{suffix}"


def _written(plan: _Plan, output: Path, progress: Progress | None, write):
    """Write the plan's workbook in place of `output`, all at once or not at all; return what
    `write(file)` returns. `progress` is told the plan's estimate once the file is open,
    where it can take it."""
    def whole():
        with atomic.replacing(output) as file:
            if hasattr(progress, "expect"):
                progress.expect(plan.estimate)
            return write(file)
    return _converted(whole)


def _converted(work):
    """What `work()` returns; a run that overflows a double is refused as bad input, as the
    command line refuses it (the Overflow, with its attempt, is the error's cause)."""
    try:
        return work()
    except Overflow as error:
        raise InputError(str(error)) from error
