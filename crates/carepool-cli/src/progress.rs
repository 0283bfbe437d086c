//! Progress on the terminal: a bar with its total and the time left where the total is known,
//! a counter where it is not, the step under way as its label, and a line saying what was done
//! at the end. Nothing at all when standard error is not a terminal (a log file, a pipe).

use indicatif::{
    HumanCount, HumanDuration, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle,
};
use std::fmt::Write;
use std::io::IsTerminal;

/// Whole units a second, grouped: `12,345/s`, not `12345.6789/s`.
fn rate(state: &ProgressState, out: &mut dyn Write) {
    let _ = write!(out, "{}/s", HumanCount(state.per_sec() as u64));
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .expect("a valid template")
        .with_key("rate", rate)
        .progress_chars("=> ")
}

/// A step's progress, shown on standard error while it runs.
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
    unit: &'static str,
}

impl Progress {
    fn on_terminal(bar: ProgressBar) -> ProgressBar {
        if !std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    }

    /// A count of `unit` with no known total: `⠋ importing members: 12,000 rows (8,000/s)`.
    pub fn counting(step: &str, unit: &'static str) -> Progress {
        let bar = ProgressBar::new_spinner().with_style(style(&format!(
            "{{spinner}} {{msg}}: {{human_pos}} {unit} ({{rate}})"
        )));
        bar.set_message(step.to_string());
        Progress {
            bar: Self::on_terminal(bar),
            unit,
        }
    }

    /// `total` of `unit` to do: `running the scheme [=====>    ] 12/24 months, 30s left`.
    pub fn of(step: &str, total: u64, unit: &'static str) -> Progress {
        let bar = ProgressBar::new(total).with_style(style(&format!(
            "{{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} ({{rate}}), {{eta}} left"
        )));
        bar.set_message(step.to_string());
        Progress {
            bar: Self::on_terminal(bar),
            unit,
        }
    }

    /// Work that counts nothing along the way: `⠋ studying (12s)`.
    pub fn waiting(step: &str) -> Progress {
        let bar = ProgressBar::new_spinner().with_style(style("{spinner} {msg} ({elapsed})"));
        bar.set_message(step.to_string());
        Progress {
            bar: Self::on_terminal(bar),
            unit: "",
        }
    }

    /// Where a step stands: its label and its count. A new step counts afresh, its rate
    /// its own.
    pub fn at(&self, step: &str, done: u64) {
        if self.bar.message() != step {
            self.bar.set_message(step.to_string());
            self.bar.reset_eta();
        }
        self.bar.set_position(done);
    }

    pub fn set(&self, done: u64) {
        self.bar.set_position(done);
    }

    pub fn inc(&self) {
        self.bar.inc(1);
    }

    /// Leaves one line saying what was done and how long it took:
    /// `importing members: 12,000 rows in 3s`.
    pub fn done(&self) {
        let done = match self.unit {
            "" => format!(
                "{} in {}",
                self.bar.message(),
                HumanDuration(self.bar.elapsed())
            ),
            unit => format!(
                "{}: {} {unit} in {}",
                self.bar.message(),
                HumanCount(self.bar.position()),
                HumanDuration(self.bar.elapsed())
            ),
        };
        self.bar.set_style(style("{msg}"));
        self.bar.finish_with_message(done);
    }

    /// Ends the step: a line saying what was done if it `succeeded`; nothing left otherwise,
    /// as the error says why.
    pub fn end(&self, succeeded: bool) {
        match succeeded {
            true => self.done(),
            false => self.bar.finish_and_clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of progress has a template indicatif accepts, and says what was done at the
    /// end: its label, the count and the unit, whole numbers grouped.
    #[test]
    fn each_kind_of_progress_ends_with_what_was_done() {
        let counting = Progress::counting("adjudicating", "claims");
        counting.set(12_345);
        counting.done();
        assert!(
            counting
                .bar
                .message()
                .starts_with("adjudicating: 12,345 claims in ")
        );
        let of = Progress::of("running the scheme", 24, "months");
        of.inc();
        of.at("running the scheme", 24);
        of.done();
        assert!(
            of.bar
                .message()
                .starts_with("running the scheme: 24 months in ")
        );
        let waiting = Progress::waiting("studying");
        waiting.done();
        assert!(waiting.bar.message().starts_with("studying in "));
        let failed = Progress::counting("importing members", "rows");
        failed.at("importing coverage", 0);
        failed.end(false);
        assert!(failed.bar.is_finished());
        assert_eq!(failed.bar.message(), "importing coverage");
    }
}
