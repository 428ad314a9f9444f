//! Named scenarios: the classic producer lessons as data (settings and a fault
//! schedule); the outcome is whatever the engine computes.

use super::clients::Client;
use super::config::{ConfigError, SimConfig};
use super::fault::{FaultParseError, ScheduledFault};
use super::sim::{run_with_faults, RunSummary};

/// One named scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub name: &'static str,
    pub title: &'static str,
    /// What it shows, in a sentence or two.
    pub lesson: &'static str,
    /// Settings on top of the defaults, by Kafka name.
    pub settings: &'static [(&'static str, &'static str)],
    /// Faults in `--fault` syntax.
    pub faults: &'static [&'static str],
}

/// The seed a scenario runs with: on the page, and on the command line without `--seed`,
/// so both show the same run.
pub const SEED: u64 = 42;

/// A small, steady workload every scenario shares, so the timing of faults is easy to
/// follow: 2,000 records/s of 200-byte JSON values with 100 distinct keys.
const WORKLOAD: [(&str, &str); 3] = [
    ("workload.records", "4000"),
    ("workload.rate", "2000"),
    ("workload.keys", "uniform:100"),
];

/// Both followers stop fetching and leave the ISR; then the leader dies; then `$later`.
macro_rules! lone_leader_dies {
    ($($later:expr),*) => {
        &[
            "cut-replication:broker=1@200ms",
            "cut-replication:broker=2@200ms",
            "crash:broker=0@1500ms",
            "heal-replication:broker=1@1600ms",
            "heal-replication:broker=2@1600ms",
            $($later),*
        ]
    };
}

/// A 1.5 s stall on a leader: longer than the scenarios' request.timeout.ms.
const BROKER_STALLS: &[&str] = &["pause:broker=0,ms=1500@1s"];

/// Both followers stop fetching for 0.8 s: partition 0's leader (broker 0) drops them
/// from its ISR, then they catch up and rejoin.
const ISR_DIP: &[&str] = &[
    "cut-replication:broker=1@1s",
    "cut-replication:broker=2@1s",
    "heal-replication:broker=1@1800ms",
    "heal-replication:broker=2@1800ms",
];

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "acks1-leader-crash",
        title: "acks=1: the leader crashes before its followers copy the data",
        lesson: "With acks=1 the leader answers as soon as it has appended. When it dies, a \
                 follower that had not fetched the newest records becomes leader, and \
                 records the producer saw acknowledged are gone.",
        settings: &[("acks", "1"), ("broker.replication.latency.ms", "50")],
        faults: &["crash:broker=0@1s", "restart:broker=0@12s"],
    },
    Scenario {
        name: "acks-all-broker-crash",
        title: "acks=all, replication.factor 3, min.insync.replicas 2: one broker crashes",
        lesson: "acks=all waits until every in-sync replica has the records, so whichever \
                 replica is elected already has everything acknowledged: nothing \
                 acknowledged is lost, writes only pause while the controller notices.",
        settings: &[
            ("acks", "all"),
            ("min.insync.replicas", "2"),
            ("broker.replication.latency.ms", "50"),
        ],
        faults: &["crash:broker=0@1s", "restart:broker=0@12s"],
    },
    Scenario {
        name: "min-isr-1-lone-leader",
        title: "acks=all with min.insync.replicas 1: the ISR shrinks to the leader, then it dies",
        lesson: "acks=all means 'all of the current ISR'. Once the followers fall out of the \
                 ISR, min.insync.replicas=1 lets the leader acknowledge alone; when it dies \
                 and a lagging replica takes over (unclean election here), those \
                 acknowledged records are lost despite acks=all. The new leader has never \
                 seen them, so the idempotent producer gets OUT_OF_ORDER_SEQUENCE_NUMBER \
                 once, bumps its epoch and starts its sequences again at 0 (KIP-360).",
        settings: &[
            ("acks", "all"),
            ("min.insync.replicas", "1"),
            ("replica.lag.time.max.ms", "500"),
            ("unclean.leader.election.enable", "true"),
        ],
        faults: lone_leader_dies!(),
    },
    Scenario {
        name: "min-isr-2-two-brokers-down",
        title: "min.insync.replicas 2 with two of three brokers down",
        lesson: "With too few in-sync replicas the leader refuses acks=all writes with \
                 NOT_ENOUGH_REPLICAS. Writes it had already appended wait for a high \
                 watermark that no longer moves below min.insync.replicas (Kafka 3.7+) and \
                 time out. The producer retries until delivery.timeout.ms, then the \
                 application sees the error: unavailable, but nothing acknowledged is lost.",
        settings: &[
            ("acks", "all"),
            ("min.insync.replicas", "2"),
            ("request.timeout.ms", "5000"),
            ("delivery.timeout.ms", "15000"),
        ],
        faults: &["crash:broker=1@500ms", "crash:broker=2@500ms"],
    },
    Scenario {
        name: "timeout-retry-duplicates",
        title: "Retries without idempotence after a timed-out request: duplicates",
        lesson: "A broker stalls for 1.5 s (a long GC pause). The producer gives up on its \
                 requests after request.timeout.ms and sends the batches again; when the \
                 broker resumes it appends both the originals and the retries, and without \
                 idempotence every retried batch is in the log twice.",
        settings: &[
            ("enable.idempotence", "false"),
            ("request.timeout.ms", "1000"),
            ("delivery.timeout.ms", "30000"),
        ],
        faults: BROKER_STALLS,
    },
    Scenario {
        name: "timeout-retry-idempotent",
        title: "The same stall with enable.idempotence=true: no duplicates",
        lesson: "The idempotent producer numbers each partition's batches; the broker \
                 recognises the resent batch by its sequence number and answers with the \
                 original offset instead of appending it again.",
        settings: &[
            ("enable.idempotence", "true"),
            ("request.timeout.ms", "1000"),
            ("delivery.timeout.ms", "30000"),
        ],
        faults: BROKER_STALLS,
    },
    Scenario {
        name: "retries-reorder",
        title: "max.in.flight 5 with retries and no idempotence: reordering",
        lesson: "Both followers of partition 0 stop fetching for 0.8 s. After \
                 replica.lag.time.max.ms (200 ms here) the leader drops them from the ISR, \
                 and with acks=all and min.insync.replicas 2 it refuses new batches with \
                 NOT_ENOUGH_REPLICAS, a retriable error. Without idempotence a refused batch \
                 goes back to the front of its partition's queue, so batches refused one \
                 after another line up in reverse; once the followers rejoin they are \
                 appended in that order, after records sent later. (linger.ms 100 keeps \
                 the requests few, so those waiting at the leader for the stalled \
                 followers do not take all 5 in-flight slots.)",
        settings: &[
            ("acks", "all"),
            ("min.insync.replicas", "2"),
            ("enable.idempotence", "false"),
            ("max.in.flight.requests.per.connection", "5"),
            ("linger.ms", "100"),
            ("replica.lag.time.max.ms", "200"),
            // Kafka requires it to be at most replica.lag.time.max.ms.
            ("replica.fetch.wait.max.ms", "200"),
        ],
        faults: ISR_DIP,
    },
    Scenario {
        name: "retries-idempotent-order",
        title: "The same ISR dip with idempotence: order kept",
        lesson: "With idempotence every batch carries a sequence number. A refused batch \
                 is put back in sequence order and sent again only once it is the first of \
                 its partition's sequences in flight, and the batches behind it wait, so the \
                 log keeps the order records were sent in. A later batch that reached the \
                 leader first would be refused with OUT_OF_ORDER_SEQUENCE_NUMBER and sent \
                 again in order.",
        settings: &[
            ("acks", "all"),
            ("min.insync.replicas", "2"),
            ("enable.idempotence", "true"),
            ("max.in.flight.requests.per.connection", "5"),
            ("linger.ms", "100"),
            ("replica.lag.time.max.ms", "200"),
            ("replica.fetch.wait.max.ms", "200"),
        ],
        faults: ISR_DIP,
    },
    Scenario {
        name: "unclean-election-off",
        title: "Followers fall behind, the leader dies, unclean election off",
        lesson: "With unclean.leader.election.enable=false no out-of-sync replica may lead: \
                 the partition stays offline until the old leader returns, and sends to it \
                 fail after delivery.timeout.ms. Availability is lost, data is not: the \
                 acks=1 records the lone leader took sit above its high watermark, which \
                 stops while the ISR is below min.insync.replicas (Kafka 3.7+), so they are \
                 acknowledged but not committed until that leader returns (at 18 s here) \
                 and its followers copy them.",
        settings: &[
            ("acks", "1"),
            // The simulator's default too; named because the lesson depends on it.
            ("min.insync.replicas", "2"),
            ("replica.lag.time.max.ms", "500"),
            ("unclean.leader.election.enable", "false"),
            ("request.timeout.ms", "5000"),
            ("delivery.timeout.ms", "15000"),
        ],
        // The old leader returns after the producer's delivery.timeout.ms.
        faults: lone_leader_dies!("restart:broker=0@18s"),
    },
    Scenario {
        name: "unclean-election-on",
        title: "The same failure with unclean election on",
        lesson: "With unclean.leader.election.enable=true a lagging replica becomes leader \
                 at once: the partition is available again, but everything only the old \
                 leader had, acknowledged or not, is truncated away.",
        settings: &[
            ("acks", "1"),
            ("replica.lag.time.max.ms", "500"),
            ("unclean.leader.election.enable", "true"),
            ("request.timeout.ms", "5000"),
            ("delivery.timeout.ms", "15000"),
        ],
        faults: lone_leader_dies!(),
    },
];

/// Why a scenario could not be built.
#[derive(Debug)]
pub enum ScenarioError {
    Config(ConfigError),
    Fault(FaultParseError),
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScenarioError::Config(e) => e.fmt(f),
            ScenarioError::Fault(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// `word` as one shell word: quoted only when it needs to be.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._:=/,+-".contains(c);
    if word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

/// A setting whose value differs from the scenario's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Departure {
    pub key: &'static str,
    /// The value the scenario runs with.
    pub scenario: String,
    /// The value in the config compared.
    pub chosen: String,
}

impl Scenario {
    /// Every setting the scenario changes from Kafka's defaults, by Kafka name: the
    /// shared workload, then its own.
    pub fn changes(&self) -> impl Iterator<Item = (&'static str, &'static str)> {
        WORKLOAD.iter().chain(self.settings.iter()).copied()
    }

    /// The defaults, the shared workload, then this scenario's settings.
    pub fn config(&self) -> Result<SimConfig, ScenarioError> {
        let config = self.config_for(SimConfig::default().producer.client)?;
        config.validate().map_err(ScenarioError::Config)?;
        Ok(config)
    }

    /// The scenario run by another client: that client's defaults, the shared workload,
    /// then this scenario's settings (not validated: the caller may change more).
    pub fn config_for(&self, client: Client) -> Result<SimConfig, ScenarioError> {
        let mut config = SimConfig::for_client(client);
        for (k, v) in self.changes() {
            config.set(k, v).map_err(ScenarioError::Config)?;
        }
        Ok(config)
    }

    /// Where `config` differs from this scenario run by `config`'s client, setting by
    /// setting in the declared order: empty when a run of `config` is the scenario's run.
    pub fn departures(&self, config: &SimConfig) -> Result<Vec<Departure>, ScenarioError> {
        let own = self.config_for(config.producer.client)?;
        Ok(SimConfig::keys()
            .iter()
            .filter_map(|&key| {
                let scenario = own.get(key).unwrap_or_default();
                let chosen = config.get(key).unwrap_or_default();
                (scenario != chosen).then_some(Departure {
                    key,
                    scenario,
                    chosen,
                })
            })
            .collect())
    }

    /// The command line that runs `config` as this scenario: `--set` for each
    /// departure, so the reader can compare the page with the CLI.
    pub fn command_line(&self, config: &SimConfig) -> Result<String, ScenarioError> {
        let mut line = format!("producer-sim simulate --scenario {}", self.name);
        let client = config.producer.client;
        if client != SimConfig::default().producer.client {
            line.push_str(&format!(" --client {}", client.name()));
        }
        for d in self.departures(config)? {
            line.push_str(&format!(
                " --set {}",
                shell_word(&format!("{}={}", d.key, d.chosen))
            ));
        }
        Ok(line)
    }

    pub fn faults(&self) -> Result<Vec<ScheduledFault>, ScenarioError> {
        self.faults
            .iter()
            .map(|f| f.parse().map_err(ScenarioError::Fault))
            .collect()
    }

    /// Runs the scenario with `config` (normally `self.config()` plus any overrides).
    pub fn run(&self, config: &SimConfig, seed: u64) -> Result<RunSummary, ScenarioError> {
        run_with_faults(config, seed, &self.faults()?).map_err(ScenarioError::Config)
    }
}

#[cfg(test)]
mod tests {
    use super::{find, Departure, SCENARIOS};

    #[test]
    fn a_scenarios_own_config_departs_from_nothing() {
        for s in SCENARIOS {
            let config = s.config().expect("valid scenario");
            assert_eq!(
                s.departures(&config).expect("valid"),
                Vec::new(),
                "{}",
                s.name
            );
            assert_eq!(
                s.command_line(&config).expect("valid"),
                format!("producer-sim simulate --scenario {}", s.name)
            );
        }
    }

    #[test]
    fn every_setting_a_scenario_changes_is_listed_and_applied() {
        let s = find("retries-reorder").expect("known");
        let changes: Vec<_> = s.changes().map(|(k, _)| k).collect();
        assert_eq!(
            changes,
            [
                "workload.records",
                "workload.rate",
                "workload.keys",
                "acks",
                "min.insync.replicas",
                "enable.idempotence",
                "max.in.flight.requests.per.connection",
                "linger.ms",
                "replica.lag.time.max.ms",
                "replica.fetch.wait.max.ms"
            ]
        );
        // Each listed change is what the scenario's config runs with.
        for s in SCENARIOS {
            let config = s.config().expect("valid");
            for (key, value) in s.changes() {
                assert_eq!(config.get(key).as_deref(), Some(value), "{}: {key}", s.name);
            }
        }
    }

    #[test]
    fn departures_name_the_setting_both_values_and_the_matching_command_line() {
        let s = find("unclean-election-off").expect("known");
        let mut config = s.config().expect("valid");
        config.set("acks", "all").expect("valid");
        config.set("min.insync.replicas", "1").expect("valid");
        let departures = s.departures(&config).expect("valid");
        assert_eq!(
            departures,
            vec![
                Departure {
                    key: "acks",
                    scenario: "1".into(),
                    chosen: "all".into()
                },
                Departure {
                    key: "min.insync.replicas",
                    scenario: "2".into(),
                    chosen: "1".into()
                },
            ]
        );
        let line = s.command_line(&config).expect("valid");
        assert_eq!(
            line,
            "producer-sim simulate --scenario unclean-election-off --set acks=all --set min.insync.replicas=1"
        );
        // The --set values, applied as the CLI applies them, give the same config back.
        let mut rebuilt = s.config().expect("valid");
        for d in &departures {
            rebuilt.set(d.key, &d.chosen).expect("valid");
        }
        assert!(s.departures(&rebuilt).expect("valid").len() == 2);
        assert_eq!(rebuilt.to_properties(), config.to_properties());
    }
}
