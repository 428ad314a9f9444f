//! Raw deflate (RFC 1951) that writes the same bytes as zlib's `deflate`, which is what
//! Java's `java.util.zip.Deflater` runs, and so what a Kafka producer's gzip batches
//! hold (`GzipCompression` wraps a `GZIPOutputStream`).
//!
//! It follows zlib 1.2.13's `deflate.c` and `trees.c` step for step at the settings
//! `Deflater` uses (`deflateInit2` with a 32 KiB window, `memLevel` 8, the default
//! strategy): the same hash chains and lazy matching (`deflate_slow`, levels 4–9), the
//! same greedy matching for levels 1–3 (`deflate_fast`), the same block boundaries and
//! the same Huffman trees. Tests pin the output byte for byte against zlib (1.2.13;
//! 1.3.1's deflate writes the same bytes).
//!
//! Only what `DeflaterOutputStream` asks of zlib is here: writing with `Z_NO_FLUSH` and
//! finishing with `Z_FINISH`. Level 0 (stored only) is not: Kafka's
//! `compression.gzip.level` accepts 1–9 (or -1, zlib's default, 6).

mod bits;
mod trees;

use bits::BitWriter;
use trees::{Block, MAX_MATCH, MIN_MATCH};

const WSIZE: usize = 1 << 15;
const WMASK: usize = WSIZE - 1;
const WINDOW_SIZE: usize = 2 * WSIZE;
/// `hash_bits` is `memLevel + 7`.
const HASH_SIZE: usize = 1 << 15;
const HASH_MASK: usize = HASH_SIZE - 1;
/// Matching needs a full match plus the three bytes that start the next string.
const MIN_LOOKAHEAD: usize = MAX_MATCH + MIN_MATCH + 1;
/// The farthest back a match may start, so that lookahead always fits in the window.
const MAX_DIST: usize = WSIZE - MIN_LOOKAHEAD;
/// Three-byte matches farther back than this are not worth it (lazy matching only).
const TOO_FAR: usize = 4096;

/// zlib's `configuration_table` row for a level.
#[derive(Clone, Copy, Debug)]
struct Config {
    /// Search a quarter of the chain when the previous match is at least this long.
    good_length: usize,
    /// Lazy matching: do not look for a better match after one this long. Greedy
    /// matching: insert the strings inside a match only when it is no longer.
    max_lazy: usize,
    /// Stop searching at a match this long.
    nice_length: usize,
    max_chain: usize,
    lazy: bool,
}

impl Config {
    fn for_level(level: u8) -> Config {
        let (good_length, max_lazy, nice_length, max_chain, lazy) = match level {
            1 => (4, 4, 8, 4, false),
            2 => (4, 5, 16, 8, false),
            3 => (4, 6, 32, 32, false),
            4 => (4, 4, 16, 16, true),
            5 => (8, 16, 32, 32, true),
            6 => (8, 16, 128, 128, true),
            7 => (8, 32, 128, 256, true),
            8 => (32, 128, 258, 1024, true),
            _ => (32, 258, 258, 4096, true),
        };
        Config {
            good_length,
            max_lazy,
            nice_length,
            max_chain,
            lazy,
        }
    }
}

/// What [`Deflater::fill_lookahead`] found.
enum Lookahead {
    /// Enough to match at `strstart` (or all there is, when finishing).
    Ready,
    /// Too little, and more input may come: stop until it does (`need_more`).
    NeedInput,
    /// Finishing, and every byte has been matched.
    Ended,
}

/// A deflate stream in progress: write input with [`Deflater::write`], end it with
/// [`Deflater::finish`], which also makes the `Deflater` ready for the next stream.
pub struct Deflater {
    config: Config,
    /// Two window sizes: input is read into the upper half, which slides down when full.
    window: Box<[u8; WINDOW_SIZE]>,
    /// For each position (modulo the window size), the previous one with the same hash.
    prev: Box<[u16; WSIZE]>,
    /// For each hash of three bytes, the latest position with it.
    head: Box<[u16; HASH_SIZE]>,
    /// The next position to match.
    strstart: usize,
    /// Where the current block starts; negative once that has slid out of the window.
    block_start: isize,
    /// Bytes in the window from `strstart` on.
    lookahead: usize,
    match_start: usize,
    match_length: usize,
    prev_length: usize,
    prev_match: usize,
    /// Lazy matching: the byte before `strstart` is not written yet.
    match_available: bool,
    block: Box<Block>,
    bits: BitWriter,
}

impl std::fmt::Debug for Deflater {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deflater")
            .field("config", &self.config)
            .field("strstart", &self.strstart)
            .field("lookahead", &self.lookahead)
            .finish_non_exhaustive()
    }
}

impl Deflater {
    /// A deflater at `level`, 1 (fastest) to 9 (smallest); other values are clamped.
    pub fn new(level: u8) -> Deflater {
        let mut deflater = Deflater {
            config: Config::for_level(level.clamp(1, 9)),
            window: Box::new([0; WINDOW_SIZE]),
            prev: Box::new([0; WSIZE]),
            head: Box::new([0; HASH_SIZE]),
            strstart: 0,
            block_start: 0,
            lookahead: 0,
            match_start: 0,
            match_length: 0,
            prev_length: 0,
            prev_match: 0,
            match_available: false,
            block: Block::new(),
            bits: BitWriter::default(),
        };
        deflater.reset();
        deflater
    }

    /// `deflateReset`: forgets the stream so far.
    pub fn reset(&mut self) {
        self.head.fill(0);
        self.strstart = 0;
        self.block_start = 0;
        self.lookahead = 0;
        self.match_length = MIN_MATCH - 1;
        self.prev_length = MIN_MATCH - 1;
        self.match_available = false;
        self.block.reset();
        self.bits.reset();
    }

    /// `deflate(Z_NO_FLUSH)`: compresses `input`, appending finished output to `out`.
    /// Up to the last 262 bytes wait in the window for more input, as in zlib.
    pub fn write(&mut self, input: &[u8], out: &mut Vec<u8>) {
        // zlib returns at once (`Z_BUF_ERROR`) when there is no input and no flush.
        if !input.is_empty() {
            self.compress(&mut { input }, false, out);
        }
    }

    /// `deflate(Z_FINISH)`: compresses what is left, ends the stream (on a byte
    /// boundary) and resets the deflater for the next one.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        self.compress(&mut &[][..], true, out);
        self.reset();
    }

    /// One stream in one go: `write` then `finish`.
    pub fn deflate(&mut self, input: &[u8], out: &mut Vec<u8>) {
        self.write(input, out);
        self.finish(out);
    }

    fn compress(&mut self, input: &mut &[u8], finish: bool, out: &mut Vec<u8>) {
        let done = if self.config.lazy {
            self.deflate_slow(input, finish, out)
        } else {
            self.deflate_fast(input, finish, out)
        };
        if done {
            self.flush_block(out, true);
        }
    }

    /// `fill_window`: reads input into the window, sliding it down a half first when
    /// `strstart` has come too near its end.
    fn fill_window(&mut self, input: &mut &[u8]) {
        loop {
            let mut more = WINDOW_SIZE - self.lookahead - self.strstart;
            if self.strstart >= WSIZE + MAX_DIST {
                self.window.copy_within(WSIZE..2 * WSIZE - more, 0);
                self.match_start = self.match_start.wrapping_sub(WSIZE);
                self.strstart -= WSIZE;
                self.block_start -= WSIZE as isize;
                // `slide_hash`: positions that slid out become 0, the end of a chain.
                for pos in self.head.iter_mut() {
                    *pos = pos.saturating_sub(WSIZE as u16);
                }
                for pos in self.prev.iter_mut() {
                    *pos = pos.saturating_sub(WSIZE as u16);
                }
                more += WSIZE;
            }
            if input.is_empty() {
                return;
            }
            let n = more.min(input.len());
            let at = self.strstart + self.lookahead;
            self.window[at..at + n].copy_from_slice(&input[..n]);
            *input = &input[n..];
            self.lookahead += n;
            if self.lookahead >= MIN_LOOKAHEAD || input.is_empty() {
                return;
            }
        }
    }

    /// Reads input until there is enough lookahead to match at `strstart`, as the top of
    /// zlib's `deflate_fast` and `deflate_slow` loops does.
    #[inline(always)]
    fn fill_lookahead(&mut self, input: &mut &[u8], finish: bool) -> Lookahead {
        if self.lookahead < MIN_LOOKAHEAD {
            self.fill_window(input);
            if self.lookahead < MIN_LOOKAHEAD && !finish {
                return Lookahead::NeedInput;
            }
            if self.lookahead == 0 {
                return Lookahead::Ended;
            }
        }
        Lookahead::Ready
    }

    /// `INSERT_STRING`: adds the three bytes at `pos` to the hash chains; returns the
    /// previous position with the same hash (0 for none).
    #[inline(always)]
    fn insert_string(&mut self, pos: usize) -> usize {
        let byte = |i: usize| usize::from(self.window[i & (WINDOW_SIZE - 1)]);
        let hash = ((byte(pos) << 10) ^ (byte(pos + 1) << 5) ^ byte(pos + 2)) & HASH_MASK;
        let head = self.head[hash];
        self.prev[pos & WMASK] = head;
        self.head[hash] = pos as u16;
        usize::from(head)
    }

    /// `FLUSH_BLOCK`: writes the block that ends at `strstart`.
    fn flush_block(&mut self, out: &mut Vec<u8>, last: bool) {
        let stored = usize::try_from(self.block_start)
            .ok()
            .map(|start| &self.window[start..self.strstart]);
        self.block.flush(&mut self.bits, out, stored, last);
        self.block_start = self.strstart as isize;
    }

    /// `longest_match`: the longest match for `strstart` on the hash chain from
    /// `cur_match`, longer than `prev_length` (else `prev_length`), at most `lookahead`.
    /// Sets `match_start`.
    #[inline(always)]
    fn longest_match(&mut self, mut cur_match: usize) -> usize {
        let config = self.config;
        let mut chain_length = config.max_chain;
        let scan = self.strstart;
        let mut best_len = self.prev_length;
        let nice_match = config.nice_length.min(self.lookahead);
        let limit = scan.saturating_sub(MAX_DIST);
        if self.prev_length >= config.good_length {
            chain_length >>= 2;
        }
        let w: &[u8; WINDOW_SIZE] = &self.window;
        // Positions stay below the window's size; masking them spares bounds checks.
        let at = |i: usize| w[i & (WINDOW_SIZE - 1)];
        // zlib compares up to 258 bytes ahead, past the lookahead, but never lets the
        // bytes past it decide.
        let here = &w[scan..scan + MAX_MATCH + 1];
        let mut scan_end1 = at(scan + best_len - 1);
        let mut scan_end = at(scan + best_len);
        let (scan_first, scan_second) = (here[0], here[1]);
        loop {
            // Quick rejects, in zlib's order; the third byte matches when the first two
            // and the hash do.
            if at(cur_match + best_len) == scan_end
                && at(cur_match + best_len - 1) == scan_end1
                && at(cur_match) == scan_first
                && at(cur_match + 1) == scan_second
            {
                let candidate = &w[cur_match..cur_match + MAX_MATCH + 1];
                let len = MIN_MATCH + common_prefix(&here[MIN_MATCH..], &candidate[MIN_MATCH..]);
                let len = len.min(MAX_MATCH);
                if len > best_len {
                    self.match_start = cur_match;
                    best_len = len;
                    if len >= nice_match {
                        break;
                    }
                    scan_end1 = at(scan + best_len - 1);
                    scan_end = at(scan + best_len);
                }
            }
            cur_match = usize::from(self.prev[cur_match & WMASK]);
            if cur_match <= limit {
                break;
            }
            chain_length -= 1;
            if chain_length == 0 {
                break;
            }
        }
        best_len.min(self.lookahead)
    }

    /// `deflate_fast` (levels 1–3): takes each match as found, and inserts the strings
    /// inside a match only when it is short. Returns true when the input has ended.
    fn deflate_fast(&mut self, input: &mut &[u8], finish: bool, out: &mut Vec<u8>) -> bool {
        loop {
            match self.fill_lookahead(input, finish) {
                Lookahead::NeedInput => return false,
                Lookahead::Ended => return true,
                Lookahead::Ready => {}
            }
            let mut hash_head = 0;
            if self.lookahead >= MIN_MATCH {
                hash_head = self.insert_string(self.strstart);
            }
            if hash_head != 0 && self.strstart - hash_head <= MAX_DIST {
                self.match_length = self.longest_match(hash_head);
            }
            let full;
            if self.match_length >= MIN_MATCH {
                full = self
                    .block
                    .matched(self.strstart - self.match_start, self.match_length);
                self.lookahead -= self.match_length;
                if self.match_length <= self.config.max_lazy && self.lookahead >= MIN_MATCH {
                    for _ in 1..self.match_length {
                        self.strstart += 1;
                        self.insert_string(self.strstart);
                    }
                    self.strstart += 1;
                } else {
                    self.strstart += self.match_length;
                }
                self.match_length = 0;
            } else {
                full = self.block.literal(self.window[self.strstart]);
                self.lookahead -= 1;
                self.strstart += 1;
            }
            if full {
                self.flush_block(out, false);
            }
        }
    }

    /// `deflate_slow` (levels 4–9): lazy matching, which keeps a match only if the
    /// next position does not start a longer one. Returns true when the input has ended.
    fn deflate_slow(&mut self, input: &mut &[u8], finish: bool, out: &mut Vec<u8>) -> bool {
        loop {
            match self.fill_lookahead(input, finish) {
                Lookahead::NeedInput => return false,
                Lookahead::Ended => break,
                Lookahead::Ready => {}
            }
            let mut hash_head = 0;
            if self.lookahead >= MIN_MATCH {
                hash_head = self.insert_string(self.strstart);
            }
            self.prev_length = self.match_length;
            self.prev_match = self.match_start;
            self.match_length = MIN_MATCH - 1;
            if hash_head != 0
                && self.prev_length < self.config.max_lazy
                && self.strstart - hash_head <= MAX_DIST
            {
                self.match_length = self.longest_match(hash_head);
                if self.match_length == MIN_MATCH && self.strstart - self.match_start > TOO_FAR {
                    self.match_length = MIN_MATCH - 1;
                }
            }
            if self.prev_length >= MIN_MATCH && self.match_length <= self.prev_length {
                // The previous match is at least as good: write it.
                let max_insert = self.strstart + self.lookahead - MIN_MATCH;
                let full = self
                    .block
                    .matched(self.strstart - 1 - self.prev_match, self.prev_length);
                self.lookahead -= self.prev_length - 1;
                for _ in 0..self.prev_length - 2 {
                    self.strstart += 1;
                    if self.strstart <= max_insert {
                        self.insert_string(self.strstart);
                    }
                }
                self.match_available = false;
                self.match_length = MIN_MATCH - 1;
                self.strstart += 1;
                if full {
                    self.flush_block(out, false);
                }
            } else if self.match_available {
                // The previous byte starts no match, or a worse one: write it as is.
                if self.block.literal(self.window[self.strstart - 1]) {
                    self.flush_block(out, false);
                }
                self.strstart += 1;
                self.lookahead -= 1;
            } else {
                self.match_available = true;
                self.strstart += 1;
                self.lookahead -= 1;
            }
        }
        if self.match_available {
            self.block.literal(self.window[self.strstart - 1]);
            self.match_available = false;
        }
        true
    }
}

/// How many leading bytes `a` and `b` share (of the shorter's length, rounded down to
/// whole eight-byte words, plus the partial word where they differ).
#[inline(always)]
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut len = 0;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let x = u64::from_le_bytes(x.try_into().unwrap());
        let y = u64::from_le_bytes(y.try_into().unwrap());
        let diff = x ^ y;
        if diff != 0 {
            return len + (diff.trailing_zeros() / 8) as usize;
        }
        len += 8;
    }
    len
}
