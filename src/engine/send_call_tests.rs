//! kafkajs's send() calls in the whole world: a call's failed batches retry together
//! (`producer/send_call.rs`), and a call's retrier state goes once its batches are done.

use super::clients::Client;
use super::config::{KeyDistribution, PartitionerClass};
use super::event::{EventKind, KafkaError};
use super::sim::Action;
use super::{SimConfig, SimDuration, SimTime, Simulation};

/// One send() of 2 keyless messages to 2 partitions led by one broker; its request is
/// answered with NOT_LEADER_OR_FOLLOWER for the second partition only. Returns the
/// batches that are retried, and the batch that got the error.
fn retried_after_one_partition_error(client: Client) -> (Vec<u64>, u64) {
    let mut c = SimConfig::for_client(client);
    c.workload.records = 2;
    c.workload.keys = KeyDistribution::None;
    c.topic.partitions = 2;
    c.cluster.brokers = 1;
    c.topic.replication_factor = 1;
    c.topic.min_insync_replicas = 1;
    if client == Client::Java {
        c.producer.partitioner_class = PartitionerClass::RoundRobin;
    } else {
        c.workload.messages_per_send = 2;
    }
    let mut sim = Simulation::new(c, 5).unwrap();
    sim.record_events(true);
    sim.start_workload();
    let mut sent = None;
    while sent.is_none() && sim.now() < SimTime::from_ms(100) {
        sim.advance_to(sim.now() + SimDuration(1));
        sent = sim.drain_events().into_iter().find_map(|e| match e.kind {
            EventKind::RequestSent {
                request, batches, ..
            } => Some((request, batches)),
            _ => None,
        });
    }
    let (request, batches) = sent.expect("a request");
    assert_eq!(batches.len(), 2, "one request, a batch per partition");
    let now = sim.now();
    let results = vec![
        (batches[0].1, Ok(0)),
        (batches[1].1, Err(KafkaError::NotLeaderOrFollower)),
    ];
    let conn = sim.producer.connections[0].id;
    sim.schedule(
        now,
        Action::ProduceResponse {
            request,
            broker: 0,
            conn,
            answered: now,
            results,
        },
    );
    sim.advance_to(now + SimDuration(1));
    let mut retried: Vec<u64> = sim
        .drain_events()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Retry { batch, .. } => Some(batch),
            _ => None,
        })
        .collect();
    retried.sort_unstable();
    (retried, batches[1].1)
}

#[test]
fn a_partition_error_fails_the_whole_kafkajs_request() {
    // kafkajs's produce response parse throws on the first partition error, and the
    // call's retry sends both partitions again; Java retries the failed batch only.
    let (retried, _) = retried_after_one_partition_error(Client::Kafkajs);
    assert_eq!(retried, [0, 1]);
    let (retried, failed) = retried_after_one_partition_error(Client::Java);
    assert_eq!(retried, [failed]);
}

#[test]
fn a_finished_calls_retrier_state_is_dropped() {
    let mut c = SimConfig::for_client(Client::Kafkajs);
    c.workload.records = 40;
    c.workload.messages_per_send = 4;
    c.topic.broker_session_timeout_ms = 2_000;
    let mut sim = Simulation::new(c, 3).unwrap();
    sim.inject(crate::engine::fault::ScheduledFault {
        at: SimTime::ZERO,
        fault: crate::engine::fault::Fault::Crash { broker: 0 },
    });
    sim.start_workload();
    sim.advance_to(SimTime::from_ms(200));
    assert_ne!(sim.producer.send_calls.len(), 0, "calls to broker 0 failed");
    sim.run_until_idle(SimTime::from_ms(600_000));
    assert_eq!(sim.producer.send_calls.len(), 0);
}
