//! DESIGN §9: a failed or killed build changes nothing already published.

use std::fs;
use std::os::unix::process::CommandExt;
use std::time::{Duration, Instant};

use crate::common::run_command;
use crate::util::*;

/// Kills `build` with SIGKILL at 50 different moments; after each kill the published folder
/// is exactly the previous build, and the next build succeeds and removes only its own
/// leftovers.
#[test]
fn killed_builds_leave_the_published_site_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let root = generated_hub(tmp.path(), 400);
    let public = root.join("public");
    assert!(build(&root, &[]).success());
    let mut published = tree(&public);
    assert!(published.len() > 400, "the first build published {} files", published.len());
    // Someone else's folder that merely looks like ours: never touched.
    let lookalike = root.join(".public.chorus-staging-4242");
    fs::create_dir_all(&lookalike).unwrap();
    fs::write(lookalike.join("mine.txt"), "not Chorus's").unwrap();

    // Change the content, so an interrupted build would publish something different.
    fs::write(
        root.join("content/posts/post-00000.md"),
        "---\ntitle: Changed\ndate: 2026-01-01\nauthor: p0\n---\nNew.\n",
    )
    .unwrap();
    // What a complete build of the changed content publishes.
    let reference = tmp.path().join("reference");
    // The kills are spread over a build like the ones they interrupt: one with a warm image
    // cache (the first build drew every social card; timing it would stretch the kills over
    // minutes of sleep).
    let started = Instant::now();
    assert!(build(&root, &["--output", reference.to_str().unwrap()]).success());
    let full = started.elapsed();
    let next = tree(&reference);
    let mut killed_while_running = 0;
    for n in 0..50u32 {
        // Spread the kills over the build, from its very start to near its end (builds get
        // faster or slower with the machine's load, so not to the very end).
        let delay = full.mul_f64(0.85 * f64::from(n) / 50.0);
        let mut child = chorus_command()
            .arg("--root")
            .arg(&root)
            .args(["build", "--now", NOW])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_while_running += 1;
        }
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        child.wait().unwrap();
        // Killed before the swap: the previous site; killed after it (or finished): the new
        // one, whole. Never a mix, never nothing.
        let now = tree(&public);
        let differing = |a: &std::collections::BTreeMap<String, u64>| {
            a.iter().filter(|(k, v)| now.get(*k) != Some(v)).count()
                + now.keys().filter(|k| !a.contains_key(*k)).count()
        };
        if now != published {
            assert!(
                now == next,
                "kill #{n} after {delay:?}: the published site is neither the previous build ({} files differ) nor the next ({} differ)",
                differing(&published),
                differing(&next)
            );
            published = now;
        }
    }
    // Most kills must land in a running build, or the test tests little.
    assert!(killed_while_running >= 30, "only {killed_while_running} of 50 kills hit a running build");
    finish(&root, &lookalike);
}

fn finish(root: &std::path::Path, lookalike: &std::path::Path) {
    let public = root.join("public");
    let out = build(root, &[]);
    assert!(out.success(), "{out}");
    assert!(fs::read_to_string(public.join("posts/post-00000/index.html")).unwrap().contains("Changed"));
    assert_eq!(leftovers(&public), vec![".public.chorus-staging-4242".to_string()], "only the look-alike remains");
    assert_eq!(fs::read_to_string(lookalike.join("mine.txt")).unwrap(), "not Chorus's");
}

/// A disk that fills up mid-build (a file-size limit): a clear error, the site untouched.
#[test]
fn a_failing_write_gives_a_clear_error_and_keeps_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = generated_hub(tmp.path(), 30);
    let public = root.join("public");
    assert!(build(&root, &[]).success());
    let published = tree(&public);
    fs::write(
        root.join("content/posts/post-00001.md"),
        "---\ntitle: Bigger\ndate: 2026-01-01\nauthor: p1\n---\nNew.\n",
    )
    .unwrap();
    let mut cmd = chorus_command();
    cmd.arg("--root").arg(&root).args(["build", "--now", NOW]);
    // SAFETY: the closure only calls async-signal-safe functions between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            // Writes past 4 KB fail with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit { rlim_cur: 4096, rlim_max: 4096 };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    };
    let out = run_command(cmd, "chorus build (files limited to 4 KB)", Duration::from_secs(120));
    out.assert_no_crash();
    let stderr = &out.stderr;
    assert_eq!(out.code, Some(1), "{stderr}");
    assert!(stderr.contains("error: cannot write"), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    // Every write fails the same way: one error, not one per file.
    assert_eq!(stderr.matches("error: cannot write").count(), 1, "{stderr}");
    assert!(stderr.contains("The build failed; nothing was published."), "{stderr}");
    assert_eq!(tree(&public), published);
    assert!(leftovers(&public).is_empty(), "{:?}", leftovers(&public));
}

/// An output folder that cannot be created (a file stands in its way): a clear error.
#[test]
fn an_output_that_cannot_be_created_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = generated_hub(tmp.path(), 3);
    fs::write(tmp.path().join("blocker"), "a file, not a folder").unwrap();
    let out = build(&root, &["--output", tmp.path().join("blocker/public").to_str().unwrap()]);
    let stderr = &out.stderr;
    assert_eq!(out.code, Some(1), "{stderr}");
    assert!(stderr.contains("cannot create the output folder"), "{stderr}");
    assert_eq!(fs::read_to_string(tmp.path().join("blocker")).unwrap(), "a file, not a folder");
}
