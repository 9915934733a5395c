//! A string that never shows itself in `Debug` or `Display`.

use std::fmt;

/// Text that must not leak: passwords, tokens, app secrets.
///
/// `Debug` and `Display` print `[REDACTED]`; the value is reachable only
/// through [`SecretString::expose`], which makes every use easy to audit.
///
/// ```
/// use confapi_base::SecretString;
/// let token = SecretString::new("813b621cfe8eecf445a2ce1f4a079ffe");
/// assert_eq!(format!("{token:?}"), "SecretString([REDACTED])");
/// assert_eq!(token.expose(), "813b621cfe8eecf445a2ce1f4a079ffe");
/// ```
// `Arc<str>`: a credential is cloned onto every request, and cloning must not allocate.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(std::sync::Arc<str>);

impl SecretString {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into().into())
    }

    /// The secret itself. Call this only where the value goes on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString([REDACTED])")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value.into())
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.into())
    }
}

// On the wire the secret is sent as is; only formatting hides it.
impl serde::Serialize for SecretString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let s = SecretString::new("hunter2");
        assert_eq!(format!("{s:?}"), "SecretString([REDACTED])");
        assert_eq!(format!("{s}"), "[REDACTED]");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(SecretString([REDACTED]))");
        assert_eq!(s.expose(), "hunter2");
    }
}
