//! Time as EC2 reports it: millisecond timestamps, and the three ways the Query
//! protocol writes them. The store keeps these; the wire layer re-exports them.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::OffsetDateTime;

/// How a timestamp member travels (`smithy.api#timestampFormat`; EC2 uses date-time only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    DateTime,
    EpochSeconds,
    HttpDate,
}

/// A point in time with millisecond precision, as EC2 reports it.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
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
        match format {
            TimestampFormat::DateTime => match self.date_time_ms() {
                Some(text) => text,
                None => self.datetime().format(DATE_TIME_MS).unwrap_or_default(),
            },
            TimestampFormat::HttpDate => self.datetime().format(HTTP_DATE).unwrap_or_default(),
            TimestampFormat::EpochSeconds if self.0 % 1000 == 0 => (self.0 / 1000).to_string(),
            TimestampFormat::EpochSeconds => {
                format!("{}.{:03}", self.0.div_euclid(1000), self.0.rem_euclid(1000))
            }
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS.sssZ` for years 1970–9999 without `core::fmt`: every instance
    /// in every DescribeInstances answer carries several timestamps, and the general
    /// formatter showed in profiles. Days to civil date: Howard Hinnant's `civil_from_days`.
    /// Other years go through the `time` crate.
    fn date_time_ms(self) -> Option<String> {
        let ms = self.0;
        if !(0..253_402_300_800_000).contains(&ms) {
            return None;
        }
        let (days, in_day) = (ms / 86_400_000, ms % 86_400_000);
        let z = days + 719_468;
        let era = z / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let (h, m, sec, milli) = (
            in_day / 3_600_000,
            in_day / 60_000 % 60,
            in_day / 1000 % 60,
            in_day % 1000,
        );
        let mut out = String::with_capacity(24);
        push_digits(&mut out, year, 4);
        for (sep, v, n) in [
            ('-', month, 2),
            ('-', day, 2),
            ('T', h, 2),
            (':', m, 2),
            (':', sec, 2),
            ('.', milli, 3),
        ] {
            out.push(sep);
            push_digits(&mut out, v, n);
        }
        out.push('Z');
        Some(out)
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

/// The last `n` decimal digits of `v`, zero-padded.
fn push_digits(out: &mut String, v: i64, n: u32) {
    for k in (0..n).rev() {
        out.push((b'0' + (v / 10i64.pow(k) % 10) as u8) as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_matches_the_time_crate_everywhere() {
        // Leap years, month ends, the epoch, the last representable millisecond.
        let mut samples = vec![
            0,
            951_782_400_000,
            951_868_799_999,
            1_709_164_800_123,
            4_102_444_799_999,
            253_402_300_799_999,
        ];
        let mut x: i64 = 1;
        for _ in 0..5000 {
            x = (x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407))
            .rem_euclid(253_402_300_800_000);
            samples.push(x);
        }
        for ms in samples {
            let t = Timestamp(ms);
            let reference = t.datetime().format(DATE_TIME_MS).unwrap();
            assert_eq!(t.format(TimestampFormat::DateTime), reference, "{ms}");
            assert_eq!(
                Timestamp::parse(&reference, TimestampFormat::DateTime),
                Some(t)
            );
        }
        assert_eq!(
            Timestamp(-1).format(TimestampFormat::DateTime),
            "1969-12-31T23:59:59.999Z"
        );
    }
}
