//! The engine as a whole: determinism, fates, acks semantics, min.insync.replicas and
//! the named scenarios.

use producer_sim::engine::config::{Acks, KeyDistribution, SimConfig};
use producer_sim::engine::fault::ScheduledFault;
use producer_sim::engine::scenario::{self, SCENARIOS};
use producer_sim::engine::{run, run_with_faults, SimTime, Simulation};

fn config(records: u64, rate: f64) -> SimConfig {
    let mut c = SimConfig::default();
    c.workload.records = records;
    c.workload.rate = rate;
    c
}

#[test]
fn same_seed_same_run() {
    let c = config(20_000, 0.0);
    let a = run(&c, 7).unwrap();
    let b = run(&c, 7).unwrap();
    assert_eq!(a, b);
    let other = run(&c, 8).unwrap();
    assert_ne!(a.digest, other.digest, "the seed drives the workload");
}

#[test]
fn every_record_is_acknowledged_on_a_healthy_cluster() {
    let s = run(&config(20_000, 0.0), 1).unwrap();
    assert_eq!(s.records_sent, 20_000);
    assert_eq!(s.records_acked, 20_000);
    assert_eq!(s.fates.acked_durable, 20_000);
    assert_eq!(s.fates.total(), s.records_sent);
    assert!(s.metrics.batch_size_avg > 1000.0, "{:?}", s.metrics);
    assert!(s.records_per_sec > 0.0);
}

#[test]
fn acks_latency_ordering() {
    // At a moderate rate, acks=0 completes on send, acks=1 after the leader's append,
    // acks=all after the followers' next fetch: three distinct latency levels.
    let p50 = |acks: Acks| {
        let mut c = config(5_000, 1_000.0);
        c.producer.acks = acks;
        c.producer.enable_idempotence = Some(acks == Acks::All);
        run(&c, 3).unwrap().latency.p50_ms
    };
    let (zero, one, all) = (p50(Acks::Zero), p50(Acks::One), p50(Acks::All));
    assert!(
        zero < one && one < all,
        "acks=0 {zero} acks=1 {one} acks=all {all}"
    );
}

#[test]
fn not_enough_replicas_when_isr_is_too_small() {
    // min.insync.replicas above the replication factor: every acks=all write is refused
    // with NOT_ENOUGH_REPLICAS, retried, and finally fails at delivery.timeout.ms.
    let mut c = config(200, 100.0);
    c.topic.replication_factor = 2;
    c.topic.min_insync_replicas = 3;
    c.producer.delivery_timeout_ms = 3_000;
    c.producer.request_timeout_ms = 1_000;
    let mut sim = Simulation::new(c, 1).unwrap();
    sim.record_events(true);
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(600_000));
    let events = sim.drain_events();
    assert!(events.iter().any(|e| matches!(
        e.kind,
        producer_sim::engine::event::EventKind::Retry {
            error: producer_sim::engine::event::KafkaError::NotEnoughReplicas,
            ..
        }
    )));
    let s = sim.summary();
    assert_eq!(s.records_acked, 0);
    assert_eq!(s.fates.failed, 200);
}

#[test]
fn keyed_records_land_on_their_murmur2_partition() {
    let mut c = config(2_000, 0.0);
    c.workload.keys = KeyDistribution::List(vec!["kafka".into()]);
    c.topic.partitions = 6;
    let mut sim = Simulation::new(c, 1).unwrap();
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(600_000));
    let expected = producer_sim::engine::partitioner::key_partition(b"kafka", 6).partition;
    for p in 0..6 {
        let records: u64 = sim.committed_log(p).iter().map(|e| e.records as u64).sum();
        assert_eq!(
            records,
            if p == expected { 2_000 } else { 0 },
            "partition {p}"
        );
    }
}

fn run_scenario(name: &str) -> producer_sim::engine::RunSummary {
    let s = scenario::find(name).unwrap();
    s.run(&s.config().unwrap(), 42).unwrap()
}

#[test]
fn scenarios_all_build_and_fates_add_up() {
    for s in SCENARIOS {
        let summary = s.run(&s.config().unwrap(), 42).unwrap();
        assert_eq!(summary.fates.total(), summary.records_sent, "{}", s.name);
        assert_eq!(summary.records_sent, 4000, "{}", s.name);
    }
}

#[test]
fn scenario_acks1_leader_crash_loses_acknowledged_records() {
    let s = run_scenario("acks1-leader-crash");
    assert!(s.fates.acked_lost > 0, "{:?}", s.fates);
}

#[test]
fn scenario_acks_all_broker_crash_loses_nothing() {
    let s = run_scenario("acks-all-broker-crash");
    assert_eq!(s.fates.acked_lost, 0, "{:?}", s.fates);
    assert_eq!(s.fates.acked_durable, 4000, "{:?}", s.fates);
}

#[test]
fn scenario_min_isr_1_loses_despite_acks_all() {
    let s = run_scenario("min-isr-1-lone-leader");
    assert!(s.fates.acked_lost > 0, "{:?}", s.fates);
}

#[test]
fn scenario_two_brokers_down_refuses_but_loses_nothing() {
    let s = run_scenario("min-isr-2-two-brokers-down");
    assert!(s.fates.failed > 0, "{:?}", s.fates);
    assert_eq!(s.fates.acked_lost, 0, "{:?}", s.fates);
}

#[test]
fn scenario_timed_out_retries_duplicate_only_without_idempotence() {
    let dup = run_scenario("timeout-retry-duplicates");
    assert!(dup.fates.duplicated > 0, "{:?}", dup.fates);
    let idem = run_scenario("timeout-retry-idempotent");
    assert_eq!(idem.fates.duplicated, 0, "{:?}", idem.fates);
    assert_eq!(idem.fates.acked_lost, 0, "{:?}", idem.fates);
}

#[test]
fn scenario_retries_reorder_only_without_idempotence() {
    let re = run_scenario("retries-reorder");
    assert!(re.fates.reordered > 0, "{:?}", re.fates);
    let idem = run_scenario("retries-idempotent-order");
    assert_eq!(
        idem.fates.reordered + idem.fates.duplicated,
        0,
        "{:?}",
        idem.fates
    );
}

#[test]
fn scenario_unclean_election_trades_data_for_availability() {
    let off = run_scenario("unclean-election-off");
    let on = run_scenario("unclean-election-on");
    assert_eq!(off.fates.acked_lost, 0, "{:?}", off.fates);
    assert!(off.fates.failed > 0, "{:?}", off.fates);
    assert!(on.fates.acked_lost > 0, "{:?}", on.fates);
    assert!(
        on.fates.failed < off.fates.failed,
        "on {:?} off {:?}",
        on.fates,
        off.fates
    );
}

#[test]
fn crash_and_restart_keep_offsets_contiguous() {
    let mut c = config(6_000, 2_000.0);
    c.producer.acks = Acks::One;
    let faults: Vec<ScheduledFault> = ["crash:broker=1@1s", "restart:broker=1@12s"]
        .iter()
        .map(|f| f.parse().unwrap())
        .collect();
    let mut sim = Simulation::new(c.clone(), 9).unwrap();
    for f in &faults {
        sim.inject(*f);
    }
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(600_000));
    sim.advance_to(SimTime::from_ms(13_000));
    for p in 0..3 {
        let log = sim.committed_log(p);
        for w in log.windows(2) {
            assert_eq!(w[0].base_offset + w[0].records as u64, w[1].base_offset);
        }
        assert!(log.first().is_none_or(|e| e.base_offset == 0));
    }
    let s = run_with_faults(&c, 9, &faults).unwrap();
    assert_eq!(s.fates.total(), s.records_sent);
}

/// Runs of consecutive records on the same partition, for a keyless workload.
fn keyless_runs(rate: f64) -> (Vec<u32>, Vec<u32>) {
    let mut c = config(30_000, rate);
    c.workload.keys = KeyDistribution::None;
    c.topic.partitions = 6;
    let mut sim = Simulation::new(c, 5).unwrap();
    sim.record_events(true);
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(600_000));
    let partitions: Vec<u32> = sim
        .drain_events()
        .into_iter()
        .filter_map(|e| match e.kind {
            producer_sim::engine::event::EventKind::RecordAppended { partition, .. } => {
                Some(partition)
            }
            _ => None,
        })
        .collect();
    assert_eq!(partitions.len(), 30_000);
    let mut runs = Vec::new();
    let mut run = 1u32;
    for w in partitions.windows(2) {
        if w[0] == w[1] {
            run += 1;
        } else {
            runs.push(run);
            run = 1;
        }
    }
    for p in 0..6 {
        let n = partitions.iter().filter(|&&x| x == p).count();
        assert!(n > 30_000 / 6 / 2, "partition {p} got {n} at rate {rate}");
    }
    (runs, partitions)
}

#[test]
fn keyless_records_stick_for_one_to_two_batches_then_spread() {
    // KIP-794 (BuiltInPartitioner.updatePartitionInfo): switch once batch.size bytes were
    // produced to the sticky partition and its batches are full or drained, and at the
    // latest after twice batch.size. A 200-byte JSON value with a null key is a 209-byte
    // record, so about 75 records make batch.size (16384) and 150 twice that.
    let record = 209.0;
    // The random pick may land on the same partition again, so a run can span several
    // stints; none is shorter than batch.size bytes.
    let median = |runs: &[u32]| {
        let mut r = runs[..runs.len() - 1].to_vec();
        r.sort_unstable();
        r[r.len() / 2] as f64
    };
    let (burst, _) = keyless_runs(0.0);
    assert!(
        burst[..burst.len() - 1]
            .iter()
            .all(|&r| r as f64 * record >= 16_384.0),
        "{burst:?}"
    );
    // Sent as fast as possible, nothing is drained between appends, so the 2x cap decides.
    let burst_median = median(&burst) * record;
    assert!(
        (16_384.0..=2.0 * 16_384.0 + 2.0 * record).contains(&burst_median),
        "{burst:?}"
    );
    // At a steady rate the sender drains the sticky batch every linger.ms, and the
    // partitioner switches soon after batch.size bytes (counting each small batch's
    // 61-byte header, so a little fewer record bytes).
    let (steady, _) = keyless_runs(2_000.0);
    let steady_median = median(&steady) * record;
    assert!(
        (0.9 * 16_384.0..1.3 * 16_384.0).contains(&steady_median),
        "{steady:?}"
    );
}

#[test]
fn compression_depends_on_the_data_and_the_codec() {
    use producer_sim::engine::config::{CompressionType, ValueProfile};
    let rate = |codec: CompressionType, profile: ValueProfile| {
        let mut c = config(20_000, 0.0);
        c.producer.compression_type = codec;
        c.workload.value_profile = profile;
        run(&c, 1).unwrap().metrics.compression_rate_avg
    };
    let json_lz4 = rate(CompressionType::Lz4, ValueProfile::Json);
    let random_lz4 = rate(CompressionType::Lz4, ValueProfile::Random);
    let text_lz4 = rate(CompressionType::Lz4, ValueProfile::RepeatedText);
    assert!(
        text_lz4 < json_lz4 && json_lz4 < random_lz4,
        "{text_lz4} {json_lz4} {random_lz4}"
    );
    assert!(
        random_lz4 > 0.95,
        "random bytes do not compress: {random_lz4}"
    );
    let json_gzip = rate(CompressionType::Gzip, ValueProfile::Json);
    assert!(json_gzip < json_lz4, "gzip {json_gzip} vs lz4 {json_lz4}");
    assert_eq!(rate(CompressionType::None, ValueProfile::Json), 1.0);
}

#[test]
fn isr_shrinking_under_a_waiting_acks_all_write_is_not_enough_replicas_after_append() {
    // The followers stop fetching; acks=all writes wait for them until they leave the
    // ISR (replica.lag.time.max.ms), and then the ISR is below min.insync.replicas: the
    // waiting writes are answered NOT_ENOUGH_REPLICAS_AFTER_APPEND, later ones
    // NOT_ENOUGH_REPLICAS.
    use producer_sim::engine::event::{EventKind, KafkaError};
    let mut c = config(400, 200.0);
    c.topic.replica_lag_time_max_ms = 600;
    c.producer.delivery_timeout_ms = 4_000;
    c.producer.request_timeout_ms = 2_000;
    let mut sim = Simulation::new(c, 1).unwrap();
    sim.record_events(true);
    for f in [
        "cut-replication:broker=1@500ms",
        "cut-replication:broker=2@500ms",
    ] {
        sim.inject(f.parse().unwrap());
    }
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(600_000));
    let errors: Vec<KafkaError> = sim
        .drain_events()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Retry { error, .. } | EventKind::BatchFailed { error, .. } => Some(error),
            _ => None,
        })
        .collect();
    assert!(
        errors.contains(&KafkaError::NotEnoughReplicasAfterAppend),
        "{errors:?}"
    );
    assert!(
        errors.contains(&KafkaError::NotEnoughReplicas),
        "{errors:?}"
    );
    let s = sim.summary();
    assert_eq!(s.fates.acked_lost, 0);
}
