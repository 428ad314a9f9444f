//! kafkajs (v2.2): `createPartitioner` takes `Partitioners.DefaultPartitioner` (the default
//! since 2.0.0) or `Partitioners.LegacyPartitioner`. Both
//! (`src/producer/partitioners/legacy/partitioner.js`) hash any key that is not null or
//! undefined (strings as UTF-8, "" included) as `toPositive(murmur2(key)) % n`, and send
//! keyless messages round-robin over the partitions with a leader, from a per-topic counter
//! that starts at a random 32-bit value.

use super::{ClientSetting, Hash, KeyRule, Keyless, PartitionerDef, Reduce};

/// `src/producer/partitioners/legacy/murmur2.js`: Kafka's murmur2 steps in JavaScript
/// numbers. The products are doubles (rounded, not wrapped to 32 bits), `^` and `>>>`
/// truncate them to 32 bits, and the block loop runs `length / 4` (not floored) times, so
/// the last, partial block is hashed as a whole block (missing bytes read as 0) and then
/// again as the tail. Returns the function's result, an int32.
pub(super) fn legacy_murmur2(key: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: f64 = 0x5bd1_e995u32 as f64;
    let len = key.len();
    let byte = |i: usize| i32::from(key.get(i).copied().unwrap_or(0));
    let mut h = f64::from(SEED as i32 ^ len as i32);
    for block in 0..len.div_ceil(4) {
        let i = block * 4;
        // `(b & 0xff) << 24` is an int32 in JS, negative from 0x80.
        let mut k = f64::from(byte(i))
            + f64::from(byte(i + 1) << 8)
            + f64::from(byte(i + 2) << 16)
            + f64::from(byte(i + 3) << 24);
        k *= M;
        k = f64::from(js_int32(k) ^ (js_uint32(k) >> 24) as i32);
        k *= M;
        h *= M;
        h = f64::from(js_int32(h) ^ js_int32(k));
    }
    let tail = len & !3;
    let rest = len % 4;
    if rest == 3 {
        h = f64::from(js_int32(h) ^ (byte(tail + 2) << 16));
    }
    if rest >= 2 {
        h = f64::from(js_int32(h) ^ (byte(tail + 1) << 8));
    }
    if rest >= 1 {
        h = f64::from(js_int32(h) ^ byte(tail));
        h *= M;
    }
    h = f64::from(js_int32(h) ^ (js_uint32(h) >> 13) as i32);
    h *= M;
    js_int32(h) ^ (js_uint32(h) >> 15) as i32
}

/// ECMAScript `ToUint32` of a finite number: truncate, then modulo 2^32. Every double
/// above 2^53 is a whole number and `%` on doubles is exact, so this is exact too.
fn js_uint32(x: f64) -> u32 {
    const TWO_32: f64 = 4_294_967_296.0;
    let r = x.trunc() % TWO_32;
    (if r < 0.0 { r + TWO_32 } else { r }) as u32
}

/// ECMAScript `ToInt32`.
fn js_int32(x: f64) -> i32 {
    js_uint32(x) as i32
}

const fn murmur2_rule(hash: Hash) -> KeyRule {
    KeyRule::Hashed {
        hash,
        reduce: Reduce::MaskSignBit,
        null_key: Some(Keyless::RoundRobinRandomStart),
        empty_key_is_null: false,
    }
}

pub(super) const PARTITIONERS: &[PartitionerDef] = &[
    PartitionerDef {
        name: "default",
        selected_by: "createPartitioner: Partitioners.DefaultPartitioner (the default since 2.0.0)",
        rule: murmur2_rule(Hash::Murmur2),
        source: "src/producer/partitioners/default/murmur2.js",
    },
    PartitionerDef {
        name: "legacy",
        selected_by: "createPartitioner: Partitioners.LegacyPartitioner (the default before 2.0.0)",
        rule: murmur2_rule(Hash::Murmur2KafkajsLegacy),
        source: "src/producer/partitioners/legacy/murmur2.js",
    },
];

/// `sendBatch` (`src/producer/messageProducer.js`) throws for an idempotent producer sent
/// with `acks` other than -1.
pub(super) const IDEMPOTENCE_NEEDS_ACKS_ALL: (&str, &str) = (
    "Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees",
    "src/producer/messageProducer.js",
);

/// Defaults of `kafka.producer()` and `producer.send()` (`src/index.js`,
/// `src/producer/index.js`, `src/producer/messageProducer.js`, `src/retry/defaults.js`).
pub(super) const SETTINGS: &[ClientSetting] = &[
    ClientSetting {
        key: "acks",
        names: &["acks"],
        value: "all",
        source: "src/producer/messageProducer.js: send({ acks = -1 })",
    },
    ClientSetting {
        key: "enable.idempotence",
        names: &["idempotent"],
        value: "false",
        source: "src/producer/index.js",
    },
    ClientSetting {
        key: "linger.ms",
        names: &[],
        value: "0",
        source: "none in kafkajs: each send() call is produced at once (src/producer/sendMessages.js)",
    },
    ClientSetting {
        key: "batch.size",
        names: &[],
        value: "1048576",
        source: "none in kafkajs: a batch holds one send() call's messages for a partition (src/producer/sendMessages.js); the simulator bounds it at 1 MiB, about the broker's message.max.bytes (1048588)",
    },
    ClientSetting {
        key: "max.in.flight.requests.per.connection",
        names: &["maxInFlightRequests"],
        value: "2147483647",
        source: "src/index.js: maxInFlightRequests = null (unlimited)",
    },
    ClientSetting {
        key: "retries",
        names: &["retry.retries"],
        value: "5",
        source: "src/retry/defaults.js",
    },
    ClientSetting {
        key: "retry.backoff.ms",
        names: &["retry.initialRetryTime"],
        value: "300",
        source: "src/retry/defaults.js",
    },
    ClientSetting {
        key: "retry.backoff.max.ms",
        names: &["retry.maxRetryTime"],
        value: "30000",
        source: "src/retry/defaults.js",
    },
    ClientSetting {
        key: "delivery.timeout.ms",
        names: &[],
        value: "2147483647",
        source: "no delivery timeout: a send() fails when its retries run out",
    },
    ClientSetting {
        key: "request.timeout.ms",
        names: &["requestTimeout"],
        value: "30000",
        source: "src/index.js",
    },
    ClientSetting {
        key: "compression.type",
        names: &["compression"],
        value: "none",
        source: "src/producer/messageProducer.js: send({ compression }) unset is CompressionTypes.None",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_murmur2_differs_from_java() {
        // "": no block, so only the final mixing differs (JS doubles): 275646684 vs 275646681.
        assert_eq!(legacy_murmur2(b"") & 0x7fff_ffff, 275_646_684);
        assert_eq!(super::super::java::murmur2(b"") & 0x7fff_ffff, 275_646_681);
    }

    #[test]
    fn js_conversions() {
        assert_eq!(js_uint32(-1.0), u32::MAX);
        assert_eq!(js_int32(2_147_483_648.0), i32::MIN);
        assert_eq!(js_uint32(4_294_967_296.0 * 3.0 + 5.0), 5);
        assert_eq!(js_int32(-4_294_967_297.0), -1);
    }
}
