//! Instance-type facts: the architecture a type runs and its default CPU topology, read
//! from the type's name (family, generation, size). RunInstances validates against these
//! and DescribeInstances shows them; DescribeInstanceTypes will grow this into a catalog.

/// EC2's default when RunInstances names no type (API reference: "Default: m1.small").
pub const DEFAULT_INSTANCE_TYPE: &str = "m1.small";

/// The architecture of an instance type: Graviton families carry a `g` after the
/// generation digit (t4g, m7gd, c7gn), plus a1; the rest are x86_64.
pub fn architecture(t: &str) -> &'static str {
    let family = t.split('.').next().unwrap_or("");
    let after_digit = family
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .trim_start_matches(|c: char| c.is_ascii_digit());
    if family == "a1" || after_digit.contains('g') {
        "arm64"
    } else if family.starts_with("mac") {
        if family == "mac1" {
            "x86_64_mac"
        } else {
            "arm64_mac"
        }
    } else {
        "x86_64"
    }
}

/// The CPU credit option a burstable type starts with (EC2 User Guide, "Burstable
/// performance instances"): `standard` for T2, `unlimited` for T3, T3a and T4g; `None` for
/// types that are not burstable.
pub fn default_cpu_credits(t: &str) -> Option<&'static str> {
    match t.split('.').next().unwrap_or("") {
        "t2" => Some("standard"),
        "t3" | "t3a" | "t4g" => Some("unlimited"),
        _ => None,
    }
}

/// Cores × threads per core of an instance type: t2 and a1 have one thread per core;
/// sizes up to large have one core, then two per xlarge.
pub fn cpu_options(t: &str) -> (i32, i32) {
    let (family, size) = t.split_once('.').unwrap_or((t, "large"));
    let threads = if family.starts_with("t2") || family == "a1" || architecture(t) == "arm64" {
        1
    } else {
        2
    };
    let vcpus = match size {
        "nano" | "micro" | "small" | "medium" => 2,
        "large" => 2,
        "xlarge" => 4,
        s => s
            .strip_suffix("xlarge")
            .and_then(|n| n.parse::<i32>().ok())
            .map_or(2, |n| 4 * n),
    };
    let vcpus = if family.starts_with("t2") && matches!(size, "nano" | "micro" | "small") {
        1
    } else {
        vcpus
    };
    ((vcpus / threads).max(1), threads)
}
