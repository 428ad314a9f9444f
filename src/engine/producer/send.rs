//! The application's side of the producer: `KafkaProducer.send` → `doSend`
//! (`clients/.../producer/KafkaProducer.java`): the partitioner's choice, the append to
//! the `RecordAccumulator`, a send() blocked waiting for the topic's metadata or in the
//! buffer pool, and its max.block.ms.

use super::accumulator::AppendResult;
use super::KafkaProducer;
use crate::engine::clients::FullBuffer;
use crate::engine::event::{EventKind, KafkaError};
use crate::engine::partitioner::PartitionChoice;
use crate::engine::sim::{Action, ProducerIo};
use crate::engine::time::{SimDuration, SimTime};

/// What the application hands to send() (`ProducerRecord`, serialised): an optional
/// partition, the key (None: a null key) and the value. Without compression only the
/// value's length matters, so `value` may be empty with `value_len` giving its size.
#[derive(Clone, Copy, Debug)]
pub(in crate::engine) struct ProducerRecord<'a> {
    pub partition: Option<u32>,
    pub key: Option<&'a [u8]>,
    pub value: &'a [u8],
    pub value_len: u32,
}

/// What a blocked send() waits for.
#[derive(Clone, Copy, Debug)]
enum Waiting {
    /// The topic's metadata (`KafkaProducer.waitOnMetadata`), before partitioning.
    Metadata,
    /// Memory in `BufferPool.allocate`, with the partition the record was given, since
    /// the time it began waiting for it.
    Memory(PartitionChoice, SimTime),
}

/// A send() blocked until what it waits for comes or max.block.ms passes.
pub(super) struct BlockedSend {
    /// When send() was called: max.block.ms counts from here for both waits (doSend's
    /// `remainingWaitMs = maxBlockTimeMs - waitedOnMetadataMs`).
    since: SimTime,
    waiting: Waiting,
    partition: Option<u32>,
    key: Option<Vec<u8>>,
    value: Vec<u8>,
    value_len: u32,
}

impl BlockedSend {
    fn new(since: SimTime, waiting: Waiting, record: ProducerRecord<'_>) -> Self {
        BlockedSend {
            since,
            waiting,
            partition: record.partition,
            key: record.key.map(<[u8]>::to_vec),
            value: record.value.to_vec(),
            value_len: record.value_len,
        }
    }

    fn record(&self) -> ProducerRecord<'_> {
        ProducerRecord {
            partition: self.partition,
            key: self.key.as_deref(),
            value: &self.value,
            value_len: self.value_len,
        }
    }
}

impl KafkaProducer {
    /// `KafkaProducer.doSend`: wait for the topic's metadata, partition the record, then
    /// append it to the accumulator. Returns where the partitioner put it, None while
    /// send() waits for metadata (`take_unblocked` tells how that wait ended), or the
    /// error send() throws. A send() that needs metadata or buffer memory blocks
    /// (`is_blocked`) until it comes or max.block.ms passes.
    pub(in crate::engine) fn send(
        &mut self,
        io: &mut ProducerIo<'_>,
        record: ProducerRecord<'_>,
    ) -> Result<Option<PartitionChoice>, KafkaError> {
        self.metrics.records_appended += 1;
        self.unblocked = None;
        // waitOnMetadata: metadata.add(topic); without the topic's partition count,
        // requestUpdateForTopic, wake the sender and block up to max.block.ms.
        self.topic_added = true;
        if !self.topic_known() {
            self.blocked = Some(BlockedSend::new(io.now, Waiting::Metadata, record));
            self.start_block_timer(io, io.now, Waiting::Metadata);
            self.request_metadata(io);
            io.wake_sender_now();
            return Ok(None);
        }
        self.partition_and_append(io, record).map(Some)
    }

    /// doSend once the topic's metadata is known: partition the record and append it.
    fn partition_and_append(
        &mut self,
        io: &mut ProducerIo<'_>,
        record: ProducerRecord<'_>,
    ) -> Result<PartitionChoice, KafkaError> {
        let ProducerRecord {
            partition,
            key,
            value_len,
            ..
        } = record;
        self.partitioner.on_send(io.now, key, value_len);
        let backlog = self.accumulator.buffered_by_partition();
        let mut choice = self
            .partitioner
            .partition_by_backup(key, partition, backlog, io.rng);
        // RecordAccumulator.append: a sticky switch held back until the last batch filled
        // happens now (`partitionChanged`), and the record is partitioned again.
        for _ in 0..4 {
            let full = self.accumulator.all_batches_full(choice.partition());
            if !self.partitioner.partition_changed(&choice, full, io.rng) {
                break;
            }
            choice = self.partitioner.partition(key, partition, io.rng);
        }
        self.append(io, choice, record)
    }

    /// The application calls flush() (or close(), which flushes): every batch is
    /// sendable at once (`RecordAccumulator.beginFlush`).
    pub(in crate::engine) fn begin_flush(&mut self) {
        self.accumulator.flushing = true;
    }

    /// The application starts a send() call (kafkajs: a call's messages make batches of
    /// their own, `RecordAccumulator::begin_send_call`).
    pub(in crate::engine) fn begin_send_call(&mut self) {
        self.accumulator.begin_send_call();
    }

    /// The send() call has handed over its last message. While that message waits for
    /// buffer memory the call stays open, and ends once it is appended or fails.
    pub(in crate::engine) fn end_send_call(&mut self) {
        if self.is_blocked() {
            self.end_call_when_unblocked = true;
        } else {
            self.accumulator.end_send_call();
        }
    }

    /// The blocked send() went on or failed: end its call if it was the call's last (and
    /// wake the sender for the call's batches).
    fn end_blocked_call(&mut self, io: &mut ProducerIo<'_>) {
        self.accumulator.exhausted = false;
        if std::mem::take(&mut self.end_call_when_unblocked) && !self.is_blocked() {
            self.accumulator.end_send_call();
            io.wake_sender_now();
        }
    }

    /// A new workload starts: batches linger again (`RecordAccumulator.awaitFlushCompletion`).
    pub(in crate::engine) fn end_flush(&mut self) {
        self.accumulator.flushing = false;
    }

    /// Whether a send() is blocked waiting for metadata or buffer memory.
    pub(in crate::engine) fn is_blocked(&self) -> bool {
        self.blocked.is_some()
    }

    /// Whether a send() is blocked waiting for the topic's metadata.
    #[cfg(test)]
    pub(in crate::engine) fn is_waiting_on_metadata(&self) -> bool {
        matches!(
            self.blocked,
            Some(BlockedSend {
                waiting: Waiting::Metadata,
                ..
            })
        )
    }

    /// How the last send() that blocked ended: where its record went, or the error it
    /// threw.
    pub(in crate::engine) fn take_unblocked(
        &mut self,
    ) -> Option<Result<PartitionChoice, KafkaError>> {
        self.unblocked.take()
    }

    /// The timer for a send() blocked since `since`: none is added while an earlier one
    /// is pending, so they do not pile up (a later one left pending finds nothing due).
    fn start_block_timer(&mut self, io: &mut ProducerIo<'_>, since: SimTime, waiting: Waiting) {
        let at = since + block_limit(io, waiting).0;
        if self.block_timer_at.is_none_or(|pending| at < pending) {
            self.block_timer_at = Some(at);
            io.schedule(at, Action::BlockTimeout);
        }
    }

    /// `RecordAccumulator.append` for a partitioned record, with doSend's retry of a
    /// record that would open a new batch.
    fn append(
        &mut self,
        io: &mut ProducerIo<'_>,
        mut choice: PartitionChoice,
        record: ProducerRecord<'_>,
    ) -> Result<PartitionChoice, KafkaError> {
        let ProducerRecord {
            partition: explicit,
            key,
            value,
            value_len,
        } = record;
        let record_id = self.next_record;
        let mut result =
            self.accumulator
                .append(io.now, choice.partition(), record_id, key, value, value_len);
        // With a partitioner.class set, a record that would open a new batch is first
        // offered to the partitioner again (`abortOnNewBatch` + `onNewBatch`, KIP-480):
        // the new batch is undone, so the partitioner sees the accumulator without it.
        if self.partitioner.aborts_on_new_batch() {
            if let AppendResult::Appended {
                new_batch: true,
                batch,
                ..
            } = result
            {
                let before = choice.partition();
                if self.accumulator.undo_new_batch(before, batch) {
                    self.partitioner.on_new_batch(before, io.rng);
                    let backlog = self.accumulator.buffered_by_partition();
                    choice = self
                        .partitioner
                        .partition_by_backup(key, explicit, backlog, io.rng);
                    result = self.accumulator.append(
                        io.now,
                        choice.partition(),
                        record_id,
                        key,
                        value,
                        value_len,
                    );
                }
            }
        }
        let partition = choice.partition();
        match result {
            AppendResult::Appended {
                batch,
                new_batch,
                batch_is_full,
                appended_bytes,
                all_batches_full,
            } => {
                self.next_record += 1;
                self.metrics.record_bytes += appended_bytes as u64;
                io.appended(batch, partition, new_batch);
                self.partitioner
                    .on_append(&choice, appended_bytes, all_batches_full, io.rng);
                io.emit(|| EventKind::RecordAppended {
                    record: record_id,
                    partition,
                    batch,
                    key: key.map(<[u8]>::to_vec),
                });
                // doSend: "if (result.batchIsFull || result.newBatchCreated) sender.wakeup()".
                if new_batch || batch_is_full {
                    io.wake_sender_now();
                }
                Ok(choice)
            }
            // librdkafka's produce() fails at once on a full queue (Client::full_buffer).
            AppendResult::NeedsMemory { .. }
                if io.config.producer.client.full_buffer() == FullBuffer::Fail =>
            {
                self.buffer_full(io);
                Err(KafkaError::BufferExhausted)
            }
            AppendResult::NeedsMemory { .. } => {
                // BufferPool.allocate: send() blocks until memory frees up or
                // max.block.ms passes.
                self.blocked = Some(BlockedSend::new(
                    io.now,
                    Waiting::Memory(choice, io.now),
                    record,
                ));
                self.accumulator.exhausted = true;
                self.start_block_timer(io, io.now, Waiting::Memory(choice, io.now));
                io.wake_sender_now();
                Ok(choice)
            }
            AppendResult::TooLarge => {
                self.metrics.errors += 1;
                self.saw_error(KafkaError::MessageTooLarge);
                io.send_failed();
                Err(KafkaError::MessageTooLarge)
            }
        }
    }

    /// Memory was freed, or metadata arrived: a blocked send() may go on. A record that
    /// waited for memory keeps the partition it was given; one that waited for metadata is
    /// partitioned now. Neither counts as sent twice, and max.block.ms still counts from
    /// the send() call.
    pub(in crate::engine) fn retry_blocked_send(&mut self, io: &mut ProducerIo<'_>) {
        let Some(b) = self.blocked.take() else { return };
        match b.waiting {
            Waiting::Metadata if !self.topic_known() => {
                self.blocked = Some(b);
                return;
            }
            Waiting::Metadata => {
                let result = self.partition_and_append(io, b.record());
                self.unblocked = Some(result);
            }
            Waiting::Memory(choice, waiting_since) => {
                self.accumulator.exhausted = false;
                self.metrics.bufferpool_wait_us += io.now.since(waiting_since).as_us();
                let mut record = b.record();
                record.partition = None;
                let result = self.append(io, choice, record);
                if !self.is_blocked() {
                    self.unblocked = Some(result);
                }
            }
        }
        if let Some(still) = self.blocked.as_mut() {
            // Still no room: it keeps waiting from the original time.
            still.since = b.since;
            if let (Waiting::Memory(_, s), Waiting::Memory(_, original)) =
                (&mut still.waiting, b.waiting)
            {
                *s = original;
            }
        } else {
            self.end_blocked_call(io);
        }
    }

    /// The block timer fired: the blocked send() fails if it has waited its limit
    /// (`block_limit`), else the timer is set for when it will have.
    pub(in crate::engine) fn block_timeout(&mut self, io: &mut ProducerIo<'_>) {
        self.block_timer_at = None;
        let Some((deadline, error)) = self.blocked.as_ref().map(|b| {
            let (limit, error) = block_limit(io, b.waiting);
            (b.since + limit, error)
        }) else {
            return;
        };
        if io.now < deadline {
            self.block_timer_at = Some(deadline);
            io.schedule(deadline, Action::BlockTimeout);
            return;
        }
        let Some(b) = self.blocked.take() else { return };
        self.end_blocked_call(io);
        match b.waiting {
            Waiting::Metadata => {
                self.unblocked = Some(Err(error));
                self.metrics.errors += 1;
                self.saw_error(error);
                io.send_failed();
            }
            Waiting::Memory(_, waiting_since) => {
                self.unblocked = Some(Err(error));
                self.metrics.bufferpool_wait_us += io.now.since(waiting_since).as_us();
                self.buffer_full(io);
            }
        }
        let now = io.now.0;
        io.mix_digest(&[u64::MAX, now]);
    }

    /// A send call failed for a full buffer: counted under the client's own error name.
    fn buffer_full(&mut self, io: &mut ProducerIo<'_>) {
        self.metrics.errors += 1;
        let name = io.config.producer.client.full_buffer_error();
        *self.errors_seen.entry(name).or_default() += 1;
        io.send_failed();
    }
}

/// How long a blocked send() may wait, counted from the send() call, and what it throws
/// then: max.block.ms in the buffer pool (`BufferPool.allocate`) and, for Java, for the
/// topic's metadata (`waitOnMetadata`). The other clients hold a record whose topic is
/// unknown until its delivery timeout (librdkafka's message.timeout.ms also expires
/// records in the unassigned partition queue: src/rdkafka_topic.c,
/// rd_kafka_topic_scan_all).
fn block_limit(io: &ProducerIo<'_>, waiting: Waiting) -> (SimDuration, KafkaError) {
    let p = &io.config.producer;
    let max_block = SimDuration::from_ms(p.max_block_ms);
    match waiting {
        Waiting::Memory(..) => (max_block, KafkaError::BufferExhausted),
        Waiting::Metadata if p.client.metadata_wait_times_out() => {
            (max_block, KafkaError::TopicNotInMetadata)
        }
        Waiting::Metadata => (
            SimDuration::from_ms(p.effective_delivery_timeout_ms()),
            KafkaError::DeliveryTimeout,
        ),
    }
}
