//! What the property tests beside each module share (test builds only):
//! a proptest runner that prints how many cases it ran, and the case
//! count scaling by `PROPTEST_CASES`.
//!
//! `cargo test --release --lib -- --nocapture` shows the counts, one line
//! `props::NAME: N cases` per property. `PROPTEST_CASES=N` replaces the
//! random case count of every property (the exhaustive passes are fixed).

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRunner};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

/// The number of random cases for a property whose default is `cases`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Runs `test` on `cases` values of `strategy` (shrinking a failure to a
/// small input first) and prints the number of cases.
#[track_caller]
pub fn prop<S: Strategy>(name: &str, default: u32, strategy: S, test: impl Fn(S::Value))
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        cases: cases(default),
        failure_persistence: None,
        // Several times faster than the default ChaCha for the same
        // cases: generation is most of the time of a property here.
        rng_algorithm: RngAlgorithm::XorShift,
        ..Config::default()
    });
    let n = AtomicUsize::new(0);
    // The panics of the shrinking steps would each print a message:
    // quiet until the smallest failing input is found, which then runs
    // once more, aloud.
    quiet_panics();
    QUIET.with(|q| q.set(true));
    let result = runner.run(&strategy, |v| {
        n.fetch_add(1, Ordering::Relaxed);
        test(v);
        Ok(())
    });
    QUIET.with(|q| q.set(false));
    match result {
        Ok(()) => report(name, n.into_inner()),
        Err(TestError::Fail(why, value)) => {
            let shown = format!("{value:?}");
            test(value);
            panic!("props::{name}: {why}, and passed when run again: {shown}");
        }
        Err(e) => panic!("props::{name}: {e}"),
    }
}

thread_local! {
    /// Set while proptest runs (and shrinks) a property on this thread.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, a panic hook that says nothing on a thread running a
/// property, and hands every other panic to the default hook.
fn quiet_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                default(info)
            }
        }));
    });
}

/// Prints a property's case count.
pub fn report(name: &str, n: usize) {
    eprintln!("props::{name}: {n} cases");
}

/// Bytes as a readable string for failure messages.
pub fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A list of byte strings, readable.
pub fn show_all(v: &[Vec<u8>]) -> Vec<String> {
    v.iter().map(|b| show(b)).collect()
}
