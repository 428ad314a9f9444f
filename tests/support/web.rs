//! Helpers shared by the browser tests (included with `#[path]`, not a test target).
#![allow(dead_code)]

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{Element, HtmlElement};

/// A new, empty element in the page: the runner's own page already has text in its body.
pub fn fresh_container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&container).unwrap();
    container
}

/// Resolves after `ms` milliseconds (a `setTimeout`), letting timers and effects run.
pub struct Sleep {
    state: Rc<RefCell<(bool, Option<Waker>)>>,
}

pub fn sleep(ms: i32) -> Sleep {
    let state = Rc::new(RefCell::new((false, None::<Waker>)));
    let s = state.clone();
    let wake = Closure::once_into_js(move || {
        let waker = {
            let mut st = s.borrow_mut();
            st.0 = true;
            st.1.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    });
    web_sys::window()
        .unwrap()
        .set_timeout_with_callback_and_timeout_and_arguments_0(wake.unchecked_ref(), ms)
        .unwrap();
    Sleep { state }
}

impl Future for Sleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut st = self.state.borrow_mut();
        if st.0 {
            Poll::Ready(())
        } else {
            st.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

pub fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

/// An element's text.
pub fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

/// Clicks the element `selector` finds, as a reader would.
pub fn click(root: &Element, selector: &str) {
    find(root, selector)
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

/// The first button under `root` whose text starts with `prefix`.
pub fn button_starting_with(root: &Element, prefix: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .filter_map(|b| b.dyn_into::<HtmlElement>().ok())
        .find(|b| b.text_content().unwrap_or_default().starts_with(prefix))
        .unwrap_or_else(|| panic!("no button starting {prefix:?}"))
}

/// Plays (`true`) or pauses the write path with its toggle, if it is not so already
/// (reduced motion may have started it paused).
pub fn set_write_path_playing(root: &Element, playing: bool) {
    let toggle = button_starting_with(root, "P");
    let label = toggle.text_content().unwrap_or_default();
    assert!(label.ends_with("write path"), "not the toggle: {label:?}");
    if label.starts_with(if playing { "Play" } else { "Pause" }) {
        toggle.click();
    }
}

/// A counter the page shows by `data-testid`, as a whole number.
pub fn counter(root: &Element, testid: &str) -> u64 {
    let t = text(root, &format!("[data-testid={testid}]"));
    t.trim()
        .parse()
        .unwrap_or_else(|_| panic!("{testid} shows {t:?}, not a whole number"))
}

/// A form control's current value.
pub fn value_of(el: &Element) -> String {
    js_sys::Reflect::get(el, &JsValue::from_str("value"))
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

/// Sets a form control's value and fires the event a user's change would.
pub fn set_value(el: &Element, value: &str, event: &str) {
    let f = js_sys::Function::new_with_args(
        "el, v, type",
        "el.value = v; el.dispatchEvent(new Event(type, { bubbles: true }));",
    );
    f.call3(
        &JsValue::NULL,
        el,
        &JsValue::from_str(value),
        &JsValue::from_str(event),
    )
    .unwrap();
}

/// The first number in a text, ignoring thousands separators.
pub fn number(text: &str) -> f64 {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .filter(|c| *c != ',')
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number in {text:?}"))
}
