//! The command line, by running the real binary: help, version and license
//! for every personality (the version line as Docker parses it, with the
//! commit the binary was built from; streams and exit codes against
//! Debian's tini, dumb-init and catatonit), the spellings each accepts
//! (the program runs, as under the reference), and bad input: exactly one
//! line on stderr naming the bad thing, nothing on stdout, exit 1, and no
//! child started (tests/bad_input.rs has the whole matrix). Each
//! personality's own file (tests/dumb_init.rs, catatonit.rs, pause.rs)
//! goes further into its behaviour.
mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// The options and environment variables of mite's own CLI.
const MITE_WORDS: &[&str] = &[
    "-s",
    "--subreaper",
    "-p",
    "--pdeathsig",
    "-g",
    "--pgroup",
    "-e",
    "--remap-exit",
    "-v",
    "--verbose",
    "-w",
    "--warn-reap",
    "-l",
    "--license",
    "-h",
    "--help",
    "--version",
    "TINI_SUBREAPER",
    "TINI_KILL_PROCESS_GROUP",
    "TINI_VERBOSITY",
];

/// tini's: short options only, and --version.
const TINI_WORDS: &[&str] = &[
    "-s",
    "-p",
    "-g",
    "-e",
    "-v",
    "-w",
    "-l",
    "-h",
    "--version",
    "TINI_SUBREAPER",
    "TINI_KILL_PROCESS_GROUP",
    "TINI_VERBOSITY",
];

/// The names that select the tini personality.
const TINI_NAMES: &[&str] = &["tini", "tini-static", "docker-init", "podman-init"];

#[test]
fn help_lists_every_option_and_variable() {
    for flag in ["-h", "--help"] {
        let o = run(&mut mite(&[flag]), 20);
        o.assert_code(0);
        assert_eq!(o.stderr, "", "mite {flag}");
        let missing: Vec<_> = MITE_WORDS
            .iter()
            .filter(|w| !has_word(&o.stdout, w))
            .collect();
        assert!(
            missing.is_empty(),
            "mite {flag} lacks {missing:?}:\n{}",
            o.stdout
        );
    }
    for name in TINI_NAMES {
        let o = run(&mut mite_as(name, &["-h"]), 20);
        o.assert_code(0);
        assert_eq!(o.stderr, "", "{name} -h");
        let missing: Vec<_> = TINI_WORDS
            .iter()
            .filter(|w| !has_word(&o.stdout, w))
            .collect();
        assert!(
            missing.is_empty(),
            "{name} -h lacks {missing:?}:\n{}",
            o.stdout
        );
        // tini has no long options: its help must not offer mite's.
        let foreign: Vec<_> = MITE_WORDS
            .iter()
            .filter(|w| w.starts_with("--") && **w != "--version")
            .filter(|w| has_word(&o.stdout, w))
            .collect();
        assert!(
            foreign.is_empty(),
            "{name} -h offers {foreign:?}:\n{}",
            o.stdout
        );
    }
}

/// The commit build.rs embeds: MITE_COMMIT if the build had one, else
/// the checkout's HEAD (12 hex digits), `-dirty` when tracked files differ.
fn expected_commit() -> String {
    if let Some(c) = option_env!("MITE_COMMIT") {
        return c.to_string();
    }
    let git = |args: &[&str]| {
        let o = std::process::Command::new("git")
            .arg("-C")
            .arg(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .expect("git");
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    let hash = git(&["rev-parse", "--short=12", "HEAD"]);
    assert_eq!(hash.len(), 12, "git rev-parse: {hash:?}");
    let dirty = !git(&[
        "--no-optional-locks",
        "status",
        "--porcelain",
        "--untracked-files=no",
    ])
    .is_empty();
    if dirty {
        format!("{hash}-dirty")
    } else {
        hash
    }
}

/// The version line of the tini and mite personalities.
fn version_line() -> String {
    format!(
        "tini version 0.19.0 (mite {}) - git.{}\n",
        env!("CARGO_PKG_VERSION"),
        expected_commit()
    )
}

#[test]
fn mite_version() {
    let o = run(&mut mite(&["--version"]), 20);
    o.assert_code(0);
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str()),
        (version_line().as_str(), "")
    );
}

/// What Docker does with `docker-init --version` (daemon/info_unix.go,
/// parseInitVersion): split on " - "; the second part must be "git.X" with
/// exactly two dot-separated parts; the first, less "tini version ", is
/// the version. Returns (version, commit).
fn docker_parse(v: &str) -> Result<(String, String), String> {
    let parts: Vec<&str> = v.trim().split(" - ").collect();
    let mut commit = String::new();
    if parts.len() >= 2 {
        let git: Vec<&str> = parts[1].trim().split('.').collect();
        if git.len() == 2 && git[0] == "git" {
            commit = git[1].to_string();
        }
    }
    let version = parts[0]
        .trim()
        .strip_prefix("tini version ")
        .unwrap_or("")
        .to_string();
    if version.is_empty() && commit.is_empty() {
        return Err(format!("unknown output format: {v}"));
    }
    Ok((version, commit))
}

#[test]
fn tini_version_as_docker_parses_it() {
    for name in TINI_NAMES {
        let o = run(&mut mite_as(name, &["--version"]), 20);
        o.assert_code(0);
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str()),
            (version_line().as_str(), ""),
            "{name}"
        );
        assert_eq!(
            docker_parse(&o.stdout),
            Ok((
                format!("0.19.0 (mite {})", env!("CARGO_PKG_VERSION")),
                expected_commit()
            )),
            "{name}"
        );
    }
    // The parser above is Docker's: it takes the reference tini's line too.
    let o = run(&mut Init::RefTini.cmd(&["--version"]), 20);
    let (version, _) = docker_parse(&o.stdout).unwrap();
    assert_eq!(version, "0.19.0");
}

/// In tini, --version counts only as the one and only argument; with
/// anything else it is a bad option (exit 1, no version), as Debian's tini
/// shows.
#[test]
fn tini_version_is_a_long_option() {
    // A deliberate difference (README): Debian's tini takes --version only
    // as the one argument; mite's tini personality takes it as its one long
    // option, anywhere among the options.
    for args in [
        &["--version", "true"][..],
        &["-s", "--version"],
        &["-v", "--version", "--", "true"],
    ] {
        let o = run(&mut Init::As("tini").cmd(args), 20);
        assert_eq!(o.code, Some(0), "{args:?}: {o:?}");
        assert_eq!(o.stdout, version_line(), "{args:?}");
        let r = run(&mut Init::RefTini.cmd(args), 20);
        assert_eq!(r.code, Some(1), "reference {args:?}: {r:?}");
    }
}

#[test]
fn license_names_the_mit_license() {
    for (init, flag) in [
        (Init::Mite, "-l"),
        (Init::Mite, "--license"),
        (Init::As("tini"), "-l"),
        (Init::As("docker-init"), "-l"),
        (Init::As("catatonit"), "-L"),
    ] {
        let o = run(&mut init.cmd(&[flag]), 20);
        assert_eq!(o.code, Some(0), "{init:?} {flag}: {o:?}");
        assert!(o.stdout.contains("MIT License"), "{init:?} {flag}: {o:?}");
        assert_eq!(o.stderr, "", "{init:?} {flag}");
    }
}

/// A marker-making child for `args`: if the program ran, `marker` exists.
fn with_child(args: &[&str], marker: &Path) -> Vec<String> {
    cat(
        args,
        &["--", "sh", "-c", &format!("touch {}", marker.display())],
    )
}

/// Runs a bad command line; returns the one stderr line and mite's pid, or
/// what was wrong with the outcome (status, stdout, line count, child).
fn refused(
    init: Init,
    args: &[&str],
    env: Option<(&str, &str)>,
    child: bool,
) -> Result<(String, u32), String> {
    let dir = tempdir("cli-bad");
    let marker = dir.join("ran");
    let argv = if child {
        with_child(args, &marker)
    } else {
        cat(args, &[] as &[&str])
    };
    let mut c = init.cmd(&argv);
    if let Some((k, v)) = env {
        c.env(k, v);
    }
    let r = Running::start(&mut c);
    let pid = r.pid();
    let o = r.finish(20);
    let l = lines(&o.stderr);
    if o.code != Some(1)
        || !o.stdout.is_empty()
        || l.len() != 1
        || !o.stderr.ends_with('\n')
        || marker.exists()
    {
        return Err(format!("{init:?} {argv:?} {env:?}: want exit 1, one line, no stdout, no child; got {o:?}, child ran: {}", marker.exists()));
    }
    Ok((l[0].to_string(), pid))
}

/// Bad input to mite's own CLI. Each needle must appear in the line as a
/// word of its own; `a|b` means either.
#[test]
fn mite_bad_input() {
    let cases: &[(&[&str], Env, bool, &[&str])] = &[
        (&["-x"], None, true, &["'x'|-x"]),
        (&["-sx"], None, true, &["'x'|-x"]),
        (&["-X"], None, true, &["'X'|-X"]),
        (&["--bogus"], None, true, &["--bogus"]),
        (&["--bogus=1"], None, true, &["--bogus|--bogus=1"]),
        (&["--sub"], None, true, &["--sub"]),
        (&["-p"], None, false, &["'p'|-p"]),
        (&["--pdeathsig"], None, false, &["--pdeathsig"]),
        (&["-e"], None, false, &["'e'|-e"]),
        (&["--remap-exit"], None, false, &["--remap-exit"]),
        (&["-p", "FOO"], None, true, &["FOO"]),
        (&["-p", "SIGFOO"], None, true, &["SIGFOO"]),
        (&["-p", "0"], None, true, &["0"]),
        (&["-p", "65"], None, true, &["65"]),
        (&["-p", "-1"], None, true, &["-1"]),
        (&["-p", ""], None, true, &["'p'|-p"]),
        (&["--pdeathsig=NOPE"], None, true, &["NOPE"]),
        (&["-e", "256"], None, true, &["256"]),
        (&["-e", "-1"], None, true, &["-1"]),
        (&["-e", "x"], None, true, &["x"]),
        (&["-e", "1x"], None, true, &["1x"]),
        (&["-e", ""], None, true, &["'e'|-e"]),
        (&["--remap-exit="], None, true, &["--remap-exit"]),
        (&["--pgroup=1"], None, true, &["--pgroup"]),
        (&["--subreaper=yes"], None, true, &["--subreaper"]),
        (
            &[],
            Some(("TINI_VERBOSITY", "abc")),
            true,
            &["TINI_VERBOSITY", "abc"],
        ),
        (
            &[],
            Some(("TINI_VERBOSITY", "-1")),
            true,
            &["TINI_VERBOSITY", "-1"],
        ),
    ];
    let mut bad = Vec::new();
    for &(args, env, child, needles) in cases {
        match refused(Init::Mite, args, env, child) {
            Err(e) => bad.push(e),
            Ok((line, _)) => {
                let named = needles
                    .iter()
                    .all(|n| n.split('|').any(|alt| has_word(&line, alt)));
                if !line.starts_with("mite: ") || !named {
                    bad.push(format!(
                        "mite {args:?} {env:?}: want 'mite: ...' naming {needles:?}, got {line:?}"
                    ));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{} wrong:\n{}", bad.len(), bad.join("\n"));
}

/// No program at all is bad input too: one line, starting `mite: ` like
/// every message of mite, naming what is missing.
#[test]
fn mite_no_program() {
    for args in [&[][..], &["-s"], &["--"], &["-g", "-e", "1", "--"]] {
        let (line, _) = refused(Init::Mite, args, None, false).unwrap();
        assert!(
            line.starts_with("mite: ") && line.contains("PROGRAM"),
            "mite {args:?}: {line:?}"
        );
    }
}

/// The tini personality words option errors as getopt does (PATH is
/// argv[0] as invoked) and bad values as tini's FATAL lines; the same
/// first line as Debian's tini prints (which then adds its usage text).
#[test]
fn tini_bad_input() {
    let path = named("tini").display().to_string();
    let cases: &[(&[&str], bool, &str)] = &[
        (&["-x"], true, "PATH: invalid option -- 'x'"),
        (&["-sx"], true, "PATH: invalid option -- 'x'"),
        (&["-p"], false, "PATH: option requires an argument -- 'p'"),
        (&["-e"], false, "PATH: option requires an argument -- 'e'"),
        (
            &["-p", "FOO"],
            true,
            "[FATAL tini (PID)] Not a valid option for -p: FOO",
        ),
        (
            &["-p", "KILL"],
            true,
            "[FATAL tini (PID)] Not a valid option for -p: KILL",
        ),
        (
            &["-p", "9"],
            true,
            "[FATAL tini (PID)] Not a valid option for -p: 9",
        ),
        (
            &["-p", "sigkill"],
            true,
            "[FATAL tini (PID)] Not a valid option for -p: sigkill",
        ),
        (
            &["-e", "256"],
            true,
            "[FATAL tini (PID)] Not a valid option for -e: 256",
        ),
        (
            &["-e", "x"],
            true,
            "[FATAL tini (PID)] Not a valid option for -e: x",
        ),
        (
            &["-e", "-1"],
            true,
            "[FATAL tini (PID)] Not a valid option for -e: -1",
        ),
    ];
    let mut bad = Vec::new();
    for &(args, child, want) in cases {
        match refused(Init::As("tini"), args, None, child) {
            Err(e) => bad.push(e),
            Ok((line, pid)) => {
                let want = want.replace("PATH", &path).replace("PID", &pid.to_string());
                if line != want {
                    bad.push(format!("tini {args:?}: want {want:?}, got {line:?}"));
                }
            }
        }
        // Debian's tini: the same first line.
        let dir = tempdir("cli-ref");
        let argv = if child {
            with_child(args, &dir.join("ran"))
        } else {
            cat(args, &[] as &[&str])
        };
        let r = Running::start(&mut Init::RefTini.cmd(&argv));
        let pid = r.pid();
        let o = r.finish(20);
        let reference = Init::RefTini
            .argv()
            .last()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let first = o
            .stderr
            .lines()
            .next()
            .unwrap_or("")
            .replace(&reference, "PATH")
            .replace(&format!("({pid})"), "(PID)");
        if o.code != Some(1) || first != want {
            bad.push(format!(
                "reference tini {args:?}: want {want:?}, got {first:?} ({o:?})"
            ));
        }
    }
    assert!(bad.is_empty(), "{} wrong:\n{}", bad.len(), bad.join("\n"));
}

/// The rest of the tini personality's bad input: one line naming it.
#[test]
fn tini_other_bad_input() {
    let cases: &[(&[&str], Env, bool, &str)] = &[
        (&["--subreaper"], None, true, "--subreaper"),
        (&["--help"], None, false, "--help"),
        (&[], Some(("TINI_VERBOSITY", "abc")), true, "abc"),
        (&[], None, false, "PROGRAM"),
        (&["--"], None, false, "PROGRAM"),
    ];
    for name in ["tini", "docker-init"] {
        for &(args, env, child, needle) in cases {
            let (line, _) =
                refused(Init::As(name), args, env, child).unwrap_or_else(|e| panic!("{e}"));
            assert!(line.contains(needle), "{name} {args:?} {env:?}: {line:?}");
        }
    }
}

/// Spellings mite accepts: the program runs.
#[test]
fn mite_accepts() {
    let cases: &[(&[&str], Env)] = &[
        (&["-p", "SIGUSR1"], None),
        (&["-p", "usr1"], None),
        (&["-p", "Usr1"], None),
        (&["-p", "sigUSR1"], None),
        (&["-p", "10"], None),
        (&["-p", "1"], None),
        (&["-p", "64"], None),
        (&["-pHUP"], None),
        (&["--pdeathsig=TERM"], None),
        (&["--pdeathsig", "term"], None),
        (&["-e", "0"], None),
        (&["-e", "255"], None),
        (
            &["-e0", "-e", "1", "--remap-exit=2", "--remap-exit", "3"],
            None,
        ),
        (&["-gwv"], None),
        (&["-v", "-v", "-v"], None),
        (&["--pgroup", "--warn-reap", "--verbose"], None),
        (&[], Some(("TINI_VERBOSITY", "0"))),
        (&[], Some(("TINI_VERBOSITY", "3"))),
        (&[], Some(("TINI_KILL_PROCESS_GROUP", ""))),
    ];
    let mut bad = Vec::new();
    for &(args, env) in cases {
        let dir = tempdir("cli-ok");
        let marker = dir.join("ran");
        let mut c = mite(
            &with_child(args, &marker)
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
        );
        if let Some((k, v)) = env {
            c.env(k, v);
        }
        let o = run(&mut c, 20);
        if o.code != Some(0) || !marker.exists() {
            bad.push(format!("mite {args:?} {env:?}: {o:?}"));
        }
    }
    assert!(bad.is_empty(), "{} refused:\n{}", bad.len(), bad.join("\n"));
}

/// Options end at the first non-option or at `--`: what follows is the
/// program's, even when it looks like an option of mite's.
#[test]
fn options_end_at_the_program() {
    for init in [Init::Mite, Init::As("tini")] {
        let o = run(
            init.cmd(&["sh", "-c", "echo \"$@\"", "sh", "-s", "-x", "--bogus"])
                .env("TINI_VERBOSITY", "0"),
            20,
        );
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (Some(0), "-s -x --bogus\n", ""),
            "{init:?}"
        );
        let o = run(
            init.cmd(&["-g", "--", "sh", "-c", "echo \"$@\"", "sh", "--", "-p"])
                .env("TINI_VERBOSITY", "0"),
            20,
        );
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (Some(0), "-- -p\n", ""),
            "{init:?}"
        );
    }
}

/// A Debian reference init, run natively with `args` (its texts and
/// streams do not depend on the architecture, so it runs natively also
/// when the binary under test is emulated).
fn reference_run(name: &str, args: &[&str]) -> Out {
    run(Command::new(reference(name)).args(args), 20)
}

/// `cmd` without the inherited variables of the inits under test.
fn clean(mut cmd: Command) -> Command {
    clean_env(&mut cmd);
    cmd
}

/// dumb-init's options and variables.
const DUMB_INIT_WORDS: &[&str] = &[
    "-c",
    "--single-child",
    "-r",
    "--rewrite",
    "-v",
    "--verbose",
    "-V",
    "--version",
    "-h",
    "--help",
    "DUMB_INIT_SETSID",
    "DUMB_INIT_DEBUG",
];

/// catatonit's.
const CATATONIT_WORDS: &[&str] = &["-g", "-h", "-L", "-P", "-V", "--version"];

/// dumb-init and catatonit print their help on stderr and exit 0, as
/// Debian's do; the usage line is the reference's (dumb-init's with the
/// program's name; mite's help lines after it are its own).
#[test]
fn help_of_dumb_init_and_catatonit() {
    for flag in ["-h", "--help"] {
        let o = run(&mut clean(mite_as("dumb-init", &[flag])), 20);
        assert_eq!(
            (o.code, o.stdout.as_str()),
            (Some(0), ""),
            "dumb-init {flag}: {o:?}"
        );
        let missing: Vec<_> = DUMB_INIT_WORDS
            .iter()
            .filter(|w| !has_word(&o.stderr, w))
            .collect();
        assert!(
            missing.is_empty(),
            "dumb-init {flag} lacks {missing:?}:\n{}",
            o.stderr
        );
        let r = reference_run("dumb-init", &[flag]);
        assert_eq!(
            (r.code, r.stdout.as_str()),
            (Some(0), ""),
            "reference: {r:?}"
        );
        let usage = o.stderr.lines().next().unwrap_or("");
        let path = reference("dumb-init").display().to_string();
        assert!(
            r.stderr
                .replace(&path, "dumb-init")
                .lines()
                .any(|l| l == usage),
            "{usage:?} is not a line of dumb-init's help:\n{}",
            r.stderr
        );
    }
    let o = run(&mut clean(mite_as("catatonit", &["-h"])), 20);
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (Some(0), ""),
        "catatonit -h: {o:?}"
    );
    let missing: Vec<_> = CATATONIT_WORDS
        .iter()
        .filter(|w| !has_word(&o.stderr, w))
        .collect();
    assert!(
        missing.is_empty(),
        "catatonit -h lacks {missing:?}:\n{}",
        o.stderr
    );
    let r = reference_run("catatonit", &["-h"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (Some(0), ""),
        "reference: {r:?}"
    );
    assert_eq!(o.stderr.lines().next(), r.stderr.lines().next());
    // catatonit has no --help: a bad option there and here.
    let o = run(&mut clean(mite_as("catatonit", &["--help"])), 20);
    let r = reference_run("catatonit", &["--help"]);
    assert_eq!((o.code, r.code), (Some(1), Some(1)), "{o:?} {r:?}");
}

/// The version line of each personality: the reference's own line, then
/// mite's version and commit; on the reference's stream.
fn versioned(first: &str) -> String {
    format!(
        "{first} (mite {}) - git.{}\n",
        env!("CARGO_PKG_VERSION"),
        expected_commit()
    )
}

#[test]
fn dumb_init_version_on_stderr() {
    let r = reference_run("dumb-init", &["-V"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (Some(0), "", "dumb-init v1.2.5\n")
    );
    for flag in ["-V", "--version", "-cV"] {
        let o = run(&mut clean(mite_as("dumb-init", &[flag])), 20);
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (Some(0), "", versioned("dumb-init v1.2.5").as_str()),
            "dumb-init {flag}"
        );
    }
}

#[test]
fn catatonit_version_as_docker_parses_it() {
    let r = reference_run("catatonit", &["--version"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (Some(0), "tini version 0.1.7_catatonit\n", "")
    );
    for flag in ["-V", "--version", "-gV"] {
        let o = run(&mut clean(mite_as("catatonit", &[flag])), 20);
        let want = versioned("tini version 0.1.7_catatonit");
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (Some(0), want.as_str(), ""),
            "catatonit {flag}"
        );
        assert_eq!(
            docker_parse(&o.stdout),
            Ok((
                format!("0.1.7_catatonit (mite {})", env!("CARGO_PKG_VERSION")),
                expected_commit()
            ))
        );
    }
}

/// pause.c: any argument `-v`, in any case, prints the version on stdout
/// (DESIGN.md; no Debian package to compare with); so does `--version`,
/// Docker's probe of its init (README).
#[test]
fn pause_version() {
    for args in [
        &["-v"][..],
        &["-V"],
        &["x", "-v"],
        &["--", "-V"],
        &["--version"],
        &["-x", "--version", "y"],
    ] {
        let o = run(&mut clean(mite_as("pause", args)), 20);
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (Some(0), versioned("pause.c v3.10").as_str(), ""),
            "pause {args:?}"
        );
    }
}

/// Runs `args` then a program that leaves a mark, under `init` (as PID 1
/// when `pid1`: catatonit must otherwise become a subreaper, which qemu
/// refuses) with the variable `env`; the status and whether it ran.
fn ran(init: Init, pid1: bool, args: &[&str], env: Env) -> (Option<i32>, bool) {
    let dir = tempdir("cli-ok");
    let marker = dir.join("ran");
    let argv = with_child(args, &marker);
    let mut c = clean(init.start(pid1, &argv));
    if let Some((k, v)) = env {
        c.env(k, v);
    }
    let o = run(&mut c, 20);
    (o.code, marker.exists())
}

/// Spellings dumb-init and catatonit accept: the program runs and its
/// status is the init's, under mite as under the Debian reference. (The
/// `-r` spellings only dumb-init's sscanf takes, ` 15:3x`, mite refuses:
/// a deliberate difference, asserted in tests/dumb_init.rs and
/// tests/bad_input.rs.)
#[test]
fn dumb_init_and_catatonit_accept() {
    let dumb_init: &[(&[&str], Env)] = &[
        (&["-c"], None),
        (&["--single-child"], None),
        (&["-r", "15:0"], None),
        (&["-r15:3"], None),
        (&["--rewrite=1:2"], None),
        (&["--rewrite", "31:0", "-r", "2:1"], None),
        (&["-r", "015:003"], None),
        (&["-v"], None),
        (&["--verbose", "-c"], None),
        (&["-cv", "-r", "20:18"], None),
        (&[], Some(("DUMB_INIT_SETSID", "0"))),
        (&[], Some(("DUMB_INIT_DEBUG", "1"))),
        (&[], Some(("DUMB_INIT_SETSID", "yes"))),
    ];
    let mut bad = Vec::new();
    for &(args, env) in dumb_init {
        let mite = ran(Init::As("dumb-init"), false, args, env);
        let reference = {
            let dir = tempdir("cli-ref");
            let marker = dir.join("ran");
            let mut c = clean(Command::new(reference("dumb-init")));
            c.args(with_child(args, &marker));
            if let Some((k, v)) = env {
                c.env(k, v);
            }
            (run(&mut c, 20).code, marker.exists())
        };
        if mite != (Some(0), true) || reference != (Some(0), true) {
            bad.push(format!(
                "dumb-init {args:?} {env:?}: mite {mite:?}, dumb-init {reference:?}"
            ));
        }
    }
    let catatonit: &[(&[&str], Env)] = &[
        (&["-g"], None),
        (&["-g", "-g"], None),
        (&[], Some(("CATATONIT_DEBUG", "1"))),
        (&[], Some(("CATATONIT_DEBUG", ""))),
    ];
    for &(args, env) in catatonit {
        let mite = ran(Init::As("catatonit"), true, args, env);
        let reference = {
            let dir = tempdir("cli-ref");
            let marker = dir.join("ran");
            let mut c = clean(Command::new("unshare"));
            c.args(["--pid", "--fork", "--mount-proc", "--kill-child"])
                .arg(reference("catatonit"))
                .args(with_child(args, &marker));
            if let Some((k, v)) = env {
                c.env(k, v);
            }
            (run(&mut c, 20).code, marker.exists())
        };
        if mite != (Some(0), true) || reference != (Some(0), true) {
            bad.push(format!(
                "catatonit {args:?} {env:?}: mite {mite:?}, catatonit {reference:?}"
            ));
        }
    }
    // MITE_* variables, under every personality that runs a program.
    for name in [
        "tini",
        "docker-init",
        "podman-init",
        "dumb-init",
        "catatonit",
    ] {
        for env in [
            ("MITE_GRACE", "1"),
            ("MITE_REWRITE", "TERM:QUIT,HUP:0"),
            ("MITE_VERBOSE", "0"),
        ] {
            let got = ran(Init::As(name), name == "catatonit", &[], Some(env));
            if got != (Some(0), true) {
                bad.push(format!("{name} {env:?}: {got:?}"));
            }
        }
    }
    assert!(bad.is_empty(), "{} refused:\n{}", bad.len(), bad.join("\n"));
}

/// Options end at the first non-option or at `--`, for dumb-init and
/// catatonit too: what follows is the program's, even when it looks like
/// an option of theirs.
#[test]
fn dumb_init_and_catatonit_options_end_at_the_program() {
    for (init, pid1) in [
        (Init::As("dumb-init"), false),
        (Init::As("catatonit"), true),
    ] {
        let o = run(
            &mut clean(init.start(
                pid1,
                &["sh", "-c", "echo \"$@\"", "sh", "-c", "-x", "--bogus"],
            )),
            20,
        );
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (Some(0), "-c -x --bogus\n", ""),
            "{init:?}"
        );
        let o = run(
            &mut clean(init.start(pid1, &["--", "sh", "-c", "echo \"$@\"", "sh", "--", "-g"])),
            20,
        );
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (Some(0), "-- -g\n", ""),
            "{init:?}"
        );
    }
}
