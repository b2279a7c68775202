//! Where the launcher sits: its distance from the page's side and bottom (off a theme's own
//! corner buttons or footer links), and whether phones get one at all.

use charla_shared::widget_settings::{MAX_OFFSET_X, MAX_OFFSET_Y};
use leptos::prelude::*;

use crate::settings::widget::form::WidgetForm;

crate::texts! {
    /// The placement section's strings (kept beside it, in the settings part).
    PlacementTexts, EN, ES {
        title: "Launcher position", "Posición del botón del chat";
        hint: "Move the chat button off your theme's own corner buttons or footer links. Distances are in pixels from the corner on the side chosen above.", "Aleja el botón del chat de los botones o enlaces que tu tema tenga en esa esquina. Las distancias son en píxeles desde la esquina del lado elegido arriba.";
        from_side: "From the side (px)", "Desde el lado (px)";
        from_bottom: "From the bottom (px)", "Desde abajo (px)";
        hide_on_mobile: "Hide the chat button on phones (screens up to 480 px wide)", "Ocultar el botón del chat en teléfonos (pantallas de hasta 480 px)";
        hide_hint: "Visitors on phones then open the chat from a link or button of your own that calls charla(\"open\").", "En teléfonos, los visitantes abren el chat desde un enlace o botón tuyo que llame a charla(\"open\").";
    }
}

fn pt() -> &'static PlacementTexts {
    PlacementTexts::current()
}

/// What a typed distance becomes: a whole number of pixels within the edge's bounds (an empty
/// or unreadable field keeps the last good value).
pub fn offset_from(typed: &str, max: u16, last: u16) -> u16 {
    typed
        .trim()
        .parse::<u32>()
        .map(|n| n.min(u32::from(max)) as u16)
        .unwrap_or(last)
}

#[component]
pub(super) fn PlacementSection(form: RwSignal<WidgetForm>) -> impl IntoView {
    let number = move |label: fn(&PlacementTexts) -> &'static str,
                       hook: &'static str,
                       max: u16,
                       get: fn(&WidgetForm) -> u16,
                       set: fn(&mut WidgetForm, u16)| {
        view! {
            <label>
                <span>{move || label(pt())}</span>
                <input
                    type="number"
                    class="narrow"
                    min="0"
                    max=max
                    step="1"
                    inputmode="numeric"
                    data-charla=hook
                    prop:value=move || form.with(get).to_string()
                    on:change=move |ev| {
                        let typed = event_target_value(&ev);
                        form.update(|f| {
                            let v = offset_from(&typed, max, get(f));
                            set(f, v);
                        });
                    }
                />
            </label>
        }
    };
    view! {
        <section class="settings-section" aria-labelledby="widget-place-title">
            <h2 id="widget-place-title">{move || pt().title}</h2>
            <p class="hint">{move || pt().hint}</p>
            <div class="form-row">
                {number(|t| t.from_side, "offset-x", MAX_OFFSET_X, |f| f.offset_x, |f, v| f.offset_x = v)}
                {number(|t| t.from_bottom, "offset-y", MAX_OFFSET_Y, |f| f.offset_y, |f, v| f.offset_y = v)}
            </div>
            <label class="checkbox">
                <input
                    type="checkbox"
                    data-charla="hide-on-mobile"
                    prop:checked=move || form.with(|f| f.hide_on_mobile)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.update(|f| f.hide_on_mobile = on);
                    }
                />
                <span>{move || pt().hide_on_mobile}</span>
            </label>
            <p class="hint">{move || pt().hide_hint}</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_distances_are_whole_pixels_within_bounds() {
        assert_eq!(offset_from(" 48 ", MAX_OFFSET_X, 20), 48);
        assert_eq!(offset_from("9999", MAX_OFFSET_X, 20), MAX_OFFSET_X);
        assert_eq!(offset_from("", MAX_OFFSET_Y, 96), 96);
        assert_eq!(offset_from("-5", MAX_OFFSET_Y, 96), 96);
        assert_eq!(offset_from("12.5", MAX_OFFSET_Y, 96), 96);
    }

    #[test]
    fn placement_table_is_complete_and_translated() {
        crate::i18n::check_table(&PlacementTexts::pairs(), &[]);
    }
}
