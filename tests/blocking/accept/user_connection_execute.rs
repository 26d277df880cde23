//! A user type with its own `execute` method.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

struct Pipeline;

impl Pipeline {
    fn execute(&self, _step: &str, _n: u32) -> bool {
        true
    }
}

#[deny_blocking]
async fn run(p: &Pipeline) -> bool {
    p.execute("build", 1)
}

fn main() {}
