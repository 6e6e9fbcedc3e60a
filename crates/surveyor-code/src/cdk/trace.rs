//! Construct stack traces: which frame is the user's own code.
//!
//! TypeScript/JavaScript apps record V8 frames (`new DataStack (/app/lib/data.ts:56:24)`,
//! older CDKs prefix `at `); Python apps record jsii host frames (`__init__ (/app/s.py:22)`,
//! no column, only with `JSII_HOST_STACK_TRACES=1`). CDK folds library frames into summaries
//! (`...new Queue2 in aws-cdk-lib...`, `(no user code in 10 frames, …)`).

/// One parsed frame: where, and in what function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub function: String,
    /// As recorded: a path on the machine that synthesized.
    pub path: String,
    pub line: u32,
    pub column: Option<u32>,
}

/// Parse one recorded frame; summaries and unparseable lines are `None`.
pub fn parse_frame(raw: &str) -> Option<Frame> {
    let s = raw.trim();
    if s.starts_with("...") || s.starts_with('(') || s.is_empty() {
        return None;
    }
    let s = s.strip_prefix("at ").unwrap_or(s);
    let (function, location) = match (s.rfind(" ("), s.ends_with(')')) {
        (Some(i), true) => (&s[..i], &s[i + 2..s.len() - 1]),
        _ => ("", s),
    };
    let location = location.strip_prefix("file://").unwrap_or(location);
    // `path:line[:col]`, where the path itself may hold colons (Windows drives).
    let mut parts = location.rsplitn(3, ':');
    let last = parts.next()?;
    let mid = parts.next()?;
    let (path, line, column) = match (mid.parse::<u32>(), parts.next()) {
        (Ok(line), Some(path)) => (path, line, last.parse::<u32>().ok()),
        _ => {
            let line = last.parse::<u32>().ok()?;
            let path = location[..location.len() - last.len() - 1].to_string();
            return (line > 0).then(|| Frame {
                function: function.trim().to_string(),
                path,
                line,
                column: None,
            });
        }
    };
    if line == 0 || path.is_empty() {
        return None;
    }
    Some(Frame {
        function: function.trim().to_string(),
        path: path.to_string(),
        line,
        column,
    })
}

/// Paths that belong to the CDK, its runtimes or the language, never to the user's app.
fn is_library(path: &str) -> bool {
    let p = path.replace('\\', "/");
    p.starts_with("node:")
        || p.starts_with("internal/")
        || p.starts_with('<')
        || [
            "/node_modules/",
            "/aws-cdk-lib/",
            "/aws_cdk/",
            "/jsii/",
            "/site-packages/",
            "/dist-packages/",
            "/constructs/",
            "/lib/python3",
            "/.jsii",
        ]
        .iter()
        .any(|lib| p.contains(lib))
}

/// The first frame written by the user: the construct's line in their source.
pub fn user_frame<'a>(frames: impl IntoIterator<Item = &'a str>) -> Option<Frame> {
    frames
        .into_iter()
        .filter_map(parse_frame)
        .find(|f| !is_library(&f.path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typescript_frames() {
        let f = parse_frame("new DataStack (/builds/orders/lib/data-stack.ts:56:24)").unwrap();
        assert_eq!(
            (f.function.as_str(), f.path.as_str(), f.line, f.column),
            (
                "new DataStack",
                "/builds/orders/lib/data-stack.ts",
                56,
                Some(24)
            )
        );
        let f = parse_frame("at Object.<anonymous> (file:///app/bin/app.js:12:3)").unwrap();
        assert_eq!((f.path.as_str(), f.line), ("/app/bin/app.js", 12));
        let f = parse_frame("at /app/bin/app.js:7:1").unwrap();
        assert_eq!((f.path.as_str(), f.line), ("/app/bin/app.js", 7));
        let f = parse_frame("new Stack (C:\\work\\app\\lib\\stack.ts:3:9)").unwrap();
        assert_eq!(
            (f.path.as_str(), f.line),
            ("C:\\work\\app\\lib\\stack.ts", 3)
        );
    }

    #[test]
    fn python_frames_have_no_column() {
        let f = parse_frame("__init__ (/builds/pyapp/stacks/worker_stack.py:22)").unwrap();
        assert_eq!(
            (f.function.as_str(), f.path.as_str(), f.line, f.column),
            ("__init__", "/builds/pyapp/stacks/worker_stack.py", 22, None)
        );
    }

    #[test]
    fn summaries_and_library_frames_are_skipped() {
        assert!(parse_frame("...new Queue2 in aws-cdk-lib...").is_none());
        assert!(parse_frame(
            "(no user code in 10 frames, use --stack-trace-limit to capture more)"
        )
        .is_none());
        let frames = [
            "...aws-cdk-lib, jsii runtime, node internals...",
            "new Queue (/app/node_modules/aws-cdk-lib/aws-sqs/lib/queue.js:1:200)",
            "Kernel._create (/usr/lib/python3.11/site-packages/jsii/_kernel/__init__.py:300)",
            "__init__ (/builds/pyapp/stacks/worker_stack.py:22)",
            "<module> (/builds/pyapp/app.py:11)",
        ];
        let f = user_frame(frames).unwrap();
        assert_eq!(
            (f.path.as_str(), f.line),
            ("/builds/pyapp/stacks/worker_stack.py", 22)
        );
        assert!(user_frame([
            "...aws-cdk-lib...",
            "(no user code in 10 frames, use --stack-trace-limit to capture more)"
        ])
        .is_none());
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            ":",
            "::",
            "a:b:c",
            " ( ",
            "x (:1)",
            "f (/a.ts:0:0)",
            "f (/a.ts:99999999999:1)",
            "at",
            "(",
            ")",
        ] {
            let _ = parse_frame(s);
        }
    }
}
