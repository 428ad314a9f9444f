//! The browser build reproduces the native run recorded in tests/golden.
#![cfg(target_arch = "wasm32")]

#[path = "determinism_scenario.rs"]
mod determinism_scenario;
use determinism_scenario::{fingerprint, golden_run, GOLDEN};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn wasm_run_matches_the_native_digest() {
    assert_eq!(fingerprint(&golden_run()), GOLDEN.trim());
}
