//! # deprecated-runtime
//!
//! **What it fires on**: a Lambda function whose `Runtime` AWS has deprecated (on or before
//! the map's date), or will deprecate within 90 days (reported at `low`). Container-image
//! functions have no `Runtime` and are not judged.
//!
//! **Why it matters**: deprecated runtimes get no security patches; soon after deprecation
//! AWS blocks creating and then updating functions on them — the day a fix must ship, the
//! deploy fails.
//!
//! **What to do**: move to a supported runtime (the current Node.js, Python, Java, .NET or
//! Ruby LTS), run the tests, deploy.
//!
//! **Example**: `legacy-export` runs `nodejs18.x`, deprecated on 2025-09-01.

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "deprecated-runtime",
    severity: Severity::Medium,
    category: FindingCategory::Hygiene,
    summary: "a function runs on a deprecated runtime",
    source: include_str!("deprecated_runtime.rs"),
};

const WHY: &str = "Deprecated runtimes get no security patches, and AWS then blocks creating and updating functions on them.";
const ACTION: &str = "Move to a supported runtime, run the tests, and deploy.";

/// Deprecation dates from AWS's Lambda runtime schedule (the "Deprecation date" column).
const DEPRECATIONS: &[(&str, &str)] = &[
    ("nodejs", "2016-10-31"),
    ("nodejs4.3", "2020-03-05"),
    ("nodejs6.10", "2019-08-12"),
    ("nodejs8.10", "2020-03-06"),
    ("nodejs10.x", "2021-07-30"),
    ("nodejs12.x", "2023-03-31"),
    ("nodejs14.x", "2023-12-04"),
    ("nodejs16.x", "2024-06-12"),
    ("nodejs18.x", "2025-09-01"),
    ("nodejs20.x", "2026-04-30"),
    ("nodejs22.x", "2027-04-30"),
    ("python2.7", "2021-07-15"),
    ("python3.6", "2022-07-18"),
    ("python3.7", "2023-12-04"),
    ("python3.8", "2024-10-14"),
    ("python3.9", "2025-12-15"),
    ("ruby2.5", "2021-07-30"),
    ("ruby2.7", "2023-12-07"),
    ("ruby3.2", "2026-03-31"),
    ("java8", "2024-01-08"),
    ("go1.x", "2024-01-08"),
    ("provided", "2024-01-08"),
    ("dotnetcore1.0", "2019-07-30"),
    ("dotnetcore2.0", "2019-05-30"),
    ("dotnetcore2.1", "2022-01-05"),
    ("dotnetcore3.1", "2023-04-03"),
    ("dotnet5.0", "2022-05-10"),
    ("dotnet6", "2024-12-20"),
    ("dotnet7", "2024-05-14"),
    ("dotnet8", "2026-11-10"),
];

/// `YYYY-MM-DD` plus `days` (approximate months are fine for a warning window).
fn days_after(date: &str, days: i64) -> String {
    let parse = |a: usize, b: usize| date.get(a..b).and_then(|s| s.parse::<i64>().ok());
    let (Some(y), Some(m), Some(d)) = (parse(0, 4), parse(5, 7), parse(8, 10)) else {
        return date.to_string();
    };
    let total = y * 372 + (m - 1) * 31 + (d - 1) + days;
    let (y, rest) = (total / 372, total % 372);
    format!("{y:04}-{:02}-{:02}", rest / 31 + 1, rest % 31 + 1)
}

pub(crate) enum Hit {
    Deprecated { runtime: String, since: &'static str },
    Soon { runtime: String, on: &'static str },
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    let today = if ctx.today.len() == 10 {
        ctx.today.clone()
    } else {
        surveyor_model::now_rfc3339().get(..10).unwrap_or("").to_string()
    };
    let horizon = days_after(&today, 90);
    ctx.of_type(&["AWS::Lambda::Function"])
        .filter_map(|f| {
            let runtime = ctx.value(f, "Runtime").and_then(Value::as_str)?;
            let (_, date) = DEPRECATIONS.iter().find(|(r, _)| r.eq_ignore_ascii_case(runtime))?;
            let runtime = runtime.to_string();
            if *date <= today.as_str() {
                Some((f, Hit::Deprecated { runtime, since: date }))
            } else if *date <= horizon.as_str() {
                Some((f, Hit::Soon { runtime, on: date }))
            } else {
                None
            }
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    match h {
        Hit::Deprecated { runtime, since } => Message::new(
            format!("Function {} runs deprecated {runtime}", r.label()),
            format!("Runtime = {runtime} (deprecated {since})"),
        )
        .why(WHY, ACTION),
        Hit::Soon { runtime, on } => Message::new(
            format!("Function {} runs {runtime}, deprecated on {on}", r.label()),
            format!("Runtime = {runtime} (deprecation {on})"),
        )
        .why(WHY, ACTION)
        .severity(Severity::Low),
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use surveyor_model::Severity;

    #[test]
    fn fires_on_deprecated_and_soon_deprecated_runtimes() {
        // The fixture map is dated 2026-12-01.
        let old = code("AWS::Lambda::Function", "legacy", r#"{"Runtime":"nodejs18.x"}"#);
        let soon = code("AWS::Lambda::Function", "soon", r#"{"Runtime":"dotnet8"}"#);
        let found = run("deprecated-runtime", &map(vec![old, soon], vec![]));
        assert_eq!(found.len(), 2);
        assert!(found.iter().any(|f| f.evidence.contains("deprecated 2025-09-01") && f.severity == Severity::Medium));
    }

    #[test]
    fn silent_on_current_runtimes_and_images() {
        let a = code("AWS::Lambda::Function", "web", r#"{"Runtime":"nodejs22.x"}"#);
        let b = code("AWS::Lambda::Function", "py", r#"{"Runtime":"python3.12"}"#);
        let c = code("AWS::Lambda::Function", "img", r#"{"PackageType":"Image"}"#);
        assert!(fired("deprecated-runtime", &map(vec![a, b, c], vec![])).is_empty());
    }

    #[test]
    fn date_arithmetic_orders_correctly() {
        assert!(super::days_after("2026-12-01", 90).as_str() > "2027-02-20");
        assert!(super::days_after("2026-12-01", 90).as_str() < "2027-03-15");
    }
}
