//! librdkafka (v2.x), used by confluent-kafka-python, confluent-kafka-go and
//! Confluent.Kafka. Its `partitioner` property names the partitioners below
//! (`src/rdkafka_topic.c`, `rd_kafka_topic_new0`); each is an exported function of
//! `src/rdkafka_msg.c`.
//!
//! `rd_kafka_msg_partitioner` sends a record without a key, and under
//! `consistent_random` one with an empty key, to the sticky partition instead of calling
//! the partitioner, except for `consistent`, `murmur2` and `fnv1a` (which then hash zero
//! bytes), and for all of them when `sticky.partitioning.linger.ms` is 0.

use super::{Hash, KeyRule, Keyless, PartitionerDef, Reduce};

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
        rule: KeyRule::Ignored(Keyless::Random),
        source: MSG_C,
    },
];
