//! All findings in one handler are reported.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn export_report(path: &str) -> std::io::Result<()> {
    let data = std::fs::read_to_string(path)?;
    std::thread::sleep(std::time::Duration::from_millis(5));
    std::fs::write(format!("{path}.out"), data)?;
    Ok(())
}

fn main() {}
