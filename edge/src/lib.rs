//! Charla's edge: the Worker entry point, its routes, and the two Durable Objects.
//!
//! Each module is a thin shell over `charla_shared`: parse, check identity, call the core,
//! execute the effects against storage and sockets.

mod agents;
mod auth;
mod contacts;
mod conversation;
mod crypto;
mod error;
mod ids;
mod internal;
mod limits;
mod report_routes;
mod reports;
mod routes;
mod routing;
mod sign_in;
mod sockets;
mod sql;
mod widget_config;
mod widget_routes;
mod workflow_routes;
mod workflows;
mod workspace;

pub use conversation::Conversation;
pub use workspace::Workspace;

use worker::{event, Context, Env, Request, Response};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    Ok(routes::handle(req, &env)
        .await
        .unwrap_or_else(|err| err.into_response()))
}
