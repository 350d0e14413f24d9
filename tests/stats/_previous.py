"""The statistical functions as they were before they were made fast, kept as a slow reference.

Term by term and evaluation by evaluation what ``framework.stats`` computed before: the
beta continued fraction with its ``abs`` guards, the quantiles by Newton's method from a
normal start, the exact binomial test bisecting the whole far side, Fisher's test with the
margins' term inside the sum. The property tests check the fast versions against these.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from statistics import NormalDist

_EPSILON = 1e-15
_TINY = 1e-300
_RELATIVE_TIE = 1 + 1e-7


def beta_i(a: float, b: float, x: float) -> float:
    """Return I_x(a, b) as before."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1 - x) / b


def beta_pdf(a: float, b: float, x: float) -> float:
    """Return the beta(a, b) density as before."""
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
    """Return the beta(a, b) quantile q as before: Newton from a normal start."""
    if q == 0:
        return 0.0
    if q == 1:
        return 1.0
    mean = a / (a + b)
    spread = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    start = mean + NormalDist().inv_cdf(q) * spread
    if not 0 < start < 1:
        start = mean
    return _invert(lambda x: beta_i(a, b, x), lambda x: beta_pdf(a, b, x), q, start, 0.0, 1.0)


def gamma_p(a: float, x: float) -> float:
    """Return P(a, x) as before."""
    if x <= 0:
        return 0.0
    if math.isinf(x):
        return 1.0
    if x < a + 1:
        return _gamma_series(a, x)
    return 1.0 - _gamma_continued_fraction(a, x)


def gamma_ppf(q: float, a: float) -> float:
    """Return the gamma(a) quantile q as before: Newton from the Wilson-Hilferty start."""
    if q == 0:
        return 0.0
    if q == 1:
        return math.inf
    z = NormalDist().inv_cdf(q)
    start = a * (1 - 1 / (9 * a) + z / (3 * math.sqrt(a))) ** 3
    if not start > 0:
        start = (q * math.gamma(a + 1)) ** (1 / a) if a < 100 else a / 2

    def pdf(x: float) -> float:
        return 0.0 if x <= 0 else math.exp((a - 1) * math.log(x) - x - math.lgamma(a))

    return _invert(lambda x: gamma_p(a, x), pdf, q, start, 0.0, math.inf)


def binomial_test_p_value(x: int, n: int, p: float) -> float:
    """Return the two-sided exact binomial p-value as before: bisecting the whole far side."""
    if n == 0:
        return 1.0
    threshold = _log_binomial_pmf(x, n, p) + math.log(_RELATIVE_TIE)
    expected = n * p
    if x == expected:
        return 1.0
    if x < expected:
        first = _first_index(
            math.ceil(expected), n + 1, lambda k: _log_binomial_pmf(k, n, p) <= threshold
        )
        total = _binomial_cdf(x, n, p) + _binomial_sf(first - 1, n, p)
    else:
        last = _first_index(
            0, math.floor(expected) + 1, lambda k: _log_binomial_pmf(k, n, p) > threshold
        )
        total = _binomial_cdf(last - 1, n, p) + _binomial_sf(x - 1, n, p)
    return min(1.0, total)


def fisher_exact_p_value(x1: int, n1: int, x2: int, n2: int) -> float:
    """Return Fisher's two-sided exact p-value as before."""
    column = x1 + x2
    low, high = max(0, column - n2), min(n1, column)

    def log_probability(k: int) -> float:
        return _log_choose(n1, k) + _log_choose(n2, column - k) - _log_choose(n1 + n2, column)

    observed = log_probability(x1) + math.log(_RELATIVE_TIE)
    total = sum(
        math.exp(lp) for k in range(low, high + 1) if (lp := log_probability(k)) <= observed
    )
    return min(1.0, total)


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def _invert(
    cdf: Callable[[float], float],
    pdf: Callable[[float], float],
    q: float,
    start: float,
    low: float,
    high: float,
) -> float:
    x = start
    for _ in range(400):
        error = cdf(x) - q
        if error == 0:
            return x
        if error < 0:
            low = x
        else:
            high = x
        density = pdf(x)
        candidate = x - error / density if density > 0 else math.nan
        if not low < candidate < high:
            if math.isinf(high):
                candidate = max(2 * x, 1.0)
            elif low == 0:
                candidate = high / 2
            else:
                candidate = (low + high) / 2
        if abs(candidate - x) <= 1e-14 * abs(candidate) or candidate in (low, high):
            return candidate
        x = candidate
    raise ArithmeticError(f"the quantile {q} did not converge")


def _gamma_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    shape = a
    while True:
        shape += 1
        term *= x / shape
        total += term
        if abs(term) < abs(total) * _EPSILON:
            return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_continued_fraction(a: float, x: float) -> float:
    b = x + 1 - a
    c = 1 / _TINY
    d = 1 / b
    h = d
    i = 0
    while True:
        i += 1
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
        if abs(delta - 1) < _EPSILON:
            return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1, a - 1
    c = 1.0
    d = 1 - qab * x / qap
    if abs(d) < _TINY:
        d = _TINY
    d = 1 / d
    h = d
    m = 0
    while True:
        m += 1
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        if abs(d) < _TINY:
            d = _TINY
        c = 1 + aa / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        if abs(d) < _TINY:
            d = _TINY
        c = 1 + aa / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPSILON:
            return h


def _first_index(start: int, stop: int, condition: Callable[[int], bool]) -> int:
    low, high = start, stop
    while low < high:
        middle = (low + high) // 2
        if condition(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _log_binomial_pmf(k: int, n: int, p: float) -> float:
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def _binomial_cdf(k: int, n: int, p: float) -> float:
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return beta_i(n - k, k + 1, 1 - p)


def _binomial_sf(k: int, n: int, p: float) -> float:
    if k < 0:
        return 1.0
    if k >= n:
        return 0.0
    return beta_i(k + 1, n - k, p)


def as_count(value: float) -> int:
    """Return a count as an int as before, refusing negative, fractional or non-finite values."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"a count must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number) or number < 0 or number != int(number):
        raise ValueError(f"a count must be a whole number of at least 0, not {value!r}")
    return int(number)
