//! How the page and its measuring worker pass requests and findings: every value as
//! plain numbers in a fixed order, sent as a `Float64Array`.
//!
//! Each struct names its fields once, in [`wire_struct!`]. A field added to a struct but
//! not named there does not compile (the struct literal that reads it back would be
//! incomplete), so nothing is silently left out. Reading never panics: input that is
//! short, long or out of range reads as `None`.

use super::runner::{Request, Update};
use super::ChartAxis;
use crate::engine::clients::Client;
use crate::engine::codec_comparison::CodecRow;
use crate::engine::config::{Acks, CompressionType};
use crate::engine::metrics::{LatencySummary, ProducerMetrics};
use crate::engine::sim::{Fates, RunSummary};
use crate::engine::tradeoff::{Findings, Progress, RunKind, SweepPoint, TradeoffSettings};

/// A value that crosses between the page and the worker.
pub trait Wire: Sized {
    fn put(&self, out: &mut Vec<f64>);
    fn take(input: &mut Input) -> Option<Self>;
}

/// The numbers being read.
pub struct Input<'a>(std::slice::Iter<'a, f64>);

impl Input<'_> {
    fn number(&mut self) -> Option<f64> {
        self.0.next().copied()
    }

    /// A whole number below `limit`.
    fn index(&mut self, limit: f64) -> Option<u32> {
        let v = self.number()?;
        (v >= 0.0 && v < limit && v.fract() == 0.0).then_some(v as u32)
    }
}

pub fn encode<T: Wire>(value: &T) -> Vec<f64> {
    let mut out = Vec::new();
    value.put(&mut out);
    out
}

/// `None` unless `numbers` hold exactly one `T`.
pub fn decode<T: Wire>(numbers: &[f64]) -> Option<T> {
    let mut input = Input(numbers.iter());
    let value = T::take(&mut input)?;
    input.0.next().is_none().then_some(value)
}

const U32_LIMIT: f64 = 4_294_967_296.0;

impl Wire for f64 {
    fn put(&self, out: &mut Vec<f64>) {
        out.push(*self);
    }
    fn take(input: &mut Input) -> Option<Self> {
        input.number()
    }
}

impl Wire for u32 {
    fn put(&self, out: &mut Vec<f64>) {
        out.push(f64::from(*self));
    }
    fn take(input: &mut Input) -> Option<Self> {
        input.index(U32_LIMIT)
    }
}

/// As two halves: an f64 holds whole numbers exactly only up to 2^53.
impl Wire for u64 {
    fn put(&self, out: &mut Vec<f64>) {
        ((*self >> 32) as u32).put(out);
        (*self as u32).put(out);
    }
    fn take(input: &mut Input) -> Option<Self> {
        let high = u64::from(u32::take(input)?);
        Some(high << 32 | u64::from(u32::take(input)?))
    }
}

impl Wire for usize {
    fn put(&self, out: &mut Vec<f64>) {
        (*self as u64).put(out);
    }
    fn take(input: &mut Input) -> Option<Self> {
        usize::try_from(u64::take(input)?).ok()
    }
}

impl Wire for bool {
    fn put(&self, out: &mut Vec<f64>) {
        u32::from(*self).put(out);
    }
    fn take(input: &mut Input) -> Option<Self> {
        Some(input.index(2.0)? == 1)
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, out: &mut Vec<f64>) {
        self.is_some().put(out);
        if let Some(v) = self {
            v.put(out);
        }
    }
    fn take(input: &mut Input) -> Option<Self> {
        if bool::take(input)? {
            Some(Some(T::take(input)?))
        } else {
            Some(None)
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, out: &mut Vec<f64>) {
        self.len().put(out);
        for v in self {
            v.put(out);
        }
    }
    fn take(input: &mut Input) -> Option<Self> {
        let len = usize::take(input)?;
        // Each value takes at least one number: a length beyond what is left is garbage.
        if len > input.0.len() {
            return None;
        }
        (0..len).map(|_| T::take(input)).collect()
    }
}

/// A struct, field by field in the order given.
macro_rules! wire_struct {
    ($t:ty { $($field:ident),* $(,)? }) => {
        impl Wire for $t {
            fn put(&self, out: &mut Vec<f64>) {
                $(self.$field.put(out);)*
            }
            fn take(input: &mut Input) -> Option<Self> {
                Some(Self { $($field: Wire::take(input)?,)* })
            }
        }
    };
}

/// An enum without data, as the index of its variant.
macro_rules! wire_enum {
    ($t:ident { $($variant:ident),* $(,)? }) => {
        impl Wire for $t {
            fn put(&self, out: &mut Vec<f64>) {
                let all = [$($t::$variant),*];
                let index = all.iter().position(|v| v == self).unwrap_or_default();
                index.put(out);
            }
            fn take(input: &mut Input) -> Option<Self> {
                let all = [$($t::$variant),*];
                all.get(usize::take(input)?).copied()
            }
        }
    };
}

wire_enum!(Acks { Zero, One, All });
wire_enum!(CompressionType {
    None,
    Gzip,
    Snappy,
    Lz4,
    Zstd
});
wire_enum!(Client {
    Java,
    Librdkafka,
    Kafkajs,
    Sarama,
    FranzGo
});
wire_enum!(ChartAxis {
    LingerMs,
    BatchSize
});

wire_struct!(TradeoffSettings {
    acks,
    batch_size,
    linger_ms,
    compression_type,
    enable_idempotence,
});
wire_struct!(LatencySummary {
    avg_ms,
    p50_ms,
    p99_ms,
    max_ms
});
wire_struct!(ProducerMetrics {
    record_send_rate,
    record_size_avg,
    batch_size_avg,
    compression_rate_avg,
    records_per_request_avg,
    request_latency_avg,
    request_latency_max,
    record_queue_time_avg,
    record_queue_time_max,
    record_retry_rate,
    record_error_rate,
    buffer_available_bytes,
    bufferpool_wait_time_ns_total,
});
wire_struct!(Fates {
    acked_durable,
    acked_lost,
    acked_uncommitted,
    failed,
    duplicated,
    reordered,
    in_flight,
});
wire_struct!(RunSummary {
    seed,
    records_sent,
    records_acked,
    records_failed,
    duration_ms,
    records_per_sec,
    mb_per_sec,
    latency,
    metrics,
    fates,
    digest,
});
wire_struct!(SweepPoint {
    x,
    records_per_sec,
    p99_ms,
    batch_size_avg
});
wire_struct!(Findings {
    reference,
    throughput,
    latency,
    leader_crash,
    lost_response,
    sweep,
});
wire_struct!(Progress {
    runs_done,
    runs_total,
    current,
    scores_ready,
    done,
});
wire_struct!(CodecRow {
    codec,
    batch_size_avg,
    compression_rate_avg,
    wire_bytes_per_sec,
    records_per_sec,
    compress_us_per_batch,
});
wire_struct!(Update {
    generation,
    progress,
    findings,
    slice_ms,
    codecs,
});

/// The variant's index, then the sweep point's index where it has one.
impl Wire for RunKind {
    fn put(&self, out: &mut Vec<f64>) {
        let (variant, index) = match *self {
            RunKind::Reference => (0, 0),
            RunKind::Throughput => (1, 0),
            RunKind::Latency => (2, 0),
            RunKind::LeaderCrash => (3, 0),
            RunKind::LostResponse => (4, 0),
            RunKind::SweepThroughput { index } => (5, index),
            RunKind::SweepLatency { index } => (6, index),
        };
        (variant as u32).put(out);
        index.put(out);
    }
    fn take(input: &mut Input) -> Option<Self> {
        let variant = u32::take(input)?;
        let index = usize::take(input)?;
        Some(match variant {
            0 => RunKind::Reference,
            1 => RunKind::Throughput,
            2 => RunKind::Latency,
            3 => RunKind::LeaderCrash,
            4 => RunKind::LostResponse,
            5 => RunKind::SweepThroughput { index },
            6 => RunKind::SweepLatency { index },
            _ => return None,
        })
    }
}

impl Wire for Request {
    fn put(&self, out: &mut Vec<f64>) {
        match self {
            Request::Measure {
                generation,
                client,
                settings,
                axis,
            } => {
                true.put(out);
                generation.put(out);
                client.put(out);
                settings.put(out);
                axis.put(out);
            }
            Request::Stop { generation } => {
                false.put(out);
                generation.put(out);
            }
        }
    }
    fn take(input: &mut Input) -> Option<Self> {
        Some(if bool::take(input)? {
            Request::Measure {
                generation: Wire::take(input)?,
                client: Wire::take(input)?,
                settings: Wire::take(input)?,
                axis: Wire::take(input)?,
            }
        } else {
            Request::Stop {
                generation: Wire::take(input)?,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tradeoff::{Measurement, MeasurementPlan, RunMemo, SweepAxis};

    /// Findings from a real (small) measurement, every run and a sweep included.
    fn real_findings() -> (Findings, Progress) {
        let settings = TradeoffSettings {
            acks: Acks::One,
            compression_type: CompressionType::Lz4,
            ..TradeoffSettings::default()
        };
        let plan = MeasurementPlan {
            throughput_records: 300,
            latency_rate: 400.0,
            replay_records: 300,
            sweep: Some(SweepAxis::LingerMs(vec![0, 20])),
            ..MeasurementPlan::default()
        };
        let mut m = Measurement::with_plan(settings, plan, 7, RunMemo::default()).unwrap();
        m.run_to_end();
        (m.findings().clone(), m.progress())
    }

    #[test]
    fn a_real_measurement_crosses_unchanged() {
        let (findings, progress) = real_findings();
        assert!(findings.leader_crash.is_some() && findings.sweep.len() == 2);
        let update = Update {
            generation: u64::MAX - 1,
            progress,
            findings: Some(findings),
            slice_ms: 12.5,
            codecs: vec![CodecRow {
                codec: CompressionType::Zstd,
                batch_size_avg: 4321.5,
                compression_rate_avg: 0.25,
                wire_bytes_per_sec: 1.5e7,
                records_per_sec: 98_765.0,
                compress_us_per_batch: 33.25,
            }],
        };
        assert_eq!(decode::<Update>(&encode(&update)), Some(update));
    }

    #[test]
    fn every_field_of_a_summary_crosses() {
        // Every field distinct, so a field read into another's place shows.
        let (findings, _) = real_findings();
        let mut s = findings.throughput.unwrap();
        s.seed = u64::MAX;
        s.digest = 0x0123_4567_89ab_cdef;
        s.fates = Fates {
            acked_durable: 1,
            acked_lost: 2,
            acked_uncommitted: 7,
            failed: 3,
            duplicated: 4,
            reordered: 5,
            in_flight: 6,
        };
        s.latency = LatencySummary {
            avg_ms: 1.5,
            p50_ms: 2.5,
            p99_ms: 3.5,
            max_ms: f64::INFINITY,
        };
        assert_eq!(decode::<RunSummary>(&encode(&s)), Some(s));
    }

    #[test]
    fn every_request_crosses() {
        let requests = [
            Request::Stop { generation: 3 },
            Request::Measure {
                generation: 1 << 40,
                client: Client::FranzGo,
                settings: TradeoffSettings {
                    acks: Acks::Zero,
                    batch_size: 1_048_576,
                    linger_ms: 1000,
                    compression_type: CompressionType::Zstd,
                    enable_idempotence: Some(false),
                },
                axis: ChartAxis::BatchSize,
            },
            Request::Measure {
                generation: 2,
                client: Client::Java,
                settings: TradeoffSettings::default(),
                axis: ChartAxis::LingerMs,
            },
        ];
        for r in requests {
            assert_eq!(decode::<Request>(&encode(&r)), Some(r));
        }
    }

    #[test]
    fn every_client_crosses() {
        for client in Client::all() {
            assert_eq!(decode::<Client>(&encode(&client)), Some(client));
        }
        assert_eq!(decode::<Client>(&[Client::all().len() as f64]), None);
    }

    #[test]
    fn every_run_kind_crosses() {
        for kind in [
            RunKind::Reference,
            RunKind::Throughput,
            RunKind::Latency,
            RunKind::LeaderCrash,
            RunKind::LostResponse,
            RunKind::SweepThroughput { index: 4 },
            RunKind::SweepLatency { index: 7 },
        ] {
            assert_eq!(decode::<RunKind>(&encode(&kind)), Some(kind));
        }
    }

    #[test]
    fn bad_input_reads_as_none() {
        let (findings, progress) = real_findings();
        let good = encode(&Update {
            generation: 1,
            progress,
            findings: Some(findings),
            slice_ms: 1.0,
            codecs: Vec::new(),
        });
        assert!(decode::<Update>(&good).is_some());
        // Cut short anywhere, or with a number left over.
        for len in 0..good.len() {
            assert_eq!(decode::<Update>(&good[..len]), None, "cut at {len}");
        }
        let mut long = good.clone();
        long.push(0.0);
        assert_eq!(decode::<Update>(&long), None);
        // Out of range: a variant, a flag, a fraction, a negative, a huge length.
        assert_eq!(decode::<Acks>(&[3.0]), None);
        assert_eq!(decode::<bool>(&[2.0]), None);
        assert_eq!(decode::<u32>(&[1.5]), None);
        assert_eq!(decode::<u32>(&[-1.0]), None);
        assert_eq!(decode::<u32>(&[f64::NAN]), None);
        assert_eq!(decode::<u32>(&[U32_LIMIT]), None);
        assert_eq!(decode::<Vec<f64>>(&[0.0, 1e6, 1.0]), None);
        assert_eq!(decode::<RunKind>(&[7.0, 0.0, 0.0]), None);
    }
}
