//! Pagination shared by every Describe*: `MaxResults` bounds, and an opaque `NextToken`
//! that names the last id returned and the request it belongs to.
//!
//! Resuming is a `BTreeMap` range after that id, so a page costs the same however many
//! pages came before it, and paging while resources come and go never returns an item
//! twice nor skips one that existed throughout.

use crate::store::{Table, TaggedIds};
use crate::wire::Paged;
use crate::Ec2Error;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::ops::Bound;

/// EC2 does not page an answer to a list of ids: ids with MaxResults is
/// `InvalidParameterCombination` naming the id list's wire name (`instancesSet`,
/// `volumeSet`…). AWS-raw for DescribeInstances (yuuki/grabeni#7, aws-cli#1976; the row
/// in ec2-errors.md, which says the same holds for volumeSet); the other Describes that
/// call it follow the pattern (the API reference states the rule for each; the wording
/// with their set names is unverified).
pub fn ids_not_paged(ids_given: bool, max_results: Option<i32>, set: &str) -> Result<(), Ec2Error> {
    if ids_given && max_results.is_some() {
        return Err(Ec2Error::new(
            "InvalidParameterCombination",
            format!("The parameter {set} cannot be used with the parameter maxResults"),
        ));
    }
    Ok(())
}

pub struct Page {
    /// Items per page; `None` means everything in one page (EC2's behaviour without MaxResults).
    pub limit: Option<usize>,
    /// Resume strictly after this id.
    pub after: Option<String>,
    fingerprint: u64,
}

impl Page {
    /// The page an input asks for. Its `MaxResults` bounds come from the model's `range`
    /// on the page-size member (the input type's generated `PAGING`), else EC2's run-time
    /// 5–1000 (DescribeInstances' MaxResults is a plain Integer). A token is only valid
    /// for the request that produced it: the input's fingerprint is sealed into it, and
    /// computed only when there is paging to do.
    pub fn of<I: Paged>(input: &I) -> Result<Page, Ec2Error> {
        Page::paged_by_default(input, None)
    }

    /// [`of`](Self::of) for an operation EC2 pages even without MaxResults (it answers
    /// `default` items at a time, with a NextToken).
    pub fn paged_by_default<I: Paged>(input: &I, default: Option<usize>) -> Result<Page, Ec2Error> {
        let paging = I::PAGING;
        let bounds = (paging.min.unwrap_or(5), paging.max.unwrap_or(1000));
        let limit = match input.page_size() {
            None => None,
            Some(n) => {
                crate::wire::query::range(
                    i64::from(n),
                    Some(bounds.0),
                    Some(bounds.1),
                    "maxResults",
                )?;
                Some(n as usize)
            }
        }
        .or(default);
        let next_token = input.page_token();
        let fingerprint = if limit.is_some() || next_token.is_some() {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            paging.items.hash(&mut h);
            input.fingerprint().hash(&mut h);
            h.finish()
        } else {
            0
        };
        let after = match next_token {
            None => None,
            Some(t) => Some(decode(t, fingerprint).ok_or_else(|| {
                Ec2Error::invalid_parameter_value(format!(
                    "Value ( {t} ) for parameter NextToken is invalid. The token is invalid."
                ))
            })?),
        };
        Ok(Page {
            limit,
            after,
            fingerprint,
        })
    }

    /// Takes one page from items already in id order (already past `after`); returns the
    /// page and the token for the next one, if any remain.
    pub fn take<T>(
        &self,
        items: impl Iterator<Item = T>,
        id: impl Fn(&T) -> String,
    ) -> (Vec<T>, Option<String>) {
        let mut items = items.peekable();
        let Some(limit) = self.limit else {
            return (items.collect(), None);
        };
        let page: Vec<T> = items.by_ref().take(limit).collect();
        let token = match (items.peek(), page.last()) {
            (Some(_), Some(last)) => Some(self.token(&id(last))),
            _ => None,
        };
        (page, token)
    }

    /// One page of an id-keyed table: the resources after the token that `keep` accepts,
    /// in id order. Explicit ids are looked up directly, so the cost follows the ids asked
    /// for rather than the size of the table.
    pub fn select<'s, T: 's>(
        &self,
        table: &'s impl IdOrdered<T>,
        ids: &[String],
        keep: impl Fn(&T) -> bool,
    ) -> (Vec<&'s T>, Option<String>) {
        let after = self.after.as_deref();
        if ids.is_empty() {
            let items = table.after(after).filter(|(_, v)| keep(v));
            let (page, token) = self.take(items, |(id, _)| id.to_string());
            return (page.into_iter().map(|(_, v)| v).collect(), token);
        }
        let mut wanted: Vec<&String> = ids
            .iter()
            .filter(|id| after.is_none_or(|a| id.as_str() > a))
            .collect();
        wanted.sort();
        wanted.dedup();
        let items = wanted
            .into_iter()
            .filter_map(|id| table.entry(id))
            .filter(|(_, v)| keep(v));
        let (page, token) = self.take(items, |(id, _)| id.to_string());
        (page.into_iter().map(|(_, v)| v).collect(), token)
    }

    /// [`select`](Self::select) over only the ids in `among` (an index's answer), in id
    /// order after the token: the cost follows the size of `among`, not of the table.
    pub fn select_among<'s, T>(
        &self,
        table: &'s Table<T>,
        among: &TaggedIds<'_>,
        keep: impl Fn(&T) -> bool,
    ) -> (Vec<&'s T>, Option<String>) {
        let items = among
            .after(self.after.as_deref())
            .filter_map(|id| table.get_key_value(id))
            .filter(|(_, v)| keep(v));
        let (page, token) = self.take(items, |(id, _)| id.to_string());
        (page.into_iter().map(|(_, v)| v).collect(), token)
    }

    pub fn token(&self, last_id: &str) -> String {
        URL_SAFE_NO_PAD.encode(format!("{:016x}.{last_id}", self.fingerprint))
    }
}

/// Records in id order: a kind's [`Table`], or a map a Describe merged from several.
pub trait IdOrdered<T> {
    /// The records after `id` (all of them for `None`), in id order.
    fn after<'s>(&'s self, id: Option<&str>) -> impl Iterator<Item = (&'s String, &'s T)>
    where
        T: 's;
    fn entry(&self, id: &str) -> Option<(&String, &T)>;
}

/// The two have the same `range` and `get_key_value`; one body serves both.
macro_rules! id_ordered {
    ($($ty:ty),*) => {$(
        impl<T> IdOrdered<T> for $ty {
            fn after<'s>(&'s self, id: Option<&str>) -> impl Iterator<Item = (&'s String, &'s T)>
            where
                T: 's,
            {
                let start = id.map_or(Bound::Unbounded, Bound::Excluded);
                self.range::<str, _>((start, Bound::Unbounded))
            }
            fn entry(&self, id: &str) -> Option<(&String, &T)> {
                self.get_key_value(id)
            }
        }
    )*};
}
id_ordered!(Table<T>, BTreeMap<String, T>);

fn decode(token: &str, fingerprint: u64) -> Option<String> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    let (fp, id) = raw.split_once('.')?;
    (u64::from_str_radix(fp, 16).ok()? == fingerprint).then(|| id.to_string())
}
