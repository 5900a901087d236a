"""The Optimizers sheet: the Training sheet's run under each of the four optimizers, side by
side, as the Sweep sheet sets the neuron's learning rates side by side.

Each block is the network's own description (`network_sheet.describe`) placed further right,
its formulas reading the block's learning rate and hyperparameters from its own cells in
column A, and the samples and initial weights from the same named cells as the Training
sheet: changing the data or the start changes all four. Column A holds those cells; the
columns between it and the first block are left free for the chart comparing the losses.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate, column_index_from_string

from sheetgen.maths import fields as row_fields
from sheetgen.maths.datasets import LIMIT
from sheetgen.maths.fields import Field
from sheetgen.maths.network import Run
from sheetgen.maths.training import Attempt, Overflow, train
from sheetgen.maths.optimizers import HYPERPARAMETERS, OPTIMIZERS, Optimizer
from sheetgen.sheets import panel
from sheetgen.sheets.columns import Column, Group
from sheetgen.sheets.network_panel import hyperparameter_input
from sheetgen.sheets.network_sheet import NetworkSheet, describe
from sheetgen.sheets.sweep import MOST_ATTEMPTS

OPTIMIZERS_SHEET_NAME = "Optimizers"
CHART_COLUMNS = 14
"""Columns C onwards, free for the chart, so that it shows beside column A's inputs."""
FIRST_BLOCK_COLUMN = 3 + CHART_COLUMNS + 1


@dataclass(frozen=True)
class Block:
    """One optimizer's copy of the run: its inputs in column A and its columns."""

    optimizer: Optimizer
    inputs: tuple[panel.Input, ...]
    """Its learning rate, then its hyperparameters."""
    sheet: NetworkSheet
    """The run's description at the block's letters, with the block's own cells."""

    def field(self, field: Field) -> tuple[str, Field]:
        return block_field(self.optimizer.name, field)


def block_input(optimizer: str, name: str) -> tuple[str, str]:
    """The field of a block's input cell: its optimizer and the workbook name it stands for,
    such as ("adam", "BETA1")."""
    return optimizer, name


def block_field(optimizer: str, field: Field) -> tuple[str, Field]:
    """The field of the sheet's rows holding a field of an optimizer's block: the optimizer's
    name and the field, such as ("adam", LOSS)."""
    return optimizer, field


@dataclass(frozen=True)
class OptimizersSheet:
    blocks: tuple[Block, ...]

    @property
    def attempts(self) -> int:
        return self.blocks[0].sheet.run.attempts

    @property
    def panel(self) -> panel.Panel:
        return panel.Panel(tuple(chain.from_iterable(b.inputs for b in self.blocks)), None, ())

    @property
    def groups(self) -> tuple[Group, ...]:
        """Every block's groups, its title before theirs, its fields named after it."""
        return tuple(Group(f"{block.optimizer.title} · {group.title}",
                           tuple(replace(col, field=block.field(col.field))
                                 for col in group.columns))
                     for block in self.blocks for group in block.sheet.groups)

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(col for group in self.groups for col in group.columns)

    @property
    def spacers(self) -> tuple[str, ...]:
        return tuple(chain.from_iterable(
            (*block.sheet.spacers, _after(block.sheet.columns[-1].letter))
            for block in self.blocks[:-1])) + self.blocks[-1].sheet.spacers

    def rows(self) -> "OptimizerRuns":
        return OptimizerRuns(tuple(block.sheet.run for block in self.blocks))

    def constants(self) -> dict[tuple[str, Field], float]:
        return {block.field(field): value for block in self.blocks
                for field, value in block.sheet.constants().items()}


@dataclass(frozen=True)
class OptimizerRuns:
    """The `RowSource` of the Optimizers sheet: the blocks' runs, one after another in a row."""

    runs: tuple[Run, ...]

    @property
    def attempts(self) -> int:
        return self.runs[0].attempts

    @cached_property
    def fields(self) -> tuple[tuple[str, Field], ...]:
        return tuple(block_field(run.optimizer, field) for run in self.runs
                     for field in row_fields.fields(run))

    def values(self) -> Iterator[tuple]:
        return map(tuple, map(chain.from_iterable, zip(
            *(map(row_fields.RowOrder(run), block_attempts(run)) for run in self.runs))))


def block_attempts(run: Run) -> Iterator[Attempt]:
    """The block's run, attempt by attempt; an overflow says which block it is in."""
    try:
        yield from train(run)
    except Overflow as overflow:
        raise type(overflow)(overflow.attempt, f"the {OPTIMIZERS_SHEET_NAME} sheet's "
                                         f"{run.rule.title} block") from None


def describe_optimizers(run: Run, given: Mapping[tuple[str, str], float] | None = None
                        ) -> OptimizersSheet:
    """The blocks for `run`, for at most `MOST_ATTEMPTS` attempts: every optimizer with the
    learning rate and hyperparameters `given` for its cells (by the cell's field, such as
    ("adam", "BETA1")), or else the run's, or else the defaults."""
    given = given or {}
    blocks, row, column = [], panel.INPUTS[0].row, FIRST_BLOCK_COLUMN
    for optimizer in OPTIMIZERS.values():
        rate = replace(panel.INPUTS[0], label=f"{optimizer.title}: learning rate",
                       row=row, low=-LIMIT, high=LIMIT,
                       meaning=f"How far each {optimizer.title} step goes.")
        inputs = [rate]
        for name in optimizer.hyperparameters:
            row += 3
            hyperparameter = hyperparameter_input(HYPERPARAMETERS[name], row)
            inputs.append(replace(hyperparameter,
                                  label=f"{optimizer.title}: {HYPERPARAMETERS[name].label}"))
        row += 3
        inputs = [replace(entry, name=absolute_coordinate(entry.cell),
                          field=block_input(optimizer.name, entry.name)) for entry in inputs]
        workbook_names = ("LEARNING_RATE", *optimizer.hyperparameters)   # as inputs are
        own = {name: given[entry.field] for name, entry in zip(workbook_names, inputs)
               if entry.field in given}
        block_run = replace(run, optimizer=optimizer.name,
                            learning_rate=own.pop("LEARNING_RATE", run.learning_rate),
                            settings=optimizer.settings({**run.settings, **own}),
                            attempts=min(run.attempts, MOST_ATTEMPTS),
                            gradient_step=None)   # the check is the Training sheet's
        sheet = describe(block_run, column, {name: entry.name   # its own cells' references
                                             for name, entry in zip(workbook_names, inputs)})
        blocks.append(Block(optimizer, tuple(inputs), sheet))
        column = column_index_from_string(sheet.columns[-1].letter) + 2
    return OptimizersSheet(tuple(blocks))


def _after(letter: str) -> str:
    return get_column_letter(column_index_from_string(letter) + 1)
