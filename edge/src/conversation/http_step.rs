//! A workflow's HTTP step, sent from the Conversation DO with the guard rails a request to
//! someone else's server needs.

use std::time::Duration;

use charla_shared::workflow::{HttpMethod, HttpRequest, Input, MAX_RESPONSE_BYTES};
use futures_util::future::{select, Either};
use worker::{Delay, Fetch, Headers, Method, RequestInit, RequestRedirect};

/// An HTTP step's request: redirects are not followed (a public URL must not bounce to a
/// private one), the body read is capped, and the step's timeout applies.
pub(super) async fn http(request: &HttpRequest) -> Input {
    let attempt = async {
        let mut init = RequestInit::new();
        init.with_method(match request.method {
            HttpMethod::Get => Method::Get,
            HttpMethod::Post => Method::Post,
            HttpMethod::Put => Method::Put,
            HttpMethod::Patch => Method::Patch,
            HttpMethod::Delete => Method::Delete,
        });
        let headers = Headers::new();
        for (k, v) in &request.headers {
            headers.set(k, v)?;
        }
        init.with_headers(headers);
        init.with_redirect(RequestRedirect::Manual);
        if let Some(body) = &request.body {
            init.with_body(Some(wasm_bindgen::JsValue::from_str(body)));
        }
        let req = worker::Request::new_with_init(&request.url, &init)?;
        let mut resp = Fetch::Request(req).send().await?;
        let status = resp.status_code();
        let mut body = resp.text().await.unwrap_or_default();
        if body.len() > MAX_RESPONSE_BYTES {
            let mut cut = MAX_RESPONSE_BYTES;
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            body.truncate(cut);
        }
        Ok::<Input, worker::Error>(Input::HttpResponse { status, body })
    };
    let timeout = Delay::from(Duration::from_millis(request.timeout_ms.max(1) as u64));
    match select(Box::pin(attempt), timeout).await {
        Either::Left((Ok(input), _)) => input,
        Either::Left((Err(err), _)) => Input::HttpFailed {
            error: err.to_string(),
        },
        Either::Right(_) => Input::HttpFailed {
            error: format!("no response within {} ms", request.timeout_ms),
        },
    }
}
