//! Every client's keyed partitioners against the client's own code: librdkafka's exported
//! partitioner functions (Debian's `librdkafka1`, through Python's ctypes), kafkajs's
//! partitioners (npm), and sarama's (Debian's source, built with Go). `scripts/setup.sh`
//! installs all three; a missing oracle fails the test, it is never skipped.
//!
//! 20,000 keys of every kind (ASCII, UTF-8, binary, empty, and for librdkafka null) over
//! every partition count from 1 to 1,000. Partitioners that share a rule with one checked
//! here (sarama `consistent-crc` = librdkafka `consistent`, sarama `murmur2` and franz-go's
//! `KafkaHasher` = Java = kafkajs `default`) share its code in the engine.

use producer_sim::engine::clients::{key_partition, Client};
use producer_sim::engine::rng::SimRng;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const KEYS: usize = 20_000;
const MAX_PARTITIONS: u32 = 1_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Null,
    Empty,
    Ascii,
    Utf8,
    Binary,
}

const KINDS: [Kind; 5] = [
    Kind::Null,
    Kind::Empty,
    Kind::Ascii,
    Kind::Utf8,
    Kind::Binary,
];

struct Case {
    kind: Kind,
    key: Option<Vec<u8>>,
    partitions: u32,
}

/// Key `i` is of kind `i % 5`; the partition count runs through 1..=1000 for every kind.
fn cases() -> Vec<Case> {
    let mut rng = SimRng::new(11);
    let scripts: [(u32, u32); 5] = [
        (0x00e0, 0x0100),   // Latin-1 letters (2 bytes)
        (0x0400, 0x0450),   // Cyrillic (2 bytes)
        (0x4e00, 0x4f00),   // CJK (3 bytes)
        (0x1f600, 0x1f650), // emoji (4 bytes)
        (0x20, 0x7f),       // ASCII
    ];
    (0..KEYS)
        .map(|i| {
            let kind = KINDS[i % KINDS.len()];
            let partitions = 1 + (i / KINDS.len()) as u32 % MAX_PARTITIONS;
            // Lengths over every remainder mod 4 (murmur2's tail), and some long keys.
            let len = if i % 97 == 0 {
                1 + rng.below(2_000) as usize
            } else {
                1 + rng.below(40) as usize
            };
            let key = match kind {
                Kind::Null => None,
                Kind::Empty => Some(Vec::new()),
                Kind::Ascii => Some((0..len).map(|_| 0x20 + rng.below(0x5f) as u8).collect()),
                Kind::Utf8 => Some(
                    (0..len)
                        .map(|_| {
                            let (lo, hi) = scripts[rng.below(5) as usize];
                            char::from_u32(lo + rng.below(u64::from(hi - lo)) as u32).unwrap()
                        })
                        .collect::<String>()
                        .into_bytes(),
                ),
                Kind::Binary => {
                    let mut bytes = vec![0u8; len];
                    rng.fill(&mut bytes);
                    Some(bytes)
                }
            };
            Case {
                kind,
                key,
                partitions,
            }
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs an oracle on the cases' lines ("<partitions> <key hex, or - for null>") and
/// returns its output lines, one per case.
fn run_oracle(mut command: Command, cases: &[&Case], what: &str) -> Vec<String> {
    let input: String = cases
        .iter()
        .map(|c| {
            let key = c.key.as_deref().map_or("-".to_string(), hex);
            format!("{} {key}\n", c.partitions)
        })
        .collect();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what} oracle missing ({e}): run scripts/setup.sh"));
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} oracle failed (run scripts/setup.sh): {stderr}"
    );
    eprintln!("oracle: {}", stderr.trim());
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), cases.len(), "{what} oracle: one line per key");
    lines
}

/// Compares, for every case, each column of the oracle's line with the engine's answer
/// for the partitioner of that column ("-": the client picks the partition itself).
fn check(client: Client, partitioners: &[&str], cases: &[&Case], lines: &[String]) {
    let mut mismatches = Vec::new();
    let mut compared = 0usize;
    for (case, line) in cases.iter().zip(lines) {
        let got: Vec<&str> = line.split(' ').collect();
        assert_eq!(got.len(), partitioners.len(), "{client}: {line}");
        for (&name, got) in partitioners.iter().zip(got) {
            let ours = key_partition(client, Some(name), case.key.as_deref(), case.partitions)
                .unwrap()
                .map_or("-".to_string(), |p| p.to_string());
            compared += 1;
            if ours != got {
                mismatches.push(format!(
                    "{client} {name} {:?} key {:?} n={}: client {got}, engine {ours}",
                    case.kind,
                    case.key.as_deref().map(hex),
                    case.partitions
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {compared} differ, e.g.:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(10)].join("\n")
    );
    // Every kind and every partition count was compared.
    for kind in KINDS {
        if cases.iter().any(|c| c.kind == kind) {
            let counts: std::collections::BTreeSet<u32> = cases
                .iter()
                .filter(|c| c.kind == kind)
                .map(|c| c.partitions)
                .collect();
            assert_eq!(counts.len(), MAX_PARTITIONS as usize, "{kind:?}");
        }
    }
}

fn oracles_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles")
}

#[test]
fn librdkafka_partitioners_match_librdkafka() {
    let cases = cases();
    let all: Vec<&Case> = cases.iter().collect();
    let mut command = Command::new("python3");
    command.arg(oracles_dir().join("librdkafka.py"));
    let lines = run_oracle(command, &all, "librdkafka");
    check(
        Client::Librdkafka,
        &[
            "consistent",
            "murmur2",
            "fnv1a",
            "consistent_random",
            "murmur2_random",
            "fnv1a_random",
        ],
        &all,
        &lines,
    );
}

#[test]
fn kafkajs_partitioners_match_kafkajs() {
    let cases = cases();
    // A null key is not hashed by kafkajs (round-robin).
    let keyed: Vec<&Case> = cases.iter().filter(|c| c.key.is_some()).collect();
    let dir = oracles_dir();
    assert!(
        dir.join("node_modules/kafkajs/package.json").exists(),
        "kafkajs oracle missing: run scripts/setup.sh (npm ci in tests/oracles)"
    );
    let mut command = Command::new("node");
    command.arg(dir.join("kafkajs.js")).current_dir(&dir);
    let lines = run_oracle(command, &keyed, "kafkajs");
    check(Client::Kafkajs, &["default", "legacy"], &keyed, &lines);
}

#[test]
fn sarama_partitioners_match_sarama() {
    let cases = cases();
    // A nil key is not hashed by sarama (random).
    let keyed: Vec<&Case> = cases.iter().filter(|c| c.key.is_some()).collect();
    let binary = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarama-oracle");
    let build = Command::new("go")
        .args(["build", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(oracles_dir().join("sarama"))
        .env("GOPATH", "/usr/share/gocode")
        .env("GO111MODULE", "off")
        .output()
        .unwrap_or_else(|e| panic!("sarama oracle missing: go ({e}): run scripts/setup.sh"));
    assert!(
        build.status.success(),
        "sarama oracle does not build (run scripts/setup.sh for golang-go and \
         golang-github-shopify-sarama-dev): {}",
        String::from_utf8_lossy(&build.stderr)
    );
    let lines = run_oracle(Command::new(&binary), &keyed, "sarama");
    check(Client::Sarama, &["hash", "reference-hash"], &keyed, &lines);
}
