//! One place that turns every failure into a reply: a [`UserError`] is shown privately as it is;
//! anything else is logged with its cause chain and the user gets a short generic message.

use poise::serenity_prelude as serenity;

use super::Error;
use crate::messages;
use crate::service::Desk;

/// A mistake of the user, shown to them privately in German.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

/// Shorthand for refusing with a message.
pub fn refuse<T>(message: impl Into<String>) -> Result<T, Error> {
    Err(UserError(message.into()).into())
}

/// poise's error hook, handling every `FrameworkError` variant we can meet.
pub async fn on_error(error: poise::FrameworkError<'_, Desk, Error>) {
    let (ctx, text) = match error {
        poise::FrameworkError::Setup { error, .. } => {
            tracing::error!(error = format!("{error:#}"), "bot setup failed");
            return;
        }
        poise::FrameworkError::EventHandler { error, event, .. } => {
            tracing::error!(
                error = format!("{error:#}"),
                event = event.snake_case_name(),
                "event handler failed"
            );
            return;
        }
        poise::FrameworkError::Command { error, ctx, .. } => {
            match error.downcast_ref::<UserError>() {
                Some(user) => (ctx, user.0.clone()),
                None => {
                    tracing::error!(command = %ctx.command().qualified_name, error = format!("{error:#}"), "command failed");
                    (ctx, messages::INTERNAL_ERROR.to_string())
                }
            }
        }
        poise::FrameworkError::ArgumentParse {
            error, input, ctx, ..
        } => (
            ctx,
            messages::bad_argument(input.as_deref(), &error.to_string()),
        ),
        poise::FrameworkError::CommandCheckFailed { error, ctx, .. } => {
            if let Some(error) = error {
                tracing::error!(error = format!("{error:#}"), "check failed");
            }
            (ctx, messages::ONLY_COORDINATORS.to_string())
        }
        poise::FrameworkError::GuildOnly { ctx, .. } => (ctx, messages::ONLY_IN_SERVER.to_string()),
        // Discord sent options that do not match the registered command (e.g. registration
        // still propagating after an update): answer anyway, the user must not wait in vain.
        poise::FrameworkError::CommandStructureMismatch {
            description, ctx, ..
        } => {
            tracing::error!(command = %ctx.command().qualified_name, description, "command structure mismatch");
            (
                poise::Context::Application(ctx),
                messages::INTERNAL_ERROR.to_string(),
            )
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::error!(error = %e, "error while handling an error");
            }
            return;
        }
    };
    if let Err(e) = ctx
        .send(poise::CreateReply::default().content(text).ephemeral(true))
        .await
    {
        tracing::warn!(error = %e, "could not send the error reply");
    }
}

/// A private reply to a component or modal interaction, pinging nobody.
pub fn private_reply(text: impl Into<String>) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(super::render::mentions_only(&[], &[])),
    )
}

/// Logs a failed interaction answer; it must never take a handler down.
pub fn log_reply_failure(result: serenity::Result<()>) {
    if let Err(e) = result {
        tracing::warn!(error = %e, "could not answer an interaction");
    }
}
