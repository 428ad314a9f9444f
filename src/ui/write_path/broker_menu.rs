//! The actions a reader can take on a broker in the write-path diagram.

use crate::ui::live_sim::LiveSim;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Something that can happen to a broker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrokerAction {
    Crash,
    Restart,
    SlowDown,
}

impl BrokerAction {
    pub const ALL: [BrokerAction; 3] = [
        BrokerAction::Crash,
        BrokerAction::Restart,
        BrokerAction::SlowDown,
    ];

    pub fn label(self, broker: u32) -> String {
        match self {
            BrokerAction::Crash => format!("Crash broker {broker}"),
            BrokerAction::Restart => format!("Restart broker {broker}"),
            BrokerAction::SlowDown => format!("Slow down broker {broker}"),
        }
    }
}

/// Whether the engine in this build can inject broker faults. While it cannot, the menu
/// shows the actions disabled and says why.
pub const FAULTS_AVAILABLE: bool = false;

/// Applies an action to the running simulation; the message says what happened or why not.
pub fn apply_broker_action(
    live: &mut LiveSim,
    broker: u32,
    action: BrokerAction,
) -> Result<String, String> {
    let _ = (live.shown(), broker, action);
    Err("This build's engine has no fault injection, so brokers cannot be crashed, restarted or slowed down yet.".to_string())
}

/// Moves focus between the menu's items with the arrow keys (the ARIA menu pattern).
fn move_focus(ev: &KeyboardEvent, step: i32) {
    let Some(menu) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let items = menu.get_elements_by_tag_name("button");
    let n = items.length() as i32;
    if n == 0 {
        return;
    }
    let active = document().active_element();
    let current = (0..n).find(|&i| {
        items
            .item(i as u32)
            .zip(active.as_ref())
            .is_some_and(|(item, a)| &item == a)
    });
    let next = match current {
        Some(i) => (i + step).rem_euclid(n),
        None => 0,
    };
    if let Some(el) = items
        .item(next as u32)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The menu for one broker, placed over the diagram at `left`/`top` (percent).
#[component]
pub fn BrokerMenu(
    broker: u32,
    left: f64,
    top: f64,
    on_action: impl Fn(BrokerAction) + 'static + Copy,
    on_close: impl Fn() + 'static + Copy,
) -> impl IntoView {
    let first = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = first.get() {
            let _ = button.focus();
        }
    });
    view! {
        <div
            class="broker-menu"
            role="menu"
            aria-label=format!("Broker {broker} actions")
            style=format!("left:{left:.1}%;top:{top:.1}%")
            on:keydown=move |ev: KeyboardEvent| match ev.key().as_str() {
                "Escape" => {
                    ev.prevent_default();
                    on_close();
                }
                "ArrowDown" => {
                    ev.prevent_default();
                    move_focus(&ev, 1);
                }
                "ArrowUp" => {
                    ev.prevent_default();
                    move_focus(&ev, -1);
                }
                _ => {}
            }
        >
            {BrokerAction::ALL
                .into_iter()
                .enumerate()
                .map(|(i, action)| {
                    let node_ref = if i == 0 { first } else { NodeRef::new() };
                    view! {
                        <button
                            node_ref=node_ref
                            type="button"
                            role="menuitem"
                            class="broker-menu__item"
                            aria-disabled=if FAULTS_AVAILABLE { "false" } else { "true" }
                            on:click=move |_| on_action(action)
                        >
                            {action.label(broker)}
                        </button>
                    }
                })
                .collect_view()}
            {(!FAULTS_AVAILABLE)
                .then(|| {
                    view! {
                        <p class="broker-menu__note">
                            "Broker faults need the engine's fault model, which this build does not have."
                        </p>
                    }
                })}
            <button type="button" role="menuitem" class="broker-menu__item broker-menu__item--close" on:click=move |_| on_close()>
                "Close menu"
            </button>
        </div>
    }
}
