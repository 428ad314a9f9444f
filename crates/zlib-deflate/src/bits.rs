//! The bit writer: deflate packs codes least significant bit first (RFC 1951 §3.1.1).
//! zlib's `send_bits` keeps 16 bits at a time; keeping 64 writes the same bytes.

#[derive(Default)]
pub(crate) struct BitWriter {
    /// Bits not yet written, the oldest in the low end.
    held: u64,
    count: u32,
}

impl BitWriter {
    /// Appends the low `len` bits of `value` (`len` ≤ 16).
    #[inline(always)]
    pub(crate) fn send(&mut self, out: &mut Vec<u8>, value: u32, len: u32) {
        self.held |= u64::from(value) << self.count;
        self.count += len;
        if self.count >= 32 {
            out.extend_from_slice(&(self.held as u32).to_le_bytes());
            self.held >>= 32;
            self.count -= 32;
        }
    }

    /// zlib's `bi_windup`: writes what is held, padded with zeros to a whole byte.
    pub(crate) fn align(&mut self, out: &mut Vec<u8>) {
        let bytes = self.count.div_ceil(8) as usize;
        out.extend_from_slice(&self.held.to_le_bytes()[..bytes]);
        self.held = 0;
        self.count = 0;
    }

    pub(crate) fn reset(&mut self) {
        *self = BitWriter::default();
    }
}
