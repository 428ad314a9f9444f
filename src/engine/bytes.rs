//! Byte copies for the engine's hot paths (writing values, records and LZ4 blocks).
//!
//! The browser build is optimised for size, and LLVM then inlines almost nothing:
//! `dst[at..end].copy_from_slice(src)` costs two calls (`index_mut`, `copy_from_slice`)
//! and a bulk-memory copy even for a few bytes, and `Vec::extend_from_slice` a call too.
//! These helpers check the bounds once and copy, inlined wherever they are used.

/// Copies `src` into `dst` at `at` (see [`copy_into`]) and returns where the copy ends.
#[inline(always)]
pub fn put(dst: &mut [u8], at: usize, src: &[u8]) -> usize {
    copy_into(dst, at, src);
    at + src.len()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_where_asked_and_says_where_it_ended() {
        let mut buf = [0u8; 8];
        let end = put(&mut buf, 2, b"abc");
        assert_eq!(end, 5);
        assert_eq!(put(&mut buf, end, b""), 5);
        assert_eq!(put(&mut buf, 5, b"xyz"), 8);
        assert_eq!(&buf, b"\0\0abcxyz");
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
