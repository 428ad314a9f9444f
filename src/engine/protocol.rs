//! What the producer and the brokers say to each other. The producer (sender.rs,
//! accumulator.rs, idempotence.rs) and the cluster (cluster.rs, replication.rs) meet only
//! through these messages, which the world (sim.rs) carries over the simulated network:
//! a produce request's batches, the partition leaders of a metadata response, and the
//! outcome of a connection attempt. Responses carry Kafka's error codes (`KafkaError`).

/// One batch of a produce request, as the broker sees it (a `RecordBatch` header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchMeta {
    pub partition: u32,
    pub batch: u64,
    pub records: u32,
    pub size_in_bytes: u32,
    pub base_sequence: Option<i32>,
    /// The idempotent producer's epoch (with a sequence).
    pub producer_epoch: u16,
}

/// A metadata response (`MetadataResponse`): the leader of each partition, as the
/// answering broker knows it (None: the partition is offline, LEADER_NOT_AVAILABLE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataResponse {
    pub leaders: Vec<Option<u32>>,
}
