//! Files people upload, for every route that takes one (invoices' VAT invoice, actions' and
//! disputes' attachments): reading a raw body with a size limit, its declared type, the
//! shared checks of `portal_domain::attachment` turned into named fields, and where the
//! bytes of actions' and disputes' attachments are kept.
//!
//! [`FileStore`] keeps them in the database (the default) or in a directory
//! (`--file-dir` / `PORTAL_FILE_DIR`): each file named by a random key, never by the
//! uploader's file name, and written (and synced) before its row commits, so a failed write
//! leaves no row. A row whose write was followed by a failed commit leaves an unreferenced
//! file behind, which is harmless. Files are never deleted.

use std::path::{Path, PathBuf};

use actix_web::http::header;
use actix_web::{web, HttpRequest};
use anyhow::Context;
use futures_util::StreamExt;
use portal_domain::attachment::{self, CheckedFile, FilePart, FileType};
use portal_dto::FieldError;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// Where attachments' bytes are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStore {
    /// In the attachment's row.
    Database,
    /// In this directory, one file per attachment, named by a random key.
    Directory(PathBuf),
}

/// Bytes as they are to be recorded: in the row, or under a key already written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    Database,
    Directory(String),
}

impl FileStore {
    /// The store a setting names; a directory is created when missing and must be writable.
    pub fn open(directory: Option<&Path>) -> anyhow::Result<FileStore> {
        let Some(directory) = directory else {
            return Ok(FileStore::Database);
        };
        std::fs::create_dir_all(directory)
            .with_context(|| format!("cannot create the file directory {}", directory.display()))?;
        let probe = directory.join(".portal-write-check");
        std::fs::write(&probe, b"ok")
            .and_then(|()| std::fs::remove_file(&probe))
            .with_context(|| {
                format!("cannot write to the file directory {}", directory.display())
            })?;
        Ok(FileStore::Directory(directory.to_owned()))
    }

    /// Puts the bytes where this store keeps them: nothing to do for the database (the row
    /// carries them); in a directory, a new file under a random key, synced to disk.
    pub async fn place(&self, bytes: &[u8]) -> Result<Placed, ApiError> {
        let FileStore::Directory(directory) = self else {
            return Ok(Placed::Database);
        };
        let mut random = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut random);
        let key: String = random.iter().map(|byte| format!("{byte:02x}")).collect();
        let path = directory.join(&key);
        let bytes = bytes.to_vec();
        web::block(move || -> std::io::Result<()> {
            use std::io::Write;
            // create_new: a key is never reused, and nothing is ever overwritten.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            file.write_all(&bytes)?;
            file.sync_all()
        })
        .await
        .context("the file write was cancelled")?
        .context("cannot write the attachment to the file directory")?;
        Ok(Placed::Directory(key))
    }

    /// The bytes kept under `key`, checked against the SHA-256 recorded with them.
    pub async fn read(&self, key: &str, sha256: &str) -> Result<Vec<u8>, ApiError> {
        let FileStore::Directory(directory) = self else {
            return Err(anyhow::anyhow!(
                "attachment {key} is in a file directory, and none is configured (PORTAL_FILE_DIR)"
            )
            .into());
        };
        // Keys are ours (hex), but a row is never trusted to name a path.
        if key.is_empty() || !key.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Err(anyhow::anyhow!("attachment key {key:?} is not a key").into());
        }
        let path = directory.join(key);
        let bytes = web::block(move || std::fs::read(path))
            .await
            .context("the file read was cancelled")?
            .with_context(|| format!("cannot read attachment {key} from the file directory"))?;
        if sha256_hex(&bytes) != sha256 {
            return Err(anyhow::anyhow!("attachment {key} does not match its SHA-256").into());
        }
        Ok(bytes)
    }
}

/// Hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The request's declared media type, without parameters, lower case; empty when absent.
pub fn declared_type(request: &HttpRequest) -> String {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

/// A raw body, read to the end. At most `limit` bytes are kept: a longer body gives
/// `limit + 1` bytes, so the checks see it is too large and say so by name, rather than the
/// client getting a bare 413. Past four times the limit reading stops.
pub async fn read_body(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|error| ApiError::invalid("file", error.to_string()))?;
        seen = seen.saturating_add(chunk.len());
        if kept.len() <= limit {
            let room = limit + 1 - kept.len();
            kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        if seen > limit.saturating_mul(4) {
            break;
        }
    }
    Ok(kept)
}

/// The field names a route gives a file's three parts.
#[derive(Debug, Clone, Copy)]
pub struct FileFields {
    pub name: &'static str,
    /// A declared type not accepted.
    pub content_type: &'static str,
    /// Empty or too large.
    pub size: &'static str,
    /// Content that is not what the declared type says.
    pub content: &'static str,
}

/// The fields of a raw upload: `?file_name=`, the `Content-Type` header and the body.
pub const RAW_UPLOAD: FileFields = FileFields {
    name: "file_name",
    content_type: "content_type",
    size: "file",
    content: "file",
};

/// Checks a file with the domain's shared checks, naming each bad part as `fields` say.
pub fn check(
    file_name: &str,
    content_type: &str,
    bytes: Vec<u8>,
    allowed: &[FileType],
    max_bytes: usize,
    fields: FileFields,
) -> Result<CheckedFile, Vec<FieldError>> {
    attachment::check(file_name, content_type, bytes, allowed, max_bytes).map_err(|problems| {
        problems
            .into_iter()
            .map(|problem| FieldError {
                field: match problem.part {
                    FilePart::Name => fields.name,
                    FilePart::Type => fields.content_type,
                    FilePart::Size => fields.size,
                    FilePart::Content => fields.content,
                }
                .to_owned(),
                message: problem.message,
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_directory_keeps_each_file_under_a_new_key_and_checks_it_on_the_way_back() {
        let directory = std::env::temp_dir().join(format!(
            "portal-file-store-{}",
            uuid::Uuid::new_v4().simple()
        ));
        let store = FileStore::open(Some(&directory)).unwrap();
        let bytes = b"%PDF-1.4 visit notes".to_vec();
        let Placed::Directory(first) = store.place(&bytes).await.unwrap() else {
            panic!("a directory store writes files");
        };
        let Placed::Directory(second) = store.place(&bytes).await.unwrap() else {
            panic!("a directory store writes files");
        };
        assert_ne!(first, second);
        assert_eq!(std::fs::read(directory.join(&first)).unwrap(), bytes);
        let sha = sha256_hex(&bytes);
        assert_eq!(store.read(&first, &sha).await.unwrap(), bytes);
        // A file changed on disk is refused, as is a key that is not one.
        std::fs::write(directory.join(&second), b"tampered").unwrap();
        assert!(store.read(&second, &sha).await.is_err());
        assert!(store.read("../etc/passwd", &sha).await.is_err());
        std::fs::remove_dir_all(&directory).unwrap();
        assert_eq!(FileStore::open(None).unwrap(), FileStore::Database);
    }
}
