//! Files in conversations (docs/API.md "Files"): uploads streamed into the `FILES` bucket,
//! short-lived signed download links, and the downloads themselves.
//!
//! An upload is checked before a byte is stored: the caller (the visitor of the conversation,
//! or an agent who may see it), its `Content-Length` against the workspace's limit, and its
//! type sniffed from its first bytes against the workspace's allow-list. The Conversation DO
//! records it; the bytes go from the request to the bucket through this Worker only, counted
//! on the way (a body longer or shorter than it said is refused and nothing is kept).

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use charla_shared::file_index::{FilePage, FileQuery};
use charla_shared::files::{
    content_disposition, display_name, served_content_type, served_inline, sniff, Attachment,
    DownloadLink, FileRules, DOWNLOAD_LINK_MILLIS, MAX_ATTACHMENTS, SNIFF_BYTES,
};
use charla_shared::protocol::{Author, AuthorKind};
use futures_util::stream::{self, StreamExt};
use worker::{Env, FixedLengthStream, Headers, HttpMetadata, Method, Request, Response};

use super::auth::{self, manager};
use super::input::{id_checked, query, read_json};
use crate::conversation::files::{object_key, BUCKET};
use crate::error::{EdgeError, Result};
use crate::ids::{new_id, now_millis, IdKind};
use crate::internal::conversation::{self, ConversationCall, FileUpload, FileViewer};
use crate::internal::workspace::{self, forward, WorkspaceCall};

/// Who uploads or asks for a link, in which conversation.
pub(super) struct Caller {
    pub workspace_id: String,
    pub conversation_id: String,
    pub author: Author,
    /// An agent who sees only their own and unassigned conversations.
    pub restricted: bool,
}

impl Caller {
    /// The visitor of the conversation their token names.
    pub(super) fn visitor(req: &Request, env: &Env) -> Result<Caller> {
        let s = auth::visitor(req, env)?;
        Ok(Caller {
            workspace_id: s.workspace_id,
            conversation_id: s.conversation_id,
            author: Author {
                kind: AuthorKind::Contact,
                id: s.visitor_id,
                name: String::new(),
            },
            restricted: false,
        })
    }

    /// An agent, on a conversation of their workspace named in the path (checked here).
    pub(super) async fn agent(req: &Request, env: &Env, conversation_id: &str) -> Result<Caller> {
        let s = auth::agent(req, env).await?;
        let conversation_id = id_checked(IdKind::Conversation, conversation_id)?.to_owned();
        Ok(Caller {
            restricted: s.now.access.limits(&s.now.profile.role),
            workspace_id: s.workspace_id,
            conversation_id,
            author: Author {
                kind: AuthorKind::Agent,
                id: s.agent_id,
                name: s.name,
            },
        })
    }
}

fn length_mismatch(declared: u64) -> EdgeError {
    EdgeError::BadRequest(format!(
        "the body is not the {declared} bytes its Content-Length says"
    ))
}

/// `POST …/files?name=<file name>`: the raw bytes as the body, with `Content-Length`. Answers
/// 201 with the [`Attachment`] to send in a message (`attachments: [id]`).
pub(super) async fn upload(mut req: Request, env: &Env, who: Caller) -> Result<Response> {
    let declared: u64 = req
        .headers()
        .get("Content-Length")?
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| EdgeError::BadRequest("uploads need a Content-Length".into()))?;
    let rules: FileRules =
        workspace::ask(env, &who.workspace_id, &WorkspaceCall::FileRules).await?;
    rules.check_size(declared)?;
    let name = display_name(&query(&req, "name")?.unwrap_or_default());

    // The first bytes decide the type; nothing is stored before that.
    let mut body = req.stream()?;
    let mut head: Vec<u8> = Vec::new();
    let mut ended = false;
    while head.len() < SNIFF_BYTES && (head.len() as u64) < declared {
        match body.next().await {
            Some(chunk) => head.extend(chunk?),
            None => {
                ended = true;
                break;
            }
        }
        if head.len() as u64 > declared {
            return Err(length_mismatch(declared));
        }
    }
    if ended && head.len() as u64 != declared {
        return Err(length_mismatch(declared));
    }
    let sniffed = sniff(&head, head.len() as u64 == declared);
    rules.check_kind(sniffed.kind, &name)?;

    let file = Attachment {
        id: new_id(IdKind::File.prefix())?,
        content_type: sniffed.kind.content_type(&name).to_owned(),
        name,
        size: declared,
        width: sniffed.width,
        height: sniffed.height,
    };
    let ask = |call: ConversationCall| {
        let (ws, conv) = (who.workspace_id.clone(), who.conversation_id.clone());
        async move { conversation::ask::<bool>(env, &ws, &conv, &call).await }
    };
    ask(ConversationCall::FileUpload(FileUpload {
        file: file.clone(),
        uploader: who.author.clone(),
        restricted: who.restricted,
    }))
    .await?;

    let seen = Rc::new(Cell::new(0u64));
    let counter = Rc::clone(&seen);
    let bytes = stream::once(async move { Ok(head) })
        .chain(body)
        .inspect(move |chunk| {
            if let Ok(c) = chunk {
                counter.set(counter.get() + c.len() as u64);
            }
        });
    let key = object_key(&who.workspace_id, &who.conversation_id, &file.id);
    let put = env
        .bucket(BUCKET)?
        .put(key, FixedLengthStream::wrap(bytes, declared))
        .http_metadata(HttpMetadata {
            content_type: Some(file.content_type.clone()),
            ..HttpMetadata::default()
        })
        .custom_metadata(HashMap::from([("name".to_owned(), file.name.clone())]))
        .execute()
        .await;
    match put {
        Ok(_) => {
            ask(ConversationCall::FileStored {
                file_id: file.id.clone(),
            })
            .await?;
            Ok(Response::from_json(&file)?.with_status(201))
        }
        Err(err) => {
            // Nothing references it; forget it now rather than at the alarm.
            let dropped = ask(ConversationCall::FileDropped {
                file_id: file.id.clone(),
            })
            .await;
            if let Err(e) = dropped {
                worker::console_error!("forgetting a failed upload failed: {e:?}");
            }
            if seen.get() != declared {
                return Err(length_mismatch(declared));
            }
            Err(err.into())
        }
    }
}

/// `GET …/files/{file}/link`: a download link for a file the caller may see, valid for
/// [`DOWNLOAD_LINK_MILLIS`]. Answers `{url, expires_at, file}`.
pub(super) async fn link(req: Request, env: &Env, who: Caller, file_id: &str) -> Result<Response> {
    let file_id = id_checked(IdKind::File, file_id)?.to_owned();
    let call = ConversationCall::FileAccess(FileViewer {
        file_id: file_id.clone(),
        viewer: who.author,
        restricted: who.restricted,
    });
    let file: Attachment =
        conversation::ask(env, &who.workspace_id, &who.conversation_id, &call).await?;
    let link = DownloadLink {
        workspace_id: who.workspace_id,
        conversation_id: who.conversation_id,
        file_id,
        expires_at: now_millis() + DOWNLOAD_LINK_MILLIS,
    };
    let origin = req.url()?.origin().ascii_serialization();
    let url = format!("{origin}{}", link.path(&auth::secret(env)?));
    Ok(Response::from_json(&serde_json::json!({
        "url": url, "expires_at": link.expires_at, "file": file,
    }))?)
}

/// `GET /v1/files/{workspace}/{conversation}/{file}?exp=…&sig=…`: the file, to anyone holding
/// an unexpired link (no session: the signature is the permission). Only raster images are
/// shown inline; everything else downloads, and nothing can run in this origin (`nosniff`, a
/// sandboxing CSP, HTML and SVG sent as `application/octet-stream`).
pub(super) async fn download(
    req: Request,
    env: &Env,
    workspace_id: &str,
    conversation_id: &str,
    file_id: &str,
) -> Result<Response> {
    let refused = || EdgeError::Forbidden("this download link is not valid or has expired".into());
    let (exp, sig) = (query(&req, "exp")?, query(&req, "sig")?);
    let (Some(exp), Some(sig)) = (exp, sig) else {
        return Err(refused());
    };
    let link = DownloadLink::verify(
        workspace_id,
        conversation_id,
        file_id,
        &exp,
        &sig,
        &auth::secret(env)?,
        now_millis(),
    )
    .ok_or_else(refused)?;
    let key = object_key(&link.workspace_id, &link.conversation_id, &link.file_id);
    let object = env
        .bucket(BUCKET)?
        .get(key)
        .execute()
        .await?
        .ok_or_else(|| EdgeError::NotFound("unknown file".into()))?;
    let stored_type = object
        .http_metadata()
        .content_type
        .unwrap_or_else(|| "application/octet-stream".into());
    let name = object
        .custom_metadata()?
        .remove("name")
        .unwrap_or_else(|| "file".into());
    let inline = served_inline(&stored_type);
    let headers = Headers::new();
    headers.set("Content-Type", served_content_type(&stored_type))?;
    headers.set("Content-Length", &object.size().to_string())?;
    headers.set("Content-Disposition", &content_disposition(inline, &name))?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Content-Security-Policy", "default-src 'none'; sandbox")?;
    headers.set("Cache-Control", "private, max-age=300")?;
    headers.set("Referrer-Policy", "no-referrer")?;
    // The widget shows images on the host page's origin.
    headers.set("Cross-Origin-Resource-Policy", "cross-origin")?;
    let body = object
        .body()
        .ok_or_else(|| EdgeError::NotFound("unknown file".into()))?
        .response_body()?;
    Ok(Response::from_body(body)?.with_headers(headers))
}

/// `GET /v1/inbox/files?from&to&type&contact&conversation&cursor&limit`: one page of the
/// files sent in the conversations the caller may see, newest first ([`FilePage`]). The
/// Workspace applies the caller's access level, as it does for the inbox list.
///
/// [`FilePage`]: charla_shared::file_index::FilePage
pub(super) async fn list(req: Request, env: &Env) -> Result<Response> {
    let s = auth::agent(&req, env).await?;
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let query = FileQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let call = WorkspaceCall::Files {
        viewer: s.agent_id,
        query,
    };
    forward::<FilePage>(env, &s.workspace_id, call).await
}

/// The rules as clients read them: the workspace's limit and groups, and the per-message cap.
fn rules_answer(rules: &FileRules) -> Result<Response> {
    Ok(Response::from_json(&serde_json::json!({
        "max_bytes": rules.max_bytes,
        "allowed": rules.allowed,
        "max_attachments": MAX_ATTACHMENTS,
    }))?)
}

/// `GET /v1/widget/files/rules` (visitor token): what the widget may upload.
pub(super) async fn visitor_rules(req: Request, env: &Env) -> Result<Response> {
    let s = auth::visitor(&req, env)?;
    let rules: FileRules = workspace::ask(env, &s.workspace_id, &WorkspaceCall::FileRules).await?;
    rules_answer(&rules)
}

/// `GET /v1/inbox/settings/files` (any agent) and `PUT` (owner/manager): [`FileRules`].
pub(super) async fn settings(mut req: Request, env: &Env) -> Result<Response> {
    if req.method() == Method::Get {
        let s = auth::agent(&req, env).await?;
        let rules: FileRules =
            workspace::ask(env, &s.workspace_id, &WorkspaceCall::FileRules).await?;
        return rules_answer(&rules);
    }
    let s = manager(&req, env).await?;
    let rules: FileRules = read_json(&mut req).await?;
    forward::<FileRules>(env, &s.workspace_id, WorkspaceCall::SetFileRules(rules)).await
}
