//! The reports page's strings, kept in the reports part of the wasm (see [`crate::i18n`]).

use crate::i18n::Lang;

crate::texts! {
    /// One language's strings for the reports page.
    ReportTexts, EN, ES {
        title: "Reports", "Informes";
        own_figures: "Your figures: these reports count the conversations you held when they closed.", "Tus cifras: estos informes cuentan las conversaciones que tenías asignadas cuando se cerraron.";
        filters: "Report filters", "Filtros del informe";
        period: "Period", "Periodo";
        custom_dates: "Custom dates", "Fechas personalizadas";
        from: "From", "Desde";
        from_date: "From date", "Fecha de inicio";
        to: "To", "Hasta";
        to_date: "To date", "Fecha de fin";
        agent: "Agent", "Agente";
        agent_filter: "Agent filter", "Filtro de agente";
        all_agents: "All agents", "Todos los agentes";
        team: "Team", "Equipo";
        team_filter: "Team filter", "Filtro de equipo";
        all_teams: "All teams", "Todos los equipos";
        category: "Category", "Categoría";
        category_filter: "Category filter", "Filtro de categoría";
        all_categories: "All categories", "Todas las categorías";
        tabs: "Reports", "Informes";
        tab_overview: "Overview", "Resumen";
        tab_closed: "Closed conversations", "Conversaciones cerradas";
        tab_agents: "Agents", "Agentes";
        tab_teams: "Teams", "Equipos";
        loading: "Loading…", "Cargando…";
        preset_today: "Today", "Hoy";
        preset_yesterday: "Yesterday", "Ayer";
        preset_last_7_days: "Last 7 days", "Últimos 7 días";
        preset_last_30_days: "Last 30 days", "Últimos 30 días";
        preset_this_month: "This month", "Este mes";
        preset_last_month: "Last month", "El mes pasado";
        col_contact: "Contact", "Contacto";
        col_assignee: "Assignee", "Asignado a";
        col_team: "Team", "Equipo";
        col_opened: "Opened", "Abierta";
        col_closed: "Closed", "Cerrada";
        col_first_response: "First response", "Primera respuesta";
        col_resolution: "Resolution", "Resolución";
        col_category: "Category", "Categoría";
        col_messages_in: "Messages in", "Mensajes recibidos";
        col_summary: "Summary", "Resumen";
        choose_both_dates: "Choose both dates.", "Elige las dos fechas.";
        last_before_first: "The last day is before the first.", "El último día es anterior al primero.";
        download_refused: "The browser refused the download.", "El navegador rechazó la descarga.";
        closed_title: "Closed conversations", "Conversaciones cerradas";
        download_csv: "Download CSV", "Descargar CSV";
        no_rows: "No conversation was closed in this period.", "No se cerró ninguna conversación en este periodo.";
        pages_label: "Pages of closed conversations", "Páginas de conversaciones cerradas";
        previous_page: "Previous page", "Página anterior";
        next_page: "Next page", "Página siguiente";
        rows_per_page: "Rows per page", "Filas por página";
        overview: "Overview", "Resumen";
        no_figures_yet: "no figures yet", "aún no hay cifras";
        card_opened: "Opened", "Abiertas";
        periods_opened: "periods opened", "periodos abiertos";
        card_closed: "Closed", "Cerradas";
        card_first_response: "First response (median)", "Primera respuesta (mediana)";
        card_first_response_assigned: "First response after assignment", "Primera respuesta tras la asignación";
        card_resolution: "Resolution (median)", "Resolución (mediana)";
        card_avg_response: "Average response", "Respuesta media";
        card_messages_in: "Messages received", "Mensajes recibidos";
        from_contacts: "from contacts", "de los contactos";
        card_messages_out: "Messages sent", "Mensajes enviados";
        by_agents_bots: "by agents, bots and workflows", "por agentes, bots y flujos de trabajo";
        card_assignments: "Assignments", "Asignaciones";
        first_and_re: "first assignments and reassignments", "primeras asignaciones y reasignaciones";
        card_first_response_business: "First response, business hours", "Primera respuesta, horario de atención";
        card_resolution_business: "Resolution, business hours", "Resolución, horario de atención";
        series_opened: "Opened", "Abiertas";
        series_closed: "Closed", "Cerradas";
        series_received: "Received", "Recibidos";
        series_sent: "Sent", "Enviados";
        series_median: "Median", "Mediana";
        series_p90: "90th percentile", "Percentil 90";
        chart_conversations: "Conversations by day", "Conversaciones por día";
        chart_messages: "Messages by day", "Mensajes por día";
        chart_first_response: "First response by day", "Primera respuesta por día";
        chart_resolution: "Resolution by day", "Resolución por día";
        agents: "Agents", "Agentes";
        col_agent: "Agent", "Agente";
        col_assigned: "Assigned", "Asignadas";
        col_closed_count: "Closed", "Cerradas";
        col_median_first_response: "Median first response", "Mediana de primera respuesta";
        col_median_resolution: "Median resolution", "Mediana de resolución";
        col_messages_sent: "Messages sent", "Mensajes enviados";
        col_open_now: "Open now", "Abiertas ahora";
        teams: "Teams", "Equipos";
        col_answered: "Answered", "Respondidas";
        col_assignments: "Assignments", "Asignaciones";
        col_messages_out: "Messages out", "Mensajes enviados";
        col_avg_response: "Average response", "Respuesta media";
        col_first_response_spread: "First response (median / p90)", "Primera respuesta (mediana / p90)";
        col_after_assignment_spread: "After assignment (median / p90)", "Tras la asignación (mediana / p90)";
        col_resolution_spread: "Resolution (median / p90)", "Resolución (mediana / p90)";
        no_team: "No team", "Sin equipo";
        no_figures: "no figures", "sin cifras";
        no_days: "No days.", "Sin días.";
    }
}

/// The reports table in the current language (tracked, like [`crate::i18n::tr`]).
pub fn rt() -> &'static ReportTexts {
    ReportTexts::current()
}

/// The reports table without subscribing, for handlers and tasks.
pub fn rt_untracked() -> &'static ReportTexts {
    match crate::i18n::tr_untracked().lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_ES: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
];

impl ReportTexts {
    fn es(&self) -> bool {
        self.lang == Lang::Es
    }

    /// A month's short name, `month` from 1.
    pub fn month(&self, month: usize) -> Option<&'static str> {
        let months = if self.es() { &MONTHS_ES } else { &MONTHS_EN };
        months.get(month.wrapping_sub(1)).copied()
    }

    pub fn preset(&self, name: &str) -> &'static str {
        match name {
            "today" => self.preset_today,
            "yesterday" => self.preset_yesterday,
            "last_7_days" => self.preset_last_7_days,
            "last_30_days" => self.preset_last_30_days,
            "this_month" => self.preset_this_month,
            _ => self.preset_last_month,
        }
    }

    pub fn column(&self, name: &str) -> &'static str {
        match name {
            "contact_name" => self.col_contact,
            "assignee" => self.col_assignee,
            "team" => self.col_team,
            "opened_at" => self.col_opened,
            "closed_at" => self.col_closed,
            "first_response" => self.col_first_response,
            "resolution" => self.col_resolution,
            "category" => self.col_category,
            _ => self.col_messages_in,
        }
    }

    pub fn sort_by(&self, label: &str) -> String {
        let label = label.to_lowercase();
        if self.es() {
            format!("Ordenar por {label}")
        } else {
            format!("Sort by {label}")
        }
    }

    /// "Page 1 of 3 · 2 conversations" (the reports test reads the count from it).
    pub fn page_status(&self, page: u32, pages: u32, n: u64) -> String {
        match (self.es(), n) {
            (false, 1) => format!("Page {page} of {pages} · 1 conversation"),
            (false, n) => format!("Page {page} of {pages} · {n} conversations"),
            (true, 1) => format!("Página {page} de {pages} · 1 conversación"),
            (true, n) => format!("Página {page} de {pages} · {n} conversaciones"),
        }
    }

    pub fn p90_over(&self, p90: &str, n: u64) -> String {
        if self.es() {
            format!("p90 {p90} · de {n}")
        } else {
            format!("p90 {p90} · over {n}")
        }
    }

    pub fn answered(&self, n: u64) -> String {
        if self.es() {
            format!("{n} respondidas")
        } else {
            format!("{n} answered")
        }
    }

    pub fn over_responses(&self, n: u64) -> String {
        if self.es() {
            format!("de {n} respuestas")
        } else {
            format!("over {n} responses")
        }
    }

    pub fn in_total(&self, figure: &str) -> String {
        if self.es() {
            format!("{figure} en total")
        } else {
            format!("{figure} in total")
        }
    }

    pub fn highest(&self, figure: &str) -> String {
        if self.es() {
            format!("máximo {figure}")
        } else {
            format!("highest {figure}")
        }
    }

    pub fn by_day(&self, first: &str, last: &str, totals: &str) -> String {
        if self.es() {
            format!("Por día del {first} al {last}. {totals}.")
        } else {
            format!("By day from {first} to {last}. {totals}.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_table_is_complete_and_translated() {
        crate::i18n::check_table(&ReportTexts::pairs(), &[]);
    }

    #[test]
    fn the_page_status_keeps_its_count_in_both_languages() {
        assert_eq!(EN.page_status(1, 1, 2), "Page 1 of 1 · 2 conversations");
        assert_eq!(EN.page_status(1, 1, 1), "Page 1 of 1 · 1 conversation");
        assert_eq!(ES.page_status(2, 3, 2), "Página 2 de 3 · 2 conversaciones");
        assert_eq!(ES.month(11), Some("nov"));
        assert_eq!(EN.month(13), None);
    }
}
