//! Producer, topic, cluster and workload settings, with Kafka's defaults.
//!
//! Producer defaults follow `clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java`
//! (Kafka 4.x). Settings that only exist in the simulator (cluster shape, network,
//! workload) have names that say so and are documented on their fields.
//!
//! STUB: the config helper fills in `set`, `get`, properties parsing/writing and validation.

use serde::{Deserialize, Serialize};
use std::fmt;

/// `acks`: how many replicas must have a record before the leader answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Acks {
    /// `acks=0`: the producer does not wait for an answer.
    Zero,
    /// `acks=1`: the leader answers after appending to its own log.
    One,
    /// `acks=all` (`-1`): the leader answers once every replica in the ISR has the records.
    All,
}

/// `compression.type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompressionType {
    None,
    Gzip,
    Snappy,
    Lz4,
    Zstd,
}

/// `partitioner.class`: which partitioner places records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartitionerClass {
    /// Unset: the built-in partitioner (KIP-794, Kafka 3.3+).
    BuiltIn,
    /// `org.apache.kafka.clients.producer.RoundRobinPartitioner`.
    RoundRobin,
    /// The KIP-480 sticky partitioner of Kafka 2.4 to 3.2 (`DefaultPartitioner`).
    LegacySticky,
}

/// The Java producer's settings (Kafka 4.x defaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProducerConfig {
    /// `acks`, default `all` (since 3.0, KIP-679).
    pub acks: Acks,
    /// `enable.idempotence`: `None` when the user left it unset (default true, but
    /// quietly turned off by conflicting settings), `Some(v)` when set explicitly.
    pub enable_idempotence: Option<bool>,
    /// `batch.size`, default 16384 bytes.
    pub batch_size: u32,
    /// `linger.ms`, default 5 (since 4.0, KIP-1030).
    pub linger_ms: u64,
    /// `buffer.memory`, default 33554432 bytes.
    pub buffer_memory: u64,
    /// `max.block.ms`, default 60000.
    pub max_block_ms: u64,
    /// `max.in.flight.requests.per.connection`, default 5.
    pub max_in_flight_requests_per_connection: u32,
    /// `retries`, default 2147483647.
    pub retries: u32,
    /// `retry.backoff.ms`, default 100.
    pub retry_backoff_ms: u64,
    /// `retry.backoff.max.ms`, default 1000.
    pub retry_backoff_max_ms: u64,
    /// `delivery.timeout.ms`, default 120000.
    pub delivery_timeout_ms: u64,
    /// `request.timeout.ms`, default 30000.
    pub request_timeout_ms: u64,
    /// `max.request.size`, default 1048576.
    pub max_request_size: u32,
    /// `compression.type`, default none.
    pub compression_type: CompressionType,
    /// `compression.gzip.level`, default -1 (zlib's default, 6). KIP-390.
    pub compression_gzip_level: i32,
    /// `compression.lz4.level`, default 9. KIP-390.
    pub compression_lz4_level: i32,
    /// `compression.zstd.level`, default 3. KIP-390.
    pub compression_zstd_level: i32,
    /// `partitioner.class`, default unset (built-in).
    pub partitioner_class: PartitionerClass,
    /// `partitioner.adaptive.partitioning.enable`, default true.
    pub partitioner_adaptive_partitioning_enable: bool,
    /// `partitioner.availability.timeout.ms`, default 0 (off).
    pub partitioner_availability_timeout_ms: u64,
    /// `partitioner.ignore.keys`, default false.
    pub partitioner_ignore_keys: bool,
}

/// The topic's settings and the broker settings that act on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicConfig {
    /// `partitions` (topic creation), simulator default 3.
    pub partitions: u32,
    /// `replication.factor` (topic creation), simulator default 3.
    pub replication_factor: u32,
    /// `min.insync.replicas`, Kafka default 1; the simulator's default scenario uses 2.
    pub min_insync_replicas: u32,
    /// `unclean.leader.election.enable`, default false.
    pub unclean_leader_election_enable: bool,
    /// `replica.lag.time.max.ms` (broker), default 30000.
    pub replica_lag_time_max_ms: u64,
    /// `replica.fetch.wait.max.ms` (broker), default 500.
    pub replica_fetch_wait_max_ms: u64,
    /// `broker.session.timeout.ms` (KRaft controller), default 9000: how long before a
    /// crashed broker is fenced and its partitions get new leaders.
    pub broker_session_timeout_ms: u64,
}

/// The simulated machines and network (simulator-only settings).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterConfig {
    /// `brokers`, default 3.
    pub brokers: u32,
    /// `network.rtt.ms`: round trip between any two hosts, default 1.0.
    pub network_rtt_ms: f64,
    /// `network.bandwidth.mbps`: each host's link, in megabytes per second, default 125 (1 Gbit/s).
    pub network_bandwidth_mbps: f64,
    /// `broker.append.latency.ms`: time for a leader to append a batch, default 0.2.
    pub broker_append_latency_ms: f64,
    /// `broker.replication.latency.ms`: time for a follower to append fetched data, default 0.2.
    pub broker_replication_latency_ms: f64,
}

/// How record keys are chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum KeyDistribution {
    /// Every record has a null key.
    None,
    /// `count` distinct keys, each equally likely.
    Uniform { count: u32 },
    /// `count` distinct keys, Zipf-distributed with the given exponent (hot keys).
    Zipf { count: u32, exponent: f64 },
    /// The given keys (UTF-8), taken in turn.
    List(Vec<String>),
}

/// What the value bytes look like, which decides how well they compress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueProfile {
    /// Uniformly random bytes: incompressible.
    Random,
    /// JSON events with a fixed set of fields and varying values.
    Json,
    /// Application log lines.
    LogLines,
    /// The same text over and over: compresses extremely well.
    RepeatedText,
}

/// The application that calls `send()`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkloadConfig {
    /// `workload.records`: how many records to send, default 100000.
    pub records: u64,
    /// `workload.rate`: records per second; 0 sends as fast as the producer accepts
    /// them (like `kafka-producer-perf-test --throughput -1`). Default 0.
    pub rate: f64,
    /// `workload.keys`: `none`, `uniform:N`, `zipf:N:EXPONENT` or `list:a,b,c`. Default `uniform:1000`.
    pub keys: KeyDistribution,
    /// `workload.value.size`: value bytes per record, default 200.
    pub value_size: u32,
    /// `workload.value.profile`: `random`, `json`, `log` or `text`. Default `json`.
    pub value_profile: ValueProfile,
}

/// Everything a run needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    pub producer: ProducerConfig,
    pub topic: TopicConfig,
    pub cluster: ClusterConfig,
    pub workload: WorkloadConfig,
}

impl Default for ProducerConfig {
    fn default() -> Self {
        ProducerConfig {
            acks: Acks::All,
            enable_idempotence: None,
            batch_size: 16384,
            linger_ms: 5,
            buffer_memory: 33_554_432,
            max_block_ms: 60_000,
            max_in_flight_requests_per_connection: 5,
            retries: 2_147_483_647,
            retry_backoff_ms: 100,
            retry_backoff_max_ms: 1000,
            delivery_timeout_ms: 120_000,
            request_timeout_ms: 30_000,
            max_request_size: 1_048_576,
            compression_type: CompressionType::None,
            compression_gzip_level: -1,
            compression_lz4_level: 9,
            compression_zstd_level: 3,
            partitioner_class: PartitionerClass::BuiltIn,
            partitioner_adaptive_partitioning_enable: true,
            partitioner_availability_timeout_ms: 0,
            partitioner_ignore_keys: false,
        }
    }
}

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig {
            partitions: 3,
            replication_factor: 3,
            min_insync_replicas: 2,
            unclean_leader_election_enable: false,
            replica_lag_time_max_ms: 30_000,
            replica_fetch_wait_max_ms: 500,
            broker_session_timeout_ms: 9_000,
        }
    }
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            brokers: 3,
            network_rtt_ms: 1.0,
            network_bandwidth_mbps: 125.0,
            broker_append_latency_ms: 0.2,
            broker_replication_latency_ms: 0.2,
        }
    }
}

impl Default for WorkloadConfig {
    fn default() -> Self {
        WorkloadConfig {
            records: 100_000,
            rate: 0.0,
            keys: KeyDistribution::Uniform { count: 1000 },
            value_size: 200,
            value_profile: ValueProfile::Json,
        }
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            producer: ProducerConfig::default(),
            topic: TopicConfig::default(),
            cluster: ClusterConfig::default(),
            workload: WorkloadConfig::default(),
        }
    }
}

/// A setting Kafka (or the simulator) would refuse, with a message that says why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigError {
    /// The setting the message is about, e.g. `acks`.
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl SimConfig {
    /// Whether the producer runs idempotently once Kafka's rules are applied.
    pub fn idempotence_enabled(&self) -> bool {
        self.producer
            .enable_idempotence
            .unwrap_or(self.producer.acks == Acks::All)
    }

    /// Refuses combinations Kafka refuses.
    pub fn validate(&self) -> Result<(), ConfigError> {
        Ok(())
    }

    /// Sets one setting by its Kafka (or simulator) name.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        Err(ConfigError {
            key: key.to_string(),
            message: format!("unknown setting (value {value})"),
        })
    }
}
