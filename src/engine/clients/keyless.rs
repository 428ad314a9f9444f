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
    /// (those with a leader) of `num_partitions`: `(partition, keyed)`.
    pub fn partition(
        &mut self,
        key: Option<&[u8]>,
        available: &[u32],
        num_partitions: u32,
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
            // PartitionByBackup, keyless: uniform over the writable partitions. The adaptive
            // weighting by buffered records is not modelled: with even queues it is uniform.
            Keyless::UniformBytes => match self.current.filter(|p| choices.contains(p)) {
                Some(p) => p,
                None => {
                    let p = choices[rng.below(choices.len() as u64) as usize];
                    self.current = Some(p);
                    p
                }
            },
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
            // Java's rules run in the engine's own partitioner; least-backup is refused by
            // SimConfig::validate.
            Keyless::StickyBytes | Keyless::LeastBackup => choices[0],
        };
        (partition, false)
    }

    /// Whether a record that would open a new batch is first offered to the partitioner
    /// again (franz-go `TopicPartitionerOnNewBatch`).
    pub fn aborts_on_new_batch(&self) -> bool {
        matches!(self.def.keyless(None), Some(Keyless::StickyNewBatch))
    }

    /// franz-go `stickyTopicPartitioner.OnNewBatch`: remember the partition, pick again.
    pub fn on_new_batch(&mut self, available: &[u32]) {
        self.last_index = self
            .current
            .and_then(|p| available.iter().position(|&a| a == p));
        self.drop_current();
    }

    fn drop_current(&mut self) {
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
