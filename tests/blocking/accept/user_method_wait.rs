//! A user type with its own `wait` method.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

struct Lease {
    ttl: u64,
}

impl Lease {
    fn wait(&self) -> u64 {
        self.ttl
    }
}

#[deny_blocking]
async fn renew(lease: Lease) -> u64 {
    lease.wait() + 1
}

fn main() {}
