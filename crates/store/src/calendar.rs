//! The working-day calendar as editable data: the central years
//! embedded in the domain crate, replaced year by year by the deployment's own entries
//! (the next State Council notice, a local correction), kept as audited settings.

use jiceng_domain::calendar::{CalendarYear, WorkCalendar};

use crate::auth::Scope;
use crate::error::{Result, StoreError};
use crate::Store;

const PREFIX: &str = "calendar_year.";

impl Store {
    /// The calendar in force: central years, each replaced by a stored year of the same
    /// number. A stored year that no longer validates is skipped (and logged).
    pub async fn work_calendar(&self) -> Result<WorkCalendar> {
        let mut cal = WorkCalendar::central();
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT key, value FROM settings WHERE key LIKE 'calendar_year.%' ORDER BY key",
        )
        .fetch_all(self.db.pool())
        .await?;
        for (key, value) in rows {
            match serde_json::from_str::<CalendarYear>(&value)
                .map_err(|e| e.to_string())
                .and_then(|y| cal.clone().with_year(y).map_err(|e| e.to_string()))
            {
                Ok(c) => cal = c,
                Err(e) => tracing::error!(key, error = %e, "stored calendar year ignored"),
            }
        }
        Ok(cal)
    }

    /// Stores one year's arrangement (validated against the rest of the calendar; audited).
    /// Administrators and organization departments only.
    pub async fn set_calendar_year(&self, scope: &Scope, year: &CalendarYear) -> Result<()> {
        let may = scope.is_department(None);
        if !may {
            return Err(StoreError::Forbidden);
        }
        self.work_calendar()
            .await?
            .with_year(year.clone())
            .map_err(|e| StoreError::invalid("calendar.invalid", e.to_string()))?;
        self.set_setting(
            scope,
            &format!("{PREFIX}{}", year.year),
            &serde_json::to_string(year)?,
        )
        .await
    }
}
