//! IPv4 CIDR blocks: parsing with EC2's errors, containment, overlap, and the addresses a
//! subnet can hand out (AWS reserves the first four and the last one).

use std::fmt;
use std::net::Ipv4Addr;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Cidr {
    pub base: u32,
    pub prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n` with the host bits clear; `None` for anything else.
    pub fn parse(s: &str) -> Option<Cidr> {
        let (ip, prefix) = s.split_once('/')?;
        let ip: Ipv4Addr = ip.parse().ok()?;
        if prefix.is_empty() || prefix.len() > 2 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let prefix: u8 = prefix.parse().ok().filter(|&p| p <= 32)?;
        let cidr = Cidr {
            base: u32::from(ip),
            prefix,
        };
        (cidr.base & !cidr.mask() == 0).then_some(cidr)
    }

    /// Parses `a.b.c.d/n` and clears the host bits, as CreateVpc, CreateSubnet and
    /// security group rules do ("if you specify 100.68.0.18/18, we modify it to
    /// 100.68.0.0/18", CreateVpc API reference).
    pub fn parse_canonical(s: &str) -> Option<Cidr> {
        let (ip, prefix) = s.split_once('/')?;
        let ip: Ipv4Addr = ip.parse().ok()?;
        if prefix.is_empty() || prefix.len() > 2 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let prefix: u8 = prefix.parse().ok().filter(|&p| p <= 32)?;
        let raw = Cidr {
            base: u32::from(ip),
            prefix,
        };
        Some(Cidr {
            base: raw.base & raw.mask(),
            prefix,
        })
    }

    pub fn mask(self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - self.prefix)
        }
    }

    pub fn size(self) -> u64 {
        1u64 << (32 - self.prefix)
    }

    pub fn last(self) -> u32 {
        self.base | !self.mask()
    }

    pub fn contains(self, other: Cidr) -> bool {
        other.prefix >= self.prefix && other.base & self.mask() == self.base
    }

    pub fn contains_ip(self, ip: u32) -> bool {
        ip & self.mask() == self.base
    }

    pub fn overlaps(self, other: Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// Addresses an instance can get: all but the network address, the next three (VPC
    /// router, DNS, reserved) and the broadcast address.
    pub fn usable(self) -> u32 {
        (self.size().saturating_sub(5)) as u32
    }

    pub fn first_usable(self) -> u32 {
        self.base + 4
    }

    pub fn last_usable(self) -> u32 {
        self.last() - 1
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.base), self.prefix)
    }
}

/// EC2's address and DNS name text for instances and interfaces.
pub fn dotted(ip: u32) -> String {
    let mut out = String::with_capacity(15);
    push_ip(&mut out, ip, '.');
    out
}

/// The four octets of `ip` joined by `sep`, without `core::fmt` (it showed in profiles:
/// every instance in every answer writes its addresses several times).
fn push_ip(out: &mut String, ip: u32, sep: char) {
    for (n, octet) in ip.to_be_bytes().into_iter().enumerate() {
        if n > 0 {
            out.push(sep);
        }
        if octet >= 100 {
            out.push((b'0' + octet / 100) as char);
        }
        if octet >= 10 {
            out.push((b'0' + octet / 10 % 10) as char);
        }
        out.push((b'0' + octet % 10) as char);
    }
}

/// `prefix` + the address with dashes + `suffix`: EC2's DNS names.
fn dns_name(prefix: &str, ip: u32, suffix: &[&str]) -> String {
    let mut out = String::with_capacity(64);
    out.push_str(prefix);
    push_ip(&mut out, ip, '-');
    suffix.iter().for_each(|s| out.push_str(s));
    out
}

/// `ip-172-31-5-10.ec2.internal` in us-east-1, `ip-….{region}.compute.internal` elsewhere.
pub fn private_dns(region: &str, ip: u32) -> String {
    if region == "us-east-1" {
        dns_name("ip-", ip, &[".ec2.internal"])
    } else {
        dns_name("ip-", ip, &[".", region, ".compute.internal"])
    }
}

/// `ec2-3-80-0-10.compute-1.amazonaws.com` in us-east-1, `ec2-….{region}.compute.amazonaws.com` elsewhere.
pub fn public_dns(region: &str, ip: u32) -> String {
    if region == "us-east-1" {
        dns_name("ec2-", ip, &[".compute-1.amazonaws.com"])
    } else {
        dns_name("ec2-", ip, &[".", region, ".compute.amazonaws.com"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_canonical_blocks_only() {
        assert_eq!(
            Cidr::parse("10.0.0.0/16").unwrap().to_string(),
            "10.0.0.0/16"
        );
        assert!(Cidr::parse("10.0.0.1/16").is_none());
        assert!(Cidr::parse("10.0.0.0").is_none());
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("10.0.0.0/+8").is_none());
        assert!(Cidr::parse("300.0.0.0/8").is_none());
    }

    #[test]
    fn aws_reserves_five_addresses_per_subnet() {
        let c = Cidr::parse("172.31.0.0/20").unwrap();
        assert_eq!(c.usable(), 4091);
        assert_eq!(
            Ipv4Addr::from(c.first_usable()),
            Ipv4Addr::new(172, 31, 0, 4)
        );
        assert_eq!(
            Ipv4Addr::from(c.last_usable()),
            Ipv4Addr::new(172, 31, 15, 254)
        );
    }

    #[test]
    fn containment_and_overlap() {
        let vpc = Cidr::parse("10.0.0.0/16").unwrap();
        let a = Cidr::parse("10.0.1.0/24").unwrap();
        let b = Cidr::parse("10.0.0.0/23").unwrap();
        assert!(vpc.contains(a) && a.overlaps(b) && !a.contains(vpc));
        assert!(!Cidr::parse("10.1.0.0/24").unwrap().overlaps(vpc));
    }

    #[test]
    fn addresses_and_dns_names_are_written_like_ec2() {
        let ip = u32::from(Ipv4Addr::new(172, 31, 0, 104));
        assert_eq!(dotted(ip), "172.31.0.104");
        assert_eq!(dotted(u32::from(Ipv4Addr::new(3, 80, 10, 0))), "3.80.10.0");
        assert_eq!(private_dns("us-east-1", ip), "ip-172-31-0-104.ec2.internal");
        assert_eq!(
            private_dns("eu-west-1", ip),
            "ip-172-31-0-104.eu-west-1.compute.internal"
        );
        assert_eq!(
            public_dns("us-east-1", ip),
            "ec2-172-31-0-104.compute-1.amazonaws.com"
        );
        assert_eq!(
            public_dns("ap-south-1", ip),
            "ec2-172-31-0-104.ap-south-1.compute.amazonaws.com"
        );
    }
}
