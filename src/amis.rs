//! Seed catalog of public AMIs that every account sees in DescribeImages.
//!
//! The image ids and snapshot ids are made up (`ami-`/`snap-` + 17 lower-case hex
//! digits, the current EC2 id format); everything else follows real images of the
//! same families, as shown by `aws ec2 describe-images` output quoted in public
//! repositories and AWS docs:
//! - Amazon Linux (owner `137112412989`, alias `amazon`): AL2023 names
//!   `al2023-ami-<ver>-kernel-6.1-<arch>`, description
//!   `Amazon Linux 2023 AMI <ver> <arch> HVM kernel-6.1`, 8 GiB gp3 on `/dev/xvda`,
//!   `BootMode` `uefi-preferred` (x86_64) / `uefi` (arm64), `ImdsSupport` `v2.0`,
//!   `DeprecationTime` 90 days after creation on AWS, which publishes a new image every
//!   week; this static catalog instead deprecates its current images two years after
//!   creation, so they stay listable (DescribeImages hides deprecated images). AL2:
//!   `amzn2-ami-kernel-5.10-hvm-<ver>-x86_64-gp2`, 8 GiB gp2, no boot mode, no
//!   IMDS setting, `DeprecationTime` `2025-07-01T00:00:00.000Z` (as observed on
//!   the 2.0.20250321.0 build): deprecated, so listed only with `IncludeDeprecated` or
//!   by id, as on AWS.
//! - Windows (owner `801119661308`, alias `amazon`: Amazon publishes the Windows
//!   AMIs from that account, not from 137112412989): `platform` `windows`,
//!   `PlatformDetails` `Windows`, `UsageOperation` `RunInstances:0002` (EC2 user
//!   guide, "AMI billing information fields"), 30 GiB gp2 on `/dev/sda1`,
//!   deprecated exactly two years after creation.
//! - Ubuntu (owner `099720109477` = Canonical, no owner alias, so `Owners=amazon`
//!   does not match them, as on AWS): `ubuntu/images/hvm-ssd-gp3/...` for 24.04
//!   (gp3), `ubuntu/images/hvm-ssd/...` for 22.04 (gp2), 8 GiB on `/dev/sda1`.
//!
//! Constant for every seed, so not stored: `ImageType` `machine`, `Public` true,
//! `State` `available`, `RootDeviceType` `ebs`, `Hypervisor` `xen`,
//! `SriovNetSupport` `simple`, `VirtualizationType` `hvm`, `EnaSupport` true
//! (the last two are kept as fields because the brief asked for them).

/// One public AMI of the seed catalog (fields named after DescribeImages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmiSeed {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// `x86_64` or `arm64`.
    pub architecture: &'static str,
    /// `Some("windows")` for Windows, `None` otherwise (the API omits it).
    pub platform: Option<&'static str>,
    pub platform_details: &'static str,
    pub usage_operation: &'static str,
    pub root_device_name: &'static str,
    pub root_volume_size_gib: u32,
    pub volume_type: &'static str,
    pub snapshot_id: &'static str,
    pub creation_date: &'static str,
    pub virtualization_type: &'static str,
    pub ena_support: bool,
    /// `None` when the image sets no boot mode (the instance type's default).
    pub boot_mode: Option<&'static str>,
    pub image_owner_alias: Option<&'static str>,
    pub owner_id: &'static str,
    pub imds_support: Option<&'static str>,
    pub deprecation_time: Option<&'static str>,
}

/// Account that publishes Amazon Linux images.
pub const AMAZON_LINUX_OWNER: &str = "137112412989";
/// Account that publishes the Amazon Windows images (alias `amazon` too).
pub const AMAZON_WINDOWS_OWNER: &str = "801119661308";
/// Canonical's account for Ubuntu images.
pub const CANONICAL_OWNER: &str = "099720109477";

const LINUX: AmiSeed = AmiSeed {
    id: "",
    name: "",
    description: "",
    architecture: "x86_64",
    platform: None,
    platform_details: "Linux/UNIX",
    usage_operation: "RunInstances",
    root_device_name: "/dev/xvda",
    root_volume_size_gib: 8,
    volume_type: "gp3",
    snapshot_id: "",
    creation_date: "",
    virtualization_type: "hvm",
    ena_support: true,
    boot_mode: Some("uefi-preferred"),
    image_owner_alias: Some("amazon"),
    owner_id: AMAZON_LINUX_OWNER,
    imds_support: Some("v2.0"),
    deprecation_time: None,
};

const UBUNTU: AmiSeed = AmiSeed {
    root_device_name: "/dev/sda1",
    image_owner_alias: None,
    owner_id: CANONICAL_OWNER,
    imds_support: None,
    ..LINUX
};

/// The seed catalog.
pub const AMIS: &[AmiSeed] = &[
    AmiSeed {
        id: "ami-0abcdef1234567890",
        name: "al2023-ami-2023.9.20261110.0-kernel-6.1-x86_64",
        description: "Amazon Linux 2023 AMI 2023.9.20261110.0 x86_64 HVM kernel-6.1",
        snapshot_id: "snap-0a88e65794ad1b05b",
        creation_date: "2026-11-10T21:05:53.000Z",
        deprecation_time: Some("2028-11-10T21:05:00.000Z"),
        ..LINUX
    },
    AmiSeed {
        id: "ami-043aca06cfbc25a0c",
        name: "al2023-ami-2023.9.20261110.0-kernel-6.1-arm64",
        description: "Amazon Linux 2023 AMI 2023.9.20261110.0 arm64 HVM kernel-6.1",
        architecture: "arm64",
        snapshot_id: "snap-0d0b7e53a3779a185",
        creation_date: "2026-11-10T21:06:21.000Z",
        boot_mode: Some("uefi"),
        deprecation_time: Some("2028-11-10T21:06:00.000Z"),
        ..LINUX
    },
    AmiSeed {
        id: "ami-0ce62b461250d8a7a",
        name: "amzn2-ami-kernel-5.10-hvm-2.0.20250115.0-x86_64-gp2",
        description: "Amazon Linux 2 Kernel 5.10 AMI 2.0.20250115.0 x86_64 HVM gp2",
        volume_type: "gp2",
        snapshot_id: "snap-094c41caa113c0a6d",
        creation_date: "2025-01-15T19:48:02.000Z",
        boot_mode: None,
        imds_support: None,
        deprecation_time: Some("2025-07-01T00:00:00.000Z"),
        ..LINUX
    },
    AmiSeed {
        id: "ami-024f29cd047c14d5d",
        name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261110",
        description: "Canonical, Ubuntu, 24.04, amd64 noble image",
        snapshot_id: "snap-0bb7bff1213a7f7e3",
        creation_date: "2026-11-10T07:30:12.000Z",
        deprecation_time: Some("2028-11-10T07:30:12.000Z"),
        ..UBUNTU
    },
    AmiSeed {
        id: "ami-09157da14e0404a8f",
        name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20261110",
        description: "Canonical, Ubuntu, 24.04, arm64 noble image",
        architecture: "arm64",
        snapshot_id: "snap-0d62edc05f587ae8f",
        creation_date: "2026-11-10T07:31:45.000Z",
        boot_mode: Some("uefi"),
        deprecation_time: Some("2028-11-10T07:31:45.000Z"),
        ..UBUNTU
    },
    AmiSeed {
        id: "ami-07574fdb0985be3ff",
        name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20261107",
        description: "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2026-11-07",
        volume_type: "gp2",
        snapshot_id: "snap-0391598a61160aa44",
        creation_date: "2026-11-07T09:14:27.000Z",
        deprecation_time: Some("2028-11-07T09:14:27.000Z"),
        ..UBUNTU
    },
    AmiSeed {
        id: "ami-0873e57d051852355",
        name: "Windows_Server-2022-English-Full-Base-2026.11.10",
        description: "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
        platform: Some("windows"),
        platform_details: "Windows",
        usage_operation: "RunInstances:0002",
        root_device_name: "/dev/sda1",
        root_volume_size_gib: 30,
        volume_type: "gp2",
        snapshot_id: "snap-0fcafd1a89bf61e33",
        creation_date: "2026-11-10T05:42:37.000Z",
        boot_mode: None,
        owner_id: AMAZON_WINDOWS_OWNER,
        imds_support: None,
        deprecation_time: Some("2028-11-10T05:42:37.000Z"),
        ..LINUX
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn find(id: &str) -> Option<&'static AmiSeed> {
        AMIS.iter().find(|a| a.id == id)
    }

    fn is_id(s: &str, prefix: &str) -> bool {
        s.strip_prefix(prefix).is_some_and(|h| {
            h.len() == 17
                && h.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
    }

    /// `YYYY-MM-DDTHH:MM:SS.000Z`, the DescribeImages timestamp form.
    fn is_timestamp(s: &str) -> bool {
        let b = s.as_bytes();
        let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
        s.len() == 24
            && s.ends_with(".000Z")
            && digits.iter().all(|&i| b[i].is_ascii_digit())
            && (b[4], b[7], b[10], b[13], b[16]) == (b'-', b'-', b'T', b':', b':')
    }

    #[test]
    fn the_documented_example_image_is_public_al2023_x86_64_by_amazon() {
        let a = find("ami-0abcdef1234567890").unwrap();
        assert!(a.name.starts_with("al2023-ami-") && a.architecture == "x86_64");
        assert_eq!(
            (a.owner_id, a.image_owner_alias),
            ("137112412989", Some("amazon"))
        );
        assert_eq!((a.platform, a.platform_details), (None, "Linux/UNIX"));
        assert_eq!(
            (a.imds_support, a.boot_mode),
            (Some("v2.0"), Some("uefi-preferred"))
        );
    }

    #[test]
    fn every_seed_is_well_formed() {
        let mut ids = HashSet::new();
        let mut snaps = HashSet::new();
        for a in AMIS {
            assert!(is_id(a.id, "ami-") && ids.insert(a.id), "{}", a.id);
            assert!(is_id(a.snapshot_id, "snap-") && snaps.insert(a.snapshot_id));
            assert!(["x86_64", "arm64"].contains(&a.architecture));
            assert!(is_timestamp(a.creation_date), "{}", a.creation_date);
            if let Some(d) = a.deprecation_time {
                assert!(is_timestamp(d) && d > a.creation_date, "{d}");
            }
            assert!(["gp2", "gp3"].contains(&a.volume_type));
            assert_eq!((a.virtualization_type, a.ena_support), ("hvm", true));
            let windows = a.platform == Some("windows");
            assert_eq!(windows, a.platform_details == "Windows");
            let op = if windows {
                "RunInstances:0002"
            } else {
                "RunInstances"
            };
            assert_eq!(a.usage_operation, op);
            if a.architecture == "arm64" {
                assert_eq!(a.boot_mode, Some("uefi"), "Graviton boots UEFI only");
            }
            let owner_ok = match a.owner_id {
                AMAZON_LINUX_OWNER | AMAZON_WINDOWS_OWNER => a.image_owner_alias == Some("amazon"),
                CANONICAL_OWNER => a.image_owner_alias.is_none() && a.name.starts_with("ubuntu/"),
                _ => false,
            };
            assert!(owner_ok, "{}", a.name);
        }
    }

    #[test]
    fn catalog_covers_the_required_families() {
        let names: Vec<&str> = AMIS.iter().map(|a| a.name).collect();
        for wanted in [
            "al2023-ami-2023.9.20261110.0-kernel-6.1-x86_64",
            "al2023-ami-2023.9.20261110.0-kernel-6.1-arm64",
            "amzn2-ami-kernel-5.10-hvm-2.0.20250115.0-x86_64-gp2",
            "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261110",
            "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20261110",
            "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20261107",
            "Windows_Server-2022-English-Full-Base-2026.11.10",
        ] {
            assert!(names.contains(&wanted), "{wanted}");
        }
        let win = AMIS.iter().find(|a| a.platform.is_some()).unwrap();
        assert_eq!(
            (win.root_device_name, win.root_volume_size_gib),
            ("/dev/sda1", 30)
        );
        // Ubuntu images are Canonical's, with no owner alias (`Owners=amazon` skips them).
        let ubuntu = find("ami-024f29cd047c14d5d").unwrap();
        assert_eq!(
            (ubuntu.owner_id, ubuntu.image_owner_alias),
            (CANONICAL_OWNER, None)
        );
    }
}
