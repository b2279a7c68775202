//! The arms of a "Branch" step: conditions that must all hold, and where each leads.

use crate::workflows::i18n::wt;
use leptos::prelude::*;

use crate::workflows::conditions::ConditionList;
use crate::workflows::form::{CondList, WorkflowForm};

#[component]
pub(super) fn BranchFields(
    form: RwSignal<WorkflowForm>,
    step: u32,
    name: Signal<String>,
) -> impl IntoView {
    let arms = move || {
        form.with(|f| {
            f.step(step)
                .map(|s| s.arms.iter().map(|a| a.key).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    view! {
        <ol class="arms">
            <For
                each=arms
                key=|k| *k
                children=move |arm| {
                    let index = Memo::new(move |_| {
                        form.with(|f| {
                            f.step(step)
                                .and_then(|s| s.arms.iter().position(|a| a.key == arm))
                                .map_or(0, |i| i + 1)
                        })
                    });
                    let arm_name = Signal::derive(move || wt().arm_of(&name.get(), index.get()));
                    let next = Memo::new(move |_| {
                        form.with(|f| {
                            f.step(step)
                                .and_then(|s| s.arms.iter().find(|a| a.key == arm))
                                .map(|a| a.next.clone())
                                .unwrap_or_default()
                        })
                    });
                    let others = Memo::new(move |_| {
                        form.with(|f| {
                            f.steps
                                .iter()
                                .filter(|s| s.key != step)
                                .map(|s| s.id.clone())
                                .collect::<Vec<_>>()
                        })
                    });
                    view! {
                        <li class="arm" data-charla="arm">
                            <fieldset>
                                <legend>{move || wt().if_arm(index.get())}</legend>
                                <ConditionList
                                    form
                                    list=CondList::Arm { step, arm }
                                    prefix=Signal::derive(move || wt().part(&arm_name.get(), wt().p_condition))
                                />
                                <div class="add-row">
                                    <label class="step-field">
                                        <span>{move || wt().then}</span>
                                        <select
                                            aria-label=move || wt().part(&arm_name.get(), wt().p_next_step)
                                            on:change=move |ev| {
                                                let v = event_target_value(&ev);
                                                form.update(|f| {
                                                    if let Some(a) = f
                                                        .step_mut(step)
                                                        .and_then(|s| s.arms.iter_mut().find(|a| a.key == arm))
                                                    {
                                                        a.next = v;
                                                    }
                                                });
                                            }
                                        >
                                            <option value="" prop:selected=move || next.with(String::is_empty)>
                                                {move || wt().end_the_run}
                                            </option>
                                            {move || {
                                                let current = next.get();
                                                let mut ids = others.get();
                                                if !current.is_empty() && !ids.contains(&current) {
                                                    ids.push(current.clone());
                                                }
                                                ids.into_iter()
                                                    .map(|id| {
                                                        let selected = id == current;
                                                        let text = wt().go_to_step(&id);
                                                        view! { <option value=id prop:selected=selected>{text}</option> }
                                                    })
                                                    .collect_view()
                                            }}
                                        </select>
                                    </label>
                                    <button
                                        type="button"
                                        class="small"
                                        aria-label=move || wt().remove_named(&arm_name.get())
                                        on:click=move |_| form.update(|f| f.remove_arm(step, arm))
                                    >
                                        {move || wt().remove_arm}
                                    </button>
                                </div>
                            </fieldset>
                        </li>
                    }
                }
            />
        </ol>
        <button
            type="button"
            class="small"
            aria-label=move || wt().add_arm_to(&name.get())
            on:click=move |_| form.update(|f| f.add_arm(step))
        >
            {move || wt().add_arm}
        </button>
        <p class="hint">{move || wt().first_arm_wins}</p>
    }
}
