//! `parlel-ec2`: the emulator as a process.

use clap::Parser;
use parlel_ec2::image_catalog::ImageCatalog;
use parlel_ec2::server::{run, App};
use parlel_ec2::sigv4::{self, Credentials};
use parlel_ec2::Config;
use std::sync::Arc;
use std::time::Duration;

/// A local emulator of the Amazon EC2 API (2016-11-15).
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Port to listen on; 0 picks a free one (printed on start).
    #[arg(long, env = "PARLEL_EC2_PORT", default_value_t = 4700)]
    port: u16,
    /// Address to bind; 0.0.0.0 for containers and sidecars.
    #[arg(long, env = "PARLEL_EC2_HOST", default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// How long pending, stopping and shutting-down last, in milliseconds (0: settled on the next read).
    #[arg(long, env = "PARLEL_EC2_TRANSITION_MS", default_value_t = 0)]
    transition_ms: u64,
    /// How long terminated instances stay visible, in seconds.
    #[arg(
        long,
        env = "PARLEL_EC2_TERMINATED_RETENTION_SECS",
        default_value_t = 3600
    )]
    terminated_retention_secs: u64,
    /// How many MiB of rendered Describe items (instances, security groups, VPCs,
    /// subnets) each Region keeps for reuse
    /// (0: render every item on every request).
    #[arg(long, env = "PARLEL_EC2_RENDER_CACHE_MIB", default_value_t = 64)]
    render_cache_mib: usize,
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "PARLEL_EC2_MAX_BODY_BYTES", default_value_t = 2 * 1024 * 1024)]
    max_body_bytes: usize,
    /// An image catalog to load besides the seed (`aws ec2 describe-images --output json`
    /// shape); repeatable. The variable takes paths separated by the platform's path
    /// separator (`:`, `;` on Windows).
    #[arg(long = "images", value_name = "FILE", env = "PARLEL_EC2_IMAGES", value_delimiter = PATH_SEPARATOR)]
    images: Vec<std::path::PathBuf>,
    /// Keep the state in DIR: every change is on disk before its answer, and a restart
    /// rebuilds the state exactly (start with the same --images files).
    #[arg(long, value_name = "DIR", env = "PARLEL_EC2_DATA_DIR")]
    data_dir: Option<std::path::PathBuf>,
    /// With --data-dir: write a snapshot of the state once the journal since the last one
    /// holds this many MiB (and at least the last snapshot's size); decimals are allowed.
    #[arg(long, value_name = "MIB", env = "PARLEL_EC2_SNAPSHOT_AFTER_MIB", default_value_t = 64.0, value_parser = positive_mib)]
    snapshot_after_mib: f64,
    /// Check AWS Signature Version 4 on every EC2 request (admin routes stay open).
    #[arg(
        long,
        env = "PARLEL_EC2_VERIFY_SIGNATURES",
        value_parser = clap::builder::BoolishValueParser::new(),
        num_args = 0..=1,
        default_missing_value = "true",
        default_value = "false"
    )]
    verify_signatures: bool,
    /// With --verify-signatures: the credentials to accept, from an AWS shared-credentials
    /// file (`aws_access_key_id`, `aws_secret_access_key`, optional `aws_session_token`
    /// and `aws_account_id`, per profile).
    #[arg(long, value_name = "FILE", env = "PARLEL_EC2_CREDENTIALS")]
    credentials: Option<std::path::PathBuf>,
    /// With --verify-signatures: one credential to accept, `KEY:SECRET[:ACCOUNT]`;
    /// repeatable. Without any, `parlel` / `parlel` in 123456789012 is the one.
    #[arg(long = "credential", value_name = "KEY:SECRET[:ACCOUNT]")]
    credential: Vec<String>,
    /// Serve the instance metadata service on this port too (0 picks a free one; printed).
    #[arg(long, value_name = "PORT", env = "PARLEL_EC2_IMDS_PORT")]
    imds_port: Option<u16>,
    /// A fault rule to start with, as the JSON `POST /_parlel/faults` takes; repeatable.
    #[arg(long = "fault", value_name = "RULE")]
    fault: Vec<String>,
}

/// The credentials signatures are checked against, or the first problem.
fn credentials(args: &Args) -> Result<Option<Credentials>, String> {
    if !args.verify_signatures {
        // Not an error: a shared environment may set the credentials once and switch
        // verification on and off with PARLEL_EC2_VERIFY_SIGNATURES.
        if args.credentials.is_some() || !args.credential.is_empty() {
            tracing::warn!("--credentials and --credential are ignored without --verify-signatures: any credentials are accepted");
        }
        return Ok(None);
    }
    let mut list = Vec::new();
    if let Some(f) = &args.credentials {
        let source = f.display().to_string();
        let text = std::fs::read_to_string(f).map_err(|e| format!("{source}: {e}"))?;
        list.extend(sigv4::parse_file(&text, &source)?);
    }
    for c in &args.credential {
        list.push(sigv4::parse_flag(c)?);
    }
    let creds = Credentials::new(list);
    Ok(Some(if creds.is_empty() {
        Credentials::default_pair()
    } else {
        creds
    }))
}

#[cfg(windows)]
const PATH_SEPARATOR: char = ';';
#[cfg(not(windows))]
const PATH_SEPARATOR: char = ':';

/// The seed catalog and every `--images` file, or the first problem (file, entry,
/// member): nothing starts half-loaded.
fn catalog(files: &[std::path::PathBuf]) -> Result<ImageCatalog, String> {
    let mut catalog = ImageCatalog::seed().clone();
    for f in files.iter().filter(|f| !f.as_os_str().is_empty()) {
        let source = f.display().to_string();
        let text = std::fs::read_to_string(f).map_err(|e| format!("{source}: {e}"))?;
        catalog = catalog.with(parlel_ec2::image_catalog::parse(&text, &source)?, &source)?;
    }
    Ok(catalog)
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        // Colour codes only for a terminal: logs piped to a file stay plain (and cheaper).
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        // Batched off the request path (see log.rs).
        .with_writer(parlel_ec2::log::Batched)
        .init();
    let verify_signatures = match credentials(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("parlel-ec2: cannot load the credentials: {e}");
            std::process::exit(2);
        }
    };
    let config = Config {
        transition: Duration::from_millis(args.transition_ms),
        terminated_retention: Duration::from_secs(args.terminated_retention_secs),
        max_body_bytes: args.max_body_bytes,
        render_cache_bytes: args.render_cache_mib.saturating_mul(1 << 20),
        snapshot_after_bytes: (args.snapshot_after_mib * f64::from(1u32 << 20)) as u64,
        verify_signatures,
        ..Config::default()
    };
    let catalog = match catalog(&args.images) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("parlel-ec2: cannot load the image catalog: {e}");
            std::process::exit(2);
        }
    };
    let app = match &args.data_dir {
        None => App::with_catalog(config, catalog),
        Some(dir) => match App::with_data_dir(config, catalog, dir) {
            Ok(app) => app,
            Err(e) => {
                eprintln!("parlel-ec2: cannot use the data directory: {e}");
                std::process::exit(2);
            }
        },
    };
    for rule in &args.fault {
        if let Err(e) = app.faults.add(rule) {
            eprintln!("parlel-ec2: --fault {rule}: {e}");
            std::process::exit(2);
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = parlel_ec2::server::bind((args.host, args.port).into())?;
        let addr = listener.local_addr()?;
        let shutdown = shutdown_signal();
        // The one line tools wait for.
        println!("parlel-ec2 listening on http://{addr}");
        let app = Arc::new(app);
        if let Some(port) = args.imds_port {
            let imds = parlel_ec2::server::bind((args.host, port).into())?;
            println!("parlel-ec2 IMDS listening on http://{}", imds.local_addr()?);
            tokio::spawn(parlel_ec2::server::run_imds(imds, app.clone()));
        }
        run(listener, app, shutdown).await;
        tracing::info!("stopped");
        parlel_ec2::log::flush();
        Ok(())
    })
}

/// A size in MiB: a finite number above zero.
fn positive_mib(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 => Ok(n),
        _ => Err(format!("{s}: not a number of MiB above 0")),
    }
}

/// SIGINT or SIGTERM. The handlers are installed when this is called, not when the
/// future is first polled: called before the listening line is printed, a signal sent as
/// soon as a client sees the server (a test, a supervisor) is never the default action,
/// which would kill the process with requests in flight.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let int = signal(SignalKind::interrupt());
        let term = signal(SignalKind::terminate());
        async move {
            match (int, term) {
                (Ok(mut int), Ok(mut term)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                _ => std::future::pending().await,
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
