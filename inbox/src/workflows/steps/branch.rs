//! The arms of a "Branch" step: conditions that must all hold, and where each leads.

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
                    let arm_name = Signal::derive(move || format!("{} arm {}", name.get(), index.get()));
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
                                <legend>{move || format!("If (arm {})", index.get())}</legend>
                                <ConditionList
                                    form
                                    list=CondList::Arm { step, arm }
                                    prefix=Signal::derive(move || format!("{} condition", arm_name.get()))
                                />
                                <div class="add-row">
                                    <label class="step-field">
                                        <span>"Then"</span>
                                        <select
                                            aria-label=move || format!("{} next step", arm_name.get())
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
                                                "End the run"
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
                                                        let text = format!("Go to {id}");
                                                        view! { <option value=id prop:selected=selected>{text}</option> }
                                                    })
                                                    .collect_view()
                                            }}
                                        </select>
                                    </label>
                                    <button
                                        type="button"
                                        class="small"
                                        aria-label=move || format!("Remove {}", arm_name.get().to_lowercase())
                                        on:click=move |_| form.update(|f| f.remove_arm(step, arm))
                                    >
                                        "Remove arm"
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
            aria-label=move || format!("Add an arm to {}", name.get().to_lowercase())
            on:click=move |_| form.update(|f| f.add_arm(step))
        >
            "Add arm"
        </button>
        <p class="hint">"The first arm that holds wins; when none does, the run goes to “Then” below."</p>
    }
}
