//! The one error type of the API boundary: an EC2 error code, its message and its HTTP
//! status. Codes and wording follow ../shared/reference/ec2-errors.md.

use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ec2Error {
    pub code: Cow<'static, str>,
    pub message: String,
    /// A status other than the code's (an injected fault that says so).
    pub status: Option<u16>,
}

impl Ec2Error {
    pub fn new(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Ec2Error {
        Ec2Error {
            code: code.into(),
            message: message.into(),
            status: None,
        }
    }

    /// This error with the HTTP status `status` instead of its code's.
    pub fn with_status(mut self, status: u16) -> Ec2Error {
        self.status = Some(status);
        self
    }

    /// The HTTP status EC2 sends with this code: 412 for DryRunOperation, 401/403 for
    /// authentication and authorization, 503 for throttling, 500 for internal errors, 400
    /// for every other client error.
    pub fn status(&self) -> u16 {
        if let Some(s) = self.status {
            return s;
        }
        match &*self.code {
            "DryRunOperation" => 412,
            "AuthFailure" => 401,
            "UnauthorizedOperation" | "SignatureDoesNotMatch" | "MissingAuthenticationToken" => 403,
            "RequestLimitExceeded" | "Unavailable" | "ServiceUnavailable" => 503,
            "InternalError" | "InternalFailure" => 500,
            "RequestEntityTooLarge" => 413,
            _ => 400,
        }
    }

    /// `MissingParameter`: "The request must contain the parameter X" (AWS-rec, no period).
    pub fn missing_parameter(name: &str) -> Ec2Error {
        Ec2Error::new(
            "MissingParameter",
            format!("The request must contain the parameter {name}"),
        )
    }

    /// `InvalidParameterValue`: "Value (v) for parameter name is invalid. reason".
    pub fn invalid_value(name: &str, value: &str, reason: &str) -> Ec2Error {
        Ec2Error::new(
            "InvalidParameterValue",
            format!("Value ({value}) for parameter {name} is invalid. {reason}"),
        )
    }

    pub fn invalid_parameter_value(message: impl Into<String>) -> Ec2Error {
        Ec2Error::new("InvalidParameterValue", message)
    }

    /// `InvalidAction`: "The action X is not valid for this web service." (boto/boto#1282).
    pub fn invalid_action(action: &str) -> Ec2Error {
        Ec2Error::new(
            "InvalidAction",
            format!("The action {action} is not valid for this web service."),
        )
    }

    /// A real EC2 operation that parlel-ec2 does not implement.
    pub fn unsupported_operation(action: &str) -> Ec2Error {
        Ec2Error::new(
            "UnsupportedOperation",
            format!("The operation {action} is not supported by parlel-ec2 yet; see model/operations.txt."),
        )
    }

    /// `DryRunOperation` (412): "Request would have succeeded, but DryRun flag is set."
    pub fn dry_run() -> Ec2Error {
        Ec2Error::new(
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
        )
    }

    pub fn internal(message: impl Into<String>) -> Ec2Error {
        Ec2Error::new("InternalError", message)
    }
}

impl fmt::Display for Ec2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Ec2Error {}
