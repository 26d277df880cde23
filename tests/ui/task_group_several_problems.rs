use taskgroup::task_group;

#[task_group(tg, limit = 0, bogus)]
fn load() -> u32 {
    7
}

fn main() {
    let _ = load();
}
