//! Renderers of the map, one module per output format behind [`Format`]: JSON (the contract),
//! Markdown with Mermaid, self-contained HTML with an SVG diagram, SARIF 2.1.0, and the
//! terminal summary. [`write_outputs`] writes the chosen formats atomically: every file is
//! rendered first, then all are moved into place, so a failure leaves no half-written output.

mod html;
mod json;
pub mod layout;
mod markdown;
pub mod mermaid;
pub mod sarif;
mod tables;
pub mod terminal;
mod text;

use std::path::{Path, PathBuf};

use surveyor_model::Map;

pub use terminal::summary as terminal_summary;

/// The file formats `--format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Json,
    Markdown,
    Html,
    Sarif,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Json, Format::Markdown, Format::Html, Format::Sarif];

    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            "sarif" => Some(Format::Sarif),
            _ => None,
        }
    }

    pub fn file_name(self) -> &'static str {
        match self {
            Format::Json => "map.json",
            Format::Markdown => "map.md",
            Format::Html => "map.html",
            Format::Sarif => "findings.sarif",
        }
    }

    pub fn render(self, map: &Map) -> String {
        match self {
            Format::Json => json::render(map),
            Format::Markdown => markdown::render(map),
            Format::Html => html::render(map),
            Format::Sarif => sarif::render(map),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Render `formats` and write them into `dir` (created if needed). Returns the paths written.
pub fn write_outputs(
    map: &Map,
    dir: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>, WriteError> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError { path, source }
    };
    std::fs::create_dir_all(dir).map_err(err(dir))?;
    let rendered: Vec<(Format, String)> = formats.iter().map(|f| (*f, f.render(map))).collect();
    let mut staged = Vec::new();
    for (f, text) in &rendered {
        let tmp = dir.join(format!(".{}.tmp", f.file_name()));
        if let Err(e) = std::fs::write(&tmp, text) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            return Err(WriteError {
                path: tmp,
                source: e,
            });
        }
        staged.push((tmp, dir.join(f.file_name())));
    }
    let mut written = Vec::new();
    for (tmp, dest) in staged {
        std::fs::rename(&tmp, &dest).map_err(err(&dest))?;
        written.push(dest);
    }
    Ok(written)
}
