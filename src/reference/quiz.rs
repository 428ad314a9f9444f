//! Self-test questions and the quiz that asks them one at a time.
//!
//! Most questions are written out with their explanation; some are generated from the
//! engine (which partition a key goes to, how many bytes a record takes), so their
//! answers are computed by the same code the simulator runs, and some take their
//! answers from the settings table so that the quiz and Key Settings cannot disagree.
//! Everything is deterministic for a given seed.

use super::settings::{setting, ClientName, Setting};
use crate::engine::clients::{self, Client};
use crate::engine::partitioner::key_partition;
use crate::engine::record::{record_size_in_bytes, RECORD_BATCH_OVERHEAD};
use crate::engine::rng::SimRng;
use std::fmt;

/// How many questions one round asks.
pub const QUESTIONS_PER_ROUND: usize = 20;

/// What a question is about, in the order the page teaches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    HowProducersWork,
    KeyPartitioning,
    StickyPartitioning,
    Batching,
    Compression,
    Durability,
    Idempotence,
    Retries,
    UncleanElection,
    ClientNaming,
}

impl Topic {
    pub const ALL: [Topic; 10] = [
        Topic::HowProducersWork,
        Topic::KeyPartitioning,
        Topic::StickyPartitioning,
        Topic::Batching,
        Topic::Compression,
        Topic::Durability,
        Topic::Idempotence,
        Topic::Retries,
        Topic::UncleanElection,
        Topic::ClientNaming,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Topic::HowProducersWork => "How producers work",
            Topic::KeyPartitioning => "Key partitioning (murmur2)",
            Topic::StickyPartitioning => "Sticky partitioning",
            Topic::Batching => "Batching: linger.ms and batch.size",
            Topic::Compression => "Compression",
            Topic::Durability => "acks, ISR and the high watermark",
            Topic::Idempotence => "Idempotence",
            Topic::Retries => "Retries and delivery.timeout.ms",
            Topic::UncleanElection => "Unclean leader election",
            Topic::ClientNaming => "Client naming and defaults",
        }
    }
}

/// One multiple-choice question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub topic: Topic,
    pub prompt: String,
    pub choices: Vec<String>,
    /// Index of the right choice in `choices`.
    pub answer: usize,
    /// Shown after answering, right or wrong.
    pub explanation: String,
    /// Whether the answer was computed by the engine rather than written out.
    pub generated: bool,
}

impl Question {
    /// A question with its right answer first; `shuffle` moves it.
    fn new(
        topic: Topic,
        prompt: impl Into<String>,
        right: impl Into<String>,
        wrong: [String; 3],
        explanation: impl Into<String>,
    ) -> Question {
        let mut choices = vec![right.into()];
        choices.extend(wrong);
        Question {
            topic,
            prompt: prompt.into(),
            choices,
            answer: 0,
            explanation: explanation.into(),
            generated: false,
        }
    }

    fn generated(mut self) -> Question {
        self.generated = true;
        self
    }

    pub fn answer_text(&self) -> &str {
        &self.choices[self.answer]
    }

    /// Fisher-Yates over the choices, keeping track of the right one.
    fn shuffle(&mut self, rng: &mut SimRng) {
        for i in (1..self.choices.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            self.choices.swap(i, j);
            if self.answer == i {
                self.answer = j;
            } else if self.answer == j {
                self.answer = i;
            }
        }
    }
}

fn s(text: &str) -> String {
    text.to_string()
}

fn written(
    topic: Topic,
    prompt: &str,
    right: &str,
    wrong: [&str; 3],
    explanation: &str,
) -> Question {
    Question::new(topic, prompt, right, wrong.map(s), explanation)
}

/// The questions written out by hand, in page order.
fn written_questions() -> Vec<Question> {
    use Topic::*;
    vec![
        written(
            HowProducersWork,
            "Which broker does a producer send a record to?",
            "The leader of the record's partition",
            [
                "Any broker: the cluster forwards it to the right one",
                "The controller, which assigns it to a partition",
                "Every replica of the partition at once",
            ],
            "The producer learns from metadata which broker leads each partition and sends each batch straight to that leader. Followers copy from the leader by fetching; brokers do not forward produce requests.",
        ),
        written(
            HowProducersWork,
            "Who decides which partition a record goes to?",
            "The producer, with its partitioner",
            [
                "The leader broker of the topic",
                "The controller",
                "The consumer group coordinator",
            ],
            "Partitioning happens in the client before the record is batched: the producer picks the partition from the key, from its sticky partition, or takes the one the application named. Producers need no coordination with each other.",
        ),
        written(
            KeyPartitioning,
            "How does the Java producer's built-in partitioner place a record that has a key?",
            "toPositive(murmur2(keyBytes)) % numPartitions",
            [
                "crc32(keyBytes) % numPartitions",
                "key.hashCode() % numPartitions",
                "Round robin, remembering where each key went",
            ],
            "BuiltInPartitioner.partitionForKey hashes the serialized key bytes with murmur2 (seed 0x9747b28c), clears the sign bit (toPositive is n & 0x7fffffff) and takes the remainder by the number of partitions. Same key, same partition, as long as the partition count does not change.",
        ),
        written(
            KeyPartitioning,
            "A record's key is the empty string \"\" (zero bytes). Where does it go?",
            "It is hashed like any key, so always to the same partition",
            [
                "It counts as no key and goes to the sticky partition",
                "It is refused: keys must not be empty",
                "Always to partition 0",
            ],
            "Only a null key means 'no key'. Zero bytes are a key: murmur2 of zero bytes is a fixed number, so every empty-key record lands on one partition.",
        ),
        written(
            KeyPartitioning,
            "Which partition count does the producer use when it hashes a key?",
            "All partitions of the topic, available or not",
            [
                "Only partitions whose leader is available",
                "Only partitions on brokers it is connected to",
                "The number of brokers",
            ],
            "The key's partition is taken modulo the topic's full partition count, so a key keeps its partition while that partition's leader is down: its records wait (or time out) rather than move.",
        ),
        written(
            StickyPartitioning,
            "Kafka 2.4 (KIP-480) changed where records without a key go. How?",
            "They stick to one partition until its batch is complete, then another is picked",
            [
                "Each record goes to the next partition in turn",
                "Each record goes to a random partition",
                "They all go to partition 0",
            ],
            "Before 2.4 keyless records were spread record by record, which made many small batches. The sticky partitioner fills one batch at a time, so batches are larger and latency drops.",
        ),
        written(
            StickyPartitioning,
            "Since Kafka 3.3 (KIP-794), when does the built-in partitioner switch the sticky partition?",
            "After about batch.size bytes were produced to it",
            [
                "Whenever a new batch is created",
                "Every linger.ms",
                "After every 100 records",
            ],
            "KIP-480 switched when a new batch was created, which sent more records to slower brokers (their batches stayed open longer). KIP-794 switches after batch.size bytes instead, so every partition gets the same amount of data over time.",
        ),
        written(
            StickyPartitioning,
            "What does partitioner.adaptive.partitioning.enable=true (the default) do?",
            "It picks the next sticky partition favouring brokers with shorter queues",
            [
                "It re-hashes keys away from slow brokers",
                "It grows batch.size under load",
                "It moves queued records to a faster partition",
            ],
            "With adaptive partitioning the built-in partitioner weights its random choice of the next sticky partition by queue sizes, so faster brokers take more keyless records. Keyed records are never moved.",
        ),
        written(
            Batching,
            "With batch.size=16384 and linger.ms=5, when is a partition's batch sent?",
            "When it holds batch.size bytes or has waited linger.ms, whichever comes first",
            [
                "Only once it holds batch.size bytes",
                "Every 5 ms, never earlier",
                "Only when the application calls flush()",
            ],
            "batch.size is the upper bound of a batch and linger.ms the longest a batch that is not full waits for more records. Under heavy load batches fill before linger.ms runs out.",
        ),
        written(
            Batching,
            "What did Kafka 4.0 (KIP-1030) change about linger.ms?",
            "Its default went from 0 to 5 ms",
            [
                "Its default went from 5 to 0 ms",
                "It was renamed queue.buffering.max.ms",
                "It became a topic setting",
            ],
            "The default changed from 0 to 5 because the efficiency of larger batches typically gives similar or lower latency despite the wait. queue.buffering.max.ms is librdkafka's name for the same setting.",
        ),
        written(
            Batching,
            "What happens to a record larger than batch.size (but below max.request.size)?",
            "It is sent in a batch of its own",
            [
                "It is refused with RecordTooLargeException",
                "It is split across several batches",
                "It waits until batch.size is raised",
            ],
            "The producer makes no attempt to batch records larger than batch.size: the new batch is sized for the record, which travels alone. Only records above max.request.size are refused.",
        ),
        written(
            Compression,
            "What does the producer compress?",
            "Each batch's records together, so fuller batches compress better",
            [
                "Each record on its own",
                "The whole produce request, headers included",
                "Nothing: the broker compresses",
            ],
            "Compression covers the records section of a record batch (the 61-byte batch header stays plain). Similar records in one batch compress well together, which is why linger.ms and batch.size also raise the compression ratio.",
        ),
        written(
            Compression,
            "Which of these is NOT a value of the producer's compression.type?",
            "brotli",
            ["zstd", "lz4", "snappy"],
            "The Java producer accepts none, gzip, snappy, lz4 and zstd (zstd since Kafka 2.1, KIP-110).",
        ),
        written(
            Compression,
            "The topic's compression.type is left at its default, producer. What does the broker do with an lz4 batch?",
            "Keeps it compressed as the producer sent it",
            [
                "Stores it uncompressed",
                "Recompresses it with gzip",
                "Refuses it",
            ],
            "The topic default 'producer' keeps whatever codec the producer used, so the CPU spent on compression happens once, in the client.",
        ),
        written(
            Durability,
            "With acks=1, when can an acknowledged record be lost?",
            "When the leader fails before any follower copied it",
            [
                "Never: the leader has written it",
                "Only when every broker fails",
                "Only when min.insync.replicas is 1",
            ],
            "acks=1 answers once the leader has appended the record. If the leader dies before a follower fetched it, a follower without the record becomes leader and the record is gone, although the producer was told it succeeded.",
        ),
        written(
            Durability,
            "With acks=all, whose copies does the leader wait for before answering?",
            "Every replica currently in the ISR",
            [
                "min.insync.replicas replicas",
                "All assigned replicas, in sync or not",
                "A majority of the replicas",
            ],
            "The leader answers once the high watermark passes the records, that is once every in-sync replica has them. min.insync.replicas does not say how many to wait for: it refuses the write when the ISR is smaller than it.",
        ),
        written(
            Durability,
            "replication.factor=3, min.insync.replicas=2, and two of the three brokers are down. What happens to an acks=all write?",
            "It is refused with NOT_ENOUGH_REPLICAS, and the producer retries",
            [
                "It succeeds with the leader's copy only",
                "It is written to a follower instead",
                "It succeeds, but acks=1 writes are refused",
            ],
            "With acks=all the leader checks the ISR against min.insync.replicas before appending. NOT_ENOUGH_REPLICAS is retriable, so the producer keeps trying until delivery.timeout.ms. acks=0 and acks=1 writes are still accepted, but since Kafka 3.7 the high watermark does not move while the ISR is below min.insync.replicas, so consumers cannot read them until a follower rejoins.",
        ),
        written(
            Durability,
            "When can a consumer read a record?",
            "Once it is below the high watermark: every in-sync replica has it",
            [
                "As soon as the leader appends it",
                "Once min.insync.replicas replicas have it",
                "Once the producer receives its acknowledgement",
            ],
            "The high watermark is the offset up to which all in-sync replicas have copied. Consumers read only below it, whatever acks the producer used; since Kafka 3.7 it stops moving while the ISR is below min.insync.replicas.",
        ),
        written(
            Durability,
            "What offset does the producer get back for a record sent with acks=0?",
            "-1: the broker does not answer",
            [
                "The record's real offset",
                "0",
                "The partition's high watermark",
            ],
            "With acks=0 the record is considered sent once it is in the socket buffer, so the producer never learns its offset (or whether it arrived) and retries cannot help.",
        ),
        written(
            Idempotence,
            "How does the idempotent producer stop retries from writing duplicates?",
            "The broker checks each batch's producer id and sequence number and drops repeats",
            [
                "The producer waits for each ack before sending the next batch",
                "The broker hashes every record and drops repeats",
                "The consumer skips records it has already seen",
            ],
            "Each idempotent producer gets a producer id, and each batch carries a per-partition sequence number. A retried batch the broker already has is acknowledged without being written again, and a gap in the sequence is refused, which keeps order.",
        ),
        written(
            Idempotence,
            "enable.idempotence is left unset and acks=1. What does the Java producer do?",
            "Starts, with idempotence quietly turned off",
            [
                "Refuses to start with a ConfigException",
                "Starts idempotent and uses acks=all anyway",
                "Starts idempotent with acks=1",
            ],
            "Unset means 'on unless something conflicts'. Only when enable.idempotence=true is set explicitly does acks=1 make the producer refuse to start: 'Must set acks to all in order to use the idempotent producer'.",
        ),
        written(
            Idempotence,
            "With idempotence on, what is the largest max.in.flight.requests.per.connection the producer accepts?",
            "5",
            ["1", "10", "There is no limit"],
            "The broker remembers the last 5 batches of each producer and partition, so it could not check more than 5 in flight; larger values are refused with a ConfigException. Up to 5, order is kept.",
        ),
        written(
            Retries,
            "retries defaults to 2147483647. What stops a producer from retrying forever?",
            "delivery.timeout.ms (default 120000)",
            [
                "request.timeout.ms",
                "retry.backoff.max.ms",
                "max.block.ms",
            ],
            "Since Kafka 2.1 (KIP-91) retries is effectively unlimited and delivery.timeout.ms bounds the whole time from send() to success or failure, retries included.",
        ),
        written(
            Retries,
            "Idempotence is off, retries are on and 5 requests may be in flight. A batch fails and is retried while the next batch succeeds. What can happen?",
            "The two batches' records end up out of order",
            [
                "Nothing: a partition always keeps send order",
                "The second batch is refused",
                "The producer stops sending",
            ],
            "The retried batch is appended after the batch that succeeded. Idempotence (or max.in.flight.requests.per.connection=1) prevents this; without it a retry can also duplicate records whose first attempt did succeed.",
        ),
        written(
            UncleanElection,
            "Every in-sync replica of a partition is down; one out-of-sync replica is alive. With unclean.leader.election.enable=true, what happens?",
            "The out-of-sync replica becomes leader, and records it lacks are lost",
            [
                "The partition stays offline until an in-sync replica returns",
                "The replica first copies the missing records from the dead leader",
                "The producer's retries restore the missing records",
            ],
            "Unclean election trades durability for availability: the partition comes back, but committed records the new leader never copied are gone. The default, false since Kafka 0.11.0, waits for an in-sync replica instead.",
        ),
    ]
}

/// Questions whose answers are read from the settings table.
fn naming_questions() -> Vec<Question> {
    let mut out = Vec::new();
    let client =
        |name: &str, pick: fn(&Setting) -> Option<ClientName>| setting(name).and_then(pick);

    if let Some(p) = client("partitioner.class", |s| s.librdkafka) {
        out.push(Question::new(
            Topic::ClientNaming,
            "A Python service using confluent-kafka (librdkafka) and a Java service write the same keys with default settings. Which partitioner does the Python side use?",
            p.default,
            ["murmur2_random", "murmur2", "random"].map(s),
            format!(
                "librdkafka's default partitioner is {}: {} So the same key can land on different partitions from the two services unless the Python side sets partitioner=murmur2_random.",
                p.default, p.note
            ),
        ));
    }
    if let Some(d) = client("delivery.timeout.ms", |s| s.dotnet) {
        out.push(Question::new(
            Topic::ClientNaming,
            "Which Confluent.Kafka (.NET) ProducerConfig property corresponds to delivery.timeout.ms?",
            d.name,
            ["DeliveryTimeoutMs", "RequestTimeoutMs", "TransactionTimeoutMs"].map(s),
            format!(
                "{} (librdkafka's message.timeout.ms), default {} ms: five minutes, not the Java client's two. {}",
                d.name, d.default, d.note
            ),
        ));
    }
    if let Some(sa) = client("acks", |s| s.sarama) {
        out.push(Question::new(
            Topic::ClientNaming,
            "What is sarama's default Producer.RequiredAcks?",
            format!("{} (acks=1)", sa.default),
            ["WaitForAll (acks=all)", "NoResponse (acks=0)", "It has no default: it must be set"].map(s),
            format!(
                "sarama.NewConfig sets RequiredAcks to {}: {} The Java client has defaulted to acks=all since Kafka 3.0.",
                sa.default, sa.note
            ),
        ));
    }
    if let Some(kp) = client("linger.ms", |s| s.kafka_python) {
        out.push(Question::new(
            Topic::ClientNaming,
            "What is kafka-python's default linger_ms?",
            kp.default,
            ["5", "10", "100"].map(s),
            format!(
                "kafka-python's KafkaProducer defaults linger_ms to {}. {} The Java client defaults to 5 since Kafka 4.0, librdkafka to 5, franz-go to 10 ms.",
                kp.default, kp.note
            ),
        ));
    }
    if let Some(r) = client("enable.idempotence", |s| s.librdkafka) {
        out.push(Question::new(
            Topic::ClientNaming,
            "What is librdkafka's (and so confluent-kafka's) default for enable.idempotence?",
            r.default,
            ["true", "true, but only with acks=all", "librdkafka has no such setting"].map(s),
            format!(
                "librdkafka defaults enable.idempotence to {}, unlike the Java client (true since Kafka 3.0). {}",
                r.default, r.note
            ),
        ));
    }
    out
}

/// Keys and partition counts the generated partitioning questions draw from.
const QUIZ_KEYS: [&str; 8] = [
    "kafka",
    "orders",
    "user-42",
    "payments",
    "sensor-7",
    "checkout",
    "invoice-2024",
    "eu-west",
];
const QUIZ_PARTITIONS: [u32; 4] = [6, 8, 10, 12];

fn pick<T: Copy>(rng: &mut SimRng, items: &[T]) -> T {
    items[rng.below(items.len() as u64) as usize]
}

/// Three partitions other than the ones in `taken`, drawn from `0..num_partitions`.
fn other_partitions(rng: &mut SimRng, num_partitions: u32, taken: &[u32]) -> Vec<u32> {
    let mut pool: Vec<u32> = (0..num_partitions).filter(|p| !taken.contains(p)).collect();
    let mut out = Vec::new();
    while out.len() < 3 && !pool.is_empty() {
        let i = rng.below(pool.len() as u64) as usize;
        out.push(pool.remove(i));
    }
    out
}

/// Three distinct wrong numbers: the candidates first, then neighbours of the answer.
fn wrong_numbers(answer: u32, candidates: &[u32]) -> [String; 3] {
    let mut out: Vec<u32> = Vec::new();
    let extra = (1..).map(|d| answer + d);
    for n in candidates.iter().copied().chain(extra) {
        if n != answer && !out.contains(&n) {
            out.push(n);
        }
        if out.len() == 3 {
            break;
        }
    }
    [out[0].to_string(), out[1].to_string(), out[2].to_string()]
}

fn key_partition_question(rng: &mut SimRng) -> Question {
    let key = pick(rng, &QUIZ_KEYS);
    let n = pick(rng, &QUIZ_PARTITIONS);
    let steps = key_partition(key.as_bytes(), n);
    let others = other_partitions(rng, n, &[steps.partition]);
    let wrong = [0, 1, 2].map(|i| format!("Partition {}", others[i]));
    Question::new(
        Topic::KeyPartitioning,
        format!(
            "A topic has {n} partitions. Which partition does the Java producer send a record with the key \"{key}\" to?"
        ),
        format!("Partition {}", steps.partition),
        wrong,
        format!(
            "murmur2(\"{key}\") = {}; toPositive keeps the low 31 bits: {}; {} % {n} = {}. Try it in Partition Assignment.",
            steps.murmur2, steps.positive, steps.positive, steps.partition
        ),
    )
    .generated()
}

fn added_partitions_question(rng: &mut SimRng) -> Question {
    let key = pick(rng, &QUIZ_KEYS);
    let before = 6;
    let after = 8;
    let old = key_partition(key.as_bytes(), before);
    let new = key_partition(key.as_bytes(), after);
    let stays = format!("Partition {}, as before: a key never moves", old.partition);
    let mut wrong: Vec<String> = Vec::new();
    if new.partition != old.partition {
        wrong.push(stays);
    }
    wrong.push(s("Spread over all 8 partitions from now on"));
    for p in other_partitions(rng, after, &[old.partition, new.partition]) {
        if wrong.len() < 3 {
            wrong.push(format!("Partition {p}"));
        }
    }
    let wrong = [wrong[0].clone(), wrong[1].clone(), wrong[2].clone()];
    let moved = if new.partition == old.partition {
        format!(
            "This key happens to stay: {} % {after} is also {}. Other keys move, and records already written stay where they were.",
            new.positive, new.partition
        )
    } else {
        format!(
            "{} % {after} = {}, so new records with this key go to another partition than the old ones, which stay where they were: per-key order across the change is lost.",
            new.positive, new.partition
        )
    };
    Question::new(
        Topic::KeyPartitioning,
        format!(
            "Records with the key \"{key}\" go to partition {} of a {before}-partition topic. The topic grows to {after} partitions. Where do new records with this key go?",
            old.partition
        ),
        format!("Partition {}", new.partition),
        wrong,
        format!(
            "The partition is toPositive(murmur2(key)) % numPartitions, so it depends on the partition count. {moved}"
        ),
    )
    .generated()
}

const QUIZ_VALUE_SIZES: [u32; 5] = [10, 100, 200, 500, 1000];
const QUIZ_KEY_SIZES: [u32; 4] = [4, 8, 16, 36];

fn record_size_question(rng: &mut SimRng) -> Question {
    let value = pick(rng, &QUIZ_VALUE_SIZES);
    let size = record_size_in_bytes(0, 0, None, Some(value));
    Question::new(
        Topic::Batching,
        format!(
            "A record with a null key, a {value}-byte value and no headers is the first in its batch. How many bytes does it take inside a record batch (format v2)?"
        ),
        size.to_string(),
        wrong_numbers(size, &[value, size + RECORD_BATCH_OVERHEAD, value + 1]),
        format!(
            "DefaultRecord holds a varint length, 1 byte of attributes, varint timestamp and offset deltas, the key length (-1 for a null key), the value length, the value and a header count: {size} bytes. The batch's {RECORD_BATCH_OVERHEAD}-byte header is paid once per batch, which is why batching saves bytes."
        ),
    )
    .generated()
}

fn batch_size_question(rng: &mut SimRng) -> Question {
    let key = pick(rng, &QUIZ_KEY_SIZES);
    let value = pick(rng, &QUIZ_VALUE_SIZES);
    let record = record_size_in_bytes(0, 0, Some(key), Some(value));
    let batch = RECORD_BATCH_OVERHEAD + record;
    Question::new(
        Topic::Batching,
        format!(
            "A batch (format v2) holds one record with a {key}-byte key, a {value}-byte value and no headers. How large is the batch, uncompressed?"
        ),
        batch.to_string(),
        wrong_numbers(batch, &[record, key + value, key + value + RECORD_BATCH_OVERHEAD]),
        format!(
            "The batch header takes {RECORD_BATCH_OVERHEAD} bytes (offset, length, epoch, magic, CRC, attributes, timestamps, producer id and epoch, base sequence, record count) and the record {record}: {batch} bytes."
        ),
    )
    .generated()
}

/// Where a Java producer and a confluent-kafka (librdkafka, default partitioner) producer
/// put the same key, from the client profiles. Drawn until the two differ, as they do for
/// most keys.
fn cross_client_question(rng: &mut SimRng) -> Question {
    let placed = |client, key: &str, n| {
        clients::key_partition(client, None, Some(key.as_bytes()), n)
            .ok()
            .flatten()
            .unwrap_or(0)
    };
    let (mut key, mut n) = (QUIZ_KEYS[0], QUIZ_PARTITIONS[0]);
    for _ in 0..32 {
        key = pick(rng, &QUIZ_KEYS);
        n = pick(rng, &QUIZ_PARTITIONS);
        if placed(Client::Java, key, n) != placed(Client::Librdkafka, key, n) {
            break;
        }
    }
    let java = placed(Client::Java, key, n);
    let python = placed(Client::Librdkafka, key, n);
    let answer = |j: u32, p: u32| format!("Java: partition {j}; Python: partition {p}");
    let others = other_partitions(rng, n, &[java, python]);
    let wrong = [
        answer(java, java),
        answer(python, java),
        answer(java, others.first().copied().unwrap_or(0)),
    ];
    Question::new(
        Topic::ClientNaming,
        format!(
            "A Java service and a Python service (confluent-kafka, default settings) both send a record with the key \"{key}\" to a topic with {n} partitions. Where does each record go?"
        ),
        answer(java, python),
        wrong,
        format!(
            "Java hashes with murmur2: partition {java}. librdkafka's default partitioner, consistent_random, hashes with CRC-32: partition {python}. Per-key order across the two services is lost unless the Python side sets partitioner=murmur2_random. Compare every client in Partition Assignment."
        ),
    )
    .generated()
}

/// Which client sends keyless records round-robin by default, from the client profiles.
fn keyless_client_question() -> Question {
    let by_default = |client: Client| client.default_partitioner().keyless(None);
    let round_robin = Client::all()
        .into_iter()
        .find(|&c| by_default(c) == Some(clients::Keyless::RoundRobinRandomStart))
        .unwrap_or(Client::Kafkajs);
    let wrong: Vec<String> = Client::all()
        .into_iter()
        .filter(|&c| c != round_robin && c != Client::Java)
        .take(3)
        .map(|c| c.label().to_string())
        .collect();
    let describe = |c: Client| {
        format!(
            "{}: {}",
            c.name(),
            by_default(c).map_or("hashed", clients::Keyless::describe)
        )
    };
    let explanation: Vec<String> = Client::all().into_iter().map(describe).collect();
    Question::new(
        Topic::StickyPartitioning,
        "With default settings, which client's producer spreads records without a key round-robin, one record per partition in turn?",
        round_robin.label(),
        [0, 1, 2].map(|i| wrong.get(i).cloned().unwrap_or_default()),
        format!("Keyless records by client: {}.", explanation.join("; ")),
    )
    .generated()
}

/// Every question the quiz can ask, for a seed, with shuffled choices.
pub fn all_questions(seed: u64) -> Vec<Question> {
    let mut rng = SimRng::new(seed);
    let mut gen = rng.fork(1);
    let mut questions = written_questions();
    questions.extend(naming_questions());
    questions.push(key_partition_question(&mut gen));
    questions.push(added_partitions_question(&mut gen));
    questions.push(record_size_question(&mut gen));
    questions.push(batch_size_question(&mut gen));
    questions.push(cross_client_question(&mut gen));
    questions.push(keyless_client_question());
    let mut shuffle = rng.fork(2);
    for q in &mut questions {
        q.shuffle(&mut shuffle);
    }
    // In page order, and in the order written within a topic.
    Topic::ALL
        .into_iter()
        .flat_map(|topic| questions.iter().filter(move |q| q.topic == topic).cloned())
        .collect()
}

/// One round: every generated question, at least one question per topic, the rest drawn
/// at random, asked in page order.
pub fn round(seed: u64) -> Vec<Question> {
    let bank = all_questions(seed);
    let mut rng = SimRng::new(seed).fork(3);
    let mut chosen: Vec<usize> = (0..bank.len()).filter(|&i| bank[i].generated).collect();
    for topic in Topic::ALL {
        if !chosen.iter().any(|&i| bank[i].topic == topic) {
            let of_topic: Vec<usize> = (0..bank.len())
                .filter(|&i| bank[i].topic == topic)
                .collect();
            if !of_topic.is_empty() {
                chosen.push(pick(&mut rng, &of_topic));
            }
        }
    }
    let mut rest: Vec<usize> = (0..bank.len()).filter(|i| !chosen.contains(i)).collect();
    while chosen.len() < QUESTIONS_PER_ROUND && !rest.is_empty() {
        let i = rng.below(rest.len() as u64) as usize;
        chosen.push(rest.remove(i));
    }
    chosen.sort_unstable();
    chosen.into_iter().map(|i| bank[i].clone()).collect()
}

/// Why the quiz refused a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuizError {
    /// The round is over; restart to play again.
    Finished,
    /// This question already has an answer.
    AlreadyAnswered,
    /// There is no choice with that index.
    NoSuchChoice,
    /// Answer the question before moving on.
    NotAnswered,
}

impl fmt::Display for QuizError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuizError::Finished => "the quiz is finished",
            QuizError::AlreadyAnswered => "this question is already answered",
            QuizError::NoSuchChoice => "no such answer",
            QuizError::NotAnswered => "answer the question first",
        })
    }
}

impl std::error::Error for QuizError {}

/// A round of questions asked one at a time: choose an answer, read the explanation,
/// go to the next; the score counts right first answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quiz {
    seed: u64,
    questions: Vec<Question>,
    answers: Vec<Option<usize>>,
    current: usize,
    finished: bool,
}

impl Quiz {
    /// A round for the given seed.
    pub fn new(seed: u64) -> Quiz {
        Quiz::with_questions(seed, round(seed))
    }

    /// A quiz over the given questions (the seed is only remembered for `restart`).
    pub fn with_questions(seed: u64, questions: Vec<Question>) -> Quiz {
        let answers = vec![None; questions.len()];
        let finished = questions.is_empty();
        Quiz {
            seed,
            questions,
            answers,
            current: 0,
            finished,
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn len(&self) -> usize {
        self.questions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// Zero-based index of the question being asked.
    pub fn position(&self) -> usize {
        self.current
    }

    /// The question being asked, or `None` once finished.
    pub fn current(&self) -> Option<&Question> {
        if self.finished {
            None
        } else {
            self.questions.get(self.current)
        }
    }

    /// The answer chosen for the current question.
    pub fn chosen(&self) -> Option<usize> {
        if self.finished {
            None
        } else {
            self.answers.get(self.current).copied().flatten()
        }
    }

    /// Answers the current question; returns whether the answer is right.
    pub fn choose(&mut self, choice: usize) -> Result<bool, QuizError> {
        if self.finished {
            return Err(QuizError::Finished);
        }
        let q = &self.questions[self.current];
        if choice >= q.choices.len() {
            return Err(QuizError::NoSuchChoice);
        }
        if self.answers[self.current].is_some() {
            return Err(QuizError::AlreadyAnswered);
        }
        self.answers[self.current] = Some(choice);
        Ok(choice == q.answer)
    }

    /// Moves to the next question, or finishes after the last.
    pub fn advance(&mut self) -> Result<(), QuizError> {
        if self.finished {
            return Err(QuizError::Finished);
        }
        if self.answers[self.current].is_none() {
            return Err(QuizError::NotAnswered);
        }
        if self.current + 1 < self.questions.len() {
            self.current += 1;
        } else {
            self.finished = true;
        }
        Ok(())
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Right answers so far.
    pub fn score(&self) -> usize {
        self.questions
            .iter()
            .zip(&self.answers)
            .filter(|(q, a)| **a == Some(q.answer))
            .count()
    }

    /// Questions answered so far.
    pub fn answered(&self) -> usize {
        self.answers.iter().filter(|a| a.is_some()).count()
    }

    /// Right and asked answers per topic, in page order, for topics in this round.
    pub fn score_by_topic(&self) -> Vec<(Topic, usize, usize)> {
        Topic::ALL
            .iter()
            .filter_map(|&t| {
                let (right, total) = self
                    .questions
                    .iter()
                    .zip(&self.answers)
                    .filter(|(q, _)| q.topic == t)
                    .fold((0, 0), |(r, n), (q, a)| {
                        (r + usize::from(*a == Some(q.answer)), n + 1)
                    });
                (total > 0).then_some((t, right, total))
            })
            .collect()
    }

    /// A fresh round with the next seed, so generated questions change.
    pub fn restart(&mut self) {
        *self = Quiz::new(self.seed.wrapping_add(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_has_enough_questions_and_covers_every_topic() {
        let bank = all_questions(0);
        assert!(bank.len() >= 20, "{}", bank.len());
        for t in Topic::ALL {
            assert!(bank.iter().any(|q| q.topic == t), "{t:?}");
        }
        assert!(bank.iter().filter(|q| q.generated).count() >= 4);
    }

    #[test]
    fn every_question_is_well_formed() {
        for seed in 0..20 {
            for q in all_questions(seed) {
                assert_eq!(q.choices.len(), 4, "{}", q.prompt);
                assert!(q.answer < q.choices.len());
                assert!(!q.explanation.is_empty());
                for (i, a) in q.choices.iter().enumerate() {
                    assert!(!a.is_empty(), "{}", q.prompt);
                    for b in &q.choices[i + 1..] {
                        assert_ne!(a, b, "duplicate choice in {}", q.prompt);
                    }
                }
            }
        }
    }

    #[test]
    fn prompts_are_unique() {
        let bank = all_questions(3);
        for (i, a) in bank.iter().enumerate() {
            for b in &bank[i + 1..] {
                assert_ne!(a.prompt, b.prompt);
            }
        }
    }

    #[test]
    fn same_seed_same_questions() {
        assert_eq!(all_questions(9), all_questions(9));
        assert_eq!(round(9), round(9));
    }

    #[test]
    fn shuffling_moves_the_right_answer_around() {
        let positions: std::collections::BTreeSet<usize> =
            all_questions(1).iter().map(|q| q.answer).collect();
        assert!(
            positions.len() > 1,
            "the right answer is always at {positions:?}"
        );
    }

    #[test]
    fn shuffle_keeps_the_right_answer_text() {
        let plain = written_questions();
        let mut rng = SimRng::new(5);
        for q in plain {
            let right = q.choices[0].clone();
            let mut shuffled = q.clone();
            shuffled.shuffle(&mut rng);
            assert_eq!(shuffled.answer_text(), right);
            let mut a = q.choices.clone();
            let mut b = shuffled.choices.clone();
            a.sort();
            b.sort();
            assert_eq!(a, b);
        }
    }

    fn generated_with(seed: u64, needle: &str) -> Question {
        all_questions(seed)
            .into_iter()
            .find(|q| q.generated && q.prompt.contains(needle))
            .unwrap_or_else(|| panic!("no generated question containing {needle:?}"))
    }

    fn quoted_key(prompt: &str) -> &str {
        prompt.split('"').nth(1).expect("a quoted key")
    }

    fn number_before(prompt: &str, word: &str) -> u32 {
        let head = &prompt[..prompt.find(word).expect("word in prompt")];
        head.split(|c: char| !c.is_ascii_digit())
            .rfind(|t| !t.is_empty())
            .and_then(|t| t.parse().ok())
            .expect("a number before the word")
    }

    #[test]
    fn key_partition_answer_is_the_engines() {
        for seed in 0..30 {
            let q = generated_with(seed, "Which partition does the Java producer send");
            let key = quoted_key(&q.prompt);
            let n = number_before(&q.prompt, " partitions.");
            let steps = key_partition(key.as_bytes(), n);
            assert_eq!(q.answer_text(), format!("Partition {}", steps.partition));
            assert!(q.explanation.contains(&steps.murmur2.to_string()));
            for c in &q.choices {
                let p: u32 = c.trim_start_matches("Partition ").parse().unwrap();
                assert!(p < n, "{c} is not a partition of {n}");
            }
        }
    }

    #[test]
    fn added_partitions_answer_is_the_engines() {
        for seed in 0..30 {
            let q = generated_with(seed, "The topic grows to 8 partitions");
            let key = quoted_key(&q.prompt);
            let old = key_partition(key.as_bytes(), 6).partition;
            let new = key_partition(key.as_bytes(), 8).partition;
            assert!(q
                .prompt
                .contains(&format!("partition {old} of a 6-partition")));
            assert_eq!(q.answer_text(), format!("Partition {new}"));
        }
    }

    #[test]
    fn record_size_answer_is_the_engines() {
        for seed in 0..30 {
            let q = generated_with(seed, "null key");
            let value = number_before(&q.prompt, "-byte value");
            let want = record_size_in_bytes(0, 0, None, Some(value));
            assert_eq!(q.answer_text(), want.to_string());
        }
    }

    #[test]
    fn batch_size_answer_is_the_engines() {
        for seed in 0..30 {
            let q = generated_with(seed, "How large is the batch");
            let key = number_before(&q.prompt, "-byte key");
            let value = number_before(&q.prompt, "-byte value");
            let want = RECORD_BATCH_OVERHEAD + record_size_in_bytes(0, 0, Some(key), Some(value));
            assert_eq!(q.answer_text(), want.to_string());
        }
    }

    #[test]
    fn generated_questions_vary_with_the_seed() {
        let prompts: std::collections::BTreeSet<String> = (0..20)
            .map(|s| generated_with(s, "Which partition does the Java producer send").prompt)
            .collect();
        assert!(prompts.len() > 1);
    }

    #[test]
    fn naming_answers_come_from_the_settings_table() {
        let bank = all_questions(0);
        let answer = |needle: &str| -> String {
            bank.iter()
                .find(|q| q.prompt.contains(needle))
                .unwrap_or_else(|| panic!("{needle}"))
                .answer_text()
                .to_string()
        };
        let table = |name: &str| setting(name).unwrap();
        assert_eq!(
            answer("Which partitioner does the Python side use"),
            table("partitioner.class").librdkafka.unwrap().default
        );
        assert_eq!(
            answer("corresponds to delivery.timeout.ms"),
            "MessageTimeoutMs"
        );
        assert_eq!(
            answer("corresponds to delivery.timeout.ms"),
            table("delivery.timeout.ms").dotnet.unwrap().name
        );
        assert!(answer("sarama's default").starts_with(table("acks").sarama.unwrap().default));
        assert_eq!(
            answer("kafka-python's default linger_ms"),
            table("linger.ms").kafka_python.unwrap().default
        );
        assert_eq!(
            answer("default for enable.idempotence"),
            table("enable.idempotence").librdkafka.unwrap().default
        );
        assert_eq!(
            bank.iter()
                .filter(|q| q.topic == Topic::ClientNaming && !q.generated)
                .count(),
            5
        );
    }

    #[test]
    fn client_questions_are_computed_from_the_profiles() {
        for seed in 0..20 {
            let bank = all_questions(seed);
            let q = bank
                .iter()
                .find(|q| q.prompt.contains("a Python service (confluent-kafka"))
                .unwrap();
            let key = q.prompt.split('"').nth(1).unwrap();
            let n: u32 = q
                .prompt
                .split("a topic with ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let java = clients::key_partition(Client::Java, None, Some(key.as_bytes()), n)
                .unwrap()
                .unwrap();
            let python = clients::key_partition(Client::Librdkafka, None, Some(key.as_bytes()), n)
                .unwrap()
                .unwrap();
            assert_eq!(
                q.answer_text(),
                format!("Java: partition {java}; Python: partition {python}")
            );
            assert_ne!(
                java, python,
                "seed {seed}: the keys drawn place differently"
            );
            let mut choices = q.choices.clone();
            choices.sort();
            choices.dedup();
            assert_eq!(choices.len(), 4, "{:?}", q.choices);
        }
        let bank = all_questions(1);
        let q = bank
            .iter()
            .find(|q| q.prompt.contains("round-robin"))
            .unwrap();
        assert_eq!(q.answer_text(), Client::Kafkajs.label());
        assert!(q
            .explanation
            .contains("sarama: a random partition for every record"));
    }

    #[test]
    fn a_round_has_twenty_questions_covering_every_topic_in_page_order() {
        for seed in 0..10 {
            let r = round(seed);
            assert_eq!(r.len(), QUESTIONS_PER_ROUND);
            for t in Topic::ALL {
                assert!(r.iter().any(|q| q.topic == t), "seed {seed}: {t:?}");
            }
            assert_eq!(r.iter().filter(|q| q.generated).count(), 6);
            assert!(r.windows(2).all(|w| w[0].topic <= w[1].topic));
        }
    }

    fn sample() -> Vec<Question> {
        vec![
            Question::new(
                Topic::Durability,
                "q1",
                "right",
                ["a", "b", "c"].map(s),
                "e1",
            ),
            Question::new(
                Topic::Idempotence,
                "q2",
                "right",
                ["a", "b", "c"].map(s),
                "e2",
            ),
        ]
    }

    #[test]
    fn quiz_walks_through_questions_and_scores() {
        let mut quiz = Quiz::with_questions(0, sample());
        assert_eq!(quiz.position(), 0);
        assert_eq!(quiz.current().unwrap().prompt, "q1");
        assert_eq!(quiz.chosen(), None);
        assert_eq!(quiz.advance(), Err(QuizError::NotAnswered));
        assert_eq!(quiz.choose(0), Ok(true));
        assert_eq!(quiz.chosen(), Some(0));
        assert_eq!(quiz.choose(1), Err(QuizError::AlreadyAnswered));
        assert_eq!(quiz.score(), 1);
        quiz.advance().unwrap();
        assert_eq!(quiz.current().unwrap().prompt, "q2");
        assert_eq!(quiz.choose(7), Err(QuizError::NoSuchChoice));
        assert_eq!(quiz.choose(2), Ok(false));
        assert_eq!(quiz.score(), 1);
        assert!(!quiz.is_finished());
        quiz.advance().unwrap();
        assert!(quiz.is_finished());
        assert_eq!(quiz.current(), None);
        assert_eq!(quiz.choose(0), Err(QuizError::Finished));
        assert_eq!(quiz.advance(), Err(QuizError::Finished));
        assert_eq!(quiz.answered(), 2);
        assert_eq!(
            quiz.score_by_topic(),
            vec![(Topic::Durability, 1, 1), (Topic::Idempotence, 0, 1)]
        );
    }

    #[test]
    fn full_round_all_right_scores_everything() {
        let mut quiz = Quiz::new(4);
        while let Some(q) = quiz.current() {
            let right = q.answer;
            assert_eq!(quiz.choose(right), Ok(true));
            quiz.advance().unwrap();
        }
        assert!(quiz.is_finished());
        assert_eq!(quiz.score(), QUESTIONS_PER_ROUND);
    }

    #[test]
    fn full_round_all_wrong_scores_nothing() {
        let mut quiz = Quiz::new(4);
        while let Some(q) = quiz.current() {
            let wrong = (q.answer + 1) % q.choices.len();
            assert_eq!(quiz.choose(wrong), Ok(false));
            quiz.advance().unwrap();
        }
        assert_eq!(quiz.score(), 0);
    }

    #[test]
    fn restart_starts_a_fresh_round_with_the_next_seed() {
        let mut quiz = Quiz::new(7);
        quiz.choose(0).unwrap();
        quiz.advance().unwrap();
        quiz.restart();
        assert_eq!(quiz.seed(), 8);
        assert_eq!(quiz.position(), 0);
        assert_eq!(quiz.answered(), 0);
        assert_eq!(quiz.score(), 0);
        assert!(!quiz.is_finished());
        assert_eq!(quiz, Quiz::new(8));
    }

    #[test]
    fn an_empty_quiz_is_finished() {
        let mut quiz = Quiz::with_questions(0, Vec::new());
        assert!(quiz.is_finished());
        assert!(quiz.is_empty());
        assert_eq!(quiz.choose(0), Err(QuizError::Finished));
    }
}
