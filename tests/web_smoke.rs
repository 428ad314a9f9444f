//! Browser smoke test: the app mounts in a real page and renders the hero's heading and
//! the product's name in the top bar.
//!
//! Browser tests are the files named `tests/web_*.rs`; `scripts/test.sh` runs each with
//! `cargo test --target wasm32-unknown-unknown --test web_NAME` in headless Chromium.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// The page's one `<h1>`: the hero's heading (the page specification names it).
const HEADING: &str = "Build Reliable Event Pipelines";
/// The product's name, shown by the top bar's brand link.
const BRAND: &str = "producer-sim";

/// A new, empty element in the page: the test runner's own page already has text in
/// its body, so assertions look only inside this.
fn fresh_container() -> HtmlElement {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .expect("a document");
    let container: HtmlElement = document
        .create_element("div")
        .expect("create a div")
        .dyn_into()
        .expect("a div is an HtmlElement");
    document
        .body()
        .expect("a body")
        .append_child(&container)
        .expect("append the container");
    container
}

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
