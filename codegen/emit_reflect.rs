//! `Reflect` impls: every structure and enum to and from `parlel_ec2::wire::value::Value`,
//! keyed by model member names. The contract tests compare these with values they build
//! from the model on their own.

use super::smithy::ShapeKind;
use super::{field_ident, lit, Cx};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit(cx: &Cx) -> TokenStream {
    let impls = cx.names.keys().map(|id| {
        let ty = cx.type_ident(id);
        match &cx.m.shape(id).kind {
            ShapeKind::Enum(_) => quote! {
                impl Reflect for #ty {
                    fn to_value(&self) -> Value { Value::Str(self.as_str().to_string()) }
                    fn from_value(v: &Value) -> Option<Self> { v.as_str().map(Self::from) }
                }
            },
            ShapeKind::Structure(members) => {
                let to = members.iter().map(|m| {
                    let f = field_ident(m);
                    let n = lit(&m.name);
                    if Cx::is_required(m) {
                        quote! { out.push((#n, self.#f.to_value())); }
                    } else {
                        quote! { if let Some(x) = &self.#f { out.push((#n, x.to_value())); } }
                    }
                });
                let from = members.iter().map(|m| {
                    let f = field_ident(m);
                    let n = lit(&m.name);
                    if Cx::is_required(m) {
                        quote! { #f: Reflect::from_value(v.member(#n)?)? }
                    } else {
                        quote! { #f: match v.member(#n) { Some(x) => Some(Reflect::from_value(x)?), None => None } }
                    }
                });
                let unrendered = cx.unrendered(id);
                quote! {
                    impl Reflect for #ty {
                        fn to_value(&self) -> Value {
                            #[allow(unused_mut)]
                            let mut out: Vec<(&'static str, Value)> = Vec::new();
                            #(#to)*
                            Value::Struct(out)
                        }
                        fn from_value(v: &Value) -> Option<Self> {
                            v.as_struct()?;
                            Some(Self { #(#from,)* #unrendered })
                        }
                    }
                }
            }
            _ => unreachable!(),
        }
    });
    quote! {
        use super::types::*;
        use parlel_ec2::wire::value::{Reflect, Value};
        #(#impls)*
    }
}
