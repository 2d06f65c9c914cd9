//! The `vpa-desk` binary: reads `.env`, sets up logging, hands over to [`vpa_desk::cli`].

use std::io::Write as _;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    // A missing .env is normal (production sets the environment directly).
    let _ = dotenvy::dotenv();
    // serenity's request spans (INFO) carry the whole request, message body included, into
    // every line logged inside them: below WARN its spans stay off, so logs hold ids and sizes,
    // never what a message says.
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,serenity=warn"));
    // Logs go to stderr so that stdout carries only the command's output (e.g. `pool --json`).
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
    let cli = match vpa_desk::cli::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match vpa_desk::cli::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            // Not eprintln!: a stderr that cannot be written must not turn the error into a panic.
            let _ = writeln!(std::io::stderr(), "{}", vpa_desk::cli::error_line(&e));
            ExitCode::FAILURE
        }
    }
}
