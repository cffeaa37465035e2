//! GetLaunchTemplateData: an instance's launch parameters as template data, to save as a
//! template of its own (the API reference's example shows the fields: Monitoring,
//! ImageId, BlockDeviceMappings, EbsOptimized, Placement, InstanceType, NetworkInterfaces
//! with their addresses and groups; the other launch options follow the instance's).

use crate::context::Cx;
use crate::generated::types as w;
use crate::handlers::instances::instance_to_wire;
use crate::store::{Instance, Volume};
use crate::Ec2Error;
use base64::Engine as _;

pub fn get_launch_template_data(
    cx: &mut Cx<'_>,
    input: w::GetLaunchTemplateDataInput,
) -> Result<w::GetLaunchTemplateDataOutput, Ec2Error> {
    let view = cx.view();
    let i: &Instance = view.get(&input.instance_id)?;
    let s = view.state;
    let wire = instance_to_wire(s, i, view.now);
    let block_device_mappings = i
        .volume_ids
        .iter()
        .filter_map(|id| s.volumes.get(id))
        .filter_map(|v: &Volume| {
            let a = v.attachment.as_ref()?;
            Some(w::LaunchTemplateBlockDeviceMapping {
                device_name: Some(a.device_name.to_string()),
                ebs: Some(w::LaunchTemplateEbsBlockDevice {
                    encrypted: Some(v.encrypted),
                    delete_on_termination: Some(a.delete_on_termination),
                    iops: v.iops,
                    snapshot_id: v.snapshot_id.clone(),
                    volume_size: Some(v.size_gib),
                    volume_type: Some(w::VolumeType::from(v.volume_type.as_str())),
                    throughput: v.throughput,
                    ..Default::default()
                }),
                ..Default::default()
            })
        })
        .collect();
    let network_interfaces = wire
        .network_interfaces
        .iter()
        .flatten()
        .map(|n| w::LaunchTemplateInstanceNetworkInterfaceSpecification {
            associate_public_ip_address: Some(n.association.is_some()),
            delete_on_termination: n.attachment.as_ref().and_then(|a| a.delete_on_termination),
            description: n.description.clone(),
            device_index: n.attachment.as_ref().and_then(|a| a.device_index),
            groups: Some(
                n.groups
                    .iter()
                    .flatten()
                    .filter_map(|g| g.group_id.clone())
                    .collect(),
            ),
            interface_type: n.interface_type.clone(),
            ipv6_addresses: Some(
                n.ipv6_addresses
                    .iter()
                    .flatten()
                    .map(|a| w::InstanceIpv6Address {
                        ipv6_address: a.ipv6_address.clone(),
                        is_primary_ipv6: None,
                    })
                    .collect(),
            ),
            network_interface_id: n.network_interface_id.clone(),
            private_ip_address: n.private_ip_address.clone(),
            private_ip_addresses: Some(
                n.private_ip_addresses
                    .iter()
                    .flatten()
                    .map(|a| w::PrivateIpAddressSpecification {
                        primary: a.primary,
                        private_ip_address: a.private_ip_address.clone(),
                    })
                    .collect(),
            ),
            subnet_id: n.subnet_id.clone(),
            network_card_index: Some(0),
            ..Default::default()
        })
        .collect();
    let m = &i.metadata;
    let data = w::ResponseLaunchTemplateData {
        image_id: Some(i.image_id.to_string()),
        instance_type: Some(w::InstanceType::from(&*i.instance_type)),
        key_name: i.key_name.clone(),
        ebs_optimized: Some(i.ebs_optimized),
        block_device_mappings: Some(block_device_mappings),
        network_interfaces: Some(network_interfaces),
        // `{}` when monitoring is off, as in the API reference's example.
        monitoring: Some(w::LaunchTemplatesMonitoring {
            enabled: i.monitoring.then_some(true),
        }),
        placement: Some(w::LaunchTemplatePlacement {
            availability_zone: Some(i.az.to_string()),
            group_name: Some(String::new()),
            tenancy: Some(w::Tenancy::from(&*i.tenancy)),
            ..Default::default()
        }),
        disable_api_termination: Some(i.disable_api_termination),
        disable_api_stop: Some(i.disable_api_stop),
        instance_initiated_shutdown_behavior: Some(w::ShutdownBehavior::from(i.shutdown_behavior)),
        user_data: i
            .user_data
            .as_ref()
            .map(|u| base64::engine::general_purpose::STANDARD.encode(u)),
        iam_instance_profile: i.iam_instance_profile.as_ref().map(|p| {
            w::LaunchTemplateIamInstanceProfileSpecification {
                arn: Some(p.arn.clone()),
                name: None,
            }
        }),
        credit_specification: i.cpu_credits.map(|c| w::CreditSpecification {
            cpu_credits: Some(c.to_string()),
        }),
        cpu_options: wire
            .cpu_options
            .as_ref()
            .map(|c| w::LaunchTemplateCpuOptions {
                core_count: c.core_count,
                threads_per_core: c.threads_per_core,
                ..Default::default()
            }),
        hibernation_options: wire.hibernation_options.as_ref().map(|h| {
            w::LaunchTemplateHibernationOptions {
                configured: h.configured,
            }
        }),
        metadata_options: Some(w::LaunchTemplateInstanceMetadataOptions {
            state: Some(w::LaunchTemplateInstanceMetadataOptionsState::from(
                "applied",
            )),
            http_tokens: Some(m.http_tokens.into()),
            http_put_response_hop_limit: Some(m.http_put_response_hop_limit),
            http_endpoint: Some(m.http_endpoint.into()),
            http_protocol_ipv6: Some(m.http_protocol_ipv6.into()),
            instance_metadata_tags: Some(m.instance_metadata_tags.into()),
        }),
        enclave_options: Some(w::LaunchTemplateEnclaveOptions {
            enabled: Some(false),
        }),
        private_dns_name_options: wire.private_dns_name_options.as_ref().map(|p| {
            w::LaunchTemplatePrivateDnsNameOptions {
                hostname_type: p.hostname_type.clone(),
                enable_resource_name_dns_a_record: p.enable_resource_name_dns_a_record,
                enable_resource_name_dns_aaaa_record: p.enable_resource_name_dns_aaaa_record,
            }
        }),
        ..Default::default()
    };
    Ok(w::GetLaunchTemplateDataOutput {
        launch_template_data: Some(data),
    })
}
