//! Fault injection (`POST /_parlel/faults`, `--fault RULE`): EC2's throttling, capacity
//! and availability errors, or an added delay, on the calls a rule names — so code that
//! must survive them can be tested. A faulted call reaches no handler: it changes
//! nothing.
//!
//! A rule is JSON: `{"action": "RunInstances"` (or `"*"`, the default), optional
//! `"account"` and `"region"`, then either `"error": "RequestLimitExceeded"` (a code, with
//! EC2's status and message for the well-known ones) or `"error": {"code", "status",
//! "message"}`, or `"delay_ms": N`; and how often: `"count": N` (the next N matching
//! calls), `"probability": p` (each matching call with probability p), `"duration_ms": N`
//! (every matching call for that long), or none of them (every matching call). Any
//! other key is refused, naming it: a misspelt `"acton"` would otherwise widen the rule
//! to every action.
//!
//! A count rule that is spent, or a duration rule whose time is up, stops firing but
//! stays listed (`"state": "spent"` / `"expired"`, with how often it fired) until it is
//! deleted or the emulator reset, so a test can still read what its rule did.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// EC2's answers for the faults users test against (EC2 API reference, "Common client and
/// server error codes"; InsufficientInstanceCapacity's text as EC2 words it for a zone).
fn well_known(code: &str) -> Option<(u16, &'static str)> {
    Some(match code {
        "RequestLimitExceeded" => (503, "Request limit exceeded."),
        "Unavailable" => (
            503,
            "The server is overloaded and can't handle the request.",
        ),
        "InternalError" => (500, "An internal error has occurred."),
        "InsufficientInstanceCapacity" => (
            500,
            "We currently do not have sufficient capacity in the Availability Zone you requested. \
             Our system will be working on provisioning additional capacity.",
        ),
        "ServiceUnavailable" => (
            503,
            "The request has failed due to a temporary failure of the server.",
        ),
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Error {
        code: String,
        status: u16,
        message: String,
    },
    Delay(Duration),
}

#[derive(Debug, Clone)]
enum When {
    Always,
    Count(u64),
    Probability(f64),
    Until(Instant),
}

#[derive(Debug, Clone)]
struct Rule {
    id: u64,
    action: Option<String>,
    account: Option<String>,
    region: Option<String>,
    effect: Effect,
    when: When,
    fired: u64,
    /// The rule as given, for GET.
    source: serde_json::Value,
}

/// The keys a rule may have, and those of its `error` object.
const RULE_KEYS: &[&str] = &[
    "action",
    "account",
    "region",
    "error",
    "delay_ms",
    "count",
    "probability",
    "duration_ms",
];
const ERROR_KEYS: &[&str] = &["code", "status", "message"];

/// `Err` naming the first key of `obj` that is not one of `known`.
fn known_keys(
    obj: &serde_json::Map<String, serde_json::Value>,
    known: &[&str],
    what: &str,
) -> Result<(), String> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(format!(
            "unknown key {k:?} in {what} (it takes {})",
            known.join(", ")
        )),
        None => Ok(()),
    }
}

impl Rule {
    /// Whether it can still fire: not a spent count, not an expired duration.
    fn live(&self, now: Instant) -> bool {
        match self.when {
            When::Count(n) => n > 0,
            When::Until(t) => t > now,
            When::Always | When::Probability(_) => true,
        }
    }

    /// `active`, `spent` (a count used up) or `expired` (a duration over), for GET.
    fn state(&self, now: Instant) -> &'static str {
        match self.when {
            When::Count(0) => "spent",
            When::Until(t) if t <= now => "expired",
            _ => "active",
        }
    }
}

/// The rules in force.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<(u64, Vec<Rule>)>,
    /// Whether any rule may still fire: the request path checks this and nothing else
    /// (spent and expired rules stay listed but clear it once none is live).
    any: AtomicBool,
}

impl Faults {
    /// Adds a rule from its JSON; the rule's id, or what is wrong with it.
    pub fn add(&self, json: &str) -> Result<u64, String> {
        let v: serde_json::Value =
            serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
        let obj = v.as_object().ok_or("a rule is a JSON object")?;
        known_keys(obj, RULE_KEYS, "a rule")?;
        let text = |k: &str| -> Result<Option<String>, String> {
            match obj.get(k) {
                None => Ok(None),
                Some(x) => x
                    .as_str()
                    .map(|s| Some(s.to_string()))
                    .ok_or_else(|| format!("{k}: expected a string")),
            }
        };
        let number = |k: &str| -> Result<Option<f64>, String> {
            match obj.get(k) {
                None => Ok(None),
                Some(x) => x
                    .as_f64()
                    .map(Some)
                    .ok_or_else(|| format!("{k}: expected a number")),
            }
        };
        let effect = match (obj.get("error"), number("delay_ms")?) {
            (Some(_), Some(_)) => return Err("give error or delay_ms, not both".into()),
            (None, None) => {
                return Err("give error (a code or {code, status, message}) or delay_ms".into())
            }
            (None, Some(ms)) if ms >= 0.0 => Effect::Delay(Duration::from_millis(ms as u64)),
            (None, Some(_)) => return Err("delay_ms: expected a number of milliseconds".into()),
            (Some(e), None) => {
                if let serde_json::Value::Object(m) = e {
                    known_keys(m, ERROR_KEYS, "error")?;
                }
                let (code, status, message) = match e {
                    serde_json::Value::String(c) => (c.clone(), None, None),
                    serde_json::Value::Object(m) => (
                        m.get("code")
                            .and_then(|c| c.as_str())
                            .ok_or("error.code: expected a string")?
                            .to_string(),
                        m.get("status")
                            .map(|s| s.as_u64().ok_or("error.status: expected a number"))
                            .transpose()?,
                        m.get("message")
                            .map(|s| {
                                s.as_str()
                                    .map(str::to_string)
                                    .ok_or("error.message: expected a string")
                            })
                            .transpose()?,
                    ),
                    _ => return Err("error: expected a code or {code, status, message}".into()),
                };
                let known = well_known(&code);
                let status = match status {
                    Some(s) if (400..600).contains(&s) => s as u16,
                    Some(s) => return Err(format!("error.status: {s} is not a 4xx or 5xx status")),
                    None => known.map_or(400, |k| k.0),
                };
                let message = message
                    .or_else(|| known.map(|k| k.1.to_string()))
                    .unwrap_or_else(|| format!("Injected fault: {code}"));
                Effect::Error {
                    code,
                    status,
                    message,
                }
            }
        };
        let when = match (
            number("count")?,
            number("probability")?,
            number("duration_ms")?,
        ) {
            (None, None, None) => When::Always,
            (Some(n), None, None) if n >= 1.0 => When::Count(n as u64),
            (None, Some(p), None) if (0.0..=1.0).contains(&p) => When::Probability(p),
            (None, None, Some(ms)) if ms >= 0.0 => {
                When::Until(Instant::now() + Duration::from_millis(ms as u64))
            }
            _ => {
                return Err(
                    "give at most one of count (≥ 1), probability (0 to 1), duration_ms".into(),
                )
            }
        };
        let action = text("action")?.filter(|a| a != "*");
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.0 += 1;
        let id = rules.0;
        rules.1.push(Rule {
            id,
            action,
            account: text("account")?,
            region: text("region")?,
            effect,
            when,
            fired: 0,
            source: v,
        });
        self.any.store(true, Ordering::SeqCst);
        Ok(id)
    }

    /// The rules with how often each fired and whether each can still fire, as JSON;
    /// a count rule also says how many calls it has left.
    pub fn list(&self) -> String {
        let rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let items: Vec<serde_json::Value> = rules
            .1
            .iter()
            .map(|r| {
                let mut item = serde_json::json!({
                    "id": r.id,
                    "rule": r.source,
                    "fired": r.fired,
                    "state": r.state(now),
                });
                if let When::Count(n) = r.when {
                    item["remaining"] = n.into();
                }
                item
            })
            .collect();
        serde_json::json!({ "faults": items }).to_string()
    }

    /// Removes one rule (`Some(id)`), or all; whether anything went.
    pub fn clear(&self, id: Option<u64>) -> bool {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let before = rules.1.len();
        match id {
            Some(id) => rules.1.retain(|r| r.id != id),
            None => rules.1.clear(),
        }
        let now = Instant::now();
        let live = rules.1.iter().any(|r| r.live(now));
        self.any.store(live, Ordering::SeqCst);
        rules.1.len() != before
    }

    /// Whether any rule may fire (the request path reads nothing more without one).
    pub fn any(&self) -> bool {
        self.any.load(Ordering::Relaxed)
    }

    /// The fault for one call, if a rule fires for it (the first that does).
    pub fn check(&self, action: &str, account: &str, region: &str) -> Option<Effect> {
        if !self.any.load(Ordering::Relaxed) {
            return None;
        }
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if !rules.1.iter().any(|r| r.live(now)) {
            self.any.store(false, Ordering::SeqCst);
            return None;
        }
        let hit = rules.1.iter_mut().find(|r| {
            r.live(now)
                && r.action.as_deref().is_none_or(|a| a == action)
                && r.account.as_deref().is_none_or(|a| a == account)
                && r.region.as_deref().is_none_or(|x| x == region)
                && match r.when {
                    When::Probability(p) => rand::Rng::gen_bool(&mut rand::thread_rng(), p),
                    _ => true,
                }
        })?;
        hit.fired += 1;
        if let When::Count(n) = &mut hit.when {
            *n -= 1;
        }
        Some(hit.effect.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_fire_as_told() {
        let f = Faults::default();
        assert_eq!(f.check("RunInstances", "a", "r"), None);
        f.add(r#"{"action":"RunInstances","error":"InsufficientInstanceCapacity","count":2}"#)
            .unwrap();
        let e = f.check("RunInstances", "a", "r").unwrap();
        assert!(
            matches!(e, Effect::Error { ref code, status: 500, .. } if code == "InsufficientInstanceCapacity")
        );
        assert_eq!(f.check("DescribeVpcs", "a", "r"), None);
        assert!(f.check("RunInstances", "a", "r").is_some());
        assert_eq!(f.check("RunInstances", "a", "r"), None, "count spent");
        // Spent, it stays listed with its count until deleted.
        let listed: serde_json::Value = serde_json::from_str(&f.list()).unwrap();
        assert_eq!(listed["faults"][0]["state"], "spent");
        assert_eq!(listed["faults"][0]["fired"], 2);
        assert_eq!(listed["faults"][0]["remaining"], 0);
        assert!(!f.any(), "no live rule: the request path reads nothing");
        let id = f.add(r#"{"error":{"code":"Teapot","status":418,"message":"short and stout"},"region":"eu-west-1"}"#).unwrap();
        assert_eq!(f.check("X", "a", "us-east-1"), None);
        assert_eq!(
            f.check("X", "a", "eu-west-1"),
            Some(Effect::Error {
                code: "Teapot".into(),
                status: 418,
                message: "short and stout".into()
            })
        );
        assert!(f.list().contains("\"fired\":1"));
        assert!(f.clear(Some(id)));
        assert_eq!(f.check("X", "a", "eu-west-1"), None);
        for bad in [
            r#"[]"#,
            r#"{}"#,
            r#"{"error":"X","delay_ms":5}"#,
            r#"{"error":"X","count":0}"#,
            r#"{"error":"X","probability":2}"#,
            r#"{"error":{"code":"X","status":200}}"#,
        ] {
            assert!(f.add(bad).is_err(), "{bad}");
        }
        // A misspelt key is named, not ignored (it would widen the rule to every action).
        let e = f
            .add(r#"{"acton":"RunInstances","error":"X"}"#)
            .unwrap_err();
        assert!(e.contains("\"acton\""), "{e}");
        let e = f.add(r#"{"error":{"code":"X","stauts":500}}"#).unwrap_err();
        assert!(e.contains("\"stauts\"") && e.contains("error"), "{e}");
    }
}
