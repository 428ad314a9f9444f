//! The simulated world: one producer, a cluster of brokers, simulated time.
//!
//! A discrete-event loop: the application's send() calls (from the workload) and
//! scheduled actions (network arrivals, timers, faults) run in time order. The producer
//! side is in `sender.rs`, the broker side in `replication.rs`.

use super::cluster::Cluster;
use super::compression::{compression_speed_mbps, CompressionLevels, Compressor};
use super::config::{CompressionType, ConfigError, SimConfig};
use super::event::{Event, EventKind, KafkaError, Leg};
use super::fates::FateTracker;
use super::fault::{Fault, ScheduledFault};
use super::log::LogEntry;
use super::metrics::{LatencySummary, ProducerMetrics};
use super::network::{Network, RETRANSMISSION_DELAY};
use super::partitioner::PartitionChoice;
use super::producer::accumulator::{AccumulatorConfig, RecordAccumulator};
use super::producer::{KafkaProducer, ProducerRecord};
use super::protocol::{
    FetchRequest, FetchResponse, InitProducerIdResponse, MetadataRequest, MetadataResponse,
    ProduceRequest,
};
use super::rng::SimRng;
use super::time::{SimDuration, SimTime};
use super::workload::Workload;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BinaryHeap};

/// How every record sent ended. The counts always add up to `records_sent`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fates {
    /// Acknowledged and present exactly once, in order, in the final committed log.
    pub acked_durable: u64,
    /// Acknowledged (or, with acks=0, handed to the network) but in no log any more.
    pub acked_lost: u64,
    /// Acknowledged and still on the leader, but above the high watermark: not committed
    /// (consumers cannot read it), yet not lost either. Since Kafka 3.7 the high watermark
    /// stops while the ISR is below min.insync.replicas (KAFKA-15583), so acks=0/1 writes
    /// to a lone leader end here.
    #[serde(default)]
    pub acked_uncommitted: u64,
    /// The application's callback saw an error.
    pub failed: u64,
    /// In the final committed log more than once.
    pub duplicated: u64,
    /// In the log once, but after records that were sent later.
    pub reordered: u64,
    /// Not yet acknowledged or failed when the run stopped.
    pub in_flight: u64,
}

impl Fates {
    pub fn total(&self) -> u64 {
        self.acked_durable
            + self.acked_lost
            + self.acked_uncommitted
            + self.failed
            + self.duplicated
            + self.reordered
            + self.in_flight
    }
}

/// The outcome of a whole run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub seed: u64,
    pub records_sent: u64,
    pub records_acked: u64,
    pub records_failed: u64,
    /// Simulated time from the first send() to the last acknowledgement or failure.
    pub duration_ms: f64,
    pub records_per_sec: f64,
    pub mb_per_sec: f64,
    pub latency: LatencySummary,
    pub metrics: ProducerMetrics,
    pub fates: Fates,
    /// A digest of every batch's outcome: equal digests mean identical runs.
    pub digest: u64,
}

/// One partition at the end of a run (`simulate --json`'s `partitions`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartitionSummary {
    pub partition: u32,
    pub leader: Option<u32>,
    pub isr: Vec<u32>,
    /// The leader's log end offset (or, while offline, that of the replica an election
    /// would most likely pick).
    pub log_end_offset: u64,
    pub high_watermark: u64,
}

/// A run's summary with what the producer saw and where the partitions ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    #[serde(flatten)]
    pub summary: RunSummary,
    /// Kafka error name -> how many times a batch (or a send()) got it.
    pub errors: BTreeMap<String, u64>,
    pub partitions: Vec<PartitionSummary>,
}

/// One partition as the UI draws it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartitionView {
    pub partition: u32,
    pub leader: Option<u32>,
    pub leader_epoch: u32,
    pub replicas: Vec<u32>,
    pub isr: Vec<u32>,
    pub high_watermark: u64,
    /// Log end offset per replica, in `replicas` order.
    pub log_end_offsets: Vec<u64>,
    /// Batches waiting in the producer's accumulator for this partition.
    pub queued_batches: u32,
}

/// One broker as the UI draws it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrokerView {
    pub id: u32,
    pub alive: bool,
    pub fenced: bool,
    pub slow_ms: f64,
    pub producer_link_cut: bool,
    pub replication_cut: bool,
    pub in_flight_requests: u32,
}

/// The world at one instant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterView {
    pub now: SimTime,
    pub brokers: Vec<BrokerView>,
    pub partitions: Vec<PartitionView>,
    pub buffer_available_bytes: u64,
    pub records_sent: u64,
    pub fates: Fates,
}

/// Something scheduled to happen.
#[derive(Clone, Debug)]
pub(super) enum Action {
    SenderWakeup,
    ProduceArrives {
        broker: u32,
        request: ProduceRequest,
    },
    LeaderAppend {
        broker: u32,
        request: ProduceRequest,
    },
    ProduceResponse {
        request: u64,
        broker: u32,
        conn: u64,
        /// When the broker sent it.
        answered: SimTime,
        results: Vec<(u64, Result<u64, KafkaError>)>,
    },
    RequestWritten {
        request: u64,
    },
    Disconnect {
        broker: u32,
        conn: u64,
    },
    /// A follower's fetch reaches its leader.
    FetchArrives(FetchRequest),
    /// The leader's answer reaches the follower.
    FetchResponse(FetchResponse),
    IsrExpiration,
    Fence {
        broker: u32,
        incarnation: u64,
    },
    /// The producer's connection attempt (TCP SYN) reaches a broker's host.
    ConnectArrives {
        broker: u32,
        conn: u64,
    },
    /// The host's answer reaches the producer: accepted, or refused (its broker is down).
    ConnectResult {
        broker: u32,
        conn: u64,
        accepted: bool,
    },
    /// socket.connection.setup.timeout.ms passed for a connection attempt.
    ConnectTimeout {
        broker: u32,
        conn: u64,
    },
    /// The producer's `ApiVersionsRequest` on a new connection reaches the broker.
    ApiVersionsArrives {
        broker: u32,
        conn: u64,
    },
    /// The broker's `ApiVersionsResponse` reaches the producer.
    ApiVersionsResponse {
        broker: u32,
        conn: u64,
    },
    /// The idempotent producer's `InitProducerIdRequest` reaches a broker.
    InitProducerIdArrives {
        broker: u32,
        conn: u64,
    },
    /// Its answer reaches the producer (None: the broker was down, the connection reset).
    InitProducerIdResponse {
        broker: u32,
        conn: u64,
        response: Option<InitProducerIdResponse>,
    },
    /// The producer's metadata request reaches a broker.
    MetadataArrives {
        broker: u32,
        request: MetadataRequest,
    },
    /// The answer to metadata request `request` reaches the producer from broker `from`.
    /// A None response: the request failed (the broker was down, the connection reset).
    MetadataResponse {
        from: u32,
        request: u64,
        response: Option<MetadataResponse>,
    },
    /// The blocked send()'s max.block.ms may have passed.
    BlockTimeout,
    Fault(Fault),
    /// TCP retransmits what waited on the healed producer link to a broker.
    Retransmit {
        broker: u32,
    },
}

impl Action {
    /// The broker whose link to the producer this message crosses, if it is one.
    fn producer_link(&self) -> Option<u32> {
        match *self {
            Action::ProduceArrives { broker, .. }
            | Action::ProduceResponse { broker, .. }
            | Action::Disconnect { broker, .. }
            | Action::ConnectArrives { broker, .. }
            | Action::ConnectResult { broker, .. }
            | Action::ApiVersionsArrives { broker, .. }
            | Action::ApiVersionsResponse { broker, .. }
            | Action::InitProducerIdArrives { broker, .. }
            | Action::InitProducerIdResponse { broker, .. }
            | Action::MetadataArrives { broker, .. }
            | Action::MetadataResponse { from: broker, .. } => Some(broker),
            _ => None,
        }
    }

    /// The produce request (or response) this message is, with its broker.
    fn produce_leg(&self) -> Option<(u64, u32, Leg)> {
        match self {
            Action::ProduceArrives { broker, request } => Some((request.id, *broker, Leg::Request)),
            Action::ProduceResponse {
                request, broker, ..
            } => Some((*request, *broker, Leg::Response)),
            _ => None,
        }
    }
}

/// What happened to a batch, for the fate count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    Pending,
    Acked,
    Failed,
}

/// The application sending the configured workload.
struct Driver {
    workload: Workload,
    remaining: u64,
    next_send: SimTime,
    interval: SimDuration,
    /// The application thread's compression speed, in bytes per microsecond (None when
    /// nothing is compressed).
    compress_bytes_per_us: Option<f64>,
    /// Compression time not yet whole microseconds, carried to the next send().
    busy_carry_us: f64,
    /// Messages in each send() call (`workload.messages.per.send`), and how many of the
    /// open call's are still to be handed over.
    per_call: u64,
    call_left: u64,
}

/// Scheduled actions by (time, order of scheduling): earliest first, ties in the order
/// they were scheduled. A binary heap, and beside it the sender's wakeup: there is only
/// ever one (an earlier wakeup supersedes a later one), so it is a single timer rather
/// than heap entries to remove.
#[derive(Default)]
pub(super) struct Scheduler {
    queue: BinaryHeap<Scheduled>,
    next_seq: u64,
    /// The pending sender wakeup, by (time, order of scheduling).
    sender_wakeup: Option<(SimTime, u64)>,
}

/// An action in the heap, ordered so that the heap's top is the earliest.
struct Scheduled {
    key: (SimTime, u64),
    action: Action,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Scheduled {}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.key.cmp(&self.key)
    }
}

impl Scheduler {
    fn next_key(&mut self, now: SimTime, time: SimTime) -> (SimTime, u64) {
        let seq = self.next_seq;
        self.next_seq += 1;
        (time.max(now), seq)
    }

    fn schedule(&mut self, now: SimTime, time: SimTime, action: Action) {
        let key = self.next_key(now, time);
        self.queue.push(Scheduled { key, action });
    }

    /// The earliest of the heap's top and the sender wakeup.
    fn next_key_due(&self) -> Option<(SimTime, u64)> {
        let top = self.queue.peek().map(|s| s.key);
        match (top, self.sender_wakeup) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// When the earliest scheduled action happens.
    fn next_time(&self) -> Option<SimTime> {
        self.next_key_due().map(|(t, _)| t)
    }

    /// Takes the earliest action.
    fn pop(&mut self) -> Option<(SimTime, Action)> {
        let due = self.next_key_due()?;
        if self.sender_wakeup == Some(due) {
            self.sender_wakeup = None;
            return Some((due.0, Action::SenderWakeup));
        }
        self.queue.pop().map(|s| (s.key.0, s.action))
    }

    /// The sender runs at `at` unless it is already due to run earlier; a later pending
    /// wakeup is superseded.
    fn wake_sender(&mut self, now: SimTime, at: SimTime) {
        let at = at.max(now);
        if self.sender_wakeup.is_some_and(|(t, _)| t <= at) {
            return;
        }
        self.sender_wakeup = Some(self.next_key(now, at));
    }
}

/// What the world lends the cluster while it handles a message (sans-IO: the cluster
/// holds no clock, no network and no schedule of its own): the time, the config, the
/// network, the schedule and the event record.
pub(super) struct Io<'a> {
    pub now: SimTime,
    pub config: &'a SimConfig,
    pub network: &'a mut Network,
    scheduler: &'a mut Scheduler,
    events: Option<&'a mut Vec<Event>>,
}

impl Io<'_> {
    pub fn schedule(&mut self, time: SimTime, action: Action) {
        self.scheduler.schedule(self.now, time, action);
    }

    pub fn emit(&mut self, kind: impl FnOnce() -> EventKind) {
        if let Some(events) = self.events.as_deref_mut() {
            events.push(Event {
                time: self.now,
                kind: kind(),
            });
        }
    }

    /// Whether events are being recorded (to skip building costly ones).
    pub fn recording(&self) -> bool {
        self.events.is_some()
    }
}

/// What the world lends the producer while it handles a send(), a message or a timer:
/// the cluster's `Io`, the seeded generator, the sender's wakeup timer, and the
/// application's side (`Callback.onCompletion` and send()'s exceptions: the fate record
/// and the digest).
pub(super) struct ProducerIo<'a> {
    pub io: Io<'a>,
    pub rng: &'a mut SimRng,
    fates: &'a mut FateTracker,
    records_failed_at_send: &'a mut u64,
    digest: &'a mut u64,
    last_completion: &'a mut SimTime,
    /// A batch completed since the world last looked, freeing buffer memory for a
    /// blocked send().
    freed: bool,
}

impl<'a> std::ops::Deref for ProducerIo<'a> {
    type Target = Io<'a>;
    fn deref(&self) -> &Io<'a> {
        &self.io
    }
}

impl<'a> std::ops::DerefMut for ProducerIo<'a> {
    fn deref_mut(&mut self) -> &mut Io<'a> {
        &mut self.io
    }
}

impl ProducerIo<'_> {
    /// The sender runs at the next opportunity (`Sender.wakeup`).
    pub fn wake_sender_now(&mut self) {
        let now = self.io.now;
        self.wake_sender_at(now);
    }

    pub fn wake_sender_at(&mut self, at: SimTime) {
        self.io.scheduler.wake_sender(self.io.now, at);
    }

    pub fn mix_digest(&mut self, values: &[u64]) {
        mix(self.digest, values);
    }

    /// send() appended a record to `batch` (opened for it if `new_batch`).
    pub fn appended(&mut self, batch: u64, partition: u32, new_batch: bool) {
        if new_batch {
            self.fates.new_batch(batch, partition);
        }
        self.fates.add_record(batch);
    }

    /// send() threw: the record never reached a batch; its story ends now.
    pub fn send_failed(&mut self) {
        *self.records_failed_at_send += 1;
        *self.last_completion = (*self.last_completion).max(self.io.now);
    }

    /// A batch is done: the application's callback runs.
    pub fn completed(&mut self, batch: u64, outcome: Outcome) {
        self.fates.set_outcome(batch, outcome);
        *self.last_completion = (*self.last_completion).max(self.io.now);
        self.freed = true;
    }
}

fn mix(digest: &mut u64, values: &[u64]) {
    for v in values {
        for b in v.to_le_bytes() {
            *digest ^= b as u64;
            *digest = digest.wrapping_mul(FNV_PRIME);
        }
    }
}

/// The world's `Io` for the cluster, borrowed field by field so that the cluster itself
/// stays free to be borrowed.
macro_rules! io {
    ($sim:ident) => {
        Io {
            now: $sim.now,
            config: &$sim.config,
            network: &mut $sim.network,
            scheduler: &mut $sim.scheduler,
            events: if $sim.record_events {
                Some(&mut $sim.events)
            } else {
                None
            },
        }
    };
}

/// The world.
pub struct Simulation {
    pub(super) config: SimConfig,
    seed: u64,
    pub(super) now: SimTime,
    scheduler: Scheduler,
    pub(super) rng: SimRng,
    pub(super) cluster: Cluster,
    pub(super) network: Network,
    pub(super) producer: KafkaProducer,
    /// Boxed: it is moved out and back on every send().
    driver: Option<Box<Driver>>,
    pub(super) records_sent: u64,
    pub(super) records_failed_at_send: u64,
    pub(super) fates: FateTracker,
    /// Log retention: batches each replica keeps at least.
    retained_batches: usize,
    record_events: bool,
    events: Vec<Event>,
    pub(super) digest: u64,
    first_send: Option<SimTime>,
    pub(super) last_completion: SimTime,
    scratch_value: Vec<u8>,
}

const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// How often a long `run_until_idle` brings the fate counts up to date and applies
/// retention (simulated time).
const SYNC_INTERVAL: SimDuration = SimDuration(100_000);

/// Batches each replica's log keeps at least (more than the views show, and more than a
/// run's elections reach back): retention deletes older ones once there are twice as many.
const RETAINED_BATCHES: usize = 1_024;

impl Simulation {
    /// Validates the config and builds the world at time zero.
    pub fn new(config: SimConfig, seed: u64) -> Result<Self, ConfigError> {
        config.validate()?;
        let config = config.as_client_runs();
        let mut rng = SimRng::new(seed);
        let p = &config.producer;
        let t = &config.topic;
        let c = &config.cluster;
        let cluster = Cluster::new(
            c.brokers,
            t.partitions,
            t.replication_factor,
            t.min_insync_replicas,
            t.unclean_leader_election_enable,
            SimDuration::from_ms(t.replica_lag_time_max_ms),
        );
        let accumulator = RecordAccumulator::new(
            AccumulatorConfig {
                batch_size: p.effective_batch_size(),
                linger: SimDuration::from_ms(p.linger_ms),
                buffer_memory: p.buffer_memory,
                max_request_size: p.max_request_size,
                compression: p.compression_type,
                delivery_timeout: SimDuration::from_ms(p.effective_delivery_timeout_ms()),
                max_batch_records: p.batch_num_messages,
                max_buffered_records: p.queue_buffering_max_messages,
                max_buffered_value_bytes: p.queue_buffering_max_kbytes.saturating_mul(1024),
                per_send_call: p.client.produces_per_send_call(),
            },
            t.partitions,
            Compressor::new(CompressionLevels::from(p)),
        );
        let workload_rng = rng.fork(1);
        let partitions = t.partitions;
        let mut sim = Simulation {
            network: Network::new(c),
            // It knows only its bootstrap servers: its first poll fetches metadata.
            producer: KafkaProducer::new(&config, accumulator),
            cluster,
            driver: Some(Box::new(Driver {
                workload: Workload::new(&config.workload, workload_rng),
                remaining: 0,
                next_send: SimTime::ZERO,
                interval: if config.workload.rate > 0.0 {
                    SimDuration::from_ms_f64(1000.0 / config.workload.rate)
                } else {
                    SimDuration::ZERO
                },
                compress_bytes_per_us: (p.compression_type != CompressionType::None).then(|| {
                    compression_speed_mbps(p.compression_type, CompressionLevels::from(p))
                }),
                busy_carry_us: 0.0,
                per_call: u64::from(config.workload.messages_per_send.max(1)),
                call_left: 0,
            })),
            config,
            seed,
            now: SimTime::ZERO,
            scheduler: Scheduler::default(),
            rng,
            records_sent: 0,
            records_failed_at_send: 0,
            fates: FateTracker::new(partitions),
            retained_batches: RETAINED_BATCHES,
            record_events: false,
            events: Vec::new(),
            digest: 0xcbf2_9ce4_8422_2325,
            first_send: None,
            last_completion: SimTime::ZERO,
            scratch_value: Vec::new(),
        };
        sim.cluster.start_replication(&mut io!(sim));
        sim.schedule(
            SimTime::ZERO + sim.isr_expiration_interval(),
            Action::IsrExpiration,
        );
        // KafkaProducer's constructor starts the sender thread, which polls at once.
        sim.wake_sender_now();
        Ok(sim)
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    // ---- scheduling and recording -------------------------------------------------

    pub(super) fn schedule(&mut self, time: SimTime, action: Action) {
        self.scheduler.schedule(self.now, time, action)
    }

    pub(super) fn emit(&mut self, kind: impl FnOnce() -> EventKind) {
        if self.record_events {
            let time = self.now;
            self.events.push(Event { time, kind: kind() });
        }
    }

    /// Lets the producer handle something, with the world's `ProducerIo`; then a send()
    /// blocked for buffer memory may go on if batches completed.
    fn producer_step<R>(
        &mut self,
        step: impl FnOnce(&mut KafkaProducer, &mut ProducerIo<'_>) -> R,
    ) -> R {
        let mut io = ProducerIo {
            io: io!(self),
            rng: &mut self.rng,
            fates: &mut self.fates,
            records_failed_at_send: &mut self.records_failed_at_send,
            digest: &mut self.digest,
            last_completion: &mut self.last_completion,
            freed: false,
        };
        let result = step(&mut self.producer, &mut io);
        if io.freed {
            self.producer.retry_blocked_send(&mut io);
        }
        result
    }

    /// Events since the last call (recorded only after `record_events(true)`).
    pub fn drain_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    pub fn record_events(&mut self, on: bool) {
        self.record_events = on;
    }

    // ---- the application ----------------------------------------------------------

    /// Starts the configured workload (`workload.records` records at `workload.rate`).
    pub fn start_workload(&mut self) {
        let now = self.now;
        if let Some(d) = self.driver.as_mut() {
            d.remaining = self.config.workload.records;
            d.next_send = now;
        }
        self.producer.end_flush();
    }

    /// How many batches each replica's log keeps at least before retention deletes older
    /// ones (default 1,024).
    pub fn set_retained_batches(&mut self, batches: usize) {
        self.retained_batches = batches.max(1);
    }

    /// Schedules a fault.
    pub fn inject(&mut self, fault: ScheduledFault) {
        self.schedule(fault.at, Action::Fault(fault.fault));
    }

    /// Applies a fault now.
    pub fn apply_fault(&mut self, fault: Fault) {
        self.handle_fault(fault);
        self.sync_fates();
    }

    /// The application calls `send()` now with this key (None = null key) and a value of
    /// `value_len` bytes shaped like the workload's profile. Returns where the
    /// partitioner put it, or the error send() would throw. Like Java's `send()`, the
    /// call blocks while it waits for the topic's metadata or for buffer memory: the world
    /// runs on until it returns (`start_send` does not wait). A call made while an earlier
    /// send() is still blocked starts when that one returns, as the application's thread
    /// is inside it.
    pub fn send(
        &mut self,
        key: Option<&[u8]>,
        value_len: u32,
    ) -> Result<PartitionChoice, KafkaError> {
        self.wait_for_send_to_return();
        self.begin_send_call();
        let result = match self.start_send(key, value_len) {
            Ok(Some(choice)) if !self.producer.is_blocked() => Ok(choice),
            Err(e) => Err(e),
            Ok(_) => self
                .wait_for_send_to_return()
                .unwrap_or(Err(KafkaError::BufferExhausted)),
        };
        self.end_send_call();
        result
    }

    /// The application opens a `send()` call: with kafkajs, the messages handed over
    /// until `end_send_call` make batches of their own.
    pub fn begin_send_call(&mut self) {
        self.producer.begin_send_call();
    }

    /// The open `send()` call has handed over its last message: its batches may go.
    pub fn end_send_call(&mut self) {
        self.producer.end_send_call();
        self.wake_sender_now();
    }

    /// Hands one message to send() (in the open call, if any) without waiting: None while
    /// it waits for the topic's metadata; its partition, with `is_send_blocked`, while it
    /// waits for buffer memory. The application must not call send() again until it
    /// returns, as its thread would be inside it.
    pub fn start_send(
        &mut self,
        key: Option<&[u8]>,
        value_len: u32,
    ) -> Result<Option<PartitionChoice>, KafkaError> {
        let mut value = std::mem::take(&mut self.scratch_value);
        if let Some(d) = self.driver.as_mut() {
            if self.producer.accumulator.config.compression != super::config::CompressionType::None
            {
                value.clear();
                let spec = d.workload.next_record(true);
                value.extend_from_slice(spec.value);
                value.resize(value_len as usize, b' ');
            }
        }
        let result = self.send_record(ProducerRecord {
            partition: None,
            key,
            value: &value,
            value_len,
        });
        self.scratch_value = value;
        self.wake_sender_now();
        result
    }

    /// Whether the application's last send() is still blocked (waiting for the topic's
    /// metadata or for buffer memory).
    pub fn is_send_blocked(&self) -> bool {
        self.producer.is_blocked()
    }

    /// A blocked send() (`KafkaProducer.waitOnMetadata`, `BufferPool.allocate`): the world
    /// goes on until it returns, with where its record went or its error; None if no
    /// send() was blocked.
    fn wait_for_send_to_return(&mut self) -> Option<Result<PartitionChoice, KafkaError>> {
        while self.producer.is_blocked() {
            let Some((time, action)) = self.scheduler.pop() else {
                break;
            };
            self.now = self.now.max(time);
            self.handle(action);
        }
        self.producer.take_unblocked()
    }

    /// The application hands a record to the producer (`KafkaProducer.send`): where it
    /// went, None while send() waits for the topic's metadata, or send()'s error.
    fn send_record(
        &mut self,
        record: ProducerRecord<'_>,
    ) -> Result<Option<PartitionChoice>, KafkaError> {
        self.first_send.get_or_insert(self.now);
        self.records_sent += 1;
        self.producer_step(|p, io| p.send(io, record))
    }

    /// The workload's next send() time, if it has one before `until`.
    fn next_workload_send(&self, until: SimTime) -> Option<SimTime> {
        let d = self.driver.as_ref()?;
        (d.remaining > 0 && !self.producer.is_blocked() && d.next_send <= until)
            .then_some(d.next_send)
    }

    /// The application's next send() call: its messages, one by one, at this instant (a
    /// message left waiting for buffer memory holds the rest back).
    fn workload_send(&mut self) {
        let Some(mut d) = self.driver.take() else {
            return;
        };
        if d.call_left == 0 {
            d.call_left = d.per_call.min(d.remaining);
            self.producer.begin_send_call();
        }
        let calls_records = d.call_left;
        let mut busy = SimDuration::ZERO;
        while d.call_left > 0 && !self.producer.is_blocked() {
            busy = busy + self.workload_send_one(&mut d);
        }
        let call_over = d.call_left == 0;
        if call_over {
            self.producer.end_send_call();
            if self.producer.accumulator.config.per_send_call {
                // The call's batches are complete: the sender may take them.
                self.wake_sender_now();
            }
        }
        // The next call after `workload.rate`'s interval for this call's records.
        let interval = if call_over {
            SimDuration(d.interval.0 * calls_records)
        } else {
            SimDuration::ZERO
        };
        d.next_send = self.now + interval.max(busy);
        let done = d.remaining == 0;
        self.driver = Some(d);
        if done {
            // The application closes the producer: close() flushes, making every batch
            // sendable at once (`RecordAccumulator.beginFlush`).
            self.producer.begin_flush();
            self.wake_sender_now();
        }
    }

    /// Hands one message of the open send() call to the producer; returns the time the
    /// application thread spent compressing it.
    fn workload_send_one(&mut self, d: &mut Driver) -> SimDuration {
        let with_value =
            self.producer.accumulator.config.compression != super::config::CompressionType::None;
        let spec = d.workload.next_record(with_value);
        let (key, value, value_len) = (spec.key, spec.value, spec.value_len);
        // send() compresses as it appends: the application thread is busy meanwhile.
        let busy = match d.compress_bytes_per_us {
            Some(speed) => {
                let bytes = value_len as f64 + key.map_or(0, <[u8]>::len) as f64;
                let us = d.busy_carry_us + bytes / speed;
                // Whole microseconds and the rest (`trunc` and `fract`, without the libm
                // call: `us` is never negative).
                let whole = us as u64;
                d.busy_carry_us = us - whole as f64;
                SimDuration::from_us(whole)
            }
            None => SimDuration::ZERO,
        };
        let _ = self.send_record(ProducerRecord {
            partition: None,
            key,
            value,
            value_len,
        });
        d.remaining -= 1;
        d.call_left -= 1;
        busy
    }

    fn workload_done(&self) -> bool {
        !self.producer.is_blocked() && self.driver.as_ref().is_none_or(|d| d.remaining == 0)
    }

    /// Nothing left in the producer: every batch acknowledged or failed.
    pub fn is_idle(&self) -> bool {
        self.workload_done()
            && self.producer.accumulator.is_empty()
            && self.producer.in_flight.is_empty()
    }

    // ---- the loop -----------------------------------------------------------------

    /// When the next scheduled thing happens in the cluster or the producer (not
    /// counting the workload's sends), if anything is scheduled.
    pub fn next_action_time(&self) -> Option<SimTime> {
        self.scheduler.next_time()
    }

    /// Runs the world (and the workload, if started) up to `until`.
    pub fn advance_to(&mut self, until: SimTime) {
        self.run_to(until);
        self.sync_fates();
    }

    /// Brings the fate counts up to date, then lets retention bound the logs.
    fn sync_fates(&mut self) {
        let travelling = self.travelling_batches();
        self.fates.sync(&self.cluster, &travelling);
        for (p, offset) in self.cluster.retention_points(self.retained_batches) {
            self.fates
                .retain(p, &self.cluster.partitions[p as usize], offset);
            self.cluster.delete_before(p, offset);
        }
    }

    /// Batches with a copy still in the network on its way to a leader (a produce request
    /// not yet appended): with acks=0 these are acknowledged but not yet in any log.
    fn travelling_batches(&self) -> Vec<u64> {
        self.scheduler
            .queue
            .iter()
            .map(|s| &s.action)
            .chain(self.network.held())
            .filter_map(|a| match a {
                Action::ProduceArrives { request, .. } | Action::LeaderAppend { request, .. } => {
                    Some(request)
                }
                _ => None,
            })
            .flat_map(|r| r.batches.iter().map(|m| m.batch))
            .collect()
    }

    /// `advance_to` without bringing the fate counts up to date.
    fn run_to(&mut self, until: SimTime) {
        loop {
            let next_action = self.scheduler.next_time().filter(|&t| t <= until);
            let next_send = self.next_workload_send(until);
            match (next_send, next_action) {
                // At equal times the application goes first: a burst of send() calls
                // fills batches before the sender looks at them.
                (Some(s), a) if a.is_none_or(|a| s <= a) => {
                    self.now = self.now.max(s);
                    self.workload_send();
                }
                (_, Some(_)) => {
                    let (time, action) = self.scheduler.pop().expect("peeked");
                    self.now = self.now.max(time);
                    self.handle(action);
                }
                _ => break,
            }
        }
        self.now = self.now.max(until);
    }

    /// Runs until the workload is sent and every batch is resolved (or `limit` passes),
    /// then lets replication settle so the committed log is final.
    pub fn run_until_idle(&mut self, limit: SimTime) {
        let mut next_sync = self.now + SYNC_INTERVAL;
        while !self.is_idle() && self.now < limit {
            if self.now >= next_sync {
                self.sync_fates();
                next_sync = self.now + SYNC_INTERVAL;
            }
            let next_action = self.scheduler.next_time();
            let next_send = self.next_workload_send(limit);
            let step_to = match (next_send, next_action) {
                (Some(s), Some(a)) => s.min(a),
                (Some(s), None) => s,
                (None, Some(a)) => a,
                (None, None) => break,
            };
            self.run_to(step_to);
        }
        // Let followers catch up (fetches in flight land within a few round trips).
        let settle = self.now + SimDuration::from_ms(200);
        self.advance_to(settle);
    }

    fn handle(&mut self, action: Action) {
        if let Some(broker) = action.producer_link() {
            if self.network.holds(broker) {
                if let Some((request, broker, leg)) = action.produce_leg() {
                    self.emit(|| EventKind::HeldOnLink {
                        request,
                        broker,
                        leg,
                    });
                }
                self.network.hold(broker, action);
                return;
            }
        }
        match action {
            Action::SenderWakeup => self.producer_step(|p, io| p.run_sender(io)),
            Action::ProduceArrives { broker, request } => {
                self.cluster
                    .produce_arrives(&mut io!(self), broker, request)
            }
            Action::LeaderAppend { broker, request } => {
                self.cluster.leader_append(&mut io!(self), broker, request)
            }
            Action::ProduceResponse {
                request,
                broker,
                conn,
                answered,
                results,
            } => self.producer_step(|p, io| {
                p.produce_response(io, request, broker, conn, answered, results)
            }),
            Action::RequestWritten { request } => {
                self.producer_step(|p, io| p.request_written(io, request))
            }
            Action::Disconnect { broker, conn } => self.producer_step(|p, io| {
                p.disconnect(io, broker, conn, KafkaError::NetworkException)
            }),
            Action::FetchArrives(request) => self.cluster.fetch_arrives(&mut io!(self), request),
            Action::FetchResponse(response) => {
                self.cluster.fetch_response(&mut io!(self), response)
            }
            Action::IsrExpiration => {
                self.cluster.isr_expiration(&mut io!(self));
                let next = self.now + self.isr_expiration_interval();
                self.schedule(next, Action::IsrExpiration);
            }
            Action::Fence {
                broker,
                incarnation,
            } => self
                .cluster
                .session_expired(&mut io!(self), broker, incarnation),
            Action::ConnectArrives { broker, conn } => self.connect_arrives(broker, conn),
            Action::ConnectResult {
                broker,
                conn,
                accepted,
            } => self.producer_step(|p, io| p.connect_result(io, broker, conn, accepted)),
            Action::ConnectTimeout { broker, conn } => {
                self.producer_step(|p, io| p.connect_timeout(io, broker, conn))
            }
            Action::ApiVersionsArrives { broker, conn } => {
                // A live broker answers; a crashed one reset the connection (Disconnect).
                if self.cluster.broker_alive(broker) {
                    let at = self.now + self.network.one_way();
                    self.schedule(at, Action::ApiVersionsResponse { broker, conn });
                }
            }
            Action::ApiVersionsResponse { broker, conn } => {
                self.producer_step(|p, io| p.api_versions_response(io, broker, conn))
            }
            Action::InitProducerIdArrives { broker, conn } => {
                let response = self
                    .cluster
                    .broker_alive(broker)
                    .then(|| self.cluster.init_producer_id());
                let at = self.now + self.network.one_way();
                self.schedule(
                    at,
                    Action::InitProducerIdResponse {
                        broker,
                        conn,
                        response,
                    },
                );
            }
            Action::InitProducerIdResponse {
                broker,
                conn,
                response,
            } => {
                self.producer_step(|p, io| p.init_producer_id_response(io, broker, conn, response))
            }
            Action::MetadataArrives { broker, request } => self.metadata_arrives(broker, request),
            Action::MetadataResponse {
                from,
                request,
                response,
            } => self.producer_step(|p, io| p.metadata_response(io, from, request, response)),
            Action::BlockTimeout => self.producer_step(|p, io| p.block_timeout(io)),
            Action::Fault(f) => self.handle_fault(f),
            Action::Retransmit { broker } => {
                for message in self.network.release(broker) {
                    if let Some((request, broker, leg)) = message.produce_leg() {
                        self.emit(|| EventKind::Retransmitted {
                            request,
                            broker,
                            leg,
                        });
                    }
                    self.handle(message);
                }
            }
        }
    }

    /// A fault takes effect. The network's (a cut producer link) and the OS's (a
    /// crashed broker's connections reset) parts are the world's; the rest the cluster's.
    pub(super) fn handle_fault(&mut self, fault: Fault) {
        let broker = fault.broker();
        if broker as usize >= self.cluster.brokers.len() {
            return;
        }
        self.emit(|| EventKind::FaultInjected { fault });
        match fault {
            Fault::CutProducerLink { .. } => self.network.set_producer_link_cut(broker, true),
            Fault::HealProducerLink { .. } => {
                self.network.set_producer_link_cut(broker, false);
                let at = self.now + RETRANSMISSION_DELAY;
                self.schedule(at, Action::Retransmit { broker });
            }
            _ => {
                let open = self.network.producer_connection(broker);
                if let (Fault::Crash { .. }, true, Some(conn)) =
                    (fault, self.cluster.broker_alive(broker), open)
                {
                    // The OS resets the producer's connection at once.
                    let at = self.now + self.network.one_way();
                    self.schedule(at, Action::Disconnect { broker, conn });
                }
                self.cluster.handle_fault(&mut io!(self), fault);
            }
        }
        self.wake_sender_now();
    }

    /// The world's part of a connection attempt: a live broker's host accepts it, a
    /// crashed one's refuses it (a reset); the answer travels back.
    fn connect_arrives(&mut self, broker: u32, conn: u64) {
        let accepted = self.cluster.broker_alive(broker);
        if accepted {
            self.network.open_producer_connection(broker, conn);
        }
        let at = self.now + self.network.one_way();
        self.schedule(
            at,
            Action::ConnectResult {
                broker,
                conn,
                accepted,
            },
        );
    }

    /// A metadata request reached a broker: a live one answers from its metadata; to
    /// a crashed one the connection resets, and the producer sees the request fail.
    fn metadata_arrives(&mut self, broker: u32, request: MetadataRequest) {
        let response = self.cluster.broker_alive(broker).then(|| {
            if request.topic {
                self.cluster.metadata()
            } else {
                MetadataResponse {
                    leaders: Vec::new(),
                }
            }
        });
        let request = request.id;
        let at = self.now + self.network.one_way();
        self.schedule(
            at,
            Action::MetadataResponse {
                from: broker,
                request,
                response,
            },
        );
    }

    fn isr_expiration_interval(&self) -> SimDuration {
        // ReplicaManager schedules isr-expiration every replica.lag.time.max.ms / 2.
        SimDuration::from_ms((self.config.topic.replica_lag_time_max_ms / 2).max(1))
    }

    /// The sender runs at the next opportunity (`Sender.wakeup`).
    pub(super) fn wake_sender_now(&mut self) {
        self.wake_sender_at(self.now);
    }

    pub(super) fn wake_sender_at(&mut self, at: SimTime) {
        self.scheduler.wake_sender(self.now, at);
    }

    // ---- results ------------------------------------------------------------------

    /// How every record sent so far ended, judged against the logs now: committed (below
    /// the high watermark), on the leader but uncommitted, or gone. Running counts: the
    /// same at any point in a run, whatever its length.
    pub fn fates(&self) -> Fates {
        let mut f = self.fates.counts();
        f.failed += self.records_failed_at_send;
        if self.producer.is_blocked() {
            f.in_flight += 1;
        }
        f
    }

    /// `fates`, judged from scratch by reading every log (what the running counts must
    /// equal while retention has deleted nothing).
    pub fn fates_from_logs(&self) -> Fates {
        let outcomes = self.fates.outcomes();
        let index: BTreeMap<u64, usize> = outcomes
            .iter()
            .enumerate()
            .map(|(i, &(id, ..))| (id, i))
            .collect();
        let mut copies = vec![0u8; outcomes.len()];
        let mut reordered = vec![false; outcomes.len()];
        let mut uncommitted = vec![false; outcomes.len()];
        let travelling = self.travelling_batches();
        for p in &self.cluster.partitions {
            let mut highest: Option<u64> = None;
            let (committed, above) = p.final_entries();
            for e in committed {
                if let Some(&i) = index.get(&e.batch) {
                    copies[i] = copies[i].saturating_add(1);
                    if highest.is_some_and(|h| e.batch < h) && copies[i] == 1 {
                        reordered[i] = true;
                    }
                }
                highest = Some(highest.map_or(e.batch, |h| h.max(e.batch)));
            }
            for e in above {
                if let Some(&i) = index.get(&e.batch) {
                    uncommitted[i] = true;
                }
            }
        }
        let mut f = Fates {
            failed: self.records_failed_at_send,
            ..Fates::default()
        };
        if self.producer.is_blocked() {
            f.in_flight += 1;
        }
        for (i, &(id, records, outcome)) in outcomes.iter().enumerate() {
            let n = records as u64;
            match outcome {
                Outcome::Pending => f.in_flight += n,
                Outcome::Failed => f.failed += n,
                Outcome::Acked => match copies[i] {
                    0 if uncommitted[i] || travelling.contains(&id) => f.acked_uncommitted += n,
                    0 => f.acked_lost += n,
                    1 if reordered[i] => f.reordered += n,
                    1 => f.acked_durable += n,
                    _ => f.duplicated += n,
                },
            }
        }
        f
    }

    /// Each partition's leader, ISR, log end offset and high watermark now.
    pub fn partition_summaries(&self) -> Vec<PartitionSummary> {
        self.cluster
            .partitions
            .iter()
            .map(|p| PartitionSummary {
                partition: p.id,
                leader: p.leader,
                isr: p.isr.clone(),
                log_end_offset: p.final_log().map_or(0, |l| l.log_end_offset()),
                high_watermark: p.high_watermark,
            })
            .collect()
    }

    /// The summary with the errors the producer saw and the partitions' end state.
    pub fn report(&self) -> RunReport {
        RunReport {
            summary: self.summary(),
            errors: self
                .producer
                .errors_seen
                .iter()
                .map(|(&name, &n)| (name.to_string(), n))
                .collect(),
            partitions: self.partition_summaries(),
        }
    }

    /// The keyless partitioner's current sticky partition and how far it is from
    /// switching, for the page to explain a keyless choice.
    pub fn sticky_state(&self) -> Option<super::partitioner::StickyState> {
        self.producer.partitioner.sticky_state()
    }

    /// The partition's committed log (what a consumer can read), batch by batch.
    pub fn committed_log(&self, partition: u32) -> &[LogEntry] {
        self.cluster
            .partitions
            .get(partition as usize)
            .map_or(&[], |p| p.committed_entries())
    }

    pub fn metrics(&self) -> ProducerMetrics {
        let elapsed = self.elapsed().as_ms_f64() / 1000.0;
        self.producer
            .metrics
            .snapshot(elapsed, self.producer.accumulator.buffer_available())
    }

    fn elapsed(&self) -> SimDuration {
        self.last_completion
            .max(self.now)
            .since(self.first_send.unwrap_or(SimTime::ZERO))
    }

    pub fn summary(&self) -> RunSummary {
        let (acked, failed) = self.fates.acked_and_failed();
        let failed = failed + self.records_failed_at_send;
        let duration = self
            .last_completion
            .since(self.first_send.unwrap_or(SimTime::ZERO));
        let secs = duration.as_ms_f64() / 1000.0;
        let bytes = acked as f64 * (self.config.workload.value_size as f64);
        let mut metrics = self
            .producer
            .metrics
            .snapshot(secs, self.producer.accumulator.buffer_available());
        metrics.buffer_available_bytes = self.producer.accumulator.buffer_available() as f64;
        let mut digest = self.digest;
        for v in [self.records_sent, acked, failed, duration.as_us()] {
            digest = (digest ^ v).wrapping_mul(FNV_PRIME);
        }
        RunSummary {
            seed: self.seed,
            records_sent: self.records_sent,
            records_acked: acked,
            records_failed: failed,
            duration_ms: duration.as_ms_f64(),
            records_per_sec: if secs > 0.0 { acked as f64 / secs } else { 0.0 },
            mb_per_sec: if secs > 0.0 {
                bytes / secs / (1024.0 * 1024.0)
            } else {
                0.0
            },
            latency: self.producer.metrics.latency(),
            metrics,
            fates: self.fates(),
            digest,
        }
    }

    pub fn view(&self) -> ClusterView {
        ClusterView {
            now: self.now,
            brokers: self
                .cluster
                .brokers
                .iter()
                .map(|b| BrokerView {
                    id: b.id,
                    alive: b.alive,
                    fenced: b.fenced,
                    slow_ms: b.extra_latency.as_ms_f64(),
                    producer_link_cut: self.network.producer_link_cut(b.id),
                    replication_cut: b.replication_cut,
                    in_flight_requests: self.producer.connections[b.id as usize].in_flight,
                })
                .collect(),
            partitions: self
                .cluster
                .partitions
                .iter()
                .map(|p| PartitionView {
                    partition: p.id,
                    leader: p.leader,
                    leader_epoch: p.leader_epoch,
                    replicas: p.replicas.clone(),
                    isr: p.isr.clone(),
                    high_watermark: p.high_watermark,
                    log_end_offsets: p.logs.iter().map(|l| l.log_end_offset()).collect(),
                    queued_batches: self.producer.accumulator.queued_batches(p.id),
                })
                .collect(),
            buffer_available_bytes: self.producer.accumulator.buffer_available(),
            records_sent: self.records_sent,
            fates: self.fates(),
        }
    }
}

/// Runs the configured workload to the end and summarises it.
pub fn run(config: &SimConfig, seed: u64) -> Result<RunSummary, ConfigError> {
    run_with_faults(config, seed, &[])
}

/// Like `run`, with faults injected at their times.
pub fn run_with_faults(
    config: &SimConfig,
    seed: u64,
    faults: &[ScheduledFault],
) -> Result<RunSummary, ConfigError> {
    run_report(config, seed, faults).map(|r| r.summary)
}

/// Like `run_with_faults`, with the errors the producer saw and the partitions' end state.
pub fn run_report(
    config: &SimConfig,
    seed: u64,
    faults: &[ScheduledFault],
) -> Result<RunReport, ConfigError> {
    let mut sim = Simulation::new(config.clone(), seed)?;
    for f in faults {
        sim.inject(*f);
    }
    sim.start_workload();
    // Bounded: every batch resolves by delivery.timeout.ms after the last send().
    let limit = SimTime::from_ms(24 * 3600 * 1000);
    sim.run_until_idle(limit);
    // Faults after the last acknowledgement still happen (a later crash can still lose
    // acknowledged records), then the world settles again.
    if let Some(last) = faults.iter().map(|f| f.at).max().filter(|&t| t > sim.now()) {
        sim.advance_to(last);
        sim.run_until_idle(limit);
    }
    Ok(sim.report())
}

#[cfg(test)]
mod tests {
    use super::{Action, Scheduler, RETRANSMISSION_DELAY};
    use crate::engine::event::{Event, EventKind, KafkaError, Leg};
    use crate::engine::fault::Fault;
    use crate::engine::producer::ConnectionState;
    use crate::engine::{SimConfig, SimDuration, SimTime, Simulation};

    /// What the scheduler hands out, as (time, what) with the action's name.
    fn drain(s: &mut Scheduler) -> Vec<(u64, &'static str)> {
        std::iter::from_fn(|| s.pop())
            .map(|(t, a)| {
                let what = match a {
                    Action::SenderWakeup => "wakeup",
                    Action::IsrExpiration => "isr",
                    Action::BlockTimeout => "block",
                    _ => "other",
                };
                (t.0, what)
            })
            .collect()
    }

    #[test]
    fn the_scheduler_goes_by_time_then_by_order_of_scheduling() {
        let now = SimTime(10);
        let mut s = Scheduler::default();
        s.schedule(now, SimTime(30), Action::IsrExpiration);
        s.schedule(now, SimTime(20), Action::BlockTimeout);
        // A time in the past happens now.
        s.schedule(now, SimTime(5), Action::IsrExpiration);
        s.wake_sender(now, SimTime(20));
        s.schedule(now, SimTime(20), Action::IsrExpiration);
        assert_eq!(s.next_time(), Some(SimTime(10)));
        assert_eq!(
            drain(&mut s),
            vec![
                (10, "isr"),
                (20, "block"),
                (20, "wakeup"),
                (20, "isr"),
                (30, "isr")
            ]
        );
        assert_eq!(s.next_time(), None);
    }

    #[test]
    fn an_earlier_sender_wakeup_supersedes_a_later_one() {
        let now = SimTime(0);
        let mut s = Scheduler::default();
        s.wake_sender(now, SimTime(50));
        s.schedule(now, SimTime(40), Action::IsrExpiration);
        // Later than the pending one: no change.
        s.wake_sender(now, SimTime(60));
        // Earlier: it replaces the one at 50, and keeps its own place among ties.
        s.wake_sender(now, SimTime(40));
        assert_eq!(drain(&mut s), vec![(40, "isr"), (40, "wakeup")]);
        // Once it ran, the next wakeup may be at any time.
        s.wake_sender(now, SimTime(70));
        assert_eq!(drain(&mut s), vec![(70, "wakeup")]);
    }

    #[test]
    fn a_fetch_response_is_sent_after_the_leader_answers_and_appended_when_it_arrives() {
        let mut c = SimConfig::default();
        c.workload.records = 2_000;
        let mut sim = Simulation::new(c, 3).expect("valid config");
        sim.record_events(true);
        sim.start_workload();
        sim.advance_to(SimTime::from_ms(2_000));
        let events = sim.drain_events();
        let mut answered = 0;
        for e in &events {
            let EventKind::FetchAnswered {
                partition,
                follower,
                records,
                sent,
                arrives,
                ..
            } = e.kind
            else {
                continue;
            };
            answered += 1;
            assert!(e.time <= sent && sent < arrives, "{e:?}");
            // The follower appends what it fetched when the response arrives.
            let replicated = events.iter().any(|r| {
                r.time == arrives
                    && matches!(r.kind, EventKind::Replicated { broker, partition: p, .. }
                        if broker == follower && p == partition)
            });
            assert!(records > 0 && (replicated || arrives > sim.now()), "{e:?}");
        }
        assert!(answered > 0);
    }

    /// A producer sending 2,000 records/s to the default three brokers, `crash` at 100 ms.
    fn crashed_at_100ms(crash: Fault, session_timeout_ms: u64) -> Simulation {
        let mut c = SimConfig::default();
        c.workload.records = 40_000;
        c.workload.rate = 2_000.0;
        c.topic.broker_session_timeout_ms = session_timeout_ms;
        let mut sim = Simulation::new(c, 7).expect("valid config");
        sim.start_workload();
        sim.advance_to(SimTime::ZERO + SimDuration::from_ms(100));
        sim.apply_fault(crash);
        sim
    }

    #[test]
    fn a_crashed_broker_refuses_reconnects_with_growing_backoff() {
        // NetworkClient.initiateConnect / processDisconnection: a refused connection backs
        // off (reconnect.backoff.ms growing to reconnect.backoff.max.ms) and asks for
        // metadata; ClusterConnectionStates.ready alone resets the backoff.
        let mut sim = crashed_at_100ms(Fault::Crash { broker: 1 }, 9_000);
        sim.advance_to(SimTime::ZERO + SimDuration::from_ms(5_000));
        let c = &sim.producer.connections[1];
        assert_ne!(c.state, ConnectionState::Ready);
        assert!(c.reconnect_attempts >= 4, "{}", c.reconnect_attempts);
        assert!(c.reconnect_after <= sim.now + SimDuration::from_ms(1_000));
        // Until the controller fences broker 1 (9 s) every metadata response names it.
        assert!(sim.producer.known_leaders.contains(&Some(1)));
        // Fenced at 9.1 s: a refused reconnect (at most 1 s apart) brings a metadata
        // request whose response carries the new leaders.
        sim.advance_to(SimTime::ZERO + SimDuration::from_ms(10_500));
        assert!(!sim.producer.known_leaders.contains(&Some(1)));
        assert_eq!(sim.producer.known_leaders, sim.cluster.metadata().leaders);
    }

    #[test]
    fn over_a_cut_link_a_reconnect_times_out_after_the_connection_setup_timeout() {
        // A cut link delivers nothing: requests time out after request.timeout.ms (30 s),
        // which closes the connection; the reconnect's SYN waits on the cut too, so it
        // fails after socket.connection.setup.timeout.ms (10 s), with no broker state read.
        let mut sim = crashed_at_100ms(Fault::CutProducerLink { broker: 1 }, 9_000);
        let timed_out = SimTime::ZERO + SimDuration::from_ms(100 + 30_000);
        sim.advance_to(timed_out + SimDuration::from_ms(500));
        assert_eq!(
            sim.producer.connections[1].state,
            ConnectionState::Connecting
        );
        let attempts = sim.producer.connections[1].reconnect_attempts;
        sim.advance_to(timed_out + SimDuration::from_ms(10_400));
        assert_eq!(sim.producer.connections[1].reconnect_attempts, attempts + 1);
        // Healed while the next attempt waits: TCP retransmits its SYN after the
        // retransmission delay, and that attempt connects.
        sim.apply_fault(Fault::HealProducerLink { broker: 1 });
        let healed = sim.now;
        sim.advance_to(healed + SimDuration(RETRANSMISSION_DELAY.0 - 1));
        assert_eq!(
            sim.producer.connections[1].state,
            ConnectionState::Connecting
        );
        sim.advance_to(healed + RETRANSMISSION_DELAY + SimDuration::from_ms(5));
        assert_eq!(sim.producer.connections[1].state, ConnectionState::Ready);
        assert_eq!(sim.producer.connections[1].reconnect_attempts, 0);
    }

    /// 2,000 records/s to the default three brokers with events recorded; the producer's
    /// link to broker 0 is cut at 1 s and healed `cut_ms` later; run to 4 s.
    fn cut_producer_link(cut_ms: u64, request_timeout_ms: u64) -> (Simulation, Vec<Event>) {
        let mut c = SimConfig::default();
        c.workload.records = 8_000;
        c.workload.rate = 2_000.0;
        c.producer.request_timeout_ms = request_timeout_ms;
        let mut sim = Simulation::new(c, 11).expect("valid config");
        sim.record_events(true);
        sim.start_workload();
        let cut = SimTime::from_ms(1_000);
        sim.inject(crate::engine::fault::ScheduledFault {
            at: cut,
            fault: Fault::CutProducerLink { broker: 0 },
        });
        sim.inject(crate::engine::fault::ScheduledFault {
            at: SimTime::from_ms(1_000 + cut_ms),
            fault: Fault::HealProducerLink { broker: 0 },
        });
        sim.advance_to(SimTime::from_ms(4_000));
        let events = sim.drain_events();
        (sim, events)
    }

    /// The produce requests to broker 0 sent while the link was cut, with their batches.
    fn sent_during_cut(events: &[Event], heal: SimTime) -> Vec<(u64, Vec<u64>)> {
        events
            .iter()
            .filter(|e| SimTime::from_ms(1_000) <= e.time && e.time < heal)
            .filter_map(|e| match &e.kind {
                EventKind::RequestSent {
                    request,
                    broker: 0,
                    batches,
                    arrives,
                    ..
                } => {
                    assert_eq!(*arrives, None, "no arrival time is known over a cut link");
                    Some((*request, batches.iter().map(|&(_, b)| b).collect()))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn what_waits_on_a_cut_link_is_reported_held_then_retransmitted() {
        // The views learn when a request or response stops at the cut and when TCP
        // delivers it, so nothing is drawn arriving at its pre-cut time. The link is cut
        // while a response is on its way to the producer.
        let mut c = SimConfig::default();
        c.workload.records = 8_000;
        c.workload.rate = 2_000.0;
        let mut sim = Simulation::new(c, 11).expect("valid config");
        sim.record_events(true);
        sim.start_workload();
        let mut events = Vec::new();
        let mut t = SimTime::from_ms(1_000);
        let in_flight = loop {
            sim.advance_to(t);
            events.extend(sim.drain_events());
            let on_its_way = events.iter().find_map(|e| match e.kind {
                EventKind::ResponseSent {
                    request,
                    broker: 0,
                    arrives,
                    ..
                } if arrives > t => Some((request, arrives)),
                _ => None,
            });
            if let Some(found) = on_its_way {
                break found;
            }
            t += SimDuration(50);
        };
        sim.apply_fault(Fault::CutProducerLink { broker: 0 });
        let heal = t + SimDuration::from_ms(50);
        sim.advance_to(heal);
        sim.apply_fault(Fault::HealProducerLink { broker: 0 });
        sim.advance_to(heal + SimDuration::from_ms(400));
        events.extend(sim.drain_events());
        let legs = |want_held: bool| -> Vec<(u64, Leg, SimTime)> {
            events
                .iter()
                .filter_map(|e| match e.kind {
                    EventKind::HeldOnLink {
                        request,
                        broker: 0,
                        leg,
                    } if want_held => Some((request, leg, e.time)),
                    EventKind::Retransmitted {
                        request,
                        broker: 0,
                        leg,
                    } if !want_held => Some((request, leg, e.time)),
                    _ => None,
                })
                .collect()
        };
        let (held, retransmitted) = (legs(true), legs(false));
        assert_eq!(
            held.first(),
            Some(&(in_flight.0, Leg::Response, in_flight.1)),
            "the response in flight waits from its arrival time"
        );
        assert!(held.iter().any(|h| h.1 == Leg::Request));
        assert!(held.iter().all(|h| h.2 < heal + RETRANSMISSION_DELAY));
        assert!(retransmitted
            .iter()
            .all(|r| r.2 == heal + RETRANSMISSION_DELAY));
        let id_leg = |v: &[(u64, Leg, SimTime)]| v.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>();
        assert_eq!(
            id_leg(&held),
            id_leg(&retransmitted),
            "each in the order held"
        );
        let answered = events.iter().find_map(|e| match e.kind {
            EventKind::Response { request, .. } if request == in_flight.0 => Some(e.time),
            _ => None,
        });
        assert_eq!(answered, Some(heal + RETRANSMISSION_DELAY));
    }

    #[test]
    fn a_short_cut_holds_requests_and_delivers_them_in_order_after_the_heal() {
        // One TCP stream per connection: nothing is lost, and what waited arrives in the
        // order it was sent, once TCP retransmits it after the heal.
        let (_, events) = cut_producer_link(50, 30_000);
        let heal = SimTime::from_ms(1_050);
        let held = sent_during_cut(&events, heal);
        assert!(held.len() >= 2, "{held:?}");
        let appends: Vec<(SimTime, usize)> = events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::AppendedOnLeader {
                    broker: 0, batch, ..
                } => held
                    .iter()
                    .position(|(_, batches)| batches.contains(&batch))
                    .map(|i| (e.time, i)),
                _ => None,
            })
            .collect();
        let batches: usize = held.iter().map(|(_, b)| b.len()).sum();
        assert_eq!(appends.len(), batches, "every held batch is appended once");
        assert!(appends
            .iter()
            .all(|&(t, _)| t >= heal + RETRANSMISSION_DELAY));
        assert!(
            appends.windows(2).all(|w| w[0].1 <= w[1].1),
            "appended in the order sent: {appends:?}"
        );
        // Every request is answered by the broker, without an error or a retry.
        for (request, _) in &held {
            assert!(events.iter().any(|e| matches!(e.kind,
                EventKind::Response { request: r, error: None, answered: Some(_), .. }
                    if r == *request)));
        }
        assert!(!events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Retry { .. })));
    }

    #[test]
    fn a_cut_longer_than_the_request_timeout_closes_the_connection_failing_all_in_flight() {
        // NetworkClient.handleTimedOutRequests -> processTimeoutDisconnection: the first
        // request to wait request.timeout.ms closes the connection, and every request in
        // flight on it fails at once (Sender.completeBatch then retries the batches).
        let (sim, events) = cut_producer_link(1_500, 1_000);
        let failed: Vec<(SimTime, u64)> = events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Response {
                    request,
                    broker: 0,
                    error: Some(KafkaError::RequestTimedOut),
                    answered: None,
                } => Some((e.time, request)),
                _ => None,
            })
            .collect();
        let timed_out = failed.first().expect("a request timed out").0;
        let at_once: Vec<u64> = failed
            .iter()
            .filter(|&&(t, _)| t == timed_out)
            .map(|&(_, r)| r)
            .collect();
        // The oldest of them was sent request.timeout.ms before.
        let oldest = events
            .iter()
            .find(|e| matches!(e.kind, EventKind::RequestSent { request, .. } if request == at_once[0]))
            .expect("sent");
        assert_eq!(oldest.time + SimDuration::from_ms(1_000), timed_out);
        let max_in_flight = sim.config.producer.max_in_flight_requests_per_connection;
        assert!(at_once.len() >= 2, "{failed:?}");
        assert!(at_once.len() <= max_in_flight as usize, "{failed:?}");
        // Every request sent over the cut link before then was still in flight.
        let sent_before: Vec<u64> = events
            .iter()
            .filter(|e| e.time >= SimTime::from_ms(1_000) && e.time < timed_out)
            .filter_map(|e| match e.kind {
                EventKind::RequestSent {
                    request, broker: 0, ..
                } => Some(request),
                _ => None,
            })
            .collect();
        assert!(!sent_before.is_empty());
        assert!(
            sent_before.iter().all(|r| at_once.contains(r)),
            "{sent_before:?}"
        );
        // Their batches are retried, and nothing failed for good.
        assert!(events
            .iter()
            .any(|e| e.time == timed_out && matches!(e.kind, EventKind::Retry { .. })));
        assert!(!events
            .iter()
            .any(|e| matches!(e.kind, EventKind::BatchFailed { .. })));
        assert!(sim.producer.connections[0].id > 0, "a new connection");
    }

    /// A world whose producer links are all cut (after it sent 100 records, so it is
    /// connected to every broker), with a metadata request just sent.
    fn metadata_over_cut_links() -> (Simulation, u32) {
        let mut c = SimConfig::default();
        c.workload.records = 100;
        let mut sim = Simulation::new(c, 5).expect("valid config");
        sim.start_workload();
        sim.run_until_idle(SimTime::from_ms(1_000));
        let now = sim.now;
        let connected = |sim: &Simulation| {
            sim.producer
                .connections
                .iter()
                .all(|c| c.state == ConnectionState::Ready)
        };
        assert!(connected(&sim));
        for broker in 0..3 {
            sim.apply_fault(Fault::CutProducerLink { broker });
        }
        sim.producer_step(|p, io| p.request_metadata(io));
        // It leaves once the refresh backoff (about retry.backoff.ms) has passed.
        sim.advance_to(now + SimDuration::from_ms(130));
        let (to, _) = sim
            .producer
            .metadata_sent_to
            .expect("sent to a connected broker");
        (sim, to)
    }

    #[test]
    fn a_metadata_request_over_a_cut_link_is_answered_after_the_heal() {
        let (mut sim, to) = metadata_over_cut_links();
        let later = sim.now + SimDuration::from_ms(1_000);
        sim.advance_to(later);
        assert!(sim.producer.metadata_refresh_pending, "held, not lost");
        sim.apply_fault(Fault::HealProducerLink { broker: to });
        sim.advance_to(later + RETRANSMISSION_DELAY + SimDuration::from_ms(5));
        assert!(!sim.producer.metadata_refresh_pending);
        assert_eq!(sim.producer.metadata_sent_to, None);
        assert_eq!(sim.producer.connections[to as usize].id, 0, "never closed");
    }

    #[test]
    fn a_metadata_request_past_the_request_timeout_closes_its_connection_and_goes_elsewhere() {
        // NetworkClient.cancelInFlightRequests: a timed-out connection's metadata request
        // fails too (metadataUpdater.handleFailedRequest), and the next goes to another
        // connected broker (leastLoadedNode).
        let (mut sim, to) = metadata_over_cut_links();
        let deadline = sim.producer.metadata_sent_to.expect("sent").1;
        sim.advance_to(deadline);
        assert_eq!(
            sim.producer.metadata_sent_to, None,
            "failed with its connection"
        );
        // Metadata.failedUpdate: asked again after the refresh backoff.
        sim.advance_to(deadline + SimDuration::from_ms(130));
        let c = &sim.producer.connections[to as usize];
        assert_ne!(c.state, ConnectionState::Ready);
        assert_eq!(c.id, 1);
        let (next, _) = sim.producer.metadata_sent_to.expect("asked again");
        assert_ne!(next, to);
    }
}
