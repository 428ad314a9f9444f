//! The simulation: pure, deterministic Rust. No browser types, no clock, no global RNG.

pub mod bytes;
pub mod clients;
pub mod cluster;
pub mod codec_comparison;
pub mod compression;
pub mod config;
pub mod event;
pub mod fates;
pub mod fault;
pub mod keys;
pub mod log;
pub mod metrics;
pub mod network;
pub mod partitioner;
pub mod producer;
pub mod protocol;
pub mod record;
pub mod record_file;
pub mod replay;
pub mod rng;
pub mod scenario;
#[cfg(test)]
mod send_call_tests;
pub mod settings;
pub mod sim;
pub mod time;
pub mod tradeoff;
pub mod workload;

#[cfg(test)]
mod blocked_send_tests;
#[cfg(test)]
mod bootstrap_tests;

pub use config::SimConfig;
pub use sim::{run, run_report, run_with_faults, Fates, RunReport, RunSummary, Simulation};
pub use time::{SimDuration, SimTime};
