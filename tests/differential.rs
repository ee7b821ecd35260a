//! mite as tini against the reference tini, by running both with the same
//! arguments: exit codes, which signals the child gets, and stdout must be
//! the same. The reference is Debian's tini (natively) or Debian's arm64
//! tini-static under the same emulator as the binary under test.
mod common;
use common::*;

const SIGUSR1: i32 = 10;
const SIGUSR2: i32 = 12;
const SIGTERM: i32 = 15;

/// Both inits under comparison.
const BOTH: [Init; 2] = [Init::As("tini"), Init::RefTini];

/// Runs `f` for mite as tini and for the reference; asserts the same
/// outcome, returns it.
#[track_caller]
fn same<T: PartialEq + std::fmt::Debug>(what: &str, f: impl Fn(Init) -> T) -> T {
    let [mite, tini] = BOTH.map(&f);
    assert_eq!(
        mite, tini,
        "{what}: mite as tini (left) vs reference tini (right)"
    );
    mite
}

/// (exit status, stdout) of `init [pre] -- sh -c SCRIPT`.
fn outcome(init: Init, pid1: bool, pre: &[&str], script: &str) -> (Option<i32>, String) {
    let o = run(
        &mut init.start(pid1, &cat(pre, &["--", "sh", "-c", script])),
        30,
    );
    (o.code, o.stdout)
}

#[test]
fn exit_codes() {
    for pid1 in [false, true] {
        for n in [0, 1, 2, 3, 42, 126, 127, 128, 255] {
            let script = format!("echo out {n}; exit {n}");
            let (code, _) = same(&format!("exit {n} pid1={pid1}"), |i| {
                outcome(i, pid1, &[], &script)
            });
            assert_eq!(code, Some(n));
        }
    }
}

#[test]
fn death_by_signal() {
    for pid1 in [false, true] {
        for n in [1, 2, 3, 6, 9, 11, 13, 15, 31] {
            let script = format!("kill -{n} $$; sleep 5");
            let (code, _) = same(&format!("signal {n} pid1={pid1}"), |i| {
                outcome(i, pid1, &[], &script)
            });
            assert_eq!(code, Some(128 + n));
        }
    }
}

#[test]
fn remap() {
    let cases: &[(&[&str], &str)] = &[
        (&["-e", "3"], "exit 3"),
        (&["-e", "3"], "exit 4"),
        (&["-e", "3", "-e", "4"], "exit 4"),
        (&["-e", "143"], "kill -TERM $$; sleep 5"),
        (&["-e", "0"], "exit 0"),
        (&["-e", "255"], "exit 255"),
        (&["-e3", "-g"], "exit 3"),
    ];
    for &(pre, script) in cases {
        same(&format!("{pre:?} {script}"), |i| {
            outcome(i, false, pre, script)
        });
    }
}

/// `-v`: both report the main child's end in one INFO line on stdout,
/// in tini's `[INFO  tini (PID)] ` format, naming the status (tini:
/// `Main child exited normally (with status '3')`; mite, in the words it
/// uses for every personality: `Child exited with status 3. Goodbye.`).
#[test]
fn verbose_exit_report() {
    for (script, number) in [("exit 3", "3"), ("kill -TERM $$; sleep 5", "143")] {
        same(script, |init| {
            let o = run(&mut init.cmd(&["-v", "--", "sh", "-c", script]), 30);
            let exit_lines: Vec<String> = o
                .stdout
                .lines()
                .filter(|l| l.contains("exited"))
                .map(|l| {
                    let (head, rest) = l.split_once(')').unwrap_or(("", l));
                    let head = head.split('(').next().unwrap_or("");
                    // tini names a signal death by name; both give it.
                    let names = rest.contains(number) || rest.contains("Terminated");
                    format!("{head}(PID)] names the status: {names}")
                })
                .collect();
            (o.code, exit_lines)
        });
    }
}

/// SIGTERM to the init (plain, and as PID 1 from outside and from inside)
/// ends a child that has no handler: 143 from both.
#[test]
fn sigterm_forwarding() {
    for pid1 in [false, true] {
        let code = same(&format!("TERM from outside, pid1={pid1}"), |init| {
            let r = Running::start(
                init.start(pid1, &["--", "sleep", "30"])
                    .env("TINI_VERBOSITY", "0"),
            );
            let pid = if pid1 { pid1_of(r.pid(), 20) } else { r.pid() };
            sleeping_child(pid);
            kill(pid as i32, SIGTERM);
            r.finish(20).code
        });
        assert_eq!(code, Some(143));
    }
    let (code, _) = same("TERM from inside", |i| {
        outcome(i, true, &[], "kill -TERM 1; sleep 5 & wait; exit 9")
    });
    assert_eq!(code, Some(143));
}

/// Signals neither init treats specially: sent to the init one by one
/// (plain process), what the child gets. Real-time ones from 36 on: under
/// qemu-user host 34 and 35 are the guest's 32 and 33, which glibc (and so
/// tini-static) cannot block.
const ORDINARY: &[i32] = &[
    1, 2, 3, 10, 12, 13, 14, 15, 16, 18, 20, 23, 24, 25, 26, 27, 28, 29, 30, 36, 40, 64,
];

/// Starts `init [pre] -- recorder`, sends `sigs` to the init (plain or as
/// PID 1, from outside), giving each up to `wait` s to arrive; returns what
/// the child got and the init's status after a final stop signal.
fn received(
    init: Init,
    pid1: bool,
    pre: &[&str],
    sigs: &[i32],
    wait: u64,
) -> (Vec<i32>, Option<i32>) {
    let rec = Recorder::new("diff-sig");
    let args = cat(pre, &cat(&["--"], &rec.argv("r", &["stop=42"])));
    let r = Running::start(init.start(pid1, &args).env("TINI_VERBOSITY", "0"));
    let target = if pid1 { pid1_of(r.pid(), 20) } else { r.pid() };
    let child = rec
        .ready("r", 30)
        .unwrap_or_else(|| panic!("{init:?}: the child did not start"));
    let child = if pid1 {
        host_pid(r.pid(), child, 10)
    } else {
        child
    };
    send_each(&rec, "r", target, sigs, wait);
    // Everything forwarded is in, even what came after its wait.
    let got = rec.settle("r", child, 10);
    rec.stop("r");
    kill(target as i32, SIGUSR1);
    (got, r.finish(30).code)
}

#[test]
fn ordinary_signals_reach_the_child() {
    for pid1 in [false, true] {
        let (got, code) = same(&format!("pid1={pid1}"), |i| {
            received(i, pid1, &[], ORDINARY, 10)
        });
        assert_eq!((got, code), (ORDINARY.to_vec(), Some(42)));
    }
}

/// From inside the namespace, the child sends each signal to PID 1.
#[test]
fn ordinary_signals_sent_to_pid1_from_inside() {
    same("kill -N 1", |init| {
        let rec = Recorder::new("diff-in");
        let kill = format!("kill=1:{}", list(ORDINARY));
        let o = run(
            &mut init.pid1(&cat(
                &["--"],
                &rec.argv("r", &[&kill, &recorder_pacing(), "wait=5", "code=42"]),
            )),
            120,
        );
        (rec.got("r"), o.code)
    });
}

/// A deliberate difference (README): tini ignores SIGTTIN and SIGTTOU, so
/// one sent with kill() is dropped; mite blocks them instead (for job
/// control the kernel treats blocked like ignored, so the terminal cannot
/// stop it either) and forwards one sent with kill() like any signal.
#[test]
fn job_control_signals_ttin_ttou() {
    for pid1 in [false, true] {
        let sigs = [21, 22, SIGUSR2];
        // 2 s for each signal that tini drops; 10 s for each that mite
        // forwards (a bound, not a delay).
        let reference = received(Init::RefTini, pid1, &[], &sigs, 2);
        assert_eq!(
            reference,
            (vec![SIGUSR2], Some(42)),
            "reference tini, pid1={pid1}"
        );
        let mite = received(Init::As("tini"), pid1, &[], &sigs, 10);
        assert_eq!(mite, (sigs.to_vec(), Some(42)), "mite as tini, pid1={pid1}");
    }
}

/// -g and TINI_KILL_PROCESS_GROUP: which members of the child's process
/// group get a signal.
#[test]
fn process_group_delivery() {
    for (pre, env) in [
        (&["-g"][..], None),
        (&[], Some(("TINI_KILL_PROCESS_GROUP", "1"))),
        (&[], None),
    ] {
        same(&format!("{pre:?} {env:?}"), |init| {
            let rec = Recorder::new("diff-group");
            let script = format!(
                "{} & exec {}",
                rec.shell("member", &["stop=0"]),
                rec.shell("main", &["stop=42"])
            );
            let mut c = init.cmd(&cat(pre, &["--", "sh", "-c", &script]));
            c.env("TINI_VERBOSITY", "0");
            if let Some((k, v)) = env {
                c.env(k, v);
            }
            let r = Running::start(&mut c);
            let member = rec.ready("member", 30).expect("member");
            let main = rec.ready("main", 30).expect("main");
            for s in [SIGUSR1, SIGTERM, 1] {
                kill(r.pid() as i32, s);
                rec.wait_got("main", s, 1, 10);
                if pre.contains(&"-g") || env.is_some() {
                    rec.wait_got("member", s, 1, 10);
                }
            }
            // A signal sent wrongly to the member shows once it has
            // handled all it was sent (no fixed sleep).
            let got = (
                rec.settle("main", main, 10),
                rec.settle("member", member, 10),
            );
            rec.stop("main");
            kill(member as i32, 9);
            kill(r.pid() as i32, SIGUSR2);
            (got, r.finish(30).code)
        });
    }
}

/// tini#104: `kill -ABRT 1` from inside does nothing to the child.
#[test]
fn abrt_sent_to_pid1() {
    if emulator_limit("differential::abrt_sent_to_pid1") {
        let r = same("ABRT to PID 1 under the emulator", abrt_pid1_under_emulator);
        assert_eq!(
            r,
            (true, false, true),
            "(child done, init exited, qemu's message)"
        );
        return;
    }
    let script = "trap 'exit 7' ABRT; kill -ABRT 1; sleep 1; echo survived; exit 3";
    let r = same("ABRT to PID 1", |i| outcome(i, true, &[], script));
    assert_eq!(r, (Some(3), "survived\n".to_string()));
}

/// Exec failures: the status (the messages differ by design).
#[test]
fn exec_failure_codes() {
    let dir = tempdir("diff-exec");
    let noexec = dir.join("noexec");
    std::fs::write(&noexec, "#!/bin/sh\nexit 0\n").unwrap();
    let lp = dir.join("loop");
    std::os::unix::fs::symlink(&lp, &lp).unwrap();
    for prog in [
        "/nonexistent",
        "no-such-program-for-mite",
        &noexec.display().to_string(),
        &dir.display().to_string(),
        &lp.display().to_string(),
    ] {
        same(prog, |i| {
            run(i.cmd(&["--", prog]).env("TINI_VERBOSITY", "0"), 20).code
        });
    }
}

/// A path through a file (ENOTDIR): tini exits 1 (only ENOENT is 127).
#[test]
fn exec_not_a_directory() {
    same("/etc/passwd/x", |i| {
        run(
            i.cmd(&["--", "/etc/passwd/x"]).env("TINI_VERBOSITY", "0"),
            20,
        )
        .code
    });
}

/// A deliberate difference (README): an executable text file without
/// `#!`. tini's execvp (glibc) runs it with /bin/sh; mite, like the kernel
/// and musl, needs the `#!` line and reports an exec format error (126).
#[test]
fn exec_script_without_shebang() {
    let dir = tempdir("diff-noshebang");
    let p = dir.join("script");
    std::fs::write(&p, "echo from the script\nexit 4\n").unwrap();
    std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let p = p.display().to_string();
    let r = run(
        Init::RefTini.cmd(&["--", &p]).env("TINI_VERBOSITY", "0"),
        20,
    );
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (Some(4), "from the script\n"),
        "reference: {r:?}"
    );
    let o = run(
        Init::As("tini").cmd(&["--", &p]).env("TINI_VERBOSITY", "0"),
        20,
    );
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (Some(126), ""),
        "mite as tini: {o:?}"
    );
    assert!(o.stderr.contains("Exec format error"), "{o:?}");
}
