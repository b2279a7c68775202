//! One file's upload from the reply box (`POST /v1/inbox/conversations/{id}/files?name=`),
//! over `XMLHttpRequest` because `fetch` reports no upload progress. The body is the `File`
//! itself (the browser sets its `Content-Length`); the answer is the [`Attachment`] to send
//! with the message, or a refusal with the edge's stable code.

use charla_shared::files::Attachment;
use charla_shared::protocol::ErrorBody;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{File, ProgressEvent, XmlHttpRequest};

use crate::api::ApiError;
use crate::browser;

/// An upload on its way; dropping it after it ended frees its callbacks, [`Upload::abort`]
/// stops it before.
pub struct Upload {
    xhr: XmlHttpRequest,
    _progress: Closure<dyn FnMut(ProgressEvent)>,
    _ended: Closure<dyn FnMut()>,
}

impl Upload {
    pub fn abort(&self) {
        let _ = self.xhr.abort();
    }
}

/// Start uploading `file` to `conversation_id`: `progress` gets whole percents as bytes go
/// out, `done` the outcome once (a network failure or an abort is [`ApiError::Network`]).
pub fn start(
    token: &str,
    conversation_id: &str,
    file: &File,
    progress: impl Fn(u8) + 'static,
    done: impl FnOnce(Result<Attachment, ApiError>) + 'static,
) -> Result<Upload, ApiError> {
    let network = |_| ApiError::Network;
    let xhr = XmlHttpRequest::new().map_err(network)?;
    let url = format!(
        "{}/v1/inbox/conversations/{}/files?name={}",
        browser::origin(),
        String::from(js_sys::encode_uri_component(conversation_id)),
        String::from(js_sys::encode_uri_component(&file.name())),
    );
    xhr.open_with_async("POST", &url, true).map_err(network)?;
    xhr.set_request_header("authorization", &format!("Bearer {token}"))
        .map_err(network)?;
    xhr.set_request_header("accept", "application/json")
        .map_err(network)?;

    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
        if ev.length_computable() && ev.total() > 0.0 {
            progress(((ev.loaded() / ev.total()) * 100.0).clamp(0.0, 100.0) as u8);
        }
    });
    xhr.upload()
        .map_err(network)?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));

    // One callback for load, error and abort: whichever comes first settles it.
    let mut done = Some(done);
    let answered = xhr.clone();
    let on_end = Closure::<dyn FnMut()>::new(move || {
        if let Some(done) = done.take() {
            done(outcome(&answered));
        }
    });
    let ended = Some(on_end.as_ref().unchecked_ref());
    xhr.set_onload(ended);
    xhr.set_onerror(ended);
    xhr.set_onabort(ended);
    xhr.send_with_opt_blob(Some(file)).map_err(network)?;
    Ok(Upload {
        xhr,
        _progress: on_progress,
        _ended: on_end,
    })
}

/// What a finished request answered.
fn outcome(xhr: &XmlHttpRequest) -> Result<Attachment, ApiError> {
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    match status {
        0 => Err(ApiError::Network),
        201 | 200 => serde_json::from_str(&text).map_err(|_| ApiError::Decode),
        401 => Err(ApiError::Unauthorized {
            message: text.clone(),
        }),
        429 => Err(ApiError::RateLimited {
            retry_after: xhr
                .get_response_header("retry-after")
                .ok()
                .flatten()
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(1),
        }),
        _ => {
            let body = serde_json::from_str::<ErrorBody>(&text).ok();
            Err(ApiError::Refused {
                status,
                code: body.as_ref().map(|b| b.code),
                message: body.map(|b| b.message).unwrap_or_default(),
                details: Vec::new(),
            })
        }
    }
}
