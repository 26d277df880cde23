//! Collecting a child's output.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

#[deny_blocking]
async fn render_pdf(html: &str) -> std::io::Result<Vec<u8>> {
    let child = std::process::Command::new("wkhtmltopdf").arg(html).spawn()?;
    Ok(child.wait_with_output()?.stdout)
}

fn main() {}
