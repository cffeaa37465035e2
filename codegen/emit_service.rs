//! The service surface: the handler trait, the `Request`/`Response` enums that dispatch on
//! `Action`, the list of every operation name, and per-operation facts the model holds
//! (documented filter names, pagination members and bounds).

use super::emit_query::parse_fn;
use super::emit_xml::write_fn;
use super::names::{camel, ident, local, snake};
use super::smithy::{ShapeKind, Simple};
use super::{field_ident, lit, Cx};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub fn emit(cx: &Cx) -> TokenStream {
    let m = cx.m;
    let trait_name = Ident::new(&camel(&m.sdk_id), Span::call_site());
    let version = &m.version;
    let namespace = &m.xml_namespace;
    let all_ops = m.all_operations.iter().map(|o| lit(o));

    let mut methods = Vec::new();
    let mut req_variants = Vec::new();
    let mut resp_variants = Vec::new();
    let mut parse_arms = Vec::new();
    let mut action_arms = Vec::new();
    let mut dry_run_arms = Vec::new();
    let mut call_arms = Vec::new();
    let mut xml_arms = Vec::new();
    let mut resp_action_arms = Vec::new();
    let mut filter_arms = Vec::new();
    let mut paging_arms = Vec::new();
    let mut paged_impls = Vec::new();

    for op in &cx.ops {
        let v = Ident::new(&op.name, Span::call_site());
        let method = ident(&snake(&op.name));
        let input = Ident::new(&op.input_ty, Span::call_site());
        let output = Ident::new(&op.output_ty, Span::call_site());
        let name = &op.name;
        let doc = format!(" `{name}`");
        methods.push(quote! {
            #[doc = #doc]
            fn #method(&self, cx: &mut C, input: #input) -> Result<#output, Ec2Error>;
        });
        req_variants.push(quote!(#v(#input)));
        resp_variants.push(quote!(#v(#output)));
        parse_arms.push(match &op.input {
            Some(i) => {
                let f = parse_fn(cx, i);
                quote!(#name => Ok(Self::#v(query::#f(params, "")?)))
            }
            None => quote!(#name => Ok(Self::#v(#input {}))),
        });
        action_arms.push(quote!(Self::#v(_) => #name));
        resp_action_arms.push(quote!(Self::#v(_) => #name));
        let has_dry_run = op.input.as_ref().is_some_and(|i| match &m.shape(i).kind {
            ShapeKind::Structure(ms) => ms
                .iter()
                .any(|mm| mm.name == "DryRun" && m.simple(&mm.target) == Some(Simple::Boolean)),
            _ => false,
        });
        dry_run_arms.push(if has_dry_run {
            quote!(Self::#v(i) => i.dry_run == Some(true))
        } else {
            quote!(Self::#v(_) => false)
        });
        call_arms.push(quote!(Self::#v(i) => h.#method(cx, i).map(Response::#v)));
        xml_arms.push(match &op.output {
            Some(o) => {
                let f = write_fn(cx, o);
                quote!(Self::#v(o) => xml::#f(w, o))
            }
            // EC2 answers operations without a modelled output with `<return>true</return>`.
            None => quote!(Self::#v(_) => w.scalar("return", &true)),
        });

        if let Some(filters) = documented_filters(cx, op.input.as_deref()) {
            let names = filters.iter().map(|f| lit(f));
            filter_arms.push(quote!(#name => &[#(#names),*]));
        }
        if let Some(p) = m.shape(&op.id).traits.0.get("smithy.api#paginated") {
            let s = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or("");
            let (input_token, output_token, page_size, items) =
                (s("inputToken"), s("outputToken"), s("pageSize"), s("items"));
            let bounds = op.input.as_ref().and_then(|i| match &m.shape(i).kind {
                ShapeKind::Structure(ms) => {
                    ms.iter().find(|mm| mm.name == page_size).and_then(|mm| {
                        mm.traits
                            .bounds("smithy.api#range")
                            .or_else(|| m.target_traits(&mm.target).bounds("smithy.api#range"))
                    })
                }
                _ => None,
            });
            let opt = |v: Option<i64>| match v {
                Some(v) => quote!(Some(#v)),
                None => quote!(None),
            };
            let (min, max) = bounds
                .map(|(a, b)| (opt(a), opt(b)))
                .unwrap_or((quote!(None), quote!(None)));
            paging_arms.push(quote! {
                #name => Some(#input::PAGING)
            });
            // The paging facts as constants of the input type, the page-size and token
            // members as accessors, and a fingerprint of every other member (a token is
            // only good for the request that produced it).
            let members = match op.input.as_ref().map(|i| &m.shape(i).kind) {
                Some(ShapeKind::Structure(ms)) => ms.as_slice(),
                _ => &[],
            };
            let member = |wire: &str| members.iter().find(|mm| mm.name == wire).map(field_ident);
            let (Some(size_f), Some(token_f)) = (member(page_size), member(input_token)) else {
                panic!("{name}: paginated without its {page_size} / {input_token} members");
            };
            let others = members
                .iter()
                .filter(|mm| ![page_size, input_token, "DryRun"].contains(&mm.name.as_str()))
                .map(field_ident);
            paged_impls.push(quote! {
                impl Paged for #input {
                    const PAGING: Paging = Paging { input_token: #input_token, output_token: #output_token, page_size: #page_size, items: #items, min: #min, max: #max };
                    fn page_size(&self) -> Option<i32> { self.#size_f }
                    fn page_token(&self) -> Option<&str> { self.#token_f.as_deref() }
                    fn fingerprint(&self) -> u64 {
                        parlel_ec2::wire::fingerprint(&[#(&self.#others as &dyn std::fmt::Debug),*])
                    }
                }
            });
        }
    }

    let trait_doc = format!(
        " The operations of `{}`, one method per operation in the model. Implemented by hand.",
        local(&m.service.id)
    );
    quote! {
        use super::types::*;
        use super::{query, xml};
        use parlel_ec2::wire::query::Node;
        use parlel_ec2::wire::xml::XmlOut;
        use parlel_ec2::wire::{Paged, Paging};
        use parlel_ec2::Ec2Error;

        /// The API version every request must name.
        pub const SERVICE_VERSION: &str = #version;
        /// The namespace of every response document.
        pub const XML_NAMESPACE: &str = #namespace;
        /// Every operation the real service has, sorted: tells an unsupported operation
        /// from an action that does not exist.
        pub const ALL_OPERATIONS: &[&str] = &[#(#all_ops),*];

        #[doc = #trait_doc]
        pub trait #trait_name<C> {
            #(#methods)*
        }

        /// A parsed request: one variant per supported operation.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Request { #(#req_variants,)* }

        /// A handler's answer: one variant per supported operation.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Response { #(#resp_variants,)* }

        impl Request {
            /// Parses the parameters of `action`. An action outside the model is
            /// `UnsupportedOperation` when the real service has it, else `InvalidAction`.
            pub fn parse(action: &str, params: &Node) -> Result<Self, Ec2Error> {
                match action {
                    #(#parse_arms,)*
                    other => Err(if ALL_OPERATIONS.binary_search(&other).is_ok() {
                        Ec2Error::unsupported_operation(other)
                    } else {
                        Ec2Error::invalid_action(other)
                    }),
                }
            }
            pub fn action(&self) -> &'static str {
                match self { #(#action_arms,)* }
            }
            /// Whether the request carries `DryRun=true`.
            pub fn dry_run(&self) -> bool {
                match self { #(#dry_run_arms,)* }
            }
            /// Hands the input to its handler method.
            pub fn call<C, H: #trait_name<C>>(self, h: &H, cx: &mut C) -> Result<Response, Ec2Error> {
                match self { #(#call_arms,)* }
            }
        }

        impl Response {
            pub fn action(&self) -> &'static str {
                match self { #(#resp_action_arms,)* }
            }
            /// The response document: `<{Action}Response xmlns=…><requestId>…` then the members.
            pub fn to_xml(&self, request_id: &str) -> String {
                let mut w = XmlOut::response(self.action(), XML_NAMESPACE, request_id);
                self.write_members(&mut w);
                w.finish()
            }
            fn write_members(&self, w: &mut XmlOut) {
                match self { #(#xml_arms,)* }
            }
        }

        /// The filter names that the model documents for an operation's `Filters` member.
        pub fn documented_filters(action: &str) -> &'static [&'static str] {
            match action { #(#filter_arms,)* _ => &[] }
        }

        /// Pagination members and `MaxResults` bounds of a paginated operation.
        pub fn paging(action: &str) -> Option<Paging> {
            match action { #(#paging_arms,)* _ => None }
        }

        #(#paged_impls)*
    }
}

/// Filter names are documented, not modelled: each is the `<code>` that opens an `<li>` of
/// the input's `Filters` member documentation.
fn documented_filters(cx: &Cx, input: Option<&str>) -> Option<Vec<String>> {
    let ShapeKind::Structure(ms) = &cx.m.shape(input?).kind else {
        return None;
    };
    // The member is `Filters` everywhere but DescribeNatGateways, where it is `Filter`.
    let doc = ms
        .iter()
        .find(|mm| mm.name == "Filters" || mm.name == "Filter")?
        .traits
        .str("smithy.api#documentation")?;
    let mut names = Vec::new();
    for li in doc.split("<li>").skip(1) {
        let rest = li.trim_start().trim_start_matches("<p>").trim_start();
        if let Some(code) = rest.strip_prefix("<code>") {
            if let Some(end) = code.find("</code>") {
                let name = code[..end]
                    .trim()
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&");
                if !name.is_empty() && !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    Some(names)
}
