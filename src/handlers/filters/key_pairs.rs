//! DescribeKeyPairs' filters.

use super::one;
use crate::describe::filter::FilterTable;
use crate::store::KeyPair;

/// Filter names from the DescribeKeyPairs documentation (5 with `tag` and `tag-key`).
pub const KEY_PAIR_FILTERS: FilterTable<KeyPair> = &[
    ("key-pair-id", |k, _| one(k.id.as_str())),
    ("fingerprint", |k, _| one(k.fingerprint.as_str())),
    ("key-name", |k, _| one(k.name.as_str())),
];
