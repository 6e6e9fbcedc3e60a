//! The expression and body tree the evaluator walks. hcl-edit parses (it is the parser the
//! reader relies on) and each file's tree is converted into this one at once, on the thread
//! that parsed it, then dropped: hcl-edit keeps every space and comment and a span on every
//! node (an expression is 152 bytes, an attribute 352), and keeping those trees for a 30 MB
//! tree of code cost more in page faults than parsing did. Here an expression is 24 bytes and
//! holds only what evaluation reads. Terraform JSON files (`.tf.json`) are built straight into
//! it. [`Expr`]'s `Display` writes HCL back, for the text of what cannot be evaluated.

use std::fmt::{self, Write as _};

use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{BlockLabel, Structure};
use hcl_edit::template::{Directive, Element};

pub use hcl_edit::Number;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Null,
    Bool(bool),
    Number(Number),
    Str(Box<str>),
    Array(Box<[Expr]>),
    Object(Box<[(Key, Expr)]>),
    Template(Box<Template>),
    Var(Box<str>),
    Traversal(Box<(Expr, Box<[Op]>)>),
    Call(Box<Call>),
    Paren(Box<Expr>),
    /// condition, true, false
    Cond(Box<[Expr; 3]>),
    Unary(UnaryOperator, Box<Expr>),
    Binary(BinaryOperator, Box<(Expr, Expr)>),
    For(Box<For>),
}

/// An object key: a name or string (`{ a = 1 }`, `{ "a" = 1 }`), or an expression evaluated
/// for the key (`{ (var.k) = 1 }`).
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Lit(Box<str>),
    Expr(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Attr(Box<str>),
    Index(Expr),
    LegacyIndex(u64),
    AttrSplat,
    FullSplat,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: Box<str>,
    /// `provider::aws::arn_parse(…)`: provider functions are not known here.
    pub namespaced: bool,
    pub args: Vec<Expr>,
    /// `f(list...)`
    pub expand_final: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct For {
    pub key_var: Option<Box<str>>,
    pub value_var: Box<str>,
    pub collection: Expr,
    pub key_expr: Option<Expr>,
    pub value_expr: Expr,
    pub cond: Option<Expr>,
    pub grouping: bool,
}

/// A string template (`"${a}-b"`) or heredoc, already split into its parts. A heredoc's
/// `<<-` indentation is stripped by the parser.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template {
    pub parts: Vec<Part>,
    pub heredoc: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Lit(Box<str>),
    Interp(Expr),
    If {
        cond: Expr,
        then: Template,
        otherwise: Option<Template>,
    },
    For {
        key_var: Option<Box<str>>,
        value_var: Box<str>,
        collection: Expr,
        body: Template,
    },
}

/// A block body: attributes and nested blocks in the order written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Name, value and the 1-based line of the attribute (0 where unknown), so that a value
    /// that cannot be evaluated is reported where it is written.
    Attr(Box<str>, Expr, u32),
    Block(Box<Block>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub ident: Box<str>,
    pub labels: Vec<Box<str>>,
    pub body: Body,
}

impl Body {
    /// Take out the attribute `key` (a meta-argument such as `count`).
    pub fn take(&mut self, key: &str) -> Option<Expr> {
        let i = self
            .items
            .iter()
            .position(|it| matches!(it, Item::Attr(k, _, _) if &**k == key))?;
        match self.items.remove(i) {
            Item::Attr(_, e, _) => Some(e),
            Item::Block(_) => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Expr> {
        self.items.iter().find_map(|it| match it {
            Item::Attr(k, e, _) if &**k == key => Some(e),
            _ => None,
        })
    }

    pub fn blocks<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.items.iter().filter_map(move |it| match it {
            Item::Block(b) if &*b.ident == ident => Some(&**b),
            _ => None,
        })
    }
}

// ---------------------------------------------------------------- from hcl-edit

fn boxed(s: impl Into<String>) -> Box<str> {
    s.into().into_boxed_str()
}

pub fn label(l: BlockLabel) -> Box<str> {
    match l {
        BlockLabel::Ident(i) => boxed(i.as_str()),
        BlockLabel::String(s) => s.into_value().into_boxed_str(),
    }
}

/// The line of a span of the file being converted (its blocks and attributes come in order).
pub type LineOf<'a> = dyn FnMut(Option<std::ops::Range<usize>>) -> u32 + 'a;

pub fn body(b: hcl_edit::structure::Body, line: &mut LineOf<'_>) -> Body {
    use hcl_edit::Span as _;
    let mut items = Vec::with_capacity(b.len());
    for s in b {
        items.push(match s {
            Structure::Attribute(a) => {
                let l = line(a.span());
                Item::Attr(boxed(a.key.as_str()), expr(a.value), l)
            }
            Structure::Block(b) => Item::Block(Box::new(block(b, line))),
        });
    }
    Body { items }
}

pub fn block(b: hcl_edit::structure::Block, line: &mut LineOf<'_>) -> Block {
    Block {
        ident: boxed(b.ident.as_str()),
        labels: b.labels.into_iter().map(label).collect(),
        body: body(b.body, line),
    }
}

pub fn expr(e: Expression) -> Expr {
    match e {
        Expression::Null(_) => Expr::Null,
        Expression::Bool(b) => Expr::Bool(b.into_value()),
        Expression::Number(n) => Expr::Number(n.into_value()),
        Expression::String(s) => Expr::Str(s.into_value().into_boxed_str()),
        Expression::Array(a) => Expr::Array(a.into_iter().map(expr).collect()),
        Expression::Object(o) => Expr::Object(
            o.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(i) => Key::Lit(boxed(i.as_str())),
                        // A bare name is a literal key, as is a string.
                        ObjectKey::Expression(Expression::Variable(v)) => {
                            Key::Lit(boxed(v.as_str()))
                        }
                        ObjectKey::Expression(Expression::String(s)) => {
                            Key::Lit(s.into_value().into_boxed_str())
                        }
                        ObjectKey::Expression(other) => Key::Expr(expr(other)),
                    };
                    (key, expr(v.into_expr()))
                })
                .collect(),
        ),
        Expression::StringTemplate(t) => Expr::Template(Box::new(Template {
            parts: parts(t.into_iter()),
            heredoc: false,
        })),
        Expression::HeredocTemplate(h) => Expr::Template(Box::new(Template {
            parts: parts(h.template.into_iter()),
            heredoc: true,
        })),
        Expression::Parenthesis(p) => Expr::Paren(Box::new(expr(p.into_inner()))),
        Expression::Variable(v) => Expr::Var(boxed(v.as_str())),
        Expression::Conditional(c) => {
            let c = *c;
            Expr::Cond(Box::new([
                expr(c.cond_expr),
                expr(c.true_expr),
                expr(c.false_expr),
            ]))
        }
        Expression::FuncCall(f) => {
            let f = *f;
            let expand_final = f.args.expand_final();
            Expr::Call(Box::new(Call {
                name: boxed(f.name.name.as_str()),
                namespaced: f.name.is_namespaced(),
                args: f.args.into_iter().map(expr).collect(),
                expand_final,
            }))
        }
        Expression::Traversal(t) => {
            let t = *t;
            let ops = t
                .operators
                .into_iter()
                .map(|o| match o.into_value() {
                    TraversalOperator::GetAttr(a) => Op::Attr(boxed(a.as_str())),
                    TraversalOperator::Index(i) => Op::Index(expr(i)),
                    TraversalOperator::LegacyIndex(n) => Op::LegacyIndex(n.into_value()),
                    TraversalOperator::AttrSplat(_) => Op::AttrSplat,
                    TraversalOperator::FullSplat(_) => Op::FullSplat,
                })
                .collect();
            Expr::Traversal(Box::new((expr(t.expr), ops)))
        }
        Expression::UnaryOp(u) => {
            let u = *u;
            Expr::Unary(*u.operator.value(), Box::new(expr(u.expr)))
        }
        Expression::BinaryOp(b) => {
            let b = *b;
            Expr::Binary(
                *b.operator.value(),
                Box::new((expr(b.lhs_expr), expr(b.rhs_expr))),
            )
        }
        Expression::ForExpr(f) => {
            let f = *f;
            Expr::For(Box::new(For {
                key_var: f.intro.key_var.map(|k| boxed(k.as_str())),
                value_var: boxed(f.intro.value_var.as_str()),
                collection: expr(f.intro.collection_expr),
                key_expr: f.key_expr.map(expr),
                value_expr: expr(f.value_expr),
                cond: f.cond.map(|c| expr(c.expr)),
                grouping: f.grouping,
            }))
        }
    }
}

pub fn template(t: hcl_edit::template::Template) -> Template {
    Template {
        parts: parts(t.into_iter()),
        heredoc: false,
    }
}

fn parts(els: impl Iterator<Item = Element>) -> Vec<Part> {
    els.map(|el| match el {
        Element::Literal(s) => Part::Lit(s.into_value().into_boxed_str()),
        Element::Interpolation(i) => Part::Interp(expr(i.expr)),
        Element::Directive(d) => match *d {
            Directive::If(d) => Part::If {
                cond: expr(d.if_expr.cond_expr),
                then: template(d.if_expr.template),
                otherwise: d.else_expr.map(|e| template(e.template)),
            },
            Directive::For(d) => Part::For {
                key_var: d.for_expr.key_var.map(|k| boxed(k.as_str())),
                value_var: boxed(d.for_expr.value_var.as_str()),
                collection: expr(d.for_expr.collection_expr),
                body: template(d.for_expr.template),
            },
        },
    })
    .collect()
}

// ---------------------------------------------------------------- back to text

fn is_ident(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_alphabetic() || f == '_')
        && c.all(|x| x.is_alphanumeric() || x == '_' || x == '-')
}

fn quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

fn list(f: &mut fmt::Formatter<'_>, items: &[Expr]) -> fmt::Result {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{x}")?;
    }
    Ok(())
}

fn binary_op(op: BinaryOperator) -> &'static str {
    use BinaryOperator::*;
    match op {
        Eq => "==",
        NotEq => "!=",
        LessEq => "<=",
        GreaterEq => ">=",
        Less => "<",
        Greater => ">",
        Plus => "+",
        Minus => "-",
        Mul => "*",
        Div => "/",
        Mod => "%",
        And => "&&",
        Or => "||",
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Null => f.write_str("null"),
            Expr::Bool(b) => write!(f, "{b}"),
            Expr::Number(n) => write!(f, "{n}"),
            Expr::Str(s) => quoted(f, s),
            Expr::Array(a) => {
                f.write_char('[')?;
                list(f, a)?;
                f.write_char(']')
            }
            Expr::Object(o) => {
                f.write_char('{')?;
                for (i, (k, v)) in o.iter().enumerate() {
                    f.write_str(if i > 0 { ", " } else { " " })?;
                    match k {
                        Key::Lit(s) if is_ident(s) => f.write_str(s)?,
                        Key::Lit(s) => quoted(f, s)?,
                        Key::Expr(e @ Expr::Paren(_)) => write!(f, "{e}")?,
                        Key::Expr(e) => write!(f, "({e})")?,
                    }
                    write!(f, " = {v}")?;
                }
                f.write_str(if o.is_empty() { "}" } else { " }" })
            }
            Expr::Template(t) => {
                f.write_char('"')?;
                t.write_parts(f)?;
                f.write_char('"')
            }
            Expr::Var(v) => f.write_str(v),
            Expr::Traversal(t) => {
                write!(f, "{}", t.0)?;
                for op in t.1.iter() {
                    match op {
                        Op::Attr(a) => write!(f, ".{a}")?,
                        Op::Index(i) => write!(f, "[{i}]")?,
                        Op::LegacyIndex(n) => write!(f, ".{n}")?,
                        Op::AttrSplat => f.write_str(".*")?,
                        Op::FullSplat => f.write_str("[*]")?,
                    }
                }
                Ok(())
            }
            Expr::Call(c) => {
                write!(f, "{}(", c.name)?;
                list(f, &c.args)?;
                if c.expand_final {
                    f.write_str("...")?;
                }
                f.write_char(')')
            }
            Expr::Paren(e) => write!(f, "({e})"),
            Expr::Cond(c) => write!(f, "{} ? {} : {}", c[0], c[1], c[2]),
            Expr::Unary(op, e) => {
                let o = match op {
                    UnaryOperator::Neg => "-",
                    UnaryOperator::Not => "!",
                };
                write!(f, "{o}{e}")
            }
            Expr::Binary(op, b) => write!(f, "{} {} {}", b.0, binary_op(*op), b.1),
            Expr::For(x) => {
                let (open, close) = if x.key_expr.is_some() {
                    ('{', '}')
                } else {
                    ('[', ']')
                };
                write!(f, "{open}for ")?;
                if let Some(k) = &x.key_var {
                    write!(f, "{k}, ")?;
                }
                write!(f, "{} in {} : ", x.value_var, x.collection)?;
                if let Some(k) = &x.key_expr {
                    write!(f, "{k} => ")?;
                }
                write!(f, "{}", x.value_expr)?;
                if x.grouping {
                    f.write_str("...")?;
                }
                if let Some(c) = &x.cond {
                    write!(f, " if {c}")?;
                }
                f.write_char(close)
            }
        }
    }
}

impl Template {
    fn write_parts(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.parts {
            match p {
                Part::Lit(s) => {
                    for c in s.chars() {
                        match c {
                            '"' => f.write_str("\\\"")?,
                            '\\' => f.write_str("\\\\")?,
                            '\n' => f.write_str("\\n")?,
                            c => f.write_char(c)?,
                        }
                    }
                }
                Part::Interp(e) => write!(f, "${{{e}}}")?,
                Part::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    write!(f, "%{{if {cond}}}")?;
                    then.write_parts(f)?;
                    if let Some(o) = otherwise {
                        f.write_str("%{else}")?;
                        o.write_parts(f)?;
                    }
                    f.write_str("%{endif}")?;
                }
                Part::For {
                    key_var,
                    value_var,
                    collection,
                    body,
                } => {
                    f.write_str("%{for ")?;
                    if let Some(k) = key_var {
                        write!(f, "{k}, ")?;
                    }
                    write!(f, "{value_var} in {collection}}}")?;
                    body.write_parts(f)?;
                    f.write_str("%{endfor}")?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(src: &str) -> String {
        let e = hcl_edit::parser::parse_expr(src).expect("parses");
        expr(e).to_string()
    }

    #[test]
    fn expressions_print_back_as_hcl() {
        for src in [
            "var.x",
            "format(\"%s-%03d\", local.prefix, 3)",
            "\"still-mapped-${var.region}\"",
            "aws_sqs_queue.q[each.key].arn",
            "a ? b : c",
            "[for k, v in var.m : upper(v) if v != \"\"]",
            "{for k, v in var.m : k => v...}",
            "{ a = 1, \"b c\" = [1, 2], (var.k) = null }",
            "-1 + 2 * (3 - x)",
            "concat(var.a, var.b...)",
            "data.aws_vpc.main.*.id",
        ] {
            assert_eq!(round(src), src);
        }
    }

    #[test]
    fn template_parts_keep_literals_and_directives() {
        let t = template(
            hcl_edit::parser::parse_template("a-${x}%{if y}b%{else}c%{endif}").expect("parses"),
        );
        assert_eq!(t.parts.len(), 3);
        assert_eq!(t.parts[0], Part::Lit("a-".into()));
        assert!(matches!(
            &t.parts[2],
            Part::If {
                otherwise: Some(_),
                ..
            }
        ));
    }
}
