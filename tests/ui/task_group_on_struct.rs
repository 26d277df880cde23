use taskgroup::task_group;

#[task_group(tg)]
struct Loader {
    urls: Vec<String>,
}

fn main() {
    let _ = Loader { urls: Vec::new() }.urls;
}
