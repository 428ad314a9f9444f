//! Record batch v2 sizes and bytes (`DefaultRecordBatch.java`, `DefaultRecord.java`,
//! `MemoryRecordsBuilder.java`, `ByteUtils.java` in `clients/.../common/`).
//!
//! A batch is a 61-byte header followed by the records section; the codec compresses
//! only the records section. A record is:
//!
//! ```text
//! length        varint  (size of everything below)
//! attributes    int8    (always 0)
//! timestampDelta varlong (ms since the batch's base timestamp)
//! offsetDelta   varint  (0, 1, 2, ... within the batch)
//! keyLength     varint  (-1 for a null key)
//! key           bytes
//! valueLength   varint  (-1 for a null value)
//! value         bytes
//! headersCount  varint  (the simulator sends no headers: 0)
//! ```
//!
//! Varints are zig-zag encoded (protobuf style): n is written as `(n << 1) ^ (n >> 31)`
//! in 7-bit groups, low group first.

use super::bytes::extend;
use super::compression::{Compressor, GzipStream, GZIP_STREAM_CHUNK};
use super::config::CompressionType;

/// `DefaultRecordBatch.RECORD_BATCH_OVERHEAD`: the v2 batch header.
pub const RECORD_BATCH_OVERHEAD: u32 = 61;

/// `DefaultRecord.MAX_RECORD_OVERHEAD`: the most a record's varints and attributes can
/// take besides key, value and headers (length 5 + attributes 1 + timestamp 10 + offset 5).
pub const MAX_RECORD_OVERHEAD: u32 = 21;

/// `MemoryRecordsBuilder.COMPRESSION_RATE_ESTIMATION_FACTOR`: the builder inflates its
/// compressed-size estimate by 5% to be conservative.
pub const COMPRESSION_RATE_ESTIMATION_FACTOR: f32 = 1.05;

/// `CompressionRatioEstimator.COMPRESSION_RATIO_IMPROVING_STEP`.
pub const COMPRESSION_RATIO_IMPROVING_STEP: f32 = 0.005;

/// `CompressionRatioEstimator.COMPRESSION_RATIO_DETERIORATE_STEP`.
pub const COMPRESSION_RATIO_DETERIORATE_STEP: f32 = 0.05;

/// `ByteUtils.sizeOfUnsignedVarint`: bytes of an unsigned LEB128 varint (1 to 5).
#[inline(always)]
pub fn size_of_unsigned_varint(value: u32) -> u32 {
    let bits = 32 - value.leading_zeros();
    bits.max(1).div_ceil(7)
}

/// `ByteUtils.sizeOfUnsignedVarlong` (1 to 10 bytes).
#[inline(always)]
pub fn size_of_unsigned_varlong(value: u64) -> u32 {
    let bits = 64 - value.leading_zeros();
    bits.max(1).div_ceil(7)
}

#[inline(always)]
fn zig_zag_32(value: i32) -> u32 {
    ((value << 1) ^ (value >> 31)) as u32
}

#[inline(always)]
fn zig_zag_64(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

/// `ByteUtils.sizeOfVarint`: bytes of a zig-zag varint.
#[inline(always)]
pub fn size_of_varint(value: i32) -> u32 {
    size_of_unsigned_varint(zig_zag_32(value))
}

/// `ByteUtils.sizeOfVarlong`: bytes of a zig-zag varlong.
#[inline(always)]
pub fn size_of_varlong(value: i64) -> u32 {
    size_of_unsigned_varlong(zig_zag_64(value))
}

/// Varints written into a small stack buffer, so a record's fields go into the batch's
/// bytes in a few slice copies rather than a `Vec` push per byte.
struct Varints {
    bytes: [u8; 32],
    len: usize,
}

impl Varints {
    #[inline(always)]
    fn new() -> Self {
        Varints {
            bytes: [0; 32],
            len: 0,
        }
    }

    #[inline(always)]
    fn unsigned(&mut self, mut v: u64) -> &mut Self {
        while v >= 0x80 {
            self.bytes[self.len] = (v as u8 & 0x7f) | 0x80;
            self.len += 1;
            v >>= 7;
        }
        self.bytes[self.len] = v as u8;
        self.len += 1;
        self
    }

    /// `ByteUtils.writeVarint`.
    #[inline(always)]
    fn varint(&mut self, value: i32) -> &mut Self {
        self.unsigned(zig_zag_32(value) as u64)
    }

    /// `ByteUtils.writeVarlong`.
    #[inline(always)]
    fn varlong(&mut self, value: i64) -> &mut Self {
        self.unsigned(zig_zag_64(value))
    }

    #[inline(always)]
    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// `ByteUtils.writeVarint`.
pub fn write_varint(value: i32, out: &mut Vec<u8>) {
    out.extend_from_slice(Varints::new().varint(value).as_slice());
}

/// `ByteUtils.writeVarlong`.
pub fn write_varlong(value: i64, out: &mut Vec<u8>) {
    out.extend_from_slice(Varints::new().varlong(value).as_slice());
}

/// A length field's value: -1 for null.
#[inline(always)]
fn length_field(len: Option<u32>) -> i32 {
    len.map_or(-1, |l| l as i32)
}

/// `DefaultRecord.sizeOfBodyInBytes` with no headers: the record minus its length varint.
pub fn record_body_size(
    offset_delta: i32,
    timestamp_delta: i64,
    key_len: Option<u32>,
    value_len: Option<u32>,
) -> u32 {
    1 + size_of_varint(offset_delta)
        + size_of_varlong(timestamp_delta)
        + size_of_varint(length_field(key_len))
        + key_len.unwrap_or(0)
        + size_of_varint(length_field(value_len))
        + value_len.unwrap_or(0)
        + size_of_varint(0)
}

/// `DefaultRecord.sizeInBytes`, including the record's own length varint; no headers.
pub fn record_size_in_bytes(
    offset_delta: i32,
    timestamp_delta: i64,
    key_len: Option<u32>,
    value_len: Option<u32>,
) -> u32 {
    let body = record_body_size(offset_delta, timestamp_delta, key_len, value_len);
    size_of_varint(body as i32) + body
}

/// Bytes each field of a record takes on the wire, for explaining a record's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordSizeBreakdown {
    pub length_varint: u32,
    pub attributes: u32,
    pub timestamp_delta: u32,
    pub offset_delta: u32,
    pub key_length: u32,
    pub key: u32,
    pub value_length: u32,
    pub value: u32,
    pub headers_count: u32,
}

impl RecordSizeBreakdown {
    /// The record's size: equals [`record_size_in_bytes`].
    pub fn total(&self) -> u32 {
        self.length_varint
            + self.attributes
            + self.timestamp_delta
            + self.offset_delta
            + self.key_length
            + self.key
            + self.value_length
            + self.value
            + self.headers_count
    }

    /// `(field name, bytes)` in wire order, for tooltips and tables.
    pub fn fields(&self) -> [(&'static str, u32); 9] {
        [
            ("length", self.length_varint),
            ("attributes", self.attributes),
            ("timestampDelta", self.timestamp_delta),
            ("offsetDelta", self.offset_delta),
            ("keyLength", self.key_length),
            ("key", self.key),
            ("valueLength", self.value_length),
            ("value", self.value),
            ("headersCount", self.headers_count),
        ]
    }
}

/// Splits a record's size into its fields (same arguments as [`record_size_in_bytes`]).
pub fn record_size_breakdown(
    offset_delta: i32,
    timestamp_delta: i64,
    key_len: Option<u32>,
    value_len: Option<u32>,
) -> RecordSizeBreakdown {
    let body = record_body_size(offset_delta, timestamp_delta, key_len, value_len);
    RecordSizeBreakdown {
        length_varint: size_of_varint(body as i32),
        attributes: 1,
        timestamp_delta: size_of_varlong(timestamp_delta),
        offset_delta: size_of_varint(offset_delta),
        key_length: size_of_varint(length_field(key_len)),
        key: key_len.unwrap_or(0),
        value_length: size_of_varint(length_field(value_len)),
        value: value_len.unwrap_or(0),
        headers_count: size_of_varint(0),
    }
}

/// `DefaultRecord.writeTo` with no headers: appends the record's bytes to `out` and
/// returns how many were written.
pub fn write_record(
    out: &mut Vec<u8>,
    offset_delta: i32,
    timestamp_delta: i64,
    key: Option<&[u8]>,
    value: Option<&[u8]>,
) -> u32 {
    let start = out.len();
    let key_len = key.map(|k| k.len() as u32);
    let value_len = value.map(|v| v.len() as u32);
    let body = record_body_size(offset_delta, timestamp_delta, key_len, value_len);
    let mut head = Varints::new();
    head.varint(body as i32)
        .varint(0) // attributes: none are used by v2 records (one 0 byte)
        .varlong(timestamp_delta)
        .varint(offset_delta)
        .varint(length_field(key_len));
    out.reserve(size_of_varint(body as i32) as usize + body as usize);
    extend(out, head.as_slice());
    extend(out, key.unwrap_or_default());
    let mut value_head = Varints::new();
    value_head.varint(length_field(value_len));
    extend(out, value_head.as_slice());
    extend(out, value.unwrap_or_default());
    extend(out, Varints::new().varint(0).as_slice()); // headers count
    (out.len() - start) as u32
}

/// `DefaultRecordBatch.estimateBatchSizeUpperBound`: the most a batch holding just this
/// record can need (header + `MAX_RECORD_OVERHEAD` + key, value, headers count).
pub fn estimate_batch_size_upper_bound(key_len: Option<u32>, value_len: Option<u32>) -> u32 {
    RECORD_BATCH_OVERHEAD
        + MAX_RECORD_OVERHEAD
        + size_of_varint(length_field(key_len))
        + key_len.unwrap_or(0)
        + size_of_varint(length_field(value_len))
        + value_len.unwrap_or(0)
        + size_of_varint(0)
}

/// The buffer the producer allocates for a new batch, which becomes the batch's write
/// limit: `max(batch.size, estimateSizeInBytesUpperBound(first record))`
/// (`RecordAccumulator.append`). A record larger than `batch.size` gets a batch of its own.
pub fn producer_buffer_size(batch_size: u32, key_len: Option<u32>, value_len: Option<u32>) -> u32 {
    batch_size.max(estimate_batch_size_upper_bound(key_len, value_len))
}

/// The producer's running estimate of how well a topic compresses with its codec
/// (`CompressionRatioEstimator`), which decides when a compressed batch is full. Kafka
/// keeps one per topic and codec, shared by all its partitions; the initial value is
/// the codec's `CompressionType.rate`, 1.0 for every codec.
#[derive(Clone, Debug, PartialEq)]
pub struct CompressionRatioEstimator {
    pub ratio: f32,
}

impl Default for CompressionRatioEstimator {
    fn default() -> Self {
        CompressionRatioEstimator { ratio: 1.0 }
    }
}

impl CompressionRatioEstimator {
    /// `CompressionRatioEstimator.estimation`.
    pub fn estimation(&self) -> f32 {
        self.ratio
    }

    /// `CompressionRatioEstimator.updateEstimation`, called by `ProducerBatch.close` with
    /// the closed batch's ratio: a worse ratio raises the estimate at once (by at least
    /// 0.05), a better one lowers it slowly (by at most 0.005). Returns the new estimate.
    pub fn update(&mut self, observed: f32) -> f32 {
        let current = self.ratio;
        if observed > current {
            self.ratio = (current + COMPRESSION_RATIO_DETERIORATE_STEP).max(observed);
        } else if observed < current {
            self.ratio = (current - COMPRESSION_RATIO_IMPROVING_STEP).max(observed);
        }
        self.ratio
    }

    /// `CompressionRatioEstimator.setEstimation`: `RecordAccumulator.splitAndReenqueue`
    /// sets `max(1.0, ratio of the batch that was too large)` after a MESSAGE_TOO_LARGE split.
    pub fn set(&mut self, ratio: f32) {
        self.ratio = ratio;
    }
}

/// One batch being filled (`MemoryRecordsBuilder` as `ProducerBatch` drives it).
///
/// With a codec, `append` writes each record's real bytes so that `close` can compress
/// them; with `none` only sizes are tracked (no bytes are needed to know them).
#[derive(Clone, Debug)]
pub struct RecordsBuilder {
    codec: CompressionType,
    write_limit: u32,
    base_timestamp_ms: i64,
    estimated_ratio: f32,
    records: u32,
    uncompressed_records_bytes: u32,
    buf: Vec<u8>,
    /// A large gzip batch's compression so far (see [`RecordsBuilder::compress_ahead`]).
    gzip: GzipAhead,
}

/// The gzip stream of a batch being filled. A clone starts without it and compresses its
/// records at close instead: the same bytes, later.
#[derive(Debug, Default)]
struct GzipAhead(Option<GzipStream>);

impl Clone for GzipAhead {
    fn clone(&self) -> Self {
        GzipAhead(None)
    }
}

/// A closed batch's sizes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BuiltBatch {
    pub records: u32,
    /// The batch's size if it were not compressed (header + records).
    pub uncompressed_size: u32,
    /// The batch's size on the wire (header + possibly compressed records).
    pub size_in_bytes: u32,
}

impl BuiltBatch {
    /// `MemoryRecordsBuilder.compressionRatio()`: compressed records section / uncompressed
    /// records section, header excluded, as a Java float (1.0 without compression). This
    /// is what the `compression-rate` metrics average and what feeds the estimator.
    pub fn compression_ratio(&self) -> f32 {
        let uncompressed = self.uncompressed_size.saturating_sub(RECORD_BATCH_OVERHEAD);
        if uncompressed == 0 {
            return 1.0;
        }
        self.size_in_bytes.saturating_sub(RECORD_BATCH_OVERHEAD) as f32 / uncompressed as f32
    }

    /// [`Self::compression_ratio`] widened as `ProducerBatch.compressionRatio()` returns it
    /// to the `compression-rate-avg` sensor.
    pub fn compression_rate(&self) -> f64 {
        self.compression_ratio() as f64
    }
}

impl RecordsBuilder {
    /// A builder for a batch whose first record has timestamp `base_timestamp_ms` (Kafka
    /// takes the batch's base timestamp from its first record). `write_limit` is the
    /// producer's buffer size ([`producer_buffer_size`]); `estimated_ratio` is the
    /// topic's [`CompressionRatioEstimator`] estimate when the batch is created
    /// (`ProducerBatch` constructor).
    pub fn new(
        codec: CompressionType,
        write_limit: u32,
        base_timestamp_ms: i64,
        estimated_ratio: f32,
    ) -> Self {
        let buf = if codec == CompressionType::None {
            Vec::new()
        } else {
            // Room for what fits before `is_full` (the estimate shrinks the uncompressed
            // bytes by the ratio), so the buffer is not grown and copied record by record.
            let estimate = estimated_ratio * COMPRESSION_RATE_ESTIMATION_FACTOR;
            let expected = write_limit as f32 / estimate.clamp(0.25, 1.0);
            Vec::with_capacity(expected as usize + 1024)
        };
        RecordsBuilder {
            codec,
            write_limit,
            base_timestamp_ms,
            estimated_ratio,
            records: 0,
            uncompressed_records_bytes: 0,
            buf,
            gzip: GzipAhead::default(),
        }
    }

    /// Whether real record bytes are needed (only when compressing).
    pub fn needs_bytes(&self) -> bool {
        self.codec != CompressionType::None
    }

    pub fn codec(&self) -> CompressionType {
        self.codec
    }

    pub fn write_limit(&self) -> u32 {
        self.write_limit
    }

    pub fn base_timestamp_ms(&self) -> i64 {
        self.base_timestamp_ms
    }

    /// The size of the record that would be appended next.
    pub fn next_record_size(&self, timestamp_ms: i64, key_len: Option<u32>, value_len: u32) -> u32 {
        record_size_in_bytes(
            self.records as i32,
            timestamp_ms.saturating_sub(self.base_timestamp_ms),
            key_len,
            Some(value_len),
        )
    }

    /// `MemoryRecordsBuilder.hasRoomFor`: the first record always fits; later ones fit if
    /// the estimated bytes written plus the new record's uncompressed size stay within the
    /// write limit ("be conservative and not take compression of the new record into
    /// consideration").
    pub fn has_room_for(&self, timestamp_ms: i64, key_len: Option<u32>, value_len: u32) -> bool {
        if self.is_full() {
            return false;
        }
        if self.records == 0 {
            return true;
        }
        let record = self.next_record_size(timestamp_ms, key_len, value_len);
        self.write_limit as u64 >= self.estimated_size() as u64 + record as u64
    }

    /// Appends one record, returns its size in bytes. `value` holds the bytes when
    /// `needs_bytes()`, else may be empty with `value_len` giving the size.
    pub fn append(
        &mut self,
        timestamp_ms: i64,
        key: Option<&[u8]>,
        value: &[u8],
        value_len: u32,
    ) -> u32 {
        let offset_delta = self.records as i32;
        let timestamp_delta = timestamp_ms.saturating_sub(self.base_timestamp_ms);
        let size = if self.needs_bytes() {
            debug_assert_eq!(
                value.len() as u32,
                value_len,
                "value bytes and length differ"
            );
            write_record(
                &mut self.buf,
                offset_delta,
                timestamp_delta,
                key,
                Some(value),
            )
        } else {
            record_size_in_bytes(
                offset_delta,
                timestamp_delta,
                key.map(|k| k.len() as u32),
                Some(value_len),
            )
        };
        self.records += 1;
        self.uncompressed_records_bytes = self.uncompressed_records_bytes.saturating_add(size);
        size
    }

    /// Deflates a gzip batch's records in [`GZIP_STREAM_CHUNK`] pieces as they arrive,
    /// so closing a large batch does not compress it all at once (Kafka's producer, too,
    /// compresses records as it appends them).
    pub fn compress_ahead(&mut self, compressor: &mut Compressor) {
        if self.codec != CompressionType::Gzip {
            return;
        }
        let fed = self.gzip.0.as_ref().map_or(0, |g| g.fed());
        if self.buf.len() >= fed + GZIP_STREAM_CHUNK {
            self.gzip
                .0
                .get_or_insert_with(|| GzipStream::new(compressor))
                .feed(&self.buf);
        }
    }

    /// `MemoryRecordsBuilder.isFull`: only after the first record (so batch.size 0 still
    /// makes one-record batches), when the estimated bytes written reach the write limit.
    #[inline(always)] // asked per record (see `estimated_size`)
    pub fn is_full(&self) -> bool {
        self.records > 0 && self.write_limit <= self.estimated_size()
    }

    pub fn records(&self) -> u32 {
        self.records
    }

    /// Size of the records section before compression.
    pub fn uncompressed_records_bytes(&self) -> u32 {
        self.uncompressed_records_bytes
    }

    /// The records section's bytes written so far (empty with codec `none`).
    pub fn records_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// `MemoryRecordsBuilder.estimatedBytesWritten`: exact without compression; with a
    /// codec, `61 + (int) (uncompressed * estimatedRatio * 1.05f)` in Java float arithmetic.
    // Inlined: asked per record, and a call in the size-optimised browser build otherwise.
    #[inline(always)]
    pub fn estimated_size(&self) -> u32 {
        if self.codec == CompressionType::None {
            RECORD_BATCH_OVERHEAD.saturating_add(self.uncompressed_records_bytes)
        } else {
            let estimate = self.uncompressed_records_bytes as f32
                * self.estimated_ratio
                * COMPRESSION_RATE_ESTIMATION_FACTOR;
            RECORD_BATCH_OVERHEAD.saturating_add(estimate as u32)
        }
    }

    /// Closes the batch (`MemoryRecordsBuilder.close`), compressing the records section for
    /// real. An empty builder closes to an empty batch of 0 bytes (`MemoryRecords.EMPTY`).
    pub fn close(self, compressor: &mut Compressor) -> BuiltBatch {
        if self.records == 0 {
            return BuiltBatch {
                records: 0,
                uncompressed_size: 0,
                size_in_bytes: 0,
            };
        }
        let uncompressed_size =
            RECORD_BATCH_OVERHEAD.saturating_add(self.uncompressed_records_bytes);
        let size_in_bytes = if let Some(stream) = self.gzip.0 {
            RECORD_BATCH_OVERHEAD.saturating_add(stream.finish(&self.buf, compressor).len() as u32)
        } else if self.needs_bytes() {
            RECORD_BATCH_OVERHEAD.saturating_add(compressor.compressed_len(self.codec, &self.buf))
        } else {
            uncompressed_size
        };
        BuiltBatch {
            records: self.records,
            uncompressed_size,
            size_in_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_gzip_batch_compressed_ahead_has_the_size_of_one_compressed_at_close() {
        let mut compressor = Compressor::default();
        let mut ahead = RecordsBuilder::new(CompressionType::Gzip, 1 << 20, 0, 1.0);
        let value: Vec<u8> = (0..200u32)
            .map(|i| b"{\"id\":12,\"x\":}"[i as usize % 14])
            .collect();
        for i in 0..4_000 {
            let key = format!("key-{}", i % 97);
            ahead.append(i, Some(key.as_bytes()), &value, value.len() as u32);
            ahead.compress_ahead(&mut compressor);
        }
        assert!(ahead.gzip.0.as_ref().is_some_and(|g| g.fed() >= 700_000));
        // A clone has no stream: it compresses everything when it closes.
        let at_close = ahead.clone();
        assert!(at_close.gzip.0.is_none());
        let streamed = ahead.close(&mut compressor);
        let whole = at_close.close(&mut compressor);
        assert_eq!(streamed, whole);
        assert!(streamed.compression_ratio() < 0.5);
    }

    fn varint_bytes(value: i32) -> Vec<u8> {
        let mut out = Vec::new();
        write_varint(value, &mut out);
        out
    }

    fn varlong_bytes(value: i64) -> Vec<u8> {
        let mut out = Vec::new();
        write_varlong(value, &mut out);
        out
    }

    /// Protobuf's zig-zag decoding, written independently of the encoder.
    fn read_varlong(bytes: &[u8], pos: &mut usize) -> i64 {
        let mut raw = 0u64;
        let mut shift = 0;
        loop {
            let b = bytes[*pos];
            *pos += 1;
            raw |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        ((raw >> 1) as i64) ^ -((raw & 1) as i64)
    }

    #[test]
    fn zig_zag_varints_match_protobuf_encodings() {
        assert_eq!(varint_bytes(0), [0x00]);
        assert_eq!(varint_bytes(-1), [0x01]);
        assert_eq!(varint_bytes(1), [0x02]);
        assert_eq!(varint_bytes(-2), [0x03]);
        assert_eq!(varint_bytes(63), [0x7e]);
        assert_eq!(varint_bytes(-64), [0x7f]);
        assert_eq!(varint_bytes(64), [0x80, 0x01]);
        assert_eq!(varint_bytes(300), [0xd8, 0x04]);
        assert_eq!(varint_bytes(i32::MAX), [0xfe, 0xff, 0xff, 0xff, 0x0f]);
        assert_eq!(varint_bytes(i32::MIN), [0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert_eq!(varlong_bytes(i64::MIN).len(), 10);
        assert_eq!(varlong_bytes(i64::MAX).len(), 10);
    }

    #[test]
    fn varint_size_boundaries() {
        // Zig-zag doubles the magnitude: 63 -> 126 (1 byte), 64 -> 128 (2 bytes).
        assert_eq!(size_of_varint(63), 1);
        assert_eq!(size_of_varint(64), 2);
        assert_eq!(size_of_varint(-64), 1);
        assert_eq!(size_of_varint(-65), 2);
        // 8191 -> 16382 < 2^14 (2 bytes); 8192 -> 16384 (3 bytes).
        assert_eq!(size_of_varint(8191), 2);
        assert_eq!(size_of_varint(8192), 3);
        assert_eq!(size_of_varint(1_048_575), 3);
        assert_eq!(size_of_varint(1_048_576), 4);
        assert_eq!(size_of_varint(i32::MAX), 5);
        assert_eq!(size_of_varlong(0), 1);
        assert_eq!(size_of_varlong(63), 1);
        assert_eq!(size_of_varlong(64), 2);
        assert_eq!(size_of_varlong(1 << 34), 6);
    }

    #[test]
    fn varint_sizes_equal_written_lengths() {
        let mut values: Vec<i64> = vec![i64::MIN, i64::MAX, i32::MIN as i64, i32::MAX as i64];
        for shift in 0..63 {
            let p = 1i64 << shift;
            values.extend_from_slice(&[p - 1, p, p + 1, -p, -p - 1]);
        }
        for v in values {
            assert_eq!(size_of_varlong(v) as usize, varlong_bytes(v).len(), "{v}");
            let mut pos = 0;
            assert_eq!(read_varlong(&varlong_bytes(v), &mut pos), v);
            if let Ok(v32) = i32::try_from(v) {
                assert_eq!(
                    size_of_varint(v32) as usize,
                    varint_bytes(v32).len(),
                    "{v32}"
                );
            }
        }
    }

    #[test]
    fn worked_example_null_key_100_byte_value() {
        // Body: attributes 1 + timestampDelta 0 (1) + offsetDelta 0 (1) + keyLength -1 (1)
        // + valueLength 100 (zig-zag 200: 2) + value 100 + headersCount 0 (1) = 107.
        // Length varint of 107 (zig-zag 214: 2 bytes) -> 109 bytes.
        assert_eq!(record_body_size(0, 0, None, Some(100)), 107);
        assert_eq!(record_size_in_bytes(0, 0, None, Some(100)), 109);

        let mut b = RecordsBuilder::new(CompressionType::None, 16_384, 1000, 1.0);
        assert_eq!(b.append(1000, None, &[], 100), 109);
        let batch = b.close(&mut Compressor::default());
        assert_eq!(batch.size_in_bytes, 170);
        assert_eq!(batch.uncompressed_size, 170);
        assert_eq!(batch.records, 1);
        assert_eq!(batch.compression_ratio(), 1.0);
    }

    #[test]
    fn keyed_record_sizes() {
        // "key-42": keyLength 6 (1) + 6; value 200: valueLength (zig-zag 400: 2) + 200.
        // Body 1 + 1 + 1 + 7 + 202 + 1 = 213 (zig-zag 426: 2-byte length) -> 215.
        assert_eq!(record_size_in_bytes(0, 0, Some(6), Some(200)), 215);
        // An empty key is a key: keyLength 0 (1 byte) and no key bytes, same size as null.
        assert_eq!(
            record_size_in_bytes(0, 0, Some(0), Some(10)),
            record_size_in_bytes(0, 0, None, Some(10))
        );
        // A 100-byte key: keyLength 100 (2) + 100; value 1000 (2) + 1000.
        // Body 1 + 1 + 1 + 102 + 1002 + 1 = 1108 -> 2-byte length -> 1110.
        assert_eq!(record_size_in_bytes(0, 0, Some(100), Some(1000)), 1110);
        // A null value (tombstone) costs one byte for valueLength -1: length 1 + attributes 1
        // + timestampDelta 1 + offsetDelta 1 + keyLength 1 + key 3 + valueLength 1 + headers 1.
        assert_eq!(record_size_in_bytes(0, 0, Some(3), None), 10);
    }

    #[test]
    fn multi_record_batch_total() {
        // r0: ts 0, offset 0, null key, 10-byte value: body 1+1+1+1+1+10+1 = 16 -> 17.
        // r1: ts +5, offset 1, 100 bytes: body 1+1+1+1+2+100+1 = 107 -> 109.
        // r2: ts +100 (zig-zag 200: 2), offset 2, 1000 bytes: body 1+2+1+1+2+1000+1
        //     = 1008 -> 1010.
        // Batch: 61 + 17 + 109 + 1010 = 1197.
        let mut b = RecordsBuilder::new(CompressionType::None, 16_384, 50_000, 1.0);
        assert_eq!(b.append(50_000, None, &[], 10), 17);
        assert_eq!(b.append(50_005, None, &[], 100), 109);
        assert_eq!(b.append(50_100, None, &[], 1000), 1010);
        assert_eq!(b.estimated_size(), 1197);
        assert_eq!(b.close(&mut Compressor::default()).size_in_bytes, 1197);
    }

    #[test]
    fn breakdown_sums_to_record_size() {
        let br = record_size_breakdown(2, 100, Some(6), Some(1000));
        assert_eq!(
            br,
            RecordSizeBreakdown {
                length_varint: 2,
                attributes: 1,
                timestamp_delta: 2,
                offset_delta: 1,
                key_length: 1,
                key: 6,
                value_length: 2,
                value: 1000,
                headers_count: 1,
            }
        );
        for (offset, ts, key, value) in [
            (0, 0, None, Some(100)),
            (64, 8192, Some(0), Some(8191)),
            (5000, -3, Some(300), None),
        ] {
            let br = record_size_breakdown(offset, ts, key, value);
            assert_eq!(br.total(), record_size_in_bytes(offset, ts, key, value));
            assert_eq!(br.fields().iter().map(|f| f.1).sum::<u32>(), br.total());
        }
    }

    #[test]
    fn written_bytes_parse_back_field_by_field() {
        let mut out = Vec::new();
        let n = write_record(&mut out, 3, 250, Some(b"user-7"), Some(b"{\"a\":1}"));
        assert_eq!(n as usize, out.len());
        assert_eq!(n, record_size_in_bytes(3, 250, Some(6), Some(7)));
        let mut pos = 0;
        let body = read_varlong(&out, &mut pos);
        assert_eq!(body as usize, out.len() - pos);
        assert_eq!(out[pos], 0, "attributes");
        pos += 1;
        assert_eq!(read_varlong(&out, &mut pos), 250, "timestampDelta");
        assert_eq!(read_varlong(&out, &mut pos), 3, "offsetDelta");
        assert_eq!(read_varlong(&out, &mut pos), 6, "keyLength");
        assert_eq!(&out[pos..pos + 6], b"user-7");
        pos += 6;
        assert_eq!(read_varlong(&out, &mut pos), 7, "valueLength");
        assert_eq!(&out[pos..pos + 7], b"{\"a\":1}");
        pos += 7;
        assert_eq!(read_varlong(&out, &mut pos), 0, "headersCount");
        assert_eq!(pos, out.len());

        let mut null_key = Vec::new();
        write_record(&mut null_key, 0, 0, None, Some(b"v"));
        // Body 7 bytes (zig-zag 14), attributes, ts 0, offset 0, key -1, value length 1, 'v', 0 headers.
        assert_eq!(null_key, [0x0e, 0x00, 0x00, 0x00, 0x01, 0x02, b'v', 0x00]);
    }

    #[test]
    fn uncompressed_batch_fills_to_batch_size() {
        // 100-byte null-key values at one timestamp: 109 bytes while offsetDelta < 64,
        // 110 bytes from offsetDelta 64 (2-byte varint). 61 + 64*109 = 7037; then 84 more
        // of 110 reach 16277, and a 149th record (16387) would pass 16384.
        let mut b = RecordsBuilder::new(CompressionType::None, 16_384, 0, 1.0);
        while b.has_room_for(0, None, 100) {
            b.append(0, None, &[], 100);
        }
        assert_eq!(b.records(), 148);
        assert_eq!(b.estimated_size(), 16_277);
        assert!(!b.is_full(), "not full, just no room for one more record");
        assert!(
            b.records_bytes().is_empty(),
            "no bytes written without a codec"
        );
    }

    #[test]
    fn first_record_always_fits() {
        let big = 20_000;
        // estimateBatchSizeUpperBound: 61 + 21 + keyLength 1 + valueLength 3 + 20000 + 1.
        assert_eq!(estimate_batch_size_upper_bound(None, Some(big)), 20_087);
        let limit = producer_buffer_size(16_384, None, Some(big));
        assert_eq!(limit, 20_087);
        assert_eq!(producer_buffer_size(16_384, None, Some(100)), 16_384);

        let mut b = RecordsBuilder::new(CompressionType::None, 16_384, 0, 1.0);
        assert!(b.has_room_for(0, None, big));
        b.append(0, None, &[], big);
        assert!(b.is_full());
        assert!(!b.has_room_for(0, None, 1));
    }

    #[test]
    fn batch_size_zero_gives_one_record_batches() {
        let limit = producer_buffer_size(0, None, Some(100));
        assert_eq!(limit, 61 + 21 + 1 + 2 + 100 + 1);
        let mut b = RecordsBuilder::new(CompressionType::None, limit, 0, 1.0);
        assert!(b.has_room_for(0, None, 100));
        b.append(0, None, &[], 100);
        assert!(!b.has_room_for(0, None, 100));
    }

    fn json_value(i: u32) -> Vec<u8> {
        format!(
            "{{\"user\":{},\"event\":\"click\",\"page\":\"/products/{}\",\"ms\":{}}}",
            i * 7919 % 1000,
            i % 37,
            1_700_000_000_000u64 + i as u64
        )
        .into_bytes()
    }

    #[test]
    fn compressed_batch_uses_the_ratio_estimate() {
        // Estimate 1.0: estimatedBytesWritten = 61 + (int) (U * 1.05f). With 109/110-byte
        // records, after 64 + 76 records U = 15336 -> 61 + 16102 + 110 = 16273 fits; after
        // 64 + 77, 61 + 16218 + 110 = 16389 does not: 141 records.
        let value = [b'x'; 100];
        let mut b = RecordsBuilder::new(CompressionType::Lz4, 16_384, 0, 1.0);
        while b.has_room_for(0, None, 100) {
            b.append(0, None, &value, 100);
        }
        assert_eq!(b.records(), 141);
        assert_eq!(b.uncompressed_records_bytes(), 64 * 109 + 77 * 110);
        assert_eq!(b.estimated_size(), 61 + 16_218);

        // A better estimate lets about twice as many records in.
        let mut b = RecordsBuilder::new(CompressionType::Lz4, 16_384, 0, 0.5);
        while b.has_room_for(0, None, 100) {
            b.append(0, None, &value, 100);
        }
        assert!(b.records() > 270, "{}", b.records());
        let uncompressed = b.uncompressed_records_bytes();
        assert!(61 + (uncompressed as f32 * 0.525) as u32 <= 16_384);
    }

    #[test]
    fn compressed_close_compresses_the_real_records() {
        let mut compressor = Compressor::default();
        let mut b = RecordsBuilder::new(CompressionType::Lz4, 16_384, 1_000, 1.0);
        let mut expected_records = Vec::new();
        let mut i = 0;
        while b.has_room_for(1_000 + i as i64, Some(4), json_value(i).len() as u32) {
            let key = format!("k{:03}", i % 100);
            let value = json_value(i);
            let size = b.append(
                1_000 + i as i64,
                Some(key.as_bytes()),
                &value,
                value.len() as u32,
            );
            write_record(
                &mut expected_records,
                i as i32,
                i as i64,
                Some(key.as_bytes()),
                Some(&value),
            );
            assert_eq!(
                size,
                record_size_in_bytes(i as i32, i as i64, Some(4), Some(value.len() as u32))
            );
            i += 1;
        }
        assert_eq!(b.records_bytes(), &expected_records[..]);
        let compressed_len = compressor.compressed_len(CompressionType::Lz4, &expected_records);
        let batch = b.close(&mut compressor);
        assert_eq!(batch.records, i);
        assert_eq!(batch.uncompressed_size, 61 + expected_records.len() as u32);
        assert_eq!(batch.size_in_bytes, 61 + compressed_len);
        assert!(batch.size_in_bytes < batch.uncompressed_size / 2);
        let ratio = batch.compression_ratio();
        assert_eq!(ratio, compressed_len as f32 / expected_records.len() as f32);
        assert_eq!(batch.compression_rate(), ratio as f64);
    }

    #[test]
    fn ratio_estimate_differs_by_codec_and_data() {
        let close_with = |codec: CompressionType, value: &dyn Fn(u32) -> Vec<u8>| {
            let mut b = RecordsBuilder::new(codec, 16_384, 0, 1.0);
            let mut i = 0;
            while b.has_room_for(0, None, value(i).len() as u32) {
                let v = value(i);
                b.append(0, None, &v, v.len() as u32);
                i += 1;
            }
            b.close(&mut Compressor::default()).compression_ratio()
        };
        let text = |_: u32| b"the same log line, over and over again".to_vec();
        let gzip_json = close_with(CompressionType::Gzip, &json_value);
        let lz4_json = close_with(CompressionType::Lz4, &json_value);
        let gzip_text = close_with(CompressionType::Gzip, &text);
        assert!(gzip_json < lz4_json, "{gzip_json} {lz4_json}");
        assert!(gzip_text < gzip_json / 2.0, "{gzip_text} {gzip_json}");
    }

    #[test]
    fn estimator_moves_like_kafkas() {
        let mut e = CompressionRatioEstimator::default();
        assert_eq!(e.estimation(), 1.0);
        // Better than expected: down by at most 0.005 per batch.
        assert_eq!(e.update(0.4), 1.0 - 0.005);
        for _ in 0..200 {
            e.update(0.4);
        }
        assert_eq!(e.estimation(), 0.4, "stops at the observed ratio");
        // Worse than expected: up at once, by at least 0.05.
        assert_eq!(e.update(0.42), 0.4 + 0.05);
        assert_eq!(e.update(0.9), 0.9);
        // Equal: unchanged.
        assert_eq!(e.update(0.9), 0.9);
        e.set(1.0f32.max(0.3));
        assert_eq!(e.estimation(), 1.0);
    }

    #[test]
    fn empty_builder_closes_to_nothing() {
        let b = RecordsBuilder::new(CompressionType::Gzip, 16_384, 0, 1.0);
        assert!(!b.is_full());
        let batch = b.close(&mut Compressor::default());
        assert_eq!(batch.size_in_bytes, 0);
        assert_eq!(batch.records, 0);
        assert_eq!(batch.compression_ratio(), 1.0);
    }
}
