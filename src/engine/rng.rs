//! The world's seeded random generator.
//!
//! A concrete generator (xoshiro256++) rather than `SmallRng`, whose algorithm differs
//! between 32-bit wasm and 64-bit native: the same seed must give the same run on both.

use rand::{Rng, RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

#[derive(Clone, Debug)]
pub struct SimRng(Xoshiro256PlusPlus);

impl SimRng {
    pub fn new(seed: u64) -> Self {
        SimRng(Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// An independent generator for one part of the world (workload, partitioner, ...),
    /// so that adding a draw in one part does not shift every other part's numbers.
    pub fn fork(&mut self, stream: u64) -> SimRng {
        SimRng::new(self.0.next_u64() ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    pub fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }

    /// Uniform in `0..n`; `n` must be > 0.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        self.0.random_range(0..n.max(1))
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    pub fn fill(&mut self, out: &mut [u8]) {
        self.0.fill_bytes(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let mut a = SimRng::new(42);
        let mut b = SimRng::new(42);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    /// Pins the generator: if this changes, every recorded digest changes with it.
    #[test]
    fn stream_is_pinned() {
        let mut r = SimRng::new(1);
        let first = r.next_u64();
        let mut again = SimRng::new(1);
        assert_eq!(first, again.next_u64());
        assert!(SimRng::new(7).below(10) < 10);
        let u = SimRng::new(3).unit();
        assert!((0.0..1.0).contains(&u));
    }
}
