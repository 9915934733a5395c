//! Reading generated fields whatever their Rust type: the text of an
//! envelope field, a page's count and its "more follows" flag. The same
//! field is a `String` in one spec and a lenient scalar in another; the
//! generated code calls these traits and never needs to know.

use crate::{LenientBool, LenientInt, NumberOrString, OpenEnum};
use std::fmt;

/// Text of an envelope field (used by generated code).
pub trait AsText {
    /// The field's text, if present.
    fn as_text(&self) -> Option<String>;
}

/// A page's count field (used by generated code).
pub trait AsCount {
    /// The count, if present.
    fn as_count(&self) -> Option<i64>;
}

/// A page's "more follows" field (used by generated code).
pub trait AsFlag {
    /// The flag, if present.
    fn as_flag(&self) -> Option<bool>;
}

/// Each reader also reads through a reference and an `Option`.
macro_rules! through_ref_and_option {
    ($($reader:ident :: $method:ident -> $out:ty),*) => {$(
        impl<T: $reader + ?Sized> $reader for &T {
            fn $method(&self) -> Option<$out> {
                (**self).$method()
            }
        }
        impl<T: $reader> $reader for Option<T> {
            fn $method(&self) -> Option<$out> {
                self.as_ref().and_then($reader::$method)
            }
        }
    )*};
}
through_ref_and_option!(AsText::as_text -> String, AsCount::as_count -> i64, AsFlag::as_flag -> bool);

impl AsText for String {
    fn as_text(&self) -> Option<String> {
        Some(self.clone())
    }
}
impl AsText for bool {
    fn as_text(&self) -> Option<String> {
        Some(self.to_string())
    }
}
impl AsText for i64 {
    fn as_text(&self) -> Option<String> {
        Some(self.to_string())
    }
}
impl AsText for NumberOrString {
    fn as_text(&self) -> Option<String> {
        Some(self.as_str().to_owned())
    }
}
impl AsText for LenientInt {
    fn as_text(&self) -> Option<String> {
        Some(self.get().to_string())
    }
}
impl<K: fmt::Display> AsText for OpenEnum<K> {
    fn as_text(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl AsCount for i64 {
    fn as_count(&self) -> Option<i64> {
        Some(*self)
    }
}
impl AsCount for i32 {
    fn as_count(&self) -> Option<i64> {
        Some(i64::from(*self))
    }
}
impl AsCount for LenientInt {
    fn as_count(&self) -> Option<i64> {
        Some(self.get())
    }
}
impl AsCount for NumberOrString {
    fn as_count(&self) -> Option<i64> {
        self.as_i64()
    }
}

impl AsFlag for bool {
    fn as_flag(&self) -> Option<bool> {
        Some(*self)
    }
}
impl AsFlag for LenientBool {
    fn as_flag(&self) -> Option<bool> {
        Some(self.get())
    }
}
