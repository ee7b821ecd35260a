//! Nothing a test starts outlives it, and no wait is unbounded or silent.
//!
//! - `kill_tree(pid)` stops a spawned process and every process below it
//!   (so nothing forks or exits while the tree is walked), then kills them
//!   all. mite's child has a process group of its own, so killing the
//!   spawned process's group alone would leave it running: the tree walk
//!   finds it. `finish`, `wait_timeout`, `run_raw` and the `Running` guard
//!   (whose Drop runs when a failed assertion unwinds) all use it.
//! - `Drain` reads a child's stdout or stderr in a thread of its own, so a
//!   chatty child never blocks on a full pipe; when the child has ended but
//!   the pipe is still held after a grace period, the holders are
//!   leftovers that escaped the tree (orphans re-parented to the host's
//!   init): they are found by the pipe in their /proc/PID/fd and killed.
//! - `wait_until`, `read_line` and `read_pid` panic after their bound with
//!   a message that says what they waited for; `read_line` waits for a
//!   complete line, never for a file merely to exist (`echo $$ > FILE`
//!   creates FILE before it writes to it).

use super::kill;
use std::collections::HashMap;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SIGKILL: i32 = 9;
const SIGSTOP: i32 = 19;

/// Every process's parent, from one pass over /proc.
fn parents() -> HashMap<u32, u32> {
    let mut m = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return m;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold
        // spaces and parentheses, so split after the last ')'.
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse().ok());
        if let Some(ppid) = ppid {
            m.insert(pid, ppid);
        }
    }
    m
}

/// Every process below `pid` (children, their children, ...), from one
/// snapshot of /proc.
pub fn tree_below(pid: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for (p, pp) in parents() {
        children.entry(pp).or_default().push(p);
    }
    let mut all = Vec::new();
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        for &c in children.get(&p).map(|v| v.as_slice()).unwrap_or(&[]) {
            all.push(c);
            todo.push(c);
        }
    }
    all
}

/// Kills `pid` (a child of this test process, not yet reaped, so its pid
/// cannot have been reused) and every process below it, and its process
/// group. Each process is stopped first, and the tree walked again until
/// no new process shows up: a process found running may fork before it is
/// stopped, never after. Works into PID namespaces (host pids).
pub fn kill_tree(pid: u32) {
    let mut seen = vec![pid];
    kill(pid as i32, SIGSTOP);
    for _ in 0..50 {
        let new: Vec<u32> = tree_below(pid)
            .into_iter()
            .filter(|p| !seen.contains(p))
            .collect();
        if new.is_empty() {
            break;
        }
        for &p in &new {
            kill(p as i32, SIGSTOP);
        }
        seen.extend(new);
    }
    for &p in seen.iter().rev() {
        kill(p as i32, SIGKILL);
    }
    kill(-(pid as i32), SIGKILL);
}

/// A pipe from a child (its stdout or stderr), read to its end by a thread.
pub struct Drain {
    /// The pipe's inode, to find who else holds it.
    ino: u64,
    rx: mpsc::Receiver<Vec<u8>>,
}

impl Drain {
    pub fn new<R: Read + std::os::fd::AsRawFd + Send + 'static>(mut r: R) -> Drain {
        let ino = std::fs::metadata(format!("/proc/self/fd/{}", r.as_raw_fd()))
            .map(|m| m.ino())
            .unwrap_or(0);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            let _ = tx.send(v);
        });
        Drain { ino, rx }
    }

    /// Everything read, once the pipe is at its end. Called when the child
    /// has ended: if after `grace` some process still holds the pipe, it
    /// is a leftover of the test and is killed, and `leftovers` gets its
    /// pid and name.
    pub fn take(self, grace: Duration, leftovers: &mut Vec<String>) -> Vec<u8> {
        if let Ok(v) = self.rx.recv_timeout(grace) {
            return v;
        }
        leftovers.extend(self.kill_holders());
        self.rx
            .recv_timeout(Duration::from_secs(20))
            .expect("a pipe from a child still open 20 s after its holders were killed")
    }
}

impl Drain {
    /// Kills every process but this one that still holds the pipe (the
    /// child is gone: what holds it is a leftover); their pids and names.
    pub fn kill_holders(&self) -> Vec<String> {
        pipe_holders(self.ino)
            .into_iter()
            .map(|p| {
                let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
                kill(p as i32, SIGKILL);
                format!("{p} {}", name.trim())
            })
            .collect()
    }
}

/// The processes other than this one that hold pipe `ino` open.
fn pipe_holders(ino: u64) -> Vec<u32> {
    let me = std::process::id();
    let link = format!("pipe:[{ino}]");
    let mut v = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return v;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
            continue;
        };
        if fds
            .flatten()
            .any(|f| std::fs::read_link(f.path()).is_ok_and(|l| l.as_os_str() == link.as_str()))
        {
            v.push(pid);
        }
    }
    v
}

/// How long a finished child's pipes may stay open (held by processes it
/// started that are still ending) before their holders count as leftovers.
pub const PIPE_GRACE: Duration = Duration::from_secs(10);

/// Polls `f` every 10 ms until it gives Some; after `secs`, panics saying
/// what it waited for.
#[track_caller]
pub fn wait_until<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        if Instant::now() > deadline {
            panic!("timed out after {secs} s waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The first line of file `path`, once another process has written it
/// whole (with its newline); panics after `secs`.
#[track_caller]
pub fn read_line(path: &Path, secs: u64) -> String {
    wait_until(
        secs,
        &format!("a complete line in {}", path.display()),
        || {
            let s = std::fs::read_to_string(path).ok()?;
            let (line, _) = s.split_once('\n')?;
            Some(line.to_string())
        },
    )
}

/// The pid that another process wrote to `path` (`echo $$ > FILE`), once
/// it is there whole; panics after `secs`.
#[track_caller]
pub fn read_pid(path: &Path, secs: u64) -> u32 {
    let line = read_line(path, secs);
    line.trim()
        .parse()
        .unwrap_or_else(|e| panic!("{}: not a pid: {line:?} ({e})", path.display()))
}
