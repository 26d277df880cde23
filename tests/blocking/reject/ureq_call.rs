//! ureq's call() in an async handler.
#![allow(dead_code, unused)]

use taskgroup::{allow_blocking, deny_blocking};

/// Stand-in for the `ureq` crate.
mod ureq {
    pub struct Request;
    pub struct Response;
    pub struct Agent;
    impl Request {
        pub fn set(self, _k: &str, _v: &str) -> Request { self }
        pub fn call(self) -> std::io::Result<Response> { Ok(Response) }
        pub fn send_string(self, _body: &str) -> std::io::Result<Response> { Ok(Response) }
    }
    impl Response {
        pub fn into_string(self) -> std::io::Result<String> { Ok(String::new()) }
    }
    impl Agent {
        pub fn post(&self, _url: &str) -> Request { Request }
    }
    pub fn get(_url: &str) -> Request { Request }
    pub fn agent() -> Agent { Agent }
}

#[deny_blocking]
async fn weather(city: &str) -> std::io::Result<String> {
    ureq::get(&format!("https://wttr.in/{city}")).set("Accept", "text/plain").call()?.into_string()
}

fn main() {}
