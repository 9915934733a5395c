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
        // (variant, code, doc line) once per documented code.
        let entries: Vec<_> = documented
            .iter()
            .map(|c| (format_ident!("{}", c.name.to_upper_camel_case()), c.code, format!("`{}`: {}", c.code, c.doc)))
            .collect();
        let variants = entries.iter().map(|(v, _, doc)| quote!(#[doc = #doc] #v));
        let from = entries.iter().map(|(v, code, _)| quote!(#code => ::std::option::Option::Some(Self::#v)));
        let to = entries.iter().map(|(v, code, _)| quote!(Self::#v => #code));
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
