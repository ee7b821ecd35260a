//! The Kubernetes pause personality (`build/pause/linux/pause.c`): no
//! options, no program; any argument `-v` (any case) asks for the version.

use super::Command;
use crate::signal::Signal;
use crate::sys::Argv;

/// `Some(Version)` if an argument is `-v` in any case (pause.c), or
/// `--version` (what Docker runs its init-path with), else `None`: run.
pub fn parse(argv: Argv<'_>) -> Option<Command> {
    (1..argv.len())
        .any(|i| matches!(argv.get(i), Some([b'-', b'v' | b'V'] | b"--version")))
        .then_some(Command::Version)
}

/// What psignal(3) says for the two signals that end a pause.
pub fn describe(sig: Signal) -> &'static [u8] {
    if sig == Signal::INT {
        b"Interrupt"
    } else {
        b"Terminated"
    }
}
