//! producer-sim: an Apache Kafka producer simulator.
//!
//! `engine` is the pure simulation; `reference` the settings and quiz data the page
//! teaches from; `ui` (feature `web`) the Leptos app over both.

// The page's sections as `AnyView`s (`ui::PARTS`): rendering one natively (feature
// `ssr`) computes the layout of a deeply nested view type.
#![recursion_limit = "256"]

pub mod engine;
pub mod reference;

#[cfg(feature = "web")]
pub mod ui;
