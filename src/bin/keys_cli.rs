//! `producer-sim keys`: how a file of your own keys spreads over a topic's partitions.

use clap::Args;
use producer_sim::engine::clients::{Client, PartitionerDef};
use producer_sim::engine::config::SimConfig;
use producer_sim::engine::keys::{self, KeyCounter, KeyEncoding, KeySpread, LineForm};
use serde_json::json;
use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;

pub const KEYS_ABOUT: &str =
    "Summarise how your keys spread over partitions, and what moves when partitions are added";

pub const KEYS_LONG_ABOUT: &str = "\
Summarise how a file of record keys spreads over a topic's partitions: records per \
partition, the skew (largest partition's records over the mean), the hottest keys and \
their partitions and, with --to, how many distinct keys and records would change \
partition if the topic had M partitions instead (per-key ordering is only kept within a \
partition, so a moved key loses it across the change).

Each line is one record's key (its bytes, as Kafka's StringSerializer writes a UTF-8 \
string); with --key-value each line is KEY<TAB>VALUE and the value only counts toward \
the record's size. An empty line is an empty key, which Kafka hashes like any other key; \
a final newline ends the last line; one carriage return before each newline is dropped. \
Use --hex for keys with other bytes. A line whose record could never be sent (larger than \
max.request.size) is refused with Kafka's RecordTooLargeException message.";

const KEYS_EXAMPLES: &str = "\
Examples:
  producer-sim keys --partitions 12 customer-ids.txt
  producer-sim keys --partitions 12 --to 16 customer-ids.txt
  producer-sim keys --partitions 6 --hex --json keys.hex
  cut -f1 events.tsv | producer-sim keys --partitions 12";

pub fn keys_examples() -> &'static str {
    KEYS_EXAMPLES
}

#[derive(Args)]
pub struct KeysArgs {
    /// Number of partitions in the topic, at least 1
    #[arg(short, long, value_name = "N", value_parser = super::parse_partition_count)]
    partitions: u32,

    /// A second partition count: count the keys and records that change partition
    #[arg(long, value_name = "M", value_parser = super::parse_partition_count)]
    to: Option<u32>,

    /// Whose producer places the keys: java (default), librdkafka, kafkajs, sarama,
    /// franz-go
    #[arg(long, value_name = "C", default_value = "java")]
    client: String,

    /// One of the client's partitioners (default: the client's default), e.g.
    /// murmur2_random for librdkafka or round-robin for java
    #[arg(long, value_name = "P")]
    partitioner: Option<String>,

    /// Read each key as hex-encoded bytes, e.g. 666f6f for "foo" (an empty key is "")
    #[arg(long)]
    hex: bool,

    /// Each line is KEY<TAB>VALUE (the key ends at the first TAB)
    #[arg(long)]
    key_value: bool,

    /// How many of the most frequent keys to list
    #[arg(long, value_name = "K", default_value_t = 10)]
    top: usize,

    /// max.request.size: a line whose record is larger is refused (default: Kafka's)
    #[arg(long, value_name = "BYTES")]
    max_request_size: Option<u32>,

    /// Print the summary as one JSON object instead of text
    #[arg(long)]
    json: bool,

    /// The key file; without it keys are read from standard input
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
}

/// The client and partitioner `--client` and `--partitioner` name, checked once.
fn chosen_partitioner(args: &KeysArgs) -> Result<(Client, &'static PartitionerDef), String> {
    let client = Client::parse(&args.client).map_err(|e| format!("--client: {e}"))?;
    let def = client
        .partitioner(args.partitioner.as_deref())
        .map_err(|e| format!("--partitioner: {e}"))?;
    Ok((client, def))
}

pub fn run(args: &KeysArgs) -> Result<(), String> {
    let (client, def) = chosen_partitioner(args)?;
    let partition_for = |k: &[u8], n| def.key_partition(Some(k), n);
    let max_request_size = args
        .max_request_size
        .unwrap_or(SimConfig::default().producer.max_request_size);
    let encoding = if args.hex {
        KeyEncoding::Hex
    } else {
        KeyEncoding::Text
    };
    let form = if args.key_value {
        LineForm::KeyValue
    } else {
        LineForm::Key
    };
    let (name, mut input): (String, Box<dyn Read>) = match &args.file {
        Some(path) => (
            path.display().to_string(),
            Box::new(File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?),
        ),
        None => {
            if io::stdin().is_terminal() {
                eprintln!("Reading keys from standard input, one per line; end with Ctrl-D.");
            }
            ("standard input".into(), Box::new(io::stdin().lock()))
        }
    };
    let mut counter = KeyCounter::new(encoding, form, max_request_size);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("cannot read {name}: {e}")),
        };
        counter
            .feed(&buf[..n])
            .map_err(|e| format!("{name}: {e}"))?;
    }
    let counts = counter.finish().map_err(|e| format!("{name}: {e}"))?;
    let spread = keys::spread(&counts, args.partitions, args.to, args.top, partition_for);
    let text = if args.json {
        format!("{}\n", to_json(&spread, client, def))
    } else {
        format_text(&spread, client, def, args.hex)
    };
    super::write_stdout(&text)
}

fn hex(key: &[u8]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// A key as text: hex with --hex, otherwise as `keys::printable_key` shows it.
fn shown_key(key: &[u8], as_hex: bool) -> String {
    if as_hex {
        return hex(key);
    }
    let text = keys::printable_key(key);
    if text.is_empty() {
        "(empty key)".into()
    } else {
        text
    }
}

fn to_json(s: &KeySpread, client: Client, def: &PartitionerDef) -> serde_json::Value {
    let r = s.repartition.as_ref();
    json!({
        "client": client.name(),
        "partitioner": def.name,
        "records": s.records,
        "distinct_keys": s.distinct_keys,
        "partition_count": s.shares.partition_count,
        "partitions": s.shares.records,
        "keys_per_partition": s.shares.keys,
        "max_over_mean": s.shares.max_over_mean,
        "unplaced_records": s.shares.unplaced_records,
        "hottest": s.hottest.iter().map(|h| json!({
            "key": String::from_utf8_lossy(&h.key),
            "key_hex": hex(&h.key),
            "records": h.records,
            "partition": h.partition,
            "to_partition": h.to_partition,
        })).collect::<Vec<_>>(),
        "to": r.map(|r| r.shares.partition_count),
        "to_partitions": r.map(|r| &r.shares.records),
        "to_max_over_mean": r.map(|r| r.shares.max_over_mean),
        "moved_keys": r.map(|r| r.moved_keys),
        "moved_records": r.map(|r| r.moved_records),
        "moves": r.map(|r| &r.moves),
    })
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn format_text(s: &KeySpread, client: Client, def: &PartitionerDef, as_hex: bool) -> String {
    let sh = &s.shares;
    let mut out = format!(
        "{} records, {} distinct keys, {} partitions ({client} client, {} partitioner)\n\
         skew (largest partition / mean): {:.3}\n",
        s.records, s.distinct_keys, sh.partition_count, def.name, sh.max_over_mean
    );
    if sh.unplaced_records > 0 {
        out.push_str(&format!(
            "{} records are not placed by their key: {}\n",
            sh.unplaced_records,
            keys::unplaced_reason(client, def)
        ));
    }
    out.push_str("\npartition      records    share       keys\n");
    for (p, (&records, &keys)) in sh.records.iter().zip(&sh.keys).enumerate() {
        out.push_str(&format!(
            "{p:>9} {records:>12} {:>7.2}% {keys:>10}\n",
            percent(records, s.records)
        ));
    }
    if !s.hottest.is_empty() {
        out.push_str(&format!(
            "\n  {:<24} {:>8} {:>10}",
            "hottest keys", "records", "partition"
        ));
        if let Some(r) = &s.repartition {
            out.push_str(&format!(
                " {:>6}",
                format!("at {}", r.shares.partition_count)
            ));
        }
        out.push('\n');
        for h in &s.hottest {
            let place = |p: Option<u32>| p.map_or("-".to_string(), |p| p.to_string());
            out.push_str(&format!(
                "  {:<24} {:>8} {:>10}",
                shown_key(&h.key, as_hex),
                h.records,
                place(h.partition)
            ));
            if s.repartition.is_some() {
                out.push_str(&format!(" {:>6}", place(h.to_partition)));
            }
            out.push('\n');
        }
    }
    if let Some(r) = &s.repartition {
        out.push_str(&format!(
            "\nfrom {} to {} partitions: {} of {} distinct keys move ({:.2}%), {} of {} records \
             ({:.2}%); skew at {} partitions: {:.3}\n",
            sh.partition_count,
            r.shares.partition_count,
            r.moved_keys,
            s.distinct_keys,
            percent(r.moved_keys, s.distinct_keys),
            r.moved_records,
            s.records,
            percent(r.moved_records, s.records),
            r.shares.partition_count,
            r.shares.max_over_mean,
        ));
        if !r.moves.is_empty() {
            out.push_str("   from     to       keys    records\n");
            for m in &r.moves {
                out.push_str(&format!(
                    "{:>7} {:>6} {:>10} {:>10}\n",
                    m.from, m.to, m.keys, m.records
                ));
            }
        }
    }
    out
}
