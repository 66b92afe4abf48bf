//! Secrets: the `Secret` wrapper that never prints, random bytes, opaque token secrets
//! and their hashes, and password hashing. A leaf module: it imports nothing of the
//! application, so configuration, authentication and the models can all use it.

use std::fmt;
use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

/// The prefix of API token secrets, so that secret scanners can find leaked ones.
pub const API_TOKEN_PREFIX: &str = "smv_";

/// Creates `dir` and its missing parents, readable by the owner only (0700). An existing
/// directory keeps its mode: the operator may have chosen it.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Opens `path` for writing, creating it readable and writable by the owner only (0600)
/// when it does not exist; `truncate` empties an existing one.
pub fn private_file(path: &Path, truncate: bool) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(truncate);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A secret value that never prints: `Debug` and `Display` show `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret string.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; call only where it is used, never to log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Password rules and argon2id hashing.
pub mod password {
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};

    /// Shortest password accepted.
    pub const MIN_LENGTH: usize = 12;
    /// Longest password accepted (hashing cost grows with length).
    pub const MAX_LENGTH: usize = 1024;

    fn hasher() -> Argon2<'static> {
        // OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
        let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    /// `Err` with the reason when `password` is too short or too long.
    pub fn check_strength(password: &str) -> Result<(), String> {
        let len = password.chars().count();
        if len < MIN_LENGTH {
            Err(format!("must be at least {MIN_LENGTH} characters"))
        } else if len > MAX_LENGTH {
            Err(format!("must be at most {MAX_LENGTH} characters"))
        } else {
            Ok(())
        }
    }

    /// The PHC string of a new argon2id hash of `password`.
    pub fn hash(password: &str) -> String {
        let salt = SaltString::encode_b64(&super::random_bytes::<16>()).expect("16-byte salt");
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .expect("argon2 hashing with valid parameters")
            .to_string()
    }

    /// Whether `password` matches the stored `hash`.
    pub fn verify(password: &str, hash: &str) -> bool {
        match PasswordHash::new(hash) {
            Ok(parsed) => hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    }

    /// Spends the time of a verification, so an unknown email answers as slowly as a known one.
    pub fn verify_dummy(password: &str) {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let hash = DUMMY.get_or_init(|| hash("dummy password for timing"));
        let _ = verify(password, hash);
    }
}

/// `N` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// A new opaque secret: `prefix` and 32 random bytes, base64url.
pub fn new_secret(prefix: &str) -> String {
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>())
    )
}

/// The hash under which a secret is stored (the secrets carry 256 random bits, so a
/// fast hash is safe here, unlike for passwords).
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
