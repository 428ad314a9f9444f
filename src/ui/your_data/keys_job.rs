//! "Your keys": a key file analysed in bounded slices, as plain state (no browser calls),
//! so the page stays responsive on a million keys and the logic is tested natively.
//!
//! Reading counts each distinct key's records ([`KeyCounter`]); placing puts every
//! distinct key on its partition at the topic's partition count and at the second count
//! the reader picks ([`Placement`]). A new partition count places the counted keys again
//! without reading them again.

use crate::engine::clients::{Client, PartitionerDef};
use crate::engine::keys::{
    self, KeyCounter, KeyCounts, KeyEncoding, KeySpread, LineForm, Move, Placement,
};

/// The largest file the page reads. The page keeps each distinct key's bytes in memory
/// (with a table of about 32 bytes per key), in the browser tab's own memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// How many of the most frequent keys the page lists.
pub const HOTTEST: usize = 10;

/// Refuses a file the page will not read, saying the limit and why.
pub fn check_file_size(bytes: u64) -> Result<(), String> {
    if bytes > MAX_FILE_BYTES {
        return Err(format!(
            "This file is {}; the page reads files up to {} MB. Everything is counted in \
             this browser tab's memory (nothing is uploaded), and a larger file could \
             exhaust it. Use a sample of the file, or the command line \
             (producer-sim keys), which streams files of any size.",
            megabytes(bytes),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok(())
}

/// Bytes as "12.3 MB" (MiB, as the limit is given).
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// What the analysis is for: whose partitioner places the keys, over how many partitions.
/// The partitioner is a plain parameter, so any picker (the panel's own, a page-wide
/// client choice) can drive it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyLayout {
    pub client: Client,
    pub partitioner: &'static PartitionerDef,
    pub partitions: u32,
    /// The second partition count, to see what moves.
    pub to: Option<u32>,
}

/// The value of the panel's partitioner choice for `client`'s `partitioner`.
pub fn partitioner_choice(client: Client, partitioner: &PartitionerDef) -> String {
    format!("{}/{}", client.name(), partitioner.name)
}

/// Reads a [`partitioner_choice`] back.
pub fn parse_partitioner_choice(value: &str) -> Option<(Client, &'static PartitionerDef)> {
    let (client, name) = value.split_once('/')?;
    let client = Client::parse(client).ok()?;
    Some((client, client.partitioner(Some(name)).ok()?))
}

/// Where the analysis is.
#[derive(Clone, Debug)]
enum Stage {
    Idle,
    Reading {
        counter: KeyCounter,
        total_bytes: u64,
    },
    Placing(Placement, KeyLayout),
    Ready(KeySpread, KeyLayout),
    Failed(String),
}

/// What the panel shows: a snapshot taken after each slice.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeysView {
    /// 0 to 1 while working; `None` when idle, done or failed.
    pub progress: Option<f64>,
    /// What is being done, for the progress indicator ("Read 3.1 of 20.0 MB").
    pub status: String,
    pub spread: Option<KeySpread>,
    /// Why some records are not placed by their key, when some are not.
    pub unplaced_reason: Option<String>,
    pub error: Option<String>,
}

/// The analysis of the reader's keys.
#[derive(Clone, Debug)]
pub struct KeysJob {
    stage: Stage,
    counts: Option<KeyCounts>,
}

impl Default for KeysJob {
    fn default() -> Self {
        KeysJob {
            stage: Stage::Idle,
            counts: None,
        }
    }
}

impl KeysJob {
    /// Starts reading `total_bytes` of keys (one per line), forgetting earlier keys.
    pub fn start(&mut self, total_bytes: u64, max_request_size: u32) {
        self.counts = None;
        self.stage = match check_file_size(total_bytes) {
            Err(why) => Stage::Failed(why),
            Ok(()) => {
                let mut counter =
                    KeyCounter::new(KeyEncoding::Text, LineForm::Key, max_request_size);
                counter.reserve(total_bytes as usize);
                Stage::Reading {
                    counter,
                    total_bytes,
                }
            }
        };
    }

    /// Takes the next bytes of the input.
    pub fn feed(&mut self, chunk: &[u8]) {
        if let Stage::Reading { counter, .. } = &mut self.stage {
            if let Err(e) = counter.feed(chunk) {
                self.stage = Stage::Failed(e.to_string());
            }
        }
    }

    /// Ends the input and starts placing the keys.
    pub fn end_input(&mut self, at: KeyLayout) {
        let stage = std::mem::replace(&mut self.stage, Stage::Idle);
        self.stage = match stage {
            Stage::Reading { counter, .. } => match counter.finish() {
                Ok(counts) => {
                    self.counts = Some(counts);
                    Stage::Placing(Placement::new(at.partitions, at.to, HOTTEST), at)
                }
                Err(e) => Stage::Failed(e.to_string()),
            },
            other => other,
        };
    }

    /// Places the counted keys again for other partition counts (nothing when the
    /// result already is for them, or while reading).
    pub fn repartition(&mut self, at: KeyLayout) {
        let current = match &self.stage {
            Stage::Placing(_, c) | Stage::Ready(_, c) => Some(*c),
            Stage::Reading { .. } => return,
            _ => None,
        };
        if self.counts.is_some() && current != Some(at) {
            self.stage = Stage::Placing(Placement::new(at.partitions, at.to, HOTTEST), at);
        }
    }

    /// Ends the analysis with a message (e.g. the file could not be read).
    pub fn fail(&mut self, why: String) {
        self.counts = None;
        self.stage = Stage::Failed(why);
    }

    /// Whether there are counted keys to place.
    pub fn has_keys(&self) -> bool {
        self.counts.is_some()
    }

    /// Whether input is still expected: reading has started and not ended.
    pub fn is_reading(&self) -> bool {
        matches!(self.stage, Stage::Reading { .. })
    }

    /// Whether keys remain to be placed.
    pub fn is_placing(&self) -> bool {
        matches!(self.stage, Stage::Placing(..))
    }

    /// Places up to `max_keys` more keys with the layout's partitioner.
    pub fn place(&mut self, max_keys: usize) {
        let Some(counts) = &self.counts else {
            return;
        };
        if let Stage::Placing(placement, at) = &mut self.stage {
            let def = at.partitioner;
            let mut partition_for = |key: &[u8], n| def.key_partition(Some(key), n);
            if placement.step(counts, max_keys, &mut partition_for) {
                let at = *at;
                let done = std::mem::replace(placement, Placement::new(1, None, 0));
                let spread = done.finish(counts, &mut partition_for);
                self.stage = Stage::Ready(spread, at);
            }
        }
    }

    /// A snapshot for the panel.
    pub fn view(&self) -> KeysView {
        match &self.stage {
            Stage::Idle => KeysView::default(),
            Stage::Reading {
                counter,
                total_bytes,
            } => {
                let read = counter.bytes_read();
                KeysView {
                    // Reading is most of the work; placing the rest.
                    progress: Some(0.8 * read as f64 / (*total_bytes).max(1) as f64),
                    status: format!(
                        "Reading your keys: {} of {}, {} lines",
                        megabytes(read),
                        megabytes(*total_bytes),
                        thousands(counter.lines())
                    ),
                    ..KeysView::default()
                }
            }
            Stage::Placing(placement, _) => {
                let total = self.counts.as_ref().map_or(0, KeyCounts::distinct_keys);
                let placed = placement.placed() as u64;
                KeysView {
                    progress: Some(0.8 + 0.2 * placed as f64 / total.max(1) as f64),
                    status: format!(
                        "Placing {} of {} distinct keys on partitions",
                        thousands(placed),
                        thousands(total)
                    ),
                    ..KeysView::default()
                }
            }
            Stage::Ready(spread, at) => KeysView {
                spread: Some(spread.clone()),
                unplaced_reason: (spread.shares.unplaced_records > 0)
                    .then(|| keys::unplaced_reason(at.client, at.partitioner)),
                ..KeysView::default()
            },
            Stage::Failed(why) => KeysView {
                error: Some(why.clone()),
                ..KeysView::default()
            },
        }
    }
}

/// A count with thousands separators: 1,000,000.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A key as the panel shows it ([`keys::printable_key`]), shortened to 40 characters.
pub fn shown_key(key: &[u8]) -> String {
    if key.is_empty() {
        return "(empty key)".into();
    }
    let text = keys::printable_key(key);
    if text.chars().count() > 40 {
        let short: String = text.chars().take(39).collect();
        format!("{short}…")
    } else {
        text
    }
}

/// The `n` moves with the most records, most first (the first of equals in `moves`'
/// order): repeated passes instead of a sort, which would add its code to the page.
pub fn busiest(moves: &[Move], n: usize) -> Vec<Move> {
    let mut taken = vec![false; moves.len()];
    let mut out = Vec::with_capacity(n.min(moves.len()));
    while out.len() < n {
        let next = (0..moves.len())
            .filter(|&i| !taken[i])
            .fold(None, |best: Option<usize>, i| match best {
                Some(b) if moves[b].records >= moves[i].records => Some(b),
                _ => Some(i),
            });
        let Some(i) = next else { break };
        taken[i] = true;
        out.push(moves[i]);
    }
    out
}

/// A share of a whole, as a percentage with one decimal.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0.0%".into();
    }
    format!("{:.1}%", 100.0 * part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: u32 = 1_048_576;

    fn at(partitions: u32, to: Option<u32>) -> KeyLayout {
        layout(Client::Java, None, partitions, to)
    }

    fn layout(client: Client, name: Option<&str>, partitions: u32, to: Option<u32>) -> KeyLayout {
        KeyLayout {
            client,
            partitioner: client.partitioner(name).unwrap(),
            partitions,
            to,
        }
    }

    /// Runs a job the way the page does: small pieces, then placing in small steps.
    fn run(text: &[u8], counts: KeyLayout) -> (KeysJob, Vec<KeysView>) {
        let mut job = KeysJob::default();
        let mut views = Vec::new();
        job.start(text.len() as u64, MAX);
        for piece in text.chunks(7) {
            job.feed(piece);
            views.push(job.view());
        }
        job.end_input(counts);
        while job.is_placing() {
            job.place(3);
            views.push(job.view());
        }
        (job, views)
    }

    #[test]
    fn a_job_in_slices_gives_the_engines_spread_with_rising_progress() {
        let text: Vec<u8> = (0..200)
            .flat_map(|i| format!("customer-{}\n", i % 23).into_bytes())
            .collect();
        let (job, views) = run(&text, at(6, Some(8)));
        let expected = keys::spread(
            &keys::count_keys(&text, KeyEncoding::Text, LineForm::Key, MAX).unwrap(),
            6,
            Some(8),
            HOTTEST,
            keys::java_partition,
        );
        let done = job.view();
        assert_eq!(done.spread.as_ref(), Some(&expected));
        assert_eq!(done.progress, None);
        let progress: Vec<f64> = views.iter().filter_map(|v| v.progress).collect();
        assert!(progress.windows(2).all(|w| w[0] <= w[1]), "{progress:?}");
        assert!(progress.iter().all(|p| (0.0..=1.0).contains(p)));
        assert_eq!(
            views[0].status,
            "Reading your keys: 0.0 MB of 0.0 MB, 0 lines"
        );
        assert!(views
            .iter()
            .any(|v| v.status == "Placing 3 of 23 distinct keys on partitions"));
    }

    #[test]
    fn new_partition_counts_place_the_same_keys_again_without_reading() {
        let text = b"a\nb\nb\nc\n";
        let (mut job, _) = run(text, at(3, None));
        job.repartition(at(3, None));
        assert!(!job.is_placing(), "the same counts: nothing to do");
        job.repartition(at(5, Some(7)));
        assert!(job.is_placing());
        job.place(usize::MAX);
        let spread = job.view().spread.unwrap();
        assert_eq!(spread.shares.partition_count, 5);
        assert_eq!(spread.repartition.unwrap().shares.partition_count, 7);
        assert_eq!(spread.records, 4);
    }

    #[test]
    fn the_layouts_partitioner_places_the_keys_and_a_new_one_places_them_again() {
        let text = b"kafka\nfoobar\n\nkafka\n";
        let counts = keys::count_keys(text, KeyEncoding::Text, LineForm::Key, MAX).unwrap();
        for client in Client::all() {
            for def in client.partitioners() {
                let (job, _) = run(text, layout(client, Some(def.name), 6, Some(7)));
                let expected = keys::spread(&counts, 6, Some(7), HOTTEST, |k, n| {
                    crate::engine::clients::key_partition(client, Some(def.name), Some(k), n)
                        .unwrap()
                });
                let view = job.view();
                assert_eq!(
                    view.spread.as_ref(),
                    Some(&expected),
                    "{client} {}",
                    def.name
                );
                assert_eq!(
                    view.unplaced_reason.is_some(),
                    expected.shares.unplaced_records > 0
                );
            }
        }
        // Switching partitioners places the counted keys again: librdkafka's default
        // leaves the empty key to the client, sarama's hashes it.
        let (mut job, _) = run(text, layout(Client::Librdkafka, None, 6, None));
        let view = job.view();
        assert_eq!(view.spread.unwrap().shares.unplaced_records, 1);
        assert_eq!(
            view.unplaced_reason.as_deref(),
            Some(
                "librdkafka (consistent_random) picks their partition itself: sticky: a new \
                 random partition every sticky.partitioning.linger.ms (10 ms)"
            )
        );
        job.repartition(layout(Client::Sarama, None, 6, None));
        assert!(job.is_placing());
        job.place(usize::MAX);
        let view = job.view();
        // "" -> 3, "kafka" -> 5 (twice), "foobar" -> 0: the client notes' table.
        assert_eq!(view.spread.unwrap().shares.records, vec![1, 0, 0, 1, 0, 2]);
        assert_eq!(view.unplaced_reason, None);
    }

    #[test]
    fn every_partitioner_choice_reads_back() {
        for client in Client::all() {
            for def in client.partitioners() {
                let value = partitioner_choice(client, def);
                assert_eq!(parse_partitioner_choice(&value), Some((client, def)));
            }
        }
        assert_eq!(
            partitioner_choice(Client::Librdkafka, Client::Librdkafka.default_partitioner()),
            "librdkafka/consistent_random"
        );
        assert_eq!(parse_partitioner_choice("java/nope"), None);
        assert_eq!(parse_partitioner_choice("python/built-in"), None);
        assert_eq!(parse_partitioner_choice("java"), None);
    }

    #[test]
    fn bad_input_ends_in_a_clear_message() {
        let (job, _) = run(b"", at(3, None));
        assert_eq!(
            job.view().error.as_deref(),
            Some("the input is empty: there are no lines to read")
        );
        let (job, _) = run(b"ok\n\x00\x01binary\n", at(3, None));
        assert!(job.view().error.unwrap().contains("binary file"));
        let mut job = KeysJob::default();
        job.start(4, 100);
        job.feed(&[b'k'; 200]);
        job.end_input(at(3, None));
        let error = job.view().error.unwrap();
        assert!(error.contains("RecordTooLargeException"), "{error}");
        // A failed job ignores further input and has nothing to place again.
        job.feed(b"more\n");
        job.repartition(at(4, None));
        assert!(!job.is_placing());
    }

    #[test]
    fn files_over_the_limit_are_refused_with_the_limit_and_why() {
        assert!(check_file_size(MAX_FILE_BYTES).is_ok());
        let why = check_file_size(MAX_FILE_BYTES + 1).unwrap_err();
        assert!(why.contains("up to 64 MB"), "{why}");
        assert!(why.contains("nothing is uploaded"), "{why}");
        let mut job = KeysJob::default();
        job.start(100 * 1024 * 1024, MAX);
        assert!(job
            .view()
            .error
            .unwrap()
            .starts_with("This file is 100.0 MB"));
        assert!(!job.is_reading());
    }

    #[test]
    fn the_busiest_moves_come_first() {
        let m = |from, to, records| Move {
            from,
            to,
            keys: 1,
            records,
        };
        let moves = [m(0, 1, 5), m(0, 2, 9), m(1, 0, 5), m(2, 3, 7)];
        assert_eq!(busiest(&moves, 3), vec![m(0, 2, 9), m(2, 3, 7), m(0, 1, 5)]);
        assert_eq!(busiest(&moves, 10).len(), 4);
        assert!(busiest(&[], 8).is_empty());
    }

    #[test]
    fn numbers_and_keys_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(shown_key(b""), "(empty key)");
        assert_eq!(shown_key("ключ\t1".as_bytes()), "ключ\\u{9}1");
        assert_eq!(shown_key(b"\xff\x00a"), "\\xff\\x00a");
        assert_eq!(shown_key(&[b'x'; 50]).chars().count(), 40);
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(1, 0), "0.0%");
    }
}
