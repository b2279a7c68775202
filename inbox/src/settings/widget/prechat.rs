//! The pre-chat form: the questions a visitor answers before the first message.

use crate::settings::i18n::st;
use charla_shared::widget_settings::PrechatKind;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use crate::settings::widget::form::{self as wf, Field, WidgetForm};

#[component]
pub(super) fn PrechatSection(form: RwSignal<WidgetForm>) -> impl IntoView {
    let new_label = RwSignal::new(String::new());
    let add_error = RwSignal::new(None::<String>);
    let add = move |kind: PrechatKind| {
        let label = if kind == PrechatKind::Text {
            new_label.get_untracked()
        } else {
            String::new()
        };
        match form.try_update(|f| f.add_field(kind, &label)) {
            Some(Ok(_)) => {
                if kind == PrechatKind::Text {
                    new_label.set(String::new());
                }
                add_error.set(None);
            }
            Some(Err(e)) => add_error.set(Some(e)),
            None => {}
        }
    };
    let rows = move || form.with(|f| f.fields.iter().map(|r| r.id).collect::<Vec<_>>());
    let add_buttons = [PrechatKind::Name, PrechatKind::Email, PrechatKind::Phone].map(|kind| {
        let text = move || st().add_kind_field(wf::kind_label(kind));
        view! {
            <button
                type="button"
                class="small"
                disabled=move || form.with(|f| !f.can_add(kind))
                on:click=move |_| add(kind)
            >
                {text}
            </button>
        }
    });
    view! {
        <section class="settings-section" aria-labelledby="widget-prechat-title">
            <h2 id="widget-prechat-title">{move || st().prechat_title}</h2>
            <label class="checkbox">
                <input
                    type="checkbox"
                    aria-label=move || st().enable_prechat
                    prop:checked=move || form.with(|f| f.prechat_enabled)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.update(|f| f.prechat_enabled = on);
                    }
                />
                <span>{move || st().enable_prechat_long}</span>
            </label>
            <p class="hint">
                {move || st().prechat_hint_1}
                {wf::MAX_PRECHAT_FIELDS}
                {move || st().prechat_hint_2}
            </p>
            <Show when=move || form.with(|f| f.fields.is_empty())>
                <p class="hint" data-charla="prechat-empty">
                    {move || st().no_prechat_fields}
                </p>
            </Show>
            <ol class="prechat-fields">
                <For each=rows key=|id| *id children=move |id| view! { <PrechatRow form id /> } />
            </ol>
            <div class="add-row">
                <input
                    type="text"
                    autocomplete="off"
                    aria-label=move || st().new_prechat_label
                    placeholder=move || st().prechat_label_placeholder
                    bind:value=new_label
                    on:keydown=move |ev: KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            add(PrechatKind::Text);
                        }
                    }
                />
                <button
                    type="button"
                    class="small"
                    disabled=move || form.with(|f| !f.can_add(PrechatKind::Text))
                    on:click=move |_| add(PrechatKind::Text)
                >
                    {move || st().add_text_field}
                </button>
                {add_buttons.into_iter().collect_view()}
            </div>
            <p class="form-error" role="alert" data-charla="prechat-add-error" hidden=move || add_error.with(Option::is_none)>
                {move || add_error.get().unwrap_or_default()}
            </p>
        </section>
    }
}

/// One question: its kind, label, key (custom fields), whether it is required, and its place.
#[component]
fn PrechatRow(form: RwSignal<WidgetForm>, id: u32) -> impl IntoView {
    let row = Memo::new(move |_| form.with(|f| f.field(id).cloned()));
    let index = Memo::new(move |_| form.with(|f| f.fields.iter().position(|r| r.id == id)));
    let count = Memo::new(move |_| form.with(|f| f.fields.len()));
    let key = move || row.with(|r| r.as_ref().map(|r| r.key.clone()).unwrap_or_default());
    let kind = move || row.with(|r| r.as_ref().map(|r| r.kind));
    let problem = Memo::new(move |_| form.with(|f| f.problem(Field::PrechatLabel(id))));
    let problem_id = format!("prechat-{id}-problem");
    view! {
        <li
            class="prechat-row"
            data-charla="prechat-row"
            data-key=key
            data-kind=move || kind().map(wf::kind_key)
        >
            <span class="prechat-kind">{move || kind().map(wf::kind_label)}</span>
            <label class="prechat-label">
                <span class="visually-hidden">{move || st().label}</span>
                <input
                    type="text"
                    autocomplete="off"
                    aria-label=move || st().label_for(&key())
                    aria-invalid=move || problem.with(Option::is_some).then_some("true")
                    aria-describedby=problem_id.clone()
                    prop:value=move || row.with(|r| r.as_ref().map(|r| r.label.clone()).unwrap_or_default())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        form.update(|f| f.set_label(id, &v));
                    }
                />
            </label>
            <Show when=move || kind() == Some(PrechatKind::Text)>
                <span class="hint">
                    {move || st().key_word}
                    <code class="field-key" data-charla="prechat-key">{key}</code>
                </span>
            </Show>
            <label class="checkbox">
                <input
                    type="checkbox"
                    aria-label=move || st().required_named(&key())
                    prop:checked=move || row.with(|r| r.as_ref().is_some_and(|r| r.required))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.update(|f| f.set_required(id, on));
                    }
                />
                <span>{move || st().required}</span>
            </label>
            <span class="row-actions">
                <button
                    type="button"
                    aria-label=move || st().move_up(&key())
                    disabled=move || index.get().is_none_or(|i| i == 0)
                    on:click=move |_| {
                        form.update(|f| {
                            f.move_field(id, -1);
                        })
                    }
                >
                    "↑"
                </button>
                <button
                    type="button"
                    aria-label=move || st().move_down(&key())
                    disabled=move || index.get().is_none_or(|i| i + 1 >= count.get())
                    on:click=move |_| {
                        form.update(|f| {
                            f.move_field(id, 1);
                        })
                    }
                >
                    "↓"
                </button>
                <button
                    type="button"
                    aria-label=move || st().remove_named(&key())
                    on:click=move |_| form.update(|f| f.remove_field(id))
                >
                    {move || st().remove}
                </button>
            </span>
            <p class="form-error" role="alert" id=problem_id data-charla="widget-problem" data-field="prechat" hidden=move || problem.with(Option::is_none)>
                {move || problem.get().unwrap_or_default()}
            </p>
        </li>
    }
}
