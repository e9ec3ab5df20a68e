//! The protocols shipped inside the binary; `protocols/` holds the same files for runners to
//! copy and edit.

/// A protocol embedded in the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// Its id and file stem.
    pub id: &'static str,
    /// The TOML text.
    pub source: &'static str,
}

impl Builtin {
    /// The file name it is written to by `postrun init`.
    pub fn file_name(&self) -> String {
        format!("{}.toml", self.id)
    }

    /// The path it is shown under in errors and `show`.
    pub fn label(&self) -> String {
        format!("<built-in>/{}", self.file_name())
    }

    /// Parses it. A built-in that fails is a bug the test suite catches.
    pub fn parse(&self) -> Result<super::Protocol, super::Problems> {
        super::parse(&self.label(), self.id, self.source)
    }
}

/// The id of the protocol used when none is named.
pub const DEFAULT: &str = "optimal-recovery";

/// Every built-in, the default first.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        id: "optimal-recovery",
        source: include_str!("../../../protocols/optimal-recovery.toml"),
    },
    Builtin {
        id: "soothe-sore-muscles",
        source: include_str!("../../../protocols/soothe-sore-muscles.toml"),
    },
];

/// The built-in with this id.
pub fn builtin(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.id == id)
}
