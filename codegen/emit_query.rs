//! Request parsers: EC2 Query parameters (a `parlel_ec2::wire::query::Node` tree) to the
//! typed structures of operation inputs.

use super::names::{message_name, query_key, snake};
use super::smithy::{Member, ShapeKind, Simple};
use super::{field_ident, Cx};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub fn emit(cx: &Cx) -> TokenStream {
    let fns = cx.structures_in(&cx.inputs).map(|(id, members)| {
        let f = parse_fn(cx, id);
        let ty = cx.type_ident(id);
        let fields = members.iter().map(|m| {
            let field = field_ident(m);
            let key = query_key(m);
            let name = message_name(id, m);
            let mut item = item_parser(cx, m, !Cx::handler_checks_length(id, &m.name));
            if cx.is_boxed(id, &m.name) {
                item = quote!(|c: &Node, p: &str| (#item)(c, p).map(Box::new));
            }
            let call = if Cx::handler_checks_presence(id, &m.name) {
                quote!(q::req_or_default)
            } else if Cx::is_required(m) {
                quote!(q::req)
            } else {
                quote!(q::opt)
            };
            quote! { #field: #call(n, #key, #name, #item)? }
        });
        let doc = format!(" Parses `{id}` from the parameters under one prefix.");
        let unrendered = cx.unrendered(id);
        quote! {
            #[doc = #doc]
            pub fn #f(n: &Node, _name: &str) -> Result<#ty, Ec2Error> {
                Ok(#ty { #(#fields,)* #unrendered })
            }
        }
    });
    quote! {
        use super::types::*;
        use parlel_ec2::wire::query::{self as q, Node};
        use parlel_ec2::Ec2Error;
        #(#fns)*
    }
}

pub fn parse_fn(cx: &Cx, id: &str) -> Ident {
    Ident::new(
        &format!("parse_{}", snake(&cx.names[id])),
        Span::call_site(),
    )
}

/// An expression of type `impl Fn(&Node, &str) -> Result<T, Ec2Error>` for a member's value.
/// `lengths`: whether to check the model's `length` trait (not where the handler does).
fn item_parser(cx: &Cx, m: &Member, lengths: bool) -> TokenStream {
    let traits = cx.m.target_traits(&m.target);
    let bounds = |name: &str| {
        if !lengths && name == "smithy.api#length" {
            return None;
        }
        m.traits
            .bounds(name)
            .or_else(|| traits.bounds(name))
            .map(|(lo, hi)| {
                let lo = opt_i64(lo);
                let hi = opt_i64(hi);
                (lo, hi)
            })
    };
    match cx.m.kind(&m.target) {
        ShapeKind::Simple(s) => {
            let base = match s {
                Simple::String => quote!(q::string),
                Simple::Boolean => quote!(q::boolean),
                Simple::Byte => quote!(q::byte),
                Simple::Short => quote!(q::short),
                Simple::Integer => quote!(q::integer),
                Simple::Long => quote!(q::long),
                Simple::Float => quote!(q::float),
                Simple::Double => quote!(q::double),
                Simple::Blob => quote!(q::blob),
                Simple::Timestamp => {
                    let fmt = cx.timestamp_format(m);
                    return quote!(|c: &Node, p: &str| q::timestamp(c, p, #fmt));
                }
            };
            match (s, bounds("smithy.api#range"), bounds("smithy.api#length")) {
                (
                    Simple::Byte | Simple::Short | Simple::Integer | Simple::Long,
                    Some((lo, hi)),
                    _,
                ) => quote! {
                    |c: &Node, p: &str| { let v = #base(c, p)?; q::range(i64::from(v), #lo, #hi, p)?; Ok(v) }
                },
                (Simple::String, _, Some((lo, hi))) => quote! {
                    |c: &Node, p: &str| { let v = #base(c, p)?; q::length(v.chars().count(), #lo, #hi, p)?; Ok(v) }
                },
                _ => base,
            }
        }
        ShapeKind::Enum(_) => {
            let t = cx.type_ident(&m.target);
            quote!(|c: &Node, p: &str| q::string(c, p).map(|s| #t::from(s.as_str())))
        }
        ShapeKind::Structure(_) => {
            let f = parse_fn(cx, &m.target);
            quote!(#f)
        }
        ShapeKind::List(item) => {
            let inner = item_parser(cx, &item, true);
            let length = bounds("smithy.api#length");
            match length {
                Some((lo, hi)) => {
                    quote!(|c: &Node, p: &str| { let v = q::list(c, p, #inner)?; q::length(v.len(), #lo, #hi, p)?; Ok(v) })
                }
                None => quote!(|c: &Node, p: &str| q::list(c, p, #inner)),
            }
        }
        other => panic!("{other:?} cannot be a member"),
    }
}

fn opt_i64(v: Option<i64>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}
