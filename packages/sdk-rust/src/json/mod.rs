//! A small std-only JSON reader and writer: enough for history, settings, frontend payloads and
//! HTTP request bodies. Read with [`parse`] and the `as_*` / [`Value::get`] accessors; build with
//! [`Value::object`], [`Value::with`], [`Value::array`] and `From` conversions; print with
//! `to_string()` (compact JSON); escape text you assemble yourself with [`escape`] / [`quote`].

mod build;
mod parse;
mod value;

pub use build::{escape, quote};
pub use parse::{JsonError, parse};
pub use value::Value;
