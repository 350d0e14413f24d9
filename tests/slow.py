"""The tests ``make test-fast`` leaves out, by module: the one place that names them.

A test belongs here (or carries ``@pytest.mark.slow`` itself) when it takes more than about a
tenth of a second on its own: it runs the real catalogue, builds a statement, starts a
subprocess or a database server, or parses a real workbook. ``make test`` runs them all.
Keys are paths under tests/; a name is a test function (every parameter of it), a
``Class::test`` or one parameter, ``test[id]``. tests/test_test_loop.py checks that every
name exists and that every module keeps a fast test (bar those in ``ALL_SLOW``).
"""

from __future__ import annotations

from collections.abc import Iterable

SLOW: dict[str, tuple[str, ...]] = {
    "assemble/test_comparator_gaps.py": (
        "test_the_comparator_chart_draws_no_average_of_fewer_members",
        "test_the_trend_draws_no_comparator_and_says_why",
    ),
    "cli/test_exclusions.py": (
        "test_a_threshold_in_the_yaml_allows_known_rows",
        "test_dates_in_another_format_are_one_finding_naming_the_column",
        "test_the_bundled_catalogue_expects_all_its_exclusions",
        "test_the_findings_read_as_the_golden_file",
        "test_the_misspelt_rows_are_a_finding_that_names_them",
        "test_the_summary_is_on_stderr_so_the_csv_stays_clean",
        "test_validate_data_lists_each_row_at_its_line",
        "test_with_the_name_put_right_the_baseline_is_775_and_the_run_is_clean",
    ),
    "cli/test_force_only_extract.py": (
        "test_a_covers_list_is_checked_entry_by_entry",
        "test_a_force_only_csv_matches_its_declaration",
        "test_a_force_only_csv_yields_empty_comparators_with_a_reason[True]",
        "test_a_listed_coverage_gives_the_comparators_it_can",
        "test_all_forces_declared_over_one_force_is_a_located_finding",
        "test_force_only_declared_over_two_forces_is_a_finding",
    ),
    "cli/test_light_imports.py": ("test_command_imports_no_heavy_module",),
    "cli/test_report_guard.py": (
        "test_a_declared_latest_period_stands_in_for_a_source_that_cannot_be_read",
        "test_a_failing_source_leaves_the_good_statement_untouched",
        "test_allow_errors_writes_the_asked_quarter_with_the_failing_measures_marked",
        "test_every_forces_statements_are_not_replaced_either",
        "test_without_a_declared_quarter_the_survivors_do_not_choose_it",
    ),
    "cli/test_run_findings.py": (
        "test_a_filter_that_selects_nothing_is_a_run_finding",
        "test_trace_of_a_window_with_no_source_rows_exits_1",
        "test_trace_warns_when_the_run_leaves_the_window_empty",
    ),
    "cli/test_schema_command.py": ("test_write_then_check",),
    "cli/test_trace_command.py": (
        "test_a_missing_data_file_is_a_finding",
        "test_a_month_inside_a_quarter_traces_the_window_ending_before_it",
        "test_a_monthly_measure_traces_its_months",
        "test_a_published_window_is_one_row",
        "test_an_unknown_or_uncomputed_measure_exits_2",
        "test_homicide_rows_add_up_to_the_figure",
        "test_source_rows_point_at_the_published_table",
        "test_standard_error_names_the_window",
    ),
    "engine/test_as_of.py": (
        "test_a_monthly_window_with_a_gap_says_what_it_lacks",
        "test_a_quarterly_measure_as_of_january_says_it_answers_for_december",
        "test_as_of_a_quarter_end_needs_no_note",
        "test_data_that_end_earlier_are_named_as_the_reason",
        "test_the_cli_says_it_on_stderr_and_in_the_results",
        "test_trace_says_which_window_it_traces_for_a_month_inside_a_quarter",
    ),
    "engine/test_coverage.py": (
        "test_a_named_group_needs_every_member_too",
        "test_the_tables_own_england_and_wales_row_is_the_comparator",
    ),
    "engine/test_coverage_properties.py": (
        "test_a_comparator_is_empty_exactly_when_a_member_lacks_data",
        "test_a_published_row_is_used_verbatim",
    ),
    "engine/test_police_uk_monthly.py": (
        "test_police_uk_types_are_broader_than_the_neighbourhood_subgroups",
        "test_the_12_months_to_march_2022_agree_with_the_home_office_table",
    ),
    "engine/test_signals.py": (
        "test_a_rebase_recomputes_the_limits_from_its_period",
        "test_counts_are_tested_from_the_baseline_on",
        "test_proportions_get_no_rate_interval_but_a_wilson_interval",
        "test_spc_columns_reach_the_run_for_measures_that_draw_spc",
        "test_spc_reads_each_period_not_the_rolling_window",
    ),
    "init/test_init.py": (
        "test_a_click_usage_error_has_the_same_style",
        "test_every_command_says_the_same_in_an_empty_folder",
        "test_every_one_of_the_43_forces_is_found_by_name_and_code",
        "test_help_has_no_restructured_text",
        "test_one_period_option_in_three_forms",
        "test_strict_fails_on_a_warning",
        "test_the_profile_comes_from_the_national_area_list",
        "test_the_written_files",
        "test_version",
    ),
    "init/test_layers.py": (
        "test_a_base_that_is_not_a_folder",
        "test_a_force_may_build_on_a_copy_of_the_national_folder",
        "test_a_new_force_catalogue_is_clean_and_holds_nothing_national",
        "test_an_own_measure_and_a_declared_replacement_name_their_layers",
        "test_an_undeclared_clash_with_a_base_id_is_a_finding",
        "test_the_root_file_findings",
        "test_warnings_strict_turns_into_failures",
    ),
    "loading/test_located_yaml.py": (
        "test_billion_laughs_stops_quickly",
        "test_findings_do_not_depend_on_libyaml",
    ),
    "renderers/test_comparator.py": (
        "test_benchmarks_are_a_second_panel",
        "test_msg_average_rule_is_the_mean_of_the_group",
    ),
    "renderers/test_export.py": (
        "test_a_failed_conversion_leaves_previous_files_intact",
        "test_export_writes_spec_svg_and_png",
        "test_vl_convert_renders_the_chart_text",
    ),
    "renderers/test_funnel.py": (
        "test_a_plot_that_highlights_no_force_names_one_role",
        "test_the_chart_states_how_the_msg_average_is_taken_and_what_ranks_mean",
    ),
    "renderers/test_labels.py": (
        "test_illustrative_msg_label",
        "test_synthetic_label_appears_only_for_synthetic_data",
    ),
    "renderers/test_render.py": (
        "test_a_spec_the_schema_rejects_is_an_error",
        "test_building_a_spec_imports_no_altair",
        "test_dispatcher_covers_every_kind",
        "test_dispatcher_equals_the_builder",
    ),
    "renderers/test_schema.py": (
        "test_spec_validates_against_vegalite_schema",
        "test_synthetic_spec_validates",
    ),
    "renderers/test_snapshots.py": ("test_rendering_is_deterministic",),
    "renderers/test_spc.py": (
        "test_each_point_carries_its_variation_and_rule",
        "test_icons_are_shown_as_text",
        "test_limits_break_where_they_were_recalculated",
        "test_near_limits_are_dotted_and_optional",
        "test_points_are_coloured_by_variation_in_making_data_count_colours",
        "test_target_is_a_labelled_rule",
    ),
    "renderers/test_tooltips.py": (
        "test_every_layer_has_a_tooltip",
        "test_tooltip_titles_carry_the_unit",
    ),
    "renderers/test_trend.py": (
        "test_baseline_rule_is_drawn_at_the_baseline_and_labelled",
        "test_comparators_plot_rates_for_every_series",
    ),
    "schema/test_drift.py": ("test_generation_is_stable",),
    "schema/test_json_schema.py": (
        "test_broken_files_fail_their_schema",
        "test_valid_files_pass_their_schema",
    ),
    "sources/test_home_office.py": (
        "test_csv_reads_like_parquet",
        "test_warwickshire_year_to_june_2019",
    ),
    "sources/test_home_office_workbooks.py": (
        "test_a_multi_sheet_workbook_gives_the_figures_of_the_csv",
    ),
    "sources/test_ons_pfa.py": (
        "test_a_damaged_edition_is_a_problem_and_the_rest_load",
        "test_a_renamed_table_names_the_workbook_and_what_was_looked_for",
        "test_a_sheet_without_the_table_layout_names_the_sheet",
        "test_each_table_is_found_by_title",
        "test_every_bundled_edition_reads",
        "test_lean_xlsx_reader_matches_openpyxl",
    ),
    "sources/test_ons_pfa_cache.py": (
        "test_a_cached_read_is_the_parsed_read",
        "test_a_tampered_entry_is_a_miss_and_the_workbook_is_parsed",
        "test_an_edition_that_fails_is_never_cached",
    ),
    "sources/test_police_uk.py": (
        "test_the_bundled_months_of_2021_22_are_gzipped_copies_read_as_published",
    ),
    "sources/test_police_uk_cache.py": (
        "test_a_warm_read_is_the_cold_read",
        "test_counts_keep_the_books_of_records",
    ),
    "sources/test_population.py": ("test_publishing_edition_tables_follow_the_rule",),
    "sources/test_row_checks.py": (
        "test_a_relabelled_ons_row_does_not_change_warwickshire",
        "test_a_repeated_home_office_row_is_a_finding_not_a_sum",
        "test_an_error_cell_names_the_workbook_sheet_and_cell",
        "test_books_balance_and_no_key_repeats_after_the_checks",
    ),
    "sources/test_source_registry.py": ("test_every_dataset_reads_into_the_canonical_frame",),
    "sources/test_spreadsheet_bounds.py": ("test_the_bundled_workbooks_are_within_the_bounds",),
    "sources/test_tidy.py": (
        "test_row_order_is_irrelevant",
        "test_sum_is_preserved_minus_exclusions",
    ),
    "sql/test_options.py": ("test_a_mean_over_a_sql_dataset_is_refused",),
    "stats/test_attribute.py": ("test_rare_events_rarely_flag_a_stable_latest_point",),
    "stats/test_overdispersed.py": (
        "test_fisher_matches_scipy",
        "test_the_z_test_matches_statsmodels",
    ),
    "stats/test_properties.py": ("test_scaling_scales_mean_and_limits_and_keeps_flags",),
    "test_layers.py": (
        "test_no_package_imports_upward",
        "test_plain_renderers_import_only_plain_parts",
        "test_there_is_no_cycle_between_packages",
    ),
    "test_recipes.py": (
        "test_a_registered_adapter_is_read_validated_and_evaluated",
        "test_an_unregistered_kind_is_a_finding",
    ),
    "validation/test_path_containment.py": (
        "test_report_refuses_and_publishes_nothing_from_outside",
    ),
    "validation/test_profile_rules.py": ("test_an_unknown_force_code_is_found",),
    "validation/test_span_check.py": (
        "test_a_baseline_the_data_do_not_cover_is_dat014",
        "test_a_rebase_outside_the_data_is_dat014_and_inside_is_not",
    ),
    "validation/test_value_rules.py": ("test_a_repeated_priority_order_is_a_finding",),
}

# Modules left out of the fast loop whole (some also marked in the module), and why; the fast
# loop does not even import them.
ALL_SLOW: dict[str, str] = {
    "assemble/test_national.py": "every force's statement and the national overview",
    "bench/test_evaluate_bench_smoke.py": "its small run is still the real catalogue",
    "bench/test_ingest_bench_smoke.py": "it generates and ingests a table",
    "bench/test_report_bench_smoke.py": "it builds two forces' statements",
    "bench/test_spreadsheet_bench_smoke.py": "it runs the benchmark script at a small size",
    "bench/test_sql_bench_smoke.py": "it writes and queries a 20,000-row database",
    "bench/test_validate_bench_smoke.py": "it runs the benchmark script at a small size",
    "cli/test_render_command.py": "each renders real charts as SVG and PNG",
    "cli/test_report_command.py": "each reads or builds the real statement",
    "cli/test_run_command.py": "each runs the real catalogue",
    "docs/test_new_force_tutorial.py": "it follows the tutorial to a statement",
    "engine/test_properties.py": "property tests, marked in the module",
    "engine/test_published_comparators.py": "each runs knife crime over the real catalogue",
    "engine/test_real_figures.py": "each evaluates the real bundled tables",
    "engine/test_reuse.py": "each runs every force",
    "engine/test_status.py": "each runs a measure over the real catalogue",
    "init/test_wheel.py": "it builds and installs the wheel",
    "renderers/test_label_overlap.py": "it renders every force's charts",
    "renderers/test_properties.py": "property tests checking specs by schema",
    "report/test_browser.py": "browser: headless Chromium",
    "report/test_pdf.py": "browser: headless Chromium",
    "report/test_real_statement_browser.py": "browser: headless Chromium on the real statement",
    "sql/test_equivalence.py": "each runs the catalogue over DuckDB or PostgreSQL and compares",
    "sql/test_explain_plan.py": "each needs the DuckDB copy of the demo tables",
    "sql/test_failures.py": "each uses a DuckDB copy or a PostgreSQL server",
    "sql/test_memory.py": "it counts a million records through DuckDB to measure memory",
    "sql/test_properties.py": "its property queries DuckDB and PostgreSQL per example",
    "sql/test_without_database.py": "a subprocess run of the demo; a DuckDB copy of its tables",
    "stats/test_reference_statsmodels.py": "it compares with statsmodels, 1.5 s to import",
    "validation/test_data_stage.py": "each checks the whole real catalogue against its data",
}


def naming(name: str, listed: Iterable[str]) -> set[str]:
    """Return the entries of ``listed`` naming a test: ``test``, ``Class::test`` or ``test[id]``."""
    bare = name.split("[", 1)[0]
    return {entry for entry in listed if entry in (name, bare)}


def matches(name: str, listed: Iterable[str]) -> bool:
    """Say whether a test (``test``, ``Class::test``, ``test[id]``) is one the list names."""
    return bool(naming(name, listed))
