//! What happened in the simulated world, in order, for the UI to animate and tests to read.

use super::fault::Fault;
use super::time::SimTime;
use serde::{Deserialize, Serialize};

/// Kafka protocol errors the simulation produces (`common/protocol/Errors.java`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KafkaError {
    /// Code 6, retriable: the broker is not the partition's leader.
    NotLeaderOrFollower,
    /// Code 7, retriable: no answer within `request.timeout.ms`.
    RequestTimedOut,
    /// Code 19, retriable: the ISR is smaller than `min.insync.replicas`.
    NotEnoughReplicas,
    /// Code 20, retriable: the ISR shrank below `min.insync.replicas` after the append.
    NotEnoughReplicasAfterAppend,
    /// Code 45, retriable for the idempotent producer: a gap in sequence numbers.
    OutOfOrderSequenceNumber,
    /// Code 47: a batch from an older producer epoch than the partition has seen
    /// (`InvalidProducerEpochException`, not retriable).
    InvalidProducerEpoch,
    /// Code 10: a batch larger than `max.request.size` / `max.message.bytes`.
    MessageTooLarge,
    /// Client side: `delivery.timeout.ms` passed before the batch was acknowledged.
    DeliveryTimeout,
    /// Client side: the connection to the broker was lost (`NetworkException`, code 13).
    NetworkException,
    /// Client side: `max.block.ms` passed waiting for `buffer.memory`.
    BufferExhausted,
    /// Client side: `max.block.ms` passed before the topic's metadata arrived
    /// (`KafkaProducer.waitOnMetadata`: "Topic ... not present in metadata after ... ms").
    TopicNotInMetadata,
}

impl KafkaError {
    /// The name a Kafka user sees in logs and exceptions.
    pub fn name(self) -> &'static str {
        match self {
            KafkaError::NotLeaderOrFollower => "NOT_LEADER_OR_FOLLOWER",
            KafkaError::RequestTimedOut => "REQUEST_TIMED_OUT",
            KafkaError::NotEnoughReplicas => "NOT_ENOUGH_REPLICAS",
            KafkaError::NotEnoughReplicasAfterAppend => "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
            KafkaError::OutOfOrderSequenceNumber => "OUT_OF_ORDER_SEQUENCE_NUMBER",
            KafkaError::MessageTooLarge => "MESSAGE_TOO_LARGE",
            KafkaError::InvalidProducerEpoch => "INVALID_PRODUCER_EPOCH",
            KafkaError::DeliveryTimeout => "TimeoutException (delivery.timeout.ms)",
            KafkaError::NetworkException => "NETWORK_EXCEPTION",
            KafkaError::BufferExhausted => "TimeoutException (max.block.ms)",
            KafkaError::TopicNotInMetadata => "TimeoutException (topic not present in metadata)",
        }
    }

    /// Whether the producer retries it (`RetriableException` subclasses).
    pub fn is_retriable(self) -> bool {
        !matches!(
            self,
            KafkaError::MessageTooLarge
                | KafkaError::InvalidProducerEpoch
                | KafkaError::DeliveryTimeout
                | KafkaError::BufferExhausted
                | KafkaError::TopicNotInMetadata
        )
    }
}

/// Which way a produce message crosses the producer's link to a broker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Leg {
    /// The producer's request, on its way to the broker.
    Request,
    /// The broker's response, on its way to the producer.
    Response,
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub time: SimTime,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EventKind {
    /// `send()` placed a record in a partition's open batch.
    RecordAppended {
        record: u64,
        partition: u32,
        batch: u64,
        key: Option<Vec<u8>>,
    },
    /// A batch stopped taking records (full, lingered long enough, or drained).
    BatchClosed {
        partition: u32,
        batch: u64,
        records: u32,
        size_in_bytes: u32,
        uncompressed_size: u32,
    },
    /// The sender put batches into a produce request to a broker (at the event's time).
    RequestSent {
        request: u64,
        broker: u32,
        batches: Vec<(u32, u64)>,
        bytes: u32,
        /// When it reaches the broker; None when the link is cut and it waits for the
        /// link to heal (it then arrives after TCP's retransmission delay).
        #[serde(default)]
        arrives: Option<SimTime>,
    },
    /// The broker sent a produce response (at the event's time); it reaches the producer
    /// at `arrives`, where `Response` reports it. `error` is the first batch error in it.
    ResponseSent {
        request: u64,
        broker: u32,
        error: Option<KafkaError>,
        arrives: SimTime,
    },
    /// A produce request (`leg` Request) or its response (`leg` Response) reached the
    /// producer's cut link to `broker` at the event's time and waits there: TCP holds it
    /// until the link heals (`Retransmitted` then reports its arrival).
    HeldOnLink { request: u64, broker: u32, leg: Leg },
    /// TCP retransmitted a held request or response after the link healed: it arrives
    /// at the event's time.
    Retransmitted { request: u64, broker: u32, leg: Leg },
    /// The leader answered a follower's fetch (at the event's time) with `records`
    /// records; the response's last byte left the leader at `sent` (after what was
    /// already on its uplink) and the follower appends them at `arrives` (where
    /// `Replicated` reports its new log end offset).
    FetchAnswered {
        partition: u32,
        leader: u32,
        follower: u32,
        records: u32,
        sent: SimTime,
        arrives: SimTime,
    },
    /// The leader appended a batch to its log.
    AppendedOnLeader {
        broker: u32,
        partition: u32,
        batch: u64,
        base_offset: u64,
        records: u32,
    },
    /// A follower appended fetched records; `log_end_offset` is its new LEO.
    Replicated {
        broker: u32,
        partition: u32,
        log_end_offset: u64,
    },
    /// The partition's high watermark moved: records below it are committed.
    HighWatermark { partition: u32, high_watermark: u64 },
    /// A produce response reached the producer at the event's time (`error` None =
    /// success), or the producer gave up on the request (a disconnect, a timeout).
    Response {
        request: u64,
        broker: u32,
        error: Option<KafkaError>,
        /// When the broker sent the response; None when the error is the producer's own
        /// (no response travelled).
        #[serde(default)]
        answered: Option<SimTime>,
    },
    /// A batch was acknowledged to the application.
    BatchAcked {
        partition: u32,
        batch: u64,
        records: u32,
        base_offset: Option<u64>,
    },
    /// A batch failed for good: the application's callback sees `error`.
    BatchFailed {
        partition: u32,
        batch: u64,
        records: u32,
        error: KafkaError,
    },
    /// A batch will be sent again after `backoff_ms`.
    Retry {
        partition: u32,
        batch: u64,
        attempt: u32,
        error: KafkaError,
        backoff_ms: u64,
    },
    /// A partition got a new leader (or none: offline). `records_truncated` counts the
    /// records followers dropped to match the new leader's log.
    LeaderElected {
        partition: u32,
        leader: Option<u32>,
        leader_epoch: u32,
        unclean: bool,
        records_truncated: u64,
    },
    /// The partition's in-sync replica set changed.
    IsrChanged { partition: u32, isr: Vec<u32> },
    /// A fault was applied.
    FaultInjected { fault: Fault },
    /// The producer's new connection to a broker is ready: TCP connected and the broker
    /// answered its `ApiVersionsRequest`.
    ConnectionReady { broker: u32 },
    /// A metadata response from `broker` told the producer leaders it did not know
    /// (its first one: what its bootstrap learned).
    MetadataUpdated {
        broker: u32,
        leaders: Vec<Option<u32>>,
    },
    /// The idempotent producer got its producer id and epoch from `broker`.
    ProducerIdAssigned {
        broker: u32,
        producer_id: u64,
        producer_epoch: u16,
    },
}
