//! The `producer-sim` command line. STUB: the CLI helper builds it.

fn main() {
    println!("producer-sim");
}
