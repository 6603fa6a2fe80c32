//! Creating a council: the one code path, used by the demo and by any future provisioning,
//! that gives a new council the default lists of the domain crate.

use portal_domain::council::{
    default_action_types, default_bank_holidays, default_vat_rates_from, DEFAULT_DISPUTE_REASONS,
    DEFAULT_VAT_RATES,
};
use portal_store::council::{CouncilDefaults, NewCouncil};
use portal_store::{Store, StoreResult};

/// Creates a council with England and Wales's bank holidays, the guides' action types and
/// dispute reasons, and the UK VAT rates.
pub async fn create_council(
    store: &Store,
    name: &str,
    amendment_window_days: i64,
) -> StoreResult<i64> {
    let bank_holidays = default_bank_holidays();
    let action_types = default_action_types();
    store
        .create_council(&NewCouncil {
            name,
            amendment_window_days,
            defaults: CouncilDefaults {
                bank_holidays: &bank_holidays,
                action_types: &action_types,
                dispute_reasons: DEFAULT_DISPUTE_REASONS,
                vat_rates: DEFAULT_VAT_RATES,
                vat_rates_from: default_vat_rates_from(),
            },
        })
        .await
}
