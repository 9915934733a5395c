//! The vendors this build knows.

use confapi_core::VendorInfo;

/// Every vendor's generated description.
pub fn all() -> Vec<&'static VendorInfo> {
    vec![
        &confapi_openvox::generated::meta::VENDOR,
        &confapi_quanshi::generated::meta::VENDOR,
        &confapi_dingtalk::generated::meta::VENDOR,
    ]
}
