//! What the page's client views show, as plain data computed from the engine's client
//! profiles (`engine::clients`): no browser types, tested natively.

use crate::engine::clients::{Client, HashSteps, PartitionerDef};

/// Where one client's default partitioner puts a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub client: Client,
    pub partitioner: &'static PartitionerDef,
    /// The steps, when the key alone decides.
    pub steps: Option<HashSteps>,
    /// Otherwise how the client picks, in words.
    pub picks: Option<&'static str>,
}

impl Placement {
    pub fn partition(&self) -> Option<u32> {
        self.steps.map(|s| s.partition)
    }

    /// The hash step, e.g. "CRC-32 = 3632233996".
    pub fn hash_line(&self) -> Option<String> {
        self.steps.map(|s| {
            format!(
                "{} = {} (int32 {})",
                s.hash.name(),
                s.hash_value,
                s.signed()
            )
        })
    }

    /// The reduction step, e.g. "3632233996 % 6 = 4".
    pub fn reduce_line(&self) -> Option<String> {
        self.steps.map(|s| {
            format!(
                "{} with n = {}: {}",
                s.reduce.formula(),
                s.partitions,
                s.partition
            )
        })
    }
}

/// Every client's default partitioner on `key` (`None`: no key), in `Client::all` order.
pub fn placements(key: Option<&[u8]>, partitions: u32) -> Vec<Placement> {
    Client::all()
        .into_iter()
        .map(|client| {
            let partitioner = client.default_partitioner();
            let steps = partitioner.hash_steps(key, partitions);
            Placement {
                client,
                partitioner,
                steps,
                picks: if steps.is_some() {
                    None
                } else {
                    partitioner.keyless(key).map(|k| k.describe())
                },
            }
        })
        .collect()
}

/// How many distinct partitions the clients that hash the key send it to.
pub fn distinct_partitions(placements: &[Placement]) -> usize {
    let mut seen: Vec<u32> = placements.iter().filter_map(Placement::partition).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// The keys the mixed-producers demo sends.
pub const MIXED_KEYS: [&str; 8] = [
    "order-1", "order-2", "order-3", "order-4", "order-5", "order-6", "order-7", "order-8",
];

/// One key sent by a Java producer (update 1) and then by a Python producer (update 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MixedKey {
    pub key: &'static str,
    /// Java's built-in partitioner (murmur2).
    pub java: u32,
    /// confluent-kafka-python with librdkafka's default partitioner (CRC-32).
    pub python: u32,
}

impl MixedKey {
    /// The two updates of this key sit in different partitions: a consumer can read
    /// update 2 before update 1.
    pub fn split(&self) -> bool {
        self.java != self.python
    }
}

/// The mixed-producers demo: the same keys from a Java service and a Python service
/// (default settings) into one topic.
pub fn mixed_producers(partitions: u32) -> Vec<MixedKey> {
    let place = |client: Client, key: &str| {
        client
            .default_partitioner()
            .key_partition(Some(key.as_bytes()), partitions)
            .unwrap_or(0)
    };
    MIXED_KEYS
        .iter()
        .map(|&key| MixedKey {
            key,
            java: place(Client::Java, key),
            python: place(Client::Librdkafka, key),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_side_by_side() {
        let rows = placements(Some(b"kafka"), 6);
        let got: Vec<(Client, Option<u32>)> =
            rows.iter().map(|p| (p.client, p.partition())).collect();
        // murmur2 for Java, kafkajs and franz-go; CRC-32 for librdkafka; FNV-1a for sarama.
        assert_eq!(
            got,
            [
                (Client::Java, Some(4)),
                (Client::Librdkafka, Some(5)),
                (Client::Kafkajs, Some(4)),
                (Client::Sarama, Some(5)),
                (Client::FranzGo, Some(4)),
            ]
        );
        assert_eq!(distinct_partitions(&rows), 2);
        assert_eq!(
            rows[1].hash_line().as_deref(),
            Some(
                format!(
                    "CRC-32 = {} (int32 {})",
                    rows[1].steps.unwrap().hash_value,
                    rows[1].steps.unwrap().hash_value as i32
                )
                .as_str()
            )
        );
        assert_eq!(
            rows[1].reduce_line().as_deref(),
            Some("h % n, h unsigned with n = 6: 5")
        );
    }

    #[test]
    fn keyless_and_empty_keys_say_how_the_client_picks() {
        let rows = placements(None, 6);
        assert!(rows
            .iter()
            .all(|p| p.partition().is_none() && p.picks.is_some()));
        assert_eq!(
            rows[2].picks,
            Some("round-robin over partitions with a leader, from a random starting point")
        );
        // An empty key: hashed by all but librdkafka's consistent_random.
        let rows = placements(Some(b""), 6);
        let hashed: Vec<bool> = rows.iter().map(|p| p.partition().is_some()).collect();
        assert_eq!(hashed, [true, false, true, true, true]);
    }

    #[test]
    fn mixed_producers_split_most_keys() {
        let demo = mixed_producers(6);
        assert_eq!(demo.len(), MIXED_KEYS.len());
        for k in &demo {
            assert_eq!(
                k.java,
                crate::engine::partitioner::key_partition(k.key.as_bytes(), 6).partition
            );
        }
        let split = demo.iter().filter(|k| k.split()).count();
        assert!(split >= 4, "{split} of 8 keys split");
        // One partition: nothing can split.
        assert!(mixed_producers(1).iter().all(|k| !k.split()));
    }
}
