//! The `chorus` command: parses flags, dispatches to the library, prints what it returns
//! and maps the outcome to an exit code (0 ok, 1 content or build errors, 2 usage errors).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use chorus::cli::{CheckFormat, Cli, Command, Schedule};
use chorus::diagnostic::{self, Diagnostic, Format};
use chorus::{build, check, dates, import, scaffold, serve, weekly};

// Rendering allocates many short-lived strings on every thread; jemalloc does that with a
// quarter less processor time than the system allocator (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Returns the pages jemalloc keeps after frees to the system at once, rather than after its
/// ten-second decay: between the languages of a build, so the next starts from less.
fn purge_allocator() {
    // `arena.<MALLCTL_ARENAS_ALL>.purge`: every arena.
    let name = b"arena.4096.purge\0";
    // SAFETY: a documented mallctl that takes and returns nothing, with a NUL-terminated name.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            name.as_ptr().cast(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        );
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Colour only for a terminal, and never with `NO_COLOR`.
fn color(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none()
}

fn print_diagnostics(diags: &[Diagnostic]) {
    if !diags.is_empty() {
        eprint!("{}", diagnostic::render(diags, Format::Human { color: color(std::io::stderr().is_terminal()) }));
    }
}

/// Exit code 1 after a failure the person can fix in the hub, with its message.
fn failed(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(1)
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let root = cli.root;
    Ok(match cli.command {
        Command::Build { schedule, base_url, output, timings } => {
            let request = build::Request {
                root,
                options: schedule.options(base_url)?,
                output,
                progress: std::io::stderr().is_terminal() && !timings,
                timings,
                release_memory: Some(purge_allocator),
            };
            let started = std::time::Instant::now();
            let outcome = build::build(&request);
            print_diagnostics(&outcome.diagnostics);
            if timings {
                eprint!("{}", outcome.timings_table());
            }
            match &outcome.output {
                Some(dir) if outcome.ok() => {
                    let ms = started.elapsed().as_millis();
                    eprintln!("Built {} pages into {} in {ms} ms", outcome.pages, dir.display());
                    ExitCode::SUCCESS
                }
                _ => {
                    eprintln!("The build failed; nothing was published.");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check { schedule, format, strict } => {
            let warnings = if strict { check::Warnings::AsErrors } else { check::Warnings::Reported };
            let diags = check::check(&root, schedule.options(None)?, warnings);
            let format = match format {
                CheckFormat::Human => Format::Human { color: color(std::io::stdout().is_terminal()) },
                CheckFormat::Github => Format::Github,
                CheckFormat::Json => Format::Json,
            };
            print!("{}", diagnostic::render(&diags, format));
            if diags.iter().any(Diagnostic::is_error) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Serve { schedule, port, bind, allow_host, open } => {
            let options = schedule.options(None)?;
            let settings = serve::Settings { root, bind, port, open, allow_hosts: allow_host, options };
            serve::serve(settings).map_or_else(failed, |()| ExitCode::SUCCESS)
        }
        Command::New { kind, title, now } => {
            let now = dates::now_for_command(now.as_deref())?;
            // A hub's local time zone decides what "today" is.
            let zone = chorus::config::Config::load(&root).0.map_or(now.timezone(), |c| c.timezone);
            match scaffold::new(&root, kind.into(), &title, now.with_timezone(&zone)) {
                Ok(path) => {
                    println!("{}", path.strip_prefix(&root).unwrap_or(&path).display());
                    eprintln!("Created it. Edit it, then run `chorus check` before you open a pull request.");
                    ExitCode::SUCCESS
                }
                Err(message) => failed(message),
            }
        }
        Command::Init { dir, ci } => {
            let dir = dir.unwrap_or(root);
            match scaffold::init(&dir, dates::now_for_command(None)?, ci.map(Into::into)) {
                Ok(files) => {
                    for f in &files {
                        println!("{}", f.display());
                    }
                    eprintln!("A new hub is ready in {}. Try `chorus --root {} serve`.", dir.display(), dir.display());
                    ExitCode::SUCCESS
                }
                Err(message) => failed(message),
            }
        }
        Command::Digest { week, format, now, language, send, eml, dry_run } => {
            let options = Schedule { drafts: false, future: false, now }.options(None)?;
            let delivery = match (send, eml, dry_run) {
                (true, _, _) => Some(weekly::Delivery::Send),
                (_, Some(file), _) => Some(weekly::Delivery::Eml(file)),
                (_, _, true) => Some(weekly::Delivery::DryRun),
                _ => None,
            };
            let outcome = match &delivery {
                Some(delivery) => {
                    let password = std::env::var(chorus::mail::PASSWORD_VAR).ok();
                    weekly::send(&root, options, week.as_deref(), language.as_deref(), delivery, password.as_deref())
                        .map(|sent| {
                            eprintln!("{}", sent.note);
                            sent.output
                        })
                }
                None => weekly::command(&root, options, week.as_deref(), language.as_deref(), format.into()),
            };
            match outcome {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(weekly::Failure::Mail(diags)) => {
                    print_diagnostics(&diags);
                    ExitCode::from(1)
                }
                Err(weekly::Failure::Usage(message)) => return Err(message),
                Err(weekly::Failure::Hub(diags)) => {
                    print_diagnostics(&diags);
                    eprintln!("The hub has errors; fix them (see `chorus check`) to get a digest.");
                    ExitCode::from(1)
                }
                Err(weekly::Failure::Theme(diags)) => {
                    print_diagnostics(&diags);
                    ExitCode::from(1)
                }
            }
        }
        Command::Import { generator, source, into, section, author } => {
            let request =
                import::Request { generator: generator.into(), source, hub: into.unwrap_or(root), section, author };
            let outcome = import::import(&request);
            print_diagnostics(&outcome.diagnostics);
            print!("{}", outcome.report());
            if outcome.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    })
}
