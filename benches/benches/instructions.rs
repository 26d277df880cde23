//! A driver for instruction counts (`bash benches/instructions.sh`): runs one
//! workload N times on a current-thread runtime, inside a spawned task, and
//! nothing else, so `(Ir(N) − Ir(0)) / N` under callgrind is the workload's
//! exact cost per child (or per call, for the three-future cases).
//!
//! `cargo bench --bench instructions -- <case> <n>`; the cases are those of
//! `tasks.rs` (the workloads are the same functions, from `src/lib.rs`): `values`, `vec`, `dropped`, `tracker`, `gather_all`,
//! `gather3`, `spawn3`, `local3`, `try_join3`.

use taskgroup_benches::{
    handles_in_order, taskgroup_dropped, taskgroup_gather_all, taskgroup_values, three_gather,
    three_gather_local, three_spawned, three_try_join, tracker_spawn_wait,
};

fn main() {
    // `cargo bench` adds `--bench`: only the plain arguments count.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (Some(case), Some(n)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: instructions <case> <n>  (see the file's doc for the cases)");
        return;
    };
    let case = case.clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
    runtime.block_on(async move {
        tokio::spawn(async move {
            match case.as_str() {
                "values" => taskgroup_values(n).await,
                "vec" => handles_in_order(n).await,
                "dropped" => taskgroup_dropped(n).await,
                "tracker" => tracker_spawn_wait(n).await,
                "gather_all" => taskgroup_gather_all(n).await,
                "gather3" | "spawn3" | "local3" | "try_join3" => {
                    for _ in 0..n {
                        match case.as_str() {
                            "gather3" => three_gather().await,
                            "spawn3" => three_spawned().await,
                            "local3" => three_gather_local().await,
                            _ => three_try_join().await,
                        }
                    }
                }
                other => panic!("unknown case {other}"),
            }
        })
        .await
        .expect("the driver task");
    });
}
