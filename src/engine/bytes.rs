//! Byte copies for the engine's hot paths (writing values, records and LZ4 blocks).
//!
//! The browser build is optimised for size, and LLVM then inlines almost nothing:
//! `dst[at..end].copy_from_slice(src)` costs two calls (`index_mut`, `copy_from_slice`)
//! and a bulk-memory copy even for a few bytes, and `Vec::extend_from_slice` a call too.
//! These helpers check the bounds (or the room) once and copy, inlined wherever they are
//! used.

/// `dst[at..at + src.len()].copy_from_slice(src)`; panics, as that would, when `src`
/// does not fit.
#[inline(always)]
pub fn copy_into(dst: &mut [u8], at: usize, src: &[u8]) {
    assert!(
        at <= dst.len() && src.len() <= dst.len() - at,
        "copy out of bounds"
    );
    // SAFETY: `at..at + src.len()` lies within `dst` (asserted above), and `src` cannot
    // overlap `dst`, which is borrowed mutably.
    unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), dst.as_mut_ptr().add(at), src.len()) }
}

/// `out.extend_from_slice(src)`.
#[inline(always)]
pub fn extend(out: &mut Vec<u8>, src: &[u8]) {
    let len = out.len();
    if out.capacity() - len < src.len() {
        out.reserve(src.len());
    }
    // SAFETY: `out` has room for `src.len()` more bytes (reserved above), which the copy
    // initialises before the length takes them in; `src` cannot overlap `out`, which is
    // borrowed mutably.
    unsafe {
        std::ptr::copy_nonoverlapping(src.as_ptr(), out.as_mut_ptr().add(len), src.len());
        out.set_len(len + src.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_where_asked() {
        let mut buf = [0u8; 8];
        copy_into(&mut buf, 2, b"abc");
        copy_into(&mut buf, 5, b"");
        copy_into(&mut buf, 5, b"xyz");
        assert_eq!(&buf, b"\0\0abcxyz");
    }

    #[test]
    fn extends_like_extend_from_slice_and_grows_when_full() {
        let mut out = Vec::with_capacity(4);
        extend(&mut out, b"abc");
        extend(&mut out, b"");
        extend(&mut out, b"defgh");
        assert_eq!(out, b"abcdefgh");
    }

    #[test]
    #[should_panic(expected = "copy out of bounds")]
    fn a_copy_past_the_end_panics_as_slice_indexing_would() {
        copy_into(&mut [0u8; 4], 2, b"abc");
    }

    #[test]
    #[should_panic(expected = "copy out of bounds")]
    fn a_start_past_the_end_panics() {
        copy_into(&mut [0u8; 4], 5, b"");
    }
}
