//! The EC2 Query wire layer that the generated code calls: parameter decoding
//! ([`query`]), XML writing ([`xml`]), the dynamic view used by contract tests
//! ([`value`]), and the scalar types the model needs.

pub mod query;
pub mod value;
pub mod xml;

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::OffsetDateTime;

/// A blob member (base64 on the wire), such as RunInstances' `UserData`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blob(pub Vec<u8>);

/// How a timestamp member travels (`smithy.api#timestampFormat`; EC2 uses date-time only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    DateTime,
    EpochSeconds,
    HttpDate,
}

/// A point in time with millisecond precision, as EC2 reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

const HTTP_DATE: &[time::format_description::FormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);
const DATE_TIME_MS: &[time::format_description::FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

impl Timestamp {
    pub fn now() -> Timestamp {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(d.as_millis() as i64)
    }

    pub fn from_millis(ms: i64) -> Timestamp {
        Timestamp(ms)
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    fn datetime(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// `2014-04-29T18:30:38.000Z` (EC2 always writes milliseconds), epoch seconds, or an
    /// HTTP date.
    pub fn format(self, format: TimestampFormat) -> String {
        let dt = self.datetime();
        match format {
            TimestampFormat::DateTime => dt.format(DATE_TIME_MS).unwrap_or_default(),
            TimestampFormat::HttpDate => dt.format(HTTP_DATE).unwrap_or_default(),
            TimestampFormat::EpochSeconds if self.0 % 1000 == 0 => (self.0 / 1000).to_string(),
            TimestampFormat::EpochSeconds => {
                format!("{}.{:03}", self.0.div_euclid(1000), self.0.rem_euclid(1000))
            }
        }
    }

    /// Parses any of the three formats; date-time accepts offsets and fractions.
    pub fn parse(s: &str, format: TimestampFormat) -> Option<Timestamp> {
        let s = s.trim();
        let dt = match format {
            TimestampFormat::DateTime => OffsetDateTime::parse(s, &Rfc3339).ok()?,
            TimestampFormat::HttpDate => time::PrimitiveDateTime::parse(s, HTTP_DATE)
                .ok()?
                .assume_utc(),
            TimestampFormat::EpochSeconds => {
                let secs: f64 = s.parse().ok().filter(|f: &f64| f.is_finite())?;
                return Some(Timestamp((secs * 1000.0).round() as i64));
            }
        };
        Some(Timestamp((dt.unix_timestamp_nanos() / 1_000_000) as i64))
    }
}

/// What the model says about a paginated operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub input_token: &'static str,
    pub output_token: &'static str,
    pub page_size: &'static str,
    pub items: &'static str,
    /// The `range` of the page-size member, when the model gives one.
    pub min: Option<i64>,
    pub max: Option<i64>,
}
