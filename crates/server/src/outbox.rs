//! The outbox worker: delivers the mail and webhook calls that events wrote into the outbox,
//! and once a day turns waiting digest entries into digest mails.
//!
//! Every server instance runs one. A worker takes one row at a time with a lease
//! (`portal_store::notifications`), delivers it, and marks it delivered; a failure is
//! retried with back-off (`portal_domain::notification::retry_delay_seconds`) until the
//! tries run out. A worker that dies mid-delivery leaves its row to another worker once the
//! lease ends, and since a row is marked delivered straight after the server took it, and
//! SMTP and HTTP timeouts are well inside the lease, every row is delivered once.

use std::time::Duration;

use hmac::{Hmac, Mac};
use portal_domain::notification::{digest_body, digest_subject, DigestEntry, Topic};
use portal_store::notifications::Delivery;
use portal_store::Store;
use sha2::Sha256;
use time::OffsetDateTime;

use crate::clock::Clock;
use crate::mail::Mailer;

/// The path of the SPA's subscription page, linked from every digest.
pub const SUBSCRIPTIONS_PATH: &str = "/email-notifications";

#[derive(Clone)]
pub struct OutboxWorker {
    store: Store,
    mailer: Mailer,
    clock: Clock,
    http: reqwest::Client,
    poll: Duration,
    lease_seconds: i64,
    digest_hour: u8,
}

impl OutboxWorker {
    pub fn new(
        store: Store,
        mailer: Mailer,
        clock: Clock,
        poll: Duration,
        lease_seconds: u64,
        digest_hour: u8,
    ) -> anyhow::Result<OutboxWorker> {
        let http = reqwest::Client::builder()
            .timeout(delivery_timeout(lease_seconds))
            .user_agent("care-provider-portal-webhooks")
            .build()?;
        Ok(OutboxWorker {
            store,
            mailer,
            clock,
            http,
            poll,
            lease_seconds: i64::try_from(lease_seconds).unwrap_or(i64::MAX / 2),
            digest_hour,
        })
    }

    /// Runs until the process ends. Errors (the database away, say) are logged and the loop
    /// goes on: the outbox keeps everything until it can be delivered.
    pub async fn run(self) {
        let mut digest_checked: Option<time::Date> = None;
        loop {
            let day = self.digest_day();
            if digest_checked != Some(day) {
                match self.send_digests_for(day).await {
                    Ok(()) => digest_checked = Some(day),
                    Err(error) => tracing::warn!(%error, "the daily digest could not be made"),
                }
            }
            if let Err(error) = self.deliver_due().await {
                tracing::warn!(%error, "the outbox could not be read");
            }
            tokio::time::sleep(self.poll).await;
        }
    }

    /// The day whose digest is due: today once the digest hour has come, else yesterday.
    fn digest_day(&self) -> time::Date {
        let now = self.clock.now();
        if now.hour() >= self.digest_hour {
            now.date()
        } else {
            now.date().previous_day().unwrap_or(now.date())
        }
    }

    /// Sends `day`'s digests, unless another instance (or an earlier run) already did.
    async fn send_digests_for(&self, day: time::Date) -> anyhow::Result<()> {
        if !self
            .store
            .claim_digest_day(&portal_domain::calendar::iso_date(day))
            .await?
        {
            return Ok(());
        }
        for digest in self.store.waiting_digests().await? {
            let entries: Vec<DigestEntry> = digest
                .items
                .iter()
                .filter_map(|item| {
                    Some(DigestEntry {
                        topic: Topic::parse(&item.topic)?,
                        organisation: item.organisation_name.clone(),
                        summary: item.summary.clone(),
                        link: item.link.clone(),
                    })
                })
                .collect();
            let body = digest_body(
                &digest.name,
                &entries,
                &self.mailer.link(SUBSCRIPTIONS_PATH),
            );
            self.store
                .queue_digest(&digest, &digest_subject(entries.len()), &body)
                .await?;
        }
        Ok(())
    }

    /// Delivers every due row, one at a time; returns how many were tried.
    pub async fn deliver_due(&self) -> anyhow::Result<usize> {
        let mut tried = 0;
        loop {
            let now = self.clock.now().unix_timestamp();
            let Some(delivery) = self
                .store
                .claim_delivery(now, now + self.lease_seconds, self.mailer.has_smtp())
                .await?
            else {
                return Ok(tried);
            };
            tried += 1;
            let outcome = match delivery.channel.as_str() {
                "webhook" => self.call_webhook(&delivery).await,
                _ => self.send_mail(&delivery).await,
            };
            match outcome {
                Ok(()) => self.store.mark_delivered(&delivery).await?,
                Err(error) => {
                    // The error names the server's refusal, never a secret or a body.
                    tracing::warn!(outbox = delivery.id, attempt = delivery.attempts, %error, "not delivered");
                    self.store
                        .mark_undelivered(&delivery, &error, self.clock.now().unix_timestamp())
                        .await?;
                }
            }
        }
    }

    async fn send_mail(&self, delivery: &Delivery) -> Result<(), String> {
        let mailer = self.mailer.clone();
        let delivery = delivery.clone();
        tokio::task::spawn_blocking(move || {
            mailer.deliver_blocking(
                delivery.id,
                &delivery.to_address,
                &delivery.subject,
                &delivery.body,
            )
        })
        .await
        .map_err(|error| format!("the sending thread failed: {error}"))?
    }

    async fn call_webhook(&self, delivery: &Delivery) -> Result<(), String> {
        let webhook_id = delivery
            .webhook_id
            .ok_or_else(|| "the call names no webhook".to_owned())?;
        let secret = self
            .store
            .webhook_secret(webhook_id)
            .await
            .map_err(|error| error.to_string())?;
        let timestamp = OffsetDateTime::now_utc().unix_timestamp();
        let response = self
            .http
            .post(&delivery.to_address)
            .header("Content-Type", "application/json")
            .header("X-Portal-Event", &delivery.subject)
            .header("X-Portal-Delivery", delivery.id.to_string())
            .header("X-Portal-Timestamp", timestamp.to_string())
            .header(
                "X-Portal-Signature",
                signature(&secret, timestamp, &delivery.body),
            )
            .body(delivery.body.clone())
            .send()
            .await
            .map_err(|error| format!("the call failed: {}", describe(&error)))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(format!("the receiver answered {}", response.status()))
        }
    }
}

/// `sha256=` and the hex HMAC-SHA-256, under the webhook's secret, of the timestamp, a dot
/// and the body: what a receiver recomputes to know the call is the council's and fresh.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!(
        "sha256={}",
        data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
    )
}

/// A third of the lease, so a live worker settles its delivery before anyone else may take it.
pub fn delivery_timeout(lease_seconds: u64) -> Duration {
    Duration::from_secs((lease_seconds / 3).max(1))
}

/// What went wrong, without reqwest's text, which names the URL (it may carry a token).
fn describe(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "the request failed"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_of_timestamp_dot_body() {
        // Computed independently: Python's hmac.new(b"key", b"1.{}", hashlib.sha256).
        assert_eq!(
            signature("key", 1, "{}"),
            "sha256=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224"
        );
        assert_ne!(signature("key", 1, "{}"), signature("other key", 1, "{}"));
    }

    #[test]
    fn the_timeout_fits_three_times_in_the_lease() {
        assert_eq!(delivery_timeout(300), Duration::from_secs(100));
        assert_eq!(delivery_timeout(1), Duration::from_secs(1));
    }
}
