//! Standard Webhooks signatures (<https://www.standardwebhooks.com>): `v1,<base64 HMAC-SHA256>` over
//! `"{webhook-id}.{webhook-timestamp}.{body}"`, keyed by the base64-decoded part of a `whsec_` secret.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};

type HmacSha256 = Hmac<Sha256>;

const PREFIX: &str = "whsec_";

/// A fresh secret: `whsec_` and 24 bytes from the OS's random source, in base64.
pub fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 24];
    getrandom::getrandom(&mut bytes).map_err(|e| Error::Internal(format!("no random source for a secret: {e}")))?;
    Ok(format!("{PREFIX}{}", STANDARD.encode(bytes)))
}

/// A delivery's id: `msg_` and 24 random letters and digits (the same on every retry of the delivery).
pub fn new_message_id() -> String {
    let id: String = (0..24).map(|_| fastrand::alphanumeric()).collect();
    format!("msg_{id}")
}

fn key(secret: &str) -> Result<Vec<u8>> {
    let b64 = secret.trim().strip_prefix(PREFIX).ok_or_else(|| {
        Error::InvalidInput("a webhook secret starts with whsec_ followed by base64 (the secret is not shown)".into())
    })?;
    let key = STANDARD.decode(b64).map_err(|_| {
        Error::InvalidInput("the webhook secret after whsec_ is not valid base64 (the secret is not shown)".into())
    })?;
    if key.is_empty() {
        return Err(Error::InvalidInput("the webhook secret is empty after whsec_".into()));
    }
    Ok(key)
}

fn mac(key: &[u8], msg_id: &str, timestamp: i64, body: &str) -> Result<Vec<u8>> {
    let mut mac = HmacSha256::new_from_slice(key).map_err(|e| Error::Internal(format!("HMAC key: {e}")))?;
    mac.update(format!("{msg_id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Ok(mac.finalize().into_bytes().to_vec())
}

/// The `webhook-signature` header value: `v1,<base64>`.
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &str) -> Result<String> {
    Ok(format!("v1,{}", STANDARD.encode(mac(&key(secret)?, msg_id, timestamp, body)?)))
}

/// Whether one of the space-separated `v1,` signatures in `header` is right (a receiver's check).
pub fn verify(secret: &str, msg_id: &str, timestamp: i64, body: &str, header: &str) -> bool {
    let Ok(key) = key(secret) else { return false };
    header.split_whitespace().filter_map(|s| s.strip_prefix("v1,")).any(|sig| {
        let Ok(sig) = STANDARD.decode(sig) else { return false };
        let Ok(mut m) = HmacSha256::new_from_slice(&key) else { return false };
        m.update(format!("{msg_id}.{timestamp}.").as_bytes());
        m.update(body.as_bytes());
        m.verify_slice(&sig).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification and its reference libraries' tests.
    #[test]
    fn the_specifications_example_signs_as_published() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let ts = 1614265330;
        let body = r#"{"test": 2432232314}"#;
        let sig = sign(secret, id, ts, body).unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert!(verify(secret, id, ts, body, &format!("v1,bm90IHRoaXM= {sig}")));
        assert!(!verify(secret, id, ts + 1, body, &sig));
        assert!(!verify(secret, id, ts, "{}", &sig));
    }

    #[test]
    fn bad_secrets_are_refused_without_showing_them() {
        for bad in ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_***not base64***", "whsec_"] {
            let e = sign(bad, "msg_x", 0, "").unwrap_err();
            assert!(!e.to_string().contains(bad.trim_start_matches("whsec_")) || bad == "whsec_", "{e}");
        }
        let s = new_secret().unwrap();
        assert!(s.starts_with("whsec_") && sign(&s, &new_message_id(), 1, "x").is_ok());
        assert_ne!(new_message_id(), new_message_id());
    }
}
