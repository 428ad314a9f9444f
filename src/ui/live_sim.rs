//! A simulation that runs alongside the wall clock for the animated sections.
//!
//! The engine runs exactly to the instant on screen, never ahead: its cluster view, its
//! counters and the drawing describe the same instant, and a fault the reader triggers
//! happens at the moment shown. Movements still know where they end because each event
//! carries the time its movement ends (see `flow`). The application here sends records
//! at a steady pace with keys in turn, like a small service calling `send()`.

use super::flow::{Scene, Timeline};
use crate::engine::config::ConfigError;
use crate::engine::fault::{Fault, ScheduledFault};
use crate::engine::sim::ClusterView;
use crate::engine::time::{SimDuration, SimTime};
use crate::engine::{SimConfig, Simulation};

/// How the application calls `send()`.
#[derive(Clone, Debug, PartialEq)]
pub struct SendPlan {
    /// Simulated time between two sends.
    pub interval: SimDuration,
    /// Keys used in turn (`None` = a null key).
    pub keys: Vec<Option<String>>,
}

/// The engine plus what has been shown of it.
pub struct LiveSim {
    sim: Simulation,
    plan: SendPlan,
    next_send: SimTime,
    next_key: usize,
    /// Messages of the application's open send() call still to hand over.
    call_left: usize,
    timeline: Timeline,
    view: ClusterView,
}

impl LiveSim {
    /// Builds the world; fails (with the engine's message) on a refused config.
    pub fn new(config: SimConfig, seed: u64, plan: SendPlan) -> Result<Self, ConfigError> {
        let rtt = SimDuration::from_ms_f64(config.cluster.network_rtt_ms);
        let travel = SimDuration(rtt.as_us() / 2);
        let mut sim = Simulation::new(config, seed)?;
        sim.record_events(true);
        let view = sim.view();
        let mut live = LiveSim {
            sim,
            plan,
            next_send: SimTime::ZERO,
            next_key: 0,
            call_left: 0,
            timeline: Timeline::new(travel),
            view,
        };
        live.run_engine(SimTime::ZERO);
        Ok(live)
    }

    pub fn config(&self) -> &SimConfig {
        self.sim.config()
    }

    /// The instant on screen (the engine's own clock).
    pub fn shown(&self) -> SimTime {
        self.sim.now()
    }

    /// Moves the shown instant (and the engine with it) on by `by`.
    pub fn advance(&mut self, by: SimDuration) {
        self.run_engine(self.sim.now() + by);
    }

    /// When the next thing happens: the application's next `send()` or the engine's
    /// next scheduled action, whichever comes first.
    pub fn next_event(&self) -> SimTime {
        let sends = !self.plan.keys.is_empty() && self.plan.interval.as_us() > 0;
        let send = (sends && !self.sim.is_send_blocked()).then_some(self.next_send);
        match (send, self.sim.next_action_time()) {
            (Some(s), Some(a)) => s.min(a),
            (Some(s), None) => s,
            (None, Some(a)) => a,
            (None, None) => self.sim.now(),
        }
        .max(self.sim.now())
    }

    /// Moves on to the next event and runs it (and anything at the same instant).
    pub fn step_to_next_event(&mut self) {
        let next = self.next_event();
        self.run_engine(next);
    }

    /// Applies a fault at the instant on screen.
    pub fn apply_fault(&mut self, fault: Fault) {
        self.sim.apply_fault(fault);
        self.collect();
    }

    /// Lets the engine's own application send the configured workload, as a CLI run
    /// does (use with a plan without keys).
    pub fn start_workload(&mut self) {
        self.sim.start_workload();
    }

    /// Schedules faults at their simulated times (a scenario's schedule).
    pub fn inject(&mut self, faults: &[ScheduledFault]) {
        for fault in faults {
            self.sim.inject(*fault);
        }
    }

    fn run_engine(&mut self, target: SimTime) {
        let value_len = self.sim.config().workload.value_size;
        // kafkajs takes several messages per send() call (`workload.messages.per.send`):
        // a call of that many keys in turn, as often as the plan's pace allows.
        let per_call = self.sim.config().workload.messages_per_send.max(1) as usize;
        if !self.plan.keys.is_empty() && self.plan.interval.as_us() > 0 {
            while self.next_send <= target {
                self.sim.advance_to(self.next_send);
                if self.sim.is_send_blocked() {
                    // The application is inside a blocked send() (waiting for metadata or
                    // memory): it sends again only once that returns.
                    match self.sim.next_action_time() {
                        Some(t) if t <= target => {
                            self.next_send = t;
                            continue;
                        }
                        _ => break,
                    }
                }
                if self.call_left == 0 {
                    self.call_left = per_call;
                    self.sim.begin_send_call();
                }
                let key = self.plan.keys[self.next_key % self.plan.keys.len()].clone();
                self.next_key = self.next_key.wrapping_add(1);
                // A refused send() (e.g. buffer.memory exhausted) shows up in the events.
                let _ = self
                    .sim
                    .start_send(key.as_deref().map(str::as_bytes), value_len);
                self.call_left -= 1;
                if self.call_left == 0 {
                    self.sim.end_send_call();
                    self.next_send += SimDuration(self.plan.interval.as_us() * per_call as u64);
                }
            }
        }
        self.sim.advance_to(target);
        self.collect();
    }

    fn collect(&mut self) {
        self.timeline.ingest(self.sim.drain_events());
        self.view = self.sim.view();
        // Time only moves forward, so what finished before now is never drawn again.
        self.timeline.prune(self.sim.now());
    }

    /// The cluster at the shown instant.
    pub fn view(&self) -> &ClusterView {
        &self.view
    }

    /// Everything to draw at the shown instant.
    pub fn scene(&self) -> Scene {
        self.timeline
            .scene_at(self.sim.now(), self.sim.config().topic.partitions)
    }
}

#[cfg(test)]
mod tests {
    use super::{LiveSim, SendPlan};
    use crate::engine::fault::Fault;
    use crate::engine::time::{SimDuration, SimTime};
    use crate::engine::SimConfig;

    fn live() -> LiveSim {
        let plan = SendPlan {
            interval: SimDuration::from_ms_f64(0.6),
            keys: vec![Some("a".into()), None],
        };
        LiveSim::new(SimConfig::default(), 7, plan).expect("default config")
    }

    #[test]
    fn the_view_the_scene_and_the_counters_describe_the_shown_instant() {
        let mut l = live();
        l.advance(SimDuration::from_ms(10_000));
        assert_eq!(l.shown(), SimTime::ZERO + SimDuration::from_ms(10_000));
        assert_eq!(l.view().now, l.shown());
        let scene = l.scene();
        assert_eq!(scene.now, l.shown());
        assert_eq!(scene.totals.records_sent, l.view().records_sent);
    }

    #[test]
    fn a_fault_happens_at_the_shown_instant() {
        let mut l = live();
        l.advance(SimDuration::from_ms(5));
        let now = l.shown();
        l.apply_fault(Fault::Crash { broker: 1 });
        assert_eq!(l.shown(), now);
        assert!(!l.view().brokers[1].alive);
        assert!(l
            .scene()
            .incidents
            .iter()
            .any(|(t, text)| *t == now && text.contains("Broker 1 crashed")));
    }

    #[test]
    fn kafkajs_sends_the_configured_messages_per_send_call() {
        let mut config = SimConfig::for_client(crate::engine::clients::Client::Kafkajs);
        config.workload.messages_per_send = 4;
        let plan = SendPlan {
            interval: SimDuration::from_ms(1),
            keys: vec![None],
        };
        let mut l = LiveSim::new(config, 7, plan).expect("kafkajs config");
        // The first call's first message waits for the bootstrap's metadata; once it
        // returns, the call hands over the other 3 at that instant, and the next call of
        // 4 comes the plan's pace per message (4 ms) later.
        l.step_to_next_event();
        assert_eq!(l.view().records_sent, 1, "blocked on the topic's metadata");
        while l.view().records_sent < 4 {
            l.step_to_next_event();
        }
        assert_eq!(l.view().records_sent, 4);
        l.advance(SimDuration(3_999));
        assert_eq!(l.view().records_sent, 4);
        l.advance(SimDuration(1));
        assert_eq!(l.view().records_sent, 8);
    }

    #[test]
    fn step_moves_to_the_next_event_and_no_further() {
        let mut l = live();
        l.advance(SimDuration::from_ms(3));
        let next = l.next_event();
        assert!(
            next > l.shown(),
            "everything due at the shown instant has run"
        );
        l.step_to_next_event();
        assert_eq!(l.shown(), next);
    }
}
