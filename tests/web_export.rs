//! Browser tests of Export config in "Throughput vs Durability": every client's format by
//! tab, and a combination the clients refuse (acks other than all with
//! enable.idempotence=true) offered by none, with the reason on the page and Copy
//! disabled.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use leptos::prelude::*;
use producer_sim::engine::config::Acks;
use producer_sim::engine::tradeoff::TradeoffSettings;
use producer_sim::reference::export::ExportFormat;
use producer_sim::ui::tradeoffs::ThroughputVsDurability;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlButtonElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web.rs"]
mod support;
use support::{find, fresh_container, set_value, sleep, value_of};

/// Not shown: no layout box (`display: none`; the page's stylesheet makes the textarea a
/// block, so the `hidden` attribute alone would not hide it).
fn hidden(root: &Element, selector: &str) -> bool {
    find(root, selector)
        .dyn_into::<HtmlElement>()
        .unwrap()
        .offset_height()
        == 0
}

fn copy_disabled(root: &Element) -> bool {
    find(root, ".tradeoffs__copy")
        .dyn_into::<HtmlButtonElement>()
        .unwrap()
        .disabled()
}

fn choose(root: &Element, format: ExportFormat) {
    find(root, &format!("#tradeoffs-export-tab-{}", format.id()))
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

#[wasm_bindgen_test]
async fn a_refused_combination_is_never_offered_and_every_client_says_why() {
    let container = fresh_container();
    let settings = RwSignal::new(TradeoffSettings {
        acks: Acks::One,
        enable_idempotence: Some(true),
        ..TradeoffSettings::default()
    });
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <ThroughputVsDurability settings=settings/> }
    });
    let root: Element = container.into();
    sleep(0).await;

    let textarea = find(&root, "#tradeoffs-export-text");
    for format in ExportFormat::ALL {
        choose(&root, format);
        sleep(0).await;
        let reason = find(&root, "[data-testid=export-refused]")
            .text_content()
            .unwrap_or_default();
        let (message, _) = format.client().idempotence_needs_acks_all();
        assert!(reason.contains(message), "{format:?}: {reason}");
        assert!(
            reason.contains("acks=1 with enable.idempotence=true"),
            "{reason}"
        );
        assert!(!hidden(&root, "[data-testid=export-refused]"));
        assert!(hidden(&root, "#tradeoffs-export-text"), "{format:?}");
        assert_eq!(value_of(&textarea), "", "nothing to copy");
        assert!(copy_disabled(&root));
        assert!(hidden(&root, ".tradeoffs__copy"));
    }

    // acks=all: the idempotent producer every client accepts, offered again.
    set_value(&find(&root, "#tradeoffs-acks"), "all", "change");
    sleep(0).await;
    assert!(hidden(&root, "[data-testid=export-refused]"));
    assert!(!hidden(&root, "#tradeoffs-export-text"));
    assert!(!copy_disabled(&root));
    assert!(!hidden(&root, ".tradeoffs__copy"));
    let franz_go = value_of(&textarea);
    assert!(
        franz_go.contains("\tkgo.RequiredAcks(kgo.AllISRAcks()),\n"),
        "{franz_go}"
    );
    assert!(!franz_go.contains("DisableIdempotentWrite"), "{franz_go}");

    // Each client's own names and idioms, by tab.
    for (format, expected) in [
        (ExportFormat::Kafkajs, "  idempotent: true,\n"),
        (ExportFormat::Sarama, "config.Net.MaxOpenRequests = 1"),
        (ExportFormat::Python, "\"enable.idempotence\": True,"),
    ] {
        choose(&root, format);
        sleep(0).await;
        assert_eq!(
            textarea.get_attribute("data-format").as_deref(),
            Some(format.id())
        );
        let text = value_of(&textarea);
        assert!(text.contains(expected), "{format:?}: {text}");
    }
}
