//! `producer-sim partition --client` and `simulate --client`, run the way a user runs them.
//! Expected partitions come from the clients' own code (see tests/client_oracles.rs for
//! the full comparison): "kafka" in 6 partitions is 4 for murmur2, 5 for librdkafka's
//! CRC-32 and sarama's FNV-1a; "" is 3 for sarama's FNV-1a, 0 for kafkajs's legacy murmur2.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_producer-sim");

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn partition_with_each_client() {
    let cases: [(&[&str], &str); 6] = [
        (&["--client", "java"], "4\n3\n"),
        (
            &["--client", "librdkafka", "--partitioner", "consistent"],
            "5\n0\n",
        ),
        (
            &["--client", "librdkafka", "--partitioner", "murmur2_random"],
            "4\n3\n",
        ),
        (&["--client", "sarama"], "5\n3\n"),
        (
            &["--client", "kafkajs", "--partitioner", "legacy"],
            "1\n0\n",
        ),
        (&["--client", "franz-go"], "4\n3\n"),
    ];
    for (client, want) in cases {
        let mut args = vec!["partition", "-p", "6"];
        args.extend_from_slice(client);
        args.extend_from_slice(&["kafka", ""]);
        let out = run(&args);
        assert!(out.status.success(), "{client:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), want, "{client:?}");
    }
}

#[test]
fn partition_says_when_the_client_picks() {
    // librdkafka's default sends an empty key to the sticky partition.
    let out = run(&[
        "partition",
        "-p",
        "6",
        "--client",
        "librdkafka",
        "kafka",
        "",
    ]);
    assert!(out.status.success());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "5");
    assert!(
        lines[1]
            .starts_with("-\tlibrdkafka (consistent_random) picks the partition itself: sticky"),
        "{text}"
    );
}

#[test]
fn partition_steps_show_the_clients_arithmetic() {
    let out = run(&["partition", "-p", "6", "--client", "sarama", "--steps", ""]);
    assert_eq!(
        stdout(&out),
        "3\tFNV-1a h = 2166136261 (int32 -2128831035); abs(int32(h) % n) with n = 6 -> 3\n"
    );
    let out = run(&["partition", "-p", "6", "--steps", "kafka"]);
    assert_eq!(
        stdout(&out),
        "4\tmurmur2 h = -798503068 ; (h & 0x7fffffff) = 1348980580 ; % 6 = 4\n"
    );
}

#[test]
fn unknown_client_or_partitioner_is_a_clear_error() {
    let out = run(&[
        "partition",
        "-p",
        "6",
        "--client",
        "kafkajs",
        "--partitioner",
        "murmur2",
        "k",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: kafkajs has no partitioner 'murmur2': its partitioners are default, legacy\n"
    );
    let out = run(&["partition", "-p", "6", "--client", "python", "k"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(
        "unknown client 'python': expected one of java, librdkafka, kafkajs, sarama, franz-go"
    ));
    let out = run(&[
        "simulate",
        "--client",
        "sarama",
        "--partitioner",
        "consistent_random",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("sarama has no partitioner 'consistent_random'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn help_lists_client_and_partitioner() {
    for command in ["partition", "simulate"] {
        let text = stdout(&run(&[command, "--help"]));
        assert!(text.contains("--client <CLIENT>"), "{command}");
        assert!(text.contains("--partitioner <NAME>"), "{command}");
    }
}

#[test]
fn simulate_with_a_client_uses_its_defaults_and_names() {
    let out = run(&[
        "simulate",
        "--client",
        "librdkafka",
        "--set",
        "queue.buffering.max.ms=20",
        "--print-config",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "client=librdkafka\n",
        "# librdkafka: linger.ms or queue.buffering.max.ms (default 5; CONFIGURATION.md)\nlinger.ms=20\n",
        "# librdkafka: delivery.timeout.ms or message.timeout.ms (default 300000; CONFIGURATION.md)\ndelivery.timeout.ms=300000\n",
        "enable.idempotence=false\n",
        "# sticky.partitioning.linger.ms is unset (10): librdkafka makes it twice linger.ms (at most 900000)\n",
    ] {
        assert!(text.contains(line), "{line}in\n{text}");
    }
    let out = run(&["simulate", "--client", "sarama", "--records", "500"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("Producer: sarama, partitioner hash, acks=1 idempotence=off"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn simulate_json_names_librdkafkas_full_queue_in_its_words() {
    let out = run(&[
        "simulate",
        "--client",
        "librdkafka",
        "--set",
        "queue.buffering.max.messages=100",
        "--set",
        "workload.rate=1000000",
        "--records",
        "20000",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let failed = json["records_failed"].as_u64().unwrap();
    assert!(failed > 0);
    assert_eq!(
        json["errors"]["_QUEUE_FULL (Local: Queue full)"].as_u64(),
        Some(failed),
        "{}",
        json["errors"]
    );
    assert!(json["errors"]
        .get("TimeoutException (max.block.ms)")
        .is_none());
}

#[test]
fn a_setting_given_equal_to_its_default_is_set() {
    // librdkafka lowers an unset max.in.flight to 5 for an idempotent producer, and refuses
    // one given above 5, even its default 1000000 (rd_kafka_conf_finalize).
    let base = [
        "simulate",
        "--client",
        "librdkafka",
        "--records",
        "200",
        "--set",
        "enable.idempotence=true",
    ];
    let out = run(&base);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut set = base.to_vec();
    set.extend(["--set", "max.in.flight=1000000"]);
    let out = run(&set);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("`max.in.flight` must be set <= 5 when `enable.idempotence` is true"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn franz_go_least_backup_runs_from_the_command_line() {
    // Keys play no part: the partitioner picks.
    let out = run(&[
        "partition",
        "-p",
        "6",
        "--client",
        "franz-go",
        "--partitioner",
        "least-backup",
        "kafka",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "-\tfranz-go (least-backup) picks the partition itself: sticky: on each new batch, \
         the partition with the fewest records sent and not yet acknowledged\n"
    );
    // A run with broker 0 cut off from 0.1 s (after the bootstrap) to 2 s: its partitions
    // (0 and 3) get few records.
    let out = run(&[
        "simulate",
        "--client",
        "franz-go",
        "--partitioner",
        "least-backup",
        "--set",
        "partitions=6",
        "--set",
        "workload.keys=none",
        "--set",
        "workload.rate=10000",
        "--records",
        "20000",
        "--fault",
        "cut-producer:broker=0@100ms",
        "--fault",
        "heal-producer:broker=0@2s",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["records_acked"].as_u64(), Some(20_000));
    let on_broker_0: u64 = json["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["leader"].as_u64() == Some(0))
        .map(|p| p["log_end_offset"].as_u64().unwrap())
        .sum();
    assert!(on_broker_0 < 1_000, "{on_broker_0}");
}
