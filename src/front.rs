//! The front ends: the full-screen guide and the plain guide.
pub mod plain;
pub mod tui;
pub mod value;
