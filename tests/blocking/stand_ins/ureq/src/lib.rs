//! Stand-in for the `ureq` crate.
//! Shared by every corpus case that uses it, so they all see the same API.

#![allow(clippy::all, dead_code)]

pub struct Request;
pub struct Response;
pub struct Agent;
impl Request {
    pub fn set(self, _k: &str, _v: &str) -> Request {
        self
    }
    pub fn call(self) -> std::io::Result<Response> {
        Ok(Response)
    }
    pub fn send_string(self, _body: &str) -> std::io::Result<Response> {
        Ok(Response)
    }
}
impl Response {
    pub fn into_string(self) -> std::io::Result<String> {
        Ok(String::new())
    }
}
impl Agent {
    pub fn post(&self, _url: &str) -> Request {
        Request
    }
}
pub fn get(_url: &str) -> Request {
    Request
}
pub fn agent() -> Agent {
    Agent
}
