//! What the crate's tests share.

/// `got` within a billionth of `want` (of 1 for a `want` below 1).
pub(crate) fn close(got: f64, want: f64) {
    assert!(
        (got - want).abs() < 1e-9 * want.abs().max(1.0),
        "{got} against {want}"
    );
}
