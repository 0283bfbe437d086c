//! The audit trail: one record per change, written in the transaction that makes it, never
//! changed afterwards (the migrations make the table refuse UPDATE and DELETE).

crate::table! {
    pub static AUDIT: "audit" ("audit record"), mod audit, key [ID], row AuditRow;
    ID id: String,
        "Orders the trail: the time in microseconds, then a count within the process that \
         wrote it.";
    AT at: i64, "When, in seconds since 1970 (UTC).";
    ACTOR actor: String,
        "Who: a user's name, or cli:NAME for a command run on the server's machine by that \
         account.", filterable();
    ACTION action: String,
        "What was done: create, update, import (an import, or a record it changed), \
         import_new (the keys of the records an import brought in new), receive (a claims \
         file), submit (a claim sent through the API, as decided), adjudicate (the claims a \
         user decided in a batch), adjudication_run, review, propose_payment_run, \
         release_payment_run, load_scheme, add_user, disable_user, set_language, set_password, \
         create_token, revoke_token, file_grievance, assign_grievance, start_grievance, \
         resolve_grievance, close_grievance, reopen_grievance, grant_refund, \
         withdraw_refund, decline_refund, reopen_claim, enrol_on_appeal.", filterable();
    TABLE_NAME table_name: String, "The table written.", filterable();
    RECORD_KEY record_key: Option<String>,
        "The record's key (M0001, M0001/2025-04-01); empty for a write of many records.",
        filterable();
    BEFORE before: Option<String>, "The record before the change, as JSON; empty when new.";
    AFTER after: Option<String>,
        "The record after the change, as JSON; for a write of many records, what it wrote.";
}
