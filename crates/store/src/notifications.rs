//! E-mail notifications and webhooks (DOMAIN 13): subscriptions, what an event owes people
//! and integrators, and the outbox the delivery worker drains.
//!
//! An event's store function calls [`write_notices`] inside its own transaction, so a
//! notification exists exactly when its event does: immediate mails and webhook calls go
//! into `outbox`, daily topics into `digest_item`. Workers on any number of instances take
//! outbox rows with a lease (`claimed_until`); on PostgreSQL the claim skips rows another
//! worker has locked (`for update skip locked`), and a worker that dies mid-delivery leaves
//! its row to be taken again when the lease runs out.

use portal_domain::notification::{retries_left, retry_delay_seconds, Topic, WebhookEvent};
use serde_json::json;
use sqlx::{AnyConnection, FromRow};

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::sql::{flag, now_text};
use crate::{Backend, Store, StoreError, StoreResult};

/// Something that happened which subscribers of an organisation, and the council's
/// webhooks, may be told of.
#[derive(Debug, Clone)]
pub struct Notice {
    pub council_id: i64,
    pub organisation_id: i64,
    /// The daily topic it belongs to.
    pub topic: Topic,
    /// One line for the digest: "Dispute raised on Jocky Wilson's actuals, 22/08/2022".
    pub summary: String,
    /// The item in the portal, absolute.
    pub link: String,
    /// Mailed at once to those subscribed to `Topic::ActionsImmediate` (subject, body).
    pub immediate: Option<(String, String)>,
    /// Posted to the council's webhooks that listen for the event.
    pub webhook: Option<(WebhookEvent, serde_json::Value)>,
    /// Whoever caused it is not told of their own act.
    pub actor_user_id: Option<i64>,
}

/// A mail to one person about their own account (Password Change), when they subscribed.
#[derive(Debug, Clone)]
pub struct PersonalNotice {
    pub user_id: i64,
    pub topic: Topic,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, FromRow)]
struct Recipient {
    id: i64,
    email: String,
}

/// Writes what `notices` owe, inside the caller's transaction.
pub(crate) async fn write_notices(
    connection: &mut AnyConnection,
    notices: &[Notice],
) -> StoreResult<()> {
    let now = now_text();
    for notice in notices {
        let recipients = |topic: Topic| {
            sqlx::query_as::<_, Recipient>(
                "select u.id, u.email from notification_subscription s
                 join app_user u on u.id = s.user_id
                 join user_organisation m on m.user_id = s.user_id
                      and m.organisation_id = s.organisation_id
                 where s.organisation_id = $1 and s.topic = $2 and u.is_active = 1
                 order by u.id",
            )
            .bind(notice.organisation_id)
            .bind(topic.code())
        };
        let told = |recipient: &Recipient| Some(recipient.id) != notice.actor_user_id;
        for recipient in recipients(notice.topic).fetch_all(&mut *connection).await? {
            if !told(&recipient) {
                continue;
            }
            sqlx::query(
                "insert into digest_item (user_id, organisation_id, topic, summary, link, created_at)
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(recipient.id)
            .bind(notice.organisation_id)
            .bind(notice.topic.code())
            .bind(&notice.summary)
            .bind(&notice.link)
            .bind(&now)
            .execute(&mut *connection)
            .await?;
        }
        if let Some((subject, body)) = &notice.immediate {
            for recipient in recipients(Topic::ActionsImmediate)
                .fetch_all(&mut *connection)
                .await?
            {
                if told(&recipient) {
                    queue_mail_in(&mut *connection, &recipient.email, subject, body).await?;
                }
            }
        }
        if let Some((event, data)) = &notice.webhook {
            let endpoints: Vec<(i64, String, String)> = sqlx::query_as(
                "select id, url, events from webhook_endpoint
                 where council_id = $1 and is_active = 1 order by id",
            )
            .bind(notice.council_id)
            .fetch_all(&mut *connection)
            .await?;
            for (endpoint_id, url, events) in endpoints {
                if !events.split(',').any(|code| code == event.code()) {
                    continue;
                }
                let payload = json!({
                    "type": event.code(),
                    "occurred_at": now,
                    "council_id": notice.council_id.to_string(),
                    "organisation_id": notice.organisation_id.to_string(),
                    "summary": notice.summary,
                    "link": notice.link,
                    "data": data,
                });
                sqlx::query(
                    "insert into outbox (to_address, subject, body, created_at, channel, webhook_id)
                     values ($1, $2, $3, $4, 'webhook', $5)",
                )
                .bind(&url)
                .bind(event.code())
                .bind(payload.to_string())
                .bind(&now)
                .bind(endpoint_id)
                .execute(&mut *connection)
                .await?;
            }
        }
    }
    Ok(())
}

/// Mails a person about their own account, inside the caller's transaction, when they
/// subscribed to the topic for any of their organisations.
pub(crate) async fn write_personal_notice(
    connection: &mut AnyConnection,
    notice: &PersonalNotice,
) -> StoreResult<()> {
    let email: Option<String> = sqlx::query_scalar(
        "select u.email from app_user u where u.id = $1 and exists (
             select 1 from notification_subscription s where s.user_id = u.id and s.topic = $2)",
    )
    .bind(notice.user_id)
    .bind(notice.topic.code())
    .fetch_optional(&mut *connection)
    .await?;
    if let Some(email) = email {
        queue_mail_in(connection, &email, &notice.subject, &notice.body).await?;
    }
    Ok(())
}

async fn queue_mail_in(
    connection: &mut AnyConnection,
    to: &str,
    subject: &str,
    body: &str,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "insert into outbox (to_address, subject, body, created_at) values ($1, $2, $3, $4)
         returning id",
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now_text())
    .fetch_one(connection)
    .await?)
}

/// A delivery a worker holds until its lease runs out.
#[derive(Debug, Clone, FromRow)]
pub struct Delivery {
    pub id: i64,
    /// "mail" or "webhook".
    pub channel: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    /// This try's number, from 1; it also names the claim, so only its holder settles it.
    pub attempts: i64,
    pub webhook_id: Option<i64>,
}

/// A delivery's end as the outbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub channel: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub failed_at: Option<String>,
}

/// A person's waiting digest entries.
#[derive(Debug, Clone)]
pub struct WaitingDigest {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub items: Vec<DigestItem>,
}

/// One waiting digest entry with its person.
#[derive(Debug, FromRow)]
struct DigestRow {
    user_id: i64,
    email: String,
    name: String,
    #[sqlx(flatten)]
    item: DigestItem,
}

#[derive(Debug, Clone, FromRow)]
pub struct DigestItem {
    pub id: i64,
    pub topic: String,
    pub organisation_name: String,
    pub summary: String,
    pub link: String,
}

/// A person's subscriptions for one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriptions {
    pub organisation_id: i64,
    pub topics: Vec<Topic>,
}

/// A council's webhook, without its secret.
#[derive(Debug, Clone, FromRow)]
pub struct WebhookRecord {
    pub id: i64,
    pub council_id: i64,
    pub url: String,
    pub events: String,
    pub is_active: i64,
    pub created_at: String,
    pub created_by_name: String,
    pub version: i64,
    /// Deliveries made, waiting and given up.
    pub delivered: i64,
    pub waiting: i64,
    pub failed: i64,
}

const WEBHOOK_SELECT: &str = "select w.id, w.council_id, w.url, w.events, w.is_active, w.created_at,
        u.name as created_by_name, w.version,
        (select count(*) from outbox o where o.webhook_id = w.id and o.sent_at is not null) as delivered,
        (select count(*) from outbox o where o.webhook_id = w.id and o.sent_at is null
             and o.failed_at is null) as waiting,
        (select count(*) from outbox o where o.webhook_id = w.id and o.failed_at is not null) as failed
     from webhook_endpoint w join app_user u on u.id = w.created_by";

impl Store {
    /// The topics a person chose for one of their organisations.
    pub async fn subscriptions(
        &self,
        user_id: i64,
        organisation_id: i64,
    ) -> StoreResult<Subscriptions> {
        let codes: Vec<String> = sqlx::query_scalar(
            "select topic from notification_subscription
             where user_id = $1 and organisation_id = $2",
        )
        .bind(user_id)
        .bind(organisation_id)
        .fetch_all(self.pool())
        .await?;
        let mut topics: Vec<Topic> = codes.iter().filter_map(|code| Topic::parse(code)).collect();
        topics.sort();
        Ok(Subscriptions {
            organisation_id,
            topics,
        })
    }

    /// Replaces a person's topics for one organisation, with an audit row.
    pub async fn save_subscriptions(
        &self,
        user_id: i64,
        organisation_id: i64,
        topics: &[Topic],
        actor: &Actor,
    ) -> StoreResult<()> {
        let before = self.subscriptions(user_id, organisation_id).await?;
        let mut transaction = self.pool().begin().await?;
        sqlx::query(
            "delete from notification_subscription where user_id = $1 and organisation_id = $2",
        )
        .bind(user_id)
        .bind(organisation_id)
        .execute(&mut *transaction)
        .await?;
        for topic in topics {
            sqlx::query(
                "insert into notification_subscription (user_id, organisation_id, topic)
                 values ($1, $2, $3)",
            )
            .bind(user_id)
            .bind(organisation_id)
            .bind(topic.code())
            .execute(&mut *transaction)
            .await?;
        }
        let codes = |topics: &[Topic]| topics.iter().map(|t| t.code()).collect::<Vec<_>>();
        record_change(
            &mut transaction,
            actor,
            "notifications.subscribe",
            "organisation",
            organisation_id.to_string(),
            json!({ "old": codes(&before.topics), "new": codes(topics) }),
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Takes the oldest delivery that is due and not held by a live worker, for `lease_until`
    /// (unix seconds). Mail is taken only when `with_mail` (an SMTP server is configured).
    pub async fn claim_delivery(
        &self,
        now: i64,
        lease_until: i64,
        with_mail: bool,
    ) -> StoreResult<Option<Delivery>> {
        // A plain read first: an idle worker must not take SQLite's write lock every tick.
        let due: Option<i64> = sqlx::query_scalar(&format!(
            "select id from outbox where {DUE} order by id limit 1"
        ))
        .bind(now)
        .bind(flag(with_mail))
        .fetch_optional(self.pool())
        .await?;
        if due.is_none() {
            return Ok(None);
        }
        let lock = match self.backend() {
            // Several instances: each skips the rows another is taking.
            Backend::Postgres => "for update skip locked",
            // One writer at a time: the update is atomic as it stands.
            Backend::Sqlite => "",
        };
        Ok(sqlx::query_as(&format!(
            "update outbox set claimed_until = $3, attempts = attempts + 1
             where id = (select id from outbox where {DUE} order by id limit 1 {lock})
             returning id, channel, to_address, subject, body, attempts, webhook_id"
        ))
        .bind(now)
        .bind(flag(with_mail))
        .bind(lease_until)
        .fetch_optional(self.pool())
        .await?)
    }

    /// The secret that signs a webhook's calls.
    pub async fn webhook_secret(&self, webhook_id: i64) -> StoreResult<String> {
        sqlx::query_scalar("select secret from webhook_endpoint where id = $1")
            .bind(webhook_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("webhook {webhook_id} is missing")))
    }

    /// Records a delivery made, when the claim is still this worker's.
    pub async fn mark_delivered(&self, delivery: &Delivery) -> StoreResult<()> {
        sqlx::query(
            "update outbox set sent_at = $1, claimed_until = null, last_error = null
             where id = $2 and attempts = $3",
        )
        .bind(now_text())
        .bind(delivery.id)
        .bind(delivery.attempts)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Records a failed try: retried after the back-off (from `now`, unix seconds), or, with
    /// the tries used up, marked failed for people to see.
    pub async fn mark_undelivered(
        &self,
        delivery: &Delivery,
        error: &str,
        now: i64,
    ) -> StoreResult<()> {
        let (next_attempt_at, failed_at) = if retries_left(delivery.attempts) {
            (Some(now + retry_delay_seconds(delivery.attempts)), None)
        } else {
            (None, Some(now_text()))
        };
        sqlx::query(
            "update outbox set claimed_until = null, last_error = $1, next_attempt_at = $2,
                failed_at = $3
             where id = $4 and attempts = $5",
        )
        .bind(error)
        .bind(next_attempt_at)
        .bind(failed_at)
        .bind(delivery.id)
        .bind(delivery.attempts)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every outbox row, oldest first, for the demo's outbox page and for tests.
    pub async fn outbox_rows(&self) -> StoreResult<Vec<OutboxRow>> {
        Ok(sqlx::query_as(
            "select id, channel, to_address, subject, body, created_at, sent_at, attempts,
                last_error, failed_at
             from outbox order by id",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// Claims the digest run of `day` (ISO): true for the one caller, of however many
    /// instances, that is to send that day's digests.
    pub async fn claim_digest_day(&self, day: &str) -> StoreResult<bool> {
        let inserted = sqlx::query(
            "insert into digest_run (day, ran_at) values ($1, $2) on conflict (day) do nothing",
        )
        .bind(day)
        .bind(now_text())
        .execute(self.pool())
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    /// The days digests have run, newest first.
    pub async fn digest_days(&self) -> StoreResult<Vec<String>> {
        Ok(
            sqlx::query_scalar("select day from digest_run order by day desc")
                .fetch_all(self.pool())
                .await?,
        )
    }

    /// Everyone's digest entries not yet mailed, in the order they happened.
    pub async fn waiting_digests(&self) -> StoreResult<Vec<WaitingDigest>> {
        let rows: Vec<DigestRow> = sqlx::query_as(
            "select u.id as user_id, u.email, u.name, d.id, d.topic, o.name as organisation_name,
                d.summary, d.link
             from digest_item d join app_user u on u.id = d.user_id
             join organisation o on o.id = d.organisation_id
             where d.mail_id is null order by u.id, d.id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut digests: Vec<WaitingDigest> = Vec::new();
        for row in rows {
            if digests.last().map(|digest| digest.user_id) != Some(row.user_id) {
                digests.push(WaitingDigest {
                    user_id: row.user_id,
                    email: row.email,
                    name: row.name,
                    items: Vec::new(),
                });
            }
            if let Some(digest) = digests.last_mut() {
                digest.items.push(row.item);
            }
        }
        Ok(digests)
    }

    /// Queues one digest mail for the items it covers, in one transaction; false (and
    /// nothing written) when another instance took any of them first.
    pub async fn queue_digest(
        &self,
        digest: &WaitingDigest,
        subject: &str,
        body: &str,
    ) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let mail_id = queue_mail_in(&mut transaction, &digest.email, subject, body).await?;
        let mut taken = 0;
        for item in &digest.items {
            taken += sqlx::query(
                "update digest_item set mail_id = $1 where id = $2 and mail_id is null",
            )
            .bind(mail_id)
            .bind(item.id)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        }
        if taken != digest.items.len() as u64 {
            transaction.rollback().await?;
            return Ok(false);
        }
        transaction.commit().await?;
        Ok(true)
    }

    /// A council's webhooks, newest first.
    pub async fn webhooks(&self, council_id: i64) -> StoreResult<Vec<WebhookRecord>> {
        Ok(sqlx::query_as(&format!(
            "{WEBHOOK_SELECT} where w.council_id = $1 order by w.id desc"
        ))
        .bind(council_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn webhook(
        &self,
        council_id: i64,
        webhook_id: i64,
    ) -> StoreResult<Option<WebhookRecord>> {
        Ok(sqlx::query_as(&format!(
            "{WEBHOOK_SELECT} where w.council_id = $1 and w.id = $2"
        ))
        .bind(council_id)
        .bind(webhook_id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Adds a council's webhook, with an audit row (which never holds the secret).
    pub async fn create_webhook(
        &self,
        council_id: i64,
        url: &str,
        secret: &str,
        events: &[WebhookEvent],
        actor: &Actor,
    ) -> StoreResult<i64> {
        let person = actor
            .principal
            .person_id()
            .ok_or_else(|| StoreError::Corrupt("webhooks are made by people".into()))?;
        let codes: Vec<&str> = events.iter().map(|event| event.code()).collect();
        let mut transaction = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into webhook_endpoint (council_id, url, secret, events, created_by, created_at)
             values ($1, $2, $3, $4, $5, $6) returning id",
        )
        .bind(council_id)
        .bind(url)
        .bind(secret)
        .bind(codes.join(","))
        .bind(person)
        .bind(now_text())
        .fetch_one(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            "webhook.create",
            "webhook",
            id.to_string(),
            json!({ "new": { "url": url, "events": codes } }),
        )
        .await?;
        transaction.commit().await?;
        Ok(id)
    }

    /// Stops a webhook receiving events (kept, with its deliveries). Optimistic on version.
    pub async fn disable_webhook(
        &self,
        webhook: &WebhookRecord,
        expected_version: i64,
        actor: &Actor,
    ) -> StoreResult<()> {
        let mut transaction = self.pool().begin().await?;
        let updated = sqlx::query(
            "update webhook_endpoint set is_active = 0, version = version + 1
             where id = $1 and version = $2",
        )
        .bind(webhook.id)
        .bind(expected_version)
        .execute(&mut *transaction)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::StaleVersion {
                sent: expected_version,
                current: webhook.version,
            });
        }
        record_change(
            &mut transaction,
            actor,
            "webhook.disable",
            "webhook",
            webhook.id.to_string(),
            json!({ "old": { "is_active": webhook.is_active }, "new": { "is_active": 0 } }),
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }
}

/// Due: not sent, not given up, past its back-off and not held by a live worker; mail only
/// when there is an SMTP server. `$1` is now, `$2` whether mail may be taken.
const DUE: &str = "sent_at is null and failed_at is null
    and coalesce(next_attempt_at, 0) <= $1 and coalesce(claimed_until, 0) <= $1
    and (channel = 'webhook' or $2 = 1)";

/// What happened to an action, as its notices tell it.
pub(crate) struct ActionHappening<'a> {
    pub action_id: i64,
    /// "Raised", "Reply", "Comment", "Closure requested", "Closed".
    pub what: &'a str,
    pub text: &'a str,
    pub assigned_to_provider: bool,
    pub assignee_label: String,
    /// The action was assigned (raised, or reassigned by the post).
    pub assigned: bool,
    /// Council staff wrote it: the provider is answered.
    pub by_council: bool,
}

impl Store {
    /// Writes an action's notices: every step to the daily Actions digest; council staff's
    /// steps (an action assigned to the provider, or answered) mailed at once to Actions
    /// (Immediate); an assignment to the council's `action.assigned` webhooks.
    pub(crate) async fn notify_action(
        &self,
        connection: &mut AnyConnection,
        happening: &ActionHappening<'_>,
        actor: &Actor,
    ) -> StoreResult<()> {
        let (council_id, organisation_id, title, due_on): (i64, i64, String, String) =
            sqlx::query_as(
                "select council_id, organisation_id, title, due_on from action where id = $1",
            )
            .bind(happening.action_id)
            .fetch_one(&mut *connection)
            .await?;
        let link = self.link(&format!("/actions/{}", happening.action_id));
        let due = portal_domain::calendar::parse_iso_date(&due_on)
            .map(portal_domain::format::format_date)
            .unwrap_or(due_on.clone());
        let summary = format!(
            "{title}: {} (assigned to {}, due {due})",
            happening.what, happening.assignee_label
        );
        let immediate = happening.by_council.then(|| {
            let subject = if happening.assigned_to_provider {
                format!("Action for you: {title}")
            } else {
                format!("Action answered: {title}")
            };
            let body = format!(
                "{} on the action \"{title}\".\n\nAssigned to: {}\nDue: {due}\n\n{}\n\nOpen the action: {link}\n",
                happening.what, happening.assignee_label, happening.text
            );
            (subject, body)
        });
        let webhook = happening.assigned.then(|| {
            (
                WebhookEvent::ActionAssigned,
                json!({
                    "action_id": happening.action_id.to_string(),
                    "title": title,
                    "assigned_to_provider": happening.assigned_to_provider,
                    "assigned_to": happening.assignee_label,
                    "due_on": due_on,
                }),
            )
        });
        write_notices(
            connection,
            &[Notice {
                council_id,
                organisation_id,
                topic: Topic::Actions,
                summary,
                link,
                immediate,
                webhook,
                actor_user_id: actor.principal.person_id(),
            }],
        )
        .await
    }

    /// Writes a dispute's notices: each step to the daily Disputes digest, and a new one to
    /// the council's `dispute.raised` webhooks.
    pub(crate) async fn notify_dispute(
        &self,
        connection: &mut AnyConnection,
        dispute_id: i64,
        what: &str,
        raised: bool,
        actor: &Actor,
    ) -> StoreResult<()> {
        let (council_id, organisation_id, service_id, service, client_id, client, first, last, reason): (
            i64, i64, i64, String, i64, String, String, String, String,
        ) = sqlx::query_as(
            "select d.council_id, d.organisation_id, d.service_id, s.name, d.client_id,
                trim(c.title || ' ' || c.forename || ' ' || c.surname), d.first_week, d.last_week,
                r.name
             from dispute d join service s on s.id = d.service_id join client c on c.id = d.client_id
             join dispute_reason r on r.id = d.reason_id
             where d.id = $1",
        )
        .bind(dispute_id)
        .fetch_one(&mut *connection)
        .await?;
        let day = |iso: &str| {
            portal_domain::calendar::parse_iso_date(iso)
                .map(portal_domain::format::format_date)
                .unwrap_or_else(|_| iso.to_owned())
        };
        let summary = format!(
            "{what}: {client} at {service}, weeks from {} to {} ({reason})",
            day(&first),
            day(&last)
        );
        let webhook = raised.then(|| {
            (
                WebhookEvent::DisputeRaised,
                json!({
                    "dispute_id": dispute_id.to_string(),
                    "service_id": service_id.to_string(),
                    "client_id": client_id.to_string(),
                    "first_week": first,
                    "last_week": last,
                    "reason": reason,
                }),
            )
        });
        write_notices(
            connection,
            &[Notice {
                council_id,
                organisation_id,
                topic: Topic::Disputes,
                summary,
                link: self.link(&format!("/disputes/{dispute_id}")),
                immediate: None,
                webhook,
                actor_user_id: actor.principal.person_id(),
            }],
        )
        .await
    }

    /// Writes an invoice's or credit note's status change: to the daily Invoices/Credit
    /// Notes digest and the council's `invoice.status_changed` webhooks.
    pub(crate) async fn notify_invoice_status(
        &self,
        connection: &mut AnyConnection,
        invoice: &crate::invoices::InvoiceRecord,
        to: portal_domain::invoice::InvoiceStatus,
        reason: &str,
        actor: &Actor,
    ) -> StoreResult<()> {
        let summary = format!(
            "{} {}: {}{}",
            invoice.kind.label(),
            invoice.reference,
            to.label(),
            if reason.trim().is_empty() {
                String::new()
            } else {
                format!(" ({})", reason.trim())
            }
        );
        write_notices(
            connection,
            &[Notice {
                council_id: invoice.council_id,
                organisation_id: invoice.organisation_id,
                topic: Topic::InvoicesCreditNotes,
                summary,
                link: self.link(&format!("/invoices/{}", invoice.id)),
                immediate: None,
                webhook: Some((
                    WebhookEvent::InvoiceStatusChanged,
                    json!({
                        "invoice_id": invoice.id.to_string(),
                        "kind": invoice.kind.code(),
                        "reference": invoice.reference,
                        "old_status": invoice.status.code(),
                        "new_status": to.code(),
                        "reason": reason,
                    }),
                )),
                actor_user_id: actor.principal.person_id(),
            }],
        )
        .await
    }

    /// Mails a person whose password changed, when they subscribed to Password Change.
    pub(crate) async fn notify_password_changed(
        &self,
        connection: &mut AnyConnection,
        user_id: i64,
    ) -> StoreResult<()> {
        write_personal_notice(
            connection,
            &PersonalNotice {
                user_id,
                topic: Topic::PasswordChange,
                subject: "Your Care Provider Portal password was changed".to_owned(),
                body: format!(
                    "The password of your Care Provider Portal account was changed.\n\n\
                     If this was not you, reset your password now ({}) and tell your council.\n",
                    self.link("/forgot-password")
                ),
            },
        )
        .await
    }
}

/// Where a daily-digest-only event is told: its organisation, topic, line and page.
pub(crate) struct DigestHappening<'a> {
    pub council_id: i64,
    pub organisation_id: i64,
    pub topic: Topic,
    pub summary: String,
    pub path: &'a str,
}

impl Store {
    /// Writes an event that only the daily digest tells.
    pub(crate) async fn notify_digest(
        &self,
        connection: &mut AnyConnection,
        happening: DigestHappening<'_>,
        actor: Option<&Actor>,
    ) -> StoreResult<()> {
        write_notices(
            connection,
            &[Notice {
                council_id: happening.council_id,
                organisation_id: happening.organisation_id,
                topic: happening.topic,
                summary: happening.summary,
                link: self.link(happening.path),
                immediate: None,
                webhook: None,
                actor_user_id: actor.and_then(|actor| actor.principal.person_id()),
            }],
        )
        .await
    }

    /// A CPLI made or changed: to the daily Care Package Line Items digest.
    pub(crate) async fn notify_cpli(
        &self,
        connection: &mut AnyConnection,
        cpli_id: i64,
        what: &str,
        actor: Option<&Actor>,
    ) -> StoreResult<()> {
        let (council_id, organisation_id, client, service, start, lineage): (
            i64,
            i64,
            String,
            String,
            String,
            i64,
        ) = sqlx::query_as(
            "select k.council_id, s.organisation_id,
                trim(cl.title || ' ' || cl.forename || ' ' || cl.surname), s.name, c.start_date,
                coalesce(c.lineage_id, c.id)
             from cpli c join service s on s.id = c.service_id join contract k on k.id = s.contract_id
             join client cl on cl.id = c.client_id
             where c.id = $1",
        )
        .bind(cpli_id)
        .fetch_one(&mut *connection)
        .await?;
        let starts = portal_domain::calendar::parse_iso_date(&start)
            .map(portal_domain::format::format_date)
            .unwrap_or(start);
        self.notify_digest(
            connection,
            DigestHappening {
                council_id,
                organisation_id,
                topic: Topic::CarePackageLineItems,
                summary: format!("{what}: {client} at {service}, from {starts}"),
                path: &format!("/cplis/{lineage}"),
            },
            actor,
        )
        .await
    }

    /// A payment period's news: council decisions on its lines (Payments Exceptions) or its
    /// payment (Scheduled Payments).
    pub(crate) async fn notify_payment_period(
        &self,
        connection: &mut AnyConnection,
        period_id: i64,
        topic: Topic,
        what: &str,
        actor: &Actor,
    ) -> StoreResult<()> {
        let (council_id, organisation_id, contract, starts, ends): (
            i64,
            i64,
            String,
            String,
            String,
        ) = sqlx::query_as(
            "select c.council_id, c.organisation_id, c.name, p.starts_on, p.ends_on
                 from payment_period p join contract c on c.id = p.contract_id where p.id = $1",
        )
        .bind(period_id)
        .fetch_one(&mut *connection)
        .await?;
        let day = |iso: &str| {
            portal_domain::calendar::parse_iso_date(iso)
                .map(portal_domain::format::format_date)
                .unwrap_or_else(|_| iso.to_owned())
        };
        self.notify_digest(
            connection,
            DigestHappening {
                council_id,
                organisation_id,
                topic,
                summary: format!("{contract}, {} to {}: {what}", day(&starts), day(&ends)),
                path: &format!("/payments/periods/{period_id}"),
            },
            Some(actor),
        )
        .await
    }
}
