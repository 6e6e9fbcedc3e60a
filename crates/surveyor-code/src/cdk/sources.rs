//! Finding the user's source file that a recorded stack-trace path names.
//!
//! Assemblies are often synthesized elsewhere (CI, a container, a teammate's laptop), so the
//! recorded path (`/builds/orders/lib/data-stack.ts`) is matched by its longest suffix of path
//! components against the files under the app folder (`lib/data-stack.ts`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// File extensions of languages CDK apps are written in.
const SOURCE_EXTENSIONS: &[&str] = &[
    "ts", "mts", "cts", "tsx", "js", "mjs", "cjs", "py", "java", "cs", "fs", "go", "kt",
];
const SKIP_DIRS: &[&str] = &[
    "node_modules",
    ".git",
    "cdk.out",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".terraform",
    "dist",
    "build",
];
/// A repository with more source files than this is not walked further: matching stays
/// correct for what was indexed, and the walk stays fast.
const MAX_FILES: usize = 100_000;

/// Source files under one root, by file name.
#[derive(Debug, Default)]
pub struct SourceIndex {
    root: PathBuf,
    by_name: HashMap<String, Vec<Vec<String>>>,
}

impl SourceIndex {
    /// Index the source files under `root`, leaving out `assembly` (and the usual build folders).
    pub fn build(root: &Path, assembly: &Path) -> Self {
        let mut index = SourceIndex {
            root: root.to_path_buf(),
            by_name: HashMap::new(),
        };
        let mut count = 0;
        let mut stack = vec![(root.to_path_buf(), Vec::<String>::new())];
        while let Some((dir, rel)) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                let Ok(ft) = e.file_type() else { continue };
                if ft.is_dir() {
                    if SKIP_DIRS.contains(&name.as_str())
                        || name.starts_with("asset.")
                        || name.starts_with('.')
                        || path == assembly
                    {
                        continue;
                    }
                    let mut r = rel.clone();
                    r.push(name);
                    stack.push((path, r));
                } else if ft.is_file() {
                    let ext = Path::new(&name)
                        .extension()
                        .map(|x| x.to_string_lossy().to_ascii_lowercase());
                    if ext.is_some_and(|x| SOURCE_EXTENSIONS.contains(&x.as_str())) {
                        let mut r = rel.clone();
                        r.push(name.clone());
                        index.by_name.entry(name).or_default().push(r);
                        count += 1;
                        if count >= MAX_FILES {
                            return index;
                        }
                    }
                }
            }
        }
        index
    }

    /// The indexed file a recorded path most likely is: the one sharing the longest suffix of
    /// path components with it (at least the file name). Ties go to the shallower file.
    pub fn resolve(&self, recorded: &str) -> Option<PathBuf> {
        let parts: Vec<&str> = recorded
            .split(['/', '\\'])
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        let name = parts.last()?;
        let candidates = self.by_name.get(*name)?;
        let best = candidates
            .iter()
            .map(|c| {
                let shared = c
                    .iter()
                    .rev()
                    .zip(parts.iter().rev())
                    .take_while(|(a, b)| a.as_str() == **b)
                    .count();
                (shared, std::cmp::Reverse(c.len()), c)
            })
            .max_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)))?;
        let mut p = self.root.clone();
        p.extend(best.2.iter());
        Some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_suffix_wins() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "lib/stack.ts",
            "other/lib/stack.ts",
            "app/bin/main.ts",
            "cdk.out/x.ts",
            "node_modules/m/stack.ts",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        let idx = SourceIndex::build(root, &root.join("cdk.out"));
        assert_eq!(
            idx.resolve("/builds/app/other/lib/stack.ts"),
            Some(root.join("other/lib/stack.ts"))
        );
        assert_eq!(
            idx.resolve("/builds/app/lib/stack.ts"),
            Some(root.join("lib/stack.ts"))
        );
        assert_eq!(
            idx.resolve("C:\\src\\app\\bin\\main.ts"),
            Some(root.join("app/bin/main.ts"))
        );
        assert_eq!(idx.resolve("/x/missing.ts"), None);
        assert_eq!(
            idx.resolve("/x/x.ts"),
            None,
            "the assembly folder is not source"
        );
    }
}
