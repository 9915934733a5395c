//! Recorded-exchange tests live in tests/*.rs.
