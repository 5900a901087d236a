"""Whether a run's workbook fits a sheet and what Excel takes: 16,384 columns a sheet (the
Training sheet's and the Optimizers sheet's), 8,192 characters a formula and 255 arguments a
function. Every writer of a network's workbook asks before it writes anything, so that no
caller, the command line or another program, can write a file Excel refuses."""

from dataclasses import replace

from sheetgen.errors import InputError
from sheetgen.maths.network import Run
from sheetgen.maths.optimizers import GRADIENT_DESCENT, OPTIMIZERS
from sheetgen.sheets.columns import FIRST_ROW, last_row
from sheetgen.sheets.network_sheet import FIRST_COLUMN, NetworkSheet, describe, grouped
from sheetgen.sheets.optimizers_sheet import FIRST_BLOCK_COLUMN, OPTIMIZERS_SHEET_NAME

MOST_COLUMNS = 16_384
"""The columns an .xlsx sheet has."""
EXCEL_FORMULA_LIMIT = 8192
"""The longest formula, in characters, that Excel accepts (LibreOffice and Gnumeric take
longer ones)."""
EXCEL_ARGUMENT_LIMIT = 255
"""The most arguments an Excel function takes."""


def fitting_sheet(run: Run) -> NetworkSheet:
    """The run's description, once its workbook is known to fit; refuses, with an
    `InputError`, one that would not. (The columns are counted before the run is described,
    which a network far too wide would make slow; its formulas are measured from it.)"""
    fitting_row(run)
    sheet = describe(run)
    longest = longest_formula(run, sheet)
    if longest > EXCEL_FORMULA_LIMIT:
        raise InputError(f"a formula of this network needs {longest:,} characters, and Excel "
                         f"takes {EXCEL_FORMULA_LIMIT:,}: {_what_grows(run)}")
    if run.rule is not GRADIENT_DESCENT and optimizers_columns_needed(run) > MOST_COLUMNS:
        raise InputError(f"the {OPTIMIZERS_SHEET_NAME} sheet of this network needs "
                         f"{optimizers_columns_needed(run):,} columns (four copies of its "
                         f"row), and a sheet has {MOST_COLUMNS:,}: use a smaller network, "
                         "fewer samples, --batch 1 or --optimizer gd")
    return sheet


def fitting_row(run: Run) -> None:
    """Refuses, with an `InputError`, a run whose row would not fit: what its shape tells
    before it is described."""
    needed = columns_needed(run)
    if needed > MOST_COLUMNS:
        raise InputError(f"a row of this network needs {needed:,} columns, and a sheet has "
                         f"{MOST_COLUMNS:,}: use fewer or smaller layers, fewer samples, "
                         + ("fewer test samples " if run.tests else "") + "or --batch 1")
    parameters = run.network.parameter_count
    if run.gradient_step is not None and parameters > EXCEL_ARGUMENT_LIMIT:
        raise InputError(f"the gradient check's largest rel. diff. is the MAX of the "
                         f"{parameters:,} weights' and biases' differences, and Excel's "
                         f"functions take {EXCEL_ARGUMENT_LIMIT} arguments: use a smaller "
                         "network")


def longest_formula(run: Run, sheet: NetworkSheet) -> int:
    """The characters of the run's longest formula. A row's grows with its row number, so
    this is of the first and the last rows', and of the summary's."""
    end = last_row(run.attempts)
    counts = sheet.confusion.counts.values() if sheet.confusion else ()
    return max([len(col.formula(row)) for col in sheet.computed for row in (FIRST_ROW, end)]
               + [len(result.formula_for(end)) for result in sheet.summary]
               + [len(formula) for _, formula in counts])


def optimizers_columns_needed(run: Run) -> int:
    """The Optimizers sheet's columns: its first block's start, then each optimizer's copy of
    the row (less column A and its spacer) and a spacer between them."""
    rows = [columns_needed(replace(run, optimizer=name, gradient_step=None))
            - (FIRST_COLUMN - 1)
            for name in OPTIMIZERS]
    return FIRST_BLOCK_COLUMN - 1 + sum(rows) + len(rows) - 1


def _what_grows(run: Run) -> str:
    """Why a formula is too long, and the option to change."""
    if run.gradient_step is not None:
        moved = ("a moved kernel weight moves its whole map and everything after it: use "
                 "--batch 1, a smaller picture or kernel, or leave out --gradient-check"
                 if run.network.stack
                 else "use fewer or smaller layers, fewer samples, or --batch 1")
        return ("a gradient check's moved loss computes the row's loss again, each sample's "
                f"outputs from the moved weight on: {moved}")
    return ("the loss and the gradients add a term per sample"
            + (", a kernel weight's one per place too" if run.network.stack else "")
            + f": use {_smaller_batch(run)}")


def _smaller_batch(run: Run) -> str:
    """A batch whose formulas fit, as the option to give: the largest found by halving (the
    longest formula, a gradient's or the loss's, grows by a term or a place's terms with each
    sample), or a larger one that divides the samples evenly; each guess described and
    measured."""
    def fits(batch: int) -> bool:
        smaller = replace(run, batch=batch, orders=run.orders if batch > 1 else ())
        return longest_formula(smaller, describe(smaller)) <= EXCEL_FORMULA_LIMIT
    if run.batch_size == 1 or not fits(1):
        return "fewer or smaller layers"
    low, high = 1, run.batch_size - 1   # low fits; every batch above high is too long
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    # A batch that leaves an epoch's last batch smaller masks its terms, which lengthens them:
    # one that divides the samples may fit above it.
    even = next((batch for batch in range(run.batch_size - 1, low, -1)
                 if len(run.samples) % batch == 0 and fits(batch)), low)
    return f"--batch {even}"


def columns_needed(run: Run) -> int:
    """Column A, a spacer, every value of a row, and a spacer between its groups (the
    attempt, each sample's pass, each layer's parameters, the gradient check's largest
    difference, each test sample's pass)."""
    groups = grouped(run)
    return FIRST_COLUMN - 1 + sum(len(members) for _, members in groups) + len(groups) - 1
