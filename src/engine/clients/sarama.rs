//! IBM/sarama (v1.60): `Config.Producer.Partitioner`, the constructors of
//! `partitioner.go`. A nil `Key` goes to `NewRandomPartitioner` (a new random partition
//! for every message); a non-nil empty key is hashed.

use super::{Hash, KeyRule, Keyless, PartitionerDef, Reduce};

/// FNV-1a, 32 bits (Go's `hash/fnv.New32a`, sarama's default hasher).
pub(super) fn fnv1a(key: &[u8]) -> u32 {
    key.iter().fold(0x811C_9DC5u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

const PARTITIONER_GO: &str = "partitioner.go";

const fn hashed(hash: Hash, reduce: Reduce) -> KeyRule {
    KeyRule::Hashed {
        hash,
        reduce,
        null_key: Some(Keyless::Random),
        empty_key_is_null: false,
    }
}

pub(super) const PARTITIONERS: &[PartitionerDef] = &[
    PartitionerDef {
        name: "hash",
        selected_by: "sarama.NewHashPartitioner (the default)",
        rule: hashed(Hash::Fnv1a, Reduce::ModuloThenAbs),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "reference-hash",
        selected_by: "sarama.NewReferenceHashPartitioner",
        rule: hashed(Hash::Fnv1a, Reduce::MaskSignBit),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "consistent-crc",
        selected_by: "sarama.NewConsistentCRCHashPartitioner (v1.41.0+)",
        rule: hashed(Hash::Crc32, Reduce::Unsigned),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "murmur2",
        selected_by: "sarama.NewMurmur2Partitioner (v1.50.0+, Java-compatible)",
        rule: hashed(Hash::Murmur2, Reduce::MaskSignBit),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "random",
        selected_by: "sarama.NewRandomPartitioner",
        rule: KeyRule::Ignored(Keyless::Random),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "roundrobin",
        selected_by: "sarama.NewRoundRobinPartitioner",
        rule: KeyRule::Ignored(Keyless::RoundRobin),
        source: PARTITIONER_GO,
    },
];
