//! When the program cannot be started, by running the real binary: exit
//! 127 when it is not found, 126 when it cannot be executed, 1 otherwise,
//! with one message naming the program and the reason; PATH searched like
//! execvp (an empty entry is the current directory; unset, a default
//! list); a failed fork is a set-up error (exit 1); closed stdin, stdout
//! and stderr change nothing.
mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

/// A file `name` in `dir` with `text` and permission bits `mode`.
fn file(dir: &Path, name: &str, text: &[u8], mode: u32) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    p.display().to_string()
}

/// A script that exits with `code`.
fn script(code: i32) -> Vec<u8> {
    format!("#!/bin/sh\nexit {code}\n").into_bytes()
}

/// The exec-failure line of `init` for `prog` and `reason`: tini's FATAL
/// format (printed by the child, so with the child's pid) for the tini
/// personality; for mite, one line starting `mite: ` naming both.
fn is_exec_failure(init: Init, line: &str, prog: &str, reason: &str) -> bool {
    if init.is_tini() {
        let Some(rest) = line.strip_prefix("[FATAL tini (") else {
            return false;
        };
        let Some((pid, msg)) = rest.split_once(")] ") else {
            return false;
        };
        pid.parse::<u32>().is_ok() && msg == format!("exec {prog} failed: {reason}")
    } else {
        line.starts_with("mite: ") && line.contains(prog) && line.ends_with(&format!(": {reason}"))
    }
}

/// Runs `init -- prog`, quiet; checks the status and the one line.
fn check(init: Init, c: &mut Command, prog: &str, code: i32, reason: &str) {
    let o = run(c.env("TINI_VERBOSITY", "0"), 20);
    let what = format!("{init:?} {prog}: {o:?}");
    assert_eq!(o.code, Some(code), "{what}");
    assert_eq!(o.stdout, "", "{what}");
    let l = lines(&o.stderr);
    assert_eq!(l.len(), 1, "one line: {what}");
    assert!(is_exec_failure(init, l[0], prog, reason), "{what}");
}

#[test]
fn not_found_not_executable_directory() {
    let dir = tempdir("exec");
    let noexec = file(&dir, "noexec", &script(0), 0o644);
    let garbage = file(&dir, "garbage", b"\x7fELF\x02\x01\x01garbage", 0o755);
    let d = dir.display().to_string();
    let cases: &[(&str, i32, &str, bool)] = &[
        ("/nonexistent/prog", 127, "No such file or directory", true),
        (
            "no-such-program-for-mite",
            127,
            "No such file or directory",
            true,
        ),
        (&noexec, 126, "Permission denied", true),
        (&d, 126, "Permission denied", true),
        // Not a script, not ELF: execve's ENOEXEC. (tini's glibc execvp
        // would hand such a file to /bin/sh instead: see differential.rs.)
        (&garbage, 126, "Exec format error", false),
    ];
    for &(prog, code, reason, tini_too) in cases {
        check(Init::Mite, &mut mite(&["--", prog]), prog, code, reason);
        if tini_too {
            check(
                Init::As("tini"),
                &mut mite_as("tini", &["--", prog]),
                prog,
                code,
                reason,
            );
        }
    }
}

/// Other errors exit 1, with the error's text.
#[test]
fn other_errors_exit_1_with_their_strerror() {
    let dir = tempdir("exec-other");
    let lp = dir.join("loop");
    std::os::unix::fs::symlink(&lp, &lp).unwrap();
    let lp = lp.display().to_string();
    for init in [Init::Mite, Init::As("tini")] {
        check(
            init,
            &mut init.cmd(&["--", &lp]),
            &lp,
            1,
            "Too many levels of symbolic links",
        );
    }
}

/// A path through a file (ENOTDIR) is neither "not found" nor "not
/// executable": 1, like tini.
#[test]
fn not_a_directory() {
    for init in [Init::Mite, Init::As("tini")] {
        let mut c = init.cmd(&["--", "/etc/passwd/x"]);
        check(init, &mut c, "/etc/passwd/x", 1, "Not a directory");
    }
}

#[test]
fn path_search() {
    let dir = tempdir("path");
    let (d1, d2) = (dir.join("d1"), dir.join("d2"));
    for d in [&d1, &d2] {
        std::fs::create_dir(d).unwrap();
    }
    file(&d1, "prog", &script(10), 0o644); // found first, not executable
    file(&d2, "prog", &script(11), 0o755);
    file(&d1, "onlyhere", &script(12), 0o644);
    std::fs::create_dir(d1.join("isdir")).unwrap();
    file(&d2, "isdir", &script(13), 0o755);
    let path = format!("{}:{}", d1.display(), d2.display());
    for init in [Init::Mite, Init::As("tini")] {
        for (prog, code) in [("prog", 11), ("isdir", 13)] {
            let o = run(
                init.cmd(&["--", prog])
                    .env("PATH", &path)
                    .env("TINI_VERBOSITY", "0"),
                20,
            );
            assert_eq!(
                (o.code, o.stderr.as_str()),
                (Some(code), ""),
                "{init:?} {prog}: {o:?}"
            );
        }
        // Found only where it is not executable: EACCES wins over ENOENT.
        let mut c = init.cmd(&["--", "onlyhere"]);
        check(
            init,
            c.env("PATH", &path),
            "onlyhere",
            126,
            "Permission denied",
        );
        let mut c = init.cmd(&["--", "nowhere"]);
        check(
            init,
            c.env("PATH", &path),
            "nowhere",
            127,
            "No such file or directory",
        );
    }
}

#[test]
fn empty_path_entry_is_the_current_directory() {
    let dir = tempdir("path-empty");
    file(&dir, "here", &script(21), 0o755);
    for init in [Init::Mite, Init::As("tini")] {
        for path in [":/nonexistent", "/nonexistent:", "/nonexistent::/also-not"] {
            let o = run(
                init.cmd(&["--", "here"])
                    .current_dir(&dir)
                    .env("PATH", path)
                    .env("TINI_VERBOSITY", "0"),
                20,
            );
            assert_eq!(
                (o.code, o.stderr.as_str()),
                (Some(21), ""),
                "{init:?} PATH={path}: {o:?}"
            );
        }
        // Without an empty entry the current directory is not searched.
        let mut c = init.cmd(&["--", "here"]);
        check(
            init,
            c.current_dir(&dir).env("PATH", "/nonexistent"),
            "here",
            127,
            "No such file or directory",
        );
        // A name with a slash is not searched for at all.
        let o = run(
            init.cmd(&["--", "./here"])
                .current_dir(&dir)
                .env("PATH", "/nonexistent")
                .env("TINI_VERBOSITY", "0"),
            20,
        );
        assert_eq!(o.code, Some(21), "{init:?} ./here: {o:?}");
    }
}

/// The directories `init` tries for a program it cannot find, with PATH
/// unset: its execve calls, seen by strace.
fn default_path_of(init: Init) -> Vec<String> {
    let log = tempdir("path-unset").join("strace.log");
    let mut argv: Vec<String> = vec![
        "-f".into(),
        "-qq".into(),
        "-e".into(),
        "trace=execve".into(),
        "-o".into(),
    ];
    argv.push(log.display().to_string());
    argv.extend(init.argv().iter().map(|a| a.to_string_lossy().into_owned()));
    argv.extend(["--".into(), "no-such-program-for-mite".into()]);
    let o = run(
        Command::new("/usr/bin/strace")
            .args(&argv)
            .env_remove("PATH")
            .env("TINI_VERBOSITY", "0"),
        30,
    );
    assert_eq!(o.code, Some(127), "{init:?}: {o:?}");
    std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.split_once("execve(\"")?
                .1
                .split_once("/no-such-program-for-mite\"")
                .map(|(d, _)| d.to_string())
        })
        .collect()
}

#[test]
fn unset_path_still_finds_programs() {
    for init in [Init::Mite, Init::As("tini")] {
        let o = run(
            init.cmd(&["--", "sh", "-c", "exit 9"])
                .env_remove("PATH")
                .env("TINI_VERBOSITY", "0"),
            20,
        );
        assert_eq!(
            (o.code, o.stderr.as_str()),
            (Some(9), ""),
            "{init:?}: {o:?}"
        );
    }
}

/// mite's contract: with PATH unset, glibc's default list, so that both
/// personalities find what Debian's tini finds (README).
#[test]
fn unset_path_uses_the_default_list() {
    assert_eq!(default_path_of(Init::Mite), ["/bin", "/usr/bin"]);
}

/// The tini personality searches where Debian's tini (glibc's execvp) does.
#[test]
fn unset_path_like_the_reference_tini() {
    let reference = default_path_of(Init::RefTini);
    assert!(!reference.is_empty());
    assert_eq!(default_path_of(Init::As("tini")), reference);
}

/// RLIMIT_NPROC as low as the init's own tasks: the init starts, its fork
/// fails with EAGAIN. As a user of its own (root is exempt from the limit).
#[test]
fn fork_failure_is_a_set_up_error() {
    let tasks = init_tasks().to_string();
    let uid_base = 40000 + (std::process::id() % 10000) * 3;
    for (i, init) in [Init::Mite, Init::As("tini"), Init::RefTini]
        .into_iter()
        .enumerate()
    {
        let uid = (uid_base + i as u32).to_string();
        let dir = tempdir("nproc");
        let marker = dir.join("ran");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let mut c = Command::new("prlimit");
        c.arg(format!("--nproc={tasks}:{tasks}"));
        c.args([
            "setpriv",
            &format!("--reuid={uid}"),
            &format!("--regid={uid}"),
            "--clear-groups",
        ]);
        c.args(init.argv())
            .args(["--", "touch", &marker.display().to_string()]);
        let r = Running::start(c.env("TINI_VERBOSITY", "0"));
        let pid = r.pid();
        let o = r.finish(30);
        let what = format!("{init:?}: {o:?}");
        assert_eq!((o.code, o.stdout.as_str()), (Some(1), ""), "{what}");
        assert!(!marker.exists(), "{what}: the child ran");
        let l = lines(&o.stderr);
        assert_eq!(l.len(), 1, "one line: {what}");
        if init.is_tini() {
            assert_eq!(
                l[0],
                format!("[FATAL tini ({pid})] fork failed: Resource temporarily unavailable"),
                "{what}"
            );
        } else {
            assert!(
                l[0].starts_with("mite: ")
                    && l[0].contains("fork")
                    && l[0].ends_with(": Resource temporarily unavailable"),
                "{what}"
            );
        }
    }
}

/// Started with stdin, stdout and stderr closed: the status still comes
/// back (messages are lost, nothing hangs or crashes).
#[test]
fn closed_stdio() {
    for init in [Init::Mite, Init::As("tini")] {
        for pid1 in [false, true] {
            for (prog, code) in [
                (&["sh", "-c", "exit 5"][..], 5),
                (&["/nonexistent"][..], 127),
            ] {
                let mut argv: Vec<String> = Vec::new();
                if pid1 {
                    argv.extend(
                        ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]
                            .map(String::from),
                    );
                }
                argv.extend(init.argv().iter().map(|a| a.to_string_lossy().into_owned()));
                argv.push("--".into());
                argv.extend(prog.iter().map(|s| s.to_string()));
                let mut c = Command::new("sh");
                c.args(["-c", "exec <&- >&- 2>&-; exec \"$@\"", "sh"])
                    .args(&argv);
                let o = run(&mut c, 20);
                assert_eq!(
                    (o.code, o.timed_out),
                    (Some(code), false),
                    "{init:?} pid1={pid1} {prog:?}: {o:?}"
                );
                assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", ""));
            }
        }
    }
}
