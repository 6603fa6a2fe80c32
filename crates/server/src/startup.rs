//! Builds the application: store, keys, routes, static files. `Application::build` binds
//! the listener first, so tests can ask for port 0 and read the port back.

use std::net::TcpListener;
use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, Server, ServiceRequest, ServiceResponse};
use actix_web::{web, App, HttpRequest, HttpServer};
use anyhow::Context;
use portal_store::Store;
use rand::RngCore;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::passwords::Hasher;
use crate::auth::tokens::TokenKeys;
use crate::clock::Clock;
use crate::configuration::Settings;
use crate::error::ApiError;
use crate::mail::Mailer;
use crate::rate_limit::SignInLimiter;
use crate::{demo, openapi, rate_limit, routes, security_headers};

pub struct Application {
    port: u16,
    server: Server,
    store: Store,
}

fn token_keys(settings: &Settings) -> anyhow::Result<TokenKeys> {
    let secret = match &settings.jwt_secret {
        Some(secret) if secret.len() >= 32 => secret.as_bytes().to_vec(),
        Some(_) => anyhow::bail!("PORTAL_JWT_SECRET must be at least 32 bytes"),
        None if settings.production => anyhow::bail!(
            "PORTAL_JWT_SECRET must be set in production (32 bytes or more, shared by every instance)"
        ),
        None => {
            tracing::warn!(
                "PORTAL_JWT_SECRET is not set: using a random key, so sessions end when the server stops and cannot span several instances"
            );
            let mut secret = vec![0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut secret);
            secret
        }
    };
    Ok(TokenKeys::new(&secret, settings.token_minutes))
}

async fn api_not_found(request: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    tracing::debug!(path = request.path(), "no such API route");
    Err(ApiError::NotFound("API route"))
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        // First, so a production start without its secrets stops before touching anything.
        if settings.production && settings.smtp_url.is_none() {
            anyhow::bail!(
                "PORTAL_SMTP_URL must be set in production: password resets are sent by e-mail"
            );
        }
        let keys = token_keys(&settings)?;
        let store = Store::connect(&settings.database_url)
            .await
            .with_context(|| {
                format!(
                    "cannot open the database {}",
                    portal_store::redact(&settings.database_url)
                )
            })?;
        let hasher = Hasher::new(settings.hashing_cost);
        let files = crate::attachments::FileStore::open(settings.file_dir.as_deref())?;
        if settings.demo {
            let logins = demo::load(&store, &hasher)
                .await
                .context("cannot load the demo data")?;
            demo::print_logins(&logins);
        }
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", listener_address(&settings.bind, port)));
        let store = store.with_public_url(&public_url);
        let mailer = Mailer::new(
            settings.smtp_url.as_deref(),
            &settings.mail_from,
            public_url,
            settings.demo,
            crate::outbox::delivery_timeout(settings.outbox_lease_seconds),
        )?;
        // Every instance delivers the outbox; the store's leases keep them from doubling up.
        let worker = crate::outbox::OutboxWorker::new(
            store.clone(),
            mailer.clone(),
            settings.clock.clone(),
            std::time::Duration::from_millis(settings.outbox_poll_millis.max(10)),
            settings.outbox_lease_seconds,
            settings.digest_hour,
        )?;
        tokio::spawn(worker.run());
        let server = run(
            listener,
            Shared {
                store: store.clone(),
                hasher,
                keys,
                clock: settings.clock.clone(),
                limiter: SignInLimiter::per_minute(settings.sign_in_per_minute),
                mailer,
                files,
            },
            settings.static_dir.clone(),
        )?;
        tracing::info!(
            "The portal is listening on http://{}",
            listener_address(&settings.bind, port)
        );
        Ok(Application {
            port,
            server,
            store,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The store the application uses, for tests that look behind the API.
    pub fn store(&self) -> Store {
        self.store.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn listener_address(bind: &str, port: u16) -> String {
    let host = bind.rsplit_once(':').map_or("127.0.0.1", |(host, _)| host);
    let host = if host == "0.0.0.0" { "127.0.0.1" } else { host };
    format!("{host}:{port}")
}

/// What every request may reach, besides its own inputs.
struct Shared {
    store: Store,
    hasher: Hasher,
    keys: TokenKeys,
    clock: Clock,
    limiter: SignInLimiter,
    mailer: Mailer,
    /// Where attachments' bytes are kept.
    files: crate::attachments::FileStore,
}

fn run(listener: TcpListener, shared: Shared, static_dir: PathBuf) -> anyhow::Result<Server> {
    let Shared {
        store,
        hasher,
        keys,
        clock,
        limiter,
        mailer,
        files,
    } = shared;
    let document = openapi::document();
    // Request counts and durations per route, in Prometheus text at /metrics (API.md).
    let metrics = actix_web_prom::PrometheusMetricsBuilder::new("portal")
        .endpoint("/metrics")
        .build()
        .map_err(|error| anyhow::anyhow!("cannot set up metrics: {error}"))?;
    let store = web::Data::new(store);
    let hasher = web::Data::new(hasher);
    let keys = web::Data::new(keys);
    let clock = web::Data::new(clock);
    let limiter = web::Data::new(limiter);
    let mailer = web::Data::new(mailer);
    let files = web::Data::new(files);
    let server = HttpServer::new(move || {
        let (app, _) = App::new()
            .wrap(actix_web::middleware::from_fn(rate_limit::limit_sign_in))
            .wrap(actix_web::middleware::from_fn(security_headers::harden))
            .wrap(metrics.clone())
            .wrap(TracingLogger::default())
            .app_data(store.clone())
            .app_data(hasher.clone())
            .app_data(keys.clone())
            .app_data(clock.clone())
            .app_data(limiter.clone())
            .app_data(mailer.clone())
            .app_data(files.clone())
            // Integration batches are large; 8 MiB holds tens of thousands of lines.
            .app_data(web::PayloadConfig::new(8 * 1024 * 1024))
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|error, _| ApiError::invalid("query", error.to_string()).into()),
            )
            .app_data(
                web::PathConfig::default()
                    .error_handler(|_, _| ApiError::NotFound("resource").into()),
            )
            .into_utoipa_app()
            .service(
                utoipa_actix_web::scope("/api/v1")
                    .configure(routes::configure_api)
                    .default_service(web::to(api_not_found)),
            )
            .service(routes::health::live)
            .service(routes::health::ready)
            .split_for_parts();
        let app = app
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", document.clone()))
            .service(web::scope("/api").default_service(web::to(api_not_found)));
        app.service(spa_files(&static_dir))
    })
    .listen(listener)?
    .run();
    Ok(server)
}

/// The SPA's files; any other path gets index.html, so client routes survive a reload.
fn spa_files(static_dir: &std::path::Path) -> Files {
    let index = static_dir.join("index.html");
    Files::new("/", static_dir)
        .index_file("index.html")
        .default_handler(fn_service(move |request: ServiceRequest| {
            let index = index.clone();
            async move {
                let (request, _) = request.into_parts();
                match NamedFile::open_async(&index).await {
                    Ok(file) => {
                        let response = file.into_response(&request);
                        Ok(ServiceResponse::new(request, response))
                    }
                    Err(_) => Ok(ServiceResponse::new(
                        request,
                        actix_web::HttpResponse::NotFound()
                            .content_type("text/plain; charset=utf-8")
                            .body(
                                "The single-page app is not built: run scripts/build-frontend.sh.",
                            ),
                    )),
                }
            }
        }))
}
