//! Invariants over many random configurations and fault schedules. The generator is
//! seeded, so a failure reproduces; proptest prints the shrunk case.

use producer_sim::engine::config::{Acks, CompressionType, KeyDistribution, SimConfig};
use producer_sim::engine::fault::{Fault, ScheduledFault};
use producer_sim::engine::{SimTime, Simulation};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

#[derive(Clone, Debug)]
struct Case {
    config: SimConfig,
    faults: Vec<ScheduledFault>,
    seed: u64,
}

fn config_strategy() -> impl Strategy<Value = SimConfig> {
    (
        (1u32..=4, 1u32..=5, 1u32..=3, 1u32..=3),
        (
            0u8..3,
            prop_oneof![Just(None), Just(Some(true)), Just(Some(false))],
        ),
        (
            0u64..=20,
            prop_oneof![Just(0u32), Just(600), Just(16_384)],
            1u32..=5,
        ),
        (0u8..3, any::<bool>(), any::<bool>()),
        (20u64..=150, 500.0f64..4000.0),
    )
        .prop_map(
            |(
                (brokers, partitions, rf, min_isr),
                (acks, idempotence),
                (linger, batch, in_flight),
                (codec, unclean, keyed),
                (records, rate),
            )| {
                let mut c = SimConfig::default();
                c.cluster.brokers = brokers;
                c.topic.partitions = partitions;
                c.topic.replication_factor = rf.min(brokers);
                c.topic.min_insync_replicas = min_isr;
                c.topic.unclean_leader_election_enable = unclean;
                c.topic.replica_lag_time_max_ms = 400;
                c.topic.replica_fetch_wait_max_ms = 100;
                c.topic.broker_session_timeout_ms = 300;
                c.producer.acks = [Acks::Zero, Acks::One, Acks::All][acks as usize];
                c.producer.enable_idempotence = idempotence;
                c.producer.linger_ms = linger;
                c.producer.batch_size = batch;
                c.producer.max_in_flight_requests_per_connection = in_flight;
                c.producer.compression_type = [
                    CompressionType::None,
                    CompressionType::Lz4,
                    CompressionType::Gzip,
                ][codec as usize];
                c.producer.request_timeout_ms = 300;
                c.producer.delivery_timeout_ms = 3_000;
                c.workload.records = records;
                c.workload.rate = rate;
                c.workload.keys = if keyed {
                    KeyDistribution::Uniform { count: 20 }
                } else {
                    KeyDistribution::None
                };
                c
            },
        )
}

fn fault_strategy() -> impl Strategy<Value = (u8, u32, u64)> {
    (0u8..8, 0u32..4, 0u64..1500)
}

fn to_fault((kind, broker, at_ms): (u8, u32, u64), brokers: u32) -> ScheduledFault {
    let broker = broker % brokers;
    let fault = match kind {
        0 => Fault::Crash { broker },
        1 => Fault::Restart { broker },
        2 => Fault::Slow {
            broker,
            extra_ms: 30.0,
        },
        3 => Fault::Pause { broker, ms: 400.0 },
        4 => Fault::CutProducerLink { broker },
        5 => Fault::HealProducerLink { broker },
        6 => Fault::CutReplication { broker },
        _ => Fault::HealReplication { broker },
    };
    ScheduledFault {
        at: SimTime::from_ms(at_ms),
        fault,
    }
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        config_strategy(),
        proptest::collection::vec(fault_strategy(), 0..5),
        any::<u64>(),
    )
        .prop_filter("Kafka would refuse this config", |(c, _, _)| {
            c.validate().is_ok()
        })
        .prop_map(|(config, raw, seed)| {
            let brokers = config.cluster.brokers;
            let mut faults: Vec<ScheduledFault> =
                raw.into_iter().map(|f| to_fault(f, brokers)).collect();
            // Every broker comes back in the end, so the run can finish.
            for b in 0..brokers {
                faults.push(ScheduledFault {
                    at: SimTime::from_ms(2_000),
                    fault: Fault::Restart { broker: b },
                });
                faults.push(ScheduledFault {
                    at: SimTime::from_ms(2_000),
                    fault: Fault::HealProducerLink { broker: b },
                });
                faults.push(ScheduledFault {
                    at: SimTime::from_ms(2_000),
                    fault: Fault::HealReplication { broker: b },
                });
            }
            Case {
                config,
                faults,
                seed,
            }
        })
}

fn run_case(case: &Case) -> Simulation {
    let mut sim = Simulation::new(case.config.clone(), case.seed).expect("validated");
    for f in &case.faults {
        sim.inject(*f);
    }
    sim.start_workload();
    // Mid-run, through the faults, the running counts equal a fresh reading of the logs.
    for ms in [150, 450, 900, 1_300, 2_100] {
        sim.advance_to(SimTime::from_ms(ms));
        assert_eq!(sim.fates(), sim.fates_from_logs(), "at {ms} ms");
    }
    sim.run_until_idle(SimTime::from_ms(600_000));
    sim.advance_to(SimTime::from_ms(3_000));
    sim.run_until_idle(SimTime::from_ms(600_000));
    sim
}

/// At least 1,000 cases per property (PROPTEST_CASES raises it), each a small workload so
/// that the three properties take well under a minute on two cores.
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
        .max(1_000);
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x006b_6166_6b61),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fates_add_up_and_logs_stay_contiguous(case in case_strategy()) {
        let sim = run_case(&case);
        let fates = sim.fates();
        prop_assert_eq!(fates, sim.fates_from_logs(), "running counts = a fresh reading");
        prop_assert_eq!(fates.total(), case.config.workload.records);
        let report = sim.report();
        prop_assert_eq!(
            report.summary.records_acked,
            fates.acked_durable + fates.acked_lost + fates.acked_uncommitted
                + fates.duplicated + fates.reordered
        );
        for p in &report.partitions {
            prop_assert!(p.high_watermark <= p.log_end_offset, "{:?}", p);
        }
        prop_assert_eq!(fates.in_flight, 0, "every record resolves: {:?}", fates);
        for p in 0..case.config.topic.partitions {
            let log = sim.committed_log(p);
            if let Some(first) = log.first() {
                prop_assert_eq!(first.base_offset, 0);
            }
            for w in log.windows(2) {
                prop_assert_eq!(w[0].base_offset + w[0].records as u64, w[1].base_offset);
            }
        }
    }

    #[test]
    fn idempotence_keeps_order_and_never_duplicates(case in case_strategy()) {
        let mut case = case;
        case.config.producer.enable_idempotence = Some(true);
        case.config.producer.acks = Acks::All;
        case.config.topic.unclean_leader_election_enable = false;
        prop_assume!(case.config.validate().is_ok());
        let fates = run_case(&case).fates();
        prop_assert_eq!(fates.duplicated, 0, "{:?}", fates);
        prop_assert_eq!(fates.reordered, 0, "{:?}", fates);
    }

    #[test]
    fn acks_all_with_two_in_sync_replicas_loses_nothing_acknowledged(
        case in case_strategy(),
        crash in (0u32..4, 100u64..1200, 200u64..1500),
    ) {
        // acks=all, min.insync.replicas >= 2, no unclean election, at most one broker
        // down at a time (a crash and its restart), no other faults.
        let mut case = case;
        let brokers = case.config.cluster.brokers.max(3);
        case.config.cluster.brokers = brokers;
        case.config.topic.replication_factor = 3;
        case.config.topic.min_insync_replicas = 2;
        case.config.producer.acks = Acks::All;
        case.config.topic.unclean_leader_election_enable = false;
        prop_assume!(case.config.validate().is_ok());
        let (broker, at, down_for) = crash;
        let broker = broker % brokers;
        case.faults = vec![
            ScheduledFault { at: SimTime::from_ms(at), fault: Fault::Crash { broker } },
            ScheduledFault { at: SimTime::from_ms(at + down_for), fault: Fault::Restart { broker } },
        ];
        let fates = run_case(&case).fates();
        prop_assert_eq!(fates.acked_lost, 0, "{:?}", fates);
        prop_assert_eq!(fates.acked_uncommitted, 0, "{:?}", fates);
    }
}
