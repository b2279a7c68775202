//! The main module's strings: everything the first view can show (sign-in, header, the list,
//! an open conversation, dialogs, the profile, alerts, errors). Spanish follows respond.io's
//! wording for support teams, in the `tú` form.

use super::Lang;

/// Words that are the same in both languages (brand names, symbols).
#[cfg(test)]
pub const SAME_IN_BOTH: &[&str] = &["Email", "Manual", " (API)"];

crate::texts! {
    /// One language's strings for the main module. Adding a field adds it to both languages.
    Texts, EN, ES {
        // Sign-in
        app_title: "Charla inbox", "Bandeja de Charla";
        workspace: "Workspace", "Espacio de trabajo";
        email: "Email", "Email";
        password: "Password", "Contraseña";
        sign_in: "Sign in", "Iniciar sesión";
        sign_in_hint: "Sign in to answer your visitors.", "Inicia sesión para responder a tus visitantes.";
        wrong_credentials: "Invalid credentials: check the workspace, email and password.", "El espacio de trabajo, el email o la contraseña no son correctos.";
        wrong_current_password: "The current password is not right.", "La contraseña actual no es correcta.";
        reset_link_spent: "This link was already used or has expired. Ask for a new one.", "Este enlace ya se usó o ha caducado. Pide uno nuevo.";

        // Header
        nav_inbox: "Inbox", "Bandeja de entrada";
        nav_workflows: "Workflows", "Flujos de trabajo";
        nav_reports: "Reports", "Informes";
        nav_snippets: "Snippets", "Respuestas rápidas";
        nav_settings: "Settings", "Configuración";
        pages: "Pages", "Páginas";
        profile_title: "Your profile and notifications", "Tu perfil y notificaciones";
        sign_out: "Sign out", "Cerrar sesión";
        away: "Away", "Ausente";
        you_are_away: "You are away", "Estás ausente";
        you_are_available: "You are available", "Estás disponible";
        status_online: "Online", "En línea";
        status_connecting: "Connecting…", "Conectando…";
        status_offline: "Offline", "Sin conexión";

        // Inbox shell
        select_conversation: "Select a conversation to start replying.", "Selecciona una conversación para empezar a responder.";
        press: "Press ", "Pulsa ";
        for_shortcuts: " for keyboard shortcuts.", " para ver los atajos de teclado.";
        notify_banner: "Get a desktop notification when a chat arrives while the inbox is in the background.", "Recibe una notificación de escritorio cuando llegue un chat mientras la bandeja está en segundo plano.";
        notify_turn_on: "Turn on notifications", "Activar notificaciones";
        not_now: "Not now", "Ahora no";
        page_unavailable: "This page could not be downloaded. Check the connection and open it again.", "No se pudo descargar esta página. Revisa la conexión y vuelve a abrirla.";
        desktop_notifications: "Desktop notifications", "Notificaciones de escritorio";
        loading: "Loading…", "Cargando…";

        // Keyboard shortcuts
        shortcuts_title: "Keyboard shortcuts", "Atajos de teclado";
        shortcut_next: "Next conversation", "Siguiente conversación";
        shortcut_previous: "Previous conversation", "Conversación anterior";
        shortcut_reply: "Write a reply", "Escribir una respuesta";
        shortcut_assign_to_me: "Assign the conversation to me", "Asignarme la conversación";
        shortcut_close: "Close the conversation", "Cerrar la conversación";
        shortcut_search: "Search conversations and messages", "Buscar conversaciones y mensajes";
        shortcut_help: "Show these shortcuts", "Mostrar estos atajos";
        close: "Close", "Cerrar";

        // Conversation list
        view_mine: "Mine", "Asignadas a mí";
        view_unassigned: "Unassigned", "Sin asignar";
        view_all: "All", "Todas";
        view_closed: "Closed", "Cerradas";
        views: "Views", "Vistas";
        team: "Team", "Equipo";
        team_filter: "Team filter", "Filtro de equipo";
        all_teams: "All teams", "Todos los equipos";
        conversations_in_view: "Conversations in this view", "Conversaciones de esta vista";
        conversations: "Conversations", "Conversaciones";
        you: "You", "Tú";
        closed_badge: "Closed", "Cerrada";
        no_conversations_yet: "No conversations yet.", "Aún no hay conversaciones.";
        nothing_in_view: "Nothing in this view.", "No hay nada en esta vista.";
        assignee: "Assignee", "Asignado a";
        you_prefix: "You: ", "Tú: ";

        // Search
        search_label: "Search conversations and messages", "Buscar conversaciones y mensajes";
        search_placeholder: "Search names, emails, phones, messages (/)", "Buscar nombres, emails, teléfonos, mensajes (/)";
        nothing_found: "Nothing found.", "No se encontró nada.";
        searching: "Searching…", "Buscando…";

        // Open conversation
        conversation: "Conversation", "Conversación";
        back_to_conversations: "Back to conversations", "Volver a las conversaciones";
        contact_details: "Contact details", "Datos del contacto";
        reassigned_away: "This conversation was assigned to someone else. You can no longer see it.", "Esta conversación se asignó a otra persona. Ya no puedes verla.";
        no_longer_visible: "You can no longer see this conversation: it was assigned to someone else or your access changed.", "Ya no puedes ver esta conversación: se asignó a otra persona o cambió tu acceso.";
        visitor_typing: "Visitor is typing…", "El visitante está escribiendo…";
        dismiss_error: "Dismiss error", "Descartar error";
        dismiss: "Dismiss", "Descartar";
        discard_message: "Discard message", "Descartar mensaje";
        discard: "Discard", "Descartar";
        sending: "Sending…", "Enviando…";
        sent: "Sent", "Enviado";
        not_sent: "Not sent", "No enviado";
        seen: "Seen", "Visto";
        load_earlier: "Load earlier messages", "Cargar mensajes anteriores";
        not_connected: "Not connected; try again in a moment.", "Sin conexión; inténtalo de nuevo en un momento.";

        // Composer
        reply: "Reply", "Responder";
        internal_note: "Internal note", "Nota interna";
        reply_to_visitor: "Reply to visitor", "Responder al visitante";
        note_for_agents: "Internal note for agents", "Nota interna para agentes";
        reply_placeholder: "Write a reply… (Enter to send, Shift+Enter for a new line)", "Escribe una respuesta… (Intro para enviar, Mayús+Intro para una nueva línea)";
        note_placeholder: "Note for agents only, @name to mention… (Enter to add)", "Nota solo para agentes, @nombre para mencionar… (Intro para añadir)";
        send: "Send", "Enviar";
        add_note: "Add note", "Añadir nota";
        snippets: "Snippets", "Respuestas rápidas";
        write: "Write", "Escribir";
        mention_agents: "Agents to mention", "Agentes para mencionar";

        // Lifecycle bar
        assigned_to_you: "Assigned to you", "Asignada a ti";
        unassigned: "Unassigned", "Sin asignar";
        open: "Open", "Abierta";
        closed: "Closed", "Cerrada";
        assign_to_me: "Assign to me", "Asignarme";
        unassign: "Unassign", "Desasignar";
        pause_bot: "Pause bot", "Pausar bot";
        resume_bot: "Resume bot", "Reanudar bot";
        close_conversation: "Close conversation", "Cerrar conversación";
        reopen: "Reopen", "Reabrir";
        conversation_actions: "Conversation actions", "Acciones de la conversación";

        // Close dialog
        category: "Category", "Categoría";
        choose_category: "Choose a category", "Elige una categoría";
        summary: "Summary", "Resumen";
        required_suffix: " (required)", " (obligatorio)";
        cancel: "Cancel", "Cancelar";
        confirm_close: "Confirm close", "Confirmar cierre";
        /// The dialog's submit button; its accessible name (`confirm_close`) must contain it.
        close_confirm_button: "Close", "Confirmar cierre";
        close_bad_request: "Check the category and the summary: the workspace may require them to close a conversation.", "Revisa la categoría y el resumen: el espacio de trabajo puede exigirlos para cerrar una conversación.";

        // Assign menu
        assign_to: "Assign to…", "Asignar a…";
        assign_conversation: "Assign conversation", "Asignar conversación";
        agents: "Agents", "Agentes";
        teams: "Teams", "Equipos";
        you_suffix: " (you)", " (tú)";
        load_title: "Open conversations / capacity", "Conversaciones abiertas / capacidad";
        open_suffix: " open", " abiertas";
        nobody_unassign: "Nobody (unassign)", "Nadie (desasignar)";
        no_limit_lower: "no limit", "sin límite";
        capacity_not_whole: "Capacity must be a whole number (leave it empty for no limit).", "La capacidad debe ser un número entero (déjala vacía para sin límite).";
        role_owner: "Owner", "Propietario";
        role_manager: "Manager", "Gerente";
        role_agent: "Agent", "Agente";
        access_all: "All conversations", "Todas las conversaciones";
        access_mine: "Own and unassigned", "Propias y sin asignar";

        // Run menu
        run_workflow: "Run workflow", "Ejecutar flujo de trabajo";
        no_manual_workflows: "No manual or shortcut workflows are turned on.", "No hay flujos de trabajo manuales o de atajo activados.";
        trigger_shortcut: "Shortcut", "Atajo";
        trigger_manual: "Manual", "Manual";

        // Contact panel
        contact: "Contact", "Contacto";
        name: "Name", "Nombre";
        phone: "Phone", "Teléfono";
        fields: "Fields", "Campos";
        tags: "Tags", "Etiquetas";
        remove: "Remove", "Quitar";
        add_field: "Add field", "Añadir campo";
        new_field_name: "New field name", "Nombre del campo nuevo";
        new_field_value: "New field value", "Valor del campo nuevo";
        add_tag: "Add tag", "Añadir etiqueta";
        new_tag: "New tag", "Etiqueta nueva";
        tag_word: "tag", "la etiqueta";
        category_word: "category", "la categoría";
        holiday_word: "holiday", "el festivo";
        save_contact: "Save contact", "Guardar contacto";
        contact_saved: "Contact saved.", "Contacto guardado.";
        no_changes: "No changes to save.", "No hay cambios que guardar.";
        bad_field_name: "Field names are 1–40 characters of a–z, 0–9 and _, and not name, email, phone, id or first_name.", "Los nombres de campo tienen de 1 a 40 caracteres de a–z, 0–9 y _, y no pueden ser name, email, phone, id ni first_name.";
        contact_refused: "Not saved: check the email (e.g. ana@example.com), the phone (with its country code, e.g. +34600111222) and the fields.", "No se guardó: revisa el email (p. ej. ana@example.com), el teléfono (con el prefijo del país, p. ej. +34600111222) y los campos.";
        value_placeholder: "value", "valor";

        // Invite and reset pages
        join_title: "Join the Charla inbox", "Únete a la bandeja de Charla";
        join_hint_before: "You were invited to the workspace “", "Te invitaron al espacio de trabajo «";
        join_hint_after: "”. Choose the name your team will see and a password (10 characters or more).", "». Elige el nombre que verá tu equipo y una contraseña (10 caracteres o más).";
        your_name: "Your name", "Tu nombre";
        choose_password: "Choose a password", "Elige una contraseña";
        join_workspace: "Join workspace", "Unirme al espacio de trabajo";
        invite_spent: "This invite link was already used or has expired. Ask for a new one.", "Este enlace de invitación ya se usó o ha caducado. Pide uno nuevo.";
        reset_title: "Choose a new password", "Elige una contraseña nueva";
        reset_hint: "This link works once. Your new password needs 10 characters or more; every other place you are signed in will be signed out.", "Este enlace funciona una vez. Tu contraseña nueva necesita 10 caracteres o más; se cerrará tu sesión en todos los demás sitios.";
        new_password: "New password", "Contraseña nueva";
        repeat_new_password: "Repeat the new password", "Repite la contraseña nueva";
        passwords_differ: "The two passwords are not the same.", "Las dos contraseñas no coinciden.";
        set_password_sign_in: "Set password and sign in", "Guardar la contraseña e iniciar sesión";

        // Profile: your details
        your_details: "Your details", "Tus datos";
        save_name: "Save name", "Guardar nombre";
        bad_name: "The name must be 1–80 characters.", "El nombre debe tener de 1 a 80 caracteres.";
        change_password: "Change password", "Cambiar contraseña";
        current_password: "Current password", "Contraseña actual";
        new_password_rule: "New password (10 characters or more)", "Contraseña nueva (10 caracteres o más)";
        type_current_password: "Type your current password.", "Escribe tu contraseña actual.";
        new_password_short: "The new password must be at least 10 characters.", "La contraseña nueva debe tener al menos 10 caracteres.";
        new_password_long: "The new password is too long.", "La contraseña nueva es demasiado larga.";
        confirmation_differs: "The new password and its confirmation are not the same.", "La contraseña nueva y su confirmación no coinciden.";
        password_changed: "Password changed. You were signed out everywhere else.", "Contraseña cambiada. Se cerró tu sesión en todos los demás sitios.";

        // Profile
        your_profile: "Your profile", "Tu perfil";
        back_to_inbox: "Back to inbox", "Volver a la bandeja de entrada";
        language: "Language", "Idioma";
        language_legend: "Show the inbox in", "Mostrar la bandeja en";
        language_auto: "Automatic (this browser's language)", "Automático (el idioma de este navegador)";
        language_hint: "Applies at once and is kept in this browser.", "Se aplica al momento y se guarda en este navegador.";

        notifications: "Notifications", "Notificaciones";
        tell_me_when: "Tell me when", "Avísame cuando";
        how: "How", "Cómo";
        notify_new: "A new conversation I can see", "Llega una conversación nueva que puedo ver";
        notify_assigned: "A conversation is assigned to me", "Me asignan una conversación";
        notify_message: "A visitor writes in a conversation assigned to me", "Un visitante escribe en una conversación asignada a mí";
        notify_mention: "Someone mentions me in an internal note", "Alguien me menciona en una nota interna";
        notify_sound: "Play a sound", "Reproducir un sonido";
        notify_desktop: "Show a desktop notification when the inbox is in the background", "Mostrar una notificación de escritorio cuando la bandeja está en segundo plano";
        notify_title: "Show the unread count in the tab title", "Mostrar los no leídos en el título de la pestaña";
        permission_granted: "This browser shows Charla's desktop notifications.", "Este navegador muestra las notificaciones de escritorio de Charla.";
        permission_denied: "This browser blocks Charla's desktop notifications: allow them in the site settings (the icon left of the address).", "Este navegador bloquea las notificaciones de escritorio de Charla: permítelas en la configuración del sitio (el icono a la izquierda de la dirección).";
        permission_default: "This browser has not been asked yet.", "Aún no se ha preguntado a este navegador.";
        allow_desktop: "Allow desktop notifications", "Permitir notificaciones de escritorio";
        save_notifications: "Save notifications", "Guardar notificaciones";

        // Kit
        saving: "Saving…", "Guardando…";
        saved: "Saved.", "Guardado.";

        // Timeline
        the_visitor: "the visitor", "el visitante";
        system: "system", "el sistema";
        timeline_timeout: " (timeout)", " (inactividad)";
        timeline_system: " (system)", " (sistema)";
        timeline_workflow: " (workflow)", " (flujo de trabajo)";
        timeline_api: " (API)", " (API)";
        timeline_new_message: " (new message)", " (mensaje nuevo)";
        outcome_ran: "ran", "se ejecutó";
        outcome_step_limit: "stopped at the step limit", "se detuvo en el límite de pasos";
        outcome_failed: "failed", "falló";
        outcome_cancelled: "was cancelled", "se canceló";
        bot_paused: "Bot paused", "Bot pausado";
        bot_resumed: "Bot resumed", "Bot reanudado";

        // Files
        nav_files: "Files", "Archivos";
        attach_files: "Attach files", "Adjuntar archivos";
        files_to_send: "Files to send", "Archivos para enviar";
        retry: "Retry", "Reintentar";
        upload_failed: "The upload failed. Check your connection and retry.", "No se pudo subir. Revisa tu conexión y vuelve a intentarlo.";
        notes_without_files: "Internal notes cannot carry files: switch to Reply to send them to the visitor.", "Las notas internas no llevan archivos: cambia a Responder para enviarlos al visitante.";
        wait_for_uploads: "Wait until the files finish uploading.", "Espera a que terminen de subirse los archivos.";
        files_in_conversation: "Files", "Archivos";
        no_files_yet: "No files in this conversation yet.", "Aún no hay archivos en esta conversación.";
        drop_files_here: "Drop files to attach them", "Suelta los archivos para adjuntarlos";
        delete_conversation: "Delete", "Eliminar";
        delete_conversation_title: "Delete this conversation?", "¿Eliminar esta conversación?";
        delete_conversation_text: "Its messages and files are deleted for good, for everyone. Reports keep its closed periods.", "Sus mensajes y archivos se eliminan para siempre, para todos. Los informes conservan sus periodos cerrados.";
        delete_for_good: "Delete for good", "Eliminar para siempre";
        conversation_deleted: "This conversation was deleted.", "Esta conversación se eliminó.";

        // Errors (see errors.rs)
        err_frame_too_large: "That is too large to send.", "Es demasiado grande para enviarlo.";
        err_malformed: "The server could not read the request. Reload the page and try again.", "El servidor no pudo leer la solicitud. Recarga la página e inténtalo de nuevo.";
        err_text_too_long: "Too long: at most 4,000 characters.", "Demasiado largo: como máximo 4.000 caracteres.";
        err_empty_text: "Write something first.", "Escribe algo primero.";
        err_client_id: "The message could not be identified. Reload the page and try again.", "No se pudo identificar el mensaje. Recarga la página e inténtalo de nuevo.";
        err_unauthorized: "Your session has ended. Sign in again.", "Tu sesión ha terminado. Vuelve a iniciar sesión.";
        err_forbidden: "You don't have permission to do that.", "No tienes permiso para hacer esto.";
        err_not_found: "It no longer exists, or you can no longer see it.", "Ya no existe o ya no puedes verlo.";
        err_bad_request: "Check what you entered and try again.", "Revisa lo que escribiste e inténtalo de nuevo.";
        err_rate_limited: "Too many requests. Try again in a moment.", "Demasiadas solicitudes. Inténtalo de nuevo en un momento.";
        err_internal: "Something went wrong on the server. Try again.", "Algo salió mal en el servidor. Inténtalo de nuevo.";
        err_file_too_large: "The file is larger than this workspace accepts.", "El archivo supera el tamaño que admite este espacio de trabajo.";
        err_file_type: "Files of this type are not accepted here.", "Aquí no se admiten archivos de este tipo.";
        err_too_many_files: "Too many files. Send fewer at a time.", "Demasiados archivos. Envía menos a la vez.";
        err_network: "Cannot reach the server. Check your connection and try again.", "No se puede conectar con el servidor. Revisa tu conexión e inténtalo de nuevo.";
        err_decode: "Unexpected answer from the server.", "Respuesta inesperada del servidor.";
        err_unknown: "Something went wrong. Try again.", "Algo salió mal. Inténtalo de nuevo.";
        err_cannot_see_note_hint: "Remove the mention or reassign the conversation first.", "Quita la mención o reasigna la conversación primero.";
        err_cannot_see_note_hint_many: "Remove the mentions or reassign the conversation first.", "Quita las menciones o reasigna la conversación primero.";
    }
}

impl Texts {
    fn es(&self) -> bool {
        self.lang == Lang::Es
    }

    /// "1 second", "45 seconds", "1 minute", "15 minutes": seconds under a minute, else
    /// minutes rounded up (so "try again in N" is never too early).
    pub fn wait(&self, seconds: u64) -> String {
        let (n, unit) = if seconds < 60 {
            (seconds.max(1), if self.es() { "segundo" } else { "second" })
        } else {
            (
                seconds.div_ceil(60),
                if self.es() { "minuto" } else { "minute" },
            )
        };
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    }

    /// The sign-in page, when the edge refuses more attempts for now.
    pub fn sign_in_rate_limited(&self, seconds: u64) -> String {
        let wait = self.wait(seconds);
        if self.es() {
            format!("Demasiados intentos de inicio de sesión. Inténtalo de nuevo en {wait}.")
        } else {
            format!("Too many sign-in attempts. Try again in {wait}.")
        }
    }

    /// The invite page, when the edge refuses more attempts for now.
    pub fn invite_rate_limited(&self, seconds: u64) -> String {
        let wait = self.wait(seconds);
        if self.es() {
            format!("Demasiados intentos. Inténtalo de nuevo en {wait}.")
        } else {
            format!("Too many attempts. Try again in {wait}.")
        }
    }

    /// Any other page's 429.
    pub fn rate_limited(&self, seconds: u64) -> String {
        let wait = self.wait(seconds);
        if self.es() {
            format!("Demasiadas solicitudes. Inténtalo de nuevo en {wait}.")
        } else {
            format!("Too many requests. Try again in {wait}.")
        }
    }

    /// The tab's title with the unread count.
    pub fn title_with_unread(&self, n: usize) -> String {
        if n == 0 {
            self.app_title.to_owned()
        } else {
            format!("({n}) {}", self.app_title)
        }
    }

    pub fn unread(&self, n: u32) -> String {
        if self.es() {
            if n == 1 {
                "1 sin leer".to_owned()
            } else {
                format!("{n} sin leer")
            }
        } else {
            format!("{n} unread")
        }
    }

    pub fn results(&self, n: usize) -> String {
        match (self.es(), n) {
            (false, 1) => "1 result".to_owned(),
            (false, n) => format!("{n} results"),
            (true, 1) => "1 resultado".to_owned(),
            (true, n) => format!("{n} resultados"),
        }
    }

    pub fn assigned_to(&self, name: &str) -> String {
        if self.es() {
            format!("Asignada a {name}")
        } else {
            format!("Assigned to {name}")
        }
    }

    pub fn team_named(&self, name: &str) -> String {
        if self.es() {
            format!("Equipo {name}")
        } else {
            format!("Team {name}")
        }
    }

    pub fn messages_with(&self, name: &str) -> String {
        if self.es() {
            format!("Mensajes con {name}")
        } else {
            format!("Messages with {name}")
        }
    }

    pub fn summary_too_long(&self, chars: usize, limit: usize) -> String {
        if self.es() {
            format!("El resumen tiene {chars} caracteres; el límite es {limit}.")
        } else {
            format!("The summary is {chars} characters; the limit is {limit}.")
        }
    }

    pub fn workflow_started(&self, name: &str) -> String {
        if self.es() {
            format!("Se inició «{name}».")
        } else {
            format!("Started “{name}”.")
        }
    }

    pub fn workflow_not_started(&self, name: &str) -> String {
        if self.es() {
            format!("«{name}» no se inició: sus condiciones no se cumplen aquí.")
        } else {
            format!("“{name}” did not start: its conditions do not hold here.")
        }
    }

    pub fn open_full_size(&self, name: &str) -> String {
        if self.es() {
            format!("Abrir {name} a tamaño completo")
        } else {
            format!("Open {name} full size")
        }
    }

    pub fn download_file(&self, name: &str) -> String {
        if self.es() {
            format!("Descargar {name}")
        } else {
            format!("Download {name}")
        }
    }

    pub fn uploading_file(&self, name: &str) -> String {
        if self.es() {
            format!("Subiendo {name}")
        } else {
            format!("Uploading {name}")
        }
    }

    /// Starts with [`Self::retry`]'s word: the button's visible text is in its name.
    pub fn retry_upload(&self, name: &str) -> String {
        if self.es() {
            format!("Reintentar la subida de {name}")
        } else {
            format!("Retry uploading {name}")
        }
    }

    pub fn remove_file(&self, name: &str) -> String {
        if self.es() {
            format!("Quitar {name}")
        } else {
            format!("Remove {name}")
        }
    }

    pub fn file_over_limit(&self, limit: &str) -> String {
        if self.es() {
            format!("Supera el tamaño que admite este espacio de trabajo (como máximo {limit}).")
        } else {
            format!("Larger than this workspace accepts ({limit} at most).")
        }
    }

    pub fn too_many_in_message(&self, n: usize) -> String {
        if self.es() {
            format!("Como máximo {n} archivos por mensaje.")
        } else {
            format!("At most {n} files per message.")
        }
    }

    /// A message of the agent's still on its way, by its files.
    pub fn files_attached(&self, n: usize) -> String {
        match (self.es(), n) {
            (true, 1) => "📎 1 archivo".to_owned(),
            (true, n) => format!("📎 {n} archivos"),
            (false, 1) => "📎 1 file".to_owned(),
            (false, n) => format!("📎 {n} files"),
        }
    }

    /// The `aria-label` of a chip's remove button ("Remove tag vip").
    pub fn remove_item(&self, what: &str, key: &str) -> String {
        if self.es() {
            format!("Quitar {what} {key}")
        } else {
            format!("Remove {what} {key}")
        }
    }

    pub fn name_saved(&self, name: &str) -> String {
        if self.es() {
            format!("Nombre guardado: los demás ahora ven «{name}».")
        } else {
            format!("Name saved: others now see “{name}”.")
        }
    }

    pub fn contact_field(&self, label: &str) -> String {
        if self.es() {
            format!("{label} del contacto")
        } else {
            format!("Contact {}", label.to_lowercase())
        }
    }

    pub fn field_named(&self, key: &str) -> String {
        if self.es() {
            format!("Campo {key}")
        } else {
            format!("Field {key}")
        }
    }

    pub fn remove_field(&self, key: &str) -> String {
        if self.es() {
            format!("Quitar el campo {key}")
        } else {
            format!("Remove field {key}")
        }
    }

    pub fn bad_tag(&self, max: usize) -> String {
        if self.es() {
            format!("Las etiquetas tienen de 1 a {max} caracteres.")
        } else {
            format!("Tags are 1–{max} characters.")
        }
    }

    // Alerts (desktop notifications).

    pub fn alert_assigned(&self, contact: &str) -> String {
        if self.es() {
            format!("Asignada a ti: {contact}")
        } else {
            format!("Assigned to you: {contact}")
        }
    }

    pub fn alert_new(&self, contact: &str) -> String {
        if self.es() {
            format!("Nueva conversación: {contact}")
        } else {
            format!("New conversation: {contact}")
        }
    }

    pub fn alert_mention(&self, by: &str) -> String {
        if self.es() {
            format!("{by} te mencionó")
        } else {
            format!("{by} mentioned you")
        }
    }

    // Timeline sentences: `by` is "by Ana (workflow)" as [`Texts::by`] makes it.

    pub fn by(&self, who: &str, note: &str) -> String {
        if self.es() {
            format!("por {who}{note}")
        } else {
            format!("by {who}{note}")
        }
    }

    pub fn opened_by(&self, by: &str) -> String {
        if self.es() {
            format!("Conversación abierta {by}")
        } else {
            format!("Conversation opened {by}")
        }
    }

    pub fn reopened_by(&self, by: &str) -> String {
        if self.es() {
            format!("Conversación reabierta {by}")
        } else {
            format!("Conversation reopened {by}")
        }
    }

    pub fn closed_by(&self, by: &str) -> String {
        if self.es() {
            format!("Conversación cerrada {by}")
        } else {
            format!("Conversation closed {by}")
        }
    }

    pub fn closed_category(&self) -> &'static str {
        if self.es() {
            " · Categoría: "
        } else {
            " · Category: "
        }
    }

    pub fn closed_summary(&self) -> &'static str {
        if self.es() {
            " · Resumen: "
        } else {
            " · Summary: "
        }
    }

    pub fn assigned_by(&self, agent: &str, team: Option<&str>, by: &str) -> String {
        let team = match (team, self.es()) {
            (None, _) => String::new(),
            (Some(t), false) => format!(" (team {t})"),
            (Some(t), true) => format!(" (equipo {t})"),
        };
        if self.es() {
            format!("Asignada a {agent}{team} {by}")
        } else {
            format!("Assigned to {agent}{team} {by}")
        }
    }

    pub fn unassigned_by(&self, agent: &str, by: &str) -> String {
        if self.es() {
            format!("Desasignada de {agent} {by}")
        } else {
            format!("Unassigned from {agent} {by}")
        }
    }

    pub fn moved_to_team_by(&self, team: &str, by: &str) -> String {
        if self.es() {
            format!("Movida al equipo {team} {by}")
        } else {
            format!("Moved to team {team} {by}")
        }
    }

    pub fn steps(&self, n: u32) -> String {
        match (self.es(), n) {
            (false, 1) => "1 step".to_owned(),
            (false, n) => format!("{n} steps"),
            (true, 1) => "1 paso".to_owned(),
            (true, n) => format!("{n} pasos"),
        }
    }

    pub fn workflow_ran(&self, name: &str, outcome: &str, steps: &str) -> String {
        if self.es() {
            format!("El flujo de trabajo «{name}» {outcome} ({steps})")
        } else {
            format!("Workflow “{name}” {outcome} ({steps})")
        }
    }

    pub fn outcome_other(&self, outcome: &str) -> String {
        if self.es() {
            format!("terminó: {outcome}")
        } else {
            format!("ended: {outcome}")
        }
    }

    pub fn note_by(&self, by: &str, text: &str) -> String {
        if self.es() {
            format!("Nota interna {by}: {text}")
        } else {
            format!("Internal note {by}: {text}")
        }
    }

    pub fn workflow_actor(&self, name: &str) -> String {
        if self.es() {
            format!("el flujo de trabajo «{name}»")
        } else {
            format!("workflow “{name}”")
        }
    }

    pub fn integration_actor(&self, id: &str) -> String {
        if self.es() {
            format!("la integración {id}")
        } else {
            format!("integration {id}")
        }
    }

    pub fn mentioned(&self, names: &str) -> String {
        if self.es() {
            format!(" · Menciona a {names}")
        } else {
            format!(" · Mentioned {names}")
        }
    }

    /// Mentioned agents who cannot see the conversation a note is on.
    pub fn cannot_see(&self, names: &[&str]) -> String {
        let (who, hint) = match names {
            [one] => (one.to_string(), self.err_cannot_see_note_hint),
            many => (many.join(", "), self.err_cannot_see_note_hint_many),
        };
        match (self.es(), names.len()) {
            (false, 1) => format!(
                "{who} cannot see this conversation (it is assigned to someone else). {hint}"
            ),
            (false, _) => format!(
                "{who} cannot see this conversation (it is assigned to someone else). {hint}"
            ),
            (true, 1) => {
                format!(
                    "{who} no puede ver esta conversación (está asignada a otra persona). {hint}"
                )
            }
            (true, _) => format!(
                "{who} no pueden ver esta conversación (está asignada a otra persona). {hint}"
            ),
        }
    }
}
