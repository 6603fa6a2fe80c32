//! The `portal` binary: settings, logging, then the application. Everything else lives in
//! the library so tests build the same application.

use clap::Parser;
use portal_server::configuration::Settings;
use portal_server::startup::Application;
use portal_server::telemetry;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let settings = Settings::parse();
    if let Some(path) = &settings.write_openapi {
        std::fs::write(path, portal_server::openapi::document_json())?;
        return Ok(());
    }
    let application = Application::build(settings).await?;
    application.run_until_stopped().await?;
    Ok(())
}
