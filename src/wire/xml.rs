//! The response side of the EC2 Query protocol: an `xmlwriter` document with EC2's root
//! element, `requestId`, scalar formatting and the error envelope.
//!
//! xmlwriter 0.1 escapes only `<` in text, so every string goes through [`escape`] first:
//! `&`, `<`, `>`, a carriage return (which XML parsers would otherwise normalise away) and
//! the other C0 controls become references.

use super::{Blob, Timestamp, TimestampFormat};
use std::borrow::Cow;
use std::sync::Arc;
use xmlwriter::{Indent, Options, XmlWriter};

const OPTIONS: Options = Options {
    use_single_quote: false,
    indent: Indent::None,
    attributes_indent: Indent::None,
};

/// A response document being written.
pub struct XmlOut {
    w: XmlWriter,
    /// Items already rendered, in document order: each stands where the writer holds a
    /// NUL, a byte no escaped text or name can contain (see [`escape`]).
    splices: Vec<Rendered>,
    /// Whether [`finish`](Self::finish) puts [`DECLARATION`] first (a whole document).
    declared: bool,
}

/// What xmlwriter's `write_declaration` writes, a constant: put in front when a document
/// is finished instead of written anew for each one (checked against xmlwriter's own in
/// the tests below).
const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#;

/// The members of one item (a Describe's resource), written as XML once by
/// [`XmlOut::render`] and copied into every response that shows the item unchanged. An
/// item can hold items rendered before it (a reservation its instances): they are shared,
/// not copied, and put in place when the response is finished.
#[derive(Debug, Clone)]
pub struct Rendered(Arc<Fragment>);

#[derive(Debug)]
struct Fragment {
    /// The XML without its parts.
    text: Box<str>,
    /// Each part and where in `text` it goes, in order.
    parts: Box<[(usize, Rendered)]>,
    /// The length with every part in place.
    len: usize,
}

impl Rendered {
    /// The length of the XML, items within included.
    pub fn len(&self) -> usize {
        self.0.len
    }

    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }

    /// The XML written out whole.
    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(self.len());
        self.write_to(&mut out);
        out
    }

    fn write_to(&self, out: &mut String) {
        let f = &*self.0;
        let mut from = 0;
        for (at, part) in f.parts.iter() {
            out.push_str(&f.text[from..*at]);
            part.write_to(out);
            from = *at;
        }
        out.push_str(&f.text[from..]);
    }
}

/// Two items are equal when their XML is, however it is held.
impl PartialEq for Rendered {
    fn eq(&self, other: &Rendered) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.to_xml() == other.to_xml()
    }
}
impl Eq for Rendered {}

/// What a spliced item stands on in the writer's buffer until [`XmlOut::finish`].
const SPLICE: char = '\0';

impl XmlOut {
    /// `<?xml …?><{action}Response xmlns="{namespace}"><requestId>{id}</requestId>`.
    pub fn response(action: &str, namespace: &str, request_id: &str) -> XmlOut {
        // Room for a typical answer up front; large ones grow by doubling.
        let mut w = XmlWriter::with_capacity(16 * 1024, OPTIONS);
        let mut root = String::with_capacity(action.len() + 8);
        root.push_str(action);
        root.push_str("Response");
        w.start_element(&root);
        w.write_attribute("xmlns", namespace);
        let mut out = XmlOut {
            w,
            splices: Vec::new(),
            declared: true,
        };
        out.scalar("requestId", request_id);
        out
    }

    /// The members `write` puts inside an element, as one [`Rendered`] item. xmlwriter
    /// writes them, inside a scratch element whose tags are then cut off; items it splices
    /// stay shared parts of this one.
    pub fn render(write: impl FnOnce(&mut XmlOut)) -> Rendered {
        let mut out = XmlOut {
            w: XmlWriter::with_capacity(4096, OPTIONS),
            splices: Vec::new(),
            declared: false,
        };
        out.w.start_element("r");
        write(&mut out);
        let doc = out.w.end_document();
        let inner = doc
            .strip_prefix("<r>")
            .and_then(|d| d.strip_suffix("</r>"))
            .unwrap_or_default();
        // The parts' places are found once here, so an answer only copies.
        let mut text = String::with_capacity(inner.len() - out.splices.len());
        let mut parts = Vec::with_capacity(out.splices.len());
        let mut pieces = inner.split(SPLICE);
        text.push_str(pieces.next().unwrap_or_default());
        for (part, piece) in out.splices.into_iter().zip(pieces) {
            parts.push((text.len(), part));
            text.push_str(piece);
        }
        let len = text.len() + parts.iter().map(|(_, p)| p.len()).sum::<usize>();
        Rendered(Arc::new(Fragment {
            text: text.into(),
            parts: parts.into(),
            len,
        }))
    }

    /// Writes an item rendered before as the content of the element just started.
    pub fn splice(&mut self, item: &Rendered) {
        if item.is_empty() {
            return;
        }
        self.w.write_text_fmt(format_args!("{SPLICE}"));
        self.splices.push(item.clone());
    }

    pub fn start(&mut self, name: &str) {
        self.w.start_element(name);
    }

    pub fn end(&mut self) {
        self.w.end_element();
    }

    /// `<name>value</name>`, or `<name/>` for an empty string.
    pub fn scalar<T: XmlScalar + ?Sized>(&mut self, name: &str, value: &T) {
        self.w.start_element(name);
        let text = value.xml_text();
        if !text.is_empty() {
            self.w.write_text(&escape(&text));
        }
        self.w.end_element();
    }

    /// An attribute of the element just started (a member's `xmlns`).
    pub fn attribute(&mut self, name: &str, value: &str) {
        self.w.write_attribute(name, &escape(value));
    }

    /// Text content of the element just started; nothing for an empty string.
    pub fn text<T: XmlScalar + ?Sized>(&mut self, value: &T) {
        let text = value.xml_text();
        if !text.is_empty() {
            self.w.write_text(&escape(&text));
        }
    }

    pub fn timestamp(&mut self, name: &str, value: &Timestamp, format: TimestampFormat) {
        self.scalar(name, value.format(format).as_str());
    }

    pub fn finish(self) -> String {
        let doc = self.w.end_document();
        let head = if self.declared { DECLARATION } else { "" };
        let len = head.len() + doc.len() - self.splices.len()
            + self.splices.iter().map(Rendered::len).sum::<usize>();
        let mut out = String::with_capacity(len);
        out.push_str(head);
        let mut pieces = doc.split(SPLICE);
        out.push_str(pieces.next().unwrap_or_default());
        for (item, piece) in self.splices.iter().zip(pieces) {
            item.write_to(&mut out);
            out.push_str(piece);
        }
        debug_assert_eq!(out.len(), len, "one NUL per spliced item");
        out
    }
}

/// The EC2 error envelope: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
pub fn error_document(code: &str, message: &str, request_id: &str) -> String {
    let mut w = XmlOut {
        w: XmlWriter::with_capacity(256, OPTIONS),
        splices: Vec::new(),
        declared: true,
    };
    w.start("Response");
    w.start("Errors");
    w.start("Error");
    w.scalar("Code", code);
    w.scalar("Message", message);
    w.end();
    w.end();
    w.scalar("RequestID", request_id);
    w.finish()
}

/// Bytes that text carries as they are: printable ASCII but `&`, `<`, `>`; tab; newline.
const PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0x20;
    while b < 0x7f {
        t[b] = !matches!(b as u8, b'&' | b'<' | b'>');
        b += 1;
    }
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t
};

/// Escapes text content completely (see the module docs).
pub fn escape(s: &str) -> Cow<'_, str> {
    let needs = |c: char| {
        matches!(c, '&' | '<' | '>')
            || (c.is_control() && c != '\t' && c != '\n')
            || c == '\u{FFFE}'
            || c == '\u{FFFF}'
    };
    // Fast path: almost every value is plain ASCII, checked with one table lookup per
    // byte. Anything else (specials, controls, non-ASCII) takes the careful path.
    if s.bytes().all(|b| PLAIN[b as usize]) || !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if needs(c) => out.push_str(&format!("&#x{:X};", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A value written as element text.
pub trait XmlScalar {
    fn xml_text(&self) -> Cow<'_, str>;
}

impl XmlScalar for str {
    fn xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}
impl XmlScalar for String {
    fn xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}
impl XmlScalar for bool {
    fn xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}
macro_rules! int_scalar {
    ($($t:ty),*) => {$(
        impl XmlScalar for $t {
            fn xml_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
int_scalar!(i8, i16, i32, i64);

/// Floats as Smithy writes them: `NaN`, `Infinity`, `-Infinity` for the special values.
macro_rules! float_scalar {
    ($($t:ty),*) => {$(
        impl XmlScalar for $t {
            fn xml_text(&self) -> Cow<'_, str> {
                Cow::Owned(if self.is_nan() {
                    "NaN".to_string()
                } else if self.is_infinite() {
                    if *self > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
                } else {
                    self.to_string()
                })
            }
        }
    )*};
}
float_scalar!(f32, f64);

impl XmlScalar for Blob {
    fn xml_text(&self) -> Cow<'_, str> {
        use base64::Engine;
        Cow::Owned(base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn every_string_is_escaped_for_xml() {
        assert!(matches!(
            escape("web-1 tag_value.x/y:z=+@"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(escape("a&b<c>d"), "a&amp;b&lt;c&gt;d");
        assert_eq!(escape("line\r\nnext\ttab"), "line&#xD;\nnext\ttab");
        assert_eq!(escape("bell\u{7}del\u{7f}"), "bell&#x7;del&#x7F;");
        assert_eq!(escape("naïve ☃ <"), "naïve ☃ &lt;");
        assert_eq!(escape("c1\u{85}"), "c1&#x85;");
    }

    #[test]
    fn a_rendered_item_is_copied_in_as_xmlwriter_wrote_it() {
        let write = |w: &mut super::XmlOut| {
            w.scalar("id", "i-1");
            w.scalar("name", "a&b\0c");
            w.start("set");
            w.end();
        };
        let item = super::XmlOut::render(write);
        assert_eq!(
            item.to_xml(),
            "<id>i-1</id><name>a&amp;b&#x0;c</name><set/>"
        );
        let doc = |spliced: bool| {
            let mut w = super::XmlOut::response("Op", "urn:x", "id");
            for _ in 0..2 {
                w.start("item");
                if spliced {
                    w.splice(&item);
                } else {
                    write(&mut w);
                }
                w.end();
            }
            w.start("item");
            w.splice(&super::XmlOut::render(|_| {}));
            w.end();
            w.finish()
        };
        assert_eq!(doc(true), doc(false));
        assert!(doc(true).ends_with("</item><item/></OpResponse>"));
    }

    #[test]
    fn the_declaration_is_the_one_xmlwriter_writes() {
        let mut w = xmlwriter::XmlWriter::new(super::OPTIONS);
        w.write_declaration();
        w.start_element("a");
        assert_eq!(w.end_document(), format!("{}<a/>", super::DECLARATION));
        let doc = super::error_document("Code", "m", "id");
        assert!(doc.starts_with(super::DECLARATION), "{doc}");
        assert_eq!(doc.matches("<?xml").count(), 1);
    }

    #[test]
    fn an_item_holding_items_shares_them_and_writes_them_in_place() {
        let inner = super::XmlOut::render(|w| w.scalar("id", "i-1"));
        let outer = super::XmlOut::render(|w| {
            w.scalar("rid", "r-1");
            w.start("set");
            for _ in 0..2 {
                w.start("item");
                w.splice(&inner);
                w.end();
            }
            w.end();
        });
        let whole = "<rid>r-1</rid><set><item><id>i-1</id></item><item><id>i-1</id></item></set>";
        assert_eq!((outer.to_xml().as_str(), outer.len()), (whole, whole.len()));
        let mut w = super::XmlOut::response("Op", "urn:x", "id");
        w.start("r");
        w.splice(&outer);
        w.end();
        assert!(w.finish().contains(&format!("<r>{whole}</r>")));
        // Equal by their XML, whether held whole or in parts.
        let flat = super::XmlOut::render(|w| {
            w.scalar("rid", "r-1");
            w.start("set");
            for _ in 0..2 {
                w.start("item");
                w.scalar("id", "i-1");
                w.end();
            }
            w.end();
        });
        assert_eq!(outer, flat);
    }

    #[test]
    fn text_round_trips_through_an_xml_parser() {
        // Carriage returns survive (a raw \r would be normalised away by the parser).
        let clean = "x&y<z>\"q'\r\n\té☃";
        let mut w = super::XmlOut::response("Op", "urn:x", "id");
        w.scalar("v", clean);
        let doc = w.finish();
        let d = roxmltree::Document::parse(&doc).unwrap();
        assert_eq!(
            d.descendants()
                .find(|n| n.has_tag_name("v"))
                .unwrap()
                .text()
                .unwrap(),
            clean
        );
    }
}
