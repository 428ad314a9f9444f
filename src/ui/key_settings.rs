//! The "Key Settings" section: the settings a producer user meets, and for the one
//! selected its values, trade-offs, recommendation, Kafka default with its history, and
//! what the other clients call it.
//!
//! The data is `crate::reference::settings`; this file only presents it.

use super::section::SectionHeader;
use crate::reference::settings::{Client, Scope, Setting, SETTINGS};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The id of the list button for the setting at `index` in `SETTINGS`.
fn item_id(index: usize) -> String {
    format!("ks-item-{index}")
}

fn focus_element(id: &str) {
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// A dotted Kafka name that may wrap after each dot rather than mid-word.
fn breakable(name: &'static str) -> impl IntoView {
    name.split_inclusive('.')
        .map(|part| view! { {part}<wbr/> })
        .collect_view()
}

/// Where an arrow, Home or End key moves in a list of `len` items.
fn step(key: &str, index: usize, len: usize) -> Option<usize> {
    match key {
        "ArrowDown" | "ArrowRight" => Some((index + 1) % len),
        "ArrowUp" | "ArrowLeft" => Some((index + len - 1) % len),
        "Home" => Some(0),
        "End" => Some(len - 1),
        _ => None,
    }
}

#[component]
pub fn KeySettings() -> impl IntoView {
    let selected = RwSignal::new(0usize);
    let current = Memo::new(move |_| &SETTINGS[selected.get().min(SETTINGS.len() - 1)]);

    let group = move |scope: Scope, title: &'static str, title_id: &'static str| {
        let items = SETTINGS
            .iter()
            .enumerate()
            .filter(|(_, s)| s.scope == scope)
            .map(|(i, s)| {
                let is_selected = move || selected.get() == i;
                view! {
                    <li>
                        <button
                            type="button"
                            id=item_id(i)
                            class="ks-item"
                            class:ks-item--selected=is_selected
                            aria-pressed=move || is_selected().to_string()
                            // A roving tabindex: the list is one Tab stop, on the selected
                            // setting; arrows, Home and End move within it.
                            tabindex=move || if is_selected() { "0" } else { "-1" }
                            aria-controls="ks-details"
                            on:click=move |_| selected.set(i)
                            on:keydown=move |ev: web_sys::KeyboardEvent| {
                                if let Some(j) = step(&ev.key(), i, SETTINGS.len()) {
                                    ev.prevent_default();
                                    selected.set(j);
                                    focus_element(&item_id(j));
                                }
                            }
                        >
                            <code class="ks-item-name">{breakable(s.name)}</code>
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3 class="ks-group-title" id=title_id>{title}</h3>
            <ul class="ks-items" role="list" aria-labelledby=title_id>{items}</ul>
        }
    };

    view! {
        <section id="key-settings" class="ks" aria-labelledby="key-settings-title">
            <SectionHeader title_id="key-settings-title" title="Key Settings">
                "The settings that decide how fast and how safely a producer writes. Pick one to see "
                "what it does, Kafka's default and when it changed, and what the other clients call it "
                "(their defaults often differ). Arrow keys, Home and End move through the list."
            </SectionHeader>
            <div class="ks-layout">
                <nav class="ks-list" aria-label="Kafka settings">
                    {group(Scope::Producer, "Producer settings", "ks-group-producer")}
                    {group(Scope::Topic, "Topic settings", "ks-group-topic")}
                </nav>
                <div id="ks-details" class="ks-details" aria-labelledby="ks-details-title">
                    {move || details(current.get())}
                </div>
            </div>
            <p class="ks-sr-only" aria-live="polite">
                {move || format!("Showing {}", current.get().name)}
            </p>
        </section>
    }
}

/// The details panel for one setting.
fn details(s: &'static Setting) -> impl IntoView {
    let history = if s.history.is_empty() {
        view! { <p class="ks-history-none">"Unchanged in recent Kafka versions."</p> }.into_any()
    } else {
        let items = s
            .history
            .iter()
            .map(|c| {
                view! {
                    <li>
                        "Kafka " {c.version} ": " <code>{c.from}</code> " → " <code>{c.to}</code>
                        " (" {c.reference} ")"
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="ks-history">{items}</ul> }.into_any()
    };
    let trade_offs = s
        .trade_offs
        .iter()
        .map(|t| view! { <li>{*t}</li> })
        .collect_view();
    let sources = s
        .source
        .iter()
        .map(|f| view! { <li>{*f}</li> })
        .collect_view();

    view! {
        <div class="ks-details-head">
            <h3 id="ks-details-title" class="ks-details-title">
                <code>{s.name}</code>
            </h3>
            <span class="ks-scope">{s.scope.label()} " setting"</span>
        </div>
        <p class="ks-summary">{s.summary()}</p>
        <dl class="ks-facts">
            <div class="ks-fact">
                <dt>"Values"</dt>
                <dd>{s.values()}</dd>
            </div>
            <div class="ks-fact">
                <dt>"Kafka default (4.x)"</dt>
                <dd>
                    <code class="ks-default">{s.default()}</code>
                </dd>
            </div>
            <div class="ks-fact">
                <dt>"Default history"</dt>
                <dd>{history}</dd>
            </div>
        </dl>
        <h4 class="ks-subtitle">"Trade-offs"</h4>
        <ul class="ks-trade-offs">{trade_offs}</ul>
        <h4 class="ks-subtitle">"Recommendation"</h4>
        <p class="ks-recommendation">{s.recommendation}</p>
        <h4 class="ks-subtitle">"In other clients"</h4>
        {clients(s)}
        <details class="ks-sources">
            <summary>"Sources"</summary>
            <ul>{sources}</ul>
        </details>
    }
}

/// The table of client names and defaults, or why there is none.
fn clients(s: &'static Setting) -> impl IntoView {
    if let Some(note) = s.topic_note() {
        return view! { <p class="ks-topic-note">{note}</p> }.into_any();
    }
    let rows = Client::ALL
        .iter()
        .map(|&c| {
            let cells = match s.client(c) {
                Some(n) => view! {
                    <td>
                        <code>{breakable(n.name)}</code>
                    </td>
                    <td>
                        <code>{n.default}</code>
                    </td>
                    <td>{n.note}</td>
                }
                .into_any(),
                None => view! {
                    <td class="ks-none">"No equivalent"</td>
                    <td class="ks-none">"—"</td>
                    <td></td>
                }
                .into_any(),
            };
            view! {
                <tr>
                    <th scope="row">
                        <span class="ks-client">{c.label()}</span>
                        <span class="ks-client-use">{c.used_by()}</span>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="ks-table-wrap" tabindex="0" role="region" aria-label="Client names and defaults">
            <table class="ks-clients">
                <caption>{format!("{} in other clients", s.name)}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Client"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Default"</th>
                        <th scope="col">"Notes"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="ks-go-note">
            "confluent-kafka-go and confluent-kafka-python take librdkafka's names and defaults as "
            "they are; Java's name is " <code>{s.name}</code> "."
        </p>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::step;

    #[test]
    fn arrow_keys_wrap_around_the_list() {
        assert_eq!(step("ArrowDown", 0, 3), Some(1));
        assert_eq!(step("ArrowDown", 2, 3), Some(0));
        assert_eq!(step("ArrowUp", 0, 3), Some(2));
        assert_eq!(step("Home", 2, 3), Some(0));
        assert_eq!(step("End", 0, 3), Some(2));
        assert_eq!(step("a", 0, 3), None);
    }
}
