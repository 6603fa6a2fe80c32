//! GOV.UK form fields that read their error from the page's error summary.
//!
//! A form keeps one `RwSignal<Vec<SummaryError>>`; each field shows the message whose
//! `field_id` is its own id (the summary's links point at the same ids), with the error
//! styles and `aria-describedby` GOV.UK Frontend's own macros give.

use leptos::prelude::*;
use portal_dto::Problem;
use time::{Date, Month};

use crate::components::error_summary::SummaryError;

/// The page's errors: what the summary lists and the fields show.
pub type Errors = RwSignal<Vec<SummaryError>>;

/// A select's options: (value, text).
pub type Options = Vec<(String, String)>;

/// The message the summary holds for a field, if any.
pub fn error_of(errors: Errors, field_id: &str) -> Option<String> {
    errors.with(|errors| {
        errors
            .iter()
            .find(|error| error.field_id.as_deref() == Some(field_id))
            .map(|error| error.message.clone())
    })
}

/// A field of a form as the API names it: the input that holds it, and how people name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The API's name of the field ("ssref").
    pub api: String,
    /// The id of the input to link to ("ssref", or "start-day" for a date).
    pub id: String,
    /// Its label, which starts a message about it ("SSRef must be ...").
    pub label: String,
    /// What to say when it is missing ("Enter the SSRef").
    pub missing: String,
}

impl Field {
    pub fn new(api: &str, id: &str, label: &str, missing: &str) -> Field {
        Field {
            api: api.to_owned(),
            id: id.to_owned(),
            label: label.to_owned(),
            missing: missing.to_owned(),
        }
    }

    /// A sentence about this field from the server's words: its own sentence when it is one,
    /// else the label and the message ("SSRef is already another client's SSRef").
    pub fn message(&self, server_message: &str) -> String {
        let message = server_message.trim();
        if message == "is required" {
            self.missing.clone()
        } else if message.starts_with(|c: char| c.is_uppercase()) {
            message.to_owned()
        } else {
            format!("{} {message}", self.label)
        }
    }
}

/// A refused request as summary lines: each bad field the problem names, pinned to its input
/// (`locate` finds the field for an API name, such as "timetable[1].quantity"); anything else
/// in the problem's own words.
pub fn problem_errors(
    problem: &Problem,
    locate: impl Fn(&str) -> Option<Field>,
) -> Vec<SummaryError> {
    if problem.errors.is_empty() {
        return vec![SummaryError::general(problem.detail.clone())];
    }
    let mut lines: Vec<SummaryError> = Vec::new();
    for error in &problem.errors {
        let line = match locate(&error.field) {
            Some(field) => SummaryError::at(field.id.clone(), field.message(&error.message)),
            None if error.message.starts_with(|c: char| c.is_uppercase()) => {
                SummaryError::general(error.message.clone())
            }
            None => SummaryError::general(format!("{} {}", error.field, error.message)),
        };
        // One line per field: the first message is the one to fix first.
        let seen =
            line.field_id.is_some() && lines.iter().any(|known| known.field_id == line.field_id);
        if !seen {
            lines.push(line);
        }
    }
    lines
}

/// The server's refusals, pinned to the form's inputs and in the form's order.
pub fn refusals(problem: &Problem, fields: &[Field]) -> Vec<SummaryError> {
    let mut lines = problem_errors(problem, in_fields(fields));
    let order: Vec<&str> = fields.iter().map(|field| field.id.as_str()).collect();
    in_form_order(&mut lines, &order);
    lines
}

/// Puts summary lines in the order their fields come in the form (`order` lists ids, top to
/// bottom; one ending in `-` stands for every id it starts); lines about no field stay first,
/// as they concern the whole form.
pub fn in_form_order(lines: &mut [SummaryError], order: &[&str]) {
    let rank = |line: &SummaryError| match &line.field_id {
        None => 0,
        Some(id) => order
            .iter()
            .position(|known| id == known || (known.ends_with('-') && id.starts_with(known)))
            .map_or(order.len() + 1, |index| index + 1),
    };
    lines.sort_by_key(rank);
}

/// `locate` for a fixed list of fields.
pub fn in_fields(fields: &[Field]) -> impl Fn(&str) -> Option<Field> + '_ {
    move |api| fields.iter().find(|field| field.api == api).cloned()
}

/// The `<p class="govuk-error-message">` of a field, when it has an error.
fn error_message(error_id: String, error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p id=error_id.clone() class="govuk-error-message">
                    <span class="govuk-visually-hidden">"Error: "</span>
                    {message}
                </p>
            }
        })
    }
}

/// `aria-describedby`: the hint, then the error when there is one.
fn described_by(
    hint_id: Option<String>,
    error_id: String,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    move || {
        let mut ids: Vec<String> = hint_id.iter().cloned().collect();
        if error.with(Option::is_some) {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

#[component]
pub fn TextInput(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    errors: Errors,
    #[prop(optional, into)] hint: Option<String>,
    /// A GOV.UK width class, like `govuk-input--width-10`.
    #[prop(optional)]
    width: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Text before the input, like "£".
    #[prop(optional)]
    prefix: Option<&'static str>,
    /// Text after the input, like "%".
    #[prop(optional, into)]
    suffix: Option<String>,
) -> impl IntoView {
    let error = Signal::derive({
        let id = id.clone();
        move || error_of(errors, &id)
    });
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    let describe = described_by(hint_id.clone(), error_id.clone(), error);
    let class = format!("govuk-input {}", width.unwrap_or_default());
    let input = view! {
        <input
            class=class
            class:govuk-input--error=move || error.with(Option::is_some)
            id=id.clone()
            name=id.clone()
            type=input_type
            inputmode=inputmode
            autocomplete=autocomplete.unwrap_or("off")
            spellcheck="false"
            aria-describedby=describe
            prop:value=move || value.get()
            on:input=move |event| value.set(event_target_value(&event))
        />
    };
    let control = if prefix.is_some() || suffix.is_some() {
        view! {
            <div class="govuk-input__wrapper">
                {prefix.map(|prefix| view! { <div class="govuk-input__prefix" aria-hidden="true">{prefix}</div> })}
                {input}
                {suffix.map(|suffix| view! { <div class="govuk-input__suffix" aria-hidden="true">{suffix}</div> })}
            </div>
        }
        .into_any()
    } else {
        input.into_any()
    };
    view! {
        <div class="govuk-form-group" class:govuk-form-group--error=move || error.with(Option::is_some)>
            <label class="govuk-label" for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <div id=hint_id.clone() class="govuk-hint">{hint}</div> })}
            {error_message(error_id, error)}
            {control}
        </div>
    }
}

#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    errors: Errors,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let error = Signal::derive({
        let id = id.clone();
        move || error_of(errors, &id)
    });
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    let describe = described_by(hint_id.clone(), error_id.clone(), error);
    view! {
        <div class="govuk-form-group" class:govuk-form-group--error=move || error.with(Option::is_some)>
            <label class="govuk-label" for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <div id=hint_id.clone() class="govuk-hint">{hint}</div> })}
            {error_message(error_id, error)}
            <textarea
                class="govuk-textarea"
                class:govuk-textarea--error=move || error.with(Option::is_some)
                id=id.clone()
                name=id.clone()
                rows=rows
                aria-describedby=describe
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            ></textarea>
        </div>
    }
}

/// A labelled select; `choose` is the first option's text, with the empty value, shown
/// until something is chosen. Options with a group name are put under an `<optgroup>`.
#[component]
pub fn SelectInput(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    errors: Errors,
    /// (group, options); a group with an empty name has no `<optgroup>`.
    #[prop(into)]
    groups: Signal<Vec<(String, Options)>>,
    #[prop(optional)] choose: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let error = Signal::derive({
        let id = id.clone();
        move || error_of(errors, &id)
    });
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    let describe = described_by(hint_id.clone(), error_id.clone(), error);
    let option = move |(option_value, text): (String, String)| {
        let chosen = option_value.clone();
        view! {
            <option value=option_value prop:selected=move || value.with(|value| *value == chosen)>
                {text}
            </option>
        }
    };
    let options = move || {
        groups
            .get()
            .into_iter()
            .map(|(group, options)| {
                let options = options.into_iter().map(option).collect_view();
                if group.is_empty() {
                    options.into_any()
                } else {
                    view! { <optgroup label=group>{options}</optgroup> }.into_any()
                }
            })
            .collect_view()
    };
    view! {
        <div class="govuk-form-group" class:govuk-form-group--error=move || error.with(Option::is_some)>
            <label class="govuk-label" for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <div id=hint_id.clone() class="govuk-hint">{hint}</div> })}
            {error_message(error_id, error)}
            <select
                class="govuk-select"
                class:govuk-select--error=move || error.with(Option::is_some)
                id=id.clone()
                name=id.clone()
                aria-describedby=describe
                on:change=move |event| value.set(event_target_value(&event))
            >
                {choose.map(|choose| view! {
                    <option value="" prop:selected=move || value.with(String::is_empty)>{choose}</option>
                })}
                {options}
            </select>
        </div>
    }
}

/// One ungrouped list of options, for [`SelectInput`].
pub fn ungrouped(options: Options) -> Vec<(String, Options)> {
    vec![(String::new(), options)]
}

/// GOV.UK radios in a fieldset. The first radio has the group's id, so the summary's link
/// lands on it.
#[component]
pub fn Radios(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    value: RwSignal<String>,
    errors: Errors,
    options: Vec<(&'static str, &'static str)>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] inline: bool,
) -> impl IntoView {
    let error = Signal::derive({
        let id = id.clone();
        move || error_of(errors, &id)
    });
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    let describe = described_by(hint_id.clone(), error_id.clone(), error);
    let items = options
        .into_iter()
        .enumerate()
        .map(|(index, (option_value, text))| {
            let radio_id = if index == 0 {
                id.clone()
            } else {
                format!("{id}-{option_value}")
            };
            view! {
                <div class="govuk-radios__item">
                    <input
                        class="govuk-radios__input"
                        id=radio_id.clone()
                        name=id.clone()
                        type="radio"
                        value=option_value
                        prop:checked=move || value.with(|value| value == option_value)
                        on:change=move |_| value.set(option_value.to_owned())
                    />
                    <label class="govuk-label govuk-radios__label" for=radio_id>{text}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="govuk-form-group" class:govuk-form-group--error=move || error.with(Option::is_some)>
            <fieldset class="govuk-fieldset" aria-describedby=describe>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
                {hint.map(|hint| view! { <div id=hint_id.clone() class="govuk-hint">{hint}</div> })}
                {error_message(error_id, error)}
                <div class="govuk-radios" class:govuk-radios--inline=inline data-module="govuk-radios">
                    {items}
                </div>
            </fieldset>
        </div>
    }
}

/// One checkbox with its label and an optional hint.
#[component]
pub fn Checkbox(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    checked: RwSignal<bool>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    view! {
        <div class="govuk-form-group">
            <div class="govuk-checkboxes" data-module="govuk-checkboxes">
                <div class="govuk-checkboxes__item">
                    <input
                        class="govuk-checkboxes__input"
                        id=id.clone()
                        name=id.clone()
                        type="checkbox"
                        value="true"
                        aria-describedby=hint_id.clone()
                        prop:checked=move || checked.get()
                        on:change=move |event| checked.set(event_target_checked(&event))
                    />
                    <label class="govuk-label govuk-checkboxes__label" for=id>{label}</label>
                    {hint.map(|hint| view! {
                        <div id=hint_id.clone() class="govuk-hint govuk-checkboxes__hint">{hint}</div>
                    })}
                </div>
            </div>
        </div>
    }
}

/// The day, month and year boxes of a GOV.UK date input, as typed.
#[derive(Debug, Clone, Copy)]
pub struct DateParts {
    pub day: RwSignal<String>,
    pub month: RwSignal<String>,
    pub year: RwSignal<String>,
}

impl DateParts {
    pub fn new() -> DateParts {
        DateParts {
            day: RwSignal::new(String::new()),
            month: RwSignal::new(String::new()),
            year: RwSignal::new(String::new()),
        }
    }

    /// Fills the boxes from an ISO date ("2022-06-06" -> 6, 6, 2022); anything else empties them.
    pub fn set_iso(&self, iso: Option<&str>) {
        let parts = iso.and_then(|iso| portal_domain::calendar::parse_iso_date(iso).ok());
        match parts {
            Some(date) => {
                self.day.set(date.day().to_string());
                self.month.set(u8::from(date.month()).to_string());
                self.year.set(date.year().to_string());
            }
            None => {
                self.day.set(String::new());
                self.month.set(String::new());
                self.year.set(String::new());
            }
        }
    }

    /// The typed date as the API writes it: `Ok(None)` when every box is empty.
    pub fn iso(&self) -> Result<Option<String>, DateProblem> {
        date_from_parts(
            &self.day.get_untracked(),
            &self.month.get_untracked(),
            &self.year.get_untracked(),
        )
        .map(|date| date.map(portal_domain::calendar::iso_date))
    }
}

impl Default for DateParts {
    fn default() -> Self {
        DateParts::new()
    }
}

/// Why typed date parts are not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Some boxes are empty, or not numbers.
    Incomplete,
    /// Numbers, but no such day (31/02/2022).
    NotReal,
}

impl DateProblem {
    /// GOV.UK's sentences for a date field named `label` ("Start date").
    pub fn message(self, label: &str) -> String {
        match self {
            DateProblem::Incomplete => {
                format!("{label} must include a day, month and year, like 6 6 2022")
            }
            DateProblem::NotReal => format!("{label} must be a real date, like 6 6 2022"),
        }
    }
}

/// A date from its typed parts; `Ok(None)` when all three are empty.
pub fn date_from_parts(day: &str, month: &str, year: &str) -> Result<Option<Date>, DateProblem> {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return Ok(None);
    }
    let (Ok(day), Ok(month), Ok(year)) =
        (day.parse::<u8>(), month.parse::<u8>(), year.parse::<i32>())
    else {
        return Err(DateProblem::Incomplete);
    };
    if !(1900..=9999).contains(&year) {
        return Err(DateProblem::NotReal);
    }
    Month::try_from(month)
        .ok()
        .and_then(|month| Date::from_calendar_date(year, month, day).ok())
        .map(Some)
        .ok_or(DateProblem::NotReal)
}

/// A GOV.UK date input. The summary links to the day box: its id is `{id}-day`.
#[component]
pub fn DateInput(
    /// The stem of the boxes' ids: `{id}-day`, `{id}-month`, `{id}-year`.
    #[prop(into)]
    id: String,
    #[prop(into)] legend: String,
    parts: DateParts,
    errors: Errors,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let day_id = format!("{id}-day");
    let error = Signal::derive(move || error_of(errors, &day_id));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let describe = described_by(Some(hint_id.clone()), error_id.clone(), error);
    let hint = hint.unwrap_or_else(|| "For example, 6 6 2022".to_owned());
    let part = move |part_id: String,
                     label: &'static str,
                     width: &'static str,
                     value: RwSignal<String>| {
        view! {
            <div class="govuk-date-input__item">
                <div class="govuk-form-group">
                    <label class="govuk-label govuk-date-input__label" for=part_id.clone()>{label}</label>
                    <input
                        class=format!("govuk-input govuk-date-input__input {width}")
                        class:govuk-input--error=move || error.with(Option::is_some)
                        id=part_id.clone()
                        name=part_id
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        prop:value=move || value.get()
                        on:input=move |event| value.set(event_target_value(&event))
                    />
                </div>
            </div>
        }
    };
    view! {
        <div class="govuk-form-group" class:govuk-form-group--error=move || error.with(Option::is_some)>
            <fieldset class="govuk-fieldset" role="group" aria-describedby=describe>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
                <div id=hint_id class="govuk-hint">{hint}</div>
                {error_message(error_id, error)}
                <div class="govuk-date-input" id=id.clone()>
                    {part(format!("{id}-day"), "Day", "govuk-input--width-2", parts.day)}
                    {part(format!("{id}-month"), "Month", "govuk-input--width-2", parts.month)}
                    {part(format!("{id}-year"), "Year", "govuk-input--width-4", parts.year)}
                </div>
            </fieldset>
        </div>
    }
}

/// Checks a date input: the ISO date, or a summary line pinned to its day box. `required`
/// gives the sentence for empty boxes.
pub fn checked_date(
    parts: &DateParts,
    id: &str,
    label: &str,
    required: Option<&str>,
    errors: &mut Vec<SummaryError>,
) -> Option<String> {
    match (parts.iso(), required) {
        (Ok(Some(iso)), _) => Some(iso),
        (Ok(None), None) => None,
        (Ok(None), Some(missing)) => {
            errors.push(SummaryError::at(format!("{id}-day"), missing));
            None
        }
        (Err(problem), _) => {
            errors.push(SummaryError::at(
                format!("{id}-day"),
                problem.message(label),
            ));
            None
        }
    }
}

/// The text of a required box, or a summary line saying what to enter.
pub fn required_text(
    value: RwSignal<String>,
    id: &str,
    missing: &str,
    errors: &mut Vec<SummaryError>,
) -> String {
    let text = value.get_untracked().trim().to_owned();
    if text.is_empty() {
        errors.push(SummaryError::at(id, missing));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::FieldError;
    use time::macros::date;

    #[test]
    fn typed_parts_read_as_dates() {
        assert_eq!(
            date_from_parts("6", "6", "2022"),
            Ok(Some(date!(2022 - 06 - 06)))
        );
        assert_eq!(
            date_from_parts(" 06 ", "06", "2022"),
            Ok(Some(date!(2022 - 06 - 06)))
        );
        assert_eq!(date_from_parts("", "", ""), Ok(None));
        assert_eq!(
            date_from_parts("6", "", "2022"),
            Err(DateProblem::Incomplete)
        );
        assert_eq!(
            date_from_parts("31", "2", "2022"),
            Err(DateProblem::NotReal)
        );
        assert_eq!(
            date_from_parts("1", "13", "2022"),
            Err(DateProblem::NotReal)
        );
        assert_eq!(date_from_parts("1", "1", "22"), Err(DateProblem::NotReal));
        assert_eq!(
            DateProblem::NotReal.message("Start date"),
            "Start date must be a real date, like 6 6 2022"
        );
    }

    fn problem(errors: &[(&str, &str)]) -> Problem {
        Problem {
            problem_type: "/problems/validation".to_owned(),
            title: "Some fields are not valid".to_owned(),
            status: 422,
            detail: "ssref is required".to_owned(),
            errors: errors
                .iter()
                .map(|(field, message)| FieldError {
                    field: (*field).to_owned(),
                    message: (*message).to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn each_bad_field_is_pinned_to_its_input_in_plain_words() {
        let fields = [
            Field::new("ssref", "ssref", "SSRef", "Enter the SSRef"),
            Field::new("forename", "forename", "First name", "Enter the first name"),
        ];
        let lines = problem_errors(
            &problem(&[
                ("ssref", "is already another client's SSRef"),
                ("forename", "is required"),
                ("forename", "must be 100 characters or fewer"),
                ("contact_email", "Enter an email address"),
            ]),
            in_fields(&fields),
        );
        assert_eq!(
            lines,
            [
                SummaryError::at("ssref", "SSRef is already another client's SSRef"),
                SummaryError::at("forename", "Enter the first name"),
                SummaryError::general("Enter an email address"),
            ]
        );
    }

    #[test]
    fn lines_follow_the_form_from_top_to_bottom() {
        let mut lines = vec![
            SummaryError::at("planned-visits", "c"),
            SummaryError::at("timetable-1-quantity", "b"),
            SummaryError::at("client", "a"),
            SummaryError::general("whole form"),
        ];
        in_form_order(&mut lines, &["client", "timetable-", "planned-visits"]);
        let messages: Vec<&str> = lines.iter().map(|line| line.message.as_str()).collect();
        assert_eq!(messages, ["whole form", "a", "b", "c"]);
    }

    #[test]
    fn a_problem_without_fields_is_said_in_its_own_words() {
        let mut conflict = problem(&[]);
        conflict.detail = "Someone else saved first".to_owned();
        assert_eq!(
            problem_errors(&conflict, |_| None),
            [SummaryError::general("Someone else saved first")]
        );
    }
}
