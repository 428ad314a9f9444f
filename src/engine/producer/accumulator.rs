//! The producer's `RecordAccumulator`: per-partition queues of `ProducerBatch`es, the
//! buffer pool, readiness (batch.size / linger.ms) and draining into produce requests.
//!
//! Follows `clients/src/main/java/org/apache/kafka/clients/producer/internals/RecordAccumulator.java`,
//! `ProducerBatch.java` and `BufferPool.java`.

use crate::engine::compression::Compressor;
use crate::engine::config::CompressionType;
use crate::engine::record::{
    estimate_batch_size_upper_bound, producer_buffer_size, BuiltBatch, CompressionRatioEstimator,
    RecordsBuilder, RECORD_BATCH_OVERHEAD,
};
use crate::engine::time::{SimDuration, SimTime};
use std::collections::VecDeque;

/// A batch of records for one partition, from creation until it is acknowledged or fails.
#[derive(Clone, Debug)]
pub struct ProducerBatch {
    pub id: u64,
    pub partition: u32,
    pub created: SimTime,
    /// Open while records can still be added.
    builder: Option<RecordsBuilder>,
    /// Sizes once closed.
    pub built: Option<BuiltBatch>,
    pub records: u32,
    /// send() time of each record, for end-to-end latency.
    pub send_times: Vec<SimTime>,
    /// Global id of each record, in order (for the event stream).
    pub first_record: u64,
    /// How many times it was sent.
    pub attempts: u32,
    /// When it was last sent or re-enqueued (retry backoff counts from here).
    pub last_attempt: SimTime,
    /// Not sendable before this (retry backoff).
    pub retry_after: SimTime,
    /// The idempotent producer's base sequence, assigned at first drain.
    pub base_sequence: Option<i32>,
    /// The producer epoch the sequence belongs to.
    pub producer_epoch: u16,
    /// Its sequence was rewritten by an epoch bump (`sequenceHasBeenReset`).
    pub sequence_reset: bool,
    /// Re-enqueued for a retry at least once (`inRetry`).
    pub in_retry: bool,
    /// Bytes taken from the buffer pool.
    pub allocated: u64,
    /// Its records' value bytes (librdkafka counts these against
    /// `queue.buffering.max.kbytes`).
    pub value_bytes: u64,
    /// When it left the accumulator the first time (record-queue-time).
    pub drained_at: Option<SimTime>,
    /// Built with a codec, and the ratio estimate has not learnt from it yet.
    compressed: bool,
    /// The most records it may hold (`batch.num.messages`), 0 for no limit.
    max_records: u32,
    /// The application's send() call whose messages it holds, for a client that produces
    /// per call (kafkajs); None for a client that batches across calls.
    pub send_call: Option<u64>,
}

impl ProducerBatch {
    pub fn is_full(&self) -> bool {
        self.builder.as_ref().is_none_or(RecordsBuilder::is_full) || self.has_max_records()
    }

    /// It holds `batch.num.messages` records (librdkafka: `rd_kafka_msgset_writer_init`
    /// caps a batch at that count, and `rd_kafka_msgq_allow_wakeup_at` sends it without
    /// waiting for linger).
    fn has_max_records(&self) -> bool {
        self.max_records > 0 && self.records >= self.max_records
    }

    /// Waiting out a retry's backoff (`shouldBackoff`).
    pub fn backing_off(&self, now: SimTime) -> bool {
        self.attempts > 0 && now < self.retry_after
    }

    /// Size on the wire: exact once closed, estimated while open.
    pub fn size_in_bytes(&self) -> u32 {
        match (&self.built, &self.builder) {
            (Some(b), _) => b.size_in_bytes,
            (None, Some(b)) => b.estimated_size(),
            (None, None) => RECORD_BATCH_OVERHEAD,
        }
    }

    /// `ProducerBatch.hasReachedDeliveryTimeout`.
    pub fn delivery_deadline(&self, delivery_timeout: SimDuration) -> SimTime {
        self.created + delivery_timeout
    }

    /// Builds the batch's final bytes once no record can join it any more: compressed for
    /// real, so only the open batch of each partition holds uncompressed bytes.
    fn seal(&mut self, compressor: &mut Compressor) {
        if let Some(builder) = self.builder.take() {
            self.compressed = builder.needs_bytes();
            self.built = Some(builder.close(compressor));
        }
    }

    /// Closes the batch for sending. The ratio estimate learns from it now, as
    /// `ProducerBatch.close` → `CompressionRatioEstimator.updateEstimation` does at drain
    /// time, however early the bytes were built.
    fn close(&mut self, compressor: &mut Compressor, estimator: &mut CompressionRatioEstimator) {
        self.seal(compressor);
        if std::mem::take(&mut self.compressed) {
            if let Some(built) = &self.built {
                estimator.update(built.compression_ratio());
            }
        }
    }
}

/// What `append` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppendResult {
    Appended {
        batch: u64,
        new_batch: bool,
        /// The deque now holds a full batch: wake the sender.
        batch_is_full: bool,
        /// Estimated bytes the record added to its batch (for the sticky partitioner).
        appended_bytes: u32,
        /// Every batch of the partition is full (`allBatchesFull`): the sticky
        /// partitioner may switch.
        all_batches_full: bool,
    },
    /// A new batch is needed but buffer.memory has no room: send() blocks.
    NeedsMemory { bytes: u64 },
    /// The record alone exceeds buffer.memory or max.request.size (`RecordTooLargeException`).
    TooLarge,
}

/// Settings the accumulator needs.
#[derive(Clone, Debug)]
pub struct AccumulatorConfig {
    pub batch_size: u32,
    pub linger: SimDuration,
    pub buffer_memory: u64,
    pub max_request_size: u32,
    pub compression: CompressionType,
    pub delivery_timeout: SimDuration,
    /// librdkafka `batch.num.messages`: the most records in a batch; 0 for no limit.
    pub max_batch_records: u32,
    /// librdkafka `queue.buffering.max.messages`, franz-go `MaxBufferedRecords`: the most
    /// records appended and not yet done; 0 for no limit.
    pub max_buffered_records: u32,
    /// librdkafka `queue.buffering.max.kbytes` in bytes: the most value bytes of records
    /// appended and not yet done (`rd_kafka_curr_msgs_add` counts each message's payload
    /// length, `src/rdkafka_msg.c`); 0 for no limit.
    pub max_buffered_value_bytes: u64,
    /// kafkajs: a batch holds one send() call's messages ([`RecordAccumulator::begin_send_call`]).
    pub per_send_call: bool,
}

/// When a partition's first batch becomes sendable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readiness {
    Empty,
    Ready,
    /// Not yet; look again at this time.
    At(SimTime),
}

pub struct RecordAccumulator {
    pub config: AccumulatorConfig,
    deques: Vec<VecDeque<ProducerBatch>>,
    used: Vec<bool>,
    pub buffer_used: u64,
    /// Records appended whose batch is not done yet (`max_buffered_records`).
    pub buffered_records: u64,
    /// The same per partition: franz-go's `recBuf.buffered` (`pkg/kgo/sink.go`), which its
    /// least-backup partitioner reads.
    buffered_by_partition: Vec<u64>,
    /// Their value bytes (`max_buffered_value_bytes`).
    buffered_value_bytes: u64,
    pub estimator: CompressionRatioEstimator,
    next_batch_id: u64,
    /// Set while the application waits for memory (`BufferPool.queued() > 0`), or while
    /// flushing: every batch is then sendable at once.
    pub exhausted: bool,
    pub flushing: bool,
    compressor: Compressor,
    /// The send() call being appended, for a client that produces per call.
    open_call: Option<u64>,
    next_call: u64,
    /// Partitions the open call has appended to.
    call_partitions: Vec<u32>,
    /// Whether the open call's batches wait for its end: while it is blocked for memory,
    /// so long as requests in flight will free some (set by the sender on every pass).
    pub hold_open_call: bool,
}

impl RecordAccumulator {
    pub fn new(config: AccumulatorConfig, partitions: u32, compressor: Compressor) -> Self {
        RecordAccumulator {
            config,
            deques: (0..partitions).map(|_| VecDeque::new()).collect(),
            used: vec![false; partitions as usize],
            buffer_used: 0,
            buffered_records: 0,
            buffered_by_partition: vec![0; partitions as usize],
            buffered_value_bytes: 0,
            estimator: CompressionRatioEstimator::default(),
            next_batch_id: 0,
            exhausted: false,
            flushing: false,
            compressor,
            open_call: None,
            next_call: 0,
            call_partitions: Vec::new(),
            hold_open_call: false,
        }
    }

    /// Whether a batch of send() call `call` is queued.
    pub fn holds_call(&self, call: u64) -> bool {
        for dq in &self.deques {
            for b in dq {
                if b.send_call == Some(call) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether `batch` is of the open send() call and waits for its end.
    pub fn held(&self, batch: &ProducerBatch) -> bool {
        self.hold_open_call && self.open_call.is_some() && batch.send_call == self.open_call
    }

    /// The application starts a send() call. kafkajs (`src/producer/sendMessages.js`)
    /// groups one call's messages per partition, one batch each, and never adds to a batch
    /// of another call. A no-op for a client that batches across calls.
    pub fn begin_send_call(&mut self) {
        if self.config.per_send_call {
            self.open_call = Some(self.next_call);
            self.next_call += 1;
        }
    }

    /// The send() call has handed over all its messages: its batches are complete, full
    /// for the sender (kafkajs sends them at once: no linger, no batch size).
    pub fn end_send_call(&mut self) {
        let Some(call) = self.open_call.take() else {
            return;
        };
        for p in self.call_partitions.drain(..) {
            if let Some(last) = self.deques[p as usize].back_mut() {
                if last.send_call == Some(call) {
                    last.seal(&mut self.compressor);
                }
            }
        }
    }

    pub fn buffer_available(&self) -> u64 {
        self.config.buffer_memory.saturating_sub(self.buffer_used)
    }

    pub fn queued_batches(&self, partition: u32) -> u32 {
        self.deques[partition as usize].len() as u32
    }

    /// Batches queued for the partition, or None if nothing was ever appended to it (the
    /// Java accumulator creates a partition's deque on first use and keeps it).
    pub fn deque_size(&self, partition: u32) -> Option<u32> {
        self.used[partition as usize].then(|| self.queued_batches(partition))
    }

    /// `RecordAccumulator.allBatchesFull`: the last batch is full, or there is none.
    pub fn all_batches_full(&self, partition: u32) -> bool {
        self.deques[partition as usize]
            .back()
            .is_none_or(ProducerBatch::is_full)
    }

    /// Per partition, the records appended and not yet acknowledged or failed: in the
    /// accumulator or in flight.
    pub fn buffered_by_partition(&self) -> &[u64] {
        &self.buffered_by_partition
    }

    pub fn is_empty(&self) -> bool {
        self.deques.iter().all(VecDeque::is_empty)
    }

    /// Appends a record (`RecordAccumulator.append`): into the partition's last batch if
    /// it has room, else into a new batch sized max(batch.size, record) from the pool.
    #[allow(clippy::too_many_arguments)]
    pub fn append(
        &mut self,
        now: SimTime,
        partition: u32,
        record_id: u64,
        key: Option<&[u8]>,
        value: &[u8],
        value_len: u32,
    ) -> AppendResult {
        // franz-go Produce (pkg/kgo/producer.go) waits while bufferedRecords is at
        // MaxBufferedRecords; librdkafka's produce() fails (rd_kafka_curr_msgs_add).
        let max_buffered = u64::from(self.config.max_buffered_records);
        if max_buffered > 0 && self.buffered_records >= max_buffered {
            return AppendResult::NeedsMemory { bytes: 0 };
        }
        let max_bytes = self.config.max_buffered_value_bytes;
        if max_bytes > 0 && self.buffered_value_bytes + u64::from(value_len) > max_bytes {
            return AppendResult::NeedsMemory { bytes: 0 };
        }
        let ts = (now.0 / 1000) as i64;
        let key_len = key.map(|k| k.len() as u32);
        self.used[partition as usize] = true;
        let dq = &mut self.deques[partition as usize];
        // Only the last batch takes records (`tryAppend`): the one before it is final, so
        // build its bytes now rather than hold them uncompressed until it is drained.
        if dq.len() >= 2 {
            let i = dq.len() - 2;
            dq[i].seal(&mut self.compressor);
        }
        let queued = dq.len();
        if self.open_call.is_some() && !self.call_partitions.contains(&partition) {
            self.call_partitions.push(partition);
        }
        let call = self.open_call;
        if let Some(last) = dq
            .back_mut()
            .filter(|b| !b.has_max_records() && b.send_call == call)
        {
            if let Some(builder) = last.builder.as_mut() {
                if builder.has_room_for(ts, key_len, value_len) {
                    let before = builder.estimated_size();
                    builder.append(ts, key, value, value_len);
                    builder.compress_ahead(&mut self.compressor);
                    let after = builder.estimated_size();
                    last.records += 1;
                    last.value_bytes += u64::from(value_len);
                    last.send_times.push(now);
                    // count_buffered, with the deque still borrowed.
                    self.buffered_records += 1;
                    self.buffered_by_partition[partition as usize] += 1;
                    self.buffered_value_bytes += u64::from(value_len);
                    let full = queued > 1 || last.is_full();
                    return AppendResult::Appended {
                        batch: last.id,
                        new_batch: false,
                        batch_is_full: full,
                        appended_bytes: after - before,
                        all_batches_full: last.is_full(),
                    };
                }
            }
        }
        // BufferPool allocation: batch.size, or more for a record that alone is larger
        // (RecordAccumulator.append: max(batchSize, estimateSizeInBytesUpperBound)).
        let record_upper = estimate_batch_size_upper_bound(key_len, Some(value_len)) as u64;
        let size = producer_buffer_size(self.config.batch_size, key_len, Some(value_len)) as u64;
        // KafkaProducer.ensureValidRecordSize: a record larger than max.request.size or
        // buffer.memory can never be sent.
        if record_upper > self.config.max_request_size as u64
            || record_upper > self.config.buffer_memory
        {
            return AppendResult::TooLarge;
        }
        if self.buffer_available() < size {
            return AppendResult::NeedsMemory { bytes: size };
        }
        self.buffer_used += size;
        let id = self.next_batch_id;
        self.next_batch_id += 1;
        let mut builder = RecordsBuilder::new(
            self.config.compression,
            size as u32,
            ts,
            self.estimator.ratio,
        );
        builder.append(ts, key, value, value_len);
        // appendNewBatch reports the new batch's whole estimated size as appended bytes.
        let appended = builder.estimated_size();
        let batch = ProducerBatch {
            id,
            partition,
            created: now,
            builder: Some(builder),
            built: None,
            records: 1,
            send_times: vec![now],
            first_record: record_id,
            attempts: 0,
            last_attempt: now,
            retry_after: now,
            base_sequence: None,
            producer_epoch: 0,
            sequence_reset: false,
            in_retry: false,
            allocated: size,
            value_bytes: u64::from(value_len),
            drained_at: None,
            compressed: false,
            max_records: self.config.max_batch_records,
            send_call: call,
        };
        self.count_buffered(partition, value_len);
        let full = batch.is_full();
        let dq = &mut self.deques[partition as usize];
        dq.push_back(batch);
        AppendResult::Appended {
            batch: id,
            new_batch: true,
            batch_is_full: dq.len() > 1 || full,
            appended_bytes: appended,
            all_batches_full: full,
        }
    }

    /// `RecordAccumulator.partitionReady`: whether the first batch may be sent now.
    pub fn readiness(&self, partition: u32, now: SimTime, retry_backoff: SimDuration) -> Readiness {
        let dq = &self.deques[partition as usize];
        let Some(first) = dq.front().filter(|b| !self.held(b)) else {
            return Readiness::Empty;
        };
        let backing_off = first.attempts > 0 && now < first.retry_after;
        if backing_off {
            return Readiness::At(first.retry_after);
        }
        let _ = retry_backoff;
        let full = dq.len() > 1 || first.is_full();
        let linger_end = first.created + self.config.linger;
        if full || first.attempts > 0 || self.exhausted || self.flushing || now >= linger_end {
            Readiness::Ready
        } else {
            Readiness::At(linger_end)
        }
    }

    /// The partition's queued batches, first to last.
    pub fn queued_mut(&mut self, partition: u32) -> impl Iterator<Item = &mut ProducerBatch> {
        self.deques[partition as usize].iter_mut()
    }

    /// The partition's first batch, if any.
    pub fn first(&self, partition: u32) -> Option<&ProducerBatch> {
        self.deques[partition as usize].front()
    }

    /// Takes the partition's first batch for a request, closing it (`drainBatchesForOneNode`).
    pub fn pop_for_send(&mut self, partition: u32, now: SimTime) -> Option<ProducerBatch> {
        let mut batch = self.deques[partition as usize].pop_front()?;
        batch.close(&mut self.compressor, &mut self.estimator);
        if batch.drained_at.is_none() {
            batch.drained_at = Some(now);
        }
        Some(batch)
    }

    /// Size the first batch would have in a request (closing is what makes it exact; an
    /// estimate is enough to decide whether it fits under max.request.size).
    pub fn first_size(&self, partition: u32) -> u32 {
        self.first(partition)
            .map_or(0, ProducerBatch::size_in_bytes)
    }

    /// Puts a batch back for a retry (`RecordAccumulator.reenqueue`): at the front, or, for
    /// the idempotent producer, in sequence order (`insertInSequenceOrder`).
    pub fn reenqueue(&mut self, batch: ProducerBatch, in_sequence_order: bool) {
        let dq = &mut self.deques[batch.partition as usize];
        if in_sequence_order {
            if let Some(seq) = batch.base_sequence {
                let pos = dq
                    .iter()
                    .position(|b| b.base_sequence.is_none_or(|s| s > seq))
                    .unwrap_or(dq.len());
                dq.insert(pos, batch);
                return;
            }
        }
        dq.push_front(batch);
    }

    /// Takes back a batch that was just opened for one record (KIP-480's abort on new
    /// batch), as if it had never been created. Returns whether it was undone.
    pub fn undo_new_batch(&mut self, partition: u32, batch: u64) -> bool {
        let dq = &mut self.deques[partition as usize];
        let undo = dq.back().is_some_and(|b| b.id == batch && b.records == 1)
            && batch + 1 == self.next_batch_id;
        let undone = if undo { dq.pop_back() } else { None };
        if let Some(b) = &undone {
            self.deallocate(b);
            self.next_batch_id -= 1;
        }
        undone.is_some()
    }

    /// Returns a batch's memory to the pool (`BufferPool.deallocate`).
    pub fn deallocate(&mut self, batch: &ProducerBatch) {
        self.buffer_used = self.buffer_used.saturating_sub(batch.allocated);
        let records = u64::from(batch.records);
        self.buffered_records = self.buffered_records.saturating_sub(records);
        if let Some(n) = self.buffered_by_partition.get_mut(batch.partition as usize) {
            *n = n.saturating_sub(records);
        }
        self.buffered_value_bytes = self.buffered_value_bytes.saturating_sub(batch.value_bytes);
    }

    /// A record joined a batch of `partition`.
    fn count_buffered(&mut self, partition: u32, value_len: u32) {
        self.buffered_records += 1;
        self.buffered_by_partition[partition as usize] += 1;
        self.buffered_value_bytes += u64::from(value_len);
    }

    /// Batches still in the accumulator past delivery.timeout.ms (`expiredBatches`).
    pub fn take_expired(&mut self, now: SimTime) -> Vec<ProducerBatch> {
        let timeout = self.config.delivery_timeout;
        let mut expired = Vec::new();
        for dq in &mut self.deques {
            while dq
                .front()
                .is_some_and(|b| now >= b.delivery_deadline(timeout))
            {
                expired.extend(dq.pop_front());
            }
        }
        expired
    }

    /// The earliest delivery deadline among queued batches.
    pub fn earliest_deadline(&self) -> Option<SimTime> {
        let timeout = self.config.delivery_timeout;
        self.deques
            .iter()
            .filter_map(|dq| dq.front().map(|b| b.delivery_deadline(timeout)))
            .min()
    }

    /// Closes every batch and hands them all back (used when the run ends).
    pub fn drain_all(&mut self) -> Vec<ProducerBatch> {
        self.deques.iter_mut().flat_map(|dq| dq.drain(..)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(linger_ms: u64) -> RecordAccumulator {
        RecordAccumulator::new(
            AccumulatorConfig {
                batch_size: 1000,
                linger: SimDuration::from_ms(linger_ms),
                buffer_memory: 3000,
                max_request_size: 1_048_576,
                compression: CompressionType::None,
                delivery_timeout: SimDuration::from_ms(120_000),
                max_batch_records: 0,
                max_buffered_records: 0,
                max_buffered_value_bytes: 0,
                per_send_call: false,
            },
            2,
            Compressor::default(),
        )
    }

    #[test]
    fn lingers_until_linger_ms_then_ready() {
        let mut a = acc(5);
        a.append(SimTime::ZERO, 0, 0, None, &[], 10);
        let backoff = SimDuration::from_ms(100);
        assert_eq!(
            a.readiness(0, SimTime::ZERO, backoff),
            Readiness::At(SimTime::from_ms(5))
        );
        assert_eq!(
            a.readiness(0, SimTime::from_ms(5), backoff),
            Readiness::Ready
        );
        assert_eq!(a.readiness(1, SimTime::ZERO, backoff), Readiness::Empty);
    }

    #[test]
    fn buffer_memory_blocks_new_batches() {
        let mut a = acc(5);
        for p in 0..2 {
            assert!(matches!(
                a.append(SimTime::ZERO, p, 0, None, &[], 10),
                AppendResult::Appended {
                    new_batch: true,
                    ..
                }
            ));
        }
        assert_eq!(a.buffer_available(), 1000);
        let b = a.pop_for_send(0, SimTime::ZERO).unwrap();
        a.deallocate(&b);
        assert_eq!(a.buffer_available(), 2000);
    }

    #[test]
    fn a_record_count_limit_closes_batches_early() {
        // librdkafka batch.num.messages=3: 7 small records make batches of 3, 3 and 1, and
        // a batch with 3 is sendable before linger.ms ends.
        let mut a = acc(1_000);
        a.config.max_batch_records = 3;
        let new_batches: Vec<bool> = (0..7)
            .map(|i| match a.append(SimTime::ZERO, 0, i, None, &[], 10) {
                AppendResult::Appended { new_batch, .. } => new_batch,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(new_batches, [true, false, false, true, false, false, true]);
        let backoff = SimDuration::from_ms(100);
        assert_eq!(a.readiness(0, SimTime::ZERO, backoff), Readiness::Ready);
        let sizes: Vec<u32> = (0..3)
            .map(|_| a.pop_for_send(0, SimTime::ZERO).unwrap().records)
            .collect();
        assert_eq!(sizes, [3, 3, 1]);
        // Without the limit, all 7 fit one batch of 1000 bytes, which lingers.
        let mut a = acc(1_000);
        for i in 0..7 {
            a.append(SimTime::ZERO, 0, i, None, &[], 10);
        }
        assert_eq!(a.queued_batches(0), 1);
        assert_eq!(
            a.readiness(0, SimTime::ZERO, backoff),
            Readiness::At(SimTime::from_ms(1_000))
        );
    }

    #[test]
    fn a_buffered_record_limit_waits_until_a_batch_is_done() {
        // franz-go MaxBufferedRecords=2: the third record waits until a batch completes.
        let mut a = acc(0);
        a.config.max_buffered_records = 2;
        for (p, i) in [(0, 0), (1, 1)] {
            assert!(matches!(
                a.append(SimTime::ZERO, p, i, None, &[], 10),
                AppendResult::Appended { .. }
            ));
        }
        assert_eq!(
            a.append(SimTime::ZERO, 0, 2, None, &[], 10),
            AppendResult::NeedsMemory { bytes: 0 }
        );
        let done = a.pop_for_send(1, SimTime::ZERO).unwrap();
        a.deallocate(&done);
        assert_eq!(a.buffered_records, 1);
        assert!(matches!(
            a.append(SimTime::ZERO, 0, 2, None, &[], 10),
            AppendResult::Appended { .. }
        ));
    }

    #[test]
    fn record_larger_than_buffer_is_refused() {
        let mut a = acc(5);
        assert_eq!(
            a.append(SimTime::ZERO, 0, 0, None, &[], 5000),
            AppendResult::TooLarge
        );
    }

    #[test]
    fn retries_go_back_in_sequence_order() {
        let mut a = acc(0);
        for _ in 0..3 {
            a.append(SimTime::ZERO, 0, 0, None, &[], 900);
        }
        let mut batches: Vec<_> = (0..3)
            .map(|i| {
                let mut b = a.pop_for_send(0, SimTime::ZERO).unwrap();
                b.base_sequence = Some(i);
                b
            })
            .collect();
        let third = batches.pop().unwrap();
        let second = batches.pop().unwrap();
        a.reenqueue(third, true);
        a.reenqueue(second, true);
        let order: Vec<_> = (0..2)
            .map(|_| a.pop_for_send(0, SimTime::ZERO).unwrap().base_sequence)
            .collect();
        assert_eq!(order, vec![Some(1), Some(2)]);
    }
}
