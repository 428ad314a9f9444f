//! Browser smoke test: the app mounts in a real page and renders the hero's heading and
//! the product's name in the top bar.
//!
//! Browser tests are the files named `tests/web_*.rs`; `scripts/test.sh` runs each with
//! `cargo test --target wasm32-unknown-unknown --test web_NAME` in headless Chromium.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web.rs"]
mod support;
use support::fresh_container;

/// The page's one `<h1>`: the hero's heading (the page specification names it).
const HEADING: &str = "Build Reliable Event Pipelines";
/// The product's name, shown by the top bar's brand link.
const BRAND: &str = "producer-sim";

#[wasm_bindgen_test]
fn app_mounts_and_renders_its_heading_and_brand() {
    let container = fresh_container();
    let _mounted = leptos::mount::mount_to(container.clone(), producer_sim::ui::App);

    let heading = container
        .query_selector("h1")
        .expect("a valid selector")
        .expect("the app renders an <h1>");
    assert_eq!(heading.text_content().unwrap_or_default().trim(), HEADING);
    let h1_count = container.inner_html().matches("<h1").count();
    assert_eq!(h1_count, 1, "exactly one <h1> on the page");

    let brand = container
        .query_selector("nav a.topbar__brand")
        .expect("a valid selector")
        .expect("the top bar has a brand link");
    assert_eq!(brand.text_content().unwrap_or_default().trim(), BRAND);
    assert_eq!(brand.get_attribute("href").as_deref(), Some("#top"));
}
