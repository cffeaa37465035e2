//! Regions of the commercial AWS partition (`aws`) and their Availability Zones,
//! as DescribeRegions / DescribeAvailabilityZones would show them to an account.
//!
//! Sources:
//! - AZ IDs per Region and the AZ ID format (Region code abbreviation + `-az` + n):
//!   "AWS Availability Zones" and "AZ IDs" in the AWS Regions and Availability Zones
//!   guide, <https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html>,
//!   <https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html>.
//! - In the oldest Regions the letter-to-AZ-ID mapping differs per account (same
//!   docs, "Regions with independently mapped Availability Zones"); for those we
//!   use one mapping observed on a real account (the table in getmoto/moto
//!   `moto/ec2/models/availability_zones_and_regions.py`), e.g. `us-east-1a` =
//!   `use1-az6`. Regions launched after November 2012 map uniformly.
//! - Opt-in: Regions introduced after 20 March 2019 are disabled by default
//!   (EC2 user guide, "Specify which AWS Regions your account can use").
//! - GovCloud (`aws-us-gov`) and China (`aws-cn`) are other partitions and are not
//!   listed; like any unknown Region they get the default below.
//!
//! Default for an unknown Region name: three zones `<region>a`, `<region>b`,
//! `<region>c` with AZ IDs built the way AWS builds them (`us-gov-west-1` gives
//! `usgw1-az1`..`usgw1-az3`; a name that is not `<geo>-<words>-<n>` gives
//! `<region>-az1`..). They are returned owned, so nothing is leaked per name.

use std::borrow::Cow;

/// One Availability Zone: `ZoneName` and `ZoneId` of DescribeAvailabilityZones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Az {
    pub name: Cow<'static, str>,
    pub zone_id: Cow<'static, str>,
}

/// A Region of the commercial partition with its Availability Zones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub name: &'static str,
    /// `true` for Regions that must be enabled first (OptInStatus `not-opted-in`).
    pub opt_in_required: bool,
    pub zones: &'static [Az],
}

const fn az(name: &'static str, zone_id: &'static str) -> Az {
    Az {
        name: Cow::Borrowed(name),
        zone_id: Cow::Borrowed(zone_id),
    }
}

/// `Region` literal; a macro (not a `const fn`) so the zone arrays are promoted.
macro_rules! region {
    ($name:literal, $opt_in:literal, &[$($zone:expr),+ $(,)?]) => {
        Region { name: $name, opt_in_required: $opt_in, zones: &[$($zone),+] }
    };
}

/// Every Region of the commercial partition, sorted by name.
#[rustfmt::skip]
pub const REGIONS: &[Region] = &[
    region!("af-south-1", true, &[az("af-south-1a", "afs1-az1"), az("af-south-1b", "afs1-az2"), az("af-south-1c", "afs1-az3")]),
    region!("ap-east-1", true, &[az("ap-east-1a", "ape1-az1"), az("ap-east-1b", "ape1-az2"), az("ap-east-1c", "ape1-az3")]),
    region!("ap-east-2", true, &[az("ap-east-2a", "ape2-az1"), az("ap-east-2b", "ape2-az2"), az("ap-east-2c", "ape2-az3")]),
    region!("ap-northeast-1", false, &[az("ap-northeast-1a", "apne1-az4"), az("ap-northeast-1c", "apne1-az1"), az("ap-northeast-1d", "apne1-az2")]),
    region!("ap-northeast-2", false, &[az("ap-northeast-2a", "apne2-az1"), az("ap-northeast-2b", "apne2-az2"), az("ap-northeast-2c", "apne2-az3"), az("ap-northeast-2d", "apne2-az4")]),
    region!("ap-northeast-3", false, &[az("ap-northeast-3a", "apne3-az1"), az("ap-northeast-3b", "apne3-az2"), az("ap-northeast-3c", "apne3-az3")]),
    region!("ap-south-1", false, &[az("ap-south-1a", "aps1-az1"), az("ap-south-1b", "aps1-az3"), az("ap-south-1c", "aps1-az2")]),
    region!("ap-south-2", true, &[az("ap-south-2a", "aps2-az1"), az("ap-south-2b", "aps2-az2"), az("ap-south-2c", "aps2-az3")]),
    region!("ap-southeast-1", false, &[az("ap-southeast-1a", "apse1-az1"), az("ap-southeast-1b", "apse1-az2"), az("ap-southeast-1c", "apse1-az3")]),
    region!("ap-southeast-2", false, &[az("ap-southeast-2a", "apse2-az1"), az("ap-southeast-2b", "apse2-az3"), az("ap-southeast-2c", "apse2-az2")]),
    region!("ap-southeast-3", true, &[az("ap-southeast-3a", "apse3-az1"), az("ap-southeast-3b", "apse3-az2"), az("ap-southeast-3c", "apse3-az3")]),
    region!("ap-southeast-4", true, &[az("ap-southeast-4a", "apse4-az1"), az("ap-southeast-4b", "apse4-az2"), az("ap-southeast-4c", "apse4-az3")]),
    region!("ap-southeast-5", true, &[az("ap-southeast-5a", "apse5-az1"), az("ap-southeast-5b", "apse5-az2"), az("ap-southeast-5c", "apse5-az3")]),
    region!("ap-southeast-6", true, &[az("ap-southeast-6a", "apse6-az1"), az("ap-southeast-6b", "apse6-az2"), az("ap-southeast-6c", "apse6-az3")]),
    region!("ap-southeast-7", true, &[az("ap-southeast-7a", "apse7-az1"), az("ap-southeast-7b", "apse7-az2"), az("ap-southeast-7c", "apse7-az3")]),
    region!("ca-central-1", false, &[az("ca-central-1a", "cac1-az1"), az("ca-central-1b", "cac1-az2"), az("ca-central-1d", "cac1-az4")]),
    region!("ca-west-1", true, &[az("ca-west-1a", "caw1-az1"), az("ca-west-1b", "caw1-az2"), az("ca-west-1c", "caw1-az3")]),
    region!("eu-central-1", false, &[az("eu-central-1a", "euc1-az2"), az("eu-central-1b", "euc1-az3"), az("eu-central-1c", "euc1-az1")]),
    region!("eu-central-2", true, &[az("eu-central-2a", "euc2-az1"), az("eu-central-2b", "euc2-az2"), az("eu-central-2c", "euc2-az3")]),
    region!("eu-north-1", false, &[az("eu-north-1a", "eun1-az1"), az("eu-north-1b", "eun1-az2"), az("eu-north-1c", "eun1-az3")]),
    region!("eu-south-1", true, &[az("eu-south-1a", "eus1-az1"), az("eu-south-1b", "eus1-az2"), az("eu-south-1c", "eus1-az3")]),
    region!("eu-south-2", true, &[az("eu-south-2a", "eus2-az1"), az("eu-south-2b", "eus2-az2"), az("eu-south-2c", "eus2-az3")]),
    region!("eu-west-1", false, &[az("eu-west-1a", "euw1-az3"), az("eu-west-1b", "euw1-az1"), az("eu-west-1c", "euw1-az2")]),
    region!("eu-west-2", false, &[az("eu-west-2a", "euw2-az2"), az("eu-west-2b", "euw2-az3"), az("eu-west-2c", "euw2-az1")]),
    region!("eu-west-3", false, &[az("eu-west-3a", "euw3-az1"), az("eu-west-3b", "euw3-az2"), az("eu-west-3c", "euw3-az3")]),
    region!("il-central-1", true, &[az("il-central-1a", "ilc1-az1"), az("il-central-1b", "ilc1-az2"), az("il-central-1c", "ilc1-az3")]),
    region!("me-central-1", true, &[az("me-central-1a", "mec1-az1"), az("me-central-1b", "mec1-az2"), az("me-central-1c", "mec1-az3")]),
    region!("me-south-1", true, &[az("me-south-1a", "mes1-az1"), az("me-south-1b", "mes1-az2"), az("me-south-1c", "mes1-az3")]),
    region!("mx-central-1", true, &[az("mx-central-1a", "mxc1-az1"), az("mx-central-1b", "mxc1-az2"), az("mx-central-1c", "mxc1-az3")]),
    region!("sa-east-1", false, &[az("sa-east-1a", "sae1-az1"), az("sa-east-1b", "sae1-az2"), az("sa-east-1c", "sae1-az3")]),
    region!("us-east-1", false, &[az("us-east-1a", "use1-az6"), az("us-east-1b", "use1-az1"), az("us-east-1c", "use1-az2"), az("us-east-1d", "use1-az4"), az("us-east-1e", "use1-az3"), az("us-east-1f", "use1-az5")]),
    region!("us-east-2", false, &[az("us-east-2a", "use2-az1"), az("us-east-2b", "use2-az2"), az("us-east-2c", "use2-az3")]),
    // Only two AZs of us-west-1 are open to accounts; which letters varies.
    // An account sees two of us-west-1's zones, and which letters they carry varies by
    // account (a/b and b/c are both reported); all three letters are offered so code
    // written against either works. usw1-az2 is the zone closed to new accounts.
    region!("us-west-1", false, &[az("us-west-1a", "usw1-az2"), az("us-west-1b", "usw1-az3"), az("us-west-1c", "usw1-az1")]),
    region!("us-west-2", false, &[az("us-west-2a", "usw2-az2"), az("us-west-2b", "usw2-az1"), az("us-west-2c", "usw2-az3"), az("us-west-2d", "usw2-az4")]),
];

/// The Region entry for a commercial Region name.
/// The name AWS gives a commercial region in its consoles and in zones' GroupLongName.
pub fn long_name(region: &str) -> Option<&'static str> {
    Some(match region {
        "af-south-1" => "Africa (Cape Town)",
        "ap-east-1" => "Asia Pacific (Hong Kong)",
        "ap-east-2" => "Asia Pacific (Taipei)",
        "ap-northeast-1" => "Asia Pacific (Tokyo)",
        "ap-northeast-2" => "Asia Pacific (Seoul)",
        "ap-northeast-3" => "Asia Pacific (Osaka)",
        "ap-south-1" => "Asia Pacific (Mumbai)",
        "ap-south-2" => "Asia Pacific (Hyderabad)",
        "ap-southeast-1" => "Asia Pacific (Singapore)",
        "ap-southeast-2" => "Asia Pacific (Sydney)",
        "ap-southeast-3" => "Asia Pacific (Jakarta)",
        "ap-southeast-4" => "Asia Pacific (Melbourne)",
        "ap-southeast-5" => "Asia Pacific (Malaysia)",
        "ap-southeast-6" => "Asia Pacific (New Zealand)",
        "ap-southeast-7" => "Asia Pacific (Thailand)",
        "ca-central-1" => "Canada (Central)",
        "ca-west-1" => "Canada West (Calgary)",
        "eu-central-1" => "Europe (Frankfurt)",
        "eu-central-2" => "Europe (Zurich)",
        "eu-north-1" => "Europe (Stockholm)",
        "eu-south-1" => "Europe (Milan)",
        "eu-south-2" => "Europe (Spain)",
        "eu-west-1" => "Europe (Ireland)",
        "eu-west-2" => "Europe (London)",
        "eu-west-3" => "Europe (Paris)",
        "il-central-1" => "Israel (Tel Aviv)",
        "me-central-1" => "Middle East (UAE)",
        "me-south-1" => "Middle East (Bahrain)",
        "mx-central-1" => "Mexico (Central)",
        "sa-east-1" => "South America (Sao Paulo)",
        "us-east-1" => "US East (N. Virginia)",
        "us-east-2" => "US East (Ohio)",
        "us-west-1" => "US West (N. California)",
        "us-west-2" => "US West (Oregon)",
        _ => return None,
    })
}

pub fn find_region(name: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.name == name)
}

/// The Availability Zones of `region`: the real ones for a known Region
/// (borrowed), the documented default of three zones otherwise (owned).
pub fn availability_zones(region: &str) -> Cow<'static, [Az]> {
    if let Some(known) = find_region(region) {
        return Cow::Borrowed(known.zones);
    }
    let prefix = zone_id_prefix(region).unwrap_or_else(|| region.to_string());
    let zones = ["a", "b", "c"]
        .iter()
        .enumerate()
        .map(|(i, letter)| Az {
            name: Cow::Owned(format!("{region}{letter}")),
            zone_id: Cow::Owned(format!("{prefix}-az{}", i + 1)),
        })
        .collect();
    Cow::Owned(zones)
}

/// AZ ID prefix of a Region code: geography, then the initial(s) of each
/// direction word, then the number (`ap-southeast-2` -> `apse2`).
fn zone_id_prefix(region: &str) -> Option<String> {
    let parts: Vec<&str> = region.split('-').collect();
    let (number, words) = parts.split_last()?;
    if words.len() < 2 || number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = words[0].to_string();
    for word in &words[1..] {
        out.push_str(match *word {
            "northeast" => "ne",
            "northwest" => "nw",
            "southeast" => "se",
            "southwest" => "sw",
            w => w.get(..1).filter(|s| !s.is_empty())?,
        });
    }
    out.push_str(number);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn us_east_1_has_six_zones_a_to_f_with_ids_az1_to_az6() {
        let zones = availability_zones("us-east-1");
        assert!(matches!(zones, Cow::Borrowed(_)));
        let names: Vec<&str> = zones.iter().map(|z| &*z.name).collect();
        assert_eq!(
            names,
            [
                "us-east-1a",
                "us-east-1b",
                "us-east-1c",
                "us-east-1d",
                "us-east-1e",
                "us-east-1f"
            ]
        );
        let ids: HashSet<&str> = zones.iter().map(|z| &*z.zone_id).collect();
        let want: HashSet<String> = (1..=6).map(|n| format!("use1-az{n}")).collect();
        assert_eq!(ids, want.iter().map(String::as_str).collect());
    }

    #[test]
    fn every_known_region_is_consistent_with_the_az_id_scheme() {
        let mut seen = HashSet::new();
        for window in REGIONS.windows(2) {
            assert!(window[0].name < window[1].name, "sorted, no duplicates");
        }
        for r in REGIONS {
            let prefix = zone_id_prefix(r.name).unwrap();
            assert!(r.zones.len() >= 2, "{}", r.name);
            for z in r.zones {
                let letter = z.name.strip_prefix(r.name).unwrap();
                assert!(letter.len() == 1 && letter.as_bytes()[0].is_ascii_lowercase());
                let n = z.zone_id.strip_prefix(&*format!("{prefix}-az")).unwrap();
                assert!(n.parse::<u8>().is_ok(), "{}", z.zone_id);
                assert!(seen.insert(z.zone_id.clone()), "duplicate {}", z.zone_id);
            }
            assert!(find_region(r.name).is_some());
        }
        assert_eq!(REGIONS.len(), 34);
    }

    #[test]
    fn unknown_regions_get_three_default_zones() {
        assert!(find_region("us-gov-west-1").is_none() && find_region("cn-north-1").is_none());
        let gov = availability_zones("us-gov-west-1");
        assert!(matches!(gov, Cow::Owned(_)));
        let pairs: Vec<(&str, &str)> = gov.iter().map(|z| (&*z.name, &*z.zone_id)).collect();
        assert_eq!(
            pairs,
            [
                ("us-gov-west-1a", "usgw1-az1"),
                ("us-gov-west-1b", "usgw1-az2"),
                ("us-gov-west-1c", "usgw1-az3")
            ]
        );
        assert_eq!(availability_zones("cn-northwest-1")[0].zone_id, "cnnw1-az1");
        let local = availability_zones("local");
        assert_eq!(
            (&*local[2].name, &*local[2].zone_id),
            ("localc", "local-az3")
        );
        assert_eq!(availability_zones("xx--1")[0].zone_id, "xx--1-az1");
    }

    #[test]
    fn opt_in_regions_are_the_ones_launched_after_march_2019() {
        let opt_in: Vec<&str> = REGIONS
            .iter()
            .filter(|r| r.opt_in_required)
            .map(|r| r.name)
            .collect();
        assert!(opt_in.contains(&"af-south-1") && opt_in.contains(&"mx-central-1"));
        assert!(!find_region("eu-north-1").unwrap().opt_in_required); // launched Dec 2018
        assert_eq!(opt_in.len(), 17);
    }
}
