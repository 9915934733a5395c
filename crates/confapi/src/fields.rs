//! Readers of vendor fields that every conversion shares: integers and
//! counts from lenient fields, and text that is absent when empty.

use confapi_core::LenientInt;

/// The integer of an optional lenient field.
#[cfg_attr(not(any(feature = "quanshi", feature = "dingtalk")), allow(dead_code))]
pub(crate) fn int(v: &Option<LenientInt>) -> Option<i64> {
    v.map(|i| i.get())
}

/// A non-negative count from an optional lenient field.
#[cfg_attr(not(any(feature = "quanshi", feature = "dingtalk")), allow(dead_code))]
pub(crate) fn count(v: &Option<LenientInt>) -> Option<u64> {
    int(v).and_then(|n| u64::try_from(n).ok())
}

/// The vendor's text as it sent it; an empty (or blank) string is absent,
/// never a name or title of `""`.
#[cfg_attr(not(any(feature = "openvox", feature = "quanshi", feature = "dingtalk")), allow(dead_code))]
pub(crate) fn text(v: Option<&str>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_absent_and_other_text_is_kept_as_sent() {
        assert_eq!(text(None), None);
        assert_eq!(text(Some("")), None);
        assert_eq!(text(Some("  ")), None);
        assert_eq!(text(Some(" Support ")).as_deref(), Some(" Support "));
    }
}
