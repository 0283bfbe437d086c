//! A reform priced on the scheme's own claims as a report: the change in total, a row per line
//! with both outcomes and the factors the projection takes, and the claims decided otherwise.

use crate::report::{BarChart, Cell, Report, ReportTable, WARNING, grouped};
use carepool_actuarial::reform::{Outcome, ReformLine, new_benefit};
use carepool_core::Money;
use carepool_core::words::{Figure, Sentence, Words};
use carepool_service::claims::reform::{CHANGED_LISTED, ClaimOutcome, ReformReport};

fn amount(money: Money) -> Cell {
    Cell::Amount(money.minor() as f64 / 100.0)
}

fn count(n: u64) -> Cell {
    Cell::Number(n as f64, 0)
}

fn factor(value: Option<f64>) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Number(v, 4))
}

/// The proposal's change on an amount, as a share of the rules' amount.
fn change(rules: Money, proposal: Money) -> Cell {
    match rules.minor() {
        0 => Cell::Empty,
        before => Cell::Share((proposal.minor() - before) as f64 / before as f64),
    }
}

fn line_row(line: &ReformLine) -> Vec<Cell> {
    let (rules, proposal): (&Outcome, &Outcome) = (&line.rules, &line.proposal);
    let name = match line.line.as_str() {
        "total" => Cell::Label("total".into()),
        name => Cell::Text(name.into()),
    };
    vec![
        name,
        count(rules.claims),
        count(line.changed_claims),
        count(rules.paid_on),
        count(proposal.paid_on),
        amount(rules.approved),
        amount(proposal.approved),
        change(rules.approved, proposal.approved),
        amount(rules.member_share),
        amount(proposal.member_share),
        count(rules.rejected_claims),
        count(proposal.rejected_claims),
        amount(rules.rejected),
        amount(proposal.rejected),
        factor(line.incidence_factor),
        factor(line.average_cost_factor),
    ]
}

fn outcome_cells(outcome: &ClaimOutcome) -> [Cell; 3] {
    [
        Cell::Label(outcome.status.as_str().into()),
        amount(outcome.amounts.approved),
        amount(outcome.amounts.member_share),
    ]
}

pub fn reform_report(found: &ReformReport) -> Report {
    let total = &found.total;
    let lines_table = ReportTable::new(
        "lines",
        "By line: the rules in force and the proposal",
        &[
            "line",
            "claims",
            "changed",
            "paid on (rules)",
            "paid on (proposal)",
            "approved (rules)",
            "approved (proposal)",
            "approved change",
            "member share (rules)",
            "member share (proposal)",
            "refused (rules)",
            "refused (proposal)",
            "rejected amount (rules)",
            "rejected amount (proposal)",
            "incidence factor",
            "average cost factor",
        ],
        found
            .lines
            .iter()
            .chain(std::iter::once(total))
            .map(line_row)
            .collect(),
    );
    let changed_table = ReportTable::new(
        "changed",
        "Claims the proposal decides otherwise",
        &[
            "claim",
            "line",
            "incurred",
            "status (rules)",
            "approved (rules)",
            "member share (rules)",
            "status (proposal)",
            "approved (proposal)",
            "member share (proposal)",
        ],
        found
            .changed
            .iter()
            .map(|claim| {
                let mut row = vec![
                    Cell::Text(claim.claim.clone()),
                    Cell::Text(claim.line.clone()),
                    Cell::Text(claim.incurred_date.to_string()),
                ];
                row.extend(outcome_cells(&claim.rules));
                row.extend(outcome_cells(&claim.proposal));
                row
            })
            .collect(),
    );
    let mut warnings: Vec<Sentence> = (found.lines.iter())
        .filter(|line| line.average_cost_factor.is_none())
        .map(|line| {
            let english = format!(
                "line {}: {}",
                line.line,
                new_benefit(line.rules.paid_on, line.proposal.paid_on)
            );
            Sentence::new(Words::default(), english)
        })
        .collect();
    if found.differ_from_recorded > 0 {
        warnings.push(Sentence::new(
            Words::new(
                "reform-differs-from-recorded",
                [("count", Figure::Count(found.differ_from_recorded as i64))],
            ),
            format!(
                "{} of the period's claims are decided otherwise by the rules as stored than as recorded (a reviewer's or an appeal's decision, or rules stored since): the comparison is between the rules and the proposal, both judged here",
                found.differ_from_recorded
            ),
        ));
    }
    let mut notes = vec![Sentence::new(
        Words::new("reform-judged", []),
        "The claims of the scheme's families are judged twice, family by family in the order received: under the scheme's versions as stored, and under the proposal as if it had always been in force; the claims before the period, and those received meanwhile for care after it, are judged for the limits and frequency rules they leave, and only the period's are counted. Nothing is written.".to_string(),
    )];
    if found.contributions_kept {
        notes.push(Sentence::new(
            Words::new("reform-contributions-kept", []),
            "The proposal's contributions differ from the scheme's: claims are judged with the contributions the stored versions asked for (a family's cover rests on what it was asked to pay); the projection prices the premium.".to_string(),
        ));
    }
    let listed = found.changed.len() as u64;
    if total.changed_claims > listed {
        notes.push(Sentence::new(
            Words::new(
                "reform-changed-listed",
                [
                    ("listed", Figure::Count(CHANGED_LISTED as i64)),
                    ("count", Figure::Count(total.changed_claims as i64)),
                ],
            ),
            format!(
                "The first {CHANGED_LISTED} claims decided otherwise are listed, of {}.",
                total.changed_claims
            ),
        ));
    }
    // One series, so that a change either side of 0 is drawn either side of an axis.
    let chart = BarChart {
        title: "Change in approved by line: the proposal less the rules".into(),
        categories: found.lines.iter().map(|l| l.line.clone()).collect(),
        series: vec![(
            "approved change".into(),
            (found.lines.iter())
                .map(|l| (l.proposal.approved - l.rules.approved).minor() as f64 / 100.0)
                .collect(),
        )],
        decimals: 0,
    };
    let proposal = found
        .proposal
        .iter()
        .map(|file| ("proposal".to_string(), file.clone()));
    let facts = proposal
        .chain([
            ("scheme".into(), found.scheme.clone()),
            (
                "proposal effective from".into(),
                found.proposal_effective_from.to_string(),
            ),
            ("from".into(), found.from.to_string()),
            ("to".into(), found.to.to_string()),
            (
                "claims judged, with those before and around the period".into(),
                grouped(found.claims_judged as f64, 0),
            ),
        ])
        .collect();
    Report {
        title: "Reform priced on the scheme's claims".into(),
        headline: vec![
            ("approved (rules)".into(), amount(total.rules.approved)),
            (
                "approved (proposal)".into(),
                amount(total.proposal.approved),
            ),
            (
                "approved change".into(),
                change(total.rules.approved, total.proposal.approved),
            ),
            ("claims changed".into(), count(total.changed_claims)),
        ],
        currency: Some(found.currency.clone()),
        facts,
        warning_label: WARNING.into(),
        warnings,
        notes,
        tables: vec![lines_table, changed_table],
        charts: vec![chart],
        trends: Vec::new(),
        funnels: Vec::new(),
    }
}
