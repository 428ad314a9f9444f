//! Export's snippets for the Go and Node.js clients are what their own tools accept:
//! every Go snippet (confluent-kafka-go, sarama, franz-go) is exactly as `gofmt` writes
//! it, and every kafkajs snippet parses with `node --check`. Go and Node.js are installed
//! by `scripts/setup.sh` (for the client oracles); a missing tool fails the test.

use producer_sim::engine::config::{Acks, CompressionType};
use producer_sim::engine::tradeoff::TradeoffSettings;
use producer_sim::reference::export::{export, ExportFormat};
use std::path::PathBuf;
use std::process::Command;

/// Settings that reach every branch of the snippets: each acks and codec, idempotence
/// unset, on and off, batch.size and linger.ms at 0, in range and beyond a client's range.
fn settings() -> Vec<TradeoffSettings> {
    let codecs = [
        CompressionType::None,
        CompressionType::Gzip,
        CompressionType::Snappy,
        CompressionType::Lz4,
        CompressionType::Zstd,
    ];
    let mut out = Vec::new();
    for (i, codec) in codecs.into_iter().enumerate() {
        for (acks, idempotence) in [
            (Acks::All, None),
            (Acks::All, Some(true)),
            (Acks::All, Some(false)),
            (Acks::One, None),
            (Acks::Zero, Some(false)),
        ] {
            out.push(TradeoffSettings {
                acks,
                enable_idempotence: idempotence,
                compression_type: codec,
                batch_size: [0, 100, 16_384, 1_048_576, 2_000_000_000][i],
                linger_ms: [0, 5, 0, 1_000_000, 20][i],
            });
        }
    }
    out
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("client_export");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A snippet's import block and statements as a Go file: `package main`, the imports, and
/// the statements in `func main`.
fn go_file(snippet: &str) -> String {
    // The import block ends at its closing parenthesis, or with its one line.
    let end = if snippet.starts_with("import (") {
        "\n)\n\n"
    } else {
        "\n\n"
    };
    let body_at = snippet.find(end).map_or(0, |i| i + end.len());
    let (imports, body) = snippet.split_at(body_at);
    let mut file = format!("package main\n\n{imports}func main() {{\n");
    for line in body.lines() {
        if line.is_empty() {
            file.push('\n');
        } else {
            file.push_str(&format!("\t{line}\n"));
        }
    }
    file.push_str("}\n");
    file
}

#[test]
fn go_snippets_are_gofmt_clean() {
    let mut checked = 0;
    for s in settings() {
        for format in [
            ExportFormat::Go,
            ExportFormat::Sarama,
            ExportFormat::FranzGo,
        ] {
            let Ok(snippet) = export(&s.to_config(), format) else {
                continue;
            };
            let path = scratch(&format!("snippet-{checked}.go"));
            let file = go_file(&snippet);
            std::fs::write(&path, &file).unwrap();
            let out = Command::new("gofmt")
                .arg("-d")
                .arg(&path)
                .output()
                .expect("gofmt (Debian's golang-go, installed by scripts/setup.sh)");
            assert!(
                out.status.success() && out.stdout.is_empty(),
                "{format:?} {s:?}\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            checked += 1;
        }
    }
    // None of these is refused (acks=1 with idempotence unset turns it off).
    assert_eq!(checked, 25 * 3);
}

#[test]
fn kafkajs_snippets_parse_as_javascript() {
    let mut checked = 0;
    for s in settings() {
        let Ok(snippet) = export(&s.to_config(), ExportFormat::Kafkajs) else {
            continue;
        };
        // `await` at the top level needs a module or an async function: the snippet is
        // the body of one.
        let path = scratch(&format!("snippet-{checked}.js"));
        std::fs::write(&path, format!("(async () => {{\n{snippet}}})()\n")).unwrap();
        let out = Command::new("node")
            .arg("--check")
            .arg(&path)
            .output()
            .expect("node (installed by scripts/setup.sh)");
        assert!(
            out.status.success(),
            "{s:?}\n{snippet}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        checked += 1;
    }
    assert_eq!(checked, 25);
}
