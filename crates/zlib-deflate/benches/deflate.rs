//! Deflate speed at each level on JSON records like the simulator's workload, against
//! miniz_oxide (through flate2) at the same level: `cargo bench -p zlib-deflate`.

use std::time::Instant;

use flate2::{Compress, Compression, FlushCompress};
use zlib_deflate::Deflater;

fn records(len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let mut id = 1_000_000;
    while out.len() < len {
        id += 1 + next(3);
        let record = format!(
            "{{\"order_id\":{id},\"customer\":\"cust-{:05}\",\"amount\":{}.{:02},\"currency\":\"{}\",\"status\":\"{}\"}}",
            next(100_000),
            next(5000),
            next(100),
            ["EUR", "USD", "GBP"][next(3) as usize],
            ["created", "paid", "shipped", "delivered"][next(4) as usize],
        );
        out.extend_from_slice(record.as_bytes());
    }
    out.truncate(len);
    out
}

/// Best of five runs, in MB of input per second, and the output size.
fn measure(mut run: impl FnMut() -> usize, input_len: usize) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut size = 0;
    for _ in 0..5 {
        let start = Instant::now();
        size = run();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (input_len as f64 / best / 1e6, size)
}

fn main() {
    // Batches of 512 KiB, as the heaviest trade-off case compresses them.
    let input = records(4 << 20);
    let batches: Vec<&[u8]> = input.chunks(512 << 10).collect();
    println!(
        "{} MB of JSON records in 512 KiB batches",
        input.len() / 1_000_000
    );
    println!("level  zlib-deflate MB/s (bytes)   miniz_oxide MB/s (bytes)");
    for level in 1..=9u8 {
        let mut deflater = Deflater::new(level);
        let mut out = Vec::with_capacity(1 << 20);
        let ours = measure(
            || {
                batches
                    .iter()
                    .map(|batch| {
                        out.clear();
                        deflater.deflate(batch, &mut out);
                        out.len()
                    })
                    .sum()
            },
            input.len(),
        );
        let mut miniz = Compress::new(Compression::new(u32::from(level)), false);
        let theirs = measure(
            || {
                batches
                    .iter()
                    .map(|batch| {
                        out.clear();
                        miniz.reset();
                        out.reserve(batch.len() + 1024);
                        miniz
                            .compress_vec(batch, &mut out, FlushCompress::Finish)
                            .unwrap();
                        out.len()
                    })
                    .sum()
            },
            input.len(),
        );
        println!(
            "{level:>5}  {:>8.1} ({:>8})           {:>8.1} ({:>8})",
            ours.0, ours.1, theirs.0, theirs.1
        );
    }
}
