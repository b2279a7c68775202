//! Keyboard shortcuts shared by the inbox's small "type and add" inputs.

use leptos::ev::KeyboardEvent;

/// Enter in an "add" input runs `action` (the same as its Add button) instead of submitting
/// the surrounding form.
pub fn on_enter(action: impl Fn() + 'static) -> impl FnMut(KeyboardEvent) + 'static {
    move |ev: KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            action();
        }
    }
}
