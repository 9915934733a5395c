//! The crate's common imports name each thing once: glob-importing the
//! crate, its generated module and its types together leaves `Error` and
//! `Client` unambiguous (progenitor's own `Error` is not re-exported).

#[allow(unused_imports)]
use confapi_openvox::generated::*;
#[allow(unused_imports)]
use confapi_openvox::types::*;
#[allow(unused_imports)]
use confapi_openvox::*;

#[test]
fn error_and_client_are_the_crates_own() {
    fn core_error(e: Error) -> confapi_core::Error {
        e
    }
    fn client(c: &Client) -> &confapi_openvox::Client {
        c
    }
    let error = core_error(confapi_core::Error::new("openvox", ErrorKind::NotFound));
    assert_eq!(error.kind(), ErrorKind::NotFound);
    let _ = client;
}
