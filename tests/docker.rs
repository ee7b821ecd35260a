//! mite as Docker's init, end to end: a private dockerd (Debian's docker.io
//! 20.10) started and stopped by each test (tests/docker/daemon.rs), whose
//! daemon.json "init-path" is the mite binary under test. Docker bind-mounts
//! it as /sbin/docker-init and runs `/sbin/docker-init -- CMD...` for
//! `docker run --init` and compose's `init: true`: mite's tini personality.
//!
//! Images are FROM scratch, built here from examples/ (busybox-static as
//! the workload); mite's own image comes from scripts/image.sh (podman) by
//! `podman save` + `docker load`. Nothing is pulled: every run and build
//! has `--network none`, every run `--pull never`.
//!
//! Every wait is for a condition (a complete line, a process, a state),
//! bounded, and says what it waited for. The one timing assertion is a
//! relation with wide margins: without an init `docker stop` waits out its
//! timeout (and SIGKILLs: 137); with mite it ends before it, by the
//! forwarded SIGTERM (143). The timeout is long (6 s, compose's 10 s) next
//! to a stop under mite (about 0.15 s; docker-compose, a Python program,
//! adds about a second, more on a busy machine), so load cannot flip it.
//!
//! Needs (scripts/setup.sh): docker.io, docker-compose, tini (PID 1 of the
//! daemons' namespaces), busybox-static, podman with runc, qemu-user-static
//! with binfmt_misc for arm64, the arm64 busybox in target/refs/arm64, the
//! aarch64-unknown-linux-musl target.
mod common;
#[path = "docker/daemon.rs"]
mod daemon;

use common::*;
use daemon::*;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A program that says it started and never handles SIGTERM: `exec` makes
/// busybox `sleep` the shell's successor (PID 1 without an init).
const READY_THEN_SLEEP: &str = "echo ready; exec sleep 1000";

/// A copy of the mite binary under test on the host, under the file name
/// `name` (Docker shows the init binary's base name in `docker version`).
fn init_named(name: &str) -> PathBuf {
    let dir = run_dir().join(format!("init-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    if !p.exists() {
        std::fs::copy(Arch::Amd64.mite(), &p).unwrap();
    }
    p
}

/// `docker stop --time` of the stop tests: long enough that "ended before
/// the timeout" cannot fail for a busy machine.
const STOP_SECS: u32 = 6;

/// `docker-compose stop -t` (compose's default).
const COMPOSE_STOP_SECS: u32 = 10;

/// The stop under mite: the program dies of the forwarded SIGTERM (143)
/// before the stop timeout (it takes about 0.15 s here); without the
/// forwarding Docker would SIGKILL it at the timeout (137).
#[track_caller]
fn assert_stops_at_once(d: &Daemon, ctr: &str, label: &str) -> Duration {
    let (took, code) = d.stop(ctr, STOP_SECS);
    eprintln!("docker stop --time {STOP_SECS}, {label}: {took:.2?}, exit {code}");
    // 143, not the 137 of Docker's SIGKILL at the timeout: the time is
    // printed, not asserted (a loaded machine makes dockerd itself slow).
    assert_eq!(code, 143, "{label}: dies of the forwarded SIGTERM");
    took
}

/// PID 1 of the container is Docker's init, the host's mite binary: its
/// command line and its bytes (sha256 of /proc/1/exe inside).
#[track_caller]
fn assert_pid1_is_docker_init(d: &Daemon, ctr: &str, program: &[&str]) {
    let cmdline = d.ok(&["exec", ctr, "cat", "/proc/1/cmdline"]);
    let want: Vec<&str> = ["/sbin/docker-init", "--"]
        .into_iter()
        .chain(program.iter().copied())
        .collect();
    assert_eq!(
        cmdline
            .trim_end_matches('\0')
            .split('\0')
            .collect::<Vec<_>>(),
        want,
        "/proc/1/cmdline of {ctr}"
    );
    let inside = d.ok(&["exec", ctr, "sha256sum", "/proc/1/exe"]);
    assert_eq!(
        inside.split_whitespace().next(),
        Some(&sha256(&Arch::Amd64.mite())[..]),
        "{ctr}: /proc/1/exe is the mite binary under test"
    );
}

/// The stop problem: PID 1 has no default signal actions, so `sleep`
/// without an init ignores `docker stop`, which waits out `--time` and
/// SIGKILLs (137). With `--init` (mite as /sbin/docker-init) the SIGTERM
/// reaches `sleep`, which dies of it at once (143).
#[test]
fn docker_stop_waits_out_the_timeout_without_init_and_not_with_mite() {
    let s = serial();
    let d = Daemon::start(&s, &init_named("mite"));
    let image = d.image(Image::Busybox(Arch::Amd64));

    let bare = d.detached("bare", &[&image, "sh", "-c", READY_THEN_SLEEP]);
    let init = d.detached("init", &["--init", &image, "sh", "-c", READY_THEN_SLEEP]);
    for c in [&bare, &init] {
        d.wait_log(c, "ready", 30);
        d.wait_exec(c, "sleep 1000", 30);
    }
    assert_eq!(
        d.ok(&["exec", &bare, "cat", "/proc/1/comm"]),
        "sleep",
        "no init: sleep is PID 1"
    );
    assert_pid1_is_docker_init(&d, &init, &["sh", "-c", READY_THEN_SLEEP]);

    let (bare_took, bare_code) = d.stop(&bare, STOP_SECS);
    eprintln!(
        "docker stop --time {STOP_SECS}, sleep as PID 1 (no init): {bare_took:.2?}, exit {bare_code}"
    );
    assert_eq!(bare_code, 137, "no init: SIGKILL after the timeout");
    assert!(
        bare_took >= Duration::from_secs(u64::from(STOP_SECS)),
        "no init: docker stop ended before its timeout ({bare_took:?}): did sleep die of SIGTERM as PID 1?"
    );
    assert_stops_at_once(&d, &init, "sleep under docker-init (mite)");
}

/// Orphans are re-parented to PID 1. The same program leaves 100 orphans:
/// with `sleep` as PID 1 they stay zombies (101 with the loop's shell);
/// under mite none is left. `docker top` shows no `<defunct>` entry under
/// mite, and none without an init either: it lists the processes of the
/// container's cgroup, which a process leaves when it exits, so zombies
/// never show there; they are counted from /proc inside the container.
#[test]
fn orphans_are_reaped_under_docker_init() {
    let s = serial();
    let d = Daemon::start(&s, &init_named("mite"));
    let image = d.image(Image::Busybox(Arch::Amd64));
    let script = &orphans_script(100);

    let bare = d.detached("bare", &[&image, "sh", "-c", script]);
    let init = d.detached("init", &["--init", &image, "sh", "-c", script]);
    d.wait_log(&bare, "made", 60);
    d.wait_log(&init, "made", 60);

    let left = wait_for(20, || Some(d.zombies(&bare)).filter(|&n| n >= 101));
    assert!(
        left.is_some(),
        "waited 20 s for the 101 zombies without an init; there are {}",
        d.zombies(&bare)
    );
    let reaped = wait_for(20, || Some(d.zombies(&init)).filter(|&n| n == 0));
    assert!(
        reaped.is_some(),
        "waited 20 s for no zombie under mite; there are {}",
        d.zombies(&init)
    );
    eprintln!(
        "zombies after 100 orphans: {} with sleep as PID 1, 0 under mite",
        left.unwrap()
    );

    // Orphans of a `docker exec` process: the exec'd process's parent is
    // outside the container, its orphans go to the namespace's PID 1.
    let orphans = "for i in $(seq 50); do sh -c 'sleep 0 &'; done";
    for c in [&bare, &init] {
        d.ok(&["exec", c, "sh", "-c", orphans]);
    }
    let left = wait_for(20, || Some(d.zombies(&bare)).filter(|&n| n >= 151));
    assert!(
        left.is_some(),
        "waited 20 s for 151 zombies without an init after docker exec; there are {}",
        d.zombies(&bare)
    );
    let reaped = wait_for(20, || Some(d.zombies(&init)).filter(|&n| n == 0));
    assert!(
        reaped.is_some(),
        "waited 20 s for no zombie under mite after docker exec; there are {}",
        d.zombies(&init)
    );

    for c in [&bare, &init] {
        let top = d.ok(&["top", c, "-o", "pid,ppid,stat,args"]);
        assert!(
            !top.contains("<defunct>")
                && !top.lines().skip(1).any(|l| l
                    .split_whitespace()
                    .nth(2)
                    .is_some_and(|s| s.starts_with('Z'))),
            "docker top {c} shows a zombie:\n{top}"
        );
        if c == &init {
            let args: Vec<&str> = top
                .lines()
                .skip(1)
                .filter_map(|l| l.split_whitespace().nth(3))
                .collect();
            assert_eq!(
                args,
                ["/sbin/docker-init", "sleep"],
                "docker top {c}:\n{top}"
            );
        }
    }
    assert_stops_at_once(&d, &init, "sleep under mite after the orphans");
}

/// A program that records each signal it gets as a line of /rec/got (a
/// bind-mounted host directory), and says when it is ready.
fn recorder(sigs: &[&str]) -> String {
    let traps: String = sigs
        .iter()
        .map(|s| format!("trap 'echo {s} >> /rec/got' {s}; "))
        .collect();
    format!("{traps}echo ready >> /rec/got; while :; do sleep 0.1; done")
}

/// Runs the recorder under `docker run --init`, sends each signal with
/// `docker kill -s` and waits for its line; then stops it (143: the
/// recorder has no TERM trap).
fn kill_and_record(tag: &str, sigs: &[&str]) {
    let s = serial();
    let d = Daemon::start(&s, &init_named("mite"));
    let image = d.image(Image::Busybox(Arch::Amd64));
    let rec = d.dir.join(format!("rec-{tag}"));
    std::fs::create_dir_all(&rec).unwrap();
    let got = rec.join("got");
    let vol = format!("{}:/rec", rec.display());
    let script = recorder(sigs);
    let c = d.detached(tag, &["--init", "-v", &vol, &image, "sh", "-c", &script]);
    wait_file_line(&got, "ready", 30);
    let mut want = String::from("ready\n");
    for sig in sigs {
        d.ok(&["kill", "--signal", sig, &c]);
        wait_file_line(&got, sig, 10);
        want += &format!("{sig}\n");
        assert_eq!(
            std::fs::read_to_string(&got).unwrap(),
            want,
            "each signal once, in order"
        );
    }
    assert_eq!(d.inspect(&c, "{{.State.Status}}"), "running");
    assert_stops_at_once(&d, &c, &format!("the recorder after {sigs:?}"));
}

/// `docker kill -s HUP` and `-s USR1` signal PID 1, mite; it forwards them
/// to the program.
#[test]
fn docker_kill_hup_and_usr1_reach_the_program() {
    kill_and_record("hup-usr1", &["HUP", "USR1"]);
}

/// `docker kill -s ABRT` too. A signal left at its default action never
/// reaches a PID namespace's init: tini leaves SIGABRT (and the other
/// synchronous signals) unblocked, so under Debian's docker-init
/// (tini-static) this kill is lost (tini#104). mite must forward it.
#[test]
fn docker_kill_abrt_reaches_the_program() {
    kill_and_record("abrt", &["ABRT"]);
}

/// Exit statuses through `docker run --init`: `docker wait` and
/// `docker inspect` report the program's exit code, or 128+N when signal N
/// killed it, and 127 with mite's message for a missing program. Exit
/// codes sampled over 0..255 (both ends, around 126-129, a few between);
/// signals that kill busybox sh by default.
#[test]
fn exit_codes_come_back_through_docker_wait_and_inspect() {
    let s = serial();
    let d = Daemon::start(&s, &init_named("mite"));
    let image = d.image(Image::Busybox(Arch::Amd64));
    let mut cases: Vec<(String, i32)> = [
        0, 1, 2, 3, 42, 64, 100, 125, 126, 127, 128, 129, 200, 254, 255,
    ]
    .iter()
    .map(|&c| (format!("exit {c}"), c))
    .collect();
    for (sig, n) in [
        ("HUP", 1),
        ("INT", 2),
        ("ALRM", 14),
        ("ABRT", 6),
        ("KILL", 9),
        ("USR1", 10),
        ("SEGV", 11),
        ("USR2", 12),
        ("TERM", 15),
    ] {
        cases.push((format!("kill -{sig} $$"), 128 + n));
    }

    // All at once (docker run -d), then one `docker wait` for all of them.
    let names: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, (script, _))| {
            d.detached(&format!("c{i}"), &["--init", &image, "sh", "-c", script])
        })
        .collect();
    let mut args = vec!["wait"];
    args.extend(names.iter().map(String::as_str));
    let waited = d.ok(&args);
    let waited: Vec<&str> = waited.lines().collect();
    assert_eq!(
        waited.len(),
        cases.len(),
        "one status per container: {waited:?}"
    );
    for ((script, code), (name, w)) in cases.iter().zip(names.iter().zip(&waited)) {
        assert_eq!(*w, code.to_string(), "docker wait: sh -c '{script}'");
        assert_eq!(
            d.inspect(
                name,
                "{{.State.Status}} {{.State.ExitCode}} {{.HostConfig.Init}}"
            ),
            format!("exited {code} true"),
            "docker inspect: sh -c '{script}'"
        );
    }

    // In the foreground, `docker run` exits with the container's status.
    for (script, code) in [("exit 7", 7), ("kill -USR2 $$", 140), ("exit 255", 255)] {
        let o = d.run(&["--init", &image, "sh", "-c", script]);
        assert_eq!(
            o.code,
            Some(code),
            "docker run --init: sh -c '{script}': {o:#?}"
        );
    }
    let o = d.run(&["--init", &image, "/no/such/program"]);
    assert_eq!(o.code, Some(127), "{o:#?}");
    assert!(
        o.stderr.contains("/no/such/program") && o.stderr.contains("No such file or directory"),
        "mite (as tini) names the program and the error: {o:#?}"
    );
}

/// daemon.json `"init": true` makes mite the init of every container, as
/// `docker run --init` does for one; `--init=false` opts out. mite also
/// runs as an unprivileged user with no capabilities, a read-only root and
/// no-new-privileges.
#[test]
fn daemon_json_init_true_puts_mite_under_every_container() {
    let s = serial();
    let d = Daemon::start_with(&s, &init_named("mite"), "\"init\": true");
    let image = d.image(Image::Busybox(Arch::Amd64));

    let c = d.detached("default", &[&image, "sh", "-c", READY_THEN_SLEEP]);
    d.wait_log(&c, "ready", 30);
    d.wait_exec(&c, "sleep 1000", 30);
    assert_eq!(
        d.inspect(&c, "{{.HostConfig.Init}}"),
        "<nil>",
        "no --init given"
    );
    assert_pid1_is_docker_init(&d, &c, &["sh", "-c", READY_THEN_SLEEP]);
    assert_stops_at_once(&d, &c, "sleep under the daemon's default init (mite)");

    let o = d.run(&["--init=false", &image, "cat", "/proc/1/cmdline"]);
    assert_eq!(
        (o.code, &o.stdout[..]),
        (Some(0), "cat\0/proc/1/cmdline\0"),
        "{o:#?}"
    );

    let locked = [
        "--user",
        "65534:65534",
        "--cap-drop",
        "ALL",
        "--read-only",
        "--security-opt",
        "no-new-privileges",
    ];
    let args = [&locked[..], &[&image, "sh", "-c", "id -u; exit 9"]].concat();
    let o = d.run(&args);
    assert_eq!((o.code, &o.stdout[..]), (Some(9), "65534\n"), "{o:#?}");
    let args = [&locked[..], &[&image, "sh", "-c", READY_THEN_SLEEP]].concat();
    let c = d.detached("locked", &args);
    d.wait_log(&c, "ready", 30);
    d.wait_exec(&c, "sleep 1000", 30);
    assert_stops_at_once(&d, &c, "mite as uid 65534, no capabilities, read-only");
}

/// What the binary under test says its commit is: the `git.COMMIT` of its
/// `--version` line, `tini version 0.19.0 (mite X.Y.Z) - git.COMMIT`.
fn version_of(init: &Path) -> (String, String) {
    let o = run(&mut command_for(init, &["--version"]), 20);
    assert_eq!(o.code, Some(0), "{} --version: {o:#?}", init.display());
    let line = o.stdout.trim_end();
    let (version, commit) = line
        .strip_prefix("tini version ")
        .and_then(|r| r.split_once(" - git."))
        .unwrap_or_else(|| panic!("{} --version: {line:?}", init.display()));
    let hex = commit.strip_suffix("-dirty").unwrap_or(commit);
    assert!(
        hex.len() == 12 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        "a 12-digit commit (-dirty): {line:?}"
    );
    (version.to_string(), commit.to_string())
}

/// The lines of the daemon's log in which it fails to read or parse its
/// init binary's `--version` (moby's parseInitVersion).
fn version_warnings(d: &Daemon) -> Vec<String> {
    d.log_text()
        .lines()
        .filter(|l| l.contains("failed to parse") || l.contains("failed to retrieve"))
        .map(str::to_string)
        .collect()
}

/// `docker info` and `docker version` show mite's version and commit, with
/// no parse warning in the daemon's log, whatever the host binary is
/// named: `mite`, or `docker-init` as Docker installs its own. Docker runs
/// `<init-path> --version` on the host for each of them. A control daemon
/// whose init prints `mite 0.1.0` (what mite printed before) shows the
/// warning and N/A, so the absence of the warning means something.
#[test]
fn docker_info_and_version_show_mites_commit() {
    let s = serial();
    let (version, commit) = version_of(&Arch::Amd64.mite());
    if std::env::var_os("MITE_BIN").is_none() && option_env!("MITE_COMMIT").is_none() {
        let o = run(
            std::process::Command::new("git")
                .arg("-C")
                .arg(repo())
                .args(["rev-parse", "HEAD"]),
            20,
        );
        let head = o.stdout.trim();
        assert!(
            head.starts_with(commit.trim_end_matches("-dirty")),
            "the binary's commit {commit} is the checkout's HEAD {head}"
        );
    }
    for name in ["mite", "docker-init"] {
        let d = Daemon::start(&s, &init_named(name));
        let ids = d.ok(&[
            "info",
            "--format",
            "{{.InitBinary}} {{.InitCommit.ID}} {{.InitCommit.Expected}}",
        ]);
        assert_eq!(
            ids,
            format!("{} {commit} {commit}", init_named(name).display()),
            "docker info, init binary named {name}"
        );
        let info = d.ok(&["info"]);
        assert!(
            info.lines()
                .any(|l| l.trim() == format!("init version: {commit}")),
            "docker info, init binary named {name}:\n{info}"
        );
        let components = d.ok(&[
            "version",
            "--format",
            "{{range .Server.Components}}{{.Name}}|{{.Version}}|{{.Details.GitCommit}}\n{{end}}",
        ]);
        assert!(
            components
                .lines()
                .any(|l| l == format!("{name}|{version}|{commit}")),
            "docker version: a component {name}, version {version}, commit {commit}:\n{components}"
        );
        let text = d.ok(&["version"]);
        assert!(
            text.contains(&format!(
                " {name}:\n  Version:          {version}\n  GitCommit:        {commit}"
            )),
            "docker version:\n{text}"
        );
        assert_eq!(
            version_warnings(&d),
            Vec::<String>::new(),
            "daemon log, init named {name}"
        );
        eprintln!("init binary named {name}: docker info 'init version: {commit}', docker version '{name}: {version} {commit}'");
    }

    // The control: an init whose --version Docker cannot parse.
    let old = run_dir().join("old-init");
    std::fs::create_dir_all(&old).unwrap();
    let fake = old.join("mite");
    std::fs::write(&fake, "#!/bin/sh\necho 'mite 0.1.0'\n").unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let d = Daemon::start(&s, &fake);
    assert_eq!(d.ok(&["info", "--format", "{{.InitCommit.ID}}"]), "N/A");
    let warnings = version_warnings(&d);
    assert!(
        warnings
            .iter()
            .any(|l| l.contains("failed to parse")
                && l.contains("unknown output format: mite 0.1.0")),
        "the control's warning: {warnings:?}"
    );
}

/// examples/docker-compose.yml with Debian's docker-compose: `init: true`
/// runs each service under mite (PID 1 is /sbin/docker-init, the host's
/// mite bytes); the job's orphans are reaped and its status comes back;
/// the server stops at once with 143.
#[test]
fn compose_init_true_runs_the_services_under_mite() {
    let s = serial();
    let d = Daemon::start(&s, &init_named("mite"));
    let image = d.image(Image::Busybox(Arch::Amd64));
    let file = repo().join("examples/docker-compose.yml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(&format!("image: {image}")) && text.contains("init: true"));
    let file = file.to_str().unwrap();
    let project = "mite";
    let compose = |args: &[&str]| {
        let mut a = vec!["-f", file, "-p", project];
        a.extend(args);
        let o = d.compose(&a);
        assert_eq!(o.code, Some(0), "docker-compose {args:?}: {o:#?}");
        o
    };
    compose(&["up", "-d"]);
    let (server, job) = ("mite_server_1", "mite_job_1");

    assert_eq!(d.ok(&["wait", job]), "3", "the job's status");
    assert_eq!(d.logs(job), "job: zombies left: 0\n");
    assert_eq!(
        d.inspect(job, "{{.State.ExitCode}} {{.HostConfig.Init}}"),
        "3 true"
    );

    d.wait_log(server, "server: up", 30);
    d.wait_exec(server, "sleep infinity", 30);
    let pid1 = compose(&["exec", "-T", "server", "cat", "/proc/1/cmdline"]).stdout;
    assert!(
        pid1.starts_with("/sbin/docker-init\0--\0sh\0-c\0"),
        "compose exec: /proc/1/cmdline {pid1:?}"
    );
    assert_pid1_is_docker_init(
        &d,
        server,
        &["sh", "-c", "echo server: up; exec sleep infinity"],
    );

    let t = Instant::now();
    compose(&["stop", "-t", &COMPOSE_STOP_SECS.to_string()]);
    let took = t.elapsed();
    eprintln!(
        "docker-compose stop -t {COMPOSE_STOP_SECS} of examples/docker-compose.yml: {took:.2?}"
    );
    assert_eq!(
        d.exit_code(server),
        143,
        "the server dies of the forwarded SIGTERM"
    );
    compose(&["down"]);
    assert_eq!(
        d.ok(&["ps", "-aq"]),
        "",
        "compose down removed the containers"
    );
}

/// `docker build` of the examples with the classic builder: examples/
/// Containerfile (mite as ENTRYPOINT), examples/Containerfile.multistage
/// with mite's own image from scripts/image.sh (podman save, docker load)
/// as MITE_IMAGE, and a Dockerfile with a literal
/// `COPY --from=<mite's image>` that installs mite as /sbin/tini; each one
/// run, its /mite compared with the binary under test.
#[test]
fn docker_builds_the_examples_and_copies_from_mites_image() {
    let s = serial();
    let images = mite_images();
    let d = Daemon::start(&s, &init_named("mite"));
    let mite_sha = sha256(&Arch::Amd64.mite());
    let file_sha = |image: &str, path: &str| {
        let o = d.run(&["--entrypoint", "/bin/sha256sum", image, path]);
        assert_eq!(o.code, Some(0), "{image}: sha256sum {path}: {o:#?}");
        o.stdout.split_whitespace().next().unwrap_or("").to_string()
    };

    // examples/Containerfile: built here, not through the cache.
    let example = d.build(
        "localhost/mite-example:built",
        &repo().join("examples/Containerfile"),
        &Arch::Amd64.context(),
        &[],
    );
    assert_eq!(file_sha(&example, "/mite"), mite_sha);
    let o = d.run(&[
        &example,
        "sh",
        "-c",
        "tr '\\0' ' ' </proc/1/cmdline; exit 3",
    ]);
    assert_eq!(
        (o.code, &o.stdout[..]),
        (
            Some(3),
            "/mite -- sh -c tr '\\0' ' ' </proc/1/cmdline; exit 3 "
        ),
        "{o:#?}"
    );
    let c = d.detached("example", &[&example, "sh", "-c", READY_THEN_SLEEP]);
    d.wait_log(&c, "ready", 30);
    d.wait_exec(&c, "sleep 1000", 30);
    assert_stops_at_once(&d, &c, "examples/Containerfile, mite as ENTRYPOINT");

    // mite's own image, as scripts/image.sh built it with podman.
    d.load(&images.tars[&Arch::Amd64]);
    let mite_image = images.tag(Arch::Amd64);
    let o = d.run(&[&mite_image]);
    assert_eq!(o.code, Some(0), "{mite_image} (CMD --version): {o:#?}");
    assert!(o.stdout.starts_with("tini version 0.19.0 (mite "), "{o:#?}");

    // examples/Containerfile.multistage: MITE_IMAGE names the per-arch tag.
    let base = d.image(Image::Busybox(Arch::Amd64));
    let args = [
        format!("MITE_IMAGE={mite_image}"),
        format!("BASE_IMAGE={base}"),
    ];
    let multi = d.build(
        "localhost/mite-multistage:latest",
        &repo().join("examples/Containerfile.multistage"),
        &repo().join("examples"),
        &["--build-arg", &args[0], "--build-arg", &args[1]],
    );
    assert_eq!(
        file_sha(&multi, "/mite"),
        mite_sha,
        "/mite copied from {mite_image}"
    );
    let o = d.run(&[&multi, "sh", "-c", "exit 5"]);
    assert_eq!(o.code, Some(5), "{o:#?}");

    // A literal COPY --from of mite's image: mite as /sbin/tini.
    let dockerfile = d.dir.join("Dockerfile.tini");
    std::fs::write(
        &dockerfile,
        format!(
            "FROM {base}\nCOPY --from={mite_image} /mite /sbin/tini\nENTRYPOINT [\"/sbin/tini\", \"--\"]\n"
        ),
    )
    .unwrap();
    let ctx = d.dir.join("empty-context");
    std::fs::create_dir_all(&ctx).unwrap();
    let tini = d.build("localhost/mite-as-tini:latest", &dockerfile, &ctx, &[]);
    assert_eq!(file_sha(&tini, "/sbin/tini"), mite_sha);
    let o = d.run(&[&tini, "sh", "-c", "echo out; echo err >&2; exit 7"]);
    assert_eq!(
        (o.code, &o.stdout[..], &o.stderr[..]),
        (Some(7), "out\n", "err\n"),
        "{o:#?}"
    );
    let c = d.detached("tini", &[&tini, "sh", "-c", READY_THEN_SLEEP]);
    d.wait_log(&c, "ready", 30);
    d.wait_exec(&c, "sleep 1000", 30);
    assert_stops_at_once(&d, &c, "mite as /sbin/tini (COPY --from)");
}

/// arm64 under qemu-user (binfmt_misc): `docker build --platform
/// linux/arm64` of examples/Containerfile (its RUN step runs emulated) and
/// of Containerfile.multistage with mite's arm64 image; `docker run
/// --platform linux/arm64` of both, `docker stop` included (143); and
/// `docker run --init` of an arm64 image, where Docker's init is the host's
/// x86_64 mite and only the program is emulated.
#[test]
fn arm64_images_run_under_qemu() {
    check_binfmt();
    let s = serial();
    let images = mite_images();
    let d = Daemon::start(&s, &init_named("mite"));
    let arm = ["--platform", "linux/arm64"];
    let with =
        |args: &[&str]| -> Vec<String> { arm.iter().chain(args).map(|s| s.to_string()).collect() };
    let run = |args: &[&str]| {
        let v = with(args);
        d.run(&v.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let start = |name: &str, args: &[&str]| {
        let v = with(args);
        d.detached(name, &v.iter().map(String::as_str).collect::<Vec<_>>())
    };

    let example = d.image(Image::Example(Arch::Arm64));
    assert_eq!(
        d.ok(&[
            "image",
            "inspect",
            "--format",
            "{{.Os}}/{{.Architecture}}",
            &example
        ]),
        "linux/arm64"
    );
    let o = run(&[
        &example,
        "sh",
        "-c",
        "uname -m; tr '\\0' ' ' </proc/1/cmdline; exit 3",
    ]);
    // PID 1 is the aarch64 /mite run by qemu: binfmt_misc puts the
    // interpreter and the file name before mite's own argv.
    assert_eq!(o.code, Some(3), "{o:#?}");
    assert!(
        o.stdout.starts_with("aarch64\n")
            && o.stdout.ends_with(
                " /mite /mite -- sh -c uname -m; tr '\\0' ' ' </proc/1/cmdline; exit 3 "
            ),
        "{o:#?}"
    );
    let o = run(&[&example, "sha256sum", "/mite"]);
    assert_eq!(
        o.stdout.split_whitespace().next(),
        Some(&sha256(&Arch::Arm64.mite())[..]),
        "{o:#?}"
    );
    let o = run(&[&example, "sh", "-c", "kill -USR2 $$"]);
    assert_eq!(o.code, Some(140), "{o:#?}");
    let c = start("example", &[&example, "sh", "-c", READY_THEN_SLEEP]);
    d.wait_log(&c, "ready", 60);
    d.wait_exec(&c, "sleep 1000", 60);
    assert_stops_at_once(&d, &c, "arm64 mite as ENTRYPOINT (qemu)");

    // Containerfile.multistage for arm64 from mite's arm64 image.
    d.load(&images.tars[&Arch::Arm64]);
    let mite_image = images.tag(Arch::Arm64);
    let base = d.image(Image::Busybox(Arch::Arm64));
    let args = [
        format!("MITE_IMAGE={mite_image}"),
        format!("BASE_IMAGE={base}"),
    ];
    let multi = d.build(
        "localhost/mite-multistage:arm64",
        &repo().join("examples/Containerfile.multistage"),
        &repo().join("examples"),
        &[
            "--platform",
            "linux/arm64",
            "--build-arg",
            &args[0],
            "--build-arg",
            &args[1],
        ],
    );
    let o = run(&[&multi, "sh", "-c", "od -An -tu2 -j18 -N2 /mite; exit 6"]);
    assert_eq!(
        (o.code, o.stdout.trim()),
        (Some(6), "183"),
        "aarch64 /mite: {o:#?}"
    );

    // --init with an arm64 program: the host's mite, an emulated child.
    let c = start("init", &["--init", &base, "sh", "-c", READY_THEN_SLEEP]);
    d.wait_log(&c, "ready", 60);
    d.wait_exec(&c, "sleep 1000", 60);
    assert_pid1_is_docker_init(&d, &c, &["sh", "-c", READY_THEN_SLEEP]);
    assert_stops_at_once(&d, &c, "arm64 sleep under the host's docker-init (mite)");
}

/// arm64 images run through qemu-user registered with binfmt_misc with the
/// P (keep argv[0]) and F (usable inside containers) flags.
fn check_binfmt() {
    let entry = "/proc/sys/fs/binfmt_misc/qemu-aarch64";
    let s = std::fs::read_to_string(entry)
        .unwrap_or_else(|e| panic!("{entry}: {e}: run scripts/setup.sh (binfmt_misc for arm64)"));
    assert!(s.starts_with("enabled"), "{entry} is disabled:\n{s}");
    let flags = s
        .lines()
        .find_map(|l| l.strip_prefix("flags: "))
        .unwrap_or("");
    assert!(
        flags.contains('F') && flags.contains('P'),
        "{entry} has flags '{flags}', needs P and F"
    );
}

/// Issue 9 through Docker: an injected init is passed nothing but `--`, so
/// mite reads its options from `MITE_*` variables, and `docker run --init
/// -e MITE_...` configures it. A background writer flushes a line to a
/// volume on SIGTERM. `docker stop` without a drain (docker-init's default,
/// as tini): the main program ends and the kernel SIGKILLs the writer, no
/// line. With `-e MITE_GRACE=10`: mite asks the writer to stop first and
/// waits for it, the line is there, and the stop still ends with the main
/// program's status (143). `-e MITE_REMAP_EXIT=143` turns that into 0.
#[test]
fn mite_variables_configure_docker_init() {
    let s = serial();
    let d = Daemon::start(&s, &init_named("mite"));
    let image = d.image(Image::Busybox(Arch::Amd64));
    let script = "(trap 'echo flushed >> /out/line; exit 0' TERM; \
                  while :; do sleep 0.1; done) & echo ready; exec sleep 1000";
    for (tag, env, flushed, code) in [
        ("nodrain", &[][..], false, 143),
        ("drain", &["-e", "MITE_GRACE=10"][..], true, 143),
        (
            "remap",
            &["-e", "MITE_GRACE=10", "-e", "MITE_REMAP_EXIT=143"][..],
            true,
            0,
        ),
    ] {
        let out = d.dir.join(format!("out-{tag}"));
        std::fs::create_dir_all(&out).unwrap();
        let vol = format!("{}:/out", out.display());
        let mut args = vec!["--init", "-v", &vol];
        args.extend_from_slice(env);
        args.extend_from_slice(&[&image, "sh", "-c", script]);
        let c = d.detached(tag, &args);
        d.wait_log(&c, "ready", 30);
        d.wait_exec(&c, "sleep 1000", 30);
        let (took, status) = d.stop(&c, STOP_SECS);
        eprintln!("{tag}: docker stop took {took:.2?}, exit {status}");
        // 143 or 0, never the 137 of Docker's SIGKILL at the timeout.
        assert_eq!(status, code, "{tag}: the main program's status");
        let line = std::fs::read_to_string(out.join("line")).unwrap_or_default();
        assert_eq!(
            line == "flushed\n",
            flushed,
            "{tag}: the writer's line on the volume: {line:?}"
        );
    }
}
