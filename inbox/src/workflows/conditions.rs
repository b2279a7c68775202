//! A condition list (trigger conditions, a branch arm): comparison rows, `all`/`any` groups
//! of rows, and JSON for anything else. Labels name the row's place ("Trigger condition 2.1
//! variable"), so every control has its own accessible name.

use charla_shared::workflow::Op;
use leptos::prelude::*;

use crate::workflows::form::{self as wf, CondList, CondNode, WorkflowForm, OPS};
use crate::workflows::i18n::wt;

/// The id of the `<datalist>` of variable suggestions the editor renders once.
pub const VARS_LIST: &str = "workflow-variables";

#[derive(Clone, Copy, PartialEq, Eq)]
enum NodeShape {
    Compare,
    Group,
    Raw,
}

fn shape(node: &CondNode) -> NodeShape {
    match node {
        CondNode::Compare(_) => NodeShape::Compare,
        CondNode::Group { .. } => NodeShape::Group,
        CondNode::Raw { .. } => NodeShape::Raw,
    }
}

/// `prefix` names the list ("Trigger condition", "Step 2 arm 1 condition").
#[component]
pub fn ConditionList(
    form: RwSignal<WorkflowForm>,
    list: CondList,
    #[prop(into)] prefix: Signal<String>,
) -> impl IntoView {
    let nodes = move || {
        form.with(|f| {
            f.conditions(list)
                .map(|nodes| {
                    nodes
                        .iter()
                        .map(|n| (n.key(), shape(n)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <ul class="conditions" data-charla="conditions">
            <For
                each=nodes
                key=|(key, _)| *key
                children=move |(node, shape)| {
                    let index = Memo::new(move |_| {
                        form.with(|f| {
                            f.conditions(list)
                                .and_then(|ns| ns.iter().position(|n| n.key() == node))
                                .map_or(0, |i| i + 1)
                        })
                    });
                    let label = Signal::derive(move || format!("{} {}", prefix.get(), index.get()));
                    let remove = move |_| form.update(|f| f.remove_condition(list, node));
                    let body = match shape {
                        NodeShape::Compare => view! { <CompareRowView form list row=node label /> }.into_any(),
                        NodeShape::Group => view! { <GroupView form list group=node label /> }.into_any(),
                        NodeShape::Raw => view! { <RawView form list node label /> }.into_any(),
                    };
                    view! {
                        <li class="condition" data-charla="condition">
                            {body}
                            <button
                                type="button"
                                class="small"
                                aria-label=move || wt().remove_named(&label.get())
                                on:click=remove
                            >
                                {move || wt().remove}
                            </button>
                        </li>
                    }
                }
            />
        </ul>
        <div class="add-row">
            <button
                type="button"
                class="small"
                aria-label=move || wt().add_condition_to(&list_name(&prefix.get()))
                on:click=move |_| form.update(|f| f.add_condition(list, None))
            >
                {move || wt().add_condition}
            </button>
            <button
                type="button"
                class="small"
                aria-label=move || wt().add_any_group_to(&list_name(&prefix.get()))
                on:click=move |_| form.update(|f| f.add_condition(list, Some(true)))
            >
                {move || wt().add_any_group}
            </button>
        </div>
    }
}

/// `variable · operator · value`.
#[component]
fn CompareRowView(
    form: RwSignal<WorkflowForm>,
    list: CondList,
    row: u32,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let read = move |get: fn(&wf::CompareRow) -> String| {
        Memo::new(move |_| form.with(|f| f.row(list, row).map(get).unwrap_or_default()))
    };
    let var = read(|r| r.var.clone());
    let value = read(|r| r.value.clone());
    let op = Memo::new(move |_| form.with(|f| f.row(list, row).map_or(Op::Equals, |r| r.op)));
    let edit = move |change: Box<dyn FnOnce(&mut wf::CompareRow)>| {
        form.update(|f| {
            if let Some(r) = f.row_mut(list, row) {
                change(r);
            }
        })
    };
    let options = OPS
        .iter()
        .map(|o| {
            let o = *o;
            view! {
                <option value=o.name() prop:selected=move || op.get() == o>
                    {move || wf::op_label(o)}
                </option>
            }
        })
        .collect_view();
    view! {
        <span class="compare-row" data-charla="compare-row">
            <input
                type="text"
                class="condition-var"
                list=VARS_LIST
                placeholder="contact.tags"
                autocomplete="off"
                spellcheck="false"
                aria-label=move || wt().part(&label.get(), wt().p_variable)
                prop:value=var
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    edit(Box::new(move |r| r.var = v));
                }
            />
            <select
                aria-label=move || wt().part(&label.get(), wt().p_test)
                on:change=move |ev| {
                    if let Some(o) = wf::parse_op(&event_target_value(&ev)) {
                        edit(Box::new(move |r| r.op = o));
                    }
                }
            >
                {options}
            </select>
            <Show when=move || wf::op_value_hint(op.get()).is_some()>
                <input
                    type="text"
                    class="condition-value"
                    autocomplete="off"
                    placeholder=move || wf::op_value_hint(op.get()).unwrap_or_default()
                    aria-label=move || wt().part(&label.get(), wt().p_value)
                    prop:value=value
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(Box::new(move |r| r.value = v));
                    }
                />
            </Show>
        </span>
    }
}

/// "All of" / "any of" these rows.
#[component]
fn GroupView(
    form: RwSignal<WorkflowForm>,
    list: CondList,
    group: u32,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let any = Memo::new(move |_| {
        form.with(|f| {
            f.conditions(list)
                .and_then(|ns| ns.iter().find(|n| n.key() == group))
                .is_some_and(|n| matches!(n, CondNode::Group { any: true, .. }))
        })
    });
    let rows = move || {
        form.with(|f| {
            f.conditions(list)
                .and_then(|ns| ns.iter().find(|n| n.key() == group))
                .map(|n| match n {
                    CondNode::Group { rows, .. } => rows.iter().map(|r| r.key).collect(),
                    _ => Vec::new(),
                })
                .unwrap_or_default()
        })
    };
    let set_any = move |value: bool| {
        form.update(|f| {
            if let Some(CondNode::Group { any, .. }) = f.node_mut(list, group) {
                *any = value;
            }
        })
    };
    view! {
        <fieldset class="condition-group" data-charla="condition-group">
            <legend>
                <select
                    aria-label=move || format!("{} match", label.get())
                    on:change=move |ev| set_any(event_target_value(&ev) == "any")
                >
                    <option value="any" prop:selected=move || any.get()>
                        {move || wt().any_holds}
                    </option>
                    <option value="all" prop:selected=move || !any.get()>
                        {move || wt().all_hold}
                    </option>
                </select>
            </legend>
            <ul class="conditions">
                <For
                    each=rows
                    key=|k| *k
                    children=move |row| {
                        let index = Memo::new(move |_| {
                            form.with(|f| {
                                f.conditions(list)
                                    .and_then(|ns| ns.iter().find(|n| n.key() == group))
                                    .and_then(|n| match n {
                                        CondNode::Group { rows, .. } => {
                                            rows.iter().position(|r| r.key == row)
                                        }
                                        _ => None,
                                    })
                                    .map_or(0, |i| i + 1)
                            })
                        });
                        let row_label = Signal::derive(move || format!("{}.{}", label.get(), index.get()));
                        view! {
                            <li class="condition">
                                <CompareRowView form list row label=row_label />
                                <button
                                    type="button"
                                    class="small"
                                    aria-label=move || wt().remove_named(&row_label.get())
                                    on:click=move |_| form.update(|f| f.remove_group_row(list, group, row))
                                >
                                    {move || wt().remove}
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <button
                type="button"
                class="small"
                aria-label=move || wt().add_to_group(&label.get())
                on:click=move |_| form.update(|f| f.add_group_row(list, group))
            >
                {move || wt().add_to_group}
            </button>
        </fieldset>
    }
}

/// A condition the rows cannot show, as JSON; whether it parses is said as it is typed.
#[component]
fn RawView(
    form: RwSignal<WorkflowForm>,
    list: CondList,
    node: u32,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let json = Memo::new(move |_| {
        form.with(|f| {
            f.conditions(list)
                .and_then(|ns| ns.iter().find(|n| n.key() == node))
                .map(|n| match n {
                    CondNode::Raw { json, .. } => json.clone(),
                    _ => String::new(),
                })
                .unwrap_or_default()
        })
    });
    let problem = Memo::new(move |_| {
        json.with(|j| {
            serde_json::from_str::<charla_shared::workflow::Condition>(j)
                .err()
                .map(|e| wt().not_valid_condition(&e.to_string()))
        })
    });
    view! {
        <span class="raw-condition">
            <textarea
                class="json"
                rows="4"
                spellcheck="false"
                aria-label=move || wt().part(&label.get(), wt().p_json)
                prop:value=json
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    form.update(|f| {
                        if let Some(CondNode::Raw { json, .. }) = f.node_mut(list, node) {
                            *json = v;
                        }
                    })
                }
            ></textarea>
            <Show when=move || problem.with(Option::is_some)>
                <span class="form-error inline" role="alert">
                    {move || problem.get().unwrap_or_default()}
                </span>
            </Show>
        </span>
    }
}

/// The list a prefix names, for the add buttons' names ("Trigger condition" → "trigger"): the
/// accessible name starts with the button's visible text, so speech users can say what they see.
fn list_name(prefix: &str) -> String {
    let lower = prefix.to_lowercase();
    lower
        .strip_suffix(" condition")
        .unwrap_or(&lower)
        .to_owned()
}
