use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{ResourceId, ValueMap};

/// A property value: JSON-like, plus a reference to another resource of the map and an
/// expression that could not be resolved. In JSON a reference is `{"ref": "ID"}` and an
/// unresolved expression `{"unresolved": "text as written"}` (the contract's forms).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    List(Vec<Value>),
    Map(ValueMap),
    Ref(ResourceId),
    Unresolved(String),
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn int(n: i64) -> Value {
        Value::Number(n.into())
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// Numbers, and strings that hold numbers: CloudFormation accepts `"600"` for `600`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&ValueMap> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_ref_id(&self) -> Option<&ResourceId> {
        match self {
            Value::Ref(id) => Some(id),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value at a dotted path (`RedrivePolicy.deadLetterTargetArn`); list items by index.
    pub fn pointer(&self, path: &str) -> Option<&Value> {
        let mut cur = self;
        for part in path.split('.').filter(|p| !p.is_empty()) {
            cur = match cur {
                Value::Map(m) => m.get(part)?,
                Value::List(l) => l.get(part.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// Every reference held anywhere inside this value, in order.
    pub fn refs(&self) -> Vec<&ResourceId> {
        let mut out = Vec::new();
        self.walk(&mut |v| {
            if let Value::Ref(id) = v {
                out.push(id);
            }
        });
        out
    }

    /// Visit this value and everything nested in it, depth first.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Value)) {
        f(self);
        match self {
            Value::List(l) => l.iter().for_each(|v| v.walk(f)),
            Value::Map(m) => m.values().for_each(|v| v.walk(f)),
            _ => {}
        }
    }

    /// Mutable depth-first visit, children before the parent sees itself again.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Value)) {
        match self {
            Value::List(l) => l.iter_mut().for_each(|v| v.walk_mut(f)),
            Value::Map(m) => m.values_mut().for_each(|v| v.walk_mut(f)),
            _ => {}
        }
        f(self);
    }

    /// A short human rendering for reports: strings bare, references as `→id`.
    pub fn display(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            Value::Ref(id) => format!("→{}", id.0),
            Value::Unresolved(t) => format!("⟨{t}⟩"),
            other => serde_json::to_string(&other.to_json()).unwrap_or_default(),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// From plain JSON: `{"ref": …}` and `{"unresolved": …}` objects become their variants.
    pub fn from_json(v: serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(a) => {
                Value::List(a.into_iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(o) => {
                if o.len() == 1 {
                    if let Some(serde_json::Value::String(s)) = o.get("ref") {
                        return Value::Ref(ResourceId(s.clone()));
                    }
                    if let Some(serde_json::Value::String(s)) = o.get("unresolved") {
                        return Value::Unresolved(s.clone());
                    }
                }
                Value::Map(
                    o.into_iter()
                        .map(|(k, v)| (k, Value::from_json(v)))
                        .collect(),
                )
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n.into())
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(v) => s.serialize_str(v),
            Value::List(l) => l.serialize(s),
            Value::Map(m) => m.serialize(s),
            Value::Ref(id) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("ref", &id.0)?;
                m.end()
            }
            Value::Unresolved(t) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("unresolved", t)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
                Ok(Value::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
                Ok(Value::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
                Ok(Value::Number(n.into()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
                serde_json::Number::from_f64(n)
                    .map(Value::Number)
                    .ok_or_else(|| E::custom("a number that is not finite"))
            }
            fn visit_str<E>(self, s: &str) -> Result<Value, E> {
                Ok(Value::String(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> Result<Value, E> {
                Ok(Value::String(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = a.next_element()? {
                    out.push(v);
                }
                Ok(Value::List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
                let mut entries = Vec::with_capacity(a.size_hint().unwrap_or(0).min(4096));
                while let Some(e) = a.next_entry::<String, Value>()? {
                    entries.push(e);
                }
                let out: ValueMap = entries.into_iter().collect();
                if out.len() == 1 {
                    if let Some(Value::String(s)) = out.get("ref") {
                        return Ok(Value::Ref(ResourceId(s.clone())));
                    }
                    if let Some(Value::String(s)) = out.get("unresolved") {
                        return Ok(Value::Unresolved(s.clone()));
                    }
                }
                Ok(Value::Map(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_and_unresolved_round_trip_in_contract_form() {
        let v = Value::Map(ValueMap::from([
            (
                "a".to_string(),
                Value::Ref(ResourceId("arn:aws:sqs:x".into())),
            ),
            ("b".to_string(), Value::Unresolved("var.x".into())),
            (
                "c".to_string(),
                Value::List(vec![Value::int(6), Value::Bool(true)]),
            ),
        ]));
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(
            json,
            r#"{"a":{"ref":"arn:aws:sqs:x"},"b":{"unresolved":"var.x"},"c":[6,true]}"#
        );
        let back: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back, v);
        assert_eq!(Value::from_json(serde_json::from_str(&json).unwrap()), v);
    }

    #[test]
    fn pointer_walks_maps_and_lists() {
        let v: Value = serde_json::from_str(r#"{"R":{"l":[{"x":1}]}}"#).unwrap();
        assert_eq!(v.pointer("R.l.0.x").and_then(Value::as_i64), Some(1));
        assert!(v.pointer("R.nope").is_none());
    }

    #[test]
    fn numeric_strings_read_as_numbers() {
        assert_eq!(Value::str("600").as_i64(), Some(600));
        assert_eq!(Value::str("True").as_bool(), Some(true));
    }
}
