//! The application calling `send()`: keys and value bytes, generated from the seed.
//!
//! STUB: the workload helper implements this file (API below is the contract).

use super::config::WorkloadConfig;
use super::rng::SimRng;

/// One record to send. `value` is empty unless bytes were asked for.
#[derive(Debug)]
pub struct RecordSpec<'a> {
    pub key: Option<&'a [u8]>,
    pub value: &'a [u8],
    pub value_len: u32,
}

#[derive(Clone, Debug)]
pub struct Workload {
    config: WorkloadConfig,
    rng: SimRng,
    value: Vec<u8>,
}

impl Workload {
    pub fn new(config: &WorkloadConfig, rng: SimRng) -> Self {
        Workload {
            config: config.clone(),
            rng,
            value: Vec::new(),
        }
    }
    /// The next record; value bytes are generated only when `with_value` is true.
    pub fn next_record(&mut self, with_value: bool) -> RecordSpec<'_> {
        let _ = (&mut self.rng, with_value);
        self.value.clear();
        RecordSpec {
            key: None,
            value: &self.value,
            value_len: self.config.value_size,
        }
    }
}
