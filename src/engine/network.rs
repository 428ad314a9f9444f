//! Links between the producer and the brokers: round-trip time, bandwidth, cuts.
//!
//! Each of the producer's connections is one TCP stream, so a cut link loses nothing:
//! what would cross it waits, and once the link heals TCP retransmits it, in order,
//! ahead of anything sent later. A request that waits longer than request.timeout.ms
//! is the producer's to give up on (it closes the connection, see `sender.rs`).

use super::config::ClusterConfig;
use super::sim::Action;
use super::time::{SimDuration, SimTime};
use std::collections::VecDeque;

/// How long after a cut heals the held messages arrive: Linux's minimum retransmission
/// timeout, `TCP_RTO_MIN` (HZ/5 = 200 ms, include/net/tcp.h), the soonest a sender
/// retransmits an unacknowledged segment (with backoff during a longer cut it is later).
pub const RETRANSMISSION_DELAY: SimDuration = SimDuration(200_000);

/// Every host (the producer and each broker) has one uplink of the configured
/// bandwidth; messages leave it one after another and arrive half a round trip later.
#[derive(Clone, Debug)]
pub struct Network {
    one_way: SimDuration,
    bytes_per_us: f64,
    /// When each host's uplink is free: index 0 is the producer, 1 + id a broker.
    uplink_free: Vec<SimTime>,
    producer_cut: Vec<bool>,
    /// Per broker, what reached a cut link (either way), in the order it arrived; it is
    /// delivered in that order after the link heals.
    held: Vec<VecDeque<Action>>,
    /// The producer's last accepted connection to each broker (its id), which a crash
    /// resets; None before the producer ever connected to it.
    producer_connection: Vec<Option<u64>>,
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
            held: vec![VecDeque::new(); c.brokers as usize],
            producer_connection: vec![None; c.brokers as usize],
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

    /// Whether a message reaching the producer's link to `broker` now must wait: the
    /// link is cut, or messages that waited for it are not yet delivered (TCP delivers
    /// in order).
    pub(super) fn holds(&self, broker: u32) -> bool {
        self.producer_link_cut(broker)
            || self
                .held
                .get(broker as usize)
                .is_some_and(|h| !h.is_empty())
    }

    /// `message` waits on the producer's link to `broker`.
    pub(super) fn hold(&mut self, broker: u32, message: Action) {
        if let Some(h) = self.held.get_mut(broker as usize) {
            h.push_back(message);
        }
    }

    /// The messages held on the link to `broker`, in order, if the link is up.
    pub(super) fn release(&mut self, broker: u32) -> VecDeque<Action> {
        match self.held.get_mut(broker as usize) {
            Some(h) if !self.producer_cut[broker as usize] => std::mem::take(h),
            _ => VecDeque::new(),
        }
    }

    /// Every message held on any link.
    pub(super) fn held(&self) -> impl Iterator<Item = &Action> {
        self.held.iter().flatten()
    }

    /// The producer's connection `conn` to `broker` was accepted (a late answer to an
    /// abandoned attempt does not replace a newer connection).
    pub fn open_producer_connection(&mut self, broker: u32, conn: u64) {
        if let Some(c) = self.producer_connection.get_mut(broker as usize) {
            *c = Some(c.map_or(conn, |c| c.max(conn)));
        }
    }

    /// The producer's last accepted connection to `broker`, if it ever connected.
    pub fn producer_connection(&self, broker: u32) -> Option<u64> {
        self.producer_connection
            .get(broker as usize)
            .copied()
            .flatten()
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
