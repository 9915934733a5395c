//! Where the generated code of a vendor is written: its types and the
//! description of its API (`types`, `meta` but `dispatch`) to
//! `crates/<vendor>-types`, which does not depend on reqwest and so
//! compiles while the HTTP stack does; the client, its builders and
//! `dispatch` to `crates/<vendor>`, which re-exports the rest under the
//! paths it always had (`generated::types`, `generated::meta::VENDOR`, …).

use quote::format_ident;
use syn::{parse_quote, File, Item};

/// One vendor's generated code, as the two files it is written to.
pub struct Split {
    /// `crates/<vendor>-types/src/generated.rs`.
    pub types: File,
    /// `crates/<vendor>/src/generated.rs`.
    pub client: File,
}

/// Splits the whole generated file of `vendor` in two.
pub fn split(vendor: &str, file: File) -> Result<Split, String> {
    let types_crate = format_ident!("confapi_{vendor}_types");
    let mut types = File { shebang: None, attrs: file.attrs.clone(), items: Vec::new() };
    let mut client = File { shebang: None, attrs: file.attrs, items: Vec::new() };
    let (mut saw_types, mut saw_meta) = (false, false);
    for item in file.items {
        match item {
            Item::Mod(m) if m.ident == "types" => {
                saw_types = true;
                types.items.push(Item::Mod(m));
                client.items.push(parse_quote! {
                    #[doc(inline)]
                    pub use ::#types_crate::generated::types;
                });
            }
            Item::Mod(m) if m.ident == "meta" => {
                saw_meta = true;
                let mut data = m.clone();
                let mut calls = m;
                let (brace, content) = data.content.take().ok_or("generated `meta` has no body")?;
                // Functions call the client (`dispatch`); `use` items serve both.
                let (fns, rest): (Vec<Item>, Vec<Item>) =
                    content.into_iter().partition(|item| matches!(item, Item::Fn(_) | Item::Use(_)));
                let uses = fns.iter().filter(|item| matches!(item, Item::Use(_))).cloned();
                data.content = Some((brace, uses.chain(rest).collect()));
                let mut stay: Vec<Item> = vec![parse_quote! { pub use ::#types_crate::generated::meta::*; }];
                for mut item in fns {
                    if let Item::Use(u) = &mut item {
                        // Only the feature-gated `dispatch` uses them.
                        u.attrs.push(parse_quote!(#[allow(unused_imports)]));
                    }
                    stay.push(item);
                }
                calls.content = Some((brace, stay));
                types.items.push(Item::Mod(data));
                client.items.push(Item::Mod(calls));
            }
            other => client.items.push(other),
        }
    }
    if !(saw_types && saw_meta) {
        return Err("the generated code has no `types` or no `meta` module to split".into());
    }
    Ok(Split { types, client })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_types_half_needs_no_http_client_and_the_client_half_re_exports_it() {
        let spec = std::fs::read_to_string(crate::workspace_root().join("specs/dingtalk.yaml")).unwrap();
        let files = crate::generate::outputs("dingtalk", crate::spec_file::parse(&spec).unwrap()).unwrap();
        let [(types_path, types), (client_path, client)] = &files[..] else { panic!("two files") };
        assert_eq!(types_path, "crates/dingtalk-types/src/generated.rs");
        assert_eq!(client_path, "crates/dingtalk/src/generated.rs");
        for http in ["reqwest", "progenitor_client", "super::Client", "fn dispatch"] {
            assert!(!types.contains(http), "the types half names {http}");
        }
        assert!(types.contains("pub mod types {") && types.contains("pub static VENDOR"));
        assert!(!client.contains("pub mod types {") && !client.contains("pub static VENDOR"));
        assert!(client.contains("pub use ::confapi_dingtalk_types::generated::types;"));
        assert!(client.contains("pub use ::confapi_dingtalk_types::generated::meta::*;"));
        assert!(client.contains("pub async fn dispatch("));
    }
}
