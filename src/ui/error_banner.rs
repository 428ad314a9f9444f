//! What the reader sees if the app ever panics: a banner that says so, with a Reload
//! link, over the page as it was (never a blank page).
//!
//! After a panic the WebAssembly module is dead, so the banner is plain DOM built in the
//! panic hook, and "Reload" is a link to the page's own address: it needs no code to run.

use wasm_bindgen::JsCast;

/// The banner's element id (there is only ever one).
pub const ERROR_BANNER_ID: &str = "app-error";

/// Installs the panic hook: the panic goes to the console, and the banner appears.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_error_banner("The simulator hit an internal error and stopped.");
    }));
}

/// Shows the error banner at the top of the page (once; later calls keep the first).
pub fn show_error_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id(ERROR_BANNER_ID).is_some() {
        return;
    }
    let Some(body) = document.body() else {
        return;
    };
    let build = || -> Result<web_sys::Element, wasm_bindgen::JsValue> {
        let banner = document.create_element("div")?;
        banner.set_id(ERROR_BANNER_ID);
        banner.set_class_name("error-banner");
        banner.set_attribute("role", "alert")?;

        let text = document.create_element("p")?;
        text.set_class_name("error-banner__text");
        text.set_text_content(Some(&format!(
            "{message} Reloading the page starts it again with the settings in the address bar."
        )));
        banner.append_child(&text)?;

        let reload = document.create_element("a")?;
        reload.set_class_name("btn btn--primary");
        reload.set_attribute("role", "button")?;
        reload.set_attribute("href", &reload_href())?;
        reload.set_text_content(Some("Reload"));
        banner.append_child(&reload)?;
        Ok(banner)
    };
    if let Ok(banner) = build() {
        let _ = body.insert_before(&banner, body.first_child().as_ref());
        if let Some(link) = banner
            .query_selector("a")
            .ok()
            .flatten()
            .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = link.focus();
        }
    }
}

/// The page's own address without its fragment: following it loads the page afresh.
fn reload_href() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return "./".to_string();
    };
    let path = location.pathname().unwrap_or_else(|_| "/".to_string());
    let search = location.search().unwrap_or_default();
    format!("{path}{search}")
}
