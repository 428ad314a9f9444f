//! The engine's events turned into a timeline that a diagram can draw at any instant.
//!
//! The animated sections run the engine exactly up to the instant they show (see
//! `live_sim`). Each movement's event carries the time it ends (a request's `arrives`,
//! a response's or a fetch's `arrives`), so every movement on screen runs between two
//! times the engine computed. A request or response that reaches a cut link waits there
//! (`HeldOnLink`) until TCP delivers it (`Retransmitted`), whatever time it was first
//! due. Nothing here decides Kafka behaviour; it only remembers what the engine reported.

use crate::engine::event::{Event, EventKind, KafkaError, Leg};
use crate::engine::fault::Fault;
use crate::engine::network::RETRANSMISSION_DELAY;
use crate::engine::time::{SimDuration, SimTime};
use std::collections::{BTreeMap, VecDeque};

/// A record's key as the diagrams show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyTag {
    /// The key as text (lossy UTF-8, shortened), `None` for a null key.
    pub label: Option<String>,
    /// The key's colour (0..360), `None` for a null key.
    pub hue: Option<u16>,
}

impl KeyTag {
    pub fn from_key(key: Option<&[u8]>) -> Self {
        match key {
            None => KeyTag {
                label: None,
                hue: None,
            },
            Some(bytes) => KeyTag {
                label: Some(key_text(&String::from_utf8_lossy(bytes), 24)),
                hue: Some(key_hue(bytes)),
            },
        }
    }
}

/// A stable colour for a key: one of twelve hues 30° apart, picked by an FNV-1a hash of
/// the key (display only; distinct steps keep neighbouring keys tellable apart).
pub fn key_hue(key: &[u8]) -> u16 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in key {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    ((h >> 16) % 12) as u16 * 30 + 10
}

/// How the page names the empty key (zero bytes): a key, hashed like any other, unlike a
/// null key.
pub const EMPTY_KEY: &str = "\"\" (empty key)";

/// A key as the page shows it: cut to `max` characters, and the empty key named rather
/// than shown as nothing.
pub fn key_text(text: &str, max: usize) -> String {
    if text.is_empty() {
        EMPTY_KEY.to_string()
    } else {
        short_label(text, max)
    }
}

/// `text` cut to `max` characters with an ellipsis.
pub fn short_label(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let head: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{head}…")
    }
}

/// A value that changes at known times: read it at any instant.
#[derive(Clone, Debug, Default)]
pub struct Steps {
    points: VecDeque<(SimTime, u64)>,
}

impl Steps {
    pub fn push(&mut self, at: SimTime, value: u64) {
        self.points.push_back((at, value));
    }
    /// The latest value set at or before `t` (0 before the first).
    pub fn at(&self, t: SimTime) -> u64 {
        self.points
            .iter()
            .rev()
            .find(|(at, _)| *at <= t)
            .map_or(0, |(_, v)| *v)
    }
    pub fn last(&self) -> u64 {
        self.points.back().map_or(0, |(_, v)| *v)
    }
    /// Forgets points before `horizon`, keeping the one still in force there.
    fn prune(&mut self, horizon: SimTime) {
        while self.points.len() > 1 && self.points[1].0 <= horizon {
            self.points.pop_front();
        }
    }
}

/// One trip of a batch to a broker in a produce request.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    pub request: u64,
    pub broker: u32,
    pub sent_at: SimTime,
    /// When the request reached the broker, as the engine reported it (None: held on a
    /// cut link, not arrived yet).
    pub arrives: Option<SimTime>,
    /// When the broker sent its response, when that reaches the producer (None: held on
    /// a cut link), and its error (`None` = success), as the engine reported them.
    pub answer: Option<(SimTime, Option<SimTime>, Option<KafkaError>)>,
    /// When the producer took the response in (or gave up on the request), and the
    /// error it saw (`None` = success).
    pub response: Option<(SimTime, Option<KafkaError>)>,
}

/// Everything the engine reported about one `ProducerBatch`.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchTrack {
    pub partition: u32,
    pub batch: u64,
    /// When each record was appended, with its key.
    pub records: Vec<(SimTime, KeyTag)>,
    pub closed_at: Option<SimTime>,
    pub attempts: Vec<Attempt>,
    /// When, where and at which offset the leader appended it.
    pub leader_append: Option<(SimTime, u32, u64)>,
    pub acked_at: Option<SimTime>,
    pub failed: Option<(SimTime, KafkaError)>,
}

impl BatchTrack {
    fn finished_at(&self) -> Option<SimTime> {
        let last_response = self
            .attempts
            .last()
            .and_then(|a| a.response.map(|(t, _)| t));
        let outcome = self.acked_at.or(self.failed.map(|(t, _)| t))?;
        let arrival = self.leader_append.map(|(t, _, _)| t);
        Some(
            outcome
                .max(last_response.unwrap_or(outcome))
                .max(arrival.unwrap_or(outcome)),
        )
    }
}

/// Where a batch is at one instant.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    /// Open or waiting in the RecordAccumulator; `retrying` once a send failed.
    InAccumulator { records: u32, retrying: bool },
    /// On the wire to `broker`; `progress` runs 0..1.
    ToLeader { broker: u32, progress: f64 },
    /// The leader has it; the producer is still waiting (acks=all waits for the ISR).
    OnLeader { broker: u32 },
    /// The response is on its way back; `error` when the broker refused the batch.
    Response {
        broker: u32,
        progress: f64,
        error: Option<KafkaError>,
    },
}

/// One batch on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchMark {
    pub partition: u32,
    pub batch: u64,
    pub stage: Stage,
    /// The keys of the records in it so far.
    pub keys: Vec<KeyTag>,
}

/// A follower's fetch bringing records from the leader.
#[derive(Clone, Debug, PartialEq)]
pub struct FetchMark {
    /// When the follower appends what it fetched (identifies the fetch).
    pub at: SimTime,
    pub partition: u32,
    pub leader: u32,
    pub follower: u32,
    pub progress: f64,
}

/// A record in a partition's log on the leader.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub offset: u64,
    pub key: KeyTag,
    /// Below the high watermark: committed, visible to consumers.
    pub committed: bool,
}

/// One partition's numbers at one instant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartitionMarks {
    pub high_watermark: u64,
    /// The leader's log end offset.
    pub log_end_offset: u64,
    /// Log end offset per follower broker, by broker id.
    pub follower_log_end_offsets: Vec<(u32, u64)>,
    /// The newest records on the leader, oldest first.
    pub tail: Vec<LogEntry>,
}

/// The running totals at one instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub records_sent: u64,
    pub records_acked: u64,
    pub records_failed: u64,
    pub retries: u64,
    pub requests: u64,
}

/// Everything to draw at one instant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    pub now: SimTime,
    pub batches: Vec<BatchMark>,
    pub fetches: Vec<FetchMark>,
    /// Indexed by partition.
    pub partitions: Vec<PartitionMarks>,
    pub totals: Totals,
    /// The latest error a response carried, and when.
    pub last_error: Option<(SimTime, KafkaError)>,
    /// Recent cluster happenings (faults, elections, ISR changes), newest last.
    pub incidents: Vec<(SimTime, String)>,
}

/// How many log entries per partition are kept for drawing.
const TAIL_KEPT: usize = 32;
/// How many cluster happenings are kept for the event list.
const INCIDENTS_KEPT: usize = 20;

fn broker_list(brokers: &[u32]) -> String {
    let ids: Vec<String> = brokers.iter().map(u32::to_string).collect();
    format!("[{}]", ids.join(", "))
}

/// A cluster happening in a sentence.
pub fn describe_fault(fault: &Fault) -> String {
    match *fault {
        Fault::Crash { broker } => format!("Broker {broker} crashed."),
        Fault::Restart { broker } => format!("Broker {broker} restarted and catches up."),
        Fault::Slow { broker, extra_ms } if extra_ms > 0.0 => {
            format!("Broker {broker} slowed down by {extra_ms} ms per append.")
        }
        Fault::Slow { broker, .. } => format!("Broker {broker} is back to normal speed."),
        Fault::Pause { broker, ms } => format!("Broker {broker} stalls for {ms} ms."),
        Fault::CutProducerLink { broker } => {
            format!(
                "The producer's link to broker {broker} is cut: requests and responses wait on it (TCP loses nothing); a request unanswered for request.timeout.ms closes the connection."
            )
        }
        Fault::HealProducerLink { broker } => {
            format!(
                "The producer's link to broker {broker} is back: TCP retransmits what waited, in order, after its {} ms retransmission timeout.",
                RETRANSMISSION_DELAY.as_ms_f64()
            )
        }
        Fault::CutReplication { broker } => {
            format!("Broker {broker} stopped fetching from leaders.")
        }
        Fault::HealReplication { broker } => format!("Broker {broker} fetches from leaders again."),
    }
}

/// What was reported about one partition.
#[derive(Clone, Debug, Default)]
struct PartitionTrack {
    /// The broker last seen leading it.
    leader: Option<u32>,
    high_watermark: Steps,
    leader_log_end: Steps,
    /// Log end offset per follower broker, by broker id.
    follower_log_end: Vec<(u32, Steps)>,
    /// The newest records appended on the leader: when, offset and key.
    tail: VecDeque<(SimTime, u64, KeyTag)>,
}

/// Everything reported, kept for a short while so any recent instant can be drawn.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    batches: BTreeMap<(u32, u64), BatchTrack>,
    /// Requests awaiting their response: id and the batches they carry.
    requests: Vec<(u64, Vec<(u32, u64)>)>,
    /// Fetch answers travelling to followers: answered, arrives, partition, leader,
    /// follower.
    fetches: VecDeque<(SimTime, SimTime, u32, u32, u32)>,
    /// Indexed by partition.
    partitions: Vec<PartitionTrack>,
    sent: Steps,
    acked: Steps,
    failed: Steps,
    retries: Steps,
    requests_sent: Steps,
    errors: VecDeque<(SimTime, KafkaError)>,
    incidents: VecDeque<(SimTime, String)>,
    /// Brokers that crashed and have not restarted, with when.
    crashed: Vec<(u32, SimTime)>,
    /// Expected one-way network time, for a request held on a cut link (its arrival is
    /// not known until the leader appends it).
    travel: SimDuration,
}

fn progress(t: SimTime, from: SimTime, to: SimTime) -> f64 {
    if to <= from {
        return 1.0;
    }
    ((t.0.saturating_sub(from.0)) as f64 / (to.0 - from.0) as f64).clamp(0.0, 1.0)
}

impl Timeline {
    /// `travel`: the expected one-way network time (half the round trip).
    pub fn new(travel: SimDuration) -> Self {
        Timeline {
            travel: SimDuration(travel.0.max(1)),
            ..Timeline::default()
        }
    }

    /// Takes in events, which arrive in time order.
    pub fn ingest(&mut self, events: impl IntoIterator<Item = Event>) {
        for event in events {
            self.ingest_one(event);
        }
    }

    fn batch_mut(&mut self, partition: u32, batch: u64) -> &mut BatchTrack {
        self.batches
            .entry((partition, batch))
            .or_insert_with(|| BatchTrack {
                partition,
                batch,
                records: Vec::new(),
                closed_at: None,
                attempts: Vec::new(),
                leader_append: None,
                acked_at: None,
                failed: None,
            })
    }

    /// Every batch's attempt that travels in produce request `request`.
    fn for_each_attempt(&mut self, request: u64, mut f: impl FnMut(&mut Attempt)) {
        let Some((_, batches)) = self.requests.iter().find(|(id, _)| *id == request) else {
            return;
        };
        for key in batches {
            if let Some(a) = self
                .batches
                .get_mut(key)
                .and_then(|b| b.attempts.iter_mut().rev().find(|a| a.request == request))
            {
                f(a);
            }
        }
    }

    fn partition_mut(&mut self, partition: u32) -> &mut PartitionTrack {
        let i = partition as usize;
        if self.partitions.len() <= i {
            self.partitions.resize_with(i + 1, PartitionTrack::default);
        }
        &mut self.partitions[i]
    }

    fn ingest_one(&mut self, event: Event) {
        let t = event.time;
        match event.kind {
            EventKind::RecordAppended {
                partition,
                batch,
                key,
                ..
            } => {
                let tag = KeyTag::from_key(key.as_deref());
                self.batch_mut(partition, batch).records.push((t, tag));
                let n = self.sent.last() + 1;
                self.sent.push(t, n);
            }
            EventKind::BatchClosed {
                partition, batch, ..
            } => {
                self.batch_mut(partition, batch).closed_at = Some(t);
            }
            EventKind::RequestSent {
                request,
                broker,
                batches,
                arrives,
                ..
            } => {
                for &(partition, batch) in &batches {
                    self.batch_mut(partition, batch).attempts.push(Attempt {
                        request,
                        broker,
                        sent_at: t,
                        arrives,
                        answer: None,
                        response: None,
                    });
                }
                self.requests.push((request, batches));
                let n = self.requests_sent.last() + 1;
                self.requests_sent.push(t, n);
            }
            EventKind::AppendedOnLeader {
                broker,
                partition,
                batch,
                base_offset,
                records,
            } => {
                let track = self.batch_mut(partition, batch);
                track.leader_append = Some((t, broker, base_offset));
                let keys: Vec<KeyTag> = track.records.iter().map(|(_, k)| k.clone()).collect();
                let p = self.partition_mut(partition);
                p.leader = Some(broker);
                let tail = &mut p.tail;
                for i in 0..u64::from(records) {
                    let key = keys.get(i as usize).cloned().unwrap_or(KeyTag {
                        label: None,
                        hue: None,
                    });
                    tail.push_back((t, base_offset + i, key));
                }
                while tail.len() > TAIL_KEPT {
                    tail.pop_front();
                }
                p.leader_log_end.push(t, base_offset + u64::from(records));
            }
            EventKind::Replicated {
                broker,
                partition,
                log_end_offset,
            } => {
                let p = self.partition_mut(partition);
                let followers = &mut p.follower_log_end;
                let i = match followers.binary_search_by_key(&broker, |(b, _)| *b) {
                    Ok(i) => i,
                    Err(i) => {
                        followers.insert(i, (broker, Steps::default()));
                        i
                    }
                };
                followers[i].1.push(t, log_end_offset);
            }
            EventKind::FetchAnswered {
                partition,
                leader,
                follower,
                arrives,
                ..
            } => {
                self.fetches
                    .push_back((t, arrives, partition, leader, follower));
            }
            EventKind::ResponseSent {
                request,
                error,
                arrives,
                ..
            } => self.for_each_attempt(request, |a| a.answer = Some((t, Some(arrives), error))),
            // TCP holds a message on a cut link: it arrives only when retransmitted.
            EventKind::HeldOnLink { request, leg, .. } => {
                self.for_each_attempt(request, |a| match leg {
                    Leg::Request => a.arrives = None,
                    Leg::Response => {
                        if let Some(answer) = a.answer.as_mut() {
                            answer.1 = None;
                        }
                    }
                })
            }
            EventKind::Retransmitted { request, leg, .. } => {
                self.for_each_attempt(request, |a| match leg {
                    Leg::Request => a.arrives = Some(t),
                    Leg::Response => {
                        if let Some(answer) = a.answer.as_mut() {
                            answer.1 = Some(t);
                        }
                    }
                })
            }
            EventKind::HighWatermark {
                partition,
                high_watermark,
            } => {
                self.partition_mut(partition)
                    .high_watermark
                    .push(t, high_watermark);
            }
            EventKind::Response { request, error, .. } => {
                self.for_each_attempt(request, |a| a.response = Some((t, error)));
                self.requests.retain(|(id, _)| *id != request);
                if let Some(e) = error {
                    self.errors.push_back((t, e));
                }
            }
            EventKind::BatchAcked {
                partition,
                batch,
                records,
                ..
            } => {
                self.batch_mut(partition, batch).acked_at = Some(t);
                let n = self.acked.last() + u64::from(records);
                self.acked.push(t, n);
            }
            EventKind::BatchFailed {
                partition,
                batch,
                records,
                error,
            } => {
                self.batch_mut(partition, batch).failed = Some((t, error));
                let n = self.failed.last() + u64::from(records);
                self.failed.push(t, n);
                self.errors.push_back((t, error));
            }
            EventKind::Retry { .. } => {
                let n = self.retries.last() + 1;
                self.retries.push(t, n);
            }
            EventKind::LeaderElected {
                partition,
                leader,
                leader_epoch,
                unclean,
                records_truncated,
            } => {
                let previous = self
                    .partitions
                    .get(partition as usize)
                    .and_then(|p| p.leader);
                // A crashed broker sends no heartbeats; the controller fences it (and
                // moves its leaderships) once broker.session.timeout.ms has passed.
                let why = previous
                    .and_then(|old| self.crashed.iter().find(|(b, _)| *b == old))
                    .filter(|_| previous != leader)
                    .map(|(old, at)| {
                        format!(
                            " Broker {old} crashed {:.0} ms earlier: the controller moved its leaderships once its heartbeats had been missing for broker.session.timeout.ms.",
                            t.since(*at).as_ms_f64()
                        )
                    })
                    .unwrap_or_default();
                let text = match leader {
                    Some(broker) => {
                        self.partition_mut(partition).leader = Some(broker);
                        format!(
                            "P{partition}: broker {broker} is the new leader (epoch {leader_epoch}){}.{why}",
                            if unclean { ", elected uncleanly from outside the ISR" } else { "" }
                        )
                    }
                    None => {
                        format!("P{partition} is offline: no replica in the ISR can lead.{why}")
                    }
                };
                let lost = if records_truncated > 0 {
                    format!(" Followers truncated {records_truncated} record(s) to match it.")
                } else {
                    String::new()
                };
                self.note(t, text + &lost);
            }
            EventKind::IsrChanged { partition, isr } => {
                self.note(
                    t,
                    format!("P{partition}: the ISR is now {}.", broker_list(&isr)),
                );
            }
            EventKind::FaultInjected { fault } => {
                match fault {
                    Fault::Crash { broker } => self.crashed.push((broker, t)),
                    Fault::Restart { broker } => self.crashed.retain(|(b, _)| *b != broker),
                    _ => {}
                }
                self.note(t, describe_fault(&fault));
            }
            EventKind::ConnectionReady { broker } => {
                self.note(t, format!("The producer is connected to broker {broker}."));
            }
            EventKind::MetadataUpdated { broker, leaders } => {
                let leaders: Vec<String> = leaders
                    .iter()
                    .enumerate()
                    .map(|(p, l)| l.map_or(format!("P{p} none"), |b| format!("P{p} on {b}")))
                    .collect();
                self.note(
                    t,
                    format!(
                        "Metadata from broker {broker}: leaders {}.",
                        leaders.join(", ")
                    ),
                );
            }
            EventKind::ProducerIdAssigned {
                broker,
                producer_id,
                producer_epoch,
            } => {
                self.note(
                    t,
                    format!("Broker {broker} gave the producer id {producer_id}, epoch {producer_epoch}."),
                );
            }
        }
    }

    fn note(&mut self, t: SimTime, text: String) {
        // The same happening reported twice at one instant is one line.
        if self
            .incidents
            .iter()
            .any(|(at, old)| *at == t && *old == text)
        {
            return;
        }
        self.incidents.push_back((t, text));
        while self.incidents.len() > INCIDENTS_KEPT {
            self.incidents.pop_front();
        }
    }

    /// Forgets what finished before `horizon`.
    pub fn prune(&mut self, horizon: SimTime) {
        self.batches
            .retain(|_, b| b.finished_at().is_none_or(|end| end >= horizon));
        // acks=0 requests get no response: forget them with their batches.
        let batches = &self.batches;
        self.requests
            .retain(|(_, carried)| carried.iter().any(|key| batches.contains_key(key)));
        while self
            .fetches
            .front()
            .is_some_and(|(_, arrives, ..)| *arrives < horizon)
        {
            self.fetches.pop_front();
        }
        while self.errors.len() > 1 && self.errors[1].0 <= horizon {
            self.errors.pop_front();
        }
        for p in &mut self.partitions {
            p.high_watermark.prune(horizon);
            p.leader_log_end.prune(horizon);
            for (_, steps) in &mut p.follower_log_end {
                steps.prune(horizon);
            }
        }
        for steps in [
            &mut self.sent,
            &mut self.acked,
            &mut self.failed,
            &mut self.retries,
            &mut self.requests_sent,
        ] {
            steps.prune(horizon);
        }
    }

    /// Where the batch is at `t`, or `None` when it is not on screen then.
    fn stage_at(&self, b: &BatchTrack, t: SimTime) -> Option<Stage> {
        let first_record = b.records.first().map(|(at, _)| *at)?;
        if t < first_record {
            return None;
        }
        // The attempt under way at t: the last one sent at or before t.
        let Some(index) = b.attempts.iter().rposition(|a| a.sent_at <= t) else {
            if b.failed.is_some_and(|(at, _)| at <= t) || b.acked_at.is_some_and(|at| at <= t) {
                return None;
            }
            let records = b.records.iter().filter(|(at, _)| *at <= t).count() as u32;
            return Some(Stage::InAccumulator {
                records,
                retrying: false,
            });
        };
        let attempt = &b.attempts[index];
        let next_sent = b.attempts.get(index + 1).map(|a| a.sent_at);
        // This attempt carried the batch to the leader if the append falls in its window.
        let append = b
            .leader_append
            .filter(|(at, _, _)| *at >= attempt.sent_at && next_sent.is_none_or(|next| *at < next));
        let arrival = match (attempt.arrives, append) {
            // The engine's own arrival time.
            (Some(at), _) => Some(at),
            (None, Some((at, _, _))) => Some(at),
            // Held on a cut link: not arrived (yet).
            (None, None) => None,
        };
        let broker = attempt.broker;
        let gone = |at: SimTime| at <= t;
        let settled = b.failed.is_some_and(|(at, _)| gone(at)) || b.acked_at.is_some_and(gone);
        match arrival {
            None => {
                if settled || attempt.response.is_some_and(|(at, _)| gone(at)) {
                    return None;
                }
                // Held: it heads for the leader and waits short of it.
                let expected = attempt.sent_at + self.travel;
                Some(Stage::ToLeader {
                    broker,
                    progress: progress(t, attempt.sent_at, expected) * 0.9,
                })
            }
            Some(arrived) if t < arrived => Some(Stage::ToLeader {
                broker,
                progress: progress(t, attempt.sent_at, arrived),
            }),
            Some(_) => {
                // The producer has taken the outcome in: retrying, or done.
                if let Some((_, error)) = attempt.response.filter(|(at, _)| gone(*at)) {
                    return (error.is_some() && !settled).then_some(Stage::InAccumulator {
                        records: b.records.len() as u32,
                        retrying: true,
                    });
                }
                match attempt.answer {
                    // The broker's answer on its way back, between the engine's times.
                    Some((answered, Some(back), error)) if gone(answered) => {
                        (t < back).then_some(Stage::Response {
                            broker,
                            progress: progress(t, answered, back),
                            error,
                        })
                    }
                    // Held on a cut link: it waits short of the producer.
                    Some((answered, None, error)) if gone(answered) => Some(Stage::Response {
                        broker,
                        progress: 0.9,
                        error,
                    }),
                    // acks=0: nobody waits for an answer, so the trip ends at the leader.
                    _ if settled => None,
                    _ => Some(Stage::OnLeader { broker }),
                }
            }
        }
    }

    /// Everything to draw at `t`, for a topic with `partitions` partitions.
    pub fn scene_at(&self, t: SimTime, partitions: u32) -> Scene {
        let batches = self
            .batches
            .values()
            .filter_map(|b| {
                let stage = self.stage_at(b, t)?;
                let keys = b
                    .records
                    .iter()
                    .filter(|(at, _)| *at <= t)
                    .map(|(_, k)| k.clone())
                    .collect();
                Some(BatchMark {
                    partition: b.partition,
                    batch: b.batch,
                    stage,
                    keys,
                })
            })
            .collect();
        let fetches = self
            .fetches
            .iter()
            .filter(|&&(answered, at, ..)| answered <= t && t < at)
            .map(|&(answered, at, partition, leader, follower)| FetchMark {
                at,
                partition,
                leader,
                follower,
                progress: progress(t, answered, at),
            })
            .collect();
        let empty = PartitionTrack::default();
        let partitions = (0..partitions as usize)
            .map(|p| {
                let track = self.partitions.get(p).unwrap_or(&empty);
                let high_watermark = track.high_watermark.at(t);
                let tail = track
                    .tail
                    .iter()
                    .filter(|(at, ..)| *at <= t)
                    .map(|(_, offset, key)| LogEntry {
                        offset: *offset,
                        key: key.clone(),
                        committed: *offset < high_watermark,
                    })
                    .collect();
                PartitionMarks {
                    high_watermark,
                    log_end_offset: track.leader_log_end.at(t),
                    follower_log_end_offsets: track
                        .follower_log_end
                        .iter()
                        .map(|(broker, s)| (*broker, s.at(t)))
                        .collect(),
                    tail,
                }
            })
            .collect();
        Scene {
            now: t,
            batches,
            fetches,
            partitions,
            totals: Totals {
                records_sent: self.sent.at(t),
                records_acked: self.acked.at(t),
                records_failed: self.failed.at(t),
                retries: self.retries.at(t),
                requests: self.requests_sent.at(t),
            },
            last_error: self.errors.iter().rev().find(|(at, _)| *at <= t).copied(),
            incidents: self
                .incidents
                .iter()
                .filter(|(at, _)| *at <= t)
                .cloned()
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Stage, Timeline};
    use crate::engine::event::{Event, EventKind, Leg};
    use crate::engine::time::{SimDuration, SimTime};

    fn ev(us: u64, kind: EventKind) -> Event {
        Event {
            time: SimTime(us),
            kind,
        }
    }

    /// One record appended at 1 ms and sent in request 0 to broker 0, due there at
    /// 1.6 ms.
    fn one_request() -> Timeline {
        let mut timeline = Timeline::new(SimDuration(100));
        timeline.ingest([
            ev(
                1_000,
                EventKind::RecordAppended {
                    record: 0,
                    partition: 0,
                    batch: 0,
                    key: None,
                },
            ),
            ev(
                1_000,
                EventKind::RequestSent {
                    request: 0,
                    broker: 0,
                    batches: vec![(0, 0)],
                    bytes: 100,
                    arrives: Some(SimTime(1_600)),
                },
            ),
        ]);
        timeline
    }

    /// `one_request`, answered at 2.5 ms and due back at 3 ms.
    fn one_request_answered() -> Timeline {
        let mut timeline = one_request();
        timeline.ingest([ev(
            2_500,
            EventKind::ResponseSent {
                request: 0,
                broker: 0,
                error: None,
                arrives: SimTime(3_000),
            },
        )]);
        timeline
    }

    /// Where the one batch is drawn at `us`.
    fn stage(timeline: &Timeline, us: u64) -> Option<Stage> {
        timeline
            .scene_at(SimTime(us), 1)
            .batches
            .first()
            .map(|b| b.stage.clone())
    }

    /// The message of request 0 on leg `leg`, at `us`, held on or retransmitted over
    /// the cut link to broker 0.
    fn held(us: u64, leg: Leg) -> Event {
        ev(
            us,
            EventKind::HeldOnLink {
                request: 0,
                broker: 0,
                leg,
            },
        )
    }

    fn retransmitted(us: u64, leg: Leg) -> Event {
        ev(
            us,
            EventKind::Retransmitted {
                request: 0,
                broker: 0,
                leg,
            },
        )
    }

    #[test]
    fn a_happening_reported_twice_at_one_instant_is_listed_once() {
        let mut timeline = Timeline::new(SimDuration(100));
        let isr = || EventKind::IsrChanged {
            partition: 0,
            isr: vec![1, 2],
        };
        timeline.ingest([ev(10, isr()), ev(10, isr()), ev(20, isr())]);
        let incidents = timeline.scene_at(SimTime(20), 1).incidents;
        assert_eq!(
            incidents,
            vec![
                (SimTime(10), "P0: the ISR is now [1, 2].".to_string()),
                (SimTime(20), "P0: the ISR is now [1, 2].".to_string()),
            ]
        );
    }

    #[test]
    fn an_election_after_a_crash_says_why_it_came_later() {
        let mut timeline = Timeline::new(SimDuration(100));
        timeline.ingest([
            ev(
                500,
                EventKind::AppendedOnLeader {
                    broker: 0,
                    partition: 0,
                    batch: 0,
                    base_offset: 0,
                    records: 1,
                },
            ),
            ev(
                1_000_000,
                EventKind::FaultInjected {
                    fault: crate::engine::fault::Fault::Crash { broker: 0 },
                },
            ),
            ev(
                10_000_000,
                EventKind::LeaderElected {
                    partition: 0,
                    leader: Some(1),
                    leader_epoch: 1,
                    unclean: false,
                    records_truncated: 0,
                },
            ),
        ]);
        let incidents = timeline.scene_at(SimTime(10_000_000), 1).incidents;
        let (_, election) = incidents.last().expect("the election");
        assert_eq!(
            election,
            "P0: broker 1 is the new leader (epoch 1). Broker 0 crashed 9000 ms earlier: the controller moved its leaderships once its heartbeats had been missing for broker.session.timeout.ms."
        );
    }

    #[test]
    fn a_follower_fetch_moves_between_the_leaders_answer_and_its_arrival() {
        let mut timeline = Timeline::new(SimDuration(100));
        timeline.ingest([ev(
            1_000,
            EventKind::FetchAnswered {
                partition: 0,
                leader: 1,
                follower: 2,
                records: 3,
                sent: SimTime(1_010),
                arrives: SimTime(1_400),
            },
        )]);
        assert!(timeline.scene_at(SimTime(999), 1).fetches.is_empty());
        let fetches = timeline.scene_at(SimTime(1_100), 1).fetches;
        assert_eq!(fetches.len(), 1);
        assert_eq!((fetches[0].leader, fetches[0].follower), (1, 2));
        assert_eq!(fetches[0].progress, 0.25);
        assert!(timeline.scene_at(SimTime(1_400), 1).fetches.is_empty());
    }

    #[test]
    fn a_request_moves_on_the_engines_own_arrival_and_answer_times() {
        // Sent at 1 ms, at the broker at 1.6 ms, answered at 2.5 ms, back at 3 ms: the
        // drawing follows those times, each known when its movement starts.
        let timeline = one_request_answered();
        // Shown up to 2.75 ms: the response's end is known before it arrives.
        let mut timeline_later = timeline.clone();
        timeline_later.ingest([ev(
            3_000,
            EventKind::Response {
                request: 0,
                broker: 0,
                error: None,
                answered: Some(SimTime(2_500)),
            },
        )]);
        assert_eq!(
            stage(&timeline, 1_300),
            Some(Stage::ToLeader {
                broker: 0,
                progress: 0.5
            })
        );
        assert_eq!(stage(&timeline, 2_000), Some(Stage::OnLeader { broker: 0 }));
        assert_eq!(
            stage(&timeline, 2_750),
            Some(Stage::Response {
                broker: 0,
                progress: 0.5,
                error: None
            })
        );
        // Once the response is in and the batch acknowledged, it leaves the picture.
        assert!(timeline_later
            .scene_at(SimTime(3_000), 1)
            .batches
            .iter()
            .all(|b| !matches!(b.stage, Stage::Response { .. })));
    }

    #[test]
    fn a_response_held_on_a_cut_link_waits_short_of_the_producer_until_retransmitted() {
        // Due back at 3 ms, but the link is cut: TCP holds it until 5 ms.
        let mut timeline = one_request_answered();
        timeline.ingest([held(3_000, Leg::Response)]);
        let waiting = Some(Stage::Response {
            broker: 0,
            progress: 0.9,
            error: None,
        });
        assert_eq!(stage(&timeline, 3_500), waiting);
        assert_eq!(stage(&timeline, 4_900), waiting);
        timeline.ingest([
            retransmitted(5_000, Leg::Response),
            ev(
                5_000,
                EventKind::Response {
                    request: 0,
                    broker: 0,
                    error: None,
                    answered: Some(SimTime(2_500)),
                },
            ),
        ]);
        assert!(!matches!(
            stage(&timeline, 5_000),
            Some(Stage::Response { .. })
        ));
    }

    #[test]
    fn a_request_held_on_a_cut_link_arrives_when_retransmitted() {
        let mut timeline = one_request();
        timeline.ingest([held(1_600, Leg::Request)]);
        let waiting = Some(Stage::ToLeader {
            broker: 0,
            progress: 0.9,
        });
        assert_eq!(stage(&timeline, 2_000), waiting, "not on the leader yet");
        timeline.ingest([retransmitted(4_000, Leg::Request)]);
        assert_eq!(stage(&timeline, 4_000), Some(Stage::OnLeader { broker: 0 }));
    }
}
