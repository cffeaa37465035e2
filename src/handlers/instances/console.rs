//! GetConsoleOutput and GetPasswordData.
//!
//! - Console output: absent until the instance has run (EC2 API reference: "If the
//!   instance has not yet produced console output, Output is empty"), then base64 text.
//!   What it says is ours: one line naming the instance, plus the line boot-waiting
//!   tools look for — cloud-init's `Cloud-init v. … finished` on Linux, EC2Launch's
//!   `Windows is Ready to use` on Windows. Timestamp is when the instance came up.
//! - Password data: empty except for a Windows instance launched with an RSA key pair,
//!   which gets a random administrator password encrypted to that key (PKCS#1 v1.5,
//!   `crate::keys::encrypt_to`), made at launch so every call returns the same blob and
//!   deleting the key pair later does not lose it. It is empty while the instance is
//!   pending, as EC2's is while Windows boots. ED25519 keys cannot encrypt it (EC2
//!   refuses them for Windows; here the password is simply never available).

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use rand::seq::SliceRandom;
use rand::Rng;

use super::up_since;
use crate::clock::TimestampFormat;
use crate::context::Cx;
use crate::generated::types as w;
use crate::store::{Instance, InstanceState};
use crate::Ec2Error;

pub fn get_console_output(
    cx: &mut Cx<'_>,
    input: w::GetConsoleOutputInput,
) -> Result<w::GetConsoleOutputOutput, Ec2Error> {
    let view = cx.view();
    let i: &Instance = view.get(&input.instance_id)?;
    let booted = i.state(view.now) != InstanceState::Pending;
    let output = booted.then(|| {
        let ready = if i.platform.is_some() {
            "EC2Launch: Windows is Ready to use".to_string()
        } else {
            format!(
                "Cloud-init v. 22.2.2 finished at {}. Datasource DataSourceEc2.",
                up_since(i).format(TimestampFormat::HttpDate)
            )
        };
        B64.encode(format!(
            "parlel-ec2: {} ({}, {}) started\r\n{ready}\r\n",
            i.id, i.instance_type, i.image_id
        ))
    });
    Ok(w::GetConsoleOutputOutput {
        instance_id: Some(i.id.clone()),
        timestamp: Some(if booted { up_since(i) } else { view.now }),
        output,
    })
}

pub fn get_password_data(
    cx: &mut Cx<'_>,
    input: w::GetPasswordDataInput,
) -> Result<w::GetPasswordDataOutput, Ec2Error> {
    let view = cx.view();
    let i: &Instance = view.get(&input.instance_id)?;
    let ready = i.state(view.now) != InstanceState::Pending;
    Ok(w::GetPasswordDataOutput {
        instance_id: Some(i.id.clone()),
        timestamp: Some(if ready { up_since(i) } else { view.now }),
        password_data: Some(
            i.password_data
                .as_deref()
                .filter(|_| ready)
                .unwrap_or_default()
                .to_string(),
        ),
    })
}

/// The encrypted administrator password of a new Windows instance, as base64.
pub(crate) fn windows_password(public_key_line: &str) -> Option<Box<str>> {
    let password = random_password(&mut crate::rng::rng());
    crate::keys::encrypt_to(public_key_line, password.as_bytes()).map(|b| B64.encode(b).into())
}

/// 32 characters with an upper-case letter, a lower-case letter, a digit and a symbol
/// (Windows' default complexity policy), the rest from all four sets.
fn random_password(rng: &mut impl Rng) -> String {
    const SETS: [&[u8]; 4] = [
        b"ABCDEFGHJKLMNPQRSTUVWXYZ",
        b"abcdefghijkmnopqrstuvwxyz",
        b"23456789",
        b"!@#$%&*()-=+;?",
    ];
    let all: Vec<u8> = SETS.concat();
    let mut chars: Vec<u8> = SETS.iter().map(|s| s[rng.gen_range(0..s.len())]).collect();
    chars.extend((0..28).map(|_| all[rng.gen_range(0..all.len())]));
    chars.shuffle(rng);
    String::from_utf8(chars).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every password meets the four-class complexity rule.
    #[test]
    fn passwords_are_complex() {
        let mut rng = rand::thread_rng();
        for _ in 0..200 {
            let p = random_password(&mut rng);
            assert_eq!(p.len(), 32);
            assert!(p.bytes().any(|c| c.is_ascii_uppercase()));
            assert!(p.bytes().any(|c| c.is_ascii_lowercase()));
            assert!(p.bytes().any(|c| c.is_ascii_digit()));
            assert!(p.bytes().any(|c| c.is_ascii_punctuation()));
        }
    }
}
