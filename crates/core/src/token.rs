//! Credential caching with single-flight refresh, shared by every vendor.

use crate::{Error, ErrorKind, SecretString};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;
use tokio::time::Instant;

/// A boxed future, as returned by [`Authenticator`] methods.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How long a freshly issued token stays valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// Valid for this long after it was issued (DingTalk's `expireIn`).
    Fixed(Duration),
    /// Valid until this long passes without use (OpenVox's 30-minute idle rule).
    Idle(Duration),
    /// Valid until the server says otherwise (an API token issued out of band).
    Unlimited,
}

/// A credential as issued by the vendor.
#[derive(Debug, Clone)]
pub struct Token {
    /// The value sent with each request.
    pub secret: SecretString,
    /// How long it is good for.
    pub lifetime: Lifetime,
}

/// Obtains credentials for a vendor: a login call, a token endpoint, or a
/// source the caller implements (for rotation through a vault, say).
pub trait Authenticator: Send + Sync + 'static {
    /// Obtains a fresh token. An error of kind [`ErrorKind::Credentials`]
    /// means the credentials themselves were refused: the cache then stops
    /// asking until [`TokenCache::reset`].
    fn fetch(&self) -> BoxFuture<'_, Result<Token, Error>>;

    /// Extends an idle-limited token without logging in again. Returns
    /// `Ok(false)` where the vendor has no such call.
    fn keepalive<'a>(&'a self, _token: &'a SecretString) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(async { Ok(false) })
    }
}

/// A token issued out of band, used as is until the server rejects it.
#[derive(Debug, Clone)]
pub struct StaticToken(pub SecretString);

impl Authenticator for StaticToken {
    fn fetch(&self) -> BoxFuture<'_, Result<Token, Error>> {
        let token = Token { secret: self.0.clone(), lifetime: Lifetime::Unlimited };
        Box::pin(async move { Ok(token) })
    }
}

/// When to refresh ahead of expiry.
#[derive(Debug, Clone, Copy)]
pub struct RefreshPolicy {
    /// Refresh this long before the token would expire.
    pub margin: Duration,
    /// Never keep a token for less than this, whatever the server says its
    /// lifetime is (an `expireIn` of 0 must not cause a request storm).
    pub floor: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self { margin: Duration::from_secs(300), floor: Duration::from_secs(60) }
    }
}

/// A token in hand, with the generation that identifies it.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The token.
    pub secret: SecretString,
    /// Increases with every fetch; used to invalidate exactly this token.
    pub generation: u64,
}

#[derive(Clone)]
struct Cached {
    credential: Credential,
    lifetime: Lifetime,
    refresh_at: Option<Instant>,
    expires_at: Option<Instant>,
}

/// Caches one credential; concurrent callers share a single fetch.
///
/// A fresh token is handed out under a short synchronous lock; only
/// renewal (keepalive or fetch) takes the asynchronous lock that makes
/// concurrent callers wait for one fetch.
pub struct TokenCache {
    authenticator: Arc<dyn Authenticator>,
    policy: RefreshPolicy,
    /// The token in hand, if any.
    ready: StdMutex<Option<Cached>>,
    /// Held while renewing; holds a refusal of the credentials.
    renewing: tokio::sync::Mutex<Option<Error>>,
    generation: AtomicU64,
    fetches: AtomicU64,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("policy", &self.policy)
            .field("fetches", &self.fetch_count())
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    /// A cache in front of `authenticator`.
    pub fn new(authenticator: Arc<dyn Authenticator>, policy: RefreshPolicy) -> Self {
        Self {
            authenticator,
            policy,
            ready: StdMutex::new(None),
            renewing: tokio::sync::Mutex::new(None),
            generation: AtomicU64::new(0),
            fetches: AtomicU64::new(0),
        }
    }

    /// How many times a token was fetched (for tests and metrics).
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// The token last obtained, without waiting or fetching.
    pub fn peek(&self) -> Option<SecretString> {
        self.ready.lock().ok().and_then(|c| c.as_ref().map(|c| c.credential.secret.clone()))
    }

    /// The cached credential if it needs no renewal yet (and counts this
    /// use for idle-limited tokens).
    fn fresh(&self, now: Instant) -> Option<Credential> {
        let mut ready = self.ready.lock().ok()?;
        let cached = ready.as_mut()?;
        if cached.refresh_at.is_some_and(|t| now >= t) {
            return None;
        }
        self.touch(cached, now);
        Some(cached.credential.clone())
    }

    /// A valid credential: the cached one, a kept-alive one, or a new one.
    /// Only one caller renews at a time; the others wait for its result.
    pub async fn get(&self) -> Result<Credential, Error> {
        if let Some(credential) = self.fresh(Instant::now()) {
            return Ok(credential);
        }
        let mut refused = self.renewing.lock().await;
        if let Some(e) = &*refused {
            return Err(e.clone());
        }
        // Another caller may have renewed while this one waited.
        if let Some(credential) = self.fresh(Instant::now()) {
            return Ok(credential);
        }
        // Near the end of an idle window: try to extend it, else fetch anew.
        let idle =
            self.ready.lock().ok().and_then(|r| r.clone()).filter(|c| {
                matches!(c.lifetime, Lifetime::Idle(_)) && c.expires_at.is_some_and(|t| Instant::now() < t)
            });
        if let Some(mut cached) = idle {
            if matches!(self.authenticator.keepalive(&cached.credential.secret).await, Ok(true)) {
                self.touch(&mut cached, Instant::now());
                let credential = cached.credential.clone();
                self.set_ready(Some(cached));
                return Ok(credential);
            }
        }
        self.fetches.fetch_add(1, Ordering::Relaxed);
        match self.authenticator.fetch().await {
            Ok(token) => {
                let generation = self.generation.fetch_add(1, Ordering::Relaxed) + 1;
                let credential = Credential { secret: token.secret, generation };
                let mut cached = Cached {
                    credential: credential.clone(),
                    lifetime: token.lifetime,
                    refresh_at: None,
                    expires_at: None,
                };
                self.touch(&mut cached, Instant::now());
                self.set_ready(Some(cached));
                Ok(credential)
            }
            Err(e) => {
                if e.kind() == ErrorKind::Credentials {
                    *refused = Some(e.clone());
                }
                self.set_ready(None);
                Err(e)
            }
        }
    }

    /// Drops the credential of `generation` (the server said it expired).
    /// A newer credential, fetched meanwhile by another caller, is kept.
    pub async fn invalidate(&self, generation: u64) {
        if let Ok(mut ready) = self.ready.lock() {
            if ready.as_ref().is_some_and(|c| c.credential.generation == generation) {
                *ready = None;
            }
        }
    }

    /// Forgets everything, including a refusal of the credentials.
    pub async fn reset(&self) {
        *self.renewing.lock().await = None;
        self.set_ready(None);
    }

    fn set_ready(&self, value: Option<Cached>) {
        if let Ok(mut ready) = self.ready.lock() {
            *ready = value;
        }
    }

    /// Recomputes when the token should be refreshed, counting from `now`
    /// (the issue time, or the last use for idle-limited tokens).
    fn touch(&self, c: &mut Cached, now: Instant) {
        let keep = |life: Duration| life.saturating_sub(self.policy.margin).max(self.policy.floor);
        match c.lifetime {
            Lifetime::Unlimited => {}
            Lifetime::Fixed(life) if c.refresh_at.is_none() => {
                c.refresh_at = Some(now + keep(life));
                c.expires_at = Some(now + life.max(self.policy.floor));
            }
            Lifetime::Fixed(_) => {}
            Lifetime::Idle(life) => {
                c.refresh_at = Some(now + keep(life));
                c.expires_at = Some(now + life);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    struct Counting {
        calls: AtomicUsize,
        keepalives: AtomicUsize,
        lifetime: Lifetime,
        outcome: Option<ErrorKind>,
    }

    impl Counting {
        fn new(lifetime: Lifetime, outcome: Option<ErrorKind>) -> Arc<Self> {
            Arc::new(Self { calls: AtomicUsize::new(0), keepalives: AtomicUsize::new(0), lifetime, outcome })
        }
    }

    impl Authenticator for Counting {
        fn fetch(&self) -> BoxFuture<'_, Result<Token, Error>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                match self.outcome {
                    Some(kind) => Err(Error::new("test", kind)),
                    None => Ok(Token { secret: SecretString::new(format!("tok-{n}")), lifetime: self.lifetime }),
                }
            })
        }
        fn keepalive<'a>(&'a self, _: &'a SecretString) -> BoxFuture<'a, Result<bool, Error>> {
            self.keepalives.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(true) })
        }
    }

    #[tokio::test]
    async fn concurrent_cold_callers_share_one_fetch() {
        let auth = Counting::new(Lifetime::Fixed(Duration::from_secs(7200)), None);
        let cache = Arc::new(TokenCache::new(auth.clone(), RefreshPolicy::default()));
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.get().await.map(|c| c.generation) })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), 1);
        }
        assert_eq!(auth.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn rejected_credentials_are_never_fetched_again() {
        let auth = Counting::new(Lifetime::Unlimited, Some(ErrorKind::Credentials));
        let cache = TokenCache::new(auth.clone(), RefreshPolicy::default());
        for _ in 0..3 {
            assert_eq!(cache.get().await.unwrap_err().kind(), ErrorKind::Credentials);
        }
        assert_eq!(auth.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn other_fetch_errors_are_retried_on_next_use() {
        let auth = Counting::new(Lifetime::Unlimited, Some(ErrorKind::Connect));
        let cache = TokenCache::new(auth.clone(), RefreshPolicy::default());
        assert!(cache.get().await.is_err());
        assert!(cache.get().await.is_err());
        assert_eq!(auth.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn zero_lifetime_is_held_for_the_floor() {
        let auth = Counting::new(Lifetime::Fixed(Duration::ZERO), None);
        let cache = TokenCache::new(auth.clone(), RefreshPolicy::default());
        for _ in 0..50 {
            cache.get().await.unwrap();
            tokio::time::advance(Duration::from_secs(1)).await;
        }
        // 50 s of use with a 60 s floor: one fetch only.
        assert_eq!(auth.calls.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(20)).await;
        cache.get().await.unwrap();
        assert_eq!(auth.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn idle_tokens_are_kept_alive_before_they_lapse() {
        let auth = Counting::new(Lifetime::Idle(Duration::from_secs(1800)), None);
        let cache = TokenCache::new(auth.clone(), RefreshPolicy::default());
        cache.get().await.unwrap();
        // Used every 10 minutes: stays fresh, no keepalive, no login.
        for _ in 0..6 {
            tokio::time::advance(Duration::from_secs(600)).await;
            cache.get().await.unwrap();
        }
        assert_eq!((auth.calls.load(Ordering::SeqCst), auth.keepalives.load(Ordering::SeqCst)), (1, 0));
        // Idle for 27 minutes: inside the margin, a keepalive extends it.
        tokio::time::advance(Duration::from_secs(27 * 60)).await;
        cache.get().await.unwrap();
        assert_eq!((auth.calls.load(Ordering::SeqCst), auth.keepalives.load(Ordering::SeqCst)), (1, 1));
        // Idle for 31 minutes: the PBX has erased it, log in again.
        tokio::time::advance(Duration::from_secs(31 * 60)).await;
        assert_eq!(cache.get().await.unwrap().generation, 2);
        assert_eq!(auth.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn invalidate_only_drops_the_named_generation() {
        let auth = Counting::new(Lifetime::Unlimited, None);
        let cache = TokenCache::new(auth.clone(), RefreshPolicy::default());
        let first = cache.get().await.unwrap();
        cache.invalidate(first.generation + 1).await;
        assert_eq!(cache.get().await.unwrap().generation, first.generation);
        cache.invalidate(first.generation).await;
        assert_eq!(cache.get().await.unwrap().generation, first.generation + 1);
        assert_eq!(format!("{:?}", cache.peek()), "Some(SecretString([REDACTED]))");
    }
}
