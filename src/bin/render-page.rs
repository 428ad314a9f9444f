//! Renders the page at build time: the same `ui::App` the browser runs, rendered natively
//! to HTML with Kafka's defaults and written into the `<body>` of Trunk's `index.html`,
//! so a reader sees the whole page before the WebAssembly arrives. The app then takes
//! that markup over (`src/ui/takeover.rs`).
//!
//!   render-page PATH/TO/index.html     (scripts/post-build.sh runs it on Trunk's output)

use hydration_context::SsrSharedContext;
use leptos::prelude::*;
use std::process::ExitCode;
use std::sync::Arc;

use producer_sim::ui::takeover::RENDERED_MARK;

/// The page's markup, rendered as the browser's first render will build it.
fn render_app() -> String {
    let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new())));
    let html = owner.with(|| view! { <producer_sim::ui::App/> }.to_html());
    owner.unset();
    without_comments(&html)
}

/// `markup` without its comments: Leptos marks where hydration would split text and
/// insert views (`<!>`, `<!--…-->`), and the app does not hydrate. (Text never holds a
/// raw `<`, so every `<!` starts a comment.)
fn without_comments(markup: &str) -> String {
    let mut out = String::with_capacity(markup.len());
    let mut rest = markup;
    while let Some(start) = rest.find("<!") {
        out.push_str(&rest[..start]);
        let comment = &rest[start..];
        let end = if comment.starts_with("<!>") {
            3
        } else {
            comment.find("-->").map_or(comment.len(), |e| e + 3)
        };
        rest = &comment[end..];
    }
    out.push_str(rest);
    out
}

/// `page` with `markup` as the first thing in `<body>` and `<body>` marked as holding it.
fn insert_markup(page: &str, markup: &str) -> Result<String, String> {
    if page.contains(RENDERED_MARK) {
        return Err("the page already holds rendered markup".into());
    }
    let body = page.find("<body").ok_or("the page has no <body> tag")?;
    let body_end = body
        + page[body..]
            .find('>')
            .ok_or("the page's <body> tag is not closed")?;
    let mut out = String::with_capacity(page.len() + markup.len() + 20);
    out.push_str(&page[..body + "<body".len()]);
    out.push(' ');
    out.push_str(RENDERED_MARK);
    out.push_str(&page[body + "<body".len()..=body_end]);
    out.push_str(markup);
    out.push_str(&page[body_end + 1..]);
    Ok(out)
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: render-page PATH/TO/index.html");
        return ExitCode::from(2);
    };
    let result = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {path}: {e}"))
        .and_then(|page| insert_markup(&page, &render_app()))
        .and_then(|page| {
            std::fs::write(&path, page).map_err(|e| format!("cannot write {path}: {e}"))
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("render-page: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_goes_right_after_the_body_tag() {
        let page =
            "<html><meta charset=utf-8></head><body class=x>\n<noscript>n</noscript></body></html>";
        let out = insert_markup(page, "<main>m</main>").unwrap();
        assert_eq!(
            out,
            format!(
                "<html><meta charset=utf-8></head><body data-rendered class=x>\
                 <main>m</main>\n<noscript>n</noscript></body></html>"
            )
        );
    }

    #[test]
    fn hydration_markers_are_left_out() {
        assert_eq!(
            without_comments("<p>a <!>b</p><!--<() />--><ul><li>x</li><!></ul>"),
            "<p>a b</p><ul><li>x</li></ul>"
        );
        assert!(!render_app().contains("<!"));
    }

    #[test]
    fn a_page_without_body_or_already_rendered_is_refused() {
        assert!(insert_markup("<html></head></html>", "m").is_err());
        assert!(insert_markup("<html><body", "m").is_err());
        let once = insert_markup("</head><body>", "m").unwrap();
        assert!(insert_markup(&once, "m").is_err());
    }

    #[test]
    fn the_app_renders_its_sections_natively() {
        let html = render_app();
        for (id, _) in producer_sim::ui::SECTIONS {
            assert!(
                html.contains(&format!("id=\"{id}\"")),
                "section {id} missing"
            );
        }
        assert!(
            html.starts_with('<'),
            "markup must start with the app's first element"
        );
    }
}
