//! The application's side of the producer: `KafkaProducer.send` → `doSend`
//! (`clients/.../producer/KafkaProducer.java`): the partitioner's choice, the append to
//! the `RecordAccumulator`, a send() blocked in the buffer pool and its max.block.ms.

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

/// A send() waiting in `BufferPool.allocate` for memory, with the partition it was given.
pub(super) struct BlockedSend {
    since: SimTime,
    choice: PartitionChoice,
    key: Option<Vec<u8>>,
    value: Vec<u8>,
    value_len: u32,
}

impl KafkaProducer {
    /// `KafkaProducer.doSend`: partition the record, then append it to the accumulator.
    /// Returns where the partitioner put it, or the error send() throws. A send() that
    /// needs buffer memory blocks (`is_blocked`) until a batch completes or max.block.ms
    /// passes.
    pub(in crate::engine) fn send(
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
        self.metrics.records_appended += 1;
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
    fn unblocked(&mut self, io: &mut ProducerIo<'_>) {
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

    /// Whether a send() is blocked waiting for buffer memory.
    pub(in crate::engine) fn is_blocked(&self) -> bool {
        self.blocked.is_some()
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
                self.blocked = Some(BlockedSend {
                    since: io.now,
                    choice,
                    key: key.map(<[u8]>::to_vec),
                    value: value.to_vec(),
                    value_len,
                });
                self.accumulator.exhausted = true;
                if self.block_timer_at.is_none() {
                    let at = io.now + SimDuration::from_ms(io.config.producer.max_block_ms);
                    self.block_timer_at = Some(at);
                    io.schedule(at, Action::BlockTimeout);
                }
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

    /// Memory was freed: a send() blocked in the buffer pool may go on. The record keeps
    /// the partition it was given and does not count as sent twice.
    pub(in crate::engine) fn retry_blocked_send(&mut self, io: &mut ProducerIo<'_>) {
        let Some(b) = self.blocked.take() else { return };
        self.metrics.bufferpool_wait_us += io.now.since(b.since).as_us();
        let record = ProducerRecord {
            partition: None,
            key: b.key.as_deref(),
            value: &b.value,
            value_len: b.value_len,
        };
        self.accumulator.exhausted = false;
        let _ = self.append(io, b.choice, record);
        if let Some(still) = self.blocked.as_mut() {
            // Still no room: it keeps waiting from the original time.
            still.since = b.since;
        } else {
            self.unblocked(io);
        }
    }

    /// The max.block.ms timer fired: the blocked send() fails with a TimeoutException if
    /// it has waited max.block.ms (`BufferPool.allocate`), else the timer is set for when
    /// it will have.
    pub(in crate::engine) fn block_timeout(&mut self, io: &mut ProducerIo<'_>) {
        self.block_timer_at = None;
        let max_block = SimDuration::from_ms(io.config.producer.max_block_ms);
        let Some(deadline) = self.blocked.as_ref().map(|b| b.since + max_block) else {
            return;
        };
        if io.now < deadline {
            self.block_timer_at = Some(deadline);
            io.schedule(deadline, Action::BlockTimeout);
            return;
        }
        let Some(b) = self.blocked.take() else { return };
        self.unblocked(io);
        self.metrics.bufferpool_wait_us += io.now.since(b.since).as_us();
        self.buffer_full(io);
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
