//! The AWS services a region offers through VPC endpoints, and the AWS-managed prefix
//! lists of the Gateway endpoint services (S3, DynamoDB). Data, shared by
//! DescribeVpcEndpointServices, CreateVpcEndpoint, DescribePrefixLists and the seeded
//! managed prefix lists.

/// Services with Interface endpoints in every commercial region (a common subset of
/// AWS's list; `com.amazonaws.<region>.<name>`).
pub const INTERFACE_SERVICES: &[&str] = &[
    "autoscaling",
    "cloudformation",
    "dynamodb",
    "ec2",
    "ec2messages",
    "ecr.api",
    "ecr.dkr",
    "ecs",
    "elasticloadbalancing",
    "events",
    "execute-api",
    "kinesis-streams",
    "kms",
    "lambda",
    "logs",
    "monitoring",
    "rds",
    "s3",
    "secretsmanager",
    "sns",
    "sqs",
    "ssm",
    "ssmmessages",
    "sts",
];

/// Services with Gateway endpoints.
pub const GATEWAY_SERVICES: &[&str] = &["dynamodb", "s3"];

pub fn service_name(region: &str, service: &str) -> String {
    format!("com.amazonaws.{region}.{service}")
}

/// The short name of `com.amazonaws.<region>.<name>`, if it is one of this region's.
pub fn short_name<'a>(region: &str, name: &'a str) -> Option<&'a str> {
    name.strip_prefix("com.amazonaws.")?
        .strip_prefix(region)?
        .strip_prefix('.')
}

/// The address blocks of the AWS-managed prefix lists. us-east-1's are AWS's published
/// ranges for S3 and DynamoDB (ip-ranges.json, `S3` / `DYNAMODB` in us-east-1); other
/// regions get one documented public block each (a placeholder: parlel-ec2 routes
/// nothing).
pub fn managed_prefix_list_cidrs(region: &str, service: &str) -> Vec<&'static str> {
    match (region, service) {
        ("us-east-1", "s3") => vec![
            "3.5.0.0/19",
            "16.182.0.0/16",
            "18.34.0.0/19",
            "18.34.232.0/21",
            "52.216.0.0/15",
            "54.231.0.0/16",
        ],
        ("us-east-1", "dynamodb") => vec![
            "3.218.180.0/22",
            "3.218.184.0/22",
            "52.94.0.0/22",
            "52.119.224.0/20",
        ],
        (_, "s3") => vec!["52.218.0.0/17"],
        _ => vec!["52.94.24.0/23"],
    }
}

/// A stable id for an AWS-managed list: `pl-` and 8 hex digits from the region and
/// service, so it is the same after a reset, as AWS's are.
pub fn managed_prefix_list_id(region: &str, service: &str) -> String {
    // FNV-1a: small, stable across builds (std's hasher is not).
    let mut h: u32 = 0x811c_9dc5;
    for b in region.bytes().chain([b'.']).chain(service.bytes()) {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("pl-{h:08x}")
}
