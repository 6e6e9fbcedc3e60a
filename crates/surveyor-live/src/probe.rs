//! Health probes (`--probe URL`): one GET with a timeout, redirects followed only within the
//! same host, and a short summary of the answer for the map.

use std::time::{Duration, Instant};

use surveyor_model::Probe;

const MAX_BODY: u64 = 64 * 1024;
const SUMMARY_CHARS: usize = 80;

/// GETs `url` once (5 s timeout).
pub fn probe(url: &str) -> Probe {
    probe_with_timeout(url, Duration::from_secs(5))
}

pub fn probe_with_timeout(url: &str, timeout: Duration) -> Probe {
    let started = Instant::now();
    let done = |status: Option<u16>, summary: String| Probe {
        url: url.to_string(),
        status,
        ms: Some(started.elapsed().as_millis() as u64),
        summary,
    };
    let Some(origin) = origin_of(url) else {
        return Probe {
            url: url.to_string(),
            status: None,
            ms: None,
            summary: "not probed: only http:// and https:// URLs are".to_string(),
        };
    };
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        // Only the URL given is contacted: no proxy from the environment.
        .proxy(None)
        .build();
    let agent: ureq::Agent = config.into();
    let mut current = url.to_string();
    for _hop in 0..4 {
        let mut resp = match agent.get(&current).call() {
            Ok(r) => r,
            Err(e) => return done(None, short(&format!("error: {e}"))),
        };
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            let Some(location) = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
            else {
                return done(Some(status), "redirect without a location".to_string());
            };
            let next = if location.starts_with('/') {
                format!("{origin}{location}")
            } else {
                location.clone()
            };
            if origin_of(&next).as_deref() != Some(origin.as_str()) {
                return done(
                    Some(status),
                    short(&format!(
                        "redirect to another host not followed: {location}"
                    )),
                );
            }
            current = next;
            continue;
        }
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .unwrap_or_default();
        return done(Some(status), summarize(&body));
    }
    done(None, "too many redirects".to_string())
}

/// `scheme://host[:port]` of an http(s) URL, lower-cased.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Credentials in a URL are not a host.
    let host = host.rsplit('@').next().unwrap_or(host);
    if host.is_empty() {
        return None;
    }
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

fn short(text: &str) -> String {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(SUMMARY_CHARS).collect()
}

/// A JSON object becomes `key:value` pairs of its scalar fields (one level of nesting shown as
/// `parent.key:value`); anything else, its first characters.
pub fn summarize(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => {
            let mut parts = Vec::new();
            for (k, v) in &map {
                match v {
                    serde_json::Value::Object(inner) => {
                        for (ik, iv) in inner {
                            if let Some(x) = scalar(iv) {
                                parts.push(format!("{k}.{ik}:{x}"));
                            }
                        }
                    }
                    other => {
                        if let Some(x) = scalar(other) {
                            parts.push(format!("{k}:{x}"));
                        }
                    }
                }
            }
            short(&parts.join(" "))
        }
        _ => short(body),
    }
}

fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Null => Some("null".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarizes_json_health_answers() {
        assert_eq!(summarize(r#"{"ok":true,"db":"ok"}"#), "ok:true db:ok");
        assert_eq!(
            summarize(r#"{"status":"up","checks":{"db":"down","n":[1]}}"#),
            "status:up checks.db:down"
        );
        assert_eq!(summarize("  <html>\n  hello   world"), "<html> hello world");
        assert_eq!(summarize(&"x".repeat(200)).len(), 80);
    }

    #[test]
    fn origins_are_http_only() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/api/health").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("ftp://example.com/x"), None);
        assert_eq!(origin_of("file:///etc/passwd"), None);
        let p = probe("file:///etc/passwd");
        assert_eq!(p.status, None);
        assert!(p.summary.starts_with("not probed"));
    }
}
