//! Durable state (`--data-dir DIR`): a snapshot of the state and a journal of the requests
//! that changed something since, replayed at start on top of it. Each mutating EC2 request
//! is appended — with its account, Region, clock reading and the seed its randomness came
//! from (`crate::rng`) — and flushed to the disk (`fdatasync`) before its response is
//! sent; replaying the journal through the same handlers rebuilds the same ids,
//! timestamps, key material and clock-derived states.
//! Images added at run time are journaled too; a reset is a snapshot of the empty state
//! (keeping those images, which a reset keeps).
//!
//! The file, `DIR/journal`: a 16-byte header (`PARLELJ\0`, the format version as a
//! little-endian u32, the generation of the snapshot it follows as a u32), then records of
//! `[u32 LE length][first 4 bytes of the payload's SHA-256][payload]`, the payload one
//! JSON object. What it relies on: an append that returned after `fdatasync` survives a
//! crash (kill -9 or power loss) whole; an append cut short leaves a torn tail, which the
//! next start ignores (with one log line) and cuts off. Anything else unreadable is an
//! error that names the file and leaves it as it is. `DIR/lock` is held (an OS file lock) while a process uses the
//! directory, so a second process refuses to start. A new journal's directory is synced
//! (`fsync`) after the file is made, so the file survives a crash as well as its bytes.
//! An existing directory that holds other files and none of these two is refused
//! untouched: it is somebody else's.
//!
//! Snapshots bound the journal: once it holds more than `--snapshot-after-mib` (and at
//! least as much as the last snapshot, so writing them costs at most as much again as
//! the journal), and when the process stops cleanly, the whole state is written to
//! `DIR/snapshot` (src/snapshot.rs encodes it) and the journal starts anew after it. The
//! file: a 72-byte header (`PARLELS\0`, the format version as a u32 LE, the snapshot's
//! generation as a u32 LE, the state layout's two u64 fingerprints, the payload's length
//! as a u64 LE and its SHA-256), then the payload. It is written to `snapshot.tmp`,
//! synced, renamed over `snapshot` and the directory synced; then the new journal — its
//! header naming the generation it follows (bytes 12..16), its first records the salt
//! and the run-time image catalogs — is written to `journal.tmp`, synced and renamed
//! over `journal` the same way. A crash between the two renames leaves a journal of the
//! generation before the snapshot's, whose every record the snapshot holds: the next
//! start drops it. Mutating requests wait while a snapshot is written; reads do not.
//!
//! Upgrade rule: the version is bumped when the record format changes; a journal of
//! another version is refused (version 1, which had no snapshots, is read as version 2
//! with none). Replaying runs the current handlers, so a release that changes what a
//! request does may rebuild a different state from the same journal; the README says
//! so. A snapshot is read only by a build whose state layout is the same (its
//! fingerprints); any other is refused, naming the file.

use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

const MAGIC: &[u8; 8] = b"PARLELJ\0";
pub const VERSION: u32 = 2;
const HEADER: usize = 16;
const SNAPSHOT_MAGIC: &[u8; 8] = b"PARLELS\0";
pub const SNAPSHOT_VERSION: u32 = 1;
const SNAPSHOT_HEADER: usize = 72;
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
    dir: PathBuf,
    path: PathBuf,
    /// Held for the process's life: the directory's lock.
    _lock: File,
    /// Run-time image catalogs, written again at the start of each new journal.
    images: Mutex<Vec<String>>,
    /// The partitions' salt (the `Init` entry), written again at the start of each new
    /// journal.
    salt: u64,
    /// Bytes written since the process started (across journals: offsets only grow), and
    /// how many of them are known to be on the disk (group commit), with the file to
    /// `fdatasync` (the journal's own handle, so syncing needs no write lock).
    written: AtomicU64,
    synced: Mutex<(u64, File)>,
    /// Where the current journal started in `written`, and the EC2 changes it holds.
    since: AtomicU64,
    changes: AtomicU64,
    /// The generation of the last snapshot (0: none) and its size in bytes.
    generation: AtomicU64,
    snapshot_bytes: AtomicU64,
    /// Taken before a partition by every mutating request: the journal's order is the
    /// order changes happened in, across partitions too (shared images).
    order: Mutex<()>,
    /// A snapshot was renamed into place but the journal after it could not be made:
    /// nothing more is written (see `install_snapshot`).
    broken: std::sync::atomic::AtomicBool,
}

/// What [`Journal::open`] found: the journal, the payload of the snapshot it follows, and
/// the entries after that snapshot.
pub struct Opened {
    pub journal: Journal,
    pub snapshot: Option<Snapshot>,
    pub entries: Vec<Entry>,
}

fn header(generation: u32) -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    h[..8].copy_from_slice(MAGIC);
    h[8..12].copy_from_slice(&VERSION.to_le_bytes());
    h[12..16].copy_from_slice(&generation.to_le_bytes());
    h
}

fn frame(e: &Entry) -> Vec<u8> {
    let payload = e.to_json().into_bytes();
    let mut record = Vec::with_capacity(payload.len() + 8);
    record.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    record.extend_from_slice(&checksum(&payload));
    record.extend_from_slice(&payload);
    record
}

fn checksum(payload: &[u8]) -> [u8; 4] {
    let d = Sha256::digest(payload);
    [d[0], d[1], d[2], d[3]]
}

impl Journal {
    /// Opens (or creates) the journal of `dir` and reads it and the snapshot it follows;
    /// an error names the file and what is wrong, and changes nothing on disk.
    pub fn open(dir: &Path) -> Result<Opened, String> {
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
        let name = path.display().to_string();
        let snapshot_path = dir.join("snapshot");
        let snapshot = match std::fs::read(&snapshot_path) {
            Ok(bytes) => Some(read_snapshot(bytes, &snapshot_path.display().to_string())?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("{}: {e}", snapshot_path.display())),
        };
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| format!("{name}: {e}"))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: {e}"))?;
        let snapshot_generation = snapshot.as_ref().map_or(0, |(g, _)| *g);
        let (mut entries, good_len, journal_generation) = if bytes.is_empty() {
            if let Some((g, _)) = &snapshot {
                return Err(format!(
                    "{name}: missing, but {} (generation {g}) is there: the journal after it is lost",
                    snapshot_path.display()
                ));
            }
            // A new journal: its header, then the directory, so that the file itself (and
            // the lock file beside it) still exist after a crash, not only their bytes.
            file.write_all(&header(0))
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("{name}: {e}"))?;
            sync_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            (Vec::new(), HEADER, 0)
        } else {
            read(&bytes, &name)?
        };
        // The journal follows the snapshot, or is the one before it (a crash between the
        // two renames: the snapshot holds all of it). Anything else is not a pair this
        // emulator wrote.
        let stale = journal_generation + 1 == snapshot_generation;
        if journal_generation != snapshot_generation && !stale {
            return Err(format!(
                "{name}: follows snapshot generation {journal_generation}, but {} {}",
                snapshot_path.display(),
                match snapshot_generation {
                    0 => "is missing".to_string(),
                    g => format!("is generation {g}"),
                }
            ));
        }
        for tmp in ["snapshot.tmp", "journal.tmp"] {
            // A snapshot or journal whose writing a crash cut short: never renamed, so
            // never read.
            if std::fs::remove_file(dir.join(tmp)).is_ok() {
                tracing::warn!(file = %dir.join(tmp).display(), "an unfinished file was removed");
            }
        }
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
        let changes = entries
            .iter()
            .filter(|e| matches!(e, Entry::Ec2 { .. }))
            .count() as u64;
        let journal = Journal {
            written: AtomicU64::new(end),
            synced: Mutex::new((end, sync_file)),
            since: AtomicU64::new(0),
            changes: AtomicU64::new(changes),
            generation: AtomicU64::new(u64::from(snapshot_generation)),
            snapshot_bytes: AtomicU64::new(
                snapshot
                    .as_ref()
                    .map_or(0, |(_, p)| p.payload().len() as u64),
            ),
            file: Mutex::new(file),
            dir: dir.to_path_buf(),
            path,
            _lock: lock,
            images: Mutex::new(images),
            salt: salt.unwrap_or_else(|| rand::Rng::gen(&mut rand::thread_rng())),
            order: Mutex::new(()),
            broken: Default::default(),
        };
        if stale {
            // Every record is in the snapshot: start its journal now.
            tracing::info!(file = %name, "the journal before the last snapshot is dropped");
            journal
                .rotate(snapshot_generation)
                .map_err(|e| format!("{name}: {e}"))?;
            entries.clear();
        } else if salt.is_none() {
            journal
                .append(&Entry::Init { salt: journal.salt })
                .map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(Opened {
            journal,
            snapshot: snapshot.map(|(_, payload)| payload),
            entries,
        })
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
        if self.broken.load(Ordering::SeqCst) {
            return Err(std::io::Error::other(
                "a snapshot was written but the journal after it could not be; restart parlel-ec2",
            ));
        }
        match e {
            Entry::Images(j) => self
                .images
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(j.clone()),
            Entry::Ec2 { .. } => {
                self.changes.fetch_add(1, Ordering::SeqCst);
            }
            Entry::Init { .. } => {}
        }
        let record = frame(e);
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
        if synced.0 >= end {
            return Ok(());
        }
        let upto = self.written.load(Ordering::SeqCst);
        synced.1.sync_data()?;
        synced.0 = upto;
        Ok(())
    }

    /// Whether the journal has grown enough for a snapshot: more than `threshold` bytes
    /// and at least the last snapshot's size, with some EC2 change in it.
    pub fn wants_snapshot(&self, threshold: u64) -> bool {
        let tail = self.written.load(Ordering::SeqCst) - self.since.load(Ordering::SeqCst);
        self.changes.load(Ordering::SeqCst) > 0
            && tail >= threshold.max(self.snapshot_bytes.load(Ordering::SeqCst))
    }

    /// Whether the journal holds changes no snapshot has.
    pub fn has_changes(&self) -> bool {
        self.changes.load(Ordering::SeqCst) > 0
    }

    /// Writes `payload` (the encoded state, src/snapshot.rs) as the next snapshot and
    /// starts the journal after it. The caller holds the order lock, so the state it
    /// encoded holds every record written so far.
    pub fn install_snapshot(&self, payload: &[u8]) -> std::io::Result<()> {
        if self.broken.load(Ordering::SeqCst) {
            // Another snapshot would leave a pair that does not follow (see below).
            return Err(std::io::Error::other(
                "the journal after the last snapshot could not be made; restart parlel-ec2",
            ));
        }
        let generation = u32::try_from(self.generation.load(Ordering::SeqCst) + 1)
            .map_err(|_| std::io::Error::other("snapshot generations exhausted"))?;
        let tmp = self.dir.join("snapshot.tmp");
        let mut f = File::create(&tmp)?;
        f.write_all(&snapshot_header(generation, payload))?;
        f.write_all(payload)?;
        f.sync_all()?;
        drop(f);
        // Until the rename the old pair stands, and the journal goes on as it was.
        std::fs::rename(&tmp, self.dir.join("snapshot"))?;
        self.generation
            .store(u64::from(generation), Ordering::SeqCst);
        self.snapshot_bytes
            .store(payload.len() as u64, Ordering::SeqCst);
        // After it, records appended to the old journal would be dropped at the next
        // start (it is older than the snapshot): if the new journal cannot be made, no
        // record is written any more.
        let rotated = sync_dir(&self.dir).and_then(|()| self.rotate(generation));
        if rotated.is_err() {
            self.broken.store(true, Ordering::SeqCst);
        }
        rotated
    }

    /// Replaces the journal by a new one that follows snapshot `generation` and starts
    /// with the salt and the run-time image catalogs. Everything written before is then
    /// counted as on the disk (the snapshot holds it).
    fn rotate(&self, generation: u32) -> std::io::Result<()> {
        let mut bytes = header(generation).to_vec();
        bytes.extend(frame(&Entry::Init { salt: self.salt }));
        for j in self
            .images
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            bytes.extend(frame(&Entry::Images(j.clone())));
        }
        let tmp = self.dir.join("journal.tmp");
        let mut f = OpenOptions::new()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &self.path)?;
        sync_dir(&self.dir)?;
        let sync_file = f.try_clone()?;
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        let mut synced = self.synced.lock().unwrap_or_else(PoisonError::into_inner);
        *file = f;
        let at = self.written.load(Ordering::SeqCst);
        self.written
            .store(at + bytes.len() as u64, Ordering::SeqCst);
        self.since.store(at, Ordering::SeqCst);
        self.changes.store(0, Ordering::SeqCst);
        *synced = (at + bytes.len() as u64, sync_file);
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

fn snapshot_header(generation: u32, payload: &[u8]) -> [u8; SNAPSHOT_HEADER] {
    let mut h = [0u8; SNAPSHOT_HEADER];
    h[..8].copy_from_slice(SNAPSHOT_MAGIC);
    h[8..12].copy_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
    h[12..16].copy_from_slice(&generation.to_le_bytes());
    h[16..24].copy_from_slice(&crate::snapshot::LAYOUT[0].to_le_bytes());
    h[24..32].copy_from_slice(&crate::snapshot::LAYOUT[1].to_le_bytes());
    h[32..40].copy_from_slice(&(payload.len() as u64).to_le_bytes());
    h[40..].copy_from_slice(&Sha256::digest(payload));
    h
}

/// A snapshot file's generation and payload, checked; anything wrong is an error naming
/// the file (a snapshot is renamed into place whole, so nothing about it is torn).
fn read_snapshot(bytes: Vec<u8>, name: &str) -> Result<(u32, Snapshot), String> {
    if bytes.len() < SNAPSHOT_HEADER || &bytes[..8] != SNAPSHOT_MAGIC {
        return Err(format!(
            "{name}: not a parlel-ec2 snapshot (was this directory written by something else?)"
        ));
    }
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
    let version = u32_at(8);
    if version != SNAPSHOT_VERSION {
        return Err(format!(
            "{name}: snapshot format version {version}; this parlel-ec2 reads version {SNAPSHOT_VERSION}"
        ));
    }
    let generation = u32_at(12);
    let layout = [u64_at(16), u64_at(24)];
    if layout != crate::snapshot::LAYOUT {
        return Err(format!(
            "{name}: written by a parlel-ec2 build whose state layout differs ({:016x}{:016x}, this one {:016x}{:016x}); start that release, or an empty directory",
            layout[0], layout[1], crate::snapshot::LAYOUT[0], crate::snapshot::LAYOUT[1]
        ));
    }
    let len = u64_at(32);
    if len != (bytes.len() - SNAPSHOT_HEADER) as u64 {
        return Err(format!(
            "{name}: {} bytes of state where the header says {len}",
            bytes.len() - SNAPSHOT_HEADER
        ));
    }
    if Sha256::digest(&bytes[SNAPSHOT_HEADER..])[..] != bytes[40..SNAPSHOT_HEADER] {
        return Err(format!("{name}: corrupt (checksum mismatch)"));
    }
    Ok((generation, Snapshot(bytes)))
}

/// A snapshot file as read, checked.
pub struct Snapshot(Vec<u8>);

impl Snapshot {
    /// The encoded state (src/snapshot.rs).
    pub fn payload(&self) -> &[u8] {
        &self.0[SNAPSHOT_HEADER..]
    }
}

/// The names parlel-ec2 writes in a data directory.
const OUR_FILES: [&str; 5] = ["journal", "lock", "snapshot", "snapshot.tmp", "journal.tmp"];

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

/// The entries of a journal file, the length of its good prefix and the generation of
/// the snapshot it follows; a torn last record ends the prefix, anything else wrong is an
/// error naming the file.
fn read(bytes: &[u8], name: &str) -> Result<(Vec<Entry>, usize, u32), String> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err(format!(
            "{name}: not a parlel-ec2 journal (was this directory written by something else?)"
        ));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    let generation = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes"));
    // Version 1 is version 2 before snapshots: the same records, bytes 12..16 zero.
    if version != VERSION && !(version == 1 && generation == 0) {
        return Err(format!(
            "{name}: journal format version {version}; this parlel-ec2 reads versions 1 and {VERSION} (written by a newer release?)"
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
    Ok((out, at, generation))
}
