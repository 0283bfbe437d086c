//! The shared test story, run against SQLite and against PostgreSQL (a throwaway cluster, or the
//! server DATABASE_URL names). One binary, to keep link times down.

mod access;
mod api;
mod bad_input;
mod claims;
mod connections;
mod cover_family;
mod experience;
mod fuzz;
mod grievances;
mod hardening;
mod indicators;
mod location_tree;
mod operations;
mod pages;
mod reserve;
mod slices;
mod store;
mod story;
mod support;

macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                crate::$name(crate::support::Harness::sqlite().await).await;
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                crate::$name(crate::support::Harness::postgres().await).await;
            })+
        }
    };
}

use access::{
    a_district_officer_sees_and_changes_only_its_district,
    a_facility_sees_and_sends_its_own_claims_only,
    a_session_signs_in_writes_with_its_csrf_token_and_ends,
    a_user_signs_in_by_password_or_token_until_disabled,
    an_import_says_what_it_changes_and_a_record_keeps_its_history,
    every_change_is_in_the_audit_trail_once, every_route_answers_every_role_as_the_matrix_says,
    the_trail_is_walked_a_page_at_a_time_as_one_read_gives_it,
};
use api::api_round_trip;
use bad_input::bad_input_changes_nothing;
use claims::{
    a_batch_judged_in_parts_keeps_each_familys_limit,
    a_claim_judged_between_two_batches_reaches_the_second,
    a_claim_of_a_member_who_moved_since_takes_the_new_familys_limit_in_turn,
    a_claim_received_meanwhile_and_sent_again_is_judged_as_the_senders,
    a_claim_sent_before_its_member_was_registered_takes_the_family,
    a_claim_stored_meanwhile_is_caught_under_the_lock,
    a_claims_file_split_into_parts_is_received_all_or_none, a_failed_batch_leaves_nothing_behind,
    a_family_limit_goes_to_the_claims_that_arrived_first,
    a_payment_run_over_pages_of_claims_pays_each_once, a_reviewer_may_not_review_a_claim_they_sent,
    a_run_failing_midway_keeps_the_batches_before,
    a_stored_claim_twice_in_a_long_receipt_is_refused_as_twice_only,
    batches_judged_ahead_are_decided_as_under_the_lock,
    claims_received_after_the_decision_date_wait, claims_received_in_parts_are_stored_all_or_none,
    claims_story, concurrent_claims_keep_the_limit,
    one_intake_under_load_stores_each_claim_once_and_keeps_the_limit,
    submissions_judged_together_are_answered_each_alone,
    the_intake_sees_a_moved_village_within_a_second,
    the_same_claim_sent_to_two_servers_at_once_is_stored_once,
};
use cover_family::a_cover_carries_its_members_family_and_follows_a_move;
use experience::{
    a_study_counts_the_database_as_it_stood_when_it_began,
    an_export_that_fails_leaves_no_file_and_the_old_one_as_it_was,
    an_export_writes_the_table_as_it_stood_when_it_began, experience_on_the_live_database,
    projection_over_the_api, the_study_reads_the_registry_a_page_of_families_at_a_time,
};
use fuzz::mutated_files_and_bodies_end_in_a_write_or_a_located_refusal;
use grievances::{
    a_grievance_is_filed_handled_and_closed_within_its_district,
    a_scheme_that_refunds_on_its_own_refunds_a_flagged_claim_once,
    an_upheld_appeal_reopens_its_claim_and_both_decisions_stay,
    an_upheld_eligibility_appeal_enrols_the_member_after_a_new_check,
    an_upheld_exempt_charge_is_refunded_once_and_recovered_from_the_facility,
    grievances_filed_at_once_are_numbered_apart,
    the_grievance_pages_file_and_settle_a_grievance_within_the_district,
};
use hardening::{
    a_claim_for_care_after_a_death_or_exit_is_held_not_paid,
    a_family_or_member_cannot_move_between_schemes, a_write_that_is_not_json_is_refused,
    a_wrong_method_a_bogus_filter_and_a_missing_field_are_named,
    every_answer_carries_the_security_headers,
    impossible_claims_decisions_and_payments_are_refused,
    studies_past_their_bounds_are_refused_before_any_work,
    text_a_database_cannot_keep_is_refused_where_it_comes_in,
};
use indicators::{
    an_early_warning_on_the_live_database, indicators_agree_with_the_generator,
    indicators_count_every_page_of_families,
    indicators_count_the_database_as_it_stood_when_they_began, indicators_on_the_live_database,
    provider_benchmark_on_the_live_database,
};
use location_tree::{
    a_loop_in_the_location_tree_is_refused,
    skipping_bad_rows_leaves_out_every_loop_the_written_rows_would_make,
};
use operations::operators_probe_the_server_and_read_its_metrics;
use pages::{
    a_district_officer_finds_nothing_of_another_district,
    a_facility_sends_a_claim_and_a_reviewer_adjusts_one, a_name_with_markup_shows_as_text,
    a_page_and_its_stylesheet_weigh_under_the_budget, a_search_reads_only_as_far_as_it_needs,
    a_user_changes_their_password_and_signs_in_again,
    an_actuary_projects_premiums_from_pasted_assumptions,
    an_actuary_runs_a_reserve_report_and_downloads_it,
    an_officer_enrols_a_family_and_is_refused_an_ineligible_one,
    an_officer_finds_a_family_and_opens_its_page_and_a_card,
    an_officer_signs_in_sees_todays_work_and_signs_out,
    an_unknown_address_is_a_page_or_the_apis_error, forms_without_their_tokens_are_refused,
    guessing_the_current_password_locks_the_name, pages_speak_the_users_language,
    the_schemes_language_is_the_default_of_its_pages,
    two_finance_officers_propose_and_release_a_run_and_print_the_remittance,
};
use reserve::reserving_on_the_live_database;
use slices::{
    a_file_of_many_slices_is_refused_if_it_changes_while_imported,
    a_move_in_a_late_slice_refuses_the_slices_before_it,
    a_quote_left_open_refuses_even_an_import_that_skips_bad_rows,
    an_import_read_in_slices_refuses_as_if_read_whole,
    an_import_read_in_slices_strands_what_a_rejected_row_held,
};
use store::{
    a_locked_write_answers_each_read_and_writes_in_order,
    a_locked_write_in_steps_reads_each_page_after_the_writes_before_it,
    a_range_of_ids_is_read_in_the_order_of_their_bytes,
    a_range_read_dropped_midway_leaves_every_connection_sound,
    a_snapshot_reads_one_state_of_the_database_and_writes_nothing,
    a_write_run_decides_again_after_a_write_to_the_same_family,
    a_write_run_keeps_what_was_decided_ahead_only_while_nobody_else_writes,
    existing_keys_are_found_among_many_candidates,
    locked_writes_of_one_family_each_read_what_the_one_before_wrote,
    pages_in_the_order_of_a_column_give_each_row_once,
    rows_read_back_exactly_and_updates_touch_only_their_columns,
    the_members_of_some_members_families_are_read_each_once,
    the_migrations_make_the_declared_tables, write_runs_take_turns,
};
use story::registry_story;

/// A statistical check of the counting, not of a backend: on SQLite only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_indicators_agree_with_the_generator() {
    indicators_agree_with_the_generator(support::Harness::sqlite().await).await;
}

/// Row locks are PostgreSQL's: SQLite takes one writer at a time, and its intake one group.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_claim_is_not_held_behind_another_familys_locked_write() {
    claims::a_claim_is_not_held_behind_another_familys_locked_write(
        support::Harness::postgres().await,
    )
    .await;
}

on_both_backends!(
    registry_story,
    a_cover_carries_its_members_family_and_follows_a_move,
    a_grievance_is_filed_handled_and_closed_within_its_district,
    a_scheme_that_refunds_on_its_own_refunds_a_flagged_claim_once,
    an_upheld_appeal_reopens_its_claim_and_both_decisions_stay,
    an_upheld_eligibility_appeal_enrols_the_member_after_a_new_check,
    an_upheld_exempt_charge_is_refunded_once_and_recovered_from_the_facility,
    grievances_filed_at_once_are_numbered_apart,
    the_grievance_pages_file_and_settle_a_grievance_within_the_district,
    api_round_trip,
    bad_input_changes_nothing,
    a_loop_in_the_location_tree_is_refused,
    skipping_bad_rows_leaves_out_every_loop_the_written_rows_would_make,
    claims_received_in_parts_are_stored_all_or_none,
    claims_story,
    a_stored_claim_twice_in_a_long_receipt_is_refused_as_twice_only,
    concurrent_claims_keep_the_limit,
    the_same_claim_sent_to_two_servers_at_once_is_stored_once,
    a_claim_received_meanwhile_and_sent_again_is_judged_as_the_senders,
    one_intake_under_load_stores_each_claim_once_and_keeps_the_limit,
    a_failed_batch_leaves_nothing_behind,
    batches_judged_ahead_are_decided_as_under_the_lock,
    operators_probe_the_server_and_read_its_metrics,
    a_run_failing_midway_keeps_the_batches_before,
    a_reviewer_may_not_review_a_claim_they_sent,
    a_claim_judged_between_two_batches_reaches_the_second,
    claims_received_after_the_decision_date_wait,
    a_payment_run_over_pages_of_claims_pays_each_once,
    a_family_limit_goes_to_the_claims_that_arrived_first,
    a_batch_judged_in_parts_keeps_each_familys_limit,
    a_claim_sent_before_its_member_was_registered_takes_the_family,
    a_claim_of_a_member_who_moved_since_takes_the_new_familys_limit_in_turn,
    submissions_judged_together_are_answered_each_alone,
    the_intake_sees_a_moved_village_within_a_second,
    a_claim_stored_meanwhile_is_caught_under_the_lock,
    reserving_on_the_live_database,
    an_early_warning_on_the_live_database,
    provider_benchmark_on_the_live_database,
    experience_on_the_live_database,
    the_study_reads_the_registry_a_page_of_families_at_a_time,
    a_study_counts_the_database_as_it_stood_when_it_began,
    an_export_that_fails_leaves_no_file_and_the_old_one_as_it_was,
    an_export_writes_the_table_as_it_stood_when_it_began,
    indicators_on_the_live_database,
    indicators_count_every_page_of_families,
    indicators_count_the_database_as_it_stood_when_they_began,
    projection_over_the_api,
    rows_read_back_exactly_and_updates_touch_only_their_columns,
    a_write_run_keeps_what_was_decided_ahead_only_while_nobody_else_writes,
    a_locked_write_answers_each_read_and_writes_in_order,
    locked_writes_of_one_family_each_read_what_the_one_before_wrote,
    write_runs_take_turns,
    a_write_run_decides_again_after_a_write_to_the_same_family,
    existing_keys_are_found_among_many_candidates,
    the_members_of_some_members_families_are_read_each_once,
    a_range_of_ids_is_read_in_the_order_of_their_bytes,
    a_range_read_dropped_midway_leaves_every_connection_sound,
    a_snapshot_reads_one_state_of_the_database_and_writes_nothing,
    pages_in_the_order_of_a_column_give_each_row_once,
    a_locked_write_in_steps_reads_each_page_after_the_writes_before_it,
    the_migrations_make_the_declared_tables,
    a_user_signs_in_by_password_or_token_until_disabled,
    every_route_answers_every_role_as_the_matrix_says,
    a_facility_sees_and_sends_its_own_claims_only,
    a_session_signs_in_writes_with_its_csrf_token_and_ends,
    a_district_officer_sees_and_changes_only_its_district,
    every_change_is_in_the_audit_trail_once,
    the_trail_is_walked_a_page_at_a_time_as_one_read_gives_it,
    an_import_says_what_it_changes_and_a_record_keeps_its_history,
    impossible_claims_decisions_and_payments_are_refused,
    a_write_that_is_not_json_is_refused,
    every_answer_carries_the_security_headers,
    text_a_database_cannot_keep_is_refused_where_it_comes_in,
    a_family_or_member_cannot_move_between_schemes,
    studies_past_their_bounds_are_refused_before_any_work,
    a_claim_for_care_after_a_death_or_exit_is_held_not_paid,
    mutated_files_and_bodies_end_in_a_write_or_a_located_refusal,
    a_wrong_method_a_bogus_filter_and_a_missing_field_are_named,
    an_officer_signs_in_sees_todays_work_and_signs_out,
    forms_without_their_tokens_are_refused,
    a_user_changes_their_password_and_signs_in_again,
    a_name_with_markup_shows_as_text,
    pages_speak_the_users_language,
    a_page_and_its_stylesheet_weigh_under_the_budget,
    an_unknown_address_is_a_page_or_the_apis_error,
    an_officer_finds_a_family_and_opens_its_page_and_a_card,
    a_district_officer_finds_nothing_of_another_district,
    a_search_reads_only_as_far_as_it_needs,
    an_officer_enrols_a_family_and_is_refused_an_ineligible_one,
    a_facility_sends_a_claim_and_a_reviewer_adjusts_one,
    two_finance_officers_propose_and_release_a_run_and_print_the_remittance,
    an_actuary_runs_a_reserve_report_and_downloads_it,
    the_schemes_language_is_the_default_of_its_pages,
    an_actuary_projects_premiums_from_pasted_assumptions,
    guessing_the_current_password_locks_the_name,
    an_import_read_in_slices_refuses_as_if_read_whole,
    an_import_read_in_slices_strands_what_a_rejected_row_held,
    a_move_in_a_late_slice_refuses_the_slices_before_it,
    a_file_of_many_slices_is_refused_if_it_changes_while_imported,
    a_claims_file_split_into_parts_is_received_all_or_none,
    a_quote_left_open_refuses_even_an_import_that_skips_bad_rows,
);
