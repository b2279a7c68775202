//! The chat widget's settings: the snippet to install it, its look (with a live preview), the
//! away message, the pre-chat form, the sites allowed to use it and identity verification.
//! One Save for the settings ([`WidgetForm`] checks what the edge would refuse first, beside
//! each field); the identity secret has its own buttons and is fetched only when asked for.
//! Everything the owner types reaches the page as text nodes or input values, never as HTML.

pub mod check;
pub mod form;
mod install;
mod look;
mod origins;
pub mod placement;
mod prechat;

use crate::settings::i18n::{st, st_untracked};
use charla_shared::widget_settings::WidgetSettings;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::kit::save::{save, SaveActions, SaveState};
use crate::settings::widget::form::{Field, WidgetForm};
use crate::shell::workspace::Workspace;
use check::ConnectionCheckSection;
use install::{IdentitySection, InstallSection};
use look::{AppearanceSection, AwaySection};
use origins::OriginsSection;
use placement::PlacementSection;
use prechat::PrechatSection;

#[component]
pub fn WidgetSettingsPage() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let form = RwSignal::new(WidgetForm::default());
    // What the edge holds: `None` until loaded (the form is shown only then).
    let saved = RwSignal::new(None::<WidgetSettings>);
    let load_error = RwSignal::new(None::<String>);
    let state = RwSignal::new(SaveState::Idle);
    spawn_local(async move {
        match api::widget_settings(&ws.token()).await {
            Ok(settings) => {
                form.set(WidgetForm::from_settings(&settings));
                saved.set(Some(settings));
            }
            Err(e) => load_error.set(Some(ws.failure(e))),
        }
    });
    let dirty = Memo::new(move |_| {
        saved.with(|s| s.as_ref().is_some_and(|s| form.with(|f| f.differs_from(s))))
    });
    // "Saved." stops being true at the next edit.
    Effect::new(move |_| {
        if dirty.get() && state.with_untracked(|s| matches!(s, SaveState::Saved(_))) {
            state.set(SaveState::Idle);
        }
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let settings = match form.with_untracked(WidgetForm::to_settings) {
            Ok(s) => s,
            Err(e) => return state.set(SaveState::Failed(e)),
        };
        let sent = settings.clone();
        let request = async move { api::save_widget_settings(&ws.token(), &sent).await };
        save(state, ws, request, move |stored| {
            // The edge normalises as the form does; if it ever differs, show its version.
            if stored != settings {
                form.set(WidgetForm::from_settings(&stored));
            }
            saved.set(Some(stored));
            st_untracked().widget_saved.to_owned()
        });
    };

    view! {
        <div class="widget-settings" data-charla="settings-widget">
            <InstallSection />
            <Show when=move || load_error.with(Option::is_some)>
                <p class="form-error notice-plain" role="alert">
                    {move || load_error.get().unwrap_or_default()}
                </p>
            </Show>
            <Show when=move || saved.with(Option::is_some)>
                <form class="widget-form" novalidate on:submit=submit>
                    <AppearanceSection form />
                    <PlacementSection form />
                    <AwaySection form />
                    <PrechatSection form />
                    <OriginsSection form />
                    <IdentitySection form />
                    <SaveActions
                        state
                        label=Signal::derive(|| st().save_widget.to_owned())
                        name="widget"
                        class="widget-save"
                    >
                        <Show when=move || dirty.get() && !state.with(SaveState::is_saving)>
                            <span class="hint" data-charla="widget-unsaved">
                                {move || st().unsaved_changes}
                            </span>
                        </Show>
                    </SaveActions>
                </form>
                <ConnectionCheckSection suggested=Signal::derive(move || {
                    saved.with(|s| s.as_ref().and_then(|s| s.allowed_origins.first().cloned()))
                }) />
            </Show>
        </div>
    }
}

/// A one-line (or, for longer texts, a few lines) text setting with its character count and
/// the problem the edge would report, shown as it is typed.
#[component]
fn TextSetting(
    form: RwSignal<WidgetForm>,
    label: &'static str,
    /// `data-field` of the problem line (the settings' field name).
    name: &'static str,
    field: Field,
    max: usize,
    get: fn(&WidgetForm) -> &String,
    set: fn(&mut WidgetForm, String),
    #[prop(optional)] multiline: bool,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let value = move || form.with(|f| get(f).clone());
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        form.update(|f| set(f, v));
    };
    let problem = Memo::new(move |_| form.with(|f| f.problem(field)));
    let invalid = move || problem.with(Option::is_some).then_some("true");
    let count = move || form.with(|f| get(f).trim().chars().count());
    let problem_id = format!("widget-{name}-problem");
    let control = if multiline {
        view! {
            <textarea
                rows="2"
                aria-label=label
                placeholder=placeholder
                aria-invalid=invalid
                aria-describedby=problem_id.clone()
                prop:value=value
                on:input=on_input
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                type="text"
                autocomplete="off"
                aria-label=label
                placeholder=placeholder
                aria-invalid=invalid
                aria-describedby=problem_id.clone()
                prop:value=value
                on:input=on_input
            />
        }
        .into_any()
    };
    view! {
        <div class="widget-field">
            <label>
                <span>{label}</span>
                {control}
            </label>
            <span class="hint widget-count" data-over=move || (count() > max).then_some("true")>
                {move || format!("{} / {max}", count())}
            </span>
            <p class="form-error" role="alert" id=problem_id data-charla="widget-problem" data-field=name hidden=move || problem.with(Option::is_none)>
                {move || problem.get().unwrap_or_default()}
            </p>
        </div>
    }
}
