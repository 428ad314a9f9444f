//! The producer's start, as Kafka's: it knows only its bootstrap servers, learns the
//! cluster from a metadata response, opens connections when it needs them (each checked
//! with an `ApiVersionsRequest`), and an idempotent producer drains nothing before an
//! `InitProducerIdRequest` gave it a producer id.

use super::config::Acks;
use super::event::{Event, EventKind, KafkaError};
use super::fault::Fault;
use super::network::RETRANSMISSION_DELAY;
use super::producer::ConnectionState;
use super::{SimConfig, SimDuration, SimTime, Simulation};

/// The default cluster's round trip (network.rtt.ms).
fn rtt(sim: &Simulation) -> SimDuration {
    SimDuration::from_ms_f64(sim.config().cluster.network_rtt_ms)
}

fn times(d: SimDuration, n: u64) -> SimDuration {
    SimDuration(d.0 * n)
}

/// A world sending 2,000 records/s, recording events, with `crashed` brokers down from
/// the start.
fn world(config: SimConfig, seed: u64, crashed: &[u32]) -> Simulation {
    let mut c = config;
    c.workload.rate = 2_000.0;
    let mut sim = Simulation::new(c, seed).expect("valid config");
    sim.record_events(true);
    for &broker in crashed {
        sim.apply_fault(Fault::Crash { broker });
    }
    sim
}

fn first(events: &[Event], what: impl Fn(&EventKind) -> bool) -> Option<&Event> {
    events.iter().find(|e| what(&e.kind))
}

#[test]
fn the_producer_starts_knowing_no_leader_and_connected_to_no_broker() {
    // Metadata.bootstrap: only the bootstrap addresses, needFullUpdate set; no connection.
    let sim = world(SimConfig::default(), 42, &[]);
    assert!(sim.producer.known_leaders.is_empty());
    assert!(sim.producer.metadata_refresh_pending);
    assert!(sim
        .producer
        .connections
        .iter()
        .all(|c| c.state == ConnectionState::Disconnected));
    assert_eq!(sim.producer.producer_id, None);
}

#[test]
fn the_bootstrap_connects_checks_api_versions_then_fetches_metadata() {
    // DefaultMetadataUpdater.maybeUpdate → leastLoadedNode (no connection yet: a node it
    // can connect to) → initiateConnect; handleConnections → ApiVersionsRequest; ready;
    // then the MetadataRequest: three round trips before the first leader is known.
    let mut c = SimConfig::default();
    c.workload.records = 10;
    let mut sim = world(c, 42, &[]);
    let rtt = rtt(&sim);
    sim.start_workload();
    let half = SimTime::ZERO + rtt + SimDuration(rtt.0 / 2);
    sim.advance_to(half);
    let checking: Vec<u32> = (0..3)
        .filter(|&b| sim.producer.connections[b as usize].state != ConnectionState::Disconnected)
        .collect();
    assert_eq!(checking.len(), 1, "one bootstrap broker at a time");
    let bootstrap = checking[0];
    assert_eq!(
        sim.producer.connections[bootstrap as usize].state,
        ConnectionState::CheckingApiVersions,
        "TCP connected after one round trip, API versions not yet answered"
    );
    // The application's send() waits for the topic's metadata meanwhile.
    assert!(sim.producer.is_waiting_on_metadata());
    sim.advance_to(SimTime::ZERO + times(rtt, 4));
    let events = sim.drain_events();
    let ready = first(&events, |k| matches!(k, EventKind::ConnectionReady { .. })).expect("ready");
    assert_eq!(ready.time, SimTime::ZERO + times(rtt, 2));
    assert_eq!(ready.kind, EventKind::ConnectionReady { broker: bootstrap });
    let metadata =
        first(&events, |k| matches!(k, EventKind::MetadataUpdated { .. })).expect("metadata");
    assert_eq!(metadata.time, SimTime::ZERO + times(rtt, 3));
    assert_eq!(sim.producer.known_leaders, sim.cluster.metadata().leaders);
    // The blocked send() went on when the metadata came, not before.
    let appended =
        first(&events, |k| matches!(k, EventKind::RecordAppended { .. })).expect("appended");
    assert_eq!(appended.time, metadata.time);
}

#[test]
fn the_bootstrap_broker_is_drawn_from_the_seeded_generator() {
    // leastLoadedNode starts at a random offset (randOffset): the world's generator.
    let bootstrap = |seed| {
        let mut sim = world(SimConfig::default(), seed, &[]);
        sim.advance_to(SimTime::from_ms(1));
        (0..3u32)
            .find(|&b| sim.producer.connections[b as usize].state != ConnectionState::Disconnected)
            .expect("one connecting")
    };
    let picks: Vec<u32> = (0..30).map(bootstrap).collect();
    assert_eq!(
        picks,
        (0..30).map(bootstrap).collect::<Vec<_>>(),
        "deterministic"
    );
    for b in 0..3 {
        assert!(
            picks.contains(&b),
            "every broker is a bootstrap server: {picks:?}"
        );
    }
}

#[test]
fn a_dead_bootstrap_broker_refuses_and_the_producer_tries_the_next() {
    // A refused connection puts the node in reconnect backoff; the next poll's
    // leastLoadedNode picks a node it can connect to (the least recently tried).
    let mut c = SimConfig::default();
    c.workload.records = 10;
    let mut sim = world(c, 42, &[0, 1]);
    sim.start_workload();
    sim.advance_to(SimTime::from_ms(50));
    let events = sim.drain_events();
    let ready: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ConnectionReady { .. }))
        .collect();
    assert_eq!(ready[0].kind, EventKind::ConnectionReady { broker: 2 });
    let metadata = first(&events, |k| matches!(k, EventKind::MetadataUpdated { .. }))
        .expect("metadata from the live broker");
    assert!(matches!(
        metadata.kind,
        EventKind::MetadataUpdated { broker: 2, .. }
    ));
    // At most two refusals (one round trip each) before broker 2.
    let rtt = rtt(&sim);
    assert!(
        ready[0].time <= SimTime::ZERO + times(rtt, 4),
        "{:?}",
        ready[0]
    );
    assert!((0..2).all(|b| sim.producer.connections[b].state != ConnectionState::Ready));
}

#[test]
fn send_waits_on_metadata_and_java_fails_it_after_max_block_ms() {
    // KafkaProducer.waitOnMetadata: with no broker answering, send() blocks max.block.ms,
    // then throws TimeoutException("Topic ... not present in metadata after ... ms").
    let mut c = SimConfig::default();
    c.producer.max_block_ms = 500;
    let mut sim = world(c, 42, &[0, 1, 2]);
    assert_eq!(
        sim.send(Some(b"k"), 100),
        Err(KafkaError::TopicNotInMetadata)
    );
    assert_eq!(
        sim.now(),
        SimTime::from_ms(500),
        "send() blocked max.block.ms"
    );
    let report = sim.report();
    assert_eq!(
        report.errors.get(KafkaError::TopicNotInMetadata.name()),
        Some(&1)
    );
    assert_eq!(report.summary.fates.failed, 1);
    assert_eq!(
        report.summary.duration_ms, 500.0,
        "the run lasted until send() threw"
    );
    // Another send() waits again, and goes on as soon as a broker answers.
    sim.apply_fault(Fault::Restart { broker: 1 });
    let before = sim.now();
    let choice = sim.send(Some(b"k"), 100).expect("metadata arrived");
    assert!(choice.partition() < 3);
    assert!(sim.now() > before && sim.now() < before + SimDuration::from_ms(500));
    assert!(sim.producer.known_leaders.iter().any(Option::is_some));
}

#[test]
fn other_clients_hold_the_record_until_metadata_comes() {
    // librdkafka queues it on the topic's unassigned partition (max.block.ms 0 is about
    // queue space), so it is not failed while the cluster is unreachable.
    let mut c = SimConfig::default();
    c.producer.client = super::clients::Client::Librdkafka;
    let mut sim = world(c, 42, &[0, 1, 2]);
    assert_eq!(sim.start_send(Some(b"k"), 100), Ok(None));
    assert!(sim.is_send_blocked());
    sim.advance_to(SimTime::from_ms(5_000));
    assert!(sim.is_send_blocked());
    assert_eq!(sim.fates().failed, 0);
    sim.apply_fault(Fault::Restart { broker: 2 });
    sim.advance_to(SimTime::from_ms(7_000));
    assert!(!sim.is_send_blocked());
    assert_eq!(sim.fates().in_flight + sim.fates().acked_durable, 1);
}

#[test]
fn other_clients_fail_a_record_without_metadata_at_its_delivery_timeout() {
    // rd_kafka_topic_scan_all times out messages in the unassigned partition queue after
    // message.timeout.ms.
    let mut c = SimConfig::default();
    c.producer.client = super::clients::Client::Librdkafka;
    c.producer.delivery_timeout_ms = 40_000;
    let mut sim = world(c, 42, &[0, 1, 2]);
    let timeout = SimDuration::from_ms(sim.config().producer.effective_delivery_timeout_ms());
    assert_eq!(sim.send(Some(b"k"), 100), Err(KafkaError::DeliveryTimeout));
    assert_eq!(sim.now(), SimTime::ZERO + timeout);
    assert_eq!(sim.fates().failed, 1);
}

#[test]
fn connections_to_leaders_open_when_the_sender_first_has_data_for_them() {
    // Sender.sendProducerData: a ready node without a connection is removed from the
    // ready nodes and connected to (NetworkClient.ready → initiateConnect); each new
    // connection checks API versions before its first produce request.
    let mut c = SimConfig::default();
    c.workload.records = 200;
    let mut sim = world(c, 42, &[]);
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(5_000));
    let events = sim.drain_events();
    let metadata = first(&events, |k| matches!(k, EventKind::MetadataUpdated { .. }))
        .expect("metadata")
        .time;
    let rtt = rtt(&sim);
    for broker in 0..3u32 {
        let ready = first(&events, |k| *k == EventKind::ConnectionReady { broker })
            .expect("connected once it had data")
            .time;
        let sent = first(
            &events,
            |k| matches!(k, EventKind::RequestSent { broker: b, .. } if *b == broker),
        )
        .expect("sent")
        .time;
        assert!(
            ready <= sent,
            "broker {broker}: ready {ready:?}, sent {sent:?}"
        );
        // Only the bootstrap broker was connected when the metadata came.
        if ready > metadata {
            // Its first batch was ready (linger.ms after the first append) two round
            // trips earlier: TCP, then ApiVersions.
            let linger = SimDuration::from_ms(sim.config().producer.linger_ms);
            assert!(
                ready >= metadata + linger + times(rtt, 2),
                "broker {broker}"
            );
        }
    }
    let before_metadata = events
        .iter()
        .filter(|e| e.time <= metadata && matches!(e.kind, EventKind::ConnectionReady { .. }))
        .count();
    assert_eq!(before_metadata, 1);
}

#[test]
fn a_reconnect_checks_api_versions_again() {
    // Every new connection goes through handleConnections → ApiVersionsRequest. Here the
    // producer's link to broker 1 is cut: its requests time out (request.timeout.ms), the
    // connection closes, and the reconnect's SYN waits for the heal (TCP retransmits it).
    let mut c = SimConfig::default();
    c.workload.records = 4_000;
    c.producer.request_timeout_ms = 200;
    let mut sim = world(c, 7, &[]);
    sim.start_workload();
    sim.advance_to(SimTime::from_ms(100));
    sim.apply_fault(Fault::CutProducerLink { broker: 1 });
    // Closed at about 300 ms; reconnected once a batch for it is ready again (after its
    // retry backoff).
    sim.advance_to(SimTime::from_ms(700));
    assert_eq!(
        sim.producer.connections[1].state,
        ConnectionState::Connecting,
        "closed after the timeout, reconnecting"
    );
    sim.apply_fault(Fault::HealProducerLink { broker: 1 });
    let syn = sim.now() + RETRANSMISSION_DELAY;
    let one_way = SimDuration(rtt(&sim).0 / 2);
    // The SYN's answer is back one way later; ApiVersions takes a round trip more.
    sim.advance_to(syn + times(one_way, 2));
    assert_eq!(
        sim.producer.connections[1].state,
        ConnectionState::CheckingApiVersions
    );
    sim.advance_to(syn + times(one_way, 3));
    assert_eq!(sim.producer.connections[1].state, ConnectionState::Ready);
    let events = sim.drain_events();
    let ready = events
        .iter()
        .rev()
        .find(|e| e.kind == EventKind::ConnectionReady { broker: 1 })
        .expect("reconnected");
    assert_eq!(ready.time, syn + times(one_way, 3));
}

#[test]
fn an_idempotent_producer_drains_nothing_before_it_has_a_producer_id() {
    // Sender.runOnce: bumpIdempotentEpochAndResetIdIfNeeded enqueues InitProducerId;
    // maybeSendAndPollTransactionalRequest sends it to the least loaded node and returns
    // before sendProducerData while it is in flight.
    let mut c = SimConfig::default();
    c.workload.records = 50;
    c.producer.linger_ms = 0;
    let mut sim = world(c, 42, &[]);
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(5_000));
    let events = sim.drain_events();
    let assigned = first(&events, |k| {
        matches!(k, EventKind::ProducerIdAssigned { .. })
    })
    .expect("a producer id");
    assert!(matches!(
        assigned.kind,
        EventKind::ProducerIdAssigned {
            producer_id: 0,
            producer_epoch: 0,
            ..
        }
    ));
    let sent = first(&events, |k| matches!(k, EventKind::RequestSent { .. })).expect("sent");
    assert!(assigned.time <= sent.time);
    assert_eq!(sim.producer.producer_id, Some(0));
    assert_eq!(sim.fates().acked_durable, 50);
}

#[test]
fn a_producer_without_idempotence_asks_for_no_producer_id() {
    let mut c = SimConfig::default();
    c.workload.records = 50;
    c.producer.acks = Acks::One;
    c.producer.enable_idempotence = Some(false);
    let mut sim = world(c, 42, &[]);
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(5_000));
    let events = sim.drain_events();
    assert!(first(&events, |k| matches!(
        k,
        EventKind::ProducerIdAssigned { .. }
    ))
    .is_none());
    assert_eq!(sim.producer.producer_id, None);
    assert_eq!(sim.fates().acked_durable, 50);
}

#[test]
fn an_init_producer_id_lost_with_its_broker_is_sent_again_elsewhere() {
    // The InitProducerId request fails with its connection (the broker crashed) and is
    // retried to the next least loaded node.
    let mut c = SimConfig::default();
    c.workload.records = 50;
    let mut sim = world(c, 42, &[]);
    let rtt = rtt(&sim);
    sim.start_workload();
    // The request leaves when the bootstrap connection is ready (two round trips).
    sim.advance_to(SimTime::ZERO + times(rtt, 2));
    let (to, _) = sim
        .producer
        .init_producer_id_sent_to
        .expect("InitProducerId in flight");
    sim.apply_fault(Fault::Crash { broker: to });
    sim.run_until_idle(SimTime::from_ms(5_000));
    let events = sim.drain_events();
    let assigned = first(&events, |k| {
        matches!(k, EventKind::ProducerIdAssigned { .. })
    })
    .expect("a producer id in the end");
    let EventKind::ProducerIdAssigned { broker, .. } = assigned.kind else {
        unreachable!()
    };
    assert_ne!(broker, to);
    assert!(sim.producer.producer_id.is_some());
}
