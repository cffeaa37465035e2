//! RunInstances, DescribeInstances and the state changes, over HTTP against the
//! in-process server.

use crate::support::*;

fn run(s: &Server, extra: &[(&str, &str)]) -> Reply {
    let mut p: Vec<(&str, &str)> = [
        ("ImageId", AMI),
        ("MinCount", "1"),
        ("MaxCount", "1"),
        ("InstanceType", "t3.micro"),
    ]
    .into_iter()
    .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
    .collect();
    p.extend_from_slice(extra);
    s.call("RunInstances", &p)
}

fn launch(s: &Server) -> String {
    run(s, &[]).ok().first("instanceId").unwrap()
}

fn state_of(s: &Server, id: &str) -> String {
    let r = s.call("DescribeInstances", &[("InstanceId.1", id)]).ok();
    let d = r.doc();
    let st = d
        .descendants()
        .find(|n| n.tag_name().name() == "instanceState")
        .unwrap();
    st.children()
        .find(|c| c.tag_name().name() == "name")
        .unwrap()
        .text()
        .unwrap()
        .to_string()
}

#[test]
fn run_instances_answers_pending_and_describe_shows_running() {
    let s = Server::start();
    let r = run(&s, &[]).ok();
    let d = r.doc();
    assert_eq!(d.root_element().tag_name().name(), "RunInstancesResponse");
    assert!(first(&d, "reservationId").unwrap().starts_with("r-"));
    assert_eq!(first(&d, "ownerId").as_deref(), Some("123456789012"));
    let id = first(&d, "instanceId").unwrap();
    assert_eq!(id.len(), 19, "i- and 17 hex digits: {id}");
    // The launch answer shows pending (code 0), with stateReason pending.
    let st = d
        .descendants()
        .find(|n| n.tag_name().name() == "instanceState")
        .unwrap();
    assert_eq!(
        st.children()
            .map(|c| c.text().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["0", "pending"]
    );
    assert_eq!(state_of(&s, &id), "running");
}

#[test]
fn launch_fills_network_storage_and_placement_like_ec2() {
    let s = Server::start();
    let r = run(&s, &[]).ok();
    let d = r.doc();
    let ip = first(&d, "privateIpAddress").unwrap();
    assert!(ip.starts_with("172.31."), "{ip}");
    // The first four addresses of a subnet are AWS's.
    let last: u8 = ip.rsplit('.').next().unwrap().parse().unwrap();
    assert!(last >= 4 || !ip.ends_with(".0.0"));
    assert_eq!(
        first(&d, "privateDnsName").unwrap(),
        format!("ip-{}.ec2.internal", ip.replace('.', "-"))
    );
    // Default subnets map a public IP; its DNS name follows the us-east-1 pattern.
    let public = first(&d, "ipAddress").unwrap();
    assert_eq!(
        first(&d, "dnsName").unwrap(),
        format!("ec2-{}.compute-1.amazonaws.com", public.replace('.', "-"))
    );
    assert!(first(&d, "networkInterfaceId").unwrap().starts_with("eni-"));
    assert!(first(&d, "volumeId").unwrap().starts_with("vol-"));
    assert_eq!(first(&d, "deviceName").as_deref(), Some("/dev/xvda"));
    assert_eq!(first(&d, "architecture").as_deref(), Some("x86_64"));
    assert_eq!(first(&d, "platformDetails").as_deref(), Some("Linux/UNIX"));
    assert_eq!(
        first(&d, "httpTokens").as_deref(),
        Some("required"),
        "AL2023 sets imdsSupport v2.0"
    );
    assert!(first(&d, "availabilityZone")
        .unwrap()
        .starts_with("us-east-1"));
    assert_eq!(first(&d, "instanceType").as_deref(), Some("t3.micro"));
}

#[test]
fn one_reservation_per_call_with_launch_indexes() {
    let s = Server::start();
    let r = s
        .call(
            "RunInstances",
            &[("ImageId", AMI), ("MinCount", "2"), ("MaxCount", "3")],
        )
        .ok();
    assert_eq!(r.all("reservationId").len(), 1);
    assert_eq!(r.all("amiLaunchIndex"), ["0", "1", "2"]);
    // No InstanceType: EC2 defaults to m1.small.
    assert_eq!(r.first("instanceType").as_deref(), Some("m1.small"));
    let ips = under(&r.doc(), "instancesSet", "privateIpAddress");
    let mut unique = ips.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ips.len(), 3);
    assert_eq!(ips.len(), unique.len());
    let d = s.call("DescribeInstances", &[]).ok();
    assert_eq!(d.all("reservationId").len(), 1);
    assert_eq!(d.all("instanceId").len(), 3);
}

#[test]
fn run_instances_validates_before_launching() {
    let s = Server::start();
    assert_error(
        &run(&s, &[("ImageId", "ami-00000000000000000")]),
        400,
        "InvalidAMIID.NotFound",
        "The image id '[ami-00000000000000000]' does not exist",
    );
    assert_error(
        &run(&s, &[("ImageId", "ami-xyz")]),
        400,
        "InvalidAMIID.Malformed",
        "Invalid id: \"ami-xyz\" (expecting \"ami-...\")",
    );
    assert_error(
        &run(&s, &[("InstanceType", "t9.huge")]),
        400,
        "InvalidParameterValue",
        "Invalid value 't9.huge' for InstanceType.",
    );
    assert_error(
        &run(&s, &[("KeyName", "nope")]),
        400,
        "InvalidKeyPair.NotFound",
        "The key pair 'nope' does not exist",
    );
    assert_error(
        &run(&s, &[("SubnetId", "subnet-0123456789abcdef0")]),
        400,
        "InvalidSubnetID.NotFound",
        "The subnet ID 'subnet-0123456789abcdef0' does not exist",
    );
    assert_error(
        &run(&s, &[("SecurityGroupId.1", "sg-0123456789abcdef0")]),
        400,
        "InvalidGroup.NotFound",
        "The security group 'sg-0123456789abcdef0' does not exist",
    );
    let r = s.call(
        "RunInstances",
        &[("ImageId", AMI), ("MinCount", "3"), ("MaxCount", "2")],
    );
    assert_eq!(r.error().1, "InvalidParameterValue");
    let r = s.call(
        "RunInstances",
        &[("ImageId", AMI), ("MinCount", "1"), ("MaxCount", "0")],
    );
    assert_error(
        &r,
        400,
        "InvalidParameterValue",
        "Maximum instance count must be greater than zero",
    );
    assert_error(
        &s.call("RunInstances", &[("ImageId", AMI), ("MinCount", "1")]),
        400,
        "MissingParameter",
        "The request must contain the parameter maxCount",
    );
    // An arm64 type on an x86_64 image.
    assert!(run(&s, &[("InstanceType", "t4g.micro")])
        .error()
        .2
        .starts_with("The architecture 'arm64' of the specified instance type"));
    // Nothing was launched by any of these.
    assert!(s
        .call("DescribeInstances", &[])
        .ok()
        .all("instanceId")
        .is_empty());
}

#[test]
fn security_groups_resolve_by_id_and_by_name_in_the_default_vpc() {
    let s = Server::start();
    let g = s
        .call(
            "CreateSecurityGroup",
            &[("GroupName", "web"), ("GroupDescription", "w")],
        )
        .ok()
        .first("groupId")
        .unwrap();
    let r = run(&s, &[("SecurityGroup.1", "web")]).ok();
    assert_eq!(under(&r.doc(), "groupSet", "groupId").last().unwrap(), &g);
    let r = run(&s, &[("SecurityGroupId.1", &g)]).ok();
    assert!(r.all("groupName").contains(&"web".to_string()));
    assert_error(
        &run(&s, &[("SecurityGroup.1", "nope")]),
        400,
        "InvalidGroup.NotFound",
        &format!(
            "The security group 'nope' does not exist in VPC '{}'",
            s.call("DescribeVpcs", &[]).ok().first("vpcId").unwrap()
        ),
    );
}

#[test]
fn client_token_makes_run_instances_idempotent() {
    let s = Server::start();
    let a = run(&s, &[("ClientToken", "tok-1")])
        .ok()
        .first("instanceId");
    let b = run(&s, &[("ClientToken", "tok-1")])
        .ok()
        .first("instanceId");
    assert_eq!(a, b);
    assert_eq!(
        s.call("DescribeInstances", &[])
            .ok()
            .all("instanceId")
            .len(),
        1
    );
    let r = run(
        &s,
        &[("ClientToken", "tok-1"), ("InstanceType", "t3.small")],
    );
    assert_eq!(r.error().1, "IdempotentParameterMismatch");
}

#[test]
fn tag_specifications_tag_instance_volume_and_interface() {
    let s = Server::start();
    let r = run(
        &s,
        &[
            ("TagSpecification.1.ResourceType", "instance"),
            ("TagSpecification.1.Tag.1.Key", "Name"),
            ("TagSpecification.1.Tag.1.Value", "web"),
            ("TagSpecification.2.ResourceType", "volume"),
            ("TagSpecification.2.Tag.1.Key", "disk"),
            ("TagSpecification.2.Tag.1.Value", "root"),
        ],
    )
    .ok();
    let vol = r.first("volumeId").unwrap();
    let tags = s
        .call(
            "DescribeTags",
            &[("Filter.1.Name", "resource-id"), ("Filter.1.Value.1", &vol)],
        )
        .ok();
    assert_eq!(tags.all("key"), ["disk"]);
    assert_eq!(tags.all("resourceType"), ["volume"]);
    let bad = run(
        &s,
        &[
            ("TagSpecification.1.ResourceType", "vpc"),
            ("TagSpecification.1.Tag.1.Key", "a"),
        ],
    );
    assert_eq!(bad.error().1, "InvalidParameterValue");
}

#[test]
fn user_data_must_be_base64() {
    let s = Server::start();
    run(&s, &[("UserData", "IyEvYmluL2Jhc2gKZWNobyBoaQ==")]).ok();
    assert_error(
        &run(&s, &[("UserData", "%%%")]),
        400,
        "InvalidParameterValue",
        "Invalid BASE64 encoding of user data.",
    );
}

#[test]
fn describe_instances_by_id_reports_every_missing_id() {
    let s = Server::start();
    let id = launch(&s);
    let r = s.call(
        "DescribeInstances",
        &[
            ("InstanceId.1", &id),
            ("InstanceId.2", "i-0123456789abcdef0"),
            ("InstanceId.3", "i-0123456789abcdef1"),
        ],
    );
    assert_error(
        &r,
        400,
        "InvalidInstanceID.NotFound",
        "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist",
    );
    assert_error(
        &s.call("DescribeInstances", &[("InstanceId.1", "ma1")]),
        400,
        "InvalidInstanceID.Malformed",
        "Invalid id: \"ma1\"",
    );
    let r = s.call(
        "DescribeInstances",
        &[("InstanceId.1", &id), ("MaxResults", "5")],
    );
    assert_error(
        &r,
        400,
        "InvalidParameterCombination",
        "The parameter instancesSet cannot be used with the parameter maxResults",
    );
    let r = s.call("DescribeInstances", &[("MaxResults", "3")]);
    assert_error(
        &r,
        400,
        "InvalidParameterValue",
        "Value ( 3 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
    );
    // An id that a filter excludes is not an error.
    let r = s
        .call(
            "DescribeInstances",
            &[
                ("InstanceId.1", &id),
                ("Filter.1.Name", "instance-state-name"),
                ("Filter.1.Value.1", "stopped"),
            ],
        )
        .ok();
    assert!(r.all("instanceId").is_empty());
}

#[test]
fn stop_start_and_terminate_follow_ec2_states() {
    let s = Server::start();
    let id = launch(&s);
    let public_before = s
        .call("DescribeInstances", &[("InstanceId.1", &id)])
        .ok()
        .first("ipAddress");
    assert!(public_before.is_some());

    let r = s.call("StopInstances", &[("InstanceId.1", &id)]).ok();
    assert_eq!(under(&r.doc(), "instancesSet", "instanceId"), [id.as_str()]);
    assert_eq!(
        r.all("name"),
        ["stopping", "running"],
        "currentState then previousState"
    );
    assert_eq!(r.all("code"), ["64", "16"]);
    assert_eq!(state_of(&s, &id), "stopped");
    let d = s.call("DescribeInstances", &[("InstanceId.1", &id)]).ok();
    assert_eq!(
        d.first("ipAddress"),
        None,
        "a stopped instance loses its public IP"
    );
    assert!(
        d.first("privateIpAddress").is_some(),
        "and keeps its private IP"
    );
    assert_eq!(
        d.all("message").first().map(String::as_str),
        Some("Client.UserInitiatedShutdown: User initiated shutdown")
    );
    assert!(d.first("reason").unwrap().starts_with("User initiated ("));

    // Stopping a stopped instance is not an error.
    let r = s.call("StopInstances", &[("InstanceId.1", &id)]).ok();
    assert_eq!(r.all("name"), ["stopped", "stopped"]);

    let r = s.call("StartInstances", &[("InstanceId.1", &id)]).ok();
    assert_eq!(r.all("name"), ["pending", "stopped"]);
    assert_eq!(state_of(&s, &id), "running");
    assert!(s
        .call("DescribeInstances", &[("InstanceId.1", &id)])
        .ok()
        .first("ipAddress")
        .is_some());
    // Starting a running instance is not an error either.
    assert_eq!(
        s.call("StartInstances", &[("InstanceId.1", &id)])
            .ok()
            .all("name"),
        ["running", "running"]
    );

    s.call(
        "CreateTags",
        &[
            ("ResourceId.1", &id),
            ("Tag.1.Key", "keep"),
            ("Tag.1.Value", "me"),
        ],
    )
    .ok();
    let r = s.call("TerminateInstances", &[("InstanceId.1", &id)]).ok();
    assert_eq!(r.all("name"), ["shutting-down", "running"]);
    assert_eq!(state_of(&s, &id), "terminated");
    let d = s.call("DescribeInstances", &[("InstanceId.1", &id)]).ok();
    assert_eq!(
        d.all("key"),
        ["keep"],
        "terminated instances keep their tags"
    );
    assert_eq!(d.first("privateIpAddress"), None);
    let r = s.call("StartInstances", &[("InstanceId.1", &id)]);
    assert_error(
        &r,
        400,
        "IncorrectInstanceState",
        &format!("The instance '{id}' is not in a state from which it can be started"),
    );
    // Terminating again answers terminated → terminated.
    assert_eq!(
        s.call("TerminateInstances", &[("InstanceId.1", &id)])
            .ok()
            .all("name"),
        ["terminated", "terminated"]
    );
}

#[test]
fn state_changes_are_all_or_nothing() {
    let s = Server::start();
    let a = launch(&s);
    let r = s.call(
        "StopInstances",
        &[
            ("InstanceId.1", &a),
            ("InstanceId.2", "i-0123456789abcdef0"),
        ],
    );
    assert_eq!(r.error().1, "InvalidInstanceID.NotFound");
    assert_eq!(state_of(&s, &a), "running");
}

#[test]
fn terminating_frees_the_address_in_the_subnet() {
    let s = Server::start();
    let r = run(&s, &[]).ok();
    let (id, subnet) = (r.first("instanceId").unwrap(), r.first("subnetId").unwrap());
    let count = |s: &Server| {
        s.call("DescribeSubnets", &[("SubnetId.1", &subnet)])
            .ok()
            .first("availableIpAddressCount")
            .unwrap()
    };
    assert_eq!(
        count(&s),
        "4090",
        "a /20 has 4091 usable addresses; one is taken"
    );
    s.call("TerminateInstances", &[("InstanceId.1", &id)]).ok();
    assert_eq!(count(&s), "4091");
}

#[test]
fn dry_run_checks_then_answers_412_without_launching() {
    let s = Server::start();
    let r = run(&s, &[("DryRun", "true")]);
    assert_error(
        &r,
        412,
        "DryRunOperation",
        "Request would have succeeded, but DryRun flag is set.",
    );
    // Validation errors still come first.
    assert_eq!(
        run(
            &s,
            &[("DryRun", "true"), ("ImageId", "ami-00000000000000000")]
        )
        .error()
        .1,
        "InvalidAMIID.NotFound"
    );
    assert!(s
        .call("DescribeInstances", &[])
        .ok()
        .all("instanceId")
        .is_empty());
    let id = launch(&s);
    assert_eq!(
        s.call(
            "StopInstances",
            &[("InstanceId.1", &id), ("DryRun", "true")]
        )
        .error()
        .0,
        412
    );
    assert_eq!(state_of(&s, &id), "running");
}

#[test]
fn paging_returns_every_instance_once() {
    let s = Server::start();
    s.call(
        "RunInstances",
        &[("ImageId", AMI), ("MinCount", "12"), ("MaxCount", "12")],
    )
    .ok();
    s.call(
        "RunInstances",
        &[("ImageId", AMI), ("MinCount", "5"), ("MaxCount", "5")],
    )
    .ok();
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut p = vec![("MaxResults", "5".to_string())];
        if let Some(t) = &token {
            p.push(("NextToken", t.clone()));
        }
        let p: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = s.call("DescribeInstances", &p).ok();
        seen.extend(r.all("instanceId"));
        pages += 1;
        token = r.first("nextToken");
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 4);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (17, 17));
    let r = s.call(
        "DescribeInstances",
        &[("MaxResults", "5"), ("NextToken", "garbage")],
    );
    assert_error(
        &r,
        400,
        "InvalidParameterValue",
        "Value ( garbage ) for parameter NextToken is invalid. The token is invalid.",
    );
}

fn server_with(config: parlel_ec2::Config) -> Server {
    Server {
        handle: parlel_ec2::EmulatorHandle::start_with(config, "127.0.0.1:0".parse().unwrap())
            .unwrap(),
        region: "us-east-1".into(),
        access_key: "parlel".into(),
    }
}

#[test]
fn transitions_last_as_configured_and_are_derived_from_the_clock() {
    let s = server_with(parlel_ec2::Config {
        transition: std::time::Duration::from_millis(300),
        ..Default::default()
    });
    let id = launch(&s);
    assert_eq!(state_of(&s, &id), "pending");
    // cloud-custodian#6014: stopping an instance that never reached running.
    let r = s.call("StopInstances", &[("InstanceId.1", &id)]);
    assert_error(
        &r,
        400,
        "IncorrectInstanceState",
        &format!("Instance '{id}' cannot be stopped as it has never reached the 'running' state."),
    );
    std::thread::sleep(std::time::Duration::from_millis(350));
    assert_eq!(state_of(&s, &id), "running");
    s.call("StopInstances", &[("InstanceId.1", &id)]).ok();
    assert_eq!(state_of(&s, &id), "stopping");
    // burstable-ai/burst#42: starting while stopping.
    let r = s.call("StartInstances", &[("InstanceId.1", &id)]);
    assert_error(
        &r,
        400,
        "IncorrectInstanceState",
        &format!("The instance '{id}' is not in a state from which it can be started"),
    );
    std::thread::sleep(std::time::Duration::from_millis(350));
    assert_eq!(state_of(&s, &id), "stopped");
}

#[test]
fn terminated_instances_are_forgotten_after_the_retention() {
    let s = server_with(parlel_ec2::Config {
        terminated_retention: std::time::Duration::from_millis(100),
        ..Default::default()
    });
    let id = launch(&s);
    s.call("TerminateInstances", &[("InstanceId.1", &id)]).ok();
    assert_eq!(state_of(&s, &id), "terminated");
    std::thread::sleep(std::time::Duration::from_millis(150));
    assert!(s
        .call("DescribeInstances", &[])
        .ok()
        .all("instanceId")
        .is_empty());
    assert_eq!(
        s.call("DescribeInstances", &[("InstanceId.1", &id)])
            .error()
            .1,
        "InvalidInstanceID.NotFound"
    );
}

#[test]
fn iam_instance_profiles_are_echoed_with_an_arn_and_id() {
    let s = Server::start();
    let r = run(&s, &[("IamInstanceProfile.Name", "app-role")]).ok();
    assert_eq!(
        r.first("arn").as_deref(),
        Some("arn:aws:iam::123456789012:instance-profile/app-role")
    );
    let id = r.first("id").unwrap();
    assert!(id.starts_with("AIPA") && id.len() == 21, "{id}");
    let by_arn = run(
        &s,
        &[(
            "IamInstanceProfile.Arn",
            "arn:aws:iam::111122223333:instance-profile/ops/runner",
        )],
    )
    .ok();
    assert_eq!(
        by_arn.first("arn").as_deref(),
        Some("arn:aws:iam::111122223333:instance-profile/ops/runner")
    );
    let bad = run(&s, &[("IamInstanceProfile.Arn", "app-role")]);
    assert_eq!(bad.error().1, "InvalidParameterValue");
    let both = run(
        &s,
        &[
            (
                "IamInstanceProfile.Arn",
                "arn:aws:iam::111122223333:instance-profile/a",
            ),
            ("IamInstanceProfile.Name", "a"),
        ],
    );
    assert_eq!(both.error().1, "InvalidParameterCombination");
}

#[test]
fn volumes_stay_attached_while_shutting_down_and_go_with_the_instance() {
    let s = server_with(parlel_ec2::Config {
        transition: std::time::Duration::from_millis(300),
        ..Default::default()
    });
    let id = launch(&s);
    std::thread::sleep(std::time::Duration::from_millis(320));
    let vol = s
        .call("DescribeInstances", &[("InstanceId.1", &id)])
        .ok()
        .first("volumeId")
        .unwrap();
    s.call("TerminateInstances", &[("InstanceId.1", &id)]).ok();
    let d = s.call("DescribeInstances", &[("InstanceId.1", &id)]).ok();
    assert_eq!(state_of(&s, &id), "shutting-down");
    assert_eq!(
        d.first("volumeId"),
        Some(vol.clone()),
        "still attached while shutting down"
    );
    // The root volume is deleted on termination: tagging it is a NotFound.
    let r = s.call("CreateTags", &[("ResourceId.1", &vol), ("Tag.1.Key", "k")]);
    assert_eq!(r.error().1, "InvalidVolume.NotFound");
    std::thread::sleep(std::time::Duration::from_millis(320));
    assert_eq!(state_of(&s, &id), "terminated");
    assert_eq!(
        s.call("DescribeInstances", &[("InstanceId.1", &id)])
            .ok()
            .first("volumeId"),
        None
    );
}
