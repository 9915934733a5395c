//! The enums behind `x-confapi-codes`: one variant per documented integer
//! code, with its doc line, and core's `Code` impl that maps them.

use crate::postprocess::module_mut;
use crate::preprocess::DocumentedCode;
use heck::ToUpperCamelCase;
use quote::{format_ident, quote};
use syn::File;

/// Adds `{Schema}Known` to `mod types` for every code schema.
pub fn add(file: &mut File, codes: &[(String, String, Vec<DocumentedCode>)]) -> Result<(), String> {
    let types = module_mut(&mut file.items, "types")?;
    for (schema, description, documented) in codes {
        let name = format_ident!("{schema}Known");
        let intro = format!("The documented values of `{schema}`: {description}");
        let variants: Vec<_> = documented
            .iter()
            .map(|c| {
                let variant = format_ident!("{}", c.name.to_upper_camel_case());
                let doc = format!("`{}`: {}", c.code, c.doc);
                quote!(#[doc = #doc] #variant)
            })
            .collect();
        let from: Vec<_> = documented
            .iter()
            .map(|c| {
                let variant = format_ident!("{}", c.name.to_upper_camel_case());
                let code = c.code;
                quote!(#code => ::std::option::Option::Some(Self::#variant))
            })
            .collect();
        let to: Vec<_> = documented
            .iter()
            .map(|c| {
                let variant = format_ident!("{}", c.name.to_upper_camel_case());
                let code = c.code;
                quote!(Self::#variant => #code)
            })
            .collect();
        let tokens = quote! {
            #[doc = #intro]
            // `for_users` marks it #[non_exhaustive] with the other types.
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub enum #name { #(#variants),* }
            impl ::confapi_core::Code for #name {
                fn from_code(code: i64) -> ::std::option::Option<Self> {
                    match code { #(#from,)* _ => ::std::option::Option::None }
                }
                fn code(self) -> i64 {
                    match self { #(#to),* }
                }
            }
        };
        let file: File = syn::parse2(tokens).map_err(|e| format!("{schema}: code enum does not parse: {e}"))?;
        types.extend(file.items);
    }
    Ok(())
}
