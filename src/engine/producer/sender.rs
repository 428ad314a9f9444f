//! The producer's I/O thread (`clients/.../producer/internals/Sender.java`): drains
//! ready batches into produce requests per broker, handles responses, retries with
//! backoff, and expires batches at delivery.timeout.ms.

use super::accumulator::{ProducerBatch, Readiness};
use super::send_call::Retrier;
use super::{ConnectionState, InFlightRequest, KafkaProducer};
use crate::engine::config::Acks;
use crate::engine::event::{EventKind, KafkaError};
use crate::engine::network::Host;
use crate::engine::protocol::{
    BatchMeta, InitProducerIdResponse, MetadataRequest, MetadataResponse, ProduceRequest,
};
use crate::engine::sim::{Action, Outcome, ProducerIo};
use crate::engine::time::{SimDuration, SimTime};

/// Request framing beyond the batches (request header, topic and partition fields).
const PRODUCE_REQUEST_OVERHEAD: u32 = 64;
/// `reconnect.backoff.ms` and `reconnect.backoff.max.ms` defaults (CommonClientConfigs).
const RECONNECT_BACKOFF_MS: u64 = 50;
const RECONNECT_BACKOFF_MAX_MS: u64 = 1000;
/// `socket.connection.setup.timeout.ms` default (CommonClientConfigs).
const CONNECTION_SETUP_TIMEOUT_MS: u64 = 10_000;

impl KafkaProducer {
    /// One pass of `Sender.sendProducerData`.
    pub(in crate::engine) fn run_sender(&mut self, io: &mut ProducerIo<'_>) {
        let now = io.now;
        // NetworkClient.poll: handleTimedOutRequests, and the metadata updater's maybeUpdate.
        self.handle_timed_out_requests(io);
        self.maybe_update_metadata(io);
        if self.idempotent {
            // Sender.runOnce: maybeResolveSequences, then bumpIdempotentEpochAndResetIdIfNeeded.
            self.idempotence.maybe_resolve_sequences();
            self.bump_epoch_if_needed();
            // Without a producer id, runOnce sends InitProducerId
            // (maybeSendAndPollTransactionalRequest) and drains no batch.
            if self.producer_id.is_none() {
                self.maybe_init_producer_id(io);
                if let Some(d) = self.earliest_request_timeout(io) {
                    io.wake_sender_at(d.max(now));
                }
                return;
            }
        }
        self.expire_batches(io);

        // kafkajs: a send() call blocked for memory keeps its batches while requests in
        // flight will free some; with none in flight they go, or nothing would.
        self.accumulator.hold_open_call = !self.in_flight.is_empty();
        self.forget_finished_calls();
        let retry_backoff = SimDuration::from_ms(io.config.producer.retry_backoff_ms);
        let mut next_check = SimTime::NEVER;
        let mut ready_nodes = std::mem::take(&mut self.scratch.ready_nodes);
        ready_nodes.clear();
        let mut need_metadata = false;
        for p in 0..io.config.topic.partitions {
            match self.accumulator.readiness(p, now, retry_backoff) {
                Readiness::Empty => {}
                Readiness::At(t) => next_check = next_check.min(t),
                Readiness::Ready => match self.leader(p) {
                    None => need_metadata = true,
                    Some(b) => {
                        if !ready_nodes.contains(&b) {
                            ready_nodes.push(b);
                        }
                    }
                },
            }
        }
        if need_metadata {
            self.request_metadata(io);
        }
        ready_nodes.sort_unstable();
        // RecordAccumulator.updateNodeLatencyStats, then the partitioner's load stats.
        let mut can_drain = std::mem::take(&mut self.scratch.can_drain);
        can_drain.clear();
        for &n in &ready_nodes {
            can_drain.push((n, self.node_ready_at(io, n)));
        }
        self.scratch.ready_nodes = ready_nodes;
        for &(node, at) in &can_drain {
            let stats = &mut self.node_latency[node as usize];
            let drained = match (at, *stats) {
                (Some(t), _) if t <= now => now,
                (_, Some((_, d))) => d,
                _ => now,
            };
            *stats = Some((now, drained));
        }
        self.update_partition_load();
        for &(node, at) in &can_drain {
            match at {
                Some(t) if t > now => next_check = next_check.min(t),
                // More may be ready once this request has left the socket. (If nothing
                // could be sent, a response or a backoff timer wakes the sender.)
                Some(_) if self.send_to_node(io, node) => {
                    let c = &self.connections[node as usize];
                    if c.in_flight < io.config.producer.max_in_flight_requests_per_connection {
                        next_check = next_check.min(c.sending_until.max(now + SimDuration(1)));
                    }
                }
                Some(_) => {}
                None => {}
            }
        }
        self.scratch.can_drain = can_drain;
        if let Some(d) = self.accumulator.earliest_deadline() {
            next_check = next_check.min(d);
        }
        if let Some(d) = self.earliest_in_flight_deadline(io) {
            next_check = next_check.min(d);
        }
        if let Some(d) = self.earliest_request_timeout(io) {
            next_check = next_check.min(d);
        }
        if next_check != SimTime::NEVER {
            io.wake_sender_at(next_check.max(now));
        }
    }

    /// When the producer can next send to `node` (`NetworkClient.ready`): None while it
    /// has max.in.flight requests outstanding or is connecting (a response, or the
    /// connection's outcome, will wake the sender). A disconnected node is reconnected
    /// to once its reconnect backoff has passed (`NetworkClient.initiateConnect`).
    fn node_ready_at(&mut self, io: &mut ProducerIo<'_>, node: u32) -> Option<SimTime> {
        let max_in_flight = io.config.producer.max_in_flight_requests_per_connection;
        let c = &self.connections[node as usize];
        match c.state {
            ConnectionState::Connecting | ConnectionState::CheckingApiVersions => None,
            ConnectionState::Disconnected if c.reconnect_after <= io.now => {
                self.initiate_connect(io, node);
                None
            }
            ConnectionState::Disconnected => Some(c.reconnect_after),
            ConnectionState::Ready if c.in_flight >= max_in_flight => None,
            ConnectionState::Ready => Some(c.sending_until),
        }
    }

    /// Opens a new connection to `node`: the attempt crosses the network, and fails
    /// after socket.connection.setup.timeout.ms if no answer comes back.
    fn initiate_connect(&mut self, io: &mut ProducerIo<'_>, node: u32) {
        let c = &mut self.connections[node as usize];
        c.state = ConnectionState::Connecting;
        c.last_connect_attempt = Some(io.now);
        let conn = c.id;
        let at = io.now + io.network.one_way();
        io.schedule(at, Action::ConnectArrives { broker: node, conn });
        let timeout = io.now + SimDuration::from_ms(CONNECTION_SETUP_TIMEOUT_MS);
        io.schedule(timeout, Action::ConnectTimeout { broker: node, conn });
    }

    /// The outcome of a connection attempt reached the producer.
    pub(in crate::engine) fn connect_result(
        &mut self,
        io: &mut ProducerIo<'_>,
        broker: u32,
        conn: u64,
        accepted: bool,
    ) {
        let c = &mut self.connections[broker as usize];
        if c.id != conn || c.state != ConnectionState::Connecting {
            return;
        }
        if accepted {
            // NetworkClient.handleConnections: connected; the producer discovers broker
            // versions, so the connection is ready only once its ApiVersionsRequest is
            // answered (handleApiVersionsResponse). The request times out like any other.
            c.state = ConnectionState::CheckingApiVersions;
            let timeout = SimDuration::from_ms(io.config.producer.request_timeout_ms);
            c.api_versions_deadline = Some(io.now + timeout);
            let at = io.now + io.network.one_way();
            io.schedule(at, Action::ApiVersionsArrives { broker, conn });
            io.wake_sender_at(io.now + timeout);
        } else {
            self.connection_failed(io, broker);
        }
    }

    /// The broker's `ApiVersionsResponse` reached the producer: the connection is ready
    /// (`ClusterConnectionStates.ready`, which also resets the reconnect backoff).
    pub(in crate::engine) fn api_versions_response(
        &mut self,
        io: &mut ProducerIo<'_>,
        broker: u32,
        conn: u64,
    ) {
        let c = &mut self.connections[broker as usize];
        if c.id != conn || c.state != ConnectionState::CheckingApiVersions {
            return;
        }
        c.state = ConnectionState::Ready;
        c.reconnect_attempts = 0;
        c.api_versions_deadline = None;
        io.emit(|| EventKind::ConnectionReady { broker });
        io.wake_sender_now();
    }

    /// `NetworkClient.leastLoadedNode` over the producer's nodes (its bootstrap servers,
    /// every broker), from a random offset: a ready connection with the fewest requests
    /// in flight (the first with none), else one being set up, else the node whose last
    /// connection attempt is oldest among those out of reconnect backoff.
    fn least_loaded_node(&mut self, io: &mut ProducerIo<'_>) -> Option<u32> {
        let n = self.connections.len() as u32;
        if n == 0 {
            return None;
        }
        let max_in_flight = io.config.producer.max_in_flight_requests_per_connection;
        let offset = io.rng.below(u64::from(n)) as u32;
        let mut ready: Option<(u32, u32)> = None;
        let mut connecting = None;
        let mut can_connect: Option<u32> = None;
        for i in 0..n {
            let node = (offset + i) % n;
            let c = &self.connections[node as usize];
            match c.state {
                ConnectionState::Ready if c.in_flight < max_in_flight => {
                    if c.in_flight == 0 {
                        return Some(node);
                    }
                    if ready.is_none_or(|(_, least)| c.in_flight < least) {
                        ready = Some((node, c.in_flight));
                    }
                }
                ConnectionState::Connecting | ConnectionState::CheckingApiVersions => {
                    connecting = Some(node);
                }
                ConnectionState::Disconnected if c.reconnect_after <= io.now => {
                    let older = |other: u32| {
                        self.connections[other as usize].last_connect_attempt
                            > c.last_connect_attempt
                    };
                    if can_connect.is_none_or(older) {
                        can_connect = Some(node);
                    }
                }
                _ => {}
            }
        }
        ready.map(|(node, _)| node).or(connecting).or(can_connect)
    }

    /// Whether any connection is being set up (`isAnyNodeConnecting`).
    fn any_node_connecting(&self) -> bool {
        self.connections.iter().any(|c| {
            matches!(
                c.state,
                ConnectionState::Connecting | ConnectionState::CheckingApiVersions
            )
        })
    }

    /// `NetworkClient.handleTimedOutConnections`: no answer within
    /// socket.connection.setup.timeout.ms.
    pub(in crate::engine) fn connect_timeout(
        &mut self,
        io: &mut ProducerIo<'_>,
        broker: u32,
        conn: u64,
    ) {
        let c = &self.connections[broker as usize];
        if c.id == conn && c.state == ConnectionState::Connecting {
            self.connection_failed(io, broker);
        }
    }

    /// A connection attempt failed (refused or timed out): back off and refresh
    /// metadata (`NetworkClient.processDisconnection`).
    fn connection_failed(&mut self, io: &mut ProducerIo<'_>, broker: u32) {
        let now = io.now;
        let c = &mut self.connections[broker as usize];
        c.id += 1;
        c.state = ConnectionState::Disconnected;
        c.api_versions_deadline = None;
        c.reconnect_attempts += 1;
        let backoff =
            (RECONNECT_BACKOFF_MS << c.reconnect_attempts.min(5)).min(RECONNECT_BACKOFF_MAX_MS);
        c.reconnect_after = now + SimDuration::from_ms(backoff);
        self.fail_send_call_attempts(io, broker);
        self.request_metadata(io);
        io.wake_sender_now();
    }

    /// kafkajs: a send() call that cannot connect to a leader fails that attempt
    /// (`KafkaJSConnectionError`, retriable, in `src/producer/sendMessages.js`), and its
    /// retrier counts it: the first batch of each partition the producer believes `broker`
    /// leads, if it is a call's and waits for no retry, fails with NETWORK_EXCEPTION.
    fn fail_send_call_attempts(&mut self, io: &mut ProducerIo<'_>, broker: u32) {
        let now = io.now;
        for p in 0..self.known_leaders.len() as u32 {
            let waiting = self.known_leaders[p as usize] == Some(broker)
                && self.accumulator.first(p).is_some_and(|b| {
                    b.send_call.is_some() && !b.backing_off(now) && !self.accumulator.held(b)
                });
            if !waiting {
                continue;
            }
            let mut batch = self.accumulator.pop_for_send(p, now).expect("checked");
            // The call tried to send it: its retry waits from now.
            batch.attempts += 1;
            self.complete_or_retry(io, batch, Err(KafkaError::NetworkException));
        }
    }

    /// Drains one request's worth of batches for `node` and sends it
    /// (`RecordAccumulator.drainBatchesForOneNode`): the first batch of every partition the
    /// node leads, lingering or not, starting at the saved drain index (the partition
    /// looked at last), skipping muted partitions and batches in backoff, and stopping at
    /// max.request.size or where the idempotent producer must wait.
    fn send_to_node(&mut self, io: &mut ProducerIo<'_>, node: u32) -> bool {
        let mut led = std::mem::take(&mut self.scratch.led);
        led.clear();
        led.extend((0..io.config.topic.partitions).filter(|&p| self.leader(p) == Some(node)));
        let sent = self.drain_and_send(io, node, &led);
        self.scratch.led = led;
        sent
    }

    /// `send_to_node` over `led`, the partitions the producer believes `node` leads.
    fn drain_and_send(&mut self, io: &mut ProducerIo<'_>, node: u32, led: &[u32]) -> bool {
        let now = io.now;
        let max_request = io.config.producer.max_request_size;
        let guarantee_order = io.config.producer.max_in_flight_requests_per_connection == 1;
        if led.is_empty() {
            return false;
        }
        let start = self.drain_index[node as usize] % led.len();
        let mut index = start;
        let mut size = 0;
        let mut batches: Vec<ProducerBatch> = Vec::new();
        let call = self.oldest_send_call(led, now, guarantee_order);
        loop {
            let p = led[index];
            self.drain_index[node as usize] = index;
            index = (index + 1) % led.len();
            if let Some(stop) = self.drain_one(p, now, guarantee_order, max_request, size, call) {
                if stop {
                    break;
                }
                let mut batch = self.accumulator.pop_for_send(p, now).expect("checked");
                if self.idempotent && batch.base_sequence.is_none() {
                    // Sequences are assigned when a batch is first drained.
                    let (epoch, seq) = self.idempotence.assign(p, batch.records);
                    batch.base_sequence = Some(seq);
                    batch.producer_epoch = epoch;
                }
                let built = batch.built.expect("closed on drain");
                size += built.size_in_bytes;
                io.emit(|| EventKind::BatchClosed {
                    partition: p,
                    batch: batch.id,
                    records: built.records,
                    size_in_bytes: built.size_in_bytes,
                    uncompressed_size: built.uncompressed_size,
                });
                batches.push(batch);
            }
            if index == start {
                break;
            }
        }
        if batches.is_empty() {
            return false;
        }
        self.send_request(io, node, batches, size + PRODUCE_REQUEST_OVERHEAD);
        true
    }

    /// kafkajs (`src/producer/sendMessages.js`): a produce request holds the batches of one
    /// send() call, so the drain takes those of the oldest call that has one sendable here.
    /// `None` for a client that batches across calls.
    fn oldest_send_call(&self, led: &[u32], now: SimTime, guarantee_order: bool) -> Option<u64> {
        let mut oldest: Option<&ProducerBatch> = None;
        for &p in led {
            if guarantee_order && self.partitions_in_flight[p as usize] > 0 {
                continue;
            }
            let Some(b) = self.accumulator.first(p) else {
                continue;
            };
            let sendable = !b.backing_off(now) && !self.accumulator.held(b);
            if b.send_call.is_some() && sendable && oldest.is_none_or(|o| b.id < o.id) {
                oldest = Some(b);
            }
        }
        oldest.and_then(|b| b.send_call)
    }

    /// One partition's turn in `drainBatchesForOneNode`: None to skip it (`continue`),
    /// Some(true) to stop the drain (`break`), Some(false) to take its first batch. With
    /// `call`, only that send() call's batches go.
    fn drain_one(
        &self,
        p: u32,
        now: SimTime,
        guarantee_order: bool,
        max_request: u32,
        size: u32,
        call: Option<u64>,
    ) -> Option<bool> {
        // max.in.flight.requests.per.connection=1 mutes a partition while a batch of it is
        // in flight (guaranteeMessageOrder).
        if guarantee_order && self.partitions_in_flight[p as usize] > 0 {
            return None;
        }
        let first = self.accumulator.first(p)?;
        if call.is_some() && first.send_call != call {
            return None;
        }
        // shouldBackoff: a retried batch waits out its backoff.
        if first.attempts > 0 && now < first.retry_after {
            return None;
        }
        // A batch larger than max.request.size alone still goes, in a request of its own.
        if size + self.accumulator.first_size(p) > max_request && size > 0 {
            return Some(true);
        }
        Some(self.idempotent && self.must_wait_for_sequence(p))
    }

    /// The idempotent producer holds a partition's batches back while its sequences are
    /// in doubt (`RecordAccumulator.shouldStopDrainBatchesForPartition`); and a retried
    /// batch goes only once nothing else of its partition is in flight, so the log stays
    /// in order.
    fn must_wait_for_sequence(&self, p: u32) -> bool {
        let Some(first) = self.accumulator.first(p) else {
            return false;
        };
        self.idempotence.should_stop_drain(p, first.base_sequence)
            || (first.base_sequence.is_some()
                && self.partitions_in_flight[p as usize] > 0
                && first.attempts > 0)
    }

    /// KIP-360 (`TransactionManager.bumpIdempotentProducerEpoch`): the producer epoch goes
    /// up and each partition that asked for it renumbers its in-flight batches (queued for
    /// a retry or awaiting a response) from sequence 0.
    fn bump_epoch_if_needed(&mut self) {
        let Some(partitions) = self.idempotence.take_epoch_bump() else {
            return;
        };
        let epoch = self.idempotence.epoch();
        for p in partitions {
            let mut batches: Vec<&mut ProducerBatch> = self
                .accumulator
                .queued_mut(p)
                .chain(self.in_flight.batches_mut().filter(|b| b.partition == p))
                .filter(|b| b.base_sequence.is_some())
                .collect();
            batches.sort_by_key(|b| b.base_sequence);
            let records: Vec<u32> = batches.iter().map(|b| b.records).collect();
            let bases = self.idempotence.restart_sequences(p, &records);
            for (b, base) in batches.into_iter().zip(bases) {
                b.base_sequence = Some(base);
                b.producer_epoch = epoch;
                b.sequence_reset = true;
            }
        }
    }

    fn send_request(
        &mut self,
        io: &mut ProducerIo<'_>,
        node: u32,
        mut batches: Vec<ProducerBatch>,
        size: u32,
    ) {
        let now = io.now;
        let request = self.next_request;
        self.next_request += 1;
        let acks = io.config.producer.acks;
        let metas: Vec<BatchMeta> = batches
            .iter()
            .map(|b| BatchMeta {
                partition: b.partition,
                batch: b.id,
                records: b.records,
                size_in_bytes: b.size_in_bytes(),
                base_sequence: b.base_sequence,
                producer_epoch: b.producer_epoch,
            })
            .collect();
        let (sent, arrives) = io.network.transmit(Host::Producer, now, size);
        let conn = &mut self.connections[node as usize];
        conn.sending_until = sent;
        conn.in_flight += 1;
        let conn = conn.id;
        // Sender.updateProduceRequestMetrics.
        self.metrics.requests += 1;
        for b in batches.iter_mut() {
            let built = b.built.expect("closed");
            self.metrics.batches_sent += 1;
            self.metrics.batch_bytes += built.size_in_bytes as u64;
            self.metrics.compression_rate_sum += built.compression_rate();
            self.metrics.records_sent += b.records as u64;
            if b.attempts == 0 {
                let queued = b.drained_at.unwrap_or(now).since(b.created).as_us();
                self.metrics.queue_time.record_n(queued, 1);
            }
            b.attempts += 1;
            b.last_attempt = now;
            self.partitions_in_flight[b.partition as usize] += 1;
        }
        let held = io.network.holds(node);
        io.emit(|| EventKind::RequestSent {
            request,
            broker: node,
            batches: metas.iter().map(|m| (m.partition, m.batch)).collect(),
            bytes: size,
            arrives: (!held).then_some(arrives),
        });
        let timeout = SimDuration::from_ms(io.config.producer.request_timeout_ms);
        io.schedule(
            arrives,
            Action::ProduceArrives {
                broker: node,
                request: ProduceRequest {
                    id: request,
                    conn,
                    acks,
                    timeout,
                    batches: metas,
                },
            },
        );
        if acks == Acks::Zero {
            // acks=0: the request expects no response; its batches complete once it is
            // written to the socket, with no offset (NetworkClient: expectResponse=false).
            io.schedule(sent, Action::RequestWritten { request });
        }
        self.in_flight.insert(
            request,
            InFlightRequest {
                broker: node,
                sent_at: now,
                batches,
            },
        );
    }

    /// An acks=0 request left the socket: done, as far as the producer will ever know.
    pub(in crate::engine) fn request_written(&mut self, io: &mut ProducerIo<'_>, request: u64) {
        let Some(req) = self.in_flight.remove(&request) else {
            return;
        };
        self.connections[req.broker as usize].in_flight -= 1;
        for b in req.batches {
            self.partitions_in_flight[b.partition as usize] -= 1;
            self.complete_batch(io, b, Ok(None));
        }
        io.wake_sender_now();
    }

    /// A produce response reached the producer (`Sender.handleProduceResponse`).
    pub(in crate::engine) fn produce_response(
        &mut self,
        io: &mut ProducerIo<'_>,
        request: u64,
        broker: u32,
        conn: u64,
        answered: SimTime,
        results: Vec<(u64, Result<u64, KafkaError>)>,
    ) {
        if self.connections[broker as usize].id != conn {
            return; // that connection was closed; its requests already failed
        }
        let Some(req) = self.in_flight.remove(&request) else {
            return;
        };
        let error = results.iter().find_map(|(_, r)| r.err());
        io.emit(|| EventKind::Response {
            request,
            broker,
            error,
            answered: Some(answered),
        });
        self.connections[broker as usize].in_flight -= 1;
        self.metrics
            .request_latency
            .record_n(io.now.since(req.sent_at).as_us(), 1);
        for batch in req.batches {
            self.partitions_in_flight[batch.partition as usize] -= 1;
            let result = match (batch.send_call, error) {
                // kafkajs (`src/protocol/requests/produce/v3/response.js` `parse`): the
                // first partition error fails the whole request, and the call's retry
                // sends every one of its partitions again, appended or not.
                (Some(_), Some(e)) => Err(e),
                _ => results
                    .iter()
                    .find(|(id, _)| *id == batch.id)
                    .map_or(Err(KafkaError::NetworkException), |(_, r)| *r),
            };
            self.complete_or_retry(io, batch, result.map(Some));
        }
        io.wake_sender_now();
    }

    /// `NetworkClient.handleTimedOutRequests` (on every poll): a request that waited
    /// request.timeout.ms for its response closes its connection, failing every request
    /// on it. acks=0 requests expect no response.
    fn handle_timed_out_requests(&mut self, io: &mut ProducerIo<'_>) {
        // The metadata, InitProducerId and ApiVersions requests fail with their
        // connection (fail_connection), and are sent again (to another broker, if one
        // is connected).
        while let Some((broker, _)) = [self.metadata_sent_to, self.init_producer_id_sent_to]
            .into_iter()
            .flatten()
            .find(|&(_, deadline)| io.now >= deadline)
        {
            self.fail_connection(io, broker, None, KafkaError::RequestTimedOut);
        }
        for broker in 0..self.connections.len() as u32 {
            let c = &self.connections[broker as usize];
            if c.api_versions_deadline.is_some_and(|d| io.now >= d) {
                self.fail_connection(io, broker, None, KafkaError::RequestTimedOut);
            }
        }
        if io.config.producer.acks == Acks::Zero {
            return;
        }
        let timeout = SimDuration::from_ms(io.config.producer.request_timeout_ms);
        while let Some((request, broker)) = self
            .in_flight
            .as_slice()
            .iter()
            .find(|(_, r)| io.now >= r.sent_at + timeout)
            .map(|(id, r)| (*id, r.broker))
        {
            self.fail_connection(io, broker, Some(request), KafkaError::RequestTimedOut);
        }
    }

    /// When the oldest request awaiting a response (produce, metadata, InitProducerId or
    /// ApiVersions) times out.
    fn earliest_request_timeout(&self, io: &mut ProducerIo<'_>) -> Option<SimTime> {
        let control = [self.metadata_sent_to, self.init_producer_id_sent_to]
            .into_iter()
            .flatten()
            .map(|(_, deadline)| deadline)
            .chain(
                self.connections
                    .iter()
                    .filter_map(|c| c.api_versions_deadline),
            )
            .min();
        if io.config.producer.acks == Acks::Zero {
            return control;
        }
        let timeout = SimDuration::from_ms(io.config.producer.request_timeout_ms);
        self.in_flight
            .as_slice()
            .iter()
            .map(|(_, r)| r.sent_at + timeout)
            .chain(control)
            .min()
    }

    /// The connection to a broker dropped (the broker crashed): in-flight requests fail
    /// with a disconnect (NETWORK_EXCEPTION) and are retried.
    pub(in crate::engine) fn disconnect(
        &mut self,
        io: &mut ProducerIo<'_>,
        broker: u32,
        conn: u64,
        error: KafkaError,
    ) {
        if self.connections[broker as usize].id == conn {
            self.fail_connection(io, broker, None, error);
        }
    }

    fn fail_connection(
        &mut self,
        io: &mut ProducerIo<'_>,
        broker: u32,
        timed_out: Option<u64>,
        error: KafkaError,
    ) {
        let c = &mut self.connections[broker as usize];
        c.id += 1;
        c.state = ConnectionState::Disconnected;
        c.in_flight = 0;
        c.api_versions_deadline = None;
        c.reconnect_after = io.now + SimDuration::from_ms(RECONNECT_BACKOFF_MS);
        // NetworkClient.cancelInFlightRequests: a metadata request on it fails
        // (metadataUpdater.handleFailedRequest), an InitProducerId request is retried.
        if self.metadata_sent_to.is_some_and(|(b, _)| b == broker) {
            self.metadata_failed(io);
        }
        if self
            .init_producer_id_sent_to
            .is_some_and(|(b, _)| b == broker)
        {
            self.init_producer_id_sent_to = None;
        }
        let requests: Vec<u64> = self
            .in_flight
            .as_slice()
            .iter()
            .filter(|(_, r)| r.broker == broker)
            .map(|(id, _)| *id)
            .collect();
        for id in requests {
            let req = self.in_flight.remove(&id).expect("listed");
            let err = if Some(id) == timed_out {
                KafkaError::RequestTimedOut
            } else {
                error
            };
            io.emit(|| EventKind::Response {
                request: id,
                broker,
                error: Some(err),
                answered: None,
            });
            for batch in req.batches {
                self.partitions_in_flight[batch.partition as usize] -= 1;
                self.complete_or_retry(io, batch, Err(err));
            }
        }
        self.request_metadata(io);
        io.wake_sender_now();
    }

    /// `Sender.completeBatch`: done, or back to the accumulator for another try.
    fn complete_or_retry(
        &mut self,
        io: &mut ProducerIo<'_>,
        mut batch: ProducerBatch,
        result: Result<Option<u64>, KafkaError>,
    ) {
        let Err(error) = result else {
            self.complete_batch(io, batch, result);
            return;
        };
        self.saw_error(error);
        let delivery_timeout =
            SimDuration::from_ms(io.config.producer.effective_delivery_timeout_ms());
        // Sender.canRetry: attempts below retries, retriable, delivery timeout not reached;
        // for the idempotent producer TransactionManager.canRetry sees
        // OUT_OF_ORDER_SEQUENCE_NUMBER first and may ask for an epoch bump.
        if let (true, KafkaError::OutOfOrderSequenceNumber, Some(seq)) =
            (self.idempotent, error, batch.base_sequence)
        {
            self.idempotence
                .out_of_order(batch.partition, seq, batch.sequence_reset);
        }
        // kafkajs: the send() call retries, after the call's own wait (`send_call`).
        let call_retry = match batch.send_call {
            Some(call) if error.is_retriable() => {
                let p = &io.config.producer;
                let retrier = Retrier {
                    initial_retry_time_ms: p.retry_backoff_ms,
                    max_retry_time_ms: p.retry_backoff_max_ms,
                    retries: p.retries,
                };
                let now = io.now;
                let rng = &mut *io.rng;
                Some(self.send_calls.retry_at(call, now, retrier, || rng.unit()))
            }
            Some(_) => Some(None),
            None => None,
        };
        let can_retry = match call_retry {
            Some(at) => at.is_some(),
            None => {
                error.is_retriable()
                    && batch.attempts <= io.config.producer.retries
                    && io.now < batch.delivery_deadline(delivery_timeout)
            }
        };
        if !can_retry {
            if let (true, Some(seq)) = (self.idempotent, batch.base_sequence) {
                self.idempotence.failed_by_response(batch.partition, seq);
            }
            self.complete_batch(io, batch, Err(error));
            return;
        }
        if matches!(
            error,
            KafkaError::NotLeaderOrFollower
                | KafkaError::NetworkException
                | KafkaError::RequestTimedOut
        ) {
            self.request_metadata(io);
        }
        let backoff = match call_retry {
            Some(Some(at)) => at.since(io.now),
            _ => self.retry_backoff(io, batch.attempts),
        };
        batch.retry_after = io.now + backoff;
        batch.in_retry = true;
        batch.last_attempt = io.now;
        self.metrics.retries += batch.records as u64;
        io.emit(|| EventKind::Retry {
            partition: batch.partition,
            batch: batch.id,
            attempt: batch.attempts,
            error,
            backoff_ms: backoff.as_us() / 1000,
        });
        self.accumulator.reenqueue(batch, self.idempotent);
        io.wake_sender_now();
    }

    /// KIP-580 (`ExponentialBackoff` with multiplier 2 and jitter 0.2, as the producer
    /// builds it): `retry.backoff.ms * 2^min(attempts - 1, expMax)`, jittered by ±20%,
    /// then capped at retry.backoff.max.ms, in whole milliseconds. With nothing to grow
    /// (retry.backoff.ms >= retry.backoff.max.ms) it is the initial interval, unjittered.
    fn retry_backoff(&mut self, io: &mut ProducerIo<'_>, attempts: u32) -> SimDuration {
        let p = &io.config.producer;
        let ms = exponential_backoff(
            p.retry_backoff_ms,
            p.retry_backoff_max_ms,
            attempts.saturating_sub(1),
            || io.rng.unit(),
        );
        SimDuration::from_ms(ms)
    }

    /// The batch is done: acknowledged (with its base offset, None for acks=0) or failed.
    pub(in crate::engine) fn complete_batch(
        &mut self,
        io: &mut ProducerIo<'_>,
        batch: ProducerBatch,
        result: Result<Option<u64>, KafkaError>,
    ) {
        let now = io.now;
        self.accumulator.deallocate(&batch);
        let outcome = match result {
            Ok(base_offset) => {
                if let Some(seq) = batch.base_sequence {
                    self.idempotence.acknowledged(
                        batch.partition,
                        batch.producer_epoch,
                        seq,
                        batch.records,
                    );
                }
                for &t in &batch.send_times {
                    self.metrics.end_to_end.record_n(now.since(t).as_us(), 1);
                }
                io.mix_digest(&[batch.id, now.0, base_offset.map_or(u64::MAX, |o| o)]);
                io.emit(|| EventKind::BatchAcked {
                    partition: batch.partition,
                    batch: batch.id,
                    records: batch.records,
                    base_offset,
                });
                Outcome::Acked
            }
            Err(error) => {
                self.metrics.errors += batch.records as u64;
                io.mix_digest(&[batch.id, now.0, u64::MAX - 1]);
                io.emit(|| EventKind::BatchFailed {
                    partition: batch.partition,
                    batch: batch.id,
                    records: batch.records,
                    error,
                });
                Outcome::Failed
            }
        };
        io.completed(batch.id, outcome);
        if let Some(call) = batch.send_call {
            self.send_calls.batch_done(call);
        }
    }

    /// The retrier state of a send() call whose batches are all done is not needed any more.
    fn forget_finished_calls(&mut self) {
        'calls: for call in self.send_calls.take_done() {
            if self.accumulator.holds_call(call) {
                continue;
            }
            for (_, r) in self.in_flight.as_slice() {
                for b in &r.batches {
                    if b.send_call == Some(call) {
                        continue 'calls;
                    }
                }
            }
            self.send_calls.forget(call);
        }
    }

    /// Batches past delivery.timeout.ms fail, whether queued or in flight
    /// (`RecordAccumulator.expiredBatches`, `Sender.getExpiredInflightBatches`, KIP-91).
    fn expire_batches(&mut self, io: &mut ProducerIo<'_>) {
        let now = io.now;
        for batch in self.accumulator.take_expired(now) {
            self.expire(io, batch);
        }
        let timeout = SimDuration::from_ms(io.config.producer.effective_delivery_timeout_ms());
        // Plain loops: this runs on every step, and iterator adapters are calls in the
        // size-optimised browser build.
        let mut expired: Vec<(u64, u64)> = Vec::new();
        for (rid, r) in self.in_flight.as_slice() {
            for b in &r.batches {
                if now >= b.delivery_deadline(timeout) {
                    expired.push((*rid, b.id));
                }
            }
        }
        for (rid, bid) in expired {
            let req = self.in_flight.get_mut(&rid).expect("listed");
            let i = req
                .batches
                .iter()
                .position(|b| b.id == bid)
                .expect("listed");
            let batch = req.batches.remove(i);
            self.partitions_in_flight[batch.partition as usize] -= 1;
            self.expire(io, batch);
        }
    }

    /// Sender.sendProducerData: an expired batch fails (`failBatch(.., false)`); one being
    /// retried leaves its sequences unresolved (`markSequenceUnresolved`).
    fn expire(&mut self, io: &mut ProducerIo<'_>, batch: ProducerBatch) {
        if let Some(seq) = batch.base_sequence {
            self.idempotence
                .expired(batch.partition, seq, batch.records, batch.in_retry);
        }
        self.saw_error(KafkaError::DeliveryTimeout);
        self.complete_batch(io, batch, Err(KafkaError::DeliveryTimeout));
    }

    fn earliest_in_flight_deadline(&self, io: &mut ProducerIo<'_>) -> Option<SimTime> {
        let timeout = SimDuration::from_ms(io.config.producer.effective_delivery_timeout_ms());
        let mut earliest = None;
        for (_, r) in self.in_flight.as_slice() {
            for b in &r.batches {
                let deadline = b.delivery_deadline(timeout);
                if earliest.is_none_or(|e| deadline < e) {
                    earliest = Some(deadline);
                }
            }
        }
        earliest
    }

    /// Asks for fresh metadata (`Metadata.requestUpdate`). The request goes from the
    /// sender's next poll once the refresh backoff has passed (`maybe_update_metadata`).
    pub(in crate::engine) fn request_metadata(&mut self, io: &mut ProducerIo<'_>) {
        if self.metadata_refresh_pending {
            return;
        }
        self.metadata_refresh_pending = true;
        self.metadata_due = self.metadata_allowed_at(io);
        io.wake_sender_at(self.metadata_due);
    }

    /// `Metadata.timeToAllowUpdate`: the last refresh (a response or a failure) plus the
    /// refresh backoff (`ExponentialBackoff` over retry.backoff.ms, by failed attempts).
    fn metadata_allowed_at(&mut self, io: &mut ProducerIo<'_>) -> SimTime {
        let Some(last) = self.metadata_last_refresh else {
            return io.now; // never refreshed: at once (lastRefreshMs = 0)
        };
        let p = &io.config.producer;
        let ms = exponential_backoff(
            p.retry_backoff_ms,
            p.retry_backoff_max_ms,
            self.metadata_failed_attempts.saturating_sub(1),
            || io.rng.unit(),
        );
        (last + SimDuration::from_ms(ms)).max(io.now)
    }

    /// `DefaultMetadataUpdater.maybeUpdate`, on every poll: with an update wanted, none
    /// in flight and the backoff passed, send a metadata request to the least loaded
    /// node if it is ready; else wait for a connection being set up, or connect to it.
    fn maybe_update_metadata(&mut self, io: &mut ProducerIo<'_>) {
        if !self.metadata_refresh_pending || self.metadata_sent_to.is_some() {
            return;
        }
        if io.now < self.metadata_due {
            io.wake_sender_at(self.metadata_due);
            return;
        }
        let Some(node) = self.least_loaded_node(io) else {
            // "Give up sending metadata request since no node is available".
            io.wake_sender_at(io.now + SimDuration::from_ms(RECONNECT_BACKOFF_MS));
            return;
        };
        match self.connections[node as usize].state {
            ConnectionState::Ready => {
                self.metadata_request += 1;
                let request = MetadataRequest {
                    id: self.metadata_request,
                    topic: self.topic_added,
                };
                self.metadata_sent_topic = request.topic;
                let at = io.now + io.network.one_way();
                io.schedule(
                    at,
                    Action::MetadataArrives {
                        broker: node,
                        request,
                    },
                );
                let timeout = SimDuration::from_ms(io.config.producer.request_timeout_ms);
                self.metadata_sent_to = Some((node, io.now + timeout));
                io.wake_sender_at(io.now + timeout);
            }
            // A connection being set up wakes the sender when it is ready or fails.
            _ if self.any_node_connecting() => {}
            ConnectionState::Disconnected => self.initiate_connect(io, node),
            _ => {}
        }
    }

    /// The metadata request in flight failed (`Metadata.failedUpdate`): it is sent again
    /// after the backoff.
    fn metadata_failed(&mut self, io: &mut ProducerIo<'_>) {
        self.metadata_sent_to = None;
        self.metadata_last_refresh = Some(io.now);
        self.metadata_failed_attempts += 1;
        self.metadata_due = self.metadata_allowed_at(io);
        io.wake_sender_at(self.metadata_due);
    }

    /// A metadata response reached the producer (`Metadata.update`): it learns the
    /// current leaders (a None response: the request failed).
    pub(in crate::engine) fn metadata_response(
        &mut self,
        io: &mut ProducerIo<'_>,
        broker: u32,
        request: u64,
        response: Option<MetadataResponse>,
    ) {
        if self.metadata_sent_to.is_none() || request != self.metadata_request {
            return; // that request failed or timed out; its refresh was already retried
        }
        let Some(response) = response else {
            self.metadata_failed(io);
            return;
        };
        self.metadata_sent_to = None;
        self.metadata_refresh_pending = false;
        self.metadata_last_refresh = Some(io.now);
        self.metadata_failed_attempts = 0;
        if !response.leaders.is_empty() && response.leaders != self.known_leaders {
            self.known_leaders = response.leaders;
            let known: Vec<bool> = self.known_leaders.iter().map(Option::is_some).collect();
            self.partitioner.update_metadata(&known);
            let leaders = &self.known_leaders;
            io.emit(|| EventKind::MetadataUpdated {
                broker,
                leaders: leaders.clone(),
            });
        }
        // Metadata.update: needPartialUpdate when the topic was added after this request
        // left (requestUpdateForTopic); and, as before, while a leader is unknown.
        let topic_missing = self.topic_added && !self.metadata_sent_topic;
        let leader_missing =
            self.known_leaders.iter().any(Option::is_none) && !self.accumulator.is_empty();
        if topic_missing || leader_missing {
            self.request_metadata(io);
        }
        // metadata.awaitUpdate returns: a send() waiting for the topic goes on.
        self.retry_blocked_send(io);
        io.wake_sender_now();
    }

    /// `TransactionManager.bumpIdempotentEpochAndResetIdIfNeeded` enqueued an
    /// `InitProducerIdRequest`; `Sender.maybeSendAndPollTransactionalRequest` sends it
    /// to the least loaded node once that node is ready (`awaitNodeReady` connects to
    /// it), and waits while it is in flight.
    fn maybe_init_producer_id(&mut self, io: &mut ProducerIo<'_>) {
        if self.init_producer_id_sent_to.is_some() {
            return;
        }
        let Some(node) = self.least_loaded_node(io) else {
            // "No nodes available to send requests": poll for retry.backoff.ms.
            let backoff = SimDuration::from_ms(io.config.producer.retry_backoff_ms);
            io.wake_sender_at(io.now + backoff);
            return;
        };
        let c = &self.connections[node as usize];
        match c.state {
            ConnectionState::Ready => {
                let conn = c.id;
                let at = io.now + io.network.one_way();
                io.schedule(at, Action::InitProducerIdArrives { broker: node, conn });
                let timeout = SimDuration::from_ms(io.config.producer.request_timeout_ms);
                self.init_producer_id_sent_to = Some((node, io.now + timeout));
            }
            ConnectionState::Disconnected => self.initiate_connect(io, node),
            _ => {}
        }
    }

    /// The answer to the `InitProducerIdRequest` reached the producer
    /// (`InitProducerIdHandler.handleResponse` → `setProducerIdAndEpoch`); a None
    /// response (the connection reset) is retried after retry.backoff.ms.
    pub(in crate::engine) fn init_producer_id_response(
        &mut self,
        io: &mut ProducerIo<'_>,
        broker: u32,
        conn: u64,
        response: Option<InitProducerIdResponse>,
    ) {
        if self.init_producer_id_sent_to.map(|(b, _)| b) != Some(broker)
            || self.connections[broker as usize].id != conn
        {
            return;
        }
        self.init_producer_id_sent_to = None;
        match response {
            Some(r) => {
                self.producer_id = Some(r.producer_id);
                self.idempotence.init_epoch(r.producer_epoch);
                io.emit(|| EventKind::ProducerIdAssigned {
                    broker,
                    producer_id: r.producer_id,
                    producer_epoch: r.producer_epoch,
                });
                io.wake_sender_now();
            }
            None => {
                let backoff = SimDuration::from_ms(io.config.producer.retry_backoff_ms);
                io.wake_sender_at(io.now + backoff);
            }
        }
    }
}

/// `ExponentialBackoff.backoff(attempts)` with the producer's multiplier 2 and jitter 0.2,
/// in milliseconds; `unit` draws the jitter (uniform in [0, 1)).
pub fn exponential_backoff(
    initial_ms: u64,
    max_ms: u64,
    attempts: u32,
    unit: impl FnOnce() -> f64,
) -> u64 {
    const MULTIPLIER: f64 = 2.0;
    const JITTER: f64 = 0.2;
    let initial = initial_ms.min(max_ms);
    let exp_max = if max_ms > initial {
        (max_ms as f64 / initial.max(1) as f64).ln() / MULTIPLIER.ln()
    } else {
        0.0
    };
    if exp_max == 0.0 {
        return initial;
    }
    let exp = f64::from(attempts).min(exp_max);
    let term = initial as f64 * MULTIPLIER.powf(exp);
    let random_factor = (1.0 - JITTER) + 2.0 * JITTER * unit();
    ((random_factor * term) as u64).min(max_ms)
}

#[cfg(test)]
mod tests {
    use super::exponential_backoff;

    #[test]
    fn backoff_caps_after_the_jitter() {
        // ExponentialBackoff: min((long) (randomFactor * term), maxInterval). With the
        // defaults (100 ms, 1000 ms) the largest jitter cannot pass 1000 ms.
        assert_eq!(exponential_backoff(100, 1000, 30, || 0.999_999), 1000);
        assert_eq!(exponential_backoff(100, 1000, 0, || 0.5), 100);
        assert_eq!(exponential_backoff(100, 1000, 0, || 0.0), 80);
        assert_eq!(exponential_backoff(100, 1000, 1, || 0.999_999), 239);
        // expMax = log2(1000 / 100) = 3.32: 100 * 2^3.32 = 1000 before the jitter.
        assert_eq!(exponential_backoff(100, 1000, 4, || 0.0), 800);
    }

    #[test]
    fn backoff_without_room_to_grow_has_no_jitter() {
        // expMax == 0 returns initialInterval (= min(initial, max)) without a draw.
        let no_draw = || -> f64 { panic!("no random draw expected") };
        assert_eq!(exponential_backoff(500, 500, 3, no_draw), 500);
        assert_eq!(exponential_backoff(2000, 1000, 3, no_draw), 1000);
    }
}
