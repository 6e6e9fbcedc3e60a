//! Values and cells for people: references shown as the target's label, unresolved
//! expressions as `⟨text⟩`, booleans as yes/no, Markdown table cells escaped.

use surveyor_model::{Location, Resource, Value};

use crate::layout::Context;

/// A value as a person reads it.
pub fn value(v: &Value, ctx: &Context) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Ref(id) => ctx.ref_label(id),
        Value::Unresolved(t) => unresolved(t),
        Value::List(l) => l
            .iter()
            .map(|x| value(x, ctx))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Map(m) => {
            // CloudFormation intrinsics the readers left as maps read better as their text.
            if m.len() == 1 {
                if let Some((k, inner)) = m.iter().next() {
                    if k.starts_with("Fn::") || k == "Ref" {
                        return unresolved(&format!("{k} {}", value(inner, ctx)));
                    }
                }
            }
            m.iter()
                .map(|(k, x)| format!("{k}={}", value(x, ctx)))
                .collect::<Vec<_>>()
                .join(" ")
        }
    }
}

/// `⟨text⟩`, shortened; `(computed)` when the text is empty.
pub fn unresolved(t: &str) -> String {
    let t = t.trim();
    if t.is_empty() {
        return "(computed)".into();
    }
    format!("⟨{}⟩", truncate(t, 48))
}

pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A Markdown table cell: pipes escaped, line breaks flattened, empty as `—`.
pub fn cell(s: &str) -> String {
    let s = s.trim();
    if s.is_empty() {
        return "—".into();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Inline code that survives a table cell (backticks inside are replaced).
pub fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}

pub fn location(l: &Location) -> String {
    if l.line > 0 {
        format!("{}:{}", l.file, l.line)
    } else {
        l.file.clone()
    }
}

/// Where a resource is declared: `` `lib/data-stack.ts:56` · `OrdersData/Queue/Resource` ``,
/// or what is known when no code declares it.
pub fn declared_at(r: &Resource) -> String {
    match &r.code {
        Some(p) => {
            let mut s = if p.file.is_empty() {
                String::new()
            } else if p.line > 0 {
                code(&format!("{}:{}", p.file, p.line))
            } else {
                code(&p.file)
            };
            if let Some(a) = &p.address {
                if !s.is_empty() {
                    s.push_str(" · ");
                }
                s.push_str(&code(a));
            }
            s
        }
        None if r.in_live => match &r.stack {
            Some(st) => format!("live only (stack {})", st.name),
            None => "live only — not in code".into(),
        },
        None => "—".into(),
    }
}

/// A number of seconds, readable: `600 s (10 min)`.
pub fn seconds(v: &Value) -> String {
    match v.as_i64() {
        Some(s) if s >= 86_400 && s % 86_400 == 0 => format!("{s} s ({} d)", s / 86_400),
        Some(s) if s >= 3600 && s % 3600 == 0 => format!("{s} s ({} h)", s / 3600),
        Some(s) if s >= 60 && s % 60 == 0 => format!("{s} s ({} min)", s / 60),
        Some(s) => format!("{s} s"),
        None => match v {
            Value::Unresolved(t) => unresolved(t),
            other => other.display(),
        },
    }
}
