use taskgroup::gather;

mod legacy {
    pub fn load() -> u32 {
        7
    }
}

async fn run() {
    // `extra` adds the project's own blocking functions to the check.
    let _ = gather!(extra = [legacy::load]; async { Ok::<_, ()>(legacy::load()) }).await;
}

fn main() {
    let _ = run();
}
