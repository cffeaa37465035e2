//! EC2 filters (`Filter.N.Name`, `Filter.N.Value.M`), checked when parsed and applied the
//! way EC2 applies them: values of one filter are ORed, filters are ANDed, `*` and `?` are
//! wildcards (`\` escapes them), matching is case-sensitive.
//!
//! Each resource declares one [`FilterTable`]: filter name → what it reads. `tag:<key>`,
//! `tag-key` and `tag-value` come from [`Resource::tags`] once for every kind.

use crate::generated::types::Filter as WireFilter;
pub use crate::store::View;
use crate::store::{Resource, Table, Tagged, TaggedIds, Tags};
use crate::Ec2Error;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// The values of one attribute of a resource: none (the filter matches nothing), one, or several.
pub enum Field<'a> {
    None,
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
}

impl<'a> From<&'a str> for Field<'a> {
    fn from(s: &'a str) -> Self {
        Field::One(Cow::Borrowed(s))
    }
}
impl From<String> for Field<'_> {
    fn from(s: String) -> Self {
        Field::One(Cow::Owned(s))
    }
}
impl From<bool> for Field<'_> {
    fn from(b: bool) -> Self {
        Field::One(Cow::Borrowed(if b { "true" } else { "false" }))
    }
}
impl<'a, T: Into<Field<'a>>> From<Option<T>> for Field<'a> {
    fn from(o: Option<T>) -> Self {
        o.map_or(Field::None, Into::into)
    }
}

pub type Getter<T> = for<'a> fn(&'a T, &View<'a>) -> Field<'a>;
pub type FilterTable<T> = &'static [(&'static str, Getter<T>)];

/// EC2's limits: a filter value is at most 255 characters; at most 200 values in a call
/// (documented in the EC2 API reference, "Filters" in each Describe action).
pub const MAX_VALUE_LEN: usize = 255;
pub const MAX_VALUES: usize = 200;

/// EC2's limits on filter values, checked before names are looked at.
pub fn check_limits(input: &[WireFilter]) -> Result<(), Ec2Error> {
    let values = input.iter().flat_map(|f| f.values.iter().flatten());
    let mut total = 0;
    for v in values {
        total += 1;
        if v.chars().count() > MAX_VALUE_LEN {
            // ansible-collections/amazon.aws#2393.
            return Err(Ec2Error::new(
                "FilterLimitExceeded",
                "The maximum length for a filter value is 255 characters",
            ));
        }
    }
    if total > MAX_VALUES {
        return Err(Ec2Error::new(
            "FilterLimitExceeded",
            format!(
                "The maximum number of filter values specified on a single call is {MAX_VALUES}"
            ),
        ));
    }
    Ok(())
}

enum Target<T: 'static> {
    Field(Getter<T>),
    Tag(String),
    AnyKey,
    AnyValue,
}

pub struct Filters<T: 'static> {
    filters: Vec<(Target<T>, Vec<Pattern>)>,
    /// How to read an item's tags; `None` for what has none.
    tags: Option<for<'a> fn(&'a T) -> &'a Tags>,
}

impl<T: Resource> Filters<T> {
    /// Checks every filter name against the table before anything else runs; the
    /// `tag:` family comes with every kind of resource.
    pub fn parse(
        input: Option<Vec<WireFilter>>,
        table: FilterTable<T>,
    ) -> Result<Filters<T>, Ec2Error> {
        Self::parse_with(input, table, Some(|r| r.tags()))
    }
}

impl<T: 'static> Filters<T> {
    /// For what has no tags (regions, zones): `tag:` names are unknown there.
    pub fn parse_untagged(
        input: Option<Vec<WireFilter>>,
        table: FilterTable<T>,
    ) -> Result<Filters<T>, Ec2Error> {
        Self::parse_with(input, table, None)
    }

    fn parse_with(
        input: Option<Vec<WireFilter>>,
        table: FilterTable<T>,
        tags: Option<for<'a> fn(&'a T) -> &'a Tags>,
    ) -> Result<Filters<T>, Ec2Error> {
        let tagged = tags.is_some();
        let input = input.unwrap_or_default();
        check_limits(&input)?;
        let mut filters = Vec::new();
        for f in input {
            let name = f.name.unwrap_or_default();
            let key = if let Some(k) = name.strip_prefix("tag:").filter(|_| tagged) {
                Target::Tag(k.to_string())
            } else if tagged && name == "tag-key" {
                Target::AnyKey
            } else if tagged && name == "tag-value" {
                Target::AnyValue
            } else if let Some((_, g)) = table.iter().find(|(n, _)| *n == name) {
                Target::Field(*g)
            } else {
                return Err(Ec2Error::invalid_parameter_value(format!(
                    "The filter '{name}' is invalid"
                )));
            };
            let values = f.values.unwrap_or_default();
            filters.push((key, values.iter().map(|v| Pattern::new(v)).collect()));
        }
        Ok(Filters { filters, tags })
    }

    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    /// The ids that can match, from the table's tag index, when some filter names a tag
    /// key (`tag:<key>`, `tag-key`) with literal values: the smallest such set, which
    /// [`matches`](Self::matches) then checks in full. `None` when no filter narrows
    /// this way (or the index is behind): every record must be looked at.
    pub fn candidates<'t>(&self, table: &'t Table<T>) -> Option<TaggedIds<'t>>
    where
        T: Tagged,
    {
        self.tags?;
        let mut best: Option<TaggedIds<'t>> = None;
        for (target, patterns) in &self.filters {
            let literal: Option<Vec<&str>> = patterns
                .iter()
                .map(|p| match p {
                    Pattern::Exact(v) => Some(v.as_str()),
                    Pattern::Glob(_) => None,
                })
                .collect();
            let Some(literal) = literal else { continue };
            let set = match target {
                Target::Tag(k) => table.tagged(k, Some(&literal))?,
                Target::AnyKey => {
                    let mut set = BTreeSet::new();
                    for k in literal {
                        set.extend(table.tagged(k, None)?.after(None));
                    }
                    TaggedIds::Merged(set)
                }
                Target::Field(_) | Target::AnyValue => continue,
            };
            if best.as_ref().is_none_or(|b| set.len() < b.len()) {
                best = Some(set);
            }
        }
        best
    }

    /// AND across filters, OR across one filter's values.
    pub fn matches(&self, item: &T, view: &View<'_>) -> bool {
        let tags = || self.tags.map(|f| f(item));
        self.filters.iter().all(|(key, patterns)| {
            let any = |s: &str| patterns.iter().any(|p| p.matches(s));
            match key {
                Target::Field(get) => match get(item, view) {
                    Field::None => false,
                    Field::One(v) => any(&v),
                    Field::Many(vs) => vs.iter().any(|v| any(v)),
                },
                Target::Tag(k) => tags().and_then(|t| t.get(k)).is_some_and(|v| any(v)),
                Target::AnyKey => tags().is_some_and(|t| t.keys().any(|k| any(k))),
                Target::AnyValue => tags().is_some_and(|t| t.values().any(|v| any(v))),
            }
        })
    }
}

/// A filter value: literal text, or a wildcard pattern.
pub enum Pattern {
    Exact(String),
    Glob(Vec<GlobPart>),
}

pub enum GlobPart {
    Char(char),
    Any,
    One,
}

impl Pattern {
    pub fn new(v: &str) -> Pattern {
        if !v.contains(['*', '?', '\\']) {
            return Pattern::Exact(v.to_string());
        }
        let mut parts = Vec::new();
        let mut chars = v.chars();
        while let Some(c) = chars.next() {
            parts.push(match c {
                '*' => GlobPart::Any,
                '?' => GlobPart::One,
                '\\' => GlobPart::Char(chars.next().unwrap_or('\\')),
                c => GlobPart::Char(c),
            });
        }
        Pattern::Glob(parts)
    }

    pub fn matches(&self, s: &str) -> bool {
        match self {
            Pattern::Exact(e) => e == s,
            Pattern::Glob(parts) => glob(parts, &s.chars().collect::<Vec<_>>()),
        }
    }
}

/// Iterative wildcard matching with one backtrack point: linear in practice, never
/// exponential on hostile patterns.
fn glob(p: &[GlobPart], s: &[char]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some(GlobPart::Char(c)) if *c == s[si] => {
                pi += 1;
                si += 1;
            }
            Some(GlobPart::One) => {
                pi += 1;
                si += 1;
            }
            Some(GlobPart::Any) => {
                star = Some((pi, si));
                pi += 1;
            }
            _ => match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|x| matches!(x, GlobPart::Any))
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn wildcards_match_as_ec2_documents() {
        let m = |p: &str, s: &str| Pattern::new(p).matches(s);
        assert!(m("web*", "web-1") && m("*", "") && m("a?c", "abc") && m("*-prod", "api-prod"));
        assert!(!m("web*", "Web-1"), "values are case-sensitive");
        assert!(!m("a?c", "ac") && !m("abc", "abcd"));
        assert!(m(r"a\*b", "a*b") && !m(r"a\*b", "axb"));
        assert!(
            m("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaab") && !m("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaa")
        );
    }
}
