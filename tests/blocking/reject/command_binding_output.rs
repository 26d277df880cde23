//! A Command built step by step, then output().
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

use std::process::Command;

#[deny_blocking]
async fn transcode(input: &str) -> std::io::Result<bool> {
    let mut cmd = Command::new("ffmpeg");
    cmd.arg("-i").arg(input);
    let out = cmd.output()?;
    Ok(out.status.success())
}

fn main() {}
