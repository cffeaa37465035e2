//! The hand-written side of the API: `impl Ec2 for Emulator`, one line per operation,
//! delegating to a file per resource family.

mod addresses;
mod cidr_blocks;
mod common;
mod dhcp_options;
mod egress_only_gateways;
pub(crate) mod endpoint_services;
pub mod filters;
pub(crate) mod images;
mod instance_types;
pub(crate) mod instances;
mod internet_gateways;
mod key_pairs;
pub(crate) mod launch_templates;
mod nat_gateways;
mod network_acls;
mod network_interfaces;
mod prefix_lists;
pub(crate) mod regions;
pub(crate) mod route_tables;
mod routes;
pub(crate) mod security_groups;
mod snapshots;
pub(crate) mod subnets;
mod tags;
mod volume_changes;
pub(crate) mod volumes;
pub(crate) mod vpc_endpoints;
mod vpcs;

use crate::context::Cx;
use crate::generated::service::Ec2;
use crate::generated::types::*;
use crate::Ec2Error;

/// The emulator's handlers. Stateless: state arrives through `Cx`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Handlers;

/// `impl Ec2 for Handlers`, one line per operation: `module::method(Input) -> Output;`
/// delegates the trait method to the function of the same name in that module.
macro_rules! handlers {
    ($($module:ident :: $method:ident ($input:ident) -> $output:ident;)*) => {
        impl<'a> Ec2<Cx<'a>> for Handlers {
            $(
                fn $method(&self, cx: &mut Cx<'a>, input: $input) -> Result<$output, Ec2Error> {
                    $module::$method(cx, input)
                }
            )*
        }
    };
}

#[rustfmt::skip]
handlers! {
    instances::describe_instance_status(DescribeInstanceStatusInput) -> DescribeInstanceStatusOutput;
    instances::monitor_instances(MonitorInstancesInput) -> MonitorInstancesOutput;
    instances::reboot_instances(RebootInstancesInput) -> RebootInstancesOutput;
    instances::unmonitor_instances(UnmonitorInstancesInput) -> UnmonitorInstancesOutput;
    volume_changes::describe_volume_attribute(DescribeVolumeAttributeInput) -> DescribeVolumeAttributeOutput;
    volume_changes::describe_volume_status(DescribeVolumeStatusInput) -> DescribeVolumeStatusOutput;
    volume_changes::describe_volumes_modifications(DescribeVolumesModificationsInput) -> DescribeVolumesModificationsOutput;
    volume_changes::modify_volume(ModifyVolumeInput) -> ModifyVolumeOutput;
    volume_changes::modify_volume_attribute(ModifyVolumeAttributeInput) -> ModifyVolumeAttributeOutput;
    instances::describe_instance_attribute(DescribeInstanceAttributeInput) -> DescribeInstanceAttributeOutput;
    instances::describe_instance_credit_specifications(DescribeInstanceCreditSpecificationsInput) -> DescribeInstanceCreditSpecificationsOutput;
    instances::modify_instance_attribute(ModifyInstanceAttributeInput) -> ModifyInstanceAttributeOutput;
    instances::modify_instance_credit_specification(ModifyInstanceCreditSpecificationInput) -> ModifyInstanceCreditSpecificationOutput;
    instances::reset_instance_attribute(ResetInstanceAttributeInput) -> ResetInstanceAttributeOutput;
    volumes::attach_volume(AttachVolumeInput) -> AttachVolumeOutput;
    volumes::create_volume(CreateVolumeInput) -> CreateVolumeOutput;
    volumes::delete_volume(DeleteVolumeInput) -> DeleteVolumeOutput;
    volumes::describe_volumes(DescribeVolumesInput) -> DescribeVolumesOutput;
    volumes::detach_volume(DetachVolumeInput) -> DetachVolumeOutput;
    prefix_lists::create_managed_prefix_list(CreateManagedPrefixListInput) -> CreateManagedPrefixListOutput;
    cidr_blocks::create_subnet_cidr_reservation(CreateSubnetCidrReservationInput) -> CreateSubnetCidrReservationOutput;
    vpc_endpoints::create_vpc_endpoint(CreateVpcEndpointInput) -> CreateVpcEndpointOutput;
    prefix_lists::delete_managed_prefix_list(DeleteManagedPrefixListInput) -> DeleteManagedPrefixListOutput;
    cidr_blocks::delete_subnet_cidr_reservation(DeleteSubnetCidrReservationInput) -> DeleteSubnetCidrReservationOutput;
    vpc_endpoints::delete_vpc_endpoints(DeleteVpcEndpointsInput) -> DeleteVpcEndpointsOutput;
    prefix_lists::describe_managed_prefix_lists(DescribeManagedPrefixListsInput) -> DescribeManagedPrefixListsOutput;
    prefix_lists::describe_prefix_lists(DescribePrefixListsInput) -> DescribePrefixListsOutput;
    endpoint_services::describe_vpc_endpoint_services(DescribeVpcEndpointServicesInput) -> DescribeVpcEndpointServicesOutput;
    vpc_endpoints::describe_vpc_endpoints(DescribeVpcEndpointsInput) -> DescribeVpcEndpointsOutput;
    prefix_lists::get_managed_prefix_list_entries(GetManagedPrefixListEntriesInput) -> GetManagedPrefixListEntriesOutput;
    cidr_blocks::get_subnet_cidr_reservations(GetSubnetCidrReservationsInput) -> GetSubnetCidrReservationsOutput;
    prefix_lists::modify_managed_prefix_list(ModifyManagedPrefixListInput) -> ModifyManagedPrefixListOutput;
    vpc_endpoints::modify_vpc_endpoint(ModifyVpcEndpointInput) -> ModifyVpcEndpointOutput;
    network_interfaces::assign_private_ip_addresses(AssignPrivateIpAddressesInput) -> AssignPrivateIpAddressesOutput;
    network_interfaces::attach_network_interface(AttachNetworkInterfaceInput) -> AttachNetworkInterfaceOutput;
    network_interfaces::create_network_interface(CreateNetworkInterfaceInput) -> CreateNetworkInterfaceOutput;
    network_interfaces::delete_network_interface(DeleteNetworkInterfaceInput) -> DeleteNetworkInterfaceOutput;
    network_interfaces::describe_network_interface_attribute(DescribeNetworkInterfaceAttributeInput) -> DescribeNetworkInterfaceAttributeOutput;
    network_interfaces::describe_network_interfaces(DescribeNetworkInterfacesInput) -> DescribeNetworkInterfacesOutput;
    network_interfaces::detach_network_interface(DetachNetworkInterfaceInput) -> DetachNetworkInterfaceOutput;
    network_interfaces::modify_network_interface_attribute(ModifyNetworkInterfaceAttributeInput) -> ModifyNetworkInterfaceAttributeOutput;
    network_interfaces::reset_network_interface_attribute(ResetNetworkInterfaceAttributeInput) -> ResetNetworkInterfaceAttributeOutput;
    network_interfaces::unassign_private_ip_addresses(UnassignPrivateIpAddressesInput) -> UnassignPrivateIpAddressesOutput;
    cidr_blocks::associate_subnet_cidr_block(AssociateSubnetCidrBlockInput) -> AssociateSubnetCidrBlockOutput;
    cidr_blocks::associate_vpc_cidr_block(AssociateVpcCidrBlockInput) -> AssociateVpcCidrBlockOutput;
    subnets::create_default_subnet(CreateDefaultSubnetInput) -> CreateDefaultSubnetOutput;
    vpcs::create_default_vpc(CreateDefaultVpcInput) -> CreateDefaultVpcOutput;
    egress_only_gateways::create_egress_only_internet_gateway(CreateEgressOnlyInternetGatewayInput) -> CreateEgressOnlyInternetGatewayOutput;
    network_acls::create_network_acl(CreateNetworkAclInput) -> CreateNetworkAclOutput;
    network_acls::create_network_acl_entry(CreateNetworkAclEntryInput) -> CreateNetworkAclEntryOutput;
    egress_only_gateways::delete_egress_only_internet_gateway(DeleteEgressOnlyInternetGatewayInput) -> DeleteEgressOnlyInternetGatewayOutput;
    network_acls::delete_network_acl(DeleteNetworkAclInput) -> DeleteNetworkAclOutput;
    network_acls::delete_network_acl_entry(DeleteNetworkAclEntryInput) -> DeleteNetworkAclEntryOutput;
    addresses::describe_addresses_attribute(DescribeAddressesAttributeInput) -> DescribeAddressesAttributeOutput;
    egress_only_gateways::describe_egress_only_internet_gateways(DescribeEgressOnlyInternetGatewaysInput) -> DescribeEgressOnlyInternetGatewaysOutput;
    security_groups::describe_security_group_references(DescribeSecurityGroupReferencesInput) -> DescribeSecurityGroupReferencesOutput;
    security_groups::describe_stale_security_groups(DescribeStaleSecurityGroupsInput) -> DescribeStaleSecurityGroupsOutput;
    cidr_blocks::disassociate_subnet_cidr_block(DisassociateSubnetCidrBlockInput) -> DisassociateSubnetCidrBlockOutput;
    cidr_blocks::disassociate_vpc_cidr_block(DisassociateVpcCidrBlockInput) -> DisassociateVpcCidrBlockOutput;
    security_groups::modify_security_group_rules(ModifySecurityGroupRulesInput) -> ModifySecurityGroupRulesOutput;
    network_acls::replace_network_acl_association(ReplaceNetworkAclAssociationInput) -> ReplaceNetworkAclAssociationOutput;
    network_acls::replace_network_acl_entry(ReplaceNetworkAclEntryInput) -> ReplaceNetworkAclEntryOutput;
    security_groups::update_security_group_rule_descriptions_egress(UpdateSecurityGroupRuleDescriptionsEgressInput) -> UpdateSecurityGroupRuleDescriptionsEgressOutput;
    security_groups::update_security_group_rule_descriptions_ingress(UpdateSecurityGroupRuleDescriptionsIngressInput) -> UpdateSecurityGroupRuleDescriptionsIngressOutput;
    addresses::allocate_address(AllocateAddressInput) -> AllocateAddressOutput;
    addresses::associate_address(AssociateAddressInput) -> AssociateAddressOutput;
    dhcp_options::associate_dhcp_options(AssociateDhcpOptionsInput) -> AssociateDhcpOptionsOutput;
    security_groups::authorize_security_group_egress(AuthorizeSecurityGroupEgressInput) -> AuthorizeSecurityGroupEgressOutput;
    dhcp_options::create_dhcp_options(CreateDhcpOptionsInput) -> CreateDhcpOptionsOutput;
    nat_gateways::create_nat_gateway(CreateNatGatewayInput) -> CreateNatGatewayOutput;
    dhcp_options::delete_dhcp_options(DeleteDhcpOptionsInput) -> DeleteDhcpOptionsOutput;
    nat_gateways::delete_nat_gateway(DeleteNatGatewayInput) -> DeleteNatGatewayOutput;
    addresses::describe_addresses(DescribeAddressesInput) -> DescribeAddressesOutput;
    dhcp_options::describe_dhcp_options(DescribeDhcpOptionsInput) -> DescribeDhcpOptionsOutput;
    nat_gateways::describe_nat_gateways(DescribeNatGatewaysInput) -> DescribeNatGatewaysOutput;
    network_acls::describe_network_acls(DescribeNetworkAclsInput) -> DescribeNetworkAclsOutput;
    security_groups::describe_security_group_rules(DescribeSecurityGroupRulesInput) -> DescribeSecurityGroupRulesOutput;
    addresses::disassociate_address(DisassociateAddressInput) -> DisassociateAddressOutput;
    addresses::release_address(ReleaseAddressInput) -> ReleaseAddressOutput;
    security_groups::revoke_security_group_egress(RevokeSecurityGroupEgressInput) -> RevokeSecurityGroupEgressOutput;
    route_tables::associate_route_table(AssociateRouteTableInput) -> AssociateRouteTableOutput;
    internet_gateways::attach_internet_gateway(AttachInternetGatewayInput) -> AttachInternetGatewayOutput;
    internet_gateways::create_internet_gateway(CreateInternetGatewayInput) -> CreateInternetGatewayOutput;
    routes::create_route(CreateRouteInput) -> CreateRouteOutput;
    route_tables::create_route_table(CreateRouteTableInput) -> CreateRouteTableOutput;
    internet_gateways::delete_internet_gateway(DeleteInternetGatewayInput) -> DeleteInternetGatewayOutput;
    routes::delete_route(DeleteRouteInput) -> DeleteRouteOutput;
    route_tables::delete_route_table(DeleteRouteTableInput) -> DeleteRouteTableOutput;
    regions::describe_account_attributes(DescribeAccountAttributesInput) -> DescribeAccountAttributesOutput;
    regions::describe_availability_zones(DescribeAvailabilityZonesInput) -> DescribeAvailabilityZonesOutput;
    internet_gateways::describe_internet_gateways(DescribeInternetGatewaysInput) -> DescribeInternetGatewaysOutput;
    regions::describe_regions(DescribeRegionsInput) -> DescribeRegionsOutput;
    route_tables::describe_route_tables(DescribeRouteTablesInput) -> DescribeRouteTablesOutput;
    vpcs::describe_vpc_attribute(DescribeVpcAttributeInput) -> DescribeVpcAttributeOutput;
    internet_gateways::detach_internet_gateway(DetachInternetGatewayInput) -> DetachInternetGatewayOutput;
    route_tables::disassociate_route_table(DisassociateRouteTableInput) -> DisassociateRouteTableOutput;
    subnets::modify_subnet_attribute(ModifySubnetAttributeInput) -> ModifySubnetAttributeOutput;
    vpcs::modify_vpc_attribute(ModifyVpcAttributeInput) -> ModifyVpcAttributeOutput;
    routes::replace_route(ReplaceRouteInput) -> ReplaceRouteOutput;
    route_tables::replace_route_table_association(ReplaceRouteTableAssociationInput) -> ReplaceRouteTableAssociationOutput;
    security_groups::authorize_security_group_ingress(AuthorizeSecurityGroupIngressInput) -> AuthorizeSecurityGroupIngressOutput;
    key_pairs::create_key_pair(CreateKeyPairInput) -> CreateKeyPairOutput;
    security_groups::create_security_group(CreateSecurityGroupInput) -> CreateSecurityGroupOutput;
    subnets::create_subnet(CreateSubnetInput) -> CreateSubnetOutput;
    tags::create_tags(CreateTagsInput) -> CreateTagsOutput;
    vpcs::create_vpc(CreateVpcInput) -> CreateVpcOutput;
    key_pairs::delete_key_pair(DeleteKeyPairInput) -> DeleteKeyPairOutput;
    security_groups::delete_security_group(DeleteSecurityGroupInput) -> DeleteSecurityGroupOutput;
    subnets::delete_subnet(DeleteSubnetInput) -> DeleteSubnetOutput;
    tags::delete_tags(DeleteTagsInput) -> DeleteTagsOutput;
    vpcs::delete_vpc(DeleteVpcInput) -> DeleteVpcOutput;
    images::describe_images(DescribeImagesInput) -> DescribeImagesOutput;
    images::register_image(RegisterImageInput) -> RegisterImageOutput;
    images::create_image(CreateImageInput) -> CreateImageOutput;
    images::copy_image(CopyImageInput) -> CopyImageOutput;
    images::deregister_image(DeregisterImageInput) -> DeregisterImageOutput;
    images::describe_image_attribute(DescribeImageAttributeInput) -> DescribeImageAttributeOutput;
    images::modify_image_attribute(ModifyImageAttributeInput) -> ModifyImageAttributeOutput;
    images::reset_image_attribute(ResetImageAttributeInput) -> ResetImageAttributeOutput;
    images::enable_image_deprecation(EnableImageDeprecationInput) -> EnableImageDeprecationOutput;
    images::disable_image_deprecation(DisableImageDeprecationInput) -> DisableImageDeprecationOutput;
    images::enable_image(EnableImageInput) -> EnableImageOutput;
    images::disable_image(DisableImageInput) -> DisableImageOutput;
    instances::describe_instances(DescribeInstancesInput) -> DescribeInstancesOutput;
    key_pairs::describe_key_pairs(DescribeKeyPairsInput) -> DescribeKeyPairsOutput;
    key_pairs::import_key_pair(ImportKeyPairInput) -> ImportKeyPairOutput;
    snapshots::create_snapshot(CreateSnapshotInput) -> Snapshot;
    snapshots::create_snapshots(CreateSnapshotsInput) -> CreateSnapshotsOutput;
    instances::modify_instance_metadata_options(ModifyInstanceMetadataOptionsInput) -> ModifyInstanceMetadataOptionsOutput;
    instances::modify_instance_placement(ModifyInstancePlacementInput) -> ModifyInstancePlacementOutput;
    instances::associate_iam_instance_profile(AssociateIamInstanceProfileInput) -> AssociateIamInstanceProfileOutput;
    instances::describe_iam_instance_profile_associations(DescribeIamInstanceProfileAssociationsInput) -> DescribeIamInstanceProfileAssociationsOutput;
    instances::replace_iam_instance_profile_association(ReplaceIamInstanceProfileAssociationInput) -> ReplaceIamInstanceProfileAssociationOutput;
    instances::disassociate_iam_instance_profile(DisassociateIamInstanceProfileInput) -> DisassociateIamInstanceProfileOutput;
    snapshots::copy_snapshot(CopySnapshotInput) -> CopySnapshotOutput;
    snapshots::describe_snapshots(DescribeSnapshotsInput) -> DescribeSnapshotsOutput;
    snapshots::delete_snapshot(DeleteSnapshotInput) -> DeleteSnapshotOutput;
    snapshots::describe_snapshot_attribute(DescribeSnapshotAttributeInput) -> DescribeSnapshotAttributeOutput;
    snapshots::modify_snapshot_attribute(ModifySnapshotAttributeInput) -> ModifySnapshotAttributeOutput;
    instances::get_console_output(GetConsoleOutputInput) -> GetConsoleOutputOutput;
    instances::get_password_data(GetPasswordDataInput) -> GetPasswordDataOutput;
    security_groups::describe_security_groups(DescribeSecurityGroupsInput) -> DescribeSecurityGroupsOutput;
    subnets::describe_subnets(DescribeSubnetsInput) -> DescribeSubnetsOutput;
    tags::describe_tags(DescribeTagsInput) -> DescribeTagsOutput;
    vpcs::describe_vpcs(DescribeVpcsInput) -> DescribeVpcsOutput;
    security_groups::revoke_security_group_ingress(RevokeSecurityGroupIngressInput) -> RevokeSecurityGroupIngressOutput;
    instances::run_instances(RunInstancesInput) -> RunInstancesOutput;
    instance_types::describe_instance_types(DescribeInstanceTypesInput) -> DescribeInstanceTypesOutput;
    instance_types::describe_instance_type_offerings(DescribeInstanceTypeOfferingsInput) -> DescribeInstanceTypeOfferingsOutput;
    launch_templates::create_launch_template(CreateLaunchTemplateInput) -> CreateLaunchTemplateOutput;
    launch_templates::create_launch_template_version(CreateLaunchTemplateVersionInput) -> CreateLaunchTemplateVersionOutput;
    launch_templates::describe_launch_templates(DescribeLaunchTemplatesInput) -> DescribeLaunchTemplatesOutput;
    launch_templates::describe_launch_template_versions(DescribeLaunchTemplateVersionsInput) -> DescribeLaunchTemplateVersionsOutput;
    launch_templates::modify_launch_template(ModifyLaunchTemplateInput) -> ModifyLaunchTemplateOutput;
    launch_templates::delete_launch_template(DeleteLaunchTemplateInput) -> DeleteLaunchTemplateOutput;
    launch_templates::delete_launch_template_versions(DeleteLaunchTemplateVersionsInput) -> DeleteLaunchTemplateVersionsOutput;
    launch_templates::get_launch_template_data(GetLaunchTemplateDataInput) -> GetLaunchTemplateDataOutput;
    instances::start_instances(StartInstancesInput) -> StartInstancesOutput;
    instances::stop_instances(StopInstancesInput) -> StopInstancesOutput;
    instances::terminate_instances(TerminateInstancesInput) -> TerminateInstancesOutput;
}
