//! IBM/sarama (v1.60): `Config.Producer.Partitioner`, the constructors of
//! `partitioner.go`. A nil `Key` goes to `NewRandomPartitioner` (a new random partition
//! for every message); a non-nil empty key is hashed.

use super::{ClientSetting, Hash, KeyRule, Keyless, PartitionerDef, Reduce};

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
        rule: KeyRule::ignores_keys(Keyless::Random),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "roundrobin",
        selected_by: "sarama.NewRoundRobinPartitioner",
        rule: KeyRule::ignores_keys(Keyless::RoundRobin),
        source: PARTITIONER_GO,
    },
];

const CONFIG_GO: &str = "config.go NewConfig";

/// `Config.Validate` (`config.go`) refuses `Producer.Idempotent` without `WaitForAll`.
pub(super) const IDEMPOTENCE_NEEDS_ACKS_ALL: (&str, &str) = (
    "Idempotent producer requires Producer.RequiredAcks to be WaitForAll",
    "config.go",
);

/// Defaults of `sarama.NewConfig()` (`config.go`), under the `Config` field names.
pub(super) const SETTINGS: &[ClientSetting] = &[
    ClientSetting {
        key: "acks",
        names: &["Producer.RequiredAcks"],
        value: "1",
        source: "config.go NewConfig: WaitForLocal",
    },
    ClientSetting {
        key: "enable.idempotence",
        names: &["Producer.Idempotent"],
        value: "false",
        source: CONFIG_GO,
    },
    ClientSetting {
        key: "linger.ms",
        names: &["Producer.Flush.Frequency"],
        value: "0",
        source: "config.go NewConfig: Flush.Frequency 0, send as soon as possible",
    },
    ClientSetting {
        key: "batch.size",
        names: &["Producer.MaxMessageBytes"],
        value: "1048576",
        source: "produce_set.go wouldOverflow: a partition's batch stays under MaxMessageBytes",
    },
    ClientSetting {
        key: "max.request.size",
        names: &[],
        value: "104847360",
        source:
            "produce_set.go wouldOverflow: a request stays under MaxRequestSize (100 MiB) - 10 KiB",
    },
    ClientSetting {
        key: "max.block.ms",
        names: &[],
        value: "2147483647",
        source: "asyncProducer.Input (async_producer.go) is a channel of ChannelBufferSize (256) messages: sending to it waits while the producer is backed up, with no time limit",
    },
    ClientSetting {
        key: "max.in.flight.requests.per.connection",
        names: &["Net.MaxOpenRequests"],
        value: "5",
        source: CONFIG_GO,
    },
    ClientSetting {
        key: "retries",
        names: &["Producer.Retry.Max"],
        value: "3",
        source: CONFIG_GO,
    },
    ClientSetting {
        key: "retry.backoff.ms",
        names: &["Producer.Retry.Backoff"],
        value: "100",
        source: CONFIG_GO,
    },
    ClientSetting {
        key: "retry.backoff.max.ms",
        names: &[],
        value: "100",
        source: "a constant backoff (Producer.Retry.BackoffFunc unset)",
    },
    ClientSetting {
        key: "delivery.timeout.ms",
        names: &[],
        value: "2147483647",
        source: "no delivery timeout: a message fails when its retries run out",
    },
    ClientSetting {
        key: "request.timeout.ms",
        names: &["Net.ReadTimeout"],
        value: "30000",
        source: CONFIG_GO,
    },
    ClientSetting {
        key: "compression.type",
        names: &["Producer.Compression"],
        value: "none",
        source: CONFIG_GO,
    },
];
