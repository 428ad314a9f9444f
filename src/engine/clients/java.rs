//! The Java client (Kafka 4.x): `clients/.../producer/internals/BuiltInPartitioner.java`
//! and the partitioners of `partitioner.class`. The engine's own
//! [`crate::engine::partitioner`] simulates them; this is their key rule.

use super::{Hash, KeyRule, Keyless, PartitionerDef, Reduce};

/// Kafka's murmur2 (`Utils.murmur2`) as 32 bits.
pub(super) fn murmur2(key: &[u8]) -> u32 {
    crate::engine::partitioner::murmur2(key) as u32
}

const HASHED: KeyRule = KeyRule::Hashed {
    hash: Hash::Murmur2,
    reduce: Reduce::MaskSignBit,
    null_key: Some(Keyless::StickyBytes),
    empty_key_is_null: false,
};

pub(super) const PARTITIONERS: &[PartitionerDef] = &[
    PartitionerDef {
        name: "built-in",
        selected_by: "partitioner.class unset",
        rule: HASHED,
        source: "clients/src/main/java/org/apache/kafka/clients/producer/internals/BuiltInPartitioner.java",
    },
    PartitionerDef {
        name: "round-robin",
        selected_by: "partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner",
        rule: KeyRule::ignores_keys(Keyless::RoundRobin),
        source: "clients/src/main/java/org/apache/kafka/clients/producer/RoundRobinPartitioner.java",
    },
    PartitionerDef {
        name: "legacy-sticky",
        selected_by: "partitioner.class=org.apache.kafka.clients.producer.internals.DefaultPartitioner (Kafka 2.4 to 3.x)",
        rule: KeyRule::Hashed {
            hash: Hash::Murmur2,
            reduce: Reduce::MaskSignBit,
            null_key: Some(Keyless::StickyNewBatch),
            empty_key_is_null: false,
        },
        source: "clients/src/main/java/org/apache/kafka/clients/producer/internals/StickyPartitionCache.java",
    },
    PartitionerDef {
        name: "ignore-keys",
        selected_by: "partitioner.ignore.keys=true",
        rule: KeyRule::ignores_keys(Keyless::StickyBytes),
        source: "clients/src/main/java/org/apache/kafka/clients/producer/KafkaProducer.java",
    },
];
