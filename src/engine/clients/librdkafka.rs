//! librdkafka (v2.x), used by confluent-kafka-python, confluent-kafka-go and
//! Confluent.Kafka. Its `partitioner` property names the partitioners below
//! (`src/rdkafka_topic.c`, `rd_kafka_topic_new0`); each is an exported function of
//! `src/rdkafka_msg.c`.
//!
//! `rd_kafka_msg_partitioner` sends a record without a key, and under
//! `consistent_random` one with an empty key, to the sticky partition instead of calling
//! the partitioner, except for `consistent`, `murmur2` and `fnv1a` (which then hash zero
//! bytes), and for all of them when `sticky.partitioning.linger.ms` is 0.

use super::{ClientSetting, Hash, KeyRule, Keyless, PartitionerDef, Reduce};

/// `rd_crc32`: zlib's CRC-32 (`src/rdcrc32.h`).
pub(super) fn crc32(key: &[u8]) -> u32 {
    crate::engine::compression::crc32(key)
}

const MSG_C: &str = "src/rdkafka_msg.c";

pub(super) const PARTITIONERS: &[PartitionerDef] = &[
    PartitionerDef {
        name: "consistent_random",
        selected_by: "partitioner=consistent_random (the default)",
        rule: KeyRule::Hashed {
            hash: Hash::Crc32,
            reduce: Reduce::Unsigned,
            null_key: Some(Keyless::StickyTime),
            empty_key_is_null: true,
        },
        source: MSG_C,
    },
    PartitionerDef {
        name: "consistent",
        selected_by: "partitioner=consistent",
        rule: KeyRule::Hashed {
            hash: Hash::Crc32,
            reduce: Reduce::Unsigned,
            null_key: None,
            empty_key_is_null: false,
        },
        source: MSG_C,
    },
    PartitionerDef {
        name: "murmur2",
        selected_by: "partitioner=murmur2",
        rule: KeyRule::Hashed {
            hash: Hash::Murmur2,
            reduce: Reduce::MaskSignBit,
            null_key: None,
            empty_key_is_null: false,
        },
        source: MSG_C,
    },
    PartitionerDef {
        name: "murmur2_random",
        selected_by: "partitioner=murmur2_random (Java-compatible)",
        rule: KeyRule::Hashed {
            hash: Hash::Murmur2,
            reduce: Reduce::MaskSignBit,
            null_key: Some(Keyless::StickyTime),
            empty_key_is_null: false,
        },
        source: MSG_C,
    },
    PartitionerDef {
        name: "fnv1a",
        selected_by: "partitioner=fnv1a",
        rule: KeyRule::Hashed {
            hash: Hash::Fnv1a,
            reduce: Reduce::AbsThenModulo,
            null_key: None,
            empty_key_is_null: false,
        },
        source: "src/rdfnv1a.c",
    },
    PartitionerDef {
        name: "fnv1a_random",
        selected_by: "partitioner=fnv1a_random",
        rule: KeyRule::Hashed {
            hash: Hash::Fnv1a,
            reduce: Reduce::AbsThenModulo,
            null_key: Some(Keyless::StickyTime),
            empty_key_is_null: false,
        },
        source: "src/rdfnv1a.c",
    },
    PartitionerDef {
        name: "random",
        selected_by: "partitioner=random",
        // Keyed records: rd_kafka_msg_partitioner_random, a new draw for each. Null keys
        // still go to the sticky partition (rd_kafka_msg_partitioner).
        rule: KeyRule::Ignored {
            keyed: Keyless::Random,
            null_key: Keyless::StickyTime,
        },
        source: MSG_C,
    },
];

const CONF: &str = "CONFIGURATION.md";

/// `rd_kafka_topic_conf_finalize` (`src/rdkafka_conf.c`): an explicit `acks` other than
/// `all` with `enable.idempotence=true` fails the producer's creation.
pub(super) const IDEMPOTENCE_NEEDS_ACKS_ALL: (&str, &str) = (
    "`acks` must be set to `all` when `enable.idempotence` is true",
    "src/rdkafka_conf.c",
);

/// Defaults from `CONFIGURATION.md` (v2.x), under librdkafka's names where they mean the
/// same thing in the same unit.
pub(super) const SETTINGS: &[ClientSetting] = &[
    ClientSetting {
        key: "acks",
        names: &["acks", "request.required.acks"],
        value: "all",
        source: CONF,
    },
    ClientSetting {
        key: "enable.idempotence",
        names: &["enable.idempotence"],
        value: "false",
        source: CONF,
    },
    ClientSetting {
        key: "batch.size",
        names: &["batch.size"],
        value: "1000000",
        source: CONF,
    },
    ClientSetting {
        key: "batch.num.messages",
        names: &["batch.num.messages"],
        value: "10000",
        source: "src/rdkafka_conf.c; a batch is ready at this count or batch.size (rd_kafka_msgq_allow_wakeup_at, src/rdkafka_broker.c) and holds at most this many (src/rdkafka_msgset_writer.c)",
    },
    ClientSetting {
        key: "linger.ms",
        names: &["linger.ms", "queue.buffering.max.ms"],
        value: "5",
        source: CONF,
    },
    ClientSetting {
        key: "buffer.memory",
        names: &[],
        value: "9223372036854775807",
        source: "no buffer pool: the queue is bounded by queue.buffering.max.messages and queue.buffering.max.kbytes (rd_kafka_curr_msgs_add, src/rdkafka_int.h)",
    },
    ClientSetting {
        key: "queue.buffering.max.messages",
        names: &["queue.buffering.max.messages"],
        value: "100000",
        source: "src/rdkafka_conf.c; produce() fails with ERR__QUEUE_FULL beyond it (rd_kafka_curr_msgs_add, src/rdkafka_int.h)",
    },
    ClientSetting {
        key: "queue.buffering.max.kbytes",
        names: &["queue.buffering.max.kbytes"],
        value: "1048576",
        source: "src/rdkafka_conf.c; produce() fails with ERR__QUEUE_FULL when the queued payload bytes would pass it (rd_kafka_curr_msgs_add, src/rdkafka_int.h)",
    },
    ClientSetting {
        key: "max.block.ms",
        names: &[],
        value: "0",
        source: "rdkafka.h: produce() does not wait for queue space unless RD_KAFKA_MSG_F_BLOCK is given; it fails with ERR__QUEUE_FULL",
    },
    ClientSetting {
        key: "max.in.flight.requests.per.connection",
        names: &["max.in.flight", "max.in.flight.requests.per.connection"],
        value: "1000000",
        source: CONF,
    },
    ClientSetting {
        key: "retries",
        names: &["retries", "message.send.max.retries"],
        value: "2147483647",
        source: CONF,
    },
    ClientSetting {
        key: "retry.backoff.ms",
        names: &["retry.backoff.ms"],
        value: "100",
        source: CONF,
    },
    ClientSetting {
        key: "retry.backoff.max.ms",
        names: &["retry.backoff.max.ms"],
        value: "1000",
        source: CONF,
    },
    ClientSetting {
        key: "delivery.timeout.ms",
        names: &["delivery.timeout.ms", "message.timeout.ms"],
        value: "300000",
        source: CONF,
    },
    ClientSetting {
        key: "request.timeout.ms",
        names: &["request.timeout.ms"],
        value: "30000",
        source: CONF,
    },
    ClientSetting {
        key: "max.request.size",
        names: &["message.max.bytes"],
        value: "1000000",
        source: CONF,
    },
    ClientSetting {
        key: "compression.type",
        names: &["compression.type", "compression.codec"],
        value: "none",
        source: CONF,
    },
    ClientSetting {
        key: "sticky.partitioning.linger.ms",
        names: &["sticky.partitioning.linger.ms"],
        value: "10",
        source: CONF,
    },
];
