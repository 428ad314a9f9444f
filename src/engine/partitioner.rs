//! Which partition a record goes to.
//!
//! STUB: the partitioner helper implements this file (API below is the contract).

use super::config::ProducerConfig;
use super::rng::SimRng;
use serde::{Deserialize, Serialize};

/// Kafka's murmur2 (`Utils.murmur2`), as a signed 32-bit value.
pub fn murmur2(key: &[u8]) -> i32 {
    let _ = key;
    0
}

/// `Utils.toPositive`: `n & 0x7fffffff`.
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

/// `BuiltInPartitioner.partitionForKey`.
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
    /// Keyless (or keys ignored): the current sticky partition.
    Sticky { partition: u32 },
    /// `RoundRobinPartitioner`.
    RoundRobin(u32),
}

impl PartitionChoice {
    pub fn partition(&self) -> u32 {
        match *self {
            PartitionChoice::Explicit(p) | PartitionChoice::RoundRobin(p) => p,
            PartitionChoice::Keyed(s) => s.partition,
            PartitionChoice::Sticky { partition } => partition,
        }
    }
}

/// What the producer knows of each partition when choosing (fed from `RecordAccumulator.ready`).
#[derive(Clone, Debug, Default)]
pub struct PartitionLoad {
    /// Batches queued per partition, indexed by partition.
    pub queue_sizes: Vec<u32>,
    /// Whether each partition has a known leader and is not excluded by
    /// `partitioner.availability.timeout.ms`.
    pub available: Vec<bool>,
}

/// The producer's partitioner state.
#[derive(Clone, Debug)]
pub struct Partitioner {
    num_partitions: u32,
}

impl Partitioner {
    pub fn new(config: &ProducerConfig, num_partitions: u32) -> Self {
        let _ = config;
        Partitioner { num_partitions }
    }

    /// Chooses a partition (`KafkaProducer.partition`).
    pub fn partition(
        &mut self,
        key: Option<&[u8]>,
        explicit: Option<u32>,
        rng: &mut SimRng,
    ) -> PartitionChoice {
        let _ = rng;
        if let Some(p) = explicit {
            return PartitionChoice::Explicit(p);
        }
        match key {
            Some(k) => PartitionChoice::Keyed(key_partition(k, self.num_partitions)),
            None => PartitionChoice::Sticky { partition: 0 },
        }
    }

    /// After a keyless record was appended (`BuiltInPartitioner.updatePartitionInfo`).
    pub fn on_append(
        &mut self,
        partition: u32,
        appended_bytes: u32,
        enable_switch: bool,
        rng: &mut SimRng,
    ) {
        let _ = (partition, appended_bytes, enable_switch, rng);
    }

    /// A keyless record needed a new batch (KIP-480 `onNewBatch`).
    pub fn on_new_batch(&mut self, partition: u32, rng: &mut SimRng) {
        let _ = (partition, rng);
    }

    /// Fresh queue sizes and availability (`RecordAccumulator.ready`).
    pub fn update_load(&mut self, load: &PartitionLoad) {
        let _ = load;
    }
}
