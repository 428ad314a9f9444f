//! A simulation that runs alongside the wall clock for the animated sections.
//!
//! The engine runs `lookahead` of simulated time ahead of what is shown, so a movement's
//! end (a batch reaching its leader, a response coming back) is known when it starts.
//! The application here sends records at a steady pace with keys in turn, like a small
//! service calling `send()`.

use super::flow::{Scene, Timeline};
use crate::engine::config::ConfigError;
use crate::engine::fault::{Fault, ScheduledFault};
use crate::engine::sim::ClusterView;
use crate::engine::time::{SimDuration, SimTime};
use crate::engine::{SimConfig, Simulation};
use std::collections::VecDeque;

/// How the application calls `send()`.
#[derive(Clone, Debug, PartialEq)]
pub struct SendPlan {
    /// Simulated time between two sends.
    pub interval: SimDuration,
    /// Keys used in turn (`None` = a null key).
    pub keys: Vec<Option<String>>,
}

/// How many past cluster views are kept to show the one matching the shown instant.
const VIEWS_KEPT: usize = 240;
/// How long finished batches stay in the timeline after they are done.
const KEEP_AFTER_DONE: SimDuration = SimDuration(50_000);

/// The engine plus what has been shown of it.
pub struct LiveSim {
    sim: Simulation,
    plan: SendPlan,
    next_send: SimTime,
    next_key: usize,
    shown: SimTime,
    lookahead: SimDuration,
    timeline: Timeline,
    views: VecDeque<ClusterView>,
}

impl LiveSim {
    /// Builds the world; fails (with the engine's message) on a refused config.
    pub fn new(config: SimConfig, seed: u64, plan: SendPlan) -> Result<Self, ConfigError> {
        let rtt = SimDuration::from_ms_f64(config.cluster.network_rtt_ms);
        let travel = SimDuration(rtt.as_us() / 2);
        // Long enough to know a request's arrival and its response before drawing the
        // trip, short enough that a fault the reader injects shows soon.
        let lookahead = SimDuration((rtt.as_us() * 2).max(1_000));
        let mut sim = Simulation::new(config, seed)?;
        sim.record_events(true);
        let mut live = LiveSim {
            sim,
            plan,
            next_send: SimTime::ZERO,
            next_key: 0,
            shown: SimTime::ZERO,
            lookahead,
            timeline: Timeline::new(travel),
            views: VecDeque::new(),
        };
        live.run_engine();
        Ok(live)
    }

    pub fn config(&self) -> &SimConfig {
        self.sim.config()
    }

    /// The instant on screen.
    pub fn shown(&self) -> SimTime {
        self.shown
    }

    /// Moves the shown instant on by `by` and runs the engine to keep ahead of it.
    pub fn advance(&mut self, by: SimDuration) {
        self.shown += by;
        self.run_engine();
    }

    /// Applies a fault now. The engine runs a little ahead of the screen, so it shows
    /// once the shown instant reaches the engine's (`lead_time`).
    pub fn apply_fault(&mut self, fault: Fault) {
        self.sim.apply_fault(fault);
        self.collect();
    }

    /// Schedules faults at their simulated times (a scenario's schedule).
    pub fn inject(&mut self, faults: &[ScheduledFault]) {
        for fault in faults {
            self.sim.inject(*fault);
        }
    }

    /// How far the engine runs ahead of what is shown.
    pub fn lead_time(&self) -> SimDuration {
        self.sim.now() - self.shown
    }

    fn run_engine(&mut self) {
        let target = self.shown + self.lookahead;
        let value_len = self.sim.config().workload.value_size;
        if !self.plan.keys.is_empty() && self.plan.interval.as_us() > 0 {
            while self.next_send <= target {
                self.sim.advance_to(self.next_send);
                let key = self.plan.keys[self.next_key % self.plan.keys.len()].clone();
                self.next_key = self.next_key.wrapping_add(1);
                // A refused send() (e.g. buffer.memory exhausted) shows up in the events.
                let _ = self.sim.send(key.as_deref().map(str::as_bytes), value_len);
                self.next_send += self.plan.interval;
            }
        }
        self.sim.advance_to(target);
        self.collect();
    }

    fn collect(&mut self) {
        self.timeline.ingest(self.sim.drain_events());
        self.views.push_back(self.sim.view());
        while self.views.len() > VIEWS_KEPT {
            self.views.pop_front();
        }
        let horizon = SimTime(self.shown.0.saturating_sub(KEEP_AFTER_DONE.as_us()));
        self.timeline.prune(horizon);
    }

    /// The cluster as it was at the shown instant (the newest view not after it).
    pub fn view(&self) -> Option<&ClusterView> {
        self.views
            .iter()
            .rev()
            .find(|v| v.now <= self.shown)
            .or_else(|| self.views.front())
    }

    /// Everything to draw at the shown instant.
    pub fn scene(&self) -> Scene {
        self.timeline
            .scene_at(self.shown, self.sim.config().topic.partitions)
    }
}
