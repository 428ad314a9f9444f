//! Every setting of the simulator, declared once: its name (Kafka's where Kafka has it),
//! group, type and range, unit, the simulator's default and Kafka's where they differ, what
//! it decides, and whether the page shares it in its URL (with the page control's range).
//!
//! `engine::config` reads its keys, groups, ranges and defaults from here; the page's URL
//! (`ui::settings`), Key Settings (`reference::settings`) and `--print-config` from
//! there. Each client's own name and default for a setting are declared with that client
//! (`engine::clients`).
//!
//! Ranges are `ConfigDef`'s (`clients/.../producer/ProducerConfig.java`, the broker and
//! topic configs) or, beyond Kafka, the simulator's limits.

use super::config::{SettingGroup, MAX_BROKERS, MAX_PARTITIONS, MAX_VALUE_SIZE};

const INT_MAX: i64 = i32::MAX as i64;
const LONG_MAX: i64 = i64::MAX;

/// The Java type `ConfigDef` parses a whole number as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JavaInt {
    Short,
    Int,
    Long,
}

impl JavaInt {
    pub fn name(self) -> &'static str {
        match self {
            JavaInt::Short => "SHORT",
            JavaInt::Int => "INT",
            JavaInt::Long => "LONG",
        }
    }
}

/// What values a setting takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A whole number of a Java type within `min..=max`.
    Int {
        java: JavaInt,
        min: i64,
        max: i64,
    },
    /// A count of the simulated workload (unsigned 64-bit).
    Count,
    /// A number within `min..=max` (`min` itself only when `min_inclusive`).
    Float {
        min: f64,
        max: f64,
        min_inclusive: bool,
    },
    Bool,
    /// One of the names in `values`, or text the setting parses itself.
    Text,
}

/// How the page shares a setting in its URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Url {
    /// Where it goes in the query string (the order of the page's sections).
    pub order: u8,
    /// The values the page's control offers, when narrower than what the engine accepts
    /// (e.g. the partition demo draws at most 64 lanes).
    pub range: Option<(i64, i64)>,
}

/// One setting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Declared {
    /// Kafka's name, or the simulator's for what Kafka does not have.
    pub key: &'static str,
    pub group: SettingGroup,
    pub kind: Kind,
    /// "bytes", "ms", "records/s", or "".
    pub unit: &'static str,
    /// The simulator's default, as `SimConfig::set` takes it.
    pub default: &'static str,
    /// Kafka's default when it is not the simulator's (the simulator's cluster starts with
    /// 3 brokers and replication factor 3), or how Kafka words an unset value.
    pub kafka_default: Option<&'static str>,
    /// The values it takes, for people.
    pub values: &'static str,
    /// One sentence: what it decides.
    pub summary: &'static str,
    /// Whether the page's URL carries it.
    pub url: Option<Url>,
}

impl Declared {
    /// Kafka's default, for people.
    pub fn kafka_default(&self) -> &'static str {
        self.kafka_default.unwrap_or(self.default)
    }
}

const fn int(java: JavaInt, min: i64, max: i64) -> Kind {
    Kind::Int { java, min, max }
}

const fn float(min: f64, max: f64, min_inclusive: bool) -> Kind {
    Kind::Float {
        min,
        max,
        min_inclusive,
    }
}

use JavaInt::{Int, Long, Short};
use SettingGroup::{Cluster, Producer, Topic, Workload};

/// Every setting, grouped producer, topic, cluster, workload, in `--print-config` order.
pub static DECLARED: &[Declared] = &[
    Declared {
        key: "client",
        group: Producer,
        kind: Kind::Text,
        unit: "",
        default: "java",
        kafka_default: None,
        values: "java, librdkafka, kafkajs, sarama, franz-go",
        summary: "Whose producer runs: its defaults, its setting names and its partitioners.",
        url: Some(Url {
            order: 16,
            range: None,
        }),
    },
    Declared {
        key: "partitioner",
        group: Producer,
        kind: Kind::Text,
        unit: "",
        default: "",
        kafka_default: None,
        values: "one of the client's partitioners, or empty for its default",
        summary: "Which of a non-Java client's partitioners places records.",
        url: None,
    },
    Declared {
        key: "acks",
        group: Producer,
        kind: Kind::Text,
        unit: "",
        default: "all",
        kafka_default: None,
        values: "0, 1, all (same as -1)",
        summary: "How many replicas must have a record before the leader answers the producer.",
        url: Some(Url {
            order: 1,
            range: None,
        }),
    },
    Declared {
        key: "enable.idempotence",
        group: Producer,
        kind: Kind::Text,
        unit: "",
        default: "",
        kafka_default: Some("true"),
        values: "true, false",
        summary: "Whether the broker can drop duplicates of retried batches, using a producer id and per-partition sequence numbers.",
        url: Some(Url {
            order: 2,
            range: None,
        }),
    },
    Declared {
        key: "batch.size",
        group: Producer,
        kind: int(Int, 0, INT_MAX),
        unit: "bytes",
        default: "16384",
        kafka_default: None,
        values: "bytes, >= 0 (0 disables batching)",
        summary: "The target size in bytes of one partition's batch; a full batch is sent without waiting for linger.ms.",
        url: Some(Url {
            order: 3,
            range: Some((0, 1_048_576)),
        }),
    },
    Declared {
        key: "linger.ms",
        group: Producer,
        kind: int(Long, 0, LONG_MAX),
        unit: "ms",
        default: "5",
        kafka_default: None,
        values: "milliseconds, >= 0",
        summary: "How long a batch that is not full may wait for more records before it is sent.",
        url: Some(Url {
            order: 4,
            range: Some((0, 10_000)),
        }),
    },
    Declared {
        key: "buffer.memory",
        group: Producer,
        kind: int(Long, 0, LONG_MAX),
        unit: "bytes",
        default: "33554432",
        kafka_default: None,
        values: "bytes, >= 0",
        summary: "Total bytes the producer may hold in records waiting to be sent; when it is full, send() blocks for up to max.block.ms and then fails.",
        url: None,
    },
    Declared {
        key: "max.block.ms",
        group: Producer,
        kind: int(Long, 0, LONG_MAX),
        unit: "ms",
        default: "60000",
        kafka_default: None,
        values: "milliseconds, >= 0",
        summary: "How long send() may block waiting for buffer memory or metadata before it fails.",
        url: None,
    },
    Declared {
        key: "max.in.flight.requests.per.connection",
        group: Producer,
        kind: int(Int, 1, INT_MAX),
        unit: "",
        default: "5",
        kafka_default: None,
        values: "integer, >= 1 (at most 5 with idempotence)",
        summary: "How many unanswered requests the producer may have on one broker connection.",
        url: Some(Url {
            order: 6,
            range: Some((1, 10)),
        }),
    },
    Declared {
        key: "retries",
        group: Producer,
        kind: int(Int, 0, INT_MAX),
        unit: "",
        default: "2147483647",
        kafka_default: None,
        values: "0 to 2147483647",
        summary: "How many times a batch that failed with a retriable error is sent again.",
        url: Some(Url {
            order: 7,
            range: None,
        }),
    },
    Declared {
        key: "retry.backoff.ms",
        group: Producer,
        kind: int(Long, 0, LONG_MAX),
        unit: "ms",
        default: "100",
        kafka_default: None,
        values: "milliseconds, >= 0",
        summary: "The wait before the first retry of a failed batch (KIP-580: doubled on each retry, with 20% jitter).",
        url: None,
    },
    Declared {
        key: "retry.backoff.max.ms",
        group: Producer,
        kind: int(Long, 0, LONG_MAX),
        unit: "ms",
        default: "1000",
        kafka_default: None,
        values: "milliseconds, >= 0",
        summary: "The longest wait between retries of a failed batch.",
        url: None,
    },
    Declared {
        key: "delivery.timeout.ms",
        group: Producer,
        kind: int(Int, 0, INT_MAX),
        unit: "ms",
        default: "120000",
        kafka_default: None,
        values: "milliseconds, >= linger.ms + request.timeout.ms",
        summary: "The upper bound on the time between send() returning and the record's success or failure being reported, retries included.",
        url: Some(Url {
            order: 9,
            range: Some((1, 3_600_000)),
        }),
    },
    Declared {
        key: "request.timeout.ms",
        group: Producer,
        kind: int(Int, 0, INT_MAX),
        unit: "ms",
        default: "30000",
        kafka_default: None,
        values: "milliseconds, >= 0",
        summary: "How long the producer waits for the answer to one request before retrying it or failing it.",
        url: Some(Url {
            order: 8,
            range: Some((1, 300_000)),
        }),
    },
    Declared {
        key: "max.request.size",
        group: Producer,
        kind: int(Int, 0, INT_MAX),
        unit: "bytes",
        default: "1048576",
        kafka_default: None,
        values: "bytes, >= 0",
        summary: "The largest request the producer sends, which also caps the largest uncompressed record batch.",
        url: None,
    },
    Declared {
        key: "compression.type",
        group: Producer,
        kind: Kind::Text,
        unit: "",
        default: "none",
        kafka_default: None,
        values: "none, gzip, snappy, lz4, zstd",
        summary: "The codec the producer compresses each batch's records with.",
        url: Some(Url {
            order: 5,
            range: None,
        }),
    },
    // CompressionType.GZIP.levelValidator(): 1..=9 or -1 (Deflater's range).
    Declared {
        key: "compression.gzip.level",
        group: Producer,
        kind: int(Int, -1, 9),
        unit: "",
        default: "-1",
        kafka_default: None,
        values: "1 to 9, or -1 for zlib's default (6)",
        summary: "The gzip level (KIP-390).",
        url: None,
    },
    // CompressionType.LZ4.levelValidator(): between(1, 17).
    Declared {
        key: "compression.lz4.level",
        group: Producer,
        kind: int(Int, 1, 17),
        unit: "",
        default: "9",
        kafka_default: None,
        values: "1 to 17",
        summary: "The LZ4 level (KIP-390).",
        url: None,
    },
    // CompressionType.ZSTD.levelValidator(): between(-131072, 22).
    Declared {
        key: "compression.zstd.level",
        group: Producer,
        kind: int(Int, -131_072, 22),
        unit: "",
        default: "3",
        kafka_default: None,
        values: "-131072 to 22",
        summary: "The zstd level (KIP-390).",
        url: None,
    },
    Declared {
        key: "partitioner.class",
        group: Producer,
        kind: Kind::Text,
        unit: "",
        default: "",
        kafka_default: Some("unset (built-in partitioner)"),
        values: "unset (built-in), org.apache.kafka.clients.producer.RoundRobinPartitioner, or a Partitioner class",
        summary: "Which partitioner places records: the built-in one when unset, RoundRobinPartitioner, or your own class.",
        url: None,
    },
    Declared {
        key: "partitioner.adaptive.partitioning.enable",
        group: Producer,
        kind: Kind::Bool,
        unit: "",
        default: "true",
        kafka_default: None,
        values: "true, false",
        summary: "Whether keyless records go more often to partitions whose brokers drain their queues faster.",
        url: None,
    },
    Declared {
        key: "partitioner.availability.timeout.ms",
        group: Producer,
        kind: int(Long, 0, LONG_MAX),
        unit: "ms",
        default: "0",
        kafka_default: None,
        values: "milliseconds, >= 0 (0 turns it off)",
        summary: "How long a broker may fail to take a partition's batches before the partitioner stops choosing that partition for keyless records.",
        url: None,
    },
    Declared {
        key: "partitioner.ignore.keys",
        group: Producer,
        kind: Kind::Bool,
        unit: "",
        default: "false",
        kafka_default: None,
        values: "true, false",
        summary: "Whether the built-in partitioner ignores keys and places keyed records like keyless ones.",
        url: None,
    },
    // librdkafka src/rdkafka_conf.c: 1 .. 1000000, default 10000; 0 is the simulator's
    // "no limit" (Java, kafkajs, sarama and franz-go count no records per batch).
    Declared {
        key: "batch.num.messages",
        group: Producer,
        kind: int(Int, 0, 1_000_000),
        unit: "records",
        default: "0",
        kafka_default: Some("none (the Java producer limits a batch by bytes only)"),
        values: "records, 1 to 1000000, or 0 for no limit",
        summary: "librdkafka only: the most records in one batch; a batch that has them is sent without waiting for linger.ms.",
        url: None,
    },
    // librdkafka src/rdkafka_conf.c: 0 .. INT_MAX, default 100000, 0 disables; franz-go
    // MaxBufferedRecords (pkg/kgo/config.go), default 10000.
    Declared {
        key: "queue.buffering.max.messages",
        group: Producer,
        kind: int(Int, 0, INT_MAX),
        unit: "records",
        default: "0",
        kafka_default: Some("none (the Java producer limits its buffer by buffer.memory bytes only)"),
        values: "records, or 0 for no limit",
        summary: "librdkafka and franz-go: the most records sent and not yet done; a send() beyond it waits up to max.block.ms (librdkafka: fails at once with a full queue).",
        url: None,
    },
    // librdkafka queue.buffering.max.kbytes (src/rdkafka_conf.c): 1 .. INT_MAX KiB,
    // default 1048576; 0 here for Java's rule (no such limit).
    Declared {
        key: "queue.buffering.max.kbytes",
        group: Producer,
        kind: int(Int, 0, INT_MAX),
        unit: "KiB",
        default: "0",
        kafka_default: Some("none (the Java producer limits its buffer by buffer.memory bytes only)"),
        values: "KiB of record values, or 0 for no limit",
        summary: "librdkafka: the most value bytes of records sent and not yet done; produce() beyond it fails at once with a full queue.",
        url: None,
    },
    // librdkafka CONFIGURATION.md: 0 .. 900000, default 10.
    Declared {
        key: "sticky.partitioning.linger.ms",
        group: Producer,
        kind: int(Int, 0, 900_000),
        unit: "ms",
        default: "10",
        kafka_default: None,
        values: "milliseconds, 0 to 900000 (0 turns stickiness off)",
        summary: "librdkafka only: how long keyless records stay on one partition before it picks another at random.",
        url: None,
    },
    // ReplicationControlManager.createTopic refuses a non-positive count; above that, the
    // simulator's limit.
    Declared {
        key: "partitions",
        group: Topic,
        kind: int(Int, 1, MAX_PARTITIONS as i64),
        unit: "",
        default: "3",
        kafka_default: None,
        values: "1 to 10000",
        summary: "How many partitions the topic has.",
        url: Some(Url {
            order: 0,
            range: Some((1, 64)),
        }),
    },
    Declared {
        key: "replication.factor",
        group: Topic,
        kind: int(Short, 1, MAX_BROKERS as i64),
        unit: "",
        default: "3",
        kafka_default: Some("1"),
        values: "1 to the number of brokers, fixed at topic creation",
        summary: "How many brokers hold a copy of each partition: the leader plus followers.",
        url: Some(Url {
            order: 10,
            range: Some((1, 5)),
        }),
    },
    Declared {
        key: "min.insync.replicas",
        group: Topic,
        kind: int(Int, 1, INT_MAX),
        unit: "",
        default: "2",
        kafka_default: Some("1"),
        values: "1 to replication.factor",
        summary: "With acks=all, how many in-sync replicas (leader included) a partition needs to accept a write.",
        url: Some(Url {
            order: 11,
            range: Some((1, 5)),
        }),
    },
    Declared {
        key: "unclean.leader.election.enable",
        group: Topic,
        kind: Kind::Bool,
        unit: "",
        default: "false",
        kafka_default: None,
        values: "true, false",
        summary: "Whether a replica outside the ISR may become leader when no in-sync replica is left.",
        url: Some(Url {
            order: 12,
            range: None,
        }),
    },
    Declared {
        key: "replica.lag.time.max.ms",
        group: Topic,
        kind: int(Long, 0, LONG_MAX),
        unit: "ms",
        default: "30000",
        kafka_default: None,
        values: "milliseconds, >= 0",
        summary: "How long a follower may fail to catch up before the leader drops it from the ISR.",
        url: Some(Url {
            order: 13,
            range: Some((1, 300_000)),
        }),
    },
    Declared {
        key: "replica.fetch.wait.max.ms",
        group: Topic,
        kind: int(Int, 0, INT_MAX),
        unit: "ms",
        default: "500",
        kafka_default: None,
        values: "milliseconds, >= 0",
        summary: "How long a follower's fetch may wait at the leader for new data.",
        url: None,
    },
    Declared {
        key: "broker.session.timeout.ms",
        group: Topic,
        kind: int(Int, 0, INT_MAX),
        unit: "ms",
        default: "9000",
        kafka_default: None,
        values: "milliseconds, >= 0",
        summary: "How long a broker may miss heartbeats before the controller fences it (KRaft).",
        url: None,
    },
    Declared {
        key: "brokers",
        group: Cluster,
        kind: int(Int, 1, MAX_BROKERS as i64),
        unit: "",
        default: "3",
        kafka_default: None,
        values: "1 to 64",
        summary: "How many brokers the simulated cluster has.",
        url: Some(Url {
            order: 14,
            range: Some((1, 5)),
        }),
    },
    Declared {
        key: "network.rtt.ms",
        group: Cluster,
        kind: float(0.0, 60_000.0, true),
        unit: "ms",
        default: "1",
        kafka_default: None,
        values: "milliseconds, 0 to 60000",
        summary: "The round trip between any two hosts.",
        url: None,
    },
    Declared {
        key: "network.bandwidth.mbps",
        group: Cluster,
        kind: float(0.0, 1_000_000.0, false),
        unit: "MB/s",
        default: "125",
        kafka_default: None,
        values: "megabytes per second, above 0",
        summary: "Each host's uplink.",
        url: None,
    },
    Declared {
        key: "broker.append.latency.ms",
        group: Cluster,
        kind: float(0.0, 60_000.0, true),
        unit: "ms",
        default: "0.2",
        kafka_default: None,
        values: "milliseconds, 0 to 60000",
        summary: "How long a leader takes to append a batch to its log.",
        url: None,
    },
    Declared {
        key: "broker.replication.latency.ms",
        group: Cluster,
        kind: float(0.0, 60_000.0, true),
        unit: "ms",
        default: "0.2",
        kafka_default: None,
        values: "milliseconds, 0 to 60000",
        summary: "How long a follower takes to append what it fetched.",
        url: Some(Url {
            order: 15,
            range: Some((0, 1_000)),
        }),
    },
    Declared {
        key: "workload.records",
        group: Workload,
        kind: Kind::Count,
        unit: "records",
        default: "100000",
        kafka_default: None,
        values: "a whole number, >= 0",
        summary: "How many records the application sends.",
        url: None,
    },
    Declared {
        key: "workload.rate",
        group: Workload,
        kind: float(0.0, 1.0e9, true),
        unit: "records/s",
        default: "0",
        kafka_default: None,
        values: "records per second, 0 for as fast as send() returns",
        summary: "How fast the application calls send().",
        url: None,
    },
    Declared {
        key: "workload.keys",
        group: Workload,
        kind: Kind::Text,
        unit: "",
        default: "uniform:1000",
        kafka_default: None,
        values: "none, uniform:N, zipf:N:EXPONENT, list:a,b,c, file:PATH",
        summary: "Which keys the records carry.",
        url: None,
    },
    Declared {
        key: "workload.value.size",
        group: Workload,
        kind: int(Int, 0, MAX_VALUE_SIZE as i64),
        unit: "bytes",
        default: "200",
        kafka_default: None,
        values: "bytes, 0 to 16777216",
        summary: "How large each record's value is.",
        url: None,
    },
    Declared {
        key: "workload.value.profile",
        group: Workload,
        kind: Kind::Text,
        unit: "",
        default: "json",
        kafka_default: None,
        values: "random, json, log, text",
        summary: "What the values look like, which decides how well they compress.",
        url: None,
    },
    Declared {
        key: "workload.values",
        group: Workload,
        kind: Kind::Text,
        unit: "",
        default: "",
        kafka_default: None,
        values: "empty (generated values) or file:PATH",
        summary: "Values from a file, one per line, sent in turn (any bytes).",
        url: None,
    },
    Declared {
        key: "workload.messages.per.send",
        group: Workload,
        kind: int(Int, 1, 1_000_000),
        unit: "messages",
        default: "1",
        kafka_default: None,
        values: "1 to 1000000; above 1 only with client=kafkajs",
        summary: "Messages in each send() call: kafkajs sends each call's messages at once, one batch per partition.",
        url: Some(Url {
            order: 17,
            range: Some((1, 100)),
        }),
    },
];

/// The declaration of `key`.
pub fn declared(key: &str) -> Option<&'static Declared> {
    DECLARED.iter().find(|d| d.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_groups_are_runs() {
        let mut keys: Vec<&str> = DECLARED.iter().map(|d| d.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), DECLARED.len());
        let mut groups: Vec<SettingGroup> = DECLARED.iter().map(|d| d.group).collect();
        groups.dedup();
        assert_eq!(groups, SettingGroup::ALL);
    }

    #[test]
    fn page_ranges_lie_inside_the_engine_ranges_and_orders_are_unique() {
        let mut orders = Vec::new();
        for d in DECLARED {
            let Some(url) = d.url else { continue };
            orders.push(url.order);
            if let (Some((lo, hi)), Kind::Int { min, max, .. }) = (url.range, d.kind) {
                assert!(min <= lo && lo <= hi && hi <= max, "{}", d.key);
            }
        }
        let count = orders.len();
        orders.sort_unstable();
        orders.dedup();
        assert_eq!(orders.len(), count);
    }
}
