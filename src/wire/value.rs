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
