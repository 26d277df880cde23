use std::rc::Rc;

use taskgroup::gather;

async fn run() {
    let shared = Rc::new(5);
    let _ = gather!(async move { Ok::<_, ()>(*shared) }).await;
}

fn main() {
    let _ = run();
}
