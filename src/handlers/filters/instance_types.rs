//! DescribeInstanceTypes' filters, read from the catalog entry as the answer shows it, and
//! DescribeInstanceTypeOfferings'.

use super::{many, one};
use crate::describe::filter::{Field, FilterTable};
use crate::generated::types::{InstanceTypeInfo, InstanceTypeOffering};

/// A number as the answer writes it; absent when the entry has none.
fn num<'a, N: ToString>(n: Option<N>) -> Field<'a> {
    n.map_or(Field::None, |n| one(n.to_string()))
}

fn ebs_opt(t: &InstanceTypeInfo) -> Option<&crate::generated::types::EbsOptimizedInfo> {
    t.ebs_info.as_ref()?.ebs_optimized_info.as_ref()
}

fn storage(t: &InstanceTypeInfo) -> Option<&crate::generated::types::InstanceStorageInfo> {
    t.instance_storage_info.as_ref()
}

fn disks(t: &InstanceTypeInfo) -> impl Iterator<Item = &crate::generated::types::DiskInfo> {
    storage(t)
        .and_then(|s| s.disks.as_ref())
        .into_iter()
        .flatten()
}

pub const INSTANCE_TYPE_FILTERS: FilterTable<InstanceTypeInfo> = &[
    ("auto-recovery-supported", |t, _| {
        t.auto_recovery_supported.into()
    }),
    ("bare-metal", |t, _| t.bare_metal.into()),
    ("burstable-performance-supported", |t, _| {
        t.burstable_performance_supported.into()
    }),
    ("current-generation", |t, _| t.current_generation.into()),
    ("dedicated-hosts-supported", |t, _| {
        t.dedicated_hosts_supported.into()
    }),
    ("ebs-info.attachment-limit-type", |t, _| {
        t.ebs_info
            .as_ref()
            .and_then(|e| e.attachment_limit_type.as_ref())
            .map(|x| x.as_str())
            .into()
    }),
    ("ebs-info.maximum-ebs-attachments", |t, _| {
        num(t.ebs_info.as_ref().and_then(|e| e.maximum_ebs_attachments))
    }),
    (
        "ebs-info.ebs-optimized-info.baseline-bandwidth-in-mbps",
        |t, _| num(ebs_opt(t).and_then(|e| e.baseline_bandwidth_in_mbps)),
    ),
    ("ebs-info.ebs-optimized-info.baseline-iops", |t, _| {
        num(ebs_opt(t).and_then(|e| e.baseline_iops))
    }),
    (
        "ebs-info.ebs-optimized-info.baseline-throughput-in-mbps",
        |t, _| num(ebs_opt(t).and_then(|e| e.baseline_throughput_in_m_bps)),
    ),
    (
        "ebs-info.ebs-optimized-info.maximum-bandwidth-in-mbps",
        |t, _| num(ebs_opt(t).and_then(|e| e.maximum_bandwidth_in_mbps)),
    ),
    ("ebs-info.ebs-optimized-info.maximum-iops", |t, _| {
        num(ebs_opt(t).and_then(|e| e.maximum_iops))
    }),
    (
        "ebs-info.ebs-optimized-info.maximum-throughput-in-mbps",
        |t, _| num(ebs_opt(t).and_then(|e| e.maximum_throughput_in_m_bps)),
    ),
    ("ebs-info.ebs-optimized-support", |t, _| {
        t.ebs_info
            .as_ref()
            .and_then(|e| e.ebs_optimized_support.as_ref())
            .map(|x| x.as_str())
            .into()
    }),
    ("ebs-info.encryption-support", |t, _| {
        t.ebs_info
            .as_ref()
            .and_then(|e| e.encryption_support.as_ref())
            .map(|x| x.as_str())
            .into()
    }),
    ("ebs-info.nvme-support", |t, _| {
        t.ebs_info
            .as_ref()
            .and_then(|e| e.nvme_support.as_ref())
            .map(|x| x.as_str())
            .into()
    }),
    ("free-tier-eligible", |t, _| t.free_tier_eligible.into()),
    ("hibernation-supported", |t, _| {
        t.hibernation_supported.into()
    }),
    ("hypervisor", |t, _| {
        t.hypervisor.as_ref().map(|x| x.as_str()).into()
    }),
    ("instance-storage-info.disk.count", |t, _| {
        many(disks(t).filter_map(|d| d.count).map(|n| n.to_string()))
    }),
    ("instance-storage-info.disk.size-in-gb", |t, _| {
        many(disks(t).filter_map(|d| d.size_in_gb).map(|n| n.to_string()))
    }),
    ("instance-storage-info.disk.type", |t, _| {
        many(
            disks(t)
                .filter_map(|d| d.r#type.as_ref())
                .map(|x| x.as_str()),
        )
    }),
    ("instance-storage-info.encryption-support", |t, _| {
        storage(t)
            .and_then(|s| s.encryption_support.as_ref())
            .map(|x| x.as_str())
            .into()
    }),
    ("instance-storage-info.nvme-support", |t, _| {
        storage(t)
            .and_then(|s| s.nvme_support.as_ref())
            .map(|x| x.as_str())
            .into()
    }),
    ("instance-storage-info.total-size-in-gb", |t, _| {
        num(storage(t).and_then(|s| s.total_size_in_gb))
    }),
    ("instance-storage-supported", |t, _| {
        t.instance_storage_supported.into()
    }),
    ("instance-type", |t, _| {
        t.instance_type.as_ref().map(|x| x.as_str()).into()
    }),
    ("memory-info.size-in-mib", |t, _| {
        num(t.memory_info.as_ref().and_then(|m| m.size_in_mi_b))
    }),
    ("network-info.bandwidth-weightings", |t, _| {
        many(
            t.network_info
                .iter()
                .flat_map(|n| n.bandwidth_weightings.iter().flatten())
                .map(|x| x.as_str()),
        )
    }),
    ("network-info.efa-info.maximum-efa-interfaces", |t, _| {
        num(t
            .network_info
            .as_ref()
            .and_then(|n| n.efa_info.as_ref())
            .and_then(|e| e.maximum_efa_interfaces))
    }),
    ("network-info.efa-supported", |t, _| {
        t.network_info.as_ref().and_then(|n| n.efa_supported).into()
    }),
    ("network-info.ena-support", |t, _| {
        t.network_info
            .as_ref()
            .and_then(|n| n.ena_support.as_ref())
            .map(|x| x.as_str())
            .into()
    }),
    ("network-info.flexible-ena-queues-support", |t, _| {
        t.network_info
            .as_ref()
            .and_then(|n| n.flexible_ena_queues_support.as_ref())
            .map(|x| x.as_str())
            .into()
    }),
    ("network-info.encryption-in-transit-supported", |t, _| {
        t.network_info
            .as_ref()
            .and_then(|n| n.encryption_in_transit_supported)
            .into()
    }),
    ("network-info.ipv4-addresses-per-interface", |t, _| {
        num(t
            .network_info
            .as_ref()
            .and_then(|n| n.ipv4_addresses_per_interface))
    }),
    ("network-info.ipv6-addresses-per-interface", |t, _| {
        num(t
            .network_info
            .as_ref()
            .and_then(|n| n.ipv6_addresses_per_interface))
    }),
    ("network-info.ipv6-supported", |t, _| {
        t.network_info
            .as_ref()
            .and_then(|n| n.ipv6_supported)
            .into()
    }),
    ("network-info.maximum-network-cards", |t, _| {
        num(t
            .network_info
            .as_ref()
            .and_then(|n| n.maximum_network_cards))
    }),
    ("network-info.maximum-network-interfaces", |t, _| {
        num(t
            .network_info
            .as_ref()
            .and_then(|n| n.maximum_network_interfaces))
    }),
    ("network-info.network-performance", |t, _| {
        t.network_info
            .as_ref()
            .and_then(|n| n.network_performance.as_deref())
            .into()
    }),
    ("nitro-enclaves-support", |t, _| {
        t.nitro_enclaves_support.as_ref().map(|x| x.as_str()).into()
    }),
    ("nitro-tpm-support", |t, _| {
        t.nitro_tpm_support.as_ref().map(|x| x.as_str()).into()
    }),
    ("nitro-tpm-info.supported-versions", |t, _| {
        many(
            t.nitro_tpm_info
                .iter()
                .flat_map(|n| n.supported_versions.iter().flatten())
                .map(String::as_str),
        )
    }),
    ("processor-info.supported-architecture", |t, _| {
        many(
            t.processor_info
                .iter()
                .flat_map(|p| p.supported_architectures.iter().flatten())
                .map(|x| x.as_str()),
        )
    }),
    ("processor-info.sustained-clock-speed-in-ghz", |t, _| {
        num(t
            .processor_info
            .as_ref()
            .and_then(|p| p.sustained_clock_speed_in_ghz))
    }),
    ("processor-info.supported-features", |t, _| {
        many(
            t.processor_info
                .iter()
                .flat_map(|p| p.supported_features.iter().flatten())
                .map(|x| x.as_str()),
        )
    }),
    ("reboot-migration-support", |t, _| {
        t.reboot_migration_support
            .as_ref()
            .map(|x| x.as_str())
            .into()
    }),
    ("supported-boot-mode", |t, _| {
        many(t.supported_boot_modes.iter().flatten().map(|x| x.as_str()))
    }),
    ("supported-root-device-type", |t, _| {
        many(
            t.supported_root_device_types
                .iter()
                .flatten()
                .map(|x| x.as_str()),
        )
    }),
    ("supported-usage-class", |t, _| {
        many(
            t.supported_usage_classes
                .iter()
                .flatten()
                .map(|x| x.as_str()),
        )
    }),
    ("supported-virtualization-type", |t, _| {
        many(
            t.supported_virtualization_types
                .iter()
                .flatten()
                .map(|x| x.as_str()),
        )
    }),
    ("vcpu-info.default-cores", |t, _| {
        num(t.v_cpu_info.as_ref().and_then(|v| v.default_cores))
    }),
    ("vcpu-info.default-threads-per-core", |t, _| {
        num(t
            .v_cpu_info
            .as_ref()
            .and_then(|v| v.default_threads_per_core))
    }),
    ("vcpu-info.default-vcpus", |t, _| {
        num(t.v_cpu_info.as_ref().and_then(|v| v.default_v_cpus))
    }),
    ("vcpu-info.valid-cores", |t, _| {
        many(
            t.v_cpu_info
                .iter()
                .flat_map(|v| v.valid_cores.iter().flatten())
                .map(|n| n.to_string()),
        )
    }),
    ("vcpu-info.valid-threads-per-core", |t, _| {
        many(
            t.v_cpu_info
                .iter()
                .flat_map(|v| v.valid_threads_per_core.iter().flatten())
                .map(|n| n.to_string()),
        )
    }),
];

/// DescribeInstanceTypeOfferings (API reference: `instance-type`, and `location`, the
/// Region, zone name or zone id the LocationType asks for).
pub const INSTANCE_TYPE_OFFERING_FILTERS: FilterTable<InstanceTypeOffering> = &[
    ("instance-type", |o, _| {
        o.instance_type.as_ref().map(|x| x.as_str()).into()
    }),
    ("location", |o, _| o.location.as_deref().into()),
];
