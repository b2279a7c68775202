//! The pages behind the header's links (settings, workflows, reports, files) are not in the inbox's
//! first download: each entry point below is a `wasm_split` point, and `scripts/build.sh`
//! splits the built wasm there into `split_*.wasm` (plus `chunk_*.wasm` for what two pages
//! share), fetched by `__wasm_split.js` the first time such a page opens. Signing in, the
//! conversation list and a conversation never wait for them.
//!
//! A page whose part fails to download (network gone) says so instead of aborting the whole
//! app; the failure is not remembered, so opening the page again retries.

use std::future::Future;

use leptos::prelude::*;
use wasm_split_helpers::{wasm_split, SplitLoaderError};

use crate::files::FilesPage;
use crate::i18n::tr;
use crate::profile::ProfilePage;
use crate::reports::ReportsPage;
use crate::settings::SettingsPage;
use crate::shell::route::Route;
use crate::workflows::WorkflowsPage;

/// A page's part of the wasm could not be downloaded.
#[derive(Debug)]
pub struct PartMissing;

impl From<SplitLoaderError> for PartMissing {
    fn from(_: SplitLoaderError) -> Self {
        PartMissing
    }
}

#[wasm_split(settings, fallible)]
pub fn settings(route: RwSignal<Route>) -> Result<AnyView, PartMissing> {
    Ok(view! { <SettingsPage route /> }.into_any())
}

#[wasm_split(workflows, fallible)]
pub fn workflows(route: RwSignal<Route>) -> Result<AnyView, PartMissing> {
    Ok(view! { <WorkflowsPage route /> }.into_any())
}

#[wasm_split(reports, fallible)]
pub fn reports(route: RwSignal<Route>) -> Result<AnyView, PartMissing> {
    Ok(view! { <ReportsPage route /> }.into_any())
}

#[wasm_split(files, fallible)]
pub fn files() -> Result<AnyView, PartMissing> {
    Ok(view! { <FilesPage /> }.into_any())
}

#[wasm_split(profile, fallible)]
pub fn profile() -> Result<AnyView, PartMissing> {
    Ok(view! { <ProfilePage /> }.into_any())
}

/// Shows a page once its part of the wasm is there (at once when it already is).
pub fn lazy_page(
    page: impl Future<Output = Result<AnyView, PartMissing>> + Send + 'static,
) -> AnyView {
    view! {
        <Suspense fallback=|| {
            view! {
                <p class="notice-plain" role="status" data-charla="page-loading">
                    {move || tr().loading}
                </p>
            }
        }>
            {Suspend::new(async move {
                page.await
                    .unwrap_or_else(|PartMissing| {
                        view! {
                            <p class="notice-plain" role="alert" data-charla="page-unavailable">
                                {move || tr().page_unavailable}
                            </p>
                        }
                            .into_any()
                    })
            })}
        </Suspense>
    }
    .into_any()
}
