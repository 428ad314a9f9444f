//! twmb/franz-go (v1.21): `kgo.RecordPartitioner` options of `pkg/kgo/partitioner.go`.
//! The default (`pkg/kgo/config.go`) is `UniformBytesPartitioner(64 KiB, adaptive, keys,
//! nil)`, whose hasher is `KafkaHasher(murmur2)`: Java's rule. A non-nil empty key is
//! hashed.

use super::{ClientSetting, Hash, KeyRule, Keyless, PartitionerDef, Reduce};

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
        rule: KeyRule::ignores_keys(Keyless::StickyNewBatch),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "round-robin",
        selected_by: "kgo.RoundRobinPartitioner()",
        rule: KeyRule::ignores_keys(Keyless::RoundRobin),
        source: PARTITIONER_GO,
    },
    PartitionerDef {
        name: "least-backup",
        selected_by: "kgo.LeastBackupPartitioner()",
        rule: KeyRule::ignores_keys(Keyless::LeastBackup),
        source: PARTITIONER_GO,
    },
];

const DEFAULT_CFG: &str = "pkg/kgo/config.go defaultCfg";

/// `cfg.validate` (`pkg/kgo/config.go`): idempotent writes (the default) need
/// `RequiredAcks(AllISRAcks())`; `kgo.NewClient` returns this error otherwise.
pub(super) const IDEMPOTENCE_NEEDS_ACKS_ALL: (&str, &str) =
    ("idempotency requires acks=all", "pkg/kgo/config.go");

/// Defaults of `kgo.NewClient` (`pkg/kgo/config.go` `defaultCfg`), under the option names.
pub(super) const SETTINGS: &[ClientSetting] = &[
    ClientSetting {
        key: "acks",
        names: &["RequiredAcks"],
        value: "all",
        source: DEFAULT_CFG,
    },
    ClientSetting {
        key: "enable.idempotence",
        names: &[],
        value: "true",
        source: "idempotent unless DisableIdempotentWrite (pkg/kgo/config.go)",
    },
    ClientSetting {
        key: "linger.ms",
        names: &["ProducerLinger"],
        value: "10",
        source: DEFAULT_CFG,
    },
    ClientSetting {
        key: "batch.size",
        names: &["ProducerBatchMaxBytes"],
        value: "1000012",
        source: "pkg/kgo/config.go defaultCfg: a batch's byte limit; no record count limits a batch",
    },
    ClientSetting {
        key: "queue.buffering.max.messages",
        names: &["MaxBufferedRecords"],
        value: "10000",
        source: "pkg/kgo/config.go defaultCfg; Produce blocks beyond it and lingering stops (pkg/kgo/producer.go)",
    },
    ClientSetting {
        key: "buffer.memory",
        names: &[],
        value: "9223372036854775807",
        source: "MaxBufferedBytes is unset by default (pkg/kgo/config.go defaultCfg): no byte limit",
    },
    ClientSetting {
        key: "max.block.ms",
        names: &[],
        value: "2147483647",
        source: "Produce waits for buffer space until its context is done (pkg/kgo/producer.go); no limit with context.Background()",
    },
    ClientSetting {
        key: "max.request.size",
        names: &["BrokerMaxWriteBytes"],
        value: "104857600",
        source: DEFAULT_CFG,
    },
    ClientSetting {
        key: "max.in.flight.requests.per.connection",
        names: &["MaxProduceRequestsInflightPerBroker"],
        value: "1",
        source: "pkg/kgo/config.go defaultCfg, used without idempotence; idempotent: 1 until the first response, then 4 (pkg/kgo/sink.go newSink, firstRespCheck)",
    },
    ClientSetting {
        key: "retries",
        names: &["RecordRetries"],
        value: "2147483647",
        source: "pkg/kgo/config.go defaultCfg: math.MaxInt64, unbounded",
    },
    ClientSetting {
        key: "retry.backoff.ms",
        names: &[],
        value: "250",
        source: "pkg/kgo/config.go defaultCfg retryBackoff: 250 ms x 2^(fails-1), +-20%",
    },
    ClientSetting {
        key: "retry.backoff.max.ms",
        names: &[],
        value: "5000",
        source: "pkg/kgo/config.go defaultCfg retryBackoff",
    },
    ClientSetting {
        key: "delivery.timeout.ms",
        names: &[],
        value: "2147483647",
        source: "RecordDeliveryTimeout unset: no delivery timeout",
    },
    ClientSetting {
        key: "request.timeout.ms",
        names: &[],
        value: "20000",
        source: "ProduceRequestTimeout 10 s + RequestTimeoutOverhead 10 s (pkg/kgo/config.go)",
    },
    ClientSetting {
        key: "compression.type",
        names: &["ProducerBatchCompression"],
        value: "snappy",
        source: "ProducerBatchCompression default [snappy, none] (pkg/kgo/config.go)",
    },
];
