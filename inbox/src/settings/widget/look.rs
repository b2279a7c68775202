//! How the widget looks and greets: colour, side, texts and language, with a live preview;
//! and the away message.

use crate::settings::i18n::st;
use charla_shared::widget_settings::{Language, Position, RepliesIn};
use leptos::prelude::*;

use crate::kit::labelled::Labelled;
use crate::kit::select::EnumSelect;
use crate::kit::Choice;
use crate::settings::widget::form::{self as wf, Field, WidgetForm};

use super::TextSetting;

#[component]
pub(super) fn AppearanceSection(form: RwSignal<WidgetForm>) -> impl IntoView {
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
                <span>{move || p.label(crate::i18n::lang())}</span>
            </label>
        }
    });
    view! {
        <section class="settings-section" aria-labelledby="widget-look-title">
            <h2 id="widget-look-title">{move || st().appearance}</h2>
            <div class="widget-look">
                <div class="widget-look-fields">
                    <div class="widget-field">
                        <div class="form-row">
                            <label>
                                <span>{move || st().brand_colour}</span>
                                <input
                                    type="color"
                                    aria-label=move || st().brand_colour
                                    prop:value=move || form.with(WidgetForm::preview_color)
                                    on:input=move |ev| {
                                        let v = event_target_value(&ev);
                                        form.update(|f| f.brand_color = v);
                                    }
                                />
                            </label>
                            <label>
                                <span>{move || st().hex_code}</span>
                                <input
                                    type="text"
                                    class="narrow"
                                    autocomplete="off"
                                    spellcheck="false"
                                    maxlength="7"
                                    aria-label=move || st().colour_hex_code
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
                        <legend>{move || st().position}</legend>
                        <div class="members">{positions.into_iter().collect_view()}</div>
                    </fieldset>
                    <TextSetting
                        form
                        label=st().launcher_label
                        name="launcher_label"
                        field=Field::LauncherLabel
                        max=wf::LAUNCHER_LABEL_MAX
                        get=|f| &f.launcher_label
                        set=|f, v| f.launcher_label = v
                        placeholder=st().launcher_placeholder
                    />
                    <TextSetting
                        form
                        label=st().header_text
                        name="header_text"
                        field=Field::HeaderText
                        max=wf::HEADER_TEXT_MAX
                        get=|f| &f.header_text
                        set=|f, v| f.header_text = v
                        placeholder=st().header_placeholder
                    />
                    <TextSetting
                        form
                        label=st().greeting
                        name="greeting"
                        field=Field::Greeting
                        max=wf::GREETING_MAX
                        get=|f| &f.greeting
                        set=|f, v| f.greeting = v
                        multiline=true
                        placeholder=st().greeting_placeholder
                    />
                    <div class="form-row">
                        <Labelled caption=Signal::derive(|| st().replies_in.to_owned())>
                            <EnumSelect<RepliesIn>
                                label=Signal::derive(|| st().replies_in.to_owned())
                                value=Signal::derive(move || form.with(|f| f.replies_in))
                                on_pick=move |r| form.update(|f| f.replies_in = r)
                            />
                        </Labelled>
                        <Labelled caption=Signal::derive(|| st().widget_language.to_owned())>
                            <EnumSelect<Language>
                                label=Signal::derive(|| st().widget_language.to_owned())
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
                        <span>{move || st().show_avatars}</span>
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
            <figcaption class="hint">{move || st().preview}</figcaption>
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
pub(super) fn AwaySection(form: RwSignal<WidgetForm>) -> impl IntoView {
    view! {
        <section class="settings-section" aria-labelledby="widget-away-title">
            <h2 id="widget-away-title">{move || st().away_title}</h2>
            <p class="hint">{move || st().away_hint}</p>
            <TextSetting
                form
                label=st().away_message
                name="away_message"
                field=Field::AwayMessage
                max=wf::AWAY_MESSAGE_MAX
                get=|f| &f.away_message
                set=|f, v| f.away_message = v
                multiline=true
                placeholder=st().away_placeholder
            />
        </section>
    }
}
