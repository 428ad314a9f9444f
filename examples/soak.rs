//! Soak benchmark: the write path's per-frame engine work (advance one frame of simulated
//! time, take the events, build the view) on a fresh run and after an hour of simulated
//! time, and the process's memory then. It reports; it does not fail on numbers.
//!
//!   cargo run --release --no-default-features --example soak

use producer_sim::engine::{SimConfig, SimDuration, SimTime, Simulation};
use std::time::Instant;

const FRAME: SimDuration = SimDuration(16_667);
const FRAMES: usize = 600;

/// Median wall time of one frame's engine work, in milliseconds.
fn frame_work_ms(sim: &mut Simulation) -> f64 {
    let mut times: Vec<f64> = (0..FRAMES)
        .map(|_| {
            let start = Instant::now();
            let next = sim.now() + FRAME;
            sim.advance_to(next);
            std::hint::black_box(sim.drain_events());
            std::hint::black_box(sim.view());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Resident memory in MiB (Linux), if it can be read.
fn rss_mib() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / (1024.0 * 1024.0))
}

fn main() {
    let mut config = SimConfig::default();
    config.workload.rate = 2_000.0;
    config.workload.records = 10_000_000;
    let mut sim = Simulation::new(config, 42).expect("the defaults are valid");
    sim.record_events(true);
    sim.start_workload();
    let fresh = frame_work_ms(&mut sim);
    let fresh_rss = rss_mib();
    let hour = SimTime::from_ms(3_600_000);
    while sim.now() < hour {
        let next = (sim.now() + SimDuration::from_ms(1_000)).min(hour);
        sim.advance_to(next);
        sim.drain_events();
    }
    let later = frame_work_ms(&mut sim);
    let later_rss = rss_mib();
    let show = |m: Option<f64>| m.map_or("unknown".to_string(), |m| format!("{m:.1} MiB"));
    println!("records sent after an hour: {}", sim.view().records_sent);
    println!(
        "per-frame engine work (median of {FRAMES}): fresh {fresh:.4} ms, after an hour {later:.4} ms"
    );
    println!(
        "memory (RSS): fresh {}, after an hour {}",
        show(fresh_rss),
        show(later_rss)
    );
}
