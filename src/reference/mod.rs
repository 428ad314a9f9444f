//! Reference material the page teaches from: each Kafka setting with its clients' names
//! and defaults, and the self-test questions. Plain data, tested natively.

pub mod export;
pub mod quiz;
pub mod settings;
