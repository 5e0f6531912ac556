//! A small std-only JSON reader and writer: enough for history, settings and frontend payloads.

mod parse;
mod value;

pub use parse::{JsonError, parse};
pub use value::Value;
