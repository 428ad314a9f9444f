//! The deflater writes zlib's bytes: for inputs that reach each of zlib's paths (stored,
//! fixed and dynamic blocks, blocks that outgrow the window, matches at the farthest
//! distance, code lengths over the limit), at every level, written whole and in pieces,
//! the whole stream's length and CRC-32 equal zlib's.
//!
//! zlib's values are in `zlib-expected.txt`, made by `zlib_reference.py` with the
//! system's zlib (1.2.13). To make them again: `ZLIB_REFERENCE=python3 cargo test -p
//! zlib-deflate` (`ZLIB_REFERENCE` names the program to run the script with). A C build
//! of zlib 1.3.1 given the same inputs wrote the same bytes for every case.

use std::io::Read;

use zlib_deflate::Deflater;

/// A small deterministic generator (xorshift64*), so the inputs need no files.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() >> 33) as usize % n
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn text(rng: &mut Rng, len: usize) -> Vec<u8> {
    const WORDS: [&str; 24] = [
        "the",
        "producer",
        "sends",
        "records",
        "to",
        "a",
        "partition",
        "leader",
        "which",
        "appends",
        "them",
        "and",
        "replicates",
        "batch",
        "linger",
        "acks",
        "all",
        "in-sync",
        "replicas",
        "offset",
        "key",
        "value",
        "compression",
        "idempotence",
    ];
    let mut out = Vec::new();
    while out.len() < len {
        out.extend_from_slice(WORDS[rng.below(WORDS.len())].as_bytes());
        out.push(if rng.below(12) == 0 { b'\n' } else { b' ' });
    }
    out.truncate(len);
    out
}

fn json_records(rng: &mut Rng, len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut id = 1_000_000;
    while out.len() < len {
        id += 1 + rng.below(3);
        let record = format!(
            "{{\"order_id\":{id},\"customer\":\"cust-{:05}\",\"amount\":{}.{:02},\"currency\":\"{}\",\"status\":\"{}\"}}",
            rng.below(100_000),
            rng.below(5000),
            rng.below(100),
            ["EUR", "USD", "GBP"][rng.below(3)],
            ["created", "paid", "shipped", "delivered"][rng.below(4)],
        );
        out.extend_from_slice(record.as_bytes());
    }
    out.truncate(len);
    out
}

/// Symbol `i` appears in proportion to the `i`-th Fibonacci number: the optimal code
/// lengths exceed 15 bits, so zlib's length limiting decides them.
fn skewed(rng: &mut Rng, rounds: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rounds {
        let (mut a, mut b) = (1usize, 1usize);
        let mut round = Vec::new();
        for symbol in 0..21u8 {
            round.extend(std::iter::repeat_n(symbol.wrapping_mul(37), a));
            (a, b) = (b, a + b);
        }
        for i in (1..round.len()).rev() {
            round.swap(i, rng.below(i + 1));
        }
        out.extend_from_slice(&round);
    }
    out
}

/// Random blocks repeated `period` bytes later: matches at exactly that distance.
fn periodic(rng: &mut Rng, period: usize, len: usize) -> Vec<u8> {
    let block = rng.bytes(period);
    block.iter().copied().cycle().take(len).collect()
}

/// Copies from distances whose codes are drawn with Fibonacci weights, so the distance
/// code, too, would need more than 15 bits.
fn skewed_distances(rng: &mut Rng, len: usize) -> Vec<u8> {
    // The first distance of each code from 4 on (RFC 1951 §3.2.5), then one past the
    // farthest distance deflate uses.
    const BASES: [usize; 27] = [
        5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577, 32507,
    ];
    let mut weights = vec![1usize, 1];
    while weights.len() < BASES.len() - 1 {
        weights.push(weights[weights.len() - 1] + weights[weights.len() - 2]);
    }
    let total: usize = weights.iter().sum();
    let mut out = rng.bytes(32_768);
    while out.len() < len {
        let mut pick = rng.below(total);
        let code = weights
            .iter()
            .position(|&w| {
                pick < w || {
                    pick -= w;
                    false
                }
            })
            .unwrap();
        let distance = BASES[code] + rng.below(BASES[code + 1] - BASES[code]);
        let from = out.len() - distance;
        for i in 0..10 + rng.below(10) {
            out.push(out[from + i]);
        }
    }
    out
}

/// Random pieces and copies of earlier pieces from near and far.
fn mixed(rng: &mut Rng, len: usize) -> Vec<u8> {
    let mut out = rng.bytes(1000);
    while out.len() < len {
        let n = 3 + rng.below(300);
        if rng.below(3) == 0 {
            out.extend(rng.bytes(n));
        } else {
            let from = out.len() - 1 - rng.below(out.len().min(40_000));
            for i in 0..n {
                out.push(out[from + i]);
            }
        }
    }
    out
}

fn cases() -> Vec<(&'static str, Vec<u8>)> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    vec![
        ("empty", Vec::new()),
        ("one-byte", b"a".to_vec()),
        ("short-text", b"hello hello hello hello, world".to_vec()),
        ("text", text(&mut rng, 300_000)),
        ("json-records", json_records(&mut rng, 400_000)),
        ("random", rng.bytes(70_000)),
        ("zeros", vec![0; 300_000]),
        ("dna", (0..200_000).map(|_| b"ACGT"[rng.below(4)]).collect()),
        ("skewed", skewed(&mut rng, 4)),
        ("period-max-dist", periodic(&mut rng, 32_506, 140_000)),
        ("period-beyond", periodic(&mut rng, 32_507, 140_000)),
        ("period-window", periodic(&mut rng, 32_768, 140_000)),
        ("mixed", mixed(&mut rng, 500_000)),
        ("skewed-distances", skewed_distances(&mut rng, 400_000)),
    ]
}

/// The sizes of the pieces each input is written in: whole (0), as Kafka's 16 KiB
/// buffer hands them to the deflater, and in small odd pieces.
fn chunkings(len: usize) -> Vec<usize> {
    if len < 100_000 {
        vec![0, 16_384, 1000, 7]
    } else {
        vec![0, 16_384, 1000]
    }
}

fn deflate(deflater: &mut Deflater, input: &[u8], chunk: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let chunk = if chunk == 0 {
        input.len().max(1)
    } else {
        chunk
    };
    for piece in input.chunks(chunk) {
        deflater.write(piece, &mut out);
    }
    deflater.finish(&mut out);
    out
}

fn inflate(stream: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(stream)
        .read_to_end(&mut out)
        .expect("a valid deflate stream");
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

const EXPECTED_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/zlib-expected.txt");

/// `(name, level, chunk) -> (len, crc)` from the expectations file.
fn expected() -> std::collections::HashMap<(String, u8, usize), (usize, u32)> {
    let text = std::fs::read_to_string(EXPECTED_FILE).expect("tests/zlib-expected.txt");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let key = (
                f[0].to_string(),
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
            );
            (key, (f[3].parse().unwrap(), f[4].parse().unwrap()))
        })
        .collect()
}

/// Runs `zlib_reference.py` with `python` for every case and writes the expectations.
fn write_expected(python: &str) {
    let dir = std::env::temp_dir().join(format!("zlib-deflate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/zlib_reference.py");
    let mut lines = Vec::new();
    let mut version = String::new();
    for (name, input) in cases() {
        let path = dir.join(name);
        std::fs::write(&path, &input).unwrap();
        for level in 1..=9u8 {
            for chunk in chunkings(input.len()) {
                let whole = input.len().max(1);
                let arg = if chunk == 0 { whole } else { chunk.min(whole) }.to_string();
                let output = std::process::Command::new(python)
                    .args([script, path.to_str().unwrap(), &level.to_string(), &arg])
                    .output()
                    .expect("python runs");
                assert!(
                    output.status.success(),
                    "{}",
                    String::from_utf8_lossy(&output.stderr)
                );
                let stdout = String::from_utf8(output.stdout).unwrap();
                let f: Vec<&str> = stdout.split_whitespace().collect();
                version = f[0].to_string();
                lines.push(format!("{name} {level} {chunk} {} {}", f[1], f[2]));
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    let header = format!(
        "# zlib {version}: name, level, bytes per write (0: all at once), deflated length, CRC-32\n"
    );
    std::fs::write(EXPECTED_FILE, header + &lines.join("\n") + "\n").unwrap();
}

#[test]
fn every_level_writes_zlibs_bytes() {
    if let Ok(python) = std::env::var("ZLIB_REFERENCE") {
        write_expected(&python);
    }
    let expected = expected();
    let mut deflater = Deflater::new(6);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (name, input) in cases() {
        for level in 1..=9u8 {
            // One deflater per level, reused across streams as a producer reuses one.
            deflater = if level == 6 {
                deflater
            } else {
                Deflater::new(level)
            };
            for chunk in chunkings(input.len()) {
                let out = deflate(&mut deflater, &input, chunk);
                assert_eq!(
                    inflate(&out),
                    input,
                    "{name} at level {level} does not inflate"
                );
                let key = (name.to_string(), level, chunk);
                let want = expected
                    .get(&key)
                    .unwrap_or_else(|| panic!("no expectation for {key:?}"));
                if (out.len(), crc32(&out)) != *want {
                    wrong.push(format!("{key:?}: {} bytes, zlib {}", out.len(), want.0));
                }
                checked += 1;
            }
            deflater = Deflater::new(6);
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} differ from zlib:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(checked, expected.len());
}
