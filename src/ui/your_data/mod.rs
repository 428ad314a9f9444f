//! Your own data on the page: "Your keys" in Partition Assignment. The work runs in
//! bounded slices on the page's thread (see `keys_panel.rs`); the state and its logic are
//! plain types (`keys_job.rs`), tested natively.

pub mod keys_chart;
pub mod keys_job;
pub mod keys_panel;

pub use keys_panel::YourKeys;
