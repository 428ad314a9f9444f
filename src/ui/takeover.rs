//! Taking over the page rendered at build time (`src/bin/render-page.rs`).
//!
//! The page is taken over one live part at a time (`ui::PARTS`), each in a task of its
//! own, starting after the browser has painted the rendered page: no single long task
//! holds the page between its first paint and its first answer, and the rendered text
//! the reader sees first stays the page's largest contentful paint. The skip link, the
//! navigation and the footer have nothing live: they stay as rendered.
//!
//! For each part the app builds its own DOM off-screen and swaps it in for the rendered
//! element in one step, within one task: the browser paints the rendered part until then
//! and the app's identical part right after, with no frame in between (no flash, no
//! shift, the scroll position kept). Whatever the reader typed, ticked or chose before
//! is noted first and handed to the app's controls afterwards, as the input events they
//! listen to; the focus stays on the same control.
//!
//! Leptos's hydration would keep the rendered nodes instead, but its second copy of
//! every view's code costs about 45 kB of gzipped WebAssembly, which the page's bundle
//! budget has no room for (README, "Build-time rendering").

use super::settings::{PageSettings, UrlNotice};
use super::{hooks::next_task, Part};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement,
    HtmlTextAreaElement,
};

/// The attribute `render-page` puts on `<body>` when it holds the rendered page.
pub const RENDERED_MARK: &str = "data-rendered";

const CONTROLS: &str = "input, select, textarea";

/// Blocks with no reactive content: where the app built the same markup, the
/// rendered block itself is kept, so the browser keeps counting its first paint as the
/// page's largest contentful paint (a new node would count as painted anew).
const STATIC_BLOCKS: &str = ".hero__text, .section__head, .cards";

/// A control the reader changed from its rendered state, by its place among its part's
/// controls (the app's part has the same controls in the same order).
struct ChangedControl {
    index: u32,
    change: Change,
}

enum Change {
    Value(String),
    Checked(bool),
}

/// Whether `body` holds the page rendered at build time.
pub fn is_rendered(body: &HtmlElement) -> bool {
    body.has_attribute(RENDERED_MARK)
}

/// Takes over the rendered page in `body`, part by part, once the browser has painted
/// it; then calls `done`. The parts share one set of page settings, read from the URL.
pub fn take_over_page(document: Document, body: HtmlElement, done: impl FnOnce() + 'static) {
    // The settings outlive every part: their owner lives as long as the page.
    let owner = Owner::new_root(None);
    let settings = owner.with(PageSettings::from_location);
    std::mem::forget(owner);
    // A frame is painted before the next task after this animation frame.
    request_animation_frame(move || {
        next_task(move || {
            show_url_notice(&document, settings);
            take_over_from(document, body, settings, super::PARTS, done);
        });
    });
}

/// Takes over `parts[0]` now and the rest in later tasks.
fn take_over_from(
    document: Document,
    body: HtmlElement,
    settings: PageSettings,
    parts: &'static [Part],
    done: impl FnOnce() + 'static,
) {
    let Some(((id, view), rest)) = parts.split_first() else {
        let _ = body.remove_attribute(RENDERED_MARK);
        done();
        return;
    };
    if let Some(rendered) = document.get_element_by_id(id) {
        let timing = window().performance();
        let mark = format!("take-over #{id}");
        timing.as_ref().map(|t| t.mark(&mark));
        take_over(&document, &rendered, move |into| {
            leptos::mount::mount_to(into, move || {
                provide_context(settings);
                view()
            })
            .forget();
        });
        timing.map(|t| t.measure_with_start_mark(&mark, &mark));
    }
    next_task(move || take_over_from(document, body, settings, rest, done));
}

/// What a shared link asked for that could not be used, at the top of `<main>` (the
/// rendered page has no URL, so it never shows the notice).
fn show_url_notice(document: &Document, settings: PageSettings) {
    let Some(main) = document.get_element_by_id("main") else {
        return;
    };
    let Some(staging) = document.create_element("div").ok() else {
        return;
    };
    let into = staging.clone().unchecked_into::<HtmlElement>();
    leptos::mount::mount_to(into, move || {
        provide_context(settings);
        view! { <UrlNotice/> }
    })
    .forget();
    while let Some(node) = staging.last_child() {
        let _ = main.prepend_with_node_1(&node);
    }
}

/// Replaces the `rendered` element with the app's, built by `mount` into the element
/// it is given, keeping what the reader did with the rendered one.
pub fn take_over(document: &Document, rendered: &Element, mount: impl FnOnce(HtmlElement)) {
    let changed = changed_controls(rendered);
    let focused = document
        .active_element()
        .and_then(|active| control_index(rendered, &active));
    let Some(staging) = document
        .create_element("div")
        .ok()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    mount(staging.clone());
    keep_static_blocks(rendered, &staging);
    let Some(built) = staging.first_element_child() else {
        return;
    };
    let nodes = js_sys::Array::new();
    while let Some(node) = staging.first_child() {
        let _ = staging.remove_child(&node);
        nodes.push(&node);
    }
    let _ = rendered.replace_with_with_node(&nodes);

    restore(&built, changed);
    if let Some(index) = focused {
        if let Some(control) =
            control_at(&built, index).and_then(|c| c.dyn_into::<HtmlElement>().ok())
        {
            let _ = control.focus();
        }
    }
}

/// Puts the rendered static blocks in place of the app's identical ones.
fn keep_static_blocks(rendered: &Element, built: &Element) {
    let (old, new) = (all(rendered, STATIC_BLOCKS), all(built, STATIC_BLOCKS));
    if old.len() != new.len() {
        return;
    }
    for (old, new) in old.iter().zip(&new) {
        // Same text and shape (attribute order may differ between the two renderers).
        let same = old.text_content() == new.text_content()
            && old.child_element_count() == new.child_element_count()
            && old.get_elements_by_tag_name("*").length()
                == new.get_elements_by_tag_name("*").length();
        if same {
            let _ = new.replace_with_with_node_1(old);
        }
    }
}

fn controls(root: &Element) -> Vec<Element> {
    all(root, CONTROLS)
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

fn control_index(root: &Element, element: &Element) -> Option<u32> {
    controls(root)
        .iter()
        .position(|c| c.is_same_node(Some(element)))
        .and_then(|i| u32::try_from(i).ok())
}

fn control_at(root: &Element, index: u32) -> Option<Element> {
    controls(root).into_iter().nth(index as usize)
}

/// The controls whose value differs from the markup's.
fn changed_controls(root: &Element) -> Vec<ChangedControl> {
    controls(root)
        .into_iter()
        .zip(0..)
        .filter_map(|(element, index)| {
            let change = if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                match input.type_().as_str() {
                    "checkbox" | "radio" => (input.checked() != input.default_checked())
                        .then(|| Change::Checked(input.checked())),
                    _ => (input.value() != input.default_value())
                        .then(|| Change::Value(input.value())),
                }
            } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
                (Ok(area.value()) != area.default_value()).then(|| Change::Value(area.value()))
            } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                let rendered = select
                    .query_selector("option[selected]")
                    .ok()
                    .flatten()
                    .and_then(|o| o.get_attribute("value"));
                rendered
                    .is_some_and(|r| r != select.value())
                    .then(|| Change::Value(select.value()))
            } else {
                None
            };
            Some(ChangedControl {
                index,
                change: change?,
            })
        })
        .collect()
}

/// Sets each control as the reader left it and tells the app, as the browser would have.
fn restore(root: &Element, changed: Vec<ChangedControl>) {
    let all = controls(root);
    for ChangedControl { index, change } in changed {
        let Some(element) = all.get(index as usize) else {
            continue;
        };
        match change {
            Change::Value(value) => {
                if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                    input.set_value(&value);
                } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
                    area.set_value(&value);
                } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                    select.set_value(&value);
                }
            }
            Change::Checked(checked) => {
                if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                    input.set_checked(checked);
                }
            }
        }
        for name in ["input", "change"] {
            let init = EventInit::new();
            init.set_bubbles(true);
            if let Ok(event) = Event::new_with_event_init_dict(name, &init) {
                let _ = element.dispatch_event(&event);
            }
        }
    }
}
