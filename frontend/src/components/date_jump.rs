//! "Go to week": a GOV.UK date input, for keyboard users and anyone who knows the date,
//! instead of paging through months.

use leptos::prelude::*;
use portal_domain::Week;
use time::{Date, Month};

use crate::format::current_week;

const DAY_ID: &str = "jump-day";

#[component]
pub fn DateJump(on_select: Callback<Week>) -> impl IntoView {
    let day = RwSignal::new(String::new());
    let month = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match typed_week(
            &day.get_untracked(),
            &month.get_untracked(),
            &year.get_untracked(),
        ) {
            Ok(week) => {
                error.set(None);
                on_select.run(week);
            }
            Err(message) => {
                error.set(Some(message));
                crate::components::error_summary::focus_field(DAY_ID);
            }
        }
    };

    let part = move |id: &'static str,
                     label: &'static str,
                     width: &'static str,
                     value: RwSignal<String>| {
        view! {
            <div class="govuk-date-input__item">
                <div class="govuk-form-group">
                    <label class="govuk-label govuk-date-input__label" for=id>{label}</label>
                    <input
                        class=format!("govuk-input govuk-date-input__input {width}")
                        class:govuk-input--error=move || error.with(Option::is_some)
                        id=id
                        name=id
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
        <form novalidate on:submit=submit class="app-date-jump">
            <div class="govuk-form-group" class:govuk-form-group--error=move || error.with(Option::is_some)>
                <fieldset class="govuk-fieldset" role="group" aria-describedby="jump-hint jump-error">
                    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Go to the week of a date"</legend>
                    <div id="jump-hint" class="govuk-hint">"For example, 6 6 2022"</div>
                    <p id="jump-error" class="govuk-error-message" hidden=move || error.with(Option::is_none)>
                        <span class="govuk-visually-hidden">"Error: "</span>
                        {move || error.get().unwrap_or_default()}
                    </p>
                    <div class="govuk-date-input">
                        {part(DAY_ID, "Day", "govuk-input--width-2", day)}
                        {part("jump-month", "Month", "govuk-input--width-2", month)}
                        {part("jump-year", "Year", "govuk-input--width-4", year)}
                    </div>
                </fieldset>
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
                "Go to week"
            </button>
        </form>
    }
}

/// The week containing the typed date, or the sentence that says what to fix.
fn typed_week(day: &str, month: &str, year: &str) -> Result<Week, String> {
    let number = |text: &str| text.trim().parse::<i32>().ok();
    let (Some(day), Some(month), Some(year)) = (number(day), number(month), number(year)) else {
        return Err("Enter a date with a day, month and year, like 6 6 2022".to_owned());
    };
    let date = u8::try_from(month)
        .ok()
        .and_then(|month| Month::try_from(month).ok())
        .zip(u8::try_from(day).ok())
        .filter(|_| (1900..=9999).contains(&year))
        .and_then(|(month, day)| Date::from_calendar_date(year, month, day).ok())
        .ok_or_else(|| "Enter a real date, like 6 6 2022".to_owned())?;
    let week = Week::containing(date);
    if week > current_week() {
        return Err("The date must be in this week or before: actuals cannot be entered for weeks that have not started".to_owned());
    }
    Ok(week)
}
