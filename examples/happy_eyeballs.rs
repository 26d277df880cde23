//! Happy Eyeballs (RFC 8305) with `race_all` and `race!`: connect to the
//! first of several local servers that answers. Attempts start 250 ms
//! apart, or at once when the previous one fails; the first greeting wins,
//! and the race returns only after the other attempts were dropped (their
//! connections closed). When every attempt fails, each failure is reported
//! in the order the attempts started.
//!
//! Run with `cargo run --example happy_eyeballs`.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use futures_util::future::join3;
use taskgroup::{Builder, ErrorGroup, race};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// RFC 8305's recommended connection attempt delay.
const STAGGER: Duration = Duration::from_millis(250);
/// The slow server answers after this long: later than the next attempt starts.
const SLOW: Duration = Duration::from_secs(2);

#[tokio::main]
async fn main() -> io::Result<()> {
    let slow = TcpListener::bind("127.0.0.1:0").await?;
    let fast = TcpListener::bind("127.0.0.1:0").await?;
    let hanging_up = TcpListener::bind("127.0.0.1:0").await?;
    let targets = [
        ("refusing", refusing_addr().await?),
        ("slow", slow.local_addr()?),
        ("fast", fast.local_addr()?),
    ];
    let hang_up_targets = [
        ("refusing", targets[0].1),
        ("hanging-up", hanging_up.local_addr()?),
    ];
    let servers = join3(
        serve(slow, "slow", SLOW),
        serve(fast, "fast", Duration::ZERO),
        hang_up(hanging_up),
    );

    // The servers live as long as the races: `select!` drops them after.
    tokio::select! {
        stopped = servers => Err(io::Error::other(format!("a server stopped: {stopped:?}"))),
        result = races(targets, hang_up_targets) => result,
    }
}

async fn races(
    targets: [(&'static str, SocketAddr); 3],
    hang_up_targets: [(&'static str, SocketAddr); 2],
) -> io::Result<()> {
    println!(
        "== race_all over {} servers, staggered by {STAGGER:?}",
        targets.len()
    );
    let greeting = Builder::new()
        .stagger(STAGGER)
        .timeout(Duration::from_secs(10))
        .race_all(targets.map(|(name, addr)| greet(name, addr)))
        .await;
    println!("-> {}", outcome(greeting));

    println!("\n== race! over two servers that both fail");
    let [(first, first_addr), (second, second_addr)] = hang_up_targets;
    let greeting =
        race!(stagger = STAGGER; greet(first, first_addr), greet(second, second_addr)).await;
    println!("-> {}", outcome(greeting));
    Ok(())
}

/// One attempt: connect, then read the server's one-line greeting.
async fn greet(name: &'static str, addr: SocketAddr) -> Result<String, String> {
    println!("   {name}: connecting");
    let mut attempt = Attempt {
        name,
        finished: false,
    };
    let greeting = read_greeting(addr).await;
    attempt.finished(&greeting);
    greeting.map_err(|e| format!("{name}: {:?}", e.kind()))
}

async fn read_greeting(addr: SocketAddr) -> io::Result<String> {
    let stream = TcpStream::connect(addr).await?;
    let mut greeting = String::new();
    if BufReader::new(stream).read_line(&mut greeting).await? == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(greeting.trim_end().to_string())
}

/// Says how an attempt ended; when it is dropped unfinished, that the race
/// cancelled it (the race returns only after that).
struct Attempt {
    name: &'static str,
    finished: bool,
}

impl Attempt {
    fn finished(&mut self, greeting: &io::Result<String>) {
        self.finished = true;
        match greeting {
            Ok(_) => println!("   {}: answered", self.name),
            Err(error) => println!("   {}: failed, {:?}", self.name, error.kind()),
        }
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        if !self.finished {
            println!("   {}: cancelled, connection closed", self.name);
        }
    }
}

fn outcome(greeting: Result<String, ErrorGroup<String>>) -> String {
    match greeting {
        Ok(greeting) => format!("connected: {greeting}"),
        Err(errors) => errors.to_string().replace('\n', "\n   "),
    }
}

/// An address nobody listens on: a listener's, after it is closed.
async fn refusing_addr() -> io::Result<SocketAddr> {
    TcpListener::bind("127.0.0.1:0").await?.local_addr()
}

/// Greets every connection after `delay`.
async fn serve(listener: TcpListener, name: &str, delay: Duration) -> io::Result<()> {
    loop {
        let (mut stream, _) = listener.accept().await?;
        tokio::time::sleep(delay).await;
        // The client may have hung up meanwhile (a race it lost): not an error here.
        let _ = stream
            .write_all(format!("hello from {name}\n").as_bytes())
            .await;
    }
}

/// Accepts every connection and closes it at once.
async fn hang_up(listener: TcpListener) -> io::Result<()> {
    loop {
        drop(listener.accept().await?);
    }
}
