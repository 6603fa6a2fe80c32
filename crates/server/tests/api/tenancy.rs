//! Sweeps generated from the committed OpenAPI document (`openapi/openapi.json`), so an
//! endpoint is covered the day it is added:
//!
//! * the tenancy sweep: one provider organisation's contact (and then council staff of one
//!   council) names, in every path, query and body id slot of every operation, the records
//!   of another provider organisation (of the same council and of another council). Every
//!   answer is 403 or 404 (problem+json), never a 2xx, never a 500, never the other
//!   organisation's data, and nothing of theirs changes;
//! * the bad-input sweep: every operation with a JSON body, called by someone allowed to call
//!   it, answers a body that is not JSON, JSON of the wrong shape (a list, a string, a valid
//!   body's values as a list), `{}` and a body of wrongly typed fields with a 4xx
//!   problem+json, naming real fields of the body when `{}` or the wrong types get a 422.
//!
//! A parameter the sweeps cannot fill fails them with a message saying what to teach them.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{json, Map, Value};

use crate::helpers::{
    spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DAY_OPPORTUNITIES, DIAMOND,
};
use crate::on_both_databases;

/// A past Monday with actuals planned for every demo service (and Pennine's).
const WEEK: &str = "2022-06-06";

/// Prefixes the tenancy sweep leaves out:
/// * `/api/v1/auth/`: signing in and the caller's own password and code. They take no
///   record id in path or query (only a challenge or reset token that is itself the
///   secret), and most are public, so there is no other organisation's record to name;
///   `auth.rs`, `accounts.rs`, `sessions.rs` and `password_reset.rs` test them.
/// * `/health/`: liveness and readiness, public, with no data.
/// * `/api/v1/demo/`: the demo's outbox, only served by a demo deployment, holding no
///   organisation's records (`demo.rs` tests it).
const TENANCY_EXEMPT: [&str; 3] = ["/api/v1/auth/", "/health/", "/api/v1/demo/"];

/// Query parameters that are not ids, with what the sweeps send: the widest view (history
/// and unauthorised lines included) so that a leak has the most to show.
const QUERY_VALUES: [(&str, &str); 20] = [
    ("search", ""),
    ("financial_year", "2022/2023"),
    ("include_historical", "true"),
    ("include_unauthorised", "true"),
    ("year", "2022"),
    ("from", "2022-05-30"),
    ("to", "2022-06-12"),
    ("has_actuals", ""),
    // Exports as CSV: a leak shows in the text all the same.
    ("format", "csv"),
    ("reference", "probe.csv"),
    // Closed actions too; every status of invoices and claims.
    ("open_only", "false"),
    ("status", ""),
    // The remittance advice line by line.
    ("summary", "false"),
    // Attaching a file to an invoice: its version and the file's name.
    ("version", "1"),
    ("file_name", "probe.pdf"),
    // Reports: every class, every row, every week, every payment method.
    ("service_group_class", ""),
    ("differences_only", "false"),
    ("include_weeks_without_actuals", "true"),
    ("payment_method", ""),
    // Actions whoever they are assigned to.
    ("assigned_to", ""),
];

// ---------------------------------------------------------------------------------------
// The document.

fn document() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let text = std::fs::read_to_string(path).expect("openapi/openapi.json is readable");
    serde_json::from_str(&text).expect("openapi/openapi.json is JSON")
}

struct Operation {
    method: Method,
    path: String,
    spec: Value,
    /// Path-level and operation-level parameters together.
    parameters: Vec<Value>,
}

impl Operation {
    fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    fn tenancy_exempt(&self) -> bool {
        TENANCY_EXEMPT
            .iter()
            .any(|prefix| self.path.starts_with(prefix))
    }

    /// Council staff only: the operation documents a 403 for callers who are not.
    fn council_only(&self) -> bool {
        self.spec["responses"]["403"]["description"]
            .as_str()
            .is_some_and(|description| {
                // "Not council staff", "Not a council user or tool"; not "Council staff, or a
                // role that may not claim payment" (providers only) nor "A type only the
                // council may raise".
                let description = description.to_lowercase();
                description.contains("not council") || description.contains("not a council")
            })
    }

    /// Providers only: the operation documents a 403 for council staff ("Council staff, or a
    /// role that may not claim payment").
    fn provider_only(&self) -> bool {
        self.spec["responses"]["403"]["description"]
            .as_str()
            .is_some_and(|description| description.to_lowercase().starts_with("council staff"))
    }

    fn json_body(&self) -> Option<&Value> {
        self.spec["requestBody"]["content"]
            .get("application/json")
            .filter(|content| content.is_object())
    }

    fn other_body_types(&self) -> Vec<String> {
        self.spec["requestBody"]["content"]
            .as_object()
            .map(|content| {
                content
                    .keys()
                    .filter(|kind| *kind != "application/json")
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("the document has paths") {
        let shared: Vec<Value> = item["parameters"].as_array().cloned().unwrap_or_default();
        for (method, spec) in item.as_object().unwrap() {
            let Ok(method) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            if !spec.is_object() || spec.get("responses").is_none() {
                continue;
            }
            let mut parameters = shared.clone();
            parameters.extend(spec["parameters"].as_array().cloned().unwrap_or_default());
            let parameters = parameters
                .iter()
                .map(|parameter| resolve(doc, parameter))
                .collect();
            operations.push(Operation {
                method,
                path: path.clone(),
                spec: spec.clone(),
                parameters,
            });
        }
    }
    assert!(
        operations.len() > 40,
        "the document lists too few operations"
    );
    operations
}

/// A schema with `$ref`s followed, `allOf` merged into one object schema and a nullable
/// `oneOf`/`anyOf` reduced to its non-null choice.
fn resolve(doc: &Value, schema: &Value) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let pointer = reference.trim_start_matches('#');
        let target = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("the document has no {reference}"));
        return resolve(doc, target);
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for part in parts {
            let part = resolve(doc, part);
            if let Some(more) = part["properties"].as_object() {
                properties.extend(more.clone());
            }
            if let Some(more) = part["required"].as_array() {
                required.extend(more.iter().cloned());
            }
        }
        return json!({"type": "object", "properties": properties, "required": required});
    }
    for choice in ["oneOf", "anyOf"] {
        if let Some(choices) = schema[choice].as_array() {
            if let Some(first) = choices.iter().find(|c| c["type"] != "null") {
                let mut resolved = resolve(doc, first);
                if choices.iter().any(|c| c["type"] == "null") {
                    resolved["nullable"] = json!(true);
                }
                return resolved;
            }
        }
    }
    schema.clone()
}

/// The schema's type, ignoring `null`.
fn main_type(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(kind) => kind.as_str(),
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|kind| *kind != "null")
            .unwrap_or("null"),
        _ if schema["properties"].is_object() => "object",
        _ => "string",
    }
}

fn nullable(schema: &Value) -> bool {
    schema["nullable"] == true
        || schema["type"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|kind| kind == "null"))
}

fn property_names(schema: &Value) -> Vec<String> {
    schema["properties"]
        .as_object()
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Records and where the document names them.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Record {
    Organisation,
    Contract,
    Service,
    ServiceLevel,
    Client,
    Cpli,
    Account,
    ToolClient,
    Import,
    PurchaseOrder,
    PaymentPeriod,
    Invoice,
    InvoiceItem,
    Claim,
    Action,
    /// A council's action type: another council's is another organisation's record.
    ActionType,
    Dispute,
    /// A post of an action's thread (`post_id`).
    ActionPost,
    /// A step of a dispute's history (`event_id`).
    DisputeEvent,
    Attachment,
    /// A council's dispute reason: another council's is another organisation's record.
    DisputeReason,
    ContractDocument,
    ChangeRequest,
    /// A council's webhook: another council's is another organisation's record.
    Webhook,
}

/// The record an id names, by the `<record>_id` name a path or body gives it.
fn id_record(name: &str) -> Option<Record> {
    Some(match name {
        "organisation_id" => Record::Organisation,
        "contract_id" => Record::Contract,
        "service_id" => Record::Service,
        "service_level_id" => Record::ServiceLevel,
        "client_id" => Record::Client,
        "cpli_id" => Record::Cpli,
        "account_id" => Record::Account,
        "tool_client_id" => Record::ToolClient,
        "import_id" => Record::Import,
        "po_id" => Record::PurchaseOrder,
        "period_id" => Record::PaymentPeriod,
        "invoice_id" | "credit_of_invoice_id" => Record::Invoice,
        "item_id" => Record::InvoiceItem,
        "claim_id" => Record::Claim,
        "action_id" => Record::Action,
        "type_id" => Record::ActionType,
        "dispute_id" => Record::Dispute,
        "document_id" => Record::ContractDocument,
        "post_id" => Record::ActionPost,
        "event_id" => Record::DisputeEvent,
        "attachment_id" => Record::Attachment,
        "change_request_id" => Record::ChangeRequest,
        "reason_id" => Record::DisputeReason,
        "webhook_id" => Record::Webhook,
        _ => return None,
    })
}

/// The record a query filter names: `service` or `service_id`.
fn query_record(name: &str) -> Option<Record> {
    id_record(name).or_else(|| id_record(&format!("{name}_id")))
}

/// The record of a collection, as `{kind}` names it (`/{kind}/{id}/deactivate`).
fn collection_record(kind: &str) -> Option<Record> {
    Some(match kind {
        "organisations" => Record::Organisation,
        "contracts" => Record::Contract,
        "services" => Record::Service,
        "service-levels" => Record::ServiceLevel,
        "clients" => Record::Client,
        "cplis" => Record::Cpli,
        "accounts" => Record::Account,
        "tool-clients" => Record::ToolClient,
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Path(String),
    Query(String),
    /// A JSON pointer into the body, and the field as the API names it (`lines[0].cpli_id`).
    Body {
        pointer: String,
        field: String,
    },
}

#[derive(Debug, Clone)]
struct Slot {
    place: Place,
    record: Record,
}

/// One request to make per combination of own and foreign ids in its slots.
struct Plan<'a> {
    op: &'a Operation,
    /// The operation, with `{kind}` filled when it has one.
    label: String,
    fixed_path: Vec<(String, String)>,
    fixed_query: Vec<(String, String)>,
    /// Header parameters that take a fresh unique value (`Idempotency-Key`).
    unique_headers: Vec<String>,
    body: Option<Value>,
    slots: Vec<Slot>,
}

/// Plans every operation of the document: panics, naming the operation, at any parameter
/// or body id the sweeps do not know how to fill.
fn plans<'a>(doc: &Value, operations: &'a [Operation], bank_holiday: &str) -> Vec<Plan<'a>> {
    let mut plans = Vec::new();
    for op in operations {
        let mut fixed_path = Vec::new();
        let mut fixed_query = Vec::new();
        let mut unique_headers = Vec::new();
        let mut slots = Vec::new();
        let mut kinds: Option<Vec<(String, Record)>> = None;
        let mut has_id = false;
        for parameter in &op.parameters {
            let name = parameter["name"].as_str().expect("a parameter has a name");
            match parameter["in"].as_str().unwrap_or_default() {
                "path" => match name {
                    "week" => fixed_path.push((name.to_owned(), WEEK.to_owned())),
                    // A bank holiday of the caller's own council: the path names a date, not
                    // a record, so there is no other organisation's to put there.
                    "date" => fixed_path.push((name.to_owned(), bank_holiday.to_owned())),
                    "kind" => kinds = Some(kinds_of(op, parameter)),
                    "id" => has_id = true,
                    _ => match id_record(name) {
                        Some(record) => slots.push(Slot {
                            place: Place::Path(name.to_owned()),
                            record,
                        }),
                        None => panic!(
                            "{}: path parameter `{name}` is new to the tenancy sweep, which \
                             cannot fill it with another organisation's id. Teach \
                             `id_record` (or `plans`) in crates/server/tests/api/tenancy.rs \
                             which record it names.",
                            op.label()
                        ),
                    },
                },
                "query" => {
                    if let Some(record) = query_record(name) {
                        slots.push(Slot {
                            place: Place::Query(name.to_owned()),
                            record,
                        });
                    } else if let Some((_, value)) =
                        QUERY_VALUES.iter().find(|(known, _)| *known == name)
                    {
                        fixed_query.push((name.to_owned(), (*value).to_owned()));
                    } else {
                        panic!(
                            "{}: query parameter `{name}` is new to the tenancy sweep. If it \
                             names a record, teach `id_record` in \
                             crates/server/tests/api/tenancy.rs which; if not, add it to \
                             QUERY_VALUES.",
                            op.label()
                        );
                    }
                }
                "header" if name.eq_ignore_ascii_case("Idempotency-Key") => {
                    unique_headers.push(name.to_owned());
                }
                place => panic!(
                    "{}: {place} parameter `{name}` is new to the sweeps in \
                     crates/server/tests/api/tenancy.rs; teach them how to fill it.",
                    op.label()
                ),
            }
        }
        let body = op.json_body().map(|content| match content.get("example") {
            Some(example) => example.clone(),
            None => plausible(doc, "", &content["schema"]),
        });
        if let (Some(body), false) = (&body, op.tenancy_exempt()) {
            let mut found = Vec::new();
            body_slots(body, "", "", &mut found);
            for (field, record) in found {
                let record = record.or_else(|| related_record(body, &field));
                let Some(record) = record else {
                    panic!(
                        "{}: body field `{field}` looks like an id the tenancy sweep does not \
                         know. Teach `id_record` in crates/server/tests/api/tenancy.rs which \
                         record it names.",
                        op.label()
                    );
                };
                slots.push(Slot {
                    place: Place::Body {
                        pointer: pointer_of(&field),
                        field,
                    },
                    record,
                });
            }
        }
        match (kinds, has_id) {
            (Some(kinds), true) => {
                for (kind, record) in kinds {
                    let mut fixed_path = fixed_path.clone();
                    fixed_path.push(("kind".to_owned(), kind.clone()));
                    let mut slots = slots.clone();
                    slots.push(Slot {
                        place: Place::Path("id".to_owned()),
                        record,
                    });
                    plans.push(Plan {
                        op,
                        label: format!("{} {}", op.method, op.path.replace("{kind}", &kind)),
                        fixed_path,
                        fixed_query: fixed_query.clone(),
                        unique_headers: unique_headers.clone(),
                        body: body.clone(),
                        slots,
                    });
                }
            }
            (None, false) => plans.push(Plan {
                op,
                label: op.label(),
                fixed_path,
                fixed_query,
                unique_headers,
                body,
                slots,
            }),
            _ => panic!(
                "{}: `{{kind}}` and `{{id}}` come as a pair in the tenancy sweep; teach \
                 `plans` in crates/server/tests/api/tenancy.rs this shape.",
                op.label()
            ),
        }
    }
    plans
}

/// The collections `{kind}` takes, read from its description ("organisations, contracts,
/// services, service-levels or clients"): a collection the sweep does not know fails it.
fn kinds_of(op: &Operation, parameter: &Value) -> Vec<(String, Record)> {
    let description = parameter["description"].as_str().unwrap_or_default();
    let kinds: Vec<(String, Record)> = description
        .replace(" or ", ", ")
        .split(',')
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .map(|word| {
            let record = collection_record(word).unwrap_or_else(|| {
                panic!(
                    "{}: `{{kind}}` may be `{word}`, which the tenancy sweep cannot fill. \
                     Teach `collection_record` in crates/server/tests/api/tenancy.rs.",
                    op.label()
                )
            });
            (word.to_owned(), record)
        })
        .collect();
    assert!(
        !kinds.is_empty(),
        "{}: `{{kind}}` does not list its collections in its description",
        op.label()
    );
    kinds
}

/// Every `*_id` field of a body, by the API's field path, with the record it names.
fn body_slots(value: &Value, field: &str, key: &str, found: &mut Vec<(String, Option<Record>)>) {
    match value {
        Value::Object(object) => {
            for (name, inner) in object {
                let path = if field.is_empty() {
                    name.clone()
                } else {
                    format!("{field}.{name}")
                };
                body_slots(inner, &path, name, found);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                body_slots(inner, &format!("{field}[{index}]"), key, found);
            }
        }
        _ if key.ends_with("_id") => found.push((field.to_owned(), id_record(key))),
        // A list of ids (`cpli_ids`): each item names a record, as its singular would.
        _ if key.ends_with("_ids") => found.push((
            field.to_owned(),
            id_record(key.strip_suffix('s').unwrap_or(key)),
        )),
        _ => {}
    }
}

/// The record a polymorphic `related_id` names, by its sibling `related_kind` (`client`,
/// `contract`, `service` or `organisation`).
fn related_record(body: &Value, field: &str) -> Option<Record> {
    let kind_field = field.strip_suffix("related_id")?.to_owned() + "related_kind";
    let kind = body.pointer(&pointer_of(&kind_field))?.as_str()?;
    collection_record(&format!("{kind}s"))
}

/// `lines[0].cpli_id` as a JSON pointer: `/lines/0/cpli_id`.
fn pointer_of(field: &str) -> String {
    let mut pointer = String::new();
    for part in field.split('.') {
        let mut pieces = part.split('[');
        pointer.push('/');
        pointer.push_str(pieces.next().unwrap_or_default());
        for index in pieces {
            pointer.push('/');
            pointer.push_str(index.trim_end_matches(']'));
        }
    }
    pointer
}

// ---------------------------------------------------------------------------------------
// Bodies made from schemas.

/// A value that passes the field's validation, by its name where the schema has no example.
fn plausible_by_name(name: &str) -> Option<Value> {
    Some(json!(match name {
        "version" | "latest_version_seen" => return Some(json!(1)),
        "authorised" => return Some(json!(true)),
        "name" => "Probe Name",
        "title" => "Mr",
        "forename" => "Alan",
        "surname" => "Probe",
        "ssref" => "PROBE1",
        "email" | "contact_email" => "probe@example.org",
        "phone" | "contact_phone" => "01274 000000",
        "address_line1" | "contact_address" => "1 Probe Street",
        "town" => "Bradford",
        "postcode" => "BD1 1AA",
        "contract_type_group" => "Homecare",
        "payment_model" => "scheduled",
        "pricing_kind" => "per_unit",
        "unit" => "hour",
        "vat_rate_percent" => "0",
        "rate" => "21.00",
        "period_anchor" => "2021-04-05",
        "start" => "2022-05-02",
        "effective_from" => "2022-06-13",
        "rate_effective_from" => "2022-04-01",
        "weekly_quantity" | "planned_visits" => "7",
        "role" => "finance",
        "kind" => "provider",
        _ => return None,
    }))
}

/// Values that must win over the document's example: an action's due date, which the
/// example's has long passed (a body refused for it would not reach the record lookup).
fn plausible_override(name: &str) -> Option<Value> {
    match name {
        "due_on" => Some(json!("2099-06-01")),
        _ => None,
    }
}

/// A body (or field) that a caller allowed to make the call could plausibly send.
fn plausible(doc: &Value, name: &str, schema: &Value) -> Value {
    let schema = resolve(doc, schema);
    if let Some(value) = plausible_override(name) {
        return value;
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(value) = plausible_by_name(name) {
        return value;
    }
    if nullable(&schema) {
        return Value::Null;
    }
    match main_type(&schema) {
        "object" => Value::Object(
            schema["properties"]
                .as_object()
                .map(|properties| {
                    properties
                        .iter()
                        .map(|(name, inner)| (name.clone(), plausible(doc, name, inner)))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        // One item when an item names a record, so there is an id slot to sweep.
        "array" => {
            let items = resolve(doc, &schema["items"]);
            let item = plausible(doc, name, &items);
            let mut found = Vec::new();
            body_slots(&item, "", name, &mut found);
            if found.is_empty() {
                json!([])
            } else {
                json!([item])
            }
        }
        "integer" | "number" => json!(1),
        "boolean" => json!(false),
        _ if name.ends_with("_id") => json!("1"),
        _ => json!("probe"),
    }
}

/// Every field present, of its type, but empty: enough to reach the handler's permission
/// check, never enough to write anything.
fn hollow(doc: &Value, schema: &Value) -> Value {
    let schema = resolve(doc, schema);
    match main_type(&schema) {
        "object" => Value::Object(
            schema["properties"]
                .as_object()
                .map(|properties| {
                    properties
                        .iter()
                        .map(|(name, inner)| (name.clone(), hollow(doc, inner)))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        _ if nullable(&schema) => Value::Null,
        "array" => json!([]),
        "integer" | "number" => json!(0),
        "boolean" => json!(false),
        _ => json!(""),
    }
}

/// Every field present, each of the wrong type.
fn wrongly_typed(doc: &Value, schema: &Value) -> Value {
    let schema = resolve(doc, schema);
    Value::Object(
        schema["properties"]
            .as_object()
            .map(|properties| {
                properties
                    .iter()
                    .map(|(name, inner)| {
                        let wrong = match main_type(&resolve(doc, inner)) {
                            "integer" | "number" => json!("not a number"),
                            "boolean" => json!("not a boolean"),
                            "array" => json!({"not": "a list"}),
                            "object" => json!(["not", "an object"]),
                            _ => json!(12345),
                        };
                        (name.clone(), wrong)
                    })
                    .collect()
            })
            .unwrap_or_default(),
    )
}

// ---------------------------------------------------------------------------------------
// The demo world's parties.

/// One organisation's records, as the sweeps use them.
struct Party {
    name: &'static str,
    ids: BTreeMap<Record, String>,
    /// Text of this organisation's that nobody outside it may be shown.
    secrets: Vec<String>,
}

async fn get_ok(app: &TestApp, path: &str, token: &str) -> Value {
    let response = app.get(path, token).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let response = app.post_json(path, Some(token), &body).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 201, "POST {path}: {body}");
    body
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not text"))
        .to_owned()
}

fn items(value: &Value) -> Vec<Value> {
    value["items"].as_array().cloned().unwrap_or_default()
}

async fn generate(app: &TestApp, token: &str, service: &str) {
    generate_week(app, token, service, WEEK).await;
}

async fn generate_week(app: &TestApp, token: &str, service: &str, week: &str) {
    let response = app
        .post_json(
            &format!("/services/{service}/weeks/{week}/actuals/generate"),
            Some(token),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200, "generating {service}'s week");
}

/// A checked (never committed) import of the service's week, made by `token`, when the
/// document has imports.
async fn import_of(app: &TestApp, token: &str, service: &str) -> Option<String> {
    let response = app
        .client
        .get(app.url(&format!(
            "/services/{service}/actuals?from={WEEK}&to={WEEK}&format=csv"
        )))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    if response.status() == 404 {
        return None;
    }
    let csv = response.text().await.unwrap();
    let response = app
        .client
        .post(app.url(&format!("/services/{service}/imports")))
        .query(&[("reference", format!("sweep-{service}.csv"))])
        .bearer_auth(token)
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 201, "an import for service {service}: {body}");
    Some(text(&body["id"]))
}

/// The id of a purchase order at the service (listing it gives it its number).
async fn purchase_order_of(app: &TestApp, token: &str, service: &str) -> Option<String> {
    items(&get_ok(app, &format!("/purchase-orders?service={service}"), token).await)
        .first()
        .map(|po| text(&po["id"]))
}

/// Invoices are raised only on invoiced contracts, which only Bedford's Day Opportunities PP
/// Home has: an invoice of theirs for the period from 28/03/2022 (a week generated), its
/// ids and its secrets.
async fn day_opportunities_invoice(
    app: &TestApp,
    token: &str,
) -> (BTreeMap<Record, String>, Vec<String>) {
    for service in items(&get_ok(app, "/services", token).await) {
        generate_week(app, token, &text(&service["id"]), "2022-03-28").await;
    }
    let invoice = created(
        app,
        token,
        "/invoices",
        json!({
            "scope": "organisation", "period_start": "2022-03-28", "reference": "SWEEP-DAYOPS-1",
            "date_on_invoice": "2022-10-09", "entered_ex_vat": "0.00", "entered_vat": "0.00"
        }),
    )
    .await;
    let item = invoice["items"]
        .as_array()
        .and_then(|items| items.first())
        .map(|item| text(&item["id"]))
        .unwrap_or_else(|| panic!("Day Opportunities' invoice has items: {invoice}"));
    let ids = BTreeMap::from([
        (Record::Invoice, text(&invoice["id"])),
        (Record::InvoiceItem, item),
    ]);
    let secrets = vec![
        text(&invoice["organisation_name"]),
        text(&invoice["reference"]),
    ];
    (ids, secrets)
}

/// The first payment period of the contract in 2022/2023 (listing them makes them).
async fn payment_period_of(app: &TestApp, token: &str, contract: &str) -> String {
    let periods = get_ok(
        app,
        &format!("/contracts/{contract}/payment-periods?financial_year=2022/2023"),
        token,
    )
    .await;
    items(&periods)
        .last()
        .map(|period| text(&period["id"]))
        .unwrap_or_else(|| panic!("contract {contract} has payment periods in 2022/2023"))
}

/// A one-off claim for the client under the contract, submitted by the provider's contact.
async fn claim_of(app: &TestApp, token: &str, contract: &str, client: &str) -> String {
    let claim = created(
        app,
        token,
        "/one-off-claims",
        json!({
            "contract_id": contract, "item": "client", "client_id": client,
            "description": "Taxi to a sweep appointment", "claim_date": "2022-06-06",
            "amount": "45.50", "vat": "0.00",
            "evidence": {"file_name": "receipt.pdf", "content_type": "application/pdf",
                         "content_base64": "JVBERi0xLjQKJcOkw7zDtsOfCg=="}
        }),
    )
    .await;
    text(&claim["id"])
}

/// An action on the client, raised by `token` (of a type it may raise, with a team), and the
/// type's id.
async fn action_of(app: &TestApp, token: &str, client: &str) -> (String, String) {
    let options = get_ok(app, "/action-options", token).await;
    let kind = options["types"]
        .as_array()
        .and_then(|types| {
            types.iter().find(|kind| {
                kind["team"].is_string()
                    && kind["entity_kinds"]
                        .as_array()
                        .is_some_and(|kinds| kinds.iter().any(|k| k == "client"))
            })
        })
        .cloned()
        .unwrap_or_else(|| panic!("an action type for clients, with a team: {options}"));
    let action = created(
        app,
        token,
        "/actions",
        json!({
            "type_id": kind["id"], "related_kind": "client", "related_id": client,
            "due_on": kind["earliest_due_on"], "title": "Sweep action",
            "text": "Raised for the tenancy sweep"
        }),
    )
    .await;
    (text(&action["id"]), text(&kind["id"]))
}

/// A dispute raised by council staff (`council`) on the first client of the service's week,
/// and the reason it gives (the council's first).
async fn dispute_of(app: &TestApp, council: &str, service: &str) -> (String, String) {
    let reasons = items(&get_ok(app, "/council/dispute-reasons", council).await);
    let reason = reasons
        .first()
        .map(|reason| text(&reason["id"]))
        .expect("a council has dispute reasons");
    let grid = get_ok(
        app,
        &format!("/services/{service}/weeks/{WEEK}/actuals"),
        council,
    )
    .await;
    let client = grid["clients"]
        .as_array()
        .and_then(|clients| clients.first())
        .map(|client| text(&client["client"]["id"]))
        .unwrap_or_else(|| panic!("a client at service {service} in {WEEK}: {grid}"));
    let dispute = created(
        app,
        council,
        "/disputes",
        json!({
            "service_id": service, "client_id": client, "from": WEEK, "to": WEEK,
            "reason_id": reason, "details": "Raised for the tenancy sweep"
        }),
    )
    .await;
    (text(&dispute["id"]), reason)
}

/// A change request of the party's: its `contact` asks for its account's (`Record::Account`)
/// telephone to change.
async fn change_request_of(app: &TestApp, contact: &str, ids: &BTreeMap<Record, String>) -> String {
    let request = created(
        app,
        contact,
        "/change-requests",
        json!({
            "kind": "update_contact", "organisation_id": ids[&Record::Organisation],
            "account_id": ids[&Record::Account], "values": {"phone": "01632 960001"}
        }),
    )
    .await;
    text(&request["id"])
}

/// The opening post of the party's action, the first step of its dispute, and a file its
/// council's staff attach to the dispute, whose name only the party's people may see.
async fn attachments_of(
    app: &TestApp,
    council: &str,
    ids: &BTreeMap<Record, String>,
) -> (String, String, String, String) {
    let action = get_ok(app, &format!("/actions/{}", ids[&Record::Action]), council).await;
    let post = text(&action["posts"][0]["id"]);
    let dispute_id = &ids[&Record::Dispute];
    let dispute = get_ok(app, &format!("/disputes/{dispute_id}"), council).await;
    let event = text(&dispute["history"][0]["id"]);
    let file_name = format!("sweep-{}.pdf", uuid::Uuid::new_v4().simple());
    let response = app
        .client
        .post(app.url(&format!(
            "/disputes/{dispute_id}/attachments?file_name={file_name}"
        )))
        .bearer_auth(council)
        .header("Content-Type", "application/pdf")
        .body(b"%PDF-1.4\n% attached for the tenancy sweep\n".to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 201, "an attachment to dispute {dispute_id}: {body}");
    (post, event, text(&body["id"]), file_name)
}

/// A webhook of the council's, and its URL (which only its staff may see).
async fn webhook_of(app: &TestApp, council: &str) -> (String, String) {
    let url = format!(
        "https://webhooks.invalid/sweep-{}",
        uuid::Uuid::new_v4().simple()
    );
    let made = created(
        app,
        council,
        "/council/webhooks",
        json!({ "url": url, "events": ["dispute.raised"] }),
    )
    .await;
    (text(&made["webhook"]["id"]), url)
}

/// A contract document for the party's service, published by its council's staff.
async fn document_of(app: &TestApp, council: &str, service: &str) -> String {
    let document = created(
        app,
        council,
        "/contract-documents",
        json!({
            "service_id": service, "document_type": "Provider Contract",
            "title": "Published for the tenancy sweep", "starts_on": "2022-04-01",
            "file": {"file_name": "sweep.pdf", "content_type": "application/pdf",
                     "content_base64": "JVBERi0xLjQKJSVFT0YK"}
        }),
    )
    .await;
    text(&document["id"])
}

/// A payment period, a one-off claim and an action of the party: the period read by `reader`
/// (its contact, or its council's staff), the claim and action raised by its `contact`; with
/// the action's type when `own_action_type` (the type is its council's, so another
/// organisation's only to callers of another council).
async fn payments_claims_and_actions(
    app: &TestApp,
    ids: &mut BTreeMap<Record, String>,
    reader: &str,
    contact: &str,
    own_action_type: bool,
) {
    let contract = ids[&Record::Contract].clone();
    let client = ids[&Record::Client].clone();
    ids.insert(
        Record::PaymentPeriod,
        payment_period_of(app, reader, &contract).await,
    );
    ids.insert(
        Record::Claim,
        claim_of(app, contact, &contract, &client).await,
    );
    let (action, action_type) = action_of(app, contact, &client).await;
    ids.insert(Record::Action, action);
    let change_request = change_request_of(app, contact, ids).await;
    ids.insert(Record::ChangeRequest, change_request);
    if own_action_type {
        ids.insert(Record::ActionType, action_type);
    }
}

/// A demo provider's records, read through its own sign-in, with one week generated.
async fn provider_party(app: &TestApp, token: &str, email: &str, name: &'static str) -> Party {
    let organisation = items(&get_ok(app, "/organisations", token).await)
        .first()
        .cloned()
        .expect("a provider has an organisation");
    let services = items(&get_ok(app, "/services", token).await);
    let service = services.first().cloned().expect("a provider has a service");
    let cplis = items(
        &get_ok(
            app,
            "/cplis?include_historical=true&include_unauthorised=true",
            token,
        )
        .await,
    );
    let cpli = cplis
        .iter()
        .find(|cpli| cpli["service_id"] == service["id"])
        .cloned()
        .expect("a CPLI at the provider's first service");
    let account = app
        .store
        .user_by_email(email)
        .await
        .unwrap()
        .expect("the demo login exists");
    for service in &services {
        generate(app, token, service["id"].as_str().unwrap()).await;
    }
    let import = import_of(app, token, service["id"].as_str().unwrap()).await;
    let mut secrets = vec![text(&service["contract_name"]), email.to_owned()];
    for field in [
        "name",
        "address_line1",
        "town",
        "postcode",
        "email",
        "phone",
    ] {
        secrets.push(text(&organisation[field]));
    }
    for service in &services {
        secrets.push(text(&service["name"]));
    }
    for cpli in &cplis {
        secrets.push(text(&cpli["client_name"]));
        secrets.push(text(&cpli["ssref"]));
        secrets.push(text(&cpli["service_level_name"]));
    }
    let mut ids = BTreeMap::from([
        (Record::Organisation, text(&organisation["id"])),
        (Record::Contract, text(&service["contract_id"])),
        (Record::Service, text(&service["id"])),
        (Record::ServiceLevel, text(&cpli["service_level_id"])),
        (Record::Client, text(&cpli["client_id"])),
        (Record::Cpli, text(&cpli["id"])),
        (Record::Account, account.id.to_string()),
    ]);
    if let Some(import) = import {
        ids.insert(Record::Import, import);
    }
    if let Some(po) = purchase_order_of(app, token, service["id"].as_str().unwrap()).await {
        ids.insert(Record::PurchaseOrder, po);
    }
    payments_claims_and_actions(app, &mut ids, token, token, true).await;
    Party {
        name,
        ids,
        secrets: tidy(secrets),
    }
}

/// A second provider of Bradford's, made by council staff: Pennine Care, with a contract, a
/// service, a level, a client with a CPLI, a contact's account and a generated week.
async fn pennine(app: &TestApp, council: &str) -> Party {
    let organisation = created(
        app,
        council,
        "/organisations",
        json!({"name": "Pennine Care Ltd", "address_line1": "3 Moor Lane", "town": "Keighley",
               "postcode": "BD21 9ZZ", "email": "office@penninecare.example", "phone": "01535 000000"}),
    )
    .await;
    let contract = created(
        app,
        council,
        "/contracts",
        json!({
            "organisation_id": organisation["id"], "name": "Pennine Homecare", "contract_type_group": "Homecare",
            "payment_model": "scheduled", "period_weeks": 1, "period_anchor": "2022-04-04", "vat_rate_percent": "0"
        }),
    )
    .await;
    let service = created(
        app,
        council,
        "/services",
        json!({"contract_id": contract["id"], "name": "Pennine Home Care", "town": "Keighley"}),
    )
    .await;
    let level = created(
        app,
        council,
        "/service-levels",
        json!({
            "contract_id": contract["id"], "name": "Pennine - Single-handed", "unit": "hour",
            "pricing_kind": "per_unit", "rate": "20.00", "rate_effective_from": "2022-04-01"
        }),
    )
    .await;
    let person = created(
        app,
        council,
        "/clients",
        json!({"ssref": "PEN100", "title": "Mrs", "forename": "Ada", "surname": "Lovelace"}),
    )
    .await;
    let cpli = created(
        app,
        council,
        "/cplis",
        json!({
            "client_id": person["id"], "service_id": service["id"], "service_level_id": level["id"],
            "start": "2022-05-02", "weekly_quantity": "7", "planned_visits": "7", "budget_code": "PEN-1",
            "authorised": true
        }),
    )
    .await;
    let account = created(
        app,
        council,
        "/accounts",
        json!({
            "kind": "provider", "email": "penny@penninecare.example", "name": "Penny Pennine",
            "memberships": [{"organisation_id": organisation["id"], "role": "finance"}]
        }),
    )
    .await;
    generate(app, council, service["id"].as_str().unwrap()).await;
    let mut ids = BTreeMap::from([
        (Record::Organisation, text(&organisation["id"])),
        (Record::Contract, text(&contract["id"])),
        (Record::Service, text(&service["id"])),
        (Record::ServiceLevel, text(&level["id"])),
        (Record::Client, text(&person["id"])),
        (Record::Cpli, text(&cpli["id"])),
        (Record::Account, text(&account["account"]["id"])),
    ]);
    // Council staff may record a provider's actuals, so they check a file of Pennine's.
    if let Some(import) = import_of(app, council, service["id"].as_str().unwrap()).await {
        ids.insert(Record::Import, import);
    }
    if let Some(po) = purchase_order_of(app, council, service["id"].as_str().unwrap()).await {
        ids.insert(Record::PurchaseOrder, po);
    }
    // Pennine's own contact raises its claim and action. (Its action types are Bradford's,
    // which are Ally Pally's too: not another organisation's to name.)
    let contact = provider_contact(
        app,
        ids[&Record::Organisation].parse().unwrap(),
        "pat.pennine@penninecare.example",
    )
    .await;
    payments_claims_and_actions(app, &mut ids, council, &contact, false).await;
    Party {
        name: "Pennine Care Ltd (Bradford, made for this test)",
        ids,
        secrets: tidy(vec![
            "Pennine".to_owned(),
            "penninecare".to_owned(),
            "Lovelace".to_owned(),
            "PEN100".to_owned(),
            "Keighley".to_owned(),
            "Moor Lane".to_owned(),
        ]),
    }
}

/// Secrets long enough to mean something, once each.
fn tidy(mut secrets: Vec<String>) -> Vec<String> {
    secrets.retain(|secret| secret.trim().chars().count() >= 4);
    secrets.sort();
    secrets.dedup();
    secrets
}

/// What someone can read of a world, to show afterwards that nothing of it changed.
struct Snapshot {
    token: String,
    reads: Vec<(String, u16, Value)>,
}

async fn read_all(app: &TestApp, token: &str, paths: &[String]) -> Vec<(String, u16, Value)> {
    let mut reads = Vec::new();
    for path in paths {
        let response = app.get(path, token).await;
        let status = response.status().as_u16();
        reads.push((
            path.clone(),
            status,
            response.json().await.unwrap_or(Value::Null),
        ));
    }
    reads
}

/// Everything the world's reader sees: the lists, and each service's week and details and
/// each CPLI's versions.
async fn snapshot(app: &TestApp, token: &str, lists: &[&str]) -> Snapshot {
    let mut paths: Vec<String> = lists.iter().map(|path| (*path).to_owned()).collect();
    for service in items(&get_ok(app, "/services", token).await) {
        let id = text(&service["id"]);
        paths.push(format!("/services/{id}"));
        paths.push(format!("/services/{id}/weeks/{WEEK}/actuals"));
        paths.push(format!(
            "/services/{id}/weeks?from=2022-05-02&to=2022-06-26"
        ));
    }
    let cplis = get_ok(
        app,
        "/cplis?include_historical=true&include_unauthorised=true",
        token,
    )
    .await;
    for cpli in items(&cplis) {
        paths.push(format!("/cplis/{}/versions", text(&cpli["id"])));
    }
    let reads = read_all(app, token, &paths).await;
    for (path, status, body) in &reads {
        assert_eq!(*status, 200, "snapshot read {path}: {body}");
    }
    Snapshot {
        token: token.to_owned(),
        reads,
    }
}

impl Snapshot {
    async fn unchanged(&self, app: &TestApp, what: &str, failures: &mut Vec<String>) {
        let paths: Vec<String> = self.reads.iter().map(|(path, _, _)| path.clone()).collect();
        let now = read_all(app, &self.token, &paths).await;
        for (before, after) in self.reads.iter().zip(now) {
            if *before != after {
                failures.push(format!(
                    "{what} changed during the sweep: GET {} was {} {} and is now {} {}",
                    before.0, before.1, before.2, after.1, after.2
                ));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Making requests.

struct Sent {
    request: String,
    status: u16,
    content_type: String,
    text: String,
}

impl Sent {
    fn problem(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    fn describe(&self) -> String {
        let mut text = self.text.clone();
        if text.len() > 600 {
            let mut end = 600;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
            text.push_str("...");
        }
        format!(
            "{} -> {} ({}) {}",
            self.request, self.status, self.content_type, text
        )
    }
}

async fn send(
    app: &TestApp,
    method: &Method,
    path_and_query: &str,
    token: &str,
    headers: &[(String, String)],
    body: Option<(&str, Vec<u8>)>,
) -> Sent {
    let mut request = app
        .client
        .request(method.clone(), format!("{}{path_and_query}", app.address))
        .bearer_auth(token);
    for (name, value) in headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let mut shown = format!("{method} {path_and_query}");
    if let Some((content_type, bytes)) = body {
        shown.push_str(&format!(
            " [{content_type}] {}",
            String::from_utf8_lossy(&bytes)
        ));
        request = request.header("Content-Type", content_type).body(bytes);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.unwrap_or_default();
    Sent {
        request: shown,
        status,
        content_type,
        text,
    }
}

/// The path and query of a plan with each slot filled by `fill`; `None` when a slot has no
/// value (that party has no such record).
fn render(
    plan: &Plan,
    fill: &dyn Fn(usize, Record) -> Option<String>,
) -> Option<(String, Option<Value>)> {
    let mut path = plan.op.path.clone();
    for (name, value) in &plan.fixed_path {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    let mut query: Vec<(String, String)> = plan.fixed_query.clone();
    let mut body = plan.body.clone();
    for (index, slot) in plan.slots.iter().enumerate() {
        let value = fill(index, slot.record)?;
        match &slot.place {
            Place::Path(name) => path = path.replace(&format!("{{{name}}}"), &value),
            Place::Query(name) => query.push((name.clone(), value)),
            Place::Body { pointer, .. } => {
                let target = body
                    .as_mut()
                    .and_then(|body| body.pointer_mut(pointer))
                    .expect("a body slot points into the body");
                *target = json!(value);
            }
        }
    }
    assert!(
        !path.contains('{'),
        "{}: a path parameter was left unfilled: {path}",
        plan.label
    );
    if !query.is_empty() {
        let pairs: Vec<String> = query
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        path = format!("{path}?{}", pairs.join("&"));
    }
    Some((path, body))
}

async fn send_plan(
    app: &TestApp,
    plan: &Plan<'_>,
    token: &str,
    path_and_query: &str,
    body: Option<&Value>,
) -> Sent {
    let headers: Vec<(String, String)> = plan
        .unique_headers
        .iter()
        .map(|name| (name.clone(), uuid::Uuid::new_v4().to_string()))
        .collect();
    let body = body.map(|body| ("application/json", serde_json::to_vec(body).unwrap()));
    send(app, &plan.op.method, path_and_query, token, &headers, body).await
}

// ---------------------------------------------------------------------------------------
// 1. The tenancy sweep.

struct Attacker<'a> {
    name: &'static str,
    token: &'a str,
    is_provider: bool,
    own: &'a Party,
}

#[derive(Default)]
struct Tally {
    requests: usize,
    operations: std::collections::BTreeSet<String>,
}

/// Judges one answer to a request naming `foreign` (by slot) of `victim`'s records.
fn judge(
    plan: &Plan,
    attacker: &Attacker,
    victim: &Party,
    foreign: &[&Slot],
    sent: &Sent,
) -> Result<(), String> {
    let op = plan.op;
    if sent.status >= 500 {
        return Err("a server error".into());
    }
    if let Some(secret) = victim
        .secrets
        .iter()
        .find(|secret| sent.text.contains(secret.as_str()))
    {
        return Err(format!("the answer shows {}'s `{secret}`", victim.name));
    }
    let success = (200..300).contains(&sent.status);
    if !success && !sent.content_type.starts_with("application/problem+json") {
        return Err("a refusal that is not application/problem+json".into());
    }
    if attacker.is_provider && op.council_only() {
        return match sent.status {
            403 => Ok(()),
            _ => Err("council staff only, so a provider must get 403".into()),
        };
    }
    if foreign.is_empty() {
        // Only reads are made with the caller's own ids: any answer without a leak will do.
        return Ok(());
    }
    // Another's record in the path: only "not yours" will do. No 422 is accepted here,
    // although some operations (editing an organisation, service or service level) check the
    // body before they look the record up: the sweep's bodies pass those checks (they are
    // made from the document's examples and `plausible_by_name`), so the record lookup is
    // what answers. A 422 here would mean a body the sweep should make better, or a record
    // looked up and then refused field by field; both need a look.
    if foreign
        .iter()
        .any(|slot| matches!(slot.place, Place::Path(_)))
    {
        return match sent.status {
            403 | 404 => Ok(()),
            _ => Err(format!(
                "another organisation's record in the path must get 403 or 404, not {}",
                sent.status
            )),
        };
    }
    // Other organisations' ids only in the query or body.
    if op.method == Method::GET {
        // A filter naming another's record may answer an empty list, a 404 or a 422.
        return match sent.status {
            200..=299 | 403 | 404 | 422 => Ok(()),
            _ => Err(format!("an unexpected {}", sent.status)),
        };
    }
    let fields: Vec<&str> = foreign
        .iter()
        .filter_map(|slot| match &slot.place {
            Place::Body { field, .. } => Some(field.as_str()),
            _ => None,
        })
        .collect();
    match sent.status {
        403 | 404 => Ok(()),
        // The reference was looked up within the caller's reach and refused, field by field.
        422 => {
            let problem = sent.problem();
            let named: Vec<&str> = problem["errors"]
                .as_array()
                .map(|errors| errors.iter().filter_map(|e| e["field"].as_str()).collect())
                .unwrap_or_default();
            if fields.iter().any(|field| named.contains(field)) {
                Ok(())
            } else {
                Err(format!(
                    "a 422 that does not name the foreign field(s) {fields:?} (it names {named:?})"
                ))
            }
        }
        200..=299 => {
            // A line-by-line answer (integration batches): each line naming another's record
            // must be rejected, and nothing else will do.
            let body: Value = serde_json::from_str(&sent.text).unwrap_or(Value::Null);
            for field in &fields {
                let top = field.split('[').next().unwrap_or_default();
                let index: Option<usize> = field
                    .split_once('[')
                    .and_then(|(_, rest)| rest.split(']').next())
                    .and_then(|index| index.parse().ok());
                let line = index.and_then(|index| body[top].get(index));
                match line {
                    Some(line) if line["status"] == "rejected" => {}
                    Some(line) => {
                        return Err(format!(
                            "the line holding another organisation's `{field}` was not rejected: {line}"
                        ))
                    }
                    None => {
                        return Err(format!(
                            "a write naming another organisation's `{field}` succeeded"
                        ))
                    }
                }
            }
            Ok(())
        }
        _ => Err(format!("an unexpected {}", sent.status)),
    }
}

async fn sweep(
    app: &TestApp,
    plans: &[Plan<'_>],
    attacker: &Attacker<'_>,
    victim: &Party,
    tally: &mut Tally,
    failures: &mut Vec<String>,
) {
    for plan in plans {
        if plan.op.tenancy_exempt() {
            continue;
        }
        let slots = plan.slots.len();
        assert!(slots < 10, "{}: too many id slots to combine", plan.label);
        for mask in 0..(1usize << slots) {
            let all_own = mask == 0;
            // With only its own ids a caller is refused only council staff's operations;
            // reads are checked for leaks all the same.
            if all_own
                && !(attacker.is_provider && plan.op.council_only())
                && plan.op.method != Method::GET
            {
                continue;
            }
            let fill = |index: usize, record: Record| {
                let party = if mask & (1 << index) != 0 {
                    victim
                } else {
                    attacker.own
                };
                party.ids.get(&record).cloned()
            };
            let Some((path, body)) = render(plan, &fill) else {
                continue;
            };
            let foreign: Vec<&Slot> = plan
                .slots
                .iter()
                .enumerate()
                .filter(|(index, _)| mask & (1 << index) != 0)
                .map(|(_, slot)| slot)
                .collect();
            let sent = send_plan(app, plan, attacker.token, &path, body.as_ref()).await;
            tally.requests += 1;
            if std::env::var_os("TENANCY_VERBOSE").is_some() {
                println!("{} | {}: {}", attacker.name, victim.name, sent.describe());
            }
            tally.operations.insert(plan.label.clone());
            if let Err(why) = judge(plan, attacker, victim, &foreign, &sent) {
                let named: Vec<String> = foreign
                    .iter()
                    .map(|slot| format!("{:?}", slot.record))
                    .collect();
                failures.push(format!(
                    "{} as {}, naming {}'s {}: {why}\n    {}",
                    plan.label,
                    attacker.name,
                    victim.name,
                    if named.is_empty() {
                        "nothing (own ids only)".to_owned()
                    } else {
                        named.join(" + ")
                    },
                    sent.describe()
                ));
            }
        }
    }
}

/// Council staff of Stockport: the demo has none, so one is made in the store, with the demo
/// password and code.
async fn stockport_staff(app: &TestApp) -> String {
    council_staff(app, "Stockport", "stella.staff@stockport.example").await
}

/// Council staff of the council, made in the store with the demo password and code.
async fn council_staff(app: &TestApp, council: &str, email: &str) -> String {
    use portal_store::people::UserKind;
    let council = app
        .store
        .council_named(council)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("the demo has {council}"));
    store_user(app, email, UserKind::Council, Some(council)).await;
    app.login(email).await
}

/// A manager of the organisation, made in the store with the demo password and code.
async fn provider_contact(app: &TestApp, organisation: i64, email: &str) -> String {
    use portal_store::people::UserKind;
    let user = store_user(app, email, UserKind::Provider, None).await;
    app.store
        .add_membership(user, organisation, "manager")
        .await
        .unwrap();
    app.login(email).await
}

async fn store_user(
    app: &TestApp,
    email: &str,
    kind: portal_store::people::UserKind,
    council_id: Option<i64>,
) -> i64 {
    use portal_domain::security_code::SecurityCode;
    use portal_server::auth::passwords::Hasher;
    use portal_server::configuration::HashingCost;
    use portal_server::demo::{DEMO_PASSWORD, DEMO_SECURITY_CODE};
    use portal_store::people::NewUser;

    let hasher = Hasher::new(HashingCost::Test);
    let user = app
        .store
        .create_user(&NewUser {
            email,
            name: "Sweep Person",
            kind,
            council_id,
            password_hash: &hasher.hash(DEMO_PASSWORD),
        })
        .await
        .unwrap();
    let code = SecurityCode::parse(DEMO_SECURITY_CODE, None).expect("the demo code is valid");
    app.store
        .set_security_code_hashes(user, &hasher.security_code_hashes(&code))
        .await
        .unwrap();
    user
}

/// Whether the document has tools' credentials (`/tool-clients` and the token endpoint).
fn has_tools(doc: &Value) -> bool {
    doc["paths"]["/api/v1/tool-clients"]["post"].is_object()
        && doc["paths"]["/api/v1/auth/token"]["post"].is_object()
}

/// Credentials for a tool of the organisation, with every scope, issued by council staff;
/// the tool's id and name join the organisation's records and secrets.
async fn issue_tool(app: &TestApp, council: &str, party: &mut Party, name: &str) -> Value {
    let credentials = created(
        app,
        council,
        "/tool-clients",
        json!({
            "organisation_id": party.ids[&Record::Organisation], "name": name,
            "scopes": ["cplis:read", "actuals:read", "actuals:write"]
        }),
    )
    .await;
    party
        .ids
        .insert(Record::ToolClient, text(&credentials["tool"]["id"]));
    party.secrets.push(name.to_owned());
    party.secrets.push(text(&credentials["tool"]["client_id"]));
    credentials
}

/// A bearer token for the tool (the client-credentials grant).
async fn tool_token(app: &TestApp, credentials: &Value) -> String {
    let response = app
        .client
        .post(app.url("/auth/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            text(&credentials["tool"]["client_id"]),
            text(&credentials["client_secret"])
        ))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "a tool's token: {body}");
    text(&body["access_token"])
}

/// The demo world the sweeps work in: Ally Pally (the caller's own organisation), Pennine
/// (another provider of Bradford's, made here) and Diamond Home Care (Stockport's), each
/// with a generated week, and the sign-ins of their people (and tools, when there are).
struct World {
    bradford: String,
    stockport: String,
    ally_pally: String,
    /// A tool of Ally Pally's with every scope, when the document has tools.
    tool: Option<String>,
    own: Party,
    pennine: Party,
    diamond: Party,
    /// One of Bradford's bank holidays in 2022 (for `{date}`).
    bank_holiday: String,
    /// Bedford's Day Opportunities PP Home (the only provider with invoices): its contact, its
    /// council's staff and its invoice's ids, for the bad-input sweep of operations Ally Pally
    /// has no record for.
    day_opportunities: String,
    bedford: String,
    day_ids: BTreeMap<Record, String>,
}

async fn world(app: &TestApp, doc: &Value) -> World {
    let bradford = app.login(BRADFORD_COUNCIL).await;
    let ally_pally = app.login(ALLY_PALLY).await;
    let diamond_contact = app.login(DIAMOND).await;
    let stockport = stockport_staff(app).await;
    let mut own = provider_party(app, &ally_pally, ALLY_PALLY, "Ally Pally Ltd").await;
    let mut diamond = provider_party(
        app,
        &diamond_contact,
        DIAMOND,
        "Diamond Home Care (Stockport Council)",
    )
    .await;
    let mut pennine = pennine(app, &bradford).await;
    // Each party's dispute, raised by its council's staff; the reason is the council's own,
    // so Pennine's (Bradford's, as Ally Pally's) is not another organisation's to name.
    for (party, council, own_reason) in [
        (&mut own, &bradford, true),
        (&mut diamond, &stockport, true),
        (&mut pennine, &bradford, false),
    ] {
        let service = party.ids[&Record::Service].clone();
        let (dispute, reason) = dispute_of(app, council, &service).await;
        party.ids.insert(Record::Dispute, dispute);
        let document = document_of(app, council, &service).await;
        party.ids.insert(Record::ContractDocument, document);
        let (post, event, attachment, file_name) = attachments_of(app, council, &party.ids).await;
        party.ids.insert(Record::ActionPost, post);
        party.ids.insert(Record::DisputeEvent, event);
        party.ids.insert(Record::Attachment, attachment);
        party.secrets.push(file_name);
        if own_reason {
            party.ids.insert(Record::DisputeReason, reason);
            let (webhook, url) = webhook_of(app, council).await;
            party.ids.insert(Record::Webhook, webhook);
            party.secrets.push(url);
        }
    }
    let mut tool = None;
    if has_tools(doc) {
        let credentials = issue_tool(app, &bradford, &mut own, "Ally Pally rota sync").await;
        tool = Some(tool_token(app, &credentials).await);
        issue_tool(app, &bradford, &mut pennine, "Pennine rota sync").await;
        issue_tool(app, &stockport, &mut diamond, "Diamond rota sync").await;
    }
    // Neither Pennine nor Diamond can raise invoices: both stand for Day Opportunities', of
    // another council than either caller's.
    let day_opportunities = app.login(DAY_OPPORTUNITIES).await;
    let bedford = council_staff(app, "Bedford", "bea.sweep@bedford.example").await;
    let (day_ids, day_secrets) = day_opportunities_invoice(app, &day_opportunities).await;
    for victim in [&mut pennine, &mut diamond] {
        victim.ids.extend(day_ids.clone());
        victim.secrets.extend(day_secrets.iter().cloned());
        victim.secrets = tidy(std::mem::take(&mut victim.secrets));
    }
    let holidays = items(&get_ok(app, "/council/bank-holidays?year=2022", &bradford).await);
    let bank_holiday = holidays
        .first()
        .map(|holiday| text(&holiday["date"]))
        .expect("Bradford has bank holidays in 2022");

    // The victims' secrets must not be Ally Pally's own data, or a leak could not be told.
    let mine = get_ok(
        app,
        "/cplis?include_historical=true&include_unauthorised=true",
        &ally_pally,
    )
    .await
    .to_string();
    for victim in [&pennine, &diamond] {
        for secret in &victim.secrets {
            assert!(
                !mine.contains(secret.as_str()),
                "{secret} is Ally Pally's too"
            );
        }
    }
    World {
        bradford,
        stockport,
        ally_pally,
        tool,
        own,
        pennine,
        diamond,
        bank_holiday,
        day_opportunities,
        bedford,
        day_ids,
    }
}

/// The lists a council's staff read for a snapshot: every operation of the document that
/// reads without a path parameter, with the widest of views (no id filters).
fn list_paths(plans: &[Plan]) -> Vec<String> {
    plans
        .iter()
        .filter(|plan| {
            plan.op.method == Method::GET
                && !plan.op.tenancy_exempt()
                && !plan.op.provider_only()
                && !plan.op.path.contains('{')
        })
        .map(|plan| {
            let path = plan.op.path.trim_start_matches("/api/v1");
            let query: Vec<String> = plan
                .fixed_query
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            format!("{path}?{}", query.join("&"))
        })
        .collect()
}

async fn a_provider_never_reaches_another_organisations_records(db: Db) {
    let doc = document();
    let operations = operations(&doc);
    let app = spawn_app(db).await;
    let world = world(&app, &doc).await;
    let plans = plans(&doc, &operations, &world.bank_holiday);
    let lists = list_paths(&plans);
    let lists: Vec<&str> = lists.iter().map(String::as_str).collect();
    let mut failures = Vec::new();
    let mut tally = Tally::default();

    // A provider's contact, and its tool, write nothing of anyone's: both councils' worlds
    // stay exactly as they were. (The tool goes first: a provider wrongly allowed to rotate
    // its tool's secret would end the tool's token.)
    let bradford_world = snapshot(&app, &world.bradford, &lists).await;
    let stockport_world = snapshot(&app, &world.stockport, &lists).await;
    let mut providers = Vec::new();
    if let Some(tool) = &world.tool {
        providers.push(Attacker {
            name: "Ally Pally's tool (every scope)",
            token: tool,
            is_provider: true,
            own: &world.own,
        });
    }
    providers.push(Attacker {
        name: "Ally Pally's contact",
        token: &world.ally_pally,
        is_provider: true,
        own: &world.own,
    });
    for attacker in &providers {
        for victim in [&world.pennine, &world.diamond] {
            sweep(&app, &plans, attacker, victim, &mut tally, &mut failures).await;
        }
    }
    bradford_world
        .unchanged(&app, "Bradford's world", &mut failures)
        .await;
    stockport_world
        .unchanged(&app, "Stockport's world", &mut failures)
        .await;

    // Council staff of one council against the other council's providers: Bradford's reach
    // Diamond's records, then Stockport's reach Pennine's. (Pennine is Bradford's own, so not
    // foreign to Bradford's staff.) Their own council's world may change (an integration
    // batch's client line is accepted), so each other world is read afresh first.
    let bradford_staff = Attacker {
        name: "Bradford council staff",
        token: &world.bradford,
        is_provider: false,
        own: &world.own,
    };
    sweep(
        &app,
        &plans,
        &bradford_staff,
        &world.diamond,
        &mut tally,
        &mut failures,
    )
    .await;
    stockport_world
        .unchanged(&app, "Stockport's world", &mut failures)
        .await;
    let bradford_world = snapshot(&app, &world.bradford, &lists).await;
    let stockport_staff = Attacker {
        name: "Stockport council staff",
        token: &world.stockport,
        is_provider: false,
        own: &world.diamond,
    };
    sweep(
        &app,
        &plans,
        &stockport_staff,
        &world.pennine,
        &mut tally,
        &mut failures,
    )
    .await;
    bradford_world
        .unchanged(&app, "Bradford's world", &mut failures)
        .await;

    // Every operation with an id slot was walked.
    for plan in &plans {
        if !plan.op.tenancy_exempt() && !plan.slots.is_empty() {
            assert!(
                tally.operations.contains(&plan.label),
                "{} was never swept",
                plan.label
            );
        }
    }
    println!(
        "tenancy sweep ({db:?}): {} requests over {} operations",
        tally.requests,
        tally.operations.len()
    );
    assert!(
        failures.is_empty(),
        "{} tenancy failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// 2. The bad-input sweep.

/// Checks one answer to a bad body: a 4xx problem+json, naming real fields when a 422 says
/// which fields (for the bodies whose fields can be named).
fn judge_bad_input(sent: &Sent, fields: Option<&[String]>) -> Result<(), String> {
    if !(400..500).contains(&sent.status) {
        return Err(format!("a bad body must get a 4xx, not {}", sent.status));
    }
    if !sent.content_type.starts_with("application/problem+json") {
        return Err("a refusal that is not application/problem+json".into());
    }
    let problem = sent.problem();
    if problem["status"] != json!(sent.status) {
        return Err("a problem whose `status` is not the answer's".into());
    }
    let (Some(fields), 422) = (fields, sent.status) else {
        return Ok(());
    };
    let named: Vec<&str> = problem["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    if named.is_empty() {
        return Err("a 422 whose `errors` name no field".into());
    }
    let strangers: Vec<&&str> = named
        .iter()
        .filter(|field| {
            let top = field.split(['.', '[']).next().unwrap_or_default();
            !fields.iter().any(|known| known == top)
        })
        .collect();
    if strangers.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "a 422 whose `errors` name {strangers:?}, which are not fields of the body \
             ({fields:?})"
        ))
    }
}

async fn every_json_body_refuses_bad_input_with_a_problem(db: Db) {
    let doc = document();
    let operations = operations(&doc);
    let app = spawn_app(db).await;
    let world = world(&app, &doc).await;
    let (council, ally_pally, own) = (&world.bradford, &world.ally_pally, &world.own);
    let plans = plans(&doc, &operations, &world.bank_holiday);

    let mut failures = Vec::new();
    let mut swept = 0;
    for plan in &plans {
        let Some(content) = plan.op.json_body() else {
            let others = plan.op.other_body_types();
            if others.is_empty() {
                continue;
            }
            if !others
                .iter()
                .any(|kind| kind == "application/x-www-form-urlencoded")
            {
                println!(
                    "bad-input sweep: {} takes {others:?}, which it cannot make bad: skipped",
                    plan.label
                );
                continue;
            }
            // A form (the token endpoint): JSON instead, a form that does not parse, and a
            // form without its fields. Public, so no caller to choose.
            let Some((path, _)) = render(plan, &|_, record| own.ids.get(&record).cloned()) else {
                failures.push(format!("{}: Ally Pally has no id for a slot", plan.label));
                continue;
            };
            let form = "application/x-www-form-urlencoded";
            for (what, content_type, bytes) in [
                ("JSON", "application/json", b"{}".to_vec()),
                ("a form that does not parse", form, b"%zz=%%&=&".to_vec()),
                ("an empty form", form, Vec::new()),
            ] {
                let sent = send(
                    &app,
                    &plan.op.method,
                    &path,
                    ally_pally,
                    &[],
                    Some((content_type, bytes)),
                )
                .await;
                if let Err(why) = judge_bad_input(&sent, None) {
                    failures.push(format!(
                        "{} sent {what}: {why}\n    {}",
                        plan.label,
                        sent.describe()
                    ));
                }
            }
            swept += 1;
            continue;
        };
        let schema = resolve(&doc, &content["schema"]);
        // The caller's own records in the path and query: Ally Pally's, or for records it
        // cannot have (invoices), Day Opportunities' with Bedford's staff.
        let mut token = ally_pally.as_str();
        let mut caller = "Ally Pally's contact";
        let mut council = council.as_str();
        let mut council_caller = "Bradford council staff";
        let rendered = match render(plan, &|_, record| own.ids.get(&record).cloned()) {
            Some(rendered) => Some(rendered),
            None => {
                token = world.day_opportunities.as_str();
                caller = "Day Opportunities' contact";
                council = world.bedford.as_str();
                council_caller = "Bedford council staff";
                render(plan, &|_, record| world.day_ids.get(&record).cloned())
            }
        };
        let Some((path, plausible_body)) = rendered else {
            failures.push(format!(
                "{}: neither Ally Pally nor Day Opportunities has an id for a slot",
                plan.label
            ));
            continue;
        };
        let headers = |plan: &Plan| -> Vec<(String, String)> {
            plan.unique_headers
                .iter()
                .map(|name| (name.clone(), uuid::Uuid::new_v4().to_string()))
                .collect()
        };
        // Who may call it: a provider, unless a well-typed but empty body (which cannot
        // write anything) gets a provider 403. Sign-in and the caller's own password and
        // code are anyone's (the provider's token goes along unused where public).
        if !plan.op.path.starts_with("/api/v1/auth/") {
            let probe = send(
                &app,
                &plan.op.method,
                &path,
                token,
                &headers(plan),
                Some((
                    "application/json",
                    serde_json::to_vec(&hollow(&doc, &schema)).unwrap(),
                )),
            )
            .await;
            if probe.status == 403 {
                token = council;
                caller = council_caller;
            }
        }
        let fields: Vec<String> = property_names(&schema)
            .into_iter()
            .chain(plan.unique_headers.iter().cloned())
            .collect();
        let has_required = schema["required"]
            .as_array()
            .is_some_and(|required| !required.is_empty());
        let not_json = b"this is { not JSON".to_vec();
        let mut bodies: Vec<(&str, &str, Vec<u8>, bool)> = vec![
            ("not JSON", "application/json", not_json.clone(), false),
            ("not JSON, as text/plain", "text/plain", not_json, false),
            ("a JSON list", "application/json", b"[]".to_vec(), false),
            (
                "a JSON string",
                "application/json",
                b"\"text\"".to_vec(),
                false,
            ),
            (
                "every field of the wrong type",
                "application/json",
                serde_json::to_vec(&wrongly_typed(&doc, &schema)).unwrap(),
                true,
            ),
        ];
        // A well-formed body's values with their names taken away: a list is not an object,
        // even when its items happen to line up with the fields.
        if let Some(Value::Object(fields)) = &plausible_body {
            let values: Vec<&Value> = fields.values().collect();
            bodies.push((
                "the plausible body's values as a JSON list",
                "application/json",
                serde_json::to_vec(&values).unwrap(),
                false,
            ));
        }
        // `{}` is a complete request when nothing is required (an empty integration batch).
        if has_required {
            bodies.push(("{}", "application/json", b"{}".to_vec(), true));
        }
        for (what, content_type, bytes, names_fields) in bodies {
            let sent = send(
                &app,
                &plan.op.method,
                &path,
                token,
                &headers(plan),
                Some((content_type, bytes)),
            )
            .await;
            let fields = names_fields.then_some(fields.as_slice());
            if let Err(why) = judge_bad_input(&sent, fields) {
                failures.push(format!(
                    "{} as {caller}, sent {what}: {why}\n    {}",
                    plan.label,
                    sent.describe()
                ));
            }
        }
        swept += 1;
    }
    println!("bad-input sweep ({db:?}): {swept} operations with bodies");
    assert!(swept > 20, "too few operations with JSON bodies were swept");
    assert!(
        failures.is_empty(),
        "{} bad-input failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

on_both_databases!(
    a_provider_never_reaches_another_organisations_records,
    every_json_body_refuses_bad_input_with_a_problem,
);
