"""``measures explain``: plain English generated from a measure's fields."""

from __future__ import annotations

from pathlib import Path

from framework.cli.explain_command import describe_filters, explain_measure, join_words
from framework.loading.catalogue import load_catalogue
from tests.cli.helpers import CATALOGUE_OK, invoke
from tests.validation.catalogue_copies import copy_catalogue, edit


def test_explains_a_count() -> None:
    result = invoke("explain", "homicide", "--catalogue", str(CATALOGUE_OK))
    assert result.exit_code == 0, result.output
    assert (
        "Counts rows of recorded_crime where offence_subgroup is Homicide, per quarter, summed "
        "over rolling 12-month windows, compared with the baseline 12 months to June 2019 "
        "(2018-07 to 2019-06); lower is better; compared with England and Wales, the region, "
        "the most similar group and Urban forces."
    ) in result.stdout
    assert result.stdout.startswith("homicide: Homicide\nA national measure")
    assert "Caveat: Counts are small." in result.stdout


def test_explains_a_proportion() -> None:
    catalogue = load_catalogue(CATALOGUE_OK)
    located = catalogue.measure("victim_satisfaction")
    assert located is not None
    assert explain_measure(located.model, catalogue) == (
        "Takes the percentage of the rows of victim_survey for which satisfied is yes, out of "
        "all of them, per month, over rolling 6-month windows, compared with the baseline "
        "6 months to June 2019 (2019-01 to 2019-06); higher is better."
    )


def test_explains_an_unavailable_measure() -> None:
    catalogue = load_catalogue(CATALOGUE_OK)
    located = catalogue.measure("victim_satisfaction_csew")
    assert located is not None
    text = explain_measure(located.model, catalogue)
    assert text.startswith("Not computed by the police. No force-level estimate is published.")
    assert text.endswith("Standing in for it: victim_satisfaction.")


def test_period_window_and_no_comparators(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    edit(root, "definitions/homicide.yaml", "{kind: rolling, months: 12}", "{kind: period}")
    edit(root, "definitions/homicide.yaml", "[national, region, msg, urban_forces]", "[]")
    catalogue = load_catalogue(root)
    located = catalogue.measure("homicide")
    assert located is not None
    assert ", each quarter on its own," in explain_measure(located.model, catalogue)
    assert explain_measure(located.model, catalogue).endswith("; lower is better.")


def test_unknown_id_is_a_usage_error_with_a_suggestion() -> None:
    # As in run and render: a measure id that names nothing is a mistake in the command.
    result = invoke("explain", "homicde", "--catalogue", str(CATALOGUE_OK))
    assert result.exit_code == 2
    assert "error: no measure 'homicde'. Did you mean 'homicide'?" in result.stderr


def test_prose_helpers() -> None:
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert describe_filters({"x": ["A", "B", "C"], "flag": [True]}) == (
        "x is one of A, B or C and flag is true"
    )


def test_explain_states_how_the_status_is_decided() -> None:
    result = invoke("explain", "homicide", "--catalogue", str(CATALOGUE_OK))
    assert "Status: the window's count is tested against the baseline's allowing for " in (
        result.stdout
    )
    assert "a change is significant at p < 0.05." in result.stdout
    proportion = invoke("explain", "victim_satisfaction", "--catalogue", str(CATALOGUE_OK))
    assert "Status: the window's proportion is tested against the baseline's" in proportion.stdout


def test_a_chosen_status_method_is_explained(tmp_path: Path) -> None:
    from framework.engine.status_method import describe_status, status_method

    catalogue = load_catalogue(CATALOGUE_OK)
    located = catalogue.measure("homicide")
    assert located is not None
    measure = located.model.model_copy(
        update={"status": located.model.status.model_copy(update={"method": "spc"})}
    )
    assert status_method(measure) == "spc"
    assert describe_status(measure).startswith("Status: read from the SPC chart")
