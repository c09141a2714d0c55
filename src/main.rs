//! The `chorus` command: parses flags, runs the library, maps the outcome to an exit code
//! (0 ok, 1 content or build errors, 2 usage errors).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use chorus::diagnostic::{self, Diagnostic, Format};
use chorus::{build, dates, scaffold, site};

#[derive(Parser)]
#[command(name = "chorus", version, about = "Build an employee advocacy hub from Markdown.")]
struct Cli {
    /// The hub's folder (where chorus.yaml is).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct Schedule {
    /// Include posts marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include posts dated in the future.
    #[arg(long)]
    future: bool,
    /// Judge scheduling against this moment (RFC 3339) instead of the clock or SOURCE_DATE_EPOCH.
    #[arg(long, value_name = "T")]
    now: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        schedule: Schedule,
        /// Use this base URL instead of the config's.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Where to write the site (default: `output_dir` from chorus.yaml, `public`).
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Show how long each phase took.
        #[arg(long)]
        timings: bool,
    },
    /// Report every problem in the hub without writing anything.
    Check {
        #[command(flatten)]
        schedule: Schedule,
        /// How to print the problems.
        #[arg(long, value_enum, default_value = "human")]
        format: CheckFormat,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Build, serve the hub on localhost, and rebuild and reload the browser on every change.
    Serve {
        #[command(flatten)]
        schedule: Schedule,
        /// The port to listen on (the next free one is used if it is taken).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but localhost makes the preview reachable by others.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Start a new post, person, cause or page, with its front matter filled in.
    New {
        #[arg(value_enum)]
        kind: NewKind,
        /// The title (or, for a person, the name).
        title: String,
        /// Use this moment as "today" (RFC 3339).
        #[arg(long, value_name = "T")]
        now: Option<String>,
    },
    /// Create a minimal hub that builds and passes `check` at once.
    Init {
        /// Where to create it (default: the current folder).
        dir: Option<PathBuf>,
    },
    /// Print one week's digest: its posts with their suggested messages, and the causes coming up.
    Digest {
        /// The ISO week, like `2026-W47` (default: the current week).
        #[arg(long)]
        week: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: DigestFormat,
        /// Judge "this week" and scheduling against this moment (RFC 3339).
        #[arg(long, value_name = "T")]
        now: Option<String>,
    },
}

#[derive(clap::ValueEnum, Clone, Copy)]
enum NewKind {
    Post,
    Person,
    Cause,
    Page,
}

#[derive(clap::ValueEnum, Clone, Copy)]
enum DigestFormat {
    Text,
    Markdown,
    Html,
}

#[derive(clap::ValueEnum, Clone, Copy)]
enum CheckFormat {
    Human,
    Github,
    Json,
}

// Rendering allocates many short-lived strings on every thread; jemalloc does that with a
// quarter less processor time than the system allocator (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn options(schedule: &Schedule, base_url: Option<String>) -> Result<site::Options, String> {
    let now = dates::now(schedule.now.as_deref(), std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?;
    Ok(site::Options { drafts: schedule.drafts, future: schedule.future, now, base_url })
}

fn print_diagnostics(diags: &[Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diagnostic::render(diags, Format::Human { color }));
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Build { schedule, base_url, output, timings } => {
            let request = build::Request {
                root: cli.root.clone(),
                options: options(&schedule, base_url)?,
                output,
                live_reload: false,
                progress: std::io::stderr().is_terminal() && !timings,
                timings,
            };
            let started = std::time::Instant::now();
            let outcome = build::build(&request);
            print_diagnostics(&outcome.diagnostics);
            if timings {
                for phase in &outcome.phases {
                    let peak = phase.peak_rss.map_or(String::new(), |b| format!("   (peak memory {} MB)", b >> 20));
                    eprintln!("{:>14}: {:>8.1} ms{peak}", phase.name, phase.took.as_secs_f64() * 1000.0);
                }
                if let Some(report) = &outcome.timings {
                    eprint!("{report}");
                }
            }
            match &outcome.output {
                Some(dir) if outcome.ok() => {
                    eprintln!(
                        "Built {} pages into {} in {} ms",
                        outcome.pages,
                        dir.display(),
                        started.elapsed().as_millis()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                _ => {
                    eprintln!("The build failed; nothing was published.");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Check { schedule, format, strict } => {
            let opts = options(&schedule, None)?;
            let mut diags = chorus::check::check(&cli.root, opts);
            if strict {
                for d in &mut diags {
                    d.severity = diagnostic::Severity::Error;
                }
            }
            let format = match format {
                CheckFormat::Human => {
                    Format::Human { color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() }
                }
                CheckFormat::Github => Format::Github,
                CheckFormat::Json => Format::Json,
            };
            print!("{}", diagnostic::render(&diags, format));
            Ok(if diags.iter().any(Diagnostic::is_error) { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Serve { schedule, port, bind, open } => {
            let options = options(&schedule, None)?;
            let settings = chorus::serve::Settings { root: cli.root.clone(), bind, port, open, options };
            match chorus::serve::serve(settings) {
                Ok(()) => Ok(ExitCode::SUCCESS),
                Err(message) => {
                    eprintln!("error: {message}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::New { kind, title, now } => {
            let now = dates::now(now.as_deref(), std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?;
            let kind = match kind {
                NewKind::Post => scaffold::Kind::Post,
                NewKind::Person => scaffold::Kind::Person,
                NewKind::Cause => scaffold::Kind::Cause,
                NewKind::Page => scaffold::Kind::Page,
            };
            // A hub's local time zone decides what "today" is.
            let zone = chorus::config::Config::load(&cli.root).0.map_or(now.timezone(), |c| c.timezone);
            match scaffold::new(&cli.root, kind, &title, now.with_timezone(&zone)) {
                Ok(path) => {
                    println!("{}", path.strip_prefix(&cli.root).unwrap_or(&path).display());
                    eprintln!("Created it. Edit it, then run `chorus check` before you open a pull request.");
                    Ok(ExitCode::SUCCESS)
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Init { dir } => {
            let dir = dir.unwrap_or_else(|| cli.root.clone());
            let now = dates::now(None, std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?;
            match scaffold::init(&dir, now) {
                Ok(files) => {
                    for f in &files {
                        println!("{}", f.display());
                    }
                    eprintln!("A new hub is ready in {}. Try `chorus --root {} serve`.", dir.display(), dir.display());
                    Ok(ExitCode::SUCCESS)
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Digest { week, format, now } => {
            let schedule = Schedule { drafts: false, future: false, now };
            let opts = options(&schedule, None)?;
            let week = match week {
                Some(w) => {
                    if dates::parse_iso_week(&w, chrono::FixedOffset::east_opt(0).expect("zero offset")).is_none() {
                        return Err(format!("`{w}` is not an ISO week; write it like `2026-W47`"));
                    }
                    w
                }
                None => dates::iso_week(&opts.now),
            };
            let (site, diags) = site::Site::load(&cli.root, opts);
            let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
            let Some(site) = site.filter(|_| errors.is_empty()) else {
                print_diagnostics(&errors);
                eprintln!("The hub has errors; fix them (see `chorus check`) to get a digest.");
                return Ok(ExitCode::from(1));
            };
            let tera = match chorus::render::load_templates(&cli.root, &site.config.theme) {
                Ok(t) => t,
                Err(d) => {
                    print_diagnostics(&d);
                    return Ok(ExitCode::from(1));
                }
            };
            let shared = chorus::render::Shared::new(&site, &tera, false);
            let Some(digest) = chorus::digest::build(&shared, &week) else {
                return Err(format!("`{week}` is not an ISO week; write it like `2026-W47`"));
            };
            let text = match format {
                DigestFormat::Text => chorus::digest::to_text(&digest),
                DigestFormat::Markdown => chorus::digest::to_markdown(&digest),
                DigestFormat::Html => match shared.digest_email(&digest) {
                    Ok(h) => h,
                    Err(d) => {
                        print_diagnostics(&[d]);
                        return Ok(ExitCode::from(1));
                    }
                },
            };
            print!("{text}");
            Ok(ExitCode::SUCCESS)
        }
    }
}
