//! What a care package line item plans (DOMAIN 3), as council staff type it: the end date,
//! the plan its service level's pricing kind needs (units a week, a timetable, or an annual
//! allocation), planned visits, budget code, care package reference and authorisation.
//! Shared by "Add a care package line item" and "Change from a date".

use leptos::prelude::*;
use portal_domain::{PricingKind, Quantity, Unit};
use portal_dto::{CpliSummary, CpliTerms, TimetableRowInput};

use crate::components::error_summary::{focus_field, SummaryError};
use crate::components::form::{
    checked_date, error_of, DateInput, DateParts, Errors, Field, TextInput,
};

/// The days of a timetable row: (API code, name).
pub const DAYS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

pub const END_ID: &str = "end";
pub const WEEKLY_QUANTITY_ID: &str = "weekly-quantity";
pub const ANNUAL_ALLOCATION_ID: &str = "annual-allocation";
pub const PLANNED_VISITS_ID: &str = "planned-visits";
pub const BUDGET_CODE_ID: &str = "budget-code";
pub const CARE_PACKAGE_REF_ID: &str = "care-package-ref";
pub const ADD_ROW_ID: &str = "timetable-add-row";

pub fn day_id(row: usize, day: &str) -> String {
    format!("timetable-{row}-{day}")
}

pub fn row_quantity_id(row: usize) -> String {
    format!("timetable-{row}-quantity")
}

/// "Hours" for a level whose unit is `hour`; "Units" for one the app does not know.
pub fn units_word(unit: &str) -> &'static str {
    Unit::from_code(unit).map_or("Units", Unit::plural)
}

/// One timetable row as typed.
#[derive(Debug, Clone, Copy)]
pub struct RowDraft {
    /// Keeps a row's inputs when rows before it are removed.
    key: u32,
    days: [RwSignal<bool>; 7],
    quantity: RwSignal<String>,
}

impl RowDraft {
    fn new(key: u32) -> RowDraft {
        RowDraft {
            key,
            days: std::array::from_fn(|_| RwSignal::new(false)),
            quantity: RwSignal::new(String::new()),
        }
    }
}

/// The terms as typed.
#[derive(Debug, Clone, Copy)]
pub struct TermsDraft {
    pub end: DateParts,
    pub weekly_quantity: RwSignal<String>,
    pub timetable: RwSignal<Vec<RowDraft>>,
    pub annual_allocation: RwSignal<String>,
    pub planned_visits: RwSignal<String>,
    pub budget_code: RwSignal<String>,
    pub care_package_ref: RwSignal<String>,
    pub authorised: RwSignal<bool>,
    next_key: StoredValue<u32>,
}

impl TermsDraft {
    /// Empty, with one timetable row ready and "Authorised" ticked.
    pub fn new() -> TermsDraft {
        TermsDraft {
            end: DateParts::new(),
            weekly_quantity: RwSignal::new(String::new()),
            timetable: RwSignal::new(vec![RowDraft::new(0)]),
            annual_allocation: RwSignal::new(String::new()),
            planned_visits: RwSignal::new(String::new()),
            budget_code: RwSignal::new(String::new()),
            care_package_ref: RwSignal::new(String::new()),
            authorised: RwSignal::new(true),
            next_key: StoredValue::new(1),
        }
    }

    fn add_row(&self) -> usize {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        self.timetable.update(|rows| rows.push(RowDraft::new(key)));
        self.timetable.with_untracked(Vec::len) - 1
    }

    fn remove_row(&self, key: u32) {
        self.timetable
            .update(|rows| rows.retain(|row| row.key != key));
    }

    /// Starts from a version's terms, as far as the list's row says them: its end date,
    /// authorisation, and the units of a per-unit or intermittent plan.
    pub fn prefill(&self, version: &CpliSummary) {
        self.end.set_iso(version.end.as_deref());
        self.authorised.set(version.authorised);
        let units = leading_quantity(&version.pricing).unwrap_or_default();
        match PricingKind::from_code(&version.pricing_kind) {
            Some(PricingKind::PerUnit) => self.weekly_quantity.set(units),
            Some(PricingKind::Intermittent) => self.annual_allocation.set(units),
            _ => {}
        }
    }

    /// The terms to send for a level of `pricing_kind`, checking what the browser can
    /// (boxes left empty, dates that are not dates); the server checks the rest.
    pub fn terms(
        &self,
        pricing_kind: &str,
        unit: &str,
        errors: &mut Vec<SummaryError>,
    ) -> CpliTerms {
        let end = checked_date(&self.end, END_ID, "End date", None, errors);
        let units = units_word(unit).to_lowercase();
        let required =
            |value: RwSignal<String>, id: &str, missing: String, errors: &mut Vec<SummaryError>| {
                let text = value.get_untracked().trim().to_owned();
                if text.is_empty() {
                    errors.push(SummaryError::at(id, missing));
                }
                text
            };
        let mut terms = CpliTerms {
            end,
            weekly_quantity: None,
            timetable: None,
            annual_allocation: None,
            planned_visits: String::new(),
            budget_code: self.budget_code.get_untracked().trim().to_owned(),
            care_package_ref: self.care_package_ref.get_untracked().trim().to_owned(),
            authorised: self.authorised.get_untracked(),
        };
        match PricingKind::from_code(pricing_kind) {
            Some(PricingKind::PerUnit) => {
                terms.weekly_quantity = Some(required(
                    self.weekly_quantity,
                    WEEKLY_QUANTITY_ID,
                    format!("Enter the {units} per week"),
                    errors,
                ));
            }
            Some(PricingKind::Timetabled) => {
                let rows = self.timetable.get_untracked();
                if rows.is_empty() {
                    errors.push(SummaryError::at(ADD_ROW_ID, "Add a row to the timetable"));
                }
                terms.timetable = Some(
                    rows.iter()
                        .enumerate()
                        .map(|(index, row)| {
                            let days: Vec<String> = DAYS
                                .iter()
                                .zip(row.days)
                                .filter(|(_, ticked)| ticked.get_untracked())
                                .map(|((code, _), _)| (*code).to_owned())
                                .collect();
                            if days.is_empty() {
                                errors.push(SummaryError::at(
                                    day_id(index, "mon"),
                                    format!("Row {}: tick at least one day", index + 1),
                                ));
                            }
                            let quantity = required(
                                row.quantity,
                                &row_quantity_id(index),
                                format!("Row {}: enter the {units} on each day", index + 1),
                                errors,
                            );
                            TimetableRowInput { days, quantity }
                        })
                        .collect(),
                );
            }
            Some(PricingKind::Intermittent) => {
                terms.annual_allocation = Some(required(
                    self.annual_allocation,
                    ANNUAL_ALLOCATION_ID,
                    format!("Enter the annual allocation of {units}"),
                    errors,
                ));
            }
            None => {}
        }
        terms.planned_visits = required(
            self.planned_visits,
            PLANNED_VISITS_ID,
            "Enter the planned visits per week".to_owned(),
            errors,
        );
        terms
    }
}

impl Default for TermsDraft {
    fn default() -> Self {
        TermsDraft::new()
    }
}

/// The units a pricing text starts with: "7" from "7 x Hours at £20.00 (Spot)".
pub fn leading_quantity(pricing: &str) -> Option<String> {
    let first = pricing.split_whitespace().next()?.replace(',', "");
    Quantity::parse(&first).ok().map(|_| first)
}

/// The fields of the terms for the server's names of them (`unit` names the units).
pub fn terms_field(api: &str, unit: &str) -> Option<Field> {
    let units = units_word(unit);
    let lower = units.to_lowercase();
    let field = match api {
        "end" => Field::new("end", "end-day", "End date", "Enter the end date"),
        "weekly_quantity" => Field::new(
            api,
            WEEKLY_QUANTITY_ID,
            &format!("{units} per week"),
            &format!("Enter the {lower} per week"),
        ),
        "timetable" => Field::new(
            api,
            &day_id(0, "mon"),
            "Timetable",
            "Add a row to the timetable",
        ),
        "annual_allocation" => Field::new(
            api,
            ANNUAL_ALLOCATION_ID,
            "Annual allocation",
            &format!("Enter the annual allocation of {lower}"),
        ),
        "planned_visits" => Field::new(
            api,
            PLANNED_VISITS_ID,
            "Planned visits per week",
            "Enter the planned visits per week",
        ),
        "budget_code" => Field::new(api, BUDGET_CODE_ID, "Budget code", "Enter the budget code"),
        "care_package_ref" => Field::new(
            api,
            CARE_PACKAGE_REF_ID,
            "Care package reference",
            "Enter the care package reference",
        ),
        other => return timetable_row_field(other, &lower),
    };
    Some(field)
}

/// "timetable[1].quantity" and "timetable[1].days".
fn timetable_row_field(api: &str, units: &str) -> Option<Field> {
    let rest = api.strip_prefix("timetable[")?;
    let (index, member) = rest.split_once("].")?;
    let index: usize = index.parse().ok()?;
    let row = index + 1;
    match member {
        "quantity" => Some(Field::new(
            api,
            &row_quantity_id(index),
            &format!("Row {row}: {units} on each day"),
            &format!("Row {row}: enter the {units} on each day"),
        )),
        "days" => Some(Field::new(
            api,
            &day_id(index, "mon"),
            &format!("Row {row}: days"),
            &format!("Row {row}: tick at least one day"),
        )),
        _ => None,
    }
}

/// The terms' inputs, for a level of `pricing_kind` priced in `unit`s.
#[component]
pub fn TermsFields(
    draft: TermsDraft,
    #[prop(into)] pricing_kind: Signal<String>,
    #[prop(into)] unit: Signal<String>,
    errors: Errors,
) -> impl IntoView {
    let units = move || units_word(&unit.get());
    let plan = move || match PricingKind::from_code(&pricing_kind.get()) {
        Some(PricingKind::PerUnit) => view! {
            <TextInput
                id=WEEKLY_QUANTITY_ID
                label=format!("{} per week", units())
                value=draft.weekly_quantity
                errors
                width="govuk-input--width-5"
                inputmode="decimal"
                hint="For example, 7 or 3.5"
            />
        }
        .into_any(),
        Some(PricingKind::Timetabled) => view! { <TimetableEditor draft unit errors /> }.into_any(),
        Some(PricingKind::Intermittent) => view! {
            <TextInput
                id=ANNUAL_ALLOCATION_ID
                label="Annual allocation"
                value=draft.annual_allocation
                errors
                width="govuk-input--width-5"
                inputmode="decimal"
                hint=format!("{} a financial year, 1 April to 31 March", units())
            />
        }
        .into_any(),
        None => view! {
            <p class="govuk-body app-hint-text">
                "Choose a service level to say what the care package plans."
            </p>
        }
        .into_any(),
    };
    view! {
        <DateInput
            id=END_ID
            legend="End date (optional)"
            parts=draft.end
            errors
            hint="The last day of care. Leave it blank when there is no end date. For example, 31 3 2023"
        />
        {plan}
        <TextInput
            id=PLANNED_VISITS_ID
            label="Planned visits per week"
            value=draft.planned_visits
            errors
            width="govuk-input--width-5"
            inputmode="decimal"
        />
        <TextInput id=BUDGET_CODE_ID label="Budget code (optional)" value=draft.budget_code errors width="govuk-input--width-10" />
        <TextInput
            id=CARE_PACKAGE_REF_ID
            label="Care package reference (optional)"
            value=draft.care_package_ref
            errors
            width="govuk-input--width-10"
        />
        <crate::components::form::Checkbox
            id="authorised"
            label="Authorised"
            checked=draft.authorised
            hint="Only authorised care package line items are paid."
        />
    }
}

/// Rows of weekdays and the units on each ticked day; "Add row" and "Remove row".
#[component]
fn TimetableEditor(draft: TermsDraft, unit: Signal<String>, errors: Errors) -> impl IntoView {
    let units = move || units_word(&unit.get()).to_lowercase();
    let add = move |_| {
        let index = draft.add_row();
        // The new row's first box, once it is on the page.
        request_animation_frame(move || focus_field(&day_id(index, "mon")));
    };
    let rows = move || {
        draft
            .timetable
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, row)| {
                let number = index + 1;
                let legend_id = format!("timetable-{index}-legend");
                let days_error = Signal::derive(move || error_of(errors, &day_id(index, "mon")));
                let days_error_id = format!("timetable-{index}-days-error");
                let boxes = DAYS
                    .iter()
                    .zip(row.days)
                    .map(|((code, name), ticked)| {
                        let id = day_id(index, code);
                        view! {
                            <div class="govuk-checkboxes__item">
                                <input
                                    class="govuk-checkboxes__input"
                                    id=id.clone()
                                    name=id.clone()
                                    type="checkbox"
                                    value=*code
                                    prop:checked=move || ticked.get()
                                    on:change=move |event| ticked.set(event_target_checked(&event))
                                />
                                <label class="govuk-label govuk-checkboxes__label" for=id>{*name}</label>
                            </div>
                        }
                    })
                    .collect_view();
                let remove = move |_| {
                    draft.remove_row(row.key);
                    request_animation_frame(|| focus_field(ADD_ROW_ID));
                };
                view! {
                    <div class="app-timetable-row">
                        <div class="govuk-form-group" class:govuk-form-group--error=move || days_error.with(Option::is_some)>
                            <fieldset
                                class="govuk-fieldset"
                                aria-describedby=move || days_error.with(Option::is_some).then(|| days_error_id.clone())
                            >
                                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s" id=legend_id>
                                    {format!("Row {number}: days")}
                                </legend>
                                {
                                    let error_id = format!("timetable-{index}-days-error");
                                    move || days_error.get().map(|message| view! {
                                        <p id=error_id.clone() class="govuk-error-message">
                                            <span class="govuk-visually-hidden">"Error: "</span>
                                            {message}
                                        </p>
                                    })
                                }
                                <div class="govuk-checkboxes govuk-checkboxes--small app-weekdays" data-module="govuk-checkboxes">
                                    {boxes}
                                </div>
                            </fieldset>
                        </div>
                        <TextInput
                            id=row_quantity_id(index)
                            label=format!("Row {number}: {} on each day", units())
                            value=row.quantity
                            errors
                            width="govuk-input--width-4"
                            inputmode="decimal"
                        />
                        <button
                            type="button"
                            class="govuk-button govuk-button--secondary app-timetable-row__remove"
                            data-module="govuk-button"
                            on:click=remove
                        >
                            "Remove row"
                            <span class="govuk-visually-hidden">{format!(" {number}")}</span>
                        </button>
                    </div>
                }
            })
            .collect_view()
    };
    let weekly = move || {
        let total = draft.timetable.with(|rows| {
            rows.iter()
                .map(|row| {
                    let days = row.days.iter().filter(|day| day.get()).count();
                    Quantity::parse(row.quantity.get().trim())
                        .map(|quantity| quantity.value() * rust_decimal::Decimal::from(days))
                        .unwrap_or_default()
                })
                .sum::<rust_decimal::Decimal>()
        });
        format!(
            "{} {} a week in all",
            portal_domain::format::format_number(total),
            units()
        )
    };
    view! {
        <fieldset class="govuk-fieldset app-timetable" aria-describedby="timetable-hint">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Timetable"</legend>
            <div id="timetable-hint" class="govuk-hint">
                "Each row is a pattern of days with the same number on each day ticked."
            </div>
            {rows}
            <p class="govuk-body" aria-live="polite">{weekly}</p>
            <button
                type="button"
                class="govuk-button govuk-button--secondary"
                data-module="govuk-button"
                id=ADD_ROW_ID
                on:click=add
            >
                "Add row"
            </button>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pricing_texts_start_with_their_units() {
        assert_eq!(
            leading_quantity("10 x Hours at £20.00 (Spot)").as_deref(),
            Some("10")
        );
        assert_eq!(
            leading_quantity("3.5 x Hours at £16.16 (Spot)").as_deref(),
            Some("3.5")
        );
        assert_eq!(
            leading_quantity("1,200 Nights a year at £90.00 (Intermittent)").as_deref(),
            Some("1200")
        );
        assert_eq!(leading_quantity("Intermittent"), None);
    }

    #[test]
    fn the_servers_field_names_find_their_inputs() {
        let field = |api| terms_field(api, "hour").map(|field| (field.id, field.label));
        assert_eq!(
            field("weekly_quantity"),
            Some((WEEKLY_QUANTITY_ID.to_owned(), "Hours per week".to_owned()))
        );
        assert_eq!(
            field("timetable[1].quantity"),
            Some((
                "timetable-1-quantity".to_owned(),
                "Row 2: hours on each day".to_owned()
            ))
        );
        assert_eq!(
            field("timetable[0].days").map(|(id, _)| id),
            Some("timetable-0-mon".to_owned())
        );
        assert_eq!(field("end").map(|(id, _)| id), Some("end-day".to_owned()));
        assert_eq!(field("client_id"), None);
        assert_eq!(units_word("session"), "Sessions");
        assert_eq!(units_word("fortnight"), "Units");
    }
}
