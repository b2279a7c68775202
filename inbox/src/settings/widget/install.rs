//! Getting the widget onto a site: the snippet for this workspace and identity verification
//! (the secret is fetched only when asked for, and rotating it asks first).

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
            <h2 id="widget-install-title">"Install"</h2>
            <p class="hint">
                "Paste this tag just before " <code>"</body>"</code>
                " on every page of your site (or in your platform's footer or custom-code box). "
                "Changes saved below reach every page without touching it."
            </p>
            <textarea
                class="widget-snippet"
                readonly
                rows="2"
                spellcheck="false"
                aria-label="Embed snippet"
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
                    "Copy snippet"
                </button>
                <span class="hint" role="status">
                    {move || match copied.get() {
                        Some(true) => "Copied.",
                        Some(false) => "Copy it from the box (the browser refused).",
                        None => "",
                    }}
                </span>
            </div>
            <p class="hint" data-charla="widget-docs">
                "Step-by-step guides (WordPress, Shopify, Wix, Google Tag Manager, sites with a "
                "Content-Security-Policy) are in " <code>{wf::INSTALL_GUIDES}</code>
                "; opening the chat from your own buttons, identifying logged-in users and "
                "events in " <code>{wf::JS_API_GUIDE}</code> "."
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
            .confirm_with_message(
                "Rotate the identity secret? Hashes signed with the current secret stop \
                 working at once: give your backend the new secret right away.",
            )
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
                    outcome.set(SaveState::Saved(
                        "New secret drawn: signatures made with the old one are refused from now on."
                            .to_owned(),
                    ));
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
            <h2 id="widget-identity-title">"Identity verification"</h2>
            <p class="hint">
                "When your site tells the chat who a logged-in user is (" <code>"charla(\"identify\", …)"</code>
                "), your backend signs the user id with this workspace's secret. A signed user "
                "is the same contact on every device and gets their conversation back."
            </p>
            <label class="checkbox">
                <input
                    type="checkbox"
                    aria-label="Require identity verification"
                    prop:checked=move || form.with(|f| f.require_identity_verification)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.update(|f| f.require_identity_verification = on);
                    }
                />
                <span>"Require identity verification: refuse identify calls without a valid user_hash"</span>
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
                            "Show secret"
                        </button>
                    }
                    .into_any(),
                    Some(s) => view! {
                        <label class="identity-secret-value">
                            <span>"Identity secret"</span>
                            <input
                                type="text"
                                readonly
                                spellcheck="false"
                                aria-label="Identity secret"
                                data-charla="identity-secret-value"
                                prop:value=s
                            />
                        </label>
                        <button type="button" class="small" on:click=copy>
                            "Copy secret"
                        </button>
                        <button
                            type="button"
                            class="small"
                            on:click=move |_| {
                                secret.set(None);
                                copied.set(None);
                            }
                        >
                            "Hide secret"
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
                    "Rotate secret"
                </button>
                <span class="hint" role="status">
                    {move || match copied.get() {
                        Some(true) => "Copied.",
                        Some(false) => "Copy it from the box (the browser refused).",
                        None => "",
                    }}
                </span>
            </div>
            <SaveOutcome state=outcome name="identity-secret" />
            <p class="hint">
                "Keep the secret on your server, never in a page. " <code>"user_hash"</code>
                " is the hex HMAC-SHA256 of the user id, keyed with the secret exactly as shown "
                "(its text, not decoded):"
            </p>
            <div class="signing-examples">{examples.into_iter().collect_view()}</div>
            <pre class="identify-example" data-charla="identify-example">
                <code>{wf::IDENTIFY_EXAMPLE}</code>
            </pre>
        </section>
    }
}
