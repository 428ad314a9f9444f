//! Deterministic replay: run two simulations side by side and find the simulated time at
//! which their event streams first differ.

use super::event::Event;
use super::sim::Simulation;
use super::time::{SimDuration, SimTime};

/// Where two runs part.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    /// The earlier of the two first differing events' times.
    pub at: SimTime,
    /// The n-th event (from 0) is the first that differs.
    pub event_index: u64,
    pub left: Option<Event>,
    pub right: Option<Event>,
}

/// Advances both runs to `until` in steps of `step`, comparing every event as it
/// happens. None: they agree throughout (same events, same times).
pub fn first_divergence(
    left: &mut Simulation,
    right: &mut Simulation,
    until: SimTime,
    step: SimDuration,
) -> Option<Divergence> {
    left.record_events(true);
    right.record_events(true);
    let step = step.max(SimDuration(1));
    let mut compared = 0u64;
    let mut t = left.now().min(right.now());
    loop {
        t = (t + step).min(until);
        left.advance_to(t);
        right.advance_to(t);
        let (a, b) = (left.drain_events(), right.drain_events());
        let n = a.len().max(b.len());
        for i in 0..n {
            let (l, r) = (a.get(i), b.get(i));
            if l != r {
                let at = match (l, r) {
                    (Some(l), Some(r)) => l.time.min(r.time),
                    (Some(e), None) | (None, Some(e)) => e.time,
                    (None, None) => t,
                };
                return Some(Divergence {
                    at,
                    event_index: compared + i as u64,
                    left: l.cloned(),
                    right: r.cloned(),
                });
            }
        }
        compared += n as u64;
        if t >= until {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::SimConfig;

    fn sim(seed: u64, crash_at_ms: Option<u64>) -> Simulation {
        let mut c = SimConfig::default();
        c.workload.records = 2_000;
        c.workload.rate = 2_000.0;
        let mut s = Simulation::new(c, seed).unwrap();
        if let Some(ms) = crash_at_ms {
            s.inject(format!("crash:broker=1@{ms}ms").parse().unwrap());
        }
        s.start_workload();
        s
    }

    #[test]
    fn identical_runs_never_diverge() {
        let (mut a, mut b) = (sim(7, Some(300)), sim(7, Some(300)));
        let until = SimTime::from_ms(3_000);
        assert_eq!(
            first_divergence(&mut a, &mut b, until, SimDuration::from_ms(50)),
            None
        );
    }

    #[test]
    fn a_fault_in_one_run_shows_where_they_part() {
        let (mut a, mut b) = (sim(7, None), sim(7, Some(420)));
        let d = first_divergence(
            &mut a,
            &mut b,
            SimTime::from_ms(3_000),
            SimDuration::from_ms(100),
        )
        .expect("they diverge");
        assert_eq!(d.at, SimTime::from_ms(420));
        assert!(d.event_index > 0);
    }

    #[test]
    fn another_seed_diverges_at_the_first_event() {
        // The seed picks the bootstrap broker (leastLoadedNode's random offset): the first
        // event, the first connection ready after its TCP and ApiVersions round trips.
        let (mut a, mut b) = (sim(7, None), sim(8, None));
        let d = first_divergence(
            &mut a,
            &mut b,
            SimTime::from_ms(1_000),
            SimDuration::from_ms(100),
        )
        .expect("the seed drives the bootstrap and the workload");
        let rtt = SimDuration::from_ms_f64(a.config().cluster.network_rtt_ms);
        assert_eq!(d.at, SimTime::ZERO + rtt + rtt);
        assert_eq!(d.event_index, 0);
    }
}
