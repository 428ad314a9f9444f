//! The actions a reader can take on a broker in the write-path diagram: crash it,
//! restart it, slow it down, cut the producer's link to it. Each is a fault the engine
//! applies (`engine::fault`).

use crate::engine::fault::Fault;
use crate::engine::sim::BrokerView;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Extra append and replication time for a slowed-down broker, in milliseconds.
pub const SLOW_DOWN_MS: f64 = 5.0;

/// Something that can happen to a broker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrokerAction {
    Crash,
    Restart,
    SlowDown,
    RestoreSpeed,
    CutLink,
    HealLink,
}

impl BrokerAction {
    pub fn label(self, broker: u32) -> String {
        match self {
            BrokerAction::Crash => format!("Crash broker {broker}"),
            BrokerAction::Restart => format!("Restart broker {broker}"),
            BrokerAction::SlowDown => format!("Slow down broker {broker}"),
            BrokerAction::RestoreSpeed => format!("Restore broker {broker}'s speed"),
            BrokerAction::CutLink => format!("Cut the producer's link to broker {broker}"),
            BrokerAction::HealLink => format!("Heal the producer's link to broker {broker}"),
        }
    }

    /// The fault the engine applies for it.
    pub fn fault(self, broker: u32) -> Fault {
        match self {
            BrokerAction::Crash => Fault::Crash { broker },
            BrokerAction::Restart => Fault::Restart { broker },
            BrokerAction::SlowDown => Fault::Slow {
                broker,
                extra_ms: SLOW_DOWN_MS,
            },
            BrokerAction::RestoreSpeed => Fault::Slow {
                broker,
                extra_ms: 0.0,
            },
            BrokerAction::CutLink => Fault::CutProducerLink { broker },
            BrokerAction::HealLink => Fault::HealProducerLink { broker },
        }
    }

    /// The actions that make sense for a broker in this state, in menu order.
    pub fn offered(broker: &BrokerView) -> [(BrokerAction, bool); 4] {
        let slow = if broker.slow_ms > 0.0 {
            BrokerAction::RestoreSpeed
        } else {
            BrokerAction::SlowDown
        };
        let link = if broker.producer_link_cut {
            BrokerAction::HealLink
        } else {
            BrokerAction::CutLink
        };
        [
            (BrokerAction::Crash, broker.alive),
            (BrokerAction::Restart, !broker.alive),
            (slow, broker.alive),
            (link, true),
        ]
    }
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
    broker: BrokerView,
    left: f64,
    top: f64,
    on_action: impl Fn(BrokerAction) + 'static + Copy,
    on_close: impl Fn() + 'static + Copy,
) -> impl IntoView {
    let id = broker.id;
    let first = NodeRef::<leptos::html::Button>::new();
    // Talks to the browser: focus moves into the menu when it opens.
    Effect::new(move |_| {
        if let Some(button) = first.get() {
            let _ = button.focus();
        }
    });
    let mut state = if !broker.alive {
        "down".to_string()
    } else if broker.slow_ms > 0.0 {
        format!("running, {} ms slower", broker.slow_ms)
    } else {
        "running".to_string()
    };
    if broker.producer_link_cut {
        state.push_str(", the producer's link cut");
    }
    view! {
        <div
            class="broker-menu"
            role="menu"
            aria-label=format!("Broker {id} actions")
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
            <p class="broker-menu__state">{format!("Broker {id}: {state}")}</p>
            {BrokerAction::offered(&broker)
                .into_iter()
                .enumerate()
                .map(|(i, (action, enabled))| {
                    let node_ref = if i == 0 { first } else { NodeRef::new() };
                    view! {
                        <button
                            node_ref=node_ref
                            type="button"
                            role="menuitem"
                            class="broker-menu__item"
                            aria-disabled=if enabled { "false" } else { "true" }
                            on:click=move |_| {
                                if enabled {
                                    on_action(action);
                                }
                            }
                        >
                            {action.label(id)}
                        </button>
                    }
                })
                .collect_view()}
            <button
                type="button"
                role="menuitem"
                class="broker-menu__item broker-menu__item--close"
                on:click=move |_| on_close()
            >
                "Close menu"
            </button>
        </div>
    }
}
