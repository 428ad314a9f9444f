//! The browser entry point: install the panic banner, then start the app. The same
//! module also runs in the measuring worker, which has no page to start.
//!
//! A release build's `index.html` already holds the page rendered at build time
//! (`src/bin/render-page.rs`); the app takes it over part by part, after the browser
//! has painted it, each part below the first screen when the reader gets near it
//! (`ui::takeover`). Without it (the browser tests' pages), the app
//! mounts into `<body>`.

use producer_sim::ui::{takeover, App};
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::Document;

fn main() {
    let Some(window) = web_sys::window() else {
        return;
    };
    producer_sim::ui::error_banner::install_panic_hook();
    let Some((document, body)) = window.document().and_then(|d| Some((d.clone(), d.body()?)))
    else {
        return;
    };
    if takeover::is_rendered(&body) {
        let page = document.clone();
        takeover::take_over_page(document, body, move || mark_ready(&page));
    } else {
        leptos::mount::mount_to_body(App);
        mark_ready(&document);
    }
}

/// The page answers input from here on: the parts near the first screen are live and
/// every other one is taken over when it is reached (the end-to-end tests wait for this,
/// then for the part they use to be marked `data-live`).
fn mark_ready(document: &Document) {
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("data-app", "ready");
    }
}

/// The measuring worker's entry point, called by `assets/measure-worker.js`.
#[wasm_bindgen]
pub fn serve_measure_worker(early: js_sys::Array) {
    producer_sim::ui::tradeoffs::worker::serve(early);
}
