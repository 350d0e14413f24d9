"""Regularised incomplete gamma and beta functions and their inverses, in pure Python.

They are what exact Poisson and binomial intervals need, without depending on scipy:

* ``gamma_p(a, x)`` is the gamma(a, 1) CDF, so a Poisson(mu) CDF at k is ``1 - gamma_p(k + 1, mu)``
  and the Garwood limits of a count are gamma quantiles;
* ``beta_i(a, b, x)`` is the beta(a, b) CDF, so a binomial(n, p) CDF at k is
  ``beta_i(n - k, k + 1, 1 - p)`` and the Clopper-Pearson limits are beta quantiles.

The series and continued fractions follow Press et al., *Numerical Recipes* (3rd ed., §6.2
and §6.4); the inverses are Newton's method kept inside a shrinking bracket, so they
converge in a few steps from a normal-approximation start and can never wander off.

``beta_i_many`` and ``beta_ppf_many`` give the same values as ``beta_i`` and ``beta_ppf``
to the last bit for many arguments at once: the continued fraction runs over arrays (each
element stopping at the term its scalar evaluation stops at, with the same arithmetic in
the same order), and the quantiles' Newton steps advance together, one array evaluation of
the integral per step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Sequence
from statistics import NormalDist
from typing import Final

import numpy as np
import numpy.typing as npt

EPSILON: Final = 1e-15
"""Relative accuracy the series and continued fractions stop at."""
_TINY: Final = 1e-300
_MAX_TERMS: Final = 10_000_000
_MAX_NEWTON: Final = 400
_SCALAR_BELOW: Final = 16
"""Continued fractions still running when this few are left finish one by one, in Python."""


class ConvergenceError(ArithmeticError):
    """A series or continued fraction did not converge (never seen for finite arguments)."""


def gamma_p(a: float, x: float) -> float:
    """Return the regularised lower incomplete gamma function P(a, x), the gamma(a) CDF at x."""
    _check_shape(a, "a")
    if x <= 0:
        return 0.0
    if math.isinf(x):
        return 1.0
    if x < a + 1:
        return _gamma_series(a, x)
    return 1.0 - _gamma_continued_fraction(a, x)


def gamma_q(a: float, x: float) -> float:
    """Return the regularised upper incomplete gamma function Q(a, x) = 1 - P(a, x)."""
    _check_shape(a, "a")
    if x <= 0:
        return 1.0
    if math.isinf(x):
        return 0.0
    if x < a + 1:
        return 1.0 - _gamma_series(a, x)
    return _gamma_continued_fraction(a, x)


def gamma_pdf(a: float, x: float) -> float:
    """Return the gamma(a, scale 1) density at x."""
    if x <= 0:
        return 0.0
    return math.exp((a - 1) * math.log(x) - x - math.lgamma(a))


def gamma_ppf(q: float, a: float) -> float:
    """Return x with P(a, x) = q: the q quantile of the gamma(a, scale 1) distribution."""
    _check_shape(a, "a")
    _check_probability(q)
    if q == 0:
        return 0.0
    if q == 1:
        return math.inf
    # Wilson-Hilferty: accurate to a few digits for a >= 1, so Newton needs few steps.
    z = NormalDist().inv_cdf(q)
    start = a * (1 - 1 / (9 * a) + z / (3 * math.sqrt(a))) ** 3
    if not start > 0:
        start = (q * math.gamma(a + 1)) ** (1 / a) if a < 100 else a / 2
    return _invert(
        lambda x: gamma_p(a, x),
        lambda x: gamma_pdf(a, x),
        q,
        start,
        0.0,
        math.inf,
        lambda x: (a - 1) / x - 1,
    )


def beta_i(a: float, b: float, x: float) -> float:
    """Return the regularised incomplete beta function I_x(a, b), the beta(a, b) CDF at x."""
    # The shape checks are inlined: this runs tens of thousands of times in a catalogue run.
    if not (0 < a < math.inf):
        _check_shape(a, "a")
    if not (0 < b < math.inf):
        _check_shape(b, "b")
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    # The continued fraction converges fast only on the near side of the mean; use symmetry.
    if x < (a + 1) / (a + b + 2):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1 - x) / b


def beta_i_many(
    a: Sequence[float] | npt.ArrayLike, b: Sequence[float] | npt.ArrayLike, x: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Return ``beta_i(a[i], b[i], x[i])`` for every i, equal to the scalar's to the last bit."""
    shape_a = np.asarray(a, dtype=np.float64).ravel()
    shape_b = np.asarray(b, dtype=np.float64).ravel()
    where = np.asarray(x, dtype=np.float64).ravel()
    if not shape_a.size == shape_b.size == where.size:
        raise ValueError("a, b and x must have one length")
    for shapes, name in ((shape_a, "a"), (shape_b, "b")):
        wrong = ~((shapes > 0) & (shapes < math.inf))
        if wrong.any():
            _check_shape(float(shapes[np.argmax(wrong)]), name)
    answers = np.where(where >= 1, 1.0, 0.0)
    # NaN compares false both ways, so it is inside, as the scalar lets it through.
    inside = np.flatnonzero(~(where <= 0) & ~(where >= 1))
    if not inside.size:
        return answers
    a_in, b_in, x_in = shape_a[inside], shape_b[inside], where[inside]
    # The front factor element by element with math's functions: numpy's exp and log may
    # differ from them in the last bit, and this is cheap beside the continued fraction.
    lgamma, log, log1p, exp = math.lgamma, math.log, math.log1p, math.exp
    front = np.array(
        [
            exp(lgamma(p + r) - lgamma(p) - lgamma(r) + p * log(t) + r * log1p(-t))
            for p, r, t in zip(a_in.tolist(), b_in.tolist(), x_in.tolist(), strict=True)
        ],
        dtype=np.float64,
    )
    near = x_in < (a_in + 1) / (a_in + b_in + 2)
    fraction = _beta_continued_fraction_many(
        np.where(near, a_in, b_in), np.where(near, b_in, a_in), np.where(near, x_in, 1 - x_in)
    )
    answers[inside] = np.where(near, front * fraction / a_in, 1.0 - front * fraction / b_in)
    return answers


def beta_pdf(a: float, b: float, x: float) -> float:
    """Return the beta(a, b) density at x."""
    if x <= 0 or x >= 1:
        return 0.0
    return math.exp(
        (a - 1) * math.log(x)
        + (b - 1) * math.log1p(-x)
        + math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
    )


def beta_ppf(q: float, a: float, b: float) -> float:
    """Return x with I_x(a, b) = q: the q quantile of the beta(a, b) distribution."""
    _check_shape(a, "a")
    _check_shape(b, "b")
    _check_probability(q)
    if q == 0:
        return 0.0
    if q == 1:
        return 1.0
    return _drive(_beta_steps(q, a, b), lambda x: beta_i(a, b, x))


def beta_ppf_many(q: Sequence[float], a: Sequence[float], b: Sequence[float]) -> list[float]:
    """Return ``beta_ppf(q[i], a[i], b[i])`` for every i, the Newton steps taken together.

    Each quantile takes the very steps its scalar evaluation takes; each round of steps
    evaluates the integral of every unfinished quantile in one :func:`beta_i_many`.
    """
    if not len(q) == len(a) == len(b):
        raise ValueError("q, a and b must have one length")
    answers: list[float] = []
    running: list[tuple[int, Generator[float, float, float], float, float]] = []
    for i, (level, shape_a, shape_b) in enumerate(zip(q, a, b, strict=True)):
        _check_shape(shape_a, "a")
        _check_shape(shape_b, "b")
        _check_probability(level)
        answers.append(float(level))  # q == 0 and q == 1 are their own quantiles
        if 0 < level < 1:
            steps = _beta_steps(level, shape_a, shape_b)
            running.append((i, steps, shape_a, shape_b))
    points = [next(steps) for _, steps, _, _ in running]
    while running:
        values = beta_i_many(
            [shape_a for _, _, shape_a, _ in running],
            [shape_b for _, _, _, shape_b in running],
            points,
        ).tolist()
        still: list[tuple[int, Generator[float, float, float], float, float]] = []
        points = []
        for item, value in zip(running, values, strict=True):
            try:
                points.append(item[1].send(value))
            except StopIteration as done:
                answers[item[0]] = done.value
            else:
                still.append(item)
        running = still
    return answers


def _beta_steps(q: float, a: float, b: float) -> Generator[float, float, float]:
    """Return the Newton steps of the beta(a, b) quantile q (0 < q < 1): see :func:`_steps`."""
    return _steps(
        lambda x: beta_pdf(a, b, x),
        q,
        _beta_start(q, a, b),
        0.0,
        1.0,
        lambda x: (a - 1) / x - (b - 1) / (1 - x),
    )


def _beta_start(q: float, a: float, b: float) -> float:
    """Return a first guess at the beta(a, b) quantile q, inside (0, 1)."""
    z = NormalDist().inv_cdf(q)
    if a >= 1 and b >= 1:
        # Abramowitz and Stegun 26.5.22 (as Numerical Recipes starts its inverse): a
        # skew-corrected normal approximation, a few digits right even for small shapes. Its
        # normal deviate is the upper-tail one, hence -z.
        y = -z
        shape = (y * y - 3) / 6
        harmonic = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
        w = y * math.sqrt(shape + harmonic) / harmonic - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (
            shape + 5 / 6 - 2 / (3 * harmonic)
        )
        exponent = 2 * w
        if exponent < 700:
            start = a / (a + b * math.exp(exponent))
            if 0 < start < 1:
                return start
    else:
        # A shape below 1 puts the quantile deep in a tail, where the density's leading term
        # x^a / a (or (1 - x)^b / b) alone is close (Numerical Recipes' start for this case):
        # a normal start would leave Newton's method halving towards it for hundreds of steps.
        left = math.exp(a * math.log(a / (a + b))) / a
        right = math.exp(b * math.log(b / (a + b))) / b
        total = left + right
        if q < left / total:
            start = math.pow(a * total * q, 1 / a)
        else:
            start = 1 - math.pow(b * total * (1 - q), 1 / b)
        if 0 < start < 1:
            return start
    mean = a / (a + b)
    spread = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    start = mean + z * spread
    return start if 0 < start < 1 else mean


def _invert(
    cdf: Callable[[float], float],
    pdf: Callable[[float], float],
    q: float,
    start: float,
    low: float,
    high: float,
    slope: Callable[[float], float] | None = None,
) -> float:
    """Solve cdf(x) = q for an increasing cdf by the steps of :func:`_steps`."""
    return _drive(_steps(pdf, q, start, low, high, slope), cdf)


def _drive(steps: Generator[float, float, float], cdf: Callable[[float], float]) -> float:
    """Run a solver's steps, answering each point it asks about with ``cdf``; return its root."""
    x = next(steps)
    try:
        while True:
            x = steps.send(cdf(x))
    except StopIteration as done:
        root: float = done.value
        return root


def _steps(
    pdf: Callable[[float], float],
    q: float,
    start: float,
    low: float,
    high: float,
    slope: Callable[[float], float] | None = None,
) -> Generator[float, float, float]:
    """Solve cdf(x) = q for an increasing cdf by Newton steps, bisecting when one overshoots.

    The solver yields each point x it needs the cdf at and is sent the cdf's value there,
    so many solvers can share one array evaluation of their cdfs; it returns the root.
    With ``slope``, the derivative of the log density, each step is Halley's (Newton's
    corrected for the density's curvature), which converges in fewer evaluations of the cdf.
    """
    x = start
    for _ in range(_MAX_NEWTON):
        error = (yield x) - q
        if error == 0:
            return x
        if error < 0:
            low = x
        else:
            high = x
        density = pdf(x)
        candidate = math.nan
        if density > 0:
            step = error / density
            candidate = x - step
            if slope is not None:
                # Halley: the Newton step divided by 1 - step * f'/(2 f); kept only when it
                # stays inside the bracket (far from the root the correction can mislead).
                corrected = x - step / (1 - step * slope(x) / 2)
                if low < corrected < high:
                    candidate = corrected
            if abs(candidate - x) <= 1e-14 * abs(candidate):
                # Converged: a step this small may round onto the bracket's end, where
                # bisecting would only walk away from the root and back.
                return candidate if low <= candidate <= high else x
        if not low < candidate < high:
            candidate = _midpoint(low, high, x)
        if abs(candidate - x) <= 1e-14 * abs(candidate) or candidate in (low, high):
            return candidate
        x = candidate
    raise ConvergenceError(f"the quantile {q} did not converge (last estimate {x})")


def _midpoint(low: float, high: float, x: float) -> float:
    if math.isinf(high):
        return max(2 * x, 1.0)
    if low == 0:
        # Halving keeps relative precision for quantiles far below the bracket's top.
        return high / 2
    return (low + high) / 2


def _gamma_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    shape = a
    for _ in range(_MAX_TERMS):
        shape += 1
        term *= x / shape
        total += term
        if abs(term) < abs(total) * EPSILON:
            return total * math.exp(-x + a * math.log(x) - math.lgamma(a))
    raise ConvergenceError(f"gamma series for a={a}, x={x} did not converge")


def _gamma_continued_fraction(a: float, x: float) -> float:
    # Modified Lentz evaluation of the continued fraction for Q(a, x).
    b = x + 1 - a
    c = 1 / _TINY
    d = 1 / b
    h = d
    for i in range(1, _MAX_TERMS):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        if abs(d) < _TINY:
            d = _TINY
        c = b + an / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < EPSILON:
            return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h
    raise ConvergenceError(f"gamma continued fraction for a={a}, x={x} did not converge")


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    # Modified Lentz evaluation of the continued fraction for I_x(a, b). The hot loop of the
    # exact tests: constants are bound locally and |v| < tiny is written as a chained
    # comparison (no call), with the arithmetic of each step unchanged.
    tiny, epsilon = _TINY, EPSILON
    qab, qap, qam = a + b, a + 1, a - 1
    c = 1.0
    d = 1 - qab * x / qap
    if -tiny < d < tiny:
        d = tiny
    d = 1 / d
    h = d
    for m in range(1, _MAX_TERMS):
        m2 = 2 * m
        am2 = a + m2
        aa = m * (b - m) * x / ((qam + m2) * am2)
        d = 1 + aa * d
        if -tiny < d < tiny:
            d = tiny
        c = 1 + aa / c
        if -tiny < c < tiny:
            c = tiny
        d = 1 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / (am2 * (qap + m2))
        d = 1 + aa * d
        if -tiny < d < tiny:
            d = tiny
        c = 1 + aa / c
        if -tiny < c < tiny:
            c = tiny
        d = 1 / d
        delta = d * c
        h *= delta
        if -epsilon < delta - 1 < epsilon:
            return h
    raise ConvergenceError(f"beta continued fraction for a={a}, b={b}, x={x} did not converge")


def _beta_continued_fraction_many(
    a: npt.NDArray[np.float64], b: npt.NDArray[np.float64], x: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Return :func:`_beta_continued_fraction` of every element, each to the last bit.

    Each step does the scalar's arithmetic in the same order on the elements still
    running; an element leaves as soon as its scalar evaluation would return. The last
    few, whose steps would cost an array operation each, are left to the scalar.
    """
    tiny, epsilon = _TINY, EPSILON
    answers = np.empty_like(x)
    shapes_a, shapes_b, points = a, b, x
    with np.errstate(all="ignore"):
        qab, qap, qam = a + b, a + 1, a - 1
        c = np.ones_like(x)
        d = 1 - qab * x / qap
        # |v| < tiny is the scalar's -tiny < v < tiny (NaN false in both).
        np.copyto(d, tiny, where=np.abs(d) < tiny)
        d = 1 / d
        h = d.copy()
        running = np.arange(x.size)
        for m in range(1, _MAX_TERMS):
            if running.size <= _SCALAR_BELOW:
                for i in running.tolist():
                    answers[i] = _beta_continued_fraction(
                        float(shapes_a[i]), float(shapes_b[i]), float(points[i])
                    )
                return answers
            m2 = 2 * m
            am2 = a + m2
            aa = m * (b - m) * x / ((qam + m2) * am2)
            d = 1 + aa * d
            np.copyto(d, tiny, where=np.abs(d) < tiny)
            c = 1 + aa / c
            np.copyto(c, tiny, where=np.abs(c) < tiny)
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / (am2 * (qap + m2))
            d = 1 + aa * d
            np.copyto(d, tiny, where=np.abs(d) < tiny)
            c = 1 + aa / c
            np.copyto(c, tiny, where=np.abs(c) < tiny)
            d = 1 / d
            delta = d * c
            h *= delta
            done = np.abs(delta - 1) < epsilon
            if done.any():
                answers[running[done]] = h[done]
                keep = ~done
                running = running[keep]
                a, b, x, qab, qap, qam, c, d, h = (
                    v[keep] for v in (a, b, x, qab, qap, qam, c, d, h)
                )
    raise ConvergenceError(f"beta continued fraction for a={a[0]}, b={b[0]}, x={x[0]} did not "
                           "converge")  # fmt: skip


def _check_shape(value: float, name: str) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"the shape {name} must be a positive finite number, not {value!r}")


def _check_probability(q: float) -> None:
    if not 0 <= q <= 1:
        raise ValueError(f"a probability must lie in [0, 1], not {q!r}")
