//! TCP fan-out: a local echo server and many concurrent clients under one
//! task group. One client breaks the protocol, the server hangs up on it, and
//! its failure cancels the other clients, which see the group's cancellation
//! token and close their connections cleanly within a grace period.
//!
//! Run with `cargo run --example tcp_fanout`.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use taskgroup::{Builder, CancellationToken, ErrorGroup};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::sleep;

const CLIENTS: usize = 10;
const ROUNDS: usize = 5;
/// The server's protocol: one line per message, at most this many bytes.
const MAX_LINE: usize = 64;
/// This client sends an oversized line in its third round trip.
const FAULTY: usize = 6;

#[tokio::main]
async fn main() -> io::Result<()> {
    // Port 0: the OS picks a free port.
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    println!("== echo server listening on {addr} (lines up to {MAX_LINE} bytes)");

    println!("\n== {CLIENTS} clients, {ROUNDS} round trips each, in one task group");
    let start = Instant::now();
    // The server lives as long as the clients: when they are done, `select!`
    // drops its future, which aborts its connection handlers too.
    let result = tokio::select! {
        stopped = echo_server(listener) => {
            return Err(io::Error::other(format!("the echo server stopped: {stopped:?}")));
        }
        result = run_clients(addr) => result,
    };

    println!("\n== result after {} ms", start.elapsed().as_millis());
    match result {
        Ok(rounds) => println!("  every client finished: {rounds:?}"),
        Err(errors) => println!("  ErrorGroup: {}", errors.to_string().replace('\n', "\n  ")),
    }
    Ok(())
}

/// Runs every client in one group and returns how many round trips each did.
/// The first failure cancels the group: each client sees the token and gets
/// the grace period to stop cleanly before it is aborted.
async fn run_clients(addr: SocketAddr) -> Result<Vec<usize>, ErrorGroup<io::Error>> {
    Builder::new()
        .grace_period(Duration::from_millis(500))
        .scope(|tg| async move {
            let mut handles = Vec::new();
            for id in 0..CLIENTS {
                let token = tg.token();
                handles.push(tg.spawn_named(format!("client {id}"), client(id, addr, token))?);
            }
            let mut rounds = Vec::new();
            for handle in handles {
                rounds.push(handle.await?);
            }
            Ok(rounds)
        })
        .await
}

/// One client: a connection, `ROUNDS` messages, each checked against its echo.
async fn client(id: usize, addr: SocketAddr, token: CancellationToken) -> io::Result<usize> {
    let (read, mut write) = TcpStream::connect(addr).await?.into_split();
    let mut echoes = BufReader::new(read).lines();
    // Different paces, so the clients are at different rounds when one fails.
    let pause = Duration::from_millis(20 + 10 * id as u64);

    for round in 1..=ROUNDS {
        // Stop between round trips, never in the middle of one, so the
        // server never sees half a conversation.
        tokio::select! {
            () = token.cancelled() => {
                write.shutdown().await?;
                println!("  client {id}: cancelled after {}/{ROUNDS} round trips; closed its connection", round - 1);
                return Ok(round - 1);
            }
            () = sleep(pause) => {}
        }

        let message = if id == FAULTY && round == 3 {
            println!("  client {id}: sends a {}-byte line", MAX_LINE + 36);
            "x".repeat(MAX_LINE + 36)
        } else {
            format!("round {round} from client {id}")
        };
        write.write_all(format!("{message}\n").as_bytes()).await?;
        match echoes.next_line().await? {
            Some(echo) if echo == message => {}
            Some(echo) => {
                return Err(io::Error::other(format!(
                    "round {round}: wrong echo {echo:?}"
                )));
            }
            None => {
                let why = format!("round {round}: the server hung up");
                return Err(io::Error::new(io::ErrorKind::ConnectionAborted, why));
            }
        }
    }
    println!("  client {id}: done, {ROUNDS}/{ROUNDS} round trips");
    Ok(ROUNDS)
}

/// Accepts connections until dropped, one child per connection. Supervisor
/// mode: a failing connection must not take the server down with it.
async fn echo_server(listener: TcpListener) -> Result<(), ErrorGroup<io::Error>> {
    Builder::new()
        .supervisor()
        .scope(|conns| async move {
            while let Ok((socket, _peer)) = listener.accept().await {
                conns.spawn(echo(socket))?;
            }
            Ok(())
        })
        .await
}

/// Echoes each line back; hangs up on a line longer than `MAX_LINE`.
async fn echo(socket: TcpStream) -> io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    while let Some(line) = lines.next_line().await? {
        if line.len() > MAX_LINE {
            break; // dropping both halves closes the connection
        }
        write.write_all(format!("{line}\n").as_bytes()).await?;
    }
    Ok(())
}
