//! The settings pages' strings, kept in the settings part of the wasm (see [`crate::i18n`]).

use crate::i18n::{lang, Lang};

crate::texts! {
    /// One language's strings for the settings pages.
    SettingsTexts, EN, ES {
        title: "Settings", "Configuración";
        only_managers: "Only owners and managers can change settings.", "Solo los propietarios y los gerentes pueden cambiar la configuración.";
        sections: "Settings sections", "Secciones de configuración";
        tab_team: "Team & conversations", "Equipo y conversaciones";
        tab_widget: "Chat widget", "Widget de chat";
        tab_hours: "Business hours", "Horario de atención";
        tab_snippets: "Snippets", "Respuestas rápidas";

        // Agents
        capacity_refused: "Not saved: check the capacity (a whole number up to 10000, empty for no limit).", "No se guardó: revisa la capacidad (un número entero de hasta 10000, vacío para sin límite).";

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
    match lang() {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

impl SettingsTexts {
    fn es(&self) -> bool {
        self.lang == Lang::Es
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
        crate::i18n::check_table(&SettingsTexts::pairs(), &[]);
    }

    #[test]
    fn formatted_lines() {
        assert_eq!(ES.team_created("Ventas"), "Equipo Ventas creado.");
        assert_eq!(EN.members_of("Ventas"), "Members of Ventas");
        assert_eq!(ES.snippet_saved("hola"), "Respuesta rápida /hola guardada.");
    }
}
