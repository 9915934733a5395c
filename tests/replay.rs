//! For every recorded exchange: the real client sends the recorded request
//! to the replay server; the request it sent must match the recording, and
//! what it sent and what it returned are snapshotted with insta.

use confapi_mock::{load_dir, recorded_dir};
use confapi_tests::replay;

async fn replay_vendor(vendor: &str) {
    let files = load_dir(&recorded_dir().join(vendor)).expect("recordings load");
    assert!(!files.is_empty(), "no recordings for {vendor}");
    let mut failures = Vec::new();
    for file in &files {
        match replay(file, &files).await {
            Ok(description) => {
                insta::assert_snapshot!(format!("{vendor}__{}", file.name()), description);
            }
            Err(problem) => failures.push(format!("{}: {problem}", file.path.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn openvox_recordings_replay() {
    replay_vendor("openvox").await;
}

#[tokio::test]
async fn quanshi_recordings_replay() {
    replay_vendor("quanshi").await;
}

#[tokio::test]
async fn dingtalk_recordings_replay() {
    replay_vendor("dingtalk").await;
}
