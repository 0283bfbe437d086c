//! The scheme versions the store keeps (`carepool init`): read and written by the store's own
//! statements, declared here so that the migrations are checked against them as every table is;
//! and the premium bases the early warning watches against.

use crate::Reference;
use chrono::NaiveDate;

crate::table! {
    pub static SCHEMES: "schemes" ("scheme"), mod schemes, key [CODE], none;
    CODE code: String, "The scheme's code.";
}

crate::table! {
    pub static SCHEME_VERSIONS: "scheme_versions" ("scheme version"), mod scheme_versions,
        key [CODE, EFFECTIVE_FROM], none;
    CODE code: String, "The scheme.";
    EFFECTIVE_FROM effective_from: NaiveDate, "First day the version's rules are in force.";
    DEFINITION definition: String, "The version's rules, as JSON.";
    LOADED_AT loaded_at: String, "When the version was loaded.";
}

crate::table! {
    pub static PREMIUM_BASES: "premium_bases" ("premium basis"), mod premium_bases,
        key [SCHEME, EFFECTIVE_FROM], row PremiumBasisRow;
    SCHEME scheme: String, "The scheme whose premium was set on it.",
        references(Reference::Scheme), filterable();
    EFFECTIVE_FROM effective_from: NaiveDate,
        "The first day of its projection: the early warning watches each month against the latest basis in force.";
    ASSUMPTIONS assumptions: String,
        "The projection's assumptions (the file of carepool project, base table inline), as JSON.";
    REGISTERED_BY registered_by: String, "Who registered it: a user, or cli:ACCOUNT.";
    REGISTERED_ON registered_on: NaiveDate, "The day it was registered.";
}
