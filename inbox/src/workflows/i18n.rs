//! The workflows page's strings, kept in the workflows part of the wasm (see [`crate::i18n`]),
//! and the wording of the server's validation problems: each stable [`ProblemKind`] (with its
//! [`Part`], value and limit) in the agent's language. Only a kind this build does not know
//! yet shows the server's English `message`.

use charla_shared::workflow::{Part, ProblemKind, RunProblem, StepResult};

use crate::i18n::Lang;

crate::texts! {
    /// One language's strings for the workflows pages.
    WorkflowTexts, EN, ES {
        title: "Workflows", "Flujos de trabajo";
        only_managers: "Only owners and managers can change workflows. Run manual and shortcut workflows from a conversation’s “Run workflow” menu.", "Solo los propietarios y los gerentes pueden cambiar los flujos de trabajo. Ejecuta los flujos manuales y de atajo desde el menú «Ejecutar flujo de trabajo» de una conversación.";
        created_from_template: "Created from the template. It is off: check its steps, then turn it on.", "Creado a partir de la plantilla. Está desactivado: revisa sus pasos y luego actívalo.";
        new_workflow: "New workflow", "Nuevo flujo de trabajo";
        edit_workflow: "Edit workflow", "Editar flujo de trabajo";
        all_workflows: "All workflows", "Todos los flujos de trabajo";
        your_workflows: "Your workflows", "Tus flujos de trabajo";
        refresh_workflows: "Refresh workflows", "Actualizar flujos de trabajo";
        no_workflows: "No workflows yet. Start from a template below, or write a new one.", "Aún no hay flujos de trabajo. Empieza con una plantilla de abajo o crea uno nuevo.";
        col_name: "Name", "Nombre";
        col_trigger: "Trigger", "Disparador";
        col_version: "Version", "Versión";
        col_on: "On", "Activo";
        col_last_runs: "Last runs", "Últimas ejecuciones";
        col_actions: "Actions", "Acciones";
        on: "On", "Activado";
        off: "Off", "Desactivado";
        delete: "Delete", "Eliminar";
        delete_for_good: "Delete for good", "Eliminar definitivamente";
        keep_it: "Keep it", "Conservarlo";
        keep: "Keep", "Conservar";
        templates_title: "Create from a template", "Crear a partir de una plantilla";
        templates_hint: "A template becomes a workflow of yours, turned off, to check and change before you turn it on.", "Una plantilla se convierte en un flujo de trabajo tuyo, desactivado, para revisarlo y cambiarlo antes de activarlo.";
        create_from_template: "Create from template", "Crear a partir de la plantilla";
        nothing_saved: "Nothing was saved: fix the problems shown.", "No se guardó nada: corrige los problemas indicados.";
        workflow_created: "Workflow created. It is off until you turn it on.", "Flujo de trabajo creado. Está desactivado hasta que lo actives.";
        about: "About", "Información";
        name: "Name", "Nombre";
        workflow_name: "Workflow name", "Nombre del flujo de trabajo";
        description: "Description", "Descripción";
        workflow_description: "Workflow description", "Descripción del flujo de trabajo";
        trigger: "Trigger", "Disparador";
        starts_when: "Starts when", "Empieza cuando";
        trigger_type: "Trigger type", "Tipo de disparador";
        first_message_only: "Only the first message of a conversation period", "Solo el primer mensaje de un periodo de la conversación";
        trigger_conditions: "Trigger conditions", "Condiciones del disparador";
        trigger_conditions_hint: "All of them must hold for a run to start. None: every event starts one.", "Deben cumplirse todas para que empiece una ejecución. Sin condiciones: cada evento inicia una.";
        trigger_condition: "Trigger condition", "Condición del disparador";
        steps: "Steps", "Pasos";
        first_step: "First step", "Primer paso";
        choose_first_step: "Choose the first step", "Elige el primer paso";
        add_step: "Add step", "Añadir paso";
        new_step_type: "New step type", "Tipo del paso nuevo";
        save_workflow: "Save workflow", "Guardar flujo de trabajo";
        workflow_enabled: "Workflow enabled", "Flujo de trabajo activado";
        on_new_events: "On: new events start runs", "Activado: los eventos nuevos inician ejecuciones";
        save_for_webhook: "Save the workflow to get its webhook URL and secret.", "Guarda el flujo de trabajo para obtener la URL y el secreto de su webhook.";
        webhook_url: "Webhook URL", "URL del webhook";
        copy_webhook_url: "Copy webhook URL", "Copiar la URL del webhook";
        copy: "Copy", "Copiar";
        generate_secret: "Generate webhook secret", "Generar el secreto del webhook";
        webhook_hint: "Calls send the secret in the X-Charla-Secret header, with a JSON body naming conversation_id or contact_id. A new secret replaces the old one at once.", "Las llamadas envían el secreto en el encabezado X-Charla-Secret, con un cuerpo JSON que indica conversation_id o contact_id. Un secreto nuevo reemplaza al anterior al momento.";
        webhook_secret_now: "Webhook secret (shown only now)", "Secreto del webhook (solo se muestra ahora)";
        webhook_secret: "Webhook secret", "Secreto del webhook";
        copy_webhook_secret: "Copy webhook secret", "Copiar el secreto del webhook";
        copied_url: "Copied the URL.", "URL copiada.";
        copied_secret: "Copied the secret.", "Secreto copiado.";
        runs: "Runs", "Ejecuciones";
        refresh_runs: "Refresh runs", "Actualizar ejecuciones";
        no_runs: "No runs yet.", "Aún no hay ejecuciones.";
        conversation_link: "conversation", "conversación";
        open_conversation: "open the conversation", "abrir la conversación";
        errors: "Errors", "Errores";
        running: "Running", "En curso";
        completed: "Completed", "Completada";
        trigger_conversation_opened: "Conversation opened", "Conversación abierta";
        trigger_conversation_closed: "Conversation closed", "Conversación cerrada";
        trigger_contact_message: "Contact sends a message", "El contacto envía un mensaje";
        trigger_contact_tag_updated: "Contact tag updated", "Etiqueta del contacto actualizada";
        trigger_contact_field_updated: "Contact field updated", "Campo del contacto actualizado";
        trigger_manual: "Run manually from a conversation", "Ejecución manual desde una conversación";
        trigger_shortcut: "Shortcut in a conversation", "Atajo en una conversación";
        trigger_webhook: "Incoming webhook", "Webhook entrante";
        trigger_unknown: "Unknown trigger", "Disparador desconocido";
        first_message_suffix: " (first message only)", " (solo el primer mensaje)";
        remove: "Remove", "Quitar";
        add_condition: "Add condition", "Añadir condición";
        add_any_group: "Add “any of” group", "Añadir grupo «cualquiera de»";
        any_holds: "Any of these holds", "Se cumple cualquiera de estas";
        all_hold: "All of these hold", "Se cumplen todas estas";
        add_to_group: "Add to group", "Añadir al grupo";
        variable: "Variable", "Variable";
        test: "Test", "Comprobación";
        value: "Value", "Valor";
        condition_json: "Condition (JSON)", "Condición (JSON)";
        op_equals: "equals", "es igual a";
        op_not_equals: "does not equal", "no es igual a";
        op_contains: "contains", "contiene";
        op_not_contains: "does not contain", "no contiene";
        op_starts_with: "starts with", "empieza por";
        op_ends_with: "ends with", "termina en";
        op_one_of: "is one of", "es uno de";
        op_not_one_of: "is not one of", "no es uno de";
        op_greater: "is greater than", "es mayor que";
        op_less: "is less than", "es menor que";
        op_between: "is between", "está entre";
        op_is_set: "is set", "tiene valor";
        op_is_not_set: "is not set", "no tiene valor";
        op_is_true: "is true", "es verdadero";
        op_is_false: "is false", "es falso";
        id: "Id", "Id";
        type_: "Type", "Tipo";
        then: "Then", "Después";
        end_the_run: "End the run", "Terminar la ejecución";
        message: "Message", "Mensaje";
        message_placeholder: "Hi {{contact.first_name | there}}!", "¡Hola, {{contact.first_name | qué tal}}!";
        note_agents: "Note (only agents see it)", "Nota (solo la ven los agentes)";
        tags_commas: "Tags (separated by commas)", "Etiquetas (separadas por comas)";
        contact_field: "Contact field", "Campo del contacto";
        field_placeholder: "email or a custom key", "email o una clave propia";
        value_empty_clears: "Value (empty clears it)", "Valor (vacío lo borra)";
        category: "Category", "Categoría";
        summary: "Summary", "Resumen";
        go_to: "Go to", "Ir a";
        choose_a_step: "Choose a step", "Elige un paso";
        wait_for: "Wait for", "Esperar";
        workflow_by_hand: "Workflow (run by hand or by shortcut)", "Flujo de trabajo (manual o por atajo)";
        choose_a_workflow: "Choose a workflow", "Elige un flujo de trabajo";
        settings_json: "Settings (JSON)", "Configuración (JSON)";
        assign_to: "Assign to", "Asignar a";
        agent: "Agent", "Agente";
        choose_an_agent: "Choose an agent", "Elige un agente";
        choose_a_team: "Choose a team", "Elige un equipo";
        team: "Team", "Equipo";
        fallback_team: "Fallback team", "Equipo de respaldo";
        target_agent: "A specific agent", "Un agente concreto";
        target_team: "A team", "Un equipo";
        target_workspace: "Anyone in the workspace", "Cualquiera del espacio de trabajo";
        target_dedicated: "The contact’s own agent", "El agente propio del contacto";
        target_unassign: "Nobody (unassign)", "Nadie (desasignar)";
        owner_field_caption: "Contact field naming the agent", "Campo del contacto que indica el agente";
        if_they_cannot: "If they cannot take it", "Si no puede atenderla";
        wait_for_them: "Wait for them", "Esperarle";
        pick: "Pick", "Elegir";
        round_robin: "In turn (round robin)", "Por turnos (round robin)";
        fewest_open: "Fewest open conversations", "Menos conversaciones abiertas";
        at_most_open: "At most open", "Máximo de abiertas";
        no_limit: "no limit", "sin límite";
        online_only: "Online agents only", "Solo agentes en línea";
        queue_when_busy: "Queue when nobody is free", "Poner en cola si nadie está libre";
        nobody_available: "Nobody available", "Nadie disponible";
        go_to_next: "Go to the next step", "Ir al paso siguiente";
        arm_then: "Then", "Entonces";
        remove_arm: "Remove arm", "Quitar rama";
        add_arm: "Add arm", "Añadir rama";
        unknown_problem: "There is a problem with this workflow.", "Hay un problema en este flujo de trabajo.";
        p_id: "id", "id";
        p_type: "type", "tipo";
        p_next_step: "next step", "paso siguiente";
        p_message: "message", "mensaje";
        p_note: "note", "nota";
        p_tags: "tags", "etiquetas";
        p_field: "field", "campo";
        p_value: "value", "valor";
        p_closing_category: "closing category", "categoría de cierre";
        p_closing_summary: "closing summary", "resumen de cierre";
        p_jump_target: "jump target", "destino del salto";
        p_wait_for: "wait for", "espera";
        p_wait_unit: "wait unit", "unidad de espera";
        p_workflow: "workflow", "flujo de trabajo";
        p_settings_json: "settings (JSON)", "configuración (JSON)";
        p_assign_to: "assign to", "asignar a";
        p_agent: "agent", "agente";
        p_team: "team", "equipo";
        p_owner_field: "owner field", "campo del responsable";
        p_fallback: "fallback", "alternativa";
        p_fallback_team: "fallback team", "equipo de respaldo";
        p_method: "method", "método";
        p_most_open: "most open conversations", "máximo de conversaciones abiertas";
        p_online_only: "online agents only", "solo agentes en línea";
        p_queue: "queue when nobody is free", "cola si nadie está libre";
        p_nobody: "when nobody is available", "si no hay nadie disponible";
        p_variable: "variable", "variable";
        p_test: "test", "comprobación";
        p_condition: "condition", "condición";
        p_json: "(JSON)", "(JSON)";
        unit: "Unit", "Unidad";
        no_settings: "This step has no settings.", "Este paso no tiene configuración.";
        variables_hint: "Variables: {{contact.name}}, {{agent.name}}, {{vars.answer}}…", "Variables: {{contact.name}}, {{agent.name}}, {{vars.answer}}…";
        first_arm_wins: "The first arm that holds wins; when none does, the run goes to “Then” below.", "Gana la primera rama que se cumple; si no se cumple ninguna, la ejecución sigue en «Después», abajo.";
        hint_values: "values, separated by commas", "valores, separados por comas";
        hint_between: "low, high", "mínimo, máximo";
        hint_value: "value", "valor";
        unit_seconds: "seconds", "segundos";
        unit_minutes: "minutes", "minutos";
        unit_hours: "hours", "horas";
        unit_days: "days", "días";
        start_tag: "First step", "Primer paso";
        form_trigger_conditions: "Trigger conditions: ", "Condiciones del disparador: ";
        json_not_valid: "The step's settings are not valid JSON.", "La configuración del paso no es un JSON válido.";
        json_not_fitting: "The step's settings do not fit this step type.", "La configuración del paso no encaja con este tipo de paso.";
        json_condition_not_valid: "The JSON condition is not valid.", "La condición en JSON no es válida.";
        wait_not_number: "The wait is not a number.", "La espera no es un número.";
    }
}

/// The workflows table in the current language (tracked, like [`crate::i18n::tr`]).
pub fn wt() -> &'static WorkflowTexts {
    WorkflowTexts::current()
}

/// The workflows table without subscribing, for handlers and tasks.
pub fn wt_untracked() -> &'static WorkflowTexts {
    match crate::i18n::tr_untracked().lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl WorkflowTexts {
    fn es(&self) -> bool {
        self.lang == Lang::Es
    }

    fn pick(&self, en: String, es: String) -> String {
        if self.es() {
            es
        } else {
            en
        }
    }

    fn pair(&self, en: &str, es: &str) -> String {
        if self.es() { es } else { en }.to_owned()
    }

    /// A run's problem in words. `detail` is the run log's English text: kept after a colon
    /// only where it says what the code cannot (an HTTP status or reason, the value refused).
    pub fn run_problem(&self, problem: &RunProblem, detail: &str) -> String {
        let with = |en: &str, es: &str| format!("{}: {detail}", self.pair(en, es));
        match problem {
            RunProblem::StepLimit { limit } => self.pick(
                format!("Stopped after {limit} steps: is there a loop without a wait?"),
                format!("Detenida tras {limit} pasos: ¿hay un bucle sin espera?"),
            ),
            RunProblem::EmptyComment => self.pair(
                "The comment is empty once its variables are filled in.",
                "El comentario queda vacío al rellenar sus variables.",
            ),
            RunProblem::EmptyMessage => self.pair(
                "The message is empty once its variables are filled in.",
                "El mensaje queda vacío al rellenar sus variables.",
            ),
            RunProblem::HoursNeverOpen => self.pair(
                "The business hours never open, so it did not wait.",
                "El horario de atención nunca abre, así que no esperó.",
            ),
            RunProblem::ContactValue => with(
                "The contact refused a value",
                "El contacto rechazó un valor",
            ),
            RunProblem::MissingStep => self.pair(
                "It goes to a step that does not exist.",
                "Va a un paso que no existe.",
            ),
            RunProblem::NotWaiting => self.pair(
                "The step it was waiting on has changed, so it could not go on.",
                "El paso que esperaba cambió, así que no pudo seguir.",
            ),
            RunProblem::Http => with("The HTTP request failed", "La solicitud HTTP falló"),
            RunProblem::Effect => with(
                "The conversation could not apply it",
                "La conversación no pudo aplicarlo",
            ),
        }
    }

    /// What came of a step, in words (`detail`: the English note, for an HTTP failure's reason).
    pub fn step_result(&self, result: &StepResult, detail: &str) -> String {
        match result {
            StepResult::Arm { arm } => self.pick(format!("arm {arm}"), format!("rama {arm}")),
            StepResult::Otherwise => self.pair("otherwise", "si no"),
            StepResult::Answered => self.pair("answered", "respondida"),
            StepResult::TimedOut => self.pair("timed out", "se agotó el tiempo"),
            StepResult::NoValidAnswer => self.pair("no valid answer", "sin respuesta válida"),
            StepResult::NoDecision => self.pair("no decision in time", "sin decisión a tiempo"),
            StepResult::Assigned => self.pair("assigned", "asignada"),
            StepResult::Queued => self.pair("queued", "en cola"),
            StepResult::NoneAvailable => self.pair("nobody available", "nadie disponible"),
            StepResult::Unassigned => self.pair("unassigned", "sin asignar"),
            StepResult::Http { status } => format!("HTTP {status}"),
            StepResult::HttpFailed => format!("{}: {detail}", self.pair("failed", "falló")),
        }
    }

    /// "Step 2" / "Paso 2": how a step's controls are named.
    pub fn step_n(&self, n: usize) -> String {
        self.pick(format!("Step {n}"), format!("Paso {n}"))
    }

    /// A control of a named thing: "Step 2 message" / "Paso 2: mensaje".
    pub fn part(&self, name: &str, part: &str) -> String {
        self.pick(format!("{name} {part}"), format!("{name}: {part}"))
    }

    pub fn arm_of(&self, step: &str, n: usize) -> String {
        self.pick(format!("{step} arm {n}"), format!("{step}, rama {n}"))
    }

    pub fn if_arm(&self, n: usize) -> String {
        self.pick(format!("If (arm {n})"), format!("Si (rama {n})"))
    }

    pub fn go_to_step(&self, id: &str) -> String {
        self.pick(format!("Go to {id}"), format!("Ir a {id}"))
    }

    pub fn remove_named(&self, what: &str) -> String {
        let what = what.to_lowercase();
        self.pick(format!("Remove {what}"), format!("Quitar {what}"))
    }

    pub fn move_up(&self, what: &str) -> String {
        let what = what.to_lowercase();
        self.pick(format!("Move {what} up"), format!("Subir {what}"))
    }

    pub fn move_down(&self, what: &str) -> String {
        let what = what.to_lowercase();
        self.pick(format!("Move {what} down"), format!("Bajar {what}"))
    }

    /// The add buttons of a condition list: the visible text first (axe's
    /// label-content-name-mismatch), then the list.
    pub fn add_condition_to(&self, list: &str) -> String {
        self.pick(
            format!("Add condition to {list}"),
            format!("{} ({})", self.add_condition, list.to_lowercase()),
        )
    }

    pub fn add_any_group_to(&self, list: &str) -> String {
        self.pick(
            format!("Add “any of” group to {list}"),
            format!("{} ({})", self.add_any_group, list.to_lowercase()),
        )
    }

    pub fn add_to_group(&self, group: &str) -> String {
        let group = group.to_lowercase();
        self.pick(
            format!("Add to {group}"),
            format!("{} ({group})", self.add_to_group),
        )
    }

    pub fn add_arm_to(&self, step: &str) -> String {
        let step = step.to_lowercase();
        self.pick(
            format!("Add an arm to {step}"),
            format!("{} ({step})", self.add_arm),
        )
    }

    pub fn not_valid_condition(&self, detail: &str) -> String {
        self.pick(
            format!("Not a valid condition: {detail}"),
            format!("No es una condición válida: {detail}"),
        )
    }

    pub fn enabled_named(&self, name: &str) -> String {
        self.pick(format!("Enabled: {name}"), format!("Activado: {name}"))
    }

    pub fn delete_named(&self, name: &str) -> String {
        self.pick(format!("Delete {name}"), format!("Eliminar {name}"))
    }

    pub fn delete_asked(&self, name: &str) -> String {
        self.pick(format!("Delete {name}?"), format!("¿Eliminar {name}?"))
    }

    pub fn confirm_delete_named(&self, name: &str) -> String {
        self.pick(
            format!("Confirm delete {name}"),
            format!("Confirmar: eliminar {name}"),
        )
    }

    pub fn create_from_template_named(&self, name: &str) -> String {
        self.pick(
            format!("Create from template: {name}"),
            format!("{}: {name}", self.create_from_template),
        )
    }

    pub fn saved_as_version(&self, version: u32) -> String {
        self.pick(
            format!("Saved as version {version}."),
            format!("Guardado como versión {version}."),
        )
    }

    pub fn version_n(&self, version: u32) -> String {
        self.pick(format!("Version {version}"), format!("Versión {version}"))
    }

    /// The run's detail line: "Version 2 · trigger manual · ".
    pub fn run_version_trigger(&self, version: u32, trigger: &str) -> String {
        self.pick(
            format!("Version {version} · trigger {trigger} · "),
            format!("Versión {version} · disparador {trigger} · "),
        )
    }

    pub fn not_a_team(&self, id: &str) -> String {
        self.pick(
            format!("{id} (not a team of this workspace)"),
            format!("{id} (no es un equipo de este espacio de trabajo)"),
        )
    }

    pub fn not_an_agent(&self, id: &str) -> String {
        self.pick(
            format!("{id} (not an agent of this workspace)"),
            format!("{id} (no es un agente de este espacio de trabajo)"),
        )
    }

    pub fn stopped_after(&self, limit: u32) -> String {
        self.pick(
            format!("Stopped after {limit} steps"),
            format!("Detenida tras {limit} pasos"),
        )
    }

    pub fn failed_at(&self, step: &str, reason: &str) -> String {
        self.pick(
            format!("Failed at {step}: {reason}"),
            format!("Falló en {step}: {reason}"),
        )
    }

    pub fn failed(&self, reason: &str) -> String {
        self.pick(format!("Failed: {reason}"), format!("Falló: {reason}"))
    }

    pub fn cancelled(&self, reason: &str) -> String {
        self.pick(
            format!("Cancelled: {reason}"),
            format!("Cancelada: {reason}"),
        )
    }

    pub fn steps_text(&self, n: u32) -> String {
        match (self.es(), n) {
            (false, 1) => "1 step".to_owned(),
            (false, n) => format!("{n} steps"),
            (true, 1) => "1 paso".to_owned(),
            (true, n) => format!("{n} pasos"),
        }
    }

    pub fn not_whole_conversations(&self, typed: &str) -> String {
        self.pick(
            format!("“{typed}” is not a whole number of conversations"),
            format!("«{typed}» no es un número entero de conversaciones"),
        )
    }

    pub fn arm_has_no_condition(&self, n: usize) -> String {
        self.pick(
            format!("arm {n} has no condition"),
            format!("la rama {n} no tiene condiciones"),
        )
    }

    pub fn arm_problem(&self, n: usize, problem: &str) -> String {
        self.pick(
            format!("arm {n}: {problem}"),
            format!("rama {n}: {problem}"),
        )
    }

    pub fn not_a_duration(&self, typed: &str, unit: &str) -> String {
        self.pick(
            format!("“{typed}” is not a duration: type a number of {unit}"),
            format!("«{typed}» no es una duración: escribe un número de {unit}"),
        )
    }

    /// How a [`Part`] is named inside a sentence.
    pub fn part_name(&self, part: Part) -> &'static str {
        let (en, es) = match part {
            Part::Start => ("the first step", "el primer paso"),
            Part::Next => ("the next step", "el paso siguiente"),
            Part::Message => ("the message", "el mensaje"),
            Part::Question => ("the question", "la pregunta"),
            Part::RetryMessage => ("the retry message", "el mensaje de reintento"),
            Part::Button => ("a button", "un botón"),
            Part::SaveAs => ("“save as”", "«guardar como»"),
            Part::SaveTo => ("“save to field”", "«guardar en el campo»"),
            Part::Timeout => ("the timeout", "el tiempo de espera"),
            Part::OnTimeout => ("the timeout path", "la ruta de tiempo agotado"),
            Part::OnInvalid => ("the invalid-answer path", "la ruta de respuesta no válida"),
            Part::OwnerField => ("the owner field", "el campo del responsable"),
            Part::OnUnavailable => ("the “nobody available” path", "la ruta «nadie disponible»"),
            Part::Branch => ("a branch arm", "una rama"),
            Part::Field => ("the contact field", "el campo del contacto"),
            Part::Value => ("the value", "el valor"),
            Part::Summary => ("the summary", "el resumen"),
            Part::Comment => ("the note", "la nota"),
            Part::Wait => ("the wait", "la espera"),
            Part::Url => ("the URL", "la URL"),
            Part::Header => ("a header", "un encabezado"),
            Part::Body => ("the body", "el cuerpo"),
            Part::Map => ("a response mapping", "una asignación de la respuesta"),
            Part::OnError => ("the error path", "la ruta de error"),
            Part::Jump => ("the jump", "el salto"),
        };
        if self.es() {
            es
        } else {
            en
        }
    }

    /// A server problem in words, from its stable kind and fields (never its `message`).
    pub fn problem(
        &self,
        kind: ProblemKind,
        part: Option<Part>,
        value: Option<&str>,
        max: Option<u64>,
    ) -> String {
        use ProblemKind as K;
        let part_en = part.map_or("this", |p| EN.part_name(p));
        let part_es = part.map_or("esto", |p| ES.part_name(p));
        let (p_en, p_es) = (capitalized(part_en), capitalized(part_es));
        let v = value.unwrap_or("");
        let m = max.unwrap_or(0);
        let (en, es) = match kind {
            K::NoId => ("The workflow has no id.".to_owned(), "El flujo de trabajo no tiene id.".to_owned()),
            K::NoName => ("Give the workflow a name.".to_owned(), "Ponle un nombre al flujo de trabajo.".to_owned()),
            K::NameTooLong => (format!("The name is longer than {m} characters."), format!("El nombre tiene más de {m} caracteres.")),
            K::BadVersion => ("The version is not valid: reload the page.".to_owned(), "La versión no es válida: recarga la página.".to_owned()),
            K::NoWebhookSecret => ("Generate the webhook's secret before turning it on.".to_owned(), "Genera el secreto del webhook antes de activarlo.".to_owned()),
            K::BadCondition => ("A condition does not fit its variable: check the variable, the test and the value.".to_owned(), "Una condición no encaja con su variable: revisa la variable, la comprobación y el valor.".to_owned()),
            K::NoSteps => ("Add at least one step.".to_owned(), "Añade al menos un paso.".to_owned()),
            K::NoSuchStep => (format!("{p_en} goes to a step that does not exist ({v})."), format!("{p_es} lleva a un paso que no existe ({v}).")),
            K::TooManySteps => (format!("A workflow has at most {m} steps."), format!("Un flujo de trabajo tiene como máximo {m} pasos.")),
            K::BadStepId => (format!("Step ids are 1–{m} letters, digits, - and _."), format!("Los ids de paso tienen de 1 a {m} letras, números, - y _.")),
            K::DuplicateStepId => ("Two steps have this id.".to_owned(), "Dos pasos tienen este id.".to_owned()),
            K::Empty => (format!("{p_en} is empty."), format!("Falta {part_es}.")),
            K::TooLong => (format!("{p_en} is longer than {m} characters."), format!("{p_es} supera los {m} caracteres.")),
            K::BadVariable => (format!("{p_en} uses a variable that does not exist for this trigger."), format!("{p_es} usa una variable que no existe para este disparador.")),
            K::NotAField => (format!("{p_en}: “{v}” is not a contact field (name, email, phone or a key of a–z, 0–9, _)."), format!("{p_es}: «{v}» no es un campo del contacto (name, email, phone o una clave de a–z, 0–9, _).")),
            K::BadDuration => (format!("{p_en} must be between 1 ms and 30 days."), format!("{p_es} debe estar entre 1 ms y 30 días.")),
            K::NeedsButtons => ("A buttons question needs buttons.".to_owned(), "Una pregunta con botones necesita botones.".to_owned()),
            K::TooManyButtons => (format!("At most {m} buttons."), format!("Como máximo {m} botones.")),
            K::ButtonsNotAllowed => ("Only a buttons question has buttons.".to_owned(), "Solo una pregunta con botones tiene botones.".to_owned()),
            K::BadButtonLabel => (format!("Button labels are 1–{m} characters."), format!("Los textos de los botones tienen de 1 a {m} caracteres.")),
            K::EmptyButtonValue => ("A button's value is empty.".to_owned(), "El valor de un botón está vacío.".to_owned()),
            K::DuplicateButton => (format!("Two buttons answer “{v}”."), format!("Dos botones responden «{v}».")),
            K::BadVariableName => (format!("{p_en}: “{v}” is not a variable name (a–z, 0–9, _)."), format!("{p_es}: «{v}» no es un nombre de variable (a–z, 0–9, _).")),
            K::TimeoutPathNeedsTimeout => ("A timeout path needs a timeout.".to_owned(), "Una ruta de tiempo agotado necesita un tiempo de espera.".to_owned()),
            K::BadAttempts => (format!("Attempts are 1 to {m}."), format!("Los intentos van de 1 a {m}.")),
            K::ChooseAgent => ("Choose an agent.".to_owned(), "Elige un agente.".to_owned()),
            K::ChooseTeam => ("Choose a team.".to_owned(), "Elige un equipo.".to_owned()),
            K::UnassignHasNoPath => ("Unassigning always succeeds: it has no “nobody available” path.".to_owned(), "Desasignar siempre funciona: no tiene ruta «nadie disponible».".to_owned()),
            K::EmptyBranch => ("A branch needs at least one condition.".to_owned(), "Una bifurcación necesita al menos una condición.".to_owned()),
            K::NoTags => ("Choose at least one tag.".to_owned(), "Elige al menos una etiqueta.".to_owned()),
            K::BadTag => (format!("Tags are 1–{m} characters."), format!("Las etiquetas tienen de 1 a {m} caracteres.")),
            K::EmptyCategory => ("The closing category is empty.".to_owned(), "La categoría de cierre está vacía.".to_owned()),
            K::BadHeaderName => (format!("“{v}” is not a header name."), format!("«{v}» no es un nombre de encabezado.")),
            K::BadHttpTimeout => ("The timeout must be between 1 ms and 30 s.".to_owned(), "El tiempo de espera debe estar entre 1 ms y 30 s.".to_owned()),
            K::EmptyMapPath => ("A response mapping has no path.".to_owned(), "Una asignación de la respuesta no tiene ruta.".to_owned()),
            K::UrlRefused => ("This URL may not be requested: only public https:// addresses.".to_owned(), "No se puede llamar a esta URL: solo direcciones https:// públicas.".to_owned()),
            K::JumpsToItself => ("A step that jumps to itself loops forever.".to_owned(), "Un paso que salta a sí mismo se repite sin fin.".to_owned()),
            K::ChooseWorkflow => ("Choose a workflow.".to_owned(), "Elige un flujo de trabajo.".to_owned()),
            K::TriggersItself => ("A workflow cannot trigger itself.".to_owned(), "Un flujo de trabajo no puede iniciarse a sí mismo.".to_owned()),
            K::HasNoNext => ("This step has no next step.".to_owned(), "Este paso no tiene paso siguiente.".to_owned()),
        };
        self.pick(en, es)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_problems_and_step_results_are_worded_in_both_languages() {
        let problems = [
            RunProblem::StepLimit { limit: 100 },
            RunProblem::EmptyComment,
            RunProblem::EmptyMessage,
            RunProblem::HoursNeverOpen,
            RunProblem::ContactValue,
            RunProblem::MissingStep,
            RunProblem::NotWaiting,
            RunProblem::Http,
            RunProblem::Effect,
        ];
        for p in &problems {
            let (en, es) = (EN.run_problem(p, "HTTP 503"), ES.run_problem(p, "HTTP 503"));
            assert!(!en.is_empty() && en != es, "{p:?}: {en} / {es}");
        }
        assert_eq!(
            ES.run_problem(&RunProblem::Http, "HTTP 503"),
            "La solicitud HTTP falló: HTTP 503"
        );
        let results = [
            StepResult::Arm { arm: 2 },
            StepResult::Otherwise,
            StepResult::Answered,
            StepResult::TimedOut,
            StepResult::NoValidAnswer,
            StepResult::NoDecision,
            StepResult::Assigned,
            StepResult::Queued,
            StepResult::NoneAvailable,
            StepResult::Unassigned,
            StepResult::HttpFailed,
        ];
        for r in &results {
            let (en, es) = (EN.step_result(r, "x"), ES.step_result(r, "x"));
            assert!(!en.is_empty() && en != es, "{r:?}: {en} / {es}");
        }
        assert_eq!(ES.step_result(&StepResult::Arm { arm: 2 }, ""), "rama 2");
    }

    #[test]
    fn workflows_table_is_complete_and_translated() {
        crate::i18n::check_table(
            &WorkflowTexts::pairs(),
            &["Id", "id", "Variable", "variable", "(JSON)", VARIABLES_HINT],
        );
    }

    const VARIABLES_HINT: &str = "Variables: {{contact.name}}, {{agent.name}}, {{vars.answer}}…";

    /// Every kind, matched exhaustively so a new kind fails here until it is worded.
    fn all_kinds() -> Vec<ProblemKind> {
        use ProblemKind as K;
        let kinds = [
            K::NoId,
            K::NoName,
            K::NameTooLong,
            K::BadVersion,
            K::NoWebhookSecret,
            K::BadCondition,
            K::NoSteps,
            K::NoSuchStep,
            K::TooManySteps,
            K::BadStepId,
            K::DuplicateStepId,
            K::Empty,
            K::TooLong,
            K::BadVariable,
            K::NotAField,
            K::BadDuration,
            K::NeedsButtons,
            K::TooManyButtons,
            K::ButtonsNotAllowed,
            K::BadButtonLabel,
            K::EmptyButtonValue,
            K::DuplicateButton,
            K::BadVariableName,
            K::TimeoutPathNeedsTimeout,
            K::BadAttempts,
            K::ChooseAgent,
            K::ChooseTeam,
            K::UnassignHasNoPath,
            K::EmptyBranch,
            K::NoTags,
            K::BadTag,
            K::EmptyCategory,
            K::BadHeaderName,
            K::BadHttpTimeout,
            K::EmptyMapPath,
            K::UrlRefused,
            K::JumpsToItself,
            K::ChooseWorkflow,
            K::TriggersItself,
            K::HasNoNext,
        ];
        for k in kinds {
            match k {
                K::NoId
                | K::NoName
                | K::NameTooLong
                | K::BadVersion
                | K::NoWebhookSecret
                | K::BadCondition
                | K::NoSteps
                | K::NoSuchStep
                | K::TooManySteps
                | K::BadStepId
                | K::DuplicateStepId
                | K::Empty
                | K::TooLong
                | K::BadVariable
                | K::NotAField
                | K::BadDuration
                | K::NeedsButtons
                | K::TooManyButtons
                | K::ButtonsNotAllowed
                | K::BadButtonLabel
                | K::EmptyButtonValue
                | K::DuplicateButton
                | K::BadVariableName
                | K::TimeoutPathNeedsTimeout
                | K::BadAttempts
                | K::ChooseAgent
                | K::ChooseTeam
                | K::UnassignHasNoPath
                | K::EmptyBranch
                | K::NoTags
                | K::BadTag
                | K::EmptyCategory
                | K::BadHeaderName
                | K::BadHttpTimeout
                | K::EmptyMapPath
                | K::UrlRefused
                | K::JumpsToItself
                | K::ChooseWorkflow
                | K::TriggersItself
                | K::HasNoNext => {}
            }
        }
        kinds.to_vec()
    }

    const PARTS: [Part; 25] = [
        Part::Start,
        Part::Next,
        Part::Message,
        Part::Question,
        Part::RetryMessage,
        Part::Button,
        Part::SaveAs,
        Part::SaveTo,
        Part::Timeout,
        Part::OnTimeout,
        Part::OnInvalid,
        Part::OwnerField,
        Part::OnUnavailable,
        Part::Branch,
        Part::Field,
        Part::Value,
        Part::Summary,
        Part::Comment,
        Part::Wait,
        Part::Url,
        Part::Header,
        Part::Body,
        Part::Map,
        Part::OnError,
        Part::Jump,
    ];

    #[test]
    fn every_problem_kind_and_part_is_worded_in_both_languages() {
        for kind in all_kinds() {
            let (en, es) = (
                EN.problem(kind, Some(Part::Message), Some("x"), Some(3)),
                ES.problem(kind, Some(Part::Message), Some("x"), Some(3)),
            );
            assert!(!en.is_empty() && !es.is_empty(), "{kind:?}");
            assert_ne!(en, es, "{kind:?} untranslated");
        }
        for part in PARTS {
            assert_ne!(EN.part_name(part), ES.part_name(part), "{part:?}");
        }
        assert_eq!(
            ES.problem(
                ProblemKind::NoSuchStep,
                Some(Part::Next),
                Some("nowhere"),
                None
            ),
            "El paso siguiente lleva a un paso que no existe (nowhere)."
        );
        assert_eq!(
            ES.problem(ProblemKind::Empty, Some(Part::Message), None, None),
            "Falta el mensaje."
        );
        assert_eq!(
            EN.problem(ProblemKind::TooLong, Some(Part::Summary), None, Some(500)),
            "The summary is longer than 500 characters."
        );
    }

    #[test]
    fn formatted_lines() {
        assert_eq!(ES.part(&ES.step_n(2), ES.p_message), "Paso 2: mensaje");
        assert_eq!(EN.part(&EN.step_n(2), EN.p_message), "Step 2 message");
        assert_eq!(ES.steps_text(1), "1 paso");
        assert_eq!(EN.add_condition_to("trigger"), "Add condition to trigger");
        assert!(ES
            .add_condition_to("Condición del disparador")
            .starts_with(ES.add_condition));
    }
}
