//! The one typed client of the portal's REST API (`/api/v1`, API.md).
//!
//! Every call goes through [`send`]: it adds the bearer token, sends and reads JSON, and
//! turns anything but a 2xx into the server's own [`Problem`], so pages handle one error
//! type whatever went wrong (a refused login, a stale version, a dropped connection).

use gloo_net::http::{Request, RequestBuilder, Response};
use portal_dto::{
    Account, AccountCreated, ActionType, BankHoliday, ChallengeAnswer, ChangePassword,
    ChangeSecurityCode, Client, ClientWeek, Contract, CouncilSettings, CpliSummary, DatedRate,
    Deactivate, DisputeReason, Edited, ForgotPassword, GenerateOutcome, LoginChallenge,
    LoginRequest, NewAccount, NewBankHoliday, NewClient, NewContract, NewCpli, NewCpliVersion,
    NewOrganisation, NewPassword, NewSecurityCode, NewService, NewServiceLevel, Notice,
    Organisation, OutboxMail, Page, Problem, RateChange, ResetPassword, ServiceDetails,
    ServiceLevel, ServiceSummary, ServiceWeek, SessionToken, UpdateClient, UpdateClientWeek,
    UpdateContract, UpdateCouncilSettings, UpdateOrganisation, UpdateService, UpdateServiceLevel,
    VatRate, WeekSummary,
};
use serde::{de::DeserializeOwned, Serialize};

const BASE: &str = "/api/v1";

/// Makes a call with the session's bearer token, or fails as signed out when there is none.
pub async fn with_token<T, F, Fut>(token: Option<String>, call: F) -> ApiResult<T>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = ApiResult<T>>,
{
    match token {
        Some(token) => call(token).await,
        None => Err(crate::components::problem::signed_out()),
    }
}

/// The HTTP status a problem carries when no response came back at all.
pub const NO_RESPONSE: u16 = 0;

pub type ApiResult<T> = Result<T, Problem>;

/// What a request sends besides its URL.
enum Body<'a, B: Serialize> {
    None,
    Json(&'a B),
    /// A CSV file's text.
    Csv(String),
    /// A file's bytes, with its media type.
    File {
        content_type: String,
        bytes: Vec<u8>,
    },
}

/// Sends one request and decodes the 2xx JSON body, or the problem of any other status.
async fn send<T, B>(builder: RequestBuilder, token: Option<&str>, body: Body<'_, B>) -> ApiResult<T>
where
    T: DeserializeOwned,
    B: Serialize,
{
    let response = respond(builder, token, body).await?;
    response.json::<T>().await.map_err(|error| {
        client_problem(
            "The portal sent an answer this page cannot read",
            &error.to_string(),
        )
    })
}

/// Sends one request whose success has no body (204 No Content).
async fn send_without_answer(builder: RequestBuilder, token: Option<&str>) -> ApiResult<()> {
    respond(builder, token, NO_BODY).await.map(|_| ())
}

/// Sends one request: the 2xx response, or the problem of any other status.
async fn respond<B: Serialize>(
    builder: RequestBuilder,
    token: Option<&str>,
    body: Body<'_, B>,
) -> ApiResult<Response> {
    let builder = builder.header("Accept", "application/json");
    let builder = match token {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    };
    let request = match body {
        Body::None => builder.build(),
        Body::Json(value) => builder.json(value),
        Body::Csv(text) => builder.header("Content-Type", "text/csv").body(text),
        Body::File {
            content_type,
            bytes,
        } => builder
            .header("Content-Type", &content_type)
            .body(js_sys::Uint8Array::from(bytes.as_slice())),
    }
    .map_err(|error| client_problem("The request could not be made", &error.to_string()))?;
    let response = request.send().await.map_err(|_| {
        client_problem(
            "The portal could not be reached",
            "Check your connection and try again.",
        )
    })?;
    if response.ok() {
        Ok(response)
    } else {
        Err(problem_of(response).await)
    }
}

/// Reads an error response as RFC 9457 problem details, leniently: a proxy's HTML error page
/// or a problem missing optional members must still give the user a sentence to read.
async fn problem_of(response: Response) -> Problem {
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let member = |name: &str| {
        value
            .get(name)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let title = member("title").unwrap_or_else(|| fallback_title(status).to_owned());
    let errors = value
        .get("errors")
        .cloned()
        .and_then(|errors| serde_json::from_value(errors).ok())
        .unwrap_or_default();
    Problem {
        problem_type: member("type").unwrap_or_else(|| "about:blank".to_owned()),
        detail: member("detail").unwrap_or_else(|| title.clone()),
        title,
        status,
        errors,
    }
}

fn fallback_title(status: u16) -> &'static str {
    match status {
        401 => "You need to sign in again",
        403 => "You are not allowed to do that",
        404 => "Not found",
        409 => "Someone else changed this first",
        422 => "Some fields are not valid",
        500..=599 => "Sorry, there is a problem with the service",
        _ => "Something went wrong",
    }
}

fn client_problem(title: &str, detail: &str) -> Problem {
    Problem {
        problem_type: "about:blank".to_owned(),
        title: title.to_owned(),
        status: NO_RESPONSE,
        detail: detail.to_owned(),
        errors: Vec::new(),
    }
}

/// `?a=1&b=2` from the pairs whose value is not empty (an empty filter means "all").
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| {
            format!(
                "{name}={}",
                String::from(js_sys::encode_uri_component(value))
            )
        })
        .collect();
    if encoded.is_empty() {
        String::new()
    } else {
        format!("?{}", encoded.join("&"))
    }
}

fn segment(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

const NO_BODY: Body<'static, ()> = Body::None;

/// Step one of signing in: the password.
pub async fn login(request: &LoginRequest) -> ApiResult<LoginChallenge> {
    send(
        Request::post(&format!("{BASE}/auth/login")),
        None,
        Body::Json(request),
    )
    .await
}

/// Step two: the asked-for digits of the security code.
pub async fn answer_challenge(answer: &ChallengeAnswer) -> ApiResult<SessionToken> {
    send(
        Request::post(&format!("{BASE}/auth/login/challenge")),
        None,
        Body::Json(answer),
    )
    .await
}

/// First sign-in, step 1: the person's own password replaces the one they were given.
pub async fn first_sign_in_password(request: &NewPassword) -> ApiResult<()> {
    respond(
        Request::post(&format!("{BASE}/auth/first-sign-in/password")),
        None,
        Body::Json(request),
    )
    .await
    .map(|_| ())
}

/// First sign-in, step 2: the security code; answers with the new session.
pub async fn first_sign_in_security_code(request: &NewSecurityCode) -> ApiResult<SessionToken> {
    send(
        Request::post(&format!("{BASE}/auth/first-sign-in/security-code")),
        None,
        Body::Json(request),
    )
    .await
}

/// Council staff: every account of the council, with who is locked.
pub async fn accounts(token: &str) -> ApiResult<Page<Account>> {
    send(
        Request::get(&format!("{BASE}/accounts")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// Council staff: a new account, with its one-time password (shown once).
pub async fn create_account(token: &str, account: &NewAccount) -> ApiResult<AccountCreated> {
    send(
        Request::post(&format!("{BASE}/accounts")),
        Some(token),
        Body::Json(account),
    )
    .await
}

/// Council staff: unlocks an account.
pub async fn unlock_account(token: &str, account_id: &str) -> ApiResult<Account> {
    let url = format!("{BASE}/accounts/{}/unlock", segment(account_id));
    send(Request::post(&url), Some(token), NO_BODY).await
}

/// Changes the signed-in user's password; their other sessions end. The cookie goes too, so
/// this session is the one kept.
pub async fn change_password(token: &str, change: &ChangePassword) -> ApiResult<()> {
    respond(
        Request::post(&format!("{BASE}/auth/password")),
        Some(token),
        Body::Json(change),
    )
    .await
    .map(|_| ())
}

/// Changes the signed-in user's security code.
pub async fn change_security_code(token: &str, change: &ChangeSecurityCode) -> ApiResult<()> {
    respond(
        Request::post(&format!("{BASE}/auth/security-code")),
        Some(token),
        Body::Json(change),
    )
    .await
    .map(|_| ())
}

/// "Forgot password": the same notice whether or not the account exists.
pub async fn forgot_password(request: &ForgotPassword) -> ApiResult<Notice> {
    send(
        Request::post(&format!("{BASE}/auth/forgot-password")),
        None,
        Body::Json(request),
    )
    .await
}

/// Sets a new password from a reset link's token.
pub async fn reset_password(request: &ResetPassword) -> ApiResult<()> {
    respond(
        Request::post(&format!("{BASE}/auth/reset-password")),
        None,
        Body::Json(request),
    )
    .await
    .map(|_| ())
}

/// The demo's outbox (404 where mail goes out by SMTP).
pub async fn demo_outbox() -> ApiResult<Page<OutboxMail>> {
    send(Request::get(&format!("{BASE}/demo/outbox")), None, NO_BODY).await
}

/// Renews the session from the HttpOnly refresh cookie, which the browser sends itself.
pub async fn refresh() -> ApiResult<SessionToken> {
    send(
        Request::post(&format!("{BASE}/auth/refresh")),
        None,
        NO_BODY,
    )
    .await
}

/// Ends the session the refresh cookie belongs to, and clears the cookie.
pub async fn logout() -> ApiResult<()> {
    send_without_answer(Request::post(&format!("{BASE}/auth/logout")), None).await
}

pub async fn services(token: &str) -> ApiResult<Page<ServiceSummary>> {
    send(
        Request::get(&format!("{BASE}/services")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// The weeks of a service from `from` to `to` (ISO dates), for the calendar's marks.
pub async fn weeks(
    token: &str,
    service_id: &str,
    from: &str,
    to: &str,
) -> ApiResult<Page<WeekSummary>> {
    let url = format!(
        "{BASE}/services/{}/weeks{}",
        segment(service_id),
        query_string(&[("from", from), ("to", to)])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// The grid's filters, named as the API names them; empty means "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeekFilters {
    pub service_level: String,
    pub client: String,
    /// `true`, `false` or empty.
    pub has_actuals: String,
}

pub async fn service_week(
    token: &str,
    service_id: &str,
    week: &str,
    filters: &WeekFilters,
) -> ApiResult<ServiceWeek> {
    let url = format!(
        "{BASE}/services/{}/weeks/{}/actuals{}",
        segment(service_id),
        segment(week),
        query_string(&[
            ("service_level", &filters.service_level),
            ("client", &filters.client),
            ("has_actuals", &filters.has_actuals),
        ])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

pub async fn generate_actuals(
    token: &str,
    service_id: &str,
    week: &str,
) -> ApiResult<GenerateOutcome> {
    let url = format!(
        "{BASE}/services/{}/weeks/{}/actuals/generate",
        segment(service_id),
        segment(week)
    );
    send(Request::post(&url), Some(token), NO_BODY).await
}

pub async fn update_client_week(
    token: &str,
    service_id: &str,
    week: &str,
    client_id: &str,
    update: &UpdateClientWeek,
) -> ApiResult<ClientWeek> {
    let url = format!(
        "{BASE}/services/{}/weeks/{}/clients/{}/actuals",
        segment(service_id),
        segment(week),
        segment(client_id)
    );
    send(Request::put(&url), Some(token), Body::Json(update)).await
}

/// The Care Package Line Items list's filters, named as the API names them; an empty id
/// means "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CpliFilters {
    pub service: String,
    pub client: String,
    pub service_level: String,
    /// Also CPLIs whose end date has passed.
    pub include_historical: bool,
    /// Also CPLIs the council has not authorised yet.
    pub include_unauthorised: bool,
}

impl CpliFilters {
    /// Every CPLI the caller may see, whatever its dates or authorisation.
    pub fn everything() -> CpliFilters {
        CpliFilters {
            include_historical: true,
            include_unauthorised: true,
            ..CpliFilters::default()
        }
    }

    /// The pairs of a query string, without the empty ones and the default `false`s, so
    /// the API's URL and the page's URL read the same.
    pub fn query_pairs(&self) -> Vec<(&'static str, &str)> {
        let flag = |on: bool| if on { "true" } else { "" };
        vec![
            ("service", self.service.as_str()),
            ("client", self.client.as_str()),
            ("service_level", self.service_level.as_str()),
            ("include_historical", flag(self.include_historical)),
            ("include_unauthorised", flag(self.include_unauthorised)),
        ]
    }
}

/// The care package line items the caller may see, ordered by client.
pub async fn cplis(token: &str, filters: &CpliFilters) -> ApiResult<Page<CpliSummary>> {
    let url = format!("{BASE}/cplis{}", query_string(&filters.query_pairs()));
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// The versions of one CPLI, oldest first.
pub async fn cpli_versions(token: &str, cpli_id: &str) -> ApiResult<Page<CpliSummary>> {
    let url = format!("{BASE}/cplis/{}/versions", segment(cpli_id));
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// Council staff: a new care package line item; answers with its first version.
pub async fn create_cpli(token: &str, cpli: &NewCpli) -> ApiResult<CpliSummary> {
    send(
        Request::post(&format!("{BASE}/cplis")),
        Some(token),
        Body::Json(cpli),
    )
    .await
}

/// Council staff: a change to a CPLI from a date; answers with every version.
pub async fn add_cpli_version(
    token: &str,
    cpli_id: &str,
    version: &NewCpliVersion,
) -> ApiResult<Page<CpliSummary>> {
    let url = format!("{BASE}/cplis/{}/versions", segment(cpli_id));
    send(Request::post(&url), Some(token), Body::Json(version)).await
}

/// Council staff: the council's clients whose SSRef or name contains `search` (all when empty).
pub async fn clients(token: &str, search: &str) -> ApiResult<Page<Client>> {
    let url = format!("{BASE}/clients{}", query_string(&[("search", search)]));
    send(Request::get(&url), Some(token), NO_BODY).await
}

pub async fn create_client(token: &str, client: &NewClient) -> ApiResult<Client> {
    send(
        Request::post(&format!("{BASE}/clients")),
        Some(token),
        Body::Json(client),
    )
    .await
}

pub async fn edit_client(token: &str, client_id: &str, edit: &UpdateClient) -> ApiResult<Edited> {
    let url = format!("{BASE}/clients/{}", segment(client_id));
    send(Request::put(&url), Some(token), Body::Json(edit)).await
}

/// A provider's own organisations, or all of the council's for council staff.
pub async fn organisations(token: &str) -> ApiResult<Page<Organisation>> {
    send(
        Request::get(&format!("{BASE}/organisations")),
        Some(token),
        NO_BODY,
    )
    .await
}

pub async fn create_organisation(
    token: &str,
    organisation: &NewOrganisation,
) -> ApiResult<Organisation> {
    send(
        Request::post(&format!("{BASE}/organisations")),
        Some(token),
        Body::Json(organisation),
    )
    .await
}

/// Council staff: contracts, one organisation's when `organisation` is not empty.
pub async fn contracts(token: &str, organisation: &str) -> ApiResult<Page<Contract>> {
    let url = format!(
        "{BASE}/contracts{}",
        query_string(&[("organisation", organisation)])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

pub async fn create_contract(token: &str, contract: &NewContract) -> ApiResult<Contract> {
    send(
        Request::post(&format!("{BASE}/contracts")),
        Some(token),
        Body::Json(contract),
    )
    .await
}

/// One service with its address.
pub async fn service(token: &str, service_id: &str) -> ApiResult<ServiceDetails> {
    let url = format!("{BASE}/services/{}", segment(service_id));
    send(Request::get(&url), Some(token), NO_BODY).await
}

pub async fn create_service(token: &str, service: &NewService) -> ApiResult<ServiceSummary> {
    send(
        Request::post(&format!("{BASE}/services")),
        Some(token),
        Body::Json(service),
    )
    .await
}

/// Council staff: service levels with their dated rates, one contract's when `contract` is
/// not empty.
pub async fn service_levels(token: &str, contract: &str) -> ApiResult<Page<ServiceLevel>> {
    let url = format!(
        "{BASE}/service-levels{}",
        query_string(&[("contract", contract)])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

pub async fn create_service_level(token: &str, level: &NewServiceLevel) -> ApiResult<ServiceLevel> {
    send(
        Request::post(&format!("{BASE}/service-levels")),
        Some(token),
        Body::Json(level),
    )
    .await
}

/// Council staff: a service level's new rate from a date; every CPLI it prices gets a
/// new version from that day.
pub async fn add_rate(token: &str, level_id: &str, rate: &DatedRate) -> ApiResult<RateChange> {
    let url = format!("{BASE}/service-levels/{}/rates", segment(level_id));
    send(Request::post(&url), Some(token), Body::Json(rate)).await
}

pub async fn council_settings(token: &str) -> ApiResult<CouncilSettings> {
    send(
        Request::get(&format!("{BASE}/council/settings")),
        Some(token),
        NO_BODY,
    )
    .await
}

pub async fn update_council_settings(
    token: &str,
    settings: &UpdateCouncilSettings,
) -> ApiResult<CouncilSettings> {
    send(
        Request::put(&format!("{BASE}/council/settings")),
        Some(token),
        Body::Json(settings),
    )
    .await
}

/// The council's bank holidays in one calendar year.
pub async fn bank_holidays(token: &str, year: i32) -> ApiResult<Page<BankHoliday>> {
    let url = format!(
        "{BASE}/council/bank-holidays{}",
        query_string(&[("year", &year.to_string())])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

pub async fn add_bank_holiday(token: &str, holiday: &NewBankHoliday) -> ApiResult<BankHoliday> {
    send(
        Request::post(&format!("{BASE}/council/bank-holidays")),
        Some(token),
        Body::Json(holiday),
    )
    .await
}

/// Removes the bank holiday on an ISO date.
pub async fn remove_bank_holiday(token: &str, date: &str) -> ApiResult<()> {
    let url = format!("{BASE}/council/bank-holidays/{}", segment(date));
    send_without_answer(Request::delete(&url), Some(token)).await
}

pub async fn action_types(token: &str) -> ApiResult<Page<ActionType>> {
    send(
        Request::get(&format!("{BASE}/council/action-types")),
        Some(token),
        NO_BODY,
    )
    .await
}

pub async fn dispute_reasons(token: &str) -> ApiResult<Page<DisputeReason>> {
    send(
        Request::get(&format!("{BASE}/council/dispute-reasons")),
        Some(token),
        NO_BODY,
    )
    .await
}

pub async fn vat_rates(token: &str) -> ApiResult<Page<VatRate>> {
    send(
        Request::get(&format!("{BASE}/council/vat-rates")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// One organisation, with the version an edit sends back.
pub async fn organisation(token: &str, organisation_id: &str) -> ApiResult<Organisation> {
    let url = format!("{BASE}/organisations/{}", segment(organisation_id));
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// Council staff: edits an organisation; a stale version gets 409.
pub async fn edit_organisation(
    token: &str,
    organisation_id: &str,
    edit: &UpdateOrganisation,
) -> ApiResult<Edited> {
    let url = format!("{BASE}/organisations/{}", segment(organisation_id));
    send(Request::put(&url), Some(token), Body::Json(edit)).await
}

/// Council staff: edits a service level's names and reporting codes (its rate changes by
/// [`add_rate`]).
pub async fn edit_service_level(
    token: &str,
    level_id: &str,
    edit: &UpdateServiceLevel,
) -> ApiResult<Edited> {
    let url = format!("{BASE}/service-levels/{}", segment(level_id));
    send(Request::put(&url), Some(token), Body::Json(edit)).await
}

/// Council staff: edits a service's name and address.
pub async fn edit_service(
    token: &str,
    service_id: &str,
    edit: &UpdateService,
) -> ApiResult<Edited> {
    let url = format!("{BASE}/services/{}", segment(service_id));
    send(Request::put(&url), Some(token), Body::Json(edit)).await
}

/// Council staff: edits a contract's terms; answers with the contract as saved.
pub async fn edit_contract(
    token: &str,
    contract_id: &str,
    edit: &UpdateContract,
) -> ApiResult<Contract> {
    let url = format!("{BASE}/contracts/{}", segment(contract_id));
    send(Request::put(&url), Some(token), Body::Json(edit)).await
}

/// Council staff: retires a record (`kind` is `organisations`, `contracts`, `services`,
/// `service-levels` or `clients`); it keeps its history.
pub async fn deactivate(token: &str, kind: &str, id: &str, version: i64) -> ApiResult<Edited> {
    let url = format!("{BASE}/{}/{}/deactivate", segment(kind), segment(id));
    send(
        Request::post(&url),
        Some(token),
        Body::Json(&Deactivate { version }),
    )
    .await
}

/// The signed-in user as the server knows them now (after setting up an authenticator, say).
pub async fn me(token: &str) -> ApiResult<portal_dto::Me> {
    send(Request::get(&format!("{BASE}/me")), Some(token), NO_BODY).await
}

/// Starts setting up an authenticator app: a QR code and the secret (409 when one is set
/// up already). Starting again replaces a secret not yet confirmed.
pub async fn begin_authenticator(token: &str) -> ApiResult<portal_dto::AuthenticatorEnrolment> {
    send(
        Request::post(&format!("{BASE}/auth/authenticator")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// Confirms the app with the code it shows now; answers with ten recovery codes, shown once.
pub async fn confirm_authenticator(
    token: &str,
    confirmation: &portal_dto::ConfirmAuthenticator,
) -> ApiResult<portal_dto::RecoveryCodes> {
    send(
        Request::post(&format!("{BASE}/auth/authenticator/confirm")),
        Some(token),
        Body::Json(confirmation),
    )
    .await
}

/// Removes the authenticator app and its recovery codes; the password is asked again.
pub async fn remove_authenticator(
    token: &str,
    removal: &portal_dto::RemoveAuthenticator,
) -> ApiResult<()> {
    respond(
        Request::post(&format!("{BASE}/auth/authenticator/remove")),
        Some(token),
        Body::Json(removal),
    )
    .await
    .map(|_| ())
}

/// Council staff: every tool's client credentials, without secrets.
pub async fn tool_clients(token: &str) -> ApiResult<Page<portal_dto::ToolClient>> {
    send(
        Request::get(&format!("{BASE}/tool-clients")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// Council staff: issues credentials to a tool; the secret is in this answer only.
pub async fn create_tool_client(
    token: &str,
    tool: &portal_dto::NewToolClient,
) -> ApiResult<portal_dto::ToolCredentials> {
    send(
        Request::post(&format!("{BASE}/tool-clients")),
        Some(token),
        Body::Json(tool),
    )
    .await
}

/// Council staff: a new secret for a tool; the old one and its tokens stop at once.
pub async fn rotate_tool_secret(
    token: &str,
    tool_id: &str,
) -> ApiResult<portal_dto::ToolCredentials> {
    let url = format!("{BASE}/tool-clients/{}/rotate", segment(tool_id));
    send(Request::post(&url), Some(token), NO_BODY).await
}

/// Council staff: revokes a tool for good.
pub async fn revoke_tool_client(token: &str, tool_id: &str) -> ApiResult<portal_dto::ToolClient> {
    let url = format!("{BASE}/tool-clients/{}/revoke", segment(tool_id));
    send(Request::post(&url), Some(token), NO_BODY).await
}

/// Every change to a client's week, oldest first.
pub async fn client_week_history(
    token: &str,
    service_id: &str,
    week: &str,
    client_id: &str,
) -> ApiResult<Page<portal_dto::ActualChange>> {
    let url = format!(
        "{BASE}/services/{}/weeks/{}/clients/{}/history",
        segment(service_id),
        segment(week),
        segment(client_id)
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// Confirms a client's week as read at `version`.
pub async fn confirm_client_week(
    token: &str,
    service_id: &str,
    week: &str,
    client_id: &str,
    version: i64,
) -> ApiResult<ClientWeek> {
    let url = format!(
        "{BASE}/services/{}/weeks/{}/clients/{}/confirm",
        segment(service_id),
        segment(week),
        segment(client_id)
    );
    send(
        Request::post(&url),
        Some(token),
        Body::Json(&portal_dto::ConfirmClientWeek { version }),
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Bulk files (DOMAIN 4.8): exports as CSV text, and a file of actuals imported through a
// checked preview.

/// A CSV export's text; `path_and_query` asks for CSV with `format=csv`.
async fn csv_export(token: &str, path_and_query: &str) -> ApiResult<String> {
    let response = respond(
        Request::get(&format!("{BASE}{path_and_query}")),
        Some(token),
        NO_BODY,
    )
    .await?;
    response
        .text()
        .await
        .map_err(|error| client_problem("The file could not be read", &error.to_string()))
}

/// A service's actuals between two weeks (days `YYYY-MM-DD`), as the CSV file.
pub async fn export_actuals_csv(
    token: &str,
    service_id: &str,
    from: &str,
    to: &str,
) -> ApiResult<String> {
    let query = query_string(&[("from", from), ("to", to), ("format", "csv")]);
    csv_export(
        token,
        &format!("/services/{}/actuals{query}", segment(service_id)),
    )
    .await
}

/// A service's commissioned care (its care package line items), as the CSV file.
pub async fn commissioned_care_csv(token: &str, service_id: &str) -> ApiResult<String> {
    csv_export(
        token,
        &format!(
            "/services/{}/commissioned-care?format=csv",
            segment(service_id)
        ),
    )
    .await
}

/// Uploads a CSV file of actuals to be checked; nothing is written until it is committed.
pub async fn preview_import(
    token: &str,
    service_id: &str,
    reference: &str,
    csv: String,
) -> ApiResult<portal_dto::ActualsImport> {
    let query = query_string(&[("reference", reference)]);
    send::<_, ()>(
        Request::post(&format!(
            "{BASE}/services/{}/imports{query}",
            segment(service_id)
        )),
        Some(token),
        Body::Csv(csv),
    )
    .await
}

/// "Update system": writes every valid line of a checked import.
pub async fn commit_import(token: &str, import_id: &str) -> ApiResult<portal_dto::ActualsImport> {
    send(
        Request::post(&format!("{BASE}/imports/{}/commit", segment(import_id))),
        Some(token),
        NO_BODY,
    )
    .await
}

/// Council staff lock a service's week, saying why; answers with the week as providers see it.
pub async fn lock_week(
    token: &str,
    service_id: &str,
    week: &str,
    reason: &str,
) -> ApiResult<portal_dto::ServiceWeek> {
    let url = format!(
        "{BASE}/services/{}/weeks/{}/lock",
        segment(service_id),
        segment(week)
    );
    send(
        Request::post(&url),
        Some(token),
        Body::Json(&portal_dto::LockWeek {
            reason: reason.to_owned(),
        }),
    )
    .await
}

/// Council staff unlock a service's week.
pub async fn unlock_week(
    token: &str,
    service_id: &str,
    week: &str,
) -> ApiResult<portal_dto::ServiceWeek> {
    let url = format!(
        "{BASE}/services/{}/weeks/{}/unlock",
        segment(service_id),
        segment(week)
    );
    send(Request::post(&url), Some(token), NO_BODY).await
}

// Scheduled payments (DOMAIN 5): a contract's payment periods, the provider's answer, the
// council's decisions, authorising and the payment run, and the remittance advice.

/// The contracts whose scheduled payments the caller may see.
pub async fn payment_contracts(token: &str) -> ApiResult<Page<portal_dto::PaymentContract>> {
    send(
        Request::get(&format!("{BASE}/payment-contracts")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// A contract's payment periods that start in a financial year ("2022/2023"), newest first.
pub async fn payment_periods(
    token: &str,
    contract_id: &str,
    financial_year: &str,
) -> ApiResult<Page<portal_dto::PaymentPeriodSummary>> {
    let query = query_string(&[("financial_year", financial_year)]);
    send(
        Request::get(&format!(
            "{BASE}/contracts/{}/payment-periods{query}",
            segment(contract_id)
        )),
        Some(token),
        NO_BODY,
    )
    .await
}

/// One payment period in full: its lines per client, totals and care package line items.
pub async fn payment_period(
    token: &str,
    period_id: &str,
) -> ApiResult<portal_dto::PaymentPeriodDetail> {
    send(
        Request::get(&format!("{BASE}/payment-periods/{}", segment(period_id))),
        Some(token),
        NO_BODY,
    )
    .await
}

/// A change to a period (`action` is the path's last segment), answered with the period.
async fn change_period<B: Serialize>(
    token: &str,
    period_id: &str,
    action: &str,
    body: &B,
) -> ApiResult<portal_dto::PaymentPeriodDetail> {
    send(
        Request::post(&format!(
            "{BASE}/payment-periods/{}/{action}",
            segment(period_id)
        )),
        Some(token),
        Body::Json(body),
    )
    .await
}

/// The provider confirms or rejects a period (a rejection needs a comment).
pub async fn answer_payment_period(
    token: &str,
    period_id: &str,
    answer: &portal_dto::PeriodAnswer,
) -> ApiResult<portal_dto::PaymentPeriodDetail> {
    change_period(token, period_id, "answer", answer).await
}

/// Council staff pay or cancel a held line; a provider disputes a line.
pub async fn decide_payment_line(
    token: &str,
    period_id: &str,
    decision: &portal_dto::LineDecisionRequest,
) -> ApiResult<portal_dto::PaymentPeriodDetail> {
    change_period(token, period_id, "line-decisions", decision).await
}

/// Council staff pay a client's held lines that are not disputed.
pub async fn pay_undisputed_lines(
    token: &str,
    period_id: &str,
    request: &portal_dto::PayUndisputed,
) -> ApiResult<portal_dto::PaymentPeriodDetail> {
    change_period(token, period_id, "pay-undisputed", request).await
}

/// Council staff authorise a period that has ended.
pub async fn authorise_payment_period(
    token: &str,
    period_id: &str,
    version: i64,
) -> ApiResult<portal_dto::PaymentPeriodDetail> {
    change_period(
        token,
        period_id,
        "authorise",
        &portal_dto::PeriodVersion { version },
    )
    .await
}

/// Council staff finalise an authorised period: the payment run.
pub async fn finalise_payment_period(
    token: &str,
    period_id: &str,
    version: i64,
) -> ApiResult<portal_dto::PaymentPeriodDetail> {
    change_period(
        token,
        period_id,
        "finalise",
        &portal_dto::PeriodVersion { version },
    )
    .await
}

fn remittance_path(period_id: &str, summary: bool, csv: bool) -> String {
    let summary = if summary { "true" } else { "false" };
    let format = if csv { "csv" } else { "" };
    let query = query_string(&[("summary", summary), ("format", format)]);
    format!("/payment-periods/{}/remittance{query}", segment(period_id))
}

/// The remittance advice of a paid period: its lines, or one row per client (`summary`).
pub async fn remittance_advice(
    token: &str,
    period_id: &str,
    summary: bool,
) -> ApiResult<portal_dto::RemittanceAdvice> {
    send(
        Request::get(&format!(
            "{BASE}{}",
            remittance_path(period_id, summary, false)
        )),
        Some(token),
        NO_BODY,
    )
    .await
}

/// The same remittance advice as the CSV file's text.
pub async fn remittance_csv(token: &str, period_id: &str, summary: bool) -> ApiResult<String> {
    csv_export(token, &remittance_path(period_id, summary, true)).await
}

// Purchase orders

/// The POs of one financial year (`2022-2023`), or of every year up to now when empty.
pub async fn purchase_orders(
    token: &str,
    financial_year: &str,
) -> ApiResult<Page<portal_dto::PurchaseOrderSummary>> {
    let url = format!(
        "{BASE}/purchase-orders{}",
        query_string(&[("financial_year", financial_year)])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// One PO with its items, payment information and versions.
pub async fn purchase_order(token: &str, po_id: &str) -> ApiResult<portal_dto::PurchaseOrder> {
    let url = format!("{BASE}/purchase-orders/{}", segment(po_id));
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// The path of a PO's PDF (the download needs the bearer token, so the page fetches it).
pub fn purchase_order_pdf_path(po_id: &str) -> String {
    format!("{BASE}/purchase-orders/{}/pdf", segment(po_id))
}

/// One PO as PDF bytes.
pub async fn purchase_order_pdf(token: &str, po_id: &str) -> ApiResult<Vec<u8>> {
    let builder = Request::get(&purchase_order_pdf_path(po_id));
    let response = respond(builder, Some(token), NO_BODY).await?;
    response
        .binary()
        .await
        .map_err(|error| client_problem("The PDF could not be read", &error.to_string()))
}

// Invoices

/// Invoices and credit notes: of one status (every one not deleted when empty), of one
/// organisation (all the caller's when empty).
pub async fn invoices(
    token: &str,
    status: &str,
    organisation_id: &str,
) -> ApiResult<Page<portal_dto::InvoiceSummary>> {
    let url = format!(
        "{BASE}/invoices{}",
        query_string(&[("status", status), ("organisation_id", organisation_id)])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// What a new invoice of the organisation may cover.
pub async fn invoice_options(
    token: &str,
    organisation_id: &str,
) -> ApiResult<portal_dto::InvoiceOptions> {
    let url = format!(
        "{BASE}/invoice-options{}",
        query_string(&[("organisation_id", organisation_id)])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// Creates an invoice or credit note, its items priced from the actuals.
pub async fn create_invoice(
    token: &str,
    invoice: &portal_dto::CreateInvoice,
) -> ApiResult<portal_dto::Invoice> {
    send(
        Request::post(&format!("{BASE}/invoices")),
        Some(token),
        Body::Json(invoice),
    )
    .await
}

/// One invoice with its items.
pub async fn invoice(token: &str, invoice_id: &str) -> ApiResult<portal_dto::Invoice> {
    let url = format!("{BASE}/invoices/{}", segment(invoice_id));
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// The same invoice as the CSV file's text.
pub async fn invoice_csv(token: &str, invoice_id: &str) -> ApiResult<String> {
    csv_export(
        token,
        &format!("/invoices/{}?format=csv", segment(invoice_id)),
    )
    .await
}

/// Removes or re-adds an item, with the contribution collected.
pub async fn update_invoice_item(
    token: &str,
    invoice_id: &str,
    item_id: &str,
    change: &portal_dto::UpdateInvoiceItem,
) -> ApiResult<portal_dto::Invoice> {
    send(
        Request::put(&format!(
            "{BASE}/invoices/{}/items/{}",
            segment(invoice_id),
            segment(item_id)
        )),
        Some(token),
        Body::Json(change),
    )
    .await
}

/// `submit`, `delete`, `suggest`, `authorise` or `finalise`, at the version read.
pub async fn invoice_action(
    token: &str,
    invoice_id: &str,
    action: &str,
    version: i64,
) -> ApiResult<portal_dto::Invoice> {
    send(
        Request::post(&format!("{BASE}/invoices/{}/{action}", segment(invoice_id))),
        Some(token),
        Body::Json(&portal_dto::InvoiceVersion { version }),
    )
    .await
}

/// Council staff put an invoice on hold (`hold`) or return it (`return`), saying why.
pub async fn invoice_decision(
    token: &str,
    invoice_id: &str,
    action: &str,
    decision: &portal_dto::InvoiceDecision,
) -> ApiResult<portal_dto::Invoice> {
    send(
        Request::post(&format!("{BASE}/invoices/{}/{action}", segment(invoice_id))),
        Some(token),
        Body::Json(decision),
    )
    .await
}

// One-off claims

/// One-off claims the caller can see: of one status (`submitted`, `approved`, `rejected`,
/// `paid`; every one when empty).
pub async fn one_off_claims(token: &str, status: &str) -> ApiResult<Page<portal_dto::OneOffClaim>> {
    let url = format!(
        "{BASE}/one-off-claims{}",
        query_string(&[("status", status)])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// The contracts a new claim may be made under, with their clients.
pub async fn one_off_claim_options(token: &str) -> ApiResult<portal_dto::OneOffClaimOptions> {
    send(
        Request::get(&format!("{BASE}/one-off-claim-options")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// Submits a one-off claim with its evidence.
pub async fn create_one_off_claim(
    token: &str,
    claim: &portal_dto::CreateOneOffClaim,
) -> ApiResult<portal_dto::OneOffClaim> {
    send(
        Request::post(&format!("{BASE}/one-off-claims")),
        Some(token),
        Body::Json(claim),
    )
    .await
}

/// One one-off claim.
pub async fn one_off_claim(token: &str, claim_id: &str) -> ApiResult<portal_dto::OneOffClaim> {
    let url = format!("{BASE}/one-off-claims/{}", segment(claim_id));
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// The path of a claim's evidence (the download needs the bearer token, so the page
/// fetches it).
pub fn one_off_claim_evidence_path(claim_id: &str) -> String {
    format!("{BASE}/one-off-claims/{}/evidence", segment(claim_id))
}

/// A claim's evidence file's bytes.
pub async fn one_off_claim_evidence(token: &str, claim_id: &str) -> ApiResult<Vec<u8>> {
    let builder = Request::get(&one_off_claim_evidence_path(claim_id));
    let response = respond(builder, Some(token), NO_BODY).await?;
    response
        .binary()
        .await
        .map_err(|error| client_problem("The file could not be read", &error.to_string()))
}

/// Council staff approve or reject a claim.
pub async fn decide_one_off_claim(
    token: &str,
    claim_id: &str,
    decision: &portal_dto::DecideOneOffClaim,
) -> ApiResult<portal_dto::OneOffClaim> {
    send(
        Request::post(&format!(
            "{BASE}/one-off-claims/{}/decision",
            segment(claim_id)
        )),
        Some(token),
        Body::Json(decision),
    )
    .await
}

// Actions

/// What the New Action form offers: types, teams and entities.
pub async fn action_options(token: &str) -> ApiResult<portal_dto::ActionOptions> {
    send(
        Request::get(&format!("{BASE}/action-options")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// The Actions list's filters, as the API names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionFilters {
    /// Only actions not yet closed.
    pub open_only: bool,
    /// An action type's id; empty for any.
    pub type_id: String,
    /// `provider`, a council team's name, or empty for anyone.
    pub assigned_to: String,
}

/// Actions matching the filters, the newest post first.
pub async fn actions(
    token: &str,
    filters: &ActionFilters,
) -> ApiResult<Page<portal_dto::ActionSummary>> {
    let open = if filters.open_only { "true" } else { "false" };
    let url = format!(
        "{BASE}/actions{}",
        query_string(&[
            ("open_only", open),
            ("type_id", &filters.type_id),
            ("assigned_to", &filters.assigned_to),
        ])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// Open actions, those overdue and those awaiting the provider, for the home page.
pub async fn action_counts(token: &str) -> ApiResult<portal_dto::ActionCounts> {
    send(
        Request::get(&format!("{BASE}/actions/summary")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// A comment, reply, closure request or closing post to an action's thread; answered with
/// the action and its whole thread.
pub async fn post_to_action(
    token: &str,
    action_id: &str,
    post: &portal_dto::NewActionPost,
) -> ApiResult<portal_dto::Action> {
    let url = format!("{BASE}/actions/{}/posts", segment(action_id));
    send(Request::post(&url), Some(token), Body::Json(post)).await
}

/// One action with its thread.
pub async fn action(token: &str, action_id: &str) -> ApiResult<portal_dto::Action> {
    let url = format!("{BASE}/actions/{}", segment(action_id));
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// Raises an action.
pub async fn create_action(
    token: &str,
    action: &portal_dto::CreateAction,
) -> ApiResult<portal_dto::Action> {
    send(
        Request::post(&format!("{BASE}/actions")),
        Some(token),
        Body::Json(action),
    )
    .await
}

// Reports (DOMAIN 12). Each report is one GET that answers JSON, or the same rows as CSV
// with `format=csv`; a report's filters build both addresses, so the file always holds what
// the screen shows.

/// A report's filters, as the API names them.
pub trait ReportFilters {
    /// The report's path under `/reports/`.
    const PATH: &'static str;
    /// What the report answers with as JSON.
    type Report: DeserializeOwned;
    /// The query's pairs; empty values are left out ("all").
    fn pairs(&self) -> Vec<(&'static str, String)>;
}

fn flag(on: bool) -> String {
    if on { "true" } else { "false" }.to_owned()
}

/// `/reports/{path}?...`, with `format=csv` for the file.
fn report_path<F: ReportFilters>(filters: &F, csv: bool) -> String {
    let mut pairs = filters.pairs();
    if csv {
        pairs.push(("format", "csv".to_owned()));
    }
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    format!("/reports/{}{}", F::PATH, query_string(&borrowed))
}

/// Commissioned vs Actuals: dates `YYYY-MM-DD`; empty ids mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommissionedFilters {
    pub from: String,
    pub to: String,
    pub service_group_class: String,
    pub organisation_id: String,
    pub client_id: String,
    pub differences_only: bool,
    pub include_weeks_without_actuals: bool,
}

impl ReportFilters for CommissionedFilters {
    const PATH: &'static str = "commissioned-vs-actuals";
    type Report = portal_dto::CommissionedVsActuals;
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("service_group_class", self.service_group_class.clone()),
            ("organisation_id", self.organisation_id.clone()),
            ("client_id", self.client_id.clone()),
            ("differences_only", flag(self.differences_only)),
            (
                "include_weeks_without_actuals",
                flag(self.include_weeks_without_actuals),
            ),
        ]
    }
}

/// Pending Payments Exceptions: one organisation, or all the caller's when empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExceptionsFilters {
    pub organisation_id: String,
}

impl ReportFilters for ExceptionsFilters {
    const PATH: &'static str = "pending-payments-exceptions";
    type Report = portal_dto::PendingExceptions;
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![("organisation_id", self.organisation_id.clone())]
    }
}

/// Pending Scheduled Payments: `status` is `pay`, `suspend`, `cancel`, `carry_forward` or
/// empty; dates `YYYY-MM-DD` or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PendingPaymentsFilters {
    pub organisation_id: String,
    pub status: String,
    pub from: String,
    pub to: String,
}

impl ReportFilters for PendingPaymentsFilters {
    const PATH: &'static str = "pending-scheduled-payments";
    type Report = portal_dto::PendingScheduledPayments;
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("organisation_id", self.organisation_id.clone()),
            ("status", self.status.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
        ]
    }
}

/// Remittance Advice Provider Payments: a contract, and optionally its payment method and
/// one paid period; `summary` gives one row per client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemittanceFilters {
    pub contract_id: String,
    pub payment_method: String,
    pub period_id: String,
    pub summary: bool,
}

impl ReportFilters for RemittanceFilters {
    const PATH: &'static str = "remittance-advice";
    type Report = portal_dto::RemittanceReport;
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("contract_id", self.contract_id.clone()),
            ("payment_method", self.payment_method.clone()),
            ("period_id", self.period_id.clone()),
            ("summary", flag(self.summary)),
        ]
    }
}

/// What the reports' filters offer the caller.
pub async fn report_options(token: &str) -> ApiResult<portal_dto::ReportOptions> {
    send(
        Request::get(&format!("{BASE}/reports/options")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// A report on screen.
pub async fn report<F: ReportFilters>(token: &str, filters: &F) -> ApiResult<F::Report> {
    send(
        Request::get(&format!("{BASE}{}", report_path(filters, false))),
        Some(token),
        NO_BODY,
    )
    .await
}

/// The same report as the CSV file's text ("Download Data").
pub async fn report_csv<F: ReportFilters>(token: &str, filters: &F) -> ApiResult<String> {
    csv_export(token, &report_path(filters, true)).await
}

pub async fn commissioned_vs_actuals(
    token: &str,
    filters: &CommissionedFilters,
) -> ApiResult<portal_dto::CommissionedVsActuals> {
    report(token, filters).await
}

pub async fn pending_payments_exceptions(
    token: &str,
    filters: &ExceptionsFilters,
) -> ApiResult<portal_dto::PendingExceptions> {
    report(token, filters).await
}

pub async fn pending_scheduled_payments(
    token: &str,
    filters: &PendingPaymentsFilters,
) -> ApiResult<portal_dto::PendingScheduledPayments> {
    report(token, filters).await
}

pub async fn remittance_report(
    token: &str,
    filters: &RemittanceFilters,
) -> ApiResult<portal_dto::RemittanceReport> {
    report(token, filters).await
}

// Disputes (DOMAIN 9)

/// The Disputes list's filters, as the API names them; empty means "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DisputeFilters {
    pub client: String,
    /// `YYYY-MM-DD` or empty.
    pub from: String,
    pub to: String,
    /// Status codes (`in_dispute`, `resolution_requested`, `resolved`); none means every status.
    pub statuses: Vec<String>,
}

/// Open disputes, and those awaiting the provider, for the home page.
pub async fn dispute_counts(token: &str) -> ApiResult<portal_dto::DisputeCounts> {
    send(
        Request::get(&format!("{BASE}/disputes/summary")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// Disputes the caller can see, the most recently changed first.
pub async fn disputes(
    token: &str,
    filters: &DisputeFilters,
) -> ApiResult<Page<portal_dto::DisputeSummary>> {
    let statuses = filters.statuses.join(",");
    let url = format!(
        "{BASE}/disputes{}",
        query_string(&[
            ("client", &filters.client),
            ("from", &filters.from),
            ("to", &filters.to),
            ("status", &statuses),
        ])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// Council staff raise a dispute.
pub async fn create_dispute(
    token: &str,
    dispute: &portal_dto::CreateDispute,
) -> ApiResult<portal_dto::Dispute> {
    send(
        Request::post(&format!("{BASE}/disputes")),
        Some(token),
        Body::Json(dispute),
    )
    .await
}

/// One dispute with its history and, week by week, the client's lines.
pub async fn dispute(token: &str, dispute_id: &str) -> ApiResult<portal_dto::Dispute> {
    let url = format!("{BASE}/disputes/{}", segment(dispute_id));
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// The provider responds and asks the council to resolve the dispute.
pub async fn request_dispute_resolution(
    token: &str,
    dispute_id: &str,
    request: &portal_dto::RequestDisputeResolution,
) -> ApiResult<portal_dto::Dispute> {
    let url = format!("{BASE}/disputes/{}/request-resolution", segment(dispute_id));
    send(Request::post(&url), Some(token), Body::Json(request)).await
}

/// Council staff `resolve` or `reopen` a dispute, with a comment.
pub async fn decide_dispute(
    token: &str,
    dispute_id: &str,
    action: &str,
    decision: &portal_dto::DisputeDecision,
) -> ApiResult<portal_dto::Dispute> {
    let url = format!("{BASE}/disputes/{}/{action}", segment(dispute_id));
    send(Request::post(&url), Some(token), Body::Json(decision)).await
}

// Contract documents (DOMAIN 11)

/// The Contract documents list's filters, as the API names them; empty means "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractDocumentFilters {
    pub service_id: String,
    pub client_id: String,
    /// `published`, `agreed`, `rejected` or `terminated`; empty for every status.
    pub status: String,
}

/// Contract documents the caller can see, newest first; terminated ones too.
pub async fn contract_documents(
    token: &str,
    filters: &ContractDocumentFilters,
) -> ApiResult<Page<portal_dto::ContractDocument>> {
    let url = format!(
        "{BASE}/contract-documents{}",
        query_string(&[
            ("service_id", &filters.service_id),
            ("client_id", &filters.client_id),
            ("status", &filters.status),
        ])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// One contract document with its signatures.
pub async fn contract_document(
    token: &str,
    document_id: &str,
) -> ApiResult<portal_dto::ContractDocument> {
    let url = format!("{BASE}/contract-documents/{}", segment(document_id));
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// Council staff publish a contract document with its PDF.
pub async fn publish_contract_document(
    token: &str,
    document: &portal_dto::NewContractDocument,
) -> ApiResult<portal_dto::ContractDocument> {
    send(
        Request::post(&format!("{BASE}/contract-documents")),
        Some(token),
        Body::Json(document),
    )
    .await
}

/// The path of a contract document's PDF (the download needs the bearer token, so the page
/// fetches it).
pub fn contract_document_file_path(document_id: &str) -> String {
    format!("{BASE}/contract-documents/{}/file", segment(document_id))
}

/// A contract document's PDF bytes.
pub async fn contract_document_file(token: &str, document_id: &str) -> ApiResult<Vec<u8>> {
    let builder = Request::get(&contract_document_file_path(document_id));
    let response = respond(builder, Some(token), NO_BODY).await?;
    response
        .binary()
        .await
        .map_err(|error| client_problem("The PDF could not be read", &error.to_string()))
}

/// The provider agrees or rejects a document, with their password as the signature.
pub async fn decide_contract_document(
    token: &str,
    document_id: &str,
    decision: &portal_dto::DocumentDecision,
) -> ApiResult<portal_dto::ContractDocument> {
    let url = format!(
        "{BASE}/contract-documents/{}/decision",
        segment(document_id)
    );
    send(Request::post(&url), Some(token), Body::Json(decision)).await
}

/// Council staff terminate a document.
pub async fn terminate_contract_document(
    token: &str,
    document_id: &str,
    termination: &portal_dto::DocumentTermination,
) -> ApiResult<portal_dto::ContractDocument> {
    let url = format!(
        "{BASE}/contract-documents/{}/terminate",
        segment(document_id)
    );
    send(Request::post(&url), Some(token), Body::Json(termination)).await
}

/// Attaches a checked file to an action (`post_id`: to one of the caller's own posts) or a
/// dispute (`event_id`: to one of the caller's own steps): `target` is `actions` or
/// `disputes`.
pub async fn attach_file(
    token: &str,
    target: &str,
    id: &str,
    part: Option<(&str, &str)>,
    file_name: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> ApiResult<portal_dto::Attachment> {
    let mut pairs = vec![("file_name", file_name)];
    if let Some(part) = part {
        pairs.push(part);
    }
    let url = format!(
        "{BASE}/{target}/{}/attachments{}",
        segment(id),
        query_string(&pairs)
    );
    send::<_, ()>(
        Request::post(&url),
        Some(token),
        Body::File {
            content_type: content_type.to_owned(),
            bytes,
        },
    )
    .await
}

/// An attachment's bytes (the download needs the bearer token, so the page fetches it).
pub async fn attachment_bytes(token: &str, attachment_id: &str) -> ApiResult<Vec<u8>> {
    let builder = Request::get(&format!("{BASE}/attachments/{}", segment(attachment_id)));
    let response = respond(builder, Some(token), NO_BODY).await?;
    response
        .binary()
        .await
        .map_err(|error| client_problem("The file could not be read", &error.to_string()))
}

// Change requests (DOMAIN 10)

/// Change requests the caller can see (`status`: codes comma-separated; empty for all).
pub async fn change_requests(
    token: &str,
    status: &str,
) -> ApiResult<Page<portal_dto::ChangeRequest>> {
    let url = format!(
        "{BASE}/change-requests{}",
        query_string(&[("status", status)])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// One change request.
pub async fn change_request(
    token: &str,
    change_request_id: &str,
) -> ApiResult<portal_dto::ChangeRequest> {
    let url = format!("{BASE}/change-requests/{}", segment(change_request_id));
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// A provider contact asks for a change.
pub async fn create_change_request(
    token: &str,
    request: &portal_dto::CreateChangeRequest,
) -> ApiResult<portal_dto::ChangeRequest> {
    send(
        Request::post(&format!("{BASE}/change-requests")),
        Some(token),
        Body::Json(request),
    )
    .await
}

/// Council staff approve a change request: it is applied.
pub async fn approve_change_request(
    token: &str,
    change_request_id: &str,
    version: i64,
) -> ApiResult<portal_dto::ChangeRequestApproved> {
    let url = format!(
        "{BASE}/change-requests/{}/approve",
        segment(change_request_id)
    );
    let body = portal_dto::ApproveChangeRequest { version };
    send(Request::post(&url), Some(token), Body::Json(&body)).await
}

/// Council staff reject a change request, saying why.
pub async fn reject_change_request(
    token: &str,
    change_request_id: &str,
    version: i64,
    reason: &str,
) -> ApiResult<portal_dto::ChangeRequest> {
    let url = format!(
        "{BASE}/change-requests/{}/reject",
        segment(change_request_id)
    );
    let body = portal_dto::RejectChangeRequest {
        version,
        reason: reason.to_owned(),
    };
    send(Request::post(&url), Some(token), Body::Json(&body)).await
}

/// The contacts of one of the caller's organisations, with their roles there.
pub async fn organisation_contacts(
    token: &str,
    organisation_id: &str,
) -> ApiResult<Page<portal_dto::Contact>> {
    let url = format!("{BASE}/organisations/{}/contacts", segment(organisation_id));
    send(Request::get(&url), Some(token), NO_BODY).await
}

// E-mail notifications and webhooks (DOMAIN 13)

/// The caller's e-mail subscriptions for one of their organisations.
pub async fn email_subscriptions(
    token: &str,
    organisation_id: &str,
) -> ApiResult<portal_dto::EmailSubscriptions> {
    let url = format!(
        "{BASE}/notification-subscriptions{}",
        query_string(&[("organisation_id", organisation_id)])
    );
    send(Request::get(&url), Some(token), NO_BODY).await
}

/// Saves the topics chosen for one organisation; every other topic is unsubscribed.
pub async fn save_email_subscriptions(
    token: &str,
    subscriptions: &portal_dto::SaveEmailSubscriptions,
) -> ApiResult<portal_dto::EmailSubscriptions> {
    send(
        Request::put(&format!("{BASE}/notification-subscriptions")),
        Some(token),
        Body::Json(subscriptions),
    )
    .await
}

/// The council's webhooks, newest first, and the events there are.
pub async fn webhooks(token: &str) -> ApiResult<portal_dto::WebhookList> {
    send(
        Request::get(&format!("{BASE}/council/webhooks")),
        Some(token),
        NO_BODY,
    )
    .await
}

/// Council staff add a webhook; the answer holds its secret, which is never shown again.
pub async fn create_webhook(
    token: &str,
    webhook: &portal_dto::NewWebhook,
) -> ApiResult<portal_dto::CreatedWebhook> {
    send(
        Request::post(&format!("{BASE}/council/webhooks")),
        Some(token),
        Body::Json(webhook),
    )
    .await
}

/// Council staff stop a webhook receiving events (409 when `version` is stale).
pub async fn disable_webhook(
    token: &str,
    webhook_id: &str,
    version: i64,
) -> ApiResult<portal_dto::Webhook> {
    let url = format!("{BASE}/council/webhooks/{}/disable", segment(webhook_id));
    let body = portal_dto::DisableWebhook { version };
    send(Request::post(&url), Some(token), Body::Json(&body)).await
}
