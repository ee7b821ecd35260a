//! mite as the Kubernetes pause container, for real: a FROM scratch image
//! holding only mite, named /pause (ENTRYPOINT ["/pause"]), is the infra
//! image of pods run with `podman kube play` (containers.conf
//! `infra_image`). The infra container is PID 1 of its namespace; `podman
//! pod stop` and `podman pod rm -f` end it at once with status 0, which is
//! what Kubernetes expects of pause on SIGTERM; with a shared PID
//! namespace it adopts and reaps the pod's orphans.
//!
//! amd64 only: scripts/test.sh leaves this file out of the aarch64 run, as
//! it does tests/container.rs (which covers arm64 images).
mod common;
use common::*;
#[path = "common/podman.rs"]
mod podman;
use podman::*;

use std::time::Instant;

// "At once" is proven by the status, not by a clock: podman sends the
// stop signal (SIGTERM), waits its stop timeout (10 s) and then SIGKILLs,
// which would leave status 137. Status 0 is pause's own exit on SIGTERM.
// The time each stop took is printed, never asserted (a loaded machine
// makes podman itself slow).

/// The images of a pod: the pause image (only /pause, which is mite) as
/// the session's infra image, and busybox for the workload.
struct Pod<'a> {
    p: &'a Podman,
    busybox: String,
}

impl<'a> Pod<'a> {
    fn new(p: &'a Podman) -> Pod<'a> {
        let ctx = p.dir.join("ctx-pause");
        std::fs::create_dir_all(&ctx).unwrap();
        std::fs::copy(Amd64.mite(), ctx.join("pause")).unwrap();
        let file = p.containerfile(
            "pause",
            "FROM scratch\nCOPY pause /pause\nENTRYPOINT [\"/pause\"]\n",
        );
        let pause = p.build("pause", Amd64, &file, &ctx, &[]);
        let layers = p.ok(&[
            "image",
            "inspect",
            "--format",
            "{{len .RootFS.Layers}}",
            &pause,
        ]);
        assert_eq!(layers, "1", "{pause}: one layer, /pause alone");
        p.write_conf(&format!("infra_image = \"{pause}\"\n"));
        Pod {
            p,
            busybox: p.busybox(Amd64),
        }
    }

    /// `podman kube play` of a pod named `what` whose one container
    /// (`sleeper`) runs `script`; the pod's name.
    fn play(&self, what: &str, share_pids: bool, script: &str) -> String {
        let pod = self.p.name(what);
        let share = if share_pids {
            "  shareProcessNamespace: true\n"
        } else {
            ""
        };
        let yaml = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n{share}  \
             restartPolicy: Never\n  containers:\n    - name: sleeper\n      \
             image: {}\n      imagePullPolicy: Never\n      \
             command: [\"sh\", \"-c\", {script:?}]\n",
            self.busybox
        );
        let file = self.p.dir.join(format!("{what}.yaml"));
        std::fs::write(&file, yaml).unwrap();
        self.p.pods.borrow_mut().push(pod.clone());
        self.p
            .ok(&["kube", "play", "--network", "none", file.to_str().unwrap()]);
        self.p.wait_log(&format!("{pod}-sleeper"), "up", 30);
        pod
    }

    /// The pod's infra container: its id, after checking that it runs
    /// /pause (mite) as PID 1 of its namespace; and its pid on the host.
    fn infra(&self, pod: &str) -> (String, u32) {
        let p = self.p;
        let infra = p.ok(&["pod", "inspect", "--format", "{{.InfraContainerID}}", pod]);
        assert_eq!(
            p.inspect(&infra, "{{.Config.Entrypoint}} {{.State.Status}}"),
            "/pause running"
        );
        let pid: u32 = p.inspect(&infra, "{{.State.Pid}}").parse().unwrap();
        assert_eq!(comm(pid).as_deref(), Some("pause"));
        let ns = proc_status(pid, "NSpid").unwrap_or_default();
        assert_eq!(ns.split_whitespace().last(), Some("1"), "NSpid {ns}");
        assert_eq!(p.logs(&infra), "", "PID 1: no warning");
        (infra, pid)
    }
}

/// The workload: handles SIGTERM (it is no init's concern here), says
/// `up`, waits.
const SLEEPER: &str = "trap 'exit 0' TERM; echo up; sleep 1000 & wait";

/// `podman pod stop`: the infra container (pause) gets SIGTERM, says so
/// and exits 0 at once.
#[test]
fn pod_stop_ends_pause_at_once_with_0() {
    let p = Podman::new("pod-stop");
    let pod = Pod::new(&p);
    let name = pod.play("stop", false, SLEEPER);
    let (infra, _) = pod.infra(&name);

    let t = Instant::now();
    p.ok(&["pod", "stop", "-t", "10", &name]);
    let took = t.elapsed();
    eprintln!("podman pod stop -t 10, pause (mite) as infra: {took:.2?}");
    assert_eq!(
        p.inspect(&infra, "{{.State.Status}} {{.State.ExitCode}}"),
        "exited 0"
    );
    assert_eq!(p.logs(&infra), "Shutting down, got signal: Terminated\n");
    assert_eq!(p.exit_code(&format!("{name}-sleeper")), 0);
    assert_eq!(
        p.ok(&["pod", "inspect", "--format", "{{.State}}", &name]),
        "Exited"
    );
}

/// `podman pod rm -f` of the running pod: gone at once, and the infra
/// container's `died` event says status 0 (podman omits the field when it
/// is 0; the event of a program that exits 3 says 3, see below).
#[test]
fn pod_rm_f_ends_pause_at_once_with_0() {
    let p = Podman::new("pod-rm");
    let pod = Pod::new(&p);
    let name = pod.play("rm", false, SLEEPER);
    let (infra, pid) = pod.infra(&name);

    let logger = p.ok(&["info", "--format", "{{.Host.EventLogger}}"]);
    assert_eq!(logger, "file", "events go to podman's file backend here");
    let t0 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 1;
    let t = Instant::now();
    p.ok(&["pod", "rm", "-f", &name]);
    let took = t.elapsed();
    eprintln!("podman pod rm -f, pause (mite) as infra: {took:.2?}");
    assert!(!alive(pid), "pause (host pid {pid}) is gone");
    // The event is read back until it is there (bounded: 20 s).
    let died = |ctr: &str| {
        let event = wait_for(20, || {
            let e = p.ok(&[
                "events",
                "--stream=false",
                "--since",
                &t0.to_string(),
                "--filter",
                &format!("container={ctr}"),
                "--filter",
                "event=died",
                "--format",
                "{{.ContainerExitCode}}",
            ]);
            (!e.is_empty()).then_some(e)
        });
        event.unwrap_or_else(|| panic!("no died event for {ctr} within 20 s"))
    };
    assert_eq!(died(&infra), "0", "the infra container's status");

    // The events do carry a status that is not 0.
    let c = p.start("three", &[&pod.busybox, "sh", "-c", "exit 3"]);
    assert_eq!(p.ok(&["wait", &c]), "3");
    assert_eq!(died(&c), "3");
}

/// With a shared PID namespace (shareProcessNamespace), pause is PID 1 of
/// every container of the pod: what the workload orphans is re-parented to
/// it and reaped. Fifty short-lived orphans leave no zombie; a long-lived
/// one (tail) is pause's child, and is reaped when killed.
#[test]
fn pause_reaps_the_orphans_of_a_shared_pid_namespace() {
    let p = Podman::new("pod-pids");
    let pod = Pod::new(&p);
    let script = "trap 'exit 0' TERM; for i in $(seq 50); do sh -c 'sleep 0 &'; done; \
                  sh -c 'tail -f /dev/null >/dev/null 2>&1 &'; echo up; sleep 1000 & wait";
    let name = pod.play("pids", true, script);
    let (infra, pid) = pod.infra(&name);
    let sleeper = format!("{name}-sleeper");
    assert_eq!(
        p.ok(&["exec", &sleeper, "cat", "/proc/1/comm"]),
        "pause",
        "PID 1 of the sleeper's namespace"
    );

    let tail = wait_for(20, || {
        children_of(pid)
            .into_iter()
            .find(|&c| comm(c).as_deref() == Some("tail"))
    });
    let tail = tail.unwrap_or_else(|| panic!("tail not adopted by pause: {:?}", children_of(pid)));
    let only_tail = wait_for(20, || (children_of(pid) == [tail]).then_some(()));
    assert!(
        only_tail.is_some(),
        "pause's children are not just the tail: {:?} (zombies {:?})",
        children_of(pid),
        zombies_of(pid)
    );
    assert_eq!(p.zombies(&sleeper), 0, "zombies in the pod");
    kill(tail as i32, 9);
    let reaped = wait_for(20, || children_of(pid).is_empty().then_some(()));
    assert!(reaped.is_some(), "the killed tail: {:?}", proc_state(tail));

    let t = Instant::now();
    p.ok(&["pod", "stop", "-t", "10", &name]);
    let took = t.elapsed();
    eprintln!("podman pod stop -t 10, shared PID namespace: {took:.2?}");
    assert_eq!(p.exit_code(&infra), 0);
}
