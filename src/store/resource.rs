//! The resource layer: what every kind of resource declares once, and the operations
//! that follow from the declaration for any kind.
//!
//! A kind is an `impl Resource` next to its record (`store/kinds/`), one line in
//! [`kinds!`](self) below, and its table in [`RegionState`]. [`Kind::visit`] is the one
//! exhaustive match from a kind to its record type; tag routing, existence checks,
//! Describe, DescribeTags and dependency-checked deletes are written once over
//! `R: Resource` and reach every kind through it.

use super::kinds::*;
use super::RegionState;
use crate::clock::Timestamp;
use crate::describe::page::Page;
use crate::Ec2Error;
use std::collections::{BTreeMap, HashSet};

/// Tags of one resource, by key.
pub type Tags = BTreeMap<String, String>;

pub use super::table::Table;

/// An EC2 error a kind answers with: its code and message, where `{id}` (or `{ids}`,
/// comma-separated) stands for the ids concerned.
#[derive(Debug)]
pub struct ErrorText {
    pub code: &'static str,
    pub message: &'static str,
}

impl ErrorText {
    pub fn error(&self, id: &str) -> Ec2Error {
        Ec2Error::new(self.code, fill(self.message, id))
    }
}

/// `template` with its `{id}` or `{ids}` placeholders replaced by `id`, in one pass (an
/// error answer is a hot path: the error row of BENCHMARKS.md).
fn fill(template: &str, id: &str) -> String {
    let mut out = String::with_capacity(template.len() + id.len());
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let hole = ["{id}", "{ids}"].into_iter().find(|h| tail.starts_with(h));
        match hole {
            Some(h) => {
                out.push_str(id);
                rest = &tail[h.len()..];
            }
            None => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// How EC2 checks an id's shape before looking it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdCheck {
    /// `prefix-` and 8 or 17 lowercase hex digits, else Malformed.
    Strict,
    /// Only the prefix: `vpc-796591` is NotFound, not Malformed, for VPCs and subnets in
    /// the cases users report (CreateSubnet, CreateSecurityGroup, DescribeVpcs,
    /// DescribeSubnets; found by an outside EC2 test suite run against parlel-ec2).
    PrefixOnly,
}

/// The facts about a kind that EC2's answers show.
#[derive(Debug)]
pub struct KindInfo {
    /// The id prefix: `vpc` in `vpc-0a1b…`.
    pub prefix: &'static str,
    /// `resourceType` in DescribeTags and TagSpecifications (the model's `ResourceType`).
    pub resource_type: &'static str,
    /// How strictly EC2 checks the shape of this kind's ids.
    pub ids: IdCheck,
    /// One id that does not exist.
    pub not_found: ErrorText,
    /// Several that do not exist, in one error (EC2 lists them all); same code.
    pub not_found_many: &'static str,
    /// An id that is not shaped like one of this kind.
    pub malformed: ErrorText,
    /// Deleting one that something still refers to; `None` for kinds nothing pins (the
    /// generic DependencyViolation then stands in).
    pub in_use: Option<ErrorText>,
}

impl KindInfo {
    pub fn not_found(&self, ids: &[impl AsRef<str>]) -> Ec2Error {
        let list = ids.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(", ");
        if ids.len() > 1 {
            Ec2Error::new(self.not_found.code, fill(self.not_found_many, &list))
        } else {
            self.not_found.error(&list)
        }
    }

    /// Fails with `malformed` unless `id` is shaped like an id of this kind.
    pub fn check(&self, id: &str) -> Result<(), Ec2Error> {
        let ok = match self.ids {
            IdCheck::Strict => super::is_well_formed(id, self.prefix),
            IdCheck::PrefixOnly => id
                .strip_prefix(self.prefix)
                .is_some_and(|rest| rest.len() > 1 && rest.starts_with('-')),
        };
        if ok {
            Ok(())
        } else {
            Err(self.malformed.error(id))
        }
    }
}

/// What a region looks like at one moment: the state, the request's clock reading, and
/// how long terminated instances stay visible. Filters, visibility and `to_wire` read it.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub state: &'a RegionState,
    pub now: Timestamp,
    pub retention_ms: i64,
    /// How long transitions last (`--transition-ms`).
    pub transition_ms: i64,
}

/// One kind of resource, declared once. Everything generic about the kind follows.
pub trait Resource: Sized + 'static {
    const INFO: &'static KindInfo;
    fn table(s: &RegionState) -> &Table<Self>;
    fn table_mut(s: &mut RegionState) -> &mut Table<Self>;
    fn id(&self) -> &str;
    fn tags(&self) -> &Tags;
    fn tags_mut(&mut self) -> &mut Tags;
    /// Whether EC2 still shows it (terminated instances past their retention, volumes
    /// and interfaces that went with their instance, do not count as existing).
    fn visible(&self, _: &View<'_>) -> bool {
        true
    }
    /// The ids it pins: while it is visible, none of them can be deleted.
    fn refs<'a>(&'a self, _: &View<'_>, _: &mut dyn FnMut(&'a str)) {}
    /// The resource it goes with: deleting the owner removes it (a VPC's default security
    /// group, a group's rules), and it never keeps its owner from being deleted.
    fn owner(&self) -> Option<&str> {
        None
    }
    /// Keeps the indexes over its table true once it has been taken out of it (the key
    /// pair name index, a group's rule order).
    fn removed(self, _: &mut RegionState) {}
}

/// The accessors every declaration has in common, for a record with `id` and `tags`
/// fields kept in the `RegionState` table `$table`: `stored_in!(vpcs);` inside the
/// `impl Resource`.
macro_rules! stored_in {
    ($table:ident) => {
        fn table(s: &$crate::store::RegionState) -> &$crate::store::Table<Self> {
            &s.$table
        }
        fn table_mut(s: &mut $crate::store::RegionState) -> &mut $crate::store::Table<Self> {
            &mut s.$table
        }
        fn id(&self) -> &str {
            &self.id
        }
        fn tags(&self) -> &$crate::store::Tags {
            &self.tags
        }
        fn tags_mut(&mut self) -> &mut $crate::store::Tags {
            &mut self.tags
        }
    };
}
pub(crate) use stored_in;

/// Something done with one kind's record type; [`Kind::visit`] calls it for a kind.
pub trait KindVisitor {
    type Out;
    fn visit<R: Resource>(self) -> Self::Out;
}

/// The list of kinds: `Variant => record type`. The one place a kind is named as a
/// whole; the compiler sends a new kind from here to everything it must provide.
macro_rules! kinds {
    ($($variant:ident => $record:ty),* $(,)?) => {
        /// The kinds of resource parlel-ec2 keeps.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind { $($variant),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            /// Runs `v` with this kind's record type.
            pub fn visit<V: KindVisitor>(self, v: V) -> V::Out {
                match self { $(Kind::$variant => v.visit::<$record>()),* }
            }
        }
    };
}

kinds! {
    Instance => Instance,
    Vpc => Vpc,
    Subnet => Subnet,
    SecurityGroup => SecurityGroup,
    SecurityGroupRule => SgRule,
    Image => Image,
    KeyPair => KeyPair,
    Volume => Volume,
    Snapshot => Snapshot,
    NetworkInterface => NetworkInterface,
    InternetGateway => InternetGateway,
    RouteTable => RouteTable,
    Address => Address,
    NatGateway => NatGateway,
    DhcpOptions => DhcpOptions,
    NetworkAcl => NetworkAcl,
    EgressOnlyInternetGateway => EgressOnlyInternetGateway,
    ManagedPrefixList => ManagedPrefixList,
    VpcEndpoint => VpcEndpoint,
    SubnetCidrReservation => SubnetCidrReservation,
    LaunchTemplate => LaunchTemplate,
}

impl Kind {
    pub fn info(self) -> &'static KindInfo {
        struct Info;
        impl KindVisitor for Info {
            type Out = &'static KindInfo;
            fn visit<R: Resource>(self) -> &'static KindInfo {
                R::INFO
            }
        }
        self.visit(Info)
    }

    /// The kind an id names, by its prefix (the part before the last `-`).
    pub fn of(id: &str) -> Option<Kind> {
        let prefix = id.rsplit_once('-')?.0;
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.info().prefix == prefix)
    }

    pub fn prefix(self) -> &'static str {
        self.info().prefix
    }

    pub fn resource_type(self) -> &'static str {
        self.info().resource_type
    }

    pub fn not_found(self, ids: &[impl AsRef<str>]) -> Ec2Error {
        self.info().not_found(ids)
    }

    pub fn check(self, id: &str) -> Result<(), Ec2Error> {
        self.info().check(id)
    }
}

/// One tag of one resource, as DescribeTags lists it.
pub struct TagRow<'a> {
    pub id: &'a str,
    pub kind: Kind,
    pub key: &'a str,
    pub value: &'a str,
}

impl<'a> View<'a> {
    /// The visible resource `id` of kind `R`, if there is one.
    pub fn find<R: Resource>(&self, id: &str) -> Option<&'a R> {
        R::table(self.state).get(id).filter(|r| r.visible(self))
    }

    /// The resource `id` of kind `R`: the kind's Malformed error for an id not shaped
    /// like one, its NotFound for one that is not there.
    pub fn get<R: Resource>(&self, id: &str) -> Result<&'a R, Ec2Error> {
        R::INFO.check(id)?;
        self.find(id).ok_or_else(|| R::INFO.not_found(&[id]))
    }

    /// Every id well-formed (the first that is not fails), then every id present: the
    /// missing ones are listed in one NotFound, as EC2 does.
    pub fn require_all<R: Resource>(&self, ids: &[String]) -> Result<(), Ec2Error> {
        for id in ids {
            R::INFO.check(id)?;
        }
        let mut missing: Vec<&str> = Vec::new();
        for id in ids {
            if self.find::<R>(id).is_none() && !missing.contains(&id.as_str()) {
                missing.push(id);
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(R::INFO.not_found(&missing))
        }
    }

    /// One page of a Describe: the visible resources `keep` accepts, of the explicit
    /// `ids` (looked up directly) or of the whole table, after the page's token.
    pub fn select<R: Resource>(
        &self,
        page: &Page,
        ids: &[String],
        keep: impl Fn(&R) -> bool,
    ) -> (Vec<&'a R>, Option<String>) {
        page.select(R::table(self.state), ids, |r| r.visible(self) && keep(r))
    }

    /// The common Describe: explicit ids checked ([`require_all`](Self::require_all)),
    /// then the page the input asks for ([`select`](Self::select)).
    pub fn describe<R: Resource, I: crate::wire::Paged>(
        &self,
        input: &I,
        ids: &[String],
        keep: impl Fn(&R) -> bool,
    ) -> Result<(Vec<&'a R>, Option<String>), Ec2Error> {
        self.require_all::<R>(ids)?;
        let page = Page::of(input)?;
        Ok(self.select(&page, ids, keep))
    }

    /// [`describe`](Self::describe) with `filters`, through the tag index when a tag
    /// filter narrows the candidates (the cost then follows the tagged resources).
    pub fn filtered<R: Resource, I: crate::wire::Paged>(
        &self,
        input: &I,
        ids: &[String],
        filters: &crate::describe::filter::Filters<R>,
    ) -> Result<(Vec<&'a R>, Option<String>), Ec2Error> {
        self.require_all::<R>(ids)?;
        let page = Page::of(input)?;
        let table = R::table(self.state);
        let keep = |r: &R| r.visible(self) && filters.matches(r, self);
        if ids.is_empty() {
            if let Some(among) = filters.candidates(table) {
                let out = page.select_among(table, &among, keep);
                // Debug builds check the index against the scan it stands for.
                debug_assert!(
                    {
                        let scan = page.select(table, ids, keep);
                        let id_list =
                            |v: &[&R]| v.iter().map(|r| r.id().to_string()).collect::<Vec<_>>();
                        id_list(&scan.0) == id_list(&out.0) && scan.1 == out.1
                    },
                    "the tag index disagrees with a scan"
                );
                return Ok(out);
            }
        }
        Ok(page.select(table, ids, keep))
    }

    /// The stored id and tags of any visible resource, by id.
    pub fn tags_of(&self, id: &str) -> Option<(Kind, &'a str, &'a Tags)> {
        struct TagsOf<'v, 'a>(&'v View<'a>, &'v str);
        impl<'a> KindVisitor for TagsOf<'_, 'a> {
            type Out = Option<(&'a str, &'a Tags)>;
            fn visit<R: Resource>(self) -> Self::Out {
                self.0.find::<R>(self.1).map(|r| (r.id(), r.tags()))
            }
        }
        let kind = Kind::of(id)?;
        let (id, tags) = kind.visit(TagsOf(self, id))?;
        Some((kind, id, tags))
    }

    /// Every tag of every visible resource, ordered by resource id then key.
    pub fn all_tags(&self) -> Vec<TagRow<'a>> {
        struct Rows<'v, 'a>(&'v View<'a>, Kind, &'v mut Vec<TagRow<'a>>);
        impl<'a> KindVisitor for Rows<'_, 'a> {
            type Out = ();
            fn visit<R: Resource>(self) {
                let Rows(view, kind, rows) = self;
                for r in R::table(view.state).values().filter(|r| r.visible(view)) {
                    rows.extend(r.tags().iter().map(|(k, v)| TagRow {
                        id: r.id(),
                        kind,
                        key: k,
                        value: v,
                    }));
                }
            }
        }
        let mut rows = Vec::new();
        for &kind in Kind::ALL {
            kind.visit(Rows(self, kind, &mut rows));
        }
        rows.sort_by(|a, b| (a.id, a.key).cmp(&(b.id, b.key)));
        rows
    }

    /// `id` and everything that goes with it: what it owns, and what that owns.
    pub fn owned_by(&self, id: &str) -> HashSet<&'a str> {
        struct Owned<'v, 'a>(&'v View<'a>, &'v mut HashSet<&'a str>, &'v mut bool);
        impl<'a> KindVisitor for Owned<'_, 'a> {
            type Out = ();
            fn visit<R: Resource>(self) {
                let Owned(view, set, grew) = self;
                for r in R::table(view.state).values() {
                    if r.owner().is_some_and(|o| set.contains(o)) && set.insert(r.id()) {
                        *grew = true;
                    }
                }
            }
        }
        let mut set = HashSet::new();
        set.insert(self.find_any_id(id).unwrap_or_default());
        // Ownership is a shallow tree (VPC → default group → its rules): a few passes.
        loop {
            let mut grew = false;
            for &kind in Kind::ALL {
                kind.visit(Owned(self, &mut set, &mut grew));
            }
            if !grew {
                break;
            }
        }
        set.remove("");
        set
    }

    fn find_any_id(&self, id: &str) -> Option<&'a str> {
        struct Stored<'v, 'a>(&'v View<'a>, &'v str);
        impl<'a> KindVisitor for Stored<'_, 'a> {
            type Out = Option<&'a str>;
            fn visit<R: Resource>(self) -> Self::Out {
                R::table(self.0.state).get(self.1).map(|r| r.id())
            }
        }
        Kind::of(id)?.visit(Stored(self, id))
    }

    /// Whether any visible resource outside `owned` refers to `id`.
    pub fn referenced(&self, id: &str, owned: &HashSet<&str>) -> bool {
        struct Refers<'v, 'a>(&'v View<'a>, &'v str, &'v HashSet<&'v str>);
        impl KindVisitor for Refers<'_, '_> {
            type Out = bool;
            fn visit<R: Resource>(self) -> bool {
                let Refers(view, id, owned) = self;
                R::table(view.state)
                    .values()
                    .filter(|r| !owned.contains(r.id()) && r.visible(view))
                    .any(|r| {
                        let mut hit = false;
                        r.refs(view, &mut |x| hit |= x == id);
                        hit
                    })
            }
        }
        Kind::ALL.iter().any(|k| k.visit(Refers(self, id, owned)))
    }

    /// The check before deleting `id` of kind `R`: the kind's in-use error while anything
    /// it does not own refers to it or to what it owns. Returns what the delete removes.
    pub fn deletable<R: Resource>(&self, id: &str) -> Result<Vec<String>, Ec2Error> {
        let owned = self.owned_by(id);
        if owned.iter().any(|o| self.referenced(o, &owned)) {
            return Err(match &R::INFO.in_use {
                Some(e) => e.error(id),
                None => Ec2Error::new(
                    "DependencyViolation",
                    format!("resource {id} has a dependent object"),
                ),
            });
        }
        Ok(owned.into_iter().map(str::to_string).collect())
    }
}

impl RegionState {
    /// The tags of any stored resource, by id (visibility is the caller's check).
    pub fn tags_mut(&mut self, id: &str) -> Option<&mut Tags> {
        struct TagsMut<'s, 'i>(&'s mut RegionState, &'i str);
        impl<'s> KindVisitor for TagsMut<'s, '_> {
            type Out = Option<&'s mut Tags>;
            fn visit<R: Resource>(self) -> Self::Out {
                R::table_mut(self.0).get_mut(self.1).map(|r| r.tags_mut())
            }
        }
        Kind::of(id)?.visit(TagsMut(self, id))
    }

    /// Brings every table's tag index up to the writes made since the last call (the end
    /// of each request that wrote; see `store::table`).
    pub fn reindex(&mut self) {
        struct Reindex<'s>(&'s mut RegionState);
        impl KindVisitor for Reindex<'_> {
            type Out = ();
            fn visit<R: Resource>(self) {
                R::table_mut(self.0).reindex();
            }
        }
        for &kind in Kind::ALL {
            kind.visit(Reindex(self));
        }
    }

    /// Removes resources by id, whatever their kind (the list [`View::deletable`] gave).
    pub fn remove_all(&mut self, ids: &[String]) {
        struct Remove<'s>(&'s mut RegionState, &'s str);
        impl KindVisitor for Remove<'_> {
            type Out = ();
            fn visit<R: Resource>(self) {
                if let Some(r) = R::table_mut(self.0).remove(self.1) {
                    r.removed(self.0);
                }
            }
        }
        for id in ids {
            if let Some(kind) = Kind::of(id) {
                kind.visit(Remove(self, id));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fill_puts_the_id_in_each_placeholder_and_leaves_other_braces() {
        assert_eq!(
            super::fill("The instance ID '{id}' does not exist", "i-1"),
            "The instance ID 'i-1' does not exist"
        );
        assert_eq!(super::fill("'{ids}' and {id} {x}", "a"), "'a' and a {x}");
        assert_eq!(super::fill("none", "a"), "none");
    }
}
