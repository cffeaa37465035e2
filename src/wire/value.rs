//! A dynamic view of any generated shape, keyed by model member names. The generated
//! `Reflect` impls convert to and from it; the contract tests build values from the model
//! on their own and compare.

use super::{Blob, Timestamp};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Blob(Vec<u8>),
    Time(Timestamp),
    List(Vec<Value>),
    /// Present members only, in model order.
    Struct(Vec<(&'static str, Value)>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_struct(&self) -> Option<&[(&'static str, Value)]> {
        match self {
            Value::Struct(m) => Some(m),
            _ => None,
        }
    }
    /// JSON in the shape the AWS CLI prints (member names as keys) as a value. Member names
    /// become `'static` once each, for the process's life: they are model member names
    /// (a few hundred), and a name no shape has only costs its own bytes once.
    pub fn from_json(j: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match j {
            J::Null => Value::List(Vec::new()),
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or_default()),
            },
            J::String(s) => Value::Str(s.clone()),
            J::Array(items) => Value::List(items.iter().map(Value::from_json).collect()),
            J::Object(m) => Value::Struct(
                m.iter()
                    .map(|(k, v)| (super::intern(k), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// The first member of a struct value that does not fit `T`'s member of that name
    /// (for a `T` without required members): what to name when `T::from_value` fails.
    pub fn misfit<T: Reflect>(&self) -> Option<&'static str> {
        self.as_struct()?
            .iter()
            .find(|(n, v)| T::from_value(&Value::Struct(vec![(*n, v.clone())])).is_none())
            .map(|(n, _)| *n)
    }

    pub fn member(&self, name: &str) -> Option<&Value> {
        self.as_struct()?
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

/// Conversion of a generated type to and from [`Value`].
pub trait Reflect: Sized {
    fn to_value(&self) -> Value;
    fn from_value(v: &Value) -> Option<Self>;
}

impl Reflect for String {
    fn to_value(&self) -> Value {
        Value::Str(self.clone())
    }
    fn from_value(v: &Value) -> Option<Self> {
        v.as_str().map(str::to_string)
    }
}
impl Reflect for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}
macro_rules! int_reflect {
    ($($t:ty),*) => {$(
        impl Reflect for $t {
            fn to_value(&self) -> Value { Value::Int(i64::from(*self)) }
            fn from_value(v: &Value) -> Option<Self> {
                match v { Value::Int(i) => <$t>::try_from(*i).ok(), _ => None }
            }
        }
    )*};
}
int_reflect!(i8, i16, i32, i64);
impl Reflect for f32 {
    fn to_value(&self) -> Value {
        Value::Float(f64::from(*self))
    }
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Float(f) => Some(*f as f32),
            _ => None,
        }
    }
}
impl Reflect for f64 {
    fn to_value(&self) -> Value {
        Value::Float(*self)
    }
    /// A whole number stands for itself too (JSON data writes `3` for 3.0).
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl Reflect for Blob {
    fn to_value(&self) -> Value {
        Value::Blob(self.0.clone())
    }
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Blob(b) => Some(Blob(b.clone())),
            _ => None,
        }
    }
}
impl Reflect for Timestamp {
    fn to_value(&self) -> Value {
        Value::Time(*self)
    }
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Time(t) => Some(*t),
            _ => None,
        }
    }
}
impl<T: Reflect> Reflect for Vec<T> {
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(Reflect::to_value).collect())
    }
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::List(items) => items.iter().map(T::from_value).collect(),
            _ => None,
        }
    }
}
impl<T: Reflect> Reflect for Box<T> {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
    fn from_value(v: &Value) -> Option<Self> {
        T::from_value(v).map(Box::new)
    }
}
