//! attohttpc send in async code.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `attohttpc` crate.
mod attohttpc {
    pub struct RequestBuilder;
    pub struct Response;
    impl RequestBuilder {
        pub fn header(self, _k: &str, _v: &str) -> RequestBuilder { self }
        pub fn send(self) -> std::io::Result<Response> { Ok(Response) }
    }
    impl Response {
        pub fn text(self) -> std::io::Result<String> { Ok(String::new()) }
    }
    pub fn get(_url: &str) -> RequestBuilder { RequestBuilder }
}

#[deny_blocking]
async fn ping(url: &str) -> bool {
    attohttpc::get(url).header("user-agent", "svc").send().is_ok()
}

fn main() {}
