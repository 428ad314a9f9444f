//! What the producer and the brokers say to each other, and what brokers say to each
//! other. The producer (sender.rs, accumulator.rs, idempotence.rs) and the cluster
//! (cluster.rs, replication.rs) meet only through these messages, which the world
//! (sim.rs) carries over the simulated network: a produce request's batches, the
//! partition leaders of a metadata response, the outcome of a connection attempt and
//! of its `ApiVersionsRequest`, and the producer id of an `InitProducerIdRequest`.
//! Followers replicate with fetch requests and responses, carried the same way.
//! Responses carry Kafka's error codes (`KafkaError`).

use crate::engine::config::Acks;
use crate::engine::log::LogEntry;
use crate::engine::time::SimDuration;

/// A produce request (`ProduceRequest`): its id, the producer's connection it came on,
/// acks, the time the leader may hold it waiting for the ISR (`timeoutMs`, the
/// producer's request.timeout.ms) and its batches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProduceRequest {
    pub id: u64,
    pub conn: u64,
    pub acks: Acks,
    pub timeout: SimDuration,
    pub batches: Vec<BatchMeta>,
}

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

/// A metadata request (`MetadataRequest` as `ProducerMetadata` builds it): its id, and
/// whether it names the topic. The producer adds the topic with its first send()
/// (`ProducerMetadata.add`); before that, its bootstrap request asks for no topic and
/// learns only the brokers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MetadataRequest {
    pub id: u64,
    pub topic: bool,
}

/// A metadata response (`MetadataResponse`): the leader of each partition, as the
/// answering broker knows it (None: the partition is offline, LEADER_NOT_AVAILABLE).
/// Empty when the request named no topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataResponse {
    pub leaders: Vec<Option<u32>>,
}

/// The answer to an idempotent producer's `InitProducerIdRequest` (without a
/// transactional id): a new producer id, at epoch 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InitProducerIdResponse {
    pub producer_id: u64,
    pub producer_epoch: u16,
}

/// A follower's fetch (`FetchRequest` as `ReplicaFetcherThread` builds it): the
/// follower's replica id, the partition, and the offset it fetches from (its log end
/// offset, which tells the leader how far it has replicated). `session` numbers the
/// follower's fetches: only its latest one counts, so the answer to a fetch of an
/// abandoned fetch loop (after an election or a restart) is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchRequest {
    pub replica_id: u32,
    pub partition: u32,
    pub fetch_offset: u64,
    pub session: u64,
}

/// The leader's answer to a fetch (`FetchResponse`): the record batches from the fetch
/// offset on, each with the leader epoch it was appended in (`partitionLeaderEpoch`),
/// for the follower `replica_id` to append.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchResponse {
    pub replica_id: u32,
    pub partition: u32,
    pub records: Vec<LogEntry>,
    pub session: u64,
}

/// `DefaultRecordBatch.incrementSequence`: sequences wrap from Integer.MAX_VALUE to 0.
pub fn increment_sequence(sequence: i32, increment: u32) -> i32 {
    let increment = i64::from(increment);
    let next = i64::from(sequence) + increment;
    if next > i64::from(i32::MAX) {
        (next - i64::from(i32::MAX) - 1) as i32
    } else {
        next as i32
    }
}

/// `DefaultRecordBatch.lastSequence`: the sequence of a batch's last record.
pub fn last_sequence(base_sequence: i32, records: u32) -> i32 {
    increment_sequence(base_sequence, records.saturating_sub(1))
}

/// `ProducerAppendInfo.inSequence`: `nextSeq == lastSeq + 1`, or 0 after
/// Integer.MAX_VALUE.
pub fn in_sequence(last: i32, next: i32) -> bool {
    i64::from(next) == i64::from(last) + 1 || (next == 0 && last == i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_wrap_at_integer_max_value() {
        // DefaultRecordBatch.incrementSequence and ProducerAppendInfo.inSequence.
        assert_eq!(increment_sequence(5, 10), 15);
        assert_eq!(increment_sequence(i32::MAX, 1), 0);
        assert_eq!(increment_sequence(i32::MAX - 2, 5), 2);
        assert_eq!(last_sequence(i32::MAX - 1, 3), 0);
        assert!(in_sequence(i32::MAX, 0));
        assert!(in_sequence(41, 42));
        assert!(!in_sequence(41, 43));
    }
}
