//! The engine benchmark inside the browser: the same scenario as `scripts/bench.sh`
//! runs natively, timed with the page's clock; and the write path's per-frame work,
//! fresh and after an hour of simulated time. Ignored by default (it is a benchmark,
//! not a test); `scripts/bench.sh` runs it in release mode with `--include-ignored`.
//! Both give the page's event loop a turn between runs: the runner reads their output
//! with WebDriver scripts, which time out after 30 s on a page busy all that time.
#![cfg(target_arch = "wasm32")]

#[path = "support/web.rs"]
mod support;

use producer_sim::engine::config::{CompressionType, SimConfig};
use producer_sim::engine::run;
use producer_sim::engine::time::SimDuration;
use producer_sim::ui::hooks::now_ms;
use producer_sim::ui::write_path::model::{Speed, WritePathModel};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
#[ignore]
async fn engine_benchmark_in_browser() {
    // Warm up: the browser compiles wasm with a baseline compiler first and optimises hot
    // functions later; time the steady state, as the native process is.
    let mut warm = SimConfig::default();
    warm.workload.records = 100_000;
    warm.producer.compression_type = CompressionType::Lz4;
    let _ = run(&warm, 1);
    // Best of three, as `scripts/bench.sh` times the native runs.
    for (name, codec) in [
        ("none", CompressionType::None),
        ("lz4", CompressionType::Lz4),
    ] {
        let mut c = SimConfig::default();
        c.workload.records = 1_000_000;
        c.producer.compression_type = codec;
        let mut times = Vec::new();
        let mut digest = None;
        for _ in 0..3 {
            support::sleep(0).await;
            let start = now_ms();
            let summary = run(&c, 42).expect("valid config");
            times.push(now_ms() - start);
            assert_eq!(summary.records_acked, 1_000_000);
            assert!(
                digest.is_none_or(|d| d == summary.digest),
                "same seed, same run"
            );
            digest = Some(summary.digest);
        }
        let best = times.iter().copied().fold(f64::INFINITY, f64::min);
        console_log!(
            "BENCH wasm compression.type={name}: 1000000 records in {best:.0} ms, best of {times:.0?} (digest {:016x})",
            digest.unwrap_or_default()
        );
    }
}

/// Mean wall time of one write-path frame (play a 60 Hz frame at `speed`, then build
/// what it draws), over `frames` frames.
fn mean_frame_ms(model: &mut WritePathModel, speed: Speed, frames: u32) -> f64 {
    let start = now_ms();
    for _ in 0..frames {
        model.play(1000.0 / 60.0, speed);
        std::hint::black_box(model.frame());
    }
    (now_ms() - start) / f64::from(frames)
}

#[wasm_bindgen_test]
#[ignore]
async fn write_path_frame_after_an_hour_benchmark() {
    const FRAMES: u32 = 600;
    let config = SimConfig::default();
    let mut old = WritePathModel::new(&config, None);
    let mut hour_ms = 0.0;
    for _ in 0..60 {
        support::sleep(0).await;
        let start = now_ms();
        for _ in 0..60 {
            old.advance(SimDuration::from_ms(1_000));
        }
        hour_ms += now_ms() - start;
    }
    let sent = old.frame().scene.totals.records_sent;
    for speed in [Speed::Normal, Speed::VeryFast] {
        support::sleep(0).await;
        // The first run warms the browser's optimising compiler up; the second is timed.
        let _ = mean_frame_ms(&mut WritePathModel::new(&config, None), speed, FRAMES);
        let fresh_ms = mean_frame_ms(&mut WritePathModel::new(&config, None), speed, FRAMES);
        let old_ms = mean_frame_ms(&mut old, speed, FRAMES);
        console_log!(
            "BENCH wasm write path at {}: {fresh_ms:.3} ms per frame fresh, {old_ms:.3} ms after an hour of simulated time ({sent} records sent; simulating the hour took {hour_ms:.0} ms), difference {:+.3} ms",
            speed.label(),
            old_ms - fresh_ms
        );
    }
}
