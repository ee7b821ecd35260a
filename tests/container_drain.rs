//! The graceful drain in a real container (issue 9's proof): `podman stop`
//! of a FROM scratch image whose entrypoint script starts a background
//! writer and then runs a main program in the foreground. On SIGTERM the
//! writer takes 1 s to flush a line to a volume (a host directory) and
//! exits; the main program (`sleep`) dies of SIGTERM at once.
//!
//! Under mite (the image's ENTRYPOINT, or `--init --init-path` with
//! `-e MITE_GRACE`) the main program's end starts the drain: the writer is
//! asked to stop, its line is on the volume and the stop takes about its
//! own shutdown time. Under tini, dumb-init and catatonit (each as podman's
//! `--init-path`) the init exits as soon as the main program does, the
//! kernel SIGKILLs the writer, and the line is lost. The test asserts both
//! sides and prints the stop table (run with `--nocapture`).
//!
//! Debian's dumb-init is linked dynamically: the image carries the host's
//! glibc loader and libc.so.6 (its only library) at their paths, so the
//! same binary runs inside it. tini-static and catatonit are static.
//!
//! Only amd64 (scripts/test.sh leaves this file out of the aarch64 run, as
//! tests/container.rs). Needs podman, runc, busybox-static, tini,
//! dumb-init, catatonit (scripts/setup.sh). Names start with
//! `mite-ctd-<pid of the test process>-`; what a killed run left behind is
//! removed by the next run.
mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Upper bound for any single podman command.
const PODMAN_SECS: u64 = 120;

/// The entrypoint: a background writer with a SIGTERM trap that works 1 s
/// (`sleep 1`: its shutdown work) before it writes its line (under a
/// temporary name, then renamed: the line is complete when it is there),
/// then the main program in the foreground.
const ENTRY_SH: &str = r#"#!/bin/sh
(
  trap 'sleep 1; echo "flushed by the writer" > /data/flushed.tmp; mv /data/flushed.tmp /data/flushed; exit 0' TERM
  echo ready > /data/writer.ready
  while :; do sleep 1 & wait $!; done
) &
echo started
exec sleep 1000
"#;

/// The shutdown time of the writer (the `sleep 1` of its trap).
const WRITER_SECS: f64 = 1.0;

/// The name prefix of everything this test process creates.
fn prefix() -> String {
    format!("mite-ctd-{}-", std::process::id())
}

/// One podman session: its containers.conf, and what it made, removed on
/// drop (also when the test fails).
struct Podman {
    dir: PathBuf,
    conf: PathBuf,
    containers: Vec<String>,
    images: Vec<String>,
}

impl Podman {
    fn new() -> Podman {
        let dir = tempdir("ctd");
        let conf = dir.join("containers.conf");
        // runc (crun fails on this host's hybrid cgroups), ulimits below the
        // host's hard limits, no network: as tests/container.rs.
        std::fs::write(
            &conf,
            "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=2000:2000\"]\n\
             netns = \"none\"\n[engine]\nruntime = \"runc\"\n",
        )
        .unwrap();
        let p = Podman {
            dir,
            conf,
            containers: vec![],
            images: vec![],
        };
        p.sweep_dead_runs();
        p
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new("podman");
        c.env("CONTAINERS_CONF", &self.conf).args(args);
        c
    }

    /// Runs podman; the result whatever it is (never panics: cleanup).
    fn quiet(&self, args: &[&str]) -> Out {
        run(&mut self.cmd(args), PODMAN_SECS)
    }

    /// Runs podman, which must succeed; its stdout, trimmed.
    #[track_caller]
    fn ok(&self, args: &[&str]) -> String {
        let o = self.quiet(args);
        assert!(
            o.code == Some(0) && !o.timed_out,
            "podman {args:?} failed: {o:#?}"
        );
        o.stdout.trim().to_string()
    }

    /// Removes what runs of this file that no longer exist left behind.
    fn sweep_dead_runs(&self) {
        let dead = |name: &str| {
            let rest = name.trim_start_matches("localhost/");
            let Some(pid) = rest
                .strip_prefix("mite-ctd-")
                .and_then(|r| r.split('-').next())
                .filter(|pid| pid.parse::<u32>().is_ok())
            else {
                return false;
            };
            pid != std::process::id().to_string() && !Path::new("/proc").join(pid).exists()
        };
        let list = |args: &[&str]| -> Vec<String> {
            self.quiet(args)
                .stdout
                .lines()
                .filter(|n| dead(n))
                .map(str::to_string)
                .collect()
        };
        for c in list(&["ps", "-a", "--format", "{{.Names}}"]) {
            self.quiet(&["rm", "-f", "-t", "0", &c]);
        }
        for i in list(&["images", "--format", "{{.Repository}}:{{.Tag}}"]) {
            self.quiet(&["rmi", "-f", &i]);
        }
    }

    /// `podman build` of `containerfile` in `context` as image `what`.
    fn build(&mut self, what: &str, containerfile: &str, context: &Path) -> String {
        let image = format!("localhost/{}{what}:latest", prefix());
        self.images.push(image.clone());
        let file = self.dir.join(format!("Containerfile.{what}"));
        std::fs::write(&file, containerfile).unwrap();
        self.ok(&[
            "build",
            "--quiet",
            "--pull=never",
            "--isolation",
            "chroot",
            "-f",
            file.to_str().unwrap(),
            "-t",
            &image,
            context.to_str().unwrap(),
        ]);
        image
    }

    /// `podman run -d --name NAME ARGS...`; the name.
    fn start(&mut self, what: &str, args: &[&str]) -> String {
        let name = format!("{}{what}", prefix());
        self.containers.push(name.clone());
        let mut a = vec![
            "run",
            "-d",
            "--name",
            &name,
            "--pull=never",
            "--network",
            "none",
        ];
        a.extend(args);
        self.ok(&a);
        name
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        for c in &self.containers {
            self.quiet(&["rm", "-f", "-t", "0", c]);
        }
        for i in self.images.iter().rev() {
            self.quiet(&["rmi", "-f", i]);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The build context: busybox-static, mite, the entrypoint, and glibc's
/// loader and libc for Debian's dumb-init.
fn context(p: &Podman) -> PathBuf {
    let d = p.dir.join("ctx");
    std::fs::create_dir_all(&d).unwrap();
    let copy = |from: &Path, to: &str| {
        std::fs::copy(from, d.join(to)).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    };
    copy(Path::new("/bin/busybox"), "busybox");
    copy(Path::new(env!("CARGO_BIN_EXE_mite")), "mite");
    copy(
        Path::new("/lib64/ld-linux-x86-64.so.2"),
        "ld-linux-x86-64.so.2",
    );
    copy(Path::new("/lib/x86_64-linux-gnu/libc.so.6"), "libc.so.6");
    std::fs::write(d.join("entry.sh"), ENTRY_SH).unwrap();
    d
}

/// The base image: no init, the entrypoint script.
const BASE: &str = "FROM scratch\n\
COPY busybox /bin/busybox\n\
RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n\
ENV PATH=/bin\n\
COPY ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2\n\
COPY libc.so.6 /lib/x86_64-linux-gnu/libc.so.6\n\
COPY --chmod=755 entry.sh /entry.sh\n\
ENTRYPOINT [\"/entry.sh\"]\n";

/// One row of the stop table.
struct Row {
    init: &'static str,
    flushed: bool,
    took: Duration,
    code: String,
}

/// Starts the container, waits until the writer is ready, `podman stop -t
/// 10`s it; the row. `volume` is the host directory mounted at /data.
fn stop_row(p: &mut Podman, init: &'static str, what: &str, args: &[&str]) -> Row {
    let volume = p.dir.join(format!("data-{what}"));
    std::fs::create_dir_all(&volume).unwrap();
    let v = format!("{}:/data", volume.display());
    let mut a = vec!["-v", &v[..]];
    a.extend(args);
    let c = p.start(what, &a);
    let ready = read_when_ready(&volume.join("writer.ready"), 60);
    assert!(ready.is_some(), "{init}: the writer did not start");
    let t = Instant::now();
    p.ok(&["stop", "-t", "10", &c]);
    let took = t.elapsed();
    let code = p.ok(&["inspect", "--format", "{{.State.ExitCode}}", &c]);
    let line = std::fs::read_to_string(volume.join("flushed")).ok();
    if let Some(l) = &line {
        assert_eq!(l, "flushed by the writer\n", "{init}");
    }
    Row {
        init,
        flushed: line.is_some(),
        took,
        code,
    }
}

#[test]
fn podman_stop_keeps_the_writers_line_under_mite_only() {
    let mut p = Podman::new();
    let ctx = context(&p);
    let base = p.build("base", BASE, &ctx);
    let with_mite = p.build(
        "mite",
        &format!("FROM {base}\nCOPY mite /mite\nENTRYPOINT [\"/mite\", \"--\", \"/entry.sh\"]\n"),
        &ctx,
    );
    let mite = ctx.join("mite").display().to_string();
    let init_path =
        |path: &str| -> Vec<String> { vec!["--init".into(), "--init-path".into(), path.into()] };
    let tini = reference("tini-static").display().to_string();
    let dumb = reference("dumb-init").display().to_string();
    let catatonit = reference("catatonit").display().to_string();
    let mut rows = vec![];
    let runs: Vec<(&'static str, Vec<String>, &str)> = vec![
        ("mite (ENTRYPOINT)", vec![], &with_mite),
        (
            "mite (--init-path, -e MITE_GRACE=10)",
            [init_path(&mite), vec!["-e".into(), "MITE_GRACE=10".into()]].concat(),
            &base,
        ),
        (
            "mite (--init-path, tini's defaults)",
            init_path(&mite),
            &base,
        ),
        ("tini-static 0.19 (--init-path)", init_path(&tini), &base),
        ("dumb-init 1.2.5 (--init-path)", init_path(&dumb), &base),
        (
            "catatonit 0.1.7 (--init-path)",
            init_path(&catatonit),
            &base,
        ),
    ];
    for (i, (init, args, image)) in runs.iter().enumerate() {
        let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
        a.push(image);
        rows.push(stop_row(&mut p, init, &format!("row{i}"), &a));
    }

    eprintln!(
        "\n| init | the writer's line on the volume | `podman stop -t 10` took | exit code |"
    );
    eprintln!("| --- | --- | --- | --- |");
    for r in &rows {
        eprintln!(
            "| {} | {} | {:.2} s | {} |",
            r.init,
            if r.flushed { "yes" } else { "no" },
            r.took.as_secs_f64(),
            r.code
        );
    }
    eprintln!("(the writer's own shutdown time: {WRITER_SECS} s)\n");

    for r in &rows {
        let drains = r.init.starts_with("mite") && !r.init.contains("tini's defaults");
        let took = r.took.as_secs_f64();
        // The main program (sleep) died of the SIGTERM: 143, under every init.
        assert_eq!(r.code, "143", "{}", r.init);
        if drains {
            assert!(r.flushed, "{}: the line is on the volume", r.init);
            // At least the writer's own shutdown time (the upper end is
            // the 143 above: no SIGKILL at the timeout).
            assert!(
                took >= WRITER_SECS,
                "{}: the stop waited for the writer: {took:.2} s",
                r.init
            );
        } else {
            // The init exits with its child; the kernel SIGKILLs the writer
            // while it flushes (dumb-init even SIGTERMs it first, then exits).
            assert!(!r.flushed, "{}: the line is lost", r.init);
        }
    }
}
