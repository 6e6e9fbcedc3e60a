//! Snapshot files: the contract's `surveyor.snapshot/v1`, written atomically (temp file in the
//! same directory, then rename) so a crashed scan never leaves half a file behind.

use std::io::Write;
use std::path::Path;

use surveyor_model::{Snapshot, SNAPSHOT_SCHEMA};

use crate::LiveError;

pub fn write_snapshot(path: &Path, snap: &Snapshot) -> Result<(), LiveError> {
    let io = |source| LiveError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut text =
        serde_json::to_string_pretty(snap).map_err(|e| io(std::io::Error::other(e.to_string())))?;
    text.push('\n');
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "snapshot.json".into());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

pub fn read_snapshot(path: &Path) -> Result<Snapshot, LiveError> {
    let text = std::fs::read_to_string(path).map_err(|source| LiveError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let snap: Snapshot = serde_json::from_str(&text).map_err(|e| LiveError::Parse {
        path: path.to_path_buf(),
        line: e.line(),
        message: e.to_string(),
    })?;
    if snap.schema != SNAPSHOT_SCHEMA {
        return Err(LiveError::Schema {
            path: path.to_path_buf(),
            found: snap.schema,
        });
    }
    Ok(snap)
}
