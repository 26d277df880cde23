//! A driver for instruction counts (`bash benches/instructions.sh`): runs one
//! workload N times on a current-thread runtime, inside a spawned task, and
//! nothing else, so `(Ir(N) − Ir(0)) / N` under callgrind is the workload's
//! exact cost per child (or per call, for the three-future cases).
//!
//! `cargo bench --bench instructions -- <case> <n>`; the cases are those of
//! `tasks.rs`: `values`, `vec`, `dropped`, `tracker`, `gather_all`,
//! `gather3`, `spawn3`, `local3`, `try_join3`.

use std::hint::black_box;

use tokio_util::task::TaskTracker;

async fn values(n: u64) {
    let sum = taskgroup::scope(|tg| async move {
        let handles = (0..n)
            .map(|i| tg.spawn(async move { Ok::<u64, ()>(i) }))
            .collect::<Result<Vec<_>, _>>()?;
        let mut sum = 0;
        for handle in handles {
            sum += handle.await?;
        }
        Ok::<_, taskgroup::ErrorGroup<()>>(sum)
    })
    .await
    .expect("no child fails");
    black_box(sum);
}

async fn vec_handles(n: u64) {
    let handles: Vec<_> = (0..n)
        .map(|i| tokio::spawn(async move { Ok::<u64, ()>(i) }))
        .collect();
    let mut sum = 0;
    for handle in handles {
        sum += handle.await.expect("no panic").expect("no error");
    }
    black_box(sum);
}

async fn dropped(n: u64) {
    taskgroup::scope(|tg| async move {
        for i in 0..n {
            tg.spawn(async move { Ok::<u64, ()>(i) })?;
        }
        Ok::<_, taskgroup::ErrorGroup<()>>(())
    })
    .await
    .expect("no child fails");
}

async fn tracker(n: u64) {
    let tracker = TaskTracker::new();
    for i in 0..n {
        tracker.spawn(async move { black_box(i) });
    }
    tracker.close();
    tracker.wait().await;
}

async fn gather_all(n: u64) {
    let values = taskgroup::gather_all((0..n).map(|i| async move { Ok::<u64, ()>(i) }))
        .await
        .expect("no child fails");
    black_box(values);
}

async fn gather3() {
    let (a, b, c) = taskgroup::gather!(
        async { Ok::<u64, ()>(1) },
        async { Ok::<u64, ()>(2) },
        async { Ok::<u64, ()>(3) }
    )
    .await
    .expect("no child fails");
    black_box(a + b + c);
}

async fn spawn3() {
    let a = tokio::spawn(async { Ok::<u64, ()>(1) });
    let b = tokio::spawn(async { Ok::<u64, ()>(2) });
    let c = tokio::spawn(async { Ok::<u64, ()>(3) });
    let a = a.await.expect("no panic").expect("no error");
    let b = b.await.expect("no panic").expect("no error");
    let c = c.await.expect("no panic").expect("no error");
    black_box(a + b + c);
}

async fn local3() {
    let (a, b, c) = taskgroup::gather!(local;
        async { Ok::<u64, ()>(1) },
        async { Ok::<u64, ()>(2) },
        async { Ok::<u64, ()>(3) }
    )
    .await
    .expect("no child fails");
    black_box(a + b + c);
}

async fn try_join3() {
    let (a, b, c) = tokio::try_join!(
        async { Ok::<u64, ()>(1) },
        async { Ok::<u64, ()>(2) },
        async { Ok::<u64, ()>(3) }
    )
    .expect("no child fails");
    black_box(a + b + c);
}

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
                "values" => values(n).await,
                "vec" => vec_handles(n).await,
                "dropped" => dropped(n).await,
                "tracker" => tracker(n).await,
                "gather_all" => gather_all(n).await,
                "gather3" | "spawn3" | "local3" | "try_join3" => {
                    for _ in 0..n {
                        match case.as_str() {
                            "gather3" => gather3().await,
                            "spawn3" => spawn3().await,
                            "local3" => local3().await,
                            _ => try_join3().await,
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
