//! The Leptos app: one page, one section per file or folder, in page order.
//!
//! Sections read engine state and send it commands; Kafka's rules live in the engine.
//! Shared settings come from the URL (`settings`); animated sections run a `LiveSim`
//! on a `requestAnimationFrame` loop (`hooks`).

pub mod canvas_chart;
pub mod clients;
pub mod error_banner;
pub mod flow;
pub mod hero;
pub mod hooks;
pub mod how_producers_work;
pub mod key_settings;
pub mod live_sim;
pub mod partition_assignment;
pub mod quiz;
pub mod section;
pub mod settings;
pub mod takeover;
pub mod tradeoffs;
pub mod write_path;
pub mod your_data;

use leptos::prelude::*;
use settings::{PageSettings, UrlNotice};

/// The sections, for the page's navigation: (anchor, label).
pub const SECTIONS: &[(&str, &str)] = &[
    ("how-producers-work", "How it works"),
    ("partition-assignment", "Partitions"),
    ("write-path", "Write path"),
    ("key-settings", "Settings"),
    ("throughput-vs-durability", "Trade-offs"),
    ("test-yourself", "Quiz"),
];

/// The page's settings: from its URL in the browser; Kafka's defaults when the page is
/// rendered at build time (there is no URL then, and no browser to ask).
fn page_settings() -> PageSettings {
    if cfg!(feature = "ssr") {
        PageSettings::from_url_settings(settings::read_query(""), true)
    } else {
        PageSettings::from_location()
    }
}

/// A live part of the page: the id of its top-level element, and its view.
pub type Part = (&'static str, fn() -> AnyView);

/// The page's live parts, in page order (inside `<main>`, after the `UrlNotice`). The
/// page rendered at build time is taken over one part per task, each when the reader
/// gets near it (`takeover`); the skip
/// link, the navigation and the footer have nothing live and stay as rendered.
pub const PARTS: &[Part] = &[
    ("top", || view! { <hero::Hero/> }.into_any()),
    ("how-producers-work", || {
        view! { <how_producers_work::HowProducersWork/> }.into_any()
    }),
    ("client", || view! { <clients::ClientPicker/> }.into_any()),
    ("partition-assignment", || {
        view! { <partition_assignment::PartitionAssignment/> }.into_any()
    }),
    ("write-path", || {
        view! { <write_path::WritePath/> }.into_any()
    }),
    ("key-settings", || {
        view! { <key_settings::KeySettings/> }.into_any()
    }),
    ("throughput-vs-durability", || {
        view! { <tradeoffs::ThroughputVsDurability settings=settings::use_tradeoff_settings()/> }
            .into_any()
    }),
    ("test-yourself", || {
        view! { <quiz::TestYourself/> }.into_any()
    }),
];

#[component]
pub fn App() -> impl IntoView {
    provide_context(page_settings());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <nav class="topbar" aria-label="Sections">
            <a class="topbar__brand" href="#top">
                <svg class="topbar__logo" viewBox="0 0 24 24" aria-hidden="true">
                    <circle cx="5" cy="12" r="3" />
                    <circle cx="19" cy="5" r="3" />
                    <circle cx="19" cy="19" r="3" />
                    <path d="M8 12h4m0 0 5-6m-5 6 5 6" />
                </svg>
                "producer-sim"
            </a>
            <ul class="topbar__links">
                {SECTIONS
                    .iter()
                    .map(|(id, label)| view! { <li><a href=format!("#{id}")>{*label}</a></li> })
                    .collect_view()}
            </ul>
        </nav>
        <main id="main" class="page" tabindex="-1">
            <UrlNotice/>
            {PARTS.iter().map(|(_, part)| part()).collect_view()}
        </main>
        <footer class="footer">
            <p>
                "producer-sim simulates Apache Kafka® producers in your browser; nothing leaves this page. "
                "Apache Kafka is a trademark of the Apache Software Foundation."
            </p>
        </footer>
    }
}
