//! The scheme versions the store keeps (`carepool init`): read and written by the store's own
//! statements, declared here so that the migrations are checked against them as every table is.

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
