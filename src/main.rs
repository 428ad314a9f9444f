//! The browser entry point: install the panic banner, then mount the app.

fn main() {
    producer_sim::ui::error_banner::install_panic_hook();
    leptos::mount::mount_to_body(producer_sim::ui::App);
}
