//! Links between the producer and the brokers: round-trip time, bandwidth, cuts.

use super::config::ClusterConfig;
use super::time::{SimDuration, SimTime};

/// Every host (the producer and each broker) has one uplink of the configured
/// bandwidth; messages leave it one after another and arrive half a round trip later.
#[derive(Clone, Debug)]
pub struct Network {
    one_way: SimDuration,
    bytes_per_us: f64,
    /// When each host's uplink is free: index 0 is the producer, 1 + id a broker.
    uplink_free: Vec<SimTime>,
    producer_cut: Vec<bool>,
    /// The producer's open connection to each broker (its id), which a crash resets.
    producer_connection: Vec<u64>,
}

/// A host on the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    Producer,
    Broker(u32),
}

impl Network {
    pub fn new(c: &ClusterConfig) -> Self {
        Network {
            one_way: SimDuration::from_ms_f64(c.network_rtt_ms / 2.0),
            bytes_per_us: c.network_bandwidth_mbps.max(1e-6) * 1_000_000.0 / 1_000_000.0,
            uplink_free: vec![SimTime::ZERO; c.brokers as usize + 1],
            producer_cut: vec![false; c.brokers as usize],
            producer_connection: vec![0; c.brokers as usize],
        }
    }

    fn index(h: Host) -> usize {
        match h {
            Host::Producer => 0,
            Host::Broker(b) => b as usize + 1,
        }
    }

    pub fn one_way(&self) -> SimDuration {
        self.one_way
    }

    /// Sends `bytes` from `from` at `now`: returns (when the last byte left, when it arrives).
    pub fn transmit(&mut self, from: Host, now: SimTime, bytes: u32) -> (SimTime, SimTime) {
        let i = Self::index(from);
        let start = self.uplink_free[i].max(now);
        let tx = SimDuration((bytes as f64 / self.bytes_per_us).ceil() as u64);
        let sent = start + tx;
        self.uplink_free[i] = sent;
        (sent, sent + self.one_way)
    }

    pub fn producer_link_cut(&self, broker: u32) -> bool {
        self.producer_cut
            .get(broker as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The producer's connection `conn` to `broker` was accepted.
    pub fn open_producer_connection(&mut self, broker: u32, conn: u64) {
        if let Some(c) = self.producer_connection.get_mut(broker as usize) {
            *c = conn;
        }
    }

    /// The producer's last accepted connection to `broker`.
    pub fn producer_connection(&self, broker: u32) -> u64 {
        self.producer_connection
            .get(broker as usize)
            .copied()
            .unwrap_or(0)
    }

    pub fn set_producer_link_cut(&mut self, broker: u32, cut: bool) {
        if let Some(c) = self.producer_cut.get_mut(broker as usize) {
            *c = cut;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uplink_serialises_messages() {
        let mut n = Network::new(&ClusterConfig {
            network_rtt_ms: 2.0,
            network_bandwidth_mbps: 100.0, // 100 bytes per microsecond
            ..ClusterConfig::default()
        });
        let (sent, arrives) = n.transmit(Host::Producer, SimTime::ZERO, 10_000);
        assert_eq!(sent, SimTime(100));
        assert_eq!(arrives, SimTime(1100));
        let (sent2, _) = n.transmit(Host::Producer, SimTime::ZERO, 10_000);
        assert_eq!(sent2, SimTime(200), "waits for the first message");
        let (sent3, _) = n.transmit(Host::Broker(0), SimTime::ZERO, 100);
        assert_eq!(sent3, SimTime(1), "other hosts have their own uplink");
    }
}
