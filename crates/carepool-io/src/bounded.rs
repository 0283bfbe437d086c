//! Files read a line at a time have a bound on a line's length: `/dev/zero`, or a binary file
//! given by mistake, is refused at its first long line instead of being read into memory whole.
//! Every text field carepool keeps is at most 1,000 characters on one line, so no record of a
//! file it reads comes near the bound.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// The longest line a CSV file carepool reads may have, in bytes.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Opens `path` for reading with the line bound, buffered.
pub(crate) fn open(path: &Path) -> io::Result<LineBound<BufReader<File>>> {
    Ok(LineBound::new(BufReader::with_capacity(
        1 << 20,
        File::open(path)?,
    )))
}

/// The largest settings file (a scheme, assumptions) carepool reads whole, in bytes.
pub const MAX_TEXT_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a settings file whole, refusing one past [`MAX_TEXT_FILE_BYTES`] (or without end).
pub(crate) fn read_text(path: &Path) -> io::Result<String> {
    let mut text = String::new();
    File::open(path)?
        .take(MAX_TEXT_FILE_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_TEXT_FILE_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("longer than {MAX_TEXT_FILE_BYTES} bytes: not a settings file carepool reads"),
        ));
    }
    Ok(text)
}

/// A reader that fails once a line passes [`MAX_LINE_BYTES`].
pub(crate) struct LineBound<R> {
    inner: R,
    /// Bytes of the current line read so far.
    since_newline: usize,
    /// Lines ended so far.
    lines: u64,
}

impl<R> LineBound<R> {
    pub(crate) fn new(inner: R) -> LineBound<R> {
        LineBound {
            inner,
            since_newline: 0,
            lines: 0,
        }
    }

    fn too_long(&self) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "line {} is longer than {MAX_LINE_BYTES} bytes: not a file carepool reads",
                self.lines + 1
            ),
        )
    }
}

impl<R: Read> Read for LineBound<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        let chunk = &buf[..read];
        let mut line_start = 0;
        for newline in memchr::memchr_iter(b'\n', chunk) {
            if self.since_newline + newline - line_start > MAX_LINE_BYTES {
                return Err(self.too_long());
            }
            self.since_newline = 0;
            self.lines += 1;
            line_start = newline + 1;
        }
        self.since_newline += read - line_start;
        if self.since_newline > MAX_LINE_BYTES {
            return Err(self.too_long());
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8], chunk: usize) -> io::Result<Vec<u8>> {
        let mut reader = LineBound::new(bytes);
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            let read = reader.read(&mut buf)?;
            if read == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&buf[..read]);
        }
    }

    #[test]
    fn lines_up_to_the_bound_pass_whatever_the_reads_cut() {
        let longest = vec![b'a'; MAX_LINE_BYTES];
        let mut text = b"id,name\n".to_vec();
        text.extend_from_slice(&longest);
        text.extend_from_slice(b"\nM1,Ravi\n");
        for chunk in [1, 7, 8192, 1 << 20] {
            assert_eq!(read_all(&text, chunk).unwrap(), text);
        }
    }

    #[test]
    fn a_file_without_end_is_refused_at_the_bound() {
        let zero = Path::new("/dev/zero");
        let error = read_text(zero).unwrap_err();
        assert!(
            error.to_string().contains("longer than 16777216 bytes"),
            "{error}"
        );
        let mut lines = open(zero).unwrap();
        let mut sink = Vec::new();
        let error = lines.read_to_end(&mut sink).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(
            sink.len() <= MAX_LINE_BYTES + (1 << 20),
            "stopped near the bound"
        );
    }

    #[test]
    fn a_line_past_the_bound_is_refused_with_its_number() {
        let mut text = b"id,name\nM1,Ravi\n".to_vec();
        text.extend(std::iter::repeat_n(0u8, MAX_LINE_BYTES + 1));
        text.extend_from_slice(b"\n");
        for chunk in [1, 4096, 1 << 20] {
            let error = read_all(&text, chunk).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidData);
            assert_eq!(
                error.to_string(),
                "line 3 is longer than 65536 bytes: not a file carepool reads"
            );
        }
        // Between two newlines of one read, too.
        let mut inside = b"a\n".to_vec();
        inside.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 1));
        inside.extend_from_slice(b"\nb\n");
        assert!(read_all(&inside, 1 << 20).is_err());
    }
}
