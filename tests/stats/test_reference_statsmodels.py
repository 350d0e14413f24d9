"""Reference tests: the dispersion and quasi-Poisson p-values against statsmodels' GLM.

statsmodels is a development dependency only; the framework computes everything itself.
The series are real: Warwickshire's quarterly recorded serious violence and homicide
(Home Office police recorded crime, the bundled table) as the engine reads them.
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.periods import month_index
from framework.stats.dispersion import design_matrix, estimate_dispersion
from framework.stats.overdispersed import quasi_poisson_p_value

sm = pytest.importorskip("statsmodels.api")

CATALOGUE = Path(__file__).parents[2] / "measures"


@cache
def _quarters(measure_id: str) -> tuple[np.ndarray, np.ndarray]:
    from framework.engine.run import Engine
    from framework.engine.signals import latest_run
    from framework.loading.catalogue import load_catalogue

    catalogue = load_catalogue(CATALOGUE)
    item, force = catalogue.measure(measure_id), catalogue.force("warwickshire")
    assert item is not None and force is not None
    result = Engine(catalogue).run(force.model, [item])
    figure = result.evaluated[measure_id].per_period.figure["E23000017"]
    run = latest_run(figure, month_index(2022, 6))
    return run.to_numpy(dtype="float64"), run.index.to_numpy(dtype="int64") % 12


def _statsmodels_scale(counts: np.ndarray, season: np.ndarray) -> tuple[float, bool]:
    design, seasonal = design_matrix(len(counts), season)
    fit = sm.GLM(counts, design, family=sm.families.Poisson()).fit(scale="X2", tol=1e-13)
    return float(fit.scale), seasonal


@pytest.mark.parametrize("measure_id", ["serious_violence", "homicide"])
def test_dispersion_matches_statsmodels_quasi_poisson_on_real_series(measure_id: str) -> None:
    counts, season = _quarters(measure_id)
    ours = estimate_dispersion(counts, season)
    assert ours is not None and ours.seasonal
    scale, seasonal = _statsmodels_scale(counts, season)
    assert seasonal
    assert ours.phi == pytest.approx(scale, rel=1e-6)


def test_serious_violence_is_overdispersed_and_homicide_is_not() -> None:
    violence = estimate_dispersion(*_quarters("serious_violence"))
    homicide = estimate_dispersion(*_quarters("homicide"))
    assert violence is not None and homicide is not None
    assert violence.phi > 5
    assert homicide.phi < 2


def _statsmodels_p(x1: int, x2: int, phi: float, e1: float, e2: float) -> float:
    counts = np.array([x1, x2], dtype="float64")
    design = np.array([[1.0, 1.0], [1.0, 0.0]])
    offset = np.log([e1, e2])
    model = sm.GLM(counts, design, family=sm.families.Poisson(), offset=offset)
    with warnings.catch_warnings():
        # The two-count model is saturated: statsmodels warns, but the scale is given.
        warnings.simplefilter("ignore")
        fit = model.fit(scale=phi, tol=1e-13)
    return float(fit.pvalues[1])


@pytest.mark.parametrize(
    ("x1", "x2", "phi", "e1", "e2"),
    [
        (4819, 5112, 11.6, 1, 1),
        (5373, 8764, 22.0, 1, 1),
        (13, 41, 2.5, 1, 4),
        (250, 300, 1.5, 3, 2),
    ],
)
def test_quasi_poisson_p_values_match_statsmodels(
    x1: int, x2: int, phi: float, e1: float, e2: float
) -> None:
    ours = quasi_poisson_p_value(x1, x2, phi, exposure=e1, baseline_exposure=e2)
    assert ours == pytest.approx(_statsmodels_p(x1, x2, phi, e1, e2), rel=1e-6, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    x1=st.integers(1, 20_000),
    x2=st.integers(1, 20_000),
    phi=st.floats(1.0, 60.0),
)
def test_quasi_poisson_p_values_match_statsmodels_anywhere(x1: int, x2: int, phi: float) -> None:
    ours = quasi_poisson_p_value(x1, x2, phi)
    # Tail areas far out differ in the sixth figure between the two numerical routes.
    assert ours == pytest.approx(_statsmodels_p(x1, x2, phi, 1.0, 1.0), rel=1e-5, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(0, 500), min_size=12, max_size=40),
    start=st.integers(0, 3),
)
def test_dispersion_matches_statsmodels_on_any_quarterly_series(
    counts: list[int], start: int
) -> None:
    y = np.asarray(counts, dtype="float64")
    if y.sum() == 0 or (y > 0).sum() < 3:
        return
    season = (np.arange(len(y)) + start) % 4 * 3
    ours = estimate_dispersion(y, season)
    assert ours is not None
    scale, _ = _statsmodels_scale(y, season)
    # Where a fit is near perfect both are zero to within the fitting tolerance of the GLM.
    assert ours.phi == pytest.approx(scale, rel=1e-4, abs=1e-6)
