//! The generated `dispatch` (feature `test-util`): calls any operation by
//! id with its parameters as text and its body as JSON, through the typed
//! call. The replay tests, the fault matrix and the conformance run use it.

use crate::model::Operation;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn generate(ops: &[Operation]) -> TokenStream {
    let arms = ops.iter().map(dispatch_arm);
    quote! {
        /// Calls operation `id` with path and query parameters by their API
        /// names and the request body as JSON; returns the decoded response.
        #[cfg(feature = "test-util")]
        pub async fn dispatch(
            client: &super::Client,
            id: &str,
            params: &::std::collections::BTreeMap<String, String>,
            body: Option<::serde_json::Value>,
        ) -> Result<::confapi_core::test_util::Dispatched, ::confapi_core::Error> {
            let vendor = VENDOR.name;
            let _ = (&params, &body);
            match id {
                #(#arms)*
                other => Err(::confapi_core::Error::new(vendor, ::confapi_core::ErrorKind::InvalidRequest)
                    .with_detail(format!("no operation {other:?}"))),
            }
        }
    }
}

fn dispatch_arm(op: &Operation) -> TokenStream {
    let id = &op.id;
    let method = format_ident!("{}", id);
    let body_let = op.body.as_ref().map(|name| {
        let ty = format_ident!("{}", name);
        quote!(let body: types::#ty = ::confapi_core::test_util::body_from_json(vendor, body)?;)
    });
    let body_set = op.body.as_ref().map(|_| quote!(let b = b.body(body);));
    let param_lets = op.params.iter().enumerate().map(|(i, p)| {
        let var = format_ident!("p{}", i);
        let (api, ty) = (&p.api_name, &p.rust_type);
        if p.required {
            quote!(let #var: #ty = ::confapi_core::test_util::required_param(vendor, params, #api)?;)
        } else {
            quote!(let #var: Option<#ty> = ::confapi_core::test_util::param(vendor, params, #api)?;)
        }
    });
    let param_sets = op.params.iter().enumerate().map(|(i, p)| {
        let var = format_ident!("p{}", i);
        let m = &p.method;
        if p.required {
            quote!(let b = b.#m(#var);)
        } else {
            quote!(let b = match #var { Some(v) => b.#m(v), None => b };)
        }
    });
    quote! {
        #id => {
            #body_let
            #(#param_lets)*
            let b = client.#method();
            #body_set
            #(#param_sets)*
            let value = b.send().await?;
            ::confapi_core::test_util::dispatched(vendor, &value)
        }
    }
}
