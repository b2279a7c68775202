//! A value one task hands to another on the object's one thread, once: the publisher's answer
//! to whoever waits for a publication, a link's reply to the publication that asked. Filled by
//! [`Slot::fill`], awaited through the [`Wait`] made with it.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

pub struct Slot<T> {
    value: RefCell<Option<T>>,
    waker: RefCell<Option<Waker>>,
}

impl<T> Slot<T> {
    /// An empty slot, and the future that resolves once it is filled.
    pub fn new() -> (Rc<Self>, Wait<T>) {
        let slot = Rc::new(Slot {
            value: RefCell::new(None),
            waker: RefCell::new(None),
        });
        (Rc::clone(&slot), Wait(slot))
    }

    /// Hand over `value` and wake the waiting task.
    pub fn fill(&self, value: T) {
        *self.value.borrow_mut() = Some(value);
        if let Some(waker) = self.waker.borrow_mut().take() {
            waker.wake();
        }
    }
}

/// Resolves with what its [`Slot`] was filled with.
pub struct Wait<T>(Rc<Slot<T>>);

impl<T> Future for Wait<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match self.0.value.borrow_mut().take() {
            Some(value) => Poll::Ready(value),
            None => {
                *self.0.waker.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
