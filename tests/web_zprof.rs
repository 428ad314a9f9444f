//! The engine benchmark inside the browser: the same scenario as `scripts/bench.sh`
//! runs natively, timed with the page's clock. Ignored by default (it is a benchmark,
//! not a test); `scripts/bench.sh` runs it in release mode with `--include-ignored`.
#![cfg(target_arch = "wasm32")]

use producer_sim::engine::config::{CompressionType, SimConfig};
use producer_sim::engine::run;
use wasm_bindgen_test::*;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
#[ignore]
fn engine_benchmark_in_browser() {
    // Warm up: the browser compiles wasm with a baseline compiler first and optimises hot
    // functions later; time the steady state, as the native process is.
    let mut warm = SimConfig::default();
    warm.workload.records = 100_000;
    warm.producer.compression_type = CompressionType::Lz4;
    let _ = run(&warm, 1);
    for (name, codec) in [("lz4", CompressionType::Lz4)] {
        let mut c = SimConfig::default();
        c.workload.records = 1_000_000;
        c.producer.compression_type = codec;
        let start = now_ms();
        let summary = run(&c, 42).expect("valid config");
        let elapsed = now_ms() - start;
        assert_eq!(summary.records_acked, 1_000_000);
        console_log!(
            "BENCH wasm compression.type={name}: 1000000 records in {elapsed:.0} ms (digest {:016x})",
            summary.digest
        );
    }
}
