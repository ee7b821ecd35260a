//! Every option of mite's own CLI from a `MITE_*` environment variable, by
//! running the real binary: each variable works under the mite name and
//! under docker-init and podman-init (Docker and Podman pass their injected
//! init nothing but `--`, so `-e MITE_GRACE=10` is the only way to set it
//! there); a variable opts the other personalities (tini, dumb-init,
//! catatonit) in too; the command line wins over the variable; a bad value
//! is refused like a bad option (exit 1, one line naming the variable and
//! the value, no child started); unknown `MITE_*` names are ignored.
//!
//! Most scenarios run with the init as PID 1 of a fresh PID namespace, so
//! that they run the same under qemu (where mite cannot be a subreaper and
//! catatonit, which must be one when not PID 1, refuses to start). The
//! parts are played by actors (tests/common/actor.rs).
#[path = "common/actor.rs"]
mod actor;
mod common;
use actor::*;
use common::*;

/// Environment variables, and arguments, of a case.
type Vars = &'static [(&'static str, &'static str)];
type Args = &'static [&'static str];

/// The init under `name`: mite's own personality for "mite".
fn init(name: &'static str) -> Init {
    if name == "mite" {
        Init::Mite
    } else {
        Init::As(name)
    }
}

/// The names that take MITE_* variables as mite's own CLI does (their only
/// way to get options in a container), and the ones the variables opt in.
const INJECTED: [&str; 3] = ["mite", "docker-init", "podman-init"];
const ALL: [&str; 6] = [
    "mite",
    "docker-init",
    "podman-init",
    "tini",
    "dumb-init",
    "catatonit",
];

/// `init` with `env` and `args -- program`, as PID 1 of a fresh PID
/// namespace (or not).
fn start(
    pid1: bool,
    name: &'static str,
    env: &[(&str, &str)],
    args: &[&str],
    program: &[String],
) -> Running {
    Running::start(&mut init_cmd(pid1, name, env, args, program))
}

/// The command of `start`.
fn init_cmd(
    pid1: bool,
    name: &'static str,
    env: &[(&str, &str)],
    args: &[&str],
    program: &[String],
) -> std::process::Command {
    let argv = cat(&cat(args, &["--"]), program);
    let mut c = init(name).start(pid1, &argv);
    c.envs(env.iter().copied());
    c
}

/// The init's pid as this test sees it (it must still run).
fn pid_of(r: &Running, pid1: bool) -> u32 {
    if pid1 {
        pid1_of(r.pid(), 20)
    } else {
        r.pid()
    }
}

/// `sh -c script` as a program.
fn sh(script: &str) -> Vec<String> {
    vec!["sh".into(), "-c".into(), script.into()]
}

/// Sends `sig` to the init `pid` (paced under qemu: see `pacing`).
fn signal(pid: u32, sig: i32) {
    pacing(pid);
    assert!(kill(pid as i32, sig), "kill({pid}, {sig})");
}

// ---------------------------------------------------------------------------
// MITE_GRACE, MITE_DRAIN_SIGNAL

/// A drain scenario: a background process `bg` and a main program that
/// exits 7 once it is ready, as PID 1.
#[derive(Debug)]
struct Drain {
    name: &'static str,
    env: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    /// The options of bg; `FINISH` for one that finishes by itself 0.3 s
    /// after the main program's exit.
    bg: &'static [&'static str],
    /// bg did its stop work (or finished by itself) before mite exited.
    flushed: bool,
    /// What bg records; None: any (it may be killed before its handler
    /// runs).
    sigs: Option<&'static [i32]>,
}

const COOP: &[&str] = &["stop=15:0.5"];
const COOP_USR1: &[&str] = &["stop=10,15:0.2"];
const FINISH: &[&str] = &["finish"];

/// MITE_GRACE gives every personality a drain, and takes one away from
/// mite (0); the command line's --grace wins over it. Under dumb-init
/// without it, the background process gets dumb-init's parting SIGTERM (to
/// the child's group) but the kernel kills it while it flushes: mite as
/// dumb-init exits at once, as dumb-init does.
#[test]
fn mite_grace_and_mite_drain_signal() {
    const G5: &[(&str, &str)] = &[("MITE_GRACE", "5")];
    const G5_USR1: &[(&str, &str)] = &[("MITE_GRACE", "5"), ("MITE_DRAIN_SIGNAL", "USR1")];
    let cases = [
        // mite: a drain by default; MITE_GRACE=0 none; the command line wins.
        Drain {
            name: "mite",
            env: &[],
            args: &[],
            bg: COOP,
            flushed: true,
            sigs: Some(&[15]),
        },
        Drain {
            name: "mite",
            env: &[("MITE_GRACE", "0")],
            args: &[],
            bg: COOP,
            flushed: false,
            sigs: Some(&[]),
        },
        Drain {
            name: "mite",
            env: &[("MITE_GRACE", "0")],
            args: &["--grace", "5"],
            bg: COOP,
            flushed: true,
            sigs: Some(&[15]),
        },
        Drain {
            name: "mite",
            env: &[("MITE_GRACE", "5")],
            args: &["--grace", "0"],
            bg: COOP,
            flushed: false,
            sigs: Some(&[]),
        },
        // The other names: no drain by default, one with MITE_GRACE.
        Drain {
            name: "docker-init",
            env: &[],
            args: &[],
            bg: COOP,
            flushed: false,
            sigs: Some(&[]),
        },
        Drain {
            name: "dumb-init",
            env: &[],
            args: &[],
            bg: COOP,
            flushed: false,
            sigs: None,
        },
        Drain {
            name: "catatonit",
            env: &[],
            args: &[],
            bg: COOP,
            flushed: false,
            sigs: Some(&[]),
        },
        Drain {
            name: "docker-init",
            env: G5,
            args: &[],
            bg: COOP,
            flushed: true,
            sigs: Some(&[15]),
        },
        Drain {
            name: "podman-init",
            env: G5,
            args: &[],
            bg: COOP,
            flushed: true,
            sigs: Some(&[15]),
        },
        Drain {
            name: "tini",
            env: G5,
            args: &[],
            bg: COOP,
            flushed: true,
            sigs: Some(&[15]),
        },
        Drain {
            name: "dumb-init",
            env: G5,
            args: &[],
            bg: COOP,
            flushed: true,
            sigs: Some(&[15]),
        },
        Drain {
            name: "catatonit",
            env: G5,
            args: &[],
            bg: COOP,
            flushed: true,
            sigs: Some(&[15]),
        },
        // MITE_DRAIN_SIGNAL: USR1 instead of TERM, under every name.
        Drain {
            name: "mite",
            env: &[("MITE_DRAIN_SIGNAL", "USR1")],
            args: &[],
            bg: COOP_USR1,
            flushed: true,
            sigs: Some(&[10]),
        },
        Drain {
            name: "docker-init",
            env: G5_USR1,
            args: &[],
            bg: COOP_USR1,
            flushed: true,
            sigs: Some(&[10]),
        },
        Drain {
            name: "podman-init",
            env: G5_USR1,
            args: &[],
            bg: COOP_USR1,
            flushed: true,
            sigs: Some(&[10]),
        },
        Drain {
            name: "dumb-init",
            env: G5_USR1,
            args: &[],
            bg: COOP_USR1,
            flushed: true,
            sigs: Some(&[10]),
        },
        Drain {
            name: "catatonit",
            env: G5_USR1,
            args: &[],
            bg: COOP_USR1,
            flushed: true,
            sigs: Some(&[10]),
        },
        // The command line wins; 0: nothing sent, mite waits.
        Drain {
            name: "mite",
            env: &[("MITE_DRAIN_SIGNAL", "USR1")],
            args: &["--drain-signal", "TERM"],
            bg: COOP_USR1,
            flushed: true,
            sigs: Some(&[15]),
        },
        Drain {
            name: "mite",
            env: &[("MITE_DRAIN_SIGNAL", "0")],
            args: &[],
            bg: FINISH,
            flushed: true,
            sigs: Some(&[]),
        },
        Drain {
            name: "podman-init",
            env: &[("MITE_GRACE", "5"), ("MITE_DRAIN_SIGNAL", "0")],
            args: &[],
            bg: FINISH,
            flushed: true,
            sigs: Some(&[]),
        },
    ];
    parallel(&cases, |case| {
        let a = Actors::new("env-drain");
        let until = format!("until={}", a.path("main.exited").display());
        let bg: Vec<&str> = if case.bg == FINISH {
            vec![&until, "delay=0.3", "exit=0"]
        } else {
            case.bg.to_vec()
        };
        let script = format!(
            "{} & exec {}",
            a.sh("bg", &bg),
            a.sh("main", &["after=bg", "exit=7"])
        );
        let r = start(true, case.name, case.env, case.args, &sh(&script));
        let (t_exit, o) = exit_time(r, 60);
        o.assert_code(7);
        // As PID 1 mite's exit takes the namespace with it: once it is
        // gone, bg can flush nothing more.
        let done = if case.bg == FINISH {
            a.exited("bg")
        } else {
            a.marker("bg")
        };
        assert_eq!(done.is_some(), case.flushed, "{o:?}");
        if let Some(t) = done {
            assert!(t_exit >= t, "{o:?}");
        }
        if let Some(sigs) = case.sigs {
            assert_eq!(a.sigs("bg"), sigs, "{o:?}");
        }
        assert!(t_exit >= a.exited("main").unwrap(), "{o:?}");
    });
}

// ---------------------------------------------------------------------------
// MITE_SIGNAL_ALL, MITE_PGROUP

#[derive(Debug)]
struct Reach {
    name: &'static str,
    env: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    /// SIGUSR1 to the init reaches g (setsid'd) / h (the main program's
    /// group).
    g: bool,
    h: bool,
}

/// As PID 1: the main program has a child h in its process group and a
/// child g that called setsid. MITE_SIGNAL_ALL=1 makes SIGUSR1 reach g
/// (kill(-1)); MITE_PGROUP=1 makes it reach h (the group), not g; the
/// command line wins over both.
#[test]
fn mite_signal_all_and_mite_pgroup() {
    const ALL1: &[(&str, &str)] = &[("MITE_SIGNAL_ALL", "1")];
    const PG1: &[(&str, &str)] = &[("MITE_PGROUP", "1")];
    let mut cases = vec![];
    for name in ["mite", "docker-init", "podman-init", "catatonit"] {
        cases.push(Reach {
            name,
            env: &[],
            args: &[],
            g: false,
            h: false,
        });
        cases.push(Reach {
            name,
            env: ALL1,
            args: &[],
            g: true,
            h: true,
        });
        cases.push(Reach {
            name,
            env: PG1,
            args: &[],
            g: false,
            h: true,
        });
    }
    cases.extend([
        // dumb-init signals the child's group (its session) anyway.
        Reach {
            name: "dumb-init",
            env: ALL1,
            args: &[],
            g: true,
            h: true,
        },
        Reach {
            name: "mite",
            env: &[("MITE_SIGNAL_ALL", "0")],
            args: &["--signal-all"],
            g: true,
            h: true,
        },
        Reach {
            name: "mite",
            env: &[("MITE_PGROUP", "0")],
            args: &["-g"],
            g: false,
            h: true,
        },
        Reach {
            name: "docker-init",
            env: &[("MITE_PGROUP", "0")],
            args: &["-g"],
            g: false,
            h: true,
        },
    ]);
    parallel(&cases, |case| {
        let a = Actors::new("env-reach");
        let script = format!(
            "{} & {} & exec {}",
            a.sh("g", &["setsid"]),
            a.sh("h", &[]),
            a.sh("main", &["after=g,h"])
        );
        // A drain at the end, for every name (see the fence below).
        let env = [case.env, &[("MITE_GRACE", "5")]].concat();
        let r = start(true, case.name, &env, case.args, &sh(&script));
        let pid = pid_of(&r, true);
        a.ready("main", 20);
        a.ready("g", 20);
        a.ready("h", 20);
        signal(pid, 10);
        a.wait_sig("main", 10, 20);
        // The end is the fence for "not reached": SIGTERM ends main, and
        // the drain (kill(-1), MITE_GRACE below) then asks g and h, which
        // record it and exit; a SIGUSR1 sent before would be recorded first.
        signal(pid, 15);
        let o = r.finish(30);
        o.assert_code(0);
        for (who, expected) in [("g", case.g), ("h", case.h)] {
            let sigs = a.sigs(who);
            assert_eq!(sigs.last(), Some(&15), "{who} drained: {o:?}");
            let usr1: Vec<i32> = sigs.into_iter().filter(|&s| s != 15).collect();
            let want: &[i32] = if expected { &[10] } else { &[] };
            assert_eq!(usr1, want, "{who}: {o:?}");
        }
    });
}

// ---------------------------------------------------------------------------
// MITE_TIMEOUT, MITE_TIMEOUT_SIGNAL

#[derive(Debug)]
struct Deadline {
    name: &'static str,
    env: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    main: &'static [&'static str],
    code: i32,
    sigs: &'static [i32],
}

/// MITE_TIMEOUT ends a child that runs too long (exit 124) under every
/// name, MITE_TIMEOUT_SIGNAL chooses the signal; --timeout and
/// --timeout-signal win over them (--timeout 0: no deadline).
#[test]
fn mite_timeout_and_mite_timeout_signal() {
    const STOPS: &[&str] = &["stop=2,10,15:0"];
    const T1: &[(&str, &str)] = &[("MITE_TIMEOUT", "3")];
    const T1_INT: &[(&str, &str)] = &[("MITE_TIMEOUT", "3"), ("MITE_TIMEOUT_SIGNAL", "INT")];
    let mut cases = vec![];
    for name in ALL {
        cases.push(Deadline {
            name,
            env: T1,
            args: &[],
            main: STOPS,
            code: 124,
            sigs: &[15],
        });
    }
    for name in INJECTED {
        cases.push(Deadline {
            name,
            env: T1_INT,
            args: &[],
            main: STOPS,
            code: 124,
            sigs: &[2],
        });
    }
    cases.extend([
        Deadline {
            name: "mite",
            // An hour: a mite that took it over --timeout would fail the
            // bounded wait for its exit (60 s).
            env: &[("MITE_TIMEOUT", "3600")],
            args: &["--timeout", "3"],
            main: STOPS,
            code: 124,
            sigs: &[15],
        },
        Deadline {
            name: "mite",
            env: T1,
            args: &["--timeout", "0"],
            main: &["exit=5", "delay=1.5"],
            code: 5,
            sigs: &[],
        },
        Deadline {
            name: "mite",
            env: T1_INT,
            args: &["--timeout-signal", "USR1"],
            main: STOPS,
            code: 124,
            sigs: &[10],
        },
    ]);
    parallel(&cases, |case| {
        let a = Actors::new("env-timeout");
        let main = a.argv("main", case.main);
        let mut c = init_cmd(true, case.name, case.env, case.args, &main);
        // The child is an actor: its signals blocked from the start, the
        // timeout signal is recorded however late python comes up.
        with_actor_mask(&mut c);
        let started = now();
        let r = Running::start(&mut c);
        let (t_exit, o) = exit_time(r, 60);
        o.assert_code(case.code);
        // Lower bounds only: how late after them mite ended is the
        // machine's load; the code tells the deadline from the child's end.
        let took = t_exit - started;
        if case.code == 124 {
            assert!(took >= 3.0, "{took:.3} s: {o:?}");
        } else {
            assert!(took >= 1.5, "{took:.3} s: {o:?}");
        }
        assert_eq!(a.sigs("main"), case.sigs, "{o:?}");
    });
}

// ---------------------------------------------------------------------------
// MITE_SUBREAPER

#[derive(Debug)]
struct Reaper {
    name: &'static str,
    env: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    /// The orphan is re-parented to the init.
    adopted: bool,
    /// The subreaper is required: under qemu (which refuses it) the init
    /// fails instead.
    hard: bool,
    /// The init warns that zombies won't be reaped.
    warns: bool,
}

/// Not PID 1: MITE_SUBREAPER=1 makes docker-init/podman-init/dumb-init a
/// (required) subreaper, so an orphan of the program is re-parented to it
/// and there is no warning; MITE_SUBREAPER=0 makes mite and catatonit not
/// one; -s wins. Under qemu (an emulator limit: qemu-user 7.2 refuses
/// PR_SET_CHILD_SUBREAPER with EINVAL, as arm64 tini-static -s shows) the
/// required cases fail at set-up with that error, which still proves the
/// variable was read, and the others run with the warning where expected.
#[test]
fn mite_subreaper() {
    let limited = emulator_limit("env::mite_subreaper");
    if limited {
        let t = run(
            std::process::Command::new(runner_path().unwrap()).args([
                arm64_tini().as_os_str(),
                os("-s"),
                os("--"),
                os("true"),
            ]),
            30,
        );
        assert_eq!(t.code, Some(1), "tini-static -s under qemu: {t:?}");
        assert!(t.stderr.contains("PR_SET_CHILD_SUBREAPER"), "{t:?}");
    }
    const ON: &[(&str, &str)] = &[("MITE_SUBREAPER", "1")];
    const OFF: &[(&str, &str)] = &[("MITE_SUBREAPER", "0")];
    let mut cases = vec![
        Reaper {
            name: "mite",
            env: &[],
            args: &[],
            adopted: true,
            hard: false,
            warns: false,
        },
        Reaper {
            name: "mite",
            env: OFF,
            args: &[],
            adopted: false,
            hard: false,
            warns: true,
        },
        Reaper {
            name: "mite",
            env: OFF,
            args: &["-s"],
            adopted: true,
            hard: true,
            warns: false,
        },
        Reaper {
            name: "catatonit",
            env: OFF,
            args: &[],
            adopted: false,
            hard: false,
            warns: false,
        },
        Reaper {
            name: "dumb-init",
            env: ON,
            args: &[],
            adopted: true,
            hard: true,
            warns: false,
        },
    ];
    for name in ["docker-init", "podman-init"] {
        cases.push(Reaper {
            name,
            env: &[],
            args: &[],
            adopted: false,
            hard: false,
            warns: true,
        });
        cases.push(Reaper {
            name,
            env: ON,
            args: &[],
            adopted: true,
            hard: true,
            warns: false,
        });
    }
    parallel(&cases, |case| {
        let a = Actors::new("env-reaper");
        // ( o & ): o's parent exits at once, o is an orphan.
        let script = format!(
            "({} &); exec {}",
            a.sh("o", &[]),
            a.sh("main", &["after=o"])
        );
        let r = start(false, case.name, case.env, case.args, &sh(&script));
        let pid = pid_of(&r, false);
        if limited && case.hard {
            let o = r.finish(30);
            o.assert_code(1);
            assert!(o.stderr.contains("Invalid argument"), "{o:?}");
            assert!(a.ids("main").is_none(), "no child: {o:?}");
            return;
        }
        let o_ids = a.ready("o", 20);
        a.ready("main", 20);
        // Re-parented once its parent (a subshell, the main program's
        // child, which may be gone already when o is ready) is gone: to
        // the init, or past it (not one of the init's descendants).
        let parent = wait_for(20, || {
            let p: u32 = proc_status(o_ids.pid, "PPid")?.parse().ok()?;
            (p == pid || !descendants(pid).contains(&p)).then_some(p)
        })
        .expect("o re-parented");
        // Not every init drains it, and it holds the init's output open.
        kill(o_ids.pid as i32, 9);
        signal(pid, 15);
        let out = r.finish(30);
        if !limited {
            assert_eq!(parent == pid, case.adopted, "{out:?}");
        }
        assert_eq!(
            out.stderr.contains("zombie reaping won't work"),
            case.warns || (limited && case.name == "mite" && case.env.is_empty()),
            "{out:?}"
        );
    });
}

// ---------------------------------------------------------------------------
// MITE_REMAP_EXIT, MITE_REWRITE

/// MITE_REMAP_EXIT=3,5 (a list) turns exit codes 3 and 5 into 0, not 4,
/// under every name; with -e 4 on the command line both apply (a list
/// option adds to the variable's list).
#[test]
fn mite_remap_exit() {
    let mut cases: Vec<(&'static str, &'static [&'static str], i32, i32)> = vec![];
    for name in ALL {
        cases.extend([
            (name, &[][..], 3, 0),
            (name, &[][..], 5, 0),
            (name, &[][..], 4, 4),
        ]);
    }
    cases.extend([
        ("mite", &["-e", "4"][..], 4, 0),
        ("mite", &["-e", "4"][..], 3, 0),
    ]);
    parallel(&cases, |&(name, args, code, expected)| {
        let env = [("MITE_REMAP_EXIT", "3,5")];
        let r = start(true, name, &env, args, &sh(&format!("exit {code}")));
        r.finish(30).assert_code(expected);
    });
}

/// MITE_REWRITE=USR1:USR2,HUP:0 (a list): SIGUSR1 arrives as SIGUSR2, SIGHUP
/// is dropped, under every name; -r on the command line wins for its signal.
/// (SIGWINCH, sent after SIGHUP, is the fence: mite takes pending signals
/// lowest first, so once the child has SIGWINCH, SIGHUP was dealt with.)
#[test]
fn mite_rewrite() {
    let mut cases: Vec<(&'static str, &'static [&'static str], Vec<i32>)> = vec![];
    for name in ALL {
        cases.push((name, &[], vec![12, 28]));
    }
    cases.push(("mite", &["-r", "USR1:HUP"], vec![1, 28]));
    cases.push(("dumb-init", &["-r", "10:1"], vec![1, 28]));
    parallel(&cases, |(name, args, expected)| {
        let a = Actors::new("env-rewrite");
        let env = [("MITE_REWRITE", "USR1:USR2,HUP:0")];
        let r = start(true, name, &env, args, &a.argv("main", &[]));
        let pid = pid_of(&r, true);
        a.ready("main", 20);
        signal(pid, 10);
        signal(pid, 1);
        signal(pid, 28);
        a.wait_sig("main", 28, 20);
        assert_eq!(&a.sigs("main"), expected);
        signal(pid, 15);
        r.finish(30).assert_code(0);
    });
}

// ---------------------------------------------------------------------------
// MITE_VERBOSE, MITE_WARN_REAP

/// MITE_VERBOSE=N is N times -v, in each personality's format and stream;
/// -v on the command line adds to it; tini's own TINI_VERBOSITY, read after
/// it as tini reads it, sets the level for the tini names.
#[test]
fn mite_verbose() {
    // (name, env, args, the stream, a line part that must be there, one
    // that must not).
    type Case = (
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static [&'static str],
        bool,
        Option<&'static str>,
        Option<&'static str>,
    );
    const STDOUT: bool = true;
    const STDERR: bool = false;
    let cases: &[Case] = &[
        (
            "mite",
            &[("MITE_VERBOSE", "1")],
            &[],
            STDERR,
            Some("mite: Child exited with status 3. Goodbye.\n"),
            Some("Received signal"),
        ),
        (
            "mite",
            &[("MITE_VERBOSE", "2")],
            &[],
            STDERR,
            Some("mite: Received signal 17.\n"),
            None,
        ),
        (
            "mite",
            &[("MITE_VERBOSE", "0")],
            &["-v"],
            STDERR,
            Some("mite: Child spawned with PID "),
            Some("Received signal"),
        ),
        ("mite", &[], &[], STDERR, None, Some("Child")),
        ("docker-init", &[], &[], STDOUT, None, Some("Child")),
        (
            "docker-init",
            &[("MITE_VERBOSE", "1")],
            &[],
            STDOUT,
            Some("[INFO  tini (1)] Child exited with status 3. Goodbye.\n"),
            Some("DEBUG"),
        ),
        (
            "podman-init",
            &[("MITE_VERBOSE", "2")],
            &[],
            STDOUT,
            Some("[DEBUG tini (1)] Received signal 17.\n"),
            None,
        ),
        (
            "docker-init",
            &[("MITE_VERBOSE", "2"), ("TINI_VERBOSITY", "0")],
            &[],
            STDOUT,
            None,
            Some("tini"),
        ),
        (
            "dumb-init",
            &[("MITE_VERBOSE", "2")],
            &[],
            STDERR,
            Some("[dumb-init] Received signal 17.\n"),
            None,
        ),
        (
            "catatonit",
            // catatonit starts at errors only: two -v reach its INFO lines.
            &[("MITE_VERBOSE", "2")],
            &[],
            STDERR,
            Some("INFO (catatonit:1): Child exited with status 3. Goodbye.\n"),
            Some("DEBUG"),
        ),
    ];
    parallel(cases, |&(name, env, args, stdout, has, lacks)| {
        let r = start(true, name, env, args, &sh("exit 3"));
        let o = r.finish(30);
        o.assert_code(3);
        let text = if stdout { &o.stdout } else { &o.stderr };
        if let Some(s) = has {
            assert!(text.contains(s), "{s:?} in {o:?}");
        }
        if let Some(s) = lacks {
            assert!(!text.contains(s), "no {s:?} in {o:?}");
        }
    });
}

/// MITE_WARN_REAP=1: a warning for each zombie reaped that is not the main
/// child, under every name (as PID 1: the orphan is re-parented to it);
/// none without it. The main program exits once the orphan has been
/// reaped (its /proc entry is gone).
#[test]
fn mite_warn_reap() {
    let mut cases: Vec<(&'static str, bool)> = vec![];
    for name in ["mite", "docker-init", "podman-init", "tini", "dumb-init"] {
        cases.extend([(name, true), (name, false)]);
    }
    parallel(&cases, |&(name, on)| {
        let d = tempdir("env-warn");
        let f = d.join("o").display().to_string();
        let script = format!(
            "(sh -c 'echo $$ > {f}.tmp; mv {f}.tmp {f}' &); \
             while [ ! -s {f} ]; do sleep 0.01; done; p=$(cat {f}); \
             while [ -e /proc/$p ]; do sleep 0.01; done; exit 3"
        );
        let env: &[(&str, &str)] = if on { &[("MITE_WARN_REAP", "1")] } else { &[] };
        let r = start(true, name, env, &[], &sh(&script));
        let o = r.finish(30);
        o.assert_code(3);
        let p = std::fs::read_to_string(&f).unwrap();
        let line = format!("Reaped zombie process with pid={}\n", p.trim());
        let prefix = match name {
            "mite" => "mite: ",
            "dumb-init" => "[dumb-init] ",
            _ => "[WARN  tini (1)] ",
        };
        assert_eq!(
            o.stderr.contains(&format!("{prefix}{line}")),
            on,
            "{name} {on}: {o:?}"
        );
        let _ = std::fs::remove_dir_all(&d);
    });
}

// ---------------------------------------------------------------------------
// MITE_PDEATHSIG, MITE_SETSID, MITE_PAUSE

/// MITE_PDEATHSIG=USR1: when the init's parent (a shell) exits, the init
/// gets SIGUSR1 and forwards it to its child; -p on the command line wins.
#[test]
fn mite_pdeathsig() {
    let cases: &[(&str, &[&str], i32)] = &[
        ("mite", &[], 10),
        ("docker-init", &[], 10),
        ("podman-init", &[], 10),
        ("dumb-init", &[], 10),
        ("mite", &["-p", "USR2"], 12),
        ("docker-init", &["-p", "SIGUSR2"], 12),
    ];
    parallel(cases, |&(name, args, expected)| {
        let a = Actors::new("env-pdeath");
        let argv: Vec<String> = init(name)
            .argv()
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .chain(args.iter().map(|s| s.to_string()))
            .chain(["--".to_string()])
            .chain(a.argv("main", &[]))
            .collect();
        let (pidfile, out) = (a.path("init.pid"), a.path("init.out"));
        let ready = a.path("main.ready");
        // The shell is the init's parent; it exits once the child is ready.
        let script = format!(
            "{} >{} 2>&1 & echo $! > {}; while [ ! -e {} ]; do sleep 0.01; done",
            argv.join(" "),
            out.display(),
            pidfile.display(),
            ready.display()
        );
        let mut c = std::process::Command::new("sh");
        c.args(["-c", &script]).env("MITE_PDEATHSIG", "USR1");
        let r = Running::start(&mut c);
        let pid: u32 = read_when_ready(&pidfile, 20)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        r.finish(30).assert_code(0);
        let got = wait_for(20, || a.sigs("main").first().copied());
        kill(pid as i32, 15);
        let gone = wait_for(20, || (!alive(pid)).then_some(()));
        let log = std::fs::read_to_string(&out).unwrap_or_default();
        assert_eq!(got, Some(expected), "{name} {args:?}: {log}");
        assert!(gone.is_some(), "the init ended: {log}");
    });
}

/// MITE_SETSID=1: the child gets a session of its own (dumb-init's mode),
/// under every name; MITE_SETSID=0 turns dumb-init's off (as -c); --setsid
/// wins.
#[test]
fn mite_setsid() {
    let mut cases: Vec<(&'static str, Vars, Args, bool)> = vec![];
    for name in ALL {
        cases.push((name, &[("MITE_SETSID", "1")], &[], true));
    }
    cases.extend([
        ("mite", &[][..], &[][..], false),
        ("docker-init", &[][..], &[][..], false),
        ("dumb-init", &[][..], &[][..], true),
        ("dumb-init", &[("MITE_SETSID", "0")][..], &[][..], false),
        ("mite", &[("MITE_SETSID", "0")][..], &["--setsid"][..], true),
    ]);
    parallel(&cases, |&(name, env, args, own)| {
        let a = Actors::new("env-setsid");
        let r = start(true, name, env, args, &a.argv("main", &["exit=0"]));
        let o = r.finish(30);
        o.assert_code(0);
        let ids = a.ids("main").unwrap();
        assert_eq!(ids.sid == ids.pid, own, "{ids:?} {o:?}");
    });
}

/// MITE_PAUSE=1: no program; the init waits, reaping, until SIGTERM (exit
/// 0), dropping other signals, under every name; -P wins over
/// MITE_PAUSE=0. Without it, no program is a usage error.
#[test]
fn mite_pause() {
    let mut cases: Vec<(&'static str, Vars, Args)> = vec![];
    for name in ALL {
        cases.push((name, &[("MITE_PAUSE", "1")], &[]));
    }
    cases.push(("mite", &[("MITE_PAUSE", "0")], &["-P"]));
    parallel(&cases, |&(name, env, args)| {
        let mut c = init(name).pid1(args);
        c.envs(env.iter().copied());
        let r = Running::start(&mut c);
        let pid = pid1_of(r.pid(), 20);
        wait_in_sigtimedwait(pid);
        assert!(children_of(pid).is_empty(), "no child");
        signal(pid, 10);
        signal(pid, 15);
        r.finish(30).assert_code(0);
    });
    for name in INJECTED {
        let o = run(&mut init(name).cmd(&[] as &[&str]), 30);
        assert_eq!(o.code, Some(1), "{name} without a program: {o:?}");
    }
}

// ---------------------------------------------------------------------------
// Bad values, unknown names

/// Every variable with bad values, under every name: exit 1, one line
/// naming the variable and the value (with the personality's fatal prefix),
/// nothing on stdout, and no child: the program would create a marker
/// first thing, and the output is read to its end, which comes only when
/// every process holding it (a child would) has gone.
#[test]
fn bad_values_are_refused_and_nothing_runs() {
    const BAD: &[(&str, &str)] = &[
        ("MITE_GRACE", "x"),
        ("MITE_GRACE", "-1"),
        ("MITE_GRACE", ""),
        ("MITE_GRACE", "1.5"),
        ("MITE_GRACE", "16777217"),
        ("MITE_DRAIN_SIGNAL", "FOO"),
        ("MITE_DRAIN_SIGNAL", "65"),
        ("MITE_SIGNAL_ALL", "yes"),
        ("MITE_SIGNAL_ALL", "2"),
        ("MITE_SIGNAL_ALL", ""),
        ("MITE_TIMEOUT", "1s"),
        ("MITE_TIMEOUT", "-5"),
        ("MITE_TIMEOUT_SIGNAL", "0"),
        ("MITE_TIMEOUT_SIGNAL", "NOPE"),
        ("MITE_SUBREAPER", "true"),
        ("MITE_PGROUP", "01"),
        ("MITE_REMAP_EXIT", "3,256"),
        ("MITE_REMAP_EXIT", "3,"),
        ("MITE_REWRITE", "USR1:USR2,HUP"),
        ("MITE_REWRITE", "1:65"),
        ("MITE_VERBOSE", "x"),
        ("MITE_VERBOSE", "10"),
        ("MITE_WARN_REAP", "on"),
        ("MITE_PDEATHSIG", "NOPE"),
        ("MITE_PDEATHSIG", "0"),
        ("MITE_SETSID", "y"),
        ("MITE_PAUSE", "2"),
    ];
    let names = [
        "mite",
        "docker-init",
        "podman-init",
        "tini",
        "dumb-init",
        "catatonit",
        "pause",
    ];
    parallel(&names, |&name| {
        let d = tempdir("env-bad");
        let marker = d.join("ran");
        let script = format!("echo ran > {}", marker.display());
        for &(var, value) in BAD {
            let mut c = init(name).cmd(&["--", "sh", "-c", &script]);
            c.env(var, value);
            let r = Running::start(&mut c);
            let pid = r.pid();
            let o = r.finish(30);
            let prefix = match name {
                "mite" => "mite: ".to_string(),
                "dumb-init" => "[dumb-init] ".to_string(),
                "catatonit" => format!("ERROR (catatonit:{pid}): "),
                "pause" => String::new(),
                _ => format!("[FATAL tini ({pid})] "),
            };
            let what = format!("{name} {var}={value:?}: {o:?}");
            assert_eq!(o.code, Some(1), "{what}");
            assert_eq!(
                o.stderr,
                format!("{prefix}Not a valid value for {var}: {value}\n"),
                "{what}"
            );
            assert_eq!(o.stdout, "", "{what}");
            assert!(!marker.exists(), "the program ran: {what}");
        }
        let _ = std::fs::remove_dir_all(&d);
    });
}

/// Names that are not a variable of mite's are not mite's business: the
/// program runs as without them, under every name (wrong case, no name, a
/// longer or shorter name, the options that are not settable: help,
/// version, license).
#[test]
fn unknown_mite_names_are_ignored() {
    const UNKNOWN: &[(&str, &str)] = &[
        ("MITE_FOO", "bar"),
        ("MITE_", "1"),
        ("MITE_grace", "x"),
        ("MITE_GRACE_PERIOD", "x"),
        ("MITE_GRAC", "x"),
        ("MITE_HELP", "1"),
        ("MITE_VERSION", "1"),
        ("MITE_LICENSE", "1"),
        ("MITE_DRAIN-SIGNAL", "x"),
        ("MITEGRACE", "x"),
        ("XMITE_GRACE", "x"),
    ];
    parallel(&ALL, |&name| {
        let mut c = init(name).pid1(&["--", "sh", "-c", "exit 4"]);
        c.envs(UNKNOWN.iter().copied());
        let o = Running::start(&mut c).finish(30);
        assert_eq!(
            (o.code, &o.stdout[..], &o.stderr[..]),
            (Some(4), "", ""),
            "{name}: {o:?}"
        );
    });
}
