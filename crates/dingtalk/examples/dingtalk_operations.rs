//! Operations without a convenience method, each one typed expression:
//! the builder of the operation, its path parameter, its body, `send()`.
//!
//! Reads the app from the variables the `confapi` command uses
//! (`CONFAPI_DINGTALK_APP_KEY`, `_APP_SECRET`, and `_URL` for another host).
//! Try it against the replay server: `confapi mock` prints the values to
//! set. Against a real organisation it invites, mutes and removes people in
//! conference `6449d8a6414c0000001464af9f0`, so point it at a test app.

use confapi_dingtalk::{types, Client, Error, ErrorKind};

fn var(name: &str) -> Result<String, Error> {
    std::env::var(name).map_err(|_| Error::new("dingtalk", ErrorKind::Config).with_detail(format!("set {name}")))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut builder =
        Client::builder().app_credentials(var("CONFAPI_DINGTALK_APP_KEY")?, var("CONFAPI_DINGTALK_APP_SECRET")?);
    if let Ok(url) = std::env::var("CONFAPI_DINGTALK_URL") {
        builder = builder.base_url(url);
    }
    let dingtalk = builder.build()?;
    let conference = "6449d8a6414c0000001464af9f0";
    // Bodies are built with `new` (what the API requires) and setters (the
    // rest): code written this way keeps compiling when DingTalk adds an
    // optional field.
    let invitee = types::UserInvitee::new("测试用户").union_id("qzR1iSMDvzR9kXXXXXXXx");
    let invited = dingtalk
        .invite_users()
        .conference_id(conference)
        .body(types::InviteUsersRequest::new().union_id("njMTqKo9xxxxEiE").invitee_list(vec![invitee]))
        .send()
        .await?;
    println!("invited: {:?}", invited.success);

    let muted = dingtalk
        .mute_members()
        .conference_id(conference)
        .body(types::MuteMembersRequest::new("mute", vec![types::UserRef::new("2iPOLbpUNMLzB5LuwggiiqiPwiEiE")]))
        .send()
        .await?;
    println!("muted one: {:?}", muted.success);

    let all = dingtalk
        .mute_all()
        .conference_id(conference)
        .body(types::MuteAllRequest::new("mute").force_mute(false))
        .send()
        .await?;
    println!("muted everyone: {:?}", all.success);

    let kicked = dingtalk
        .kick_members()
        .conference_id(conference)
        .body(
            types::KickMembersRequest::new(vec![types::UserRef::new("qzR1iSMDvzR9iP7Pxxxxxxxxxxxxxxx")])
                .forbidden_rejoin(false),
        )
        .send()
        .await?;
    println!("removed one: {:?}", kicked.success);
    Ok(())
}
