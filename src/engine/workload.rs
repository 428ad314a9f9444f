//! The application calling `send()`: record keys and value bytes, generated from the seed.
//!
//! Keys. `Uniform` and `Zipf` keys are `user-<i>` for `i` in `0..count` (decimal, no
//! padding, like an application keying events by user id); under `Zipf`, `user-0` is the
//! hottest key, `user-1` the next, and so on. They are formatted on demand into a reused
//! buffer (a few nanoseconds), so a large `count` costs no memory. `List` keys are the
//! given strings' UTF-8 bytes, taken in turn, and `File` keys the loaded file's lines.
//! `None`, an empty list, a file not loaded and a count of 0 all send null keys: there is
//! nothing to refuse here, so the constructor cannot fail.
//!
//! Random streams. Key draws come from one fork of the given generator and value bytes
//! from another, and the value of record `n` is seeded from (value seed, `n`) alone.
//! So whether value bytes are asked for (say, compression on or off) never changes which
//! keys are sent, and record `n`'s value is the same whether or not earlier values were
//! generated.
//!
//! Values from a file (`workload.values`) are its lines in turn, whatever their length.
//! Generated values are exactly `value_size` bytes and look like their profile: random bytes,
//! JSON events (valid JSON at every size from 1 byte), log lines (cut at the size) or
//! one phrase repeated. They are written by hand into a buffer that is allocated once
//! and reused, with one random word per field or two, never one per byte of text.

use super::bytes::copy_into;
use super::config::{KeyDistribution, ValueProfile, WorkloadConfig};
use super::rng::SimRng;
use std::sync::Arc;

/// One record to send. `value` is empty unless bytes were asked for.
#[derive(Debug)]
pub struct RecordSpec<'a> {
    pub key: Option<&'a [u8]>,
    pub value: &'a [u8],
    pub value_len: u32,
    /// Which of the workload's keys this is (`0..key_count()`), `None` for a null key.
    /// The same index always means the same key bytes, so callers may cache per key
    /// (e.g. its partition).
    pub key_index: Option<u32>,
}

/// Prefix of the generated `Uniform` and `Zipf` keys.
pub const KEY_PREFIX: &str = "user-";

/// `SimRng::fork` stream numbers of the two generators a workload uses.
const KEY_STREAM: u64 = 1;
const VALUE_STREAM: u64 = 2;

/// Zipf ranks up to this are drawn exactly from a table; beyond it (only when `count`
/// is larger) from the continuous density, whose error at these ranks is below 1e-9.
const ZIPF_TABLE_RANKS: u32 = 1 << 16;

/// Bytes a value writer may run past `value_size` before cutting back: the longest log
/// line (under 160 bytes) or JSON head fields (under 140 bytes).
const VALUE_SLACK: usize = 256;

#[derive(Clone, Debug)]
pub struct Workload {
    keys: Keys,
    key_rng: SimRng,
    values: ValueSource,
    /// Records handed out so far; also the next record's number.
    sent: u64,
    /// `user-` and room for a `u32` in decimal.
    key: [u8; 16],
    key_len: usize,
    /// At least `value_size + VALUE_SLACK` long once a value was written.
    value: Vec<u8>,
}

#[derive(Clone, Debug)]
enum Keys {
    Null,
    Uniform { count: u32 },
    Zipf(Zipf),
    List(Arc<[Vec<u8>]>),
}

impl Workload {
    pub fn new(config: &WorkloadConfig, rng: SimRng) -> Self {
        let mut rng = rng;
        let key_rng = rng.fork(KEY_STREAM);
        let mut value_rng = rng.fork(VALUE_STREAM);
        let keys = match &config.keys {
            KeyDistribution::None
            | KeyDistribution::Uniform { count: 0 }
            | KeyDistribution::Zipf { count: 0, .. } => Keys::Null,
            KeyDistribution::List(list) if list.is_empty() => Keys::Null,
            KeyDistribution::Uniform { count } => Keys::Uniform { count: *count },
            KeyDistribution::Zipf { count, exponent } => Keys::Zipf(Zipf::new(*count, *exponent)),
            KeyDistribution::List(list) => {
                Keys::List(list.iter().map(|k| k.as_bytes().to_vec()).collect())
            }
            KeyDistribution::File(file) => match file.lines() {
                Some(lines) if !lines.is_empty() => Keys::List(Arc::clone(lines)),
                _ => Keys::Null,
            },
        };
        let seed = value_rng.next_u64();
        let values = ValueSource {
            lines: (config.values.as_ref())
                .and_then(|f| f.lines().cloned())
                .filter(|lines| !lines.is_empty()),
            profile: config.value_profile,
            size: config.value_size,
            seed,
            // Ten-digit event ids, counting up from a seeded start.
            first_event_id: 1_000_000_000 + scale(value_rng.next_u64(), 8_000_000_000),
        };
        let mut key = [0u8; 16];
        key[..KEY_PREFIX.len()].copy_from_slice(KEY_PREFIX.as_bytes());
        Workload {
            keys,
            key_rng,
            values,
            sent: 0,
            key,
            key_len: 0,
            value: Vec::new(),
        }
    }

    /// The next record; value bytes are generated only when `with_value` is true.
    pub fn next_record(&mut self, with_value: bool) -> RecordSpec<'_> {
        let n = self.sent;
        self.sent += 1;
        let key_index = match &self.keys {
            Keys::Null => None,
            Keys::Uniform { count } => Some(scale(self.key_rng.next_u64(), *count as u64) as u32),
            Keys::Zipf(zipf) => Some(zipf.sample(self.key_rng.next_u64())),
            Keys::List(list) => Some((n % list.len() as u64) as u32),
        };
        if let (Some(i), Keys::Uniform { .. } | Keys::Zipf(_)) = (key_index, &self.keys) {
            self.key_len = write_user_key(&mut self.key, i);
        }
        let value_len = self.values.len_of(n);
        let written = if with_value {
            self.values.write(n, &mut self.value)
        } else {
            0
        };
        let key = key_index.map(|i| match &self.keys {
            Keys::List(list) => list[i as usize].as_slice(),
            _ => &self.key[..self.key_len],
        });
        RecordSpec {
            key,
            value: &self.value[..written],
            value_len,
            key_index,
        }
    }

    /// The value bytes of record `record` (0-based), exactly as `next_record` gives (or
    /// would give) them. For a one-off `send()` from the UI, pass `records_generated()`.
    pub fn value_for(&mut self, record: u64) -> &[u8] {
        let len = self.values.write(record, &mut self.value);
        &self.value[..len]
    }

    /// How many distinct key indexes there are (0 when every key is null).
    pub fn key_count(&self) -> u32 {
        match &self.keys {
            Keys::Null => 0,
            Keys::Uniform { count } => *count,
            Keys::Zipf(zipf) => zipf.count,
            Keys::List(list) => u32::try_from(list.len()).unwrap_or(u32::MAX),
        }
    }

    /// The bytes of key `index`, or `None` if there is no such key.
    pub fn key_bytes(&self, index: u32) -> Option<Vec<u8>> {
        if index >= self.key_count() {
            return None;
        }
        match &self.keys {
            Keys::Null => None,
            Keys::Uniform { .. } | Keys::Zipf(_) => {
                let mut key = self.key;
                let len = write_user_key(&mut key, index);
                Some(key[..len].to_vec())
            }
            Keys::List(list) => Some(list[index as usize].clone()),
        }
    }

    /// How many records `next_record` has handed out.
    pub fn records_generated(&self) -> u64 {
        self.sent
    }

    pub fn value_size(&self) -> u32 {
        self.values.size
    }

    pub fn value_profile(&self) -> ValueProfile {
        self.values.profile
    }
}

/// Writes `index` after the `user-` prefix already in `key`; returns the key's length.
fn write_user_key(key: &mut [u8; 16], index: u32) -> usize {
    let mut c = Cursor {
        buf: key,
        pos: KEY_PREFIX.len(),
    };
    c.u64(index as u64);
    c.pos
}

/// Maps a uniform 64-bit draw onto `0..n` (multiply-high; bias below 2^-32 for n < 2^32).
fn scale(x: u64, n: u64) -> u64 {
    ((x as u128 * n as u128) >> 64) as u64
}

/// Maps a uniform 32-bit draw onto `0..n`, for values in generated text, where a bias
/// of `n / 2^32` does not matter.
fn scale32(x: u32, n: u32) -> u64 {
    (x as u64 * n as u64) >> 32
}

fn low(x: u64) -> u32 {
    x as u32
}

fn high(x: u64) -> u32 {
    (x >> 32) as u32
}

/// Zipf over ranks `1..=count`, P(k) proportional to k^-s. Each draw is one raw `u64`
/// looked up in a table of cumulative thresholds (no floats): a guide table indexed by
/// the draw's top bits narrows the binary search to a few entries. Draws past the table
/// (only when `count > ZIPF_TABLE_RANKS`) invert the continuous density instead.
#[derive(Clone, Debug)]
struct Zipf {
    count: u32,
    /// `thresholds[i]`: draws below it land on rank `i + 1` or lower.
    thresholds: Vec<u64>,
    /// `guide[j]`: how many thresholds are at most `j << guide_shift`.
    guide: Vec<u32>,
    guide_shift: u32,
    tail: Option<ZipfTail>,
}

/// Ranks `first..=count` through the density's antiderivative `g` (see `Zipf::g`).
#[derive(Clone, Copy, Debug)]
struct ZipfTail {
    s: f64,
    g_low: f64,
    g_high: f64,
    first: u32,
    count: u32,
}

impl Zipf {
    fn new(count: u32, exponent: f64) -> Self {
        // Config validation refuses bad exponents; here they only must not panic.
        let s = if exponent.is_nan() {
            0.0
        } else {
            exponent.clamp(0.0, 1000.0)
        };
        let head = count.min(ZIPF_TABLE_RANKS);
        let mut cumulative = Vec::with_capacity(head as usize);
        let mut sum = 0.0;
        for k in 1..=head {
            sum += (k as f64).powf(-s);
            cumulative.push(sum);
        }
        let tail = (count > head).then(|| ZipfTail {
            s,
            g_low: Self::g(s, head as f64 + 0.5),
            g_high: Self::g(s, count as f64 + 0.5),
            first: head + 1,
            count,
        });
        let total = sum + tail.map_or(0.0, |t| t.g_high - t.g_low);
        let thresholds: Vec<u64> = cumulative
            .iter()
            .map(|c| {
                let p = c / total;
                if p >= 1.0 {
                    u64::MAX
                } else {
                    // Saturating cast: 2^64 * p < 2^64 here.
                    (p * 18_446_744_073_709_551_616.0) as u64
                }
            })
            .collect();
        let guide_bits = (head as u64).next_power_of_two().trailing_zeros().max(1);
        let guide_shift = 64 - guide_bits;
        let guide = (0..=1u64 << guide_bits)
            .map(|j| match j.checked_shl(guide_shift) {
                Some(start) if j < 1 << guide_bits => {
                    thresholds.partition_point(|&t| t <= start) as u32
                }
                _ => thresholds.len() as u32,
            })
            .collect();
        Zipf {
            count,
            thresholds,
            guide,
            guide_shift,
            tail,
        }
    }

    /// An antiderivative of x^-s (increasing in x for every s >= 0).
    fn g(s: f64, x: f64) -> f64 {
        if (s - 1.0).abs() < 1e-9 {
            x.ln()
        } else {
            x.powf(1.0 - s) / (1.0 - s)
        }
    }

    fn g_inverse(s: f64, y: f64) -> f64 {
        if (s - 1.0).abs() < 1e-9 {
            y.exp()
        } else {
            (y * (1.0 - s)).powf(1.0 / (1.0 - s))
        }
    }

    /// The 0-based key index (rank - 1) for one uniform draw.
    fn sample(&self, x: u64) -> u32 {
        let j = (x >> self.guide_shift) as usize;
        let (from, to) = (self.guide[j] as usize, self.guide[j + 1] as usize);
        let i = from + self.thresholds[from..to].partition_point(|&t| t <= x);
        if i < self.thresholds.len() {
            return i as u32;
        }
        let Some(t) = self.tail else {
            return self.count - 1;
        };
        let start = *self.thresholds.last().unwrap_or(&0);
        let u = (x - start) as f64 / (u64::MAX - start) as f64;
        let y = t.g_low + u * (t.g_high - t.g_low);
        // Rank k covers [k - 0.5, k + 0.5); float-to-int casts saturate (NaN gives 0).
        let rank = (Self::g_inverse(t.s, y) + 0.5).floor() as u32;
        rank.clamp(t.first, t.count) - 1
    }
}

/// Writes the value bytes of any record, from the value seed and the record's number.
#[derive(Clone, Debug)]
struct ValueSource {
    /// The values from a file, in turn; when present, profile and size do not apply.
    lines: Option<Arc<[Vec<u8>]>>,
    profile: ValueProfile,
    size: u32,
    seed: u64,
    first_event_id: u64,
}

impl ValueSource {
    /// The length of record `record`'s value.
    fn len_of(&self, record: u64) -> u32 {
        match &self.lines {
            Some(lines) => lines[(record % lines.len() as u64) as usize].len() as u32,
            None => self.size,
        }
    }

    /// Writes record `record`'s value at the start of `buf` (grown if needed, never
    /// shrunk) and returns its length.
    fn write(&self, record: u64, buf: &mut Vec<u8>) -> usize {
        if let Some(lines) = &self.lines {
            let line = &lines[(record % lines.len() as u64) as usize];
            if buf.len() < line.len() {
                buf.resize(line.len(), 0);
            }
            buf[..line.len()].copy_from_slice(line);
            return line.len();
        }
        let size = self.size as usize;
        if buf.len() < size + VALUE_SLACK {
            buf.resize(size + VALUE_SLACK, 0);
        }
        // Odd multiplier: distinct records get distinct seeds.
        let rng = || SimRng::new(self.seed ^ record.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut c = Cursor {
            buf: buf.as_mut_slice(),
            pos: 0,
        };
        match self.profile {
            ValueProfile::Random => rng().fill(&mut c.buf[..size]),
            ValueProfile::Json => {
                let event_id = self.first_event_id.wrapping_add(record);
                write_json(&mut c, size, event_id, record, &mut rng());
            }
            ValueProfile::LogLines => write_log(&mut c, size, record, &mut rng()),
            ValueProfile::RepeatedText => write_repeated(&mut c, size),
        }
        size
    }
}

/// Writes text into a buffer known to be long enough (see `VALUE_SLACK`).
struct Cursor<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

/// Two ASCII digits for each of 0..100.
const DIGIT_PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// Two lowercase hex digits for each byte value.
const HEX_PAIRS: [u8; 512] = {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut t = [0u8; 512];
    let mut i = 0;
    while i < 256 {
        t[2 * i] = HEX[i >> 4];
        t[2 * i + 1] = HEX[i & 15];
        i += 1;
    }
    t
};

/// 10^1 to 10^7: `n < 10^8` has one digit more than the number of these it reaches.
const POWERS_OF_TEN: [u64; 7] = [10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/// The eight decimal digits of `n < 10^8` (leading zeros included) as ASCII, first
/// digit in the lowest byte. Splits into 4-digit, then 2-digit, then 1-digit lanes
/// of one `u64`, dividing every lane at once by multiply-and-shift: x / 100 =
/// (x * 10486) >> 20 for x < 10^4 and y / 10 = (y * 103) >> 10 for y < 100 (both
/// checked exhaustively in the tests).
#[inline(always)]
fn ascii8(n: u64) -> u64 {
    let x = (n / 10_000) | ((n % 10_000) << 32);
    let hundreds = ((x * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let y = hundreds | ((x - hundreds * 100) << 16);
    let tens = ((y * 103) >> 10) & 0x000f_000f_000f_000f;
    let z = tens | ((y - tens * 10) << 8);
    z | 0x3030_3030_3030_3030
}

impl Cursor<'_> {
    #[inline(always)]
    fn put(&mut self, text: &[u8]) {
        copy_into(self.buf, self.pos, text);
        self.pos += text.len();
    }

    #[inline(always)]
    fn byte(&mut self, b: u8) {
        self.buf[self.pos] = b;
        self.pos += 1;
    }

    /// `n` in decimal, eight digits at a time with no loop (see `ascii8`). Writes up to
    /// 8 bytes past the number, which later writes overwrite.
    #[inline(always)]
    fn u64(&mut self, n: u64) {
        const E8: u64 = 100_000_000;
        if n < E8 {
            self.leading8(n);
        } else if n < E8 * E8 {
            self.leading8(n / E8);
            self.full8(n % E8);
        } else {
            self.leading8(n / (E8 * E8));
            self.full8(n / E8 % E8);
            self.full8(n % E8);
        }
    }

    /// `n < 10^8` without leading zeros.
    #[inline(always)]
    fn leading8(&mut self, n: u64) {
        // Digits of n (1 for 0), by comparison: `ilog10` is a call in size-optimised code.
        let mut len = 1;
        while len < 8 && n >= POWERS_OF_TEN[len - 1] {
            len += 1;
        }
        // Little-endian: the leading zeros are the low bytes.
        let digits = ascii8(n) >> (8 * (8 - len));
        copy_into(self.buf, self.pos, &digits.to_le_bytes());
        self.pos += len;
    }

    /// `n < 10^8` as exactly eight digits.
    #[inline(always)]
    fn full8(&mut self, n: u64) {
        copy_into(self.buf, self.pos, &ascii8(n).to_le_bytes());
        self.pos += 8;
    }

    /// `n % 100` as two digits.
    fn two(&mut self, n: u64) {
        let pair = (n % 100) as usize * 2;
        self.put(&DIGIT_PAIRS[pair..pair + 2]);
    }

    /// `x` as 16 lowercase hex digits.
    fn hex(&mut self, x: u64) {
        let out = &mut self.buf[self.pos..self.pos + 16];
        for (i, pair) in out.chunks_exact_mut(2).enumerate() {
            let byte = (x >> (56 - 8 * i)) as u8 as usize * 2;
            pair.copy_from_slice(&HEX_PAIRS[byte..byte + 2]);
        }
        self.pos += 16;
    }

    fn spaces(&mut self, n: usize) {
        self.buf[self.pos..self.pos + n].fill(b' ');
        self.pos += n;
    }
}

const EVENT_TYPES: [&[u8]; 8] = [
    b"page_view",
    b"page_view",
    b"page_view",
    b"click",
    b"click",
    b"search",
    b"add_to_cart",
    b"purchase",
];

const PAGES: [&[u8]; 4] = [b"/products/", b"/products/", b"/categories/", b"/reviews/"];

/// Each over 50 bytes, so that a JSON item always fits where a `ua` field would.
const USER_AGENTS: [&[u8]; 4] = [
    b"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    b"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    b"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    b"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
];

/// Event time of record 0 (2026-11-27T14:03:12Z, in ms since the epoch).
const FIRST_EVENT_MS: u64 = 1_795_788_192_000;

/// A JSON event of exactly `size` bytes:
/// `{"event_id":…,"user_id":…,"type":"…","ts":…,"page":"…","session":"…"` then, when
/// there is room, `,"items":[{"sku":"SKU-…","qty":…,"price_cents":…},…]`, then a `ua`
/// (user agent) string cut to fill the rest, then `}`. Fields that do not fit are left
/// out (and spaces pad the last few bytes), so every size from 1 byte up is valid JSON.
fn write_json(c: &mut Cursor, size: usize, event_id: u64, record: u64, rng: &mut SimRng) {
    if size < 2 {
        c.put(&b"0"[..size]);
        return;
    }
    let limit = size - 1; // bytes before the closing brace
    let a = rng.next_u64();
    let b = rng.next_u64();
    let ua = USER_AGENTS[(a & 3) as usize];
    let mut ends = [0usize; 6];
    c.put(b"{\"event_id\":");
    c.u64(event_id);
    ends[0] = c.pos;
    c.put(b",\"user_id\":");
    c.u64(1 + scale32(high(a), 250_000));
    ends[1] = c.pos;
    c.put(b",\"type\":\"");
    c.put(EVENT_TYPES[(a >> 2 & 7) as usize]);
    c.byte(b'"');
    ends[2] = c.pos;
    c.put(b",\"ts\":");
    c.u64(FIRST_EVENT_MS.wrapping_add(record.wrapping_mul(4)) + (a >> 5 & 3));
    ends[3] = c.pos;
    c.put(b",\"page\":\"");
    c.put(PAGES[(a >> 7 & 3) as usize]);
    c.u64(1 + scale32(low(b), 60_000));
    c.byte(b'"');
    ends[4] = c.pos;
    c.put(b",\"session\":\"");
    c.hex(rng.next_u64());
    c.byte(b'"');
    ends[5] = c.pos;

    if ends[5] > limit {
        // Keep the fields that fit; an opening brace alone needs no comma after it.
        let keep = ends.iter().rev().find(|&&e| e <= limit).copied();
        c.pos = keep.unwrap_or(1);
        push_ua_fill(c, limit - c.pos, keep.is_some(), ua);
        c.byte(b'}');
        return;
    }

    // Items while the rest is longer than the `ua` field; the longest item with its
    // prefix and `]` is 58 bytes, less than the shortest `ua` field (78).
    let ua_field = b",\"ua\":\"".len() + ua.len() + 1;
    let mut opened = false;
    while limit - c.pos - opened as usize > ua_field {
        c.put(if opened { b"," } else { b",\"items\":[" });
        opened = true;
        let x = rng.next_u64();
        c.put(b"{\"sku\":\"SKU-");
        let sku = scale32(high(x), 100_000);
        c.two(sku / 1000);
        c.two(sku / 10);
        c.byte(b'0' + (sku % 10) as u8);
        c.put(b"\",\"qty\":");
        c.byte(b'1' + (x & 3) as u8);
        c.put(b",\"price_cents\":");
        c.u64(99 + (x >> 2 & 0xffff));
        c.byte(b'}');
    }
    if opened {
        c.byte(b']');
    }
    push_ua_fill(c, limit - c.pos, true, ua);
    c.byte(b'}');
}

/// Fills exactly `room` bytes with `,"ua":"<ua cut to fit>"`, or spaces if too small.
fn push_ua_fill(c: &mut Cursor, room: usize, comma: bool, ua: &[u8]) {
    let prefix: &[u8] = if comma { b",\"ua\":\"" } else { b"\"ua\":\"" };
    let mut room = room;
    if room > prefix.len() {
        let text = (room - prefix.len() - 1).min(ua.len());
        c.put(prefix);
        c.put(&ua[..text]);
        c.byte(b'"');
        room -= prefix.len() + text + 1;
    }
    c.spaces(room);
}

/// A log message: text pieces, each followed by a number in `1..=bound` (none if 0).
/// At most three numbers per message (see `write_log`).
type LogTemplate = (&'static [u8], &'static [(&'static [u8], u32)]);

const LOG_TEMPLATES: [LogTemplate; 8] = [
    (
        b"c.e.shop.order.OrderService - ",
        &[
            (b"Created order ", 9_999_999),
            (b" for customer ", 250_000),
            (b" in ", 250),
            (b" ms", 0),
        ],
    ),
    (
        b"c.e.shop.payment.PaymentClient - ",
        &[
            (b"Payment ", 9_999_999),
            (b" authorized, amount_cents=", 50_000),
            (b" currency=EUR", 0),
        ],
    ),
    (
        b"c.e.shop.web.CartController - ",
        &[
            (b"GET /api/carts/", 250_000),
            (b" -> 200 in ", 80),
            (b" ms", 0),
        ],
    ),
    (
        b"c.e.shop.inventory.StockService - ",
        &[
            (b"Reserved ", 5),
            (b" units of SKU-", 99_999),
            (b" for order ", 9_999_999),
        ],
    ),
    (
        b"c.e.shop.web.RequestLogger - ",
        &[
            (b"GET /products/", 60_000),
            (b" status=200 bytes=", 90_000),
            (b" duration_ms=", 400),
        ],
    ),
    (
        b"c.e.shop.auth.SessionFilter - ",
        &[
            (b"Session refreshed for user ", 250_000),
            (b", expires in ", 3600),
            (b" s", 0),
        ],
    ),
    (
        b"c.e.shop.search.SearchService - ",
        &[
            (b"Query returned ", 500),
            (b" hits in ", 120),
            (b" ms (page ", 9),
            (b")", 0),
        ],
    ),
    (
        b"o.a.k.clients.producer.KafkaProducer - ",
        &[
            (b"[Producer clientId=shop-events-", 4),
            (b"] Sent event to partition ", 12),
        ],
    ),
];

/// `%-5level` as logback writes it: mostly INFO.
const LOG_LEVELS: [&[u8]; 16] = [
    b"INFO ", b"INFO ", b"INFO ", b"INFO ", b"INFO ", b"INFO ", b"INFO ", b"INFO ", b"INFO ",
    b"INFO ", b"INFO ", b"DEBUG", b"DEBUG", b"DEBUG", b"WARN ", b"ERROR",
];

/// Log lines (`2026-11-27T14:03:12.345Z INFO  [http-nio-8080-exec-3] logger - message`)
/// until `size` bytes, the last one cut at the size.
fn write_log(c: &mut Cursor, size: usize, record: u64, rng: &mut SimRng) {
    const DAY_MS: u64 = 86_400_000;
    // Record 0's first line is at 14:03:12.000; records are 4 ms apart.
    let mut ms = (14 * 3_600_000 + 3 * 60_000 + 12_000 + record % DAY_MS * 4) % DAY_MS;
    while c.pos < size {
        // Two draws per line: choices from `a`'s low bits, numbers from the 32-bit halves.
        let a = rng.next_u64();
        let b = rng.next_u64();
        let mut numbers = [high(a), low(b), high(b)].into_iter();
        ms = (ms + (a & 3)) % DAY_MS;
        c.put(b"2026-11-27T");
        c.two(ms / 3_600_000);
        c.byte(b':');
        c.two(ms / 60_000 % 60);
        c.byte(b':');
        c.two(ms / 1000 % 60);
        c.byte(b'.');
        c.byte(b'0' + (ms % 1000 / 100) as u8);
        c.two(ms % 100);
        c.put(b"Z ");
        c.put(LOG_LEVELS[(a >> 2 & 15) as usize]);
        c.put(b" [http-nio-8080-exec-");
        c.byte(b'1' + (a >> 6 & 7) as u8);
        c.put(b"] ");
        let (logger, pieces) = LOG_TEMPLATES[(a >> 9 & 7) as usize];
        c.put(logger);
        for &(text, bound) in pieces {
            c.put(text);
            if bound > 0 {
                c.u64(1 + scale32(numbers.next().unwrap_or(0), bound));
            }
        }
        c.byte(b'\n');
    }
}

const PHRASE: &[u8] = b"The quick brown fox jumps over the lazy dog. ";

/// `PHRASE` over and over, cut at `size`.
fn write_repeated(c: &mut Cursor, size: usize) {
    while c.pos < size {
        c.put(PHRASE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn config(keys: KeyDistribution, profile: ValueProfile, size: u32) -> WorkloadConfig {
        WorkloadConfig {
            keys,
            value_profile: profile,
            value_size: size,
            ..WorkloadConfig::default()
        }
    }

    const PROFILES: [ValueProfile; 4] = [
        ValueProfile::Random,
        ValueProfile::Json,
        ValueProfile::LogLines,
        ValueProfile::RepeatedText,
    ];

    type Owned = (Option<Vec<u8>>, Vec<u8>, u32, Option<u32>);

    fn take(w: &mut Workload, n: usize, with_value: bool) -> Vec<Owned> {
        (0..n)
            .map(|_| {
                let r = w.next_record(with_value);
                (
                    r.key.map(<[u8]>::to_vec),
                    r.value.to_vec(),
                    r.value_len,
                    r.key_index,
                )
            })
            .collect()
    }

    fn key_counts(keys: KeyDistribution, records: usize, seed: u64) -> Vec<u64> {
        let mut w = Workload::new(&config(keys, ValueProfile::Json, 10), SimRng::new(seed));
        let mut counts = vec![0u64; w.key_count() as usize];
        for _ in 0..records {
            counts[w.next_record(false).key_index.unwrap() as usize] += 1;
        }
        counts
    }

    fn gzip_len(data: &[u8]) -> usize {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap().len()
    }

    #[test]
    fn same_seed_same_records_other_seed_other_records() {
        let keyings = [
            KeyDistribution::None,
            KeyDistribution::Uniform { count: 1000 },
            KeyDistribution::Zipf {
                count: 1000,
                exponent: 1.1,
            },
            KeyDistribution::List(vec!["a".into(), "b".into()]),
        ];
        for keys in keyings {
            for profile in PROFILES {
                let c = config(keys.clone(), profile, 200);
                let a = take(&mut Workload::new(&c, SimRng::new(7)), 500, true);
                let b = take(&mut Workload::new(&c, SimRng::new(7)), 500, true);
                assert_eq!(a, b, "{keys:?} {profile:?}");
                let other = take(&mut Workload::new(&c, SimRng::new(8)), 500, true);
                let differs = profile != ValueProfile::RepeatedText
                    || matches!(
                        keys,
                        KeyDistribution::Uniform { .. } | KeyDistribution::Zipf { .. }
                    );
                assert_eq!(a != other, differs, "{keys:?} {profile:?}");
            }
        }
    }

    #[test]
    fn values_differ_between_records() {
        for profile in [
            ValueProfile::Random,
            ValueProfile::Json,
            ValueProfile::LogLines,
        ] {
            let c = config(KeyDistribution::None, profile, 200);
            let records = take(&mut Workload::new(&c, SimRng::new(1)), 100, true);
            let mut values: Vec<_> = records.into_iter().map(|r| r.1).collect();
            values.sort();
            values.dedup();
            assert_eq!(values.len(), 100, "{profile:?}");
        }
    }

    #[test]
    fn uniform_keys_are_equally_likely() {
        // 100 000 draws over 10 keys: 10 000 expected each, standard deviation about 95.
        let counts = key_counts(KeyDistribution::Uniform { count: 10 }, 100_000, 3);
        assert_eq!(counts.len(), 10);
        for (i, &c) in counts.iter().enumerate() {
            assert!((9_500..=10_500).contains(&c), "key {i}: {c}");
        }
    }

    #[test]
    fn uniform_keys_are_user_ids() {
        let c = config(
            KeyDistribution::Uniform { count: 50 },
            ValueProfile::Json,
            10,
        );
        let mut w = Workload::new(&c, SimRng::new(5));
        for _ in 0..200 {
            let r = w.next_record(false);
            let i = r.key_index.unwrap();
            assert!(i < 50);
            assert_eq!(r.key.unwrap(), format!("user-{i}").as_bytes());
        }
        assert_eq!(w.key_bytes(0).unwrap(), b"user-0");
        assert_eq!(w.key_bytes(49).unwrap(), b"user-49");
        assert_eq!(w.key_bytes(50), None);
    }

    #[test]
    fn zipf_hot_keys_follow_rank() {
        // s = 1 over 100 keys: P(rank k) = 1 / (k * H_100), H_100 = 5.187378.
        let n = 200_000;
        let counts = key_counts(
            KeyDistribution::Zipf {
                count: 100,
                exponent: 1.0,
            },
            n,
            11,
        );
        let h100 = (1..=100).map(|k| 1.0 / k as f64).sum::<f64>();
        for k in 1..=5 {
            let expected = 1.0 / (k as f64 * h100);
            let seen = counts[k - 1] as f64 / n as f64;
            assert!(
                (seen - expected).abs() < 0.004,
                "rank {k}: {seen} vs {expected}"
            );
        }
        for w in counts[..6].windows(2) {
            assert!(w[0] > w[1], "{counts:?}");
        }
        // Decreasing by blocks of ranks further down, where single counts are noisy.
        let blocks: Vec<u64> = counts.chunks(20).map(|c| c.iter().sum()).collect();
        for w in blocks.windows(2) {
            assert!(w[0] > w[1], "{blocks:?}");
        }
    }

    #[test]
    fn zipf_beyond_the_table_matches_the_distribution() {
        // 1 000 000 keys, s = 1: the table holds ranks up to 65 536.
        // H_n = ln n + 0.5772157 + 1/(2n): P(rank 1) = 1/H_1e6 = 0.069480,
        // P(rank > 65 536) = 1 - H_65536 / H_1e6 = 0.189335.
        let n = 400_000;
        let counts = key_counts(
            KeyDistribution::Zipf {
                count: 1_000_000,
                exponent: 1.0,
            },
            n,
            2,
        );
        let first = counts[0] as f64 / n as f64;
        assert!((first - 0.069480).abs() < 0.002, "{first}");
        let tail = counts[65_536..].iter().sum::<u64>() as f64 / n as f64;
        assert!((tail - 0.189335).abs() < 0.003, "{tail}");
        // The tail is itself Zipf: ranks 65 537..=262 144 hold ln(4)/ln(1e6/65536) of it.
        let near = counts[65_536..262_144].iter().sum::<u64>() as f64 / n as f64;
        let expected = tail * (4f64.ln() / (1e6f64 / 65_536.0).ln());
        assert!((near - expected).abs() < 0.004, "{near} vs {expected}");
    }

    #[test]
    fn zipf_exponent_zero_is_uniform_and_bad_exponents_do_not_panic() {
        let counts = key_counts(
            KeyDistribution::Zipf {
                count: 4,
                exponent: 0.0,
            },
            40_000,
            9,
        );
        for c in counts {
            assert!((9_600..=10_400).contains(&c), "{c}");
        }
        for exponent in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -3.0, 1e300] {
            for count in [1, 3, 70_000] {
                let keys = KeyDistribution::Zipf { count, exponent };
                let counts = key_counts(keys, 1000, 1);
                assert_eq!(counts.iter().sum::<u64>(), 1000);
            }
        }
        let hot = key_counts(
            KeyDistribution::Zipf {
                count: 5,
                exponent: f64::INFINITY,
            },
            100,
            1,
        );
        assert_eq!(hot[0], 100);
    }

    #[test]
    fn list_keys_are_taken_in_turn() {
        let list = vec![
            "order-1".to_string(),
            "order-2".into(),
            "".into(),
            "order-1".into(),
        ];
        let c = config(KeyDistribution::List(list.clone()), ValueProfile::Json, 10);
        let mut w = Workload::new(&c, SimRng::new(1));
        assert_eq!(w.key_count(), 4);
        for i in 0..10 {
            let r = w.next_record(i % 3 == 0);
            assert_eq!(r.key.unwrap(), list[i % 4].as_bytes());
            assert_eq!(r.key_index, Some((i % 4) as u32));
        }
        assert_eq!(w.key_bytes(2).unwrap(), b"");
    }

    #[test]
    fn null_keys_for_none_empty_list_and_zero_count() {
        let keyings = [
            KeyDistribution::None,
            KeyDistribution::List(vec![]),
            KeyDistribution::Uniform { count: 0 },
            KeyDistribution::Zipf {
                count: 0,
                exponent: 1.0,
            },
        ];
        for keys in keyings {
            let mut w = Workload::new(&config(keys, ValueProfile::Json, 50), SimRng::new(1));
            assert_eq!(w.key_count(), 0);
            assert_eq!(w.key_bytes(0), None);
            for _ in 0..10 {
                let r = w.next_record(true);
                assert!(r.key.is_none() && r.key_index.is_none());
                assert_eq!(r.value.len(), 50);
            }
        }
    }

    #[test]
    fn values_have_exactly_value_size_bytes() {
        let sizes = [
            0, 1, 2, 3, 7, 10, 13, 50, 100, 150, 199, 200, 201, 333, 1000, 4096, 10_000,
        ];
        for profile in PROFILES {
            for size in sizes {
                let c = config(KeyDistribution::None, profile, size);
                let mut w = Workload::new(&c, SimRng::new(size as u64));
                for _ in 0..20 {
                    let r = w.next_record(true);
                    assert_eq!(r.value.len(), size as usize, "{profile:?} {size}");
                    assert_eq!(r.value_len, size);
                }
            }
        }
    }

    #[test]
    fn asking_for_values_changes_neither_keys_nor_values() {
        let keys = KeyDistribution::Zipf {
            count: 300,
            exponent: 0.9,
        };
        for profile in PROFILES {
            let c = config(keys.clone(), profile, 120);
            let all = take(&mut Workload::new(&c, SimRng::new(4)), 300, true);
            let mut w = Workload::new(&c, SimRng::new(4));
            for (i, want) in all.iter().enumerate() {
                let with_value = i % 3 == 1;
                let r = w.next_record(with_value);
                assert_eq!(r.key.map(<[u8]>::to_vec), want.0);
                assert_eq!(r.key_index, want.3);
                assert_eq!(r.value_len, 120);
                if with_value {
                    assert_eq!(r.value, want.1.as_slice());
                } else {
                    assert!(r.value.is_empty());
                }
            }
            // Any record's value can be had again on its own.
            assert_eq!(w.value_for(17), all[17].1.as_slice());
            assert_eq!(w.records_generated(), 300);
        }
    }

    #[test]
    fn json_values_parse_at_every_size() {
        for size in (1..=700).chain([1000, 4096, 10_000]) {
            let c = config(KeyDistribution::None, ValueProfile::Json, size);
            let mut w = Workload::new(&c, SimRng::new(size as u64));
            for _ in 0..5 {
                let r = w.next_record(true);
                let v: serde_json::Value = serde_json::from_slice(r.value).unwrap_or_else(|e| {
                    panic!("{size}: {e}: {}", String::from_utf8_lossy(r.value))
                });
                if size >= 2 {
                    assert!(v.is_object(), "{size}");
                }
                if size >= 200 {
                    for field in ["event_id", "user_id", "type", "ts", "page", "session", "ua"] {
                        assert!(v.get(field).is_some(), "{size}: no {field} in {v}");
                    }
                }
                if size >= 400 {
                    let items = v["items"].as_array().unwrap();
                    assert!(!items.is_empty());
                    assert!(items[0]["sku"].as_str().unwrap().starts_with("SKU-"));
                }
            }
        }
    }

    #[test]
    fn json_event_ids_count_up_and_times_advance() {
        let c = config(KeyDistribution::None, ValueProfile::Json, 300);
        let mut w = Workload::new(&c, SimRng::new(6));
        let events: Vec<serde_json::Value> = (0..50)
            .map(|_| serde_json::from_slice(w.next_record(true).value).unwrap())
            .collect();
        for pair in events.windows(2) {
            let id = |v: &serde_json::Value| v["event_id"].as_u64().unwrap();
            let ts = |v: &serde_json::Value| v["ts"].as_u64().unwrap();
            assert_eq!(id(&pair[1]), id(&pair[0]) + 1);
            assert!(ts(&pair[1]) > ts(&pair[0]));
        }
    }

    #[test]
    fn log_values_are_log_lines() {
        let c = config(KeyDistribution::None, ValueProfile::LogLines, 2000);
        let mut w = Workload::new(&c, SimRng::new(1));
        let text = String::from_utf8(w.next_record(true).value.to_vec()).unwrap();
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        assert!(lines.len() >= 10);
        for line in &lines[..lines.len() - 1] {
            let (ts, rest) = line.split_at(24);
            assert!(ts.starts_with("2026-11-27T") && ts.ends_with('Z'), "{line}");
            assert_eq!(&ts[13..14], ":");
            assert!(
                ["INFO ", "DEBUG", "WARN ", "ERROR"].contains(&&rest[1..6]),
                "{line}"
            );
            assert!(rest[6..].starts_with(" [http-nio-8080-exec-") && rest.contains(" - "));
            assert!(line.ends_with('\n'));
        }
    }

    #[test]
    fn repeated_text_repeats_one_phrase() {
        let c = config(KeyDistribution::None, ValueProfile::RepeatedText, 100);
        let mut w = Workload::new(&c, SimRng::new(1));
        let v = w.next_record(true).value.to_vec();
        assert_eq!(&v[..45], PHRASE);
        assert_eq!(&v[45..90], PHRASE);
        assert_eq!(&v[90..], &PHRASE[..10]);
        assert_eq!(w.next_record(true).value, v.as_slice());
    }

    #[test]
    fn profiles_compress_like_real_data() {
        // About 16 KB of 200-byte values per profile, gzip at level 6.
        let compressed = PROFILES.map(|profile| {
            let c = config(KeyDistribution::None, profile, 200);
            let mut w = Workload::new(&c, SimRng::new(12));
            let mut all = Vec::new();
            for _ in 0..82 {
                all.extend_from_slice(w.next_record(true).value);
            }
            gzip_len(&all)
        });
        let [random, json, log, text] = compressed;
        assert!(text < log && text < json, "{compressed:?}");
        assert!(log < random && json < random, "{compressed:?}");
        // Random bytes do not compress; JSON and logs shrink severalfold; text to almost nothing.
        assert!(random > 16_400, "{compressed:?}");
        assert!(json < 16_400 / 2 && log < 16_400 / 2, "{compressed:?}");
        assert!(text < 300, "{compressed:?}");
    }

    fn formatted(n: u64) -> String {
        let mut buf = [b'x'; 64];
        let mut c = Cursor {
            buf: &mut buf,
            pos: 3,
        };
        c.u64(n);
        let end = c.pos;
        String::from_utf8(buf[3..end].to_vec()).unwrap()
    }

    #[test]
    fn number_formatting() {
        for n in 0..20_000 {
            assert_eq!(formatted(n), n.to_string());
        }
        let mut p = 1u64;
        for _ in 0..19 {
            p *= 10;
            for n in [p - 1, p, p + 1, p / 7, p / 3 * 2 + 1] {
                assert_eq!(formatted(n), n.to_string());
            }
        }
        assert_eq!(formatted(u64::MAX), u64::MAX.to_string());
        let mut rng = SimRng::new(3);
        for _ in 0..10_000 {
            let n = rng.next_u64() >> (rng.next_u64() % 64);
            assert_eq!(formatted(n), n.to_string());
        }
        let mut buf = [0u8; 64];
        let mut c = Cursor {
            buf: &mut buf,
            pos: 0,
        };
        c.hex(0x0123_4567_89ab_cdef);
        c.two(7);
        c.two(123);
        assert_eq!(&buf[..20], b"0123456789abcdef0723");
        let mut key = [0u8; 16];
        key[..5].copy_from_slice(b"user-");
        let len = write_user_key(&mut key, u32::MAX);
        assert_eq!(&key[..len], b"user-4294967295");
    }

    #[test]
    fn lane_division_shortcuts_are_exact() {
        for x in 0..10_000u64 {
            assert_eq!((x * 10_486) >> 20, x / 100);
        }
        for y in 0..100u64 {
            assert_eq!((y * 103) >> 10, y / 10);
        }
    }

    #[test]
    fn value_slack_covers_the_longest_log_line() {
        let digits = |n: u32| n.to_string().len();
        let fixed = "2026-11-27T14:03:12.345Z INFO  [http-nio-8080-exec-8] ".len() + 1;
        for (logger, pieces) in LOG_TEMPLATES {
            assert!(pieces.iter().filter(|p| p.1 > 0).count() <= 3);
            let longest = fixed
                + logger.len()
                + pieces
                    .iter()
                    .map(|&(t, b)| t.len() + if b > 0 { digits(b) } else { 0 })
                    .sum::<usize>();
            assert!(longest < VALUE_SLACK, "{longest}");
        }
        // The JSON head fields at their longest: 10-digit event id, 6-digit user id,
        // longest type and page, 13-digit ts.
        let head = r#"{"event_id":1234567890,"user_id":250000,"type":"add_to_cart","ts":1795788192000,"page":"/categories/60000","session":"0123456789abcdef""#;
        assert!(head.len() < VALUE_SLACK);
        // The longest item, with the array's opening and closing, is shorter than any
        // `ua` field, so `write_json` never starts an item it has no room for.
        let item = r#","items":[{"sku":"SKU-99999","qty":4,"price_cents":65634}]"#;
        for ua in USER_AGENTS {
            let ua_field = [&b",\"ua\":\""[..], ua, b"\""].concat();
            assert!(item.len() < ua_field.len());
        }
    }

    /// This thread's time on a CPU (Linux), which a busy shared machine does not inflate
    /// the way it inflates wall time.
    fn thread_cpu_ns() -> Option<u64> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        stat.split_whitespace().next()?.parse().ok()
    }

    /// Nanoseconds per call of `step`: CPU time where the OS reports it, and the best
    /// wall time over many short runs.
    fn measure(label: &str, mut step: impl FnMut() -> usize) {
        let (runs, n) = (40, 25_000u32);
        let mut best_wall = f64::MAX;
        let mut sink = 0usize;
        let cpu_start = thread_cpu_ns();
        for _ in 0..runs {
            let start = std::time::Instant::now();
            for _ in 0..n {
                sink = sink.wrapping_add(step());
            }
            best_wall = best_wall.min(start.elapsed().as_nanos() as f64 / n as f64);
        }
        let calls = (runs * n) as f64;
        let cpu = match (cpu_start, thread_cpu_ns()) {
            (Some(a), Some(b)) if b > a => format!("{:6.1}", (b - a) as f64 / calls),
            _ => "     -".to_string(),
        };
        println!("{label:<40} cpu {cpu} ns  best wall {best_wall:6.1} ns  (check {sink})");
    }

    /// `cargo test --release --no-default-features --lib engine::workload -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn measure_ns_per_record() {
        let mut rng = SimRng::new(1);
        measure("calibration: one SimRng::next_u64", || {
            rng.next_u64() as usize
        });
        let run = |label: &str, c: WorkloadConfig, with_value: bool| {
            let mut w = Workload::new(&c, SimRng::new(1));
            measure(label, || {
                let r = w.next_record(with_value);
                r.value.len() + r.key.map_or(0, <[u8]>::len)
            });
        };
        for profile in PROFILES {
            for size in [200, 1000] {
                let c = config(KeyDistribution::None, profile, size);
                run(&format!("value {profile:?} {size} B, null key"), c, true);
            }
        }
        let uniform = KeyDistribution::Uniform { count: 1000 };
        let keyings = [
            ("uniform:1000", uniform.clone()),
            (
                "zipf:1000:1",
                KeyDistribution::Zipf {
                    count: 1000,
                    exponent: 1.0,
                },
            ),
            (
                "zipf:1000000:1",
                KeyDistribution::Zipf {
                    count: 1_000_000,
                    exponent: 1.0,
                },
            ),
        ];
        for (label, keys) in keyings {
            let c = config(keys, ValueProfile::Json, 200);
            run(&format!("key {label}, no value"), c, false);
        }
        let c = config(uniform, ValueProfile::Json, 200);
        run("default (uniform:1000, json 200 B)", c, true);
    }
}
