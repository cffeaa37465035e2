//! Launch template rules at handler level (API reference for each operation; wording
//! sources next to the rules in src/handlers/launch_templates/).

use crate::local::Region;
use parlel_ec2::generated::service::Ec2;
use parlel_ec2::generated::types as w;

fn create(
    r: &mut Region,
    name: &str,
    token: Option<&str>,
) -> Result<w::LaunchTemplate, parlel_ec2::Ec2Error> {
    let input = w::CreateLaunchTemplateInput {
        launch_template_name: name.into(),
        client_token: token.map(Into::into),
        launch_template_data: w::RequestLaunchTemplateData {
            image_id: Some("ami-0abcdef1234567890".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    r.call(|h, cx| h.create_launch_template(cx, input))
        .map(|o| o.launch_template.unwrap())
}

/// A ClientToken answers the same template again, not a duplicate-name error.
#[test]
fn create_is_idempotent_with_a_client_token() {
    let mut r = Region::new();
    let a = create(&mut r, "web", Some("tok")).unwrap();
    let b = create(&mut r, "web", Some("tok")).unwrap();
    assert_eq!(a.launch_template_id, b.launch_template_id);
    assert_eq!(r.state.launch_templates.len(), 1);
    let err = create(&mut r, "web", Some("other")).unwrap_err();
    assert_eq!(err.code, "InvalidLaunchTemplateName.AlreadyExistsException");
}

/// Names: 3–128 characters of letters, digits and `- ( ) . / _`.
#[test]
fn template_names_are_checked() {
    let mut r = Region::new();
    for bad in ["ab", "has space", "semi;colon", &"x".repeat(129)] {
        let err = create(&mut r, bad, None).unwrap_err();
        assert_eq!(
            err.code, "InvalidLaunchTemplateName.MalformedException",
            "{bad}"
        );
    }
    for good in ["abc", "web-(1).v2/blue_green", &"x".repeat(128)] {
        create(&mut r, good, None).unwrap();
    }
}

/// "You must specify either the launch template ID or the launch template name, but not
/// both" (CreateLaunchTemplateVersion API reference); the tags in template data name
/// what a launch creates; a version description is at most 255 characters.
#[test]
fn versions_name_one_template_and_hold_launch_tags_only() {
    let mut r = Region::new();
    let lt = create(&mut r, "web", None).unwrap();
    let version = |r: &mut Region, input: w::CreateLaunchTemplateVersionInput| {
        r.call(|h, cx| h.create_launch_template_version(cx, input))
    };
    let both = version(
        &mut r,
        w::CreateLaunchTemplateVersionInput {
            launch_template_id: lt.launch_template_id.clone(),
            launch_template_name: Some("web".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(both.code, "InvalidParameterCombination");
    let neither = version(&mut r, w::CreateLaunchTemplateVersionInput::default()).unwrap_err();
    assert_eq!(neither.code, "MissingParameter");
    let vpc_tags = version(
        &mut r,
        w::CreateLaunchTemplateVersionInput {
            launch_template_name: Some("web".into()),
            launch_template_data: w::RequestLaunchTemplateData {
                tag_specifications: Some(vec![w::LaunchTemplateTagSpecificationRequest {
                    resource_type: Some("vpc".into()),
                    tags: Some(vec![crate::local::tag("a", "b")]),
                }]),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(vpc_tags.code, "InvalidParameterValue");
    let long = version(
        &mut r,
        w::CreateLaunchTemplateVersionInput {
            launch_template_name: Some("web".into()),
            version_description: Some("d".repeat(256)),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(long.code, "InvalidParameterValue");
    // Nothing above changed the template.
    assert_eq!(
        r.state
            .launch_templates
            .values()
            .next()
            .unwrap()
            .versions
            .len(),
        1
    );
}

/// Without a template, DescribeLaunchTemplateVersions lists only `$Latest` / `$Default`
/// versions (API reference, Versions).
#[test]
fn all_templates_versions_need_latest_or_default() {
    let mut r = Region::new();
    create(&mut r, "a-one", None).unwrap();
    create(&mut r, "b-two", None).unwrap();
    let describe = |r: &mut Region, versions: Option<Vec<String>>| {
        r.call(|h, cx| {
            h.describe_launch_template_versions(
                cx,
                w::DescribeLaunchTemplateVersionsInput {
                    versions,
                    ..Default::default()
                },
            )
        })
    };
    let out = describe(&mut r, Some(vec!["$Default".into()])).unwrap();
    assert_eq!(out.launch_template_versions.unwrap().len(), 2);
    for bad in [None, Some(vec!["1".to_string()])] {
        let err = describe(&mut r, bad).unwrap_err();
        assert_eq!(err.code, "InvalidParameterCombination");
    }
}

/// ModifyLaunchTemplate's ClientToken: a retry answers with the template and does not set
/// the default version again; other arguments with the token, here or on
/// CreateLaunchTemplate, are IdempotentParameterMismatch (EC2 "Ensure idempotency").
#[test]
fn modify_and_create_honour_their_client_tokens() {
    let mut r = Region::new();
    let lt = create(&mut r, "web", Some("tok")).unwrap();
    let id = lt.launch_template_id.clone().unwrap();
    assert_eq!(
        create(&mut r, "other-name", Some("tok")).unwrap_err().code,
        "IdempotentParameterMismatch"
    );
    for _ in 0..2 {
        let input = w::CreateLaunchTemplateVersionInput {
            launch_template_id: Some(id.clone()),
            launch_template_data: w::RequestLaunchTemplateData {
                instance_type: Some(w::InstanceType::from("t3.small")),
                ..Default::default()
            },
            ..Default::default()
        };
        r.call(|h, cx| h.create_launch_template_version(cx, input))
            .unwrap();
    }
    let set_default = |r: &mut Region, v: &str, token: Option<&str>| {
        let input = w::ModifyLaunchTemplateInput {
            launch_template_id: Some(id.clone()),
            default_version: Some(v.into()),
            client_token: token.map(Into::into),
            ..Default::default()
        };
        r.call(|h, cx| h.modify_launch_template(cx, input))
    };
    let first = set_default(&mut r, "2", Some("mod-1")).unwrap();
    assert_eq!(
        first.launch_template.unwrap().default_version_number,
        Some(2)
    );
    set_default(&mut r, "3", None).unwrap();
    let retry = set_default(&mut r, "2", Some("mod-1")).unwrap();
    assert_eq!(
        retry.launch_template.unwrap().default_version_number,
        Some(3),
        "the retry answers without setting version 2 again"
    );
    assert_eq!(r.state.launch_templates[&id].default_version, 3);
    assert_eq!(
        set_default(&mut r, "1", Some("mod-1")).unwrap_err().code,
        "IdempotentParameterMismatch"
    );
}

/// An id that is not `lt-` plus hex is InvalidLaunchTemplateId.Malformed (the code is in
/// EC2's error-code list; the wording is Unverified).
#[test]
fn malformed_template_ids() {
    let mut r = Region::new();
    let input = w::ModifyLaunchTemplateInput {
        launch_template_id: Some("lt-nothex".into()),
        default_version: Some("1".into()),
        ..Default::default()
    };
    let err = r
        .call(|h, cx| h.modify_launch_template(cx, input))
        .unwrap_err();
    assert_eq!(
        (err.code.as_ref(), err.message.as_str()),
        (
            "InvalidLaunchTemplateId.Malformed",
            "The specified launch template ID 'lt-nothex' is malformed."
        )
    );
    let input = w::DescribeLaunchTemplatesInput {
        launch_template_ids: Some(vec!["template-1".into()]),
        ..Default::default()
    };
    let err = r
        .call(|h, cx| h.describe_launch_templates(cx, input))
        .unwrap_err();
    assert_eq!(err.code, "InvalidLaunchTemplateId.Malformed");
}
