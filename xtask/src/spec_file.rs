//! The one place a spec is read: YAML text in, JSON value out. Codegen,
//! docs-check, the SDK check and the semver harness all come through here,
//! and a run reads each spec file once ([`Specs`] keeps what it read).

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Parses a spec's YAML text (the only YAML parse of a spec in xtask).
pub fn parse(text: &str) -> Result<Value, String> {
    serde_yaml_ng::from_str(text).map_err(|e| format!("invalid YAML: {e}"))
}

/// The specs of one directory, each read and parsed at most once per run.
#[derive(Debug)]
pub struct Specs {
    dir: PathBuf,
    read: BTreeMap<String, Value>,
}

impl Specs {
    /// The specs in `dir` (`specs/` of the workspace, or another).
    pub fn in_dir(dir: &Path) -> Self {
        Self { dir: dir.to_path_buf(), read: BTreeMap::new() }
    }

    /// `dir/<vendor>.yaml`, parsed the first time it is asked for.
    pub fn get(&mut self, vendor: &str) -> Result<&Value, String> {
        if !self.read.contains_key(vendor) {
            let path = self.dir.join(format!("{vendor}.yaml"));
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let value = parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            self.read.insert(vendor.to_owned(), value);
        }
        self.read.get(vendor).ok_or_else(|| format!("{vendor}: spec not read"))
    }

    /// How many spec files this run has parsed.
    #[cfg(test)]
    pub fn parsed(&self) -> usize {
        self.read.len()
    }
}
