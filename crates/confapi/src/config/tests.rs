use super::*;
use crate::Vendor;
use std::collections::HashMap;

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn configure(pairs: &[(&str, &str)]) -> Result<Configured, Error> {
    let map = vars(pairs);
    from_env(&|n| map.get(n).cloned(), Timeouts::default())
}

fn detail(e: Error) -> String {
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    e.detail().unwrap_or_default().to_owned()
}

#[test]
fn absent_vendors_are_skipped_with_a_note() {
    let c = configure(&[("CONFAPI_DINGTALK_APP_KEY", "k"), ("CONFAPI_DINGTALK_APP_SECRET", "s3cret")]).unwrap();
    assert_eq!(c.api.vendors(), [Vendor::DINGTALK]);
    assert_eq!(c.api.account_names(), ["dingtalk"]);
    assert_eq!(c.notes.len(), 2);
}

#[test]
fn a_partial_set_names_the_missing_variable_without_values() {
    let e =
        configure(&[("CONFAPI_OPENVOX_URL", "http://pbx:9011"), ("CONFAPI_OPENVOX_PASSWORD", "pw-value")]).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("CONFAPI_OPENVOX_USERNAME is not set"), "{text}");
    assert!(!text.contains("pw-value"));
}

#[test]
fn bad_values_name_the_variable() {
    let e = configure(&[("CONFAPI_QUANSHI_TOKEN", "t"), ("CONFAPI_QUANSHI_URL", "openapi.quanshi.com")]).unwrap_err();
    assert!(detail(e).starts_with("CONFAPI_QUANSHI_URL is not an http(s) URL"));
    let e = configure(&[("CONFAPI_DINGTALK_APP_KEY", "k"), ("CONFAPI_DINGTALK_APP_SECRET", " ")]).unwrap_err();
    assert_eq!(detail(e), "CONFAPI_DINGTALK_APP_SECRET is set but empty");
    let e = configure(&[("CONFAPI_DINGTALK_URL", "http://x")]).unwrap_err();
    assert!(detail(e).contains("CONFAPI_DINGTALK_APP_KEY"));
}

const THREE: &str = r#"
[accounts.hq-pbx]
vendor = "openvox"
url = "http://127.0.0.1:9011"
username = "api"
password_env = "HQ_PBX_PASSWORD"

[accounts.branch-pbx]
vendor = "openvox"
url = "http://127.0.0.1:9012"
username = "api"
password_env = "BRANCH_PBX_PASSWORD"

[accounts.org-a]
vendor = "dingtalk"
app_key = "dingkey"
app_secret_env = "ORG_A_SECRET"
budget = "10000/month"
"#;

fn from_text(text: &str, pairs: &[(&str, &str)]) -> Result<Confapi, Error> {
    let map = vars(pairs);
    from_toml(text, &|n| map.get(n).cloned(), Timeouts::default()).map(|c| c.api)
}

const SECRETS: [(&str, &str); 3] =
    [("HQ_PBX_PASSWORD", "pw-hq"), ("BRANCH_PBX_PASSWORD", "pw-branch"), ("ORG_A_SECRET", "s3cret")];

#[test]
fn a_file_names_any_number_of_accounts_per_vendor() {
    let api = from_text(THREE, &SECRETS).unwrap();
    let accounts = api.accounts();
    let names: Vec<(&str, Vendor)> = accounts.iter().map(|a| (a.name.as_str(), a.vendor)).collect();
    // In the file's order.
    assert_eq!(names, [("hq-pbx", Vendor::OPENVOX), ("branch-pbx", Vendor::OPENVOX), ("org-a", Vendor::DINGTALK)]);
    assert_eq!(accounts[2].budget, Some(Budget::per_month(10_000)));
    let shown = format!("{api:?}");
    assert!(!shown.contains("pw-hq") && !shown.contains("s3cret"), "{shown}");
}

#[test]
fn bad_files_name_the_account_or_the_line() {
    let e = from_text(THREE, &SECRETS[..2]).unwrap_err();
    assert_eq!(detail(e), r#"account "org-a": app_secret_env names ORG_A_SECRET, which is not set"#);
    let e = from_text("[accounts.x]\nvendor = \"zoom\"\n", &[]).unwrap_err();
    assert!(detail(e).starts_with(r#"account "x": unknown vendor "zoom" (one of: openvox"#));
    let e = from_text("[accounts.x]\nvendor = \"quanshi\"\ntoken = \"t\"\npasword = \"p\"\n", &[]).unwrap_err();
    assert!(detail(e).starts_with(r#"account "x": unknown setting "pasword" for quanshi"#));
    let e = from_text("[accounts.x]\nvendor = \"quanshi\"\n", &[]).unwrap_err();
    assert_eq!(detail(e), r#"account "x": token is missing (give token_env = "VARIABLE")"#);
    let twice = "[accounts.x]\nvendor = \"quanshi\"\ntoken = \"t\"\n\n[accounts.x]\nvendor = \"quanshi\"\n";
    let e = detail(from_text(twice, &[]).unwrap_err());
    assert!(e.contains("line 5") && e.contains("duplicate"), "{e}");
    let e =
        from_text("[accounts.x]\nvendor = \"dingtalk\"\napp_key = \"k\"\napp_secret = \"s\"\nbudget = \"lots\"\n", &[])
            .unwrap_err();
    assert!(detail(e).starts_with(r#"account "x": "lots" is not a budget"#));
}
