//! Browser tests of what "Throughput vs Durability" says about its runs: every figure sits
//! under the run that measured it, the runs use the producer of the client picked at the
//! top of the page, and the chart follows the window's size.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use leptos::prelude::*;
use producer_sim::engine::clients::Client;
use producer_sim::ui::clients::ClientPicker;
use producer_sim::ui::settings::{use_tradeoff_settings, PageSettings};
use producer_sim::ui::tradeoffs::ThroughputVsDurability;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web.rs"]
mod support;
use support::{find, fresh_container, number, set_value, sleep, value_of};

fn text(root: &Element, selector: &str) -> String {
    find(root, selector)
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn figure(root: &Element, id: &str) -> String {
    text(root, &format!("[data-figure=\"{id}\"]"))
}

/// Waits until the section has measured the current settings' scores.
async fn scores_measured(section: &Element) {
    for _ in 0..2400 {
        if section.get_attribute("data-scores-ms").is_some() {
            return;
        }
        sleep(50).await;
    }
    panic!("no scores within two minutes");
}

/// The client picker and the section on one set of page settings, as on the page.
fn mount_with_picker() -> HtmlElement {
    mount_on(PageSettings::defaults())
}

fn mount_on(page: PageSettings) -> HtmlElement {
    let container = fresh_container();
    leptos::mount::mount_to(container.clone(), move || {
        provide_context(page);
        view! {
            <ClientPicker/>
            <ThroughputVsDurability settings=use_tradeoff_settings()/>
        }
    })
    .forget();
    container
}

#[wasm_bindgen_test]
async fn each_figure_sits_under_the_run_that_measured_it() {
    let root: Element = mount_with_picker().into();
    let section = find(&root, "#throughput-vs-durability");
    // linger.ms 0 at the steady rate sends batches of a record or two, which lz4 hardly
    // shrinks; the full-speed run fills its batches.
    set_value(&find(&root, "#tradeoffs-linger-ms"), "0", "input");
    set_value(&find(&root, "#tradeoffs-compression-type"), "lz4", "change");
    sleep(0).await;
    scores_measured(&section).await;

    let runs: Vec<String> = (0..3)
        .map(|i| {
            let group = section
                .query_selector_all("[data-run]")
                .unwrap()
                .item(i)
                .unwrap()
                .dyn_into::<Element>()
                .unwrap();
            group.get_attribute("data-run").unwrap()
        })
        .collect();
    assert_eq!(runs, ["full-speed", "steady-rate", "replays"]);
    for (run, title, figures) in [
        (
            "full-speed",
            "Full-speed run",
            &[
                "records-per-sec",
                "mb-per-sec",
                "full-speed-batch-size-avg",
                "full-speed-compression-rate",
            ][..],
        ),
        (
            "steady-rate",
            "Steady-rate run",
            &[
                "p50-ms",
                "p99-ms",
                "steady-rate-batch-size-avg",
                "steady-rate-compression-rate",
            ][..],
        ),
        ("replays", "Failure replays", &["replay"][..]),
    ] {
        let group = find(&section, &format!("[data-run=\"{run}\"]"));
        assert_eq!(text(&group, "h3"), title);
        assert_eq!(
            group.get_attribute("aria-labelledby").as_deref(),
            Some(format!("tradeoffs-run-{run}").as_str())
        );
        for id in figures {
            assert!(
                !figure(&group, id).is_empty(),
                "{id} is shown under the {run} run"
            );
        }
        // Metric names stay Kafka's.
        if run != "replays" {
            let names = group.text_content().unwrap_or_default();
            assert!(names.contains("batch-size-avg") && names.contains("compression-rate-avg"));
        }
    }
    let steady = text(&section, "[data-run-caption=\"steady-rate\"]");
    console_log!("steady-rate run: {steady}");
    assert!(
        steady.starts_with("2,500 records at 5,000 records/s over 0.5 s"),
        "{steady}"
    );
    assert!(text(&section, "[data-run-caption=\"full-speed\"]")
        .starts_with("5,000 records sent as fast as the producer accepts them"));

    // Each run's compression-rate-avg belongs to its own batches.
    let full_batch = number(&figure(&section, "full-speed-batch-size-avg"));
    let steady_batch = number(&figure(&section, "steady-rate-batch-size-avg"));
    let full_rate = number(&figure(&section, "full-speed-compression-rate"));
    let steady_rate = number(&figure(&section, "steady-rate-compression-rate"));
    console_log!(
        "batch-size-avg {full_batch} / {steady_batch}, compression-rate-avg {full_rate} / {steady_rate}"
    );
    assert!(steady_batch < full_batch / 4.0);
    assert!(steady_rate > full_rate + 0.2);
}

#[wasm_bindgen_test]
async fn the_picked_client_runs_with_its_own_defaults_and_rules() {
    let page = PageSettings::defaults();
    let root: Element = mount_on(page).into();
    let section = find(&root, "#throughput-vs-durability");
    assert!(text(&section, "[data-testid=tradeoffs-client]").contains("Java (Kafka 4.x)"));
    assert_eq!(
        text(&section, "output[for=tradeoffs-batch-size]"),
        "16384 bytes (16 KiB)"
    );
    scores_measured(&section).await;
    let java_batch = number(&figure(&section, "full-speed-batch-size-avg"));
    let java_replay = figure(&section, "replay");
    assert!(java_replay.ends_with(" 0 duplicated"), "{java_replay}");

    let radio: HtmlElement = find(&root, "[data-testid=client-librdkafka]")
        .dyn_into()
        .unwrap();
    radio.click();
    sleep(50).await;
    // librdkafka's defaults (engine::clients::librdkafka, from its CONFIGURATION.md):
    // batch.size 1000000, linger.ms 5, enable.idempotence false.
    assert!(text(&section, "[data-testid=tradeoffs-client]").contains(Client::Librdkafka.label()));
    assert_eq!(
        text(&section, "output[for=tradeoffs-batch-size]"),
        "1000000 bytes"
    );
    assert_eq!(text(&section, "output[for=tradeoffs-linger-ms]"), "5 ms");
    assert_eq!(
        value_of(&find(&section, "#tradeoffs-enable-idempotence")),
        "false"
    );
    // Unset means Java's rule, which is not librdkafka's: not offered.
    assert!(find(
        &section,
        "#tradeoffs-enable-idempotence option[value=unset]"
    )
    .has_attribute("disabled"));
    scores_measured(&section).await;
    let rdkafka_batch = number(&figure(&section, "full-speed-batch-size-avg"));
    let rdkafka_replay = figure(&section, "replay");
    console_log!(
        "full-speed batch-size-avg: Java {java_batch}, librdkafka {rdkafka_batch}; replays: Java {java_replay:?}, librdkafka {rdkafka_replay:?}"
    );
    assert!(
        rdkafka_batch > java_batch,
        "1,000,000-byte batches fill fuller"
    );
    // Without idempotence the batch retried after a lost answer is written twice.
    let duplicated = number(rdkafka_replay.split(", ").nth(1).unwrap());
    assert!(duplicated > 0.0, "{rdkafka_replay}");
    // Their defaults are the throughput reference, and put nothing in the link.
    assert_eq!(
        find(&section, "[data-score=\"throughput\"]")
            .get_attribute("aria-valuenow")
            .as_deref(),
        Some("50")
    );
    for key in ["batch.size", "linger.ms", "enable.idempotence"] {
        assert_eq!(page.chosen(&format!("tradeoff.{key}")), None, "{key}");
    }

    // A change of the reader's is kept across clients; the rest follows the client.
    set_value(&find(&section, "#tradeoffs-linger-ms"), "7", "input");
    sleep(50).await;
    assert_eq!(page.chosen("tradeoff.linger.ms").as_deref(), Some("100"));
    let java: HtmlElement = find(&root, "[data-testid=client-java]").dyn_into().unwrap();
    java.click();
    sleep(50).await;
    assert_eq!(text(&section, "output[for=tradeoffs-linger-ms]"), "100 ms");
    assert_eq!(
        text(&section, "output[for=tradeoffs-batch-size]"),
        "16384 bytes (16 KiB)"
    );
    assert_eq!(page.chosen("tradeoff.batch.size"), None);
}

fn backing_width(canvas: &HtmlCanvasElement) -> (u32, i32) {
    (canvas.width(), canvas.client_width())
}

#[wasm_bindgen_test]
async fn the_chart_is_redrawn_at_its_new_size_when_the_window_is_resized() {
    let container = mount_with_picker();
    let root: Element = container.clone().into();
    let canvas: HtmlCanvasElement = find(&root, ".tradeoffs__canvas").dyn_into().unwrap();
    // The page's stylesheet (not loaded here) sizes the canvas's box so.
    canvas
        .set_attribute("style", "display: block; width: 100%; height: 320px")
        .unwrap();
    let ratio = web_sys::window().unwrap().device_pixel_ratio().max(1.0);
    let to_device = |w: i32| (f64::from(w.max(320)) * ratio) as u32;
    container.set_attribute("style", "width: 900px").unwrap();
    let resize = || {
        web_sys::window()
            .unwrap()
            .dispatch_event(&web_sys::Event::new("resize").unwrap())
            .unwrap();
    };
    resize();
    sleep(50).await;
    let (backing, wide_css) = backing_width(&canvas);
    assert!(wide_css > 600, "the canvas fills its box: {wide_css}");
    assert_eq!(
        backing,
        to_device(wide_css),
        "the backing store matches the box"
    );

    // The window narrows (a phone turned, a window dragged): the canvas box follows the
    // layout at once, its backing store only when the chart is drawn again.
    container.set_attribute("style", "width: 360px").unwrap();
    resize();
    sleep(50).await;
    let (backing, narrow_css) = backing_width(&canvas);
    assert!(narrow_css < 360, "{narrow_css}");
    assert_eq!(backing, to_device(narrow_css), "redrawn at the new width");
    let height = canvas.height();
    assert_eq!(
        height,
        (f64::from(canvas.client_height()) * ratio) as u32,
        "and height"
    );
}
