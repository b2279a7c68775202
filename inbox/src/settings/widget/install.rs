//! Getting the widget onto a site: the snippet for this workspace and identity verification
//! (the secret is fetched only when asked for, and rotating it asks first).

use crate::settings::i18n::{st, st_untracked};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::kit::save::{SaveOutcome, SaveState};
use crate::settings::widget::form::{self as wf, WidgetForm};
use crate::shell::workspace::Workspace;
use crate::{api, browser};

/// The `<script>` tag for this workspace, served by this edge.
#[component]
pub(super) fn InstallSection() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let snippet = wf::embed_snippet(&browser::origin(), &ws.workspace_id());
    let copied = RwSignal::new(None::<bool>);
    let copy = {
        let snippet = snippet.clone();
        move |_| {
            let snippet = snippet.clone();
            spawn_local(async move { copied.set(Some(browser::copy_text(&snippet).await)) });
        }
    };
    view! {
        <section class="settings-section" aria-labelledby="widget-install-title">
            <h2 id="widget-install-title">{move || st().install_title}</h2>
            <p class="hint">
                {move || st().install_hint_1}
                <code>"</body>"</code>
                {move || st().install_hint_2}
            </p>
            <textarea
                class="widget-snippet"
                readonly
                rows="2"
                spellcheck="false"
                aria-label=move || st().embed_snippet
                data-charla="widget-snippet"
                prop:value=snippet
                on:focus=move |ev| {
                    if let Some(area) = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                    {
                        area.select();
                    }
                }
            ></textarea>
            <div class="form-actions">
                <button type="button" class="small" on:click=copy>
                    {move || st().copy_snippet}
                </button>
                <span class="hint" role="status">
                    {move || match copied.get() {
                        Some(true) => st().copied,
                        Some(false) => st().copy_refused,
                        None => "",
                    }}
                </span>
            </div>
            <p class="hint" data-charla="widget-docs">
                {move || st().docs_hint_1}
                <code>{wf::INSTALL_GUIDES}</code>
                {move || st().docs_hint_2}
                <code>{wf::JS_API_GUIDE}</code>
                "."
            </p>
        </section>
    }
}

#[component]
pub(super) fn IdentitySection(form: RwSignal<WidgetForm>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    // Fetched only when asked for; `None` = hidden.
    let secret = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(SaveState::Idle);
    let copied = RwSignal::new(None::<bool>);
    let show = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        outcome.set(SaveState::Idle);
        spawn_local(async move {
            match api::identity_secret(&ws.token()).await {
                Ok(s) => secret.set(Some(s)),
                Err(e) => outcome.set(SaveState::Failed(ws.failure(e))),
            }
            busy.set(false);
        });
    };
    let rotate = move |_| {
        if busy.get_untracked() {
            return;
        }
        let sure = browser::window()
            .confirm_with_message(st_untracked().rotate_confirm)
            .unwrap_or(false);
        if !sure {
            return;
        }
        busy.set(true);
        outcome.set(SaveState::Saving);
        spawn_local(async move {
            match api::rotate_identity_secret(&ws.token()).await {
                Ok(s) => {
                    secret.set(Some(s));
                    copied.set(None);
                    outcome.set(SaveState::Saved(st_untracked().new_secret_drawn.to_owned()));
                }
                Err(e) => outcome.set(SaveState::Failed(ws.failure(e))),
            }
            busy.set(false);
        });
    };
    let copy = move |_| {
        if let Some(s) = secret.get_untracked() {
            spawn_local(async move { copied.set(Some(browser::copy_text(&s).await)) });
        }
    };
    let examples = wf::SIGNING_EXAMPLES.map(|(lang, code)| {
        view! {
            <figure class="signing-example">
                <figcaption>{lang}</figcaption>
                <pre data-charla="signing-example" data-lang=lang.to_lowercase()>
                    <code>{code}</code>
                </pre>
            </figure>
        }
    });
    view! {
        <section class="settings-section" aria-labelledby="widget-identity-title">
            <h2 id="widget-identity-title">{move || st().identity_title}</h2>
            <p class="hint">
                {move || st().identity_hint_1}
                <code>"charla(\"identify\", …)"</code>
                {move || st().identity_hint_2}
            </p>
            <label class="checkbox">
                <input
                    type="checkbox"
                    aria-label=move || st().require_identity
                    prop:checked=move || form.with(|f| f.require_identity_verification)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.update(|f| f.require_identity_verification = on);
                    }
                />
                <span>{move || st().require_identity_long}</span>
            </label>
            <div class="identity-secret" data-charla="identity-secret">
                {move || match secret.get() {
                    None => view! {
                        <button
                            type="button"
                            class="small"
                            aria-busy=move || busy.get().to_string()
                            on:click=show
                        >
                            {move || st().show_secret}
                        </button>
                    }
                    .into_any(),
                    Some(s) => view! {
                        <label class="identity-secret-value">
                            <span>{move || st().identity_secret}</span>
                            <input
                                type="text"
                                readonly
                                spellcheck="false"
                                aria-label=move || st().identity_secret
                                data-charla="identity-secret-value"
                                prop:value=s
                            />
                        </label>
                        <button type="button" class="small" on:click=copy>
                            {move || st().copy_secret}
                        </button>
                        <button
                            type="button"
                            class="small"
                            on:click=move |_| {
                                secret.set(None);
                                copied.set(None);
                            }
                        >
                            {move || st().hide_secret}
                        </button>
                    }
                    .into_any(),
                }}
                <button
                    type="button"
                    class="small danger"
                    aria-busy=move || busy.get().to_string()
                    on:click=rotate
                >
                    {move || st().rotate_secret}
                </button>
                <span class="hint" role="status">
                    {move || match copied.get() {
                        Some(true) => st().copied,
                        Some(false) => st().copy_refused,
                        None => "",
                    }}
                </span>
            </div>
            <SaveOutcome state=outcome name="identity-secret" />
            <p class="hint">
                {move || st().secret_hint_1}
                <code>"user_hash"</code>
                {move || st().secret_hint_2}
            </p>
            <div class="signing-examples">{examples.into_iter().collect_view()}</div>
            <pre class="identify-example" data-charla="identify-example">
                <code>{wf::IDENTIFY_EXAMPLE}</code>
            </pre>
        </section>
    }
}
