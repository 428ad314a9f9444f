//! Throughput vs durability, measured: runs the engine on a user's producer settings and
//! turns what it measured into four 0–100 scores (Throughput, Durability, Latency, Risk),
//! plus a sweep of throughput and p99 latency over `linger.ms` or `batch.size`.
//!
//! Nothing here is a hand-made score per setting: every number comes from a simulation
//! run, and the scores are fixed, monotone functions of those numbers (see [`Scores`]).
//!
//! The runs, all on the default scenario (3 brokers, 3 partitions, replication factor 3,
//! min.insync.replicas 2, 200-byte JSON values, 1,000 uniform keys) with the user's
//! settings on top:
//! - throughput: the workload sent as fast as the producer accepts it (`workload.rate` 0,
//!   like `kafka-producer-perf-test --throughput -1`) → records/s, MB/s, batch-size-avg,
//!   compression-rate-avg;
//! - latency: a steady, moderate rate → p50 and p99 send()-to-acknowledgement latency, and
//!   that run's own batch-size-avg and compression-rate-avg. The run lasts at least five
//!   times `linger.ms` (see [`MeasurementPlan::latency_window_ms`]): when the workload
//!   ends the producer closes, and `close()` sends every batch at once, so a shorter run
//!   would cut each batch's wait at the run's length rather than at `linger.ms`;
//! - leader crash: the broker leading partition 0 crashes mid-run and comes back, with
//!   followers lagging a little → records acknowledged but lost;
//! - lost response: the network between the producer and one broker is cut for longer
//!   than request.timeout.ms, so the producer gives up on requests the broker appends
//!   once the link heals, and retries them → records duplicated or reordered;
//! - reference: the throughput run with the client's default settings, which the
//!   Throughput score is relative to.
//!
//! The plan's `base` scenario carries the client whose producer runs
//! ([`MeasurementPlan::for_client`]): its defaults for everything the five settings leave
//! alone, its partitioner and its batching rules.
//!
//! [`Measurement`] runs them in bounded slices ([`Measurement::step`]) so a browser can
//! measure without freezing the page. Slicing never changes a result: every run advances
//! in fixed 1 ms ticks of simulated time, however the ticks are grouped into steps.

use super::clients::Client;
use super::config::{Acks, CompressionType, ConfigError, ProducerConfig, SimConfig};
use super::fault::ScheduledFault;
use super::sim::{RunSummary, Simulation};
use super::time::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// The five settings the section lets a user change, with Kafka's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeoffSettings {
    /// `acks`.
    pub acks: Acks,
    /// `batch.size`, in bytes.
    pub batch_size: u32,
    /// `linger.ms`.
    pub linger_ms: u64,
    /// `compression.type`.
    pub compression_type: CompressionType,
    /// `enable.idempotence`; `None` leaves it unset (Kafka's default: on, unless acks is
    /// not `all` or retries is 0, which quietly turn it off).
    pub enable_idempotence: Option<bool>,
}

impl Default for TradeoffSettings {
    fn default() -> Self {
        TradeoffSettings::from_producer(&ProducerConfig::default())
    }
}

impl TradeoffSettings {
    fn from_producer(p: &ProducerConfig) -> Self {
        TradeoffSettings {
            acks: p.acks,
            batch_size: p.batch_size,
            linger_ms: p.linger_ms,
            compression_type: p.compression_type,
            enable_idempotence: p.enable_idempotence,
        }
    }

    /// The five settings as `config` has them.
    pub fn from_config(config: &SimConfig) -> Self {
        TradeoffSettings::from_producer(&config.producer)
    }

    /// Writes the five settings into `config`, leaving everything else as it is. Those
    /// that change a value count as set by the user (the section's controls).
    pub fn apply_to(&self, config: &mut SimConfig) {
        let before = TradeoffSettings::from_config(config);
        let p = &mut config.producer;
        p.acks = self.acks;
        p.batch_size = self.batch_size;
        p.linger_ms = self.linger_ms;
        p.compression_type = self.compression_type;
        p.enable_idempotence = self.enable_idempotence;
        for (key, changed) in [
            ("acks", self.acks != before.acks),
            ("batch.size", self.batch_size != before.batch_size),
            ("linger.ms", self.linger_ms != before.linger_ms),
            (
                "compression.type",
                self.compression_type != before.compression_type,
            ),
        ] {
            if changed {
                p.explicitly_set.insert(key.to_string());
            }
        }
    }

    /// Kafka's defaults with these five settings on top.
    pub fn to_config(&self) -> SimConfig {
        self.config_for(Client::Java)
    }

    /// `client`'s defaults with these five settings on top.
    pub fn config_for(&self, client: Client) -> SimConfig {
        let mut config = SimConfig::for_client(client);
        self.apply_to(&mut config);
        config
    }

    /// The error Kafka would refuse these settings with, if any (e.g.
    /// `enable.idempotence=true` with `acks=1`).
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.to_config().validate()
    }

    /// The error `client`'s producer would refuse these settings with, if any.
    pub fn validate_for(&self, client: Client) -> Result<(), ConfigError> {
        self.config_for(client).validate()
    }
}

/// Which setting a sweep varies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SweepAxis {
    /// `linger.ms` values.
    LingerMs(Vec<u64>),
    /// `batch.size` values, in bytes.
    BatchSize(Vec<u32>),
}

impl SweepAxis {
    /// `linger.ms` from 0 to 100 ms.
    pub fn default_linger() -> Self {
        SweepAxis::LingerMs(vec![0, 1, 2, 5, 10, 20, 50, 100])
    }

    /// `batch.size` from 1 KiB to 1 MiB.
    pub fn default_batch_size() -> Self {
        SweepAxis::BatchSize(vec![1024, 4096, 16_384, 65_536, 262_144, 1_048_576])
    }

    /// The setting's Kafka name.
    pub fn key(&self) -> &'static str {
        match self {
            SweepAxis::LingerMs(_) => "linger.ms",
            SweepAxis::BatchSize(_) => "batch.size",
        }
    }

    fn len(&self) -> usize {
        match self {
            SweepAxis::LingerMs(v) => v.len(),
            SweepAxis::BatchSize(v) => v.len(),
        }
    }

    fn x(&self, i: usize) -> f64 {
        match self {
            SweepAxis::LingerMs(v) => v[i] as f64,
            SweepAxis::BatchSize(v) => v[i] as f64,
        }
    }

    fn settings_at(&self, i: usize, base: TradeoffSettings) -> TradeoffSettings {
        let mut s = base;
        match self {
            SweepAxis::LingerMs(v) => s.linger_ms = v[i],
            SweepAxis::BatchSize(v) => s.batch_size = v[i],
        }
        s
    }
}

/// How big each run is and which faults the replays use.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasurementPlan {
    /// The scenario the settings are applied to (default: `SimConfig::default()`).
    pub base: SimConfig,
    /// Records in the throughput run (sent at `workload.rate` 0).
    pub throughput_records: u64,
    /// Rate (records/s) of the latency run.
    pub latency_rate: f64,
    /// The latency run's shortest and longest window, in ms (see
    /// [`MeasurementPlan::latency_window_ms`]).
    pub latency_min_ms: u64,
    pub latency_max_ms: u64,
    /// Records and rate of each failure replay.
    pub replay_records: u64,
    pub replay_rate: f64,
    /// `broker.replication.latency.ms` in the replays: followers a little behind, so
    /// records acknowledged by the leader alone are at risk when it dies.
    pub replay_replication_latency_ms: f64,
    /// The leader-crash replay's faults.
    pub leader_crash: Vec<ScheduledFault>,
    /// The lost-response replay's faults.
    pub lost_response: Vec<ScheduledFault>,
    /// `request.timeout.ms` in the lost-response replay, shorter than the cut so the
    /// producer gives up on the requests waiting on it.
    pub lost_response_request_timeout_ms: u64,
    /// The chart's sweep; `None` measures only the scores.
    pub sweep: Option<SweepAxis>,
}

/// The leader-crash replay: broker 0 (leader of partition 0) dies 1 s in and restarts
/// at 4 s, as in the `acks1-leader-crash` scenario but shorter.
pub const LEADER_CRASH_FAULTS: [&str; 2] = ["crash:broker=0@1s", "restart:broker=0@4s"];
/// The lost-response replay: the link to broker 0 is cut from 1 s to 2.3 s, longer than
/// the replay's request.timeout.ms, so the producer gives up on the requests (closing the
/// connection) and sends their batches again, while TCP delivers the originals once the
/// link heals.
pub const LOST_RESPONSE_FAULTS: [&str; 2] =
    ["cut-producer:broker=0@1s", "heal-producer:broker=0@2300ms"];

fn parse_faults(specs: &[&str]) -> Vec<ScheduledFault> {
    specs.iter().filter_map(|s| s.parse().ok()).collect()
}

impl Default for MeasurementPlan {
    fn default() -> Self {
        MeasurementPlan {
            base: SimConfig::default(),
            throughput_records: 5_000,
            latency_rate: 5_000.0,
            latency_min_ms: 500,
            latency_max_ms: 20_000,
            replay_records: 4_000,
            replay_rate: 2_000.0,
            replay_replication_latency_ms: 20.0,
            leader_crash: parse_faults(&LEADER_CRASH_FAULTS),
            lost_response: parse_faults(&LOST_RESPONSE_FAULTS),
            lost_response_request_timeout_ms: 1_000,
            sweep: Some(SweepAxis::default_linger()),
        }
    }
}

/// The latency run lasts this many times `linger.ms` (within the plan's bounds): long
/// enough that most batches are sent because they filled or lingered out, not because the
/// producer closed.
pub const LATENCY_LINGERS: u64 = 5;

impl MeasurementPlan {
    /// The default plan on `client`'s producer (its defaults, partitioner and rules).
    pub fn for_client(client: Client) -> Self {
        MeasurementPlan {
            base: SimConfig::for_client(client),
            ..MeasurementPlan::default()
        }
    }

    /// The client whose producer the runs use.
    pub fn client(&self) -> Client {
        self.base.producer.client
    }

    /// The client's defaults for the five settings: the Throughput score's reference.
    pub fn defaults(&self) -> TradeoffSettings {
        TradeoffSettings::from_config(&self.base)
    }

    /// How long the latency run of `settings` sends for, in simulated ms:
    /// [`LATENCY_LINGERS`] times `linger.ms`, at least `latency_min_ms` and at most
    /// `latency_max_ms`. A batch waits at most `linger.ms` before it may be sent
    /// (`RecordAccumulator.ready`), so within such a window `linger.ms` and `batch.size`
    /// show their whole effect on latency, unless the window hit its upper bound.
    pub fn latency_window_ms(&self, settings: TradeoffSettings) -> u64 {
        settings.linger_ms.saturating_mul(LATENCY_LINGERS).clamp(
            self.latency_min_ms,
            self.latency_max_ms.max(self.latency_min_ms),
        )
    }

    /// Records in the latency run of `settings`: the window at the latency rate.
    pub fn latency_records(&self, settings: TradeoffSettings) -> u64 {
        ((self.latency_rate * self.latency_window_ms(settings) as f64 / 1000.0).round() as u64)
            .max(1)
    }
}

/// One run of a measurement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunKind {
    /// The client's defaults at full speed, the Throughput score's reference.
    Reference,
    Throughput,
    Latency,
    LeaderCrash,
    LostResponse,
    /// Point `index` of the sweep, at full speed.
    SweepThroughput {
        index: usize,
    },
    /// Point `index` of the sweep, at the latency run's rate.
    SweepLatency {
        index: usize,
    },
}

impl RunKind {
    /// What the run is doing, for a progress line.
    pub fn label(&self) -> &'static str {
        match self {
            RunKind::Reference => "throughput with the client's defaults",
            RunKind::Throughput => "throughput at full speed",
            RunKind::Latency => "latency at a steady rate",
            RunKind::LeaderCrash => "replaying a leader crash",
            RunKind::LostResponse => "replaying a lost response",
            RunKind::SweepThroughput { .. } | RunKind::SweepLatency { .. } => "sweep for the chart",
        }
    }
}

/// The four scores, each 0–100. Throughput and Durability: higher is better. Latency and
/// Risk: higher is worse. Each is a fixed, monotone function of measured numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub throughput: f64,
    pub durability: f64,
    pub latency: f64,
    pub risk: f64,
}

impl Scores {
    /// Throughput relative to a reference run, on a log scale: the reference scores 50,
    /// ten times faster 100, ten times slower 0.
    pub fn throughput_score(records_per_sec: f64, reference_records_per_sec: f64) -> f64 {
        if !(records_per_sec > 0.0 && reference_records_per_sec > 0.0) {
            return 0.0;
        }
        clamp_score(50.0 + 50.0 * (records_per_sec / reference_records_per_sec).log10())
    }

    /// p99 latency on a log scale: 1 ms or less scores 0, 1 s or more 100.
    pub fn latency_score(p99_ms: f64) -> f64 {
        // Also catches NaN.
        if p99_ms.is_nan() || p99_ms <= 1.0 {
            return 0.0;
        }
        clamp_score(100.0 * p99_ms.log10() / 3.0)
    }

    /// How many of `sent` records were acknowledged and then lost, on a log scale so a
    /// handful of lost records already shows: none lost scores 100, all lost 0.
    pub fn durability_score(lost: u64, sent: u64) -> f64 {
        100.0 - log_share(lost, sent)
    }

    /// How many of `sent` records were lost, duplicated or written out of order, on the
    /// same log scale: none scores 0, all 100.
    pub fn risk_score(lost_duplicated_or_reordered: u64, sent: u64) -> f64 {
        log_share(lost_duplicated_or_reordered, sent)
    }
}

/// `100 * log10(1 + part) / log10(1 + whole)`, within 0..=100.
fn log_share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    let part = part.min(whole) as f64;
    clamp_score(100.0 * (1.0 + part).log10() / (1.0 + whole as f64).log10())
}

fn clamp_score(v: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(0.0, 100.0)
    }
}

/// One point of the chart.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The swept setting's value (`linger.ms` in ms or `batch.size` in bytes).
    pub x: f64,
    /// Throughput at full speed.
    pub records_per_sec: f64,
    /// p99 latency at the latency run's rate.
    pub p99_ms: f64,
    /// batch-size-avg at the latency run's rate.
    pub batch_size_avg: f64,
}

/// Everything a measurement found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TradeoffResult {
    pub settings: TradeoffSettings,
    pub seed: u64,
    pub reference: RunSummary,
    pub throughput: RunSummary,
    pub latency: RunSummary,
    pub leader_crash: RunSummary,
    pub lost_response: RunSummary,
    pub scores: Scores,
    /// The sweep's points measured so far, in axis order.
    pub sweep: Vec<SweepPoint>,
}

impl TradeoffResult {
    /// Records sent in both replays.
    pub fn replay_sent(&self) -> u64 {
        self.leader_crash.records_sent + self.lost_response.records_sent
    }
    /// Records acknowledged (or, with acks=0, handed to the network) and then lost, in both replays.
    pub fn replay_lost(&self) -> u64 {
        self.leader_crash.fates.acked_lost + self.lost_response.fates.acked_lost
    }
    /// Records in the final log more than once, in both replays.
    pub fn replay_duplicated(&self) -> u64 {
        self.leader_crash.fates.duplicated + self.lost_response.fates.duplicated
    }
    /// Records written after records sent later, in both replays.
    pub fn replay_reordered(&self) -> u64 {
        self.leader_crash.fates.reordered + self.lost_response.fates.reordered
    }
    /// Records whose send the application saw fail, in both replays.
    pub fn replay_failed(&self) -> u64 {
        self.leader_crash.fates.failed + self.lost_response.fates.failed
    }
    /// `compressed / uncompressed` batch size in the throughput run (Kafka's
    /// compression-rate-avg): 1.0 without compression, smaller is better.
    pub fn compression_rate(&self) -> f64 {
        self.throughput.metrics.compression_rate_avg
    }

    fn score(&mut self) {
        let sent = self.replay_sent();
        self.scores = Scores {
            throughput: Scores::throughput_score(
                self.throughput.records_per_sec,
                self.reference.records_per_sec,
            ),
            durability: Scores::durability_score(self.replay_lost(), sent),
            latency: Scores::latency_score(self.latency.latency.p99_ms),
            risk: Scores::risk_score(
                self.replay_lost() + self.replay_duplicated() + self.replay_reordered(),
                sent,
            ),
        };
    }
}

/// How far a measurement is.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub runs_done: usize,
    pub runs_total: usize,
    /// The run in progress, if any.
    pub current: Option<RunKind>,
    /// The scores (and the runs behind them) are measured; the sweep may still run.
    pub scores_ready: bool,
    pub done: bool,
}

impl Progress {
    /// 0.0 to 1.0.
    pub fn fraction(&self) -> f64 {
        if self.runs_total == 0 {
            1.0
        } else {
            self.runs_done as f64 / self.runs_total as f64
        }
    }
}

/// Simulated time per tick: the grain at which a run checks whether it is finished, and
/// the smallest slice a step can take (small, so one step stays short in a browser).
const TICK: SimDuration = SimDuration(250);
/// After the producer is idle, replication settles for this long (as `run_until_idle`).
const SETTLE: SimDuration = SimDuration(200_000);
/// No run goes beyond this much simulated time.
const RUN_LIMIT: SimTime = SimTime(600_000_000);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Until the producer is idle (every record acknowledged or failed).
    Running,
    /// Letting replication settle until the given time.
    Settling(SimTime),
    /// Waiting for faults scheduled after the producer went idle.
    AwaitingFaults(SimTime),
    Done,
}

/// One simulation advanced tick by tick, the way `run_with_faults` runs it: to idle,
/// settle, then (if faults are still to come) to the last fault, to idle, settle.
struct SlicedRun {
    sim: Simulation,
    stage: Stage,
    last_fault: Option<SimTime>,
}

impl SlicedRun {
    fn new(config: SimConfig, seed: u64, faults: &[ScheduledFault]) -> Result<Self, ConfigError> {
        let mut sim = Simulation::new(config, seed)?;
        for f in faults {
            sim.inject(*f);
        }
        sim.start_workload();
        Ok(SlicedRun {
            sim,
            stage: Stage::Running,
            last_fault: faults.iter().map(|f| f.at).max(),
        })
    }

    /// One tick (or a stage change, which takes no simulated time). Returns the simulated
    /// time it advanced.
    fn tick(&mut self) -> SimDuration {
        let now = self.sim.now();
        let next_tick = SimTime((now.0 / TICK.0 + 1) * TICK.0);
        match self.stage {
            Stage::Running => {
                if self.sim.is_idle() || now >= RUN_LIMIT {
                    self.stage = Stage::Settling(now + SETTLE);
                    SimDuration::ZERO
                } else {
                    self.sim.advance_to(next_tick);
                    next_tick.since(now)
                }
            }
            Stage::Settling(until) | Stage::AwaitingFaults(until) if now < until => {
                let to = next_tick.min(until);
                self.sim.advance_to(to);
                to.since(now)
            }
            Stage::Settling(_) => {
                self.stage = match self.last_fault.take() {
                    Some(last) if last > now => Stage::AwaitingFaults(last),
                    _ => Stage::Done,
                };
                SimDuration::ZERO
            }
            Stage::AwaitingFaults(_) => {
                self.stage = Stage::Running;
                SimDuration::ZERO
            }
            Stage::Done => SimDuration::ZERO,
        }
    }
}

/// What a measurement has found so far: each run's summary once it is done, and the
/// sweep's finished points. The UI shows each number as soon as its run is done.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Findings {
    pub reference: Option<RunSummary>,
    pub throughput: Option<RunSummary>,
    pub latency: Option<RunSummary>,
    pub leader_crash: Option<RunSummary>,
    pub lost_response: Option<RunSummary>,
    /// The sweep's points measured so far, in axis order.
    pub sweep: Vec<SweepPoint>,
}

/// The scores whose runs are done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PartialScores {
    pub throughput: Option<f64>,
    pub durability: Option<f64>,
    pub latency: Option<f64>,
    pub risk: Option<f64>,
}

impl Findings {
    /// Each score as soon as the runs it needs are done.
    pub fn scores(&self) -> PartialScores {
        let replays = self.leader_crash.as_ref().zip(self.lost_response.as_ref());
        let sent = replays.map(|(c, x)| c.records_sent + x.records_sent);
        let lost = replays.map(|(c, x)| c.fates.acked_lost + x.fates.acked_lost);
        let bad = replays.map(|(c, x)| {
            c.fates.acked_lost
                + x.fates.acked_lost
                + c.fates.duplicated
                + x.fates.duplicated
                + c.fates.reordered
                + x.fates.reordered
        });
        PartialScores {
            throughput: self
                .throughput
                .as_ref()
                .zip(self.reference.as_ref())
                .map(|(t, r)| Scores::throughput_score(t.records_per_sec, r.records_per_sec)),
            durability: lost.zip(sent).map(|(l, s)| Scores::durability_score(l, s)),
            latency: self
                .latency
                .as_ref()
                .map(|l| Scores::latency_score(l.latency.p99_ms)),
            risk: bad.zip(sent).map(|(b, s)| Scores::risk_score(b, s)),
        }
    }

    /// The whole result, once every run behind the scores is done.
    pub fn complete(&self, settings: TradeoffSettings, seed: u64) -> Option<TradeoffResult> {
        let mut result = TradeoffResult {
            settings,
            seed,
            reference: self.reference.clone()?,
            throughput: self.throughput.clone()?,
            latency: self.latency.clone()?,
            leader_crash: self.leader_crash.clone()?,
            lost_response: self.lost_response.clone()?,
            scores: Scores::default(),
            sweep: self.sweep.clone(),
        };
        result.score();
        Some(result)
    }
}

/// Runs measured before. The engine is deterministic, so a run with the same
/// configuration, faults and seed always gives the same summary and need not run again:
/// the reference run (the client's defaults) after the first measurement, and the runs of a
/// setting's new value that the last chart already swept.
#[derive(Clone, Debug, Default)]
pub struct RunMemo {
    /// Oldest first.
    runs: Vec<(SimConfig, Vec<ScheduledFault>, u64, RunSummary)>,
}

impl RunMemo {
    /// About three measurements' runs.
    const CAPACITY: usize = 64;

    fn get(&self, config: &SimConfig, faults: &[ScheduledFault], seed: u64) -> Option<&RunSummary> {
        self.runs
            .iter()
            .find(|(c, f, s, _)| *s == seed && f == faults && c == config)
            .map(|(_, _, _, summary)| summary)
    }

    fn insert(
        &mut self,
        config: SimConfig,
        faults: Vec<ScheduledFault>,
        seed: u64,
        summary: RunSummary,
    ) {
        if self.runs.len() == Self::CAPACITY {
            self.runs.remove(0);
        }
        self.runs.push((config, faults, seed, summary));
    }

    /// How many runs it holds.
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

/// A measurement in progress. Create it, call [`Measurement::step`] until it reports
/// `done`; read [`Measurement::findings`] at any time and [`Measurement::result`] once
/// the scores are measured.
pub struct Measurement {
    settings: TradeoffSettings,
    plan: MeasurementPlan,
    seed: u64,
    /// The runs still to do, last first.
    queue: Vec<(RunKind, SimConfig, Vec<ScheduledFault>)>,
    runs_total: usize,
    /// The run in progress, with what it was started from (for the memo).
    active: Option<(RunKind, SimConfig, Vec<ScheduledFault>, SlicedRun)>,
    memo: RunMemo,
    findings: Findings,
    sweep_throughput: Vec<Option<RunSummary>>,
    sweep_latency: Vec<Option<RunSummary>>,
    result: Option<TradeoffResult>,
}

impl Measurement {
    /// Plans the runs for `settings` with the default plan. Fails with Kafka's message if
    /// Kafka would refuse the settings.
    pub fn new(settings: TradeoffSettings, seed: u64) -> Result<Self, ConfigError> {
        Measurement::with_plan(
            settings,
            MeasurementPlan::default(),
            seed,
            RunMemo::default(),
        )
    }

    /// Plans the runs. Those in `memo` (from earlier measurements, see
    /// [`Measurement::into_memo`]) finish at once, with the summaries they had.
    pub fn with_plan(
        settings: TradeoffSettings,
        plan: MeasurementPlan,
        seed: u64,
        memo: RunMemo,
    ) -> Result<Self, ConfigError> {
        let mut queue = Vec::new();
        let defaults = plan.defaults();
        queue.push((
            RunKind::Throughput,
            throughput_config(&plan, settings),
            vec![],
        ));
        // With the client's defaults the throughput run is the reference run.
        if settings != defaults {
            queue.push((
                RunKind::Reference,
                throughput_config(&plan, defaults),
                vec![],
            ));
        }
        queue.push((RunKind::Latency, latency_config(&plan, settings), vec![]));
        queue.push((
            RunKind::LeaderCrash,
            replay_config(&plan, settings, false),
            plan.leader_crash.clone(),
        ));
        queue.push((
            RunKind::LostResponse,
            replay_config(&plan, settings, true),
            plan.lost_response.clone(),
        ));
        let points = plan.sweep.as_ref().map_or(0, SweepAxis::len);
        if let Some(axis) = &plan.sweep {
            for index in 0..points {
                let at = axis.settings_at(index, settings);
                // The point at the user's own value is the throughput and latency runs.
                if at == settings {
                    continue;
                }
                queue.push((
                    RunKind::SweepThroughput { index },
                    throughput_config(&plan, at),
                    vec![],
                ));
                queue.push((
                    RunKind::SweepLatency { index },
                    latency_config(&plan, at),
                    vec![],
                ));
            }
        }
        for (_, config, _) in &queue {
            config.validate()?;
        }
        queue.reverse();
        Ok(Measurement {
            settings,
            seed,
            runs_total: queue.len(),
            queue,
            active: None,
            memo,
            findings: Findings::default(),
            sweep_throughput: vec![None; points],
            sweep_latency: vec![None; points],
            result: None,
            plan,
        })
    }

    pub fn settings(&self) -> TradeoffSettings {
        self.settings
    }

    /// Advances the runs by at most `budget` of simulated time in total (at least one
    /// tick), then reports progress. The result does not depend on the budgets used.
    pub fn step(&mut self, budget: SimDuration) -> Progress {
        let mut spent = SimDuration::ZERO;
        let mut ticked = false;
        while !ticked || spent < budget {
            if self.active.is_none() {
                let Some((kind, config, faults)) = self.queue.pop() else {
                    break;
                };
                if let Some(summary) = self.memo.get(&config, &faults, self.seed) {
                    let summary = summary.clone();
                    self.finish(kind, summary);
                    continue;
                }
                // Every config was validated when the plan was made.
                if let Ok(run) = SlicedRun::new(config.clone(), self.seed, &faults) {
                    self.active = Some((kind, config, faults, run));
                }
                continue;
            }
            let Some((_, _, _, run)) = self.active.as_mut() else {
                break;
            };
            spent = spent + run.tick();
            ticked = true;
            if run.stage == Stage::Done {
                if let Some((kind, config, faults, run)) = self.active.take() {
                    let summary = run.sim.summary();
                    self.memo.insert(config, faults, self.seed, summary.clone());
                    self.finish(kind, summary);
                }
            }
        }
        self.progress()
    }

    /// Runs everything to the end.
    pub fn run_to_end(&mut self) -> Option<&TradeoffResult> {
        while !self.step(SimDuration::from_ms(60_000)).done {}
        self.result.as_ref()
    }

    pub fn progress(&self) -> Progress {
        let remaining = self.queue.len() + usize::from(self.active.is_some());
        Progress {
            runs_done: self.runs_total - remaining,
            runs_total: self.runs_total,
            current: self.active.as_ref().map(|(k, ..)| *k),
            scores_ready: self.result.is_some(),
            done: remaining == 0,
        }
    }

    /// Everything measured so far.
    pub fn findings(&self) -> &Findings {
        &self.findings
    }

    /// The result, once the scores are measured; its sweep fills in as the sweep runs.
    pub fn result(&self) -> Option<&TradeoffResult> {
        self.result.as_ref()
    }

    /// The runs measured so far (and those this measurement was given), to hand to the
    /// next measurement.
    pub fn into_memo(self) -> RunMemo {
        self.memo
    }

    pub fn is_done(&self) -> bool {
        self.progress().done
    }

    fn finish(&mut self, kind: RunKind, summary: RunSummary) {
        let f = &mut self.findings;
        match kind {
            RunKind::Reference => f.reference = Some(summary),
            RunKind::Throughput => {
                if f.reference.is_none() && self.settings == self.plan.defaults() {
                    f.reference = Some(summary.clone());
                }
                f.throughput = Some(summary)
            }
            RunKind::Latency => f.latency = Some(summary),
            RunKind::LeaderCrash => f.leader_crash = Some(summary),
            RunKind::LostResponse => f.lost_response = Some(summary),
            RunKind::SweepThroughput { index } => self.sweep_throughput[index] = Some(summary),
            RunKind::SweepLatency { index } => self.sweep_latency[index] = Some(summary),
        }
        self.findings.sweep = self.sweep_points();
        self.result = self.findings.complete(self.settings, self.seed);
    }

    /// The sweep's points whose runs are both done, in axis order.
    fn sweep_points(&self) -> Vec<SweepPoint> {
        let Some(axis) = &self.plan.sweep else {
            return Vec::new();
        };
        (0..axis.len())
            .filter_map(|i| {
                let own = axis.settings_at(i, self.settings) == self.settings;
                let (t, l) = if own {
                    (
                        self.findings.throughput.as_ref()?,
                        self.findings.latency.as_ref()?,
                    )
                } else {
                    (
                        self.sweep_throughput[i].as_ref()?,
                        self.sweep_latency[i].as_ref()?,
                    )
                };
                Some(SweepPoint {
                    x: axis.x(i),
                    records_per_sec: t.records_per_sec,
                    p99_ms: l.latency.p99_ms,
                    batch_size_avg: l.metrics.batch_size_avg,
                })
            })
            .collect()
    }
}

/// The full-speed run of `settings` (the throughput run, and the sweep's throughput points).
pub fn throughput_config(plan: &MeasurementPlan, settings: TradeoffSettings) -> SimConfig {
    let mut c = plan.base.clone();
    settings.apply_to(&mut c);
    c.workload.records = plan.throughput_records;
    c.workload.rate = 0.0;
    c
}

fn latency_config(plan: &MeasurementPlan, settings: TradeoffSettings) -> SimConfig {
    let mut c = plan.base.clone();
    settings.apply_to(&mut c);
    c.workload.records = plan.latency_records(settings);
    c.workload.rate = plan.latency_rate;
    c
}

fn replay_config(
    plan: &MeasurementPlan,
    settings: TradeoffSettings,
    lost_response: bool,
) -> SimConfig {
    let mut c = plan.base.clone();
    settings.apply_to(&mut c);
    c.workload.records = plan.replay_records;
    c.workload.rate = plan.replay_rate;
    c.cluster.broker_replication_latency_ms = plan.replay_replication_latency_ms;
    if lost_response {
        let p = &mut c.producer;
        p.request_timeout_ms = plan.lost_response_request_timeout_ms;
        // Long enough for the retry to happen, and never below what KafkaProducer
        // requires (delivery.timeout.ms >= linger.ms + request.timeout.ms).
        p.delivery_timeout_ms = 30_000.max(p.linger_ms.saturating_add(p.request_timeout_ms));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default plan without the sweep, for tests that only need the scores.
    fn no_sweep() -> MeasurementPlan {
        MeasurementPlan {
            sweep: None,
            ..MeasurementPlan::default()
        }
    }

    fn measure(settings: TradeoffSettings, plan: MeasurementPlan) -> TradeoffResult {
        Measurement::with_plan(settings, plan, 7, RunMemo::default())
            .expect("valid settings")
            .run_to_end()
            .expect("a finished measurement has a result")
            .clone()
    }

    fn with(f: impl FnOnce(&mut TradeoffSettings)) -> TradeoffSettings {
        let mut s = TradeoffSettings::default();
        f(&mut s);
        s
    }

    #[test]
    fn defaults_are_kafkas() {
        let s = TradeoffSettings::default();
        assert_eq!(s.acks, Acks::All);
        assert_eq!(s.batch_size, 16_384);
        assert_eq!(s.linger_ms, 5);
        assert_eq!(s.compression_type, CompressionType::None);
        assert_eq!(s.enable_idempotence, None);
        assert_eq!(TradeoffSettings::from_config(&s.to_config()), s);
    }

    #[test]
    fn score_mappings_are_monotone_with_documented_anchors() {
        assert_eq!(Scores::throughput_score(1000.0, 1000.0), 50.0);
        assert!((Scores::throughput_score(10_000.0, 1000.0) - 100.0).abs() < 1e-9);
        assert!(Scores::throughput_score(100.0, 1000.0).abs() < 1e-9);
        assert_eq!(Scores::throughput_score(0.0, 1000.0), 0.0);
        assert!((Scores::latency_score(1000.0) - 100.0).abs() < 1e-9);
        assert_eq!(Scores::latency_score(0.5), 0.0);
        assert!((Scores::latency_score(10.0) - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(Scores::durability_score(0, 8000), 100.0);
        assert_eq!(Scores::durability_score(8000, 8000), 0.0);
        assert_eq!(Scores::risk_score(0, 8000), 0.0);
        assert_eq!(Scores::risk_score(8000, 8000), 100.0);
        let mut last = (f64::MIN, f64::MAX, f64::MIN, f64::MIN);
        for i in 1..200u64 {
            let rps = 100.0 * i as f64;
            let now = (
                Scores::throughput_score(rps, 5_000.0),
                Scores::durability_score(i * 10, 8000),
                Scores::latency_score(i as f64),
                Scores::risk_score(i * 10, 8000),
            );
            assert!(now.0 >= last.0 && now.1 <= last.1 && now.2 >= last.2 && now.3 >= last.3);
            last = now;
        }
        // One lost record already shows.
        assert!(Scores::durability_score(1, 8000) < 95.0);
    }

    #[test]
    fn invalid_settings_are_refused_with_kafkas_rule() {
        let s = with(|s| {
            s.acks = Acks::One;
            s.enable_idempotence = Some(true);
        });
        let err = s
            .validate()
            .expect_err("Kafka refuses idempotence with acks=1");
        assert!(Measurement::new(s, 1).is_err());
        assert!(err.message.contains("acks"), "{err}");
    }

    #[test]
    fn acks_0_is_at_least_as_fast_and_less_durable_than_acks_all() {
        let all = measure(TradeoffSettings::default(), no_sweep());
        let zero = measure(with(|s| s.acks = Acks::Zero), no_sweep());
        assert!(
            zero.throughput.records_per_sec >= all.throughput.records_per_sec,
            "acks=0 {} vs acks=all {}",
            zero.throughput.records_per_sec,
            all.throughput.records_per_sec
        );
        assert!(zero.scores.throughput >= all.scores.throughput);
        assert_eq!(
            all.replay_lost(),
            0,
            "acks=all with min.insync 2 loses nothing"
        );
        assert!(zero.replay_lost() > 0, "acks=0 loses records in the replay");
        assert!(zero.scores.durability < all.scores.durability);
        assert!(zero.scores.risk > all.scores.risk);
        // Every record has exactly one fate.
        for r in [&all, &zero] {
            for s in [&r.leader_crash, &r.lost_response] {
                assert_eq!(s.fates.total(), s.records_sent);
            }
        }
    }

    #[test]
    fn longer_linger_fills_bigger_batches_and_waits_longer_at_a_low_rate() {
        let short = measure(with(|s| s.linger_ms = 0), no_sweep());
        let long = measure(with(|s| s.linger_ms = 50), no_sweep());
        assert!(
            long.latency.metrics.batch_size_avg > short.latency.metrics.batch_size_avg,
            "batch-size-avg {} vs {}",
            long.latency.metrics.batch_size_avg,
            short.latency.metrics.batch_size_avg
        );
        assert!(long.latency.latency.p99_ms > short.latency.latency.p99_ms);
        assert!(long.scores.latency > short.scores.latency);
    }

    #[test]
    fn compression_changes_the_compression_rate() {
        let none = measure(TradeoffSettings::default(), no_sweep());
        let lz4 = measure(
            with(|s| s.compression_type = CompressionType::Lz4),
            no_sweep(),
        );
        assert_eq!(none.compression_rate(), 1.0);
        assert!(
            lz4.compression_rate() < 0.9,
            "JSON values compress: rate {}",
            lz4.compression_rate()
        );
        assert!(lz4.throughput.metrics.batch_size_avg < none.throughput.metrics.batch_size_avg);
    }

    #[test]
    fn idempotence_removes_duplicates_after_a_lost_response() {
        let off = measure(with(|s| s.enable_idempotence = Some(false)), no_sweep());
        let on = measure(with(|s| s.enable_idempotence = Some(true)), no_sweep());
        assert!(
            off.lost_response.fates.duplicated > 0,
            "a retried batch whose answer was lost is appended twice: {:?}",
            off.lost_response.fates
        );
        assert_eq!(on.lost_response.fates.duplicated, 0);
        assert_eq!(on.lost_response.fates.reordered, 0);
        assert!(on.scores.risk < off.scores.risk);
    }

    #[test]
    fn same_seed_same_result() {
        let s = with(|s| s.acks = Acks::One);
        assert_eq!(measure(s, no_sweep()), measure(s, no_sweep()));
    }

    #[test]
    fn slicing_does_not_change_the_result() {
        let s = with(|s| {
            s.acks = Acks::One;
            s.linger_ms = 10;
        });
        let plan = MeasurementPlan {
            sweep: Some(SweepAxis::LingerMs(vec![0, 10, 20])),
            ..MeasurementPlan::default()
        };
        let whole = measure(s, plan.clone());
        let mut m = Measurement::with_plan(s, plan, 7, RunMemo::default()).unwrap();
        let mut steps = 0;
        let mut last = m.progress();
        while !last.done {
            let p = m.step(SimDuration::from_ms(3));
            assert!(p.runs_done >= last.runs_done);
            last = p;
            steps += 1;
        }
        assert!(steps > 100, "small budgets take many steps ({steps})");
        assert_eq!(m.result(), Some(&whole));
        assert_eq!(whole.sweep.len(), 3);
        assert_eq!(
            whole.sweep[1].records_per_sec,
            whole.throughput.records_per_sec
        );
    }

    #[test]
    fn scores_come_before_the_sweep() {
        let mut m = Measurement::new(TradeoffSettings::default(), 3).unwrap();
        let mut saw_scores_first = false;
        loop {
            let p = m.step(SimDuration::from_ms(50));
            if p.scores_ready && !p.done {
                saw_scores_first = true;
            }
            if p.done {
                break;
            }
        }
        assert!(saw_scores_first);
        let r = m.result().unwrap();
        // Kafka's defaults are their own reference.
        assert_eq!(r.scores.throughput, 50.0);
        assert_eq!(r.sweep.len(), 8);
        assert!(r.sweep.windows(2).all(|w| w[0].x < w[1].x));
    }

    #[test]
    fn runs_measured_before_are_not_run_again() {
        let plan = || MeasurementPlan {
            throughput_records: 1_000,
            latency_rate: 1_000.0,
            replay_records: 1_000,
            sweep: Some(SweepAxis::LingerMs(vec![0, 20])),
            ..MeasurementPlan::default()
        };
        let s = with(|s| s.acks = Acks::One);
        let mut first = Measurement::with_plan(s, plan(), 5, RunMemo::default()).unwrap();
        first.run_to_end();
        let memo = first.into_memo();
        // The reference, throughput and latency runs, two replays, and two runs for each
        // of the sweep's points (0 and 20 ms).
        assert_eq!(memo.len(), 3 + 2 + 2 * 2);

        // The same settings again: every run is remembered, nothing runs.
        let mut again = Measurement::with_plan(s, plan(), 5, memo.clone()).unwrap();
        assert!(again.step(SimDuration::from_ms(1)).done);
        let mut fresh = Measurement::with_plan(s, plan(), 5, RunMemo::default()).unwrap();
        fresh.run_to_end();
        assert_eq!(again.findings(), fresh.findings());

        // linger.ms moved to a value the chart swept: its throughput and latency runs and
        // the reference are remembered, the replays and the other sweep points are not.
        let moved = with(|s| {
            s.acks = Acks::One;
            s.linger_ms = 20;
        });
        let mut next = Measurement::with_plan(moved, plan(), 5, memo).unwrap();
        let mut fresh = Measurement::with_plan(moved, plan(), 5, RunMemo::default()).unwrap();
        while next.findings().throughput.is_none() {
            next.step(SimDuration::from_ms(1));
        }
        assert!(next.findings().latency.is_some() && next.findings().reference.is_some());
        assert!(
            next.findings().leader_crash.is_none(),
            "the replays still run"
        );
        next.run_to_end();
        fresh.run_to_end();
        assert_eq!(next.findings(), fresh.findings());
        // A different seed or fault is a different run.
        let memo = next.into_memo();
        assert!(memo
            .get(&throughput_config(&plan(), moved), &[], 6)
            .is_none());
        assert!(memo
            .get(&throughput_config(&plan(), moved), &[], 5)
            .is_some());
        let crash = plan().leader_crash;
        assert!(memo
            .get(&throughput_config(&plan(), moved), &crash, 5)
            .is_none());
    }

    #[test]
    fn the_memo_keeps_the_latest_runs() {
        let mut memo = RunMemo::default();
        let mut config = SimConfig::default();
        config.workload.records = 10;
        let run = super::super::sim::run(&config, 1).unwrap();
        for seed in 0..(RunMemo::CAPACITY as u64 + 10) {
            memo.insert(config.clone(), vec![], seed, run.clone());
        }
        assert_eq!(memo.len(), RunMemo::CAPACITY);
        assert!(memo.get(&config, &[], 0).is_none(), "the oldest went first");
        assert!(memo
            .get(&config, &[], RunMemo::CAPACITY as u64 + 9)
            .is_some());
    }

    #[test]
    fn findings_fill_in_run_by_run() {
        let mut m = Measurement::with_plan(
            with(|s| s.acks = Acks::One),
            no_sweep(),
            9,
            RunMemo::default(),
        )
        .unwrap();
        assert_eq!(m.findings().scores(), PartialScores::default());
        let mut seen_partial = false;
        while !m.step(SimDuration::from_ms(20)).done {
            let scores = m.findings().scores();
            if scores.throughput.is_some() && scores.risk.is_none() {
                seen_partial = true;
                assert!(m.result().is_none());
            }
        }
        assert!(
            seen_partial,
            "throughput is known before the replays finish"
        );
        let r = m.result().unwrap();
        let s = m.findings().scores();
        assert_eq!(s.throughput, Some(r.scores.throughput));
        assert_eq!(s.durability, Some(r.scores.durability));
        assert_eq!(s.latency, Some(r.scores.latency));
        assert_eq!(s.risk, Some(r.scores.risk));
    }

    #[test]
    fn the_batch_size_sweep_measures_each_size() {
        let plan = MeasurementPlan {
            sweep: Some(SweepAxis::BatchSize(vec![1024, 65_536])),
            ..MeasurementPlan::default()
        };
        let r = measure(TradeoffSettings::default(), plan);
        assert_eq!(r.sweep.len(), 2);
        assert_eq!(r.sweep[0].x, 1024.0);
        // Tiny batches mean many more requests for the same records.
        assert!(r.sweep[0].records_per_sec < r.sweep[1].records_per_sec);
    }

    #[test]
    fn the_latency_run_lasts_five_lingers_within_its_bounds() {
        let plan = MeasurementPlan::default();
        let at = |linger_ms| plan.latency_window_ms(with(|s| s.linger_ms = linger_ms));
        assert_eq!(at(0), 500);
        assert_eq!(at(100), 500);
        assert_eq!(at(1000), 5_000);
        assert_eq!(at(10_000), 20_000, "bounded");
        assert_eq!(plan.latency_records(with(|s| s.linger_ms = 1000)), 25_000);
    }

    #[test]
    fn linger_and_batch_size_at_their_largest_show_their_effect_on_p99() {
        // At 5,000 records/s a partition's 1 MiB batch would take about 3 s to fill, so it
        // is sent when linger.ms (1 s) runs out; a 256 KiB batch fills in about 0.7 s.
        // Before the run lasted five lingers both reported the run's length (499.71 ms).
        let one_mib = measure(
            with(|s| {
                s.linger_ms = 1000;
                s.batch_size = 1_048_576;
            }),
            no_sweep(),
        );
        let quarter = measure(
            with(|s| {
                s.linger_ms = 1000;
                s.batch_size = 262_144;
            }),
            no_sweep(),
        );
        let p99 = |r: &TradeoffResult| r.latency.latency.p99_ms;
        assert!(
            p99(&one_mib) >= 950.0,
            "lingers out at 1 s: {}",
            p99(&one_mib)
        );
        assert!(
            p99(&quarter) < p99(&one_mib) - 100.0,
            "fills first: {} vs {}",
            p99(&quarter),
            p99(&one_mib)
        );
        assert!(one_mib.latency.duration_ms >= 5_000.0);
        assert_eq!(one_mib.latency.records_sent, 25_000);
    }

    #[test]
    fn each_run_reports_its_own_batches() {
        // linger.ms 0 at a steady 5,000 records/s sends batches of a record or two, which
        // lz4 hardly shrinks; at full speed the same settings fill batches that shrink a
        // lot. Each run's compression-rate-avg belongs to its own batch-size-avg.
        let r = measure(
            with(|s| {
                s.linger_ms = 0;
                s.compression_type = CompressionType::Lz4;
            }),
            no_sweep(),
        );
        let (t, l) = (&r.throughput.metrics, &r.latency.metrics);
        assert!(
            l.batch_size_avg < t.batch_size_avg / 4.0,
            "batch-size-avg {} vs {}",
            l.batch_size_avg,
            t.batch_size_avg
        );
        assert!(
            l.compression_rate_avg > t.compression_rate_avg + 0.2,
            "compression-rate-avg {} (small batches) vs {} (full speed)",
            l.compression_rate_avg,
            t.compression_rate_avg
        );
        // A batch is never smaller than its records compressed at the run's rate allows:
        // uncompressed bytes per batch = batch-size-avg / compression-rate-avg.
        assert!(l.batch_size_avg / l.compression_rate_avg >= l.record_size_avg * 0.9);
    }

    #[test]
    fn a_clients_plan_runs_its_defaults_and_rules() {
        let plan = || MeasurementPlan {
            sweep: None,
            ..MeasurementPlan::for_client(Client::Librdkafka)
        };
        let defaults = plan().defaults();
        // librdkafka's CONFIGURATION.md: batch.size 1000000, linger.ms 5, idempotence off.
        assert_eq!(defaults.batch_size, 1_000_000);
        assert_eq!(defaults.linger_ms, 5);
        assert_eq!(defaults.enable_idempotence, Some(false));
        assert_eq!(plan().client(), Client::Librdkafka);
        let rdkafka = measure(defaults, plan());
        let java = measure(TradeoffSettings::default(), no_sweep());
        // The client's defaults are their own reference.
        assert_eq!(rdkafka.scores.throughput, 50.0);
        assert!(
            rdkafka.throughput.metrics.batch_size_avg > java.throughput.metrics.batch_size_avg,
            "1,000,000-byte batches fill fuller than 16 KiB ones"
        );
        // Without idempotence a retried batch whose answer was lost is written twice.
        assert!(rdkafka.lost_response.fates.duplicated > 0);
        assert_eq!(java.lost_response.fates.duplicated, 0);
    }
}
