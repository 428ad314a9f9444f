//! producer-sim: an Apache Kafka producer simulator.
//!
//! `engine` is the pure simulation; `reference` the settings and quiz data the page
//! teaches from; `ui` (feature `web`) the Leptos app over both.

pub mod engine;
pub mod reference;

#[cfg(feature = "web")]
pub mod ui;
