//! One payment period (DOMAIN 5; the guides' "View pending payments", "Confirming Actuals"
//! and "View Remittance Advice"): its totals, its Payable and Non-payable lines per client
//! in tabs, the provider's Confirm / Reject and line disputes, council staff's decisions,
//! authorising and finalising, the care package line items it pays for, and, once paid, the
//! remittance advice on screen or as a CSV file.
//!
//! Every change sends the period's version and answers with the period as it now stands;
//! a stale version (409) is said in the error summary and the period is read again.

use std::future::Future;
use std::str::FromStr;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use portal_dto::{
    ClientPayment, LineDecisionRequest, PayUndisputed, PaymentPeriodDetail, PeriodAnswer, Problem,
    RemittanceAdvice, ScheduledLine,
};
use rust_decimal::Decimal;

use crate::api::{self, with_token, ApiResult};
use crate::components::cpli_table::{CpliTable, Sort};
use crate::components::error_summary::{focus_field, ErrorSummary, SummaryError};
use crate::components::form::TextArea;
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::title_with_errors;
use crate::components::payment_tabs::{TabSpec, Tabs};
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::format::{date_text, money_text};
use crate::pages::payments::{payments_href, status_tag_class};
use crate::session::{use_session, Session};

const COMMENT_ID: &str = "payment-comment";
const LINE_REASON_ID: &str = "line-reason";

/// Which of a period's lines a tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Payable,
    NonPayable,
}

impl Tab {
    /// A line is payable when its status is Pay; Suspend, Cancel and Carry forward are not.
    pub fn shows(self, line: &ScheduledLine) -> bool {
        (line.status == "pay") == (self == Tab::Payable)
    }

    /// The client's total in this tab.
    pub fn total(self, client: &ClientPayment) -> &str {
        match self {
            Tab::Payable => &client.payable,
            Tab::NonPayable => &client.non_payable,
        }
    }

    fn empty_text(self) -> &'static str {
        match self {
            Tab::Payable => "There are no payable lines in this period.",
            Tab::NonPayable => "There are no non-payable lines in this period.",
        }
    }

    fn caption(self) -> &'static str {
        match self {
            Tab::Payable => "Payable lines, by client",
            Tab::NonPayable => "Non-payable lines, by client",
        }
    }
}

/// "Mr Eric Bristow (96836000) (Total: £140.00)", as the guides head each client's lines.
pub fn client_heading(client: &ClientPayment, tab: Tab) -> String {
    format!(
        "{} ({}) (Total: {})",
        client.client.display_name,
        client.client.ssref,
        money_text(tab.total(client))
    )
}

/// "Cost", or "Income" for a negative amount (an adjustment that takes money back).
pub fn cost_or_income(line: &ScheduledLine) -> &'static str {
    match Decimal::from_str(line.amount.trim()) {
        Ok(amount) if amount.is_sign_negative() && !amount.is_zero() => "Income",
        _ => "Cost",
    }
}

/// "06/06/2022 - 12/06/2022".
pub fn applicable_dates(from: &str, to: &str) -> String {
    format!("{} - {}", date_text(from), date_text(to))
}

/// What the signed-in user may do to a period's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRights {
    /// A provider disputes lines while the period is open.
    pub dispute: bool,
    /// Council staff pay or cancel held lines until the period is paid.
    pub decide: bool,
}

impl LineRights {
    pub fn of(council: bool, status: &str) -> LineRights {
        LineRights {
            dispute: !council && status == "open",
            decide: council && matches!(status, "open" | "authorised"),
        }
    }

    pub fn may_dispute(self, line: &ScheduledLine) -> bool {
        self.dispute && !line.disputed
    }

    /// Held lines: suspended by an exception, or disputed.
    pub fn may_decide(self, line: &ScheduledLine) -> bool {
        self.decide && (line.status == "suspend" || line.disputed)
    }

    /// A client whose held lines include some not disputed.
    pub fn may_pay_undisputed(self, client: &ClientPayment) -> bool {
        self.decide
            && client
                .lines
                .iter()
                .any(|line| line.status == "suspend" && !line.disputed)
    }
}

/// The decision a line's open form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineAction {
    Dispute,
    Cancel,
}

impl LineAction {
    fn decision(self) -> &'static str {
        match self {
            LineAction::Dispute => "dispute",
            LineAction::Cancel => "cancel",
        }
    }

    fn label(self) -> &'static str {
        match self {
            LineAction::Dispute => "Why do you dispute this line?",
            LineAction::Cancel => "Why is this line cancelled?",
        }
    }

    fn submit(self) -> &'static str {
        match self {
            LineAction::Dispute => "Send dispute",
            LineAction::Cancel => "Cancel the payment",
        }
    }

    fn missing(self) -> &'static str {
        match self {
            LineAction::Dispute => "Enter why you dispute the line",
            LineAction::Cancel => "Enter why the line is cancelled",
        }
    }

    fn done(self) -> &'static str {
        match self {
            LineAction::Dispute => "Line disputed: the council will decide it",
            LineAction::Cancel => "Line cancelled",
        }
    }
}

/// The summary's lines for a refused change: the problem's sentence, then each field it
/// names, linked to the field on this page that holds it.
fn problem_lines(problem: &Problem) -> Vec<SummaryError> {
    let field_id = |field: &str| match field {
        "comment" => Some(COMMENT_ID),
        "reason" => Some(LINE_REASON_ID),
        _ => None,
    };
    if problem.errors.is_empty() {
        return vec![SummaryError::general(problem.detail.clone())];
    }
    problem
        .errors
        .iter()
        .map(|error| {
            let message = if error.message.starts_with(char::is_uppercase) {
                error.message.clone()
            } else {
                format!("{}: {}", error.field, error.message)
            };
            match field_id(&error.field) {
                Some(id) => SummaryError::at(id, message),
                None => SummaryError::general(message),
            }
        })
        .collect()
}

/// The file name the server also gives the report.
pub fn remittance_file_name(contract: &str, start: &str, summary: bool) -> String {
    let contract: String = contract
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let summary = if summary { "-summary" } else { "" };
    format!("remittance-{contract}-{start}{summary}.csv")
}

/// The page's state that every change touches.
#[derive(Clone, Copy)]
struct Changes {
    session: Session,
    period_id: Memo<String>,
    detail: RwSignal<Option<PaymentPeriodDetail>>,
    loaded: LocalResource<ApiResult<PaymentPeriodDetail>>,
    errors: RwSignal<Vec<SummaryError>>,
    success: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

impl Changes {
    fn version(self) -> i64 {
        self.detail
            .with_untracked(|detail| detail.as_ref().map_or(0, |detail| detail.period.version))
    }

    /// Sends one change; on success the period is the answer and `done` is announced.
    fn run<F, Fut>(self, done: String, call: F)
    where
        F: FnOnce(String, String) -> Fut + 'static,
        Fut: Future<Output = ApiResult<PaymentPeriodDetail>> + 'static,
    {
        let Some(token) = self.session.access_token() else {
            self.session.sign_out();
            return;
        };
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.errors.set(Vec::new());
        self.success.set(None);
        let period_id = self.period_id.get_untracked();
        spawn_local(async move {
            let result = call(token, period_id).await;
            self.busy.set(false);
            match result {
                Ok(detail) => {
                    self.detail.set(Some(detail));
                    self.success.set(Some(done));
                }
                Err(problem) if problem.status == 401 => self.session.sign_out(),
                Err(problem) => {
                    self.errors.set(problem_lines(&problem));
                    // Someone else changed the period first: show it as it now is.
                    if problem.status == 409 {
                        self.loaded.refetch();
                    }
                }
            }
        });
    }
}

#[component]
pub fn PaymentPeriodPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let period_id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let loaded = LocalResource::new(move || {
        let token = session.access_token();
        let id = period_id.get();
        with_token(token, |token| async move {
            api::payment_period(&token, &id).await
        })
    });
    sign_out_when_refused(session, loaded);
    let detail = RwSignal::new(None::<PaymentPeriodDetail>);
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = loaded.get() {
            detail.set(Some(fresh));
        }
    });
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let success = RwSignal::new(None::<String>);
    let changes = Changes {
        session,
        period_id,
        detail,
        loaded,
        errors,
        success,
        busy: RwSignal::new(false),
    };
    title_with_errors(
        move || {
            detail.with(|detail| match detail {
                Some(detail) => format!("Payment period {}", detail.period.label),
                None => "Payment period".to_owned(),
            })
        },
        errors,
    );

    let tab = RwSignal::new(0_usize);
    let comment = RwSignal::new(String::new());
    let open_line = RwSignal::new(None::<(String, LineAction)>);
    let line_reason = RwSignal::new(String::new());
    let sort = RwSignal::new(None::<Sort>);
    let council = Memo::new(move |_| session.is_council());

    let problem = move || {
        loaded
            .get()
            .and_then(Result::err)
            .filter(|_| detail.with(Option::is_none))
            .map(|problem| view! { <ProblemText problem /> })
    };
    let back_href = move || {
        detail.with(|detail| match detail {
            Some(detail) => {
                let year = crate::pages::payments::chosen_year(
                    None,
                    portal_domain::calendar::parse_iso_date(&detail.period.start)
                        .unwrap_or_else(|_| crate::format::today()),
                );
                payments_href(&year.path_segment(), &detail.contract.id)
            }
            None => "/payments".to_owned(),
        })
    };
    let heading = move || {
        detail.with(|detail| {
            detail.as_ref().map(|detail| {
                (
                    detail.contract.organisation_name.clone(),
                    format!("{}: {}", detail.contract.name, detail.period.label),
                )
            })
        })
    };
    let loading = move || detail.with(Option::is_none) && loaded.with(Option::is_none);

    let tabs = vec![
        TabSpec {
            id: "payable",
            name: "Payable",
        },
        TabSpec {
            id: "non-payable",
            name: "Non-payable",
        },
    ];
    let panel = move |which: Tab| {
        ViewFn::from(move || {
            view! {
                <LinesTable
                    which
                    detail
                    council
                    changes
                    open_line
                    line_reason
                />
            }
        })
    };
    let panels = vec![panel(Tab::Payable), panel(Tab::NonPayable)];
    let shown = move || detail.with(Option::is_some);
    let cplis = Signal::derive(move || {
        detail.with(|detail| {
            detail
                .as_ref()
                .map(|detail| detail.cplis.clone())
                .unwrap_or_default()
        })
    });

    view! {
        <a class="govuk-back-link" href=back_href>"Back to scheduled payments"</a>
        <SuccessBanner message=success />
        <ErrorSummary errors=errors />
        {move || heading().map(|(organisation, title)| view! {
            <span class="govuk-caption-l">{organisation}</span>
            <h1 class="govuk-heading-l">{title}</h1>
        })}
        <Show when=loading>
            <h1 class="govuk-heading-l">"Payment period"</h1>
            <p class="govuk-body" role="status">"Loading the payment period…"</p>
        </Show>
        {problem}
        <Show when=shown>
            <PeriodSummary detail />
            <Tabs title="Lines" tabs=tabs.clone() panels=panels.clone() selected=tab />
            <ProviderAnswer detail council changes comment errors />
            <CouncilActions detail council changes />
            <Remittance detail changes />
            <CpliTable rows=cplis sort />
        </Show>
    }
}

/// The period's dates, status and totals, and the provider's comment once answered.
#[component]
fn PeriodSummary(detail: RwSignal<Option<PaymentPeriodDetail>>) -> impl IntoView {
    move || {
        detail.get().map(|detail| {
            let period = detail.period.clone();
            let comment = (!detail.provider_comment.is_empty()).then(|| {
                view! {
                    <dl class="govuk-summary-list">
                        <div class="govuk-summary-list__row">
                            <dt class="govuk-summary-list__key">"Provider's comment"</dt>
                            <dd class="govuk-summary-list__value app-pre-line">{detail.provider_comment.clone()}</dd>
                        </div>
                    </dl>
                }
            });
            view! {
                <table class="govuk-table app-payment-summary">
                    <caption class="govuk-table__caption govuk-table__caption--m">"Summary"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Start Date"</th>
                            <th scope="col" class="govuk-table__header">"End Date"</th>
                            <th scope="col" class="govuk-table__header">"Status"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Payable"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Non-Payable"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"VAT"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Total"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">{date_text(&period.start)}</td>
                            <td class="govuk-table__cell">{date_text(&period.end)}</td>
                            <td class="govuk-table__cell">
                                <strong class=status_tag_class(&period.status_label)>{period.status_label.clone()}</strong>
                            </td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&detail.payable)}</td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&detail.non_payable)}</td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&detail.payable_vat)}</td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&detail.total_payable)}</td>
                        </tr>
                    </tbody>
                </table>
                {comment}
            }
        })
    }
}

/// One tab's lines, in one table with a row group per client.
#[component]
fn LinesTable(
    which: Tab,
    detail: RwSignal<Option<PaymentPeriodDetail>>,
    council: Memo<bool>,
    changes: Changes,
    open_line: RwSignal<Option<(String, LineAction)>>,
    line_reason: RwSignal<String>,
) -> impl IntoView {
    move || {
        let detail = detail.get()?;
        let rights = LineRights::of(council.get(), &detail.period.status);
        let clients: Vec<(ClientPayment, Vec<ScheduledLine>)> = detail
            .clients
            .iter()
            .map(|client| {
                let lines = client
                    .lines
                    .iter()
                    .filter(|line| which.shows(line))
                    .cloned()
                    .collect::<Vec<_>>();
                (client.clone(), lines)
            })
            .filter(|(_, lines)| !lines.is_empty())
            .collect();
        if clients.is_empty() {
            return Some(view! { <p class="govuk-body">{which.empty_text()}</p> }.into_any());
        }
        let all_lines = || clients.iter().flat_map(|(_, lines)| lines.iter());
        let with_reasons = all_lines().any(|line| !line.reason.is_empty());
        let with_actions = all_lines()
            .any(|line| rights.may_dispute(line) || rights.may_decide(line))
            || clients
                .iter()
                .any(|(client, _)| rights.may_pay_undisputed(client));
        let columns = 5 + usize::from(with_reasons) + usize::from(with_actions);
        let groups = clients
            .into_iter()
            .map(|(client, lines)| {
                let pay_undisputed = (which == Tab::NonPayable && rights.may_pay_undisputed(&client))
                    .then(|| {
                        let name = client.client.display_name.clone();
                        let client_id = client.client.id.clone();
                        let pay = move |_| {
                            let client_id = client_id.clone();
                            let version = changes.version();
                            changes.run(
                                format!("The undisputed held lines of {name} will be paid"),
                                move |token, period| async move {
                                    api::pay_undisputed_lines(
                                        &token,
                                        &period,
                                        &PayUndisputed { version, client_id },
                                    )
                                    .await
                                },
                            );
                        };
                        view! {
                            <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-left-3 app-payment-client__action" on:click=pay>
                                "Pay undisputed lines"
                                <span class="govuk-visually-hidden">{format!(" of {}", client.client.display_name)}</span>
                            </button>
                        }
                    });
                let suspended = (which == Tab::NonPayable && !client.suspended_because.is_empty())
                    .then(|| {
                        view! {
                            <ul class="govuk-list govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">
                                {client
                                    .suspended_because
                                    .iter()
                                    .map(|reason| view! { <li>{format!("Suspended: {reason}")}</li> })
                                    .collect_view()}
                            </ul>
                        }
                    });
                let rows = lines
                    .into_iter()
                    .map(|line| {
                        view! {
                            <LineRow
                                line
                                client_name=client.client.display_name.clone()
                                rights
                                with_reasons
                                with_actions
                                columns
                                changes
                                open_line
                                line_reason
                            />
                        }
                    })
                    .collect_view();
                view! {
                    <tbody class="govuk-table__body app-payment-client">
                        <tr class="govuk-table__row">
                            <th scope="rowgroup" colspan=columns class="govuk-table__header app-payment-client__heading">
                                {client_heading(&client, which)}
                                {pay_undisputed}
                                {suspended}
                            </th>
                        </tr>
                        {rows}
                    </tbody>
                }
            })
            .collect_view();
        Some(
            view! {
                <table class="govuk-table app-payment-lines">
                    <caption class="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">{which.caption()}</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Cost / Income"</th>
                            <th scope="col" class="govuk-table__header">"Reason for Payment"</th>
                            <th scope="col" class="govuk-table__header">"Applicable Dates"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Amount"</th>
                            <th scope="col" class="govuk-table__header">"Status"</th>
                            {with_reasons.then(|| view! { <th scope="col" class="govuk-table__header">"Reason"</th> })}
                            {with_actions.then(|| view! { <th scope="col" class="govuk-table__header">"Action"</th> })}
                        </tr>
                    </thead>
                    {groups}
                </table>
            }
            .into_any(),
        )
    }
}

/// One line, its actions, and (when open) the form that gives a dispute's or a
/// cancellation's reason.
#[component]
fn LineRow(
    line: ScheduledLine,
    client_name: String,
    rights: LineRights,
    with_reasons: bool,
    with_actions: bool,
    columns: usize,
    changes: Changes,
    open_line: RwSignal<Option<(String, LineAction)>>,
    line_reason: RwSignal<String>,
) -> impl IntoView {
    let about = format!(" {} for {}", line.reason_for_payment, client_name);
    let key = line.key.clone();
    let open = {
        let key = key.clone();
        move |action: LineAction| {
            line_reason.set(String::new());
            changes.errors.set(Vec::new());
            open_line.set(Some((key.clone(), action)));
            request_animation_frame(|| focus_field(LINE_REASON_ID));
        }
    };
    let pay = {
        let key = key.clone();
        move |_| {
            let version = changes.version();
            let line_key = key.clone();
            open_line.set(None);
            changes.run("Line paid".to_owned(), move |token, period| async move {
                api::decide_payment_line(
                    &token,
                    &period,
                    &LineDecisionRequest {
                        version,
                        line_key,
                        decision: "pay".to_owned(),
                        reason: String::new(),
                    },
                )
                .await
            });
        }
    };
    let actions = with_actions.then(|| {
        let dispute = rights.may_dispute(&line).then(|| {
            let open = open.clone();
            let about = about.clone();
            view! {
                <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" on:click=move |_| open(LineAction::Dispute)>
                    "Dispute"<span class="govuk-visually-hidden">{about}</span>
                </button>
            }
        });
        let decide = rights.may_decide(&line).then(|| {
            let open = open.clone();
            let about_pay = about.clone();
            let about_cancel = about.clone();
            view! {
                <div class="govuk-button-group govuk-!-margin-bottom-0">
                    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" on:click=pay>
                        "Pay"<span class="govuk-visually-hidden">{about_pay}</span>
                    </button>
                    <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" on:click=move |_| open(LineAction::Cancel)>
                        "Cancel"<span class="govuk-visually-hidden">{about_cancel}</span>
                    </button>
                </div>
            }
        });
        view! { <td class="govuk-table__cell">{dispute}{decide}</td> }
    });
    let reason_cell = with_reasons.then(|| {
        view! { <td class="govuk-table__cell app-pre-line">{line.reason.clone()}</td> }
    });
    let disputed = line.disputed.then(|| {
        view! { <strong class="govuk-tag govuk-tag--orange govuk-!-margin-left-1">"Disputed"</strong> }
    });
    let form_key = key.clone();
    let form = move || {
        let action = open_line.with(|open| {
            open.as_ref()
                .filter(|(open_key, _)| *open_key == form_key)
                .map(|(_, action)| *action)
        })?;
        let key = form_key.clone();
        let submit = move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let reason = line_reason.get_untracked().trim().to_owned();
            if reason.is_empty() {
                changes
                    .errors
                    .set(vec![SummaryError::at(LINE_REASON_ID, action.missing())]);
                return;
            }
            let version = changes.version();
            let line_key = key.clone();
            open_line.set(None);
            changes.run(action.done().to_owned(), move |token, period| async move {
                api::decide_payment_line(
                    &token,
                    &period,
                    &LineDecisionRequest {
                        version,
                        line_key,
                        decision: action.decision().to_owned(),
                        reason,
                    },
                )
                .await
            });
        };
        let close = move |_| {
            open_line.set(None);
            changes.errors.set(Vec::new());
        };
        Some(view! {
            <tr class="govuk-table__row app-payment-line-form">
                <td class="govuk-table__cell" colspan=columns>
                    <form novalidate on:submit=submit>
                        <TextArea id=LINE_REASON_ID label=action.label() value=line_reason errors=changes.errors rows=3 />
                        <div class="govuk-button-group">
                            <button type="submit" class="govuk-button" data-module="govuk-button">{action.submit()}</button>
                            <button type="button" class="govuk-button govuk-button--secondary" on:click=close>"Close"</button>
                        </div>
                    </form>
                </td>
            </tr>
        })
    };
    view! {
        <tr class="govuk-table__row">
            <td class="govuk-table__cell">{cost_or_income(&line)}</td>
            <td class="govuk-table__cell">{line.reason_for_payment.clone()}</td>
            <td class="govuk-table__cell app-nowrap">{applicable_dates(&line.from, &line.to)}</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&line.amount)}</td>
            <td class="govuk-table__cell">{line.status_label.clone()}{disputed}</td>
            {reason_cell}
            {actions}
        </tr>
        {form}
    }
}

/// The provider's Confirm / Reject while the period is open.
#[component]
fn ProviderAnswer(
    detail: RwSignal<Option<PaymentPeriodDetail>>,
    council: Memo<bool>,
    changes: Changes,
    comment: RwSignal<String>,
    errors: RwSignal<Vec<SummaryError>>,
) -> impl IntoView {
    let open = move || {
        !council.get()
            && detail.with(|detail| {
                detail
                    .as_ref()
                    .is_some_and(|detail| detail.period.status == "open")
            })
    };
    let answer = move |answer: &'static str| {
        let text = comment.get_untracked().trim().to_owned();
        if answer == "reject" && text.is_empty() {
            errors.set(vec![SummaryError::at(
                COMMENT_ID,
                "Enter a comment to say why you reject the payment",
            )]);
            return;
        }
        let version = changes.version();
        let label = detail.with_untracked(|detail| {
            detail
                .as_ref()
                .map(|detail| detail.period.label.clone())
                .unwrap_or_default()
        });
        let done = match answer {
            "confirm" => format!("Payment period {label} confirmed"),
            _ => format!("Payment period {label} rejected"),
        };
        changes.run(done, move |token, period| async move {
            let result = api::answer_payment_period(
                &token,
                &period,
                &PeriodAnswer {
                    version,
                    answer: answer.to_owned(),
                    comment: text,
                },
            )
            .await;
            if result.is_ok() {
                comment.set(String::new());
            }
            result
        });
    };
    let answered = move || {
        detail.with(|detail| {
            detail
                .as_ref()
                .map(|detail| detail.period.provider_status.clone())
                .filter(|status| status != "unconfirmed")
        })
    };
    let form = move || {
        view! {
            <form novalidate class="app-payment-answer" on:submit=|event| event.prevent_default()>
                <TextArea
                    id=COMMENT_ID
                    label="Comments"
                    value=comment
                    errors
                    hint="Needed to reject; up to 2,000 characters."
                />
                <div class="govuk-button-group">
                    <button type="button" class="govuk-button" data-module="govuk-button" disabled=move || changes.busy.get() on:click=move |_| answer("confirm")>
                        "Confirm"
                    </button>
                    <button type="button" class="govuk-button govuk-button--warning" data-module="govuk-button" disabled=move || changes.busy.get() on:click=move |_| answer("reject")>
                        "Reject"
                    </button>
                </div>
            </form>
        }
    };
    // Once answered, the form waits behind "Change your answer": a provider who finds a
    // mistake can still reject, or confirm once it is put right, until the council authorises.
    let body = move || {
        match answered() {
        None => view! {
            <p class="govuk-body">
                "Confirm to tell the council that every actual for this period is in. Reject it, saying why, if the payments are not right."
            </p>
            {form()}
        }
        .into_any(),
        Some(status) => view! {
            <p class="govuk-body">{format!("You have {status} this period.")}</p>
            <details class="govuk-details">
                <summary class="govuk-details__summary">
                    <span class="govuk-details__summary-text">"Change your answer"</span>
                </summary>
                <div class="govuk-details__text">{form()}</div>
            </details>
        }
        .into_any(),
    }
    };
    view! {
        <Show when=open>
            <h2 class="govuk-heading-m">"Confirm or reject"</h2>
            {body}
        </Show>
    }
}

/// Council staff authorise an ended period, then finalise it (the payment run).
#[component]
fn CouncilActions(
    detail: RwSignal<Option<PaymentPeriodDetail>>,
    council: Memo<bool>,
    changes: Changes,
) -> impl IntoView {
    let status = move || {
        detail.with(|detail| {
            detail
                .as_ref()
                .map(|detail| detail.period.status.clone())
                .unwrap_or_default()
        })
    };
    let label = move || {
        detail.with_untracked(|detail| {
            detail
                .as_ref()
                .map(|detail| detail.period.label.clone())
                .unwrap_or_default()
        })
    };
    let authorise = move |_| {
        let version = changes.version();
        changes.run(
            format!("Payment period {} authorised", label()),
            move |token, period| async move {
                api::authorise_payment_period(&token, &period, version).await
            },
        );
    };
    let finalise = move |_| {
        let version = changes.version();
        changes.run(
            format!("Payment period {} finalised: it is paid", label()),
            move |token, period| async move {
                api::finalise_payment_period(&token, &period, version).await
            },
        );
    };
    move || {
        if !council.get() {
            return None;
        }
        match status().as_str() {
            "open" => Some(
                view! {
                    <h2 class="govuk-heading-m">"Authorise"</h2>
                    <p class="govuk-body">
                        "Authorise the period for payment once it has ended. Held lines can still be paid or cancelled until it is finalised."
                    </p>
                    <button type="button" class="govuk-button" data-module="govuk-button" disabled=move || changes.busy.get() on:click=authorise>
                        "Authorise"
                    </button>
                }
                .into_any(),
            ),
            "authorised" => Some(
                view! {
                    <h2 class="govuk-heading-m">"Finalise"</h2>
                    <p class="govuk-body">
                        "Finalising is the payment run: the payable lines are paid, and lines still held are carried forward to the next open period."
                    </p>
                    <button type="button" class="govuk-button" data-module="govuk-button" disabled=move || changes.busy.get() on:click=finalise>
                        "Finalise"
                    </button>
                }
                .into_any(),
            ),
            _ => None,
        }
    }
}

/// A paid period's remittance advice: on screen, or the CSV report.
#[component]
fn Remittance(detail: RwSignal<Option<PaymentPeriodDetail>>, changes: Changes) -> impl IntoView {
    let summary = RwSignal::new(false);
    let advice = RwSignal::new(None::<RemittanceAdvice>);
    let paid = move || {
        detail.with(|detail| {
            detail
                .as_ref()
                .is_some_and(|detail| detail.period.status == "finalised")
        })
    };
    let view_advice = move |_| {
        let Some(token) = changes.session.access_token() else {
            changes.session.sign_out();
            return;
        };
        let period = changes.period_id.get_untracked();
        let summary = summary.get_untracked();
        changes.errors.set(Vec::new());
        spawn_local(async move {
            match api::remittance_advice(&token, &period, summary).await {
                Ok(fresh) => advice.set(Some(fresh)),
                Err(problem) if problem.status == 401 => changes.session.sign_out(),
                Err(problem) => changes.errors.set(problem_lines(&problem)),
            }
        });
    };
    let download = move |_| {
        let Some(token) = changes.session.access_token() else {
            changes.session.sign_out();
            return;
        };
        let period = changes.period_id.get_untracked();
        let summary = summary.get_untracked();
        let name = detail.with_untracked(|detail| {
            detail.as_ref().map(|detail| {
                remittance_file_name(&detail.contract.name, &detail.period.start, summary)
            })
        });
        changes.errors.set(Vec::new());
        spawn_local(async move {
            match api::remittance_csv(&token, &period, summary).await {
                Ok(text) => {
                    let name = name.unwrap_or_else(|| "remittance.csv".to_owned());
                    if let Err(message) = crate::download::save_csv(&name, &text) {
                        changes.errors.set(vec![SummaryError::general(message)]);
                    }
                }
                Err(problem) if problem.status == 401 => changes.session.sign_out(),
                Err(problem) => changes.errors.set(problem_lines(&problem)),
            }
        });
    };
    view! {
        <Show when=paid>
            <h2 class="govuk-heading-m">"Remittance advice"</h2>
            <p class="govuk-body">"What this period paid, for your books."</p>
            <div class="govuk-form-group">
                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                    <div class="govuk-checkboxes__item">
                        <input
                            class="govuk-checkboxes__input"
                            id="remittance-summary"
                            name="remittance-summary"
                            type="checkbox"
                            aria-describedby="remittance-summary-hint"
                            prop:checked=move || summary.get()
                            on:change=move |event| summary.set(event_target_checked(&event))
                        />
                        <label class="govuk-label govuk-checkboxes__label" for="remittance-summary">"Summary"</label>
                        <div id="remittance-summary-hint" class="govuk-hint govuk-checkboxes__hint">
                            "One row per client with the client's total"
                        </div>
                    </div>
                </div>
            </div>
            <div class="govuk-button-group">
                <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" on:click=view_advice>
                    "View remittance advice"
                </button>
                <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" on:click=download>
                    "Download Remittance Advice Report"
                </button>
            </div>
            {move || advice.get().map(|advice| view! { <RemittanceTable advice /> })}
        </Show>
    }
}

#[component]
fn RemittanceTable(advice: RemittanceAdvice) -> impl IntoView {
    let summary = advice.summary;
    let paid_on = date_text(
        advice
            .finalised_at
            .get(..10)
            .unwrap_or(&advice.finalised_at),
    );
    let caption = if summary {
        format!("Remittance advice summary, paid on {paid_on}")
    } else {
        format!("Remittance advice, paid on {paid_on}")
    };
    let rows = advice
        .rows
        .iter()
        .map(|row| {
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{row.client.clone()}</td>
                    {(!summary).then(|| view! { <td class="govuk-table__cell">{row.item.clone()}</td> })}
                    <td class="govuk-table__cell app-nowrap">{applicable_dates(&row.from, &row.to)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&row.amount)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&row.vat)}</td>
                    {(!summary).then(|| view! { <td class="govuk-table__cell">{row.status.clone()}</td> })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="govuk-table app-remittance">
            <caption class="govuk-table__caption govuk-table__caption--s">{caption}</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Client"</th>
                    {(!summary).then(|| view! { <th scope="col" class="govuk-table__header">"Item"</th> })}
                    <th scope="col" class="govuk-table__header">"Applicable Dates"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Amount"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"VAT"</th>
                    {(!summary).then(|| view! { <th scope="col" class="govuk-table__header">"Status"</th> })}
                </tr>
            </thead>
            <tbody class="govuk-table__body">{rows}</tbody>
        </table>
        <dl class="govuk-summary-list app-remittance-totals">
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Paid (excluding VAT)"</dt>
                <dd class="govuk-summary-list__value">{money_text(&advice.paid)}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"VAT"</dt>
                <dd class="govuk-summary-list__value">{money_text(&advice.vat)}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Total"</dt>
                <dd class="govuk-summary-list__value">{money_text(&advice.total)}</dd>
            </div>
        </dl>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn line(key: &str, status: &str, amount: &str, disputed: bool) -> ScheduledLine {
        serde_json::from_value(json!({
            "key": key,
            "kind": "cost",
            "cpli_id": "1564",
            "service_level_id": "1",
            "reason_for_payment": "Homecare Flexible - Bradford - Single-handed (Hour), Spot.",
            "service_name": "Ally Pally Home Care",
            "from": "2022-06-06",
            "to": "2022-06-12",
            "amount": amount,
            "vat": "0.00",
            "status": status,
            "status_label": "",
            "reason": "",
            "disputed": disputed,
        }))
        .unwrap()
    }

    fn sid(lines: Vec<ScheduledLine>) -> ClientPayment {
        serde_json::from_value(json!({
            "client": {
                "id": "4",
                "ssref": "8c846000",
                "display_name": "Mr Sid Waddell",
                "sort_name": "Waddell, Sid",
            },
            "lines": lines,
            "payable": "0.00",
            "non_payable": "60.00",
            "payable_vat": "0.00",
            "suspended_because": [],
        }))
        .unwrap()
    }

    #[test]
    fn pay_lines_are_payable_and_the_rest_are_not() {
        let pay = line("a", "pay", "20.00", false);
        let held = line("b", "suspend", "40.00", false);
        let carried = line("c", "carry_forward", "20.00", false);
        assert!(Tab::Payable.shows(&pay));
        assert!(!Tab::NonPayable.shows(&pay));
        assert!(Tab::NonPayable.shows(&held));
        assert!(Tab::NonPayable.shows(&carried));
        assert!(!Tab::Payable.shows(&held));
    }

    #[test]
    fn each_client_is_headed_as_the_guides_show_it() {
        let client = sid(vec![]);
        assert_eq!(
            client_heading(&client, Tab::NonPayable),
            "Mr Sid Waddell (8c846000) (Total: £60.00)"
        );
        assert_eq!(
            client_heading(&client, Tab::Payable),
            "Mr Sid Waddell (8c846000) (Total: £0.00)"
        );
        assert_eq!(
            applicable_dates("2022-06-06", "2022-06-12"),
            "06/06/2022 - 12/06/2022"
        );
    }

    #[test]
    fn money_taken_back_is_income() {
        assert_eq!(cost_or_income(&line("a", "pay", "20.00", false)), "Cost");
        assert_eq!(cost_or_income(&line("a", "pay", "-20.00", false)), "Income");
        assert_eq!(cost_or_income(&line("a", "pay", "0.00", false)), "Cost");
    }

    #[test]
    fn providers_dispute_and_council_staff_decide_held_lines() {
        let provider = LineRights::of(false, "open");
        let staff = LineRights::of(true, "open");
        let pay = line("a", "pay", "20.00", false);
        let held = line("b", "suspend", "40.00", false);
        let disputed = line("c", "suspend", "20.00", true);
        assert!(provider.may_dispute(&pay));
        assert!(!provider.may_dispute(&disputed));
        assert!(!provider.may_decide(&held));
        assert!(!staff.may_dispute(&pay));
        assert!(staff.may_decide(&held));
        assert!(staff.may_decide(&disputed));
        assert!(!staff.may_decide(&pay));
        assert!(staff.may_pay_undisputed(&sid(vec![held.clone(), disputed.clone()])));
        assert!(!staff.may_pay_undisputed(&sid(vec![disputed.clone()])));
        // Once authorised only council staff's decisions remain; once paid, nothing.
        assert!(!LineRights::of(false, "authorised").may_dispute(&pay));
        assert!(LineRights::of(true, "authorised").may_decide(&held));
        assert!(!LineRights::of(true, "finalised").may_decide(&held));
    }

    #[test]
    fn the_report_is_named_as_the_server_names_it() {
        assert_eq!(
            remittance_file_name("Ally Pally Care", "2022-05-02", false),
            "remittance-Ally-Pally-Care-2022-05-02.csv"
        );
        assert_eq!(
            remittance_file_name("Ally Pally Care", "2022-05-02", true),
            "remittance-Ally-Pally-Care-2022-05-02-summary.csv"
        );
    }

    #[test]
    fn a_refused_change_names_the_field_on_this_page() {
        let problem: Problem = serde_json::from_value(json!({
            "type": "about:blank",
            "title": "Some fields are not valid",
            "status": 422,
            "detail": "Some fields are not valid",
            "errors": [{ "field": "comment", "message": "Say why you reject the payment" }],
        }))
        .unwrap();
        assert_eq!(
            problem_lines(&problem),
            [SummaryError::at(
                COMMENT_ID,
                "Say why you reject the payment"
            )]
        );
        let stale: Problem = serde_json::from_value(json!({
            "type": "about:blank",
            "title": "Conflict",
            "status": 409,
            "detail": "This period runs until 12/06/2022: authorise it once it has ended.",
        }))
        .unwrap();
        assert_eq!(
            problem_lines(&stale),
            [SummaryError::general(
                "This period runs until 12/06/2022: authorise it once it has ended."
            )]
        );
    }
}
