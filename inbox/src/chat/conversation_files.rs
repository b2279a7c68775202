//! The contact panel's "Files" section: the files of the open conversation's messages (both
//! sides), newest first, each opened as in the thread. Read from the thread the conversation
//! already holds, so it is live and costs no request.

use charla_shared::files::Attachment;
use leptos::prelude::*;

use crate::i18n::tr;
use crate::kit::attachment::Attachments;

#[component]
pub fn ConversationFiles(
    conversation_id: String,
    /// The conversation's files, newest first.
    files: Memo<Vec<Attachment>>,
) -> impl IntoView {
    view! {
        <section class="contact-files" data-charla="contact-files" aria-labelledby="contact-files-title">
            <h3 id="contact-files-title">{move || tr().files_in_conversation}</h3>
            {move || {
                let list = files.get();
                if list.is_empty() {
                    view! { <p class="hint" data-charla="contact-files-empty">{move || tr().no_files_yet}</p> }
                        .into_any()
                } else {
                    view! { <Attachments conversation_id=conversation_id.clone() files=list /> }.into_any()
                }
            }}
        </section>
    }
}
