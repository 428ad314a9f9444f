//! The `producer-sim` binary, run the way a user runs it.
//!
//! Expected partitions come from published murmur2 vectors (Kafka's
//! `UtilsTest.testMurmur2` and librdkafka's `rdmurmur2.c` unit test), turned into a
//! partition the way `BuiltInPartitioner.partitionForKey` does:
//! `(hash & 0x7fffffff) % numPartitions`.

use std::path::PathBuf;
use std::process::Output;

#[path = "support/cli.rs"]
mod support;
use support::run;

/// Kafka's published murmur2 results (signed 32-bit) for string keys.
const KAFKA_VECTORS: &[(&str, i32)] = &[
    ("21", -973_932_308),
    ("foobar", -790_332_482),
    ("a-little-bit-long-string", -985_981_536),
    ("a-little-bit-longer-string", -1_486_304_829),
    (
        "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
        -58_897_971,
    ),
    ("abc", 479_470_107),
];

/// librdkafka's Java-compatible murmur2 results, including the empty key.
const LIBRDKAFKA_VECTORS: &[(&str, u32)] = &[
    ("kafka", 0xd067_cf64),
    ("giberish123456789", 0x8f55_2b0c),
    ("1234", 0x9fc9_7b14),
    ("234", 0xe7c0_09ca),
    ("34", 0x8739_30da),
    ("4", 0x5a4b_5ca1),
    ("", 0x106e_08d9),
];

fn partition_of(hash: i32, partitions: u32) -> u32 {
    (hash & 0x7fff_ffff) as u32 % partitions
}

fn kafka_vector(key: &str) -> i32 {
    KAFKA_VECTORS
        .iter()
        .map(|&(k, h)| (k, h))
        .chain(LIBRDKAFKA_VECTORS.iter().map(|&(k, h)| (k, h as i32)))
        .find(|(k, _)| *k == key)
        .map(|(_, h)| h)
        .unwrap_or_else(|| panic!("no published vector for {key:?}"))
}

fn expected_lines(keys: &[&str], partitions: u32) -> String {
    keys.iter()
        .map(|k| format!("{}\n", partition_of(kafka_vector(k), partitions)))
        .collect()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_success(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

/// A file under the temp dir that is removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "producer-sim-cli-{}-{name}.properties",
            std::process::id()
        ));
        std::fs::write(&path, contents).expect("the temp dir is writable");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temp path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}): {}", stdout(o)))
}

// --- partition ---

#[test]
fn partition_prints_each_keys_partition_in_order() {
    let keys = ["21", "foobar", "abc", "a-little-bit-long-string", "kafka"];
    for partitions in [7u32, 1000] {
        let n = partitions.to_string();
        let mut args = vec!["partition", "--partitions", n.as_str()];
        args.extend(keys);
        let o = run(&args, None);
        assert_success(&o);
        assert_eq!(stdout(&o), expected_lines(&keys, partitions));
    }
}

#[test]
fn partition_places_every_published_vector() {
    let keys: Vec<&str> = KAFKA_VECTORS
        .iter()
        .map(|(k, _)| *k)
        .chain(LIBRDKAFKA_VECTORS.iter().map(|(k, _)| *k))
        .collect();
    let o = run(
        &[&["partition", "-p", "13", "--"], keys.as_slice()].concat(),
        None,
    );
    assert_success(&o);
    assert_eq!(stdout(&o), expected_lines(&keys, 13));
}

#[test]
fn a_single_partition_takes_every_key() {
    let o = run(&["partition", "--partitions", "1", "x", "y", ""], None);
    assert_success(&o);
    assert_eq!(stdout(&o), "0\n0\n0\n");
}

#[test]
fn partition_reads_keys_from_stdin_one_per_line() {
    // An empty line is the empty key; \r\n works; the last line needs no newline.
    let o = run(
        &["partition", "--partitions", "10"],
        Some(b"kafka\n\n1234\r\nfoobar\n4"),
    );
    assert_success(&o);
    assert_eq!(
        stdout(&o),
        expected_lines(&["kafka", "", "1234", "foobar", "4"], 10)
    );
}

#[test]
fn a_final_newline_does_not_add_an_empty_key() {
    let o = run(&["partition", "-p", "10"], Some(b"abc\n"));
    assert_success(&o);
    assert_eq!(stdout(&o), expected_lines(&["abc"], 10));
    // A lone newline is one empty key; no input at all is no key.
    let o = run(&["partition", "-p", "10"], Some(b"\n"));
    assert_eq!(stdout(&o), expected_lines(&[""], 10));
    let o = run(&["partition", "-p", "10"], Some(b""));
    assert_success(&o);
    assert_eq!(stdout(&o), "");
}

#[test]
fn partition_decodes_hex_keys() {
    // 6b61666b61 = "kafka", 3231 = "21" (upper and lower case), "" = the empty key.
    let o = run(
        &[
            "partition",
            "--partitions",
            "17",
            "--hex",
            "6b61666b61",
            "3231",
            "",
            "666F6F626172",
        ],
        None,
    );
    assert_success(&o);
    assert_eq!(
        stdout(&o),
        expected_lines(&["kafka", "21", "", "foobar"], 17)
    );
    let o = run(&["partition", "-p", "17", "--hex"], Some(b"616263\r\n\n"));
    assert_success(&o);
    assert_eq!(stdout(&o), expected_lines(&["abc", ""], 17));
}

#[test]
fn bad_hex_is_refused_without_partial_output() {
    for bad in ["zz", "abc", "0x41"] {
        let o = run(&["partition", "-p", "3", "--hex", "00", bad], None);
        assert_eq!(o.status.code(), Some(1), "{bad}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{bad}");
        assert!(stderr(&o).contains("not valid hex"), "{}", stderr(&o));
        assert!(stderr(&o).contains("key 2"), "{}", stderr(&o));
    }
}

#[test]
fn zero_or_missing_partitions_is_a_usage_error() {
    let o = run(&["partition", "--partitions", "0", "a"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("at least 1 partition"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "");
    let o = run(&["partition", "--partitions", "many", "a"], None);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["partition", "a"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--partitions"), "{}", stderr(&o));
}

// --- simulate ---

#[test]
fn config_file_then_each_set_then_records() {
    let file = TempFile::new(
        "layering",
        "# a producer file\nacks=1\nlinger.ms = 50\ncompression.type: gzip\npartitions=6\n",
    );
    let o = run(
        &[
            "simulate",
            "--config",
            file.path(),
            "--set",
            "linger.ms=20",
            "--set",
            "linger.ms=25",
            "--set",
            "workload.records=9",
            "--records",
            "777",
            "--print-config",
        ],
        None,
    );
    assert_success(&o);
    let text = stdout(&o);
    for line in [
        "acks=1",
        "linger.ms=25",
        "compression.type=gzip",
        "partitions=6",
        "workload.records=777",
        "batch.size=16384",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "{line} missing from:\n{text}"
        );
    }
}

#[test]
fn json_summary_has_the_run_summary_fields() {
    let o = run(
        &["simulate", "--records", "2000", "--seed", "7", "--json"],
        None,
    );
    assert_success(&o);
    let json = json_of(&o);
    for field in [
        "seed",
        "records_sent",
        "metrics",
        "latency",
        "fates",
        "digest",
    ] {
        assert!(json.get(field).is_some(), "{field} missing: {json}");
    }
    assert_eq!(json["seed"], 7);
    assert!(json["metrics"].get("record-send-rate").is_some(), "{json}");
    for field in ["avg_ms", "p50_ms", "p99_ms", "max_ms"] {
        assert!(json["latency"].get(field).is_some(), "{field}: {json}");
    }
    // Every record sent has exactly one fate.
    let fates = json["fates"].as_object().expect("fates is an object");
    let total: u64 = fates.values().map(|v| v.as_u64().unwrap_or(0)).sum();
    assert_eq!(Some(total), json["records_sent"].as_u64(), "{json}");
}

#[test]
fn the_default_seed_is_fixed() {
    let o = run(&["simulate", "--records", "100", "--json"], None);
    assert_success(&o);
    assert_eq!(json_of(&o)["seed"], 42);
}

#[test]
fn the_same_seed_and_settings_give_the_same_output() {
    let args = [
        "simulate",
        "--records",
        "3000",
        "--set",
        "linger.ms=10",
        "--seed",
        "99",
    ];
    let first = run(&args, None);
    let second = run(&args, None);
    assert_success(&first);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn text_summary_reads_like_producer_perf_test() {
    let o = run(&["simulate", "--records", "500"], None);
    assert_success(&o);
    let text = stdout(&o);
    let perf_line = text
        .lines()
        .find(|l| l.contains(" records sent, "))
        .unwrap_or_else(|| panic!("no perf-test line in:\n{text}"));
    for part in [
        "records/sec (",
        "MB/sec), ",
        "ms avg latency, ",
        "ms max latency, ",
        "ms 50th, ",
        "ms 99th.",
    ] {
        assert!(perf_line.contains(part), "{part} missing from {perf_line}");
    }
    assert!(text.contains("record-send-rate"), "{text}");
    assert!(text.contains("acked_durable"), "{text}");
}

#[test]
fn explicit_idempotence_with_acks_1_is_refused_with_kafkas_message() {
    let o = run(
        &[
            "simulate",
            "--set",
            "acks=1",
            "--set",
            "enable.idempotence=true",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains(
            "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence."
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn quiet_adjustments_are_warnings_on_stderr_and_json_stays_clean() {
    let o = run(
        &["simulate", "--set", "acks=1", "--records", "100", "--json"],
        None,
    );
    assert_success(&o);
    assert!(
        stderr(&o).contains("Idempotence will be disabled because acks is set to 1"),
        "{}",
        stderr(&o)
    );
    json_of(&o);
}

#[test]
fn an_explicit_delivery_timeout_that_is_too_small_is_refused() {
    let o = run(
        &[
            "simulate",
            "--set",
            "delivery.timeout.ms=1000",
            "--set",
            "linger.ms=10",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_set_arguments_are_refused() {
    let o = run(&["simulate", "--set", "linger.ms"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("KEY=VALUE"), "{}", stderr(&o));

    let o = run(&["simulate", "--set", "lingr.ms=5"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Unknown setting 'lingr.ms'"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("Did you mean 'linger.ms'?"),
        "{}",
        stderr(&o)
    );

    let o = run(&["simulate", "--set", "batch.size=lots"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("expected a whole number from 0 to 2147483647"),
        "{}",
        stderr(&o)
    );

    let o = run(&["simulate", "--set", "brokers=1"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot be reached because only 1 broker(s) are registered"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn config_file_errors_name_the_file_and_line() {
    let file = TempFile::new("bad-line", "acks=all\n\nretries=-3\n");
    let o = run(&["simulate", "--config", file.path()], None);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(file.path()), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("retries"), "{err}");

    let missing = std::env::temp_dir().join("producer-sim-cli-no-such-file.properties");
    let o = run(
        &[
            "simulate",
            "--config",
            missing.to_str().expect("UTF-8 path"),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
}

#[test]
fn print_config_round_trips_through_a_file() {
    let o = run(
        &[
            "simulate",
            "--set",
            "workload.keys=list:a,b c,é",
            "--set",
            "enable.idempotence=false",
            "--print-config",
        ],
        None,
    );
    assert_success(&o);
    let file = TempFile::new("round-trip", &stdout(&o));
    let again = run(
        &["simulate", "--config", file.path(), "--print-config"],
        None,
    );
    assert_success(&again);
    assert_eq!(stdout(&again), stdout(&o));
}

// --- help ---

#[test]
fn help_documents_both_commands_and_their_options() {
    let o = run(&["--help"], None);
    assert_success(&o);
    let text = stdout(&o);
    assert!(
        text.contains("partition") && text.contains("simulate"),
        "{text}"
    );

    let o = run(&["partition", "--help"], None);
    assert_success(&o);
    let text = stdout(&o);
    for part in ["--partitions", "--hex", "standard input", "Examples:"] {
        assert!(text.contains(part), "{part} missing from partition --help");
    }

    let o = run(&["simulate", "--help"], None);
    assert_success(&o);
    let text = stdout(&o);
    for part in [
        "--config",
        "--set",
        "--records",
        "--seed",
        "--json",
        "Examples:",
        "linger.ms",
        "workload.keys",
    ] {
        assert!(text.contains(part), "{part} missing from simulate --help");
    }
}

#[test]
fn scenarios_are_listed_and_run_with_their_fates() {
    let out = run(&["simulate", "--list-scenarios"], None);
    assert!(out.status.success());
    let listing = String::from_utf8_lossy(&out.stdout);
    for name in [
        "acks1-leader-crash",
        "acks-all-broker-crash",
        "unclean-election-on",
    ] {
        assert!(listing.contains(name), "{listing}");
    }
    let out = run(
        &["simulate", "--scenario", "acks1-leader-crash", "--json"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fates = &json["fates"];
    let total: u64 = [
        "acked_durable",
        "acked_lost",
        "failed",
        "duplicated",
        "reordered",
        "in_flight",
    ]
    .iter()
    .map(|k| fates[k].as_u64().unwrap())
    .sum();
    assert_eq!(total, json["records_sent"].as_u64().unwrap());
    assert!(fates["acked_lost"].as_u64().unwrap() > 0, "{fates}");
}

#[test]
fn faults_are_parsed_and_checked() {
    let out = run(
        &[
            "simulate",
            "--records",
            "2000",
            "--set",
            "workload.rate=2000",
            "--set",
            "acks=1",
            "--fault",
            "crash:broker=0@200ms",
            "--fault",
            "restart:broker=0@12s",
            "--json",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bad = run(&["simulate", "--fault", "crash:broker=7@1s"], None);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("broker 7"));
    let bad = run(&["simulate", "--fault", "explode:broker=0@1s"], None);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown fault"));
    let bad = run(&["simulate", "--scenario", "nope"], None);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("acks1-leader-crash"));
}

#[test]
fn a_lone_leader_run_reports_errors_partitions_and_uncommitted_records() {
    // Both followers of a one-partition topic crash: acks=1 records are acknowledged by
    // the leader, but the high watermark waits for the ISR, and once the controller has
    // fenced the followers it stops under min.insync.replicas (Kafka 3.7+).
    let args = [
        "simulate",
        "--set",
        "acks=1",
        "--set",
        "partitions=1",
        "--set",
        "workload.rate=2000",
        "--records",
        "30000",
        "--fault",
        "crash:broker=1@1s",
        "--fault",
        "crash:broker=2@1s",
    ];
    let o = run(&[&args[..], &["--json"]].concat(), None);
    assert_success(&o);
    let json = json_of(&o);
    let fates = &json["fates"];
    assert!(
        fates["acked_uncommitted"].as_u64().unwrap() > 25_000,
        "{json}"
    );
    assert_eq!(fates["acked_lost"], 0, "{json}");
    let p = &json["partitions"][0];
    assert_eq!(p["leader"], 0, "{json}");
    assert_eq!(p["isr"], serde_json::json!([0]), "{json}");
    assert_eq!(p["log_end_offset"], 30000, "{json}");
    assert!(p["high_watermark"].as_u64().unwrap() < 3000, "{json}");
    assert!(json["errors"].is_object(), "{json}");

    let o = run(&args, None);
    assert_success(&o);
    let text = stdout(&o);
    assert!(text.contains("acked_uncommitted"), "{text}");
    assert!(text.contains("Errors the producer saw"), "{text}");
    assert!(text.contains("Partitions at the end"), "{text}");
}

#[test]
fn errors_name_what_the_producer_saw() {
    let o = run(
        &[
            "simulate",
            "--set",
            "partitions=1",
            "--set",
            "workload.rate=2000",
            "--set",
            "delivery.timeout.ms=10000",
            "--set",
            "request.timeout.ms=3000",
            "--records",
            "6000",
            "--fault",
            "crash:broker=1@1s",
            "--fault",
            "crash:broker=2@1s",
            "--json",
        ],
        None,
    );
    assert_success(&o);
    let json = json_of(&o);
    assert!(
        json["errors"]["NOT_ENOUGH_REPLICAS"].as_u64().unwrap() > 0,
        "{json}"
    );
    assert_eq!(
        json["errors"].get("NOT_ENOUGH_REPLICAS_AFTER_APPEND"),
        None,
        "{json}"
    );
}
