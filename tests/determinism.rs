//! The same seed and config give the same run, here and in the browser build.

#[path = "determinism_scenario.rs"]
mod determinism_scenario;
use determinism_scenario::{fingerprint, golden_run, GOLDEN};

#[test]
fn native_run_matches_the_recorded_digest() {
    let first = fingerprint(&golden_run());
    assert_eq!(
        first,
        fingerprint(&golden_run()),
        "two runs in one process differ"
    );
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/golden/determinism.digest"
        );
        std::fs::write(path, format!("{first}\n")).unwrap();
        return;
    }
    assert_eq!(
        first,
        GOLDEN.trim(),
        "the engine's behaviour changed: if on purpose, re-record with UPDATE_GOLDEN=1"
    );
}
