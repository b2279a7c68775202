//! The settings pages' strings, kept in the settings part of the wasm (see [`crate::i18n`]).

use charla_shared::schedule::Day;

use crate::i18n::Lang;

crate::texts! {
    /// One language's strings for the settings pages.
    SettingsTexts, EN, ES {
        title: "Settings", "Configuración";
        only_managers: "Only owners and managers can change settings.", "Solo los propietarios y los gerentes pueden cambiar la configuración.";
        sections: "Settings sections", "Secciones de configuración";
        only_owners: "Only owners manage API keys and webhooks.", "Solo los propietarios gestionan las claves de API y los webhooks.";
        tab_team: "Team & conversations", "Equipo y conversaciones";
        tab_widget: "Chat widget", "Widget de chat";
        tab_hours: "Business hours", "Horario de atención";
        tab_snippets: "Snippets", "Respuestas rápidas";
        tab_api: "API & webhooks", "API y webhooks";

        // Agents
        agents: "Agents", "Agentes";
        refresh_agents: "Refresh agents", "Actualizar agentes";
        agents_hint: "Capacity is the most open conversations automatic assignment gives an agent (empty = no limit). Agents with access “Own and unassigned” do not see conversations assigned to others; owners and managers always see all.", "La capacidad es el máximo de conversaciones abiertas que la asignación automática da a un agente (vacío = sin límite). Los agentes con acceso «Propias y sin asignar» no ven las conversaciones asignadas a otros; los propietarios y gerentes siempre ven todas.";
        col_name: "Name", "Nombre";
        col_email: "Email", "Email";
        col_role: "Role", "Rol";
        col_capacity: "Capacity", "Capacidad";
        col_access: "Access", "Acceso";
        col_status: "Status", "Estado";
        col_actions: "Actions", "Acciones";
        no_limit_placeholder: "No limit", "Sin límite";
        managers_see_all: "Owners and managers always see all conversations", "Los propietarios y gerentes siempre ven todas las conversaciones";
        deactivated: "Deactivated", "Desactivado";
        open_suffix: " open", " abiertas";
        save: "Save", "Guardar";
        reactivate: "Reactivate", "Reactivar";
        deactivate_confirm: "Sign them out now and unassign their open conversations?", "¿Cerrar su sesión ahora y desasignar sus conversaciones abiertas?";
        deactivate: "Deactivate", "Desactivar";
        cancel: "Cancel", "Cancelar";
        reset_link_button: "Password reset link", "Enlace para restablecer la contraseña";
        reset_link: "Reset link", "Enlace de restablecimiento";
        copy_link: "Copy link", "Copiar enlace";
        valid_until: "Valid until ", "Válido hasta el ";
        copied: "Copied.", "Copiado.";
        copy_refused: "Copy it from the box (the browser refused).", "Cópialo del cuadro (el navegador no lo permitió).";
        type_invite_email: "Type the new agent's email.", "Escribe el email del agente nuevo.";
        invite_title: "Invite an agent", "Invitar a un agente";
        invite_email: "Invite email", "Email de la invitación";
        invite_role: "Invite role", "Rol de la invitación";
        create_invite_link: "Create invite link", "Crear enlace de invitación";
        invite_link: "Invite link", "Enlace de invitación";
        capacity_refused: "Not saved: check the capacity (a whole number up to 10000, empty for no limit).", "No se guardó: revisa la capacidad (un número entero de hasta 10000, vacío para sin límite).";

        assignment_title: "Assignment", "Asignación";
        closing_title: "Closing notes", "Notas de cierre";
        name_owner_field: "Name the contact field that holds the owner.", "Indica el campo del contacto que guarda el responsable.";
        choose_a_team: "Choose a team.", "Elige un equipo.";
        max_open_not_whole: "Max open must be a whole number (leave it empty for no limit).", "El máximo de abiertas debe ser un número entero (déjalo vacío para sin límite).";
        type_category_first: "Type a category name first.", "Escribe primero el nombre de la categoría.";

        // Assignment
        assignment_saved: "Assignment saved.", "Asignación guardada.";
        choose_team: "Choose a team", "Elige un equipo";
        assign_new_to: "Assign new conversations to", "Asignar las conversaciones nuevas a";
        assignment_team: "Assignment team", "Equipo de asignación";
        owner_field: "Owner contact field", "Campo del contacto con el responsable";
        owner_field_hint: "The contact field whose value is the owner's email or agent id.", "El campo del contacto cuyo valor es el email o el id de agente del responsable.";
        owner_unavailable: "If the owner cannot take it", "Si el responsable no puede atenderla";
        fallback_team: "Fallback team", "Equipo de respaldo";
        method: "Method", "Método";
        assignment_method: "Assignment method", "Método de asignación";
        max_open: "Max open per agent", "Máximo de abiertas por agente";
        no_limit: "No limit", "Sin límite";
        nobody_available: "When nobody is available", "Cuando no hay nadie disponible";
        online_only: "Online agents only", "Solo agentes en línea";
        max_open_hint: "Capacity per agent is set under Agents; max open applies to this rule on top of it (empty = no limit).", "La capacidad de cada agente se define en Agentes; el máximo de abiertas se aplica a esta regla además de ella (vacío = sin límite).";
        save_assignment: "Save assignment", "Guardar asignación";

        // Teams
        teams: "Teams", "Equipos";
        no_teams: "No teams yet.", "Aún no hay equipos.";
        no_agents: "No agents yet.", "Aún no hay agentes.";
        members_of_new: "Members of the new team", "Miembros del equipo nuevo";
        name_the_team: "Give the team a name.", "Ponle un nombre al equipo.";
        team_saved: "Team saved.", "Equipo guardado.";
        new_team: "New team", "Equipo nuevo";
        team_name: "Team name", "Nombre del equipo";
        new_team_name: "New team name", "Nombre del equipo nuevo";
        create_team: "Create team", "Crear equipo";
        save_team: "Save team", "Guardar equipo";

        // Closing notes
        closing_saved: "Closing notes saved.", "Notas de cierre guardadas.";
        categories: "Categories", "Categorías";
        no_categories: "No categories: agents may type any category when closing.", "Sin categorías: los agentes pueden escribir cualquier categoría al cerrar.";
        add_category: "Add category", "Añadir categoría";
        new_category: "New category", "Categoría nueva";
        category_requirement: "Category requirement", "Exigencia de categoría";
        summary_requirement: "Summary requirement", "Exigencia de resumen";
        auto_close: "Auto-close after (hours)", "Cierre automático tras (horas)";
        off: "Off", "Desactivado";
        auto_close_hint: "Open conversations with no message for this long are closed automatically. Leave it empty to turn auto-close off.", "Las conversaciones abiertas sin mensajes durante este tiempo se cierran automáticamente. Déjalo vacío para desactivar el cierre automático.";
        save_closing: "Save closing notes", "Guardar notas de cierre";

        // Time zone
        time_zone: "Time zone", "Zona horaria";
        time_zone_hint: "Reports count days from midnight to midnight in this time zone.", "Los informes cuentan los días de medianoche a medianoche en esta zona horaria.";
        workspace_time_zone: "Workspace time zone", "Zona horaria del espacio de trabajo";
        type_a_zone: "Type a time zone, e.g. Europe/Madrid.", "Escribe una zona horaria, p. ej. Europe/Madrid.";
        save_time_zone: "Save time zone", "Guardar zona horaria";

        // Business hours
        hours_title: "Business hours", "Horario de atención";
        hours_hint: "Workflows branch on these hours, and outside them the chat widget shows your away message, even when an agent is signed in.", "Los flujos de trabajo se basan en este horario y, fuera de él, el widget de chat muestra tu mensaje de ausencia, aunque haya un agente conectado.";
        holiday_not_added: "Not saved: the holiday above could not be added.", "No se guardó: no se pudo añadir el festivo de arriba.";
        fix_hours_first: "Not saved: fix the hours marked above first.", "No se guardó: corrige primero las horas marcadas arriba.";
        saved_always_open: "Saved: always open.", "Guardado: siempre abierto.";
        hours_saved: "Business hours saved.", "Horario de atención guardado.";
        reach_you: "When can visitors reach you?", "¿Cuándo pueden contactarte los visitantes?";
        always_open: "Always open", "Siempre abierto";
        on_schedule: "Open on a schedule", "Abierto según un horario";
        no_schedule_hint: "No schedule: workflows treat every moment as open, and the widget shows you online whenever an agent has the inbox open.", "Sin horario: los flujos de trabajo consideran que siempre está abierto y el widget te muestra en línea siempre que un agente tenga la bandeja abierta.";
        opening_hours: "Opening hours", "Horario de apertura";
        copy_monday: "Copy Monday to weekdays", "Copiar el lunes a los días laborables";
        times_hint: "Times are in the time zone above. A span that ends at 00:00 runs to midnight.", "Las horas están en la zona horaria de arriba. Un tramo que termina a las 00:00 llega hasta medianoche.";
        holidays: "Holidays", "Festivos";
        holidays_hint: "Closed all day, whatever the weekly hours say.", "Cerrado todo el día, diga lo que diga el horario semanal.";
        add_holiday: "Add holiday", "Añadir festivo";
        holiday_date: "Holiday date", "Fecha del festivo";
        holiday_name: "Holiday name", "Nombre del festivo";
        name_optional: "Name (optional)", "Nombre (opcional)";
        save_hours: "Save business hours", "Guardar horario de atención";
        closed_day: "Closed", "Cerrado";
        add_hours: "Add hours", "Añadir horas";
        pick_holiday_date: "Pick the holiday's date first.", "Elige primero la fecha del festivo.";
        zone_missing: "Type a time zone, e.g. Europe/Madrid.", "Escribe una zona horaria, p. ej. Europe/Madrid.";
        opening_word: "opening", "de apertura";
        closing_word: "closing", "de cierre";
        open_always: "Open now · always open", "Abierto ahora · siempre abierto";
        open_around_clock: "Open now · open around the clock", "Abierto ahora · abierto las 24 horas";
        closed_holiday: "Closed today (holiday)", "Cerrado hoy (festivo)";
        closed_now: "Closed now", "Cerrado ahora";
        at_midnight: "at midnight", "a medianoche";
        day_mon: "Monday", "Lunes";
        day_tue: "Tuesday", "Martes";
        day_wed: "Wednesday", "Miércoles";
        day_thu: "Thursday", "Jueves";
        day_fri: "Friday", "Viernes";
        day_sat: "Saturday", "Sábado";
        day_sun: "Sunday", "Domingo";
        short_mon: "Mon", "lun";
        short_tue: "Tue", "mar";
        short_wed: "Wed", "mié";
        short_thu: "Thu", "jue";
        short_fri: "Fri", "vie";
        short_sat: "Sat", "sáb";
        short_sun: "Sun", "dom";

        // Chat widget
        widget_saved: "Chat widget saved. Sites show it from their next page view.", "Widget de chat guardado. Los sitios lo muestran desde su próxima visita de página.";
        unsaved_changes: "Unsaved changes", "Cambios sin guardar";
        save_widget: "Save chat widget", "Guardar widget de chat";
        origins_title: "Allowed origins", "Orígenes permitidos";
        origins_hint_1: "The chat starts only on pages from these sites: the exact origin, scheme, host and port, without a path (", "El chat solo se inicia en páginas de estos sitios: el origen exacto, esquema, host y puerto, sin ruta (";
        origins_hint_2: "). Add every variant your site uses, e.g. with and without www.", "). Añade cada variante que use tu sitio, p. ej. con y sin www.";
        no_origins: "No origins listed: the chat works on any site that has the snippet.", "No hay orígenes: el chat funciona en cualquier sitio que tenga el fragmento.";
        remove: "Remove", "Quitar";
        add_origin: "Add origin", "Añadir origen";
        new_origin: "New allowed origin", "Nuevo origen permitido";
        appearance: "Appearance", "Apariencia";
        brand_colour: "Brand colour", "Color de marca";
        hex_code: "Hex code", "Código hexadecimal";
        colour_hex_code: "Colour hex code", "Código hexadecimal del color";
        position: "Position", "Posición";
        launcher_label: "Launcher label", "Texto del botón";
        launcher_placeholder: "Empty: the chat icon only", "Vacío: solo el icono del chat";
        header_text: "Header text", "Texto de la cabecera";
        header_placeholder: "Empty: “Chat with us” in the visitor's language", "Vacío: «Chatea con nosotros» en el idioma del visitante";
        greeting: "Greeting", "Saludo";
        greeting_placeholder: "Empty: “Hi! How can we help you?” in the visitor's language", "Vacío: «¡Hola! ¿En qué podemos ayudarte?» en el idioma del visitante";
        replies_in: "Typically replies in", "Suele responder en";
        widget_language: "Language", "Idioma";
        show_avatars: "Show agent avatars (the initials of up to three agents online)", "Mostrar avatares de agentes (las iniciales de hasta tres agentes en línea)";
        preview: "Preview", "Vista previa";
        away_title: "When nobody is online", "Cuando no hay nadie en línea";
        away_hint: "Shown in the chat when no agent is online (nobody has the inbox open, everyone is away, or outside business hours).", "Se muestra en el chat cuando no hay ningún agente en línea (nadie tiene la bandeja abierta, todos están ausentes o es fuera del horario de atención).";
        away_message: "Away message", "Mensaje de ausencia";
        away_placeholder: "Empty: “We're away right now. Leave us a message and we'll get back to you.”", "Vacío: «Ahora no estamos. Déjanos un mensaje y te responderemos.»";
        prechat_title: "Pre-chat form", "Formulario previo al chat";
        enable_prechat: "Enable pre-chat form", "Activar el formulario previo al chat";
        enable_prechat_long: "Enable pre-chat form: new visitors answer these questions before their first message", "Activar el formulario previo al chat: los visitantes nuevos responden estas preguntas antes de su primer mensaje";
        prechat_hint_1: "Name, email and phone fill the contact's own fields (emails and phone numbers with their country code are checked); text fields become custom contact fields under their key. Up to ", "El nombre, el email y el teléfono rellenan los campos propios del contacto (se comprueban los emails y los teléfonos con su prefijo de país); los campos de texto pasan a ser campos propios del contacto con su clave. Hasta ";
        prechat_hint_2: " fields.", " campos.";
        no_prechat_fields: "No fields yet: even when enabled, visitors are asked nothing.", "Aún no hay campos: aunque esté activado, no se pregunta nada a los visitantes.";
        new_prechat_label: "New pre-chat field label", "Etiqueta del nuevo campo del formulario";
        prechat_label_placeholder: "Label of a text field, e.g. Order number", "Etiqueta de un campo de texto, p. ej. Número de pedido";
        add_text_field: "Add text field", "Añadir campo de texto";
        label: "Label", "Etiqueta";
        key_word: "key ", "clave ";
        required: "Required", "Obligatorio";
        kind_name: "Name", "Nombre";
        kind_email: "Email", "Email";
        kind_phone: "Phone", "Teléfono";
        kind_text: "Text", "Texto";
        install_title: "Install", "Instalación";
        install_hint_1: "Paste this tag just before ", "Pega esta etiqueta justo antes de ";
        install_hint_2: " on every page of your site (or in your platform's footer or custom-code box). Changes saved below reach every page without touching it.", " en cada página de tu sitio (o en el pie o el cuadro de código personalizado de tu plataforma). Los cambios que guardes abajo llegan a todas las páginas sin tocarla.";
        embed_snippet: "Embed snippet", "Fragmento para insertar";
        copy_snippet: "Copy snippet", "Copiar fragmento";
        docs_hint_1: "Step-by-step guides (WordPress, Shopify, Wix, Google Tag Manager, sites with a Content-Security-Policy) are in ", "Las guías paso a paso (WordPress, Shopify, Wix, Google Tag Manager, sitios con Content-Security-Policy) están en ";
        docs_hint_2: "; opening the chat from your own buttons, identifying logged-in users and events in ", "; abrir el chat desde tus propios botones, identificar a usuarios con sesión iniciada y los eventos, en ";
        rotate_confirm: "Rotate the identity secret? Hashes signed with the current secret stop working at once: give your backend the new secret right away.", "¿Cambiar el secreto de identidad? Los hashes firmados con el secreto actual dejan de funcionar al momento: da enseguida el secreto nuevo a tu backend.";
        new_secret_drawn: "New secret drawn: signatures made with the old one are refused from now on.", "Secreto nuevo generado: desde ahora se rechazan las firmas hechas con el anterior.";
        identity_title: "Identity verification", "Verificación de identidad";
        identity_hint_1: "When your site tells the chat who a logged-in user is (", "Cuando tu sitio le dice al chat quién es un usuario con sesión iniciada (";
        identity_hint_2: "), your backend signs the user id with this workspace's secret. A signed user is the same contact on every device and gets their conversation back.", "), tu backend firma el id del usuario con el secreto de este espacio de trabajo. Un usuario firmado es el mismo contacto en todos sus dispositivos y recupera su conversación.";
        require_identity: "Require identity verification", "Exigir verificación de identidad";
        require_identity_long: "Require identity verification: refuse identify calls without a valid user_hash", "Exigir verificación de identidad: rechazar las llamadas identify sin un user_hash válido";
        show_secret: "Show secret", "Mostrar secreto";
        identity_secret: "Identity secret", "Secreto de identidad";
        copy_secret: "Copy secret", "Copiar secreto";
        hide_secret: "Hide secret", "Ocultar secreto";
        rotate_secret: "Rotate secret", "Cambiar secreto";
        secret_hint_1: "Keep the secret on your server, never in a page. ", "Guarda el secreto en tu servidor, nunca en una página. ";
        secret_hint_2: " is the hex HMAC-SHA256 of the user id, keyed with the secret exactly as shown (its text, not decoded):", " es el HMAC-SHA256 en hexadecimal del id del usuario, con el secreto tal como se muestra como clave (su texto, sin decodificar):";
        bad_brand_colour: "Brand colour must be a hex colour like #4f46e5.", "El color de marca debe ser un color hexadecimal como #4f46e5.";
        a_prechat_label: "A pre-chat label", "Una etiqueta del formulario";
        type_field_label: "Type the new field's label first.", "Escribe primero la etiqueta del campo nuevo.";
        type_origin: "Type an origin, e.g. https://shop.example.com.", "Escribe un origen, p. ej. https://shop.example.com.";

        // Snippets
        snippets: "Snippets", "Respuestas rápidas";
        snippets_hint_1: "Type / and a shortcut in the reply box to insert a snippet. Texts may use ", "Escribe / y un atajo en el cuadro de respuesta para insertar una respuesta rápida. Los textos pueden usar ";
        snippets_hint_and: " and ", " y ";
        snippets_hint_2: "; the text after | is used when the contact has no value.", "; el texto tras | se usa cuando el contacto no tiene ese dato.";
        no_snippets: "No snippets yet.", "Aún no hay respuestas rápidas.";
        the_new_snippet: "the new snippet", "la respuesta rápida nueva";
        snippet_deleted: "Snippet deleted.", "Respuesta rápida eliminada.";
        visible_to: "Visible to", "Visible para";
        who_sees_new: "Who sees the new snippet", "Quién ve la respuesta rápida nueva";
        scope_workspace: "Workspace (everyone)", "Espacio de trabajo (todos)";
        scope_personal: "Personal (only me)", "Personal (solo yo)";
        new_snippet_shortcut: "New snippet shortcut", "Atajo de la respuesta rápida nueva";
        shortcut: "Shortcut", "Atajo";
        text: "Text", "Texto";
        create_snippet: "Create snippet", "Crear respuesta rápida";
        save_snippet: "Save snippet", "Guardar respuesta rápida";
        delete: "Delete", "Eliminar";
    }
}

/// The settings table in the current language (tracked, like [`crate::i18n::tr`]).
pub fn st() -> &'static SettingsTexts {
    SettingsTexts::current()
}

/// The settings table without subscribing, for handlers and the pure forms (English in
/// native tests, like [`crate::i18n::tr_untracked`]).
pub fn st_untracked() -> &'static SettingsTexts {
    match crate::i18n::tr_untracked().lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

impl SettingsTexts {
    fn es(&self) -> bool {
        self.lang == Lang::Es
    }

    pub fn already_category(&self, name: &str) -> String {
        if self.es() {
            format!("«{name}» ya es una categoría.")
        } else {
            format!("“{name}” is already a category.")
        }
    }

    pub fn auto_close_range(&self, min: &str, max: &str) -> String {
        if self.es() {
            format!("El cierre automático debe estar entre {min} y {max} horas (déjalo vacío para desactivarlo).")
        } else {
            format!(
                "Auto-close must be between {min} and {max} hours (leave it empty to turn it off)."
            )
        }
    }

    pub fn role_for(&self, name: &str) -> String {
        if self.es() {
            format!("Rol de {name}")
        } else {
            format!("Role for {name}")
        }
    }

    pub fn capacity_for(&self, name: &str) -> String {
        if self.es() {
            format!("Capacidad de {name}")
        } else {
            format!("Capacity for {name}")
        }
    }

    pub fn access_for(&self, name: &str) -> String {
        if self.es() {
            format!("Acceso de {name}")
        } else {
            format!("Access for {name}")
        }
    }

    pub fn save_changes_for(&self, name: &str) -> String {
        if self.es() {
            format!("Guardar los cambios de {name}")
        } else {
            format!("Save changes for {name}")
        }
    }

    pub fn can_sign_in_again(&self, name: &str) -> String {
        if self.es() {
            format!("{name} puede volver a iniciar sesión.")
        } else {
            format!("{name} can sign in again.")
        }
    }

    pub fn was_deactivated(&self, name: &str) -> String {
        if self.es() {
            format!("{name} se desactivó y se cerró su sesión; sus conversaciones abiertas se desasignaron.")
        } else {
            format!(
                "{name} was deactivated and signed out; their open conversations were unassigned."
            )
        }
    }

    pub fn reset_link_created(&self, name: &str) -> String {
        if self.es() {
            format!("Enlace para restablecer la contraseña de {name} creado. Envíaselo; funciona una vez.")
        } else {
            format!("Password reset link for {name} created. Send it to them; it works once.")
        }
    }

    pub fn invite_link_created(&self, email: &str) -> String {
        if self.es() {
            format!("Enlace de invitación para {email} creado. Envíaselo; funciona una vez.")
        } else {
            format!("Invite link for {email} created. Send it to them; it works once.")
        }
    }

    pub fn deactivate_named(&self, name: &str) -> String {
        if self.es() {
            format!("Desactivar a {name}")
        } else {
            format!("Deactivate {name}")
        }
    }

    pub fn reactivate_named(&self, name: &str) -> String {
        if self.es() {
            format!("Reactivar a {name}")
        } else {
            format!("Reactivate {name}")
        }
    }

    pub fn reset_link_for(&self, name: &str) -> String {
        if self.es() {
            format!("Enlace para restablecer la contraseña de {name}")
        } else {
            format!("Password reset link for {name}")
        }
    }

    pub fn day_name(&self, day: Day) -> &'static str {
        match day {
            Day::Mon => self.day_mon,
            Day::Tue => self.day_tue,
            Day::Wed => self.day_wed,
            Day::Thu => self.day_thu,
            Day::Fri => self.day_fri,
            Day::Sat => self.day_sat,
            Day::Sun => self.day_sun,
        }
    }

    pub fn day_short(&self, day: Day) -> &'static str {
        match day {
            Day::Mon => self.short_mon,
            Day::Tue => self.short_tue,
            Day::Wed => self.short_wed,
            Day::Thu => self.short_thu,
            Day::Fri => self.short_fri,
            Day::Sat => self.short_sat,
            Day::Sun => self.short_sun,
        }
    }

    /// A day inside a Spanish sentence is lowercase ("el lunes").
    fn day_in_sentence(&self, day: Day) -> String {
        if self.es() {
            self.day_name(day).to_lowercase()
        } else {
            self.day_name(day).to_owned()
        }
    }

    pub fn day_open(&self, day: Day) -> String {
        let name = self.day_in_sentence(day);
        if self.es() {
            format!("Abierto el {name}")
        } else {
            format!("{name} open")
        }
    }

    pub fn add_hours_to(&self, day: Day) -> String {
        let name = self.day_in_sentence(day);
        if self.es() {
            format!("Añadir horas al {name}")
        } else {
            format!("Add hours to {name}")
        }
    }

    /// A span's inputs: "Monday opens (2)"; `n` is empty for the first span, else " (2)".
    pub fn day_opens(&self, day: Day, n: &str) -> String {
        let name = self.day_in_sentence(day);
        if self.es() {
            format!("Apertura del {name}{n}")
        } else {
            format!("{name} opens{n}")
        }
    }

    pub fn day_closes(&self, day: Day, n: &str) -> String {
        let name = self.day_in_sentence(day);
        if self.es() {
            format!("Cierre del {name}{n}")
        } else {
            format!("{name} closes{n}")
        }
    }

    pub fn remove_day_hours(&self, day: Day, n: &str) -> String {
        let name = self.day_in_sentence(day);
        if self.es() {
            format!("Quitar las horas del {name}{n}")
        } else {
            format!("Remove {name} hours{n}")
        }
    }

    /// A problem of one day's row: "Monday: …" / "Lunes: …".
    pub fn on_day(&self, day: Day, problem: &str) -> String {
        format!("{}: {problem}", self.day_name(day))
    }

    pub fn not_a_date(&self, date: &str) -> String {
        if self.es() {
            format!("«{date}» no es una fecha (AAAA-MM-DD).")
        } else {
            format!("“{date}” is not a date (YYYY-MM-DD).")
        }
    }

    pub fn already_holiday(&self, date: &str, name: &str) -> String {
        match (self.es(), name) {
            (false, "") => format!("{date} is already a holiday."),
            (false, name) => format!("{date} is already a holiday ({name})."),
            (true, "") => format!("{date} ya es festivo."),
            (true, name) => format!("{date} ya es festivo ({name})."),
        }
    }

    pub fn not_a_zone(&self, zone: &str) -> String {
        if self.es() {
            format!("«{zone}» no es una zona horaria; usa un nombre como Europe/Madrid.")
        } else {
            format!("“{zone}” is not a time zone; use a name such as Europe/Madrid.")
        }
    }

    pub fn ends_before_start(&self, from: &str, to: &str) -> String {
        if self.es() {
            format!("{from}–{to} termina antes de empezar.")
        } else {
            format!("{from}–{to} ends before it starts.")
        }
    }

    /// `which` is [`SettingsTexts::opening_word`] or `closing_word`.
    pub fn time_missing(&self, which: &str) -> String {
        if self.es() {
            format!("falta la hora {which}.")
        } else {
            format!("the {which} time is missing.")
        }
    }

    pub fn not_a_time(&self, typed: &str) -> String {
        if self.es() {
            format!("«{typed}» no es una hora (HH:MM).")
        } else {
            format!("“{typed}” is not a time (HH:MM).")
        }
    }

    pub fn overlaps(&self, span: &str, other: &str) -> String {
        if self.es() {
            format!("{span} se solapa con {other}.")
        } else {
            format!("{span} overlaps {other}.")
        }
    }

    pub fn holiday_no_date(&self, date: &str) -> String {
        if self.es() {
            format!("El festivo «{date}» no tiene una fecha válida.")
        } else {
            format!("Holiday “{date}” has no valid date.")
        }
    }

    pub fn open_closes(&self, when: &str) -> String {
        if self.es() {
            format!("Abierto ahora · cierra {when}")
        } else {
            format!("Open now · closes {when}")
        }
    }

    pub fn closed_holiday_named(&self, name: &str) -> String {
        if self.es() {
            format!("Cerrado hoy (festivo: {name})")
        } else {
            format!("Closed today (holiday: {name})")
        }
    }

    pub fn then_opens(&self, closed: &str, when: &str) -> String {
        if self.es() {
            format!("{closed} · abre {when}")
        } else {
            format!("{closed} · opens {when}")
        }
    }

    pub fn no_opening_soon(&self, closed: &str) -> String {
        if self.es() {
            format!("{closed} · sin horario de apertura en el próximo año")
        } else {
            format!("{closed} · no opening hours in the coming year")
        }
    }

    pub fn remove_named(&self, what: &str) -> String {
        if self.es() {
            format!("Quitar {what}")
        } else {
            format!("Remove {what}")
        }
    }

    pub fn add_kind_field(&self, kind: &str) -> String {
        if self.es() {
            format!("Añadir campo {}", kind.to_lowercase())
        } else {
            format!("Add {} field", kind.to_lowercase())
        }
    }

    pub fn label_for(&self, key: &str) -> String {
        if self.es() {
            format!("Etiqueta de {key}")
        } else {
            format!("Label for {key}")
        }
    }

    pub fn required_named(&self, key: &str) -> String {
        if self.es() {
            format!("Obligatorio: {key}")
        } else {
            format!("Required: {key}")
        }
    }

    pub fn move_up(&self, key: &str) -> String {
        if self.es() {
            format!("Subir {key}")
        } else {
            format!("Move {key} up")
        }
    }

    pub fn move_down(&self, key: &str) -> String {
        if self.es() {
            format!("Bajar {key}")
        } else {
            format!("Move {key} down")
        }
    }

    pub fn field_needs_label(&self, kind: &str) -> String {
        if self.es() {
            format!("El campo {} necesita una etiqueta.", kind.to_lowercase())
        } else {
            format!("The {kind} field needs a label.")
        }
    }

    pub fn prechat_at_most(&self, max: usize) -> String {
        if self.es() {
            format!("El formulario previo al chat tiene como máximo {max} campos.")
        } else {
            format!("The pre-chat form has at most {max} fields.")
        }
    }

    pub fn already_asks(&self, kind: &str) -> String {
        let kind = kind.to_lowercase();
        if self.es() {
            format!("El formulario ya pregunta por el campo {kind}.")
        } else {
            format!("The form already asks for the {kind}.")
        }
    }

    pub fn already_allowed(&self, origin: &str) -> String {
        if self.es() {
            format!("{origin} ya está permitido.")
        } else {
            format!("{origin} is already allowed.")
        }
    }

    pub fn origins_at_most(&self, max: usize) -> String {
        if self.es() {
            format!("Como máximo {max} orígenes permitidos.")
        } else {
            format!("At most {max} allowed origins.")
        }
    }

    pub fn text_too_long(&self, name: &str, max: usize, count: usize) -> String {
        if self.es() {
            format!("{name}: como máximo {max} caracteres (ahora {count}).")
        } else {
            format!("{name} is at most {max} characters (now {count}).")
        }
    }

    pub fn one_line(&self, name: &str) -> String {
        if self.es() {
            format!("{name}: debe ser una sola línea de texto, sin saltos de línea.")
        } else {
            format!("{name} must be one line of text, without line breaks.")
        }
    }

    pub fn not_origin_scheme(&self, typed: &str) -> String {
        if self.es() {
            format!("«{typed}» no es un origen: empieza por https:// (p. ej. https://shop.example.com).")
        } else {
            format!(
                "“{typed}” is not an origin: start with https:// (e.g. https://shop.example.com)."
            )
        }
    }

    pub fn origin_has_path(&self, typed: &str) -> String {
        if self.es() {
            format!("«{typed}» tiene una ruta: un origen es solo https://host[:puerto], p. ej. https://shop.example.com.")
        } else {
            format!("“{typed}” has a path: an origin is only https://host[:port], e.g. https://shop.example.com.")
        }
    }

    pub fn not_origin(&self, typed: &str) -> String {
        if self.es() {
            format!("«{typed}» no es un origen: usa https://host[:puerto], p. ej. https://shop.example.com.")
        } else {
            format!("“{typed}” is not an origin: use https://host[:port], e.g. https://shop.example.com.")
        }
    }

    pub fn members_of(&self, team: &str) -> String {
        if self.es() {
            format!("Miembros de {team}")
        } else {
            format!("Members of {team}")
        }
    }

    pub fn team_created(&self, team: &str) -> String {
        if self.es() {
            format!("Equipo {team} creado.")
        } else {
            format!("Team {team} created.")
        }
    }

    pub fn name_of_team(&self, team: &str) -> String {
        if self.es() {
            format!("Nombre del equipo {team}")
        } else {
            format!("Name of team {team}")
        }
    }

    pub fn save_team_named(&self, team: &str) -> String {
        if self.es() {
            format!("Guardar el equipo {team}")
        } else {
            format!("Save team {team}")
        }
    }

    pub fn days_in(&self, zone: &str) -> String {
        if self.es() {
            format!("Los informes cuentan ahora los días en {zone}.")
        } else {
            format!("Reports now count days in {zone}.")
        }
    }

    pub fn use_browser_zone(&self, zone: &str) -> String {
        if self.es() {
            format!("Usar la zona horaria de este navegador ({zone})")
        } else {
            format!("Use this browser's time zone ({zone})")
        }
    }

    pub fn snippet_saved(&self, shortcut: &str) -> String {
        if self.es() {
            format!("Respuesta rápida /{shortcut} guardada.")
        } else {
            format!("Snippet /{shortcut} saved.")
        }
    }

    pub fn shortcut_of(&self, name: &str) -> String {
        if self.es() {
            format!("Atajo de {name}")
        } else {
            format!("Shortcut of {name}")
        }
    }

    pub fn text_of(&self, name: &str) -> String {
        if self.es() {
            format!("Texto de {name}")
        } else {
            format!("Text of {name}")
        }
    }

    pub fn save_snippet_named(&self, name: &str) -> String {
        if self.es() {
            format!("Guardar la respuesta rápida {name}")
        } else {
            format!("Save snippet {name}")
        }
    }

    pub fn delete_snippet_named(&self, name: &str) -> String {
        if self.es() {
            format!("Eliminar la respuesta rápida {name}")
        } else {
            format!("Delete snippet {name}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_table_is_complete_and_translated() {
        crate::i18n::check_table(&SettingsTexts::pairs(), &["Email"]);
    }

    #[test]
    fn formatted_lines() {
        assert_eq!(ES.team_created("Ventas"), "Equipo Ventas creado.");
        assert_eq!(EN.members_of("Ventas"), "Members of Ventas");
        assert_eq!(ES.snippet_saved("hola"), "Respuesta rápida /hola guardada.");
    }
}
