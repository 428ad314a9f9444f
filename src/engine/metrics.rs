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
