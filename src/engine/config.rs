//! Producer, topic, cluster and workload settings, with Kafka's defaults.
//!
//! Producer defaults follow `clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java`
//! (Kafka 4.x). Settings that only exist in the simulator (cluster shape, network,
//! workload) have names that say so and are documented on their fields.
//!
//! Every setting has a text name (Kafka's own for the producer and topic settings) and can
//! be read and written as text with [`SimConfig::get`] and [`SimConfig::set`], or as a
//! whole Java `.properties` file with [`SimConfig::from_properties`] and
//! [`SimConfig::to_properties`]. Single values are checked the way Kafka's `ConfigDef`
//! checks them (trimmed, typed, ranged, with Kafka's messages); [`SimConfig::validate`]
//! then applies the rules that involve several settings, in the order Kafka applies them.

use super::clients::Client;
use super::settings::{declared, Kind, DECLARED};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

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

impl Acks {
    /// The value as Kafka's documentation writes it: `0`, `1` or `all`.
    pub fn as_str(self) -> &'static str {
        match self {
            Acks::Zero => "0",
            Acks::One => "1",
            Acks::All => "all",
        }
    }
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

impl CompressionType {
    /// Kafka's name for the codec (`CompressionType.name`).
    pub fn as_str(self) -> &'static str {
        match self {
            CompressionType::None => "none",
            CompressionType::Gzip => "gzip",
            CompressionType::Snappy => "snappy",
            CompressionType::Lz4 => "lz4",
            CompressionType::Zstd => "zstd",
        }
    }
}

/// `partitioner.class`: which partitioner places records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartitionerClass {
    /// Unset: the built-in partitioner (KIP-794, Kafka 3.3+). Also `built-in`.
    BuiltIn,
    /// `org.apache.kafka.clients.producer.RoundRobinPartitioner`. Also `RoundRobinPartitioner`
    /// and `round-robin`.
    RoundRobin,
    /// The KIP-480 sticky partitioner of Kafka 2.4 to 3.2 (`DefaultPartitioner`): keyless
    /// records stay on one partition until its batch is sent. Selected with
    /// `org.apache.kafka.clients.producer.internals.DefaultPartitioner`, `DefaultPartitioner`
    /// or `legacy-sticky`; Kafka 4.0 removed that class (KAFKA-18262).
    LegacySticky,
}

/// `RoundRobinPartitioner`'s class name, as `partitioner.class` takes it.
pub const ROUND_ROBIN_PARTITIONER_CLASS: &str =
    "org.apache.kafka.clients.producer.RoundRobinPartitioner";
/// The class that gave the KIP-480 sticky behaviour. KIP-794 deprecated it in Kafka 3.3
/// and KAFKA-18262 removed it in 4.0; the simulator keeps its behaviour for comparison.
pub const LEGACY_DEFAULT_PARTITIONER_CLASS: &str =
    "org.apache.kafka.clients.producer.internals.DefaultPartitioner";

impl PartitionerClass {
    /// The `partitioner.class` value that selects this partitioner: empty for the
    /// built-in one (Kafka's unset), otherwise the Java class name.
    pub fn class_name(self) -> &'static str {
        match self {
            PartitionerClass::BuiltIn => "",
            PartitionerClass::RoundRobin => ROUND_ROBIN_PARTITIONER_CLASS,
            PartitionerClass::LegacySticky => LEGACY_DEFAULT_PARTITIONER_CLASS,
        }
    }
}

/// The Java producer's settings (Kafka 4.x defaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProducerConfig {
    /// `client`: whose producer this is (`engine::clients`), default `java`. Another
    /// client's profile brings its defaults ([`SimConfig::for_client`]), its setting names
    /// and its partitioners.
    #[serde(default)]
    pub client: Client,
    /// `partitioner`: the partitioner of a client other than Java, by its name in
    /// `engine::clients` (librdkafka's `partitioner` values); empty for the client's
    /// default. The Java client picks with `partitioner.class`.
    #[serde(default)]
    pub partitioner: String,
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
    /// The settings the user set explicitly (`--set`, a `.properties` file, the page's
    /// URL and controls), by the simulator's key. For some, being set changes what the
    /// client does ([`Client::when_unset`]): e.g. Kafka refuses an explicit
    /// `delivery.timeout.ms` below `linger.ms + request.timeout.ms` but quietly raises an
    /// unset one, and librdkafka refuses an explicit `max.in.flight` above 5 for an
    /// idempotent producer but lowers an unset one. A value set equal to the default is
    /// set. [`SimConfig::set`] records them; a client's defaults are not set.
    #[serde(default)]
    pub explicitly_set: BTreeSet<String>,
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
    /// librdkafka's `batch.num.messages`: the most records in one batch; 0 (the default
    /// here, and Java's rule) for no limit. librdkafka's own default is 10000.
    #[serde(default)]
    pub batch_num_messages: u32,
    /// librdkafka's `queue.buffering.max.messages` (franz-go `MaxBufferedRecords`): the
    /// most records sent and not yet done; 0 (the default here, and Java's rule) for no
    /// limit.
    #[serde(default)]
    pub queue_buffering_max_messages: u32,
    /// librdkafka's `queue.buffering.max.kbytes`: the most value bytes (KiB) of records
    /// sent and not yet done; 0 (the default here, and Java's rule, which limits
    /// `buffer.memory` instead) for no limit.
    #[serde(default)]
    pub queue_buffering_max_kbytes: u64,
    /// librdkafka's `sticky.partitioning.linger.ms`, default 10: how long keyless records
    /// stay on one partition (`CONFIGURATION.md`). Only librdkafka reads it.
    #[serde(default = "default_sticky_partitioning_linger_ms")]
    pub sticky_partitioning_linger_ms: u64,
}

fn default_sticky_partitioning_linger_ms() -> u64 {
    SimConfig::default().producer.sticky_partitioning_linger_ms
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
    /// `file:PATH`: the file's lines (any bytes but NUL), taken in turn.
    File(super::record_file::RecordFile),
}

/// Writes the `workload.keys` text form: `none`, `uniform:N`, `zipf:N:EXPONENT`, `list:a,b,c`.
impl fmt::Display for KeyDistribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyDistribution::None => write!(f, "none"),
            KeyDistribution::Uniform { count } => write!(f, "uniform:{count}"),
            KeyDistribution::Zipf { count, exponent } => write!(f, "zipf:{count}:{exponent}"),
            KeyDistribution::List(keys) => write!(f, "list:{}", keys.join(",")),
            KeyDistribution::File(file) => write!(f, "{file}"),
        }
    }
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

impl ValueProfile {
    /// The `workload.value.profile` value: `random`, `json`, `log` or `text`.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueProfile::Random => "random",
            ValueProfile::Json => "json",
            ValueProfile::LogLines => "log",
            ValueProfile::RepeatedText => "text",
        }
    }
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
    /// `workload.values`: `file:PATH` sends the file's lines as the values, in turn
    /// (profile and size then do not apply). Default unset (empty): generated values.
    pub values: Option<super::record_file::RecordFile>,
    /// `workload.messages.per.send`: messages in each send() call, default 1. Only kafkajs
    /// takes several (`producer.send({ messages: [...] })`) and batches per call.
    #[serde(default = "one")]
    pub messages_per_send: u32,
}

fn one() -> u32 {
    1
}

/// Everything a run needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    pub producer: ProducerConfig,
    pub topic: TopicConfig,
    pub cluster: ClusterConfig,
    pub workload: WorkloadConfig,
}

/// The declared defaults (`engine::settings`), applied with `set` over placeholder values.
impl Default for SimConfig {
    fn default() -> Self {
        let mut config = SimConfig::placeholder();
        for d in DECLARED {
            // Every declared default parses (pinned by a test).
            let _ = config.set(d.key, d.default);
        }
        config.producer.explicitly_set.clear();
        config
    }
}

impl Default for ProducerConfig {
    fn default() -> Self {
        SimConfig::default().producer
    }
}

impl Default for TopicConfig {
    fn default() -> Self {
        SimConfig::default().topic
    }
}

impl Default for ClusterConfig {
    fn default() -> Self {
        SimConfig::default().cluster
    }
}

impl Default for WorkloadConfig {
    fn default() -> Self {
        SimConfig::default().workload
    }
}

impl SimConfig {
    /// Every field at a placeholder that the declared defaults then overwrite.
    fn placeholder() -> SimConfig {
        SimConfig {
            producer: ProducerConfig {
                client: Client::Java,
                partitioner: String::new(),
                acks: Acks::All,
                enable_idempotence: None,
                batch_size: 0,
                linger_ms: 0,
                buffer_memory: 0,
                max_block_ms: 0,
                max_in_flight_requests_per_connection: 0,
                retries: 0,
                retry_backoff_ms: 0,
                retry_backoff_max_ms: 0,
                delivery_timeout_ms: 0,
                explicitly_set: BTreeSet::new(),
                request_timeout_ms: 0,
                max_request_size: 0,
                compression_type: CompressionType::None,
                compression_gzip_level: 0,
                compression_lz4_level: 0,
                compression_zstd_level: 0,
                partitioner_class: PartitionerClass::BuiltIn,
                partitioner_adaptive_partitioning_enable: false,
                partitioner_availability_timeout_ms: 0,
                partitioner_ignore_keys: false,
                sticky_partitioning_linger_ms: 0,
                batch_num_messages: 0,
                queue_buffering_max_messages: 0,
                queue_buffering_max_kbytes: 0,
            },
            topic: TopicConfig {
                partitions: 0,
                replication_factor: 0,
                min_insync_replicas: 0,
                unclean_leader_election_enable: false,
                replica_lag_time_max_ms: 0,
                replica_fetch_wait_max_ms: 0,
                broker_session_timeout_ms: 0,
            },
            cluster: ClusterConfig {
                brokers: 0,
                network_rtt_ms: 0.0,
                network_bandwidth_mbps: 0.0,
                broker_append_latency_ms: 0.0,
                broker_replication_latency_ms: 0.0,
            },
            workload: WorkloadConfig {
                records: 0,
                rate: 0.0,
                keys: KeyDistribution::None,
                value_size: 0,
                value_profile: ValueProfile::Json,
                values: None,
                messages_per_send: 1,
            },
        }
    }
}

/// A setting Kafka (or the simulator) would refuse, with a message that says why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigError {
    /// The setting the message is about, e.g. `acks`.
    pub key: String,
    /// A whole sentence; Kafka's own wording where Kafka has one.
    pub message: String,
}

impl ConfigError {
    fn new(key: &str, message: impl Into<String>) -> Self {
        ConfigError {
            key: key.to_string(),
            message: message.into(),
        }
    }
}

/// The message alone when it already names the setting, otherwise `key: message`.
impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() || self.message.contains(self.key.as_str()) {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.key, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}

/// The four groups settings come in, in the order `to_properties` writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingGroup {
    /// The Java producer's own settings (`ProducerConfig`).
    Producer,
    /// Topic settings and the broker settings that act on the topic.
    Topic,
    /// The simulated machines and network.
    Cluster,
    /// The simulated application calling `send()`.
    Workload,
}

impl SettingGroup {
    pub const ALL: [SettingGroup; 4] = [
        SettingGroup::Producer,
        SettingGroup::Topic,
        SettingGroup::Cluster,
        SettingGroup::Workload,
    ];

    /// The keys of this group, in `SimConfig::keys()` order.
    pub fn keys(self) -> &'static [&'static str] {
        group_keys(self)
    }

    /// A heading for the group.
    pub fn title(self) -> &'static str {
        match self {
            SettingGroup::Producer => "Producer (Kafka's ProducerConfig names and defaults)",
            SettingGroup::Topic => "Topic and brokers (Kafka's names)",
            SettingGroup::Cluster => "Cluster (simulated machines and network)",
            SettingGroup::Workload => "Workload (the simulated application)",
        }
    }

    /// The group a key belongs to, `None` for an unknown key.
    pub fn of(key: &str) -> Option<SettingGroup> {
        SettingGroup::ALL
            .into_iter()
            .find(|group| group.keys().contains(&key))
    }
}

/// Every key, grouped producer, topic, cluster, workload, as declared.
fn all_keys() -> &'static [&'static str] {
    static KEYS: OnceLock<Vec<&'static str>> = OnceLock::new();
    KEYS.get_or_init(|| DECLARED.iter().map(|d| d.key).collect())
}

/// The keys of one group, as declared (the groups are runs of the declaration).
fn group_keys(group: SettingGroup) -> &'static [&'static str] {
    static GROUPS: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    let groups = GROUPS.get_or_init(|| {
        SettingGroup::ALL
            .iter()
            .map(|&g| {
                DECLARED
                    .iter()
                    .filter(|d| d.group == g)
                    .map(|d| d.key)
                    .collect()
            })
            .collect()
    });
    let index = SettingGroup::ALL
        .iter()
        .position(|&g| g == group)
        .unwrap_or(0);
    groups.get(index).map_or(&[], Vec::as_slice)
}

/// Simulator limits (not Kafka's): the browser draws at most 64 brokers.
pub const MAX_BROKERS: u32 = 64;
/// Simulator limit on `partitions` (the page's controls stop at 64; the CLI goes further).
pub const MAX_PARTITIONS: u32 = 10_000;
/// Simulator limit on `workload.value.size`: 16 MiB.
pub const MAX_VALUE_SIZE: u32 = 16 * 1024 * 1024;
/// Simulator limit on the number of distinct keys in `uniform:N` and `zipf:N:EXP`.
pub const MAX_DISTINCT_KEYS: u32 = 10_000_000;

/// Java's `Integer.MAX_VALUE` and `Long.MAX_VALUE`, the upper end of `atLeast` ranges.
const INT_MAX: i64 = i32::MAX as i64;

/// The `acks` values `ConfigDef.ValidString.in("all", "-1", "0", "1")` accepts. The check
/// is case-sensitive: `parseAcks` would accept `ALL`, but the validator runs first.
const ACKS_VALUES: &str = "all, -1, 0, 1";
/// `Utils.enumOptions(CompressionType.class)`: lower-case names, checked case-sensitively.
const COMPRESSION_VALUES: &str = "none, gzip, snappy, lz4, zstd";

/// `ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE`.
pub const MAX_IN_FLIGHT_FOR_IDEMPOTENCE: u32 = 5;

impl ProducerConfig {
    /// Whether the producer is idempotent, exactly as
    /// `ProducerConfig.postProcessAndValidateIdempotenceConfigs` decides for a config that
    /// passes [`SimConfig::validate`]: an explicit value stands (a conflicting explicit
    /// `true` is refused by `validate`); an unset one is true unless `retries` is 0 or
    /// `acks` is not `all`. `max.in.flight.requests.per.connection` above 5 never turns
    /// idempotence off quietly: Kafka refuses it unless `enable.idempotence=false`.
    pub fn idempotence_enabled(&self) -> bool {
        match self.enable_idempotence {
            Some(explicit) => explicit,
            None => self.retries != 0 && self.acks == Acks::All,
        }
    }

    /// `delivery.timeout.ms` as the producer uses it: an unset value below
    /// `linger.ms + request.timeout.ms` is raised to that sum (`KafkaProducer.configureDeliveryTimeout`,
    /// with `linger.ms` and the sum capped at `Integer.MAX_VALUE` as Kafka does).
    pub fn effective_delivery_timeout_ms(&self) -> u64 {
        let floor = self.linger_and_request_timeout_ms();
        let raised = self.client == Client::Java && !self.is_set("delivery.timeout.ms");
        if raised && self.delivery_timeout_ms < floor {
            floor
        } else {
            self.delivery_timeout_ms
        }
    }

    /// Whether the user set `key` explicitly.
    pub fn is_set(&self, key: &str) -> bool {
        self.explicitly_set.contains(key)
    }

    /// `max.in.flight.requests.per.connection` as the client's producer keeps it: the
    /// client's own limit for an idempotent producer ([`Client::max_in_flight`]).
    pub fn effective_max_in_flight(&self) -> u32 {
        self.client.max_in_flight(
            self.max_in_flight_requests_per_connection,
            self.idempotence_enabled(),
        )
    }

    /// `batch.size` as the accumulator uses it: 0 means 1, i.e. no batching
    /// (`KafkaProducer`: `Math.max(1, batch.size)`).
    pub fn effective_batch_size(&self) -> u32 {
        self.batch_size.max(1)
    }

    /// `KafkaProducer.configureDeliveryTimeout`'s `lingerAndRequestTimeoutMs`.
    fn linger_and_request_timeout_ms(&self) -> u64 {
        let linger = self.linger_ms.min(INT_MAX as u64);
        linger
            .saturating_add(self.request_timeout_ms)
            .min(INT_MAX as u64)
    }
}

impl SimConfig {
    /// Whether the producer runs idempotently once Kafka's rules are applied
    /// (see [`ProducerConfig::idempotence_enabled`]).
    pub fn idempotence_enabled(&self) -> bool {
        self.producer.idempotence_enabled()
    }

    /// The settings as the client's producer runs them: where the client quietly keeps a
    /// limit of its own in place of the configured one (an idempotent producer's requests
    /// in flight, [`ProducerConfig::effective_max_in_flight`]), that limit. Java's run as
    /// configured. `Simulation::new` runs this.
    pub fn as_client_runs(mut self) -> SimConfig {
        let p = &mut self.producer;
        p.max_in_flight_requests_per_connection = p.effective_max_in_flight();
        // An idempotent producer's unset retries: INT32_MAX in librdkafka
        // (rd_kafka_conf_finalize), Number.MAX_SAFE_INTEGER in kafkajs (src/producer/index.js).
        let unbounded = matches!(p.client, Client::Librdkafka | Client::Kafkajs);
        if unbounded && p.idempotence_enabled() && !p.is_set("retries") {
            p.retries = INT_MAX as u32;
        }
        self
    }

    /// The defaults of `client`'s producer (`engine::clients`), Kafka's topic, cluster and
    /// workload defaults for the rest.
    pub fn for_client(client: Client) -> SimConfig {
        let mut config = SimConfig::default();
        config.use_client(client);
        config
    }

    /// Makes `client` the producer's client with its defaults for every setting the user
    /// has not set ([`ProducerConfig::is_set`]).
    fn use_client(&mut self, client: Client) {
        let old = self.producer.client;
        self.producer.client = client;
        let set = std::mem::take(&mut self.producer.explicitly_set);
        // Settings the old client's profile changed go back to Java's defaults first.
        for setting in old.settings().iter().filter(|s| !set.contains(s.key)) {
            if let Some(d) = declared(setting.key) {
                let _ = self.set(setting.key, d.default);
            }
        }
        for setting in client.settings().iter().filter(|s| !set.contains(s.key)) {
            // The profiles are checked by a test: every value is one `set` accepts.
            let _ = self.set(setting.key, setting.value);
        }
        self.producer.explicitly_set = set;
    }

    /// Every known key, grouped producer, topic, cluster, workload, in a stable order.
    pub fn keys() -> &'static [&'static str] {
        all_keys()
    }

    /// Refuses combinations Kafka refuses, in Kafka's order: each value's `ConfigDef`
    /// check (and the simulator's limits, as `set` applies them), then `ProducerConfig`'s
    /// idempotence rules, then `KafkaProducer`'s delivery timeout rule, then topic
    /// creation and broker rules.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.check_each_value()?;
        self.check_client()?;
        self.check_idempotence()?;
        self.check_delivery_timeout()?;
        self.check_topic_and_brokers()?;
        super::record_file::check_loaded(self)?;
        Ok(())
    }

    /// What Kafka would log at start-up about settings it adjusts quietly, in Kafka's words.
    pub fn warnings(&self) -> Vec<String> {
        let p = &self.producer;
        let mut out = Vec::new();
        // ProducerConfig.postProcessAndValidateIdempotenceConfigs (log.info lines).
        if p.enable_idempotence.is_none() {
            if p.retries == 0 {
                out.push("Idempotence will be disabled because retries is set to 0.".to_string());
            }
            if p.acks != Acks::All {
                out.push(format!(
                    "Idempotence will be disabled because acks is set to {}, not set to 'all'.",
                    p.acks.as_str()
                ));
            }
        }
        // KafkaProducer.configureDeliveryTimeout (log.warn when the default is raised).
        let effective = p.effective_delivery_timeout_ms();
        if effective != p.delivery_timeout_ms {
            out.push(format!(
                "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms. Setting it to {effective}."
            ));
        }
        // KIP-794 deprecated DefaultPartitioner in 3.3; KAFKA-18262 removed it in 4.0.
        if p.partitioner_class == PartitionerClass::LegacySticky {
            out.push(
                "DefaultPartitioner was removed in Kafka 4.0: this run models the KIP-480 sticky partitioner of Kafka 2.4 to 3.2.".to_string(),
            );
        }
        // CommonClientConfigs.warnDisablingExponentialBackoff (KIP-580).
        if p.retry_backoff_ms > p.retry_backoff_max_ms {
            out.push(format!(
                "Configuration 'retry.backoff.ms' with value '{}' is greater than configuration 'retry.backoff.max.ms' with value '{}'. A static backoff with value '{}' will be applied.",
                p.retry_backoff_ms, p.retry_backoff_max_ms, p.retry_backoff_max_ms
            ));
        }
        out
    }

    /// Sets one setting by its Kafka (or simulator) name. The value is trimmed and
    /// checked as Kafka's `ConfigDef` checks it; rules that involve several settings wait
    /// for [`SimConfig::validate`]. On error nothing changes.
    ///
    /// Two values go beyond Kafka: an empty `enable.idempotence` means unset (Kafka's
    /// default, which conflicting settings turn off quietly), and an empty
    /// `partitioner.class` means the built-in partitioner, as in Kafka.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        // ConfigDef.parseType trims every value (Java's String.trim).
        let v = java_trim(value);
        // The chosen client's own name for a setting (librdkafka's queue.buffering.max.ms).
        let key = self.producer.client.key_for_name(key).unwrap_or(key);
        let p = &mut self.producer;
        let t = &mut self.topic;
        let c = &mut self.cluster;
        let w = &mut self.workload;
        match key {
            "client" => {
                let client = Client::parse(v).map_err(|e| invalid(key, v, &e.to_string()))?;
                if client != p.client {
                    self.use_client(client);
                }
                return Ok(());
            }
            // Checked against the client by `validate`, so that the order of `client` and
            // `partitioner` in a file does not matter.
            "partitioner" => p.partitioner = v.to_string(),
            // ProducerConfig's ConfigDef, one line per setting.
            "acks" => p.acks = parse_acks(v)?,
            "enable.idempotence" => {
                p.enable_idempotence = match v {
                    "" => None,
                    _ => Some(parse_bool(key, v)?),
                }
            }
            "batch.size" => p.batch_size = declared_int(key, v)? as u32,
            "linger.ms" => p.linger_ms = declared_int(key, v)? as u64,
            "buffer.memory" => p.buffer_memory = declared_int(key, v)? as u64,
            "max.block.ms" => p.max_block_ms = declared_int(key, v)? as u64,
            "max.in.flight.requests.per.connection" => {
                p.max_in_flight_requests_per_connection = declared_int(key, v)? as u32
            }
            "retries" => p.retries = declared_int(key, v)? as u32,
            "retry.backoff.ms" => p.retry_backoff_ms = declared_int(key, v)? as u64,
            "retry.backoff.max.ms" => p.retry_backoff_max_ms = declared_int(key, v)? as u64,
            "delivery.timeout.ms" => p.delivery_timeout_ms = declared_int(key, v)? as u64,
            "request.timeout.ms" => p.request_timeout_ms = declared_int(key, v)? as u64,
            "max.request.size" => p.max_request_size = declared_int(key, v)? as u32,
            "compression.type" => p.compression_type = parse_compression_type(v)?,
            // CompressionType.GZIP.levelValidator(): 1..=9 or -1 (Deflater's range).
            "compression.gzip.level" => {
                let level = parse_int(key, v, "INT", i32::MIN.into(), INT_MAX)?;
                if level > 9 || (level < 1 && level != -1) {
                    return Err(invalid(
                        key,
                        v,
                        "Value must be between 1 and 9 or equal to -1",
                    ));
                }
                p.compression_gzip_level = level as i32;
            }
            // CompressionType.LZ4.levelValidator(): between(1, 17).
            "compression.lz4.level" => p.compression_lz4_level = declared_int(key, v)? as i32,
            // CompressionType.ZSTD.levelValidator(): between(-131072, 22).
            "compression.zstd.level" => p.compression_zstd_level = declared_int(key, v)? as i32,
            "partitioner.class" => p.partitioner_class = parse_partitioner_class(v)?,
            "partitioner.adaptive.partitioning.enable" => {
                p.partitioner_adaptive_partitioning_enable = parse_bool(key, v)?
            }
            "partitioner.availability.timeout.ms" => {
                p.partitioner_availability_timeout_ms = declared_int(key, v)? as u64
            }
            "partitioner.ignore.keys" => p.partitioner_ignore_keys = parse_bool(key, v)?,
            "batch.num.messages" => p.batch_num_messages = declared_int(key, v)? as u32,
            "queue.buffering.max.messages" => {
                p.queue_buffering_max_messages = declared_int(key, v)? as u32
            }
            "queue.buffering.max.kbytes" => {
                p.queue_buffering_max_kbytes = declared_int(key, v)? as u64
            }
            // librdkafka CONFIGURATION.md: 0 .. 900000.
            "sticky.partitioning.linger.ms" => {
                p.sticky_partitioning_linger_ms = declared_int(key, v)? as u64
            }

            // ReplicationControlManager.createTopic refuses a non-positive partition count;
            // above that, the simulator's limit.
            "partitions" => {
                if matches!(v.parse::<i64>(), Ok(n) if n <= 0) {
                    return Err(ConfigError::new(
                        key,
                        "Number of partitions was set to an invalid non-positive value.",
                    ));
                }
                t.partitions = declared_int(key, v)? as u32;
            }
            // ReplicationControlManager.createTopic refuses a non-positive replication
            // factor (Kafka's message adds "or -1 to use the default value", a broker
            // default the simulator does not have); above that, at most MAX_BROKERS.
            "replication.factor" => {
                if matches!(v.parse::<i64>(), Ok(n) if n <= 0) {
                    return Err(ConfigError::new(
                        key,
                        "Replication factor must be larger than 0.",
                    ));
                }
                t.replication_factor = declared_int(key, v)? as u32;
            }
            // TopicConfig/LogConfig: min.insync.replicas is an INT, atLeast(1).
            "min.insync.replicas" => t.min_insync_replicas = declared_int(key, v)? as u32,
            "unclean.leader.election.enable" => {
                t.unclean_leader_election_enable = parse_bool(key, v)?
            }
            // ReplicationConfigs: replica.lag.time.max.ms LONG, replica.fetch.wait.max.ms INT.
            "replica.lag.time.max.ms" => t.replica_lag_time_max_ms = declared_int(key, v)? as u64,
            "replica.fetch.wait.max.ms" => {
                t.replica_fetch_wait_max_ms = declared_int(key, v)? as u64
            }
            // KRaftConfigs: broker.session.timeout.ms INT.
            "broker.session.timeout.ms" => {
                t.broker_session_timeout_ms = declared_int(key, v)? as u64
            }

            "brokers" => c.brokers = declared_int(key, v)? as u32,
            "network.rtt.ms" => c.network_rtt_ms = declared_float(key, v)?,
            "network.bandwidth.mbps" => c.network_bandwidth_mbps = declared_float(key, v)?,
            "broker.append.latency.ms" => c.broker_append_latency_ms = declared_float(key, v)?,
            "broker.replication.latency.ms" => {
                c.broker_replication_latency_ms = declared_float(key, v)?
            }

            "workload.records" => {
                w.records = parse_u64(key, v)?;
            }
            "workload.rate" => w.rate = declared_float(key, v)?,
            "workload.keys" => w.keys = parse_key_distribution(v)?,
            "workload.value.size" => w.value_size = declared_int(key, v)? as u32,
            "workload.value.profile" => w.value_profile = parse_value_profile(v)?,
            "workload.values" => w.values = parse_values(v)?,
            "workload.messages.per.send" => w.messages_per_send = declared_int(key, v)? as u32,

            _ => return Err(unknown_key(key)),
        }
        self.producer.explicitly_set.insert(key.to_string());
        Ok(())
    }

    /// The current value of a setting as text that [`SimConfig::set`] accepts back;
    /// `None` for an unknown key. An unset `enable.idempotence` reads as the empty string.
    pub fn get(&self, key: &str) -> Option<String> {
        let p = &self.producer;
        let t = &self.topic;
        let c = &self.cluster;
        let w = &self.workload;
        let text = match key {
            "client" => p.client.name().to_string(),
            "partitioner" => p.partitioner.clone(),
            "acks" => p.acks.as_str().to_string(),
            "enable.idempotence" => p
                .enable_idempotence
                .map(|b| b.to_string())
                .unwrap_or_default(),
            "batch.size" => p.batch_size.to_string(),
            "linger.ms" => p.linger_ms.to_string(),
            "buffer.memory" => p.buffer_memory.to_string(),
            "max.block.ms" => p.max_block_ms.to_string(),
            "max.in.flight.requests.per.connection" => {
                p.max_in_flight_requests_per_connection.to_string()
            }
            "retries" => p.retries.to_string(),
            "retry.backoff.ms" => p.retry_backoff_ms.to_string(),
            "retry.backoff.max.ms" => p.retry_backoff_max_ms.to_string(),
            "delivery.timeout.ms" => p.delivery_timeout_ms.to_string(),
            "request.timeout.ms" => p.request_timeout_ms.to_string(),
            "max.request.size" => p.max_request_size.to_string(),
            "compression.type" => p.compression_type.as_str().to_string(),
            "compression.gzip.level" => p.compression_gzip_level.to_string(),
            "compression.lz4.level" => p.compression_lz4_level.to_string(),
            "compression.zstd.level" => p.compression_zstd_level.to_string(),
            "partitioner.class" => p.partitioner_class.class_name().to_string(),
            "partitioner.adaptive.partitioning.enable" => {
                p.partitioner_adaptive_partitioning_enable.to_string()
            }
            "partitioner.availability.timeout.ms" => {
                p.partitioner_availability_timeout_ms.to_string()
            }
            "partitioner.ignore.keys" => p.partitioner_ignore_keys.to_string(),
            "batch.num.messages" => p.batch_num_messages.to_string(),
            "queue.buffering.max.messages" => p.queue_buffering_max_messages.to_string(),
            "queue.buffering.max.kbytes" => p.queue_buffering_max_kbytes.to_string(),
            "sticky.partitioning.linger.ms" => p.sticky_partitioning_linger_ms.to_string(),
            "partitions" => t.partitions.to_string(),
            "replication.factor" => t.replication_factor.to_string(),
            "min.insync.replicas" => t.min_insync_replicas.to_string(),
            "unclean.leader.election.enable" => t.unclean_leader_election_enable.to_string(),
            "replica.lag.time.max.ms" => t.replica_lag_time_max_ms.to_string(),
            "replica.fetch.wait.max.ms" => t.replica_fetch_wait_max_ms.to_string(),
            "broker.session.timeout.ms" => t.broker_session_timeout_ms.to_string(),
            "brokers" => c.brokers.to_string(),
            "network.rtt.ms" => c.network_rtt_ms.to_string(),
            "network.bandwidth.mbps" => c.network_bandwidth_mbps.to_string(),
            "broker.append.latency.ms" => c.broker_append_latency_ms.to_string(),
            "broker.replication.latency.ms" => c.broker_replication_latency_ms.to_string(),
            "workload.records" => w.records.to_string(),
            "workload.rate" => w.rate.to_string(),
            "workload.keys" => w.keys.to_string(),
            "workload.value.size" => w.value_size.to_string(),
            "workload.value.profile" => w.value_profile.as_str().to_string(),
            "workload.values" => w.values.as_ref().map(|f| f.to_string()).unwrap_or_default(),
            "workload.messages.per.send" => w.messages_per_send.to_string(),
            _ => return None,
        };
        Some(text)
    }

    /// Puts one setting back to the client's default, not set explicitly (for
    /// `enable.idempotence` that means unset where the client's default is unset).
    pub fn unset(&mut self, key: &str) -> Result<(), ConfigError> {
        let default = SimConfig::for_client(self.producer.client);
        let text = default.get(key).ok_or_else(|| unknown_key(key))?;
        self.set(key, &text)?;
        self.producer.explicitly_set.remove(key);
        Ok(())
    }

    /// Reads Java `.properties` text over the defaults (see [`SimConfig::apply_properties`]).
    pub fn from_properties(text: &str) -> Result<SimConfig, ConfigError> {
        let mut config = SimConfig::default();
        config.apply_properties(text)?;
        Ok(config)
    }

    /// Applies Java `.properties` text (`java.util.Properties.load` syntax: `#` and `!`
    /// comments, `key=value`, `key: value` or `key value`, a trailing `\` continuing the
    /// line, `\uXXXX` and the other escapes) setting by setting, in order, so a later line
    /// wins; `client` (its last line) comes first. An error names the line; settings
    /// before it stay applied.
    pub fn apply_properties(&mut self, text: &str) -> Result<(), ConfigError> {
        let entries = parse_properties(text)?;
        // The client first, wherever its line is: it decides the other names and defaults.
        let client = entries.iter().rev().find(|e| e.key == "client");
        for entry in client
            .into_iter()
            .chain(entries.iter().filter(|e| e.key != "client"))
        {
            self.set(&entry.key, &entry.value)
                .map_err(|e| at_line(entry.line, e))?;
        }
        Ok(())
    }

    /// Every setting as `.properties` text, grouped producer, topic, cluster, workload under
    /// comment headings. `enable.idempotence`, and the settings the client reads
    /// differently when set ([`Client::when_unset`]: Java's `delivery.timeout.ms`), appear
    /// as comments when not set explicitly, so the text read back runs as this config
    /// does (and prints the same text).
    pub fn to_properties(&self) -> String {
        let client = self.producer.client;
        let mut out = String::from("# producer-sim configuration (Java .properties)\n");
        for group in SettingGroup::ALL {
            out.push_str("\n# ");
            out.push_str(group.title());
            out.push('\n');
            for key in group.keys() {
                let value = self.get(key).unwrap_or_default();
                match *key {
                    "enable.idempotence" if self.producer.enable_idempotence.is_none() => {
                        out.push_str(
                            "# enable.idempotence is unset: Kafka's default (true) applies, \
                             turned off quietly when acks is not all or retries is 0\n",
                        );
                    }
                    key => match client
                        .when_unset(key)
                        .filter(|_| !self.producer.is_set(key))
                    {
                        // Written out, it would be set: a comment keeps it unset.
                        Some(rule) => {
                            if let Some(note) = self.client_note(key) {
                                out.push_str(&note);
                            }
                            out.push_str(&format!("# {key} is unset ({value}): {rule}\n"));
                        }
                        None => self.write_property(&mut out, key, &value),
                    },
                }
            }
        }
        out
    }

    /// `key=value`, after the client's note on the setting.
    fn write_property(&self, out: &mut String, key: &str, value: &str) {
        if let Some(note) = self.client_note(key) {
            out.push_str(&note);
        }
        out.push_str(key);
        out.push('=');
        out.push_str(&escape_properties_value(value));
        out.push('\n');
    }

    /// For a client other than Java, a comment line giving the client's name for `key`, or
    /// how the simulator stands in for a setting the client does not have.
    fn client_note(&self, key: &str) -> Option<String> {
        let client = self.producer.client;
        let setting = client.setting(key)?;
        Some(match setting.names {
            [] => format!("# {client} has no {key}: {}\n", setting.source),
            names => format!(
                "# {client}: {} (default {}; {})\n",
                names.join(" or "),
                setting.value,
                setting.source
            ),
        })
    }

    /// Re-checks every value as `set` would, catching fields changed directly.
    fn check_each_value(&self) -> Result<(), ConfigError> {
        let mut scratch = SimConfig::default();
        for key in all_keys() {
            let text = self.get(key).unwrap_or_default();
            scratch.set(key, &text)?;
        }
        Ok(())
    }

    /// `ProducerConfig.postProcessAndValidateIdempotenceConfigs`, in its order:
    /// retries, then acks, then max.in.flight.requests.per.connection.
    /// The partitioner must be one the client has, and one the simulator runs.
    fn check_client(&self) -> Result<(), ConfigError> {
        let p = &self.producer;
        if self.workload.messages_per_send > 1 && !p.client.produces_per_send_call() {
            return Err(ConfigError::new(
                "workload.messages.per.send",
                format!(
                    "Only kafkajs batches per send() call; {} batches the records of every call together, so messages per call change nothing: leave it at 1, or set client=kafkajs",
                    p.client
                ),
            ));
        }
        if p.partitioner.is_empty() {
            return Ok(());
        }
        if p.client == Client::Java {
            return Err(ConfigError::new(
                "partitioner",
                "The Java client picks its partitioner with partitioner.class (and partitioner.ignore.keys); \
                 partitioner names another client's partitioner, with client set",
            ));
        }
        p.client
            .partitioner(Some(&p.partitioner))
            .map_err(|e| ConfigError::new("partitioner", e.to_string()))?;
        Ok(())
    }

    fn check_idempotence(&self) -> Result<(), ConfigError> {
        let p = &self.producer;
        // `getBoolean(ENABLE_IDEMPOTENCE_CONFIG)`: the default is true.
        if !p.enable_idempotence.unwrap_or(true) {
            return Ok(());
        }
        let explicit = p.enable_idempotence.is_some();
        // Each client in its own words, each on its own terms (engine::clients).
        let refused = p
            .client
            .idempotence_retries_refusal(p.retries, p.is_set("retries"));
        if let Some(message) = refused.filter(|_| explicit) {
            return Err(ConfigError::new("retries", message));
        }
        if p.acks != Acks::All
            && explicit
            && p.client.refuses_acks_for_idempotence(p.is_set("acks"))
        {
            return Err(ConfigError::new(
                "acks",
                p.client.idempotence_needs_acks_all().0,
            ));
        }
        if p.client != Client::Java {
            return match p.client.idempotence_in_flight_refusal(
                p.max_in_flight_requests_per_connection,
                p.is_set("max.in.flight.requests.per.connection"),
            ) {
                Some(message) if self.idempotence_enabled() => Err(ConfigError::new(
                    "max.in.flight.requests.per.connection",
                    message,
                )),
                _ => Ok(()),
            };
        }
        // Refused whether or not enable.idempotence was set, even when acks or retries
        // already turned it off (ProducerConfigTest.testInflightRequestsAndIdempotenceForIdempotentProducers).
        if p.max_in_flight_requests_per_connection > MAX_IN_FLIGHT_FOR_IDEMPOTENCE {
            return Err(ConfigError::new(
                "max.in.flight.requests.per.connection",
                format!(
                    "To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. Current value is {}.",
                    p.max_in_flight_requests_per_connection
                ),
            ));
        }
        Ok(())
    }

    /// `KafkaProducer.configureDeliveryTimeout`: an explicit delivery.timeout.ms below
    /// linger.ms + request.timeout.ms is refused (an unset one is raised, see `warnings`).
    /// librdkafka (`rd_kafka_topic_conf_finalize`, `src/rdkafka_conf.c`): with linger.ms
    /// set, a message.timeout.ms other than 0 must be greater than it.
    fn check_delivery_timeout(&self) -> Result<(), ConfigError> {
        let p = &self.producer;
        match p.client {
            Client::Java
                if p.is_set("delivery.timeout.ms")
                    && p.delivery_timeout_ms < p.linger_and_request_timeout_ms() =>
            {
                Err(ConfigError::new(
                    "delivery.timeout.ms",
                    "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms",
                ))
            }
            Client::Librdkafka
                if p.is_set("linger.ms")
                    && p.delivery_timeout_ms != 0
                    && p.delivery_timeout_ms <= p.linger_ms =>
            {
                Err(ConfigError::new(
                    "delivery.timeout.ms",
                    "`message.timeout.ms` must be greater than `linger.ms`",
                ))
            }
            _ => Ok(()),
        }
    }

    fn check_topic_and_brokers(&self) -> Result<(), ConfigError> {
        let t = &self.topic;
        // StripedReplicaPlacer.throwInvalidReplicationFactorIfTooFewBrokers, wrapped by
        // ReplicationControlManager as kafka-topics.sh prints it (InvalidReplicationFactorException).
        if t.replication_factor > self.cluster.brokers {
            return Err(ConfigError::new(
                "replication.factor",
                format!(
                    "Unable to replicate the partition {rf} time(s): The target replication factor of {rf} cannot be reached because only {} broker(s) are registered.",
                    self.cluster.brokers,
                    rf = t.replication_factor
                ),
            ));
        }
        // min.insync.replicas above replication.factor is accepted: Kafka checks only
        // atLeast(1) at topic creation, and acks=all writes then fail with
        // NOT_ENOUGH_REPLICAS, which the simulator shows.
        //
        // KafkaConfig.validateValues requires replica.fetch.wait.max.ms <= replica.lag.time.max.ms.
        if t.replica_fetch_wait_max_ms > t.replica_lag_time_max_ms {
            return Err(ConfigError::new(
                "replica.fetch.wait.max.ms",
                "replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to prevent frequent changes in ISR",
            ));
        }
        Ok(())
    }
}

/// Java's `String.trim`: strips every char up to and including U+0020 at both ends.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// `ConfigException(name, value, message)`'s text.
fn invalid(key: &str, value: &str, message: &str) -> ConfigError {
    ConfigError::new(
        key,
        format!("Invalid value {value} for configuration {key}: {message}"),
    )
}

/// A whole number of a Java type (`Integer.parseInt` / `Long.parseLong` / `Short.parseShort`),
/// within `ConfigDef.Range` bounds, with Kafka's messages plus the range expected.
fn parse_int(
    key: &str,
    value: &str,
    java_type: &str,
    min: i64,
    max: i64,
) -> Result<i64, ConfigError> {
    let (type_min, type_max) = match java_type {
        "SHORT" => (i16::MIN.into(), i16::MAX.into()),
        "INT" => (i32::MIN.into(), i32::MAX.into()),
        _ => (i64::MIN, i64::MAX),
    };
    let expected = format!("expected a whole number from {min} to {max}");
    let n = match value.parse::<i64>() {
        Ok(n) if (type_min..=type_max).contains(&n) => n,
        _ => {
            return Err(invalid(
                key,
                value,
                &format!("Not a number of type {java_type} ({expected})"),
            ))
        }
    };
    if n < min {
        return Err(invalid(
            key,
            value,
            &format!("Value must be at least {min} ({expected})"),
        ));
    }
    if n > max {
        return Err(invalid(
            key,
            value,
            &format!("Value must be no more than {max} ({expected})"),
        ));
    }
    Ok(n)
}

/// A non-negative count too large for a Java long is still a count: the simulator takes u64.
fn parse_u64(key: &str, value: &str) -> Result<u64, ConfigError> {
    value.parse::<u64>().map_err(|_| {
        invalid(
            key,
            value,
            &format!(
                "Not a number (expected a whole number from 0 to {})",
                u64::MAX
            ),
        )
    })
}

/// A finite decimal number within `min..=max` (`min` itself allowed when `min_inclusive`).
fn parse_float(
    key: &str,
    value: &str,
    min: f64,
    max: f64,
    min_inclusive: bool,
) -> Result<f64, ConfigError> {
    let lower = if min_inclusive { "from" } else { "above" };
    let expected = format!("expected a number {lower} {min} to {max}");
    let x = match value.parse::<f64>() {
        Ok(x) if x.is_finite() => x,
        _ => {
            return Err(invalid(
                key,
                value,
                &format!("Not a number of type DOUBLE ({expected})"),
            ))
        }
    };
    let too_low = if min_inclusive { x < min } else { x <= min };
    if too_low || x > max {
        return Err(invalid(
            key,
            value,
            &format!("Value out of range ({expected})"),
        ));
    }
    Ok(x)
}

/// A whole number within the declared type and range of `key` (`engine::settings`).
fn declared_int(key: &str, value: &str) -> Result<i64, ConfigError> {
    match declared(key).map(|d| d.kind) {
        Some(Kind::Int { java, min, max }) => parse_int(key, value, java.name(), min, max),
        _ => Err(unknown_key(key)),
    }
}

/// A number within the declared range of `key` (`engine::settings`).
fn declared_float(key: &str, value: &str) -> Result<f64, ConfigError> {
    match declared(key).map(|d| d.kind) {
        Some(Kind::Float {
            min,
            max,
            min_inclusive,
        }) => parse_float(key, value, min, max, min_inclusive),
        _ => Err(unknown_key(key)),
    }
}

/// `ConfigDef.parseType` for BOOLEAN: `true` or `false`, any case.
fn parse_bool(key: &str, value: &str) -> Result<bool, ConfigError> {
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(invalid(
            key,
            value,
            "Expected value to be either true or false",
        ))
    }
}

/// `acks`: `ValidString.in("all", "-1", "0", "1")`, case-sensitive.
fn parse_acks(value: &str) -> Result<Acks, ConfigError> {
    match value {
        "all" | "-1" => Ok(Acks::All),
        "0" => Ok(Acks::Zero),
        "1" => Ok(Acks::One),
        _ => Err(invalid(
            "acks",
            value,
            &format!("String must be one of: {ACKS_VALUES}"),
        )),
    }
}

/// `compression.type`: one of `CompressionType`'s lower-case names, case-sensitive.
fn parse_compression_type(value: &str) -> Result<CompressionType, ConfigError> {
    match value {
        "none" => Ok(CompressionType::None),
        "gzip" => Ok(CompressionType::Gzip),
        "snappy" => Ok(CompressionType::Snappy),
        "lz4" => Ok(CompressionType::Lz4),
        "zstd" => Ok(CompressionType::Zstd),
        _ => Err(invalid(
            "compression.type",
            value,
            &format!("String must be one of: {COMPRESSION_VALUES}"),
        )),
    }
}

/// `partitioner.class`: Kafka's class names, or the simulator's short names
/// (`built-in`, `round-robin`, `legacy-sticky`). Empty means unset: the built-in one.
fn parse_partitioner_class(value: &str) -> Result<PartitionerClass, ConfigError> {
    match value {
        "" | "built-in" | "builtin" => Ok(PartitionerClass::BuiltIn),
        ROUND_ROBIN_PARTITIONER_CLASS | "RoundRobinPartitioner" | "round-robin" | "roundrobin" => {
            Ok(PartitionerClass::RoundRobin)
        }
        LEGACY_DEFAULT_PARTITIONER_CLASS | "DefaultPartitioner" | "legacy-sticky" => {
            Ok(PartitionerClass::LegacySticky)
        }
        // KIP-794: UniformStickyPartitioner's behaviour is the built-in one with keys ignored.
        "org.apache.kafka.clients.producer.UniformStickyPartitioner"
        | "UniformStickyPartitioner" => Err(invalid(
            "partitioner.class",
            value,
            "Kafka 4.0 removed UniformStickyPartitioner; leave partitioner.class unset and set partitioner.ignore.keys=true for the same behaviour (KIP-794)",
        )),
        _ => Err(invalid(
            "partitioner.class",
            value,
            &format!(
                "Class {value} could not be found. The simulator knows the built-in partitioner (empty, or built-in), {ROUND_ROBIN_PARTITIONER_CLASS} (or round-robin) and the KIP-480 {LEGACY_DEFAULT_PARTITIONER_CLASS} (or legacy-sticky)"
            ),
        )),
    }
}

/// `workload.values`: empty (generated values) or `file:PATH`.
fn parse_values(value: &str) -> Result<Option<super::record_file::RecordFile>, ConfigError> {
    if value.is_empty() {
        return Ok(None);
    }
    super::record_file::RecordFile::parse(value)
        .map(Some)
        .ok_or_else(|| invalid("workload.values", value, "expected file:PATH or nothing"))
}

/// `workload.keys`: `none`, `uniform:N`, `zipf:N:EXPONENT`, `list:a,b,c` or `file:PATH`.
fn parse_key_distribution(value: &str) -> Result<KeyDistribution, ConfigError> {
    const KEY: &str = "workload.keys";
    let bad = |why: &str| {
        invalid(
            KEY,
            value,
            &format!(
                "{why} (expected none, uniform:N, zipf:N:EXPONENT, list:KEY1,KEY2,... or file:PATH)"
            ),
        )
    };
    let count = |text: &str| -> Result<u32, ConfigError> {
        match text.parse::<u32>() {
            Ok(n) if (1..=MAX_DISTINCT_KEYS).contains(&n) => Ok(n),
            _ => Err(bad(&format!(
                "the number of keys must be a whole number from 1 to {MAX_DISTINCT_KEYS}"
            ))),
        }
    };
    if value == "none" {
        return Ok(KeyDistribution::None);
    }
    if let Some(file) = super::record_file::RecordFile::parse(value) {
        return Ok(KeyDistribution::File(file));
    }
    if let Some(n) = value.strip_prefix("uniform:") {
        return Ok(KeyDistribution::Uniform { count: count(n)? });
    }
    if let Some(rest) = value.strip_prefix("zipf:") {
        let Some((n, exponent)) = rest.split_once(':') else {
            return Err(bad("zipf needs a key count and an exponent"));
        };
        let count = count(n)?;
        let exponent = match exponent.parse::<f64>() {
            Ok(e) if e.is_finite() && e > 0.0 && e <= 10.0 => e,
            _ => {
                return Err(bad(
                    "the zipf exponent must be a number above 0 and at most 10",
                ))
            }
        };
        return Ok(KeyDistribution::Zipf { count, exponent });
    }
    if let Some(list) = value.strip_prefix("list:") {
        if list.is_empty() {
            return Err(bad("list needs at least one key"));
        }
        return Ok(KeyDistribution::List(
            list.split(',').map(str::to_string).collect(),
        ));
    }
    Err(bad("unknown key distribution"))
}

/// `workload.value.profile`: `random`, `json`, `log` or `text`.
fn parse_value_profile(value: &str) -> Result<ValueProfile, ConfigError> {
    match value {
        "random" => Ok(ValueProfile::Random),
        "json" => Ok(ValueProfile::Json),
        "log" => Ok(ValueProfile::LogLines),
        "text" => Ok(ValueProfile::RepeatedText),
        _ => Err(invalid(
            "workload.value.profile",
            value,
            "String must be one of: random, json, log, text",
        )),
    }
}

/// Names other Kafka clients use for a setting that has another name here.
const OTHER_CLIENT_NAMES: &[(&str, &str)] = &[
    ("queue.buffering.max.ms", "linger.ms"),
    ("message.send.max.retries", "retries"),
    ("compression.codec", "compression.type"),
    ("message.timeout.ms", "delivery.timeout.ms"),
    ("request.required.acks", "acks"),
    ("max.in.flight", "max.in.flight.requests.per.connection"),
    ("num.partitions", "partitions"),
    ("default.replication.factor", "replication.factor"),
];

/// An unknown key, with the closest known key when one is close.
fn unknown_key(key: &str) -> ConfigError {
    let mut message = format!("Unknown setting '{key}'.");
    if let Some((client, ours)) = Client::all()
        .into_iter()
        .find_map(|c| Some((c, c.key_for_name(key)?)))
    {
        message.push_str(&format!(
            " It is {client}'s name for '{ours}': set client={client} (--client {client}) first, or use '{ours}'."
        ));
    } else if let Some((_, java)) = OTHER_CLIENT_NAMES.iter().find(|(other, _)| *other == key) {
        message.push_str(&format!(
            " The Java producer and the simulator call it '{java}'."
        ));
    } else if let Some(close) = closest_key(key) {
        message.push_str(&format!(" Did you mean '{close}'?"));
    } else {
        message.push_str(" Run with --print-config to list every setting.");
    }
    ConfigError::new(key, message)
}

/// The known key with the smallest edit distance, if it is small for the key's length.
fn closest_key(key: &str) -> Option<&'static str> {
    let limit = (key.len() / 4).max(2);
    all_keys()
        .iter()
        .map(|known| (edit_distance(key, known), *known))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, known)| known)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

fn at_line(line: usize, e: ConfigError) -> ConfigError {
    let text = e.to_string();
    ConfigError::new(&e.key, format!("line {line}: {text}"))
}

/// One `key=value` of a properties text, with the line it starts on (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
struct PropertiesEntry {
    line: usize,
    key: String,
    value: String,
}

/// `Properties.load`'s whitespace: space, tab, form feed.
fn is_properties_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\x0c')
}

/// Splits Java `.properties` text into entries, following `java.util.Properties.load`.
fn parse_properties(text: &str) -> Result<Vec<PropertiesEntry>, ConfigError> {
    // Natural lines end with \n, \r or \r\n.
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let natural: Vec<&str> = normalised.split('\n').collect();
    let mut entries = Vec::new();
    let mut i = 0;
    while i < natural.len() {
        let start_line = i + 1;
        let first = natural[i].trim_start_matches(is_properties_space);
        i += 1;
        if first.is_empty() || first.starts_with('#') || first.starts_with('!') {
            continue;
        }
        // A line ending in an odd number of backslashes continues on the next one,
        // whose leading whitespace is dropped.
        let mut logical = first.to_string();
        while ends_in_odd_backslashes(&logical) {
            logical.pop();
            match natural.get(i) {
                Some(next) => {
                    logical.push_str(next.trim_start_matches(is_properties_space));
                    i += 1;
                }
                None => break,
            }
        }
        let (raw_key, raw_value) = split_key_value(&logical);
        let key = unescape(raw_key)
            .map_err(|m| ConfigError::new("", format!("line {start_line}: {m}")))?;
        let value = unescape(raw_value).map_err(|m| {
            ConfigError::new(
                &key,
                format!("line {start_line}: {m} in the value of {key}"),
            )
        })?;
        entries.push(PropertiesEntry {
            line: start_line,
            key,
            value,
        });
    }
    Ok(entries)
}

fn ends_in_odd_backslashes(s: &str) -> bool {
    s.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1
}

/// The key ends at the first unescaped `=`, `:` or whitespace; then whitespace, at most
/// one `=` or `:`, and whitespace again separate it from the value.
fn split_key_value(line: &str) -> (&str, &str) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut key_end = line.len();
    let mut value_start = line.len();
    let mut has_separator = false;
    let mut k = 0;
    while k < chars.len() {
        let (at, c) = chars[k];
        if c == '\\' {
            k += 2;
            continue;
        }
        if c == '=' || c == ':' {
            key_end = at;
            value_start = at + 1;
            has_separator = true;
            break;
        }
        if is_properties_space(c) {
            key_end = at;
            value_start = at + c.len_utf8();
            break;
        }
        k += 1;
    }
    let mut rest = &line[value_start.min(line.len())..];
    while let Some(c) = rest.chars().next() {
        if is_properties_space(c) {
            rest = &rest[c.len_utf8()..];
        } else if !has_separator && (c == '=' || c == ':') {
            has_separator = true;
            rest = &rest[1..];
        } else {
            break;
        }
    }
    (&line[..key_end.min(line.len())], rest)
}

/// `Properties.loadConvert`: `\t \n \r \f`, `\uXXXX` (UTF-16, surrogate pairs joined),
/// and a backslash before any other char stands for that char.
fn unescape(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    let mut pending_high: Option<u16> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            if pending_high.take().is_some() {
                return Err("unpaired UTF-16 surrogate in a \\u escape".to_string());
            }
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else { break };
        if e != 'u' {
            if pending_high.take().is_some() {
                return Err("unpaired UTF-16 surrogate in a \\u escape".to_string());
            }
            out.push(match e {
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                'f' => '\x0c',
                other => other,
            });
            continue;
        }
        let hex: String = (0..4).filter_map(|_| chars.next()).collect();
        let unit = match u16::from_str_radix(&hex, 16) {
            Ok(u) if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) => u,
            _ => return Err("Malformed \\uxxxx encoding.".to_string()),
        };
        match (pending_high.take(), unit) {
            (None, 0xD800..=0xDBFF) => pending_high = Some(unit),
            (Some(high), 0xDC00..=0xDFFF) => match char::decode_utf16([high, unit]).next() {
                Some(Ok(ch)) => out.push(ch),
                _ => return Err("invalid UTF-16 surrogate pair in a \\u escape".to_string()),
            },
            (None, _) => match char::from_u32(unit.into()) {
                Some(ch) => out.push(ch),
                None => return Err("unpaired UTF-16 surrogate in a \\u escape".to_string()),
            },
            (Some(_), _) => return Err("unpaired UTF-16 surrogate in a \\u escape".to_string()),
        }
    }
    if pending_high.is_some() {
        return Err("unpaired UTF-16 surrogate in a \\u escape".to_string());
    }
    Ok(out)
}

/// `Properties.store`'s escaping for a value: backslash, control characters, a leading
/// space, and every non-ASCII char as `\uXXXX` (Kafka's tools read files as ISO-8859-1).
fn escape_properties_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\x0c' => out.push_str("\\f"),
            ' ' if i == 0 => out.push_str("\\ "),
            c if (' '..='~').contains(&c) => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(config: &mut SimConfig, key: &str, value: &str) {
        if let Err(e) = config.set(key, value) {
            panic!("{key}={value} refused: {e}");
        }
    }

    fn with(pairs: &[(&str, &str)]) -> SimConfig {
        let mut config = SimConfig::default();
        for (k, v) in pairs {
            set(&mut config, k, v);
        }
        config
    }

    fn error_of(config: &SimConfig) -> ConfigError {
        match config.validate() {
            Ok(()) => panic!("expected a validation error for {config:?}"),
            Err(e) => e,
        }
    }

    fn set_error(key: &str, value: &str) -> ConfigError {
        match SimConfig::default().set(key, value) {
            Ok(()) => panic!("expected {key}={value} to be refused"),
            Err(e) => e,
        }
    }

    #[test]
    fn producer_defaults_equal_kafkas() {
        // ProducerConfig.java's ConfigDef; retry backoffs from CommonClientConfigs
        // (DEFAULT_RETRY_BACKOFF_MS 100, DEFAULT_RETRY_BACKOFF_MAX_MS 1000, KIP-580);
        // compression levels from CompressionType (KIP-390); linger.ms 5 since 4.0 (KIP-1030).
        let c = SimConfig::default();
        let expected = [
            ("acks", "all"),
            ("enable.idempotence", ""),
            ("batch.size", "16384"),
            ("linger.ms", "5"),
            ("buffer.memory", "33554432"),
            ("max.block.ms", "60000"),
            ("max.in.flight.requests.per.connection", "5"),
            ("retries", "2147483647"),
            ("retry.backoff.ms", "100"),
            ("retry.backoff.max.ms", "1000"),
            ("delivery.timeout.ms", "120000"),
            ("request.timeout.ms", "30000"),
            ("max.request.size", "1048576"),
            ("compression.type", "none"),
            ("compression.gzip.level", "-1"),
            ("compression.lz4.level", "9"),
            ("compression.zstd.level", "3"),
            ("partitioner.class", ""),
            ("partitioner.adaptive.partitioning.enable", "true"),
            ("partitioner.availability.timeout.ms", "0"),
            ("partitioner.ignore.keys", "false"),
        ];
        for (key, value) in expected {
            assert_eq!(c.get(key).as_deref(), Some(value), "{key}");
        }
        // enable.idempotence's ConfigDef default is true: unset means enabled.
        assert!(c.idempotence_enabled());
    }

    #[test]
    fn topic_defaults_equal_kafkas_where_kafka_has_one() {
        // ReplicationConfigs: replica.lag.time.max.ms 30000 (KIP-537), replica.fetch.wait.max.ms 500;
        // ReplicationConfigs: unclean.leader.election.enable false; KRaftConfigs:
        // broker.session.timeout.ms 9000. min.insync.replicas is 1 in Kafka; the
        // simulator's default scenario uses 2, with 3 brokers and replication factor 3.
        let c = SimConfig::default();
        assert_eq!(c.topic.replica_lag_time_max_ms, 30_000);
        assert_eq!(c.topic.replica_fetch_wait_max_ms, 500);
        assert!(!c.topic.unclean_leader_election_enable);
        assert_eq!(c.topic.broker_session_timeout_ms, 9_000);
        assert_eq!(c.topic.min_insync_replicas, 2);
        assert_eq!(c.topic.replication_factor, 3);
        assert_eq!(c.cluster.brokers, 3);
        assert_eq!(c.topic.partitions, 3);
        assert_eq!(c.workload.value_size, 200);
        assert_eq!(c.workload.keys, KeyDistribution::Uniform { count: 1000 });
        assert_eq!(c.workload.value_profile, ValueProfile::Json);
        assert_eq!(c.validate(), Ok(()));
        assert!(c.warnings().is_empty());
    }

    #[test]
    fn keys_are_unique_grouped_and_all_readable() {
        let keys = SimConfig::keys();
        let mut sorted: Vec<&str> = keys.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), keys.len());
        let grouped: Vec<&str> = SettingGroup::ALL
            .iter()
            .flat_map(|g| g.keys().iter().copied())
            .collect();
        assert_eq!(grouped, keys);
        // The groups are runs of one list: pin where each run starts and ends.
        let ends = |g: SettingGroup| (g.keys()[0], g.keys()[g.keys().len() - 1]);
        assert_eq!(
            ends(SettingGroup::Producer),
            ("client", "sticky.partitioning.linger.ms")
        );
        assert_eq!(
            ends(SettingGroup::Topic),
            ("partitions", "broker.session.timeout.ms")
        );
        assert_eq!(
            ends(SettingGroup::Cluster),
            ("brokers", "broker.replication.latency.ms")
        );
        assert_eq!(
            ends(SettingGroup::Workload),
            ("workload.records", "workload.messages.per.send")
        );
        let config = SimConfig::default();
        for key in keys {
            assert!(config.get(key).is_some(), "{key} has no value");
            assert!(SettingGroup::of(key).is_some());
        }
        assert_eq!(config.get("no.such.key"), None);
        assert_eq!(SettingGroup::of("linger.ms"), Some(SettingGroup::Producer));
        assert_eq!(
            SettingGroup::of("workload.rate"),
            Some(SettingGroup::Workload)
        );
    }

    #[test]
    fn every_key_parses_a_sample_value() {
        let samples = [
            ("client", " sarama ", "sarama"),
            ("partitioner", "murmur2", "murmur2"),
            ("acks", "1", "1"),
            ("enable.idempotence", "false", "false"),
            ("batch.size", "0", "0"),
            ("linger.ms", "100", "100"),
            ("buffer.memory", "1024", "1024"),
            ("max.block.ms", "0", "0"),
            ("max.in.flight.requests.per.connection", "1", "1"),
            ("retries", "0", "0"),
            ("retry.backoff.ms", "50", "50"),
            ("retry.backoff.max.ms", "5000", "5000"),
            ("delivery.timeout.ms", "60000", "60000"),
            ("request.timeout.ms", "10000", "10000"),
            ("max.request.size", "2097152", "2097152"),
            ("compression.type", "zstd", "zstd"),
            ("compression.gzip.level", "9", "9"),
            ("compression.lz4.level", "17", "17"),
            ("compression.zstd.level", "-5", "-5"),
            (
                "partitioner.class",
                "round-robin",
                ROUND_ROBIN_PARTITIONER_CLASS,
            ),
            ("partitioner.adaptive.partitioning.enable", "FALSE", "false"),
            ("partitioner.availability.timeout.ms", "200", "200"),
            ("partitioner.ignore.keys", "True", "true"),
            ("batch.num.messages", "500", "500"),
            ("queue.buffering.max.messages", "20000", "20000"),
            ("queue.buffering.max.kbytes", "2048", "2048"),
            ("sticky.partitioning.linger.ms", "0", "0"),
            ("partitions", "64", "64"),
            ("replication.factor", "2", "2"),
            ("min.insync.replicas", "3", "3"),
            ("unclean.leader.election.enable", "true", "true"),
            ("replica.lag.time.max.ms", "10000", "10000"),
            ("replica.fetch.wait.max.ms", "100", "100"),
            ("broker.session.timeout.ms", "18000", "18000"),
            ("brokers", "5", "5"),
            ("network.rtt.ms", "0.5", "0.5"),
            ("network.bandwidth.mbps", "12.5", "12.5"),
            ("broker.append.latency.ms", "0", "0"),
            ("broker.replication.latency.ms", "1.25", "1.25"),
            ("workload.records", "5000000", "5000000"),
            ("workload.rate", "2500.5", "2500.5"),
            ("workload.keys", "zipf:100:1.2", "zipf:100:1.2"),
            ("workload.value.size", "1024", "1024"),
            ("workload.value.profile", "log", "log"),
            ("workload.values", " file:values.txt", "file:values.txt"),
            ("workload.messages.per.send", "100", "100"),
        ];
        assert_eq!(samples.len(), SimConfig::keys().len());
        for (key, input, canonical) in samples {
            let mut c = SimConfig::default();
            set(&mut c, key, input);
            assert_eq!(c.get(key).as_deref(), Some(canonical), "{key}");
            // Every value reads back into the same config.
            let mut again = c.clone();
            set(&mut again, key, canonical);
            assert_eq!(again, c, "{key}");
        }
    }

    #[test]
    fn values_are_trimmed_like_configdef_does() {
        let c = with(&[
            ("linger.ms", "  20\t"),
            ("acks", " all "),
            ("compression.type", "lz4 "),
        ]);
        assert_eq!(c.producer.linger_ms, 20);
        assert_eq!(c.producer.acks, Acks::All);
        assert_eq!(c.producer.compression_type, CompressionType::Lz4);
    }

    #[test]
    fn acks_takes_kafkas_four_values_case_sensitively() {
        assert_eq!(with(&[("acks", "all")]).producer.acks, Acks::All);
        assert_eq!(with(&[("acks", "-1")]).producer.acks, Acks::All);
        assert_eq!(with(&[("acks", "0")]).producer.acks, Acks::Zero);
        assert_eq!(with(&[("acks", "1")]).producer.acks, Acks::One);
        // ValidString.in is case-sensitive, so ALL is refused before parseAcks sees it.
        assert_eq!(
            set_error("acks", "ALL").message,
            "Invalid value ALL for configuration acks: String must be one of: all, -1, 0, 1"
        );
        assert!(set_error("acks", "2")
            .message
            .contains("String must be one of"));
    }

    #[test]
    fn booleans_take_true_or_false_in_any_case() {
        assert_eq!(
            set_error("partitioner.ignore.keys", "yes").message,
            "Invalid value yes for configuration partitioner.ignore.keys: Expected value to be either true or false"
        );
        assert!(
            with(&[("unclean.leader.election.enable", "TRUE")])
                .topic
                .unclean_leader_election_enable
        );
    }

    #[test]
    fn bad_numbers_name_the_setting_and_the_range() {
        let e = set_error("batch.size", "abc");
        assert_eq!(e.key, "batch.size");
        assert_eq!(
            e.message,
            "Invalid value abc for configuration batch.size: Not a number of type INT (expected a whole number from 0 to 2147483647)"
        );
        let e = set_error("batch.size", "-1");
        assert!(e.message.contains("Value must be at least 0"), "{e}");
        // Beyond Integer.MAX_VALUE is not an INT at all (Integer.parseInt fails).
        assert!(set_error("request.timeout.ms", "2147483648")
            .message
            .contains("Not a number of type INT"));
        assert!(set_error("linger.ms", "1.5").message.contains("type LONG"));
        let e = set_error("max.in.flight.requests.per.connection", "0");
        assert!(e.message.contains("Value must be at least 1"), "{e}");
        assert!(set_error("brokers", "65")
            .message
            .contains("no more than 64"));
        assert!(set_error("brokers", "0").message.contains("at least 1"));
        assert!(set_error("network.rtt.ms", "NaN")
            .message
            .contains("DOUBLE"));
        assert!(set_error("network.bandwidth.mbps", "0")
            .message
            .contains("expected a number above 0"));
        assert!(set_error("workload.rate", "-1")
            .message
            .contains("out of range"));
        assert!(set_error("workload.records", "-5")
            .message
            .contains("whole number"));
        assert!(set_error("workload.value.size", "16777217")
            .message
            .contains("16777216"));
    }

    #[test]
    fn a_refused_value_changes_nothing() {
        let mut c = SimConfig::default();
        assert!(c.set("batch.size", "oops").is_err());
        assert!(c.set("workload.keys", "zipf:10").is_err());
        assert_eq!(c, SimConfig::default());
    }

    #[test]
    fn compression_levels_follow_kafkas_validators() {
        // CompressionType.GZIP: [1,...,9] or -1.
        assert_eq!(
            with(&[("compression.gzip.level", "-1")])
                .producer
                .compression_gzip_level,
            -1
        );
        assert_eq!(
            with(&[("compression.gzip.level", "1")])
                .producer
                .compression_gzip_level,
            1
        );
        assert_eq!(
            set_error("compression.gzip.level", "0").message,
            "Invalid value 0 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1"
        );
        assert!(set_error("compression.gzip.level", "10")
            .message
            .contains("between 1 and 9"));
        // CompressionType.LZ4: between(1, 17).
        assert!(set_error("compression.lz4.level", "0")
            .message
            .contains("at least 1"));
        assert!(set_error("compression.lz4.level", "18")
            .message
            .contains("no more than 17"));
        // CompressionType.ZSTD: between(-131072, 22).
        assert_eq!(
            with(&[("compression.zstd.level", "-131072")])
                .producer
                .compression_zstd_level,
            -131_072
        );
        assert!(set_error("compression.zstd.level", "-131073")
            .message
            .contains("at least -131072"));
        assert!(set_error("compression.zstd.level", "23")
            .message
            .contains("no more than 22"));
        // Utils.enumOptions(CompressionType.class) is lower case and checked as written.
        assert!(set_error("compression.type", "LZ4")
            .message
            .contains("String must be one of: none, gzip, snappy, lz4, zstd"));
    }

    #[test]
    fn partitioner_class_takes_kafka_names_and_short_names() {
        let cases = [
            ("", PartitionerClass::BuiltIn),
            ("built-in", PartitionerClass::BuiltIn),
            (ROUND_ROBIN_PARTITIONER_CLASS, PartitionerClass::RoundRobin),
            ("RoundRobinPartitioner", PartitionerClass::RoundRobin),
            ("round-robin", PartitionerClass::RoundRobin),
            (
                LEGACY_DEFAULT_PARTITIONER_CLASS,
                PartitionerClass::LegacySticky,
            ),
            ("legacy-sticky", PartitionerClass::LegacySticky),
        ];
        for (name, class) in cases {
            assert_eq!(
                with(&[("partitioner.class", name)])
                    .producer
                    .partitioner_class,
                class
            );
        }
        assert!(
            with(&[("partitioner.class", "legacy-sticky")]).warnings()[0]
                .contains("removed in Kafka 4.0")
        );
        assert!(set_error("partitioner.class", "UniformStickyPartitioner")
            .message
            .contains("partitioner.ignore.keys=true"));
        assert!(set_error("partitioner.class", "com.example.Mine")
            .message
            .contains("could not be found"));
    }

    #[test]
    fn workload_keys_parse_each_form() {
        let keys = |v: &str| with(&[("workload.keys", v)]).workload.keys;
        assert_eq!(keys("none"), KeyDistribution::None);
        assert_eq!(keys("uniform:7"), KeyDistribution::Uniform { count: 7 });
        assert_eq!(
            keys("zipf:1000:1.1"),
            KeyDistribution::Zipf {
                count: 1000,
                exponent: 1.1
            }
        );
        assert_eq!(
            keys("list:a,b,,c d"),
            KeyDistribution::List(vec!["a".into(), "b".into(), "".into(), "c d".into()])
        );
        for bad in [
            "uniform:0",
            "uniform:x",
            "zipf:10",
            "zipf:10:0",
            "zipf:10:inf",
            "list:",
            "hot",
            "",
        ] {
            let e = set_error("workload.keys", bad);
            assert!(e.message.contains("expected none, uniform:N"), "{bad}: {e}");
        }
        assert_eq!(
            with(&[("workload.value.profile", "random")])
                .workload
                .value_profile,
            ValueProfile::Random
        );
        assert_eq!(
            with(&[("workload.value.profile", "text")])
                .workload
                .value_profile,
            ValueProfile::RepeatedText
        );
        assert!(set_error("workload.value.profile", "xml")
            .message
            .contains("random, json, log, text"));
    }

    #[test]
    fn unknown_keys_are_named_with_a_suggestion() {
        let e = set_error("batch.sise", "1");
        assert_eq!(e.key, "batch.sise");
        assert_eq!(
            e.message,
            "Unknown setting 'batch.sise'. Did you mean 'batch.size'?"
        );
        let e = set_error("queue.buffering.max.ms", "5");
        assert!(e.message.contains("'linger.ms'"), "{e}");
        let e = set_error("zzz", "1");
        assert!(e.message.starts_with("Unknown setting 'zzz'."), "{e}");
        assert_eq!(
            SimConfig::default().unset("zzz").map_err(|e| e.key),
            Err("zzz".to_string())
        );
    }

    // --- enable.idempotence (ProducerConfig.postProcessAndValidateIdempotenceConfigs) ---

    #[test]
    fn unset_idempotence_is_turned_off_quietly_by_acks() {
        for acks in ["0", "1"] {
            let c = with(&[("acks", acks)]);
            assert_eq!(c.validate(), Ok(()));
            assert!(!c.idempotence_enabled());
            assert_eq!(
                c.warnings(),
                vec![format!(
                    "Idempotence will be disabled because acks is set to {acks}, not set to 'all'."
                )]
            );
        }
    }

    #[test]
    fn unset_idempotence_is_turned_off_quietly_by_zero_retries() {
        let c = with(&[("retries", "0")]);
        assert_eq!(c.validate(), Ok(()));
        assert!(!c.idempotence_enabled());
        assert_eq!(
            c.warnings(),
            vec!["Idempotence will be disabled because retries is set to 0.".to_string()]
        );
    }

    #[test]
    fn explicit_idempotence_with_acks_other_than_all_is_refused() {
        let c = with(&[("enable.idempotence", "true"), ("acks", "1")]);
        let e = error_of(&c);
        assert_eq!(e.key, "acks");
        assert_eq!(
            e.message,
            "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence."
        );
    }

    #[test]
    fn explicit_idempotence_with_zero_retries_is_refused_first() {
        // retries is checked before acks.
        let c = with(&[
            ("enable.idempotence", "true"),
            ("retries", "0"),
            ("acks", "0"),
        ]);
        let e = error_of(&c);
        assert_eq!(e.key, "retries");
        assert_eq!(
            e.message,
            "Must set retries to non-zero when using the idempotent producer."
        );
    }

    #[test]
    fn more_than_five_in_flight_is_refused_unless_idempotence_is_off() {
        let message =
            "To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. Current value is 6.";
        // Explicitly on, and unset (ProducerConfigTest's validProps2): both refused.
        for idempotence in ["true", ""] {
            let c = with(&[
                ("enable.idempotence", idempotence),
                ("max.in.flight.requests.per.connection", "6"),
            ]);
            assert_eq!(error_of(&c).message, message);
        }
        // Unset and already turned off by acks=1: the check still runs in Kafka's code.
        let c = with(&[
            ("acks", "1"),
            ("max.in.flight.requests.per.connection", "6"),
        ]);
        assert_eq!(error_of(&c).message, message);
        // Explicitly off: accepted (ProducerConfigTest's validProps).
        let c = with(&[
            ("enable.idempotence", "false"),
            ("max.in.flight.requests.per.connection", "6"),
        ]);
        assert_eq!(c.validate(), Ok(()));
        assert!(!c.idempotence_enabled());
        // Five is the limit, not above it.
        assert_eq!(
            with(&[("max.in.flight.requests.per.connection", "5")]).validate(),
            Ok(())
        );
    }

    #[test]
    fn explicit_idempotence_settings_stand() {
        let on = with(&[("enable.idempotence", "true")]);
        assert_eq!(on.validate(), Ok(()));
        assert!(on.idempotence_enabled());
        let off = with(&[("enable.idempotence", "false")]);
        assert_eq!(off.validate(), Ok(()));
        assert!(!off.idempotence_enabled());
        assert!(off.warnings().is_empty());
        // An empty value puts it back to unset.
        let mut c = off.clone();
        set(&mut c, "enable.idempotence", "");
        assert_eq!(c.producer.enable_idempotence, None);
        let mut c = off;
        c.unset("enable.idempotence").unwrap();
        assert_eq!(c.producer.enable_idempotence, None);
    }

    // --- delivery.timeout.ms (KafkaProducer.configureDeliveryTimeout) ---

    #[test]
    fn explicit_delivery_timeout_below_linger_plus_request_timeout_is_refused() {
        let c = with(&[
            ("linger.ms", "100"),
            ("request.timeout.ms", "30000"),
            ("delivery.timeout.ms", "30099"),
        ]);
        let e = error_of(&c);
        assert_eq!(e.key, "delivery.timeout.ms");
        assert_eq!(
            e.message,
            "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"
        );
        // Equal is enough.
        let c = with(&[
            ("linger.ms", "100"),
            ("request.timeout.ms", "30000"),
            ("delivery.timeout.ms", "30100"),
        ]);
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.producer.effective_delivery_timeout_ms(), 30_100);
    }

    #[test]
    fn unset_delivery_timeout_is_raised_quietly() {
        let c = with(&[("linger.ms", "5"), ("request.timeout.ms", "200000")]);
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.producer.delivery_timeout_ms, 120_000);
        assert_eq!(c.producer.effective_delivery_timeout_ms(), 200_005);
        assert_eq!(
            c.warnings(),
            vec!["delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms. Setting it to 200005.".to_string()]
        );
        // linger.ms is capped at Integer.MAX_VALUE, and so is the sum.
        let c = with(&[("linger.ms", "9223372036854775807")]);
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.producer.effective_delivery_timeout_ms(), 2_147_483_647);
        // Unsetting forgets the explicit value.
        let mut c = with(&[("delivery.timeout.ms", "10")]);
        assert!(c.validate().is_err());
        c.unset("delivery.timeout.ms").unwrap();
        assert!(!c.producer.is_set("delivery.timeout.ms"));
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn retry_backoff_above_its_max_is_a_warning_not_an_error() {
        // CommonClientConfigs.warnDisablingExponentialBackoff.
        let c = with(&[("retry.backoff.ms", "2000")]);
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(
            c.warnings(),
            vec!["Configuration 'retry.backoff.ms' with value '2000' is greater than configuration 'retry.backoff.max.ms' with value '1000'. A static backoff with value '1000' will be applied.".to_string()]
        );
    }

    #[test]
    fn batch_size_zero_means_one() {
        assert_eq!(
            with(&[("batch.size", "0")]).producer.effective_batch_size(),
            1
        );
        assert_eq!(SimConfig::default().producer.effective_batch_size(), 16_384);
    }

    // --- topic and brokers ---

    #[test]
    fn non_positive_partitions_and_replication_factor_are_refused_with_kafkas_words() {
        // ReplicationControlManager.createTopic.
        assert_eq!(
            set_error("partitions", "0").message,
            "Number of partitions was set to an invalid non-positive value."
        );
        assert_eq!(
            set_error("replication.factor", "0").message,
            "Replication factor must be larger than 0."
        );
        assert!(set_error("partitions", "10001")
            .message
            .contains("no more than 10000"));
        assert_eq!(with(&[("partitions", "10000")]).topic.partitions, 10_000);
    }

    #[test]
    fn replication_factor_above_brokers_is_refused() {
        // StripedReplicaPlacer: InvalidReplicationFactorException.
        let c = with(&[("brokers", "1")]);
        let e = error_of(&c);
        assert_eq!(e.key, "replication.factor");
        assert_eq!(
            e.message,
            "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) are registered."
        );
        assert_eq!(
            with(&[("brokers", "1"), ("replication.factor", "1")]).validate(),
            Ok(())
        );
    }

    #[test]
    fn min_insync_replicas_above_replication_factor_is_accepted() {
        // Kafka checks only atLeast(1); writes with acks=all then fail with NOT_ENOUGH_REPLICAS.
        assert_eq!(with(&[("min.insync.replicas", "4")]).validate(), Ok(()));
        assert_eq!(
            set_error("min.insync.replicas", "0").message,
            "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1 (expected a whole number from 1 to 2147483647)"
        );
    }

    #[test]
    fn replica_fetch_wait_must_not_exceed_replica_lag_time() {
        // KafkaConfig.validateValues.
        let c = with(&[("replica.lag.time.max.ms", "400")]);
        let e = error_of(&c);
        assert_eq!(e.key, "replica.fetch.wait.max.ms");
        assert!(e
            .message
            .contains("less than or equal to replica.lag.time.max.ms"));
        assert_eq!(
            with(&[("replica.lag.time.max.ms", "500")]).validate(),
            Ok(())
        );
    }

    #[test]
    fn validate_catches_fields_changed_directly() {
        let mut c = SimConfig::default();
        c.producer.batch_size = u32::MAX;
        assert_eq!(error_of(&c).key, "batch.size");
        let mut c = SimConfig::default();
        c.cluster.network_rtt_ms = f64::NAN;
        assert_eq!(error_of(&c).key, "network.rtt.ms");
        let mut c = SimConfig::default();
        c.workload.keys = KeyDistribution::List(Vec::new());
        assert_eq!(error_of(&c).key, "workload.keys");
        let mut c = SimConfig::default();
        c.topic.partitions = 0;
        assert_eq!(error_of(&c).key, "partitions");
    }

    #[test]
    fn error_display_names_the_setting_once() {
        let e = set_error("batch.size", "x");
        assert_eq!(e.to_string(), e.message);
        let e = ConfigError::new(
            "replication.factor",
            "Replication factor must be larger than 0.",
        );
        assert_eq!(
            e.to_string(),
            "replication.factor: Replication factor must be larger than 0."
        );
    }

    // --- .properties ---

    #[test]
    fn properties_syntax_follows_java() {
        let text = "# a comment\n\
                    ! another comment\n\
                    \n\
                    \t   \n\
                    acks = 1\n\
                    linger.ms:20\n\
                    batch.size 32768\n\
                    \x20\x20compression.type=\\\n\
                    \x20\x20\x20\x20\x20lz4\n\
                    workload.keys=list:caf\\u00e9,a\\\\b,\\ x\r\n\
                    partitioner.class=\r\
                    enable.idempotence=false";
        let c = SimConfig::from_properties(text).unwrap();
        assert_eq!(c.producer.acks, Acks::One);
        assert_eq!(c.producer.linger_ms, 20);
        assert_eq!(c.producer.batch_size, 32_768);
        assert_eq!(c.producer.compression_type, CompressionType::Lz4);
        assert_eq!(
            c.workload.keys,
            KeyDistribution::List(vec!["café".into(), "a\\b".into(), " x".into()])
        );
        assert_eq!(c.producer.partitioner_class, PartitionerClass::BuiltIn);
        assert_eq!(c.producer.enable_idempotence, Some(false));
    }

    #[test]
    fn properties_key_value_separators() {
        let entries = parse_properties("a=b\nc : d\ne   f\ng=\nh\ni==j\nk\\=l=m\n").unwrap();
        let pairs: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("a", "b"),
                ("c", "d"),
                ("e", "f"),
                ("g", ""),
                ("h", ""),
                ("i", "=j"),
                ("k=l", "m"),
            ]
        );
        assert_eq!(entries[1].line, 2);
    }

    #[test]
    fn a_comment_line_does_not_continue() {
        let c = SimConfig::from_properties("# note \\\nlinger.ms=7\n").unwrap();
        assert_eq!(c.producer.linger_ms, 7);
    }

    #[test]
    fn properties_errors_name_the_line() {
        let e = SimConfig::from_properties("acks=all\n\nbatch.size=big\n").unwrap_err();
        assert_eq!(e.key, "batch.size");
        assert!(e.message.starts_with("line 3: Invalid value big"), "{e}");
        let e = SimConfig::from_properties("lingr.ms=5").unwrap_err();
        assert!(
            e.message.contains("line 1") && e.message.contains("'linger.ms'"),
            "{e}"
        );
        let e = SimConfig::from_properties("workload.keys=list:\\uZZZZ").unwrap_err();
        assert!(e.message.contains("Malformed \\uxxxx encoding"), "{e}");
    }

    #[test]
    fn later_lines_win() {
        let c = SimConfig::from_properties("linger.ms=1\nlinger.ms=2\n").unwrap();
        assert_eq!(c.producer.linger_ms, 2);
    }

    /// `c`'s text read back: the same text and values, and the same settings unset where
    /// the client reads that (every line written out is set when read back).
    fn assert_reads_back(c: &SimConfig) {
        let text = c.to_properties();
        let mut back = SimConfig::from_properties(&text).unwrap();
        assert_eq!(back.to_properties(), text);
        for key in SimConfig::keys() {
            if c.producer.client.when_unset(key).is_some() {
                assert_eq!(back.producer.is_set(key), c.producer.is_set(key), "{key}");
            }
        }
        back.producer.explicitly_set = c.producer.explicitly_set.clone();
        assert_eq!(&back, c, "{text}");
    }

    #[test]
    fn properties_round_trip_defaults() {
        for client in Client::all() {
            assert_reads_back(&SimConfig::for_client(client));
        }
    }

    #[test]
    fn properties_round_trip_every_change() {
        let c = with(&[
            ("acks", "1"),
            ("enable.idempotence", "false"),
            ("delivery.timeout.ms", "90000"),
            ("compression.type", "gzip"),
            ("compression.gzip.level", "4"),
            ("partitioner.class", "legacy-sticky"),
            ("partitions", "12"),
            ("unclean.leader.election.enable", "true"),
            ("network.rtt.ms", "0.35"),
            ("workload.rate", "1234.5"),
            ("workload.keys", "list: lead,tab\there,back\\slash,é,😀,#x"),
            ("workload.value.profile", "log"),
        ]);
        assert_reads_back(&c);
        assert!(c.to_properties().is_ascii());
        assert_reads_back(&with(&[("workload.keys", "zipf:500:0.99")]));
    }

    #[test]
    fn properties_text_mentions_every_setting_under_group_headings() {
        let text = SimConfig::default().to_properties();
        for key in SimConfig::keys() {
            assert!(
                text.lines().any(|l| l.starts_with(&format!("{key}="))
                    || l.starts_with(&format!("# {key} is unset"))),
                "{key} missing"
            );
        }
        let headings: Vec<usize> = SettingGroup::ALL
            .iter()
            .map(|g| text.find(g.title()).unwrap())
            .collect();
        assert!(headings.windows(2).all(|w| w[0] < w[1]));
        assert!(text.find("acks=").unwrap() < text.find("partitions=").unwrap());
        assert!(text.find("brokers=").unwrap() < text.find("workload.records=").unwrap());
    }

    #[test]
    fn escaping_and_unescaping_agree() {
        for s in ["", " a", "a b ", "\\", "\t\n\r\x0c", "é😀", "=:#!"] {
            assert_eq!(unescape(&escape_properties_value(s)).as_deref(), Ok(s));
        }
    }

    mod never_panics {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn set_never_panics_and_accepted_values_read_back(
                key in prop::sample::select(SimConfig::keys()),
                value in ".{0,24}",
            ) {
                let mut c = SimConfig::default();
                if c.set(key, &value).is_ok() {
                    let text = c.get(key).unwrap();
                    let mut again = c.clone();
                    prop_assert!(again.set(key, &text).is_ok());
                    prop_assert_eq!(again, c.clone());
                    let _ = c.validate();
                }
            }

            #[test]
            fn properties_parsing_never_panics(text in "[a-z.=: \\\\#!\\n\\r\\tu0-9A-F]{0,64}") {
                let _ = SimConfig::from_properties(&text);
            }
        }
    }
}
