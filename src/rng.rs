//! The randomness of a request: ids, addresses, MACs, key material and passwords all come
//! from [`rng()`]. Normally that is the thread's generator; with `--data-dir` each
//! mutating request runs [`seeded`] by a seed the journal keeps, so replaying the journal
//! at start makes the same ids and the same keys again.

use rand::rngs::StdRng;
use rand::{CryptoRng, RngCore, SeedableRng};
use std::cell::RefCell;

thread_local! {
    static SEEDED: RefCell<Option<StdRng>> = const { RefCell::new(None) };
}

/// The request's generator (a handle: each draw goes to the seeded generator of the
/// running request, if any, else to the thread's).
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestRng;

pub fn rng() -> RequestRng {
    RequestRng
}

fn draw<T>(f: impl FnOnce(&mut dyn RngCore) -> T) -> T {
    SEEDED.with(|s| match s.borrow_mut().as_mut() {
        Some(r) => f(r),
        None => f(&mut rand::thread_rng()),
    })
}

impl RngCore for RequestRng {
    fn next_u32(&mut self) -> u32 {
        draw(|r| r.next_u32())
    }
    fn next_u64(&mut self) -> u64 {
        draw(|r| r.next_u64())
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        draw(|r| r.fill_bytes(dest))
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
        draw(|r| r.try_fill_bytes(dest))
    }
}

/// Both sources are cryptographic: the thread's generator and `StdRng` (ChaCha12).
impl CryptoRng for RequestRng {}

/// Runs `f` with the request generator seeded by `seed`.
pub fn seeded<T>(seed: u64, f: impl FnOnce() -> T) -> T {
    /// Puts back the generator that was there before (none, usually).
    struct Restore(Option<StdRng>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SEEDED.with(|s| *s.borrow_mut() = self.0.take());
        }
    }
    let before = SEEDED.with(|s| s.borrow_mut().replace(StdRng::seed_from_u64(seed)));
    let _restore = Restore(before);
    f()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn a_seed_repeats_its_draws() {
        let draws = |seed| seeded(seed, || (rng().gen::<u64>(), crate::store::new_id("vpc")));
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
        // Outside a seeded request the thread's generator is back.
        assert_ne!(crate::store::new_id("vpc"), crate::store::new_id("vpc"));
    }
}
