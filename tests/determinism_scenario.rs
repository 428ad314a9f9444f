//! The run that native and browser builds must reproduce bit for bit. Included by
//! `tests/determinism.rs` (native) and `tests/web_determinism.rs` (wasm32).

use producer_sim::engine::config::{CompressionType, SimConfig};
use producer_sim::engine::fault::ScheduledFault;
use producer_sim::engine::{run_with_faults, RunSummary};

/// The digest both builds must produce, recorded by
/// `UPDATE_GOLDEN=1 cargo test --no-default-features --test determinism`.
pub const GOLDEN: &str = include_str!("golden/determinism.digest");

/// 20,000 keyed JSON records with lz4 through a leader crash and restart.
pub fn golden_run() -> RunSummary {
    let mut c = SimConfig::default();
    c.workload.records = 20_000;
    c.workload.rate = 20_000.0;
    c.producer.compression_type = CompressionType::Lz4;
    let faults: Vec<ScheduledFault> = ["crash:broker=1@300ms", "restart:broker=1@10s"]
        .iter()
        .map(|f| f.parse().expect("valid fault"))
        .collect();
    run_with_faults(&c, 2026, &faults).expect("valid config")
}

/// What is compared: the event digest and the headline numbers.
pub fn fingerprint(s: &RunSummary) -> String {
    format!(
        "digest={:016x} sent={} acked={} failed={} duration_us={} fates={:?}",
        s.digest,
        s.records_sent,
        s.records_acked,
        s.records_failed,
        (s.duration_ms * 1000.0).round() as u64,
        s.fates
    )
}
