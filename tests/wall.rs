//! The wall between producer and cluster: `src/engine/producer/` and
//! `src/engine/cluster/` name neither each other's modules nor each other's state; they
//! meet only through `engine::protocol` messages that the world (`sim.rs`) carries.
//! Rust's module privacy alone would not say so, hence this scan of the sources.

use std::fs;
use std::path::{Path, PathBuf};

/// Modules of the cluster side, which producer files must not name.
const CLUSTER_MODULES: &[&str] = &["cluster", "replication"];
/// Modules of the producer side, which cluster files must not name.
const PRODUCER_MODULES: &[&str] = &["producer", "accumulator", "sender", "idempotence"];
/// Types that hold the cluster's state (or the whole world), which producer code must
/// not name.
const CLUSTER_TYPES: &[&str] = &["Cluster", "Simulation"];
/// Types that hold the producer's state (or the whole world), which cluster code must
/// not name.
const PRODUCER_TYPES: &[&str] = &["KafkaProducer", "ProducerIo", "Simulation"];
/// The world's fields holding cluster state, which producer code must not read.
const CLUSTER_STATE: &[&str] = &["self.cluster", "self.purgatory"];
/// The world's fields holding producer state, which cluster code must not read.
const PRODUCER_STATE: &[&str] = &[
    "self.accumulator",
    "self.partitioner",
    "self.connections",
    "self.in_flight",
    "self.known_leaders",
    "self.idempotence",
    "self.partitions_in_flight",
    "self.metadata_refresh_pending",
    "self.producer_id",
];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The source without `//` comments (doc comments included), so that prose may speak of
/// the other side.
fn code_of(source: &str) -> String {
    source
        .lines()
        .map(|line| line.find("//").map_or(line, |i| &line[..i]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every module name the code mentions: each segment of a `a::b::c` path, and every
/// name inside a `use` statement (which may group them as `use a::{b, c}`).
fn named_modules(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let words: Vec<(usize, &str)> = code
        .match_indices(|c: char| !is_ident(c))
        .fold((0, Vec::new()), |(start, mut v), (i, sep)| {
            if i > start {
                v.push((start, &code[start..i]));
            }
            (i + sep.len(), v)
        })
        .1;
    for (at, word) in &words {
        let end = at + word.len();
        if code[end..].starts_with("::") || code[..*at].ends_with("::") {
            names.push(word.to_string());
        }
    }
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        if i > 0 && rest[..i].ends_with(is_ident) {
            rest = &rest[i + 4..]; // a word ending in "use"
            continue;
        }
        let statement_end = rest[i..].find(';').map_or(rest.len(), |e| i + e);
        names.extend(
            rest[i + 4..statement_end]
                .split(|c: char| !is_ident(c))
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        );
        rest = &rest[statement_end..];
    }
    names
}

/// The names one side must not use of the other.
struct Other<'a> {
    modules: &'a [&'a str],
    types: &'a [&'a str],
    state: &'a [&'a str],
}

const CLUSTER: Other = Other {
    modules: CLUSTER_MODULES,
    types: CLUSTER_TYPES,
    state: CLUSTER_STATE,
};
const PRODUCER: Other = Other {
    modules: PRODUCER_MODULES,
    types: PRODUCER_TYPES,
    state: PRODUCER_STATE,
};

/// What a side's file names of the other side: modules, types, then state fields.
fn crossings(code: &str, other: &Other) -> Vec<String> {
    let Other {
        modules,
        types,
        state,
    } = other;
    let mut found: Vec<String> = named_modules(code)
        .into_iter()
        .filter(|n| modules.contains(&n.as_str()))
        .collect();
    found.extend(
        code.split(|c: char| !is_ident(c))
            .filter(|w| types.contains(w))
            .map(str::to_string),
    );
    for field in *state {
        let mut rest = code;
        while let Some(i) = rest.find(field) {
            let after = &rest[i + field.len()..];
            if !after.starts_with(is_ident) {
                found.push(field.to_string());
            }
            rest = after;
        }
    }
    found.sort();
    found.dedup();
    found
}

fn check_side(dir: &str, other: &Other) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let files = rust_files(&root);
    assert!(!files.is_empty(), "{dir} has no Rust files");
    let mut problems = Vec::new();
    for file in files {
        let source = fs::read_to_string(&file).expect("readable source");
        for name in crossings(&code_of(&source), other) {
            problems.push(format!("{} names {name}", file.display()));
        }
    }
    problems
}

#[test]
fn the_producer_names_nothing_of_the_cluster() {
    let problems = check_side("src/engine/producer", &CLUSTER);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_cluster_names_nothing_of_the_producer() {
    let problems = check_side("src/engine/cluster", &PRODUCER);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_scan_sees_every_way_of_naming_the_other_side() {
    let found = |code: &str| crossings(&code_of(code), &CLUSTER);
    assert_eq!(
        found("use crate::engine::cluster::Cluster;"),
        ["Cluster", "cluster"]
    );
    assert_eq!(found("use super::super::replication;"), ["replication"]);
    assert_eq!(found("use crate::engine::{cluster, log};"), ["cluster"]);
    assert_eq!(
        found("use crate::engine::{\n    log::LogEntry,\n    cluster::Brokers,\n};"),
        ["cluster"]
    );
    assert_eq!(found("fn f(c: &Cluster) {}"), ["Cluster"]);
    assert_eq!(found("fn f(w: &mut Simulation) {}"), ["Simulation"]);
    assert_eq!(
        found("fn f(s: &S) -> bool { s.x && self.cluster.broker_alive(1) }"),
        ["self.cluster"]
    );
    // Prose, other names that merely contain the word, and protocol paths pass.
    assert!(found("// the cluster::Cluster answers").is_empty());
    assert!(found(
        "let clusters = 1; self.cluster_size; let c: ClusterConfig; \
         use crate::engine::protocol::BatchMeta;"
    )
    .is_empty());
    let found = |code: &str| crossings(&code_of(code), &PRODUCER);
    assert_eq!(
        found("use crate::engine::producer::accumulator::RecordAccumulator;"),
        ["accumulator", "producer"]
    );
    assert_eq!(found("fn f(p: &mut KafkaProducer) {}"), ["KafkaProducer"]);
    assert_eq!(
        found("let c = self.connections[0].id;"),
        ["self.connections"]
    );
    assert!(found("let h = Host::Producer; self.network.producer_connection(b);").is_empty());
}
