//! Outgoing e-mail. Every mail is written to the outbox table, in the transaction of the
//! event that causes it where there is one; the outbox worker (`crate::outbox`) then sends
//! it over SMTP with lettre (`PORTAL_SMTP_URL`, e.g. `smtps://user:password@mail.example.org`)
//! and marks it sent. Without an SMTP server (the demo), mail waits in the outbox, which the
//! demo shows at `/outbox`. The SMTP URL holds a password: it is never logged.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{Message, SmtpTransport, Transport};
use portal_store::Store;

use crate::error::ApiError;

#[derive(Clone)]
pub struct Mailer {
    smtp: Option<SmtpTransport>,
    from: Mailbox,
    /// Only the demo, with no SMTP server, lets anyone read the outbox.
    show_outbox: bool,
    /// Where links in mails point: the portal as users reach it.
    pub public_url: String,
}

impl Mailer {
    /// `timeout` bounds each SMTP exchange, so a worker's lease outlives its sends.
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        public_url: String,
        demo: bool,
        timeout: Duration,
    ) -> anyhow::Result<Mailer> {
        let smtp = smtp_url
            .map(|url| {
                SmtpTransport::from_url(url)
                    .map(|builder| builder.timeout(Some(timeout)).build())
                    // The URL carries a password: say what is wrong, not what it was.
                    .map_err(|_| {
                        anyhow::anyhow!("PORTAL_SMTP_URL is not a valid smtp:// or smtps:// URL")
                    })
            })
            .transpose()?;
        let from = from
            .parse()
            .map_err(|_| anyhow::anyhow!("PORTAL_MAIL_FROM is not a mailbox: {from}"))?;
        Ok(Mailer {
            show_outbox: demo && smtp.is_none(),
            smtp,
            from,
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }

    pub fn shows_outbox(&self) -> bool {
        self.show_outbox
    }

    /// Whether mail leaves the outbox at all.
    pub fn has_smtp(&self) -> bool {
        self.smtp.is_some()
    }

    /// An absolute link to a page of the SPA, for mails and webhook events.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// Queues a mail for the outbox worker to send.
    pub async fn send(
        &self,
        store: &Store,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), ApiError> {
        store.queue_mail(to, subject, body).await?;
        Ok(())
    }

    /// Sends one outbox mail, blocking until the SMTP server has taken it or refused. The
    /// Message-ID is the outbox row's, so should a crash ever make a second copy, mail
    /// clients see one message.
    pub(crate) fn deliver_blocking(
        &self,
        outbox_id: i64,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), String> {
        let Some(smtp) = &self.smtp else {
            return Err("no SMTP server is configured".to_owned());
        };
        let to: Mailbox = to
            .parse()
            .map_err(|_| "the address is not a mailbox".to_owned())?;
        let domain = self.from.email.domain().to_owned();
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(format!("<outbox-{outbox_id}@{domain}>")))
            .body(body.to_owned())
            .map_err(|error| error.to_string())?;
        smtp.send(&message)
            .map(|_| ())
            .map_err(|error| format!("the SMTP server refused it: {error}"))
    }
}
