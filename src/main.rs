//! The `vpa-desk` binary: reads `.env`, sets up logging, hands over to [`vpa_desk::cli`].

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    // A missing .env is normal (production sets the environment directly).
    let _ = dotenvy::dotenv();
    let cli = match vpa_desk::cli::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    // serenity's request spans (INFO) carry the whole request, message body included, into
    // every line logged inside them: below WARN its spans stay off, so logs hold ids and sizes,
    // never what a message says. The sandbox prints a story on stdout: only warnings in between.
    let default = if cli.is_sandbox() {
        "warn"
    } else {
        "info,serenity=warn"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    // Colour only for a person at a terminal (a file or a pipe gets plain text), and never
    // with NO_COLOR set (https://no-color.org).
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Logs go to stderr so that stdout carries only the command's output (e.g. `pool --json`).
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
    match vpa_desk::cli::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            // Not eprintln!: a stderr that cannot be written must not turn the error into a panic.
            let _ = writeln!(std::io::stderr(), "{}", vpa_desk::cli::error_line(&e));
            ExitCode::FAILURE
        }
    }
}
