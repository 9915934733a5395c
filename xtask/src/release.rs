//! Release notes from the change report: the version bump a vendor crate
//! needs (Cargo's semver rules, where a breaking change at 0.x bumps the
//! minor version) and its CHANGELOG.md's "## Unreleased" section.

use std::fmt;
use std::path::Path;

/// A crate version, `major.minor.patch` (pre-release tags are not used here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
}

/// Which part of the version a release bumps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bump {
    /// Compatible at 0.x.
    Patch,
    /// Breaking at 0.x, compatible from 1.0.
    Minor,
    /// Breaking from 1.0.
    Major,
}

impl Bump {
    /// The bump a release with (or without) breaking changes needs.
    pub fn needed(version: &Version, breaking: bool) -> Bump {
        match (version.major, breaking) {
            (0, false) => Bump::Patch,
            (0, true) => Bump::Minor,
            (_, false) => Bump::Minor,
            (_, true) => Bump::Major,
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

impl Version {
    /// Reads `1.2.3`.
    pub fn parse(text: &str) -> Result<Version, String> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        let number = |i: usize| -> Result<u64, String> {
            parts
                .get(i)
                .and_then(|p| p.parse().ok())
                .ok_or_else(|| format!("version {text:?} is not major.minor.patch"))
        };
        if parts.len() != 3 {
            return Err(format!("version {text:?} is not major.minor.patch"));
        }
        Ok(Version { major: number(0)?, minor: number(1)?, patch: number(2)? })
    }

    /// The version after `bump`.
    pub fn bumped(&self, bump: Bump) -> Version {
        match bump {
            Bump::Patch => Version { patch: self.patch + 1, ..*self },
            Bump::Minor => Version { minor: self.minor + 1, patch: 0, ..*self },
            Bump::Major => Version { major: self.major + 1, minor: 0, patch: 0 },
        }
    }

    /// `crates/<vendor>`'s version: its Cargo.toml's `version`, or the
    /// workspace's when it says `version.workspace = true` (or has none yet).
    pub fn of_crate(root: &Path, vendor: &str) -> Result<Version, String> {
        let manifest = root.join(format!("crates/{vendor}/Cargo.toml"));
        // A new vendor's crate may not exist yet: it gets the workspace's version.
        let own = match std::fs::read_to_string(&manifest) {
            Ok(text) => package_version(&text, "[package]"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("{}: {e}", manifest.display())),
        };
        match own {
            Some(v) => Version::parse(&v),
            None => {
                let workspace = root.join("Cargo.toml");
                let text = std::fs::read_to_string(&workspace).map_err(|e| format!("{}: {e}", workspace.display()))?;
                let v = package_version(&text, "[workspace.package]")
                    .ok_or_else(|| format!("{}: no version for confapi-{vendor}", workspace.display()))?;
                Version::parse(&v)
            }
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// `version = "x"` in the `section` table of a manifest (`None` for
/// `version.workspace = true` or no version).
fn package_version(manifest: &str, section: &str) -> Option<String> {
    let mut inside = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == section;
            continue;
        }
        if !inside {
            continue;
        }
        if let Some(rest) = line.strip_prefix("version") {
            let value = rest.trim_start().strip_prefix('=')?.trim();
            return value.strip_prefix('"').and_then(|v| v.split('"').next()).map(str::to_owned);
        }
    }
    None
}

/// Adds `lines` to the "## Unreleased" section of the CHANGELOG at `path`
/// (created with that section when missing), skipping lines it already
/// has. Returns how many were added.
pub fn write_unreleased(path: &Path, crate_name: &str, lines: &[String]) -> Result<usize, String> {
    const HEADING: &str = "## Unreleased";
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!("# Changelog of {crate_name}\n\n"),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut doc: Vec<String> = text.lines().map(str::to_owned).collect();
    let heading = match doc.iter().position(|l| l.trim() == HEADING) {
        Some(i) => i,
        None => {
            // Above the first release section, or at the end.
            let at = doc.iter().position(|l| l.starts_with("## ")).unwrap_or(doc.len());
            doc.splice(at..at, [HEADING.to_owned(), String::new()]);
            at
        }
    };
    let end = doc[heading + 1..].iter().position(|l| l.starts_with("## ")).map_or(doc.len(), |i| heading + 1 + i);
    let present: Vec<&String> = doc[heading + 1..end].iter().collect();
    let new: Vec<String> = lines.iter().filter(|l| !present.contains(l)).cloned().collect();
    // After the section's last non-empty line.
    let at = (heading + 1..end).rev().find(|i| !doc[*i].trim().is_empty()).map_or(heading + 2, |i| i + 1);
    let at = at.min(doc.len());
    let added = new.len();
    doc.splice(at..at, new);
    if added > 0 && doc.get(at + added).is_some_and(|l| l.starts_with("## ")) {
        doc.insert(at + added, String::new());
    }
    let mut out = doc.join("\n");
    out.push('\n');
    std::fs::write(path, out).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_follow_cargo_semver_with_0x_rules() {
        let v = |s| Version::parse(s).unwrap();
        assert_eq!(v("0.1.0").bumped(Bump::needed(&v("0.1.0"), true)).to_string(), "0.2.0");
        assert_eq!(v("0.1.3").bumped(Bump::needed(&v("0.1.3"), false)).to_string(), "0.1.4");
        assert_eq!(v("1.4.2").bumped(Bump::needed(&v("1.4.2"), true)).to_string(), "2.0.0");
        assert_eq!(v("1.4.2").bumped(Bump::needed(&v("1.4.2"), false)).to_string(), "1.5.0");
        assert!(Version::parse("1.2").is_err());
    }

    #[test]
    fn a_crate_version_comes_from_its_manifest_or_the_workspace() {
        let dir = std::env::temp_dir().join(format!("xtask-release-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("crates/a")).unwrap();
        std::fs::create_dir_all(dir.join("crates/b")).unwrap();
        std::fs::write(dir.join("Cargo.toml"), "[workspace]\n[workspace.package]\nversion = \"0.3.1\"\n").unwrap();
        std::fs::write(dir.join("crates/a/Cargo.toml"), "[package]\nname = \"a\"\nversion.workspace = true\n").unwrap();
        std::fs::write(dir.join("crates/b/Cargo.toml"), "[package]\nname = \"b\"\nversion = \"1.2.0\"\n").unwrap();
        assert_eq!(Version::of_crate(&dir, "a").unwrap().to_string(), "0.3.1");
        assert_eq!(Version::of_crate(&dir, "b").unwrap().to_string(), "1.2.0");
        assert_eq!(Version::of_crate(&crate::workspace_root(), "quanshi").unwrap().major, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unreleased_lines_are_added_once_above_the_releases() {
        let dir = std::env::temp_dir().join(format!("xtask-changelog-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("CHANGELOG.md");
        let line = |s: &str| s.to_owned();
        assert_eq!(write_unreleased(&path, "confapi-x", &[line("- x: a — compatible")]).unwrap(), 1);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# Changelog of confapi-x\n\n## Unreleased\n\n- x: a — compatible\n"
        );
        // Again with one more line: only the new one is added.
        let two = [line("- x: a — compatible"), line("- x: b — breaking")];
        assert_eq!(write_unreleased(&path, "confapi-x", &two).unwrap(), 1);
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .ends_with("## Unreleased\n\n- x: a — compatible\n- x: b — breaking\n"));
        // An existing file with a release: the section goes above it.
        std::fs::write(&path, "# Changelog\n\n## 0.1.0\n\n- first\n").unwrap();
        write_unreleased(&path, "confapi-x", &[line("- x: c — compatible")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# Changelog\n\n## Unreleased\n\n- x: c — compatible\n\n## 0.1.0\n\n- first\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
