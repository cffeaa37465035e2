//! One account's resources in one region, and the start state of a new AWS account.

use super::kinds::*;
use super::{new_id, Table, Tags};
use crate::clock::Timestamp;
use crate::net::Cidr;
use std::collections::{BTreeMap, HashMap, VecDeque};

/// The size a catalog image's non-root snapshot has when its mapping gives none.
const DEFAULT_SNAPSHOT_GIB: i32 = 8;

/// Everything here but `renders` is in a snapshot of the durable state (src/snapshot.rs).
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct RegionState {
    pub account: String,
    pub region: String,
    /// `(name, zone id)` of each Availability Zone.
    pub azs: Vec<(String, String)>,
    pub dhcp_options_id: String,
    // One table per kind of resource (see `kinds/`), keyed by id.
    pub vpcs: Table<Vpc>,
    pub subnets: Table<Subnet>,
    pub security_groups: Table<SecurityGroup>,
    pub security_group_rules: Table<SgRule>,
    pub instances: Table<Instance>,
    pub volumes: Table<Volume>,
    pub snapshots: Table<Snapshot>,
    pub network_interfaces: Table<NetworkInterface>,
    pub key_pairs: Table<KeyPair>,
    pub images: Table<Image>,
    pub internet_gateways: Table<InternetGateway>,
    pub route_tables: Table<RouteTable>,
    pub addresses: Table<Address>,
    pub nat_gateways: Table<NatGateway>,
    pub dhcp_options: Table<DhcpOptions>,
    pub network_acls: Table<NetworkAcl>,
    pub egress_only_gateways: Table<EgressOnlyInternetGateway>,
    pub prefix_lists: Table<ManagedPrefixList>,
    pub vpc_endpoints: Table<VpcEndpoint>,
    pub subnet_cidr_reservations: Table<SubnetCidrReservation>,
    pub launch_templates: Table<LaunchTemplate>,
    /// Key pair name → id: EC2 addresses key pairs by name as much as by id.
    pub key_names: BTreeMap<String, String>,
    /// Launch template name → id: names are unique per account and region.
    pub template_names: BTreeMap<String, String>,
    pub reservations: BTreeMap<String, Reservation>,
    /// RunInstances ClientToken → (reservation id, fingerprint of the request).
    #[serde(serialize_with = "crate::snapshot::sorted")]
    pub client_tokens: HashMap<String, (String, u64)>,
    /// The ClientTokens of other idempotent calls: (action, token) → the id the first call
    /// made, and its request's fingerprint where the operation checks one.
    #[serde(with = "crate::snapshot::tokens")]
    pub tokens: HashMap<(&'static str, String), (String, Option<u64>)>,
    /// Terminated instances in the order they went, to forget them after the retention.
    pub terminated: VecDeque<(Timestamp, String)>,
    /// Next public IPv4 address to hand out.
    pub next_public_ip: u32,
    /// Describe items as last rendered (derived from the tables, never journaled).
    #[serde(skip)]
    pub renders: super::Renders,
}

impl RegionState {
    /// What a new AWS account has in a region: the default DHCP options, the default VPC
    /// (see [`add_default_vpc`](Self::add_default_vpc)), the AWS-managed prefix lists of
    /// the Gateway endpoint services, and the public AMI catalog.
    pub fn new(account: &str, region: &str) -> RegionState {
        RegionState::with_catalog(account, region, crate::image_catalog::ImageCatalog::seed())
    }

    /// [`new`](Self::new) with the images of `catalog` (the seed's and the user's).
    pub fn with_catalog(
        account: &str,
        region: &str,
        catalog: &crate::image_catalog::ImageCatalog,
    ) -> RegionState {
        let azs: Vec<(String, String)> = crate::regions::availability_zones(region)
            .iter()
            .map(|az| (az.name.to_string(), az.zone_id.to_string()))
            .collect();
        let mut s = RegionState {
            account: account.to_string(),
            region: region.to_string(),
            azs,
            dhcp_options_id: new_id("dopt"),
            // 3.80.0.0/12 is one of EC2's us-east-1 public ranges; any public-looking block does.
            next_public_ip: u32::from(std::net::Ipv4Addr::new(3, 80, 0, 10)),
            // Every table starts empty.
            ..RegionState::default()
        };
        // The region's default DHCP options (VPC User Guide, "DHCP option sets"):
        // AmazonProvidedDNS, and `ec2.internal` in us-east-1, `<region>.compute.internal`
        // elsewhere.
        let domain = if region == "us-east-1" {
            "ec2.internal".to_string()
        } else {
            format!("{region}.compute.internal")
        };
        s.dhcp_options.insert(
            s.dhcp_options_id.clone(),
            DhcpOptions {
                id: s.dhcp_options_id.clone(),
                configurations: vec![
                    ("domain-name".into(), vec![domain]),
                    (
                        "domain-name-servers".into(),
                        vec!["AmazonProvidedDNS".into()],
                    ),
                ],
                tags: Tags::new(),
            },
        );
        s.add_default_vpc();
        for service in crate::services::GATEWAY_SERVICES {
            let id = crate::services::managed_prefix_list_id(region, service);
            let entries = crate::services::managed_prefix_list_cidrs(region, service)
                .into_iter()
                .map(|c| (c.to_string(), None))
                .collect();
            s.prefix_lists.insert(
                id.clone(),
                ManagedPrefixList {
                    id,
                    name: crate::services::service_name(region, service),
                    address_family: "IPv4".into(),
                    max_entries: 0,
                    version: 1,
                    history: vec![entries],
                    aws_managed: true,
                    create_time: Timestamp(0),
                    tags: Tags::new(),
                },
            );
        }
        for image in catalog.in_region(region) {
            s.add_catalog_image(image);
        }
        s.reindex();
        s
    }

    /// The default VPC, as a new account has it and CreateDefaultVpc makes it again:
    /// 172.31.0.0/16 with one default /20 subnet per Availability Zone (up to 16), an
    /// attached internet gateway and a default route through it in the main table (VPC
    /// User Guide, "Default VPC components"). Returns the VPC id.
    pub fn add_default_vpc(&mut self) -> String {
        let vpc_cidr = Cidr::parse("172.31.0.0/16").expect("default VPC CIDR");
        let vpc_id = self.add_vpc(vpc_cidr, "default", true);
        for (az, az_id) in self.azs.clone().into_iter().take(16) {
            self.add_default_subnet(&vpc_id, az, az_id);
        }
        let igw = new_id("igw");
        self.internet_gateways.insert(
            igw.clone(),
            InternetGateway {
                id: igw.clone(),
                vpc_id: Some(vpc_id.clone()),
                tags: Tags::new(),
            },
        );
        if let Some(main) = self.route_tables.values_mut().find(|t| t.vpc_id == vpc_id) {
            main.routes.push(Route {
                destination: Destination::Cidr4(Cidr::parse("0.0.0.0/0").expect("CIDR")),
                target: RouteTarget::Gateway(igw),
                origin: "CreateRoute",
            });
        }
        vpc_id
    }

    /// A default subnet in `az`: the first /20 of the default VPC's block that no subnet
    /// overlaps, public addresses on. `None` when the block is full.
    pub fn add_default_subnet(
        &mut self,
        vpc_id: &str,
        az: String,
        az_id: String,
    ) -> Option<String> {
        let vpc_cidr = self.vpcs.get(vpc_id)?.cidr;
        let cidr = (0..16u32)
            .map(|i| Cidr {
                base: vpc_cidr.base + (i << 12),
                prefix: 20,
            })
            .find(|c| {
                !self
                    .subnets
                    .values()
                    .any(|s| s.vpc_id == vpc_id && s.cidr.overlaps(*c))
            })?;
        let mut subnet = Subnet::new(new_id("subnet"), vpc_id.to_string(), cidr, az, az_id);
        subnet.default_for_az = true;
        subnet.map_public_ip_on_launch = true;
        let id = subnet.id.clone();
        self.associate_default_acl(&id, vpc_id);
        self.subnets.insert(id.clone(), subnet);
        Some(id)
    }

    /// Adds a VPC with what EC2 creates with every VPC: its `default` security group, its
    /// main route table (the `local` route) and its default network ACL; returns the VPC id.
    pub fn add_vpc(&mut self, cidr: Cidr, tenancy: &str, is_default: bool) -> String {
        let vpc = Vpc {
            id: new_id("vpc"),
            cidr,
            cidr_association_id: new_id("vpc-cidr-assoc"),
            dhcp_options_id: self.dhcp_options_id.clone(),
            instance_tenancy: tenancy.to_string(),
            is_default,
            enable_dns_support: true,
            enable_dns_hostnames: is_default,
            enable_network_address_usage_metrics: false,
            ipv6: None,
            secondary_cidrs: Vec::new(),
            tags: Tags::new(),
        };
        let id = vpc.id.clone();
        self.vpcs.insert(id.clone(), vpc);
        self.add_default_security_group(&id);
        let main = self.new_route_table(&id, cidr);
        self.route_tables.insert(
            main.id.clone(),
            RouteTable {
                associations: vec![RouteTableAssociation {
                    id: new_id("rtbassoc"),
                    target: AssociationTarget::Main,
                }],
                ..main
            },
        );
        let acl = NetworkAcl::default_for(new_id("acl"), &id);
        self.network_acls.insert(acl.id.clone(), acl);
        id
    }

    /// A route table of `vpc_id` with only the `local` route, as CreateRouteTable makes it.
    pub fn new_route_table(&self, vpc_id: &str, vpc_cidr: Cidr) -> RouteTable {
        RouteTable {
            id: new_id("rtb"),
            vpc_id: vpc_id.to_string(),
            routes: vec![Route {
                destination: Destination::Cidr4(vpc_cidr),
                target: RouteTarget::Local,
                origin: "CreateRouteTable",
            }],
            associations: Vec::new(),
            tags: Tags::new(),
        }
    }

    /// EC2's `default` group: all traffic in from members of the group itself, all
    /// traffic out to anywhere.
    fn add_default_security_group(&mut self, vpc_id: &str) {
        let id = new_id("sg");
        self.security_groups.insert(
            id.clone(),
            SecurityGroup {
                id: id.clone(),
                name: "default".into(),
                description: "default VPC security group".into(),
                vpc_id: vpc_id.to_string(),
                rule_ids: Vec::new(),
                tags: Tags::new(),
            },
        );
        let from_itself = SgRule {
            id: new_id("sgr"),
            group_id: id.clone(),
            egress: false,
            protocol: "-1".into(),
            from_port: None,
            to_port: None,
            peer: Peer::Group {
                group_id: id.clone(),
                user_id: self.account.clone(),
            },
            description: None,
            tags: Tags::new(),
        };
        self.add_rule(from_itself);
        self.add_rule(egress_all(&id));
    }

    /// Adds a rule to the rule table and to the end of its group's rules.
    pub fn add_rule(&mut self, rule: SgRule) {
        if let Some(g) = self.security_groups.get_mut(&rule.group_id) {
            g.rule_ids.push(rule.id.clone());
        }
        self.security_group_rules.insert(rule.id.clone(), rule);
    }

    /// A group's rules in the order they were added.
    pub fn rules_of<'s>(&'s self, g: &'s SecurityGroup) -> impl Iterator<Item = &'s SgRule> {
        g.rule_ids
            .iter()
            .filter_map(|id| self.security_group_rules.get(id))
    }

    /// The id an idempotent create made for `token`, if any.
    /// The zone id (`use1-az1`) of the Availability Zone named `az`.
    pub fn zone_id(&self, az: &str) -> Option<&str> {
        self.azs
            .iter()
            .find(|(n, _)| n == az)
            .map(|(_, id)| id.as_str())
    }

    pub fn token(&self, action: &'static str, token: &str) -> Option<&str> {
        self.kept_token(action, token).map(|(id, _)| id)
    }

    /// The id a token's first call made, and the fingerprint of that call's request
    /// where the operation keeps one (`handlers::common::ClientToken`).
    pub fn kept_token(&self, action: &'static str, token: &str) -> Option<(&str, Option<u64>)> {
        self.tokens
            .get(&(action, token.to_string()))
            .map(|(id, f)| (id.as_str(), *f))
    }

    pub fn set_token(&mut self, action: &'static str, token: &str, id: &str) {
        self.keep_token(action, token, id, None);
    }

    pub fn keep_token(
        &mut self,
        action: &'static str,
        token: &str,
        id: &str,
        fingerprint: Option<u64>,
    ) {
        self.tokens
            .insert((action, token.to_string()), (id.to_string(), fingerprint));
    }

    /// An instance's interfaces: the primary one, then those attached later.
    pub fn interfaces_of<'s>(
        &'s self,
        i: &'s Instance,
    ) -> impl Iterator<Item = &'s NetworkInterface> {
        std::iter::once(&i.eni_id)
            .chain(&i.secondary_enis)
            .filter_map(|id| self.network_interfaces.get(id))
    }

    /// An instance's security groups: its primary interface's.
    pub fn groups_of(&self, i: &Instance) -> &[String] {
        self.network_interfaces
            .get(&i.eni_id)
            .map_or(&[], |n| n.groups.as_slice())
    }

    /// A catalog image and its public snapshots (owned by the image's owner:
    /// DescribeSnapshots lists them with `OwnerIds=amazon` for Amazon's images).
    pub fn add_catalog_image(&mut self, image: &Image) {
        let snapshots = std::iter::once((image.snapshot_id.clone(), image.root_volume_size)).chain(
            image.other_mappings.iter().filter_map(|m| {
                let e = m.ebs.as_ref()?;
                Some((
                    e.snapshot_id.clone()?,
                    e.volume_size.unwrap_or(DEFAULT_SNAPSHOT_GIB),
                ))
            }),
        );
        // The image's snapshots were taken when it was made (EC2 shows the start time of
        // the image's own build; its creation date is the nearest fact the catalog has).
        let taken = Timestamp::parse(
            &image.creation_date,
            crate::clock::TimestampFormat::DateTime,
        )
        .unwrap_or(Timestamp(0));
        for (id, size) in snapshots {
            self.snapshots.insert(
                id.clone(),
                Snapshot {
                    id,
                    volume_id: "vol-ffffffff".into(),
                    volume_size: size,
                    description: String::new(),
                    owner_id: image.owner_id.clone(),
                    owner_alias: image.owner_alias.clone(),
                    start_time: taken,
                    completed_at: taken,
                    encrypted: image.root_encrypted,
                    public: true,
                    shared_with: Vec::new(),
                    tags: Tags::new(),
                },
            );
        }
        self.images.insert(image.id.clone(), image.clone());
    }

    /// Adds a key pair under its id and its name.
    pub fn add_key_pair(&mut self, pair: KeyPair) {
        self.key_names.insert(pair.name.clone(), pair.id.clone());
        self.key_pairs.insert(pair.id.clone(), pair);
    }

    pub fn key_pair_by_name(&self, name: &str) -> Option<&KeyPair> {
        self.key_pairs.get(self.key_names.get(name)?)
    }

    /// Forgets instances terminated before `cutoff`, with their reservations once empty.
    pub fn purge_terminated(&mut self, cutoff: Timestamp) {
        while let Some((at, _)) = self.terminated.front() {
            if *at >= cutoff {
                break;
            }
            let (_, id) = self.terminated.pop_front().expect("front exists");
            if let Some(i) = self.instances.remove(&id) {
                // The primary interface, and the others that delete on termination.
                self.network_interfaces.remove(&i.eni_id);
                for eni in &i.secondary_enis {
                    let goes = self.network_interfaces.get(eni).is_some_and(|n| {
                        n.attachment
                            .as_ref()
                            .is_some_and(|a| *a.instance_id == *id && a.delete_on_termination)
                    });
                    if goes {
                        self.network_interfaces.remove(eni);
                    }
                }
                for v in &i.volume_ids {
                    let goes = self.volumes.get(v).is_some_and(|v| {
                        v.attachment
                            .as_ref()
                            .is_some_and(|a| *a.instance_id == *id && a.delete_on_termination)
                    });
                    if goes {
                        self.volumes.remove(v);
                    }
                }
                if let Some(r) = self.reservations.get_mut(&i.reservation_id) {
                    r.instance_ids.retain(|x| **x != *id);
                    if r.instance_ids.is_empty() {
                        self.reservations.remove(&i.reservation_id);
                    }
                }
                if let Some(t) = &i.client_token {
                    if self
                        .client_tokens
                        .get(t)
                        .is_some_and(|(r, _)| *r == i.reservation_id)
                        && !self.reservations.contains_key(&i.reservation_id)
                    {
                        self.client_tokens.remove(t);
                    }
                }
            }
        }
    }

    /// Whether a volume or interface went with its instance: EC2 deletes the primary
    /// interface and the volumes marked DeleteOnTermination when the instance terminates.
    /// `deletes` is that mark (always true for the primary interface).
    pub fn went_with_instance(&self, instance_id: &str, deletes: bool) -> bool {
        deletes
            && self.instances.get(instance_id).is_none_or(|i| {
                matches!(
                    i.phase,
                    Phase::ShuttingDown { .. } | Phase::Terminated { .. }
                )
            })
    }

    pub fn default_vpc(&self) -> Option<&Vpc> {
        self.vpcs.values().find(|v| v.is_default)
    }

    pub fn group_by_name(&self, vpc_id: &str, name: &str) -> Option<&SecurityGroup> {
        self.security_groups
            .values()
            .find(|g| g.vpc_id == vpc_id && g.name == name)
    }

    /// The next public IPv4 address, skipping network and broadcast-looking ends.
    pub fn allocate_public_ip(&mut self) -> u32 {
        loop {
            let ip = self.next_public_ip;
            self.next_public_ip = self.next_public_ip.wrapping_add(1);
            if !matches!(ip & 0xff, 0 | 255) {
                return ip;
            }
        }
    }
}

/// The allow-all egress rule of every VPC security group.
pub fn egress_all(group_id: &str) -> SgRule {
    SgRule {
        id: new_id("sgr"),
        group_id: group_id.to_string(),
        egress: true,
        protocol: "-1".into(),
        from_port: None,
        to_port: None,
        peer: Peer::Cidr4("0.0.0.0/0".into()),
        description: None,
        tags: Tags::new(),
    }
}
