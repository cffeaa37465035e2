//! DescribeLaunchTemplates' and DescribeLaunchTemplateVersions' filters, read from what
//! the answers show (a version's filters read its launch template data).

use super::{flag, one, time};
use crate::describe::filter::{Field, FilterTable};
use crate::store::{LaunchTemplate, TemplateVersion};

pub const LAUNCH_TEMPLATE_FILTERS: FilterTable<LaunchTemplate> = &[
    ("create-time", |t, _| one(time(t.create_time))),
    ("launch-template-name", |t, _| one(t.name.as_str())),
];

pub const LAUNCH_TEMPLATE_VERSION_FILTERS: FilterTable<TemplateVersion> = &[
    ("create-time", |v, _| one(time(v.create_time))),
    ("ebs-optimized", |v, _| v.data.ebs_optimized.into()),
    ("http-endpoint", |v, _| {
        v.data
            .metadata_options
            .as_ref()
            .and_then(|m| m.http_endpoint.as_ref())
            .map(|e| e.as_str())
            .into()
    }),
    // The model's name for the IPv6 endpoint setting; the template keeps `HttpProtocolIpv6`.
    ("http-protocol-ipv4", |v, _| {
        v.data
            .metadata_options
            .as_ref()
            .and_then(|m| m.http_protocol_ipv6.as_ref())
            .map(|e| e.as_str())
            .into()
    }),
    ("host-resource-group-arn", |v, _| {
        v.data
            .placement
            .as_ref()
            .and_then(|p| p.host_resource_group_arn.as_deref())
            .into()
    }),
    ("http-tokens", |v, _| {
        v.data
            .metadata_options
            .as_ref()
            .and_then(|m| m.http_tokens.as_ref())
            .map(|e| e.as_str())
            .into()
    }),
    ("iam-instance-profile", |v, _| {
        v.data
            .iam_instance_profile
            .as_ref()
            .and_then(|p| p.arn.as_deref().or(p.name.as_deref()))
            .into()
    }),
    ("image-id", |v, _| v.data.image_id.as_deref().into()),
    ("instance-type", |v, _| {
        v.data.instance_type.as_ref().map(|t| t.as_str()).into()
    }),
    ("is-default-version", |v, view| {
        view.state
            .launch_templates
            .get(&v.template_id)
            .map_or(Field::None, |t| one(flag(t.default_version == v.number)))
    }),
    ("kernel-id", |v, _| v.data.kernel_id.as_deref().into()),
    ("license-configuration-arn", |v, _| {
        super::many(
            v.data
                .license_specifications
                .iter()
                .flatten()
                .filter_map(|l| l.license_configuration_arn.as_deref()),
        )
    }),
    ("network-card-index", |v, _| {
        super::many(
            v.data
                .network_interfaces
                .iter()
                .flatten()
                .filter_map(|n| n.network_card_index)
                .map(|i| i.to_string()),
        )
    }),
    ("ram-disk-id", |v, _| v.data.ram_disk_id.as_deref().into()),
];
