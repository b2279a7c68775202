//! "Assign to…": a menu of the workspace's agents (with presence in words and their load
//! against capacity) and teams. Choosing sends the same `action` frames as the other buttons.
//! The agents list is reloaded every time the menu opens, so the choice is made on fresh
//! presence and load.

use charla_shared::lifecycle::Action;
use charla_shared::protocol::LifecycleView;
use leptos::ev::{FocusEvent, KeyboardEvent};
use leptos::html::{Button, Div};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::tr;
use crate::shell::roster::{self, Presence};
use crate::shell::workspace::Workspace;

#[component]
pub fn AssignMenu(
    lifecycle: Memo<Option<LifecycleView>>,
    busy: Memo<bool>,
    act: Callback<Action>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let open = RwSignal::new(false);
    let trigger = NodeRef::<Button>::new();
    let menu = NodeRef::<Div>::new();
    let me = ws.me_id();
    let agents = Memo::new(move |_| ws.agents.with(|list| roster::assignable(list)));
    let assignee = Memo::new(move |_| lifecycle.with(|l| l.as_ref()?.assignee_id.clone()));
    let team = Memo::new(move |_| lifecycle.with(|l| l.as_ref()?.team_id.clone()));

    let close = move |refocus: bool| {
        open.set(false);
        if refocus {
            if let Some(button) = trigger.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let toggle = move |_| {
        if open.get_untracked() {
            close(false);
        } else {
            ws.reload_agents();
            ws.reload_teams();
            open.set(true);
        }
    };
    let choose = move |action: Action| {
        close(true);
        act.run(action);
    };
    // Focus the first item once the menu is in the DOM, as menus do.
    Effect::new(move |_| {
        if open.get() {
            if let Some(menu) = menu.get() {
                request_animation_frame(move || focus_item(&menu, |_, _| Some(0)));
            }
        }
    });
    let on_keydown = move |ev: KeyboardEvent| {
        let Some(el) = menu.get_untracked() else {
            return;
        };
        let step = |current: Option<usize>, count: usize, forward: bool| {
            Some(match (current, forward) {
                (None, true) => 0,
                (None, false) => count.saturating_sub(1),
                (Some(i), true) => (i + 1) % count,
                (Some(i), false) => (i + count - 1) % count,
            })
        };
        match ev.key().as_str() {
            "Escape" => {
                ev.prevent_default();
                close(true);
            }
            "ArrowDown" => {
                ev.prevent_default();
                focus_item(&el, |current, count| step(current, count, true));
            }
            "ArrowUp" => {
                ev.prevent_default();
                focus_item(&el, |current, count| step(current, count, false));
            }
            "Home" => {
                ev.prevent_default();
                focus_item(&el, |_, _| Some(0));
            }
            "End" => {
                ev.prevent_default();
                focus_item(&el, |_, count| count.checked_sub(1));
            }
            _ => {}
        }
    };
    // Focus leaving the menu and its button (a click elsewhere, Tab) closes it.
    let on_focusout = move |ev: FocusEvent| {
        let wrapper = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let next = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = match (wrapper, next) {
            (Some(wrapper), Some(next)) => wrapper.contains(Some(&next)),
            _ => false,
        };
        if !inside {
            open.set(false);
        }
    };

    view! {
        <div class="assign-menu" on:focusout=on_focusout>
            <button
                type="button"
                node_ref=trigger
                data-charla="assign-menu"
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                aria-controls="assign-menu-items"
                disabled=move || busy.get()
                on:click=toggle
            >
                {move || tr().assign_to}
            </button>
            <Show when=move || open.get()>
                <div
                    class="menu"
                    id="assign-menu-items"
                    role="menu"
                    aria-label=move || tr().assign_conversation
                    data-charla="assign-menu-items"
                    node_ref=menu
                    on:keydown=on_keydown
                >
                    <p class="menu-heading" role="presentation">
                        {move || tr().agents}
                    </p>
                    // Keyed by id only: a reload that changes presence or load updates the
                    // item in place, so the focused item is not replaced under the keyboard.
                    <For
                        each=move || agents.get()
                        key=|a| a.profile.id.clone()
                        children={
                            let me = me.clone();
                            move |agent| {
                                let id = agent.profile.id.clone();
                                let you = (id == me).then_some(move || tr().you_suffix);
                                let fresh = {
                                    let id = id.clone();
                                    Memo::new(move |_| {
                                        agents
                                            .with(|list| roster::find(list, &id).cloned())
                                            .unwrap_or_else(|| agent.clone())
                                    })
                                };
                                let presence = Memo::new(move |_| fresh.with(Presence::of));
                                let current = {
                                    let id = id.clone();
                                    move || assignee.with(|a| a.as_deref() == Some(id.as_str()))
                                };
                                let action = Action::Assign {
                                    agent_id: id.clone(),
                                    team_id: None,
                                };
                                view! {
                                    <button
                                        type="button"
                                        role="menuitem"
                                        tabindex="-1"
                                        class="menu-item"
                                        data-charla="assign-agent"
                                        data-id=id
                                        data-presence=move || presence.get().name()
                                        aria-current=move || current().then_some("true")
                                        disabled=move || busy.get()
                                        on:click=move |_| choose(action.clone())
                                    >
                                        <span class="menu-name">
                                            {move || fresh.with(|a| a.profile.name.clone())}
                                            {you}
                                        </span>
                                        " · "
                                        <span class="presence" data-presence=move || presence.get().name()>
                                            {move || presence.get().label(tr())}
                                        </span>
                                        " · "
                                        <span
                                            class="load"
                                            data-charla="agent-load"
                                            title=move || tr().load_title
                                        >
                                            {move || fresh.with(|a| roster::load(tr(), a))}
                                            {move || tr().open_suffix}
                                        </span>
                                    </button>
                                }
                            }
                        }
                    />
                    <Show when=move || ws.teams.with(|t| !t.is_empty())>
                        <p class="menu-heading" role="presentation">
                            {move || tr().teams}
                        </p>
                    </Show>
                    <For
                        each=move || ws.teams.get()
                        key=|t| (t.id.clone(), t.name.clone())
                        children=move |t| {
                            let id = t.id.clone();
                            let current = {
                                let id = id.clone();
                                move || team.with(|team| team.as_deref() == Some(id.as_str()))
                            };
                            let action = Action::AssignTeam { team_id: id.clone() };
                            let name = t.name.clone();
                            view! {
                                <button
                                    type="button"
                                    role="menuitem"
                                    tabindex="-1"
                                    class="menu-item"
                                    data-charla="assign-team"
                                    data-id=id
                                    aria-current=move || current().then_some("true")
                                    disabled=move || busy.get()
                                    on:click=move |_| choose(action.clone())
                                >
                                    {move || tr().team_named(&name)}
                                </button>
                            }
                        }
                    />
                    <Show when=move || assignee.with(Option::is_some)>
                        <button
                            type="button"
                            role="menuitem"
                            tabindex="-1"
                            class="menu-item"
                            data-charla="assign-none"
                            disabled=move || busy.get()
                            on:click=move |_| choose(Action::Unassign)
                        >
                            {move || tr().nobody_unassign}
                        </button>
                    </Show>
                </div>
            </Show>
        </div>
    }
}

/// Move focus among the menu's items: `pick(current index, count)` names the next one.
fn focus_item(
    menu: &web_sys::HtmlDivElement,
    pick: impl Fn(Option<usize>, usize) -> Option<usize>,
) {
    let Ok(items) = menu.query_selector_all("[role=menuitem]:not([disabled])") else {
        return;
    };
    let count = items.length() as usize;
    if count == 0 {
        return;
    }
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let current = (0..count).find(|&i| {
        items
            .item(i as u32)
            .zip(active.as_ref())
            .is_some_and(|(item, active)| item.is_same_node(Some(active)))
    });
    let target = pick(current, count)
        .and_then(|i| items.item(i as u32))
        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(target) = target {
        let _ = target.focus();
    }
}
