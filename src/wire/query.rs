//! EC2 Query parameters: a form body or query string decoded strictly into a tree keyed by
//! the dotted segments of each key (`Filter.1.Value.2` → `Filter` / `1` / `Value` / `2`),
//! plus the scalar parsers the generated request parsers call.
//!
//! Rules (ec2-query-protocol.md §1): lists are flattened and 1-based; an index may skip
//! numbers (items come back in index order) but must be a positive decimal without leading
//! zeros; a key may appear once; percent-encoding and UTF-8 must be valid. Unknown keys are
//! ignored rather than rejected (a documented choice: real EC2 answers UnknownParameter).

use super::{Blob, Timestamp, TimestampFormat};
use crate::Ec2Error;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// At most this many parameters in one request: far above any real EC2 call (CreateTags
/// with 1000 resources and 50 tags is about 1,100), low enough to bound memory.
pub const MAX_PARAMS: usize = 20_000;
/// Keys deeper than this cannot name a model member (the deepest EC2 key has 7 segments);
/// they are ignored like any unknown key, which also bounds the tree's depth.
pub const MAX_DEPTH: usize = 24;

/// At most this many nodes in one request's tree. A realistic request needs one or two
/// per parameter (`Tag.7.Key` adds `7` and `Key`); without a budget, every parameter could
/// open a fresh chain of `MAX_DEPTH` segments and a 1 MB body would grow a tree hundreds of
/// times its size.
pub const MAX_NODES: usize = 3 * MAX_PARAMS;

/// One node of the parameter tree.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Node {
    value: Option<String>,
    children: Children,
}

/// A node's children, sorted by segment. Most nodes have one or two, so they start in a
/// small Vec; past `FEW` they move to a BTreeMap, which allocates room for eleven entries
/// even for one and would make a chain of single children cost kilobytes per segment.
#[derive(Debug, Clone, PartialEq)]
enum Children {
    Few(Vec<(Box<str>, Node)>),
    Many(BTreeMap<Box<str>, Node>),
}

const FEW: usize = 8;

impl Default for Children {
    fn default() -> Self {
        Children::Few(Vec::new())
    }
}

impl Children {
    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Children::Few(v) => v
                .binary_search_by(|(k, _)| (**k).cmp(key))
                .ok()
                .map(|i| &v[i].1),
            Children::Many(m) => m.get(key),
        }
    }

    /// The child `key`, created (and counted in `nodes`) when missing.
    fn entry(&mut self, key: &str, nodes: &mut usize) -> Result<&mut Node, Ec2Error> {
        if self.get(key).is_none() {
            *nodes += 1;
            if *nodes > MAX_NODES {
                return Err(Ec2Error::new(
                    "InvalidParameterValue",
                    format!("The request's parameter names have more than {MAX_NODES} distinct segments"),
                ));
            }
            if let Children::Few(v) = self {
                if v.len() == FEW {
                    *self = Children::Many(std::mem::take(v).into_iter().collect());
                }
            }
        }
        Ok(match self {
            Children::Few(v) => match v.binary_search_by(|(k, _)| (**k).cmp(key)) {
                Ok(i) => &mut v[i].1,
                Err(i) => {
                    if v.capacity() == 0 {
                        v.reserve_exact(1);
                    }
                    v.insert(i, (key.into(), Node::default()));
                    &mut v[i].1
                }
            },
            Children::Many(m) => m.entry(key.into()).or_default(),
        })
    }

    fn len(&self) -> usize {
        match self {
            Children::Few(v) => v.len(),
            Children::Many(m) => m.len(),
        }
    }

    /// `(segment, child)` in segment order.
    fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        let (few, many) = match self {
            Children::Few(v) => (Some(v.iter().map(|(k, n)| (&**k, n))), None),
            Children::Many(m) => (None, Some(m.iter().map(|(k, n)| (&**k, n)))),
        };
        few.into_iter().flatten().chain(many.into_iter().flatten())
    }
}

impl Node {
    /// Decodes `application/x-www-form-urlencoded` text (a POST body or a GET query string).
    pub fn from_form(body: &[u8]) -> Result<Node, Ec2Error> {
        let mut root = Node::default();
        Self::add_form(&mut root, body)?;
        Ok(root)
    }

    /// Decodes another form into the same tree (query string and body of one request).
    pub fn add_form(&mut self, body: &[u8]) -> Result<(), Ec2Error> {
        let mut count = self.count();
        let mut nodes = self.nodes();
        for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
            count += 1;
            if count > MAX_PARAMS {
                return Err(Ec2Error::new(
                    "InvalidParameterValue",
                    format!("The request has more than {MAX_PARAMS} parameters"),
                ));
            }
            let (k, v) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let key = decode(k)?;
            let value = decode(v)?.into_owned();
            self.insert_counted(&key, value, &mut nodes)?;
        }
        Ok(())
    }

    /// Adds one decoded parameter.
    pub fn insert(&mut self, key: &str, value: String) -> Result<(), Ec2Error> {
        let mut nodes = self.nodes();
        self.insert_counted(key, value, &mut nodes)
    }

    fn insert_counted(
        &mut self,
        key: &str,
        value: String,
        nodes: &mut usize,
    ) -> Result<(), Ec2Error> {
        if key.split('.').count() > MAX_DEPTH {
            return Ok(());
        }
        let mut node = self;
        for seg in key.split('.') {
            node = node.children.entry(seg, nodes)?;
        }
        if node.value.is_some() {
            return Err(Ec2Error::new(
                "InvalidParameterValue",
                format!("The parameter {key} appears more than once"),
            ));
        }
        node.value = Some(value);
        Ok(())
    }

    /// The scalar value of `key` directly under this node.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.children.get(key)?.value.as_deref()
    }

    pub fn child(&self, key: &str) -> Option<&Node> {
        self.children.get(key)
    }

    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    fn count(&self) -> usize {
        self.value.is_some() as usize + self.children.iter().map(|(_, c)| c.count()).sum::<usize>()
    }

    fn nodes(&self) -> usize {
        self.children.iter().map(|(_, c)| 1 + c.nodes()).sum()
    }
}

/// Strict percent-decoding: `+` is a space, `%XY` needs two hex digits, and the result
/// must be UTF-8. (form_urlencoded and percent-encoding both pass bad escapes through
/// silently; EC2 rejects them.)
/// Percent-decoding; text with nothing to decode (most names and many values) is borrowed.
fn decode(raw: &[u8]) -> Result<Cow<'_, str>, Ec2Error> {
    if !raw.iter().any(|&b| b == b'+' || b == b'%') {
        return std::str::from_utf8(raw)
            .map(Cow::Borrowed)
            .map_err(|_| malformed("the query string is not valid UTF-8"));
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (
                    raw.get(i + 1).and_then(|&b| hex(b)),
                    raw.get(i + 2).and_then(|&b| hex(b)),
                ) {
                    (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                    _ => {
                        return Err(malformed(
                            "the query string has an invalid percent-encoding",
                        ))
                    }
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| malformed("the query string is not valid UTF-8"))
}

fn malformed(why: &str) -> Ec2Error {
    Ec2Error::new(
        "MalformedQueryString",
        format!("The query string is malformed: {why}"),
    )
}

/// An optional member: `None` when no parameter starts with `key`.
pub fn opt<T>(
    n: &Node,
    key: &str,
    name: &str,
    f: impl Fn(&Node, &str) -> Result<T, Ec2Error>,
) -> Result<Option<T>, Ec2Error> {
    match n.child(key) {
        Some(c) => f(c, name).map(Some),
        None => Ok(None),
    }
}

/// A required member the handler checks itself (EC2 answers its absence with an
/// error other than `MissingParameter`): the empty value when absent.
pub fn req_or_default<T: Default>(
    n: &Node,
    key: &str,
    name: &str,
    f: impl Fn(&Node, &str) -> Result<T, Ec2Error>,
) -> Result<T, Ec2Error> {
    opt(n, key, name, f).map(Option::unwrap_or_default)
}

/// A required member: `MissingParameter` when absent.
pub fn req<T>(
    n: &Node,
    key: &str,
    name: &str,
    f: impl Fn(&Node, &str) -> Result<T, Ec2Error>,
) -> Result<T, Ec2Error> {
    match n.child(key) {
        Some(c) => f(c, name),
        None => Err(Ec2Error::missing_parameter(name)),
    }
}

/// The items of a flattened list, in index order. A value on the list's own key
/// (`InstanceId=i-1` instead of `InstanceId.1=i-1`) is refused: dropping it would turn
/// "these instances" into "all instances".
pub fn list<T>(
    n: &Node,
    name: &str,
    f: impl Fn(&Node, &str) -> Result<T, Ec2Error>,
) -> Result<Vec<T>, Ec2Error> {
    if let Some(v) = n.value() {
        return Err(Ec2Error::invalid_value(
            name,
            v,
            "A list is sent as numbered parameters (.1, .2, ...).",
        ));
    }
    let mut items: Vec<(u32, &Node)> = Vec::with_capacity(n.children.len());
    for (k, c) in n.children.iter() {
        let index = k
            .parse::<u32>()
            .ok()
            .filter(|&i| i >= 1 && !k.starts_with('0') && k.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| Ec2Error::new("InvalidParameterValue", format!("Invalid list index '{k}' for parameter {name}: indexes are 1-based integers")))?;
        items.push((index, c));
    }
    items.sort_unstable_by_key(|(i, _)| *i);
    items.into_iter().map(|(_, c)| f(c, name)).collect()
}

fn scalar<'a>(n: &'a Node, name: &str) -> Result<&'a str, Ec2Error> {
    n.value()
        .ok_or_else(|| Ec2Error::invalid_value(name, "", "The value is missing."))
}

pub fn string(n: &Node, name: &str) -> Result<String, Ec2Error> {
    scalar(n, name).map(str::to_string)
}

pub fn boolean(n: &Node, name: &str) -> Result<bool, Ec2Error> {
    let v = scalar(n, name)?;
    if v.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if v.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(Ec2Error::invalid_value(name, v, "Expected a boolean."))
    }
}

fn number<T: std::str::FromStr>(n: &Node, name: &str, what: &str) -> Result<T, Ec2Error> {
    let v = scalar(n, name)?;
    v.trim()
        .parse()
        .map_err(|_| Ec2Error::invalid_value(name, v, what))
}

pub fn byte(n: &Node, name: &str) -> Result<i8, Ec2Error> {
    number(n, name, "Expected an integer.")
}
pub fn short(n: &Node, name: &str) -> Result<i16, Ec2Error> {
    number(n, name, "Expected an integer.")
}
pub fn integer(n: &Node, name: &str) -> Result<i32, Ec2Error> {
    number(n, name, "Expected an integer.")
}
pub fn long(n: &Node, name: &str) -> Result<i64, Ec2Error> {
    number(n, name, "Expected an integer.")
}
/// Floats also accept `NaN`, `Infinity` and `-Infinity` (Smithy ec2Query float tests).
pub fn float(n: &Node, name: &str) -> Result<f32, Ec2Error> {
    number(n, name, "Expected a number.")
}
pub fn double(n: &Node, name: &str) -> Result<f64, Ec2Error> {
    number(n, name, "Expected a number.")
}

pub fn blob(n: &Node, name: &str) -> Result<Blob, Ec2Error> {
    use base64::Engine;
    let v = scalar(n, name)?;
    base64::engine::general_purpose::STANDARD
        .decode(v.trim())
        .map(Blob)
        .map_err(|_| Ec2Error::invalid_value(name, v, "Invalid BASE64 encoding."))
}

pub fn timestamp(n: &Node, name: &str, format: TimestampFormat) -> Result<Timestamp, Ec2Error> {
    let v = scalar(n, name)?;
    Timestamp::parse(v, format)
        .ok_or_else(|| Ec2Error::invalid_value(name, v, "Expected a timestamp."))
}

/// `range` trait check, with EC2's wording for MaxResults (aws-sdk-ruby#2575).
pub fn range(v: i64, min: Option<i64>, max: Option<i64>, name: &str) -> Result<(), Ec2Error> {
    if let Some(min) = min.filter(|&m| v < m) {
        return Err(Ec2Error::new(
            "InvalidParameterValue",
            format!("Value ( {v} ) for parameter {name} is invalid. Expecting a value greater than {min}."),
        ));
    }
    if let Some(max) = max.filter(|&m| v > m) {
        return Err(Ec2Error::new(
            "InvalidParameterValue",
            format!(
                "Value ( {v} ) for parameter {name} is invalid. Expecting a value less than {max}."
            ),
        ));
    }
    Ok(())
}

/// `length` trait check.
pub fn length(len: usize, min: Option<i64>, max: Option<i64>, name: &str) -> Result<(), Ec2Error> {
    let len = len as i64;
    if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
        let bounds = match (min, max) {
            (Some(a), Some(b)) => format!("between {a} and {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => unreachable!(),
        };
        return Err(Ec2Error::new(
            "InvalidParameterValue",
            format!("Value for parameter {name} is invalid. Its length must be {bounds}."),
        ));
    }
    Ok(())
}
