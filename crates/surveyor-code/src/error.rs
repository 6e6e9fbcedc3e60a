use std::path::PathBuf;

/// A code input that cannot be read soundly. Everything that can be mapped around becomes a
/// note in the inventory instead; an error stops the run (exit 2) before anything is written.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A syntax or structure error at a known place (`line` is 1-based; 0 when unknown).
    #[error("{}:{line}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: u32,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

impl CodeError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CodeError::Io {
            path: path.into(),
            source,
        }
    }
    pub fn syntax(path: impl Into<PathBuf>, line: u32, message: impl Into<String>) -> Self {
        CodeError::Syntax {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
    pub fn invalid(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        CodeError::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }
}
