//! Your own data on the page: "Your keys" in Partition Assignment, "Your records" and the
//! codec comparison in Throughput vs Durability. The work runs in
//! bounded slices on the page's thread (see `keys_panel.rs`); the state and its logic are
//! plain types (`keys_job.rs`), tested natively.

pub mod codec_table;
pub mod keys_chart;
pub mod keys_job;
pub mod keys_panel;
pub mod paste_or_load;
pub mod records_input;
pub mod records_panel;

pub use codec_table::CodecTable;
pub use keys_panel::YourKeys;
pub use records_panel::YourRecordsPanel;
