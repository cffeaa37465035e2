//! Durable state (`--data-dir DIR`): a journal of the requests that changed something,
//! replayed at start. Each mutating EC2 request is appended — with its account, Region,
//! clock reading and the seed its randomness came from (`crate::rng`) — and flushed to the
//! disk (`fdatasync`) before its response is sent; replaying the journal through the same
//! handlers rebuilds the same ids, timestamps, key material and clock-derived states.
//! Images added at run time are journaled too; a reset empties the journal (keeping those
//! images, which a reset keeps).
//!
//! The file, `DIR/journal`: a 16-byte header (`PARLELJ\0`, the format version as a
//! little-endian u32, four zero bytes), then records of `[u32 LE length][first 4 bytes of
//! the payload's SHA-256][payload]`, the payload one JSON object. What it relies on: an
//! append that returned after `fdatasync` survives a crash (kill -9 or power loss) whole;
//! an append cut short leaves a torn tail, which the next start ignores (with one log
//! line) and cuts off. Anything else unreadable is an error that names the file and
//! leaves it as it is. `DIR/lock` is held (an OS file lock) while a process uses the
//! directory, so a second process refuses to start. A new journal's directory is synced
//! (`fsync`) after the file is made, so the file survives a crash as well as its bytes.
//! An existing directory that holds other files and none of these two is refused
//! untouched: it is somebody else's.
//!
//! Upgrade rule: the version is bumped when the record format changes; a journal of a
//! newer version is refused. Replaying runs the current handlers, so a release that
//! changes what a request does may rebuild a different state from the same journal; the
//! README says so.

use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

const MAGIC: &[u8; 8] = b"PARLELJ\0";
pub const VERSION: u32 = 1;
const HEADER: usize = 16;
/// A record larger than this is not one this emulator wrote (bodies are at most 2 MiB by
/// default; generous headroom for --max-body-bytes).
const MAX_RECORD: usize = 1 << 30;

/// One journaled change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// An EC2 request that committed a change.
    Ec2 {
        account: String,
        region: String,
        now: i64,
        seed: u64,
        query: Vec<u8>,
        body: Vec<u8>,
    },
    /// `POST /_parlel/images`: the catalog JSON.
    Images(String),
    /// The first entry: the salt new partitions' start states are drawn from.
    Init { salt: u64 },
}

impl Entry {
    fn to_json(&self) -> String {
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        match self {
            Entry::Ec2 {
                account,
                region,
                now,
                seed,
                query,
                body,
            } => serde_json::json!({
                "t": "ec2", "account": account, "region": region, "now": now,
                "seed": seed.to_string(), "query": b64(query), "body": b64(body),
            }),
            Entry::Images(json) => serde_json::json!({ "t": "images", "json": json }),
            Entry::Init { salt } => serde_json::json!({ "t": "init", "salt": salt.to_string() }),
        }
        .to_string()
    }

    fn from_json(bytes: &[u8]) -> Option<Entry> {
        let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        let s = |k: &str| v.get(k)?.as_str().map(str::to_string);
        let b = |k: &str| base64::engine::general_purpose::STANDARD.decode(s(k)?).ok();
        match v.get("t")?.as_str()? {
            "ec2" => Some(Entry::Ec2 {
                account: s("account")?,
                region: s("region")?,
                now: v.get("now")?.as_i64()?,
                seed: s("seed")?.parse().ok()?,
                query: b("query")?,
                body: b("body")?,
            }),
            "images" => Some(Entry::Images(s("json")?)),
            "init" => Some(Entry::Init {
                salt: s("salt")?.parse().ok()?,
            }),
            _ => None,
        }
    }
}

/// The open journal of a data directory.
pub struct Journal {
    file: Mutex<File>,
    path: PathBuf,
    /// Held for the process's life: the directory's lock.
    _lock: File,
    /// Run-time image catalogs, written again after a reset.
    images: Mutex<Vec<String>>,
    /// The partitions' salt (the `Init` entry), written again after a reset.
    salt: u64,
    /// Bytes written, and bytes known to be on the disk (group commit).
    written: AtomicU64,
    synced: Mutex<u64>,
    /// The same file, for `fdatasync` without the write lock.
    sync_file: File,
    /// Taken before a partition by every mutating request: the journal's order is the
    /// order changes happened in, across partitions too (shared images).
    order: Mutex<()>,
}

fn header() -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    h[..8].copy_from_slice(MAGIC);
    h[8..12].copy_from_slice(&VERSION.to_le_bytes());
    h
}

fn checksum(payload: &[u8]) -> [u8; 4] {
    let d = Sha256::digest(payload);
    [d[0], d[1], d[2], d[3]]
}

impl Journal {
    /// Opens (or creates) the journal of `dir` and reads its entries; an error names the
    /// file and what is wrong, and changes nothing on disk.
    pub fn open(dir: &Path) -> Result<(Journal, Vec<Entry>), String> {
        if dir.exists() {
            check_ours(dir)?;
        } else {
            // The directories made here (from the nearest existing ancestor down) are
            // synced into their parents, so they survive a crash too.
            let made: Vec<&Path> = dir
                .ancestors()
                .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
                .collect();
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for d in made {
                let parent = d
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                sync_dir(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
        }
        let lock_path = dir.join("lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| format!("{}: {e}", lock_path.display()))?;
        if lock.try_lock().is_err() {
            return Err(format!(
                "{}: another parlel-ec2 process is using this data directory",
                dir.display()
            ));
        }
        let path = dir.join("journal");
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.display().to_string();
        let (entries, good_len) = if bytes.is_empty() {
            // A new journal: its header, then the directory, so that the file itself (and
            // the lock file beside it) still exist after a crash, not only their bytes.
            file.write_all(&header())
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("{name}: {e}"))?;
            sync_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            (Vec::new(), HEADER)
        } else {
            read(&bytes, &name)?
        };
        if good_len < bytes.len() {
            tracing::warn!(
                file = %name,
                ignored_bytes = bytes.len() - good_len,
                "the journal's last record was cut short (a crash while writing it); it is ignored"
            );
            file.set_len(good_len as u64)
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("{name}: {e}"))?;
        }
        file.seek(SeekFrom::End(0))
            .map_err(|e| format!("{name}: {e}"))?;
        let images = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Images(j) => Some(j.clone()),
                _ => None,
            })
            .collect();
        let salt = entries.iter().find_map(|e| match e {
            Entry::Init { salt } => Some(*salt),
            _ => None,
        });
        let end = file.stream_position().map_err(|e| format!("{name}: {e}"))?;
        let sync_file = file.try_clone().map_err(|e| format!("{name}: {e}"))?;
        let journal = Journal {
            written: AtomicU64::new(end),
            synced: Mutex::new(end),
            sync_file,
            file: Mutex::new(file),
            path,
            _lock: lock,
            images: Mutex::new(images),
            salt: salt.unwrap_or_else(|| rand::Rng::gen(&mut rand::thread_rng())),
            order: Mutex::new(()),
        };
        if salt.is_none() {
            journal
                .append(&Entry::Init { salt: journal.salt })
                .map_err(|e| format!("{name}: {e}"))?;
        }
        Ok((journal, entries))
    }

    /// The ordering lock of mutating requests (see `order`).
    pub fn order(&self) -> MutexGuard<'_, ()> {
        self.order.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends one entry and flushes it to the disk.
    pub fn append(&self, e: &Entry) -> std::io::Result<()> {
        let end = self.write(e)?;
        self.sync_to(end)
    }

    /// Writes one entry without waiting for the disk; returns where it ends, for
    /// [`sync_to`](Self::sync_to). Written under the order lock, synced after it is
    /// released: requests that wrote meanwhile share one `fdatasync` (group commit).
    pub fn write(&self, e: &Entry) -> std::io::Result<u64> {
        if let Entry::Images(j) = e {
            self.images
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(j.clone());
        }
        let payload = e.to_json().into_bytes();
        let mut record = Vec::with_capacity(payload.len() + 8);
        record.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        record.extend_from_slice(&checksum(&payload));
        record.extend_from_slice(&payload);
        let mut f = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        f.write_all(&record)?;
        let end = self
            .written
            .fetch_add(record.len() as u64, Ordering::SeqCst)
            + record.len() as u64;
        Ok(end)
    }

    /// Returns once everything up to `end` is on the disk: one `fdatasync` covers every
    /// record written before it started.
    pub fn sync_to(&self, end: u64) -> std::io::Result<()> {
        let mut synced = self.synced.lock().unwrap_or_else(PoisonError::into_inner);
        if *synced >= end {
            return Ok(());
        }
        let upto = self.written.load(Ordering::SeqCst);
        self.sync_file.sync_data()?;
        *synced = upto;
        Ok(())
    }

    /// Empties the journal (`POST /_parlel/reset`), keeping the run-time image catalogs.
    pub fn reset(&self) -> std::io::Result<()> {
        let images = self
            .images
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        {
            let mut f = self.file.lock().unwrap_or_else(PoisonError::into_inner);
            f.set_len(HEADER as u64)?;
            f.seek(SeekFrom::End(0))?;
            f.sync_all()?;
            self.written.store(HEADER as u64, Ordering::SeqCst);
            *self.synced.lock().unwrap_or_else(PoisonError::into_inner) = HEADER as u64;
        }
        self.images
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        self.append(&Entry::Init { salt: self.salt })?;
        for j in images {
            self.append(&Entry::Images(j))?;
        }
        Ok(())
    }

    /// The salt of the partitions' start states.
    pub fn salt(&self) -> u64 {
        self.salt
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The names parlel-ec2 writes in a data directory.
const OUR_FILES: [&str; 2] = ["journal", "lock"];

/// Refuses an existing directory that holds files but none of ours (a mistyped path, a
/// directory of something else), before anything is written to it. An empty directory is
/// taken (so is one holding only `lost+found`, the root of a freshly made file system).
fn check_ours(dir: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut foreign = None;
    for entry in entries {
        let name = entry
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .file_name();
        let name = name.to_string_lossy();
        if OUR_FILES.contains(&name.as_ref()) {
            return Ok(());
        }
        if name != "lost+found" && foreign.is_none() {
            foreign = Some(name.into_owned());
        }
    }
    match foreign {
        None => Ok(()),
        Some(name) => Err(format!(
            "{}: not a parlel-ec2 data directory (it holds {name} and no journal); give an empty or new directory",
            dir.display()
        )),
    }
}

/// `fsync` of a directory: the names created in it are on the disk (POSIX; a no-op where
/// a directory cannot be opened as a file, as on Windows).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The entries of a journal file and the length of its good prefix; a torn last record
/// ends the prefix, anything else wrong is an error naming the file.
fn read(bytes: &[u8], name: &str) -> Result<(Vec<Entry>, usize), String> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err(format!(
            "{name}: not a parlel-ec2 journal (was this directory written by something else?)"
        ));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != VERSION {
        return Err(format!(
            "{name}: journal format version {version}; this parlel-ec2 reads version {VERSION} (written by a newer release?)"
        ));
    }
    let mut at = HEADER;
    let mut out = Vec::new();
    while at < bytes.len() {
        let rest = &bytes[at..];
        if rest.len() < 8 {
            break; // torn: the record's frame itself is incomplete
        }
        let len = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
        if len > MAX_RECORD {
            return Err(format!(
                "{name}: record at byte {at} has an impossible length {len}"
            ));
        }
        if rest.len() < 8 + len {
            break; // torn: the payload is incomplete
        }
        let payload = &rest[8..8 + len];
        let last = at + 8 + len == bytes.len();
        if rest[4..8] != checksum(payload) {
            if last {
                break; // torn: the last write did not finish
            }
            return Err(format!(
                "{name}: record at byte {at} is corrupt (checksum mismatch)"
            ));
        }
        let entry = Entry::from_json(payload)
            .ok_or_else(|| format!("{name}: record at byte {at} is not a journal entry"))?;
        out.push(entry);
        at += 8 + len;
    }
    Ok((out, at))
}
