//! Producer metrics named as the Java producer's `producer-metrics` group names them.
//!
//! STUB: filled in with the simulation.

use serde::{Deserialize, Serialize};

/// A snapshot of the figures a Kafka user knows from JMX, plus end-to-end latency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ProducerMetrics {
    pub record_send_rate: f64,
    pub record_size_avg: f64,
    pub batch_size_avg: f64,
    pub compression_rate_avg: f64,
    pub records_per_request_avg: f64,
    pub request_latency_avg: f64,
    pub request_latency_max: f64,
    pub record_queue_time_avg: f64,
    pub record_queue_time_max: f64,
    pub record_retry_rate: f64,
    pub record_error_rate: f64,
    pub buffer_available_bytes: f64,
    pub bufferpool_wait_time_ns_total: f64,
}

/// send() to acknowledgement, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencySummary {
    pub avg_ms: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// A log-linear histogram of microsecond values (about 1.5% precision), so that
/// percentiles need no per-record storage.
#[derive(Clone, Debug)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
    sum: u128,
    max: u64,
}

const SUB_BUCKETS: u64 = 64;

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; (64 * SUB_BUCKETS) as usize],
            total: 0,
            sum: 0,
            max: 0,
        }
    }
}

impl Histogram {
    fn index(v: u64) -> usize {
        if v < SUB_BUCKETS {
            return v as usize;
        }
        let major = 63 - v.leading_zeros() as u64; // >= 6
        let shift = major - 6;
        let sub = (v >> shift) - SUB_BUCKETS; // 0..64
        ((major - 5) * SUB_BUCKETS + sub) as usize
    }

    /// The largest value that falls in bucket `i`.
    fn upper(i: usize) -> u64 {
        let i = i as u64;
        if i < SUB_BUCKETS {
            return i;
        }
        let major = i / SUB_BUCKETS + 5;
        let sub = i % SUB_BUCKETS;
        let shift = major - 6;
        ((SUB_BUCKETS + sub + 1) << shift) - 1
    }

    pub fn record_n(&mut self, v: u64, n: u64) {
        if n == 0 {
            return;
        }
        self.counts[Self::index(v)] += n;
        self.total += n;
        self.sum += v as u128 * n as u128;
        self.max = self.max.max(v);
    }

    pub fn count(&self) -> u64 {
        self.total
    }

    pub fn mean(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.sum as f64 / self.total as f64
        }
    }

    pub fn max(&self) -> u64 {
        self.max
    }

    /// The value at quantile `q` (0..=1), never above the true maximum.
    pub fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Self::upper(i).min(self.max);
            }
        }
        self.max
    }
}

/// Running totals behind `ProducerMetrics` (each one recorded where the Java producer's
/// `SenderMetricsRegistry` / `ProducerMetrics` sensors record it).
#[derive(Clone, Debug, Default)]
pub struct MetricsRecorder {
    pub records_sent: u64,
    pub record_bytes: u64,
    pub records_appended: u64,
    pub batches_sent: u64,
    pub batch_bytes: u64,
    pub compression_rate_sum: f64,
    pub requests: u64,
    pub request_latency: Histogram,
    pub queue_time: Histogram,
    pub retries: u64,
    pub errors: u64,
    pub bufferpool_wait_us: u64,
    /// send() to acknowledgement, per record.
    pub end_to_end: Histogram,
}

impl MetricsRecorder {
    /// Rates are per second of simulated time.
    pub fn snapshot(&self, elapsed_secs: f64, buffer_available_bytes: u64) -> ProducerMetrics {
        let per_sec = |n: u64| {
            if elapsed_secs > 0.0 {
                n as f64 / elapsed_secs
            } else {
                0.0
            }
        };
        let avg = |sum: f64, n: u64| if n > 0 { sum / n as f64 } else { 0.0 };
        ProducerMetrics {
            record_send_rate: per_sec(self.records_sent),
            record_size_avg: avg(self.record_bytes as f64, self.records_appended),
            batch_size_avg: avg(self.batch_bytes as f64, self.batches_sent),
            compression_rate_avg: avg(self.compression_rate_sum, self.batches_sent),
            records_per_request_avg: avg(self.records_sent as f64, self.requests),
            request_latency_avg: self.request_latency.mean() / 1000.0,
            request_latency_max: self.request_latency.max() as f64 / 1000.0,
            record_queue_time_avg: self.queue_time.mean() / 1000.0,
            record_queue_time_max: self.queue_time.max() as f64 / 1000.0,
            record_retry_rate: per_sec(self.retries),
            record_error_rate: per_sec(self.errors),
            buffer_available_bytes: buffer_available_bytes as f64,
            bufferpool_wait_time_ns_total: self.bufferpool_wait_us as f64 * 1000.0,
        }
    }

    pub fn latency(&self) -> LatencySummary {
        let ms = |us: u64| us as f64 / 1000.0;
        LatencySummary {
            avg_ms: self.end_to_end.mean() / 1000.0,
            p50_ms: ms(self.end_to_end.quantile(0.50)),
            p99_ms: ms(self.end_to_end.quantile(0.99)),
            max_ms: ms(self.end_to_end.max()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_two_percent() {
        let mut h = Histogram::default();
        for v in 1..=100_000u64 {
            h.record_n(v, 1);
        }
        for (q, exact) in [(0.5, 50_000.0), (0.99, 99_000.0)] {
            let got = h.quantile(q) as f64;
            assert!((got - exact).abs() / exact < 0.02, "q{q}: {got} vs {exact}");
        }
        assert_eq!(h.max(), 100_000);
        assert_eq!(h.quantile(1.0), 100_000);
        assert!((h.mean() - 50_000.5).abs() < 1e-6);
    }

    #[test]
    fn small_values_are_exact() {
        let mut h = Histogram::default();
        h.record_n(3, 10);
        h.record_n(40, 10);
        assert_eq!(h.quantile(0.5), 3);
        assert_eq!(h.quantile(0.51), 40);
        assert_eq!(Histogram::default().quantile(0.5), 0);
    }

    #[test]
    fn bucket_bounds_cover_their_values() {
        for v in [64u64, 65, 127, 128, 1000, 123_456, u32::MAX as u64] {
            let i = Histogram::index(v);
            assert!(Histogram::upper(i) >= v);
            assert!(i == 0 || Histogram::upper(i - 1) < v, "{v}");
        }
    }
}
