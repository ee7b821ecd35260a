//! Signal forwarding, by running the real binary: every signal mite gets
//! reaches its child, whether mite is PID 1 of a PID namespace (the signal
//! sent from inside it or from outside) or a plain process; with -g the
//! child's whole process group. The child starts in its own process group
//! with the signal state mite was started with. SIGABRT sent to PID 1 is
//! forwarded by the mite personality and dropped by the tini personality,
//! like Debian's tini.
mod common;
use common::*;
use std::process::Command;

const SIGHUP: i32 = 1;
const SIGUSR1: i32 = 10;
const SIGUSR2: i32 = 12;
const SIGTERM: i32 = 15;

/// Signals mite forwards that the recorder can catch: 1..31 but SIGKILL
/// and SIGSTOP (uncatchable) and SIGCHLD (mite's own), and real-time ones.
/// (32 and 33: see realtime_32_and_33_reach_the_child.)
fn catchable() -> Vec<i32> {
    let mut v: Vec<i32> = (1..=31).filter(|s| ![9, 17, 19].contains(s)).collect();
    v.extend([34, 35, 40, 50, 63, 64]);
    v
}

/// Starts the recorder `r` under mite (plain or as PID 1), sends it every
/// signal of `sigs` from outside, one at a time, then stops it. Returns
/// what the child got and how mite ended.
fn send_from_outside(tag: &str, pid1: bool) -> (Vec<i32>, Out) {
    let rec = Recorder::new(tag);
    let args = cat(&["--"], &rec.argv("r", &["stop=42"]));
    let r = Running::start(Init::Mite.start(pid1, &args).env("TINI_VERBOSITY", "0"));
    let target = if pid1 { pid1_of(r.pid(), 20) } else { r.pid() };
    let child = rec.ready("r", 30).expect("the child did not start");
    let child = if pid1 {
        host_pid(r.pid(), child, 10)
    } else {
        child
    };
    send_each(&rec, "r", target, &catchable(), 10);
    // Everything forwarded is in, even what came after its wait.
    let got = rec.settle("r", child, 10);
    rec.stop("r");
    kill(target as i32, SIGUSR1);
    (got, r.finish(30))
}

#[test]
fn reach_the_child_of_a_plain_process() {
    let (got, o) = send_from_outside("sig-plain", false);
    assert_eq!(got, catchable(), "signals the child got, in order; {o:?}");
    o.assert_code(42);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", ""));
}

#[test]
fn reach_the_child_when_sent_to_pid1_from_outside() {
    let (got, o) = send_from_outside("sig-out", true);
    assert_eq!(got, catchable(), "signals the child got, in order; {o:?}");
    o.assert_code(42);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", ""));
}

#[test]
fn reach_the_child_when_sent_to_pid1_from_inside() {
    // The child itself sends each signal to PID 1 (mite) and waits for it
    // to come back; the synchronous ones (ILL, TRAP, ABRT, BUS, FPE, SEGV,
    // SYS) included: the kernel drops a signal sent to a namespace's PID 1
    // that has no handler, unless mite blocks and collects it.
    let rec = Recorder::new("sig-in");
    let kill = format!("kill=1:{}", list(&catchable()));
    let args = cat(
        &["--"],
        &rec.argv("r", &[&kill, &recorder_pacing(), "code=42"]),
    );
    let o = run(&mut Init::Mite.pid1(&args), 120);
    assert_eq!(
        rec.got("r"),
        catchable(),
        "signals the child got, in order; {o:?}"
    );
    o.assert_code(42);
    // As PID 1, no warning about reaping.
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", ""));
}

/// 32 and 33 are the first real-time signals; glibc keeps them to itself
/// (so the python recorder cannot catch them) but the kernel does not, and
/// a libc-free init forwards them. A child that leaves them at SIG_DFL dies
/// of them: mite exits 160 or 161.
#[test]
fn realtime_32_and_33_reach_the_child() {
    if emulator_limit("signals::realtime_32_and_33_reach_the_child") {
        // Host 32 kills the emulator itself; host 33 is swallowed, the
        // child lives on until SIGTERM. tini-static the same.
        let outcome = |init: Init, sig: i32| {
            let mut c = init.cmd(&["--", "sleep", "30"]);
            let r = Running::start(default_rt_signals(&mut c).env("TINI_VERBOSITY", "0"));
            let pid = r.pid();
            let sleep = sleeping_child(pid);
            kill(pid as i32, sig);
            if wait_for(2, || (!alive(pid)).then_some(())).is_none() {
                kill(pid as i32, SIGTERM);
            }
            // An init killed outright leaves sleep behind, holding the pipes.
            let _ = wait_for(20, || (!alive(pid)).then_some(()));
            kill(sleep as i32, 9);
            let o = r.finish(20);
            (o.code, o.signal)
        };
        for sig in [32, 33] {
            let mite = outcome(Init::Mite, sig);
            let tini = outcome(Init::RefTini, sig);
            assert_eq!(
                mite, tini,
                "signal {sig}: mite vs tini-static under the emulator"
            );
            let expected = if sig == 32 {
                (None, Some(32))
            } else {
                (Some(143), None)
            };
            assert_eq!(mite, expected, "signal {sig}: the emulator's own handling");
        }
        return;
    }
    for sig in [32, 33] {
        // Plain process, sent from outside.
        let mut c = mite(&["--", "sleep", "30"]);
        let r = Running::start(default_rt_signals(&mut c).env("TINI_VERBOSITY", "0"));
        let pid = r.pid();
        sleeping_child(pid);
        kill(pid as i32, sig);
        let o = r.finish(20);
        o.assert_code(128 + sig);
        assert_eq!(o.stderr, "");
        // PID 1, sent from inside by the child itself.
        let script = format!("kill -{sig} 1; exec sleep 30");
        let o = run(
            default_rt_signals(&mut pid1(&["--", "sh", "-c", &script])),
            40,
        );
        o.assert_code(128 + sig);
        assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", ""));
    }
}

/// The kernel gives PID 1 no default actions: a child without a SIGTERM
/// handler must still die of the SIGTERM that `docker stop` sends to PID 1.
#[test]
fn child_without_handler_dies_of_sigterm() {
    for (pid1, init) in [
        (true, Init::Mite),
        (false, Init::Mite),
        (true, Init::As("tini")),
        (false, Init::As("tini")),
    ] {
        let r = Running::start(
            init.start(pid1, &["--", "sleep", "30"])
                .env("TINI_VERBOSITY", "0"),
        );
        let target = if pid1 { pid1_of(r.pid(), 20) } else { r.pid() };
        sleeping_child(target);
        kill(target as i32, SIGTERM);
        let o = r.finish(20);
        assert_eq!(o.code, Some(143), "{init:?} pid1={pid1}: {o:?}");
        assert_eq!(o.stderr, "", "{init:?} pid1={pid1}");
    }
}

/// -g (--pgroup, TINI_KILL_PROCESS_GROUP): a signal goes to every member
/// of the child's process group; without it only to the child. The child
/// is `sh`, which starts two recorders in the background (same group) and
/// then becomes the main recorder.
fn group_scenario(init: Init, pid1: bool, opts: &[&str], env: Option<(&str, &str)>, group: bool) {
    let what = format!("{init:?} pid1={pid1} {opts:?} {env:?}");
    let rec = Recorder::new("sig-group");
    let script = format!(
        "{} & {} & exec {}",
        rec.shell("m1", &["stop=0"]),
        rec.shell("m2", &["stop=0"]),
        rec.shell("main", &["stop=42"])
    );
    let args = cat(opts, &["--", "sh", "-c", &script]);
    let mut c = init.start(pid1, &args);
    c.env("TINI_VERBOSITY", "0");
    if let Some((k, v)) = env {
        c.env(k, v);
    }
    let r = Running::start(&mut c);
    let target = if pid1 { pid1_of(r.pid(), 20) } else { r.pid() };
    // Their host pids (as PID 1, they write their pids in the namespace).
    let members: Vec<u32> = ["main", "m1", "m2"]
        .iter()
        .map(|n| {
            let pid = rec
                .ready(n, 30)
                .unwrap_or_else(|| panic!("{what}: recorder {n} did not start"));
            if pid1 {
                host_pid(r.pid(), pid, 10)
            } else {
                pid
            }
        })
        .collect();
    let sigs = [SIGHUP, SIGUSR1, SIGTERM, 34];
    for &s in &sigs {
        kill(target as i32, s);
        rec.wait_got("main", s, 1, 10);
        if group {
            rec.wait_got("m1", s, 1, 10);
            rec.wait_got("m2", s, 1, 10);
        }
    }
    // A signal sent wrongly to a member was delivered with the one its
    // target got: once each has handled all it was sent, it shows.
    let got: Vec<Vec<i32>> = ["main", "m1", "m2"]
        .iter()
        .zip(&members)
        .map(|(n, &pid)| rec.settle(n, pid, 10))
        .collect();
    for n in ["main", "m1", "m2"] {
        rec.stop(n);
    }
    if group {
        kill(target as i32, SIGUSR2);
    } else {
        kill(members[1] as i32, 9);
        kill(members[2] as i32, 9);
        kill(target as i32, SIGUSR2);
    }
    let o = r.finish(30);
    let none: Vec<i32> = vec![];
    let expected = if group {
        [sigs.to_vec(), sigs.to_vec(), sigs.to_vec()]
    } else {
        [sigs.to_vec(), none.clone(), none]
    };
    assert_eq!(
        got, expected,
        "{what}: signals got by [child, member 1, member 2]; {o:?}"
    );
    assert_eq!(o.code, Some(42), "{what}: {o:?}");
}

#[test]
fn pgroup_signals_reach_every_member_of_the_group() {
    let env = Some(("TINI_KILL_PROCESS_GROUP", "1"));
    group_scenario(Init::Mite, false, &["-g"], None, true);
    group_scenario(Init::Mite, false, &["--pgroup"], None, true);
    group_scenario(Init::Mite, false, &[], env, true);
    group_scenario(Init::Mite, true, &["-g"], None, true);
    group_scenario(Init::As("tini"), false, &["-g"], None, true);
    group_scenario(Init::As("tini"), false, &[], env, true);
    group_scenario(Init::As("tini"), true, &["-g"], None, true);
}

#[test]
fn without_pgroup_signals_reach_only_the_child() {
    group_scenario(Init::Mite, false, &[], None, false);
    group_scenario(Init::Mite, true, &[], None, false);
    group_scenario(Init::As("tini"), false, &[], None, false);
}

/// The scenario of tini#104: `kill -ABRT 1` from inside the namespace
/// (what `docker kill -s ABRT` does). The child traps SIGABRT.
const ABRT_SCRIPT: &str = "trap 'exit 7' ABRT; kill -ABRT 1; sleep 2 & wait; echo survived; exit 3";

#[test]
fn mite_personality_forwards_abrt_sent_to_pid1() {
    let o = run(&mut pid1(&["--", "sh", "-c", ABRT_SCRIPT]), 30);
    o.assert_code(7);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", ""));
}

/// The tini personality leaves the synchronous signals unblocked like
/// tini, so the kernel drops a SIGABRT sent to PID 1: the child never
/// gets it, survives and exits 3; exactly what Debian's tini does.
#[test]
fn tini_personality_drops_abrt_sent_to_pid1() {
    if emulator_limit("signals::tini_personality_drops_abrt_sent_to_pid1") {
        let mite = abrt_pid1_under_emulator(Init::As("tini"));
        let tini = abrt_pid1_under_emulator(Init::RefTini);
        assert_eq!(mite, tini, "mite as tini vs tini-static under the emulator");
        assert_eq!(
            mite,
            (true, false, true),
            "(child done, init exited, qemu's message)"
        );
        return;
    }
    for init in [Init::As("tini"), Init::RefTini] {
        let o = run(&mut init.pid1(&["--", "sh", "-c", ABRT_SCRIPT]), 30);
        assert_eq!(o.code, Some(3), "{init:?}: {o:?}");
        assert_eq!(o.stdout, "survived\n", "{init:?}");
    }
}

/// The child starts in its own process group, with no signal blocked or
/// ignored when mite was started with none (mite's own blocking is undone).
#[test]
fn child_runs_in_its_own_group_with_a_clean_signal_state() {
    // The child prints its pid, process group and parent, then (same
    // process, after exec) its SigBlk and SigIgn.
    let probe = "read -r s < /proc/$$/stat; set -- $s; echo $1 $5 $4; \
                 exec grep -E '^Sig(Blk|Ign)' /proc/self/status";
    for init in [Init::Mite, Init::As("tini")] {
        for pid1 in [false, true] {
            let what = format!("{init:?} pid1={pid1}");
            let mut c = init.start(pid1, &["--", "sh", "-c", probe]);
            let r = Running::start(default_rt_signals(&mut c).env("TINI_VERBOSITY", "0"));
            let mite_pid = r.pid().to_string();
            let o = r.finish(30);
            assert_eq!(o.code, Some(0), "{what}: {o:?}");
            let l = lines(&o.stdout);
            assert_eq!(l.len(), 3, "{what}: {o:?}");
            let ids: Vec<&str> = l[0].split(' ').collect();
            assert_eq!(
                ids[0], ids[1],
                "{what}: the child leads its own process group (pid pgrp ppid: {ids:?})"
            );
            if pid1 {
                assert_eq!(ids[2], "1", "{what}: the parent is PID 1");
            } else {
                assert_eq!(ids[2], mite_pid, "{what}: the parent is mite");
            }
            assert_eq!(
                &l[1..],
                ["SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"],
                "{what}"
            );
        }
    }
}

/// Started with signals blocked and ignored, mite hands exactly that
/// state to its child (it restores the mask it found; the ignored ones
/// survive exec as they do for any program).
#[test]
fn child_inherits_the_original_mask_and_ignored_signals() {
    let wrapper = "import os, signal, sys\n\
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP, signal.SIGUSR1, signal.SIGWINCH})\n\
        for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGTTIN, signal.SIGTTOU):\n\
        \x20   signal.signal(s, signal.SIG_IGN)\n\
        mine = [l for l in open('/proc/self/status').read().splitlines() if l.startswith(('SigBlk', 'SigIgn'))]\n\
        open(sys.argv[1], 'w').write('\\n'.join(mine) + '\\n')\n\
        os.execvp(sys.argv[2], sys.argv[2:])";
    let child_state = |init: Init| {
        let dir = tempdir("sigstate");
        let expected = dir.join("expected");
        let mut args: Vec<String> = vec![
            "-I".into(),
            "-S".into(),
            "-c".into(),
            wrapper.into(),
            expected.display().to_string(),
        ];
        args.extend(init.argv().iter().map(|a| a.to_string_lossy().into_owned()));
        args.extend(["--", "grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"].map(String::from));
        let o = run(
            Command::new(python())
                .args(&args)
                .env("TINI_VERBOSITY", "0"),
            30,
        );
        assert_eq!(o.code, Some(0), "{init:?}: {o:?}");
        (std::fs::read_to_string(expected).unwrap(), o.stdout)
    };
    if emulator_limit("signals::child_inherits_the_original_mask_and_ignored_signals") {
        for init in [Init::Mite, Init::As("tini")] {
            let (expected, mite) = child_state(init);
            let (_, tini) = child_state(Init::RefTini);
            assert_eq!(mite, tini, "{init:?} vs tini-static under the emulator");
            assert_ne!(
                mite, expected,
                "the emulator now passes the state on: drop the limit"
            );
        }
        return;
    }
    for init in [Init::Mite, Init::As("tini"), Init::RefTini] {
        let (expected, got) = child_state(init);
        assert!(
            expected.contains("SigBlk:\t0000000008000201"),
            "the wrapper's own state: {expected}"
        );
        assert_eq!(
            got, expected,
            "{init:?}: the child's SigBlk/SigIgn vs mite's at start"
        );
    }
}
