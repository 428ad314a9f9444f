//! Every codec side by side at one batch.size and linger.ms: the trade-off section's
//! full-speed run, once per `compression.type`, with its batches compressed for real from
//! the workload's bytes (yours, when you bring records) in Kafka's record-batch framing.
//!
//! Run in bounded steps of simulated time, like a measurement, so the caller (the
//! measuring worker) stays responsive.

use super::compression::{compression_speed_mbps, CompressionLevels};
use super::config::{CompressionType, ConfigError, SimConfig};
use super::sim::Simulation;
use super::time::{SimDuration, SimTime};
use super::tradeoff::{throughput_config, MeasurementPlan, TradeoffSettings};
use serde::{Deserialize, Serialize};

/// The codecs in the order the table lists them (`CompressionType`'s values).
pub const CODECS: [CompressionType; 5] = [
    CompressionType::None,
    CompressionType::Gzip,
    CompressionType::Snappy,
    CompressionType::Lz4,
    CompressionType::Zstd,
];

/// A run ends by then at the latest (as a measurement's runs do).
const RUN_LIMIT: SimTime = SimTime(600_000_000);

/// One codec's row.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodecRow {
    pub codec: CompressionType,
    /// Mean size of a sent record batch, compressed, framing included (batch-size-avg).
    pub batch_size_avg: f64,
    /// Compressed over uncompressed batch size (compression-rate-avg); 1.0 without.
    pub compression_rate_avg: f64,
    /// Record-batch bytes sent per second of the run.
    pub wire_bytes_per_sec: f64,
    /// Records acknowledged per second.
    pub records_per_sec: f64,
    /// Time the producer's application thread spends compressing one batch, in µs
    /// (its uncompressed bytes at the codec's speed, see [`compression_speed_mbps`]).
    pub compress_us_per_batch: f64,
}

/// The comparison in progress: one full-speed run per codec, in [`CODECS`] order.
pub struct CodecComparison {
    configs: Vec<SimConfig>,
    seed: u64,
    active: Option<Simulation>,
    rows: Vec<CodecRow>,
}

impl CodecComparison {
    /// The throughput run of `settings` in `plan`, once per codec.
    pub fn new(
        plan: &MeasurementPlan,
        settings: TradeoffSettings,
        seed: u64,
    ) -> Result<Self, ConfigError> {
        let configs = CODECS
            .iter()
            .map(|&codec| {
                throughput_config(
                    plan,
                    TradeoffSettings {
                        compression_type: codec,
                        ..settings
                    },
                )
            })
            .collect::<Vec<_>>();
        for c in &configs {
            c.validate()?;
        }
        Ok(CodecComparison {
            configs,
            seed,
            active: None,
            rows: Vec::new(),
        })
    }

    /// Runs for at most `budget` of simulated time (at least one step); true when every
    /// codec's row is done.
    pub fn step(&mut self, budget: SimDuration) -> bool {
        let mut spent = SimDuration::ZERO;
        while !self.is_done() && (spent == SimDuration::ZERO || spent < budget) {
            let Some(sim) = &mut self.active else {
                let config = self.configs[self.rows.len()].clone();
                match Simulation::new(config, self.seed) {
                    Ok(mut sim) => {
                        sim.start_workload();
                        self.active = Some(sim);
                    }
                    // Checked in `new`: cannot happen; end rather than loop.
                    Err(_) => self.configs.truncate(self.rows.len()),
                }
                continue;
            };
            let now = sim.now();
            if sim.is_idle() || now >= RUN_LIMIT {
                let codec = CODECS[self.rows.len()];
                self.rows.push(row(sim, codec));
                self.active = None;
            } else {
                let next = now + budget.max(SimDuration(250));
                sim.advance_to(next);
                spent = spent + next.since(now);
            }
        }
        self.is_done()
    }

    pub fn is_done(&self) -> bool {
        self.rows.len() == self.configs.len()
    }

    /// The finished rows, in [`CODECS`] order.
    pub fn rows(&self) -> &[CodecRow] {
        &self.rows
    }
}

/// The row of a finished run.
fn row(sim: &Simulation, codec: CompressionType) -> CodecRow {
    let summary = sim.summary();
    let m = &sim.producer.metrics;
    let secs = summary.duration_ms / 1000.0;
    let per_batch = |total: f64| {
        if m.batches_sent > 0 {
            total / m.batches_sent as f64
        } else {
            0.0
        }
    };
    // The producer compresses as send() appends (MemoryRecordsBuilder): every appended
    // byte goes through the codec once.
    let speed = compression_speed_mbps(codec, CompressionLevels::from(&sim.config().producer));
    CodecRow {
        codec,
        batch_size_avg: summary.metrics.batch_size_avg,
        compression_rate_avg: summary.metrics.compression_rate_avg,
        wire_bytes_per_sec: if secs > 0.0 {
            m.batch_bytes as f64 / secs
        } else {
            0.0
        },
        records_per_sec: summary.records_per_sec,
        compress_us_per_batch: per_batch(m.record_bytes as f64) / speed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::keys::LineForm;
    use crate::engine::record_file::YourRecords;
    use crate::engine::rng::SimRng;

    /// A plan sending `records` (smaller than a measurement's, for speed).
    fn plan(records: Option<&YourRecords>) -> MeasurementPlan {
        let mut plan = MeasurementPlan {
            throughput_records: 2_000,
            ..MeasurementPlan::default()
        };
        if let Some(r) = records {
            r.apply_to(&mut plan.base);
        }
        plan
    }

    fn compare(records: Option<&YourRecords>) -> Vec<CodecRow> {
        let mut c = CodecComparison::new(&plan(records), TradeoffSettings::default(), 1).unwrap();
        let mut steps = 0;
        while !c.step(SimDuration::from_ms(5)) {
            steps += 1;
        }
        assert!(steps > CODECS.len(), "bounded steps: {steps}");
        c.rows().to_vec()
    }

    fn rate(rows: &[CodecRow], codec: CompressionType) -> f64 {
        rows.iter()
            .find(|r| r.codec == codec)
            .unwrap()
            .compression_rate_avg
    }

    #[test]
    fn random_bytes_stay_near_one_and_log_lines_compress() {
        let mut rng = SimRng::new(7);
        let mut random = Vec::new();
        for _ in 0..500 {
            random.extend(
                (0..300)
                    .map(|_| (rng.next_u64() % 255) as u8 + 1)
                    .filter(|&b| b != b'\n'),
            );
            random.push(b'\n');
        }
        let logs: Vec<u8> = (0..500)
            .flat_map(|i| {
                format!(
                    "2026-12-01T16:{:02}:{:02}.{:03}Z INFO  [http-nio-8080-exec-{}] c.e.OrderService - order {} accepted for customer-{} in {} ms\n",
                    i / 60 % 60, i % 60, i * 7 % 1000, i % 8, 100_000 + i, i % 97, 3 + i % 40
                )
                .into_bytes()
            })
            .collect();
        let random = YourRecords::parse(&random, LineForm::Key, 1_048_576).unwrap();
        let logs = YourRecords::parse(&logs, LineForm::Key, 1_048_576).unwrap();
        let random_rows = compare(Some(&random));
        let log_rows = compare(Some(&logs));
        assert_eq!(
            random_rows.iter().map(|r| r.codec).collect::<Vec<_>>(),
            CODECS.to_vec()
        );
        for codec in CODECS {
            let (r, l) = (rate(&random_rows, codec), rate(&log_rows, codec));
            if codec == CompressionType::None {
                assert_eq!((r, l), (1.0, 1.0));
                continue;
            }
            // Random bytes do not compress (a codec's framing may even add a little).
            assert!((0.9..=1.05).contains(&r), "{codec:?} random {r}");
            assert!(l < 0.5, "{codec:?} logs {l}");
        }
        for row in log_rows.iter().chain(&random_rows) {
            assert!(row.batch_size_avg > 0.0 && row.wire_bytes_per_sec > 0.0);
            assert!(row.records_per_sec > 0.0);
            assert_eq!(
                row.compress_us_per_batch == 0.0,
                row.codec == CompressionType::None
            );
        }
        // Fewer bytes on the wire for every record when the records compress.
        let none = &log_rows[0];
        let gzip = &log_rows[1];
        assert!(
            gzip.wire_bytes_per_sec / gzip.records_per_sec
                < 0.5 * none.wire_bytes_per_sec / none.records_per_sec
        );
        // gzip is the slowest codec at its default level (lzbench: 35 MB/s at -6).
        let slowest = log_rows
            .iter()
            .max_by(|a, b| a.compress_us_per_batch.total_cmp(&b.compress_us_per_batch))
            .unwrap();
        assert_eq!(slowest.codec, CompressionType::Gzip);
    }

    #[test]
    fn without_records_the_workloads_json_values_are_compared() {
        let rows = compare(None);
        assert_eq!(rows.len(), 5);
        assert!(rate(&rows, CompressionType::Zstd) < 1.0);
        // The same plan, settings and seed give the same table.
        assert_eq!(rows, compare(None));
    }
}
