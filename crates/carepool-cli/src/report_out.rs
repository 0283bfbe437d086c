//! Where a study's report goes: `--out FILE`, its extension naming the format, or `--out -`
//! with `--format json|csv` for standard output, as programs read it. The command's own lines
//! (what it found, where it wrote) go to standard output beside a file, and to standard error
//! when standard output holds the report.

use crate::output::outln;
use anyhow::Result;
use carepool_io::report::{self, Output, Report};
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ReportOut {
    /// Where to write: FILE.json, .csv, .xlsx or .html (the extension names the format), or -
    /// for standard output.
    #[arg(long)]
    pub out: PathBuf,
    /// The format on standard output (--out -): json [default], or csv (the main table).
    #[arg(long)]
    pub format: Option<String>,
}

impl ReportOut {
    /// Checked before any work: a wrong name or format is said at once.
    pub fn output(&self) -> Result<Output> {
        Ok(Output::of(&self.out, self.format.as_deref())?)
    }

    /// A line of the command's own: beside the report, never inside it.
    pub fn say(&self, line: &str) {
        if self.out == Path::new("-") {
            eprintln!("{line}");
        } else {
            outln!("{line}");
        }
    }

    /// Writes the report (`json` is the study's own structure); the files written, to say
    /// after what the study found ([`ReportOut::said_written`]).
    pub fn write(&self, report: &Report, json: &impl Serialize) -> Result<Vec<PathBuf>> {
        Ok(report::write_to(report, json, &self.output()?)?)
    }

    pub fn said_written(&self, written: Vec<PathBuf>) {
        for path in written {
            self.say(&format!("written: {}", path.display()));
        }
    }
}
