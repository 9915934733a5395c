//! The crate's common imports name each thing once: glob-importing the
//! crate, its generated module and its types together leaves `Error` and
//! `Client` unambiguous (progenitor's own `Error` is not re-exported).

#[allow(unused_imports)]
use confapi_quanshi::generated::*;
#[allow(unused_imports)]
use confapi_quanshi::types::*;
#[allow(unused_imports)]
use confapi_quanshi::*;

#[test]
fn error_and_client_are_the_crates_own() {
    fn core_error(e: Error) -> confapi_core::Error {
        e
    }
    fn client(c: &Client) -> &confapi_quanshi::Client {
        c
    }
    let error = core_error(confapi_core::Error::new("quanshi", ErrorKind::NotFound));
    assert_eq!(error.kind(), ErrorKind::NotFound);
    let _ = client;
}
