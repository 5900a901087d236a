"""The pieces a network's formulas are made of, shared by its columns (`network_columns`) and
its gradient check (`gradient_check`): sums in the reference's order, and the fields that
feed a neuron."""

from collections.abc import Callable

from sheetgen.maths.dense import Key
from sheetgen.maths.fields import SIZE, Field, Kind, parameter_field
from sheetgen.maths.losses import Loss
from sheetgen.maths.network import Run
from sheetgen.maths.penalties import Penalty
from sheetgen.maths.shape import Parameter

DECAY_NAME, DECAY_EVERY_NAME = "LR_DECAY", "LR_DECAY_EVERY"
"""The named cells of γ and N, by which the learning rate decays."""


def mean(terms: list[str], count: int) -> str:
    """=(a+b+…)/count, or =a+b+… for one: the reference divides by 1, which changes no bit."""
    total = "+".join(terms)
    return f"=({total})/{count}" if count > 1 else f"={total}"


def masked_mean(terms_by_place: list[list[str]], masks: list[str], size: str) -> str:
    """The mean over the places of a mini-batch whose epoch ends in a smaller batch: each term
    times its place's 1 or 0, over the batch's size, =(a*U3+b*W3)/E3. Times 1 a term keeps
    its bits, and the places that count come first: the reference's mean over them alone."""
    total = "+".join(f"{term}*{mask}" for terms, mask in zip(terms_by_place, masks)
                     for term in terms)
    return f"=({total})/{size}"


def place_masks(run: Run, at: Callable[[Field], str]) -> tuple[list[str], str] | None:
    """Where a mini-batch's epoch ends in a smaller batch: each place's 1-or-0 cell and the
    size's, for `masked_mean`; None elsewhere."""
    if not (run.mini_batch and run.uneven):
        return None
    return ([at(Field(Kind.COUNTS, place)) for place in range(1, run.batch_size + 1)],
            at(SIZE))


def row_loss(loss: Loss, terms_by_sample: list[list[str]], count: int,
             masks: tuple[list[str], str] | None = None) -> str:
    """The row's loss from each sample's terms, inside one formula, as `Loss.of_row` computes
    it: the squared error's terms in one sum over n; the cross-entropy's as minus the sum of
    each sample's bracketed sum, =-((a+b)+(c+d))/n, which has the same bits as the sum of
    the samples' negated losses over n. `masks`, the places' cells and the size's where an
    epoch ends in a smaller batch, weigh each sample's terms (see `masked_mean`)."""
    if masks is not None:
        if not loss.negated:
            return masked_mean(terms_by_sample, *masks)
        return "=-" + masked_mean([[_bracketed(loss, terms)] for terms in terms_by_sample],
                                  *masks)[1:]
    if not loss.negated:
        return mean([term for terms in terms_by_sample for term in terms], count)
    total = "+".join(_bracketed(loss, terms) for terms in terms_by_sample)
    return f"=-({total})" + (f"/{count}" if count > 1 else "")


def sample_loss(loss: Loss, terms: list[str]) -> str:
    """A sample's own loss, for its column: =-(a+b+…), as `Loss.of_sample` computes it."""
    return f"=-{_bracketed(loss, terms)}"


def _bracketed(loss: Loss, terms: list[str]) -> str:
    """A sample's terms added, in brackets: one term that is bracketed already stands alone."""
    if len(terms) == 1 and loss.term_template.startswith("("):
        return terms[0]
    return f"({'+'.join(terms)})"


def decayed_rate(rate: str, attempt: str) -> str:
    """The rate attempt `attempt` steps with, as `Run.rate_at` computes it: the learning rate
    times γ^⌊(attempt − 1) / N⌋."""
    return f"={rate}*{DECAY_NAME}^INT(({attempt}-1)/{DECAY_EVERY_NAME})"


def penalty_sum(chosen: list[tuple[Penalty, float]], weight_cells: list[str]) -> str:
    """The penalties of the weights in `weight_cells`, as `penalties.total` adds them (no
    `=`): L2's, then L1's."""
    return "+".join(penalty.formula(weight_cells) for penalty, _ in chosen)


def with_penalty(loss_formula: str, penalty: str, several: bool) -> str:
    """A loss formula with a penalty added: the Penalty cell, or an expression of `several`
    penalties, bracketed so that they are added to each other first, as the reference adds
    them."""
    return f"{loss_formula}+({penalty})" if several else f"{loss_formula}+{penalty}"


def input_of(layer: int, i: int, sample: int, held_out: bool = False) -> Field:
    """The field holding input i of `layer` in a sample's pass (a test sample's with
    `held_out`): the sample's input, or the layer before's output."""
    if layer == 1:
        return Field(Kind.INPUT, sample, 0, i, held_out=held_out)
    return Field(Kind.OUT, sample, layer - 1, i, held_out=held_out)


def parameter_of(at: Callable[[Field], str], layer: int) -> Callable[[Key], str]:
    """The cells of `layer`'s parameters, by their keys in its record (`Dense.parameters`), as
    its formulas take them."""
    return lambda key: at(parameter_field(Parameter(layer, *key)))


def class_words(cells: list[str], what: str, middle: float) -> str:
    """How `class_formula` picks a class from the `what`s in `cells`."""
    if len(cells) == 1:
        return f"the second class where its {what} is at least {middle:g}, else the first."
    return f"the first of its {what}s that is the largest."


def class_formula(cells: list[str], middle: float) -> str:
    """The class that outputs or targets say, as `classification.class_of` does: the first
    largest of several (a nested IF, as MATCH takes no list of scattered cells), or for one
    the second class at or above the threshold `middle`."""
    if len(cells) == 1:
        return f"=IF({cells[0]}>={middle:g},2,1)"
    largest = f"MAX({','.join(cells)})"
    formula = str(len(cells))
    for k in range(len(cells) - 1, 0, -1):
        formula = f"IF({cells[k - 1]}={largest},{k},{formula})"
    return "=" + formula
