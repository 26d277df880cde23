use taskgroup::gather;

async fn read_config() -> Result<String, std::io::Error> {
    Ok(String::new())
}

async fn parse_port() -> Result<u16, std::num::ParseIntError> {
    "8080".parse()
}

async fn run() {
    let _ = gather!(read_config(), parse_port()).await;
}

fn main() {
    let _ = run();
}
