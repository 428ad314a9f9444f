//! Where another client's producer sends the records its key does not place, step by step
//! in simulated time: the partitioner state [`crate::engine::partitioner::Partitioner`]
//! hands those records to when the client is not Java.

use super::{Client, Keyless, PartitionerDef};
use crate::engine::config::ProducerConfig;
use crate::engine::rng::SimRng;
use crate::engine::time::{SimDuration, SimTime};

/// franz-go `UniformBytesPartitioner`'s switch point (`UniformBytesPartitioner(64<<10, ...)`,
/// `pkg/kgo/config.go`).
const UNIFORM_BYTES: u64 = 64 << 10;

/// One client's partitioner for the simulated topic.
#[derive(Clone, Debug)]
pub struct ClientPartitioner {
    client: Client,
    def: &'static PartitionerDef,
    /// librdkafka `sticky.partitioning.linger.ms`.
    sticky_linger: SimDuration,
    now: SimTime,
    /// The partition keyless records stick to, for the sticky rules.
    current: Option<u32>,
    /// librdkafka: when `current` was picked (`rkt_sticky_intvl`).
    picked_at: Option<SimTime>,
    /// franz-go `stickyTopicPartitioner.lastPart`, as an index into the available list.
    last_index: Option<usize>,
    /// franz-go's `onPart` (`leastBackupTopicPartitioner`, `uniformBytesTopicPartitioner`):
    /// an index into the available list.
    on_index: Option<usize>,
    /// franz-go `uniformBytesTopicPartitioner.bytes`.
    bytes: u64,
    /// The round-robin counter; kafkajs starts it at a random 32-bit value.
    counter: Option<u32>,
    switches: u64,
}

impl ClientPartitioner {
    /// The partitioner of `config.client` (`None` for Java, which the engine's own
    /// partitioner runs). `config` must have passed `SimConfig::validate`.
    pub fn new(config: &ProducerConfig) -> Option<ClientPartitioner> {
        if config.client == Client::Java {
            return None;
        }
        let name = Some(config.partitioner.as_str()).filter(|n| !n.is_empty());
        let def = config.client.partitioner(name).ok()?;
        Some(ClientPartitioner {
            client: config.client,
            def,
            sticky_linger: SimDuration::from_ms(sticky_linger_ms(config)),
            now: SimTime::default(),
            current: None,
            picked_at: None,
            last_index: None,
            on_index: None,
            bytes: 0,
            counter: None,
            switches: 0,
        })
    }

    pub fn def(&self) -> &'static PartitionerDef {
        self.def
    }

    /// How many times a sticky rule moved keyless records to another partition.
    pub fn switches(&self) -> u64 {
        self.switches
    }

    /// The partition keyless records stick to now, for the sticky rules.
    pub fn sticky_partition(&self) -> Option<u32> {
        self.current
    }

    /// The rule for a record with `key`, `None` when the key places it.
    fn rule(&self, key: Option<&[u8]>) -> Option<Keyless> {
        let rule = self.def.keyless(key)?;
        // rd_kafka_topic_new0: with sticky.partitioning.linger.ms 0 the partitioner itself
        // runs for null keys, and the *_random ones draw a random partition each time.
        if rule == Keyless::StickyTime && self.sticky_linger.as_us() == 0 {
            return Some(Keyless::Random);
        }
        Some(rule)
    }

    /// A record is about to be sent at `now`. franz-go's uniform-bytes partitioner counts
    /// its bytes before choosing (`PartitionByBackup`): attributes, timestamp and offset
    /// deltas (1 each), key and value with their varint lengths, and the header count.
    pub fn on_send(&mut self, now: SimTime, key: Option<&[u8]>, value_len: u32) {
        self.now = now;
        if self.rule(key) == Some(Keyless::UniformBytes) {
            let key_len = key.map_or(0, <[u8]>::len) as u64;
            let length = 3
                + varint_len(key_len)
                + key_len
                + varint_len(u64::from(value_len))
                + u64::from(value_len)
                + varint_len(0);
            self.bytes += length;
            if self.bytes >= UNIFORM_BYTES {
                self.bytes = length;
                self.drop_current();
            }
        }
    }

    /// The partition for a record with `key` (`None`: no key) among `available` partitions
    /// (those with a leader) of `num_partitions`: `(partition, keyed)`. `backlog` is each
    /// partition's records sent and not yet acknowledged or failed, by partition (missing:
    /// none), which franz-go's `PartitionByBackup` reads.
    pub fn partition(
        &mut self,
        key: Option<&[u8]>,
        available: &[u32],
        num_partitions: u32,
        backlog: &[u64],
        rng: &mut SimRng,
    ) -> (u32, bool) {
        let Some(rule) = self.rule(key) else {
            let steps = self.def.hash_steps(key, num_partitions);
            return (steps.map_or(0, |s| s.partition), true);
        };
        let n = num_partitions.max(1);
        // With no leader anywhere, the clients fall back to all partitions.
        let all: Vec<u32>;
        let choices = if available.is_empty() {
            all = (0..n).collect();
            &all[..]
        } else {
            available
        };
        let partition = match rule {
            // rd_kafka_msg_sticky_partition: a new random partition once the interval has
            // passed since the last pick (rd_interval), or at once if the current one has no
            // leader; the same partition may come again.
            Keyless::StickyTime => {
                let due = match (self.current, self.picked_at) {
                    (Some(p), Some(at)) => {
                        !available.contains(&p) || self.now.since(at) >= self.sticky_linger
                    }
                    _ => true,
                };
                if due {
                    if self.current.is_some() {
                        self.switches += 1;
                    }
                    self.current = Some(librdkafka_random(n, available, rng));
                    self.picked_at = Some(self.now);
                }
                self.current.unwrap_or(0)
            }
            // stickyTopicPartitioner.Partition: a random index, the next one if it is the
            // last partition's.
            Keyless::StickyNewBatch => match self.current.filter(|p| choices.contains(p)) {
                Some(p) => p,
                None => {
                    let mut index = rng.below(choices.len() as u64) as usize;
                    if Some(index) == self.last_index {
                        index = (index + 1) % choices.len();
                    }
                    self.current = Some(choices[index]);
                    choices[index]
                }
            },
            // uniformBytesTopicPartitioner.PartitionByBackup, adaptive (the default's
            // `UniformBytesPartitioner(64<<10, true, true, nil)`): after 64 KiB, a partition
            // drawn with weights 1 / (buffered records + 1).
            Keyless::UniformBytes => {
                self.pinned(choices, |choices| inverse_backlog(choices, backlog, rng))
            }
            // rd_kafka_msg_partitioner_random; sarama randomPartitioner over the writable
            // partitions.
            Keyless::Random if self.client == Client::Librdkafka => {
                librdkafka_random(n, available, rng)
            }
            Keyless::Random => choices[rng.below(choices.len() as u64) as usize],
            // sarama roundRobinPartitioner, franz-go roundRobinTopicPartitioner: from 0.
            Keyless::RoundRobin => {
                let next = self.counter.unwrap_or(0);
                let index = if next as usize >= choices.len() {
                    0
                } else {
                    next as usize
                };
                self.counter = Some(index as u32 + 1);
                choices[index]
            }
            // kafkajs legacy/partitioner.js: toPositive(++counter) % available partitions,
            // the counter starting at a random uint32.
            Keyless::RoundRobinRandomStart => {
                let counter = self
                    .counter
                    .unwrap_or_else(|| rng.next_u32())
                    .wrapping_add(1);
                self.counter = Some(counter);
                choices[(counter & 0x7fff_ffff) as usize % choices.len()]
            }
            // leastBackupTopicPartitioner.PartitionByBackup: keep the index picked until
            // a new batch; then the partition with the fewest records buffered, ties
            // broken by reservoir sampling over the list walked from its end
            // (leastBackupInput.Next).
            Keyless::LeastBackup => {
                self.pinned(choices, |choices| least_backup(choices, backlog, rng))
            }
            // Java's rules run in the engine's own partitioner.
            Keyless::StickyBytes => choices[0],
        };
        (partition, false)
    }

    /// franz-go's `onPart`: the index into `choices` picked before, while it is in range
    /// (kept as an index, as franz-go does, when the list changes), else a new `pick`.
    fn pinned(&mut self, choices: &[u32], pick: impl FnOnce(&[u32]) -> usize) -> u32 {
        let index = match self.on_index.filter(|&i| i < choices.len()) {
            Some(i) => i,
            None => pick(choices),
        };
        self.on_index = Some(index);
        self.current = Some(choices[index]);
        choices[index]
    }

    /// Whether a record that would open a new batch is first offered to the partitioner
    /// again (franz-go `TopicPartitionerOnNewBatch`).
    pub fn aborts_on_new_batch(&self) -> bool {
        matches!(
            self.def.keyless(None),
            Some(Keyless::StickyNewBatch | Keyless::LeastBackup)
        )
    }

    /// franz-go `stickyTopicPartitioner.OnNewBatch`: remember the partition, pick again;
    /// `leastBackupTopicPartitioner.OnNewBatch`: pick again.
    pub fn on_new_batch(&mut self, available: &[u32]) {
        self.last_index = self
            .current
            .and_then(|p| available.iter().position(|&a| a == p));
        self.drop_current();
    }

    fn drop_current(&mut self) {
        self.on_index = None;
        if self.current.take().is_some() {
            self.switches += 1;
        }
    }
}

/// librdkafka's `sticky.partitioning.linger.ms` as it runs: when not set, `rd_kafka_conf_finalize`
/// (`src/rdkafka_conf.c`) makes it twice `linger.ms`, at most 900000 (10 with the default
/// 5).
fn sticky_linger_ms(config: &ProducerConfig) -> u64 {
    if config.client == Client::Librdkafka && !config.is_set("sticky.partitioning.linger.ms") {
        config.linger_ms.saturating_mul(2).min(900_000)
    } else {
        config.sticky_partitioning_linger_ms
    }
}

/// The index into `choices` that `leastBackupTopicPartitioner.PartitionByBackup` picks, from
/// each partition's buffered records (`backlog[partition]`, missing: 0): it walks the list
/// from its last index to its first, keeps the smallest and, among equals, each with
/// probability 1/count (`rng.Intn(npicked) == 0`).
fn least_backup(choices: &[u32], backlog: &[u64], rng: &mut SimRng) -> usize {
    let mut least = u64::MAX;
    let mut picked = 0;
    let mut count = 0u64;
    for (index, &partition) in choices.iter().enumerate().rev() {
        let backup = backlog.get(partition as usize).copied().unwrap_or(0);
        if backup < least {
            least = backup;
            picked = index;
            count = 1;
        } else if backup == least {
            count += 1;
            if rng.below(count) == 0 {
                picked = index;
            }
        }
    }
    picked
}

/// The index into `choices` that the adaptive `uniformBytesTopicPartitioner.PartitionByBackup`
/// draws: weights 1 / (buffered records + 1), summed while walking the list from its last
/// index to its first; `rng.Float64()` times the sum, less each weight in the same order,
/// picks the first that takes it to 0 or below (the first index if rounding leaves none).
fn inverse_backlog(choices: &[u32], backlog: &[u64], rng: &mut SimRng) -> usize {
    let weight = |i: usize| {
        let buffered = backlog.get(choices[i] as usize).copied().unwrap_or(0);
        1.0 / (buffered + 1) as f64
    };
    let total: f64 = (0..choices.len()).rev().map(weight).sum();
    let mut pick = rng.unit() * total;
    for i in (0..choices.len()).rev() {
        pick -= weight(i);
        if pick <= 0.0 {
            return i;
        }
    }
    0
}

/// `rd_kafka_msg_partitioner_random`: a draw over all partitions, and one more if that one
/// has no leader.
fn librdkafka_random(n: u32, available: &[u32], rng: &mut SimRng) -> u32 {
    let p = rng.below(u64::from(n)) as u32;
    if available.is_empty() || available.contains(&p) {
        p
    } else {
        rng.below(u64::from(n)) as u32
    }
}

/// The length of a zigzag varint (`kbin.VarintLen`).
fn varint_len(value: u64) -> u64 {
    let mut zigzag = value << 1;
    let mut len = 1;
    while zigzag >= 0x80 {
        zigzag >>= 7;
        len += 1;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::SimConfig;

    fn least_backup_partitioner() -> ClientPartitioner {
        let mut config = SimConfig::for_client(Client::FranzGo);
        config.set("partitioner", "least-backup").unwrap();
        ClientPartitioner::new(&config.producer).unwrap()
    }

    #[test]
    fn least_backup_takes_the_partition_with_the_fewest_buffered_records() {
        let mut rng = SimRng::new(1);
        let mut p = least_backup_partitioner();
        let all = [0, 1, 2, 3];
        // Keys play no part (RequiresConsistency is false): partition 2 has the least.
        let backlog = [5, 9, 1, 4];
        assert_eq!(
            p.partition(Some(b"k"), &all, 4, &backlog, &mut rng),
            (2, false)
        );
        // Pinned until a new batch, whatever the backlog does meanwhile.
        assert_eq!(
            p.partition(None, &all, 4, &[0, 0, 50, 0], &mut rng),
            (2, false)
        );
        p.on_new_batch(&all);
        assert_eq!(
            p.partition(None, &all, 4, &[0, 3, 50, 2], &mut rng),
            (0, false)
        );
        assert_eq!(p.switches(), 1);
        // Only partitions with a leader count; a partition missing from the backlog has none.
        p.on_new_batch(&all);
        assert_eq!(p.partition(None, &[1, 3], 4, &[0, 7], &mut rng), (3, false));
        // onPart is an index: when the list shrinks under it, the same index stays while it
        // is in range (franz-go re-picks only past the end).
        assert_eq!(p.partition(None, &[1, 2], 4, &[], &mut rng), (2, false));
        assert_eq!(p.partition(None, &[1], 4, &[], &mut rng), (1, false));
    }

    #[test]
    fn uniform_bytes_weighs_partitions_by_the_inverse_of_their_backlog() {
        // Buffered 0, 1 and 3 records: weights 1, 1/2 and 1/4, so 4/7, 2/7 and 1/7.
        let mut rng = SimRng::new(11);
        let mut counts = [0u32; 3];
        for _ in 0..70_000 {
            counts[inverse_backlog(&[0, 1, 2], &[0, 1, 3], &mut rng)] += 1;
        }
        for (count, sevenths) in counts.iter().zip([4, 2, 1]) {
            let expected = 10_000 * sevenths;
            assert!(count.abs_diff(expected) < 600, "{counts:?}");
        }
        // The walk starts at the last index: a draw of 0 picks it.
        assert!((0..1000).all(|seed| {
            let mut rng = SimRng::new(seed);
            let probe = rng.clone().unit();
            let i = inverse_backlog(&[4, 5], &[], &mut rng);
            i == if probe * 2.0 <= 1.0 { 1 } else { 0 }
        }));
    }

    #[test]
    fn uniform_bytes_keeps_its_pick_for_64_kib() {
        let mut rng = SimRng::new(5);
        let mut p =
            ClientPartitioner::new(&SimConfig::for_client(Client::FranzGo).producer).unwrap();
        let all = [0, 1, 2];
        let now = SimTime::default();
        // 1,000-byte values: 1,007 bytes a record as franz-go counts them.
        p.on_send(now, None, 1000);
        let (first, keyed) = p.partition(None, &all, 3, &[], &mut rng);
        assert!(!keyed);
        let mut records = 1;
        loop {
            p.on_send(now, None, 1000);
            // The backlog plays no part until the switch.
            let (next, _) = p.partition(None, &all, 3, &[9, 9, 9], &mut rng);
            if next != first || p.switches() > 0 {
                break;
            }
            records += 1;
        }
        // 65 records make 65,455 bytes, below 65,536; the 66th reaches it.
        assert_eq!((records, p.switches()), (65, 1));
        // Keys are hashed (murmur2), not counted.
        assert_eq!(
            p.partition(Some(b"kafka"), &all, 3, &[], &mut rng),
            (1, true)
        );
    }

    #[test]
    fn least_backup_breaks_ties_by_reservoir_sampling_from_the_end() {
        // Ties among equals are uniform: rng.Intn(npicked) == 0 keeps each with 1/npicked.
        let mut rng = SimRng::new(7);
        let mut counts = [0u32; 5];
        for _ in 0..10_000 {
            counts[least_backup(&[0, 1, 2, 3, 4], &[3, 2, 9, 2, 2], &mut rng)] += 1;
        }
        assert_eq!((counts[0], counts[2]), (0, 0));
        for c in [counts[1], counts[3], counts[4]] {
            assert!((3_000..3_700).contains(&c), "{counts:?}");
        }
        // The walk starts at the last index, which is kept unless a later draw replaces
        // it: with one partition at the least, no draw is made.
        let mut a = SimRng::new(3);
        let b = a.clone();
        assert_eq!(least_backup(&[0, 1, 2], &[4, 0, 4], &mut a), 1);
        assert_eq!(a.next_u32(), b.clone().next_u32());
    }
}
