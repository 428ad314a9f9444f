//! Record batch v2 sizes and bytes (`DefaultRecordBatch.java`, `DefaultRecord.java`,
//! `MemoryRecordsBuilder.java`).
//!
//! STUB: the record helper implements this file (API below is the contract).

use super::compression::Compressor;
use super::config::CompressionType;

/// `DefaultRecordBatch.RECORD_BATCH_OVERHEAD`.
pub const RECORD_BATCH_OVERHEAD: u32 = 61;

/// `DefaultRecord.sizeInBytes`, including the record's own length varint; no headers.
pub fn record_size_in_bytes(
    offset_delta: i32,
    timestamp_delta: i64,
    key_len: Option<u32>,
    value_len: Option<u32>,
) -> u32 {
    let _ = (offset_delta, timestamp_delta);
    8 + key_len.unwrap_or(0) + value_len.unwrap_or(0)
}

/// The producer's running estimate of how well a topic compresses
/// (`CompressionRatioEstimator`), which decides when a compressed batch is full.
#[derive(Clone, Debug)]
pub struct CompressionRatioEstimator {
    pub ratio: f32,
}

impl Default for CompressionRatioEstimator {
    fn default() -> Self {
        CompressionRatioEstimator { ratio: 1.0 }
    }
}

impl CompressionRatioEstimator {
    pub fn update(&mut self, observed: f32) {
        self.ratio = observed;
    }
}

/// One batch being filled (`MemoryRecordsBuilder`).
#[derive(Clone, Debug)]
pub struct RecordsBuilder {
    codec: CompressionType,
    write_limit: u32,
    base_timestamp_ms: i64,
    estimated_ratio: f32,
    records: u32,
    uncompressed_records_bytes: u32,
    buf: Vec<u8>,
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
    /// `compressed / uncompressed`, as Kafka's `compression-rate` metric reports it.
    pub fn compression_rate(&self) -> f64 {
        self.size_in_bytes as f64 / self.uncompressed_size.max(1) as f64
    }
}

impl RecordsBuilder {
    pub fn new(
        codec: CompressionType,
        write_limit: u32,
        base_timestamp_ms: i64,
        estimated_ratio: f32,
    ) -> Self {
        RecordsBuilder {
            codec,
            write_limit,
            base_timestamp_ms,
            estimated_ratio,
            records: 0,
            uncompressed_records_bytes: 0,
            buf: Vec::new(),
        }
    }
    /// Whether real record bytes are needed (only when compressing).
    pub fn needs_bytes(&self) -> bool {
        self.codec != CompressionType::None
    }
    /// `MemoryRecordsBuilder.hasRoomFor`.
    pub fn has_room_for(&self, timestamp_ms: i64, key_len: Option<u32>, value_len: u32) -> bool {
        let _ = (
            timestamp_ms,
            key_len,
            value_len,
            self.write_limit,
            self.estimated_ratio,
        );
        true
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
        let size = record_size_in_bytes(
            self.records as i32,
            timestamp_ms - self.base_timestamp_ms,
            key.map(|k| k.len() as u32),
            Some(value_len),
        );
        let _ = (&self.buf, value);
        self.records += 1;
        self.uncompressed_records_bytes += size;
        size
    }
    pub fn is_full(&self) -> bool {
        false
    }
    pub fn records(&self) -> u32 {
        self.records
    }
    /// Estimated bytes written so far (`estimatedBytesWritten`).
    pub fn estimated_size(&self) -> u32 {
        RECORD_BATCH_OVERHEAD + self.uncompressed_records_bytes
    }
    /// Closes the batch, compressing the records section for real.
    pub fn close(self, compressor: &mut Compressor) -> BuiltBatch {
        let _ = compressor;
        let size = RECORD_BATCH_OVERHEAD + self.uncompressed_records_bytes;
        BuiltBatch {
            records: self.records,
            uncompressed_size: size,
            size_in_bytes: size,
        }
    }
}
