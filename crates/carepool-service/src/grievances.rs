//! Grievances: filed for a member, a facility or staff, handled by a user of the place they
//! belong to, step by step through the core's status flow (docs/GRIEVANCES.md). Each step is a
//! row of its own, dated and attributed, and each change of the grievance is in the audit trail.
//! An exempt-charge complaint upheld grants the member a refund, which the next payment run
//! pays and deducts from the facility (docs/GRIEVANCES.md, "Refunds").

use crate::audit::Change;
use crate::error::{RowProblem, ServiceError};
use crate::{Key, Numbered, Query, Registry, Scope};
use carepool_actuarial::indicators::grievances::{GrievanceFacts, Timeliness};
use carepool_core::Money;
use carepool_core::access::Permission;
use carepool_core::claims::payment::RefundStatus;
use carepool_core::grievances::{
    CLAIM_APPEAL, Channel, ENROLMENT_APPEAL, EXEMPT_CHARGED, FiledBy, GrievanceCategory,
    GrievanceRules, GrievanceStatus, GrievanceStep, Priority, ResolutionKind, enrols, overdue,
    refund_amount, refunds, reopens_claim, status_after,
};
use carepool_core::registry::{
    Coverage, Family, FieldError, Member, Provider, district_of, excerpt,
};
use carepool_core::scheme::version_in_force;
use carepool_schema::Record;
use carepool_schema::claim_tables::{ClaimRow, REFUNDS, Refund, claims, refunds as refund_rows};
use carepool_schema::grievance_tables::{
    GRIEVANCE_STEPS, GRIEVANCES, GrievanceRow, GrievanceStepRow, grievance_steps, grievances,
};
use carepool_schema::json::row_to_json;
use carepool_schema::tables::{COVERAGE, coverage, families, members, providers};
use carepool_store::{ListQuery, Lock, LockedReads, Read, StoreError, Write};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The longest description kept: a page of text, not a file (attachments are referenced).
pub const DESCRIPTION_MAX_CHARS: usize = 4_000;

/// How many times filings are written when another writer took one of their numbers at the
/// same moment (each round, one of the writers at once gets its numbers).
const NUMBERING_TRIES: usize = 12;

/// A grievance as filed: what it is about and who complains. What is not given is found from
/// what is: a claim's member and facility, a member's family, the family's scheme and place.
/// As JSON, the API's body: the three texts required, the rest may be left out.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewGrievance {
    #[serde(default)]
    pub scheme: Option<String>,
    pub category: String,
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub filed_by: Option<FiledBy>,
    pub filer: String,
    /// The day it was received; today when not given.
    #[serde(default)]
    pub filed_on: Option<NaiveDate>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub member: Option<String>,
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub claim: Option<String>,
    #[serde(default)]
    pub provider: Option<String>,
    pub description: String,
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// A step taken on a grievance, with what it needs. As JSON, the API's body:
/// `{"step": "assign", "owner": "gina"}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepTaken {
    Assign {
        owner: String,
        #[serde(default)]
        note: Option<String>,
    },
    Start {
        #[serde(default)]
        note: Option<String>,
    },
    Resolve {
        kind: ResolutionKind,
        text: String,
        /// For an upheld exempt-charge complaint: what the member is refunded; empty, all
        /// the facility collected on the claim concerned.
        #[serde(default)]
        refund: Option<Money>,
        /// For an upheld appeal against an eligibility refusal: the cover it gives.
        #[serde(default)]
        cover: Option<CoverAsked>,
    },
    Close {
        #[serde(default)]
        note: Option<String>,
    },
    Reopen {
        why: String,
    },
}

/// The cover an upheld appeal against an eligibility refusal gives its member, after the
/// eligibility check of the rules in force from then: from when, under which package (empty:
/// the scheme's first).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverAsked {
    pub from: NaiveDate,
    #[serde(default)]
    pub package: Option<String>,
}

impl StepTaken {
    fn step(&self) -> GrievanceStep {
        match self {
            StepTaken::Assign { .. } => GrievanceStep::Assign,
            StepTaken::Start { .. } => GrievanceStep::Start,
            StepTaken::Resolve { .. } => GrievanceStep::Resolve,
            StepTaken::Close { .. } => GrievanceStep::Close,
            StepTaken::Reopen { .. } => GrievanceStep::Reopen,
        }
    }
}

/// Which grievances to list; every one the user may see when empty.
#[derive(Debug, Clone, Default)]
pub struct GrievanceFilter {
    pub status: Option<GrievanceStatus>,
    pub category: Option<String>,
    pub owner: Option<String>,
    pub member: Option<String>,
    /// Only those still unresolved after their due date.
    pub overdue: bool,
}

/// A grievance with its steps, oldest first, whether it is late today, and the refund it
/// granted.
#[derive(Debug, Clone, PartialEq)]
pub struct GrievanceView {
    pub grievance: GrievanceRow,
    pub steps: Vec<GrievanceStepRow>,
    pub overdue: bool,
    pub refund: Option<Refund>,
}

impl GrievanceView {
    /// The grievance's columns, `overdue`, its steps' columns under `steps`, and its refund's
    /// under `refund` (null for none).
    pub fn to_json(&self) -> serde_json::Value {
        let mut json = row_to_json(&GRIEVANCES, &self.grievance.to_row());
        json["overdue"] = self.overdue.into();
        json["steps"] = (self.steps.iter())
            .map(|step| row_to_json(&GRIEVANCE_STEPS, &step.to_row()))
            .collect();
        json["refund"] = (self.refund.as_ref()).map_or(serde_json::Value::Null, |r| {
            row_to_json(&REFUNDS, &r.to_row())
        });
        json
    }
}

/// The grievances' timeliness over a period (docs/GRIEVANCES.md, "Timeliness").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GrievanceStats {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub all: Timeliness,
    pub by_category: BTreeMap<String, Timeliness>,
    pub by_district: BTreeMap<String, Timeliness>,
}

/// A grievance as listed, with whether it is late today.
#[derive(Debug, Clone, PartialEq)]
pub struct GrievanceListed {
    pub grievance: GrievanceRow,
    pub overdue: bool,
}

impl GrievanceListed {
    pub fn to_json(&self) -> serde_json::Value {
        let mut json = row_to_json(&GRIEVANCES, &self.grievance.to_row());
        json["overdue"] = self.overdue.into();
        json
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> ServiceError {
    ServiceError::field(FieldError::new(field, message))
}

/// An unknown or out-of-scope record a grievance names, in the same words for both.
fn unknown(field: &'static str, what: &str, id: &str) -> ServiceError {
    invalid(field, format!("unknown {what} {}", excerpt(id)))
}

/// Text a person wrote: required, trimmed, without control characters but line breaks.
fn written(field: &'static str, text: &str, max_chars: usize) -> Result<String, ServiceError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    if text.chars().count() > max_chars {
        return Err(invalid(
            field,
            format!("is longer than {max_chars} characters"),
        ));
    }
    if (text.chars()).any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(invalid(field, "contains a control character"));
    }
    Ok(text.to_string())
}

impl Registry {
    /// Files a grievance as received, numbered `G-YYYYMMDD-NNN` by the day it was received, due
    /// by its category's service level. The member, family, claim, facility and place it names
    /// must be ones `scope` lets its user see.
    pub async fn file_grievance(
        &self,
        new: NewGrievance,
        scope: &Scope,
    ) -> Result<GrievanceView, ServiceError> {
        let mut filed = [self.prepared(&new, scope).await?];
        self.write_filings(&mut filed).await?;
        self.grievance(&filed[0].id, scope).await
    }

    /// Files every grievance of a file (each with its line in the file), all or
    /// nothing: the first problem of each bad line is named, and nothing is written unless no
    /// line has one.
    /// Returns their numbers, in the file's order.
    pub async fn file_grievances(
        &self,
        filings: Vec<Numbered<NewGrievance>>,
        scope: &Scope,
    ) -> Result<Vec<String>, ServiceError> {
        let mut prepared = Vec::with_capacity(filings.len());
        let mut problems = Vec::new();
        for filing in &filings {
            match self.prepared(&filing.item, scope).await {
                Ok(row) => prepared.push(row),
                Err(ServiceError::Invalid(found)) => {
                    problems.extend(found.into_iter().map(|p| RowProblem {
                        line: filing.line,
                        ..p
                    }));
                }
                Err(other) => return Err(other),
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        self.write_filings(&mut prepared).await?;
        Ok(prepared.into_iter().map(|g| g.id).collect())
    }

    /// A new grievance checked and completed, ready to be numbered.
    async fn prepared(
        &self,
        new: &NewGrievance,
        scope: &Scope,
    ) -> Result<GrievanceRow, ServiceError> {
        let today = self.today();
        let filed_on = new.filed_on.unwrap_or(today);
        if filed_on > today {
            return Err(invalid(
                "filed_on",
                format!("{filed_on} is after today ({today})"),
            ));
        }
        let description = written("description", &new.description, DESCRIPTION_MAX_CHARS)?;
        let filer = written("filer", &new.filer, 200)?;
        for reference in &new.attachments {
            if reference.trim().is_empty() || reference.contains(';') {
                return Err(invalid(
                    "attachments",
                    "each reference is a name without ';' (the list's separator)",
                ));
            }
        }
        let links = self.links(new, scope).await?;
        let scheme = match new.scheme.clone().or(links.scheme) {
            Some(code) => code,
            None => {
                let mut codes = self.store.scheme_codes().await?;
                if codes.len() != 1 {
                    return Err(invalid(
                        "scheme",
                        "say which scheme hears it: more than one is loaded",
                    ));
                }
                codes.remove(0)
            }
        };
        let rules = self.grievance_rules(&scheme, filed_on).await?;
        let category = rules.category(&new.category).map_err(ServiceError::field)?;
        if category.code == CLAIM_APPEAL && links.claim.is_none() {
            return Err(invalid(
                "claim",
                "an appeal against a claim's decision names the claim",
            ));
        }
        if category.code == ENROLMENT_APPEAL && links.member.is_none() {
            return Err(invalid(
                "member",
                "an appeal against an eligibility refusal names the member",
            ));
        }
        let due_date = rules.due_date(category, filed_on);
        let location = match new.location.clone().or(links.location) {
            Some(code) if scope.holds(&code) && self.location_exists(&code).await? => code,
            Some(code) => return Err(unknown("location", "location", &code)),
            None => {
                return Err(invalid(
                    "location",
                    "say where it is handled: it names no member, family or facility",
                ));
            }
        };
        Ok(GrievanceRow {
            id: String::new(),
            scheme,
            category: category.code.clone(),
            channel: new.channel.unwrap_or(Channel::Visit),
            priority: new.priority.unwrap_or(Priority::Normal),
            filed_by: new.filed_by.unwrap_or(FiledBy::Member),
            filer,
            filed_on,
            location_code: location,
            member_id: links.member,
            family_id: links.family,
            claim_id: links.claim,
            provider_id: links.provider,
            description,
            attachments: (new.attachments.iter())
                .map(|a| a.trim().to_string())
                .collect(),
            status: GrievanceStatus::Received,
            owner: None,
            due_date,
            resolution_kind: None,
            resolution: None,
            resolved_on: None,
            closed_on: None,
        })
    }

    /// Numbers the filings by their days, after the numbers those days already hold, and writes
    /// them with their first steps and audit records in one transaction. Filings of another
    /// writer that take a number meanwhile fail the write, which is then tried again.
    async fn write_filings(&self, filings: &mut [GrievanceRow]) -> Result<(), ServiceError> {
        let mut tries = 0;
        loop {
            tries += 1;
            match self.write_numbered(filings).await {
                Err(ServiceError::Taken { .. }) if tries < NUMBERING_TRIES => {}
                other => return other,
            }
        }
    }

    async fn write_numbered(&self, filings: &mut [GrievanceRow]) -> Result<(), ServiceError> {
        let days: BTreeSet<NaiveDate> = filings.iter().map(|g| g.filed_on).collect();
        let mut reads = LockedReads::default();
        let same_days: Vec<_> = (days.iter())
            .map(|day| {
                let read = reads.add(Read::List {
                    table: &GRIEVANCES,
                    query: ListQuery {
                        filters: vec![grievances::FILED_ON.equals(day)],
                        limit: u64::MAX >> 1,
                        ..ListQuery::default()
                    },
                });
                (*day, read)
            })
            .collect();
        let now = self.clock().unix_seconds();
        let today = self.today();
        let actor = self.actor().name().to_string();
        self.store
            .write_locked(
                "filing of grievances",
                &Lock::Nothing,
                &reads,
                &mut |mut read| {
                    let mut last: BTreeMap<NaiveDate, u32> = BTreeMap::new();
                    for (day, handle) in &same_days {
                        let prefix = day_prefix(*day);
                        let taken = (read.take(*handle)?.iter())
                            .filter_map(|row| grievances::ID.read(row).ok())
                            .filter_map(|id| id.strip_prefix(&prefix)?.parse::<u32>().ok())
                            .max()
                            .unwrap_or(0);
                        last.insert(*day, taken);
                    }
                    let (mut rows, mut steps, mut changes) = (Vec::new(), Vec::new(), Vec::new());
                    for grievance in filings.iter_mut() {
                        let number = last.entry(grievance.filed_on).or_default();
                        *number += 1;
                        grievance.id = format!("{}{:03}", day_prefix(grievance.filed_on), number);
                        let row = grievance.to_row();
                        changes.push(Change::of_record(
                            "file_grievance",
                            &GRIEVANCES,
                            None,
                            Some(&row),
                        ));
                        rows.push(row);
                        let step = GrievanceStepRow {
                            grievance_id: grievance.id.clone(),
                            seq: 1,
                            step: "file".to_string(),
                            status: GrievanceStatus::Received,
                            day: today,
                            at: now,
                            actor: actor.clone(),
                            owner: None,
                            note: None,
                        };
                        steps.push(step.into_row());
                    }
                    let audit = self.audit(changes).map_err(StoreError::internal)?;
                    Ok(vec![
                        Write::Insert(&GRIEVANCES, rows),
                        Write::Insert(&GRIEVANCE_STEPS, steps),
                        audit,
                    ])
                },
            )
            .await?;
        Ok(())
    }

    /// The grievance `id` with its steps, if `scope` lets its user see it.
    pub async fn grievance(&self, id: &str, scope: &Scope) -> Result<GrievanceView, ServiceError> {
        let key: Key<GrievanceRow> = Key::from_text(id).map_err(ServiceError::field)?;
        let grievance = self.get_within(&key, scope).await?;
        let steps = self
            .list(
                &Query::<GrievanceStepRow>::all_by_pages()
                    .only(grievance_steps::GRIEVANCE_ID, &grievance.id)?,
            )
            .await?;
        let overdue = overdue(grievance.status, grievance.due_date, self.today());
        // Its claim's refund, which another grievance about the claim may have granted.
        let refund_key = (grievance.claim_id.as_ref()).unwrap_or(&grievance.id);
        let refund = (self.record_if_any::<Refund>(refund_rows::ID, refund_key)).await?;
        Ok(GrievanceView {
            grievance,
            steps,
            overdue,
            refund,
        })
    }

    /// The grievances `scope` lets its user see that pass `filter`, in the order of their ids
    /// (the day filed, then the number).
    pub async fn grievances(
        &self,
        filter: &GrievanceFilter,
        scope: &Scope,
    ) -> Result<Vec<GrievanceListed>, ServiceError> {
        let mut query = Query::<GrievanceRow>::all_by_pages().within(scope);
        if let Some(status) = filter.status {
            query = query.only(grievances::STATUS, &status)?;
        }
        if let Some(category) = &filter.category {
            query = query.only(grievances::CATEGORY, category)?;
        }
        if let Some(owner) = &filter.owner {
            query = query.only(grievances::OWNER, &Some(owner.clone()))?;
        }
        if let Some(member) = &filter.member {
            query = query.only(grievances::MEMBER_ID, &Some(member.clone()))?;
        }
        let today = self.today();
        let late = |g: &GrievanceRow| overdue(g.status, g.due_date, today);
        let found = self
            .matching(query, |g: &GrievanceRow| !filter.overdue || late(g))
            .await?;
        Ok(found
            .into_iter()
            .map(|grievance| GrievanceListed {
                overdue: late(&grievance),
                grievance,
            })
            .collect())
    }

    /// The timeliness of the grievances `scope` lets its user see (of `scheme`, about
    /// `provider`, when given), from `from` to `to`: over all, by category and by district (of
    /// the place that handles them).
    pub async fn grievance_stats(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: &Scope,
        scheme: Option<&str>,
        provider: Option<&str>,
    ) -> Result<GrievanceStats, ServiceError> {
        if to < from {
            return Err(invalid("to", format!("{to} is before from ({from})")));
        }
        let locations = self.locations().await?;
        let mut stats = GrievanceStats {
            from,
            to,
            ..GrievanceStats::default()
        };
        let mut query = Query::<GrievanceRow>::all_by_pages().within(scope);
        if let Some(scheme) = scheme {
            query = query.only(grievances::SCHEME, &scheme.to_string())?;
        }
        if let Some(provider) = provider {
            query = query.only(grievances::PROVIDER_ID, &Some(provider.to_string()))?;
        }
        self.each_record(query, |g: GrievanceRow| {
            let facts = GrievanceFacts {
                filed_on: g.filed_on,
                due_date: g.due_date,
                resolved_on: g.resolved_on,
            };
            let district = district_of(&locations, &g.location_code).to_string();
            for tally in [
                &mut stats.all,
                stats.by_category.entry(g.category).or_default(),
                stats.by_district.entry(district).or_default(),
            ] {
                tally.add(&facts, from, to);
            }
            Ok::<(), ServiceError>(())
        })
        .await?;
        stats.all = std::mem::take(&mut stats.all).finish();
        for tally in (stats.by_category.values_mut()).chain(stats.by_district.values_mut()) {
            *tally = std::mem::take(tally).finish();
        }
        // A category or district with nothing in the period has no row.
        stats.by_category.retain(|_, t| !t.is_empty());
        stats.by_district.retain(|_, t| !t.is_empty());
        Ok(stats)
    }

    /// Takes `taken` on the grievance `id`: the core's flow says whether it may, an owner must
    /// be an active user who handles grievances in the grievance's place, and the step is
    /// written with the grievance's new state and its audit record, or nothing is.
    pub async fn take_grievance_step(
        &self,
        id: &str,
        taken: StepTaken,
        scope: &Scope,
    ) -> Result<GrievanceView, ServiceError> {
        let view = self.grievance(id, scope).await?;
        let step = taken.step();
        // The flow first: a step out of turn is refused as such, before what it would do.
        status_after(id, view.grievance.status, step)
            .map_err(|refused| ServiceError::Conflict(refused.to_string()))?;
        let note = match &taken {
            StepTaken::Resolve { text, .. } => Some(written("text", text, DESCRIPTION_MAX_CHARS)?),
            StepTaken::Reopen { why } => Some(written("why", why, DESCRIPTION_MAX_CHARS)?),
            StepTaken::Assign { note, .. }
            | StepTaken::Start { note }
            | StepTaken::Close { note } => match note.as_deref() {
                Some(note) if !note.trim().is_empty() => {
                    Some(written("note", note, DESCRIPTION_MAX_CHARS)?)
                }
                _ => None,
            },
        };
        if let StepTaken::Assign { owner, .. } = &taken {
            self.check_owner(owner, &view.grievance.location_code)
                .await?;
        }
        let refund_move = match &taken {
            StepTaken::Resolve { kind, refund, .. } => {
                match self.refund_granted(&view.grievance, *kind, *refund).await? {
                    Some(granted) => Some(RefundMove::Grant(granted)),
                    None => Some(RefundMove::Decline(declined(&view.grievance, self))),
                }
            }
            StepTaken::Reopen { .. } => Some(RefundMove::Reopen),
            _ => None,
        }
        .filter(|_| view.grievance.category == EXEMPT_CHARGED);
        let today = self.today();
        let now = self.clock().unix_seconds();
        let actor = self.actor().name().to_string();
        // The steps are read before the grievance: a step someone commits between the two
        // reads then holds the number this one takes, and this one fails whole, instead of
        // writing over a state it never saw (PostgreSQL reads each statement afresh).
        let mut reads = LockedReads::default();
        let steps = reads.add(Read::where_in(
            grievance_steps::GRIEVANCE_ID,
            vec![id.to_string()],
        ));
        let stored = reads.add(Read::where_in(grievances::ID, vec![id.to_string()]));
        // The refund of the grievance's claim (perhaps granted by another grievance or by the
        // scheme's rule; the grievance's own when it names no claim), and any this grievance
        // granted before.
        let refund_key = (view.grievance.claim_id.clone()).unwrap_or_else(|| id.to_string());
        let refunds_read = reads.add(Read::where_in(refund_rows::ID, vec![refund_key]));
        let granted_before = reads.add(Read::where_in(
            refund_rows::GRIEVANCE_ID,
            vec![id.to_string()],
        ));
        // An appeal against an eligibility refusal upheld enrols the member, after the check an
        // enrolment gets (refused with the rules that still refuse), in this transaction.
        let enrolment = match &taken {
            StepTaken::Resolve { kind, cover, .. } if enrols(&view.grievance.category, *kind) => {
                let Some(member) = &view.grievance.member_id else {
                    return Err(invalid(
                        "member",
                        format!("appeal {id} names no member to enrol: file it again with them"),
                    ));
                };
                let Some(cover) = cover else {
                    return Err(invalid(
                        "cover_from",
                        "an appeal against an eligibility refusal upheld enrols the member: say \
                         from when (and the package, else the scheme's first)",
                    ));
                };
                Some(self.enrolment_on_appeal(member, cover, scope).await?)
            }
            StepTaken::Resolve { cover: Some(_), .. } => {
                return Err(invalid(
                    "cover_from",
                    "only an appeal against an eligibility refusal, upheld, enrols a member",
                ));
            }
            _ => None,
        };
        // An appeal upheld reopens its claim, in this transaction.
        let mut reopening = match (&taken, &view.grievance.claim_id) {
            (StepTaken::Resolve { kind, .. }, claim)
                if reopens_claim(&view.grievance.category, *kind) =>
            {
                let Some(claim) = claim else {
                    return Err(invalid(
                        "claim",
                        format!(
                            "appeal {id} names no claim to reopen: file it again with the claim"
                        ),
                    ));
                };
                Some(self.reopening(claim, id).await?)
            }
            _ => None,
        };
        if let Some(reopening) = reopening.as_mut() {
            reopening.read(&mut reads);
        }
        // A step that may change a refund holds the claims' lock, as a payment run taking
        // refunds does: neither writes over what the other has just done.
        let touches_refunds = refund_move.is_some();
        let lock = match &reopening {
            Some(reopening) => reopening.lock(),
            None if touches_refunds => Lock::AllClaims,
            None => Lock::Nothing,
        };
        self.store
            .write_locked(audit_action(step), &lock, &reads, &mut |mut read| {
                let seq = read.take(steps)?.len() as i64 + 1;
                let before = read
                    .take(stored)?
                    .pop()
                    .ok_or_else(|| StoreError::NotFound {
                        what: "grievance",
                        key: id.to_string(),
                    })?;
                let mut grievance =
                    GrievanceRow::from_row(&before).map_err(StoreError::internal)?;
                let status = status_after(id, grievance.status, step)
                    .map_err(|refused| StoreError::Conflict(refused.to_string()))?;
                apply(&mut grievance, &taken, note.as_deref(), status, today);
                let row = grievance.to_row();
                let step_row = GrievanceStepRow {
                    grievance_id: id.to_string(),
                    seq,
                    step: step.as_str().to_string(),
                    status,
                    day: today,
                    at: now,
                    actor: actor.clone(),
                    owner: grievance.owner.clone(),
                    note: note.clone(),
                };
                let action = audit_action(step);
                let mut changes = vec![Change::of_record(
                    action,
                    &GRIEVANCES,
                    Some(&before),
                    Some(&row),
                )];
                let mut refund_writes = Vec::new();
                if let Some(refund_move) = &refund_move {
                    let mut stored = read.take(refunds_read)?;
                    stored.extend(read.take(granted_before)?);
                    for (action, before, after) in
                        refund_changes(&stored, id, refund_move).map_err(StoreError::internal)?
                    {
                        let after = after.to_row();
                        let before = before.as_ref().map(Record::to_row);
                        changes.push(Change::of_record(
                            action,
                            &REFUNDS,
                            before.as_deref(),
                            Some(&after),
                        ));
                        refund_writes.push(after);
                    }
                }
                let mut claim_writes = Vec::new();
                if let Some(coverage) = &enrolment {
                    let action = "enrol_on_appeal";
                    changes.push(Change::of_record(action, &COVERAGE, None, Some(coverage)));
                    claim_writes.push(Write::Insert(&COVERAGE, vec![coverage.clone()]));
                }
                if let Some(reopening) = &reopening {
                    let resolution = note.as_deref().unwrap_or_default();
                    let (writes, change) = reopening.writes(&mut read, id, resolution)?;
                    claim_writes.extend(writes);
                    changes.push(change);
                }
                let audit = self.audit(changes).map_err(StoreError::internal)?;
                Ok([
                    Write::Upsert(&GRIEVANCES, vec![row]),
                    // Inserted, never replaced: a step taken at the same moment by someone
                    // else holds the number, and this one fails whole.
                    Write::Insert(&GRIEVANCE_STEPS, vec![step_row.into_row()]),
                    Write::Upsert(&REFUNDS, refund_writes),
                    audit,
                ]
                .into_iter()
                .chain(claim_writes)
                .collect())
            })
            .await
            .map_err(|error| match error {
                StoreError::Taken { .. } => ServiceError::Conflict(format!(
                    "grievance {id} was changed by someone else meanwhile; look at it again"
                )),
                other => ServiceError::from(other),
            })?;
        self.grievance(id, scope).await
    }

    /// The refund resolving `grievance` as `kind` grants: for an exempt-charge complaint upheld,
    /// `given` or all the facility collected on its claim, to its member, repaid by its
    /// facility; none when 0 is given. None for any other resolution, which may not name an
    /// amount.
    async fn refund_granted(
        &self,
        grievance: &GrievanceRow,
        kind: ResolutionKind,
        given: Option<Money>,
    ) -> Result<Option<Refund>, ServiceError> {
        if !refunds(&grievance.category, kind) {
            return match given {
                Some(_) => Err(invalid(
                    "refund",
                    format!(
                        "only an exempt_charged grievance upheld (in whole or in part) refunds; \
                         this one is {} and resolved {kind}",
                        grievance.category
                    ),
                )),
                None => Ok(None),
            };
        }
        let collected = match &grievance.claim_id {
            Some(claim) => (self.record_if_any::<ClaimRow>(claims::ID, claim).await?)
                .map(|claim| claim.copay_collected),
            None => None,
        };
        let amount = refund_amount(given, collected).map_err(ServiceError::field)?;
        if amount == Money::ZERO {
            return Ok(None);
        }
        let (Some(member), Some(provider)) = (&grievance.member_id, &grievance.provider_id) else {
            return Err(invalid(
                "refund",
                format!(
                    "grievance {} names no member or no facility: a refund is paid to a member \
                     and deducted from the facility that charged; file it again with its claim \
                     or facility, or resolve it with a refund of 0 if the facility gave the \
                     money back itself",
                    grievance.id
                ),
            ));
        };
        Ok(Some(Refund {
            id: (grievance.claim_id.clone()).unwrap_or_else(|| grievance.id.clone()),
            grievance_id: Some(grievance.id.clone()),
            claim_id: grievance.claim_id.clone(),
            member_id: member.clone(),
            provider_id: provider.clone(),
            amount,
            status: RefundStatus::Due,
            granted_on: self.today(),
            granted_by: self.actor().name().to_string(),
            refund_payment: None,
            deduction_payment: None,
        }))
    }

    /// The cover row an upheld appeal against an eligibility refusal writes for `member`, after
    /// the checks an enrolment gets: the member's family within `scope`, no cover of theirs
    /// from that day already, and the eligibility rules in force then. Its problems are named
    /// by the appeal's fields (`cover_from`, `package`).
    async fn enrolment_on_appeal(
        &self,
        member: &str,
        cover: &CoverAsked,
        scope: &Scope,
    ) -> Result<carepool_schema::Row, ServiceError> {
        let family = match self.record_if_any::<Member>(members::ID, member).await? {
            Some(found) => self.visible_family(&found.family_id, scope).await?,
            None => None,
        };
        if family.is_none() {
            return Err(unknown("member", "member", member));
        }
        let covers: Vec<Coverage> = self
            .typed_where_in(coverage::MEMBER_ID, &[member.to_string()])
            .await?;
        if covers.iter().any(|c| c.start_date == cover.from) {
            return Err(invalid(
                "cover_from",
                format!("member {member} already has a cover from {}", cover.from),
            ));
        }
        let coverage = Coverage {
            member_id: member.to_string(),
            start_date: cover.from,
            end_date: None,
            package: cover.package.clone().filter(|p| !p.trim().is_empty()),
            family_id: None,
        };
        let by_field = |problem: RowProblem| RowProblem {
            column: Some(match problem.column.as_deref() {
                Some("package") => "package".to_string(),
                _ => "cover_from".to_string(),
            }),
            ..problem
        };
        self.checked_single(&coverage)
            .await
            .map_err(|refused| match refused {
                ServiceError::Invalid(problems) => {
                    ServiceError::Invalid(problems.into_iter().map(by_field).collect())
                }
                other => other,
            })
    }

    /// The categories the schemes hear today (each one's version in force), each code once, in
    /// the order the schemes list them: what a form offers.
    pub async fn grievance_categories(&self) -> Result<Vec<GrievanceCategory>, ServiceError> {
        let mut categories: Vec<GrievanceCategory> = Vec::new();
        for scheme in self.store.scheme_codes().await? {
            let rules = self.grievance_rules(&scheme, self.today()).await?;
            for category in rules.categories {
                if !categories.iter().any(|c| c.code == category.code) {
                    categories.push(category);
                }
            }
        }
        Ok(categories)
    }

    /// The grievance rules of `scheme`'s version in force on `day` (its first before that).
    async fn grievance_rules(
        &self,
        scheme: &str,
        day: NaiveDate,
    ) -> Result<GrievanceRules, ServiceError> {
        let versions = self.scheme_versions(scheme).await?;
        version_in_force(&versions, day)
            .or(versions.first())
            .map(|v| v.grievances.clone())
            .ok_or_else(|| unknown("scheme", "scheme", scheme))
    }

    async fn location_exists(&self, code: &str) -> Result<bool, ServiceError> {
        Ok(self.locations().await?.contains_key(code))
    }

    /// Refuses an owner who could not handle the grievance: unknown or disabled, of a role
    /// that does not handle grievances, or bound to districts that do not hold its place.
    async fn check_owner(&self, owner: &str, location: &str) -> Result<(), ServiceError> {
        let Some(user) = self.active_user(owner).await? else {
            return Err(unknown("owner", "active user", owner));
        };
        if !user.role.may(Permission::HandleGrievances) {
            return Err(invalid(
                "owner",
                format!(
                    "{} does not handle grievances (role {})",
                    user.name, user.role
                ),
            ));
        }
        if !self.scope_of(&user).await?.holds(location) {
            return Err(invalid(
                "owner",
                format!(
                    "{} handles grievances of other districts than {location}",
                    user.name
                ),
            ));
        }
        Ok(())
    }

    /// What a new grievance names, checked and completed: a claim gives its member and
    /// facility, a member their family, a family its scheme and place (or else the facility
    /// its place). Each must be one `scope` lets its user see; one it does not is answered as
    /// unknown before anything else is said of it.
    async fn links(&self, new: &NewGrievance, scope: &Scope) -> Result<Links, ServiceError> {
        let mut links = Links {
            member: new.member.clone(),
            family: new.family.clone(),
            claim: new.claim.clone(),
            provider: new.provider.clone(),
            ..Links::default()
        };
        if let Some(id) = &new.claim {
            // A claim is seen through its facility, as the claims' lists are.
            let claim = self.record_if_any::<ClaimRow>(claims::ID, id).await?;
            let Some(claim) = claim else {
                return Err(unknown("claim", "claim", id));
            };
            if self
                .visible_provider(&claim.provider_id, scope)
                .await?
                .is_none()
            {
                return Err(unknown("claim", "claim", id));
            }
            for (field, given, claimed) in [
                ("member", &new.member, &claim.member_id),
                ("provider", &new.provider, &claim.provider_id),
            ] {
                if given.as_ref().is_some_and(|g| g != claimed) {
                    return Err(invalid(
                        field,
                        format!("claim {id} is of {field} {claimed}, not of this one"),
                    ));
                }
            }
            links.member = Some(claim.member_id);
            links.provider = Some(claim.provider_id);
        }
        if let Some(code) = &links.provider {
            let provider = (self.visible_provider(code, scope).await?)
                .ok_or_else(|| unknown("provider", "provider", code))?;
            links.location = Some(provider.location_code);
        }
        if let Some(id) = &links.member {
            let family = match self.record_if_any::<Member>(members::ID, id).await? {
                Some(member) => self.visible_family(&member.family_id, scope).await?,
                None => None,
            };
            let Some(family) = family else {
                return Err(match &new.claim {
                    // The claim is the user's to see; its patient lives elsewhere.
                    Some(claim) => invalid(
                        "claim",
                        format!(
                            "the patient of claim {claim} lives outside your districts: a user \
                             of theirs, or a national one, files it"
                        ),
                    ),
                    None => unknown("member", "member", id),
                });
            };
            if links.family.as_ref().is_some_and(|f| *f != family.id) {
                return Err(invalid(
                    "family",
                    format!("member {id} is of another family"),
                ));
            }
            links.family = Some(family.id);
        }
        if let Some(id) = &links.family {
            let family = (self.visible_family(id, scope).await?)
                .ok_or_else(|| unknown("family", "family", id))?;
            if let Some(scheme) = new.scheme.as_ref().filter(|s| **s != family.scheme) {
                return Err(invalid(
                    "scheme",
                    format!(
                        "family {id} is of scheme {}, not of {scheme}",
                        family.scheme
                    ),
                ));
            }
            links.scheme = Some(family.scheme);
            // The member's place handles it, before the facility's.
            links.location = Some(family.location_code);
        }
        Ok(links)
    }

    /// The facility `code`, if `scope` lets its user see it.
    async fn visible_provider(
        &self,
        code: &str,
        scope: &Scope,
    ) -> Result<Option<Provider>, ServiceError> {
        Ok(self
            .record_if_any::<Provider>(providers::CODE, code)
            .await?
            .filter(|provider| scope.holds(&provider.location_code)))
    }

    /// The family `id`, if `scope` lets its user see it.
    async fn visible_family(
        &self,
        id: &str,
        scope: &Scope,
    ) -> Result<Option<Family>, ServiceError> {
        Ok(self
            .record_if_any::<Family>(families::ID, id)
            .await?
            .filter(|family| scope.holds(&family.location_code)))
    }
}

/// What a new grievance is linked to, once completed.
#[derive(Debug, Default)]
struct Links {
    member: Option<String>,
    family: Option<String>,
    claim: Option<String>,
    provider: Option<String>,
    scheme: Option<String>,
    location: Option<String>,
}

/// The grievance after a step that leaves it in `status` on `today`; `note` is the step's
/// text as checked (the resolution's, for a resolve).
fn apply(
    grievance: &mut GrievanceRow,
    taken: &StepTaken,
    note: Option<&str>,
    status: GrievanceStatus,
    today: NaiveDate,
) {
    grievance.status = status;
    match taken {
        StepTaken::Assign { owner, .. } => grievance.owner = Some(owner.clone()),
        StepTaken::Start { .. } => {}
        StepTaken::Resolve { kind, .. } => {
            grievance.resolution_kind = Some(*kind);
            grievance.resolution = note.map(str::to_string);
            grievance.resolved_on = Some(today);
        }
        StepTaken::Close { .. } => grievance.closed_on = Some(today),
        // The last resolution stays in the steps; the grievance is unresolved again.
        StepTaken::Reopen { .. } => {
            grievance.resolution_kind = None;
            grievance.resolution = None;
            grievance.resolved_on = None;
            grievance.closed_on = None;
        }
    }
}

/// A refund changed by a resolution: the audit action, the refund before and after.
type RefundChange = (&'static str, Option<Refund>, Refund);

/// What a step on an exempt-charge grievance does to refunds.
enum RefundMove {
    /// Resolved upheld with a refund: this one.
    Grant(Refund),
    /// Resolved without a refund (not upheld, or the facility gave the money back itself): the
    /// claim's refund not yet taken is withdrawn, whoever granted it, and a claim with none is
    /// marked (this row, withdrawn, of nothing) so that the scheme's rule does not grant one.
    Decline(Option<Refund>),
    /// Opened again: the refund it granted, not yet taken, waits for its new resolution.
    Reopen,
}

/// The row a resolution without a refund leaves on a claim that has none.
fn declined(grievance: &GrievanceRow, registry: &Registry) -> Option<Refund> {
    Some(Refund {
        id: grievance.claim_id.clone()?,
        grievance_id: Some(grievance.id.clone()),
        claim_id: grievance.claim_id.clone(),
        member_id: grievance.member_id.clone()?,
        provider_id: grievance.provider_id.clone()?,
        amount: Money::ZERO,
        status: RefundStatus::Withdrawn,
        granted_on: registry.today(),
        granted_by: registry.actor().name().to_string(),
        refund_payment: None,
        deduction_payment: None,
    })
}

/// What a step of the grievance `grievance` does to the refunds `stored` (its claim's, and
/// those it granted before): each change with its audit action, the refund before and after.
/// A refund a payment run took is never changed: nothing is refunded twice. One not yet taken
/// is granted anew by the resolution that upholds it (its amount and grievance now this
/// resolution's), withdrawn by one that does not, and withdrawn when the grievance that granted
/// it is opened again.
fn refund_changes(
    stored: &[carepool_schema::Row],
    grievance: &str,
    refund_move: &RefundMove,
) -> Result<Vec<RefundChange>, FieldError> {
    let mut stored = (stored.iter())
        .map(|row| Refund::from_row(row))
        .collect::<Result<Vec<_>, _>>()?;
    stored.sort_by(|a, b| a.id.cmp(&b.id));
    stored.dedup_by(|a, b| a.id == b.id);
    let mut changes = Vec::new();
    let withdraw = |before: &Refund| {
        let mut after = before.clone();
        after.status = RefundStatus::Withdrawn;
        ("withdraw_refund", Some(before.clone()), after)
    };
    let own = |r: &Refund| r.grievance_id.as_deref() == Some(grievance);
    let due = |r: &Refund| r.status == RefundStatus::Due;
    let target = match refund_move {
        RefundMove::Grant(granted) => Some(granted.id.as_str()),
        RefundMove::Decline(row) => row.as_ref().map(|r| r.id.as_str()),
        RefundMove::Reopen => None,
    };
    match refund_move {
        RefundMove::Grant(granted) => match stored.iter().find(|r| r.id == granted.id) {
            Some(before)
                if !matches!(before.status, RefundStatus::Due | RefundStatus::Withdrawn) => {}
            Some(before)
                if due(before)
                    && before.amount == granted.amount
                    && before.grievance_id == granted.grievance_id => {}
            before => changes.push(("grant_refund", before.cloned(), granted.clone())),
        },
        RefundMove::Decline(row) => {
            match (row, stored.iter().find(|r| Some(r.id.as_str()) == target)) {
                (_, Some(before)) if due(before) => changes.push(withdraw(before)),
                (Some(row), None) => changes.push(("decline_refund", None, row.clone())),
                _ => {}
            }
        }
        RefundMove::Reopen => {}
    }
    // What this grievance granted before under another key, or now reopened, is withdrawn.
    for before in stored.iter().filter(|r| own(r) && due(r)) {
        if Some(before.id.as_str()) != target {
            changes.push(withdraw(before));
        }
    }
    Ok(changes)
}

/// `G-YYYYMMDD-`: the part of a grievance's number its day gives.
fn day_prefix(day: NaiveDate) -> String {
    format!("G-{}-", day.format("%Y%m%d"))
}

/// The audit trail's action for a step.
fn audit_action(step: GrievanceStep) -> &'static str {
    match step {
        GrievanceStep::Assign => "assign_grievance",
        GrievanceStep::Start => "start_grievance",
        GrievanceStep::Resolve => "resolve_grievance",
        GrievanceStep::Close => "close_grievance",
        GrievanceStep::Reopen => "reopen_grievance",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refund(grievance: Option<&str>, amount: i64, status: RefundStatus) -> Refund {
        Refund {
            id: "H1/1".into(),
            grievance_id: grievance.map(str::to_string),
            claim_id: Some("H1/1".into()),
            member_id: "M1".into(),
            provider_id: "H1".into(),
            amount: Money::from_units(amount),
            status,
            granted_on: "2026-12-01".parse().unwrap(),
            granted_by: "gina".into(),
            refund_payment: None,
            deduction_payment: None,
        }
    }

    fn changes(stored: &[&Refund], refund_move: RefundMove) -> Vec<(&'static str, RefundStatus)> {
        let rows: Vec<_> = stored.iter().map(|r| r.to_row()).collect();
        (refund_changes(&rows, "G-1", &refund_move)
            .unwrap()
            .into_iter())
        .map(|(action, _, after)| (action, after.status))
        .collect()
    }

    #[test]
    fn a_refund_is_granted_once_and_withdrawn_only_before_a_run_takes_it() {
        use RefundStatus::*;
        let grant = |r: &Refund| RefundMove::Grant(r.clone());
        let granted = refund(Some("G-1"), 500, Due);
        assert_eq!(changes(&[], grant(&granted)), [("grant_refund", Due)]);
        // Upheld again with the same amount: nothing; with another, granted anew.
        assert_eq!(changes(&[&granted], grant(&granted)), []);
        let less = refund(Some("G-1"), 300, Due);
        assert_eq!(changes(&[&granted], grant(&less)), [("grant_refund", Due)]);
        // Reopened: withdrawn; upheld again: granted again.
        assert_eq!(
            changes(&[&granted], RefundMove::Reopen),
            [("withdraw_refund", Withdrawn)]
        );
        let withdrawn = refund(Some("G-1"), 500, Withdrawn);
        assert_eq!(changes(&[&withdrawn], RefundMove::Reopen), []);
        assert_eq!(
            changes(&[&withdrawn], grant(&granted)),
            [("grant_refund", Due)]
        );
        // Taken by a run: never changed, whatever the step.
        for taken in [Refunded, Recovered] {
            let paid = refund(Some("G-1"), 500, taken);
            assert_eq!(changes(&[&paid], grant(&less)), []);
            assert_eq!(changes(&[&paid], RefundMove::Reopen), []);
            assert_eq!(changes(&[&paid], RefundMove::Decline(None)), []);
        }
        // Another grievance about the claim upholding it takes it over, so that the first one
        // reopened does not withdraw what the second upheld.
        let by_second = refund(Some("G-2"), 500, Due);
        assert_eq!(changes(&[&by_second], RefundMove::Reopen), []);
        assert_eq!(
            changes(&[&by_second], grant(&granted)),
            [("grant_refund", Due)]
        );
    }

    #[test]
    fn a_resolution_without_a_refund_withdraws_the_claims_and_keeps_the_rule_from_granting_one() {
        use RefundStatus::*;
        let marker = refund(Some("G-1"), 0, Withdrawn);
        // The scheme's rule granted it, or another grievance did: the finding withdraws it.
        for granted_by in [None, Some("G-2")] {
            let due = refund(granted_by, 500, Due);
            assert_eq!(
                changes(&[&due], RefundMove::Decline(Some(marker.clone()))),
                [("withdraw_refund", Withdrawn)]
            );
        }
        // None yet: the claim is marked, withdrawn of nothing.
        assert_eq!(
            changes(&[], RefundMove::Decline(Some(marker.clone()))),
            [("decline_refund", Withdrawn)]
        );
        // Marked or withdrawn already: nothing more.
        assert_eq!(
            changes(&[&marker], RefundMove::Decline(Some(marker.clone()))),
            []
        );
        // A grievance of no claim marks nothing.
        assert_eq!(changes(&[], RefundMove::Decline(None)), []);
    }
}
