//! Names: Smithy shape ids and member names to Rust identifiers, and members to their
//! wire names. Every EC2 model quirk that the generator corrects is a rule here, keyed by
//! shape id, so that it shows up in the `generated/` diff and never as a patched output.

use super::smithy::Member;
use proc_macro2::{Ident, Span};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// `com.amazonaws.ec2#Instance` → `Instance`.
pub fn local(id: &str) -> &str {
    id.rsplit('#').next().unwrap()
}

pub fn ident(name: &str) -> Ident {
    if KEYWORDS.contains(&name) {
        if matches!(name, "self" | "Self" | "super" | "crate") {
            return Ident::new(&format!("{name}_"), Span::call_site());
        }
        return Ident::new_raw(name, Span::call_site());
    }
    Ident::new(name, Span::call_site())
}

/// `CidrBlock` → `cidr_block`, `InstanceIds` → `instance_ids`, `VCpuInfo` → `v_cpu_info`.
pub fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None | Some('_') => false,
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push('_');
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// `T2_MICRO` → `T2Micro`, `_1_0` → `V1_0`-like `V10`; a Rust variant name.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    for part in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let mut cs = part.chars();
        let first = cs.next().unwrap();
        out.push(first.to_ascii_uppercase());
        out.extend(cs.map(|c| c.to_ascii_lowercase()));
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

fn upper_first(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) => c.to_lowercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// The request key of a member: `ec2QueryName`, else the capitalized `xmlName`, else the
/// capitalized member name (Smithy ec2Query protocol, "Query key resolution").
pub fn query_key(m: &Member) -> String {
    if let Some(q) = m.traits.str("aws.protocols#ec2QueryName") {
        return q.to_string();
    }
    if let Some(x) = m.traits.str("smithy.api#xmlName") {
        return upper_first(x);
    }
    upper_first(&m.name)
}

/// The element name of a member in a response: `xmlName`, else the member name.
pub fn xml_name(m: &Member) -> String {
    m.traits
        .str("smithy.api#xmlName")
        .map(str::to_string)
        .unwrap_or_else(|| m.name.clone())
}

/// The element name of a list's items: the list member's `xmlName`, else `member`.
pub fn list_item_name(m: &Member) -> String {
    m.traits
        .str("smithy.api#xmlName")
        .map(str::to_string)
        .unwrap_or_else(|| "member".to_string())
}

/// EC2 names a parameter in its error messages by its internal, lower-camel name, which
/// mostly is the lower-cased first letter of the wire name (`maxResults`, `cidrBlock`).
/// Where AWS was seen to say something else, the quirk table below wins.
pub fn message_name(container: &str, m: &Member) -> String {
    for (shape, member, name) in MESSAGE_NAME_QUIRKS {
        if *shape == container && *member == m.name {
            return name.to_string();
        }
    }
    lower_first(&query_key(m))
}

/// `(shape id, member, name in messages)`: names AWS was seen to use in MissingParameter
/// and InvalidParameterValue messages that differ from the lower-camel wire key.
const MESSAGE_NAME_QUIRKS: &[(&str, &str, &str)] = &[
    // "The request must contain the parameter resourceIdSet" (awsdocs/aws-doc-sdk-examples#1302).
    (
        "com.amazonaws.ec2#CreateTagsRequest",
        "Resources",
        "resourceIdSet",
    ),
    ("com.amazonaws.ec2#CreateTagsRequest", "Tags", "tagSet"),
    // CreateSecurityGroup's Description travels as GroupDescription.
    (
        "com.amazonaws.ec2#CreateSecurityGroupRequest",
        "Description",
        "GroupDescription",
    ),
    (
        "com.amazonaws.ec2#CreateSecurityGroupRequest",
        "GroupName",
        "GroupName",
    ),
];

/// The Rust type name of a structure or enum shape. Operation inputs and outputs are
/// `{Op}Input` / `{Op}Output` unless another operation or member shares the shape, in
/// which case the shape keeps its model name and the I/O name becomes an alias.
pub fn type_name(id: &str) -> String {
    let n = local(id);
    match n {
        // Names that would shadow the prelude inside generated code.
        "Option" | "Result" | "String" | "Vec" | "Box" => format!("{n}_"),
        _ => n.to_string(),
    }
}
