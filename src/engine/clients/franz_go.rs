//! twmb/franz-go (v1.21): `kgo.RecordPartitioner` options of `pkg/kgo/partitioner.go`.
//! The default (`pkg/kgo/config.go`) is `UniformBytesPartitioner(64 KiB, adaptive, keys,
//! nil)`, whose hasher is `KafkaHasher(murmur2)`: Java's rule. A non-nil empty key is
//! hashed.

use super::{Hash, KeyRule, Keyless, PartitionerDef, Reduce};

const PARTITIONER_GO: &str = "pkg/kgo/partitioner.go";

const fn kafka_hasher(null_key: Keyless) -> KeyRule {
    KeyRule::Hashed {
        hash: Hash::Murmur2,
        reduce: Reduce::MaskSignBit,
        null_key: Some(null_key),
        empty_key_is_null: false,
    }
}

pub(super) const PARTITIONERS: &[PartitionerDef] = &[
    PartitionerDef {
        name: "uniform-bytes",
        selected_by: "kgo.UniformBytesPartitioner(64<<10, true, true, nil) (the default)",
        rule: kafka_hasher(Keyless::UniformBytes),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "sticky-key",
        selected_by: "kgo.StickyKeyPartitioner(nil)",
        rule: kafka_hasher(Keyless::StickyNewBatch),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "sticky",
        selected_by: "kgo.StickyPartitioner()",
        rule: KeyRule::Ignored(Keyless::StickyNewBatch),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "round-robin",
        selected_by: "kgo.RoundRobinPartitioner()",
        rule: KeyRule::Ignored(Keyless::RoundRobin),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "least-backup",
        selected_by: "kgo.LeastBackupPartitioner()",
        rule: KeyRule::Ignored(Keyless::LeastBackup),
        source: PARTITIONER_GO,
    },
];
