//! The producer settings of the "Throughput vs Durability" section (acks,
//! enable.idempotence, batch.size, linger.ms, compression.type) as configuration a user
//! can paste into a real client: Java `.properties`, confluent-kafka-python, Go
//! (confluent-kafka-go) and .NET (Confluent.Kafka).
//!
//! Names and values were checked against the clients' sources:
//! - Java: `clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java`
//!   (apache/kafka): `acks` takes `all`, `-1`, `0`, `1`; `compression.type` takes
//!   `none`, `gzip`, `snappy`, `lz4`, `zstd`.
//! - librdkafka, underneath the Python, Go and .NET clients: `src/rdkafka_conf.c` and
//!   `CONFIGURATION.md` (confluentinc/librdkafka): `acks` is an alias of
//!   `request.required.acks` (-1..1000, with `all` meaning -1), `linger.ms` an alias of
//!   `queue.buffering.max.ms` (0..900000), `compression.type` an alias of
//!   `compression.codec` (same five names), `batch.size` 1..2147483647 (default 1000000),
//!   `enable.idempotence` default false. Its defaults differ from Java's, so every
//!   setting is written out, and `enable.idempotence` with the value the Java producer
//!   would use.
//! - confluent-kafka-python (`src/confluent_kafka/src/confluent_kafka.c`): a dict whose
//!   values are turned into strings with `str()` and handed to librdkafka, which reads
//!   booleans case-insensitively (`True` works).
//! - confluent-kafka-go (`kafka/config.go`): `kafka.ConfigMap` is a
//!   `map[string]ConfigValue` that accepts `bool`, `int` and `string` values; import path
//!   `github.com/confluentinc/confluent-kafka-go/v2/kafka`.
//! - Confluent.Kafka for .NET (`src/Confluent.Kafka/Config_gen.cs`): `ProducerConfig`
//!   properties `Acks` (enum `Acks.None`, `Acks.Leader`, `Acks.All`), `EnableIdempotence`
//!   (`bool?`), `BatchSize` (`int?`), `LingerMs` (`double?`), `CompressionType` (enum
//!   `None`, `Gzip`, `Snappy`, `Lz4`, `Zstd`), `BootstrapServers`.

use crate::engine::clients::Client;
use crate::engine::config::{Acks, CompressionType, SimConfig};
use serde::{Deserialize, Serialize};

/// A client configuration format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportFormat {
    /// A Java client `.properties` file.
    JavaProperties,
    /// A confluent-kafka-python `Producer` dict (librdkafka names).
    Python,
    /// A confluent-kafka-go `kafka.ConfigMap` (librdkafka names).
    Go,
    /// A Confluent.Kafka `ProducerConfig` initializer (C#).
    DotNet,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::JavaProperties,
        ExportFormat::Python,
        ExportFormat::Go,
        ExportFormat::DotNet,
    ];

    /// A short name for a tab or a menu.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::JavaProperties => "Java (.properties)",
            ExportFormat::Python => "Python (confluent-kafka)",
            ExportFormat::Go => "Go (confluent-kafka-go)",
            ExportFormat::DotNet => ".NET (Confluent.Kafka)",
        }
    }

    /// The language or format alone, for a narrow tab.
    pub fn short_label(self) -> &'static str {
        match self {
            ExportFormat::JavaProperties => "Java",
            ExportFormat::Python => "Python",
            ExportFormat::Go => "Go",
            ExportFormat::DotNet => ".NET",
        }
    }

    /// A stable identifier (for element ids and URLs).
    pub fn id(self) -> &'static str {
        match self {
            ExportFormat::JavaProperties => "java",
            ExportFormat::Python => "python",
            ExportFormat::Go => "go",
            ExportFormat::DotNet => "dotnet",
        }
    }

    pub fn from_id(id: &str) -> Option<ExportFormat> {
        ExportFormat::ALL.into_iter().find(|f| f.id() == id)
    }
}

/// The settings, in the chosen format.
pub fn export(config: &SimConfig, format: ExportFormat) -> String {
    match format {
        ExportFormat::JavaProperties => java_properties(config),
        ExportFormat::Python => python(config),
        ExportFormat::Go => go(config),
        ExportFormat::DotNet => dotnet(config),
    }
}

/// The placeholder broker address the client snippets connect to.
const BOOTSTRAP_SERVERS: &str = "localhost:9092";

fn java_properties(config: &SimConfig) -> String {
    let p = &config.producer;
    let mut out = String::from(
        "# Kafka producer settings (Java client, Kafka 4.x)\n\
         # Add bootstrap.servers, key.serializer and value.serializer for your cluster.\n",
    );
    out.push_str(&format!("acks={}\n", p.acks.as_str()));
    match p.enable_idempotence {
        Some(v) => out.push_str(&format!("enable.idempotence={v}\n")),
        None => out.push_str(&format!(
            "# enable.idempotence is unset, so the producer decides: {} with these settings\n",
            on_off(config.idempotence_enabled())
        )),
    }
    out.push_str(&format!("batch.size={}\n", p.batch_size));
    out.push_str(&format!("linger.ms={}\n", p.linger_ms));
    out.push_str(&format!(
        "compression.type={}\n",
        p.compression_type.as_str()
    ));
    out
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// One librdkafka setting: name, value as the client's literal, and a note when the
/// value had to differ from the Java one.
struct Entry {
    key: &'static str,
    value: Value,
    note: Option<&'static str>,
}

enum Value {
    Str(&'static str),
    Int(u64),
    Bool(bool),
}

/// librdkafka's `linger.ms` maximum (`queue.buffering.max.ms`, 0..900000).
const LIBRDKAFKA_MAX_LINGER_MS: u64 = 900_000;

/// librdkafka's name for one of the simulator's settings, from its client profile
/// (`engine::clients`).
fn librdkafka_name(key: &'static str) -> &'static str {
    Client::Librdkafka
        .setting(key)
        .and_then(|s| s.names.first().copied())
        .unwrap_or(key)
}

/// The settings with librdkafka's names and ranges.
fn librdkafka_entries(config: &SimConfig) -> Vec<Entry> {
    let p = &config.producer;
    let idempotence = config.idempotence_enabled();
    vec![
        Entry {
            key: "bootstrap.servers",
            value: Value::Str(BOOTSTRAP_SERVERS),
            note: None,
        },
        Entry {
            key: librdkafka_name("acks"),
            value: Value::Str(p.acks.as_str()),
            note: None,
        },
        Entry {
            key: librdkafka_name("enable.idempotence"),
            value: Value::Bool(idempotence),
            note: match (p.enable_idempotence, idempotence) {
                (None, true) => Some("the Java producer's choice; librdkafka's default is false"),
                _ => None,
            },
        },
        Entry {
            key: librdkafka_name("batch.size"),
            value: Value::Int(u64::from(p.batch_size.max(1))),
            note: (p.batch_size == 0)
                .then_some("librdkafka's minimum; Java's 0 also means one record per batch"),
        },
        Entry {
            key: librdkafka_name("linger.ms"),
            value: Value::Int(p.linger_ms.min(LIBRDKAFKA_MAX_LINGER_MS)),
            note: (p.linger_ms > LIBRDKAFKA_MAX_LINGER_MS).then_some("librdkafka's maximum"),
        },
        Entry {
            key: librdkafka_name("compression.type"),
            value: Value::Str(p.compression_type.as_str()),
            note: None,
        },
    ]
}

fn python(config: &SimConfig) -> String {
    let mut out = String::from("from confluent_kafka import Producer\n\nproducer = Producer({\n");
    for e in librdkafka_entries(config) {
        let value = match e.value {
            Value::Str(s) => format!("\"{s}\""),
            Value::Int(n) => n.to_string(),
            Value::Bool(true) => "True".to_string(),
            Value::Bool(false) => "False".to_string(),
        };
        out.push_str(&format!("    \"{}\": {value},", e.key));
        if let Some(note) = e.note {
            out.push_str(&format!("  # {note}"));
        }
        out.push('\n');
    }
    out.push_str("})\n");
    out
}

fn go(config: &SimConfig) -> String {
    let entries = librdkafka_entries(config);
    // gofmt aligns the values of consecutive key-value lines.
    // `"key": ` is the key, two quotes, a colon and a space.
    let width = entries.iter().map(|e| e.key.len()).max().unwrap_or(0) + 4;
    let mut out = String::from(
        "import \"github.com/confluentinc/confluent-kafka-go/v2/kafka\"\n\n\
         p, err := kafka.NewProducer(&kafka.ConfigMap{\n",
    );
    for e in entries {
        let key = format!("\"{}\":", e.key);
        let value = match e.value {
            Value::Str(s) => format!("\"{s}\""),
            Value::Int(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
        };
        out.push_str(&format!("\t{key:<width$}{value},"));
        if let Some(note) = e.note {
            out.push_str(&format!(" // {note}"));
        }
        out.push('\n');
    }
    out.push_str("})\n");
    out
}

fn dotnet(config: &SimConfig) -> String {
    let p = &config.producer;
    let acks = match p.acks {
        Acks::Zero => "Acks.None",
        Acks::One => "Acks.Leader",
        Acks::All => "Acks.All",
    };
    let compression = match p.compression_type {
        CompressionType::None => "CompressionType.None",
        CompressionType::Gzip => "CompressionType.Gzip",
        CompressionType::Snappy => "CompressionType.Snappy",
        CompressionType::Lz4 => "CompressionType.Lz4",
        CompressionType::Zstd => "CompressionType.Zstd",
    };
    let mut out = String::from("using Confluent.Kafka;\n\nvar config = new ProducerConfig\n{\n");
    out.push_str(&format!(
        "    BootstrapServers = \"{BOOTSTRAP_SERVERS}\",\n"
    ));
    out.push_str(&format!("    Acks = {acks},\n"));
    let idempotence = config.idempotence_enabled();
    out.push_str(&format!("    EnableIdempotence = {idempotence},"));
    if p.enable_idempotence.is_none() && idempotence {
        out.push_str(" // the Java producer's choice; librdkafka's default is false");
    }
    out.push('\n');
    out.push_str(&format!("    BatchSize = {},", p.batch_size.max(1)));
    if p.batch_size == 0 {
        out.push_str(" // librdkafka's minimum; Java's 0 also means one record per batch");
    }
    out.push('\n');
    out.push_str(&format!(
        "    LingerMs = {},",
        p.linger_ms.min(LIBRDKAFKA_MAX_LINGER_MS)
    ));
    if p.linger_ms > LIBRDKAFKA_MAX_LINGER_MS {
        out.push_str(" // librdkafka's maximum");
    }
    out.push('\n');
    out.push_str(&format!("    CompressionType = {compression},\n"));
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tradeoff::TradeoffSettings;

    fn settings() -> Vec<TradeoffSettings> {
        let mut out = vec![TradeoffSettings::default()];
        for (acks, idem) in [
            (Acks::Zero, None),
            (Acks::One, Some(false)),
            (Acks::All, Some(true)),
            (Acks::All, Some(false)),
        ] {
            for (i, c) in [
                CompressionType::None,
                CompressionType::Gzip,
                CompressionType::Snappy,
                CompressionType::Lz4,
                CompressionType::Zstd,
            ]
            .into_iter()
            .enumerate()
            {
                out.push(TradeoffSettings {
                    acks,
                    enable_idempotence: idem,
                    compression_type: c,
                    batch_size: [0, 1024, 16_384, 65_536, 1_048_576][i],
                    linger_ms: [0, 1, 5, 100, 1000][i],
                });
            }
        }
        out
    }

    #[test]
    fn java_properties_read_back_to_the_same_settings() {
        for s in settings() {
            let text = export(&s.to_config(), ExportFormat::JavaProperties);
            let back =
                SimConfig::from_properties(&text).unwrap_or_else(|e| panic!("{e}\nin\n{text}"));
            assert_eq!(TradeoffSettings::from_config(&back), s, "{text}");
            // Nothing else changed.
            assert_eq!(back, s.to_config(), "{text}");
        }
    }

    #[test]
    fn java_properties_spell_kafkas_values() {
        let s = TradeoffSettings {
            acks: Acks::One,
            compression_type: CompressionType::Zstd,
            enable_idempotence: Some(false),
            linger_ms: 20,
            batch_size: 65_536,
        };
        let text = export(&s.to_config(), ExportFormat::JavaProperties);
        for line in [
            "acks=1",
            "enable.idempotence=false",
            "batch.size=65536",
            "linger.ms=20",
            "compression.type=zstd",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        }
        // Unset stays unset, with the producer's decision as a comment.
        let text = export(&SimConfig::default(), ExportFormat::JavaProperties);
        assert!(!text.contains("enable.idempotence="), "{text}");
        assert!(text.contains("decides: on with"), "{text}");
    }

    /// The librdkafka formats, read back by a tiny parser of their own syntax.
    fn librdkafka_pairs(text: &str, sep: char) -> Vec<(String, String)> {
        text.lines()
            .filter_map(|l| {
                let l = l.split(" //").next()?.split("  #").next()?.trim();
                let (k, v) = l.split_once(sep)?;
                let k = k.trim().strip_prefix('"')?.strip_suffix('"')?;
                let v = v.trim().trim_end_matches(',').trim_matches('"');
                Some((k.to_string(), v.to_string()))
            })
            .collect()
    }

    #[test]
    fn python_and_go_use_librdkafka_names_and_the_effective_values() {
        let s = TradeoffSettings {
            compression_type: CompressionType::Lz4,
            linger_ms: 10,
            ..TradeoffSettings::default()
        };
        let config = s.to_config();
        let expect = [
            ("bootstrap.servers", "localhost:9092"),
            ("acks", "all"),
            ("enable.idempotence", "true"),
            ("batch.size", "16384"),
            ("linger.ms", "10"),
            ("compression.type", "lz4"),
        ];
        let py = export(&config, ExportFormat::Python);
        let go = export(&config, ExportFormat::Go);
        let py_pairs = librdkafka_pairs(&py, ':');
        let go_pairs = librdkafka_pairs(&go, ':');
        for (k, v) in expect {
            let py_v = if v == "true" { "True" } else { v };
            assert!(py_pairs.contains(&(k.into(), py_v.into())), "{k} in\n{py}");
            assert!(go_pairs.contains(&(k.into(), v.into())), "{k} in\n{go}");
        }
        assert!(py.starts_with("from confluent_kafka import Producer"));
        assert!(go.contains("kafka.NewProducer(&kafka.ConfigMap{"));
        // gofmt alignment: every value starts in the same column.
        let columns: Vec<usize> = go
            .lines()
            .filter(|l| l.starts_with("\t\""))
            .map(|l| {
                let after_colon = l.find("\":").expect("a key") + 2;
                let rest = &l[after_colon..];
                after_colon + rest.len() - rest.trim_start().len()
            })
            .collect();
        assert_eq!(columns.len(), 6);
        assert!(columns.windows(2).all(|w| w[0] == w[1]), "{go}");
        assert!(go.contains("\t\"enable.idempotence\": true,"), "{go}");
    }

    #[test]
    fn librdkafka_gets_idempotence_spelled_out_and_ranges_respected() {
        let mut s = TradeoffSettings {
            acks: Acks::One,
            batch_size: 0,
            ..TradeoffSettings::default()
        };
        let py = export(&s.to_config(), ExportFormat::Python);
        // Unset with acks=1: the Java producer turns idempotence off, as librdkafka's default.
        assert!(py.contains("\"enable.idempotence\": False,"), "{py}");
        assert!(py.contains("\"batch.size\": 1,"), "{py}");
        assert!(py.contains("\"acks\": \"1\","), "{py}");
        s.linger_ms = 1_000_000;
        let go = export(&s.to_config(), ExportFormat::Go);
        assert!(go.contains("900000, // librdkafka's maximum"), "{go}");
    }

    #[test]
    fn dotnet_uses_confluent_kafka_property_and_enum_names() {
        let cases = [
            (
                Acks::Zero,
                CompressionType::None,
                "Acks.None",
                "CompressionType.None",
            ),
            (
                Acks::One,
                CompressionType::Gzip,
                "Acks.Leader",
                "CompressionType.Gzip",
            ),
            (
                Acks::All,
                CompressionType::Snappy,
                "Acks.All",
                "CompressionType.Snappy",
            ),
            (
                Acks::All,
                CompressionType::Lz4,
                "Acks.All",
                "CompressionType.Lz4",
            ),
            (
                Acks::All,
                CompressionType::Zstd,
                "Acks.All",
                "CompressionType.Zstd",
            ),
        ];
        for (acks, c, acks_cs, c_cs) in cases {
            let s = TradeoffSettings {
                acks,
                compression_type: c,
                linger_ms: 7,
                batch_size: 32_768,
                enable_idempotence: None,
            };
            let cs = export(&s.to_config(), ExportFormat::DotNet);
            assert!(cs.contains(&format!("    Acks = {acks_cs},\n")), "{cs}");
            assert!(
                cs.contains(&format!("    CompressionType = {c_cs},\n")),
                "{cs}"
            );
            assert!(cs.contains("    LingerMs = 7,\n"), "{cs}");
            assert!(cs.contains("    BatchSize = 32768,\n"), "{cs}");
            let idem = if acks == Acks::All { "true" } else { "false" };
            assert!(
                cs.contains(&format!("    EnableIdempotence = {idem},")),
                "{cs}"
            );
            assert!(cs.contains("new ProducerConfig\n{\n"), "{cs}");
        }
    }

    #[test]
    fn formats_have_distinct_ids() {
        for f in ExportFormat::ALL {
            assert_eq!(ExportFormat::from_id(f.id()), Some(f));
        }
        assert_eq!(ExportFormat::from_id("cobol"), None);
    }
}
