//! `producer-sim keys`, run the way a user runs it, checked against a murmur2 written
//! here from Kafka's `Utils.murmur2` description (pinned to Kafka's published vectors)
//! and against recounts made line by line.

use producer_sim::engine::clients::{key_partition, Client};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

#[path = "support/cli.rs"]
mod support;
use support::run;

/// Kafka's murmur2 (`Utils.murmur2`): seed 0x9747b28c, m = 0x5bd1e995, r = 24,
/// little-endian 4-byte blocks, the tail mixed in from its last byte down.
fn reference_murmur2(data: &[u8]) -> i32 {
    const M: u32 = 0x5bd1_e995;
    let mut h: u32 = 0x9747_b28c ^ data.len() as u32;
    let blocks = data.len() / 4;
    for i in 0..blocks {
        let b = &data[4 * i..4 * i + 4];
        let mut k =
            u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16 | u32::from(b[3]) << 24;
        k = k.wrapping_mul(M);
        k ^= k >> 24;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let tail = &data[4 * blocks..];
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// `BuiltInPartitioner.partitionForKey`: `toPositive(murmur2(key)) % numPartitions`.
fn reference_partition(key: &[u8], partitions: u32) -> u32 {
    (reference_murmur2(key) & 0x7fff_ffff) as u32 % partitions
}

#[test]
fn the_reference_murmur2_matches_kafkas_published_vectors() {
    // Kafka's UtilsTest.testMurmur2 and librdkafka's rdmurmur2.c (Java-compatible).
    let vectors: &[(&[u8], i32)] = &[
        (b"21", -973_932_308),
        (b"foobar", -790_332_482),
        (b"a-little-bit-long-string", -985_981_536),
        (b"a-little-bit-longer-string", -1_486_304_829),
        (
            b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
            -58_897_971,
        ),
        (b"abc", 479_470_107),
        (b"kafka", 0xd067_cf64_u32 as i32),
        (b"", 0x106e_08d9),
    ];
    for (key, hash) in vectors {
        assert_eq!(
            reference_murmur2(key),
            *hash,
            "{:?}",
            String::from_utf8_lossy(key)
        );
    }
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("one JSON object")
}

fn numbers(v: &Value) -> Vec<u64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|n| n.as_u64().expect("a count"))
        .collect()
}

/// A file of this test's own under the target directory.
fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("cli_keys_{name}"));
    std::fs::write(&path, bytes).expect("the temp file is written");
    path
}

/// 200,000 lines: customer ids with a few hot ones, multi-byte UTF-8, empty lines,
/// keys of every length from 0 to 40 (every murmur2 tail length), Windows line endings
/// on some lines.
fn key_lines() -> Vec<Vec<u8>> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..200_000u32)
        .map(|i| {
            let r = next();
            match r % 10 {
                0..=3 => format!("customer-{}", r % 5000).into_bytes(),
                4 | 5 => format!("hot-{}", r % 3).into_bytes(),
                6 => format!("клиент-{}-é", r % 700).into_bytes(),
                7 => Vec::new(),
                8 => (0..(r % 41) as usize)
                    .map(|j| b'a' + (j % 26) as u8)
                    .collect(),
                _ => format!("order:{i}").into_bytes(),
            }
        })
        .collect()
}

/// The 200,000-line key file, written once per test under `name`.
fn key_file(name: &str, lines: &[Vec<u8>]) -> PathBuf {
    let mut file = Vec::new();
    for (i, key) in lines.iter().enumerate() {
        file.extend_from_slice(key);
        file.extend_from_slice(if i % 7 == 0 { b"\r\n" } else { b"\n" });
    }
    temp_file(name, &file)
}

/// Runs `keys --json` on `path` at 12 and 16 partitions with `client_args`, and checks
/// every count against a line-by-line recount with `partition_for` (`None`: the key does
/// not decide the partition).
fn check_counts_line_by_line(
    lines: &[Vec<u8>],
    path: &Path,
    client_args: &[&str],
    partition_for: impl Fn(&[u8], u32) -> Option<u32>,
) -> Value {
    let (from, to) = (12u32, 16u32);
    let args = [
        &["keys", "--partitions", "12", "--to", "16", "--json"][..],
        client_args,
        &[path.to_str().unwrap()],
    ]
    .concat();
    let out = json(&run(&args, None));

    let mut per_partition = vec![0u64; from as usize];
    let mut per_partition_to = vec![0u64; to as usize];
    let mut unplaced = 0u64;
    let mut moved_records = 0u64;
    let mut moved_keys = BTreeSet::new();
    // (from, to) -> the keys that move between them, and their records.
    type Moved<'a> = (BTreeSet<&'a [u8]>, u64);
    let mut pairs: BTreeMap<(u32, u32), Moved> = BTreeMap::new();
    for key in lines {
        let (p, q) = (partition_for(key, from), partition_for(key, to));
        match p {
            Some(p) => per_partition[p as usize] += 1,
            None => unplaced += 1,
        }
        if let Some(q) = q {
            per_partition_to[q as usize] += 1;
        }
        if let (Some(p), Some(q)) = (p, q) {
            if p != q {
                moved_records += 1;
                moved_keys.insert(key.as_slice());
                let pair = pairs.entry((p, q)).or_default();
                pair.0.insert(key);
                pair.1 += 1;
            }
        }
    }
    let distinct: BTreeSet<&[u8]> = lines.iter().map(Vec::as_slice).collect();

    let who = format!("{client_args:?}");
    assert_eq!(out["records"], 200_000, "{who}");
    assert_eq!(out["distinct_keys"], distinct.len() as u64, "{who}");
    assert_eq!(numbers(&out["partitions"]), per_partition, "{who}");
    assert_eq!(numbers(&out["to_partitions"]), per_partition_to, "{who}");
    assert_eq!(out["unplaced_records"], unplaced, "{who}");
    let max = *per_partition.iter().max().unwrap() as f64;
    let expected_skew = max / ((200_000 - unplaced) as f64 / f64::from(from));
    assert!(
        (out["max_over_mean"].as_f64().unwrap() - expected_skew).abs() < 1e-12,
        "{who}: {} vs {expected_skew}",
        out["max_over_mean"]
    );
    assert_eq!(out["moved_records"], moved_records, "{who}");
    assert_eq!(out["moved_keys"], moved_keys.len() as u64, "{who}");
    let moves: Vec<(u32, u32, u64, u64)> = out["moves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let n = |f: &str| m[f].as_u64().unwrap();
            (n("from") as u32, n("to") as u32, n("keys"), n("records"))
        })
        .collect();
    let expected: Vec<(u32, u32, u64, u64)> = pairs
        .iter()
        .map(|(&(p, q), (keys, records))| (p, q, keys.len() as u64, *records))
        .collect();
    assert_eq!(moves, expected, "{who}");
    out
}

#[test]
fn counts_agree_with_the_reference_partitioner_for_every_line_and_moves_with_a_recount() {
    let lines = key_lines();
    let path = key_file("200k.txt", &lines);
    let (from, to) = (12u32, 16u32);
    let out = check_counts_line_by_line(&lines, &path, &[], |k, n| Some(reference_partition(k, n)));

    // The hottest keys: the empty key (a tenth of the lines), then the three hot ones,
    // each on its reference partition.
    let hottest = out["hottest"].as_array().unwrap();
    assert_eq!(hottest.len(), 10);
    assert_eq!(hottest[0]["key"], "");
    for (i, h) in hottest[..4].iter().enumerate() {
        let key = h["key"].as_str().unwrap();
        assert!(i == 0 || key.starts_with("hot-"), "{key}");
        assert_eq!(h["partition"], reference_partition(key.as_bytes(), from));
        assert_eq!(h["to_partition"], reference_partition(key.as_bytes(), to));
        let count = lines
            .iter()
            .filter(|k| k.as_slice() == key.as_bytes())
            .count();
        assert_eq!(h["records"], count as u64);
    }
}

#[test]
fn every_clients_default_partitioner_agrees_with_the_engines_for_every_line() {
    // The reference is the engine's client rules, which tests/client_oracles.rs checks
    // against each client's own code.
    let lines = key_lines();
    let path = key_file("200k-clients.txt", &lines);
    for client in Client::all() {
        let def = client.default_partitioner();
        let out = check_counts_line_by_line(&lines, &path, &["--client", client.name()], |k, n| {
            key_partition(client, None, Some(k), n).unwrap()
        });
        assert_eq!(out["client"], client.name());
        assert_eq!(out["partitioner"], def.name);
    }
}

#[test]
fn one_key_every_client_as_the_client_notes_publish_it() {
    // clients-reference.md, "One key, every client (n = 6)": "", "kafka", "foobar".
    let table: [(&str, &str, [u64; 3]); 6] = [
        ("java", "built-in", [3, 4, 0]),
        ("franz-go", "sticky-key", [3, 4, 0]),
        ("librdkafka", "consistent", [0, 5, 5]),
        ("sarama", "hash", [3, 5, 0]),
        ("sarama", "reference-hash", [5, 5, 2]),
        ("kafkajs", "legacy", [0, 1, 5]),
    ];
    for (client, partitioner, want) in table {
        for (key, p) in ["", "kafka", "foobar"].into_iter().zip(want) {
            let out = json(&run(
                &[
                    "keys",
                    "-p",
                    "6",
                    "--client",
                    client,
                    "--partitioner",
                    partitioner,
                    "--json",
                ],
                Some(format!("{key}\n").as_bytes()),
            ));
            let mut expected = vec![0u64; 6];
            expected[p as usize] = 1;
            assert_eq!(
                numbers(&out["partitions"]),
                expected,
                "{client} {partitioner} {key:?}"
            );
            assert_eq!(out["hottest"][0]["partition"], p);
        }
    }
}

#[test]
fn keys_the_client_places_itself_are_reported_as_such() {
    // librdkafka's default (consistent_random) sends an empty key where it sends a null
    // one: a random partition; its other keys are hashed.
    let o = run(
        &["keys", "-p", "4", "--client", "librdkafka"],
        Some(b"\nkafka\n\n"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.starts_with(
            "3 records, 2 distinct keys, 4 partitions (librdkafka client, consistent_random \
             partitioner)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "2 records are not placed by their key: librdkafka (consistent_random) picks their \
             partition itself: sticky: a new random partition every \
             sticky.partitioning.linger.ms (10 ms)"
        ),
        "{text}"
    );
    let sarama = json(&run(
        &[
            "keys",
            "-p",
            "4",
            "--client",
            "sarama",
            "--partitioner",
            "random",
            "--json",
        ],
        Some(b"a\nb\n"),
    ));
    assert_eq!(sarama["unplaced_records"], 2);
    assert_eq!(sarama["hottest"][0]["partition"], Value::Null);
}

#[test]
fn hex_keys_and_standard_input_give_the_same_answer_as_a_text_file() {
    let keys = ["user-1", "user-2", "user-1", "", "ключ"];
    let text: String = keys.iter().map(|k| format!("{k}\n")).collect();
    let hex: String = keys
        .iter()
        .map(|k| k.bytes().map(|b| format!("{b:02X}")).collect::<String>() + "\n")
        .collect();
    let path = temp_file("small.txt", text.as_bytes());
    let args = ["keys", "-p", "5", "--to", "7", "--json"];
    let from_file = json(&run(&[&args[..], &[path.to_str().unwrap()]].concat(), None));
    let from_stdin = json(&run(&args, Some(text.as_bytes())));
    let from_hex = json(&run(
        &[&args[..], &["--hex"]].concat(),
        Some(hex.as_bytes()),
    ));
    assert_eq!(from_file, from_stdin);
    assert_eq!(from_file, from_hex);
    let expected: Vec<u64> = (0..5)
        .map(|p| {
            keys.iter()
                .filter(|k| reference_partition(k.as_bytes(), 5) == p)
                .count() as u64
        })
        .collect();
    assert_eq!(numbers(&from_file["partitions"]), expected);
    assert_eq!(from_file["distinct_keys"], 4);
}

#[test]
fn key_value_lines_count_keys_only() {
    let out = json(&run(
        &["keys", "-p", "3", "--key-value", "--json"],
        Some(b"a\t{\"x\":1}\nb\tplain\ta tab\na\t\n"),
    ));
    assert_eq!(out["records"], 3);
    assert_eq!(out["distinct_keys"], 2);
    assert_eq!(out["hottest"][0]["key"], "a");
    assert_eq!(out["hottest"][0]["records"], 2);
}

#[test]
fn text_output_shows_partitions_skew_hottest_keys_and_moves() {
    let o = run(
        &["keys", "--partitions", "3", "--to", "4"],
        Some(b"user-1\nuser-2\nuser-1\n"),
    );
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.starts_with(
            "3 records, 2 distinct keys, 3 partitions (java client, built-in partitioner)"
        ),
        "{text}"
    );
    assert!(text.contains("skew (largest partition / mean): "), "{text}");
    assert!(text.contains("hottest keys"), "{text}");
    let p1 = reference_partition(b"user-1", 3);
    let q1 = reference_partition(b"user-1", 4);
    let row = format!("  {:<24} {:>8} {:>10} {:>6}\n", "user-1", 2, p1, q1);
    assert!(text.contains(&row), "{text}");
    assert!(text.contains("from 3 to 4 partitions: "), "{text}");
}

#[test]
fn round_robin_places_no_record_by_its_key() {
    let out = json(&run(
        &["keys", "-p", "3", "--partitioner", "round-robin", "--json"],
        Some(b"a\nb\n"),
    ));
    assert_eq!(out["partitioner"], "round-robin");
    assert_eq!(out["unplaced_records"], 2);
    assert_eq!(numbers(&out["partitions"]), vec![0, 0, 0]);
}

fn refused(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn bad_input_is_refused_with_a_clear_message() {
    let missing = refused(&run(&["keys", "-p", "3", "/no/such/keys.txt"], None));
    assert!(
        missing.contains("cannot read /no/such/keys.txt"),
        "{missing}"
    );

    let empty = temp_file("empty.txt", b"");
    let empty = refused(&run(&["keys", "-p", "3", empty.to_str().unwrap()], None));
    assert!(
        empty.contains("the input is empty: there are no lines to read"),
        "{empty}"
    );

    let mut elf = b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec();
    elf.extend((0..=255u8).cycle().take(5000));
    let binary = temp_file("binary.bin", &elf);
    let binary = refused(&run(&["keys", "-p", "3", binary.to_str().unwrap()], None));
    assert!(
        binary.contains("line 1 holds a NUL byte: this looks like a binary file"),
        "{binary}"
    );

    let mut long = b"fine\n".to_vec();
    long.extend(std::iter::repeat_n(b'k', 2_000_000));
    long.extend(b"\nafter\n");
    let long = temp_file("long.txt", &long);
    let too_large = refused(&run(&["keys", "-p", "3", long.to_str().unwrap()], None));
    // 61 (batch header) + 21 (MAX_RECORD_OVERHEAD) + 4 (key length, a zigzag varint)
    // + 2,000,000
    // + 1 (null value) + 1 (headers): DefaultRecordBatch.estimateBatchSizeUpperBound.
    assert!(
        too_large.contains(
            "line 2: RecordTooLargeException: The message is 2000088 bytes when serialized \
             which is larger than 1048576, which is the value of the max.request.size configuration."
        ),
        "{too_large}"
    );
    let small_limit = refused(&run(
        &["keys", "-p", "3", "--max-request-size", "100"],
        Some(b"short\na-key-of-twenty-bytes\n"),
    ));
    assert!(
        small_limit.contains("line 2: RecordTooLargeException"),
        "{small_limit}"
    );

    let hex = refused(&run(&["keys", "-p", "3", "--hex"], Some(b"6162\nxyz\n")));
    assert!(hex.contains("line 2 is not valid hex"), "{hex}");

    let no_tab = refused(&run(
        &["keys", "-p", "3", "--key-value"],
        Some(b"a\tb\nc\n"),
    ));
    assert!(no_tab.contains("line 2 has no TAB"), "{no_tab}");

    let client = refused(&run(
        &["keys", "-p", "3", "--client", "python"],
        Some(b"a\n"),
    ));
    assert!(
        client.contains(
            "--client: unknown client 'python': expected one of java, librdkafka, kafkajs, \
             sarama, franz-go"
        ),
        "{client}"
    );
    let partitioner = refused(&run(
        &[
            "keys",
            "-p",
            "3",
            "--client",
            "kafkajs",
            "--partitioner",
            "Nope",
        ],
        Some(b"a\n"),
    ));
    assert!(
        partitioner.contains(
            "--partitioner: kafkajs has no partitioner 'Nope': its partitioners are default, legacy"
        ),
        "{partitioner}"
    );
}

fn compression_rate(values: &Path) -> f64 {
    let set = format!("workload.values=file:{}", values.display());
    let out = json(&run(
        &[
            "simulate",
            "--records",
            "5000",
            "--set",
            "compression.type=zstd",
            "--set",
            &set,
            "--json",
        ],
        None,
    ));
    assert_eq!(out["records_acked"], 5000);
    out["metrics"]["compression-rate-avg"].as_f64().unwrap()
}

#[test]
fn simulate_takes_values_from_a_file_and_they_compress_as_their_bytes_dictate() {
    // Log lines compress well; random bytes (any bytes but newline, not UTF-8) do not.
    let log: String = (0..500)
        .map(|i| {
            format!(
                "2026-12-01T10:{:02}:{:02}Z INFO [producer-{}] request {i} completed in {} ms\n",
                i / 60 % 60,
                i % 60,
                i % 4,
                i % 9
            )
        })
        .collect();
    let log_rate = compression_rate(&temp_file("values.log", log.as_bytes()));
    let mut x: u32 = 0x9e37_79b9;
    let random: Vec<u8> = (0..500 * 200)
        .map(|i| {
            if i % 200 == 199 {
                return b'\n';
            }
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            match (x >> 24) as u8 {
                b'\n' => 0,
                b => b,
            }
        })
        .collect();
    let random_rate = compression_rate(&temp_file("values.bin", &random));
    assert!(log_rate < 0.4, "log lines: {log_rate}");
    assert!(random_rate > 0.95, "random bytes: {random_rate}");
}

#[test]
fn simulate_takes_keys_and_values_files_from_a_properties_file() {
    let keys = temp_file("sim_keys.txt", b"user-1\nuser-2\n");
    let values = temp_file("sim_values.txt", b"{\"a\":1}\n{\"b\":22}\n");
    let props = temp_file(
        "sim.properties",
        format!(
            "workload.keys=file:{}\nworkload.values=file:{}\n",
            keys.display(),
            values.display()
        )
        .as_bytes(),
    );
    let config = run(
        &[
            "simulate",
            "--config",
            props.to_str().unwrap(),
            "--print-config",
        ],
        None,
    );
    let text = String::from_utf8_lossy(&config.stdout);
    assert!(
        text.contains(&format!("workload.keys=file:{}", keys.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!("workload.values=file:{}", values.display())),
        "{text}"
    );
    // The mean of 7 and 8 bytes, rounded.
    assert!(text.contains("workload.value.size=8"), "{text}");
    let out = json(&run(
        &[
            "simulate",
            "--config",
            props.to_str().unwrap(),
            "--records",
            "1000",
            "--json",
        ],
        None,
    ));
    assert_eq!(out["records_acked"], 1000);
    // Key (6 bytes) and value (7 or 8) each add their bytes to every record.
    let size = out["metrics"]["record-size-avg"].as_f64().unwrap();
    let generated = json(&run(&["simulate", "--records", "1000", "--json"], None));
    assert!(
        size < generated["metrics"]["record-size-avg"].as_f64().unwrap() / 4.0,
        "{size}"
    );
}

#[test]
fn simulate_refuses_bad_files_clearly() {
    let missing = refused(&run(
        &[
            "simulate",
            "--set",
            "workload.values=file:/no/such/values.txt",
        ],
        None,
    ));
    assert!(
        missing
            .contains("workload.values=file:/no/such/values.txt: cannot read /no/such/values.txt"),
        "{missing}"
    );
    let empty = temp_file("sim_empty.txt", b"");
    let set = format!("workload.keys=file:{}", empty.display());
    let empty = refused(&run(&["simulate", "--set", &set], None));
    assert!(empty.contains("the input is empty"), "{empty}");

    let binary = temp_file("sim_binary.bin", b"\x00\x01\x02\n");
    let set = format!("workload.keys=file:{}", binary.display());
    let binary = refused(&run(&["simulate", "--set", &set], None));
    assert!(binary.contains("line 1 holds a NUL byte"), "{binary}");

    let mut long = vec![b'v'; 1_100_000];
    long.push(b'\n');
    let long = temp_file("sim_long.txt", &long);
    let set = format!("workload.values=file:{}", long.display());
    let too_large = refused(&run(&["simulate", "--set", &set], None));
    assert!(
        too_large.contains("line 1: RecordTooLargeException: The message is 1100088 bytes"),
        "{too_large}"
    );

    let bad = refused(&run(&["simulate", "--set", "workload.values=random"], None));
    assert!(bad.contains("expected file:PATH"), "{bad}");
}
