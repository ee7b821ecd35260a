//! Zombie reaping, by running the real binary: as PID 1 mite reaps every
//! orphan re-parented to it; not PID 1, it does so as a subreaper (-s,
//! TINI_SUBREAPER) and otherwise warns that it cannot; -w reports each
//! zombie reaped.
mod common;
use common::*;

/// A `sh` script that makes `n` orphans (each started by a subshell that
/// exits at once; some end before their parent does, some after), then
/// writes `marker` and becomes `sleep 30`.
fn orphans_then_sleep(n: usize, marker: &std::path::Path) -> String {
    format!(
        "i=0; while [ $i -lt {n} ]; do (sleep 0.$((i % 3)) &); i=$((i+1)); done; \
         echo > {}; exec sleep 30",
        marker.display()
    )
}

/// The lines of `stderr` that report a reaped zombie, in the personality's
/// format; their pids.
fn reaped(init: Init, pid: &str, stderr: &str) -> (Vec<u32>, Vec<String>) {
    let prefix = if init.is_tini() {
        format!("[WARN  tini ({pid})] Reaped zombie process with pid=")
    } else {
        "mite: Reaped zombie process with pid=".to_string()
    };
    let mut pids = Vec::new();
    let mut other = Vec::new();
    for l in stderr.lines() {
        match l.strip_prefix(&prefix).and_then(|p| p.parse().ok()) {
            Some(p) => pids.push(p),
            None => other.push(l.to_string()),
        }
    }
    (pids, other)
}

#[test]
fn subreaper_reaps_orphans() {
    let cases: &[(Init, &[&str], Env)] = &[
        (Init::Mite, &["-s"], None),
        (Init::Mite, &["--subreaper"], None),
        (Init::Mite, &[], Some(("TINI_SUBREAPER", "1"))),
        (Init::Mite, &[], Some(("TINI_SUBREAPER", ""))),
        (Init::As("tini"), &["-s"], None),
        (Init::As("tini"), &[], Some(("TINI_SUBREAPER", "1"))),
    ];
    let limited = emulator_limit("reaping::subreaper_reaps_orphans");
    for &(init, opts, env) in cases {
        let what = format!("{init:?} {opts:?} {env:?}");
        let dir = tempdir("subreaper");
        let marker = dir.join("made");
        let script = orphans_then_sleep(20, &marker);
        let start = |init: Init| {
            // tini has no long options: -s for --subreaper.
            let opts: Vec<&str> = match init {
                Init::RefTini => opts
                    .iter()
                    .map(|&o| if o == "--subreaper" { "-s" } else { o })
                    .collect(),
                _ => opts.to_vec(),
            };
            let mut c = init.cmd(&cat(&opts, &["-w", "--", "sh", "-c", &script]));
            if let Some((k, v)) = env {
                c.env(k, v);
            }
            Running::start(&mut c)
        };
        if limited {
            // The emulator refuses PR_SET_CHILD_SUBREAPER: mite fails at
            // set-up (exit 1, no child), and so does tini-static.
            let o = start(init).finish(30);
            let made = marker.exists();
            let t = start(Init::RefTini).finish(30);
            assert_eq!((o.code, made), (Some(1), false), "{what}: {o:?}");
            assert!(o.stderr.contains("Invalid argument"), "{what}: {o:?}");
            assert_eq!(
                (t.code, marker.exists()),
                (Some(1), false),
                "tini-static {opts:?} {env:?}: {t:?}"
            );
            assert!(
                t.stderr.contains("PR_SET_CHILD_SUBREAPER"),
                "tini-static: {t:?}"
            );
            continue;
        }
        let r = start(init);
        let pid = r.pid();
        wait_for(30, || marker.exists().then_some(()))
            .unwrap_or_else(|| panic!("{what}: no orphans made"));
        // Every orphan ends re-parented to mite and reaped while mite still
        // runs: its only child left is the main one, no zombie.
        let settled = wait_for(20, || {
            (children_of(pid).len() == 1 && zombies_of(pid).is_empty()).then_some(())
        });
        let left = (children_of(pid), zombies_of(pid));
        kill(pid as i32, 15);
        let o = r.finish(30);
        assert!(
            settled.is_some(),
            "{what}: children and zombies of mite left: {left:?}; {o:?}"
        );
        assert_eq!(o.code, Some(143), "{what}: {o:?}");
        let (pids, other) = reaped(init, &pid.to_string(), &o.stderr);
        assert_eq!(pids.len(), 20, "{what}: one -w line per orphan; {o:?}");
        assert!(
            other.is_empty(),
            "{what}: no other message (no warning with -s): {other:?}"
        );
    }
}

/// Neither PID 1 nor a subreaper: a warning with tini's key phrase
/// `zombie reaping won't work`, which tools grep for. mite is a subreaper
/// by default, so it warns only when told not to be one (MITE_SUBREAPER=0);
/// tini always, as tini.
#[test]
fn warns_when_neither_pid1_nor_subreaper() {
    for (init, env) in [
        (Init::Mite, vec![("MITE_SUBREAPER", "0")]),
        (Init::Mite, vec![("MITE_SUBREAPER", "0"), ("TINI_VERBOSITY", "0")]),
        (Init::As("tini"), vec![]),
        (Init::As("tini"), vec![("TINI_VERBOSITY", "0")]),
    ] {
        let mut c = init.cmd(&["--", "sh", "-c", "exit 3"]);
        c.envs(env.iter().copied());
        let r = Running::start(&mut c);
        let pid = r.pid();
        let o = r.finish(20);
        let what = format!("{init:?} {env:?}: {o:?}");
        assert_eq!(o.code, Some(3), "{what}");
        assert_eq!(o.stdout, "", "{what}");
        if env.iter().any(|e| e.0 == "TINI_VERBOSITY") {
            assert_eq!(o.stderr, "", "{what}");
            continue;
        }
        let l = lines(&o.stderr);
        assert_eq!(l.len(), 1, "one line: {what}");
        let prefix = if init.is_tini() {
            format!("[WARN  tini ({pid})] Tini is not running as PID 1")
        } else {
            "mite: not running as PID 1".into()
        };
        assert!(
            l[0].starts_with(&prefix)
                && l[0].contains("subreaper")
                && l[0].contains("zombie reaping won't work"),
            "{what}"
        );
    }
}

/// mite's own CLI registers as a subreaper when not PID 1 (as catatonit
/// does), without being asked: orphans are re-parented to it and reaped,
/// and it says nothing about it.
#[test]
fn mite_is_a_subreaper_by_default() {
    let limited = emulator_limit("reaping::mite_is_a_subreaper_by_default");
    let dir = tempdir("default-reaper");
    let marker = dir.join("made");
    let script = orphans_then_sleep(20, &marker);
    let mut c = mite(&["-w", "--", "sh", "-c", &script]);
    c.env_remove("TINI_SUBREAPER").env_remove("MITE_SUBREAPER");
    let r = Running::start(&mut c);
    let pid = r.pid();
    wait_for(30, || marker.exists().then_some(()))
        .unwrap_or_else(|| panic!("mite: no orphans made"));
    if limited {
        // The emulator refuses PR_SET_CHILD_SUBREAPER: by default mite only
        // warns and runs the program; tini-static -s fails the same prctl.
        kill(pid as i32, 15);
        let o = r.finish(30);
        assert_eq!(o.code, Some(143), "{o:?}");
        assert!(o.stderr.contains("zombie reaping won't work"), "{o:?}");
        let t = run(&mut Init::RefTini.cmd(&["-s", "--", "true"]), 30);
        assert_eq!(t.code, Some(1), "tini-static -s: {t:?}");
        assert!(t.stderr.contains("PR_SET_CHILD_SUBREAPER"), "{t:?}");
        return;
    }
    let settled = wait_for(20, || {
        (children_of(pid).len() == 1 && zombies_of(pid).is_empty()).then_some(())
    });
    let left = (children_of(pid), zombies_of(pid));
    kill(pid as i32, 15);
    let o = r.finish(30);
    assert!(settled.is_some(), "children and zombies of mite left: {left:?}; {o:?}");
    assert_eq!(o.code, Some(143), "{o:?}");
    let (pids, other) = reaped(Init::Mite, "", &o.stderr);
    assert_eq!(pids.len(), 20, "one -w line per orphan; {o:?}");
    assert!(other.is_empty(), "no other message, no warning: {other:?}");
}

#[test]
fn no_warning_as_pid1() {
    for init in [Init::Mite, Init::As("tini")] {
        let o = run(&mut init.pid1(&["--", "sh", "-c", "exit 3"]), 20);
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (Some(3), "", ""),
            "{init:?}: {o:?}"
        );
    }
}

/// Run as the main child of PID 1: makes `n` orphans (their parents exit
/// at once, so they are re-parented to PID 1), then watches /proc of the
/// namespace until no process but PID 1 and itself is left, or 30 s pass.
/// Prints "<others left> <zombies among them>" and exits 0 if none is left.
fn pid1_script(n: usize) -> String {
    let check = "import os, time\n\
        me = os.getpid()\n\
        def left():\n\
        \x20   ps = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, me)]\n\
        \x20   st = []\n\
        \x20   for p in ps:\n\
        \x20       try: st.append(open('/proc/%s/stat' % p).read().split(') ')[1][0])\n\
        \x20       except OSError: pass\n\
        \x20   return st\n\
        deadline = time.time() + 30\n\
        while left() and time.time() < deadline:\n\
        \x20   time.sleep(0.02)\n\
        st = left()\n\
        print(len(st), st.count('Z'))\n\
        raise SystemExit(1 if st else 0)";
    format!(
        "i=0; while [ $i -lt {n} ]; do (true &); i=$((i+1)); done; exec {} -I -S -c \"{check}\"",
        python()
    )
}

#[test]
fn pid1_reaps_1000_orphans() {
    let o = run(&mut pid1(&["--", "sh", "-c", &pid1_script(1000)]), 90);
    assert_eq!(o.code, Some(0), "{o:?}");
    assert_eq!(
        o.stdout, "0 0\n",
        "processes and zombies left in the namespace"
    );
    assert_eq!(o.stderr, "");
}

#[test]
fn warn_reap_reports_each_zombie_as_pid1() {
    for (init, n) in [(Init::Mite, 1000), (Init::As("tini"), 100)] {
        let o = run(
            &mut init.pid1(&["-w", "--", "sh", "-c", &pid1_script(n)]),
            90,
        );
        assert_eq!(o.code, Some(0), "{init:?}: {o:?}");
        assert_eq!(o.stdout, "0 0\n", "{init:?}: processes and zombies left");
        let (mut pids, other) = reaped(init, "1", &o.stderr);
        assert!(other.is_empty(), "{init:?}: other messages: {other:?}");
        pids.sort();
        pids.dedup();
        assert_eq!(
            pids.len(),
            n,
            "{init:?}: one line per orphan, distinct pids"
        );
        assert!(pids.iter().all(|&p| p > 1), "{init:?}");
    }
}

/// Debian's tini reports a reaped zombie in the same format.
#[test]
fn warn_reap_format_matches_the_reference_tini() {
    let o = run(
        &mut Init::RefTini.pid1(&["-w", "--", "sh", "-c", &pid1_script(10)]),
        60,
    );
    assert_eq!(o.code, Some(0), "{o:?}");
    let (pids, other) = reaped(Init::RefTini, "1", &o.stderr);
    assert_eq!((pids.len(), other.len()), (10, 0), "{o:?}");
}
