//! Files, as far as the wasm goes: Send's question (are the tray's files uploaded?) and when
//! to draw. The paperclip, the paste and drop events, the drop hint and the door to the files
//! module are `attachments.js` (bundled into the glue: plain JS does them in fewer bytes); the
//! tray, the uploads, a message's files and why Send waits (said in the notice line) are the
//! plain-JS module `widget/files/files.js`, imported the first time a file is picked, dropped
//! or pasted or the open thread shows a message with files. A visitor who never sends or gets
//! a file never downloads it (in the wasm, files cost 12.6 KB gz).

use js_sys::Array;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::chat::Chat;

#[wasm_bindgen(module = "/src/attachments.js")]
extern "C" {
    /// Files' events on the widget's container; the module comes from `edge`.
    #[wasm_bindgen(js_name = files_setup)]
    pub fn setup(edge: &str, container: &Element);
    fn files_call(op: u32, token: &str, lang: &str, failed: &str) -> JsValue;
}

/// `files.js` says "up to 10 files" and holds to 10 until the workspace's rules come.
const _: () = assert!(charla_shared::files::MAX_ATTACHMENTS == 10);

/// What the files are asked (`attachments.js` and `files.js` know them as numbers).
#[derive(Clone, Copy)]
pub enum Op {
    /// The ids to send with the message (an array), or null while the tray is not ready (the
    /// notice says why).
    Ready = 1,
    /// The panel is open: the paperclip (made the first time) in the current language, the
    /// tray, the files of lines that show some, thumbnails' images.
    Draw = 2,
    /// The message went with the tray's files.
    Take = 3,
    /// The visitor was forgotten (`charla("reset")`).
    Reset = 4,
}

/// Asks `op` with the visitor's current token and language (the uploads, links and texts use
/// them), and what to say if the module cannot be downloaded.
pub fn tell(chat: &Chat, op: Op) -> JsValue {
    let s = chat.ui.read_untracked();
    let (lang, failed) = (s.lang.code(), s.t().failed);
    drop(s);
    files_call(op as u32, &chat.token().unwrap_or_default(), lang, failed)
}

/// The ids of the files to send with the composer's message (none when the tray is empty);
/// `None` while some are uploading or failed, and the notice says so.
pub fn ready(chat: &Chat) -> Option<Vec<String>> {
    let ids = tell(chat, Op::Ready).dyn_into::<Array>().ok()?;
    Some(ids.iter().filter_map(|id| id.as_string()).collect())
}
