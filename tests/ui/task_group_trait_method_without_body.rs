use taskgroup::{ErrorGroup, task_group};

trait Loader {
    #[task_group(tg)]
    async fn load(&self) -> Result<(), ErrorGroup<std::io::Error>>;
}

fn main() {}
