"""Valid ``sql`` adapter options for property tests: one connection, one source, one period."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from framework.model.sql_options import SqlTableOptions

_names = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
_filter_values = st.one_of(
    st.text(alphabet="abcdefghij klm", min_size=1, max_size=8).filter(lambda t: t.strip() == t),
    st.integers(-1000, 1000),
    st.booleans(),
)


@st.composite
def sql_options(draw: st.DrawFn) -> SqlTableOptions:
    """Draw options that pass every rule of :class:`SqlTableOptions`."""
    values: dict[str, Any] = {"kind": "sql", "area_column": draw(_names)}
    if draw(st.booleans()):
        values["connection"] = draw(_names)
    else:
        values["connection_env"] = draw(st.from_regex(r"[A-Z][A-Z0-9_]{0,10}", fullmatch=True))
    if draw(st.booleans()):
        values["table"] = draw(
            st.from_regex(r"[a-z][a-z0-9_]{0,8}(\.[a-z][a-z0-9_]{0,8})?", fullmatch=True)
        )
    else:
        # Prefixed so that a drawn name is never a word the read-only rule refuses (`into`).
        values["query"] = f"SELECT * FROM t_{draw(_names)}"
    values["date_column" if draw(st.booleans()) else "period_column"] = draw(_names)
    value = draw(st.sampled_from(["none", "one", "several"]))
    if value == "one":
        values["value_column"] = draw(_names)
    elif value == "several":
        values["value_columns"] = draw(st.lists(_names, min_size=1, max_size=3))
    values["filters"] = draw(
        st.dictionaries(_names, st.lists(_filter_values, min_size=1, max_size=3), max_size=2)
    )
    values["timeout_seconds"] = draw(st.integers(1, 86_400))
    return SqlTableOptions.model_validate(values)
