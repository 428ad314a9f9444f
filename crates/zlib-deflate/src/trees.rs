//! Blocks: the symbol buffer, the Huffman trees and the choice between a stored, a
//! fixed-code and a dynamic-code block, as zlib's `trees.c` makes them (zlib 1.2.13).
//! The trees are built with zlib's own heap, tie-breaks and length limiting, so each
//! block gets the same code lengths, and so the same bytes, as zlib gives it.

use crate::bits::BitWriter;

pub(crate) const MIN_MATCH: usize = 3;
pub(crate) const MAX_MATCH: usize = 258;

const LITERALS: usize = 256;
const LENGTH_CODES: usize = 29;
/// Literals, the end-of-block code and the length codes.
const L_CODES: usize = LITERALS + 1 + LENGTH_CODES;
const D_CODES: usize = 30;
/// Codes of the code-length alphabet (RFC 1951 §3.2.7).
const BL_CODES: usize = 19;
const HEAP_SIZE: usize = 2 * L_CODES + 1;
const MAX_BITS: usize = 15;
const MAX_BL_BITS: u16 = 7;
const END_BLOCK: usize = 256;
/// Code-length codes: repeat the previous length 3–6 times, a zero 3–10 or 11–138 times.
const REP_3_6: usize = 16;
const REPZ_3_10: usize = 17;
const REPZ_11_138: usize = 18;

/// zlib's `lit_bufsize` at `memLevel` 8 (Java's `DEF_MEM_LEVEL`): a block ends when its
/// symbol buffer holds one less than this (`sym_end`).
const LIT_BUFSIZE: usize = 1 << (8 + 6);
const BLOCK_SYMBOLS: usize = LIT_BUFSIZE - 1;

const EXTRA_LBITS: [u8; LENGTH_CODES] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const EXTRA_DBITS: [u8; D_CODES] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
const EXTRA_BLBITS: [u8; BL_CODES] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
/// The order in which a dynamic block header sends the code-length code lengths.
const BL_ORDER: [u8; BL_CODES] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Match lengths and distances to their codes, and each code's base value (`tr_static_init`).
struct CodeTables {
    /// Match length − 3 → length code − 257.
    length_code: [u8; 256],
    base_length: [u16; LENGTH_CODES],
    /// Distance − 1 → distance code: below 256 directly, above at `256 + (d >> 7)`.
    dist_code: [u8; 512],
    base_dist: [u16; D_CODES],
}

const TABLES: CodeTables = code_tables();

const fn code_tables() -> CodeTables {
    let mut t = CodeTables {
        length_code: [0; 256],
        base_length: [0; LENGTH_CODES],
        dist_code: [0; 512],
        base_dist: [0; D_CODES],
    };
    let mut length = 0;
    let mut code = 0;
    while code < LENGTH_CODES - 1 {
        t.base_length[code] = length as u16;
        let mut n = 0;
        while n < 1 << EXTRA_LBITS[code] {
            t.length_code[length] = code as u8;
            length += 1;
            n += 1;
        }
        code += 1;
    }
    // Length 258 could be code 284 with 5 extra bits or code 285: zlib uses 285.
    t.length_code[255] = code as u8;

    let mut dist = 0;
    code = 0;
    while code < 16 {
        t.base_dist[code] = dist as u16;
        let mut n = 0;
        while n < 1 << EXTRA_DBITS[code] {
            t.dist_code[dist] = code as u8;
            dist += 1;
            n += 1;
        }
        code += 1;
    }
    dist >>= 7;
    while code < D_CODES {
        t.base_dist[code] = (dist << 7) as u16;
        let mut n = 0;
        while n < 1 << (EXTRA_DBITS[code] - 7) {
            t.dist_code[256 + dist] = code as u8;
            dist += 1;
            n += 1;
        }
        code += 1;
    }
    t
}

#[inline(always)]
fn dist_code(dist_minus_one: usize) -> usize {
    if dist_minus_one < 256 {
        TABLES.dist_code[dist_minus_one] as usize
    } else {
        TABLES.dist_code[256 + (dist_minus_one >> 7)] as usize
    }
}

/// `code`'s low `len` bits in reverse order: deflate sends Huffman codes high bit first.
const fn reverse(code: u32, len: u32) -> u16 {
    (code.reverse_bits() >> (32 - len)) as u16
}

/// A code table: each symbol's code (bit-reversed, ready to send) and length.
struct Codes<const N: usize> {
    code: [u16; N],
    len: [u16; N],
}

/// The fixed literal/length code (RFC 1951 §3.2.6), 288 codes so that it is canonical.
const STATIC_LTREE: Codes<{ L_CODES + 2 }> = static_ltree();
/// The fixed distance code: five bits each.
const STATIC_DTREE: Codes<D_CODES> = static_dtree();

const fn static_ltree() -> Codes<{ L_CODES + 2 }> {
    let mut t = Codes {
        code: [0; L_CODES + 2],
        len: [0; L_CODES + 2],
    };
    let mut bl_count = [0u16; MAX_BITS + 1];
    let mut n = 0;
    while n < L_CODES + 2 {
        let len = match n {
            0..=143 => 8,
            144..=255 => 9,
            256..=279 => 7,
            _ => 8,
        };
        t.len[n] = len;
        bl_count[len as usize] += 1;
        n += 1;
    }
    let mut next = first_codes(&bl_count);
    n = 0;
    while n < L_CODES + 2 {
        let len = t.len[n] as usize;
        t.code[n] = reverse(next[len] as u32, len as u32);
        next[len] += 1;
        n += 1;
    }
    t
}

const fn static_dtree() -> Codes<D_CODES> {
    let mut t = Codes {
        code: [0; D_CODES],
        len: [5; D_CODES],
    };
    let mut n = 0;
    while n < D_CODES {
        t.code[n] = reverse(n as u32, 5);
        n += 1;
    }
    t
}

/// The first code of each length, from how many codes each length has (`gen_codes`).
const fn first_codes(bl_count: &[u16; MAX_BITS + 1]) -> [u16; MAX_BITS + 1] {
    let mut next = [0u16; MAX_BITS + 1];
    let mut code = 0u32;
    let mut bits = 1;
    while bits <= MAX_BITS {
        code = (code + bl_count[bits - 1] as u32) << 1;
        next[bits] = code as u16;
        bits += 1;
    }
    next
}

/// What is fixed about one of the three trees (zlib's `static_tree_desc`).
struct TreeKind {
    /// The fixed code's lengths, to count what a fixed-code block would cost.
    static_len: Option<&'static [u16]>,
    extra_bits: &'static [u8],
    /// The first symbol with extra bits.
    extra_base: usize,
    elems: usize,
    max_length: u16,
}

const LITERAL_TREE: TreeKind = TreeKind {
    static_len: Some(&STATIC_LTREE.len),
    extra_bits: &EXTRA_LBITS,
    extra_base: LITERALS + 1,
    elems: L_CODES,
    max_length: MAX_BITS as u16,
};
const DISTANCE_TREE: TreeKind = TreeKind {
    static_len: Some(&STATIC_DTREE.len),
    extra_bits: &EXTRA_DBITS,
    extra_base: 0,
    elems: D_CODES,
    max_length: MAX_BITS as u16,
};
const BIT_LENGTH_TREE: TreeKind = TreeKind {
    static_len: None,
    extra_bits: &EXTRA_BLBITS,
    extra_base: 0,
    elems: BL_CODES,
    max_length: MAX_BL_BITS,
};

/// A dynamic Huffman tree: leaves first, then internal nodes (`ct_data` arrays).
struct Tree<const N: usize> {
    freq: [u32; N],
    dad: [u16; N],
    codes: Codes<N>,
    /// The largest symbol with a non-zero frequency.
    max_code: usize,
}

impl<const N: usize> Tree<N> {
    fn new() -> Self {
        Tree {
            freq: [0; N],
            dad: [0; N],
            codes: Codes {
                code: [0; N],
                len: [0; N],
            },
            max_code: 0,
        }
    }
}

/// zlib's heap and node depths, shared by the three trees as they are built.
struct Heap {
    /// `heap[1..=len]` is the heap; `heap[max..]` the nodes in order of frequency.
    heap: [u16; HEAP_SIZE],
    len: usize,
    max: usize,
    depth: [u8; HEAP_SIZE],
    bl_count: [u16; MAX_BITS + 1],
}

/// The block being built: its symbols, then its trees when it is written.
pub(crate) struct Block {
    /// Literals as `byte`, matches as `distance << 8 | (length − 3)`.
    symbols: Vec<u32>,
    ltree: Tree<HEAP_SIZE>,
    dtree: Tree<{ 2 * D_CODES + 1 }>,
    bltree: Tree<{ 2 * BL_CODES + 1 }>,
    heap: Heap,
    cost: BlockCost,
}

/// The block's size in bits with dynamic codes (zlib's `opt_len`, which comes to
/// include the trees) and with the fixed codes (`static_len`). zlib's unsigned sums go
/// below zero for a moment; these are signed.
#[derive(Clone, Copy, Default)]
struct BlockCost {
    opt_len: i64,
    static_len: i64,
}

impl Block {
    pub(crate) fn new() -> Box<Self> {
        let mut block = Box::new(Block {
            symbols: Vec::with_capacity(BLOCK_SYMBOLS),
            ltree: Tree::new(),
            dtree: Tree::new(),
            bltree: Tree::new(),
            heap: Heap {
                heap: [0; HEAP_SIZE],
                len: 0,
                max: 0,
                depth: [0; HEAP_SIZE],
                bl_count: [0; MAX_BITS + 1],
            },
            cost: BlockCost::default(),
        });
        block.reset();
        block
    }

    /// `init_block`: no symbols yet, only the end-of-block code to count.
    pub(crate) fn reset(&mut self) {
        self.ltree.freq[..L_CODES].fill(0);
        self.dtree.freq[..D_CODES].fill(0);
        self.bltree.freq[..BL_CODES].fill(0);
        self.ltree.freq[END_BLOCK] = 1;
        self.cost = BlockCost::default();
        self.symbols.clear();
    }

    /// `_tr_tally_lit`: counts a literal; true when the block is full.
    #[inline(always)]
    pub(crate) fn literal(&mut self, byte: u8) -> bool {
        self.symbols.push(u32::from(byte));
        self.ltree.freq[byte as usize] += 1;
        self.symbols.len() == BLOCK_SYMBOLS
    }

    /// `_tr_tally_dist`: counts a match; true when the block is full.
    #[inline(always)]
    pub(crate) fn matched(&mut self, distance: usize, length: usize) -> bool {
        let lc = length - MIN_MATCH;
        self.symbols.push((distance as u32) << 8 | lc as u32);
        self.ltree.freq[TABLES.length_code[lc] as usize + LITERALS + 1] += 1;
        self.dtree.freq[dist_code(distance - 1)] += 1;
        self.symbols.len() == BLOCK_SYMBOLS
    }

    /// `_tr_flush_block`: writes the block as whichever of stored, fixed codes and
    /// dynamic codes is smallest, zlib's way. `stored` is the block's input when it is
    /// still in the window (zlib's `buf`); a block can only be stored then.
    pub(crate) fn flush(
        &mut self,
        bits: &mut BitWriter,
        out: &mut Vec<u8>,
        stored: Option<&[u8]>,
        last: bool,
    ) {
        self.heap
            .build(&mut self.ltree, &LITERAL_TREE, &mut self.cost);
        self.heap
            .build(&mut self.dtree, &DISTANCE_TREE, &mut self.cost);
        let max_blindex = self.build_bl_tree();

        let mut opt_lenb = (self.cost.opt_len + 3 + 7) >> 3;
        let static_lenb = (self.cost.static_len + 3 + 7) >> 3;
        if static_lenb <= opt_lenb {
            opt_lenb = static_lenb;
        }
        let last_bit = u32::from(last);
        match stored {
            Some(input) if input.len() as i64 + 4 <= opt_lenb => {
                bits.send(out, last_bit, 3);
                bits.align(out);
                let len = input.len() as u16;
                out.extend_from_slice(&len.to_le_bytes());
                out.extend_from_slice(&(!len).to_le_bytes());
                out.extend_from_slice(input);
            }
            _ if static_lenb == opt_lenb => {
                bits.send(out, (1 << 1) + last_bit, 3);
                compress(&self.symbols, bits, out, &STATIC_LTREE, &STATIC_DTREE);
            }
            _ => {
                bits.send(out, (2 << 1) + last_bit, 3);
                self.send_all_trees(bits, out, max_blindex + 1);
                let (ltree, dtree) = (&self.ltree.codes, &self.dtree.codes);
                compress(&self.symbols, bits, out, ltree, dtree);
            }
        }
        self.reset();
        if last {
            bits.align(out);
        }
    }

    /// `build_bl_tree`: the code-length code for the two trees; returns the index in
    /// [`BL_ORDER`] of the last code length to send.
    fn build_bl_tree(&mut self) -> usize {
        scan_tree(
            &self.ltree.codes.len,
            self.ltree.max_code,
            &mut self.bltree.freq,
        );
        scan_tree(
            &self.dtree.codes.len,
            self.dtree.max_code,
            &mut self.bltree.freq,
        );
        self.heap
            .build(&mut self.bltree, &BIT_LENGTH_TREE, &mut self.cost);
        // At least four code lengths are sent.
        let mut max_blindex = BL_CODES - 1;
        while max_blindex >= 3 && self.bltree.codes.len[BL_ORDER[max_blindex] as usize] == 0 {
            max_blindex -= 1;
        }
        self.cost.opt_len += 3 * (max_blindex as i64 + 1) + 5 + 5 + 4;
        max_blindex
    }

    /// `send_all_trees`: a dynamic block's header.
    fn send_all_trees(&self, bits: &mut BitWriter, out: &mut Vec<u8>, blcodes: usize) {
        let (lcodes, dcodes) = (self.ltree.max_code + 1, self.dtree.max_code + 1);
        bits.send(out, (lcodes - 257) as u32, 5);
        bits.send(out, (dcodes - 1) as u32, 5);
        bits.send(out, (blcodes - 4) as u32, 4);
        for &symbol in &BL_ORDER[..blcodes] {
            bits.send(out, u32::from(self.bltree.codes.len[symbol as usize]), 3);
        }
        let bl = &self.bltree.codes;
        send_tree(&self.ltree.codes.len, lcodes - 1, bl, bits, out);
        send_tree(&self.dtree.codes.len, dcodes - 1, bl, bits, out);
    }
}

/// `compress_block`: the block's symbols in the given codes, then end-of-block.
fn compress<const L: usize, const D: usize>(
    symbols: &[u32],
    bits: &mut BitWriter,
    out: &mut Vec<u8>,
    ltree: &Codes<L>,
    dtree: &Codes<D>,
) {
    let send_code = |bits: &mut BitWriter, out: &mut Vec<u8>, codes: &[u16], lens: &[u16], c| {
        bits.send(out, u32::from(codes[c]), u32::from(lens[c]));
    };
    for &symbol in symbols {
        let dist = (symbol >> 8) as usize;
        let lc = (symbol & 0xff) as usize;
        if dist == 0 {
            send_code(bits, out, &ltree.code, &ltree.len, lc);
            continue;
        }
        let code = TABLES.length_code[lc] as usize;
        send_code(bits, out, &ltree.code, &ltree.len, code + LITERALS + 1);
        let extra = u32::from(EXTRA_LBITS[code]);
        if extra != 0 {
            bits.send(out, (lc - TABLES.base_length[code] as usize) as u32, extra);
        }
        let dist = dist - 1;
        let code = dist_code(dist);
        send_code(bits, out, &dtree.code, &dtree.len, code);
        let extra = u32::from(EXTRA_DBITS[code]);
        if extra != 0 {
            bits.send(out, (dist - TABLES.base_dist[code] as usize) as u32, extra);
        }
    }
    send_code(bits, out, &ltree.code, &ltree.len, END_BLOCK);
}

/// How a run of equal code lengths is sent (shared by `scan_tree` and `send_tree`).
enum Run {
    /// `count` single lengths.
    Each(u16, usize),
    /// The length once if it differs from the previous one, then "repeat 3–6 times".
    Repeat { len: u16, count: usize, first: bool },
    /// 3–10 zeros.
    ShortZeros(usize),
    /// 11–138 zeros.
    LongZeros(usize),
}

/// zlib's run-length coding of a tree's code lengths, `lens[..=max_code]`.
fn runs(lens: &[u16], max_code: usize, mut each: impl FnMut(Run)) {
    let mut prevlen: Option<u16> = None;
    let mut nextlen = lens[0];
    let mut count = 0;
    let (mut max_count, mut min_count) = if nextlen == 0 { (138, 3) } else { (7, 4) };
    for n in 0..=max_code {
        let curlen = nextlen;
        // zlib puts a guard length of 0xffff after the last code.
        nextlen = if n < max_code { lens[n + 1] } else { 0xffff };
        count += 1;
        if count < max_count && curlen == nextlen {
            continue;
        } else if count < min_count {
            each(Run::Each(curlen, count));
        } else if curlen != 0 {
            let first = prevlen != Some(curlen);
            each(Run::Repeat {
                len: curlen,
                count,
                first,
            });
        } else if count <= 10 {
            each(Run::ShortZeros(count));
        } else {
            each(Run::LongZeros(count));
        }
        count = 0;
        prevlen = Some(curlen);
        (max_count, min_count) = if nextlen == 0 {
            (138, 3)
        } else if curlen == nextlen {
            (6, 3)
        } else {
            (7, 4)
        };
    }
}

/// `scan_tree`: counts the code-length codes a tree will be sent with.
fn scan_tree(lens: &[u16], max_code: usize, bl_freq: &mut [u32]) {
    runs(lens, max_code, |run| match run {
        Run::Each(len, count) => bl_freq[len as usize] += count as u32,
        Run::Repeat { len, first, .. } => {
            if first {
                bl_freq[len as usize] += 1;
            }
            bl_freq[REP_3_6] += 1;
        }
        Run::ShortZeros(_) => bl_freq[REPZ_3_10] += 1,
        Run::LongZeros(_) => bl_freq[REPZ_11_138] += 1,
    });
}

/// `send_tree`: sends a tree's code lengths in the code-length code `bl`.
fn send_tree<const B: usize>(
    lens: &[u16],
    max_code: usize,
    bl: &Codes<B>,
    bits: &mut BitWriter,
    out: &mut Vec<u8>,
) {
    let send = |bits: &mut BitWriter, out: &mut Vec<u8>, c: usize| {
        bits.send(out, u32::from(bl.code[c]), u32::from(bl.len[c]));
    };
    runs(lens, max_code, |run| match run {
        Run::Each(len, count) => {
            for _ in 0..count {
                send(bits, out, len as usize);
            }
        }
        Run::Repeat {
            len,
            mut count,
            first,
        } => {
            if first {
                send(bits, out, len as usize);
                count -= 1;
            }
            send(bits, out, REP_3_6);
            bits.send(out, (count - 3) as u32, 2);
        }
        Run::ShortZeros(count) => {
            send(bits, out, REPZ_3_10);
            bits.send(out, (count - 3) as u32, 3);
        }
        Run::LongZeros(count) => {
            send(bits, out, REPZ_11_138);
            bits.send(out, (count - 11) as u32, 7);
        }
    });
}

impl Heap {
    /// `smaller`: less frequent, or as frequent and no deeper.
    fn smaller(&self, freq: &[u32], n: u16, m: u16) -> bool {
        let (n, m) = (n as usize, m as usize);
        freq[n] < freq[m] || (freq[n] == freq[m] && self.depth[n] <= self.depth[m])
    }

    /// `pqdownheap`: moves node `k` down until both its sons are larger.
    fn down(&mut self, freq: &[u32], mut k: usize) {
        let v = self.heap[k];
        let mut j = k << 1;
        while j <= self.len {
            if j < self.len && self.smaller(freq, self.heap[j + 1], self.heap[j]) {
                j += 1;
            }
            if self.smaller(freq, v, self.heap[j]) {
                break;
            }
            self.heap[k] = self.heap[j];
            k = j;
            j <<= 1;
        }
        self.heap[k] = v;
    }

    /// `build_tree`: the Huffman code for `tree`'s frequencies, limited to the kind's
    /// maximum length; adds the tree's cost to `cost`.
    fn build<const N: usize>(&mut self, tree: &mut Tree<N>, kind: &TreeKind, cost: &mut BlockCost) {
        let elems = kind.elems;
        let mut max_code: isize = -1;
        self.len = 0;
        self.max = HEAP_SIZE;
        for n in 0..elems {
            if tree.freq[n] != 0 {
                self.len += 1;
                self.heap[self.len] = n as u16;
                max_code = n as isize;
                self.depth[n] = 0;
            } else {
                tree.codes.len[n] = 0;
            }
        }
        // Deflate needs at least one distance code, and at least one bit per code: zlib
        // forces two codes of non-zero frequency.
        while self.len < 2 {
            let node = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            self.len += 1;
            self.heap[self.len] = node as u16;
            tree.freq[node] = 1;
            self.depth[node] = 0;
            cost.opt_len -= 1;
            if let Some(static_len) = kind.static_len {
                cost.static_len -= i64::from(static_len[node]);
            }
        }
        let max_code = max_code as usize;
        tree.max_code = max_code;

        for n in (1..=self.len / 2).rev() {
            self.down(&tree.freq, n);
        }
        // Combine the two least frequent nodes until one is left.
        let mut node = elems;
        loop {
            let n = self.heap[1];
            self.heap[1] = self.heap[self.len];
            self.len -= 1;
            self.down(&tree.freq, 1);
            let m = self.heap[1];
            self.max -= 1;
            self.heap[self.max] = n;
            self.max -= 1;
            self.heap[self.max] = m;

            let (n, m) = (n as usize, m as usize);
            tree.freq[node] = tree.freq[n] + tree.freq[m];
            self.depth[node] = self.depth[n].max(self.depth[m]) + 1;
            tree.dad[n] = node as u16;
            tree.dad[m] = node as u16;
            self.heap[1] = node as u16;
            node += 1;
            self.down(&tree.freq, 1);
            if self.len < 2 {
                break;
            }
        }
        self.max -= 1;
        self.heap[self.max] = self.heap[1];

        self.bit_lengths(tree, kind, max_code, cost);
        let mut next = first_codes(&self.bl_count);
        for n in 0..=max_code {
            let len = tree.codes.len[n] as usize;
            if len != 0 {
                tree.codes.code[n] = reverse(u32::from(next[len]), len as u32);
                next[len] += 1;
            }
        }
    }

    /// `gen_bitlen`: each code's length from its depth in the tree; lengths over the
    /// maximum are brought down zlib's way (moving leaves until the counts fit).
    fn bit_lengths<const N: usize>(
        &mut self,
        tree: &mut Tree<N>,
        kind: &TreeKind,
        max_code: usize,
        cost: &mut BlockCost,
    ) {
        let max_length = kind.max_length;
        self.bl_count = [0; MAX_BITS + 1];
        let mut overflow = 0;
        let len = &mut tree.codes.len;
        len[self.heap[self.max] as usize] = 0;
        for h in self.max + 1..HEAP_SIZE {
            let n = self.heap[h] as usize;
            let mut bits = len[tree.dad[n] as usize] + 1;
            if bits > max_length {
                bits = max_length;
                overflow += 1;
            }
            len[n] = bits;
            if n > max_code {
                continue;
            }
            self.bl_count[bits as usize] += 1;
            let xbits = if n >= kind.extra_base {
                i64::from(kind.extra_bits[n - kind.extra_base])
            } else {
                0
            };
            let f = i64::from(tree.freq[n]);
            cost.opt_len += f * (i64::from(bits) + xbits);
            if let Some(static_len) = kind.static_len {
                cost.static_len += f * (i64::from(static_len[n]) + xbits);
            }
        }
        if overflow == 0 {
            return;
        }
        let max_length = max_length as usize;
        while overflow > 0 {
            let mut bits = max_length - 1;
            while self.bl_count[bits] == 0 {
                bits -= 1;
            }
            self.bl_count[bits] -= 1;
            self.bl_count[bits + 1] += 2;
            self.bl_count[max_length] -= 1;
            overflow -= 2;
        }
        // Hand the lengths out again, the least frequent leaves getting the longest.
        let mut h = HEAP_SIZE;
        for bits in (1..=max_length).rev() {
            let mut n = self.bl_count[bits];
            while n != 0 {
                h -= 1;
                let m = self.heap[h] as usize;
                if m > max_code {
                    continue;
                }
                if len[m] as usize != bits {
                    cost.opt_len += (bits as i64 - i64::from(len[m])) * i64::from(tree.freq[m]);
                    len[m] = bits as u16;
                }
                n -= 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Literals with Fibonacci frequencies 1, 2, 3, 5, … (with end-of-block's 1, the whole
    /// sequence): the optimal code would be 18 bits deep, so zlib's length limiting must
    /// bring it to 15 and still give a complete code.
    #[test]
    fn codes_deeper_than_15_bits_are_limited_to_a_complete_code() {
        let mut literals = Vec::new();
        let (mut a, mut b) = (1, 2);
        for symbol in 0..18u8 {
            literals.extend(std::iter::repeat_n(symbol * 13, a));
            (a, b) = (b, a + b);
        }
        assert!(literals.len() < BLOCK_SYMBOLS);
        let mut block = Block::new();
        for &byte in &literals {
            assert!(!block.literal(byte));
        }
        let (mut bits, mut out) = (BitWriter::default(), Vec::new());
        block.flush(&mut bits, &mut out, None, true);

        let lens = &block.ltree.codes.len[..L_CODES];
        assert_eq!(lens.iter().max(), Some(&(MAX_BITS as u16)));
        let kraft: f64 = lens
            .iter()
            .filter(|&&l| l > 0)
            .map(|&l| 0.5f64.powi(l.into()))
            .sum();
        assert_eq!(kraft, 1.0, "a complete prefix code");
        // zlib 1.3.1 deflating the same bytes with Z_HUFFMAN_ONLY (literals only, so the
        // same single block) writes 3620 bytes with this CRC-32.
        let mut crc = flate2::Crc::new();
        crc.update(&out);
        assert_eq!((out.len(), crc.sum()), (3620, 1_597_454_864));
        let mut inflated = Vec::new();
        flate2::read::DeflateDecoder::new(&out[..])
            .read_to_end(&mut inflated)
            .unwrap();
        assert_eq!(inflated, literals);
    }
}
