//! Real compression of a batch's records section, framed the way each Kafka codec
//! frames it (`clients/.../common/compress/*Compression.java`).
//!
//! The producer compresses only the records section: the 61-byte batch header stays
//! plain, so a compressed batch is `61 + compressed.len()` bytes
//! (`MemoryRecordsBuilder.writeDefaultBatchHeader`).
//!
//! Where the bytes differ from the Java producer's:
//! - gzip: the same bytes. Same framing (10-byte header, raw deflate, CRC-32 and length
//!   trailer), and the deflate stream comes from `zlib-deflate`, which writes zlib's
//!   bytes at every level (the zlib that `java.util.zip.Deflater` runs).
//! - snappy: same snappy-java framing; `snap` is a port of Google's snappy, the library
//!   snappy-java wraps, so sizes are the same or very close.
//! - lz4: same frame (64 KiB independent blocks, no checksums) and, at Kafka's default
//!   `compression.lz4.level` 9, the same bytes: Kafka then uses lz4-java's *fast*
//!   compressor, which [`lz4`] reproduces byte for byte. Any other level makes Kafka use
//!   LZ4 HC, which is not modelled, so for those levels the simulated batches are larger
//!   than Kafka's (see [`fidelity_note`]).
//! - zstd: ruzstd 0.9 implements only its "Fastest" level (about zstd level 1); every
//!   `compression.zstd.level` uses it, so batches are somewhat larger than Kafka's at its
//!   default level 3 and much larger than at high levels.

mod lz4;

use ruzstd::encoding::{CompressionLevel, FrameCompressor};
use zlib_deflate::Deflater;

use super::config::{CompressionType, ProducerConfig};

/// `java.util.zip.GZIPOutputStream`'s 10-byte header: magic 1f 8b, method 8 (deflate),
/// no flags, mtime 0, no extra flags, then an OS byte (255, "unknown", here; its value
/// never changes the size).
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff];

/// snappy-java's stream header (`SnappyCodec`): the 8-byte magic `-126 'S' 'N' 'A' 'P'
/// 'P' 'Y' 0`, then version 1 and minimum compatible version 1 as big-endian ints.
const SNAPPY_JAVA_HEADER: [u8; 16] = [
    0x82, b'S', b'N', b'A', b'P', b'P', b'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1,
];

/// `SnappyOutputStream.DEFAULT_BLOCK_SIZE` (snappy-java 1.1.10.x, the version Kafka 4.x ships).
pub const SNAPPY_JAVA_BLOCK_SIZE: usize = 32 * 1024;

/// The LZ4 frame header Kafka writes (`Lz4BlockOutputStream.writeHeader`): magic
/// 0x184D2204 little-endian, FLG 0x60 (version 1, independent blocks, no block or
/// content checksum, no content size), BD 0x40 (64 KiB blocks), then the descriptor
/// checksum byte `(xxhash32(FLG, BD) >> 8) & 0xff` = 0x82.
const LZ4_FRAME_HEADER: [u8; 7] = [0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82];

/// `Lz4BlockOutputStream.BLOCKSIZE_64KB`: 1 << (2 * 4 + 8).
pub const LZ4_BLOCK_SIZE: usize = 64 * 1024;

/// `Lz4BlockOutputStream.LZ4_FRAME_INCOMPRESSIBLE_MASK`: a block stored uncompressed.
const LZ4_INCOMPRESSIBLE: u32 = 0x8000_0000;

/// Kafka's default `compression.lz4.level`; the only level at which Kafka uses
/// lz4-java's fast compressor (`Lz4BlockOutputStream` constructor).
pub const LZ4_DEFAULT_LEVEL: i32 = 9;

/// Codec levels as configured (`compression.gzip.level`, `compression.lz4.level`,
/// `compression.zstd.level`, KIP-390).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompressionLevels {
    pub gzip: i32,
    pub lz4: i32,
    pub zstd: i32,
}

impl Default for CompressionLevels {
    /// Kafka's defaults: gzip -1 (zlib's default, 6), lz4 9, zstd 3 (`CompressionType.java`).
    fn default() -> Self {
        CompressionLevels {
            gzip: -1,
            lz4: LZ4_DEFAULT_LEVEL,
            zstd: 3,
        }
    }
}

impl From<&ProducerConfig> for CompressionLevels {
    fn from(config: &ProducerConfig) -> Self {
        CompressionLevels {
            gzip: config.compression_gzip_level,
            lz4: config.compression_lz4_level,
            zstd: config.compression_zstd_level,
        }
    }
}

/// The deflate level Java's `Deflater` would use: -1 (`DEFAULT_COMPRESSION`) is zlib's 6;
/// out-of-range values (refused by Kafka's config validation) are clamped, never a panic.
fn gzip_deflate_level(level: i32) -> u8 {
    if level == -1 {
        6
    } else {
        level.clamp(1, 9) as u8
    }
}

/// Where the simulated compressed size departs from the Java producer's for `codec` at
/// these levels, in one sentence for the UI; `None` where it matches closely.
pub fn fidelity_note(codec: CompressionType, levels: CompressionLevels) -> Option<&'static str> {
    match codec {
        CompressionType::None | CompressionType::Snappy | CompressionType::Gzip => None,
        CompressionType::Lz4 if levels.lz4 == LZ4_DEFAULT_LEVEL => None,
        CompressionType::Lz4 => Some(
            "At this level Kafka uses LZ4 HC; the simulator has only the fast LZ4 compressor, \
             so its batches are somewhat larger than Kafka's.",
        ),
        CompressionType::Zstd => Some(
            "The pure-Rust zstd encoder has only a level-1-like mode: batches are somewhat \
             larger than Kafka's at level 3 and much larger than at high levels.",
        ),
    }
}

/// How fast one core compresses with `codec` at these levels, in MB of input per second.
///
/// The producer compresses in the application thread as `send()` appends to a batch
/// (`MemoryRecordsBuilder` writes through the codec's output stream), so this bounds how
/// fast one producer can send. Figures are lzbench 1.8 on one core of an Intel Core
/// i7-8700K over the Silesia corpus (inikep/lzbench README): lz4 737, lz4hc -1/-4/-9/-12
/// 131/81/33/11, zlib -1/-6/-9 119/35/14, zstd -1/-2/-5/-8/-11/-15/-18/-22
/// 480/356/104/46/20/7.12/3.58/2.28 MB/s; snappy 560 MB/s from the facebook/zstd README's
/// table (Core i7-9700K). Levels between the measured ones are interpolated on a log
/// scale. The Java producer's codecs (JDK zlib, lz4-java, snappy-java and zstd-jni) run
/// the same native algorithms.
pub fn compression_speed_mbps(codec: CompressionType, levels: CompressionLevels) -> f64 {
    const GZIP: &[(i32, f64)] = &[(1, 119.0), (6, 35.0), (9, 14.0)];
    const LZ4HC: &[(i32, f64)] = &[(1, 131.0), (4, 81.0), (9, 33.0), (12, 11.0)];
    const ZSTD: &[(i32, f64)] = &[
        (1, 480.0),
        (2, 356.0),
        (5, 104.0),
        (8, 46.0),
        (11, 20.0),
        (15, 7.12),
        (18, 3.58),
        (22, 2.28),
    ];
    match codec {
        CompressionType::None => f64::INFINITY,
        CompressionType::Snappy => 560.0,
        // Kafka uses the fast LZ4 compressor at the default level and LZ4 HC otherwise.
        CompressionType::Lz4 if levels.lz4 == LZ4_DEFAULT_LEVEL => 737.0,
        CompressionType::Lz4 => interpolate(LZ4HC, levels.lz4),
        CompressionType::Gzip => interpolate(GZIP, if levels.gzip < 0 { 6 } else { levels.gzip }),
        // zstd's negative ("fast") levels are at least as fast as level 1.
        CompressionType::Zstd => interpolate(ZSTD, levels.zstd.max(1)),
    }
}

/// CRC-32 (IEEE, reflected, as gzip's trailer uses), eight bytes at a time ("slicing by
/// 8"). The tables are built on first use rather than stored: 8 KiB of table in the
/// bundle would cost as much as a page section.
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    static TABLES: std::sync::OnceLock<[[u32; 256]; 8]> = std::sync::OnceLock::new();
    let t = TABLES.get_or_init(|| {
        let mut t = [[0u32; 256]; 8];
        for (i, entry) in t[0].iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *entry = c;
        }
        for i in 0..256 {
            for k in 1..8 {
                let prev = t[k - 1][i];
                t[k][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            }
        }
        t
    });
    let byte = |word: u32, shift: u32| ((word >> shift) & 0xff) as usize;
    let mut c = !0u32;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let lo = u32::from_le_bytes([w[0], w[1], w[2], w[3]]) ^ c;
        let hi = u32::from_le_bytes([w[4], w[5], w[6], w[7]]);
        c = t[7][byte(lo, 0)]
            ^ t[6][byte(lo, 8)]
            ^ t[5][byte(lo, 16)]
            ^ t[4][byte(lo, 24)]
            ^ t[3][byte(hi, 0)]
            ^ t[2][byte(hi, 8)]
            ^ t[1][byte(hi, 16)]
            ^ t[0][byte(hi, 24)];
    }
    for &b in words.remainder() {
        c = t[0][((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// Log-scale interpolation in a table of (level, MB/s), clamped to its ends.
fn interpolate(table: &[(i32, f64)], level: i32) -> f64 {
    let (first, last) = (table[0], table[table.len() - 1]);
    if level <= first.0 {
        return first.1;
    }
    if level >= last.0 {
        return last.1;
    }
    let i = table
        .iter()
        .position(|&(l, _)| l >= level)
        .unwrap_or(table.len() - 1);
    if table[i].0 == level {
        return table[i].1;
    }
    let ((l0, s0), (l1, s1)) = (table[i - 1], table[i]);
    let t = (level - l0) as f64 / (l1 - l0) as f64;
    (s0.ln() + t * (s1.ln() - s0.ln())).exp()
}

/// The gzip trailer: CRC-32 and length of the uncompressed bytes.
fn push_gzip_trailer(out: &mut Vec<u8>, records: &[u8]) {
    out.extend_from_slice(&crc32(records).to_le_bytes());
    out.extend_from_slice(&(records.len() as u32).to_le_bytes());
}

/// Uncompressed bytes a large gzip batch feeds its [`GzipStream`] at a time.
pub const GZIP_STREAM_CHUNK: usize = 16 * 1024;

/// A gzip member written while its batch fills up, the way Kafka's `GZIPOutputStream`
/// deflates records as they are appended (`MemoryRecordsBuilder.appendStream`). A large
/// batch is then compressed in pieces, so no single step of the simulation (a slice of
/// work in the browser) compresses a whole megabyte; the bytes are the same as
/// compressing it in one go (pinned by a test).
pub struct GzipStream {
    deflater: Deflater,
    out: Vec<u8>,
    /// Uncompressed bytes fed so far.
    fed: usize,
}

impl std::fmt::Debug for GzipStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GzipStream")
            .field("fed", &self.fed)
            .field("out", &self.out.len())
            .finish_non_exhaustive()
    }
}

impl GzipStream {
    /// A stream using one of `compressor`'s spare deflate states.
    pub fn new(compressor: &mut Compressor) -> Self {
        GzipStream {
            deflater: compressor.take_deflater(),
            out: GZIP_HEADER.to_vec(),
            fed: 0,
        }
    }

    /// Uncompressed bytes fed so far.
    pub fn fed(&self) -> usize {
        self.fed
    }

    /// Deflates what `records` (the batch's records so far) holds beyond what was fed.
    pub fn feed(&mut self, records: &[u8]) {
        let new = &records[self.fed.min(records.len())..];
        self.deflater.write(new, &mut self.out);
        self.fed = records.len();
    }

    /// The whole gzip member for `records`, the batch's complete records section; the
    /// deflate state goes back to `compressor`.
    pub fn finish(mut self, records: &[u8], compressor: &mut Compressor) -> Vec<u8> {
        let rest = &records[self.fed.min(records.len())..];
        self.deflater.write(rest, &mut self.out);
        self.deflater.finish(&mut self.out);
        push_gzip_trailer(&mut self.out, records);
        compressor.spare_deflaters.push(self.deflater);
        self.out
    }
}

/// Reusable compression state: one per simulation, so each batch reuses the output
/// buffer, the deflate state and snappy's hash table instead of allocating.
pub struct Compressor {
    levels: CompressionLevels,
    /// The framed compressed bytes of the last batch.
    out: Vec<u8>,
    snappy: snap::raw::Encoder,
    /// Room for one compressed LZ4 block.
    lz4_block: Vec<u8>,
    /// Deflaters kept for reuse (they are large): one for each [`GzipStream`] open at
    /// once, plus one for gzip in one go. Each is ready for a new stream.
    spare_deflaters: Vec<Deflater>,
}

impl std::fmt::Debug for Compressor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compressor")
            .field("levels", &self.levels)
            .finish_non_exhaustive()
    }
}

impl Default for Compressor {
    fn default() -> Self {
        Compressor::new(CompressionLevels::default())
    }
}

impl Compressor {
    pub fn new(levels: CompressionLevels) -> Self {
        Compressor {
            levels,
            out: Vec::new(),
            snappy: snap::raw::Encoder::new(),
            lz4_block: Vec::new(),
            spare_deflaters: Vec::new(),
        }
    }

    pub fn levels(&self) -> CompressionLevels {
        self.levels
    }

    /// Compressed size of `records` (the batch's records section) with `codec`, in that
    /// codec's Kafka framing; `records.len()` for `none`.
    pub fn compressed_len(&mut self, codec: CompressionType, records: &[u8]) -> u32 {
        self.compress(codec, records).len() as u32
    }

    /// The compressed, framed bytes of `records` with `codec` (`records` itself for
    /// `none`). Valid until the next call.
    pub fn compress<'a>(&'a mut self, codec: CompressionType, records: &'a [u8]) -> &'a [u8] {
        match codec {
            CompressionType::None => return records,
            CompressionType::Gzip => self.gzip(records),
            CompressionType::Snappy => self.snappy(records),
            CompressionType::Lz4 => self.lz4(records),
            CompressionType::Zstd => self.zstd(records),
        }
        &self.out
    }

    /// `GzipCompression.wrapForOutput`: a `GZIPOutputStream` at the configured level.
    fn gzip(&mut self, records: &[u8]) {
        self.out.clear();
        self.out.extend_from_slice(&GZIP_HEADER);
        let mut deflater = self.take_deflater();
        deflater.deflate(records, &mut self.out);
        self.spare_deflaters.push(deflater);
        push_gzip_trailer(&mut self.out, records);
    }

    /// A deflater at the configured gzip level: a spare one if there is one. Give it
    /// back to `spare_deflaters` when done.
    fn take_deflater(&mut self) -> Deflater {
        self.spare_deflaters
            .pop()
            .unwrap_or_else(|| Deflater::new(gzip_deflate_level(self.levels.gzip)))
    }

    /// `SnappyCompression.wrapForOutput`: snappy-java's `SnappyOutputStream`, i.e. its
    /// 16-byte header, then per 32 KiB block a big-endian length and raw snappy bytes.
    fn snappy(&mut self, records: &[u8]) {
        self.out.clear();
        self.out.extend_from_slice(&SNAPPY_JAVA_HEADER);
        for block in records.chunks(SNAPPY_JAVA_BLOCK_SIZE) {
            let start = self.out.len();
            self.out
                .resize(start + 4 + snap::raw::max_compress_len(block.len()), 0);
            let n = self
                .snappy
                .compress(block, &mut self.out[start + 4..])
                .unwrap_or(0);
            self.out.truncate(start + 4 + n);
            self.out[start..start + 4].copy_from_slice(&(n as u32).to_be_bytes());
        }
    }

    /// `Lz4Compression.wrapForOutput`: Kafka's `Lz4BlockOutputStream`, a partial LZ4
    /// frame: header, 64 KiB independent blocks each with a little-endian length (high
    /// bit set when stored uncompressed because compression did not shrink it), and a
    /// zero end mark; no block or content checksums.
    fn lz4(&mut self, records: &[u8]) {
        self.out.clear();
        self.lz4_block
            .resize(lz4::max_block_size(LZ4_BLOCK_SIZE), 0);
        self.out.extend_from_slice(&LZ4_FRAME_HEADER);
        for block in records.chunks(LZ4_BLOCK_SIZE) {
            let compressed = lz4::compress_block(block, &mut self.lz4_block);
            if compressed >= block.len() {
                let header = block.len() as u32 | LZ4_INCOMPRESSIBLE;
                self.out.extend_from_slice(&header.to_le_bytes());
                self.out.extend_from_slice(block);
            } else {
                self.out
                    .extend_from_slice(&(compressed as u32).to_le_bytes());
                self.out.extend_from_slice(&self.lz4_block[..compressed]);
            }
        }
        self.out.extend_from_slice(&0u32.to_le_bytes());
    }

    /// `ZstdCompression.wrapForOutput`: one zstd frame (no content checksum, zstd-jni's
    /// default). ruzstd 0.9 implements only `Fastest`, so every Kafka level maps to it.
    fn zstd(&mut self, records: &[u8]) {
        self.out.clear();
        let mut frame = FrameCompressor::new(CompressionLevel::Fastest);
        frame.set_source(records);
        frame.set_drain(&mut self.out);
        frame.compress();
    }
}

#[cfg(test)]
mod speed_tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value_and_flate2() {
        // The CRC-32 catalogue's check value for "123456789".
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut reference = flate2::Crc::new();
        reference.update(&data);
        assert_eq!(crc32(&data), reference.sum());
        for len in [1, 7, 8, 15, 9_997] {
            let mut reference = flate2::Crc::new();
            reference.update(&data[..len]);
            assert_eq!(crc32(&data[..len]), reference.sum(), "{len} bytes");
        }
    }

    #[test]
    fn published_speeds_and_interpolation() {
        let levels = CompressionLevels::default();
        assert_eq!(compression_speed_mbps(CompressionType::Lz4, levels), 737.0);
        assert_eq!(compression_speed_mbps(CompressionType::Gzip, levels), 35.0);
        let zstd3 = compression_speed_mbps(CompressionType::Zstd, levels);
        assert!(zstd3 < 356.0 && zstd3 > 104.0, "{zstd3}");
        let hc = CompressionLevels { lz4: 4, ..levels };
        assert_eq!(compression_speed_mbps(CompressionType::Lz4, hc), 81.0);
        let gzip1 = CompressionLevels { gzip: 1, ..levels };
        assert_eq!(compression_speed_mbps(CompressionType::Gzip, gzip1), 119.0);
        assert!(compression_speed_mbps(CompressionType::None, levels).is_infinite());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    const ALL_CODECS: [CompressionType; 4] = [
        CompressionType::Gzip,
        CompressionType::Snappy,
        CompressionType::Lz4,
        CompressionType::Zstd,
    ];

    /// A small deterministic generator so the tests do not depend on the workload module.
    struct TestRng(u64);
    impl TestRng {
        fn next(&mut self) -> u64 {
            // xorshift64*
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
        let mut rng = TestRng(seed);
        (0..len).map(|_| rng.next() as u8).collect()
    }

    fn repeated_text(len: usize) -> Vec<u8> {
        b"the quick brown fox jumps over the lazy dog. "
            .iter()
            .copied()
            .cycle()
            .take(len)
            .collect()
    }

    /// JSON events like a typical Kafka value: fixed field names, varying values.
    fn json_like(len: usize, seed: u64) -> Vec<u8> {
        let mut rng = TestRng(seed);
        let events = [
            "page_view",
            "click",
            "purchase",
            "login",
            "logout",
            "search",
        ];
        let mut out = Vec::with_capacity(len + 256);
        while out.len() < len {
            let event = format!(
                "{{\"event_id\":\"{:016x}\",\"user_id\":{},\"type\":\"{}\",\"ts\":{},\
                 \"amount\":{}.{:02},\"session\":\"{:08x}\",\"country\":\"{}\"}}",
                rng.next(),
                rng.below(1_000_000),
                events[rng.below(events.len() as u64) as usize],
                1_700_000_000_000u64 + rng.below(10_000_000),
                rng.below(1000),
                rng.below(100),
                rng.next() as u32,
                ["US", "DE", "FR", "JP", "BR", "IN"][rng.below(6) as usize],
            );
            out.extend_from_slice(event.as_bytes());
        }
        out.truncate(len);
        out
    }

    fn gunzip(framed: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(framed)
            .read_to_end(&mut out)
            .expect("valid gzip stream");
        out
    }

    /// Reads snappy-java's framing back, checking the header and every block length.
    fn unsnappy_java(framed: &[u8]) -> Vec<u8> {
        assert_eq!(&framed[..16], &SNAPPY_JAVA_HEADER);
        let mut decoder = snap::raw::Decoder::new();
        let mut pos = 16;
        let mut out = Vec::new();
        while pos < framed.len() {
            let len = u32::from_be_bytes(framed[pos..pos + 4].try_into().unwrap()) as usize;
            pos += 4;
            let block = decoder
                .decompress_vec(&framed[pos..pos + len])
                .expect("valid snappy block");
            assert!(block.len() <= SNAPPY_JAVA_BLOCK_SIZE);
            out.extend_from_slice(&block);
            pos += len;
        }
        assert_eq!(pos, framed.len());
        out
    }

    fn unlz4_frame(framed: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        lz4_flex::frame::FrameDecoder::new(framed)
            .read_to_end(&mut out)
            .expect("valid lz4 frame");
        out
    }

    fn unzstd(framed: &[u8]) -> Vec<u8> {
        let mut decoder = ruzstd::decoding::FrameDecoder::new();
        let mut out = vec![0u8; 1 << 20];
        let n = decoder
            .decode_all(framed, &mut out)
            .expect("valid zstd frame");
        out.truncate(n);
        out
    }

    fn decompress(codec: CompressionType, framed: &[u8]) -> Vec<u8> {
        match codec {
            CompressionType::None => framed.to_vec(),
            CompressionType::Gzip => gunzip(framed),
            CompressionType::Snappy => unsnappy_java(framed),
            CompressionType::Lz4 => unlz4_frame(framed),
            CompressionType::Zstd => unzstd(framed),
        }
    }

    #[test]
    fn every_codec_round_trips_every_profile() {
        let mut c = Compressor::default();
        let inputs = [
            repeated_text(16_000),
            json_like(16_000, 1),
            random_bytes(16_000, 2),
            json_like(200_000, 3), // several lz4/snappy blocks
            random_bytes(70_000, 4),
            vec![7u8; 1],
        ];
        for codec in ALL_CODECS {
            for input in &inputs {
                let framed = c.compress(codec, input).to_vec();
                assert_eq!(c.compressed_len(codec, input) as usize, framed.len());
                assert_eq!(&decompress(codec, &framed), input, "{codec:?}");
            }
        }
    }

    #[test]
    fn none_is_the_identity() {
        let mut c = Compressor::default();
        let input = json_like(1000, 5);
        assert_eq!(c.compress(CompressionType::None, &input), &input[..]);
        assert_eq!(c.compressed_len(CompressionType::None, &input), 1000);
    }

    #[test]
    fn framing_magic_bytes() {
        let mut c = Compressor::default();
        let input = json_like(5000, 6);
        let gz = c.compress(CompressionType::Gzip, &input).to_vec();
        assert_eq!(&gz[..3], &[0x1f, 0x8b, 0x08]);
        // Trailer: CRC-32 then the input length, little-endian.
        assert_eq!(&gz[gz.len() - 4..], &5000u32.to_le_bytes());

        let sn = c.compress(CompressionType::Snappy, &input).to_vec();
        assert_eq!(&sn[..8], &[0x82, b'S', b'N', b'A', b'P', b'P', b'Y', 0]);
        assert_eq!(&sn[8..16], &[0, 0, 0, 1, 0, 0, 0, 1]);

        let lz = c.compress(CompressionType::Lz4, &input).to_vec();
        assert_eq!(&lz[..4], &[0x04, 0x22, 0x4d, 0x18]);
        assert_eq!(&lz[4..7], &[0x60, 0x40, 0x82]);
        assert_eq!(&lz[lz.len() - 4..], &[0, 0, 0, 0], "end mark");

        let zs = c.compress(CompressionType::Zstd, &input).to_vec();
        assert_eq!(&zs[..4], &[0x28, 0xb5, 0x2f, 0xfd]);
    }

    fn lz4_block(input: &[u8]) -> Vec<u8> {
        let mut block = vec![0; lz4::max_block_size(input.len())];
        let len = lz4::compress_block(input, &mut block);
        block.truncate(len);
        block
    }

    #[test]
    fn gzip_streamed_in_pieces_equals_gzip_in_one_go() {
        let records = json_like(1_000_000, 21);
        let mut c = Compressor::default();
        let whole = c.compress(CompressionType::Gzip, &records).to_vec();
        // The deflate state is reused from the second stream on.
        for piece in [GZIP_STREAM_CHUNK, 1_000, 100_003, GZIP_STREAM_CHUNK] {
            let mut stream = GzipStream::new(&mut c);
            let mut end = 0;
            while end + piece < records.len() {
                end += piece;
                stream.feed(&records[..end]);
            }
            assert_eq!(stream.finish(&records, &mut c), whole, "pieces of {piece}");
        }
        assert_eq!(c.spare_deflaters.len(), 1);
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&whole[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, records);
    }

    /// Each block as the reference LZ4 library (lz4 1.9.4's command-line tool, `lz4 -1
    /// -B4 -BI --no-frame-crc`, i.e. `LZ4_compress_fast` at acceleration 1 on 64 KiB
    /// independent blocks) compresses it: length and CRC-32 of the block's bytes, and the
    /// whole block for the short input. The tool's frame header is ours too (60 40 82).
    #[test]
    fn lz4_blocks_match_the_reference_library_byte_for_byte() {
        let cases: [(&str, Vec<u8>, usize, u32); 5] = [
            ("json 64 KiB", json_like(65_536, 11), 28_643, 0xce08_45de),
            ("json 20 kB", json_like(20_000, 12), 9_176, 0x260f_c131),
            ("text 64 KiB", repeated_text(65_536), 313, 0xa2a7_fd42),
            ("json 300 B", json_like(300, 13), 226, 0xe579_df1b),
            ("zeros 40 kB", vec![0; 40_000], 167, 0xdee1_b348),
        ];
        for (what, input, len, crc) in cases {
            let block = lz4_block(&input);
            assert_eq!((block.len(), crc32(&block)), (len, crc), "{what}");
        }
        let block = lz4_block(&json_like(300, 13));
        let reference = "f1157b226576656e745f6964223a2263626534366536373439663431373936222c22757365721d00f0453534323631342c2274797065223a22706167655f76696577222c227473223a313730303030393731363938352c22616d6f756e74223a3936372e36352c2273657373696f6e223a226464343233313639222c22632400997279223a22494e227d8a00f801373233376437633030653035396331308a00663134343137318a007a757263686173658900663531303336338900683630352e3638890089633062353733393789002b42528900c0353062633634316266303438";
        let hex: String = block.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, reference);
        // Random bytes do not shrink: the reference stores that block raw, as does ours.
        let random = random_bytes(5_000, 14);
        let mut c = Compressor::default();
        let framed = c.compress(CompressionType::Lz4, &random);
        assert_eq!(framed.len(), 7 + 4 + 5_000 + 4);
    }

    #[test]
    fn lz4_blocks_decode_with_an_independent_decoder() {
        // Short, edge-length and long inputs, through lz4_flex's block decoder.
        let mut inputs: Vec<Vec<u8>> = (0..40).map(|n| json_like(n, n as u64 + 1)).collect();
        inputs.push(json_like(65_536, 3));
        inputs.push(repeated_text(65_536));
        inputs.push(random_bytes(65_536, 4));
        inputs.push(vec![7; 65_536]);
        for input in inputs {
            let block = lz4_block(&input);
            let decoded = lz4_flex::block::decompress(&block, input.len()).unwrap();
            assert_eq!(decoded, input, "{} bytes", input.len());
        }
    }

    #[test]
    fn lz4_header_matches_the_reference_frame_encoder() {
        // lz4_flex's own frame encoder, configured as Kafka configures lz4-java's, writes
        // the same 7-byte header (so the descriptor checksum 0x82 is not hand-made).
        use std::io::Write;
        let info = lz4_flex::frame::FrameInfo::new()
            .block_size(lz4_flex::frame::BlockSize::Max64KB)
            .block_mode(lz4_flex::frame::BlockMode::Independent);
        let mut enc = lz4_flex::frame::FrameEncoder::with_frame_info(info, Vec::new());
        enc.write_all(b"kafka").unwrap();
        let reference = enc.finish().unwrap();
        assert_eq!(&reference[..7], &LZ4_FRAME_HEADER);
    }

    #[test]
    fn lz4_stores_incompressible_blocks_raw() {
        // Header 7 + block length 4 + 1000 raw bytes + end mark 4.
        let mut c = Compressor::default();
        let input = random_bytes(1000, 7);
        let framed = c.compress(CompressionType::Lz4, &input).to_vec();
        assert_eq!(framed.len(), 7 + 4 + 1000 + 4);
        assert_eq!(
            u32::from_le_bytes(framed[7..11].try_into().unwrap()),
            1000 | 0x8000_0000
        );
        assert_eq!(&framed[11..1011], &input[..]);
    }

    #[test]
    fn lz4_and_snappy_split_into_kafka_block_sizes() {
        let mut c = Compressor::default();
        // 150 000 bytes: lz4 blocks of 65536, 65536, 18928; snappy blocks of 32768 x4 + 18928.
        let input = json_like(150_000, 8);
        let lz = c.compress(CompressionType::Lz4, &input).to_vec();
        let mut pos = 7;
        let mut blocks = 0;
        loop {
            let word = u32::from_le_bytes(lz[pos..pos + 4].try_into().unwrap());
            pos += 4;
            if word == 0 {
                break;
            }
            pos += (word & !LZ4_INCOMPRESSIBLE) as usize;
            blocks += 1;
        }
        assert_eq!(pos, lz.len());
        assert_eq!(blocks, 3);

        let sn = c.compress(CompressionType::Snappy, &input).to_vec();
        let mut pos = 16;
        let mut blocks = 0;
        while pos < sn.len() {
            pos += 4 + u32::from_be_bytes(sn[pos..pos + 4].try_into().unwrap()) as usize;
            blocks += 1;
        }
        assert_eq!(blocks, 5);
    }

    #[test]
    fn sizes_depend_on_the_data() {
        let mut c = Compressor::default();
        let len = 16_384;
        let repeated = repeated_text(len);
        let json = json_like(len, 9);
        let random = random_bytes(len, 10);
        for codec in ALL_CODECS {
            let r = c.compressed_len(codec, &repeated);
            let j = c.compressed_len(codec, &json);
            let x = c.compressed_len(codec, &random);
            assert!(r * 4 < j, "{codec:?}: repeated {r} vs json {j}");
            assert!(j < len as u32 * 3 / 4, "{codec:?}: json {j}");
            // Random bytes do not compress: a little framing on top of the input.
            assert!(x >= len as u32, "{codec:?}: random {x}");
            assert!(x < len as u32 + 128, "{codec:?}: random {x}");
        }
    }

    #[test]
    fn sizes_depend_on_the_codec() {
        let mut c = Compressor::default();
        let json = json_like(16_384, 11);
        let sizes: Vec<u32> = ALL_CODECS
            .iter()
            .map(|&codec| c.compressed_len(codec, &json))
            .collect();
        let (gzip, snappy, lz4, zstd) = (sizes[0], sizes[1], sizes[2], sizes[3]);
        // The entropy coders beat the pure LZ77 codecs on JSON.
        assert!(gzip < snappy && gzip < lz4, "{sizes:?}");
        assert!(zstd < snappy && zstd < lz4, "{sizes:?}");
        assert_ne!(snappy, lz4, "{sizes:?}");
    }

    #[test]
    fn gzip_level_changes_the_size() {
        let json = json_like(16_384, 12);
        let size_at = |level: i32| {
            Compressor::new(CompressionLevels {
                gzip: level,
                ..CompressionLevels::default()
            })
            .compressed_len(CompressionType::Gzip, &json)
        };
        let (fast, default, best) = (size_at(1), size_at(-1), size_at(9));
        assert!(best < fast, "level 9 {best} vs level 1 {fast}");
        assert!(default < fast, "default {default} vs level 1 {fast}");
        assert_eq!(default, size_at(6), "-1 is zlib's default level 6");
        // Out-of-range levels are clamped, not a panic.
        assert_eq!(size_at(42), best);
    }

    #[test]
    fn compressor_reuse_gives_identical_output() {
        let mut reused = Compressor::default();
        let a = json_like(10_000, 13);
        let b = random_bytes(30_000, 14);
        for codec in ALL_CODECS {
            let _ = reused.compress(codec, &b);
            let again = reused.compress(codec, &a).to_vec();
            let fresh = Compressor::default().compress(codec, &a).to_vec();
            assert_eq!(again, fresh, "{codec:?}");
        }
    }

    #[test]
    fn empty_records_still_frame() {
        let mut c = Compressor::default();
        assert_eq!(c.compressed_len(CompressionType::Lz4, &[]), 7 + 4);
        assert_eq!(c.compressed_len(CompressionType::Snappy, &[]), 16);
        assert_eq!(
            gunzip(c.compress(CompressionType::Gzip, &[])),
            Vec::<u8>::new()
        );
        assert_eq!(
            unzstd(c.compress(CompressionType::Zstd, &[])),
            Vec::<u8>::new()
        );
    }

    #[test]
    fn gzip_batches_hold_zlibs_deflate_stream() {
        // zlib 1.2.13 (python3's `zlib.compressobj(level, DEFLATED, -15, 8)`, Java's
        // Deflater settings) on the same 100 kB: deflated length and CRC-32 per level.
        let zlib = [
            (-1, 25_403, 1_178_833_744),
            (1, 31_081, 311_543_544),
            (9, 25_071, 3_929_366_144),
        ];
        let records = json_like(100_000, 7);
        for (level, len, crc) in zlib {
            let levels = CompressionLevels {
                gzip: level,
                ..CompressionLevels::default()
            };
            let framed = Compressor::new(levels)
                .compress(CompressionType::Gzip, &records)
                .to_vec();
            let deflated = &framed[GZIP_HEADER.len()..framed.len() - 8];
            assert_eq!(
                (deflated.len(), crc32(deflated)),
                (len, crc),
                "level {level}"
            );
        }
    }

    #[test]
    fn fidelity_notes_name_the_gaps() {
        let defaults = CompressionLevels::default();
        assert!(fidelity_note(CompressionType::Lz4, defaults).is_none());
        let hc = CompressionLevels {
            lz4: 12,
            ..defaults
        };
        assert!(fidelity_note(CompressionType::Lz4, hc)
            .unwrap()
            .contains("HC"));
        assert!(fidelity_note(CompressionType::Zstd, defaults).is_some());
        assert!(fidelity_note(CompressionType::None, defaults).is_none());
        assert!(fidelity_note(CompressionType::Gzip, defaults).is_none());
    }

    /// Throughput on 16 KB records sections of 200-byte JSON values. Run with
    /// `cargo test --release --no-default-features --lib codec_throughput -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn codec_throughput() {
        // Records sections like the default scenario's: 200-byte JSON values, keyed.
        let batches: Vec<Vec<u8>> = (0..64u64)
            .map(|i| {
                let mut section = Vec::with_capacity(16_384);
                let mut n = 0;
                while section.len() < 16_384 - 240 {
                    let key = format!("key-{}", (i * 131 + n) % 1000);
                    let value = json_like(200, i * 10_000 + n);
                    crate::engine::record::write_record(
                        &mut section,
                        n as i32,
                        0,
                        Some(key.as_bytes()),
                        Some(&value),
                    );
                    n += 1;
                }
                section
            })
            .collect();
        let batch_len = batches.iter().map(Vec::len).sum::<usize>() / batches.len();
        let max_len = batches.iter().map(Vec::len).max().unwrap_or(0);
        let mut c = Compressor::default();
        let total_mb = 200.0;
        let rounds = (total_mb * 1e6 / (64.0 * batch_len as f64)) as usize;
        for codec in ALL_CODECS {
            let start = std::time::Instant::now();
            let mut compressed = 0u64;
            for _ in 0..rounds {
                for b in &batches {
                    compressed += c.compressed_len(codec, b) as u64;
                }
            }
            let secs = start.elapsed().as_secs_f64();
            let input = (rounds * batches.len() * batch_len) as f64;
            println!(
                "{codec:?}: {:.0} MB/s, ratio {:.3}, {:.3} s for {:.0} MB",
                input / 1e6 / secs,
                compressed as f64 / input,
                secs,
                input / 1e6
            );
        }
        // Baseline: lz4_flex's block compressor alone, without Kafka's framing, timed
        // interleaved with the framed path so machine load affects both alike.
        let mut out = vec![0u8; lz4_flex::block::get_maximum_output_size(max_len)];
        let (mut framed_secs, mut raw_secs) = (0.0, 0.0);
        for _ in 0..rounds {
            let t = std::time::Instant::now();
            for b in &batches {
                std::hint::black_box(c.compressed_len(CompressionType::Lz4, b));
            }
            framed_secs += t.elapsed().as_secs_f64();
            let t = std::time::Instant::now();
            for b in &batches {
                std::hint::black_box(lz4_flex::block::compress_into(b, &mut out).unwrap());
            }
            raw_secs += t.elapsed().as_secs_f64();
        }
        let input = (rounds * batches.len() * batch_len) as f64 / 1e6;
        println!(
            "lz4 framed {:.0} MB/s vs lz4_flex block alone {:.0} MB/s",
            input / framed_secs,
            input / raw_secs
        );
    }
}
