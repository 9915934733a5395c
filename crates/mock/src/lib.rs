//! Recorded HTTP exchanges and a replay server for them.
//!
//! One fixture format serves the snapshot tests, the replay server and the
//! audit: a JSON file per exchange under `recorded/<vendor>/` of this crate, in the
//! shape of [`Exchange`]. [`MockServer`] serves any [`Responder`] on
//! 127.0.0.1; [`Replay`] is the responder that answers from recordings.
//! Recordings of one request that carry `"step": N` are a sequence: the
//! Nth call gets step N and later calls the last step, so a replayed
//! listing can change from one call to the next (members joining and
//! leaving for `confapi --mock watch`). Sequences start again when every
//! client has hung up, and on any request to [`RESET_PATH`]. A request no
//! recording matches gets HTTP 501 ([`MISS_STATUS`]) with a text body
//! starting `confapi-mock: no recording for`, which names the nearest
//! recording: no vendor answers that way. The crate's README gives the
//! matching rule.
//!
//! ```no_run
//! # async fn run() -> Result<(), String> {
//! use confapi_mock::{load_dir, MockServer, Replay};
//! # let vendors: &[&'static confapi_core::VendorInfo] = &[];
//! // `vendors`: the specs' facts, e.g. `confapi::vendor_infos()`.
//! let files = load_dir("crates/mock/recorded/openvox".as_ref())?;
//! let replay = Replay::from_files(files, vendors);
//! let server = MockServer::start(vendors, replay, 0).await.map_err(|e| e.to_string())?;
//! println!("replaying on {}", server.url());
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod enforce;
mod exchange;
mod replay;
mod server;

pub use enforce::RateLimited;
pub use exchange::{
    embedded, load_dir, load_file, Exchange, RecordedFile, RecordedRequest, RecordedResponse, Secrets, REDACTED,
};
pub use replay::{unmatched, Replay, MISS_STATUS, MOCK_HEADER, PAGING_FIELDS, RESET_PATH};
pub use server::{MockServer, Reply, Responder, LOG_LIMIT};

/// This crate's `recorded` folder (for tests and tools run from
/// the source tree).
pub fn recorded_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("recorded")
}
