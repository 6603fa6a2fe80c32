//! Scheduled Payments (DOMAIN 5; the guides' "View pending payments" and seed 003 section
//! 13): choose a financial year and a contract, then the contract's payment periods, newest
//! first, each with where it stands. Each period opens its own page
//! (`pages::payment_period`). The choice travels in the query string, so a reload, Back or a
//! bookmark keeps it.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use portal_domain::FinancialYear;
use portal_dto::{PaymentContract, PaymentPeriodSummary};

use crate::api::{self, with_token};
use crate::components::page_title::set_page_title;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::session::use_session;

/// The first financial year the portal holds payments for.
const FIRST_YEAR: i32 = 2019;

/// Financial years from 2019/2020 to the one containing `today`, newest first: (value for
/// the URL, label).
pub fn financial_years(today: time::Date) -> Vec<(String, String)> {
    let current = FinancialYear::containing(today);
    let mut years = Vec::new();
    let mut year = current;
    while year >= FinancialYear::starting_in(FIRST_YEAR) {
        years.push((year.path_segment(), year.label()));
        year = FinancialYear::starting_in(year.first_day().year() - 1);
    }
    years
}

/// The year a URL names, or the current one when it names none (or nonsense).
pub fn chosen_year(named: Option<&str>, today: time::Date) -> FinancialYear {
    named
        .and_then(|text| FinancialYear::parse(text).ok())
        .unwrap_or_else(|| FinancialYear::containing(today))
}

/// "Ally Pally Care", or for council staff, who see every provider's contracts,
/// "Ally Pally Care (Ally Pally Ltd)".
pub fn contract_label(contract: &PaymentContract, council: bool) -> String {
    if council {
        format!("{} ({})", contract.name, contract.organisation_name)
    } else {
        contract.name.clone()
    }
}

/// The GOV.UK tag colour of a period's status, so the list can be scanned.
pub fn status_tag_class(status_label: &str) -> &'static str {
    match status_label {
        "Confirmed" => "govuk-tag govuk-tag--blue",
        "Rejected" => "govuk-tag govuk-tag--red",
        "Authorised" => "govuk-tag govuk-tag--yellow",
        "Finalised" => "govuk-tag govuk-tag--green",
        _ => "govuk-tag govuk-tag--grey",
    }
}

/// The list page's address for a year and contract.
pub fn payments_href(year: &str, contract: &str) -> String {
    format!(
        "/payments{}",
        api::query_string(&[("year", year), ("contract", contract)])
    )
}

#[component]
pub fn PaymentsPage() -> impl IntoView {
    set_page_title("Scheduled Payments");
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let today = crate::format::today();

    let contracts = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move {
            api::payment_contracts(&token).await
        })
    });
    sign_out_when_refused(session, contracts);

    // Contracts paid through scheduled payments, of the organisation the header shows.
    let shown_contracts = Memo::new(move |_| {
        contracts.get().and_then(Result::ok).map(|page| {
            page.items
                .into_iter()
                .filter(|contract| contract.payment_model == "scheduled")
                .filter(|contract| session.shows_organisation(&contract.organisation_id))
                .collect::<Vec<_>>()
        })
    });
    let year =
        Memo::new(move |_| query.with(|query| chosen_year(query.get("year").as_deref(), today)));
    // The URL's contract when it is one of the shown, else the first.
    let contract = Memo::new(move |_| {
        let named = query.with(|query| query.get("contract"));
        shown_contracts.with(|shown| {
            let shown = shown.as_ref()?;
            named
                .and_then(|id| shown.iter().find(|contract| contract.id == id))
                .or_else(|| shown.first())
                .cloned()
        })
    });

    let periods = LocalResource::new(move || {
        let token = session.access_token();
        let contract = contract.get();
        let year = year.get();
        async move {
            match contract {
                None => Ok(None),
                Some(contract) => with_token(token, |token| async move {
                    api::payment_periods(&token, &contract.id, &year.label()).await
                })
                .await
                .map(|page| Some(page.items)),
            }
        }
    });
    sign_out_when_refused(session, periods);

    // The form shows what the URL says, also after Back and Forward.
    let chosen_year_value = RwSignal::new(String::new());
    let chosen_contract = RwSignal::new(String::new());
    Effect::new(move |_| {
        chosen_year_value.set(year.get().path_segment());
        chosen_contract.set(
            contract
                .get()
                .map(|contract| contract.id)
                .unwrap_or_default(),
        );
    });
    let view_periods = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        navigate(
            &payments_href(
                &chosen_year_value.get_untracked(),
                &chosen_contract.get_untracked(),
            ),
            NavigateOptions::default(),
        );
    };

    let council = move || session.is_council();
    let year_options = financial_years(today)
        .into_iter()
        .map(|(value, label)| {
            let chosen = value.clone();
            view! {
                <option value=value prop:selected=move || chosen_year_value.with(|year| *year == chosen)>
                    {label}
                </option>
            }
        })
        .collect_view();
    let contract_options = move || {
        shown_contracts
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|contract| {
                let chosen = contract.id.clone();
                view! {
                    <option
                        value=contract.id.clone()
                        prop:selected=move || chosen_contract.with(|id| *id == chosen)
                    >
                        {contract_label(&contract, council())}
                    </option>
                }
            })
            .collect_view()
    };
    let no_contracts =
        move || shown_contracts.with(|shown| shown.as_ref().is_some_and(Vec::is_empty));
    let contracts_problem = move || {
        contracts
            .get()
            .and_then(Result::err)
            .map(|problem| view! { <ProblemText problem /> })
    };

    let listing = move || {
        let contract = contract.get()?;
        let year = year.get();
        let result = periods.get()?;
        Some(match result {
            Err(problem) => view! { <ProblemText problem /> }.into_any(),
            Ok(None) => ().into_any(),
            Ok(Some(items)) => view! {
                <PeriodList contract year items council=council() />
            }
            .into_any(),
        })
    };
    let loading = move || {
        (contract.with(Option::is_some) && periods.with(Option::is_none))
            || contracts.with(Option::is_none)
    };

    view! {
        <h1 class="govuk-heading-l">"Scheduled Payments"</h1>
        <p class="govuk-body">
            "View what is due to be paid for each period, and what is not. Providers confirm or reject each period; council staff authorise and finalise it."
        </p>
        {contracts_problem}
        <Show when=no_contracts>
            <p class="govuk-body">"There are no contracts paid through scheduled payments."</p>
        </Show>
        <form novalidate class="app-filters" aria-labelledby="payment-filters-heading" on:submit=view_periods>
            <h2 class="govuk-heading-s" id="payment-filters-heading">"Choose the payments to view"</h2>
            <div class="app-filters__fields">
                <div class="govuk-form-group app-filters__field">
                    <label class="govuk-label" for="payment-year">"Financial year"</label>
                    <select
                        class="govuk-select"
                        id="payment-year"
                        name="year"
                        on:change=move |event| chosen_year_value.set(event_target_value(&event))
                    >
                        {year_options}
                    </select>
                </div>
                <div class="govuk-form-group app-filters__field">
                    <label class="govuk-label" for="payment-contract">"Contract"</label>
                    <select
                        class="govuk-select"
                        id="payment-contract"
                        name="contract"
                        on:change=move |event| chosen_contract.set(event_target_value(&event))
                    >
                        {contract_options}
                    </select>
                </div>
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
                "View"
            </button>
        </form>
        <Show when=loading>
            <p class="govuk-body" role="status">"Loading scheduled payments…"</p>
        </Show>
        {listing}
    }
}

/// The chosen contract's periods in the chosen year: each links to its page.
#[component]
fn PeriodList(
    contract: PaymentContract,
    year: FinancialYear,
    items: Vec<PaymentPeriodSummary>,
    council: bool,
) -> impl IntoView {
    let caption = format!(
        "{}: payment periods in {}",
        contract_label(&contract, council),
        year.label()
    );
    let count = match items.len() {
        0 => format!("There are no scheduled payments in {}.", year.label()),
        1 => "1 payment period".to_owned(),
        count => format!("{count} payment periods"),
    };
    let empty = items.is_empty();
    let rows = items
        .into_iter()
        .map(|period| {
            let href = format!("/payments/periods/{}", period.id);
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">
                        <a class="govuk-link" href=href>{period.label.clone()}</a>
                    </td>
                    <td class="govuk-table__cell">
                        <strong class=status_tag_class(&period.status_label)>
                            {period.status_label.clone()}
                        </strong>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 class="govuk-heading-m">{contract.organisation_name.clone()}</h2>
        <p class="govuk-body" role="status">{count}</p>
        {(!empty).then(|| view! {
            <table class="govuk-table app-payment-periods">
                <caption class="govuk-table__caption govuk-table__caption--s">{caption}</caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"Period"</th>
                        <th scope="col" class="govuk-table__header">"Status"</th>
                    </tr>
                </thead>
                <tbody class="govuk-table__body">{rows}</tbody>
            </table>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn years_run_from_2019_2020_to_the_current_one_newest_first() {
        let years = financial_years(date!(2022 - 06 - 06));
        let labels: Vec<&str> = years.iter().map(|(_, label)| label.as_str()).collect();
        assert_eq!(labels, ["2022/2023", "2021/2022", "2020/2021", "2019/2020"]);
        assert_eq!(years[0].0, "2022-2023");
        // 31 March still belongs to the year before.
        assert_eq!(financial_years(date!(2020 - 03 - 31)).len(), 1);
    }

    #[test]
    fn the_url_names_the_year_or_the_current_one_is_shown() {
        let today = date!(2022 - 06 - 06);
        assert_eq!(chosen_year(Some("2020-2021"), today).label(), "2020/2021");
        assert_eq!(chosen_year(Some("2020/2021"), today).label(), "2020/2021");
        assert_eq!(chosen_year(Some("last year"), today).label(), "2022/2023");
        assert_eq!(chosen_year(None, today).label(), "2022/2023");
    }
}
