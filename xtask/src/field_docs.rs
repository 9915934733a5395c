//! Field docs progenitor leaves out: a property written as a `$ref` with a
//! `description` beside it (`{$ref: LenientInt, description: …}`) loses the
//! description in OpenAPI 3.0 parsing, so its field would have no doc. This
//! adds the spec's description to every field that has none.

use crate::postprocess::{json_name, module_mut};
use serde_json::Value;
use syn::{parse_quote, File, Item};

/// Adds each property's `description` to its field where progenitor did not.
pub fn add(file: &mut File, raw: &Value) -> Result<(), String> {
    let types = module_mut(&mut file.items, "types")?;
    for item in types.iter_mut() {
        let Item::Struct(strukt) = item else { continue };
        let schema = strukt.ident.to_string();
        let Some(props) = raw.pointer(&format!("/components/schemas/{schema}/properties")).and_then(Value::as_object)
        else {
            continue;
        };
        let syn::Fields::Named(fields) = &mut strukt.fields else { continue };
        for field in fields.named.iter_mut() {
            if field.attrs.iter().any(|a| a.path().is_ident("doc")) {
                continue;
            }
            let Some(text) = json_name(field)
                .and_then(|json| props.get(&json))
                .and_then(|p| p.get("description"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            field.attrs.insert(0, parse_quote!(#[doc = #text]));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// A described `$ref` property gets its description as the field doc.
    #[test]
    fn referenced_properties_keep_their_descriptions() {
        let spec = std::fs::read_to_string(crate::workspace_root().join("specs/dingtalk.yaml")).unwrap();
        assert!(spec.contains(
            r##"activeNum: {"$ref": "#/components/schemas/LenientInt", "x-confapi-note": "People in the conference now.", description: "How many people are in the conference now."}"##
        ));
        let code = crate::generate::generate("dingtalk", &spec).unwrap();
        let at = code.find("pub active_num:").unwrap();
        let before = &code[..at];
        let doc = before.rfind("///").map(|i| &before[i..]).unwrap_or_default();
        assert!(doc.starts_with("///How many people are in the conference now."), "{doc}");
    }
}
