//! Pacing in the Conversation DO, both pure (no I/O, tested natively): the FIFO turn that
//! keeps one conversation's frames in the order they arrived while some of them await the
//! Workspace, and the token buckets that bound how fast a visitor (or an agent) may send.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use charla_shared::basic::Millis;

/// A first-come, first-served turn (an async mutex without data) for one single-threaded
/// Durable Object. `acquire` takes its place in line *when called*, not when first polled, so
/// handlers that call it before their first await are served in the order they started.
/// Uncontended, the returned future is ready on its first poll (no yield to the event loop).
/// Dropping the guard hands the turn to the next in line; dropping a waiting `Acquire`
/// leaves the line (or passes the turn on if it had just been granted).
#[derive(Default)]
pub struct Turn {
    inner: Rc<TurnInner>,
}

#[derive(Default)]
struct TurnInner {
    held: Cell<bool>,
    line: RefCell<VecDeque<Rc<Waiter>>>,
}

#[derive(Default)]
struct Waiter {
    granted: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl TurnInner {
    fn release(&self) {
        let next = self.line.borrow_mut().pop_front();
        match next {
            Some(waiter) => {
                // The turn stays held: it passes straight to the next in line.
                waiter.granted.set(true);
                let waker = waiter.waker.borrow_mut().take();
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
            None => self.held.set(false),
        }
    }
}

/// Holding the turn; dropping it lets the next waiter in.
pub struct TurnGuard {
    inner: Rc<TurnInner>,
}

impl Drop for TurnGuard {
    fn drop(&mut self) {
        self.inner.release();
    }
}

/// The future `Turn::acquire` returns.
pub struct Acquire {
    inner: Rc<TurnInner>,
    /// `None`: the turn was free when asked (ready at once) or this future already completed.
    waiter: Option<Rc<Waiter>>,
    done: bool,
}

impl Turn {
    pub fn acquire(&self) -> Acquire {
        let inner = Rc::clone(&self.inner);
        if !inner.held.replace(true) {
            return Acquire {
                inner,
                waiter: None,
                done: false,
            };
        }
        let waiter = Rc::new(Waiter::default());
        inner.line.borrow_mut().push_back(Rc::clone(&waiter));
        Acquire {
            inner,
            waiter: Some(waiter),
            done: false,
        }
    }

    /// How many wait for the turn (not counting its holder).
    #[cfg(test)]
    fn waiting(&self) -> usize {
        self.inner.line.borrow().len()
    }
}

impl Future for Acquire {
    type Output = TurnGuard;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<TurnGuard> {
        assert!(!self.done, "Acquire polled after completion");
        let granted = match &self.waiter {
            None => true,
            Some(waiter) if waiter.granted.get() => true,
            Some(waiter) => {
                *waiter.waker.borrow_mut() = Some(cx.waker().clone());
                false
            }
        };
        if !granted {
            return Poll::Pending;
        }
        self.done = true;
        self.waiter = None;
        Poll::Ready(TurnGuard {
            inner: Rc::clone(&self.inner),
        })
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        match self.waiter.take() {
            // Granted without ever being polled to completion: pass the turn on.
            None => self.inner.release(),
            Some(waiter) if waiter.granted.get() => self.inner.release(),
            Some(waiter) => self
                .inner
                .line
                .borrow_mut()
                .retain(|w| !Rc::ptr_eq(w, &waiter)),
        }
    }
}

/// A token bucket's size and refill speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Frames accepted at once from a full bucket.
    pub burst: u32,
    /// Frames per second the bucket refills with.
    pub per_sec: u32,
}

/// Thousandths of a token, so the arithmetic stays in integers.
const MILLI: u64 = 1_000;

/// A token bucket: each accepted frame takes one token; tokens come back at `per_sec`, up to
/// `burst`. Starts full.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: Rate,
    /// Thousandths of a token available.
    level: u64,
    last: Millis,
}

impl TokenBucket {
    pub fn new(rate: Rate, now: Millis) -> Self {
        TokenBucket {
            rate,
            level: u64::from(rate.burst) * MILLI,
            last: now,
        }
    }

    fn refill(&mut self, now: Millis) {
        // A clock that goes back refills nothing (and does not move `last` back).
        if now > self.last {
            let elapsed = (now - self.last) as u64;
            // per_sec tokens/s = per_sec thousandths per millisecond.
            let gained = elapsed.saturating_mul(u64::from(self.rate.per_sec));
            self.level = self
                .level
                .saturating_add(gained)
                .min(u64::from(self.rate.burst) * MILLI);
            self.last = now;
        }
    }

    /// Take one token. `Err(ms)`: refused; a token is back in `ms` milliseconds.
    pub fn take(&mut self, now: Millis) -> Result<(), u64> {
        self.refill(now);
        if self.level >= MILLI {
            self.level -= MILLI;
            return Ok(());
        }
        let missing = MILLI - self.level;
        let per_ms = u64::from(self.rate.per_sec.max(1));
        Err(missing.div_ceil(per_ms))
    }

    /// Whether the bucket is full again (nothing to remember about its owner).
    pub fn is_full(&mut self, now: Millis) -> bool {
        self.refill(now);
        self.level >= u64::from(self.rate.burst) * MILLI
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::task::Wake;

    struct Flag(std::sync::atomic::AtomicUsize);
    impl Wake for Flag {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    fn poll<F: Future + Unpin>(f: &mut F, flag: &Arc<Flag>) -> Poll<F::Output> {
        let waker = Waker::from(Arc::clone(flag));
        let mut cx = Context::from_waker(&waker);
        Pin::new(f).poll(&mut cx)
    }

    /// Poll an `Acquire` that must be granted now.
    fn granted(a: &mut Acquire, flag: &Arc<Flag>, why: &str) -> TurnGuard {
        match poll(a, flag) {
            Poll::Ready(g) => g,
            Poll::Pending => panic!("{why}"),
        }
    }

    fn flag() -> Arc<Flag> {
        Arc::new(Flag(Default::default()))
    }

    #[test]
    fn an_uncontended_turn_is_ready_at_once() {
        let turn = Turn::default();
        let f = flag();
        let mut a = turn.acquire();
        let guard = granted(&mut a, &f, "should be ready");
        drop(guard);
        let mut b = turn.acquire();
        assert!(poll(&mut b, &f).is_ready());
    }

    #[test]
    fn waiters_are_served_in_the_order_they_asked() {
        let turn = Turn::default();
        let f = flag();
        let mut first = turn.acquire();
        let g1 = granted(&mut first, &f, "should be granted");
        // Asked in order 2, 3, 4 but polled in another order: the line is by asking.
        let mut w2 = turn.acquire();
        let mut w3 = turn.acquire();
        let mut w4 = turn.acquire();
        assert!(poll(&mut w4, &f).is_pending());
        assert!(poll(&mut w3, &f).is_pending());
        assert!(poll(&mut w2, &f).is_pending());
        assert_eq!(turn.waiting(), 3);
        drop(g1);
        assert!(poll(&mut w4, &f).is_pending());
        assert!(poll(&mut w3, &f).is_pending());
        let g2 = granted(&mut w2, &f, "w2 is next");
        // A newcomer queues behind those already waiting.
        let mut w5 = turn.acquire();
        drop(g2);
        assert!(poll(&mut w5, &f).is_pending());
        assert!(poll(&mut w4, &f).is_pending());
        let g3 = granted(&mut w3, &f, "w3 is next");
        drop(g3);
        assert!(poll(&mut w4, &f).is_ready());
        assert!(f.0.load(std::sync::atomic::Ordering::SeqCst) >= 3);
    }

    #[test]
    fn a_dropped_waiter_leaves_the_line_and_a_granted_one_passes_the_turn_on() {
        let turn = Turn::default();
        let f = flag();
        let mut first = turn.acquire();
        let g1 = granted(&mut first, &f, "should be granted");
        let w2 = turn.acquire();
        let mut w3 = turn.acquire();
        let mut w4 = turn.acquire();
        assert!(poll(&mut w3, &f).is_pending());
        drop(w2); // gives up while waiting
        assert_eq!(turn.waiting(), 2);
        drop(g1); // w3 granted…
        drop(w3); // …but dropped before taking it: w4 gets it
        assert!(poll(&mut w4, &f).is_ready());
        // Nothing left behind: the turn is free again afterwards.
        drop(w4);
        let mut w5 = turn.acquire();
        assert!(poll(&mut w5, &f).is_ready());
    }

    const RATE: Rate = Rate {
        burst: 20,
        per_sec: 5,
    };

    #[test]
    fn a_full_bucket_takes_a_burst_then_refuses() {
        let mut b = TokenBucket::new(RATE, 1_000);
        for _ in 0..20 {
            assert_eq!(b.take(1_000), Ok(()));
        }
        // Empty: the next token is 1/5 s away.
        assert_eq!(b.take(1_000), Err(200));
        assert_eq!(b.take(1_100), Err(100));
        assert_eq!(b.take(1_200), Ok(()));
        assert_eq!(b.take(1_200), Err(200));
    }

    #[test]
    fn refill_is_capped_at_the_burst() {
        let mut b = TokenBucket::new(RATE, 0);
        for _ in 0..20 {
            b.take(0).unwrap();
        }
        // An hour later: still only 20.
        let later = 3_600_000;
        assert!(b.is_full(later));
        let accepted = (0..100).filter(|_| b.take(later).is_ok()).count();
        assert_eq!(accepted, 20);
    }

    #[test]
    fn a_steady_sender_at_the_rate_is_never_refused() {
        let mut b = TokenBucket::new(RATE, 0);
        // 5 frames per second for a minute, on top of an emptied bucket.
        for _ in 0..20 {
            b.take(0).unwrap();
        }
        for i in 1..=300 {
            assert_eq!(b.take(i * 200), Ok(()), "frame {i}");
        }
    }

    #[test]
    fn a_flood_gets_the_burst_plus_the_rate() {
        let mut b = TokenBucket::new(RATE, 0);
        // 10,000 frames, one per millisecond for 10 s: the burst of 20 plus what 9.999 s
        // refill (49.995 tokens).
        let accepted = (0..10_000).filter(|i| b.take(*i).is_ok()).count();
        assert_eq!(accepted, 20 + 49);
    }

    #[test]
    fn a_clock_going_back_refills_nothing() {
        let mut b = TokenBucket::new(RATE, 10_000);
        for _ in 0..20 {
            b.take(10_000).unwrap();
        }
        assert!(b.take(5_000).is_err());
        assert!(b.take(10_000).is_err());
        assert_eq!(b.take(10_200), Ok(()));
    }
}
