//! The reader's own data in: a text area to paste lines into, with its button, beside a
//! file picker, as "Your keys" and "Your records" both ask for them. Each panel keeps
//! what it does with the text or the file; this is only the markup.

use leptos::prelude::*;

/// Paste lines or pick a file. Ids are `{id}-text`, `{id}-submit` and `{id}-file`;
/// `children` go below the file picker (each panel's own options).
#[component]
pub fn PasteOrLoad(
    /// The prefix of the controls' ids, e.g. `your-keys`.
    id: &'static str,
    /// The text area's label and placeholder.
    paste_label: &'static str,
    placeholder: &'static str,
    rows: u32,
    /// What the text area holds.
    text: RwSignal<String>,
    /// The button under the text area, and what it does.
    submit_label: &'static str,
    on_submit: Callback<()>,
    /// The file picker's label, the types it offers (empty: any) and its help line.
    file_label: &'static str,
    #[prop(optional)] accept: &'static str,
    file_help: &'static str,
    /// Called with the file picked.
    on_file: Callback<web_sys::File>,
    children: Children,
) -> impl IntoView {
    let text_id = format!("{id}-text");
    let file_id = format!("{id}-file");
    view! {
        <div class="paste-or-load">
            <div class="field paste-or-load__paste">
                <label class="field__label" for=text_id.clone()>{paste_label}</label>
                <textarea
                    id=text_id
                    class="input input--mono paste-or-load__text"
                    rows=rows
                    spellcheck="false"
                    placeholder=placeholder
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <button
                    type="button"
                    id=format!("{id}-submit")
                    class="btn btn--primary"
                    on:click=move |_| on_submit.run(())
                >
                    {submit_label}
                </button>
            </div>
            <div class="field paste-or-load__file">
                <label class="field__label" for=file_id.clone()>{file_label}</label>
                <input
                    id=file_id
                    class="paste-or-load__picker"
                    type="file"
                    accept=(!accept.is_empty()).then_some(accept)
                    on:change=move |ev| {
                        let input = event_target::<web_sys::HtmlInputElement>(&ev);
                        if let Some(file) = input.files().and_then(|f| f.get(0)) {
                            on_file.run(file);
                        }
                        input.set_value("");
                    }
                />
                <p class="field__help">{file_help}</p>
                {children()}
            </div>
        </div>
    }
}
