//! Response writers: typed output structures to EC2 Query XML.

use super::names::{list_item_name, snake, xml_name};
use super::smithy::{Member, ShapeKind, Simple};
use super::{field_ident, Cx};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub fn emit(cx: &Cx) -> TokenStream {
    let fns = cx.structures_in(&cx.outputs).map(|(id, members)| {
        let f = write_fn(cx, id);
        let ty = cx.type_ident(id);
        let body = members.iter().map(|m| {
            let field = field_ident(m);
            let name = xml_name(m);
            let write = element(cx, m, &name, quote!(x), 0);
            if Cx::is_required(m) {
                quote! { { let x = &v.#field; #write } }
            } else {
                quote! { if let Some(x) = &v.#field { #write } }
            }
        });
        let doc = format!(" Writes the members of `{id}` as child elements.");
        let rendered = cx.items.contains(id).then(|| {
            let r = Ident::new(super::emit_types::RENDERED, Span::call_site());
            quote! {
                if let Some(r) = &v.#r {
                    w.splice(r);
                    return;
                }
            }
        });
        quote! {
            #[doc = #doc]
            pub fn #f(w: &mut XmlOut, v: &#ty) {
                #rendered
                #(#body)*
            }
        }
    });
    quote! {
        use super::types::*;
        use parlel_ec2::wire::xml::XmlOut;
        #(#fns)*
    }
}

pub fn write_fn(cx: &Cx, id: &str) -> Ident {
    Ident::new(
        &format!("write_{}", snake(&cx.names[id])),
        Span::call_site(),
    )
}

/// Statements that write `value` (a reference) as the element `name`.
fn element(cx: &Cx, m: &Member, name: &str, value: TokenStream, depth: usize) -> TokenStream {
    // A member's `xmlNamespace` becomes an `xmlns` (or `xmlns:prefix`) on its element.
    let ns = namespace(m);
    let open = match &ns {
        Some((attr, uri)) => quote! { w.start(#name); w.attribute(#attr, #uri); },
        None => quote! { w.start(#name); },
    };
    match cx.m.kind(&m.target) {
        ShapeKind::Simple(Simple::Timestamp) => {
            let fmt = cx.timestamp_format(m);
            match ns {
                Some(_) => quote! { #open w.text(#value.format(#fmt).as_str()); w.end(); },
                None => quote!(w.timestamp(#name, #value, #fmt);),
            }
        }
        ShapeKind::Simple(_) | ShapeKind::Enum(_) => {
            let text = match cx.m.kind(&m.target) {
                ShapeKind::Enum(_) => quote!(#value.as_str()),
                _ => value,
            };
            match ns {
                Some(_) => quote! { #open w.text(#text); w.end(); },
                None => quote!(w.scalar(#name, #text);),
            }
        }
        ShapeKind::Structure(_) => {
            let f = write_fn(cx, &m.target);
            quote! { #open #f(w, #value); w.end(); }
        }
        ShapeKind::List(item) => {
            let var = Ident::new(&format!("i{depth}"), Span::call_site());
            if m.traits.has("smithy.api#xmlFlattened") {
                // No wrapper: every item is an element named like the member itself.
                let inner = element(cx, &item, name, quote!(#var), depth + 1);
                return quote! { for #var in #value.iter() { #inner } };
            }
            let item_name = list_item_name(&item);
            let inner = element(cx, &item, &item_name, quote!(#var), depth + 1);
            quote! { #open for #var in #value.iter() { #inner } w.end(); }
        }
        other => panic!("{other:?} cannot be a member"),
    }
}

/// `(attribute, uri)` of a member's `xmlNamespace` trait.
fn namespace(m: &Member) -> Option<(String, String)> {
    let t = m.traits.0.get("smithy.api#xmlNamespace")?;
    let uri = t
        .get("uri")
        .and_then(|u| u.as_str())
        .expect("xmlNamespace uri");
    let attr = match t.get("prefix").and_then(|p| p.as_str()) {
        Some(p) => format!("xmlns:{p}"),
        None => "xmlns".to_string(),
    };
    Some((attr, uri.to_string()))
}
