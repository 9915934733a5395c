//! Every generated decoder of every vendor, and each vendor's failure
//! reader, on arbitrary bytes: errors are fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for vendor in confapi::vendor_infos() {
        let _ = vendor.decode_failure(data);
        for op in vendor.operations {
            let Some(decoders) = vendor.decoders_of(op) else { continue };
            let _ = (decoders.decode_success)(data);
            if let Some(decode) = decoders.decode_error {
                let _ = decode(data);
            }
        }
    }
});
