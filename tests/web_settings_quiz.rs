//! Browser tests of the Key Settings and Test Yourself sections, in headless Chromium.
//!
//! Each test mounts one component into a fresh element and drives it the way a user
//! would: clicking buttons found by their visible names and pressing keys.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use leptos::prelude::*;
use producer_sim::reference::quiz::{round, QUESTIONS_PER_ROUND};
use producer_sim::reference::settings::{Client, Scope, SETTINGS};
use producer_sim::ui::key_settings::KeySettings;
use producer_sim::ui::quiz::{TestYourself, FIRST_SEED};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web.rs"]
mod support;
use support::fresh_container;

/// Lets the reactive system run the updates a click scheduled.
async fn settle() {
    for _ in 0..4 {
        leptos::task::tick().await;
    }
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

fn buttons(root: &Element) -> Vec<HtmlElement> {
    let all = root.get_elements_by_tag_name("button");
    (0..all.length())
        .filter_map(|i| all.item(i))
        .filter_map(|el| el.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// The button whose visible name is exactly `name`.
fn button(root: &Element, name: &str) -> HtmlElement {
    let found: Vec<HtmlElement> = buttons(root)
        .into_iter()
        .filter(|b| text(b).trim() == name)
        .collect();
    assert_eq!(found.len(), 1, "exactly one button named {name:?}");
    found.into_iter().next().unwrap()
}

fn has_button(root: &Element, name: &str) -> bool {
    buttons(root).iter().any(|b| text(b).trim() == name)
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn pressed(b: &HtmlElement) -> bool {
    b.get_attribute("aria-pressed").as_deref() == Some("true")
}

/// Dispatches a bubbling keydown with the given key, as a keyboard would.
fn press_key(target: &HtmlElement, key: &str) {
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"key".into(), &key.into()).unwrap();
    js_sys::Reflect::set(&init, &"bubbles".into(), &JsValue::TRUE).unwrap();
    js_sys::Reflect::set(&init, &"cancelable".into(), &JsValue::TRUE).unwrap();
    let ctor: js_sys::Function = js_sys::Reflect::get(&window(), &"KeyboardEvent".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let event = js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&"keydown".into(), &init))
        .unwrap()
        .dyn_into::<web_sys::Event>()
        .unwrap();
    target.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn every_setting_is_listed_by_its_kafka_name_and_the_first_is_selected() {
    let root = fresh_container();
    let _mounted = leptos::mount::mount_to(root.clone(), KeySettings);
    settle().await;

    for s in SETTINGS {
        assert!(has_button(&root, s.name), "no button named {}", s.name);
    }
    assert!(pressed(&button(&root, "acks")));
    assert_eq!(
        buttons(&root).iter().filter(|b| pressed(b)).count(),
        1,
        "one setting selected at a time"
    );
    assert_eq!(text(&find(&root, "#ks-details-title")).trim(), "acks");
}

#[wasm_bindgen_test]
async fn selecting_a_setting_shows_its_details_and_every_clients_name() {
    let root = fresh_container();
    let _mounted = leptos::mount::mount_to(root.clone(), KeySettings);
    settle().await;

    for s in SETTINGS {
        button(&root, s.name).click();
        settle().await;

        assert!(
            pressed(&button(&root, s.name)),
            "{} not marked selected",
            s.name
        );
        let details = find(&root, "#ks-details");
        assert_eq!(text(&find(&details, "#ks-details-title")).trim(), s.name);
        let shown = text(&details);
        for needle in [s.summary(), s.values(), s.default(), s.recommendation] {
            assert!(shown.contains(needle), "{}: {needle:?} not shown", s.name);
        }
        for t in s.trade_offs {
            assert!(shown.contains(t), "{}: trade-off not shown", s.name);
        }
        for change in s.history {
            assert!(shown.contains(change.version), "{}", s.name);
            assert!(shown.contains(change.reference), "{}", s.name);
        }
        for f in s.source {
            assert!(shown.contains(f), "{}: source {f} not shown", s.name);
        }
        match s.scope {
            Scope::Producer => {
                let rows = details
                    .get_elements_by_tag_name("tbody")
                    .item(0)
                    .expect("a table");
                assert_eq!(rows.get_elements_by_tag_name("tr").length(), 5);
                for c in Client::ALL {
                    assert!(shown.contains(c.label()), "{}: {}", s.name, c.label());
                    match s.client(c) {
                        Some(n) => {
                            assert!(shown.contains(n.name), "{}: {}", s.name, n.name);
                            assert!(shown.contains(n.default), "{}: {}", s.name, n.default);
                        }
                        None => assert!(shown.contains("No equivalent"), "{}", s.name),
                    }
                }
            }
            Scope::Topic => {
                assert!(shown.contains("Topic setting"), "{}", s.name);
                assert!(shown.contains("no producer client has it"), "{}", s.name);
            }
        }
    }
}

#[wasm_bindgen_test]
async fn linger_ms_details_show_kafka_and_client_differences() {
    let root = fresh_container();
    let _mounted = leptos::mount::mount_to(root.clone(), KeySettings);
    settle().await;

    button(&root, "linger.ms").click();
    settle().await;
    let shown = text(&find(&root, "#ks-details"));
    for needle in [
        "KIP-1030",
        "queue.buffering.max.ms",
        "LingerMs",
        "linger_ms",
        "kgo.ProducerLinger",
        "Producer.Flush.Frequency",
    ] {
        assert!(shown.contains(needle), "{needle} not shown");
    }
    assert!(!pressed(&button(&root, "acks")));
}

#[wasm_bindgen_test]
async fn arrow_keys_move_the_selection_and_the_focus() {
    let root = fresh_container();
    let _mounted = leptos::mount::mount_to(root.clone(), KeySettings);
    settle().await;

    let first = button(&root, SETTINGS[0].name);
    first.focus().unwrap();
    press_key(&first, "ArrowDown");
    settle().await;
    let second = button(&root, SETTINGS[1].name);
    assert!(pressed(&second));
    assert!(!pressed(&first));
    assert_eq!(
        document()
            .active_element()
            .map(|e| text(&e).trim().to_string()),
        Some(SETTINGS[1].name.to_string())
    );
    assert_eq!(
        text(&find(&root, "#ks-details-title")).trim(),
        SETTINGS[1].name
    );

    press_key(&second, "End");
    settle().await;
    let last = SETTINGS.last().unwrap().name;
    assert!(pressed(&button(&root, last)));

    press_key(&button(&root, last), "ArrowDown");
    settle().await;
    assert!(
        pressed(&button(&root, SETTINGS[0].name)),
        "the list wraps around"
    );
}

fn prompt(root: &Element) -> String {
    text(&find(root, "#quiz-prompt")).trim().to_string()
}

fn answer_buttons(root: &Element) -> Vec<HtmlElement> {
    let list = find(root, ".quiz-choices");
    buttons(&list)
}

#[wasm_bindgen_test]
async fn quiz_answered_right_throughout_scores_full_marks_then_restarts() {
    let root = fresh_container();
    let _mounted = leptos::mount::mount_to(root.clone(), TestYourself);
    settle().await;

    let questions = round(FIRST_SEED);
    assert_eq!(questions.len(), QUESTIONS_PER_ROUND);
    for (i, q) in questions.iter().enumerate() {
        let progress = text(&find(&root, ".quiz-progress"));
        assert!(
            progress.contains(&format!("Question {} of {}", i + 1, questions.len())),
            "{progress}"
        );
        assert_eq!(prompt(&root), q.prompt);
        let names: Vec<String> = answer_buttons(&root)
            .iter()
            .map(|b| text(b).trim().to_string())
            .collect();
        assert_eq!(names, q.choices, "answers are buttons named by their text");
        assert!(
            !has_button(&root, "Next question"),
            "no way on before answering"
        );
        assert!(text(&find(&root, ".quiz-feedback")).trim().is_empty());

        button(&root, q.answer_text()).click();
        settle().await;

        let feedback = text(&find(&root, ".quiz-feedback"));
        assert!(feedback.contains("✓ Correct."), "{feedback}");
        assert!(feedback.contains(&q.explanation));
        assert!(text(&find(&root, ".quiz-choice--right")).contains("✓"));
        let score = text(&find(&root, ".quiz-score"));
        assert!(
            score.contains(&format!("Score: {} of {} answered", i + 1, i + 1)),
            "{score}"
        );
        for b in answer_buttons(&root) {
            assert_eq!(b.get_attribute("aria-disabled").as_deref(), Some("true"));
        }

        let last = i + 1 == questions.len();
        button(
            &root,
            if last {
                "See your score"
            } else {
                "Next question"
            },
        )
        .click();
        settle().await;
    }

    let n = questions.len();
    let result = text(&find(&root, "#quiz-result"));
    assert_eq!(result.trim(), format!("You scored {n} of {n}"));
    assert!(text(&find(&root, ".quiz-breakdown")).contains("✓"));

    button(&root, "Restart quiz").click();
    settle().await;
    let next_round = round(FIRST_SEED + 1);
    assert_eq!(prompt(&root), next_round[0].prompt);
    assert!(text(&find(&root, ".quiz-progress")).contains("Question 1 of"));
    assert!(text(&find(&root, ".quiz-score")).contains("Score: 0 of 0 answered"));
}

#[wasm_bindgen_test]
async fn quiz_scores_wrong_answers_and_keeps_the_first_answer() {
    let root = fresh_container();
    let _mounted = leptos::mount::mount_to(root.clone(), TestYourself);
    settle().await;

    let questions = round(FIRST_SEED);
    let mut expected = 0;
    for (i, q) in questions.iter().enumerate() {
        // Always the first button: right only where the right answer happens to be first.
        let first = answer_buttons(&root)[0].clone();
        let right = q.answer == 0;
        first.click();
        settle().await;
        if right {
            expected += 1;
        }
        let feedback = text(&find(&root, ".quiz-feedback"));
        if right {
            assert!(feedback.contains("✓ Correct."), "{feedback}");
        } else {
            assert!(feedback.contains("✗ Not quite."), "{feedback}");
            assert!(
                feedback.contains(q.answer_text()),
                "the right answer is named"
            );
            assert!(text(&find(&root, ".quiz-choice--wrong")).contains("✗ Your answer"));
            assert!(text(&find(&root, ".quiz-choice--right")).contains("✓ Right answer"));
            // A second click on another answer changes nothing.
            button(&root, q.answer_text()).click();
            settle().await;
            assert!(text(&find(&root, ".quiz-feedback")).contains("✗ Not quite."));
        }
        let last = i + 1 == questions.len();
        button(
            &root,
            if last {
                "See your score"
            } else {
                "Next question"
            },
        )
        .click();
        settle().await;
    }
    assert!(
        expected < questions.len(),
        "the seed must give some wrong first answers"
    );
    let result = text(&find(&root, "#quiz-result"));
    assert_eq!(
        result.trim(),
        format!("You scored {expected} of {}", questions.len())
    );
    assert!(has_button(&root, "Restart quiz"));
}
