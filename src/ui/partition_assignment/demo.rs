//! The partition demo's state and rules, without a browser: the records the reader sent,
//! where the producer's partitioner put them, and what to say about the latest send.
//! The component (`super`) keeps only the view.

use super::super::flow::KeyTag;
use crate::engine::event::KafkaError;
use crate::engine::partitioner::{key_partition, KeyHashSteps, PartitionChoice};
use crate::engine::time::{SimDuration, SimTime};
use crate::engine::{SimConfig, Simulation};

/// The longest key accepted, in bytes.
pub const MAX_KEY_BYTES: usize = 256;
/// How many records "Send 100 without key" sends.
pub const BURST_RECORDS: usize = 100;
/// The demo producer's seed: one whose sticky partition, after two bursts, visibly
/// moves to another partition (a switch may pick the same partition again).
const SEED: u64 = 481;
/// Simulated time between two clicks on Send, and between the records of a burst.
const CLICK_GAP: SimDuration = SimDuration(1_000);
const BURST_GAP: SimDuration = SimDuration(10);

/// One record the reader sent.
#[derive(Clone, Debug, PartialEq)]
pub struct SentRecord {
    pub seq: u64,
    pub key: KeyTag,
    /// The key's bytes (`None`: a null key), to send it again at another partition count.
    pub key_bytes: Option<Vec<u8>>,
    pub partition: u32,
    /// The topic's partition count when it was sent.
    pub partitions: u32,
    /// Where the same key went at the previous partition count (a key sent again after
    /// the count changed).
    pub was: Option<u32>,
}

/// Where one key went before and after the partition count changed.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyMove {
    pub key: KeyTag,
    pub from: u32,
    pub to: u32,
}

impl KeyMove {
    pub fn moved(&self) -> bool {
        self.from != self.to
    }
}

/// What the explanation panel says about the latest send.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Keyed {
        key: String,
        bytes: Vec<u8>,
        steps: KeyHashSteps,
        landed: u32,
        choice: PartitionChoice,
    },
    Keyless {
        partition: u32,
        choice: PartitionChoice,
        run: usize,
        switched_from: Option<u32>,
    },
    Burst {
        runs: Vec<(u32, usize)>,
        /// Keyless records in a row on the current sticky partition, across sends.
        current_run: usize,
    },
    /// The partition count changed and every key sent before was sent once more.
    Repartitioned {
        from_partitions: u32,
        to_partitions: u32,
        /// One per distinct key, in the order the keys were first sent.
        moves: Vec<KeyMove>,
    },
    Error(String),
}

/// One partition's records, for its lane.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lane {
    pub partition: u32,
    /// Oldest first.
    pub records: Vec<SentRecord>,
}

impl Lane {
    /// How many of its records have a key.
    pub fn keyed(&self) -> usize {
        self.records
            .iter()
            .filter(|r| r.key.label.is_some())
            .count()
    }

    /// How many of its records are keys that went elsewhere at the previous partition count.
    pub fn moved_here(&self) -> usize {
        self.records
            .iter()
            .filter(|r| r.was.is_some_and(|was| was != self.partition))
            .count()
    }
}

/// The demo's own producer: a simulation with the page's settings.
struct DemoWorld {
    sim: Simulation,
    config: SimConfig,
    clock: SimTime,
}

impl DemoWorld {
    fn send(
        &mut self,
        key: Option<&[u8]>,
        gap: SimDuration,
    ) -> Result<PartitionChoice, KafkaError> {
        self.clock += gap;
        self.sim.advance_to(self.clock);
        let value_len = self.config.workload.value_size;
        let result = self.sim.send(key, value_len);
        // The first send() waits for the topic's metadata: the gaps count from its return.
        self.clock = self.clock.max(self.sim.now());
        result
    }
}

/// Everything the reader did in the demo, and the producer it did it with.
#[derive(Default)]
pub struct PartitionDemo {
    records: Vec<SentRecord>,
    outcome: Option<Outcome>,
    world: Option<DemoWorld>,
    next_seq: u64,
}

impl PartitionDemo {
    /// What to say about the latest send (`None` before the first).
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// Sends one record (`None`: a null key) with the page's settings `config`.
    pub fn send(&mut self, config: &SimConfig, key: Option<&[u8]>) {
        if key.is_some_and(|k| k.len() > MAX_KEY_BYTES) {
            self.outcome = Some(Outcome::Error(format!(
                "Keys here are limited to {MAX_KEY_BYTES} bytes."
            )));
            return;
        }
        let partitions = config.topic.partitions;
        let choice = match self.world(config).map(|w| w.send(key, CLICK_GAP)) {
            Ok(Ok(choice)) => choice,
            Ok(Err(e)) => return self.fail(format!("send() failed: {}", e.name())),
            Err(message) => return self.fail(message),
        };
        let landed = choice.partition();
        let previous_keyless = self
            .records
            .iter()
            .rev()
            .find(|r| r.key.label.is_none() && r.partitions == partitions)
            .map(|r| r.partition);
        self.push(key, landed, partitions);
        self.outcome = Some(match key {
            Some(bytes) => Outcome::Keyed {
                key: String::from_utf8_lossy(bytes).into_owned(),
                steps: key_partition(bytes, partitions),
                bytes: bytes.to_vec(),
                landed,
                choice,
            },
            None => Outcome::Keyless {
                partition: landed,
                choice,
                run: self.current_run(partitions).max(1),
                switched_from: previous_keyless.filter(|p| *p != landed),
            },
        });
    }

    /// Sends `BURST_RECORDS` records without a key, quickly one after the other.
    pub fn send_burst(&mut self, config: &SimConfig) {
        let partitions = config.topic.partitions;
        let world = match self.world(config) {
            Ok(world) => world,
            Err(message) => return self.fail(message),
        };
        let mut landed = Vec::with_capacity(BURST_RECORDS);
        for i in 0..BURST_RECORDS {
            let gap = if i == 0 { CLICK_GAP } else { BURST_GAP };
            match world.send(None, gap) {
                Ok(choice) => landed.push(choice.partition()),
                Err(e) => return self.fail(format!("send() failed: {}", e.name())),
            }
        }
        for &p in &landed {
            self.push(None, p, partitions);
        }
        let burst = &self.records[self.records.len() - landed.len()..];
        self.outcome = Some(Outcome::Burst {
            runs: keyless_runs(burst.iter()),
            current_run: self.current_run(partitions),
        });
    }

    /// After the topic went from `previous` partitions to `config`'s count: sends every
    /// distinct key sent at `previous` once more, so the lanes show where each key goes
    /// now and where it went before. Records already written stay where they were (Kafka
    /// never moves them: docs/ops.html, "Modifying topics").
    pub fn repartition(&mut self, config: &SimConfig, previous: u32) {
        let partitions = config.topic.partitions;
        let mut keys: Vec<(Vec<u8>, KeyTag, u32)> = Vec::new();
        for r in self.records.iter().filter(|r| r.partitions == previous) {
            let Some(bytes) = &r.key_bytes else { continue };
            match keys.iter_mut().find(|(k, _, _)| k == bytes) {
                Some(known) => known.2 = r.partition,
                None => keys.push((bytes.clone(), r.key.clone(), r.partition)),
            }
        }
        if keys.is_empty() || partitions == previous {
            self.outcome = None;
            return;
        }
        let world = match self.world(config) {
            Ok(world) => world,
            Err(message) => return self.fail(message),
        };
        let mut moves = Vec::with_capacity(keys.len());
        for (bytes, key, from) in keys {
            match world.send(Some(&bytes), CLICK_GAP) {
                Ok(choice) => moves.push((
                    bytes,
                    KeyMove {
                        key,
                        from,
                        to: choice.partition(),
                    },
                )),
                Err(e) => return self.fail(format!("send() failed: {}", e.name())),
            }
        }
        for (bytes, m) in &moves {
            self.push(Some(bytes), m.to, partitions);
            if let Some(last) = self.records.last_mut() {
                last.was = Some(m.from);
            }
        }
        self.outcome = Some(Outcome::Repartitioned {
            from_partitions: previous,
            to_partitions: partitions,
            moves: moves.into_iter().map(|(_, m)| m).collect(),
        });
    }

    /// Forgets every record and starts a new producer.
    pub fn clear(&mut self) {
        self.records.clear();
        self.outcome = None;
        self.world = None;
    }

    /// The records sent to a topic of `partitions` partitions, one lane per partition.
    pub fn lanes(&self, partitions: u32) -> Vec<Lane> {
        let mut lanes: Vec<Lane> = (0..partitions)
            .map(|partition| Lane {
                partition,
                records: Vec::new(),
            })
            .collect();
        for r in self.records.iter().filter(|r| r.partitions == partitions) {
            if let Some(lane) = lanes.get_mut(r.partition as usize) {
                lane.records.push(r.clone());
            }
        }
        lanes
    }

    /// Where the latest record went, if it was sent to a topic of `partitions` partitions.
    pub fn last_partition(&self, partitions: u32) -> Option<u32> {
        self.records
            .last()
            .filter(|r| r.partitions == partitions)
            .map(|r| r.partition)
    }

    /// Keyless records in a row on the current sticky partition.
    fn current_run(&self, partitions: u32) -> usize {
        keyless_runs(self.records.iter().filter(|r| r.partitions == partitions))
            .last()
            .map_or(0, |(_, n)| *n)
    }

    fn fail(&mut self, message: String) {
        self.outcome = Some(Outcome::Error(message));
    }

    fn push(&mut self, key: Option<&[u8]>, partition: u32, partitions: u32) {
        self.records.push(SentRecord {
            seq: self.next_seq,
            key: KeyTag::from_key(key),
            key_bytes: key.map(<[u8]>::to_vec),
            partition,
            partitions,
            was: None,
        });
        self.next_seq += 1;
    }

    /// The producer for `config`, built afresh when the settings changed; the engine's
    /// message when it refuses them.
    fn world(&mut self, config: &SimConfig) -> Result<&mut DemoWorld, String> {
        if self.world.as_ref().is_none_or(|w| w.config != *config) {
            let sim = Simulation::new(config.clone(), SEED).map_err(|e| e.to_string())?;
            self.world = Some(DemoWorld {
                sim,
                config: config.clone(),
                clock: SimTime::ZERO,
            });
        }
        self.world
            .as_mut()
            .ok_or_else(|| "The engine refused these settings.".to_string())
    }
}

/// The partition sequence of the keyless records, as runs of (partition, count).
pub fn keyless_runs<'a>(records: impl Iterator<Item = &'a SentRecord>) -> Vec<(u32, usize)> {
    let mut runs: Vec<(u32, usize)> = Vec::new();
    for r in records.filter(|r| r.key.label.is_none()) {
        match runs.last_mut() {
            Some((p, n)) if *p == r.partition => *n += 1,
            _ => runs.push((r.partition, 1)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(partitions: u32) -> SimConfig {
        let mut config = SimConfig::default();
        config.topic.partitions = partitions;
        config
    }

    #[test]
    fn a_keyed_send_lands_where_kafkas_murmur2_puts_it() {
        // murmur2("kafka") & 0x7fffffff = 1348980580 (librdkafka's rdmurmur2.c vector);
        // 1348980580 % 3 = 1.
        let mut demo = PartitionDemo::default();
        demo.send(&config(3), Some(b"kafka"));
        let Some(Outcome::Keyed { landed, steps, .. }) = demo.outcome() else {
            panic!("expected a keyed outcome, got {:?}", demo.outcome());
        };
        assert_eq!((*landed, steps.positive), (1, 1_348_980_580));
        assert_eq!(demo.last_partition(3), Some(1));
        let lanes = demo.lanes(3);
        assert_eq!(
            lanes.iter().map(|l| l.records.len()).collect::<Vec<_>>(),
            [0, 1, 0]
        );
        assert_eq!(lanes[1].keyed(), 1);
    }

    #[test]
    fn the_same_key_goes_to_the_same_partition_every_time() {
        let mut demo = PartitionDemo::default();
        for _ in 0..5 {
            demo.send(&config(6), Some(b"user-42"));
        }
        let lanes = demo.lanes(6);
        assert_eq!(lanes.iter().filter(|l| !l.records.is_empty()).count(), 1);
        assert_eq!(lanes.iter().map(|l| l.records.len()).sum::<usize>(), 5);
    }

    #[test]
    fn keyless_sends_stick_and_count_their_run() {
        let mut demo = PartitionDemo::default();
        demo.send(&config(3), None);
        demo.send(&config(3), None);
        let Some(Outcome::Keyless {
            run,
            switched_from,
            partition,
            ..
        }) = demo.outcome()
        else {
            panic!("expected a keyless outcome, got {:?}", demo.outcome());
        };
        assert_eq!(
            (*run, *switched_from),
            (2, None),
            "both stuck to partition {partition}"
        );
    }

    #[test]
    fn a_burst_records_every_send_and_its_runs_add_up() {
        let mut demo = PartitionDemo::default();
        demo.send(&config(3), Some(b"kafka"));
        demo.send_burst(&config(3));
        let Some(Outcome::Burst { runs, current_run }) = demo.outcome() else {
            panic!("expected a burst outcome, got {:?}", demo.outcome());
        };
        assert_eq!(runs.iter().map(|(_, n)| n).sum::<usize>(), BURST_RECORDS);
        assert_eq!(*current_run, runs.last().unwrap().1);
        let total: usize = demo.lanes(3).iter().map(|l| l.records.len()).sum();
        assert_eq!(total, 1 + BURST_RECORDS);
    }

    #[test]
    fn a_too_long_key_is_refused_with_a_message_and_nothing_is_sent() {
        let mut demo = PartitionDemo::default();
        demo.send(&config(3), Some(&[b'k'; MAX_KEY_BYTES + 1]));
        assert!(matches!(demo.outcome(), Some(Outcome::Error(m)) if m.contains("256 bytes")));
        assert_eq!(demo.last_partition(3), None);
    }

    #[test]
    fn lanes_show_only_the_current_partition_count_and_clear_empties_them() {
        let mut demo = PartitionDemo::default();
        demo.send(&config(3), Some(b"a"));
        assert_eq!(
            demo.lanes(6).iter().map(|l| l.records.len()).sum::<usize>(),
            0
        );
        assert_eq!(demo.last_partition(6), None);
        demo.clear();
        assert_eq!(demo.outcome(), None);
        assert!(demo.lanes(3).iter().all(|l| l.records.is_empty()));
    }

    #[test]
    fn a_new_partition_count_sends_each_key_again_and_says_where_it_was() {
        let mut demo = PartitionDemo::default();
        let keys: [&[u8]; 4] = [b"kafka", b"user-1", b"kafka", b""];
        for key in keys {
            demo.send(&config(6), Some(key));
        }
        demo.send(&config(6), None);
        demo.repartition(&config(8), 6);
        let Some(Outcome::Repartitioned {
            from_partitions,
            to_partitions,
            moves,
        }) = demo.outcome()
        else {
            panic!("expected a repartition outcome, got {:?}", demo.outcome());
        };
        assert_eq!((*from_partitions, *to_partitions), (6, 8));
        // One per distinct key (the empty key too), in first-sent order, each where
        // Kafka's murmur2 puts it at 6 and at 8 partitions.
        assert_eq!(moves.len(), 3);
        for (m, key) in moves.iter().zip([&b"kafka"[..], b"user-1", b""]) {
            assert_eq!(m.from, key_partition(key, 6).partition, "{key:?}");
            assert_eq!(m.to, key_partition(key, 8).partition, "{key:?}");
        }
        // "kafka": 1348980580 % 6 = 4, % 8 = 4 (stays); "" (0x106e08d9 = 275646681):
        // % 6 = 3, % 8 = 1 (moves).
        assert_eq!((moves[0].from, moves[0].to), (4, 4));
        assert_eq!((moves[2].from, moves[2].to), (3, 1));
        assert!(!moves[0].moved() && moves[2].moved());
        let lanes = demo.lanes(8);
        let shown: Vec<(u32, Option<u32>)> = lanes
            .iter()
            .flat_map(|l| l.records.iter().map(|r| (r.partition, r.was)))
            .collect();
        assert_eq!(shown.len(), 3, "the lanes keep the keys: {shown:?}");
        assert!(shown.contains(&(1, Some(3))), "{shown:?}");
        assert_eq!(demo.last_partition(8), Some(moves[2].to));
    }

    #[test]
    fn a_new_partition_count_without_keys_leaves_nothing_to_explain() {
        let mut demo = PartitionDemo::default();
        demo.send(&config(6), None);
        demo.repartition(&config(8), 6);
        assert_eq!(demo.outcome(), None);
        assert!(demo.lanes(8).iter().all(|l| l.records.is_empty()));
    }

    #[test]
    fn keyless_runs_group_consecutive_partitions_and_skip_keyed_records() {
        let rec = |key: Option<&[u8]>, partition| SentRecord {
            seq: 0,
            key: KeyTag::from_key(key),
            key_bytes: key.map(<[u8]>::to_vec),
            partition,
            partitions: 3,
            was: None,
        };
        let records = [
            rec(None, 0),
            rec(None, 0),
            rec(Some(b"k"), 2),
            rec(None, 0),
            rec(None, 1),
        ];
        assert_eq!(keyless_runs(records.iter()), [(0, 3), (1, 1)]);
    }
}
