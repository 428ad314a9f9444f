//! The engine as a whole: determinism, fates, acks semantics, min.insync.replicas and
//! the named scenarios.

use producer_sim::engine::config::{Acks, KeyDistribution, SimConfig};
use producer_sim::engine::fault::ScheduledFault;
use producer_sim::engine::scenario::{self, SCENARIOS};
use producer_sim::engine::{run, run_report, run_with_faults, SimDuration, SimTime, Simulation};

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
fn min_isr_above_the_replication_factor_is_capped() {
    // Partition.effectiveMinIsr (Kafka 3.7+): min(min.insync.replicas, replicas). With
    // replication.factor 2 and min.insync.replicas 3 a healthy partition takes acks=all
    // writes and commits them.
    let mut c = config(5_000, 0.0);
    c.topic.replication_factor = 2;
    c.topic.min_insync_replicas = 3;
    let r = run_report(&c, 1, &[]).unwrap();
    assert_eq!(r.summary.records_acked, 5_000);
    assert_eq!(r.summary.fates.acked_durable, 5_000);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    for p in &r.partitions {
        assert_eq!(p.isr.len(), 2);
        assert_eq!(p.high_watermark, p.log_end_offset);
    }
}

#[test]
fn acks1_to_a_lone_leader_is_acknowledged_but_never_committed() {
    // Partition.maybeIncrementLeaderHW returns early while the ISR is under min ISR
    // (KAFKA-15583): with both followers crashed, acks=1 records are acknowledged by the
    // leader and sit above a high watermark that no longer moves.
    let mut c = config(40_000, 2_000.0);
    c.topic.partitions = 1;
    c.producer.acks = Acks::One;
    let faults: Vec<ScheduledFault> = ["crash:broker=1@2s", "crash:broker=2@2s"]
        .iter()
        .map(|f| f.parse().unwrap())
        .collect();
    let r = run_report(&c, 1, &faults).unwrap();
    let f = r.summary.fates;
    assert_eq!(r.summary.records_acked, 40_000);
    assert_eq!(f.acked_lost, 0, "{f:?}");
    assert!(f.acked_uncommitted > 30_000, "{f:?}");
    assert_eq!(f.acked_durable + f.acked_uncommitted, 40_000, "{f:?}");
    let p = &r.partitions[0];
    assert_eq!((p.leader, p.isr.as_slice()), (Some(0), &[0][..]));
    assert_eq!(p.log_end_offset, 40_000);
    assert_eq!(p.high_watermark, f.acked_durable);
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
    // Refused with NOT_ENOUGH_REPLICAS, never appended: reordered, not duplicated.
    let re = run_scenario("retries-reorder");
    assert!(re.fates.reordered > 0, "{:?}", re.fates);
    assert_eq!(re.fates.duplicated + re.fates.failed, 0, "{:?}", re.fates);
    let idem = run_scenario("retries-idempotent-order");
    assert_eq!(
        idem.fates.reordered + idem.fates.duplicated + idem.fates.failed,
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
fn acks_all_writes_wait_and_time_out_while_the_isr_is_under_min_isr() {
    // The followers stop fetching. Waiting acks=all writes are not answered
    // NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrinks: the HW is frozen under min ISR,
    // so checkEnoughReplicasReachOffset never sees it pass them (that error needs the race
    // where the HW moved first). They time out (REQUEST_TIMED_OUT), and the retries and
    // later writes are refused with NOT_ENOUGH_REPLICAS (appendRecordsToLeader).
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
    assert!(errors.contains(&KafkaError::RequestTimedOut), "{errors:?}");
    assert!(
        errors.contains(&KafkaError::NotEnoughReplicas),
        "{errors:?}"
    );
    assert!(
        !errors.contains(&KafkaError::NotEnoughReplicasAfterAppend),
        "{errors:?}"
    );
    let r = sim.report();
    assert_eq!(r.summary.fates.acked_lost, 0);
    assert_eq!(r.errors.get("NOT_ENOUGH_REPLICAS_AFTER_APPEND"), None);
    assert!(r.errors["NOT_ENOUGH_REPLICAS"] > 0, "{:?}", r.errors);
}

#[test]
fn idempotent_producer_bumps_its_epoch_after_an_unclean_election() {
    // KIP-360: the unclean leader lacks batches the producer saw acknowledged, so the next
    // batch gets OUT_OF_ORDER_SEQUENCE_NUMBER; TransactionManager.canRetry sees it is the
    // batch right after the last acknowledged sequence and bumps the epoch, restarting
    // the partition's sequences at 0, which the leader accepts. Nothing fails.
    let s = scenario::find("min-isr-1-lone-leader").unwrap();
    let r = run_report(&s.config().unwrap(), 42, &s.faults().unwrap()).unwrap();
    assert!(
        r.errors.contains_key("OUT_OF_ORDER_SEQUENCE_NUMBER"),
        "{:?}",
        r.errors
    );
    assert_eq!(r.summary.fates.failed, 0, "{:?}", r.summary.fates);
    assert!(r.summary.fates.acked_lost > 0, "{:?}", r.summary.fates);
    assert_eq!(r.summary.records_acked, r.summary.records_sent);
}

/// A key Kafka's partitioner puts on `partition` of `partitions`.
fn key_on(partition: u32, partitions: u32) -> String {
    use producer_sim::engine::partitioner::key_partition;
    (0..1000)
        .map(|i| format!("k{i}"))
        .find(|k| key_partition(k.as_bytes(), partitions).partition == partition)
        .expect("one of 1,000 keys lands on each partition")
}

#[test]
fn a_drain_takes_every_partition_the_node_leads_lingering_or_not() {
    // RecordAccumulator.drainBatchesForOneNode: once a node is ready (here: a full batch on
    // one partition), the first batch of every partition it leads goes in the request,
    // even one still lingering. With 6 partitions on 3 brokers, partitions p and p + 3
    // share a leader.
    use producer_sim::engine::event::EventKind;
    let mut c = config(0, 0.0);
    c.topic.partitions = 6;
    c.producer.linger_ms = 10_000;
    c.producer.batch_size = 1_000;
    let key_for = |p: u32| key_on(p, 6);
    let (full, lingering) = (key_for(0), key_for(3));
    let mut sim = Simulation::new(c, 1).unwrap();
    sim.record_events(true);
    sim.send(Some(lingering.as_bytes()), 10).unwrap();
    for _ in 0..20 {
        sim.send(Some(full.as_bytes()), 100).unwrap();
    }
    sim.advance_to(SimTime::from_ms(50));
    let first_request = sim
        .drain_events()
        .into_iter()
        .find_map(|e| match e.kind {
            EventKind::RequestSent {
                broker, batches, ..
            } => Some((broker, batches)),
            _ => None,
        })
        .expect("a request went out before linger.ms");
    assert_eq!(first_request.0, 0);
    let partitions: Vec<u32> = first_request.1.iter().map(|&(p, _)| p).collect();
    assert!(
        partitions.contains(&0) && partitions.contains(&3),
        "{partitions:?}"
    );
}

#[test]
fn log_retention_bounds_the_logs_without_changing_any_outcome() {
    // Retention deletes old committed batches from every replica; the fate counts keep
    // what they had, so a run with a tiny retention ends exactly like one without.
    let mut c = config(60_000, 20_000.0);
    c.producer.acks = Acks::All;
    let run = |retained: usize| {
        let mut sim = Simulation::new(c.clone(), 5).unwrap();
        sim.set_retained_batches(retained);
        for f in ["crash:broker=1@700ms", "restart:broker=1@6s"] {
            sim.inject(f.parse().unwrap());
        }
        sim.start_workload();
        sim.run_until_idle(SimTime::from_ms(600_000));
        let longest = (0..3).map(|p| sim.committed_log(p).len()).max().unwrap();
        (sim.summary(), longest)
    };
    let (bounded, bounded_len) = run(8);
    let (full, full_len) = run(usize::MAX / 4);
    assert_eq!(bounded, full);
    assert!(
        bounded_len <= 16 && full_len > 100,
        "{bounded_len} {full_len}"
    );
}

#[test]
fn the_next_drain_starts_at_the_partition_the_last_one_looked_at_last() {
    // drainBatchesForOneNode saves the index of the partition it looked at last
    // (updateDrainIndex before moving on): after a full round over partitions 0, 3 and 6
    // of broker 0 the next drain starts at partition 6, not one past where it began.
    use producer_sim::engine::event::EventKind;
    let mut c = config(0, 0.0);
    c.topic.partitions = 9;
    c.producer.linger_ms = 10_000;
    c.producer.batch_size = 1_000;
    let key_for = |p: u32| key_on(p, 9);
    let mut sim = Simulation::new(c, 1).unwrap();
    sim.record_events(true);
    let fill = |sim: &mut Simulation, p: u32| {
        let key = key_for(p);
        for _ in 0..12 {
            sim.send(Some(key.as_bytes()), 100).unwrap();
        }
    };
    let requests = |sim: &mut Simulation| -> Vec<Vec<u32>> {
        sim.drain_events()
            .into_iter()
            .filter_map(|e| match e.kind {
                EventKind::RequestSent {
                    broker: 0, batches, ..
                } => Some(batches.iter().map(|&(p, _)| p).collect()),
                _ => None,
            })
            .collect()
    };
    // The first send() waits for the metadata; the first request waits for a connection
    // to broker 0 (at most two round trips more).
    for p in [0, 3, 6] {
        fill(&mut sim, p);
    }
    let now = sim.now();
    sim.advance_to(now + SimDuration::from_ms(3));
    let first = requests(&mut sim);
    assert_eq!(
        first.first().map(|r| r[..3].to_vec()),
        Some(vec![0, 3, 6]),
        "{first:?}"
    );
    for p in [3, 6] {
        fill(&mut sim, p);
    }
    let now = sim.now();
    sim.advance_to(now + SimDuration::from_ms(1));
    let second = requests(&mut sim);
    // (Partition 0's second, still open batch goes too: drained whether ready or not.)
    assert_eq!(second.first().cloned(), Some(vec![6, 0, 3]), "{second:?}");
}

#[test]
fn a_send_blocked_on_buffer_memory_fails_after_max_block_ms() {
    // BufferPool.allocate: send() waits for memory up to max.block.ms, then throws. The
    // brokers become unreachable once the producer has its metadata (three round trips),
    // so no memory frees up; each blocked send() fails exactly max.block.ms after it
    // started waiting, and the next one waits again.
    let mut c = config(2_000, 0.0);
    c.producer.buffer_memory = 64 * 1024;
    c.producer.max_block_ms = 500;
    let r = {
        let mut sim = Simulation::new(c, 3).unwrap();
        for b in 0..3 {
            sim.inject(format!("cut-producer:broker={b}@10ms").parse().unwrap());
        }
        sim.start_workload();
        sim.advance_to(SimTime::from_ms(1_600));
        sim.report()
    };
    assert_eq!(
        r.errors.get("TimeoutException (max.block.ms)"),
        Some(&3),
        "{:?}",
        r.errors
    );
    assert_eq!(r.summary.fates.failed, 3, "{:?}", r.summary.fates);
}
