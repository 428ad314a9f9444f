//! kafkajs produces per `send()` call (`src/producer/sendMessages.js`): a call's messages
//! are partitioned, grouped per partition (`groupMessagesPerPartition.js`) and per leader
//! broker, and sent at once, one produce request per broker with one batch per partition;
//! no batch holds messages of two calls; a failed call retries as a whole
//! (`src/retry/index.js`).

use producer_sim::engine::clients::Client;
use producer_sim::engine::config::KeyDistribution;
use producer_sim::engine::event::{Event, EventKind};
use producer_sim::engine::fault::{Fault, ScheduledFault};
use producer_sim::engine::{SimConfig, SimTime, Simulation};
use std::collections::{BTreeMap, BTreeSet};

/// A kafkajs run of `records` keyless messages in calls of `per_send`, over `partitions`
/// partitions on as many brokers.
fn kafkajs(records: u64, per_send: u32, partitions: u32) -> SimConfig {
    let mut c = SimConfig::for_client(Client::Kafkajs);
    c.workload.records = records;
    c.workload.messages_per_send = per_send;
    c.workload.keys = KeyDistribution::None;
    c.topic.partitions = partitions;
    c.cluster.brokers = partitions.max(2);
    c.topic.replication_factor = 1;
    c.topic.min_insync_replicas = 1;
    c
}

fn run(c: SimConfig, faults: &[ScheduledFault]) -> (Simulation, Vec<Event>) {
    let mut sim = Simulation::new(c, 11).unwrap();
    for &f in faults {
        sim.inject(f);
    }
    sim.record_events(true);
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(600_000));
    let events = sim.drain_events();
    (sim, events)
}

/// Each record's batch, in the order the records were appended.
fn record_batches(events: &[Event]) -> Vec<u64> {
    events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::RecordAppended { batch, .. } => Some(batch),
            _ => None,
        })
        .collect()
}

/// Every produce request: (broker, its batches).
fn requests(events: &[Event]) -> Vec<(u32, Vec<u64>)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::RequestSent {
                broker, batches, ..
            } => Some((*broker, batches.iter().map(|&(_, b)| b).collect())),
            _ => None,
        })
        .collect()
}

#[test]
fn one_call_of_three_messages_to_two_partitions_on_two_brokers_is_two_requests_of_one_batch() {
    let (sim, events) = run(kafkajs(3, 3, 2), &[]);
    let leaders: BTreeSet<Option<u32>> =
        sim.partition_summaries().iter().map(|p| p.leader).collect();
    assert_eq!(leaders.len(), 2, "the two partitions have two leaders");
    // Round-robin: partitions a, b, a; so two batches, of 2 and 1 messages.
    let batches = record_batches(&events);
    assert_eq!(batches.len(), 3);
    assert_eq!(batches[0], batches[2]);
    assert_ne!(batches[0], batches[1]);
    let reqs = requests(&events);
    assert_eq!(reqs.len(), 2, "{reqs:?}");
    let brokers: BTreeSet<u32> = reqs.iter().map(|(b, _)| *b).collect();
    assert_eq!(brokers.len(), 2);
    assert!(reqs.iter().all(|(_, b)| b.len() == 1));
    // Sent at once: no linger. Each request leaves when the call's messages are in (once
    // the bootstrap's metadata came) or, to a broker not yet connected, the moment its
    // connection is ready.
    let appended = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::RecordAppended { .. }))
        .map(|e| e.time)
        .max()
        .unwrap();
    for e in &events {
        if let EventKind::RequestSent { broker, .. } = e.kind {
            let ready = events
                .iter()
                .find(|r| r.kind == EventKind::ConnectionReady { broker })
                .map(|r| r.time)
                .unwrap();
            assert_eq!(e.time, appended.max(ready), "{events:?}");
        }
    }
    assert_eq!(sim.fates().acked_durable, 3);
}

#[test]
fn one_call_to_one_broker_is_one_request_with_a_batch_per_partition() {
    // 4 partitions on 2 brokers: each broker leads 2, so a call of 8 messages is 2
    // requests of 2 batches (of 2 messages each).
    let mut c = kafkajs(8, 8, 4);
    c.cluster.brokers = 2;
    let (_, events) = run(c, &[]);
    let reqs = requests(&events);
    assert_eq!(reqs.len(), 2, "{reqs:?}");
    assert!(reqs.iter().all(|(_, b)| b.len() == 2), "{reqs:?}");
    let batches = record_batches(&events);
    let mut per_batch: BTreeMap<u64, u32> = BTreeMap::new();
    for b in batches {
        *per_batch.entry(b).or_default() += 1;
    }
    assert_eq!(per_batch.values().collect::<Vec<_>>(), [&2, &2, &2, &2]);
}

#[test]
fn two_calls_never_share_a_batch_or_a_request() {
    // Two calls of 3 at the same instant (rate 0): the Java client would put all 6 in
    // 2 batches; kafkajs makes 2 batches per call, and a request per call and broker.
    let (_, events) = run(kafkajs(6, 3, 2), &[]);
    let batches = record_batches(&events);
    let first: BTreeSet<u64> = batches[..3].iter().copied().collect();
    let second: BTreeSet<u64> = batches[3..].iter().copied().collect();
    assert_eq!(first.len(), 2);
    assert_eq!(second.len(), 2);
    assert!(first.is_disjoint(&second), "{batches:?}");
    for (_, reqs) in requests(&events) {
        let in_first = reqs.iter().filter(|b| first.contains(b)).count();
        assert!(in_first == 0 || in_first == reqs.len(), "{reqs:?}");
    }
    assert_eq!(requests(&events).len(), 4);

    let mut java = kafkajs(6, 1, 2);
    java.producer.client = Client::Java;
    java.producer.partitioner.clear();
    java.producer.partitioner_class = producer_sim::engine::config::PartitionerClass::RoundRobin;
    java.producer.linger_ms = 5;
    let (_, events) = run(java, &[]);
    let java_batches: BTreeSet<u64> = record_batches(&events).into_iter().collect();
    assert_eq!(java_batches.len(), 2, "Java batches across send() calls");
}

#[test]
fn messages_per_send_is_refused_for_a_client_that_batches_across_calls() {
    let mut c = SimConfig::for_client(Client::Librdkafka);
    c.set("workload.messages.per.send", "10").unwrap();
    let err = c.validate().unwrap_err();
    assert_eq!(err.key, "workload.messages.per.send");
    assert!(err.message.contains("Only kafkajs"), "{}", err.message);
    c.set("workload.messages.per.send", "1").unwrap();
    assert!(c.validate().is_ok());
    assert!(c.set("workload.messages.per.send", "0").is_err());
}

#[test]
fn a_calls_batches_for_a_broker_retry_together_after_one_wait() {
    // 4 partitions on 2 brokers; broker 0 (leading partitions 0 and 2) crashes before
    // the producer connects to it. The call's 2 batches for it fail together and retry
    // together, after the call's wait (one draw per call, not per batch).
    let mut c = kafkajs(4, 4, 4);
    c.cluster.brokers = 2;
    c.topic.replication_factor = 2;
    c.topic.min_insync_replicas = 1;
    c.topic.broker_session_timeout_ms = 30_000;
    let crash = ScheduledFault {
        at: SimTime::ZERO,
        fault: Fault::Crash { broker: 0 },
    };
    let (_, events) = run(c, &[crash]);
    let mut retries: BTreeMap<(SimTime, u64), Vec<u64>> = BTreeMap::new();
    for e in &events {
        if let EventKind::Retry {
            batch, backoff_ms, ..
        } = e.kind
        {
            retries.entry((e.time, backoff_ms)).or_default().push(batch);
        }
    }
    assert_eq!(retries.len(), 5, "{retries:?}");
    assert!(retries.values().all(|b| b.len() == 2), "{retries:?}");
    // The producer never connects to the crashed broker (its host refuses): no attempt
    // reaches a socket, and each fails the call's two batches together.
    assert!(requests(&events).iter().all(|(broker, _)| *broker != 0));
}

/// One send() call of 2 messages to 2 partitions (leaders: brokers 0 and 1, 3 replicas
/// each) while broker 0 is down, until the controller moves its leaderships after 30 s.
fn call_during_a_crash(client: Client) -> (Simulation, Vec<Event>) {
    let mut c = kafkajs(2, 2, 2);
    if client == Client::Java {
        c = SimConfig::for_client(Client::Java);
        c.workload.records = 2;
        c.workload.keys = KeyDistribution::None;
        c.topic.partitions = 2;
        c.producer.partitioner_class = producer_sim::engine::config::PartitionerClass::RoundRobin;
    }
    c.cluster.brokers = 3;
    c.topic.replication_factor = 3;
    c.topic.min_insync_replicas = 1;
    c.topic.broker_session_timeout_ms = 30_000;
    // Broker 0 leaves the ISR after 5 s, so acks=all writes to broker 1 complete then.
    c.topic.replica_lag_time_max_ms = 5_000;
    let crash = ScheduledFault {
        at: SimTime::ZERO,
        fault: Fault::Crash { broker: 0 },
    };
    run(c, &[crash])
}

#[test]
fn a_call_that_cannot_reach_a_leader_fails_after_five_retries() {
    // kafkajs: the request to broker 0 fails, and so does each retry's connection attempt
    // (KafkaJSConnectionError is retriable); after 5 retries, long before the new leader,
    // the call rejects. Its message to broker 1 was written.
    let (sim, events) = call_during_a_crash(Client::Kafkajs);
    let waits: Vec<u64> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Retry { backoff_ms, .. } => Some(backoff_ms),
            _ => None,
        })
        .collect();
    assert_eq!(waits.len(), 5, "{waits:?}");
    assert!((240..=360).contains(&waits[0]), "{waits:?}");
    for w in waits.windows(2) {
        // Each wait is twice a draw within ±20 % of the one before (rounded up).
        let (lo, hi) = (w[0] as f64 * 1.6, w[0] as f64 * 2.4 + 2.0);
        assert!(lo <= w[1] as f64 && w[1] as f64 <= hi, "{waits:?}");
    }
    let failed: Vec<SimTime> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::BatchFailed { .. }))
        .map(|e| e.time)
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0] < SimTime::from_ms(30_000), "{failed:?}");
    let fates = sim.fates();
    assert_eq!((fates.failed, fates.acked_durable), (1, 1), "{fates:?}");

    // Java waits for the new leader (delivery.timeout.ms is 120 s): both written.
    let (sim, _) = call_during_a_crash(Client::Java);
    let fates = sim.fates();
    assert_eq!((fates.failed, fates.acked_durable), (0, 2), "{fates:?}");
}

/// `producer-sim` with `args`: exit success, stdout, stderr.
fn cli(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_producer-sim"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_sends_several_messages_per_call_for_kafkajs_only() {
    // 3 partitions on 3 brokers: a call of 99 keyed messages is 3 requests of one batch
    // of about 33 messages.
    let (ok, out, err) = cli(&[
        "simulate",
        "--client",
        "kafkajs",
        "--records",
        "990",
        "--set",
        "workload.messages.per.send=99",
        "--json",
    ]);
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let per_request = json["metrics"]["records-per-request-avg"].as_f64().unwrap();
    assert!((per_request - 33.0).abs() < 1.0, "{per_request}");
    assert_eq!(json["records_acked"], 990);
    let (ok, out, _) = cli(&["simulate", "--client", "kafkajs", "--print-config"]);
    assert!(ok);
    assert!(out.contains("workload.messages.per.send=1"), "{out}");
    let (ok, _, err) = cli(&[
        "simulate",
        "--client",
        "sarama",
        "--set",
        "workload.messages.per.send=10",
    ]);
    assert!(!ok);
    assert!(
        err.contains("workload.messages.per.send: Only kafkajs batches per send() call"),
        "{err}"
    );
}
