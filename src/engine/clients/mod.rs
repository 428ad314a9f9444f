//! Kafka clients other than Java's, and Java's own, as profiles: where each client's
//! partitioners put a record, read from each client's source (one file per client).
//!
//! The same key can land on different partitions from two clients: librdkafka's default
//! hashes with CRC-32, sarama's with FNV-1a, kafkajs's `LegacyPartitioner` with a murmur2
//! that is not Java's. [`key_partition`] answers "where does this client put this key".

mod franz_go;
mod java;
mod kafkajs;
mod keyless;
mod librdkafka;
mod sarama;

pub use keyless::ClientPartitioner;

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Kafka client library whose producer the simulator models.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Client {
    /// The Java client (`org.apache.kafka.clients.producer.KafkaProducer`), Kafka 4.x.
    #[default]
    Java,
    /// librdkafka, which confluent-kafka-python, confluent-kafka-go and Confluent.Kafka
    /// (.NET) wrap.
    Librdkafka,
    /// kafkajs 2.x (Node.js).
    Kafkajs,
    /// IBM/sarama (Go).
    Sarama,
    /// twmb/franz-go (Go).
    FranzGo,
}

impl Client {
    /// Every client, Java first.
    pub fn all() -> [Client; 5] {
        [
            Client::Java,
            Client::Librdkafka,
            Client::Kafkajs,
            Client::Sarama,
            Client::FranzGo,
        ]
    }

    /// The name `--client` and the page's URL use.
    pub fn name(self) -> &'static str {
        match self {
            Client::Java => "java",
            Client::Librdkafka => "librdkafka",
            Client::Kafkajs => "kafkajs",
            Client::Sarama => "sarama",
            Client::FranzGo => "franz-go",
        }
    }

    /// The client's name as people write it, with the wrappers that share its producer.
    pub fn label(self) -> &'static str {
        match self {
            Client::Java => "Java (Kafka 4.x)",
            Client::Librdkafka => "librdkafka (C/C++, Python, Go, .NET)",
            Client::Kafkajs => "kafkajs (Node.js)",
            Client::Sarama => "sarama (Go)",
            Client::FranzGo => "franz-go (Go)",
        }
    }

    /// Parses a [`Client::name`].
    pub fn parse(text: &str) -> Result<Client, UnknownClient> {
        Client::all()
            .into_iter()
            .find(|c| c.name() == text)
            .ok_or_else(|| UnknownClient(text.to_string()))
    }

    /// The client's partitioners, its default first.
    pub fn partitioners(self) -> &'static [PartitionerDef] {
        match self {
            Client::Java => java::PARTITIONERS,
            Client::Librdkafka => librdkafka::PARTITIONERS,
            Client::Kafkajs => kafkajs::PARTITIONERS,
            Client::Sarama => sarama::PARTITIONERS,
            Client::FranzGo => franz_go::PARTITIONERS,
        }
    }

    /// The client's defaults for the simulator's settings, with the client's names for
    /// them. Settings not listed keep the Java value.
    pub fn settings(self) -> &'static [ClientSetting] {
        match self {
            Client::Java => &[],
            Client::Librdkafka => librdkafka::SETTINGS,
            Client::Kafkajs => kafkajs::SETTINGS,
            Client::Sarama => sarama::SETTINGS,
            Client::FranzGo => franz_go::SETTINGS,
        }
    }

    /// The client's entry for the simulator's setting `key`.
    pub fn setting(self, key: &str) -> Option<&'static ClientSetting> {
        self.settings().iter().find(|s| s.key == key)
    }

    /// The simulator's key for one of the client's own setting names (e.g. librdkafka's
    /// `queue.buffering.max.ms` is `linger.ms`).
    pub fn key_for_name(self, name: &str) -> Option<&'static str> {
        self.settings()
            .iter()
            .find(|s| s.names.contains(&name))
            .map(|s| s.key)
    }

    /// How the client refuses an idempotent producer whose `acks` is not `all`: its own
    /// message, and the source file that raises it. Every client refuses it.
    pub fn idempotence_needs_acks_all(self) -> (&'static str, &'static str) {
        match self {
            Client::Java => (
                "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.",
                "clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java",
            ),
            Client::Librdkafka => librdkafka::IDEMPOTENCE_NEEDS_ACKS_ALL,
            Client::Kafkajs => kafkajs::IDEMPOTENCE_NEEDS_ACKS_ALL,
            Client::Sarama => sarama::IDEMPOTENCE_NEEDS_ACKS_ALL,
            Client::FranzGo => franz_go::IDEMPOTENCE_NEEDS_ACKS_ALL,
        }
    }

    /// The most produce requests the client keeps in flight to one broker, for the
    /// configured `max.in.flight.requests.per.connection` (the client's own name for it
    /// in its profile) and whether the producer is idempotent.
    pub fn max_in_flight(self, configured: u32, idempotent: bool) -> u32 {
        if !idempotent {
            return configured;
        }
        match self {
            // Java refuses more than 5 (SimConfig::validate); sarama refuses more than 1
            // (config.go Validate, see `idempotence_in_flight_refusal`).
            Client::Java | Client::Sarama => configured,
            // rd_kafka_conf_finalize (src/rdkafka_conf.c): max.in.flight is lowered to
            // RD_KAFKA_IDEMP_MAX_INFLIGHT (5) when not set.
            Client::Librdkafka => configured.min(5),
            // eosManager.acquireBrokerLock (src/producer/eosManager/index.js): an
            // idempotent producer sends one request to a broker at a time.
            Client::Kafkajs => 1,
            // newSink (pkg/kgo/sink.go) starts an idempotent sink at 1 in flight, and
            // firstRespCheck raises it to 4 on the first response of produce version 4 or
            // later (every broker since Kafka 1.0): 4 once the first response came back.
            Client::FranzGo => 4,
        }
    }

    /// For a setting the client treats differently when the user sets it (even to its
    /// default) than when it is left unset, what it does when unset; `None` for the
    /// others, whose value alone counts. The config remembers which of these the user
    /// set (`ProducerConfig::is_set`).
    pub fn when_unset(self, key: &str) -> Option<&'static str> {
        match (self, key) {
            // KafkaProducer.configureDeliveryTimeout.
            (Client::Java, "delivery.timeout.ms") => Some(
                "Kafka's default applies, raised quietly to linger.ms + request.timeout.ms when smaller",
            ),
            // rd_kafka_conf_finalize (src/rdkafka_conf.c), for an idempotent producer.
            (Client::Librdkafka, "max.in.flight.requests.per.connection") => Some(
                "librdkafka's default applies, lowered quietly to 5 when enable.idempotence is true (set above 5, it is refused)",
            ),
            (Client::Librdkafka, "retries") => Some(
                "librdkafka's default applies, INT32_MAX when enable.idempotence is true (set below 1, it is refused)",
            ),
            // rd_kafka_topic_conf_finalize (src/rdkafka_conf.c).
            (Client::Librdkafka, "acks") => Some(
                "librdkafka's default applies, all when enable.idempotence is true (set to anything else, it is refused)",
            ),
            (Client::Librdkafka, "linger.ms") => Some(
                "librdkafka's default applies (set, message.timeout.ms must be greater than it)",
            ),
            // rd_kafka_conf_finalize.
            (Client::Librdkafka, "sticky.partitioning.linger.ms") => Some(
                "librdkafka makes it twice linger.ms (at most 900000)",
            ),
            // src/producer/index.js: `retry || { retries: idempotent ? MAX_SAFE_INTEGER : 5 }`.
            (Client::Kafkajs, "retries") => Some(
                "kafkajs's default applies, unbounded (Number.MAX_SAFE_INTEGER) when idempotent",
            ),
            // sarama's Config.Validate (config.go) and franz-go's cfg.validate
            // (pkg/kgo/config.go) read values only; kafkajs's producer options are plain
            // values too.
            _ => None,
        }
    }

    /// The client's refusal of an idempotent producer's `retries`, if any: its message.
    /// `set`: whether the user set it ([`Client::when_unset`]).
    pub fn idempotence_retries_refusal(self, retries: u32, set: bool) -> Option<&'static str> {
        match self {
            // ProducerConfig.postProcessAndValidateIdempotenceConfigs.
            Client::Java if retries == 0 => {
                Some("Must set retries to non-zero when using the idempotent producer.")
            }
            // rd_kafka_conf_finalize (src/rdkafka_conf.c): unset, it becomes INT32_MAX.
            Client::Librdkafka if set && retries < 1 => {
                Some("`retries` must be set >= 1 when `enable.idempotence` is true")
            }
            // src/producer/index.js.
            Client::Kafkajs if retries < 1 => {
                Some("Idempotent producer must allow retries to protect against transient errors")
            }
            // config.go Validate.
            Client::Sarama if retries == 0 => {
                Some("Idempotent producer requires Producer.Retry.Max >= 1")
            }
            _ => None,
        }
    }

    /// Whether the client refuses an idempotent producer's `acks` other than `all`:
    /// librdkafka only when the user set `acks` (unset, it becomes `all`,
    /// `rd_kafka_topic_conf_finalize`); the others whatever the value's origin.
    pub fn refuses_acks_for_idempotence(self, set: bool) -> bool {
        self != Client::Librdkafka || set
    }

    /// The client's refusal of an idempotent producer's in-flight setting, if any: the
    /// client's message. `set`: whether the user set it ([`Client::when_unset`]).
    pub fn idempotence_in_flight_refusal(self, configured: u32, set: bool) -> Option<String> {
        match self {
            // config.go Validate.
            Client::Sarama if configured > 1 => Some(format!(
                "Idempotent producer requires Net.MaxOpenRequests to be 1 (Net.MaxOpenRequests is {configured})"
            )),
            // rd_kafka_conf_finalize (src/rdkafka_conf.c): unset, it is lowered to 5.
            Client::Librdkafka if set && configured > 5 => Some(
                "`max.in.flight` must be set <= 5 when `enable.idempotence` is true".to_string(),
            ),
            // cfg.validate (pkg/kgo/config.go): any value but 1, whoever set it.
            Client::FranzGo if configured != 1 => Some(
                "invalid usage of MaxProduceRequestsInflightPerBroker with idempotency enabled"
                    .to_string(),
            ),
            _ => None,
        }
    }

    /// What the client's send call does when the producer's buffer is full (its record or
    /// byte limit): wait for room, or fail at once.
    pub fn full_buffer(self) -> FullBuffer {
        match self {
            // BufferPool.allocate: send() waits up to max.block.ms.
            Client::Java | Client::Kafkajs => FullBuffer::Wait,
            // rd_kafka_msg_new0 (src/rdkafka_msg.c) calls rd_kafka_curr_msgs_add
            // (src/rdkafka_int.h) without RD_KAFKA_MSG_F_BLOCK: at
            // queue.buffering.max.messages or queue.buffering.max.kbytes it returns
            // RD_KAFKA_RESP_ERR__QUEUE_FULL at once.
            Client::Librdkafka => FullBuffer::Fail,
            // Client.produce (pkg/kgo/producer.go): Produce waits while MaxBufferedRecords
            // (or MaxBufferedBytes) are buffered, until its context is done (TryProduce and
            // ManualFlushing fail with ErrMaxBuffered instead).
            // asyncProducer.Input (async_producer.go) is a channel of ChannelBufferSize
            // messages: the send waits, with no time limit, while it is full.
            Client::FranzGo | Client::Sarama => FullBuffer::Wait,
        }
    }

    /// The error a send call gets from a full buffer, in the client's words: at once
    /// ([`FullBuffer::Fail`]) or once `max.block.ms` has passed ([`FullBuffer::Wait`]).
    pub fn full_buffer_error(self) -> &'static str {
        match self {
            Client::Java | Client::Kafkajs | Client::Sarama => "TimeoutException (max.block.ms)",
            // rd_kafka_err_descs (src/rdkafka.c): "Local: Queue full".
            Client::Librdkafka => "_QUEUE_FULL (Local: Queue full)",
            // Produce fails the record with ctx.Err() when its context is done while it waits.
            Client::FranzGo => "context deadline exceeded (Produce waiting for buffer room)",
        }
    }

    /// Whether the client batches per send() call rather than across calls: kafkajs
    /// (`src/producer/sendMessages.js`) sends each call's messages at once, one request per
    /// leader broker with one batch per partition, and no call's batch takes another's.
    pub fn produces_per_send_call(self) -> bool {
        self == Client::Kafkajs
    }

    /// Whether send() gives up on a topic missing from its metadata after max.block.ms.
    /// Java's `KafkaProducer.waitOnMetadata` does; the others hold the record until the
    /// metadata comes (or its delivery timeout): librdkafka in the topic's unassigned
    /// partition queue
    /// (src/rdkafka_msg.c, RD_KAFKA_TOPIC_S_UNKNOWN), kafkajs awaiting
    /// `cluster.addMultipleTargetTopics` (src/producer/sendMessages.js), sarama's topic
    /// producer looking the partitions up (async_producer.go partitionMessage), franz-go
    /// in `unknownTopics` (pkg/kgo/producer.go).
    pub fn metadata_wait_times_out(self) -> bool {
        self == Client::Java
    }

    /// Where the simulation of the client's producer is simpler than the client, for
    /// people; empty when nothing the page shows differs.
    pub fn simpler_here(self) -> &'static str {
        match self {
            Client::Java | Client::Librdkafka | Client::Sarama | Client::FranzGo => "",
            // src/producer/sendMessages.js (per call), src/retry/index.js (the retrier).
            Client::Kafkajs => {
                "Simpler here: a retried send() call keeps its partitions (kafkajs partitions \
                 it again), and buffer.memory over batch.size (32 batches) bounds the calls \
                 awaiting an answer (kafkajs has no bound)."
            }
        }
    }

    /// The partitioner a producer uses when none is configured.
    pub fn default_partitioner(self) -> &'static PartitionerDef {
        &self.partitioners()[0]
    }

    /// The partitioner named `name` (`None`: the default), or an error listing the ones
    /// the client has.
    pub fn partitioner(
        self,
        name: Option<&str>,
    ) -> Result<&'static PartitionerDef, UnknownPartitioner> {
        let Some(name) = name else {
            return Ok(self.default_partitioner());
        };
        self.partitioners()
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| UnknownPartitioner {
                client: self,
                name: name.to_string(),
            })
    }
}

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a client's send call does when the producer's buffer is full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FullBuffer {
    /// It waits for room, up to `max.block.ms` (the client's profile sets it to no limit
    /// where the client has none), then fails.
    Wait,
    /// It fails at once.
    Fail,
}

/// One of the simulator's settings as a client has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientSetting {
    /// The simulator's key (Kafka's name).
    pub key: &'static str,
    /// The client's names for it, as its configuration spells them; empty when the client
    /// has no such setting and `value` is how the simulator models its absence.
    pub names: &'static [&'static str],
    /// The client's default, as a value of the simulator's setting.
    pub value: &'static str,
    /// Where the default comes from, or how the absence is modelled.
    pub source: &'static str,
}

/// A `--client` value that names no client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownClient(pub String);

impl fmt::Display for UnknownClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Client::all().iter().map(|c| c.name()).collect();
        write!(
            f,
            "unknown client '{}': expected one of {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownClient {}

/// A partitioner name the client does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPartitioner {
    pub client: Client,
    pub name: String,
}

impl fmt::Display for UnknownPartitioner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.client.partitioners().iter().map(|p| p.name).collect();
        write!(
            f,
            "{} has no partitioner '{}': its partitioners are {}",
            self.client,
            self.name,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownPartitioner {}

/// A 32-bit hash function a partitioner applies to the key bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    /// Kafka's murmur2 (`Utils.murmur2`), which Java, kafkajs's default, franz-go and
    /// librdkafka's `murmur2*` compute alike.
    Murmur2,
    /// kafkajs's `LegacyPartitioner` murmur2: the same steps in JavaScript doubles.
    Murmur2KafkajsLegacy,
    /// CRC-32 (IEEE, as zlib's `crc32`).
    Crc32,
    /// FNV-1a, 32 bits (Go's `hash/fnv` `New32a`).
    Fnv1a,
}

impl Hash {
    pub fn name(self) -> &'static str {
        match self {
            Hash::Murmur2 => "murmur2",
            Hash::Murmur2KafkajsLegacy => "kafkajs legacy murmur2",
            Hash::Crc32 => "CRC-32",
            Hash::Fnv1a => "FNV-1a",
        }
    }

    /// The hash of `key` as 32 bits.
    pub fn hash(self, key: &[u8]) -> u32 {
        match self {
            Hash::Murmur2 => java::murmur2(key),
            Hash::Murmur2KafkajsLegacy => kafkajs::legacy_murmur2(key) as u32,
            Hash::Crc32 => librdkafka::crc32(key),
            Hash::Fnv1a => sarama::fnv1a(key),
        }
    }
}

/// How a partitioner turns the 32-bit hash `h` into a partition of `n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduce {
    /// `(h & 0x7fffffff) % n` (Java's `Utils.toPositive`).
    MaskSignBit,
    /// `h % n`, `h` unsigned (librdkafka `consistent`, sarama `WithHashUnsigned`).
    Unsigned,
    /// `|int32(h)| % n`: negate first (librdkafka `rd_fnv1a`).
    AbsThenModulo,
    /// `|int32(h) % n|`: negate the remainder (sarama `NewHashPartitioner`).
    ModuloThenAbs,
}

impl Reduce {
    /// The rule in the notation of the client's code.
    pub fn formula(self) -> &'static str {
        match self {
            Reduce::MaskSignBit => "(h & 0x7fffffff) % n",
            Reduce::Unsigned => "h % n, h unsigned",
            Reduce::AbsThenModulo => "abs(int32(h)) % n",
            Reduce::ModuloThenAbs => "abs(int32(h) % n)",
        }
    }

    /// The partition for hash `h` and `n` partitions (`n` at least 1).
    pub fn apply(self, h: u32, n: u32) -> u32 {
        let n = n.max(1);
        match self {
            Reduce::MaskSignBit => (h & 0x7fff_ffff) % n,
            Reduce::Unsigned => h % n,
            // -INT32_MIN stays INT32_MIN in C, read as 2^31 unsigned: its unsigned_abs.
            Reduce::AbsThenModulo => (h as i32).unsigned_abs() % n,
            // Go: int32 % int32 truncates, so |h % n| = |h| % n.
            Reduce::ModuloThenAbs => (h as i32).unsigned_abs() % n,
        }
    }
}

/// Where records go that the key does not place: without a key, or all records for a
/// partitioner that ignores keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyless {
    /// Java built-in (KIP-794): stick to a partition until `batch.size` bytes went to it.
    StickyBytes,
    /// KIP-480 (Java 2.4 to 3.2, franz-go `StickyKeyPartitioner` and `StickyPartitioner`):
    /// stick until a record needs a new batch.
    StickyNewBatch,
    /// librdkafka: a new random partition every `sticky.partitioning.linger.ms`.
    StickyTime,
    /// franz-go `UniformBytesPartitioner` (adaptive): stick until 64 KiB of record bytes,
    /// then a partition weighted by 1 / (records buffered and in flight + 1).
    UniformBytes,
    /// A random partition for every record.
    Random,
    /// Partitions in turn, starting at 0.
    RoundRobin,
    /// kafkajs: partitions with a leader in turn, from a per-topic counter that starts at a
    /// random value.
    RoundRobinRandomStart,
    /// franz-go `LeastBackupPartitioner`: on a new batch, the partition with the fewest
    /// records buffered and in flight.
    LeastBackup,
}

impl Keyless {
    /// One line for people.
    pub fn describe(self) -> &'static str {
        match self {
            Keyless::StickyBytes => {
                "sticky: one partition until batch.size bytes went to it, then another (KIP-794)"
            }
            Keyless::StickyNewBatch => {
                "sticky: one partition until a record needs a new batch there (KIP-480)"
            }
            Keyless::StickyTime => {
                "sticky: a new random partition every sticky.partitioning.linger.ms (10 ms)"
            }
            Keyless::UniformBytes => {
                "sticky: one partition until 64 KiB of records, then another, favouring those with fewer records waiting"
            }
            Keyless::Random => "a random partition for every record",
            Keyless::RoundRobin => "round-robin: each record takes the next partition",
            Keyless::RoundRobinRandomStart => {
                "round-robin over partitions with a leader, from a random starting point"
            }
            Keyless::LeastBackup => {
                "sticky: on each new batch, the partition with the fewest records sent and not yet acknowledged"
            }
        }
    }
}

/// What a partitioner does with a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyRule {
    /// Keys are hashed over all partitions.
    Hashed {
        hash: Hash,
        reduce: Reduce,
        /// A record without a key: `None` hashes it as zero bytes (librdkafka's
        /// `consistent`, `murmur2`, `fnv1a`), else where it goes.
        null_key: Option<Keyless>,
        /// Whether an empty (non-null) key goes where null keys go (librdkafka
        /// `consistent_random`) rather than being hashed.
        empty_key_is_null: bool,
    },
    /// The key plays no part: keyed records go where `keyed` says, records without a key
    /// where `null_key` says (they differ only for librdkafka's `random`, whose null keys
    /// stay sticky).
    Ignored { keyed: Keyless, null_key: Keyless },
}

impl KeyRule {
    /// A partitioner that treats every record alike, key or not.
    pub const fn ignores_keys(rule: Keyless) -> KeyRule {
        KeyRule::Ignored {
            keyed: rule,
            null_key: rule,
        }
    }
}

/// One partitioner a client offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartitionerDef {
    /// Its name for `--partitioner`, as the client's configuration spells it where it has a
    /// string name (librdkafka's `partitioner`), else a short form of the constructor.
    pub name: &'static str,
    /// How the application selects it, in the client's own terms.
    pub selected_by: &'static str,
    pub rule: KeyRule,
    /// The client's source file that decides it.
    pub source: &'static str,
}

impl PartitionerDef {
    /// Where a record with this key goes when the key alone decides it, with the steps.
    pub fn hash_steps(&self, key: Option<&[u8]>, partitions: u32) -> Option<HashSteps> {
        let KeyRule::Hashed {
            hash,
            reduce,
            null_key,
            empty_key_is_null,
        } = self.rule
        else {
            return None;
        };
        let bytes = match key {
            None if null_key.is_some() => return None,
            None => &[][..],
            Some(k) if k.is_empty() && empty_key_is_null => return None,
            Some(k) => k,
        };
        let h = hash.hash(bytes);
        Some(HashSteps {
            hash,
            hash_value: h,
            reduce,
            partitions,
            partition: reduce.apply(h, partitions),
        })
    }

    /// Where a record goes that its key does not place (`key` as in
    /// [`PartitionerDef::hash_steps`]); `None` when the key (or a null key, hashed as zero
    /// bytes) places it.
    pub fn keyless(&self, key: Option<&[u8]>) -> Option<Keyless> {
        match self.rule {
            KeyRule::Hashed {
                null_key,
                empty_key_is_null,
                ..
            } => match key {
                None => null_key,
                Some([]) if empty_key_is_null => null_key,
                Some(_) => None,
            },
            KeyRule::Ignored { keyed, null_key } => {
                Some(if key.is_some() { keyed } else { null_key })
            }
        }
    }

    /// Where this partitioner puts `key` when the key alone decides: `None` when the client
    /// picks the partition (sticky, random, round-robin).
    pub fn key_partition(&self, key: Option<&[u8]>, partitions: u32) -> Option<u32> {
        self.hash_steps(key, partitions).map(|s| s.partition)
    }
}

/// From key bytes to partition, with the numbers the client computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashSteps {
    pub hash: Hash,
    /// The hash as 32 bits; [`HashSteps::signed`] reads it as the clients' `int32`.
    pub hash_value: u32,
    pub reduce: Reduce,
    pub partitions: u32,
    pub partition: u32,
}

impl HashSteps {
    pub fn signed(&self) -> i32 {
        self.hash_value as i32
    }
}

impl fmt::Display for HashSteps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} h = {} (int32 {}); {} with n = {} -> {}",
            self.hash.name(),
            self.hash_value,
            self.signed(),
            self.reduce.formula(),
            self.partitions,
            self.partition
        )
    }
}

/// Where `client` with `partitioner` (`None`: its default) puts a record with `key`
/// (`None`: no key) in a topic of `partitions` partitions: `Some(p)` when the key alone
/// decides, `None` when the client picks (sticky, random, round-robin), an error for a
/// partitioner the client does not have.
pub fn key_partition(
    client: Client,
    partitioner: Option<&str>,
    key: Option<&[u8]>,
    partitions: u32,
) -> Result<Option<u32>, UnknownPartitioner> {
    Ok(client
        .partitioner(partitioner)?
        .key_partition(key, partitions))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table "One key, every client" (n = 6) of the project's client notes, each value
    /// computed from the rule in the client's source.
    #[test]
    fn one_key_every_client() {
        let cases: [(Client, &str, [u32; 3]); 6] = [
            (Client::Java, "built-in", [3, 4, 0]),
            (Client::Librdkafka, "consistent", [0, 5, 5]),
            (Client::Sarama, "hash", [3, 5, 0]),
            (Client::Sarama, "reference-hash", [5, 5, 2]),
            (Client::Kafkajs, "legacy", [0, 1, 5]),
            (Client::Kafkajs, "default", [3, 4, 0]),
        ];
        for (client, partitioner, want) in cases {
            for (key, want) in ["", "kafka", "foobar"].into_iter().zip(want) {
                assert_eq!(
                    key_partition(client, Some(partitioner), Some(key.as_bytes()), 6),
                    Ok(Some(want)),
                    "{client} {partitioner} {key:?}"
                );
            }
        }
    }

    #[test]
    fn defaults_and_null_keys() {
        let kafka = Some(&b"kafka"[..]);
        // Default partitioners: Java built-in, librdkafka consistent_random, kafkajs
        // default, sarama hash, franz-go uniform-bytes.
        let defaults: Vec<&str> = Client::all()
            .iter()
            .map(|c| c.default_partitioner().name)
            .collect();
        assert_eq!(
            defaults,
            [
                "built-in",
                "consistent_random",
                "default",
                "hash",
                "uniform-bytes"
            ]
        );
        for client in Client::all() {
            // No client hashes a null key with its default partitioner.
            assert_eq!(key_partition(client, None, None, 6), Ok(None), "{client}");
        }
        assert_eq!(
            key_partition(Client::Librdkafka, None, kafka, 6),
            Ok(Some(5))
        );
        assert_eq!(key_partition(Client::FranzGo, None, kafka, 6), Ok(Some(4)));
        // librdkafka: an empty key is sticky under consistent_random, hashed under
        // murmur2_random; a null key hashes as zero bytes under consistent and murmur2.
        let empty = Some(&b""[..]);
        assert_eq!(key_partition(Client::Librdkafka, None, empty, 6), Ok(None));
        assert_eq!(
            key_partition(Client::Librdkafka, Some("murmur2_random"), empty, 6),
            Ok(Some(3))
        );
        assert_eq!(
            key_partition(Client::Librdkafka, Some("murmur2_random"), None, 6),
            Ok(None)
        );
        assert_eq!(
            key_partition(Client::Librdkafka, Some("murmur2"), None, 6),
            Ok(Some(275_646_681 % 6))
        );
        assert_eq!(
            key_partition(Client::Librdkafka, Some("consistent"), None, 6),
            Ok(Some(0))
        );
        assert_eq!(
            key_partition(Client::Librdkafka, Some("fnv1a"), None, 1000),
            Ok(Some(2_128_831_035 % 1000))
        );
        // Partitioners that ignore keys leave every record to the client.
        for (client, name) in [
            (Client::Librdkafka, "random"),
            (Client::Sarama, "random"),
            (Client::Sarama, "roundrobin"),
            (Client::FranzGo, "round-robin"),
            (Client::Java, "round-robin"),
        ] {
            assert_eq!(key_partition(client, Some(name), kafka, 6), Ok(None));
        }
    }

    #[test]
    fn unknown_names_are_clear_errors() {
        let err = key_partition(Client::Kafkajs, Some("murmur2_random"), None, 6).unwrap_err();
        assert_eq!(
            err.to_string(),
            "kafkajs has no partitioner 'murmur2_random': its partitioners are default, legacy"
        );
        assert_eq!(
            Client::parse("python").unwrap_err().to_string(),
            "unknown client 'python': expected one of java, librdkafka, kafkajs, sarama, franz-go"
        );
        for client in Client::all() {
            assert_eq!(Client::parse(client.name()), Ok(client));
        }
    }

    #[test]
    fn reductions_at_the_edges() {
        // int32 minimum: every rule gives a partition in range and the C/Go readings agree.
        let min = 0x8000_0000u32;
        for n in [1, 6, 7, 1000] {
            assert_eq!(Reduce::AbsThenModulo.apply(min, n), (1u64 << 31) as u32 % n);
            assert_eq!(
                Reduce::ModuloThenAbs.apply(min, n),
                ((i32::MIN % n as i32) as i64).unsigned_abs() as u32
            );
            assert_eq!(Reduce::MaskSignBit.apply(min, n), 0);
        }
        // -1: masked it is i32::MAX, negated 1, unsigned u32::MAX.
        assert_eq!(Reduce::MaskSignBit.apply(u32::MAX, 1000), 647);
        assert_eq!(Reduce::ModuloThenAbs.apply(u32::MAX, 1000), 1);
        assert_eq!(Reduce::Unsigned.apply(u32::MAX, 1000), 295);
        // A topic of 0 partitions (which Kafka cannot have) maps to partition 0.
        assert_eq!(Reduce::Unsigned.apply(5, 0), 0);
    }

    #[test]
    fn steps_read_like_the_client_code() {
        let def = Client::Sarama.partitioner(Some("hash")).unwrap();
        let steps = def.hash_steps(Some(b"kafka"), 6).unwrap();
        assert_eq!(steps.hash_value, 0x0d33_c4e1);
        assert_eq!(
            steps.to_string(),
            "FNV-1a h = 221496545 (int32 221496545); abs(int32(h) % n) with n = 6 -> 5"
        );
        for client in Client::all() {
            for def in client.partitioners() {
                assert!(!def.source.is_empty() && !def.selected_by.is_empty());
            }
        }
    }
}
