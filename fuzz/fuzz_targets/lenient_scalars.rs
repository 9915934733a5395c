//! The core's lenient types must round-trip whatever they accept.
#![no_main]

use confapi_core::{LenientBool, LenientInt, NumberOrString, OneOrMany};
use libfuzzer_sys::fuzz_target;

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(data: &[u8]) {
    if let Ok(v) = serde_json::from_slice::<T>(data) {
        let text = serde_json::to_vec(&v).expect("re-encodes");
        let again: T = serde_json::from_slice(&text).expect("reads its own output");
        assert_eq!(serde_json::to_vec(&again).expect("re-encodes"), text);
    }
}

fuzz_target!(|data: &[u8]| {
    round_trip::<NumberOrString>(data);
    round_trip::<LenientInt>(data);
    round_trip::<LenientBool>(data);
    round_trip::<OneOrMany<serde_json::Map<String, serde_json::Value>>>(data);
});
