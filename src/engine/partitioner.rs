//! Which partition a record goes to, as the Java producer (Kafka 4.x) decides it.
//!
//! - A partition named in the record wins (`KafkaProducer.partition`).
//! - Built-in partitioner (`partitioner.class` unset): a keyed record goes to
//!   `toPositive(murmur2(key)) % numPartitions` (`BuiltInPartitioner.partitionForKey`); a
//!   keyless record (or any record with `partitioner.ignore.keys=true`) goes to the current
//!   sticky partition, which switches after `batch.size` bytes, at the latest after twice that,
//!   to a random available partition weighted toward short queues (KIP-794,
//!   `clients/.../producer/internals/BuiltInPartitioner.java`).
//! - `RoundRobinPartitioner`: every record without a named partition takes the next available
//!   partition in turn (`clients/.../producer/RoundRobinPartitioner.java`).
//! - The sticky `DefaultPartitioner` of Kafka 2.4 to 3.2 (KIP-480): keyed records hash as above,
//!   keyless ones stay on one partition until a record needs a new batch there
//!   (`clients/.../producer/internals/StickyPartitionCache.java`).
//!
//! How the record accumulator drives it (`RecordAccumulator.append`, `KafkaProducer.doSend`):
//! 1. `partition()` for every record.
//! 2. With a `partitioner.class` set (`aborts_on_new_batch()`), when any record (keyed,
//!    keyless or with a named partition) does not fit the partition's last batch, or there is
//!    none: `on_new_batch(partition)`, then `partition()` again, and append to whatever it
//!    returns.
//! 3. For a [`PartitionChoice::Sticky`] of the built-in partitioner, before appending:
//!    `partition_changed(choice, all_batches_full)`; when it returns true, ask `partition()`
//!    again (a switch that waited for the last batch to fill has now happened).
//! 4. After appending: `on_append(choice, appended_bytes, all_batches_full)`.
//! 5. On every `RecordAccumulator.ready()`: `update_load()`; on every metadata change:
//!    `update_metadata()`.
//!
//! Randomness comes only from the passed [`SimRng`]: Kafka draws
//! `Utils.toPositive(ThreadLocalRandom.nextInt())`, here the same 31-bit value from the seed.

use super::clients::ClientPartitioner;
use super::config::{PartitionerClass, ProducerConfig};
use super::rng::SimRng;
use super::time::SimTime;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Kafka's murmur2 (`Utils.murmur2`: seed 0x9747b28c, little-endian blocks), as a signed
/// 32-bit value like Java's `int`.
pub fn murmur2(key: &[u8]) -> i32 {
    murmur2::murmur2(key, murmur2::KAFKA_SEED) as i32
}

/// `Utils.toPositive`: `n & 0x7fffffff` (not the absolute value).
pub fn to_positive(n: i32) -> i32 {
    n & 0x7fff_ffff
}

/// The steps from key bytes to partition, with the numbers Kafka computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyHashSteps {
    pub murmur2: i32,
    pub positive: i32,
    pub num_partitions: u32,
    pub partition: u32,
}

/// `BuiltInPartitioner.partitionForKey`. `num_partitions` counts all partitions of the topic,
/// available or not. A topic of 0 partitions (which Kafka cannot have) maps to partition 0.
pub fn key_partition(key: &[u8], num_partitions: u32) -> KeyHashSteps {
    let h = murmur2(key);
    let positive = to_positive(h);
    KeyHashSteps {
        murmur2: h,
        positive,
        num_partitions,
        partition: positive as u32 % num_partitions.max(1),
    }
}

/// Why a record went where it went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartitionChoice {
    /// The application named the partition.
    Explicit(u32),
    /// Hashed key.
    Keyed(KeyHashSteps),
    /// Keyless (or keys ignored): the current sticky partition of the built-in partitioner
    /// (KIP-794) or of the KIP-480 `DefaultPartitioner`.
    Sticky { partition: u32 },
    /// `RoundRobinPartitioner`.
    RoundRobin(u32),
    /// Another client's partitioner (`engine::clients`): `keyed` when the key placed it.
    Client { partition: u32, keyed: bool },
}

impl PartitionChoice {
    pub fn partition(&self) -> u32 {
        match *self {
            PartitionChoice::Explicit(p) | PartitionChoice::RoundRobin(p) => p,
            PartitionChoice::Client { partition, .. } => partition,
            PartitionChoice::Keyed(s) => s.partition,
            PartitionChoice::Sticky { partition } => partition,
        }
    }
}

/// One partition's entry in [`PartitionLoad`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PartitionQueue {
    /// Batches in the partition's deque; `None` while the accumulator has never created a
    /// deque for it (Kafka never removes one once created).
    pub batches: Option<u32>,
    /// Whether the metadata knows a leader for the partition.
    pub leader_known: bool,
    /// For the leader, `readyTimeMs - drainTimeMs` of its `NodeLatencyStats`: how long it had
    /// data ready but could not be drained. `None` until the sender recorded any.
    pub leader_undrained_ms: Option<u64>,
}

/// What `RecordAccumulator.partitionReady` sees of each partition, indexed by partition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartitionLoad {
    pub partitions: Vec<PartitionQueue>,
}

/// The built-in partitioner's adaptive weights (`BuiltInPartitioner.PartitionLoadStats`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct PartitionLoadStats {
    /// Running sum of `max queue size + 1 - queue size`, strictly increasing.
    cumulative_frequency: Vec<u64>,
    partition_ids: Vec<u32>,
}

impl PartitionLoadStats {
    /// `BuiltInPartitioner.nextPartition` with load stats: the first entry strictly greater
    /// than `random % total`.
    fn pick(&self, random: i32) -> Option<u32> {
        let total = *self.cumulative_frequency.last()?;
        let weighted = random as u64 % total.max(1);
        let index = self
            .cumulative_frequency
            .partition_point(|&c| c <= weighted);
        self.partition_ids
            .get(index)
            .or(self.partition_ids.last())
            .copied()
    }
}

/// `BuiltInPartitioner.StickyPartitionInfo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StickyPartitionInfo {
    partition: u32,
    /// Java `int`; wraps like it.
    produced_bytes: i32,
}

/// Where keyless records go now, for the page to explain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StickyState {
    /// KIP-794: switch once `produced_bytes >= sticky_batch_size` and the partition's batches
    /// are all full, or unconditionally at `2 * sticky_batch_size`.
    BuiltIn {
        partition: u32,
        produced_bytes: u32,
        sticky_batch_size: u32,
    },
    /// KIP-480: switch when a record needs a new batch on this partition.
    OnNewBatch { partition: u32 },
}

impl StickyState {
    pub fn partition(&self) -> u32 {
        match *self {
            StickyState::BuiltIn { partition, .. } | StickyState::OnNewBatch { partition } => {
                partition
            }
        }
    }
}

impl fmt::Display for StickyState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            StickyState::BuiltIn {
                partition,
                produced_bytes,
                sticky_batch_size,
            } => write!(
                f,
                "sticky partition {partition}, {produced_bytes} of {sticky_batch_size} bytes \
                 produced before switching (at the latest after {})",
                sticky_batch_size.saturating_mul(2)
            ),
            StickyState::OnNewBatch { partition } => write!(
                f,
                "sticky partition {partition}, until a record needs a new batch there"
            ),
        }
    }
}

/// The producer's partitioner state for the one simulated topic.
#[derive(Clone, Debug)]
pub struct Partitioner {
    class: PartitionerClass,
    num_partitions: u32,
    /// `partitioner.ignore.keys`; only the built-in partitioner reads it.
    ignore_keys: bool,
    /// `KafkaProducer`: `partitioner == null && partitioner.adaptive.partitioning.enable`.
    adaptive: bool,
    availability_timeout_ms: u64,
    /// `max(1, batch.size)` (`KafkaProducer` constructor), as Java `int`.
    sticky_batch_size: i32,
    /// `Cluster.availablePartitionsForTopic`: partitions with a known leader, ascending.
    available: Vec<u32>,
    /// Built-in: `BuiltInPartitioner.stickyPartitionInfo`.
    sticky: Option<StickyPartitionInfo>,
    /// Built-in: `BuiltInPartitioner.partitionLoadStats`.
    load_stats: Option<PartitionLoadStats>,
    /// Built-in: how many times the sticky partition was (re)chosen after the first.
    sticky_switches: u64,
    /// KIP-480: `StickyPartitionCache.indexCache` for the topic.
    legacy_sticky: Option<u32>,
    /// `RoundRobinPartitioner.topicCounterMap` for the topic (Java `int`, wraps).
    round_robin_counter: i32,
    /// `RoundRobinPartitioner.onNewBatch` hand-off: the partition the next call returns.
    round_robin_pending: Option<u32>,
    /// Another client's partitioner, which then decides every record (`producer.client`).
    client: Option<ClientPartitioner>,
}

/// `Utils.toPositive(ThreadLocalRandom.current().nextInt())`.
fn random_partition(rng: &mut SimRng) -> i32 {
    to_positive(rng.next_u32() as i32)
}

/// `BuiltInPartitioner.updatePartitionLoadStats`: turn queue sizes into a cumulative
/// frequency table, or `None` when adaptive weighting is pointless. `queue_sizes.len()` is the
/// number of partitions that have a deque; `length` how many of them are not excluded.
fn load_stats_from_queue_sizes(
    queue_sizes: &[u32],
    partition_ids: &[u32],
    length: usize,
) -> Option<PartitionLoadStats> {
    let length = length.min(queue_sizes.len()).min(partition_ids.len());
    if length < 1 || queue_sizes.len() < 2 {
        return None;
    }
    let mut max_size_plus1 = queue_sizes[0] as u64;
    let mut all_equal = true;
    for &size in &queue_sizes[1..length] {
        let size = size as u64;
        if size != max_size_plus1 {
            all_equal = false;
        }
        max_size_plus1 = max_size_plus1.max(size);
    }
    max_size_plus1 += 1;
    // All the same and nothing excluded by partitioner.availability.timeout.ms: uniform.
    if all_equal && length == queue_sizes.len() {
        return None;
    }
    let mut running = 0u64;
    let cumulative_frequency = queue_sizes[..length]
        .iter()
        .map(|&size| {
            running += max_size_plus1 - size as u64;
            running
        })
        .collect();
    Some(PartitionLoadStats {
        cumulative_frequency,
        partition_ids: partition_ids[..length].to_vec(),
    })
}

impl Partitioner {
    /// A fresh partitioner for a topic of `num_partitions` partitions, all with a leader.
    pub fn new(config: &ProducerConfig, num_partitions: u32) -> Self {
        let class = config.partitioner_class;
        Partitioner {
            class,
            num_partitions,
            ignore_keys: config.partitioner_ignore_keys,
            adaptive: class == PartitionerClass::BuiltIn
                && config.partitioner_adaptive_partitioning_enable,
            availability_timeout_ms: config.partitioner_availability_timeout_ms,
            sticky_batch_size: config.batch_size.clamp(1, i32::MAX as u32) as i32,
            available: (0..num_partitions).collect(),
            sticky: None,
            load_stats: None,
            sticky_switches: 0,
            legacy_sticky: None,
            round_robin_counter: 0,
            round_robin_pending: None,
            client: ClientPartitioner::new(config),
        }
    }

    pub fn class(&self) -> PartitionerClass {
        self.class
    }

    pub fn num_partitions(&self) -> u32 {
        self.num_partitions
    }

    /// Partitions the partitioners may pick for records without a key: those with a leader.
    pub fn available_partitions(&self) -> &[u32] {
        &self.available
    }

    /// `KafkaProducer.doSend`: `abortOnNewBatch = partitioner != null`. When true, the
    /// accumulator must call `on_new_batch` and re-partition before opening a new batch.
    pub fn aborts_on_new_batch(&self) -> bool {
        match &self.client {
            Some(client) => client.aborts_on_new_batch(),
            None => self.class != PartitionerClass::BuiltIn,
        }
    }

    /// The partitioner of another client, when the producer is not Java's.
    pub fn client(&self) -> Option<&ClientPartitioner> {
        self.client.as_ref()
    }

    /// `send()` of a record at `now`, before `partition()`: another client's partitioner
    /// may count time (librdkafka) or bytes (franz-go).
    pub fn on_send(&mut self, now: SimTime, key: Option<&[u8]>, value_len: u32) {
        if let Some(client) = self.client.as_mut() {
            client.on_send(now, key, value_len);
        }
    }

    /// Fresh metadata: which partitions have a known leader (indexed by partition). Missing
    /// entries count as having one.
    pub fn update_metadata(&mut self, leader_known: &[bool]) {
        self.available = (0..self.num_partitions)
            .filter(|&p| leader_known.get(p as usize).copied().unwrap_or(true))
            .collect();
    }

    /// Chooses a partition (`KafkaProducer.partition`, then for keyless records
    /// `BuiltInPartitioner.peekCurrentPartitionInfo`).
    pub fn partition(
        &mut self,
        key: Option<&[u8]>,
        explicit: Option<u32>,
        rng: &mut SimRng,
    ) -> PartitionChoice {
        self.partition_by_backup(key, explicit, &[], rng)
    }

    /// [`Partitioner::partition`] given each partition's records sent and not yet
    /// acknowledged or failed (`backlog[partition]`, missing: none), which franz-go's
    /// partitioners read (`TopicBackupPartitioner.PartitionByBackup`,
    /// `pkg/kgo/partitioner.go`). The producer hands them over; the partitioner keeps none.
    pub fn partition_by_backup(
        &mut self,
        key: Option<&[u8]>,
        explicit: Option<u32>,
        backlog: &[u64],
        rng: &mut SimRng,
    ) -> PartitionChoice {
        if let Some(p) = explicit {
            return PartitionChoice::Explicit(p);
        }
        if let Some(client) = self.client.as_mut() {
            let (partition, keyed) =
                client.partition(key, &self.available, self.num_partitions, backlog, rng);
            return PartitionChoice::Client { partition, keyed };
        }
        match self.class {
            // A custom partitioner decides every record; partitioner.ignore.keys is not read.
            PartitionerClass::RoundRobin => PartitionChoice::RoundRobin(self.round_robin_next()),
            PartitionerClass::LegacySticky => match key {
                Some(k) => PartitionChoice::Keyed(key_partition(k, self.num_partitions)),
                None => PartitionChoice::Sticky {
                    partition: self.legacy_sticky_partition(rng),
                },
            },
            PartitionerClass::BuiltIn => match key {
                Some(k) if !self.ignore_keys => {
                    PartitionChoice::Keyed(key_partition(k, self.num_partitions))
                }
                _ => PartitionChoice::Sticky {
                    partition: self.peek_current_partition(rng),
                },
            },
        }
    }

    /// `RecordAccumulator.partitionChanged`, called with the chosen partition's deque at hand
    /// before appending: a switch that was held back while the last batch was not full happens
    /// once all batches are full. Returns true when the caller must call `partition()` again.
    pub fn partition_changed(
        &mut self,
        choice: &PartitionChoice,
        all_batches_full: bool,
        rng: &mut SimRng,
    ) -> bool {
        if !self.is_current_builtin_sticky(choice) {
            // isPartitionChanged: a stale sticky choice must be retried.
            return self.class == PartitionerClass::BuiltIn
                && matches!(choice, PartitionChoice::Sticky { .. });
        }
        if all_batches_full {
            let before = self.sticky_switches;
            self.update_partition_info(0, true, rng);
            return self.sticky_switches != before;
        }
        false
    }

    /// After a record was appended (`BuiltInPartitioner.updatePartitionInfo`).
    ///
    /// `appended_bytes` is `RecordAppendResult.appendedBytes`: the growth of the batch's
    /// `estimatedSizeInBytes()`, which for a record that opened a batch is that batch's whole
    /// estimated size (header included). `all_batches_full` is `allBatchesFull(deque)` after the
    /// append (the last batch is full, or there is none). Only built-in sticky choices count.
    pub fn on_append(
        &mut self,
        choice: &PartitionChoice,
        appended_bytes: u32,
        all_batches_full: bool,
        rng: &mut SimRng,
    ) {
        if self.is_current_builtin_sticky(choice) {
            let appended = appended_bytes.min(i32::MAX as u32) as i32;
            self.update_partition_info(appended, all_batches_full, rng);
        }
    }

    /// A record needed a new batch on `prev_partition` and a `partitioner.class` is set
    /// (`Partitioner.onNewBatch`); the caller then calls `partition()` again.
    pub fn on_new_batch(&mut self, prev_partition: u32, rng: &mut SimRng) {
        if let Some(client) = self.client.as_mut() {
            client.on_new_batch(&self.available);
            return;
        }
        match self.class {
            // StickyPartitionCache.nextPartition (KIP-480).
            PartitionerClass::LegacySticky => {
                self.legacy_next_partition(Some(prev_partition), rng);
            }
            // KAFKA-17632 (Kafka 4.0, backported to 3.9.2): the repeated partition() call
            // lands on the partition just chosen instead of skipping one (before the fix an
            // even partition count got records on only half its partitions, KAFKA-16283).
            // Modelled as a hand-off of `prev_partition` to the next call.
            PartitionerClass::RoundRobin => self.round_robin_pending = Some(prev_partition),
            // KafkaProducer never calls onNewBatch without a partitioner.class.
            PartitionerClass::BuiltIn => {}
        }
    }

    /// Fresh queue sizes and availability from `RecordAccumulator.ready`
    /// (`RecordAccumulator.partitionReady` + `BuiltInPartitioner.updatePartitionLoadStats`).
    pub fn update_load(&mut self, load: &PartitionLoad) {
        self.load_stats = self.collect_load_stats(load);
    }

    /// The current sticky partition, for the page to explain a keyless choice. `None` before
    /// the first keyless record and for `RoundRobinPartitioner`.
    pub fn sticky_state(&self) -> Option<StickyState> {
        match self.class {
            PartitionerClass::BuiltIn => self.sticky.map(|info| StickyState::BuiltIn {
                partition: info.partition,
                produced_bytes: info.produced_bytes.max(0) as u32,
                sticky_batch_size: self.sticky_batch_size as u32,
            }),
            PartitionerClass::LegacySticky => self
                .legacy_sticky
                .map(|partition| StickyState::OnNewBatch { partition }),
            PartitionerClass::RoundRobin => None,
        }
    }

    /// How many times the built-in partitioner switched its sticky partition.
    pub fn sticky_switches(&self) -> u64 {
        match &self.client {
            Some(client) => client.switches(),
            None => self.sticky_switches,
        }
    }

    /// The adaptive weights the next switch draws from, as `(partition, weight)` where weight
    /// is `max queue + 1 - queue`; `None` when the next switch is uniform over the available
    /// partitions.
    pub fn load_weights(&self) -> Option<Vec<(u32, u64)>> {
        let stats = self.load_stats.as_ref()?;
        let mut previous = 0;
        Some(
            stats
                .partition_ids
                .iter()
                .zip(&stats.cumulative_frequency)
                .map(|(&p, &c)| {
                    let weight = c - previous;
                    previous = c;
                    (p, weight)
                })
                .collect(),
        )
    }

    fn is_current_builtin_sticky(&self, choice: &PartitionChoice) -> bool {
        match (self.class, choice, self.sticky) {
            (PartitionerClass::BuiltIn, PartitionChoice::Sticky { partition }, Some(info)) => {
                info.partition == *partition
            }
            _ => false,
        }
    }

    /// `BuiltInPartitioner.peekCurrentPartitionInfo`.
    fn peek_current_partition(&mut self, rng: &mut SimRng) -> u32 {
        if let Some(info) = self.sticky {
            return info.partition;
        }
        let partition = self.next_partition(random_partition(rng));
        self.sticky = Some(StickyPartitionInfo {
            partition,
            produced_bytes: 0,
        });
        partition
    }

    /// `BuiltInPartitioner.nextPartition` for a given 31-bit random number.
    fn next_partition(&self, random: i32) -> u32 {
        if let Some(p) = self.load_stats.as_ref().and_then(|s| s.pick(random)) {
            return p;
        }
        if self.available.is_empty() {
            // No partition has a leader: pick among all partitions.
            random as u32 % self.num_partitions.max(1)
        } else {
            self.available[random as usize % self.available.len()]
        }
    }

    /// `BuiltInPartitioner.updatePartitionInfo`: count the bytes and maybe switch. The switch
    /// waits while the partition's last batch is not full (KAFKA-14156), but never past twice
    /// `batch.size`.
    fn update_partition_info(
        &mut self,
        appended_bytes: i32,
        enable_switch: bool,
        rng: &mut SimRng,
    ) {
        let Some(info) = self.sticky.as_mut() else {
            return;
        };
        info.produced_bytes = info.produced_bytes.wrapping_add(appended_bytes);
        let produced = info.produced_bytes;
        // Java int arithmetic, overflow included.
        let cap = self.sticky_batch_size.wrapping_mul(2);
        if (produced >= self.sticky_batch_size && enable_switch) || produced >= cap {
            let partition = self.next_partition(random_partition(rng));
            self.sticky = Some(StickyPartitionInfo {
                partition,
                produced_bytes: 0,
            });
            self.sticky_switches += 1;
        }
    }

    /// `RecordAccumulator.partitionReady`: collects queue sizes only once every partition has a
    /// deque, and (with `partitioner.availability.timeout.ms` > 0) leaves out partitions whose
    /// leader has had data ready but undrained for longer than that.
    fn collect_load_stats(&self, load: &PartitionLoad) -> Option<PartitionLoadStats> {
        if !self.adaptive {
            return None;
        }
        let partitions =
            &load.partitions[..load.partitions.len().min(self.num_partitions as usize)];
        let with_deque = partitions.iter().filter(|p| p.batches.is_some()).count();
        if with_deque < self.num_partitions as usize || with_deque == 0 {
            return None;
        }
        let mut queue_sizes = vec![0u32; with_deque];
        let mut partition_ids = vec![0u32; with_deque];
        // Java's queueSizesIndex, kept step for step: an excluded partition's slot is reused
        // by the next partition with a leader, and an empty deque leaves the slot as it was.
        let mut index: isize = -1;
        for (id, queue) in partitions.iter().enumerate() {
            let Some(batches) = queue.batches else {
                continue;
            };
            if queue.leader_known {
                index += 1;
                partition_ids[index as usize] = id as u32;
            }
            if batches == 0 || !queue.leader_known {
                continue;
            }
            queue_sizes[index as usize] = batches;
            if self.availability_timeout_ms > 0 {
                if let Some(undrained) = queue.leader_undrained_ms {
                    if undrained > self.availability_timeout_ms {
                        index -= 1;
                    }
                }
            }
        }
        load_stats_from_queue_sizes(&queue_sizes, &partition_ids, (index + 1) as usize)
    }

    /// `StickyPartitionCache.partition`.
    fn legacy_sticky_partition(&mut self, rng: &mut SimRng) -> u32 {
        match self.legacy_sticky {
            Some(p) => p,
            None => self.legacy_next_partition(None, rng),
        }
    }

    /// `StickyPartitionCache.nextPartition`: change only when there is no sticky partition yet
    /// or the batch that filled up was on it; never pick the same one when there is a choice.
    fn legacy_next_partition(&mut self, prev: Option<u32>, rng: &mut SimRng) -> u32 {
        let old = self.legacy_sticky;
        if old.is_none() || old == prev {
            let next = match self.available.len() {
                0 => random_partition(rng) as u32 % self.num_partitions.max(1),
                1 => self.available[0],
                n => {
                    // Kafka loops until it draws a different partition; the bound only keeps
                    // a pathological generator from spinning forever.
                    let mut pick = None;
                    for _ in 0..64 {
                        let candidate = self.available[random_partition(rng) as usize % n];
                        if Some(candidate) != old {
                            pick = Some(candidate);
                            break;
                        }
                    }
                    pick.unwrap_or_else(|| {
                        let at = self.available.iter().position(|&p| Some(p) == old);
                        self.available[at.map_or(0, |i| (i + 1) % n)]
                    })
                }
            };
            self.legacy_sticky = Some(next);
        }
        self.legacy_sticky.unwrap_or(0)
    }

    /// `RoundRobinPartitioner.partition`.
    fn round_robin_next(&mut self) -> u32 {
        if let Some(p) = self.round_robin_pending.take() {
            return p;
        }
        let next = to_positive(self.round_robin_counter) as u32;
        self.round_robin_counter = self.round_robin_counter.wrapping_add(1);
        if self.available.is_empty() {
            // No partition is available: give a non-available partition.
            next % self.num_partitions.max(1)
        } else {
            self.available[next as usize % self.available.len()]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ProducerConfig {
        ProducerConfig::default()
    }

    fn config_with(class: PartitionerClass) -> ProducerConfig {
        ProducerConfig {
            partitioner_class: class,
            ..ProducerConfig::default()
        }
    }

    /// Every partition has a deque with these many batches and a leader that drains.
    fn load(queues: &[u32]) -> PartitionLoad {
        PartitionLoad {
            partitions: queues
                .iter()
                .map(|&q| PartitionQueue {
                    batches: Some(q),
                    leader_known: true,
                    leader_undrained_ms: Some(0),
                })
                .collect(),
        }
    }

    /// `Utils.murmur2` vectors from Kafka's `UtilsTest.testMurmur2`.
    #[test]
    fn murmur2_matches_kafka_utils_test() {
        let cases: [(&[u8], i32); 6] = [
            (b"21", -973932308),
            (b"foobar", -790332482),
            (b"a-little-bit-long-string", -985981536),
            (b"a-little-bit-longer-string", -1486304829),
            (
                b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58897971,
            ),
            (b"abc", 479470107),
        ];
        for (key, expected) in cases {
            assert_eq!(
                murmur2(key),
                expected,
                "key {:?}",
                String::from_utf8_lossy(key)
            );
        }
    }

    /// librdkafka `src/rdmurmur2.c` `unittest_murmur2` (validated there against Java).
    #[test]
    fn murmur2_matches_librdkafka_vectors() {
        let unaligned: &[u8] = b"PreAmbleWillBeRemoved,ThePrePartThatIs";
        let cases: [(&[u8], u32); 11] = [
            (b"kafka", 0xd067cf64),
            (b"giberish123456789", 0x8f552b0c),
            (b"1234", 0x9fc97b14),
            (b"234", 0xe7c009ca),
            (b"34", 0x873930da),
            (b"4", 0x5a4b5ca1),
            (unaligned, 0x78424f1c),
            (&unaligned[1..], 0x4a62b377),
            (&unaligned[2..], 0xe0e4e09e),
            (&unaligned[3..], 0x62b8b43f),
            (b"", 0x106e08d9),
        ];
        for (key, expected) in cases {
            assert_eq!(
                murmur2(key) as u32,
                expected,
                "key {:?}",
                String::from_utf8_lossy(key)
            );
        }
    }

    #[test]
    fn to_positive_masks_the_sign_bit() {
        assert_eq!(to_positive(-1), 0x7fff_ffff);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(-973932308), 1173551340);
        assert_eq!(to_positive(479470107), 479470107);
    }

    /// Partitions worked out by hand from the published hashes:
    /// `(hash & 0x7fffffff) % n`.
    #[test]
    fn key_partitions_for_several_partition_counts() {
        let counts = [1u32, 2, 3, 6, 10, 12, 100];
        let cases: [(&[u8], [u32; 7]); 7] = [
            (b"21", [0, 0, 0, 0, 0, 0, 40]),
            (b"foobar", [0, 0, 0, 0, 6, 6, 66]),
            (b"a-little-bit-longer-string", [0, 1, 2, 5, 9, 11, 19]),
            (b"abc", [0, 1, 0, 3, 7, 3, 7]),
            (b"kafka", [0, 0, 1, 4, 0, 4, 80]),
            (b"giberish123456789", [0, 0, 2, 2, 0, 8, 20]),
            (b"", [0, 1, 0, 3, 1, 9, 81]),
        ];
        for (key, expected) in cases {
            for (&n, &want) in counts.iter().zip(&expected) {
                let steps = key_partition(key, n);
                assert_eq!(steps.partition, want, "key {key:?}, {n} partitions");
                assert_eq!(steps.positive, to_positive(steps.murmur2));
                assert_eq!(steps.num_partitions, n);
            }
        }
    }

    #[test]
    fn zero_partitions_do_not_panic() {
        assert_eq!(key_partition(b"abc", 0).partition, 0);
        let mut rng = SimRng::new(1);
        for class in [
            PartitionerClass::BuiltIn,
            PartitionerClass::RoundRobin,
            PartitionerClass::LegacySticky,
        ] {
            let mut p = Partitioner::new(&config_with(class), 0);
            for _ in 0..10 {
                let choice = p.partition(None, None, &mut rng);
                assert_eq!(choice.partition(), 0);
                p.on_new_batch(choice.partition(), &mut rng);
                p.on_append(&choice, 20_000, true, &mut rng);
                p.update_load(&load(&[3, 1]));
            }
        }
    }

    #[test]
    fn keyed_records_are_deterministic_and_ignore_availability() {
        let mut a = Partitioner::new(&config(), 6);
        let mut b = Partitioner::new(&config(), 6);
        let mut rng_a = SimRng::new(1);
        let mut rng_b = SimRng::new(99);
        // numPartitions counts all partitions: a key maps to its partition even without a leader.
        b.update_metadata(&[true, true, true, true, false, true]);
        for key in [&b"kafka"[..], b"21", b"abc", b""] {
            let expected = key_partition(key, 6);
            for _ in 0..3 {
                assert_eq!(
                    a.partition(Some(key), None, &mut rng_a),
                    PartitionChoice::Keyed(expected)
                );
                assert_eq!(
                    b.partition(Some(key), None, &mut rng_b),
                    PartitionChoice::Keyed(expected)
                );
            }
        }
        assert_eq!(b.partition(Some(b"kafka"), None, &mut rng_b).partition(), 4);
    }

    #[test]
    fn empty_key_is_hashed_null_key_is_not() {
        let mut p = Partitioner::new(&config(), 12);
        let mut rng = SimRng::new(3);
        assert_eq!(p.partition(Some(b""), None, &mut rng).partition(), 9);
        assert!(matches!(
            p.partition(Some(b""), None, &mut rng),
            PartitionChoice::Keyed(_)
        ));
        assert!(matches!(
            p.partition(None, None, &mut rng),
            PartitionChoice::Sticky { .. }
        ));
    }

    #[test]
    fn explicit_partition_is_honoured_by_every_partitioner() {
        let mut rng = SimRng::new(5);
        for class in [
            PartitionerClass::BuiltIn,
            PartitionerClass::RoundRobin,
            PartitionerClass::LegacySticky,
        ] {
            let mut p = Partitioner::new(&config_with(class), 6);
            assert_eq!(
                p.partition(Some(b"kafka"), Some(2), &mut rng),
                PartitionChoice::Explicit(2)
            );
            assert_eq!(
                p.partition(None, Some(5), &mut rng),
                PartitionChoice::Explicit(5)
            );
        }
        // An explicit record appended to the sticky partition does not count toward the switch.
        let mut p = Partitioner::new(&config(), 3);
        let sticky = p.partition(None, None, &mut rng);
        let explicit = p.partition(None, Some(sticky.partition()), &mut rng);
        p.on_append(&explicit, 50_000, true, &mut rng);
        assert_eq!(p.sticky_switches(), 0);
    }

    #[test]
    fn ignore_keys_makes_keyed_records_sticky() {
        let cfg = ProducerConfig {
            partitioner_ignore_keys: true,
            ..config()
        };
        let mut p = Partitioner::new(&cfg, 6);
        let mut rng = SimRng::new(11);
        let first = p.partition(Some(b"kafka"), None, &mut rng);
        assert!(matches!(first, PartitionChoice::Sticky { .. }));
        for key in [&b"21"[..], b"abc", b"foobar"] {
            assert_eq!(p.partition(Some(key), None, &mut rng), first);
        }
        // Keys are sticky too, so their bytes count toward the switch.
        p.on_append(&first, 16_384, true, &mut rng);
        assert_eq!(p.sticky_switches(), 1);
        // A custom partitioner does not read partitioner.ignore.keys.
        let cfg = ProducerConfig {
            partitioner_ignore_keys: true,
            ..config_with(PartitionerClass::LegacySticky)
        };
        let mut legacy = Partitioner::new(&cfg, 6);
        assert_eq!(
            legacy.partition(Some(b"kafka"), None, &mut rng),
            PartitionChoice::Keyed(key_partition(b"kafka", 6))
        );
    }

    /// Appends `record_bytes` keyless records until the sticky partition switches; returns how
    /// many records the run held.
    fn run_length(
        p: &mut Partitioner,
        record_bytes: u32,
        all_batches_full: bool,
        rng: &mut SimRng,
    ) -> u32 {
        let switches = p.sticky_switches();
        let mut records = 0;
        while p.sticky_switches() == switches {
            let choice = p.partition(None, None, rng);
            p.on_append(&choice, record_bytes, all_batches_full, rng);
            records += 1;
            assert!(records < 1_000_000);
        }
        records
    }

    /// KIP-794: switch once batch.size bytes were produced to the sticky partition.
    #[test]
    fn builtin_sticky_switches_after_batch_size_bytes() {
        let mut p = Partitioner::new(&config(), 3);
        let mut rng = SimRng::new(42);
        // 82 * 200 = 16400 >= 16384 > 81 * 200.
        for _ in 0..20 {
            let first = p.partition(None, None, &mut rng);
            for i in 0..81 {
                let choice = p.partition(None, None, &mut rng);
                assert_eq!(choice, first, "record {i} left the sticky partition");
                p.on_append(&choice, 200, true, &mut rng);
            }
            assert_eq!(
                p.sticky_state(),
                Some(StickyState::BuiltIn {
                    partition: first.partition(),
                    produced_bytes: 16_200,
                    sticky_batch_size: 16_384
                })
            );
            let switches = p.sticky_switches();
            p.on_append(&first, 200, true, &mut rng);
            assert_eq!(p.sticky_switches(), switches + 1);
            assert!(matches!(
                p.sticky_state(),
                Some(StickyState::BuiltIn {
                    produced_bytes: 0,
                    ..
                })
            ));
        }
    }

    /// KAFKA-14156: while the last batch is not full the switch waits, up to 2x batch.size.
    #[test]
    fn builtin_switch_waits_for_full_batch_but_not_past_twice_batch_size() {
        let mut p = Partitioner::new(&config(), 3);
        let mut rng = SimRng::new(7);
        // 164 * 200 = 32800 >= 32768 > 163 * 200.
        for _ in 0..10 {
            assert_eq!(run_length(&mut p, 200, false, &mut rng), 164);
        }
        // A switch held back completes as soon as the partition's batches are all full.
        let choice = p.partition(None, None, &mut rng);
        for _ in 0..100 {
            p.on_append(&choice, 200, false, &mut rng);
        }
        assert_eq!(p.partition(None, None, &mut rng), choice);
        assert!(!p.partition_changed(&choice, false, &mut rng));
        let switches = p.sticky_switches();
        assert!(p.partition_changed(&choice, true, &mut rng));
        assert_eq!(p.sticky_switches(), switches + 1);
        // A stale choice must be retried (unless the draw landed on the same partition).
        if p.partition(None, None, &mut rng) != choice {
            assert!(p.partition_changed(&choice, false, &mut rng));
        }
        // Below batch.size nothing changes even with full batches.
        let fresh = p.partition(None, None, &mut rng);
        p.on_append(&fresh, 100, true, &mut rng);
        assert!(!p.partition_changed(&fresh, true, &mut rng));
    }

    /// Both thresholds are inclusive: `producedBytes >= stickyBatchSize` and `>= 2x`.
    #[test]
    fn switch_thresholds_are_inclusive() {
        let mut p = Partitioner::new(&config(), 3);
        let mut rng = SimRng::new(31);
        for _ in 0..5 {
            assert_eq!(run_length(&mut p, 4096, true, &mut rng), 4);
            assert_eq!(run_length(&mut p, 4096, false, &mut rng), 8);
        }
    }

    #[test]
    fn batch_size_zero_means_a_sticky_batch_of_one_byte() {
        let cfg = ProducerConfig {
            batch_size: 0,
            ..config()
        };
        let mut p = Partitioner::new(&cfg, 3);
        let mut rng = SimRng::new(1);
        for _ in 0..10 {
            assert_eq!(run_length(&mut p, 1, true, &mut rng), 1);
        }
    }

    /// Pearson's chi-square statistic against a uniform spread.
    fn chi_square(counts: &[u64]) -> f64 {
        let total: u64 = counts.iter().sum();
        let expected = total as f64 / counts.len() as f64;
        counts
            .iter()
            .map(|&c| (c as f64 - expected).powi(2) / expected)
            .sum()
    }

    #[test]
    fn builtin_switches_spread_uniformly_over_available_partitions() {
        for partitions in [3u32, 6] {
            let mut p = Partitioner::new(&config(), partitions);
            let mut rng = SimRng::new(2024);
            let mut runs = vec![0u64; partitions as usize];
            for _ in 0..6000 {
                let choice = p.partition(None, None, &mut rng);
                runs[choice.partition() as usize] += 1;
                run_length(&mut p, 1000, true, &mut rng);
            }
            assert!(runs.iter().all(|&r| r > 0));
            // 99.9% quantile of chi-square: 13.8 (2 degrees of freedom), 20.5 (5).
            let bound = if partitions == 3 { 13.8 } else { 20.5 };
            let stat = chi_square(&runs);
            assert!(
                stat < bound,
                "{partitions} partitions: {runs:?}, chi2 {stat}"
            );
        }
    }

    /// `BuiltInPartitioner`'s own worked example: queue sizes 0 3 1 give the table 4 5 8.
    #[test]
    fn cumulative_frequency_table_worked_example() {
        let stats = load_stats_from_queue_sizes(&[0, 3, 1], &[0, 1, 2], 3).unwrap();
        assert_eq!(stats.cumulative_frequency, vec![4, 5, 8]);
        let picks: Vec<u32> = (0..8).map(|r| stats.pick(r).unwrap()).collect();
        assert_eq!(picks, vec![0, 0, 0, 0, 1, 2, 2, 2]);
        assert_eq!(stats.pick(8), Some(0));
        // All equal and nothing excluded: uniform, no table.
        assert_eq!(load_stats_from_queue_sizes(&[2, 2, 2], &[0, 1, 2], 3), None);
        // All equal but one excluded: still weighted (over the rest).
        let excluded = load_stats_from_queue_sizes(&[2, 2, 2], &[0, 2, 1], 2).unwrap();
        assert_eq!(excluded.partition_ids, vec![0, 2]);
        // Fewer than 2 partitions, or none left: no table.
        assert_eq!(load_stats_from_queue_sizes(&[4], &[0], 1), None);
        assert_eq!(load_stats_from_queue_sizes(&[4, 1], &[0, 1], 0), None);
    }

    /// `BuiltInPartitionerTest.adaptivePartitionsTest`: with a sequential "random" number,
    /// partition i is chosen `max + 1 - queue[i]` times per cycle.
    #[test]
    fn adaptive_frequencies_follow_kafka_test() {
        let queues = [5u32, 0, 3, 0, 1];
        let mut p = Partitioner::new(&config(), 5);
        p.update_load(&load(&queues));
        let total: u64 = p.load_weights().unwrap().iter().map(|&(_, w)| w).sum();
        assert_eq!(total, 21);
        let mut frequencies = [0u32; 5];
        for random in 0..(2 * total as i32) {
            frequencies[p.next_partition(random) as usize] += 1;
        }
        let expected: Vec<u32> = queues.iter().map(|&q| 2 * (6 - q)).collect();
        assert_eq!(frequencies.to_vec(), expected);
    }

    #[test]
    fn adaptive_weighting_prefers_short_queues() {
        let mut p = Partitioner::new(&config(), 3);
        let mut rng = SimRng::new(9);
        p.update_load(&load(&[0, 4, 4]));
        assert_eq!(p.load_weights(), Some(vec![(0, 5), (1, 1), (2, 1)]));
        let mut runs = [0u64; 3];
        for _ in 0..7000 {
            let choice = p.partition(None, None, &mut rng);
            runs[choice.partition() as usize] += 1;
            run_length(&mut p, 16_384, true, &mut rng);
        }
        // Expected 5000 / 1000 / 1000.
        assert!((4700..5300).contains(&runs[0]), "{runs:?}");
        assert!((850..1150).contains(&runs[1]), "{runs:?}");
        assert!((850..1150).contains(&runs[2]), "{runs:?}");
    }

    #[test]
    fn adaptive_needs_config_builtin_and_a_deque_for_every_partition() {
        let off = ProducerConfig {
            partitioner_adaptive_partitioning_enable: false,
            ..config()
        };
        let mut p = Partitioner::new(&off, 3);
        p.update_load(&load(&[0, 4, 4]));
        assert_eq!(p.load_weights(), None);

        let mut p = Partitioner::new(&config_with(PartitionerClass::LegacySticky), 3);
        p.update_load(&load(&[0, 4, 4]));
        assert_eq!(p.load_weights(), None);

        // Partition 2 never had a deque: uniform until it does.
        let mut p = Partitioner::new(&config(), 3);
        let mut partial = load(&[0, 4, 4]);
        partial.partitions[2].batches = None;
        p.update_load(&partial);
        assert_eq!(p.load_weights(), None);
        p.update_load(&load(&[0, 4, 4]));
        assert!(p.load_weights().is_some());
        // A load without queue differences turns weighting off again.
        p.update_load(&load(&[1, 1, 1]));
        assert_eq!(p.load_weights(), None);
    }

    #[test]
    fn partitions_without_leader_are_never_picked_for_keyless_records() {
        let mut rng = SimRng::new(13);
        let mut p = Partitioner::new(&config(), 3);
        p.update_metadata(&[true, false, true]);
        assert_eq!(p.available_partitions(), &[0, 2]);
        let mut runs = [0u64; 3];
        for _ in 0..1000 {
            runs[p.partition(None, None, &mut rng).partition() as usize] += 1;
            run_length(&mut p, 16_384, true, &mut rng);
        }
        assert_eq!(runs[1], 0);
        assert!(runs[0] > 400 && runs[2] > 400, "{runs:?}");

        // Adaptive: a partition without leader is left out of the table.
        let mut leaderless = load(&[0, 0, 3]);
        leaderless.partitions[1].leader_known = false;
        p.update_load(&leaderless);
        assert_eq!(p.load_weights(), Some(vec![(0, 4), (2, 1)]));

        // No partition has a leader: Kafka falls back to any partition.
        p.update_metadata(&[false, false, false]);
        p.update_load(&PartitionLoad::default());
        let mut seen = [false; 3];
        for _ in 0..200 {
            seen[p.partition(None, None, &mut rng).partition() as usize] = true;
            run_length(&mut p, 16_384, true, &mut rng);
        }
        assert_eq!(seen, [true, true, true]);
    }

    #[test]
    fn availability_timeout_excludes_slow_leaders() {
        let cfg = ProducerConfig {
            partitioner_availability_timeout_ms: 50,
            ..config()
        };
        let mut p = Partitioner::new(&cfg, 3);
        let mut slow = load(&[1, 1, 1]);
        slow.partitions[1].leader_undrained_ms = Some(51);
        p.update_load(&slow);
        assert_eq!(p.load_weights(), Some(vec![(0, 1), (2, 1)]));
        let mut rng = SimRng::new(17);
        for _ in 0..300 {
            assert_ne!(p.partition(None, None, &mut rng).partition(), 1);
            run_length(&mut p, 16_384, true, &mut rng);
        }
        // Exactly at the timeout, or an empty deque, is not excluded.
        slow.partitions[1].leader_undrained_ms = Some(50);
        p.update_load(&slow);
        assert_eq!(p.load_weights(), None);
        // Off (0, the default): never excluded.
        let mut off = Partitioner::new(&config(), 3);
        slow.partitions[1].leader_undrained_ms = Some(1_000_000);
        off.update_load(&slow);
        assert_eq!(off.load_weights(), None);
    }

    /// `partitionReady` reuses an excluded partition's slot: the next partition whose deque is
    /// empty inherits the excluded one's queue size.
    #[test]
    fn excluded_slot_reuse_matches_partition_ready() {
        let cfg = ProducerConfig {
            partitioner_availability_timeout_ms: 10,
            ..config()
        };
        let mut p = Partitioner::new(&cfg, 3);
        let mut quirk = load(&[0, 3, 0]);
        quirk.partitions[1].leader_undrained_ms = Some(11);
        p.update_load(&quirk);
        // Partition 2 carries partition 1's size of 3: weights 4 and 1.
        assert_eq!(p.load_weights(), Some(vec![(0, 4), (2, 1)]));
    }

    /// KIP-480: the sticky partition changes only when a batch on it is full.
    #[test]
    fn legacy_sticky_switches_on_new_batch_only() {
        let mut p = Partitioner::new(&config_with(PartitionerClass::LegacySticky), 4);
        assert!(p.aborts_on_new_batch());
        let mut rng = SimRng::new(21);
        let mut sticky = p.partition(None, None, &mut rng).partition();
        let mut runs = [0u64; 4];
        for _ in 0..2000 {
            for _ in 0..50 {
                let choice = p.partition(None, None, &mut rng);
                assert_eq!(choice, PartitionChoice::Sticky { partition: sticky });
                // Bytes never switch it.
                p.on_append(&choice, 1_000_000, true, &mut rng);
            }
            // A new batch on another partition (a keyed record) does not switch it.
            p.on_new_batch((sticky + 1) % 4, &mut rng);
            assert_eq!(
                p.sticky_state(),
                Some(StickyState::OnNewBatch { partition: sticky })
            );
            // A new batch on the sticky partition does, always to a different one.
            p.on_new_batch(sticky, &mut rng);
            let next = p.partition(None, None, &mut rng).partition();
            assert_ne!(next, sticky);
            runs[next as usize] += 1;
            sticky = next;
        }
        assert!(chi_square(&runs) < 16.3, "{runs:?}");

        // Only one available partition: it stays there.
        p.update_metadata(&[false, false, true, false]);
        p.on_new_batch(sticky, &mut rng);
        let only = p.partition(None, None, &mut rng).partition();
        assert_eq!(only, 2);
        p.on_new_batch(2, &mut rng);
        assert_eq!(p.partition(None, None, &mut rng).partition(), 2);
    }

    #[test]
    fn round_robin_cycles_over_available_partitions_and_ignores_keys() {
        let mut p = Partitioner::new(&config_with(PartitionerClass::RoundRobin), 3);
        let mut rng = SimRng::new(0);
        let picks: Vec<u32> = (0..7)
            .map(|i| {
                let key = (i % 2 == 0).then_some(&b"kafka"[..]);
                p.partition(key, None, &mut rng).partition()
            })
            .collect();
        assert_eq!(picks, vec![0, 1, 2, 0, 1, 2, 0]);
        assert_eq!(p.sticky_state(), None);

        // The counter indexes the list of available partitions.
        let mut p = Partitioner::new(&config_with(PartitionerClass::RoundRobin), 4);
        p.update_metadata(&[true, false, true, true]);
        let picks: Vec<u32> = (0..6)
            .map(|_| p.partition(None, None, &mut rng).partition())
            .collect();
        assert_eq!(picks, vec![0, 2, 3, 0, 2, 3]);
        // None available: counter over all partitions (counter is at 6 now).
        p.update_metadata(&[false; 4]);
        assert_eq!(p.partition(None, None, &mut rng).partition(), 2);
    }

    /// KAFKA-16283 / KAFKA-17632: a record that opens a new batch is partitioned twice; the
    /// second call must not skip a partition, or an even partition count gets only half.
    #[test]
    fn round_robin_new_batch_does_not_skip_partitions() {
        let mut p = Partitioner::new(&config_with(PartitionerClass::RoundRobin), 4);
        let mut rng = SimRng::new(0);
        let mut picks = Vec::new();
        for _ in 0..8 {
            // Every record opens a new batch (linger.ms=0, each batch drained at once).
            let first = p.partition(None, None, &mut rng).partition();
            p.on_new_batch(first, &mut rng);
            let second = p.partition(None, None, &mut rng).partition();
            assert_eq!(second, first);
            picks.push(second);
        }
        assert_eq!(picks, vec![0, 1, 2, 3, 0, 1, 2, 3]);
    }

    #[test]
    fn builtin_does_not_react_to_on_new_batch() {
        let mut p = Partitioner::new(&config(), 3);
        assert!(!p.aborts_on_new_batch());
        let mut rng = SimRng::new(4);
        let first = p.partition(None, None, &mut rng);
        for _ in 0..100 {
            p.on_new_batch(first.partition(), &mut rng);
            assert_eq!(p.partition(None, None, &mut rng), first);
        }
    }

    #[test]
    fn same_seed_same_choices() {
        let run = |seed| {
            let mut p = Partitioner::new(&config(), 6);
            let mut rng = SimRng::new(seed);
            let mut out = Vec::new();
            for i in 0..20_000u32 {
                if i % 5000 == 0 {
                    p.update_load(&load(&[i % 3, 1, 2, 0, 1, 4]));
                }
                let choice = p.partition(None, None, &mut rng);
                p.on_append(&choice, 150 + i % 100, i % 7 != 0, &mut rng);
                out.push(choice.partition());
            }
            out
        };
        assert_eq!(run(77), run(77));
        assert_ne!(run(77), run(78));
    }

    #[test]
    fn sticky_state_explains_the_keyless_choice() {
        let mut p = Partitioner::new(&config(), 3);
        let mut rng = SimRng::new(8);
        assert_eq!(p.sticky_state(), None);
        let choice = p.partition(None, None, &mut rng);
        p.on_append(&choice, 9216, true, &mut rng);
        let state = p.sticky_state().unwrap();
        assert_eq!(state.partition(), choice.partition());
        assert_eq!(
            state.to_string(),
            format!(
                "sticky partition {}, 9216 of 16384 bytes produced before switching \
                 (at the latest after 32768)",
                choice.partition()
            )
        );
    }
}
