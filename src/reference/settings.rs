//! Kafka settings across clients: what each one does, its default in the Java client
//! (Kafka 4.x) and when that default changed, and the name and default the other
//! clients use for it.
//!
//! Every entry was read from the clients' own sources (listed in its `source` field):
//! - Java: apache/kafka `clients/.../producer/ProducerConfig.java`, broker/topic
//!   defaults in `ServerLogConfigs.java`, `ReplicationConfigs.java`, `LogConfig.java`,
//!   history in `docs/upgrade.html`.
//! - librdkafka v2.15 `CONFIGURATION.md` (C/C++, and underneath confluent-kafka-python,
//!   confluent-kafka-go and Confluent.Kafka for .NET, which take the same names).
//! - Confluent.Kafka v2.15 `src/Confluent.Kafka/Config_gen.cs` (.NET property names; the
//!   defaults are librdkafka's).
//! - kafka-python 3.0.11 `kafka/producer/kafka.py` (`KafkaProducer.DEFAULT_CONFIG`).
//! - franz-go v1.21 `pkg/kgo/config.go` (`defaultCfg` and the option functions) and
//!   `pkg/kgo/partitioner.go`.
//! - IBM/sarama v1.60 `config.go` (`NewConfig`) and `partitioner.go`.
//!
//! `None` for a client means the client has no equivalent setting.

use crate::engine::settings::{declared, Declared};

/// Where a setting lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A producer setting.
    Producer,
    /// A topic setting (or the broker default that applies to topics), set on the topic
    /// (see `Setting::topic_note`), not in the producer.
    Topic,
}

impl Scope {
    pub fn label(self) -> &'static str {
        match self {
            Scope::Producer => "Producer",
            Scope::Topic => "Topic",
        }
    }
}

/// A client other than the Java one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Client {
    /// librdkafka, the C library under confluent-kafka-python, -go and -dotnet.
    Librdkafka,
    /// Confluent.Kafka's `ProducerConfig` properties (.NET).
    DotNet,
    /// kafka-python's `KafkaProducer` keyword arguments (pure Python).
    KafkaPython,
    /// franz-go's `kgo` options (pure Go).
    FranzGo,
    /// IBM/sarama's `Config` fields (pure Go).
    Sarama,
}

impl Client {
    pub const ALL: [Client; 5] = [
        Client::Librdkafka,
        Client::DotNet,
        Client::KafkaPython,
        Client::FranzGo,
        Client::Sarama,
    ];

    /// The client's name as shown in the table.
    pub fn label(self) -> &'static str {
        match self {
            Client::Librdkafka => "librdkafka",
            Client::DotNet => ".NET (Confluent.Kafka)",
            Client::KafkaPython => "kafka-python",
            Client::FranzGo => "franz-go",
            Client::Sarama => "sarama",
        }
    }

    /// Who uses it.
    pub fn used_by(self) -> &'static str {
        match self {
            Client::Librdkafka => {
                "C/C++; confluent-kafka-python and confluent-kafka-go take these names as is"
            }
            Client::DotNet => "C#/.NET: ProducerConfig properties over librdkafka",
            Client::KafkaPython => "Python: KafkaProducer keyword arguments",
            Client::FranzGo => "Go: kgo options",
            Client::Sarama => "Go: sarama.Config fields",
        }
    }

    /// The file the names and defaults were read from.
    pub fn source(self) -> &'static str {
        match self {
            Client::Librdkafka => "confluentinc/librdkafka CONFIGURATION.md (v2.15)",
            Client::DotNet => {
                "confluentinc/confluent-kafka-dotnet src/Confluent.Kafka/Config_gen.cs (v2.15)"
            }
            Client::KafkaPython => "dpkp/kafka-python kafka/producer/kafka.py (3.0.11)",
            Client::FranzGo => "twmb/franz-go pkg/kgo/config.go (v1.21)",
            Client::Sarama => "IBM/sarama config.go (v1.60)",
        }
    }
}

/// A client's name and default for a setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientName {
    /// The property, keyword, field or option, spelled as in the client.
    pub name: &'static str,
    /// The default, as the client's source states it.
    pub default: &'static str,
    /// How it differs from the Java setting, or "" when it does not.
    pub note: &'static str,
}

/// A change of the Java default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DefaultChange {
    /// The Kafka version that changed it.
    pub version: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    /// The KIP or release note.
    pub reference: &'static str,
}

/// One Kafka setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    /// The Kafka (Java) name.
    pub name: &'static str,
    pub scope: Scope,
    /// Earlier defaults, oldest first; empty when it never changed.
    pub history: &'static [DefaultChange],
    pub trade_offs: &'static [&'static str],
    pub recommendation: &'static str,
    pub librdkafka: Option<ClientName>,
    pub dotnet: Option<ClientName>,
    pub kafka_python: Option<ClientName>,
    pub franz_go: Option<ClientName>,
    pub sarama: Option<ClientName>,
    /// The files (and KIPs / release notes) every fact above was checked against.
    pub source: &'static [&'static str],
}

impl Setting {
    /// The setting's declaration (`engine::settings`): every setting here is one of the
    /// simulator's.
    fn declared(&self) -> Option<&'static Declared> {
        declared(self.name)
    }

    /// One sentence: what it decides.
    pub fn summary(&self) -> &'static str {
        self.declared().map_or("", |d| d.summary)
    }

    /// The values Kafka accepts.
    pub fn values(&self) -> &'static str {
        self.declared().map_or("", |d| d.values)
    }

    /// The Java client's (or broker's) default in Kafka 4.x.
    pub fn default(&self) -> &'static str {
        self.declared().map_or("", Declared::kafka_default)
    }

    /// How a topic setting is set and changed (`None` for a producer setting).
    pub fn topic_note(&self) -> Option<&'static str> {
        match (self.scope, self.name) {
            (Scope::Producer, _) => None,
            // Each partition's replica list, not a topic config (docs/ops.html,
            // "Increasing replication factor").
            (Scope::Topic, "replication.factor") => Some(
                "Set when the topic is created (kafka-topics --replication-factor, or the \
                 Admin API's createTopics); no producer client has it. It is not a topic \
                 config but each partition's list of replicas, so kafka-configs cannot \
                 change it: list more or fewer replicas per partition in a reassignment plan \
                 and run kafka-reassign-partitions --execute (or the Admin API's \
                 alterPartitionReassignments).",
            ),
            (Scope::Topic, _) => Some(
                "A topic setting: no producer client has it. Set it when creating the topic \
                 (kafka-topics, or the Admin API of any client) or change it with kafka-configs \
                 (or the Admin API's incrementalAlterConfigs).",
            ),
        }
    }

    /// The given client's name for this setting, if it has one.
    pub fn client(&self, client: Client) -> Option<&ClientName> {
        match client {
            Client::Librdkafka => self.librdkafka.as_ref(),
            Client::DotNet => self.dotnet.as_ref(),
            Client::KafkaPython => self.kafka_python.as_ref(),
            Client::FranzGo => self.franz_go.as_ref(),
            Client::Sarama => self.sarama.as_ref(),
        }
    }
}

/// Looks a setting up by its Kafka name.
pub fn setting(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

const PRODUCER_CONFIG: &str =
    "apache/kafka clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java";
const LIBRDKAFKA: &str = "confluentinc/librdkafka CONFIGURATION.md";
const DOTNET: &str = "confluentinc/confluent-kafka-dotnet src/Confluent.Kafka/Config_gen.cs";
const KAFKA_PYTHON: &str = "dpkp/kafka-python kafka/producer/kafka.py";
const FRANZ_GO: &str = "twmb/franz-go pkg/kgo/config.go";
const SARAMA: &str = "IBM/sarama config.go";

/// A topic setting has no producer-side name in any client.
const TOPIC_ONLY: Option<ClientName> = None;

/// The settings the page explains, producer settings first, in the order a producer
/// meets them.
pub static SETTINGS: &[Setting] = &[
    Setting {
        name: "acks",
        scope: Scope::Producer,
        history: &[DefaultChange {
            version: "3.0",
            from: "1",
            to: "all",
            reference: "KIP-679",
        }],
        trade_offs: &[
            "acks=0: the producer does not wait for an answer. Fastest, but a lost record is never noticed, retries cannot help, and the returned offset is always -1.",
            "acks=1: the leader answers once the record is in its own log. If the leader dies before a follower copied it, an acknowledged record is lost.",
            "acks=all: the leader answers once every replica in the current ISR has the record. One replication round trip slower, and the record survives as long as one in-sync replica does.",
        ],
        recommendation: "Keep acks=all, and give the topic min.insync.replicas=2 with replication.factor=3 so that 'all' never means a lone leader. Use acks=1 or 0 only for data you can afford to lose.",
        librdkafka: Some(ClientName {
            name: "acks",
            default: "-1",
            note: "Alias of request.required.acks; a topic-level property. -1 means all.",
        }),
        dotnet: Some(ClientName {
            name: "Acks",
            default: "Acks.All",
            note: "Enum Acks.None / Leader / All, written as 0 / 1 / -1; unset leaves librdkafka's -1.",
        }),
        kafka_python: Some(ClientName {
            name: "acks",
            default: "-1 ('all')",
            note: "Was 1 before kafka-python 3.0.",
        }),
        franz_go: Some(ClientName {
            name: "kgo.RequiredAcks",
            default: "kgo.AllISRAcks()",
            note: "Also kgo.NoAck() and kgo.LeaderAck().",
        }),
        sarama: Some(ClientName {
            name: "Producer.RequiredAcks",
            default: "WaitForLocal",
            note: "WaitForLocal is acks=1: sarama still defaults to leader-only acks. WaitForAll is acks=all.",
        }),
        source: &[
            PRODUCER_CONFIG,
            "apache/kafka docs/upgrade.html (Notable changes in 3.0.0, KIP-679)",
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            FRANZ_GO,
            SARAMA,
        ],
    },
    Setting {
        name: "enable.idempotence",
        scope: Scope::Producer,
        history: &[DefaultChange {
            version: "3.0",
            from: "false",
            to: "true",
            reference: "KIP-679 (in 3.0.0 and 3.1.0 a bug, KAFKA-13598, left it off unless set explicitly)",
        }],
        trade_offs: &[
            "Needs acks=all, retries > 0 and max.in.flight.requests.per.connection <= 5.",
            "Left unset with acks=0/1 or retries=0, the producer quietly turns idempotence off; set to true explicitly with such settings, the producer refuses to start (ConfigException).",
            "max.in.flight.requests.per.connection above 5 is refused while idempotence is on, whether it was set or left at its default.",
            "Costs almost nothing: the batch header has fields for the producer id and sequence either way, and the producer makes one InitProducerId request at start-up.",
        ],
        recommendation: "Leave it on. It removes duplicates from retries and keeps per-partition order with up to 5 requests in flight.",
        librdkafka: Some(ClientName {
            name: "enable.idempotence",
            default: "false",
            note: "Off by default. When on, librdkafka sets max.in.flight.requests.per.connection=5, retries=INT32_MAX and acks=all unless the user set them, and fails to start on conflicting settings.",
        }),
        dotnet: Some(ClientName {
            name: "EnableIdempotence",
            default: "false",
            note: "librdkafka's default.",
        }),
        kafka_python: Some(ClientName {
            name: "enable_idempotence",
            default: "True",
            note: "True since kafka-python 3.0 (False in the 2.x releases that had it). Conflicting acks, retries=0 or max_in_flight_requests_per_connection > 5 quietly turn it off unless it was set explicitly.",
        }),
        franz_go: Some(ClientName {
            name: "kgo.DisableIdempotentWrite",
            default: "idempotent (option not given)",
            note: "Idempotent unless this option is passed; idempotence requires acks=all.",
        }),
        sarama: Some(ClientName {
            name: "Producer.Idempotent",
            default: "false",
            note: "Needs RequiredAcks=WaitForAll, Retry.Max >= 1 and Net.MaxOpenRequests=1.",
        }),
        source: &[
            PRODUCER_CONFIG,
            "apache/kafka docs/upgrade.html (Notable changes in 3.0.0, KIP-679, KAFKA-13598)",
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            FRANZ_GO,
            SARAMA,
        ],
    },
    Setting {
        name: "batch.size",
        scope: Scope::Producer,
        history: &[],
        trade_offs: &[
            "Bigger batches mean fewer requests, less overhead per record and better compression.",
            "Each partition being written holds a buffer of this size, so large values use memory more wastefully.",
            "A record larger than batch.size gets a batch of its own.",
            "The built-in partitioner (KIP-794) also switches the sticky partition of keyless records after about batch.size bytes.",
        ],
        recommendation: "16 KB suits light traffic. For high-throughput topics raise it (64 KB to 1 MB) together with linger.ms, and watch batch-size-avg to see whether batches actually fill.",
        librdkafka: Some(ClientName {
            name: "batch.size",
            default: "1000000",
            note: "Caps a whole MessageSet including framing; batch.num.messages (default 10000) caps the record count too.",
        }),
        dotnet: Some(ClientName {
            name: "BatchSize",
            default: "1000000",
            note: "Plus BatchNumMessages (default 10000).",
        }),
        kafka_python: Some(ClientName {
            name: "batch_size",
            default: "16384",
            note: "",
        }),
        franz_go: Some(ClientName {
            name: "kgo.ProducerBatchMaxBytes",
            default: "1000012",
            note: "A hard cap per partition batch mirroring the broker's max.message.bytes, not a target size.",
        }),
        sarama: Some(ClientName {
            name: "Producer.Flush.Bytes",
            default: "0",
            note: "Best-effort bytes that trigger a flush; 0 (unset) sends as fast as possible.",
        }),
        source: &[
            PRODUCER_CONFIG,
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            FRANZ_GO,
            SARAMA,
        ],
    },
    Setting {
        name: "linger.ms",
        scope: Scope::Producer,
        history: &[DefaultChange {
            version: "4.0",
            from: "0",
            to: "5",
            reference: "KIP-1030",
        }],
        trade_offs: &[
            "Waiting a little lets more records share a batch: fewer, larger requests and better compression.",
            "Under light load each record can wait up to linger.ms longer before it is sent.",
            "Under heavy load batches fill before linger.ms runs out, so it costs nothing there.",
        ],
        recommendation: "Keep 5 ms (Kafka 4's default) or raise it to 10-100 ms for throughput-oriented pipelines; set 0 only when every millisecond of latency matters more than efficiency.",
        librdkafka: Some(ClientName {
            name: "linger.ms",
            default: "5",
            note: "Alias of queue.buffering.max.ms; a float. The default was 0.5 before librdkafka 1.5.0.",
        }),
        dotnet: Some(ClientName {
            name: "LingerMs",
            default: "5",
            note: "A double, as in librdkafka.",
        }),
        kafka_python: Some(ClientName {
            name: "linger_ms",
            default: "0",
            note: "Still 0: kafka-python did not follow Kafka 4.0's change.",
        }),
        franz_go: Some(ClientName {
            name: "kgo.ProducerLinger",
            default: "10ms",
            note: "Was 0 before franz-go v1.20.0.",
        }),
        sarama: Some(ClientName {
            name: "Producer.Flush.Frequency",
            default: "0",
            note: "Best-effort flush interval; 0 (unset) sends as fast as possible.",
        }),
        source: &[
            PRODUCER_CONFIG,
            LIBRDKAFKA,
            "confluentinc/librdkafka CHANGELOG.md (v1.5.0)",
            DOTNET,
            KAFKA_PYTHON,
            FRANZ_GO,
            "twmb/franz-go CHANGELOG.md (v1.20.0)",
            SARAMA,
        ],
    },
    Setting {
        name: "compression.type",
        scope: Scope::Producer,
        history: &[],
        trade_offs: &[
            "Compression applies to whole batches, so it pays off only when batches hold many records (see batch.size and linger.ms).",
            "lz4 and snappy are cheap on CPU; zstd compresses best for moderate CPU; gzip is slowest.",
            "Smaller batches on the wire save network and broker disk, and the broker keeps the producer's codec (topic compression.type=producer).",
            "Levels per codec: compression.gzip.level, compression.lz4.level, compression.zstd.level (KIP-390, Kafka 3.8).",
        ],
        recommendation: "Use lz4 or zstd for most workloads; leave none only for data that is already compressed (images, encrypted payloads).",
        librdkafka: Some(ClientName {
            name: "compression.type",
            default: "none",
            note: "Alias of compression.codec; one compression.level (default -1) for all codecs.",
        }),
        dotnet: Some(ClientName {
            name: "CompressionType",
            default: "CompressionType.None",
            note: "librdkafka's default.",
        }),
        kafka_python: Some(ClientName {
            name: "compression_type",
            default: "None",
            note: "'gzip', 'snappy', 'lz4', 'zstd' or None.",
        }),
        franz_go: Some(ClientName {
            name: "kgo.ProducerBatchCompression",
            default: "snappy, then none",
            note: "franz-go compresses with snappy by default (a preference list, falling back to none).",
        }),
        sarama: Some(ClientName {
            name: "Producer.Compression",
            default: "CompressionNone",
            note: "",
        }),
        source: &[
            PRODUCER_CONFIG,
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            FRANZ_GO,
            SARAMA,
        ],
    },
    Setting {
        name: "buffer.memory",
        scope: Scope::Producer,
        history: &[],
        trade_offs: &[
            "Too small: send() blocks (bufferpool-wait-time rises) whenever brokers fall behind.",
            "Too large: a slow cluster lets a large backlog build up in the application's memory.",
        ],
        recommendation: "32 MB is fine for most producers; raise it when many partitions are written at once with large batch.size.",
        librdkafka: Some(ClientName {
            name: "queue.buffering.max.kbytes",
            default: "1048576",
            note: "In kilobytes (1 GiB); queue.buffering.max.messages (default 100000) limits the record count too.",
        }),
        dotnet: Some(ClientName {
            name: "QueueBufferingMaxKbytes",
            default: "1048576",
            note: "Plus QueueBufferingMaxMessages (default 100000).",
        }),
        kafka_python: None,
        franz_go: Some(ClientName {
            name: "kgo.MaxBufferedBytes",
            default: "unlimited",
            note: "kgo.MaxBufferedRecords (default 10000) is the limit that applies by default.",
        }),
        sarama: None,
        source: &[
            PRODUCER_CONFIG,
            LIBRDKAFKA,
            DOTNET,
            "dpkp/kafka-python kafka/producer/kafka.py (no buffer_memory in DEFAULT_CONFIG since 3.0)",
            FRANZ_GO,
            SARAMA,
        ],
    },
    Setting {
        name: "max.in.flight.requests.per.connection",
        scope: Scope::Producer,
        history: &[],
        trade_offs: &[
            "More requests in flight hide network latency and raise throughput.",
            "Without idempotence, a retried batch can land after a later one: records reorder (and may duplicate).",
            "With idempotence, order is kept for any value up to 5, because the broker remembers the last 5 batches of each producer.",
        ],
        recommendation: "Keep 5 with idempotence on. Without idempotence, use 1 if order matters.",
        librdkafka: Some(ClientName {
            name: "max.in.flight.requests.per.connection",
            default: "1000000",
            note: "Alias max.in.flight; enable.idempotence lowers it to 5.",
        }),
        dotnet: Some(ClientName {
            name: "MaxInFlight",
            default: "1000000",
            note: "Maps to librdkafka's max.in.flight.",
        }),
        kafka_python: Some(ClientName {
            name: "max_in_flight_requests_per_connection",
            default: "5",
            note: "",
        }),
        franz_go: Some(ClientName {
            name: "kgo.MaxProduceRequestsInflightPerBroker",
            default: "1",
            note: "Applies only with kgo.DisableIdempotentWrite; with idempotence (the default) the client sets the limit itself.",
        }),
        sarama: Some(ClientName {
            name: "Net.MaxOpenRequests",
            default: "5",
            note: "Must be 1 for sarama's idempotent producer.",
        }),
        source: &[
            PRODUCER_CONFIG,
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            FRANZ_GO,
            SARAMA,
        ],
    },
    Setting {
        name: "retries",
        scope: Scope::Producer,
        history: &[DefaultChange {
            version: "2.1",
            from: "0",
            to: "2147483647",
            reference: "KIP-91 (delivery.timeout.ms bounds retrying instead)",
        }],
        trade_offs: &[
            "Retries ride out leader elections and brief network faults instead of failing records.",
            "Without idempotence a retry can write a record twice (the first attempt may have succeeded) and, with more than one request in flight, reorder records.",
            "retries=0 surfaces every transient error to the application and turns off idempotence.",
        ],
        recommendation: "Leave it at the maximum and control how long the producer keeps trying with delivery.timeout.ms.",
        librdkafka: Some(ClientName {
            name: "retries",
            default: "2147483647",
            note: "Alias of message.send.max.retries.",
        }),
        dotnet: Some(ClientName {
            name: "MessageSendMaxRetries",
            default: "2147483647",
            note: "No Retries property: .NET uses the librdkafka name.",
        }),
        kafka_python: Some(ClientName {
            name: "retries",
            default: "float('inf')",
            note: "Infinite; bounded by delivery_timeout_ms.",
        }),
        franz_go: Some(ClientName {
            name: "kgo.RecordRetries",
            default: "unlimited",
            note: "",
        }),
        sarama: Some(ClientName {
            name: "Producer.Retry.Max",
            default: "3",
            note: "Only 3 tries, and no delivery timeout to bound them instead.",
        }),
        source: &[
            PRODUCER_CONFIG,
            "apache/kafka docs/upgrade.html (upgrading to 2.1.0, KIP-91)",
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            FRANZ_GO,
            SARAMA,
        ],
    },
    Setting {
        name: "delivery.timeout.ms",
        scope: Scope::Producer,
        history: &[DefaultChange {
            version: "2.1",
            from: "(did not exist)",
            to: "120000",
            reference: "KIP-91",
        }],
        trade_offs: &[
            "Longer: the producer rides out longer outages, while records (and memory) wait.",
            "Shorter: failures reach the application sooner, and records that might have made it are given up.",
        ],
        recommendation: "Keep 2 minutes unless the application has its own deadline; it must stay at least linger.ms + request.timeout.ms.",
        librdkafka: Some(ClientName {
            name: "delivery.timeout.ms",
            default: "300000",
            note: "Alias of message.timeout.ms; 5 minutes by default, and 0 means no limit.",
        }),
        dotnet: Some(ClientName {
            name: "MessageTimeoutMs",
            default: "300000",
            note: "No DeliveryTimeoutMs property: .NET uses the librdkafka name.",
        }),
        kafka_python: Some(ClientName {
            name: "delivery_timeout_ms",
            default: "120000",
            note: "",
        }),
        franz_go: Some(ClientName {
            name: "kgo.RecordDeliveryTimeout",
            default: "unlimited",
            note: "",
        }),
        sarama: None,
        source: &[
            PRODUCER_CONFIG,
            "apache/kafka docs/upgrade.html (upgrading to 2.1.0, KIP-91)",
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            FRANZ_GO,
            SARAMA,
        ],
    },
    Setting {
        name: "request.timeout.ms",
        scope: Scope::Producer,
        history: &[],
        trade_offs: &[
            "The produce request carries it: an acks=all request waits in the leader's purgatory at most this long for every ISR member, and a follower that stopped fetching leaves the ISR only after the broker's replica.lag.time.max.ms. Kafka's documentation therefore asks for request.timeout.ms larger than replica.lag.time.max.ms, so that such a request is not timed out and retried (a possible duplicate) just before the ISR shrinks.",
            "Kafka's own defaults do not follow that advice: both are 30 s since Kafka 2.5, which raised replica.lag.time.max.ms from 10 s. With idempotence on (the default since 3.0) a needless retry costs time, not a duplicate: the broker drops the repeated batch.",
            "Too long: a dead connection or a stuck request is noticed late.",
        ],
        recommendation: "With idempotence on, keep 30 s. Without it, set it above the brokers' replica.lag.time.max.ms (30 s unless changed), as Kafka's documentation advises, and keep delivery.timeout.ms at least linger.ms + request.timeout.ms.",
        librdkafka: Some(ClientName {
            name: "request.timeout.ms",
            default: "30000",
            note: "Sent to and enforced by the broker (acks != 0); socket.timeout.ms (60000) bounds the wait in the client.",
        }),
        dotnet: Some(ClientName {
            name: "RequestTimeoutMs",
            default: "30000",
            note: "",
        }),
        kafka_python: Some(ClientName {
            name: "request_timeout_ms",
            default: "30000",
            note: "",
        }),
        franz_go: Some(ClientName {
            name: "kgo.ProduceRequestTimeout",
            default: "10s",
            note: "The timeout written into the produce request for the broker.",
        }),
        sarama: Some(ClientName {
            name: "Producer.Timeout",
            default: "10s",
            note: "How long the broker may wait for RequiredAcks.",
        }),
        source: &[
            PRODUCER_CONFIG,
            "apache/kafka clients/src/main/java/org/apache/kafka/clients/producer/internals/Sender.java (sendProduceRequest: the request's timeoutMs)",
            "apache/kafka server/src/main/java/org/apache/kafka/server/config/ReplicationConfigs.java (REPLICA_LAG_TIME_MAX_MS_DEFAULT)",
            "apache/kafka docs/upgrade.html (Notable changes in 2.5.0: replica.lag.time.max.ms from 10s to 30s)",
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            FRANZ_GO,
            SARAMA,
        ],
    },
    Setting {
        name: "max.request.size",
        scope: Scope::Producer,
        history: &[],
        trade_offs: &[
            "A record bigger than this fails with RecordTooLargeException without being sent.",
            "The broker has its own cap on the (compressed) batch: message.max.bytes, or the topic's max.message.bytes.",
        ],
        recommendation: "Raise it only together with the topic's max.message.bytes, and prefer keeping large payloads out of Kafka.",
        librdkafka: Some(ClientName {
            name: "message.max.bytes",
            default: "1000000",
            note: "librdkafka's cap on a produce request.",
        }),
        dotnet: Some(ClientName {
            name: "MessageMaxBytes",
            default: "1000000",
            note: "",
        }),
        kafka_python: Some(ClientName {
            name: "max_request_size",
            default: "1048576",
            note: "",
        }),
        franz_go: Some(ClientName {
            name: "kgo.BrokerMaxWriteBytes",
            default: "104857600",
            note: "Caps one write to a broker (100 MiB); each partition batch is capped by kgo.ProducerBatchMaxBytes (1000012).",
        }),
        sarama: Some(ClientName {
            name: "Producer.MaxMessageBytes",
            default: "1048576",
            note: "Set in NewConfig as 1024 * 1024 (the field's comment says 1000000).",
        }),
        source: &[
            PRODUCER_CONFIG,
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            FRANZ_GO,
            SARAMA,
        ],
    },
    Setting {
        name: "partitioner.class",
        scope: Scope::Producer,
        history: &[
            DefaultChange {
                version: "2.4",
                from: "DefaultPartitioner, keyless records spread record by record",
                to: "DefaultPartitioner with sticky partitioning for keyless records",
                reference: "KIP-480",
            },
            DefaultChange {
                version: "3.3",
                from: "DefaultPartitioner",
                to: "unset: the built-in partitioner; DefaultPartitioner and UniformStickyPartitioner deprecated",
                reference: "KIP-794",
            },
        ],
        trade_offs: &[
            "The built-in partitioner hashes keys with murmur2 (toPositive(murmur2(key)) % partitions) and makes keyless records sticky.",
            "RoundRobinPartitioner spreads every record, keyed or not, but makes smaller batches and loses per-key ordering.",
            "Clients hash keys differently by default, so the same key can land on different partitions from different languages.",
        ],
        recommendation: "Leave it unset. If producers in other languages write the same topic, make them hash with murmur2 too (librdkafka: partitioner=murmur2_random).",
        librdkafka: Some(ClientName {
            name: "partitioner",
            default: "consistent_random",
            note: "CRC32 of the key, not murmur2: the same key can go to another partition than from Java. murmur2_random is the Java-compatible choice.",
        }),
        dotnet: Some(ClientName {
            name: "Partitioner",
            default: "Partitioner.ConsistentRandom",
            note: "librdkafka's default; Partitioner.Murmur2Random matches Java.",
        }),
        kafka_python: Some(ClientName {
            name: "partitioner",
            default: "DefaultPartitioner()",
            note: "murmur2 for keys like Java; keyless records sticky (KIP-480) since kafka-python 3.0.",
        }),
        franz_go: Some(ClientName {
            name: "kgo.RecordPartitioner",
            default: "kgo.UniformBytesPartitioner(64 KiB, true, true, nil)",
            note: "A KIP-794 style partitioner hashing keys with murmur2; it switches after 64 KiB rather than batch.size.",
        }),
        sarama: Some(ClientName {
            name: "Producer.Partitioner",
            default: "sarama.NewHashPartitioner",
            note: "FNV-1a of the key, not murmur2, and random for keyless records; sarama.NewMurmur2Partitioner (v1.50+) matches Java.",
        }),
        source: &[
            PRODUCER_CONFIG,
            "KIP-480, KIP-794",
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            "dpkp/kafka-python kafka/partitioner/default.py, CHANGES.md (3.0.0)",
            FRANZ_GO,
            "twmb/franz-go pkg/kgo/partitioner.go",
            SARAMA,
            "IBM/sarama partitioner.go",
        ],
    },
    Setting {
        name: "partitioner.adaptive.partitioning.enable",
        scope: Scope::Producer,
        history: &[DefaultChange {
            version: "3.3",
            from: "(did not exist)",
            to: "true",
            reference: "KIP-794",
        }],
        trade_offs: &[
            "true: the sticky partition is picked with weights favouring brokers with shorter queues, so a slow broker gets less traffic.",
            "false: every partition is equally likely, so load stays uniform even when a broker is slow.",
            "No effect with a custom partitioner.",
        ],
        recommendation: "Keep true.",
        librdkafka: None,
        dotnet: None,
        kafka_python: None,
        franz_go: Some(ClientName {
            name: "kgo.UniformBytesPartitioner(bytes, adaptive, keys, hasher)",
            default: "adaptive = true",
            note: "The partitioner's second argument; it weighs partitions by buffered records rather than bytes.",
        }),
        sarama: None,
        source: &[
            PRODUCER_CONFIG,
            "KIP-794",
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            "twmb/franz-go pkg/kgo/partitioner.go",
            SARAMA,
        ],
    },
    Setting {
        name: "partitioner.ignore.keys",
        scope: Scope::Producer,
        history: &[DefaultChange {
            version: "3.3",
            from: "(did not exist)",
            to: "false",
            reference: "KIP-794",
        }],
        trade_offs: &[
            "true: better batching and even load, but records with the same key no longer share a partition (per-key ordering is gone).",
            "No effect with a custom partitioner.",
        ],
        recommendation: "Keep false whenever consumers rely on per-key ordering or co-location.",
        librdkafka: None,
        dotnet: None,
        kafka_python: None,
        franz_go: Some(ClientName {
            name: "kgo.UniformBytesPartitioner(bytes, adaptive, keys, hasher)",
            default: "keys = true",
            note: "The third argument says whether keys are hashed: keys=true is partitioner.ignore.keys=false.",
        }),
        sarama: None,
        source: &[
            PRODUCER_CONFIG,
            "KIP-794",
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            "twmb/franz-go pkg/kgo/partitioner.go",
            SARAMA,
        ],
    },
    Setting {
        name: "partitioner.availability.timeout.ms",
        scope: Scope::Producer,
        history: &[DefaultChange {
            version: "3.3",
            from: "(did not exist)",
            to: "0",
            reference: "KIP-794",
        }],
        trade_offs: &[
            "Above 0: keyless traffic steers around a stuck broker instead of piling up behind it.",
            "No effect with a custom partitioner or with partitioner.adaptive.partitioning.enable=false.",
        ],
        recommendation: "Leave 0 unless a slow broker regularly backs up keyless traffic; then try a value of a few seconds.",
        librdkafka: None,
        dotnet: None,
        kafka_python: None,
        franz_go: None,
        sarama: None,
        source: &[
            PRODUCER_CONFIG,
            "KIP-794",
            LIBRDKAFKA,
            DOTNET,
            KAFKA_PYTHON,
            "twmb/franz-go pkg/kgo/partitioner.go (no availability timeout)",
            SARAMA,
        ],
    },
    Setting {
        name: "min.insync.replicas",
        scope: Scope::Topic,
        history: &[],
        trade_offs: &[
            "acks=all waits for every replica in the current ISR; min.insync.replicas only refuses writes when the ISR is smaller than it.",
            "Below the minimum, acks=all writes fail with NOT_ENOUGH_REPLICAS (retriable): availability is traded for durability. Since Kafka 3.7 the minimum counts as at most the number of replicas (Partition.effectiveMinIsr).",
            "With the default 1 the ISR may shrink to the leader alone, and then acks=all is no safer than acks=1.",
            "acks=0 and acks=1 writes are still accepted below it, but since Kafka 3.7 the high watermark stops there (KAFKA-15583): those records are acknowledged yet not committed, and consumers cannot read them until the ISR grows back.",
        ],
        recommendation: "Set 2 on topics with replication.factor=3 and produce with acks=all: one broker can fail without stopping writes or losing acknowledged records.",
        librdkafka: TOPIC_ONLY,
        dotnet: TOPIC_ONLY,
        kafka_python: TOPIC_ONLY,
        franz_go: TOPIC_ONLY,
        sarama: TOPIC_ONLY,
        source: &[
            "apache/kafka server-common/src/main/java/org/apache/kafka/server/config/ServerLogConfigs.java (MIN_IN_SYNC_REPLICAS_DEFAULT)",
            "apache/kafka clients/src/main/java/org/apache/kafka/common/config/TopicConfig.java",
        ],
    },
    Setting {
        name: "replication.factor",
        scope: Scope::Topic,
        history: &[],
        trade_offs: &[
            "More replicas survive more broker failures, at the cost of disk and replication traffic.",
            "A topic created without one gets the broker's default.replication.factor, which is 1: no copy at all.",
        ],
        recommendation: "3 for anything you care about, with min.insync.replicas=2.",
        librdkafka: TOPIC_ONLY,
        dotnet: TOPIC_ONLY,
        kafka_python: TOPIC_ONLY,
        franz_go: TOPIC_ONLY,
        sarama: TOPIC_ONLY,
        source: &[
            "apache/kafka server/src/main/java/org/apache/kafka/server/config/ReplicationConfigs.java (default.replication.factor, REPLICATION_FACTOR_DEFAULT)",
            "apache/kafka docs/ops.html (Increasing replication factor: kafka-reassign-partitions)",
        ],
    },
    Setting {
        name: "unclean.leader.election.enable",
        scope: Scope::Topic,
        history: &[DefaultChange {
            version: "0.11.0",
            from: "true",
            to: "false",
            reference: "Kafka 0.11.0.0 release notes",
        }],
        trade_offs: &[
            "false: the partition stays offline until an in-sync replica returns; no committed record is lost.",
            "true: the partition comes back sooner, but the new leader may lack committed records, which are then gone for good.",
        ],
        recommendation: "Keep false; enable it only for data where availability matters more than completeness (metrics, logs).",
        librdkafka: TOPIC_ONLY,
        dotnet: TOPIC_ONLY,
        kafka_python: TOPIC_ONLY,
        franz_go: TOPIC_ONLY,
        sarama: TOPIC_ONLY,
        source: &[
            "apache/kafka storage/src/main/java/org/apache/kafka/storage/internals/log/LogConfig.java (DEFAULT_UNCLEAN_LEADER_ELECTION_ENABLE)",
            "apache/kafka server/src/main/java/org/apache/kafka/server/config/ReplicationConfigs.java",
            "apache/kafka docs/upgrade.html (Notable changes in 0.11.0.0)",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::{Acks, CompressionType, PartitionerClass, SimConfig};

    fn get(name: &str) -> &'static Setting {
        setting(name).unwrap_or_else(|| panic!("{name} missing from the table"))
    }

    fn client(name: &str, client: Client) -> Option<(&'static str, &'static str)> {
        get(name).client(client).map(|c| (c.name, c.default))
    }

    const REQUIRED: [&str; 18] = [
        "acks",
        "enable.idempotence",
        "batch.size",
        "linger.ms",
        "compression.type",
        "buffer.memory",
        "max.in.flight.requests.per.connection",
        "retries",
        "delivery.timeout.ms",
        "request.timeout.ms",
        "max.request.size",
        "partitioner.class",
        "partitioner.adaptive.partitioning.enable",
        "partitioner.ignore.keys",
        "partitioner.availability.timeout.ms",
        "min.insync.replicas",
        "replication.factor",
        "unclean.leader.election.enable",
    ];

    #[test]
    fn every_required_setting_is_present_once() {
        for name in REQUIRED {
            let n = SETTINGS.iter().filter(|s| s.name == name).count();
            assert_eq!(n, 1, "{name}");
        }
        assert_eq!(SETTINGS.len(), REQUIRED.len());
    }

    #[test]
    fn topic_notes_name_the_tool_that_changes_each_setting() {
        // docs/ops.html: the replication factor changes by partition reassignment.
        let rf = get("replication.factor").topic_note().unwrap_or_default();
        assert!(rf.contains("kafka-reassign-partitions"), "{rf}");
        assert!(rf.contains("kafka-configs cannot"), "{rf}");
        for name in ["min.insync.replicas", "unclean.leader.election.enable"] {
            let note = get(name).topic_note().unwrap_or_default();
            assert!(
                note.contains("change it with kafka-configs"),
                "{name}: {note}"
            );
        }
        assert_eq!(get("acks").topic_note(), None);
    }

    #[test]
    fn request_timeout_advice_matches_kafkas_equal_defaults() {
        // ProducerConfig's doc asks for more than replica.lag.time.max.ms; both default
        // to 30 s (ReplicationConfigs), so "keep 30 s" holds only with idempotence on.
        let lag = crate::engine::settings::declared("replica.lag.time.max.ms")
            .map(Declared::kafka_default);
        assert_eq!(lag, Some("30000"));
        assert_eq!(get("request.timeout.ms").default(), "30000");
        let s = get("request.timeout.ms");
        assert!(s
            .recommendation
            .starts_with("With idempotence on, keep 30 s. Without it, set it above"));
        assert!(s.trade_offs.iter().any(|t| t.contains("both are 30 s")));
    }

    #[test]
    fn every_entry_is_complete_and_cites_its_sources() {
        for s in SETTINGS {
            assert!(!s.summary().is_empty(), "{}", s.name);
            assert!(!s.values().is_empty(), "{}", s.name);
            assert!(!s.default().is_empty(), "{}", s.name);
            assert!(!s.trade_offs.is_empty(), "{}", s.name);
            assert!(!s.recommendation.is_empty(), "{}", s.name);
            assert!(!s.source.is_empty(), "{}", s.name);
            match s.scope {
                Scope::Producer => assert!(
                    s.source.contains(&PRODUCER_CONFIG),
                    "{} must cite ProducerConfig.java",
                    s.name
                ),
                Scope::Topic => {
                    assert!(
                        s.source.iter().any(|f| f.starts_with("apache/kafka")),
                        "{} must cite Kafka's source",
                        s.name
                    );
                    // A topic setting has no producer-side name in any client.
                    for c in Client::ALL {
                        assert!(s.client(c).is_none(), "{} {:?}", s.name, c);
                    }
                }
            }
            for change in s.history {
                assert!(!change.reference.is_empty(), "{}", s.name);
                assert_ne!(change.from, change.to, "{}", s.name);
            }
            for c in Client::ALL {
                if let Some(n) = s.client(c) {
                    assert!(!n.name.is_empty() && !n.default.is_empty(), "{}", s.name);
                }
            }
        }
    }

    /// A producer setting's entry must have looked at every client's source, including
    /// the ones that turned out to have no equivalent.
    #[test]
    fn producer_entries_cite_every_client_source() {
        let repo = |c: Client| match c {
            Client::Librdkafka => "confluentinc/librdkafka",
            Client::DotNet => "confluentinc/confluent-kafka-dotnet",
            Client::KafkaPython => "dpkp/kafka-python",
            Client::FranzGo => "twmb/franz-go",
            Client::Sarama => "IBM/sarama",
        };
        for s in SETTINGS.iter().filter(|s| s.scope == Scope::Producer) {
            for c in Client::ALL {
                assert!(
                    s.source.iter().any(|f| f.starts_with(repo(c))),
                    "{} does not cite {}",
                    s.name,
                    repo(c)
                );
                assert!(c.source().starts_with(repo(c)));
            }
        }
    }

    /// Java defaults, from ProducerConfig.java / the broker config classes.
    #[test]
    fn java_defaults() {
        let expected = [
            ("acks", "all"),
            ("enable.idempotence", "true"),
            ("batch.size", "16384"),
            ("linger.ms", "5"),
            ("compression.type", "none"),
            ("buffer.memory", "33554432"),
            ("max.in.flight.requests.per.connection", "5"),
            ("retries", "2147483647"),
            ("delivery.timeout.ms", "120000"),
            ("request.timeout.ms", "30000"),
            ("max.request.size", "1048576"),
            ("partitioner.class", "unset (built-in partitioner)"),
            ("partitioner.adaptive.partitioning.enable", "true"),
            ("partitioner.ignore.keys", "false"),
            ("partitioner.availability.timeout.ms", "0"),
            ("min.insync.replicas", "1"),
            ("replication.factor", "1"),
            ("unclean.leader.election.enable", "false"),
        ];
        for (name, default) in expected {
            assert_eq!(get(name).default(), default, "{name}");
        }
    }

    #[test]
    fn java_default_history() {
        let change = |name: &str| -> Vec<(&str, &str, &str)> {
            get(name)
                .history
                .iter()
                .map(|c| (c.version, c.from, c.to))
                .collect()
        };
        assert_eq!(change("acks"), vec![("3.0", "1", "all")]);
        assert!(get("acks").history[0].reference.contains("KIP-679"));
        assert_eq!(change("enable.idempotence"), vec![("3.0", "false", "true")]);
        assert!(get("enable.idempotence").history[0]
            .reference
            .contains("KIP-679"));
        assert_eq!(change("linger.ms"), vec![("4.0", "0", "5")]);
        assert!(get("linger.ms").history[0].reference.contains("KIP-1030"));
        assert_eq!(change("retries"), vec![("2.1", "0", "2147483647")]);
        assert_eq!(
            change("unclean.leader.election.enable"),
            vec![("0.11.0", "true", "false")]
        );
        let partitioner: Vec<_> = get("partitioner.class")
            .history
            .iter()
            .map(|c| (c.version, c.reference))
            .collect();
        assert_eq!(partitioner, vec![("2.4", "KIP-480"), ("3.3", "KIP-794")]);
        for name in [
            "partitioner.adaptive.partitioning.enable",
            "partitioner.ignore.keys",
            "partitioner.availability.timeout.ms",
        ] {
            assert_eq!(get(name).history[0].version, "3.3", "{name}");
            assert_eq!(get(name).history[0].reference, "KIP-794", "{name}");
        }
        for name in [
            "batch.size",
            "compression.type",
            "buffer.memory",
            "max.in.flight.requests.per.connection",
            "request.timeout.ms",
            "max.request.size",
            "min.insync.replicas",
        ] {
            assert!(get(name).history.is_empty(), "{name}");
        }
    }

    /// The table's Java defaults agree with the engine's defaults where the engine models
    /// the setting.
    #[test]
    fn java_defaults_match_the_engine() {
        let sim = SimConfig::default();
        let p = &sim.producer;
        let num = |name: &str| -> u64 { get(name).default().parse().unwrap() };
        let flag = |name: &str| -> bool { get(name).default().parse().unwrap() };

        assert_eq!(get("acks").default(), "all");
        assert_eq!(p.acks, Acks::All);
        // Unset in the engine means Kafka's default applies, which is on here.
        assert_eq!(p.enable_idempotence, None);
        assert_eq!(sim.idempotence_enabled(), flag("enable.idempotence"));
        assert_eq!(u64::from(p.batch_size), num("batch.size"));
        assert_eq!(p.linger_ms, num("linger.ms"));
        assert_eq!(p.buffer_memory, num("buffer.memory"));
        assert_eq!(
            u64::from(p.max_in_flight_requests_per_connection),
            num("max.in.flight.requests.per.connection")
        );
        assert_eq!(u64::from(p.retries), num("retries"));
        assert_eq!(p.delivery_timeout_ms, num("delivery.timeout.ms"));
        assert_eq!(p.request_timeout_ms, num("request.timeout.ms"));
        assert_eq!(u64::from(p.max_request_size), num("max.request.size"));
        assert_eq!(get("compression.type").default(), "none");
        assert_eq!(p.compression_type, CompressionType::None);
        assert!(get("partitioner.class").default().starts_with("unset"));
        assert_eq!(p.partitioner_class, PartitionerClass::BuiltIn);
        assert_eq!(
            p.partitioner_adaptive_partitioning_enable,
            flag("partitioner.adaptive.partitioning.enable")
        );
        assert_eq!(
            p.partitioner_availability_timeout_ms,
            num("partitioner.availability.timeout.ms")
        );
        assert_eq!(p.partitioner_ignore_keys, flag("partitioner.ignore.keys"));
        assert_eq!(
            sim.topic.unclean_leader_election_enable,
            flag("unclean.leader.election.enable")
        );
    }

    /// The simulator's default scenario is a hardened topic (RF 3, min ISR 2); the table
    /// must still show Kafka's own defaults.
    #[test]
    fn topic_defaults_are_kafkas_not_the_scenarios() {
        let sim = SimConfig::default();
        assert_eq!(get("min.insync.replicas").default(), "1");
        assert_eq!(sim.topic.min_insync_replicas, 2);
        assert_eq!(get("replication.factor").default(), "1");
        assert_eq!(sim.topic.replication_factor, 3);
    }

    #[test]
    fn librdkafka_names_and_defaults() {
        let c = Client::Librdkafka;
        let expected = [
            ("acks", Some(("acks", "-1"))),
            ("enable.idempotence", Some(("enable.idempotence", "false"))),
            ("batch.size", Some(("batch.size", "1000000"))),
            ("linger.ms", Some(("linger.ms", "5"))),
            ("compression.type", Some(("compression.type", "none"))),
            (
                "buffer.memory",
                Some(("queue.buffering.max.kbytes", "1048576")),
            ),
            (
                "max.in.flight.requests.per.connection",
                Some(("max.in.flight.requests.per.connection", "1000000")),
            ),
            ("retries", Some(("retries", "2147483647"))),
            (
                "delivery.timeout.ms",
                Some(("delivery.timeout.ms", "300000")),
            ),
            ("request.timeout.ms", Some(("request.timeout.ms", "30000"))),
            ("max.request.size", Some(("message.max.bytes", "1000000"))),
            (
                "partitioner.class",
                Some(("partitioner", "consistent_random")),
            ),
            ("partitioner.adaptive.partitioning.enable", None),
            ("partitioner.ignore.keys", None),
            ("partitioner.availability.timeout.ms", None),
        ];
        for (name, want) in expected {
            assert_eq!(client(name, c), want, "{name}");
        }
        // The aliases the page names.
        assert!(get("linger.ms")
            .librdkafka
            .unwrap()
            .note
            .contains("queue.buffering.max.ms"));
        assert!(get("retries")
            .librdkafka
            .unwrap()
            .note
            .contains("message.send.max.retries"));
        assert!(get("delivery.timeout.ms")
            .librdkafka
            .unwrap()
            .note
            .contains("message.timeout.ms"));
        assert!(get("acks")
            .librdkafka
            .unwrap()
            .note
            .contains("request.required.acks"));
        assert!(get("compression.type")
            .librdkafka
            .unwrap()
            .note
            .contains("compression.codec"));
        assert!(get("batch.size")
            .librdkafka
            .unwrap()
            .note
            .contains("batch.num.messages"));
        assert!(get("partitioner.class")
            .librdkafka
            .unwrap()
            .note
            .contains("murmur2_random"));
    }

    #[test]
    fn dotnet_names_and_defaults() {
        let c = Client::DotNet;
        let expected = [
            ("acks", Some(("Acks", "Acks.All"))),
            ("enable.idempotence", Some(("EnableIdempotence", "false"))),
            ("batch.size", Some(("BatchSize", "1000000"))),
            ("linger.ms", Some(("LingerMs", "5"))),
            (
                "compression.type",
                Some(("CompressionType", "CompressionType.None")),
            ),
            (
                "buffer.memory",
                Some(("QueueBufferingMaxKbytes", "1048576")),
            ),
            (
                "max.in.flight.requests.per.connection",
                Some(("MaxInFlight", "1000000")),
            ),
            ("retries", Some(("MessageSendMaxRetries", "2147483647"))),
            ("delivery.timeout.ms", Some(("MessageTimeoutMs", "300000"))),
            ("request.timeout.ms", Some(("RequestTimeoutMs", "30000"))),
            ("max.request.size", Some(("MessageMaxBytes", "1000000"))),
            (
                "partitioner.class",
                Some(("Partitioner", "Partitioner.ConsistentRandom")),
            ),
            ("partitioner.adaptive.partitioning.enable", None),
            ("partitioner.ignore.keys", None),
            ("partitioner.availability.timeout.ms", None),
        ];
        for (name, want) in expected {
            assert_eq!(client(name, c), want, "{name}");
        }
    }

    /// The .NET defaults are librdkafka's: the two columns must agree on every number
    /// (`Acks.All` is .NET's spelling of librdkafka's -1).
    #[test]
    fn dotnet_defaults_are_librdkafkas() {
        for s in SETTINGS {
            match (s.librdkafka, s.dotnet) {
                (Some(r), Some(d)) => {
                    if let (Ok(a), Ok(b)) = (r.default.parse::<f64>(), d.default.parse::<f64>()) {
                        assert_eq!(a, b, "{}", s.name);
                    }
                }
                (None, None) => {}
                _ => panic!("{}: librdkafka and .NET disagree on having it", s.name),
            }
        }
    }

    #[test]
    fn kafka_python_names_and_defaults() {
        let c = Client::KafkaPython;
        let expected = [
            ("acks", Some(("acks", "-1 ('all')"))),
            ("enable.idempotence", Some(("enable_idempotence", "True"))),
            ("batch.size", Some(("batch_size", "16384"))),
            ("linger.ms", Some(("linger_ms", "0"))),
            ("compression.type", Some(("compression_type", "None"))),
            ("buffer.memory", None),
            (
                "max.in.flight.requests.per.connection",
                Some(("max_in_flight_requests_per_connection", "5")),
            ),
            ("retries", Some(("retries", "float('inf')"))),
            (
                "delivery.timeout.ms",
                Some(("delivery_timeout_ms", "120000")),
            ),
            ("request.timeout.ms", Some(("request_timeout_ms", "30000"))),
            ("max.request.size", Some(("max_request_size", "1048576"))),
            (
                "partitioner.class",
                Some(("partitioner", "DefaultPartitioner()")),
            ),
            ("partitioner.adaptive.partitioning.enable", None),
            ("partitioner.ignore.keys", None),
            ("partitioner.availability.timeout.ms", None),
        ];
        for (name, want) in expected {
            assert_eq!(client(name, c), want, "{name}");
        }
    }

    #[test]
    fn franz_go_names_and_defaults() {
        let c = Client::FranzGo;
        let expected = [
            ("acks", Some(("kgo.RequiredAcks", "kgo.AllISRAcks()"))),
            (
                "enable.idempotence",
                Some((
                    "kgo.DisableIdempotentWrite",
                    "idempotent (option not given)",
                )),
            ),
            ("batch.size", Some(("kgo.ProducerBatchMaxBytes", "1000012"))),
            ("linger.ms", Some(("kgo.ProducerLinger", "10ms"))),
            (
                "compression.type",
                Some(("kgo.ProducerBatchCompression", "snappy, then none")),
            ),
            ("buffer.memory", Some(("kgo.MaxBufferedBytes", "unlimited"))),
            (
                "max.in.flight.requests.per.connection",
                Some(("kgo.MaxProduceRequestsInflightPerBroker", "1")),
            ),
            ("retries", Some(("kgo.RecordRetries", "unlimited"))),
            (
                "delivery.timeout.ms",
                Some(("kgo.RecordDeliveryTimeout", "unlimited")),
            ),
            (
                "request.timeout.ms",
                Some(("kgo.ProduceRequestTimeout", "10s")),
            ),
            (
                "max.request.size",
                Some(("kgo.BrokerMaxWriteBytes", "104857600")),
            ),
            (
                "partitioner.class",
                Some((
                    "kgo.RecordPartitioner",
                    "kgo.UniformBytesPartitioner(64 KiB, true, true, nil)",
                )),
            ),
            (
                "partitioner.adaptive.partitioning.enable",
                Some((
                    "kgo.UniformBytesPartitioner(bytes, adaptive, keys, hasher)",
                    "adaptive = true",
                )),
            ),
            (
                "partitioner.ignore.keys",
                Some((
                    "kgo.UniformBytesPartitioner(bytes, adaptive, keys, hasher)",
                    "keys = true",
                )),
            ),
            ("partitioner.availability.timeout.ms", None),
        ];
        for (name, want) in expected {
            assert_eq!(client(name, c), want, "{name}");
        }
    }

    #[test]
    fn sarama_names_and_defaults() {
        let c = Client::Sarama;
        let expected = [
            ("acks", Some(("Producer.RequiredAcks", "WaitForLocal"))),
            ("enable.idempotence", Some(("Producer.Idempotent", "false"))),
            ("batch.size", Some(("Producer.Flush.Bytes", "0"))),
            ("linger.ms", Some(("Producer.Flush.Frequency", "0"))),
            (
                "compression.type",
                Some(("Producer.Compression", "CompressionNone")),
            ),
            ("buffer.memory", None),
            (
                "max.in.flight.requests.per.connection",
                Some(("Net.MaxOpenRequests", "5")),
            ),
            ("retries", Some(("Producer.Retry.Max", "3"))),
            ("delivery.timeout.ms", None),
            ("request.timeout.ms", Some(("Producer.Timeout", "10s"))),
            (
                "max.request.size",
                Some(("Producer.MaxMessageBytes", "1048576")),
            ),
            (
                "partitioner.class",
                Some(("Producer.Partitioner", "sarama.NewHashPartitioner")),
            ),
            ("partitioner.adaptive.partitioning.enable", None),
            ("partitioner.ignore.keys", None),
            ("partitioner.availability.timeout.ms", None),
        ];
        for (name, want) in expected {
            assert_eq!(client(name, c), want, "{name}");
        }
    }

    #[test]
    fn lookup_by_name() {
        assert_eq!(setting("linger.ms").map(|s| s.name), Some("linger.ms"));
        assert!(setting("no.such.setting").is_none());
        assert_eq!(get("min.insync.replicas").scope, Scope::Topic);
        assert_eq!(get("acks").scope, Scope::Producer);
    }
}
