//! The check of a step's `[steps.ask]`: what it asks, its unit, and the range it expects.
use toml::Spanned;

use super::super::ask::{self, Ask};
use super::super::problem::Fault;
use super::super::raw::RawAsk;
use super::Check;

impl Check {
    pub(super) fn ask(&mut self, raw: Spanned<RawAsk>) -> Option<Ask> {
        let span = raw.span();
        let raw = raw.into_inner();
        let what = self.required_text(raw.what, "what", "an ask", span.clone());
        let unit = self.required_text(raw.unit, "unit", "an ask", span);
        let range = raw.range.and_then(|r| {
            // Plain text first: the range is shown on the terminal in the question.
            let at = r.span();
            let text = self.text(r, "range", false)?;
            match ask::range(&text) {
                Ok(range) => Some(range),
                Err(why) => {
                    self.fault(at, Fault::Quantity { key: "range", why });
                    None
                }
            }
        });
        Some(Ask {
            what: what?.0,
            unit: unit?.0,
            range,
        })
    }
}
