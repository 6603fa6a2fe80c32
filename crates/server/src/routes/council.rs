//! Council settings, for council staff: contact details, the submission deadline, the
//! amendment window, bank holidays, action types, dispute reasons and VAT rates (DOMAIN 14a).

use actix_web::{delete, get, post, put, web, HttpResponse};
use portal_domain::calendar::{iso_date, parse_iso_date};
use portal_domain::format::format_date;
use portal_dto::{
    ActionType, BankHoliday, CouncilSettings, DisputeReason, FieldError, NewBankHoliday, Page,
    Problem, SubmissionDeadline, UpdateCouncilSettings, VatRate,
};
use portal_store::council::{CouncilSettingsRecord, CouncilSettingsUpdate};
use portal_store::Store;
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::problems::{Invalid, NotCouncilStaff, NotSignedIn, StaleVersion};

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(get_settings)
        .service(update_settings)
        .service(list_bank_holidays)
        .service(add_bank_holiday)
        .service(remove_bank_holiday)
        .service(list_action_types)
        .service(list_dispute_reasons)
        .service(list_vat_rates);
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn weekday_name(number: i64) -> &'static str {
    usize::try_from(number - 1)
        .ok()
        .and_then(|index| WEEKDAYS.get(index))
        .copied()
        .unwrap_or("tuesday")
}

fn settings_view(record: CouncilSettingsRecord) -> CouncilSettings {
    let weekday = weekday_name(record.submission_deadline_weekday);
    let mut capitalised = weekday.to_owned();
    capitalised[..1].make_ascii_uppercase();
    CouncilSettings {
        name: record.name,
        contact_email: record.contact_email,
        contact_phone: record.contact_phone,
        contact_address: record.contact_address,
        submission_deadline: SubmissionDeadline {
            weekday: weekday.to_owned(),
            description: format!(
                "By {} each {capitalised}, for the week before",
                record.submission_deadline_time
            ),
            time: record.submission_deadline_time,
        },
        amendment_window_days: record.amendment_window_days,
        second_factor_policy: record.second_factor_policy,
        version: record.version,
    }
}

async fn settings_of(store: &Store, council_id: i64) -> Result<CouncilSettingsRecord, ApiError> {
    store
        .council_settings(council_id)
        .await?
        .ok_or(ApiError::NotFound("council"))
}

/// The caller's council settings.
#[utoipa::path(
    tag = "council",
    operation_id = "get_council_settings",
    responses(
        (status = 200, description = "The settings", body = CouncilSettings),
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[get("/council/settings")]
pub async fn get_settings(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<CouncilSettings>, ApiError> {
    let council_id = caller.council_staff_of()?;
    Ok(web::Json(settings_view(
        settings_of(&store, council_id).await?,
    )))
}

fn parse_settings(
    body: &UpdateCouncilSettings,
    current_policy: &str,
) -> Result<(CouncilSettingsUpdate, i64), ApiError> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        })
    };
    let email = body.contact_email.trim();
    let email_ok = email.is_empty()
        || (email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.ends_with('.')
            })
            && !email.contains(char::is_whitespace));
    if !email_ok {
        bad(
            "contact_email",
            "Enter an email address in the correct format, like name@example.org",
        );
    }
    let phone = body.contact_phone.trim();
    if phone.len() > 30
        || !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +()-".contains(c))
    {
        bad(
            "contact_phone",
            "Enter a telephone number, like 01274 432111",
        );
    }
    if body.contact_address.chars().count() > 500 {
        bad("contact_address", "Address must be 500 characters or fewer");
    }
    let weekday = WEEKDAYS
        .iter()
        .position(|day| day.eq_ignore_ascii_case(body.submission_deadline_weekday.trim()));
    if weekday.is_none() {
        bad(
            "submission_deadline_weekday",
            "Choose a day of the week, monday to sunday",
        );
    }
    let time_ok = body
        .submission_deadline_time
        .split_once(':')
        .is_some_and(|(hours, minutes)| {
            hours.len() == 2
                && minutes.len() == 2
                && hours.parse::<u8>().is_ok_and(|h| h < 24)
                && minutes.parse::<u8>().is_ok_and(|m| m < 60)
        });
    if !time_ok {
        bad(
            "submission_deadline_time",
            "Enter a time of day as HH:MM, like 17:00",
        );
    }
    if !(0..=365).contains(&body.amendment_window_days) {
        bad(
            "amendment_window_days",
            "Enter a number of days from 0 to 365",
        );
    }
    if body.version < 1 {
        bad("version", "Send the version you last read");
    }
    let policy = body
        .second_factor_policy
        .clone()
        .unwrap_or_else(|| current_policy.to_owned());
    if !portal_dto::SECOND_FACTOR_POLICIES.contains(&policy.as_str()) {
        bad(
            "second_factor_policy",
            "Choose digits, authenticator or user_choice",
        );
    }
    match weekday {
        Some(index) if errors.is_empty() => Ok((
            CouncilSettingsUpdate {
                contact_email: email.to_owned(),
                contact_phone: phone.to_owned(),
                contact_address: body.contact_address.trim().to_owned(),
                submission_deadline_weekday: i64::try_from(index).unwrap_or(1) + 1,
                submission_deadline_time: body.submission_deadline_time.clone(),
                amendment_window_days: body.amendment_window_days,
                second_factor_policy: policy,
            },
            body.version,
        )),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// Updates the caller's council settings. Send the version you read; a stale one gets 409.
#[utoipa::path(
    tag = "council",
    operation_id = "update_council_settings",
    request_body = UpdateCouncilSettings,
    responses(
        (status = 200, description = "Saved", body = CouncilSettings),
        NotSignedIn,
        NotCouncilStaff,
        StaleVersion,
        Invalid,
    )
)]
#[put("/council/settings")]
pub async fn update_settings(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<UpdateCouncilSettings>,
) -> Result<web::Json<CouncilSettings>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let current = settings_of(&store, council_id).await?;
    let (update, version) = parse_settings(&body.0, &current.second_factor_policy)?;
    store
        .update_council_settings(council_id, &update, version, &caller.actor())
        .await?;
    Ok(web::Json(settings_view(
        settings_of(&store, council_id).await?,
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct BankHolidayQuery {
    /// Only this calendar year's holidays.
    year: Option<i32>,
}

/// The council's bank holidays: days that do not count as working days.
#[utoipa::path(
    tag = "council",
    operation_id = "list_bank_holidays",
    params(BankHolidayQuery),
    responses(
        (status = 200, description = "Bank holidays in date order", body = Page<BankHoliday>),
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[get("/council/bank-holidays")]
pub async fn list_bank_holidays(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<BankHolidayQuery>,
) -> Result<web::Json<Page<BankHoliday>>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let holidays = store.bank_holidays(council_id, query.year).await?;
    Ok(web::Json(Page {
        items: holidays
            .into_iter()
            .map(|(day, name)| BankHoliday {
                date: iso_date(day),
                label: format_date(day),
                name,
            })
            .collect(),
        next_cursor: None,
    }))
}

/// Adds a bank holiday.
#[utoipa::path(
    tag = "council",
    operation_id = "add_bank_holiday",
    request_body = NewBankHoliday,
    responses(
        (status = 201, description = "Added", body = BankHoliday),
        NotSignedIn,
        NotCouncilStaff,
        (status = 409, description = "There is already a bank holiday on that date", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[post("/council/bank-holidays")]
pub async fn add_bank_holiday(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<NewBankHoliday>,
) -> Result<HttpResponse, ApiError> {
    let council_id = caller.council_staff_of()?;
    let mut errors = Vec::new();
    let day = parse_iso_date(&body.0.date)
        .map_err(|error| {
            errors.push(FieldError {
                field: "date".into(),
                message: error.to_string(),
            })
        })
        .ok();
    let name = body.0.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError {
            field: "name".into(),
            message: "Enter the holiday's name, 100 characters or fewer".into(),
        });
    }
    let Some(day) = day.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    if !store
        .add_bank_holiday(council_id, day, name, &caller.actor())
        .await?
    {
        return Err(ApiError::Conflict(format!(
            "There is already a bank holiday on {}.",
            format_date(day)
        )));
    }
    Ok(HttpResponse::Created().json(BankHoliday {
        date: iso_date(day),
        label: format_date(day),
        name: name.to_owned(),
    }))
}

/// Removes a bank holiday.
#[utoipa::path(
    tag = "council",
    operation_id = "remove_bank_holiday",
    params(("date" = String, Path, description = "YYYY-MM-DD", example = "2022-09-19")),
    responses(
        (status = 204, description = "Removed"),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No bank holiday on that date", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/council/bank-holidays/{date}")]
pub async fn remove_bank_holiday(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let council_id = caller.council_staff_of()?;
    let day = parse_iso_date(&path).map_err(|_| ApiError::NotFound("bank holiday"))?;
    if store
        .remove_bank_holiday(council_id, day, &caller.actor())
        .await?
    {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound("bank holiday"))
    }
}

/// The action types providers and council staff raise actions with (DOMAIN 10).
#[utoipa::path(
    tag = "council",
    operation_id = "list_action_types",
    responses(
        (status = 200, description = "Action types by name", body = Page<ActionType>),
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[get("/council/action-types")]
pub async fn list_action_types(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Page<ActionType>>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let items = store
        .action_types(council_id)
        .await?
        .into_iter()
        .map(|record| ActionType {
            id: record.id.to_string(),
            name: record.name,
            team: record.team,
            entity_kinds: record
                .entity_kinds
                .split(',')
                .filter(|kind| !kind.is_empty())
                .map(str::to_owned)
                .collect(),
            minimum_due_working_days: record.minimum_due_working_days,
            council_only: record.council_only != 0,
            active: record.is_active != 0,
        })
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// The reasons council staff give when they dispute actuals (DOMAIN 9).
#[utoipa::path(
    tag = "council",
    operation_id = "list_dispute_reasons",
    responses(
        (status = 200, description = "Dispute reasons", body = Page<DisputeReason>),
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[get("/council/dispute-reasons")]
pub async fn list_dispute_reasons(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Page<DisputeReason>>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let items = store
        .dispute_reasons(council_id)
        .await?
        .into_iter()
        .map(|(id, name, active)| DisputeReason {
            id: id.to_string(),
            name,
            active,
        })
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// The VAT rates contracts choose from.
#[utoipa::path(
    tag = "council",
    operation_id = "list_vat_rates",
    responses(
        (status = 200, description = "VAT rates", body = Page<VatRate>),
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[get("/council/vat-rates")]
pub async fn list_vat_rates(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Page<VatRate>>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let items = store
        .vat_rates(council_id)
        .await?
        .into_iter()
        .map(|record| VatRate {
            id: record.id.to_string(),
            name: record.name,
            rate_percent: Decimal::new(record.rate_basis_points, 2)
                .normalize()
                .to_string(),
            effective_from: record.effective_from,
        })
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}
