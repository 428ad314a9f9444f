//! Client profiles in the simulation: each client's defaults and setting names, and how its
//! producer spreads records without a key over partitions.

use producer_sim::engine::clients::Client;
use producer_sim::engine::config::KeyDistribution;
use producer_sim::engine::event::EventKind;
use producer_sim::engine::{SimConfig, SimTime, Simulation};

const PARTITIONS: u32 = 6;

/// `(time in ms, partition)` of every record of a keyless run at `rate` records per second.
fn keyless_run(client: Client, records: u64, rate: f64) -> Vec<(f64, u32)> {
    keyless_run_of(SimConfig::for_client(client), records, rate)
}

/// [`keyless_run`] from a client's config.
fn keyless_run_of(mut c: SimConfig, records: u64, rate: f64) -> Vec<(f64, u32)> {
    let client = c.producer.client;
    c.workload.records = records;
    c.workload.rate = rate;
    c.workload.keys = KeyDistribution::None;
    c.topic.partitions = PARTITIONS;
    let mut sim = Simulation::new(c, 3).unwrap();
    sim.record_events(true);
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(3_600_000));
    let appended: Vec<(f64, u32)> = sim
        .drain_events()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::RecordAppended { partition, .. } => Some((e.time.as_ms_f64(), partition)),
            _ => None,
        })
        .collect();
    assert_eq!(appended.len() as u64, records, "{client}");
    for p in 0..PARTITIONS {
        assert!(
            appended.iter().any(|&(_, q)| q == p),
            "{client}: partition {p} got no record"
        );
    }
    appended
}

/// Lengths of the runs of consecutive records on one partition.
fn runs(appended: &[(f64, u32)]) -> Vec<usize> {
    let mut out = vec![1];
    for w in appended.windows(2) {
        if w[0].1 == w[1].1 {
            *out.last_mut().unwrap() += 1;
        } else {
            out.push(1);
        }
    }
    out
}

#[test]
fn librdkafka_sticks_for_sticky_partitioning_linger_ms() {
    // 2000 records/s: 20 records per 10 ms.
    let appended = keyless_run(Client::Librdkafka, 20_000, 2_000.0);
    // A switch happens only once 10 ms have passed since the partition was picked.
    let changes: Vec<f64> = appended
        .windows(2)
        .filter(|w| w[0].1 != w[1].1)
        .map(|w| w[1].0)
        .collect();
    for w in changes.windows(2) {
        assert!(
            w[1] - w[0] >= 10.0 - 1e-9,
            "switched after {} ms",
            w[1] - w[0]
        );
    }
    // 10 s of records: a pick every 10 ms, 5 in 6 of them a different partition.
    let expected = 10_000.0 / 10.0 * 5.0 / 6.0;
    let got = changes.len() as f64;
    assert!(
        (got - expected).abs() < expected * 0.1,
        "{got} switches, expected about {expected}"
    );
    // The same rule by time, not bytes: twice the rate gives runs twice as long.
    let faster = runs(&keyless_run(Client::Librdkafka, 20_000, 4_000.0));
    let slower = runs(&appended);
    let mean = |r: &[usize]| r.iter().sum::<usize>() as f64 / r.len() as f64;
    let ratio = mean(&faster) / mean(&slower);
    assert!((ratio - 2.0).abs() < 0.3, "run length ratio {ratio}");
}

#[test]
fn kafkajs_goes_round_robin() {
    let appended = keyless_run(Client::Kafkajs, 3_000, 2_000.0);
    for w in appended.windows(2) {
        assert_eq!(
            w[1].1,
            (w[0].1 + 1) % PARTITIONS,
            "each record takes the next partition"
        );
    }
}

#[test]
fn sarama_picks_at_random_for_every_message() {
    let appended = keyless_run(Client::Sarama, 12_000, 2_000.0);
    let runs = runs(&appended);
    // A new draw per message: the next record stays with probability 1/6, so runs average
    // 1.2 records.
    let mean = appended.len() as f64 / runs.len() as f64;
    assert!((mean - 1.2).abs() < 0.05, "mean run {mean}");
    for p in 0..PARTITIONS {
        let n = appended.iter().filter(|&&(_, q)| q == p).count() as f64;
        assert!((n - 2_000.0).abs() < 200.0, "partition {p}: {n}");
    }
}

#[test]
fn franz_go_switches_after_64_kib() {
    // A 200-byte value and no key count 3 + 1 + 0 + 2 + 200 + 1 = 207 bytes: 316 records
    // fill 64 KiB (65,412 bytes), and the 317th starts on a new partition.
    let appended = keyless_run(Client::FranzGo, 20_000, 2_000.0);
    let runs = runs(&appended);
    let (last, whole) = runs.split_last().unwrap();
    for &run in whole {
        // A re-pick may land on the same partition, joining two runs.
        assert_eq!(run % 316, 0, "run of {run} records");
    }
    assert!(*last <= 316 * 3);
    assert!(runs.len() > 40);
}

#[test]
fn java_sticks_for_batch_size_bytes() {
    // KIP-794: about batch.size (16384) bytes per partition, then another; far longer runs
    // than librdkafka's 10 ms at this rate, and not round-robin.
    let appended = keyless_run(Client::Java, 20_000, 2_000.0);
    let runs = runs(&appended);
    let mean = appended.len() as f64 / runs.len() as f64;
    assert!(mean > 40.0, "mean run {mean}");
}

#[test]
fn profiles_hold_each_clients_defaults() {
    for client in Client::all() {
        let c = SimConfig::for_client(client);
        assert_eq!(c.validate(), Ok(()), "{client}");
        assert_eq!(c.producer.client, client);
        for s in client.settings() {
            assert_eq!(c.get(s.key).as_deref(), Some(s.value), "{client} {}", s.key);
        }
    }
    let rd = SimConfig::for_client(Client::Librdkafka);
    assert!(!rd.idempotence_enabled());
    assert_eq!(rd.producer.delivery_timeout_ms, 300_000);
    assert_eq!(rd.producer.batch_size, 1_000_000);
    let sarama = SimConfig::for_client(Client::Sarama);
    assert_eq!(sarama.get("acks").as_deref(), Some("1"));
    assert_eq!(sarama.producer.linger_ms, 0);
    let franz = SimConfig::for_client(Client::FranzGo);
    assert_eq!(franz.producer.linger_ms, 10);
    assert!(franz.idempotence_enabled());
    assert_eq!(franz.get("compression.type").as_deref(), Some("snappy"));
    let kafkajs = SimConfig::for_client(Client::Kafkajs);
    assert_eq!(kafkajs.producer.linger_ms, 0);
    assert_eq!(kafkajs.producer.retries, 5);
}

#[test]
fn client_setting_names_and_partitioners() {
    let mut rd = SimConfig::for_client(Client::Librdkafka);
    rd.set("queue.buffering.max.ms", "20").unwrap();
    rd.set("message.timeout.ms", "60000").unwrap();
    assert_eq!(rd.producer.linger_ms, 20);
    assert_eq!(rd.producer.delivery_timeout_ms, 60_000);
    // A Java config refuses librdkafka's names, naming the client they belong to.
    let err = SimConfig::default()
        .set("queue.buffering.max.ms", "20")
        .unwrap_err()
        .to_string();
    assert!(err.contains("librdkafka's name for 'linger.ms'"), "{err}");
    // .properties with the client's names, in any order after client=.
    let c = SimConfig::from_properties(
        "client=librdkafka\npartitioner=murmur2_random\nqueue.buffering.max.ms=7\n",
    )
    .unwrap();
    assert_eq!(c.producer.linger_ms, 7);
    assert_eq!(c.validate(), Ok(()));
    // A partitioner the client does not have is refused with the ones it has.
    let mut js = SimConfig::for_client(Client::Kafkajs);
    js.set("partitioner", "murmur2_random").unwrap();
    let err = js.validate().unwrap_err().to_string();
    assert!(
        err.contains(
            "kafkajs has no partitioner 'murmur2_random': its partitioners are default, legacy"
        ),
        "{err}"
    );
    let mut java = SimConfig::default();
    java.set("partitioner", "murmur2").unwrap();
    assert!(java
        .validate()
        .unwrap_err()
        .to_string()
        .contains("partitioner.class"));
}

#[test]
fn print_config_names_the_clients_settings_and_reads_back() {
    let rd = SimConfig::for_client(Client::Librdkafka);
    let text = rd.to_properties();
    assert!(text.contains("client=librdkafka\n"), "{text}");
    // Settings librdkafka reads differently when set stay comments while unset.
    assert!(
        text.contains("# librdkafka: linger.ms or queue.buffering.max.ms (default 5; CONFIGURATION.md)\n# linger.ms is unset (5): "),
        "{text}"
    );
    assert!(
        text.contains("# librdkafka has no max.block.ms: "),
        "{text}"
    );
    let back = SimConfig::from_properties(&text).unwrap();
    assert_eq!(back.to_properties(), text);
    assert!(!back.producer.is_set("linger.ms") && back.producer.is_set("batch.size"));
    // Set, it is written out.
    let mut set = rd.clone();
    set.set("queue.buffering.max.ms", "5").unwrap();
    assert!(set
        .to_properties()
        .contains("(default 5; CONFIGURATION.md)\nlinger.ms=5\n"));
    // Java's text has no client notes.
    assert!(!SimConfig::default().to_properties().contains("# java"));
}

/// Settings by the client's own names.
type Settings<'a> = &'a [(&'a str, &'a str)];

/// The most produce requests in flight to one broker during a busy run (sent, response not
/// yet back at the producer), under `client` with `settings` set by the client's names.
fn busiest_in_flight(client: Client, settings: &[(&str, &str)]) -> u32 {
    let mut c = SimConfig::for_client(client);
    for (k, v) in settings {
        c.set(k, v).unwrap();
    }
    c.workload.records = 20_000;
    c.workload.rate = 200_000.0;
    c.producer.linger_ms = 0;
    c.topic.partitions = 24;
    let mut sim = Simulation::new(c, 5).unwrap();
    sim.record_events(true);
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(3_600_000));
    // (time, broker, +1 sent / -1 answered), answers first at equal times.
    let mut changes: Vec<(SimTime, u32, i32)> = Vec::new();
    for e in sim.drain_events() {
        match e.kind {
            EventKind::RequestSent { broker, .. } => changes.push((e.time, broker, 1)),
            EventKind::ResponseSent {
                broker, arrives, ..
            } => changes.push((arrives, broker, -1)),
            _ => {}
        }
    }
    changes.sort_by_key(|&(t, b, d)| (t, b, d));
    let mut now = [0i32; 16];
    let mut most = 0;
    for (_, broker, d) in changes {
        now[broker as usize] += d;
        most = most.max(now[broker as usize]);
    }
    most as u32
}

#[test]
fn each_client_keeps_its_own_in_flight_limit_for_an_idempotent_producer() {
    // Idempotent: Java up to 5 (its default), librdkafka lowered to 5 from its 1000000
    // (rdkafka_conf.c), kafkajs one request per broker (eosManager broker lock), sarama
    // 1 (config.go Validate requires it), franz-go 4 (sink.go firstRespCheck).
    let cases: [(Client, Settings, u32); 5] = [
        (Client::Java, &[], 5),
        (Client::Librdkafka, &[("enable.idempotence", "true")], 5),
        (Client::Kafkajs, &[("idempotent", "true")], 1),
        (
            Client::Sarama,
            &[
                ("Producer.Idempotent", "true"),
                ("Producer.RequiredAcks", "all"),
                ("Net.MaxOpenRequests", "1"),
            ],
            1,
        ),
        (Client::FranzGo, &[], 4),
    ];
    for (client, settings, limit) in cases {
        let mut c = SimConfig::for_client(client);
        for (k, v) in settings {
            c.set(k, v).unwrap();
        }
        assert!(c.idempotence_enabled(), "{client}");
        c.validate().unwrap_or_else(|e| panic!("{client}: {e}"));
        assert_eq!(c.producer.effective_max_in_flight(), limit, "{client}");
        assert_eq!(busiest_in_flight(client, settings), limit, "{client}");
    }
    // Without idempotence each keeps its configured limit: franz-go's
    // MaxProduceRequestsInflightPerBroker default is 1 (pkg/kgo/config.go).
    assert_eq!(
        busiest_in_flight(Client::FranzGo, &[("enable.idempotence", "false")]),
        1
    );
    assert_eq!(
        busiest_in_flight(
            Client::FranzGo,
            &[
                ("enable.idempotence", "false"),
                ("MaxProduceRequestsInflightPerBroker", "3")
            ]
        ),
        3
    );
    assert!(busiest_in_flight(Client::Kafkajs, &[]) > 5);
}

#[test]
fn each_client_refuses_in_flight_settings_its_idempotent_producer_refuses() {
    let refused = |client: Client, settings: &[(&str, &str)]| {
        let mut c = SimConfig::for_client(client);
        for (k, v) in settings {
            c.set(k, v).unwrap();
        }
        c.validate().unwrap_err().to_string()
    };
    assert_eq!(
        refused(Client::Sarama, &[("Producer.Idempotent", "true"), ("acks", "all")]),
        "max.in.flight.requests.per.connection: Idempotent producer requires Net.MaxOpenRequests to be 1 (Net.MaxOpenRequests is 5)"
    );
    assert_eq!(
        refused(
            Client::Librdkafka,
            &[("enable.idempotence", "true"), ("max.in.flight", "10")]
        ),
        "max.in.flight.requests.per.connection: `max.in.flight` must be set <= 5 when `enable.idempotence` is true"
    );
    assert_eq!(
        refused(
            Client::FranzGo,
            &[("MaxProduceRequestsInflightPerBroker", "2")]
        ),
        "max.in.flight.requests.per.connection: invalid usage of MaxProduceRequestsInflightPerBroker with idempotency enabled"
    );
    // acks other than all, in each client's words.
    assert_eq!(
        refused(Client::FranzGo, &[("RequiredAcks", "1")]),
        "idempotency requires acks=all"
    );
    assert_eq!(
        refused(Client::Kafkajs, &[("idempotent", "true"), ("acks", "1")]),
        "acks: Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees"
    );
}

/// `client`'s defaults with `settings` set by the user (the client's names or Kafka's).
fn config_with(client: Client, settings: &[(&str, &str)]) -> SimConfig {
    let mut c = SimConfig::for_client(client);
    for (k, v) in settings {
        c.set(k, v).unwrap();
    }
    c
}

#[test]
fn librdkafka_refuses_what_is_set_and_adjusts_what_is_not() {
    // rd_kafka_conf_finalize (src/rdkafka_conf.c) with enable.idempotence=true:
    // max.in.flight set, even to its default 1000000, is refused; unset, it becomes 5.
    let idempotent = [("enable.idempotence", "true")];
    let unset = config_with(Client::Librdkafka, &idempotent);
    assert_eq!(unset.validate(), Ok(()));
    assert_eq!(unset.producer.effective_max_in_flight(), 5);
    let set = config_with(
        Client::Librdkafka,
        &[("enable.idempotence", "true"), ("max.in.flight", "1000000")],
    );
    assert_eq!(
        set.validate().unwrap_err().message,
        "`max.in.flight` must be set <= 5 when `enable.idempotence` is true"
    );
    // retries: set below 1 refused in librdkafka's words; unset it runs unbounded.
    let zero = config_with(
        Client::Librdkafka,
        &[("enable.idempotence", "true"), ("retries", "0")],
    );
    assert_eq!(
        zero.validate().unwrap_err().message,
        "`retries` must be set >= 1 when `enable.idempotence` is true"
    );
    assert_eq!(
        unset.clone().as_client_runs().producer.retries,
        2_147_483_647
    );
    // acks (rd_kafka_topic_conf_finalize): set to all, even explicitly, is fine; set to 1
    // it is refused.
    let all = config_with(
        Client::Librdkafka,
        &[("enable.idempotence", "true"), ("acks", "all")],
    );
    assert_eq!(all.validate(), Ok(()));
    let one = config_with(
        Client::Librdkafka,
        &[
            ("enable.idempotence", "true"),
            ("request.required.acks", "1"),
        ],
    );
    assert_eq!(
        one.validate().unwrap_err().message,
        "`acks` must be set to `all` when `enable.idempotence` is true"
    );
    // message.timeout.ms must be greater than linger.ms, only when linger.ms is set.
    let linger = config_with(
        Client::Librdkafka,
        &[("message.timeout.ms", "5"), ("queue.buffering.max.ms", "5")],
    );
    assert_eq!(
        linger.validate().unwrap_err().message,
        "`message.timeout.ms` must be greater than `linger.ms`"
    );
    let linger_unset = config_with(Client::Librdkafka, &[("message.timeout.ms", "5")]);
    assert_eq!(linger_unset.validate(), Ok(()));
}

#[test]
fn java_refuses_a_delivery_timeout_set_to_its_default() {
    // KafkaProducer.configureDeliveryTimeout: request.timeout.ms 200000 puts the floor
    // above the default 120000: unset, it is raised; set to 120000, it is refused.
    let unset = config_with(Client::Java, &[("request.timeout.ms", "200000")]);
    assert_eq!(unset.validate(), Ok(()));
    assert_eq!(unset.producer.effective_delivery_timeout_ms(), 200_005);
    let set = config_with(
        Client::Java,
        &[
            ("request.timeout.ms", "200000"),
            ("delivery.timeout.ms", "120000"),
        ],
    );
    assert_eq!(set.validate().unwrap_err().key, "delivery.timeout.ms");
    // Other clients have no such rule.
    let rd = config_with(
        Client::Librdkafka,
        &[
            ("request.timeout.ms", "200000"),
            ("message.timeout.ms", "120000"),
        ],
    );
    assert_eq!(rd.validate(), Ok(()));
    assert_eq!(rd.producer.effective_delivery_timeout_ms(), 120_000);
}

#[test]
fn franz_go_and_sarama_refuse_by_value_whoever_set_it() {
    // cfg.validate (pkg/kgo/config.go): 1 in flight, set or not, is fine; 2 is refused.
    let one = config_with(
        Client::FranzGo,
        &[("MaxProduceRequestsInflightPerBroker", "1")],
    );
    assert_eq!(one.validate(), Ok(()));
    // sarama Config.Validate (config.go): Producer.Retry.Max 0 with Idempotent.
    let sarama = config_with(
        Client::Sarama,
        &[
            ("Producer.Idempotent", "true"),
            ("acks", "all"),
            ("Net.MaxOpenRequests", "1"),
            ("Producer.Retry.Max", "0"),
        ],
    );
    assert_eq!(
        sarama.validate().unwrap_err().message,
        "Idempotent producer requires Producer.Retry.Max >= 1"
    );
}

#[test]
fn a_client_chosen_later_keeps_what_was_set() {
    // linger.ms set before the client: it stays; the rest are librdkafka's defaults.
    let mut c = SimConfig::default();
    c.set("linger.ms", "20").unwrap();
    c.set("client", "librdkafka").unwrap();
    assert_eq!(c.producer.linger_ms, 20);
    assert_eq!(c.get("batch.num.messages"), Some("10000".into()));
    assert!(c.producer.is_set("linger.ms") && !c.producer.is_set("batch.size"));
    // Back to Java: its defaults again, linger.ms still as set.
    c.set("client", "java").unwrap();
    assert_eq!(c.producer.linger_ms, 20);
    assert_eq!(c, {
        let mut java = SimConfig::default();
        java.set("linger.ms", "20").unwrap();
        java
    });
    // A .properties file may name its client on any line.
    let file =
        SimConfig::from_properties("queue.buffering.max.ms=20\nclient=librdkafka\n").unwrap();
    assert_eq!(file.producer.client, Client::Librdkafka);
    assert_eq!(file.producer.linger_ms, 20);
}

/// Records in each batch of a keyed run at `rate` records per second.
fn batch_records(c: SimConfig) -> Vec<u32> {
    let mut sim = Simulation::new(c, 9).unwrap();
    sim.record_events(true);
    sim.start_workload();
    sim.run_until_idle(SimTime::from_ms(3_600_000));
    sim.drain_events()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::BatchClosed { records, .. } => Some(records),
            _ => None,
        })
        .collect()
}

#[test]
fn librdkafka_batch_num_messages_closes_batches_by_count() {
    // 10,000 records/s over 3 partitions with linger 100 ms: about 330 records a batch by
    // time, and 1,000,000 bytes would hold thousands. batch.num.messages=50 closes every
    // batch at 50 records, before linger.ms.
    let mut c = SimConfig::for_client(Client::Librdkafka);
    c.set("queue.buffering.max.ms", "100").unwrap();
    c.workload.records = 5_000;
    c.workload.rate = 10_000.0;
    let unlimited = batch_records(c.clone());
    assert!(unlimited.iter().any(|&r| r > 200), "{unlimited:?}");
    c.set("batch.num.messages", "50").unwrap();
    let limited = batch_records(c.clone());
    assert_eq!(limited.iter().sum::<u32>(), 5_000);
    assert!(limited.iter().all(|&r| r <= 50), "{limited:?}");
    // Every partition's batches are full but its last.
    assert!(limited.iter().filter(|&&r| r == 50).count() >= 5_000 / 50 - 3);
    // librdkafka's default 10000, from its profile; Java has no count limit.
    assert_eq!(
        SimConfig::for_client(Client::Librdkafka).get("batch.num.messages"),
        Some("10000".into())
    );
    assert_eq!(
        SimConfig::default().get("batch.num.messages"),
        Some("0".into())
    );
}

#[test]
fn a_full_record_buffer_blocks_franz_go_and_fails_librdkafka() {
    // 1,000,000 records/s against MaxBufferedRecords=100: Produce waits for room (and
    // lingering stops), every record still gets through.
    let mut c = SimConfig::for_client(Client::FranzGo);
    c.set("MaxBufferedRecords", "100").unwrap();
    c.workload.records = 20_000;
    c.workload.rate = 1_000_000.0;
    let report = producer_sim::engine::run_report(&c, 1, &[]).unwrap();
    assert_eq!(report.summary.records_acked, 20_000);
    assert!(report.summary.metrics.bufferpool_wait_time_ns_total > 0.0);
    // librdkafka's produce() does not wait (max.block.ms 0): beyond
    // queue.buffering.max.messages it fails with a full queue.
    let mut c = SimConfig::for_client(Client::Librdkafka);
    c.set("queue.buffering.max.messages", "100").unwrap();
    c.workload.records = 20_000;
    c.workload.rate = 1_000_000.0;
    let report = producer_sim::engine::run_report(&c, 1, &[]).unwrap();
    assert!(report.summary.records_failed > 0, "{:?}", report.errors);
    assert_eq!(
        report.summary.records_acked + report.summary.records_failed,
        20_000
    );
}

/// A run of 20,000 records at 1,000,000 a second: the summary's failed and acknowledged
/// records, its errors by name and the time send calls waited for room.
fn flooded(mut c: SimConfig) -> (u64, u64, Vec<(String, u64)>, f64) {
    c.workload.records = 20_000;
    c.workload.rate = 1_000_000.0;
    let r = producer_sim::engine::run_report(&c, 1, &[]).unwrap();
    let errors = r.errors.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    (
        r.summary.records_failed,
        r.summary.records_acked,
        errors,
        r.summary.metrics.bufferpool_wait_time_ns_total,
    )
}

#[test]
fn librdkafka_fails_produce_at_once_on_a_full_queue() {
    // rd_kafka_curr_msgs_add (src/rdkafka_int.h) without RD_KAFKA_MSG_F_BLOCK: the record
    // fails with _QUEUE_FULL at once, whatever max.block.ms says; produce() never waits.
    let mut c = SimConfig::for_client(Client::Librdkafka);
    c.set("queue.buffering.max.messages", "100").unwrap();
    c.set("max.block.ms", "60000").unwrap();
    let (failed, acked, errors, waited) = flooded(c);
    assert!(failed > 0 && failed + acked == 20_000, "{failed} {acked}");
    assert_eq!(
        errors,
        [("_QUEUE_FULL (Local: Queue full)".to_string(), failed)]
    );
    assert_eq!(waited, 0.0);
    // The byte limit counts value bytes (200 a record): 20 KiB holds about 100 records.
    let mut c = SimConfig::for_client(Client::Librdkafka);
    c.set("queue.buffering.max.kbytes", "20").unwrap();
    let (failed, acked, errors, _) = flooded(c);
    assert!(failed > 0 && failed + acked == 20_000, "{failed} {acked}");
    assert_eq!(errors[0].0, "_QUEUE_FULL (Local: Queue full)");
    // librdkafka's defaults (100000 messages, 1 GiB of values) take the flood.
    let (failed, acked, errors, _) = flooded(SimConfig::for_client(Client::Librdkafka));
    assert_eq!((failed, acked), (0, 20_000), "{errors:?}");
    // It has no buffer pool: 1,000 partitions of open 1,000,000-byte batches do not fill it.
    let mut c = SimConfig::for_client(Client::Librdkafka);
    c.set("partitions", "1000").unwrap();
    c.workload.keys = KeyDistribution::Uniform { count: 5_000 };
    let (failed, _, errors, _) = flooded(c);
    assert_eq!(failed, 0, "{errors:?}");
}

#[test]
fn java_waits_up_to_max_block_ms_and_sarama_without_limit() {
    // Java: BufferPool.allocate waits up to max.block.ms, then TimeoutException. With
    // max.block.ms 0 the sends before the bootstrap's metadata fail too
    // (`waitOnMetadata`), under their own name.
    let mut c = SimConfig::default();
    c.set("buffer.memory", "65536").unwrap();
    c.set("max.block.ms", "0").unwrap();
    let (failed, _, errors, _) = flooded(c);
    let names: Vec<&str> = errors.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "TimeoutException (max.block.ms)",
            "TimeoutException (topic not present in metadata)"
        ]
    );
    assert!(errors[0].1 > 0);
    assert_eq!(errors.iter().map(|(_, n)| n).sum::<u64>(), failed);
    // sarama: a send to Input() waits while the producer is backed up, with no time limit:
    // every record gets through, after waiting.
    // (Room for two of its 1 MiB batches: the simulator's buffer pool stands in for its
    // channels.)
    let mut c = SimConfig::for_client(Client::Sarama);
    c.set("buffer.memory", "2097152").unwrap();
    let (failed, acked, errors, waited) = flooded(c);
    assert_eq!((failed, acked), (0, 20_000), "{errors:?}");
    assert!(waited > 0.0);
    // franz-go: Produce waits until its context is done; given a deadline
    // (max.block.ms), the record fails with the context's error.
    let mut c = SimConfig::for_client(Client::FranzGo);
    c.set("MaxBufferedRecords", "100").unwrap();
    c.set("max.block.ms", "0").unwrap();
    let (failed, _, errors, _) = flooded(c);
    assert!(failed > 0);
    assert_eq!(
        errors,
        [(
            "context deadline exceeded (Produce waiting for buffer room)".to_string(),
            failed
        )]
    );
}

/// The shortest time between two switches of the partition keyless records go to.
fn shortest_stick(appended: &[(f64, u32)]) -> f64 {
    let changes: Vec<f64> = appended
        .windows(2)
        .filter(|w| w[0].1 != w[1].1)
        .map(|w| w[1].0)
        .collect();
    changes
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn librdkafka_sticks_for_twice_linger_ms_unless_set() {
    // rd_kafka_conf_finalize: sticky.partitioning.linger.ms unset is 2 x linger.ms.
    let mut c = SimConfig::for_client(Client::Librdkafka);
    c.set("queue.buffering.max.ms", "20").unwrap();
    let unset = shortest_stick(&keyless_run_of(c.clone(), 20_000, 2_000.0));
    assert!((40.0..45.0).contains(&unset), "{unset}");
    // Set, even to its default 10, it stands.
    c.set("sticky.partitioning.linger.ms", "10").unwrap();
    let default = shortest_stick(&keyless_run_of(c.clone(), 20_000, 2_000.0));
    assert!((10.0..15.0).contains(&default), "{default}");
    c.set("sticky.partitioning.linger.ms", "15").unwrap();
    let set = shortest_stick(&keyless_run_of(c, 20_000, 2_000.0));
    assert!((15.0..20.0).contains(&set), "{set}");
}

/// Records written to the partitions broker 0 leads, and in all, by a franz-go keyless run
/// with `partitioner` while broker 0's link to the producer is cut for the first 2 s.
fn records_on_a_cut_off_broker(partitioner: &str) -> (u64, u64) {
    use producer_sim::engine::fault::{Fault, ScheduledFault};
    let mut c = SimConfig::for_client(Client::FranzGo);
    c.set("partitioner", partitioner).unwrap();
    c.set("partitions", "6").unwrap();
    c.workload.keys = KeyDistribution::None;
    c.workload.records = 20_000;
    c.workload.rate = 10_000.0;
    let faults = [
        // After the bootstrap (a few round trips), so the producer knows the leaders.
        ScheduledFault {
            at: SimTime::from_ms(100),
            fault: Fault::CutProducerLink { broker: 0 },
        },
        ScheduledFault {
            at: SimTime::from_ms(2_000),
            fault: Fault::HealProducerLink { broker: 0 },
        },
    ];
    let report = producer_sim::engine::run_report(&c, 4, &faults).unwrap();
    assert_eq!(report.summary.records_acked, 20_000);
    let on_broker_0 = report
        .partitions
        .iter()
        .filter(|p| p.leader == Some(0))
        .map(|p| p.log_end_offset)
        .sum();
    let all = report.partitions.iter().map(|p| p.log_end_offset).sum();
    (on_broker_0, all)
}

#[test]
fn franz_go_least_backup_moves_records_away_from_a_backed_up_broker() {
    // LeastBackupPartitioner (pkg/kgo/partitioner.go): on each new batch, the partition
    // with the fewest records buffered and not yet acknowledged (recBuf.buffered,
    // pkg/kgo/sink.go), keys ignored. While broker 0 is cut off its partitions' records
    // pile up, so new batches go elsewhere.
    let (sticky_0, sticky_all) = records_on_a_cut_off_broker("sticky");
    let (least_0, least_all) = records_on_a_cut_off_broker("least-backup");
    assert_eq!((sticky_all, least_all), (20_000, 20_000));
    // Broker 0 leads 2 of the 6 partitions, but sticky moves on only when a batch fills:
    // a batch that cannot leave keeps taking records, more than a third of them.
    assert!(sticky_0 > 20_000 / 3, "{sticky_0}");
    // Least-backup sends broker 0 a batch or two per partition, until they back up.
    assert!(least_0 < 1_000, "{least_0}");
    // The default, uniform-bytes, weighs each 64 KiB switch by 1 / (buffered + 1)
    // (adaptive, pkg/kgo/partitioner.go): broker 0 gets little too.
    let (uniform_0, _) = records_on_a_cut_off_broker("uniform-bytes");
    assert!(uniform_0 < 1_500, "{uniform_0}");
}
