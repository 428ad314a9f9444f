//! The simulated world: one producer, a cluster of brokers, simulated time.
//!
//! STUB: the public API below is the contract the CLI and the UI code against.

use super::config::{ConfigError, SimConfig};
use super::event::Event;
use super::metrics::{LatencySummary, ProducerMetrics};
use super::partitioner::PartitionChoice;
use super::time::SimTime;
use serde::{Deserialize, Serialize};

/// How every record sent ended (issue: fates). The counts add up to `records_sent`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fates {
    pub acked_durable: u64,
    pub acked_lost: u64,
    pub failed: u64,
    pub duplicated: u64,
    pub reordered: u64,
    pub in_flight: u64,
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
    /// A digest of the event stream: equal digests mean identical runs.
    pub digest: u64,
}

/// One partition as the UI draws it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartitionView {
    pub partition: u32,
    pub leader: Option<u32>,
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
    pub in_flight_requests: u32,
}

/// The world at one instant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterView {
    pub now: SimTime,
    pub brokers: Vec<BrokerView>,
    pub partitions: Vec<PartitionView>,
    pub buffer_available_bytes: u64,
}

/// The world.
pub struct Simulation {
    config: SimConfig,
    seed: u64,
    now: SimTime,
}

impl Simulation {
    /// Validates the config and builds the world at time zero.
    pub fn new(config: SimConfig, seed: u64) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Simulation {
            config,
            seed,
            now: SimTime::ZERO,
        })
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The application calls `send()` now with this key and a value from the workload's
    /// profile (`value_len` bytes). Returns where the partitioner put it.
    pub fn send(&mut self, key: Option<&[u8]>, value_len: u32) -> PartitionChoice {
        let _ = (key, value_len, self.seed);
        PartitionChoice::Sticky { partition: 0 }
    }

    /// Runs the world (and the configured workload, if started) up to `until`.
    pub fn advance_to(&mut self, until: SimTime) {
        self.now = self.now.max(until);
    }

    /// Events since the last call (recorded only after `record_events(true)`).
    pub fn drain_events(&mut self) -> Vec<Event> {
        Vec::new()
    }

    pub fn record_events(&mut self, on: bool) {
        let _ = on;
    }

    pub fn view(&self) -> ClusterView {
        ClusterView {
            now: self.now,
            brokers: Vec::new(),
            partitions: Vec::new(),
            buffer_available_bytes: 0,
        }
    }

    pub fn metrics(&self) -> ProducerMetrics {
        ProducerMetrics::default()
    }
}

/// Runs the configured workload to the end and summarises it.
pub fn run(config: &SimConfig, seed: u64) -> Result<RunSummary, ConfigError> {
    let _sim = Simulation::new(config.clone(), seed)?;
    Ok(RunSummary {
        seed,
        ..RunSummary::default()
    })
}
