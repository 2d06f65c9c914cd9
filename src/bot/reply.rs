//! One reply path for commands, buttons, selects and forms: a refusal is answered privately in
//! the user's language; an internal error is logged with its cause chain and answered with the
//! generic message; a deferred reply is always completed, and when the first answer is
//! already given (Discord allows one callback: 40060 / 10062) the rest goes as a follow-up.

use poise::serenity_prelude as serenity;

use super::{Context, Error};
use crate::present::discord::Form;
use crate::present::{self, Lang, Message, refusal};
use crate::service::{Busy, Desk, HandledOutcome, Refusal};

/// The language of a reply: the interaction's locale (`de*`, `en*` …), else the default.
pub fn lang(desk: &Desk, locale: Option<&str>) -> Lang {
    Lang::or(locale, present::default_lang(&desk.config))
}

/// What the user reads for an error, and how it counts.
pub fn error_text(desk: &Desk, lang: Lang, error: &Error, what: &str) -> (String, HandledOutcome) {
    match error {
        Error::Refused(Refusal::AlreadyHandled) => (
            refusal::text(lang, &desk.config, &Refusal::AlreadyHandled),
            HandledOutcome::Duplicate,
        ),
        Error::Refused(r) => (
            refusal::text(lang, &desk.config, r),
            HandledOutcome::Refused,
        ),
        Error::Internal(e) => match e.downcast_ref::<Busy>() {
            Some(busy) => {
                tracing::warn!(what, error = %busy, "not handled: the database is busy");
                (refusal::database_busy(lang, busy), HandledOutcome::Failed)
            }
            None => {
                tracing::error!(what, error = format!("{e:#}"), "handling failed");
                (refusal::internal_error(lang), HandledOutcome::Failed)
            }
        },
    }
}

/// poise's error hook, handling every `FrameworkError` variant we can meet.
pub async fn on_error(error: poise::FrameworkError<'_, Desk, Error>) {
    let (ctx, text, outcome) = match error {
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
            let desk = ctx.data();
            let (text, outcome) = error_text(
                desk,
                lang(desk, ctx.locale()),
                &error,
                &ctx.command().qualified_name,
            );
            (ctx, text, outcome)
        }
        poise::FrameworkError::ArgumentParse {
            error, input, ctx, ..
        } => {
            let desk = ctx.data();
            let refusal = Refusal::BadArgument {
                input,
                what: error.to_string(),
            };
            let text = refusal::text(lang(desk, ctx.locale()), &desk.config, &refusal);
            (ctx, text, HandledOutcome::Refused)
        }
        poise::FrameworkError::CommandCheckFailed { error, ctx, .. } => {
            if let Some(error) = error {
                tracing::error!(error = format!("{error:#}"), "check failed");
            }
            let desk = ctx.data();
            let text = refusal::text(
                lang(desk, ctx.locale()),
                &desk.config,
                &Refusal::OnlyCoordinators,
            );
            (ctx, text, HandledOutcome::Refused)
        }
        poise::FrameworkError::GuildOnly { ctx, .. } => {
            let desk = ctx.data();
            let text = refusal::text(
                lang(desk, ctx.locale()),
                &desk.config,
                &Refusal::OnlyInServer,
            );
            (ctx, text, HandledOutcome::Refused)
        }
        // Discord sent options that do not match the registered command (e.g. registration
        // still propagating after an update): answer anyway, the user must not wait in vain.
        poise::FrameworkError::CommandStructureMismatch {
            description, ctx, ..
        } => {
            tracing::error!(command = %ctx.command().qualified_name, description, "command structure mismatch");
            let desk = ctx.data();
            let text = refusal::internal_error(lang(desk, Some(ctx.interaction.locale.as_str())));
            (
                poise::Context::Application(ctx),
                text,
                HandledOutcome::Failed,
            )
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::error!(error = %e, "error while handling an error");
            }
            return;
        }
    };
    // A repeated delivery was answered the first time.
    if outcome != HandledOutcome::Duplicate {
        if let Err(e) = private(ctx, Message::text(text)).await {
            tracing::warn!(error = format!("{e:#}"), "could not send the error reply");
        }
    }
    if let poise::Context::Application(app) = ctx {
        super::handled(ctx.data(), app.interaction.id.get(), outcome);
    }
}

/// A private reply to a command: the first answer, or — after a defer ("thinking…") or an
/// earlier answer — an edit of it, so a deferred reply is always completed.
pub async fn private(ctx: Context<'_>, message: Message) -> Result<(), Error> {
    let lang = lang(ctx.data(), ctx.locale());
    match ctx {
        poise::Context::Application(app)
            if app
                .has_sent_initial_response
                .load(std::sync::atomic::Ordering::SeqCst) =>
        {
            app.interaction
                .edit_response(ctx.http(), message.edit_response(lang))
                .await?;
        }
        _ => {
            ctx.send(message.command_reply(lang)).await?;
        }
    }
    Ok(())
}

/// Which interaction a [`Responder`] answers.
enum Target<'a> {
    Component(&'a serenity::ComponentInteraction),
    Modal(&'a serenity::ModalInteraction),
}

/// How far the interaction is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answered {
    No,
    /// Acknowledged with "thinking…": the answer completes it.
    Deferred,
    /// Answered: anything more is a follow-up.
    Yes,
}

/// Discord drops an interaction not answered within 3 s; work still going after this long is
/// acknowledged first ("thinking…") and its answer completes that (see [`Responder::in_time`]).
pub const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

/// Answers one button, select or form: tracks what was sent, so every later answer goes the
/// way Discord still takes it. The state is behind a lock held for each call to Discord, so the
/// acknowledgement of slow work and the work's own answer never race.
pub struct Responder<'a> {
    http: &'a serenity::Http,
    target: Target<'a>,
    answered: tokio::sync::Mutex<Answered>,
    pub lang: Lang,
}

/// Discord's codes for "already acknowledged" and "unknown interaction" (too late).
fn is_spent(e: &serenity::Error) -> bool {
    matches!(
        e,
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r))
            if r.error.code == 40060 || r.error.code == 10062
    )
}

impl<'a> Responder<'a> {
    /// The HTTP client, for what a handler must ask Discord first (a DM answerer's roles).
    pub fn http(&self) -> &serenity::Http {
        self.http
    }

    pub fn component(
        http: &'a serenity::Http,
        desk: &Desk,
        c: &'a serenity::ComponentInteraction,
    ) -> Self {
        Responder {
            http,
            lang: lang(desk, Some(c.locale.as_str())),
            target: Target::Component(c),
            answered: tokio::sync::Mutex::new(Answered::No),
        }
    }

    pub fn modal(http: &'a serenity::Http, desk: &Desk, m: &'a serenity::ModalInteraction) -> Self {
        Responder {
            http,
            lang: lang(desk, Some(m.locale.as_str())),
            target: Target::Modal(m),
            answered: tokio::sync::Mutex::new(Answered::No),
        }
    }

    async fn create(&self, response: serenity::CreateInteractionResponse) -> serenity::Result<()> {
        match self.target {
            Target::Component(c) => c.create_response(self.http, response).await,
            Target::Modal(m) => m.create_response(self.http, response).await,
        }
    }

    async fn edit(&self, message: Message) -> serenity::Result<()> {
        let edit = message.edit_response(self.lang);
        match self.target {
            Target::Component(c) => c.edit_response(self.http, edit).await.map(|_| ()),
            Target::Modal(m) => m.edit_response(self.http, edit).await.map(|_| ()),
        }
    }

    async fn followup(&self, message: Message) -> serenity::Result<()> {
        let followup = message.followup(self.lang);
        match self.target {
            Target::Component(c) => c.create_followup(self.http, followup).await.map(|_| ()),
            Target::Modal(m) => m.create_followup(self.http, followup).await.map(|_| ()),
        }
    }

    /// Runs `work` (which answers through this responder); if it is not done within
    /// [`ANSWER_WITHIN`], the interaction is acknowledged meanwhile, so Discord keeps it while
    /// the work waits (e.g. for a database another process holds).
    pub async fn in_time<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        let work = std::pin::pin!(work);
        let mut work = work;
        tokio::select! {
            out = &mut work => return out,
            () = tokio::time::sleep(ANSWER_WITHIN) => {}
        }
        let (_, out) = tokio::join!(self.defer(), work);
        out
    }

    /// Acknowledges privately ("thinking…") before work that may take longer than Discord's 3 s
    /// (nothing if it is answered already).
    pub async fn defer(&self) {
        let mut answered = self.answered.lock().await;
        if *answered != Answered::No {
            return;
        }
        let defer = serenity::CreateInteractionResponse::Defer(
            serenity::CreateInteractionResponseMessage::new().ephemeral(true),
        );
        match self.create(defer).await {
            Ok(()) => *answered = Answered::Deferred,
            Err(e) => {
                if is_spent(&e) {
                    *answered = Answered::Yes;
                }
                tracing::warn!(error = %e, "could not acknowledge an interaction");
            }
        }
    }

    /// Answers privately, the way that is still possible.
    pub async fn reply(&self, message: Message) {
        let mut answered = self.answered.lock().await;
        self.reply_locked(&mut answered, message).await;
    }

    async fn reply_locked(&self, answered: &mut Answered, message: Message) {
        let result = match *answered {
            Answered::No => {
                let first = self
                    .create(serenity::CreateInteractionResponse::Message(
                        message.private_reply(self.lang),
                    ))
                    .await;
                match first {
                    Err(e) if is_spent(&e) => self.followup(message).await,
                    other => other,
                }
            }
            Answered::Deferred => self.edit(message).await,
            Answered::Yes => self.followup(message).await,
        };
        *answered = Answered::Yes;
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not answer an interaction");
        }
    }

    /// Replaces the message the component is on (a select becoming its confirmation); a
    /// private reply when that is no longer possible.
    pub async fn update(&self, message: Message) {
        let mut answered = self.answered.lock().await;
        if *answered != Answered::No {
            return self.reply_locked(&mut answered, message).await;
        }
        let response =
            serenity::CreateInteractionResponse::UpdateMessage(message.update(self.lang));
        match self.create(response).await {
            Ok(()) => *answered = Answered::Yes,
            Err(e) if is_spent(&e) => {
                *answered = Answered::Yes;
                self.reply_locked(&mut answered, message).await;
            }
            Err(e) => tracing::warn!(error = %e, "could not answer an interaction"),
        }
    }

    /// Opens a form (only as the first answer: Discord allows no form after a defer; then
    /// `instead` is the answer, e.g. "press the button again").
    pub async fn open_form(&self, form: Form, instead: impl FnOnce() -> Message) {
        let mut answered = self.answered.lock().await;
        if *answered != Answered::No {
            return self.reply_locked(&mut answered, instead()).await;
        }
        if let Err(e) = self
            .create(serenity::CreateInteractionResponse::Modal(form.modal()))
            .await
        {
            tracing::warn!(error = %e, "could not open a form");
        }
        *answered = Answered::Yes;
    }

    /// Answers an error: the refusal, or the generic message after logging the cause. A
    /// repeated delivery gets no answer: the first one was answered.
    pub async fn fail(&self, desk: &Desk, error: &Error, what: &str) -> HandledOutcome {
        let (text, outcome) = error_text(desk, self.lang, error, what);
        if outcome != HandledOutcome::Duplicate {
            self.reply(Message::text(text)).await;
        }
        outcome
    }
}
