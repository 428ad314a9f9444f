//! The Kafka producer (`KafkaProducer` and its `clients/.../producer/internals`): the
//! record accumulator, the sender, the metadata it has learned and the idempotence
//! state. It knows the cluster only from the messages in `protocol` that the world
//! carries: responses, metadata responses, disconnects and timeouts.

pub mod accumulator;
pub mod idempotence;
mod send;
mod send_call;
mod sender;

use crate::engine::config::SimConfig;
use crate::engine::metrics::MetricsRecorder;
use crate::engine::partitioner::{PartitionChoice, PartitionLoad, PartitionQueue, Partitioner};
use crate::engine::time::SimTime;
use accumulator::{ProducerBatch, RecordAccumulator};
use idempotence::IdempotenceState;
use send::BlockedSend;
pub(in crate::engine) use send::ProducerRecord;
use send_call::SendCalls;
use std::collections::BTreeMap;

/// The producer: what `KafkaProducer` and its sender thread hold. It reads no broker's
/// state; the world hands it messages and lends it the clock (`sim::ProducerIo`).
pub struct KafkaProducer {
    pub(in crate::engine) accumulator: RecordAccumulator,
    pub(in crate::engine) partitioner: Partitioner,
    pub(in crate::engine) idempotent: bool,
    /// The producer's metadata: the leader it believes each partition has; empty until a
    /// metadata response names the topic (`Cluster.partitionCountForTopic` is null).
    pub(in crate::engine) known_leaders: Vec<Option<u32>>,
    /// A metadata update is wanted (`Metadata.requestUpdate`; at start, `bootstrap`'s
    /// needFullUpdate), not yet before `metadata_due` (the refresh backoff).
    pub(in crate::engine) metadata_refresh_pending: bool,
    metadata_due: SimTime,
    /// The last metadata response or failure, and failures since the last response
    /// (`lastRefreshMs`, `attempts`).
    metadata_last_refresh: Option<SimTime>,
    metadata_failed_attempts: u32,
    /// The pending refresh's request id (answers to older ones are stale), and the broker
    /// it went to with when it times out (request.timeout.ms, like any request).
    pub(in crate::engine) metadata_request: u64,
    pub(in crate::engine) metadata_sent_to: Option<(u32, SimTime)>,
    /// Whether the request in flight names the topic.
    metadata_sent_topic: bool,
    /// send() has added the topic to the metadata's topics (`ProducerMetadata.add`).
    topic_added: bool,
    /// The idempotent producer's id, once a broker has answered its
    /// `InitProducerIdRequest` (`TransactionManager.hasProducerId`).
    pub(in crate::engine) producer_id: Option<u64>,
    /// The broker the `InitProducerIdRequest` in flight went to, and its timeout.
    pub(in crate::engine) init_producer_id_sent_to: Option<(u32, SimTime)>,
    pub(in crate::engine) connections: Vec<Connection>,
    pub(in crate::engine) in_flight: InFlightRequests,
    pub(in crate::engine) next_request: u64,
    /// The idempotent producer's epoch and sequences.
    pub(in crate::engine) idempotence: IdempotenceState,
    /// Partitions with a request in flight (muted when max.in.flight is 1).
    pub(in crate::engine) partitions_in_flight: Vec<u32>,
    pub(in crate::engine) drain_index: Vec<usize>,
    /// Per broker, when it last had data ready and when it was last drained
    /// (`RecordAccumulator.NodeLatencyStats`, for partitioner.availability.timeout.ms).
    pub(in crate::engine) node_latency: Vec<Option<(SimTime, SimTime)>>,
    pub(in crate::engine) metrics: MetricsRecorder,
    /// Every error a batch or a send() got, by Kafka error name.
    pub(in crate::engine) errors_seen: BTreeMap<&'static str, u64>,
    /// The id the next appended record gets (its place in the application's sends).
    next_record: u64,
    /// A send() waiting for the topic's metadata (`waitOnMetadata`) or in the buffer
    /// pool for memory (`BufferPool.allocate`).
    blocked: Option<BlockedSend>,
    /// kafkajs: the retrier of each send() call that failed (`send_call`).
    pub(in crate::engine) send_calls: SendCalls,
    /// The send() call whose last message is `blocked` ends when that message goes on.
    end_call_when_unblocked: bool,
    /// How a send() that waited for metadata ended, for the application that called it.
    unblocked: Option<Result<PartitionChoice, crate::engine::event::KafkaError>>,
    /// When the pending max.block.ms timer fires (one at a time, so none pile up).
    block_timer_at: Option<SimTime>,
    /// Lists the sender fills on every pass, kept to be refilled rather than allocated.
    scratch: SenderScratch,
}

/// The sender's working lists, reused from pass to pass.
#[derive(Default)]
struct SenderScratch {
    ready_nodes: Vec<u32>,
    can_drain: Vec<(u32, Option<SimTime>)>,
    led: Vec<u32>,
    /// The load the partitioner last saw, and the one being gathered.
    load: PartitionLoad,
    next_load: PartitionLoad,
}

impl KafkaProducer {
    /// A new producer: it knows only its bootstrap servers (every broker), holds no
    /// connection, and wants a full metadata update at once (`Metadata.bootstrap`:
    /// needFullUpdate; the sender's first poll sends it).
    pub(in crate::engine) fn new(config: &SimConfig, accumulator: RecordAccumulator) -> Self {
        let brokers = config.cluster.brokers as usize;
        let partitions = config.topic.partitions;
        KafkaProducer {
            accumulator,
            partitioner: Partitioner::new(&config.producer, partitions),
            idempotent: config.idempotence_enabled(),
            known_leaders: Vec::new(),
            metadata_refresh_pending: true,
            metadata_due: SimTime::ZERO,
            metadata_last_refresh: None,
            metadata_failed_attempts: 0,
            metadata_request: 0,
            metadata_sent_to: None,
            metadata_sent_topic: false,
            topic_added: false,
            producer_id: None,
            init_producer_id_sent_to: None,
            connections: vec![Connection::default(); brokers],
            in_flight: InFlightRequests::default(),
            next_request: 0,
            idempotence: IdempotenceState::new(partitions),
            partitions_in_flight: vec![0; partitions as usize],
            drain_index: vec![0; brokers],
            node_latency: vec![None; brokers],
            metrics: MetricsRecorder::default(),
            errors_seen: BTreeMap::new(),
            next_record: 0,
            blocked: None,
            send_calls: SendCalls::default(),
            end_call_when_unblocked: false,
            unblocked: None,
            block_timer_at: None,
            scratch: SenderScratch::default(),
        }
    }

    /// The leader the producer believes partition `p` has (None: unknown or offline).
    pub(in crate::engine) fn leader(&self, p: u32) -> Option<u32> {
        self.known_leaders.get(p as usize).copied().flatten()
    }

    /// Whether a metadata response has named the topic.
    pub(in crate::engine) fn topic_known(&self) -> bool {
        !self.known_leaders.is_empty()
    }

    /// Tells the partitioner what it sees of the cluster (`RecordAccumulator.ready` →
    /// `BuiltInPartitioner.updatePartitionLoadStats`). The stats depend on nothing else,
    /// so an unchanged load leaves them as they are.
    pub(in crate::engine) fn update_partition_load(&mut self) {
        let mut load = std::mem::take(&mut self.scratch.next_load);
        load.partitions.clear();
        load.partitions
            .extend((0..self.known_leaders.len() as u32).map(|p| {
                let leader = self.known_leaders[p as usize];
                PartitionQueue {
                    batches: self.accumulator.deque_size(p),
                    leader_known: leader.is_some(),
                    leader_undrained_ms: leader.and_then(|b| {
                        let (ready, drained) = self.node_latency[b as usize]?;
                        Some(ready.since(drained).as_us() / 1000)
                    }),
                }
            }));
        if load != self.scratch.load {
            self.partitioner.update_load(&load);
            std::mem::swap(&mut load, &mut self.scratch.load);
        }
        self.scratch.next_load = load;
    }

    /// The producer saw `error` for a batch (or a send()).
    pub(in crate::engine) fn saw_error(&mut self, error: crate::engine::event::KafkaError) {
        *self.errors_seen.entry(error.name()).or_default() += 1;
    }
}

/// A produce request the producer is waiting on.
pub(in crate::engine) struct InFlightRequest {
    pub broker: u32,
    pub sent_at: SimTime,
    pub batches: Vec<ProducerBatch>,
}

/// The requests awaiting a response, in request-id order. Ids only grow, so a `Vec` does
/// what a map would, and scanning it (for `delivery.timeout.ms`, on every step) is cheap.
#[derive(Default)]
pub(in crate::engine) struct InFlightRequests(Vec<(u64, InFlightRequest)>);

impl InFlightRequests {
    pub(in crate::engine) fn insert(&mut self, id: u64, request: InFlightRequest) {
        let at = self.0.partition_point(|(other, _)| *other < id);
        self.0.insert(at, (id, request));
    }

    fn index(&self, id: u64) -> Option<usize> {
        self.0.binary_search_by_key(&id, |(other, _)| *other).ok()
    }

    pub(in crate::engine) fn remove(&mut self, id: &u64) -> Option<InFlightRequest> {
        let i = self.index(*id)?;
        Some(self.0.remove(i).1)
    }

    pub(in crate::engine) fn get_mut(&mut self, id: &u64) -> Option<&mut InFlightRequest> {
        self.index(*id).map(|i| &mut self.0[i].1)
    }

    /// Every batch of every request.
    pub(in crate::engine) fn batches_mut(&mut self) -> impl Iterator<Item = &mut ProducerBatch> {
        self.0.iter_mut().flat_map(|(_, r)| r.batches.iter_mut())
    }

    /// Id and request, oldest first.
    pub(in crate::engine) fn as_slice(&self) -> &[(u64, InFlightRequest)] {
        &self.0
    }

    pub(in crate::engine) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Where the producer's connection to a broker stands (`ConnectionState`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(in crate::engine) enum ConnectionState {
    /// No connection (the producer starts with none).
    #[default]
    Disconnected,
    /// The TCP connection is being set up.
    Connecting,
    /// Connected, waiting for the answer to its `ApiVersionsRequest`
    /// (`NetworkClient.handleConnections`: discoverBrokerVersions).
    CheckingApiVersions,
    Ready,
}

/// The producer's side of a connection to one broker.
#[derive(Clone, Debug, Default)]
pub(in crate::engine) struct Connection {
    /// Bumped on every disconnect: responses on an older connection are dropped.
    pub id: u64,
    pub state: ConnectionState,
    pub in_flight: u32,
    /// No new connection before this (reconnect.backoff.ms).
    pub reconnect_after: SimTime,
    pub reconnect_attempts: u32,
    /// The previous request is still being written to the socket until then.
    pub sending_until: SimTime,
    /// When the last connection attempt started (`lastConnectAttemptMs`).
    pub last_connect_attempt: Option<SimTime>,
    /// While checking API versions: when that request times out (request.timeout.ms).
    pub api_versions_deadline: Option<SimTime>,
}
