//! Council settings (DOMAIN 14a): the council's contact details shown to providers, the
//! weekly submission deadline, the amendment window, the bank holidays that working days
//! leave out, and the reference lists of action types, dispute reasons and VAT rates.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_dto::{
    ActionType, BankHoliday, CouncilSettings, DisputeReason, NewBankHoliday, UpdateCouncilSettings,
    VatRate,
};

use crate::api::{self, with_token, ApiResult};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    checked_date, in_fields, problem_errors, refusals, required_text, ungrouped, DateInput,
    DateParts, Errors, Field, Radios, SelectInput, TextArea, TextInput,
};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::title_with_errors;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::format::{date_text, today};
use crate::session::{use_session, Session};

pub const WEEKDAYS: [(&str, &str); 7] = [
    ("monday", "Monday"),
    ("tuesday", "Tuesday"),
    ("wednesday", "Wednesday"),
    ("thursday", "Thursday"),
    ("friday", "Friday"),
    ("saturday", "Saturday"),
    ("sunday", "Sunday"),
];

fn settings_fields() -> Vec<Field> {
    vec![
        Field::new(
            "contact_email",
            "contact-email",
            "Contact email address",
            "Enter the contact email address",
        ),
        Field::new(
            "contact_phone",
            "contact-phone",
            "Contact telephone",
            "Enter the contact telephone number",
        ),
        Field::new(
            "contact_address",
            "contact-address",
            "Contact address",
            "Enter the contact address",
        ),
        Field::new(
            "submission_deadline_weekday",
            "deadline-weekday",
            "Deadline day",
            "Choose the deadline's day",
        ),
        Field::new(
            "submission_deadline_time",
            "deadline-time",
            "Deadline time",
            "Enter the deadline's time",
        ),
        Field::new(
            "amendment_window_days",
            "amendment-window-days",
            "Amendment window",
            "Enter the amendment window in days",
        ),
        Field::new(
            "second_factor_policy",
            "second-factor-policy",
            "Second step at sign-in",
            "Choose what sign-in asks for after the password",
        ),
    ]
}

/// The council's choices of second factor, as the radios offer them.
const SECOND_FACTOR_OPTIONS: [(&str, &str); 3] = [
    (
        "user_choice",
        "Each person's choice: an authenticator app, or three digits of their security code",
    ),
    ("authenticator", "An authenticator app only"),
    ("digits", "Three digits of the security code only"),
];

fn holiday_fields() -> Vec<Field> {
    vec![
        Field::new(
            "date",
            "holiday-date-day",
            "Date",
            "Enter the bank holiday's date",
        ),
        Field::new(
            "name",
            "holiday-name",
            "Name",
            "Enter the bank holiday's name",
        ),
    ]
}

/// "Yes" or "No".
fn yes_no(value: bool) -> &'static str {
    if value {
        "Yes"
    } else {
        "No"
    }
}

/// "Client, Contract": what an action type may be raised about.
pub fn entity_kinds_text(kinds: &[String]) -> String {
    kinds
        .iter()
        .map(|kind| {
            let words = kind.replace('_', " ");
            let mut chars = words.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(", ")
}

#[component]
pub fn CouncilSettingsPage() -> impl IntoView {
    let session = use_session();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let banner = RwSignal::new(None::<String>);
    title_with_errors(|| "Council settings".to_owned(), errors);

    let settings = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::council_settings(&token).await },
        )
    });
    sign_out_when_refused(session, settings);

    let settings_form = move || match settings.get() {
        None => {
            view! { <p class="govuk-body" role="status">"Loading the settings…"</p> }.into_any()
        }
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(current)) => view! { <SettingsForm current errors banner /> }.into_any(),
    };

    view! {
        <ErrorSummary errors=errors />
        <SuccessBanner message=banner />
        <h1 class="govuk-heading-l">"Council settings"</h1>
        <p class="govuk-body">
            "To send events such as a dispute raised to the council's own systems, set up "
            <a class="govuk-link" href="/council/webhooks">"Webhooks"</a>
            "."
        </p>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">{settings_form}</div>
        </div>
        <BankHolidays errors banner />
        <ReferenceLists session />
    }
}

#[component]
fn SettingsForm(
    current: CouncilSettings,
    errors: Errors,
    banner: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let busy = RwSignal::new(false);
    let version = RwSignal::new(current.version);
    let email = RwSignal::new(current.contact_email.clone());
    let phone = RwSignal::new(current.contact_phone.clone());
    let address = RwSignal::new(current.contact_address.clone());
    let weekday = RwSignal::new(current.submission_deadline.weekday.clone());
    let time = RwSignal::new(current.submission_deadline.time.clone());
    let window = RwSignal::new(current.amendment_window_days.to_string());
    let second_factor = RwSignal::new(current.second_factor_policy.clone());
    let deadline = RwSignal::new(current.submission_deadline.description.clone());

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = Vec::new();
        let window_text = required_text(
            window,
            "amendment-window-days",
            "Enter the amendment window in days",
            &mut found,
        );
        let days = window_text.parse::<i64>();
        if !window_text.is_empty() && days.is_err() {
            found.push(SummaryError::at(
                "amendment-window-days",
                "Enter the amendment window as a whole number of days, like 14",
            ));
        }
        if !found.is_empty() {
            errors.set(found);
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let update = UpdateCouncilSettings {
            version: version.get_untracked(),
            contact_email: email.get_untracked().trim().to_owned(),
            contact_phone: phone.get_untracked().trim().to_owned(),
            contact_address: address.get_untracked().trim().to_owned(),
            submission_deadline_weekday: weekday.get_untracked(),
            submission_deadline_time: time.get_untracked().trim().to_owned(),
            amendment_window_days: days.unwrap_or_default(),
            second_factor_policy: Some(second_factor.get_untracked()),
        };
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            let outcome = api::update_council_settings(&token, &update).await;
            busy.set(false);
            match outcome {
                Ok(saved) => {
                    errors.set(Vec::new());
                    version.set(saved.version);
                    deadline.set(saved.submission_deadline.description);
                    banner.set(Some("Council settings saved".to_owned()));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) if problem.status == 409 => errors.set(vec![SummaryError::general(
                    "Someone changed the settings first. Reload to see their version.",
                )]),
                Err(problem) => {
                    let fields = settings_fields();
                    errors.set(refusals(&problem, &fields));
                }
            }
        });
    };
    let weekdays = Signal::derive(|| {
        ungrouped(
            WEEKDAYS
                .iter()
                .map(|(code, name)| ((*code).to_owned(), (*name).to_owned()))
                .collect(),
        )
    });

    view! {
        <h2 class="govuk-heading-m">{format!("{} Council", current.name)}</h2>
        <form novalidate on:submit=submit aria-label="Council settings">
            <TextInput id="contact-email" label="Contact email address" value=email errors input_type="email"
                autocomplete="email" hint="Shown to providers, like provider.portal@bradford.example" />
            <TextInput id="contact-phone" label="Contact telephone" value=phone errors input_type="tel"
                width="govuk-input--width-20" autocomplete="tel" />
            <TextArea id="contact-address" label="Contact address" value=address errors rows=4 />
            <fieldset class="govuk-fieldset" aria-describedby="deadline-hint">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Submission deadline"</legend>
                <div id="deadline-hint" class="govuk-hint">
                    "When a week's actuals are due, in the week after it. Now: " {move || deadline.get()}
                </div>
                <SelectInput id="deadline-weekday" label="Day of the week" value=weekday errors groups=weekdays />
                <TextInput id="deadline-time" label="Time" value=time errors width="govuk-input--width-5"
                    hint="24-hour clock, UK time, like 17:00" />
            </fieldset>
            <TextInput id="amendment-window-days" label="Amendment window" value=window errors width="govuk-input--width-3"
                inputmode="numeric" suffix="days" hint="Days after a period is finalised during which its actuals may still be amended" />
            <Radios id="second-factor-policy" legend="Second step at sign-in" value=second_factor errors
                options=SECOND_FACTOR_OPTIONS.to_vec()
                hint="After the password. Letting people choose keeps sign-in accessible to those who cannot pick digits out of a code" />
            <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                "Save settings"
            </button>
        </form>
    }
}

#[component]
fn BankHolidays(errors: Errors, banner: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let this_year = today().year();
    let year = RwSignal::new(this_year);
    let typed_year = RwSignal::new(this_year.to_string());
    let holidays = RwSignal::new(None::<ApiResult<Vec<BankHoliday>>>);
    let load = move || {
        let token = session.access_token();
        let year = year.get_untracked();
        spawn_local(async move {
            let result = with_token(token, |token| async move {
                api::bank_holidays(&token, year).await
            })
            .await
            .map(|page| page.items);
            if result.as_ref().is_err_and(|problem| problem.status == 401) {
                session.sign_out();
            }
            holidays.try_set(Some(result));
        });
    };
    Effect::new(move |_| {
        year.track();
        load();
    });

    let show_year = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match typed_year.get_untracked().trim().parse::<i32>() {
            Ok(chosen) if (1900..=9999).contains(&chosen) => {
                errors.set(Vec::new());
                year.set(chosen);
            }
            _ => errors.set(vec![SummaryError::at(
                "holiday-year",
                "Enter a year as four digits, like 2022",
            )]),
        }
    };

    let busy = RwSignal::new(false);
    let date = DateParts::new();
    let name = RwSignal::new(String::new());
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = Vec::new();
        let day = checked_date(
            &date,
            "holiday-date",
            "Date",
            Some("Enter the bank holiday's date"),
            &mut found,
        );
        let holiday_name = required_text(
            name,
            "holiday-name",
            "Enter the bank holiday's name",
            &mut found,
        );
        if !found.is_empty() {
            errors.set(found);
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let holiday = NewBankHoliday {
            date: day.unwrap_or_default(),
            name: holiday_name,
        };
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            let outcome = api::add_bank_holiday(&token, &holiday).await;
            busy.set(false);
            match outcome {
                Ok(added) => {
                    errors.set(Vec::new());
                    date.set_iso(None);
                    name.set(String::new());
                    banner.set(Some(format!(
                        "Bank holiday {} ({}) added",
                        added.name, added.label
                    )));
                    let added_year = added.date.get(..4).and_then(|y| y.parse::<i32>().ok());
                    match added_year {
                        Some(added_year) if added_year != year.get_untracked() => {
                            typed_year.set(added_year.to_string());
                            year.set(added_year);
                        }
                        _ => load(),
                    }
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) if problem.status == 409 => {
                    errors.set(vec![SummaryError::at("holiday-date-day", problem.detail)])
                }
                Err(problem) => {
                    let fields = holiday_fields();
                    errors.set(problem_errors(&problem, in_fields(&fields)));
                }
            }
        });
    };

    let remove = move |holiday: BankHoliday| {
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        banner.set(None);
        spawn_local(async move {
            match api::remove_bank_holiday(&token, &holiday.date).await {
                Ok(()) => {
                    errors.set(Vec::new());
                    banner.set(Some(format!(
                        "Bank holiday {} ({}) removed",
                        holiday.name, holiday.label
                    )));
                    load();
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(vec![SummaryError::general(problem.detail)]),
            }
        });
    };

    let table = move || {
        match holidays.get() {
        None => view! { <p class="govuk-body" role="status">"Loading bank holidays…"</p> }.into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <p class="govuk-body">{format!("There are no bank holidays in {}.", year.get_untracked())}</p>
        }
        .into_any(),
        Some(Ok(list)) => {
            let rows = list
                .into_iter()
                .map(|holiday| {
                    let label = format!("{} ({})", holiday.name, holiday.label);
                    let on_remove = {
                        let holiday = holiday.clone();
                        move |_| remove(holiday.clone())
                    };
                    view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell app-nowrap">{date_text(&holiday.date)}</td>
                            <td class="govuk-table__cell">{holiday.name.clone()}</td>
                            <td class="govuk-table__cell">
                                <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0 app-small-button"
                                    data-module="govuk-button" on:click=on_remove>
                                    "Remove"
                                    <span class="govuk-visually-hidden">{format!(" {label}")}</span>
                                </button>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="govuk-table app-bank-holidays">
                    <caption class="govuk-table__caption govuk-table__caption--s">
                        {format!("Bank holidays in {}", year.get_untracked())}
                    </caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Date"</th>
                            <th scope="col" class="govuk-table__header">"Name"</th>
                            <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">"Action"</span></th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{rows}</tbody>
                </table>
            }
            .into_any()
        }
    }
    };

    view! {
        <section aria-labelledby="bank-holidays-heading" class="app-section">
            <h2 class="govuk-heading-m" id="bank-holidays-heading">"Bank holidays"</h2>
            <p class="govuk-body">"Working days are Monday to Friday less these days. Action due dates are counted in working days."</p>
            <form novalidate on:submit=show_year class="app-inline-form" aria-label="Choose a year">
                <TextInput id="holiday-year" label="Year" value=typed_year errors width="govuk-input--width-4" inputmode="numeric" />
                <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Show year"</button>
            </form>
            {table}
            <h3 class="govuk-heading-s" id="add-holiday-heading">"Add a bank holiday"</h3>
            <form novalidate on:submit=add aria-labelledby="add-holiday-heading">
                <DateInput id="holiday-date" legend="Date" parts=date errors hint="For example, 19 9 2022" />
                <TextInput id="holiday-name" label="Name" value=name errors width="govuk-!-width-one-half"
                    hint="For example, State Funeral of Queen Elizabeth II" />
                <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button" disabled=move || busy.get()>
                    "Add bank holiday"
                </button>
            </form>
        </section>
    }
}

/// Everything the read-only lists show.
#[derive(Debug, Clone, PartialEq)]
struct Lists {
    action_types: Vec<ActionType>,
    dispute_reasons: Vec<DisputeReason>,
    vat_rates: Vec<VatRate>,
}

#[component]
fn ReferenceLists(session: Session) -> impl IntoView {
    let lists = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move {
            Ok(Lists {
                action_types: api::action_types(&token).await?.items,
                dispute_reasons: api::dispute_reasons(&token).await?.items,
                vat_rates: api::vat_rates(&token).await?.items,
            })
        })
    });
    sign_out_when_refused(session, lists);
    let content = move || match lists.get() {
        None => view! { <p class="govuk-body" role="status">"Loading the reference lists…"</p> }
            .into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(lists)) => {
            let actions = lists
                .action_types
                .iter()
                .map(|action| {
                    view! {
                        <tr class="govuk-table__row">
                            <th scope="row" class="govuk-table__header">{action.name.clone()}</th>
                            <td class="govuk-table__cell">{action.team.clone().unwrap_or_else(|| "Chosen by the raiser".to_owned())}</td>
                            <td class="govuk-table__cell">{entity_kinds_text(&action.entity_kinds)}</td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{action.minimum_due_working_days.to_string()}</td>
                            <td class="govuk-table__cell">{yes_no(action.council_only)}</td>
                            <td class="govuk-table__cell">{yes_no(action.active)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let reasons = lists
                .dispute_reasons
                .iter()
                .map(|reason| {
                    view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">{reason.name.clone()}</td>
                            <td class="govuk-table__cell">{yes_no(reason.active)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let rates = lists
                .vat_rates
                .iter()
                .map(|rate| {
                    view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">{rate.name.clone()}</td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{format!("{}%", rate.rate_percent)}</td>
                            <td class="govuk-table__cell app-nowrap">{date_text(&rate.effective_from)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="app-scroll-region" role="region" aria-labelledby="action-types-caption" tabindex="0">
                    <table class="govuk-table">
                        <caption class="govuk-table__caption govuk-table__caption--m" id="action-types-caption">"Action types"</caption>
                        <thead class="govuk-table__head">
                            <tr class="govuk-table__row">
                                <th scope="col" class="govuk-table__header">"Name"</th>
                                <th scope="col" class="govuk-table__header">"Team"</th>
                                <th scope="col" class="govuk-table__header">"Raised about"</th>
                                <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Minimum working days to due date"</th>
                                <th scope="col" class="govuk-table__header">"Council only"</th>
                                <th scope="col" class="govuk-table__header">"Active"</th>
                            </tr>
                        </thead>
                        <tbody class="govuk-table__body">{actions}</tbody>
                    </table>
                </div>
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-table__caption--m">"Dispute reasons"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Reason"</th>
                            <th scope="col" class="govuk-table__header">"Active"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{reasons}</tbody>
                </table>
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-table__caption--m">"VAT rates"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Name"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Rate"</th>
                            <th scope="col" class="govuk-table__header">"From"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{rates}</tbody>
                </table>
            }
            .into_any()
        }
    };
    view! {
        <section aria-labelledby="reference-heading" class="app-section">
            <h2 class="govuk-heading-m" id="reference-heading">"Reference lists"</h2>
            <p class="govuk-body">"These lists are read-only here."</p>
            {content}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_kinds_read_as_words() {
        let kinds = ["client", "credit_note", "spot_commitment"].map(str::to_owned);
        assert_eq!(
            entity_kinds_text(&kinds),
            "Client, Credit note, Spot commitment"
        );
        assert_eq!(entity_kinds_text(&[]), "");
    }
}
