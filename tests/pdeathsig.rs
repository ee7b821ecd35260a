//! The parent-death signal (-p), by running the real binary: when mite's
//! parent dies, the kernel sends mite the signal, and mite forwards it to
//! its child like any other (or, for SIGKILL, dies of it). /proc does not
//! show a process's parent-death signal, so the behaviour is observed.
//!
//! Each scenario runs under a python driver that is PID 1 of a fresh PID
//! namespace, so that it reaps mite once mite's parent is gone and can say
//! how mite ended.
mod common;
use common::*;

/// usage: driver.py DIR AFTER -- INIT ARGS...
/// Forks a parent, which starts INIT ARGS... as its child, waits until the
/// recorder DIR/r is ready (so mite has set itself up) and exits (if mite
/// exits first, the parent reports "exited early", and the driver waits on
/// nothing more). If AFTER
/// is not 0, the driver sends that signal to mite 0.5 s after the parent
/// died (a control for "nothing else happened"). Prints how mite ended:
/// "exited N" or "killed N".
const DRIVER: &str = r#"
import os, signal, sys, time
d, after, argv = sys.argv[1], int(sys.argv[2]), sys.argv[4:]
signal.alarm(40)
parent = os.fork()
if parent == 0:
    pid = os.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    with open(d + '/init.pid', 'w') as f:
        f.write(str(pid))
    deadline = time.time() + 30
    while not os.path.exists(d + '/r.ready') and time.time() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            print('exited early', flush=True)
            os._exit(1)
        time.sleep(0.01)
    os._exit(0)
if os.waitstatus_to_exitcode(os.waitpid(parent, 0)[1]):
    sys.exit(0)
init = int(open(d + '/init.pid').read())
if after:
    time.sleep(0.5)
    os.kill(init, after)
while True:
    pid, st = os.waitpid(-1, 0)
    if pid == init:
        if os.WIFEXITED(st):
            print('exited', os.WEXITSTATUS(st))
        else:
            print('killed', os.WTERMSIG(st))
        break
"#;

/// Runs `init opts -- recorder exit=SIG:42` under the driver; returns the
/// driver's report and the signals the recorder got.
fn scenario(init: Init, opts: &[&str], exit_on: i32, after: i32) -> (String, Vec<i32>) {
    let rec = Recorder::new("pdeath");
    let driver = rec.path("driver.py");
    std::fs::write(&driver, DRIVER).unwrap();
    let mut args: Vec<String> = vec!["-I".into(), "-S".into(), driver.display().to_string()];
    args.push(rec.dir.display().to_string());
    args.push(after.to_string());
    args.push("--".into());
    args.extend(init.argv().iter().map(|a| a.to_string_lossy().into_owned()));
    args.extend(opts.iter().map(|s| s.to_string()));
    args.push("--".into());
    args.extend(rec.argv("r", &[&format!("exit={exit_on}:42")]));
    let mut c = std::process::Command::new("unshare");
    c.args(["--pid", "--fork", "--mount-proc", "--kill-child", python()])
        .args(&args);
    let o = run(c.env("TINI_VERBOSITY", "0"), 60);
    assert_eq!(o.code, Some(0), "{init:?} {opts:?}: driver: {o:?}");
    (o.stdout.trim().to_string(), rec.got("r"))
}

#[test]
fn parent_death_signal_is_forwarded_to_the_child() {
    let cases: &[(Init, &[&str])] = &[
        (Init::Mite, &["-p", "SIGUSR1"]),
        (Init::Mite, &["-p", "usr1"]),
        (Init::Mite, &["-p", "Usr1"]),
        (Init::Mite, &["-p", "10"]),
        (Init::Mite, &["-pUSR1"]),
        (Init::Mite, &["--pdeathsig", "USR1"]),
        (Init::Mite, &["--pdeathsig=sigusr1"]),
        (Init::Mite, &["-g", "-w", "-p", "SIGUSR1"]),
        (Init::As("tini"), &["-p", "SIGUSR1"]),
        (Init::As("tini"), &["-g", "-pSIGUSR1"]),
    ];
    for &(init, opts) in cases {
        let (report, got) = scenario(init, opts, 10, 0);
        assert_eq!(
            (report.as_str(), got),
            ("exited 42", vec![10]),
            "{init:?} {opts:?}"
        );
    }
}

/// Real-time signals by number. Under qemu-user the guest's real-time
/// signal n is the host's n + 2 (see `host_signal`).
#[test]
fn realtime_parent_death_signal_by_number() {
    for (opt, guest) in [("34", 34), ("40", 40), ("62", 62)] {
        let host = host_signal(guest).unwrap();
        let (report, got) = scenario(Init::Mite, &["-p", opt], host, 0);
        assert_eq!(
            (report.as_str(), got),
            ("exited 42", vec![host]),
            "-p {opt}"
        );
    }
}

#[test]
fn parent_death_sigkill_kills_mite() {
    let cases: &[(Init, &[&str])] = &[
        (Init::Mite, &["-p", "SIGKILL"]),
        (Init::Mite, &["-p", "kill"]),
        (Init::Mite, &["-p", "9"]),
        (Init::As("tini"), &["-p", "SIGKILL"]),
        (Init::RefTini, &["-p", "SIGKILL"]),
    ];
    for &(init, opts) in cases {
        let (report, got) = scenario(init, opts, 10, 0);
        assert_eq!(
            (report.as_str(), got),
            ("killed 9", vec![]),
            "{init:?} {opts:?}"
        );
    }
}

/// The control: without -p the parent's death changes nothing; the child
/// gets only the SIGUSR2 the driver sends mite afterwards.
#[test]
fn without_pdeathsig_the_parent_death_changes_nothing() {
    for init in [Init::Mite, Init::As("tini")] {
        let (report, got) = scenario(init, &[], 12, 12);
        assert_eq!((report.as_str(), got), ("exited 42", vec![12]), "{init:?}");
    }
}

/// A different signal than the one the child waits for still reaches it,
/// and the reference tini does the same with the same option.
#[test]
fn parent_death_signal_like_the_reference_tini() {
    for init in [Init::As("tini"), Init::RefTini] {
        let (report, got) = scenario(init, &["-p", "SIGHUP"], 1, 0);
        assert_eq!((report.as_str(), got), ("exited 42", vec![1]), "{init:?}");
    }
}
