//! The `producer-sim` command line: where Kafka's default partitioner puts a key, and
//! whole simulated producer runs summarised like `kafka-producer-perf-test`.
//!
//! Exit status: 0 on success, 1 when the input or the settings are refused (the reason is
//! on standard error), 2 when the command line itself is malformed.

use clap::{Args, Parser, Subcommand};
use producer_sim::engine::clients::{self, Client};
use producer_sim::engine::config::SettingGroup;
use producer_sim::engine::fault::{FaultParseError, ScheduledFault};
use producer_sim::engine::keys;
use producer_sim::engine::partitioner::key_partition;
use producer_sim::engine::record_file;
use producer_sim::engine::scenario::{self, Scenario};
use producer_sim::engine::{self, RunReport, SimConfig};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "keys_cli.rs"]
mod keys_cli;

/// The seed a run uses when `--seed` is not given: the same command always gives the
/// same run.
const DEFAULT_SEED: u64 = scenario::SEED;

const ABOUT: &str = "An Apache Kafka producer simulator: see where keys land and how a \
producer's settings play out on a simulated cluster.";

const MAIN_EXAMPLES: &str = "\
Examples:
  producer-sim partition --partitions 6 order-17 order-18
  producer-sim partition --partitions 6 --client librdkafka order-17 order-18
  printf 'a\\nb\\n' | producer-sim partition --partitions 3
  producer-sim simulate --set acks=1 --set linger.ms=20 --records 100000
  producer-sim simulate --config producer.properties --json
  producer-sim simulate --client sarama --set workload.keys=none
  producer-sim keys --partitions 12 --to 16 customer-ids.txt

Run 'producer-sim <COMMAND> --help' for each command's options.";

const PARTITION_ABOUT: &str =
    "Print the partition Kafka's built-in partitioner (or another client's) picks for each key";

const PARTITION_LONG_ABOUT: &str = "\
Print the partition Kafka's built-in partitioner picks for each key: \
murmur2 of the key bytes, made positive (& 0x7fffffff), modulo the number of partitions \
(BuiltInPartitioner.partitionForKey). Each key's partition is printed alone on a line, \
in the order the keys were given.

Keys come from the KEY arguments (their UTF-8 bytes, as Kafka's StringSerializer \
writes them) or, with no KEY arguments, from standard input, one key per line. On \
standard input an empty line is an empty key, which Kafka hashes like any other key; \
a final line without a newline is a key too; one carriage return before each newline \
is dropped (so files with Windows line endings work). Use --hex for keys with other \
bytes, and put -- before keys that start with '-'.

--client picks another client's producer and --partitioner one of its partitioners (each \
client's default without it): librdkafka (C/C++, confluent-kafka-python, -go, .NET) hashes \
with CRC-32 by default, sarama with FNV-1a, kafkajs's legacy partitioner with a murmur2 that \
is not Java's. Where that client picks the partition itself (sticky, random or \
round-robin: an empty key under librdkafka's default partitioner, or a partitioner that \
ignores keys), the line says so instead of a number. --steps prints each key's hash steps.";

const PARTITION_EXAMPLES: &str = "\
Examples:
  producer-sim partition --partitions 6 user-1 user-2 user-3
  producer-sim partition --partitions 6 --hex 666f6f626172     (the key \"foobar\")
  producer-sim partition --partitions 12 < keys.txt
  producer-sim partition --partitions 3 -- -1                  (a key starting with '-')
  producer-sim partition --partitions 6 --client librdkafka kafka   (CRC-32: 5, not 4)
  producer-sim partition --partitions 6 --client sarama --partitioner murmur2 --steps kafka";

const SIMULATE_ABOUT: &str =
    "Run a simulated producer against a simulated cluster and summarise the run";

const SIMULATE_LONG_ABOUT: &str = "\
Run a simulated producer against a simulated cluster and summarise the run.

Settings start at their defaults (Kafka's Java producer's, or with --client that \
client's), then --config is applied, \
then each --set in order, then --records. The result is checked with Kafka's own rules \
(e.g. delivery.timeout.ms >= linger.ms + request.timeout.ms; enable.idempotence=true \
needs acks=all), or the client's; a refused combination is reported with the client's \
message. A setting given by --set or --config counts as set, even to its default: where \
a client treats a set value differently from an unset one (librdkafka's max.in.flight \
with enable.idempotence=true, Java's delivery.timeout.ms), so does the run. Settings Kafka \
adjusts quietly (e.g. idempotence turned off by acks=1) are reported on standard error \
as warnings, as Kafka logs them.

The summary starts with a line in the form of kafka-producer-perf-test's final line \
(records sent, records/sec, MB/sec, latency avg/max/50th/99th), followed by the \
acknowledged and failed counts, every record's fate, and the producer metrics under \
the names the Java producer gives them. Simulated time, not wall time.";

const SIMULATE_EXAMPLES: &str = "\
Examples:
  producer-sim simulate
  producer-sim simulate --set acks=1 --set enable.idempotence=false --records 50000
  producer-sim simulate --set compression.type=lz4 --set workload.value.profile=log
  producer-sim simulate --config producer.properties --set linger.ms=50 --seed 7 --json
  producer-sim simulate --set partitions=12 --print-config > my.properties
  producer-sim simulate --list-scenarios
  producer-sim simulate --scenario acks1-leader-crash
  producer-sim simulate --set acks=1 --fault crash:broker=0@1s --fault restart:broker=0@12s
  producer-sim simulate --client librdkafka --set queue.buffering.max.ms=20 --print-config
  producer-sim simulate --client sarama --set workload.keys=none
  producer-sim simulate --client franz-go --partitioner least-backup --set workload.keys=none \\
      --fault cut-producer:broker=0@100ms --fault heal-producer:broker=0@2s";

#[derive(Parser)]
#[command(
    name = "producer-sim",
    version,
    about = ABOUT,
    after_help = MAIN_EXAMPLES,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(about = PARTITION_ABOUT, long_about = PARTITION_LONG_ABOUT, after_help = PARTITION_EXAMPLES)]
    Partition(PartitionArgs),
    #[command(
        about = SIMULATE_ABOUT,
        long_about = SIMULATE_LONG_ABOUT,
        after_help = SIMULATE_EXAMPLES,
        after_long_help = simulate_long_help()
    )]
    Simulate(SimulateArgs),
    #[command(
        about = keys_cli::KEYS_ABOUT,
        long_about = keys_cli::KEYS_LONG_ABOUT,
        after_help = keys_cli::keys_examples()
    )]
    Keys(keys_cli::KeysArgs),
}

#[derive(Args)]
struct PartitionArgs {
    /// Number of partitions in the topic (all of them, available or not), at least 1
    #[arg(short, long, value_name = "N", value_parser = parse_partition_count)]
    partitions: u32,

    /// Read each key as hex-encoded bytes, e.g. 666f6f for "foo" (an empty key is "")
    #[arg(long)]
    hex: bool,

    /// Whose producer places the keys: java (default), librdkafka, kafkajs, sarama,
    /// franz-go
    #[arg(long, value_name = "CLIENT", value_parser = parse_client, default_value = "java")]
    client: Client,

    /// One of the client's partitioners (default: the client's default), e.g.
    /// murmur2_random for librdkafka
    #[arg(long, value_name = "NAME")]
    partitioner: Option<String>,

    /// Print each key's hash steps after its partition
    #[arg(long)]
    steps: bool,

    /// Keys to place; with none, keys are read from standard input, one per line
    #[arg(value_name = "KEY")]
    keys: Vec<String>,
}

fn parse_client(text: &str) -> Result<Client, String> {
    Client::parse(text).map_err(|e| e.to_string())
}

#[derive(Args)]
struct SimulateArgs {
    /// Whose producer to simulate: java (default), librdkafka, kafkajs, sarama, franz-go.
    /// The run starts from that client's defaults; --set and --config then also take the
    /// client's own setting names (e.g. queue.buffering.max.ms for librdkafka). kafkajs
    /// batches per send() call: --set workload.messages.per.send=N sends N per call
    #[arg(long, value_name = "CLIENT", value_parser = parse_client)]
    client: Option<Client>,

    /// One of the client's partitioners: the same as --set partitioner=NAME
    #[arg(long, value_name = "NAME")]
    partitioner: Option<String>,

    /// Read settings from a Java .properties file, applied over the defaults
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Set one setting, e.g. --set acks=1 (repeatable, applied in order after --config)
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    set: Vec<(String, String)>,

    /// Records to send: the same as --set workload.records=N, applied last
    #[arg(long, value_name = "N")]
    records: Option<u64>,

    /// Seed for every random choice; the same seed and settings give the same run
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SEED)]
    seed: u64,

    /// Print the run summary as one JSON object instead of text
    #[arg(long)]
    json: bool,

    /// Print every setting the run would use, as .properties text, and stop
    #[arg(long)]
    print_config: bool,

    /// Run a named scenario: its settings (applied before --config and --set) and its
    /// faults (before any --fault). See --list-scenarios
    #[arg(long, value_name = "NAME")]
    scenario: Option<String>,

    /// List the named scenarios and stop
    #[arg(long)]
    list_scenarios: bool,

    /// Inject a fault (repeatable): KIND:broker=ID@TIME, e.g. crash:broker=1@250ms or
    /// restart:broker=1@2s. KIND is crash, restart, slow (add ,ms=EXTRA), pause (add
    /// ,ms=LENGTH), cut-producer, heal-producer, cut-replication or heal-replication;
    /// TIME is simulated time from the start, like 250ms, 2s or 1.5s
    #[arg(long = "fault", value_name = "SPEC", value_parser = parse_fault)]
    faults: Vec<ScheduledFault>,
}

fn parse_fault(text: &str) -> Result<ScheduledFault, String> {
    text.parse().map_err(|e: FaultParseError| e.to_string())
}

fn find_scenario(name: &str) -> Result<&'static Scenario, String> {
    scenario::find(name).ok_or_else(|| {
        let names: Vec<&str> = scenario::SCENARIOS.iter().map(|s| s.name).collect();
        format!(
            "no scenario named '{name}'; the scenarios are: {}",
            names.join(", ")
        )
    })
}

fn list_scenarios() -> String {
    let mut out = String::new();
    for s in scenario::SCENARIOS {
        out.push_str(&format!("{:<28} {}\n", s.name, s.title));
    }
    out
}

/// Every setting with its default, grouped, for `simulate --help`.
fn simulate_long_help() -> String {
    let defaults = SimConfig::default();
    let mut out = String::from(SIMULATE_EXAMPLES);
    out.push_str("\n\nSettings for --set and --config, with their defaults:");
    for group in SettingGroup::ALL {
        out.push_str(&format!("\n  {}\n", group.title()));
        for key in group.keys() {
            let value = defaults.get(key).unwrap_or_default();
            let shown = match (*key, value.as_str()) {
                ("enable.idempotence", "") => {
                    "unset (true unless acks or retries conflict)".to_string()
                }
                ("partitioner.class", "") => {
                    "unset (built-in; or round-robin, legacy-sticky, or a Kafka class name)"
                        .to_string()
                }
                ("workload.keys", v) => {
                    format!("{v} (or none, zipf:N:EXPONENT, list:a,b,c, file:PATH)")
                }
                ("workload.values", "") => {
                    "unset (generated; or file:PATH, one value per line)".to_string()
                }
                ("workload.value.profile", v) => format!("{v} (or random, log, text)"),
                (_, v) => v.to_string(),
            };
            out.push_str(&format!("    {key:<42} {shown}\n"));
        }
    }
    out
}

fn parse_partition_count(text: &str) -> Result<u32, String> {
    match text.trim().parse::<i64>() {
        Ok(n) if n >= 1 && n <= i64::from(i32::MAX) => Ok(n as u32),
        Ok(n) if n < 1 => Err(format!("a topic has at least 1 partition, got {n}")),
        _ => Err(format!(
            "expected a whole number of partitions from 1 to {}",
            i32::MAX
        )),
    }
}

fn parse_key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!(
            "expected KEY=VALUE, e.g. acks=all or linger.ms=20 (got '{text}')"
        )),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Partition(args) => partition(&args),
        Command::Simulate(args) => simulate(&args),
        Command::Keys(args) => keys_cli::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn partition(args: &PartitionArgs) -> Result<(), String> {
    let stdin_bytes;
    let raw_keys: Vec<&[u8]> = if args.keys.is_empty() {
        if io::stdin().is_terminal() {
            eprintln!("Reading keys from standard input, one per line; end with Ctrl-D.");
        }
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read keys from standard input: {e}"))?;
        stdin_bytes = bytes;
        keys::lines(&stdin_bytes).collect()
    } else {
        args.keys.iter().map(|k| k.as_bytes()).collect()
    };

    // Decode every key before printing anything, so bad input prints no partial answer.
    let mut keys = Vec::with_capacity(raw_keys.len());
    for (i, raw) in raw_keys.iter().enumerate() {
        if args.hex {
            let key = keys::decode_hex(raw).map_err(|why| {
                format!(
                    "key {} ('{}') is not valid hex: {why}",
                    i + 1,
                    String::from_utf8_lossy(raw)
                )
            })?;
            keys.push(key);
        } else {
            keys.push(raw.to_vec());
        }
    }

    if args.client == Client::Java && args.partitioner.is_none() {
        let mut out = String::with_capacity(keys.len() * 4);
        for key in &keys {
            let steps = key_partition(key, args.partitions);
            out.push_str(&steps.partition.to_string());
            if args.steps {
                out.push_str(&format!(
                    "\tmurmur2 h = {} ; (h & 0x7fffffff) = {} ; % {} = {}",
                    steps.murmur2, steps.positive, steps.num_partitions, steps.partition
                ));
            }
            out.push('\n');
        }
        return write_stdout(&out);
    }
    let def = args
        .client
        .partitioner(args.partitioner.as_deref())
        .map_err(|e| e.to_string())?;
    let mut out = String::with_capacity(keys.len() * 4);
    for key in &keys {
        match def.hash_steps(Some(key), args.partitions) {
            Some(steps) => {
                out.push_str(&steps.partition.to_string());
                if args.steps {
                    out.push_str(&format!("\t{steps}"));
                }
            }
            None => out.push_str(&format!(
                "-\t{} ({}) picks the partition itself: {}",
                args.client,
                def.name,
                def.keyless(Some(key))
                    .map_or("", clients::Keyless::describe)
            )),
        }
        out.push('\n');
    }
    write_stdout(&out)
}

fn simulate(args: &SimulateArgs) -> Result<(), String> {
    if args.list_scenarios {
        return write_stdout(&list_scenarios());
    }
    let config = build_config(args)?;
    config.validate().map_err(|e| e.to_string())?;
    if args.print_config {
        return write_stdout(&config.to_properties());
    }
    for warning in config.warnings() {
        eprintln!("warning: {warning}");
    }
    let mut faults = match &args.scenario {
        Some(name) => find_scenario(name)?.faults().map_err(|e| e.to_string())?,
        None => Vec::new(),
    };
    faults.extend(args.faults.iter().copied());
    for f in &faults {
        if f.fault.broker() >= config.cluster.brokers {
            return Err(format!(
                "--fault names broker {}, but the cluster has brokers 0 to {}",
                f.fault.broker(),
                config.cluster.brokers - 1
            ));
        }
    }
    let report = engine::run_report(&config, args.seed, &faults).map_err(|e| e.to_string())?;
    let text = if args.json {
        let mut json = serde_json::to_string(&report)
            .map_err(|e| format!("cannot write the summary as JSON: {e}"))?;
        json.push('\n');
        json
    } else {
        format_summary(&report, &config)
    };
    write_stdout(&text)
}

/// Defaults (or the scenario's settings), then the --config file, then each --set in
/// order, then --records.
fn build_config(args: &SimulateArgs) -> Result<SimConfig, String> {
    let mut config = match (&args.scenario, args.client) {
        // The client's defaults, then the scenario's own settings over them.
        (Some(name), Some(client)) => find_scenario(name)?
            .config_for(client)
            .map_err(|e| format!("--scenario: {e}"))?,
        (Some(name), None) => find_scenario(name)?.config().map_err(|e| e.to_string())?,
        (None, Some(client)) => SimConfig::for_client(client),
        (None, None) => SimConfig::default(),
    };
    if let Some(name) = &args.partitioner {
        config
            .set("partitioner", name)
            .map_err(|e| format!("--partitioner {name}: {e}"))?;
    }
    if let Some(path) = &args.config {
        let text = read_config_file(path)?;
        config
            .apply_properties(&text)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    for (key, value) in &args.set {
        config
            .set(key, value)
            .map_err(|e| format!("--set {key}={value}: {e}"))?;
    }
    if let Some(records) = args.records {
        config.workload.records = records;
    }
    // workload.keys=file:PATH and workload.values=file:PATH: the engine reads no files.
    record_file::load_workload_files(&mut config, |path| {
        std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
    })
    .map_err(|e| e.to_string())?;
    Ok(config)
}

fn read_config_file(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // Kafka's tools read .properties files as ISO-8859-1; non-ASCII text in UTF-8 is
    // accepted too, and \uXXXX escapes work either way.
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    })
}

/// The text summary: kafka-producer-perf-test's final line (`ProducerPerformance.printTotal`,
/// with the percentiles the engine reports), then counts, fates and producer metrics.
fn format_summary(report: &RunReport, config: &SimConfig) -> String {
    let summary = &report.summary;
    let p = &config.producer;
    let t = &config.topic;
    let l = &summary.latency;
    let client = match p.client {
        Client::Java => String::new(),
        other => format!(
            " {other}, partitioner {},",
            other
                .partitioner(Some(p.partitioner.as_str()).filter(|n| !n.is_empty()))
                .map_or("?", |d| d.name)
        ),
    };
    let mut out = format!(
        "Producer:{client} acks={} idempotence={} batch.size={} linger.ms={} compression.type={} | \
         {} brokers, {} partitions, replication.factor={}, min.insync.replicas={}\n",
        p.acks.as_str(),
        if config.idempotence_enabled() {
            "on"
        } else {
            "off"
        },
        p.batch_size,
        p.linger_ms,
        p.compression_type.as_str(),
        config.cluster.brokers,
        t.partitions,
        t.replication_factor,
        t.min_insync_replicas,
    );
    out.push_str(&format!(
        "{} records sent, {:.6} records/sec ({:.2} MB/sec), {:.2} ms avg latency, {:.2} ms max latency, {:.2} ms 50th, {:.2} ms 99th.\n",
        summary.records_sent,
        summary.records_per_sec,
        summary.mb_per_sec,
        l.avg_ms,
        l.max_ms,
        l.p50_ms,
        l.p99_ms,
    ));
    out.push_str(&format!(
        "{} acknowledged, {} failed, in {:.3} ms of simulated time (seed {}).\n",
        summary.records_acked, summary.records_failed, summary.duration_ms, summary.seed
    ));
    out.push_str("\nRecord fates (they add up to the records sent):\n");
    push_fields(&mut out, &summary.fates);
    out.push_str("\nErrors the producer saw (Kafka error: times a batch or send() got it):\n");
    if report.errors.is_empty() {
        out.push_str("  none\n");
    }
    for (name, n) in &report.errors {
        out.push_str(&format!("  {name:<40} {n:>8}\n"));
    }
    out.push_str("\nPartitions at the end (records below the high watermark are committed):\n");
    out.push_str("  partition  leader  isr          log end offset  high watermark\n");
    for p in &report.partitions {
        let leader = p.leader.map_or("none".to_string(), |l| l.to_string());
        let isr = format!(
            "[{}]",
            p.isr
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",")
        );
        out.push_str(&format!(
            "  {:>9}  {leader:>6}  {isr:<11}  {:>14}  {:>14}\n",
            p.partition, p.log_end_offset, p.high_watermark
        ));
    }
    out.push_str("\nProducer metrics:\n");
    push_fields(&mut out, &summary.metrics);
    out.push_str(&format!("\ndigest {:016x}\n", summary.digest));
    out
}

/// One `  name  value` line per field, using the field names the JSON output uses.
fn push_fields<T: serde::Serialize>(out: &mut String, value: &T) {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(value) else {
        return;
    };
    for (name, value) in fields {
        let shown = match &value {
            serde_json::Value::Number(n) if n.is_f64() => {
                format!("{:.3}", n.as_f64().unwrap_or(0.0))
            }
            other => other.to_string(),
        };
        out.push_str(&format!("  {name:<32} {shown:>16}\n"));
    }
}

/// Writes to standard output; a closed pipe (e.g. `| head`) ends the output quietly.
fn write_stdout(text: &str) -> Result<(), String> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write to standard output: {e}")),
    }
}
