//! The template document as a tree that remembers the 1-based line of every value and key,
//! read from JSON (a small hand-written parser, since serde_json forgets positions) or YAML
//! (yaml-rust2's event parser with markers). YAML short-form tags are turned into their long
//! form here (`!Ref X` → `{"Ref": X}`, `!GetAtt A.B` → `{"Fn::GetAtt": [A, B]}`), so the
//! evaluator sees one shape whatever the syntax.

use std::collections::HashMap;
use std::path::Path;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use crate::CodeError;

/// Nesting deeper than this is refused: no real template comes close, and it keeps every
/// recursive walk (evaluation, drop) far from the stack limit.
pub const MAX_DEPTH: usize = 200;

/// Alias expansion beyond this many nodes is refused (the "billion laughs" document).
const MAX_NODES: usize = 1_000_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: u32,
    pub v: N,
}

#[derive(Debug, Clone, PartialEq)]
pub enum N {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    List(Vec<Node>),
    Map(Vec<Entry>),
}

/// One mapping entry; `line` is the key's line (a resource's declaration line).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub line: u32,
    pub value: Node,
}

impl Node {
    pub fn new(line: u32, v: N) -> Node {
        Node { line, v }
    }
    pub fn str(line: u32, s: impl Into<String>) -> Node {
        Node::new(line, N::Str(s.into()))
    }
    pub fn list(line: u32, items: Vec<Node>) -> Node {
        Node::new(line, N::List(items))
    }
    /// A mapping from `(key, value)` pairs, all at `line`.
    pub fn map(line: u32, entries: Vec<(&str, Node)>) -> Node {
        Node::new(
            line,
            N::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| Entry {
                        key: k.to_string(),
                        line,
                        value: v,
                    })
                    .collect(),
            ),
        )
    }
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.v {
            N::Map(m) => m.iter().rev().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.v {
            N::Map(m) => m
                .iter_mut()
                .rev()
                .find(|e| e.key == key)
                .map(|e| &mut e.value),
            _ => None,
        }
    }
    /// Set `key` (replacing an existing entry); a no-op unless this is a mapping.
    pub fn set(&mut self, key: &str, value: Node) {
        if let N::Map(m) = &mut self.v {
            if let Some(e) = m.iter_mut().find(|e| e.key == key) {
                e.value = value;
            } else {
                m.push(Entry {
                    key: key.to_string(),
                    line: value.line,
                    value,
                });
            }
        }
    }
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        if let N::Map(m) = &mut self.v {
            let i = m.iter().position(|e| e.key == key)?;
            return Some(m.remove(i).value);
        }
        None
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.v {
            N::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn entries(&self) -> &[Entry] {
        match &self.v {
            N::Map(m) => m,
            _ => &[],
        }
    }
    pub fn items(&self) -> &[Node] {
        match &self.v {
            N::List(l) => l,
            _ => &[],
        }
    }
    pub fn is_map(&self) -> bool {
        matches!(self.v, N::Map(_))
    }
    /// The single `(key, argument)` of an intrinsic function call (`Ref`, `Fn::*`,
    /// `Condition`), if this node is one.
    pub fn intrinsic(&self) -> Option<(&str, &Node)> {
        match &self.v {
            N::Map(m) if m.len() == 1 => {
                let e = &m[0];
                (e.key == "Ref" || e.key == "Condition" || e.key.starts_with("Fn::"))
                    .then_some((e.key.as_str(), &e.value))
            }
            _ => None,
        }
    }
    /// A scalar as text (numbers and booleans too), as CloudFormation compares them.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.v {
            N::Str(s) => Some(s.clone()),
            N::Num(n) => Some(n.to_string()),
            N::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// Parse a template's text: JSON when it opens with `{`, else YAML. JSON is not retried as
/// YAML: YAML's flow syntax would accept a broken JSON template (`"B": }`) and hide the error.
pub fn parse(text: &str, path: &Path) -> Result<Node, CodeError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = if text.trim_start().starts_with('{') {
        match Json::new(text).document() {
            Ok(n) => n,
            Err((line, msg)) => return Err(CodeError::syntax(path, line, msg)),
        }
    } else {
        match parse_yaml(text) {
            Ok(Some(n)) => n,
            Ok(None) => return Err(CodeError::syntax(path, 1, "the document is empty")),
            Err((line, msg)) => return Err(CodeError::syntax(path, line, msg)),
        }
    };
    if !doc.is_map() {
        return Err(CodeError::syntax(
            path,
            doc.line.max(1),
            "a template is a mapping at the top level (Resources, Parameters, …)",
        ));
    }
    Ok(doc)
}

type PResult<T> = Result<T, (u32, String)>;

// ---------------------------------------------------------------- JSON

struct Json<'a> {
    text: &'a str,
    s: &'a [u8],
    i: usize,
    line: u32,
    depth: usize,
}

impl<'a> Json<'a> {
    fn new(text: &'a str) -> Self {
        Json {
            text,
            s: text.as_bytes(),
            i: 0,
            line: 1,
            depth: 0,
        }
    }

    fn document(mut self) -> PResult<Node> {
        let v = self.value()?;
        self.ws();
        if self.i < self.s.len() {
            return Err((self.line, "unexpected text after the JSON document".into()));
        }
        Ok(v)
    }

    fn err<T>(&self, msg: &str) -> PResult<T> {
        Err((self.line, msg.to_string()))
    }

    fn ws(&mut self) {
        while let Some(&c) = self.s.get(self.i) {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => break,
            }
            self.i += 1;
        }
    }

    fn value(&mut self) -> PResult<Node> {
        self.ws();
        let line = self.line;
        match self.s.get(self.i) {
            None => self.err("unexpected end of JSON"),
            Some(b'{') => {
                self.enter()?;
                self.i += 1;
                let mut entries = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let kline = self.line;
                        if self.s.get(self.i) != Some(&b'"') {
                            return self.err("expected a string key in the JSON object");
                        }
                        let key = self.string()?;
                        self.ws();
                        if self.s.get(self.i) != Some(&b':') {
                            return self.err("expected ':' after the key in the JSON object");
                        }
                        self.i += 1;
                        let value = self.value()?;
                        entries.push(Entry {
                            key,
                            line: kline,
                            value,
                        });
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return self.err("expected ',' or '}' in the JSON object"),
                        }
                    }
                }
                self.depth -= 1;
                Ok(Node::new(line, N::Map(entries)))
            }
            Some(b'[') => {
                self.enter()?;
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        items.push(self.value()?);
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return self.err("expected ',' or ']' in the JSON array"),
                        }
                    }
                }
                self.depth -= 1;
                Ok(Node::list(line, items))
            }
            Some(b'"') => Ok(Node::str(line, self.string()?)),
            Some(b't') => self.word("true", N::Bool(true), line),
            Some(b'f') => self.word("false", N::Bool(false), line),
            Some(b'n') => self.word("null", N::Null, line),
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let start = self.i;
                while let Some(c) = self.s.get(self.i) {
                    if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E') {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                let t = self.text.get(start..self.i).unwrap_or("");
                match t.parse::<serde_json::Number>() {
                    Ok(n) => Ok(Node::new(line, N::Num(n))),
                    Err(_) => self.err(&format!("invalid number '{t}'")),
                }
            }
            Some(_) => self.err("expected a JSON value"),
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err(&format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        Ok(())
    }

    fn word(&mut self, w: &str, v: N, line: u32) -> PResult<Node> {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(Node::new(line, v))
        } else {
            self.err("expected a JSON value")
        }
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> PResult<String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(&c) = self.s.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // Only ASCII bytes stop the scan, so both ends are character boundaries.
            out.push_str(self.text.get(start..self.i).unwrap_or(""));
            match self.s.get(self.i) {
                None => return self.err("unterminated JSON string"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let Some(&e) = self.s.get(self.i) else {
                        return self.err("unterminated JSON string");
                    };
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi)
                                && self.s.get(self.i) == Some(&b'\\')
                                && self.s.get(self.i + 1) == Some(&b'u')
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                        }
                        _ => return self.err("invalid escape in JSON string"),
                    }
                }
                Some(b'\n') => return self.err("unterminated JSON string"),
                Some(_) => {
                    // Other control characters: tolerated, as many template tools emit tabs.
                    out.push(self.s[self.i] as char);
                    self.i += 1;
                }
            }
        }
    }

    fn hex4(&mut self) -> PResult<u32> {
        let Some(h) = self.s.get(self.i..self.i + 4) else {
            return self.err("short \\u escape in JSON string");
        };
        let h = std::str::from_utf8(h).unwrap_or("");
        let v = u32::from_str_radix(h, 16).or_else(|_| self.err("invalid \\u escape"))?;
        self.i += 4;
        Ok(v)
    }
}

// ---------------------------------------------------------------- YAML

enum Frame {
    List(u32, usize, Vec<Node>, Option<String>),
    Map(
        u32,
        usize,
        Vec<Entry>,
        Option<(String, u32)>,
        Option<String>,
    ),
}

/// The first YAML document, or `None` when the text holds none.
fn parse_yaml(text: &str) -> PResult<Option<Node>> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut nodes = 0usize;
    loop {
        let (ev, mark) = parser
            .next_token()
            .map_err(|e| (e.marker().line() as u32, e.info().to_string()))?;
        let line = mark.line() as u32;
        let done: Option<(Node, usize)> = match ev {
            Event::StreamEnd => return Ok(None),
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => None,
            Event::Alias(id) => {
                let n = anchors
                    .get(&id)
                    .cloned()
                    .ok_or((line, "alias to an unknown anchor".to_string()))?;
                nodes += count(&n);
                Some((n, 0))
            }
            Event::Scalar(s, style, anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let n = scalar(s, style, line, tag.as_deref());
                Some((n, anchor))
            }
            Event::SequenceStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err((line, format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                stack.push(Frame::List(line, anchor, Vec::new(), short_tag(tag)));
                None
            }
            Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err((line, format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                stack.push(Frame::Map(line, anchor, Vec::new(), None, short_tag(tag)));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::List(l, anchor, items, tag)) => {
                    Some((wrap(tag.as_deref(), Node::list(l, items)), anchor))
                }
                _ => return Err((line, "unbalanced sequence".into())),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(l, anchor, entries, _, tag)) => {
                    let n = Node::new(l, N::Map(merge_keys(entries)));
                    Some((wrap(tag.as_deref(), n), anchor))
                }
                _ => return Err((line, "unbalanced mapping".into())),
            },
        };
        let Some((node, anchor)) = done else {
            continue;
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err((
                line,
                "the document expands to too many nodes (aliases)".into(),
            ));
        }
        if anchor > 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => return Ok(Some(node)),
            Some(Frame::List(_, _, items, _)) => items.push(node),
            Some(Frame::Map(_, _, entries, pending, _)) => match pending.take() {
                None => {
                    let key = node.scalar_text().unwrap_or_else(|| match node.v {
                        N::Null => String::new(),
                        _ => format!("{:?}", node.v),
                    });
                    *pending = Some((key, node.line));
                }
                Some((key, kline)) => entries.push(Entry {
                    key,
                    line: kline,
                    value: node,
                }),
            },
        }
    }
}

fn count(n: &Node) -> usize {
    match &n.v {
        N::List(l) => 1 + l.iter().map(count).sum::<usize>(),
        N::Map(m) => 1 + m.iter().map(|e| count(&e.value)).sum::<usize>(),
        _ => 1,
    }
}

/// YAML `<<` merge keys: entries of the merged mappings that the mapping does not set itself.
fn merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    if !entries.iter().any(|e| e.key == "<<") {
        return entries;
    }
    let mut own = Vec::new();
    let mut merged = Vec::new();
    for e in entries {
        if e.key == "<<" {
            match e.value.v {
                N::Map(m) => merged.extend(m),
                N::List(l) => l.into_iter().for_each(|n| {
                    if let N::Map(m) = n.v {
                        merged.extend(m)
                    }
                }),
                _ => {}
            }
        } else {
            own.push(e);
        }
    }
    for m in merged {
        if !own.iter().any(|e| e.key == m.key) {
            own.push(m);
        }
    }
    own
}

fn short_tag(tag: Option<yaml_rust2::parser::Tag>) -> Option<String> {
    tag.filter(|t| t.handle == "!").map(|t| t.suffix)
}

/// A short-form tag (`Ref`, `GetAtt`, `Sub`, …) wrapped around its argument.
fn wrap(tag: Option<&str>, arg: Node) -> Node {
    let Some(tag) = tag else {
        return arg;
    };
    let line = arg.line;
    let key = match tag {
        "Ref" | "Condition" => tag.to_string(),
        _ => format!("Fn::{tag}"),
    };
    let arg = match (tag, &arg.v) {
        ("GetAtt", N::Str(s)) => match s.split_once('.') {
            Some((a, b)) => Node::list(line, vec![Node::str(line, a), Node::str(line, b)]),
            None => arg,
        },
        _ => arg,
    };
    Node::map(line, vec![(key.as_str(), arg)])
}

fn scalar(s: String, style: TScalarStyle, line: u32, tag: Option<&str>) -> Node {
    if let Some(t) = tag {
        if let Some(short) = t.strip_prefix('!') {
            if !short.starts_with('!') && !short.is_empty() {
                return wrap(Some(short), Node::str(line, s));
            }
        }
        return Node::str(line, s);
    }
    if style != TScalarStyle::Plain {
        return Node::str(line, s);
    }
    let v = match s.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => N::Null,
        "true" | "True" | "TRUE" => N::Bool(true),
        "false" | "False" | "FALSE" => N::Bool(false),
        _ => match number(&s) {
            Some(n) => N::Num(n),
            None => N::Str(s),
        },
    };
    Node::new(line, v)
}

/// Plain scalars that YAML reads as numbers. Leading zeros (`0123`, account ids, ...) stay
/// strings, as do forms JSON cannot hold (`.inf`, `0x1F`).
fn number(s: &str) -> Option<serde_json::Number> {
    let b = s.as_bytes();
    let first = *b.first()?;
    if !(first.is_ascii_digit() || first == b'-' || first == b'+') {
        return None;
    }
    let digits = s.trim_start_matches(['-', '+']);
    if digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.") {
        return None;
    }
    if !digits
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'-' | b'+'))
    {
        return None;
    }
    if let Ok(i) = s.parse::<i64>() {
        return Some(i.into());
    }
    // Beyond i64 a long digit string is an id, not a quantity: keep its text.
    if digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(serde_json::Number::from_f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> Node {
        parse(t, Path::new("t.yaml")).unwrap()
    }

    #[test]
    fn json_keeps_key_lines() {
        let n = p(
            "{\n \"Resources\": {\n  \"Q\": {\"Type\": \"AWS::SQS::Queue\"},\n\n  \"T\": {}\n }\n}",
        );
        let r = n.get("Resources").unwrap();
        let lines: Vec<_> = r
            .entries()
            .iter()
            .map(|e| (e.key.as_str(), e.line))
            .collect();
        assert_eq!(lines, vec![("Q", 3), ("T", 5)]);
    }

    #[test]
    fn yaml_short_forms_become_long_forms() {
        let n = p("A: !Ref X\nB: !GetAtt Q.Arn\nC: !Sub [\"${x}\", {x: 1}]\nD: !Condition C\nE: !GetAZs ''\n");
        assert_eq!(n.get("A").unwrap().intrinsic().map(|i| i.0), Some("Ref"));
        let (k, arg) = n.get("B").unwrap().intrinsic().unwrap();
        assert_eq!(k, "Fn::GetAtt");
        assert_eq!(arg.items().len(), 2);
        assert_eq!(
            n.get("C").unwrap().intrinsic().map(|i| i.0),
            Some("Fn::Sub")
        );
        assert_eq!(
            n.get("D").unwrap().intrinsic().map(|i| i.0),
            Some("Condition")
        );
        assert_eq!(
            n.get("E").unwrap().intrinsic().map(|i| i.0),
            Some("Fn::GetAZs")
        );
    }

    #[test]
    fn yaml_scalars_and_lines() {
        let n = p("# c\nA: 600\nB: '600'\nC: true\nD: 012\nE:\n  - x\n");
        assert_eq!(n.get("A").unwrap().v, N::Num(600.into()));
        assert_eq!(n.get("B").unwrap().as_str(), Some("600"));
        assert_eq!(n.get("C").unwrap().v, N::Bool(true));
        assert_eq!(n.get("D").unwrap().as_str(), Some("012"));
        assert_eq!(n.entries()[0].line, 2);
        assert_eq!(n.get("E").unwrap().items()[0].line, 7);
    }

    #[test]
    fn errors_name_the_line_and_depth_is_bounded() {
        let e = parse("A: 1\nB: {x: [1, 2}\n", Path::new("x.yaml")).unwrap_err();
        assert!(matches!(e, CodeError::Syntax { .. }), "{e}");
        let e = parse("{\"A\": 1,\n \"B\": }", Path::new("x.json")).unwrap_err();
        assert!(e.to_string().starts_with("x.json:2:"), "{e}");
        let deep = "[".repeat(10_000);
        assert!(parse(&format!("{{\"a\": {deep}"), Path::new("d.json")).is_err());
        assert!(parse(&format!("a: {deep}"), Path::new("d.yaml")).is_err());
        assert!(parse("- 1\n- 2\n", Path::new("l.yaml")).is_err());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut t = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            t.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        let e = parse(&t, Path::new("bomb.yaml")).unwrap_err();
        assert!(e.to_string().contains("too many nodes"), "{e}");
    }

    #[test]
    fn anchors_and_merge_keys() {
        let n = p("a: &x {k: 1, j: 2}\nb:\n  <<: *x\n  j: 3\n");
        let b = n.get("b").unwrap();
        assert_eq!(b.get("k").unwrap().v, N::Num(1.into()));
        assert_eq!(b.get("j").unwrap().v, N::Num(3.into()));
    }
}
