//! A file sent in a conversation, wherever the inbox shows one (the thread, the contact
//! panel's files, the Files page): raster images (PNG, JPEG, GIF, WebP, the only types the edge
//! serves inline) as a thumbnail, everything else (SVG included) as a chip with its name, size
//! and type. Links are signed for five minutes, so each is fetched when it is needed: a
//! thumbnail's when it is drawn (again on a click once it is old), a chip's on every click.
//! Names reach the DOM as text and attributes only.

use charla_shared::basic::Millis;
use charla_shared::files::Attachment;
use leptos::ev::MouseEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::browser;
use crate::i18n::{lang, tr, Lang};
use crate::shell::workspace::Workspace;

/// A fetched link is used this long; older, a click asks for a fresh one (links last 5
/// minutes).
const LINK_FRESH_MS: Millis = 4 * 60 * 1000;
/// The box a thumbnail fits in, in CSS pixels.
const THUMB_BOX: (u32, u32) = (240, 180);

/// A size as people read it: `812 B`, `48 KB`, `1.4 MB` (`1,4 MB` in Spanish). Integer
/// arithmetic only: float formatting would add its code to the inbox's first download.
pub fn human_size(bytes: u64, lang: Lang) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut scale = 1024u64;
    let mut unit = 0;
    while unit < UNITS.len() - 1 && bytes >= scale * 1024 {
        scale *= 1024;
        unit += 1;
    }
    // Tenths, rounded half up.
    let tenths = (bytes * 10 + scale / 2) / scale;
    let text = if tenths < 100 {
        let sep = match lang {
            Lang::Es => ',',
            Lang::En => '.',
        };
        format!("{}{sep}{}", tenths / 10, tenths % 10)
    } else {
        ((tenths + 5) / 10).to_string()
    };
    format!("{text} {}", UNITS[unit])
}

/// A short name for a type (`PDF`, `PNG`, `DOCX`), from the stored content type.
pub fn type_label(content_type: &str) -> String {
    let label = match content_type {
        "image/jpeg" => "JPEG",
        "image/svg+xml" => "SVG",
        "text/plain" => "TXT",
        "application/msword" => "DOC",
        "application/vnd.ms-excel" => "XLS",
        "application/vnd.ms-powerpoint" => "PPT",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "DOCX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "XLSX",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "PPTX",
        "application/vnd.oasis.opendocument.text" => "ODT",
        "application/vnd.oasis.opendocument.spreadsheet" => "ODS",
        "application/vnd.oasis.opendocument.presentation" => "ODP",
        "application/x-7z-compressed" => "7Z",
        "application/vnd.rar" => "RAR",
        "audio/mpeg" => "MP3",
        "application/x-ole-storage" => "OLE",
        other => {
            let sub = other.rsplit('/').next().unwrap_or(other);
            let sub = sub.trim_start_matches("x-");
            // ASCII only: types are ASCII, and `to_uppercase` would bring Unicode's tables.
            return sub.chars().take(6).collect::<String>().to_ascii_uppercase();
        }
    };
    label.to_owned()
}

/// The thumbnail's size: the image's own proportions inside [`THUMB_BOX`], never larger
/// than the image; a square when the header did not say.
pub fn thumb_size(width: Option<u32>, height: Option<u32>) -> (u32, u32) {
    let (bw, bh) = THUMB_BOX;
    let (w, h) = match (width, height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => (u64::from(w), u64::from(h)),
        _ => return (bh, bh),
    };
    let (bw, bh) = (u64::from(bw), u64::from(bh));
    let (tw, th) = if w <= bw && h <= bh {
        (w, h)
    } else if w * bh >= h * bw {
        (bw, (h * bw + w / 2) / w)
    } else {
        ((w * bh + h / 2) / h, bh)
    };
    (tw.max(1) as u32, th.max(1) as u32)
}

/// Every file of a message (or of a Files page row) in `conversation_id`.
#[component]
pub fn Attachments(conversation_id: String, files: Vec<Attachment>) -> impl IntoView {
    let items = files
        .into_iter()
        .map(|file| {
            let conversation_id = conversation_id.clone();
            if file.is_inline_image() {
                view! { <Thumbnail conversation_id file /> }.into_any()
            } else {
                view! { <FileChip conversation_id file /> }.into_any()
            }
        })
        .collect_view();
    view! { <div class="attachments" data-charla="attachments">{items}</div> }
}

/// Fetch a link for the file, or say why not (in the agent's language). `ws` is passed in:
/// a spawned task has no component above it to find the context in.
async fn fresh_link(ws: Workspace, conversation_id: &str, file_id: &str) -> Result<String, String> {
    api::file_link(&ws.token(), conversation_id, file_id)
        .await
        .map(|l| l.url)
        .map_err(|e| ws.failure(e))
}

/// An image the edge serves inline: drawn from a link fetched when it is shown, opened full
/// size in a new tab on a click.
#[component]
pub fn Thumbnail(conversation_id: String, file: Attachment) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let link = RwSignal::new(None::<(String, Millis)>);
    let error = RwSignal::new(None::<String>);
    let target = StoredValue::new((conversation_id, file.id.clone()));
    let load = move || {
        let (conversation_id, file_id) = target.get_value();
        spawn_local(async move {
            let token = ws.token();
            match api::file_link(&token, &conversation_id, &file_id).await {
                Ok(l) => {
                    link.try_set(Some((l.url, browser::now())));
                }
                Err(e) => {
                    error.try_set(Some(ws.failure(e)));
                }
            }
        });
    };
    load();
    let (width, height) = thumb_size(file.width, file.height);
    let on_click = move |ev: MouseEvent| {
        let fresh = link.with_untracked(|l| {
            l.as_ref()
                .is_some_and(|(_, at)| browser::now() - at < LINK_FRESH_MS)
        });
        if fresh {
            return; // The link opens in a new tab as it is.
        }
        ev.prevent_default();
        let (conversation_id, file_id) = target.get_value();
        spawn_local(async move {
            match fresh_link(ws, &conversation_id, &file_id).await {
                Ok(url) => {
                    link.try_set(Some((url.clone(), browser::now())));
                    browser::open_tab(&url);
                }
                Err(why) => {
                    error.try_set(Some(why));
                }
            }
        });
    };
    let name = file.name.clone();
    let label = file.name.clone();
    let style = format!("width:{width}px;height:{height}px");
    view! {
        <span class="file-thumb-wrap">
            <a
                class="file-thumb"
                data-charla="file-thumb"
                data-file=file.id.clone()
                href=move || link.get().map(|(url, _)| url)
                // Until its signed link is fetched the anchor has no href, hence no role of
                // its own: say what it is, and keep it reachable by keyboard.
                role=move || link.with(Option::is_none).then_some("link")
                tabindex=move || link.with(Option::is_none).then_some("0")
                target="_blank"
                rel="noopener noreferrer"
                aria-label=move || tr().open_full_size(&label)
                on:click=on_click
            >
                {move || match link.get() {
                    Some((url, _)) => {
                        view! {
                            <img
                                src=url
                                alt=name.clone()
                                width=width.to_string()
                                height=height.to_string()
                            />
                        }
                            .into_any()
                    }
                    None => {
                        view! { <span class="thumb-placeholder" style=style.clone()></span> }
                            .into_any()
                    }
                }}
            </a>
            <Show when=move || error.with(Option::is_some)>
                <span class="form-error inline" role="alert" data-charla="file-error">
                    {move || error.get().unwrap_or_default()}
                </span>
            </Show>
        </span>
    }
}

/// Any other file: its name (as text), size and type; a click downloads it through a link
/// fetched for that click.
#[component]
pub fn FileChip(conversation_id: String, file: Attachment) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let target = StoredValue::new((conversation_id, file.id.clone(), file.name.clone()));
    let download = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (conversation_id, file_id, name) = target.get_value();
        spawn_local(async move {
            match fresh_link(ws, &conversation_id, &file_id).await {
                Ok(url) => browser::download_url(&url, &name),
                Err(why) => {
                    error.try_set(Some(why));
                }
            }
            busy.try_set(false);
        });
    };
    let size = file.size;
    let kind = type_label(&file.content_type);
    let label_name = file.name.clone();
    let label_kind = kind.clone();
    view! {
        <span class="file-chip-wrap">
            <button
                type="button"
                class="file-chip"
                data-charla="file-chip"
                data-file=file.id.clone()
                aria-busy=move || busy.get().to_string()
                title=move || tr().download_file(&label_name)
                on:click=download
            >
                <span class="file-icon" aria-hidden="true">"📎"</span>
                <span class="file-name" data-charla="file-name">{file.name.clone()}</span>
                <span class="file-meta">
                    {move || human_size(size, lang())} " · " {label_kind.clone()}
                </span>
            </button>
            <Show when=move || error.with(Option::is_some)>
                <span class="form-error inline" role="alert" data-charla="file-error">
                    {move || error.get().unwrap_or_default()}
                </span>
            </Show>
        </span>
    }
}

/// Open a file (a Files page row): an image in a new tab, anything else as a download, each
/// through a link fetched now. An error is worded for the agent.
pub async fn open_file(
    ws: Workspace,
    conversation_id: &str,
    file: &Attachment,
) -> Result<(), String> {
    let url = fresh_link(ws, conversation_id, &file.id).await?;
    if file.is_inline_image() {
        browser::open_tab(&url);
    } else {
        browser::download_url(&url, &file.name);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_each_language() {
        assert_eq!(human_size(812, Lang::En), "812 B");
        assert_eq!(human_size(48 * 1024 + 100, Lang::En), "48 KB");
        assert_eq!(human_size(1_468_006, Lang::En), "1.4 MB");
        assert_eq!(human_size(1_468_006, Lang::Es), "1,4 MB");
        assert_eq!(human_size(0, Lang::Es), "0 B");
    }

    #[test]
    fn types_have_short_labels() {
        assert_eq!(type_label("application/pdf"), "PDF");
        assert_eq!(type_label("image/png"), "PNG");
        assert_eq!(type_label("image/svg+xml"), "SVG");
        assert_eq!(type_label("application/x-ole-storage"), "OLE");
        assert_eq!(type_label("application/gzip"), "GZIP");
        assert_eq!(
            type_label("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            "DOCX"
        );
    }

    #[test]
    fn thumbnails_keep_proportions_inside_the_box() {
        assert_eq!(thumb_size(Some(640), Some(480)), (240, 180));
        assert_eq!(thumb_size(Some(100), Some(400)), (45, 180));
        assert_eq!(thumb_size(Some(40), Some(30)), (40, 30), "never enlarged");
        assert_eq!(thumb_size(None, Some(30)), (180, 180));
        assert_eq!(thumb_size(Some(0), Some(0)), (180, 180));
    }
}
