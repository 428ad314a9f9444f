//! Running the `producer-sim` binary the way a user runs it, for the CLI tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs the binary with `args`, writing `stdin` (if any) to its standard input.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_producer-sim"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the producer-sim binary starts");
    {
        let mut input = child.stdin.take().expect("stdin is piped");
        if let Some(bytes) = stdin {
            // A refused command may exit before it reads its input (a closed pipe): its
            // output says so, and the tests check that.
            let _ = input.write_all(bytes);
        }
    }
    child.wait_with_output().expect("the binary finishes")
}
