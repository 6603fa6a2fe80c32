//! Outgoing e-mail. Every mail is written to the outbox table first; with an SMTP server
//! configured (`PORTAL_SMTP_URL`, e.g. `smtps://user:password@mail.example.org`) it is then
//! sent with lettre and marked sent. Without one (the demo), it waits in the outbox, which
//! the demo shows at `/outbox`. The SMTP URL holds a password: it is never logged.

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
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        public_url: String,
        demo: bool,
    ) -> anyhow::Result<Mailer> {
        let smtp = smtp_url
            .map(|url| {
                SmtpTransport::from_url(url)
                    .map(|builder| builder.build())
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

    /// Queues a mail and, with SMTP, sends it. A failed send is logged and the mail stays
    /// queued; the request that caused it still succeeds.
    pub async fn send(
        &self,
        store: &Store,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), ApiError> {
        let id = store.queue_mail(to, subject, body).await?;
        let Some(smtp) = self.smtp.clone() else {
            return Ok(());
        };
        let Ok(to_mailbox) = to.parse::<Mailbox>() else {
            tracing::warn!(mail = id, "not sent: the address is not a mailbox");
            return Ok(());
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to_mailbox)
            .subject(subject)
            .body(body.to_owned())
            .map_err(anyhow::Error::from)?;
        let sent = actix_web::web::block(move || smtp.send(&message))
            .await
            .map_err(anyhow::Error::from)?;
        match sent {
            Ok(_) => store.mark_mail_sent(id).await?,
            Err(error) => tracing::warn!(mail = id, %error, "not sent: the SMTP server refused it"),
        }
        Ok(())
    }
}
