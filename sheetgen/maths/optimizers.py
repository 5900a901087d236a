"""How a weight or bias steps against its gradient: plain gradient descent, momentum, RMSProp
and Adam, in the textbook form PyTorch documents (no dampening, no weight decay, ε outside the
square root).

g is the gradient of the row, t its attempt number, and every state starts at 0 before the
first attempt. Each rule is written in the order its cells compute it, so that an engine lands
on the same bits:

    momentum  v = MOMENTUM·v′ + g                      next = p − v·rate
    RMSProp   s = RMS_DECAY·s′ + (1 − RMS_DECAY)·g²     next = p − rate·g / (√s + EPSILON)
    Adam      m = BETA1·m′ + (1 − BETA1)·g
              v = BETA2·v′ + (1 − BETA2)·g²            next = p − rate·(m / (1 − BETA1^t))
                                                                  / (√(v / (1 − BETA2^t)) + EPSILON)

(a prime marks the row before). Plain gradient descent keeps no state: next = p − g·rate.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Hyperparameter:
    name: str
    """The workbook's defined name of its cell, and its key in a run's settings."""
    label: str
    default: float
    is_decay: bool
    """A rate of decay, in [0, 1); otherwise a small positive number (ε)."""
    meaning: str

    @property
    def option(self) -> str:
        return "--" + self.name.lower().replace("_", "-")


HYPERPARAMETERS = {h.name: h for h in (
    Hyperparameter("MOMENTUM", "Momentum", 0.9, True,
                   "How much of the previous step's velocity each step keeps."),
    Hyperparameter("RMS_DECAY", "RMS decay", 0.99, True,
                   "How much of the previous mean square of the gradient each step keeps."),
    Hyperparameter("BETA1", "β1", 0.9, True,
                   "How much of the previous mean gradient each step keeps."),
    Hyperparameter("BETA2", "β2", 0.999, True,
                   "How much of the previous mean square of the gradient each step keeps."),
    Hyperparameter("EPSILON", "ε", 1e-8, False,
                   "Added below the fraction's line, so that a tiny gradient never divides "
                   "by zero."),
)}

Settings = Mapping[str, float]
"""Hyperparameter values by name."""
State = tuple[float, ...]
"""One parameter's state after a row, in the order of `Optimizer.states`."""


@dataclass(frozen=True)
class Optimizer:
    name: str
    title: str
    hyperparameters: tuple[str, ...]
    states: tuple[str, ...]
    """The names of the numbers it keeps per parameter: each gets a column."""
    state: Callable[[Settings, State, float], State] | None
    """A parameter's state after the row, from the state before it and the row's gradient."""
    step: Callable[[Settings, float, float, State, int, float], float] | None
    """The next parameter: from (settings, p, g, the row's state, t, rate). Plain gradient
    descent has neither: `training.train` steps it inline, p − g·rate, for speed."""
    words: str

    def settings(self, given: Settings | None = None) -> dict[str, float]:
        """Its hyperparameters: the defaults, overridden by those `given`."""
        given = given or {}
        return {name: given.get(name, HYPERPARAMETERS[name].default)
                for name in self.hyperparameters}

    @property
    def first_state(self) -> State:
        return (0.0,) * len(self.states)


def _momentum_state(h: Settings, before: State, g: float) -> State:
    return (h["MOMENTUM"] * before[0] + g,)


def _rmsprop_state(h: Settings, before: State, g: float) -> State:
    decay = h["RMS_DECAY"]
    return (decay * before[0] + (1 - decay) * g**2,)


def _adam_state(h: Settings, before: State, g: float) -> State:
    beta1, beta2 = h["BETA1"], h["BETA2"]
    return (beta1 * before[0] + (1 - beta1) * g, beta2 * before[1] + (1 - beta2) * g**2)


def _adam_step(h: Settings, p: float, g: float, state: State, t: int, rate: float) -> float:
    m, v = state
    m_hat = m / (1 - h["BETA1"] ** t)
    v_hat = v / (1 - h["BETA2"] ** t)
    return p - rate * m_hat / (math.sqrt(v_hat) + h["EPSILON"])


OPTIMIZERS = {o.name: o for o in (
    Optimizer("gd", "Gradient descent", (), (), None, None,
              "Plain gradient descent steps every parameter against its gradient, scaled by "
              "the learning rate."),
    Optimizer("momentum", "Momentum", ("MOMENTUM",), ("v",), _momentum_state,
              lambda h, p, g, state, t, rate: p - state[0] * rate,
              "Momentum remembers the direction: its velocity v adds each gradient to most of "
              "the velocity before, so steps that keep one direction grow and steps that zigzag "
              "cancel out."),
    Optimizer("rmsprop", "RMSProp", ("RMS_DECAY", "EPSILON"), ("s",), _rmsprop_state,
              lambda h, p, g, state, t, rate: p - rate * g / (math.sqrt(state[0])
                                                             + h["EPSILON"]),
              "RMSProp scales each parameter's step by its recent gradient size: s is a running "
              "mean of the squared gradient, and the step divides the gradient by its square "
              "root, so a parameter with large gradients takes careful steps and one with tiny "
              "gradients takes bold ones."),
    Optimizer("adam", "Adam", ("BETA1", "BETA2", "EPSILON"), ("m", "v"), _adam_state,
              _adam_step,
              "Adam does both: m is a running mean of the gradient (momentum), v a running "
              "mean of its square (RMSProp). Both start at 0, so early on they are too small; "
              "dividing by 1 − β^t corrects that start-up bias, and the correction fades as "
              "the attempts go by."),
)}
GRADIENT_DESCENT = OPTIMIZERS["gd"]
