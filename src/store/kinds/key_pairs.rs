use super::INVALID_ID;
use crate::clock::Timestamp;
use crate::store::resource::stored_in;
use crate::store::{ErrorText, IdCheck, KindInfo, RegionState, Resource, Tags};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct KeyPair {
    pub id: String,
    pub name: String,
    pub key_type: String,
    pub fingerprint: String,
    pub public_key: String,
    pub create_time: Timestamp,
    pub tags: Tags,
}

impl Resource for KeyPair {
    const INFO: &'static KindInfo = &KindInfo {
        prefix: "key",
        resource_type: "key-pair",
        ids: IdCheck::Strict,
        // ttlequals0/autovpn#21: "The key pair 'x' does not exist" (names and ids alike).
        not_found: ErrorText {
            code: "InvalidKeyPair.NotFound",
            message: "The key pair '{id}' does not exist",
        },
        not_found_many: "The key pairs '{ids}' do not exist",
        malformed: ErrorText {
            code: "InvalidKeyPair.Malformed",
            message: INVALID_ID,
        },
        // Nothing pins a key pair: instances keep running without theirs.
        in_use: None,
    };
    stored_in!(key_pairs);
    fn removed(self, s: &mut RegionState) {
        s.key_names.remove(&self.name);
    }
}
