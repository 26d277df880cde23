//! A user type with its own `recv` method.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

struct Queue(Vec<u32>);

impl Queue {
    fn recv(&mut self) -> Option<u32> {
        self.0.pop()
    }
}

#[deny_blocking]
async fn drain(mut queue: Queue) -> u32 {
    let mut total = 0;
    while let Some(v) = queue.recv() {
        total += v;
    }
    total
}

fn main() {}
