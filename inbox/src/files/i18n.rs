//! The Files page's strings, in its part of the wasm.

use crate::i18n::Lang;

crate::texts! {
    /// One language's strings for the Files page.
    FileTexts, EN, ES {
        title: "Files", "Archivos";
        intro: "Files sent in the conversations you can see, newest first.", "Archivos enviados en las conversaciones que puedes ver, de más reciente a más antiguo.";
        filters: "File filters", "Filtros de archivos";
        from_date: "Sent from", "Enviado desde";
        to_date: "Sent until", "Enviado hasta";
        kind: "Type", "Tipo";
        all_kinds: "All types", "Todos los tipos";
        kind_image: "Images", "Imágenes";
        kind_pdf: "PDF", "PDF";
        kind_office: "Office documents", "Documentos de Office";
        kind_text: "Text", "Texto";
        kind_archive: "Archives", "Archivos comprimidos";
        kind_media: "Audio and video", "Audio y vídeo";
        clear_filter: "Clear", "Quitar";
        only_contact: "Only this contact", "Solo este contacto";
        only_conversation: "Only this conversation", "Solo esta conversación";
        contact_filter: "Contact", "Contacto";
        conversation_filter: "Conversation", "Conversación";
        col_name: "Name", "Nombre";
        col_kind: "Type", "Tipo";
        col_size: "Size", "Tamaño";
        col_sender: "Sent by", "Enviado por";
        col_conversation: "Conversation", "Conversación";
        col_date: "Date", "Fecha";
        col_actions: "Actions", "Acciones";
        visitor: "Visitor", "Visitante";
        agent: "Agent", "Agente";
        open: "Open", "Abrir";
        download: "Download", "Descargar";
        load_more: "Load more", "Cargar más";
        loading: "Loading…", "Cargando…";
        none: "No files match these filters.", "Ningún archivo coincide con estos filtros.";
    }
}

/// The Files page's table in the current language (tracked, like [`crate::i18n::tr`]).
pub fn ft() -> &'static FileTexts {
    FileTexts::current()
}

impl FileTexts {
    /// "Open captura.png" / "Abrir captura.png": the row's button, named with its file.
    pub fn open_named(&self, verb: &str, name: &str) -> String {
        format!("{verb} {name}")
    }

    pub fn sender(&self, visitor: bool, name: &str) -> String {
        let who = if visitor { self.visitor } else { self.agent };
        if name.trim().is_empty() {
            who.to_owned()
        } else {
            format!("{who} · {name}")
        }
    }

    pub fn es(&self) -> bool {
        self.lang == Lang::Es
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_table_is_complete_and_translated() {
        crate::i18n::check_table(&FileTexts::pairs(), &["PDF"]);
    }

    #[test]
    fn senders_read_in_both_languages() {
        assert_eq!(EN.sender(true, "Ana"), "Visitor · Ana");
        assert_eq!(ES.sender(false, "Luis"), "Agente · Luis");
        assert_eq!(ES.sender(true, " "), "Visitante");
        assert!(ES.es() && !EN.es());
    }
}
