//! Grievances and the steps of each (docs/GRIEVANCES.md). Written by the grievances service,
//! which keeps the status flow.

use crate::Reference;
use carepool_core::grievances::{Channel, FiledBy, GrievanceStatus, Priority, ResolutionKind};
use chrono::NaiveDate;

crate::table! {
    pub static GRIEVANCES: "grievances" ("grievance"), mod grievances, key [ID], row GrievanceRow;
    ID id: String, "G-YYYYMMDD-NNN: the day it was filed and its number that day.";
    SCHEME scheme: String, "Code of the scheme that hears it.", references(Reference::Scheme);
    CATEGORY category: String, "One of the scheme's grievance categories.", filterable();
    CHANNEL channel: Channel,
        "visit, phone, sms, letter, web or community_representative.", filterable();
    PRIORITY priority: Priority, "low, normal, high or urgent.", filterable();
    FILED_BY filed_by: FiledBy, "Who complains: member, facility or staff.", filterable();
    FILER filer: String,
        "Who filed it: a member id, a facility code or a user name, as filed_by says.";
    FILED_ON filed_on: NaiveDate, "The day it was received.", filterable();
    LOCATION_CODE location_code: String,
        "Where it is handled: its owner is a user whose districts hold this place.",
        references(Reference::Table("locations")), places();
    MEMBER_ID member_id: Option<String>, "The member concerned.",
        references(Reference::Table("members")), filterable();
    FAMILY_ID family_id: Option<String>, "The family concerned.",
        references(Reference::Table("families")), filterable();
    CLAIM_ID claim_id: Option<String>, "The claim concerned (PROVIDER/CLAIM_NUMBER).",
        references(Reference::Table("claims")), filterable();
    PROVIDER_ID provider_id: Option<String>, "The facility concerned.",
        references(Reference::Table("providers")), filterable();
    DESCRIPTION description: String, "What happened, in the filer's words.";
    ATTACHMENTS attachments: Vec<String>,
        "References of the documents kept with it (scans, letters), separated by ';'.";
    STATUS status: GrievanceStatus, "received, open, in_progress, resolved or closed.",
        filterable();
    OWNER owner: Option<String>, "The user who handles it; empty until assigned.",
        references(Reference::Table("users")), filterable();
    DUE_DATE due_date: NaiveDate, "When it should be resolved: the category's service level.";
    RESOLUTION_KIND resolution_kind: Option<ResolutionKind>,
        "upheld, partly_upheld or not_upheld; empty until resolved.", filterable();
    RESOLUTION resolution: Option<String>, "What was found and done; empty until resolved.";
    RESOLVED_ON resolved_on: Option<NaiveDate>, "The day it was last resolved.";
    CLOSED_ON closed_on: Option<NaiveDate>, "The day it was closed; empty while not closed.";
}

crate::table! {
    pub static GRIEVANCE_STEPS: "grievance_steps" ("grievance step"), mod grievance_steps,
        key [GRIEVANCE_ID, SEQ], row GrievanceStepRow;
    GRIEVANCE_ID grievance_id: String, "The grievance.",
        references(Reference::Table("grievances")), places();
    SEQ seq: i64, "1 for its filing, then one more per step.";
    STEP step: String, "file, assign, start, resolve, close or reopen.";
    STATUS status: GrievanceStatus, "The status the step left it in.";
    DAY day: NaiveDate, "The day of the step.";
    AT at: i64, "When, in seconds since 1970 (UTC).";
    ACTOR actor: String, "Who took the step (a user, or cli:ACCOUNT).";
    OWNER owner: Option<String>, "The owner after the step.";
    NOTE note: Option<String>, "What the step's author wrote: the resolution, why it reopened.";
}

// A register to file at once: each line is a new grievance (its declared key is never looked
// up; the grievance's number is given when it is filed).
crate::table! {
    pub static GRIEVANCES_FILE: "grievances" ("grievance"), mod grievances_file,
        key [FILER, CATEGORY], row GrievanceFileRow;
    CATEGORY category: String, "One of the scheme's grievance categories.";
    DESCRIPTION description: String, "What happened, in the filer's words.";
    FILER filer: String, "Who filed it: a member id, a facility code or a user name.";
    FILED_BY filed_by: Option<FiledBy>, "member, facility or staff; empty: member.";
    CHANNEL channel: Option<Channel>,
        "visit, phone, sms, letter, web or community_representative; empty: visit.";
    PRIORITY priority: Option<Priority>, "low, normal, high or urgent; empty: normal.";
    FILED_ON filed_on: Option<NaiveDate>, "The day it was received; empty: today.";
    MEMBER_ID member_id: Option<String>, "The member concerned.";
    FAMILY_ID family_id: Option<String>, "The family concerned; empty: the member's.";
    CLAIM_ID claim_id: Option<String>,
        "The claim concerned (PROVIDER/CLAIM_NUMBER): gives its member and facility.";
    PROVIDER_ID provider_id: Option<String>, "The facility concerned.";
    LOCATION_CODE location_code: Option<String>,
        "Where it is handled; empty: where the family lives, else the facility's place.";
    SCHEME scheme: Option<String>, "The scheme that hears it; empty: the family's, or the only one.";
    ATTACHMENTS attachments: Vec<String>,
        "References of the documents kept with it, separated by ';'.";
}
