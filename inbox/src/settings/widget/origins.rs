//! The sites allowed to start the chat.

use crate::settings::i18n::st;
use leptos::prelude::*;

use crate::kit::chips::AddRow;
use crate::kit::keys::on_enter;
use crate::settings::widget::form::WidgetForm;

#[component]
pub(super) fn OriginsSection(form: RwSignal<WidgetForm>) -> impl IntoView {
    let new_origin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move || {
        let typed = new_origin.get_untracked();
        match form.try_update(|f| f.add_origin(&typed)) {
            Some(Ok(_)) => {
                new_origin.set(String::new());
                error.set(None);
            }
            Some(Err(e)) => error.set(Some(e)),
            None => {}
        }
    };
    view! {
        <section class="settings-section" aria-labelledby="widget-origins-title">
            <h2 id="widget-origins-title">{move || st().origins_title}</h2>
            <p class="hint">
                {move || st().origins_hint_1}
                <code>"https://shop.example.com"</code>
                {move || st().origins_hint_2}
            </p>
            <Show when=move || form.with(|f| f.allowed_origins.is_empty())>
                <p class="hint" data-charla="origins-empty">
                    {move || st().no_origins}
                </p>
            </Show>
            <ul class="widget-origins">
                <For
                    each=move || form.with(|f| f.allowed_origins.clone())
                    key=String::clone
                    children=move |origin| {
                        let remove = origin.clone();
                        view! {
                            <li class="widget-origin" data-charla="origin-row" data-origin=origin.clone()>
                                <code>{origin.clone()}</code>
                                <button
                                    type="button"
                                    class="small"
                                    aria-label={
                                        let origin = origin.clone();
                                        move || st().remove_named(&origin)
                                    }
                                    on:click=move |_| form.update(|f| f.remove_origin(&remove))
                                >
                                    {move || st().remove}
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <AddRow label=move || st().add_origin.to_owned() on_add=move |()| add()>
                <input
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    inputmode="url"
                    aria-label=move || st().new_origin
                    placeholder="https://shop.example.com"
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby="widget-origin-error"
                    bind:value=new_origin
                    on:input=move |_| error.set(None)
                    on:keydown=on_enter(add)
                />
            </AddRow>
            <p class="form-error" role="alert" id="widget-origin-error" data-charla="origin-error" hidden=move || error.with(Option::is_none)>
                {move || error.get().unwrap_or_default()}
            </p>
        </section>
    }
}
