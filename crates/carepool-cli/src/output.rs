//! The command's own output on standard output. A reader that has gone (`carepool family F |
//! head -1`) ends the command quietly with status 0, as the end of a pipe should (clig.dev),
//! instead of a panic or an error.

use std::io::{self, Write};

/// Writes `text` to standard output; see [`outln!`] and [`out!`].
pub fn write_out(text: std::fmt::Arguments) {
    if let Err(error) = io::stdout().lock().write_fmt(text) {
        if error.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {error}");
        std::process::exit(1);
    }
}

/// Whether `error` comes from a reader of standard output that has gone: an I/O error of a
/// broken pipe, as it is or inside a CSV writer's error.
pub fn reader_gone(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io_error = cause
            .downcast_ref::<io::Error>()
            .or_else(|| match cause.downcast_ref::<carepool_io::CsvError>() {
                Some(carepool_io::CsvError::Write { cause, .. }) => Some(cause),
                _ => None,
            })
            .or_else(|| match cause.downcast_ref::<csv::Error>()?.kind() {
                csv::ErrorKind::Io(io) => Some(io),
                _ => None,
            });
        io_error.is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// A count as people read it: 27,306.
pub fn count(n: impl Into<u64>) -> String {
    carepool_io::report::grouped(n.into() as f64, 0)
}

/// `println!` for the command's output: a reader gone ends the command quietly.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for the command's output: a reader gone ends the command quietly.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_out(format_args!($($arg)*))
    };
}

pub(crate) use {out, outln};
