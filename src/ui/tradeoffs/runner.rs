//! Measuring in bounded slices of wall-clock time: what the page's main thread and the
//! measuring worker (see `worker.rs`) both run. A [`Request`] starts or stops a
//! measurement; each [`Runner::slice`] advances it and reports an [`Update`].

use super::ChartAxis;
use crate::engine::clients::Client;
use crate::engine::codec_comparison::{CodecComparison, CodecRow, CODECS};
use crate::engine::record_file::YourRecords;
use crate::engine::time::SimDuration;
use crate::engine::tradeoff::{
    Findings, Measurement, MeasurementPlan, Progress, RunMemo, TradeoffSettings,
};
use crate::ui::hooks::now_ms;

/// Simulated time per `Measurement::step` inside a slice: the engine's smallest step (one
/// tick), so a slice can stop close to its budget. Results do not depend on it.
const STEP: SimDuration = SimDuration(250);
/// Every measurement uses this seed, so the same settings always show the same numbers.
const SEED: u64 = 1;

/// What the page asks of a runner. `generation` numbers the page's requests; every
/// [`Update`] carries the generation it measures, so the page can drop stale ones.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Request {
    /// Measure these settings, abandoning any measurement in progress.
    Measure {
        generation: u64,
        /// Whose producer runs: its defaults, partitioner and batching rules.
        client: Client,
        settings: TradeoffSettings,
        axis: ChartAxis,
    },
    /// Stop measuring (the settings are invalid).
    Stop { generation: u64 },
}

impl Request {
    pub fn generation(&self) -> u64 {
        match *self {
            Request::Measure { generation, .. } | Request::Stop { generation } => generation,
        }
    }
}

/// What one slice of measuring reached.
#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    pub generation: u64,
    pub progress: Progress,
    /// Everything found so far, when a run finished in this slice.
    pub findings: Option<Findings>,
    /// Wall-clock time the slice took, in ms.
    pub slice_ms: f64,
    /// Every codec side by side at the settings' batch.size and linger.ms, measured after
    /// the rest: the rows done so far, in `CODECS` order.
    pub codecs: Vec<CodecRow>,
}

impl Update {
    /// Whether nothing is left to measure for this generation.
    pub fn is_last(&self) -> bool {
        self.progress.done && self.codecs.len() == CODECS.len()
    }
}

/// The measurement in progress, and the runs earlier measurements made, which the next
/// ones reuse (see [`RunMemo`]).
#[derive(Default)]
pub struct Runner {
    generation: u64,
    measurement: Option<Measurement>,
    codecs: Option<CodecComparison>,
    memo: RunMemo,
    /// The reader's records, the runs' values (cycled) when given.
    records: Option<YourRecords>,
}

impl Runner {
    pub fn handle(&mut self, request: Request) {
        if let Some(abandoned) = self.measurement.take() {
            self.memo = abandoned.into_memo();
        }
        self.codecs = None;
        self.generation = request.generation();
        self.measurement = match request {
            Request::Measure {
                client,
                settings,
                axis,
                ..
            } => {
                let mut plan = MeasurementPlan {
                    sweep: Some(axis.sweep()),
                    ..MeasurementPlan::for_client(client)
                };
                if let Some(records) = &self.records {
                    records.apply_to(&mut plan.base);
                }
                self.codecs = CodecComparison::new(&plan, settings, SEED).ok();
                let memo = std::mem::take(&mut self.memo);
                Measurement::with_plan(settings, plan, SEED, memo).ok()
            }
            Request::Stop { .. } => None,
        };
    }

    /// Takes the reader's records (`None`: the workload's own values) for the next
    /// request; runs remembered with other values no longer count.
    pub fn set_records(&mut self, records: Option<YourRecords>) {
        self.records = records;
        self.memo = RunMemo::default();
        self.measurement = None;
        self.codecs = None;
    }

    /// Whether there is measuring left to do.
    pub fn is_measuring(&self) -> bool {
        self.measurement.as_ref().is_some_and(|m| !m.is_done())
            || self.codecs.as_ref().is_some_and(|c| !c.is_done())
    }

    /// Measures for about `budget_ms` of wall-clock time (at least one step), and says
    /// how far it got; `None` when there is nothing to measure.
    pub fn slice(&mut self, budget_ms: f64) -> Option<Update> {
        let start = now_ms();
        let m = self.measurement.as_mut()?;
        let before = m.progress().runs_done;
        let mut progress = m.progress();
        if progress.done {
            // The measurement is done: compare the codecs, in steps of the same size.
            let codecs = self.codecs.as_mut()?;
            while !codecs.is_done() && now_ms() - start < budget_ms {
                codecs.step(STEP);
            }
            return Some(Update {
                generation: self.generation,
                progress,
                findings: None,
                slice_ms: now_ms() - start,
                codecs: codecs.rows().to_vec(),
            });
        }
        // Adaptive: stop before a step that, going by the slowest step so far in this
        // slice, would carry the slice past its budget.
        let mut slowest_step: f64 = 0.0;
        let mut stepped = false;
        while !progress.done {
            let before_step = now_ms();
            if stepped && before_step - start + slowest_step > budget_ms {
                break;
            }
            progress = m.step(STEP);
            stepped = true;
            slowest_step = slowest_step.max(now_ms() - before_step);
        }
        Some(Update {
            generation: self.generation,
            progress,
            findings: (progress.runs_done != before).then(|| m.findings().clone()),
            slice_ms: now_ms() - start,
            codecs: Vec::new(),
        })
    }
}
