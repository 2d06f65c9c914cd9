//! What a person does in Discord — commands, buttons, selects, forms, reactions, by the
//! loopback's fixtures — and what the bot posted there: survey posts, the manager's channel,
//! DMs and the REST requests behind them.

use serde_json::Value;
use vpa_desk::loopback::fixtures::{self, FakeUser, Opt};
use vpa_desk::loopback::{FailRule, Failure, InteractionHandle, RecordedRequest};
use vpa_desk::service::HandledOutcome;

use super::harness::Harness;
use super::messages::{channel_id, content, message_id, says, text_of};
use super::wait::{WAIT, handled, interaction, wait_until};

/// The options of `/task new` without the optional ones.
pub fn task_options(
    client: &str,
    competence: &str,
    hours: f64,
    deadline: &str,
) -> Vec<(&'static str, Opt)> {
    vec![
        ("client", client.into()),
        ("competence", competence.into()),
        ("hours", hours.into()),
        ("deadline", deadline.into()),
    ]
}

/// An interaction the bot handled: what the person finally sees and what came of it.
pub struct Reply {
    pub handle: InteractionHandle,
    pub shown: Value,
    pub outcome: HandledOutcome,
}

impl Reply {
    /// The text the person sees.
    pub fn text(&self) -> String {
        text_of(&self.shown)
    }
}

impl Harness {
    /// Dispatches an interaction and waits until the bot answered it and says it handled it.
    pub async fn reply(&self, payload: Value) -> Reply {
        let mut events = self.events();
        let handle = self.discord.interact(payload).await;
        let shown = handle.wait_final(WAIT).await.expect("the bot answered");
        let outcome = handled(&mut events, interaction(handle.id())).await;
        Reply {
            handle,
            shown,
            outcome,
        }
    }

    /// A slash command as `user`, handled: the final private text.
    pub async fn slash(
        &self,
        name: &str,
        sub: &[&str],
        options: Vec<(&str, Opt)>,
        user: &FakeUser,
    ) -> String {
        self.reply(fixtures::slash(name, sub, options, user))
            .await
            .text()
    }

    /// Discord delivers an interaction once more: what came of it.
    pub async fn deliver_again(&self, handle: &InteractionHandle) -> HandledOutcome {
        let mut events = self.events();
        self.discord
            .dispatch("INTERACTION_CREATE", handle.payload())
            .await;
        handled(&mut events, interaction(handle.id())).await
    }

    /// `/task SUB` by the coordinator, handled: the final private text.
    pub async fn task_cmd(&self, sub: &str, options: Vec<(&str, Opt)>) -> String {
        self.slash("task", &[sub], options, &self.coordinator())
            .await
    }

    /// `/task assign` of a task to a VPA by the coordinator: the final private text.
    pub async fn assign(&self, task: i64, vpa: &FakeUser) -> String {
        self.task_cmd("assign", vec![("id", task.into()), ("vpa", vpa.into())])
            .await
    }

    /// `/task unassign` of a VPA from a task by the coordinator: the final private text.
    pub async fn unassign(&self, task: i64, vpa: &FakeUser) -> String {
        self.task_cmd("unassign", vec![("id", task.into()), ("vpa", vpa.into())])
            .await
    }

    /// `/profile SUB` as `user`, handled: the final private text.
    pub async fn profile(&self, sub: &str, options: Vec<(&str, Opt)>, user: &FakeUser) -> String {
        self.slash("profile", &[sub], options, user).await
    }

    /// `/task new` by the coordinator, handled: the final private text.
    pub async fn new_task(
        &self,
        client: &str,
        competence: &str,
        hours: f64,
        deadline: &str,
    ) -> String {
        let options = task_options(client, competence, hours, deadline);
        self.slash("task", &["new"], options, &self.coordinator())
            .await
    }

    /// `/task new` (dispatched) for a back-office research task of `hours` due 4 December 2026.
    pub async fn research_task(&self, hours: f64) -> InteractionHandle {
        let mut options = task_options("Kanzlei Berger", "research", hours, "04.12.2026");
        options.push(("description", "Marktrecherche zu Lieferanten".into()));
        let coordinator = self.coordinator();
        self.discord
            .interact(fixtures::slash("task", &["new"], options, &coordinator))
            .await
    }

    /// The final private text of a dispatched interaction.
    pub async fn final_text(&self, handle: &InteractionHandle) -> String {
        text_of(&handle.wait_final(WAIT).await.expect("the bot answered"))
    }

    /// Clicks a button of a bot message (dispatched).
    pub async fn click(
        &self,
        message: &Value,
        custom_id: &str,
        user: &FakeUser,
    ) -> InteractionHandle {
        self.discord
            .interact(fixtures::component(
                custom_id,
                2,
                &[],
                message.clone(),
                user,
            ))
            .await
    }

    /// Clicks a button of a bot message, handled: the final private text.
    pub async fn press(&self, message: &Value, custom_id: &str, user: &FakeUser) -> String {
        self.reply(fixtures::component(
            custom_id,
            2,
            &[],
            message.clone(),
            user,
        ))
        .await
        .text()
    }

    /// Chooses values of a select on a message (dispatched).
    pub async fn choose(
        &self,
        message: &Value,
        custom_id: &str,
        values: &[&str],
        user: &FakeUser,
    ) -> InteractionHandle {
        self.discord
            .interact(fixtures::component(
                custom_id,
                3,
                values,
                message.clone(),
                user,
            ))
            .await
    }

    /// Chooses values of a select on a message, handled: the final private text.
    pub async fn pick(
        &self,
        message: &Value,
        custom_id: &str,
        values: &[&str],
        user: &FakeUser,
    ) -> String {
        self.reply(fixtures::component(
            custom_id,
            3,
            values,
            message.clone(),
            user,
        ))
        .await
        .text()
    }

    /// Submits a form, handled: the final private text.
    pub async fn submit(
        &self,
        custom_id: &str,
        fields: &[(&str, &str)],
        user: &FakeUser,
    ) -> String {
        self.reply(fixtures::modal_submit(custom_id, fields, user))
            .await
            .text()
    }

    /// Clicks a button of a DM: outside the server, so without member or roles (dispatched).
    pub async fn click_in_dm(
        &self,
        dm: &Value,
        custom_id: &str,
        user: &FakeUser,
    ) -> InteractionHandle {
        let mut click = fixtures::component(custom_id, 2, &[], dm.clone(), user);
        click.as_object_mut().unwrap().remove("member");
        click.as_object_mut().unwrap().remove("guild_id");
        click["user"] = fixtures::user_json(user);
        self.discord.interact(click).await
    }

    /// Reacts to a message, or takes the reaction back (dispatched).
    pub async fn react(&self, message: &Value, user: &FakeUser, emoji: &str, add: bool) {
        let (channel, id) = (channel_id(message).0, message_id(message).0);
        let (event, data) = if add {
            (
                "MESSAGE_REACTION_ADD",
                fixtures::reaction_add(user, channel, id, emoji),
            )
        } else {
            (
                "MESSAGE_REACTION_REMOVE",
                fixtures::reaction_remove(user, channel, id, emoji),
            )
        };
        self.discord.dispatch(event, data).await;
    }

    /// The next `times` attempts to post a survey post fail with `failure`.
    pub fn fail_survey_posts(&self, failure: Failure, times: u32) {
        let rule = FailRule::new(failure)
            .method("POST")
            .path_prefix(&self.surveys_path())
            .times(times);
        self.discord.fail_next(rule);
    }

    /// Messages in the surveys channel.
    pub fn survey_posts(&self) -> Vec<Value> {
        self.discord
            .channel_messages(self.settings().surveys_channel_id.0)
    }

    /// Waits until the surveys channel has `n` posts and returns the last.
    pub async fn wait_survey_post(&self, n: usize) -> Value {
        let surveys = self.settings().surveys_channel_id.0;
        // The bot's own reactions follow once the post is recorded in the database, so from
        // then on reactions and buttons on it are understood.
        wait_until(async || {
            let posts = self.survey_posts();
            let post = posts.get(n - 1)?;
            let reactions = self.discord.bot_reactions(surveys, message_id(post).0);
            (reactions.len() == 3).then(|| post.clone())
        })
        .await
        .expect("the survey post appeared")
    }

    /// Waits until the survey post with this id satisfies `check`.
    pub async fn wait_post_matching(
        &self,
        message_id: &str,
        check: impl Fn(&Value) -> bool,
    ) -> Value {
        let post = || {
            self.survey_posts()
                .into_iter()
                .find(|m| m["id"] == message_id)
        };
        wait_until(async || post().filter(|m| check(m)))
            .await
            .unwrap_or_else(|| panic!("post {message_id} never matched; now: {:?}", post()))
    }

    /// The path the bot posts survey posts to.
    pub fn surveys_path(&self) -> String {
        format!(
            "/channels/{}/messages",
            self.settings().surveys_channel_id.0
        )
    }

    /// Every attempt to post to `path`, whatever Discord answered.
    pub fn posts_to(&self, path: &str) -> Vec<RecordedRequest> {
        self.requests_since(0, |r| r.method == "POST" && r.path == path)
    }

    /// Waits for the first request that posted a survey post.
    pub async fn survey_post_request(&self) -> RecordedRequest {
        let path = self.surveys_path();
        self.discord
            .wait_for(WAIT, |r| r.method == "POST" && r.path == path)
            .await
            .expect("a survey post was sent")
    }

    /// Messages in the manager's channel.
    pub fn manager_messages(&self) -> Vec<Value> {
        self.discord
            .channel_messages(self.settings().manager_channel_id.0)
    }

    /// Messages in the manager's channel whose content contains `needle`.
    pub fn manager_messages_saying(&self, needle: &str) -> Vec<Value> {
        self.manager_messages()
            .into_iter()
            .filter(|m| says(m, needle))
            .collect()
    }

    /// Waits until a message in the manager's channel satisfies `check`.
    pub async fn wait_manager_message(&self, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        wait_until(async || self.manager_messages().into_iter().find(|m| check(m)))
            .await
            .unwrap_or_else(|| panic!("no {what} in {:?}", self.manager_messages()))
    }

    /// Requests that posted to the manager channel successfully.
    pub fn manager_posts(&self) -> Vec<RecordedRequest> {
        let path = format!(
            "/channels/{}/messages",
            self.settings().manager_channel_id.0
        );
        self.posts_to(&path)
            .into_iter()
            .filter(|r| r.status == 200)
            .collect()
    }

    /// The notices of unmet demand in the manager's channel.
    pub fn notices(&self) -> Vec<Value> {
        self.manager_messages_saying("Bedarf nicht gedeckt")
    }

    /// Waits until there are at least `n` notices.
    pub async fn wait_notices(&self, n: usize) -> Vec<Value> {
        wait_until(async || Some(self.notices()).filter(|notices| notices.len() >= n))
            .await
            .unwrap_or_else(|| panic!("expected {n} notices, have {:?}", self.notices()))
    }

    /// Waits for the first DM to `user` whose content contains `needle` ("" for any).
    pub async fn wait_dm(&self, user: u64, needle: &str) -> Value {
        wait_until(async || {
            self.discord
                .dm_messages(user)
                .into_iter()
                .find(|m| content(m).contains(needle))
        })
        .await
        .unwrap_or_else(|| panic!("no DM to {user} saying {needle:?}"))
    }

    /// Requests recorded since `from` matching `pred`.
    pub fn requests_since(
        &self,
        from: usize,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> Vec<RecordedRequest> {
        self.discord
            .requests()
            .into_iter()
            .skip(from)
            .filter(|r| pred(r))
            .collect()
    }
}
