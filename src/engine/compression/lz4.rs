//! LZ4 block compression exactly as the reference library's fast compressor does it
//! (`LZ4_compress_fast` at acceleration 1 in lz4 1.9's `lz4.c`, the path for inputs under
//! 64 KiB + 11 bytes with 16-bit hash-table entries). That is what lz4-java's
//! `fastCompressor()` runs, and Kafka's `Lz4BlockOutputStream` uses it at the default
//! level for each 64 KiB block. Tests pin the output byte for byte against the `lz4`
//! command-line tool.
//!
//! It lives here rather than in a codec crate so that the browser build, which is
//! optimised for size, still inlines the few hot helpers (`#[inline(always)]`); the
//! codec crates' generic code is compiled at this crate's optimisation level.

use crate::engine::bytes::copy_into;

/// `MINMATCH`: the shortest match a sequence can hold.
const MIN_MATCH: usize = 4;
/// `LASTLITERALS`: the last 5 bytes of a block are always literals.
const LAST_LITERALS: usize = 5;
/// `MFLIMIT`: no match starts in the last 12 bytes.
const MF_LIMIT: usize = 12;
/// `LZ4_minLength`: shorter inputs are stored as literals only.
const MIN_LENGTH: usize = MF_LIMIT + 1;
/// `LZ4_skipTrigger`: after 2^6 misses the search starts skipping ahead.
const SKIP_TRIGGER: u32 = 6;
/// `LZ4_HASHLOG + 1` (`LZ4_MEMORY_USAGE` 14): the 16-bit table has 2^13 entries.
const HASH_LOG: u32 = 13;
/// `LZ4_64Klimit`: the largest input this 16-bit-table path takes.
pub const MAX_INPUT: usize = 65_536 + MF_LIMIT - 1;
/// `RUN_MASK` and `ML_MASK`: a token's 4-bit literal and match lengths.
const RUN_MASK: usize = 15;
const ML_MASK: usize = 15;

#[inline(always)]
fn read32(input: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&input[at..at + 4]);
    u32::from_le_bytes(word)
}

#[inline(always)]
fn read64(input: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&input[at..at + 8]);
    u64::from_le_bytes(word)
}

/// `LZ4_hash4` for a 16-bit table, of the four bytes `sequence` read at a position.
#[inline(always)]
fn hash(sequence: u32) -> usize {
    (sequence.wrapping_mul(2_654_435_761) >> (32 - HASH_LOG)) as usize
}

/// `LZ4_count`: how many bytes from `a` equal those from `b` (`b < a`), stopping at
/// `limit`.
#[inline(always)]
fn count(input: &[u8], mut a: usize, mut b: usize, limit: usize) -> usize {
    let start = a;
    while a + 8 <= limit {
        let diff = read64(input, a) ^ read64(input, b);
        if diff != 0 {
            return a - start + (diff.trailing_zeros() / 8) as usize;
        }
        a += 8;
        b += 8;
    }
    while a < limit && input[a] == input[b] {
        a += 1;
        b += 1;
    }
    a - start
}

/// `LZ4_compressBound`: the most a block of `n` input bytes can take.
pub const fn max_block_size(n: usize) -> usize {
    n + n / 255 + 16
}

/// The block being written: a buffer large enough for the worst case, and the length so
/// far (writing by index keeps the hot loop free of `Vec` growth checks).
struct Block<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl Block<'_> {
    #[inline(always)]
    fn push(&mut self, byte: u8) {
        self.buf[self.len] = byte;
        self.len += 1;
    }

    #[inline(always)]
    fn extend(&mut self, bytes: &[u8]) {
        copy_into(self.buf, self.len, bytes);
        self.len += bytes.len();
    }

    /// Copies the literals `input[from..to]`. A short run goes in 16-byte moves, as the
    /// reference's `LZ4_wildCopy8` does in 8-byte ones: bytes copied past `to` land
    /// beyond the block's length, where the next write covers them (or they are not part
    /// of the block), so the block is the same as with an exact copy.
    #[inline(always)]
    fn literals(&mut self, input: &[u8], from: usize, to: usize) {
        const CHUNK: usize = 16;
        let len = to - from;
        let padded = len.div_ceil(CHUNK) * CHUNK;
        if len <= 4 * CHUNK && from + padded <= input.len() && self.len + padded <= self.buf.len() {
            let mut i = 0;
            while i < padded {
                copy_into(self.buf, self.len + i, &input[from + i..from + i + CHUNK]);
                i += CHUNK;
            }
            self.len += len;
        } else {
            self.extend(&input[from..to]);
        }
    }

    /// A length beyond what its 4-bit token field holds: 255s, then the rest.
    #[inline(always)]
    fn length_tail(&mut self, mut rest: usize) {
        while rest >= 255 {
            self.push(255);
            rest -= 255;
        }
        self.push(rest as u8);
    }

    /// A token with `literals` as its literal length (match length 0 for now) and the
    /// literal length's extra bytes; returns where the token is.
    #[inline(always)]
    fn literal_length(&mut self, literals: usize) -> usize {
        let token = self.len;
        if literals >= RUN_MASK {
            self.push((RUN_MASK << 4) as u8);
            self.length_tail(literals - RUN_MASK);
        } else {
            self.push((literals << 4) as u8);
        }
        token
    }
}

/// Writes `input` (at most [`MAX_INPUT`] bytes) as one LZ4 block into `dst`, which must
/// hold [`max_block_size`] bytes, and returns the block's length.
pub fn compress_block(input: &[u8], dst: &mut [u8]) -> usize {
    debug_assert!(input.len() <= MAX_INPUT && dst.len() >= max_block_size(input.len()));
    let mut out = Block { buf: dst, len: 0 };
    let n = input.len();
    let mut anchor = 0;
    if n >= MIN_LENGTH {
        anchor = compress_sequences(input, &mut out);
    }
    // _last_literals
    out.literal_length(n - anchor);
    out.extend(&input[anchor..]);
    out.len
}

/// `LZ4_compress_generic`'s main loop: writes every sequence with a match and returns
/// where the trailing literals start.
fn compress_sequences(input: &[u8], out: &mut Block) -> usize {
    let n = input.len();
    let mf_limit_plus_one = n - MF_LIMIT + 1;
    let match_limit = n - LAST_LITERALS;
    // Positions, as the reference's freshly zeroed state has them: 0 until set.
    let mut table = [0u16; 1 << HASH_LOG];
    let mut anchor = 0;
    table[hash(read32(input, 0))] = 0;
    let mut ip = 1;
    // The four bytes at the next position to look at, read once for both its hash and
    // the comparison with a candidate.
    let mut forward_sequence = read32(input, ip);
    loop {
        // Find a match, skipping ahead faster the longer none turns up.
        let mut forward_ip = ip;
        let mut step = 1;
        let mut search_match_nb = 1usize << SKIP_TRIGGER;
        let mut candidate;
        loop {
            let sequence = forward_sequence;
            let h = hash(sequence);
            ip = forward_ip;
            forward_ip += step;
            step = search_match_nb >> SKIP_TRIGGER;
            search_match_nb += 1;
            if forward_ip > mf_limit_plus_one {
                return anchor;
            }
            candidate = table[h] as usize;
            forward_sequence = read32(input, forward_ip);
            table[h] = ip as u16;
            if read32(input, candidate) == sequence {
                break;
            }
        }
        // Catch up: extend the match backwards over equal bytes.
        while ip > anchor && candidate > 0 && input[ip - 1] == input[candidate - 1] {
            ip -= 1;
            candidate -= 1;
        }
        let mut token = out.literal_length(ip - anchor);
        out.literals(input, anchor, ip);
        loop {
            // _next_match: offset, then match length.
            let offset = ip - candidate;
            out.push(offset as u8);
            out.push((offset >> 8) as u8);
            let match_code = count(input, ip + MIN_MATCH, candidate + MIN_MATCH, match_limit);
            ip += match_code + MIN_MATCH;
            if match_code >= ML_MASK {
                out.buf[token] += ML_MASK as u8;
                out.length_tail(match_code - ML_MASK);
            } else {
                out.buf[token] += match_code as u8;
            }
            anchor = ip;
            if ip >= mf_limit_plus_one {
                return anchor;
            }
            table[hash(read32(input, ip - 2))] = (ip - 2) as u16;
            // Test the next position for an immediate match (no literals).
            let sequence = read32(input, ip);
            let h = hash(sequence);
            candidate = table[h] as usize;
            table[h] = ip as u16;
            if read32(input, candidate) != sequence {
                break;
            }
            token = out.len;
            out.push(0);
        }
        ip += 1;
        forward_sequence = read32(input, ip);
    }
}
