//! Stand-in for the `reqwest` crate (blocking and async clients).
//! Shared by every corpus case that uses it, so they all see the same API.

#![allow(clippy::all, dead_code)]

pub mod blocking {
    pub struct Client;
    pub struct RequestBuilder;
    pub struct Response;
    impl Client {
        pub fn new() -> Client {
            Client
        }
        pub fn get(&self, _url: &str) -> RequestBuilder {
            RequestBuilder
        }
        pub fn post(&self, _url: &str) -> RequestBuilder {
            RequestBuilder
        }
    }
    impl RequestBuilder {
        pub fn header(self, _k: &str, _v: &str) -> RequestBuilder {
            self
        }
        pub fn body(self, _b: String) -> RequestBuilder {
            self
        }
        pub fn send(self) -> std::io::Result<Response> {
            Ok(Response)
        }
    }
    impl Response {
        pub fn text(self) -> std::io::Result<String> {
            Ok(String::new())
        }
        pub fn status(&self) -> u16 {
            200
        }
    }
    pub fn get(_url: &str) -> std::io::Result<Response> {
        Ok(Response)
    }
}
pub struct Client;
pub struct RequestBuilder;
pub struct Response;
impl Client {
    pub fn new() -> Client {
        Client
    }
    pub fn get(&self, _url: &str) -> RequestBuilder {
        RequestBuilder
    }
}
impl RequestBuilder {
    pub fn header(self, _k: &str, _v: &str) -> RequestBuilder {
        self
    }
    pub async fn send(self) -> std::io::Result<Response> {
        Ok(Response)
    }
}
impl Response {
    pub async fn text(self) -> std::io::Result<String> {
        Ok(String::new())
    }
}
pub async fn get(_url: &str) -> std::io::Result<Response> {
    Ok(Response)
}
