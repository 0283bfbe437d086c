//! Writes a synthetic scheme as the CSV files `carepool import` and `carepool claims import`
//! read (docs/FORMATS.md), one per kind, plus the claims that had not reached the scheme by
//! the last day (the truth behind IBNR).

use crate::config::Behaviour;
use crate::generator::{Habits, Sink, SynthFamily};
use crate::network::Network;
use carepool_core::claims::Claim;
use carepool_schema::claim_tables::{CLAIM_LINES_FILE, CLAIMS_FILE, claims_file};
use carepool_schema::tables;
use carepool_schema::{Column, Table};
use std::borrow::Cow;
use std::fmt::Display;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// The files written, in the order they are imported.
pub const FILES: [&str; 8] = [
    "locations.csv",
    "providers.csv",
    "families.csv",
    "members.csv",
    "coverage.csv",
    "contributions.csv",
    "claims.csv",
    "claim_lines.csv",
];

/// The registry's tables a synthetic scheme fills, in the order of [`FILES`] (it keeps no
/// ledger).
const REGISTRY: [&Table; 6] = [
    &tables::LOCATIONS,
    &tables::PROVIDERS,
    &tables::FAMILIES,
    &tables::MEMBERS,
    &tables::COVERAGE,
    &tables::CONTRIBUTIONS,
];

/// The truth of the behaviours planted: each facility that upcodes, inflates stays or charges
/// exempt patients, with the parameters it does it with.
pub const BEHAVIOUR_FILE: &str = "behaviour.csv";

/// Claims incurred by the last day but received after it, in the claims formats.
pub const UNREPORTED_FILES: [&str; 2] = ["unreported_claims.csv", "unreported_claim_lines.csv"];

/// A file's header: the names of `columns`, as declared.
fn header(columns: &[Column]) -> String {
    let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
    names.join(",")
}

/// How much was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub locations: u64,
    pub providers: u64,
    pub families: u64,
    pub members: u64,
    pub pending: u64,
    pub contributions: u64,
    pub claims: u64,
    pub claim_lines: u64,
    pub unreported_claims: u64,
}

pub struct CsvSink {
    files: Vec<BufWriter<File>>,
    /// Where the behaviours' truth is written, with the settings they were drawn with.
    behaviour: (std::path::PathBuf, Behaviour),
    last_day: chrono::NaiveDate,
    pub written: Written,
}

impl CsvSink {
    /// Creates the files in `dir` (which must exist), with their headers.
    pub fn create(
        dir: &Path,
        last_day: chrono::NaiveDate,
        behaviour: &Behaviour,
    ) -> std::io::Result<CsvSink> {
        // Claims go with a lines file: the claims file's columns up to the first of a line.
        let claim_header = header(&CLAIMS_FILE.columns[..claims_file::SERVICE_CODE.index()]);
        let line_header = header(CLAIM_LINES_FILE.columns);
        let headers = REGISTRY.iter().map(|table| header(table.columns)).chain([
            claim_header.clone(),
            line_header.clone(),
            claim_header,
            line_header,
        ]);
        let mut files = Vec::new();
        for (name, header) in FILES.iter().chain(&UNREPORTED_FILES).zip(headers) {
            let mut file = BufWriter::with_capacity(1 << 20, File::create(dir.join(name))?);
            writeln!(file, "{header}")?;
            files.push(file);
        }
        Ok(CsvSink {
            files,
            behaviour: (dir.join(BEHAVIOUR_FILE), behaviour.clone()),
            last_day,
            written: Written::default(),
        })
    }

    /// Flushes every file; call once at the end.
    pub fn finish(mut self) -> std::io::Result<Written> {
        for file in &mut self.files {
            file.flush()?;
        }
        Ok(self.written)
    }
}

const LOCATIONS: usize = 0;
const PROVIDERS: usize = 1;
const FAMILIES: usize = 2;
const MEMBERS: usize = 3;
const COVERAGE: usize = 4;
const CONTRIBUTIONS: usize = 5;
const CLAIMS: usize = 6;
const UNREPORTED: usize = 8;

impl Sink for CsvSink {
    fn network(&mut self, network: &Network, habits: &[Habits]) -> std::io::Result<()> {
        let (path, settings) = &self.behaviour;
        let mut truth = BufWriter::new(File::create(path)?);
        writeln!(truth, "provider_code,behaviour,parameters")?;
        for (provider, habits) in network.providers.iter().zip(habits) {
            let planted = [
                (
                    habits.upcodes,
                    "upcoding",
                    format!("upcoded_claim_share={}", settings.upcoded_claim_share),
                ),
                (
                    habits.inflates_stays,
                    "stay_inflation",
                    format!("stay_factor={}", settings.stay_factor),
                ),
                (
                    habits.charges_everyone,
                    "charging_exempt",
                    format!("charged_share={}", settings.charged_share),
                ),
            ];
            for (_, behaviour, parameters) in planted.iter().filter(|(planted, ..)| *planted) {
                writeln!(truth, "{},{behaviour},{parameters}", text(&provider.code))?;
            }
        }
        truth.flush()?;
        let out = &mut self.files[LOCATIONS];
        for l in &network.locations {
            writeln!(
                out,
                "{},{},{},{},{}",
                text(&l.code),
                text(&l.name),
                text(&l.kind),
                optional(&l.parent_code),
                optional(&l.area)
            )?;
        }
        let out = &mut self.files[PROVIDERS];
        for p in &network.providers {
            writeln!(
                out,
                "{},{},{},{},{},{},{}",
                text(&p.code),
                text(&p.name),
                p.ownership,
                p.level,
                text(&p.location_code),
                p.empanelled_from,
                optional(&p.empanelled_to)
            )?;
        }
        self.written.locations += network.locations.len() as u64;
        self.written.providers += network.providers.len() as u64;
        Ok(())
    }

    fn family(&mut self, synth: &SynthFamily) -> std::io::Result<()> {
        let f = &synth.family;
        writeln!(
            self.files[FAMILIES],
            "{},{},{},{},{}",
            text(&f.id),
            text(&f.scheme),
            text(&f.location_code),
            optional(&f.poverty_score),
            optional(&f.household_id)
        )?;
        for m in &synth.members {
            writeln!(
                self.files[MEMBERS],
                "{},{},{},{},{},{},{},{},{},{},{}",
                text(&m.id),
                text(&m.family_id),
                text(&m.name),
                m.relationship,
                m.sex,
                m.birth_date,
                optional(&m.national_id),
                text(&m.categories.join(";")),
                optional(&m.monthly_wage),
                m.status,
                m.status_since
            )?;
        }
        for c in &synth.coverage {
            writeln!(
                self.files[COVERAGE],
                "{},{},{},{},{}",
                text(&c.member_id),
                c.start_date,
                optional(&c.end_date),
                optional(&c.package),
                optional(&c.family_id)
            )?;
        }
        for c in &synth.contributions {
            writeln!(
                self.files[CONTRIBUTIONS],
                "{},{},{},{},{},{},{}",
                text(&c.receipt),
                text(&c.family_id),
                c.payer,
                c.period_start,
                c.period_end,
                c.amount,
                c.paid_on
            )?;
        }
        let written = &mut self.written;
        written.families += 1;
        written.members += synth.members.len() as u64;
        written.pending += synth.pending.iter().filter(|p| **p).count() as u64;
        written.contributions += synth.contributions.len() as u64;
        for synth_claim in &synth.claims {
            let claim = &synth_claim.claim;
            let reported = claim.received_date <= self.last_day;
            let (claims, lines) = if reported {
                written.claims += 1;
                written.claim_lines += claim.lines.len() as u64;
                self.files[CLAIMS..CLAIMS + 2].split_at_mut(1)
            } else {
                written.unreported_claims += 1;
                self.files[UNREPORTED..UNREPORTED + 2].split_at_mut(1)
            };
            write_claim(&mut claims[0], &mut lines[0], claim)?;
        }
        Ok(())
    }
}

fn write_claim(claims: &mut impl Write, lines: &mut impl Write, c: &Claim) -> std::io::Result<()> {
    writeln!(
        claims,
        "{},{},{},{},{},{},{},{},{},{},{},{}",
        text(&c.claim_number),
        text(&c.provider_id),
        text(&c.member_id),
        optional(&c.visit_date),
        optional(&c.admission_date),
        optional(&c.discharge_date),
        text(&c.diagnosis_codes.join(";")),
        text(&c.clinical_category),
        optional(&c.specialty.as_deref().map(text)),
        optional(&c.limit_raising_case.as_deref().map(text)),
        c.copay_collected,
        c.received_date
    )?;
    for line in &c.lines {
        writeln!(
            lines,
            "{},{},{},{},{}",
            text(&c.provider_id),
            text(&c.claim_number),
            text(&line.service_code),
            line.quantity,
            line.unit_price
        )?;
    }
    Ok(())
}

/// A field quoted when it holds a comma, a quote or a line break.
fn text(value: &str) -> Cow<'_, str> {
    if value.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(value)
    }
}

/// An optional value: empty when absent.
fn optional<T: Display>(value: &Option<T>) -> Cow<'static, str> {
    match value {
        Some(v) => Cow::Owned(text(&v.to_string()).into_owned()),
        None => Cow::Borrowed(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(text("Koumbia"), "Koumbia");
        assert_eq!(text("Sanou, Issa"), "\"Sanou, Issa\"");
        assert_eq!(text("the \"big\" one"), "\"the \"\"big\"\" one\"");
        assert_eq!(optional::<u32>(&None), "");
    }

    #[test]
    fn each_registry_file_is_named_after_the_table_whose_header_it_has() {
        for (table, file) in REGISTRY.iter().zip(FILES) {
            assert_eq!(format!("{}.csv", table.name), file);
        }
    }
}
