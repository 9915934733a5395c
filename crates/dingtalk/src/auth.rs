//! DingTalk access tokens: fetched from the oauth2 calls with the app's
//! credentials, cached for `expireIn` (less a margin, never less than a
//! floor), and fetched again once when a call is answered
//! `InvalidAuthentication`.

use crate::generated::{meta::VENDOR, types, Client};
use confapi_core::{Authenticator, BoxFuture, Error, ErrorKind, Lifetime, SecretString, Token};
use std::time::Duration;

/// The credentials a token is fetched with.
#[derive(Clone)]
pub(crate) enum AppCredentials {
    /// An internal app: `appKey` and `appSecret`.
    Internal { app_key: String, app_secret: SecretString },
    /// A third-party app acting for an authorising organisation.
    ThirdParty { auth_corp_id: String, suite_key: String, suite_secret: SecretString, suite_ticket: SecretString },
}

impl std::fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppCredentials::Internal { app_key, app_secret } => {
                f.debug_struct("Internal").field("app_key", app_key).field("app_secret", app_secret).finish()
            }
            AppCredentials::ThirdParty { auth_corp_id, suite_key, suite_secret, suite_ticket } => f
                .debug_struct("ThirdParty")
                .field("auth_corp_id", auth_corp_id)
                .field("suite_key", suite_key)
                .field("suite_secret", suite_secret)
                .field("suite_ticket", suite_ticket)
                .finish(),
        }
    }
}

impl AppCredentials {
    /// The secrets to keep out of error messages.
    pub(crate) fn secrets(&self) -> Vec<SecretString> {
        match self {
            AppCredentials::Internal { app_secret, .. } => vec![app_secret.clone()],
            AppCredentials::ThirdParty { suite_secret, suite_ticket, .. } => {
                vec![suite_secret.clone(), suite_ticket.clone()]
            }
        }
    }
}

/// Fetches access tokens with a client that sends no token itself.
#[derive(Debug)]
pub(crate) struct AppToken {
    pub(crate) client: Client,
    pub(crate) credentials: AppCredentials,
}

impl AppToken {
    /// Asks the token call for a token with the app's credentials.
    async fn request(&self) -> Result<Token, Error> {
        let client = &self.client;
        let response = match &self.credentials {
            AppCredentials::Internal { app_key, app_secret } => {
                let body = types::AppTokenRequest::new(app_key.clone()).app_secret(app_secret.clone());
                client.get_access_token().body(body).send().await?
            }
            AppCredentials::ThirdParty { auth_corp_id, suite_key, suite_secret, suite_ticket } => {
                let body = types::CorpTokenRequest::new(
                    auth_corp_id.clone(),
                    suite_key.clone(),
                    suite_secret.clone(),
                    suite_ticket.clone(),
                );
                client.get_corp_access_token().body(body).send().await?
            }
        };
        let secret = response.access_token.filter(|t| !t.is_empty()).ok_or_else(|| {
            Error::new(VENDOR.name, ErrorKind::Decode).with_detail("token response without an accessToken")
        })?;
        // A missing or zero expireIn is held for the cache's floor, not refetched at once.
        let seconds = response.expire_in.map(|e| e.get()).unwrap_or(0).max(0) as u64;
        Ok(Token { secret, lifetime: Lifetime::Fixed(Duration::from_secs(seconds)) })
    }
}

impl Authenticator for AppToken {
    fn fetch(&self) -> BoxFuture<'_, Result<Token, Error>> {
        Box::pin(self.request())
    }
}
