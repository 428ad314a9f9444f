//! producer-sim: an Apache Kafka producer simulator.
//!
//! `engine` is the pure simulation; `ui` (feature `web`) is the Leptos app over it.

pub mod engine;

#[cfg(feature = "web")]
pub mod ui;
