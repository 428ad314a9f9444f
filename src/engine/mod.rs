//! The simulation: pure, deterministic Rust. No browser types, no clock, no global RNG.

pub mod compression;
pub mod config;
pub mod event;
pub mod metrics;
pub mod partitioner;
pub mod record;
pub mod rng;
pub mod sim;
pub mod time;
pub mod workload;

pub use config::SimConfig;
pub use sim::{run, RunSummary, Simulation};
pub use time::{SimDuration, SimTime};
