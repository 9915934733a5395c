//! What core needs from a generated client, and the macro that provides
//! it: progenitor's hooks, written once for every vendor.

use crate::Runtime;

/// A progenitor client whose inner value is a [`Runtime`]. Implemented for
/// each vendor's generated `Client` by [`generated_client!`](crate::generated_client).
pub trait GeneratedClient: Sized {
    /// A client of `base_url` sending through `http`.
    fn assemble(base_url: &str, http: reqwest::Client, runtime: Runtime) -> Self;
    /// Its runtime.
    fn runtime(&self) -> &Runtime;
    /// The same client with another runtime (the copy made for one call).
    fn with_runtime(&self, runtime: Runtime) -> Self;
}

/// Implements [`GeneratedClient`] and progenitor's `ClientHooks` for a
/// generated `Client`, and gives it `runtime()` and `credential_fetches()`.
/// The generator emits one invocation per vendor.
#[macro_export]
macro_rules! generated_client {
    ($client:ident) => {
        impl $crate::GeneratedClient for $client {
            fn assemble(base_url: &str, http: $crate::reqwest::Client, runtime: $crate::Runtime) -> Self {
                Self::new_with_client(base_url, http, runtime)
            }
            fn runtime(&self) -> &$crate::Runtime {
                &self.inner
            }
            fn with_runtime(&self, runtime: $crate::Runtime) -> Self {
                Self { baseurl: self.baseurl.clone(), client: self.client.clone(), inner: runtime }
            }
        }

        impl $crate::progenitor_client::ClientHooks<$crate::Runtime> for $client {
            async fn pre<E>(
                &self,
                request: &mut $crate::reqwest::Request,
                _info: &$crate::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), $crate::progenitor_client::Error<E>> {
                self.inner.prepare(request);
                Ok(())
            }

            async fn exec(
                &self,
                request: $crate::reqwest::Request,
                _info: &$crate::progenitor_client::OperationInfo,
            ) -> $crate::reqwest::Result<$crate::reqwest::Response> {
                self.inner.exchange(&self.client, request).await
            }
        }

        impl $client {
            /// The runtime: vendor facts, credentials and settings.
            pub fn runtime(&self) -> &$crate::Runtime {
                &self.inner
            }

            /// How many times this client obtained a credential: logins,
            /// token requests or token-source calls.
            pub fn credential_fetches(&self) -> u64 {
                self.inner.credential_fetches()
            }
        }
    };
}
