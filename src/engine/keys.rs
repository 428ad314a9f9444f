//! Your keys: how a file of real record keys spreads over a topic's partitions, and what
//! moves when the topic gets more partitions.
//!
//! Two steps, so a large file streams through in chunks and is never held line by line:
//! 1. [`KeyCounter`] reads the file's bytes chunk by chunk and counts the records of each
//!    distinct key (one record per line) in a compact table: the key bytes live in one
//!    arena, the table holds indexes. Lines are checked as they come (see [`KeyFileError`]).
//! 2. [`spread`] places every distinct key once per partition count with a key -> partition
//!    function (a client's partitioner) and adds up records per partition, the skew, the
//!    hottest keys and, for a second partition count, the keys and records that move.
//!
//! Lines. One record per line; a final newline ends the last line rather than starting an
//! empty one; one `\r` before each newline is dropped (Windows line endings). An empty line
//! is an empty key, which Kafka hashes like any other. [`LineForm::KeyValue`] lines are
//! `key<TAB>value` (the key ends at the first TAB). With [`KeyEncoding::Hex`] each key is
//! hex-encoded bytes. Results never depend on hash-table order: sums, then sorted lists.

use super::clients::{Client, Keyless, PartitionerDef};
use super::partitioner;
use super::record::estimate_batch_size_upper_bound;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// How a key is written on its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyEncoding {
    /// The line's bytes are the key (as Kafka's StringSerializer writes a UTF-8 string).
    Text,
    /// The line is hex digits, two per key byte (`666f6f` is `foo`).
    Hex,
}

/// What a line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineForm {
    /// The key alone.
    Key,
    /// `key<TAB>value`: the value's bytes follow the first TAB.
    KeyValue,
}

/// Why a key file was refused. Line numbers count from 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyFileError {
    /// No lines at all.
    Empty,
    /// A text key holds a NUL byte: the file is binary, not one key per line.
    Binary { line: u64 },
    /// A `--hex` key that is not hex.
    BadHex { line: u64, why: String },
    /// A `key<TAB>value` line without a TAB.
    NoTab { line: u64 },
    /// The line's record is larger than max.request.size (`KafkaProducer.ensureValidRecordSize`).
    RecordTooLarge {
        line: u64,
        size: u64,
        max_request_size: u32,
    },
}

impl fmt::Display for KeyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyFileError::Empty => write!(f, "the input is empty: there are no lines to read"),
            KeyFileError::Binary { line } => write!(
                f,
                "line {line} holds a NUL byte: this looks like a binary file, not one key per line"
            ),
            KeyFileError::BadHex { line, why } => write!(f, "line {line} is not valid hex: {why}"),
            KeyFileError::NoTab { line } => {
                write!(f, "line {line} has no TAB between the key and the value")
            }
            // The message of KafkaProducer.ensureValidRecordSize (Kafka 4.x).
            KeyFileError::RecordTooLarge {
                line,
                size,
                max_request_size,
            } => write!(
                f,
                "line {line}: RecordTooLargeException: The message is {size} bytes when \
                 serialized which is larger than {max_request_size}, which is the value of \
                 the max.request.size configuration."
            ),
        }
    }
}

impl std::error::Error for KeyFileError {}

/// Decodes hex digits (either case), two per byte; the empty string is the empty key.
pub fn decode_hex(text: &[u8]) -> Result<Vec<u8>, String> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    if let Some(&bad) = text.iter().find(|&&c| digit(c).is_none()) {
        return Err(format!(
            "'{}' is not a hex digit",
            (bad as char).escape_default()
        ));
    }
    if text.len() % 2 == 1 {
        return Err(format!(
            "it has {} hex digits; each byte takes two",
            text.len()
        ));
    }
    Ok(text
        .chunks_exact(2)
        .map(|pair| (digit(pair[0]).unwrap_or(0) << 4) | digit(pair[1]).unwrap_or(0))
        .collect())
}

/// A key as people read it: its UTF-8 text with control characters as `\u{..}`, or, for
/// bytes that are not UTF-8, printable ASCII with every other byte as `\xNN`.
pub fn printable_key(key: &[u8]) -> String {
    match std::str::from_utf8(key) {
        Ok(text) => text
            .chars()
            .map(|c| match c {
                '\0'..='\x1f' | '\x7f' => format!("\\u{{{:x}}}", c as u32),
                c => c.to_string(),
            })
            .collect(),
        Err(_) => key.escape_ascii().to_string(),
    }
}

/// Splits a whole input into lines as described in the module docs.
pub fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let empty = bytes.is_empty();
    body.split(|&b| b == b'\n')
        .filter(move |_| !empty)
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
}

/// One distinct key: where its bytes are in the arena, and how many records it has.
#[derive(Clone, Copy, Debug)]
struct Entry {
    start: usize,
    len: u32,
    hash: u32,
    records: u64,
}

/// Marks a free slot of the index table.
const FREE: u32 = u32::MAX;

/// Distinct keys with their record counts, in first-seen order.
#[derive(Clone, Debug, Default)]
pub struct KeyCounts {
    arena: Vec<u8>,
    entries: Vec<Entry>,
    /// Open addressing (linear probing) over `entries`; its length is a power of two.
    slots: Vec<u32>,
    /// The table before the latest growth, while its entries move into `slots` a few
    /// per added key (growth never rehashes every key at once); empty when all moved.
    old_slots: Vec<u32>,
    /// Entries below `old_len` are in `old_slots`; those below `moved` are in `slots` too.
    old_len: usize,
    moved: usize,
    records: u64,
}

/// Entries moved from the old table to the new one per added key: with the table grown
/// to twice its size at half full, every entry has moved before it is half full again.
const MOVES_PER_ADD: usize = 2;

impl KeyCounts {
    /// Counts one record of `key`.
    pub fn add(&mut self, key: &[u8]) {
        self.add_records(key, 1);
    }

    fn add_records(&mut self, key: &[u8], records: u64) {
        self.records += records;
        self.move_entries(MOVES_PER_ADD);
        if self.entries.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let h = slot_hash(key);
        let found = self.find(&self.slots, h, key);
        let found = found.or_else(|| self.find(&self.old_slots, h, key));
        if let Some(i) = found {
            self.entries[i].records += records;
            return;
        }
        let i = self.entries.len() as u32;
        self.entries.push(Entry {
            start: self.arena.len(),
            len: key.len() as u32,
            hash: h,
            records,
        });
        self.arena.extend_from_slice(key);
        place(&mut self.slots, h, i);
    }

    /// The entry of `key` in `table` (`h` is its [`slot_hash`]).
    fn find(&self, table: &[u32], h: u32, key: &[u8]) -> Option<usize> {
        if table.is_empty() {
            return None;
        }
        let mask = table.len() - 1;
        let mut slot = h as usize & mask;
        loop {
            let i = table[slot];
            if i == FREE {
                return None;
            }
            let e = &self.entries[i as usize];
            if e.hash == h && self.arena[e.start..e.start + e.len as usize] == *key {
                return Some(i as usize);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Starts a table twice the size; the entries move into it as keys are added.
    fn grow(&mut self) {
        self.move_entries(usize::MAX);
        let size = (self.slots.len() * 2).max(1024);
        self.old_slots = std::mem::replace(&mut self.slots, vec![FREE; size]);
        self.old_len = self.entries.len();
        self.moved = 0;
        self.move_entries(0);
    }

    /// Moves up to `n` entries from the old table into the new one, by their stored hash.
    fn move_entries(&mut self, n: usize) {
        let end = self.moved.saturating_add(n).min(self.old_len);
        for i in self.moved..end {
            place(&mut self.slots, self.entries[i].hash, i as u32);
        }
        self.moved = end;
        if self.moved == self.old_len && !self.old_slots.is_empty() {
            self.old_slots = Vec::new();
        }
    }

    /// Records counted (lines read).
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Distinct keys.
    pub fn distinct_keys(&self) -> u64 {
        self.entries.len() as u64
    }

    /// Every distinct key with its record count, in the order first seen.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], u64)> {
        self.entries
            .iter()
            .map(|e| (&self.arena[e.start..e.start + e.len as usize], e.records))
    }
}

/// Puts entry `i` in the first free slot of `table` from `h`.
fn place(table: &mut [u32], h: u32, i: u32) {
    let mask = table.len() - 1;
    let mut slot = h as usize & mask;
    while table[slot] != FREE {
        slot = (slot + 1) & mask;
    }
    table[slot] = i;
}

/// The table hash of a key: the high half of [`hash`], well mixed by its final multiply.
fn slot_hash(key: &[u8]) -> u32 {
    (hash(key) >> 32) as u32
}

/// FxHash-style word hash (a table index, not Kafka's hash): fast on short keys.
fn hash(key: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = key.len() as u64;
    let mut words = key.chunks_exact(8);
    for w in &mut words {
        let word = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    }
    (h ^ (h >> 29)).wrapping_mul(K)
}

/// Reads a key file chunk by chunk (any chunk boundaries) into [`KeyCounts`].
#[derive(Clone, Debug)]
pub struct KeyCounter {
    encoding: KeyEncoding,
    form: LineForm,
    max_request_size: u32,
    /// The unfinished last line of the chunks so far.
    pending: Vec<u8>,
    /// A line already too large to send, measured to its end without being kept.
    oversized: Option<Oversized>,
    lines: u64,
    bytes_read: u64,
    counts: KeyCounts,
}

/// The length of a line too large to keep, and where its first TAB is.
#[derive(Clone, Copy, Debug)]
struct Oversized {
    line: u64,
    len: u64,
    tab: Option<u64>,
    last: u8,
}

impl Oversized {
    fn take(&mut self, bytes: &[u8]) {
        if self.tab.is_none() {
            self.tab = bytes
                .iter()
                .position(|&b| b == b'\t')
                .map(|t| self.len + t as u64);
        }
        self.len += bytes.len() as u64;
        self.last = bytes.last().copied().unwrap_or(self.last);
    }
}

impl KeyCounter {
    /// `max_request_size` is the producer's `max.request.size`: a line whose record could
    /// never be sent is refused.
    pub fn new(encoding: KeyEncoding, form: LineForm, max_request_size: u32) -> Self {
        KeyCounter {
            encoding,
            form,
            max_request_size,
            pending: Vec::new(),
            oversized: None,
            lines: 0,
            bytes_read: 0,
            counts: KeyCounts::default(),
        }
    }

    /// Makes room for the keys of an input of `bytes` bytes at once (they are never more),
    /// so the key store is not copied as it grows.
    pub fn reserve(&mut self, bytes: usize) {
        self.counts.arena.reserve(bytes);
    }

    /// Input bytes taken so far (for progress).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Lines (records) counted so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Takes the next bytes of the input.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), KeyFileError> {
        self.bytes_read += chunk.len() as u64;
        if let Some(o) = self.oversized.as_mut() {
            let end = chunk.iter().position(|&b| b == b'\n');
            o.take(&chunk[..end.unwrap_or(chunk.len())]);
            return match end {
                Some(_) => Err(self.oversized_error()),
                None => Ok(()),
            };
        }
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            let (line, after) = (&rest[..end], &rest[end + 1..]);
            if self.pending.is_empty() {
                self.line(line)?;
            } else {
                let mut whole = std::mem::take(&mut self.pending);
                whole.extend_from_slice(line);
                self.line(&whole)?;
                whole.clear();
                self.pending = whole;
            }
            rest = after;
        }
        self.pending.extend_from_slice(rest);
        // A line already too large is not kept: only its length is measured from here on.
        let mut o = Oversized {
            line: self.lines + 1,
            len: 0,
            tab: None,
            last: 0,
        };
        o.take(&self.pending);
        if self.line_size(&o) > self.max_request_size as u64 {
            self.pending = Vec::new();
            self.oversized = Some(o);
        }
        Ok(())
    }

    /// Ends the input: counts a final line without a newline, refuses an empty input.
    pub fn finish(mut self) -> Result<KeyCounts, KeyFileError> {
        if self.oversized.is_some() {
            return Err(self.oversized_error());
        }
        if !self.pending.is_empty() {
            let last = std::mem::take(&mut self.pending);
            self.line(&last)?;
        }
        if self.lines == 0 {
            return Err(KeyFileError::Empty);
        }
        Ok(self.counts)
    }

    fn oversized_error(&self) -> KeyFileError {
        match self.oversized {
            Some(o) if self.form == LineForm::KeyValue && o.tab.is_none() => {
                KeyFileError::NoTab { line: o.line }
            }
            Some(o) => self.too_large(o.line, self.line_size(&o)),
            None => KeyFileError::Empty,
        }
    }

    /// The record size of a line (or of its start, which is never more) from its length.
    fn line_size(&self, o: &Oversized) -> u64 {
        let len = o.len - u64::from(o.last == b'\r');
        let (key_len, value_len) = match (self.form, o.tab) {
            (LineForm::Key, _) => (len, None),
            (LineForm::KeyValue, Some(tab)) => (tab, Some(len - tab - 1)),
            (LineForm::KeyValue, None) => (len, Some(0)),
        };
        let key_len = match self.encoding {
            KeyEncoding::Text => key_len,
            KeyEncoding::Hex => key_len / 2,
        };
        self.record_size(key_len, value_len)
    }

    fn line(&mut self, line: &[u8]) -> Result<(), KeyFileError> {
        self.lines += 1;
        let n = self.lines;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let (key, value_len) = match self.form {
            LineForm::Key => (line, None),
            LineForm::KeyValue => match line.iter().position(|&b| b == b'\t') {
                Some(tab) => (&line[..tab], Some(line.len() - tab - 1)),
                None => return Err(KeyFileError::NoTab { line: n }),
            },
        };
        let decoded;
        let key = match self.encoding {
            KeyEncoding::Text => {
                if key.contains(&0) {
                    return Err(KeyFileError::Binary { line: n });
                }
                key
            }
            KeyEncoding::Hex => {
                decoded = decode_hex(key).map_err(|why| KeyFileError::BadHex { line: n, why })?;
                &decoded
            }
        };
        check_record_size(
            n,
            Some(key.len() as u64),
            value_len.map(|v| v as u64),
            self.max_request_size,
        )?;
        self.counts.add(key);
        Ok(())
    }

    /// The record size of a key of `key_len` bytes, with the value only in `key<TAB>value`
    /// lines.
    fn record_size(&self, key_len: u64, value_len: Option<u64>) -> u64 {
        let value_len = value_len.filter(|_| self.form == LineForm::KeyValue);
        record_size(Some(key_len), value_len)
    }

    fn too_large(&self, line: u64, size: u64) -> KeyFileError {
        KeyFileError::RecordTooLarge {
            line,
            size,
            max_request_size: self.max_request_size,
        }
    }
}

/// The size the producer checks against max.request.size
/// (`AbstractRecords.estimateSizeInBytesUpperBound`) for a record of this key and value
/// (None: null), exact for lengths below 2^31 (lengths from 2^28 on take a 5-byte varint).
pub fn record_size(key_len: Option<u64>, value_len: Option<u64>) -> u64 {
    const CAP: u64 = 1 << 28;
    let capped = |n: u64| n.min(CAP) as u32;
    let beyond = |n: Option<u64>| n.map_or(0, |n| n.saturating_sub(CAP));
    estimate_batch_size_upper_bound(key_len.map(capped), value_len.map(capped)) as u64
        + beyond(key_len)
        + beyond(value_len)
}

/// `KafkaProducer.ensureValidRecordSize`: line `line`'s record, of this key and value
/// (None: null), must fit in max.request.size.
pub fn check_record_size(
    line: u64,
    key_len: Option<u64>,
    value_len: Option<u64>,
    max_request_size: u32,
) -> Result<(), KeyFileError> {
    let size = record_size(key_len, value_len);
    if size > u64::from(max_request_size) {
        return Err(KeyFileError::RecordTooLarge {
            line,
            size,
            max_request_size,
        });
    }
    Ok(())
}

/// Counts a whole input at once.
pub fn count_keys(
    bytes: &[u8],
    encoding: KeyEncoding,
    form: LineForm,
    max_request_size: u32,
) -> Result<KeyCounts, KeyFileError> {
    let mut counter = KeyCounter::new(encoding, form, max_request_size);
    counter.feed(bytes)?;
    counter.finish()
}

/// The Java producer's built-in partitioner for a keyed record
/// (`BuiltInPartitioner.partitionForKey`).
pub fn java_partition(key: &[u8], partitions: u32) -> Option<u32> {
    Some(partitioner::key_partition(key, partitions).partition)
}

/// Why `client`'s partitioner `def` leaves some keyed records to the client (every key
/// for a partitioner that ignores keys, else only the empty key, as librdkafka's
/// `consistent_random` does), and where they go instead.
pub fn unplaced_reason(client: Client, def: &PartitionerDef) -> String {
    let rule = def.keyless(Some(b"")).map_or("", Keyless::describe);
    format!(
        "{client} ({}) picks their partition itself: {rule}",
        def.name
    )
}

/// One of the keys with the most records.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HotKey {
    pub key: Vec<u8>,
    pub records: u64,
    /// Its partition at the first partition count (`None`: not decided by the key).
    pub partition: Option<u32>,
    /// Its partition at the second partition count, when one was given.
    pub to_partition: Option<u32>,
}

/// Keys that go from partition `from` to partition `to` when the partition count changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Move {
    pub from: u32,
    pub to: u32,
    pub keys: u64,
    pub records: u64,
}

/// How records spread over one partition count.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartitionShares {
    pub partition_count: u32,
    /// Records per partition, by partition index.
    pub records: Vec<u64>,
    /// Distinct keys per partition, by partition index.
    pub keys: Vec<u64>,
    /// Largest partition's records over the mean (1.0 is a perfectly even spread).
    pub max_over_mean: f64,
    /// Records whose partition the key does not decide (a random partitioner).
    pub unplaced_records: u64,
}

/// What changes from the first partition count to the second.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Repartition {
    pub shares: PartitionShares,
    /// Distinct keys whose partition changes.
    pub moved_keys: u64,
    /// Records of those keys.
    pub moved_records: u64,
    /// Every (from, to) pair with its keys and records, by `from` then `to`.
    pub moves: Vec<Move>,
}

/// The whole analysis of a key file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeySpread {
    pub records: u64,
    pub distinct_keys: u64,
    pub shares: PartitionShares,
    /// The most frequent keys, most records first (ties by key bytes).
    pub hottest: Vec<HotKey>,
    pub repartition: Option<Repartition>,
}

/// Places every distinct key of `counts` with `partition_for(key, partition_count)` at
/// `partitions`, and at `to` when given; keeps the `hottest` most frequent keys. A key
/// counts as moved when both counts place it and the partitions differ.
pub fn spread<F>(
    counts: &KeyCounts,
    partitions: u32,
    to: Option<u32>,
    hottest: usize,
    mut partition_for: F,
) -> KeySpread
where
    F: FnMut(&[u8], u32) -> Option<u32>,
{
    let mut placement = Placement::new(partitions, to, hottest);
    placement.step(counts, usize::MAX, &mut partition_for);
    placement.finish(counts, &mut partition_for)
}

/// [`spread`] in steps of a bounded number of keys, for a caller that must stay responsive.
#[derive(Clone, Debug)]
pub struct Placement {
    partitions: u32,
    to: Option<u32>,
    /// Entries placed so far.
    next: usize,
    first: Tally,
    second: Option<Tally>,
    moves: BTreeMap<(u32, u32), Move>,
    /// How many of the most frequent keys to keep.
    hottest: usize,
    /// Indexes of the most frequent entries placed so far, most first.
    best: Vec<usize>,
}

impl Placement {
    /// Places keys at `partitions` and at `to` when given, keeping the `hottest` most
    /// frequent keys.
    pub fn new(partitions: u32, to: Option<u32>, hottest: usize) -> Self {
        Placement {
            partitions,
            to,
            hottest,
            best: Vec::with_capacity(hottest.saturating_add(1).min(1024)),
            next: 0,
            first: Tally::new(partitions),
            second: to.map(Tally::new),
            moves: BTreeMap::new(),
        }
    }

    /// Places up to `max_keys` more distinct keys; true when every key is placed.
    pub fn step<F>(&mut self, counts: &KeyCounts, max_keys: usize, partition_for: &mut F) -> bool
    where
        F: FnMut(&[u8], u32) -> Option<u32>,
    {
        let end = self.next.saturating_add(max_keys).min(counts.entries.len());
        for i in self.next..end {
            keep_if_hot(counts, &mut self.best, self.hottest, i);
        }
        for e in &counts.entries[self.next..end] {
            let key = &counts.arena[e.start..e.start + e.len as usize];
            let p = partition_for(key, self.partitions);
            self.first.add(p, e.records);
            if let (Some(second), Some(to)) = (self.second.as_mut(), self.to) {
                let q = partition_for(key, to);
                second.add(q, e.records);
                if let (Some(from), Some(to)) = (p, q) {
                    if from != to {
                        let m = self.moves.entry((from, to)).or_insert(Move {
                            from,
                            to,
                            keys: 0,
                            records: 0,
                        });
                        m.keys += 1;
                        m.records += e.records;
                    }
                }
            }
        }
        self.next = end;
        self.next == counts.entries.len()
    }

    /// Distinct keys placed so far.
    pub fn placed(&self) -> usize {
        self.next
    }

    /// The result, once [`Placement::step`] returned true.
    /// Takes time proportional to the hottest keys and partition pairs, not to all keys.
    pub fn finish<F>(self, counts: &KeyCounts, partition_for: &mut F) -> KeySpread
    where
        F: FnMut(&[u8], u32) -> Option<u32>,
    {
        let hottest = self
            .best
            .into_iter()
            .map(|i| {
                let e = counts.entries[i];
                let key = counts.arena[e.start..e.start + e.len as usize].to_vec();
                HotKey {
                    partition: partition_for(&key, self.partitions),
                    to_partition: self.to.and_then(|to| partition_for(&key, to)),
                    key,
                    records: e.records,
                }
            })
            .collect();
        let moves = self.moves;
        let repartition = self.second.map(|second| {
            let moves: Vec<Move> = moves.into_values().collect();
            Repartition {
                shares: second.shares(),
                moved_keys: moves.iter().map(|m| m.keys).sum(),
                moved_records: moves.iter().map(|m| m.records).sum(),
                moves,
            }
        });
        KeySpread {
            records: counts.records(),
            distinct_keys: counts.distinct_keys(),
            shares: self.first.shares(),
            hottest,
            repartition,
        }
    }
}

/// Keeps entry `i` among the `n` entries with the most records in `best`, most first,
/// ties by key bytes (a total order, so the result does not depend on the order entries
/// come in): kept in order as they come, no sort, which would add its code to the page.
fn keep_if_hot(counts: &KeyCounts, best: &mut Vec<usize>, n: usize, i: usize) {
    let key = |i: usize| {
        let e = &counts.entries[i];
        &counts.arena[e.start..e.start + e.len as usize]
    };
    let before = |a: usize, b: usize| {
        let (ra, rb) = (counts.entries[a].records, counts.entries[b].records);
        ra > rb || (ra == rb && key(a) < key(b))
    };
    if best.len() == n && best.last().is_none_or(|&last| !before(i, last)) {
        return;
    }
    let at = best
        .iter()
        .position(|&b| before(i, b))
        .unwrap_or(best.len());
    best.insert(at, i);
    best.truncate(n);
}

/// Running sums for one partition count.
#[derive(Clone, Debug)]
struct Tally {
    records: Vec<u64>,
    keys: Vec<u64>,
    unplaced: u64,
}

impl Tally {
    fn new(partitions: u32) -> Self {
        let n = partitions.max(1) as usize;
        Tally {
            records: vec![0; n],
            keys: vec![0; n],
            unplaced: 0,
        }
    }

    fn add(&mut self, partition: Option<u32>, records: u64) {
        match partition.map(|p| p as usize) {
            Some(p) if p < self.records.len() => {
                self.records[p] += records;
                self.keys[p] += 1;
            }
            _ => self.unplaced += records,
        }
    }

    fn shares(self) -> PartitionShares {
        let placed: u64 = self.records.iter().sum();
        let max = self.records.iter().copied().max().unwrap_or(0);
        let mean = placed as f64 / self.records.len() as f64;
        PartitionShares {
            partition_count: self.records.len() as u32,
            max_over_mean: if placed == 0 { 0.0 } else { max as f64 / mean },
            records: self.records,
            keys: self.keys,
            unplaced_records: self.unplaced,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: u32 = 1_048_576;

    fn count(text: &[u8]) -> KeyCounts {
        count_keys(text, KeyEncoding::Text, LineForm::Key, MAX).unwrap()
    }

    fn pairs(c: &KeyCounts) -> Vec<(Vec<u8>, u64)> {
        c.iter().map(|(k, n)| (k.to_vec(), n)).collect()
    }

    #[test]
    fn counts_records_per_distinct_key_in_first_seen_order() {
        let c = count(b"b\na\nb\n\nb\r\n");
        assert_eq!(c.records(), 5);
        assert_eq!(c.distinct_keys(), 3);
        assert_eq!(
            pairs(&c),
            vec![(b"b".to_vec(), 3), (b"a".to_vec(), 1), (Vec::new(), 1)]
        );
    }

    #[test]
    fn a_final_line_without_newline_is_a_key_and_a_final_newline_is_not() {
        assert_eq!(count(b"x\ny").records(), 2);
        assert_eq!(count(b"x\ny\n").records(), 2);
        // An empty line before the end is an empty key.
        assert_eq!(count(b"x\n\n").records(), 2);
    }

    #[test]
    fn any_chunking_gives_the_same_counts() {
        let text: Vec<u8> = (0..500)
            .flat_map(|i| format!("key-{}\r\n", i % 37).into_bytes())
            .collect();
        let whole = pairs(&count(&text));
        for chunk in [1, 2, 3, 7, 64, 1000] {
            let mut counter = KeyCounter::new(KeyEncoding::Text, LineForm::Key, MAX);
            for piece in text.chunks(chunk) {
                counter.feed(piece).unwrap();
            }
            assert_eq!(pairs(&counter.finish().unwrap()), whole, "chunk {chunk}");
        }
    }

    #[test]
    fn the_table_keeps_every_key_apart_through_growth() {
        let mut c = KeyCounts::default();
        for round in 0..3u64 {
            for i in 0..5000u32 {
                c.add(&i.to_le_bytes());
            }
            assert_eq!(c.distinct_keys(), 5000);
            assert!(c.iter().all(|(_, n)| n == round + 1));
        }
    }

    #[test]
    fn growth_moves_a_few_keys_per_added_key_and_finds_keys_in_either_table() {
        let mut c = KeyCounts::default();
        let (mut growths, mut adds_while_moving) = (0, 0);
        for i in 0..40_000u32 {
            // A new key, then an earlier one, which may still be in the old table only.
            for key in [i, i / 3] {
                let (size, moved) = (c.slots.len(), c.moved);
                let moving = !c.old_slots.is_empty();
                c.add(&key.to_le_bytes());
                if c.slots.len() != size {
                    growths += 1;
                    assert!(!moving, "the previous growth had finished moving");
                    assert!(c.moved <= MOVES_PER_ADD);
                } else {
                    assert!(c.moved - moved <= MOVES_PER_ADD);
                    adds_while_moving += usize::from(moving);
                }
            }
        }
        assert!(growths >= 6, "{growths}");
        assert!(adds_while_moving > 10_000, "{adds_while_moving}");
        assert_eq!(c.distinct_keys(), 40_000);
        // Key k was added once as a new key and once for each i with i / 3 == k.
        for (key, n) in c.iter() {
            let k = u32::from_le_bytes(key.try_into().unwrap());
            let repeats = (3 * k..3 * k + 3).filter(|&i| i < 40_000).count() as u64;
            assert_eq!(n, 1 + repeats, "key {k}");
        }
    }

    #[test]
    fn hex_keys_are_decoded() {
        let c = count_keys(b"666f6f\n\nFF00\n", KeyEncoding::Hex, LineForm::Key, MAX).unwrap();
        assert_eq!(
            pairs(&c),
            vec![(b"foo".to_vec(), 1), (Vec::new(), 1), (vec![0xff, 0], 1)]
        );
        let err = count_keys(b"66\n6g\n", KeyEncoding::Hex, LineForm::Key, MAX).unwrap_err();
        assert_eq!(
            err,
            KeyFileError::BadHex {
                line: 2,
                why: "'g' is not a hex digit".into()
            }
        );
        let err = count_keys(b"abc", KeyEncoding::Hex, LineForm::Key, MAX).unwrap_err();
        assert!(err.to_string().contains("3 hex digits"), "{err}");
    }

    #[test]
    fn key_value_lines_count_the_key_before_the_first_tab() {
        let c = count_keys(
            b"k1\tv\tw\nk2\t\nk1\tx\n",
            KeyEncoding::Text,
            LineForm::KeyValue,
            MAX,
        )
        .unwrap();
        assert_eq!(pairs(&c), vec![(b"k1".to_vec(), 2), (b"k2".to_vec(), 1)]);
        let err = count_keys(b"k1\tv\nk2\n", KeyEncoding::Text, LineForm::KeyValue, MAX);
        assert_eq!(err.unwrap_err(), KeyFileError::NoTab { line: 2 });
    }

    #[test]
    fn empty_and_binary_inputs_are_refused() {
        let empty = count_keys(b"", KeyEncoding::Text, LineForm::Key, MAX);
        assert_eq!(empty.unwrap_err(), KeyFileError::Empty);
        let binary = count_keys(
            b"ok\n\x7fELF\x02\x01\x00\x00",
            KeyEncoding::Text,
            LineForm::Key,
            MAX,
        );
        assert_eq!(binary.unwrap_err(), KeyFileError::Binary { line: 2 });
    }

    #[test]
    fn a_record_over_max_request_size_gets_kafkas_message() {
        // A 100-byte key: 61 (batch header) + 21 (MAX_RECORD_OVERHEAD) + 1 + 100 + 1 + 1.
        let bound = estimate_batch_size_upper_bound(Some(100), None) as u64;
        let key = vec![b'k'; 100];
        let ok = count_keys(&key, KeyEncoding::Text, LineForm::Key, bound as u32);
        assert_eq!(ok.unwrap().records(), 1);
        let mut text = b"short\n".to_vec();
        text.extend_from_slice(&key);
        let err = count_keys(&text, KeyEncoding::Text, LineForm::Key, bound as u32 - 1);
        let err = err.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "line 2: RecordTooLargeException: The message is {bound} bytes when serialized \
                 which is larger than {}, which is the value of the max.request.size \
                 configuration.",
                bound - 1
            )
        );
        // The value counts in key<TAB>value lines.
        let err = count_keys(
            b"k\tvvvvvvvvvv\n",
            KeyEncoding::Text,
            LineForm::KeyValue,
            90,
        );
        assert!(matches!(
            err,
            Err(KeyFileError::RecordTooLarge { line: 1, .. })
        ));
    }

    #[test]
    fn a_line_too_large_is_measured_to_its_end_without_being_kept() {
        let full = |len: u32| estimate_batch_size_upper_bound(Some(len), None) as u64;
        let mut counter = KeyCounter::new(KeyEncoding::Text, LineForm::Key, 1000);
        let chunk = [b'x'; 600];
        counter.feed(b"ok\n").unwrap();
        for _ in 0..5 {
            counter.feed(&chunk).unwrap();
        }
        assert!(
            counter.pending.capacity() < 2000,
            "the long line is not kept"
        );
        let err = counter.feed(b"xx\r\nnext\n").unwrap_err();
        assert_eq!(
            err,
            KeyFileError::RecordTooLarge {
                line: 2,
                size: full(3002),
                max_request_size: 1000
            }
        );
        // A hex key is half as many bytes as digits.
        let mut counter = KeyCounter::new(KeyEncoding::Hex, LineForm::Key, 1000);
        counter.feed(&[b'a'; 1800]).unwrap();
        assert_eq!(counter.finish().unwrap().records(), 1);
        // Without a newline, finish() reports it; key<TAB>value lines count both parts.
        let mut counter = KeyCounter::new(KeyEncoding::Text, LineForm::KeyValue, 1000);
        counter.feed(b"key\t").unwrap();
        counter.feed(&chunk).unwrap();
        counter.feed(&chunk).unwrap();
        let size = estimate_batch_size_upper_bound(Some(3), Some(1200)) as u64;
        assert!(matches!(
            counter.finish(),
            Err(KeyFileError::RecordTooLarge { line: 1, size: s, .. }) if s == size
        ));
    }

    #[test]
    fn spread_adds_records_per_partition_and_the_skew() {
        // Partition = first byte mod n.
        let c = count(b"a\na\na\nb\nc\nd\n");
        let s = spread(&c, 2, None, 10, |k, n| Some(k[0] as u32 % n));
        // a=97 (odd), b=98, c=99, d=100.
        assert_eq!(s.shares.records, vec![2, 4]);
        assert_eq!(s.shares.keys, vec![2, 2]);
        assert_eq!(s.shares.max_over_mean, 4.0 / 3.0);
        assert_eq!(s.records, 6);
        assert_eq!(s.distinct_keys, 4);
        assert_eq!(s.hottest[0].key, b"a");
        assert_eq!(s.hottest[0].records, 3);
        assert_eq!(s.hottest[0].partition, Some(1));
        // Ties (one record each) in key byte order.
        let rest: Vec<&[u8]> = s.hottest[1..].iter().map(|h| h.key.as_slice()).collect();
        assert_eq!(rest, vec![b"b", b"c", b"d"]);
        assert!(s.repartition.is_none());
    }

    #[test]
    fn repartition_counts_moved_keys_and_records_by_partition_pair() {
        let c = count(b"a\na\na\nb\nc\nd\n");
        let s = spread(&c, 2, Some(4), 2, |k, n| Some(k[0] as u32 % n));
        // a: 1 -> 1, b: 0 -> 2, c: 1 -> 3, d: 0 -> 0.
        let r = s.repartition.unwrap();
        assert_eq!(r.shares.records, vec![1, 3, 1, 1]);
        assert_eq!(r.moved_keys, 2);
        assert_eq!(r.moved_records, 2);
        assert_eq!(
            r.moves,
            vec![
                Move {
                    from: 0,
                    to: 2,
                    keys: 1,
                    records: 1
                },
                Move {
                    from: 1,
                    to: 3,
                    keys: 1,
                    records: 1
                },
            ]
        );
        assert_eq!(s.hottest.len(), 2);
        assert_eq!(s.hottest[0].to_partition, Some(1));
    }

    #[test]
    fn keys_the_partitioner_does_not_place_are_counted_apart() {
        let c = count(b"a\nb\nb\n");
        let s = spread(&c, 3, Some(5), 5, |k, n| (k != b"b").then_some(n - 1));
        assert_eq!(s.shares.records, vec![0, 0, 1]);
        assert_eq!(s.shares.unplaced_records, 2);
        let r = s.repartition.unwrap();
        assert_eq!(r.moved_keys, 1);
        assert_eq!(
            r.moves,
            vec![Move {
                from: 2,
                to: 4,
                keys: 1,
                records: 1
            }]
        );
    }

    #[test]
    fn placing_in_steps_gives_the_same_spread() {
        let text: Vec<u8> = (0..3000)
            .flat_map(|i| format!("k{}\n", (i * 7919) % 1013).into_bytes())
            .collect();
        let c = count(&text);
        let whole = spread(&c, 12, Some(16), 5, java_partition);
        let mut placement = Placement::new(12, Some(16), 5);
        let mut steps = 0;
        while !placement.step(&c, 100, &mut java_partition) {
            steps += 1;
            assert_eq!(placement.placed(), steps * 100);
        }
        assert_eq!(placement.finish(&c, &mut java_partition), whole);
        assert_eq!(whole.shares.records.iter().sum::<u64>(), 3000);
    }

    #[test]
    fn java_partition_is_the_built_in_partitioners() {
        // Kafka's published vector: murmur2("21") = -973932308; toPositive % 12.
        let expected = (-973_932_308i32 & 0x7fff_ffff) as u32 % 12;
        assert_eq!(java_partition(b"21", 12), Some(expected));
    }

    #[test]
    fn keys_print_as_text_with_controls_and_other_bytes_escaped() {
        assert_eq!(printable_key("клиент-1".as_bytes()), "клиент-1");
        assert_eq!(printable_key(b"a\tb\x7f"), "a\\u{9}b\\u{7f}");
        assert_eq!(printable_key(b"\xff\x00a"), "\\xff\\x00a");
    }

    #[test]
    fn lines_split_like_the_counter() {
        let l: Vec<&[u8]> = lines(b"a\r\n\nb").collect();
        assert_eq!(l, vec![&b"a"[..], b"", b"b"]);
        assert_eq!(lines(b"").count(), 0);
        assert_eq!(lines(b"\n").collect::<Vec<_>>(), vec![&b""[..]]);
    }
}
