//! Structs for structure shapes, enums for enum shapes, and aliases for shared I/O shapes.

use super::names::{camel, local};
use super::smithy::ShapeKind;
use super::{field_ident, lit, Cx};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

pub fn emit(cx: &Cx) -> TokenStream {
    let mut items = Vec::new();
    // The text of the kept shapes' declarations, in id order: what their layout in a
    // snapshot follows from.
    let mut kept_text = String::new();
    for (id, name) in &cx.names {
        let kept = cx.kept.contains(id);
        let item = match &cx.m.shape(id).kind {
            ShapeKind::Structure(members) => structure(cx, id, name, members),
            ShapeKind::Enum(values) => enumeration(id, name, values, kept),
            _ => unreachable!(),
        };
        if kept {
            kept_text.push_str(&item.to_string());
        }
        items.push(item);
        if let ShapeKind::Structure(members) = &cx.m.shape(id).kind {
            if cx.m.shape(id).traits.has("smithy.api#error") {
                items.push(error_conversion(cx, id, name, members));
            }
        }
    }
    let layout = fnv1a(kept_text.as_bytes());
    items.push(quote! {
        /// A fingerprint of the declarations of the shapes the emulator's state keeps
        /// (serde's traits are derived for them): a snapshot written with other ones is
        /// not read.
        pub const KEPT_LAYOUT: u64 = #layout;
    });
    for op in &cx.ops {
        for (shape, ty, what) in [
            (&op.input, &op.input_ty, "input"),
            (&op.output, &op.output_ty, "output"),
        ] {
            let alias = Ident::new(ty, Span::call_site());
            match shape {
                Some(s) if cx.names[s] != *ty => {
                    let target = cx.type_ident(s);
                    let doc = format!(
                        " The {what} of `{}`, shared with other uses of `{}`.",
                        op.name,
                        local(s)
                    );
                    items.push(quote! { #[doc = #doc] pub type #alias = #target; });
                }
                Some(_) => {}
                None => {
                    let doc = format!(" The {what} of `{}`: the model declares none.", op.name);
                    items.push(quote! {
                        #[doc = #doc]
                        #[derive(Debug, Clone, Default, PartialEq)]
                        pub struct #alias {}
                    });
                }
            }
        }
    }
    quote! { #(#items)* }
}

fn structure(cx: &Cx, id: &str, name: &str, members: &[super::smithy::Member]) -> TokenStream {
    let ty = Ident::new(name, Span::call_site());
    let doc = format!(" `{id}`");
    let fields = members.iter().map(|m| {
        let f = field_ident(m);
        let mut t = cx.rust_type(&m.target);
        if cx.is_boxed(id, &m.name) {
            t = quote!(Box<#t>);
        }
        if !Cx::is_required(m) {
            t = quote!(Option<#t>);
        }
        let doc = format!(
            " `{}`: query key `{}`, element `{}`{}.",
            m.name,
            super::names::query_key(m),
            super::names::xml_name(m),
            if Cx::is_required(m) { ", required" } else { "" }
        );
        quote! { #[doc = #doc] pub #f: #t }
    });
    let kept = cx.kept.contains(id);
    let rendered = cx.items.contains(id).then(|| {
        assert!(
            members.iter().all(|m| field_ident(m) != RENDERED),
            "{id} has a member named like the rendered field"
        );
        let f = Ident::new(RENDERED, Span::call_site());
        // A cache's copy, never state.
        let skip = kept.then(|| quote!(#[serde(skip)]));
        quote! {
            /// This item's members already written as XML (`XmlOut::render`); when set,
            /// the writer copies them in and reads no other field.
            #skip
            pub #f: Option<parlel_ec2::wire::xml::Rendered>,
        }
    });
    let derive = if kept {
        quote!(#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)])
    } else {
        quote!(#[derive(Debug, Clone, Default, PartialEq)])
    };
    quote! {
        #[doc = #doc]
        #derive
        pub struct #ty { #(#fields,)* #rendered }
    }
}

/// FNV-1a, 64 bits: a fingerprint that stays the same across toolchains (std's hashers
/// promise no such thing).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The field of a list item structure that can carry its members pre-rendered: a cache
/// of rendered items (hand-written, where EC2 behaviour lives) fills it; the generated
/// writer honours it. Not a model member, so the query and reflect sides never see it.
pub const RENDERED: &str = "rendered";

/// An error structure becomes the one error type: its shape name is the code, its
/// `message` member (any case) the message. Other members have no place in EC2's envelope.
fn error_conversion(
    cx: &Cx,
    id: &str,
    name: &str,
    members: &[super::smithy::Member],
) -> TokenStream {
    let ty = Ident::new(name, Span::call_site());
    let code = local(id);
    let message = members.iter().find(|m| {
        m.name.eq_ignore_ascii_case("message")
            && cx.m.simple(&m.target) == Some(super::smithy::Simple::String)
    });
    let (arg, message) = match message {
        Some(m) if Cx::is_required(m) => {
            let f = field_ident(m);
            (quote!(e), quote!(e.#f))
        }
        Some(m) => {
            let f = field_ident(m);
            (quote!(e), quote!(e.#f.unwrap_or_default()))
        }
        None => (quote!(_), quote!(String::new())),
    };
    quote! {
        impl From<#ty> for parlel_ec2::Ec2Error {
            fn from(#arg: #ty) -> Self { parlel_ec2::Ec2Error::new(#code, #message) }
        }
    }
}

fn enumeration(
    id: &str,
    name: &str,
    values: &[super::smithy::EnumMember],
    kept: bool,
) -> TokenStream {
    let ty = Ident::new(name, Span::call_site());
    let mut used = BTreeSet::new();
    let variants: Vec<(Ident, &str)> = values
        .iter()
        .map(|v| {
            let base = camel(&v.name);
            let mut n = base.clone();
            let mut i = 2;
            while n == "Unknown" || !used.insert(n.clone()) {
                n = format!("{base}V{i}");
                i += 1;
            }
            (Ident::new(&n, Span::call_site()), v.value.as_str())
        })
        .collect();
    let decl = variants.iter().map(|(v, value)| {
        let doc = format!(" `{value}`");
        quote! { #[doc = #doc] #v }
    });
    let to_str = variants
        .iter()
        .map(|(v, value)| quote! { Self::#v => #value });
    let from_str = variants
        .iter()
        .map(|(v, value)| quote! { #value => Self::#v });
    let all = variants.iter().map(|(_, value)| lit(value));
    let doc = format!(" `{id}`. Values the model does not list are kept in `Unknown`.");
    // Kept in state: written as its wire value, so an unknown value survives too.
    let serde = kept.then(|| {
        quote! {
            impl serde::Serialize for #ty {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(self.as_str())
                }
            }
            impl<'de> serde::Deserialize<'de> for #ty {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                    Ok(Self::from(s.as_ref()))
                }
            }
        }
    });
    quote! {
        #serde
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #ty {
            #(#decl,)*
            /// A value the model does not list, kept as sent.
            Unknown(String),
        }
        impl #ty {
            /// Every value the model lists, in model order.
            pub const VALUES: &'static [&'static str] = &[#(#all),*];
            pub fn as_str(&self) -> &str {
                match self { #(#to_str,)* Self::Unknown(s) => s }
            }
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }
        impl From<&str> for #ty {
            fn from(s: &str) -> Self {
                match s { #(#from_str,)* other => Self::Unknown(other.to_string()) }
            }
        }
        impl Default for #ty {
            fn default() -> Self { Self::Unknown(String::new()) }
        }
        impl std::fmt::Display for #ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    }
}
