//! The instance-type catalog (src/data/, sourced in INSTANCE-TYPES.md) and the rules that
//! read it: RunInstances places and refuses by zone offering, DescribeInstanceTypes'
//! errors and paging, and launch template data carried into RunInstances.

use crate::local::Region;
use parlel_ec2::generated::service::Ec2;
use parlel_ec2::generated::types as w;
use parlel_ec2::instance_types::{self, catalog};

/// Facts EC2 reports for well-known types (EC2 User Guide, "Burstable performance
/// instances" and the instance type specifications): the catalog carries them verbatim.
#[test]
fn the_catalog_has_every_dumped_type_with_ec2s_facts() {
    let c = catalog();
    assert!(c.len() > 1000, "{} types", c.len());
    c.check_all()
        .expect("every entry fits the model's InstanceTypeInfo");
    let t3 = c.get("t3.micro").expect("t3.micro");
    let v = t3.v_cpu_info.as_ref().unwrap();
    assert_eq!(
        (
            v.default_v_cpus,
            v.default_cores,
            v.default_threads_per_core
        ),
        (Some(2), Some(1), Some(2))
    );
    assert_eq!(t3.memory_info.as_ref().unwrap().size_in_mi_b, Some(1024));
    assert_eq!(t3.burstable_performance_supported, Some(true));
    assert_eq!(t3.hypervisor.as_ref().map(|h| h.as_str()), Some("nitro"));
    assert_eq!(instance_types::architectures("t4g.micro"), ["arm64"]);
    assert_eq!(instance_types::cpu_options("t2.micro"), (1, 1));
    assert_eq!(
        instance_types::default_cpu_credits("t2.micro"),
        Some("standard")
    );
    assert_eq!(
        instance_types::default_cpu_credits("t3a.large"),
        Some("unlimited")
    );
    assert_eq!(instance_types::default_cpu_credits("m5.large"), None);
    assert!(c.get(instance_types::DEFAULT_INSTANCE_TYPE).is_some());
    // Sorted by name: DescribeInstanceTypes pages in this order.
    assert!(c.names().windows(2).all(|w| w[0] < w[1]));
    let first = c.all().next().unwrap();
    assert_eq!(first.instance_type.as_ref().unwrap().as_str(), c.names()[0]);
}

/// A bad entry is refused with its index; an offering must name a catalog type.
#[test]
fn a_bad_catalog_names_the_entry() {
    let bad = r#"{"InstanceTypes":[{"InstanceType":"t3.micro"},{"InstanceType":"x.large","VCpuInfo":{"DefaultVCpus":"two"}}]}"#;
    let c = instance_types::Catalog::parse(bad, "{}").unwrap();
    let err = c.check_all().unwrap_err();
    assert!(err.contains("x.large"), "{err}");
    let unnamed = r#"{"InstanceTypes":[{"InstanceType":"t3.micro"},{"Hypervisor":"nitro"}]}"#;
    let err = instance_types::Catalog::parse(unnamed, "{}").err().unwrap();
    assert!(err.contains("entry 1"), "{err}");
    let good = r#"{"InstanceTypes":[{"InstanceType":"t3.micro"}]}"#;
    let err = instance_types::Catalog::parse(good, r#"{"us-east-1":{"a":["t9.huge"]}}"#)
        .err()
        .unwrap();
    assert!(err.contains("t9.huge"), "{err}");
}

fn run(
    r: &mut Region,
    t: &str,
    az: Option<&str>,
) -> Result<w::RunInstancesOutput, parlel_ec2::Ec2Error> {
    let input = w::RunInstancesInput {
        image_id: Some("ami-0abcdef1234567890".into()),
        instance_type: Some(w::InstanceType::from(t)),
        min_count: 1,
        max_count: 1,
        placement: az.map(|z| w::Placement {
            availability_zone: Some(z.into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    r.call(|h, cx| h.run_instances(cx, input))
}

/// us-east-1e (use1-az3) offers few types: t3.micro there is EC2's Unsupported naming the
/// zones that do (AWS-raw, ned1313/Getting-Started-Terraform#44); without a zone EC2
/// places the instance in one that offers the type.
#[test]
fn a_zone_that_does_not_offer_the_type_refuses_it() {
    let mut r = Region::new();
    let err = run(&mut r, "t3.micro", Some("us-east-1e")).unwrap_err();
    assert_eq!(err.code, "Unsupported");
    assert_eq!(
        err.message,
        "Your requested instance type (t3.micro) is not supported in your requested Availability Zone (us-east-1e). \
         Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f."
    );
    for _ in 0..8 {
        let out = run(&mut r, "t3.micro", None).unwrap();
        let az = out.instances.unwrap()[0]
            .placement
            .as_ref()
            .unwrap()
            .availability_zone
            .clone()
            .unwrap();
        assert_ne!(az, "us-east-1e");
    }
}

/// DescribeInstanceTypes: a type the Region does not offer "does not exist" (AWS-raw,
/// scylladb/scylla-cluster-tests#12419); without MaxResults the answer comes 100 at a time.
#[test]
fn describe_instance_types_errors_and_default_page() {
    let mut r = Region::new();
    let err = r
        .call(|h, cx| {
            h.describe_instance_types(
                cx,
                w::DescribeInstanceTypesInput {
                    instance_types: Some(vec!["t3.micro".into(), "t3.mega".into()]),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert_eq!(err.code, "InvalidInstanceType");
    assert_eq!(
        err.message,
        "The following supplied instance types do not exist: [t3.mega]"
    );
    let first = r
        .call(|h, cx| h.describe_instance_types(cx, w::DescribeInstanceTypesInput::default()))
        .unwrap();
    assert_eq!(first.instance_types.unwrap().len(), 100);
    assert!(first.next_token.is_some());
}

/// Template data moves between the request, response and RunInstances shapes by member
/// name; a rich template (block devices, an interface, metadata and credit options, a
/// Monitoring without Enabled, tags) launches, and the instance shows it.
#[test]
fn rich_template_data_launches() {
    let mut r = Region::new();
    // us-east-1a's default subnet: us-east-1e does not offer t3.small (the offerings).
    let subnet = r
        .state
        .subnets
        .values()
        .find(|s| s.az == "us-east-1a")
        .unwrap()
        .id
        .clone();
    let data = w::RequestLaunchTemplateData {
        image_id: Some("ami-0abcdef1234567890".into()),
        instance_type: Some("t3.small".into()),
        ram_disk_id: None,
        block_device_mappings: Some(vec![w::LaunchTemplateBlockDeviceMappingRequest {
            device_name: Some("/dev/sdf".into()),
            ebs: Some(w::LaunchTemplateEbsBlockDeviceRequest {
                volume_size: Some(20),
                volume_type: Some("gp3".into()),
                encrypted: Some(true),
                delete_on_termination: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        network_interfaces: Some(vec![
            w::LaunchTemplateInstanceNetworkInterfaceSpecificationRequest {
                device_index: Some(0),
                subnet_id: Some(subnet.clone()),
                associate_public_ip_address: Some(false),
                ..Default::default()
            },
        ]),
        monitoring: Some(w::LaunchTemplatesMonitoringRequest { enabled: None }),
        metadata_options: Some(w::LaunchTemplateInstanceMetadataOptionsRequest {
            http_tokens: Some("required".into()),
            ..Default::default()
        }),
        credit_specification: Some(w::CreditSpecificationRequest {
            cpu_credits: "standard".into(),
        }),
        tag_specifications: Some(vec![w::LaunchTemplateTagSpecificationRequest {
            resource_type: Some("volume".into()),
            tags: Some(vec![crate::local::tag("disk", "data")]),
        }]),
        ..Default::default()
    };
    let lt = r
        .call(|h, cx| {
            h.create_launch_template(
                cx,
                w::CreateLaunchTemplateInput {
                    launch_template_name: "rich".into(),
                    launch_template_data: data,
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .launch_template
        .unwrap();
    let out = r
        .call(|h, cx| {
            h.run_instances(
                cx,
                w::RunInstancesInput {
                    min_count: 1,
                    max_count: 1,
                    launch_template: Some(w::LaunchTemplateSpecification {
                        launch_template_id: lt.launch_template_id.clone(),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    let i = &out.instances.unwrap()[0];
    assert_eq!(i.instance_type.as_ref().unwrap().as_str(), "t3.small");
    assert_eq!(i.subnet_id.as_deref(), Some(subnet.as_str()));
    assert_eq!(i.public_ip_address, None);
    let id = i.instance_id.clone().unwrap();
    let inst = &r.state.instances[&id];
    assert_eq!(inst.cpu_credits, Some("standard"));
    assert_eq!(inst.metadata.http_tokens, "required");
    let data_volume = inst
        .volume_ids
        .iter()
        .map(|v| &r.state.volumes[v])
        .find(|v| &*v.attachment.as_ref().unwrap().device_name == "/dev/sdf")
        .expect("the template's volume");
    assert_eq!(data_volume.size_gib, 20);
    assert!(data_volume.encrypted, "Ebs.Encrypted is honoured");
    assert_eq!(
        data_volume.tags.get("disk").map(String::as_str),
        Some("data")
    );
}

/// The catalog lists types newer than the vendored model's InstanceType enum; EC2
/// launches them like any other (one source of truth: the catalog), and a name in
/// neither is `Invalid value 'x' for InstanceType.` (iterative/cml#821).
#[test]
fn a_catalog_type_the_model_does_not_name_launches() {
    let c = catalog();
    let newer = c
        .names()
        .iter()
        .copied()
        .find(|t| {
            !w::InstanceType::from(*t).is_known()
                && instance_types::architectures(t).contains(&"x86_64")
                && c.offered_in_zone("us-east-1", "us-east-1a", t)
        })
        .expect("the catalog has x86_64 types newer than the model");
    let mut r = Region::new();
    let out = run(&mut r, newer, Some("us-east-1a")).unwrap();
    let i = &out.instances.unwrap()[0];
    assert_eq!(i.instance_type.as_ref().map(|t| t.as_str()), Some(newer));
    let err = run(&mut r, "x9.nonesuch", None).unwrap_err();
    assert_eq!(
        (err.code.as_ref(), err.message.as_str()),
        (
            "InvalidParameterValue",
            "Invalid value 'x9.nonesuch' for InstanceType."
        )
    );
}
