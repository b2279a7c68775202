//! The chat widget's settings: the snippet to install it, its look (with a live preview), the
//! away message, the pre-chat form, the sites allowed to use it and identity verification.
//! One Save for the settings ([`WidgetForm`] checks what the edge would refuse first, beside
//! each field); the identity secret has its own buttons and is fetched only when asked for.
//! Everything the owner types reaches the page as text nodes or input values, never as HTML.

use charla_shared::widget_settings::{Language, Position, PrechatKind, RepliesIn, WidgetSettings};
use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::kit::chips::AddRow;
use crate::kit::keys::on_enter;
use crate::kit::labelled::Labelled;
use crate::kit::save::{save, SaveActions, SaveOutcome, SaveState};
use crate::kit::select::EnumSelect;
use crate::kit::Choice;
use crate::settings::widget_form::{self as wf, Field, WidgetForm};
use crate::shell::workspace::Workspace;
use crate::{api, browser};

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
            "Chat widget saved. Sites show it from their next page view.".to_owned()
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
                    <AwaySection form />
                    <PrechatSection form />
                    <OriginsSection form />
                    <IdentitySection form />
                    <SaveActions state label="Save chat widget" name="widget" class="widget-save">
                        <Show when=move || dirty.get() && !state.with(SaveState::is_saving)>
                            <span class="hint" data-charla="widget-unsaved">
                                "Unsaved changes"
                            </span>
                        </Show>
                    </SaveActions>
                </form>
            </Show>
        </div>
    }
}

/// The `<script>` tag for this workspace, served by this edge.
#[component]
fn InstallSection() -> impl IntoView {
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

#[component]
fn AppearanceSection(form: RwSignal<WidgetForm>) -> impl IntoView {
    let color_problem = Memo::new(move |_| form.with(|f| f.problem(Field::BrandColor)));
    let positions = Position::ALL.iter().map(|&p| {
        view! {
            <label class="checkbox">
                <input
                    type="radio"
                    name="widget-position"
                    value=p.name()
                    prop:checked=move || form.with(|f| f.position == p)
                    on:change=move |_| form.update(|f| f.position = p)
                />
                <span>{p.label()}</span>
            </label>
        }
    });
    view! {
        <section class="settings-section" aria-labelledby="widget-look-title">
            <h2 id="widget-look-title">"Appearance"</h2>
            <div class="widget-look">
                <div class="widget-look-fields">
                    <div class="widget-field">
                        <div class="form-row">
                            <label>
                                <span>"Brand colour"</span>
                                <input
                                    type="color"
                                    aria-label="Brand colour"
                                    prop:value=move || form.with(WidgetForm::preview_color)
                                    on:input=move |ev| {
                                        let v = event_target_value(&ev);
                                        form.update(|f| f.brand_color = v);
                                    }
                                />
                            </label>
                            <label>
                                <span>"Hex code"</span>
                                <input
                                    type="text"
                                    class="narrow"
                                    autocomplete="off"
                                    spellcheck="false"
                                    maxlength="7"
                                    aria-label="Colour hex code"
                                    aria-invalid=move || color_problem.with(Option::is_some).then_some("true")
                                    prop:value=move || form.with(|f| f.brand_color.clone())
                                    on:input=move |ev| {
                                        let v = event_target_value(&ev);
                                        form.update(|f| f.brand_color = v);
                                    }
                                />
                            </label>
                        </div>
                        <p class="form-error" role="alert" data-charla="widget-problem" data-field="brand_color" hidden=move || color_problem.with(Option::is_none)>
                            {move || color_problem.get().unwrap_or_default()}
                        </p>
                    </div>
                    <fieldset class="widget-position">
                        <legend>"Position"</legend>
                        <div class="members">{positions.into_iter().collect_view()}</div>
                    </fieldset>
                    <TextSetting
                        form
                        label="Launcher label"
                        name="launcher_label"
                        field=Field::LauncherLabel
                        max=wf::LAUNCHER_LABEL_MAX
                        get=|f| &f.launcher_label
                        set=|f, v| f.launcher_label = v
                        placeholder="Empty: the chat icon only"
                    />
                    <TextSetting
                        form
                        label="Header text"
                        name="header_text"
                        field=Field::HeaderText
                        max=wf::HEADER_TEXT_MAX
                        get=|f| &f.header_text
                        set=|f, v| f.header_text = v
                        placeholder="Empty: “Chat with us” in the visitor's language"
                    />
                    <TextSetting
                        form
                        label="Greeting"
                        name="greeting"
                        field=Field::Greeting
                        max=wf::GREETING_MAX
                        get=|f| &f.greeting
                        set=|f, v| f.greeting = v
                        multiline=true
                        placeholder="Empty: “Hi! How can we help you?” in the visitor's language"
                    />
                    <div class="form-row">
                        <Labelled caption="Typically replies in">
                            <EnumSelect<RepliesIn>
                                label="Typically replies in"
                                value=Signal::derive(move || form.with(|f| f.replies_in))
                                on_pick=move |r| form.update(|f| f.replies_in = r)
                            />
                        </Labelled>
                        <Labelled caption="Language">
                            <EnumSelect<Language>
                                label="Language"
                                value=Signal::derive(move || form.with(|f| f.language))
                                on_pick=move |l| form.update(|f| f.language = l)
                            />
                        </Labelled>
                    </div>
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            prop:checked=move || form.with(|f| f.show_agent_avatars)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                form.update(|f| f.show_agent_avatars = on);
                            }
                        />
                        <span>"Show agent avatars (the initials of up to three agents online)"</span>
                    </label>
                </div>
                <WidgetPreview form />
            </div>
        </section>
    }
}

/// The header and launcher as a visitor will see them: the chosen colour, side and texts
/// (with the widget's defaults for empty ones). Plain elements; texts as text nodes.
#[component]
fn WidgetPreview(form: RwSignal<WidgetForm>) -> impl IntoView {
    let preview = Memo::new(move |_| form.with(WidgetForm::preview));
    let color = Memo::new(move |_| form.with(WidgetForm::preview_color));
    let ink = move || wf::foreground(&color.get());
    let labelled = move || preview.with(|p| !p.launcher_label.is_empty());
    view! {
        <figure
            class="widget-preview"
            data-charla="widget-preview"
            data-position=move || form.with(|f| f.position.name())
        >
            <figcaption class="hint">"Preview"</figcaption>
            <div class="wp-panel" aria-hidden="true">
                <div
                    class="wp-header"
                    data-charla="preview-header"
                    style:background-color=move || color.get()
                    style:color=ink
                >
                    <div class="wp-title" data-charla="preview-title">
                        {move || preview.with(|p| p.title.clone())}
                    </div>
                    <div class="wp-status" data-charla="preview-status">
                        {move || preview.with(|p| p.status.clone())}
                    </div>
                </div>
                <div class="wp-body">
                    <div class="wp-greeting" data-charla="preview-greeting">
                        {move || preview.with(|p| p.greeting.clone())}
                    </div>
                </div>
            </div>
            <div
                class="wp-launcher"
                data-charla="preview-launcher"
                data-labelled=move || labelled().then_some("true")
                style:background-color=move || color.get()
                style:color=ink
                aria-hidden="true"
            >
                <svg viewBox="0 0 24 24">
                    <path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z"></path>
                </svg>
                <Show when=labelled>
                    <span class="wp-label" data-charla="preview-label">
                        {move || preview.with(|p| p.launcher_label.clone())}
                    </span>
                </Show>
            </div>
        </figure>
    }
}

#[component]
fn AwaySection(form: RwSignal<WidgetForm>) -> impl IntoView {
    view! {
        <section class="settings-section" aria-labelledby="widget-away-title">
            <h2 id="widget-away-title">"When nobody is online"</h2>
            <p class="hint">
                "Shown in the chat when no agent is online (nobody has the inbox open, everyone "
                "is away, or outside business hours)."
            </p>
            <TextSetting
                form
                label="Away message"
                name="away_message"
                field=Field::AwayMessage
                max=wf::AWAY_MESSAGE_MAX
                get=|f| &f.away_message
                set=|f, v| f.away_message = v
                multiline=true
                placeholder="Empty: “We're away right now. Leave us a message and we'll get back to you.”"
            />
        </section>
    }
}

#[component]
fn PrechatSection(form: RwSignal<WidgetForm>) -> impl IntoView {
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
        let text = format!("Add {} field", wf::kind_label(kind).to_lowercase());
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
            <h2 id="widget-prechat-title">"Pre-chat form"</h2>
            <label class="checkbox">
                <input
                    type="checkbox"
                    aria-label="Enable pre-chat form"
                    prop:checked=move || form.with(|f| f.prechat_enabled)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.update(|f| f.prechat_enabled = on);
                    }
                />
                <span>"Enable pre-chat form: new visitors answer these questions before their first message"</span>
            </label>
            <p class="hint">
                "Name, email and phone fill the contact's own fields (emails and phone numbers with "
                "their country code are checked); text fields become custom contact fields under "
                "their key. Up to " {wf::MAX_PRECHAT_FIELDS} " fields."
            </p>
            <Show when=move || form.with(|f| f.fields.is_empty())>
                <p class="hint" data-charla="prechat-empty">
                    "No fields yet: even when enabled, visitors are asked nothing."
                </p>
            </Show>
            <ol class="prechat-fields">
                <For each=rows key=|id| *id children=move |id| view! { <PrechatRow form id /> } />
            </ol>
            <div class="add-row">
                <input
                    type="text"
                    autocomplete="off"
                    aria-label="New pre-chat field label"
                    placeholder="Label of a text field, e.g. Order number"
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
                    "Add text field"
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
                <span class="visually-hidden">"Label"</span>
                <input
                    type="text"
                    autocomplete="off"
                    aria-label=move || format!("Label for {}", key())
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
                    "key " <code class="field-key" data-charla="prechat-key">{key}</code>
                </span>
            </Show>
            <label class="checkbox">
                <input
                    type="checkbox"
                    aria-label=move || format!("Required: {}", key())
                    prop:checked=move || row.with(|r| r.as_ref().is_some_and(|r| r.required))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.update(|f| f.set_required(id, on));
                    }
                />
                <span>"Required"</span>
            </label>
            <span class="row-actions">
                <button
                    type="button"
                    aria-label=move || format!("Move {} up", key())
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
                    aria-label=move || format!("Move {} down", key())
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
                    aria-label=move || format!("Remove {}", key())
                    on:click=move |_| form.update(|f| f.remove_field(id))
                >
                    "Remove"
                </button>
            </span>
            <p class="form-error" role="alert" id=problem_id data-charla="widget-problem" data-field="prechat" hidden=move || problem.with(Option::is_none)>
                {move || problem.get().unwrap_or_default()}
            </p>
        </li>
    }
}

#[component]
fn OriginsSection(form: RwSignal<WidgetForm>) -> impl IntoView {
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
            <h2 id="widget-origins-title">"Allowed origins"</h2>
            <p class="hint">
                "The chat starts only on pages from these sites: the exact origin, scheme, host "
                "and port, without a path (" <code>"https://shop.example.com"</code>
                "). Add every variant your site uses, e.g. with and without www."
            </p>
            <Show when=move || form.with(|f| f.allowed_origins.is_empty())>
                <p class="hint" data-charla="origins-empty">
                    "No origins listed: the chat works on any site that has the snippet."
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
                                    aria-label=format!("Remove {origin}")
                                    on:click=move |_| form.update(|f| f.remove_origin(&remove))
                                >
                                    "Remove"
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <AddRow label="Add origin" on_add=move |()| add()>
                <input
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    inputmode="url"
                    aria-label="New allowed origin"
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

#[component]
fn IdentitySection(form: RwSignal<WidgetForm>) -> impl IntoView {
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
