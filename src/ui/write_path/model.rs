//! The write path's state and what the reader can do to it, as a plain type: the
//! component only draws a `WriteFrame` and forwards clicks here. No browser calls.

use super::broker_menu::BrokerAction;
use crate::engine::fault::ScheduledFault;
use crate::engine::scenario::{self, Scenario};
use crate::engine::sim::ClusterView;
use crate::engine::time::{SimDuration, SimTime};
use crate::engine::SimConfig;
use crate::ui::flow::Scene;
use crate::ui::live_sim::{LiveSim, SendPlan};

/// The write path draws a three-partition topic on the page's cluster settings.
pub const PARTITIONS: u32 = 3;
const SEED: u64 = 794;
/// The longest wall-clock gap one animation frame plays (a tab in the background).
const MAX_FRAME_MS: f64 = 100.0;
/// Simulated time the Skip button jumps over (without drawing it).
pub const SKIP: SimDuration = SimDuration(10_000_000);
/// Where "Skip to" a scheduled fault stops: this long before it, so the reader sees it.
const BEFORE_FAULT: SimDuration = SimDuration(1_000);
/// Simulated time played before the first frame, so the picture starts with traffic.
const WARM_UP: SimDuration = SimDuration(6_000);

/// How fast simulated time runs, in simulated milliseconds per wall-clock second.
/// Kafka's own timeouts are long (retry.backoff.ms 100, broker.session.timeout.ms 9000,
/// replica.lag.time.max.ms 30000), so the faster speeds and Skip are there to reach them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    Slow,
    Normal,
    Fast,
    VeryFast,
}

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::Slow, Speed::Normal, Speed::Fast, Speed::VeryFast];

    pub fn sim_ms_per_second(self) -> f64 {
        match self {
            Speed::Slow => 0.5,
            Speed::Normal => 2.0,
            Speed::Fast => 10.0,
            Speed::VeryFast => 200.0,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Speed::Slow => "slow",
            Speed::Normal => "normal",
            Speed::Fast => "fast",
            Speed::VeryFast => "very-fast",
        }
    }
    pub fn label(self) -> String {
        let name = match self {
            Speed::Slow => "Slow",
            Speed::Normal => "Normal",
            Speed::Fast => "Fast",
            Speed::VeryFast => "Very fast",
        };
        format!("{name} ({} ms per second)", self.sim_ms_per_second())
    }
    pub fn parse(s: &str) -> Self {
        Speed::ALL
            .into_iter()
            .find(|speed| speed.as_str() == s)
            .unwrap_or(Speed::Normal)
    }
}

/// What one frame draws: the timeline's scene and the cluster, at the same instant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WriteFrame {
    pub scene: Scene,
    pub view: Option<ClusterView>,
}

fn write_path_config(page: &SimConfig) -> SimConfig {
    let mut config = page.clone();
    config.topic.partitions = PARTITIONS;
    config
}

/// A scenario's run on the page: the page's settings (the scenario's, unless the reader
/// departed from them) with the scenario's workload, so that without departures it is the
/// run `producer-sim simulate --scenario NAME` makes.
pub fn scenario_config(page: &SimConfig, scenario: &Scenario) -> SimConfig {
    let mut config = write_path_config(page);
    for (key, value) in scenario
        .changes()
        .filter(|(k, _)| k.starts_with("workload."))
    {
        // The workload's values are the scenario's own and always valid.
        let _ = config.set(key, value);
    }
    config
}

fn send_plan() -> SendPlan {
    SendPlan {
        interval: SimDuration::from_ms_f64(0.6),
        keys: ["user-42", "order-7", "user-17", "cart-3"]
            .into_iter()
            .map(|k| Some(k.to_string()))
            .collect(),
    }
}

/// The engine's own application sends instead (`LiveSim::start_workload`).
fn no_sends() -> SendPlan {
    SendPlan {
        interval: SimDuration::ZERO,
        keys: Vec::new(),
    }
}

/// The write path's world: the engine at the instant on screen, the scenario's
/// schedule, and the engine's refusal if the settings are refused.
pub struct WritePathModel {
    live: Result<LiveSim, String>,
    faults: Vec<ScheduledFault>,
}

impl WritePathModel {
    /// A new world for the page's settings: without a scenario, an application sending
    /// steadily until the reader breaks something; with one, the scenario's workload, seed
    /// and fault schedule, exactly as the command line runs it.
    pub fn new(page: &SimConfig, scenario: Option<&Scenario>) -> Self {
        let faults = scenario.and_then(|s| s.faults().ok()).unwrap_or_default();
        let live = match scenario {
            None => LiveSim::new(write_path_config(page), SEED, send_plan()),
            Some(s) => LiveSim::new(scenario_config(page, s), scenario::SEED, no_sends()).map(
                |mut live| {
                    live.start_workload();
                    live
                },
            ),
        }
        .map(|mut live| {
            live.inject(&faults);
            live.advance(WARM_UP);
            live
        })
        .map_err(|e| e.to_string());
        WritePathModel { live, faults }
    }

    /// The engine's message when it refused the settings.
    pub fn error(&self) -> Option<&str> {
        self.live.as_ref().err().map(String::as_str)
    }

    /// The instant on screen (zero without a world).
    pub fn now(&self) -> SimTime {
        self.live.as_ref().map_or(SimTime::ZERO, LiveSim::shown)
    }

    /// What to draw now.
    pub fn frame(&self) -> WriteFrame {
        match &self.live {
            Ok(l) => WriteFrame {
                scene: l.scene(),
                view: Some(l.view().clone()),
            },
            Err(_) => WriteFrame::default(),
        }
    }

    /// Plays `wall_ms` of wall-clock time at `speed` (an animation frame).
    pub fn play(&mut self, wall_ms: f64, speed: Speed) {
        let wall_ms = wall_ms.clamp(0.0, MAX_FRAME_MS);
        let by = SimDuration::from_ms_f64(wall_ms * speed.sim_ms_per_second() / 1000.0);
        self.advance(by);
    }

    /// Moves on by `by` of simulated time.
    pub fn advance(&mut self, by: SimDuration) {
        if let Ok(l) = &mut self.live {
            l.advance(by);
        }
    }

    /// Moves on to the next thing that happens (Step).
    pub fn step(&mut self) {
        if let Ok(l) = &mut self.live {
            l.step_to_next_event();
        }
    }

    /// The next scheduled fault the picture has not reached yet.
    pub fn next_fault(&self) -> Option<ScheduledFault> {
        let now = self.now();
        self.faults.iter().find(|f| f.at > now).copied()
    }

    /// Moves on to just before the next scheduled fault.
    pub fn skip_to_next_fault(&mut self) {
        if let Some(fault) = self.next_fault() {
            let target = SimTime(fault.at.0.saturating_sub(BEFORE_FAULT.as_us()));
            let by = target.since(self.now().min(target));
            self.advance(by);
        }
    }

    /// Applies a broker action at the instant on screen; says what happened.
    pub fn broker_action(&mut self, action: BrokerAction, broker: u32) -> String {
        match &mut self.live {
            Ok(l) => {
                l.apply_fault(action.fault(broker));
                format!(
                    "{} at {:.2} ms of simulated time.",
                    action.label(broker),
                    l.shown().as_ms_f64()
                )
            }
            Err(_) => "The simulation is not running.".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{scenario_config, Speed, WritePathModel, SKIP};
    use crate::engine::config::Acks;
    use crate::engine::fault::{Fault, ScheduledFault};
    use crate::engine::scenario::{self, find, SCENARIOS};
    use crate::engine::time::SimTime;
    use crate::engine::SimConfig;
    use crate::ui::write_path::broker_menu::BrokerAction;

    fn acks_one() -> SimConfig {
        let mut config = SimConfig::default();
        config.producer.acks = Acks::One;
        config.producer.enable_idempotence = Some(false);
        config
    }

    #[test]
    fn skip_while_paused_moves_the_diagram_and_every_counter_together() {
        let mut model = WritePathModel::new(&acks_one(), None);
        let before = model.frame();
        model.advance(SKIP);
        let frame = model.frame();
        let view = frame.view.as_ref().expect("a world");
        assert_eq!(frame.scene.now, model.now());
        assert_eq!(view.now, model.now());
        assert!(frame.scene.totals.records_sent > before.scene.totals.records_sent);
        assert_eq!(frame.scene.totals.records_sent, view.records_sent);
        // The committed count and the diagram's high watermarks moved with the skip.
        let hw: u64 = view.partitions.iter().map(|p| p.high_watermark).sum();
        let before_hw: u64 = before
            .view
            .as_ref()
            .expect("a world")
            .partitions
            .iter()
            .map(|p| p.high_watermark)
            .sum();
        assert!(hw > before_hw + 10_000, "{before_hw} -> {hw}");
        assert_eq!(view.fates.acked_durable, hw);
    }

    #[test]
    fn step_moves_to_the_next_event() {
        let mut model = WritePathModel::new(&acks_one(), None);
        let before = model.now();
        model.step();
        let after = model.now();
        assert!(after > before);
        // Nothing happens in between: the step is at most one send interval (0.6 ms).
        assert!(
            after.since(before).as_us() <= 600,
            "{before:?} -> {after:?}"
        );
    }

    #[test]
    fn a_crash_takes_effect_at_the_instant_on_screen() {
        let mut model = WritePathModel::new(&acks_one(), None);
        let now = model.now();
        let message = model.broker_action(BrokerAction::Crash, 2);
        assert_eq!(
            message,
            format!(
                "Crash broker 2 at {:.2} ms of simulated time.",
                now.as_ms_f64()
            )
        );
        let frame = model.frame();
        assert!(!frame.view.expect("a world").brokers[2].alive);
        assert!(frame
            .scene
            .incidents
            .iter()
            .any(|(t, text)| *t == now && text == "Broker 2 crashed."));
    }

    /// Whether a request or response of the producer's link to broker 0 waits on it.
    fn held_at_broker_0(model: &WritePathModel) -> bool {
        use crate::ui::flow::Stage;
        model.frame().scene.batches.iter().any(|b| {
            matches!(
                b.stage,
                Stage::ToLeader { broker: 0, progress }
                    | Stage::Response { broker: 0, progress, .. } if progress == 0.9
            )
        })
    }

    #[test]
    fn a_cut_link_holds_what_crosses_it_until_tcp_retransmits_it() {
        let mut model = WritePathModel::new(&acks_one(), None);
        // Past the bootstrap: the producer writes to every leader.
        model.advance(crate::engine::time::SimDuration::from_ms(30));
        let message = model.broker_action(BrokerAction::CutLink, 0);
        assert!(message.starts_with("Cut the producer's link to broker 0 at"));
        model.advance(crate::engine::time::SimDuration::from_ms(20));
        assert!(model.frame().view.expect("a world").brokers[0].producer_link_cut);
        assert!(held_at_broker_0(&model), "requests wait on the cut link");
        model.broker_action(BrokerAction::HealLink, 0);
        model.advance(crate::engine::time::SimDuration::from_ms(199));
        assert!(
            held_at_broker_0(&model),
            "until TCP's retransmission timeout"
        );
        model.advance(crate::engine::time::SimDuration::from_ms(2));
        assert!(!held_at_broker_0(&model));
    }

    #[test]
    fn skip_to_a_scheduled_fault_stops_just_before_it() {
        let scenario = find("acks1-leader-crash").expect("known");
        let fault = ScheduledFault {
            at: SimTime(1_000_000),
            fault: Fault::Crash { broker: 0 },
        };
        let page = scenario.config().expect("valid");
        let mut model = WritePathModel::new(&page, Some(scenario));
        assert_eq!(model.next_fault(), Some(fault));
        model.skip_to_next_fault();
        assert_eq!(model.now(), SimTime(999_000));
        assert!(model.frame().view.expect("a world").brokers[0].alive);
        model.advance(crate::engine::time::SimDuration(1_000));
        assert_ne!(model.next_fault(), Some(fault));
        assert!(!model.frame().view.expect("a world").brokers[0].alive);
    }

    #[test]
    fn every_scenario_ends_on_the_page_as_on_the_command_line() {
        for s in SCENARIOS {
            let page = s.config().expect("valid");
            let run = scenario_config(&page, s);
            let cli = s
                .run(&s.config().expect("valid"), scenario::SEED)
                .expect("runs");
            let mut model = WritePathModel::new(&page, Some(s));
            // Every scenario's last fault and last delivery are within 20 s.
            model.advance(SKIP);
            model.advance(SKIP);
            let frame = model.frame();
            let view = frame.view.expect("a world");
            assert_eq!(s.departures(&run).expect("valid"), Vec::new(), "{}", s.name);
            assert_eq!(view.records_sent, cli.records_sent, "{}", s.name);
            assert_eq!(
                frame.scene.totals.records_acked, cli.records_acked,
                "{}",
                s.name
            );
            assert_eq!(
                frame.scene.totals.records_failed, cli.records_failed,
                "{}",
                s.name
            );
            assert_eq!(view.fates, cli.fates, "{}", s.name);
        }
    }

    #[test]
    fn a_refused_config_is_an_error_not_a_panic() {
        let mut config = acks_one();
        config.topic.replication_factor = 0;
        let mut model = WritePathModel::new(&config, None);
        assert!(model.error().is_some());
        model.play(16.0, Speed::Fast);
        model.step();
        assert_eq!(model.frame(), super::WriteFrame::default());
    }
}
