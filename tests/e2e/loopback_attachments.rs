//! Messages with files, as serenity sends them (`multipart/form-data`: `payload_json` plus
//! `files[n]`): the message lists each file as an attachment, the loopback keeps the bytes
//! (readable by the test and downloadable at the attachment's URL), edits keep or replace
//! attachments, and Discord's limits (10 attachments, 10 MiB per request) are enforced.

use poise::serenity_prelude as serenity;
use serenity::builder::Builder;
use serenity::{
    ChannelId, CreateAttachment, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, EditMessage,
};
use vpa_desk::loopback::{LoopbackConfig, fixtures, fixtures::FakeUser};

use super::{api_error, start};

const CHANNEL: u64 = fixtures::DEFAULT_CHANNEL_ID;
const CSV: &[u8] = b"name;hours\nAda;12\n";
const BLOB: &[u8] = &[0, 1, 2, 13, 10, 45, 45, 255];

fn csv() -> CreateAttachment {
    CreateAttachment::bytes(CSV, "report.csv")
}

/// Posts the CSV and `second` to the channel (with `content`, if any).
async fn with_csv_and(
    http: &serenity::Http,
    second: CreateAttachment,
    content: Option<&str>,
) -> serenity::Message {
    let mut message = CreateMessage::new().add_file(csv()).add_file(second);
    if let Some(content) = content {
        message = message.content(content);
    }
    ChannelId::new(CHANNEL)
        .send_message(http, message)
        .await
        .expect("posted with files")
}

#[tokio::test]
async fn files_become_attachments_and_their_bytes_are_kept() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let channel = ChannelId::new(CHANNEL);
    let blob = CreateAttachment::bytes(BLOB, "blob.bin").description("raw bytes");
    let msg = with_csv_and(&http, blob, Some("the report")).await;
    // The answer deserializes as serenity's Message with its Attachment models.
    let got: Vec<_> = msg
        .attachments
        .iter()
        .map(|a| (a.filename.as_str(), a.size, a.content_type.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("report.csv", CSV.len() as u32, Some("text/csv")),
            (
                "blob.bin",
                BLOB.len() as u32,
                Some("application/octet-stream")
            )
        ]
    );
    assert_eq!(msg.attachments[1].description.as_deref(), Some("raw bytes"));
    assert_ne!(msg.attachments[0].id, msg.attachments[1].id);
    assert_eq!(msg.content, "the report");
    // The test reads the bytes...
    assert_eq!(
        lb.attachments(CHANNEL, msg.id.get()),
        [
            ("report.csv".to_owned(), CSV.to_vec()),
            ("blob.bin".to_owned(), BLOB.to_vec())
        ]
    );
    // ...and so can a client, from the attachment's URL.
    assert_eq!(msg.attachments[1].download().await.expect("download"), BLOB);
    // The request log has the payload_json body and the files.
    let post = lb.requests().pop().expect("recorded");
    assert_eq!(post.body["content"], "the report");
    assert_eq!(
        post.files,
        [
            ("report.csv".to_owned(), CSV.len()),
            ("blob.bin".to_owned(), BLOB.len())
        ]
    );
    // A later GET shows the same attachments.
    let again = channel.message(&http, msg.id).await.expect("get");
    assert_eq!(again.attachments.len(), 2);
    lb.shutdown();
}

#[tokio::test]
async fn an_edit_keeps_listed_attachments_and_adds_new_ones() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let channel = ChannelId::new(CHANNEL);
    let msg = with_csv_and(&http, CreateAttachment::bytes(BLOB, "blob.bin"), None).await;
    let keep = msg.attachments[0].id;
    let edited = channel
        .edit_message(
            &http,
            msg.id,
            EditMessage::new()
                .content("v2")
                .keep_existing_attachment(keep)
                .new_attachment(CreateAttachment::bytes(b"third".to_vec(), "c.txt")),
        )
        .await
        .expect("edited");
    let names: Vec<_> = edited
        .attachments
        .iter()
        .map(|a| a.filename.clone())
        .collect();
    assert_eq!(names, ["report.csv", "c.txt"]);
    assert_eq!(edited.attachments[0].id, keep, "kept, not re-uploaded");
    assert_eq!(
        lb.attachments(CHANNEL, msg.id.get()),
        [
            ("report.csv".to_owned(), CSV.to_vec()),
            ("c.txt".to_owned(), b"third".to_vec())
        ]
    );
    // An edit that says nothing about attachments leaves them.
    let text_only = channel
        .edit_message(&http, msg.id, EditMessage::new().content("v3"))
        .await
        .expect("text edit");
    assert_eq!(text_only.attachments.len(), 2);
    let cleared = channel
        .edit_message(&http, msg.id, EditMessage::new().remove_all_attachments())
        .await
        .expect("cleared");
    assert!(cleared.attachments.is_empty());
    assert!(lb.attachments(CHANNEL, msg.id.get()).is_empty());
    lb.shutdown();
}

#[tokio::test]
async fn at_most_ten_files_and_the_size_limit_per_request() {
    let cfg = LoopbackConfig {
        attachment_size_limit: 1024,
        ..LoopbackConfig::default()
    };
    let (lb, http) = start(cfg).await;
    let channel = ChannelId::new(CHANNEL);
    let eleven = (0..11).fold(CreateMessage::new(), |m, i| {
        m.add_file(CreateAttachment::bytes(vec![b'x'], format!("f{i}.txt")))
    });
    let e = channel
        .send_message(&http, eleven)
        .await
        .expect_err("11 files");
    let r = api_error(&e).expect("answered");
    assert_eq!((r.status_code.as_u16(), r.error.code), (400, 50035));
    assert_eq!(r.error.errors[0].path, "attachments");
    let ten = (0..10).fold(CreateMessage::new(), |m, i| {
        m.add_file(CreateAttachment::bytes(vec![b'x'], format!("f{i}.txt")))
    });
    channel.send_message(&http, ten).await.expect("10 files");
    // 1 KiB in total per request: two files of 600 bytes are too much together.
    let big = CreateMessage::new()
        .add_file(CreateAttachment::bytes(vec![1; 600], "a.bin"))
        .add_file(CreateAttachment::bytes(vec![2; 600], "b.bin"));
    let e = channel
        .send_message(&http, big)
        .await
        .expect_err("too large");
    let r = api_error(&e).expect("answered");
    assert_eq!((r.status_code.as_u16(), r.error.code), (413, 40005));
    assert_eq!(
        lb.channel_messages(CHANNEL).len(),
        1,
        "only the ten-file post"
    );
    lb.shutdown();
}

#[tokio::test]
async fn interaction_responses_and_follow_ups_carry_files() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let alice = FakeUser::new(1_200_000_000_000_000_001, "alice");
    let h = lb.interact(fixtures::button("export", &alice)).await;
    // The initial response with a file (multipart callback).
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content("your export")
            .add_file(csv()),
    )
    .execute(&http, (h.id().into(), h.token()))
    .await
    .expect("callback with a file");
    assert_eq!(
        h.original_attachments(),
        [("report.csv".to_owned(), CSV.to_vec())]
    );
    // A follow-up with a file.
    let follow = CreateInteractionResponseFollowup::new()
        .content("and the raw data")
        .add_file(CreateAttachment::bytes(BLOB, "blob.bin"))
        .execute(&http, (None, h.token()))
        .await
        .expect("follow-up with a file");
    assert_eq!(follow.attachments[0].filename, "blob.bin");
    assert_eq!(
        h.followup_attachments(0),
        [("blob.bin".to_owned(), BLOB.to_vec())]
    );
    assert_eq!(h.followups()[0]["content"], "and the raw data");
    // Editing the original adds a file next to the kept one.
    let kept = h.original().expect("original")["attachments"][0]["id"]
        .as_str()
        .expect("id")
        .parse::<u64>()
        .expect("snowflake");
    EditInteractionResponse::new()
        .keep_existing_attachment(kept.into())
        .new_attachment(CreateAttachment::bytes(b"v2".to_vec(), "notes.txt"))
        .execute(&http, h.token())
        .await
        .expect("edit with a file");
    let names: Vec<_> = h
        .original_attachments()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(names, ["report.csv", "notes.txt"]);
    lb.shutdown();
}
